//! The selected contact in full: details, every score with its reason, stage and actions,
//! next-best offer, similar clients and the recent timeline.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui::Frame;

use crate::domain::money::format_amount;
use crate::domain::text::plural;
use crate::domain::ChurnSource;
use crate::tui::state::{App, Detail};
use crate::tui::theme::Theme;
use crate::tui::widgets::format::{self, NONE};
use crate::tui::widgets::text::{clip, pad, safe};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    let Some(detail) = &app.contacts.detail else {
        frame.render_widget(
            Block::bordered().title(Span::styled(" Detail ", theme.title())),
            area,
        );
        return;
    };
    let block = Block::bordered().title(Span::styled(
        format!(" {} ", safe(&detail.contact.name)),
        theme.title(),
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let wide = inner.width >= 70;
    let (facts_area, timeline_area) = if wide {
        let [a, b] = Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
            .spacing(1)
            .areas(inner);
        (a, Some(b))
    } else {
        (inner, None)
    };
    let mut lines = facts(detail, app);
    if timeline_area.is_none() {
        lines.push(Line::from(Span::styled("Timeline", theme.header_row())));
        lines.extend(timeline(detail, app, inner.width as usize));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), facts_area);
    if let Some(area) = timeline_area {
        let mut lines = vec![Line::from(Span::styled("Timeline", theme.header_row()))];
        lines.extend(timeline(detail, app, area.width as usize));
        frame.render_widget(Paragraph::new(lines), area);
    }
}

fn label(text: &str, theme: &Theme) -> Span<'static> {
    Span::styled(format!("{} ", text), theme.key())
}

fn facts(d: &Detail, app: &App) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let currency = &app.config.currency;
    let c = &d.contact;
    let mut lines = Vec::new();
    let mut who: Vec<String> = [&c.company, &c.email, &c.phone]
        .into_iter()
        .flatten()
        .map(|v| safe(v))
        .collect();
    if !c.tags.is_empty() {
        who.push(format!(
            "#{}",
            c.tags
                .iter()
                .map(|t| safe(t))
                .collect::<Vec<_>>()
                .join(" #")
        ));
    }
    lines.push(Line::from(if who.is_empty() {
        NONE.to_string()
    } else {
        who.join(" · ")
    }));
    // What the line above leaves out: the other emails and phones, birthday, title, address, url.
    for (name, value) in d.card.detail_lines() {
        if !matches!(name, "Company" | "Email" | "Phone") {
            lines.push(Line::from(vec![
                label(name, theme),
                Span::raw(safe(&value)),
            ]));
        }
    }
    // Near the top: a duplicate is worth fixing before reading the scores it splits.
    lines.extend(duplicates(d, app));
    let Some(s) = &d.scores else {
        lines.push(Line::from(Span::styled("Not scored yet.", theme.dim())));
        lines.push(Line::from(format!(
            "{}, {}, {} {} spent",
            plural(d.totals.interactions, "entry", "entries"),
            plural(d.totals.purchases, "purchase", "purchases"),
            format_amount(d.totals.total_spent, false),
            currency
        )));
        lines.push(planned(d, app));
        push_note(&mut lines, d, theme);
        return lines;
    };
    let segment = s
        .segment_name
        .as_deref()
        .map(safe)
        .unwrap_or_else(|| NONE.into());
    lines.push(Line::from(vec![
        label("Stage", theme),
        Span::styled(s.stage.label(), theme.stage(s.stage)),
        Span::raw(format!(" · segment {}", segment)),
    ]));
    let source = match s.churn_source {
        ChurnSource::Model => "model",
        ChurnSource::Rule => "rule",
    };
    let reasons: Vec<String> = s.churn_reasons.iter().map(|r| safe(&r.text)).collect();
    let reasons = if reasons.is_empty() {
        String::new()
    } else {
        format!(": {}", reasons.join("; "))
    };
    lines.push(Line::from(vec![
        label("Churn", theme),
        Span::styled(
            format::opt_percent(s.churn_probability),
            theme.churn(s.churn_probability.unwrap_or(0.0)),
        ),
        Span::raw(format!(" ({}){}", source, reasons)),
    ]));
    lines.push(Line::from(vec![
        label("CLV", theme),
        Span::raw(format!(
            "{} {}: {} spent over {}, last {}",
            format::major(s.clv),
            currency,
            format_amount(s.monetary, false),
            crate::domain::text::plural(s.frequency, "purchase day", "purchase days"),
            format::days(s.recency_days)
        )),
        Span::raw(
            s.usual_interval_days
                .map(|i| format!(" ago, usually every {:.0}d", i))
                .unwrap_or_else(|| {
                    if s.recency_days.is_some() {
                        " ago".into()
                    } else {
                        String::new()
                    }
                }),
        ),
    ]));
    let satisfaction = match s.satisfaction {
        Some(v) => format!(
            "{} from {}",
            format::percent(v),
            plural(
                d.totals.feedback_entries,
                "feedback entry",
                "feedback entries"
            )
        ),
        None => "— (no feedback yet)".into(),
    };
    lines.push(Line::from(vec![
        label("Satisfaction", theme),
        Span::raw(satisfaction),
        Span::raw(" · "),
        label("Loyalty", theme),
        Span::raw(format!(
            "{} ({} referrals)",
            format::percent(s.loyalty),
            d.referrals
        )),
    ]));
    let actions = if s.actions.is_empty() {
        NONE.to_string()
    } else {
        s.actions
            .iter()
            .map(|a| safe(a))
            .collect::<Vec<_>>()
            .join(", ")
    };
    lines.push(Line::from(vec![label("Do", theme), Span::raw(actions)]));
    lines.push(Line::from(vec![
        label("Offer", theme),
        Span::raw(
            s.next_offer
                .as_deref()
                .map(safe)
                .unwrap_or_else(|| NONE.into()),
        ),
    ]));
    let similar = match &d.similar {
        None => "…".to_string(),
        Some(list) if list.is_empty() => NONE.to_string(),
        Some(list) => list
            .iter()
            .map(|(name, sim)| format!("{} {:.2}", safe(name), sim))
            .collect::<Vec<_>>()
            .join(", "),
    };
    lines.push(Line::from(vec![
        label("Similar", theme),
        Span::raw(similar),
    ]));
    lines.push(planned(d, app));
    push_note(&mut lines, d, theme);
    lines
}

/// `Duplicate Ana R. (#7): same email ana@x.com · D merges`: shown only when there are some.
fn duplicates(d: &Detail, app: &App) -> Option<Line<'static>> {
    let list = d.duplicates.as_ref().filter(|l| !l.is_empty())?;
    let theme = &app.theme;
    let found = list
        .iter()
        .map(|x| {
            format!(
                "{} (#{}): {}",
                safe(&x.name),
                x.id,
                safe(&x.reasons.join("; "))
            )
        })
        .collect::<Vec<_>>()
        .join(" · ");
    Some(Line::from(vec![
        Span::styled("Duplicate ", theme.error()),
        Span::raw(found),
        Span::styled(
            format!(
                " · {} merges",
                app.keymap
                    .keys_of(crate::tui::action::Action::MergeDuplicate)
            ),
            theme.dim(),
        ),
    ]))
}

/// `Planned 2026-11-27 send the quote · 2026-12-01 14:00 monthly check-in ↻ 1m`, or how to plan.
fn planned(d: &Detail, app: &App) -> Line<'static> {
    let theme = &app.theme;
    if d.follow_ups.is_empty() {
        return Line::from(vec![
            label("Planned", theme),
            Span::styled(
                format!(
                    "nothing ({} plans a follow-up)",
                    app.keymap.keys_of(crate::tui::action::Action::AddFollowUp)
                ),
                theme.dim(),
            ),
        ]);
    }
    let mut spans = vec![label("Planned", theme)];
    for (i, f) in d.follow_ups.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" · "));
        }
        let late = f.due.date < app.today;
        spans.push(Span::styled(
            f.due.to_string(),
            if late { theme.error() } else { theme.key() },
        ));
        let repeat = f
            .every
            .map_or(String::new(), |e| format!(" ↻ {}", e.to_text()));
        spans.push(Span::raw(format!(" {}{}", safe(&f.text), repeat)));
    }
    Line::from(spans)
}

fn push_note(lines: &mut Vec<Line<'static>>, d: &Detail, theme: &Theme) {
    if let Some(note) = d.contact.note.as_deref().filter(|n| !n.trim().is_empty()) {
        lines.push(Line::from(vec![
            label("Note", theme),
            Span::raw(safe(note)),
        ]));
    }
}

fn timeline(d: &Detail, app: &App, width: usize) -> Vec<Line<'static>> {
    if d.timeline.is_empty() {
        return vec![Line::from(Span::styled(
            "Nothing logged yet.",
            app.theme.dim(),
        ))];
    }
    d.timeline
        .iter()
        .map(|row| {
            let i = &row.interaction;
            let head = format!(
                "{} {} ",
                pad(&i.occurred_at.date().to_string(), 10),
                pad(i.kind.as_str(), 8)
            );
            let rest = width.saturating_sub(head.chars().count());
            Line::from(vec![
                Span::styled(head, app.theme.dim()),
                Span::raw(clip(&format::what(i, &app.config.currency), rest)),
            ])
        })
        .collect()
}
