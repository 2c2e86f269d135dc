//! The formulas of comparison, each with its source: log-likelihood
//! keyness, χ² tail, log ratio, log-odds with an informative Dirichlet
//! prior, Benjamini–Hochberg, Clopper–Pearson, the conditional rate-ratio
//! interval, Mann–Whitney U, cosine. Numbers in, numbers out.

use libm::erfc;
use statrs::function::beta::beta_reg;

/// Signed log-likelihood G² of a term counted `a` times in a target of
/// `c` tokens and `b` times in a reference of `d` tokens (CONTRACT §10).
///
/// Dunning, T. (1993), "Accurate methods for the statistics of surprise
/// and coincidence", *Computational Linguistics* 19(1): G² = 2·Σ O·ln(O/E)
/// over the four cells of O = [[a, b], [c−a, d−b]], E from the margins; a
/// cell with O = 0 contributes 0. The sign is negative when a/c < b/d
/// (Rayson & Garside 2000's convention for under-use).
///
/// ```
/// let g = framescope::stats::g2(40.0, 19.0, 1500.0, 1700.0);
/// assert!((g - 10.6952).abs() < 5e-5);
/// ```
pub fn g2(a: f64, b: f64, c: f64, d: f64) -> f64 {
    let n = c + d;
    if n <= 0.0 {
        return 0.0;
    }
    let (row1, row2) = (a + b, n - a - b);
    // O − E is ±(ad − bc)/N in every cell; O·ln(O/E) = O·ln1p((O−E)/E)
    // keeps full precision when O and E are close (large corpora).
    let diff = a.mul_add(d, -(b * c)) / n;
    let cells = [
        (a, row1 * c / n, diff),
        (b, row1 * d / n, -diff),
        (c - a, row2 * c / n, -diff),
        (d - b, row2 * d / n, diff),
    ];
    let g: f64 = 2.0
        * cells
            .iter()
            .filter(|(o, e, _)| *o > 0.0 && *e > 0.0)
            .map(|&(o, e, dev)| o * (dev / e).ln_1p())
            .sum::<f64>();
    // Rounding can leave a tiny negative sum for identical rates.
    let g = g.max(0.0);
    if a * d < b * c {
        -g
    } else {
        g
    }
}

/// The upper tail of χ² with one degree of freedom at |x|:
/// P(χ²₁ ≥ x) = erfc(√(x/2)) (Abramowitz & Stegun 26.4.4 with 7.1.2).
/// Through erfc (libm's port of the FreeBSD/musl implementation, within
/// an ulp or two), small p-values keep full relative precision down to
/// about 1e-300: scipy's `chi2.sf` agrees to 1e-13 relative.
pub fn chi2_sf_1(x: f64) -> f64 {
    erfc((x.abs() / 2.0).sqrt())
}

/// log2 of the ratio of relative frequencies, with 0 counts replaced by
/// 0.5 (Hardie, A. (2014), "Log Ratio: an informal introduction", CASS;
/// CONTRACT §10).
pub fn log_ratio(a: f64, b: f64, c: f64, d: f64) -> f64 {
    let a = if a == 0.0 { 0.5 } else { a };
    let b = if b == 0.0 { 0.5 } else { b };
    ((a / c) / (b / d)).log2()
}

/// The z-score of the log-odds ratio with an informative Dirichlet prior.
///
/// Monroe, B. L., Colaresi, M. P. & Quinn, K. M. (2008), "Fightin' words",
/// *Political Analysis* 16(4), eq. 16–22: α_w = a0·f_w/N (f_w the term's
/// count in the corpus, N its tokens); δ = ln((y_t+α_w)/(n_t+a0−y_t−α_w))
/// − ln((y_r+α_w)/(n_r+a0−y_r−α_w)); σ² ≈ 1/(y_t+α_w) + 1/(y_r+α_w);
/// z = δ/σ.
pub fn z_logodds(y_t: f64, n_t: f64, y_r: f64, n_r: f64, f_w: f64, n: f64, a0: f64) -> f64 {
    let alpha = a0 * f_w / n;
    let delta = ((y_t + alpha) / (n_t + a0 - y_t - alpha)).ln()
        - ((y_r + alpha) / (n_r + a0 - y_r - alpha)).ln();
    let var = 1.0 / (y_t + alpha) + 1.0 / (y_r + alpha);
    delta / var.sqrt()
}

/// Benjamini–Hochberg adjusted p-values, in the order given.
///
/// Benjamini, Y. & Hochberg, Y. (1995), "Controlling the false discovery
/// rate", *JRSS B* 57(1): with p sorted ascending, q₍ᵢ₎ = min over j ≥ i
/// of m·p₍ⱼ₎/j, capped at 1 (R's `p.adjust(method = "BH")`, scipy's
/// `false_discovery_control`). A NaN p-value stays NaN and is not counted
/// in m.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let one_row_each: Vec<(f64, u32)> = p.iter().map(|&v| (v, 1)).collect();
    benjamini_hochberg_counted(&one_row_each)
}

/// [`benjamini_hochberg`] of values each held by `n` rows (`(p, n)`, n ≥
/// 1): the adjusted value of each, which all its rows have, to the bit
/// what the rows would get one by one. Rows of one value are tied, and a
/// tie's rows all take the adjustment at its last rank; so do values of
/// equal bits held apart. Sorting the values alone (a keyness table's few
/// thousand pairs of counts) ranks the rows.
pub fn benjamini_hochberg_counted(p: &[(f64, u32)]) -> Vec<f64> {
    let mut order: Vec<(u64, usize)> = (0..p.len())
        .filter(|&i| !p[i].0.is_nan())
        .map(|i| (total_order_key(p[i].0), i))
        .collect();
    order.sort_unstable();
    // The rank of the last row of each value, in order.
    let ends: Vec<u64> = order
        .iter()
        .scan(0u64, |s, &(_, i)| {
            *s += p[i].1 as u64;
            Some(*s)
        })
        .collect();
    let m = ends.last().copied().unwrap_or(0) as f64;
    let mut q = vec![f64::NAN; p.len()];
    let mut running = 1.0f64;
    let mut k = order.len();
    while k > 0 {
        let key = order[k - 1].0;
        let mut first = k - 1;
        while first > 0 && order[first - 1].0 == key {
            first -= 1;
        }
        let (_, i) = order[k - 1];
        running = running.min(p[i].0 * m / ends[k - 1] as f64);
        for &(_, j) in &order[first..k] {
            q[j] = running;
        }
        k = first;
    }
    q
}

/// A key of `x` whose order as an unsigned integer is
/// [`f64::total_cmp`]'s: a negative number's bits all flipped (bigger
/// magnitudes first), a positive one's sign bit set (above them all).
#[inline]
pub(crate) fn total_order_key(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | (1 << 63)
    }
}

/// The quantile of the Beta(a, b) distribution: bisection on the
/// regularized incomplete beta function to full double precision.
fn beta_quantile(prob: f64, a: f64, b: f64) -> f64 {
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if beta_reg(a, b, mid) < prob {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// The exact (Clopper–Pearson) interval for a binomial proportion, x
/// successes in n trials, at confidence `level` (0.95).
///
/// Clopper, C. J. & Pearson, E. S. (1934), *Biometrika* 26(4), in its Beta
/// form: lower = B⁻¹(α/2; x, n−x+1) (0 when x = 0), upper =
/// B⁻¹(1−α/2; x+1, n−x) (1 when x = n).
pub fn clopper_pearson(x: u64, n: u64, level: f64) -> (f64, f64) {
    let alpha = 1.0 - level;
    let (xf, nf) = (x as f64, n as f64);
    let lower = if x == 0 {
        0.0
    } else {
        beta_quantile(alpha / 2.0, xf, nf - xf + 1.0)
    };
    let upper = if x >= n {
        1.0
    } else {
        beta_quantile(1.0 - alpha / 2.0, xf + 1.0, nf - xf)
    };
    (lower, upper)
}

/// The rate ratio (h_t/n_t)/(h_r/n_r) and its exact conditional 95%
/// interval: given H = h_t + h_r, h_t is binomial(H, π) with
/// π = n_t·RR/(n_t·RR + n_r), so the Clopper–Pearson interval [πL, πU]
/// maps to RR = π/(1−π)·(n_r/n_t) (Breslow, N. E. & Day, N. E. (1987),
/// *Statistical Methods in Cancer Research* II, §2.3; issue 5).
///
/// Returns (ratio, low, high); `None` for an infinite or undefined value:
/// the ratio when h_r = 0, the upper bound when πU = 1, everything when
/// H = 0 or a group has no tokens.
pub fn rate_ratio_ci(
    h_t: u64,
    n_t: u64,
    h_r: u64,
    n_r: u64,
) -> (Option<f64>, Option<f64>, Option<f64>) {
    let total = h_t + h_r;
    if total == 0 || n_t == 0 || n_r == 0 {
        return (None, None, None);
    }
    let scale = n_r as f64 / n_t as f64;
    let ratio = (h_r > 0).then(|| h_t as f64 / h_r as f64 * scale);
    let (pl, pu) = clopper_pearson(h_t, total, 0.95);
    let map = |p: f64| (p < 1.0).then(|| p / (1.0 - p) * scale);
    (ratio, map(pl), map(pu))
}

/// The two-sided p-value of the Mann–Whitney U test of x against y, as
/// scipy's `mannwhitneyu` computes it by default; `None` when either
/// sample has fewer than two values.
///
/// Mann, H. B. & Whitney, D. R. (1947), *Ann. Math. Statist.* 18(1).
/// U₁ = R₁ − n₁(n₁+1)/2 from average ranks, U = max(U₁, n₁n₂ − U₁),
/// p = 2·P(U' ≥ U), capped at 1. Exact distribution (counting the
/// arrangements with the q-binomial recurrence) when there are no ties
/// and min(n₁, n₂) ≤ 8; otherwise the normal approximation with the tie
/// correction σ² = n₁n₂/12·((n+1) − Σ(t³−t)/(n(n−1))) and a continuity
/// correction of ½ (Hollander & Wolfe 1999, §4.1). All values equal:
/// p = 1.
pub fn mann_whitney_p(x: &[f64], y: &[f64]) -> Option<f64> {
    mann_whitney_p_sorting(&mut x.to_vec(), &mut y.to_vec())
}

/// [`mann_whitney_p`] of samples it sorts in place, then ranks by
/// walking both at once: no third vector of every value with its
/// sample. `frame_compare` gives it the rates of millions of documents,
/// whose copies tagged by sample took three times the memory.
///
/// The runs of equal values, their ranks and the rank sum come out in
/// the same order as from one sorted vector of both samples, so the
/// result is the same to the bit.
pub fn mann_whitney_p_sorting(x: &mut [f64], y: &mut [f64]) -> Option<f64> {
    mann_whitney_p_zeros(0, x, 0, y)
}

/// [`mann_whitney_p_sorting`] of two samples given as their number of
/// zeros (`zx`, `zy`) and their other values, every one of them above
/// zero. The zeros (most of a rare frame's rates) are the first run of
/// ties, neither stored nor sorted; the result is the one of the samples
/// with their zeros, to the bit.
pub fn mann_whitney_p_zeros(zx: usize, x: &mut [f64], zy: usize, y: &mut [f64]) -> Option<f64> {
    let (n1, n2) = (zx + x.len(), zy + y.len());
    if n1 < 2 || n2 < 2 {
        return None;
    }
    // Unstable: ranks are given to runs of equal values, whatever their
    // order within the run.
    x.sort_unstable_by(f64::total_cmp);
    y.sort_unstable_by(f64::total_cmp);
    let n = n1 + n2;
    let (mut r1, mut runs) = (0.0, Runs::default());
    // A run of `in_x` values of x and `t - in_x` of y, ranked from `i`
    // (from 0); the rank of the run after it.
    let mut run = |i: usize, in_x: usize, t: usize| {
        r1 += runs.midrank(i, t) * in_x as f64;
        i + t
    };
    let mut i = 0;
    if zx + zy > 0 {
        i = run(0, zx, zx + zy);
    }
    // The next value of each sample.
    let (mut a, mut b) = (0, 0);
    let (m1, m2) = (x.len(), y.len());
    while i < n {
        // The run's value: the smaller of the two next values.
        let from_x = match (x.get(a), y.get(b)) {
            (Some(p), Some(q)) => p.total_cmp(q).is_le(),
            (p, _) => p.is_some(),
        };
        let v = if from_x { x[a] } else { y[b] };
        let (a0, b0) = (a, b);
        while a < m1 && x[a] == v {
            a += 1;
        }
        while b < m2 && y[b] == v {
            b += 1;
        }
        // A NaN equals nothing, itself included: a run of its own.
        if a == a0 && b == b0 {
            if from_x {
                a += 1;
            } else {
                b += 1;
            }
        }
        i = run(i, a - a0, a - a0 + b - b0);
    }
    Some(mann_whitney_from_ranks(
        n1,
        n2,
        r1,
        runs.tie_term,
        runs.ties,
    ))
}

/// Runs of tied values met in ascending order, as a Mann–Whitney test
/// ranks them: each run's midrank, and the ties' Σ(t³−t) so far.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Runs {
    pub tie_term: f64,
    /// Whether any run has more than one value.
    pub ties: bool,
}

impl Runs {
    /// The midrank of a run of `t` (≥ 1) values from rank index `i` (from
    /// 0), counted in the ties.
    pub(crate) fn midrank(&mut self, i: usize, t: usize) -> f64 {
        let j = i + t - 1;
        if t > 1 {
            self.ties = true;
            let t = t as f64;
            self.tie_term += t * t * t - t;
        }
        (i + j) as f64 / 2.0 + 1.0
    }
}

/// The p-value from the rank sum `r1` of the first sample and the ties'
/// Σ(t³−t) ([`mann_whitney_p`]).
pub(crate) fn mann_whitney_from_ranks(
    n1: usize,
    n2: usize,
    r1: f64,
    tie_term: f64,
    ties: bool,
) -> f64 {
    let n = n1 + n2;
    let (f1, f2) = (n1 as f64, n2 as f64);
    let u1 = r1 - f1 * (f1 + 1.0) / 2.0;
    let u = u1.max(f1 * f2 - u1);
    let p = if (n1 > 8 && n2 > 8) || ties {
        let mu = f1 * f2 / 2.0;
        let nf = n as f64;
        let s = (f1 * f2 / 12.0 * ((nf + 1.0) - tie_term / (nf * (nf - 1.0)))).sqrt();
        let z = (u - mu - 0.5) / s;
        // 2·Φ(−z) = erfc(z/√2); z = −∞ when every value is equal.
        if z.is_nan() {
            1.0
        } else {
            erfc(z / std::f64::consts::SQRT_2)
        }
    } else {
        2.0 * exact_u_sf(n1, n2, u.round() as usize)
    };
    p.clamp(0.0, 1.0)
}

/// P(U ≥ k) under the null for samples of n1 and n2 without ties, as
/// P(U ≤ m·n − k) by symmetry. The number of arrangements with U = u is
/// the coefficient of q^u in the Gaussian binomial [m+n choose m]_q =
/// Π_{i=1..m} (1 − q^{n+i})/(1 − q^i) (Andrews 1976, The Theory of
/// Partitions, ch. 3). Only the coefficients of the lower tail are built,
/// divisions first, so the partial sums stay positive and the size of the
/// result: a tail of 1e-19 comes out exact, where summing the top
/// coefficients of the whole distribution cancels to noise (m = 8,
/// n = 1,000). After a review by a second implementation.
fn exact_u_sf(n1: usize, n2: usize, k: usize) -> f64 {
    let (m, n) = (n1.min(n2), n1.max(n2));
    let Some(k) = (m * n).checked_sub(k) else {
        return 1.0;
    };
    let mut counts = vec![0.0f64; k + 1];
    counts[0] = 1.0;
    // Dividing by (1 − q^i) is a running sum with stride i.
    for i in 1..=m {
        for u in i..=k {
            counts[u] += counts[u - i];
        }
    }
    // Multiplying by (1 − q^s), from the top so each step reads old values.
    for i in 1..=m {
        let s = n + i;
        for u in (s..=k).rev() {
            counts[u] -= counts[u - s];
        }
    }
    let arrangements = (1..=m).fold(1.0, |c, i| c * (n + i) as f64 / i as f64);
    counts.iter().sum::<f64>() / arrangements
}

/// Cosine similarity of two vectors; `None` when either is all zeros.
pub fn cosine(a: &[f64], b: &[f64]) -> Option<f64> {
    let dot: f64 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na = a.iter().map(|x| x * x).sum::<f64>().sqrt();
    let nb = b.iter().map(|x| x * x).sum::<f64>().sqrt();
    (na > 0.0 && nb > 0.0).then(|| dot / (na * nb))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_order_keys_order_as_total_cmp() {
        let mut v = vec![
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.0,
            -0.0,
            1.0,
            -1.0,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            5e-324,
            -5e-324,
            f64::MAX,
            f64::MIN,
            0.1,
            2.5e10,
            -3.75e-7,
        ];
        let mut by_key = v.clone();
        v.sort_by(|a, b| a.total_cmp(b));
        by_key.sort_by_key(|&x| total_order_key(x));
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&by_key), bits(&v));
    }

    /// Values given with their number of rows are adjusted as their rows
    /// one by one are, to the bit: values tied within and across entries,
    /// zeros, ones, NaN (not counted), one entry, none.
    #[test]
    fn benjamini_hochberg_counted_as_row_by_row() {
        let mut next = crate::testing::xorshift(0xB4);
        let pool = [0.0, 1.0, 0.05, 0.049, 1e-300, 0.5, f64::NAN, 0.0125];
        for n in [0usize, 1, 2, 7, 300, 3000] {
            let p: Vec<(f64, u32)> = (0..n)
                .map(|_| {
                    let r = next();
                    let v = if r % 2 == 0 {
                        pool[(r >> 8) as usize % pool.len()]
                    } else {
                        ((r >> 8) % 10_000) as f64 / 10_000.0
                    };
                    (v, 1 + ((r >> 40) % 20) as u32)
                })
                .collect();
            let rows: Vec<f64> = p
                .iter()
                .flat_map(|&(v, k)| std::iter::repeat_n(v, k as usize))
                .collect();
            let want = benjamini_hochberg(&rows);
            let got = benjamini_hochberg_counted(&p);
            let mut at = 0;
            for (j, &(_, k)) in p.iter().enumerate() {
                for _ in 0..k {
                    assert_eq!(
                        got[j].to_bits(),
                        want[at].to_bits(),
                        "{n} values, value {j}"
                    );
                    at += 1;
                }
            }
        }
    }

    #[test]
    fn benjamini_hochberg_as_ranked_by_comparing() {
        // Many tied p-values, zeros, a NaN left out.
        let mut random = crate::testing::xorshift(0x2545_F491_4F6C_DD1D);
        let p: Vec<f64> = (0..3000)
            .map(|i| {
                let x = random();
                match i % 97 {
                    0 => f64::NAN,
                    1 => 0.0,
                    _ => (x % 400) as f64 / 400.0,
                }
            })
            .collect();
        let mut order: Vec<usize> = (0..p.len()).filter(|&i| !p[i].is_nan()).collect();
        order.sort_by(|&i, &j| p[i].total_cmp(&p[j]).then(i.cmp(&j)));
        let m = order.len() as f64;
        let mut want = vec![f64::NAN; p.len()];
        let mut running = 1.0f64;
        for (rank, &i) in order.iter().enumerate().rev() {
            running = running.min(p[i] * m / (rank + 1) as f64);
            want[i] = running;
        }
        let got = benjamini_hochberg(&p);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&got), bits(&want));
    }

    fn close(got: f64, want: f64, rel: f64) {
        let err = if want == 0.0 {
            got.abs()
        } else {
            ((got - want) / want).abs()
        };
        assert!(
            err <= rel,
            "got {got:e}, want {want:e} (rel. error {err:e})"
        );
    }

    #[test]
    fn g2_worked_value_sign_and_zero_cells() {
        // Issue 5's worked value (4-term form).
        close(g2(40.0, 19.0, 1500.0, 1700.0), 10.695_2, 5e-6);
        // The same table with target and reference swapped: under-use,
        // negative, same size.
        close(g2(19.0, 40.0, 1700.0, 1500.0), -10.695_2, 5e-6);
        close(
            g2(1.0, 40.0, 1500.0, 1700.0),
            -g2(40.0, 1.0, 1700.0, 1500.0),
            1e-14,
        );
        assert!(g2(1.0, 40.0, 1500.0, 1700.0) < 0.0);
        // Equal rates: 0. A zero cell contributes 0 (no NaN).
        assert_eq!(g2(10.0, 20.0, 1000.0, 2000.0), 0.0);
        assert!(g2(0.0, 5.0, 100.0, 100.0).is_finite());
        // Close rates in large corpora keep their precision: the 2×2 table
        // (1234, 5678; 98765, 456789) against the plain formula.
        let (a, b, c, d) = (1234.0f64, 5678.0, 98765.0, 456789.0);
        let n = c + d;
        let plain: f64 = 2.0
            * [
                (a, (a + b) * c / n),
                (b, (a + b) * d / n),
                (c - a, (n - a - b) * c / n),
                (d - b, (n - a - b) * d / n),
            ]
            .iter()
            .map(|(o, e)| o * (o / e).ln())
            .sum::<f64>();
        close(g2(a, b, c, d), plain, 1e-8);
        // a = c (every target token is the term) is still finite.
        assert!(g2(5.0, 1.0, 5.0, 100.0).is_finite());
    }

    #[test]
    fn chi2_tail_against_scipy() {
        // scipy.stats.chi2.sf(x, 1) for x in [0.5, 3.841458820694124,
        // 10.6952, 100.0, 1000.0] (scipy 1.17).
        for (x, want) in [
            (0.5, 0.479_500_122_186_953_37),
            (3.841_458_820_694_124, 0.049_999_999_999_999_89),
            (10.6952, 0.001_074_138_607_026_910_8),
            (100.0, 1.523_970_604_832_099_5e-23),
            (1000.0, 1.795_832_784_800_736_3e-219),
        ] {
            close(chi2_sf_1(x), want, 1e-12);
            close(chi2_sf_1(-x), want, 1e-12);
        }
        assert_eq!(chi2_sf_1(0.0), 1.0);
    }

    #[test]
    fn log_ratio_replaces_zero_counts() {
        close(log_ratio(8.0, 2.0, 1000.0, 1000.0), 2.0, 1e-15);
        close(log_ratio(0.0, 2.0, 1000.0, 1000.0), -2.0, 1e-15);
        close(log_ratio(4.0, 4.0, 1000.0, 2000.0), 1.0, 1e-15);
    }

    #[test]
    fn z_logodds_by_hand() {
        // y_t = 10 of 1000, y_r = 5 of 2000, f_w = 15 of N = 3000, a0 = 1000:
        // α = 5; δ = ln(15/1985) − ln(10/2990).
        let delta = (15.0f64 / 1985.0).ln() - (10.0f64 / 2990.0).ln();
        let want = delta / (1.0 / 15.0 + 1.0 / 10.0f64).sqrt();
        close(
            z_logodds(10.0, 1000.0, 5.0, 2000.0, 15.0, 3000.0, 1000.0),
            want,
            1e-14,
        );
    }

    #[test]
    fn bh_against_the_published_example() {
        // Benjamini & Hochberg (1995), §4: the 15 p-values of the
        // Neuhaus et al. trial; adjusted values from
        // scipy.stats.false_discovery_control(p) (= R p.adjust "BH").
        let p = [
            0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262,
            0.5719, 0.6528, 0.7590, 1.000,
        ];
        let want = [
            0.0015,
            0.003,
            0.0095,
            0.035625,
            0.0603,
            0.063_857_142_857_142_86,
            0.063_857_142_857_142_86,
            0.0645,
            0.076_500_000_000_000_01,
            0.486,
            0.581_181_818_181_818_1,
            0.714_874_999_999_999_9,
            0.753_230_769_230_769_3,
            0.813_214_285_714_285_7,
            1.0,
        ];
        // Shuffled input, same answers in the same places.
        let order = [7, 3, 14, 0, 9, 1, 12, 5, 2, 11, 4, 13, 6, 10, 8];
        let shuffled: Vec<f64> = order.iter().map(|&i| p[i]).collect();
        let q = benjamini_hochberg(&shuffled);
        for (k, &i) in order.iter().enumerate() {
            close(q[k], want[i], 1e-14);
        }
        // The paper's conclusion: the first four are rejected at 0.05.
        assert_eq!(want.iter().filter(|&&q| q <= 0.05).count(), 4);
        let q = benjamini_hochberg(&[0.01, f64::NAN, 0.04]);
        assert_eq!((q[0], q[2]), (0.02, 0.04));
        assert!(q[1].is_nan());
    }

    #[test]
    fn clopper_pearson_against_scipy() {
        // scipy.stats.beta.ppf(0.025, x, n-x+1), beta.ppf(0.975, x+1, n-x).
        for (x, n, lo, hi) in [
            (0, 10, 0.0, 0.308_497_107_818_760_7),
            (3, 10, 0.066_739_511_177_734_47, 0.652_452_850_059_997_3),
            (10, 10, 0.691_502_892_181_239_2, 1.0),
            (1, 1000, 2.531_748_749_129_404e-5, 0.005_558_924_279_826_672),
            (57, 90, 0.525_148_792_550_29, 0.732_478_428_158_445_9),
        ] {
            let (l, h) = clopper_pearson(x, n, 0.95);
            close(l, lo, 1e-10);
            close(h, hi, 1e-10);
        }
    }

    #[test]
    fn rate_ratio_interval_maps_the_binomial_interval() {
        // 3 hits in 1,000 tokens against 7 in 1,000: RR = 3/7, and the
        // bounds are π/(1−π) of the interval for 3 of 10.
        let (rr, lo, hi) = rate_ratio_ci(3, 1000, 7, 1000);
        close(rr.unwrap(), 3.0 / 7.0, 1e-15);
        let (pl, pu) = (0.066_739_511_177_734_47, 0.652_452_850_059_997_3);
        close(lo.unwrap(), pl / (1.0 - pl), 1e-9);
        close(hi.unwrap(), pu / (1.0 - pu), 1e-9);
        // No reference hits: ratio and upper bound infinite.
        let (rr, lo, hi) = rate_ratio_ci(10, 1000, 0, 2000);
        assert_eq!((rr, hi), (None, None));
        close(
            lo.unwrap(),
            0.691_502_892_181_239_2 / (1.0 - 0.691_502_892_181_239_2) * 2.0,
            1e-9,
        );
        assert_eq!(rate_ratio_ci(0, 10, 0, 10), (None, None, None));
        assert_eq!(rate_ratio_ci(0, 10, 3, 10).1, Some(0.0));
    }

    /// The ranking as it was before [`mann_whitney_p_sorting`]: one
    /// sorted vector of both samples, each value tagged by its sample.
    fn mann_whitney_one_vector(x: &[f64], y: &[f64]) -> Option<f64> {
        let (n1, n2) = (x.len(), y.len());
        if n1 < 2 || n2 < 2 {
            return None;
        }
        let mut all: Vec<(f64, bool)> = x
            .iter()
            .map(|&v| (v, true))
            .chain(y.iter().map(|&v| (v, false)))
            .collect();
        all.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        let n = all.len();
        let (mut r1, mut tie_term, mut ties) = (0.0, 0.0, false);
        let mut i = 0;
        while i < n {
            let mut j = i;
            while j + 1 < n && all[j + 1].0 == all[i].0 {
                j += 1;
            }
            let rank = (i + j) as f64 / 2.0 + 1.0;
            let t = (j - i + 1) as f64;
            if t > 1.0 {
                ties = true;
                tie_term += t * t * t - t;
            }
            r1 += rank * all[i..=j].iter().filter(|v| v.1).count() as f64;
            i = j + 1;
        }
        Some(mann_whitney_from_ranks(n1, n2, r1, tie_term, ties))
    }

    /// Ranked by walking two sorted samples, the p-value is the one of a
    /// single sorted vector, bit for bit: samples of rates with many
    /// zeros and ties across the samples, of every size from 2, exact
    /// and normal alike; and a NaN ranks apart, as it did.
    #[test]
    fn mann_whitney_two_walks_are_one_vector() {
        let mut next = crate::testing::xorshift(0x2545_F491_4F6C_DD1Du64);
        for case in 0..3000 {
            let (n1, n2) = (2 + next() as usize % 40, 2 + next() as usize % 40);
            let levels = 1 + next() % 12;
            let mut draw = |n: usize| -> Vec<f64> {
                (0..n)
                    .map(|_| {
                        let r = next();
                        if r % 3 == 0 {
                            0.0
                        } else {
                            (r % levels) as f64 * 1000.0 / (7 + r % 5) as f64
                        }
                    })
                    .collect()
            };
            let (mut x, mut y) = (draw(n1), draw(n2));
            if case % 500 == 0 {
                x[0] = f64::NAN;
                y[1] = -0.0;
            }
            let want = mann_whitney_one_vector(&x, &y).unwrap();
            let got = mann_whitney_p(&x, &y).unwrap();
            assert_eq!(got.to_bits(), want.to_bits(), "case {case}: {x:?} {y:?}");
        }
        assert_eq!(mann_whitney_p(&[1.0], &[2.0, 3.0]), None);
    }

    /// Zeros given as a count are the zeros of the samples: the same
    /// p-value to the bit, whatever the share of zeros (none, some, all,
    /// all in one sample), and `None` when a sample has fewer than two
    /// values, zeros included.
    #[test]
    fn mann_whitney_zeros_apart_are_zeros_in() {
        let mut next = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15u64);
        for case in 0..3000 {
            let (n1, n2) = (next() as usize % 40, next() as usize % 40);
            let zero_share = next() % 5;
            let levels = 1 + next() % 12;
            let mut draw = |n: usize| -> Vec<f64> {
                (0..n)
                    .map(|_| {
                        let r = next();
                        if r % 4 < zero_share {
                            0.0
                        } else {
                            (1 + r % levels) as f64 * 1000.0 / (7 + r % 5) as f64
                        }
                    })
                    .collect()
            };
            let (x, y) = (draw(n1), draw(n2));
            let want = mann_whitney_p(&x, &y);
            let apart = |v: &[f64]| -> (usize, Vec<f64>) {
                let rest: Vec<f64> = v.iter().copied().filter(|&r| r != 0.0).collect();
                (v.len() - rest.len(), rest)
            };
            let ((zx, mut xs), (zy, mut ys)) = (apart(&x), apart(&y));
            let got = mann_whitney_p_zeros(zx, &mut xs, zy, &mut ys);
            assert_eq!(
                got.map(f64::to_bits),
                want.map(f64::to_bits),
                "case {case}: {x:?} {y:?}"
            );
        }
    }

    #[test]
    fn mann_whitney_against_scipy() {
        // scipy.stats.mannwhitneyu(x, y).pvalue (defaults: two-sided,
        // method="auto", use_continuity=True), scipy 1.17.
        let cases: [(&[f64], &[f64], f64); 6] = [
            (&[1.5, 2.0, 3.1], &[0.5, 4.2, 5.0, 6.1], 0.4),
            (
                &[1.0, 2.0, 2.0, 3.0],
                &[2.0, 3.0, 4.0, 5.0, 5.0],
                0.078_545_850_951_190_67,
            ),
            (&[0.0, 0.0, 0.0], &[0.0, 0.0], 1.0),
            (
                &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
                &[
                    3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5, 11.5, 12.5, 13.5, 14.5,
                ],
                0.011_129_227_614_007_952,
            ),
            (&[0.1, 0.2], &[0.3, 0.4], 0.333_333_333_333_333_3),
            (
                &[3.2, 1.1, 4.4, 5.0, 2.2, 9.9, 7.7, 8.8, 6.6],
                &[0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 10.5, 11.0, 12.0, 1.0],
                0.838_256_486_385_826_3,
            ),
        ];
        for (x, y, want) in cases {
            close(mann_whitney_p(x, y).unwrap(), want, 1e-12);
            close(mann_whitney_p(y, x).unwrap(), want, 1e-12);
        }
        assert_eq!(mann_whitney_p(&[1.0], &[2.0, 3.0]), None);
        // The exact path deep in the tail: 8 against 1,000, fully
        // separated: 2/C(1008, 8) (= scipy's 7.779649466922164e-20).
        let x: Vec<f64> = (0..8).map(f64::from).collect();
        let y: Vec<f64> = (0..1000).map(|i| 100.0 + i as f64).collect();
        close(
            mann_whitney_p(&x, &y).unwrap(),
            7.779_649_466_922_164e-20,
            1e-12,
        );
        // scipy.stats.mannwhitneyu([0.5,3,7,20,21,22,40,41],
        //   [i + 0.25 for i in range(60)]).pvalue
        let x = [0.5, 3.0, 7.0, 20.0, 21.0, 22.0, 40.0, 41.0];
        let y: Vec<f64> = (0..60).map(|i| i as f64 + 0.25).collect();
        close(
            mann_whitney_p(&x, &y).unwrap(),
            0.108_760_581_930_010_22,
            1e-12,
        );
    }

    #[test]
    fn cosine_basics() {
        close(
            cosine(&[1.0, 0.0], &[1.0, 1.0]).unwrap(),
            std::f64::consts::FRAC_1_SQRT_2,
            1e-15,
        );
        assert_eq!(cosine(&[0.0, 0.0], &[1.0, 1.0]), None);
    }
}
