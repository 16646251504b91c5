//! Running every rule of a checklist over one bid. Evaluation does no I/O.
//!
//! The bid is converted for Rhai once; each rule runs in the sandbox with its own deadline
//! (and the appraisal's); a rule that fails is recorded with its id and file:line:column and
//! the others still run.

use crate::appraisal::RuleError;
use crate::checklist::{Checklist, Rule};
use crate::engine::recorder::Recorder;
use crate::proposal::Proposal;
use crate::reading::Reading;
use std::sync::Arc;
use std::time::Instant;

/// Which fields each rule read and which of its outcome sites it reached: for coverage and
/// for explaining an appraisal.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Trace {
    pub rules: Vec<RuleTrace>,
}

/// What one rule did on one bid.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleTrace {
    pub rule: String,
    /// Fields read, in order, with the rule line that read them (list indices kept:
    /// `partners[1].sector`).
    pub reads: Vec<(String, usize)>,
    /// The outcome sites reached.
    pub hits: Vec<crate::checklist::OutcomeSite>,
    /// What the rule printed with `print` or `debug`.
    pub notes: Vec<String>,
    /// Whether the rule failed.
    pub failed: bool,
    /// The concepts the rule asked the reading about: (concept, the record asked, rule line).
    pub asked: Vec<(String, String, usize)>,
    /// Operations the rule used of its budget (its script's and the native work charged for
    /// it); 0 when it failed.
    pub operations: u64,
}

pub(crate) fn trace(runs: &[RuleRun<'_>]) -> Trace {
    use crate::checklist::OutcomeSite;
    let site = |kind: &str, line: usize| OutcomeSite {
        kind: kind.to_string(),
        line,
    };
    Trace {
        rules: runs
            .iter()
            .map(|run| match run {
                RuleRun::Failed(e) => RuleTrace {
                    rule: e.rule.clone(),
                    reads: Vec::new(),
                    hits: Vec::new(),
                    notes: Vec::new(),
                    asked: Vec::new(),
                    failed: true,
                    operations: 0,
                },
                RuleRun::Done(rule, rec) => {
                    let mut hits = Vec::new();
                    if let Some(s) = &rec.status {
                        hits.push(site(s.status.as_str(), s.line));
                    }
                    hits.extend(rec.impacts.iter().map(|i| site("impact", i.line)));
                    hits.extend(rec.advice.iter().map(|a| site("advice", a.line)));
                    RuleTrace {
                        rule: rule.meta.id.clone(),
                        reads: rec.reads.iter().map(|r| (r.path(), r.line)).collect(),
                        hits,
                        notes: rec.notes.clone(),
                        asked: rec
                            .asked
                            .iter()
                            .map(|a| (a.concept.to_string(), a.within.to_string(), a.line))
                            .collect(),
                        failed: false,
                        operations: rec.operations,
                    }
                }
            })
            .collect(),
    }
}

/// What one rule made of the bid.
pub(crate) enum RuleRun<'c> {
    Done(&'c Rule, Recorder),
    Failed(RuleError),
}

/// Runs every rule over the bid, on the current thread, and returns the reading of its prose
/// the rules shared (for `explain`).
pub(crate) fn run_rules_reading<'c>(
    checklist: &'c Checklist,
    proposal: &Proposal,
) -> (Vec<RuleRun<'c>>, Arc<Reading>) {
    let reading = read(checklist, proposal);
    let bid = crate::engine::value::bid(&proposal.doc, checklist.schema().fields());
    crate::engine::bid::start(crate::engine::bid::BidContext::new(
        reading.clone(),
        Arc::new(proposal.doc.clone()),
        checklist.lexicon.clone(),
    ));
    let appraisal_deadline = Instant::now() + checklist.limits.appraisal_time;
    let runs = checklist
        .rules
        .iter()
        .map(|rule| run_rule(checklist, rule, &bid, appraisal_deadline))
        .collect();
    crate::engine::bid::finish();
    (runs, reading)
}

/// The bid's prose read once into claims, with the checklist's concepts: every rule shares it.
pub(crate) fn read(checklist: &Checklist, proposal: &Proposal) -> Arc<Reading> {
    let texts = crate::engine::prose::texts(&proposal.doc, checklist.schema().fields());
    let fields: Vec<_> = texts
        .iter()
        .map(crate::engine::prose::Prose::field)
        .collect();
    Arc::new(checklist.lexicon.read(&fields))
}

/// The checklist's contradictions found in the bid, among the claims of the project's own words
/// (what the applicant says of itself, `applicant.purpose`, is context) and its fields.
pub(crate) fn conflicts(
    checklist: &Checklist,
    proposal: &Proposal,
    reading: &Reading,
) -> Vec<crate::reading::Conflict> {
    checklist
        .lexicon
        .contradictions(reading, &proposal.doc, |c| {
            !crate::engine::prose::is_context(&c.field)
        })
}

/// Runs one rule within its own deadline and the appraisal's. The clock is compared with the
/// deadline after the rule too, so a rule that overran is the one reported, never the next.
fn run_rule<'c>(
    checklist: &'c Checklist,
    rule: &'c Rule,
    bid: &crate::engine::value::BidValue,
    appraisal_deadline: Instant,
) -> RuleRun<'c> {
    let limits = &checklist.limits;
    let now = Instant::now();
    if now >= appraisal_deadline {
        let message = format!(
            "not run: the appraisal passed its deadline of {} ms",
            limits.appraisal_time.as_millis()
        );
        return RuleRun::Failed(rule_error(rule, None, None, message));
    }
    let deadline = (now + limits.rule_time).min(appraisal_deadline);
    let allowed = rule.meta.indicators.clone();
    let result = checklist.sandbox.run(&rule.script, bid, allowed, deadline);
    let overran = Instant::now() >= deadline;
    let stopped = |timed_out: bool, message: String| {
        if message.contains("operation budget") {
            message.replace(
                "operation budget",
                &format!("operation budget of {}", limits.rule_operations),
            )
        } else if timed_out && overran && deadline == appraisal_deadline {
            format!(
                "the appraisal passed its deadline of {} ms during this rule, which was stopped",
                limits.appraisal_time.as_millis()
            )
        } else if timed_out && overran {
            format!(
                "the rule ran past its deadline and was stopped ({} ms)",
                limits.rule_time.as_millis()
            )
        } else {
            message
        }
    };
    match result {
        Ok(_) if overran => RuleRun::Failed(rule_error(rule, None, None, stopped(true, String::new()))),
        Ok(rec) if rec.status.is_none() => RuleRun::Failed(rule_error(
            rule,
            None,
            None,
            "the rule finished without recording a status; every path must end in `met`, `not_met`, `not_stated` or `not_applicable`".to_string(),
        )),
        Ok(rec) => match past_most(rule, &rec) {
            Some((line, message)) => RuleRun::Failed(rule_error(rule, Some(line), Some(1), message)),
            None => RuleRun::Done(rule, rec),
        },
        Err(f) => RuleRun::Failed(rule_error(rule, f.line, f.column, stopped(f.timed_out, f.message))),
    }
}

/// The first indicator on which the rule recorded more than its `META.most` above zero or its
/// `META.most_loss` (else `most`) below it (impacts summed, above zero and below it apart), with the line of the impact that passed it.
fn past_most(rule: &Rule, rec: &Recorder) -> Option<(usize, String)> {
    let mut sums: Vec<(&str, f64, f64)> = Vec::new();
    for imp in &rec.impacts {
        let i = match sums.iter().position(|(ind, _, _)| *ind == imp.indicator) {
            Some(i) => i,
            None => {
                sums.push((&imp.indicator, 0.0, 0.0));
                sums.len() - 1
            }
        };
        let (ind, up, down) = sums.get_mut(i)?;
        if imp.amount > 0.0 {
            *up += imp.amount;
        } else {
            *down -= imp.amount;
        }
        let (most, loss) = (rule.meta.most(ind), rule.meta.most_loss(ind));
        if *up > most + 1e-9 {
            return Some((
                imp.line,
                format!(
                    "the rule recorded {up} on {ind}, past the most it declares (`META.most.{ind}` = {most})"
                ),
            ));
        }
        if *down > loss + 1e-9 {
            let key = if rule.meta.most_loss.contains_key(*ind) {
                "most_loss"
            } else {
                "most"
            };
            let total = -*down;
            return Some((
                imp.line,
                format!(
                    "the rule recorded {total} on {ind}, past the most it declares (`META.{key}.{ind}` = {loss})"
                ),
            ));
        }
    }
    None
}

fn rule_error(
    rule: &Rule,
    line: Option<usize>,
    column: Option<usize>,
    message: String,
) -> RuleError {
    let (line, column) = match line {
        Some(l) => (Some(l), column),
        None => (Some(rule.entry.0), Some(rule.entry.1)),
    };
    RuleError {
        rule: rule.meta.id.clone(),
        file: rule.shown.clone(),
        line,
        column,
        message,
    }
}
