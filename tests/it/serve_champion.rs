//! The champion's routes over loopback: each answers what the CLI's `--format json` writes, its
//! errors are located, and every appraisal it makes is in the audit log.

use crate::serve::Server;
use crate::support::*;
use serde_json::{Value, json};

fn example(name: &str) -> String {
    std::fs::read_to_string(root().join("examples").join(name)).unwrap()
}

const ASHGROVE: &str = "05-ashgrove-peoples-budget.toml";

fn cli_json(args: &[&str]) -> Value {
    let (code, out, err) = run(args);
    assert!(code == 0 || code == 1, "{err}");
    serde_json::from_str(&out).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn advise_what_if_compare_and_explain_answer_what_the_cli_writes() {
    let db = tempfile::tempdir().unwrap();
    let s = Server::builtin(&db.path().join("a.sqlite")).await;
    let bid = example(ASHGROVE);
    let path = format!("examples/{ASHGROVE}");

    let r = s
        .post("/api/advise", "application/toml", bid.as_bytes())
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), cli_json(&["advise", &path, "--format", "json"]));

    let r = s
        .post(
            "/api/what-if?set=cohesion.intergenerational%3Dtrue&set=volunteering.training=yes&unset=involvement.feedback_to_residents",
            "application/toml",
            bid.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json(),
        cli_json(&[
            "what-if",
            &path,
            "--set",
            "cohesion.intergenerational=true",
            "--set",
            "volunteering.training=yes",
            "--unset",
            "involvement.feedback_to_residents",
            "--format",
            "json"
        ])
    );

    let old = example("11-northfield-park-friends.toml");
    let new = std::fs::read_to_string(
        root().join("tests/data/drafts/11-northfield-park-friends-v2.toml"),
    )
    .unwrap();
    let body = json!({"old": old, "new": new}).to_string();
    let r = s
        .post("/api/compare", "application/json", body.as_bytes())
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json(),
        cli_json(&[
            "compare",
            "examples/11-northfield-park-friends.toml",
            "tests/data/drafts/11-northfield-park-friends-v2.toml",
            "--format",
            "json"
        ])
    );

    let r = s
        .post(
            "/api/explain?rule=INF-03",
            "application/toml",
            bid.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json(),
        cli_json(&["explain", &path, "--rule", "INF-03", "--format", "json"])
    );

    // advise 1, what-if 2, compare 2, explain 1: every appraisal made is in the audit log.
    let log = s.get("/api/appraisals?per_page=100").await.json();
    assert_eq!(log["total"], 6);
    let vias: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["via"].as_str().unwrap())
        .collect();
    assert_eq!(
        vias,
        [
            "explain", "compare", "compare", "what-if", "what-if", "advise"
        ]
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn champion_routes_explain_their_errors() {
    let db = tempfile::tempdir().unwrap();
    let s = Server::builtin(&db.path().join("a.sqlite")).await;
    let bid = example(ASHGROVE);

    let r = s
        .post("/api/what-if", "application/toml", bid.as_bytes())
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "no-changes");

    let r = s
        .post(
            "/api/what-if?set=volunteering.new_volunters=3",
            "application/toml",
            bid.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "bad-change");
    assert_eq!(
        r.json()["message"],
        "`volunteering.new_volunters`: the proposal has no field `volunteering.new_volunters`; did you mean `volunteering.new_volunteers`?"
    );

    let r = s
        .post(
            "/api/what-if?unset=title",
            "application/toml",
            bid.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["error"], "invalid-change");
    assert_eq!(r.json()["diagnostics"][0]["field"], "title");

    let r = s
        .post(
            "/api/explain?rule=INF-3",
            "application/toml",
            bid.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["message"],
        "the checklist has no rule `INF-3`; did you mean `INF-03`?"
    );

    let r = s
        .post("/api/advise", "application/toml", b"id = \"X\"\ntitle = ")
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "unparseable");

    let body = json!({"old": bid, "new": {"id": "N", "title": "no funding"}}).to_string();
    let r = s
        .post("/api/compare", "application/json", body.as_bytes())
        .await;
    assert_eq!(r.status, 422);
    let d = &r.json()["diagnostics"][0];
    assert_eq!(d["file"], "new.json");

    let body = json!({ "old": bid }).to_string();
    let r = s
        .post("/api/compare", "application/json", body.as_bytes())
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["message"],
        "`new` is missing: send {\"old\": …, \"new\": …}, each a JSON bid or TOML text in a string"
    );
    let r = s
        .post("/api/compare", "application/toml", bid.as_bytes())
        .await;
    assert_eq!(r.status, 415);

    // Nothing that failed was recorded.
    assert_eq!(s.get("/api/appraisals").await.json()["total"], 0);
    s.stop().await;
}
