//! The Overview tab, the business at a glance for the chosen month, quarter or year: each headline
//! figure with its change against the period before (▲/▼, green when better, red when worse),
//! revenue per month as bars, sparklines of active clients, retention and value at risk over the
//! same months, and where the revenue came from (its biggest clients' share, the top services).
//! "no data yet" wherever the recorded data cannot back a figure up.

use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui::Frame;

use crate::domain::money::{format_amount, format_major};
use crate::domain::period::Period;
use crate::domain::InteractionKind;
use crate::scoring::overview::{changes, value, Change, PeriodFigures};
use crate::tui::action::Action;
use crate::tui::layout::{self, OverviewCharts, OVERVIEW_MONTHS};
use crate::tui::state::{App, OverviewData};
use crate::tui::widgets::charts::{self, GAP, TREND_LABEL};
use crate::tui::widgets::format::{self, NONE};
use crate::tui::widgets::text::{clip, pad, pad_left, safe};

use super::overview_mix::mix;

/// How a figure reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    /// Minor units, shown with cents when there are any.
    Money,
    Count,
    /// 0..1, shown in percent; changes in points.
    Share,
    /// Minor units of an estimate (CLV, value at risk), shown in whole units.
    Estimate,
}

/// A headline figure: its label, its key in [`changes`], how it reads, and which way is better.
struct Figure {
    label: &'static str,
    key: &'static str,
    unit: Unit,
    higher_is_better: bool,
}

const fn figure(label: &'static str, key: &'static str, unit: Unit, up: bool) -> Figure {
    Figure {
        label,
        key,
        unit,
        higher_is_better: up,
    }
}

/// In reading order, down each column.
const FIGURES: [Figure; 9] = [
    figure("Revenue", "revenue", Unit::Money, true),
    figure("Purchases", "purchases", Unit::Count, true),
    figure("Active clients", "active_clients", Unit::Count, true),
    figure("New clients", "new_clients", Unit::Count, true),
    figure("Retention", "retention", Unit::Share, true),
    figure("Churned", "churned_clients", Unit::Count, false),
    figure("Satisfaction", "satisfaction", Unit::Share, true),
    figure("Value at risk", "value_at_risk", Unit::Estimate, false),
    figure("Total CLV", "total_clv", Unit::Estimate, true),
];

/// Columns of a headline figure's label and value; its change takes the rest of the cell.
const LABEL: usize = 14;
const VALUE: usize = 11;
const NO_DATA: &str = "no data yet";

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    let state = &app.overview;
    if state.nothing_sold {
        let text = format!(
            "Nothing sold yet: the overview starts with the first purchase ({} logs one for the selected contact on the other tabs).",
            app.keymap.keys_of(Action::Log(InteractionKind::Purchase))
        );
        frame.render_widget(
            Paragraph::new(Span::styled(text, theme.dim()))
                .wrap(Wrap { trim: true })
                .block(Block::bordered().title(Span::styled(" Overview ", theme.title()))),
            area,
        );
        return;
    }
    let period = state.period(app.today);
    let areas = layout::overview(area, FIGURES.len());
    let data = state.data_of(period);
    headline(frame, areas.headline, areas.columns, app, period, data);
    let Some(charts) = areas.charts else {
        return;
    };
    let data = data.and_then(Result::ok);
    let shown = data.map_or(&[][..], |d| {
        let n = months_that_fit(&charts).min(d.months.len());
        &d.months[d.months.len() - n..]
    });
    revenue(frame, charts.bars, app, period, shown);
    trends(frame, charts.trends, app, shown);
    mix(frame, charts.mix, app, data);
}

/// As many months as both the bars (two columns and a gap each) and the trends have room for.
fn months_that_fit(charts: &OverviewCharts) -> usize {
    let bars = (charts.bars.width.saturating_sub(2) + 1) / 3;
    let inner = charts.trends.width.saturating_sub(2);
    let trends = match trend_height(charts.trends) {
        1 => inner.saturating_sub(TREND_LABEL),
        _ => inner,
    };
    bars.min(trends).clamp(1, OVERVIEW_MONTHS) as usize
}

/// Lines of each of the three trends: the block's inside less a line for the legend.
fn trend_height(area: Rect) -> u16 {
    (area.height.saturating_sub(3) / 3).max(1)
}

fn headline(
    frame: &mut Frame,
    area: Rect,
    columns: u16,
    app: &App,
    period: Period,
    data: Option<Result<&OverviewData, &str>>,
) {
    let theme = &app.theme;
    let label = period.label_so_far(app.today);
    let title = match data {
        Some(Ok(d)) => format!(
            " {} against {} · {} ",
            label,
            d.before.period.label(),
            safe(&app.config.currency)
        ),
        _ => format!(" {} ", label),
    };
    let width = area.width.saturating_sub(2) as usize;
    let block = Block::bordered().title(Span::styled(clip(&title, width), theme.title()));
    let d = match data {
        Some(Ok(d)) => d,
        Some(Err(e)) => {
            let text = format!("Cannot read the figures: {}", safe(e));
            frame.render_widget(
                Paragraph::new(Span::styled(text, theme.error()))
                    .wrap(Wrap { trim: true })
                    .block(block),
                area,
            );
            return;
        }
        None => {
            let text = format!("Reading every purchase for {}…", period.label());
            frame.render_widget(
                Paragraph::new(Span::styled(text, theme.dim())).block(block),
                area,
            );
            return;
        }
    };
    let block = match scores_note(&d.now) {
        Some(note) => block.title_bottom(Span::styled(clip(note, width), theme.dim())),
        None => block,
    };
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let moved = changes(&d.now, &d.before);
    let cell = (inner.width / columns.max(1)) as usize;
    let rows = FIGURES.len().div_ceil(columns.max(1) as usize);
    let lines: Vec<Line> = (0..rows)
        .map(|row| {
            let spans = (0..columns as usize)
                .filter_map(|column| FIGURES.get(column * rows + row))
                .flat_map(|f| {
                    let change = moved
                        .iter()
                        .find(|(key, _)| *key == f.key)
                        .and_then(|(_, c)| *c);
                    figure_cell(f, value(&d.now, f.key), change, cell, app)
                })
                .collect::<Vec<_>>();
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Where the value at risk and CLV of the period come from, when it is worth saying.
fn scores_note(f: &PeriodFigures) -> Option<&'static str> {
    match f.scores_recomputed {
        Some(true) => Some(" scores recomputed afterwards (score --backfill) "),
        Some(false) => None,
        None => Some(" no score snapshot then: value at risk and CLV unknown "),
    }
}

/// `Revenue      2,437,960 ▼ 18%` in `width` columns: the arrow says which way, the colour
/// whether that is better or worse.
fn figure_cell(
    f: &Figure,
    now: Option<f64>,
    change: Option<Change>,
    width: usize,
    app: &App,
) -> Vec<Span<'static>> {
    let theme = &app.theme;
    let rest = width.saturating_sub(LABEL + VALUE + 2);
    let label = Span::raw(pad(f.label, LABEL));
    let Some(now) = now else {
        return vec![
            label,
            Span::styled(pad_left(NO_DATA, VALUE), theme.dim()),
            Span::raw(" ".repeat(rest + 2)),
        ];
    };
    let (text, style) = match change {
        Some(c) => {
            let better = (c.by != 0.0).then_some((c.by > 0.0) == f.higher_is_better);
            (change_text(f.unit, c), theme.change(better))
        }
        // The period before has no such figure.
        None => (NONE.to_string(), theme.dim()),
    };
    vec![
        label,
        Span::raw(pad_left(&amount(f.unit, now), VALUE)),
        Span::raw(" "),
        Span::styled(pad(&text, rest), style),
        Span::raw(" "),
    ]
}

fn amount(unit: Unit, value: f64) -> String {
    match unit {
        Unit::Money => format_amount(value.round() as i64, false),
        Unit::Count => format_major(value),
        Unit::Share => format::percent(value),
        Unit::Estimate => format_major(value / 100.0),
    }
}

/// `▲ 12%`, or the difference where there was nothing before (`▲ 1,200`); shares in points.
fn change_text(unit: Unit, c: Change) -> String {
    let arrow = c.arrow();
    match (unit, c.percent) {
        (Unit::Share, _) => format!("{arrow} {:.1} pts", c.by.abs() * 100.0),
        (_, Some(p)) => format!("{arrow} {:.0}%", p.abs()),
        (unit, None) => format!("{arrow} {}", amount(unit, c.by.abs())),
    }
}

/// `2025-02 to 2026-11 so far`.
fn span_of(months: &[PeriodFigures], today: NaiveDate) -> String {
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return String::new();
    };
    let running = if last.period.running(today).is_some() {
        " so far"
    } else {
        ""
    };
    format!(
        "{} to {}{}",
        first.period.label(),
        last.period.label(),
        running
    )
}

fn revenue(frame: &mut Frame, area: Rect, app: &App, chosen: Period, months: &[PeriodFigures]) {
    let theme = &app.theme;
    let mut title = " Revenue per month".to_string();
    if !months.is_empty() {
        title.push_str(&format!(" · {}", span_of(months, app.today)));
    }
    if let Some(top) = months
        .iter()
        .filter(|m| m.revenue > 0)
        .max_by_key(|m| (m.revenue, m.period))
    {
        title.push_str(&format!(
            " · highest {} in {}",
            format_amount(top.revenue, false),
            top.period.label()
        ));
    }
    title.push(' ');
    let width = area.width.saturating_sub(2) as usize;
    let block = Block::bordered().title(Span::styled(clip(&title, width), theme.title()));
    let bars: Vec<(NaiveDate, u64)> = months
        .iter()
        .map(|m| (m.period.start, (m.revenue.max(0) / 100) as u64))
        .collect();
    // The months of the period chosen stand out (all three of a quarter, the last of a month).
    charts::month_bars(frame, area, block, &bars, chosen, theme);
}

fn trends(frame: &mut Frame, area: Rect, app: &App, months: &[PeriodFigures]) {
    let theme = &app.theme;
    let block = Block::bordered().title(Span::styled(
        clip(
            " Clients, retention, value at risk ",
            area.width.saturating_sub(2) as usize,
        ),
        theme.title(),
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(last) = months.last() else {
        return;
    };
    let height = trend_height(area);
    let [active, retention, at_risk, legend] = Layout::vertical([
        Constraint::Length(height),
        Constraint::Length(height),
        Constraint::Length(height),
        Constraint::Length(1),
    ])
    .areas(inner);
    let month = last.period.label();
    let latest = |text: String| {
        if height > 1 {
            format!("{text} in {month}")
        } else {
            text
        }
    };
    let active_values: Vec<Option<u64>> = months
        .iter()
        .map(|m| Some(u64::from(m.active_clients)))
        .collect();
    charts::trend(
        frame,
        active,
        ("Active clients", "Active"),
        &latest(format_major(f64::from(last.active_clients))),
        &active_values,
        theme,
    );
    let retention_values: Vec<Option<u64>> = months
        .iter()
        .map(|m| m.retention.map(|r| (r * 1000.0).round() as u64))
        .collect();
    charts::trend(
        frame,
        retention,
        ("Retention", "Retention"),
        &latest(format::opt_percent(last.retention)),
        &retention_values,
        theme,
    );
    let risk_values: Vec<Option<u64>> = months
        .iter()
        .map(|m| m.value_at_risk.map(|v| (v.max(0) / 100) as u64))
        .collect();
    let risk = last
        .value_at_risk
        .map_or(NONE.to_string(), |v| format::short((v.max(0) / 100) as u64));
    charts::trend(
        frame,
        at_risk,
        ("Value at risk", "At risk"),
        &latest(risk),
        &risk_values,
        theme,
    );
    let gaps = |values: &[Option<u64>]| values.iter().any(Option::is_none);
    if gaps(&retention_values) || gaps(&risk_values) {
        let mut text = format!("{GAP} no data yet");
        let why = " (value at risk: score --backfill fills past months)";
        if gaps(&risk_values) && text.len() + why.len() <= legend.width as usize {
            text.push_str(why);
        }
        frame.render_widget(
            Paragraph::new(Span::styled(
                clip(&text, legend.width as usize),
                theme.dim(),
            )),
            legend,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::tabs::overview_mix::joined;

    #[test]
    fn changes_read_with_their_arrow_in_percent_points_or_units() {
        let c = |by: f64, percent: Option<f64>| Change { by, percent };
        assert_eq!(change_text(Unit::Money, c(-53_176.0, Some(-17.9))), "▼ 18%");
        assert_eq!(change_text(Unit::Count, c(3.0, None)), "▲ 3");
        assert_eq!(change_text(Unit::Money, c(120_050.0, None)), "▲ 1,200.50");
        assert_eq!(change_text(Unit::Share, c(-0.139, None)), "▼ 13.9 pts");
        assert_eq!(change_text(Unit::Estimate, c(0.0, Some(0.0))), "= 0%");
        assert_eq!(
            joined(
                &[
                    "Top client 2%".into(),
                    "top 3 6%".into(),
                    "top 10% 56%".into()
                ],
                24
            ),
            ["Top client 2% · top 3 6%", "top 10% 56%"]
        );
    }
}
