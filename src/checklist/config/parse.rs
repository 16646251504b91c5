//! Reading one `checklist.toml`: TOML syntax, then `schemas/checklist.schema.json`, then the
//! shape the engine reads. Every problem carries line:column, and an unknown key a suggestion.

use super::RawConfig;
use crate::diagnostic::{Diagnostic, line_col};
use crate::proposal::{expected, pointer_to_path, toml_position};
use crate::suggest::did_you_mean;
use jsonschema::ValidationError;
use jsonschema::error::ValidationErrorKind;

/// The JSON Schema every `checklist.toml` is checked against.
const CHECKLIST_SCHEMA: &str = include_str!("../../../schemas/checklist.schema.json");

fn schema() -> Option<&'static jsonschema::Validator> {
    static V: std::sync::OnceLock<Option<jsonschema::Validator>> = std::sync::OnceLock::new();
    V.get_or_init(|| {
        serde_json::from_str::<serde_json::Value>(CHECKLIST_SCHEMA)
            .ok()
            .and_then(|s| jsonschema::draft202012::new(&s).ok())
    })
    .as_ref()
}

/// Parses `checklist.toml` (shown as `file`): TOML syntax, then the checklist schema, then the
/// shape the engine reads.
pub(crate) fn parse(file: &str, text: &str) -> Result<RawConfig, Vec<Diagnostic>> {
    let at = Located { file, text };
    let value: toml::Value = toml::from_str(text).map_err(|e| vec![at.toml_error(&e)])?;
    let problems = at.schema_problems(&value);
    if !problems.is_empty() {
        return Err(problems);
    }
    toml::from_str::<RawConfig>(text).map_err(|e| vec![at.toml_error(&e)])
}

/// The file being read, to locate each problem in it.
struct Located<'a> {
    file: &'a str,
    text: &'a str,
}

impl Located<'_> {
    /// A TOML error as a diagnostic, at its span.
    fn toml_error(&self, e: &toml::de::Error) -> Diagnostic {
        let msg = e.message().trim().trim_end_matches('.').to_string();
        let mut d = Diagnostic::error(self.file, crate::diagnostic::lower_first(&msg));
        if let Some(span) = e.span() {
            let (l, c) = line_col(self.text, span.start);
            d = d.at_in(self.text, l, c);
        }
        d
    }

    /// Every way the file breaks the checklist schema.
    fn schema_problems(&self, value: &toml::Value) -> Vec<Diagnostic> {
        let (Some(v), Ok(json)) = (schema(), serde_json::to_value(value)) else {
            return Vec::new();
        };
        v.iter_errors(&json)
            .flat_map(|err| self.schema_problem(&err))
            .collect()
    }

    /// One schema violation: unknown keys (each with a suggestion), a missing key, or a value
    /// of the wrong kind.
    fn schema_problem(&self, err: &ValidationError<'_>) -> Vec<Diagnostic> {
        let pointer = err.instance_path().to_string();
        let path = pointer_to_path(&pointer);
        match err.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => unexpected
                .iter()
                .map(|key| self.unknown_key(err, &pointer, &path, key))
                .collect(),
            ValidationErrorKind::Required { property } => {
                let key = property.as_str().unwrap_or_default();
                let d = Diagnostic::error(
                    self.file,
                    format!("missing `{}`", crate::diagnostic::dotted(&path, key)),
                );
                vec![self.locate(d, &pointer, true)]
            }
            _ => {
                let mut d = Diagnostic::error(self.file, expected(err.kind(), err.instance()));
                if !path.is_empty() {
                    d = d.field(path);
                }
                vec![self.locate(d, &pointer, false)]
            }
        }
    }

    fn unknown_key(
        &self,
        err: &ValidationError<'_>,
        pointer: &str,
        path: &str,
        key: &str,
    ) -> Diagnostic {
        let allowed = allowed_keys(err);
        let d = Diagnostic::error(
            self.file,
            format!("unknown key `{}`", crate::diagnostic::dotted(path, key)),
        );
        let d = match did_you_mean(key, allowed.iter().map(String::as_str)) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help(format!("the keys here are: {}", allowed.join(", "))),
        };
        self.locate(d, &format!("{pointer}/{key}"), true)
    }

    /// `d` at the key (or value) the JSON Pointer names, when the text has it.
    fn locate(&self, d: Diagnostic, pointer: &str, key: bool) -> Diagnostic {
        match toml_position(self.text, pointer, key) {
            Some((l, c)) => d.at_in(self.text, l, c),
            None => d,
        }
    }
}

/// The keys allowed where `err` found extra ones, from the schema node that refused them.
fn allowed_keys(err: &ValidationError<'_>) -> Vec<String> {
    let node = err.schema_path().to_string();
    let node = node.trim_end_matches("/additionalProperties");
    serde_json::from_str::<serde_json::Value>(CHECKLIST_SCHEMA)
        .ok()
        .and_then(|s| {
            s.pointer(node)
                .and_then(|n| n.get("properties"))
                .and_then(|p| p.as_object())
                .map(|p| p.keys().cloned().collect())
        })
        .unwrap_or_default()
}
