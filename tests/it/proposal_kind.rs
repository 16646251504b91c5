//! The engine's `is_decision(bid)` and `only_takes_away(bid)`: the meaning of the Rhai copies
//! fourteen rules once carried, the same reads in a trace, a rule's own function of the same
//! name still called in their place, and clear errors for anything but the bid.

use crate::support::*;
use stronger::Status;

/// The copies the rules carried before the engine offered these, renamed so both can run.
const SCRIPT_COPIES: &str = r#"
fn script_is_decision(bid) {
    if stated(bid.kind) { return bid.kind != "funding-bid"; }
    stated(bid.decision)
}

fn script_only_takes_away(bid) {
    if !script_is_decision(bid) { return false; }
    let list = bid.decision.changes;
    if stated(list) {
        let opens = false;
        let takes = false;
        for ch in list {
            if stated(ch.action) {
                if ch.action == "opens" { opens = true; } else { takes = true; }
            }
        }
        return takes && !opens;
    }
    affirmed(bid, ["closing", "ending", "cutting", "relocating", "taking_back"]).len() > 0
}
"#;

/// Proposals written as committees and applicants write them, each with what it is.
fn proposals() -> Vec<(&'static str, String)> {
    let table = |kind: &str, actions: &[&str]| {
        let mut s = format!("{kind}{MINIMAL}[decision]\nwho_decides = \"institution\"\n");
        for a in actions {
            s.push_str(&format!(
                "[[decision.changes]]\naction = \"{a}\"\nwhat = \"the day centre\"\n"
            ));
        }
        s
    };
    let said = |kind: &str, summary: &str| format!("{kind}summary = \"{summary}\"\n{MINIMAL}");
    vec![
        (
            "a funding bid that says nothing of its kind",
            MINIMAL.to_string(),
        ),
        (
            "a funding bid that says so, about a closure it responds to",
            said(
                "kind = \"funding-bid\"\n",
                "The council is closing the day centre, so we will open a lunch club.",
            ),
        ),
        (
            "a bid without a kind whose words describe a closure",
            said("", "We will close the café on Sundays."),
        ),
        (
            "a service change that closes and ends",
            table("kind = \"service-change\"\n", &["closes", "ends"]),
        ),
        (
            "a service change that moves one service and opens another",
            table("kind = \"service-change\"\n", &["moves", "opens"]),
        ),
        ("a table of changes without a kind", table("", &["reduces"])),
        (
            "a table whose changes name no action",
            format!("kind = \"policy\"\n{MINIMAL}[[decision.changes]]\nwhat = \"the 42 bus\"\n"),
        ),
        (
            "a decision table with no changes",
            format!("{MINIMAL}[decision]\nconsulted = true\n"),
        ),
        (
            "a closure in words only",
            said(
                "kind = \"closure-or-relocation\"\n",
                "Brookside Day Centre will close in March and its users will be offered places at Westgate.",
            ),
        ),
        (
            "a residents' budget taken back, in words only",
            said(
                "kind = \"policy\"\n",
                "The residents' panel will be disbanded and the budget will be allocated by officers.",
            ),
        ),
        (
            "a closure denied, in words only",
            said(
                "kind = \"service-change\"\n",
                "No library will close; opening hours stay as they are.",
            ),
        ),
        (
            "a commissioning decision that says nothing of what it changes",
            said(
                "kind = \"commissioning-decision\"\n",
                "A new befriending contract from April.",
            ),
        ),
    ]
}

#[test]
fn the_engines_answers_are_the_script_copies_answers() {
    let body = r#"    met(`${is_decision(bid)} ${script_is_decision(bid)} ${only_takes_away(bid)} ${script_only_takes_away(bid)}`);"#;
    let c = one_rule_with_concepts(body, SCRIPT_COPIES).load().unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for (what, text) in proposals() {
        let a = appraise_with(&c, &text);
        assert!(a.errors.is_empty(), "{what}: {:?}", a.errors);
        let reason = a.checklist[0].reason.clone().unwrap();
        let words: Vec<&str> = reason.split(' ').collect();
        assert_eq!(words[0], words[1], "{what}: is_decision");
        assert_eq!(words[2], words[3], "{what}: only_takes_away");
        seen.insert((words[0].to_string(), words[2].to_string()));
    }
    // The cases reach every answer a proposal can have.
    assert_eq!(seen.len(), 3, "{seen:?}");
}

#[test]
fn the_answers_are_what_the_proposals_say() {
    let body = r#"    met(`${is_decision(bid)} ${only_takes_away(bid)}`);"#;
    let c = one_rule_with_concepts(body, "").load().unwrap();
    let got: Vec<(&str, String)> = proposals()
        .into_iter()
        .map(|(what, text)| {
            let a = appraise_with(&c, &text);
            (what, a.checklist[0].reason.clone().unwrap())
        })
        .collect();
    let want = [
        "false false",
        "false false",
        "false false",
        "true true",
        "true false",
        "true true",
        "true false",
        "true false",
        "true true",
        "true true",
        "true false",
        "true false",
    ];
    for ((what, got), want) in got.iter().zip(want) {
        assert_eq!(got, want, "{what}");
    }
}

#[test]
fn a_rules_own_function_of_the_same_name_is_called_instead() {
    // A partnership's rule written before the engine offered these keeps its own meaning.
    let own = r#"
fn is_decision(bid) { true }

fn only_takes_away(bid) { stated(bid.summary) }
"#;
    let body = r#"    met(`${is_decision(bid)} ${only_takes_away(bid)}`);"#;
    let c = one_rule_with_concepts(body, own).load().unwrap();
    let a = appraise_with(&c, MINIMAL);
    assert_eq!(a.checklist[0].reason.as_deref(), Some("true false"));
    let a = appraise_with(&c, &format!("summary = \"A lunch club.\"\n{MINIMAL}"));
    assert_eq!(a.checklist[0].reason.as_deref(), Some("true true"));
    // Without its own, the rule gets the engine's: a funding bid is no decision.
    let c = one_rule_with_concepts(body, "").load().unwrap();
    let a = appraise_with(&c, MINIMAL);
    assert_eq!(a.checklist[0].reason.as_deref(), Some("false false"));
}

#[test]
fn a_rules_own_only_takes_away_is_not_checked_for_the_engines_concepts() {
    // A checklist with no concepts: the engine's `only_takes_away` could not ask its concepts,
    // and `rules check` says so where it is called; a rule with its own version is not asked.
    let engine = TempChecklist::new(
        CONFIG,
        &[(
            "volunteering/R.rhai",
            &rule(
                "R-01",
                "    if only_takes_away(bid) { return not_applicable(\"a loss\"); }\n    met(\"ok\");",
            ),
        )],
    );
    let Err(err) = engine.load().map(|_| ()) else {
        panic!("the concepts are missing: the checklist must not load");
    };
    let err = err.to_string();
    assert!(
        err.contains("the checklist has no concept `closing`"),
        "{err}"
    );
    assert!(err.contains("R.rhai:12:8"), "{err}");
    let own = TempChecklist::new(
        CONFIG,
        &[(
            "volunteering/R.rhai",
            &format!(
                "{}\nfn only_takes_away(bid) {{ false }}\n",
                rule(
                    "R-01",
                    "    if only_takes_away(bid) { return not_applicable(\"a loss\"); }\n    met(\"ok\");"
                )
            ),
        )],
    );
    let c = own.load().unwrap();
    assert_eq!(appraise_with(&c, MINIMAL).checklist[0].status, Status::Met);
}

/// The fields `explain` lists as read by rule R-01 on `bid`: (field, value) and the line.
fn explained(dir: &TempChecklist, bid: &str) -> Vec<(String, String)> {
    let path = dir.path().join("bid.toml");
    std::fs::write(&path, bid).unwrap();
    let (code, out, err) = run(&[
        "explain",
        path.to_str().unwrap(),
        "--rules",
        dir.path().to_str().unwrap(),
        "--rule",
        "R-01",
        "--width",
        "200",
    ]);
    assert_eq!(code, 0, "{err}");
    out.lines()
        .skip_while(|l| *l != "  read")
        .skip(1)
        .take_while(|l| l.starts_with("    "))
        .map(|l| {
            let (field, rest) = l.trim().split_once(' ').unwrap();
            (field.to_string(), rest.trim().to_string())
        })
        .collect()
}

#[test]
fn explain_shows_the_fields_they_read_at_the_call() {
    let body =
        "    if only_takes_away(bid) { return not_applicable(\"a loss\"); }\n    met(\"a gain\");";
    let native = one_rule_with_concepts(body, "");
    let script = one_rule_with_concepts(
        &body.replace("only_takes_away", "script_only_takes_away"),
        SCRIPT_COPIES,
    );
    let closes = format!(
        "kind = \"service-change\"\n{MINIMAL}[[decision.changes]]\naction = \"closes\"\nwhat = \"the day centre\"\n"
    );
    assert_eq!(
        explained(&native, &closes),
        [
            ("kind", "\"service-change\"  line 12"),
            (
                "decision.changes",
                "[{\"action\":\"closes\",\"what\":\"the day centre\"}]  line 12"
            ),
            ("decision.changes[0].action", "\"closes\"  line 12"),
        ]
        .map(|(f, v)| (f.to_string(), v.to_string()))
    );
    // A funding bid: `kind` and `decision` were asked, neither stated ("decision  not stated").
    assert_eq!(
        explained(&native, MINIMAL),
        [
            ("kind", "not stated  line 12"),
            ("decision", "not stated  line 12")
        ]
        .map(|(f, v)| (f.to_string(), v.to_string()))
    );
    // The script copies read the same fields, in the same order, at their own lines.
    let fields = |reads: Vec<(String, String)>| -> Vec<(String, String)> {
        reads
            .into_iter()
            .map(|(f, v)| (f, v.rsplit_once("  line ").unwrap().0.to_string()))
            .collect()
    };
    for bid in [
        closes.as_str(),
        MINIMAL,
        &format!("kind = \"policy\"\nsummary = \"The day centre will close.\"\n{MINIMAL}"),
    ] {
        assert_eq!(
            fields(explained(&native, bid)),
            fields(explained(&script, bid)),
            "{bid}"
        );
    }
}

#[test]
fn anything_but_the_bid_is_refused_with_a_message() {
    for (body, message) in [
        (
            "    if is_decision(bid.decision) { met(\"x\"); } else { met(\"y\"); }",
            "`is_decision` needs the whole bid (`is_decision(bid)`), not `bid.decision`",
        ),
        (
            "    if only_takes_away(\"the bid\") { met(\"x\"); } else { met(\"y\"); }",
            "`only_takes_away` needs the bid (`only_takes_away(bid)`), found string",
        ),
    ] {
        let c = one_rule_with_concepts(body, "").load().unwrap();
        let a = appraise_with(&c, MINIMAL);
        assert_eq!(a.errors.len(), 1, "{body}");
        assert_eq!(a.errors[0].message, message);
        assert_eq!(a.errors[0].location().rsplit(':').nth(1), Some("12"));
    }
}
