//! Re-appraising a bid with changes: the one mechanism behind `what-if` and verified advice.

use super::delta::{Delta, delta};
use crate::appraisal::Appraisal;
use crate::checklist::Checklist;
use crate::patch::{Patch, PatchError};
use crate::proposal::{Proposal, ProposalError};

/// A change that cannot be made: a path the proposal does not have, a value of the wrong type,
/// or a result that breaks the proposal schema.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ChangeError {
    #[error("{0}")]
    Patch(#[from] PatchError),
    #[error("the changed bid is invalid:\n{0}")]
    Invalid(#[from] ProposalError),
}

/// The bid with the changes applied and validated again against the proposal schema.
pub fn apply(
    checklist: &Checklist,
    proposal: &Proposal,
    patch: &Patch,
) -> Result<Proposal, ChangeError> {
    let schema = checklist.schema();
    let doc = patch.apply(&proposal.doc, schema.fields())?;
    let loaded = Proposal::from_value(&proposal.source, doc, None, schema)?;
    Ok(loaded.proposal)
}

/// A bid re-appraised with changes.
#[derive(Debug, Clone, PartialEq)]
pub struct WhatIf {
    pub before: Appraisal,
    pub after: Appraisal,
    pub delta: Delta,
}

/// Appraises the bid as it is and with the changes, and what changed between the two.
pub fn what_if(
    checklist: &Checklist,
    proposal: &Proposal,
    patch: &Patch,
) -> Result<WhatIf, ChangeError> {
    let changed = apply(checklist, proposal, patch)?;
    let before = crate::appraise::appraise(checklist, proposal);
    let after = crate::appraise::appraise(checklist, &changed);
    let delta = delta(checklist, &before, &after);
    Ok(WhatIf {
        before,
        after,
        delta,
    })
}

/// `what-if`'s JSON (CLI and API): the changes as read (`path=value`, paths), and the delta.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct WhatIfJson<'a> {
    pub set: &'a [String],
    pub unset: &'a [String],
    #[serde(flatten)]
    pub delta: &'a Delta,
}
