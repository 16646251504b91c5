//! A bounded load test of `stronger serve` on loopback: 10,000 `POST /api/appraise` of an
//! example bid from 32 concurrent clients (keep-alive connections), against an in-process
//! server with the default limits and a throwaway audit database. Prints errors, requests/s and
//! p50/p99 latency. Not a timed test: `cargo bench --bench load` (REQUESTS and CLIENTS in the
//! environment change the load).

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use stronger::serve::{Audit, Options, State};

/// The allocator the `stronger` binary uses (src/main.rs), so the benchmark measures what ships.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; there is nothing to filter.
    let requests = env("REQUESTS", 10_000);
    let clients = env("CLIENTS", 32);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let dir = tempfile::tempdir().unwrap();
        let state = State::new(
            stronger::Checklist::builtin().unwrap(),
            Audit::open(&dir.path().join("load.sqlite")).unwrap(),
            Options::default(),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(stronger::serve::run(listener, state, std::future::pending()));

        let bid = Bytes::from(
            std::fs::read(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/examples/01-riverside-community-hub.toml"
            ))
            .unwrap(),
        );
        let next = Arc::new(AtomicUsize::new(0));
        let started = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..clients {
            let (next, bid) = (next.clone(), bid.clone());
            tasks.push(tokio::spawn(async move {
                let client: Client<HttpConnector, Full<Bytes>> =
                    Client::builder(TokioExecutor::new()).build(HttpConnector::new());
                let mut latencies = Vec::new();
                let mut errors = 0usize;
                while next.fetch_add(1, Ordering::Relaxed) < requests {
                    let req = hyper::Request::post(format!("http://{addr}/api/appraise"))
                        .header("content-type", "application/toml")
                        .body(Full::new(bid.clone()))
                        .unwrap();
                    let t = Instant::now();
                    match client.request(req).await {
                        Ok(res) => {
                            let ok = res.status() == 200;
                            let body = res.into_body().collect().await;
                            if !ok || body.is_err() {
                                errors += 1;
                            }
                        }
                        Err(_) => errors += 1,
                    }
                    latencies.push(t.elapsed());
                }
                (latencies, errors)
            }));
        }
        let mut latencies: Vec<Duration> = Vec::with_capacity(requests);
        let mut errors = 0;
        for t in tasks {
            let (l, e) = t.await.unwrap();
            latencies.extend(l);
            errors += e;
        }
        let elapsed = started.elapsed();
        latencies.sort();
        let pct = |p: f64| {
            let i = ((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1);
            latencies[i.min(latencies.len() - 1)].as_secs_f64() * 1000.0
        };
        println!(
            "load: {} requests from {clients} clients in {:.2} s: {errors} errors, {:.0} requests/s, p50 {:.1} ms, p99 {:.1} ms",
            latencies.len(),
            elapsed.as_secs_f64(),
            latencies.len() as f64 / elapsed.as_secs_f64(),
            pct(0.50),
            pct(0.99),
        );
        assert_eq!(errors, 0, "some requests failed");
    });
}
