//! `stronger serve`: the JSON API, the web page and the audit log over HTTP (axum on tokio).
//! Only this module knows HTTP; it is a thin shell over the library, like `cli`.
//!
//! Requests never reach the file system: the checklist is loaded once at start, the example
//! bids the rules playground runs are built into the binary, and the only file the server
//! writes is the audit database named at start. Every request is bounded: body size (413),
//! the time its body may take to arrive (408), time (504, including waiting for a free
//! evaluation slot: 503) and concurrent evaluations. Evaluation runs off the async runtime, on
//! the evaluation pool, so a slow rule (which has its own deadline) holds a slot, never the
//! server; the rules playground, which runs rule code nobody reviewed, has its own slots and
//! its own pool. The audit log has a size limit: at it the server refuses to appraise (507).

mod api;
mod audit;
mod champion;
mod draft;
mod error;
mod page;
mod record;

pub use audit::{Audit, AuditError, Entry, RecordError};

use crate::checklist::Checklist;
use crate::proposal::Proposal;
use axum::Router;
use axum::routing::{get, post};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

static EXAMPLES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/examples");

/// Limits on every request. Defaults: PRODUCT.md.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Largest request body, in bytes (1 MiB); larger gets 413.
    pub max_body: usize,
    /// Time one request may take, including waiting for an evaluation slot (10 s).
    pub timeout: Duration,
    /// Time the body of a request may take to arrive (2 s; 408 beyond): a client sending it
    /// slowly holds a request slot no longer than this.
    pub body_timeout: Duration,
    /// Evaluations running at once (the rest wait, within `timeout`).
    pub max_concurrent: usize,
    /// Rules-playground runs at once (2; 503 beyond): arbitrary rule code, on its own slots and
    /// its own threads, so it cannot starve appraisals.
    pub max_playground: usize,
    /// Requests in flight at once, of any kind but `/healthz`; beyond it a request gets 503 at
    /// once (256).
    pub max_requests: usize,
    /// Largest size of the audit log, in bytes (1 GiB): at it the server refuses to appraise
    /// (507), since it cannot record; it never deletes a record.
    pub max_audit_bytes: u64,
    /// The request header that names the reviewer (`--user-header`), set by an authenticating
    /// proxy in front: stored with every recorded appraisal, and required on every request that
    /// records one (403 without it). It is only as trustworthy as that proxy.
    pub user_header: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_body: 1024 * 1024,
            timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(2),
            max_concurrent: 64,
            max_playground: 2,
            max_requests: 256,
            max_audit_bytes: 1024 * 1024 * 1024,
            user_header: None,
        }
    }
}

/// The audit database when `--db` is not given: in the working directory.
pub const DEFAULT_DB: &str = "stronger.sqlite";

/// An example bid the rules playground runs.
pub(crate) struct Example {
    pub file: String,
    pub proposal: Proposal,
}

/// Everything a request may use: shared, read-only but for the audit log.
pub struct State {
    pub(crate) checklist: Checklist,
    pub(crate) audit: Audit,
    pub(crate) options: Options,
    pub(crate) slots: Arc<tokio::sync::Semaphore>,
    /// The playground's own evaluation slots.
    pub(crate) playground_slots: Arc<tokio::sync::Semaphore>,
    pub(crate) in_flight: Arc<tokio::sync::Semaphore>,
    pub(crate) examples: Vec<Example>,
    /// The examples' appraisals by the checklist in force: the playground's "before", made on
    /// its first use (not at start: a slow checklist must not delay the server).
    pub(crate) before: std::sync::OnceLock<Vec<crate::appraisal::Appraisal>>,
    pub(crate) page: String,
}

impl State {
    /// The server's state: the checklist it appraises with, its audit log and its limits.
    pub fn new(checklist: Checklist, audit: Audit, options: Options) -> Arc<State> {
        let schema = checklist.schema();
        let limits = crate::limits::Limits::default();
        let mut files: Vec<_> = EXAMPLES.files().collect();
        files.sort_by(|a, b| a.path().cmp(b.path()));
        let examples: Vec<Example> = files
            .into_iter()
            .filter_map(|f| {
                let name = format!("examples/{}", f.path().display());
                let format = crate::proposal::Format::from_path(f.path())?;
                // The examples are tested bids; one that stopped parsing is left out, not fatal.
                let loaded = Proposal::parse(&name, f.contents(), format, schema, &limits).ok()?;
                Some(Example {
                    file: name,
                    proposal: loaded.proposal,
                })
            })
            .collect();
        Arc::new(State {
            page: page::page(&checklist),
            slots: Arc::new(tokio::sync::Semaphore::new(options.max_concurrent.max(1))),
            playground_slots: Arc::new(tokio::sync::Semaphore::new(options.max_playground.max(1))),
            in_flight: Arc::new(tokio::sync::Semaphore::new(options.max_requests.max(1))),
            checklist,
            audit: audit.limited(options.max_audit_bytes),
            options,
            examples,
            before: std::sync::OnceLock::new(),
        })
    }

    /// Appraises every example bid with `checklist`, on `threads` (the evaluation pool for
    /// the checklist in force, the playground's for an edited one).
    pub(crate) fn appraise_examples(
        &self,
        checklist: &Checklist,
        threads: crate::appraise::Threads,
    ) -> Vec<crate::appraisal::Appraisal> {
        crate::appraise::each_on(threads, &self.examples, |on, x| {
            on.appraise(checklist, &x.proposal)
        })
    }
}

/// Where and with what the server runs: `stronger serve`'s arguments.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: std::net::SocketAddr,
    pub db: PathBuf,
    pub options: Options,
}

/// Every route. Adding one is a line here and a handler in `api.rs` (or `champion.rs`).
/// `/healthz` is outside the in-flight limit, so it answers however busy the server is; every
/// error, a wrong method or a route that does not exist included, is JSON.
pub fn router(state: Arc<State>) -> Router {
    let limited = Router::new()
        .route("/", get(page::index))
        .route("/api/appraise", post(api::appraise))
        .route("/api/report", post(api::report))
        .route("/api/record", post(record::record))
        .route("/api/preview", post(draft::preview))
        .route("/api/preview/advise", post(draft::preview_advise))
        .route("/api/convert", post(draft::convert))
        .route("/api/patch", post(draft::patch))
        .route("/api/schema/proposal", get(draft::schema))
        .route("/api/playground", post(api::playground))
        .route("/api/advise", post(champion::advise))
        .route("/api/what-if", post(champion::what_if))
        .route("/api/compare", post(champion::compare))
        .route("/api/explain", post(champion::explain))
        .route("/api/checklist", get(api::checklist))
        .route("/api/rules", get(api::rules))
        .route("/api/rules/{id}", get(api::rule))
        .route("/api/appraisals", get(api::appraisals))
        .route("/api/appraisals.csv", get(record::export_csv))
        .route("/api/appraisals/{n}", get(api::appraisal))
        .fallback(api::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            api::limit_in_flight,
        ));
    Router::new()
        .route("/healthz", get(api::healthz))
        .merge(limited)
        .method_not_allowed_fallback(api::method_not_allowed)
        .with_state(state)
}

/// Serves `state` on `listener` until `shutdown` completes.
pub async fn run(
    listener: tokio::net::TcpListener,
    state: Arc<State>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
