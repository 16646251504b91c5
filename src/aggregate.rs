//! From what the rules recorded to an appraisal: scores, bands, confidence, the checklist,
//! ranked advice and the outcome from the screening policy. It takes the checklist's config and
//! the rule runs, not the checklist: aggregation cannot run a rule.

use crate::appraisal::*;
use crate::checklist::{Band, Config, Rule};
use crate::engine::recorder::Recorder;
use crate::evaluate::RuleRun;
use crate::proposal::Proposal;
use crate::reading::Conflict;
use indexmap::IndexMap;
use unverified::{cap_unverified, verified_share};

mod contradicted;
mod unverified;

/// Scores are shown to two decimals; rounding here keeps sums of weights like 0.1 + 0.2 exact.
pub(crate) fn round2(x: f64) -> f64 {
    let r = (x * 100.0).round() / 100.0;
    if r == 0.0 { 0.0 } else { r }
}

pub(crate) fn band_for(bands: &[Band], score: f64) -> String {
    bands
        .iter()
        .find(|b| b.min.is_none_or(|m| score >= m))
        .or(bands.last())
        .map(|b| b.id.clone())
        .unwrap_or_default()
}

fn confidence_of(findings: &[Finding]) -> Confidence {
    if findings.is_empty() {
        return Confidence::Low;
    }
    let total_weight: f64 = findings.iter().map(|f| f.impact.abs()).sum();
    let avg = if total_weight > 0.0 {
        findings
            .iter()
            .map(|f| f.impact.abs() * f.confidence.value())
            .sum::<f64>()
            / total_weight
    } else {
        findings.iter().map(|f| f.confidence.value()).sum::<f64>() / findings.len() as f64
    };
    if avg >= 2.5 {
        Confidence::High
    } else if avg >= 1.5 {
        Confidence::Medium
    } else {
        Confidence::Low
    }
}

/// The appraisal of `proposal` from what its rules recorded (`runs`, in checklist order) and the
/// contradictions found in it, by `config`'s indicators, themes, bands and screening policy.
pub(crate) fn build(
    config: &Config,
    provenance: Provenance,
    proposal: &Proposal,
    runs: &[RuleRun<'_>],
    conflicts: &[Conflict],
) -> Appraisal {
    let contradictions = contradicted::found(conflicts, runs);
    let scored = Scored::new(config, runs, &contradictions);
    let complete = scored.recorded.errors.is_empty();
    // The outcome with the contradictions not looked for: the one the bid can never beat.
    let before = (complete && !contradictions.is_empty()).then(|| {
        let unchecked = Scored::new(config, runs, &[]);
        crate::screening::decide(&config.screening.outcomes, &unchecked.facts(0))
    });
    let outcome = if complete {
        let facts = scored.facts(contradictions.len());
        crate::screening::outcome(&config.screening, &facts, before.as_deref())
    } else {
        config.screening.incomplete.clone()
    };
    let Scored {
        recorded,
        total,
        verified_share,
        themes,
        indicators,
        ..
    } = scored;
    Appraisal {
        proposal: ProposalRef {
            id: proposal.id.clone(),
            title: proposal.title.clone(),
            hash: proposal.hash.clone(),
        },
        outcome,
        total,
        verified_share,
        complete,
        indicators,
        themes,
        checklist: recorded.items,
        contradictions,
        outcome_without_contradictions: before,
        advice: ranked(recorded.advice),
        errors: recorded.errors,
        provenance,
        placeholders: placeholders(&proposal.doc),
    }
}

/// The example values advice wrote into the bid that the applicant has not replaced.
fn placeholders(doc: &serde_json::Value) -> Vec<crate::appraisal::Placeholder> {
    crate::proposal::placeholder::find(doc)
        .into_iter()
        .map(|(field, value)| crate::appraisal::Placeholder { field, value })
        .collect()
}

/// What the rules recorded, counted: contradictions applied, profiles set apart, unverified
/// prose held to its ceilings; the total, the verified share, the themes and the indicators.
struct Scored {
    recorded: Recorded,
    total: f64,
    verified_share: f64,
    themes: IndexMap<String, ThemeResult>,
    indicators: IndexMap<String, IndicatorResult>,
    /// How many core indicators are harmed (in the lowest band).
    harmed: usize,
}

impl Scored {
    fn new(config: &Config, runs: &[RuleRun<'_>], contradictions: &[Contradiction]) -> Scored {
        let mut recorded = Recorded::from_runs(runs);
        contradicted::apply(contradictions, &mut recorded);
        set_apart_profiles(config, &mut recorded.entries);
        cap_unverified(config, &mut recorded.entries);
        let verified_share = verified_share(&recorded.entries);
        let total = unverified::total(config, &recorded.entries);
        let themes = themes(config, &recorded.entries);
        let indicators = indicators(config, std::mem::take(&mut recorded.entries));
        Scored {
            verified_share,
            total,
            themes,
            harmed: crate::screening::harmed(config, &indicators),
            indicators,
            recorded,
        }
    }

    /// What the screening policy reads, with `contradictions` found.
    fn facts(&self, contradictions: usize) -> crate::screening::Facts<'_> {
        crate::screening::Facts {
            total: self.total,
            verified_share: self.verified_share,
            items: &self.recorded.items,
            themes: &self.themes,
            contradictions,
            harmed: self.harmed,
        }
    }
}

/// What the rules recorded, gathered in checklist order: each impact (weighted) with the theme
/// and concept behind it, the checklist items, the advice and the failures.
struct Recorded {
    entries: Vec<Entry>,
    items: Vec<ChecklistItem>,
    advice: Vec<Advice>,
    errors: Vec<RuleError>,
}

/// One impact: the finding shown under its indicator, and what the scores need to sum it.
struct Entry {
    theme: String,
    indicator: String,
    /// The concept of the claim behind it, when only prose backs it.
    concept: Option<String>,
    finding: Finding,
}

impl Recorded {
    fn from_runs(runs: &[RuleRun<'_>]) -> Recorded {
        let mut out = Recorded {
            entries: Vec::new(),
            items: Vec::new(),
            advice: Vec::new(),
            errors: Vec::new(),
        };
        for run in runs {
            match run {
                RuleRun::Failed(e) => out.errors.push(e.clone()),
                RuleRun::Done(rule, rec) => out.add(rule, rec),
            }
        }
        out
    }

    /// One rule's impacts (weighted), advice (gain weighted) and status.
    fn add(&mut self, rule: &Rule, rec: &Recorder) {
        for imp in &rec.impacts {
            self.entries.push(Entry {
                theme: rule.meta.theme.clone(),
                indicator: imp.indicator.clone(),
                concept: imp.concept.clone(),
                finding: Finding {
                    rule: rule.meta.id.clone(),
                    impact: round2(imp.amount * rule.weight),
                    reason: imp.reason.clone(),
                    confidence: imp.grade.confidence(),
                    grade: imp.grade,
                    recorded: None,
                    profile: None,
                    contradiction: None,
                },
            });
        }
        for a in &rec.advice {
            self.advice.push(Advice {
                rule: rule.meta.id.clone(),
                text: a.text.clone(),
                indicators: rule.meta.indicators.clone(),
                gain: round2(a.gain * rule.weight),
                change: a.change.clone(),
            });
        }
        if let Some(s) = &rec.status {
            let (reason, ask) = if s.status == Status::NotStated {
                (None, Some(s.text.clone()))
            } else {
                (Some(s.text.clone()), None)
            };
            self.items.push(ChecklistItem {
                rule: rule.meta.id.clone(),
                title: rule.meta.title.clone(),
                theme: rule.meta.theme.clone(),
                status: s.status,
                reason,
                ask,
                weak: s.status == Status::Met && s.grade == Some(Grade::Unverified),
                contradiction: None,
                recorded: None,
            });
        }
    }
}

/// Each indicator's score, band and confidence from its findings, in config order; an indicator
/// that is not core shows only when a rule touched it.
fn indicators(config: &Config, entries: Vec<Entry>) -> IndexMap<String, IndicatorResult> {
    let mut findings: IndexMap<String, Vec<Finding>> = IndexMap::new();
    for e in entries {
        findings.entry(e.indicator).or_default().push(e.finding);
    }
    config
        .indicators
        .iter()
        .filter_map(|ind| {
            let list = findings.shift_remove(ind.id.as_str()).unwrap_or_default();
            if !ind.core && list.is_empty() {
                return None;
            }
            let score = round2(list.iter().map(|f| f.impact).sum());
            Some((
                ind.id.clone(),
                IndicatorResult {
                    score,
                    band: band_for(&config.bands, score),
                    confidence: confidence_of(&list),
                    findings: list,
                },
            ))
        })
        .collect()
}

/// Each theme's score and band, in config order: the sum of its rules' counted impacts (for a
/// profile, what they add to it), banded by the profile's own bands where it has them.
fn themes(config: &Config, entries: &[Entry]) -> IndexMap<String, ThemeResult> {
    config
        .themes
        .iter()
        .map(|t| {
            let sum: f64 = entries
                .iter()
                .filter(|e| e.theme == t.id)
                .map(|e| match &e.finding.profile {
                    // A gain a contradiction touches adds nothing to the profile either.
                    Some(_) if e.finding.contradiction.is_some() => 0.0,
                    Some(_) => e.finding.recorded.unwrap_or(e.finding.impact),
                    None => e.finding.impact,
                })
                .sum();
            let score = round2(sum);
            let bands = if t.bands.is_empty() {
                &config.bands
            } else {
                &t.bands
            };
            (
                t.id.clone(),
                ThemeResult {
                    score,
                    band: band_for(bands, score),
                },
            )
        })
        .collect()
}

/// The findings of a profile's rules add to the profile alone: each keeps what it records in
/// `recorded` and counts 0 towards its indicator and the total.
fn set_apart_profiles(config: &Config, entries: &mut [Entry]) {
    for e in entries.iter_mut().filter(|e| config.is_profile(&e.theme)) {
        e.finding.recorded = Some(e.finding.recorded.unwrap_or(e.finding.impact));
        e.finding.impact = 0.0;
        e.finding.profile = Some(e.theme.clone());
    }
}

/// Advice by gain, then rule, then text.
fn ranked(mut advice: Vec<Advice>) -> Vec<Advice> {
    advice.sort_by(|a, b| {
        b.gain
            .total_cmp(&a.gain)
            .then_with(|| a.rule.cmp(&b.rule))
            .then_with(|| a.text.cmp(&b.text))
    });
    advice
}
