//! Which of a bid's words the reading layer reads, and as what: free text as prose (sentences),
//! each entry of a list of strings as one item, and names (the applicant's, the partners', the
//! locality) as names — never read for concepts, but hiding the same words in prose, so a
//! partner called "Eastbridge Volunteer Centre" does not make the bid speak of volunteering.

use crate::proposal::{FieldKind, Fields, strip_indices};
use crate::reading::{TextField, TextKind};
use serde_json::Value;

/// Fields that name someone or somewhere.
const NAMES: [&str; 3] = ["applicant.name", "partners.name", "place.locality"];
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
}

impl Prose {
    pub(crate) fn field(&self) -> TextField<'_> {
        TextField {
            path: self.path.clone(),
            text: &self.text,
            kind: self.kind,
        }
    }
}

/// Every text of a validated bid, in document order. Fields the schema does not know are not
/// read (the bid was warned about them): their words must not count as the bid's.
pub(crate) fn texts(doc: &Value, fields: &Fields) -> Vec<Prose> {
    let mut out = Vec::new();
    walk("", doc, fields, &mut out);
    out
}

fn walk(path: &str, v: &Value, fields: &Fields, out: &mut Vec<Prose>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if fields.kind(&strip_indices(&p)).is_some() {
                    walk(&p, child, fields, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(&format!("{path}[{i}]"), item, fields, out);
            }
        }
        Value::String(s) => {
            if let Some(kind) = kind_of(path, fields) {
                out.push(Prose {
                    path: path.to_string(),
                    text: s.clone(),
                    kind,
                });
            }
        }
        _ => {}
    }
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
