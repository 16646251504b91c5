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
    let riverside = html.find("<td class=\"id\">EX-01</td>").unwrap();
    let hostile = html
        .find("<td class=\"id\">X-&lt;b&gt;1&lt;&#x2f;b&gt;</td>")
        .unwrap();
    assert!(
        riverside < hostile,
        "ranked: the recommended bid comes first"
    );
    assert!(html.contains("<td class=\"num\" data-v=\"1\">1</td><td class=\"id\">EX-01</td><td>Riverside Community Hub: bringing the old boathouse back to life</td>"));
    assert!(html.contains("<h2>Bids that could not be read (1)</h2>"));
    // Issue 17: each band in its own colour, named in a legend and in each cell; confidence as
    // a mark, with its legend.
    for (id, colour) in stronger::render::palette::band_colours(builtin()) {
        let label = id.replace('-', " ");
        assert!(
            html.contains(&format!("fill=\"{colour}\"/></svg>{label}</span>")),
            "{label}"
        );
    }
    assert!(html.contains("<span class=\"key\"><span class=\"conf\">◐</span> medium</span>"));
    let ni1 = stronger::appraise(
        builtin(),
        &bid(
            &std::fs::read_to_string(root().join("examples/01-riverside-community-hub.toml"))
                .unwrap(),
        ),
    );
    let r = &ni1.indicators["NI1"];
    assert_eq!(
        (r.band.as_str(), r.confidence.as_str()),
        ("strongly-positive", "medium")
    );
    assert!(html.contains(&format!(
        "style=\"color: {}\">+10.50 <span class=\"conf\" aria-label=\"medium confidence\">◐</span><small>strongly positive</small></td>",
        stronger::render::palette::band_colour(builtin(), "strongly-positive")
    )));
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let i = text.find(start).unwrap_or_else(|| panic!("no `{start}`")) + start.len();
    let j = text[i..].find(end).unwrap() + i;
    &text[i..j]
}

// Issue 17, item 5: a chart people can read, and a cover for one bid.
#[test]
fn the_chart_labels_every_band_in_its_own_colour_and_shows_confidence() {
    let (code, out, err) = run(&[
        "appraise",
        "examples/12-cobble-lane-bakery-cic.toml",
        "--format",
        "html",
    ]);
    assert_eq!(code, 0, "{err}");
    let chart = between(&out, "<svg class=\"chart\"", "</svg>");
    let legend = between(&out, "<p class=\"legend\"><span>Bands:</span>", "</p>");
    for (id, colour) in stronger::render::palette::band_colours(builtin()) {
        let label = id.replace('-', " ");
        // Each band: a label above its region, in its colour, and a key in the legend.
        assert!(
            chart.contains(&format!(
                "class=\"tick\" style=\"fill: {colour}\">{label}</text>"
            )),
            "the chart does not label `{label}`"
        );
        assert!(
            legend.contains(&format!("fill=\"{colour}\"/></svg>{label} ")),
            "the legend has no `{label}` in {colour}: {legend}"
        );
    }
    // Each bar in its band's colour, its fill shaded by confidence; the legend says how.
    let a = stronger::appraise(
        builtin(),
        &bid(
            &std::fs::read_to_string(root().join("examples/12-cobble-lane-bakery-cic.toml"))
                .unwrap(),
        ),
    );
    for (id, r) in &a.indicators {
        let colour = stronger::render::palette::band_colour(builtin(), &r.band);
        let opacity = match r.confidence.as_str() {
            "high" => "1",
            "medium" => "0.5",
            _ => "0.15",
        };
        assert!(
            chart.contains(&format!(
                "fill=\"{colour}\" fill-opacity=\"{opacity}\" stroke=\"{colour}\" stroke-width=\"1.5\" data-confidence=\"{}\"><title>{id}:",
                r.confidence.as_str()
            )),
            "{id}"
        );
    }
    let confidence = between(&out, "<span>Confidence (bar shading):</span>", "</p>");
    for c in ["high", "medium", "low"] {
        assert!(
            confidence.contains(&format!("</svg>{c}</span>")),
            "{confidence}"
        );
    }
    // Rule ids do not wrap.
    assert!(out.contains(".report .rule { white-space: nowrap; }"));
    assert!(out.contains("<td class=\"rule\">ACT-01</td>"));
}

#[test]
fn one_bid_s_report_opens_with_a_one_page_cover() {
    let text =
        std::fs::read_to_string(root().join("examples/12-cobble-lane-bakery-cic.toml")).unwrap();
    let a = stronger::appraise(builtin(), &bid(&text));
    let out = stronger::render::html(std::slice::from_ref(&a), builtin());
    let cover = between(
        &out,
        "<section class=\"cover\" aria-label=\"At a glance\">",
        "</section>",
    );
    assert!(out.find("class=\"cover\"").unwrap() < out.find("<section class=\"bid\"").unwrap());
    assert!(cover.contains(
        "<h2>At a glance: EX-12 — Cobble Lane Bakery: local bread, local jobs, local money</h2>"
    ));
    assert!(cover.contains(">Recommend with conditions</span>"));
    assert!(
        cover.contains("<p><strong>Soundness of the bid:</strong> adequate (+5.50)</p>"),
        "{cover}"
    );
    // The three strongest findings: the largest impacts, the first of equals first.
    let mut findings: Vec<(f64, String)> = a
        .indicators
        .iter()
        .flat_map(|(id, r)| {
            r.findings.iter().filter(|f| f.impact > 0.0).map(move |f| {
                (
                    f.impact,
                    format!(
                        "<strong>{id}</strong> +{:.2} (<span class=\"rule\">{}</span>",
                        f.impact, f.rule
                    ),
                )
            })
        })
        .collect();
    findings.sort_by(|x, y| y.0.total_cmp(&x.0));
    let strongest = between(cover, "<h3>The three strongest findings</h3>", "</ol>");
    assert_eq!(strongest.matches("<li>").count(), 3);
    for (_, f) in findings.iter().take(3) {
        assert!(strongest.contains(f.as_str()), "{f} in {strongest}");
    }
    // Three questions, each one the bid leaves open.
    let questions = between(cover, "<h3>Three questions to ask</h3>", "</ol>");
    assert_eq!(questions.matches("<li>").count(), 3);
    for rule in questions
        .split("<span class=\"rule\">")
        .skip(1)
        .map(|s| &s[..s.find('<').unwrap()])
    {
        let item = a.checklist.iter().find(|i| i.rule == rule).unwrap();
        assert_eq!(item.status, stronger::Status::NotStated, "{rule}");
    }
    // Several bids: no cover.
    let two = stronger::render::html(&[a.clone(), a], builtin());
    assert!(!two.contains("class=\"cover\""));
}
