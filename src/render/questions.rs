//! `questions.csv`: per bid, the questions to send the applicant — each contradiction found, once,
//! and every other checklist item the bid leaves not stated, with the rule's own ask (the
//! `rules` column names the contradiction's id or the rule) — ready for a mail merge: one row per bid
//! that has questions, in rank order, the questions numbered in one cell. (`summary.xlsx` has
//! the same as its Questions sheet.)

use super::summary::{Line, Ranking, Row, Summary};
use crate::checklist::Checklist;
use crate::render::csv::{Cell, CsvWriter};
use std::io::{self, Write};

/// The questions as one numbered list, a question a line.
pub(crate) fn numbered(questions: &[(String, String)]) -> String {
    questions
        .iter()
        .enumerate()
        .map(|(i, (_, ask))| format!("{}. {ask}", i + 1))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `questions.csv`, being written.
pub(crate) struct QuestionsCsv<'c, W: Write> {
    c: &'c Checklist,
    csv: CsvWriter<W>,
    ranking: Ranking,
}

impl<'c, W: Write> QuestionsCsv<'c, W> {
    pub(crate) fn new(c: &'c Checklist, out: W) -> io::Result<Self> {
        let header = [
            "rank",
            "id",
            "title",
            "applicant",
            "outcome",
            "questions_count",
            "questions",
            "rules",
        ];
        Ok(QuestionsCsv {
            c,
            csv: CsvWriter::new(out, &header)?,
            ranking: Ranking::default(),
        })
    }
}

impl<W: Write> Summary<W> for QuestionsCsv<'_, W> {
    fn row(&mut self, r: &Row) -> io::Result<()> {
        let Line::Ranked { rank, row, .. } = self.ranking.line(r) else {
            return Ok(());
        };
        if row.questions.is_empty() {
            return Ok(());
        }
        let text = numbered(&row.questions);
        let rules: Vec<&str> = row
            .questions
            .iter()
            .map(|(rule, _)| rule.as_str())
            .collect();
        let rules = rules.join(" ");
        self.csv.row(&[
            Cell::Count(rank),
            Cell::Text(&row.id),
            Cell::Text(&row.title),
            Cell::Text(&row.applicant),
            Cell::Text(self.c.config.screening.label(&row.outcome)),
            Cell::Count(row.questions.len()),
            Cell::Text(&text),
            Cell::Text(&rules),
        ])
    }

    fn finish(self) -> io::Result<W> {
        self.csv.finish()
    }
}
