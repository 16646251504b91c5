//! The command line as a user meets it: formats, `--out`, colour, exit statuses.

use crate::support::*;

const STRONG: &str = "examples/01-riverside-community-hub.toml";

#[test]
fn json_is_one_line_per_bid() {
    let (code, out, err) = run(&[
        "appraise",
        STRONG,
        "examples/03-mill-lane-benches.toml",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2);
    let a: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(a["proposal"]["id"], "EX-01");
    assert_eq!(a["outcome"], "recommend");
    assert_eq!(a["complete"], true);
    assert_eq!(a["provenance"]["checklist"], "stronger");
    assert_eq!(a["provenance"]["version"], "2026.1");
    assert_eq!(a["provenance"]["hash"], builtin().hash());
}

#[test]
fn text_has_no_colour_when_not_a_terminal() {
    let (code, out, _) = run(&["appraise", STRONG]);
    assert_eq!(code, 0);
    assert!(out.starts_with("EX-01  Riverside Community Hub"), "{out}");
    assert!(!out.contains('\u{1b}'), "escape codes in piped output");
}

#[test]
fn markdown_has_a_heading_per_bid() {
    let (code, out, _) = run(&["appraise", STRONG, "--format", "markdown"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("# Appraisals\n"), "{out}");
    assert!(
        out.contains("\n## EX-01 — Riverside Community Hub"),
        "{out}"
    );
    assert!(
        out.contains("| NI1 People from different backgrounds get on well together |"),
        "{out}"
    );
}

#[test]
fn out_writes_a_file_and_nothing_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.jsonl");
    let (code, out, _) = run(&[
        "appraise",
        STRONG,
        "--format",
        "json",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(out.is_empty());
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.starts_with("{\"proposal\":{\"id\":\"EX-01\""));
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn the_built_in_checklist_works_from_any_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bid.toml"), MINIMAL).unwrap();
    let (code, out, err) = run_in(dir.path(), &["appraise", "bid.toml", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"checklist\":\"stronger\""));
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let (code, _, err) = run(&["appraise"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("the following required arguments were not provided"),
        "{err}"
    );
    let (code, _, _) = run(&["appraise", STRONG, "--format", "pdf"]);
    assert_eq!(code, 2);
    let (code, out, _) = run(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("appraise"));
}

#[test]
fn a_folder_of_bids_is_appraised_in_name_order() {
    let (code, out, _) = run_on_examples(&["appraise"], &["--format", "json"]);
    assert_eq!(code, 0);
    let ids: Vec<String> = out
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["proposal"]["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
}

/// Regression: `stronger rules check | head -1` panicked with "failed printing to stdout".
#[test]
fn a_closed_pipe_is_not_a_crash() {
    let mut appraise = vec!["appraise".to_string()];
    appraise.extend(example_bids());
    let appraise: Vec<&str> = appraise.iter().map(String::as_str).collect();
    for args in [
        &["rules", "check"][..],
        &["rules", "doc"][..],
        &appraise[..],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_stronger"))
            .args(args)
            .current_dir(root())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
    }
}
