//! `score`, `list at-risk`, `list segments`, `export scores`, and the scores part of `show`.

use std::io::Write;

use serde_json::{json, Value};

use super::args::ScoreArgs;
use super::output::{Cell, Listing};
use super::Context;
use crate::domain::scores::{churn_figure, percent};
use crate::domain::text::{plural, printable};
use crate::domain::{money, ChurnSource, Scores};
use crate::scoring::calibration::Calibration;
use crate::scoring::{self, Models};
use crate::store::export::{ExportFormat, JsonType, RecordSink};
use crate::store::Store;

pub fn score(ctx: &Context, args: ScoreArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut store = ctx.open()?;
    let report = if args.refit {
        store.refit(ctx.today)?
    } else {
        store.rescore_all(ctx.today)?
    };
    writeln!(
        out,
        "Scored {} as of {} in {:.2} s{}.",
        plural(report.contacts as i64, "contact", "contacts"),
        ctx.today,
        report.elapsed.as_secs_f64(),
        if report.refitted {
            " (models refitted)"
        } else {
            " (stored models)"
        }
    )?;
    writeln!(out, "{}", describe_models(&report.models))?;
    if let Some(months) = args.backfill {
        let written = store.backfill_months(months, ctx.today)?;
        match (written.first(), written.last()) {
            (Some(first), Some(last)) => writeln!(
                out,
                "Recomputed the overview's score figures of {} ({} to {}) as of each month's last day.",
                plural(written.len() as i64, "month", "months"),
                first.label(),
                last.label()
            )?,
            _ => writeln!(
                out,
                "No month to recompute: Rapport recorded every month asked for, or it was asked for none."
            )?,
        }
    }
    Ok(())
}

/// One line on the models in use and how good they are.
pub fn describe_models(models: &Models) -> String {
    let q = &models.quality;
    let churn = match q.churn_source {
        ChurnSource::Model => format!(
            "churn: logistic model on {} clients, hold-out AUC {} (days-since-purchase baseline {}), {}",
            q.churn_training_size,
            q.churn_auc.map_or("n/a".into(), |a| format!("{:.3}", a)),
            q.churn_baseline_auc.map_or("n/a".into(), |a| format!("{:.3}", a)),
            calibration_text(q.churn_calibration.as_ref()),
        ),
        ChurnSource::Rule => format!("churn: stated rule ({})", q.churn_note),
    };
    let segments = format!(
        "segments: k = {}, silhouette {}",
        q.k,
        q.silhouette.map_or("n/a".into(), |s| format!("{:.2}", s))
    );
    format!(
        "Models v{} fitted as of {}; {}; clients usually buy every {:.0} days; {}.",
        models.version, models.fitted_as_of, churn, q.typical_interval_days, segments
    )
}

/// `calibration: predicted 43% vs 41% observed (error 0.03)` on held-out clients.
pub fn calibration_text(c: Option<&Calibration>) -> String {
    match c {
        Some(c) => format!(
            "calibration on {} held-out clients: predicted {} vs {} observed (error {:.2})",
            c.clients,
            percent(c.mean_predicted),
            percent(c.observed_rate),
            c.error
        ),
        None => "calibration n/a".to_string(),
    }
}

/// Scores are brought up to date (refit when due) before anything shows them.
pub fn fresh_store(ctx: &Context) -> anyhow::Result<Store> {
    let mut store = ctx.open()?;
    store.refit_if_due(ctx.today)?;
    Ok(store)
}

/// `94d (usually 30d)` — days since the last purchase against the client's own rhythm.
pub fn recency_text(s: &Scores) -> String {
    match (s.recency_days, s.usual_interval_days) {
        (Some(days), Some(usual)) => format!("{}d (usually {:.0}d)", days, usual),
        (Some(days), None) => format!("{}d (one purchase)", days),
        (None, _) => "never bought".into(),
    }
}

/// A lead's churn cell is empty in CSV and null in JSON: they have nothing to lapse from.
fn churn_cell(s: &Scores) -> Cell {
    Cell::number(
        churn_figure(s.churn_probability),
        json!(s.churn_probability),
    )
}

/// Which model produced a churn figure: the fitted regression or the stated rule.
fn source_cell(s: &Scores) -> Cell {
    Cell::text(match s.churn_source {
        ChurnSource::Model => "model",
        ChurnSource::Rule => "rule",
    })
}

fn money_cell(value: f64) -> Cell {
    Cell::number(
        money::format_major(value),
        json!((value * 100.0).round() / 100.0),
    )
}

pub fn at_risk(ctx: &Context, limit: Option<usize>) -> anyhow::Result<Listing> {
    let store = fresh_store(ctx)?;
    let mut rows = store.at_risk_contacts(0, limit.unwrap_or(usize::MAX >> 1))?;
    // The list shows each client's first action.
    let shown = rows.iter_mut().filter_map(|r| r.scores.as_mut()).collect();
    super::suggestions::show_through_ledger(ctx, &store, shown, 1)?;
    let mut listing = Listing::new(vec![
        "name",
        "churn",
        "by",
        "last_purchase",
        "clv",
        "value_at_risk",
        "stage",
        "reason",
        "action",
    ]);
    for row in rows {
        let Some(s) = row.scores else { continue };
        let reasons: Vec<&str> = s
            .churn_reasons
            .iter()
            .take(2)
            .map(|r| r.text.as_str())
            .collect();
        let reason = Some(reasons.join("; ")).filter(|r| !r.is_empty());
        listing.rows.push(vec![
            Cell::text(row.contact.name),
            churn_cell(&s),
            source_cell(&s),
            Cell::number(recency_text(&s), json!(s.recency_days)),
            money_cell(s.clv),
            money_cell(s.clv * s.churn_probability.unwrap_or(0.0)),
            Cell::text(s.stage.label()),
            Cell::opt(reason),
            Cell::opt(s.actions.first().cloned()),
        ]);
    }
    Ok(listing)
}

pub fn segments(ctx: &Context) -> anyhow::Result<Listing> {
    let store = fresh_store(ctx)?;
    let mut listing = Listing::new(vec![
        "segment",
        "size",
        "avg_recency_days",
        "avg_frequency",
        "avg_spend",
        "revenue_share",
        "wants",
    ]);
    let Some(models) = store.models()? else {
        return Ok(listing);
    };
    for seg in scoring::summarise_segments(&store.score_points()?, &models) {
        listing.rows.push(vec![
            Cell::text(seg.name),
            Cell::int(seg.size as i64),
            Cell::number(
                format!("{:.0}", seg.avg_recency_days),
                json!(seg.avg_recency_days),
            ),
            Cell::number(
                format!("{:.1}", seg.avg_frequency),
                json!(seg.avg_frequency),
            ),
            Cell::number(
                money::format_amount(seg.avg_monetary, false),
                json!(money::minor_to_decimal(seg.avg_monetary)),
            ),
            Cell::number(percent(seg.revenue_share), json!(seg.revenue_share)),
            Cell::text(seg.wants),
        ]);
    }
    Ok(listing)
}

pub fn export_scores(
    ctx: &Context,
    format: ExportFormat,
    sink: &mut dyn Write,
) -> anyhow::Result<()> {
    use JsonType::*;
    let store = fresh_store(ctx)?;
    let header = [
        "contact_id",
        "external_id",
        "name",
        "stage",
        "segment",
        "churn_probability",
        "clv",
        "satisfaction",
        "loyalty",
        "recency_days",
        "frequency",
        "monetary",
        "scored_as_of",
    ];
    let types = [
        Integer, Text, Text, Text, Text, Number, Number, Number, Number, Integer, Integer, Number,
        Text,
    ];
    let mut out = RecordSink::new(format, sink, header.map(String::from).to_vec())?;
    let page = 1000;
    let mut offset = 0;
    loop {
        let rows = store.scored_contacts(None, crate::store::ScoredSort::Id, offset, page)?;
        for row in &rows {
            let Some(s) = &row.scores else { continue };
            let c = &row.contact;
            let number = |v: f64| Some(format!("{:.6}", v));
            out.record(
                &[
                    Some(c.id.to_string()),
                    c.external_id.clone(),
                    Some(c.name.clone()),
                    Some(s.stage.label().to_string()),
                    s.segment_name.clone(),
                    s.churn_probability.and_then(number),
                    Some(format!("{:.2}", s.clv)),
                    s.satisfaction.and_then(number),
                    number(s.loyalty),
                    s.recency_days.map(|d| d.to_string()),
                    Some(s.frequency.to_string()),
                    Some(money::minor_to_decimal(s.monetary)),
                    Some(s.as_of.to_string()),
                ],
                &types,
            )?;
        }
        if rows.len() < page {
            break;
        }
        offset += page;
    }
    out.finish()?;
    Ok(())
}

/// The scores part of `show`: every score with its reason, stage, actions, offer and similar clients.
pub fn write_scores(
    out: &mut dyn Write,
    store: &Store,
    s: &Scores,
    ctx: &Context,
) -> anyhow::Result<()> {
    let source = match s.churn_source {
        ChurnSource::Model => "logistic model",
        ChurnSource::Rule => "stated rule: too little history for a model",
    };
    writeln!(
        out,
        "Scores (as of {}, models v{}):",
        s.as_of, s.model_version
    )?;
    writeln!(out, "  Stage        {} — {}", s.stage, s.actions.join(", "))?;
    match (s.churn_probability, s.churn_window_days) {
        (Some(p), Some(days)) => writeln!(
            out,
            "  Churn        {} chance of no purchase within {} days, their own window ({})",
            percent(p),
            days,
            source
        )?,
        _ => writeln!(
            out,
            "  Churn        — (a lead: nothing bought yet to lapse from)"
        )?,
    }
    for reason in s.churn_reasons.iter().take(3) {
        writeln!(
            out,
            "               {} {}",
            // A lead's cadence and the base-rate reason carry no weight: neither up nor down.
            match reason.weight {
                w if w > 0.0 => "▲",
                w if w < 0.0 => "▼",
                _ => "·",
            },
            printable(&reason.text)
        )?;
    }
    writeln!(
        out,
        "  CLV          {} {} over {} years at {:.0}% discount",
        money::format_major(s.clv),
        ctx.config.currency,
        ctx.config.clv.horizon_years,
        ctx.config.clv.discount_rate * 100.0
    )?;
    let satisfaction = s
        .satisfaction
        .map_or("no feedback yet".to_string(), |v| format!("{:.2}", v));
    writeln!(out, "  Satisfaction {}", satisfaction)?;
    writeln!(out, "  Loyalty      {:.2}", s.loyalty)?;
    writeln!(
        out,
        "  Segment      {}",
        s.segment_name
            .as_deref()
            .unwrap_or("none (no purchase yet)")
    )?;
    writeln!(out, "  Last bought  {}", recency_text(s))?;
    if let Some(offer) = &s.next_offer {
        writeln!(out, "  Next offer   {}", printable(offer))?;
    }
    let similar = store.similar_clients(s.contact_id, 3)?;
    if !similar.is_empty() {
        let names: Vec<String> = similar
            .iter()
            .map(|(name, sim)| format!("{} ({:.2})", printable(name), sim))
            .collect();
        writeln!(out, "  Similar      {}", names.join(", "))?;
    }
    Ok(())
}

/// The JSON form of the scores part of `show`.
pub fn scores_json(store: &Store, s: &Scores) -> anyhow::Result<Value> {
    let similar: Vec<Value> = store
        .similar_clients(s.contact_id, 3)?
        .into_iter()
        .map(|(name, sim)| json!({"name": name, "similarity": sim}))
        .collect();
    Ok(json!({ "scores": s, "similar_clients": similar }))
}
