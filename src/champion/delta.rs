//! What changed between two appraisals of a bid (or of two bids) against one checklist: the
//! outcome, the total, every indicator and theme, the checklist items whose status changed, and
//! the advice resolved and new. One shape serves `what-if`, `compare` and verified advice.

use crate::aggregate::round2;
use crate::appraisal::{Appraisal, Confidence, Status};
use crate::checklist::Checklist;
use serde::Serialize;

/// Two appraisals side by side.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Delta {
    pub before: Side,
    pub after: Side,
    pub outcome: OutcomeChange,
    pub total: NumberChange,
    /// Every indicator either appraisal reports, in the checklist's order.
    pub indicators: Vec<ScoreChange>,
    /// Every theme, in the checklist's order.
    pub themes: Vec<ScoreChange>,
    /// Only the checklist items whose status changed.
    pub checklist: Vec<ItemChange>,
    /// Advice the first appraisal gave and the second does not.
    pub advice_resolved: Vec<AdviceLine>,
    /// Advice the second appraisal gives and the first did not.
    pub advice_new: Vec<AdviceLine>,
}

/// One side of a comparison: which bid, and its headline result.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Side {
    pub id: String,
    pub title: String,
    pub hash: String,
    pub outcome: String,
    pub total: f64,
    pub complete: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct OutcomeChange {
    pub before: String,
    pub after: String,
    /// Steps up the screening policy's list of outcomes (best first): positive is better.
    pub steps: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct NumberChange {
    pub before: f64,
    pub after: f64,
    pub change: f64,
}

/// An indicator's or a theme's score and band on each side. A side is `None` when that
/// appraisal does not report it (a non-core indicator no rule touched).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ScoreChange {
    pub id: String,
    pub before: Option<Score>,
    pub after: Option<Score>,
    pub change: f64,
}

impl ScoreChange {
    /// Whether the score or the band moved.
    pub fn changed(&self) -> bool {
        self.change != 0.0
            || self.before.as_ref().map(|s| &s.band) != self.after.as_ref().map(|s| &s.band)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Score {
    pub score: f64,
    pub band: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
}

/// A checklist item whose status differs. A side is `None` when the rule did not give a status
/// there (it failed).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ItemChange {
    pub rule: String,
    pub title: String,
    pub before: Option<Status>,
    pub after: Option<Status>,
    /// Why, on the second side: the reason, or for `not-stated` the question.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Which way an item moved, for the bid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Better,
    Worse,
    /// From `not-met` to `not-stated`: the bid says less, which is not progress — deleting what
    /// a bid said must never read as an improvement.
    Neither,
}

impl ItemChange {
    /// Which way the item moved: better to `met` (or `not-applicable`) from anything else, or
    /// from a failed rule to any status; worse the other way; neither from `not-met` to
    /// `not-stated`.
    pub fn direction(&self) -> Direction {
        let (b, a) = (rank(self.before), rank(self.after));
        if self.before == Some(Status::NotMet) && self.after == Some(Status::NotStated) {
            Direction::Neither
        } else if a > b {
            Direction::Better
        } else {
            Direction::Worse
        }
    }

    /// Whether the item got better (see [`ItemChange::direction`]).
    pub fn improved(&self) -> bool {
        self.direction() == Direction::Better
    }
}

/// How good a status is for the bid, for ordering changes (a failed rule is worst).
fn rank(s: Option<Status>) -> u8 {
    match s {
        Some(Status::Met) | Some(Status::NotApplicable) => 3,
        Some(Status::NotStated) => 2,
        Some(Status::NotMet) => 1,
        None => 0,
    }
}

/// A piece of advice, for the lists of resolved and new advice.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct AdviceLine {
    pub rule: String,
    pub text: String,
}

fn side(a: &Appraisal) -> Side {
    Side {
        id: a.proposal.id.clone(),
        title: a.proposal.title.clone(),
        hash: a.proposal.hash.clone(),
        outcome: a.outcome.clone(),
        total: a.total,
        complete: a.complete,
    }
}

/// A score on each side and the change (a side not reported counts as 0).
fn score_change(id: &str, before: Option<Score>, after: Option<Score>) -> ScoreChange {
    let score = |s: &Option<Score>| s.as_ref().map_or(0.0, |s| s.score);
    ScoreChange {
        id: id.to_string(),
        change: round2(score(&after) - score(&before)),
        before,
        after,
    }
}

/// The position of an outcome in the screening policy (0 is best); unknown ids sort last.
pub(crate) fn outcome_rank(checklist: &Checklist, outcome: &str) -> i64 {
    let outcomes = &checklist.config.screening.outcomes;
    outcomes
        .iter()
        .position(|o| o.id == outcome)
        .unwrap_or(outcomes.len()) as i64
}

/// Compares two appraisals made against `checklist`.
pub fn delta(checklist: &Checklist, before: &Appraisal, after: &Appraisal) -> Delta {
    let (advice_resolved, advice_new) = advice_changes(before, after);
    Delta {
        before: side(before),
        after: side(after),
        outcome: OutcomeChange {
            before: before.outcome.clone(),
            after: after.outcome.clone(),
            steps: outcome_rank(checklist, &before.outcome)
                - outcome_rank(checklist, &after.outcome),
        },
        total: NumberChange {
            before: before.total,
            after: after.total,
            change: round2(after.total - before.total),
        },
        indicators: indicator_changes(checklist, before, after),
        themes: theme_changes(checklist, before, after),
        checklist: item_changes(checklist, before, after),
        advice_resolved,
        advice_new,
    }
}

/// Every indicator either appraisal reports, in the checklist's order.
fn indicator_changes(
    checklist: &Checklist,
    before: &Appraisal,
    after: &Appraisal,
) -> Vec<ScoreChange> {
    checklist
        .config
        .indicators
        .iter()
        .filter_map(|ind| {
            let get = |x: &Appraisal| {
                x.indicators.get(&ind.id).map(|r| Score {
                    score: r.score,
                    band: r.band.clone(),
                    confidence: Some(r.confidence),
                })
            };
            let (b, a) = (get(before), get(after));
            (b.is_some() || a.is_some()).then(|| score_change(&ind.id, b, a))
        })
        .collect()
}

/// Every theme, in the checklist's order.
fn theme_changes(checklist: &Checklist, before: &Appraisal, after: &Appraisal) -> Vec<ScoreChange> {
    checklist
        .config
        .themes
        .iter()
        .map(|t| {
            let get = |x: &Appraisal| {
                x.themes.get(&t.id).map(|r| Score {
                    score: r.score,
                    band: r.band.clone(),
                    confidence: None,
                })
            };
            score_change(&t.id, get(before), get(after))
        })
        .collect()
}

/// The items whose status changed, in the checklist's rule order; a rule present on one side
/// only still shows.
fn item_changes(checklist: &Checklist, before: &Appraisal, after: &Appraisal) -> Vec<ItemChange> {
    let mut changes = Vec::new();
    for rule in &checklist.rules {
        let id = &rule.meta.id;
        let b = before.checklist.iter().find(|i| &i.rule == id);
        let a = after.checklist.iter().find(|i| &i.rule == id);
        let (bs, as_) = (b.map(|i| i.status), a.map(|i| i.status));
        if bs == as_ {
            continue;
        }
        changes.push(ItemChange {
            rule: id.clone(),
            title: rule.meta.title.clone(),
            before: bs,
            after: as_,
            reason: a.and_then(|i| i.reason.clone().or_else(|| i.ask.clone())),
        });
    }
    changes
}

/// The advice the first appraisal gave and the second does not, and the other way round.
fn advice_changes(before: &Appraisal, after: &Appraisal) -> (Vec<AdviceLine>, Vec<AdviceLine>) {
    let lines = |x: &Appraisal| -> Vec<AdviceLine> {
        x.advice
            .iter()
            .map(|a| AdviceLine {
                rule: a.rule.clone(),
                text: a.text.clone(),
            })
            .collect()
    };
    let (old, new) = (lines(before), lines(after));
    let resolved = old.iter().filter(|l| !new.contains(l)).cloned().collect();
    let added = new.iter().filter(|l| !old.contains(l)).cloned().collect();
    (resolved, added)
}
