//! An audit trail of people, not keystrokes: the page's "Record this appraisal"
//! (`POST /api/record`), which records only the appraisal the page showed; who recorded each
//! entry (the reviewer an authenticating proxy names in the `--user-header` header); and the
//! log as CSV (`GET /api/appraisals.csv`), through the one CSV writer.

use super::State;
use super::api::{Shared, body, deadline, evaluate, parse_named};
use super::error::ApiError;
use crate::proposal::Format;
use crate::render::csv::{Cell, CsvWriter};
use axum::body::Body;
use axum::extract::{RawQuery, State as S};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// The longest reviewer name stored, in characters.
const MAX_REVIEWER: usize = 200;

/// Who asks for a recorded appraisal: the `--user-header` header's value. None when the server
/// runs without the option. With it, a request without the header is refused (403): an entry
/// without its reviewer is what the option exists to prevent, and a missing header means the
/// request did not come through the proxy.
pub(crate) fn reviewer(state: &State, headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(name) = state.options.user_header.as_deref() else {
        return Ok(None);
    };
    let Some(value) = headers.get(name) else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "no-reviewer",
            format!(
                "the request has no `{name}` header: this server records who made each appraisal \
                 from it (`--user-header`), so send the request through the proxy that sets it"
            ),
        ));
    };
    let bad = |why: &str| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad-reviewer",
            format!("the `{name}` header {why}"),
        )
    };
    let text = std::str::from_utf8(value.as_bytes()).map_err(|_| bad("is not UTF-8 text"))?;
    let text = text.trim();
    if text.is_empty() {
        return Err(bad("is empty: it must name the reviewer"));
    }
    if text.chars().any(char::is_control) {
        return Err(bad("holds control characters"));
    }
    if text.chars().count() > MAX_REVIEWER {
        return Err(bad(&format!("is longer than {MAX_REVIEWER} characters")));
    }
    Ok(Some(text.to_string()))
}

/// A hash the page sent: `sha256:` and 64 lowercase hex digits.
fn shown_hash(doc: &Value, key: &str) -> Result<String, ApiError> {
    let h = doc.get(key).and_then(Value::as_str).unwrap_or_default();
    let hex = h.strip_prefix("sha256:").unwrap_or_default();
    if hex.len() == 64
        && hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(h.to_string())
    } else {
        Err(ApiError::bad_request(format!(
            "`{key}` must be the hash the page showed (`sha256:` and 64 hex digits), not `{h}`"
        )))
    }
}

/// `POST /api/record` with `{"bid": BID, "checklist_hash", "bid_hash"}` (`application/json`;
/// the bid a JSON object, or TOML text in a string): records the appraisal of the bid the page
/// showed, made with the checklist it showed. A bid or checklist other than the ones shown is
/// refused (409), so every appraisal recorded is the one that was shown.
pub(crate) async fn record(
    S(state): Shared,
    headers: HeaderMap,
    raw: Body,
) -> Result<Response, ApiError> {
    let by = deadline(&state);
    if super::api::format_of(&headers)? != Format::Json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "send `{\"bid\": …, \"checklist_hash\": …, \"bid_hash\": …}` as `application/json`",
        ));
    }
    let who = reviewer(&state, &headers)?;
    let bytes = body(&state, &headers, raw, by).await?;
    evaluate(&state, by, move |st| {
        let text = String::from_utf8_lossy(&bytes);
        let doc = crate::proposal::read::parse_json("request.json", &text).map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "unparseable",
                "the request is not JSON",
            )
            .with(e.diagnostics)
        })?;
        let checklist_hash = shown_hash(&doc, "checklist_hash")?;
        let bid_hash = shown_hash(&doc, "bid_hash")?;
        if checklist_hash != st.checklist.hash() {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "checklist-changed",
                format!(
                    "the appraisal shown was made with checklist `{checklist_hash}`, but this server \
                     appraises with {} {} (`{}`); preview the bid again and record what it shows",
                    st.checklist.name(),
                    st.checklist.version(),
                    st.checklist.hash()
                ),
            ));
        }
        let bid = match doc.get("bid") {
            Some(Value::String(toml)) => {
                parse_named(st, "bid.toml", toml.as_bytes(), Format::Toml)?
            }
            Some(v @ Value::Object(_)) => {
                let text = serde_json::to_vec_pretty(v).unwrap_or_default();
                parse_named(st, "bid.json", &text, Format::Json)?
            }
            _ => {
                return Err(ApiError::bad_request(
                    "`bid` is missing: send the bid the page showed, as a JSON object or TOML text in a string",
                ));
            }
        };
        if bid.hash != bid_hash {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "bid-changed",
                format!(
                    "the bid sent (`{}`) is not the one whose appraisal was shown (`{bid_hash}`); \
                     preview it again and record what it shows",
                    bid.hash
                ),
            ));
        }
        let a = crate::appraise(&st.checklist, &bid);
        let json = crate::render::json(&a);
        let n = st
            .audit
            .record(&a, &json, "page", who.as_deref())
            .map_err(ApiError::audit)?;
        Ok((
            [(header::LOCATION, format!("/api/appraisals/{n}"))],
            axum::Json(json!({ "audit": n, "reviewer": who, "appraisal": a })),
        )
            .into_response())
    })
    .await?
}

/// The `q` of a query string (the audit view's filter), decoded; at most 200 characters.
pub(crate) fn filter_of(query: Option<&str>) -> Result<String, ApiError> {
    let q = query
        .map(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "q")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        })
        .unwrap_or_default();
    if q.chars().count() > 200 {
        return Err(ApiError::bad_request(
            "the filter `q` is longer than 200 characters",
        ));
    }
    Ok(q)
}

/// The header of the audit log's CSV export.
const CSV_HEADER: [&str; 13] = [
    "n",
    "time",
    "reviewer",
    "bid_id",
    "title",
    "outcome",
    "total",
    "complete",
    "checklist",
    "version",
    "checklist_hash",
    "bid_hash",
    "via",
];

/// `GET /api/appraisals.csv?q=`: the entries the audit view shows for the filter, newest first,
/// as CSV (`text/csv`, UTF-8 with a byte-order mark, bid text neutralised).
pub(crate) async fn export_csv(
    S(state): Shared,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let filter = filter_of(query.as_deref())?;
    let by = deadline(&state);
    let bytes = evaluate(&state, by, move |st| {
        let entries = st.audit.all(&filter).map_err(ApiError::internal)?;
        let write = || -> std::io::Result<Vec<u8>> {
            let mut w = CsvWriter::new(Vec::new(), &CSV_HEADER)?;
            for e in &entries {
                w.row(&[
                    Cell::Count(usize::try_from(e.n).unwrap_or(0)),
                    Cell::Text(&e.time),
                    e.reviewer.as_deref().map_or(Cell::Empty, Cell::Text),
                    Cell::Text(&e.bid_id),
                    Cell::Text(&e.title),
                    Cell::Text(&e.outcome),
                    Cell::Score(e.total),
                    Cell::Flag(e.complete),
                    Cell::Text(&e.checklist),
                    Cell::Text(&e.version),
                    Cell::Text(&e.checklist_hash),
                    Cell::Text(&e.bid_hash),
                    Cell::Text(&e.via),
                ])?;
            }
            w.finish()
        };
        write().map_err(ApiError::internal)
    })
    .await??;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"audit-log.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}
