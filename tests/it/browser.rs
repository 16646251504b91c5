//! The web page in a real browser: headless Chromium driven over WebDriver (`chromedriver`).
//! It loads the page, sees the example's appraisal and chart, types a new bid, sees the outcome
//! change, opens the rules playground and the audit log, and saves screenshots of each to
//! `target/browser/`.
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_appraises_a_bid_as_it_is_typed_in_headless_chromium() {
    let chromium = find(&["chromium", "chromium-browser"]).expect(
        "the browser test needs `chromium` (Debian: `apt-get install chromium chromium-driver`; scripts/test installs it)",
    );
    let driver = start_driver();
    let server = Server::start(
        stronger::Checklist::builtin().unwrap(),
        Audit::in_memory().unwrap(),
        Options::default(),
    )
    .await;
    let caps = json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking", "--disable-dev-shm-usage",
                     "--window-size=1400,1100"],
        }
    });
    let c = ClientBuilder::new(HttpConnector::new())
        .capabilities(caps.as_object().unwrap().clone())
        .connect(&driver.url)
        .await
        .expect("cannot start a Chromium session through chromedriver");
    let shots = root().join("target/browser");
    std::fs::create_dir_all(&shots).unwrap();

    c.goto(&format!("http://{}/", server.addr)).await.unwrap();
    // The first example is appraised as soon as the page loads: outcome and chart.
    let status = text_until(&c, "status", |t| t.starts_with("Outcome:")).await;
    assert!(
        status.starts_with("Outcome: recommend · total "),
        "{status}"
    );
    let bars = c
        .find_all(Locator::Css("#report svg.chart rect"))
        .await
        .unwrap();
    assert!(
        bars.len() > 11,
        "the chart has its band regions and a bar per indicator"
    );

    // Verified advice on request: a table of suggestions, each with its change and effect.
    c.find(Locator::Id("advise-run"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let advice = text_until(&c, "advise-status", |t| t.contains("verified")).await;
    assert!(
        advice.ends_with("need the applicant's own words."),
        "{advice}"
    );
    let rows = c
        .find_all(Locator::Css("#advise-table tbody tr"))
        .await
        .unwrap();
    assert!(
        !rows.is_empty(),
        "the first example has verified suggestions"
    );
    c.execute(
        "document.getElementById('advise-panel').scrollIntoView()",
        vec![],
    )
    .await
    .unwrap();
    std::fs::write(shots.join("advise.png"), c.screenshot().await.unwrap()).unwrap();

    // Type a new bid: a thin one, which is referred for more information.
    let bid = c.find(Locator::Id("bid")).await.unwrap();
    bid.clear().await.unwrap();
    bid.send_keys(
        "id = \"WEB-1\"\ntitle = \"Typed in the <browser>\"\n[funding]\namount_requested = 2500\n",
    )
    .await
    .unwrap();
    let status = text_until(&c, "status", |t| t.starts_with("Outcome: refer")).await;
    assert!(status.contains("recorded as audit entry"), "{status}");
    let heading = c
        .find(Locator::Css("#report h2"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(heading, "WEB-1 — Typed in the <browser>");
    assert!(c.find(Locator::Css("#report svg.chart")).await.is_ok());
    std::fs::write(shots.join("appraise.png"), c.screenshot().await.unwrap()).unwrap();

    // A bid that breaks the schema shows the located error instead.
    bid.send_keys("[place]\ndeprivation_decile = 11\n")
        .await
        .unwrap();
    let status = text_until(&c, "status", |t| t.contains("schema")).await;
    assert_eq!(status, "The bid does not follow the proposal schema");
    let errors = c
        .find(Locator::Id("errors"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(errors.contains("bid.toml:6:"), "{errors}");

    // The rules playground runs the examples with the rule as it stands.
    c.find(Locator::Id("tab-playground"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let play = text_until(&c, "play-status", |t| t.starts_with("The rule as")).await;
    assert_eq!(
        play,
        "The rule as the checklist holds it: edit it to see what changes"
    );
    let rows = c
        .find_all(Locator::Css("#play-results tbody tr"))
        .await
        .unwrap();
    assert_eq!(
        rows.len(),
        std::fs::read_dir(root().join("examples")).unwrap().count()
    );
    // An edit that breaks the rule: the page says where, at once.
    let source = c.find(Locator::Id("rule-source")).await.unwrap();
    source.send_keys("\nlet = 1;\n").await.unwrap();
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
    std::fs::write(shots.join("playground.png"), c.screenshot().await.unwrap()).unwrap();

    // The audit log lists what the page appraised, newest first.
    c.find(Locator::Id("tab-audit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The example on load and the typed bid (typing may add drafts that happened to be valid).
    let audit = text_until(&c, "audit-status", |t| t.starts_with("Page")).await;
    assert!(audit.starts_with("Page 1 of 1 · "), "{audit}");
    let rows = c
        .find_all(Locator::Css("#audit-table tbody tr"))
        .await
        .unwrap();
    assert!(rows.len() >= 2, "{audit}");
    let newest = c
        .find(Locator::Css("#audit-table tbody tr td:nth-child(3)"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(newest, "WEB-1");
    std::fs::write(shots.join("audit.png"), c.screenshot().await.unwrap()).unwrap();

    c.close().await.unwrap();
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
