//! The engine's questions of lists of claims (`about_project`, `beside`, `in_sentence_of`,
//! `only`, `own`, `rank`, `best`): the meaning of the Rhai copies the rules once carried, on
//! every example bid and decision, a rule's own function of the same name still called in their
//! place, and clear errors for anything but claims.

use crate::support::*;
use stronger::{Limits, Proposal};

/// The copies the rules carried before the engine offered these, renamed so both can run.
const SCRIPT_COPIES: &str = r#"
fn s_about_project(list) {
    let out = [];
    for c in list {
        if !c.field.starts_with("evidence") && c.field != "involvement.consultation" { out.push(c); }
    }
    out
}

fn s_beside(list, others) {
    let out = [];
    for c in list {
        let found = false;
        for o in others {
            if o.field == c.field && o.sentence == c.sentence { found = true; }
        }
        if found { out.push(c); }
    }
    out
}

fn s_in_sentence_of(claims, c) {
    for n in claims {
        if n.sentence == c.sentence && n.field == c.field { return true; }
    }
    false
}

fn s_only(list, status) {
    let out = [];
    for c in list { if c.status == status { out.push(c); } }
    out
}

fn s_own(bid, list) {
    if is_decision(bid) { return list; }
    let out = [];
    for c in list { if c.actor == "applicant" { out.push(c); } }
    out
}

fn s_rank(c) {
    if c.grade == "measured" { 3 } else if c.grade == "evidenced" { 2 } else if c.grade == "stated" { 1 } else { 0 }
}

fn s_best(list) {
    let b = list[0];
    for c in list { if s_rank(c) > s_rank(b) { b = c; } }
    b
}

// A list of claims, short: where each was said, and how.
fn show(list) {
    let s = "";
    for c in list { s += `${c.concept}@${c.field}:${c.status}:${c.actor}:${c.sentence.len()};`; }
    s
}
"#;

/// Each engine answer beside its script copy's, as `engine => script` lines, and how many of
/// the engine's lists were not empty (so the comparison is not of empty lists alone).
const COMPARE: &str = r#"
    let all = claims(bid, ["volunteering", "sport", "adults", "young_people", "isolation", "regular", "closing", "ending", "resident_decisions", "seldom_heard"]);
    let some = claims(bid, ["regular", "volunteering", "adults"]);
    let pairs = [];
    pairs.push([show(about_project(all)), show(s_about_project(all))]);
    pairs.push([show(beside(all, some)), show(s_beside(all, some))]);
    pairs.push([show(beside(some, all)), show(s_beside(some, all))]);
    for st in ["affirmed", "negated", "hedged", "past"] {
        pairs.push([show(only(all, st)), show(s_only(all, st))]);
    }
    pairs.push([show(own(bid, all)), show(s_own(bid, all))]);
    if all.len() > 0 { pairs.push([show([best(all)]), show([s_best(all)])]); }
    for c in all {
        pairs.push([`${in_sentence_of(some, c)} ${rank(c)}`, `${s_in_sentence_of(some, c)} ${s_rank(c)}`]);
    }
    let differ = "";
    let filled = 0;
    for p in pairs {
        if p[0] != p[1] { differ += `${p[0]} => ${p[1]}\n`; }
        if p[0].len() > 0 && !p[0].starts_with("false") { filled += 1; }
    }
    met(`${differ}filled ${filled} of ${pairs.len()}`);
"#;

/// Every example bid and example decision, and the rule-test bids.
fn bids() -> Vec<(String, Proposal)> {
    let schema = builtin().schema();
    let mut out = Vec::new();
    for dir in ["examples", "examples/decisions", "rules/tests/bids"] {
        let mut paths: Vec<_> = std::fs::read_dir(root().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml" || e == "json"))
            .collect();
        paths.sort();
        for p in paths {
            let bid = Proposal::load(&p, schema, &Limits::default())
                .unwrap()
                .proposal;
            out.push((p.display().to_string(), bid));
        }
    }
    out
}

#[test]
fn the_engines_answers_are_the_script_copies_answers() {
    let c = one_rule_with_concepts(COMPARE, SCRIPT_COPIES)
        .load()
        .unwrap();
    let (mut filled, mut decisions) = (0, 0);
    for (name, bid) in bids() {
        let a = stronger::appraise(&c, &bid);
        assert!(a.errors.is_empty(), "{name}: {:?}", a.errors);
        let reason = a.checklist[0].reason.clone().unwrap();
        assert!(reason.starts_with("filled "), "{name}: differs:\n{reason}");
        let n: usize = reason.split(' ').nth(1).unwrap().parse().unwrap();
        filled += n;
        decisions += usize::from(name.contains("decision"));
    }
    // The bids give the questions real lists to answer: decisions, and many claims.
    assert!(decisions >= 4, "{decisions} decisions");
    assert!(filled > 200, "only {filled} answers were not empty");
}

/// "Volunteers run a weekly walking football session for older men": the volunteering, the
/// weekly and the adults share a sentence; the evidence of need is not what the project does;
/// "we will not close the café" is denied, and is the only thing the applicant says it does
/// itself; an evidence entry backs a claim better than a listed group does.
#[test]
fn the_answers_are_what_the_bid_says() {
    let text = format!(
        "summary = \"Volunteers run a weekly walking football session for older men. We will not close the café.\"\n\
         {MINIMAL}\
         [beneficiaries]\ngroups = [\"older men\"]\n\
         [[evidence]]\nkind = \"need\"\ndescription = \"Volunteers told us the old club closed in 2019.\"\n"
    );
    let body = r#"
    let all = claims(bid, ["volunteering", "adults", "regular", "closing"]);
    let weekly = affirmed(bid, "regular");
    let near = [];
    for c in beside(all, weekly) { near.push(`${c.concept}`); }
    let project = [];
    for c in about_project(all) { project.push(`${c.concept}@${c.field}`); }
    let denied = [];
    for c in only(all, "negated") { denied.push(c.concept); }
    let top = best(all);
    let places = [];
    for c in all { places.push(`${c.concept}@${c.field}`); }
    met(`all ${places}; near ${near}; project ${project}; denied ${denied}; best ${top.concept}@${top.field} ${rank(top)}; own ${own(bid, all).len()}`);
"#;
    let c = one_rule_with_concepts(body, "").load().unwrap();
    let a = appraise_with(&c, &text);
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    assert_eq!(
        a.checklist[0].reason.as_deref(),
        Some(
            "all [\"adults@beneficiaries.groups[0]\", \"volunteering@evidence[0].description\", \"volunteering@summary\", \"regular@summary\", \"adults@summary\", \"closing@summary\"]; \
             near [\"volunteering\", \"regular\", \"adults\"]; \
             project [\"adults@beneficiaries.groups[0]\", \"volunteering@summary\", \"regular@summary\", \"adults@summary\", \"closing@summary\"]; \
             denied [\"closing\"]; best volunteering@evidence[0].description 2; own 1"
        )
    );
}

#[test]
fn a_rules_own_function_of_the_same_name_is_called_instead() {
    // A partnership's rule written before the engine offered these keeps its own meaning.
    let own = r#"
fn about_project(list) { [] }

fn rank(c) { 7 }
"#;
    let body = r#"
    let all = claims(bid, "volunteering");
    met(`${about_project(all).len()} ${rank(all[0])} ${only(all, "affirmed").len()}`);
"#;
    let text = format!("summary = \"Volunteers run it.\"\n{MINIMAL}");
    let c = one_rule_with_concepts(body, own).load().unwrap();
    assert_eq!(
        appraise_with(&c, &text).checklist[0].reason.as_deref(),
        Some("0 7 1")
    );
    let c = one_rule_with_concepts(body, "").load().unwrap();
    assert_eq!(
        appraise_with(&c, &text).checklist[0].reason.as_deref(),
        Some("1 0 1")
    );
}

#[test]
fn anything_but_claims_is_refused_with_a_message() {
    let text = format!("summary = \"Volunteers run it.\"\n{MINIMAL}");
    for (body, message) in [
        (
            "    about_project([\"words\"]);",
            "`about_project` needs a list of claims, found string in it",
        ),
        (
            "    beside(claims(bid, \"volunteering\"), [1]);",
            "`beside` needs a list of claims, found i64 in it",
        ),
        ("    best([]);", "`best` needs a list that is not empty"),
        (
            "    only(claims(bid, \"volunteering\"), \"denied\");",
            "`only` takes a status: \"affirmed\", \"negated\", \"hedged\" or \"past\", not \"denied\"",
        ),
        (
            "    rank(\"stated\");",
            "`rank` needs a claim, found string",
        ),
        (
            "    in_sentence_of([], \"a sentence\");",
            "`in_sentence_of` needs a list of claims and a claim, found string",
        ),
        (
            "    own(bid.applicant, []);",
            "`own` needs the whole bid (`own(bid)`), not `bid.applicant`",
        ),
    ] {
        let c = one_rule_with_concepts(body, "").load().unwrap();
        let a = appraise_with(&c, &text);
        let e = &a.errors[0].message;
        assert!(e.contains(message), "{body}: {e}");
    }
}
