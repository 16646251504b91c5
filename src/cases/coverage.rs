//! What the cases say about the rules: which of the places where each rule records a status,
//! an impact or advice they reached (`rules test --coverage`), and which rules used more than
//! half of their operation budget on some case.

use super::CaseResult;
use crate::checklist::Checklist;
use crate::diagnostic::Diagnostic;

/// Which outcome sites of each rule the cases reached.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Coverage {
    /// Whose rules are counted: this layer's own (`own`) or every layer's (`all`).
    pub scope: CoverageScope,
    pub rules: Vec<RuleCoverage>,
}

/// Whose rules coverage counts. A derived checklist is answerable for the rules it writes; the
/// base's rules are its authors' to cover (and their cases are not the derived checklist's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CoverageScope {
    /// The rules this layer itself defines (for a checklist without a base: every rule).
    Own,
    /// Every rule in force, the base's included.
    All,
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

/// Per rule: which of the places where it records a status, an impact or advice the cases
/// reached, and which they never reached.
pub fn coverage(checklist: &Checklist, results: &[CaseResult], scope: CoverageScope) -> Coverage {
    let own = checklist.own_origin();
    let rules = checklist
        .rules
        .iter()
        .filter(|rule| scope == CoverageScope::All || rule.origin == own)
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
    Coverage { scope, rules }
}

/// A warning for each rule that used more than half of its operation budget on some case,
/// located at the rule: a longer or richer bid could stop it, and a rule near its budget is
/// a rule whose result could depend on the machine were the budget not the limit that binds.
pub fn budget_warnings(checklist: &Checklist, results: &[CaseResult]) -> Vec<Diagnostic> {
    let budget = checklist.limits.rule_operations;
    checklist.rules
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
                match checklist.rule_source(&rule.meta.id) {
                    Some((_, source)) => d.at_in(source, line, column),
                    None => d.at(line, column),
                }
            })
        })
        .collect()
}
