//! The summaries of a screening round: `summary.csv`, `summary.md`, `summary.html`,
//! `summary.xlsx` and `questions.csv`. One row model, [`Row`], is what `screen` keeps of each
//! bid; [`Ranking`] turns rows, read back in ranked order, into the [`Line`]s every summary
//! shows (a rank and, with a budget, the running total of what the bids funded so far ask for;
//! or a bid that could not be read). Each summary is written a line at a time to any
//! `io::Write`, so a round of any size is never held whole; `screen` owns the files.
//!
//! `summary_html.rs` (the page, on the auto-escaping templates), `xlsx.rs` (the workbook) and
//! `questions.rs` (the questions to send) are the other summaries; this file holds the row, the
//! ranking, the CSV and the Markdown.

use crate::appraisal::{Appraisal, Status};
use crate::checklist::Checklist;
use crate::render::csv::{Cell, CsvWriter};
use std::io::{self, Write};

/// What the summaries show of one bid.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Row {
    /// The bid's position in the input.
    pub order: usize,
    pub id: String,
    pub title: String,
    pub outcome: String,
    /// Position of the outcome in the screening policy; errors sort last.
    pub outcome_rank: usize,
    pub total: f64,
    /// Score and band of each core indicator, in checklist order.
    pub indicators: Vec<(f64, String)>,
    /// The confidence of each core indicator, in the same order (`summary.html` shows it).
    #[serde(default)]
    pub confidence: Vec<String>,
    /// Band of each theme, in checklist order.
    pub themes: Vec<String>,
    pub complete: bool,
    pub error: String,
    /// The applicant organisation, as the bid names it.
    #[serde(default)]
    pub applicant: String,
    /// The grant asked for, and its currency (`GBP` unless the bid says).
    #[serde(default)]
    pub amount: Option<f64>,
    #[serde(default)]
    pub currency: String,
    /// Checklist items met, not met and not stated.
    #[serde(default)]
    pub met: usize,
    #[serde(default)]
    pub not_met: usize,
    #[serde(default)]
    pub not_stated: usize,
    /// The share of the bid's positive score that a stated field, evidence or a measured
    /// target backs (not the bid's prose alone), from 0 to 1; none when nothing scored.
    #[serde(default)]
    pub verified: Option<f64>,
    /// Contradictions found in the bid.
    #[serde(default)]
    pub contradictions: usize,
    /// The questions to send the applicant: each contradiction's (its id and question), then
    /// each other not-stated item's rule and ask.
    #[serde(default)]
    pub questions: Vec<(String, String)>,
    /// The bid's own report, relative to the summary (`--reports`).
    #[serde(default)]
    pub report: Option<String>,
    /// Where an unreadable bid is: its input and line (row).
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub line: Option<usize>,
}

/// `f` of each core indicator's result, in checklist order (the default where there is none).
fn per_core<T: Default>(
    c: &Checklist,
    a: &Appraisal,
    f: impl Fn(&crate::appraisal::IndicatorResult) -> T,
) -> Vec<T> {
    c.config
        .indicators
        .iter()
        .filter(|i| i.core)
        .map(|i| a.indicators.get(&i.id).map(&f).unwrap_or_default())
        .collect()
}

/// The outcome rank of a bid that could not be read: after every outcome.
pub(crate) const UNREAD: usize = usize::MAX;

impl Row {
    /// The row of an appraised bid, `order`th in the input; `doc` is the bid itself.
    pub(crate) fn appraised(
        c: &Checklist,
        order: usize,
        a: &Appraisal,
        doc: &serde_json::Value,
    ) -> Row {
        let cfg = &c.config;
        let count = |s: Status| a.checklist.iter().filter(|i| i.status == s).count();
        Row {
            order,
            id: a.proposal.id.clone(),
            title: a.proposal.title.clone(),
            outcome: a.outcome.clone(),
            outcome_rank: cfg
                .screening
                .outcomes
                .iter()
                .position(|o| o.id == a.outcome)
                .unwrap_or(UNREAD - 1),
            total: a.total,
            indicators: per_core(c, a, |r| (r.score, r.band.clone())),
            themes: cfg
                .themes
                .iter()
                .map(|t| {
                    a.themes
                        .get(&t.id)
                        .map(|r| r.band.clone())
                        .unwrap_or_default()
                })
                .collect(),
            complete: a.complete,
            error: a
                .errors
                .first()
                .map(|e| format!("{} {}: {}", e.rule, e.location(), e.message))
                .unwrap_or_default(),
            applicant: doc
                .pointer("/applicant/name")
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
                .to_string(),
            amount: doc
                .pointer("/funding/amount_requested")
                .and_then(serde_json::Value::as_f64),
            currency: doc
                .pointer("/funding/currency")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("GBP")
                .to_string(),
            met: count(Status::Met),
            not_met: count(Status::NotMet),
            not_stated: count(Status::NotStated),
            verified: verified_share(a),
            contradictions: a.contradictions.len(),
            questions: questions(a),
            confidence: per_core(c, a, |r| r.confidence.as_str().to_string()),
            ..Row::default()
        }
    }

    /// The row of a bid that could not be read, `order`th in the input: ranked last.
    pub(crate) fn unreadable(order: usize, id: String, error: String) -> Row {
        Row {
            order,
            id,
            outcome: "error".to_string(),
            outcome_rank: UNREAD,
            error,
            ..Row::default()
        }
    }

    /// Whether the bid could not be read.
    pub(crate) fn is_unreadable(&self) -> bool {
        self.outcome_rank == UNREAD
    }
}

/// The questions to send an applicant: each contradiction once (the items it touches ask the
/// same), then each other item not stated.
fn questions(a: &Appraisal) -> Vec<(String, String)> {
    let conflicts = a
        .contradictions
        .iter()
        .map(|c| (c.id.clone(), c.ask.clone()));
    let items = a
        .checklist
        .iter()
        .filter(|i| i.status == Status::NotStated && i.contradiction.is_none())
        .filter_map(|i| Some((i.rule.clone(), i.ask.clone()?)));
    conflicts.chain(items).collect()
}

/// The share of an appraisal's positive score that is verified (the appraisal's own
/// `verified_share`), to two decimals. None when no finding adds anything.
pub(crate) fn verified_share(a: &Appraisal) -> Option<f64> {
    a.scored()
        .then(|| (a.verified_share * 100.0).round() / 100.0)
}

/// A share as the summaries show it: `75%`.
pub(crate) fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// The round as the summaries' headings give it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Counts {
    /// Bids ranked (appraised).
    pub ranked: usize,
    /// Bids that could not be read.
    pub unreadable: usize,
}

/// Where a bid stands against the budget (`--budget`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Fit {
    /// Funded within the pot; the running total of what the funded bids ask for so far.
    Within(f64),
    /// The first bid the pot cannot cover: it runs out here.
    RunsOut(f64),
    /// A bid that would be funded, after the pot ran out.
    Beyond(f64),
    /// A bid whose outcome is not one that is funded.
    NotFunded,
}

impl Fit {
    /// The running total, for a bid that would be funded.
    pub(crate) fn total(self) -> Option<f64> {
        match self {
            Fit::Within(t) | Fit::RunsOut(t) | Fit::Beyond(t) => Some(t),
            Fit::NotFunded => None,
        }
    }

    /// `yes`, `no — the pot runs out here`, `no`, or nothing.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Fit::Within(_) => "yes",
            Fit::RunsOut(_) => "no: the pot runs out here",
            Fit::Beyond(_) => "no",
            Fit::NotFunded => "",
        }
    }
}

/// The budget of a round: the pot, the outcomes that are funded, and what is spent so far.
#[derive(Debug, Clone)]
pub(crate) struct Pot {
    pub amount: f64,
    /// The outcomes listed before the checklist's outcome for an incomplete appraisal (the
    /// default checklist: recommend, and recommend with conditions).
    pub funded: Vec<String>,
    spent: f64,
    out: bool,
}

impl Pot {
    pub(crate) fn new(c: &Checklist, amount: f64) -> Pot {
        let s = &c.config.screening;
        let funded = s
            .outcomes
            .iter()
            .take_while(|o| o.id != s.incomplete)
            .map(|o| o.id.clone())
            .collect();
        Pot {
            amount,
            funded,
            spent: 0.0,
            out: false,
        }
    }

    /// The next ranked bid against the pot.
    fn next(&mut self, row: &Row) -> Fit {
        if !row.complete || !self.funded.contains(&row.outcome) {
            return Fit::NotFunded;
        }
        self.spent += row.amount.unwrap_or(0.0);
        if self.out {
            Fit::Beyond(self.spent)
        } else if self.spent > self.amount + 0.005 {
            self.out = true;
            Fit::RunsOut(self.spent)
        } else {
            Fit::Within(self.spent)
        }
    }
}

/// One row as the summaries show it.
pub(crate) enum Line<'r> {
    /// An appraised bid, its rank (from 1) and, with a budget, where it stands against it.
    Ranked {
        rank: usize,
        row: &'r Row,
        fit: Option<Fit>,
    },
    /// A bid that could not be read; `first` for the first of them (the errors' heading).
    Unreadable { row: &'r Row, first: bool },
}

/// Ranks rows as they come, in ranked order.
#[derive(Default)]
pub(crate) struct Ranking {
    rank: usize,
    in_errors: bool,
    pot: Option<Pot>,
}

impl Ranking {
    /// A ranking that keeps the running total against `pot`.
    pub(crate) fn with(pot: Option<Pot>) -> Ranking {
        Ranking {
            pot,
            ..Ranking::default()
        }
    }

    /// The next row, as shown.
    pub(crate) fn line<'r>(&mut self, row: &'r Row) -> Line<'r> {
        if row.is_unreadable() {
            let first = !self.in_errors;
            self.in_errors = true;
            Line::Unreadable { row, first }
        } else {
            self.rank += 1;
            Line::Ranked {
                rank: self.rank,
                row,
                fit: self.pot.as_mut().map(|p| p.next(row)),
            }
        }
    }

    /// Whether some row could not be read.
    pub(crate) fn had_errors(&self) -> bool {
        self.in_errors
    }
}

/// A summary being written, one row at a time in ranked order.
pub(crate) trait Summary<W: Write>: Sized {
    /// Writes the next row.
    fn row(&mut self, row: &Row) -> io::Result<()>;
    /// Writes what follows the rows and gives back the output.
    fn finish(self) -> io::Result<W>;
}

/// `summary.csv`: a header, then one row per bid (every column a panel can sort by). Columns
/// newer than `error` come after it, so scripts that read the first ones keep working.
pub(crate) struct SummaryCsv<'c, W: Write> {
    c: &'c Checklist,
    csv: CsvWriter<W>,
    /// With a budget: the running total and whether the bid is within the pot, last.
    budget: bool,
    ranking: Ranking,
}

impl<'c, W: Write> SummaryCsv<'c, W> {
    pub(crate) fn new(c: &'c Checklist, pot: Option<Pot>, out: W) -> io::Result<Self> {
        let cfg = &c.config;
        let mut header = vec![
            "rank".to_string(),
            "id".into(),
            "title".into(),
            "outcome".into(),
            "total".into(),
        ];
        for i in cfg.indicators.iter().filter(|i| i.core) {
            header.push(format!("{}_score", i.id));
            header.push(format!("{}_band", i.id));
        }
        for th in &cfg.themes {
            header.push(format!("{}_band", th.id));
        }
        header.push("complete".into());
        header.push("error".into());
        for h in [
            "applicant",
            "amount_requested",
            "met",
            "not_met",
            "not_stated",
            "verified_share",
            "contradictions",
        ] {
            header.push(h.into());
        }
        if pot.is_some() {
            header.push("running_total".into());
            header.push("within_budget".into());
        }
        let names: Vec<&str> = header.iter().map(String::as_str).collect();
        Ok(SummaryCsv {
            c,
            csv: CsvWriter::new(out, &names)?,
            budget: pot.is_some(),
            ranking: Ranking::with(pot),
        })
    }
}

impl<W: Write> Summary<W> for SummaryCsv<'_, W> {
    fn row(&mut self, r: &Row) -> io::Result<()> {
        let line = self.ranking.line(r);
        let (rank, fit) = match line {
            Line::Ranked { rank, fit, .. } => (Cell::Count(rank), fit),
            Line::Unreadable { .. } => (Cell::Empty, None),
        };
        let mut cells = vec![rank];
        cells.extend([
            Cell::Text(&r.id),
            Cell::Text(&r.title),
            Cell::Text(&r.outcome),
        ]);
        let unread = r.is_unreadable();
        if unread {
            // Total, a score and a band per core indicator, a band per theme.
            let core = self.c.config.indicators.iter().filter(|i| i.core).count();
            let blank = 1 + 2 * core + self.c.config.themes.len();
            cells.resize(cells.len() + blank, Cell::Empty);
        } else {
            cells.push(Cell::Score(r.total));
            for (s, b) in &r.indicators {
                cells.extend([Cell::Score(*s), Cell::Text(b)]);
            }
            cells.extend(r.themes.iter().map(|b| Cell::Text(b)));
        }
        cells.extend([Cell::Flag(r.complete), Cell::Text(&r.error)]);
        cells.push(Cell::Text(&r.applicant));
        cells.push(r.amount.map_or(Cell::Empty, Cell::Score));
        if unread {
            cells.extend([Cell::Empty, Cell::Empty, Cell::Empty]);
        } else {
            cells.extend([
                Cell::Count(r.met),
                Cell::Count(r.not_met),
                Cell::Count(r.not_stated),
            ]);
        }
        cells.push(r.verified.map_or(Cell::Empty, Cell::Score));
        cells.push(if unread {
            Cell::Empty
        } else {
            Cell::Count(r.contradictions)
        });
        if self.budget {
            cells.push(fit.and_then(Fit::total).map_or(Cell::Empty, Cell::Score));
            cells.push(Cell::Text(fit.map_or("", Fit::label)));
        }
        self.csv.row(&cells)
    }

    fn finish(self) -> io::Result<W> {
        self.csv.finish()
    }
}

/// An amount of money as the summaries show it: `£12,500` (pence when there are any).
pub(crate) fn money(x: f64, currency: &str) -> String {
    let pence = (x * 100.0).round() as i64;
    let (whole, part) = (pence / 100, pence % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let symbol = match currency {
        "GBP" | "" => "£",
        "EUR" => "€",
        "USD" => "$",
        _ => "",
    };
    if part == 0 {
        format!("{symbol}{grouped}")
    } else {
        format!("{symbol}{grouped}.{part:02}")
    }
}

/// `summary.md`: the ranking as a Markdown table, then the bids that could not be read.
pub(crate) struct SummaryMarkdown<'c, W: Write> {
    c: &'c Checklist,
    out: W,
    counts: Counts,
    ranking: Ranking,
}

impl<'c, W: Write> SummaryMarkdown<'c, W> {
    pub(crate) fn new(
        c: &'c Checklist,
        counts: Counts,
        pot: Option<Pot>,
        mut out: W,
    ) -> io::Result<Self> {
        use crate::render::md;
        let core: Vec<&str> = c
            .config
            .indicators
            .iter()
            .filter(|i| i.core)
            .map(|i| i.id.as_str())
            .collect();
        let budget = pot.as_ref().map_or(String::new(), |p| {
            format!(" A pot of {}: the running total adds up what the bids that would be funded ask for, in rank order.", money(p.amount, ""))
        });
        let (bh, bs) = if pot.is_some() {
            (" Running total | Within the pot |", " ---: | --- |")
        } else {
            ("", "")
        };
        write!(
            out,
            "# Screening summary\n\nChecklist {} {} (`{}`), {}. {} bids ranked by outcome, then total.{budget}\n\n\
             | Rank | Id | Title | Applicant | Amount | Outcome | Total | {} | Met | Not met | Not stated | Verified | Contradictions | Complete |{bh}\n\
             | ---: | --- | --- | --- | ---: | --- | ---: |{} ---: | ---: | ---: | ---: | ---: | --- |{bs}\n",
            md(c.name()),
            md(c.version()),
            c.hash(),
            crate::ENGINE,
            counts.ranked,
            core.join(" | "),
            " --- |".repeat(core.len())
        )?;
        Ok(SummaryMarkdown {
            c,
            out,
            counts,
            ranking: Ranking::with(pot),
        })
    }
}

impl<W: Write> Summary<W> for SummaryMarkdown<'_, W> {
    fn row(&mut self, r: &Row) -> io::Result<()> {
        use crate::render::md;
        match self.ranking.line(r) {
            Line::Unreadable { row, first } => {
                if first {
                    let errors = self.counts.unreadable;
                    write!(self.out, "\n## Bids that could not be read ({errors})\n\n")?;
                }
                writeln!(self.out, "- {}", md(&row.error))
            }
            Line::Ranked { rank, row, fit } => {
                let bands: Vec<&str> = row.indicators.iter().map(|(_, b)| b.as_str()).collect();
                let budget = match fit {
                    None => String::new(),
                    Some(f) => format!(
                        " {} | {} |",
                        f.total().map_or(String::new(), |t| money(t, &row.currency)),
                        if matches!(f, Fit::RunsOut(_)) {
                            "**no: the pot runs out here**"
                        } else {
                            f.label()
                        }
                    ),
                };
                writeln!(
                    self.out,
                    "| {rank} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |{budget}",
                    md(&row.id),
                    md(&row.title),
                    md(&row.applicant),
                    row.amount
                        .map_or(String::new(), |a| money(a, &row.currency)),
                    self.c.config.screening.label(&row.outcome),
                    crate::render::signed(row.total),
                    bands.join(" | "),
                    row.met,
                    row.not_met,
                    row.not_stated,
                    row.verified.map_or(String::new(), percent),
                    row.contradictions,
                    if row.complete { "yes" } else { "**no**" }
                )
            }
        }
    }

    fn finish(self) -> io::Result<W> {
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_grouped_in_thousands() {
        assert_eq!(money(12500.0, "GBP"), "£12,500");
        assert_eq!(money(999.5, ""), "£999.50");
        assert_eq!(money(1_234_567.0, "EUR"), "€1,234,567");
        assert_eq!(money(0.0, "GBP"), "£0");
    }
}
