//! A calibration report as Markdown: `docs/calibration.md` is this page for the default
//! checklist. Numbers only — what they mean is said once, in the page's fixed text.

use crate::calibrate::{Auc, Corpus, Labelled, Report};
use std::fmt::Write as _;

/// The report as a Markdown page; `command` is the command that reproduces it.
pub fn calibration_markdown(r: &Report, command: &str) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "# Calibration: how the checklist behaves\n\n\
         Before a funder relies on a checklist, this page shows what it makes of bids it has \
         never seen. It is generated, not written: reproduce it with\n\n\
         ```sh\n{command}\n```\n\n\
         Checklist `{}` ({} rules, `{}`). The screening policy and the reasoning behind each \
         threshold are in the checklist's `checklist.toml` and in [`checklist.md`](checklist.md).\n\n",
        r.checklist, r.rules, r.hash
    );
    if let Some(e) = &r.examples {
        corpus(&mut o, e);
    }
    for c in &r.corpora {
        corpus(&mut o, c);
    }
    if let Some(l) = &r.labelled {
        labelled(&mut o, l);
    }
    o
}

fn corpus(o: &mut String, c: &Corpus) {
    let _ = writeln!(o, "## {}\n", c.name);
    if !c.about.is_empty() {
        let _ = writeln!(o, "{} (`{}`).\n", c.about, c.path);
    }
    let _ = write!(o, "{} bids appraised", c.bids);
    if c.unreadable > 0 {
        let _ = write!(o, ", {} could not be read", c.unreadable);
    }
    if c.incomplete > 0 {
        let _ = write!(o, ", {} incomplete", c.incomplete);
    }
    let _ = writeln!(o, ".\n");
    if !c.ranking.is_empty() {
        let _ = writeln!(
            o,
            "| Rank | Bid | Outcome | Total |\n| ---: | --- | --- | ---: |"
        );
        for (i, r) in c.ranking.iter().enumerate() {
            let _ = writeln!(
                o,
                "| {} | {} {} | {} | {:.2} |",
                i + 1,
                r.id,
                crate::render::md(&r.title),
                r.outcome,
                r.total
            );
        }
        o.push('\n');
    }
    let outcomes: Vec<String> = c.outcomes.iter().map(|(k, v)| format!("{k} {v}")).collect();
    let _ = writeln!(o, "Outcomes: {}.\n", outcomes.join(", "));
    let [low, mid, high] = c.not_stated;
    let _ = writeln!(
        o,
        "Checklist items not stated per bid: {low} to {high} (median {mid}); items not met, \
         across all bids: {}.\n",
        c.not_met
    );
    bands(o, c);
}

fn bands(o: &mut String, c: &Corpus) {
    let Some(first) = c.bands.values().next() else {
        return;
    };
    let names: Vec<&str> = first.keys().map(String::as_str).collect();
    let _ = writeln!(o, "| Indicator | {} |", names.join(" | "));
    let _ = writeln!(o, "| --- |{}", " ---: |".repeat(names.len()));
    for (ind, counts) in &c.bands {
        let cells: Vec<String> = counts.values().map(|n| n.to_string()).collect();
        let _ = writeln!(o, "| {ind} | {} |", cells.join(" | "));
    }
    o.push('\n');
}

fn labelled(o: &mut String, l: &Labelled) {
    let _ = write!(
        o,
        "## Separation on the labelled development set\n\n\
         {} real grants, each labelled by hand with the core indicators it would plausibly \
         move (`{}`; the labelling guide is [`labelling.md`](labelling.md)). The set is split \
         in two halves: rules may be tuned on `tune`; `test` is held out. For each core \
         indicator the table gives the area under the ROC curve (AUC) of the indicator's score: \
         the chance that a grant labelled positive scores above one labelled negative, ties \
         counting half. 0.5 is a coin; 1.0 is perfect separation. The interval is the 2.5th to \
         97.5th percentile over {} bootstrap resamples of the held-out half (seed {}).\n\n",
        l.grants, l.path, l.bootstrap, l.seed
    );
    let base = l.baseline.as_ref();
    let _ = write!(
        o,
        "| Indicator | positives / negatives (test) | AUC, test [95% interval] | AUC, tune |"
    );
    if base.is_some() {
        let _ = write!(o, " before: AUC, test [95% interval] |");
    }
    let _ = writeln!(
        o,
        "\n| --- | ---: | ---: | ---: |{}",
        if base.is_some() { " ---: |" } else { "" }
    );
    for (ind, s) in &l.indicators {
        let _ = write!(
            o,
            "| {ind} | {} / {} | {} | {} |",
            s.test.positives,
            s.test.negatives,
            with_interval(&s.test),
            point(&s.tune)
        );
        if let Some(b) = base {
            let before = b
                .indicators
                .get(ind)
                .map_or("—".to_string(), |x| with_interval(&x.test));
            let _ = write!(o, " {before} |");
        }
        o.push('\n');
    }
    if let Some(b) = base {
        let _ = writeln!(
            o,
            "\n\"Before\" is the same measure of checklist `{}` (`{}`): {}.",
            b.checklist, b.hash, b.note
        );
    }
    o.push('\n');
    for sub in &l.subsets {
        let _ = write!(
            o,
            "### The held-out half, {}\n\nDraws: {}.\n\n\
             | Indicator | positives / negatives | AUC [95% interval] |\n| --- | ---: | ---: |\n",
            sub.name,
            sub.draws
                .iter()
                .map(|d| format!("`{d}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        for (ind, a) in &sub.indicators {
            let _ = writeln!(
                o,
                "| {ind} | {} / {} | {} |",
                a.positives,
                a.negatives,
                with_interval(a)
            );
        }
        o.push('\n');
    }
}

fn point(a: &Auc) -> String {
    a.auc.map_or("—".to_string(), |x| format!("{x:.3}"))
}

fn with_interval(a: &Auc) -> String {
    match (a.auc, a.low, a.high) {
        (Some(x), Some(lo), Some(hi)) => format!("{x:.3} [{lo:.3}, {hi:.3}]"),
        _ => point(a),
    }
}
