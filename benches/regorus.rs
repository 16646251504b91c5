//! Peer benchmark against `regorus`, a Rego policy engine: `cargo bench --bench regorus`.
//!
//! Ten rules of the default checklist are ported to Rego in `benches/rego/` (one file per rule,
//! plus `lib.rego` for what the engine offers rules — `stated`, `find`, `mentions` — and
//! `checklist.rego`, which gathers the ten results). Before timing anything, every example bid
//! and every bid of the checklist's own test cases is appraised both ways and the results must
//! agree: per rule, the status, the unweighted impact on every indicator and the confidence of
//! each impact. Any difference stops the benchmark.
//!
//! - `rego/10-rules/<bid>`: the ten Rego rules on one bid with `regorus` (the bid is converted
//!   to a `regorus::Value`, set as input, and the ten results evaluated in one query).
//! - `rhai/10-rules/<bid>`: the same ten rules in stronger: a checklist folder holding only
//!   them, `Checklist::appraise` on the same bid (conversion, rules, scores and outcome).

use criterion::{Criterion, criterion_group, criterion_main};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use stronger::{Appraisal, Checklist, Limits, Proposal, ProposalSchema};

/// The allocator the `stronger` binary uses (src/main.rs), so the benchmark measures what ships.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The ported rules, by id.
const RULES: [&str; 10] = [
    "COH-02", "INF-02", "PAR-02", "POW-01", "SND-01", "SND-02", "SND-03", "VOL-01", "VOL-02",
    "XSR-01",
];

/// The rule that gathers the ten results: rule id -> `{status, impacts, confidence}`.
const QUERY: &str = "data.stronger.checklist.results";

/// The bids timed: a full one and a sparse one.
const TIMED: [&str; 2] = [
    "01-riverside-community-hub.toml",
    "03-mill-lane-benches.toml",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every example bid, by file name, in name order.
fn examples() -> Vec<(String, Proposal)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .expect("read examples/")
        .map(|e| e.expect("examples/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml" || e == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let name = path
                .file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            let bid = Proposal::load(&path, ProposalSchema::builtin(), &Limits::default())
                .unwrap_or_else(|e| panic!("example bid {name}: {e}"))
                .proposal;
            (name, bid)
        })
        .collect()
}

/// The bids of the bundled checklist's test cases (`rules/tests/*.toml`): each case's starting
/// bid with its `set` and `unset` changes applied. They reach branches the examples do not.
fn case_bids() -> Vec<(String, Proposal)> {
    let tests = root().join("rules").join("tests");
    let schema = ProposalSchema::builtin();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&tests)
        .expect("read rules/tests/")
        .map(|e| e.expect("rules/tests/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read a case file");
        let table: toml::Table = toml::from_str(&text).expect("a case file is TOML");
        let Some(cases) = table.get("case").and_then(toml::Value::as_array) else {
            continue;
        };
        for case in cases {
            let name = case["name"].as_str().expect("case name");
            let bid = case["bid"].as_str().expect("case bid");
            let path = tests.join("bids").join(format!("{bid}.toml"));
            let base = Proposal::load(&path, schema, &Limits::default())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                .proposal;
            let set = case
                .get("set")
                .and_then(toml::Value::as_table)
                .map(|t| {
                    t.iter()
                        .map(|(k, v)| (k.clone(), serde_json::to_value(v).expect("set value")))
                        .collect()
                })
                .unwrap_or_default();
            let unset = case
                .get("unset")
                .and_then(toml::Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|v| v.as_str().expect("unset path").to_string())
                        .collect()
                })
                .unwrap_or_default();
            let doc = stronger::Patch { set, unset }
                .apply(&base.doc, schema.fields())
                .unwrap_or_else(|e| panic!("case {name:?}: {e}"));
            let bytes = serde_json::to_vec(&doc).expect("bid as JSON");
            let bid = Proposal::parse(
                name,
                &bytes,
                stronger::Format::Json,
                schema,
                &Limits::default(),
            )
            .unwrap_or_else(|e| panic!("case {name:?}: {e}"))
            .proposal;
            out.push((format!("case {name:?}"), bid));
        }
    }
    out
}

/// A regorus engine holding every policy in `benches/rego/`.
fn rego_engine() -> regorus::Engine {
    let dir = root().join("benches").join("rego");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read benches/rego/")
        .map(|e| e.expect("benches/rego/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rego"))
        .collect();
    files.sort();
    let mut engine = regorus::Engine::new();
    // A builtin that fails (a bad regex, say) is an error, not a silently undefined result.
    engine.set_strict_builtin_errors(true);
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read a .rego file");
        engine
            .add_policy(file.display().to_string(), text)
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    }
    engine
}

/// The ten Rego results for one bid, as JSON.
fn rego_eval(engine: &mut regorus::Engine, doc: &serde_json::Value) -> regorus::Value {
    engine.set_input(regorus::Value::deserialize(doc).expect("bid as a regorus value"));
    engine
        .eval_rule(QUERY.to_string())
        .unwrap_or_else(|e| panic!("regorus: {e}"))
}

/// One rule's result: status, unweighted impact per indicator, confidences per indicator.
#[derive(Debug, PartialEq)]
struct Outcome {
    status: String,
    impacts: BTreeMap<String, f64>,
    confidence: BTreeMap<String, BTreeSet<String>>,
}

fn from_rhai(checklist: &Checklist, appraisal: &Appraisal, id: &str) -> Outcome {
    let item = appraisal
        .checklist
        .iter()
        .find(|i| i.rule == id)
        .unwrap_or_else(|| panic!("{id} is not in the appraisal's checklist"));
    let weight = checklist
        .rules()
        .find(|m| m.id == id)
        .unwrap_or_else(|| panic!("{id} is not in the checklist"))
        .weight;
    let mut impacts = BTreeMap::new();
    let mut confidence: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (indicator, result) in &appraisal.indicators {
        for f in result.findings.iter().filter(|f| f.rule == id) {
            *impacts.entry(indicator.clone()).or_insert(0.0) += f.impact / weight;
            confidence
                .entry(indicator.clone())
                .or_default()
                .insert(f.confidence.as_str().to_string());
        }
    }
    Outcome {
        status: item.status.as_str().to_string(),
        impacts,
        confidence,
    }
}

fn from_rego(results: &serde_json::Value, id: &str) -> Outcome {
    let r = results
        .get(id)
        .unwrap_or_else(|| panic!("no Rego result for {id} in {results}"));
    let status = r["status"]
        .as_str()
        .unwrap_or_else(|| panic!("{id}: no status in {r}"))
        .to_string();
    let impacts = r["impacts"]
        .as_object()
        .unwrap_or_else(|| panic!("{id}: no impacts in {r}"))
        .iter()
        .map(|(k, v)| {
            let amount = v
                .as_f64()
                .unwrap_or_else(|| panic!("{id}: impact {k} is not a number"));
            (k.clone(), amount)
        })
        .collect();
    let confidence = r["confidence"]
        .as_object()
        .unwrap_or_else(|| panic!("{id}: no confidence in {r}"))
        .iter()
        .map(|(k, v)| {
            let c = v
                .as_str()
                .unwrap_or_else(|| panic!("{id}: confidence {k} is not text"));
            (k.clone(), BTreeSet::from([c.to_string()]))
        })
        .collect();
    Outcome {
        status,
        impacts,
        confidence,
    }
}

/// The differences between two results of one rule, in words (empty when they agree).
fn differences(rhai: &Outcome, rego: &Outcome) -> Vec<String> {
    let mut out = Vec::new();
    if rhai.status != rego.status {
        out.push(format!(
            "status: rhai {} / rego {}",
            rhai.status, rego.status
        ));
    }
    let indicators: BTreeSet<&String> = rhai.impacts.keys().chain(rego.impacts.keys()).collect();
    for ind in indicators {
        let a = rhai.impacts.get(ind).copied().unwrap_or(0.0);
        let b = rego.impacts.get(ind).copied().unwrap_or(0.0);
        if (a - b).abs() > 1e-9 {
            out.push(format!("impact on {ind}: rhai {a} / rego {b}"));
        }
    }
    if rhai.confidence != rego.confidence {
        out.push(format!(
            "confidence: rhai {:?} / rego {:?}",
            rhai.confidence, rego.confidence
        ));
    }
    out
}

/// A checklist folder with only the ten rules: the default `checklist.toml` and their files.
fn ten_rule_checklist() -> (tempfile::TempDir, Checklist) {
    let rules = root().join("rules");
    let dir = tempfile::tempdir().expect("temp dir");
    let config = std::fs::read_to_string(rules.join("checklist.toml")).expect("checklist.toml");
    let config: String = if RULES.contains(&"SND-01") {
        config
    } else {
        config
            .lines()
            .filter(|l| l.trim() != r#"required = ["SND-01"]"#)
            .map(|l| format!("{l}\n"))
            .collect()
    };
    std::fs::write(dir.path().join("checklist.toml"), config).expect("write checklist.toml");
    let mut copied = 0;
    for theme in std::fs::read_dir(&rules).expect("read rules/") {
        let theme = theme.expect("rules/ entry").path();
        if !theme.is_dir() || theme.ends_with("tests") {
            continue;
        }
        for file in std::fs::read_dir(&theme).expect("read a theme folder") {
            let file = file.expect("theme entry").path();
            let name = file.file_name().expect("file name").to_string_lossy();
            if RULES.iter().any(|id| name.starts_with(&format!("{id}-"))) {
                let to = dir.path().join(theme.file_name().expect("theme name"));
                std::fs::create_dir_all(&to).expect("mkdir");
                std::fs::copy(&file, to.join(file.file_name().expect("file name")))
                    .expect("copy a rule");
                copied += 1;
            }
        }
    }
    assert_eq!(copied, RULES.len(), "every ported rule has one .rhai file");
    let checklist = Checklist::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    (dir, checklist)
}

/// Every bid, both engines: the results of every ported rule must agree. Also checks that the
/// ten-rule checklist timed below decides as the whole built-in one does.
fn check_agreement(engine: &mut regorus::Engine, bids: &[(String, Proposal)]) {
    let builtin = Checklist::builtin().expect("built-in checklist");
    let (_dir, ten) = ten_rule_checklist();
    let mut problems = Vec::new();
    // How often each rule reached each status: which branches the check went through.
    let mut seen: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    for (name, bid) in bids {
        let appraisal = stronger::appraise(&builtin, bid);
        assert!(
            appraisal.errors.is_empty(),
            "{name}: the built-in checklist failed: {:?}",
            appraisal.errors
        );
        let subset = stronger::appraise(&ten, bid);
        assert!(subset.errors.is_empty(), "{name}: {:?}", subset.errors);
        let results = serde_json::to_value(rego_eval(engine, &bid.doc)).expect("Rego result");
        for id in RULES {
            let rhai = from_rhai(&builtin, &appraisal, id);
            let alone = from_rhai(&ten, &subset, id);
            assert_eq!(rhai, alone, "{name} {id}: the ten-rule checklist disagrees");
            *seen
                .entry(id)
                .or_default()
                .entry(rhai.status.clone())
                .or_default() += 1;
            let rego = from_rego(&results, id);
            for d in differences(&rhai, &rego) {
                problems.push(format!("{name} ({}) {id}: {d}", bid.id));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the Rego ports disagree with the Rhai rules:\n  {}",
        problems.join("\n  ")
    );
    eprintln!(
        "regorus: {} rules x {} bids give the same status, impacts and confidence in Rego and Rhai",
        RULES.len(),
        bids.len()
    );
    for (id, statuses) in seen {
        eprintln!("  {id}: {statuses:?}");
    }
}

fn peer(c: &mut Criterion) {
    let bids = examples();
    let mut engine = rego_engine();
    let mut checked = case_bids();
    checked.extend(bids.iter().cloned());
    check_agreement(&mut engine, &checked);

    let timed: Vec<&Proposal> = TIMED
        .iter()
        .map(|t| {
            &bids
                .iter()
                .find(|(name, _)| name == t)
                .expect("a timed bid")
                .1
        })
        .collect();

    let mut group = c.benchmark_group("rego/10-rules");
    group.sample_size(20);
    for bid in &timed {
        group.bench_function(&bid.id, |b| b.iter(|| rego_eval(&mut engine, &bid.doc)));
    }
    group.finish();

    let (_dir, ten) = ten_rule_checklist();
    let mut group = c.benchmark_group("rhai/10-rules");
    group.sample_size(20);
    for bid in &timed {
        group.bench_function(&bid.id, |b| b.iter(|| stronger::appraise(&ten, bid)));
    }
    group.finish();
}

criterion_group!(benches, peer);
criterion_main!(benches);
