//! The Segments tab: the segment table with what each segment wants, a scatter chart of the
//! clients coloured by segment, and a histogram of churn probabilities.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use crate::domain::money::format_amount;
use crate::tui::layout;
use crate::tui::state::App;
use crate::tui::widgets::charts;
use crate::tui::widgets::format;
use crate::tui::widgets::table::{self, Column};
use crate::tui::widgets::text::{clip, safe};

const COLUMNS: [Column; 7] = [
    Column::flex("Segment", 10, 2, 0),
    Column::number("Size", 5, 1),
    Column::number("Recency", 7, 2),
    Column::number("Freq", 5, 3),
    Column::number("Avg spend", 9, 2),
    Column::number("Revenue", 7, 1),
    Column::flex("Wants", 10, 3, 4),
];

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    let Some(data) = &app.segments.data else {
        frame.render_widget(
            Block::bordered().title(Span::styled(" Segments ", theme.title())),
            area,
        );
        return;
    };
    let (table_area, charts_area) = layout::segments(area, data.summaries.len());
    let block = Block::bordered().title(Span::styled(
        format!(
            " Segments · {} segments over {} scored contacts ",
            data.summaries.len(),
            data.scored
        ),
        theme.title(),
    ));
    if data.summaries.is_empty() {
        let text = if data.scored == 0 {
            "Nothing scored yet: add contacts and purchases."
        } else {
            "No segments yet: nobody has bought."
        };
        frame.render_widget(
            Paragraph::new(Span::styled(text, theme.dim())).block(block),
            table_area,
        );
    } else {
        let rows: Vec<Vec<Span>> = data
            .summaries
            .iter()
            .enumerate()
            .map(|(i, s)| {
                vec![
                    Span::styled(format!("● {}", safe(&s.name)), theme.series(i)),
                    Span::raw(s.size.to_string()),
                    Span::raw(format!("{:.0}d", s.avg_recency_days)),
                    Span::raw(format!("{:.1}", s.avg_frequency)),
                    Span::raw(
                        format_amount(s.avg_monetary, false)
                            .split('.')
                            .next()
                            .unwrap_or_default()
                            .to_string(),
                    ),
                    Span::raw(format::percent(s.revenue_share)),
                    Span::raw(safe(&s.wants)),
                ]
            })
            .collect();
        let cursor = app.segments.cursor;
        let wants = data
            .summaries
            .get(cursor.selected)
            .map(|s| format!(" {} wants {} ", safe(&s.name), safe(&s.wants)))
            .unwrap_or_default();
        let inner_width = table_area.width.saturating_sub(4) as usize;
        let block = block.title_bottom(Line::from(Span::styled(
            clip(&wants, inner_width),
            theme.plain(),
        )));
        let selected = cursor.selected.checked_sub(cursor.offset);
        let visible = rows.into_iter().skip(cursor.offset).collect();
        table::draw(frame, table_area, block, &COLUMNS, visible, selected, theme);
    }
    if let Some((scatter, histogram)) = charts_area {
        let selected = (!data.summaries.is_empty()).then_some(app.segments.cursor.selected);
        charts::scatter(frame, scatter, data, selected, theme);
        charts::churn_histogram(frame, histogram, data, theme);
    }
}
