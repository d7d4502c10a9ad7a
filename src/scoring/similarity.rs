//! Cosine similarity, and the clients whose purchases look most like a given client's.
//!
//! Two clients are compared on the set of services each bought (bought or not, any date; names
//! trimmed, blank ones skipped). Each service `i` weighs by how rare it is:
//!
//! ```text
//! w(i) = ln(1 + N / b(i))
//! ```
//!
//! with `b(i)` the clients the item model saw buy it (1 for an item it does not model: new since
//! the fit or beyond its most-bought items) and `N` the clients who bought anything at the fit (at
//! least the largest `b`, and at least 1). For clients A and B with shared services S:
//!
//! ```text
//! cos        = Σ_{i∈S} w(i)² / (√(Σ_{i∈A} w(i)²) · √(Σ_{i∈B} w(i)²))
//! evidence   = Σ_{i∈S} w(i)
//! similarity = cos · evidence / (evidence + EVIDENCE_AT_HALF)        (EVIDENCE_AT_HALF = 2)
//! ```
//!
//! The shrink has to carry the rarity itself: when both baskets hold the same single service the
//! weighted cosine is 1 whatever the weight, so two buyers of one common service would still be
//! "1.00 alike". Clients who share nothing score 0 and are not listed. Bought-or-not rather than
//! purchase counts (like the item model), so a retainer billed monthly does not drown every other
//! service.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::items::{items_of, ItemModel};
use crate::domain::{ContactHistory, ContactId};

/// Shared rarity (in nats) at which the similarity is halved: 2 ≈ one service bought by one
/// client in 6.4 (ln 7.4 = 2). One service bought by most clients (w < ln 3) then keeps under 0.36
/// of the cosine, one bought by 1 in 10 (w = ln 11 = 2.4) 0.55, and three of those (evidence ≥ 7.2)
/// at least 0.78. Shrinking by the number of shared services, shared / (shared + 2), would cap
/// three shared services at 0.6 and treat a common one like a rare one.
const EVIDENCE_AT_HALF: f64 = 2.0;

/// u·v / (‖u‖‖v‖); 0 when either vector is all zeros. Extra elements of the longer one count as 0.
pub fn cosine(u: &[f64], v: &[f64]) -> f64 {
    let dot: f64 = u.iter().zip(v).map(|(a, b)| a * b).sum();
    let nu = u.iter().map(|a| a * a).sum::<f64>().sqrt();
    let nv = v.iter().map(|b| b * b).sum::<f64>().sqrt();
    if nu == 0.0 || nv == 0.0 {
        0.0
    } else {
        dot / (nu * nv)
    }
}

/// How much sharing an item says about two clients: `ln(1 + N / buyers)`.
struct Rarity<'m> {
    items: &'m ItemModel,
    clients: f64,
}

impl<'m> Rarity<'m> {
    fn new(items: &'m ItemModel) -> Rarity<'m> {
        // Models saved before `clients` was kept have 0 there; the most-bought item's buyers is
        // the best lower bound they hold.
        let most_buyers = items.items.iter().map(|i| i.buyers).max().unwrap_or(0);
        let clients = items.clients.max(most_buyers).max(1);
        Rarity {
            items,
            clients: f64::from(clients),
        }
    }

    fn of(&self, item: &str) -> f64 {
        let buyers = self.items.buyers_of(item).unwrap_or(1).max(1);
        (1.0 + self.clients / f64::from(buyers)).ln()
    }

    /// The distinct items a client ever bought with their weights, sorted by name.
    fn basket<'h>(&self, history: &'h ContactHistory) -> Vec<(&'h str, f64)> {
        items_of(history, NaiveDate::MAX)
            .into_iter()
            .map(|name| (name, self.of(name)))
            .collect()
    }
}

/// The similarity from the sums over two baskets (each summed in name order), as the module doc
/// gives it: `dot` and `evidence` over the shared items, the norms over each whole basket.
fn similarity(dot: f64, evidence: f64, norm_a: f64, norm_b: f64) -> f64 {
    if dot == 0.0 {
        return 0.0;
    }
    dot / (norm_a * norm_b) * evidence / (evidence + EVIDENCE_AT_HALF)
}

/// The `n` clients most like `target` (see the module doc), most similar first (ties by id); the
/// target itself and clients with nothing in common are left out. `items` gives the rarities.
pub fn similar_clients(
    target: &ContactHistory,
    all: &[ContactHistory],
    items: &ItemModel,
    n: usize,
) -> Vec<(ContactId, f64)> {
    let mut search = SimilarSearch::new(target, items, n);
    for h in all {
        for item in &h.purchases {
            search.bought(h.contact_id, item.item.as_deref());
        }
    }
    search.finish()
}

/// [`similar_clients`] over baskets that stream past one purchase at a time, each client's
/// purchases together (as an index in client order gives them), holding one basket at a time.
/// Item names are interned as they first appear (a business sells few services), so a purchase
/// costs one lookup and no allocation.
pub struct SimilarSearch<'m> {
    rarity: Rarity<'m>,
    target: ContactId,
    /// The target's items, sorted by name, and the norm of its weights.
    mine: Vec<(String, f64)>,
    norm_mine: f64,
    n: usize,
    found: Vec<(ContactId, f64)>,
    current: ContactId,
    ids: HashMap<String, u32>,
    /// Per interned item: name, weight, and whether the target bought it.
    names: Vec<String>,
    weights: Vec<f64>,
    shared_item: Vec<bool>,
    /// The current client's distinct items so far, and whether one is the target's.
    basket: Vec<u32>,
    shared: bool,
}

impl<'m> SimilarSearch<'m> {
    pub fn new(target: &ContactHistory, items: &'m ItemModel, n: usize) -> SimilarSearch<'m> {
        let rarity = Rarity::new(items);
        let mine: Vec<(String, f64)> = rarity
            .basket(target)
            .into_iter()
            .map(|(name, w)| (name.to_string(), w))
            .collect();
        let norm_mine = mine.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
        SimilarSearch {
            rarity,
            target: target.contact_id,
            mine,
            norm_mine,
            n,
            found: Vec::new(),
            current: ContactId::MIN,
            ids: HashMap::new(),
            names: Vec::new(),
            weights: Vec::new(),
            shared_item: Vec::new(),
            basket: Vec::new(),
            shared: false,
        }
    }

    /// Whether the target's own basket has any item (else nobody can be alike).
    pub fn has_basket(&self) -> bool {
        !self.mine.is_empty() && self.n > 0
    }

    /// Whether `item` is one the target bought (a client who bought none of them scores 0).
    fn shares(&self, item: &str) -> bool {
        self.mine
            .binary_search_by(|(name, _)| name.as_str().cmp(item.trim()))
            .is_ok()
    }

    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        self.weights.push(self.rarity.of(name));
        self.shared_item.push(self.shares(name));
        self.ids.insert(name.to_string(), id);
        id
    }

    /// One purchase of `contact` (blank items count for nothing).
    pub fn bought(&mut self, contact: ContactId, item: Option<&str>) {
        if contact != self.current {
            self.close();
            self.current = contact;
        }
        let Some(name) = item.map(str::trim).filter(|s| !s.is_empty()) else {
            return;
        };
        if contact == self.target || !self.has_basket() {
            return;
        }
        let id = self.intern(name);
        if !self.basket.contains(&id) {
            self.shared |= self.shared_item[id as usize];
            self.basket.push(id);
        }
    }

    /// Scores the current client's basket, summed in name order whatever order its items came in.
    fn close(&mut self) {
        if self.shared {
            let names = &self.names;
            self.basket
                .sort_unstable_by(|a, b| names[*a as usize].cmp(&names[*b as usize]));
            let (mut dot, mut evidence, mut norm) = (0.0, 0.0, 0.0);
            for &id in &self.basket {
                let w = self.weights[id as usize];
                norm += w * w;
                if self.shared_item[id as usize] {
                    dot += w * w;
                    evidence += w;
                }
            }
            let s = similarity(dot, evidence, self.norm_mine, norm.sqrt());
            if s > 0.0 {
                self.found.push((self.current, s));
            }
        }
        self.basket.clear();
        self.shared = false;
    }

    /// The `n` most alike, most similar first (ties by id).
    pub fn finish(mut self) -> Vec<(ContactId, f64)> {
        self.close();
        let mut found = self.found;
        found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        found.truncate(self.n);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PurchaseEvent;
    use crate::scoring::items::Item;

    fn client(id: ContactId, items: &[&str]) -> ContactHistory {
        ContactHistory {
            contact_id: id,
            purchases: items
                .iter()
                .map(|i| PurchaseEvent {
                    date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                    amount: 100,
                    item: Some(i.to_string()),
                })
                .collect(),
            ..Default::default()
        }
    }

    fn model(clients: u32, buyers: &[(&str, u32)]) -> ItemModel {
        ItemModel {
            items: buyers
                .iter()
                .map(|(name, b)| Item {
                    name: name.to_string(),
                    buyers: *b,
                    neighbours: Vec::new(),
                })
                .collect(),
            popular: Vec::new(),
            clients,
        }
    }

    #[test]
    fn a_hand_computed_example() {
        // N = 8. Audit bought by all 8: w = ln 2 = 0.6931; Brand by 2: w = ln 5 = 1.6094; Zine is
        // not modelled, so counts as bought by 1: w = ln 9 = 2.1972.
        // Target {Audit, Brand}: ‖t‖ = √(0.4805 + 2.5903) = 1.7524.
        // #2 {Audit}:        cos = 0.4805 / (1.7524 · 0.6931) = 0.3956, evidence 0.6931,
        //                    shrink 0.6931 / 2.6931 = 0.2574 → 0.1018.
        // #3 {Audit, Brand}: cos = 1, evidence ln 10 = 2.3026, shrink 2.3026 / 4.3026 → 0.5352.
        // #4 {Brand, Zine}:  cos = 2.5903 / (1.7524 · √(2.5903 + 4.8278)) = 2.5903 / 4.7729
        //                    = 0.5427, evidence 1.6094, shrink 1.6094 / 3.6094 = 0.4459 → 0.2420.
        // #5 {Zine, Copy} shares nothing and is left out, as is the target itself; its Brand
        // bought twice (once with spaces) counts once.
        let items = model(8, &[("Audit", 8), ("Brand", 2)]);
        let target = client(1, &["Audit", "Brand", " Brand "]);
        let all = [
            client(2, &["Audit", "Audit", "Audit"]),
            client(3, &["Brand", "Audit"]),
            client(4, &["Brand", "Zine", ""]),
            client(5, &["Zine", "Copy"]),
            target.clone(),
        ];
        let found = similar_clients(&target, &all, &items, 10);
        let ids: Vec<ContactId> = found.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, [3, 4, 2]);
        let (ln2, ln5, ln9) = (2f64.ln(), 5f64.ln(), 9f64.ln());
        let norm_t = (ln2 * ln2 + ln5 * ln5).sqrt();
        let shrink = |e: f64| e / (e + 2.0);
        let exact = [
            shrink(ln2 + ln5),
            ln5 * ln5 / (norm_t * (ln5 * ln5 + ln9 * ln9).sqrt()) * shrink(ln5),
            ln2 / norm_t * shrink(ln2),
        ];
        for ((_, got), (want, hand)) in found.iter().zip(exact.iter().zip([0.5352, 0.2420, 0.1018]))
        {
            assert!((got - want).abs() < 1e-12, "{got} vs {want}");
            assert!((got - hand).abs() < 5e-5, "{got} vs hand-computed {hand}");
        }
        assert_eq!(similar_clients(&target, &all, &items, 1).len(), 1);
        assert!(similar_clients(&client(9, &[]), &all, &items, 3).is_empty());
    }

    #[test]
    fn equal_baskets_tie_by_id_and_rarity_survives_models_without_a_client_count() {
        let target = client(1, &["Audit"]);
        let all = [client(7, &["Audit"]), client(3, &["Audit"]), target.clone()];
        // An old model: no client count, so N is the most-bought item's 6 buyers.
        let old = model(0, &[("Audit", 3), ("Brand", 6)]);
        let w = 3f64.ln(); // ln(1 + 6 / 3)
        let found = similar_clients(&target, &all, &old, 5);
        assert_eq!(found, [(3, w / (w + 2.0)), (7, w / (w + 2.0))]);
        // No model at all: every item is as rare as can be, N = 1, w = ln 2.
        let none = similar_clients(&target, &all, &ItemModel::default(), 5);
        let w = 2f64.ln();
        assert_eq!(none[0], (3, w / (w + 2.0)));
    }

    #[test]
    fn a_streamed_basket_scores_as_the_whole_one_in_any_order_with_repeats_and_blanks() {
        let items = model(8, &[("Audit", 8), ("Brand", 2)]);
        let target = client(1, &["Audit", "Brand", "Zine"]);
        let all = [
            client(2, &["Brand", "Audit"]),
            client(3, &["Zine"]),
            client(4, &["Copy"]),
        ];
        let whole = similar_clients(&target, &all, &items, 5);
        assert_eq!(whole.len(), 2, "{whole:?}");
        let mut search = SimilarSearch::new(&target, &items, 5);
        // Client 2's purchases out of order, repeated, padded; a blank and the target itself.
        for (contact, item) in [
            (1, Some("Audit")),
            (2, Some(" Brand ")),
            (2, None),
            (2, Some("Audit")),
            (2, Some("Brand")),
            (2, Some("  ")),
            (3, Some("Zine")),
            (4, Some("Copy")),
        ] {
            search.bought(contact, item);
        }
        assert_eq!(search.finish(), whole);
    }
}
