//! What a client is likely to spend per purchase day from now on: the Gamma-Gamma model (Fader,
//! Hardie & Lee 2005, "RFM and CLV: using iso-value curves"). Each client's true mean spend is
//! drawn from a population distribution; their observed mean over x purchase days is a noisy
//! view of it, so the estimate leans toward the population mean by how little the client has
//! bought:
//!
//!   E[spend | x, m̄] = w·m̄ + (1 − w)·μ,  w = p·x / (p·x + q − 1),  μ = γ·p / (q − 1).
//!
//! One unusually large single order (x = 1) is therefore not taken as the client's habit.

use serde::{Deserialize, Serialize};

use super::exact;
use super::optimise::{ln_gamma, minimise};
use super::stats::mix;
use crate::domain::ContactId;

/// At most this many clients are used for the fit (a fixed hash sample), so a refit at 100,000
/// clients costs what one at 5,000 does; the population's three numbers are well determined by
/// then.
const MAX_FIT_CLIENTS: usize = 5_000;
/// Fewer buyers with a positive spend than this and no shrinkage is applied.
const MIN_FIT_CLIENTS: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SpendModel {
    #[serde(with = "exact::num")]
    pub p: f64,
    #[serde(with = "exact::num")]
    pub q: f64,
    #[serde(with = "exact::num")]
    pub gamma: f64,
    /// Buyers it was fitted on (0: not fitted, spend is taken as observed).
    pub clients: usize,
}

impl Default for SpendModel {
    fn default() -> Self {
        SpendModel {
            p: 1.0,
            q: 2.0,
            gamma: 1.0,
            clients: 0,
        }
    }
}

/// One buyer's spend summary for the fit: purchase days and mean spend per purchase day
/// (major units).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpendSample {
    pub contact_id: ContactId,
    pub days: u32,
    pub mean: f64,
}

/// The Gamma-Gamma log-likelihood of a set of buyers, arranged so each evaluation costs one
/// logarithm per buyer: the ln Γ terms depend only on the number of purchase days, which few
/// distinct values take, so they are computed once per value.
struct Likelihood {
    /// (purchase days x, buyers with x, Σ ln m̄ over them).
    by_days: Vec<(f64, f64, f64)>,
    /// (x, m̄, ln m̄) of each buyer.
    buyers: Vec<(f64, f64, f64)>,
}

impl Likelihood {
    fn new(samples: &[&SpendSample]) -> Likelihood {
        let mut by_days: Vec<(f64, f64, f64)> = Vec::new();
        let mut buyers = Vec::with_capacity(samples.len());
        for s in samples {
            let (x, ln_m) = (f64::from(s.days), s.mean.ln());
            buyers.push((x, s.mean, ln_m));
            match by_days.iter_mut().find(|(d, _, _)| *d == x) {
                Some(group) => {
                    group.1 += 1.0;
                    group.2 += ln_m;
                }
                None => by_days.push((x, 1.0, ln_m)),
            }
        }
        Likelihood { by_days, buyers }
    }

    /// Σ over buyers of ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px − 1) ln m̄ + px ln x
    /// − (px + q) ln(γ + m̄x).
    fn at(&self, [p, q, g]: [f64; 3]) -> f64 {
        let (ln_gamma_q, ln_g) = (ln_gamma(q), g.ln());
        let grouped: f64 = self
            .by_days
            .iter()
            .map(|&(x, n, sum_ln_m)| {
                let px = p * x;
                n * (ln_gamma(px + q) - ln_gamma(px) - ln_gamma_q + q * ln_g + px * x.ln())
                    + (px - 1.0) * sum_ln_m
            })
            .sum();
        let each: f64 = self
            .buyers
            .iter()
            .map(|&(x, m, _)| (p * x + q) * (g + m * x).ln())
            .sum();
        grouped - each
    }
}

impl SpendModel {
    /// Population mean spend per purchase day (major units).
    pub fn population_mean(&self) -> f64 {
        self.gamma * self.p / (self.q - 1.0)
    }

    pub fn is_fitted(&self) -> bool {
        self.clients > 0
    }

    /// Maximum-likelihood p, q, γ over buyers with a positive spend (samples in contact-id
    /// order); unfitted when too few or when the fit has no finite mean (q ≤ 1).
    pub fn fit(samples: &[SpendSample]) -> SpendModel {
        let mut usable: Vec<&SpendSample> = samples
            .iter()
            .filter(|s| s.days > 0 && s.mean.is_finite() && s.mean > 0.0)
            .collect();
        if usable.len() < MIN_FIT_CLIENTS {
            return SpendModel::default();
        }
        if usable.len() > MAX_FIT_CLIENTS {
            // The same clients every time for the same data: the smallest hashes.
            usable.sort_by_key(|s| (mix(s.contact_id), s.contact_id));
            usable.truncate(MAX_FIT_CLIENTS);
        }
        let mean_spend = usable.iter().map(|s| s.mean).sum::<f64>() / usable.len() as f64;
        let likelihood = Likelihood::new(&usable);
        let objective = |theta: &[f64; 3]| {
            let ll = likelihood.at(theta.map(f64::exp));
            if ll.is_finite() {
                -ll
            } else {
                f64::INFINITY
            }
        };
        // Start where the population mean is the sample mean: p = 1, q = 2, γ = mean.
        let start = [0.0, 2f64.ln(), mean_spend.ln()];
        let (theta, _) = minimise(objective, start, 0.5, 1_500, 4);
        let [p, q, gamma] = theta.map(f64::exp);
        if !(p.is_finite() && q.is_finite() && gamma.is_finite() && q > 1.0) {
            return SpendModel::default();
        }
        SpendModel {
            p,
            q,
            gamma,
            clients: usable.len(),
        }
    }

    /// The expected spend per purchase day of a client with `days` purchase days averaging
    /// `mean` (major units); the observed mean when the model is not fitted.
    pub fn expected(&self, days: u32, mean: f64) -> f64 {
        if !self.is_fitted() || days == 0 {
            return mean;
        }
        let px = self.p * f64::from(days);
        let w = px / (px + self.q - 1.0);
        w * mean + (1.0 - w) * self.population_mean()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::optimise::ln_gamma;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    /// Gamma(shape, scale 1): sums of exponentials for the integer shapes used here.
    fn gamma_int(rng: &mut StdRng, shape: u32) -> f64 {
        (0..shape).map(|_| -rng.gen::<f64>().max(1e-300).ln()).sum()
    }

    #[test]
    fn the_grouped_likelihood_is_the_sum_of_each_buyers() {
        // One buyer's Gamma-Gamma log-likelihood written out term by term.
        let one = |[p, q, g]: [f64; 3], x: f64, m: f64| {
            ln_gamma(p * x + q) - ln_gamma(p * x) - ln_gamma(q)
                + q * g.ln()
                + (p * x - 1.0) * m.ln()
                + p * x * x.ln()
                - (p * x + q) * (g + m * x).ln()
        };
        let samples: Vec<SpendSample> = [(1, 120.0), (3, 80.0), (1, 40.0), (7, 200.0), (3, 10.0)]
            .iter()
            .enumerate()
            .map(|(i, (days, mean))| SpendSample {
                contact_id: i as ContactId,
                days: *days,
                mean: *mean,
            })
            .collect();
        let refs: Vec<&SpendSample> = samples.iter().collect();
        let params = [1.7, 3.2, 55.0];
        let direct: f64 = samples
            .iter()
            .map(|s| one(params, f64::from(s.days), s.mean))
            .sum();
        assert!((Likelihood::new(&refs).at(params) - direct).abs() < 1e-9);
    }

    #[test]
    fn shrinkage_by_hand() {
        let m = SpendModel {
            p: 2.0,
            q: 3.0,
            gamma: 100.0,
            clients: 50,
        };
        // μ = 100·2 / 2 = 100. One day at 1,000: w = 2 / (2 + 2) = 0.5 → 550.
        assert_eq!(m.population_mean(), 100.0);
        assert_eq!(m.expected(1, 1_000.0), 550.0);
        // Eight days at 1,000: w = 16 / 18 → 1000·8/9 + 100/9 = 900.
        assert!((m.expected(8, 1_000.0) - 900.0).abs() < 1e-9);
        assert_eq!(SpendModel::default().expected(1, 1_000.0), 1_000.0);
    }

    #[test]
    fn the_fit_recovers_the_population_and_tames_a_one_off() {
        // Each client's purchases ~ Gamma(p = 1, rate ν) with ν ~ Gamma(q = 4, rate γ = 900):
        // population mean γp/(q − 1) = 300, and one purchase says little about a client.
        let mut rng = StdRng::seed_from_u64(5);
        let samples: Vec<SpendSample> = (0..3_000)
            .map(|i| {
                let nu = gamma_int(&mut rng, 4) / 900.0;
                let days = rng.gen_range(1..=6);
                let total: f64 = (0..days).map(|_| gamma_int(&mut rng, 1) / nu).sum();
                SpendSample {
                    contact_id: i,
                    days,
                    mean: total / f64::from(days),
                }
            })
            .collect();
        let m = SpendModel::fit(&samples);
        assert!(m.is_fitted());
        assert!(
            (m.population_mean() / 300.0 - 1.0).abs() < 0.1,
            "{m:?} mean {}",
            m.population_mean()
        );
        // A single order ten times the usual is expected to repeat at well under half its size;
        // the same average over many purchase days is believed far more.
        let once = m.expected(1, 3_000.0);
        let often = m.expected(12, 3_000.0);
        assert!(once < 1_500.0 && once > 300.0, "{once}");
        assert!(often > 2.0 * once, "{once} {often}");
        // Too few buyers: spend is taken as observed.
        assert!(!SpendModel::fit(&samples[..5]).is_fitted());
    }
}
