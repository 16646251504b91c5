//! Shared helpers: the built-in checklist, bids from text, throwaway checklists.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use stronger::{Appraisal, Checklist, Format, Limits, Proposal, ProposalSchema};

pub fn builtin() -> &'static Checklist {
    static C: OnceLock<Checklist> = OnceLock::new();
    C.get_or_init(|| Checklist::builtin().unwrap())
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn parse_toml(text: &str) -> Result<stronger::Loaded, stronger::ProposalError> {
    Proposal::parse(
        "bid.toml",
        text.as_bytes(),
        Format::Toml,
        ProposalSchema::builtin(),
        &Limits::default(),
    )
}

pub fn bid(text: &str) -> Proposal {
    parse_toml(text).unwrap().proposal
}

/// A bid with only what the schema requires.
pub const MINIMAL: &str =
    "id = \"T-1\"\ntitle = \"Test bid\"\n[funding]\namount_requested = 1000\n";

/// A small checklist config with one theme and no required rules, for rules under test; the
/// benches and the fuzz targets read the same file.
pub const CONFIG: &str = include_str!("../data/test-checklist/checklist.toml");

/// A well-formed rule with the given body for `fn appraise(bid)`.
pub fn rule(id: &str, body: &str) -> String {
    format!(
        "const META = #{{\n    id: \"{id}\",\n    title: \"Test rule {id}\",\n    theme: \"volunteering\",\n    indicators: [\"NI6\"],\n    weight: 1.0,\n    question: \"Does it work?\",\n    rationale: \"For testing.\",\n}};\n\nfn appraise(bid) {{\n{body}\n}}\n"
    )
}

/// A throwaway checklist folder: `CONFIG` (or the given config) and the given files.
pub struct TempChecklist {
    pub dir: tempfile::TempDir,
}

impl TempChecklist {
    pub fn new(config: &str, files: &[(&str, &str)]) -> TempChecklist {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("checklist.toml"), config).unwrap();
        for (rel, text) in files {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        TempChecklist { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn load(&self) -> Result<Checklist, stronger::ChecklistError> {
        Checklist::load(self.path())
    }
}

/// A checklist of the built-in concepts and one rule, `R-01`, with `body` for `fn appraise(bid)`
/// and the functions in `extra` after it.
pub fn one_rule_with_concepts(body: &str, extra: &str) -> TempChecklist {
    let concepts = std::fs::read_to_string(root().join("rules/concepts.toml")).unwrap();
    TempChecklist::new(
        CONFIG,
        &[
            ("concepts.toml", &concepts),
            (
                "volunteering/R.rhai",
                &format!("{}{extra}", rule("R-01", body)),
            ),
        ],
    )
}

/// Runs the `stronger` binary; returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    run_in(&root(), args)
}

pub fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stronger"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn appraise_with(checklist: &Checklist, text: &str) -> Appraisal {
    stronger::appraise(checklist, &bid(text))
}

/// Copies a folder and everything in it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// A checklist with one rule and two test cases: one that passes, one that fails on purpose.
pub fn failing_checklist() -> TempChecklist {
    TempChecklist::new(
        CONFIG,
        &[
            (
                "volunteering/R.rhai",
                &rule(
                    "R-01",
                    "    if stated(bid.volunteering.roles) { return met(\"roles\"); }\n    not_stated(\"how many roles?\");",
                ),
            ),
            ("tests/bids/base.toml", MINIMAL),
            (
                "tests/cases.toml",
                "[[case]]\nname = \"passes\"\nbid = \"base\"\n[case.expect]\nstatus = { \"R-01\" = \"not-stated\" }\n\n[[case]]\nname = \"fails <on purpose>\"\nbid = \"base\"\nset = { \"volunteering.roles\" = 2 }\n[case.expect]\nstatus = { \"R-01\" = \"not-met\" }\n",
            ),
        ],
    )
}

/// The example bids: the bid files at the top of `examples/`, sorted, as paths from the
/// repository's root. The example decisions in `examples/decisions/` are not among them (a
/// folder walk reads them too, so tests about the example bids name these files instead).
pub fn example_bids() -> Vec<String> {
    files_in("examples")
}

/// The example decisions of `examples/decisions/` (issue 18), sorted.
pub fn example_decisions() -> Vec<String> {
    files_in("examples/decisions")
}

fn files_in(dir: &str) -> Vec<String> {
    let mut paths: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| format!("{dir}/{}", p.file_name().unwrap().to_str().unwrap()))
        .filter(|p| p.ends_with(".toml") || p.ends_with(".json"))
        .collect();
    paths.sort();
    paths
}

/// Runs `stronger` with `before`, then every example bid, then `after`.
pub fn run_on_examples(before: &[&str], after: &[&str]) -> (i32, String, String) {
    let bids = example_bids();
    let mut args: Vec<&str> = before.to_vec();
    args.extend(bids.iter().map(String::as_str));
    args.extend(after);
    run(&args)
}

/// `--corpus FILE` for every example bid, for `rules diff`.
pub fn examples_corpus() -> Vec<String> {
    example_bids()
        .into_iter()
        .flat_map(|b| ["--corpus".to_string(), b])
        .collect()
}
