//! The JSON Schemas in `schemas/` for the champion's reports are what the types generate, and
//! the real output of every report validates against its schema.

use crate::support::*;
use serde_json::Value;

fn schema(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schemas").join(name)).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    jsonschema::draft202012::new(&v).unwrap()
}

fn assert_valid(validator: &jsonschema::Validator, out: &str, what: &str) {
    let v: Value = serde_json::from_str(out).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}:\n{}", errors.join("\n"));
}

#[test]
fn the_checked_in_schemas_are_the_generated_ones() {
    let write = std::env::var_os("STRONGER_WRITE_SCHEMAS").is_some();
    for (name, text) in stronger::schemas::generated() {
        let path = root().join("schemas").join(name);
        if write {
            std::fs::write(&path, &text).unwrap();
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == text,
            "schemas/{name} is out of date: run `STRONGER_WRITE_SCHEMAS=1 cargo test --test it schemas` and review the diff"
        );
    }
}

#[test]
fn every_report_validates_against_its_schema() {
    let advice = schema("advice.schema.json");
    let explanation = schema("explanation.schema.json");
    // The example bids and the example decisions: a champion asks advice on both.
    for p in example_bids().iter().chain(&example_decisions()) {
        let p = p.as_str();
        let (_, out, _) = run(&["advise", p, "--format", "json"]);
        assert_valid(&advice, &out, p);
        let (_, out, _) = run(&["explain", p, "--format", "json"]);
        assert_valid(&explanation, &out, p);
    }
    let (_, out, _) = run(&[
        "what-if",
        "examples/05-ashgrove-peoples-budget.toml",
        "--set",
        "cohesion.intergenerational=true",
        "--unset",
        "evidence",
        "--format",
        "json",
    ]);
    assert_valid(&schema("what-if.schema.json"), &out, "what-if");
    let (_, out, _) = run(&[
        "compare",
        "examples/03-mill-lane-benches.toml",
        "examples/01-riverside-community-hub.toml",
        "--format",
        "json",
    ]);
    assert_valid(&schema("compare.schema.json"), &out, "compare");
}

#[test]
fn a_report_that_breaks_its_schema_is_caught() {
    // The validation above can fail: a report missing a required key does not validate.
    let advice = schema("advice.schema.json");
    let (_, out, _) = run(&[
        "advise",
        "examples/05-ashgrove-peoples-budget.toml",
        "--format",
        "json",
    ]);
    let mut v: Value = serde_json::from_str(&out).unwrap();
    v.as_object_mut().unwrap().remove("next_step");
    assert!(!advice.is_valid(&v));
}
