//! `stronger serve` over loopback: every route, its errors (400, 404, 413, 415, 422, 504) and
//! the audit log, including after a restart on the same database file.

use crate::support::*;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;
use stronger::serve::{Audit, Options, State};

/// A server on 127.0.0.1 with an ephemeral port, stopped when dropped.
pub struct Server {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl Server {
    pub async fn start(checklist: stronger::Checklist, audit: Audit, options: Options) -> Server {
        let state = State::new(checklist, audit, options);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(stronger::serve::run(listener, state, async move {
            let _ = stopped.await;
        }));
        Server {
            addr,
            stop: Some(stop),
            task: Some(task),
        }
    }

    pub async fn builtin(db: &Path) -> Server {
        Server::start(
            stronger::Checklist::builtin().unwrap(),
            Audit::open(db).unwrap(),
            Options::default(),
        )
        .await
    }

    /// Stops the server and waits until it has let go of everything (the database included).
    pub async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            t.await.unwrap().unwrap();
        }
    }

    pub async fn call(&self, method: &str, path: &str, ct: Option<&str>, body: &[u8]) -> Reply {
        call(self.addr, method, path, ct, body).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.call("GET", path, None, b"").await
    }

    pub async fn post(&self, path: &str, ct: &str, body: &[u8]) -> Reply {
        self.call("POST", path, Some(ct), body).await
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: hyper::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

pub async fn call(
    addr: SocketAddr,
    method: &str,
    path: &str,
    ct: Option<&str>,
    body: &[u8],
) -> Reply {
    let client: Client<HttpConnector, Full<Bytes>> =
        Client::builder(TokioExecutor::new()).build(HttpConnector::new());
    let mut req = hyper::Request::builder()
        .method(method)
        .uri(format!("http://{addr}{path}"));
    if let Some(ct) = ct {
        req = req.header("content-type", ct);
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

const RIVERSIDE: &str = "01-riverside-community-hub.toml";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_names_the_checklist_in_force() {
    let db = tempfile::tempdir().unwrap();
    let s = Server::builtin(&db.path().join("a.sqlite")).await;
    let r = s.get("/healthz").await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json(),
        json!({"status": "ok", "engine": stronger::ENGINE, "checklist": "stronger",
               "version": builtin().version(), "hash": builtin().hash()})
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_toml_or_json_bid_gets_exactly_the_cli_appraisal() {
    let db = tempfile::tempdir().unwrap();
    let s = Server::builtin(&db.path().join("a.sqlite")).await;
    for (file, ct) in [
        (RIVERSIDE, "application/toml"),
        (
            "10-eastgate-youth-sports.json",
            "application/json; charset=utf-8",
        ),
    ] {
        let r = s.post("/api/appraise", ct, example(file).as_bytes()).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.headers["content-type"], "application/json");
        let (code, cli, _) = run(&["appraise", &format!("examples/{file}"), "--format", "json"]);
        assert_eq!(code, 0);
        assert_eq!(format!("{}\n", r.body), cli, "{file}");
    }
    let r = s.get("/api/appraisals").await;
    assert_eq!(r.json()["total"], 2);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unparseable_bid_is_400_and_a_schema_breaking_one_422_with_the_cli_errors() {
    let db = tempfile::tempdir().unwrap();
    let s = Server::builtin(&db.path().join("a.sqlite")).await;

    let broken = "id = \"X-1\"\ntitle = \"Broken\nfunding = 3\n";
    let r = s
        .post("/api/appraise", "application/toml", broken.as_bytes())
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    let body = r.json();
    assert_eq!(body["error"], "unparseable");
    assert_eq!(body["message"], "the bid cannot be parsed");
    let cli = parse_toml(broken).unwrap_err();
    assert_eq!(body["rendered"], cli.render());
    assert_eq!(body["diagnostics"][0]["file"], "bid.toml");
    assert_eq!(body["diagnostics"][0]["line"], 2);
    assert_eq!(
        body["diagnostics"][0]["rendered"],
        cli.diagnostics[0].render()
    );

    let r = s
        .post("/api/appraise", "application/json", b"{\"id\": ")
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["diagnostics"][0]["file"], "bid.json");

    let invalid = "id = \"X-1\"\ntitle = \"No money\"\n[funding]\namount_requested = \"lots\"\n";
    let r = s
        .post("/api/appraise", "application/toml", invalid.as_bytes())
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let body = r.json();
    assert_eq!(body["error"], "invalid-bid");
    assert_eq!(
        body["message"],
        "the bid does not follow the proposal schema"
    );
    let cli = parse_toml(invalid).unwrap_err();
    assert_eq!(body["rendered"], cli.render());
    assert_eq!(body["diagnostics"][0]["field"], "funding.amount_requested");
    assert_eq!(body["diagnostics"][0]["line"], 4);

    let r = s.post("/api/appraise", "text/plain", b"id = 1").await;
    assert_eq!(r.status, 415);
    assert_eq!(
        r.json()["message"],
        "cannot read a bid sent as `text/plain`; send `application/toml` or `application/json`"
    );
    let r = s.call("POST", "/api/appraise", None, b"id = 1").await;
    assert_eq!(r.status, 415);

    // Nothing that failed was recorded.
    assert_eq!(s.get("/api/appraisals").await.json()["total"], 0);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_over_one_mib_is_413() {
    let db = tempfile::tempdir().unwrap();
    let s = Server::builtin(&db.path().join("a.sqlite")).await;
    let mut big = example(RIVERSIDE).into_bytes();
    big.resize(1024 * 1024 + 1, b' ');
    let r = s.post("/api/appraise", "application/toml", &big).await;
    assert_eq!(r.status, 413);
    assert_eq!(
        r.json(),
        json!({"error": "too-large",
               "message": "the request body is larger than the server's limit of 1048576 bytes",
               "diagnostics": [], "rendered": ""})
    );
    // Exactly at the limit is read (and is a valid bid padded with spaces).
    big.truncate(1024 * 1024);
    let r = s.post("/api/appraise", "application/toml", &big).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = s
        .post(
            "/api/playground",
            "application/json",
            &vec![b' '; 2 * 1024 * 1024],
        )
        .await;
    assert_eq!(r.status, 413);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_checklist_and_its_rules_with_their_source() {
    let db = tempfile::tempdir().unwrap();
    let s = Server::builtin(&db.path().join("a.sqlite")).await;
    let c = s.get("/api/checklist").await.json();
    assert_eq!(c["name"], "stronger");
    assert_eq!(c["hash"], builtin().hash());
    assert_eq!(c["indicators"][0]["id"], "NI1");
    let ids: Vec<String> = builtin().rules().map(|r| r.id.clone()).collect();
    assert_eq!(c["rules"], json!(ids));

    let rules = s.get("/api/rules").await.json();
    assert_eq!(rules.as_array().unwrap().len(), ids.len());
    let vol = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "VOL-01")
        .unwrap();
    assert_eq!(vol["file"], "rules/volunteering/VOL-01-new-volunteers.rhai");
    assert_eq!(vol["theme"], "volunteering");

    let one = s.get("/api/rules/VOL-01").await;
    assert_eq!(one.status, 200);
    assert_eq!(
        one.json()["source"],
        std::fs::read_to_string(root().join("rules/volunteering/VOL-01-new-volunteers.rhai"))
            .unwrap()
    );
    let missing = s.get("/api/rules/VOL-99").await;
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.json()["message"],
        "the checklist has no rule `VOL-99`"
    );
    let nowhere = s.get("/api/nothing").await;
    assert_eq!(nowhere.status, 404);
    assert_eq!(nowhere.json()["message"], "no such route: `/api/nothing`");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_pages_newest_first_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("audit.sqlite");
    let s = Server::builtin(&db).await;
    let files = [
        RIVERSIDE,
        "02-harbour-street-shopfront.toml",
        "03-mill-lane-benches.toml",
    ];
    for (i, f) in files.iter().enumerate() {
        let r = s
            .post("/api/appraise", "application/toml", example(f).as_bytes())
            .await;
        assert_eq!(r.status, 200);
        assert_eq!(r.headers["location"], format!("/api/appraisals/{}", i + 1));
    }
    let page = s.get("/api/appraisals?per_page=2").await.json();
    assert_eq!(page["total"], 3);
    assert_eq!(page["page"], 1);
    assert_eq!(page["per_page"], 2);
    let ns: Vec<i64> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["n"].as_i64().unwrap())
        .collect();
    assert_eq!(ns, [3, 2]);
    let first = &page["items"][1];
    assert_eq!(first["bid_id"], "EX-02");
    assert_eq!(first["outcome"], "not-recommended");
    assert_eq!(first["checklist"], "stronger");
    assert_eq!(first["checklist_hash"], builtin().hash());
    assert_eq!(first["via"], "api");
    assert!(first["time"].as_str().unwrap().ends_with('Z'));
    let page2 = s.get("/api/appraisals?page=2&per_page=2").await.json();
    assert_eq!(page2["items"][0]["n"], 1);
    assert_eq!(page2["items"].as_array().unwrap().len(), 1);

    for (q, msg) in [
        (
            "per_page=0",
            "`per_page` must be a whole number from 1 to 100, not `0`",
        ),
        (
            "per_page=101",
            "`per_page` must be a whole number from 1 to 100, not `101`",
        ),
        (
            "page=abc",
            "`page` must be a whole number from 1 to 4294967295, not `abc`",
        ),
    ] {
        let r = s.get(&format!("/api/appraisals?{q}")).await;
        assert_eq!(r.status, 400, "{q}");
        assert_eq!(r.json()["message"], msg);
    }
    assert_eq!(s.get("/api/appraisals/9").await.status, 404);
    assert_eq!(s.get("/api/appraisals/x").await.status, 400);
    s.stop().await;

    // A new server on the same file: the log is all there, and numbering carries on.
    let s = Server::builtin(&db).await;
    let one = s.get("/api/appraisals/1").await;
    assert_eq!(one.status, 200);
    let one = one.json();
    assert_eq!(one["bid_id"], "EX-01");
    let expected: Value = serde_json::from_str(&stronger::render::json(&stronger::appraise(
        builtin(),
        &bid(&example(RIVERSIDE)),
    )))
    .unwrap();
    assert_eq!(one["appraisal"], expected);
    let r = s
        .post(
            "/api/appraise",
            "application/toml",
            example(RIVERSIDE).as_bytes(),
        )
        .await;
    assert_eq!(r.headers["location"], "/api/appraisals/4");
    assert_eq!(s.get("/api/appraisals").await.json()["total"], 4);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_appraisals_are_all_answered_and_all_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::builtin(&dir.path().join("a.sqlite")).await;
    let bid = example(RIVERSIDE);
    let mut tasks = Vec::new();
    for _ in 0..24 {
        let (addr, bid) = (s.addr, bid.clone());
        tasks.push(tokio::spawn(async move {
            call(
                addr,
                "POST",
                "/api/appraise",
                Some("application/toml"),
                bid.as_bytes(),
            )
            .await
            .status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    let page = s.get("/api/appraisals?per_page=100").await.json();
    assert_eq!(page["total"], 24);
    let mut ns: Vec<i64> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["n"].as_i64().unwrap())
        .collect();
    ns.sort();
    assert_eq!(ns, (1..=24).collect::<Vec<_>>());
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_rule_gets_504_and_the_server_keeps_serving() {
    let config = format!(
        "{CONFIG}\n[limits]\nrule_operations = 1000000000000\nrule_millis = 3000\nappraisal_millis = 3000\n"
    );
    let slow = TempChecklist::new(
        &config,
        &[(
            "volunteering/SLOW-01.rhai",
            &rule("SLOW-01", "    let x = 0;\n    loop { x += 1; }"),
        )],
    );
    let options = Options {
        timeout: Duration::from_millis(300),
        ..Options::default()
    };
    let s = Server::start(slow.load().unwrap(), Audit::in_memory().unwrap(), options).await;
    let started = std::time::Instant::now();
    let r = s
        .post("/api/appraise", "application/toml", MINIMAL.as_bytes())
        .await;
    assert_eq!(r.status, 504, "{}", r.body);
    assert!(started.elapsed() < Duration::from_millis(2500));
    assert_eq!(
        r.json()["message"],
        "the request took longer than the server's limit of 300 ms"
    );
    assert_eq!(s.get("/healthz").await.status, 200);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_that_finds_no_free_slot_in_time_gets_503() {
    let config = format!(
        "{CONFIG}\n[limits]\nrule_operations = 1000000000000\nrule_millis = 1500\nappraisal_millis = 1500\n"
    );
    let slow = TempChecklist::new(
        &config,
        &[(
            "volunteering/SLOW-01.rhai",
            &rule("SLOW-01", "    let x = 0;\n    loop { x += 1; }"),
        )],
    );
    let options = Options {
        timeout: Duration::from_millis(400),
        max_concurrent: 1,
        ..Options::default()
    };
    let s = Server::start(slow.load().unwrap(), Audit::in_memory().unwrap(), options).await;
    let addr = s.addr;
    // The first request holds the only slot until its rule's deadline (1.5 s), past its own 504.
    let first = tokio::spawn(async move {
        call(
            addr,
            "POST",
            "/api/appraise",
            Some("application/toml"),
            MINIMAL.as_bytes(),
        )
        .await
    });
    tokio::time::sleep(Duration::from_millis(150)).await;
    let second = s
        .post("/api/appraise", "application/toml", MINIMAL.as_bytes())
        .await;
    assert_eq!(second.status, 503, "{}", second.body);
    assert_eq!(
        second.json()["message"],
        "the server is busy: 1 appraisals are running; try again shortly"
    );
    assert_eq!(first.await.unwrap().status, 504);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_beyond_the_in_flight_limit_get_503_at_once() {
    let config = format!(
        "{CONFIG}\n[limits]\nrule_operations = 1000000000000\nrule_millis = 800\nappraisal_millis = 800\n"
    );
    let slow = TempChecklist::new(
        &config,
        &[(
            "volunteering/SLOW-01.rhai",
            &rule("SLOW-01", "    let x = 0;\n    loop { x += 1; }"),
        )],
    );
    let options = Options {
        max_requests: 1,
        ..Options::default()
    };
    let s = Server::start(slow.load().unwrap(), Audit::in_memory().unwrap(), options).await;
    let addr = s.addr;
    let first = tokio::spawn(async move {
        call(
            addr,
            "POST",
            "/api/appraise",
            Some("application/toml"),
            MINIMAL.as_bytes(),
        )
        .await
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = std::time::Instant::now();
    let second = s.get("/api/checklist").await;
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "answered at once"
    );
    assert_eq!(second.status, 503, "{}", second.body);
    // `/healthz` is outside the limit: it answers however busy the server is.
    assert_eq!(s.get("/healthz").await.status, 200);
    assert_eq!(
        second.json()["message"],
        "the server is busy: 1 requests are in flight; try again shortly"
    );
    // The slow appraisal finishes (incomplete: its rule was stopped) and the server serves again.
    let first = first.await.unwrap();
    assert_eq!(first.status, 200);
    assert_eq!(first.json()["complete"], false);
    assert_eq!(s.get("/healthz").await.status, 200);
    s.stop().await;
}

#[test]
fn an_audit_database_from_a_newer_stronger_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("future.sqlite");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "user_version", 7).unwrap();
    drop(conn);
    let err = Audit::open(&db).err().unwrap();
    assert!(
        matches!(&err, stronger::serve::AuditError::Database { problem, .. }
            if matches!(**problem, stronger::serve::AuditError::Newer { found: 7 })),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "the audit database `{}`: schema version 7 is newer than this stronger understands (2); use a newer stronger or another `--db` file",
            db.display()
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_serve_command_listens_on_loopback_and_answers() {
    use std::io::BufRead as _;
    let dir = tempfile::tempdir().unwrap();
    /// The server process, stopped however the test ends.
    struct Stop(std::process::Child);
    impl Drop for Stop {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Stop(
        std::process::Command::new(env!("CARGO_BIN_EXE_stronger"))
            .args(["serve", "--addr", "127.0.0.1:0", "--db", "audit.sqlite"])
            .current_dir(dir.path())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    std::io::BufReader::new(child.0.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr: SocketAddr = line
        .strip_prefix("stronger serve: http://")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("{line}"))
        .parse()
        .unwrap();
    assert!(addr.ip().is_loopback());
    assert!(
        line.ends_with("/ (checklist stronger 2026.1; audit log audit.sqlite)\n"),
        "{line}"
    );
    let r = call(addr, "GET", "/healthz", None, b"").await;
    assert_eq!(r.status, 200);
    drop(child);
    assert!(dir.path().join("audit.sqlite").is_file());
}

#[test]
fn serve_refuses_an_audit_database_it_cannot_open() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("no/such/folder/audit.sqlite");
    let (code, out, err) = run(&[
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--db",
        db.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert_eq!(
        err,
        format!(
            "error: cannot open the audit database `{}`: unable to open database file: {}\n",
            db.display(),
            db.display()
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_playground_shows_what_an_edit_does_to_the_examples_without_saving_it() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::builtin(&dir.path().join("a.sqlite")).await;
    let path = root().join("rules/volunteering/VOL-01-new-volunteers.rhai");
    let original = std::fs::read_to_string(&path).unwrap();
    // The playground's examples are the example bids at the top of `examples/`.
    let examples = example_bids().len();

    let s = &s;
    let play = |source: String| {
        let body = serde_json::to_vec(&json!({"rule_id": "VOL-01", "source": source})).unwrap();
        async move { s.post("/api/playground", "application/json", &body).await }
    };
    let same = play(original.clone()).await;
    assert_eq!(same.status, 200, "{}", same.body);
    let same = same.json();
    assert_eq!(same["changed"], 0);
    assert_eq!(same["checklist_hash"], builtin().hash());
    assert_eq!(same["bids"].as_array().unwrap().len(), examples);
    assert_eq!(
        same["bids"][0]["file"],
        "examples/01-riverside-community-hub.toml"
    );
    assert_eq!(same["bids"][0]["before"]["status"], "met");

    // A rule that never passes anyone.
    let harsh = original.replacen(
        "fn appraise(bid) {",
        "fn appraise(bid) {\n    return not_met(\"the playground says no\");",
        1,
    );
    assert_ne!(harsh, original);
    let r = play(harsh).await.json();
    let bid0 = &r["bids"][0];
    assert_eq!(bid0["before"]["status"], "met");
    assert_eq!(bid0["after"]["status"], "not-met");
    assert_eq!(bid0["changed"], true);
    assert!(r["changed"].as_u64().unwrap() >= 1);
    assert_ne!(r["checklist_hash"], builtin().hash());

    // A runaway edit is stopped by the rules' own budget: the answer says so, the server lives.
    let runaway = original.replacen("fn appraise(bid) {", "fn appraise(bid) {\n    loop { }", 1);
    let r = play(runaway).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let bid0 = &r.json()["bids"][0];
    assert_eq!(bid0["after"]["complete"], false);
    assert_eq!(bid0["after"]["status"], Value::Null);
    assert_eq!(
        bid0["errors"][0]["message"],
        "the rule used up its operation budget of 200000 and was stopped (does it loop forever?)"
    );
    assert_eq!(s.get("/healthz").await.status, 200);

    let broken = original.replacen("fn appraise(bid) {", "fn appraise(bid) {\n    let = 1;", 1);
    let r = play(broken).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let d = &r.json()["diagnostics"][0];
    assert_eq!(d["file"], "rules/volunteering/VOL-01-new-volunteers.rhai");
    let line = original
        .lines()
        .position(|l| l.starts_with("fn appraise(bid)"))
        .unwrap()
        + 2;
    assert_eq!(d["line"], line);
    assert_eq!(d["column"], 9);

    let unknown = s
        .post(
            "/api/playground",
            "application/json",
            br#"{"rule_id": "VOL-99", "source": ""}"#,
        )
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(
        unknown.json()["diagnostics"][0]["message"],
        "the checklist has no rule `VOL-99`"
    );
    let garbage = s.post("/api/playground", "application/json", b"{}").await;
    assert_eq!(garbage.status, 400);

    // Nothing was written or recorded.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
    assert_eq!(s.get("/api/appraisals").await.json()["total"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_is_self_contained_and_the_report_route_renders_the_section() {
    let dir = tempfile::tempdir().unwrap();
    let s = Server::builtin(&dir.path().join("a.sqlite")).await;
    let page = s.get("/").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.headers["content-type"], "text/html; charset=utf-8");
    assert!(
        page.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .starts_with("default-src 'none';")
    );
    assert_no_network_loads(&page.body);
    assert!(page.body.contains("<textarea id=\"bid\""));
    assert!(
        !page.body.contains("{{"),
        "a placeholder was left in the page"
    );

    let r = s
        .post(
            "/api/report",
            "application/toml",
            example(RIVERSIDE).as_bytes(),
        )
        .await;
    assert_eq!(r.status, 200);
    let body = r.json();
    let a = stronger::appraise(builtin(), &bid(&example(RIVERSIDE)));
    assert_eq!(body["html"], stronger::render::html_section(&a, builtin()));
    assert_eq!(body["appraisal"]["outcome"], "recommend");
    assert_eq!(body["audit"], 1);
    let entry = s.get("/api/appraisals/1").await.json();
    assert_eq!(entry["via"], "page");
    s.stop().await;
}

/// No `src=`/`href=` (or CSS `url(`) that would load anything from the network.
pub fn assert_no_network_loads(html: &str) {
    for needle in ["http://", "https://", "//cdn", "url("] {
        assert!(!html.contains(needle), "the page refers to `{needle}`");
    }
    for attr in ["src=\"", "href=\""] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            assert!(
                rest.starts_with('#') || rest.starts_with("data:"),
                "the page loads `{}`",
                &rest[..rest.len().min(40)]
            );
        }
    }
}

/// A raw HTTP/1.1 request whose body is sent slowly: the headers, then a first few bytes of a
/// body of `len`, then nothing. Returns the connection, to read the answer from.
fn slow_client(addr: SocketAddr, path: &str, len: usize) -> std::net::TcpStream {
    use std::io::Write;
    let mut c = std::net::TcpStream::connect(addr).unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/toml\r\nContent-Length: {len}\r\n\r\nid = "
    );
    c.write_all(head.as_bytes()).unwrap();
    c.flush().unwrap();
    c
}

/// What the server answered on a raw connection (within 30 s): the status line and the JSON
/// body.
fn answer(c: &mut std::net::TcpStream) -> (String, Value) {
    use std::io::Read;
    c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut buf = vec![0u8; 4096];
    let mut got = Vec::new();
    // The server closes the connection after an error it gave before reading the whole body.
    while let Ok(n) = c.read(&mut buf) {
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf[..n]);
        if String::from_utf8_lossy(&got).contains("\"rendered\"") {
            break;
        }
    }
    let text = String::from_utf8_lossy(&got).to_string();
    let status = text.lines().next().unwrap_or_default().to_string();
    let body = text.split("\r\n\r\n").nth(1).unwrap_or_default();
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

// Issue 12, item 7: 300 clients sending request bodies very slowly made `/healthz` and
// `/api/appraise` answer 503 for about 10 s (the whole request time). Bodies now have their own
// short time (408 beyond), and `/healthz` is outside the in-flight limit. (Three slow clients
// against a limit of three requests stand for the 300 against 256.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_bodies_cannot_keep_the_server_from_serving() {
    let options = Options {
        max_requests: 3,
        body_timeout: Duration::from_millis(300),
        ..Options::default()
    };
    let s = Server::start(
        stronger::Checklist::builtin().unwrap(),
        Audit::in_memory().unwrap(),
        options,
    )
    .await;
    let addr = s.addr;
    let slow: Vec<std::net::TcpStream> = tokio::task::spawn_blocking(move || {
        (0..3)
            .map(|_| slow_client(addr, "/api/appraise", 10_000))
            .collect()
    })
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        s.get("/healthz").await.status,
        200,
        "healthz answers while they hold every slot"
    );
    let answers = tokio::task::spawn_blocking(move || {
        slow.into_iter()
            .map(|mut c| answer(&mut c))
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    for (status, body) in answers {
        assert_eq!(status, "HTTP/1.1 408 Request Timeout");
        assert_eq!(
            body,
            json!({"error": "body-timeout",
                   "message": "the request body did not arrive within the server's limit of 300 ms",
                   "diagnostics": [], "rendered": ""})
        );
    }
    // Their slots are free again.
    let r = s
        .post("/api/appraise", "application/toml", MINIMAL.as_bytes())
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    s.stop().await;
}

// Issue 12, item 7: the playground (arbitrary rule code) ran on the evaluation slots and pool, so
// one slow edit starved appraisals. It now has its own slots and its own threads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_playground_cannot_starve_appraisals() {
    let config = format!(
        "{CONFIG}\n[limits]\nrule_operations = 1000000000000\nrule_millis = 400\nappraisal_millis = 400\n"
    );
    let c = TempChecklist::new(
        &config,
        &[(
            "volunteering/OK-01.rhai",
            &rule("OK-01", "    met(\"fine\");"),
        )],
    );
    let options = Options {
        max_concurrent: 1,
        max_playground: 1,
        timeout: Duration::from_millis(1000),
        ..Options::default()
    };
    let s = Server::start(c.load().unwrap(), Audit::in_memory().unwrap(), options).await;
    let addr = s.addr;
    let slow = rule("OK-01", "    let x = 0;\n    loop { x += 1; }");
    let body = serde_json::to_vec(&json!({"rule_id": "OK-01", "source": slow})).unwrap();
    // Each of the 14 examples runs the slow rule to its deadline: seconds on the playground's
    // two threads, past the request's own time (504), holding the playground's only slot.
    let edit = body.clone();
    let first = tokio::spawn(async move {
        call(
            addr,
            "POST",
            "/api/playground",
            Some("application/json"),
            &edit,
        )
        .await
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let r = s
        .post("/api/appraise", "application/toml", MINIMAL.as_bytes())
        .await;
    assert_eq!(
        r.status, 200,
        "an appraisal is not kept waiting: {}",
        r.body
    );
    let second = s.post("/api/playground", "application/json", &body).await;
    assert_eq!(second.status, 503, "{}", second.body);
    assert_eq!(
        second.json()["message"],
        "the rules playground is busy: 1 edits are being tried; try again shortly"
    );
    assert_eq!(first.await.unwrap().status, 504);
    let r = s
        .post("/api/appraise", "application/toml", MINIMAL.as_bytes())
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    s.stop().await;
}

// Issue 12, item 7: the playground accepted any content type, so a plain-text or form POST from
// any web page a staff member visited could run rule code; and a wrong method got a 405 with no
// body, where SECURITY.md promises JSON for every error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_playground_takes_only_json_and_every_error_is_json() {
    let db = tempfile::tempdir().unwrap();
    let s = Server::builtin(&db.path().join("a.sqlite")).await;
    let edit = br#"{"rule_id": "VOL-01", "source": "fn appraise(bid) { met(\"x\"); }"}"#;
    for ct in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ] {
        let r = s.post("/api/playground", ct, edit).await;
        assert_eq!(r.status, 415, "{ct}");
        assert_eq!(
            r.json(),
            json!({"error": "unsupported-media-type",
                   "message": "send the edited rule as `application/json`: {\"rule_id\": \"…\", \"source\": \"…\"}",
                   "diagnostics": [], "rendered": ""})
        );
    }
    for (method, path, message) in [
        (
            "GET",
            "/api/appraise",
            "`/api/appraise` does not take `GET`",
        ),
        ("POST", "/healthz", "`/healthz` does not take `POST`"),
        (
            "DELETE",
            "/api/appraisals/1",
            "`/api/appraisals/1` does not take `DELETE`",
        ),
    ] {
        let r = s.call(method, path, None, b"").await;
        assert_eq!(r.status, 405, "{method} {path}");
        assert_eq!(
            r.json(),
            json!({"error": "method-not-allowed", "message": message, "diagnostics": [], "rendered": ""})
        );
    }
    s.stop().await;
}

// Issue 12, item 7: the audit log had no size policy. At its limit the server refuses to record,
// and so to appraise (507, JSON); it never deletes a record.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_its_size_limit_the_audit_log_refuses_and_keeps_every_record() {
    let options = Options {
        max_audit_bytes: 64 * 1024,
        ..Options::default()
    };
    let s = Server::start(
        stronger::Checklist::builtin().unwrap(),
        Audit::in_memory().unwrap(),
        options,
    )
    .await;
    let mut recorded = 0;
    let refused = loop {
        let r = s
            .post("/api/appraise", "application/toml", MINIMAL.as_bytes())
            .await;
        if r.status != 200 {
            break r;
        }
        recorded += 1;
        assert!(recorded < 1000, "never refused");
    };
    assert!(recorded > 0);
    assert_eq!(refused.status, 507, "{}", refused.body);
    let v = refused.json();
    assert_eq!(v["error"], "audit-log-full");
    let message = v["message"].as_str().unwrap();
    assert!(
        message.starts_with("the audit log is full (")
            && message.ends_with(" of 65536 bytes), so no appraisal can be recorded or answered; archive the log and start a new one, or raise `--max-audit-bytes`"),
        "{message}"
    );
    // Every record made is still there, and reading the log still works.
    assert_eq!(s.get("/api/appraisals").await.json()["total"], recorded);
    assert_eq!(s.get("/healthz").await.status, 200);
    s.stop().await;
}
