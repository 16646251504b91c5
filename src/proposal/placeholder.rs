//! Example values that stand in for the applicant's own: advice that adds a partner, a group
//! or a decision cannot know its real name, so it writes an example marked as one —
//! `[example: a public partner]`. A marked value is never backing for more than an unverified
//! finding (`engine::grade`), and an appraisal lists every one left in the bid, so a champion who
//! applies advice and forgets to replace the example is told.

use serde_json::Value;

/// How a placeholder begins; it ends with `]`.
pub const OPENING: &str = "[example:";

/// `text` marked as an example to replace: `[example: text]`.
pub fn mark(text: &str) -> String {
    format!("{OPENING} {}]", text.trim())
}

/// Whether a text value is a marked example (whole value, any case, spaces around ignored).
pub fn is_placeholder(text: &str) -> bool {
    let t = text.trim();
    let opens = t
        .get(..OPENING.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(OPENING));
    let words = t
        .get(OPENING.len()..)
        .and_then(|rest| rest.strip_suffix(']'))
        .is_some_and(|w| !w.trim().is_empty());
    opens && words
}

/// Whether a value is an example rather than the applicant's own: a placeholder, a table (a
/// partner, an evidence entry) with a placeholder in it, or a list of nothing but examples.
pub fn is_example(v: &Value) -> bool {
    match v {
        Value::String(s) => is_placeholder(s),
        Value::Array(items) => !items.is_empty() && items.iter().all(is_example),
        Value::Object(map) => map.values().any(is_example),
        _ => false,
    }
}

/// Every placeholder in a bid, as (field path, value), in the bid's order.
pub fn find(doc: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk(doc, String::new(), &mut out);
    out
}

fn walk(v: &Value, path: String, out: &mut Vec<(String, String)>) {
    match v {
        Value::String(s) if is_placeholder(s) => out.push((path, s.trim().to_string())),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, format!("{path}[{i}]"), out);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(item, p, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_marked_value_is_a_placeholder_and_nothing_else_is() {
        assert_eq!(mark(" a public partner "), "[example: a public partner]");
        assert!(is_placeholder("[example: a public partner]"));
        assert!(is_placeholder("  [Example:a local business] "));
        assert!(!is_placeholder("[example:]"), "nothing to replace");
        assert!(
            !is_placeholder("for [example: this] one"),
            "only a whole value"
        );
        assert!(!is_placeholder("An example: the Rose Garden Café"));
        assert!(!is_placeholder("[example: unfinished"));
    }

    #[test]
    fn every_placeholder_in_a_bid_is_found_with_its_path() {
        let doc = json!({
            "title": "Lunch club",
            "partners": [
                {"name": "St Anne's", "committed": true},
                {"name": "[example: a public partner]", "role": "[example: delivers part of it]"}
            ],
            "beneficiaries": {"groups": ["older people", "[example: carers]"]}
        });
        assert_eq!(
            find(&doc),
            vec![
                (
                    "partners[1].name".into(),
                    "[example: a public partner]".into()
                ),
                (
                    "partners[1].role".into(),
                    "[example: delivers part of it]".into()
                ),
                ("beneficiaries.groups[1]".into(), "[example: carers]".into()),
            ]
        );
        let partners = doc.get("partners").unwrap();
        assert!(
            is_example(partners.get(1).unwrap()),
            "an entry with an example in it"
        );
        assert!(
            !is_example(partners),
            "a list with one real entry is the applicant's"
        );
        assert!(is_example(&json!(["[example: carers]"])));
        assert!(!is_example(&json!([])), "an empty list says none");
        assert!(!is_example(doc.get("title").unwrap()));
    }
}
