//! The README's example output is what the command prints: every line of the example that is
//! not `…` appears, in order, in the real output.

use crate::support::*;

/// Checks the ```text block after `marker` against the output of `args`.
fn check_example(readme: &str, marker: &str, args: &[&str]) {
    let after = &readme[readme.find(marker).unwrap()..];
    let block = after
        .split("```text\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let (code, out, _) = run(args);
    assert_eq!(code, 0);
    let mut rest = out.as_str();
    for line in block.lines().filter(|l| l.trim() != "…") {
        let at = rest.find(line).unwrap_or_else(|| {
            panic!("README line not in output (in order):\n{line}\n\noutput:\n{out}")
        });
        rest = &rest[at + line.len()..];
    }
}

#[test]
fn the_readme_examples_are_real() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    check_example(
        &readme,
        "An example (`stronger appraise examples/05-ashgrove-peoples-budget.toml`",
        &["appraise", "examples/05-ashgrove-peoples-budget.toml"],
    );
    check_example(
        &readme,
        "An example (`stronger appraise tests/data/decisions/clinic-move.toml`",
        &["appraise", "tests/data/decisions/clinic-move.toml"],
    );
    check_example(
        &readme,
        "with the clinic move above (`stronger portfolio",
        &[
            "portfolio",
            "examples/decisions",
            "tests/data/decisions/clinic-move.toml",
            "--by",
            "partnership",
        ],
    );
    check_example(
        &readme,
        "An example (`stronger advise examples/06-little-wendham-village-hall.toml`",
        &["advise", "examples/06-little-wendham-village-hall.toml"],
    );
    check_example(
        &readme,
        "An example (`stronger appraise tests/data/contradicted/walking-football.toml --full`",
        &[
            "appraise",
            "tests/data/contradicted/walking-football.toml",
            "--full",
        ],
    );
}

#[test]
fn the_readme_names_the_two_commands() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(readme.contains("cargo run --release -- appraise examples/"));
    assert!(readme.contains("\nscripts/test\n"));
    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    assert!(ci.contains("\nscripts/test\n"));
    let script = std::fs::read_to_string(root().join("scripts/test")).unwrap();
    assert!(script.contains("\ncargo test \"$@\"\n"));
}
