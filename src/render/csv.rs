//! The one CSV writer: every CSV file the tool writes (`summary.csv`, `errors.csv`) goes through
//! it. UTF-8 with a byte-order mark, so a spreadsheet opened by double-click shows "Café" and
//! "£"; quoting by the `csv` crate.
//!
//! Cells are typed: text is anything a bid, a file name or a rule could have supplied, and a
//! text cell that a spreadsheet would read as a formula (it starts with `=`, `+`, `-`, `@`, a
//! tab or a carriage return: OWASP's "CSV injection") is neutralised with a leading `'`. Control
//! characters in text are shown escaped as on a terminal (`\x1b`, `\r`; a line break and a tab
//! stay, inside the cell's quotes), so `cat summary.csv` obeys nothing a bid wrote.
//! Numbers the engine computed are written as numbers, negative ones included, so a panel can
//! sort by them. Which is which is decided by the type, never by guessing from the text.

use std::borrow::Cow;
use std::io::Write;

/// One cell of a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Cell<'a> {
    /// Text, neutralised when a spreadsheet would run it.
    Text(&'a str),
    /// A score or total the engine computed, with two decimals.
    Score(f64),
    /// A count or a position the engine computed (a rank, a line number).
    Count(usize),
    /// `true` or `false`.
    Flag(bool),
    /// Nothing.
    Empty,
}

/// The characters that make a spreadsheet read a cell as a formula (OWASP).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Text as a cell a spreadsheet shows as text, and a terminal shows safely: control characters
/// shown escaped as on a terminal (a line break or a tab kept: [`crate::shown::escape_in_cell`]),
/// then a leading `'` when it would start a formula.
pub(crate) fn neutralised(text: &str) -> Cow<'_, str> {
    let text = crate::shown::escape_in_cell(text);
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        text
    }
}

/// A CSV file being written: a byte-order mark, then rows of [`Cell`]s.
pub(crate) struct CsvWriter<W: Write> {
    inner: csv::Writer<W>,
}

impl<W: Write> CsvWriter<W> {
    /// Starts a CSV file on `out` (writing the byte-order mark) with the given header.
    pub(crate) fn new(mut out: W, header: &[&str]) -> std::io::Result<CsvWriter<W>> {
        out.write_all("\u{feff}".as_bytes())?;
        let mut w = CsvWriter {
            inner: csv::WriterBuilder::new().flexible(false).from_writer(out),
        };
        let cells: Vec<Cell<'_>> = header.iter().map(|h| Cell::Text(h)).collect();
        w.row(&cells)?;
        Ok(w)
    }

    /// Writes one row.
    pub(crate) fn row(&mut self, cells: &[Cell<'_>]) -> std::io::Result<()> {
        let fields: Vec<Cow<'_, str>> = cells
            .iter()
            .map(|c| match *c {
                Cell::Text(t) => neutralised(t),
                Cell::Score(x) => format!("{x:.2}").into(),
                Cell::Count(n) => n.to_string().into(),
                Cell::Flag(b) => if b { "true" } else { "false" }.into(),
                Cell::Empty => "".into(),
            })
            .collect();
        self.inner
            .write_record(fields.iter().map(|f| f.as_bytes()))
            .map_err(std::io::Error::other)
    }

    /// Flushes what was written and gives back the output.
    pub(crate) fn finish(self) -> std::io::Result<W> {
        self.inner
            .into_inner()
            .map_err(|e| std::io::Error::other(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(rows: &[&[Cell<'_>]]) -> String {
        let mut w = CsvWriter::new(Vec::new(), &["a", "b", "c"]).unwrap();
        for r in rows {
            w.row(r).unwrap();
        }
        String::from_utf8(w.finish().unwrap()).unwrap()
    }

    #[test]
    fn text_that_would_start_a_formula_or_move_a_terminal_is_neutralised_and_numbers_are_not() {
        let out = written(&[
            &[
                Cell::Text("=HYPERLINK(\"http://x\",\"y\")"),
                Cell::Text("+1"),
                Cell::Text("-2"),
            ],
            &[Cell::Text("@SUM(A1)"), Cell::Text("\tx"), Cell::Text("\rx")],
            &[
                Cell::Text("Hall\u{1b}[2J\u{7}"),
                Cell::Text("Who?\r\nWhen?"),
                Cell::Text("\u{0}=1"),
            ],
            &[Cell::Score(-3.5), Cell::Count(7), Cell::Flag(false)],
            &[Cell::Text("Café, £5"), Cell::Empty, Cell::Text("a=b")],
        ]);
        assert_eq!(
            out,
            "\u{feff}a,b,c\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+1,'-2\n'@SUM(A1),'\tx,\\rx\nHall\\x1b[2J\\x07,\"Who?\nWhen?\",\\x00=1\n-3.50,7,false\n\"Café, £5\",,a=b\n"
        );
    }
}
