//! The bid as rules see it: a tree of [`Record`]s whose fields are read with dots, and
//! [`NotStated`] for every field the bid leaves out.
//!
//! A bid is converted once per appraisal; records share their fields through `Arc`, so passing
//! the bid to each rule costs a pointer copy, not a deep clone.

use crate::proposal::Fields;
use indexmap::IndexMap;
use rhai::{Array, Dynamic, ImmutableString};
use serde_json::Value;
use std::sync::Arc;

/// A table of the bid (`bid`, `bid.volunteering`, one of `bid.partners`).
#[derive(Clone)]
pub(crate) struct Record {
    /// Dotted path with list indices: `""` for the bid, `partners[1]` for a partner.
    pub path: ImmutableString,
    /// `None` when the bid leaves the whole table out.
    pub fields: Option<Arc<IndexMap<ImmutableString, Dynamic>>>,
}

/// A field the bid does not state. Comparing it, using it as true/false or looping over it is an
/// error naming the field: not stated is never "no", zero or empty.
#[derive(Clone)]
pub(crate) struct NotStated {
    pub path: ImmutableString,
}

impl Record {
    pub(crate) fn is_stated(&self) -> bool {
        self.fields.as_ref().is_some_and(|f| !f.is_empty())
    }

    pub(crate) fn child_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }
}

/// A bid converted for rules, opaque outside the engine.
#[derive(Clone)]
pub(crate) struct BidValue(pub(super) Dynamic);

/// The bid as every rule receives it, converted once per appraisal.
pub(crate) fn bid(doc: &Value, fields: &Fields) -> BidValue {
    BidValue(Dynamic::from(to_record(doc, fields)))
}

/// Converts a validated bid into the value rules receive. Text that is empty or only spaces
/// says nothing, so it is left out (not stated) rather than passed as `""`. Fields the schema
/// does not know are ignored (the bid was warned about them): a misspelt field must not make its
/// group look stated, nor its words count as the bid's.
pub(crate) fn to_record(doc: &Value, fields: &Fields) -> Record {
    match convert("", doc, fields) {
        Some(d) => match d.try_cast::<Record>() {
            Some(r) => r,
            None => empty_record(""),
        },
        None => empty_record(""),
    }
}

fn empty_record(path: &str) -> Record {
    Record {
        path: path.into(),
        fields: None,
    }
}

fn convert(path: &str, v: &Value, schema: &Fields) -> Option<Dynamic> {
    Some(match v {
        Value::Null => return None,
        Value::Bool(b) => Dynamic::from_bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Dynamic::from_int(i),
            None => Dynamic::from_float(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => {
            if s.trim().is_empty() {
                return None;
            }
            Dynamic::from(ImmutableString::from(s.as_str()))
        }
        Value::Array(items) => {
            let arr: Array = items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| convert(&format!("{path}[{i}]"), item, schema))
                .collect();
            Dynamic::from_array(arr)
        }
        Value::Object(map) => {
            let mut fields = IndexMap::with_capacity(map.len());
            for (k, item) in map {
                let child = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if schema.kind_at(&child).is_none() {
                    continue;
                }
                if let Some(d) = convert(&child, item, schema) {
                    fields.insert(ImmutableString::from(k.as_str()), d);
                }
            }
            Dynamic::from(Record {
                path: path.into(),
                fields: Some(Arc::new(fields)),
            })
        }
    })
}

/// All free text in a record and below, joined by newlines (for `mentions`).
pub(crate) fn all_text(record: &Record) -> String {
    let mut out = String::new();
    if let Some(fields) = &record.fields {
        for v in fields.values() {
            collect_text(v, &mut out);
        }
    }
    out
}

fn collect_text(v: &Dynamic, out: &mut String) {
    if let Some(s) = v.read_lock::<ImmutableString>() {
        out.push_str(s.as_str());
        out.push(crate::text::FIELD_BREAK);
    } else if let Some(arr) = v.read_lock::<Array>() {
        for item in arr.iter() {
            collect_text(item, out);
        }
    } else if let Some(r) = v.read_lock::<Record>()
        && let Some(fields) = &r.fields
    {
        for f in fields.values() {
            collect_text(f, out);
        }
    }
}
