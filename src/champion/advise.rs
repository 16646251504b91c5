//! Advice a champion can trust: every change a rule suggests is applied to the bid and the bid
//! re-appraised, so the report gives the real before → after for each indicator, band, checklist
//! item and the outcome. Also: the smallest set of suggested changes that moves the outcome up a
//! step, the weaknesses no suggested edit fixes, and the questions the bid leaves open.
//!
//! Suggested changes are applied exactly as `what-if --set` would apply them (the same
//! `path=value` arguments, read back through the proposal schema), so a suggestion's numbers
//! are what `what-if` shows.

use super::delta::{AdviceLine, Delta, ItemChange, OutcomeChange, ScoreChange, delta};
use crate::appraisal::{Advice, Appraisal, ProposalRef, Provenance, Status};
use crate::appraise::OnPool;
use crate::checklist::Checklist;
use crate::patch::Patch;
use crate::proposal::Proposal;
use serde::Serialize;

mod search;
mod weakness;

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
    pub blocked_by: Vec<super::explain::Condition>,
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
fn reappraise(
    on: OnPool,
    checklist: &Checklist,
    proposal: &Proposal,
    patch: &Patch,
) -> Option<Appraisal> {
    let changed = super::whatif::apply(checklist, proposal, patch).ok()?;
    Some(on.appraise(checklist, &changed))
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
    crate::appraise::on_pool(|on| advise_here(on, checklist, proposal, options))
}

fn advise_here(
    on: OnPool,
    checklist: &Checklist,
    proposal: &Proposal,
    options: AdviseOptions,
) -> (AdviceReport, Appraisal) {
    let base = on.appraise(checklist, proposal);
    let Candidates {
        list: candidates,
        also,
        mut in_words,
    } = Candidates::from_advice(checklist, &base.advice);
    let verified = verify(checklist, proposal, &base, &candidates, &also);
    // The changes that broke the proposal schema (a rule's mistake) stay, unverified.
    in_words.extend(verified.invalid);
    // Unverified advice joined the list in two passes: back into the appraisal's order.
    in_words.sort_by(|a, b| {
        b.gain
            .total_cmp(&a.gain)
            .then_with(|| a.rule.cmp(&b.rule))
            .then_with(|| a.text.cmp(&b.text))
    });
    let with_all = reappraise(on, checklist, proposal, &every_change(&candidates));
    let next_step = search::next_step(
        on,
        checklist,
        proposal,
        &base,
        &candidates,
        &verified.helpful,
        options,
    );
    let fixes = weakness::Fixes {
        on,
        checklist,
        proposal,
        candidates: &candidates,
        with_all: with_all.as_ref(),
    };
    let cannot_fix = fixes.cannot_fix(&base, &verified.suggestions, &in_words);
    let report = AdviceReport {
        proposal: base.proposal.clone(),
        outcome: base.outcome.clone(),
        total: base.total,
        complete: base.complete,
        suggestions: verified.suggestions,
        no_gain: verified.no_gain,
        in_words,
        next_step,
        cannot_fix,
        questions: questions(&base),
        provenance: base.provenance.clone(),
    };
    (report, base)
}

/// The changes a bid's advice suggests, each once, and the advice no change stands for.
struct Candidates<'a> {
    list: Vec<Candidate<'a>>,
    /// For each candidate, other rules' advice that suggests the same change.
    also: Vec<Vec<AdviceLine>>,
    /// Advice that needs the applicant's own words.
    in_words: Vec<Advice>,
}

impl<'a> Candidates<'a> {
    fn from_advice(checklist: &Checklist, advice: &'a [Advice]) -> Candidates<'a> {
        let mut out = Candidates {
            list: Vec::new(),
            also: Vec::new(),
            in_words: Vec::new(),
        };
        for a in advice {
            let Some(c) = candidate(checklist, a) else {
                out.in_words.push(a.clone());
                continue;
            };
            let Some(i) = out.list.iter().position(|x| x.set == c.set) else {
                out.list.push(c);
                out.also.push(Vec::new());
                continue;
            };
            // Advice from another rule that suggests a change already a candidate: listed with it.
            let line = AdviceLine {
                rule: a.rule.clone(),
                text: a.text.clone(),
            };
            let same = out
                .list
                .get(i)
                .is_some_and(|x| x.advice.rule == a.rule && x.advice.text == a.text);
            if let Some(list) = out.also.get_mut(i)
                && !same
                && !list.contains(&line)
            {
                list.push(line);
            }
        }
        out
    }
}

/// The suggestions verified one by one.
struct Verified {
    /// Those that raise the bid, best first.
    suggestions: Vec<Suggestion>,
    /// Those that raise nothing.
    no_gain: Vec<Suggestion>,
    /// The positions of the helpful candidates, best first: candidates for combining.
    helpful: Vec<usize>,
    /// The advice whose change makes the bid invalid.
    invalid: Vec<Advice>,
}

/// Each candidate applied on its own and the bid re-appraised, in parallel.
fn verify(
    checklist: &Checklist,
    proposal: &Proposal,
    base: &Appraisal,
    candidates: &[Candidate<'_>],
    also: &[Vec<AdviceLine>],
) -> Verified {
    let deltas: Vec<Option<Delta>> = crate::appraise::each(candidates, |on, c| {
        reappraise(on, checklist, proposal, &c.patch).map(|after| delta(checklist, base, &after))
    });
    let mut out = Verified {
        suggestions: Vec::new(),
        no_gain: Vec::new(),
        helpful: Vec::new(),
        invalid: Vec::new(),
    };
    let mut helpful: Vec<(usize, f64)> = Vec::new();
    for (i, (c, d)) in candidates.iter().zip(deltas).enumerate() {
        let Some(d) = d else {
            out.invalid.push(c.advice.clone());
            continue;
        };
        let s = suggestion(c, d, also.get(i).cloned().unwrap_or_default());
        let raises =
            s.gain > 0.0 || s.outcome.steps > 0 || s.checklist.iter().any(ItemChange::improved);
        if raises {
            helpful.push((i, s.gain));
            out.suggestions.push(s);
        } else {
            out.no_gain.push(s);
        }
    }
    let order = |a: &Suggestion, b: &Suggestion| {
        b.gain
            .total_cmp(&a.gain)
            .then_with(|| b.outcome.steps.cmp(&a.outcome.steps))
            .then_with(|| a.rule.cmp(&b.rule))
            .then_with(|| a.text.cmp(&b.text))
    };
    out.suggestions.sort_by(order);
    out.no_gain.sort_by(order);
    helpful.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out.helpful = helpful.into_iter().map(|(i, _)| i).collect();
    out
}

/// A candidate with what applying it changed.
fn suggestion(c: &Candidate<'_>, d: Delta, also: Vec<AdviceLine>) -> Suggestion {
    Suggestion {
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
        also,
    }
}

/// Every suggested change at once (a later one that conflicts with an earlier is left out).
fn every_change(candidates: &[Candidate<'_>]) -> Patch {
    let mut all = Patch::default();
    for c in candidates {
        if let Some(m) = merge([&all, &c.patch]) {
            all = m;
        }
    }
    all
}

/// What the bid does not say: each item not stated, with the checklist's question.
fn questions(base: &Appraisal) -> Vec<Question> {
    base.checklist
        .iter()
        .filter(|i| i.status == Status::NotStated)
        .map(|i| Question {
            rule: i.rule.clone(),
            title: i.title.clone(),
            ask: i.ask.clone().unwrap_or_default(),
        })
        .collect()
}
