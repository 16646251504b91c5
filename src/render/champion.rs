//! The champion's reports as text and Markdown, one file a report: verified advice
//! (`advice.rs`), what-if and compare (both a delta, `delta.rs`), and explain (`explain.rs`).
//! Text carries ANSI styles that the CLI strips when needed; Markdown escapes everything that
//! came from a bid. Here: what the reports share.

mod advice;
mod delta;
mod explain;

pub use advice::{advice_markdown, advice_text};
pub use delta::{Scores, delta_markdown, delta_text};
pub use explain::{explain_markdown, explain_text};

use super::markdown::md;
use super::signed;
use super::text::paint;
use crate::appraisal::{ProposalRef, Status};
use crate::champion::advise::NextStep;
use crate::checklist::Checklist;
use crate::shown::escape as esc;
use anstyle::{AnsiColor, Style};
use std::fmt::Write as _;

const GREEN: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)));
const RED: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)));

/// The first lines of a Markdown report on one bid: what it is, the bid's id and title; its
/// outcome and total, and whether a rule failed.
fn headline_markdown(
    o: &mut String,
    what: &str,
    proposal: &ProposalRef,
    outcome_id: &str,
    total: f64,
    complete: bool,
    c: &Checklist,
) {
    let _ = writeln!(
        o,
        "## {what}: {} — {}\n",
        md(&proposal.id),
        md(&proposal.title)
    );
    let _ = writeln!(
        o,
        "**Outcome:** {} · **Total:** {}{}\n",
        outcome(c, outcome_id),
        signed(total),
        if complete {
            ""
        } else {
            " · **Incomplete:** a rule failed"
        }
    );
}

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

fn score_side(s: &Option<crate::champion::delta::Score>) -> String {
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
fn smallest_note(step: &NextStep) -> String {
    if step.smallest {
        "no smaller set does".to_string()
    } else {
        format!(
            "none of them can be left out, and no set of {} or fewer does (the search stopped at its budget)",
            step.searched
        )
    }
}
