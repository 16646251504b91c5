//! Proposals: reading a bid from TOML or JSON, bounding it, and validating it against
//! `schemas/proposal.schema.json`.
//!
//! A bid is untrusted: it may be huge, deeply nested, binary, not UTF-8, or simply wrong.
//! Every problem becomes a [`Diagnostic`] naming the file, the field and, where the format
//! allows, the line and column. Unknown fields are warnings with a suggestion, never errors
//! and never silently read as zero.

mod fields;
mod locate;
pub(crate) mod placeholder;
pub(crate) use locate::toml_position;
pub(crate) mod read;
mod schema;

pub(crate) use fields::strip_indices;
pub use fields::{FieldKind, Fields};
pub use read::Format;
pub(crate) use read::io_reason;
pub use schema::{ProposalSchema, SchemaError};
pub(crate) use schema::{describe, expected};

use crate::diagnostic::Diagnostic;
use crate::limits::Limits;
use serde_json::Value;
use std::path::Path;

/// A validated bid.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// The bid's `id`.
    pub id: String,
    /// The bid's `title`.
    pub title: String,
    /// Where the bid came from (a file name, or `file:line` for batch inputs).
    pub source: String,
    /// `sha256:` over the bid's canonical JSON form.
    pub hash: String,
    /// The bid as JSON, valid against the proposal schema (unknown fields included).
    pub doc: Value,
}

/// A bid that could not be read or is invalid. Holds every problem found, not just the first.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", render_all(.diagnostics))]
pub struct ProposalError {
    pub diagnostics: Vec<Diagnostic>,
}

impl miette::Diagnostic for ProposalError {
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        Some(Box::new(
            self.diagnostics
                .iter()
                .map(|d| d as &dyn miette::Diagnostic),
        ))
    }
}

fn render_all(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

impl ProposalError {
    /// Every problem, rendered like rustc's diagnostics.
    pub fn render(&self) -> String {
        self.diagnostics.iter().map(Diagnostic::render).collect()
    }

    pub(crate) fn one(d: Diagnostic) -> Self {
        ProposalError {
            diagnostics: vec![d],
        }
    }
}

/// A bid and the warnings found while reading it.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub proposal: Proposal,
    pub warnings: Vec<Diagnostic>,
}

impl Proposal {
    /// Reads one bid from a `.toml` or `.json` file.
    pub fn load(
        path: &Path,
        schema: &ProposalSchema,
        limits: &Limits,
    ) -> Result<Loaded, ProposalError> {
        let name = path.display().to_string();
        let format = Format::from_path(path).ok_or_else(|| {
            ProposalError::one(
                Diagnostic::error(&name, "unknown bid format")
                    .help("a bid file must end in `.toml` or `.json`"),
            )
        })?;
        let bytes =
            read::read_bounded(&name, path, limits.max_bid_bytes).map_err(ProposalError::one)?;
        Self::parse(&name, &bytes, format, schema, limits)
    }

    /// Reads one bid from bytes in the given format; `name` is used in messages.
    pub fn parse(
        name: &str,
        bytes: &[u8],
        format: Format,
        schema: &ProposalSchema,
        limits: &Limits,
    ) -> Result<Loaded, ProposalError> {
        let text = read::check_text(name, bytes, limits)?;
        let doc = match format {
            Format::Toml => read::parse_toml(name, text)?,
            Format::Json => read::parse_json(name, text)?,
        };
        Self::from_value(name, doc, Some((text, format)), schema)
    }

    /// Validates an already-parsed bid (from JSON Lines, CSV or 360Giving).
    /// `source` gives the original text for locating problems, when there is one.
    pub(crate) fn from_value(
        name: &str,
        doc: Value,
        source: Option<(&str, Format)>,
        schema: &ProposalSchema,
    ) -> Result<Loaded, ProposalError> {
        let (errors, warnings) = schema.check(name, &doc, source);
        if !errors.is_empty() {
            // Unknown fields explain many errors (a misspelt required field): show them too.
            let mut diagnostics = errors;
            diagnostics.extend(warnings);
            return Err(ProposalError { diagnostics });
        }
        let id = doc
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let title = doc
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        // One order for every format: a TOML table, a JSON object and a CSV row holding the same
        // bid give the same document, read (and quoted) in the same order, as its hash says.
        let mut doc = doc;
        doc.sort_all_objects();
        let hash = crate::hash::canonical_json(&doc);
        Ok(Loaded {
            proposal: Proposal {
                id,
                title,
                source: name.to_string(),
                hash,
                doc,
            },
            warnings,
        })
    }
}

/// `/partners/0/sector` → `partners[0].sector`.
pub(crate) fn pointer_to_path(pointer: &str) -> String {
    let mut out = String::new();
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        }
    }
    out
}
