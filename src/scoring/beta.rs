//! The Beta distribution's quantile, for the intervals the action report puts around its rates:
//! a rate of k in n gets the 90 % interval of the Jeffreys posterior Beta(k + ½, n − k + ½).

use super::optimise::ln_gamma;

/// The regularized incomplete beta function I_x(a, b): P(X ≤ x) for X ~ Beta(a, b).
pub fn beta_cdf(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front =
        (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    // The continued fraction converges fast only below the mean; above it, use the symmetry.
    if x < (a + 1.0) / (a + b + 2.0) {
        front * continued_fraction(x, a, b) / a
    } else {
        1.0 - front * continued_fraction(1.0 - x, b, a) / b
    }
}

/// The continued fraction of I_x(a, b) by the modified Lentz method (Numerical Recipes 6.4).
fn continued_fraction(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let not_zero = |v: f64| if v.abs() < TINY { TINY } else { v };
    let mut c = 1.0;
    let mut d = 1.0 / not_zero(1.0 - (a + b) * x / (a + 1.0));
    let mut h = d;
    for m in 1..=500 {
        let m = m as f64;
        let even = m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m));
        d = 1.0 / not_zero(1.0 + even * d);
        c = not_zero(1.0 + even / c);
        h *= d * c;
        let odd = -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0));
        d = 1.0 / not_zero(1.0 + odd * d);
        c = not_zero(1.0 + odd / c);
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// The p-quantile of Beta(a, b): the x with I_x(a, b) = p, by bisection (the CDF is monotone,
/// so bisection cannot miss; 60 halvings reach double precision).
pub fn beta_quantile(p: f64, a: f64, b: f64) -> f64 {
    let (mut low, mut high) = (0.0_f64, 1.0_f64);
    for _ in 0..60 {
        let mid = 0.5 * (low + high);
        if beta_cdf(mid, a, b) < p {
            low = mid;
        } else {
            high = mid;
        }
    }
    0.5 * (low + high)
}

/// The central 90 % interval of the Jeffreys posterior of a rate of `successes` in `trials`;
/// None without trials.
pub fn jeffreys_interval_90(successes: u64, trials: u64) -> Option<(f64, f64)> {
    if trials == 0 || successes > trials {
        return None;
    }
    let a = successes as f64 + 0.5;
    let b = (trials - successes) as f64 + 0.5;
    Some((beta_quantile(0.05, a, b), beta_quantile(0.95, a, b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() < tolerance
    }

    #[test]
    fn ln_gamma_matches_factorials() {
        assert!(close(ln_gamma(1.0), 0.0, 1e-13));
        assert!(close(ln_gamma(5.0), 24f64.ln(), 1e-12));
        // Γ(½) = √π
        assert!(close(
            ln_gamma(0.5),
            std::f64::consts::PI.sqrt().ln(),
            1e-12
        ));
    }

    #[test]
    fn cdf_matches_closed_forms() {
        // I_½(2, 3) = 11/16; I_x(a, 1) = x^a; Beta(1, 1) is uniform.
        assert!(close(beta_cdf(0.5, 2.0, 3.0), 0.6875, 1e-12));
        assert!(close(beta_cdf(0.3, 2.5, 1.0), 0.3f64.powf(2.5), 1e-12));
        assert!(close(beta_cdf(0.42, 1.0, 1.0), 0.42, 1e-12));
    }

    #[test]
    fn quantiles_match_known_values() {
        assert!(close(beta_quantile(0.05, 1.0, 1.0), 0.05, 1e-12));
        assert!(close(beta_quantile(0.5, 2.0, 3.0), 0.385_727, 1e-6));
        // Beta(½, ½) is the arcsine law: its p-quantile is sin²(πp/2).
        for p in [0.05, 0.3, 0.95] {
            let exact = (std::f64::consts::FRAC_PI_2 * p).sin().powi(2);
            assert!(close(beta_quantile(p, 0.5, 0.5), exact, 1e-10), "{p}");
        }
    }

    #[test]
    fn jeffreys_intervals_are_mirrored_and_hold_the_rate() {
        assert_eq!(jeffreys_interval_90(0, 0), None);
        let (low, high) = jeffreys_interval_90(3, 10).unwrap();
        let (mirror_low, mirror_high) = jeffreys_interval_90(7, 10).unwrap();
        assert!(close(low, 1.0 - mirror_high, 1e-10) && close(high, 1.0 - mirror_low, 1e-10));
        assert!(low < 0.3 && 0.3 < high, "{low} {high}");
        // Beta(3.5, 7.5)'s 5 % and 95 % points, found independently by numerical integration.
        assert!(
            close(low, 0.1173, 1e-3) && close(high, 0.5581, 1e-3),
            "{low} {high}"
        );
    }
}
