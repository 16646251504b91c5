//! Screening a funding round: every bid from every input appraised in parallel, streamed to
//! `appraisals.jsonl` in input order, ranked into `summary.csv`, `summary.md` and
//! `summary.html`, with `errors.csv` for bids that could not be read. Memory holds one chunk of
//! bids and one small ranking key per bid; the rows the summaries show wait in a temporary file.
//! Every file is written under a temporary name and renamed into place at the end. What the
//! summaries say is `render::summary`'s: this module streams, ranks and owns the files.

use crate::atomic_file::AtomicFile;
use crate::batch::{Item, read_input};
use crate::checklist::Checklist;
use crate::diagnostic::Diagnostic;
use crate::limits::Limits;
use crate::proposal::io_reason;
use crate::render::csv::{Cell, CsvWriter};
use crate::render::summary::{
    Counts, Row, Summary, SummaryCsv, SummaryHtml, SummaryMarkdown, UNREAD,
};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Bids appraised together; bounds memory whatever the size of the round.
const CHUNK: usize = 4096;

/// Why a screening run stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScreenError {
    /// The output folder could not be created.
    #[error("cannot create `{}`: {reason}", .folder.display())]
    Folder { folder: PathBuf, reason: String },
    /// A file could not be started, or not put in its place.
    #[error("cannot write `{}`: {reason}", .path.display())]
    File { path: PathBuf, reason: String },
    /// Writing `what` (the results, or a summary) failed.
    #[error("cannot write {what}: {reason}")]
    Write { what: &'static str, reason: String },
    /// A row could not be encoded for the temporary file.
    #[error("{reason}")]
    Encode { reason: String },
    /// The rows written earlier in the run could not be read back.
    #[error("cannot read back the results: {reason}")]
    ReadBack { reason: String },
}

/// Turns a failed write of `what` into a [`ScreenError`].
fn write_error(what: &'static str) -> impl Fn(std::io::Error) -> ScreenError + Copy {
    move |e| ScreenError::Write {
        what,
        reason: io_reason(&e),
    }
}

/// Starts writing `name` in `out`.
fn create(out: &Path, name: &str) -> Result<AtomicFile, ScreenError> {
    let dest = out.join(name);
    AtomicFile::create(&dest).map_err(|e| ScreenError::File {
        path: crate::atomic_file::temporary(&dest),
        reason: io_reason(&e),
    })
}

/// Puts a finished file in its place.
fn commit(file: AtomicFile) -> Result<(), ScreenError> {
    let path = file.dest().to_path_buf();
    file.commit().map_err(|e| ScreenError::File {
        path,
        reason: io_reason(&e),
    })
}

/// What the ranking needs of a row, and where the row is in the temporary file.
struct Key {
    outcome_rank: usize,
    total: f64,
    id: Box<str>,
    order: usize,
    offset: u64,
    len: u32,
}

/// Rows on disk, keys in memory: only a small [`Key`] per bid stays in memory for the ranking,
/// so memory stays bounded however many bids come in.
struct RowStore {
    file: AtomicFile,
    keys: Vec<Key>,
    offset: u64,
}

impl RowStore {
    fn new(dir: &Path) -> Result<RowStore, ScreenError> {
        Ok(RowStore {
            file: create(dir, "rows")?,
            keys: Vec::new(),
            offset: 0,
        })
    }

    /// How many rows were made.
    fn counts(&self) -> Counts {
        let unreadable = self
            .keys
            .iter()
            .filter(|k| k.outcome_rank == UNREAD)
            .count();
        Counts {
            ranked: self.keys.len() - unreadable,
            unreadable,
        }
    }

    fn push(&mut self, row: &Row) -> Result<(), ScreenError> {
        let line = serde_json::to_string(row).map_err(|e| ScreenError::Encode {
            reason: e.to_string(),
        })?;
        self.file
            .write_all(line.as_bytes())
            .map_err(write_error("the results"))?;
        self.keys.push(Key {
            outcome_rank: row.outcome_rank,
            total: row.total,
            id: row.id.clone().into_boxed_str(),
            order: row.order,
            offset: self.offset,
            len: line.len() as u32,
        });
        self.offset += line.len() as u64;
        Ok(())
    }

    /// Ranked by outcome (policy order), then total (highest first), ties by id; errors last,
    /// in input order.
    fn rank(&mut self) -> Result<(), ScreenError> {
        self.file.flush().map_err(write_error("the results"))?;
        self.keys.sort_by(|a, b| {
            a.outcome_rank
                .cmp(&b.outcome_rank)
                .then_with(|| {
                    if a.outcome_rank == UNREAD {
                        a.order.cmp(&b.order)
                    } else {
                        std::cmp::Ordering::Equal
                    }
                })
                .then_with(|| b.total.total_cmp(&a.total))
                .then_with(|| a.id.cmp(&b.id))
                .then_with(|| a.order.cmp(&b.order))
        });
        Ok(())
    }

    /// Calls `f` with every row in ranked order.
    fn for_each(
        &self,
        mut f: impl FnMut(Row) -> Result<(), ScreenError>,
    ) -> Result<(), ScreenError> {
        use std::io::{Read, Seek, SeekFrom};
        let reason = |e: std::io::Error| ScreenError::ReadBack {
            reason: io_reason(&e),
        };
        let mut file = std::fs::File::open(self.file.tmp()).map_err(reason)?;
        let mut buf = Vec::new();
        for k in &self.keys {
            buf.resize(k.len as usize, 0);
            file.seek(SeekFrom::Start(k.offset)).map_err(reason)?;
            file.read_exact(&mut buf).map_err(reason)?;
            let row: Row = serde_json::from_slice(&buf).map_err(|e| ScreenError::ReadBack {
                reason: e.to_string(),
            })?;
            f(row)?;
        }
        Ok(())
    }

    /// Writes one summary, `name` in `out`, with every row in ranked order.
    fn summary<S: Summary<AtomicFile>>(
        &self,
        out: &Path,
        name: &'static str,
        start: impl FnOnce(AtomicFile) -> std::io::Result<S>,
    ) -> Result<AtomicFile, ScreenError> {
        let err = write_error(name);
        let mut summary = start(create(out, name)?).map_err(err)?;
        self.for_each(|r| summary.row(&r).map_err(err))?;
        summary.finish().map_err(err)
    }
}

/// What happened in a screening run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScreenReport {
    /// Bids appraised.
    pub appraised: usize,
    /// Of those, appraisals that are incomplete (a rule failed).
    pub incomplete: usize,
    /// Bids that could not be read.
    pub errors: usize,
}

/// Where screening reports progress and warnings.
pub trait ScreenEvents: Sync {
    /// `done` bids have been processed so far.
    fn progress(&self, _done: u64) {}
    /// A warning about a bid (such as an unknown field).
    fn warning(&self, _d: &Diagnostic) {}
}

impl ScreenEvents for () {}

/// Screens every bid in `inputs` with `checklist`, writing the results into `out`.
pub fn screen(
    checklist: &Checklist,
    inputs: &[PathBuf],
    out: &Path,
    events: &dyn ScreenEvents,
) -> Result<ScreenReport, ScreenError> {
    std::fs::create_dir_all(out).map_err(|e| ScreenError::Folder {
        folder: out.to_path_buf(),
        reason: io_reason(&e),
    })?;
    let mut jsonl = create(out, "appraisals.jsonl")?;
    let mut errors_csv = create(out, "errors.csv")?;
    let (rows, report) = run(checklist, inputs, &mut jsonl, &mut errors_csv, events)?;
    let counts = rows.counts();
    let summaries = [
        rows.summary(out, "summary.csv", |f| SummaryCsv::new(checklist, f))?,
        rows.summary(out, "summary.md", |f| {
            SummaryMarkdown::new(checklist, counts, f)
        })?,
        rows.summary(out, "summary.html", |f| {
            SummaryHtml::new(checklist, counts, f)
        })?,
    ];
    drop(rows);
    commit(jsonl)?;
    for s in summaries {
        commit(s)?;
    }
    if report.errors > 0 {
        commit(errors_csv)?;
    } else {
        drop(errors_csv);
        // A previous run's errors.csv would now be wrong.
        let _ = std::fs::remove_file(out.join("errors.csv"));
    }
    Ok(report)
}

/// A screening run in progress: where appraisals, errors and rows go, and the count so far.
struct Round<'a, W: Write> {
    checklist: &'a Checklist,
    jsonl: &'a mut AtomicFile,
    errors: CsvWriter<W>,
    events: &'a dyn ScreenEvents,
    rows: RowStore,
    report: ScreenReport,
    /// Items given out so far, in input order.
    order: usize,
}

impl<W: Write> Round<'_, W> {
    /// Resolves and appraises a chunk of items in parallel, then writes them in input order.
    fn flush(&mut self, items: Vec<Item>) -> Result<(), ScreenError> {
        let (checklist, first) = (self.checklist, self.order);
        let chunk: Vec<(usize, Item)> = items.into_iter().enumerate().collect();
        let done: Vec<(Item, Option<(String, Row)>)> =
            crate::appraise::each(chunk, |on, (i, item)| {
                let item = item.resolve(checklist.schema(), &Limits::default());
                let out = item.bid.as_ref().ok().map(|p| {
                    let a = on.appraise(checklist, p);
                    (
                        crate::render::json(&a),
                        Row::appraised(checklist, first + i, &a),
                    )
                });
                (item, out)
            });
        for (item, out) in done {
            for w in &item.warnings {
                self.events.warning(w);
            }
            match (out, &item.bid) {
                (Some((line, row)), _) => self.appraised(&line, &row)?,
                (None, Err(e)) => self.unreadable(&item, e)?,
                (None, Ok(_)) => {}
            }
            self.order += 1;
        }
        self.events.progress(self.order as u64);
        Ok(())
    }

    fn appraised(&mut self, json: &str, row: &Row) -> Result<(), ScreenError> {
        let write_err = write_error("the results");
        self.jsonl.write_all(json.as_bytes()).map_err(write_err)?;
        self.jsonl.write_all(b"\n").map_err(write_err)?;
        self.report.appraised += 1;
        if !row.complete {
            self.report.incomplete += 1;
        }
        self.rows.push(row)
    }

    /// A bid that could not be read: a line of `errors.csv`, and a row ranked last.
    fn unreadable(&mut self, item: &Item, e: &crate::batch::ItemError) -> Result<(), ScreenError> {
        self.report.errors += 1;
        let id = e.id.clone().unwrap_or_default();
        self.errors
            .row(&[
                Cell::Text(&item.source),
                item.line.map_or(Cell::Empty, Cell::Count),
                Cell::Text(&id),
                Cell::Text(&e.message),
            ])
            .map_err(write_error("the results"))?;
        let error = match item.line {
            Some(l) => format!("{}:{l}: {}", item.source, e.message),
            None => format!("{}: {}", item.source, e.message),
        };
        self.rows.push(&Row::unreadable(self.order, id, error))
    }
}

fn run(
    checklist: &Checklist,
    inputs: &[PathBuf],
    jsonl: &mut AtomicFile,
    errors_csv: &mut AtomicFile,
    events: &dyn ScreenEvents,
) -> Result<(RowStore, ScreenReport), ScreenError> {
    let limits = Limits::default();
    let write_err = write_error("the results");
    let errors =
        CsvWriter::new(errors_csv, &["source", "line", "id", "message"]).map_err(write_err)?;
    let rows = RowStore::new(jsonl.dest().parent().unwrap_or(Path::new(".")))?;
    let mut round = Round {
        checklist,
        jsonl,
        errors,
        events,
        rows,
        report: ScreenReport::default(),
        order: 0,
    };
    let mut chunk: Vec<Item> = Vec::with_capacity(CHUNK);
    let mut failure: Option<ScreenError> = None;
    for input in inputs {
        read_input(input, checklist.schema(), &limits, &mut |item| {
            chunk.push(item);
            if chunk.len() >= CHUNK
                && let Err(e) = round.flush(std::mem::take(&mut chunk))
            {
                failure = Some(e);
                return false;
            }
            true
        });
        if let Some(e) = failure.take() {
            return Err(e);
        }
    }
    round.flush(chunk)?;
    round.errors.finish().map_err(write_err)?;
    round.rows.rank()?;
    Ok((round.rows, round.report))
}
