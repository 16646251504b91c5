//! The appraisal as Markdown, for a panel paper.

use super::signed;
use crate::appraisal::{Appraisal, Status};
use crate::checklist::{Checklist, Config};
use std::fmt::Write as _;

/// Escapes text from a bid so it cannot break the table or inject markup.
pub fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '\\' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' | '\r' => out.push(' '),
            // Control characters (terminal escape sequences) are shown, not sent.
            _ => out.push_str(&crate::shown::escape(ch.encode_utf8(&mut [0; 4]))),
        }
    }
    out
}

/// The appraisal of one bid as a Markdown section.
pub fn markdown(a: &Appraisal, checklist: &Checklist) -> String {
    let c = &checklist.config;
    let mut o = String::new();
    let label = c.screening.label(&a.outcome);
    let _ = writeln!(o, "## {} — {}\n", md(&a.proposal.id), md(&a.proposal.title));
    let _ = writeln!(
        o,
        "**Outcome:** {label} · **Total:** {}{}\n",
        signed(a.total),
        if a.complete {
            ""
        } else {
            " · **Incomplete:** a rule failed (see errors)"
        }
    );
    if !a.placeholders.is_empty() {
        let _ = writeln!(
            o,
            "**Examples to replace** (advice wrote them; they count as no more than the bid's own words):\n"
        );
        for p in &a.placeholders {
            let _ = writeln!(o, "- `{}`: {}", p.field, md(&p.value));
        }
        let _ = writeln!(o);
    }
    scores(&mut o, a, c);
    items(&mut o, a);
    contradictions(&mut o, a, c);
    findings(&mut o, a);
    advice(&mut o, a);
    if !a.errors.is_empty() {
        let _ = writeln!(o, "\n### Rule errors\n");
        for e in &a.errors {
            let _ = writeln!(o, "- {} at `{}`: {}", e.rule, e.location(), md(&e.message));
        }
    }
    let p = &a.provenance;
    let _ = writeln!(
        o,
        "\n_Checklist {} {} (`{}`), {}; bid `{}`._",
        md(&p.checklist),
        md(&p.version),
        p.hash,
        p.engine,
        a.proposal.hash
    );
    o
}

/// The indicator table and the theme table.
fn scores(o: &mut String, a: &Appraisal, c: &Config) {
    let _ = writeln!(
        o,
        "| Indicator | Score | Band | Confidence |\n| --- | ---: | --- | --- |"
    );
    for (id, r) in &a.indicators {
        let name = c
            .indicators
            .iter()
            .find(|i| &i.id == id)
            .map(|i| i.name.as_str())
            .unwrap_or("");
        let _ = writeln!(
            o,
            "| {id} {} | {} | {} | {} |",
            md(name),
            signed(r.score),
            r.band,
            r.confidence.as_str()
        );
    }
    let _ = writeln!(o, "\n| Theme | Score | Band |\n| --- | ---: | --- |");
    for (id, t) in &a.themes {
        let name = c
            .themes
            .iter()
            .find(|x| &x.id == id)
            .map(|x| x.name.as_str())
            .unwrap_or(id);
        let _ = writeln!(o, "| {} | {} | {} |", md(name), signed(t.score), t.band);
    }
}

/// The checklist: each item's status, and why (or what to ask).
fn items(o: &mut String, a: &Appraisal) {
    let _ = writeln!(
        o,
        "\n### Checklist\n\n| Rule | Item | Status | Why / what to ask |\n| --- | --- | --- | --- |"
    );
    for item in &a.checklist {
        let mut detail = item
            .ask
            .as_ref()
            .or(item.reason.as_ref())
            .map(|s| md(s))
            .unwrap_or_default();
        if item.weak && item.ask.is_none() {
            detail = format!("{detail} {}", md(super::text::WEAK));
        }
        let status = match item.status {
            Status::Met if item.weak => "met weakly",
            Status::Met => "met",
            Status::NotMet => "**not met**",
            Status::NotStated => "_not stated_",
            Status::NotApplicable => "n/a",
        };
        let _ = writeln!(
            o,
            "| {} | {} | {status} | {detail} |",
            item.rule,
            md(&item.title)
        );
    }
}

/// Where the bid contradicts itself: each contradiction, both sides quoted, the items it touches.
fn contradictions(o: &mut String, a: &Appraisal, c: &Config) {
    if a.contradictions.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n### Contradictions\n");
    if let Some(b) = a
        .outcome_without_contradictions
        .as_deref()
        .filter(|b| *b != a.outcome)
    {
        let _ = writeln!(
            o,
            "_Without its contradictions looked for, the bid would be: {}._\n",
            md(c.screening.label(b))
        );
    }
    for x in &a.contradictions {
        contradiction_head(o, x);
        if !x.items.is_empty() {
            let _ = writeln!(o, "  - not stated now: {}", x.items.join(", "));
        }
        let _ = writeln!(o, "  - _Ask:_ {}", md(&x.ask));
    }
}

fn findings(o: &mut String, a: &Appraisal) {
    let findings: Vec<_> = a
        .indicators
        .iter()
        .flat_map(|(id, r)| r.findings.iter().map(move |f| (id, f)))
        .collect();
    if findings.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n### Findings\n");
    for (id, f) in findings {
        let _ = writeln!(
            o,
            "- **{id}** {} ({}, {} confidence): {}",
            signed(f.impact),
            f.rule,
            f.confidence.as_str(),
            md(&f.reason)
        );
    }
}

fn advice(o: &mut String, a: &Appraisal) {
    if a.advice.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n### Advice\n");
    for (n, adv) in a.advice.iter().enumerate() {
        let _ = writeln!(
            o,
            "{}. {} ({}, {}, likely gain {})",
            n + 1,
            md(&adv.text),
            adv.rule,
            adv.indicators.join(", "),
            signed(adv.gain)
        );
    }
}

/// A contradiction as a Markdown list item: its id, kind and description, then both sides
/// quoted (the appraisal and `explain` add what follows).
pub(crate) fn contradiction_head(o: &mut String, x: &crate::appraisal::Contradiction) {
    let _ = writeln!(
        o,
        "- **{}** ({}): {}",
        md(&x.id),
        x.kind,
        md(&x.description)
    );
    for s in x.sides() {
        let _ = writeln!(o, "  - `{}`: {}", s.field, md(&s.quoted()));
    }
}
