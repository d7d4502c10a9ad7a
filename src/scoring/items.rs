//! Item-based collaborative filtering: cosine similarity between items over the client × item
//! purchase matrix (bought or not), computed at fit time for the most-bought items and kept as a
//! short neighbour list per item, so scoring one client only reads that client's items.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::ContactHistory;

use super::exact;

/// Only the most-bought items are modelled, so the model stays small and the fit fast.
const MAX_ITEMS: usize = 400;
const MAX_NEIGHBOURS: usize = 10;
const MAX_POPULAR: usize = 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Neighbour {
    /// Index into `ItemModel::items`.
    pub item: u32,
    #[serde(with = "exact::num")]
    pub similarity: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub name: String,
    /// Distinct clients who bought it.
    pub buyers: u32,
    /// Most similar items first.
    pub neighbours: Vec<Neighbour>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ItemModel {
    /// Sorted by name (looked up by binary search).
    pub items: Vec<Item>,
    /// Indices of the most-bought items, most buyers first: the offer when similarity says nothing.
    pub popular: Vec<u32>,
}

fn clean(item: &Option<String>) -> Option<&str> {
    item.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Distinct items a client bought on or before `as_of`.
fn items_of(h: &ContactHistory, as_of: NaiveDate) -> Vec<&str> {
    let mut names: Vec<&str> = h
        .purchases
        .iter()
        .filter(|p| p.date <= as_of)
        .filter_map(|p| clean(&p.item))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

pub fn fit_items(histories: &[&ContactHistory], today: NaiveDate) -> ItemModel {
    let baskets: Vec<Vec<&str>> = histories.iter().map(|h| items_of(h, today)).collect();
    let mut buyers: HashMap<&str, u32> = HashMap::new();
    baskets
        .iter()
        .flatten()
        .for_each(|name| *buyers.entry(name).or_default() += 1);
    let mut names: Vec<(&str, u32)> = buyers.into_iter().collect();
    names.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    names.truncate(MAX_ITEMS);
    // Final order is by name; `slot` maps a name to its index in that order.
    let popular_names: Vec<&str> = names.iter().take(MAX_POPULAR).map(|(n, _)| *n).collect();
    names.sort_by(|a, b| a.0.cmp(b.0));
    let slot: HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, (n, _))| (*n, i))
        .collect();
    let m = names.len();
    let mut co = vec![0u32; m * m];
    let mut picked = Vec::new();
    for basket in &baskets {
        picked.clear();
        picked.extend(basket.iter().filter_map(|n| slot.get(n).copied()));
        for (x, &a) in picked.iter().enumerate() {
            for &b in &picked[x + 1..] {
                co[a * m + b] += 1;
                co[b * m + a] += 1;
            }
        }
    }
    let items = (0..m)
        .map(|a| {
            let mut neighbours: Vec<Neighbour> = (0..m)
                .filter(|b| *b != a && co[a * m + b] > 0)
                .map(|b| Neighbour {
                    item: b as u32,
                    similarity: f64::from(co[a * m + b])
                        / (f64::from(names[a].1) * f64::from(names[b].1)).sqrt(),
                })
                .collect();
            neighbours.sort_by(|x, y| {
                y.similarity
                    .total_cmp(&x.similarity)
                    .then(x.item.cmp(&y.item))
            });
            neighbours.truncate(MAX_NEIGHBOURS);
            Item {
                name: names[a].0.to_string(),
                buyers: names[a].1,
                neighbours,
            }
        })
        .collect();
    let popular = popular_names.iter().map(|n| slot[n] as u32).collect();
    ItemModel { items, popular }
}

impl ItemModel {
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.items
            .binary_search_by(|i| i.name.as_str().cmp(name))
            .ok()
    }

    /// Stored neighbours of an item, most similar first.
    pub fn similar_items(&self, name: &str) -> Vec<(&str, f64)> {
        self.index_of(name.trim())
            .map(|i| {
                self.items[i]
                    .neighbours
                    .iter()
                    .map(|n| (self.items[n.item as usize].name.as_str(), n.similarity))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The item most similar (summed cosine) to what the client bought on or before `as_of`, not
    /// already bought; ties go to the more popular, then alphabetical. Clients whose items have no
    /// neighbours (and leads) get the most popular item they do not have.
    pub fn next_offer(&self, history: &ContactHistory, as_of: NaiveDate) -> Option<String> {
        let owned = items_of(history, as_of);
        let has = |i: usize| owned.binary_search(&self.items[i].name.as_str()).is_ok();
        let mut scores: Vec<(usize, f64)> = Vec::new();
        for n in owned
            .iter()
            .filter_map(|name| self.index_of(name))
            .flat_map(|i| &self.items[i].neighbours)
        {
            let cand = n.item as usize;
            if has(cand) {
                continue;
            }
            match scores.iter_mut().find(|(c, _)| *c == cand) {
                Some((_, s)) => *s += n.similarity,
                None => scores.push((cand, n.similarity)),
            }
        }
        let best = scores
            .iter()
            .max_by(|a, b| {
                a.1.total_cmp(&b.1)
                    .then(self.items[a.0].buyers.cmp(&self.items[b.0].buyers))
                    .then(self.items[b.0].name.cmp(&self.items[a.0].name))
            })
            .map(|(i, _)| *i)
            .or_else(|| self.popular.iter().map(|i| *i as usize).find(|i| !has(*i)));
        best.map(|i| self.items[i].name.clone())
    }
}
