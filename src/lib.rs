//! stronger — a rule-driven appraisal engine for community project proposals.
//!
//! The library is the product: load a proposal ([`Proposal`]), load a checklist ([`Checklist`]),
//! appraise ([`appraise()`]) and render ([`render`]). The `stronger` binary in
//! `src/main.rs` is a thin shell over `cli`, and its HTTP server over `serve`: each is behind
//! the cargo feature of its name, on by default; with `default-features = false` the library
//! is the engine alone.
//!
//! Data flows one way: `proposal` → `checklist` (rules compiled once, in the `engine`'s sandbox)
//! → `evaluate` (each rule run over the bid) → `aggregate` (scores, bands, outcome) →
//! `appraise` → the champion's features (`advise`, `whatif`, `delta`, `explain`) → `render` →
//! the shells (`cli`, `serve`). ARCHITECTURE.md has the map; `tests/it/tidy.rs` holds it.
#![forbid(unsafe_code)]
// User input must never crash the engine: errors are values, not panics.
#![cfg_attr(not(test), deny(clippy::unwrap_used))]
// Same reason as above: an `expect` is a panic with a message.
#![cfg_attr(not(test), deny(clippy::expect_used))]
// A panic in a batch of 50,000 bids would lose the whole round.
#![cfg_attr(not(test), deny(clippy::panic))]
// `a[i]` and `s[a..b]` panic when out of range; bids are untrusted, so use `get`.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]
#![expect(
    clippy::result_large_err,
    reason = "errors are rare and carry a whole located message; boxing them would only add noise"
)]
// Every type the public API hands out can be named by the caller (the list of `pub use` below).
#![deny(unnameable_types)]

mod aggregate;
mod appraisal;
mod appraise;
mod atomic_file;
mod champion;
mod checklist;
mod diagnostic;
mod engine;
mod evaluate;
mod hash;
mod limits;
mod patch;
mod proposal;
mod reading;
mod screening;
mod shown;
mod suggest;
mod text;

// Features over many bids and over the checklist, each a module of its own.
pub mod batch;
pub mod calibrate;
pub mod cases;
pub mod diff;
pub mod portfolio;
pub mod render;
pub mod schemas;
pub mod screen;

// The shells over the library, each behind its feature: arguments and exit statuses, HTTP.
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "serve")]
pub mod serve;

// A bid, and changes to one.
pub use patch::{Patch, PatchError};
pub use proposal::{
    FieldKind, Fields, Format, Loaded, Proposal, ProposalError, ProposalSchema, SchemaError,
};
// A checklist, and the limits its rules run under.
pub use checklist::{Checklist, ChecklistError, OutcomeSite, RuleMeta};
pub use limits::Limits;
// An appraisal, and the trace of how it was made.
pub use appraisal::{
    Advice, Appraisal, ChecklistItem, Confidence, Contradiction, Finding, Grade, IndicatorResult,
    Layer, Placeholder, ProposalRef, Provenance, RuleError, Said, Status, ThemeResult,
};
pub use appraise::{appraise, appraise_traced, set_jobs};
pub use evaluate::{RuleTrace, Trace};
// A problem with any input, located.
pub use diagnostic::{Diagnostic, Severity};
// The champion's features.
pub use champion::{advise, delta, explain, whatif};

/// The engine's name and version, as written into every appraisal's provenance.
pub const ENGINE: &str = concat!("stronger ", env!("CARGO_PKG_VERSION"));
