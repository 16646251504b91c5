//! The checklist's own test cases (`tests/*.toml` in the checklist folder): a bid, changes to
//! it, and what the rules must decide. `cargo test` runs the bundled checklist's cases; the
//! same runner serves `stronger rules test`. `bid.rs` builds a case's bid, `compare.rs` checks
//! judgment cases that compare two bids, and `coverage.rs` says which of each rule's outcomes
//! the cases reached and which rules came near their operation budget.

use crate::appraisal::{Appraisal, Status};
use crate::checklist::{Checklist, SourceFile};
use crate::diagnostic::Diagnostic;
use indexmap::IndexMap;
use serde::Deserialize;

mod bid;
mod compare;
mod coverage;

pub use coverage::{Coverage, CoverageScope, RuleCoverage, budget_warnings, coverage};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    #[serde(default, rename = "case")]
    cases: Vec<Case>,
    /// Judgment cases comparing two bids.
    #[serde(default)]
    compare: Vec<compare::Compare>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    bid: String,
    #[serde(default)]
    set: IndexMap<String, toml::Value>,
    #[serde(default)]
    unset: Vec<String>,
    #[serde(default)]
    expect: Expect,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default)]
    status: IndexMap<String, String>,
    #[serde(default)]
    impacts: IndexMap<String, IndexMap<String, f64>>,
    #[serde(default)]
    bands: IndexMap<String, String>,
    #[serde(default)]
    outcome: Option<String>,
    #[serde(default)]
    complete: Option<bool>,
}

/// The result of one case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    /// The case file, as shown to users.
    pub file: String,
    pub name: String,
    /// One line per mismatch: `VOL-01 status: expected met, found not-met`.
    pub failures: Vec<String>,
    /// The appraisal the case produced (absent when the bid could not be built).
    pub appraisal: Option<Appraisal>,
    /// What each rule read and reached (absent when the bid could not be built).
    pub trace: Option<crate::evaluate::Trace>,
    /// For a judgment marked `pending` (the behaviour it states is not built yet): why. A
    /// pending judgment that fails is reported, not counted as a failure; one that holds is a
    /// failure, so the mark is removed as soon as the behaviour lands.
    pub pending: Option<String>,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Runs every test case kept in the checklist's `tests/` folder.
pub fn run(checklist: &Checklist) -> Result<Vec<CaseResult>, Vec<Diagnostic>> {
    let mut results = Vec::new();
    let mut problems = Vec::new();
    for f in files(checklist) {
        let shown = format!("{}/{}", checklist.root, f.rel);
        if is_reading_file(&f.text) {
            match run_reading(checklist, &shown, &f.text) {
                Ok(r) => results.extend(r),
                Err(d) => problems.extend(d),
            }
            continue;
        }
        let parsed: CaseFile = match toml::from_str(&f.text) {
            Ok(c) => c,
            Err(e) => {
                let mut d = Diagnostic::error(
                    &shown,
                    format!("invalid test case file: {}", e.message().trim()),
                );
                if let Some(span) = e.span() {
                    let (l, c) = crate::diagnostic::line_col(&f.text, span.start);
                    d = d.at_in(&f.text, l, c);
                }
                problems.push(d);
                continue;
            }
        };
        for case in parsed.cases {
            results.push(run_case(checklist, &shown, case));
        }
        for case in parsed.compare {
            results.push(run_compare(checklist, &shown, case));
        }
    }
    if problems.is_empty() {
        Ok(results)
    } else {
        Err(problems)
    }
}

/// How many test cases the checklist's own `tests/` folder holds.
pub fn count(checklist: &Checklist) -> usize {
    files(checklist)
        .filter_map(|f| toml::from_str::<toml::Table>(&f.text).ok())
        .map(|t| {
            ["case", "compare", "reading"]
                .iter()
                .filter_map(|k| t.get(*k).and_then(|c| c.as_array()))
                .map(|c| c.len())
                .sum::<usize>()
        })
        .sum()
}

/// The test case files in the checklist's own `tests/` folder (not its bids): rule cases,
/// judgments comparing two bids, and reading judgments.
fn files(checklist: &Checklist) -> impl Iterator<Item = &SourceFile> {
    checklist.files.iter().filter(|f| {
        f.rel.starts_with("tests/") && f.rel.ends_with(".toml") && !f.rel.starts_with("tests/bids/")
    })
}

/// A file of reading judgments (`[[reading]]`: a sentence and the claims it holds), which the
/// reading layer runs, as opposed to rule cases and comparisons, which appraise bids.
fn is_reading_file(text: &str) -> bool {
    toml::from_str::<toml::Table>(text).is_ok_and(|t| t.contains_key("reading"))
}

/// The reading judgments of one file, run against the checklist's concepts.
fn run_reading(
    checklist: &Checklist,
    shown: &str,
    text: &str,
) -> Result<Vec<CaseResult>, Vec<Diagnostic>> {
    let cases = crate::reading::run_reading_cases(&checklist.lexicon, shown, text)?;
    Ok(cases
        .into_iter()
        .map(|c| CaseResult {
            file: shown.to_string(),
            name: c.name,
            failures: if c.passed {
                Vec::new()
            } else {
                vec![c.message]
            },
            appraisal: None,
            trace: None,
            pending: None,
        })
        .collect())
}

fn run_case(checklist: &Checklist, file: &str, case: Case) -> CaseResult {
    let bid = match bid::build(checklist, &case.bid, &case.set, &case.unset) {
        Ok(b) => b,
        Err(msg) => return failed(file, &case.name, msg),
    };
    let (a, trace) = crate::appraise::appraise_traced(checklist, &bid);
    let failures = compare(&case.expect, &a);
    CaseResult {
        file: file.to_string(),
        name: case.name,
        failures,
        appraisal: Some(a),
        trace: Some(trace),
        pending: None,
    }
}

fn run_compare(checklist: &Checklist, file: &str, case: compare::Compare) -> CaseResult {
    let mut sides = Vec::new();
    for (label, side) in [("a", &case.a), ("b", &case.b)] {
        let Some(bid) = side.bid.as_ref().or(case.bid.as_ref()) else {
            let msg = format!("no bid for `{label}`: give `bid` or `{label}.bid`");
            return failed(file, &case.name, msg);
        };
        match bid::build(checklist, bid, &side.set, &side.unset) {
            Ok(b) => sides.push(crate::appraise::appraise_traced(checklist, &b)),
            Err(msg) => return failed(file, &case.name, format!("{label}: {msg}")),
        }
    }
    let (Some((b, tb)), Some((a, ta))) = (sides.pop(), sides.pop()) else {
        return failed(file, &case.name, "no bids to compare".to_string());
    };
    let mut failures = compare::check(checklist, &case.expect, &a, &b);
    if let Some(why) = &case.pending {
        failures = if failures.is_empty() {
            vec![format!(
                "this judgment now holds: remove `pending = \"{why}\"` from it"
            )]
        } else {
            Vec::new()
        };
    }
    // Both runs count towards coverage; the appraisal kept is B's, the changed bid.
    let mut trace = ta;
    trace.rules.extend(tb.rules);
    CaseResult {
        file: file.to_string(),
        name: case.name,
        failures,
        appraisal: Some(b),
        trace: Some(trace),
        pending: case.pending,
    }
}

fn failed(file: &str, name: &str, msg: String) -> CaseResult {
    CaseResult {
        file: file.to_string(),
        name: name.to_string(),
        failures: vec![msg],
        appraisal: None,
        trace: None,
        pending: None,
    }
}

fn compare(expect: &Expect, a: &Appraisal) -> Vec<String> {
    let mut out = Vec::new();
    for (rule, want) in &expect.status {
        if Status::parse(want).is_none() {
            out.push(format!(
                "{rule} status: `{want}` is not a status (met, not-met, not-stated, not-applicable)"
            ));
            continue;
        }
        // What the rule recorded: a contradiction in the bid is the appraisal's business.
        let found = a.checklist.iter().find(|i| &i.rule == rule);
        match found.map(|i| i.recorded.unwrap_or(i.status)) {
            Some(s) if s.as_str() == want => {}
            Some(s) => out.push(format!(
                "{rule} status: expected {want}, found {}",
                s.as_str()
            )),
            None => {
                let why = a
                    .errors
                    .iter()
                    .find(|e| &e.rule == rule)
                    .map(|e| format!(" (the rule failed: {})", e.message))
                    .unwrap_or_default();
                out.push(format!(
                    "{rule} status: expected {want}, found no result{why}"
                ));
            }
        }
    }
    for (rule, per_ind) in &expect.impacts {
        for (ind, want) in per_ind {
            let found: f64 = a
                .indicators
                .get(ind)
                .map(|r| {
                    r.findings
                        .iter()
                        .filter(|f| &f.rule == rule)
                        // What the rule recorded: the ceiling on prose is the scores' business.
                        .map(|f| f.recorded.unwrap_or(f.impact))
                        .sum()
                })
                .unwrap_or(0.0);
            if (found - want).abs() > 1e-9 {
                out.push(format!(
                    "{rule} impact on {ind}: expected {want}, found {found}"
                ));
            }
        }
    }
    for (id, want) in &expect.bands {
        let found = a
            .indicators
            .get(id)
            .map(|r| r.band.as_str())
            .or_else(|| a.themes.get(id).map(|t| t.band.as_str()));
        match found {
            Some(b) if b == want => {}
            Some(b) => out.push(format!("{id} band: expected {want}, found {b}")),
            None => out.push(format!(
                "{id} band: expected {want}, found no such indicator or theme"
            )),
        }
    }
    if let Some(want) = &expect.outcome
        && &a.outcome != want
    {
        out.push(format!("outcome: expected {want}, found {}", a.outcome));
    }
    if let Some(want) = expect.complete
        && a.complete != want
    {
        out.push(format!("complete: expected {want}, found {}", a.complete));
    }
    out
}
