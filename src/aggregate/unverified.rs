//! The ceiling on unverified prose: a finding that rests only on the bid's own words (no stated
//! field, evidence entry, committed partner or measured target behind it) counts once per
//! concept on each indicator, and what such findings add is capped per indicator and, in the
//! total, for the whole appraisal (`[scoring]` in `checklist.toml`). Pasting the checklist's vocabulary into a
//! bid therefore adds little, however many concepts it names. Losses are never capped: a denial
//! the bid makes counts in full.

use super::{Entry, round2};
use crate::appraisal::Grade;
use crate::checklist::Config;
use indexmap::IndexMap;

/// Whether an entry is a gain resting on prose alone, which the ceiling applies to.
fn capped_kind(e: &Entry) -> bool {
    e.finding.grade == Grade::Unverified && e.finding.impact > 0.0
}

/// Counts each concept once per indicator, then scales each indicator's unverified gains down to
/// its ceiling, in proportion (each rule keeps its share of what the prose earned there).
pub(super) fn cap_unverified(config: &Config, entries: &mut [Entry]) {
    once_per_concept(entries);
    if let Some(cap) = config.scoring.unverified_per_indicator {
        let mut by_indicator: IndexMap<String, Vec<usize>> = IndexMap::new();
        for (i, e) in entries.iter().enumerate().filter(|(_, e)| capped_kind(e)) {
            by_indicator.entry(e.indicator.clone()).or_default().push(i);
        }
        for idx in by_indicator.values() {
            scale_to(entries, idx, cap);
        }
    }
}

/// The total: every counted impact, with what unverified gains add together held to the
/// appraisal's ceiling. The indicators keep their own scores (capped per indicator), so prose
/// about one indicator never lowers another's.
pub(super) fn total(config: &Config, entries: &[Entry]) -> f64 {
    let prose: f64 = entries
        .iter()
        .filter(|e| capped_kind(e))
        .map(|e| e.finding.impact)
        .sum();
    let rest: f64 = entries
        .iter()
        .filter(|e| !capped_kind(e))
        .map(|e| e.finding.impact)
        .sum();
    let prose = config
        .scoring
        .unverified_total
        .map_or(prose, |cap| prose.min(cap));
    round2(rest + prose)
}

/// Of the unverified gains on one indicator from claims of one concept, only the largest (the
/// first, on a tie) counts: naming a concept twice, or in two rules, earns it once.
fn once_per_concept(entries: &mut [Entry]) {
    let key = |e: &Entry| {
        e.concept
            .clone()
            .filter(|_| capped_kind(e))
            .map(|c| (e.indicator.clone(), c))
    };
    let mut best: IndexMap<(String, String), (usize, f64)> = IndexMap::new();
    for (i, e) in entries.iter().enumerate() {
        let Some(k) = key(e) else { continue };
        let impact = e.finding.impact;
        match best.get(&k) {
            Some(&(_, top)) if top >= impact => {}
            _ => {
                best.insert(k, (i, impact));
            }
        }
    }
    for (i, e) in entries.iter_mut().enumerate() {
        let Some(k) = key(e) else { continue };
        if best.get(&k).map(|&(j, _)| j) != Some(i) {
            scale(e, 0.0);
        }
    }
}

/// Scales the entries at `idx` so that together they add at most `cap`: each is rounded down to
/// the hundredth, and the hundredths left over go to the largest remainders (the first on a tie),
/// so the scaled impacts add up to the ceiling exactly.
fn scale_to(entries: &mut [Entry], idx: &[usize], cap: f64) {
    let sum: f64 = idx
        .iter()
        .filter_map(|&i| entries.get(i))
        .map(|e| e.finding.impact)
        .sum();
    if sum <= cap || sum <= 0.0 {
        return;
    }
    let factor = cap / sum;
    let mut remainders: Vec<(usize, f64)> = Vec::new();
    for &i in idx {
        if let Some(e) = entries.get_mut(i) {
            let exact = e.finding.impact * factor * 100.0;
            scale(e, factor);
            remainders.push((i, exact - (e.finding.impact * 100.0).round()));
        }
    }
    let counted: f64 = remainders
        .iter()
        .filter_map(|&(i, _)| entries.get(i))
        .map(|e| e.finding.impact)
        .sum();
    let mut left = ((cap - counted) * 100.0).round() as usize;
    remainders.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (i, _) in remainders {
        if left == 0 {
            break;
        }
        if let Some(e) = entries.get_mut(i) {
            e.finding.impact = round2(e.finding.impact + 0.01);
            left -= 1;
        }
    }
}

/// Counts `factor` of an entry's (positive) impact, rounded down to the hundredth so that the
/// scaled impacts never add up past the ceiling, keeping what the rule recorded.
fn scale(e: &mut Entry, factor: f64) {
    let recorded = e.finding.recorded.unwrap_or(e.finding.impact);
    e.finding.impact = round2((e.finding.impact * factor * 100.0 + 1e-9).floor() / 100.0);
    e.finding.recorded = Some(recorded);
}

/// The share of the positive points (as counted) that rests on more than prose; 1 when nothing
/// scored.
pub(super) fn verified_share(entries: &[Entry]) -> f64 {
    let gains = entries.iter().filter(|e| e.finding.impact > 0.0);
    let all: f64 = gains.clone().map(|e| e.finding.impact).sum();
    if all <= 0.0 {
        return 1.0;
    }
    let verified: f64 = gains
        .filter(|e| e.finding.grade > Grade::Unverified)
        .map(|e| e.finding.impact)
        .sum();
    // `+ 0.0` turns the empty sum's -0.0 into 0.
    (verified / all * 1000.0).round() / 1000.0 + 0.0
}
