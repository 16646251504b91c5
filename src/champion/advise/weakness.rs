//! The weaknesses no suggested edit fixes: items not met, and findings that lower a score,
//! that stay with every suggested change made, with each rule's own changes made, and with any
//! one suggestion alone.

use super::{Candidate, Suggestion, Weakness, WeaknessKind, merge, reappraise};
use crate::appraisal::{Advice, Appraisal, Status};
use crate::appraise::OnPool;
use crate::checklist::Checklist;
use crate::patch::Patch;
use crate::proposal::Proposal;

/// What the search for fixes re-appraises with.
pub(super) struct Fixes<'a> {
    pub on: OnPool,
    pub checklist: &'a Checklist,
    pub proposal: &'a Proposal,
    pub candidates: &'a [Candidate<'a>],
    /// The bid with every suggested change made, if that bid is valid.
    pub with_all: Option<&'a Appraisal>,
}

impl Fixes<'_> {
    /// The weaknesses of `base` that nothing the checklist suggests fixes. `in_words` is the
    /// advice that needs the applicant's own words: a weakness it speaks to is marked so.
    pub(super) fn cannot_fix(
        &self,
        base: &Appraisal,
        suggestions: &[Suggestion],
        in_words: &[Advice],
    ) -> Vec<Weakness> {
        // Items one suggestion on its own makes met (or not applicable).
        let fixed_alone: Vec<&str> = suggestions
            .iter()
            .flat_map(|s| &s.checklist)
            .filter(|i| matches!(i.after, Some(Status::Met | Status::NotApplicable)))
            .map(|i| i.rule.as_str())
            .collect();
        weaknesses(base, self.with_all, |rule| self.own(rule), in_words)
            .into_iter()
            .filter(|w| !fixed_alone.contains(&w.rule.as_str()))
            .collect()
    }

    /// The bid with a rule's own suggestions, all together: they may fix its item where the set
    /// of every change could not hold them (two rules setting one field differently).
    fn own(&self, rule: &str) -> Option<Appraisal> {
        let mine: Vec<&Patch> = self
            .candidates
            .iter()
            .filter(|c| c.advice.rule == rule)
            .map(|c| &c.patch)
            .collect();
        if mine.is_empty() {
            return None;
        }
        merge(mine).and_then(|p| reappraise(self.on, self.checklist, self.proposal, &p))
    }
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
