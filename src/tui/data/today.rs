//! The Today tab's data: overdue follow-ups, today's, birthdays, touches due, and the most valuable at-risk
//! clients with nothing planned.

use super::Loader;
use crate::store::{FollowUpFilter, Result, Store};
use crate::tui::action::Tab;
use crate::tui::state::{App, TodayItem, TodaySection};

/// Follow-ups (and touches) loaded per Today section; the title says how many there are in all.
const TODAY_SHOWN: usize = 500;
/// At-risk clients without a plan suggested on Today.
const SUGGESTED: usize = 10;

/// The morning view: overdue follow-ups, today's, touches due, and the most valuable at-risk
/// clients with nothing planned. Reloaded when the data or the day changes; the selection stays
/// on the same row number (the next item after one was done).
pub(super) fn load(app: &mut App, store: &Store, loader: &mut Loader) -> Result<()> {
    let key = (app.generation, app.today);
    if loader.today == Some(key) {
        return Ok(());
    }
    let day = app.today;
    let state = &mut app.today_tab;
    state.items.clear();
    state.totals.clear();
    for (section, filter) in [
        (
            TodaySection::Overdue,
            FollowUpFilter::overdue(day, TODAY_SHOWN),
        ),
        (
            TodaySection::DueToday,
            FollowUpFilter::due_on(day, TODAY_SHOWN),
        ),
    ] {
        let (rows, total) = store.follow_ups_counted(&filter)?;
        state.totals.insert(section, total);
        state
            .items
            .extend(rows.into_iter().map(|r| (section, TodayItem::FollowUp(r))));
    }
    let birthdays = store.birthdays(day, day)?;
    state
        .totals
        .insert(TodaySection::Birthdays, birthdays.len());
    state.items.extend(
        birthdays
            .into_iter()
            .map(|b| (TodaySection::Birthdays, TodayItem::Birthday(b))),
    );
    let touches = store.touches_due(day)?;
    state
        .totals
        .insert(TodaySection::StayInTouch, touches.len());
    state.items.extend(
        touches
            .into_iter()
            .take(TODAY_SHOWN)
            .map(|t| (TodaySection::StayInTouch, TodayItem::Touch(t))),
    );
    let (mut suggested, at_risk) = store.at_risk_unplanned(SUGGESTED)?;
    loader.ledger.load_today(store, day, &mut suggested)?;
    state.at_risk = at_risk;
    state
        .totals
        .insert(TodaySection::Suggested, suggested.len());
    state.items.extend(
        suggested
            .into_iter()
            .map(|r| (TodaySection::Suggested, TodayItem::Suggested(Box::new(r)))),
    );
    state.loaded = true;
    let height = app.list_height(Tab::Today);
    let total = app.today_tab.items.len();
    app.today_tab.cursor.clamp(total, height);
    loader.today = Some(key);
    Ok(())
}
