//! A test case's bid: one of the checklist's `tests/bids/` (the layer's own or its base's),
//! with the case's changes made and the result validated again.

use crate::checklist::Checklist;
use crate::patch::Patch;
use crate::proposal::{Format, Proposal};
use indexmap::IndexMap;

/// A case's bid: `tests/bids/NAME.toml` (the layer's own or its base's), changed.
pub(super) fn build(
    checklist: &Checklist,
    name: &str,
    set: &IndexMap<String, toml::Value>,
    unset: &[String],
) -> Result<Proposal, String> {
    let bid_rel = format!("tests/bids/{name}.toml");
    // A layer's cases may start from its own bids or from its base's.
    let found = std::iter::once((&checklist.root, &checklist.files))
        .chain(checklist.base_files.iter().rev().map(|(r, f)| (r, f)))
        .find_map(|(root, files)| files.iter().find(|f| f.rel == bid_rel).map(|f| (root, f)));
    let Some((bid_root, bid_file)) = found else {
        return Err(format!(
            "no bid `{name}` (expected {}/{bid_rel})",
            checklist.root
        ));
    };
    let shown_bid = format!("{bid_root}/{bid_rel}");
    let base = Proposal::parse(
        &shown_bid,
        bid_file.text.as_bytes(),
        Format::Toml,
        checklist.schema(),
        checklist.limits(),
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
        .apply(&base.doc, checklist.schema().fields())
        .map_err(|e| format!("cannot apply the changes: {e}"))?;
    Proposal::from_value(&shown_bid, doc, None, checklist.schema())
        .map(|l| l.proposal)
        .map_err(|e| format!("the changed bid is invalid: {e}"))
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
