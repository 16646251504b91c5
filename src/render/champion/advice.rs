//! Verified advice (`stronger advise`) as text and as Markdown: one function per section.

use super::{
    change, changes_move, headline_markdown, outcome, score_side, set_args, smallest_note, status,
};
use crate::champion::advise::{AdviceReport, NextStep, StepStatus, Suggestion, WeaknessKind};
use crate::checklist::Checklist;
use crate::render::markdown::md;
use crate::render::signed;
use crate::render::text::{BOLD, DIM, headline, indicator_name, paint};
use crate::shown::escape as esc;
use std::fmt::Write as _;

/// Verified advice as text.
pub fn advice_text(r: &AdviceReport, c: &Checklist) -> String {
    let mut o = String::new();
    headline(
        &mut o,
        &r.proposal,
        &r.outcome,
        r.total,
        r.complete,
        c,
        " (see `stronger explain`)",
    );
    let _ = writeln!(o);
    suggestions_text(&mut o, r, c);
    let _ = writeln!(o);
    next_step_text(&mut o, r, c);
    in_words_text(&mut o, r);
    no_gain_text(&mut o, r);
    cannot_fix_text(&mut o, r);
    questions_text(&mut o, r);
    o
}

fn suggestions_text(o: &mut String, r: &AdviceReport, c: &Checklist) {
    if r.suggestions.is_empty() {
        let _ = writeln!(
            o,
            "{}",
            paint(BOLD, "No suggested change to a field raises this bid.")
        );
        return;
    }
    let _ = writeln!(
        o,
        "{}",
        paint(
            BOLD,
            "What would make it stronger (each change verified by re-appraising the bid)"
        )
    );
    for (n, s) in r.suggestions.iter().enumerate() {
        suggestion_text(o, n + 1, s, c);
    }
}

/// One suggestion: its gain and advice, other rules that suggest it, the `--set` arguments,
/// and every indicator, item and outcome it moves.
fn suggestion_text(o: &mut String, n: usize, s: &Suggestion, c: &Checklist) {
    let _ = writeln!(
        o,
        "{:>3}. {}  {}  {}",
        n,
        change(s.gain),
        s.rule,
        esc(&s.text)
    );
    for a in &s.also {
        let _ = writeln!(o, "       also {}  {}", a.rule, esc(&a.text));
    }
    let _ = writeln!(o, "       {}", paint(DIM, &set_args(&s.set)));
    for i in &s.indicators {
        let _ = writeln!(
            o,
            "       {} {}: {} → {}",
            i.id,
            indicator_name(c, &i.id),
            score_side(&i.before),
            score_side(&i.after)
        );
    }
    for item in &s.checklist {
        let _ = writeln!(
            o,
            "       {} {} {}: {} → {}",
            super::delta::direction_mark(item),
            item.rule,
            esc(&item.title),
            status(item.before),
            status(item.after)
        );
    }
    if s.outcome.steps != 0 {
        let _ = writeln!(
            o,
            "       outcome: {} → {}",
            outcome(c, &s.outcome.before),
            paint(BOLD, &outcome(c, &s.outcome.after))
        );
    }
}

fn next_step_text(o: &mut String, r: &AdviceReport, c: &Checklist) {
    let step = &r.next_step;
    let head = paint(BOLD, "Next step:");
    match step.status {
        StepStatus::Best => {
            let _ = writeln!(o, "{head} the bid already has the best outcome.");
        }
        StepStatus::Incomplete => {
            let _ = writeln!(
                o,
                "{head} none while a rule fails on this bid; fix the checklist first."
            );
        }
        StepStatus::None => no_step_text(o, step, c, &head),
        StepStatus::Found => {
            let to = step.to.as_deref().unwrap_or_default();
            let _ = writeln!(
                o,
                "{head} {} the outcome from {} to {} (total {} → {}); {}:",
                changes_move(step.changes.len()),
                outcome(c, &step.from),
                paint(BOLD, &outcome(c, to)),
                signed(r.total),
                signed(step.total.unwrap_or(r.total)),
                smallest_note(step)
            );
            for ch in &step.changes {
                let _ = writeln!(o, "       {}  {}", ch.rule, esc(&ch.text));
            }
            let all: Vec<String> = step.changes.iter().flat_map(|c| c.set.clone()).collect();
            let _ = writeln!(
                o,
                "       {}",
                paint(DIM, &format!("stronger what-if BID {}", set_args(&all)))
            );
        }
    }
}

/// No set of changes moves the outcome up: why, and what the next outcome still needs.
fn no_step_text(o: &mut String, step: &NextStep, c: &Checklist, head: &str) {
    if step.changes.is_empty() {
        let _ = writeln!(
            o,
            "{head} the checklist suggests no change to a field of this bid."
        );
    } else {
        let _ = writeln!(
            o,
            "{head} no set of the suggested changes moves the outcome up{}.",
            step.total
                .map(|t| format!(
                    " (the {} that can be made together give a total of {})",
                    step.changes.len(),
                    signed(t)
                ))
                .unwrap_or_default()
        );
    }
    if let Some(next) = &step.next {
        let _ = writeln!(
            o,
            "       {} still needs{}:",
            outcome(c, next),
            if step.changes.is_empty() {
                ""
            } else {
                ", with every change made"
            }
        );
        for b in &step.blocked_by {
            let _ = writeln!(o, "       {} (would be {})", b.test, b.actual);
        }
    }
}

fn in_words_text(o: &mut String, r: &AdviceReport) {
    if r.in_words.is_empty() {
        return;
    }
    heading(
        o,
        "Needs the applicant's own words (not verified; the rule's own estimate of the gain)",
    );
    for a in &r.in_words {
        let gain = if a.gain > 0.0 {
            format!("up to {}", signed(a.gain))
        } else {
            "no estimate".to_string()
        };
        let _ = writeln!(o, "     {gain:<13} {}  {}", a.rule, esc(&a.text));
    }
}

fn no_gain_text(o: &mut String, r: &AdviceReport) {
    if r.no_gain.is_empty() {
        return;
    }
    heading(o, "Suggested, but raises nothing on its own (verified)");
    for s in &r.no_gain {
        let _ = writeln!(
            o,
            "     {}  {}  {}",
            s.rule,
            esc(&s.text),
            paint(DIM, &set_args(&s.set))
        );
    }
}

/// A section of the text report after the first: a blank line, then its title in bold.
fn heading(o: &mut String, title: &str) {
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", paint(BOLD, title));
}

/// Why no edit fixes a weakness.
fn why_not(kind: WeaknessKind) -> &'static str {
    match kind {
        WeaknessKind::InWords => "only the applicant's own words can fix this",
        WeaknessKind::NoEdit => "no edit to the bid's fields fixes this",
    }
}

fn cannot_fix_text(o: &mut String, r: &AdviceReport) {
    if r.cannot_fix.is_empty() {
        return;
    }
    heading(o, "Weaknesses no suggested edit to the bid fixes");
    for w in &r.cannot_fix {
        let _ = writeln!(o, "     {} {}: {}", w.rule, esc(&w.title), why_not(w.kind));
        if let Some(reason) = &w.reason {
            let _ = writeln!(o, "       {}", paint(DIM, &esc(reason)));
        }
    }
}

fn questions_text(o: &mut String, r: &AdviceReport) {
    if r.questions.is_empty() {
        return;
    }
    heading(
        o,
        &format!("Questions the bid leaves open ({})", r.questions.len()),
    );
    for q in &r.questions {
        let _ = writeln!(o, "     {} {}", q.rule, esc(&q.ask));
    }
}

/// Verified advice as Markdown.
pub fn advice_markdown(r: &AdviceReport, c: &Checklist) -> String {
    let mut o = String::new();
    headline_markdown(
        &mut o,
        "Advice",
        &r.proposal,
        &r.outcome,
        r.total,
        r.complete,
        c,
    );
    suggestions_markdown(&mut o, r, c);
    next_step_markdown(&mut o, r, c);
    in_words_markdown(&mut o, r);
    if !r.no_gain.is_empty() {
        let _ = writeln!(o, "### Suggested, but raises nothing on its own\n");
        for s in &r.no_gain {
            let _ = writeln!(o, "- {}: {}", s.rule, md(&s.text));
        }
        let _ = writeln!(o);
    }
    cannot_fix_markdown(&mut o, r);
    if !r.questions.is_empty() {
        let _ = writeln!(o, "### Questions the bid leaves open\n");
        for q in &r.questions {
            let _ = writeln!(o, "- {} {}: {}", q.rule, md(&q.title), md(&q.ask));
        }
        let _ = writeln!(o);
    }
    o
}

fn suggestions_markdown(o: &mut String, r: &AdviceReport, c: &Checklist) {
    let _ = writeln!(
        o,
        "### What would make it stronger\n\nEach change was applied to the bid and the bid re-appraised.\n"
    );
    if r.suggestions.is_empty() {
        let _ = writeln!(o, "No suggested change to a field raises this bid.\n");
        return;
    }
    let _ = writeln!(o, "| # | Gain | Rule | Advice | Change | Effect |");
    let _ = writeln!(o, "| --- | --- | --- | --- | --- | --- |");
    for (n, s) in r.suggestions.iter().enumerate() {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} |",
            n + 1,
            signed(s.gain),
            std::iter::once(s.rule.as_str())
                .chain(s.also.iter().map(|a| a.rule.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
            md(&s.text),
            s.set
                .iter()
                .map(|a| format!("`{}`", a.replace('`', "'")))
                .collect::<Vec<_>>()
                .join("<br>"),
            md(&effect(s, c).join("; "))
        );
    }
    let _ = writeln!(o);
}

/// What one suggestion moves: indicators, items and the outcome.
fn effect(s: &Suggestion, c: &Checklist) -> Vec<String> {
    let mut effect: Vec<String> = s
        .indicators
        .iter()
        .map(|i| {
            format!(
                "{}: {} → {}",
                i.id,
                score_side(&i.before),
                score_side(&i.after)
            )
        })
        .collect();
    effect.extend(
        s.checklist
            .iter()
            .map(|i| format!("{}: {} → {}", i.rule, status(i.before), status(i.after))),
    );
    if s.outcome.steps != 0 {
        effect.push(format!(
            "outcome: {} → {}",
            outcome(c, &s.outcome.before),
            outcome(c, &s.outcome.after)
        ));
    }
    effect
}

fn next_step_markdown(o: &mut String, r: &AdviceReport, c: &Checklist) {
    let step = &r.next_step;
    let _ = writeln!(o, "### Next step\n");
    match step.status {
        StepStatus::Best => {
            let _ = writeln!(o, "The bid already has the best outcome.\n");
        }
        StepStatus::Incomplete => {
            let _ = writeln!(o, "None while a rule fails on this bid.\n");
        }
        StepStatus::None => {
            let _ = writeln!(o, "No set of the suggested changes moves the outcome up.\n");
            if let Some(next) = &step.next {
                let _ = writeln!(
                    o,
                    "{} still needs, with every change made:\n",
                    outcome(c, next)
                );
                for b in &step.blocked_by {
                    let _ = writeln!(o, "- {} (would be {})", md(&b.test), md(&b.actual));
                }
                let _ = writeln!(o);
            }
        }
        StepStatus::Found => {
            let _ = writeln!(
                o,
                "{} the outcome from {} to {} (total {} → {}); {}:\n",
                changes_move(step.changes.len()),
                outcome(c, &step.from),
                outcome(c, step.to.as_deref().unwrap_or_default()),
                signed(r.total),
                signed(step.total.unwrap_or(r.total)),
                smallest_note(step)
            );
            for ch in &step.changes {
                let _ = writeln!(o, "- {}: {}", ch.rule, md(&ch.text));
            }
            let _ = writeln!(o);
        }
    }
}

fn in_words_markdown(o: &mut String, r: &AdviceReport) {
    if r.in_words.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "### Needs the applicant's own words\n\nNot verified: the gain is the rule's own estimate.\n"
    );
    for a in &r.in_words {
        let _ = writeln!(
            o,
            "- up to {} — {}: {}",
            signed(a.gain),
            a.rule,
            md(&a.text)
        );
    }
    let _ = writeln!(o);
}

fn cannot_fix_markdown(o: &mut String, r: &AdviceReport) {
    if r.cannot_fix.is_empty() {
        return;
    }
    let _ = writeln!(o, "### Weaknesses no suggested edit fixes\n");
    for w in &r.cannot_fix {
        let _ = writeln!(
            o,
            "- {} {}: {}{}",
            w.rule,
            md(&w.title),
            why_not(w.kind),
            w.reason
                .as_deref()
                .map(|r| format!(" ({})", md(r)))
                .unwrap_or_default()
        );
    }
    let _ = writeln!(o);
}
