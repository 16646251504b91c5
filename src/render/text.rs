//! The full terminal view of one appraisal (`appraise --full`); `brief.rs` is the one screen.

use super::signed;
use crate::appraisal::{Appraisal, ChecklistItem, ProposalRef, Status};
use crate::checklist::Checklist;
use crate::shown::escape as esc;
use anstyle::{AnsiColor, Style};
use std::fmt::Write as _;

pub(super) fn paint(style: Style, s: &str) -> String {
    format!("{style}{s}{style:#}")
}

pub(super) const BOLD: Style = Style::new().bold();
pub(super) const DIM: Style = Style::new().dimmed();

pub(super) fn outcome_style(outcome: &str, checklist: &Checklist) -> Style {
    let outcomes = &checklist.config.screening.outcomes;
    let pos = outcomes.iter().position(|o| o.id == outcome).unwrap_or(0);
    let color = if pos + 1 == outcomes.len() {
        AnsiColor::Red
    } else if pos == 0 {
        AnsiColor::Green
    } else {
        AnsiColor::Yellow
    };
    Style::new().bold().fg_color(Some(color.into()))
}

pub(super) fn band_style(band: &str, checklist: &Checklist) -> Style {
    let bands = &checklist.config.bands;
    let pos = bands.iter().position(|b| b.id == band).unwrap_or(0);
    let neutral = bands.iter().position(|b| b.min.is_some_and(|m| m <= 0.0));
    match neutral {
        Some(n) if pos < n => Style::new().fg_color(Some(AnsiColor::Green.into())),
        Some(n) if pos > n => Style::new().fg_color(Some(AnsiColor::Red.into())),
        _ => Style::new(),
    }
}

/// An indicator's short name (or its name).
pub(super) fn indicator_name(checklist: &Checklist, id: &str) -> String {
    checklist
        .config
        .indicators
        .iter()
        .find(|i| i.id == id)
        .map(|i| i.short.clone().unwrap_or_else(|| i.name.clone()))
        .unwrap_or_default()
}

/// The first two lines of every report on one bid: id and title; outcome, total, and whether a
/// rule failed (`hint` says where to look).
pub(super) fn headline(
    o: &mut String,
    proposal: &ProposalRef,
    outcome: &str,
    total: f64,
    complete: bool,
    checklist: &Checklist,
    hint: &str,
) {
    let _ = writeln!(
        o,
        "{}  {}",
        paint(BOLD, &esc(&proposal.id)),
        paint(BOLD, &esc(&proposal.title))
    );
    let _ = writeln!(
        o,
        "outcome  {}   total {}{}",
        paint(
            outcome_style(outcome, checklist),
            checklist.config.screening.label(outcome)
        ),
        signed(total),
        if complete {
            String::new()
        } else {
            format!(
                "   {}",
                paint(
                    Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
                    &format!("INCOMPLETE: a rule failed{hint}")
                )
            )
        }
    );
}

/// The appraisal of one bid as a readable summary for a terminal.
pub fn text(a: &Appraisal, checklist: &Checklist) -> String {
    let mut o = String::new();
    headline(
        &mut o,
        &a.proposal,
        &a.outcome,
        a.total,
        a.complete,
        checklist,
        "",
    );
    match verified(a) {
        Some(line) => {
            let _ = writeln!(o, "{line}");
        }
        None => {
            let _ = writeln!(o, "verified nothing scored, so nothing to verify");
        }
    }
    placeholders(&mut o, a);
    let _ = writeln!(o);
    scores(&mut o, a, checklist);
    let _ = writeln!(o);
    checklist_items(&mut o, a);
    contradictions(&mut o, a);
    advice(&mut o, a);
    rule_errors(&mut o, a);
    let _ = writeln!(o);
    let p = &a.provenance;
    let _ = writeln!(
        o,
        "{}",
        paint(
            DIM,
            &format!(
                "checklist {} {} ({}) · {} · bid {}",
                p.checklist,
                p.version,
                short_hash(&p.hash),
                p.engine,
                short_hash(&a.proposal.hash)
            )
        )
    );
    o
}

/// The indicator and theme tables.
fn scores(o: &mut String, a: &Appraisal, checklist: &Checklist) {
    let _ = writeln!(
        o,
        "{}",
        paint(
            BOLD,
            "indicator                     score  band               confidence"
        )
    );
    for (id, r) in &a.indicators {
        let name: String = indicator_name(checklist, id).chars().take(20).collect();
        let band = format!("{:<18}", r.band);
        let _ = writeln!(
            o,
            "{:<5} {:<20} {:>7}  {} {}",
            id,
            name,
            signed(r.score),
            paint(band_style(&r.band, checklist), &band),
            r.confidence.as_str()
        );
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{}",
        paint(BOLD, "theme                         score  band")
    );
    for (id, t) in &a.themes {
        let profile = checklist.config.is_profile(id);
        let _ = writeln!(
            o,
            "{:<26} {:>8}  {}{}",
            id,
            signed(t.score),
            paint(band_style(&t.band, checklist), &t.band),
            if profile {
                "  (a profile: not in the total)"
            } else {
                ""
            }
        );
    }
}

/// What a weak `met` adds to its reason.
pub(crate) const WEAK: &str = "(met weakly: the bid's own words, nothing that verifies them)";

/// How much of the points the bid's own words do not carry alone, when anything scored.
pub(super) fn verified(a: &Appraisal) -> Option<String> {
    a.scored().then(|| {
        format!(
            "verified {:.0}% of the points rest on more than the bid's own words",
            a.verified_share * 100.0
        )
    })
}

/// An item's mark and its colour. Met on the bid's words alone is said weakly, never as a
/// full tick.
pub(super) fn mark(item: &ChecklistItem) -> (&'static str, Style) {
    match item.status {
        Status::Met if item.weak => ("~", Style::new().fg_color(Some(AnsiColor::Green.into()))),
        Status::Met => ("✓", Style::new().fg_color(Some(AnsiColor::Green.into()))),
        Status::NotMet => ("✗", Style::new().fg_color(Some(AnsiColor::Red.into()))),
        Status::NotStated => ("?", Style::new().fg_color(Some(AnsiColor::Yellow.into()))),
        Status::NotApplicable => ("-", DIM),
    }
}

/// The count of items per status: "14 met (2 weakly), 6 not met, …".
pub(super) fn counts(a: &Appraisal) -> String {
    let count = |s: Status| a.checklist.iter().filter(|i| i.status == s).count();
    let weak = a.checklist.iter().filter(|i| i.weak).count();
    let met = if weak > 0 {
        format!("{} met ({weak} weakly)", count(Status::Met))
    } else {
        format!("{} met", count(Status::Met))
    };
    format!(
        "{met}, {} not met, {} not stated, {} not applicable",
        count(Status::NotMet),
        count(Status::NotStated),
        count(Status::NotApplicable)
    )
}

/// The checklist: the count per status, then every item with its reason or question.
fn checklist_items(o: &mut String, a: &Appraisal) {
    let _ = writeln!(o, "{}  {}", paint(BOLD, "checklist"), counts(a));
    for item in &a.checklist {
        let (mark, style) = mark(item);
        let detail = match (&item.reason, &item.ask) {
            (_, Some(ask)) => format!("ask: {}", esc(ask)),
            (Some(r), None) if item.weak => format!("{} {WEAK}", esc(r)),
            (Some(r), None) => esc(r).into_owned(),
            _ => String::new(),
        };
        let _ = writeln!(
            o,
            "  {} {:<7} {}",
            paint(style, mark),
            item.rule,
            esc(&item.title)
        );
        if !detail.is_empty() {
            let _ = writeln!(o, "            {}", paint(DIM, &detail));
        }
    }
}

/// The first five pieces of advice, most likely gain first.
fn advice(o: &mut String, a: &Appraisal) {
    if a.advice.is_empty() {
        return;
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{}  {}",
        paint(BOLD, "advice (most likely gain first)"),
        paint(DIM, "`stronger advise` checks each by re-appraising")
    );
    for (n, adv) in a.advice.iter().enumerate().take(5) {
        let _ = writeln!(
            o,
            "  {}. {} {} ({}, {})",
            n + 1,
            signed(adv.gain),
            esc(&adv.text),
            adv.rule,
            adv.indicators.join(" ")
        );
    }
    if a.advice.len() > 5 {
        let _ = writeln!(
            o,
            "  … and {} more (use --format json for all)",
            a.advice.len() - 5
        );
    }
}

/// Example values advice wrote into the bid that are still there, when any are.
fn placeholders(o: &mut String, a: &Appraisal) {
    if a.placeholders.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "{} (advice wrote them; they count as no more than the bid's own words):",
        paint(
            Style::new().bold().fg_color(Some(AnsiColor::Yellow.into())),
            "examples to replace"
        ),
    );
    for p in &a.placeholders {
        let _ = writeln!(o, "  {} {}", p.field, esc(&p.value));
    }
}

/// Where the bid contradicts itself, when it does: both sides quoted, the items it touches.
fn contradictions(o: &mut String, a: &Appraisal) {
    if a.contradictions.is_empty() {
        return;
    }
    let _ = writeln!(o);
    let title = match &a.outcome_without_contradictions {
        Some(b) if *b != a.outcome => format!(
            "contradictions ({}; without them looked for: {b})",
            a.contradictions.len()
        ),
        _ => format!("contradictions ({})", a.contradictions.len()),
    };
    let _ = writeln!(
        o,
        "{}",
        paint(
            Style::new().bold().fg_color(Some(AnsiColor::Yellow.into())),
            &title
        )
    );
    for c in &a.contradictions {
        let _ = writeln!(o, "  ! {}: {}", c.id, esc(&c.description));
        for s in c.sides() {
            let _ = writeln!(o, "      {}: {}", esc(&s.field), esc(&s.quoted()));
        }
        if !c.items.is_empty() {
            let _ = writeln!(o, "      not stated now: {}", c.items.join(", "));
        }
        let _ = writeln!(o, "      ask: {}", esc(&c.ask));
    }
}

/// The rules that failed, when any did.
fn rule_errors(o: &mut String, a: &Appraisal) {
    if a.errors.is_empty() {
        return;
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{}",
        paint(
            Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
            "rule errors (the appraisal is incomplete)"
        )
    );
    for e in &a.errors {
        let _ = writeln!(
            o,
            "  {} {}: {}",
            e.rule,
            esc(&e.location()),
            esc(&e.message)
        );
    }
}

pub fn short_hash(h: &str) -> String {
    let hex = h.strip_prefix("sha256:").unwrap_or(h);
    format!("sha256:{}", hex.chars().take(12).collect::<String>())
}
