//! A reader thread with its own connection for the slower extras (similar clients, exact
//! timeline counts, the Overview's figures) and the ledger's small writes, so the UI thread
//! never waits on them.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};

use chrono::NaiveDate;

use crate::config::Config;
use crate::domain::period::Period;
use crate::domain::ContactId;
use crate::scoring::overview::PeriodFigures;
use crate::store::{InteractionFilter, Result as StoreResult, ShownActions, Store};
use crate::tui::merge::Duplicate;

#[derive(Debug, Clone)]
pub enum Request {
    /// The clients most like `id`, for data generation `generation`.
    Similar {
        generation: u64,
        id: ContactId,
        n: usize,
    },
    /// The likely duplicates of `id` (as [`Store::duplicates_of`]), for data generation `generation`.
    Duplicates { generation: u64, id: ContactId },
    /// The exact size of a list; `tag` identifies the request.
    Count { tag: u64, what: Counted },
    /// Up to `cap` contacts matching `search` (as [`Store::matching_ids`]).
    Matches {
        tag: u64,
        search: String,
        cap: usize,
    },
    /// The Overview's figures of `period`: each list of periods as [`Store::overviews`] reads
    /// them, for data generation `generation`.
    Overview {
        generation: u64,
        period: Period,
        lists: Vec<Vec<Period>>,
    },
    /// Record the actions on screen in the ledger (see [`Store::record_shown`]).
    RecordShown {
        today: NaiveDate,
        shown: Vec<ShownActions>,
    },
}

/// A list whose exact size the worker counts.
#[derive(Debug, Clone)]
pub enum Counted {
    /// Contacts matching a search.
    Contacts(Option<String>),
    Interactions(InteractionFilter),
}

#[derive(Debug, Clone)]
pub enum Reply {
    Similar {
        generation: u64,
        id: ContactId,
        result: Result<Vec<(String, f64)>, String>,
    },
    Duplicates {
        generation: u64,
        id: ContactId,
        result: Result<Vec<Duplicate>, String>,
    },
    Count {
        tag: u64,
        result: Result<usize, String>,
    },
    Matches {
        tag: u64,
        result: Result<Vec<ContactId>, String>,
    },
    Recorded {
        result: Result<(), String>,
    },
    Overview {
        generation: u64,
        period: Period,
        result: Result<Vec<Vec<PeriodFigures>>, String>,
    },
}

pub struct Worker {
    tx: Sender<Request>,
    rx: Receiver<Reply>,
    pending: usize,
}

impl Worker {
    /// Starts the thread; it opens `path` on its first request and ends when the worker is dropped.
    pub fn start(path: PathBuf, config: Config) -> Worker {
        let (tx, requests) = mpsc::channel::<Request>();
        let (replies, rx) = mpsc::channel::<Reply>();
        std::thread::spawn(move || {
            let mut store: Option<Store> = None;
            for request in requests {
                let opened = match store.as_ref() {
                    Some(store) => Ok(store),
                    None => Store::open_with(&path, config.clone()).map(|s| &*store.insert(s)),
                };
                let reply = match request {
                    Request::Similar { generation, id, n } => Reply::Similar {
                        generation,
                        id,
                        result: opened
                            .and_then(|s| s.clients_like(id, n))
                            .map(|found| {
                                found
                                    .into_iter()
                                    .map(|(_, name, sim)| (name, sim))
                                    .collect()
                            })
                            .map_err(|e| e.to_string()),
                    },
                    Request::Duplicates { generation, id } => Reply::Duplicates {
                        generation,
                        id,
                        result: opened
                            .and_then(|s| duplicates_of(s, id))
                            .map_err(|e| e.to_string()),
                    },
                    Request::Count { tag, what } => Reply::Count {
                        tag,
                        result: opened
                            .and_then(|s| match &what {
                                Counted::Contacts(search) => s.count_contacts(search.as_deref()),
                                Counted::Interactions(filter) => s.count_interactions(filter),
                            })
                            .map_err(|e| e.to_string()),
                    },
                    Request::Matches { tag, search, cap } => Reply::Matches {
                        tag,
                        result: opened
                            .and_then(|s| s.matching_ids(&search, cap))
                            .map_err(|e| e.to_string()),
                    },
                    Request::Overview {
                        generation,
                        period,
                        lists,
                    } => Reply::Overview {
                        generation,
                        period,
                        result: opened
                            .and_then(|s| {
                                let lists: Vec<&[Period]> =
                                    lists.iter().map(Vec::as_slice).collect();
                                s.overviews(&lists, &config.feedback)
                            })
                            .map_err(|e| e.to_string()),
                    },
                    Request::RecordShown { today, shown } => Reply::Recorded {
                        result: opened
                            .and_then(|s| s.record_shown(today, &shown))
                            .map(|_| ())
                            .map_err(|e| e.to_string()),
                    },
                };
                if replies.send(reply).is_err() {
                    return;
                }
            }
        });
        Worker { tx, rx, pending: 0 }
    }

    pub fn send(&mut self, request: Request) {
        if self.tx.send(request).is_ok() {
            self.pending += 1;
        }
    }

    /// Replies that have arrived, without waiting.
    pub fn replies(&mut self) -> Vec<Reply> {
        let mut out = Vec::new();
        loop {
            match self.rx.try_recv() {
                Ok(reply) => {
                    self.pending = self.pending.saturating_sub(1);
                    out.push(reply);
                }
                Err(TryRecvError::Empty) => return out,
                Err(TryRecvError::Disconnected) => {
                    self.pending = 0;
                    return out;
                }
            }
        }
    }

    pub fn pending(&self) -> usize {
        self.pending
    }
}

/// The likely duplicates of `id`, each named (the other of each pair).
fn duplicates_of(store: &Store, id: ContactId) -> StoreResult<Vec<Duplicate>> {
    store
        .duplicates_of(id)?
        .into_iter()
        .map(|pair| {
            let other = if pair.keep == id {
                pair.other
            } else {
                pair.keep
            };
            Ok(Duplicate {
                id: other,
                name: store.contact(other)?.name,
                reasons: pair.reasons,
            })
        })
        .collect()
}
