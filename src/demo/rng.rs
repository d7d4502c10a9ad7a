//! Seeds and the few distributions the simulation needs (rand 0.8 has no normal distribution
//! without `rand_distr`, and these are a handful of lines each).

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

pub type DemoRng = Xoshiro256PlusPlus;

/// SplitMix64 finaliser: spreads nearby inputs over the whole 64-bit range.
pub fn mix(a: u64, b: u64) -> u64 {
    let mut z = a
        .wrapping_add(b.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The seed of contact `index`: depends only on the run seed and the index, never on N.
pub fn contact_seed(seed: u64, index: usize) -> u64 {
    mix(mix(seed, 0x5EED_C0DE), index as u64)
}

/// Independent streams of one contact, so that one part of the simulation consuming more or
/// fewer draws never shifts another part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Profile,
    Identity,
    Referral,
    Purchases,
    Feedback,
    Opening,
    Fade,
    /// Follow-ups planned and stay-in-touch cadences.
    Plans,
    /// Touches of the k-th purchase episode and the quiet time after it.
    Segment(u32),
}

impl Stream {
    fn tag(self) -> u64 {
        match self {
            Stream::Profile => 1,
            Stream::Identity => 2,
            Stream::Referral => 3,
            Stream::Purchases => 4,
            Stream::Feedback => 5,
            Stream::Opening => 6,
            Stream::Fade => 7,
            Stream::Plans => 8,
            Stream::Segment(k) => 1_000 + u64::from(k),
        }
    }
}

pub fn stream(contact_seed: u64, which: Stream) -> DemoRng {
    DemoRng::seed_from_u64(mix(contact_seed, which.tag()))
}

/// Standard normal by Box–Muller.
pub fn normal<R: Rng>(rng: &mut R) -> f64 {
    let u1: f64 = 1.0 - rng.gen::<f64>(); // (0, 1]
    let u2: f64 = rng.gen::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Log-normal with the given mean and coefficient of variation (spread relative to the mean).
pub fn lognormal<R: Rng>(rng: &mut R, mean: f64, cv: f64) -> f64 {
    let sigma2 = (1.0 + cv * cv).ln();
    let mu = mean.ln() - sigma2 / 2.0;
    (mu + sigma2.sqrt() * normal(rng)).exp()
}

/// Exponential with the given mean.
pub fn exponential<R: Rng>(rng: &mut R, mean: f64) -> f64 {
    -(1.0 - rng.gen::<f64>()).ln() * mean
}

/// Poisson count (Knuth for small means, rounded normal above).
pub fn poisson<R: Rng>(rng: &mut R, mean: f64) -> u32 {
    if mean <= 0.0 {
        return 0;
    }
    if mean > 30.0 {
        return (mean + mean.sqrt() * normal(rng)).round().max(0.0) as u32;
    }
    let limit = (-mean).exp();
    let mut product = rng.gen::<f64>();
    let mut count = 0;
    while product > limit {
        product *= rng.gen::<f64>();
        count += 1;
    }
    count
}

/// Index drawn with probability proportional to its weight (weights not all zero).
pub fn weighted<R: Rng>(rng: &mut R, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut target = rng.gen::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if target < *w {
            return i;
        }
        target -= w;
    }
    weights.iter().rposition(|w| *w > 0.0).unwrap_or(0)
}

/// One of the items, uniformly (items not empty).
pub fn pick<R: Rng, T: Copy>(rng: &mut R, items: &[T]) -> T {
    items[rng.gen_range(0..items.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_differ_by_index_and_run() {
        assert_ne!(contact_seed(1, 0), contact_seed(1, 1));
        assert_ne!(contact_seed(1, 0), contact_seed(2, 0));
        assert_eq!(contact_seed(7, 42), contact_seed(7, 42));
    }

    #[test]
    fn distributions_have_the_asked_means() {
        let mut rng = DemoRng::seed_from_u64(3);
        let n = 20_000;
        let ln: f64 = (0..n).map(|_| lognormal(&mut rng, 60.0, 0.3)).sum::<f64>() / n as f64;
        assert!((ln - 60.0).abs() < 1.5, "lognormal mean {ln}");
        let ex: f64 = (0..n).map(|_| exponential(&mut rng, 10.0)).sum::<f64>() / n as f64;
        assert!((ex - 10.0).abs() < 0.5, "exponential mean {ex}");
        let po: f64 = (0..n).map(|_| poisson(&mut rng, 4.0) as f64).sum::<f64>() / n as f64;
        assert!((po - 4.0).abs() < 0.1, "poisson mean {po}");
        let big: f64 = (0..n).map(|_| poisson(&mut rng, 50.0) as f64).sum::<f64>() / n as f64;
        assert!((big - 50.0).abs() < 0.5, "poisson mean {big}");
        let counts = (0..n).fold([0usize; 3], |mut c, _| {
            c[weighted(&mut rng, &[1.0, 0.0, 3.0])] += 1;
            c
        });
        assert_eq!(counts[1], 0);
        assert!((counts[2] as f64 / n as f64 - 0.75).abs() < 0.02);
    }
}
