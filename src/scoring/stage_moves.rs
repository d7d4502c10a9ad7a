//! A client's stage and segment moves, as the score log records them: the state each client was
//! in at a period's start and end, how many went from where to where, and who became Churned.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::period::Period;
use crate::domain::{ContactId, Stage};

/// A client's stage or segment changing, as the score log recorded it.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    pub day: NaiveDate,
    pub contact: ContactId,
    /// None: the client's first scores.
    pub from_stage: Option<Stage>,
    pub to_stage: Stage,
    pub from_segment: Option<i64>,
    pub to_segment: Option<i64>,
}

/// A client's stage and segment.
type State = (Stage, Option<i64>);

/// Per period, each client whose state changed in it: (state at the period's start, at its end).
/// Read from the log by sweeping it once; a client's state before its first entry is None. The
/// log's own "from" is not trusted across a gap (a client first scored by a demo or an import).
pub(super) fn transitions(
    periods: &[Period],
    moves: &[Move],
) -> Vec<HashMap<ContactId, (Option<State>, State)>> {
    let mut state: HashMap<ContactId, State> = HashMap::new();
    let mut rest = moves;
    let mut out = Vec::with_capacity(periods.len());
    for period in periods {
        let before = rest.iter().take_while(|m| m.day < period.start).count();
        for m in &rest[..before] {
            state.insert(m.contact, (m.to_stage, m.to_segment));
        }
        rest = &rest[before..];
        let end = period.end_exclusive();
        let within = rest.iter().take_while(|m| m.day < end).count();
        let mut changed: HashMap<ContactId, (Option<State>, State)> = HashMap::new();
        for m in &rest[..within] {
            let to = (m.to_stage, m.to_segment);
            let from = state.insert(m.contact, to);
            changed.entry(m.contact).or_insert((from, to)).1 = to;
        }
        rest = &rest[within..];
        changed.retain(|_, (from, to)| *from != Some(*to));
        out.push(changed);
    }
    out
}

/// How many clients went from one stage (or segment) to another between the start and the end of
/// a period; `from` None is a client first scored in it. Most clients first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Moves {
    pub period: Period,
    pub stages: Vec<(Option<Stage>, Stage, u32)>,
    pub segments: Vec<(Option<i64>, Option<i64>, u32)>,
}

/// The moves of each of `periods` (consecutive, oldest first) from the whole log before their end.
pub fn period_moves(periods: &[Period], moves: &[Move]) -> Vec<Moves> {
    periods
        .iter()
        .zip(transitions(periods, moves))
        .map(|(period, changed)| {
            let mut stages: HashMap<(Option<Stage>, Stage), u32> = HashMap::new();
            let mut segments: HashMap<(Option<i64>, Option<i64>), u32> = HashMap::new();
            for (from, to) in changed.values() {
                if from.map(|f| f.0) != Some(to.0) {
                    *stages.entry((from.map(|f| f.0), to.0)).or_default() += 1;
                }
                if from.map(|f| f.1) != Some(to.1) {
                    *segments.entry((from.and_then(|f| f.1), to.1)).or_default() += 1;
                }
            }
            Moves {
                period: *period,
                stages: most_first(stages),
                segments: most_first(segments),
            }
        })
        .collect()
}

fn most_first<A: Ord + Copy, B: Ord + Copy>(counts: HashMap<(A, B), u32>) -> Vec<(A, B, u32)> {
    let mut out: Vec<(A, B, u32)> = counts.into_iter().map(|((a, b), n)| (a, b, n)).collect();
    out.sort_by(|x, y| y.2.cmp(&x.2).then_with(|| (x.0, x.1).cmp(&(y.0, y.1))));
    out
}

/// Clients who crossed into Churned during the period (churned at its end, not at its start).
pub(super) fn churned(changed: &HashMap<ContactId, (Option<State>, State)>) -> u32 {
    changed
        .values()
        .filter(|(from, to)| to.0 == Stage::Churned && from.map(|f| f.0) != Some(Stage::Churned))
        .count() as u32
}
