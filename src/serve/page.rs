//! The web page at `/`: one HTML file built into the binary, with its script and styles inline
//! and nothing loaded from anywhere else (the Content-Security-Policy says so to the browser).
//! Its form is built in the browser from the proposal schema the server serves
//! (`GET /api/schema/proposal`), so it cannot drift from it; the draft is kept in the browser
//! (`localStorage`); the live view shows the report section `POST /api/preview` renders (the
//! same chart as `appraise --format html`) and records nothing until someone asks
//! (`POST /api/record`).

use super::State;
use crate::checklist::Checklist;
use axum::extract::State as S;
use axum::http::header;
use axum::response::IntoResponse;
use minijinja::HtmlEscape;
use std::sync::Arc;

const PAGE: &str = include_str!("page.html");

/// Only this page's own inline script and styles, and requests back to this server.
const CSP: &str = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; \
                   connect-src 'self'; img-src data:; form-action 'none'; base-uri 'none'; \
                   frame-ancestors 'none'";

/// The page, with the checklist's name and the example bids filled in.
pub(crate) fn page(checklist: &Checklist) -> String {
    let mut files: Vec<_> = super::EXAMPLES.files().collect();
    files.sort_by(|a, b| a.path().cmp(b.path()));
    let examples: Vec<serde_json::Value> = files
        .iter()
        .filter_map(|f| {
            Some(serde_json::json!({
                "name": f.path().display().to_string(),
                "text": f.contents_utf8()?,
            }))
        })
        .collect();
    // JSON inside <script>: `<` escaped so no bid text can close the element.
    let examples = serde_json::to_string(&examples)
        .unwrap_or_else(|_| "[]".to_string())
        .replace('<', "\\u003c");
    PAGE.replace("/*REPORT_CSS*/", crate::render::REPORT_CSS)
        .replace(
            "{{CHECKLIST}}",
            &format!(
                "{} {}",
                HtmlEscape(checklist.name()),
                HtmlEscape(checklist.version())
            ),
        )
        .replace("{{EXAMPLES_JSON}}", &examples)
}

/// `GET /`.
pub(crate) async fn index(S(state): S<Arc<State>>) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        state.page.clone(),
    )
}
