//! The At-risk tab: clients ranked by value at risk (churn × CLV), why, and what to do; the
//! churn model in use and its quality in the title.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui::Frame;

use crate::domain::ChurnSource;
use crate::tui::layout;
use crate::tui::state::{App, ModelInfo};
use crate::tui::widgets::format::{self, NONE};
use crate::tui::widgets::table::{self, Column};
use crate::tui::widgets::text::safe;

const COLUMNS: [Column; 9] = [
    Column::flex("Name", 10, 2, 0),
    Column::fixed("Planned", 7, 3),
    Column::number("At risk", 8, 1),
    Column::number("Churn", 5, 1),
    Column::number("Since/usual", 11, 2),
    Column::number("CLV", 8, 4),
    Column::fixed("Stage", 7, 5),
    Column::flex("Why", 10, 3, 3),
    Column::flex("Do", 8, 2, 6),
];

/// `churn model v3 of 2026-11-23 on 412 clients, AUC 0.81 (baseline 0.74)` or the rule's note.
pub fn model_text(model: Option<&ModelInfo>) -> String {
    let Some(m) = model else {
        return "no model fitted yet".into();
    };
    let q = &m.quality;
    match q.churn_source {
        ChurnSource::Rule => format!("churn rule (v{}): {}", m.version, safe(&q.churn_note)),
        ChurnSource::Model => {
            let auc = q
                .churn_auc
                .map(|a| format!(", AUC {:.2}", a))
                .unwrap_or_default();
            let calibration = q
                .churn_calibration
                .map(|c| format!(", calibration error {:.2}", c.error))
                .unwrap_or_default();
            let baseline = q
                .churn_baseline_auc
                .map(|a| format!(" (recency alone {:.2})", a))
                .unwrap_or_default();
            format!(
                "churn model v{} of {} on {} clients{}{}{}",
                m.version, m.fitted_as_of, q.churn_training_size, auc, calibration, baseline
            )
        }
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    let state = &app.at_risk;
    let (table_area, detail_area) = layout::at_risk(area);
    let rows = state
        .rows
        .iter()
        .map(|row| {
            let Some(s) = &row.scores else {
                return vec![Span::raw(safe(&row.contact.name))];
            };
            let since = format!(
                "{}/{}",
                format::days(s.recency_days),
                s.usual_interval_days
                    .map(|d| format!("{:.0}d", d))
                    .unwrap_or_else(|| NONE.into())
            );
            // A client with an open follow-up already has a plan: its next date, late in red.
            let planned = match state.planned.get(&row.contact.id) {
                Some(due) => Span::styled(
                    due.date.format("%b %-d").to_string(),
                    if due.date < app.today {
                        theme.error()
                    } else {
                        theme.good()
                    },
                ),
                None => Span::styled(NONE, theme.dim()),
            };
            vec![
                Span::raw(safe(&row.contact.name)),
                planned,
                Span::raw(format::major(s.churn_probability.unwrap_or(0.0) * s.clv)),
                Span::styled(
                    format::opt_percent(s.churn_probability),
                    theme.churn(s.churn_probability.unwrap_or(0.0)),
                ),
                Span::raw(since),
                Span::raw(format::major(s.clv)),
                Span::styled(s.stage.label(), theme.stage(s.stage)),
                Span::raw(
                    s.churn_reasons
                        .first()
                        .map(|r| safe(&r.text))
                        .unwrap_or_else(|| NONE.into()),
                ),
                Span::raw(
                    s.actions
                        .first()
                        .map(|a| safe(a))
                        .unwrap_or_else(|| NONE.into()),
                ),
            ]
        })
        .collect();
    let total = state.cursor.total as i64;
    let title = format!(
        " At risk · {} {} slipping at {}+ churn · {} ",
        crate::domain::money::format_major(total as f64),
        if total == 1 { "client" } else { "clients" },
        format::percent(app.config.churn.at_risk_threshold),
        model_text(state.model.as_ref())
    );
    let mut block = Block::bordered().title(Span::styled(title, theme.title()));
    if state.cursor.total == 0 {
        block = block.title_bottom(Span::styled(" Nobody is at risk. ", theme.good()));
    }
    let selected = (state.cursor.total > 0).then(|| state.cursor.in_window());
    table::draw(frame, table_area, block, &COLUMNS, rows, selected, theme);
    if let Some(detail_area) = detail_area {
        render_selected(frame, detail_area, app);
    }
}

/// Every reason and action of the selected client, with the next-best offer.
fn render_selected(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    let cursor = app.at_risk.cursor;
    let row = cursor
        .selected
        .checked_sub(cursor.offset)
        .and_then(|i| app.at_risk.rows.get(i));
    let Some((row, s)) = row.and_then(|r| r.scores.as_ref().map(|s| (r, s))) else {
        frame.render_widget(Block::bordered(), area);
        return;
    };
    let block = Block::bordered().title(Span::styled(
        format!(" Why {} ", safe(&row.contact.name)),
        theme.title(),
    ));
    let reasons: Vec<String> = s.churn_reasons.iter().map(|r| safe(&r.text)).collect();
    let actions: Vec<String> = s.actions.iter().map(|a| safe(a)).collect();
    let lines = vec![
        Line::from(vec![
            Span::styled("Why ", theme.key()),
            Span::raw(if reasons.is_empty() {
                NONE.into()
            } else {
                reasons.join("; ")
            }),
        ]),
        Line::from(vec![
            Span::styled("Do ", theme.key()),
            Span::raw(if actions.is_empty() {
                NONE.into()
            } else {
                actions.join(", ")
            }),
            Span::styled(" · Offer ", theme.key()),
            Span::raw(
                s.next_offer
                    .as_deref()
                    .map(safe)
                    .unwrap_or_else(|| NONE.into()),
            ),
        ]),
    ];
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(block),
        area,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::calibration::Calibration;
    use crate::scoring::ModelQuality;
    use chrono::NaiveDate;

    #[test]
    fn the_quality_line_shows_calibration_beside_the_auc() {
        let info = ModelInfo {
            version: 3,
            fitted_as_of: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            training_size: 2000,
            quality: ModelQuality {
                churn_source: ChurnSource::Model,
                churn_auc: Some(0.912),
                churn_baseline_auc: Some(0.8),
                churn_training_size: 1264,
                churn_rate: Some(0.7),
                churn_note: String::new(),
                churn_calibration: Some(Calibration {
                    clients: 266,
                    mean_predicted: 0.73,
                    observed_rate: 0.71,
                    error: 0.031,
                }),
                typical_interval_days: 79.0,
                silhouette: None,
                inertia: None,
                k: 3,
                items: 10,
            },
        };
        assert_eq!(
            model_text(Some(&info)),
            "churn model v3 of 2026-12-01 on 1264 clients, AUC 0.91, calibration error 0.03 (recency alone 0.80)"
        );
    }
}
