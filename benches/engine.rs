//! Engine benchmarks: `cargo bench --bench engine`.
//!
//! - `appraise/<example>`: the whole default checklist over one example bid, one core.
//! - `advise/<example>`: verified advice for one bid: every suggestion re-appraised, and the
//!   search for the next outcome step (EX-02 spends the whole search budget; EX-05 stops at once).
//! - `runaway/*`: how long a runaway rule takes to be stopped (loop by operation budget, loop by
//!   deadline, unbounded recursion), with the checklist's default limits.
//! - `budget/*`: how long each kind of work takes to use up the default operation budget
//!   (200,000), on EX-01: script, field reads, text search, sorting with a comparer, building a
//!   list, printing. The slowest is what the wall-clock deadline must stay well above for the
//!   budget to be the limit that binds (SECURITY.md states the ratio). `budget/hostile-*`: the
//!   attacks of issue 12 (a `find` that used to run for a minute, a map filled by index).

use criterion::{Criterion, criterion_group, criterion_main};
use std::path::Path;
use stronger::{Checklist, Limits, Proposal};

/// The allocator the `stronger` binary uses (src/main.rs), so the benchmark measures what ships.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        group.bench_function(name, |b| b.iter(|| stronger::appraise(&checklist, &bid)));
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
        "const META = #{{ id: \"BAD-01\", title: \"t\", theme: \"volunteering\", indicators: [\"NI6\"], weight: 1.0, question: \"q\", rationale: \"r\" }};\nfn appraise(bid) {{\n{body}\n}}\nfn down(n) {{ down(n + 1) }}\nfn add(a, b) {{ a + b }}\n"
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
                let a = stronger::appraise(&checklist, &bid);
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

/// Rules that loop doing one kind of work until the default budget stops them.
const BUDGET_KINDS: &[(&str, &str)] = &[
    ("loop", "loop { }"),
    ("arithmetic", "let x = 0; loop { x = (x * 3 + 1) % 1000; }"),
    (
        "strings",
        "let n = 0; loop { let s = `item ${n} of ${n * 2}`; n += 1; }",
    ),
    (
        "maps",
        "let n = 0; loop { let m = #{a: n, b: [n, n + 1]}; m.c = m.a + 1; n += 1; }",
    ),
    (
        "field-reads",
        "loop { let v = bid.volunteering.roles; let t = bid.title; let s = bid.summary; }",
    ),
    (
        "find",
        "loop { let w = find(bid.summary, [\"steering group\", \"volunteer*\", \"resident*\", \"older people\", \"young famil*\", \"council\"]); }",
    ),
    (
        "mentions",
        "loop { let w = mentions(bid, [\"steering group\", \"volunteer*\", \"resident*\", \"older people\", \"young famil*\", \"council\"]); }",
    ),
    (
        "mentions-5000-patterns",
        "let p = []; for i in 0..5000 { p.push(`w${i}`); } loop { let w = mentions(bid, p); }",
    ),
    ("function-calls", "loop { add(1, 2); }"),
    (
        "sort-with-comparer",
        "let a = []; for i in 0..50 { a.push((i * 37) % 50); } loop { let b = a; b.sort(|x, y| x - y); }",
    ),
    (
        "string-functions",
        "loop { let t = bid.summary.to_lower(); let p = t.split(\" \"); let r = t.replace(\"the\", \"a\"); }",
    ),
    ("building-a-list", "let a = []; loop { a.push(a.len()); }"),
    ("printing", "loop { print(bid.summary); }"),
    (
        "hostile-find-large-text",
        "let s = \"word \"; while s.len() < 500000 { s += s; } let p = []; for i in 0..5000 { p.push(`w${i}`); } loop { find(s, p); }",
    ),
    (
        "hostile-map-by-index",
        "let s = \"x\"; while s.len() < 500000 { s += s; } let m = #{}; for i in 0..100000 { m[`k${i}`] = s + i; }",
    ),
];

fn budget(c: &mut Criterion) {
    let mut group = c.benchmark_group("budget");
    group.sample_size(10);
    let probe = Checklist::builtin().expect("built-in checklist");
    let bid = example(&probe, "01-riverside-community-hub.toml");
    for (name, body) in BUDGET_KINDS {
        // No deadline in reach: only the budget (or the memory bound) stops these.
        let limits = "[limits]\nrule_millis = 600000\nappraisal_millis = 600000\n";
        let (_dir, checklist) = runaway_checklist(body, limits);
        let a = stronger::appraise(&checklist, &bid);
        assert!(!a.complete, "{name} was not stopped");
        assert!(
            a.errors.iter().all(|e| !e.message.contains("deadline")),
            "{name}: {:?}",
            a.errors
        );
        group.bench_function(*name, |b| b.iter(|| stronger::appraise(&checklist, &bid)));
    }
    group.finish();
}

criterion_group!(benches, appraise, advise, runaway, budget);
criterion_main!(benches);
