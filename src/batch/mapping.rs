//! A mapping file: how a funder's own export (CSV or Excel, the grants platform's column names)
//! becomes bids. TOML, checked against `schemas/mapping.schema.json`, then against the proposal
//! schema: every column names a real field (with a did-you-mean), a field that holds one value
//! is fed by one column, every value a value map gives fits its field, and the id, title and
//! amount come from somewhere. Every problem is located in the mapping file.
//!
//! - `values.rs` — a cell read as its field: money, months, yes/no, kinds, months of the year.
//! - `plan.rs` — a mapping checked against an export's header, then each row made a bid.
//! - `init.rs` — `stronger map init`: a starter mapping guessed from the header and first rows.

mod init;
mod plan;
pub(crate) mod values;

pub use init::draft;
pub(crate) use plan::{Plan, letter, unset};

use crate::diagnostic::{Diagnostic, line_col};
use crate::proposal::{FieldKind, Fields, expected, pointer_to_path, strip_indices, toml_position};
use crate::suggest::did_you_mean;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;
use std::path::Path;

/// The JSON Schema every mapping file is checked against.
pub const MAPPING_SCHEMA: &str = include_str!("../../schemas/mapping.schema.json");

/// The fields a row must give: without one, the row is an error row.
pub(crate) const REQUIRED: [&str; 3] = ["id", "title", "funding.amount_requested"];

/// Text fields that hold one value (a name, a code, a title): one column each. Every other
/// text field is prose, and may be made of several answers, each kept with its question.
const SINGLE_TEXT: [&str; 10] = [
    "id",
    "title",
    "partnership",
    "applicant.name",
    "place.locality",
    "place.area_code",
    "funding.currency",
    "partners.name",
    "outcomes.indicator",
    "outcomes.by",
];

/// The most entries of a list of tables (`partners[N].name`) a mapping may name.
const MAX_INDEX: usize = 50;

/// A mapping, read and checked: what each column of an export becomes.
#[derive(Debug, Clone)]
pub struct Mapping {
    file: String,
    text: String,
    hash: String,
    sheet: Option<String>,
    columns: Vec<Column>,
    defaults: Vec<(String, Value)>,
}

/// One column of the export, as the mapping names it.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    /// The column's name in the header row, as the mapping writes it.
    pub header: String,
    /// Where the mapping names it.
    pub at: (usize, usize),
    /// The field it fills; `None` for a column ignored.
    pub target: Option<Target>,
}

/// The field a column fills, and how its cells are read.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// As written: `summary`, `partners[0].name`.
    pub path: String,
    pub kind: FieldKind,
    /// For prose: the question the answers are quoted with (default: the column's name).
    pub question: Option<String>,
    /// Whether the field is prose made of answers, each kept with its question.
    pub answer: bool,
    pub values: Option<ValueMap>,
}

/// The platform's words for a field's values.
#[derive(Debug, Clone)]
pub(crate) struct ValueMap {
    pub name: String,
    /// Each entry: its key as written, and the value (`None`: not stated).
    pub entries: Vec<(String, Option<Value>)>,
}

impl ValueMap {
    /// The entry for a cell, matched ignoring case and spacing: `Some(value)` when there is
    /// one (the value `None` meaning not stated).
    pub(crate) fn get(&self, cell: &str) -> Option<Option<Value>> {
        let want = normal(cell);
        self.entries
            .iter()
            .find(|(k, _)| normal(k) == want)
            .map(|(_, v)| v.clone())
    }

    /// The entry closest to a cell with none, for a did-you-mean.
    pub(crate) fn suggest(&self, cell: &str) -> Option<&str> {
        did_you_mean(cell, self.entries.iter().map(|(k, _)| k.as_str()))
    }
}

/// Text compared ignoring case, spacing and a final full stop.
pub(crate) fn normal(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches('.')
        .to_lowercase()
}

impl Mapping {
    /// Reads and checks the mapping file at `path`.
    pub fn load(path: &Path, fields: &Fields) -> Result<Mapping, Vec<Diagnostic>> {
        let name = path.display().to_string();
        let bytes = crate::proposal::read::read_bounded(&name, path, 4 * 1024 * 1024)
            .map_err(|d| vec![d])?;
        let text = String::from_utf8(bytes).map_err(|_| {
            vec![Diagnostic::error(&name, "the mapping is not UTF-8 text").help("save it as UTF-8")]
        })?;
        Mapping::parse(&name, &text, fields)
    }

    /// Reads and checks a mapping from its text; `file` names it in messages.
    pub fn parse(file: &str, text: &str, fields: &Fields) -> Result<Mapping, Vec<Diagnostic>> {
        let at = Located { file, text };
        let toml: toml::Value = toml::from_str(text).map_err(|e| vec![at.toml_error(&e)])?;
        let json = serde_json::to_value(&toml).unwrap_or(Value::Null);
        let problems = at.schema_problems(&json);
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut problems = Vec::new();
        let columns = columns(&at, &json, fields, &mut problems);
        let defaults = defaults(&at, &json, fields, &mut problems);
        check_columns(&at, &columns, &defaults, &mut problems);
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut h = crate::hash::Hasher::default();
        h.update(text.as_bytes());
        Ok(Mapping {
            file: file.to_string(),
            text: text.to_string(),
            hash: h.finish(),
            sheet: json
                .pointer("/export/sheet")
                .and_then(Value::as_str)
                .map(str::to_string),
            columns,
            defaults,
        })
    }

    /// `sha256:` of the mapping file, as each appraisal's provenance names it.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The Excel sheet the mapping reads, when it names one.
    pub fn sheet(&self) -> Option<&str> {
        self.sheet.as_deref()
    }

    /// The file, as named.
    pub fn file(&self) -> &str {
        &self.file
    }

    pub(crate) fn columns(&self) -> &[Column] {
        &self.columns
    }

    pub(crate) fn defaults(&self) -> &[(String, Value)] {
        &self.defaults
    }

    /// A diagnostic about the mapping, at the column named `header`.
    pub(crate) fn at_column(&self, column: &Column, message: String) -> Diagnostic {
        Diagnostic::error(&self.file, message).at_in(&self.text, column.at.0, column.at.1)
    }
}

/// The mapping file being read, to locate each problem in it.
struct Located<'a> {
    file: &'a str,
    text: &'a str,
}

impl Located<'_> {
    fn toml_error(&self, e: &toml::de::Error) -> Diagnostic {
        let msg = e.message().trim().trim_end_matches('.').to_string();
        let mut d = Diagnostic::error(self.file, crate::diagnostic::lower_first(&msg));
        if let Some(span) = e.span() {
            let (l, c) = line_col(self.text, span.start);
            d = d.at_in(self.text, l, c);
        }
        d
    }

    /// `message` at the key (or value) the JSON Pointer names.
    fn error(&self, pointer: &str, key: bool, message: impl Into<String>) -> Diagnostic {
        let d = Diagnostic::error(self.file, message);
        match toml_position(self.text, pointer, key) {
            Some((l, c)) => d.at_in(self.text, l, c),
            None => d,
        }
    }

    fn schema_problems(&self, json: &Value) -> Vec<Diagnostic> {
        let Some(v) = schema() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for err in v.iter_errors(json) {
            let pointer = err.instance_path().to_string();
            let path = pointer_to_path(&pointer);
            let d = match err.kind() {
                ValidationErrorKind::AdditionalProperties { unexpected } => {
                    for key in unexpected {
                        let allowed = allowed_keys(&pointer);
                        let msg =
                            format!("unknown key `{}`", crate::diagnostic::dotted(&path, key));
                        let mut d = self.error(&format!("{pointer}/{}", escape(key)), true, msg);
                        d = match did_you_mean(key, allowed.iter().copied()) {
                            Some(s) => d.help(format!("did you mean `{s}`?")),
                            None => d.help(format!("the keys here are: {}", allowed.join(", "))),
                        };
                        out.push(d);
                    }
                    continue;
                }
                ValidationErrorKind::Required { property } => {
                    let key = property.as_str().unwrap_or_default();
                    self.error(
                        &pointer,
                        true,
                        format!("missing `{}`", crate::diagnostic::dotted(&path, key)),
                    )
                }
                ValidationErrorKind::MinProperties { .. } if pointer == "/columns" => self
                    .error(&pointer, true, "`[columns]` maps no column")
                    .help("add a line for each column, e.g. `\"Project title\" = \"title\"`"),
                kind => self.error(&pointer, false, expected(kind, err.instance())),
            };
            out.push(d);
        }
        out
    }
}

fn schema() -> Option<&'static jsonschema::Validator> {
    static V: std::sync::OnceLock<Option<jsonschema::Validator>> = std::sync::OnceLock::new();
    V.get_or_init(|| {
        serde_json::from_str::<Value>(MAPPING_SCHEMA)
            .ok()
            .and_then(|s| jsonschema::draft202012::new(&s).ok())
    })
    .as_ref()
}

/// The keys a table of the mapping may have, by where it is.
fn allowed_keys(pointer: &str) -> Vec<&'static str> {
    match pointer {
        "" => vec!["export", "columns", "values", "defaults"],
        "/export" => vec!["name", "sheet"],
        p if p.starts_with("/columns/") => vec!["field", "question", "values"],
        _ => Vec::new(),
    }
}

/// A key as a JSON Pointer segment.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The headers under `[columns]` in the order the file writes them (a TOML table has none).
fn column_order(text: &str) -> Vec<String> {
    use toml::de::{DeTable, DeValue};
    let Ok(root) = DeTable::parse(text) else {
        return Vec::new();
    };
    let columns = root
        .get_ref()
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == "columns");
    let Some((_, v)) = columns else {
        return Vec::new();
    };
    let DeValue::Table(t) = v.get_ref() else {
        return Vec::new();
    };
    let mut keys: Vec<(usize, String)> = t
        .iter()
        .map(|(k, _)| (k.span().start, k.get_ref().to_string()))
        .collect();
    keys.sort();
    keys.into_iter().map(|(_, k)| k).collect()
}

/// Every column the mapping names, in file order, each field checked.
fn columns(
    at: &Located<'_>,
    json: &Value,
    fields: &Fields,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Column> {
    let mut out = Vec::new();
    for header in column_order(at.text) {
        let pointer = format!("/columns/{}", escape(&header));
        let Some(entry) = json.pointer(&pointer) else {
            continue;
        };
        let position = toml_position(at.text, &pointer, true).unwrap_or((1, 1));
        let (path, field_pointer) = match entry {
            Value::String(s) => (s.as_str(), pointer.clone()),
            _ => (
                entry
                    .get("field")
                    .and_then(Value::as_str)
                    .unwrap_or_default(),
                format!("{pointer}/field"),
            ),
        };
        let target = if path.trim() == "ignore" {
            None
        } else {
            match target(at, json, entry, path.trim(), &field_pointer, fields) {
                Ok(t) => Some(t),
                Err(mut d) => {
                    problems.append(&mut d);
                    continue;
                }
            }
        };
        out.push(Column {
            header,
            at: position,
            target,
        });
    }
    out
}

/// The field a column names, checked: a real field (not a table), an entry number where it is
/// in a list of tables, and its value map.
fn target(
    at: &Located<'_>,
    json: &Value,
    entry: &Value,
    path: &str,
    pointer: &str,
    fields: &Fields,
) -> Result<Target, Vec<Diagnostic>> {
    let kind =
        field_kind(path, fields).map_err(|m| vec![at.error(pointer, false, m.0).help(m.1)])?;
    let bare = strip_indices(path);
    let answer = kind == FieldKind::Text && !SINGLE_TEXT.contains(&bare.as_str());
    let question = entry
        .get("question")
        .and_then(Value::as_str)
        .map(str::to_string);
    let values = match entry.get("values") {
        None => None,
        Some(v) => {
            let column = pointer.trim_end_matches("/field");
            Some(value_map(at, json, v, column, path, &kind)?)
        }
    };
    Ok(Target {
        path: path.to_string(),
        kind,
        question,
        answer,
        values,
    })
}

/// What is wrong with a field path, and what to do about it.
type PathProblem = (String, String);

/// The kind of the field at `path`, or why a column cannot fill it.
pub(crate) fn field_kind(path: &str, fields: &Fields) -> Result<FieldKind, PathProblem> {
    let bare = strip_indices(path);
    if bare == "answers" || bare.starts_with("answers.") {
        return Err((
            format!("`{path}` is written by the mapping itself"),
            "map each answer to the text field it belongs to, e.g. `summary`".to_string(),
        ));
    }
    let Some(kind) = fields.kind(&bare) else {
        let help = match fields.suggest(&bare) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "the fields are in schemas/proposal.schema.json".to_string(),
        };
        return Err((format!("the proposal has no field `{bare}`"), help));
    };
    if matches!(kind, FieldKind::Group | FieldKind::Records) {
        let example = fields.paths().find(|p| p.starts_with(&format!("{bare}.")));
        let help = match (kind, example) {
            (FieldKind::Records, Some(e)) => format!(
                "map one of its fields, e.g. `{bare}[0]{}`",
                e.get(bare.len()..).unwrap_or_default()
            ),
            (_, Some(e)) => format!("map one of its fields, e.g. `{e}`"),
            _ => "map one of its fields".to_string(),
        };
        return Err((
            format!("`{bare}` is a table of fields, not one field"),
            help,
        ));
    }
    let indices = path.matches('[').count();
    let tables = record_depth(&bare, fields);
    if indices != tables {
        let (first, rest) = bare.split_once('.').unwrap_or((&bare, ""));
        return Err((
            format!("`{path}` needs an entry number for `{first}`"),
            format!("e.g. `{first}[0].{rest}` for the first, `{first}[1].{rest}` for the second"),
        ));
    }
    let too_far = path
        .split('[')
        .skip(1)
        .filter_map(|s| s.split(']').next()?.parse::<usize>().ok())
        .any(|i| i >= MAX_INDEX);
    if too_far {
        return Err((
            format!("`{path}` names an entry past the {MAX_INDEX}th"),
            format!("a mapping fills at most {MAX_INDEX} entries of a list"),
        ));
    }
    Ok(kind.clone())
}

/// How many lists of tables a field lies inside (`partners.name`: 1).
fn record_depth(bare: &str, fields: &Fields) -> usize {
    let mut depth = 0;
    let mut prefix = String::new();
    for part in bare.split('.') {
        if !prefix.is_empty() {
            prefix.push('.');
        }
        prefix.push_str(part);
        if prefix != bare && fields.kind(&prefix) == Some(&FieldKind::Records) {
            depth += 1;
        }
    }
    depth
}

/// A column's value map (`values = "name"` or the entries inline), each value checked against
/// the field it fills.
fn value_map(
    at: &Located<'_>,
    json: &Value,
    v: &Value,
    column: &str,
    path: &str,
    kind: &FieldKind,
) -> Result<ValueMap, Vec<Diagnostic>> {
    let (name, table, pointer) = match v {
        Value::String(name) => {
            let named = format!("/values/{}", escape(name));
            let Some(t) = json.pointer(&named) else {
                let known = json.get("values").and_then(Value::as_object);
                let names = known.into_iter().flat_map(|m| m.keys().map(String::as_str));
                let d = at.error(
                    &format!("{column}/values"),
                    false,
                    format!("there is no value map `{name}`"),
                );
                let d = match did_you_mean(name, names) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help(format!(
                        "add it: `[values.{name}]`, then a line for each value"
                    )),
                };
                return Err(vec![d]);
            };
            (name.clone(), t, named)
        }
        t => ("(inline)".to_string(), t, format!("{column}/values")),
    };
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (key, value) in table.as_object().into_iter().flatten() {
        let raw = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if raw.trim().is_empty() {
            entries.push((key.clone(), None));
            continue;
        }
        match values::convert(kind, path, &raw) {
            Ok(v) => entries.push((key.clone(), v)),
            Err(want) => {
                let mut d = at.error(
                    &format!("{pointer}/{}", escape(key)),
                    false,
                    format!(
                        "`{key}` maps to {}, which `{path}` cannot hold: expected {want}",
                        crate::proposal::describe(value)
                    ),
                );
                if let FieldKind::Choice(options) = kind
                    && let Some(s) = did_you_mean(&raw, options.iter().map(String::as_str))
                {
                    d = d.help(format!("did you mean `{s}`?"));
                }
                problems.push(d);
            }
        }
    }
    if problems.is_empty() {
        Ok(ValueMap { name, entries })
    } else {
        Err(problems)
    }
}

/// The `[defaults]`, each checked against its field.
fn defaults(
    at: &Located<'_>,
    json: &Value,
    fields: &Fields,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (path, value) in json
        .get("defaults")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let pointer = format!("/defaults/{}", escape(path));
        if path == "id" {
            problems.push(
                at.error(
                    &pointer,
                    true,
                    "`id` cannot have a default: each application needs its own",
                )
                .help("map the column that holds the application's reference to `id`"),
            );
            continue;
        }
        let kind = match field_kind(path, fields) {
            Ok(k) => k,
            Err((m, help)) => {
                problems.push(at.error(&pointer, true, m).help(help));
                continue;
            }
        };
        let raw = match value {
            Value::String(s) => s.clone(),
            Value::Array(items) => items
                .iter()
                .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                .collect::<Vec<_>>()
                .join("; "),
            other => other.to_string(),
        };
        match values::convert(&kind, path, &raw) {
            Ok(Some(v)) => out.push((path.clone(), v)),
            Ok(None) => {}
            Err(want) => problems.push(at.error(
                &pointer,
                false,
                format!(
                    "the default for `{path}` must be {want}, found {}",
                    crate::proposal::describe(value)
                ),
            )),
        }
    }
    out
}

/// What the columns say together: no field that holds one value fed by two columns; an id
/// column; a title and an amount, from a column or a default.
fn check_columns(
    at: &Located<'_>,
    columns: &[Column],
    defaults: &[(String, Value)],
    problems: &mut Vec<Diagnostic>,
) {
    for (i, c) in columns.iter().enumerate() {
        let Some(t) = &c.target else { continue };
        let many = t.answer || t.kind == FieldKind::List;
        let earlier = columns
            .get(..i)
            .unwrap_or_default()
            .iter()
            .find(|e| e.target.as_ref().is_some_and(|x| x.path == t.path));
        if let (false, Some(e)) = (many, earlier) {
            problems.push(
                Diagnostic::error(
                    at.file,
                    format!(
                        "`{}` and `{}` both map to `{}`, which holds one value",
                        e.header, c.header, t.path
                    ),
                )
                .at_in(at.text, c.at.0, c.at.1)
                .help(format!(
                    "map one of them to `{}`, and the other to another field or to \"ignore\"",
                    t.path
                )),
            );
        }
    }
    for want in REQUIRED {
        let mapped = columns
            .iter()
            .any(|c| c.target.as_ref().is_some_and(|t| t.path == want));
        let defaulted = defaults.iter().any(|(p, _)| p == want);
        if mapped || (defaulted && want != "id") {
            continue;
        }
        let example = match want {
            "id" => "\"Application reference\" = \"id\"",
            "title" => "\"Project title\" = \"title\"",
            _ => "\"Amount requested\" = \"funding.amount_requested\"",
        };
        problems.push(
            at.error(
                "/columns",
                true,
                format!("no column maps to `{want}`, which every application needs"),
            )
            .help(format!(
                "add the column that holds it under `[columns]`, e.g. `{example}`"
            )),
        );
    }
}
