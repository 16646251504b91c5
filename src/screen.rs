//! Screening a funding round: every bid from every input appraised in parallel, streamed to
//! `appraisals.jsonl` in input order, ranked into `summary.csv`, `summary.md`, `summary.html`,
//! `summary.xlsx` and `questions.csv`, with `errors.csv` for bids that could not be read and,
//! with `--reports`, one page per bid in `reports/`. Memory holds one chunk of bids and one
//! small ranking key per bid; the rows the summaries show wait in a temporary file. Every file
//! is written under a temporary name and renamed into place at the end. What the summaries say
//! is `render`'s: this module streams, ranks and owns the files.

use crate::atomic_file::AtomicFile;
use crate::batch::{Item, ReadOptions, read_input_with};
use crate::checklist::Checklist;
use crate::diagnostic::Diagnostic;
use crate::limits::Limits;
use crate::proposal::io_reason;
use crate::render::csv::{Cell, CsvWriter};
use crate::render::questions::QuestionsCsv;
use crate::render::summary::{
    Counts, Fit, Pot, Ranking, Row, Summary, SummaryCsv, SummaryMarkdown, UNREAD,
};
use crate::render::summary_html::SummaryHtml;
use crate::render::xlsx::SummaryXlsx;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Bids appraised together; bounds memory whatever the size of the round.
const CHUNK: usize = 4096;
/// Bids appraised together when each one's report is written too (a page is tens of kilobytes).
const REPORT_CHUNK: usize = 256;

/// How a round is screened beyond its inputs.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScreenOptions<'a> {
    /// How the inputs are read: a mapping for a funder's export, an Excel sheet.
    pub read: ReadOptions<'a>,
    /// The pot: the summaries keep a running total of what the bids that would be funded ask
    /// for, in rank order, and mark where it runs out.
    pub budget: Option<f64>,
    /// Writes one self-contained HTML report per bid in `reports/`, linked from
    /// `summary.html`.
    pub reports: bool,
}

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

    /// What the pot covers: the rows read in ranked order against it.
    fn tally(&self, pot: Pot) -> Result<BudgetReport, ScreenError> {
        let mut b = BudgetReport {
            pot: pot.amount,
            ..BudgetReport::default()
        };
        let mut ranking = Ranking::with(Some(pot));
        self.for_each(|r| {
            if let crate::render::summary::Line::Ranked { fit: Some(fit), .. } = ranking.line(&r) {
                let asked = r.amount.unwrap_or(0.0);
                match fit {
                    Fit::Within(t) => (b.within, b.spent) = (b.within + 1, t),
                    Fit::RunsOut(_) | Fit::Beyond(_) => {
                        (b.beyond, b.unfunded) = (b.beyond + 1, b.unfunded + asked)
                    }
                    Fit::NotFunded => {}
                }
            }
            Ok(())
        })?;
        Ok(b)
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
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScreenReport {
    /// Bids appraised.
    pub appraised: usize,
    /// Of those, appraisals that are incomplete (a rule failed).
    pub incomplete: usize,
    /// Bids that could not be read.
    pub errors: usize,
    /// With a budget: what the pot covers.
    pub budget: Option<BudgetReport>,
}

/// What a pot covers, in rank order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BudgetReport {
    /// The pot.
    pub pot: f64,
    /// Bids funded within it, and what they ask for together.
    pub within: usize,
    pub spent: f64,
    /// Bids that would be funded but come after the pot runs out, and what they ask for.
    pub beyond: usize,
    pub unfunded: f64,
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
    screen_with(checklist, inputs, out, events, &ScreenOptions::default())
}

/// [`screen`], with a mapping, a budget or the bids' own reports.
pub fn screen_with(
    checklist: &Checklist,
    inputs: &[PathBuf],
    out: &Path,
    events: &dyn ScreenEvents,
    options: &ScreenOptions<'_>,
) -> Result<ScreenReport, ScreenError> {
    std::fs::create_dir_all(out).map_err(|e| ScreenError::Folder {
        folder: out.to_path_buf(),
        reason: io_reason(&e),
    })?;
    if options.reports {
        let dir = out.join("reports");
        std::fs::create_dir_all(&dir).map_err(|e| ScreenError::Folder {
            folder: dir,
            reason: io_reason(&e),
        })?;
    }
    let mut jsonl = create(out, "appraisals.jsonl")?;
    let mut errors_csv = create(out, "errors.csv")?;
    let (rows, mut report) = run(
        checklist,
        inputs,
        &mut jsonl,
        &mut errors_csv,
        events,
        options,
    )?;
    let counts = rows.counts();
    let pot = || options.budget.map(|b| Pot::new(checklist, b));
    report.budget = match pot() {
        Some(p) => Some(rows.tally(p)?),
        None => None,
    };
    let summaries = [
        rows.summary(out, "summary.csv", |f| SummaryCsv::new(checklist, pot(), f))?,
        rows.summary(out, "summary.md", |f| {
            SummaryMarkdown::new(checklist, counts, pot(), f)
        })?,
        rows.summary(out, "summary.html", |f| {
            SummaryHtml::new(checklist, counts, pot(), f)
        })?,
        rows.summary(out, "summary.xlsx", |f| {
            SummaryXlsx::new(checklist, counts, pot(), out, f)
        })?,
        rows.summary(out, "questions.csv", |f| QuestionsCsv::new(checklist, f))?,
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
    /// Where each bid's report goes (`--reports`), and the names given so far.
    reports: Option<Reports>,
}

/// The bids' own reports: `reports/<id>.html`, each name once.
struct Reports {
    dir: PathBuf,
    used: std::collections::HashSet<String>,
}

impl Reports {
    /// A file name for the bid `id`: its id with anything but letters, digits, `.`, `-` and `_`
    /// replaced, `_` after a name Windows keeps for a device, made unique (in any case, as
    /// Windows and macOS compare names). The name always ends `.html`, never in a dot or space.
    fn name(&mut self, id: &str, order: usize) -> String {
        let mut base: String = id
            .chars()
            .take(80)
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if base.is_empty() || base.starts_with('.') {
            base = format!("bid-{}", order + 1);
        }
        let device = base.find('.').unwrap_or(base.len());
        if base.get(..device).is_some_and(windows_device) {
            base.insert(device, '_');
        }
        let mut name = format!("{base}.html");
        let mut n = 2;
        while !self.used.insert(name.to_lowercase()) {
            name = format!("{base}-{n}.html");
            n += 1;
        }
        name
    }
}

/// Whether `name` (a file's name before its first dot) is one Windows keeps for a device, in any
/// case: a file so named, whatever its extension (`CON.html`, `aux.2026.html`), cannot be opened.
fn windows_device(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let numbered = ["com", "lpt"].iter().any(|d| {
        name.strip_prefix(d)
            .is_some_and(|n| n.len() == 1 && n.bytes().all(|b| b.is_ascii_digit()))
    });
    numbered || matches!(name.as_str(), "con" | "prn" | "aux" | "nul")
}

/// What a chunk's work gives for one item: the appraisal as a line of JSON, its row, and its
/// page when reports are written.
type Done = (Item, Option<(String, Row, Option<String>)>);

impl<W: Write> Round<'_, W> {
    /// Resolves and appraises a chunk of items in parallel (progress reported as each is done),
    /// then writes them in input order.
    fn flush(&mut self, items: Vec<Item>) -> Result<(), ScreenError> {
        let (checklist, first, events) = (self.checklist, self.order, self.events);
        let pages = self.reports.is_some();
        let done_so_far = AtomicU64::new(first as u64);
        let chunk: Vec<(usize, Item)> = items.into_iter().enumerate().collect();
        let done: Vec<Done> = crate::appraise::each(chunk, |on, (i, item)| {
            let item = item.resolve(checklist.schema(), &Limits::default());
            let out = item.bid.as_ref().ok().map(|p| {
                let mut a = on.appraise(checklist, p);
                a.provenance.mapping.clone_from(&item.mapping);
                let page = pages.then(|| crate::render::html(std::slice::from_ref(&a), checklist));
                let row = Row::appraised(checklist, first + i, &a, &p.doc);
                (crate::render::json(&a), row, page)
            });
            events.progress(done_so_far.fetch_add(1, Ordering::Relaxed) + 1);
            (item, out)
        });
        for (item, out) in done {
            for w in &item.warnings {
                self.events.warning(w);
            }
            match (out, &item.bid) {
                (Some((line, mut row, page)), _) => {
                    if let Some(page) = page {
                        row.report = Some(self.report(&row.id, &page)?);
                    }
                    self.appraised(&line, &row)?;
                }
                (None, Err(e)) => self.unreadable(&item, e)?,
                (None, Ok(_)) => {}
            }
            self.order += 1;
        }
        self.events.progress(self.order as u64);
        Ok(())
    }

    /// Writes a bid's report; its path from the summary.
    fn report(&mut self, id: &str, page: &str) -> Result<String, ScreenError> {
        let Some(r) = self.reports.as_mut() else {
            return Ok(String::new());
        };
        let name = r.name(id, self.order);
        let mut file = create(&r.dir, &name)?;
        file.write_all(page.as_bytes())
            .map_err(write_error("a bid's report"))?;
        commit(file)?;
        Ok(format!("reports/{name}"))
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

    /// A bid that could not be read: a line of `errors.csv` (its line and id when known), and a
    /// row ranked last.
    fn unreadable(&mut self, item: &Item, e: &crate::batch::ItemError) -> Result<(), ScreenError> {
        self.report.errors += 1;
        let id = e.id.clone().unwrap_or_default();
        let line = item
            .line
            .or_else(|| e.diagnostics.iter().find_map(|d| d.line));
        self.errors
            .row(&[
                Cell::Text(&item.source),
                line.map_or(Cell::Empty, Cell::Count),
                Cell::Text(&id),
                Cell::Text(&e.message),
            ])
            .map_err(write_error("the results"))?;
        let error = match line {
            Some(l) => format!("{}:{l}: {}", item.source, e.message),
            None => format!("{}: {}", item.source, e.message),
        };
        let mut row = Row::unreadable(self.order, id, error);
        row.source.clone_from(&item.source);
        row.line = line;
        self.rows.push(&row)
    }
}

fn run(
    checklist: &Checklist,
    inputs: &[PathBuf],
    jsonl: &mut AtomicFile,
    errors_csv: &mut AtomicFile,
    events: &dyn ScreenEvents,
    options: &ScreenOptions<'_>,
) -> Result<(RowStore, ScreenReport), ScreenError> {
    let limits = Limits::default();
    let write_err = write_error("the results");
    let errors =
        CsvWriter::new(errors_csv, &["source", "line", "id", "message"]).map_err(write_err)?;
    let dir = jsonl
        .dest()
        .parent()
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let rows = RowStore::new(&dir)?;
    let mut round = Round {
        checklist,
        jsonl,
        errors,
        events,
        rows,
        report: ScreenReport::default(),
        order: 0,
        reports: options.reports.then(|| Reports {
            dir: dir.join("reports"),
            used: std::collections::HashSet::new(),
        }),
    };
    let size = if options.reports { REPORT_CHUNK } else { CHUNK };
    let mut chunk: Vec<Item> = Vec::with_capacity(size);
    let mut failure: Option<ScreenError> = None;
    for input in inputs {
        read_input_with(
            input,
            checklist.schema(),
            &limits,
            &options.read,
            &mut |item| {
                chunk.push(item);
                if chunk.len() >= size
                    && let Err(e) = round.flush(std::mem::take(&mut chunk))
                {
                    failure = Some(e);
                    return false;
                }
                true
            },
        );
        if let Some(e) = failure.take() {
            return Err(e);
        }
    }
    round.flush(chunk)?;
    round.errors.finish().map_err(write_err)?;
    round.rows.rank()?;
    Ok((round.rows, round.report))
}
