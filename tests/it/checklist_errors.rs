//! A broken checklist is refused whole, with every problem located — never run without a rule.

use crate::support::*;

fn problems(config: &str, files: &[(&str, &str)]) -> String {
    let c = TempChecklist::new(config, files);
    let root = c.path().display().to_string();
    let e = c.load().unwrap_err();
    e.diagnostics
        .iter()
        .map(|d| d.render())
        .collect::<String>()
        .replace(&root, "RULES")
}

#[test]
fn a_rule_syntax_error_is_located() {
    let bad = rule("R-01", "    if bid.title { met(\"x\") ");
    assert_eq!(
        problems(CONFIG, &[("volunteering/R.rhai", &bad)]),
        "error: expecting '}' to terminate this block\n  --> RULES/volunteering/R.rhai:14:1\n"
    );
}

#[test]
fn bad_metadata_is_reported_key_by_key() {
    let src = "const META = #{\n    id: \"R-01\",\n    titel: \"x\",\n    theme: \"volunteering\",\n    indicators: [\"NI6\"],\n    weight: 9,\n    question: \"q\",\n    rationale: \"r\",\n};\nfn appraise(bid) { met(\"x\"); }\n";
    assert_eq!(
        problems(CONFIG, &[("volunteering/R.rhai", src)]),
        "error: unknown metadata key `titel`\n  --> RULES/volunteering/R.rhai:3:5\n  |\n3 |     titel: \"x\",\n  |     ^\n  = help: did you mean `title`?\n\
         error: `META` is missing `title`\n  --> RULES/volunteering/R.rhai:1:1\n  |\n1 | const META = #{\n  | ^\n\
         error: `META.weight` must be a number from 0 to 5\n  --> RULES/volunteering/R.rhai:6:5\n  |\n6 |     weight: 9,\n  |     ^\n"
    );
}

#[test]
fn unknown_themes_indicators_and_duplicate_ids_are_refused() {
    let a = rule("R-01", "    met(\"x\");").replace("\"NI6\"", "\"NI66\"");
    let b =
        rule("R-01", "    met(\"x\");").replace("theme: \"volunteering\"", "theme: \"volunteers\"");
    let out = problems(
        CONFIG,
        &[("volunteering/A.rhai", &a), ("volunteering/B.rhai", &b)],
    );
    assert!(out.contains("error: indicator `NI66` is not defined in checklist.toml\n  --> RULES/volunteering/A.rhai:5:18\n"), "{out}");
    assert!(out.contains("error: rule id `R-01` is also used by RULES/volunteering/A.rhai\n  --> RULES/volunteering/B.rhai:2:5\n"), "{out}");
    assert!(out.contains("error: theme `volunteers` is not defined in checklist.toml\n  --> RULES/volunteering/B.rhai:4:5\n  |\n4 |     theme: \"volunteers\",\n  |     ^\n  = help: did you mean `volunteering`?\n"), "{out}");
}

#[test]
fn config_errors_are_located() {
    let ok = rule("R-01", "    met(\"x\");");
    let out = problems(
        &CONFIG.replace("incomplete = \"refer\"", "incomplete = \"refr\""),
        &[("volunteering/R.rhai", &ok)],
    );
    assert_eq!(
        out,
        "error: `incomplete = \"refr\"` names no outcome\n  --> RULES/checklist.toml:25:1\n   |\n25 | incomplete = \"refr\"\n   | ^\n   = help: did you mean `refer`?\n"
    );
    let out = problems(
        &CONFIG.replace("[[bands]]\nid = \"neutral\"", "[[band]]\nid = \"neutral\""),
        &[("volunteering/R.rhai", &ok)],
    );
    assert_eq!(
        out,
        "error: unknown key `band`\n  --> RULES/checklist.toml:20:3\n   |\n20 | [[band]]\n   |   ^\n   = help: did you mean `bands`?\n"
    );
}

#[test]
fn bad_metadata_meets_is_refused() {
    let src = rule("R-01", "    met(\"x\");").replace(
        "rationale: \"For testing.\",",
        "rationale: \"For testing.\",\n    meets: 3,",
    );
    assert_eq!(
        problems(CONFIG, &[("volunteering/R.rhai", &src)]),
        "error: `META.meets` must be non-empty text in quotes\n  --> RULES/volunteering/R.rhai:9:5\n  |\n9 |     meets: 3,\n  |     ^\n"
    );
}

#[test]
fn config_values_are_checked_against_the_checklist_schema() {
    let ok = rule("R-01", "    met(\"x\");");
    let out = problems(
        &format!("{CONFIG}\n[rules.R-01]\nweight = \"heavy\"\n"),
        &[("volunteering/R.rhai", &ok)],
    );
    assert_eq!(
        out,
        "error: expected a number, found the text \"heavy\"\n  --> RULES/checklist.toml:37:10 (field `rules.R-01.weight`)\n   |\n37 | weight = \"heavy\"\n   |          ^\n"
    );
}

#[test]
fn a_missing_folder_or_config_is_clear() {
    let e = stronger::Checklist::load(std::path::Path::new("no/such/dir")).unwrap_err();
    assert_eq!(
        e.diagnostics[0].render(),
        "error: cannot read the checklist folder: no such file\n  --> no/such/dir\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let e = stronger::Checklist::load(dir.path()).unwrap_err();
    assert_eq!(
        e.diagnostics[0].message,
        "no `checklist.toml` in the checklist folder"
    );
}

#[test]
fn the_cli_refuses_a_broken_checklist_with_exit_2() {
    let bad = rule("R-01", "    met(\"x\"");
    let c = TempChecklist::new(CONFIG, &[("volunteering/R.rhai", &bad)]);
    let (code, out, err) = run(&[
        "appraise",
        "examples/01-riverside-community-hub.toml",
        "--rules",
        c.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.ends_with("error: the checklist is invalid; nothing was appraised\n"),
        "{err}"
    );
}
