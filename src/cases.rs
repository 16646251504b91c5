//! The checklist's own test cases (`tests/*.toml` in the checklist folder): a bid, changes to
//! it, and what the rules must decide. `cargo test` runs the bundled checklist's cases; the
//! same runner serves `stronger rules test`.

use crate::appraisal::{Appraisal, Status};
use crate::checklist::Checklist;
use crate::diagnostic::Diagnostic;
use crate::patch::Patch;
use crate::proposal::{Format, Proposal};
use indexmap::IndexMap;
use serde::Deserialize;

mod compare;

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
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

impl Checklist {
    /// Runs every test case kept in the checklist's `tests/` folder.
    pub fn run_cases(&self) -> Result<Vec<CaseResult>, Vec<Diagnostic>> {
        let mut results = Vec::new();
        let mut problems = Vec::new();
        for f in self.case_files() {
            let shown = format!("{}/{}", self.root, f.rel);
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
                results.push(self.run_case(&shown, case));
            }
            for case in parsed.compare {
                results.push(self.run_compare(&shown, case));
            }
        }
        if problems.is_empty() {
            Ok(results)
        } else {
            Err(problems)
        }
    }

    fn run_case(&self, file: &str, case: Case) -> CaseResult {
        let bid = match self.case_bid(&case.bid, &case.set, &case.unset) {
            Ok(b) => b,
            Err(msg) => return failed(file, &case.name, msg),
        };
        let (a, trace) = crate::appraise::appraise_traced(self, &bid);
        let failures = compare(&case.expect, &a);
        CaseResult {
            file: file.to_string(),
            name: case.name,
            failures,
            appraisal: Some(a),
            trace: Some(trace),
        }
    }

    fn run_compare(&self, file: &str, case: compare::Compare) -> CaseResult {
        let mut sides = Vec::new();
        for (label, side) in [("a", &case.a), ("b", &case.b)] {
            let Some(bid) = side.bid.as_ref().or(case.bid.as_ref()) else {
                let msg = format!("no bid for `{label}`: give `bid` or `{label}.bid`");
                return failed(file, &case.name, msg);
            };
            match self.case_bid(bid, &side.set, &side.unset) {
                Ok(b) => sides.push(crate::appraise::appraise_traced(self, &b)),
                Err(msg) => return failed(file, &case.name, format!("{label}: {msg}")),
            }
        }
        let (Some((b, tb)), Some((a, ta))) = (sides.pop(), sides.pop()) else {
            return failed(file, &case.name, "no bids to compare".to_string());
        };
        let failures = compare::check(self, &case.expect, &a, &b);
        // Both runs count towards coverage; the appraisal kept is B's, the changed bid.
        let mut trace = ta;
        trace.rules.extend(tb.rules);
        CaseResult {
            file: file.to_string(),
            name: case.name,
            failures,
            appraisal: Some(b),
            trace: Some(trace),
        }
    }

    /// A case's bid: `tests/bids/NAME.toml` (the layer's own or its base's), changed.
    fn case_bid(
        &self,
        name: &str,
        set: &IndexMap<String, toml::Value>,
        unset: &[String],
    ) -> Result<Proposal, String> {
        let bid_rel = format!("tests/bids/{name}.toml");
        // A layer's cases may start from its own bids or from its base's.
        let found = std::iter::once((&self.root, &self.files))
            .chain(self.base_files.iter().rev().map(|(r, f)| (r, f)))
            .find_map(|(root, files)| files.iter().find(|f| f.rel == bid_rel).map(|f| (root, f)));
        let Some((bid_root, bid_file)) = found else {
            return Err(format!(
                "no bid `{name}` (expected {}/{bid_rel})",
                self.root
            ));
        };
        let shown_bid = format!("{bid_root}/{bid_rel}");
        let base = Proposal::parse(
            &shown_bid,
            bid_file.text.as_bytes(),
            Format::Toml,
            self.schema(),
            self.limits(),
        )
        .map_err(|e| format!("the bid is invalid: {e}"))?
        .proposal;
        let mut changes = Vec::new();
        for (path, v) in set {
            let Some(j) = toml_value_to_json(v) else {
                return Err(format!(
                    "`set.{path}`: dates and non-finite numbers cannot be set"
                ));
            };
            changes.push((path.clone(), j));
        }
        let patch = Patch {
            set: changes,
            unset: unset.to_vec(),
        };
        let doc = patch
            .apply(&base.doc, self.schema().fields())
            .map_err(|e| format!("cannot apply the changes: {e}"))?;
        Proposal::from_value(&shown_bid, doc, None, self.schema())
            .map(|l| l.proposal)
            .map_err(|e| format!("the changed bid is invalid: {e}"))
    }
}

fn failed(file: &str, name: &str, msg: String) -> CaseResult {
    CaseResult {
        file: file.to_string(),
        name: name.to_string(),
        failures: vec![msg],
        appraisal: None,
        trace: None,
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
        let found = a.checklist.iter().find(|i| &i.rule == rule);
        match found {
            Some(i) if i.status.as_str() == want => {}
            Some(i) => out.push(format!(
                "{rule} status: expected {want}, found {}",
                i.status.as_str()
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
                        .map(|f| f.impact)
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

fn toml_value_to_json(v: &toml::Value) -> Option<serde_json::Value> {
    use serde_json::Value;
    Some(match v {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => Value::Number(serde_json::Number::from_f64(*f)?),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(_) => return None,
        toml::Value::Array(a) => {
            Value::Array(a.iter().map(toml_value_to_json).collect::<Option<_>>()?)
        }
        toml::Value::Table(t) => {
            let mut m = serde_json::Map::new();
            for (k, v) in t {
                m.insert(k.clone(), toml_value_to_json(v)?);
            }
            Value::Object(m)
        }
    })
}

/// Which outcome sites of each rule the cases reached.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Coverage {
    pub rules: Vec<RuleCoverage>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RuleCoverage {
    pub rule: String,
    pub file: String,
    pub reached: Vec<crate::checklist::OutcomeSite>,
    pub missed: Vec<crate::checklist::OutcomeSite>,
}

impl Coverage {
    /// Reached sites as a percentage of all sites (100 when there are none).
    pub fn percent(&self) -> f64 {
        let reached: usize = self.rules.iter().map(|r| r.reached.len()).sum();
        let all: usize = reached + self.rules.iter().map(|r| r.missed.len()).sum::<usize>();
        if all == 0 {
            100.0
        } else {
            (reached as f64 * 1000.0 / all as f64).floor() / 10.0
        }
    }
}

impl Checklist {
    /// Per rule: which of the places where it records a status, an impact or advice the cases
    /// reached, and which they never reached.
    pub fn coverage(&self, results: &[CaseResult]) -> Coverage {
        let rules = self
            .rules
            .iter()
            .map(|rule| {
                let mut sites = rule.analysis.outcomes.clone();
                sites.sort();
                sites.dedup();
                let hit = |s: &crate::checklist::OutcomeSite| {
                    results.iter().filter_map(|r| r.trace.as_ref()).any(|t| {
                        t.rules
                            .iter()
                            .any(|rt| rt.rule == rule.meta.id && rt.hits.contains(s))
                    })
                };
                let (reached, missed) = sites.into_iter().partition(|s| hit(s));
                RuleCoverage {
                    rule: rule.meta.id.clone(),
                    file: rule.shown.clone(),
                    reached,
                    missed,
                }
            })
            .collect();
        Coverage { rules }
    }
}

impl Checklist {
    /// A warning for each rule that used more than half of its operation budget on some case,
    /// located at the rule: a longer or richer bid could stop it, and a rule near its budget is
    /// a rule whose result could depend on the machine were the budget not the limit that binds.
    pub fn budget_warnings(&self, results: &[CaseResult]) -> Vec<Diagnostic> {
        let budget = self.limits.rule_operations;
        self.rules
            .iter()
            .filter_map(|rule| {
                let (used, case) = results
                    .iter()
                    .filter_map(|r| {
                        let t = r.trace.as_ref()?;
                        let rt = t.rules.iter().find(|rt| rt.rule == rule.meta.id)?;
                        Some((rt.operations, r.name.as_str()))
                    })
                    .max_by_key(|&(used, _)| used)?;
                (used > budget / 2).then(|| {
                    let d = Diagnostic::warning(
                        &rule.shown,
                        format!(
                            "`{}` used {used} of its {budget} operations on case `{case}`, more than half its budget",
                            rule.meta.id
                        ),
                    )
                    .help("a longer bid could stop it: make the rule do less work, or raise `rule_operations` in `[limits]` of checklist.toml");
                    let (line, column) = rule.entry;
                    match self.rule_source(&rule.meta.id) {
                        Some((_, source)) => d.at_in(source, line, column),
                        None => d.at(line, column),
                    }
                })
            })
            .collect()
    }
}
