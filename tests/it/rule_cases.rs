//! The bundled checklist's own test cases (rules/tests/*.toml): every outcome of every rule.

use crate::support::*;
use stronger::Status;

#[test]
fn every_case_of_the_bundled_checklist_passes() {
    let results = stronger::cases::run(builtin()).unwrap();
    assert!(results.len() >= 30, "only {} cases", results.len());
    let failed: Vec<String> = results
        .iter()
        .filter(|r| !r.passed())
        .map(|r| {
            format!(
                "{} — {}:\n    {}",
                r.file,
                r.name,
                r.failures.join("\n    ")
            )
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} cases failed:\n{}",
        failed.len(),
        results.len(),
        failed.join("\n")
    );
}

#[test]
fn the_cases_reach_met_and_a_not_stated_or_not_applicable_for_every_rule() {
    let results = stronger::cases::run(builtin()).unwrap();
    let reached = |id: &str, want: Status| {
        results
            .iter()
            .filter_map(|r| r.appraisal.as_ref())
            .any(|a| a.checklist.iter().any(|i| i.rule == id && i.status == want))
    };
    for rule in builtin().rules() {
        assert!(
            reached(&rule.id, Status::Met),
            "no case makes {} met",
            rule.id
        );
        // A thin bid is asked about, or the item does not apply: never silently failed.
        assert!(
            reached(&rule.id, Status::NotStated) || reached(&rule.id, Status::NotApplicable),
            "no case makes {} not stated or not applicable",
            rule.id
        );
    }
}

#[test]
fn a_failing_case_shows_expected_against_actual() {
    let dir = TempChecklist::new(
        CONFIG,
        &[
            ("volunteering/R.rhai", &rule("R-01", "    met(\"always\");")),
            ("tests/bids/base.toml", MINIMAL),
            (
                "tests/cases.toml",
                "[[case]]\nname = \"wrong on purpose\"\nbid = \"base\"\n[case.expect]\nstatus = { \"R-01\" = \"not-met\" }\noutcome = \"recommend\"\n",
            ),
        ],
    );
    let results = stronger::cases::run(&dir.load().unwrap()).unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(
        results[0].failures,
        vec![
            "R-01 status: expected not-met, found met",
            "outcome: expected recommend, found refer"
        ]
    );
}

#[test]
fn the_cases_reach_every_outcome_of_every_rule() {
    let results = stronger::cases::run(builtin()).unwrap();
    let coverage =
        stronger::cases::coverage(builtin(), &results, stronger::cases::CoverageScope::All);
    let missed: Vec<String> = coverage
        .rules
        .iter()
        .flat_map(|r| {
            r.missed
                .iter()
                .map(move |m| format!("{}:{} {}", r.file, m.line, m.kind))
        })
        .collect();
    assert!(missed.is_empty(), "never reached: {missed:?}");
    assert_eq!(coverage.percent(), 100.0);
}

/// A rule that scores NI6 by the number of new volunteers, for the comparison cases.
const BY_VOLUNTEERS: &str = "    let v = bid.volunteering.new_volunteers;\n    if !stated(v) { return not_stated(\"how many?\"); }\n    if v >= 10 { impact(\"NI6\", 2, \"many\"); }\n    met(\"some\");";

#[test]
fn a_comparison_case_states_a_relation_between_two_bids() {
    let dir = TempChecklist::new(
        CONFIG,
        &[
            ("volunteering/R.rhai", &rule("R-01", BY_VOLUNTEERS)),
            ("tests/bids/base.toml", MINIMAL),
            (
                "tests/judgments.toml",
                "[[compare]]\nname = \"more volunteers, no less volunteering\"\nbid = \"base\"\na.set = { \"volunteering.new_volunteers\" = 2 }\nb.set = { \"volunteering.new_volunteers\" = 12 }\nexpect = [\"b.NI6 > a.NI6\", \"b.NI6.band > a.NI6.band\", \"a.NI6.band == neutral\", \"b.R-01 == met\", \"b.total <= a.total + 2\"]\n",
            ),
        ],
    );
    let results = stronger::cases::run(&dir.load().unwrap()).unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].failures, Vec::<String>::new());
}

#[test]
fn a_comparison_that_does_not_hold_shows_both_sides() {
    let dir = TempChecklist::new(
        CONFIG,
        &[
            ("volunteering/R.rhai", &rule("R-01", BY_VOLUNTEERS)),
            ("tests/bids/base.toml", MINIMAL),
            (
                "tests/judgments.toml",
                "[[compare]]\nname = \"wrong on purpose\"\nbid = \"base\"\na.set = { \"volunteering.new_volunteers\" = 2 }\nb.unset = [\"volunteering\"]\nexpect = [\"b.NI6 > a.NI6\", \"b.NI6.band >= positive\", \"b.R-01 == met\", \"a.R-01 > b.R-01\", \"b.NI9 < 0\", \"b.budget == 1\", \"b.NI6 ~ 1\"]\n",
            ),
        ],
    );
    let results = stronger::cases::run(&dir.load().unwrap()).unwrap();
    assert_eq!(
        results[0].failures,
        vec![
            "expected b.NI6 > a.NI6, found b.NI6 = 0, a.NI6 = 0",
            "expected b.NI6.band >= positive, found b.NI6.band = neutral",
            "expected b.R-01 == met, found b.R-01 = not-stated",
            "cannot read `a.R-01 > b.R-01`: a status can only be compared with == or !=, not >",
            // The test checklist has no NI9.
            "cannot read `b.NI9 < 0`: `NI9` is not `total`, `outcome`, `verified_share`, `placeholders`, `contradictions`, an indicator, a theme or a rule",
            "cannot read `b.budget == 1`: `budget` is not `total`, `outcome`, `verified_share`, `placeholders`, `contradictions`, an indicator, a theme or a rule",
            "cannot read `b.NI6 ~ 1`: expected `LEFT OP RIGHT` with OP one of <, <=, ==, !=, >=, >",
        ]
    );
}
