//! `stronger rules check|test|doc|diff|init` on the bundled checklist and on broken copies.

use crate::support::*;
use std::path::Path;

/// A copy of the bundled checklist to break.
fn copy_of_rules() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("rules"), dir.path());
    dir
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.contains(from),
        "{} does not contain {from:?}",
        path.display()
    );
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn check_passes_on_the_bundled_checklist() {
    let (code, out, err) = run(&["rules", "check"]);
    assert_eq!(code, 0, "{err}");
    let first = out.lines().next().unwrap();
    assert_eq!(
        first,
        format!(
            "ok: checklist stronger 2026.1: 50 rules, {} test cases",
            stronger::cases::count(builtin())
        )
    );
    assert!(
        out.contains("rules from stronger 2026.1: ACT-01 ACT-02 ACT-03 ACT-04 PAR-01 PAR-02"),
        "{out}"
    );
}

#[test]
fn check_reports_a_misspelt_field_like_a_compiler() {
    let dir = copy_of_rules();
    let rule = dir.path().join("volunteering/VOL-01-new-volunteers.rhai");
    let src = std::fs::read_to_string(&rule).unwrap();
    let first_read = src.find(".new_volunteers").unwrap();
    std::fs::write(
        &rule,
        format!(
            "{}.new_volunters{}",
            &src[..first_read],
            &src[first_read + 15..]
        ),
    )
    .unwrap();
    let (line, col) = {
        let before = &src[..first_read];
        (
            before.matches('\n').count() + 1,
            first_read - before.rfind('\n').unwrap() + 1,
        )
    };
    let d = dir.path().display().to_string();
    let (code, out, err) = run(&["rules", "check", "--rules", &d]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    let source_line = std::fs::read_to_string(&rule)
        .unwrap()
        .lines()
        .nth(line - 1)
        .unwrap()
        .to_string();
    let gutter = " ".repeat(line.to_string().len());
    assert_eq!(
        err,
        format!(
            "error: the rule reads `bid.volunteering.new_volunters`, which is not a proposal field\n  --> {d}/volunteering/VOL-01-new-volunteers.rhai:{line}:{col}\n{gutter} |\n{line} | {source_line}\n{gutter} | {}^\n{gutter} = help: did you mean `volunteering.new_volunteers`?\n1 problem found\n",
            " ".repeat(col - 1)
        )
    );
    let (code, out, _) = run(&["rules", "check", "--rules", &d, "--error-format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["severity"], "error");
    assert_eq!(v["line"], line);
    assert_eq!(v["column"], col);
    assert_eq!(
        v["message"],
        "the rule reads `bid.volunteering.new_volunters`, which is not a proposal field"
    );
    assert_eq!(v["help"], "did you mean `volunteering.new_volunteers`?");
}

#[test]
fn check_reports_syntax_errors_and_bad_metadata_together() {
    let dir = copy_of_rules();
    edit(
        &dir.path()
            .join("cohesion/COH-01-different-backgrounds.rhai"),
        "fn appraise(bid) {",
        "fn appraise(bid) {{",
    );
    edit(
        &dir.path()
            .join("influence/INF-02-feedback-to-residents.rhai"),
        "weight:",
        "wieght:",
    );
    let d = dir.path().display().to_string();
    let (code, _, err) = run(&["rules", "check", "--rules", &d]);
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!(
            "--> {d}/cohesion/COH-01-different-backgrounds.rhai:"
        )),
        "{err}"
    );
    assert!(
        err.contains("error: unknown metadata key `wieght`"),
        "{err}"
    );
    assert!(err.contains("= help: did you mean `weight`?"), "{err}");
    assert!(err.ends_with("problems found\n"), "{err}");
}

#[test]
fn check_exits_2_for_an_unreadable_folder() {
    let (code, _, err) = run(&["rules", "check", "--rules", "no/such/folder"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: cannot read the checklist folder: no such file\n  --> no/such/folder\n1 problem found\n"
    );
}

#[test]
fn test_passes_with_full_coverage_on_the_bundled_checklist() {
    let (code, out, err) = run(&["rules", "test", "--coverage", "--min-coverage", "100"]);
    assert_eq!(code, 0, "{err}\n{out}");
    let n = stronger::cases::count(builtin());
    // Every case passes or is a judgment marked pending (behaviour a later issue builds).
    let first = out.lines().next().unwrap();
    let (passed, rest) = first.split_once(" passed, 0 failed").expect(&out);
    let pending: usize = rest
        .strip_prefix(", ")
        .and_then(|r| r.split(' ').next())
        .map_or(0, |p| p.parse().unwrap());
    assert_eq!(passed.parse::<usize>().unwrap() + pending, n, "{out}");
    assert!(
        out.contains("\n\ncoverage: 100.0% of rule outcomes reached\n"),
        "{out}"
    );
    assert!(!out.contains("never reached"), "{out}");
}

#[test]
fn a_failing_case_shows_expected_against_actual_in_every_format() {
    let c = failing_checklist();
    let d = c.path().display().to_string();
    let (code, out, _) = run(&["rules", "test", "--rules", &d]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        format!(
            "FAIL {d}/tests/cases.toml — fails <on purpose>\n     R-01 status: expected not-met, found met\n1 passed, 1 failed\n"
        )
    );
    let (_, tap, _) = run(&["rules", "test", "--rules", &d, "--format", "tap"]);
    assert_eq!(
        tap,
        format!(
            "TAP version 13\n1..2\nok 1 - passes\nnot ok 2 - fails <on purpose>\n  ---\n  file: {d}/tests/cases.toml\n  failures:\n    - \"R-01 status: expected not-met, found met\"\n  ...\n"
        )
    );
    let (_, junit, _) = run(&["rules", "test", "--rules", &d, "--format", "junit"]);
    assert!(
        junit.contains("<testsuites name=\"test 1\" tests=\"2\" failures=\"1\">"),
        "{junit}"
    );
    assert!(
        junit.contains("<testcase name=\"fails &lt;on purpose&gt;\""),
        "{junit}"
    );
    assert!(
        junit.contains("<failure message=\"R-01 status: expected not-met, found met\">"),
        "{junit}"
    );
    let (_, json, _) = run(&[
        "rules",
        "test",
        "--rules",
        &d,
        "--format",
        "json",
        "--coverage",
    ]);
    let v: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
    assert_eq!(v["passed"], 1);
    assert_eq!(v["failed"], 1);
    assert_eq!(
        v["cases"][1]["failures"][0],
        "R-01 status: expected not-met, found met"
    );
    assert_eq!(v["coverage"]["percent"], 100.0);
}

#[test]
fn min_coverage_fails_when_outcomes_are_never_reached() {
    let c = TempChecklist::new(
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
                "[[case]]\nname = \"only not stated\"\nbid = \"base\"\n[case.expect]\nstatus = { \"R-01\" = \"not-stated\" }\n",
            ),
        ],
    );
    let d = c.path().display().to_string();
    let (code, out, err) = run(&["rules", "test", "--rules", &d, "--min-coverage", "90"]);
    assert_eq!(code, 1);
    assert_eq!(err, "coverage 50.0% is below the minimum of 90%\n");
    assert!(
        out.contains(&format!(
            "never reached:\n  {d}/volunteering/R.rhai:12 met (R-01)\n"
        )),
        "{out}"
    );
}

#[test]
fn the_published_checklist_document_matches_the_rules() {
    let committed = std::fs::read_to_string(root().join("docs/checklist.md")).unwrap();
    let (code, out, _) = run(&["rules", "doc"]);
    assert_eq!(code, 0);
    assert!(
        committed == out,
        "docs/checklist.md is out of date: run `cargo run -- rules doc --out docs/checklist.md`"
    );
    for rule in builtin().rules() {
        assert!(
            out.contains(&format!("### {} — {}", rule.id, rule.title)),
            "{}",
            rule.id
        );
    }
}

#[test]
fn the_html_document_escapes_what_rules_say() {
    let c = TempChecklist::new(
        CONFIG,
        &[(
            "volunteering/R.rhai",
            &rule("R-01", "    met(\"x\");").replace("Test rule R-01", "<script>alert(1)</script>"),
        )],
    );
    let (code, out, _) = run(&[
        "rules",
        "doc",
        "--rules",
        c.path().to_str().unwrap(),
        "--format",
        "html",
    ]);
    assert_eq!(code, 0);
    assert!(out.starts_with("<!doctype html>"));
    assert!(
        out.contains("<h3>R-01 — &lt;script&gt;alert(1)&lt;&#x2f;script&gt;</h3>"),
        "{out}"
    );
    assert!(!out.contains("<script>"));
    assert!(
        !out.contains("http"),
        "the page must load nothing from the network"
    );
}

#[test]
fn diff_shows_what_a_change_does_to_past_bids() {
    let dir = copy_of_rules();
    let d = dir.path().display().to_string();
    let corpus = examples_corpus();
    let corpus: Vec<&str> = corpus.iter().map(String::as_str).collect();
    let diff = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(&corpus);
        run(&all)
    };
    let (code, out, _) = diff(&["rules", "diff", "--base", "rules", "--rules", &d]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.ends_with("14 bids: 0 changed (0 changed outcome), 14 unchanged\n"),
        "{out}"
    );
    // Switch off the evidence-of-need rule that `recommend` requires.
    edit(
        &dir.path().join("checklist.toml"),
        "required = [\"SND-01\"]",
        "required = []",
    );
    std::fs::write(
        dir.path().join("checklist.toml"),
        std::fs::read_to_string(dir.path().join("checklist.toml")).unwrap()
            + "\n[rules.SND-01]\nenabled = false\n",
    )
    .unwrap();
    let (code, out, _) = diff(&[
        "rules", "diff", "--base", "default", "--rules", &d, "--format", "json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["bids"], 14);
    let ex01 = v["changed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "EX-01")
        .unwrap();
    assert_eq!(
        ex01["items"]["SND-01"],
        serde_json::json!(["met", "absent"])
    );
    // Soundness is a profile, not part of the total: switching SND-01 off leaves the total.
    assert_eq!(ex01["total"], serde_json::json!([74.0, 74.0]));
    let (_, text, _) = diff(&["rules", "diff", "--base", "default", "--rules", &d]);
    assert!(text.contains("EX-01  Riverside Community Hub"), "{text}");
    assert!(text.contains("  SND-01    met -> absent\n"), "{text}");
}

#[test]
fn init_starts_a_checklist_that_builds_on_the_default() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("kent");
    let d = dir.display().to_string();
    let (code, out, err) = run(&["rules", "init", &d]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(&format!("created {d} on top of stronger 2026.1\n")),
        "{out}"
    );
    let (code, out, err) = run(&["rules", "check", "--rules", &d]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("ok: checklist kent 0.1.0: 50 rules, 1 test cases\n"),
        "{out}"
    );
    assert!(
        out.contains("layers: stronger 2026.1 <- kent 0.1.0"),
        "{out}"
    );
    let (code, out, _) = run(&["rules", "test", "--rules", &d]);
    assert_eq!(code, 0, "{out}");
    // init refuses to overwrite.
    let (code, _, err) = run(&["rules", "init", &d]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!("error: `{d}` already exists and is not empty\n")
    );
}

#[test]
fn a_layer_overrides_weights_switches_rules_off_and_adds_its_own() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("kent");
    let d = dir.display().to_string();
    run(&["rules", "init", &d]);
    let config = dir.join("checklist.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("{text}\n[rules.VOL-01]\nweight = 3.0\n\n[rules.SND-02]\nenabled = false\n"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("volunteering")).unwrap();
    std::fs::write(
        dir.join("volunteering/LOC-01.rhai"),
        rule("LOC-01", "    if !stated(bid.place.locality) { return not_stated(\"where?\"); }\n    impact(\"NI6\", 1, `in ${bid.place.locality}`);\n    met(`in ${bid.place.locality}`);"),
    )
    .unwrap();
    let (code, out, err) = run(&["rules", "check", "--rules", &d]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("rules from kent 0.1.0: LOC-01\n"), "{out}");
    assert!(out.contains("switched off: SND-02\n"), "{out}");
    assert!(out.contains("weight of VOL-01: 3 (its own: 2)\n"), "{out}");
    let (code, out, err) = run(&[
        "appraise",
        "examples/01-riverside-community-hub.toml",
        "--rules",
        &d,
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let a: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(a["provenance"]["checklist"], "kent");
    assert_eq!(a["provenance"]["layers"][0]["checklist"], "stronger");
    assert_eq!(a["provenance"]["layers"][0]["hash"], builtin().hash());
    assert_ne!(a["provenance"]["hash"], builtin().hash());
    let rules: Vec<&str> = a["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"LOC-01"));
    assert!(!rules.contains(&"SND-02"));
    let vol = a["indicators"]["NI6"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "VOL-01")
        .unwrap();
    assert_eq!(vol["impact"], 6.0, "VOL-01 impact 2 x weight 3");
    let (_, doc, _) = run(&["rules", "doc", "--rules", &d]);
    assert!(doc.contains("Builds on: stronger 2026.1 (sha256:"), "{doc}");
    assert!(doc.contains("## Switched off\n\n- SND-02"), "{doc}");
}

#[test]
fn watch_runs_the_tests_again_when_a_rule_changes() {
    use std::io::{BufRead, BufReader};
    let c = failing_checklist();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_stronger"))
        .args([
            "rules",
            "test",
            "--watch",
            "--rules",
            c.path().to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut next_summary = || loop {
        let line = lines.next().unwrap().unwrap();
        if line.ends_with(" failed") {
            return line;
        }
    };
    assert_eq!(next_summary(), "1 passed, 1 failed");
    // Make the failing case pass by changing the rule.
    std::thread::sleep(std::time::Duration::from_millis(50));
    edit(
        &c.path().join("volunteering/R.rhai"),
        "return met(\"roles\")",
        "return not_met(\"roles\")",
    );
    assert_eq!(next_summary(), "2 passed, 0 failed");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn rules_show_prints_a_rules_source_and_names_a_misspelt_id() {
    let (code, out, err) = run(&["rules", "show", "VOL-02"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        std::fs::read_to_string(root().join("rules/volunteering/VOL-02-volunteers-supported.rhai"))
            .unwrap()
    );
    let (code, out, err) = run(&["rules", "show", "VOL-20"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "error: the checklist stronger 2026.1 has no rule `VOL-20`\n  = help: did you mean `VOL-02`?\n"
    );
}

#[test]
fn coverage_of_a_derived_checklist_counts_its_own_rules_unless_asked_for_every_layer() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("kent");
    let d = dir.display().to_string();
    run(&["rules", "init", &d]);
    // A fresh checklist answers for no rule yet, so the gate it would put in its CI passes.
    let (code, out, err) = run(&["rules", "test", "--rules", &d, "--min-coverage", "100"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("\ncoverage: 100.0% of the outcomes of kent 0.1.0's own rules reached (--all-layers counts its base's rules too)\n"),
        "{out}"
    );
    // Its own rule, with a case reaching one of its two outcomes: half covered.
    std::fs::create_dir_all(dir.join("volunteering")).unwrap();
    std::fs::write(
        dir.join("volunteering/LOC-01.rhai"),
        rule("LOC-01", "    if !stated(bid.place.locality) { return not_stated(\"where?\"); }\n    met(`in ${bid.place.locality}`);"),
    )
    .unwrap();
    std::fs::write(
        dir.join("tests/loc.toml"),
        "[[case]]\nname = \"no locality\"\nbid = \"base\"\n[case.expect]\nstatus = { \"LOC-01\" = \"not-stated\" }\n",
    )
    .unwrap();
    let (code, out, err) = run(&["rules", "test", "--rules", &d, "--min-coverage", "100"]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(err, "coverage 50.0% is below the minimum of 100%\n");
    assert!(out.contains("  LOC-01   1/2 outcomes\n"), "{out}");
    assert!(!out.contains("VOL-01"), "{out}");
    // Asked for every layer, the base's 40 rules are counted too, with none of their cases.
    let (_, out, _) = run(&["rules", "test", "--rules", &d, "--coverage", "--all-layers"]);
    assert!(out.contains("\ncoverage: "), "{out}");
    assert!(out.contains(" of rule outcomes reached\n"), "{out}");
    assert!(out.contains("\n  VOL-01   "), "{out}");
    assert!(out.contains("  LOC-01   1/2 outcomes\n"), "{out}");
}

// Issue 15, item 4: the default checklist's priorities are balanced — no core indicator can carry
// more than a fifth of the most a bid can score, nor less than 8% — as `rules doc` publishes them.
#[test]
fn no_core_indicator_carries_more_than_a_fifth_or_less_than_8_percent_of_the_most_a_bid_can_score()
{
    let (code, doc, _) = run(&["rules", "doc"]);
    assert_eq!(code, 0);
    let table = doc
        .split("| Id | Indicator | Core | Most a bid can score | Share |\n")
        .nth(1)
        .unwrap();
    let rows: Vec<(String, bool, f64)> = table
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("| NI"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (
                cells[1].to_string(),
                cells[3] == "yes",
                cells[4].parse().unwrap(),
            )
        })
        .collect();
    let total: f64 = rows.iter().map(|r| r.2).sum();
    let core: Vec<_> = rows.iter().filter(|r| r.1).collect();
    assert_eq!(core.len(), 7, "{rows:?}");
    for (id, _, most) in core {
        let share = most / total;
        assert!(
            (0.08..=0.20).contains(&share),
            "{id} can carry {:.1}% of the most a bid can score ({most} of {total})",
            share * 100.0
        );
    }
}

#[test]
fn the_readme_shows_what_the_checklist_values_as_rules_doc_publishes_it() {
    let (_, doc, _) = run(&["rules", "doc"]);
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let rows: Vec<&str> = doc.lines().filter(|l| l.starts_with("| NI")).collect();
    assert_eq!(rows.len(), 11);
    for row in rows {
        assert!(
            readme.contains(&format!("\n{row}\n")),
            "README lacks: {row}"
        );
    }
}
