//! Limits on untrusted input and on rule evaluation, with their defaults.
//!
//! Every limit is configurable: bid limits by the caller, rule limits by `[limits]` in a
//! checklist's `checklist.toml`.

use std::time::Duration;

/// Bounds on what one bid may be and what one appraisal may cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest bid, in bytes.
    pub max_bid_bytes: usize,
    /// Deepest nesting of tables, arrays and objects in a bid.
    pub max_depth: usize,
    /// Operations one rule may perform on one bid.
    pub rule_operations: u64,
    /// Wall-clock time one rule may take on one bid: a backstop, well above the time any rule
    /// takes to use up its operations (SECURITY.md), so that the budget, which does not depend
    /// on the machine, is the limit that binds.
    pub rule_time: Duration,
    /// Wall-clock time the whole checklist may take on one bid (a backstop too).
    pub appraisal_time: Duration,
    /// Most rows of an Excel sheet read (the header not counted): a sheet with more is refused
    /// before any row is used, since a workbook cannot be read a row at a time as CSV can.
    pub max_sheet_rows: usize,
    /// Largest Excel workbook, in bytes, both as a file and inflated (every part of its zip
    /// together): checked from the zip's directory before anything is inflated.
    pub max_workbook_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bid_bytes: 16 * 1024 * 1024,
            max_depth: 128,
            rule_operations: 200_000,
            rule_time: Duration::from_millis(1_000),
            appraisal_time: Duration::from_millis(10_000),
            max_sheet_rows: 100_000,
            max_workbook_bytes: 256 * 1024 * 1024,
        }
    }
}

/// Most contradictions kept for one bid: past this many, a bid has said enough against itself
/// for any panel, and each one kept is a question to the applicant.
pub const MAX_CONTRADICTIONS: usize = 20;

/// Most pairs of claims compared for one contradiction of the checklist on one bid: finding
/// contradictions stays linear in the claims kept, whatever a bid repeats.
pub const MAX_CONTRADICTION_PAIRS: usize = 100_000;
