//! The golden output of every verb that has no snapshot elsewhere: `screen`'s five files,
//! `rules check|test|doc|diff|init`, and the Markdown of appraisals and of the champion's
//! reports. Recorded before the code was restructured (issue 13), so the snapshots prove that
//! moving code changed no byte a user sees.
//!
//! Checklist hashes and temporary folders are redacted: a rule change then shows only where
//! results change, and a run shows the same wherever it runs.

use crate::support::*;
use std::path::Path;
use stronger::Checklist;

/// What a run showed a user: its exit status, then stdout and stderr as printed.
fn shown(code: i32, out: &str, err: &str) -> String {
    format!("exit status: {code}\n--- stdout\n{out}--- stderr\n{err}")
}

/// `text` with each checklist's hash (in full and short) and the engine's version redacted,
/// and each temporary folder named by its role.
fn redact(text: &str, checklists: &[&Checklist], folders: &[(&Path, &str)]) -> String {
    let mut out = text.to_string();
    for (n, c) in checklists.iter().enumerate() {
        let hash = c.hash();
        out = out.replace(hash, &format!("[checklist {n} hash]")).replace(
            &stronger::render::short_hash(hash),
            &format!("[checklist {n} short hash]"),
        );
    }
    for (path, name) in folders {
        out = out.replace(&path.display().to_string(), name);
    }
    out.replace(stronger::ENGINE, "[engine]")
}

#[test]
fn screen_writes_five_files() {
    let out = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run(&[
        "screen",
        "examples/01-riverside-community-hub.toml",
        "examples/02-harbour-street-shopfront.toml",
        "examples/03-mill-lane-benches.toml",
        "examples/04-tea-and-tales-generations.toml",
        "examples/05-ashgrove-peoples-budget.toml",
        "examples/06-little-wendham-village-hall.toml",
        "examples/07-brookfield-repair-cafe.toml",
        "examples/08-walking-football-league.toml",
        "examples/09-shared-table-pantry.toml",
        "examples/10-eastgate-youth-sports.json",
        "examples/11-northfield-park-friends.toml",
        "examples/12-cobble-lane-bakery-cic.toml",
        "examples/13-fernleigh-reading-groups.json",
        "examples/14-saltmarsh-lantern-festival.toml",
        "tests/data/bad-bids/missing-title.toml",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(example_bids().len(), 14, "the example bids screened above");
    let folders = [(out.path(), "[out]")];
    insta::assert_snapshot!(
        "screen_run",
        redact(&shown(code, &stdout, &stderr), &[builtin()], &folders)
    );
    for file in [
        "summary.csv",
        "summary.md",
        "summary.html",
        "errors.csv",
        "appraisals.jsonl",
    ] {
        let text = std::fs::read_to_string(out.path().join(file)).unwrap();
        insta::assert_snapshot!(
            format!("screen_{file}"),
            redact(&text, &[builtin()], &folders)
        );
    }
}

#[test]
fn rules_check_says_what_the_checklist_holds_or_what_is_wrong() {
    let (code, out, err) = run(&["rules", "check"]);
    insta::assert_snapshot!(
        "rules_check_ok",
        redact(&shown(code, &out, &err), &[builtin()], &[])
    );
    let broken = tempfile::tempdir().unwrap();
    copy_dir(&root().join("rules"), broken.path());
    let rule = broken
        .path()
        .join("influence/INF-02-feedback-to-residents.rhai");
    let src = std::fs::read_to_string(&rule).unwrap();
    std::fs::write(&rule, src.replacen("weight:", "wieght:", 1)).unwrap();
    let d = broken.path().display().to_string();
    let folders = [(broken.path(), "[rules]")];
    for format in ["human", "json"] {
        let (code, out, err) = run(&["rules", "check", "--rules", &d, "--error-format", format]);
        insta::assert_snapshot!(
            format!("rules_check_problems_{format}"),
            redact(&shown(code, &out, &err), &[], &folders)
        );
    }
}

#[test]
fn rules_test_in_every_format() {
    let c = failing_checklist();
    let d = c.path().display().to_string();
    let loaded = c.load().unwrap();
    let folders = [(c.path(), "[rules]")];
    for format in ["text", "json", "tap", "junit"] {
        let (code, out, err) = run(&[
            "rules",
            "test",
            "--rules",
            &d,
            "--format",
            format,
            "--coverage",
        ]);
        insta::assert_snapshot!(
            format!("rules_test_{format}"),
            redact(&shown(code, &out, &err), &[&loaded], &folders)
        );
    }
    let (code, out, err) = run(&["rules", "test", "--coverage", "--min-coverage", "100"]);
    insta::assert_snapshot!(
        "rules_test_builtin",
        redact(&shown(code, &out, &err), &[builtin()], &[])
    );
}

#[test]
fn rules_doc_in_every_format() {
    for format in ["markdown", "html"] {
        let (code, out, err) = run(&["rules", "doc", "--format", format]);
        insta::assert_snapshot!(
            format!("rules_doc_{format}"),
            redact(&shown(code, &out, &err), &[builtin()], &[])
        );
    }
}

#[test]
fn rules_diff_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("rules"), dir.path());
    let config = dir.path().join("checklist.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("required = [\"SND-01\"]"));
    std::fs::write(
        &config,
        text.replacen("required = [\"SND-01\"]", "required = []", 1)
            + "\n[rules.SND-01]\nenabled = false\n[rules.VOL-01]\nweight = 3.0\n",
    )
    .unwrap();
    let d = dir.path().display().to_string();
    let changed = Checklist::load(dir.path()).unwrap();
    let folders = [(dir.path(), "[rules]")];
    for format in ["text", "json"] {
        let corpus = examples_corpus();
        let mut args = vec!["rules", "diff", "--base", "default", "--rules", &d];
        args.extend(corpus.iter().map(String::as_str));
        args.extend(["--format", format]);
        let (code, out, err) = run(&args);
        insta::assert_snapshot!(
            format!("rules_diff_{format}"),
            redact(&shown(code, &out, &err), &[builtin(), &changed], &folders)
        );
    }
}

#[test]
fn rules_init_starts_a_layer() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("kent");
    let (code, out, err) = run(&["rules", "init", dir.to_str().unwrap()]);
    let folders = [(tmp.path(), "[tmp]")];
    let mut files = String::new();
    for rel in ["checklist.toml", "tests/bids/base.toml", "tests/cases.toml"] {
        let text = std::fs::read_to_string(dir.join(rel)).unwrap();
        files.push_str(&format!("=== {rel}\n{text}"));
    }
    let count = walk(&dir);
    insta::assert_snapshot!(
        "rules_init",
        redact(
            &format!("{}{count} files\n{files}", shown(code, &out, &err)),
            &[],
            &folders
        )
    );
    let (code, out, err) = run(&["rules", "check", "--rules", dir.to_str().unwrap()]);
    let layer = Checklist::load(&dir).unwrap();
    insta::assert_snapshot!(
        "rules_init_check",
        redact(&shown(code, &out, &err), &[builtin(), &layer], &folders)
    );
}

/// How many files a folder holds, at any depth.
fn walk(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                walk(&e.path())
            } else {
                1
            }
        })
        .sum()
}

#[test]
fn appraisals_as_markdown() {
    let (code, out, err) = run_on_examples(&["appraise"], &["--format", "markdown"]);
    insta::assert_snapshot!(
        "appraise_markdown",
        redact(&shown(code, &out, &err), &[builtin()], &[])
    );
}

#[test]
fn the_champion_reports_as_markdown() {
    insta::glob!("../../examples", "*.{toml,json}", |path| {
        let rel = path.strip_prefix(root()).unwrap().display().to_string();
        let (code, out, err) = run(&["advise", &rel, "--format", "markdown"]);
        insta::assert_snapshot!(
            "advise_markdown",
            redact(&shown(code, &out, &err), &[builtin()], &[])
        );
    });
    let bid = "examples/05-ashgrove-peoples-budget.toml";
    let (code, out, err) = run(&[
        "what-if",
        bid,
        "--set",
        "cohesion.intergenerational=true",
        "--unset",
        "involvement.feedback_to_residents",
        "--format",
        "markdown",
    ]);
    insta::assert_snapshot!(
        "what_if_markdown",
        redact(&shown(code, &out, &err), &[builtin()], &[])
    );
    for (name, extra) in [
        ("explain_markdown", &[][..]),
        ("explain_markdown_rule", &["--rule", "VOL-01"][..]),
        ("explain_markdown_indicator", &["--indicator", "NI4"][..]),
    ] {
        let mut args = vec!["explain", bid, "--format", "markdown"];
        args.extend_from_slice(extra);
        let (code, out, err) = run(&args);
        insta::assert_snapshot!(name, redact(&shown(code, &out, &err), &[builtin()], &[]));
    }
}
