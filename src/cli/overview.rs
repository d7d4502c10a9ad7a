//! `rapport report` (the business by period) and `rapport report segments` (who moved).

use std::io::Write;

use anyhow::anyhow;
use serde_json::{json, Value};

use super::args::{ListFormat, PeriodArgs, PeriodChoice};
use super::output::{Cell, Listing};
use super::Context;
use crate::domain::dates::parse_date;
use crate::domain::money::{format_amount, format_major, minor_to_decimal};
use crate::domain::period::{Period, PeriodKind};
use crate::domain::scores::percent;
use crate::scoring::overview::{arrow, changes, period_moves, Change, PeriodFigures};
use crate::store::Store;

/// Periods a report covers when `--from` is not given: this one and the 11 before it.
const DEFAULT_PERIODS: u32 = 12;

pub fn report(ctx: &Context, args: &PeriodArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let store = ctx.open()?;
    let Some(shown) = periods_asked(&store, args, ctx)? else {
        return nothing_sold(out);
    };
    let mut asked = vec![shown[0].previous()];
    asked.extend(&shown);
    let all = store.overview(&asked, &ctx.config.feedback)?;
    match args.format {
        ListFormat::Json => {
            let periods: Vec<Value> = all
                .windows(2)
                .map(|pair| with_changes(&pair[1], &pair[0]))
                .collect::<anyhow::Result<_>>()?;
            let value = json!({
                "period": kind_of(args.period),
                "currency": ctx.config.currency,
                "amounts_in": "minor units (cents)",
                "periods": periods,
            });
            serde_json::to_writer_pretty(&mut *out, &value)?;
            writeln!(out)?;
        }
        format => {
            figures_listing(&all).print(format, out)?;
            if format == ListFormat::Table {
                let (before, now) = (&all[all.len() - 2], &all[all.len() - 1]);
                write_latest(out, now, before, &ctx.config.currency, ctx.today)?;
            }
        }
    }
    Ok(())
}

pub fn segments(ctx: &Context, args: &PeriodArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let store = ctx.open()?;
    let Some(shown) = periods_asked(&store, args, ctx)? else {
        return nothing_sold(out);
    };
    let until = shown[shown.len() - 1].end_exclusive();
    let moves = period_moves(&shown, &store.score_moves(until)?);
    let models = store.models()?;
    let segment = |id: Option<i64>| -> String {
        let Some(id) = id else {
            return "—".into();
        };
        models
            .as_ref()
            .and_then(|m| m.segments.by_id(id))
            .map_or_else(|| format!("segment {id}"), |s| s.name.clone())
    };
    let mut listing = Listing::new(vec!["period", "what", "from", "to", "clients"]);
    for m in &moves {
        for (from, to, n) in &m.stages {
            listing.rows.push(vec![
                Cell::text(m.period.label()),
                Cell::text("stage"),
                Cell::text(from.map_or("(first scored)", |s| s.label())),
                Cell::text(to.label()),
                Cell::int(i64::from(*n)),
            ]);
        }
        for (from, to, n) in &m.segments {
            listing.rows.push(vec![
                Cell::text(m.period.label()),
                Cell::text("segment"),
                Cell::text(segment(*from)),
                Cell::text(segment(*to)),
                Cell::int(i64::from(*n)),
            ]);
        }
    }
    if listing.rows.is_empty() && args.format == ListFormat::Table {
        writeln!(
            out,
            "No client moved between stages or segments from {} to {} (Rapport logs moves as it scores).",
            shown[0].start,
            shown[shown.len() - 1].last_day()
        )?;
        return Ok(());
    }
    listing.print(args.format, out)
}

fn nothing_sold(out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(
        out,
        "Nothing sold yet: the overview starts with the first purchase (`rapport log purchase`)."
    )?;
    Ok(())
}

fn kind_of(choice: PeriodChoice) -> PeriodKind {
    match choice {
        PeriodChoice::Month => PeriodKind::Month,
        PeriodChoice::Quarter => PeriodKind::Quarter,
        PeriodChoice::Year => PeriodKind::Year,
    }
}

/// The periods `--from`/`--to` ask for (default: the last 12, none before the first sale); None
/// when nothing was ever sold.
fn periods_asked(
    store: &Store,
    args: &PeriodArgs,
    ctx: &Context,
) -> anyhow::Result<Option<Vec<Period>>> {
    let kind = kind_of(args.period);
    let day = |flag: &str, text: &Option<String>| -> anyhow::Result<Option<chrono::NaiveDate>> {
        text.as_deref()
            .map(|t| parse_date(t, ctx.today).map_err(|e| anyhow!("{flag}: {e}")))
            .transpose()
    };
    let to = day("--to", &args.to)?.unwrap_or(ctx.today);
    let from = day("--from", &args.from)?;
    if let Some(from) = from.filter(|f| *f > to) {
        return Err(anyhow!("--from {from} is after --to {to}"));
    }
    let Some(first_sale) = store.first_sale()? else {
        return Ok(None);
    };
    let from = from.unwrap_or_else(|| {
        let mut start = Period::containing(kind, to);
        for _ in 1..DEFAULT_PERIODS {
            start = start.previous();
        }
        // From the first sale on, but always the period asked for (zeros before any sale).
        start
            .start
            .max(Period::containing(kind, first_sale).start)
            .min(Period::containing(kind, to).start)
    });
    let periods = Period::range(kind, from, to);
    Ok((!periods.is_empty()).then_some(periods))
}

fn money(minor: Option<i64>) -> Cell {
    match minor {
        Some(m) => Cell::number(format_amount(m, false), json!(minor_to_decimal(m))),
        None => Cell::number("—", Value::Null),
    }
}

/// An estimate (CLV, value at risk) in whole units: its cents would be false precision.
fn estimate(minor: Option<i64>) -> Cell {
    match minor {
        Some(m) => Cell::number(format_major(m as f64 / 100.0), json!(minor_to_decimal(m))),
        None => Cell::number("—", Value::Null),
    }
}

fn share(value: Option<f64>) -> Cell {
    match value {
        Some(v) => Cell::number(percent(v), json!(v)),
        None => Cell::number("—", Value::Null),
    }
}

fn count(value: Option<u32>) -> Cell {
    match value {
        Some(n) => Cell::int(i64::from(n)),
        None => Cell::number("—", Value::Null),
    }
}

/// One row a period (the first period asked only backs the second's changes).
fn figures_listing(all: &[PeriodFigures]) -> Listing {
    let mut listing = Listing::new(vec![
        "period",
        "revenue",
        "change",
        "purchases",
        "active",
        "new",
        "retention",
        "churned",
        "satisfaction",
        "value_at_risk",
        "total_clv",
        "top_3_share",
    ]);
    for pair in all.windows(2) {
        let (before, f) = (&pair[0], &pair[1]);
        let revenue_change = changes(f, before)
            .into_iter()
            .find(|(k, _)| *k == "revenue")
            .and_then(|(_, c)| c)
            .and_then(|c| c.percent);
        listing.rows.push(vec![
            Cell::text(f.period.label()),
            money(Some(f.revenue)),
            match revenue_change {
                Some(p) => Cell::number(signed_percent(p), json!(p)),
                None => Cell::number("—", Value::Null),
            },
            count(Some(f.purchases)),
            count(Some(f.active_clients)),
            count(Some(f.new_clients)),
            share(f.retention),
            count(f.churned_clients),
            share(f.satisfaction),
            estimate(f.value_at_risk),
            estimate(f.total_clv),
            share(f.concentration.map(|c| c.top_3)),
        ]);
    }
    listing
}

fn signed_percent(p: f64) -> String {
    format!("{}{:.0}%", arrow(p), p.abs())
}

fn with_changes(now: &PeriodFigures, before: &PeriodFigures) -> anyhow::Result<Value> {
    let mut value = serde_json::to_value(now)?;
    let change: serde_json::Map<String, Value> = changes(now, before)
        .into_iter()
        .map(|(k, c)| {
            (
                k.to_string(),
                serde_json::to_value(c).unwrap_or(Value::Null),
            )
        })
        .collect();
    value["change"] = Value::Object(change);
    Ok(value)
}

/// The latest period in words: each figure with its change, concentration and top services.
fn write_latest(
    out: &mut dyn Write,
    now: &PeriodFigures,
    before: &PeriodFigures,
    currency: &str,
    today: chrono::NaiveDate,
) -> anyhow::Result<()> {
    writeln!(out)?;
    writeln!(
        out,
        "{} against {}:",
        now.period.label_so_far(today),
        before.period.label()
    )?;
    for (key, change) in changes(now, before) {
        let text = match change {
            Some(c) => describe_change(key, c, currency),
            None => "no data yet".to_string(),
        };
        writeln!(out, "  {:<16} {}", key.replace('_', " "), text)?;
    }
    if let Some(c) = now.concentration {
        writeln!(
            out,
            "Revenue from the top client {}, the top 3 {}, the top 10 % of clients {}.",
            percent(c.top_1),
            percent(c.top_3),
            percent(c.top_10_percent)
        )?;
    }
    let top: Vec<String> = now
        .services
        .iter()
        .take(5)
        .map(|s| format!("{} {}", s.item, format_amount(s.revenue, false)))
        .collect();
    if !top.is_empty() {
        writeln!(out, "Top services: {}.", top.join(", "))?;
    }
    match now.scores_recomputed {
        Some(true) => writeln!(
            out,
            "Score figures recomputed afterwards (`rapport score --backfill`)."
        )?,
        Some(false) => writeln!(
            out,
            "Score figures as Rapport recorded them at the month's last write."
        )?,
        None => writeln!(
            out,
            "No score figures for this period: Rapport recorded none then."
        )?,
    }
    Ok(())
}

fn describe_change(key: &str, c: Change, currency: &str) -> String {
    let arrow = arrow(c.by);
    let by = match key {
        "revenue" => format!(
            "{} {currency}",
            format_amount(c.by.abs().round() as i64, false)
        ),
        "value_at_risk" | "total_clv" => format!("{} {currency}", format_major(c.by.abs() / 100.0)),
        "retention" | "satisfaction" | "top_1_share" | "top_3_share" => {
            format!("{:.1} points", c.by.abs() * 100.0)
        }
        _ => format!("{}", c.by.abs().round()),
    };
    match c.percent {
        Some(p) => format!("{arrow} {by} ({:.0} %)", p.abs()),
        None => format!("{arrow} {by}"),
    }
}
