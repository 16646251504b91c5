//! `summary.xlsx`: the round as the workbook a panel opens. Sheets: **Ranking** (one row per
//! bid, ranked; numbers as numbers, the outcome and each core indicator's band coloured, a
//! frozen header with filters, and with a budget the running total and where the pot runs
//! out), **Questions** (per bid, the questions to send the applicant), **Unreadable** (the bids
//! that could not be read, with where and why) and **Key** (each indicator's code and name,
//! each outcome, the checklist that made them).
//!
//! Text from a bid is always written as a text cell, never a formula (a title starting `=` is
//! text in the workbook), its control characters shown escaped as in the CSV files (`\x1b`,
//! `\r`; a line break and a tab kept), and cut at a character boundary below a cell's limit of 32,767
//! UTF-16 units, with `…` where cut. Rows are written through to temporary files as they come
//! (rust_xlsxwriter's constant-memory mode), so a round of any size is never held whole.

use super::summary::{Counts, Fit, Line, Pot, Ranking, Row, Summary};
use crate::checklist::Checklist;
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, Worksheet, XlsxError};
use std::io::{self, Write};
use std::path::Path;

/// The most UTF-16 units a cell holds.
const CELL_LIMIT: usize = 32_767;

const GREEN: u32 = 0xD7EEDB;
const RED: u32 = 0xF6D9D6;
const AMBER: u32 = 0xFCEFC7;

/// Text from a bid as a text cell: control characters shown escaped as in the CSV files
/// ([`crate::shown::escape_in_cell`]: a line break or a tab kept), then cut to fit the cell
/// (whole characters, `…` where cut).
pub(crate) fn fit_cell(text: &str) -> std::borrow::Cow<'_, str> {
    let text = crate::shown::escape_in_cell(text);
    if text.encode_utf16().count() <= CELL_LIMIT {
        return text;
    }
    let mut units = 0;
    let mut out = String::new();
    for ch in text.chars() {
        units += ch.len_utf16();
        if units > CELL_LIMIT - 1 {
            break;
        }
        out.push(ch);
    }
    out.push('…');
    out.into()
}

fn err(e: XlsxError) -> io::Error {
    io::Error::other(e.to_string())
}

/// The formats the workbook uses.
struct Formats {
    header: Format,
    wrap: Format,
    money: Format,
    score: Format,
    share: Format,
    pos: Format,
    neg: Format,
    best: Format,
    funded: Format,
    worst: Format,
    between: Format,
    pot_out: Format,
}

impl Formats {
    fn new() -> Formats {
        let fill = |c: u32| Format::new().set_background_color(Color::RGB(c));
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_background_color(Color::RGB(0xF3F3F3)),
            wrap: Format::new().set_text_wrap(),
            money: Format::new().set_num_format("#,##0.00"),
            score: Format::new().set_num_format("0.00"),
            share: Format::new().set_num_format("0%"),
            pos: fill(GREEN).set_num_format("0.00"),
            neg: fill(RED).set_num_format("0.00"),
            best: fill(GREEN).set_bold(),
            funded: fill(GREEN),
            worst: fill(RED),
            between: fill(AMBER),
            pot_out: Format::new()
                .set_bold()
                .set_font_color(Color::RGB(0xB3261E))
                .set_border_top(FormatBorder::Thick),
        }
    }
}

/// `summary.xlsx`, being written.
pub(crate) struct SummaryXlsx<'c, W: Write> {
    c: &'c Checklist,
    out: W,
    book: Workbook,
    f: Formats,
    ranking: Ranking,
    /// Which outcomes are funded (for colours), budget or not.
    funded: Vec<String>,
    budget: bool,
    /// Rows written so far on the ranking, questions and unreadable sheets.
    rows: [u32; 3],
    columns: u16,
}

/// The sheets, by index.
const RANKING: usize = 0;
const QUESTIONS: usize = 1;
const UNREADABLE: usize = 2;

impl<'c, W: Write + Send> SummaryXlsx<'c, W> {
    /// Starts the workbook; its sheets' rows go to temporary files in `tmp`.
    pub(crate) fn new(
        c: &'c Checklist,
        counts: Counts,
        pot: Option<Pot>,
        tmp: &Path,
        out: W,
    ) -> io::Result<Self> {
        let mut book = Workbook::new();
        book.set_tempdir(tmp).map_err(err)?;
        for name in ["Ranking", "Questions", "Unreadable"] {
            book.add_worksheet_with_constant_memory()
                .map_err(err)?
                .set_name(name)
                .map_err(err)?;
        }
        let f = Formats::new();
        let mut x = SummaryXlsx {
            c,
            out,
            book,
            f,
            funded: Pot::new(c, 0.0).funded,
            budget: pot.is_some(),
            ranking: Ranking::with(pot),
            rows: [1, 1, 1],
            columns: 0,
        };
        x.headers().map_err(err)?;
        x.key(counts).map_err(err)?;
        Ok(x)
    }

    fn sheet(&mut self, i: usize) -> Result<&mut Worksheet, XlsxError> {
        self.book.worksheet_from_index(i)
    }

    fn headers(&mut self) -> Result<(), XlsxError> {
        let cfg = &self.c.config;
        let mut ranking: Vec<(String, f64)> = vec![
            ("Rank".into(), 6.0),
            ("Id".into(), 12.0),
            ("Title".into(), 40.0),
            ("Applicant".into(), 28.0),
            ("Amount requested".into(), 14.0),
            ("Outcome".into(), 22.0),
            ("Total".into(), 9.0),
        ];
        for i in cfg.indicators.iter().filter(|i| i.core) {
            let short = i.short.as_deref().unwrap_or(&i.name);
            ranking.push((format!("{} {short}: score", i.id), 12.0));
            ranking.push((format!("{} {short}: band", i.id), 16.0));
        }
        for t in &cfg.themes {
            ranking.push((format!("{}: band", t.name), 16.0));
        }
        for h in [
            "Met",
            "Not met",
            "Not stated",
            "Verified",
            "Contradictions",
            "Complete",
        ] {
            ranking.push((h.into(), 9.0));
        }
        if self.budget {
            ranking.push(("Running total of the funded".into(), 16.0));
            ranking.push(("Within the pot".into(), 22.0));
        }
        ranking.push(("Error".into(), 40.0));
        self.columns = ranking.len() as u16;
        let questions: Vec<(String, f64)> = [
            ("Rank", 6.0),
            ("Id", 12.0),
            ("Title", 40.0),
            ("Applicant", 28.0),
            ("Outcome", 22.0),
            ("Questions", 10.0),
            ("Questions to send", 100.0),
        ]
        .iter()
        .map(|(h, w)| ((*h).to_string(), *w))
        .collect();
        let unreadable: Vec<(String, f64)> = [
            ("Source", 30.0),
            ("Line", 8.0),
            ("Id", 14.0),
            ("Why it could not be read", 100.0),
        ]
        .iter()
        .map(|(h, w)| ((*h).to_string(), *w))
        .collect();
        let header = self.f.header.clone();
        for (i, cols) in [ranking, questions, unreadable].into_iter().enumerate() {
            let ws = self.sheet(i)?;
            for (c, (h, w)) in cols.iter().enumerate() {
                ws.set_column_width(c as u16, *w)?;
                ws.write_string_with_format(0, c as u16, h, &header)?;
            }
            ws.set_freeze_panes(1, 0)?;
        }
        Ok(())
    }

    /// The key: the checklist, each indicator's code and name, each outcome.
    fn key(&mut self, counts: Counts) -> Result<(), XlsxError> {
        let c = self.c;
        let header = self.f.header.clone();
        let ws = self.book.add_worksheet().set_name("Key")?;
        ws.set_column_width(0, 22)?;
        ws.set_column_width(1, 70)?;
        let mut r = 0;
        let mut put = |ws: &mut Worksheet, a: &str, b: &str, bold: bool| -> Result<(), XlsxError> {
            if bold {
                ws.write_string_with_format(r, 0, a, &header)?;
                ws.write_string_with_format(r, 1, b, &header)?;
            } else {
                ws.write_string(r, 0, a)?;
                ws.write_string(r, 1, b)?;
            }
            r += 1;
            Ok(())
        };
        put(
            ws,
            "Checklist",
            &format!("{} {} ({})", c.name(), c.version(), c.hash()),
            false,
        )?;
        put(ws, "Engine", crate::ENGINE, false)?;
        put(
            ws,
            "Bids",
            &format!(
                "{} ranked, {} could not be read",
                counts.ranked, counts.unreadable
            ),
            false,
        )?;
        put(ws, "Indicator", "Name", true)?;
        for i in &c.config.indicators {
            put(ws, &i.id, &i.name, false)?;
        }
        put(ws, "Outcome", "Label", true)?;
        for o in &c.config.screening.outcomes {
            put(ws, &o.id, &o.label, false)?;
        }
        Ok(())
    }

    /// A bid's outcome colour: the best, funded, the worst, or between.
    fn outcome_format(&self, outcome: &str) -> &Format {
        let outcomes = &self.c.config.screening.outcomes;
        match outcomes.iter().position(|o| o.id == outcome) {
            Some(0) => &self.f.best,
            Some(i) if i + 1 == outcomes.len() => &self.f.worst,
            _ if self.funded.iter().any(|f| f == outcome) => &self.f.funded,
            _ => &self.f.between,
        }
    }

    fn ranked(&mut self, rank: usize, r: &Row, fit: Option<Fit>) -> Result<(), XlsxError> {
        let row = self.rows[RANKING];
        self.rows[RANKING] += 1;
        let c = self.c;
        let (f, label) = (
            self.outcome_format(&r.outcome).clone(),
            c.config.screening.label(&r.outcome).to_string(),
        );
        let (pos, neg, score, money) = (
            self.f.pos.clone(),
            self.f.neg.clone(),
            self.f.score.clone(),
            self.f.money.clone(),
        );
        let (pot_out, share) = (self.f.pot_out.clone(), self.f.share.clone());
        let budget = self.budget;
        let ws = self.sheet(RANKING)?;
        ws.write_number(row, 0, rank as f64)?;
        ws.write_string(row, 1, fit_cell(&r.id))?;
        ws.write_string(row, 2, fit_cell(&r.title))?;
        ws.write_string(row, 3, fit_cell(&r.applicant))?;
        if let Some(a) = r.amount {
            ws.write_number_with_format(row, 4, a, &money)?;
        }
        ws.write_string_with_format(row, 5, &label, &f)?;
        ws.write_number_with_format(row, 6, r.total, &score)?;
        let mut col = 7u16;
        for (s, band) in &r.indicators {
            let tone = match crate::render::tone(c, band) {
                "pos" => &pos,
                "neg" => &neg,
                _ => &score,
            };
            ws.write_number_with_format(row, col, *s, tone)?;
            ws.write_string_with_format(row, col + 1, crate::render::band_label(c, band), tone)?;
            col += 2;
        }
        for band in &r.themes {
            ws.write_string(row, col, crate::render::band_label(c, band))?;
            col += 1;
        }
        for n in [r.met, r.not_met, r.not_stated] {
            ws.write_number(row, col, n as f64)?;
            col += 1;
        }
        if let Some(v) = r.verified {
            ws.write_number_with_format(row, col, v, &share)?;
        }
        col += 1;
        ws.write_number(row, col, r.contradictions as f64)?;
        col += 1;
        ws.write_boolean(row, col, r.complete)?;
        col += 1;
        if budget {
            if let Some(t) = fit.and_then(Fit::total) {
                ws.write_number_with_format(row, col, t, &money)?;
            }
            let text = fit.map_or("", Fit::label);
            if matches!(fit, Some(Fit::RunsOut(_))) {
                ws.write_string_with_format(row, col + 1, text, &pot_out)?;
            } else {
                ws.write_string(row, col + 1, text)?;
            }
            col += 2;
        }
        if !r.error.is_empty() {
            ws.write_string(row, col, fit_cell(&r.error))?;
        }
        self.questions(rank, r, &label)
    }

    fn questions(&mut self, rank: usize, r: &Row, label: &str) -> Result<(), XlsxError> {
        if r.questions.is_empty() {
            return Ok(());
        }
        let row = self.rows[QUESTIONS];
        self.rows[QUESTIONS] += 1;
        let wrap = self.f.wrap.clone();
        let text = super::questions::numbered(&r.questions);
        let ws = self.sheet(QUESTIONS)?;
        ws.write_number(row, 0, rank as f64)?;
        ws.write_string(row, 1, fit_cell(&r.id))?;
        ws.write_string(row, 2, fit_cell(&r.title))?;
        ws.write_string(row, 3, fit_cell(&r.applicant))?;
        ws.write_string(row, 4, label)?;
        ws.write_number(row, 5, r.questions.len() as f64)?;
        ws.write_string_with_format(row, 6, fit_cell(&text), &wrap)?;
        Ok(())
    }

    fn unreadable(&mut self, r: &Row) -> Result<(), XlsxError> {
        let row = self.rows[UNREADABLE];
        self.rows[UNREADABLE] += 1;
        let ws = self.sheet(UNREADABLE)?;
        ws.write_string(row, 0, fit_cell(&r.source))?;
        if let Some(l) = r.line {
            ws.write_number(row, 1, l as f64)?;
        }
        ws.write_string(row, 2, fit_cell(&r.id))?;
        ws.write_string(row, 3, fit_cell(&r.error))?;
        Ok(())
    }
}

impl<W: Write + Send> Summary<W> for SummaryXlsx<'_, W> {
    fn row(&mut self, r: &Row) -> io::Result<()> {
        match self.ranking.line(r) {
            Line::Ranked { rank, row, fit } => self.ranked(rank, row, fit),
            Line::Unreadable { row, .. } => self.unreadable(row),
        }
        .map_err(err)
    }

    fn finish(mut self) -> io::Result<W> {
        let widths = [self.columns.saturating_sub(1), 6, 3];
        let rows = self.rows;
        for (i, (last_col, n)) in widths.into_iter().zip(rows).enumerate() {
            let last = n.saturating_sub(1);
            self.sheet(i)
                .and_then(|ws| ws.autofilter(0, 0, last, last_col).map(|_| ()))
                .map_err(err)?;
        }
        self.book.save_to_writer(&mut self.out).map_err(err)?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_cut_at_a_character_below_the_cell_limit() {
        let long = "é".repeat(40_000);
        let cut = fit_cell(&long);
        assert_eq!(cut.encode_utf16().count(), CELL_LIMIT);
        assert!(cut.ends_with('…'));
        let emoji = "😀".repeat(20_000);
        let cut = fit_cell(&emoji);
        assert!(cut.encode_utf16().count() <= CELL_LIMIT);
        assert_eq!(fit_cell("short"), "short");
    }
}
