//! stronger — a rule-driven appraisal engine for community project proposals.
//!
//! The library is the product: load a proposal ([`Proposal`]), load a checklist ([`Checklist`]),
//! appraise ([`Checklist::appraise`]) and render ([`render`]). The `stronger` binary in
//! `src/main.rs` is a thin shell over [`cli`].
//!
//! Data flows one way: `proposal` → `checklist` (rules compiled once) → `engine` (each rule run
//! in a sandbox) → `aggregate` (scores, bands, outcome) → `appraisal` → `render`.
#![forbid(unsafe_code)]
// User input must never crash the engine: errors are values, not panics.
#![cfg_attr(not(test), deny(clippy::unwrap_used))]
// Same reason as above: an `expect` is a panic with a message.
#![cfg_attr(not(test), deny(clippy::expect_used))]
// A panic in a batch of 50,000 bids would lose the whole round.
#![cfg_attr(not(test), deny(clippy::panic))]
// `a[i]` and `s[a..b]` panic when out of range; bids are untrusted, so use `get`.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]
// Errors are rare and carry a whole located message; boxing them would only add noise.
#![allow(clippy::result_large_err)]

pub mod advise;
mod aggregate;
mod appraisal;
pub mod batch;
mod cases;
mod checklist;
pub mod cli;
pub mod delta;
mod diagnostic;
pub mod diff;
mod engine;
mod evaluate;
pub mod explain;
mod hash;
mod limits;
mod patch;
mod proposal;
mod reading;
pub mod render;
pub mod schemas;
pub mod screen;
pub mod serve;
mod suggest;
mod text;
pub mod whatif;

pub use appraisal::{
    Advice, Appraisal, ChecklistItem, Confidence, Finding, IndicatorResult, Layer, ProposalRef,
    Provenance, RuleError, Status, ThemeResult,
};
pub use cases::{CaseResult, Coverage, RuleCoverage};
pub use checklist::{Analysis, Checklist, ChecklistError, FieldRead, OutcomeSite, RuleMeta};
pub use diagnostic::Diagnostic;
pub use evaluate::{RuleTrace, Trace, set_jobs};
pub use limits::Limits;
pub use patch::{Patch, PatchError, shown_value, typed_value};
pub use proposal::{Format, Loaded, Proposal, ProposalError, ProposalSchema};

/// The engine's name and version, as written into every appraisal's provenance.
pub const ENGINE: &str = concat!("stronger ", env!("CARGO_PKG_VERSION"));
