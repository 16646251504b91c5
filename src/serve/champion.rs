//! The champion's routes: `POST /api/advise`, `/api/what-if`, `/api/compare` and `/api/explain`.
//! Each answers the JSON the CLI writes with `--format json`, and records every appraisal it
//! makes in the audit log (`via` names the route), with the reviewer (`--user-header`).

use super::State;
use super::api::{Shared, body, deadline, evaluate, format_of, parse_named, with_bid};
use super::error::ApiError;
use super::record::reviewer;
use crate::appraisal::Appraisal;
use crate::proposal::{Format, Proposal};
use axum::body::Body;
use axum::extract::{RawQuery, State as S};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// A JSON answer, as one line like the CLI's.
fn json_response<T: serde::Serialize>(value: &T) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        crate::render::json_line(value),
    )
        .into_response()
}

fn record(st: &State, a: &Appraisal, via: &str, who: Option<&str>) -> Result<i64, ApiError> {
    st.audit
        .record(a, &crate::render::json(a), via, who)
        .map_err(ApiError::audit)
}

/// The values of `key` in a query string, decoded, in order.
fn query_values(query: &Option<String>, key: &str) -> Vec<String> {
    query
        .as_deref()
        .map(|q| {
            form_urlencoded::parse(q.as_bytes())
                .filter(|(k, _)| k == key)
                .map(|(_, v)| v.into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// `POST /api/advise`: a bid → verified advice (`stronger advise --format json`).
pub(crate) async fn advise(
    S(state): Shared,
    headers: HeaderMap,
    raw: Body,
) -> Result<Response, ApiError> {
    let who = reviewer(&state, &headers)?;
    with_bid(&state, &headers, raw, move |st, bid| {
        let (report, a) = crate::advise::advise_appraised(
            &st.checklist,
            &bid,
            crate::advise::AdviseOptions::default(),
        );
        record(st, &a, "advise", who.as_deref())?;
        Ok(json_response(&report))
    })
    .await
}

/// `POST /api/what-if?set=PATH=VALUE&set=…&unset=PATH`: a bid and changes → what changed
/// (`stronger what-if --format json`). A change that names no field or has the wrong type is a
/// 400 naming it; a change that breaks the schema is a 422 with the located problems.
pub(crate) async fn what_if(
    S(state): Shared,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    raw: Body,
) -> Result<Response, ApiError> {
    let set = query_values(&query, "set");
    let unset = query_values(&query, "unset");
    if set.is_empty() && unset.is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "no-changes",
            "no changes: give at least one `set=PATH=VALUE` or `unset=PATH` in the query, e.g. `/api/what-if?set=volunteering.training=true`",
        ));
    }
    let who = reviewer(&state, &headers)?;
    with_bid(&state, &headers, raw, move |st, bid| {
        let bad = |e: crate::PatchError| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad-change",
                format!("`{}`: {}", e.path, e.message),
            )
        };
        let patch =
            crate::Patch::from_args(st.checklist.schema().fields(), &set, &unset).map_err(bad)?;
        let result = match crate::whatif::what_if(&st.checklist, &bid, &patch) {
            Ok(r) => r,
            Err(crate::whatif::ChangeError::Patch(e)) => return Err(bad(e)),
            Err(crate::whatif::ChangeError::Invalid(e)) => {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid-change",
                    "with these changes the bid breaks the proposal schema",
                )
                .with(e.diagnostics));
            }
        };
        record(st, &result.before, "what-if", who.as_deref())?;
        record(st, &result.after, "what-if", who.as_deref())?;
        let (set, unset) = patch.to_args();
        Ok(json_response(&crate::whatif::WhatIfJson {
            set: &set,
            unset: &unset,
            delta: &result.delta,
        }))
    })
    .await
}

/// `POST /api/compare` with `{"old": BID, "new": BID}` (each a JSON bid, or TOML text in a
/// string) → the comparison (`stronger compare --format json`).
pub(crate) async fn compare(
    S(state): Shared,
    headers: HeaderMap,
    raw: Body,
) -> Result<Response, ApiError> {
    let by = deadline(&state);
    if format_of(&headers)? != Format::Json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "send the two bids as `application/json`: {\"old\": …, \"new\": …}, each a JSON bid or TOML text in a string",
        ));
    }
    let who = reviewer(&state, &headers)?;
    let bytes = body(&state, &headers, raw, by).await?;
    evaluate(&state, by, move |st| {
        // Parsed like a JSON bid: a key given twice (in the request or in either bid) is
        // refused with its line and column, never read as the last one.
        let unparseable = |diagnostics| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "unparseable",
                "the request is not JSON",
            )
            .with(diagnostics)
        };
        let text = String::from_utf8_lossy(&bytes);
        let doc: Value = crate::proposal::read::parse_json("request.json", &text)
            .map_err(|e| unparseable(e.diagnostics))?;
        let side = |key: &str| -> Result<Proposal, ApiError> {
            match doc.get(key) {
                Some(Value::String(toml)) => {
                    parse_named(st, &format!("{key}.toml"), toml.as_bytes(), Format::Toml)
                }
                Some(v @ Value::Object(_)) => {
                    let text = serde_json::to_vec_pretty(v).unwrap_or_default();
                    parse_named(st, &format!("{key}.json"), &text, Format::Json)
                }
                _ => Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "bad-request",
                    format!(
                        "`{key}` is missing: send {{\"old\": …, \"new\": …}}, each a JSON bid or TOML text in a string"
                    ),
                )),
            }
        };
        let (old, new) = (side("old")?, side("new")?);
        let before = crate::appraise(&st.checklist, &old);
        let after = crate::appraise(&st.checklist, &new);
        record(st, &before, "compare", who.as_deref())?;
        record(st, &after, "compare", who.as_deref())?;
        Ok(json_response(&crate::delta::delta(
            &st.checklist,
            &before,
            &after,
        )))
    })
    .await?
}

/// `POST /api/explain?rule=ID&indicator=ID`: a bid → the trace (`stronger explain --format
/// json`). An unknown rule or indicator is a 400 with a suggestion.
pub(crate) async fn explain(
    S(state): Shared,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    raw: Body,
) -> Result<Response, ApiError> {
    let rule = query_values(&query, "rule").into_iter().next();
    let indicator = query_values(&query, "indicator").into_iter().next();
    let options = crate::explain::ExplainOptions { rule, indicator };
    if let Err(e) = options.check(&state.checklist) {
        return Err(ApiError::bad_request(e.to_string()));
    }
    let who = reviewer(&state, &headers)?;
    with_bid(&state, &headers, raw, move |st, bid| {
        let (e, a) = crate::explain::explain_appraised(&st.checklist, &bid, &options);
        record(st, &a, "explain", who.as_deref())?;
        Ok(json_response(&e))
    })
    .await
}
