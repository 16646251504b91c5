//! Engine benchmarks: `cargo bench --bench engine`.
//!
//! - `appraise/<example>`: the whole default checklist over one example bid, one core.
//! - `advise/<example>`: verified advice for one bid: every suggestion re-appraised, and the
//!   search for the next outcome step (EX-02 spends the whole search budget; EX-05 stops at once).
//! - `runaway/*`: how long a runaway rule takes to be stopped (loop by operation budget, loop by
//!   deadline, unbounded recursion), with the checklist's default limits.

use criterion::{Criterion, criterion_group, criterion_main};
use std::path::Path;
use stronger::{Checklist, Limits, Proposal};

/// An example bid from `examples/`.
fn example(checklist: &Checklist, name: &str) -> Proposal {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    Proposal::load(&path, checklist.schema(), &Limits::default())
        .expect("bid")
        .proposal
}

fn appraise(c: &mut Criterion) {
    let checklist = Checklist::builtin().expect("built-in checklist");
    let mut group = c.benchmark_group("appraise");
    for name in [
        "01-riverside-community-hub.toml",
        "03-mill-lane-benches.toml",
        "10-eastgate-youth-sports.json",
    ] {
        let bid = example(&checklist, name);
        group.bench_function(name, |b| b.iter(|| checklist.appraise(&bid)));
    }
    group.finish();
}

/// The test checklist the integration tests and the fuzz targets use.
const CONFIG: &str = include_str!("../tests/data/test-checklist/checklist.toml");

fn runaway_checklist(body: &str, limits: &str) -> (tempfile::TempDir, Checklist) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("checklist.toml"),
        format!("{CONFIG}{limits}"),
    )
    .expect("write");
    std::fs::create_dir_all(dir.path().join("volunteering")).expect("mkdir");
    let rule = format!(
        "const META = #{{ id: \"BAD-01\", title: \"t\", theme: \"volunteering\", indicators: [\"NI6\"], weight: 1.0, question: \"q\", rationale: \"r\" }};\nfn appraise(bid) {{\n{body}\n}}\nfn down(n) {{ down(n + 1) }}\n"
    );
    std::fs::write(dir.path().join("volunteering/BAD-01.rhai"), rule).expect("write");
    let checklist = Checklist::load(dir.path()).expect("checklist");
    (dir, checklist)
}

fn runaway(c: &mut Criterion) {
    let bid = Proposal::parse(
        "bid.toml",
        b"id = \"B\"\ntitle = \"t\"\n[funding]\namount_requested = 1\n",
        stronger::Format::Toml,
        stronger::ProposalSchema::builtin(),
        &Limits::default(),
    )
    .expect("bid")
    .proposal;
    let mut group = c.benchmark_group("runaway");
    group.sample_size(20);
    for (name, body, limits) in [
        ("loop-stopped-by-operation-budget", "loop { }", ""),
        (
            "loop-stopped-by-deadline",
            "let x = 0; loop { x += 1; }",
            "[limits]\nrule_operations = 1000000000000\n",
        ),
        ("unbounded-recursion", "down(0);", ""),
    ] {
        let (_dir, checklist) = runaway_checklist(body, limits);
        group.bench_function(name, |b| {
            b.iter(|| {
                let a = checklist.appraise(&bid);
                assert!(!a.complete);
            })
        });
    }
    group.finish();
}

fn advise(c: &mut Criterion) {
    let checklist = Checklist::builtin().expect("built-in checklist");
    let mut group = c.benchmark_group("advise");
    group.sample_size(10);
    for name in [
        "02-harbour-street-shopfront.toml",
        "05-ashgrove-peoples-budget.toml",
    ] {
        let bid = example(&checklist, name);
        group.bench_function(name, |b| {
            b.iter(|| {
                stronger::advise::advise(
                    &checklist,
                    &bid,
                    stronger::advise::AdviseOptions::default(),
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, appraise, advise, runaway);
criterion_main!(benches);
