//! Which of a bid's words the reading layer reads, and as what: free text as prose (sentences),
//! each entry of a list of strings as one item, and names (the applicant's, the partners', the
//! locality) as names — never read for concepts, but hiding the same words in prose, so a
//! partner called "Eastbridge Volunteer Centre" does not make the bid speak of volunteering.
//!
//! A bid mapped from a funder's export carries, beside a text field made of several answers,
//! the answers themselves with their questions (`answers`): each answer is read as its own text,
//! labelled with its question for quoting, and the questions are never read. `applicant.purpose`
//! (what the organisation exists to do) is read like any prose, but its claims are the
//! organisation's context, not the project's; so are those of what a decision changes
//! (`decision.changes`): see [`is_context`].

use crate::proposal::{FieldKind, Fields, strip_indices};
use crate::reading::{TextField, TextKind};
use serde_json::Value;

/// Fields that name someone or somewhere (or the programme a bid belongs to).
const NAMES: [&str; 4] = [
    "partnership",
    "applicant.name",
    "partners.name",
    "place.locality",
];
/// Text fields that are codes, not words: never read.
const CODES: [&str; 5] = [
    "id",
    "place.area_code",
    "funding.currency",
    "outcomes.indicator",
    "outcomes.by",
];

/// One text of the bid: its path with indices, its words, and how to read them.
pub(crate) struct Prose {
    pub path: String,
    pub text: String,
    pub kind: TextKind,
    /// The form's question this text answers, for quoting (never read).
    pub question: Option<String>,
}

impl Prose {
    pub(crate) fn field(&self) -> TextField<'_> {
        TextField {
            path: self.path.clone(),
            text: &self.text,
            kind: self.kind,
            question: self.question.as_deref(),
        }
    }
}

/// The field whose claims are the applicant organisation's context, not the project's: a
/// question of the whole bid (`affirmed(bid, …)`) leaves them out; a question of
/// `bid.applicant` has them.
pub(crate) const CONTEXT: &str = "applicant.purpose";

/// The list whose entries name what a decision opens, closes, moves or charges for: "Hartfield
/// Library" there is the library a decision closes, not a library the project uses, so only a
/// question of `bid.decision` (or of a change itself) reaches its claims.
pub(crate) const CHANGES: &str = "decision.changes";

/// Whether a claim read from `field` is context rather than what the project does: the
/// organisation's purpose ([`CONTEXT`]) or what a decision changes ([`CHANGES`]).
pub(crate) fn is_context(field: &str) -> bool {
    field == CONTEXT
        || field
            .strip_prefix(CHANGES)
            .is_some_and(|rest| rest.starts_with('['))
}

/// The bid's answers and their questions, by the text field they make up: `(question, text)`.
type Answers<'v> = Vec<(&'v str, Vec<(&'v str, &'v str)>)>;

/// Every text of a validated bid, in document order. Fields the schema does not know are not
/// read (the bid was warned about them): their words must not count as the bid's.
pub(crate) fn texts(doc: &Value, fields: &Fields) -> Vec<Prose> {
    let mut out = Vec::new();
    walk("", doc, fields, &answers(doc), &mut out);
    out
}

/// The bid's `answers`, grouped by field in the order given.
fn answers(doc: &Value) -> Answers<'_> {
    let mut out: Answers<'_> = Vec::new();
    let list = doc.get("answers").and_then(Value::as_array);
    for a in list.into_iter().flatten() {
        let field = a.get("field").and_then(Value::as_str);
        let text = a.get("text").and_then(Value::as_str);
        let (Some(field), Some(text)) = (field, text) else {
            continue;
        };
        let question = a.get("question").and_then(Value::as_str).unwrap_or("");
        match out.iter_mut().find(|(f, _)| *f == field) {
            Some((_, v)) => v.push((question, text)),
            None => out.push((field, vec![(question, text)])),
        }
    }
    out
}

fn walk(path: &str, v: &Value, fields: &Fields, answers: &Answers<'_>, out: &mut Vec<Prose>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                // The answers are read as the fields they make up, below; never on their own.
                if path.is_empty() && k == "answers" {
                    continue;
                }
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if fields.kind_at(&p).is_some() {
                    walk(&p, child, fields, answers, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(&format!("{path}[{i}]"), item, fields, answers, out);
            }
        }
        Value::String(s) => {
            let Some(kind) = kind_of(path, fields) else {
                return;
            };
            if kind == TextKind::Prose && answered(path, s, answers, out) {
                return;
            }
            out.push(Prose {
                path: path.to_string(),
                text: s.clone(),
                kind,
                question: None,
            });
        }
        _ => {}
    }
}

/// Reads the field at `path` as its answers, each its own text with its question, when the
/// bid's answers for it are exactly its words (joined by blank lines): the answers then only
/// label and separate the field's words, never add to them.
fn answered(path: &str, text: &str, answers: &Answers<'_>, out: &mut Vec<Prose>) -> bool {
    let Some((_, list)) = answers.iter().find(|(f, _)| *f == path) else {
        return false;
    };
    let joined: Vec<&str> = list.iter().map(|(_, t)| *t).collect();
    if joined.join("\n\n") != text {
        return false;
    }
    for (question, answer) in list {
        out.push(Prose {
            path: path.to_string(),
            text: (*answer).to_string(),
            kind: TextKind::Prose,
            question: (!question.is_empty()).then(|| (*question).to_string()),
        });
    }
    true
}

/// How a string at `path` is read, or `None` when it is not read at all.
fn kind_of(path: &str, fields: &Fields) -> Option<TextKind> {
    let schema_path = strip_indices(path);
    if CODES.contains(&schema_path.as_str()) {
        return None;
    }
    if NAMES.contains(&schema_path.as_str()) {
        return Some(TextKind::Name);
    }
    match fields.kind(&schema_path)? {
        FieldKind::Text => Some(TextKind::Prose),
        FieldKind::List => Some(TextKind::Item),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_items_and_names_are_told_apart_and_codes_are_not_read() {
        let fields = crate::proposal::ProposalSchema::builtin().fields();
        let doc = serde_json::json!({
            "id": "X-1", "title": "Lunch club", "summary": "Volunteers cook.",
            "applicant": {"name": "Age Well", "kind": "charity"},
            "beneficiaries": {"groups": ["older people", "carers"]},
            "partners": [{"name": "Volunteer Centre", "role": "recruits helpers", "sector": "social"}],
            "funding": {"amount_requested": 100, "currency": "GBP"},
            "unknown": "not read"
        });
        let got: Vec<(String, TextKind)> = texts(&doc, fields)
            .into_iter()
            .map(|p| (p.path, p.kind))
            .collect();
        assert_eq!(
            got,
            vec![
                ("title".to_string(), TextKind::Prose),
                ("summary".to_string(), TextKind::Prose),
                ("applicant.name".to_string(), TextKind::Name),
                ("beneficiaries.groups[0]".to_string(), TextKind::Item),
                ("beneficiaries.groups[1]".to_string(), TextKind::Item),
                ("partners[0].name".to_string(), TextKind::Name),
                ("partners[0].role".to_string(), TextKind::Prose),
            ]
        );
    }
}
