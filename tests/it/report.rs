//! The HTML report (`appraise --format html`, `summary.html` from `screen`): a snapshot of an
//! example's page, escaping of everything that came from a bid, and no network loads.

use crate::serve::assert_no_network_loads;
use crate::support::*;

/// The page with the checklist hash and engine version redacted, so a rule change shows only
/// where results change.
fn redact(html: &str) -> String {
    html.replace(builtin().hash(), "[checklist hash]")
        .replace(stronger::ENGINE, "[engine]")
}

#[test]
fn an_example_as_an_html_page() {
    let (code, out, err) = run(&[
        "appraise",
        "examples/01-riverside-community-hub.toml",
        "--format",
        "html",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("<!doctype html>\n"));
    assert!(out.contains("@media print"));
    assert!(out.contains("<svg class=\"chart\""));
    assert_no_network_loads(&out);
    insta::assert_snapshot!("riverside_html", redact(&out));
}

#[test]
fn several_bids_make_one_page_with_a_section_each() {
    let (code, out, _) = run(&[
        "appraise",
        "examples/01-riverside-community-hub.toml",
        "examples/02-harbour-street-shopfront.toml",
        "--format",
        "html",
    ]);
    assert_eq!(code, 0);
    assert_eq!(out.matches("<!doctype html>").count(), 1);
    assert_eq!(out.matches("<section class=\"bid\"").count(), 2);
    assert!(out.contains("<h1>Appraisals (2 bids)</h1>"));
    let first = out.find("data-bid=\"EX-01\"").unwrap();
    let second = out.find("data-bid=\"EX-02\"").unwrap();
    assert!(first < second, "bids keep the order they were given in");
}

const HOSTILE: &str = r#"id = "X-<b>1</b>"
title = "<script>alert(1)</script>"
summary = "We will bring together \"<img src=x onerror=alert(2)>\" and long-standing residents."
[funding]
amount_requested = 1000
[cohesion]
brings_together = ["<script>alert(3)</script>", "older residents"]
"#;

#[test]
fn everything_from_a_bid_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.toml");
    std::fs::write(&file, HOSTILE).unwrap();
    let (_, out, err) = run(&["appraise", file.to_str().unwrap(), "--format", "html"]);
    assert!(err.is_empty(), "{err}");
    assert!(
        !out.contains("<script>"),
        "a bid's text reached the page as markup"
    );
    assert!(!out.contains("<img"));
    assert!(!out.contains("<b>1</b>"));
    assert!(out.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
    assert!(out.contains("<h2>X-&lt;b&gt;1&lt;&#x2f;b&gt; — &lt;script&gt;alert(1)"));
    assert_no_network_loads(&out);
}

#[test]
fn screen_writes_summary_html_ranked_and_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let bids = dir.path().join("bids");
    std::fs::create_dir(&bids).unwrap();
    std::fs::write(bids.join("hostile.toml"), HOSTILE).unwrap();
    std::fs::copy(
        root().join("examples/01-riverside-community-hub.toml"),
        bids.join("01.toml"),
    )
    .unwrap();
    std::fs::write(bids.join("broken.toml"), "id = \"<i>oops\"\n").unwrap();
    let out = dir.path().join("out");
    let (code, _, _) = run(&[
        "screen",
        bids.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    let html = std::fs::read_to_string(out.join("summary.html")).unwrap();
    assert!(html.starts_with("<!doctype html>\n"));
    assert!(html.trim_end().ends_with("</html>"));
    // One script, the page's own (sorting and the filter); the bid's is text.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(html.contains("<td>&lt;script&gt;alert(1)&lt;&#x2f;script&gt;</td>"));
    assert!(!html.contains("<i>oops"));
    assert_no_network_loads(&html);
    let riverside = html.find("<td>EX-01</td>").unwrap();
    let hostile = html.find("<td>X-&lt;b&gt;1&lt;&#x2f;b&gt;</td>").unwrap();
    assert!(
        riverside < hostile,
        "ranked: the recommended bid comes first"
    );
    assert!(html.contains("<td class=\"num\" data-v=\"1\">1</td><td>EX-01</td><td>Riverside Community Hub: bringing the old boathouse back to life</td>"));
    assert!(html.contains("<h2>Bids that could not be read (1)</h2>"));
}
