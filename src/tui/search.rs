//! What a Contacts filter matches, searched once per data generation and filter text: within a
//! keypress's budget on the UI thread, or else by the worker, so typing never waits on a scan of
//! every client (a filter that keeps almost no one reads them all: about 40 ms at 100,000).

use std::time::Duration;

use super::worker::{Request, Worker};
use crate::domain::ContactId;
use crate::store::{Result, Store};

/// A filter keeping at most this many is held as a list of ids and each page sorted by id
/// lookups; one keeping more is paged by walking the sort's index.
pub const FEW: usize = 1000;
/// How long a keypress may search before the worker thread takes the search over.
const BUDGET: Duration = Duration::from_millis(8);

/// What a filter matches.
#[derive(Debug, Clone, PartialEq)]
pub enum Matches {
    /// All of them, few enough to sort by id lookups.
    Few(Vec<ContactId>),
    /// More than [`FEW`]: pages walk the sort's index; the exact count follows when idle.
    Many,
    /// Longer than a keypress may take: the worker is finishing it (the request's tag).
    Searching(u64),
}

impl Matches {
    fn from_ids(ids: Vec<ContactId>) -> Matches {
        if ids.len() <= FEW {
            Matches::Few(ids)
        } else {
            Matches::Many
        }
    }
}

/// The latest filter searched and what it matched.
#[derive(Debug, Default)]
pub struct FilterSearch {
    /// Data generation, filter text, matches.
    last: Option<(u64, String, Matches)>,
    /// [`BUDGET`] unless set.
    budget: Option<Duration>,
}

impl FilterSearch {
    /// How long a keypress may search (zero: the worker always does).
    pub fn set_budget(&mut self, budget: Duration) {
        self.budget = Some(budget);
    }

    /// The matches of `filter`, searching only when the filter or the data changed; a search
    /// that runs out of time is sent to `worker` under a new `tag`.
    pub fn matches(
        &mut self,
        generation: u64,
        filter: &str,
        store: &mut Store,
        tag: &mut u64,
        worker: &mut Worker,
    ) -> Result<Matches> {
        if let Some((g, f, matches)) = &self.last {
            if *g == generation && f == filter {
                return Ok(matches.clone());
            }
        }
        let budget = self.budget.unwrap_or(BUDGET);
        let matches = match store.within(budget, |s| s.matching_ids(filter, FEW + 1))? {
            Some(ids) => Matches::from_ids(ids),
            None => {
                *tag += 1;
                worker.send(Request::Matches {
                    tag: *tag,
                    search: filter.to_string(),
                    cap: FEW + 1,
                });
                Matches::Searching(*tag)
            }
        };
        self.last = Some((generation, filter.to_string(), matches.clone()));
        Ok(matches)
    }

    /// The worker's answer to search `tag`: taken (true) if it is still the one awaited.
    pub fn answer(&mut self, tag: u64, ids: Vec<ContactId>) -> bool {
        match &mut self.last {
            Some((_, _, matches)) if *matches == Matches::Searching(tag) => {
                *matches = Matches::from_ids(ids);
                true
            }
            _ => false,
        }
    }
}
