//! The proposal schema (`schemas/proposal.schema.json`, built into the binary) and the
//! translation of its violations into messages a bid's author can act on.

use super::Format;
use super::fields::Fields;
use super::locate::toml_position;
use super::pointer_to_path;
use crate::diagnostic::Diagnostic;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

/// The JSON Schema every bid is checked against.
pub const PROPOSAL_SCHEMA: &str = include_str!("../../schemas/proposal.schema.json");

/// A proposal schema that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    /// The text is not JSON.
    #[error("{message}")]
    NotJson { message: String },
    /// The JSON is not a valid JSON Schema (draft 2020-12).
    #[error("{message}")]
    NotASchema { message: String },
}

/// A compiled proposal schema and the field index derived from it.
pub struct ProposalSchema {
    validator: jsonschema::Validator,
    fields: Fields,
    /// The schema's JSON text, as given (the server's page builds its form from it).
    text: String,
}

impl std::fmt::Debug for ProposalSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProposalSchema").finish_non_exhaustive()
    }
}

impl ProposalSchema {
    /// The built-in schema.
    pub fn builtin() -> &'static ProposalSchema {
        static SCHEMA: std::sync::OnceLock<ProposalSchema> = std::sync::OnceLock::new();
        SCHEMA.get_or_init(|| {
            // The built-in schema is part of the binary and covered by tests; if it ever failed
            // to compile, an empty schema keeps the engine running and the tests catch it.
            ProposalSchema::parse(PROPOSAL_SCHEMA).unwrap_or_else(|_| ProposalSchema {
                validator: empty_validator(),
                fields: Fields::default(),
                text: "{}".to_string(),
            })
        })
    }

    /// Compiles a schema from JSON text.
    pub fn parse(text: &str) -> Result<ProposalSchema, SchemaError> {
        let schema: Value = serde_json::from_str(text).map_err(|e| SchemaError::NotJson {
            message: e.to_string(),
        })?;
        let validator =
            jsonschema::draft202012::new(&schema).map_err(|e| SchemaError::NotASchema {
                message: e.to_string(),
            })?;
        Ok(ProposalSchema {
            validator,
            fields: Fields::from_schema(&schema),
            text: text.to_string(),
        })
    }

    /// The schema's JSON text, as it was given.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The fields the schema defines.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// Validates a bid: (errors, warnings). Unknown fields are warnings; the rest are errors.
    pub(crate) fn check(
        &self,
        name: &str,
        doc: &Value,
        source: Option<(&str, Format)>,
    ) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        if !doc.is_object() {
            errors.push(
                Diagnostic::error(name, "a bid must be a table of fields")
                    .help("start with `id = \"…\"` and `title = \"…\"`"),
            );
            return (errors, warnings);
        }
        for err in self.validator.iter_errors(doc) {
            let pointer = err.instance_path().to_string();
            let path = pointer_to_path(&pointer);
            let locate = |p: &str, key: bool| match source {
                Some((text, Format::Toml)) => {
                    toml_position(text, p, key).map(|(l, c)| (text, l, c))
                }
                _ => None,
            };
            match err.kind() {
                ValidationErrorKind::AdditionalProperties { unexpected } => {
                    for field in unexpected {
                        let full = if path.is_empty() {
                            field.clone()
                        } else {
                            format!("{path}.{field}")
                        };
                        let mut d =
                            Diagnostic::warning(name, format!("unknown field `{full}` is ignored"))
                                .field(&full);
                        d = match self.fields.suggest(&full) {
                            Some(s) => d.help(format!("did you mean `{s}`?")),
                            None => d.help(format!(
                                "the fields here are: {}",
                                self.fields
                                    .children(&super::fields::strip_indices(&path))
                                    .map(|c| format!("`{c}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )),
                        };
                        if let Some((text, l, c)) = locate(&format!("{pointer}/{field}"), true) {
                            d = d.at_in(text, l, c);
                        }
                        warnings.push(d);
                    }
                }
                ValidationErrorKind::Required { property } => {
                    let field = property.as_str().unwrap_or_default();
                    let full = if path.is_empty() {
                        field.to_string()
                    } else {
                        format!("{path}.{field}")
                    };
                    let d = Diagnostic::error(name, format!("missing required field `{full}`"))
                        .field(&full)
                        .help(required_help(&full));
                    errors.push(d);
                }
                kind => {
                    let shown = if path.is_empty() { "(top)" } else { &path };
                    let mut d =
                        Diagnostic::error(name, expected(kind, err.instance())).field(shown);
                    if let Some((text, l, c)) = locate(&pointer, false) {
                        d = d.at_in(text, l, c);
                    }
                    errors.push(d);
                }
            }
        }
        (errors, warnings)
    }
}

fn empty_validator() -> jsonschema::Validator {
    // `true` is a valid schema; this cannot fail, but we still avoid a panic path.
    match jsonschema::draft202012::new(&Value::Bool(true)) {
        Ok(v) => v,
        Err(_) => unreachable_validator(),
    }
}

#[expect(
    clippy::panic,
    reason = "`true` is always a valid JSON Schema; this is unreachable"
)]
fn unreachable_validator() -> jsonschema::Validator {
    panic!("the JSON Schema `true` failed to compile")
}

fn required_help(field: &str) -> String {
    match field {
        "id" => "every bid needs an `id`, e.g. `id = \"WC-014\"`".to_string(),
        "title" => {
            "every bid needs a `title`, e.g. `title = \"Riverside community garden\"`".to_string()
        }
        "funding" | "funding.amount_requested" => {
            "add the grant asked for: `[funding]` then `amount_requested = 25000`".to_string()
        }
        other => format!("add `{other}`"),
    }
}

/// A value as messages quote it: `5`, `true`, the text "…", a list, a table.
pub(crate) fn describe(v: &Value) -> String {
    match v {
        Value::Null => "nothing".to_string(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("`{n}`"),
        Value::String(s) => {
            let short: String = s.chars().take(40).collect();
            if short.len() < s.len() {
                format!("the text \"{short}…\"")
            } else {
                format!("the text \"{short}\"")
            }
        }
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "a table".to_string(),
    }
}

/// "expected …, found …" for each kind of schema violation.
pub(crate) fn expected(kind: &ValidationErrorKind, found: &Value) -> String {
    let found_s = describe(found);
    match kind {
        ValidationErrorKind::Type { kind } => {
            let want = match kind {
                TypeKind::Single(t) => type_word(&t.to_string()),
                TypeKind::Multiple(ts) => ts
                    .iter()
                    .map(|t| type_word(&t.to_string()))
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            format!("expected {want}, found {found_s}")
        }
        ValidationErrorKind::Enum { options } => {
            let opts = options
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|o| format!("`{}`", o.as_str().unwrap_or_default()))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            let hint = found
                .as_str()
                .and_then(|s| {
                    crate::suggest::did_you_mean(
                        s,
                        options
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(Value::as_str),
                    )
                })
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            format!("expected one of {opts}, found {found_s}{hint}")
        }
        ValidationErrorKind::Minimum { limit } => {
            format!("expected a number of at least {limit}, found {found_s}")
        }
        ValidationErrorKind::Maximum { limit } => {
            format!("expected a number of at most {limit}, found {found_s}")
        }
        ValidationErrorKind::MinLength { limit } => {
            if *limit == 1 {
                "expected some text, found empty text".to_string()
            } else {
                format!("expected at least {limit} characters")
            }
        }
        ValidationErrorKind::MaxLength { limit } => {
            let n = found.as_str().map(|s| s.chars().count()).unwrap_or(0);
            format!("expected at most {limit} characters, found {n}")
        }
        ValidationErrorKind::MaxItems { limit } => {
            let n = found.as_array().map(Vec::len).unwrap_or(0);
            format!("expected at most {limit} items, found {n}")
        }
        ValidationErrorKind::Pattern { pattern } => {
            let expected = if pattern.contains("A-Z") {
                "a currency code of three capital letters, such as `GBP`"
            } else if pattern.contains("a-z_") {
                "a field path, such as `summary` or `partners[0].role`"
            } else {
                "a month as `YYYY-MM` or a date as `YYYY-MM-DD`"
            };
            format!("expected {expected}, found {found_s}")
        }
        other => format!("invalid value {found_s}: {}", other.keyword()),
    }
}

fn type_word(t: &str) -> String {
    match t {
        "string" => "text".to_string(),
        "integer" => "a whole number".to_string(),
        "number" => "a number".to_string(),
        "boolean" => "`true` or `false`".to_string(),
        "array" => "a list".to_string(),
        "object" => "a table".to_string(),
        other => other.to_string(),
    }
}
