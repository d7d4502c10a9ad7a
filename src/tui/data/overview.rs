//! The Overview tab's data: the chosen period's figures with the previous period's, and the months
//! up to its end for the charts. The figures read every purchase ever (new clients need each
//! client's first), most of a second at 100,000 clients, so the Overview's own reader thread
//! reads them and the tab draws at once, saying it is reading. Each period read is kept until the
//! data changes, so stepping back and forth again is instant; one read is asked at a time, the
//! latest period wanted once it answers.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::period::{Period, PeriodKind};
use crate::scoring::overview::PeriodFigures;
use crate::store::{Result, Store};
use crate::tui::layout::OVERVIEW_MONTHS;
use crate::tui::state::{App, OverviewData};
use crate::tui::worker::{Request, Worker};

/// What the Overview has read, for one data generation.
#[derive(Debug, Default)]
pub struct OverviewLoader {
    generation: Option<u64>,
    read: HashMap<Period, Result<OverviewData, String>>,
    /// The read asked of the reader and not answered yet.
    asked: Option<(u64, Period)>,
}

/// Shows the chosen period's figures if they were read, else asks the reader for them.
pub(super) fn load(
    app: &mut App,
    store: &Store,
    loader: &mut OverviewLoader,
    reader: &mut Worker,
) -> Result<()> {
    if loader.generation != Some(app.generation) {
        loader.generation = Some(app.generation);
        loader.read.clear();
        let first = store.first_sale()?;
        app.overview.first_sale = first;
        app.overview.nothing_sold = first.is_none();
    }
    let Some(first_sale) = app.overview.first_sale else {
        app.overview.data = None;
        return Ok(());
    };
    let period = app.overview.period(app.today);
    if let Some(read) = loader.read.get(&period) {
        if app.overview.data.as_ref().map(|(p, _)| *p) != Some(period) {
            app.overview.data = Some((period, read.clone()));
        }
        return Ok(());
    }
    if loader.asked.is_none() {
        reader.send(Request::Overview {
            generation: app.generation,
            period,
            lists: periods_read(period, app.today, first_sale).to_vec(),
        });
        loader.asked = Some((app.generation, period));
    }
    Ok(())
}

/// Keeps the reader's answer; returns true, as what is shown (or what to ask next) may change.
pub(super) fn answer(
    app: &mut App,
    loader: &mut OverviewLoader,
    generation: u64,
    period: Period,
    result: Result<Vec<Vec<PeriodFigures>>, String>,
) -> bool {
    if loader.asked == Some((generation, period)) {
        loader.asked = None;
    }
    // Figures of data that changed since are dropped; the refresh asks again.
    if generation == app.generation && loader.generation == Some(generation) {
        let read = result.and_then(assemble);
        // The period on screen shows its new figures (until now, those before the data changed).
        if period == app.overview.period(app.today) {
            app.overview.data = Some((period, read.clone()));
        }
        loader.read.insert(period, read);
    }
    true
}

/// The periods read for `period`: it and the two before it (the one before backs the changes,
/// and its retention needs its own previous one); and the months of the charts, up to
/// [`OVERVIEW_MONTHS`] ending with the period's last month (today's while it runs), none before
/// the first sale's, with one more before them for the first one's retention.
pub fn periods_read(period: Period, today: NaiveDate, first_sale: NaiveDate) -> [Vec<Period>; 2] {
    let before = period.previous();
    let headline = vec![before.previous(), before, period];
    let last = Period::containing(PeriodKind::Month, period.last_day().min(today));
    let mut first = last;
    let opened = Period::containing(PeriodKind::Month, first_sale);
    for _ in 1..OVERVIEW_MONTHS {
        if first <= opened {
            break;
        }
        first = first.previous();
    }
    let months = Period::range(PeriodKind::Month, first.previous().start, last.start);
    [headline, months]
}

fn assemble(mut lists: Vec<Vec<PeriodFigures>>) -> Result<OverviewData, String> {
    let (Some(mut months), Some(mut headline)) = (lists.pop(), lists.pop()) else {
        return Err("the reader answered without figures".into());
    };
    let (Some(now), Some(before)) = (headline.pop(), headline.pop()) else {
        return Err("the reader answered without the period's figures".into());
    };
    // The first month only backs the second's retention.
    if !months.is_empty() {
        months.remove(0);
    }
    Ok(OverviewData {
        now,
        before,
        months,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn labels(periods: &[Period]) -> Vec<String> {
        periods.iter().map(|p| p.label()).collect()
    }

    #[test]
    fn the_months_end_with_the_period_and_start_with_the_first_sale() {
        let today = day(2026, 11, 23);
        let november = Period::containing(PeriodKind::Month, today);
        let [headline, months] = periods_read(november, today, day(2020, 1, 5));
        assert_eq!(labels(&headline), ["2026-09", "2026-10", "2026-11"]);
        assert_eq!(months.len(), 25, "24 months and the one before them");
        assert_eq!(labels(&months[..2]), ["2024-11", "2024-12"]);
        // A running year ends with today's month; a young business starts with its first sale.
        let year = Period::containing(PeriodKind::Year, today);
        let [headline, months] = periods_read(year, today, day(2026, 3, 9));
        assert_eq!(labels(&headline), ["2024", "2025", "2026"]);
        assert_eq!(
            (labels(&months).first().cloned(), months.len()),
            (Some("2026-02".into()), 10)
        );
        // A past quarter ends with its last month.
        let q2 = Period::containing(PeriodKind::Quarter, day(2025, 5, 1));
        let [_, months] = periods_read(q2, today, day(2020, 1, 5));
        assert_eq!(months.last().map(|p| p.label()), Some("2025-06".into()));
    }
}
