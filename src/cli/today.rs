//! `today` — the morning agenda — and `agenda`, the coming days.

use std::io::Write;

use chrono::{Duration, NaiveDate};
use serde_json::{json, Value};

use super::args::{AgendaArgs, ShowFormat, TodayArgs};
use super::scores::{fresh_store, recency_text};
use super::Context;
use crate::domain::money::format_major;
use crate::domain::scores::churn_figure;
use crate::domain::text::{plural, printable};
use crate::domain::Scores;
use crate::store::{BirthdayRow, FollowUpFilter, FollowUpRow, Store, TouchDue};

/// An at-risk client worth a call who has nothing planned yet.
struct Suggestion {
    name: String,
    scores: Scores,
}

/// The most valuable at-risk clients (by value at risk) without an open follow-up, at most `n`,
/// and how many are at risk; the action each is shown goes through the action ledger like every
/// list that shows one.
fn suggestions(ctx: &Context, store: &Store, n: usize) -> anyhow::Result<(Vec<Suggestion>, usize)> {
    let (rows, total) = store.at_risk_unplanned(n)?;
    let mut found: Vec<Suggestion> = rows
        .into_iter()
        .filter_map(|row| {
            row.scores.map(|scores| Suggestion {
                name: row.contact.name,
                scores,
            })
        })
        .collect();
    let shown = found.iter_mut().map(|s| &mut s.scores).collect();
    super::suggestions::show_through_ledger(ctx, store, shown, 1)?;
    Ok((found, total))
}

/// Follow-ups as JSON objects, the same as `follow-up list --format json` gives them.
fn follow_ups_json<'a>(rows: impl IntoIterator<Item = &'a FollowUpRow>) -> Vec<Value> {
    super::follow_up::listing(rows).json_rows()
}

fn touch_json(t: &TouchDue) -> Value {
    json!({
        "contact": t.contact_name,
        "every": t.every.to_text(),
        "source": t.source.to_string(),
        "last_touch": t.last_touch.map(crate::domain::dates::to_storage),
        "due": t.due.to_string(),
    })
}

/// `  Ana Ruiz — every 30d (own); last touch 2026-10-01, due 23 days ago`.
fn touch_line(t: &TouchDue, today: NaiveDate) -> String {
    let last = t.last_touch.map_or("no touch yet".to_string(), |at| {
        format!("last touch {}", at.date())
    });
    let due = match (today - t.due).num_days() {
        0 => "due today".to_string(),
        late => format!("due {} ago", plural(late, "day", "days")),
    };
    format!(
        "  {} — every {} ({}); {}, {}",
        printable(&t.contact_name),
        t.every.to_text(),
        t.source,
        last,
        due
    )
}

/// `  birthday: Ana Ruiz turns 46` (without the year of birth: `  birthday: Ana Ruiz`).
fn birthday_line(b: &BirthdayRow) -> String {
    match b.age {
        Some(age) => format!("  birthday: {} turns {age}", printable(&b.name)),
        None => format!("  birthday: {}", printable(&b.name)),
    }
}

fn birthday_json(b: &BirthdayRow) -> Value {
    json!({ "contact": b.name, "date": b.day.to_string(), "age": b.age })
}

fn suggestion_json(s: &Suggestion) -> Value {
    json!({
        "contact": s.name,
        "churn_probability": s.scores.churn_probability,
        "value_at_risk": (s.scores.clv * s.scores.churn_probability.unwrap_or(0.0) * 100.0).round() / 100.0,
        "reason": s.scores.churn_reasons.first().map(|r| r.text.clone()),
        "action": s.scores.actions.first(),
    })
}

/// `  #12  Ana Ruiz — call about the renewal (due 2026-11-28, 3 days late)`.
fn follow_up_line(row: &FollowUpRow, today: NaiveDate) -> String {
    let f = &row.follow_up;
    let late = (today - f.due.date).num_days();
    let when = match late {
        l if l > 0 => format!("due {}, {} late", f.due, plural(l, "day", "days")),
        0 => match f.due.time {
            Some(t) => format!("at {}", t.format("%H:%M")),
            None => "today".to_string(),
        },
        _ => format!("due {}", f.due),
    };
    let repeat = f
        .every
        .map_or(String::new(), |e| format!(", every {}", e.to_text()));
    format!(
        "  #{:<4} {} — {} ({}{})",
        f.id,
        printable(&row.contact_name),
        printable(&f.text),
        when,
        repeat
    )
}

pub fn today(ctx: &Context, args: TodayArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let store = fresh_store(ctx)?;
    let (overdue_rows, overdue_total) =
        store.follow_ups_counted(&FollowUpFilter::overdue(ctx.today, args.limit))?;
    let (today_rows, today_total) =
        store.follow_ups_counted(&FollowUpFilter::due_on(ctx.today, args.limit))?;
    let overdue: Vec<&FollowUpRow> = overdue_rows.iter().collect();
    let due_today: Vec<&FollowUpRow> = today_rows.iter().collect();
    let mut touches = store.touches_due(ctx.today)?;
    let touches_total = touches.len();
    touches.truncate(args.limit);
    let (suggested, at_risk) = suggestions(ctx, &store, args.suggest)?;
    let birthdays = store.birthdays(ctx.today, ctx.today)?;
    if args.format == ShowFormat::Json {
        let list = |rows: &[&FollowUpRow]| follow_ups_json(rows.iter().copied());
        let doc = json!({
            "date": ctx.today.to_string(),
            "overdue": list(&overdue),
            "overdue_count": overdue_total,
            "today": list(&due_today),
            "today_count": today_total,
            "birthdays": birthdays.iter().map(birthday_json).collect::<Vec<_>>(),
            "stay_in_touch": touches.iter().map(touch_json).collect::<Vec<_>>(),
            "stay_in_touch_count": touches_total,
            "suggested": suggested.iter().map(suggestion_json).collect::<Vec<_>>(),
            "at_risk": at_risk,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(());
    }
    writeln!(out, "Today, {}", ctx.today.format("%A %-d %B %Y"))?;
    let mut section = |title: String, lines: Vec<String>| -> std::io::Result<()> {
        if lines.is_empty() {
            return Ok(());
        }
        writeln!(out)?;
        writeln!(out, "{}", title)?;
        lines.iter().try_for_each(|l| writeln!(out, "{}", l))
    };
    // A long backlog is cut, saying where the rest is.
    let lines = |rows: &[&FollowUpRow], total: usize, more: &str| {
        let mut lines: Vec<String> = rows.iter().map(|r| follow_up_line(r, ctx.today)).collect();
        if total > rows.len() {
            lines.push(format!("  … and {} more ({})", total - rows.len(), more));
        }
        lines
    };
    section(
        format!("Overdue ({})", overdue_total),
        lines(&overdue, overdue_total, "rapport follow-up list --overdue"),
    )?;
    section(
        format!("Due today ({})", today_total),
        lines(&due_today, today_total, "rapport agenda --days 1"),
    )?;
    section(
        format!("Birthdays ({})", birthdays.len()),
        birthdays.iter().map(birthday_line).collect(),
    )?;
    let mut touch_lines: Vec<String> = touches.iter().map(|t| touch_line(t, ctx.today)).collect();
    if touches_total > touches.len() {
        touch_lines.push(format!(
            "  … and {} more (rapport today --limit {})",
            touches_total - touches.len(),
            touches_total
        ));
    }
    section(format!("Stay in touch ({})", touches_total), touch_lines)?;
    section(
        format!(
            "At risk with nothing planned ({} of {} at risk)",
            suggested.len(),
            at_risk
        ),
        suggested
            .iter()
            .map(|s| {
                format!(
                    "  {} — churn {}, {} at risk, last bought {}: {}{}",
                    printable(&s.name),
                    churn_figure(s.scores.churn_probability),
                    format_major(s.scores.clv * s.scores.churn_probability.unwrap_or(0.0)),
                    recency_text(&s.scores),
                    s.scores
                        .churn_reasons
                        .first()
                        .map_or(String::new(), |r| printable(&r.text).into_owned()),
                    s.scores
                        .actions
                        .first()
                        .map_or(String::new(), |a| format!(" → {}", printable(a)))
                )
            })
            .collect(),
    )?;
    if overdue.is_empty() && due_today.is_empty() && touches.is_empty() && suggested.is_empty() {
        writeln!(out, "Nothing due and nobody at risk without a plan.")?;
    } else if overdue.is_empty() && due_today.is_empty() && touches.is_empty() {
        writeln!(out)?;
        writeln!(out, "No follow-up is due today.")?;
    }
    Ok(())
}

pub fn agenda(ctx: &Context, args: AgendaArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let store = ctx.open()?;
    let last = ctx.today + Duration::days(i64::from(args.days.max(1)) - 1);
    let rows = store.follow_ups(&FollowUpFilter {
        due_until: Some(last),
        ..FollowUpFilter::default()
    })?;
    let birthdays = store.birthdays(ctx.today, last)?;
    // Overdue ones belong to today: they are still to do.
    let day_of = |r: &FollowUpRow| r.follow_up.due.date.max(ctx.today);
    if args.format == ShowFormat::Json {
        let mut days: Vec<Value> = Vec::new();
        let mut day = ctx.today;
        while day <= last {
            let items = follow_ups_json(rows.iter().filter(|r| day_of(r) == day));
            let born: Vec<Value> = birthdays
                .iter()
                .filter(|b| b.day == day)
                .map(birthday_json)
                .collect();
            days.push(json!({ "date": day.to_string(), "follow_ups": items, "birthdays": born }));
            day += Duration::days(1);
        }
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&json!({ "days": days }))?
        )?;
        return Ok(());
    }
    if rows.is_empty() && birthdays.is_empty() {
        writeln!(out, "Nothing planned from {} to {}.", ctx.today, last)?;
        return Ok(());
    }
    let mut day = ctx.today;
    while day <= last {
        let items: Vec<&FollowUpRow> = rows.iter().filter(|r| day_of(r) == day).collect();
        let born: Vec<&BirthdayRow> = birthdays.iter().filter(|b| b.day == day).collect();
        if !items.is_empty() || !born.is_empty() {
            writeln!(out, "{}", day.format("%a %Y-%m-%d"))?;
            for b in born {
                writeln!(out, "{}", birthday_line(b))?;
            }
            for r in items {
                writeln!(out, "{}", follow_up_line(r, ctx.today))?;
            }
        }
        day += Duration::days(1);
    }
    Ok(())
}
