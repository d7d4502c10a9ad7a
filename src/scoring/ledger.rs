//! The action ledger's pure parts: which logged touches count as acting on a recommended action,
//! which suggestions are held back, and the rates of the report with their intervals.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::beta::jeffreys_interval_90;
use super::stats::mix;
use crate::domain::{ContactId, InteractionKind};

/// The kinds of logged touch that count as acting on `action`, from keywords in its text
/// (any that match add their kind): "call" → call; "meeting", "visit", "lunch" → meeting;
/// "email", "message", "send", "survey", "newsletter" → email. An action naming none of them
/// ("VIP treatment", "retention discount") is acted on by any call, email or meeting.
pub fn acting_kinds(action: &str) -> Vec<InteractionKind> {
    const KEYWORDS: [(InteractionKind, &[&str]); 3] = [
        (InteractionKind::Call, &["call"]),
        (InteractionKind::Meeting, &["meeting", "visit", "lunch"]),
        (
            InteractionKind::Email,
            &["email", "message", "send", "survey", "newsletter"],
        ),
    ];
    let text = action.to_lowercase();
    let kinds: Vec<InteractionKind> = KEYWORDS
        .iter()
        .filter(|(_, words)| words.iter().any(|w| text.contains(w)))
        .map(|(kind, _)| *kind)
        .collect();
    if kinds.is_empty() {
        KEYWORDS.iter().map(|(kind, _)| *kind).collect()
    } else {
        kinds
    }
}

/// Whether the suggestion episode of `action` for `contact` starting on `start` is held back.
/// A hash, not a random draw, so the same inputs always decide the same way: a second run, the
/// workspace and the CLI agree without asking each other.
pub fn held_back(contact: ContactId, action: &str, start: NaiveDate, share: f64) -> bool {
    if share <= 0.0 {
        return false;
    }
    // FNV-1a of the text, then splitmix64 over it with the contact and the day.
    let text = action.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let day = i64::from(start.num_days_from_ce());
    let hash = mix(mix(contact) as i64 ^ text as i64 ^ day);
    let uniform = (hash >> 11) as f64 / (1u64 << 53) as f64;
    uniform < share
}

/// One recorded suggestion and what followed it, as the store reads it at report time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestionOutcome {
    pub action: String,
    /// False: held back (recorded, not shown).
    pub shown: bool,
    /// A matching touch was logged within the outcome window.
    pub acted: bool,
    /// A purchase was logged within the outcome window.
    pub came_back: bool,
    /// The window has fully passed, or the client already came back: the outcome is known.
    pub decided: bool,
}

/// `count` of `of`, with the 90 % interval of its Jeffreys posterior (None when `of` is 0).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rate {
    pub count: u64,
    pub of: u64,
    pub rate: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

impl Rate {
    pub fn new(count: u64, of: u64) -> Rate {
        let interval = jeffreys_interval_90(count, of);
        Rate {
            count,
            of,
            rate: (of > 0).then(|| count as f64 / of as f64),
            low: interval.map(|i| i.0),
            high: interval.map(|i| i.1),
        }
    }
}

/// The report's figures for one action (or for all of them). Rates count decided suggestions only.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionOutcomes {
    pub action: String,
    /// Suggestions shown, decided or not.
    pub shown: u64,
    /// Suggestions held back, decided or not.
    pub held_back: u64,
    /// Suggestions (shown or held back) whose window is still running: not in any rate yet.
    pub open: u64,
    /// Decided shown suggestions that were acted on.
    pub acted: Rate,
    pub came_back_acted: Rate,
    pub came_back_not_acted: Rate,
    pub came_back_shown: Rate,
    pub came_back_held_back: Rate,
}

/// Tallies the suggestions of one action (or any set of them) under `label`.
pub fn tally<'a>(
    label: &str,
    outcomes: impl IntoIterator<Item = &'a SuggestionOutcome>,
) -> ActionOutcomes {
    let (mut shown, mut held_back, mut open) = (0, 0, 0);
    // [count, of] per rate.
    let (mut acted, mut back_acted, mut back_not_acted, mut back_shown, mut back_held) =
        ([0; 2], [0; 2], [0; 2], [0; 2], [0; 2]);
    let add = |rate: &mut [u64; 2], hit: bool| {
        rate[0] += u64::from(hit);
        rate[1] += 1;
    };
    for o in outcomes {
        if o.shown {
            shown += 1;
        } else {
            held_back += 1;
        }
        if !o.decided {
            open += 1;
            continue;
        }
        if o.shown {
            add(&mut acted, o.acted);
            add(&mut back_shown, o.came_back);
            add(
                if o.acted {
                    &mut back_acted
                } else {
                    &mut back_not_acted
                },
                o.came_back,
            );
        } else {
            add(&mut back_held, o.came_back);
        }
    }
    let rate = |r: [u64; 2]| Rate::new(r[0], r[1]);
    ActionOutcomes {
        action: label.to_string(),
        shown,
        held_back,
        open,
        acted: rate(acted),
        came_back_acted: rate(back_acted),
        came_back_not_acted: rate(back_not_acted),
        came_back_shown: rate(back_shown),
        came_back_held_back: rate(back_held),
    }
}

/// One entry per action, the most often suggested first.
pub fn by_action(outcomes: &[SuggestionOutcome]) -> Vec<ActionOutcomes> {
    let mut actions: Vec<&str> = outcomes.iter().map(|o| o.action.as_str()).collect();
    actions.sort_unstable();
    actions.dedup();
    let mut report: Vec<ActionOutcomes> = actions
        .into_iter()
        .map(|action| tally(action, outcomes.iter().filter(|o| o.action == action)))
        .collect();
    report.sort_by(|a, b| {
        (b.shown + b.held_back)
            .cmp(&(a.shown + a.held_back))
            .then_with(|| a.action.cmp(&b.action))
    });
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use InteractionKind::*;

    #[test]
    fn action_text_maps_to_the_kinds_that_act_on_it() {
        assert_eq!(acting_kinds("win-back call"), vec![Call]);
        assert_eq!(acting_kinds("Welcome message"), vec![Email]);
        assert_eq!(acting_kinds("exit survey"), vec![Email]);
        assert_eq!(acting_kinds("lunch visit"), vec![Meeting]);
        assert_eq!(acting_kinds("call, then send the deck"), vec![Call, Email]);
        assert_eq!(
            acting_kinds("retention discount"),
            vec![Call, Meeting, Email]
        );
    }

    #[test]
    fn hold_back_is_deterministic_and_near_its_share() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert!(!held_back(1, "win-back call", day, 0.0));
        let held = |share| {
            (0..10_000)
                .filter(|id| held_back(*id, "win-back call", day, share))
                .count()
        };
        assert_eq!(held(0.2), held(0.2));
        assert!((1_850..2_150).contains(&held(0.2)), "{}", held(0.2));
        // Another day or action is a fresh draw, not the same clients again.
        let other_day = day.succ_opt().unwrap();
        let same = (0..10_000)
            .filter(|id| {
                held_back(*id, "win-back call", day, 0.5)
                    == held_back(*id, "win-back call", other_day, 0.5)
            })
            .count();
        assert!((4_700..5_300).contains(&same), "{same}");
    }

    #[test]
    fn rates_count_decided_suggestions_only() {
        let o = |shown, acted, came_back, decided| SuggestionOutcome {
            action: "win-back call".into(),
            shown,
            acted,
            came_back,
            decided,
        };
        let report = by_action(&[
            o(true, true, true, true),
            o(true, true, false, true),
            o(true, false, false, true),
            o(true, false, false, false),
            o(false, false, true, true),
            o(false, false, false, false),
        ]);
        let r = &report[0];
        assert_eq!((r.shown, r.held_back, r.open), (4, 2, 2));
        assert_eq!((r.acted.count, r.acted.of), (2, 3));
        assert_eq!((r.came_back_acted.count, r.came_back_acted.of), (1, 2));
        assert_eq!(
            (r.came_back_not_acted.count, r.came_back_not_acted.of),
            (0, 1)
        );
        assert_eq!((r.came_back_shown.count, r.came_back_shown.of), (1, 3));
        assert_eq!(
            (r.came_back_held_back.count, r.came_back_held_back.of),
            (1, 1)
        );
        assert_eq!(Rate::new(0, 0).rate, None);
    }
}
