//! The claims API offered to rules: claims by status and actor, backing graded by the engine,
//! concepts checked when a checklist loads, and the deprecated word searches seeing only what a
//! bid affirms.

use crate::support::*;
use stronger::{Confidence, Grade, Status};

const CONCEPTS: &str = r#"
[triggers.negated]
forward = ["no", "not", "n't", "never", "without"]
[triggers.hedged]
forward = ["hope to", "may", "might"]
[triggers.past]
forward = ["used to"]
[triggers]
pseudo = ["not only"]
terminate = ["but"]

[actors.residents]
side = "community"
phrases = ["residents"]
[actors.council]
side = "institution"
phrases = ["the council"]

[concepts.volunteering]
description = "People giving their time unpaid."
phrases = ["volunteer"]

[concepts.deciding]
description = "Someone decides something."
phrases = ["decide"]
"#;

/// A rule that says what it read about volunteering, backed by what it read.
const RULE: &str = r#"    let yes = affirmed(bid, "volunteering");
    let no = negated(bid, "volunteering");
    let maybe = hedged(bid, "volunteering");
    if stated(bid.volunteering.roles) && bid.volunteering.roles > 0 {
        impact("NI6", 2, `${bid.volunteering.roles} roles`, "volunteering.roles");
        return met("roles", "volunteering.roles");
    }
    if no.len() > 0 { return not_met(`the bid says ${quote(no[0])}`, no[0]); }
    if maybe.len() > 0 { return not_stated(`the bid hopes: ${quote(maybe[0])}`); }
    if yes.len() > 0 {
        let c = yes[0];
        impact("NI6", 1, `${c.status} ${c.phrase} in ${c.field}`, c);
        return met(`the bid says ${quote(c)}`, c);
    }
    not_stated("any volunteers?");"#;

fn checklist(rule_body: &str) -> TempChecklist {
    TempChecklist::new(
        CONFIG,
        &[
            ("concepts.toml", CONCEPTS),
            ("volunteering/R.rhai", &rule("R-01", rule_body)),
        ],
    )
}

#[test]
fn a_denial_is_evidence_against_and_a_hope_is_a_question() {
    let c = checklist(RULE).load().unwrap();
    let denied = appraise_with(
        &c,
        &format!("summary = \"At the moment we have no volunteers.\"\n{MINIMAL}"),
    );
    let item = &denied.checklist[0];
    assert_eq!(item.status, Status::NotMet);
    assert_eq!(
        item.reason.as_deref(),
        Some("the bid says \"At the moment we have no volunteers.\"")
    );
    assert_eq!(denied.indicators["NI6"].score, 0.0);

    let hoped = appraise_with(
        &c,
        &format!("summary = \"We hope to recruit volunteers next year.\"\n{MINIMAL}"),
    );
    assert_eq!(hoped.checklist[0].status, Status::NotStated);
    assert_eq!(
        hoped.checklist[0].ask.as_deref(),
        Some("the bid hopes: \"We hope to recruit volunteers next year.\"")
    );
}

#[test]
fn prose_is_unverified_and_a_stated_field_is_stated() {
    let c = checklist(RULE).load().unwrap();
    let prose = appraise_with(
        &c,
        &format!("summary = \"Volunteers run the café.\"\n{MINIMAL}"),
    );
    let f = &prose.indicators["NI6"].findings[0];
    assert_eq!(f.reason, "affirmed Volunteers in summary");
    assert_eq!(
        (f.grade, f.confidence),
        (Grade::Unverified, Confidence::Low)
    );

    let field = appraise_with(&c, &format!("{MINIMAL}[volunteering]\nroles = 4\n"));
    let f = &field.indicators["NI6"].findings[0];
    assert_eq!((f.grade, f.confidence), (Grade::Stated, Confidence::Medium));
}

#[test]
fn who_acts_is_asked_by_actor_or_side() {
    let body = r#"    let ours = affirmed(bid, "deciding", "community");
    let theirs = affirmed(bid, "deciding", "council");
    met(`${ours.len()} ${theirs.len()}`);"#;
    let c = checklist(body).load().unwrap();
    let a = appraise_with(
        &c,
        &format!("summary = \"The council decides; residents are consulted.\"\n{MINIMAL}"),
    );
    assert_eq!(a.checklist[0].reason.as_deref(), Some("0 1"));
    let a = appraise_with(
        &c,
        &format!("summary = \"Residents decide how the money is spent.\"\n{MINIMAL}"),
    );
    assert_eq!(a.checklist[0].reason.as_deref(), Some("1 0"));
}

#[test]
fn a_backing_the_bid_does_not_state_stops_the_rule() {
    let body = r#"    impact("NI6", 1, "x", "volunteering.training");
    met("x");"#;
    let c = checklist(body).load().unwrap();
    let a = appraise_with(&c, MINIMAL);
    assert!(!a.complete);
    assert_eq!(
        a.errors[0].message,
        "`volunteering.training` is not stated, so it cannot back a finding; name what the bid does say"
    );
}

/// What a named path says is worked out once per bid and kept for the rules after: the bid
/// after is graded on its own words, whatever the one before said.
#[test]
fn what_backs_a_finding_is_graded_on_each_bid_afresh() {
    let body = r#"    impact("NI6", 1, "x", ["partners[0]", "summary"]);
    met("x", "partners[0]");"#;
    let c = checklist(body).load().unwrap();
    let committed = format!(
        "summary = \"A lunch club.\"\n{MINIMAL}[[partners]]\nname = \"Hatton Library\"\nsector = \"public\"\ncommitted = true\n"
    );
    let example = committed.replace("Hatton Library", "[example: a library]");
    let unsigned = committed.replace("committed = true", "committed = false");
    for (text, want) in [
        (&committed, Confidence::High),
        (&example, Confidence::Low),
        (&unsigned, Confidence::Medium),
        (&committed, Confidence::High),
    ] {
        let a = appraise_with(&c, text);
        assert!(a.errors.is_empty(), "{:?}", a.errors);
        assert_eq!(a.indicators["NI6"].findings[0].confidence, want, "{text}");
    }
    let a = appraise_with(&c, MINIMAL);
    assert_eq!(
        a.errors[0].message,
        "`partners[0]` is not stated, so it cannot back a finding; name what the bid does say"
    );
}

#[test]
fn an_unknown_or_unquoted_concept_is_refused_where_the_rule_names_it() {
    let body =
        "    let a = affirmed(bid, \"volunteerin\");\n    let b = claims(bid, a);\n    met(\"x\");";
    let err = checklist(body).load().unwrap_err();
    let shown = err.render();
    assert!(
        shown.contains("error: the checklist has no concept `volunteerin`")
            && shown.contains("= help: did you mean `volunteering`?"),
        "{shown}"
    );
    assert!(
        shown.contains("error: `claims` needs the concept written in quotes, such as \"volunteering\", so it can be checked"),
        "{shown}"
    );
}

#[test]
fn the_old_word_searches_see_only_what_the_bid_affirms_and_are_warned_about() {
    let body = r#"    let w = mentions(bid, ["volunteer*"]);
    if w.len() > 0 { return met(quote(w)); }
    not_stated("?");"#;
    let dir = checklist(body);
    let c = dir.load().unwrap();
    let yes = appraise_with(
        &c,
        &format!("summary = \"Volunteers run the café.\"\n{MINIMAL}"),
    );
    assert_eq!(yes.checklist[0].reason.as_deref(), Some("\"Volunteers\""));
    let no = appraise_with(
        &c,
        &format!("summary = \"We have no volunteers.\"\n{MINIMAL}"),
    );
    assert_eq!(no.checklist[0].status, Status::NotStated);
    let (code, out, err) = run(&["rules", "check", "--rules", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("ok: checklist test 1"), "{out}");
    assert!(
        err.contains(
            "warning: `mentions` is deprecated: it counts words and sees only what the bid affirms"
        ),
        "{err}"
    );
}

#[test]
fn a_rule_recording_past_its_declared_most_fails() {
    let src = "const META = #{\n    id: \"R-01\",\n    title: \"T\",\n    theme: \"volunteering\",\n    indicators: [\"NI6\"],\n    weight: 1.0,\n    most: #{ NI6: 2 },\n    question: \"Q?\",\n    rationale: \"R.\",\n};\n\nfn appraise(bid) {\n    impact(\"NI6\", 2, \"first\");\n    impact(\"NI6\", 1, \"second\");\n    met(\"x\");\n}\n";
    let dir = TempChecklist::new(CONFIG, &[("volunteering/R.rhai", src)]);
    let a = appraise_with(&dir.load().unwrap(), MINIMAL);
    assert!(!a.complete);
    assert_eq!(
        a.errors[0].location(),
        format!("{}/volunteering/R.rhai:14:1", dir.path().display())
    );
    assert_eq!(
        a.errors[0].message,
        "the rule recorded 3 on NI6, past the most it declares (`META.most.NI6` = 2)"
    );
}

#[test]
fn explain_shows_the_claims_a_rule_read_and_those_it_set_aside() {
    let dir = checklist(RULE);
    let bid = dir.path().join("bid.toml");
    std::fs::write(
        &bid,
        format!("summary = \"Volunteers cook on Fridays. We hope to recruit volunteers for Sundays. We have no volunteers for deliveries.\"\n{MINIMAL}"),
    )
    .unwrap();
    let (code, out, err) = run(&[
        "explain",
        bid.to_str().unwrap(),
        "--rules",
        dir.path().to_str().unwrap(),
        "--rule",
        "R-01",
        "--width",
        "200",
    ]);
    assert_eq!(code, 0, "{err}");
    let claims: Vec<&str> = out
        .lines()
        .skip_while(|l| *l != "  claims")
        .skip(1)
        .take_while(|l| l.starts_with("    "))
        .collect();
    assert_eq!(
        claims,
        vec![
            "    volunteering \"Volunteers cook on Fridays.\" — read",
            "    volunteering \"We hope to recruit volunteers for Sundays.\" — set aside: hedged (\"hope to\") — a hope or a condition earns nothing",
            "    volunteering \"We have no volunteers for deliveries.\" — set aside: negated (\"no\") — evidence against, never for",
        ]
    );
    assert!(
        out.contains(
            "  decided not-met: because the bid says \"We have no volunteers for deliveries.\""
        ),
        "{out}"
    );
}

// Issue 16: what the organisation says it exists to do is who is applying, not what the
// project will do: a question of the whole bid leaves it out, a question of the applicant has
// it.
#[test]
fn the_organisations_purpose_is_context_asked_of_the_applicant_only() {
    let body = r#"    met(`${affirmed(bid, "volunteering").len()} ${affirmed(bid.applicant, "volunteering").len()}`);"#;
    let c = checklist(body).load().unwrap();
    let a = appraise_with(
        &c,
        &format!("{MINIMAL}[applicant]\npurpose = \"A volunteer-led charity since 1998.\"\n"),
    );
    assert_eq!(a.checklist[0].reason.as_deref(), Some("0 1"));
}

// Issue 16: a text field made of a form's answers keeps each answer with its question; a claim
// is quoted with the question, and the question is never read as the bid's words.
#[test]
fn an_answer_is_quoted_with_its_question_and_the_question_is_not_read() {
    let bid = r#"id = "T-1"
title = "Test bid"
summary = "We will paint the hall.\n\nStaff run the café."
[[answers]]
field = "summary"
question = "Q3 Do volunteers help? Tell us about your project"
text = "We will paint the hall."
[[answers]]
field = "summary"
question = "Q4 How will local people be involved?"
text = "Staff run the café."
[funding]
amount_requested = 1000
"#;
    let c = checklist(RULE).load().unwrap();
    let a = appraise_with(&c, bid);
    // "volunteers" is in a question only: not the bid's words.
    assert_eq!(a.checklist[0].status, Status::NotStated);
    let said = bid.replace("Staff run", "Volunteers run");
    let a = appraise_with(&c, &said);
    assert_eq!(
        a.checklist[0].reason.as_deref(),
        Some("the bid says Q4 How will local people be involved?: \"Volunteers run the café.\"")
    );
    // Answers that are not the field's words are not read in its place.
    let forged = said.replace(
        "text = \"Volunteers run the café.\"",
        "text = \"Volunteers everywhere.\"",
    );
    let a = appraise_with(&c, &forged);
    assert_eq!(
        a.checklist[0].reason.as_deref(),
        Some("the bid says \"Volunteers run the café.\"")
    );
}

#[test]
fn the_default_checklist_has_no_warnings_no_deprecated_call_and_declares_every_most() {
    let c = builtin();
    let shown: Vec<String> = c.warnings().iter().map(|d| d.render()).collect();
    assert!(shown.is_empty(), "{}", shown.join(""));
    for r in c.rules() {
        for ind in &r.indicators {
            assert!(
                r.most.contains_key(ind),
                "{} declares no META.most for {ind}",
                r.id
            );
        }
    }
}
