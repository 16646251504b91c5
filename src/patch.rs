//! Changes to a bid by field path: `volunteering.new_volunteers = 12`, `partners[0].committed =
//! true`, or removing a field so it becomes not stated. One mechanism serves the rule test cases,
//! the changes rules suggest with their advice, and `what-if`.

use crate::proposal::{FieldKind, Fields, strip_indices};
use serde_json::{Map, Value};

/// A set of changes to apply to a bid, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Patch {
    pub set: Vec<(String, Value)>,
    pub unset: Vec<String>,
}

/// A change that names no field, or gives a value of the wrong type.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct PatchError {
    pub path: String,
    pub message: String,
}

fn perr(path: &str, message: impl Into<String>) -> PatchError {
    PatchError {
        path: path.to_string(),
        message: message.into(),
    }
}

enum Seg {
    Key(String),
    Index(usize),
}

fn segments(path: &str) -> Result<Vec<Seg>, PatchError> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, rest) = match part.find('[') {
            Some(i) => (
                part.get(..i).unwrap_or_default(),
                part.get(i..).unwrap_or_default(),
            ),
            None => (part, ""),
        };
        if name.is_empty() {
            return Err(perr(
                path,
                format!(
                    "`{path}` is not a field path (expected e.g. `volunteering.new_volunteers`)"
                ),
            ));
        }
        out.push(Seg::Key(name.to_string()));
        let mut rest = rest;
        while let Some(r) = rest.strip_prefix('[') {
            let Some(end) = r.find(']') else {
                return Err(perr(path, format!("`{path}` has an unclosed `[`")));
            };
            let idx: usize = r.get(..end).unwrap_or_default().parse().map_err(|_| {
                perr(
                    path,
                    format!("`{path}` has a list index that is not a number"),
                )
            })?;
            out.push(Seg::Index(idx));
            rest = r.get(end + 1..).unwrap_or_default();
        }
        if !rest.is_empty() {
            return Err(perr(path, format!("`{path}` is not a field path")));
        }
    }
    Ok(out)
}

impl Patch {
    /// Checks that every path names a field in the schema, with a suggestion when it does not.
    pub fn check(&self, fields: &Fields) -> Result<(), PatchError> {
        for path in self.set.iter().map(|(p, _)| p).chain(&self.unset) {
            check_path(fields, path)?;
        }
        Ok(())
    }

    /// Applies the changes to a copy of `doc`.
    pub fn apply(&self, doc: &Value, fields: &Fields) -> Result<Value, PatchError> {
        let mut doc = doc.clone();
        for path in &self.unset {
            check_path(fields, path)?;
            remove(&mut doc, &segments(path)?);
        }
        for (path, value) in &self.set {
            check_path(fields, path)?;
            let segs = segments(path)?;
            insert(&mut doc, &segs, value.clone(), path)?;
        }
        Ok(doc)
    }
}

fn check_path(fields: &Fields, path: &str) -> Result<(), PatchError> {
    let bare = strip_indices(path);
    if fields.kind(&bare).is_none() {
        let help = fields
            .suggest(&bare)
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        return Err(perr(
            path,
            format!("the proposal has no field `{bare}`{help}"),
        ));
    }
    Ok(())
}

fn remove(doc: &mut Value, segs: &[Seg]) {
    let Some((last, parents)) = segs.split_last() else {
        return;
    };
    let mut cur = doc;
    for s in parents {
        let next = match s {
            Seg::Key(k) => cur.get_mut(k.as_str()),
            Seg::Index(i) => cur.get_mut(*i),
        };
        match next {
            Some(n) => cur = n,
            None => return,
        }
    }
    match last {
        Seg::Key(k) => {
            if let Some(m) = cur.as_object_mut() {
                m.shift_remove(k);
            }
        }
        Seg::Index(i) => {
            if let Some(a) = cur.as_array_mut()
                && *i < a.len()
            {
                a.remove(*i);
            }
        }
    }
}

fn insert(doc: &mut Value, segs: &[Seg], value: Value, path: &str) -> Result<(), PatchError> {
    let Some((last, parents)) = segs.split_last() else {
        return Err(perr(path, "an empty path"));
    };
    let mut cur = doc;
    for (n, s) in parents.iter().enumerate() {
        let next_is_index = matches!(segs.get(n + 1), Some(Seg::Index(_)));
        cur = match s {
            Seg::Key(k) => {
                let Some(m) = cur.as_object_mut() else {
                    return Err(perr(
                        path,
                        format!("`{path}` goes through a value that is not a table"),
                    ));
                };
                m.entry(k.clone()).or_insert_with(|| {
                    if next_is_index {
                        Value::Array(Vec::new())
                    } else {
                        Value::Object(Map::new())
                    }
                })
            }
            Seg::Index(i) => {
                let Some(a) = cur.as_array_mut() else {
                    return Err(perr(
                        path,
                        format!("`{path}` indexes a value that is not a list"),
                    ));
                };
                if *i == a.len() {
                    a.push(Value::Object(Map::new()));
                }
                let len = a.len();
                a.get_mut(*i).ok_or_else(|| past_end(path, len))?
            }
        };
    }
    match last {
        Seg::Key(k) => match cur.as_object_mut() {
            Some(m) => {
                m.insert(k.clone(), value);
                Ok(())
            }
            None => Err(perr(
                path,
                format!("`{path}` goes through a value that is not a table"),
            )),
        },
        Seg::Index(i) => match cur.as_array_mut() {
            Some(a) if *i < a.len() => {
                if let Some(slot) = a.get_mut(*i) {
                    *slot = value;
                }
                Ok(())
            }
            Some(a) if *i == a.len() => {
                a.push(value);
                Ok(())
            }
            Some(a) => Err(past_end(path, a.len())),
            None => Err(perr(
                path,
                format!("`{path}` indexes a value that is not a list"),
            )),
        },
    }
}

fn past_end(path: &str, len: usize) -> PatchError {
    let items = if len == 1 { "item" } else { "items" };
    perr(
        path,
        format!(
            "`{path}` is past the end of the list, which has {len} {items} (index {len} adds one)"
        ),
    )
}

/// Reads a value typed in on the command line (`--set path=value`) as the field's type.
pub fn typed_value(fields: &Fields, path: &str, raw: &str) -> Result<Value, PatchError> {
    let bare = strip_indices(path);
    let Some(kind) = fields.kind(&bare) else {
        check_path(fields, path)?;
        return Err(perr(path, format!("the proposal has no field `{bare}`")));
    };
    let raw = raw.trim();
    Ok(match kind {
        FieldKind::Integer => Value::from(raw.parse::<i64>().map_err(|_| {
            perr(
                path,
                format!("`{bare}` expects a whole number, found `{raw}`"),
            )
        })?),
        FieldKind::Number => serde_json::Number::from_f64(
            raw.parse::<f64>()
                .map_err(|_| perr(path, format!("`{bare}` expects a number, found `{raw}`")))?,
        )
        .map(Value::Number)
        .ok_or_else(|| perr(path, format!("`{bare}` expects a finite number")))?,
        FieldKind::Bool => match raw {
            "true" | "yes" => Value::Bool(true),
            "false" | "no" => Value::Bool(false),
            _ => {
                return Err(perr(
                    path,
                    format!("`{bare}` expects `true` or `false`, found `{raw}`"),
                ));
            }
        },
        FieldKind::List => Value::Array(
            raw.split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_string()))
                .collect(),
        ),
        FieldKind::Choice(options) => {
            if !options.iter().any(|o| o == raw) {
                let hint = crate::suggest::did_you_mean(raw, options.iter().map(String::as_str))
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                return Err(perr(
                    path,
                    format!(
                        "`{bare}` expects one of {}, found `{raw}`{hint}",
                        options.join(", ")
                    ),
                ));
            }
            Value::String(raw.to_string())
        }
        FieldKind::Text => Value::String(raw.to_string()),
        FieldKind::Group | FieldKind::Records => {
            return Err(perr(
                path,
                format!("`{bare}` is a table; set one of its fields instead"),
            ));
        }
    })
}

impl Patch {
    /// Changes typed on the command line: `path=value` for `--set` (typed by the proposal
    /// schema, lists separated by `;`) and bare paths for `--unset`.
    pub fn from_args(
        fields: &Fields,
        set: &[String],
        unset: &[String],
    ) -> Result<Patch, PatchError> {
        let mut patch = Patch::default();
        for arg in set {
            let Some((path, raw)) = arg.split_once('=') else {
                return Err(perr(
                    arg,
                    format!(
                        "`{arg}` is not a change (expected `path=value`, e.g. `volunteering.training=true`)"
                    ),
                ));
            };
            let path = path.trim();
            patch
                .set
                .push((path.to_string(), typed_value(fields, path, raw)?));
        }
        for path in unset {
            let path = path.trim();
            check_path(fields, path)?;
            patch.unset.push(path.to_string());
        }
        Ok(patch)
    }

    /// The changes as `--set path=value` / `--unset path` arguments that [`Patch::from_args`]
    /// reads back.
    pub fn to_args(&self) -> (Vec<String>, Vec<String>) {
        (
            self.set
                .iter()
                .map(|(p, v)| format!("{p}={}", shown_value(v)))
                .collect(),
            self.unset.clone(),
        )
    }
}

/// A value as typed on the command line: text as it is, whole numbers without `.0`, lists
/// joined with `; `.
pub fn shown_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        Value::Array(items) => items.iter().map(shown_value).collect::<Vec<_>>().join("; "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The value at a field path (`partners[1].sector`), if the bid states it.
pub fn get<'a>(doc: &'a Value, path: &str) -> Option<&'a Value> {
    let segs = segments(path).ok()?;
    let mut cur = doc;
    for s in &segs {
        cur = match s {
            Seg::Key(k) => cur.get(k.as_str())?,
            Seg::Index(i) => cur.get(*i)?,
        };
    }
    Some(cur)
}
