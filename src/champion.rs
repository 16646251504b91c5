//! What a stronger champion asks of one bid, beyond its appraisal. Each feature is built on
//! appraising and on the one below it:
//!
//! - `delta.rs`: what changed between two appraisals — the shape of `what-if`, `compare` and
//!   each verified suggestion;
//! - `whatif.rs`: a bid re-appraised with changes (`--set path=value`), re-validated first;
//! - `explain.rs`: the trace of one appraisal made readable, and the screening conditions;
//! - `advise.rs`: advice verified by applying each suggested change and re-appraising, the
//!   search for the smallest set of changes that moves the outcome up a step, and what no edit
//!   fixes.
//!
//! None of them formats anything (that is `render`'s) or knows the CLI or HTTP.

pub mod advise;
pub mod delta;
pub mod explain;
pub mod whatif;
