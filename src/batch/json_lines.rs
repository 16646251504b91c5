//! JSON Lines: one bid a line. A line is read at most one bid's worth at a time, so an
//! over-long line costs no more memory than the limit; a line too long or not UTF-8 is an item
//! with an error, and the file goes on. Parsing a line is left to `Item::resolve`.

use super::{Item, ItemError, Pending, failed, open};
use crate::diagnostic::Diagnostic;
use crate::limits::Limits;
use std::io::{BufRead, Read};
use std::path::Path;

/// Every line of the JSON Lines file at `path` as an item, in order, until `each` says stop.
pub(super) fn read(path: &Path, source: &str, limits: &Limits, each: &mut dyn FnMut(Item) -> bool) {
    let file = match open(path, source) {
        Ok(f) => f,
        Err(d) => {
            each(failed(source, None, None, vec![d]));
            return;
        }
    };
    let mut lines = Lines {
        reader: std::io::BufReader::with_capacity(256 * 1024, file),
        buf: Vec::new(),
        line: 0,
        source,
        max: limits.max_bid_bytes,
    };
    loop {
        match lines.next() {
            Line::End => return,
            Line::Blank => {}
            Line::Last(item) => {
                each(item);
                return;
            }
            Line::Item(item) => {
                if !each(item) {
                    return;
                }
            }
        }
    }
}

/// One line of the file, as read.
enum Line {
    /// The end of the file.
    End,
    /// Nothing but white space.
    Blank,
    /// A bid to parse, or a line that could not be read.
    Item(Item),
    /// The file cannot be read further: an error, and the end.
    Last(Item),
}

/// A JSON Lines file read line by line, each at most one bid's worth.
struct Lines<'s, R: BufRead> {
    reader: R,
    buf: Vec<u8>,
    /// The line last read, from 1.
    line: usize,
    source: &'s str,
    /// The largest bid, in bytes.
    max: usize,
}

impl<R: BufRead> Lines<'_, R> {
    fn next(&mut self) -> Line {
        self.buf.clear();
        self.line += 1;
        // Read at most one bid's worth (plus the newline) per line.
        let read = (&mut self.reader)
            .take(self.max as u64 + 1)
            .read_until(b'\n', &mut self.buf);
        match read {
            Ok(0) => return Line::End,
            Ok(_) => {}
            Err(e) => {
                let message = format!("cannot read the file: {}", crate::proposal::io_reason(&e));
                return Line::Last(self.failed(Diagnostic::error(self.source, message)));
            }
        }
        if self.buf.len() > self.max && self.buf.last() != Some(&b'\n') {
            return Line::Item(self.too_long());
        }
        match std::str::from_utf8(&self.buf) {
            Err(_) => {
                let d =
                    Diagnostic::error(format!("{}:{}", self.source, self.line), "invalid UTF-8")
                        .help("save the file as UTF-8 text");
                Line::Item(self.failed(d))
            }
            Ok(t) if t.trim().is_empty() => Line::Blank,
            Ok(t) => Line::Item(Item {
                source: self.source.to_string(),
                line: Some(self.line),
                bid: Err(ItemError {
                    id: None,
                    message: "not yet read".to_string(),
                    diagnostics: Vec::new(),
                }),
                warnings: Vec::new(),
                mapping: None,
                pending: Some(Pending::JsonLine(t.trim().to_string())),
            }),
        }
    }

    /// An over-long line: the rest of it skipped, and an error.
    fn too_long(&mut self) -> Item {
        let mut skip = Vec::new();
        let _ = self.reader.read_until(b'\n', &mut skip);
        let message = format!(
            "the line is longer than {} MiB, the limit for one bid",
            self.max / 1024 / 1024
        );
        self.failed(Diagnostic::error(
            format!("{}:{}", self.source, self.line),
            message,
        ))
    }

    /// The line as an item with an error.
    fn failed(&self, d: Diagnostic) -> Item {
        failed(self.source, Some(self.line), None, vec![d])
    }
}
