//! Issue 15, item 1: the checklist's own vocabulary pasted into a bid earns next to nothing. A
//! paragraph generated from the checklist itself — a sentence affirming every concept, built
//! from its phrases, and every rule's META `meets` text — appended to the summary of every
//! example bid and every rule-test bid changes no outcome and adds at most 5 points to any total.

use crate::support::*;
use serde_json::Value;
use stronger::{Format, Limits, Proposal, ProposalSchema};

/// One sentence per concept from its first plain phrases, then every rule's `meets`.
fn paragraph() -> String {
    let text = std::fs::read_to_string(root().join("rules/concepts.toml")).unwrap();
    let concepts: toml::Table = toml::from_str(&text).unwrap();
    let mut out = String::new();
    for c in concepts["concepts"].as_table().unwrap().values() {
        let phrases: Vec<&str> = c["phrases"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(toml::Value::as_str)
            .filter(|p| !p.contains("...") && !p.contains('#'))
            .take(2)
            .collect();
        if !phrases.is_empty() {
            out.push_str(&format!(
                "Our project is all about {}. ",
                phrases.join(" and ")
            ));
        }
    }
    for r in builtin().rules() {
        // A summary holds at most 20,000 characters; the bids' own take up to 2,000.
        match &r.meets {
            Some(m) if out.len() + m.len() < 17_000 => {
                out.push_str(m);
                out.push(' ');
            }
            _ => {}
        }
    }
    out
}

/// Every example bid and every rule-test bid, as JSON.
fn bids() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for dir in ["examples", "examples/decisions", "rules/tests/bids"] {
        let mut paths: Vec<_> = std::fs::read_dir(root().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        for p in paths.into_iter().filter(|p| p.is_file()) {
            let text = std::fs::read_to_string(&p).unwrap();
            let doc: Value = match p.extension().and_then(|e| e.to_str()) {
                Some("toml") => toml::from_str(&text).unwrap(),
                Some("json") => serde_json::from_str(&text).unwrap(),
                _ => continue,
            };
            out.push((p.display().to_string(), doc));
        }
    }
    out
}

fn appraise(doc: &Value) -> stronger::Appraisal {
    let loaded = Proposal::parse(
        "bid.json",
        doc.to_string().as_bytes(),
        Format::Json,
        ProposalSchema::builtin(),
        &Limits::default(),
    )
    .unwrap_or_else(|e| panic!("{}", e.render()));
    stronger::appraise(builtin(), &loaded.proposal)
}

#[test]
fn the_checklists_own_words_pasted_into_any_bid_change_no_outcome_and_add_at_most_5() {
    let stuffing = paragraph();
    assert!(
        stuffing.len() > 10_000,
        "the paragraph is the whole vocabulary"
    );
    let all = bids();
    assert!(all.len() >= 25, "{}", all.len());
    let mut problems = Vec::new();
    for (name, doc) in &all {
        let before = appraise(doc);
        let mut stuffed = doc.clone();
        let summary = stuffed["summary"].as_str().unwrap_or("").to_string();
        stuffed["summary"] = Value::String(format!("{summary} {stuffing}"));
        let after = appraise(&stuffed);
        if after.outcome != before.outcome || after.total > before.total + 5.0 {
            problems.push(format!(
                "{name}: {} {} -> {} {}",
                before.outcome, before.total, after.outcome, after.total
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
