//! The Overview's corner of where the revenue came from: the biggest clients' share and the
//! top services of the chosen period.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use crate::domain::money::{format_amount, format_major};
use crate::tui::state::{App, OverviewData};
use crate::tui::widgets::format;
use crate::tui::widgets::table::{self, Column};
use crate::tui::widgets::text::{clip, safe};

/// The services: name, revenue, share of the period's revenue, purchases (left out first when
/// narrow, so that names have room).
const SERVICES: [Column; 4] = [
    Column::flex("Service", 14, 1, 0),
    Column::number("Revenue", 10, 0),
    Column::number("Share", 5, 1),
    Column::number("Sales", 5, 2),
];

/// The period's biggest clients' share of its revenue, then its services, most revenue first.
pub(super) fn mix(frame: &mut Frame, area: Rect, app: &App, data: Option<&OverviewData>) {
    let theme = &app.theme;
    let width = area.width.saturating_sub(2) as usize;
    let mut block = Block::bordered().title(Span::styled(
        clip(" Revenue by client and service ", width),
        theme.title(),
    ));
    let Some(now) = data.map(|d| &d.now) else {
        frame.render_widget(block, area);
        return;
    };
    let lines: Vec<String> = match now.concentration {
        Some(c) => joined(
            &[
                format!("Top client {}", format::percent(c.top_1)),
                format!("top 3 {}", format::percent(c.top_3)),
                format!("top 10% of clients {}", format::percent(c.top_10_percent)),
            ],
            width,
        ),
        None => vec![format!("No revenue in {}.", now.period.label())],
    };
    let inner = block.inner(area);
    let rows = (inner.height as usize).saturating_sub(lines.len() + 1);
    if now.services.len() > rows {
        block = block.title_bottom(Span::styled(
            format!(" {} of {} services ", rows, now.services.len()),
            theme.dim(),
        ));
    }
    frame.render_widget(block, area);
    let [text, services] =
        Layout::vertical([Constraint::Length(lines.len() as u16), Constraint::Fill(1)])
            .areas(inner);
    frame.render_widget(
        Paragraph::new(
            lines
                .into_iter()
                .map(|l| Line::from(Span::raw(l)))
                .collect::<Vec<_>>(),
        ),
        text,
    );
    if now.services.is_empty() {
        return;
    }
    let cells = now
        .services
        .iter()
        .take(rows)
        .map(|s| {
            let share = (now.revenue > 0).then(|| s.revenue as f64 / now.revenue as f64);
            vec![
                Span::raw(safe(&s.item)),
                Span::raw(format_amount(s.revenue, false)),
                Span::raw(format::opt_percent(share)),
                Span::raw(format_major(f64::from(s.purchases))),
            ]
        })
        .collect();
    table::draw(
        frame,
        services,
        Block::default(),
        &SERVICES,
        cells,
        None,
        theme,
    );
}

/// `parts` joined by ` · ` into as few lines of `width` as they go, a part never split.
pub(super) fn joined(parts: &[String], width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for part in parts {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 3 + part.chars().count() <= width => {
                line.push_str(" · ");
                line.push_str(part);
            }
            _ => lines.push(clip(part, width)),
        }
    }
    lines
}
