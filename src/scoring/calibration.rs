//! Turning a classifier's score into a probability that means what it says (Platt scaling), and
//! measuring whether it does: of the clients given about 60 %, about 60 % should lapse.

use serde::{Deserialize, Serialize};

use super::exact;

/// P = σ(a·z + b) over the regression's score z. Fitted on clients the regression did not see,
/// so the regularisation's pull toward 50 % and any over-confidence are undone.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Platt {
    #[serde(with = "exact::num")]
    pub a: f64,
    #[serde(with = "exact::num")]
    pub b: f64,
}

const NEWTON_STEPS: usize = 50;
/// Bins of predicted probability over which calibration error is measured.
const BINS: usize = 10;

pub fn logistic(z: f64) -> f64 {
    1.0 / (1.0 + (-z.clamp(-500.0, 500.0)).exp())
}

impl Platt {
    pub const IDENTITY: Platt = Platt { a: 1.0, b: 0.0 };

    pub fn probability(&self, z: f64) -> f64 {
        logistic(self.a * z + self.b)
    }

    /// Maximum-likelihood (a, b) for `scores` against `labels` (true = lapsed), by Newton's
    /// method with a small ridge on a − 1 and b, so a handful of clients cannot flip the order.
    /// None when either class is missing.
    pub fn fit(scores: &[f64], labels: &[bool]) -> Option<Platt> {
        let positives = labels.iter().filter(|l| **l).count();
        if positives == 0 || positives == labels.len() {
            return None;
        }
        const RIDGE: f64 = 1e-3;
        let (mut a, mut b) = (1.0, 0.0);
        for _ in 0..NEWTON_STEPS {
            // Gradient and Hessian of the negative log-likelihood plus the ridge.
            let (mut ga, mut gb) = (RIDGE * (a - 1.0), RIDGE * b);
            let (mut haa, mut hab, mut hbb) = (RIDGE, 0.0, RIDGE);
            for (z, y) in scores.iter().zip(labels) {
                let p = logistic(a * z + b);
                let r = p - f64::from(u8::from(*y));
                let w = (p * (1.0 - p)).max(1e-12);
                ga += r * z;
                gb += r;
                haa += w * z * z;
                hab += w * z;
                hbb += w;
            }
            let det = haa * hbb - hab * hab;
            if det.abs() < 1e-300 {
                break;
            }
            let da = (hbb * ga - hab * gb) / det;
            let db = (haa * gb - hab * ga) / det;
            a -= da;
            b -= db;
            if da.abs() < 1e-10 && db.abs() < 1e-10 {
                break;
            }
        }
        (a.is_finite() && b.is_finite() && a > 0.0).then_some(Platt { a, b })
    }
}

/// How well predicted probabilities match what happened.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Calibration {
    /// Clients measured.
    pub clients: usize,
    #[serde(with = "exact::num")]
    pub mean_predicted: f64,
    #[serde(with = "exact::num")]
    pub observed_rate: f64,
    /// Expected calibration error: over ten bins of predicted probability, the client-weighted
    /// mean of |mean predicted − observed rate|. 0 is perfect; 0.05 means off by 5 points.
    #[serde(with = "exact::num")]
    pub error: f64,
}

/// Calibration of `probabilities` against `labels`; None without clients.
pub fn calibration(probabilities: &[f64], labels: &[bool]) -> Option<Calibration> {
    let n = probabilities.len();
    if n == 0 || n != labels.len() {
        return None;
    }
    let mut bins = [(0usize, 0.0f64, 0usize); BINS];
    for (p, y) in probabilities.iter().zip(labels) {
        let bin = ((p.clamp(0.0, 1.0) * BINS as f64) as usize).min(BINS - 1);
        bins[bin].0 += 1;
        bins[bin].1 += p;
        bins[bin].2 += usize::from(*y);
    }
    let error = bins
        .iter()
        .filter(|(count, _, _)| *count > 0)
        .map(|(_, sum, hits)| (sum - *hits as f64).abs())
        .sum::<f64>()
        / n as f64;
    Some(Calibration {
        clients: n,
        mean_predicted: probabilities.iter().sum::<f64>() / n as f64,
        observed_rate: labels.iter().filter(|l| **l).count() as f64 / n as f64,
        error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platt_recovers_a_known_mapping() {
        // Outcomes drawn exactly at P = σ(2z − 1) over a grid of z, as expected counts: 1,000
        // clients at each z, round(1000·P) of them lapsed.
        let (mut scores, mut labels) = (Vec::new(), Vec::new());
        for k in -20..=20 {
            let z = f64::from(k) / 10.0;
            let lapsed = (1000.0 * logistic(2.0 * z - 1.0)).round() as usize;
            for i in 0..1000 {
                scores.push(z);
                labels.push(i < lapsed);
            }
        }
        let p = Platt::fit(&scores, &labels).unwrap();
        assert!(
            (p.a - 2.0).abs() < 0.01 && (p.b + 1.0).abs() < 0.01,
            "{p:?}"
        );
        let probabilities: Vec<f64> = scores.iter().map(|z| p.probability(*z)).collect();
        let c = calibration(&probabilities, &labels).unwrap();
        assert!(c.error < 0.002, "{c:?}");
        assert!((c.mean_predicted - c.observed_rate).abs() < 1e-3, "{c:?}");
        assert_eq!(logistic(0.0), 0.5);
        assert!(logistic(1e9) <= 1.0 && logistic(-1e9) >= 0.0);
        // One class only: nothing to fit.
        assert_eq!(Platt::fit(&[0.1, 0.2], &[true, true]), None);
    }

    #[test]
    fn calibration_error_by_hand() {
        // Bin 0.1–0.2: two clients at 0.1 and 0.15, one lapsed: |0.25 − 1| = 0.75.
        // Bin 0.9–1.0: two at 0.9, both lapsed: |1.8 − 2| = 0.2. Error (0.75 + 0.2) / 4.
        let c = calibration(&[0.1, 0.15, 0.9, 0.9], &[true, false, true, true]).unwrap();
        assert!((c.error - 0.2375).abs() < 1e-12, "{c:?}");
        assert!((c.mean_predicted - 0.5125).abs() < 1e-12);
        assert_eq!(c.observed_rate, 0.75);
        assert_eq!(calibration(&[], &[]), None);
    }
}
