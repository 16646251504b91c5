//! What changed between two appraisals (`what-if`, `compare`) as text and as Markdown: one
//! function per section.

use super::{GREEN, RED, change, outcome, score_side, status, steps_note};
use crate::champion::delta::{AdviceLine, Delta, ItemChange, ScoreChange};
use crate::checklist::Checklist;
use crate::render::markdown::md;
use crate::render::signed;
use crate::render::text::{BOLD, DIM, indicator_name, paint};
use crate::shown::escape as esc;
use std::fmt::Write as _;

/// Which scores a delta shows: only the ones that changed (what-if) or all (compare).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scores {
    Changed,
    All,
}

impl Scores {
    fn rows(self, list: &[ScoreChange]) -> Vec<&ScoreChange> {
        list.iter()
            .filter(|s| self == Scores::All || s.changed())
            .collect()
    }
}

/// What changed between two appraisals, as text. `changes` are the `--set`/`--unset` arguments
/// (what-if), empty for compare.
pub fn delta_text(d: &Delta, c: &Checklist, changes: &[String], scores: Scores) -> String {
    let mut o = String::new();
    header_text(&mut o, d, c, changes);
    let _ = writeln!(o);
    let ind = scores.rows(&d.indicators);
    if ind.is_empty() {
        let _ = writeln!(o, "{}", paint(DIM, "no indicator changed"));
    } else {
        score_table_text(&mut o, "indicator", &ind, |i| {
            format!("{} {}", i.id, indicator_name(c, &i.id))
                .chars()
                .take(26)
                .collect()
        });
    }
    let th = scores.rows(&d.themes);
    if !th.is_empty() {
        let _ = writeln!(o);
        score_table_text(&mut o, "theme", &th, |t| t.id.clone());
    }
    let _ = writeln!(o);
    items_text(&mut o, &d.checklist);
    for (title, list) in [
        ("advice resolved", &d.advice_resolved),
        ("advice new", &d.advice_new),
    ] {
        advice_text(&mut o, title, list);
    }
    o
}

/// Which bid or bids, the changes, the outcome, the total, and a warning for a side where a
/// rule failed.
fn header_text(o: &mut String, d: &Delta, c: &Checklist, changes: &[String]) {
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

/// A table of scores before and after, headed `head`, each row named by `name`: 80 columns
/// wide, so a terminal shows it whole.
fn score_table_text(
    o: &mut String,
    head: &str,
    rows: &[&ScoreChange],
    name: impl Fn(&ScoreChange) -> String,
) {
    let _ = writeln!(
        o,
        "{}",
        paint(
            BOLD,
            &format!("{:<23} {:<24} {:<24} change", head, "before", "after")
        )
    );
    for s in rows {
        let _ = writeln!(
            o,
            "{:<23} {:<24} {:<24} {}",
            name(s),
            score_side(&s.before),
            score_side(&s.after),
            change(s.change)
        );
    }
}

fn items_text(o: &mut String, items: &[ItemChange]) {
    if items.is_empty() {
        let _ = writeln!(o, "{}", paint(DIM, "no checklist item changed"));
        return;
    }
    let _ = writeln!(
        o,
        "{}",
        paint(
            BOLD,
            &format!("checklist items that changed ({})", items.len())
        )
    );
    for i in items {
        let mark = direction_mark(i);
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

fn advice_text(o: &mut String, title: &str, list: &[AdviceLine]) {
    if list.is_empty() {
        return;
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", paint(BOLD, &format!("{title} ({})", list.len())));
    for a in list {
        let _ = writeln!(o, "  {:<7} {}", a.rule, esc(&a.text));
    }
}

/// What changed between two appraisals, as Markdown.
pub fn delta_markdown(d: &Delta, c: &Checklist, changes: &[String], scores: Scores) -> String {
    let mut o = String::new();
    header_markdown(&mut o, d, c, changes);
    for (head, list) in [("Indicator", &d.indicators), ("Theme", &d.themes)] {
        let rows = scores.rows(list);
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
    items_markdown(&mut o, &d.checklist);
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

fn header_markdown(o: &mut String, d: &Delta, c: &Checklist, changes: &[String]) {
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
}

fn items_markdown(o: &mut String, items: &[ItemChange]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(o, "| Item | Before | After | Why |");
    let _ = writeln!(o, "| --- | --- | --- | --- |");
    for i in items {
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

/// ▲ better, ▼ worse, and • for an item that only says less (not met → not stated), which is
/// never shown as progress.
pub(super) fn direction_mark(i: &crate::champion::delta::ItemChange) -> String {
    use crate::champion::delta::Direction;
    match i.direction() {
        Direction::Better => paint(GREEN, "▲"),
        Direction::Worse => paint(RED, "▼"),
        Direction::Neither => paint(DIM, "•"),
    }
}
