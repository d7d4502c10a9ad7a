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

use std::collections::BTreeMap;

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
/// Scores every client: the reference the store's basket index must agree with.
pub fn similar_clients(
    target: &ContactHistory,
    all: &[ContactHistory],
    items: &ItemModel,
    n: usize,
) -> Vec<(ContactId, f64)> {
    let mut by_basket: BTreeMap<Vec<&str>, Vec<ContactId>> = BTreeMap::new();
    for h in all.iter().filter(|h| h.contact_id != target.contact_id) {
        let basket = items_of(h, NaiveDate::MAX);
        if !basket.is_empty() {
            by_basket.entry(basket).or_default().push(h.contact_id);
        }
    }
    let scorer = BasketScorer::new(target, items);
    let scored = by_basket
        .iter()
        .map(|(basket, members)| (members, scorer.score(basket)))
        .collect();
    let found: Result<_, std::convert::Infallible> = most_alike(scored, n, |members, k| {
        let mut members = (*members).clone();
        members.sort_unstable();
        members.truncate(k);
        Ok(members)
    });
    found.unwrap_or_else(|never| match never {})
}

/// Scores baskets against one client's. Similarity depends on the two baskets alone, so clients
/// who bought the same services score alike and a store can score each distinct basket once.
pub struct BasketScorer<'m> {
    rarity: Rarity<'m>,
    /// The target's items, sorted by name, and the norm of its weights.
    mine: Vec<(String, f64)>,
    norm_mine: f64,
}

impl<'m> BasketScorer<'m> {
    pub fn new(target: &ContactHistory, items: &'m ItemModel) -> BasketScorer<'m> {
        let rarity = Rarity::new(items);
        let mine: Vec<(String, f64)> = rarity
            .basket(target)
            .into_iter()
            .map(|(name, w)| (name.to_string(), w))
            .collect();
        let norm_mine = mine.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
        BasketScorer {
            rarity,
            mine,
            norm_mine,
        }
    }

    /// Whether the target bought anything (else nobody can be alike).
    pub fn has_basket(&self) -> bool {
        !self.mine.is_empty()
    }

    /// The similarity of a basket of distinct, trimmed item names sorted by name (as
    /// [`items_of`] gives them) to the target's; 0 when they share nothing.
    pub fn score<S: AsRef<str>>(&self, basket: &[S]) -> f64 {
        let (mut dot, mut evidence, mut norm) = (0.0, 0.0, 0.0);
        for name in basket {
            let name = name.as_ref();
            let shared = self.mine.binary_search_by(|(m, _)| m.as_str().cmp(name));
            let w = match shared {
                Ok(at) => self.mine[at].1,
                Err(_) => self.rarity.of(name),
            };
            norm += w * w;
            if shared.is_ok() {
                dot += w * w;
                evidence += w;
            }
        }
        similarity(dot, evidence, self.norm_mine, norm.sqrt())
    }
}

/// The `n` most alike clients, most similar first and ties by id, from scored baskets: `members(b,
/// k)` gives the first `k` clients holding basket `b` by id (the target left out). Baskets that
/// share nothing (0) are skipped; only the members of the best baskets are read.
pub fn most_alike<B, E>(
    mut scored: Vec<(B, f64)>,
    n: usize,
    mut members: impl FnMut(&B, usize) -> Result<Vec<ContactId>, E>,
) -> Result<Vec<(ContactId, f64)>, E> {
    scored.retain(|(_, s)| *s > 0.0);
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut found = Vec::with_capacity(n);
    let mut rest = scored.as_slice();
    while found.len() < n && !rest.is_empty() {
        // Baskets scoring exactly alike tie: their members merge by id.
        let s = rest[0].1;
        let tied = rest.iter().take_while(|(_, t)| *t == s).count();
        let wanted = n - found.len();
        let mut ids = Vec::new();
        for (basket, _) in &rest[..tied] {
            ids.extend(members(basket, wanted)?);
        }
        ids.sort_unstable();
        found.extend(ids.into_iter().take(wanted).map(|id| (id, s)));
        rest = &rest[tied..];
    }
    Ok(found)
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
    fn baskets_scoring_alike_merge_their_members_by_id_and_only_the_best_are_read() {
        // Baskets a (0.5), b (0.5) tie; c (0.2) comes after; d shares nothing.
        let scored = vec![("c", 0.2), ("a", 0.5), ("d", 0.0), ("b", 0.5)];
        let members = |basket: &&str, k: usize| -> Vec<ContactId> {
            let all: &[ContactId] = match *basket {
                "a" => &[4, 9],
                "b" => &[2, 7, 8],
                "c" => &[1, 3],
                _ => &[5],
            };
            all.iter().copied().take(k).collect()
        };
        let pick = |n| {
            let mut read = Vec::new();
            let found = most_alike(scored.clone(), n, |b, k| {
                read.push(*b);
                Ok::<_, ()>(members(b, k))
            })
            .unwrap();
            (found, read)
        };
        let (found, read) = pick(3);
        assert_eq!(found, [(2, 0.5), (4, 0.5), (7, 0.5)]);
        assert_eq!(
            read,
            ["a", "b"],
            "c is never read once the ties fill the list"
        );
        assert_eq!(
            pick(10).0,
            [
                (2, 0.5),
                (4, 0.5),
                (7, 0.5),
                (8, 0.5),
                (9, 0.5),
                (1, 0.2),
                (3, 0.2)
            ]
        );
        assert!(pick(0).0.is_empty());
    }

    #[test]
    fn a_basket_scores_the_same_from_any_client_holding_it() {
        // Repeats, padding and blanks do not change a basket: clients 2 and 3 hold the same one.
        let items = model(8, &[("Audit", 8), ("Brand", 2)]);
        let target = client(1, &["Audit", "Brand", "Zine"]);
        let all = [
            client(2, &["Brand", "Audit"]),
            client(3, &[" Brand ", "Audit", "Audit", "  "]),
            client(4, &["Copy"]),
        ];
        let found = similar_clients(&target, &all, &items, 5);
        let scorer = BasketScorer::new(&target, &items);
        let s = scorer.score(&["Audit", "Brand"]);
        assert_eq!(found, [(2, s), (3, s)]);
        assert_eq!(scorer.score(&["Copy"]), 0.0);
        assert!(!BasketScorer::new(&client(9, &[""]), &items).has_basket());
    }
}
