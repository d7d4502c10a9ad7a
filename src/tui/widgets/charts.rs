//! Charts: the Segments' clients as braille points (days since last purchase against spend), one
//! marker set per segment, and a histogram of churn probabilities; the Overview's bars of
//! revenue per month and its sparklines.

use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Bar, BarChart, BarGroup, Block, Chart, Dataset, GraphType, Paragraph, Sparkline,
    SparklineBar,
};
use ratatui::Frame;

use super::format;
use super::text::{clip, pad, pad_left};
use crate::domain::money::format_major;
use crate::domain::period::Period;
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
                .text_value(format::short(*n))
        })
        .collect();
    bar_chart(
        frame,
        area,
        block,
        &bars,
        fitted_width(inner.width, 10, gap),
        gap,
        theme,
    );
}

/// The width of each of `n` bars with `gap` columns between them filling `width` (at least 1).
fn fitted_width(width: u16, n: usize, gap: u16) -> u16 {
    let n = n.clamp(1, u16::MAX as usize) as u16;
    ((width + gap) / n).saturating_sub(gap).max(1)
}

fn bar_chart(
    frame: &mut Frame,
    area: Rect,
    block: Block,
    bars: &[Bar],
    width: u16,
    gap: u16,
    theme: &Theme,
) {
    let chart = BarChart::default()
        .block(block)
        .data(BarGroup::default().bars(bars))
        .bar_width(width)
        .bar_gap(gap)
        .bar_set(symbols::bar::NINE_LEVELS)
        .value_style(theme.selected());
    frame.render_widget(chart, area);
}

/// Bars this many columns wide or more carry a month's short name (`Nov`), narrower ones its
/// number (`11`).
const NAMED_BAR: u16 = 3;

/// One bar a month, labelled under it; the months of `chosen` stand out (in colour, and in bold
/// labels without it). `months` are (first day, amount in major units), oldest first.
pub fn month_bars(
    frame: &mut Frame,
    area: Rect,
    block: Block,
    months: &[(NaiveDate, u64)],
    chosen: Period,
    theme: &Theme,
) {
    let inner = block.inner(area);
    let gap = 1;
    let width = fitted_width(inner.width, months.len(), gap);
    let bars: Vec<Bar> = months
        .iter()
        .map(|(month, value)| {
            let label = if width >= NAMED_BAR {
                month.format("%b").to_string()
            } else if width == 2 {
                month.format("%m").to_string()
            } else {
                month.format("%b").to_string().chars().take(1).collect()
            };
            let (bar, label_style) = if chosen.contains(*month) {
                (theme.key(), theme.key())
            } else {
                (theme.plain(), theme.dim())
            };
            Bar::default()
                .value(*value)
                .label(Line::from(Span::styled(label, label_style)))
                .style(bar)
                .text_value(String::new())
        })
        .collect();
    bar_chart(frame, area, block, &bars, width, gap, theme);
}

/// What gaps in a sparkline look like: a dot on the baseline, where no value (0) is blank.
pub const GAP: &str = "·";

/// Columns a sparkline gives each value at most, when it has room to spare.
const TREND_STRETCH: usize = 3;

/// A named series as a sparkline, its latest value beside the name; a value that is missing
/// (None) is drawn as [`GAP`] on the baseline, never as 0. On one line: `name latest ▁▃▅▇`, a
/// column a value; taller, the long name and the value on the first line and the sparkline under
/// them, up to three columns a value where there is room.
pub fn trend(
    frame: &mut Frame,
    area: Rect,
    (long_name, short_name): (&str, &str),
    latest: &str,
    values: &[Option<u64>],
    theme: &Theme,
) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let (label, label_area, spark) = if area.height == 1 {
        let label = format!(
            "{}{} ",
            pad(short_name, TREND_NAME),
            pad_left(latest, TREND_VALUE)
        );
        let [label_area, spark] =
            Layout::horizontal([Constraint::Length(TREND_LABEL), Constraint::Fill(1)]).areas(area);
        (label, label_area, spark)
    } else {
        let [label_area, spark] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        (format!("{long_name} {latest}"), label_area, spark)
    };
    frame.render_widget(
        Paragraph::new(Span::styled(
            clip(&label, label_area.width as usize),
            theme.plain(),
        )),
        label_area,
    );
    if spark.is_empty() {
        return;
    }
    let stretch = match area.height {
        1 => 1,
        _ => (spark.width as usize / values.len().max(1)).clamp(1, TREND_STRETCH),
    };
    let bars: Vec<SparklineBar> = values
        .iter()
        .flat_map(|v| std::iter::repeat_n(SparklineBar::from(*v), stretch))
        .collect();
    let sparkline = Sparkline::default()
        .data(bars)
        .style(theme.series(0))
        .bar_set(symbols::bar::NINE_LEVELS);
    frame.render_widget(sparkline, spark);
    // Ratatui draws a gap the full height; one dot on the baseline reads better.
    let baseline = spark.bottom() - 1;
    let buffer = frame.buffer_mut();
    for (i, _) in values.iter().enumerate().filter(|(_, v)| v.is_none()) {
        for x in (i * stretch..(i + 1) * stretch).map(|c| spark.x as usize + c) {
            if x < spark.right() as usize {
                buffer[(x as u16, baseline)]
                    .set_symbol(GAP)
                    .set_style(theme.dim());
            }
        }
    }
}

/// Columns of a one-line trend's name and latest value (a space follows them).
const TREND_NAME: usize = 9;
const TREND_VALUE: usize = 6;
/// The columns a one-line [`trend`] keeps for its name and value.
pub const TREND_LABEL: u16 = (TREND_NAME + TREND_VALUE + 1) as u16;
