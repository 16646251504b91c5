//! Screening a funding round: every bid from every input appraised in parallel, streamed to
//! `appraisals.jsonl` in input order, ranked into `summary.csv`, `summary.md` and
//! `summary.html`, with `errors.csv` for bids that could not be read. Memory holds one chunk of bids and one compact
//! row per bid; every file is written under a temporary name and renamed into place at the end.

use crate::appraisal::Appraisal;
use crate::batch::{Item, read_input};
use crate::checklist::Checklist;
use crate::diagnostic::Diagnostic;
use crate::limits::Limits;
use crate::render::csv::{Cell, CsvWriter};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Bids appraised together; bounds memory whatever the size of the round.
const CHUNK: usize = 4096;

/// What the summaries show of one bid. Rows go to a temporary file as they are made; only a
/// small [`Key`] per bid stays in memory for the ranking, so memory stays bounded however many
/// bids come in.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Row {
    order: usize,
    id: String,
    title: String,
    outcome: String,
    /// Position of the outcome in the screening policy; errors sort last.
    outcome_rank: usize,
    total: f64,
    indicators: Vec<(f64, String)>,
    themes: Vec<String>,
    complete: bool,
    error: String,
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

/// Rows on disk, keys in memory.
/// Turns a failed write of `what` into the message the CLI prints.
fn write_error(what: &str) -> impl Fn(std::io::Error) -> String + Copy + '_ {
    move |e| format!("cannot write {what}: {}", crate::proposal::io_reason(&e))
}

struct RowStore {
    temp: Temp,
    keys: Vec<Key>,
    offset: u64,
}

impl RowStore {
    /// How many of the bids could not be read (their rows rank last, as errors).
    fn unreadable(&self) -> usize {
        self.keys
            .iter()
            .filter(|k| k.outcome_rank == usize::MAX)
            .count()
    }

    fn new(dir: &Path) -> Result<RowStore, String> {
        Ok(RowStore {
            temp: Temp::create(dir, "rows")?,
            keys: Vec::new(),
            offset: 0,
        })
    }

    fn push(&mut self, row: &Row) -> Result<(), String> {
        let line = serde_json::to_string(row).map_err(|e| e.to_string())?;
        self.temp.file.write_all(line.as_bytes()).map_err(|e| {
            format!(
                "cannot write the results: {}",
                crate::proposal::io_reason(&e)
            )
        })?;
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
    fn rank(&mut self) -> Result<(), String> {
        self.temp.file.flush().map_err(|e| {
            format!(
                "cannot write the results: {}",
                crate::proposal::io_reason(&e)
            )
        })?;
        self.keys.sort_by(|a, b| {
            a.outcome_rank
                .cmp(&b.outcome_rank)
                .then_with(|| {
                    if a.outcome_rank == usize::MAX {
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
    fn for_each(&self, mut f: impl FnMut(Row) -> Result<(), String>) -> Result<(), String> {
        use std::io::{Read, Seek, SeekFrom};
        let reason = |e: std::io::Error| {
            format!(
                "cannot read back the results: {}",
                crate::proposal::io_reason(&e)
            )
        };
        let mut file = std::fs::File::open(&self.temp.tmp).map_err(reason)?;
        let mut buf = Vec::new();
        for k in &self.keys {
            buf.resize(k.len as usize, 0);
            file.seek(SeekFrom::Start(k.offset)).map_err(reason)?;
            file.read_exact(&mut buf).map_err(reason)?;
            let row: Row = serde_json::from_slice(&buf)
                .map_err(|e| format!("cannot read back the results: {e}"))?;
            f(row)?;
        }
        Ok(())
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

/// A file written under a temporary name and renamed into place by `commit`; dropped without
/// a commit (an error, or nothing to report), it is removed.
struct Temp {
    tmp: PathBuf,
    dest: PathBuf,
    file: std::io::BufWriter<std::fs::File>,
    committed: bool,
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

impl Temp {
    fn create(dir: &Path, name: &str) -> Result<Temp, String> {
        let dest = dir.join(name);
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let file = std::fs::File::create(&tmp).map_err(|e| {
            format!(
                "cannot write `{}`: {}",
                tmp.display(),
                crate::proposal::io_reason(&e)
            )
        })?;
        Ok(Temp {
            tmp,
            dest,
            file: std::io::BufWriter::with_capacity(1 << 20, file),
            committed: false,
        })
    }

    fn commit(mut self) -> Result<(), String> {
        let reason = |e: std::io::Error| {
            format!(
                "cannot write `{}`: {}",
                self.dest.display(),
                crate::proposal::io_reason(&e)
            )
        };
        self.file.flush().map_err(reason)?;
        self.file.get_ref().sync_all().map_err(reason)?;
        std::fs::rename(&self.tmp, &self.dest).map_err(reason)?;
        self.committed = true;
        Ok(())
    }
}

fn row_of(c: &Checklist, order: usize, a: &Appraisal) -> Row {
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
            .unwrap_or(usize::MAX - 1),
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

/// Screens every bid in `inputs` with `checklist`, writing the results into `out`.
pub fn screen(
    checklist: &Checklist,
    inputs: &[PathBuf],
    out: &Path,
    events: &dyn ScreenEvents,
) -> Result<ScreenReport, String> {
    std::fs::create_dir_all(out).map_err(|e| {
        format!(
            "cannot create `{}`: {}",
            out.display(),
            crate::proposal::io_reason(&e)
        )
    })?;
    let mut jsonl = Temp::create(out, "appraisals.jsonl")?;
    let mut errors_csv = Temp::create(out, "errors.csv")?;
    let (rows, report) = run(checklist, inputs, &mut jsonl, &mut errors_csv, events)?;
    let summary_csv = write_summary_csv(checklist, out, &rows);
    let summary_md = write_summary_md(checklist, out, &rows);
    let summary_html = write_summary_html(checklist, out, &rows);
    drop(rows);
    let (summary_csv, summary_md, summary_html) = (summary_csv?, summary_md?, summary_html?);
    jsonl.commit()?;
    summary_csv.commit()?;
    summary_md.commit()?;
    summary_html.commit()?;
    if report.errors > 0 {
        errors_csv.commit()?;
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
    jsonl: &'a mut Temp,
    errors: CsvWriter<W>,
    events: &'a dyn ScreenEvents,
    rows: RowStore,
    report: ScreenReport,
    /// Items given out so far, in input order.
    order: usize,
}

impl<W: Write> Round<'_, W> {
    /// Resolves and appraises a chunk of items in parallel, then writes them in input order.
    fn flush(&mut self, items: Vec<Item>) -> Result<(), String> {
        let (checklist, first) = (self.checklist, self.order);
        let chunk = items.into_par_iter().enumerate();
        let done: Vec<(Item, Option<(String, Row)>)> =
            crate::appraise::each(chunk, |on, (i, item)| {
                let item = item.resolve(checklist.schema(), &Limits::default());
                let out = item.bid.as_ref().ok().map(|p| {
                    let a = on.appraise(checklist, p);
                    (crate::render::json(&a), row_of(checklist, first + i, &a))
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

    fn appraised(&mut self, json: &str, row: &Row) -> Result<(), String> {
        let write_err = write_error("the results");
        self.jsonl
            .file
            .write_all(json.as_bytes())
            .map_err(write_err)?;
        self.jsonl.file.write_all(b"\n").map_err(write_err)?;
        self.report.appraised += 1;
        if !row.complete {
            self.report.incomplete += 1;
        }
        self.rows.push(row)
    }

    /// A bid that could not be read: a line of `errors.csv`, and a row ranked last.
    fn unreadable(&mut self, item: &Item, e: &crate::batch::ItemError) -> Result<(), String> {
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
        self.rows.push(&Row {
            order: self.order,
            id,
            title: String::new(),
            outcome: "error".to_string(),
            outcome_rank: usize::MAX,
            total: 0.0,
            indicators: Vec::new(),
            themes: Vec::new(),
            complete: false,
            error: match item.line {
                Some(l) => format!("{}:{l}: {}", item.source, e.message),
                None => format!("{}: {}", item.source, e.message),
            },
        })
    }
}

fn run(
    checklist: &Checklist,
    inputs: &[PathBuf],
    jsonl: &mut Temp,
    errors_csv: &mut Temp,
    events: &dyn ScreenEvents,
) -> Result<(RowStore, ScreenReport), String> {
    let limits = Limits::default();
    let write_err = write_error("the results");
    let errors = CsvWriter::new(&mut errors_csv.file, &["source", "line", "id", "message"])
        .map_err(write_err)?;
    let rows = RowStore::new(jsonl.dest.parent().unwrap_or(Path::new(".")))?;
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
    let mut failure: Option<String> = None;
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

fn write_summary_csv(c: &Checklist, out: &Path, rows: &RowStore) -> Result<Temp, String> {
    let mut t = Temp::create(out, "summary.csv")?;
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
    let write_err = write_error("summary.csv");
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut csv = CsvWriter::new(&mut t.file, &names).map_err(write_err)?;
    let mut rank = 0;
    rows.for_each(|r| {
        let unread = r.outcome_rank == usize::MAX;
        let mut cells = Vec::with_capacity(names.len());
        if unread {
            cells.push(Cell::Empty);
        } else {
            rank += 1;
            cells.push(Cell::Count(rank));
        }
        cells.extend([
            Cell::Text(&r.id),
            Cell::Text(&r.title),
            Cell::Text(&r.outcome),
        ]);
        if unread {
            // Total, a score and a band per core indicator, a band per theme.
            let blank = 1 + 2 * core_count(c) + cfg.themes.len();
            cells.resize(cells.len() + blank, Cell::Empty);
        } else {
            cells.push(Cell::Score(r.total));
            for (s, b) in &r.indicators {
                cells.extend([Cell::Score(*s), Cell::Text(b)]);
            }
            cells.extend(r.themes.iter().map(|b| Cell::Text(b)));
        }
        cells.extend([Cell::Flag(r.complete), Cell::Text(&r.error)]);
        csv.row(&cells).map_err(write_err)
    })?;
    csv.finish().map_err(write_err)?;
    Ok(t)
}

fn core_count(c: &Checklist) -> usize {
    c.config.indicators.iter().filter(|i| i.core).count()
}

fn write_summary_md(c: &Checklist, out: &Path, rows: &RowStore) -> Result<Temp, String> {
    use crate::render::md;
    let mut t = Temp::create(out, "summary.md")?;
    let cfg = &c.config;
    let write_err = write_error("summary.md");
    let errors = rows.unreadable();
    let core: Vec<&str> = cfg
        .indicators
        .iter()
        .filter(|i| i.core)
        .map(|i| i.id.as_str())
        .collect();
    write!(
        t.file,
        "# Screening summary\n\nChecklist {} {} (`{}`), {}. {} bids ranked by outcome, then total.\n\n\
         | Rank | Id | Title | Outcome | Total | {} | Complete |\n| ---: | --- | --- | --- | ---: |{} --- |\n",
        md(c.name()),
        md(c.version()),
        c.hash(),
        crate::ENGINE,
        rows.keys.len() - errors,
        core.join(" | "),
        " --- |".repeat(core.len())
    )
    .map_err(write_err)?;
    let mut rank = 0;
    let mut in_errors = false;
    let file = &mut t.file;
    rows.for_each(|r| {
        if r.outcome_rank == usize::MAX {
            if !in_errors {
                in_errors = true;
                write!(file, "\n## Bids that could not be read ({errors})\n\n")
                    .map_err(write_err)?;
            }
            return writeln!(file, "- {}", md(&r.error)).map_err(write_err);
        }
        rank += 1;
        let bands: Vec<&str> = r.indicators.iter().map(|(_, b)| b.as_str()).collect();
        writeln!(
            file,
            "| {rank} | {} | {} | {} | {} | {} | {} |",
            md(&r.id),
            md(&r.title),
            cfg.screening.label(&r.outcome),
            crate::render::signed(r.total),
            bands.join(" | "),
            if r.complete { "yes" } else { "**no**" }
        )
        .map_err(write_err)
    })?;
    Ok(t)
}

/// The ranking as one self-contained HTML page: each bid's outcome, total and core indicator
/// bands as coloured cells, streamed row by row like `summary.md`. Bid text is escaped.
fn write_summary_html(c: &Checklist, out: &Path, rows: &RowStore) -> Result<Temp, String> {
    use minijinja::HtmlEscape as E;
    let mut t = Temp::create(out, "summary.html")?;
    let cfg = &c.config;
    let write_err = write_error("summary.html");
    let errors = rows.unreadable();
    let core: Vec<_> = cfg.indicators.iter().filter(|i| i.core).collect();
    let heads: String = core
        .iter()
        .map(|i| format!("<th title=\"{}\">{}</th>", E(&i.name), E(&i.id)))
        .collect();
    write!(
        t.file,
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
        rows.keys.len() - errors,
    )
    .map_err(write_err)?;
    let mut rank = 0;
    let mut in_errors = false;
    let file = &mut t.file;
    rows.for_each(|r| {
        if r.outcome_rank == usize::MAX {
            if !in_errors {
                in_errors = true;
                write!(
                    file,
                    "</table>\n<h2>Bids that could not be read ({errors})</h2>\n<ul>\n"
                )
                .map_err(write_err)?;
            }
            return writeln!(file, "<li>{}</li>", E(&r.error)).map_err(write_err);
        }
        rank += 1;
        let bands: String = r
            .indicators
            .iter()
            .map(|(score, band)| {
                format!(
                    "<td class=\"{}\" title=\"{}\">{}</td>",
                    crate::render::tone(c, band),
                    crate::render::signed(*score),
                    E(&crate::render::band_label(c, band))
                )
            })
            .collect();
        writeln!(
            file,
            "<tr><td class=\"num\">{rank}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td class=\"num\">{}</td>{bands}<td>{}</td></tr>",
            E(&r.id),
            E(&r.title),
            E(cfg.screening.label(&r.outcome)),
            crate::render::signed(r.total),
            if r.complete {
                "yes"
            } else {
                "<strong>no</strong>"
            }
        )
        .map_err(write_err)
    })?;
    let tail = if in_errors { "</ul>" } else { "</table>" };
    writeln!(file, "{tail}\n</body>\n</html>").map_err(write_err)?;
    Ok(t)
}
