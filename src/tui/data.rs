//! Loading what is on screen from the store: one page per table, the selected contact's detail,
//! the segment figures, the Overview's. Each part reloads only when its inputs or the data changed.

mod detail;
mod overview;
mod today;

use std::time::Duration;

use super::action::Tab;
use super::ledger::Ledger;
use super::search::{self, FilterSearch, Matches};
use super::state::{App, ModelInfo, ScatterPoint, SegmentsData};
use super::worker::{Counted, Reply, Request, Worker};
use crate::domain::ContactId;
use crate::scoring::{summarise_segments, Models};
use crate::store::tui_queries::PageOf;
use crate::store::{InteractionFilter, Result, ScoredSort, Store};

/// Rows of a filtered list counted on a keypress before the idle refresh counts them all.
const COUNT_CAP: usize = 200;
/// Which list a count is for (interactions with their kind filter).
#[derive(Debug, Clone, PartialEq, Eq)]
enum CountOf {
    Contacts,
    Interactions(Option<&'static str>),
}

/// Data generation, search text and list of a count.
type CountKey = (u64, String, CountOf);

/// What each part was last loaded for.
#[derive(Debug, Default)]
pub struct Loader {
    /// The filter counted, and whether the count is exact (else capped).
    contacts_count: Option<(CountKey, bool)>,
    contacts_page: Option<(u64, String, ScoredSort, usize, usize)>,
    detail: detail::DetailLoader,
    count_asked: Option<CountKey>,
    /// Identifies the latest count or search asked of the worker.
    tag: u64,
    /// The Contacts filter's matches.
    contacts_search: FilterSearch,
    /// The filter counted, and whether the count is exact (else capped).
    interactions_count: Option<(CountKey, bool)>,
    interactions_page: Option<(u64, String, Option<&'static str>, usize, usize)>,
    segments: Option<u64>,
    today: Option<(u64, chrono::NaiveDate)>,
    at_risk: Option<(u64, usize, usize)>,
    at_risk_ids: Option<(u64, Vec<ContactId>)>,
    models: Option<u64>,
    /// What is on screen for the action ledger.
    ledger: Ledger,
    overview: overview::OverviewLoader,
}

impl Loader {
    /// How long a keypress may search before the worker takes over (zero: always the worker).
    pub fn set_search_budget(&mut self, budget: Duration) {
        self.contacts_search.set_budget(budget);
    }
}

/// Loads what the current tab shows (fast: pages and one contact's detail); a search that would
/// take longer is handed to `worker`, the Overview's figures to `reader`.
pub fn refresh(
    app: &mut App,
    store: &mut Store,
    loader: &mut Loader,
    worker: &mut Worker,
    reader: &mut Worker,
) -> Result<()> {
    match app.tab {
        Tab::Today => today::load(app, store, loader)?,
        // Segments needs the Contacts selection too: quick-log keys act on it there.
        Tab::Contacts | Tab::Segments => {
            contacts(app, store, loader, worker)?;
            if app.tab == Tab::Segments {
                segments(app, store, loader)?;
            } else {
                detail::load(app, store, &mut loader.detail, &mut loader.ledger)?;
            }
        }
        Tab::Interactions => interactions(app, store, loader)?,
        Tab::AtRisk => at_risk(app, store, loader)?,
        Tab::Overview => overview::load(app, store, &mut loader.overview, reader)?,
    }
    Ok(())
}

/// The slower extras, asked of the worker thread when keys are idle: similar clients and likely
/// duplicates of the selected contact, the exact size of a long list. Nothing here waits.
pub fn request_idle(app: &App, loader: &mut Loader, worker: &mut Worker) {
    loader.ledger.request(app, worker);
    match app.tab {
        Tab::Contacts => {
            ask_exact_count(
                loader,
                worker,
                |l| &l.contacts_count,
                |key| Counted::Contacts(search_of(&key.1).map(str::to_string)),
            );
            loader.detail.request_extras(app, worker);
        }
        Tab::Interactions => {
            ask_exact_count(
                loader,
                worker,
                |l| &l.interactions_count,
                |key| {
                    Counted::Interactions(InteractionFilter {
                        kind: app.interactions.kind,
                        search: search_of(&key.1).map(str::to_string),
                        ..Default::default()
                    })
                },
            );
        }
        _ => {}
    }
}

/// Asks the worker for the exact size of a list whose count on screen is capped (once per key).
fn ask_exact_count(
    loader: &mut Loader,
    worker: &mut Worker,
    count_of: impl Fn(&Loader) -> &Option<(CountKey, bool)>,
    what: impl FnOnce(&CountKey) -> Counted,
) {
    let Some((key, false)) = count_of(loader).clone() else {
        return;
    };
    if loader.count_asked.as_ref() == Some(&key) {
        return;
    }
    loader.tag += 1;
    worker.send(Request::Count {
        tag: loader.tag,
        what: what(&key),
    });
    loader.count_asked = Some(key);
}

/// On a keypress, a filtered list is counted only as far as paging needs: returns the total to
/// page over and whether it is exact.
fn capped_count(
    offset: usize,
    height: usize,
    count: impl FnOnce(usize) -> Result<usize>,
) -> Result<(usize, bool)> {
    let cap = (offset + 3 * height).max(COUNT_CAP);
    let counted = count(cap + 1)?;
    Ok((counted.min(cap), counted <= cap))
}

/// Applies a worker's answer if it still fits what is on screen; returns whether it did.
pub fn apply_reply(app: &mut App, loader: &mut Loader, reply: Reply) -> Result<bool, String> {
    match reply {
        reply @ (Reply::Similar { .. } | Reply::Duplicates { .. }) => {
            loader.detail.answer(app, reply)
        }
        Reply::Matches { tag, result } => Ok(loader.contacts_search.answer(tag, result?)),
        Reply::Overview {
            generation,
            period,
            result,
        } => Ok(overview::answer(
            app,
            &mut loader.overview,
            generation,
            period,
            result,
        )),
        Reply::Recorded { result } => result
            .map(|()| false)
            .map_err(|e| format!("the shown actions were not recorded: {}", e)),
        Reply::Count { tag, result } => {
            let total = result?;
            let current = loader.count_asked.clone().filter(|_| tag == loader.tag);
            let Some(asked) = current else {
                return Ok(false);
            };
            let unchanged = |count: &Option<(CountKey, bool)>| matches!(count, Some((key, false)) if *key == asked);
            if unchanged(&loader.contacts_count) {
                let height = app.list_height(Tab::Contacts);
                app.contacts.cursor.clamp(total, height);
                app.contacts.total_exact = true;
                loader.contacts_count = Some((asked, true));
                Ok(true)
            } else if unchanged(&loader.interactions_count) {
                let height = app.list_height(Tab::Interactions);
                app.interactions.cursor.clamp(total, height);
                app.interactions.total_exact = true;
                loader.interactions_count = Some((asked, true));
                Ok(true)
            } else {
                Ok(false)
            }
        }
    }
}

fn search_of(text: &str) -> Option<&str> {
    Some(text.trim()).filter(|t| !t.is_empty())
}

fn contacts(
    app: &mut App,
    store: &mut Store,
    loader: &mut Loader,
    worker: &mut Worker,
) -> Result<()> {
    let height = app.list_height(Tab::Contacts);
    let filter = app.contacts.filter.text().trim().to_string();
    let matches = match filter.is_empty() {
        true => None,
        false => Some(loader.contacts_search.matches(
            app.generation,
            &filter,
            store,
            &mut loader.tag,
            worker,
        )?),
    };
    app.contacts.searching = matches!(matches, Some(Matches::Searching(_)));
    if app.contacts.searching {
        app.contacts.rows.clear();
        app.contacts.cursor.clamp(0, height);
        loader.contacts_page = None;
        return Ok(());
    }
    let count_key = (app.generation, filter.clone(), CountOf::Contacts);
    let total = match &loader.contacts_count {
        Some((key, _)) if *key == count_key => app.contacts.cursor.total,
        _ => {
            let (total, exact) = match &matches {
                // Everyone is counted exactly (cheap); a filter's many matches when idle.
                None => (store.count_contacts(None)?, true),
                Some(Matches::Few(ids)) => (ids.len(), true),
                Some(_) => (search::FEW + 1, false),
            };
            app.contacts.total_exact = exact;
            loader.contacts_count = Some((count_key, exact));
            total
        }
    };
    app.contacts.cursor.clamp(total, height);
    let page_key = (
        app.generation,
        filter,
        app.contacts.sort,
        app.contacts.cursor.offset,
        height,
    );
    if loader.contacts_page.as_ref() != Some(&page_key) {
        let of = match &matches {
            Some(Matches::Few(ids)) => PageOf::Among(ids),
            _ => PageOf::Search {
                text: search_of(&page_key.1),
                matching: total,
            },
        };
        app.contacts.rows = store.scored_page(of, page_key.2, page_key.3, height)?;
        loader.contacts_page = Some(page_key);
    }
    Ok(())
}

fn interactions(app: &mut App, store: &Store, loader: &mut Loader) -> Result<()> {
    let height = app.list_height(Tab::Interactions);
    let search = app.interactions.filter.text().trim().to_string();
    let kind = app.interactions.kind.map(|k| k.as_str());
    let mut filter = InteractionFilter {
        kind: app.interactions.kind,
        search: search_of(&search).map(str::to_string),
        ..Default::default()
    };
    let count_key = (app.generation, search.clone(), CountOf::Interactions(kind));
    // Counting a million entries takes a while: on a keypress count only as far as paging
    // needs, and let the idle refresh find the exact total.
    let total = match &loader.interactions_count {
        Some((key, _)) if *key == count_key => app.interactions.cursor.total,
        _ => {
            let (total, exact) = capped_count(app.interactions.cursor.offset, height, |cap| {
                store.count_interactions_capped(&filter, cap)
            })?;
            app.interactions.total_exact = exact;
            loader.interactions_count = Some((count_key, exact));
            total
        }
    };
    app.interactions.cursor.clamp(total, height);
    let page_key = (
        app.generation,
        search,
        kind,
        app.interactions.cursor.offset,
        height,
    );
    if loader.interactions_page.as_ref() != Some(&page_key) {
        filter.offset = page_key.3;
        filter.limit = Some(height);
        app.interactions.rows = store.list_interactions(&filter)?;
        loader.interactions_page = Some(page_key);
    }
    Ok(())
}

fn models(app: &mut App, store: &Store, loader: &mut Loader) -> Result<Option<Models>> {
    let models = store.models()?;
    app.at_risk.model = models.as_ref().map(|m| ModelInfo {
        version: m.version,
        fitted_as_of: m.fitted_as_of,
        training_size: m.training_size,
        quality: m.quality.clone(),
    });
    loader.models = Some(app.generation);
    Ok(models)
}

fn segments(app: &mut App, store: &Store, loader: &mut Loader) -> Result<()> {
    if loader.segments == Some(app.generation) {
        return Ok(());
    }
    let scores = store.score_points()?;
    let summaries = match models(app, store, loader)? {
        Some(models) => summarise_segments(&scores, &models),
        None => Vec::new(),
    };
    let mut data = SegmentsData {
        scored: scores.len(),
        ..Default::default()
    };
    for s in &scores {
        // Leads have no churn figure and stay out of the histogram.
        if let Some(p) = s.churn_probability {
            let bin = ((p * 10.0).floor().max(0.0) as usize).min(9);
            data.churn_histogram[bin] += 1;
        }
        let segment = s
            .segment_id
            .and_then(|id| summaries.iter().position(|x| x.id == id));
        if let (Some(segment), Some(recency)) = (segment, s.recency_days) {
            data.points.push(ScatterPoint {
                segment,
                recency_days: recency as f64,
                spend: s.monetary as f64 / 100.0,
            });
        }
    }
    data.summaries = summaries;
    let height = app.list_height(Tab::Segments);
    app.segments.cursor.clamp(data.summaries.len(), height);
    app.segments.data = Some(data);
    loader.segments = Some(app.generation);
    Ok(())
}

fn at_risk(app: &mut App, store: &Store, loader: &mut Loader) -> Result<()> {
    if loader.models != Some(app.generation) {
        models(app, store, loader)?;
    }
    let height = app.list_height(Tab::AtRisk);
    // The ranked ids are read once per data change; pages are then plain lookups.
    if loader
        .at_risk_ids
        .as_ref()
        .is_none_or(|(generation, _)| *generation != app.generation)
    {
        loader.at_risk_ids = Some((app.generation, store.at_risk_ids()?));
    }
    let ids = loader
        .at_risk_ids
        .as_ref()
        .map(|(_, ids)| ids.as_slice())
        .unwrap_or_default();
    app.at_risk.cursor.clamp(ids.len(), height);
    let key = (app.generation, app.at_risk.cursor.offset, height);
    if loader.at_risk != Some(key) {
        let end = (key.1 + height).min(ids.len());
        let page = &ids[key.1.min(end)..end];
        app.at_risk.rows = store.scored_rows(page)?;
        app.at_risk.planned = store.next_follow_ups(page)?;
        loader
            .ledger
            .load_at_risk(store, app.today, &mut app.at_risk.rows)?;
        loader.at_risk = Some(key);
    }
    Ok(())
}
