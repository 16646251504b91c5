//! The full trace of an appraisal: for every rule, the fields it read and their values (or that
//! they were not stated), what it decided and why; for every indicator, each contribution to its
//! score and the band the score falls in; and how the screening policy reached the outcome.

use crate::appraisal::{Advice, Appraisal, Confidence, ProposalRef, Provenance, RuleError, Status};
use crate::checklist::{Checklist, Indicator, Rule};
use crate::evaluate::{RuleTrace, Trace};
use crate::proposal::Proposal;
use crate::reading::{Reading, Status as ReadStatus};
use serde::Serialize;
use serde_json::Value;

/// What to explain: everything, or one rule and/or one indicator.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExplainOptions {
    pub rule: Option<String>,
    pub indicator: Option<String>,
}

impl ExplainOptions {
    /// Checks that the rule and indicator exist; the error names the option that does not,
    /// with a suggestion.
    pub fn check(&self, checklist: &Checklist) -> Result<(), ExplainOptionError> {
        let suggest = |word: &str, ids: &mut dyn Iterator<Item = &str>| {
            crate::suggest::did_you_mean(word, ids).map(str::to_string)
        };
        if let Some(r) = &self.rule
            && !checklist.rules().any(|m| &m.id == r)
        {
            let suggestion = suggest(r, &mut checklist.rules().map(|m| m.id.as_str()));
            return Err(ExplainOptionError::NoRule {
                id: r.clone(),
                suggestion,
            });
        }
        let indicators = &checklist.config.indicators;
        if let Some(i) = &self.indicator
            && !indicators.iter().any(|x| &x.id == i)
        {
            let suggestion = suggest(i, &mut indicators.iter().map(|x| x.id.as_str()));
            return Err(ExplainOptionError::NoIndicator {
                id: i.clone(),
                suggestion,
            });
        }
        Ok(())
    }
}

/// An [`ExplainOptions`] naming what the checklist does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExplainOptionError {
    #[error("the checklist has no rule `{id}`{}", did_you_mean(.suggestion))]
    NoRule {
        id: String,
        suggestion: Option<String>,
    },
    #[error("the checklist has no indicator `{id}`{}", did_you_mean(.suggestion))]
    NoIndicator {
        id: String,
        suggestion: Option<String>,
    },
}

impl ExplainOptionError {
    /// The option at fault: `rule` or `indicator`.
    pub fn option(&self) -> &'static str {
        match self {
            ExplainOptionError::NoRule { .. } => "rule",
            ExplainOptionError::NoIndicator { .. } => "indicator",
        }
    }
}

fn did_you_mean(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default()
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Explanation {
    pub proposal: ProposalRef,
    pub outcome: String,
    pub total: f64,
    pub complete: bool,
    /// The screening policy's outcomes, best first, down to the one chosen: each condition and
    /// whether the bid meets it. Empty when explaining one rule or indicator.
    pub decision: Vec<OutcomeCheck>,
    /// Where the bid contradicts itself, as the appraisal lists it (absent when nowhere).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contradictions: Vec<crate::appraisal::Contradiction>,
    pub rules: Vec<RuleExplanation>,
    pub indicators: Vec<IndicatorExplanation>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct OutcomeCheck {
    pub outcome: String,
    pub chosen: bool,
    pub conditions: Vec<Condition>,
}

pub use crate::screening::Condition;

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RuleExplanation {
    pub rule: String,
    pub title: String,
    pub theme: String,
    pub file: String,
    pub weight: f64,
    pub question: String,
    /// The fields the rule read, in the order it first read them.
    pub reads: Vec<FieldRead>,
    /// `None` when the rule failed.
    pub status: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ask: Option<String>,
    pub findings: Vec<RuleFinding>,
    pub advice: Vec<Advice>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<RuleError>,
    /// What the rule printed with `print` or `debug`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The claims of the concepts the rule asked about: those it could use and those set aside,
    /// with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<ClaimRead>,
}

/// A claim of a concept a rule asked about, or a mention set aside.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ClaimRead {
    pub concept: String,
    /// `affirmed`, `negated`, `hedged`, `past`, or `set-aside` (an exclusion or a name).
    pub status: String,
    /// The sentence or list item, as written.
    pub sentence: String,
    pub field: String,
    /// The words that matched, as written.
    pub phrase: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// The words that made it negated, hedged or past.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trigger: Option<String>,
    /// What it counts for: `read`, or `set aside: …` and why.
    pub note: String,
    /// The rule line that asked.
    pub line: usize,
}

/// One field a rule read.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FieldRead {
    /// The field path (`partners[1].sector`), or for a search of the bid's words
    /// `(all free text)` / `assets (free text)`.
    pub field: String,
    /// The rule line that first read it.
    pub line: usize,
    /// The bid's value; absent when the field is not stated or the read is a word search.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    pub stated: bool,
    /// Whether this was a search of the bid's words rather than one field.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub search: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RuleFinding {
    /// The indicator it counts on, or the profile (`soundness`) its rule adds to instead.
    pub indicator: String,
    pub impact: f64,
    pub reason: String,
    pub confidence: Confidence,
    /// What backs it, on the engine's scale.
    pub grade: crate::appraisal::Grade,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct IndicatorExplanation {
    pub id: String,
    pub name: String,
    pub score: f64,
    pub band: String,
    /// The band's range: `min ≤ score < below` (either end may be open).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub band_min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub band_below: Option<f64>,
    pub confidence: Confidence,
    pub contributions: Vec<Contribution>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Contribution {
    pub rule: String,
    pub title: String,
    pub impact: f64,
    pub reason: String,
    pub confidence: Confidence,
}

/// Appraises the bid with a trace and explains it.
pub fn explain(
    checklist: &Checklist,
    proposal: &Proposal,
    options: &ExplainOptions,
) -> Explanation {
    explain_appraised(checklist, proposal, options).0
}

/// [`explain`], with the appraisal it explains (for a caller that also records it).
pub fn explain_appraised(
    checklist: &Checklist,
    proposal: &Proposal,
    options: &ExplainOptions,
) -> (Explanation, Appraisal) {
    let (a, trace) = crate::appraise::appraise_traced(checklist, proposal);
    let reading = crate::evaluate::read(checklist, proposal);
    let whole = options.rule.is_none() && options.indicator.is_none();
    let rules = checklist
        .rules
        .iter()
        .filter(|r| options.wants_rule(r, &a))
        .map(|r| rule_explanation(r, &a, &trace, proposal, &reading))
        .collect();
    let indicators = checklist
        .config
        .indicators
        .iter()
        .filter(|i| options.wants_indicator(&i.id))
        .filter_map(|ind| indicator_explanation(checklist, ind, &a))
        .collect();
    let explanation = Explanation {
        proposal: a.proposal.clone(),
        outcome: a.outcome.clone(),
        total: a.total,
        complete: a.complete,
        decision: if whole {
            decision(checklist, &a)
        } else {
            Vec::new()
        },
        contradictions: a.contradictions.clone(),
        rules,
        indicators,
        provenance: a.provenance.clone(),
    };
    (explanation, a)
}

impl ExplainOptions {
    /// Whether to explain rule `r`: every rule, the one asked for, or those that bear on the
    /// indicator asked for (declared on it, or with a finding on it in `a`).
    fn wants_rule(&self, r: &Rule, a: &Appraisal) -> bool {
        let id = &r.meta.id;
        match (&self.rule, &self.indicator) {
            (None, None) => true,
            (Some(rule), _) => rule == id,
            (None, Some(ind)) => {
                r.meta.indicators.contains(ind)
                    || a.indicators
                        .get(ind)
                        .is_some_and(|i| i.findings.iter().any(|f| &f.rule == id))
            }
        }
    }

    /// Whether to explain indicator `id`: every one when nothing is asked for, only the one
    /// asked for, none when a rule is asked for alone.
    fn wants_indicator(&self, id: &str) -> bool {
        match (&self.rule, &self.indicator) {
            (_, Some(ind)) => ind == id,
            (Some(_), None) => false,
            (None, None) => true,
        }
    }
}

/// One rule's part in appraisal `a`: what it read (from `trace`), decided, found and advised.
fn rule_explanation(
    r: &Rule,
    a: &Appraisal,
    trace: &Trace,
    proposal: &Proposal,
    reading: &Reading,
) -> RuleExplanation {
    let id = &r.meta.id;
    let item = a.checklist.iter().find(|i| &i.rule == id);
    let traced = trace.rules.iter().find(|t| &t.rule == id);
    RuleExplanation {
        rule: id.clone(),
        title: r.meta.title.clone(),
        theme: r.meta.theme.clone(),
        file: r.shown.clone(),
        weight: r.weight,
        question: r.meta.question.clone(),
        reads: traced.map(|t| reads(t, proposal)).unwrap_or_default(),
        status: item.map(|i| i.status),
        reason: item.and_then(|i| i.reason.clone()),
        ask: item.and_then(|i| i.ask.clone()),
        findings: findings(a, id),
        advice: a.advice.iter().filter(|x| &x.rule == id).cloned().collect(),
        error: a.errors.iter().find(|e| &e.rule == id).cloned(),
        notes: traced.map(|t| t.notes.clone()).unwrap_or_default(),
        claims: traced.map(|t| claims_read(t, reading)).unwrap_or_default(),
    }
}

/// The claims of every concept the rule asked about, within the record it asked of, and the
/// mentions of those concepts the reader set aside.
fn claims_read(traced: &RuleTrace, reading: &Reading) -> Vec<ClaimRead> {
    let mut out: Vec<ClaimRead> = Vec::new();
    for (concept, within, line) in &traced.asked {
        for c in reading.of(concept).filter(|c| inside(&c.field, within)) {
            let seen = out.iter().any(|x| {
                x.concept == **concept && x.sentence == c.sentence && x.status == c.status.as_str()
            });
            if !seen {
                out.push(ClaimRead {
                    concept: concept.clone(),
                    status: c.status.as_str().to_string(),
                    sentence: c.sentence.clone(),
                    field: c.field.clone(),
                    phrase: c.phrase.clone(),
                    actor: c.actor.as_ref().map(|a| a.to_string()),
                    trigger: c.trigger.clone(),
                    note: note(c.status, c.trigger.as_deref()),
                    line: *line,
                });
            }
        }
        for x in reading
            .set_aside
            .iter()
            .filter(|x| *x.concept == **concept && inside(&x.field, within))
        {
            out.push(ClaimRead {
                concept: concept.clone(),
                status: "set-aside".to_string(),
                sentence: x.sentence.clone(),
                field: x.field.clone(),
                phrase: x.phrase.clone(),
                actor: None,
                trigger: None,
                note: format!("set aside: {}", x.why),
                line: *line,
            });
        }
    }
    out
}

/// Whether a claim's field lies within the record at `within`, as the rules' questions see it.
fn inside(field: &str, within: &str) -> bool {
    crate::engine::claims::inside(field, within)
}

/// What a claim of each status counts for.
fn note(status: ReadStatus, trigger: Option<&str>) -> String {
    let by = trigger.map(|t| format!(" (\"{t}\")")).unwrap_or_default();
    match status {
        ReadStatus::Affirmed => "read".to_string(),
        ReadStatus::Negated => format!("set aside: negated{by} — evidence against, never for"),
        ReadStatus::Hedged => {
            format!("set aside: hedged{by} — a hope or a condition earns nothing")
        }
        ReadStatus::Past => format!("set aside: past{by} — what was, not what the project will do"),
    }
}

/// The fields a rule read, each once in the order it first read them, with the bid's values.
fn reads(traced: &RuleTrace, proposal: &Proposal) -> Vec<FieldRead> {
    let mut reads: Vec<FieldRead> = Vec::new();
    for (field, line) in &traced.reads {
        if reads.iter().any(|x| &x.field == field) {
            continue;
        }
        let search = field.ends_with("free text)");
        let value = if search {
            None
        } else {
            crate::patch::get(&proposal.doc, field).cloned()
        };
        let stated = search || value.as_ref().is_some_and(is_stated);
        reads.push(FieldRead {
            field: field.clone(),
            line: *line,
            value: if stated { value } else { None },
            stated,
            search,
        });
    }
    reads
}

/// A rule's findings, on every indicator.
fn findings(a: &Appraisal, rule: &str) -> Vec<RuleFinding> {
    a.indicators
        .iter()
        .flat_map(|(ind, res)| {
            res.findings
                .iter()
                .filter(|f| f.rule == rule)
                // A profile's finding is shown as what it adds to the profile.
                .map(move |f| RuleFinding {
                    indicator: f.profile.clone().unwrap_or_else(|| ind.clone()),
                    impact: match f.profile {
                        Some(_) => f.recorded.unwrap_or(f.impact),
                        None => f.impact,
                    },
                    reason: f.reason.clone(),
                    confidence: f.confidence,
                    grade: f.grade,
                })
        })
        .collect()
}

/// An indicator's score, the range of its band, and every contribution to it (`None` when the
/// appraisal does not report it).
fn indicator_explanation(
    checklist: &Checklist,
    ind: &Indicator,
    a: &Appraisal,
) -> Option<IndicatorExplanation> {
    let res = a.indicators.get(&ind.id)?;
    let bands = &checklist.config.bands;
    let pos = bands.iter().position(|b| b.id == res.band);
    let band_min = pos.and_then(|p| bands.get(p)).and_then(|b| b.min);
    let band_below = pos
        .and_then(|p| p.checked_sub(1))
        .and_then(|p| bands.get(p))
        .and_then(|b| b.min);
    let title = |rule: &str| {
        checklist
            .rules
            .iter()
            .find(|r| r.meta.id == rule)
            .map(|r| r.meta.title.clone())
            .unwrap_or_default()
    };
    Some(IndicatorExplanation {
        id: ind.id.clone(),
        name: ind.name.clone(),
        score: res.score,
        band: res.band.clone(),
        band_min,
        band_below,
        confidence: res.confidence,
        contributions: res
            .findings
            .iter()
            .map(|f| Contribution {
                rule: f.rule.clone(),
                title: title(&f.rule),
                impact: f.impact,
                reason: f.reason.clone(),
                confidence: f.confidence,
            })
            .collect(),
    })
}

/// Empty text and empty lists are not stated, as rules see them.
fn is_stated(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        _ => true,
    }
}

/// The screening policy applied step by step, as `aggregate` applies it.
fn decision(checklist: &Checklist, a: &Appraisal) -> Vec<OutcomeCheck> {
    let screening = &checklist.config.screening;
    if !a.complete {
        let failed = a.errors.len();
        return vec![OutcomeCheck {
            outcome: screening.incomplete.clone(),
            chosen: true,
            conditions: vec![Condition {
                test: "every rule ran".to_string(),
                actual: format!("{failed} failed"),
                holds: false,
            }],
        }];
    }
    let mut out = Vec::new();
    let mut decided = None;
    for o in &screening.outcomes {
        let conditions = conditions(checklist, o, a);
        let holds = conditions.iter().all(|c| c.holds);
        out.push(OutcomeCheck {
            outcome: o.id.clone(),
            chosen: holds && o.id == a.outcome,
            conditions,
        });
        if holds {
            decided = Some(o.id.as_str());
            break;
        }
    }
    // What holds the bid below the outcome its conditions give: a contradiction never raises one.
    if let Some(decided) = decided.filter(|d| *d != a.outcome) {
        out.push(OutcomeCheck {
            outcome: a.outcome.clone(),
            chosen: true,
            conditions: crate::screening::held_down(
                screening,
                a.contradictions.len(),
                decided,
                a.outcome_without_contradictions.as_deref(),
            ),
        });
    }
    out
}

/// Each condition of one screening outcome, tested against an appraisal.
pub(crate) fn conditions(
    checklist: &Checklist,
    o: &crate::checklist::Outcome,
    a: &Appraisal,
) -> Vec<Condition> {
    crate::screening::conditions(
        o,
        &crate::screening::Facts {
            total: a.total,
            verified_share: a.verified_share,
            items: &a.checklist,
            themes: &a.themes,
            contradictions: a.contradictions.len(),
            harmed: crate::screening::harmed(&checklist.config, &a.indicators),
        },
    )
}
