//! Issue 12, item 3: no input is lost without saying so. One unclosed quote in a CSV swallowed
//! every row after it (503 of 1,000 bids disappeared, and the only error talked about a cell
//! count). The invariant now: rows appraised + rows reported = every row in the input, for
//! every batch reader. [`every_row_is_accounted_for`] checks it; a new reader (Excel, a funder's
//! export) adds a [`Format`] to [`FORMATS`] and passes the same test.

use crate::support::*;
use std::path::Path;
use stronger::{Limits, ProposalSchema};

/// A row of a test input.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Row {
    /// A good bid with this number.
    Good(usize),
    /// A row broken in this way.
    Broken(Break),
}

/// The ways a row can be broken; each format says which it can have.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Break {
    UnclosedQuote,
    WrongCells,
    BadValue,
    NotUtf8,
    BadJson,
    KeyTwice,
    NotAnObject,
    TooLarge,
    BadAmount,
    MissingId,
    DuplicateId,
}

/// A batch format: its file name, how to write rows in it, how it can be broken, and the
/// mapping it is read through (a funder's export), if any.
struct Format {
    file: &'static str,
    write: fn(&[Row]) -> Vec<u8>,
    breaks: &'static [Break],
    mapping: Option<&'static str>,
}

/// The mapping of the funder's exports below.
const EXPORT_MAPPING: &str = "[columns]\n\"Ref\" = \"id\"\n\"Project title\" = \"title\"\n\"Amount (£)\" = \"funding.amount_requested\"\n\"Tell us about it\" = \"summary\"\n";

fn export_csv(rows: &[Row]) -> Vec<u8> {
    // A character only UTF-8 writes, so the file is UTF-8 and a row that breaks it is an error.
    let mut out = "Ref,Project title,Amount (£),Tell us about it\n"
        .as_bytes()
        .to_vec();
    for r in rows {
        let line: Vec<u8> = match r {
            Row::Good(n) => {
                format!("E-{n},Café {n},\"£1,200.00\",\"We will, together.\"").into_bytes()
            }
            Row::Broken(Break::UnclosedQuote) => b"E-b1,\"never closed,100,x".to_vec(),
            Row::Broken(Break::WrongCells) => b"E-b2,two cells".to_vec(),
            Row::Broken(Break::BadAmount) => b"E-b3,Bad amount,lots,x".to_vec(),
            Row::Broken(Break::NotUtf8) => b"E-b4,\xff\xfe,100,x".to_vec(),
            Row::Broken(Break::TooLarge) => format!("E-b5,{},100,x", too_large()).into_bytes(),
            Row::Broken(Break::MissingId) => b",No id,100,x".to_vec(),
            Row::Broken(Break::DuplicateId) => b"E-0,Twice,100,x".to_vec(),
            Row::Broken(b) => panic!("{b:?} is not an export break"),
        };
        out.extend(line);
        out.push(b'\n');
    }
    out
}

fn export_xlsx(rows: &[Row]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (c, h) in ["Ref", "Project title", "Amount (£)", "Tell us about it"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        let (id, title, amount): (String, String, Option<f64>) = match r {
            Row::Good(n) => (format!("X-{n}"), format!("Sheet {n}"), Some(1200.0)),
            Row::Broken(Break::BadAmount) => ("X-b1".into(), "Bad amount".into(), None),
            Row::Broken(Break::MissingId) => (String::new(), "No id".into(), Some(5.0)),
            Row::Broken(Break::DuplicateId) => ("X-0".into(), "Twice".into(), Some(5.0)),
            Row::Broken(b) => panic!("{b:?} is not an Excel break"),
        };
        if !id.is_empty() {
            ws.write_string(row, 0, &id).unwrap();
        }
        ws.write_string(row, 1, &title).unwrap();
        match amount {
            Some(a) => ws.write_number(row, 2, a).unwrap(),
            None => ws.write_string(row, 2, "lots").unwrap(),
        };
        ws.write_string(row, 3, "We will.").unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// The limit on one bid for these tests: small, so a row too large is cheap to write.
const LIMIT: usize = 4096;

fn too_large() -> String {
    "x".repeat(LIMIT + 100)
}

fn proposal_csv(rows: &[Row]) -> Vec<u8> {
    let mut out = b"id,title,funding.amount_requested\n".to_vec();
    for r in rows {
        let line: Vec<u8> = match r {
            // "Café": a character only UTF-8 writes, so the file is read as UTF-8 and a row
            // that breaks it is reported (a file with no such character would be read as
            // Windows-1252, where every byte is a character).
            Row::Good(n) => format!("G-{n},Good bid {n} at the Café,100").into_bytes(),
            Row::Broken(Break::UnclosedQuote) => b"B-1,\"never closed,100".to_vec(),
            Row::Broken(Break::WrongCells) => b"B-2,two cells".to_vec(),
            Row::Broken(Break::BadValue) => b"B-3,bad value,lots".to_vec(),
            Row::Broken(Break::NotUtf8) => b"B-4,\xff\xfe,100".to_vec(),
            Row::Broken(Break::TooLarge) => format!("B-5,{},100", too_large()).into_bytes(),
            Row::Broken(b) => panic!("{b:?} is not a CSV break"),
        };
        out.extend(line);
        out.push(b'\n');
    }
    out
}

fn giving_csv(rows: &[Row]) -> Vec<u8> {
    let mut out = b"Identifier,Title,Amount Awarded,Currency\n".to_vec();
    for r in rows {
        let line: Vec<u8> = match r {
            Row::Good(n) => format!("360G-{n},Grant {n} for the Café,500,GBP").into_bytes(),
            Row::Broken(Break::UnclosedQuote) => b"360G-b1,\"never closed,500,GBP".to_vec(),
            Row::Broken(Break::WrongCells) => b"360G-b2,two".to_vec(),
            Row::Broken(Break::BadAmount) => b"360G-b3,Minus,-500,GBP".to_vec(),
            Row::Broken(Break::NotUtf8) => b"360G-b4,\xff,500,GBP".to_vec(),
            Row::Broken(Break::TooLarge) => format!("360G-b5,{},500,GBP", too_large()).into_bytes(),
            Row::Broken(b) => panic!("{b:?} is not a 360Giving CSV break"),
        };
        out.extend(line);
        out.push(b'\n');
    }
    out
}

fn json_lines(rows: &[Row]) -> Vec<u8> {
    let mut out = Vec::new();
    for r in rows {
        let line: Vec<u8> = match r {
            Row::Good(n) => format!(
                "{{\"id\": \"J-{n}\", \"title\": \"Line {n}\", \"funding\": {{\"amount_requested\": 100}}}}"
            )
            .into_bytes(),
            Row::Broken(Break::BadJson) => b"{\"id\": \"J-b1\", ".to_vec(),
            Row::Broken(Break::KeyTwice) => {
                b"{\"id\": \"J-b2\", \"title\": \"a\", \"title\": \"b\", \"funding\": {\"amount_requested\": 1}}".to_vec()
            }
            Row::Broken(Break::BadValue) => {
                b"{\"id\": \"J-b3\", \"title\": \"t\", \"funding\": {\"amount_requested\": \"lots\"}}".to_vec()
            }
            Row::Broken(Break::NotUtf8) => b"{\"id\": \"J-b4\", \"title\": \"\xff\"}".to_vec(),
            Row::Broken(Break::TooLarge) => {
                format!("{{\"id\": \"J-b5\", \"title\": \"{}\"}}", too_large()).into_bytes()
            }
            Row::Broken(b) => panic!("{b:?} is not a JSON Lines break"),
        };
        out.extend(line);
        out.push(b'\n');
    }
    out
}

fn giving_json(rows: &[Row]) -> Vec<u8> {
    let grants: Vec<String> = rows
        .iter()
        .map(|r| match r {
            Row::Good(n) => {
                format!(
                    "{{\"id\": \"360G-{n}\", \"title\": \"Grant {n}\", \"amountAwarded\": 500}}"
                )
            }
            Row::Broken(Break::NotAnObject) => "5".to_string(),
            Row::Broken(Break::KeyTwice) => {
                "{\"id\": \"360G-b1\", \"title\": \"a\", \"title\": \"b\", \"amountAwarded\": 5}"
                    .to_string()
            }
            Row::Broken(Break::BadAmount) => {
                "{\"id\": \"360G-b2\", \"title\": \"t\", \"amountAwarded\": \"five\"}".to_string()
            }
            Row::Broken(Break::TooLarge) => format!(
                "{{\"id\": \"360G-b3\", \"title\": \"{}\", \"amountAwarded\": 5}}",
                too_large()
            ),
            Row::Broken(b) => panic!("{b:?} is not a 360Giving JSON break"),
        })
        .collect();
    format!("{{\"grants\": [\n{}\n]}}\n", grants.join(",\n")).into_bytes()
}

/// Every batch reader. Add a new one here.
const FORMATS: &[Format] = &[
    Format {
        file: "round.csv",
        write: proposal_csv,
        breaks: &[
            Break::UnclosedQuote,
            Break::WrongCells,
            Break::BadValue,
            Break::NotUtf8,
            Break::TooLarge,
        ],
        mapping: None,
    },
    Format {
        file: "grants.csv",
        write: giving_csv,
        breaks: &[
            Break::UnclosedQuote,
            Break::WrongCells,
            Break::BadAmount,
            Break::NotUtf8,
            Break::TooLarge,
        ],
        mapping: None,
    },
    Format {
        file: "round.jsonl",
        write: json_lines,
        breaks: &[
            Break::BadJson,
            Break::KeyTwice,
            Break::BadValue,
            Break::NotUtf8,
            Break::TooLarge,
        ],
        mapping: None,
    },
    Format {
        file: "grants.json",
        write: giving_json,
        breaks: &[
            Break::NotAnObject,
            Break::KeyTwice,
            Break::BadAmount,
            Break::TooLarge,
        ],
        mapping: None,
    },
    Format {
        file: "export.csv",
        write: export_csv,
        breaks: &[
            Break::UnclosedQuote,
            Break::WrongCells,
            Break::BadAmount,
            Break::NotUtf8,
            Break::TooLarge,
            Break::MissingId,
            Break::DuplicateId,
        ],
        mapping: Some(EXPORT_MAPPING),
    },
    Format {
        file: "export.xlsx",
        write: export_xlsx,
        breaks: &[Break::BadAmount, Break::MissingId, Break::DuplicateId],
        mapping: Some(EXPORT_MAPPING),
    },
];

/// Reads `path` with every row resolved, under the small [`LIMIT`].
fn read_all(path: &Path) -> Vec<stronger::batch::Item> {
    read_mapped(path, None)
}

/// [`read_all`], through a mapping when one is given.
fn read_mapped(path: &Path, mapping: Option<&str>) -> Vec<stronger::batch::Item> {
    let schema = ProposalSchema::builtin();
    let limits = Limits {
        max_bid_bytes: LIMIT,
        ..Limits::default()
    };
    let mapping =
        mapping.map(|m| stronger::batch::Mapping::parse("map.toml", m, schema.fields()).unwrap());
    let options = stronger::batch::ReadOptions {
        mapping: mapping.as_ref(),
        ..Default::default()
    };
    let mut items = Vec::new();
    stronger::batch::read_input_with(path, schema, &limits, &options, &mut |item| {
        items.push(item.resolve(schema, &limits));
        true
    });
    items
}

/// The invariant: given rows of which some are broken (every break the format has, each
/// between good rows), every row comes out as exactly one item, in order: the good ones as
/// bids, the broken ones as errors.
fn every_row_is_accounted_for(format: &Format) {
    let mut rows = vec![Row::Good(0)];
    for (i, b) in format.breaks.iter().enumerate() {
        rows.push(Row::Broken(*b));
        rows.push(Row::Good(i + 1));
        rows.push(Row::Good(i + 100));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format.file);
    std::fs::write(&path, (format.write)(&rows)).unwrap();
    let items = read_mapped(&path, format.mapping);
    let appraised = items.iter().filter(|i| i.bid.is_ok()).count();
    let reported = items.iter().filter(|i| i.bid.is_err()).count();
    assert_eq!(
        (appraised, reported),
        (rows.len() - format.breaks.len(), format.breaks.len()),
        "{}: {:#?}",
        format.file,
        items
            .iter()
            .map(|i| (
                i.line,
                i.bid.as_ref().map(|b| &b.id).map_err(|e| &e.message)
            ))
            .collect::<Vec<_>>()
    );
    for (row, item) in rows.iter().zip(&items) {
        match row {
            Row::Good(_) => assert!(item.bid.is_ok(), "{}: {row:?}: {:?}", format.file, item),
            Row::Broken(_) => assert!(item.bid.is_err(), "{}: {row:?}: {:?}", format.file, item),
        }
    }
}

#[test]
fn every_batch_reader_accounts_for_every_row() {
    for format in FORMATS {
        every_row_is_accounted_for(format);
    }
}

// The case the issue found: 1,000 bids in a CSV, one quote left open in row 497. Before, the
// 503 rows from there on disappeared into one cell and the error spoke of a cell count.
#[test]
fn an_unclosed_quote_is_reported_and_the_rows_after_it_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows: Vec<Row> = (1..=1000).map(Row::Good).collect();
    rows[496] = Row::Broken(Break::UnclosedQuote);
    let csv = dir.path().join("round.csv");
    std::fs::write(&csv, proposal_csv(&rows)).unwrap();
    let out = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&[
        "screen",
        csv.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.ends_with(": 999 appraised, 1 could not be read (see errors.csv)\n"),
        "{err}"
    );
    let errors = std::fs::read_to_string(out.path().join("errors.csv")).unwrap();
    assert_eq!(
        errors,
        format!(
            "\u{feff}source,line,id,message\n{},498,,\"the quote at column 5 is never closed, so the row ran on to line 1001 (the row has 2 cells; the header has 3); the row was not read, and reading went on at line 499 (close the quote, or double a quote inside quoted text (\"\"\"\"))\"\n",
            csv.display()
        )
    );
}

// A binary file named `.csv` was read as CSV; it is refused as binary.
#[test]
fn a_binary_file_named_csv_is_refused_as_binary() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("round.csv");
    std::fs::write(&csv, b"id,title\n\x00\x01\x02PK\x03\x04").unwrap();
    let items = read_all(&csv);
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].bid.as_ref().unwrap_err().message,
        "this is a binary file (a zero byte at offset 9), not a CSV file (a batch of bids is a text file: CSV, JSON Lines or 360Giving JSON, or an Excel workbook (.xlsx))"
    );
}

/// Runs `stronger` with `args`, failing the test (not hanging it) past a minute.
#[cfg(unix)]
fn run_within_a_minute(args: &[&str]) -> (i32, String, String) {
    use std::io::Read;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_stronger"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("`stronger {}` hung", args.join(" "));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let (mut out, mut err) = (String::new(), String::new());
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (status.code().unwrap_or(-1), out, err)
}

// Issue 12, item 4: a symlink to `.` inside a folder appraised one bid 41 times, two such links
// never finished, and a named pipe called `*.toml` hung `appraise` and `screen` forever. The
// walk now reads each folder and file once, opens only regular files, and says what it skipped.
#[cfg(unix)]
#[test]
fn folder_inputs_cannot_loop_or_block() {
    let dir = tempfile::tempdir().unwrap();
    let round = dir.path().join("round");
    std::fs::create_dir(&round).unwrap();
    std::fs::write(round.join("bid.toml"), MINIMAL).unwrap();
    std::os::unix::fs::symlink(".", round.join("again")).unwrap();
    std::os::unix::fs::symlink("..", round.join("up")).unwrap();
    std::os::unix::fs::symlink("bid.toml", round.join("same.toml")).unwrap();
    let pipe = round.join("pipe.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .unwrap();
    assert!(made.success());
    let r = round.display();
    let warnings = format!(
        "warning: skipped: a link to a folder already being read\n  --> {r}/again\n\
         warning: skipped: not a regular file (a named pipe)\n  --> {r}/pipe.toml\n\
         warning: skipped: the same file as `{r}/bid.toml`\n  --> {r}/same.toml\n\
         warning: skipped: a link to a folder already being read\n  --> {r}/up/round\n"
    );
    let (code, out, err) = run_within_a_minute(&["appraise", &r.to_string(), "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 1, "one bid, once: {out}");
    assert_eq!(err, warnings);
    let out_dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run_within_a_minute(&[
        "screen",
        &r.to_string(),
        "--out",
        out_dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.starts_with(&warnings), "{err}");
    assert!(err.ends_with(": 1 appraised\n"), "{err}");
    // Named on the command line, the pipe is refused, not waited on.
    let (code, _, err) = run_within_a_minute(&["appraise", pipe.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!(
            "error: cannot open the file: not a regular file (a named pipe)\n  --> {}\n",
            pipe.display()
        )
    );
}

// Issue 12, item 4: `screen` on an empty folder, or a folder with no bids, said "0 bids" and
// exited 0. It is now exit status 2 with a message.
#[test]
fn screen_with_no_bids_is_an_error() {
    let empty = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = out.path().to_str().unwrap();
    let (code, _, err) = run(&["screen", empty.path().to_str().unwrap(), "--out", o]);
    assert_eq!(
        (code, err.as_str()),
        (
            2,
            "error: no bids to screen: the folders hold no bid files (.toml, .json, .jsonl, .csv, .xlsx)\n"
        )
    );
    std::fs::write(empty.path().join("notes.txt"), "not a bid").unwrap();
    std::fs::write(
        empty.path().join("round.csv"),
        "id,title,funding.amount_requested\n",
    )
    .unwrap();
    let (code, _, err) = run(&["screen", empty.path().to_str().unwrap(), "--out", o]);
    assert_eq!(
        (code, err.as_str()),
        (2, "error: no bids to screen: the inputs hold none\n")
    );
}
