//! The summaries of a screening round: `summary.csv`, `summary.md` and `summary.html`. One row
//! model, [`Row`], is what `screen` keeps of each bid; [`Ranking`] turns rows, read back in
//! ranked order, into the [`Line`]s all three show (a rank, or a bid that could not be read).
//! Each summary is written a line at a time to any `io::Write`, so a round of any size is never
//! held whole; `screen` owns the files.
//!
//! The HTML page is built by hand, with escaping and the report's style sheet, not through the
//! templates.

use crate::appraisal::Appraisal;
use crate::checklist::Checklist;
use crate::render::csv::{Cell, CsvWriter};
use minijinja::HtmlEscape as E;
use std::io::{self, Write};

/// What the summaries show of one bid.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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
    /// Band of each theme, in checklist order.
    pub themes: Vec<String>,
    pub complete: bool,
    pub error: String,
}

/// The outcome rank of a bid that could not be read: after every outcome.
pub(crate) const UNREAD: usize = usize::MAX;

impl Row {
    /// The row of an appraised bid, `order`th in the input.
    pub(crate) fn appraised(c: &Checklist, order: usize, a: &Appraisal) -> Row {
        let cfg = &c.config;
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
            indicators: cfg
                .indicators
                .iter()
                .filter(|i| i.core)
                .map(|i| {
                    a.indicators
                        .get(&i.id)
                        .map(|r| (r.score, r.band.clone()))
                        .unwrap_or((0.0, String::new()))
                })
                .collect(),
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
        }
    }

    /// The row of a bid that could not be read, `order`th in the input: ranked last.
    pub(crate) fn unreadable(order: usize, id: String, error: String) -> Row {
        Row {
            order,
            id,
            title: String::new(),
            outcome: "error".to_string(),
            outcome_rank: UNREAD,
            total: 0.0,
            indicators: Vec::new(),
            themes: Vec::new(),
            complete: false,
            error,
        }
    }

    /// Whether the bid could not be read.
    pub(crate) fn is_unreadable(&self) -> bool {
        self.outcome_rank == UNREAD
    }
}

/// The round as the summaries' headings give it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Counts {
    /// Bids ranked (appraised).
    pub ranked: usize,
    /// Bids that could not be read.
    pub unreadable: usize,
}

/// One row as the summaries show it.
pub(crate) enum Line<'r> {
    /// An appraised bid and its rank, from 1.
    Ranked { rank: usize, row: &'r Row },
    /// A bid that could not be read; `first` for the first of them (the errors' heading).
    Unreadable { row: &'r Row, first: bool },
}

/// Ranks rows as they come, in ranked order.
#[derive(Default)]
pub(crate) struct Ranking {
    rank: usize,
    in_errors: bool,
}

impl Ranking {
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
            }
        }
    }

    /// Whether some row could not be read.
    fn had_errors(&self) -> bool {
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

/// `summary.csv`: a header, then one row per bid (every column a panel can sort by).
pub(crate) struct SummaryCsv<'c, W: Write> {
    c: &'c Checklist,
    csv: CsvWriter<W>,
    ranking: Ranking,
}

impl<'c, W: Write> SummaryCsv<'c, W> {
    pub(crate) fn new(c: &'c Checklist, out: W) -> io::Result<Self> {
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
        let names: Vec<&str> = header.iter().map(String::as_str).collect();
        Ok(SummaryCsv {
            c,
            csv: CsvWriter::new(out, &names)?,
            ranking: Ranking::default(),
        })
    }
}

impl<W: Write> Summary<W> for SummaryCsv<'_, W> {
    fn row(&mut self, r: &Row) -> io::Result<()> {
        let line = self.ranking.line(r);
        let mut cells = vec![match line {
            Line::Ranked { rank, .. } => Cell::Count(rank),
            Line::Unreadable { .. } => Cell::Empty,
        }];
        cells.extend([
            Cell::Text(&r.id),
            Cell::Text(&r.title),
            Cell::Text(&r.outcome),
        ]);
        if r.is_unreadable() {
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
        self.csv.row(&cells)
    }

    fn finish(self) -> io::Result<W> {
        self.csv.finish()
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
    pub(crate) fn new(c: &'c Checklist, counts: Counts, mut out: W) -> io::Result<Self> {
        use crate::render::md;
        let core: Vec<&str> = c
            .config
            .indicators
            .iter()
            .filter(|i| i.core)
            .map(|i| i.id.as_str())
            .collect();
        write!(
            out,
            "# Screening summary\n\nChecklist {} {} (`{}`), {}. {} bids ranked by outcome, then total.\n\n\
             | Rank | Id | Title | Outcome | Total | {} | Complete |\n| ---: | --- | --- | --- | ---: |{} --- |\n",
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
            ranking: Ranking::default(),
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
            Line::Ranked { rank, row } => {
                let bands: Vec<&str> = row.indicators.iter().map(|(_, b)| b.as_str()).collect();
                writeln!(
                    self.out,
                    "| {rank} | {} | {} | {} | {} | {} | {} |",
                    md(&row.id),
                    md(&row.title),
                    self.c.config.screening.label(&row.outcome),
                    crate::render::signed(row.total),
                    bands.join(" | "),
                    if row.complete { "yes" } else { "**no**" }
                )
            }
        }
    }

    fn finish(self) -> io::Result<W> {
        Ok(self.out)
    }
}

/// `summary.html`: the ranking as one self-contained page, each bid's outcome, total and core
/// indicator bands as coloured cells. Bid text is escaped.
pub(crate) struct SummaryHtml<'c, W: Write> {
    c: &'c Checklist,
    out: W,
    counts: Counts,
    ranking: Ranking,
}

impl<'c, W: Write> SummaryHtml<'c, W> {
    pub(crate) fn new(c: &'c Checklist, counts: Counts, mut out: W) -> io::Result<Self> {
        let heads: String = c
            .config
            .indicators
            .iter()
            .filter(|i| i.core)
            .map(|i| format!("<th title=\"{}\">{}</th>", E(&i.name), E(&i.id)))
            .collect();
        write!(
            out,
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>Screening summary</title>\n<style>\nbody {{ margin: 2rem; }}\n\
             .report td.pos {{ background: #d7eedb; }} .report td.neg {{ background: #f6d9d6; }}\n\
             @media print {{ body {{ margin: 0; }} }}\n{}</style>\n</head>\n<body class=\"report\">\n\
             <h1>Screening summary</h1>\n<p class=\"meta\">Checklist {} {} (<code>{}</code>), {}. \
             {} bids ranked by outcome, then total.</p>\n<table>\n<tr><th>Rank</th><th>Id</th>\
             <th>Title</th><th>Outcome</th><th>Total</th>{heads}<th>Complete</th></tr>\n",
            crate::render::REPORT_CSS,
            E(c.name()),
            E(c.version()),
            E(c.hash()),
            crate::ENGINE,
            counts.ranked,
        )?;
        Ok(SummaryHtml {
            c,
            out,
            counts,
            ranking: Ranking::default(),
        })
    }

    /// A core indicator's band as a coloured cell, its score in the tooltip.
    fn band_cell(&self, score: f64, band: &str) -> String {
        format!(
            "<td class=\"{}\" title=\"{}\">{}</td>",
            crate::render::tone(self.c, band),
            crate::render::signed(score),
            E(&crate::render::band_label(self.c, band))
        )
    }
}

impl<W: Write> Summary<W> for SummaryHtml<'_, W> {
    fn row(&mut self, r: &Row) -> io::Result<()> {
        match self.ranking.line(r) {
            Line::Unreadable { row, first } => {
                if first {
                    let errors = self.counts.unreadable;
                    write!(
                        self.out,
                        "</table>\n<h2>Bids that could not be read ({errors})</h2>\n<ul>\n"
                    )?;
                }
                writeln!(self.out, "<li>{}</li>", E(&row.error))
            }
            Line::Ranked { rank, row } => {
                let bands: String = row
                    .indicators
                    .iter()
                    .map(|(score, band)| self.band_cell(*score, band))
                    .collect();
                writeln!(
                    self.out,
                    "<tr><td class=\"num\">{rank}</td><td>{}</td><td>{}</td><td>{}</td>\
                     <td class=\"num\">{}</td>{bands}<td>{}</td></tr>",
                    E(&row.id),
                    E(&row.title),
                    E(self.c.config.screening.label(&row.outcome)),
                    crate::render::signed(row.total),
                    if row.complete {
                        "yes"
                    } else {
                        "<strong>no</strong>"
                    }
                )
            }
        }
    }

    fn finish(mut self) -> io::Result<W> {
        let tail = if self.ranking.had_errors() {
            "</ul>"
        } else {
            "</table>"
        };
        writeln!(self.out, "{tail}\n</body>\n</html>")?;
        Ok(self.out)
    }
}
