//! The one screen a terminal shows for one bid (`appraise` without `--full`), and the table
//! several bids print: what a grants officer reads first. At 80 columns the one screen is at
//! most 40 lines for every example bid (a test holds it): the outcome, the total and how much of
//! it is verified, the profile, each indicator, the counts of the checklist with the few items
//! not met and not stated that weigh most, and the top advice.

use super::signed;
use super::text::{
    BOLD, DIM, band_style, counts, headline, indicator_name, mark, outcome_style, paint, verified,
};
use crate::appraisal::{Appraisal, ChecklistItem, Status};
use crate::checklist::Checklist;
use crate::shown::escape as esc;
use std::fmt::Write as _;

/// How many items not met, items not stated and pieces of advice the one screen shows.
const FEW: usize = 3;

/// One bid on one screen.
pub fn brief(a: &Appraisal, checklist: &Checklist) -> String {
    let mut o = String::new();
    headline(
        &mut o,
        &a.proposal,
        &a.outcome,
        a.total,
        a.complete,
        checklist,
        " (see --full)",
    );
    if let Some(line) = verified(a) {
        let _ = writeln!(o, "{line}");
    }
    if !a.contradictions.is_empty() {
        let first = a
            .contradictions
            .first()
            .map(|c| esc(&c.description).into_owned());
        let _ = writeln!(
            o,
            "{}",
            paint(
                BOLD,
                &format!(
                    "the bid contradicts itself ({}): {} (see --full)",
                    a.contradictions.len(),
                    first.unwrap_or_default()
                )
            )
        );
    }
    if !a.placeholders.is_empty() {
        let _ = writeln!(
            o,
            "{}",
            paint(
                BOLD,
                &format!(
                    "{} example value(s) advice wrote are still in the bid (see --full)",
                    a.placeholders.len()
                )
            )
        );
    }
    let _ = writeln!(o);
    indicators(&mut o, a, checklist);
    let _ = writeln!(o);
    let _ = writeln!(o, "{}  {}", paint(BOLD, "checklist"), counts(a));
    weighty(&mut o, a, checklist, Status::NotMet, "not met");
    weighty(&mut o, a, checklist, Status::NotStated, "to ask");
    advice(&mut o, a);
    let _ = writeln!(
        o,
        "{}",
        paint(
            DIM,
            "every item, reason and question: --full; verified advice: stronger advise"
        )
    );
    o
}

/// Each indicator (and each profile) on a line.
fn indicators(o: &mut String, a: &Appraisal, checklist: &Checklist) {
    let _ = writeln!(
        o,
        "{}",
        paint(BOLD, &format!("{:<26} {:>7}  band", "indicator", "score"))
    );
    for (id, r) in &a.indicators {
        let name: String = indicator_name(checklist, id).chars().take(20).collect();
        let _ = writeln!(
            o,
            "{:<5} {:<20} {:>7}  {} ({} confidence)",
            id,
            name,
            signed(r.score),
            paint(band_style(&r.band, checklist), &r.band),
            r.confidence.as_str()
        );
    }
    for (id, t) in a
        .themes
        .iter()
        .filter(|(id, _)| checklist.config.is_profile(id))
    {
        let _ = writeln!(
            o,
            "{:<26} {:>7}  {}  (a profile: not in the total)",
            id,
            signed(t.score),
            paint(band_style(&t.band, checklist), &t.band)
        );
    }
}

/// The most a rule's item can add, weighed: how much it matters when it is not met or not
/// stated.
fn importance(checklist: &Checklist, rule: &str) -> f64 {
    checklist
        .rules
        .iter()
        .find(|r| r.meta.id == rule)
        .map(|r| {
            r.weight
                * r.meta
                    .indicators
                    .iter()
                    .map(|i| r.meta.most(i))
                    .sum::<f64>()
        })
        .unwrap_or(0.0)
}

/// The few items of one status that weigh most (ties in checklist order), with how many more.
fn weighty(o: &mut String, a: &Appraisal, checklist: &Checklist, status: Status, what: &str) {
    let mut items: Vec<&ChecklistItem> = a
        .checklist
        .iter()
        .filter(|i| i.counted_status() == status && i.status == status)
        .collect();
    if items.is_empty() {
        return;
    }
    // A stable sort keeps checklist order among items that weigh the same.
    items.sort_by(|x, y| importance(checklist, &y.rule).total_cmp(&importance(checklist, &x.rule)));
    let more = items.len().saturating_sub(FEW);
    let heading = if more > 0 {
        format!("{what} ({} in all; the {FEW} that weigh most)", items.len())
    } else {
        what.to_string()
    };
    let _ = writeln!(o, "  {}", paint(DIM, &heading));
    for item in items.into_iter().take(FEW) {
        let (m, style) = mark(item);
        let _ = writeln!(
            o,
            "  {} {:<7} {}",
            paint(style, m),
            item.rule,
            esc(&item.title)
        );
    }
}

/// The first few pieces of advice, most likely gain first.
fn advice(o: &mut String, a: &Appraisal) {
    if a.advice.is_empty() {
        return;
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", paint(BOLD, "advice (most likely gain first)"));
    for (n, adv) in a.advice.iter().enumerate().take(FEW) {
        let _ = writeln!(
            o,
            "  {}. {} {} ({})",
            n + 1,
            signed(adv.gain),
            esc(&adv.text),
            adv.rule
        );
    }
    if a.advice.len() > FEW {
        let _ = writeln!(o, "  … and {} more", a.advice.len() - FEW);
    }
}

/// The width of the bid id column of the table (a longer id pushes its line along).
const ID: usize = 12;

/// The table several bids print, two lines a bid: its heading.
pub fn table_heading() -> String {
    format!(
        "{}\n",
        paint(
            BOLD,
            &format!(
                "{:<ID$}  {:>8}  {:>8}  {:>7}  {:>10}  outcome",
                "bid", "total", "verified", "not met", "not stated"
            )
        )
    )
}

/// One bid's two lines of the table: the figures a panel sorts by and the outcome's id (the
/// labels are in the checklist; `--full` shows them), then its title. Items met only in the
/// bid's own words count as not stated, as the screening policy counts them.
pub fn table_row(a: &Appraisal, checklist: &Checklist) -> String {
    let count = |s: Status| {
        a.checklist
            .iter()
            .filter(|i| i.counted_status() == s)
            .count()
    };
    let verified = if a.scored() {
        format!("{:.0}%", a.verified_share * 100.0)
    } else {
        "-".to_string()
    };
    format!(
        "{:<ID$}  {:>8}  {:>8}  {:>7}  {:>10}  {}{}\n{:<ID$}  {}\n",
        esc(&a.proposal.id),
        signed(a.total),
        verified,
        count(Status::NotMet),
        count(Status::NotStated),
        paint(outcome_style(&a.outcome, checklist), &esc(&a.outcome)),
        if a.complete { "" } else { "  INCOMPLETE" },
        "",
        paint(DIM, &esc(&a.proposal.title))
    )
}
