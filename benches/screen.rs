//! Screening benchmarks: `cargo bench --bench screen`.
//!
//! - `screen/10k-end-to-end`: 10,000 bids (the example bids, repeated with new ids, as JSON
//!   Lines) read, validated, appraised with the default checklist and written, on all cores.
//! - `screen/10k-read-and-validate`: the floor — the same bids only read and validated.
//! - `cold-start/appraise-one-bid`: one `stronger appraise` of one bid, the whole process.

use criterion::{Criterion, criterion_group, criterion_main};
use std::io::Write;
use std::path::{Path, PathBuf};
use stronger::{Checklist, Limits};

/// The allocator the `stronger` binary uses (src/main.rs), so the benchmark measures what ships.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// 10,000 bids as JSON Lines: the examples, repeated, each with its own id.
fn generate(dir: &Path) -> PathBuf {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&examples)
        .expect("examples")
        .map(|e| e.expect("entry").path())
        // The example bids; the example decisions are in a folder of their own.
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let schema = stronger::ProposalSchema::builtin();
    let docs: Vec<serde_json::Value> = files
        .iter()
        .map(|f| {
            stronger::Proposal::load(f, schema, &Limits::default())
                .expect("example")
                .proposal
                .doc
        })
        .collect();
    let path = dir.join("round.jsonl");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    for i in 0..10_000 {
        let mut d = docs[i % docs.len()].clone();
        d["id"] = serde_json::Value::String(format!("GEN-{i:05}"));
        writeln!(out, "{d}").expect("write");
    }
    out.flush().expect("flush");
    path
}

fn screen(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let input = generate(tmp.path());
    let checklist = Checklist::builtin().expect("checklist");
    let mut group = c.benchmark_group("screen");
    group.sample_size(10);
    group.bench_function("10k-end-to-end", |b| {
        b.iter(|| {
            let out = tmp.path().join("out");
            let r = stronger::screen::screen(&checklist, std::slice::from_ref(&input), &out, &())
                .expect("screen");
            assert_eq!(r.appraised, 10_000);
        })
    });
    group.bench_function("10k-read-and-validate", |b| {
        b.iter(|| {
            let mut n = 0;
            stronger::batch::read_input(
                &input,
                checklist.schema(),
                &Limits::default(),
                &mut |item| {
                    let item = item.resolve(checklist.schema(), &Limits::default());
                    if item.bid.is_ok() {
                        n += 1;
                    }
                    true
                },
            );
            assert_eq!(n, 10_000);
        })
    });
    group.finish();
}

fn cold_start(c: &mut Criterion) {
    let bin = env!("CARGO_BIN_EXE_stronger");
    let bid =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/01-riverside-community-hub.toml");
    let mut group = c.benchmark_group("cold-start");
    group.sample_size(20);
    group.bench_function("appraise-one-bid", |b| {
        b.iter(|| {
            let out = std::process::Command::new(bin)
                .args(["appraise", bid.to_str().expect("path"), "--format", "json"])
                .output()
                .expect("run");
            assert!(out.status.success());
        })
    });
    group.finish();
}

criterion_group!(benches, screen, cold_start);
criterion_main!(benches);
