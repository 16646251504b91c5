//! Excel workbooks (`.xlsx`): one sheet (the first, or the one named by `--sheet` or the
//! mapping), its first row the header, each row after it one bid, through the same columns as
//! a CSV file (`csv_rows.rs`).
//!
//! Bounded before anything is inflated: the file's size, then the zip directory — every part's
//! inflated size, their total and each part's ratio to its compressed size — so a zip bomb is
//! refused before calamine reads a byte of it; then the sheet's rows, by its `<dimension>` and
//! again as they are counted. Cells are read one at a time, never the whole sheet: formulas by
//! their cached values, dates (serial numbers in a date format) as `YYYY-MM-DD`, numbers as
//! written, numbers stored as text as text (the mapping reads both), merged cells filled from
//! their top-left cell, error cells (`#N/A`) as empty with a warning.

use super::csv_rows::columns_for;
use super::{Item, ReadOptions, failed};
use crate::diagnostic::Diagnostic;
use crate::limits::Limits;
use crate::proposal::ProposalSchema;
use calamine::{DataRef, Dimensions, Reader, SheetType, Xlsx};
use csv::StringRecord;
use std::io::BufReader;
use std::path::Path;

type Book = Xlsx<BufReader<std::fs::File>>;

/// A part of a workbook that inflates more than this many times its compressed size is a zip
/// bomb (real sheets inflate ten to a hundred times).
const MAX_RATIO: u64 = 1000;
/// Parts smaller than this are never refused for their ratio.
const RATIO_FLOOR: u64 = 1024 * 1024;

/// One row of the sheet, as text.
enum Row {
    /// The header row, and warnings about the sheet.
    Header(Vec<String>, Vec<Diagnostic>),
    /// A row after it: its number in the sheet (from 1), its cells, warnings about them.
    Data(usize, Vec<String>, Vec<Diagnostic>),
}

/// Every row of the sheet as an item, through the columns its header calls for.
pub(crate) fn read(
    path: &Path,
    source: &str,
    schema: &ProposalSchema,
    limits: &Limits,
    options: &ReadOptions<'_>,
    each: &mut dyn FnMut(Item) -> bool,
) {
    let sheet = options.sheet.or(options.mapping.and_then(|m| m.sheet()));
    let mut columns = None;
    let mut pending: Vec<Diagnostic> = Vec::new();
    let mut stopped = false;
    let result = rows(path, source, sheet, limits, &mut |row| match row {
        Row::Header(header, mut warnings) => {
            let record = StringRecord::from(header);
            match columns_for(&record, source, schema, options) {
                Ok((c, mut w)) => {
                    warnings.append(&mut w);
                    pending = warnings;
                    columns = Some(c);
                    true
                }
                Err(problems) => {
                    stopped = !each(failed(source, Some(1), None, problems));
                    false
                }
            }
        }
        Row::Data(line, cells, mut warnings) => {
            let Some(c) = columns.as_mut() else {
                return false;
            };
            let mut item = c.item(&StringRecord::from(cells), source, line);
            pending.append(&mut warnings);
            pending.append(&mut item.warnings);
            item.warnings = std::mem::take(&mut pending);
            stopped = !each(item);
            !stopped
        }
    });
    if let (Err(d), false) = (result, stopped) {
        each(failed(source, d.line, None, vec![d]));
    }
}

/// The header row and up to `most` rows after it, as text.
pub(crate) fn header_and_rows(
    path: &Path,
    source: &str,
    sheet: Option<&str>,
    limits: &Limits,
    most: usize,
) -> Result<(Vec<String>, Vec<Vec<String>>), Diagnostic> {
    let mut header = Vec::new();
    let mut out = Vec::new();
    rows(path, source, sheet, limits, &mut |row| match row {
        Row::Header(h, _) => {
            header = h;
            most > 0
        }
        Row::Data(_, cells, _) => {
            out.push(cells);
            out.len() < most
        }
    })?;
    Ok((header, out))
}

/// Opens the workbook within its bounds and gives each row of the sheet to `f` until it says
/// stop; `Err` when the workbook or the sheet cannot be read (after the rows before it).
fn rows(
    path: &Path,
    source: &str,
    sheet: Option<&str>,
    limits: &Limits,
    f: &mut dyn FnMut(Row) -> bool,
) -> Result<(), Diagnostic> {
    bounded(path, source, limits)?;
    let file = super::open(path, source)?;
    let mut book: Book = Xlsx::new(BufReader::new(file)).map_err(|e| {
        Diagnostic::error(source, format!("cannot read the workbook: {e}"))
            .help("save it from the spreadsheet as an Excel workbook (.xlsx)")
    })?;
    let name = pick(&book, sheet, source)?;
    let merged = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
    let mut cells = book
        .worksheet_cells_reader(&name)
        .map_err(|e| Diagnostic::error(source, format!("cannot read the sheet `{name}`: {e}")))?;
    let declared = cells.dimensions().end.0 as usize + 1;
    if declared > limits.max_sheet_rows + 1 {
        return Err(too_many(source, &name, declared, limits));
    }
    let mut sheet = Sheet {
        merged,
        values: Vec::new(),
        width: 0,
        header_row: None,
    };
    let mut row: Vec<(u32, String)> = Vec::new();
    let mut at: Option<u32> = None;
    let mut errors: Vec<String> = Vec::new();
    let mut count = 0usize;
    loop {
        let next = cells.next_cell().map_err(|e| {
            Diagnostic::error(source, format!("cannot read the sheet `{name}`: {e}"))
        })?;
        let here = next.as_ref().map(|c| c.get_position().0);
        if here != at
            && let Some(r) = at
        {
            count += 1;
            if count > limits.max_sheet_rows + 1 {
                return Err(too_many(source, &name, count, limits));
            }
            let done = std::mem::take(&mut row);
            let problems = std::mem::take(&mut errors);
            if let Some(out) = sheet.finish(r, done, problems, source)
                && !f(out)
            {
                return Ok(());
            }
        }
        let Some(cell) = next else {
            return Ok(());
        };
        at = here;
        let (r, c) = cell.get_position();
        match text(cell.get_value()) {
            Ok(t) => {
                sheet.note(r, c, &t);
                row.push((c, t));
            }
            Err(e) => errors.push(format!(
                "{}{}: {e}",
                super::mapping::letter(c as usize),
                r + 1
            )),
        }
    }
}

fn too_many(source: &str, sheet: &str, rows: usize, limits: &Limits) -> Diagnostic {
    Diagnostic::error(
        source,
        format!(
            "the sheet `{sheet}` has {rows} rows or more; at most {} are read (the header and {} applications), so the workbook was not read",
            limits.max_sheet_rows + 1,
            limits.max_sheet_rows
        ),
    )
    .help("split the export into several workbooks, or save it as CSV, which is read a row at a time")
}

/// The sheet being read: its merged regions, the values that fill them, its width.
struct Sheet {
    merged: Vec<Dimensions>,
    /// The value of each merged region's top-left cell, when read.
    values: Vec<Option<String>>,
    /// The header's width: cells past it are not read.
    width: usize,
    /// The header's row, once found.
    header_row: Option<u32>,
}

impl Sheet {
    /// Remembers a merged region's value as its top-left cell goes by.
    fn note(&mut self, r: u32, c: u32, text: &str) {
        if self.values.len() < self.merged.len() {
            self.values.resize(self.merged.len(), None);
        }
        for (m, v) in self.merged.iter().zip(self.values.iter_mut()) {
            if m.start == (r, c) {
                *v = Some(text.to_string());
            }
        }
    }

    /// Row `r` as read, its merged cells filled: the header (the first row with any text), a
    /// data row, or nothing for a blank row.
    fn finish(
        &mut self,
        r: u32,
        cells: Vec<(u32, String)>,
        errors: Vec<String>,
        source: &str,
    ) -> Option<Row> {
        let header = self.header_row.is_none();
        let width = if header {
            cells
                .iter()
                .map(|(c, _)| *c as usize + 1)
                .max()
                .unwrap_or(0)
        } else {
            self.width
        };
        let mut out = vec![String::new(); width];
        for (c, t) in cells {
            if let Some(slot) = out.get_mut(c as usize) {
                *slot = t;
            }
        }
        if !header {
            self.fill(r, &mut out);
        }
        if out.iter().all(|t| t.trim().is_empty()) {
            return None;
        }
        let line = r as usize + 1;
        let warnings = errors
            .iter()
            .map(|e| {
                Diagnostic::warning(
                    format!("{source}:{line}"),
                    format!("cell {e}: read as empty"),
                )
            })
            .collect();
        if header {
            self.header_row = Some(r);
            self.width = width;
            return Some(Row::Header(out, warnings));
        }
        Some(Row::Data(line, out, warnings))
    }

    /// Fills the cells of row `r` that lie in a merged region with the region's value.
    fn fill(&self, r: u32, out: &mut [String]) {
        for (m, v) in self.merged.iter().zip(&self.values) {
            let Some(v) = v else { continue };
            if !(m.start.0..=m.end.0).contains(&r) {
                continue;
            }
            for c in m.start.1..=m.end.1 {
                if let Some(slot) = out.get_mut(c as usize)
                    && slot.is_empty()
                {
                    slot.clone_from(v);
                }
            }
        }
    }
}

/// A cell as text: numbers as written (whole ones without a decimal point), dates as
/// `YYYY-MM-DD` (with the time when it has one), `true`/`false`; `Err` for an error cell.
fn text(v: &DataRef<'_>) -> Result<String, String> {
    Ok(match v {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", *x as i64),
        DataRef::Float(x) => x.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) if d.is_datetime() => {
            let (y, m, day, h, min, s, _) = d.to_ymd_hms_milli();
            if (h, min, s) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{day:02}")
            } else {
                format!("{y:04}-{m:02}-{day:02}T{h:02}:{min:02}:{s:02}")
            }
        }
        DataRef::DateTime(d) => d.as_f64().to_string(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => return Err(format!("the spreadsheet error `{e}`")),
    })
}

/// The sheet to read: the one named (with a did-you-mean), else the first worksheet.
fn pick(book: &Book, want: Option<&str>, source: &str) -> Result<String, Diagnostic> {
    let sheets: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    match want {
        Some(w) => sheets.iter().find(|s| *s == w).cloned().ok_or_else(|| {
            let d = Diagnostic::error(source, format!("the workbook has no sheet `{w}`"));
            match crate::suggest::did_you_mean(w, sheets.iter().map(String::as_str)) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help(format!(
                    "its sheets are: {}",
                    sheets
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }
        }),
        None => sheets
            .into_iter()
            .next()
            .ok_or_else(|| Diagnostic::error(source, "the workbook has no worksheet")),
    }
}

/// A size as messages give it: `256 MiB`, `1.5 MiB`, `512 KiB`.
fn size(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else if n >= MIB {
        format!("{:.1} MiB", n as f64 / MIB as f64)
    } else {
        format!("{} KiB", n.div_ceil(1024))
    }
}

/// Refuses a workbook that is too large, or inflates too far, before anything inflates it.
fn bounded(path: &Path, source: &str, limits: &Limits) -> Result<(), Diagnostic> {
    let limit = limits.max_workbook_bytes;
    let mib = size;
    let file = super::open(path, source)?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > limit {
        return Err(Diagnostic::error(
            source,
            format!(
                "the workbook is {}; at most {} is read",
                mib(size),
                mib(limit)
            ),
        )
        .help("save the export as CSV, which is read a row at a time"));
    }
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| {
        Diagnostic::error(
            source,
            format!("this is not an Excel workbook (.xlsx): {e}"),
        )
        .help("an Excel 97-2003 workbook (.xls) must be saved as .xlsx, or as CSV")
    })?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|e| {
            Diagnostic::error(source, format!("cannot read the workbook's parts: {e}"))
        })?;
        let (inflated, packed) = (part.size(), part.compressed_size().max(1));
        let name = part.name().map(|n| n.to_string()).unwrap_or_default();
        total = total.saturating_add(inflated);
        if inflated > RATIO_FLOOR && inflated / packed > MAX_RATIO {
            return Err(Diagnostic::error(
                source,
                format!(
                    "the workbook's part `{name}` inflates {} times, from {} to {}: refused as a zip bomb",
                    inflated / packed,
                    mib(packed),
                    mib(inflated)
                ),
            ));
        }
        if total > limit {
            return Err(Diagnostic::error(
                source,
                format!(
                    "the workbook inflates to more than {}, the most that is read",
                    mib(limit)
                ),
            )
            .help("save the export as CSV, which is read a row at a time"));
        }
    }
    Ok(())
}
