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
    /// Clients who bought anything, the base of an item's rarity; 0 in models saved before it
    /// was kept.
    #[serde(default)]
    pub clients: u32,
}

fn clean(item: &Option<String>) -> Option<&str> {
    item.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Distinct items a client bought on or before `as_of`, sorted.
pub fn items_of(h: &ContactHistory, as_of: NaiveDate) -> Vec<&str> {
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

/// The distinct items each client bought, names interned: all the item model is fitted from, so a
/// refit can gather it one client at a time.
#[derive(Debug, Default)]
pub struct Baskets {
    names: Vec<String>,
    index: HashMap<String, u32>,
    baskets: Vec<Vec<u32>>,
}

impl Baskets {
    /// Adds what `h` bought on or before `as_of` (clients who bought nothing add nothing) and
    /// returns it, interned.
    pub fn add(&mut self, h: &ContactHistory, as_of: NaiveDate) -> Vec<u32> {
        let basket: Vec<u32> = items_of(h, as_of)
            .into_iter()
            .map(|name| match self.index.get(name) {
                Some(&id) => id,
                None => {
                    let id = self.names.len() as u32;
                    self.names.push(name.to_string());
                    self.index.insert(name.to_string(), id);
                    id
                }
            })
            .collect();
        if !basket.is_empty() {
            self.baskets.push(basket.clone());
        }
        basket
    }

    /// The names of an interned basket, sorted as [`items_of`] gives them.
    pub fn names_of(&self, basket: &[u32]) -> Vec<&str> {
        let mut names: Vec<&str> = basket
            .iter()
            .map(|&id| self.names[id as usize].as_str())
            .collect();
        names.sort_unstable();
        names
    }
}

pub fn fit_items(baskets: &Baskets) -> ItemModel {
    let names = &baskets.names;
    let mut buyers = vec![0u32; names.len()];
    baskets
        .baskets
        .iter()
        .flatten()
        .for_each(|&id| buyers[id as usize] += 1);
    // The most-bought items (ties alphabetical), then put in name order.
    let mut kept: Vec<usize> = (0..names.len()).collect();
    kept.sort_by(|&a, &b| buyers[b].cmp(&buyers[a]).then(names[a].cmp(&names[b])));
    kept.truncate(MAX_ITEMS);
    let popular_ids: Vec<usize> = kept.iter().take(MAX_POPULAR).copied().collect();
    kept.sort_by(|&a, &b| names[a].cmp(&names[b]));
    // `slot[id]`: the item's index in the final (name) order, if it is modelled.
    let mut slot: Vec<Option<usize>> = vec![None; names.len()];
    for (i, &id) in kept.iter().enumerate() {
        slot[id] = Some(i);
    }
    let m = kept.len();
    let mut co = vec![0u32; m * m];
    let mut picked = Vec::new();
    for basket in &baskets.baskets {
        picked.clear();
        picked.extend(basket.iter().filter_map(|&id| slot[id as usize]));
        for (x, &a) in picked.iter().enumerate() {
            for &b in &picked[x + 1..] {
                co[a * m + b] += 1;
                co[b * m + a] += 1;
            }
        }
    }
    let buyers_of = |i: usize| buyers[kept[i]];
    let items = (0..m)
        .map(|a| {
            let mut neighbours: Vec<Neighbour> = (0..m)
                .filter(|b| *b != a && co[a * m + b] > 0)
                .map(|b| Neighbour {
                    item: b as u32,
                    similarity: f64::from(co[a * m + b])
                        / (f64::from(buyers_of(a)) * f64::from(buyers_of(b))).sqrt(),
                })
                .collect();
            neighbours.sort_by(|x, y| {
                y.similarity
                    .total_cmp(&x.similarity)
                    .then(x.item.cmp(&y.item))
            });
            neighbours.truncate(MAX_NEIGHBOURS);
            Item {
                name: names[kept[a]].clone(),
                buyers: buyers_of(a),
                neighbours,
            }
        })
        .collect();
    let popular = popular_ids
        .iter()
        .filter_map(|&id| slot[id].map(|i| i as u32))
        .collect();
    ItemModel {
        items,
        popular,
        clients: baskets.baskets.len() as u32,
    }
}

impl ItemModel {
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.items
            .binary_search_by(|i| i.name.as_str().cmp(name))
            .ok()
    }

    /// Distinct clients who bought `name`, if it is one of the modelled items.
    pub fn buyers_of(&self, name: &str) -> Option<u32> {
        self.index_of(name.trim()).map(|i| self.items[i].buyers)
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
        self.offer_for(&items_of(history, as_of))
    }

    /// [`ItemModel::next_offer`] for a client who owns `owned` (distinct names, sorted).
    pub fn offer_for(&self, owned: &[&str]) -> Option<String> {
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
