//! Issue 17, item 4: an audit trail of people, not keystrokes. The page's previews record
//! nothing; "Record this appraisal" records the appraisal that was shown (a bid or checklist
//! other than the one shown is refused); `--user-header` names the reviewer in every entry; the
//! audit log filters and exports CSV; a database an older stronger wrote still opens. Also the
//! routes the page's form works through (schema, convert, patch), which record nothing either.

use crate::serve::{Reply, Server};
use crate::support::*;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use std::net::SocketAddr;
use stronger::serve::{Audit, Options};

/// A request with the given headers.
async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let client: Client<HttpConnector, Full<Bytes>> =
        Client::builder(TokioExecutor::new()).build(HttpConnector::new());
    let mut req = hyper::Request::builder()
        .method(method)
        .uri(format!("http://{addr}{path}"));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = client
        .request(req.body(Full::new(Bytes::copy_from_slice(body))).unwrap())
        .await
        .unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

fn example(name: &str) -> String {
    std::fs::read_to_string(root().join("examples").join(name)).unwrap()
}

/// A lunch club's bid as a champion might start it with the group.
const LUNCH_CLUB: &str = r#"
id = "LC-1"
title = "Friday lunch club at St Anne's hall"
summary = "A weekly hot lunch for older people living alone in the village, cooked by volunteers."

[funding]
amount_requested = 3200

[volunteering]
new_volunteers = 6
training = true
"#;

async fn with_reviewer_header() -> Server {
    Server::start(
        stronger::Checklist::builtin().unwrap(),
        Audit::in_memory().unwrap(),
        Options {
            user_header: Some("x-remote-user".to_string()),
            ..Options::default()
        },
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn previews_record_nothing_and_recording_keeps_the_appraisal_shown_with_its_reviewer() {
    let s = with_reviewer_header().await;
    // Five pauses in typing: five previews, none recorded, and none needs a reviewer.
    for amount in [3200, 3300, 3400, 3500, 3600] {
        let bid = LUNCH_CLUB.replace("3200", &amount.to_string());
        let r = s
            .post("/api/preview", "application/toml", bid.as_bytes())
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let v = r.json();
        assert_eq!(v["recorded"], false);
        assert!(v.get("audit").is_none(), "a preview has no audit entry");
        assert_eq!(v["checklist_hash"], builtin().hash());
        let a = stronger::appraise(builtin(), &bid_of(&bid));
        assert_eq!(v["html"], stronger::render::html_section(&a, builtin()));
    }
    let shown = s
        .post("/api/preview", "application/toml", LUNCH_CLUB.as_bytes())
        .await
        .json();
    // The advice the page shows is a preview too.
    let advice = s
        .post(
            "/api/preview/advise",
            "application/toml",
            LUNCH_CLUB.as_bytes(),
        )
        .await;
    assert_eq!(advice.status, 200);
    assert!(!advice.json()["suggestions"].as_array().unwrap().is_empty());
    assert_eq!(s.get("/api/appraisals").await.json()["total"], 0);

    // "Record this appraisal": the bid and the hashes the page showed, with the reviewer.
    let request = json!({
        "bid": LUNCH_CLUB,
        "checklist_hash": shown["checklist_hash"],
        "bid_hash": shown["appraisal"]["proposal"]["hash"],
    })
    .to_string();
    let ct = ("content-type", "application/json");
    let r = send(s.addr, "POST", "/api/record", &[ct], request.as_bytes()).await;
    assert_eq!(r.status, 403);
    assert_eq!(
        r.json()["message"],
        "the request has no `x-remote-user` header: this server records who made each appraisal from it (`--user-header`), so send the request through the proxy that sets it"
    );
    let who = ("x-remote-user", "Aisha Khan");
    let r = send(
        s.addr,
        "POST",
        "/api/record",
        &[ct, who],
        request.as_bytes(),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.headers["location"], "/api/appraisals/1");
    let v = r.json();
    assert_eq!(v["audit"], 1);
    assert_eq!(v["reviewer"], "Aisha Khan");
    assert_eq!(v["appraisal"], shown["appraisal"]);
    let entry = s.get("/api/appraisals/1").await.json();
    assert_eq!(entry["reviewer"], "Aisha Khan");
    assert_eq!(entry["title"], "Friday lunch club at St Anne's hall");
    assert_eq!(entry["via"], "page");
    assert_eq!(entry["appraisal"], shown["appraisal"]);

    // The same bid as JSON (the form sends JSON) has the same hash and is recorded too.
    let as_json = json!({
        "bid": {"id": "LC-1", "title": "Friday lunch club at St Anne's hall",
                "summary": "A weekly hot lunch for older people living alone in the village, cooked by volunteers.",
                "funding": {"amount_requested": 3200},
                "volunteering": {"new_volunteers": 6, "training": true}},
        "checklist_hash": shown["checklist_hash"],
        "bid_hash": shown["appraisal"]["proposal"]["hash"],
    })
    .to_string();
    let r = send(
        s.addr,
        "POST",
        "/api/record",
        &[ct, who],
        as_json.as_bytes(),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // A bid changed after the preview, or a checklist other than the one shown: refused.
    let changed = json!({
        "bid": LUNCH_CLUB.replace("3200", "3900"),
        "checklist_hash": shown["checklist_hash"],
        "bid_hash": shown["appraisal"]["proposal"]["hash"],
    })
    .to_string();
    let r = send(
        s.addr,
        "POST",
        "/api/record",
        &[ct, who],
        changed.as_bytes(),
    )
    .await;
    assert_eq!(r.status, 409);
    assert_eq!(r.json()["error"], "bid-changed");
    let message = r.json()["message"].as_str().unwrap().to_string();
    assert!(
        message.starts_with("the bid sent (`sha256:")
            && message.ends_with("`); preview it again and record what it shows"),
        "{message}"
    );
    let other = format!("sha256:{}", "0".repeat(64));
    let stale = json!({
        "bid": LUNCH_CLUB,
        "checklist_hash": other,
        "bid_hash": shown["appraisal"]["proposal"]["hash"],
    })
    .to_string();
    let r = send(s.addr, "POST", "/api/record", &[ct, who], stale.as_bytes()).await;
    assert_eq!(r.status, 409);
    assert_eq!(
        r.json()["message"],
        format!(
            "the appraisal shown was made with checklist `{other}`, but this server appraises with stronger 2026.1 (`{}`); preview the bid again and record what it shows",
            builtin().hash()
        )
    );
    let bad = json!({"bid": LUNCH_CLUB, "checklist_hash": "abc", "bid_hash": "x"}).to_string();
    let r = send(s.addr, "POST", "/api/record", &[ct, who], bad.as_bytes()).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["message"],
        "`checklist_hash` must be the hash the page showed (`sha256:` and 64 hex digits), not `abc`"
    );
    // A reviewer header that is empty or holds control characters is refused, not stored.
    for (value, why) in [("  ", "is empty: it must name the reviewer")] {
        let r = send(
            s.addr,
            "POST",
            "/api/record",
            &[ct, ("x-remote-user", value)],
            request.as_bytes(),
        )
        .await;
        assert_eq!(r.status, 400);
        assert_eq!(
            r.json()["message"],
            format!("the `x-remote-user` header {why}")
        );
    }
    assert_eq!(s.get("/api/appraisals").await.json()["total"], 2);
    s.stop().await;
}

fn bid_of(text: &str) -> stronger::Proposal {
    bid(text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_recording_route_stores_the_reviewer_and_the_log_filters_and_exports_csv() {
    let s = with_reviewer_header().await;
    let toml = ("content-type", "application/toml");
    let riverside = example("01-riverside-community-hub.toml");
    // A formula in a reviewer's name must reach the CSV neutralised.
    for (who, path, body) in [
        ("Aisha Khan", "/api/appraise", riverside.as_str()),
        ("=cmd|' /C calc'!A0", "/api/appraise", LUNCH_CLUB),
        ("Tom Price", "/api/advise", LUNCH_CLUB),
        ("Tom Price", "/api/report", riverside.as_str()),
        (
            "Tom Price",
            "/api/what-if?set=volunteering.expenses_paid=true",
            LUNCH_CLUB,
        ),
        ("Tom Price", "/api/explain?rule=VOL-01", LUNCH_CLUB),
    ] {
        let r = send(
            s.addr,
            "POST",
            path,
            &[toml, ("x-remote-user", who)],
            body.as_bytes(),
        )
        .await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        let r = send(s.addr, "POST", path, &[toml], body.as_bytes()).await;
        assert_eq!(r.status, 403, "{path} without a reviewer");
    }
    let log = s.get("/api/appraisals?per_page=100").await.json();
    assert_eq!(log["total"], 7);
    let who: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["reviewer"].as_str().unwrap())
        .collect();
    assert_eq!(
        who,
        [
            "Tom Price",
            "Tom Price",
            "Tom Price",
            "Tom Price",
            "Tom Price",
            "=cmd|' /C calc'!A0",
            "Aisha Khan"
        ]
    );
    // The filter: by reviewer, by title words, by outcome, in any case.
    let count = |q: &'static str| {
        let s = &s;
        async move {
            s.get(&format!("/api/appraisals?q={q}")).await.json()["total"]
                .as_i64()
                .unwrap()
        }
    };
    assert_eq!(count("aisha").await, 1);
    assert_eq!(count("LUNCH%20CLUB").await, 5);
    assert_eq!(count("riverside").await, 2);
    assert_eq!(count("recommend").await, 2);
    assert_eq!(count("100%25").await, 0, "`%` is matched as itself");
    assert_eq!(count("").await, 7);

    let csv = s.get("/api/appraisals.csv?q=aisha").await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(
        lines[0],
        "\u{feff}n,time,reviewer,bid_id,title,outcome,total,complete,checklist,version,checklist_hash,bid_hash,via"
    );
    assert_eq!(lines.len(), 2);
    assert!(
        lines[1].starts_with("1,2")
            && lines[1].contains(
                ",Aisha Khan,EX-01,Riverside Community Hub: bringing the old boathouse back to life,recommend,74.00,true,stronger,2026.1,"
            )
            && lines[1].ends_with(",api"),
        "{}",
        lines[1]
    );
    let all = s.get("/api/appraisals.csv").await.body;
    assert_eq!(all.lines().count(), 8);
    assert!(
        all.contains(",'=cmd|' /C calc'!A0,LC-1,"),
        "the reviewer's name is neutralised: {all}"
    );
    let long = "x".repeat(201);
    let r = s.get(&format!("/api/appraisals?q={long}")).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["message"],
        "the filter `q` is longer than 200 characters"
    );
    s.stop().await;
}

/// The audit table as stronger 0.1 created it (schema version 1), with one entry.
fn version_one_database(path: &std::path::Path, appraisal: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "CREATE TABLE appraisals (
            n INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, bid_id TEXT NOT NULL,
            bid_hash TEXT NOT NULL, checklist TEXT NOT NULL, version TEXT NOT NULL,
            checklist_hash TEXT NOT NULL, outcome TEXT NOT NULL, total REAL NOT NULL,
            complete INTEGER NOT NULL, via TEXT NOT NULL, appraisal TEXT NOT NULL);
         CREATE INDEX appraisals_bid ON appraisals (bid_id);
         PRAGMA user_version = 1;",
    )
    .unwrap();
    conn.execute(
        "INSERT INTO appraisals (time, bid_id, bid_hash, checklist, version, checklist_hash,
                                 outcome, total, complete, via, appraisal)
         VALUES ('2026-01-05T10:00:00.000Z', 'EX-01', 'sha256:ab', 'stronger', '2025.4',
                 'sha256:cd', 'refer', 12.5, 1, 'page', ?1)",
        [appraisal],
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_audit_database_from_before_reviewers_opens_and_keeps_its_entries() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.sqlite");
    let recorded = stronger::render::json(&stronger::appraise(
        builtin(),
        &bid(&example("01-riverside-community-hub.toml")),
    ));
    version_one_database(&db, &recorded);
    let s = Server::builtin(&db).await;
    let old = s.get("/api/appraisals/1").await.json();
    assert_eq!(old["reviewer"], Value::Null);
    assert_eq!(
        old["title"], "Riverside Community Hub: bringing the old boathouse back to life",
        "an old entry's title is read from the appraisal it holds"
    );
    assert_eq!(old["version"], "2025.4");
    assert_eq!(
        old["appraisal"],
        serde_json::from_str::<Value>(&recorded).unwrap()
    );
    // New entries carry on the numbering, with their title; the filter reads old titles too.
    let r = s
        .post("/api/appraise", "application/toml", LUNCH_CLUB.as_bytes())
        .await;
    assert_eq!(r.headers["location"], "/api/appraisals/2");
    assert_eq!(
        s.get("/api/appraisals?q=boathouse").await.json()["total"],
        1
    );
    s.stop().await;
    // Opened again: already upgraded, the same two entries.
    let s = Server::builtin(&db).await;
    assert_eq!(s.get("/api/appraisals").await.json()["total"], 2);
    s.stop().await;
    let conn = rusqlite::Connection::open(&db).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 2);
    let title: Option<String> = conn
        .query_row("SELECT title FROM appraisals WHERE n = 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(title, None, "the old record is not rewritten");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_form_s_routes_serve_the_schema_convert_and_apply_changes_recording_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::builtin(&dir.path().join("a.sqlite")).await;
    let schema = s.get("/api/schema/proposal").await;
    assert_eq!(schema.status, 200);
    assert_eq!(
        schema.body,
        std::fs::read_to_string(root().join("schemas/proposal.schema.json")).unwrap()
    );

    // TOML → JSON → TOML keeps the bid.
    let r = s
        .post(
            "/api/convert?to=json",
            "application/toml",
            LUNCH_CLUB.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["bid"]["volunteering"]["new_volunteers"], 6);
    let text = v["text"].as_str().unwrap();
    assert_eq!(serde_json::from_str::<Value>(text).unwrap(), v["bid"]);
    let back = s
        .post("/api/convert?to=toml", "application/json", text.as_bytes())
        .await
        .json();
    let toml_text = back["text"].as_str().unwrap();
    assert_eq!(bid(toml_text).hash, bid(LUNCH_CLUB).hash);
    assert!(
        toml_text.contains("[volunteering]\nnew_volunteers = 6\n"),
        "{toml_text}"
    );
    // A draft that breaks the schema still converts (the preview says what is wrong) …
    let draft = s
        .post(
            "/api/convert?to=json",
            "application/toml",
            b"title = \"no id yet\"\n[place]\ndeprivation_decile = 11\n",
        )
        .await;
    assert_eq!(draft.status, 200);
    // … but text that cannot be read is located, and TOML cannot hold a null.
    let r = s
        .post("/api/convert?to=json", "application/toml", b"id = \n")
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.json()["rendered"]
            .as_str()
            .unwrap()
            .contains("bid.toml:1:")
    );
    let r = s
        .post(
            "/api/convert?to=toml",
            "application/json",
            b"{\"id\": null}",
        )
        .await;
    assert_eq!(r.status, 422);
    let r = s
        .post("/api/convert?to=yaml", "application/json", b"{}")
        .await;
    assert_eq!(
        r.json()["message"],
        "`to` must be `toml` or `json`, not `yaml`"
    );

    // A suggestion applied exactly as `what-if` applies it.
    let r = s
        .post(
            "/api/patch?set=partners%5B0%5D.name%3DSt%20Anne%27s%20church&set=partners%5B0%5D.committed%3Dtrue&unset=volunteering.training",
            "application/toml",
            LUNCH_CLUB.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let patched = &r.json()["bid"];
    assert_eq!(
        patched["partners"],
        json!([{"name": "St Anne's church", "committed": true}])
    );
    assert_eq!(patched["volunteering"], json!({"new_volunteers": 6}));
    let r = s
        .post(
            "/api/patch?set=volunteering.new_volunters%3D3",
            "application/toml",
            LUNCH_CLUB.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .starts_with("`volunteering.new_volunters`: "),
        "{}",
        r.body
    );
    assert_eq!(s.get("/api/appraisals").await.json()["total"], 0);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_warns_that_a_reviewer_header_is_only_as_true_as_the_proxy_beyond_loopback() {
    use std::io::BufRead as _;
    let dir = tempfile::tempdir().unwrap();
    struct Stop(std::process::Child);
    impl Drop for Stop {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Stop(
        std::process::Command::new(env!("CARGO_BIN_EXE_stronger"))
            .args([
                "serve",
                "--addr",
                "0.0.0.0:0",
                "--db",
                "audit.sqlite",
                "--user-header",
                "X-Remote-User",
            ])
            .current_dir(dir.path())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut lines = std::io::BufReader::new(child.0.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(
        first.starts_with("warning: listening on 0.0.0.0:")
            && first.ends_with(", reachable from other machines; the API has no authentication"),
        "{first}"
    );
    let second = lines.next().unwrap().unwrap();
    assert!(
        second.starts_with(
            "warning: the reviewer of each recorded appraisal is whatever the `x-remote-user` header says; anyone who can reach 0.0.0.0:"
        ) && second.ends_with(
            " directly can set it, so only a proxy in front that authenticates people, sets `x-remote-user` itself and drops any a client sends makes it true"
        ),
        "{second}"
    );
    drop(child);
    // On loopback there is nothing to warn about; a bad header name is a usage error.
    let (code, _, err) = run(&[
        "serve",
        "--user-header",
        "X Remote",
        "--addr",
        "127.0.0.1:0",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("`X Remote` is not an HTTP header name (e.g. `X-Remote-User`)"),
        "{err}"
    );
}
