//! Numerical helpers for the maximum-likelihood fits: ln Γ and a derivative-free minimiser.

/// ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; about 15 significant digits).
pub fn ln_gamma(x: f64) -> f64 {
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = C[0];
    for (i, c) in C.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + 7.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// Minimises `f` from `start` by Nelder–Mead (standard coefficients).
pub fn nelder_mead<const N: usize>(
    f: impl Fn(&[f64; N]) -> f64,
    start: [f64; N],
    step: f64,
    iterations: usize,
) -> [f64; N] {
    let mut simplex: Vec<([f64; N], f64)> = (0..=N)
        .map(|i| {
            let mut p = start;
            if i > 0 {
                p[i - 1] += step;
            }
            (p, f(&p))
        })
        .collect();
    let blend = |p: &[f64; N], q: &[f64; N], t: f64| {
        let mut out = [0.0; N];
        for j in 0..N {
            out[j] = p[j] + t * (q[j] - p[j]);
        }
        out
    };
    for _ in 0..iterations {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let (best, worst) = (simplex[0].1, simplex[N].1);
        if (worst - best).abs() <= 1e-10 * (1.0 + best.abs()) {
            break;
        }
        let mut centroid = [0.0; N];
        for (p, _) in &simplex[..N] {
            for j in 0..N {
                centroid[j] += p[j] / N as f64;
            }
        }
        let reflected = blend(&centroid, &simplex[N].0, -1.0);
        let fr = f(&reflected);
        if fr < best {
            let expanded = blend(&centroid, &simplex[N].0, -2.0);
            let fe = f(&expanded);
            simplex[N] = if fe < fr {
                (expanded, fe)
            } else {
                (reflected, fr)
            };
        } else if fr < simplex[N - 1].1 {
            simplex[N] = (reflected, fr);
        } else {
            let contracted = if fr < worst {
                blend(&centroid, &reflected, 0.5)
            } else {
                blend(&centroid, &simplex[N].0, 0.5)
            };
            let fc = f(&contracted);
            if fc < fr.min(worst) {
                simplex[N] = (contracted, fc);
            } else {
                let best = simplex[0].0;
                for v in simplex.iter_mut().skip(1) {
                    v.0 = blend(&best, &v.0, 0.5);
                    v.1 = f(&v.0);
                }
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    simplex[0].0
}

/// Minimises `f` by Nelder–Mead restarted from each optimum until the value stops improving
/// (a collapsed simplex can stall short of the optimum); at most `restarts` runs. Returns the
/// point and its value.
pub fn minimise<const N: usize>(
    f: impl Fn(&[f64; N]) -> f64,
    start: [f64; N],
    step: f64,
    iterations: usize,
    restarts: usize,
) -> ([f64; N], f64) {
    let mut point = start;
    let mut best = f(&point);
    for _ in 0..restarts {
        let next = nelder_mead(&f, point, step, iterations);
        let value = f(&next);
        let improved = best - value > 1e-6;
        point = next;
        best = value;
        if !improved {
            break;
        }
    }
    (point, best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_gamma_matches_known_values() {
        assert!((ln_gamma(1.0)).abs() < 1e-13);
        assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-12);
        assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-12);
        assert!((ln_gamma(0.1) - 2.252_712_651_734_206).abs() < 1e-11);
    }

    #[test]
    fn nelder_mead_finds_a_quadratic_minimum() {
        let m = nelder_mead(
            |p: &[f64; 2]| (p[0] - 1.0).powi(2) + 3.0 * (p[1] + 2.0).powi(2),
            [0.0, 0.0],
            0.5,
            1_000,
        );
        assert!(
            (m[0] - 1.0).abs() < 1e-4 && (m[1] + 2.0).abs() < 1e-4,
            "{m:?}"
        );
    }
}
