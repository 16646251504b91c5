//! Bad bids and bad checklists as data: each file of `tests/data/bad-bids/` and each folder of
//! `tests/data/bad-checklists/` is one case, run through the CLI as a user would run it; the
//! snapshot holds the exit status and everything printed, so a message can only change on
//! review. A new case is a new file or folder, and nothing else.

use crate::support::*;

/// What a run showed a user: its exit status, then stdout and stderr as printed.
fn shown(code: i32, out: &str, err: &str) -> String {
    format!("exit status: {code}\n--- stdout\n{out}--- stderr\n{err}")
}

/// The path of a fixture relative to the repository root, as the snapshot names it.
fn relative(path: &std::path::Path) -> String {
    path.strip_prefix(root())
        .unwrap()
        .display()
        .to_string()
        .replace('\\', "/")
}

#[test]
fn bad_bids() {
    // `?*`, not `*`: the pattern must not match the folder itself.
    insta::glob!("../data/bad-bids", "?*", |path| {
        let (code, out, err) = run(&["appraise", &relative(path), "--format", "json"]);
        // A bid good enough to appraise (a warning only) prints its appraisal, whose numbers are
        // the rules' business, not this test's: count the lines.
        let out = match out.lines().count() {
            0 => String::new(),
            n => format!("[{n} appraisal line(s)]\n"),
        };
        insta::assert_snapshot!(shown(code, &out, &err));
    });
}

#[test]
fn bad_checklists() {
    insta::glob!("../data/bad-checklists", "?*", |path| {
        let (code, out, err) = run(&["rules", "check", "--rules", &relative(path)]);
        insta::assert_snapshot!(shown(code, &out, &err));
    });
}
