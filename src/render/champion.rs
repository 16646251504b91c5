//! The champion's reports as text and Markdown: verified advice, what-if and compare (both a
//! [`Delta`]), and explain. Text carries ANSI styles that the CLI strips when needed; Markdown
//! escapes everything that came from a bid.

use super::markdown::md;
use super::signed;
use super::text::{BOLD, DIM, headline, indicator_name, paint};
use crate::advise::{AdviceReport, StepStatus, WeaknessKind};
use crate::appraisal::Status;
use crate::checklist::Checklist;
use crate::delta::{Delta, ScoreChange};
use crate::explain::{Explanation, FieldRead};
use crate::shown::escape as esc;
use anstyle::{AnsiColor, Style};
use std::fmt::Write as _;

const GREEN: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)));
const RED: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)));

/// A change, coloured by direction.
fn change(x: f64) -> String {
    let s = signed(x);
    if x > 0.0 {
        paint(GREEN, &s)
    } else if x < 0.0 {
        paint(RED, &s)
    } else {
        s
    }
}

fn outcome(c: &Checklist, id: &str) -> String {
    c.config.screening.label(id).to_string()
}

fn score_side(s: &Option<crate::delta::Score>) -> String {
    match s {
        Some(s) => format!("{} {}", s.band, signed(s.score)),
        None => "not reported".to_string(),
    }
}

fn status(s: Option<Status>) -> &'static str {
    s.map_or("failed", Status::as_str)
}

/// A shell-safe `--set` argument.
fn set_arg(a: &str) -> String {
    let plain = a
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-=[]/:,+".contains(c));
    if plain {
        format!("--set {a}")
    } else {
        format!("--set '{}'", a.replace('\'', "'\\''"))
    }
}

/// The `--set` arguments, shell-quoted, with control characters from the bid escaped.
fn set_args(set: &[String]) -> String {
    set.iter()
        .map(|a| esc(&set_arg(a)).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn steps_note(steps: i64) -> String {
    match steps {
        0 => String::new(),
        1 => " (up 1 step)".to_string(),
        -1 => " (down 1 step)".to_string(),
        n if n > 0 => format!(" (up {n} steps)"),
        n => format!(" (down {} steps)", -n),
    }
}

/// "this change moves" / "these 3 changes move".
fn changes_move(n: usize) -> String {
    if n == 1 {
        "this change moves".to_string()
    } else {
        format!("these {n} changes move")
    }
}

/// How sure the search is that the set is the smallest.
fn smallest_note(step: &crate::advise::NextStep) -> String {
    if step.smallest {
        "no smaller set does".to_string()
    } else {
        format!(
            "none of them can be left out, and no set of {} or fewer does (the search stopped at its budget)",
            step.searched
        )
    }
}

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
    suggestions(&mut o, r, c);
    let _ = writeln!(o);
    next_step(&mut o, r, c);
    in_words(&mut o, r);
    no_gain(&mut o, r);
    cannot_fix(&mut o, r);
    questions(&mut o, r);
    o
}

/// The verified suggestions, best first, each with what it changes.
fn suggestions(o: &mut String, r: &AdviceReport, c: &Checklist) {
    if r.suggestions.is_empty() {
        let _ = writeln!(
            o,
            "{}",
            paint(BOLD, "No suggested change to a field raises this bid.")
        );
    } else {
        let _ = writeln!(
            o,
            "{}",
            paint(
                BOLD,
                "What would make it stronger (each change verified by re-appraising the bid)"
            )
        );
        for (n, s) in r.suggestions.iter().enumerate() {
            let _ = writeln!(
                o,
                "{:>3}. {}  {}  {}",
                n + 1,
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
                    if item.improved() {
                        paint(GREEN, "▲")
                    } else {
                        paint(RED, "▼")
                    },
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
    }
}

/// The smallest set of changes that moves the outcome up a step, or what stands in the way.
fn next_step(o: &mut String, r: &AdviceReport, c: &Checklist) {
    let step = &r.next_step;
    match step.status {
        StepStatus::Best => {
            let _ = writeln!(
                o,
                "{} the bid already has the best outcome.",
                paint(BOLD, "Next step:")
            );
        }
        StepStatus::Incomplete => {
            let _ = writeln!(
                o,
                "{} none while a rule fails on this bid; fix the checklist first.",
                paint(BOLD, "Next step:")
            );
        }
        StepStatus::None => {
            if step.changes.is_empty() {
                let _ = writeln!(
                    o,
                    "{} the checklist suggests no change to a field of this bid.",
                    paint(BOLD, "Next step:")
                );
            } else {
                let _ = writeln!(
                    o,
                    "{} no set of the suggested changes moves the outcome up{}.",
                    paint(BOLD, "Next step:"),
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
        StepStatus::Found => {
            let to = step.to.as_deref().unwrap_or_default();
            let _ = writeln!(
                o,
                "{} {} the outcome from {} to {} (total {} → {}); {}:",
                paint(BOLD, "Next step:"),
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

/// Advice that needs the applicant's own words: not verified.
fn in_words(o: &mut String, r: &AdviceReport) {
    if !r.in_words.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "{}",
            paint(
                BOLD,
                "Needs the applicant's own words (not verified; the rule's own estimate of the gain)"
            )
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
}

/// Suggestions verified to raise nothing on their own.
fn no_gain(o: &mut String, r: &AdviceReport) {
    if !r.no_gain.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "{}",
            paint(BOLD, "Suggested, but raises nothing on its own (verified)")
        );
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
}

/// The weaknesses no suggested edit fixes.
fn cannot_fix(o: &mut String, r: &AdviceReport) {
    if !r.cannot_fix.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "{}",
            paint(BOLD, "Weaknesses no suggested edit to the bid fixes")
        );
        for w in &r.cannot_fix {
            let why = match w.kind {
                WeaknessKind::InWords => "only the applicant's own words can fix this",
                WeaknessKind::NoEdit => "no edit to the bid's fields fixes this",
            };
            let _ = writeln!(o, "     {} {}: {}", w.rule, esc(&w.title), why);
            if let Some(reason) = &w.reason {
                let _ = writeln!(o, "       {}", paint(DIM, &esc(reason)));
            }
        }
    }
}

/// The questions the bid leaves open.
fn questions(o: &mut String, r: &AdviceReport) {
    if !r.questions.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "{}",
            paint(
                BOLD,
                &format!("Questions the bid leaves open ({})", r.questions.len())
            )
        );
        for q in &r.questions {
            let _ = writeln!(o, "     {} {}", q.rule, esc(&q.ask));
        }
    }
}

/// Verified advice as Markdown.
pub fn advice_markdown(r: &AdviceReport, c: &Checklist) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "## Advice: {} — {}\n",
        md(&r.proposal.id),
        md(&r.proposal.title)
    );
    let _ = writeln!(
        o,
        "**Outcome:** {} · **Total:** {}{}\n",
        outcome(c, &r.outcome),
        signed(r.total),
        if r.complete {
            ""
        } else {
            " · **Incomplete:** a rule failed"
        }
    );
    let _ = writeln!(
        o,
        "### What would make it stronger\n\nEach change was applied to the bid and the bid re-appraised.\n"
    );
    if r.suggestions.is_empty() {
        let _ = writeln!(o, "No suggested change to a field raises this bid.\n");
    } else {
        let _ = writeln!(o, "| # | Gain | Rule | Advice | Change | Effect |");
        let _ = writeln!(o, "| --- | --- | --- | --- | --- | --- |");
        for (n, s) in r.suggestions.iter().enumerate() {
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
                md(&effect.join("; "))
            );
        }
        let _ = writeln!(o);
    }
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
    if !r.in_words.is_empty() {
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
    if !r.no_gain.is_empty() {
        let _ = writeln!(o, "### Suggested, but raises nothing on its own\n");
        for s in &r.no_gain {
            let _ = writeln!(o, "- {}: {}", s.rule, md(&s.text));
        }
        let _ = writeln!(o);
    }
    if !r.cannot_fix.is_empty() {
        let _ = writeln!(o, "### Weaknesses no suggested edit fixes\n");
        for w in &r.cannot_fix {
            let why = match w.kind {
                WeaknessKind::InWords => "only the applicant's own words can fix this",
                WeaknessKind::NoEdit => "no edit to the bid's fields fixes this",
            };
            let _ = writeln!(
                o,
                "- {} {}: {}{}",
                w.rule,
                md(&w.title),
                why,
                w.reason
                    .as_deref()
                    .map(|r| format!(" ({})", md(r)))
                    .unwrap_or_default()
            );
        }
        let _ = writeln!(o);
    }
    if !r.questions.is_empty() {
        let _ = writeln!(o, "### Questions the bid leaves open\n");
        for q in &r.questions {
            let _ = writeln!(o, "- {} {}: {}", q.rule, md(&q.title), md(&q.ask));
        }
        let _ = writeln!(o);
    }
    o
}

/// Which scores a delta shows: only the ones that changed (what-if) or all (compare).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scores {
    Changed,
    All,
}

/// What changed between two appraisals, as text. `changes` are the `--set`/`--unset` arguments
/// (what-if), empty for compare.
pub fn delta_text(d: &Delta, c: &Checklist, changes: &[String], scores: Scores) -> String {
    let mut o = String::new();
    delta_headline(&mut o, d, c, changes);
    delta_scores(&mut o, d, c, scores);
    delta_checklist(&mut o, d);
    delta_advice(&mut o, d);
    o
}

/// Which bids, the changes made, and what became of the outcome and the total.
fn delta_headline(o: &mut String, d: &Delta, c: &Checklist, changes: &[String]) {
    if d.before.id == d.after.id && d.before.title == d.after.title {
        let _ = writeln!(
            o,
            "{}  {}",
            paint(BOLD, &esc(&d.before.id)),
            paint(BOLD, &esc(&d.before.title))
        );
    } else {
        let _ = writeln!(
            o,
            "before  {}  {}",
            paint(BOLD, &esc(&d.before.id)),
            esc(&d.before.title)
        );
        let _ = writeln!(
            o,
            "after   {}  {}",
            paint(BOLD, &esc(&d.after.id)),
            esc(&d.after.title)
        );
    }
    if !changes.is_empty() {
        let _ = writeln!(o, "changes  {}", esc(&changes.join(" ")));
    }
    if d.outcome.before == d.outcome.after {
        let _ = writeln!(
            o,
            "outcome  {} (unchanged)",
            paint(BOLD, &outcome(c, &d.outcome.after))
        );
    } else {
        let _ = writeln!(
            o,
            "outcome  {} → {}{}",
            outcome(c, &d.outcome.before),
            paint(BOLD, &outcome(c, &d.outcome.after)),
            steps_note(d.outcome.steps)
        );
    }
    let _ = writeln!(
        o,
        "total    {} → {}  ({})",
        signed(d.total.before),
        signed(d.total.after),
        change(d.total.change)
    );
    for (side, s) in [("before", &d.before), ("after", &d.after)] {
        if !s.complete {
            let _ = writeln!(
                o,
                "{}",
                paint(RED, &format!("INCOMPLETE {side}: a rule failed"))
            );
        }
    }
}

/// The indicators (and themes) that changed, or all of them.
fn delta_scores(o: &mut String, d: &Delta, c: &Checklist, scores: Scores) {
    let _ = writeln!(o);
    let rows = |list: &[ScoreChange]| -> Vec<ScoreChange> {
        list.iter()
            .filter(|s| scores == Scores::All || s.changed())
            .cloned()
            .collect()
    };
    let ind = rows(&d.indicators);
    if ind.is_empty() {
        let _ = writeln!(o, "{}", paint(DIM, "no indicator changed"));
    } else {
        let _ = writeln!(
            o,
            "{}",
            paint(
                BOLD,
                &format!(
                    "{:<26} {:<26} {:<26} change",
                    "indicator", "before", "after"
                )
            )
        );
        for i in &ind {
            let name: String = format!("{} {}", i.id, indicator_name(c, &i.id))
                .chars()
                .take(26)
                .collect();
            let _ = writeln!(
                o,
                "{:<26} {:<26} {:<26} {}",
                name,
                score_side(&i.before),
                score_side(&i.after),
                change(i.change)
            );
        }
    }
    let th = rows(&d.themes);
    if !th.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "{}",
            paint(
                BOLD,
                &format!("{:<26} {:<26} {:<26} change", "theme", "before", "after")
            )
        );
        for t in &th {
            let _ = writeln!(
                o,
                "{:<26} {:<26} {:<26} {}",
                t.id,
                score_side(&t.before),
                score_side(&t.after),
                change(t.change)
            );
        }
    }
}

/// The checklist items whose status changed.
fn delta_checklist(o: &mut String, d: &Delta) {
    let _ = writeln!(o);
    if d.checklist.is_empty() {
        let _ = writeln!(o, "{}", paint(DIM, "no checklist item changed"));
    } else {
        let _ = writeln!(
            o,
            "{}",
            paint(
                BOLD,
                &format!("checklist items that changed ({})", d.checklist.len())
            )
        );
        for i in &d.checklist {
            let mark = if i.improved() {
                paint(GREEN, "▲")
            } else {
                paint(RED, "▼")
            };
            let _ = writeln!(
                o,
                "  {} {:<7} {}: {} → {}",
                mark,
                i.rule,
                esc(&i.title),
                status(i.before),
                status(i.after)
            );
            if let Some(r) = &i.reason {
                let _ = writeln!(o, "            {}", paint(DIM, &esc(r)));
            }
        }
    }
}

/// Advice resolved and advice new.
fn delta_advice(o: &mut String, d: &Delta) {
    for (title, list) in [
        ("advice resolved", &d.advice_resolved),
        ("advice new", &d.advice_new),
    ] {
        if !list.is_empty() {
            let _ = writeln!(o);
            let _ = writeln!(o, "{}", paint(BOLD, &format!("{title} ({})", list.len())));
            for a in list {
                let _ = writeln!(o, "  {:<7} {}", a.rule, esc(&a.text));
            }
        }
    }
}

/// What changed between two appraisals, as Markdown.
pub fn delta_markdown(d: &Delta, c: &Checklist, changes: &[String], scores: Scores) -> String {
    let mut o = String::new();
    if d.before.id == d.after.id && d.before.title == d.after.title {
        let _ = writeln!(o, "## {} — {}\n", md(&d.before.id), md(&d.before.title));
    } else {
        let _ = writeln!(
            o,
            "## {} — {} → {} — {}\n",
            md(&d.before.id),
            md(&d.before.title),
            md(&d.after.id),
            md(&d.after.title)
        );
    }
    if !changes.is_empty() {
        let _ = writeln!(
            o,
            "**Changes:** {}\n",
            changes
                .iter()
                .map(|a| format!("`{}`", a.replace('`', "'")))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let _ = writeln!(
        o,
        "**Outcome:** {} → {}{} · **Total:** {} → {} ({})\n",
        outcome(c, &d.outcome.before),
        outcome(c, &d.outcome.after),
        steps_note(d.outcome.steps),
        signed(d.total.before),
        signed(d.total.after),
        signed(d.total.change)
    );
    for (head, list) in [("Indicator", &d.indicators), ("Theme", &d.themes)] {
        let rows: Vec<&ScoreChange> = list
            .iter()
            .filter(|s| scores == Scores::All || s.changed())
            .collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(o, "| {head} | Before | After | Change |");
        let _ = writeln!(o, "| --- | --- | --- | --- |");
        for s in rows {
            let name = if head == "Indicator" {
                format!("{} {}", s.id, indicator_name(c, &s.id))
            } else {
                s.id.clone()
            };
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                md(&name),
                score_side(&s.before),
                score_side(&s.after),
                signed(s.change)
            );
        }
        let _ = writeln!(o);
    }
    if !d.checklist.is_empty() {
        let _ = writeln!(o, "| Item | Before | After | Why |");
        let _ = writeln!(o, "| --- | --- | --- | --- |");
        for i in &d.checklist {
            let _ = writeln!(
                o,
                "| {} {} | {} | {} | {} |",
                i.rule,
                md(&i.title),
                status(i.before),
                status(i.after),
                md(i.reason.as_deref().unwrap_or_default())
            );
        }
        let _ = writeln!(o);
    }
    for (title, list) in [
        ("Advice resolved", &d.advice_resolved),
        ("Advice new", &d.advice_new),
    ] {
        if !list.is_empty() {
            let _ = writeln!(o, "**{title}:**\n");
            for a in list {
                let _ = writeln!(o, "- {}: {}", a.rule, md(&a.text));
            }
            let _ = writeln!(o);
        }
    }
    o
}

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
    explain_decision(&mut o, e, c);
    for r in &e.rules {
        explain_rule(&mut o, r);
    }
    for i in &e.indicators {
        explain_indicator(&mut o, i);
    }
    o
}

/// How the screening policy reached the outcome, best outcome first.
fn explain_decision(o: &mut String, e: &Explanation, c: &Checklist) {
    if !e.decision.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "{}",
            paint(BOLD, "how the outcome was decided (best first)")
        );
        for d in &e.decision {
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
    }
}

/// One rule: the fields it read with their values, what it decided and why, what it recorded.
fn explain_rule(o: &mut String, r: &crate::explain::RuleExplanation) {
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
            "  impact {} {} ({} confidence): {}",
            f.indicator,
            change(f.impact),
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

/// One indicator: its score and band (and the band's range), and every contribution to it.
fn explain_indicator(o: &mut String, i: &crate::explain::IndicatorExplanation) {
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
    let _ = writeln!(
        o,
        "## Explanation: {} — {}\n",
        md(&e.proposal.id),
        md(&e.proposal.title)
    );
    let _ = writeln!(
        o,
        "**Outcome:** {} · **Total:** {}{}\n",
        outcome(c, &e.outcome),
        signed(e.total),
        if e.complete {
            ""
        } else {
            " · **Incomplete:** a rule failed"
        }
    );
    if !e.decision.is_empty() {
        let _ = writeln!(o, "### How the outcome was decided\n");
        let _ = writeln!(o, "| Outcome | Condition | Bid | Holds |");
        let _ = writeln!(o, "| --- | --- | --- | --- |");
        for d in &e.decision {
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
    for r in &e.rules {
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
                "- impact on {}: {} ({} confidence) — {}",
                f.indicator,
                signed(f.impact),
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
    for i in &e.indicators {
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
            continue;
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
    o
}
