//! The search for the next step: the smallest set of suggested changes that, made together,
//! moves the outcome up the screening policy — sets of one change, then two, and so on, within
//! an evaluation budget; when the budget runs out, an irreducible set instead. When even every
//! change together does not move the outcome, what still stands in the way.

use super::{AdviseOptions, Candidate, NextStep, StepChange, StepStatus, merge, reappraise};
use crate::appraisal::Appraisal;
use crate::appraise::OnPool;
use crate::champion::delta::outcome_rank;
use crate::checklist::Checklist;
use crate::patch::Patch;
use crate::proposal::Proposal;

/// Searches sets of the `helpful` candidates (best first), smallest first, for one that moves
/// the outcome of `base` up.
pub(super) fn next_step(
    on: OnPool,
    checklist: &Checklist,
    proposal: &Proposal,
    base: &Appraisal,
    candidates: &[Candidate<'_>],
    helpful: &[usize],
    options: AdviseOptions,
) -> NextStep {
    let mut step = NextStep {
        status: StepStatus::None,
        from: base.outcome.clone(),
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
    let search = Search {
        checklist,
        proposal,
        candidates,
        here,
    };
    // First, every helpful change together: if that does not move the outcome, say so.
    let union = search.compatible(helpful);
    step.evaluations = 1;
    let Some(all) = search.appraise(on, &union) else {
        return step;
    };
    if !search.is_up(&all) {
        return search.blocked(step, &union, &all);
    }
    if search.by_size(&mut step, &union, options) {
        return step;
    }
    search.trim(on, step, &union, all)
}

/// One search: the bid, the candidate changes and where the bid's outcome stands.
struct Search<'a> {
    checklist: &'a Checklist,
    proposal: &'a Proposal,
    candidates: &'a [Candidate<'a>],
    /// The position of the bid's outcome in the screening policy (0 is best).
    here: i64,
}

impl Search<'_> {
    /// The changes of a set of candidates, as the report lists them.
    fn describe(&self, set: &[usize]) -> Vec<StepChange> {
        set.iter()
            .filter_map(|&i| self.candidates.get(i))
            .map(|c| StepChange {
                rule: c.advice.rule.clone(),
                text: c.advice.text.clone(),
                set: c.set.clone(),
            })
            .collect()
    }

    fn patch_of(&self, set: &[usize]) -> Option<Patch> {
        merge(
            set.iter()
                .filter_map(|&i| self.candidates.get(i))
                .map(|c| &c.patch),
        )
    }

    /// The bid re-appraised with a set of candidates made together.
    fn appraise(&self, on: OnPool, set: &[usize]) -> Option<Appraisal> {
        self.patch_of(set)
            .and_then(|p| reappraise(on, self.checklist, self.proposal, &p))
    }

    fn is_up(&self, a: &Appraisal) -> bool {
        is_step_up(self.checklist, &a.outcome, self.here)
    }

    /// The helpful candidates, best first, that can be made together (a later one that
    /// conflicts with those before is left out).
    fn compatible(&self, helpful: &[usize]) -> Vec<usize> {
        let mut chosen: Vec<usize> = Vec::new();
        for &i in helpful {
            let mut trial = chosen.clone();
            trial.push(i);
            if self.patch_of(&trial).is_some() {
                chosen = trial;
            }
        }
        chosen
    }

    /// Every change together does not move the outcome: the changes, the total they give, and
    /// the next outcome's conditions that still fail with them.
    fn blocked(&self, mut step: NextStep, union: &[usize], all: &Appraisal) -> NextStep {
        step.changes = self.describe(union);
        step.total = Some(all.total);
        if let Some(up) = next_up(self.checklist, self.here) {
            step.next = Some(up.id.clone());
            step.blocked_by = crate::champion::explain::conditions(self.checklist, up, all)
                .into_iter()
                .filter(|c| !c.holds)
                .collect();
        }
        step
    }

    /// Sets of 1, 2, … changes, until one works (the step is filled in: true) or the budget
    /// runs out (false).
    fn by_size(&self, step: &mut NextStep, union: &[usize], options: AdviseOptions) -> bool {
        for k in 1..union.len() {
            let remaining = options.max_evaluations.saturating_sub(step.evaluations);
            let mut sets: Vec<Vec<usize>> = combinations(union, k).take(remaining + 1).collect();
            let complete = sets.len() <= remaining;
            sets.truncate(remaining);
            let results: Vec<(Vec<usize>, Appraisal)> = crate::appraise::each(&sets, |on, set| {
                self.appraise(on, set).map(|a| (set.clone(), a))
            })
            .into_iter()
            .flatten()
            .collect();
            step.evaluations += sets.len();
            // The best of the sets that work: highest outcome, then total; first in order on ties.
            let best =
                results
                    .into_iter()
                    .filter(|(_, a)| self.is_up(a))
                    .min_by(|(_, a), (_, b)| {
                        outcome_rank(self.checklist, &a.outcome)
                            .cmp(&outcome_rank(self.checklist, &b.outcome))
                            .then_with(|| b.total.total_cmp(&a.total))
                    });
            if let Some((set, a)) = best {
                step.status = StepStatus::Found;
                step.to = Some(a.outcome.clone());
                step.changes = self.describe(&set);
                step.total = Some(a.total);
                step.smallest = true;
                return true;
            }
            if !complete {
                break;
            }
            step.searched = k;
        }
        false
    }

    /// The budget ran out (or every smaller size failed): start from the whole set, which
    /// works, and leave out each change in turn, least gain first, wherever the rest still
    /// works. The result is irreducible (no one change can be left out), if not proven smallest.
    fn trim(&self, on: OnPool, mut step: NextStep, union: &[usize], all: Appraisal) -> NextStep {
        step.smallest = step.searched + 1 >= union.len();
        let mut set = union.to_vec();
        let mut best = all;
        for &drop in union.iter().rev() {
            let trial: Vec<usize> = set.iter().copied().filter(|&i| i != drop).collect();
            if trial.is_empty() {
                continue;
            }
            let Some(a) = self.appraise(on, &trial) else {
                continue;
            };
            step.evaluations += 1;
            if self.is_up(&a) {
                set = trial;
                best = a;
            }
        }
        step.status = StepStatus::Found;
        step.to = Some(best.outcome.clone());
        step.changes = self.describe(&set);
        step.total = Some(best.total);
        step
    }
}

/// Whether `outcome` is a step up from position `here`: better, and decided on the bid's merits
/// rather than on how much it leaves unsaid or how much it harms (an outcome with
/// `min_not_stated`, such as "refer", is never a step anyone should take by saying less, and
/// one with `min_harmed`, such as "mitigate first", never one taken by harming more).
fn is_step_up(checklist: &Checklist, outcome: &str, here: i64) -> bool {
    outcome_rank(checklist, outcome) < here
        && checklist
            .config
            .screening
            .outcomes
            .iter()
            .find(|o| o.id == outcome)
            .is_some_and(|o| o.min_not_stated.is_none() && o.min_harmed.is_none())
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
