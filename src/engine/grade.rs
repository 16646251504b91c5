//! What backs a finding, graded by the engine on one published scale (`appraisal::Grade`):
//! prose alone is unverified; a structured field is stated; an evidence entry or a committed
//! partner is evidenced; an outcome with a baseline, a target and a date is measured. A rule
//! names what backs its finding — a claim, a field, a partner, an evidence entry, an outcome —
//! and the engine checks that the bid really says it and decides how strong it is.

use crate::appraisal::Grade;
use crate::proposal::placeholder::is_example;
use crate::proposal::{FieldKind, Fields, strip_indices};
use serde_json::Value;

/// The value at a dotted path with indices (`partners[1].committed`), if the bid states it.
pub(crate) fn value_at<'a>(doc: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = doc;
    for part in path.split('.') {
        let (key, indices) = match part.find('[') {
            Some(i) => (part.get(..i)?, part.get(i..)?),
            None => (part, ""),
        };
        cur = cur.get(key)?;
        for idx in indices.split(']').filter(|s| !s.is_empty()) {
            let n: usize = idx.trim_start_matches('[').parse().ok()?;
            cur = cur.get(n)?;
        }
    }
    stated(cur).then_some(cur)
}

/// Not stated: absent, null, or blank text. A list or table the bid writes is stated even when
/// empty — `partners = []` says the project has none, which can back a "not met" — as `stated()`
/// tells rules.
fn stated(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        _ => true,
    }
}

/// The entry of a list of tables a path lies in: `("partners", "partners[1]")`.
fn entry_of(path: &str) -> Option<(&str, &str)> {
    let open = path.find('[')?;
    let close = path.find(']')?;
    let list = path.get(..open)?;
    (!list.contains('.')).then_some((list, path.get(..=close)?))
}

/// How strong an entry of `partners`, `evidence` or `outcomes` is as backing.
fn entry_grade(doc: &Value, list: &str, entry: &str) -> Option<Grade> {
    if is_example(value_at(doc, entry)?) {
        // An example the applicant has not replaced vouches for nothing.
        return Some(Grade::Unverified);
    }
    Some(match list {
        "evidence" => Grade::Evidenced,
        "partners" => {
            let committed =
                value_at(doc, &format!("{entry}.committed")) == Some(&Value::Bool(true));
            if committed {
                Grade::Evidenced
            } else {
                Grade::Stated
            }
        }
        "outcomes" => {
            let measured = ["baseline", "target", "by"]
                .iter()
                .all(|k| value_at(doc, &format!("{entry}.{k}")).is_some());
            if measured {
                Grade::Measured
            } else {
                Grade::Stated
            }
        }
        _ => Grade::Stated,
    })
}

/// The grade of a field (or a table, or an entry of a list) the bid states, or `None` when it
/// does not state it. A free-text field outside an entry is prose, however it is named: a rule
/// cannot raise prose to a stated field by naming its path rather than its claim.
pub(crate) fn of_path(doc: &Value, fields: &Fields, path: &str) -> Option<Grade> {
    if is_example(value_at(doc, path)?) {
        return Some(Grade::Unverified);
    }
    match entry_of(path) {
        Some((list, entry)) => entry_grade(doc, list, entry),
        None if fields.kind_at(path) == Some(&FieldKind::Text) => Some(Grade::Unverified),
        None => Some(Grade::Stated),
    }
}

/// Whether what a path names is an example advice wrote (`[example: …]`), or lies in an entry
/// (a partner, an evidence entry) that holds one.
pub(crate) fn names_example(doc: &Value, path: &str) -> bool {
    let entry = entry_of(path).and_then(|(_, entry)| value_at(doc, entry));
    value_at(doc, path).is_some_and(is_example) || entry.is_some_and(is_example)
}

/// The grade of a claim read from the prose at `field`: the prose of an evidence entry, a
/// committed partner's role or a measured outcome carries the entry's grade; a list the bid
/// fills in (`beneficiaries.groups`) is a stated field; any other prose is unverified.
pub(crate) fn of_claim(doc: &Value, fields: &Fields, field: &str) -> Grade {
    if value_at(doc, field).is_some_and(is_example) {
        return Grade::Unverified;
    }
    if let Some((list, entry)) = entry_of(field) {
        return match entry_grade(doc, list, entry) {
            Some(Grade::Stated) | None => Grade::Unverified,
            Some(g) => g,
        };
    }
    let schema_path = strip_indices(field);
    match fields.kind(&schema_path) {
        Some(FieldKind::List) => Grade::Stated,
        _ => Grade::Unverified,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "summary": "Volunteers cook.",
            "volunteering": {"roles": 0, "progression": "  "},
            "beneficiaries": {"groups": ["carers"]},
            "partners": [
                {"name": "A", "role": "hosts", "committed": true},
                {"name": "B", "role": "advises"}
            ],
            "evidence": [{"kind": "need", "description": "a survey"}],
            "outcomes": [
                {"indicator": "NI6", "measure": "volunteers", "baseline": 0, "target": 10, "by": "2027-06"},
                {"indicator": "NI3", "measure": "people"}
            ]
        })
    }

    #[test]
    fn fields_entries_and_outcomes_are_graded_on_one_scale() {
        let d = doc();
        let f = crate::proposal::ProposalSchema::builtin().fields();
        assert_eq!(
            of_path(&d, f, "summary"),
            Some(Grade::Unverified),
            "prose is prose"
        );
        assert_eq!(of_path(&d, f, "volunteering.roles"), Some(Grade::Stated));
        assert_eq!(
            of_path(&d, f, "volunteering.progression"),
            None,
            "blank is not stated"
        );
        assert_eq!(of_path(&d, f, "volunteering.training"), None);
        assert_eq!(of_path(&d, f, "partners[0]"), Some(Grade::Evidenced));
        assert_eq!(of_path(&d, f, "partners[1].role"), Some(Grade::Stated));
        assert_eq!(of_path(&d, f, "partners[2]"), None);
        assert_eq!(of_path(&d, f, "evidence[0]"), Some(Grade::Evidenced));
        assert_eq!(of_path(&d, f, "outcomes[0]"), Some(Grade::Measured));
        assert_eq!(of_path(&d, f, "outcomes[1].measure"), Some(Grade::Stated));
    }

    #[test]
    fn an_example_left_in_the_bid_backs_nothing_above_unverified() {
        let d = json!({
            "partners": [
                {"name": "[example: a public partner]", "sector": "public", "committed": true},
                {"name": "Hatton Library", "sector": "public", "committed": true}
            ],
            "evidence": [{"kind": "need", "description": "[example: a survey of residents]"}],
            "beneficiaries": {"groups": ["[example: carers]", "older people"]},
            "involvement": {"resident_decisions": "[example: residents choose the programme]"}
        });
        let f = crate::proposal::ProposalSchema::builtin().fields();
        assert_eq!(of_path(&d, f, "partners[0]"), Some(Grade::Unverified));
        assert_eq!(of_path(&d, f, "partners[1]"), Some(Grade::Evidenced));
        assert_eq!(
            of_path(&d, f, "partners"),
            Some(Grade::Stated),
            "one real partner"
        );
        assert_eq!(of_path(&d, f, "evidence[0]"), Some(Grade::Unverified));
        assert_eq!(
            of_path(&d, f, "involvement.resident_decisions"),
            Some(Grade::Unverified)
        );
        assert_eq!(
            of_claim(&d, f, "beneficiaries.groups[0]"),
            Grade::Unverified
        );
        assert_eq!(of_claim(&d, f, "beneficiaries.groups[1]"), Grade::Stated);
        assert_eq!(
            of_claim(&d, f, "evidence[0].description"),
            Grade::Unverified
        );
    }

    #[test]
    fn a_claim_carries_the_grade_of_what_it_was_read_from() {
        let d = doc();
        let f = crate::proposal::ProposalSchema::builtin().fields();
        assert_eq!(of_claim(&d, f, "summary"), Grade::Unverified);
        assert_eq!(of_claim(&d, f, "beneficiaries.groups[0]"), Grade::Stated);
        assert_eq!(of_claim(&d, f, "partners[0].role"), Grade::Evidenced);
        assert_eq!(of_claim(&d, f, "partners[1].role"), Grade::Unverified);
        assert_eq!(of_claim(&d, f, "evidence[0].description"), Grade::Evidenced);
        assert_eq!(of_claim(&d, f, "outcomes[0].measure"), Grade::Measured);
        assert_eq!(of_claim(&d, f, "outcomes[1].measure"), Grade::Unverified);
    }
}
