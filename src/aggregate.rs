//! From what the rules recorded to an appraisal: scores, bands, confidence, the checklist,
//! ranked advice and the outcome from the screening policy. It takes the checklist's config and
//! the rule runs, not the checklist: aggregation cannot run a rule.

use crate::appraisal::*;
use crate::checklist::{Band, Config, Outcome, Rule};
use crate::engine::recorder::Recorder;
use crate::evaluate::RuleRun;
use crate::proposal::Proposal;
use indexmap::IndexMap;

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

/// The appraisal of `proposal` from what its rules recorded (`runs`, in checklist order), by
/// `config`'s indicators, themes, bands and screening policy.
pub(crate) fn build(
    config: &Config,
    provenance: Provenance,
    proposal: &Proposal,
    runs: &[RuleRun<'_>],
) -> Appraisal {
    let recorded = Recorded::from_runs(config, runs);
    let indicators = indicators(config, recorded.findings);
    let themes = themes(config, recorded.theme_scores);
    let total = round2(recorded.total);
    let complete = recorded.errors.is_empty();
    let outcome = if complete {
        decide(&config.screening.outcomes, total, &recorded.items)
    } else {
        config.screening.incomplete.clone()
    };
    Appraisal {
        proposal: ProposalRef {
            id: proposal.id.clone(),
            title: proposal.title.clone(),
            hash: proposal.hash.clone(),
        },
        outcome,
        total,
        complete,
        indicators,
        themes,
        checklist: recorded.items,
        advice: ranked(recorded.advice),
        errors: recorded.errors,
        provenance,
    }
}

/// What the rules recorded, gathered: findings by indicator, weighted scores by theme, the
/// checklist items, the advice and the failures, in checklist order.
struct Recorded<'c> {
    findings: IndexMap<&'c str, Vec<Finding>>,
    theme_scores: IndexMap<&'c str, f64>,
    items: Vec<ChecklistItem>,
    advice: Vec<Advice>,
    errors: Vec<RuleError>,
    total: f64,
}

impl<'c> Recorded<'c> {
    fn from_runs(config: &'c Config, runs: &[RuleRun<'_>]) -> Recorded<'c> {
        let mut out = Recorded {
            findings: config
                .indicators
                .iter()
                .map(|i| (i.id.as_str(), Vec::new()))
                .collect(),
            theme_scores: config.themes.iter().map(|t| (t.id.as_str(), 0.0)).collect(),
            items: Vec::new(),
            advice: Vec::new(),
            errors: Vec::new(),
            total: 0.0,
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
            let weighted = imp.amount * rule.weight;
            self.total += weighted;
            if let Some(t) = self.theme_scores.get_mut(rule.meta.theme.as_str()) {
                *t += weighted;
            }
            if let Some(list) = self.findings.get_mut(imp.indicator.as_str()) {
                list.push(Finding {
                    rule: rule.meta.id.clone(),
                    impact: round2(weighted),
                    reason: imp.reason.clone(),
                    confidence: imp.grade.confidence(),
                    grade: imp.grade,
                });
            }
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
            });
        }
    }
}

/// Each indicator's score, band and confidence from its findings, in config order; an indicator
/// that is not core shows only when a rule touched it.
fn indicators(
    config: &Config,
    mut findings: IndexMap<&str, Vec<Finding>>,
) -> IndexMap<String, IndicatorResult> {
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

/// Each theme's score and band.
fn themes(config: &Config, scores: IndexMap<&str, f64>) -> IndexMap<String, ThemeResult> {
    scores
        .into_iter()
        .map(|(id, s)| {
            let score = round2(s);
            (
                id.to_string(),
                ThemeResult {
                    score,
                    band: band_for(&config.bands, score),
                },
            )
        })
        .collect()
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

/// The first outcome whose conditions all hold; the last has none, so there always is one.
fn decide(outcomes: &[Outcome], total: f64, items: &[ChecklistItem]) -> String {
    let count = |s: Status| items.iter().filter(|i| i.status == s).count();
    let not_met = count(Status::NotMet);
    let not_stated = count(Status::NotStated);
    outcomes
        .iter()
        .find(|o| {
            o.min_total.is_none_or(|m| total >= m)
                && o.max_not_met.is_none_or(|m| not_met <= m)
                && o.max_not_stated.is_none_or(|m| not_stated <= m)
                && o.min_not_stated.is_none_or(|m| not_stated >= m)
                && o.required.iter().all(|r| {
                    items
                        .iter()
                        .any(|i| &i.rule == r && i.status == Status::Met)
                })
        })
        .map(|o| o.id.clone())
        .unwrap_or_default()
}
