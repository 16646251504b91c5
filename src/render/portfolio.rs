//! A partnership's portfolio (`stronger portfolio`) as text for a terminal and as Markdown for
//! the advisory group's paper: for each partnership and across all, the contribution to each
//! core indicator as a table (the text chart), the largest gains and harms, the blockages, and
//! the proposals left out with where and why. Everything that came from a bid (a partnership's
//! name, an id, a title, a kind, an error's message) goes through `shown::escape` (text) or
//! `md` (Markdown).

use super::markdown::md;
use super::signed;
use super::text::{BOLD, paint, short_hash};
use crate::portfolio::{Blockage, Group, Portfolio, Ranked};
use crate::shown::escape as esc;
use std::fmt::Write as _;

/// How many proposals, in words: "1 proposal", "3 proposals".
fn proposals(n: usize) -> String {
    if n == 1 {
        "1 proposal".to_string()
    } else {
        format!("{n} proposals")
    }
}

/// The first lines both formats share: what is added up, and whether anything is missing.
pub(super) fn summary(p: &Portfolio) -> Vec<String> {
    let named = p.groups.iter().filter(|g| g.stated).count();
    let unstated = p
        .groups
        .iter()
        .find(|g| !g.stated)
        .map_or(0, |g| g.proposals);
    let mut lines = vec![format!(
        "{} by {}: {} partnership{}{}.",
        proposals(p.proposals),
        p.by.as_str(),
        named,
        if named == 1 { "" } else { "s" },
        if unstated > 0 {
            format!(
                ", and {} that state{} none",
                proposals(unstated),
                if unstated == 1 { "s" } else { "" }
            )
        } else {
            String::new()
        }
    )];
    if p.left_out > 0 {
        lines.push(format!(
            "Incomplete: {} could not be read and {} in no total (listed at the end).",
            proposals(p.left_out),
            if p.left_out == 1 { "is" } else { "are" }
        ));
    }
    if p.incomplete > 0 {
        lines.push(format!(
            "Incomplete: a rule failed on {}; {} scores count as appraised.",
            proposals(p.incomplete),
            if p.incomplete == 1 { "its" } else { "their" }
        ));
    }
    lines
}

/// An indicator's short name, else its name.
fn indicator(p: &Portfolio, id: &str) -> String {
    p.indicators
        .iter()
        .find(|i| i.id == id)
        .map(|i| i.short.clone().unwrap_or_else(|| i.name.clone()))
        .unwrap_or_default()
}

/// The outcomes line: "2 Recommend, 1 Refer: mitigate the harm first".
fn outcomes(g: &Group) -> String {
    g.outcomes
        .iter()
        .map(|o| format!("{} {}", o.count, o.label))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A ranked proposal's kind and outcome, as text already made safe by `safe`.
fn about(r: &Ranked, safe: &dyn Fn(&str) -> String) -> String {
    let kind = r
        .kind
        .as_deref()
        .map_or_else(|| "kind not stated".to_string(), safe);
    format!("{kind}; {}", safe(&r.outcome_label))
}

/// A blockage's counts: "2 (1 not met, 1 not stated)".
fn blocked(b: &Blockage) -> String {
    format!(
        "{} ({} not met, {} not stated)",
        b.count, b.not_met, b.not_stated
    )
}

/// The portfolio as text for a terminal (wrapped by the CLI).
pub fn portfolio_text(p: &Portfolio) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}",
        paint(BOLD, "Portfolio: each partnership's contribution")
    );
    for line in summary(p) {
        let _ = writeln!(o, "{line}");
    }
    let _ = writeln!(
        o,
        "checklist {} {} ({})",
        esc(&p.checklist.name),
        esc(&p.checklist.version),
        short_hash(&p.checklist.hash)
    );
    for g in p.groups.iter().chain(std::iter::once(&p.all)) {
        let _ = writeln!(o);
        group_text(&mut o, p, g);
    }
    if !p.errors.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "{}", paint(BOLD, "left out: could not be read"));
        for e in &p.errors {
            let id =
                e.id.as_deref()
                    .map(|i| format!(" ({})", esc(i)))
                    .unwrap_or_default();
            let field = e
                .field
                .as_deref()
                .map(|f| format!(" `{}`:", esc(f)))
                .unwrap_or_default();
            let _ = writeln!(o, "  {}{id}:{field} {}", esc(&e.location), esc(&e.message));
        }
    }
    o
}

fn group_text(o: &mut String, p: &Portfolio, g: &Group) {
    let _ = writeln!(
        o,
        "{}",
        paint(
            BOLD,
            &format!("{}: {}", esc(&g.name), proposals(g.proposals))
        )
    );
    if !g.outcomes.is_empty() {
        let _ = writeln!(o, "outcomes  {}", esc(&outcomes(g)));
    }
    let _ = writeln!(
        o,
        "{:<26}{:>9}{:>9}{:>9}{:>5}{:>5}",
        "indicator", "total", "gains", "harms", "+", "-"
    );
    for c in &g.indicators {
        let name = format!("{:<5} {}", c.indicator, indicator(p, &c.indicator));
        let _ = writeln!(
            o,
            "{:<26}{:>9}{:>9}{:>9}{:>5}{:>5}",
            esc(&name),
            signed(c.total),
            signed(c.gains),
            signed(c.harms),
            c.positive,
            c.negative
        );
    }
    let safe = |s: &str| esc(s).into_owned();
    for (heading, list) in [("largest gains", &g.gains), ("largest harms", &g.harms)] {
        if list.is_empty() {
            let _ = writeln!(o, "{heading}: none");
            continue;
        }
        let _ = writeln!(o, "{heading}");
        for r in list {
            let _ = writeln!(
                o,
                "  {:>7}  {}  {} ({}) on {}",
                signed(r.score),
                esc(&r.id),
                esc(&r.title),
                about(r, &safe),
                r.indicators.join(", ")
            );
        }
    }
    if g.blockages.is_empty() {
        let _ = writeln!(o, "blockages: none");
        return;
    }
    let _ = writeln!(
        o,
        "blockages (proposals where the item is not met or not stated)"
    );
    for b in &g.blockages {
        let _ = writeln!(o, "  {:<28}{}  {}", blocked(b), b.rule, esc(&b.title));
    }
}

/// The portfolio as Markdown, for the advisory group's paper to the executive.
pub fn portfolio_markdown(p: &Portfolio) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# Portfolio: each partnership's contribution\n");
    for line in summary(p) {
        let _ = writeln!(o, "{line}");
    }
    let _ = writeln!(
        o,
        "\nChecklist {} {} (`{}`), {}.",
        md(&p.checklist.name),
        md(&p.checklist.version),
        md(&p.checklist.hash),
        md(&p.engine)
    );
    for g in p.groups.iter().chain(std::iter::once(&p.all)) {
        let _ = writeln!(o);
        group_markdown(&mut o, p, g);
    }
    if !p.errors.is_empty() {
        let _ = writeln!(o, "\n## Left out: could not be read\n");
        let _ = writeln!(
            o,
            "| Where | Id | Field | Problem |\n| --- | --- | --- | --- |"
        );
        for e in &p.errors {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                md(&e.location),
                e.id.as_deref().map(md).unwrap_or_default(),
                e.field.as_deref().map(md).unwrap_or_default(),
                md(&e.message)
            );
        }
    }
    o
}

fn group_markdown(o: &mut String, p: &Portfolio, g: &Group) {
    let _ = writeln!(o, "## {}: {}\n", md(&g.name), proposals(g.proposals));
    if !g.outcomes.is_empty() {
        let _ = writeln!(o, "Outcomes: {}.\n", md(&outcomes(g)));
    }
    let _ = writeln!(
        o,
        "| Indicator | Total | Gains | Harms | Proposals positive | Proposals negative |\n| --- | ---: | ---: | ---: | ---: | ---: |"
    );
    for c in &g.indicators {
        let _ = writeln!(
            o,
            "| {} {} | {} | {} | {} | {} | {} |",
            c.indicator,
            md(&indicator(p, &c.indicator)),
            signed(c.total),
            signed(c.gains),
            signed(c.harms),
            c.positive,
            c.negative
        );
    }
    let safe = |s: &str| md(s);
    for (heading, list) in [("Largest gains", &g.gains), ("Largest harms", &g.harms)] {
        if list.is_empty() {
            let _ = writeln!(o, "\n{heading}: none.");
            continue;
        }
        let _ = writeln!(o, "\n{heading}:\n");
        for r in list {
            let _ = writeln!(
                o,
                "- **{}** {} {} ({}), on {}",
                signed(r.score),
                md(&r.id),
                md(&r.title),
                about(r, &safe),
                r.indicators.join(", ")
            );
        }
    }
    if g.blockages.is_empty() {
        let _ = writeln!(o, "\nBlockages: none.");
        return;
    }
    let _ = writeln!(
        o,
        "\nBlockages (proposals where the item is not met or not stated):\n\n| Item | Proposals | Not met | Not stated |\n| --- | ---: | ---: | ---: |"
    );
    for b in &g.blockages {
        let _ = writeln!(
            o,
            "| {} {} | {} | {} | {} |",
            b.rule,
            md(&b.title),
            b.count,
            b.not_met,
            b.not_stated
        );
    }
}
