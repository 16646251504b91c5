//! Many bids from many inputs, streamed: files and folders of TOML/JSON bids, JSON Lines (one
//! bid a line), CSV (one bid a row, dotted column names), Excel (`.xlsx`, likewise), 360Giving
//! grant data (a JSON package with a `grants` array, or its flat CSV form), and a funder's own
//! export (CSV or Excel with the platform's column names) read through a [`Mapping`]. Every
//! input becomes a sequence of [`Item`]s in input order; a bad line or row is an item with an
//! error, never the end of the run. One reader for every command that reads bids.

mod csv_rows;
mod giving;
mod json_lines;
mod mapping;
mod sniff;
mod xlsx;

pub use mapping::{MAPPING_SCHEMA, Mapping, draft};

/// An amount of money as people and spreadsheets write it: `250000`, `£250,000`, `250k`.
pub fn parse_money(text: &str) -> Option<f64> {
    mapping::values::money(text)
}

use crate::diagnostic::Diagnostic;
use crate::limits::Limits;
use crate::proposal::{Proposal, ProposalSchema};
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// One bid from a batch input, or the reason it could not be read.
#[derive(Debug)]
pub struct Item {
    /// The input file, as named.
    pub source: String,
    /// 1-based line (JSON Lines), line of the row (CSV) or grant number (360Giving JSON); `None`
    /// for a one-bid file.
    pub line: Option<usize>,
    pub bid: Result<Proposal, ItemError>,
    /// Warnings found while reading (unknown fields, a value that does not fit its field).
    pub warnings: Vec<Diagnostic>,
    /// `sha256:` of the mapping that made the bid from a row of a funder's export, for the
    /// appraisal's provenance.
    pub mapping: Option<String>,
    /// Work left for [`Item::resolve`]: parsing and validating a row is done there, so that a
    /// batch can do it in parallel rather than on the thread that reads the file.
    pending: Option<Pending>,
}

#[derive(Debug)]
enum Pending {
    /// A line of JSON Lines, not yet parsed.
    JsonLine(String),
    /// A bid built from a CSV row or a grant, not yet validated.
    Value(serde_json::Value),
    /// A bid mapped from a row of a funder's export, not yet validated, and the column each
    /// field came from: a field the schema refuses is left not stated, naming its column.
    Mapped(serde_json::Value, Vec<(String, String)>),
}

impl Item {
    /// Finishes reading the item: parses and validates what the reader left pending.
    pub fn resolve(self, schema: &ProposalSchema, limits: &Limits) -> Item {
        let Some(pending) = self.pending else {
            return self;
        };
        let (source, line) = (self.source, self.line);
        let mapping = self.mapping;
        let mut done = match pending {
            Pending::Value(doc) => validated(&source, line, doc, schema),
            Pending::Mapped(doc, origins) => mapped(&source, line, doc, &origins, schema),
            Pending::JsonLine(text) => {
                let name = match line {
                    Some(l) => format!("{source}:{l}"),
                    None => source.clone(),
                };
                match crate::proposal::read::check_text(&name, text.as_bytes(), limits)
                    .and_then(|t| crate::proposal::read::parse_json(&name, t))
                {
                    Ok(doc) => validated(&source, line, doc, schema),
                    Err(e) => failed(&source, line, None, e.diagnostics),
                }
            }
        };
        let mut warnings = self.warnings;
        warnings.append(&mut done.warnings);
        done.warnings = warnings;
        done.mapping = mapping;
        done
    }
}

/// Why a bid in a batch could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemError {
    /// The bid's id, when it got far enough to have one.
    pub id: Option<String>,
    pub message: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// The kinds of batch input, decided from the file's name and first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Toml,
    Json,
    JsonLines,
    Csv,
    Giving,
    GivingCsv,
    /// An Excel workbook (`.xlsx`): one sheet, one bid a row.
    Xlsx,
}

impl InputKind {
    /// The kind named on the command line (`--input-format`), for standard input.
    pub fn from_name(name: &str) -> Option<InputKind> {
        Some(match name {
            "toml" => InputKind::Toml,
            "json" => InputKind::Json,
            "jsonl" | "ndjson" => InputKind::JsonLines,
            "csv" => InputKind::Csv,
            "360giving" => InputKind::Giving,
            "xlsx" => InputKind::Xlsx,
            _ => return None,
        })
    }

    /// The file extension of the kind.
    pub fn extension(self) -> &'static str {
        match self {
            InputKind::Toml => "toml",
            InputKind::Json | InputKind::Giving => "json",
            InputKind::JsonLines => "jsonl",
            InputKind::Csv | InputKind::GivingCsv => "csv",
            InputKind::Xlsx => "xlsx",
        }
    }

    /// Whether the kind is a table (CSV or Excel), which a mapping can read.
    pub fn is_table(self) -> bool {
        matches!(
            self,
            InputKind::Csv | InputKind::GivingCsv | InputKind::Xlsx
        )
    }
}

/// How inputs are read beyond what their names say.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions<'a> {
    /// Tables (CSV, Excel) are a funder's export, read through this mapping.
    pub mapping: Option<&'a Mapping>,
    /// The Excel sheet to read (default: the mapping's, else the first).
    pub sheet: Option<&'a str>,
    /// What the input is, when its name does not say (standard input).
    pub kind: Option<InputKind>,
    /// How messages name the input (standard input: `-`), when not by its path.
    pub name: Option<&'a str>,
}

/// The files a batch reads, and what the walk skipped (with why).
#[derive(Debug, Default)]
pub struct Expanded {
    /// Files named on the command line, then the bid files found in each folder (sorted).
    pub files: Vec<PathBuf>,
    /// A warning for each entry skipped: not a regular file, a link back into a folder already
    /// read, a second name for a file already found, or unreadable.
    pub skipped: Vec<Diagnostic>,
}

/// Files named on the command line, folders expanded recursively (sorted by path). Only
/// regular files are taken; a link is followed, but never into a folder already being read
/// (a link to `.` would read a folder again and again) and never to a file already found.
/// Hidden entries (a name starting with `.`) are left out.
pub fn expand(inputs: &[PathBuf]) -> Expanded {
    let mut walk = Walk::default();
    for p in inputs {
        if std::fs::metadata(p).is_ok_and(|m| m.is_dir()) {
            let from = walk.out.files.len();
            walk.folder(p);
            if let Some(found) = walk.out.files.get_mut(from..) {
                found.sort();
            }
        } else {
            walk.out.files.push(p.clone());
        }
    }
    walk.out
}

#[derive(Default)]
struct Walk {
    out: Expanded,
    /// Folders entered and files found, by their real path.
    folders: std::collections::HashSet<PathBuf>,
    found: std::collections::HashMap<PathBuf, PathBuf>,
}

impl Walk {
    fn skip(&mut self, path: &Path, why: impl Into<String>) {
        let shown = path.display().to_string();
        self.out
            .skipped
            .push(Diagnostic::warning(shown, why.into()));
    }

    fn folder(&mut self, dir: &Path) {
        let real = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if !self.folders.insert(real) {
            self.skip(dir, "skipped: a link to a folder already being read");
            return;
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                let why = format!(
                    "skipped: cannot read the folder: {}",
                    crate::proposal::io_reason(&e)
                );
                return self.skip(dir, why);
            }
        };
        let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            let hidden = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if !hidden {
                self.entry(&path);
            }
        }
    }

    fn entry(&mut self, path: &Path) {
        // Follows a link, to see what it points at.
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(_) => return self.skip(path, "skipped: a link to nothing"),
        };
        if meta.is_dir() {
            return self.folder(path);
        }
        if !meta.is_file() {
            let what = crate::proposal::read::special_kind(&meta.file_type());
            return self.skip(path, format!("skipped: not a regular file ({what})"));
        }
        // Excel's lock file beside an open workbook (`~$export.xlsx`) is not a workbook.
        let lock = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("~$"));
        if kind_by_name(path).is_none() || lock {
            return;
        }
        let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if let Some(first) = self.found.get(&real) {
            let why = format!("skipped: the same file as `{}`", first.display());
            return self.skip(path, why);
        }
        self.found.insert(real, path.to_path_buf());
        self.out.files.push(path.to_path_buf());
    }
}

fn kind_by_name(path: &Path) -> Option<InputKind> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "toml" => Some(InputKind::Toml),
        "json" => Some(InputKind::Json),
        "jsonl" | "ndjson" => Some(InputKind::JsonLines),
        "csv" => Some(InputKind::Csv),
        "xlsx" | "xlsm" => Some(InputKind::Xlsx),
        _ => None,
    }
}

/// What kind of input a file is: by extension, then for JSON whether it is a 360Giving package
/// (an object with a `grants` array) and for CSV whether its header is 360Giving's.
pub fn detect(path: &Path) -> Option<InputKind> {
    detect_as(path, kind_by_name(path)?)
}

/// What kind of input a file of kind `kind` is (a JSON file may be a 360Giving package, a CSV
/// 360Giving's flat form).
fn detect_as(path: &Path, kind: InputKind) -> Option<InputKind> {
    let head = || -> Vec<u8> {
        use std::io::Read;
        let mut buf = vec![0u8; 64 * 1024];
        let n = crate::proposal::read::open_regular(path)
            .and_then(|mut f| f.read(&mut buf))
            .unwrap_or(0);
        buf.truncate(n);
        buf
    };
    Some(match kind {
        InputKind::Json => {
            let h = head();
            let text = String::from_utf8_lossy(&h);
            if giving::looks_like_package(&text) {
                InputKind::Giving
            } else {
                InputKind::Json
            }
        }
        InputKind::Csv => {
            let h = head();
            let text = String::from_utf8_lossy(&h);
            let header = text.lines().next().unwrap_or_default();
            if giving::looks_like_csv_header(header) {
                InputKind::GivingCsv
            } else {
                InputKind::Csv
            }
        }
        k => k,
    })
}

fn failed(
    source: &str,
    line: Option<usize>,
    id: Option<String>,
    diagnostics: Vec<Diagnostic>,
) -> Item {
    // The errors say why; warnings (unknown fields) and their lists of fields stay on stderr,
    // rather than in every row of `errors.csv`.
    let errors: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity == crate::diagnostic::Severity::Error)
        .collect();
    let shown = if errors.is_empty() {
        diagnostics.iter().collect()
    } else {
        errors
    };
    let message = shown
        .into_iter()
        .map(|d| {
            let mut m = String::new();
            if let Some(f) = &d.field {
                m.push_str(&format!("`{f}`: "));
            }
            m.push_str(&d.message);
            if let Some(h) = d
                .help
                .as_ref()
                .filter(|h| !h.starts_with("the fields here are"))
            {
                m.push_str(&format!(" ({h})"));
            }
            m
        })
        .collect::<Vec<_>>()
        .join("; ");
    Item {
        source: source.to_string(),
        line,
        bid: Err(ItemError {
            id,
            message,
            diagnostics,
        }),
        warnings: Vec::new(),
        mapping: None,
        pending: None,
    }
}

/// How many bytes a [`Bounded`] reader has given out, and how far it may go: one bid's worth
/// past the start of the current row or grant. Shared with the reader's owner, which moves the
/// mark as each bid starts. (A JSON parser reads one byte at a time, so the count is where the
/// parser is.)
#[derive(Clone, Default)]
pub(crate) struct Budget(std::rc::Rc<std::cell::Cell<(u64, u64)>>);

impl Budget {
    /// Allows `limit` more bytes from byte offset `from` of the input.
    pub(crate) fn allow(&self, from: u64, limit: u64) {
        let (read, _) = self.0.get();
        self.0.set((read, from.saturating_add(limit)));
    }

    /// Bytes given out so far.
    pub(crate) fn read(&self) -> u64 {
        self.0.get().0
    }

    /// Whether the reader refused to go on.
    pub(crate) fn exceeded(&self) -> bool {
        let (read, limit) = self.0.get();
        read > limit
    }

    /// The reader was moved to byte `offset`: bytes are counted from there.
    pub(crate) fn rewind(&self, offset: u64) {
        let (_, limit) = self.0.get();
        self.0.set((offset, limit));
    }
}

/// A reader that stops with an error once its [`Budget`] is spent, so a parser that holds a
/// whole row or grant in memory never holds more than about one bid.
pub(crate) struct Bounded<R> {
    pub inner: R,
    pub budget: Budget,
}

impl<R: std::io::Read> std::io::Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.budget.exceeded() {
            return Err(std::io::Error::other("larger than the limit for one bid"));
        }
        let n = self.inner.read(buf)?;
        let (read, limit) = self.budget.0.get();
        self.budget.0.set((read.saturating_add(n as u64), limit));
        Ok(n)
    }
}

impl<R: std::io::Seek> std::io::Seek for Bounded<R> {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        let at = self.inner.seek(to)?;
        self.budget.rewind(at);
        Ok(at)
    }
}

/// Line and column of byte offsets in a file, asked for in increasing order (each question
/// reads on from the last, so locating every record of a file reads it once).
pub(crate) struct Locator {
    reader: Option<std::io::BufReader<std::fs::File>>,
    offset: u64,
    line: usize,
    column: usize,
}

impl Locator {
    pub(crate) fn new(path: &Path) -> Locator {
        Locator {
            reader: std::fs::File::open(path).ok().map(std::io::BufReader::new),
            offset: 0,
            line: 1,
            column: 1,
        }
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    pub(crate) fn at(&mut self, offset: u64) -> (usize, usize) {
        let Some(r) = self.reader.as_mut() else {
            return (1, 1);
        };
        while self.offset < offset {
            let Ok(buf) = r.fill_buf() else { break };
            if buf.is_empty() {
                break;
            }
            let want = usize::try_from(offset - self.offset).unwrap_or(usize::MAX);
            let take = buf.len().min(want);
            for &b in buf.get(..take).unwrap_or_default() {
                if b == b'\n' {
                    (self.line, self.column) = (self.line + 1, 1);
                } else if b & 0xC0 != 0x80 {
                    self.column += 1;
                }
            }
            r.consume(take);
            self.offset += take as u64;
        }
        (self.line, self.column)
    }
}

/// A bid built from a batch row, to be validated by [`Item::resolve`].
pub(crate) fn item_from_value(source: &str, line: Option<usize>, doc: serde_json::Value) -> Item {
    Item {
        source: source.to_string(),
        line,
        // Replaced by `resolve`; an unresolved item never reaches evaluation.
        bid: Err(ItemError {
            id: None,
            message: "not yet read".to_string(),
            diagnostics: Vec::new(),
        }),
        warnings: Vec::new(),
        mapping: None,
        pending: Some(Pending::Value(doc)),
    }
}

/// A bid mapped from a row of an export, to be validated by [`Item::resolve`]; `origins` names
/// the column each field came from.
pub(crate) fn item_from_mapped(
    source: &str,
    line: Option<usize>,
    doc: serde_json::Value,
    origins: Vec<(String, String)>,
) -> Item {
    let mut item = item_from_value(source, line, doc);
    item.pending = Some(Pending::Mapped(
        item.pending
            .take()
            .map_or(serde_json::Value::Null, |p| match p {
                Pending::Value(v) => v,
                _ => serde_json::Value::Null,
            }),
        origins,
    ));
    item
}

/// A mapped bid validated: a field the schema refuses (too long, out of range) is left not
/// stated with a warning naming its column, and the rest of the bid is kept; only a refused
/// id, title or amount makes the row an error row.
fn mapped(
    source: &str,
    line: Option<usize>,
    mut doc: serde_json::Value,
    origins: &[(String, String)],
    schema: &ProposalSchema,
) -> Item {
    let name = match line {
        Some(l) => format!("{source}:{l}"),
        None => source.to_string(),
    };
    let mut warnings = Vec::new();
    // Each pass removes at least one field; a bid has far fewer fields than this.
    for _ in 0..64 {
        let (errors, _) = schema.check(&name, &doc, None);
        let mut fatal = Vec::new();
        let mut removed = false;
        for e in errors {
            let field = e.field.clone().unwrap_or_default();
            let bare = crate::proposal::strip_indices(&field);
            let keeps = mapping::REQUIRED.contains(&bare.as_str())
                || matches!(bare.as_str(), "" | "(top)" | "funding" | "answers");
            let column = origins.iter().find(|(p, _)| *p == field).map(|(_, c)| c);
            let Some(column) = column.filter(|_| !keeps) else {
                fatal.push(match column {
                    Some(c) => Diagnostic {
                        message: format!("column `{c}`: {}", e.message),
                        ..e
                    },
                    None => e,
                });
                continue;
            };
            warnings.push(
                Diagnostic::warning(
                    &name,
                    format!(
                        "column `{column}`: {}; `{field}` is left not stated",
                        e.message
                    ),
                )
                .field(&field),
            );
            mapping::unset(&mut doc, &field, schema.fields());
            removed = true;
        }
        if !fatal.is_empty() {
            let id = doc.get("id").and_then(|v| v.as_str()).map(str::to_string);
            let mut item = failed(source, line, id, fatal);
            item.warnings = warnings;
            return item;
        }
        if !removed {
            break;
        }
    }
    let mut item = validated(source, line, doc, schema);
    warnings.append(&mut item.warnings);
    item.warnings = warnings;
    item
}

fn validated(
    source: &str,
    line: Option<usize>,
    doc: serde_json::Value,
    schema: &ProposalSchema,
) -> Item {
    let name = match line {
        Some(l) => format!("{source}:{l}"),
        None => source.to_string(),
    };
    let id = doc.get("id").and_then(|v| v.as_str()).map(str::to_string);
    match Proposal::from_value(&name, doc, None, schema) {
        Ok(l) => Item {
            source: source.to_string(),
            line,
            bid: Ok(l.proposal),
            warnings: l.warnings,
            mapping: None,
            pending: None,
        },
        Err(e) => failed(source, line, id, e.diagnostics),
    }
}

/// Reads every bid from one input, calling `each` for every item in input order. Stops early
/// only if `each` returns `false`. The whole input is never held in memory for line-based
/// formats.
pub fn read_input(
    path: &Path,
    schema: &ProposalSchema,
    limits: &Limits,
    each: &mut dyn FnMut(Item) -> bool,
) {
    read_input_with(path, schema, limits, &ReadOptions::default(), each);
}

/// [`read_input`], with a mapping for a funder's export, an Excel sheet, or the kind and name
/// of an input its path does not give (standard input).
pub fn read_input_with(
    path: &Path,
    schema: &ProposalSchema,
    limits: &Limits,
    options: &ReadOptions<'_>,
    each: &mut dyn FnMut(Item) -> bool,
) {
    let source = options
        .name
        .map_or_else(|| path.display().to_string(), str::to_string);
    let kind = match options.kind {
        Some(k) => detect_as(path, k),
        None => detect(path),
    };
    let Some(kind) = kind else {
        let d = Diagnostic::error(&source, "unknown input format").help(
            "bids are .toml or .json files, .jsonl (JSON Lines), .csv, .xlsx (Excel), or 360Giving .json/.csv",
        );
        each(failed(&source, None, None, vec![d]));
        return;
    };
    if let Some(d) = binary(path, kind, &source) {
        each(failed(&source, None, None, vec![d]));
        return;
    }
    match kind {
        InputKind::Toml | InputKind::Json => {
            let format = if kind == InputKind::Toml {
                crate::proposal::Format::Toml
            } else {
                crate::proposal::Format::Json
            };
            let loaded = crate::proposal::read::read_bounded(&source, path, limits.max_bid_bytes)
                .map_err(crate::proposal::ProposalError::one)
                .and_then(|bytes| Proposal::parse(&source, &bytes, format, schema, limits));
            let item = match loaded {
                Ok(l) => Item {
                    source: source.clone(),
                    line: None,
                    bid: Ok(l.proposal),
                    warnings: l.warnings,
                    mapping: None,
                    pending: None,
                },
                Err(e) => failed(&source, None, None, e.diagnostics),
            };
            each(item);
        }
        InputKind::JsonLines => json_lines::read(path, &source, limits, each),
        InputKind::Csv | InputKind::GivingCsv => {
            csv_rows::read(path, &source, schema, limits, options, each);
        }
        InputKind::Xlsx => xlsx::read(path, &source, schema, limits, options, each),
        InputKind::Giving => giving::read_package(path, &source, limits, each),
    }
}

/// A text format that holds a zero byte is a binary file, refused as such.
fn binary(path: &Path, kind: InputKind, source: &str) -> Option<Diagnostic> {
    let what = match kind {
        InputKind::Toml | InputKind::Json | InputKind::Xlsx => return None,
        InputKind::Csv | InputKind::GivingCsv => "a CSV file",
        InputKind::Giving => "360Giving JSON",
        InputKind::JsonLines => "JSON Lines",
    };
    let at = zero_byte(path)?;
    let utf16 = matches!(head(path, 2).as_slice(), [0xFF, 0xFE] | [0xFE, 0xFF]);
    let d = if utf16 {
        Diagnostic::error(
            source,
            format!("this is UTF-16 text, not {what} in UTF-8 or Windows-1252"),
        )
        .help("save it from the spreadsheet as \"CSV UTF-8\"")
    } else {
        Diagnostic::error(
            source,
            format!("this is a binary file (a zero byte at offset {at}), not {what}"),
        )
        .help("a batch of bids is a text file: CSV, JSON Lines or 360Giving JSON, or an Excel workbook (.xlsx)")
    };
    Some(d)
}

/// The first `n` bytes of a file (fewer when it is shorter or cannot be read).
fn head(path: &Path, n: u64) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = crate::proposal::read::open_regular(path).and_then(|f| f.take(n).read_to_end(&mut out));
    out
}

/// The header row and up to `most` rows of a table (CSV or Excel), as text: what `map init`
/// reads. `sheet` picks an Excel sheet.
pub fn table_sample(
    path: &Path,
    sheet: Option<&str>,
    limits: &Limits,
    most: usize,
) -> Result<(Vec<String>, Vec<Vec<String>>), Diagnostic> {
    let source = path.display().to_string();
    match detect(path) {
        Some(InputKind::Csv | InputKind::GivingCsv) => {
            csv_rows::header_and_rows(path, &source, limits, most)
        }
        Some(InputKind::Xlsx) => xlsx::header_and_rows(path, &source, sheet, limits, most),
        _ => Err(Diagnostic::error(&source, "not a table of applications")
            .help("`map init` reads a CSV file or an Excel workbook (.xlsx)")),
    }
}

/// The problems of a mapping with the tables among `inputs`: columns it names that an export
/// does not have, or has twice. A table that cannot be opened is left to the run to report.
pub fn check_mapping(
    inputs: &[PathBuf],
    mapping: &Mapping,
    schema: &ProposalSchema,
    limits: &Limits,
    options: &ReadOptions<'_>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for p in inputs {
        let kind = match options.kind {
            Some(k) => detect_as(p, k),
            None => detect(p),
        };
        if !kind.is_some_and(InputKind::is_table) {
            continue;
        }
        let source = options
            .name
            .map_or_else(|| p.display().to_string(), str::to_string);
        let sheet = options.sheet.or(mapping.sheet());
        let header = if kind == Some(InputKind::Xlsx) {
            xlsx::header_and_rows(p, &source, sheet, limits, 0)
        } else {
            csv_rows::header_and_rows(p, &source, limits, 0)
        };
        if let Ok((header, _)) = header
            && let Err(mut problems) = mapping.plan(&header, &source, schema.fields())
        {
            out.append(&mut problems);
        }
    }
    out
}

/// The offset of a zero byte in the first 64 KiB of the file: text never has one.
fn zero_byte(path: &Path) -> Option<usize> {
    let mut head = Vec::with_capacity(64 * 1024);
    crate::proposal::read::open_regular(path)
        .and_then(|f| f.take(64 * 1024).read_to_end(&mut head))
        .ok()?;
    head.iter().position(|&b| b == 0)
}

fn open(path: &Path, source: &str) -> Result<std::fs::File, Diagnostic> {
    crate::proposal::read::open_regular(path).map_err(|e| {
        Diagnostic::error(
            source,
            format!("cannot open the file: {}", crate::proposal::io_reason(&e)),
        )
    })
}

use std::io::Read as _;
