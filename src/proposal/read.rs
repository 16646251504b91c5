//! From bytes to a JSON value: size, binary and UTF-8 checks, nesting depth, then TOML or JSON
//! parsing with line and column on every syntax error.

use super::ProposalError;
use crate::diagnostic::{Diagnostic, line_col};
use crate::limits::Limits;
use serde_json::Value;
use std::io::Read;
use std::path::Path;

/// The formats a single bid can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    /// The format a file's extension names, if any.
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "toml" => Some(Format::Toml),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

fn mib(bytes: usize) -> String {
    let m = bytes as f64 / (1024.0 * 1024.0);
    if m >= 10.0 || m.fract() == 0.0 {
        format!("{m:.0} MiB")
    } else {
        format!("{m:.1} MiB")
    }
}

fn too_big(name: &str, size: Option<u64>, limit: usize) -> Diagnostic {
    let what = match size {
        Some(s) => format!("the file is {}", mib(s as usize)),
        None => "the file is larger".to_string(),
    };
    Diagnostic::error(
        name,
        format!("{what}; one bid may be at most {}", mib(limit)),
    )
    .help("split a batch into one bid per file, or use JSON Lines or CSV for many bids")
}

/// Reads a file, refusing to read more than `limit` bytes.
pub(crate) fn read_bounded(name: &str, path: &Path, limit: usize) -> Result<Vec<u8>, Diagnostic> {
    let file = std::fs::File::open(path)
        .map_err(|e| Diagnostic::error(name, format!("cannot open the file: {}", io_reason(&e))))?;
    let size = file.metadata().ok().map(|m| m.len());
    if let Some(size) = size
        && size > limit as u64
    {
        return Err(too_big(name, Some(size), limit));
    }
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Diagnostic::error(name, format!("cannot read the file: {}", io_reason(&e))))?;
    if bytes.len() > limit {
        return Err(too_big(name, None, limit));
    }
    Ok(bytes)
}

/// An I/O error as a user-facing phrase, lowercase.
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "no such file".to_string(),
        PermissionDenied => "permission denied".to_string(),
        IsADirectory => "it is a folder".to_string(),
        _ => {
            let s = e.to_string();
            let mut c = s.chars();
            match c.next() {
                Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
                None => s,
            }
        }
    }
}

/// Size, binary content, UTF-8 and nesting depth: everything checked before a parser sees the
/// text, so no parser can be made to allocate or recurse without bound.
pub(crate) fn check_text<'a>(
    name: &str,
    bytes: &'a [u8],
    limits: &Limits,
) -> Result<&'a str, ProposalError> {
    if bytes.len() > limits.max_bid_bytes {
        return Err(ProposalError::one(too_big(
            name,
            Some(bytes.len() as u64),
            limits.max_bid_bytes,
        )));
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(ProposalError::one(
            Diagnostic::error(
                name,
                format!(
                    "this is a binary file (a zero byte at offset {pos}), not a TOML or JSON bid"
                ),
            )
            .help("a bid is a text file in TOML or JSON"),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let ok = e.valid_up_to();
        let valid = std::str::from_utf8(bytes.get(..ok).unwrap_or_default()).unwrap_or_default();
        let (line, col) = line_col(valid, ok);
        ProposalError::one(
            Diagnostic::error(name, format!("invalid UTF-8 (byte offset {ok})"))
                .at(line, col)
                .help("save the file as UTF-8 text"),
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(offset) = too_deep(text, limits.max_depth) {
        let (line, col) = line_col(text, offset);
        return Err(ProposalError::one(
            Diagnostic::error(
                name,
                format!(
                    "the bid is nested more than {} levels deep",
                    limits.max_depth
                ),
            )
            .at_in(text, line, col)
            .help("a bid has a few levels of tables and lists; check for unclosed brackets"),
        ));
    }
    Ok(text)
}

/// The byte offset where bracket nesting first exceeds `max`, ignoring brackets inside strings
/// and comments. Works for both JSON and TOML (TOML's dotted keys are bounded by the parser's
/// own limits and by the converted value's depth check).
fn too_deep(text: &str, max: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(0);
        match b {
            b'"' | b'\'' => {
                let triple = bytes.get(i..i + 3) == Some(&[b, b, b][..]);
                let quote_len = if triple { 3 } else { 1 };
                i += quote_len;
                while i < bytes.len() {
                    let c = bytes.get(i).copied().unwrap_or(0);
                    if c == b'\\' && b == b'"' {
                        i += 2;
                        continue;
                    }
                    if c == b && (!triple || bytes.get(i..i + 3) == Some(&[b, b, b][..])) {
                        i += quote_len;
                        break;
                    }
                    i += 1;
                }
                continue;
            }
            b'#' => {
                while i < bytes.len() && bytes.get(i) != Some(&b'\n') {
                    i += 1;
                }
                continue;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

pub(crate) fn parse_json(name: &str, text: &str) -> Result<Value, ProposalError> {
    serde_json::from_str::<Value>(text).map_err(|e| {
        let msg = e.to_string();
        // serde_json appends " at line N column M"; we show the position our own way.
        let msg = msg
            .rfind(" at line ")
            .map(|i| msg.get(..i).unwrap_or(&msg).to_string())
            .unwrap_or(msg);
        let (line, col) = (e.line().max(1), e.column().max(1));
        ProposalError::one(
            Diagnostic::error(name, format!("invalid JSON: {msg}")).at_in(text, line, col),
        )
    })
}

pub(crate) fn parse_toml(name: &str, text: &str) -> Result<Value, ProposalError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let mut d = Diagnostic::error(
            name,
            format!("invalid TOML: {}", e.message().trim_end_matches('.').trim()),
        );
        if let Some(span) = e.span() {
            let (line, col) = line_col(text, span.start);
            d = d.at_in(text, line, col);
        }
        ProposalError::one(d)
    })?;
    toml_to_json(name, toml::Value::Table(table))
}

/// TOML values as JSON. Dates become their TOML text (`2026-05-01`), so `by = 2026-05-01` and
/// `by = "2026-05-01"` mean the same; non-finite floats are refused.
fn toml_to_json(name: &str, value: toml::Value) -> Result<Value, ProposalError> {
    Ok(match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => match serde_json::Number::from_f64(f) {
            Some(n) => Value::Number(n),
            None => {
                return Err(ProposalError::one(
                    Diagnostic::error(name, format!("`{f}` is not a usable number"))
                        .help("numbers must be finite"),
                ));
            }
        },
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|v| toml_to_json(name, v))
                .collect::<Result<_, _>>()?,
        ),
        toml::Value::Table(t) => {
            let mut map = serde_json::Map::with_capacity(t.len());
            for (k, v) in t {
                map.insert(k, toml_to_json(name, v)?);
            }
            Value::Object(map)
        }
    })
}
