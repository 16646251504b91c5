//! Snapshots of the appraisal of every example bid, as text and as JSON. The checklist's hash
//! is redacted so that a change to one rule shows only in the snapshots whose results change.

use crate::support::*;
use stronger::{Limits, Proposal};

fn load(path: &std::path::Path) -> Proposal {
    Proposal::load(path, builtin().schema(), &Limits::default())
        .unwrap()
        .proposal
}

#[test]
fn example_appraisals() {
    insta::glob!("../../examples", "*.{toml,json}", |path| {
        let bid = load(path);
        let a = stronger::appraise(builtin(), &bid);
        assert!(a.complete, "{}: {:?}", path.display(), a.errors);
        let text = anstream::adapter::strip_str(&stronger::render::text(&a, builtin())).to_string();
        let text = text.replace(
            &stronger::render::short_hash(builtin().hash()),
            "sha256:[checklist]",
        );
        insta::assert_snapshot!("text", text);
        insta::assert_json_snapshot!("json", a, {
            ".provenance.hash" => "[checklist hash]",
            ".provenance.engine" => "[engine]",
        });
    });
}

#[test]
fn the_output_is_byte_identical_from_run_to_run() {
    let (code1, out1, _) = run(&["appraise", "examples", "--format", "json"]);
    let (code2, out2, _) = run(&["appraise", "examples", "--format", "json"]);
    assert_eq!(code1, 0);
    assert_eq!(code2, 0);
    assert_eq!(out1, out2);
    // The folder is walked whole: the example bids and the example decisions.
    assert_eq!(
        out1.lines().count(),
        example_bids().len() + example_decisions().len()
    );
}

/// The same document with the keys of every table in the opposite order.
fn reversed(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(m) => serde_json::Value::Object(
            m.iter()
                .rev()
                .map(|(k, v)| (k.clone(), reversed(v)))
                .collect(),
        ),
        serde_json::Value::Array(a) => serde_json::Value::Array(a.iter().map(reversed).collect()),
        other => other.clone(),
    }
}

#[test]
fn a_bid_appraises_the_same_whatever_the_order_of_its_fields_or_its_format() {
    // Found in the browser: a bid downloaded as TOML scored 43 and the same bid as JSON 40.5,
    // because a TOML table's keys came sorted and a JSON object's in the order written, and the
    // claims were read in that order.
    insta::glob!("../../examples", "*.{toml,json}", |path| {
        let bid = load(path);
        let json = serde_json::to_string(&reversed(&bid.doc)).unwrap();
        let other = Proposal::parse(
            "reversed.json",
            json.as_bytes(),
            stronger::Format::Json,
            builtin().schema(),
            &Limits::default(),
        )
        .unwrap()
        .proposal;
        assert_eq!(other.hash, bid.hash);
        let (a, b) = (
            stronger::appraise(builtin(), &bid),
            stronger::appraise(builtin(), &other),
        );
        assert_eq!(
            stronger::render::json(&a),
            stronger::render::json(&b),
            "{}",
            path.display()
        );
    });
}

#[test]
fn the_strongest_example_is_recommended_and_the_weakest_is_not() {
    let strong = stronger::appraise(
        builtin(),
        &load(&root().join("examples/01-riverside-community-hub.toml")),
    );
    assert_eq!(strong.outcome, "recommend");
    let weak = stronger::appraise(
        builtin(),
        &load(&root().join("examples/02-harbour-street-shopfront.toml")),
    );
    assert_eq!(weak.outcome, "not-recommended");
    let sparse = stronger::appraise(
        builtin(),
        &load(&root().join("examples/03-mill-lane-benches.toml")),
    );
    assert_eq!(
        sparse.outcome, "refer",
        "a thin bid is referred for more information, not rejected"
    );
}

#[test]
fn every_appraisal_follows_the_appraisal_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/appraisal.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    // The example bids and decisions alike.
    let (_, out, _) = run(&["appraise", "examples", "--format", "json"]);
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&v)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", v["proposal"]["id"]);
    }
}

/// SND-05's reason on a bid costing `total` for `sessions` sessions of `hours` hours for
/// `people` people each.
fn value_for_money(total: u32, sessions: u32, hours: f64, people: u32) -> String {
    let text = format!(
        "id = \"VFM-1\"\ntitle = \"Walking group\"\nsummary = \"A weekly walking group for older residents.\"\n\n[funding]\namount_requested = {total}\ntotal_cost = {total}\n\n[activity]\nsessions = {sessions}\nhours_per_session = {hours}\npeople_per_session = {people}\n"
    );
    let a = appraise_with(builtin(), &text);
    let item = a.checklist.iter().find(|i| i.rule == "SND-05").unwrap();
    item.reason.clone().unwrap_or_default()
}

#[test]
fn value_for_money_says_where_the_cost_per_hour_falls_against_the_typical_range() {
    // £3,000 for 48 two-hour walks for 15 people: 1,440 participant hours, £2.08 each.
    assert_eq!(
        value_for_money(3000, 48, 2.0, 15),
        "the project's cost of £3,000 buys 48 sessions of 2 hours for about 15 people each, 1,440 participant hours: about £2.08 per participant hour, within the £2–£15 typical of community activity"
    );
    // Below £2 but not so cheap the count is doubtful: cheap, not "within" the range.
    assert_eq!(
        value_for_money(3000, 120, 1.5, 12),
        "the project's cost of £3,000 buys 120 sessions of 1.5 hours for about 12 people each, 2,160 participant hours: about £1.39 per participant hour, below the £2–£15 typical of community activity, as a volunteer-run activity can be"
    );
}
