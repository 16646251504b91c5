//! What the web page needs while a bid is being written, none of which records anything: the
//! proposal schema the page builds its form from (`GET /api/schema/proposal`), a bid converted
//! between TOML and JSON (`POST /api/convert`), a change applied as `what-if` applies it
//! (`POST /api/patch`, for the advice's "Apply"), and the live preview of the appraisal and of
//! the verified advice (`POST /api/preview`, `POST /api/preview/advise`). A preview is not a
//! record: an appraisal is recorded when someone asks for it (`record.rs`).

use super::State;
use super::api::{Shared, body, deadline, evaluate, format_of, with_bid};
use super::error::ApiError;
use crate::proposal::{Format, read};
use axum::Json;
use axum::body::Body;
use axum::extract::{RawQuery, State as S};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

/// `GET /api/schema/proposal`: the proposal schema bids are checked against, as built in.
pub(crate) async fn schema(S(state): Shared) -> Response {
    (
        [(header::CONTENT_TYPE, "application/schema+json")],
        state.checklist.schema().text().to_string(),
    )
        .into_response()
}

/// The bid in the body, parsed (TOML or JSON by `Content-Type`) but not checked against the
/// schema: a draft may break it, and the preview says where.
async fn parsed(state: &Arc<State>, headers: &HeaderMap, raw: Body) -> Result<Value, ApiError> {
    let by = deadline(state);
    let format = format_of(headers)?;
    let bytes = body(state, headers, raw, by).await?;
    evaluate(state, by, move |_| {
        let limits = crate::limits::Limits::default();
        let name = match format {
            Format::Toml => "bid.toml",
            Format::Json => "bid.json",
        };
        let unparseable = |e: crate::proposal::ProposalError| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "unparseable",
                "the bid cannot be parsed",
            )
            .with(e.diagnostics)
        };
        let text = read::check_text(name, &bytes, &limits).map_err(unparseable)?;
        match format {
            Format::Toml => read::parse_toml(name, text),
            Format::Json => read::parse_json(name, text),
        }
        .map_err(unparseable)
    })
    .await?
}

/// `POST /api/convert?to=toml|json`: a bid (TOML or JSON) → `{"bid": JSON, "text": the bid in
/// the other format}`. Only parsed, never appraised or recorded. A bid TOML cannot hold (a
/// `null`) is a 422 saying so.
pub(crate) async fn convert(
    S(state): Shared,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    raw: Body,
) -> Result<Json<Value>, ApiError> {
    let to = query
        .as_deref()
        .and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "to")
                .map(|(_, v)| v.into_owned())
        })
        .unwrap_or_default();
    if to != "toml" && to != "json" {
        return Err(ApiError::bad_request(format!(
            "`to` must be `toml` or `json`, not `{to}`"
        )));
    }
    let doc = parsed(&state, &headers, raw).await?;
    let text = if to == "toml" {
        toml::to_string(&doc).map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "not-toml",
                format!("the bid cannot be written as TOML: {e}"),
            )
        })?
    } else {
        serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
    };
    Ok(Json(json!({ "bid": doc, "text": text })))
}

/// The `set` and `unset` values of a query string, decoded, in order.
fn changes(query: Option<&str>) -> (Vec<String>, Vec<String>) {
    let mut set = Vec::new();
    let mut unset = Vec::new();
    for (k, v) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match k.as_ref() {
            "set" => set.push(v.into_owned()),
            "unset" => unset.push(v.into_owned()),
            _ => {}
        }
    }
    (set, unset)
}

/// `POST /api/patch?set=PATH=VALUE&unset=PATH`: a bid and changes → `{"bid": the bid with the
/// changes applied}`, exactly as `what-if` and verified advice apply them. Not appraised, not
/// recorded: the page applies a suggestion with it, then previews the result.
pub(crate) async fn patch(
    S(state): Shared,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    raw: Body,
) -> Result<Json<Value>, ApiError> {
    let (set, unset) = changes(query.as_deref());
    if set.is_empty() && unset.is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "no-changes",
            "no changes: give at least one `set=PATH=VALUE` or `unset=PATH` in the query",
        ));
    }
    let fields = state.checklist.schema().fields();
    let bad = |e: crate::PatchError| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad-change",
            format!("`{}`: {}", e.path, e.message),
        )
    };
    let patch = crate::Patch::from_args(fields, &set, &unset).map_err(bad)?;
    let doc = parsed(&state, &headers, raw).await?;
    let doc = patch.apply(&doc, fields).map_err(bad)?;
    Ok(Json(json!({ "bid": doc })))
}

/// `POST /api/preview`: a bid → `{"recorded": false, "appraisal", "html", "checklist_hash"}`,
/// the page's live view. Nothing is recorded; the page records on request what it showed.
pub(crate) async fn preview(
    S(state): Shared,
    headers: HeaderMap,
    raw: Body,
) -> Result<Json<Value>, ApiError> {
    with_bid(&state, &headers, raw, |st, bid| {
        let a = crate::appraise(&st.checklist, &bid);
        let html = crate::render::html_section(&a, &st.checklist);
        Ok(Json(json!({
            "recorded": false,
            "checklist_hash": st.checklist.hash(),
            "appraisal": a,
            "html": html,
        })))
    })
    .await
}

/// `POST /api/preview/advise`: a bid → verified advice (as `POST /api/advise`), for the page's
/// preview: nothing is recorded.
pub(crate) async fn preview_advise(
    S(state): Shared,
    headers: HeaderMap,
    raw: Body,
) -> Result<Response, ApiError> {
    with_bid(&state, &headers, raw, |st, bid| {
        let (report, _) = crate::advise::advise_appraised(
            &st.checklist,
            &bid,
            crate::advise::AdviseOptions::default(),
        );
        Ok((
            [(header::CONTENT_TYPE, "application/json")],
            crate::render::json_line(&report),
        )
            .into_response())
    })
    .await
}
