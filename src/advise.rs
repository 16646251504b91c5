//! Advice a champion can trust: every change a rule suggests is applied to the bid and the bid
//! re-appraised, so the report gives the real before → after for each indicator, band, checklist
//! item and the outcome. Also: the smallest set of suggested changes that moves the outcome up a
//! step, the weaknesses no suggested edit fixes, and the questions the bid leaves open.
//!
//! Suggested changes are applied exactly as `what-if --set` would apply them (the same
//! `path=value` arguments, read back through the proposal schema), so a suggestion's numbers
//! are what `what-if` shows.

use crate::appraisal::{Advice, Appraisal, ProposalRef, Provenance, Status};
use crate::checklist::Checklist;
use crate::delta::{
    AdviceLine, Delta, ItemChange, OutcomeChange, ScoreChange, delta, outcome_rank,
};
use crate::patch::Patch;
use crate::proposal::Proposal;
use rayon::prelude::*;
use serde::Serialize;

/// How much work the search for the next outcome step may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdviseOptions {
    /// Re-appraisals the search for the smallest set of changes may spend.
    pub max_evaluations: usize,
}

impl Default for AdviseOptions {
    fn default() -> Self {
        AdviseOptions {
            max_evaluations: 512,
        }
    }
}

/// Verified advice for one bid.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct AdviceReport {
    pub proposal: ProposalRef,
    pub outcome: String,
    pub total: f64,
    pub complete: bool,
    /// Suggested changes that, applied on their own, raise the bid: ranked by the verified gain.
    pub suggestions: Vec<Suggestion>,
    /// Suggested changes that, applied on their own, raise nothing.
    pub no_gain: Vec<Suggestion>,
    /// Advice that needs the applicant's own words: no change to a field can stand in for it,
    /// so the engine cannot verify it. `gain` is the rule's own estimate.
    pub in_words: Vec<Advice>,
    /// The smallest set of suggested changes that moves the outcome up, if there is one.
    pub next_step: NextStep,
    /// Weaknesses (items not met, findings that lower a score) no suggested edit fixes.
    pub cannot_fix: Vec<Weakness>,
    /// What the bid does not say: the checklist's questions for the applicant.
    pub questions: Vec<Question>,
    pub provenance: Provenance,
}

/// One suggested change, verified.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Suggestion {
    pub rule: String,
    pub text: String,
    /// The change as `what-if` arguments: `path=value`.
    pub set: Vec<String>,
    /// The rule's own estimate of the gain (its declared gain times its weight).
    pub claimed_gain: f64,
    /// The verified change in the total.
    pub gain: f64,
    pub outcome: OutcomeChange,
    /// Indicators whose score or band changed.
    pub indicators: Vec<ScoreChange>,
    /// Themes whose score or band changed.
    pub themes: Vec<ScoreChange>,
    /// Checklist items whose status changed.
    pub checklist: Vec<ItemChange>,
    /// Other rules' advice that suggests the same change.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<AdviceLine>,
}

/// The result of the search for the smallest set of changes that moves the outcome up.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct NextStep {
    pub status: StepStatus,
    pub from: String,
    /// The outcome the changes reach (`found` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The changes, as (rule, advice, `path=value` arguments).
    pub changes: Vec<StepChange>,
    /// The total with the changes (`found`), or with every suggested change (`none`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<f64>,
    /// Whether no smaller set works (the search covered every smaller set). When it is false,
    /// the set is still irreducible: leaving out any one of its changes loses the step, and
    /// every set of up to `searched` changes was tried and failed.
    pub smallest: bool,
    /// The largest size of set the search tried in full.
    pub searched: usize,
    /// Re-appraisals the search made.
    pub evaluations: usize,
    /// For `none`: the next outcome up, and its conditions that still fail with every
    /// suggested change made (what the applicant must change in words or answers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub blocked_by: Vec<crate::explain::Condition>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum StepStatus {
    /// A set of changes moves the outcome up.
    Found,
    /// Even every suggested change together does not move the outcome up.
    None,
    /// The bid already has the best outcome.
    Best,
    /// A rule failed on this bid: the outcome is not the bid's to improve until it is fixed.
    Incomplete,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct StepChange {
    pub rule: String,
    pub text: String,
    pub set: Vec<String>,
}

/// A weakness no suggested edit fixes.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Weakness {
    pub rule: String,
    pub title: String,
    /// The item's status (`not-met`, or `met` with a finding that lowers a score).
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub kind: WeaknessKind,
    /// For `in-words`: what the rule asks the applicant to write.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub advice: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum WeaknessKind {
    /// Only the applicant's own words can fix it; the engine cannot verify them.
    InWords,
    /// The checklist suggests no edit that fixes it.
    NoEdit,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Question {
    pub rule: String,
    pub title: String,
    pub ask: String,
}

/// A candidate change: the advice it came from and the patch `what-if` would apply.
struct Candidate<'a> {
    advice: &'a Advice,
    set: Vec<String>,
    patch: Patch,
}

/// The change a rule suggested, as `what-if` arguments and the patch they give.
fn candidate<'a>(checklist: &Checklist, advice: &'a Advice) -> Option<Candidate<'a>> {
    let change = advice.change.as_ref()?;
    let set: Vec<String> = Patch {
        set: change.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        unset: Vec::new(),
    }
    .to_args()
    .0;
    // A change the rule could record but `what-if` could not read back is no suggestion.
    let patch = Patch::from_args(checklist.schema().fields(), &set, &[]).ok()?;
    Some(Candidate { advice, set, patch })
}

/// Applies changes and re-appraises on the calling (evaluation) thread; `None` when the
/// changed bid is invalid.
fn reappraise(checklist: &Checklist, proposal: &Proposal, patch: &Patch) -> Option<Appraisal> {
    let changed = crate::whatif::apply(checklist, proposal, patch).ok()?;
    Some(checklist.appraise_on_this_thread(&changed))
}

/// Several patches as one, in order; `None` when two set one field to different values.
fn merge<'p>(patches: impl IntoIterator<Item = &'p Patch>) -> Option<Patch> {
    let mut out = Patch::default();
    for p in patches {
        for (path, value) in &p.set {
            match out.set.iter().find(|(q, _)| q == path) {
                Some((_, v)) if v != value => return None,
                Some(_) => {}
                None => out.set.push((path.clone(), value.clone())),
            }
        }
    }
    Some(out)
}

/// Verified advice for the bid.
pub fn advise(checklist: &Checklist, proposal: &Proposal, options: AdviseOptions) -> AdviceReport {
    advise_appraised(checklist, proposal, options).0
}

/// [`advise`], with the appraisal of the bid as it is (for a caller that also records it).
pub fn advise_appraised(
    checklist: &Checklist,
    proposal: &Proposal,
    options: AdviseOptions,
) -> (AdviceReport, Appraisal) {
    crate::evaluate::pool().install(|| advise_here(checklist, proposal, options))
}

fn advise_here(
    checklist: &Checklist,
    proposal: &Proposal,
    options: AdviseOptions,
) -> (AdviceReport, Appraisal) {
    let base = checklist.appraise_on_this_thread(proposal);

    let mut in_words = Vec::new();
    let mut candidates: Vec<Candidate<'_>> = Vec::new();
    // Advice from other rules that suggests a change already a candidate: listed with it.
    let mut also: Vec<Vec<AdviceLine>> = Vec::new();
    for a in &base.advice {
        match candidate(checklist, a) {
            Some(c) => match candidates.iter().position(|x| x.set == c.set) {
                Some(i) => {
                    let line = AdviceLine {
                        rule: a.rule.clone(),
                        text: a.text.clone(),
                    };
                    let same = candidates
                        .get(i)
                        .is_some_and(|x| x.advice.rule == a.rule && x.advice.text == a.text);
                    if let Some(list) = also.get_mut(i)
                        && !same
                        && !list.contains(&line)
                    {
                        list.push(line);
                    }
                }
                None => {
                    candidates.push(c);
                    also.push(Vec::new());
                }
            },
            None => in_words.push(a.clone()),
        }
    }

    // Verify each suggestion on its own, in parallel.
    let verified: Vec<Option<Delta>> = candidates
        .par_iter()
        .map(|c| {
            reappraise(checklist, proposal, &c.patch).map(|after| delta(checklist, &base, &after))
        })
        .collect();
    let mut suggestions = Vec::new();
    let mut no_gain = Vec::new();
    let mut helpful: Vec<(usize, f64)> = Vec::new();
    for (i, (c, d)) in candidates.iter().zip(verified).enumerate() {
        let Some(d) = d else {
            // The change breaks the proposal schema (a rule's mistake): keep the advice, unverified.
            in_words.push(c.advice.clone());
            continue;
        };
        let s = Suggestion {
            rule: c.advice.rule.clone(),
            text: c.advice.text.clone(),
            set: c.set.clone(),
            claimed_gain: c.advice.gain,
            gain: d.total.change,
            outcome: d.outcome.clone(),
            indicators: d
                .indicators
                .into_iter()
                .filter(ScoreChange::changed)
                .collect(),
            themes: d.themes.into_iter().filter(ScoreChange::changed).collect(),
            checklist: d.checklist,
            also: also.get(i).cloned().unwrap_or_default(),
        };
        let raises =
            s.gain > 0.0 || s.outcome.steps > 0 || s.checklist.iter().any(ItemChange::improved);
        if raises {
            helpful.push((i, s.gain));
            suggestions.push(s);
        } else {
            no_gain.push(s);
        }
    }
    let order = |a: &Suggestion, b: &Suggestion| {
        b.gain
            .total_cmp(&a.gain)
            .then_with(|| b.outcome.steps.cmp(&a.outcome.steps))
            .then_with(|| a.rule.cmp(&b.rule))
            .then_with(|| a.text.cmp(&b.text))
    };
    suggestions.sort_by(order);
    // Unverified advice joined the list above in two passes: back into the appraisal's order.
    in_words.sort_by(|a, b| {
        b.gain
            .total_cmp(&a.gain)
            .then_with(|| a.rule.cmp(&b.rule))
            .then_with(|| a.text.cmp(&b.text))
    });
    no_gain.sort_by(order);
    // Candidates for combining, best first.
    helpful.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let helpful: Vec<usize> = helpful.into_iter().map(|(i, _)| i).collect();

    // Every suggested change at once (a later one that conflicts with an earlier is left out).
    let mut all = Patch::default();
    for c in &candidates {
        if let Some(m) = merge([&all, &c.patch]) {
            all = m;
        }
    }
    let with_all = reappraise(checklist, proposal, &all);

    let next_step = next_step(checklist, proposal, &base, &candidates, &helpful, options);
    // A rule's own suggestions, all together: they may fix its item where the set of every
    // change could not hold them (two rules setting one field differently).
    let own = |rule: &str| -> Option<Appraisal> {
        let mine: Vec<&Patch> = candidates
            .iter()
            .filter(|c| c.advice.rule == rule)
            .map(|c| &c.patch)
            .collect();
        if mine.is_empty() {
            return None;
        }
        merge(mine).and_then(|p| reappraise(checklist, proposal, &p))
    };
    // Items one suggestion on its own makes met (or not applicable).
    let fixed_alone: Vec<&str> = suggestions
        .iter()
        .flat_map(|s| &s.checklist)
        .filter(|i| matches!(i.after, Some(Status::Met | Status::NotApplicable)))
        .map(|i| i.rule.as_str())
        .collect();
    let cannot_fix = weaknesses(&base, with_all.as_ref(), own, &in_words)
        .into_iter()
        .filter(|w| !fixed_alone.contains(&w.rule.as_str()))
        .collect();
    let questions = base
        .checklist
        .iter()
        .filter(|i| i.status == Status::NotStated)
        .map(|i| Question {
            rule: i.rule.clone(),
            title: i.title.clone(),
            ask: i.ask.clone().unwrap_or_default(),
        })
        .collect();

    let report = AdviceReport {
        proposal: base.proposal.clone(),
        outcome: base.outcome.clone(),
        total: base.total,
        complete: base.complete,
        suggestions,
        no_gain,
        in_words,
        next_step,
        cannot_fix,
        questions,
        provenance: base.provenance.clone(),
    };
    (report, base)
}

/// Searches sets of helpful changes, smallest first, for one that moves the outcome up.
fn next_step(
    checklist: &Checklist,
    proposal: &Proposal,
    base: &Appraisal,
    candidates: &[Candidate<'_>],
    helpful: &[usize],
    options: AdviseOptions,
) -> NextStep {
    let from = base.outcome.clone();
    let mut step = NextStep {
        status: StepStatus::None,
        from: from.clone(),
        to: None,
        changes: Vec::new(),
        total: None,
        smallest: false,
        searched: 0,
        evaluations: 0,
        next: None,
        blocked_by: Vec::new(),
    };
    if !base.complete {
        step.status = StepStatus::Incomplete;
        return step;
    }
    let here = outcome_rank(checklist, &base.outcome);
    if here == 0 {
        step.status = StepStatus::Best;
        return step;
    }
    let describe = |set: &[usize]| -> Vec<StepChange> {
        set.iter()
            .filter_map(|&i| candidates.get(i))
            .map(|c| StepChange {
                rule: c.advice.rule.clone(),
                text: c.advice.text.clone(),
                set: c.set.clone(),
            })
            .collect()
    };
    let patch_of = |set: &[usize]| {
        merge(
            set.iter()
                .filter_map(|&i| candidates.get(i))
                .map(|c| &c.patch),
        )
    };

    // First, every helpful change together: if that does not move the outcome, say so.
    let union: Vec<usize> = {
        let mut chosen: Vec<usize> = Vec::new();
        for &i in helpful {
            let mut trial = chosen.clone();
            trial.push(i);
            if patch_of(&trial).is_some() {
                chosen = trial;
            }
        }
        chosen
    };
    let all = patch_of(&union).and_then(|p| reappraise(checklist, proposal, &p));
    step.evaluations = 1;
    let Some(all) = all else {
        return step;
    };
    if !is_step_up(checklist, &all.outcome, here) {
        step.changes = describe(&union);
        step.total = Some(all.total);
        if let Some(up) = next_up(checklist, here) {
            step.next = Some(up.id.clone());
            step.blocked_by = crate::explain::conditions(up, &all)
                .into_iter()
                .filter(|c| !c.holds)
                .collect();
        }
        return step;
    }

    // Then sets of 1, 2, … changes, until one works or the budget runs out.
    for k in 1..union.len() {
        let remaining = options.max_evaluations.saturating_sub(step.evaluations);
        let mut sets: Vec<Vec<usize>> = combinations(&union, k).take(remaining + 1).collect();
        let complete = sets.len() <= remaining;
        sets.truncate(remaining);
        let results: Vec<(Vec<usize>, Appraisal)> = sets
            .par_iter()
            .filter_map(|set| {
                let p = patch_of(set)?;
                reappraise(checklist, proposal, &p).map(|a| (set.clone(), a))
            })
            .collect();
        step.evaluations += sets.len();
        // The best of the sets that work: highest outcome, then total; first in order on ties.
        let best = results
            .into_iter()
            .filter(|(_, a)| is_step_up(checklist, &a.outcome, here))
            .min_by(|(_, a), (_, b)| {
                outcome_rank(checklist, &a.outcome)
                    .cmp(&outcome_rank(checklist, &b.outcome))
                    .then_with(|| b.total.total_cmp(&a.total))
            });
        if let Some((set, a)) = best {
            step.status = StepStatus::Found;
            step.to = Some(a.outcome.clone());
            step.changes = describe(&set);
            step.total = Some(a.total);
            step.smallest = true;
            return step;
        }
        if !complete {
            break;
        }
        step.searched = k;
    }
    // The budget ran out (or every smaller size failed): start from the whole set, which works,
    // and leave out each change in turn, least gain first, wherever the rest still works. The
    // result is irreducible (no one change can be left out), if not proven smallest.
    step.smallest = step.searched + 1 >= union.len();
    let mut set = union.clone();
    let mut best = all;
    for &drop in union.iter().rev() {
        let trial: Vec<usize> = set.iter().copied().filter(|&i| i != drop).collect();
        if trial.is_empty() {
            continue;
        }
        let Some(a) = patch_of(&trial).and_then(|p| reappraise(checklist, proposal, &p)) else {
            continue;
        };
        step.evaluations += 1;
        if is_step_up(checklist, &a.outcome, here) {
            set = trial;
            best = a;
        }
    }
    step.status = StepStatus::Found;
    step.to = Some(best.outcome.clone());
    step.changes = describe(&set);
    step.total = Some(best.total);
    step
}

/// Whether `outcome` is a step up from position `here`: better, and decided on the bid's merits
/// rather than on how much it leaves unsaid (an outcome with `min_not_stated`, such as "refer",
/// is never a step anyone should take by saying less).
fn is_step_up(checklist: &Checklist, outcome: &str, here: i64) -> bool {
    outcome_rank(checklist, outcome) < here
        && checklist
            .config
            .screening
            .outcomes
            .iter()
            .find(|o| o.id == outcome)
            .is_some_and(|o| o.min_not_stated.is_none())
}

/// The nearest outcome above position `here` that is a step up.
fn next_up(checklist: &Checklist, here: i64) -> Option<&crate::checklist::Outcome> {
    let outcomes = &checklist.config.screening.outcomes;
    let here = usize::try_from(here).ok()?;
    outcomes
        .iter()
        .take(here)
        .rev()
        .find(|o| is_step_up(checklist, &o.id, here as i64))
}

/// The `k`-element subsets of `items`, in lexicographic order of position.
fn combinations(items: &[usize], k: usize) -> impl Iterator<Item = Vec<usize>> + '_ {
    let n = items.len();
    let mut idx: Vec<usize> = (0..k).collect();
    let mut done = k > n || k == 0;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let out: Vec<usize> = idx.iter().filter_map(|&i| items.get(i).copied()).collect();
        // Advance to the next combination.
        let mut i = k;
        loop {
            if i == 0 {
                done = true;
                break;
            }
            i -= 1;
            let limit = n - k + i;
            if idx.get(i).is_some_and(|&v| v < limit) {
                if let Some(v) = idx.get_mut(i) {
                    *v += 1;
                }
                let start = idx.get(i).copied().unwrap_or(0);
                for (off, slot) in idx.iter_mut().enumerate().skip(i + 1) {
                    *slot = start + off - i;
                }
                break;
            }
        }
        Some(out)
    })
}

/// Items not met, and findings that lower a score, that neither every suggested change together
/// nor the rule's own suggestions together fix (the caller also drops those one suggestion
/// fixes alone).
fn weaknesses(
    base: &Appraisal,
    with_all: Option<&Appraisal>,
    own: impl Fn(&str) -> Option<Appraisal>,
    in_words: &[Advice],
) -> Vec<Weakness> {
    let negative = |a: &Appraisal, rule: &str| {
        a.indicators
            .values()
            .flat_map(|i| &i.findings)
            .any(|f| f.rule == rule && f.impact < 0.0)
    };
    base.checklist
        .iter()
        .filter(|i| i.status == Status::NotMet || negative(base, &i.rule))
        .filter(|i| {
            // Fixed when, with every change or with the rule's own, the item is met (or not
            // applicable) and lowers nothing.
            let fixed = |a: &Appraisal| {
                a.checklist.iter().any(|j| {
                    j.rule == i.rule && matches!(j.status, Status::Met | Status::NotApplicable)
                }) && !negative(a, &i.rule)
            };
            !(with_all.is_some_and(fixed) || own(&i.rule).is_some_and(|a| fixed(&a)))
        })
        .map(|i| {
            let advice: Vec<String> = in_words
                .iter()
                .filter(|a| a.rule == i.rule)
                .map(|a| a.text.clone())
                .collect();
            Weakness {
                rule: i.rule.clone(),
                title: i.title.clone(),
                status: i.status,
                reason: i.reason.clone(),
                kind: if advice.is_empty() {
                    WeaknessKind::NoEdit
                } else {
                    WeaknessKind::InWords
                },
                advice,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::combinations;

    #[test]
    fn combinations_are_every_subset_in_order() {
        let items = [10, 20, 30, 40];
        let two: Vec<Vec<usize>> = combinations(&items, 2).collect();
        assert_eq!(
            two,
            vec![
                vec![10, 20],
                vec![10, 30],
                vec![10, 40],
                vec![20, 30],
                vec![20, 40],
                vec![30, 40]
            ]
        );
        assert_eq!(combinations(&items, 4).count(), 1);
        assert_eq!(combinations(&items, 5).count(), 0);
        assert_eq!(combinations(&items, 0).count(), 0);
    }
}
