//! The web page in a real browser: headless Chromium driven over WebDriver (`chromedriver`).
//! A champion writes a bid from blank in the form (by keyboard for a long stretch), sees the
//! live preview, applies advice, records the appraisal as a reviewer and finds it in the audit
//! log, reloads and finds the draft, downloads and opens it again, at 1280×800 and on a narrow
//! screen; then the rules playground. Screenshots of each step go to `target/browser/`. The
//! summary page of a screening round is sorted and filtered in its own session.
//! `scripts/test` (the README's test command, which `.ci/run` calls) installs Debian's `chromium` and `chromium-driver`; without them this test fails
//! and says so.

use crate::serve::Server;
use crate::support::*;
use fantoccini::{ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use stronger::serve::{Audit, Options};

fn find(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    names.iter().find_map(|n| {
        std::env::split_paths(&path)
            .chain([
                PathBuf::from("/usr/bin"),
                PathBuf::from("/usr/lib/chromium"),
            ])
            .map(|d| d.join(n))
            .find(|p| p.is_file())
    })
}

/// `chromedriver` on a free port, killed when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_driver() -> Driver {
    let driver = find(&["chromedriver"]).expect(
        "the browser test needs `chromedriver` (Debian: `apt-get install chromium chromium-driver`; scripts/test installs it)",
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start listening on port {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    }
}

/// Waits until `#id`'s text satisfies `ok`, and returns it.
async fn text_until(c: &fantoccini::Client, id: &str, ok: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        let text = c.find(Locator::Id(id)).await.unwrap().text().await.unwrap();
        if ok(&text) {
            return text;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "#{id} still says {text:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A reverse proxy in front of the server that names the reviewer, as an authenticating proxy
/// does for `stronger serve --user-header x-remote-user`: it sets the header itself and drops
/// any the browser sent.
async fn reviewer_proxy(
    backend: std::net::SocketAddr,
    reviewer: &'static str,
) -> (std::net::SocketAddr, tokio::task::JoinHandle<()>) {
    use axum::extract::{Request, State};
    async fn forward(
        State((backend, who)): State<(std::net::SocketAddr, &'static str)>,
        req: Request,
    ) -> axum::response::Response {
        let client: hyper_util::client::legacy::Client<HttpConnector, axum::body::Body> =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build(HttpConnector::new());
        let (mut parts, body) = req.into_parts();
        let pq = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_string();
        parts.uri = format!("http://{backend}{pq}").parse().unwrap();
        parts.headers.remove("x-remote-user");
        parts.headers.insert("x-remote-user", who.parse().unwrap());
        let res = client
            .request(axum::http::Request::from_parts(parts, body))
            .await
            .unwrap();
        res.map(axum::body::Body::new)
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new()
        .fallback(forward)
        .with_state((backend, reviewer));
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (addr, task)
}

/// WebDriver's codes for keys.
const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const LEFT: &str = "\u{E012}";

async fn js(c: &fantoccini::Client, script: &str) -> serde_json::Value {
    c.execute(script, vec![]).await.unwrap()
}

/// Waits until `script` returns something truthy, and returns it.
async fn js_until(c: &fantoccini::Client, script: &str) -> serde_json::Value {
    let started = Instant::now();
    loop {
        let v = js(c, script).await;
        if !(v.is_null() || v == json!(false) || v == json!("") || v == json!(0)) {
            return v;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "still not true: {script}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn active_id(c: &fantoccini::Client) -> String {
    c.active_element()
        .await
        .unwrap()
        .attr("id")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// Presses `keys` on the keyboard, into whatever has the focus.
async fn press(c: &fantoccini::Client, keys: &str) {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let mut actions = KeyActions::new("keyboard".to_string());
    for k in keys.chars() {
        actions = actions
            .then(KeyAction::Down { value: k })
            .then(KeyAction::Up { value: k });
    }
    c.perform_actions(actions).await.unwrap();
}

async fn value(c: &fantoccini::Client, id: &str) -> String {
    c.find(Locator::Id(id))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

async fn click(c: &fantoccini::Client, id: &str) {
    c.find(Locator::Id(id))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

async fn type_into(c: &fantoccini::Client, id: &str, text: &str) {
    c.find(Locator::Id(id))
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

async fn shot(c: &fantoccini::Client, name: &str) {
    let shots = root().join("target/browser");
    std::fs::create_dir_all(&shots).unwrap();
    std::fs::write(shots.join(name), c.screenshot().await.unwrap()).unwrap();
}

/// The total the status line shows once the preview is up to date with the form:
/// `Outcome: refer · total 8.00 · …`.
async fn shown_total(c: &fantoccini::Client) -> f64 {
    js_until(c, "return document.body.dataset.preview === 'done';").await;
    let status = text_until(c, "status", |t| t.starts_with("Outcome:")).await;
    status
        .split(" · ")
        .nth(1)
        .and_then(|t| t.strip_prefix("total "))
        .unwrap_or_else(|| panic!("{status}"))
        .parse()
        .unwrap()
}

// Issue 17: a champion with a village lunch club writes a new bid from blank using only the
// page — the form built from the schema, by keyboard for a long stretch — sees the live
// appraisal (a preview, not recorded), applies a piece of advice and sees the field change and
// the score move, records the appraisal as a reviewer named by the proxy in front and finds it
// in the audit view, reloads and finds the draft, downloads it and opens it again; at 1280×800
// and on a narrow screen. Screenshots of each step are saved to `target/browser/`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_champion_writes_a_bid_from_blank_in_the_page_in_headless_chromium() {
    let chromium = find(&["chromium", "chromium-browser"]).expect(
        "the browser test needs `chromium` (Debian: `apt-get install chromium chromium-driver`; scripts/test installs it)",
    );
    let driver = start_driver();
    let server = Server::start(
        stronger::Checklist::builtin().unwrap(),
        Audit::in_memory().unwrap(),
        Options {
            user_header: Some("x-remote-user".to_string()),
            ..Options::default()
        },
    )
    .await;
    let (front, proxy) = reviewer_proxy(server.addr, "Aisha Khan").await;
    let downloads = tempfile::tempdir().unwrap();
    let caps = json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking", "--disable-dev-shm-usage",
                     "--window-size=1280,800"],
            "prefs": {"download.default_directory": downloads.path(),
                      "download.prompt_for_download": false},
        }
    });
    let c = ClientBuilder::new(HttpConnector::new())
        .capabilities(caps.as_object().unwrap().clone())
        .connect(&driver.url)
        .await
        .expect("cannot start a Chromium session through chromedriver");
    c.goto(&format!("http://{front}/")).await.unwrap();

    // Blank: the preview says what the bid still lacks; nothing is recorded.
    let status = text_until(&c, "status", |t| t.contains("schema")).await;
    assert_eq!(
        status,
        "The bid does not follow the proposal schema yet: what to fix is below"
    );
    let errors = text_until(&c, "errors", |t| !t.is_empty()).await;
    assert!(errors.contains("`id`"), "{errors}");
    // A control for every field the engine's own index of the schema lists (each kind of
    // repeatable block opened once, wherever the schema nests it: partners, outcomes, a
    // decision's changes).
    let mut opened = 0;
    loop {
        let next = js(
            &c,
            "const f = Array.from(document.querySelectorAll('#bid-form fieldset.records')).find(f => !f.querySelector(':scope > fieldset.record')); return f ? f.id + '-add' : null;",
        )
        .await;
        let Some(add) = next.as_str() else { break };
        click(&c, add).await;
        opened += 1;
        assert!(opened < 20, "a repeatable block that does not open: {add}");
    }
    assert!(opened >= 5, "only {opened} repeatable blocks");
    let controls: Vec<String> = serde_json::from_value(
        js(
            &c,
            "return Array.from(document.querySelectorAll('#bid-form [data-path]')).map(e => e.dataset.path.replace(/\\[\\d+\\]/g, ''));",
        )
        .await,
    )
    .unwrap();
    let fields: Vec<&str> = stronger::ProposalSchema::builtin()
        .fields()
        .paths()
        .collect();
    assert!(fields.len() > 60, "{fields:?}");
    for f in &fields {
        assert!(controls.iter().any(|p| p == f), "no control for `{f}`");
    }
    // Yes / no / not stated, "not stated" the default; the schema's descriptions as help.
    let choices = js(
        &c,
        "return Array.from(document.querySelectorAll('input[name=\"f-applicant-volunteer_led\"]')).map(r => r.parentElement.textContent.trim() + (r.checked ? ' (chosen)' : ''));",
    )
    .await;
    assert_eq!(choices, json!(["Yes", "No", "Not stated (chosen)"]));
    assert_eq!(
        c.find(Locator::Id("f-volunteering-new_volunteers-help"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "new volunteers to be recruited"
    );
    // Every control has a label, every button a name.
    let unlabelled = js(
        &c,
        "return Array.from(document.querySelectorAll('input, select, textarea')).filter(e => !e.labels.length && !e.getAttribute('aria-label')).map(e => e.id || e.outerHTML)\
         .concat(Array.from(document.querySelectorAll('button, a')).filter(b => !b.textContent.trim() && !b.getAttribute('aria-label')).map(b => b.outerHTML));",
    )
    .await;
    assert_eq!(unlabelled, json!([]));
    shot(&c, "page-blank.png").await;

    // Starting blank again over changes asks first.
    click(&c, "start-blank").await;
    assert_eq!(
        c.get_alert_text().await.unwrap(),
        "Replace the current draft? It has changes you have not downloaded."
    );
    c.accept_alert().await.unwrap();
    assert!(c.find(Locator::Id("f-partners-0")).await.is_err());

    // Keyboard only, from the top of a freshly loaded page: Tab to the first field, then fill
    // the bid field by field, a yes/no by the arrow keys, a kind by typing, a list by Enter.
    c.refresh().await.unwrap();
    text_until(&c, "status", |t| t.contains("schema")).await;
    let mut presses = 0;
    while active_id(&c).await != "f-id" {
        press(&c, TAB).await;
        presses += 1;
        assert!(presses < 20, "Tab never reaches the form");
    }
    let steps: &[(&str, &str)] = &[
        ("f-id", "LC-2026-01"),
        ("f-title", "Friday lunch club at St Anne's hall"),
        (
            "f-summary",
            "A hot lunch every Friday for older people in Little Wendham who live alone, cooked and served by volunteers from the village, with a lift for those who cannot walk to the hall.",
        ),
        ("f-partnership", ""),
        // What kind of proposal (a funding bid, a decision …): left not stated.
        ("f-kind", ""),
        ("f-applicant-name", "Little Wendham Friends"),
        (
            "f-applicant-purpose",
            "We run social activities for older people in the village.",
        ),
        ("f-applicant-kind", "community"),
        ("f-applicant-volunteer_led-unstated", LEFT),
    ];
    for (i, (id, keys)) in steps.iter().enumerate() {
        if i > 0 {
            press(&c, TAB).await;
        }
        assert_eq!(active_id(&c).await, *id, "Tab order");
        if !keys.is_empty() {
            press(&c, keys).await;
        }
    }
    press(&c, LEFT).await;
    assert_eq!(active_id(&c).await, "f-applicant-volunteer_led-true");
    let steps: &[(&str, &str)] = &[
        ("f-applicant-years_active", "6"),
        ("f-place-locality", "Little Wendham"),
        ("f-place-area_code", ""),
        ("f-place-deprivation_decile", "4"),
        ("f-funding-amount_requested", "3200"),
        ("f-funding-total_cost", "4000"),
        ("f-funding-match_funding", "800"),
        ("f-funding-duration_months", "12"),
        ("f-funding-currency", ""),
        ("f-beneficiaries-people", "40"),
        ("f-beneficiaries-groups-add", ENTER),
    ];
    for (id, keys) in steps {
        press(&c, TAB).await;
        assert_eq!(active_id(&c).await, *id, "Tab order");
        if !keys.is_empty() {
            press(&c, keys).await;
        }
    }
    assert_eq!(active_id(&c).await, "f-beneficiaries-groups-0");
    press(&c, "older people living alone").await;
    assert_eq!(value(&c, "f-applicant-kind").await, "community-group");
    assert_eq!(
        value(&c, "f-title").await,
        "Friday lunch club at St Anne's hall"
    );

    // The rest as a champion would, clicking and typing.
    click(&c, "f-involvement-co_designed-true").await;
    type_into(&c, "f-involvement-residents_in_governance", "4").await;
    type_into(
        &c,
        "f-involvement-consultation",
        "We asked thirty older residents at the coffee morning what they wanted.",
    )
    .await;
    type_into(&c, "f-volunteering-new_volunteers", "8").await;
    click(&c, "f-volunteering-training-true").await;
    click(&c, "f-partners-add").await;
    type_into(&c, "f-partners-0-name", "St Anne's church").await;
    type_into(&c, "f-partners-0-sector", "community").await;
    type_into(&c, "f-partners-0-role", "lends the hall and its kitchen").await;
    click(&c, "f-partners-0-committed-true").await;
    click(&c, "f-outcomes-add").await;
    type_into(&c, "f-outcomes-0-indicator", "NI6").await;
    type_into(&c, "f-outcomes-0-measure", "regular volunteers").await;
    type_into(&c, "f-outcomes-0-baseline", "4").await;
    type_into(&c, "f-outcomes-0-target", "12").await;
    type_into(&c, "f-outcomes-0-by", "2027-06").await;
    click(&c, "f-evidence-add").await;
    type_into(&c, "f-evidence-0-kind", "need").await;
    type_into(
        &c,
        "f-evidence-0-description",
        "The parish survey found 25 people over 75 living alone with no family nearby.",
    )
    .await;

    // The live appraisal: a preview, not recorded.
    let before = shown_total(&c).await;
    let note = c
        .find(Locator::Id("preview-note"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(note, "Preview — not recorded");
    let heading = c
        .find(Locator::Css("#report h2"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(heading, "LC-2026-01 — Friday lunch club at St Anne's hall");
    let bars = c
        .find_all(Locator::Css("#report svg.chart rect"))
        .await
        .unwrap();
    assert!(bars.len() > 11, "the chart's bands and a bar per indicator");
    js(&c, "window.scrollTo(0, 0)").await;
    shot(&c, "page-1280x800.png").await;

    // The text view, in step with the form both ways.
    click(&c, "view-text").await;
    let text = js_until(
        &c,
        "const t = document.getElementById('bid').value; return t.includes('id = \"LC-2026-01\"') && t;",
    )
    .await;
    assert!(
        text.as_str()
            .unwrap()
            .contains("[[partners]]\nname = \"St Anne's church\"\nsector = \"community\""),
        "{text}"
    );
    type_into(&c, "bid", "\n[assets]\nuses = [\"St Anne's hall\"]\n").await;
    text_until(&c, "text-status", |t| {
        t == "The form is up to date with the text."
    })
    .await;
    click(&c, "view-form").await;
    assert_eq!(value(&c, "f-assets-uses-0").await, "St Anne's hall");

    // Advice in plain words: a sentence, checked before → after, and "Apply".
    let moved = shown_total(&c).await;
    click(&c, "advise-run").await;
    text_until(&c, "advise-status", |t| t.contains("checked on the bid")).await;
    let first = c.find(Locator::Css("#advice-list > li")).await.unwrap();
    let effect = first
        .find(Locator::Css(".effect"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(effect.starts_with("Checked: "), "{effect}");
    let gain: f64 = effect
        .split("The total rises by ")
        .nth(1)
        .and_then(|g| g.strip_suffix('.'))
        .unwrap_or_else(|| panic!("{effect}"))
        .parse()
        .unwrap();
    assert!(gain > 0.0);
    // The field paths only on request.
    let details = first.find(Locator::Css("details")).await.unwrap();
    assert_eq!(details.attr("open").await.unwrap(), None);
    shot(&c, "page-advice.png").await;
    click(&c, "apply-0").await;
    let field = js_until(
        &c,
        "const a = document.querySelector('#bid-form .applied'); return a && a.dataset.field;",
    )
    .await;
    let after = js_until(
        &c,
        &format!("const s = document.getElementById('status').textContent; return s.startsWith('Outcome:') && !s.includes('total {moved:.2}') && s;"),
    )
    .await;
    assert!(
        after
            .as_str()
            .unwrap()
            .contains(&format!("total {:.2}", moved + gain)),
        "applying `{field}` moved the total from {moved} by {gain}: {after}"
    );
    shot(&c, "page-applied.png").await;
    // The examples advice writes ("[example: …]") are marked as examples to replace.
    click(&c, "advise-run").await;
    text_until(&c, "advise-status", |t| t.contains("checked on the bid")).await;
    let k = js(
        &c,
        "return Array.from(document.querySelectorAll('#advice-list > li')).findIndex(li => Array.from(li.querySelectorAll('code')).some(code => code.textContent.includes('=[example: ')));",
    )
    .await;
    let k = k.as_i64().unwrap();
    assert!(k >= 0, "no suggestion writes an example");
    click(&c, &format!("apply-{k}")).await;
    let example = js_until(&c, "const n = document.querySelector('#bid-form .example-value .example-note'); return n && n.textContent;").await;
    assert_eq!(
        example,
        "Example wording from the advice: replace it with the group's own words."
    );
    let total = shown_total(&c).await;
    assert!(total >= moved + gain, "{total}");

    // "Record this appraisal": recorded with the reviewer the proxy names.
    js_until(&c, "return !document.getElementById('record').disabled;").await;
    click(&c, "record").await;
    let recorded = text_until(&c, "record-status", |t| !t.is_empty()).await;
    assert_eq!(recorded, "Recorded as audit entry 1 by Aisha Khan.");
    let _ = before;

    // The audit view: who, which bid, the outcome, the checklist; a filter; CSV.
    click(&c, "tab-audit").await;
    let audit = text_until(&c, "audit-status", |t| t.starts_with("Page")).await;
    assert_eq!(audit, "Page 1 of 1 · 1 entries");
    let row: Vec<String> = serde_json::from_value(
        js(&c, "return Array.from(document.querySelectorAll('#audit-table tbody tr:first-child td')).map(td => td.textContent);").await,
    )
    .unwrap();
    assert_eq!(
        row[1..4],
        [
            "Aisha Khan",
            "LC-2026-01",
            "Friday lunch club at St Anne's hall"
        ]
    );
    assert_eq!(row[5], "stronger 2026.1");
    type_into(&c, "audit-filter", "nobody").await;
    text_until(&c, "audit-status", |t| t.ends_with("matching “nobody”")).await;
    assert_eq!(
        c.find(Locator::Id("audit-status"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "Page 1 of 1 · 0 entries matching “nobody”"
    );
    let filter = c.find(Locator::Id("audit-filter")).await.unwrap();
    filter.clear().await.unwrap();
    filter.send_keys("aisha").await.unwrap();
    text_until(&c, "audit-status", |t| {
        t == "Page 1 of 1 · 1 entries matching “aisha”"
    })
    .await;
    let csv = js_until(
        &c,
        "return fetch(document.getElementById('audit-csv').href).then(r => r.text());",
    )
    .await;
    assert!(
        csv.as_str()
            .unwrap()
            .contains(",Aisha Khan,LC-2026-01,Friday lunch club at St Anne's hall,"),
        "{csv}"
    );
    shot(&c, "page-audit.png").await;
    click(&c, "tab-appraise").await;

    // The draft: a warning before it is thrown away, kept across a reload, downloaded and
    // opened again.
    let warns = "const e = new Event('beforeunload', {cancelable: true}); window.dispatchEvent(e); return e.defaultPrevented;";
    assert_eq!(js(&c, warns).await, json!(true), "unsaved changes warn");
    click(&c, "download-toml").await;
    text_until(&c, "draft-status", |t| {
        t.starts_with("Downloaded LC-2026-01.toml")
    })
    .await;
    let file = downloads.path().join("LC-2026-01.toml");
    let started = Instant::now();
    while !file.is_file() {
        assert!(started.elapsed() < Duration::from_secs(15), "no download");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        js(&c, warns).await,
        json!(false),
        "downloaded: nothing to lose"
    );
    let saved = std::fs::read_to_string(&file).unwrap();
    let saved_bid = bid(&saved);
    assert_eq!(saved_bid.id, "LC-2026-01");
    assert_eq!(
        stronger::appraise(crate::support::builtin(), &saved_bid).total,
        total
    );
    c.refresh().await.unwrap();
    text_until(&c, "draft-status", |t| {
        t.starts_with("Draft restored from ")
    })
    .await;
    assert_eq!(
        value(&c, "f-title").await,
        "Friday lunch club at St Anne's hall"
    );
    assert_eq!(value(&c, "f-partners-0-name").await, "St Anne's church");
    assert_eq!(shown_total(&c).await, total);
    shot(&c, "page-reloaded.png").await;
    click(&c, "start-blank").await;
    text_until(&c, "status", |t| t.contains("schema")).await;
    assert_eq!(value(&c, "f-title").await, "");
    c.find(Locator::Id("upload"))
        .await
        .unwrap()
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    text_until(&c, "draft-status", |t| t == "Opened LC-2026-01.toml").await;
    assert_eq!(
        value(&c, "f-title").await,
        "Friday lunch club at St Anne's hall"
    );
    assert_eq!(shown_total(&c).await, total);

    // A narrow screen: nothing wider than the window.
    c.set_window_size(390, 844).await.unwrap();
    let overflow = js(
        &c,
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
    )
    .await;
    assert!(
        overflow.as_i64().unwrap() <= 0,
        "the page is wider than a phone: {overflow}"
    );
    js(&c, "window.scrollTo(0, 0)").await;
    shot(&c, "page-narrow.png").await;
    c.set_window_size(1280, 800).await.unwrap();

    // The rules playground runs the examples with the rule as it stands.
    click(&c, "tab-playground").await;
    let play = text_until(&c, "play-status", |t| t.starts_with("The rule as")).await;
    assert_eq!(
        play,
        "The rule as the checklist holds it: edit it to see what changes"
    );
    let rows = c
        .find_all(Locator::Css("#play-results tbody tr"))
        .await
        .unwrap();
    assert_eq!(rows.len(), example_bids().len());
    type_into(&c, "rule-source", "\nlet = 1;\n").await;
    let play = text_until(&c, "play-status", |t| t.contains("cannot")).await;
    assert_eq!(play, "The edited rule cannot be used");
    let errors = c
        .find(Locator::Id("play-errors"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        errors.contains("  --> rules/participation/ACT-01-"),
        "{errors}"
    );
    shot(&c, "playground.png").await;

    c.close().await.unwrap();
    proxy.abort();
    server.stop().await;
}

/// The funder's export made a round of `copies` × its applications, each with its own id.
fn big_round(dir: &std::path::Path, copies: usize) -> PathBuf {
    let text =
        std::fs::read_to_string(root().join("tests/data/funder/riverside-export.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(rdr.headers().unwrap()).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    for k in 0..copies {
        for r in &rows {
            let mut cells: Vec<String> = r.iter().map(str::to_string).collect();
            cells[0] = format!("{}-{k:03}", cells[0]);
            cells[6] = format!("{} ({})", cells[6], k + 1);
            w.write_record(&cells).unwrap();
        }
    }
    let p = dir.join("round.csv");
    std::fs::write(&p, w.into_inner().unwrap()).unwrap();
    p
}

// Issue 16: the summary page of a round of 500 bids, sorted by a column and filtered, in a
// real browser; opened from disk, as a grants officer would.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_summary_page_of_a_500_bid_round_sorts_and_filters_in_headless_chromium() {
    let chromium = find(&["chromium", "chromium-browser"]).expect(
        "the browser test needs `chromium` (Debian: `apt-get install chromium chromium-driver`; scripts/test installs it)",
    );
    let dir = tempfile::tempdir().unwrap();
    let round = big_round(dir.path(), 50);
    let out = dir.path().join("results");
    let (code, _, err) = run(&[
        "screen",
        round.to_str().unwrap(),
        "--map",
        "tests/data/funder/riverside-mapping.toml",
        "--budget",
        "250000",
        "--reports",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("screened 500 bids"), "{err}");
    // With JavaScript off the table is all there, in ranked order.
    let page = std::fs::read_to_string(out.join("summary.html")).unwrap();
    assert_eq!(page.matches("<tr data-outcome=").count(), 450);
    let driver = start_driver();
    let caps = json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking", "--disable-dev-shm-usage",
                     "--window-size=1600,1000"],
        }
    });
    let c = ClientBuilder::new(HttpConnector::new())
        .capabilities(caps.as_object().unwrap().clone())
        .connect(&driver.url)
        .await
        .expect("cannot start a Chromium session through chromedriver");
    let shots = root().join("target/browser");
    std::fs::create_dir_all(&shots).unwrap();
    c.goto(&format!("file://{}", out.join("summary.html").display()))
        .await
        .unwrap();
    let shown = text_until(&c, "shown", |t| t.ends_with("bids shown")).await;
    assert_eq!(shown, "450 of 450 bids shown");
    let column = |name: &'static str| {
        format!(
            "var i = Array.prototype.findIndex.call(document.querySelectorAll('#ranking thead th'), function (h) {{ return h.textContent === '{name}'; }});\
             return Array.prototype.filter.call(document.querySelectorAll('#ranking tbody tr'), function (r) {{ return !r.hidden; }})\
               .map(function (r) {{ return r.cells[i].getAttribute('data-v') || r.cells[i].textContent; }});"
        )
    };
    // Sort by the amount asked for: ascending, then descending.
    let amount = c
        .find(Locator::XPath("//table[@id='ranking']//th[.='Amount']"))
        .await
        .unwrap();
    amount.click().await.unwrap();
    let values: Vec<f64> = c
        .execute(&column("Amount"), vec![])
        .await
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(values.len(), 450);
    assert!(values.windows(2).all(|w| w[0] <= w[1]), "ascending");
    amount.click().await.unwrap();
    let first: Vec<serde_json::Value> = c
        .execute(&column("Amount"), vec![])
        .await
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(first[0], json!("25000"), "the largest first");
    // Filter: only the bids that mention the filter's words.
    let filter = c.find(Locator::Id("filter")).await.unwrap();
    filter.send_keys("walking football").await.unwrap();
    let shown = text_until(&c, "shown", |t| t.starts_with("50 of")).await;
    assert_eq!(shown, "50 of 450 bids shown");
    // Each bid links to its own report.
    let link = c
        .find(Locator::Css(
            "#ranking tbody tr:not([hidden]) td:nth-child(2) a",
        ))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(link.starts_with("reports/RCF-0102-"), "{link}");
    assert!(out.join(&link).is_file(), "{link}");
    std::fs::write(shots.join("summary.png"), c.screenshot().await.unwrap()).unwrap();
    c.close().await.unwrap();
}
