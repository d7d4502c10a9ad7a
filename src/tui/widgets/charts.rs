//! The Segments charts: clients as braille points (days since last purchase against spend),
//! one marker set per segment, and a histogram of churn probabilities.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Bar, BarChart, BarGroup, Block, Chart, Dataset, GraphType, Paragraph,
};
use ratatui::Frame;

use super::text::clip;
use crate::domain::money::format_major;
use crate::tui::state::SegmentsData;
use crate::tui::theme::Theme;

/// Scatter of every client placed in a segment; the selected segment's name is in the title.
pub fn scatter(
    frame: &mut Frame,
    area: Rect,
    data: &SegmentsData,
    selected: Option<usize>,
    theme: &Theme,
) {
    let block = Block::bordered().title(Span::styled(
        " Clients: days since purchase × spend ",
        theme.title(),
    ));
    if data.points.is_empty() {
        frame.render_widget(
            Paragraph::new("No client has bought yet.")
                .style(theme.dim())
                .block(block),
            area,
        );
        return;
    }
    let max_x = data
        .points
        .iter()
        .map(|p| p.recency_days)
        .fold(1.0, f64::max);
    let max_y = data.points.iter().map(|p| p.spend).fold(1.0, f64::max);
    let series: Vec<Vec<(f64, f64)>> = (0..data.summaries.len())
        .map(|s| {
            data.points
                .iter()
                .filter(|p| p.segment == s)
                .map(|p| (p.recency_days, p.spend))
                .collect()
        })
        .collect();
    // The selected segment is drawn last so its markers stay on top.
    let mut order: Vec<usize> = (0..series.len()).filter(|s| Some(*s) != selected).collect();
    order.extend(selected.filter(|s| *s < series.len()));
    let datasets: Vec<Dataset> = order
        .iter()
        .map(|&s| {
            Dataset::default()
                .name(clip(&data.summaries[s].name, 18))
                .marker(theme.series_marker(s))
                .graph_type(GraphType::Scatter)
                .style(theme.series(s))
                .data(&series[s])
        })
        .collect();
    let label = |v: f64| Span::styled(format_major(v), theme.dim());
    let chart = Chart::new(datasets)
        .block(block)
        .x_axis(
            Axis::default()
                .title("days")
                .bounds([0.0, max_x])
                .labels([label(0.0), label(max_x)]),
        )
        .y_axis(
            Axis::default()
                .title("spend")
                .bounds([0.0, max_y])
                .labels([label(0.0), label(max_y)]),
        )
        .hidden_legend_constraints((
            ratatui::layout::Constraint::Percentage(45),
            ratatui::layout::Constraint::Percentage(60),
        ));
    frame.render_widget(chart, area);
}

/// Ten bars: clients per tenth of churn probability.
pub fn churn_histogram(frame: &mut Frame, area: Rect, data: &SegmentsData, theme: &Theme) {
    let block = Block::bordered().title(Span::styled(" Churn probability ", theme.title()));
    let inner = block.inner(area);
    if data.scored == 0 {
        frame.render_widget(
            Paragraph::new("Nothing scored yet.")
                .style(theme.dim())
                .block(block),
            area,
        );
        return;
    }
    let gap = if inner.width >= 30 { 1 } else { 0 };
    let bar_width = ((inner.width.saturating_sub(gap * 9)) / 10).max(1);
    let bars: Vec<Bar> = data
        .churn_histogram
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let style = if i >= 5 {
                theme.churn(0.9)
            } else if i >= 3 {
                theme.churn(0.4)
            } else {
                Style::default()
            };
            Bar::default()
                .value(*n)
                .label(Line::from(format!("{}", i * 10)))
                .style(style)
                .text_value(short_count(*n))
        })
        .collect();
    let chart = BarChart::default()
        .block(block)
        .data(BarGroup::default().bars(&bars))
        .bar_width(bar_width)
        .bar_gap(gap)
        .bar_set(symbols::bar::NINE_LEVELS)
        .value_style(theme.selected());
    frame.render_widget(chart, area);
}

/// `1234` → `1.2k`, so counts fit narrow bars.
fn short_count(n: u64) -> String {
    match n {
        0..=999 => n.to_string(),
        1_000..=99_999 => format!("{:.1}k", n as f64 / 1000.0),
        _ => format!("{}k", n / 1000),
    }
}
