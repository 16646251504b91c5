//! Runaway and hostile rules are stopped, named, and leave the appraisal incomplete; the other
//! rules still run and the process stays alive. Each Rhai trap the project has met (a budget or
//! overflow error without a position, a comparer's error swallowed, `eval` reached through a
//! function pointer, …) has a test here, so a Rhai upgrade cannot bring it back.

use crate::support::*;
use std::time::{Duration, Instant};

/// A rule that always meets, to prove the other rules still run.
fn good() -> String {
    rule(
        "OK-01",
        "    impact(\"NI6\", 2, \"fine\");\n    met(\"fine\");",
    )
}

/// Appraises MINIMAL with a checklist of `good()` plus one rule with `body`; returns the
/// appraisal and how long it took.
fn run_bad(body: &str, config: &str) -> (stronger::Appraisal, Duration) {
    let bad = rule("BAD-01", body);
    let c = TempChecklist::new(
        config,
        &[
            ("volunteering/BAD-01.rhai", &bad),
            ("volunteering/OK-01.rhai", &good()),
        ],
    );
    let checklist = c.load().unwrap();
    let start = Instant::now();
    let a = appraise_with(&checklist, MINIMAL);
    (a, start.elapsed())
}

fn assert_stopped(a: &stronger::Appraisal, line: usize, message: &str) {
    assert!(!a.complete, "the appraisal must be incomplete");
    assert_eq!(
        a.outcome, "refer",
        "an incomplete appraisal gets `[screening] incomplete`"
    );
    assert_eq!(a.errors.len(), 1, "{:?}", a.errors);
    let e = &a.errors[0];
    assert_eq!(e.rule, "BAD-01");
    assert!(e.file.ends_with("/volunteering/BAD-01.rhai"), "{}", e.file);
    assert_eq!(e.line, Some(line), "{e:?}");
    assert_eq!(e.message, message);
    // The good rule still ran.
    assert_eq!(a.checklist.len(), 1);
    assert_eq!(a.checklist[0].rule, "OK-01");
    assert_eq!(a.indicators["NI6"].score, 2.0);
}

#[test]
fn an_infinite_loop_is_stopped_by_the_operation_budget() {
    let (a, took) = run_bad("    loop { }", CONFIG);
    // Rhai gives budget errors no position: the error points at `fn appraise`.
    assert_stopped(
        &a,
        11,
        "the rule used up its operation budget of 200000 and was stopped (does it loop forever?)",
    );
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn a_slow_rule_is_stopped_by_its_deadline() {
    // Raise the operation budget out of reach so only the wall clock can stop it.
    let config =
        format!("{CONFIG}\n[limits]\nrule_operations = 1000000000000\nrule_millis = 100\n");
    let (a, took) = run_bad("    let x = 0;\n    loop { x += 1; }", &config);
    assert_stopped(
        &a,
        11,
        "the rule ran past its deadline and was stopped (100 ms)",
    );
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn the_appraisal_deadline_stops_the_rest() {
    let config = format!(
        "{CONFIG}\n[limits]\nrule_operations = 1000000000000\nrule_millis = 5000\nappraisal_millis = 100\n"
    );
    let (a, took) = run_bad("    let x = 0;\n    loop { x += 1; }", &config);
    assert!(!a.complete);
    // BAD-01 sorts first, uses up the appraisal's time; OK-01 is then not run.
    assert_eq!(a.errors.len(), 2, "{:?}", a.errors);
    assert_eq!(
        a.errors[0].message,
        "the appraisal passed its deadline of 100 ms during this rule, which was stopped"
    );
    assert_eq!(a.errors[1].rule, "OK-01");
    assert_eq!(
        a.errors[1].message,
        "not run: the appraisal passed its deadline of 100 ms"
    );
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn unbounded_recursion_is_stopped_without_overflowing_the_stack() {
    let body = "    down(0);\n}\n\nfn down(n) {\n    down(n + 1)";
    let (a, took) = run_bad(body, CONFIG);
    // Rhai gives the overflow no position: the error points at `fn appraise`.
    assert_stopped(
        &a,
        11,
        "the rule nested calls more than 48 deep and was stopped (unbounded recursion?)",
    );
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn sleep_is_refused_not_obeyed() {
    let (a, took) = run_bad("    sleep(1000);\n    met(\"slept\");", CONFIG);
    assert_stopped(&a, 12, "rules cannot `sleep`");
    assert!(
        took < Duration::from_secs(5),
        "sleep must not block: took {took:?}"
    );
    let (a, _) = run_bad("    sleep(2.5);\n    met(\"slept\");", CONFIG);
    assert_stopped(&a, 12, "rules cannot `sleep`");
}

#[test]
fn assigning_into_a_constant_map_is_an_error_not_a_crash() {
    for stmt in ["P.a = 1;", "P[\"a\"] = 1;", "P.a += 1;"] {
        let body = format!("    const P = #{{a: 5}};\n    {stmt}\n    met(\"x\");");
        let (a, _) = run_bad(&body, CONFIG);
        assert_stopped(&a, 13, "cannot modify constant P");
    }
}

#[test]
fn a_huge_string_is_stopped() {
    let (a, _) = run_bad(
        "    let s = \"xxxxxxxxxxxxxxxx\";\n    loop { s += s; }",
        CONFIG,
    );
    assert_stopped(
        &a,
        11,
        "the rule built a value too large (length of string) and was stopped",
    );
}

#[test]
fn a_huge_array_is_stopped() {
    let (a, _) = run_bad("    let s = [1];\n    loop { s += s; }", CONFIG);
    assert_stopped(
        &a,
        11,
        "the rule built a value too large (size of array/blob) and was stopped",
    );
}

#[test]
fn a_rule_that_records_no_status_is_an_error() {
    let (a, _) = run_bad("    let x = 1;", CONFIG);
    assert!(!a.complete);
    assert_eq!(
        a.errors[0].message,
        "the rule finished without recording a status; every path must end in `met`, `not_met`, `not_stated` or `not_applicable`"
    );
}

#[test]
fn a_second_status_is_an_error() {
    let (a, _) = run_bad("    met(\"a\");\n    not_met(\"b\");", CONFIG);
    assert_stopped(
        &a,
        13,
        "the rule recorded a second status (`not-met` after `met` at line 12); a rule records exactly one",
    );
}

#[test]
fn an_impact_on_an_undeclared_indicator_is_an_error() {
    let (a, _) = run_bad("    impact(\"NI4\", 1, \"x\");\n    met(\"x\");", CONFIG);
    assert_stopped(
        &a,
        12,
        "`NI4` is not among this rule's indicators (NI6); add it to `META.indicators`",
    );
}

#[test]
fn an_impact_out_of_range_is_an_error() {
    let (a, _) = run_bad("    impact(\"NI6\", 7, \"x\");\n    met(\"x\");", CONFIG);
    assert_stopped(&a, 12, "an impact must be from -3 to 3, found 7");
}

#[test]
fn not_stated_is_never_read_as_no_or_zero() {
    let cases = [
        (
            "    if bid.volunteering.roles > 0 { met(\"x\") } else { not_met(\"x\") }",
            12,
            "`volunteering.roles` is not stated, so it cannot be used in `>`; test it with `stated(...)` first",
        ),
        (
            "    if bid.involvement.co_designed { met(\"x\") } else { not_met(\"x\") }",
            12,
            "a not-stated field was used where `true` or `false` was expected; test it with `stated(...)` first",
        ),
        (
            "    if bid.involvement.co_designed == false { not_met(\"x\") } else { met(\"x\") }",
            12,
            "`involvement.co_designed` is not stated, so it cannot be used in `==`; test it with `stated(...)` first",
        ),
        (
            "    for p in bid.partners { }\n    met(\"x\");",
            12,
            "`for` needs a list here; a not-stated list must be tested with `stated(...)` first",
        ),
        (
            "    let n = count(bid.partners);\n    met(\"x\");",
            12,
            "`partners` is not stated, so it cannot be used in `count`; test it with `stated(...)` first",
        ),
    ];
    for (body, line, msg) in cases {
        let (a, _) = run_bad(body, CONFIG);
        assert_stopped(&a, line, msg);
    }
}

// A misspelt field read with a dot is refused at load: `tests/data/bad-checklists/misspelt-field/`.
#[test]
fn a_misspelt_field_read_by_index_is_stopped_at_run_time() {
    let (a, _) = run_bad(
        "    let n = bid.volunteering[\"new_volunters\"];\n    met(\"x\");",
        CONFIG,
    );
    assert_stopped(
        &a,
        12,
        "the proposal has no field `volunteering.new_volunters`; did you mean `volunteering.new_volunteers`?",
    );
}

#[test]
fn stated_tells_absent_from_false_and_zero() {
    let body = "    let v = bid.volunteering;\n    if !stated(v.roles) { return not_stated(\"how many roles?\"); }\n    if v.roles == 0 { return not_met(\"no roles\"); }\n    met(`${v.roles} roles`);";
    let c = TempChecklist::new(CONFIG, &[("volunteering/R.rhai", &rule("R-01", body))]);
    let checklist = c.load().unwrap();
    let status = |extra: &str| {
        let a = appraise_with(&checklist, &format!("{MINIMAL}{extra}"));
        assert!(a.complete, "{:?}", a.errors);
        let i = &a.checklist[0];
        (
            i.status.as_str().to_string(),
            i.reason.clone().or(i.ask.clone()).unwrap(),
        )
    };
    assert_eq!(status(""), ("not-stated".into(), "how many roles?".into()));
    assert_eq!(
        status("[volunteering]\nroles = 0\n"),
        ("not-met".into(), "no roles".into())
    );
    assert_eq!(
        status("[volunteering]\nroles = 3\n"),
        ("met".into(), "3 roles".into())
    );
}

// `eval` and `import` are refused at load: `tests/data/bad-checklists/eval-in-rule/` and
// `tests/data/bad-checklists/import-in-rule/`.
#[test]
fn there_is_no_function_to_open_a_file() {
    let (a, _) = run_bad(
        "    let f = open_file(\"/etc/passwd\");\n    met(\"x\");",
        CONFIG,
    );
    assert_stopped(
        &a,
        12,
        "no function `open_file (&str | ImmutableString | String)` is available to rules",
    );
}

#[test]
fn the_cli_survives_a_runaway_rule_and_exits_1() {
    let bad = rule("BAD-01", "    loop { }");
    let c = TempChecklist::new(
        CONFIG,
        &[
            ("volunteering/BAD-01.rhai", &bad),
            ("volunteering/OK-01.rhai", &good()),
        ],
    );
    let bidfile = c.path().join("bid.toml");
    std::fs::write(&bidfile, MINIMAL).unwrap();
    let (code, out, err) = run(&[
        "appraise",
        bidfile.to_str().unwrap(),
        "--rules",
        c.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    let a: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(a["complete"], false);
    assert_eq!(a["errors"][0]["rule"], "BAD-01");
    assert_eq!(a["errors"][0]["line"], 11);
}

#[test]
fn the_trace_names_every_field_a_rule_read_and_the_outcome_it_reached() {
    let body = "    let r = bid.volunteering.roles;\n    let w = mentions(bid, [\"volunteer*\"]);\n    let p = bid.partners;\n    met(\"x\");";
    let c = TempChecklist::new(CONFIG, &[("volunteering/R.rhai", &rule("R-01", body))]);
    let checklist = c.load().unwrap();
    let (a, trace) = stronger::appraise_traced(
        &checklist,
        &bid(&format!("{MINIMAL}[volunteering]\nroles = 2\n")),
    );
    assert!(a.complete);
    let t = &trace.rules[0];
    assert_eq!(t.rule, "R-01");
    assert_eq!(
        t.reads,
        vec![
            ("volunteering.roles".to_string(), 12),
            ("(all free text)".to_string(), 13),
            ("partners".to_string(), 14)
        ]
    );
    assert_eq!(
        t.hits,
        vec![stronger::OutcomeSite {
            kind: "met".into(),
            line: 15
        }]
    );
}

#[test]
fn an_example_with_no_words_stops_the_rule() {
    let (a, _) = run_bad(
        "    advise(\"Name a partner.\", 1, #{ \"partners[0].name\": example(\"  \") });\n    met(\"x\");",
        CONFIG,
    );
    assert_stopped(
        &a,
        12,
        "`example` needs the example's words, e.g. example(\"a local business\")",
    );
    let (a, _) = run_bad(
        "    let x = example(\"a local business\");\n    if x != \"[example: a local business]\" { throw \"unmarked\"; }\n    met(x);",
        CONFIG,
    );
    assert!(a.complete, "{:?}", a.errors);
}

/// Each compiled rule keeps the function lookups it made on a thread for the next bid
/// (`src/engine/warm.rs`): two rules defining a function of the same name must each call their
/// own, bid after bid, and a checklist loaded again must call its new functions, not the ones
/// a rule of the same id and file had before.
#[test]
fn rules_with_functions_of_the_same_name_each_call_their_own_bid_after_bid() {
    let with_label = |id: &str, label: &str| {
        format!(
            "{}\nfn label() {{ \"{label}\" }}\nfn label(x) {{ `{label}${{x}}` }}\n",
            rule(id, "    met(label() + label(1));")
        )
    };
    let reasons = |a: &stronger::Appraisal| {
        a.checklist
            .iter()
            .map(|i| (i.rule.clone(), i.reason.clone().unwrap_or_default()))
            .collect::<Vec<_>>()
    };
    let expect = |a: &str, b: &str| {
        vec![
            ("A-01".to_string(), format!("{a}{a}1")),
            ("B-01".to_string(), format!("{b}{b}1")),
        ]
    };
    for (a_label, b_label) in [("a", "b"), ("c", "b"), ("a", "d")] {
        let c = TempChecklist::new(
            CONFIG,
            &[
                ("volunteering/A-01.rhai", &with_label("A-01", a_label)),
                ("volunteering/B-01.rhai", &with_label("B-01", b_label)),
            ],
        );
        let checklist = c.load().unwrap();
        for _ in 0..4 {
            let a = appraise_with(&checklist, MINIMAL);
            assert!(a.complete, "{:?}", a.errors);
            assert_eq!(reasons(&a), expect(a_label, b_label));
        }
    }
}
