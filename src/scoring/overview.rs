//! The business at a glance: revenue, clients, retention, risk and concentration per period.
//!
//! Pure: the store hands over every purchase in time order, the period's feedback scores, the
//! monthly score snapshots and the logged stage moves; nothing here reads SQL. The definitions are
//! in `docs/overview.md`.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::period::Period;
use crate::domain::{ContactId, Stage};

use super::stage_moves::{churned, transitions};
pub use super::stage_moves::{period_moves, Move, Moves};

/// One purchase, as the overview reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sale {
    pub day: NaiveDate,
    pub contact: ContactId,
    /// Minor units; a purchase without an amount counts as 0.
    pub amount: i64,
    pub item: Option<String>,
}

/// The scores summed over every client, as they stood at the last write of a month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthSnapshot {
    /// The month's first day.
    pub month: NaiveDate,
    pub clients: u32,
    /// Σ CLV and Σ churn × CLV, minor units.
    pub total_clv: i64,
    pub value_at_risk: i64,
    /// Clients per stage, in [`Stage::ALL`] order.
    pub stages: [u32; 6],
    /// Taken live (false) or recomputed afterwards from the history (`rapport score --backfill`).
    pub recomputed: bool,
}

/// Shares of a period's revenue from its biggest clients.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Concentration {
    pub top_1: f64,
    pub top_3: f64,
    /// The top tenth of the period's buyers (at least one).
    pub top_10_percent: f64,
}

/// Revenue and purchases of one service in a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceRevenue {
    pub item: String,
    pub revenue: i64,
    pub purchases: u32,
}

/// Every figure of one period (definitions in `docs/overview.md`). `None` is "no data": a
/// figure the recorded data cannot back up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodFigures {
    pub period: Period,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub revenue: i64,
    pub purchases: u32,
    pub active_clients: u32,
    pub new_clients: u32,
    pub retention: Option<f64>,
    pub churned_clients: Option<u32>,
    pub satisfaction: Option<f64>,
    pub feedback_entries: u32,
    pub value_at_risk: Option<i64>,
    pub total_clv: Option<i64>,
    /// Clients per stage at the period's end, by stage key.
    pub stages: Option<HashMap<&'static str, u32>>,
    /// The month whose snapshot gave the score figures, and whether it was recomputed.
    pub scores_as_of: Option<NaiveDate>,
    pub scores_recomputed: Option<bool>,
    pub concentration: Option<Concentration>,
    /// Most revenue first (ties by name); a purchase without an item is "(no item)".
    pub services: Vec<ServiceRevenue>,
}

/// What the store reads for an overview.
#[derive(Debug, Default)]
pub struct OverviewInput<'a> {
    /// Entry satisfaction (0..1) of each feedback entry, by day.
    pub feedback: &'a [(NaiveDate, f64)],
    pub months: &'a [MonthSnapshot],
    pub moves: &'a [Move],
}

/// A period's buyers and sales while the stream passes.
#[derive(Default)]
struct Tally {
    revenue: i64,
    purchases: u32,
    new_clients: u32,
    per_client: HashMap<ContactId, i64>,
    per_item: HashMap<String, (i64, u32)>,
}

impl Tally {
    fn add(&mut self, sale: &Sale, first: bool) {
        self.revenue += sale.amount;
        self.purchases += 1;
        self.new_clients += u32::from(first);
        *self.per_client.entry(sale.contact).or_default() += sale.amount;
        let item = sale
            .item
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .unwrap_or("(no item)");
        // A business sells few services: the name is copied once, not once a sale.
        let entry = match self.per_item.get_mut(item) {
            Some(entry) => entry,
            None => self.per_item.entry(item.to_string()).or_default(),
        };
        entry.0 += sale.amount;
        entry.1 += 1;
    }
}

/// The first and the day after the last day of each period, worked out once: a million sales
/// are each placed by a binary search, not by date arithmetic per period.
fn bounds(periods: &[Period]) -> Vec<(NaiveDate, NaiveDate)> {
    periods
        .iter()
        .map(|p| (p.start, p.end_exclusive()))
        .collect()
}

/// The index of the period holding `day` in `bounds` (consecutive, oldest first).
fn position(bounds: &[(NaiveDate, NaiveDate)], day: NaiveDate) -> Option<usize> {
    let after = bounds.partition_point(|(start, _)| *start <= day);
    after.checked_sub(1).filter(|&i| day < bounds[i].1)
}

/// The figures of each of `periods` (consecutive, oldest first). `sales` is every purchase ever,
/// in time order: new clients need each client's first purchase, and the retention of the first
/// period needs the buyers of the one before it (so callers pass one period more than they show).
pub fn overview(
    periods: &[Period],
    sales: impl IntoIterator<Item = Sale>,
    input: &OverviewInput,
) -> Vec<PeriodFigures> {
    overviews(&[periods], sales, input)
        .pop()
        .unwrap_or_default()
}

/// [`overview`] of several lists of periods from one pass over the sales, each list as
/// [`overview`] gives it: the months of a chart and the quarters around a chosen one cost one
/// read of the purchases, not two.
pub fn overviews(
    lists: &[&[Period]],
    sales: impl IntoIterator<Item = Sale>,
    input: &OverviewInput,
) -> Vec<Vec<PeriodFigures>> {
    let mut tallies = Tallies::new(lists);
    for sale in sales {
        tallies.add(&sale);
    }
    tallies.figures(input)
}

/// The sales of several lists of periods, tallied as they stream past oldest first, so that no
/// list of every purchase is held (313,000 of them at 100,000 clients).
pub struct Tallies {
    lists: Vec<Vec<Period>>,
    bounds: Vec<Vec<(NaiveDate, NaiveDate)>>,
    tallies: Vec<Vec<Tally>>,
    seen: HashSet<ContactId>,
}

impl Tallies {
    /// For `lists`, each consecutive and oldest first.
    pub fn new(lists: &[&[Period]]) -> Tallies {
        Tallies {
            lists: lists.iter().map(|l| l.to_vec()).collect(),
            bounds: lists.iter().map(|l| bounds(l)).collect(),
            tallies: lists
                .iter()
                .map(|l| l.iter().map(|_| Tally::default()).collect())
                .collect(),
            seen: HashSet::new(),
        }
    }

    /// The next purchase in time order (every one ever: a client's first makes them new).
    pub fn add(&mut self, sale: &Sale) {
        let first = self.seen.insert(sale.contact);
        for (bounds, tallies) in self.bounds.iter().zip(self.tallies.iter_mut()) {
            if let Some(at) = position(bounds, sale.day) {
                tallies[at].add(sale, first);
            }
        }
    }

    /// The figures of each list, in the order given.
    pub fn figures(self, input: &OverviewInput) -> Vec<Vec<PeriodFigures>> {
        self.lists
            .iter()
            .zip(&self.tallies)
            .map(|(periods, tallies)| figures_of(periods, tallies, input))
            .collect()
    }
}

fn figures_of(periods: &[Period], tallies: &[Tally], input: &OverviewInput) -> Vec<PeriodFigures> {
    let changes = transitions(periods, input.moves);
    let mut out = Vec::with_capacity(periods.len());
    for (i, (period, tally)) in periods.iter().zip(tallies).enumerate() {
        let previous = i.checked_sub(1).map(|p| &tallies[p]);
        let mut f = figures(*period, tally, previous, input);
        if f.scores_as_of.is_some() {
            f.churned_clients = Some(churned(&changes[i]));
        }
        out.push(f);
    }
    out
}

fn figures(
    period: Period,
    t: &Tally,
    previous: Option<&Tally>,
    input: &OverviewInput,
) -> PeriodFigures {
    let (start, end) = (period.start, period.end_exclusive());
    let inside = |day: NaiveDate| start <= day && day < end;
    let snapshot = input
        .months
        .iter()
        .filter(|m| inside(m.month))
        .max_by_key(|m| m.month);
    let feedback: Vec<f64> = input
        .feedback
        .iter()
        .filter(|(day, _)| inside(*day))
        .map(|(_, s)| *s)
        .collect();
    PeriodFigures {
        period,
        from: period.start,
        to: period.last_day(),
        revenue: t.revenue,
        purchases: t.purchases,
        active_clients: t.per_client.len() as u32,
        new_clients: t.new_clients,
        retention: previous.and_then(|p| retention(p, t)),
        churned_clients: None,
        satisfaction: (!feedback.is_empty())
            .then(|| feedback.iter().sum::<f64>() / feedback.len() as f64),
        feedback_entries: feedback.len() as u32,
        value_at_risk: snapshot.map(|m| m.value_at_risk),
        total_clv: snapshot.map(|m| m.total_clv),
        stages: snapshot.map(|m| {
            Stage::ALL
                .iter()
                .zip(m.stages)
                .map(|(s, n)| (s.key(), n))
                .collect()
        }),
        scores_as_of: snapshot.map(|m| m.month),
        scores_recomputed: snapshot.map(|m| m.recomputed),
        concentration: concentration(&t.per_client, t.revenue),
        services: services(&t.per_item),
    }
}

/// Share of the previous period's buyers who bought again; None without previous buyers.
fn retention(previous: &Tally, now: &Tally) -> Option<f64> {
    if previous.per_client.is_empty() {
        return None;
    }
    let back = previous
        .per_client
        .keys()
        .filter(|c| now.per_client.contains_key(c))
        .count();
    Some(back as f64 / previous.per_client.len() as f64)
}

fn concentration(per_client: &HashMap<ContactId, i64>, revenue: i64) -> Option<Concentration> {
    if revenue <= 0 {
        return None;
    }
    let mut spent: Vec<i64> = per_client.values().copied().collect();
    spent.sort_unstable_by(|a, b| b.cmp(a));
    let share = |n: usize| spent.iter().take(n).sum::<i64>() as f64 / revenue as f64;
    let tenth = spent.len().div_ceil(10).max(1);
    Some(Concentration {
        top_1: share(1),
        top_3: share(3),
        top_10_percent: share(tenth),
    })
}

fn services(per_item: &HashMap<String, (i64, u32)>) -> Vec<ServiceRevenue> {
    let mut out: Vec<ServiceRevenue> = per_item
        .iter()
        .map(|(item, (revenue, purchases))| ServiceRevenue {
            item: item.clone(),
            revenue: *revenue,
            purchases: *purchases,
        })
        .collect();
    out.sort_by(|a, b| b.revenue.cmp(&a.revenue).then_with(|| a.item.cmp(&b.item)));
    out
}

/// A figure's change against the previous period: the difference, and for amounts and counts
/// also relative to the previous value (None from 0, or when either side has no data).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Change {
    pub by: f64,
    pub percent: Option<f64>,
}

impl Change {
    /// `▲` up, `▼` down, `=` unchanged.
    pub fn arrow(self) -> &'static str {
        arrow(self.by)
    }

    fn between(now: Option<f64>, before: Option<f64>, relative: bool) -> Option<Change> {
        let (now, before) = (now?, before?);
        Some(Change {
            by: now - before,
            percent: (relative && before != 0.0).then(|| (now - before) / before.abs() * 100.0),
        })
    }
}

/// `▲` for a rise, `▼` for a fall, `=` for none: the direction reads without colour.
pub fn arrow(delta: f64) -> &'static str {
    if delta > 0.0 {
        "▲"
    } else if delta < 0.0 {
        "▼"
    } else {
        "="
    }
}

/// Reads one figure of a period.
type Figure = fn(&PeriodFigures) -> Option<f64>;

/// Every figure that changes: its key as [`PeriodFigures`] names it, how to read it, and whether
/// its change is also relative (shares and satisfaction change by points).
const FIGURES: [(&str, Figure, bool); 11] = [
    ("revenue", |f| Some(f.revenue as f64), true),
    ("purchases", |f| Some(f64::from(f.purchases)), true),
    (
        "active_clients",
        |f| Some(f64::from(f.active_clients)),
        true,
    ),
    ("new_clients", |f| Some(f64::from(f.new_clients)), true),
    ("retention", |f| f.retention, false),
    (
        "churned_clients",
        |f| f.churned_clients.map(f64::from),
        true,
    ),
    ("satisfaction", |f| f.satisfaction, false),
    ("value_at_risk", |f| f.value_at_risk.map(|v| v as f64), true),
    ("total_clv", |f| f.total_clv.map(|v| v as f64), true),
    ("top_1_share", |f| f.concentration.map(|c| c.top_1), false),
    ("top_3_share", |f| f.concentration.map(|c| c.top_3), false),
];

/// The figure `key` of a period (as [`changes`] keys them; amounts in minor units), None when
/// it has no data or there is no such figure.
pub fn value(f: &PeriodFigures, key: &str) -> Option<f64> {
    FIGURES
        .iter()
        .find(|(k, _, _)| *k == key)
        .and_then(|(_, get, _)| get(f))
}

/// Every figure's change from `before` to `now`, keyed as [`PeriodFigures`] names them. Shares
/// and satisfaction change by points (0.05 = 5 points), the rest also in percent.
pub fn changes(now: &PeriodFigures, before: &PeriodFigures) -> Vec<(&'static str, Option<Change>)> {
    FIGURES
        .iter()
        .map(|(key, get, relative)| (*key, Change::between(get(now), get(before), *relative)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::period::PeriodKind;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn sale(day: NaiveDate, contact: ContactId, amount: i64, item: &str) -> Sale {
        Sale {
            day,
            contact,
            amount,
            item: Some(item.to_string()),
        }
    }

    #[test]
    fn several_lists_from_one_pass_equal_each_list_alone() {
        let sales = vec![
            sale(day(2025, 12, 30), 1, 500, "Website"),
            sale(day(2026, 1, 3), 1, 1000, "Website"),
            sale(day(2026, 1, 3), 2, 200, " Logo "),
            sale(day(2026, 3, 31), 3, 300, ""),
            sale(day(2026, 4, 1), 2, 400, "Logo"),
            sale(day(2026, 6, 30), 1, 100, "Website"),
        ];
        let feedback = [(day(2026, 2, 1), 0.8), (day(2026, 5, 1), 0.4)];
        let input = OverviewInput {
            feedback: &feedback,
            ..OverviewInput::default()
        };
        let months = Period::range(PeriodKind::Month, day(2025, 12, 1), day(2026, 6, 1));
        let quarters = Period::range(PeriodKind::Quarter, day(2025, 10, 1), day(2026, 6, 1));
        let both = overviews(&[&quarters, &months], sales.clone(), &input);
        assert_eq!(both[0], overview(&quarters, sales.clone(), &input));
        assert_eq!(both[1], overview(&months, sales, &input));
        let q1 = &both[0][1];
        assert_eq!((q1.revenue, q1.purchases, q1.active_clients), (1500, 3, 3));
        // Client 1 bought in December: new in Q4, not in Q1; an empty item is "(no item)".
        assert_eq!((q1.new_clients, q1.retention), (2, Some(1.0)));
        assert_eq!(q1.services[1].item, "(no item)");
        assert_eq!(
            (q1.services[2].item.as_str(), q1.services[2].revenue),
            ("Logo", 200)
        );
        assert_eq!(q1.satisfaction, Some(0.8));
        // The last day of a month is inside it, the first of the next is not.
        let march = &both[1][3];
        assert_eq!(
            (march.period.label(), march.revenue),
            ("2026-03".into(), 300)
        );
        assert_eq!(both[1][4].revenue, 400);
    }
}
