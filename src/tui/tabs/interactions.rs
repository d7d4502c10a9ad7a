//! The Interactions tab: everything logged, newest first, with the contact's name.

use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Block;
use ratatui::Frame;

use crate::tui::state::App;
use crate::tui::widgets::format;
use crate::tui::widgets::table::{self, Column};
use crate::tui::widgets::text::safe;

const COLUMNS: [Column; 4] = [
    Column::fixed("When", 16, 1),
    Column::fixed("Kind", 8, 2),
    Column::flex("Contact", 10, 1, 0),
    Column::flex("What", 10, 3, 3),
];

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    let state = &app.interactions;
    let rows = state
        .rows
        .iter()
        .map(|row| {
            let i = &row.interaction;
            vec![
                Span::raw(format::when(i.occurred_at)),
                Span::raw(i.kind.as_str()),
                Span::raw(safe(&row.contact_name)),
                Span::raw(format::what(i, &app.config.currency)),
            ]
        })
        .collect();
    let range = if state.cursor.total == 0 {
        "none".to_string()
    } else {
        format!(
            "{}–{} of {}{}",
            state.cursor.offset + 1,
            state.cursor.offset + state.rows.len().max(1),
            crate::domain::money::format_major(state.cursor.total as f64),
            if state.total_exact { "" } else { "+" }
        )
    };
    let mut title = format!(
        " Interactions {} · {}",
        range,
        state.kind.map(|k| k.as_str()).unwrap_or("every kind")
    );
    if !state.filter.text().is_empty() {
        title.push_str(&format!(" · filter \"{}\"", safe(state.filter.text())));
    }
    title.push(' ');
    let mut block = Block::bordered().title(Span::styled(title, theme.title()));
    if state.cursor.total == 0 {
        block = block.title_bottom(Span::styled(" Nothing logged matches. ", theme.dim()));
    }
    let selected = (state.cursor.total > 0).then(|| state.cursor.in_window());
    table::draw(frame, area, block, &COLUMNS, rows, selected, theme);
}
