//! The area under the ROC curve of a score, with a percentile bootstrap interval.
//!
//! AUC is the chance that a randomly chosen positive scores above a randomly chosen negative,
//! ties counting one half (the Mann–Whitney statistic): 0.5 is a coin, 1.0 perfect separation.
//! Most grants score exactly 0 on most indicators, so ties are the rule, not the exception.

use serde::{Deserialize, Serialize};

/// One AUC with its interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Auc {
    pub positives: usize,
    pub negatives: usize,
    /// `None` when one class is empty: there is nothing to separate.
    pub auc: Option<f64>,
    /// The 2.5th and 97.5th percentiles over the bootstrap resamples.
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// AUC of `pos` against `neg`, with a bootstrap interval from `resamples` resamples (each class
/// resampled with replacement, so every resample has both) drawn from `seed`.
pub fn auc(pos: &[f64], neg: &[f64], resamples: usize, seed: u64) -> Auc {
    let point = mann_whitney(pos, neg);
    let (mut low, mut high) = (None, None);
    if point.is_some() && resamples > 0 {
        let mut rng = SplitMix64(seed);
        let mut draws: Vec<f64> = (0..resamples)
            .filter_map(|_| mann_whitney(&resample(pos, &mut rng), &resample(neg, &mut rng)))
            .collect();
        draws.sort_by(f64::total_cmp);
        low = percentile(&draws, 0.025);
        high = percentile(&draws, 0.975);
    }
    Auc {
        positives: pos.len(),
        negatives: neg.len(),
        auc: point.map(round3),
        low: low.map(round3),
        high: high.map(round3),
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Mann–Whitney U / (|pos| × |neg|), by sorting: O((p + n) log(p + n)).
fn mann_whitney(pos: &[f64], neg: &[f64]) -> Option<f64> {
    if pos.is_empty() || neg.is_empty() {
        return None;
    }
    let mut all: Vec<(f64, bool)> = pos
        .iter()
        .map(|&s| (s, true))
        .chain(neg.iter().map(|&s| (s, false)))
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Sum of the positives' ranks, each run of ties given its average rank.
    let mut rank_sum = 0.0;
    let mut before = 0usize;
    for run in all.chunk_by(|a, b| a.0 == b.0) {
        let average = before as f64 + (run.len() as f64 + 1.0) / 2.0;
        rank_sum += average * run.iter().filter(|x| x.1).count() as f64;
        before += run.len();
    }
    let (p, n) = (pos.len() as f64, neg.len() as f64);
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * n))
}

fn resample(xs: &[f64], rng: &mut SplitMix64) -> Vec<f64> {
    (0..xs.len())
        .filter_map(|_| xs.get(rng.below(xs.len())).copied())
        .collect()
}

/// The value at `q` of sorted values (nearest rank).
fn percentile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted.get(i).copied()
}

/// SplitMix64 (Steele, Lea and Flood 2014): a tiny, fixed, well-studied generator, so the
/// interval is the same on every machine and every version of every crate.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (the slight modulo bias is far below a bootstrap's resolution).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_separation_is_one_and_reversed_is_zero() {
        assert_eq!(mann_whitney(&[3.0, 4.0], &[1.0, 2.0]), Some(1.0));
        assert_eq!(mann_whitney(&[1.0, 2.0], &[3.0, 4.0]), Some(0.0));
    }

    #[test]
    fn all_ties_are_a_coin() {
        assert_eq!(mann_whitney(&[0.0, 0.0, 0.0], &[0.0, 0.0]), Some(0.5));
    }

    #[test]
    fn ties_count_half() {
        // pos {1, 2} vs neg {1, 0}: pairs (1>1? tie .5)(1>0 1)(2>1 1)(2>0 1) = 3.5 / 4
        assert_eq!(mann_whitney(&[1.0, 2.0], &[1.0, 0.0]), Some(0.875));
    }

    #[test]
    fn an_empty_class_has_no_auc() {
        let a = auc(&[], &[1.0], 100, 1);
        assert_eq!((a.auc, a.low, a.high), (None, None, None));
    }

    #[test]
    fn the_interval_holds_the_point_and_repeats_for_a_seed() {
        let pos = [2.0, 3.0, 0.0, 5.0, 1.0, 4.0];
        let neg = [0.0, 1.0, 0.0, 2.0, 0.0, 0.0, 3.0];
        let a = auc(&pos, &neg, 500, 7);
        let (lo, pt, hi) = (a.low.unwrap(), a.auc.unwrap(), a.high.unwrap());
        assert!(lo <= pt && pt <= hi, "{lo} {pt} {hi}");
        assert_eq!(a, auc(&pos, &neg, 500, 7));
    }
}
