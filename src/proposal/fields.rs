//! The proposal's fields, read from the proposal schema: what exists, and of what kind.
//!
//! Used to suggest names for unknown fields, to let rules read only real fields (and say
//! "did you mean" when they don't), and to type `--set path=value` changes.

use indexmap::IndexMap;
use serde_json::Value;

/// What kind of value a field holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    /// A table of further fields (`volunteering`).
    Group,
    /// A list of tables (`partners`); its item fields are `partners.name` etc.
    Records,
    /// A list of strings.
    List,
    Text,
    /// One of a fixed set of strings.
    Choice(Vec<String>),
    Integer,
    Number,
    Bool,
}

/// Every field path in the proposal schema, in schema order: `id`, `volunteering`,
/// `volunteering.new_volunteers`, `partners`, `partners.sector`, …
#[derive(Debug, Clone, Default)]
pub struct Fields {
    /// Looked up at every field a rule reads: hashed with foldhash (order is insertion order).
    kinds: IndexMap<String, FieldKind, foldhash::fast::RandomState>,
}

impl Fields {
    pub(crate) fn from_schema(schema: &Value) -> Fields {
        let mut fields = Fields::default();
        fields.walk("", schema);
        fields
    }

    fn walk(&mut self, prefix: &str, node: &Value) {
        let Some(props) = node.get("properties").and_then(Value::as_object) else {
            return;
        };
        for (name, prop) in props {
            let path = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}.{name}")
            };
            let kind = kind_of(prop);
            self.kinds.insert(path.clone(), kind.clone());
            match kind {
                FieldKind::Group => self.walk(&path, prop),
                FieldKind::Records => {
                    if let Some(items) = prop.get("items") {
                        self.walk(&path, items);
                    }
                }
                _ => {}
            }
        }
    }

    /// The kind of a field, by dotted path without list indices (`partners.sector`).
    pub fn kind(&self, path: &str) -> Option<&FieldKind> {
        self.kinds.get(path)
    }

    /// The kind of a field by a path that may carry list indices (`partners[1].sector`),
    /// copied without them only when it has any.
    pub(crate) fn kind_at(&self, path: &str) -> Option<&FieldKind> {
        if path.contains('[') {
            self.kinds.get(strip_indices(path).as_str())
        } else {
            self.kinds.get(path)
        }
    }

    /// All field paths, in schema order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.kinds.keys().map(String::as_str)
    }

    /// The names of the fields directly inside `parent` (`""` for the top level).
    pub fn children<'a>(&'a self, parent: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.kinds.keys().filter_map(move |k| {
            let rest = if parent.is_empty() {
                Some(k.as_str())
            } else {
                k.strip_prefix(parent).and_then(|r| r.strip_prefix('.'))
            }?;
            (!rest.contains('.')).then_some(rest)
        })
    }

    /// The closest real field to a misspelt `path`, as a full dotted path.
    pub fn suggest(&self, path: &str) -> Option<String> {
        let (parent, leaf) = match path.rsplit_once('.') {
            Some((p, l)) => (p, l),
            None => ("", path),
        };
        let parent = strip_indices(parent);
        let best = crate::suggest::did_you_mean(leaf, self.children(&parent))?;
        Some(if parent.is_empty() {
            best.to_string()
        } else {
            format!("{parent}.{best}")
        })
    }
}

/// `partners[2].sector` → `partners.sector`.
pub(crate) fn strip_indices(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => in_index = true,
            ']' => in_index = false,
            _ if !in_index => out.push(c),
            _ => {}
        }
    }
    out
}

fn kind_of(prop: &Value) -> FieldKind {
    if let Some(options) = prop.get("enum").and_then(Value::as_array) {
        return FieldKind::Choice(
            options
                .iter()
                .filter_map(|o| o.as_str().map(str::to_string))
                .collect(),
        );
    }
    match prop.get("type").and_then(Value::as_str) {
        Some("object") => FieldKind::Group,
        Some("array") => {
            let item_type = prop
                .get("items")
                .and_then(|i| i.get("type"))
                .and_then(Value::as_str);
            if item_type == Some("object") {
                FieldKind::Records
            } else {
                FieldKind::List
            }
        }
        Some("integer") => FieldKind::Integer,
        Some("number") => FieldKind::Number,
        Some("boolean") => FieldKind::Bool,
        _ => FieldKind::Text,
    }
}
