//! `stronger serve [--addr 127.0.0.1:8080] [--rules DIR] [--db FILE] [--user-header NAME]`

use super::{INVALID, OK, load_checklist};
use crate::serve::{Audit, Options, State};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// The address to listen on. Loopback by default: give another address to be reachable
    /// from other machines (the API has no authentication).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The checklist folder (default: the built-in "stronger" checklist).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// The audit database (SQLite), created if missing.
    #[arg(long, value_name = "FILE", default_value = crate::serve::DEFAULT_DB)]
    db: PathBuf,
    /// Largest request body, in bytes; larger gets 413.
    #[arg(long, value_name = "BYTES", default_value_t = Options::default().max_body)]
    max_body: usize,
    /// Time one request may take, in milliseconds (including waiting for a free slot).
    #[arg(long, value_name = "MS", default_value_t = Options::default().timeout.as_millis() as u64)]
    timeout_ms: u64,
    /// Appraisals running at once; further requests wait for a slot.
    #[arg(long, value_name = "N", default_value_t = Options::default().max_concurrent)]
    max_concurrent: usize,
    /// Requests in flight at once, of any kind but /healthz; more get 503 at once.
    #[arg(long, value_name = "N", default_value_t = Options::default().max_requests)]
    max_requests: usize,
    /// Time a request's body may take to arrive, in milliseconds; slower gets 408.
    #[arg(long, value_name = "MS", default_value_t = Options::default().body_timeout.as_millis() as u64)]
    body_timeout_ms: u64,
    /// Rules-playground runs at once (rule code nobody reviewed, on its own threads); more get 503.
    #[arg(long, value_name = "N", default_value_t = Options::default().max_playground)]
    max_playground: usize,
    /// Largest size of the audit log, in bytes; at it the server refuses to appraise (507) until
    /// the log is archived. It never deletes a record.
    #[arg(long, value_name = "BYTES", default_value_t = Options::default().max_audit_bytes)]
    max_audit_bytes: u64,
    /// The request header naming the reviewer, set by an authenticating proxy in front (e.g.
    /// `X-Remote-User`): stored with every recorded appraisal, and required on each request that
    /// records one. Only as trustworthy as the proxy: it must set the header itself and drop any
    /// a client sends.
    #[arg(long, value_name = "NAME", value_parser = header_name)]
    user_header: Option<String>,
}

/// A valid HTTP header name, lower-cased.
fn header_name(name: &str) -> Result<String, String> {
    axum::http::HeaderName::try_from(name)
        .map(|h| h.as_str().to_string())
        .map_err(|_| format!("`{name}` is not an HTTP header name (e.g. `X-Remote-User`)"))
}

pub(crate) fn run(args: Args) -> u8 {
    let checklist = match load_checklist(args.rules.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let audit = match Audit::open(&args.db) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return INVALID;
        }
    };
    let options = Options {
        max_body: args.max_body,
        timeout: Duration::from_millis(args.timeout_ms.max(1)),
        max_concurrent: args.max_concurrent.max(1),
        max_requests: args.max_requests.max(1),
        body_timeout: Duration::from_millis(args.body_timeout_ms.max(1)),
        max_playground: args.max_playground.max(1),
        max_audit_bytes: args.max_audit_bytes,
        user_header: args.user_header.clone(),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the server: {e}");
            return INVALID;
        }
    };
    let name = format!("{} {}", checklist.name(), checklist.version());
    let state = State::new(checklist, audit, options);
    runtime.block_on(async {
        let listener = match tokio::net::TcpListener::bind(args.addr).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!(
                    "error: cannot listen on {}: {}",
                    args.addr,
                    crate::proposal::io_reason(&e)
                );
                return INVALID;
            }
        };
        let addr = listener.local_addr().unwrap_or(args.addr);
        if !addr.ip().is_loopback() {
            eprintln!(
                "warning: listening on {addr}, reachable from other machines; the API has no authentication"
            );
            if let Some(h) = &args.user_header {
                eprintln!(
                    "warning: the reviewer of each recorded appraisal is whatever the `{h}` header says; \
                     anyone who can reach {addr} directly can set it, so only a proxy in front that \
                     authenticates people, sets `{h}` itself and drops any a client sends makes it true"
                );
            }
        }
        eprintln!(
            "stronger serve: http://{addr}/ (checklist {name}; audit log {})",
            args.db.display()
        );
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        match crate::serve::run(listener, state, shutdown).await {
            Ok(()) => OK,
            Err(e) => {
                eprintln!("error: the server stopped: {}", crate::proposal::io_reason(&e));
                INVALID
            }
        }
    })
}
