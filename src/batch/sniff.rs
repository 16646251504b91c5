//! What a CSV file is before any row of it is used: its encoding, decided once for the whole
//! file, and its delimiter.
//!
//! A spreadsheet saves CSV in UTF-8 (with or without a byte-order mark) or, by default on
//! Windows, in Windows-1252, where "Café" is `43 61 66 E9` — not UTF-8. The whole file is read
//! once: with no byte that breaks UTF-8 it is UTF-8; with such bytes and no character that only
//! UTF-8 could have written, it is Windows-1252; with both, it is UTF-8 with broken rows, each
//! reported where it is. Never decided row by row, so one file is never read two ways.
//! The delimiter is the one of `,`, `;` and tab that the header row uses most, outside quotes
//! (Excel in much of Europe writes `;`).

use std::io::Read;
use std::path::Path;

/// How the bytes of a CSV file are text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Windows1252,
}

/// A CSV file's encoding and delimiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shape {
    pub encoding: Encoding,
    pub delimiter: u8,
    /// Whether lines end in `\r\n`, as a spreadsheet on Windows writes them (the header's
    /// does): the CSV reader stops after the `\r`, so a row it reads next starts at a `\n`.
    pub crlf: bool,
}

impl Encoding {
    /// One cell's bytes as text: `None` for bytes that are not UTF-8 in a UTF-8 file.
    pub(crate) fn decode(self, bytes: &[u8]) -> Option<String> {
        match self {
            Encoding::Utf8 => std::str::from_utf8(bytes).ok().map(str::to_string),
            Encoding::Windows1252 => Some(
                encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(bytes)
                    .0
                    .into_owned(),
            ),
        }
    }
}

/// Reads the whole file once to decide its encoding, and its first line for the delimiter.
pub(crate) fn sniff(path: &Path) -> std::io::Result<Shape> {
    let mut f = crate::proposal::read::open_regular(path)?;
    let mut buf = vec![0u8; 256 * 1024];
    let mut carry: Vec<u8> = Vec::new();
    let (mut invalid, mut multibyte) = (false, false);
    let mut first_line: Vec<u8> = Vec::new();
    let mut line_done = false;
    loop {
        let n = f.read(&mut buf)?;
        let chunk = buf.get(..n).unwrap_or_default();
        if !line_done {
            line_done = header_line(chunk, &mut first_line);
        }
        carry.extend_from_slice(chunk);
        let at_end = n == 0;
        let keep = scan(&carry, at_end, &mut invalid, &mut multibyte);
        carry.drain(..carry.len() - keep);
        if at_end {
            break;
        }
    }
    let encoding = if invalid && !multibyte {
        Encoding::Windows1252
    } else {
        Encoding::Utf8
    };
    Ok(Shape {
        encoding,
        delimiter: delimiter(&first_line),
        crlf: first_line.last() == Some(&b'\r'),
    })
}

/// Notes whether `bytes` hold a sequence that breaks UTF-8 and a character of more than one
/// byte; returns how many bytes at the end to keep for the next chunk (a character cut in two).
fn scan(bytes: &[u8], at_end: bool, invalid: &mut bool, multibyte: &mut bool) -> usize {
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                *multibyte |= !s.is_ascii();
                return 0;
            }
            Err(e) => {
                let (good, after) = rest.split_at(e.valid_up_to());
                *multibyte |= !good.is_ascii();
                match e.error_len() {
                    None if !at_end => return after.len(),
                    None => {
                        *invalid = true;
                        return 0;
                    }
                    Some(len) => {
                        *invalid = true;
                        rest = after.get(len..).unwrap_or_default();
                    }
                }
            }
        }
    }
}

/// Gathers the header row (to its first line break outside quotes, at most 64 KiB); whether it
/// is complete.
fn header_line(chunk: &[u8], line: &mut Vec<u8>) -> bool {
    let mut quoted = line.iter().filter(|&&b| b == b'"').count() % 2 == 1;
    for &b in chunk {
        if b == b'"' {
            quoted = !quoted;
        }
        if b == b'\n' && !quoted {
            return true;
        }
        line.push(b);
        if line.len() >= 64 * 1024 {
            return true;
        }
    }
    chunk.is_empty()
}

/// The delimiter the header row uses most, outside quotes: `,` unless `;` or a tab is more
/// common.
fn delimiter(line: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let [comma, semicolon, tab] = counts;
    if semicolon > comma && semicolon >= tab {
        b';'
    } else if tab > comma && tab > semicolon {
        b'\t'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(bytes: &[u8]) -> Shape {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.csv");
        std::fs::write(&p, bytes).unwrap();
        sniff(&p).unwrap()
    }

    #[test]
    fn the_encoding_is_decided_for_the_whole_file() {
        assert_eq!(shape(b"id,title\nA,Caf\xc3\xa9\n").encoding, Encoding::Utf8);
        assert_eq!(
            shape(b"\xef\xbb\xbfid,title\nA,Cafe\n").encoding,
            Encoding::Utf8
        );
        assert_eq!(
            shape(b"id,title\nA,Caf\xe9 \xa3500\n").encoding,
            Encoding::Windows1252
        );
        // UTF-8 text with one broken row: UTF-8, and the row is reported.
        assert_eq!(
            shape(b"id,title\nA,Caf\xc3\xa9\nB,\xff\n").encoding,
            Encoding::Utf8
        );
        assert_eq!(
            Encoding::Windows1252.decode(b"Caf\xe9 \xa3500").as_deref(),
            Some("Café £500")
        );
    }

    #[test]
    fn the_delimiter_is_the_header_rows() {
        assert_eq!(shape(b"id;title;\"a,b\"\n1;2;3\n").delimiter, b';');
        assert_eq!(shape(b"id,title\n1,2\n").delimiter, b',');
        assert_eq!(shape(b"id\ttitle\n1\t2\n").delimiter, b'\t');
    }

    #[test]
    fn a_character_cut_between_chunks_is_not_a_broken_one() {
        let mut text = vec![b'a'; 256 * 1024 - 1];
        text.extend("é\n".as_bytes());
        assert_eq!(shape(&text).encoding, Encoding::Utf8);
    }
}
