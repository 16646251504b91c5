//! Finding where a field is in a TOML bid's text, so schema problems carry line:column.

use crate::diagnostic::line_col;
use toml::de::{DeTable, DeValue};

/// Where a value or key at a JSON Pointer sits in TOML text: the 1-based line and column of the
/// key (when `key` is set) or of the value.
pub(crate) fn toml_position(text: &str, pointer: &str, key: bool) -> Option<(usize, usize)> {
    let root = DeTable::parse(text).ok()?;
    let segments: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    if segments.is_empty() {
        return None;
    }
    let mut table: &DeTable = root.get_ref();
    let mut value: Option<&DeValue> = None;
    let last = segments.len() - 1;
    for (i, seg) in segments.iter().enumerate() {
        if let Some(v) = value {
            match v {
                DeValue::Table(t) => table = t,
                DeValue::Array(a) => {
                    let idx: usize = seg.parse().ok()?;
                    let item = a.get(idx)?;
                    if i == last {
                        let (l, c) = line_col(text, item.span().start);
                        return Some((l, c));
                    }
                    value = Some(item.get_ref());
                    continue;
                }
                _ => return None,
            }
        }
        let (k, v) = table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == seg.as_str())?;
        if i == last {
            let span = if key { k.span() } else { v.span() };
            return Some(line_col(text, span.start));
        }
        value = Some(v.get_ref());
    }
    None
}
