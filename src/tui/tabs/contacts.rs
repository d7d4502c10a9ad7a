//! The Contacts tab: the paged table and, below or beside it, the selected contact's detail.

use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Block;
use ratatui::Frame;

use super::contact_detail;
use crate::tui::layout;
use crate::tui::state::App;
use crate::tui::update::sort_label;
use crate::tui::widgets::format::{self, NONE};
use crate::tui::widgets::table::{self, Column};
use crate::tui::widgets::text::safe;

const COLUMNS: [Column; 7] = [
    Column::flex("Name", 10, 3, 0),
    Column::flex("Company", 8, 2, 4),
    Column::fixed("Stage", 7, 2),
    Column::flex("Segment", 8, 2, 5),
    Column::number("Churn", 5, 1),
    Column::number("CLV", 8, 3),
    Column::fixed("Last touch", 10, 6),
];

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let (table_area, detail_area) = layout::contacts(area, app.contacts.expanded);
    if let Some(table_area) = table_area {
        draw_table(frame, table_area, app);
    }
    if let Some(detail_area) = detail_area {
        contact_detail::render(frame, detail_area, app);
    }
}

/// `Contacts 1–8 of 10,000 · sort name · filter "ana"`.
fn title(app: &App) -> String {
    let c = &app.contacts;
    let range = if c.searching {
        "searching…".to_string()
    } else if c.cursor.total == 0 {
        "none".to_string()
    } else {
        format!(
            "{}–{} of {}{}",
            c.cursor.offset + 1,
            (c.cursor.offset + c.rows.len()).max(c.cursor.offset + 1),
            crate::domain::money::format_major(c.cursor.total as f64),
            if c.total_exact { "" } else { "+" }
        )
    };
    let mut title = format!(" Contacts {} · sort {}", range, sort_label(c.sort));
    if !c.filter.text().is_empty() {
        title.push_str(&format!(" · filter \"{}\"", safe(c.filter.text())));
    }
    title.push(' ');
    title
}

fn draw_table(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    let rows = app
        .contacts
        .rows
        .iter()
        .map(|row| {
            let s = row.scores.as_ref();
            vec![
                Span::raw(safe(&row.contact.name)),
                Span::raw(row.contact.company.as_deref().map(safe).unwrap_or_default()),
                s.map(|s| Span::styled(s.stage.label(), theme.stage(s.stage)))
                    .unwrap_or_else(|| Span::raw(NONE)),
                Span::raw(
                    s.and_then(|s| s.segment_name.as_deref())
                        .map(safe)
                        .unwrap_or_else(|| NONE.into()),
                ),
                s.map(|s| {
                    Span::styled(
                        format::opt_percent(s.churn_probability),
                        theme.churn(s.churn_probability.unwrap_or(0.0)),
                    )
                })
                .unwrap_or_else(|| Span::raw(NONE)),
                Span::raw(
                    s.map(|s| format::major(s.clv))
                        .unwrap_or_else(|| NONE.into()),
                ),
                Span::raw(format::date(row.last_touch)),
            ]
        })
        .collect();
    let block = Block::bordered().title(Span::styled(title(app), theme.title()));
    let selected = (app.contacts.cursor.total > 0).then(|| app.contacts.cursor.in_window());
    if app.contacts.cursor.total == 0 {
        let hint = if app.contacts.filter.text().is_empty() {
            " No contacts yet: press a to add one. "
        } else {
            " No contact matches the filter. "
        };
        let block = block.title_bottom(Span::styled(hint, theme.dim()));
        table::draw(frame, area, block, &COLUMNS, Vec::new(), None, theme);
        return;
    }
    table::draw(frame, area, block, &COLUMNS, rows, selected, theme);
}
