//! The appraisal: what the engine concluded about one bid, in the shape of
//! `schemas/appraisal.schema.json`. Field names here are a stable interface: extend, never rename.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// A checklist item's status.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    PartialOrd,
    Ord,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Met,
    NotMet,
    NotStated,
    NotApplicable,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::NotMet => "not-met",
            Status::NotStated => "not-stated",
            Status::NotApplicable => "not-applicable",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "met" => Status::Met,
            "not-met" => Status::NotMet,
            "not-stated" => Status::NotStated,
            "not-applicable" => Status::NotApplicable,
            _ => return None,
        })
    }
}

/// How sure a finding or a score is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn parse(s: &str) -> Option<Confidence> {
        Some(match s {
            "low" => Confidence::Low,
            "medium" => Confidence::Medium,
            "high" => Confidence::High,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }

    pub(crate) fn value(self) -> f64 {
        match self {
            Confidence::Low => 1.0,
            Confidence::Medium => 2.0,
            Confidence::High => 3.0,
        }
    }
}

/// What backs a finding, on one published scale the engine applies (rules do not choose it):
/// the bid's own prose, unbacked, is the weakest; a measured target the strongest.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    PartialOrd,
    Ord,
    Hash,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Grade {
    /// Only free text says so, with no field, evidence, partner or target behind it.
    Unverified,
    /// A structured field of the bid states it (a number, a yes/no, a list).
    Stated,
    /// An evidence entry, or a partner whose commitment is in place (a letter or agreement).
    Evidenced,
    /// A measured outcome: a baseline and a target, with a date.
    Measured,
}

impl Default for Grade {
    /// A finding whose rule named nothing behind it: as strong as a stated field, no stronger.
    fn default() -> Grade {
        Grade::Stated
    }
}

impl Grade {
    pub const ALL: [Grade; 4] = [
        Grade::Unverified,
        Grade::Stated,
        Grade::Evidenced,
        Grade::Measured,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Unverified => "unverified",
            Grade::Stated => "stated",
            Grade::Evidenced => "evidenced",
            Grade::Measured => "measured",
        }
    }

    /// The confidence a finding with this backing carries.
    pub fn confidence(self) -> Confidence {
        match self {
            Grade::Unverified => Confidence::Low,
            Grade::Stated => Confidence::Medium,
            Grade::Evidenced | Grade::Measured => Confidence::High,
        }
    }

    /// What the grade means, as the published checklist says it.
    pub fn meaning(self) -> &'static str {
        match self {
            Grade::Unverified => {
                "only the bid's own prose says so: no field, evidence entry, committed partner or measured target backs it"
            }
            Grade::Stated => {
                "a structured field of the bid states it (a number, a yes or no, a list)"
            }
            Grade::Evidenced => {
                "an evidence entry, or a partner whose commitment is in place (a letter or an agreement)"
            }
            Grade::Measured => "a measured outcome: a baseline and a target, with a date",
        }
    }
}

/// The whole appraisal of one bid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Appraisal {
    pub proposal: ProposalRef,
    pub outcome: String,
    pub total: f64,
    /// The share (0 to 1) of the positive points that rests on more than the bid's prose: a
    /// stated field, an evidence entry, a committed partner, a measured target. 1 when nothing
    /// scored. The screening policy may ask for a minimum.
    #[serde(default = "one")]
    pub verified_share: f64,
    pub complete: bool,
    pub indicators: IndexMap<String, IndicatorResult>,
    pub themes: IndexMap<String, ThemeResult>,
    pub checklist: Vec<ChecklistItem>,
    /// Where the bid contradicts itself, as the checklist defines it. (Appraisals recorded
    /// before contradictions were looked for read as having none.)
    #[serde(default)]
    pub contradictions: Vec<Contradiction>,
    /// The outcome the screening policy gives the bid with its contradictions not looked for;
    /// absent when none was found. `outcome` is never better: a contradiction never raises an
    /// outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome_without_contradictions: Option<String>,
    pub advice: Vec<Advice>,
    pub errors: Vec<RuleError>,
    pub provenance: Provenance,
    /// Example values left in the bid (`[example: …]`, written by advice), to be replaced with
    /// the applicant's own; they back nothing above an unverified finding.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placeholders: Vec<Placeholder>,
}

/// An example value a suggested change wrote into the bid, not yet replaced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Placeholder {
    /// Where it is: `partners[2].name`.
    pub field: String,
    /// The value as written: `[example: a public partner]`.
    pub value: String,
}

impl Appraisal {
    /// Whether any finding adds to an indicator: when none does, `verified_share` (1) has
    /// nothing to say.
    pub fn scored(&self) -> bool {
        self.indicators
            .values()
            .flat_map(|i| &i.findings)
            .any(|f| f.impact > 0.0)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProposalRef {
    pub id: String,
    pub title: String,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorResult {
    pub score: f64,
    pub band: String,
    pub confidence: Confidence,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    /// The weighted impact: the rule's amount times its weight. An indicator's score is the sum.
    pub impact: f64,
    pub reason: String,
    pub confidence: Confidence,
    /// What backs it; the confidence follows from it. (Appraisals recorded before grades
    /// existed read as `stated`, the grade a finding with no named backing gets.)
    #[serde(default)]
    pub grade: Grade,
    /// What the rule recorded (weighted), when the ceiling on unverified prose counted less:
    /// `impact` is what counts. Absent when it counted in full.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded: Option<f64>,
    /// The profile the finding counts in (`soundness`), when its rule belongs to one: then
    /// `impact` is 0 — it adds to no indicator and not to the total — and `recorded` is what it
    /// adds to the profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// The contradiction (its id) that touches the finding's rule, when the finding is a gain:
    /// then it counts nothing (`impact` 0, and nothing in a profile) and `recorded` is what it
    /// would have added. A contradiction never pays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contradiction: Option<String>,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeResult {
    pub score: f64,
    pub band: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub rule: String,
    pub title: String,
    pub theme: String,
    pub status: Status,
    /// Why, quoting the bid (absent for `not-stated` and for a rule that failed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// For `not-stated`: the question to ask the applicant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ask: Option<String>,
    /// A `met` that rests only on the bid's prose (unverified): shown as weak, and counted as
    /// not stated by the screening policy.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub weak: bool,
    /// The contradiction (its id) that made the item not stated: its rule used one side of it
    /// (read the field, or asked about the concept). `ask` names the conflict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contradiction: Option<String>,
    /// What the rule recorded, when a contradiction made the item not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded: Option<Status>,
}

impl ChecklistItem {
    /// The status the screening policy counts: a weak `met` is not stated.
    pub fn counted_status(&self) -> Status {
        if self.weak && self.status == Status::Met {
            Status::NotStated
        } else {
            self.status
        }
    }
}

/// A place where the bid contradicts itself: two things it says that cannot both hold, as the
/// checklist's `[contradictions]` define them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Contradiction {
    /// The contradiction's id in the checklist's concepts file (`free_and_charged`).
    pub id: String,
    /// `concepts` (two that cannot both hold), `actors` (one act, opposed actors), `denied`
    /// (affirmed and denied) or `field` (a stated field against the prose).
    pub kind: String,
    /// What the checklist says the contradiction is.
    pub description: String,
    /// What the bid says first (for `field`, the field).
    pub one: Said,
    /// What it says against it.
    pub other: Said,
    /// The checklist items it touches, now not stated: their rules used one side.
    pub items: Vec<String>,
    /// The question to put to the applicant.
    pub ask: String,
}

impl Contradiction {
    /// Both sides, in order.
    pub fn sides(&self) -> [&Said; 2] {
        [&self.one, &self.other]
    }
}

/// One side of a contradiction: a field of the bid and its value, or a sentence of its prose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Said {
    /// The field, as a dotted path with indices (`volunteering.roles`, `summary`).
    pub field: String,
    /// The field's value, for a stated field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    /// The sentence, as written, for prose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentence: Option<String>,
    /// The form's question the sentence answers, when the bid came from a funder's export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// The concept the sentence states, and what it says of it (`affirmed`, `negated`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concept: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Who acts, when the sentence makes it plain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
}

impl Said {
    /// How the side is quoted: the sentence in quotation marks, or `field = value`.
    pub fn quoted(&self) -> String {
        match (&self.sentence, &self.value) {
            (Some(s), _) => format!("\"{}\"", s.split_whitespace().collect::<Vec<_>>().join(" ")),
            (None, Some(v)) => format!("{} = {v}", self.field),
            (None, None) => self.field.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Advice {
    pub rule: String,
    pub text: String,
    pub indicators: Vec<String>,
    /// Likely gain in weighted impact points if the advice is followed.
    pub gain: f64,
    /// The change to the bid that would follow the advice: field path → new value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A rule that failed or was stopped on this bid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RuleError {
    pub rule: String,
    pub file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    pub message: String,
}

impl RuleError {
    /// `file:line:column`.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file),
            _ => self.file.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Provenance {
    pub checklist: String,
    pub version: String,
    pub hash: String,
    /// The checklists this one builds on, base first (empty for a standalone checklist).
    pub layers: Vec<Layer>,
    pub engine: String,
    /// `sha256:` of the mapping file that turned a funder's export into this bid (`--map`);
    /// absent for a bid read as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mapping: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Layer {
    pub checklist: String,
    pub version: String,
    pub hash: String,
}
