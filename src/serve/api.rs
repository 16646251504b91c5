//! The JSON API's handlers. Each reads its input within the request's limits, evaluates off the
//! async runtime, and answers JSON — errors included (`error.rs`). A route over one bid is a
//! handler around [`with_bid`]; other bodies use [`body`] and [`evaluate`] the same way.

use super::State;
use super::error::ApiError;
use crate::appraisal::Appraisal;
use crate::appraise::Threads;
use crate::proposal::{Format, Proposal, ProposalError, read};
use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State as S};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;
use tokio::time::Instant;

pub(super) type Shared = S<Arc<State>>;

/// When the request must be answered by.
pub(super) fn deadline(state: &State) -> Instant {
    Instant::now() + state.options.timeout
}

/// The body, at most `max_body` bytes (413 beyond), read within the request's time.
pub(super) async fn body(
    state: &State,
    headers: &HeaderMap,
    body: Body,
    by: Instant,
) -> Result<Bytes, ApiError> {
    let max = state.options.max_body;
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            format!("the request body is larger than the server's limit of {max} bytes"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    // The body has its own, shorter, time: a client sending it a byte at a time holds a
    // request slot no longer than that.
    let body_by = by.min(Instant::now() + state.options.body_timeout);
    if declared.is_some_and(|n| n > max as u64) {
        // Read (and drop) a little of it first, within its time, so a client still sending
        // gets the 413 rather than a closed connection.
        let drain = axum::body::to_bytes(body, max.saturating_mul(2));
        let _ = tokio::time::timeout_at(body_by, drain).await;
        return Err(too_large());
    }
    match tokio::time::timeout_at(body_by, axum::body::to_bytes(body, max)).await {
        Err(_) if body_by < by => Err(ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "body-timeout",
            format!(
                "the request body did not arrive within the server's limit of {} ms",
                state.options.body_timeout.as_millis()
            ),
        )),
        Err(_) => Err(timed_out(state)),
        Ok(Ok(b)) => Ok(b),
        Ok(Err(e)) => {
            let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
            while let Some(s) = source {
                if s.is::<http_body_util::LengthLimitError>() {
                    return Err(too_large());
                }
                source = s.source();
            }
            Err(ApiError::bad_request(format!(
                "cannot read the request body: {e}"
            )))
        }
    }
}

fn timed_out(state: &State) -> ApiError {
    ApiError::new(
        StatusCode::GATEWAY_TIMEOUT,
        "timeout",
        format!(
            "the request took longer than the server's limit of {} ms",
            state.options.timeout.as_millis()
        ),
    )
}

/// Runs `work` on a blocking thread once an evaluation slot is free, within the deadline: 503
/// if no slot frees in time, 504 if the work does not finish in time (the rules' own deadlines
/// stop it soon after), 500 if it panicked.
pub(super) async fn evaluate<T: Send + 'static>(
    state: &Arc<State>,
    by: Instant,
    work: impl FnOnce(&State) -> T + Send + 'static,
) -> Result<T, ApiError> {
    let busy = format!(
        "the server is busy: {} appraisals are running; try again shortly",
        state.options.max_concurrent
    );
    evaluate_on(state, &state.slots, busy, by, work).await
}

/// [`evaluate`] on the given slots, with `busy` as the message when none frees in time.
async fn evaluate_on<T: Send + 'static>(
    state: &Arc<State>,
    slots: &Arc<tokio::sync::Semaphore>,
    busy: String,
    by: Instant,
    work: impl FnOnce(&State) -> T + Send + 'static,
) -> Result<T, ApiError> {
    let permit = match tokio::time::timeout_at(by, slots.clone().acquire_owned()).await {
        Ok(Ok(p)) => p,
        _ => return Err(ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "busy", busy)),
    };
    let st = state.clone();
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work(&st)
    });
    match tokio::time::timeout_at(by, task).await {
        Err(_) => Err(timed_out(state)),
        Ok(Err(_)) => Err(ApiError::internal(
            "the appraisal failed unexpectedly; the server is still running",
        )),
        Ok(Ok(v)) => Ok(v),
    }
}

/// The bid's format from `Content-Type`: `application/toml` or `application/json`.
pub(super) fn format_of(headers: &HeaderMap) -> Result<Format, ApiError> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match mime.as_str() {
        "application/toml" => Ok(Format::Toml),
        "application/json" => Ok(Format::Json),
        _ => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            if ct.is_empty() {
                "the request has no `Content-Type`; send a bid as `application/toml` or `application/json`".to_string()
            } else {
                format!(
                    "cannot read a bid sent as `{ct}`; send `application/toml` or `application/json`"
                )
            },
        )),
    }
}

/// Parses and validates a bid: 400 if it cannot be parsed, 422 if it breaks the schema.
pub(super) fn parse_bid(state: &State, bytes: &[u8], format: Format) -> Result<Proposal, ApiError> {
    let name = match format {
        Format::Toml => "bid.toml",
        Format::Json => "bid.json",
    };
    parse_named(state, name, bytes, format)
}

/// [`parse_bid`], with the name diagnostics give the bid (`old.toml` in a comparison).
pub(super) fn parse_named(
    state: &State,
    name: &str,
    bytes: &[u8],
    format: Format,
) -> Result<Proposal, ApiError> {
    let limits = crate::limits::Limits::default();
    let unparseable = |e: ProposalError| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "unparseable",
            "the bid cannot be parsed",
        )
        .with(e.diagnostics)
    };
    let text = read::check_text(name, bytes, &limits).map_err(unparseable)?;
    let doc = match format {
        Format::Toml => read::parse_toml(name, text),
        Format::Json => read::parse_json(name, text),
    }
    .map_err(unparseable)?;
    Proposal::from_value(name, doc, Some((text, format)), state.checklist.schema())
        .map(|l| l.proposal)
        .map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-bid",
                "the bid does not follow the proposal schema",
            )
            .with(e.diagnostics)
        })
}

/// The building block of every route that takes one bid: reads the body within the limits,
/// parses and validates the bid (400/415/422), then runs `work` on it off the async runtime
/// (503/504). A new route over one bid (e.g. `/api/advise`) is this plus what `work` does.
pub(crate) async fn with_bid<T: Send + 'static>(
    state: &Arc<State>,
    headers: &HeaderMap,
    raw: Body,
    work: impl FnOnce(&State, Proposal) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let by = deadline(state);
    let format = format_of(headers)?;
    let bytes = body(state, headers, raw, by).await?;
    evaluate(state, by, move |st| {
        let bid = parse_bid(st, &bytes, format)?;
        work(st, bid)
    })
    .await?
}

/// Reads, appraises and records one bid: the entry number, the appraisal and its JSON.
async fn appraise_bid(
    state: &Arc<State>,
    headers: &HeaderMap,
    raw: Body,
    via: &'static str,
) -> Result<(i64, Appraisal, String), ApiError> {
    let who = super::record::reviewer(state, headers)?;
    with_bid(state, headers, raw, move |st, bid| {
        let a = crate::appraise(&st.checklist, &bid);
        let json = crate::render::json(&a);
        let n = st
            .audit
            .record(&a, &json, via, who.as_deref())
            .map_err(ApiError::audit)?;
        Ok((n, a, json))
    })
    .await
}

/// `POST /api/appraise`: a bid (TOML or JSON) → the appraisal JSON the CLI writes.
pub(crate) async fn appraise(
    S(state): Shared,
    headers: HeaderMap,
    raw: Body,
) -> Result<Response, ApiError> {
    let (n, _, json) = appraise_bid(&state, &headers, raw, "api").await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (header::LOCATION, format!("/api/appraisals/{n}")),
        ],
        json,
    )
        .into_response())
}

/// `POST /api/report`: a bid → the appraisal and its HTML report section, for the web page.
pub(crate) async fn report(
    S(state): Shared,
    headers: HeaderMap,
    raw: Body,
) -> Result<Response, ApiError> {
    let (n, a, _) = appraise_bid(&state, &headers, raw, "page").await?;
    let html = crate::render::html_section(&a, &state.checklist);
    Ok(Json(json!({ "audit": n, "appraisal": a, "html": html })).into_response())
}

/// `GET /healthz`.
pub(crate) async fn healthz(S(state): Shared) -> Json<Value> {
    let c = &state.checklist;
    Json(json!({
        "status": "ok",
        "engine": crate::ENGINE,
        "checklist": c.name(),
        "version": c.version(),
        "hash": c.hash(),
    }))
}

/// `GET /api/checklist`: the checklist in force — indicators, themes, bands, outcomes, rules.
pub(crate) async fn checklist(S(state): Shared) -> Json<Value> {
    let c = &state.checklist;
    let cfg = &c.config;
    Json(json!({
        "name": c.name(),
        "version": c.version(),
        "title": c.title(),
        "description": c.description(),
        "hash": c.hash(),
        "layers": c.layers(),
        "indicators": cfg.indicators,
        "themes": cfg.themes,
        "bands": cfg.bands,
        "outcomes": cfg.screening.outcomes.iter().map(|o| json!({"id": o.id, "label": o.label})).collect::<Vec<_>>(),
        "incomplete": cfg.screening.incomplete,
        "rules": c.rules.iter().map(|r| r.meta.id.as_str()).collect::<Vec<_>>(),
    }))
}

fn rule_json(r: &crate::checklist::Rule) -> Value {
    let mut v = serde_json::to_value(&r.meta).unwrap_or_else(|_| json!({}));
    if let Some(o) = v.as_object_mut() {
        o.insert("weight".into(), json!(r.weight));
        o.insert("own_weight".into(), json!(r.meta.weight));
        o.insert("file".into(), json!(r.shown));
    }
    v
}

/// `GET /api/rules`: every rule in force, in checklist order.
pub(crate) async fn rules(S(state): Shared) -> Json<Value> {
    Json(Value::Array(
        state.checklist.rules.iter().map(rule_json).collect(),
    ))
}

/// `GET /api/rules/{id}`: one rule with its source.
pub(crate) async fn rule(
    S(state): Shared,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let c = &state.checklist;
    let r = c
        .rules
        .iter()
        .find(|r| r.meta.id == id)
        .ok_or_else(|| ApiError::not_found(format!("the checklist has no rule `{id}`")))?;
    let mut v = rule_json(r);
    if let (Some(o), Some((_, src))) = (v.as_object_mut(), c.rule_source(&id)) {
        o.insert("source".into(), json!(src));
    }
    Ok(Json(v))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaygroundRequest {
    rule_id: String,
    source: String,
}

fn outcome_of(a: &Appraisal, rule: &str) -> Value {
    let status = a
        .checklist
        .iter()
        .find(|i| i.rule == rule)
        .map(|i| i.status.as_str());
    json!({ "outcome": a.outcome, "total": a.total, "complete": a.complete, "status": status })
}

/// `POST /api/playground` `{"rule_id", "source"}` (`application/json` only: a form or plain-text
/// POST from another web page must not reach rule code): the example bids before and after the
/// rule is replaced by `source`, in memory (nothing is written, nothing is recorded). The edited
/// checklist runs on the playground's own slots and threads.
pub(crate) async fn playground(
    S(state): Shared,
    headers: HeaderMap,
    raw: Body,
) -> Result<Json<Value>, ApiError> {
    let by = deadline(&state);
    if !matches!(format_of(&headers), Ok(Format::Json)) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "send the edited rule as `application/json`: {\"rule_id\": \"…\", \"source\": \"…\"}",
        ));
    }
    let bytes = body(&state, &headers, raw, by).await?;
    let req: PlaygroundRequest = serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::bad_request(format!(
            "the request must be JSON `{{\"rule_id\": \"…\", \"source\": \"…\"}}`: {e}"
        ))
    })?;
    let busy = format!(
        "the rules playground is busy: {} edits are being tried; try again shortly",
        state.options.max_playground
    );
    let slots = state.playground_slots.clone();
    evaluate_on(&state, &slots, busy, by, move |st| try_edit(st, &req)).await?
}

/// The examples before and after the edit in `req`.
fn try_edit(st: &State, req: &PlaygroundRequest) -> Result<Json<Value>, ApiError> {
    let c = st
        .checklist
        .with_rule_replaced(&req.rule_id, &req.source)
        .map_err(|e| {
            let known = st
                .checklist
                .all_rules
                .iter()
                .any(|r| r.meta.id == req.rule_id);
            let status = if known {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::NOT_FOUND
            };
            ApiError::new(status, "invalid-rule", "the edited rule cannot be used")
                .with(e.into_diagnostics())
        })?;
    let befores = st
        .before
        .get_or_init(|| st.appraise_examples(&st.checklist, Threads::Bids));
    let afters = st.appraise_examples(&c, Threads::Playground);
    let bids: Vec<Value> = st
        .examples
        .iter()
        .zip(befores.iter().zip(&afters))
        .map(|(x, (before, after))| {
            let errors: Vec<Value> = after
                .errors
                .iter()
                .filter(|e| e.rule == req.rule_id)
                .map(|e| json!({"location": e.location(), "message": e.message}))
                .collect();
            json!({
                "id": x.proposal.id,
                "title": x.proposal.title,
                "file": x.file,
                "before": outcome_of(before, &req.rule_id),
                "after": outcome_of(after, &req.rule_id),
                "changed": outcome_of(before, &req.rule_id) != outcome_of(after, &req.rule_id),
                "errors": errors,
            })
        })
        .collect();
    Ok(Json(json!({
        "rule": req.rule_id,
        "checklist_hash": c.hash(),
        "changed": bids.iter().filter(|b| b["changed"] == json!(true)).count(),
        "bids": bids,
    })))
}

/// Most entries one page of the audit log may hold.
const MAX_PER_PAGE: u32 = 100;

fn query_number(query: &str, key: &str, default: u32, max: u32) -> Result<u32, ApiError> {
    let Some(raw) = query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
    else {
        return Ok(default);
    };
    match raw.parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(ApiError::bad_request(format!(
            "`{key}` must be a whole number from 1 to {max}, not `{raw}`"
        ))),
    }
}

/// `GET /api/appraisals?page=&per_page=&q=`: the audit log, newest first; with `q`, only the
/// entries whose bid id, title, reviewer, outcome or checklist version contain it.
pub(crate) async fn appraisals(
    S(state): Shared,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let filter = super::record::filter_of(query.as_deref())?;
    let query = query.unwrap_or_default();
    let page = query_number(&query, "page", 1, u32::MAX)?;
    let per_page = query_number(&query, "per_page", 20, MAX_PER_PAGE)?;
    let by = deadline(&state);
    evaluate(&state, by, move |st| {
        let total = st.audit.count(&filter).map_err(ApiError::internal)?;
        let items = st
            .audit
            .list(page, per_page, &filter)
            .map_err(ApiError::internal)?;
        Ok(Json(json!({
            "page": page,
            "per_page": per_page,
            "q": filter,
            "total": total,
            "items": items,
        })))
    })
    .await?
}

/// `GET /api/appraisals/{n}`: one entry with the full appraisal as recorded.
pub(crate) async fn appraisal(
    S(state): Shared,
    Path(n): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let n: i64 = n
        .parse()
        .map_err(|_| ApiError::bad_request(format!("`{n}` is not an entry number")))?;
    let by = deadline(&state);
    evaluate(&state, by, move |st| {
        let (entry, appraisal) = st
            .audit
            .get(n)
            .map_err(ApiError::internal)?
            .ok_or_else(|| ApiError::not_found(format!("the audit log has no entry {n}")))?;
        let mut v = serde_json::to_value(entry).unwrap_or_else(|_| json!({}));
        if let Some(o) = v.as_object_mut() {
            o.insert("appraisal".into(), appraisal);
        }
        Ok(Json(v))
    })
    .await?
}

/// Every request: at most `max_requests` in flight; beyond that, 503 at once rather than a
/// queue that grows without bound.
pub(crate) async fn limit_in_flight(
    S(state): Shared,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    match state.in_flight.clone().try_acquire_owned() {
        Ok(_permit) => next.run(request).await,
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            format!(
                "the server is busy: {} requests are in flight; try again shortly",
                state.options.max_requests
            ),
        )
        .into_response(),
    }
}

/// Anything else.
pub(crate) async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!("no such route: `{}`", uri.path()))
}

/// A route asked with a method it does not take: 405, as JSON like every other error.
pub(crate) async fn method_not_allowed(
    method: axum::http::Method,
    uri: axum::http::Uri,
) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method-not-allowed",
        format!("`{}` does not take `{method}`", uri.path()),
    )
}
