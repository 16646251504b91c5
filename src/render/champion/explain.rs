//! The trace of one appraisal (`stronger explain`) as text and as Markdown: the screening
//! decision, then each rule, then each indicator.

use super::{GREEN, RED, change, headline_markdown, outcome};
use crate::appraisal::Status;
use crate::champion::explain::{
    Explanation, FieldRead, IndicatorExplanation, OutcomeCheck, RuleExplanation,
};
use crate::checklist::Checklist;
use crate::render::markdown::md;
use crate::render::signed;
use crate::render::text::{BOLD, DIM, headline, paint};
use crate::shown::escape as esc;
use std::fmt::Write as _;

/// A value as explain shows it: text quoted and cut to a line.
fn value_text(r: &FieldRead) -> String {
    if r.search {
        return "(searched for words)".to_string();
    }
    let Some(v) = &r.value else {
        return "not stated".to_string();
    };
    let s = match v {
        serde_json::Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    };
    let s = esc(&s.replace(['\n', '\r'], " ")).into_owned();
    if s.chars().count() > 90 {
        format!("{}…", s.chars().take(89).collect::<String>())
    } else {
        s
    }
}

/// The trace as text.
pub fn explain_text(e: &Explanation, c: &Checklist) -> String {
    let mut o = String::new();
    headline(&mut o, &e.proposal, &e.outcome, e.total, e.complete, c, "");
    if !e.decision.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "{}",
            paint(BOLD, "how the outcome was decided (best first)")
        );
        for d in &e.decision {
            decision_text(&mut o, d, c);
        }
    }
    if !e.contradictions.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "{}", paint(BOLD, "contradictions"));
        for x in &e.contradictions {
            let _ = writeln!(o, "  ! {}: {}", x.id, esc(&x.description));
            for s in x.sides() {
                let _ = writeln!(o, "      {}: {}", esc(&s.field), esc(&s.quoted()));
            }
            let items = if x.items.is_empty() {
                "none".to_string()
            } else {
                x.items.join(", ")
            };
            let _ = writeln!(o, "      items it makes not stated: {items}");
        }
    }
    for r in &e.rules {
        rule_text(&mut o, r);
    }
    for i in &e.indicators {
        indicator_text(&mut o, i);
    }
    o
}

/// One outcome of the screening policy and its conditions, each marked as holding or not.
fn decision_text(o: &mut String, d: &OutcomeCheck, c: &Checklist) {
    let mark = if d.chosen {
        paint(GREEN, "→")
    } else {
        " ".to_string()
    };
    let _ = writeln!(o, "  {} {}", mark, outcome(c, &d.outcome));
    if d.conditions.is_empty() {
        let _ = writeln!(o, "      {}", paint(DIM, "no conditions"));
    }
    for cond in &d.conditions {
        let _ = writeln!(
            o,
            "      {} {} (has {})",
            if cond.holds {
                paint(GREEN, "✓")
            } else {
                paint(RED, "✗")
            },
            cond.test,
            cond.actual
        );
    }
}

/// One rule: what it read, what it decided and why, its impacts, advice and notes.
fn rule_text(o: &mut String, r: &RuleExplanation) {
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{} {}  {}",
        paint(BOLD, &r.rule),
        paint(BOLD, &esc(&r.title)),
        paint(
            DIM,
            &format!("{} · weight {} · {}", r.theme, r.weight, esc(&r.file))
        )
    );
    if r.reads.is_empty() {
        let _ = writeln!(o, "  read no fields");
    } else {
        let _ = writeln!(o, "  read");
        for f in &r.reads {
            let v = value_text(f);
            let v = if f.stated { v } else { paint(DIM, &v) };
            let _ = writeln!(
                o,
                "    {:<40} {}  {}",
                esc(&f.field),
                v,
                paint(DIM, &format!("line {}", f.line))
            );
        }
    }
    claims_text(o, r);
    match (&r.error, r.status) {
        (Some(err), _) => {
            let _ = writeln!(
                o,
                "  {} {}: {}",
                paint(RED, "failed"),
                esc(&err.location()),
                esc(&err.message)
            );
        }
        (None, Some(s)) => {
            let why = r.reason.as_deref().or(r.ask.as_deref()).unwrap_or_default();
            let label = if s == Status::NotStated {
                "ask"
            } else {
                "because"
            };
            let _ = writeln!(
                o,
                "  decided {}: {} {}",
                paint(BOLD, s.as_str()),
                label,
                esc(why)
            );
        }
        (None, None) => {}
    }
    for f in &r.findings {
        let _ = writeln!(
            o,
            "  impact {} {} ({}, {} confidence): {}",
            f.indicator,
            change(f.impact),
            f.grade.as_str(),
            f.confidence.as_str(),
            esc(&f.reason)
        );
    }
    for a in &r.advice {
        let _ = writeln!(o, "  advice {}: {}", signed(a.gain), esc(&a.text));
    }
    for n in &r.notes {
        let _ = writeln!(o, "  note {}", esc(n));
    }
}

/// One indicator: its score, its band's range, and every contribution.
fn indicator_text(o: &mut String, i: &IndicatorExplanation) {
    let _ = writeln!(o);
    let range = match (i.band_min, i.band_below) {
        (Some(m), Some(b)) => format!("{} ≤ score < {}", signed(m), signed(b)),
        (Some(m), None) => format!("score ≥ {}", signed(m)),
        (None, Some(b)) => format!("score < {}", signed(b)),
        (None, None) => "any score".to_string(),
    };
    let _ = writeln!(
        o,
        "{} {}  score {}  band {} ({})  confidence {}",
        paint(BOLD, &i.id),
        paint(BOLD, &i.name),
        signed(i.score),
        i.band,
        range,
        i.confidence.as_str()
    );
    if i.contributions.is_empty() {
        let _ = writeln!(o, "  no rule recorded an impact on it");
    }
    for ct in &i.contributions {
        let _ = writeln!(
            o,
            "  {} {:<7} {} ({}): {}",
            change(ct.impact),
            ct.rule,
            esc(&ct.title),
            ct.confidence.as_str(),
            esc(&ct.reason)
        );
    }
}

/// The trace as Markdown.
pub fn explain_markdown(e: &Explanation, c: &Checklist) -> String {
    let mut o = String::new();
    headline_markdown(
        &mut o,
        "Explanation",
        &e.proposal,
        &e.outcome,
        e.total,
        e.complete,
        c,
    );
    if !e.decision.is_empty() {
        decision_markdown(&mut o, &e.decision, c);
    }
    if !e.contradictions.is_empty() {
        let _ = writeln!(o, "\n### Contradictions\n");
        for x in &e.contradictions {
            crate::render::markdown::contradiction_head(&mut o, x);
            if !x.items.is_empty() {
                let _ = writeln!(o, "  - items it makes not stated: {}", x.items.join(", "));
            }
        }
    }
    for r in &e.rules {
        rule_markdown(&mut o, r);
    }
    for i in &e.indicators {
        indicator_markdown(&mut o, i);
    }
    o
}

fn decision_markdown(o: &mut String, decision: &[OutcomeCheck], c: &Checklist) {
    let _ = writeln!(o, "### How the outcome was decided\n");
    let _ = writeln!(o, "| Outcome | Condition | Bid | Holds |");
    let _ = writeln!(o, "| --- | --- | --- | --- |");
    for d in decision {
        let name = if d.chosen {
            format!("**{}**", outcome(c, &d.outcome))
        } else {
            outcome(c, &d.outcome)
        };
        if d.conditions.is_empty() {
            let _ = writeln!(o, "| {name} | (none) | | yes |");
        }
        for cond in &d.conditions {
            let _ = writeln!(
                o,
                "| {name} | {} | {} | {} |",
                md(&cond.test),
                md(&cond.actual),
                if cond.holds { "yes" } else { "no" }
            );
        }
    }
    let _ = writeln!(o);
}

/// The claims of the concepts the rule asked about: those read and those set aside, and why.
fn claims_text(o: &mut String, r: &RuleExplanation) {
    if r.claims.is_empty() {
        return;
    }
    let _ = writeln!(o, "  claims");
    for c in &r.claims {
        let sentence = crate::text::quote(&c.sentence, 90);
        let line = format!("{} {} — {}", c.concept, esc(&sentence), c.note);
        let line = if c.status == "affirmed" {
            line
        } else {
            paint(DIM, &line)
        };
        let _ = writeln!(o, "    {line}");
    }
}

/// One rule in Markdown: what it read, the claims it asked about, what it decided, found and
/// advised.
fn rule_markdown(o: &mut String, r: &RuleExplanation) {
    let _ = writeln!(o, "### {} {}\n", r.rule, md(&r.title));
    let _ = writeln!(
        o,
        "`{}` · theme {} · weight {}\n",
        r.file, r.theme, r.weight
    );
    if !r.reads.is_empty() {
        let _ = writeln!(o, "| Field | Value | Line |");
        let _ = writeln!(o, "| --- | --- | --- |");
        for f in &r.reads {
            let _ = writeln!(o, "| `{}` | {} | {} |", f.field, md(&value_text(f)), f.line);
        }
        let _ = writeln!(o);
    }
    if !r.claims.is_empty() {
        let _ = writeln!(o, "| Concept | The bid says | What it counts for |");
        let _ = writeln!(o, "| --- | --- | --- |");
        for c in &r.claims {
            let _ = writeln!(
                o,
                "| {} | {} | {} |",
                c.concept,
                md(&crate::text::quote(&c.sentence, 90)),
                md(&c.note)
            );
        }
        let _ = writeln!(o);
    }
    match (&r.error, r.status) {
        (Some(err), _) => {
            let _ = writeln!(
                o,
                "**Failed** at `{}`: {}\n",
                err.location(),
                md(&err.message)
            );
        }
        (None, Some(s)) => {
            let why = r.reason.as_deref().or(r.ask.as_deref()).unwrap_or_default();
            let _ = writeln!(o, "**{}**: {}\n", s.as_str(), md(why));
        }
        (None, None) => {}
    }
    for f in &r.findings {
        let _ = writeln!(
            o,
            "- impact on {}: {} ({}, {} confidence) — {}",
            f.indicator,
            signed(f.impact),
            f.grade.as_str(),
            f.confidence.as_str(),
            md(&f.reason)
        );
    }
    for a in &r.advice {
        let _ = writeln!(o, "- advice ({}): {}", signed(a.gain), md(&a.text));
    }
    if !r.findings.is_empty() || !r.advice.is_empty() {
        let _ = writeln!(o);
    }
}

fn indicator_markdown(o: &mut String, i: &IndicatorExplanation) {
    let _ = writeln!(
        o,
        "### {} {}: {} ({}, {} confidence)\n",
        i.id,
        md(&i.name),
        signed(i.score),
        i.band,
        i.confidence.as_str()
    );
    if i.contributions.is_empty() {
        let _ = writeln!(o, "No rule recorded an impact on it.\n");
        return;
    }
    let _ = writeln!(o, "| Rule | Impact | Confidence | Why |");
    let _ = writeln!(o, "| --- | --- | --- | --- |");
    for ct in &i.contributions {
        let _ = writeln!(
            o,
            "| {} {} | {} | {} | {} |",
            ct.rule,
            md(&ct.title),
            signed(ct.impact),
            ct.confidence.as_str(),
            md(&ct.reason)
        );
    }
    let _ = writeln!(o);
}
