//! Cosine similarity, and the clients whose purchases look most like a given client's.

use crate::domain::{ContactHistory, ContactId};

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

/// A client's item vector: (item, number of purchases), sorted by item. Blank items are skipped.
pub fn item_counts(history: &ContactHistory) -> Vec<(&str, f64)> {
    let mut names: Vec<&str> = history
        .purchases
        .iter()
        .filter_map(|p| p.item.as_deref().map(str::trim))
        .filter(|s| !s.is_empty())
        .collect();
    names.sort_unstable();
    let mut out: Vec<(&str, f64)> = Vec::new();
    for name in names {
        match out.last_mut() {
            Some((last, n)) if *last == name => *n += 1.0,
            _ => out.push((name, 1.0)),
        }
    }
    out
}

/// Cosine of two sparse sorted item vectors.
fn sparse_cosine(a: &[(&str, f64)], b: &[(&str, f64)]) -> f64 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    let norm = |v: &[(&str, f64)]| v.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
    let (na, nb) = (norm(a), norm(b));
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot / (na * nb)
    }
}

/// The `n` clients most like `target` by cosine over item purchase counts, most similar first
/// (ties by id); the target itself and clients with nothing in common are left out.
pub fn similar_clients(
    target: &ContactHistory,
    all: &[ContactHistory],
    n: usize,
) -> Vec<(ContactId, f64)> {
    let mine = item_counts(target);
    if mine.is_empty() || n == 0 {
        return Vec::new();
    }
    let mut found: Vec<(ContactId, f64)> = all
        .iter()
        .filter(|h| h.contact_id != target.contact_id)
        .map(|h| (h.contact_id, sparse_cosine(&mine, &item_counts(h))))
        .filter(|(_, s)| *s > 0.0)
        .collect();
    found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    found.truncate(n);
    found
}
