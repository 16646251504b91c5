//! `stronger portfolio` (issue 18, part 3): the example decisions and some example bids added
//! up per partnership in every format (snapshots), the JSON against its schema, a proposal that
//! cannot be read (listed, in no total, the portfolio incomplete), an empty input, proposals
//! that state no partnership, and bid text kept in its place.

use crate::support::*;
use serde_json::Value;

/// The inputs of the snapshots: the example decisions, the clinic move of the README and three
/// example bids (one states no partnership).
const INPUTS: &[&str] = &[
    "examples/decisions",
    "tests/data/decisions/clinic-move.toml",
    "examples/04-tea-and-tales-generations.toml",
    "examples/05-ashgrove-peoples-budget.toml",
    "examples/09-shared-table-pantry.toml",
];

fn redacted(text: &str) -> String {
    let hash = builtin().hash();
    text.replace(hash, "[checklist hash]")
        .replace(&stronger::render::short_hash(hash), "[short hash]")
        .replace(stronger::ENGINE, "[engine]")
}

fn portfolio(inputs: &[&str], format: &str) -> (i32, String, String) {
    let mut args = vec!["portfolio"];
    args.extend(inputs);
    args.extend(["--by", "partnership", "--format", format]);
    run(&args)
}

fn json(inputs: &[&str]) -> (i32, Value) {
    let (code, out, err) = portfolio(inputs, "json");
    assert_eq!(out.lines().count(), 1, "one line of JSON: {out}{err}");
    (code, serde_json::from_str(&out).unwrap())
}

#[test]
fn a_portfolio_in_every_format() {
    for format in ["text", "markdown", "html", "json"] {
        let (code, out, err) = portfolio(INPUTS, format);
        assert_eq!(code, 0, "{err}");
        assert_eq!(err, "", "nothing to warn about");
        insta::assert_snapshot!(format!("portfolio_{format}"), redacted(&out));
    }
}

#[test]
fn the_example_decisions_add_up_as_an_appraiser_reads_them() {
    let (code, v) = json(&["examples/decisions"]);
    assert_eq!(code, 0);
    assert_eq!(v["version"], 1);
    assert_eq!(v["by"], "partnership");
    assert_eq!(v["proposals"], 4);
    let names: Vec<&str> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Health and Wellbeing", "Stronger Communities", "Transport"]
    );
    let group = |name: &str| {
        v["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["name"] == name)
            .unwrap()
            .clone()
    };
    let total = |g: &Value, ni: &str| {
        g["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["indicator"] == ni)
            .unwrap()["total"]
            .as_f64()
            .unwrap()
    };
    // The bus route adds to participation and influence and harms nothing.
    let transport = group("Transport");
    assert!(total(&transport, "NI3") > 0.0 && total(&transport, "NI4") > 0.0);
    assert_eq!(transport["harms"], serde_json::json!([]));
    assert_eq!(transport["gains"][0]["id"], "TR-2027-02");
    // The day centre's move harms belonging, satisfaction and the third sector.
    let health = group("Health and Wellbeing");
    for ni in ["NI2", "NI5", "NI7"] {
        assert!(total(&health, ni) < 0.0, "{ni}: {health}");
    }
    assert_eq!(health["harms"][0]["id"], "HW-2027-07");
    // The residents' budget ended harms influence most; the library cut is the smaller harm.
    let communities = group("Stronger Communities");
    assert!(total(&communities, "NI4") < 0.0);
    let harms: Vec<&str> = communities["harms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(harms, ["SC-2027-14", "SC-2027-11"]);
    assert_eq!(communities["harms"][0]["kind"], "policy");
    // Across all: four proposals, each counted once.
    assert_eq!(v["all"]["proposals"], 4);
    assert_eq!(v["all"]["name"], "All partnerships");
}

#[test]
fn the_json_follows_its_schema() {
    let text = std::fs::read_to_string(root().join("schemas/portfolio.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let with_error = [INPUTS, &["tests/data/bad-bids/missing-title.toml"]].concat();
    for inputs in [INPUTS, &with_error[..]] {
        let (_, v) = json(inputs);
        let errors: Vec<String> = validator
            .iter_errors(&v)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}", errors.join("\n"));
    }
    // The check can fail: a portfolio without its version does not validate.
    let (_, mut v) = json(INPUTS);
    v.as_object_mut().unwrap().remove("version");
    assert!(!validator.is_valid(&v));
}

#[test]
fn a_proposal_that_cannot_be_read_is_listed_and_the_portfolio_is_incomplete() {
    let bad = "tests/data/bad-bids/missing-title.toml";
    let (_, whole) = json(&["examples/decisions"]);
    let (code, v) = json(&["examples/decisions", bad]);
    assert_eq!(code, 1, "some proposals could not be read");
    assert_eq!(v["complete"], false);
    assert_eq!(v["left_out"], 1);
    assert_eq!(v["proposals"], 4);
    let e = &v["errors"][0];
    assert_eq!(e["source"], bad);
    assert!(
        e["location"].as_str().unwrap().starts_with(bad),
        "located: {e}"
    );
    assert!(e["message"].as_str().unwrap().contains("title"), "{e}");
    // It is in no total: every group adds up as without it.
    assert_eq!(v["groups"], whole["groups"]);
    assert_eq!(v["all"], whole["all"]);
    // Every format says so, and the located error goes to stderr as well.
    let (code, text, err) = portfolio(&["examples/decisions", bad], "text");
    assert_eq!(code, 1);
    assert!(
        text.contains("Incomplete: 1 proposal could not be read and is in no total"),
        "{text}"
    );
    assert!(text.contains(&format!("  {bad}")), "{text}");
    assert!(err.contains(bad), "{err}");
    for format in ["markdown", "html"] {
        let (_, out, _) = portfolio(&["examples/decisions", bad], format);
        assert!(out.contains("Incomplete: 1 proposal"), "{format}: {out}");
        assert!(out.contains("Left out: could not be read"), "{format}");
    }
}

#[test]
fn an_empty_input_is_an_error_not_an_empty_portfolio() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("round.jsonl");
    std::fs::write(&empty, "").unwrap();
    let (code, out, err) = portfolio(&[empty.to_str().unwrap()], "text");
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert_eq!(
        err,
        "error: no proposals for the portfolio: the inputs hold none\n"
    );
    // An empty folder: nothing to read at all.
    let folder = dir.path().join("none");
    std::fs::create_dir(&folder).unwrap();
    let (code, _, err) = portfolio(&[folder.to_str().unwrap()], "text");
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: no proposals: the folders hold no bid files"),
        "{err}"
    );
}

/// A proposal in TOML with `partnership` written as given (none when `None`).
fn proposal(id: &str, partnership: Option<&str>) -> String {
    let p = partnership
        .map(|p| format!("partnership = {}\n", toml::Value::String(p.to_string())))
        .unwrap_or_default();
    format!(
        "id = \"{id}\"\ntitle = \"Lunch club {id}\"\n{p}summary = \"A weekly lunch club run by 12 volunteers.\"\n\n[funding]\namount_requested = 2000\n"
    )
}

#[test]
fn a_partnership_is_one_group_however_it_is_written_and_none_stated_is_a_group_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    for (id, p) in [
        ("A-1", Some("Stronger Communities")),
        ("A-2", Some("  stronger   communities ")),
        ("A-3", None),
        ("A-4", Some("")),
        ("A-5", Some("Health")),
    ] {
        std::fs::write(dir.path().join(format!("{id}.toml")), proposal(id, p)).unwrap();
    }
    let (code, v) = json(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, 0);
    let groups: Vec<(String, u64, bool)> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["name"].as_str().unwrap().to_string(),
                g["proposals"].as_u64().unwrap(),
                g["stated"].as_bool().unwrap(),
            )
        })
        .collect();
    // Empty text is not stated; the group of those that state none comes last.
    assert_eq!(
        groups,
        [
            ("Health".to_string(), 1, true),
            ("Stronger Communities".to_string(), 2, true),
            ("No partnership stated".to_string(), 2, false),
        ]
    );
    assert_eq!(v["all"]["proposals"], 5);
}

#[test]
fn text_from_a_bid_is_escaped_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("hostile.toml");
    std::fs::write(
        &p,
        proposal(
            "H-1",
            Some("<script>alert(1)</script> \u{1b}[2J| Transport"),
        ),
    )
    .unwrap();
    let p = p.to_str().unwrap();
    let (_, text, _) = portfolio(&[p], "text");
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.contains("\\x1b[2J"), "{text}");
    let (_, html, _) = portfolio(&[p], "html");
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
    let (_, md, _) = portfolio(&[p], "markdown");
    assert!(md.contains("\\<script\\>"), "{md}");
    assert!(md.contains("\\| Transport"), "{md}");
}

#[test]
fn the_chart_draws_gains_and_harms_in_the_palette_s_colours_with_labels() {
    let (_, html, _) = portfolio(&["examples/decisions"], "html");
    let gain = stronger::render::palette::POSITIVE[0];
    let harm = stronger::render::palette::NEGATIVE[0];
    // The day centre's harms and the bus route's gains are both drawn, each bar titled.
    assert!(
        html.contains(&format!("fill=\"{harm}\"><title>NI5 harms:")),
        "{html}"
    );
    assert!(
        html.contains(&format!("fill=\"{gain}\"><title>NI4 gains:")),
        "{html}"
    );
    // One chart per partnership and one across all, each a labelled image.
    assert_eq!(html.matches("<svg class=\"chart\" role=\"img\"").count(), 4);
    assert!(html.contains("aria-label=\"Transport: each core indicator"));
}

#[test]
fn an_item_met_only_on_the_bid_s_words_is_a_blockage_as_screening_counts_it() {
    // W-01 is met on the summary's words alone (weak), W-02 on a stated number; the policy
    // counts a weak met as not stated, and so must the portfolio's blockages.
    let c = TempChecklist::new(
        CONFIG,
        &[
            (
                "volunteering/W-01.rhai",
                &rule("W-01", r#"met("the summary says so", "summary")"#),
            ),
            (
                "volunteering/W-02.rhai",
                &rule(
                    "W-02",
                    r#"met("a number of volunteers", "volunteering.new_volunteers")"#,
                ),
            ),
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let bid = "id = \"W-1\"\ntitle = \"Lunch club\"\nsummary = \"A weekly lunch club.\"\n\n[volunteering]\nnew_volunteers = 4\n\n[funding]\namount_requested = 2000\n";
    std::fs::write(dir.path().join("w.toml"), bid).unwrap();
    let (code, out, err) = run(&[
        "portfolio",
        dir.path().to_str().unwrap(),
        "--rules",
        c.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let blockages: Vec<(String, u64, u64)> = v["all"]["blockages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["rule"].as_str().unwrap().to_string(),
                b["not_met"].as_u64().unwrap(),
                b["not_stated"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(blockages, [("W-01".to_string(), 0, 1)]);
}
