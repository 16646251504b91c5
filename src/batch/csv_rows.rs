//! CSV: one bid a row. A proposal CSV names its columns by field path
//! (`volunteering.new_volunteers`), typed by the proposal schema, lists separated by `;`, an
//! empty cell meaning *not stated*. A 360Giving flat CSV (`Identifier`, `Title`,
//! `Amount Awarded`, …) is mapped like 360Giving JSON. A funder's own export is read through
//! its mapping (`--map`). The same [`Columns`] serve the rows of an Excel sheet (`xlsx.rs`).
//!
//! The file's encoding (UTF-8, or Windows-1252 as a spreadsheet saves it) and delimiter (`,`,
//! `;` or tab) are decided before any row is read (`sniff.rs`); each cell is decoded with it.
//!
//! Every row is accounted for: a row that cannot be read is an item with an error naming its
//! line, and reading goes on. A quote that is never closed would otherwise swallow every row
//! after it into one cell; a row larger than one bid would end the file. In both cases the row
//! is reported and reading starts again on the line after it.

use super::sniff::{Encoding, Shape};
use super::{Bounded, Budget, Item, ReadOptions, failed, item_from_value};
use crate::diagnostic::Diagnostic;
use crate::limits::Limits;
use crate::patch::{Patch, typed_value};
use crate::proposal::{Fields, ProposalSchema};
use csv::{ByteRecord, StringRecord};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// Why a row is not a bid: its id, when known, and the problems.
type Refused = (Option<String>, Vec<Diagnostic>);

/// How the cells of a row become a bid: one implementation per kind of table (field paths,
/// 360Giving's names, a funder's export through its mapping).
pub(crate) trait Columns {
    /// Row `line` of `source` as an item: a bid to validate, or why it is not one.
    fn item(&mut self, row: &StringRecord, source: &str, line: usize) -> Item;
}

/// The columns of a table whose rows are a bid each by a fixed rule.
trait Fixed {
    /// Row `line` of `source` as a bid to validate, or the problems that stop it (and its id,
    /// when known).
    fn bid(&self, row: &StringRecord, source: &str, line: usize) -> Result<Value, Refused>;
}

impl<T: Fixed> Columns for T {
    fn item(&mut self, row: &StringRecord, source: &str, line: usize) -> Item {
        match self.bid(row, source, line) {
            Ok(doc) => item_from_value(source, Some(line), doc),
            Err((id, problems)) => failed(source, Some(line), id, problems),
        }
    }
}

impl Columns for crate::batch::mapping::Plan<'_> {
    fn item(&mut self, row: &StringRecord, source: &str, line: usize) -> Item {
        crate::batch::mapping::Plan::item(self, row, source, line)
    }
}

/// A table's columns and the warnings its header raised.
pub(crate) type ColumnsAndWarnings<'a> = (Box<dyn Columns + 'a>, Vec<Diagnostic>);

/// The columns for a table with this header: the mapping's, when there is one; 360Giving's,
/// when the header is theirs; else field paths. `Err` holds the mapping's problems with it.
pub(crate) fn columns_for<'a>(
    header: &StringRecord,
    source: &str,
    schema: &'a ProposalSchema,
    options: &ReadOptions<'a>,
) -> Result<ColumnsAndWarnings<'a>, Vec<Diagnostic>> {
    if let Some(m) = options.mapping {
        let names: Vec<String> = header.iter().map(str::to_string).collect();
        let (plan, warnings) = m.plan(&names, source, schema.fields())?;
        return Ok((Box::new(plan), warnings));
    }
    let line: Vec<&str> = header.iter().collect();
    if super::giving::looks_like_csv_header(&line.join(",")) {
        let (c, w) = GivingColumns::new(header);
        return Ok((Box::new(c), w));
    }
    let (c, w) = FieldColumns::new(header, schema.fields(), source);
    Ok((Box::new(c), w))
}

/// A proposal CSV: columns named by field path.
struct FieldColumns<'s> {
    fields: &'s Fields,
    /// The field path of each column, or `None` for a column ignored (with a warning).
    paths: Vec<Option<String>>,
}

impl<'s> FieldColumns<'s> {
    fn new(header: &StringRecord, fields: &'s Fields, source: &str) -> (Self, Vec<Diagnostic>) {
        let mut warnings = Vec::new();
        let mut paths = Vec::new();
        for (i, h) in header.iter().enumerate() {
            let h = h.trim();
            if fields.kind(h).is_some() {
                paths.push(Some(h.to_string()));
                continue;
            }
            let mut d = Diagnostic::warning(source, format!("unknown column `{h}` is ignored"))
                .at(1, i + 1);
            if let Some(s) = fields.suggest(h) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            warnings.push(d);
            paths.push(None);
        }
        (FieldColumns { fields, paths }, warnings)
    }
}

impl Fixed for FieldColumns<'_> {
    fn bid(&self, row: &StringRecord, source: &str, line: usize) -> Result<Value, Refused> {
        let at = format!("{source}:{line}");
        let at = at.as_str();
        let mut set = Vec::new();
        let mut problems = Vec::new();
        for (cell, path) in row.iter().zip(&self.paths) {
            let (Some(path), cell) = (path, cell.trim()) else {
                continue;
            };
            if cell.is_empty() {
                continue;
            }
            match typed_value(self.fields, path, cell) {
                Ok(v) => set.push((path.clone(), v)),
                Err(e) => problems.push(Diagnostic::error(at, e.message)),
            }
        }
        let id = || {
            row.iter()
                .zip(&self.paths)
                .find(|(_, c)| c.as_deref() == Some("id"))
                .map(|(v, _)| v.to_string())
        };
        if !problems.is_empty() {
            return Err((id(), problems));
        }
        let patch = Patch {
            set,
            unset: Vec::new(),
        };
        patch
            .apply(&json!({}), self.fields)
            .map_err(|e| (id(), vec![Diagnostic::error(at, e.message)]))
    }
}

fn norm(h: &str) -> String {
    h.chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase()
}

/// Where a 360Giving flat column goes in a grant: a key, and a key inside its first entry
/// (`recipientOrganization[0].name`).
type GrantPath = (&'static str, Option<&'static str>);

/// 360Giving flat CSV column → the grant JSON path it fills.
fn giving_column(header: &str) -> Option<GrantPath> {
    Some(match norm(header).as_str() {
        "identifier" => ("id", None),
        "title" => ("title", None),
        "description" => ("description", None),
        "currency" => ("currency", None),
        "amountappliedfor" => ("amountAppliedFor", None),
        "amountawarded" => ("amountAwarded", None),
        "planneddatesstartdate" => ("plannedDates", Some("startDate")),
        "planneddatesenddate" => ("plannedDates", Some("endDate")),
        "planneddatesdurationmonths" => ("plannedDates", Some("duration")),
        "recipientorgidentifier" => ("recipientOrganization", Some("id")),
        "recipientorgname" => ("recipientOrganization", Some("name")),
        "recipientorgcharitynumber" => ("recipientOrganization", Some("charityNumber")),
        "recipientorgorganisationtype" => ("recipientOrganization", Some("organisationType")),
        "recipientorgdescription" => ("recipientOrganization", Some("description")),
        "beneficiarylocationname" => ("beneficiaryLocation", Some("name")),
        "beneficiarylocationgeographiccode" => ("beneficiaryLocation", Some("geoCode")),
        _ => return None,
    })
}

/// A 360Giving flat CSV: each known column fills a field of a grant, mapped like JSON grants.
struct GivingColumns {
    /// Each column's header as written, and the grant field it fills.
    columns: Vec<(String, Option<GrantPath>)>,
}

impl GivingColumns {
    fn new(header: &StringRecord) -> (Self, Vec<Diagnostic>) {
        let columns = header
            .iter()
            .map(|h| (h.trim().to_string(), giving_column(h.trim())))
            .collect();
        (GivingColumns { columns }, Vec::new())
    }
}

impl Fixed for GivingColumns {
    fn bid(&self, row: &StringRecord, source: &str, line: usize) -> Result<Value, Refused> {
        let mut grant = serde_json::Map::new();
        for (cell, (_, to)) in row.iter().zip(&self.columns) {
            let (cell, Some((key, sub))) = (cell.trim(), to) else {
                continue;
            };
            if cell.is_empty() {
                continue;
            }
            match sub {
                None => {
                    grant.insert(key.to_string(), json!(cell));
                }
                Some(sub) => {
                    let slot = grant.entry(key.to_string()).or_insert_with(|| json!([{}]));
                    if let Some(obj) = slot.get_mut(0).and_then(Value::as_object_mut) {
                        obj.insert(sub.to_string(), json!(cell));
                    }
                }
            }
        }
        let id = grant.get("id").and_then(Value::as_str).map(str::to_string);
        super::giving::grant_to_bid(&Value::Object(grant)).map_err(|bad| {
            // Name the column as the file does, at its cell.
            let column = self
                .columns
                .iter()
                .position(|(_, to)| to.is_some_and(|(k, _)| k == bad.field));
            let shown = column
                .and_then(|i| self.columns.get(i))
                .map_or(bad.field, |(h, _)| h.as_str());
            let message = bad.message().replacen(bad.field, shown, 1);
            let d = Diagnostic::error(source, message)
                .field(shown)
                .at(line, column.map_or(1, |i| i + 1));
            (id, vec![d])
        })
    }
}

/// Reads a CSV file: a proposal CSV, a 360Giving flat CSV, or a funder's export through its
/// mapping. The encoding and delimiter are decided first; a file read as Windows-1252 says so
/// with its first row, as do the warnings about its header.
pub(crate) fn read(
    path: &Path,
    source: &str,
    schema: &ProposalSchema,
    limits: &Limits,
    options: &ReadOptions<'_>,
    each: &mut dyn FnMut(Item) -> bool,
) {
    let mut rows = match Rows::open(path, source, limits) {
        Ok(r) => r,
        Err(d) => {
            each(failed(source, d.line, None, vec![d]));
            return;
        }
    };
    let (mut columns, mut warnings) = match columns_for(&rows.header, source, schema, options) {
        Ok(c) => c,
        Err(problems) => {
            each(failed(source, Some(1), None, problems));
            return;
        }
    };
    if rows.shape.encoding == Encoding::Windows1252 {
        warnings.insert(0, Diagnostic::warning(source, "the file is not UTF-8: read as Windows-1252, as a spreadsheet saves CSV by default").help("save it as \"CSV UTF-8\" to be sure of every character"));
    }
    let mut record = StringRecord::new();
    while let Some(next) = rows.next(&mut record) {
        let mut item = match next {
            Ok(line) => columns.item(&record, source, line),
            Err(item) => item,
        };
        warnings.append(&mut item.warnings);
        item.warnings = std::mem::take(&mut warnings);
        if !each(item) {
            return;
        }
    }
}

/// The header row of a CSV file, decoded, for `map init` and for checking a mapping.
pub(crate) fn header_and_rows(
    path: &Path,
    source: &str,
    limits: &Limits,
    most: usize,
) -> Result<(Vec<String>, Vec<Vec<String>>), Diagnostic> {
    let mut rows = Rows::open(path, source, limits)?;
    let header = rows.header.iter().map(str::to_string).collect();
    let mut out = Vec::new();
    let mut record = StringRecord::new();
    while out.len() < most {
        match rows.next(&mut record) {
            None => break,
            Some(Ok(_)) => out.push(record.iter().map(str::to_string).collect()),
            Some(Err(_)) => {}
        }
    }
    Ok((header, out))
}

/// The rows of a CSV file, each a record or an error for its line.
struct Rows<'a> {
    source: &'a str,
    path: &'a Path,
    limits: &'a Limits,
    rdr: csv::Reader<Bounded<BufReader<std::fs::File>>>,
    budget: Budget,
    header: StringRecord,
    shape: Shape,
    raw: ByteRecord,
    /// The file again, to look at the byte a row starts at (`\r\n` line ends).
    peek: Option<std::fs::File>,
}

impl<'a> Rows<'a> {
    /// Opens the file and reads its header.
    fn open(path: &'a Path, source: &'a str, limits: &'a Limits) -> Result<Rows<'a>, Diagnostic> {
        let shape = super::sniff::sniff(path).map_err(|e| {
            Diagnostic::error(
                source,
                format!("cannot read the file: {}", crate::proposal::io_reason(&e)),
            )
        })?;
        let file = super::open(path, source)?;
        let budget = Budget::default();
        budget.allow(0, row_limit(limits));
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(false)
            .delimiter(shape.delimiter)
            .from_reader(Bounded {
                inner: BufReader::with_capacity(256 * 1024, file),
                budget: budget.clone(),
            });
        let cannot = |why: String| {
            Diagnostic::error(source, format!("cannot read the CSV header: {why}")).at(1, 1)
        };
        let raw = rdr
            .byte_headers()
            .map_err(|e| cannot(e.to_string()))?
            .clone();
        let header =
            decode(&raw, shape.encoding).ok_or_else(|| cannot("it is not UTF-8".to_string()))?;
        Ok(Rows {
            source,
            path,
            limits,
            rdr,
            budget,
            header,
            shape,
            raw: ByteRecord::new(),
            peek: shape.crlf.then(|| std::fs::File::open(path).ok()).flatten(),
        })
    }

    /// The next row into `record`: `Ok(line)`, or an item with the error for a row that cannot
    /// be read (reading goes on after it); `None` at the end of the file.
    fn next(&mut self, record: &mut StringRecord) -> Option<Result<usize, Item>> {
        let mut start = self.rdr.position().clone();
        // With `\r\n` line ends the reader stopped after the last row's `\r`: this row starts
        // past the `\n`, on the next line.
        if self.byte_at(start.byte()) == Some(b'\n') {
            let (byte, line) = (start.byte() + 1, start.line() + 1);
            start.set_byte(byte).set_line(line);
        }
        self.budget
            .allow(self.budget.read(), row_limit(self.limits));
        let read = self.rdr.read_byte_record(&mut self.raw);
        let line = start.line() as usize;
        match read {
            Ok(false) => None,
            Err(_) if self.budget.exceeded() => Some(Err(self.too_large(&start))),
            Ok(true) if self.runs_to_the_end(&start) || self.closes_badly(&start) => {
                Some(Err(self.unclosed(&start, None)))
            }
            Ok(true) => match decode(&self.raw, self.shape.encoding) {
                Some(r) => {
                    *record = r;
                    Some(Ok(line))
                }
                None => Some(Err(self.error_at(line, "invalid UTF-8".to_string()))),
            },
            Err(e) => Some(Err(self.bad_row(&start, e))),
        }
    }

    /// The byte at `at`, when lines end in `\r\n` (otherwise `None`: nothing to look at).
    fn byte_at(&mut self, at: u64) -> Option<u8> {
        let f = self.peek.as_mut()?;
        f.seek(SeekFrom::Start(at)).ok()?;
        let mut b = [0u8; 1];
        f.read_exact(&mut b).ok()?;
        Some(b[0])
    }

    /// Whether the row just read started with a quote that no later quote closes: it ran over
    /// several lines to the end of the file.
    fn runs_to_the_end(&self, start: &csv::Position) -> bool {
        let spans = self.rdr.position().line() > start.line() + 1;
        spans && self.rdr.is_done() && !self.ends_with_a_quote()
    }

    /// Whether the row just read ran over several lines and one of its quotes closes where no
    /// cell can end (not before a delimiter or a line break): a quote left open that the next
    /// row's own quote happened to close. A cell of several lines, quoted as a spreadsheet
    /// quotes it, closes cleanly.
    fn closes_badly(&self, start: &csv::Position) -> bool {
        let end = self.rdr.position().byte();
        if self.rdr.position().line() <= start.line() + 1 || end <= start.byte() {
            return false;
        }
        let bytes = std::fs::File::open(self.path).and_then(|mut f| {
            f.seek(SeekFrom::Start(start.byte()))?;
            let mut buf = Vec::new();
            f.take(end - start.byte()).read_to_end(&mut buf)?;
            Ok(buf)
        });
        bytes.is_ok_and(|b| !quotes_close_cleanly(&b, self.shape.delimiter))
    }

    /// Whether the file's last character (before a final line break) is a quote.
    fn ends_with_a_quote(&self) -> bool {
        let last = std::fs::File::open(self.path).and_then(|mut f| {
            let len = f.seek(SeekFrom::End(0))?;
            f.seek(SeekFrom::Start(len.saturating_sub(2)))?;
            let mut tail = Vec::new();
            f.read_to_end(&mut tail)?;
            Ok(tail)
        });
        last.is_ok_and(|t| t.trim_ascii_end().last() == Some(&b'"'))
    }

    /// A row the CSV reader refused: a wrong number of cells (perhaps from a quote left open,
    /// which runs the row into the lines after it), or text that is not UTF-8.
    fn bad_row(&mut self, start: &csv::Position, e: csv::Error) -> Item {
        let line = start.line() as usize;
        match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => {
                let cells = format!("the row has {len} cells; the header has {expected_len}");
                if self.rdr.position().line() > start.line() + 1 {
                    return self.unclosed(start, Some(cells));
                }
                self.error_at(line, cells)
            }
            csv::ErrorKind::Utf8 { .. } => self.error_at(line, "invalid UTF-8".to_string()),
            _ => self.error_at(line, e.to_string()),
        }
    }

    /// A row that starts with a quote never closed on its line and that ran on into the lines
    /// after it: the row is reported, and reading starts again on the next line.
    fn unclosed(&mut self, start: &csv::Position, cells: Option<String>) -> Item {
        let line = start.line() as usize;
        let raw = self.raw_line(start.byte());
        let column = raw.as_deref().and_then(open_quote);
        let upto = self
            .rdr
            .position()
            .line()
            .saturating_sub(1)
            .max(start.line());
        let mut message = match column {
            Some(c) => format!("the quote at column {c} is never closed, so the row ran on"),
            None => "a quote is never closed, so the row ran on".to_string(),
        };
        message.push_str(&format!(" to line {upto}"));
        if let Some(cells) = cells {
            message.push_str(&format!(" ({cells})"));
        }
        message.push_str(&format!(
            "; the row was not read, and reading went on at line {}",
            line + 1
        ));
        let mut d = Diagnostic::error(self.source, message)
            .help("close the quote, or double a quote inside quoted text (\"\")");
        if let Some(raw) = &raw {
            d = d.at_in(raw, 1, column.unwrap_or(1));
            d.line = Some(line);
        }
        self.restart(start);
        failed(self.source, Some(line), None, vec![d])
    }

    /// A row larger than one bid: reported, and reading starts again on the next line.
    fn too_large(&mut self, start: &csv::Position) -> Item {
        let line = start.line() as usize;
        self.restart(start);
        self.error_at(
            line,
            format!(
                "the row is larger than {} MiB, the limit for one bid; reading went on at line {}",
                self.limits.max_bid_bytes / 1024 / 1024,
                line + 1
            ),
        )
    }

    fn error_at(&self, line: usize, message: String) -> Item {
        let d = Diagnostic::error(format!("{}:{line}", self.source), message);
        failed(self.source, Some(line), None, vec![d])
    }

    /// The text of the line that starts at byte `at` (at most one bid's worth), without its
    /// line break; `None` when it cannot be read or is not text.
    fn raw_line(&self, at: u64) -> Option<String> {
        let mut f = std::fs::File::open(self.path).ok()?;
        f.seek(SeekFrom::Start(at)).ok()?;
        let mut buf = Vec::new();
        BufReader::new(f)
            .take(self.limits.max_bid_bytes as u64)
            .read_until(b'\n', &mut buf)
            .ok()?;
        let text = String::from_utf8(buf).ok()?;
        Some(text.trim_end_matches(['\n', '\r']).to_string())
    }

    /// Starts reading again at the line after the one at `start`.
    fn restart(&mut self, start: &csv::Position) {
        let next = self.line_end(start.byte());
        let mut pos = csv::Position::new();
        pos.set_byte(next).set_line(start.line() + 1);
        if self.rdr.seek_raw(SeekFrom::Start(next), pos).is_err() {
            // Cannot seek: the rest of the file reads as at its end.
            let _ = self.rdr.seek_raw(SeekFrom::End(0), csv::Position::new());
        }
    }

    /// The byte just after the first line break at or after `from` (the end of the file if none).
    fn line_end(&self, from: u64) -> u64 {
        let Ok(mut f) = std::fs::File::open(self.path) else {
            return from;
        };
        if f.seek(SeekFrom::Start(from)).is_err() {
            return from;
        }
        let mut r = BufReader::with_capacity(64 * 1024, f);
        let mut at = from;
        loop {
            let (used, found) = match r.fill_buf() {
                Ok([]) | Err(_) => return at,
                Ok(buf) => match buf.iter().position(|&b| b == b'\n') {
                    Some(i) => (i + 1, true),
                    None => (buf.len(), false),
                },
            };
            r.consume(used);
            at += used as u64;
            if found {
                return at;
            }
        }
    }
}

/// A row's cells as text, in the file's encoding: `None` when a cell is not UTF-8 in a UTF-8
/// file.
fn decode(raw: &ByteRecord, encoding: Encoding) -> Option<StringRecord> {
    let mut out = StringRecord::with_capacity(raw.as_slice().len(), raw.len());
    for cell in raw {
        out.push_field(&encoding.decode(cell)?);
    }
    Some(out)
}

/// A row may take one bid's worth, plus the reader's buffer.
fn row_limit(limits: &Limits) -> u64 {
    limits.max_bid_bytes as u64 + 64 * 1024
}

/// Whether every quoted cell of `row` (the raw bytes of one row) closes with a quote followed
/// by the delimiter, a line break or the end; a doubled quote inside is a quote.
fn quotes_close_cleanly(row: &[u8], delimiter: u8) -> bool {
    let (mut quoted, mut cell_start, mut i) = (false, true, 0);
    while let Some(&b) = row.get(i) {
        if quoted {
            if b == b'"' && row.get(i + 1) == Some(&b'"') {
                i += 1;
            } else if b == b'"' {
                quoted = false;
                let next = row.get(i + 1).copied();
                if next.is_some_and(|n| n != delimiter && n != b'\n' && n != b'\r') {
                    return false;
                }
            }
        } else if b == b'"' && cell_start {
            quoted = true;
        }
        cell_start = !quoted && (b == delimiter || b == b'\n');
        i += 1;
    }
    true
}

/// The column (1-based, in characters) of the quote a line leaves open, if it does.
fn open_quote(line: &str) -> Option<usize> {
    let mut open = None;
    for (i, c) in line.chars().enumerate() {
        if c == '"' {
            open = match open {
                None => Some(i + 1),
                Some(_) => None,
            };
        }
    }
    open
}

#[cfg(test)]
mod tests {
    use super::quotes_close_cleanly;

    #[test]
    fn a_quote_that_closes_where_no_cell_ends_is_a_quote_left_open() {
        // A cell of several lines, quoted as a spreadsheet writes it.
        assert!(quotes_close_cleanly(
            b"A-1,\"line one\nline \"\"two\"\"\",3\n",
            b','
        ));
        assert!(quotes_close_cleanly(b"A-1;\"x\";\"y\"\r\n", b';'));
        // A quote in the middle of a cell is a character, not the start of quoted text.
        assert!(quotes_close_cleanly(b"A-1,6\" pipe,3\n", b','));
        // Left open, closed by the next row's own quote.
        assert!(!quotes_close_cleanly(
            b"E-b1,\"never closed,100,x\nE-1,Caf\xc3\xa9 1,\"\xc2\xa31,200.00\",x\n",
            b','
        ));
    }
}
