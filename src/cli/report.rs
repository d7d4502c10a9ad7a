//! `report actions`: did the recommended actions work? Per action, how often it was shown, acted
//! on, and how often clients came back — with intervals, and with the caveat that only held-back
//! suggestions make an experiment.

use std::io::Write;

use serde_json::json;

use super::args::{ReportArgs, ReportFormat};
use super::Context;
use crate::domain::scores::percent;
use crate::domain::text::printable;
use crate::domain::InteractionKind;
use crate::scoring::ledger::{acting_kinds, by_action, tally, ActionOutcomes, Rate};

pub fn actions(ctx: &Context, args: ReportArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let store = ctx.open()?;
    let outcomes = store.suggestion_outcomes(ctx.today)?;
    let per_action = by_action(&outcomes);
    let all = tally("all actions", &outcomes);
    let settings = &ctx.config.actions;
    let caveats = caveats(settings.holdback_share);
    if args.format == ReportFormat::Json {
        let value = json!({
            "as_of": ctx.today,
            "outcome_window_days": settings.outcome_window_days,
            "holdback_share": settings.holdback_share,
            "actions": per_action,
            "all": all,
            "caveats": caveats,
        });
        serde_json::to_writer_pretty(&mut *out, &value)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "Did the suggestions work? Recommended actions as of {}, outcome window {} days.",
        ctx.today, settings.outcome_window_days
    )?;
    if outcomes.is_empty() {
        writeln!(
            out,
            "No suggestions recorded yet: Rapport records the actions it shows in `list at-risk`, `show` and the workspace."
        )?;
    }
    for action in &per_action {
        writeln!(out)?;
        write_action(out, action)?;
    }
    if per_action.len() > 1 {
        writeln!(out)?;
        write_action(out, &all)?;
    }
    writeln!(out)?;
    for caveat in caveats {
        for line in wrap(&caveat, 92) {
            writeln!(out, "{}", line)?;
        }
    }
    Ok(())
}

fn write_action(out: &mut dyn Write, a: &ActionOutcomes) -> anyhow::Result<()> {
    let mut head = format!(
        "{}: {} shown, {} held back",
        printable(&a.action),
        a.shown,
        a.held_back
    );
    if a.open > 0 {
        head.push_str(&format!(
            "; {} still open (window not over), not counted yet",
            a.open
        ));
    }
    writeln!(out, "{}", head)?;
    let acted = if a.action == "all actions" {
        "acted on (a matching touch)".to_string()
    } else {
        format!("acted on ({})", touch_words(&a.action))
    };
    let lines = [
        (acted.as_str(), &a.acted),
        ("came back after acting", &a.came_back_acted),
        ("came back, not acted on", &a.came_back_not_acted),
        ("came back, all shown", &a.came_back_shown),
        ("came back, held back", &a.came_back_held_back),
    ];
    for (label, rate) in lines {
        writeln!(out, "  {:<36} {}", label, rate_text(rate))?;
    }
    Ok(())
}

/// `a call`, `an email`, `a call, email or meeting` — what counts as acting on the action.
fn touch_words(action: &str) -> String {
    let kinds: Vec<&str> = acting_kinds(action)
        .into_iter()
        .map(InteractionKind::as_str)
        .collect();
    let article = if kinds[0].starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    match kinds.split_last() {
        Some((last, [])) => format!("{} {}", article, last),
        Some((last, rest)) => format!("{} {} or {}", article, rest.join(", "), last),
        None => String::new(),
    }
}

/// `3 of 10   30%  (90%: 12–55%)`, or a dash when nothing is decided yet.
fn rate_text(r: &Rate) -> String {
    match (r.rate, r.low, r.high) {
        (Some(rate), Some(low), Some(high)) => format!(
            "{:>4} of {:<4} {:>4}  (90%: {}–{})",
            r.count,
            r.of,
            percent(rate),
            percent(low),
            percent(high)
        ),
        _ => "   —  none decided yet".into(),
    }
}

/// The honesty caveat, in plain words.
fn caveats(holdback_share: f64) -> Vec<String> {
    let mut lines = vec![
        "Acted-on clients are self-selected (you chose whom to contact, and they chose to answer), so the difference between acted on and not acted on is not the effect of acting.".to_string(),
    ];
    lines.push(if holdback_share > 0.0 {
        format!(
            "Only all shown against held back is an experiment: {} of new suggestions are held back (actions.holdback_share = {}), chosen by a hash, not by anyone's judgement.",
            percent(holdback_share),
            holdback_share
        )
    } else {
        "Only a comparison with held-back suggestions would be an experiment, and none are held back now (actions.holdback_share = 0); set it to e.g. 0.2 to hold back a fifth.".to_string()
    });
    lines
}

/// Words of `text` in lines of at most `width` columns (a long word gets a line of its own).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}
