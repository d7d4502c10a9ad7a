//! Names and "wants" for clusters, from where their centroids sit in standardised
//! (recency, frequency, monetary) space: each name has a prototype position, and clusters take the
//! nearest free name, closest pairs first, so names are unique and deterministic.

/// (name, prototype z-scores of log recency / log frequency / log monetary, what they want).
const PROFILES: [(&str, [f64; 3], &str); 9] = [
    (
        "Champions",
        [-1.0, 1.0, 1.0],
        "VIP treatment, early access and a reason to refer friends",
    ),
    (
        "Loyal regulars",
        [-0.5, 1.0, 0.0],
        "recognition, a loyalty programme and an upgrade offer",
    ),
    (
        "Big spenders slipping",
        [1.0, 0.5, 1.0],
        "a personal call before they go, reminding them what worked",
    ),
    (
        "Lapsed regulars",
        [1.0, 1.0, -0.5],
        "a win-back offer built on what they used to buy",
    ),
    (
        "Newcomers",
        [-1.0, -1.0, -0.5],
        "a warm welcome and a reason for a second purchase",
    ),
    (
        "Promising",
        [-0.5, -0.3, 0.5],
        "a personalised offer that turns a good first order into a habit",
    ),
    (
        "Occasional",
        [0.0, -0.5, -0.5],
        "timely reminders and small bundles that fit their rhythm",
    ),
    (
        "Fading",
        [0.5, 0.0, 0.0],
        "a check-in and a fresh idea before they drift away",
    ),
    (
        "Dormant",
        [1.0, -1.0, -1.0],
        "a low-cost win-back or an exit survey; not much more effort",
    ),
];

const UNNAMED_WANTS: &str = "a closer look: this group has no clear profile yet";

fn distance2(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum()
}

/// (name, wants) for each centroid, in the same order; clusters beyond the named profiles are
/// called "Group n" (n = 1-based position).
pub fn name_clusters(centroids: &[[f64; 3]]) -> Vec<(String, String)> {
    let mut pairs: Vec<(f64, usize, usize)> = Vec::with_capacity(centroids.len() * PROFILES.len());
    for (c, centroid) in centroids.iter().enumerate() {
        for (p, profile) in PROFILES.iter().enumerate() {
            pairs.push((distance2(centroid, &profile.1), c, p));
        }
    }
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut chosen: Vec<Option<usize>> = vec![None; centroids.len()];
    let mut taken = [false; PROFILES.len()];
    for (_, c, p) in pairs {
        if chosen[c].is_none() && !taken[p] {
            chosen[c] = Some(p);
            taken[p] = true;
        }
    }
    chosen
        .iter()
        .enumerate()
        .map(|(i, p)| match p {
            Some(p) => (PROFILES[*p].0.to_string(), PROFILES[*p].2.to_string()),
            None => (format!("Group {}", i + 1), UNNAMED_WANTS.to_string()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_centroids_and_are_unique() {
        let names = name_clusters(&[[-1.2, 1.1, 0.9], [1.1, -0.9, -1.0], [-0.9, -1.1, -0.4]]);
        let names: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["Champions", "Dormant", "Newcomers"]);
        let many = name_clusters(&vec![[0.0; 3]; 11]);
        let mut unique: Vec<&String> = many.iter().map(|(n, _)| n).collect();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 11);
        assert!(many
            .iter()
            .any(|(n, w)| n.starts_with("Group") && w == UNNAMED_WANTS));
    }
}
