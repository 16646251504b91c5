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

/// Reads a file, refusing to read more than `limit` bytes, or anything but a regular file.
pub(crate) fn read_bounded(name: &str, path: &Path, limit: usize) -> Result<Vec<u8>, Diagnostic> {
    let file = open_regular(path)
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

/// What a file that is neither a regular file nor a folder is, in words.
pub(crate) fn special_kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    let _ = t;
    "a special file"
}

/// Opens a file to read bids from, only if it is a regular file: opening a named pipe would wait
/// for a writer forever.
pub(crate) fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a folder",
        ));
    }
    if !meta.is_file() {
        return Err(std::io::Error::other(format!(
            "not a regular file ({})",
            special_kind(&meta.file_type())
        )));
    }
    std::fs::File::open(path)
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
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed =
        serde::Deserialize::deserialize(&mut de).and_then(|Unique(v)| de.end().map(|()| v));
    parsed.map_err(|e| {
        let msg = e.to_string();
        // serde_json appends " at line N column M"; we show the position our own way.
        let msg = msg
            .rfind(" at line ")
            .map(|i| msg.get(..i).unwrap_or(&msg).to_string())
            .unwrap_or(msg);
        let (line, col) = (e.line().max(1), e.column().max(1));
        let d = match msg.strip_prefix(DUPLICATE) {
            // The parser stops just after the second key: point at its start.
            Some(key) => Diagnostic::error(name, format!("the key `{key}` appears twice"))
                .at_in(text, line, key_start(text, line, col, key))
                .help("a bid gives each field once: keep the one you mean and delete the other"),
            None => Diagnostic::error(name, format!("invalid JSON: {msg}")).at_in(text, line, col),
        };
        ProposalError::one(d)
    })
}

/// The column where `"key"` starts, the last time it does on `line` before `col`.
fn key_start(text: &str, line: usize, col: usize, key: &str) -> usize {
    let Some(l) = text.lines().nth(line.saturating_sub(1)) else {
        return col;
    };
    let quoted = serde_json::to_string(key).unwrap_or_default();
    let before: String = l.chars().take(col).collect();
    match before.rfind(&quoted) {
        Some(i) => before.get(..i).map_or(col, |b| b.chars().count() + 1),
        None => col,
    }
}

/// Marks the error for a key given twice in a JSON object.
const DUPLICATE: &str = "duplicate key: ";

/// A JSON value whose objects never give a key twice: serde_json keeps the last silently, so a
/// reviewer reading the first would see another bid than the one appraised. A key given twice
/// is an error at the second (with its position).
pub(crate) struct Unique(pub Value);

impl<'de> serde::Deserialize<'de> for Unique {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Unique, D::Error> {
        let visitor = UniqueVisitor {
            twice: None,
            opened: None,
        };
        d.deserialize_any(visitor).map(Unique)
    }
}

/// [`Unique`] for a stream that must go on past a bad record (a 360Giving grant): keys given
/// twice are collected in `twice` instead of ending the parse, and `opened` is called as the
/// record's `{` is read (so the reader can tell where it starts).
pub(crate) struct Collecting<'a> {
    pub twice: &'a std::cell::RefCell<Vec<String>>,
    pub opened: &'a dyn Fn(),
}

impl<'de> serde::de::DeserializeSeed<'de> for Collecting<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(UniqueVisitor {
            twice: Some(self.twice),
            opened: Some(self.opened),
        })
    }
}

#[derive(Clone, Copy)]
struct UniqueVisitor<'a> {
    twice: Option<&'a std::cell::RefCell<Vec<String>>>,
    opened: Option<&'a dyn Fn()>,
}

impl UniqueVisitor<'_> {
    /// The visitor for what a value holds.
    fn inner(self) -> Self {
        UniqueVisitor {
            opened: None,
            ..self
        }
    }
}

impl<'de> serde::de::Visitor<'de> for UniqueVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(self.inner())? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        if let Some(opened) = self.opened {
            opened();
        }
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                let Some(twice) = self.twice else {
                    return Err(serde::de::Error::custom(format!("{DUPLICATE}{key}")));
                };
                twice.borrow_mut().push(key);
                map.next_value::<serde::de::IgnoredAny>()?;
                continue;
            }
            let v = map.next_value_seed(self.inner())?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for UniqueVisitor<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

pub(crate) fn parse_toml(name: &str, text: &str) -> Result<Value, ProposalError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let d = match e.span() {
            Some(span) => {
                let (line, col) = line_col(text, span.start);
                Diagnostic::error(
                    name,
                    format!("invalid TOML: {}", e.message().trim_end_matches('.').trim()),
                )
                .at_in(text, line, col)
            }
            // The parser's recursion limit says nothing of where: a dotted key or a table
            // header with more parts than a bid can nest. Find it.
            None => match longest_key(text) {
                Some((line, col, parts)) if e.message().contains("recursion") => Diagnostic::error(
                    name,
                    format!("the key has {parts} parts, more than a bid can nest"),
                )
                .at_in(text, line, col)
                .help("a field's name has a few parts, e.g. `volunteering.new_volunteers`"),
                _ => Diagnostic::error(
                    name,
                    format!("invalid TOML: {}", e.message().trim_end_matches('.').trim()),
                ),
            },
        };
        ProposalError::one(d)
    })?;
    let mut path = Vec::new();
    toml_to_json(toml::Value::Table(table), &mut path).map_err(|(path, f)| {
        let shown = crate::proposal::pointer_to_path(&path);
        // As TOML spells them.
        let written = if f.is_nan() {
            "nan"
        } else if f > 0.0 {
            "inf"
        } else {
            "-inf"
        };
        let mut d = Diagnostic::error(name, format!("expected a number, found `{written}`"))
            .field(&shown)
            .help("numbers must be finite: `nan` and `inf` are not amounts");
        if let Some((l, c)) = super::toml_position(text, &path, false) {
            d = d.at_in(text, l, c);
        }
        ProposalError::one(d)
    })
}

/// The key (of a `key = value` line or a `[table]` header) with the most dotted parts: its
/// line, column and number of parts. Quoted parts may hold dots of their own.
fn longest_key(text: &str) -> Option<(usize, usize, usize)> {
    let mut best: Option<(usize, usize, usize)> = None;
    for (n, line) in text.lines().enumerate() {
        let start = line.len() - line.trim_start().len();
        let key = line.trim_start().trim_start_matches('[');
        let (mut parts, mut quote) = (1, None);
        for c in key.chars() {
            match (c, quote) {
                ('"' | '\'', None) => quote = Some(c),
                (c, Some(q)) if c == q => quote = None,
                ('.', None) => parts += 1,
                ('=' | ']' | '#', None) => break,
                _ => {}
            }
        }
        if best.is_none_or(|(_, _, p)| parts > p) {
            let col = line.get(..start).map_or(1, |s| s.chars().count() + 1);
            best = Some((n + 1, col, parts));
        }
    }
    best
}

/// TOML values as JSON. Dates become their TOML text (`2026-05-01`), so `by = 2026-05-01` and
/// `by = "2026-05-01"` mean the same; a non-finite float is refused with its JSON Pointer.
fn toml_to_json(value: toml::Value, path: &mut Vec<String>) -> Result<Value, (String, f64)> {
    let pointer = |path: &[String]| {
        path.iter()
            .map(|p| format!("/{}", p.replace('~', "~0").replace('/', "~1")))
            .collect::<String>()
    };
    Ok(match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => match serde_json::Number::from_f64(f) {
            Some(n) => Value::Number(n),
            None => return Err((pointer(path), f)),
        },
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, v) in items.into_iter().enumerate() {
                path.push(i.to_string());
                out.push(toml_to_json(v, path)?);
                path.pop();
            }
            Value::Array(out)
        }
        toml::Value::Table(t) => {
            let mut map = serde_json::Map::with_capacity(t.len());
            for (k, v) in t {
                path.push(k.clone());
                let v = toml_to_json(v, path)?;
                path.pop();
                map.insert(k, v);
            }
            Value::Object(map)
        }
    })
}
