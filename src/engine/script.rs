//! A compiled rule as the rest of the crate holds it: opaque, so Rhai's types stay inside the
//! engine. Its `const META` is read without running it, into plain values the checklist checks.

use indexmap::IndexMap;
use rhai::{AST, Dynamic};

/// A rule compiled in the sandbox.
#[derive(Clone)]
pub(crate) struct Script {
    pub(super) ast: AST,
    /// Its own number in this process: the key of the function lookups it keeps per thread
    /// (`warm.rs`).
    pub(super) id: u64,
}

/// A value of a rule's `const META`, in plain Rust.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum MetaValue {
    Text(String),
    Number(f64),
    List(Vec<MetaValue>),
    Map(IndexMap<String, MetaValue>),
    /// Anything else, by its Rhai type name (for the message that refuses it).
    Other(String),
}

/// Deeper than this, a `META` value is not read further (no rule nests its metadata so).
const MAX_DEPTH: usize = 8;

impl MetaValue {
    fn of(v: &Dynamic, depth: usize) -> MetaValue {
        if depth > MAX_DEPTH {
            return MetaValue::Other("a value nested too deep".to_string());
        }
        if let Ok(s) = v.clone().into_immutable_string() {
            return MetaValue::Text(s.to_string());
        }
        if let Ok(f) = v.as_float() {
            return MetaValue::Number(f);
        }
        if let Ok(i) = v.as_int() {
            return MetaValue::Number(i as f64);
        }
        if let Some(a) = v.read_lock::<rhai::Array>() {
            return MetaValue::List(a.iter().map(|x| MetaValue::of(x, depth + 1)).collect());
        }
        if let Some(m) = v.read_lock::<rhai::Map>() {
            return MetaValue::Map(
                m.iter()
                    .map(|(k, x)| (k.to_string(), MetaValue::of(x, depth + 1)))
                    .collect(),
            );
        }
        MetaValue::Other(v.type_name().to_string())
    }

    /// The value as text, if it is text.
    pub(crate) fn text(&self) -> Option<&str> {
        match self {
            MetaValue::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The value as a number, if it is one.
    pub(crate) fn number(&self) -> Option<f64> {
        match self {
            MetaValue::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The value as a list of texts, if it is one.
    pub(crate) fn texts(&self) -> Option<Vec<String>> {
        match self {
            MetaValue::List(items) => items.iter().map(|i| i.text().map(str::to_string)).collect(),
            _ => None,
        }
    }
}

/// What `const META` holds, read without running the rule.
pub(crate) enum Meta {
    /// The rule has no `const META`.
    Missing,
    /// `META` is not a map literal.
    NotAMap,
    Map(IndexMap<String, MetaValue>),
}

impl Script {
    /// The rule's `const META`.
    pub(crate) fn meta(&self) -> Meta {
        let found = self
            .ast
            .iter_literal_variables(true, false)
            .find(|(name, _, _)| *name == "META")
            .map(|(_, _, v)| v);
        let Some(v) = found else {
            return Meta::Missing;
        };
        match v.read_lock::<rhai::Map>() {
            Some(m) => Meta::Map(
                m.iter()
                    .map(|(k, x)| (k.to_string(), MetaValue::of(x, 1)))
                    .collect(),
            ),
            None => Meta::NotAMap,
        }
    }

    /// Whether the rule defines `fn appraise(bid)`.
    pub(crate) fn has_entry(&self) -> bool {
        self.ast
            .iter_functions()
            .any(|f| f.name == super::ENTRY && f.params.len() == 1)
    }
}
