//! Every error the API returns: a status and a JSON body with a stable `error` kind, a message,
//! and, for bids and rules, the located diagnostics — the same text the CLI prints (without
//! colour) plus the structured fields.

use crate::diagnostic::Diagnostic;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An API error: answered as JSON, never as a bare status.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    /// A stable, kebab-case kind: `unparseable`, `invalid-bid`, `too-large`, …
    pub kind: &'static str,
    pub message: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            kind,
            message: message.into(),
            diagnostics: Vec::new(),
        }
    }

    pub(crate) fn with(mut self, diagnostics: Vec<Diagnostic>) -> Self {
        self.diagnostics = diagnostics;
        self
    }

    pub(crate) fn not_found(what: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", what)
    }

    pub(crate) fn bad_request(what: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad-request", what)
    }

    pub(crate) fn internal(what: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            what.to_string(),
        )
    }

    /// An appraisal the audit log could not record is not answered: 507 when the log is at
    /// its size limit, 500 otherwise.
    pub(crate) fn audit(e: super::audit::RecordError) -> Self {
        match e {
            super::audit::RecordError::Full { bytes, max } => Self::new(
                StatusCode::INSUFFICIENT_STORAGE,
                "audit-log-full",
                format!(
                    "the audit log is full ({bytes} of {max} bytes), so no appraisal can be recorded \
                     or answered; archive the log and start a new one, or raise `--max-audit-bytes`"
                ),
            ),
            super::audit::RecordError::Failed(why) => {
                Self::internal(format!("the appraisal was not recorded: {why}"))
            }
        }
    }
}

/// The JSON form of diagnostics: structured fields plus `rendered`, the CLI's text.
fn diagnostics_json(diagnostics: &[Diagnostic]) -> serde_json::Value {
    serde_json::Value::Array(
        diagnostics
            .iter()
            .map(|d| {
                let mut v = serde_json::to_value(d).unwrap_or_else(|_| json!({}));
                if let Some(o) = v.as_object_mut() {
                    o.insert("rendered".into(), json!(d.render()));
                }
                v
            })
            .collect(),
    )
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let rendered: String = self.diagnostics.iter().map(Diagnostic::render).collect();
        let body = json!({
            "error": self.kind,
            "message": self.message,
            "diagnostics": diagnostics_json(&self.diagnostics),
            "rendered": rendered,
        });
        (self.status, axum::Json(body)).into_response()
    }
}
