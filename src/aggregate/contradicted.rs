//! Contradictions in the appraisal: each one the reading found in the bid, with the checklist
//! items it touches — those whose rule used either side (read the field, or asked about the
//! claim's concept in a record that holds it) — and the question that names it. A touched item
//! becomes not stated, asking that question, and its rule's gains count nothing: a contradiction
//! never pays. Its losses still count.

use super::Recorded;
use crate::appraisal::{Contradiction, Said, Status};
use crate::evaluate::RuleRun;
use crate::reading::{self, Conflict};

/// The contradictions found, each with the items it touches (in checklist order) and its
/// question.
pub(super) fn found(conflicts: &[Conflict], runs: &[RuleRun<'_>]) -> Vec<Contradiction> {
    conflicts
        .iter()
        .map(|c| {
            let items = runs
                .iter()
                .filter_map(|run| match run {
                    RuleRun::Done(rule, rec) if used(rec, &c.one) || used(rec, &c.other) => {
                        Some(rule.meta.id.clone())
                    }
                    _ => None,
                })
                .collect();
            let (one, other) = (said(&c.one), said(&c.other));
            Contradiction {
                id: c.id.to_string(),
                kind: c.kind.as_str().to_string(),
                description: c.description.clone(),
                ask: ask(&one, &other),
                one,
                other,
                items,
            }
        })
        .collect()
}

/// Whether a rule's run used one side: read the field, or asked about the claim's concept in a
/// record that holds the claim.
fn used(rec: &crate::engine::recorder::Recorder, side: &reading::Said) -> bool {
    match side {
        reading::Said::Field { path, .. } => rec.reads.iter().any(|r| r.path() == *path),
        reading::Said::Claim(c) => rec
            .asked
            .iter()
            .any(|a| a.concept == *c.concept && crate::engine::claims::inside(&c.field, &a.within)),
    }
}

fn said(side: &reading::Said) -> Said {
    match side {
        reading::Said::Field { path, value } => Said {
            field: path.clone(),
            value: Some(value.clone()),
            sentence: None,
            question: None,
            concept: None,
            status: None,
            actor: None,
        },
        reading::Said::Claim(c) => Said {
            field: c.field.clone(),
            value: None,
            sentence: Some(c.sentence.clone()),
            question: c.question.clone(),
            concept: Some(c.concept.to_string()),
            status: Some(c.status.as_str().to_string()),
            actor: c.actor.as_ref().map(|a| a.to_string()),
        },
    }
}

/// The question that names the conflict.
fn ask(one: &Said, other: &Said) -> String {
    match (&one.value, &other.value) {
        (Some(v), None) => format!(
            "Your bid gives `{}` as {v} and says {} — which is it?",
            one.field,
            other.quoted()
        ),
        _ => format!(
            "Your bid says both {} and {} — which is it?",
            one.quoted(),
            other.quoted()
        ),
    }
}

/// Each touched item becomes not stated, asking the first contradiction that touches it, and
/// its rule's gains count nothing (`recorded` keeps what they would have added).
pub(super) fn apply(contradictions: &[Contradiction], recorded: &mut Recorded) {
    let first = |rule: &str| {
        contradictions
            .iter()
            .find(|c| c.items.iter().any(|i| i == rule))
    };
    for item in &mut recorded.items {
        if let Some(c) = first(&item.rule) {
            item.recorded = Some(item.status);
            item.status = Status::NotStated;
            item.reason = None;
            item.ask = Some(c.ask.clone());
            item.weak = false;
            item.contradiction = Some(c.id.clone());
        }
    }
    for e in &mut recorded.entries {
        if e.finding.impact > 0.0
            && let Some(c) = first(&e.finding.rule)
        {
            e.finding.recorded = Some(e.finding.impact);
            e.finding.impact = 0.0;
            e.finding.contradiction = Some(c.id.clone());
        }
    }
}
