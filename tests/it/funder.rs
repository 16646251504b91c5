//! Issue 16: a funder's real round. Their own export (the platform's column names, mostly
//! free text) in CSV — UTF-8, with a byte-order mark, Windows-1252, `;` — and Excel, read
//! through a mapping; `map init`; the mapping's own errors, located; a bad value in one row
//! (a located warning, every other row appraised); the panel pack out: `summary.csv`,
//! `summary.xlsx` read back cell by cell, `questions.csv`, the budget line.

use crate::support::*;
use std::path::{Path, PathBuf};

const EXPORT: &str = "tests/data/funder/riverside-export.csv";
const MAP: &str = "tests/data/funder/riverside-mapping.toml";

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

/// Screens `inputs` with the funder's mapping into a fresh folder.
fn screen_with_map(inputs: &[&str], extra: &[&str]) -> (i32, tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    let mut args = vec!["screen"];
    args.extend_from_slice(inputs);
    args.extend_from_slice(&["--map", MAP, "--out", out.path().to_str().unwrap()]);
    args.extend_from_slice(extra);
    let (code, _, err) = run(&args);
    (code, out, err)
}

/// The export as a spreadsheet saves it: `bom` first, text in Windows-1252 or UTF-8, cells
/// separated by `delimiter`.
fn export_as(dir: &Path, name: &str, bom: bool, cp1252: bool, delimiter: u8) -> PathBuf {
    let text = std::fs::read_to_string(root().join(EXPORT)).unwrap();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    for r in rdr.records() {
        w.write_record(&r.unwrap()).unwrap();
    }
    let utf8 = String::from_utf8(w.into_inner().unwrap()).unwrap();
    let mut bytes = Vec::new();
    if bom {
        bytes.extend("\u{feff}".as_bytes());
    }
    if cp1252 {
        let (encoded, _, lossy) = encoding_rs::WINDOWS_1252.encode(&utf8);
        assert!(!lossy, "the export is all Windows-1252 characters");
        bytes.extend(encoded.iter());
    } else {
        bytes.extend(utf8.as_bytes());
    }
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// The export as an Excel workbook: numbers as numbers, the amounts as text, a formula for one
/// total cost, the dates as dates.
fn export_xlsx(dir: &Path) -> PathBuf {
    use rust_xlsxwriter::{Format, Formula, Workbook};
    let text = std::fs::read_to_string(root().join(EXPORT)).unwrap();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("Applications").unwrap();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (r, rec) in rdr.records().enumerate() {
        let rec = rec.unwrap();
        for (c, cell) in rec.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            if cell.is_empty() {
                continue;
            }
            let number = cell.replace(['£', ','], "").parse::<f64>().ok();
            match (r, c, number) {
                // Dates as Excel stores them: a serial number in a date format.
                (1.., 1, _) => {
                    let d: Vec<u16> = cell.split('/').map(|x| x.parse().unwrap()).collect();
                    let dt = rust_xlsxwriter::ExcelDateTime::from_ymd(d[2], d[1] as u8, d[0] as u8)
                        .unwrap();
                    ws.write_datetime_with_format(r, c, &dt, &date).unwrap();
                }
                // The first total cost as a formula, with its cached value.
                (1, 8, Some(x)) => {
                    ws.write_formula(r, c, Formula::new("=12500+5500").set_result(x.to_string()))
                        .unwrap();
                }
                // Amounts requested stay text ("£12,500.00"): numbers stored as text.
                (1.., 7, _) => {
                    ws.write_string(r, c, cell).unwrap();
                }
                (1.., _, Some(x)) if !cell.starts_with('0') => {
                    ws.write_number(r, c, x).unwrap();
                }
                _ => {
                    ws.write_string(r, c, cell).unwrap();
                }
            }
        }
    }
    let p = dir.join("riverside-export.xlsx");
    book.save(&p).unwrap();
    p
}

/// `summary.csv`, with the input named `source` called `EXPORT` (an unreadable row's error
/// names it).
fn ranking(dir: &Path, source: &str) -> String {
    read(dir, "summary.csv").replace(source, "EXPORT")
}

#[test]
fn an_export_in_the_platforms_own_columns_is_mapped_and_screened() {
    let (code, out, err) = screen_with_map(&[EXPORT], &[]);
    assert_eq!(code, 1, "one row has no usable amount: {err}");
    insta::assert_snapshot!("funder_summary_csv", ranking(out.path(), EXPORT));
    assert_eq!(
        read(out.path(), "errors.csv"),
        format!(
            "\u{feff}source,line,id,message\n{EXPORT},8,RCF-0107,\"`funding.amount_requested`: column `Amount requested (£)` (H): expected an amount of money, such as `12500` or `£12,500.00`, found the text \"\"TBC\"\"; every application needs `funding.amount_requested`\"\n"
        )
    );
    assert!(
        err.ends_with(": 9 appraised, 1 could not be read (see errors.csv)\n"),
        "{err}"
    );
    // Every appraisal names the mapping that made its bid.
    let hash = {
        use sha2::Digest;
        let bytes = std::fs::read(root().join(MAP)).unwrap();
        let d = sha2::Sha256::digest(&bytes);
        format!(
            "sha256:{}",
            d.iter().map(|b| format!("{b:02x}")).collect::<String>()
        )
    };
    for line in read(out.path(), "appraisals.jsonl").lines() {
        let a: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(a["provenance"]["mapping"], hash.as_str());
    }
}

#[test]
fn a_bad_value_in_one_row_is_a_located_warning_and_the_row_is_still_appraised() {
    let (_, out, err) = screen_with_map(&[EXPORT], &[]);
    for warning in [
        format!(
            "warning: column `Project length` (J): expected a number of months, such as `18`, `18 months` or `2 years`, found the text \"about a year\"; `funding.duration_months` is left not stated\n  --> {EXPORT}:6 (field `funding.duration_months`)\n"
        ),
        format!(
            "warning: column `Organisation type` (D): expected an entry of the value map `organisation_types`, or one of charity, cio, cic, community-group, parish-council, town-council, school, faith-group, social-enterprise, business, public-body, other, found the text \"Friendly society\"; `applicant.kind` is left not stated\n  --> {EXPORT}:6 (field `applicant.kind`)\n"
        ),
    ] {
        assert!(err.contains(&warning), "{err}");
    }
    let csv = read(out.path(), "summary.csv");
    assert!(csv.contains(",RCF-0105,A bigger shed,"), "{csv}");
}

#[test]
fn every_encoding_and_delimiter_a_spreadsheet_saves_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let (_, reference, _) = screen_with_map(&[EXPORT], &[]);
    let want = ranking(reference.path(), EXPORT);
    for (name, bom, cp1252, delim) in [
        ("bom.csv", true, false, b','),
        ("windows-1252.csv", false, true, b','),
        ("semicolons.csv", false, true, b';'),
        ("bom-semicolons.csv", true, false, b';'),
    ] {
        let p = export_as(dir.path(), name, bom, cp1252, delim);
        let (code, out, err) = screen_with_map(&[p.to_str().unwrap()], &[]);
        assert_eq!(code, 1, "{name}: {err}");
        assert_eq!(
            ranking(out.path(), &p.display().to_string()),
            want,
            "{name}"
        );
        if cp1252 {
            assert!(
                err.contains("warning: the file is not UTF-8: read as Windows-1252"),
                "{name}: {err}"
            );
        }
    }
}

#[test]
fn an_excel_export_reads_as_its_csv_does() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = export_xlsx(dir.path());
    let (_, reference, _) = screen_with_map(&[EXPORT], &[]);
    let (code, out, err) = screen_with_map(&[xlsx.to_str().unwrap()], &[]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        ranking(out.path(), &xlsx.display().to_string()),
        ranking(reference.path(), EXPORT)
    );
    // The error row is located by its row in the sheet.
    let errors = read(out.path(), "errors.csv");
    assert!(
        errors.contains("riverside-export.xlsx,8,RCF-0107,"),
        "{errors}"
    );
    // `map init` drafts from the workbook the columns it drafts from the CSV: numbers stored as
    // numbers, amounts as text and a formula's cached value are guessed alike.
    let draft = |export: &str, name: &str| {
        let map = dir.path().join(name);
        let (code, _, err) = run(&["map", "init", export, "--out", map.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        let text = std::fs::read_to_string(&map).unwrap();
        let columns = &text[text.find("[columns]").unwrap()..];
        columns[..columns.find("\n[values").unwrap()].to_string()
    };
    assert_eq!(
        draft(xlsx.to_str().unwrap(), "from-xlsx.toml"),
        draft(EXPORT, "from-csv.toml")
    );
}

#[test]
fn the_csv_files_start_with_a_byte_order_mark() {
    let (_, out, _) = screen_with_map(&[EXPORT], &[]);
    for f in ["summary.csv", "errors.csv", "questions.csv"] {
        let bytes = std::fs::read(out.path().join(f)).unwrap();
        assert_eq!(&bytes[..3], b"\xef\xbb\xbf", "{f}");
    }
}

#[test]
fn the_workbook_is_read_back_cell_by_cell() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let (_, out, _) = screen_with_map(&[EXPORT], &["--budget", "£30,000"]);
    let mut book: Xlsx<_> = open_workbook(out.path().join("summary.xlsx")).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["Ranking", "Questions", "Unreadable", "Key"]
    );
    let ranking = book.worksheet_range("Ranking").unwrap();
    let header: Vec<String> = ranking
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        header[..8],
        [
            "Rank",
            "Id",
            "Title",
            "Applicant",
            "Amount requested",
            "Outcome",
            "Total",
            "NI1 cohesion: score"
        ]
    );
    assert!(header.contains(&"Running total of the funded".to_string()));
    let first = ranking.rows().nth(1).unwrap();
    // Typed: the rank and the amount are numbers, the title text.
    assert_eq!(first[0], Data::Float(1.0));
    assert!(matches!(first[4], Data::Float(_)), "{:?}", first[4]);
    assert!(matches!(first[2], Data::String(_)), "{:?}", first[2]);
    let rows: Vec<Vec<Data>> = ranking.rows().skip(1).map(<[Data]>::to_vec).collect();
    assert_eq!(rows.len(), 9);
    let ids: Vec<String> = rows.iter().map(|r| r[1].to_string()).collect();
    let csv_ids: Vec<String> = read(out.path(), "summary.csv")
        .lines()
        .skip(1)
        .filter(|l| !l.contains(",error,"))
        .map(|l| l.split(',').nth(1).unwrap().to_string())
        .collect();
    assert_eq!(ids, csv_ids, "the workbook ranks as summary.csv does");
    let questions = book.worksheet_range("Questions").unwrap();
    let q = questions.rows().nth(1).unwrap();
    assert!(q[6].to_string().starts_with("1. "), "{:?}", q[6]);
    let unreadable = book.worksheet_range("Unreadable").unwrap();
    let u = unreadable.rows().nth(1).unwrap();
    assert_eq!(u[0], Data::String(EXPORT.to_string()));
    assert_eq!(u[1], Data::Float(8.0));
    assert_eq!(u[2], Data::String("RCF-0107".to_string()));
    // Every cell of the ranking, with its type: n for a number, s for text, b for a flag.
    let typed = |c: &Data| match c {
        Data::Float(x) => format!("n:{x}"),
        Data::Int(x) => format!("n:{x}"),
        Data::String(t) => format!("s:{t}"),
        Data::Bool(b) => format!("b:{b}"),
        Data::Empty => String::new(),
        other => format!("?:{other:?}"),
    };
    let cells: Vec<String> = ranking
        .rows()
        .map(|r| r.iter().map(typed).collect::<Vec<_>>().join(" | "))
        .collect();
    insta::assert_snapshot!("funder_summary_xlsx_ranking", cells.join("\n"));
}

#[test]
fn text_from_a_bid_reaches_the_workbook_as_text_never_a_formula() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = tempfile::tempdir().unwrap();
    let export = std::fs::read_to_string(root().join(EXPORT))
        .unwrap()
        .replace(
            "Walking football for the over 60s",
            "\"=HYPERLINK(\"\"http://example.com/\"\",\"\"click\"\")\"",
        )
        .replace("Eastbridge Walking Football", "@SUM(1+1)");
    let path = dir.path().join("export.csv");
    std::fs::write(&path, export).unwrap();
    let (_, out, err) = screen_with_map(&[path.to_str().unwrap()], &[]);
    let mut book: Xlsx<_> = open_workbook(out.path().join("summary.xlsx")).unwrap();
    for sheet in ["Ranking", "Questions", "Unreadable", "Key"] {
        let formulas = book.worksheet_formula(sheet).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{sheet} has a formula"
        );
    }
    let ranking = book.worksheet_range("Ranking").unwrap();
    let row = ranking
        .rows()
        .find(|r| r[1] == Data::String("RCF-0102".into()))
        .unwrap_or_else(|| panic!("{err}"));
    assert_eq!(
        row[2],
        Data::String("=HYPERLINK(\"http://example.com/\",\"click\")".into())
    );
    assert_eq!(row[3], Data::String("@SUM(1+1)".into()));
}

#[test]
fn questions_to_send_are_one_row_per_bid_for_a_mail_merge() {
    let (_, out, _) = screen_with_map(&[EXPORT], &[]);
    let q = read(out.path(), "questions.csv");
    let mut rdr = csv::Reader::from_reader(q.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "rank",
            "id",
            "title",
            "applicant",
            "outcome",
            "questions_count",
            "questions",
            "rules"
        ]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    for r in &rows {
        let n: usize = r[5].parse().unwrap();
        assert_eq!(r[6].lines().count(), n, "{r:?}");
        assert!(r[6].starts_with("1. "), "{r:?}");
    }
}

#[test]
fn the_budget_keeps_a_running_total_and_marks_where_the_pot_runs_out() {
    // The riverside round has no bid that would be funded: the pot funds none, and says so.
    let (_, out, err) = screen_with_map(&[EXPORT], &["--budget", "10000"]);
    assert!(
        err.ends_with("\nthe pot of £10,000 funds no bid: none has an outcome that is funded\n"),
        "{err}"
    );
    let md = read(out.path(), "summary.md");
    assert!(md.contains("A pot of £10,000"), "{md}");
    let html = read(out.path(), "summary.html");
    assert!(html.contains("Running total"), "html");
    assert!(!html.contains("None"), "an empty running total is empty");
    // The examples: five would be funded; £100,000 covers the first three, in rank order.
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let (code, _, err) = run_on_examples(&["screen"], &["--budget", "£100,000", "--out", dir]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.ends_with("\nthe pot of £100,000 funds the first 3 bids that would be funded (£84,800 asked); 2 more bids that would be funded go without (£57,700 asked)\n"),
        "{err}"
    );
    let csv = read(out.path(), "summary.csv");
    let mut rdr = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header = rdr.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(
        header.len() - 2,
        at("running_total"),
        "the budget's columns come last"
    );
    let lines: Vec<String> = rdr
        .records()
        .map(|r| {
            let r = r.unwrap();
            [
                "rank",
                "id",
                "outcome",
                "amount_requested",
                "running_total",
                "within_budget",
            ]
            .map(|c| r[at(c)].to_string())
            .join(",")
        })
        .collect();
    insta::assert_snapshot!("funder_budget_columns", lines.join("\n"));
    // The page and the workbook mark the bid where the pot runs out.
    let html = read(out.path(), "summary.html");
    assert_eq!(html.matches("class=\"pot-out\"").count(), 1);
}

#[test]
fn map_init_drafts_a_mapping_that_reads_the_export() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("map.toml");
    let (code, out, err) = run(&["map", "init", EXPORT, "--out", map.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "");
    let draft = std::fs::read_to_string(&map).unwrap();
    insta::assert_snapshot!("funder_map_init", draft);
    // The draft reads the export as it stands.
    let o = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&[
        "screen",
        EXPORT,
        "--map",
        map.to_str().unwrap(),
        "--out",
        o.path().to_str().unwrap(),
    ]);
    assert!(
        code == 1 && err.contains(": 9 appraised, 1 could not be read"),
        "{err}"
    );
    // An edited mapping is not replaced.
    let (code, _, err) = run(&["map", "init", EXPORT, "--out", map.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("exists: it may hold someone's edits"), "{err}");
}

/// Runs `screen` on the export with the mapping `text`; the exit status and stderr.
fn with_mapping(text: &str, export: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("map.toml");
    std::fs::write(&map, text).unwrap();
    let out = dir.path().join("out");
    let (code, _, err) = run(&[
        "screen",
        export,
        "--map",
        map.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    (code, err.replace(&dir.path().display().to_string(), "DIR"))
}

#[test]
fn the_mappings_own_errors_are_located_with_a_did_you_mean() {
    let base = "[columns]\n\"Application ID\" = \"id\"\n\"Project title\" = \"title\"\n\"Amount requested (£)\" = \"funding.amount_requested\"\n";
    let cases: &[(&str, &str)] = &[
        (
            "\"Project lenght\" = \"funding.duration_months\"\n",
            "error: the export `tests/data/funder/riverside-export.csv` has no column `Project lenght`\n  --> DIR/map.toml:5:1\n  |\n5 | \"Project lenght\" = \"funding.duration_months\"\n  | ^\n  = help: did you mean `Project length`?\n",
        ),
        (
            "\"Project length\" = \"funding.duration_month\"\n",
            "error: the proposal has no field `funding.duration_month`\n  --> DIR/map.toml:5:20\n  |\n5 | \"Project length\" = \"funding.duration_month\"\n  |                    ^\n  = help: did you mean `funding.duration_months`?\n",
        ),
        (
            "\"Total project cost (£)\" = \"funding.amount_requested\"\n",
            "error: `Amount requested (£)` and `Total project cost (£)` both map to `funding.amount_requested`, which holds one value\n  --> DIR/map.toml:5:1\n  |\n5 | \"Total project cost (£)\" = \"funding.amount_requested\"\n  | ^\n  = help: map one of them to `funding.amount_requested`, and the other to another field or to \"ignore\"\n",
        ),
        (
            "\"Organisation type\" = { field = \"applicant.kind\", values = { \"Registered charity\" = \"charitee\" } }\n",
            "error: `Registered charity` maps to the text \"charitee\", which `applicant.kind` cannot hold: expected one of charity, cio, cic, community-group, parish-council, town-council, school, faith-group, social-enterprise, business, public-body, other\n  --> DIR/map.toml:5:85\n  |\n5 | …\" = { field = \"applicant.kind\", values = { \"Registered charity\" = \"charitee\" } }\n  |                                                                    ^\n  = help: did you mean `charity`?\n",
        ),
        (
            "\"Organisation type\" = { field = \"applicant.kind\", values = \"org_type\" }\n[values.org_types]\n\"PCC\" = \"faith-group\"\n",
            "error: there is no value map `org_type`\n  --> DIR/map.toml:5:60\n  |\n5 | \"Organisation type\" = { field = \"applicant.kind\", values = \"org_type\" }\n  |                                                            ^\n  = help: did you mean `org_types`?\n",
        ),
        (
            "\"Which area will benefit?\" = \"partners.name\"\n",
            "error: `partners.name` needs an entry number for `partners`\n  --> DIR/map.toml:5:30\n  |\n5 | \"Which area will benefit?\" = \"partners.name\"\n  |                              ^\n  = help: e.g. `partners[0].name` for the first, `partners[1].name` for the second\n",
        ),
        (
            "[export]\nsheeet = \"Applications\"\n",
            "error: unknown key `export.sheeet`\n  --> DIR/map.toml:6:1\n  |\n6 | sheeet = \"Applications\"\n  | ^\n  = help: did you mean `sheet`?\n",
        ),
    ];
    for (extra, want) in cases {
        let (code, err) = with_mapping(&format!("{base}{extra}"), EXPORT);
        assert_eq!(code, 2, "{extra}");
        assert!(err.starts_with(want), "{extra}\n{err}");
        assert!(err.contains("nothing was read"), "{err}");
    }
    // No id column.
    let (code, err) = with_mapping(
        "[columns]\n\"Project title\" = \"title\"\n\"Amount requested (£)\" = \"funding.amount_requested\"\n",
        EXPORT,
    );
    assert_eq!(code, 2);
    assert!(
        err.starts_with(
            "error: no column maps to `id`, which every application needs\n  --> DIR/map.toml:1:2\n"
        ),
        "{err}"
    );
}

#[test]
fn duplicate_ids_blank_and_duplicate_headers_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export.csv");
    std::fs::write(
        &export,
        "Ref,Title,Amount,,Notes,Notes\nA-1,One,100,x,,\nA-2,Two,200,,,\nA-1,Again,300,,,\n",
    )
    .unwrap();
    let map = "[columns]\nRef = \"id\"\nTitle = \"title\"\nAmount = \"funding.amount_requested\"\n";
    let (code, err) = with_mapping(map, export.to_str().unwrap());
    assert_eq!(code, 1, "{err}");
    let e = export.display();
    assert!(
        err.contains(&format!(
            "warning: column D has no name in the header row, and is not read\n  --> {e}:1:1\n"
        )),
        "{err}"
    );
    assert!(err.contains("warning: 2 columns of the export are not in the mapping, and are not read: `Notes` and `Notes`\n"), "{err}");
    assert!(err.contains(": 2 appraised, 1 could not be read"), "{err}");
    // A mapping that names a column the export has twice cannot say which it means.
    let (code, err) = with_mapping(
        &format!("{map}Notes = \"summary\"\n"),
        export.to_str().unwrap(),
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("has 2 columns named `Notes` (columns E, F)"),
        "{err}"
    );
    // The duplicate id is an error row naming the first.
    let out = tempfile::tempdir().unwrap();
    let m = dir.path().join("map.toml");
    std::fs::write(&m, map).unwrap();
    run(&[
        "screen",
        export.to_str().unwrap(),
        "--map",
        m.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    let errors = read(out.path(), "errors.csv");
    assert!(errors.contains(",4,A-1,`id`: the id `A-1` is also the id of the application on line 2: each application needs its own"), "{errors}");
}

#[test]
fn standard_input_is_read_with_its_format_named() {
    let out = tempfile::tempdir().unwrap();
    let export = std::fs::read(root().join(EXPORT)).unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_stronger"))
        .args([
            "screen",
            "-",
            "--input-format",
            "csv",
            "--map",
            MAP,
            "--out",
            out.path().to_str().unwrap(),
        ])
        .current_dir(root())
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.as_ref().unwrap().write_all(&export).unwrap();
    let done = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(1), "{err}");
    let errors = read(out.path(), "errors.csv");
    assert!(errors.contains("\n<stdin>,8,RCF-0107,"), "{errors}");
    let (code, _, err) = run(&["screen", "-", "--out", out.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("say what it holds with `--input-format`"),
        "{err}"
    );
}

#[test]
fn one_application_of_an_export_is_picked_by_its_id() {
    let (code, out, err) = run(&[
        "advise", EXPORT, "--map", MAP, "--id", "RCF-0104", "--format", "json",
    ]);
    assert!(code == 0 || code == 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["proposal"]["id"], "RCF-0104", "{out}");
    let (code, _, err) = run(&["explain", EXPORT, "--map", MAP, "--id", "RCF-104"]);
    assert_eq!(code, 2);
    assert!(
        err.ends_with("has no application with the id `RCF-104`; did you mean `RCF-0104`?\n"),
        "{err}"
    );
    let (code, _, err) = run(&[
        "what-if",
        EXPORT,
        "--map",
        MAP,
        "--set",
        "volunteering.training=true",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("holds 10 applications: pick one with `--id ID`")
            || err.contains("holds 9 applications"),
        "{err}"
    );
}

#[test]
fn appraise_and_rules_diff_take_what_screen_takes() {
    let (code, out, err) = run(&["appraise", EXPORT, "--map", MAP, "--format", "json"]);
    assert_eq!(code, 2, "a row could not be read: {err}");
    assert_eq!(out.lines().count(), 9);
    let (code, out, err) = run(&[
        "rules", "diff", "--base", "default", "--rules", "default", "--corpus", EXPORT, "--map",
        MAP,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("9 bids: 0 changed"), "{out}");
}

#[test]
fn every_verbs_help_ends_with_its_exit_statuses() {
    for verb in [
        &["appraise"][..],
        &["screen"],
        &["advise"],
        &["what-if"],
        &["compare"],
        &["explain"],
        &["rules", "check"],
        &["rules", "test"],
        &["rules", "diff"],
        &["map", "init"],
    ] {
        let mut args = verb.to_vec();
        args.push("--help");
        let (code, out, _) = run(&args);
        assert_eq!(code, 0);
        let tail = out.trim_end().rsplit("Exit status:").next().unwrap();
        assert!(out.contains("\nExit status:\n  0  "), "{verb:?}: {out}");
        assert!(tail.contains("\n  2  "), "{verb:?}: {tail}");
    }
}

/// Reads a workbook through `mapping` with the library's reader, under `limits`.
fn read_book(
    path: &Path,
    mapping: &str,
    sheet: Option<&str>,
    limits: &stronger::Limits,
) -> Vec<stronger::batch::Item> {
    let schema = stronger::ProposalSchema::builtin();
    let m = stronger::batch::Mapping::parse("map.toml", mapping, schema.fields()).unwrap();
    let options = stronger::batch::ReadOptions {
        mapping: Some(&m),
        sheet,
        ..Default::default()
    };
    let mut items = Vec::new();
    stronger::batch::read_input_with(path, schema, limits, &options, &mut |item| {
        items.push(item.resolve(schema, limits));
        true
    });
    items
}

const SMALL_MAP: &str = "[columns]\nRef = \"id\"\nTitle = \"title\"\nAmount = \"funding.amount_requested\"\nStarts = \"ignore\"\nArea = \"place.locality\"\n";

#[test]
fn a_workbook_reads_merged_cells_formulas_dates_and_numbers_stored_as_text() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.xlsx");
    let mut book = Workbook::new();
    book.add_worksheet()
        .set_name("Notes")
        .unwrap()
        .write_string(0, 0, "not this one")
        .unwrap();
    let ws = book.add_worksheet();
    ws.set_name("Round 1").unwrap();
    for (c, h) in ["Ref", "Title", "Amount", "Starts", "Area"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "B-1").unwrap();
    ws.write_string(1, 1, "=HYPERLINK(\"x\")").unwrap();
    ws.write_formula(1, 2, Formula::new("=1000+234").set_result("1234"))
        .unwrap();
    let date = Format::new().set_num_format("dd mmm yyyy");
    ws.write_datetime_with_format(1, 3, ExcelDateTime::from_ymd(2026, 9, 1).unwrap(), &date)
        .unwrap();
    // One area for two rows: a merged cell.
    ws.merge_range(1, 4, 2, 4, "Northgate", &Format::new())
        .unwrap();
    ws.write_string(2, 0, "B-2").unwrap();
    ws.write_string(2, 1, "Second").unwrap();
    ws.write_string(2, 2, "£2,500.00").unwrap();
    book.save(&path).unwrap();
    let items = read_book(
        &path,
        SMALL_MAP,
        Some("Round 1"),
        &stronger::Limits::default(),
    );
    let bids: Vec<&stronger::Proposal> = items.iter().map(|i| i.bid.as_ref().unwrap()).collect();
    assert_eq!(bids.len(), 2);
    assert_eq!(
        bids[0].doc["title"], "=HYPERLINK(\"x\")",
        "text, never a formula"
    );
    assert_eq!(
        bids[0].doc["funding"]["amount_requested"], 1234.0,
        "a formula's cached value"
    );
    assert_eq!(
        bids[1].doc["funding"]["amount_requested"], 2500.0,
        "a number stored as text"
    );
    assert_eq!(bids[0].doc["place"]["locality"], "Northgate");
    assert_eq!(
        bids[1].doc["place"]["locality"], "Northgate",
        "a merged cell fills its rows"
    );
    assert_eq!(items[0].line, Some(2));
    // A sheet that is not there: a did-you-mean.
    let items = read_book(
        &path,
        SMALL_MAP,
        Some("Round one"),
        &stronger::Limits::default(),
    );
    assert_eq!(
        items[0].bid.as_ref().unwrap_err().message,
        "the workbook has no sheet `Round one` (did you mean `Round 1`?)"
    );
}

#[test]
fn a_workbook_too_large_to_inflate_or_with_a_million_rows_is_refused_before_it_is_read() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().unwrap();
    // A million rows: the sheet says so, and nothing is read.
    let rows = dir.path().join("rows.xlsx");
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "Ref").unwrap();
    ws.write_string(1_000_000, 0, "far down").unwrap();
    book.save(&rows).unwrap();
    let items = read_book(
        &rows,
        "[columns]\nRef = \"id\"\n[defaults]\ntitle = \"t\"\n\"funding.amount_requested\" = 1\n",
        None,
        &stronger::Limits::default(),
    );
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].bid.as_ref().unwrap_err().message,
        "the sheet `Sheet1` has 1000001 rows or more; at most 100001 are read (the header and 100000 applications), so the workbook was not read (split the export into several workbooks, or save it as CSV, which is read a row at a time)"
    );
    // A part that inflates far past the limit: refused from the zip's directory.
    let big = dir.path().join("big.xlsx");
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "Ref").unwrap();
    for r in 1..20_000u32 {
        ws.write_string(
            r,
            0,
            "the same text, over and over, which compresses very well",
        )
        .unwrap();
    }
    book.save(&big).unwrap();
    let limits = stronger::Limits {
        max_workbook_bytes: 512 * 1024,
        ..stronger::Limits::default()
    };
    assert!(std::fs::metadata(&big).unwrap().len() < 512 * 1024);
    let items = read_book(
        &big,
        "[columns]\nRef = \"id\"\n[defaults]\ntitle = \"t\"\n\"funding.amount_requested\" = 1\n",
        None,
        &limits,
    );
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].bid.as_ref().unwrap_err().message,
        "the workbook inflates to more than 512 KiB, the most that is read (save the export as CSV, which is read a row at a time)"
    );
}

/// Every bid of `path`, read as `screen` reads it, with no mapping.
fn read_plain(path: &Path) -> Vec<serde_json::Value> {
    let schema = stronger::ProposalSchema::builtin();
    let limits = stronger::Limits::default();
    let options = stronger::batch::ReadOptions::default();
    let mut docs = Vec::new();
    stronger::batch::read_input_with(path, schema, &limits, &options, &mut |item| {
        docs.push(item.resolve(schema, &limits).bid.unwrap().doc);
        true
    });
    docs
}

#[test]
fn what_the_organisation_says_of_itself_becomes_its_purpose() {
    let dir = tempfile::tempdir().unwrap();
    // 360Giving, as JSON and as its flat CSV.
    let json = dir.path().join("grants.json");
    std::fs::write(
        &json,
        r#"{"grants": [{"id": "360G-1", "title": "Lunch club", "amountAwarded": 900, "currency": "GBP",
            "recipientOrganization": [{"id": "GB-CHC-1", "name": "Friends of Elm Park",
              "description": "We look after Elm Park and run its volunteer days."}]}]}"#,
    )
    .unwrap();
    let csv = dir.path().join("grants.csv");
    std::fs::write(
        &csv,
        "Identifier,Title,Amount Awarded,Currency,Recipient Org:Name,Recipient Org:Description\n360G-2,Lunch club,900,GBP,Friends of Elm Park,We look after Elm Park.\n",
    )
    .unwrap();
    let purposes: Vec<serde_json::Value> = [json, csv]
        .iter()
        .flat_map(|p| read_plain(p))
        .map(|d| d["applicant"]["purpose"].clone())
        .collect();
    assert_eq!(
        purposes,
        [
            "We look after Elm Park and run its volunteer days.",
            "We look after Elm Park."
        ]
    );
    // A form's "about your organisation", through the mapping.
    let schema = stronger::ProposalSchema::builtin();
    let limits = stronger::Limits::default();
    let text = std::fs::read_to_string(root().join(MAP)).unwrap();
    let m = stronger::batch::Mapping::parse("map.toml", &text, schema.fields()).unwrap();
    let options = stronger::batch::ReadOptions {
        mapping: Some(&m),
        ..Default::default()
    };
    let mut first = None;
    stronger::batch::read_input_with(
        &root().join(EXPORT),
        schema,
        &limits,
        &options,
        &mut |item| {
            first = Some(item.resolve(schema, &limits).bid.unwrap().doc);
            false
        },
    );
    assert_eq!(
        first.unwrap()["applicant"]["purpose"],
        "We are a tenants' association run by residents of the Riverside estate since 2011."
    );
}

#[test]
fn reports_are_one_self_contained_page_per_bid_linked_from_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let export = std::fs::read_to_string(root().join(EXPORT))
        .unwrap()
        .replace("RCF-0101,", "../RCF 0101,");
    let path = dir.path().join("export.csv");
    std::fs::write(&path, export).unwrap();
    let (code, out, err) = screen_with_map(&[path.to_str().unwrap()], &["--reports"]);
    assert_eq!(code, 1, "{err}");
    let mut names: Vec<String> = std::fs::read_dir(out.path().join("reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    // One per appraised bid; an id is never a path (one that would start with a dot is named
    // by its place in the input).
    assert_eq!(
        names,
        [
            "RCF-0102.html",
            "RCF-0103.html",
            "RCF-0104.html",
            "RCF-0105.html",
            "RCF-0106.html",
            "RCF-0108.html",
            "RCF-0109.html",
            "RCF-0110.html",
            "bid-1.html"
        ]
    );
    let summary = read(out.path(), "summary.html");
    assert!(
        summary.contains("<a href=\"reports&#x2f;bid-1.html\">..&#x2f;RCF 0101</a>"),
        "{summary}"
    );
    for name in &names {
        let page = read(&out.path().join("reports"), name);
        assert!(page.starts_with("<!doctype html>"), "{name}");
        crate::serve::assert_no_network_loads(&page);
    }
    // The summary links to the reports and loads nothing.
    assert!(!summary.contains(" src=") && !summary.contains("<link"));
}

/// Writes `csv` as an export in `dir` and drafts a mapping of it with `map init`: the export's
/// path, the mapping's path and the draft.
fn drafted(dir: &Path, csv: &str) -> (PathBuf, PathBuf, String) {
    let export = dir.join("export.csv");
    std::fs::write(&export, csv).unwrap();
    let map = dir.join("map.toml");
    let (code, _, err) = run(&[
        "map",
        "init",
        export.to_str().unwrap(),
        "--out",
        map.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let draft = std::fs::read_to_string(&map).unwrap();
    (export, map, draft)
}

// "Sessions per week" is not the number of sessions the project runs: taken as the total, a
// walking group meeting twice a week for a year would look like two sessions, and each
// participant hour fifty times dearer than it is. `map init` leaves a column counting sessions in
// a week or a month unmapped, and says why; the project's total still maps.
#[test]
fn map_init_does_not_take_sessions_a_week_for_the_projects_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let (_, _, draft) = drafted(
        dir.path(),
        "Application ID,Project title,Amount requested (£),Sessions per week,How many sessions a month?,Weekly sessions planned,Total sessions over the project\n\
         WG-001,Weekly walking group,\"£2,400\",2,8,2,96\n",
    );
    let doc: toml::Table = draft.parse().unwrap();
    let columns = doc["columns"].as_table().unwrap();
    for c in [
        "Sessions per week",
        "How many sessions a month?",
        "Weekly sessions planned",
    ] {
        assert_eq!(columns[c].as_str(), Some("ignore"), "{c}: {draft}");
    }
    assert_eq!(
        columns["Total sessions over the project"].as_str(),
        Some("activity.sessions"),
        "{draft}"
    );
    assert!(
        draft.contains("# sessions in a week or a month: `activity.sessions` is the number over the whole project"),
        "{draft}"
    );
}

// `map init` had no hints for the optional `activity` group: an export asking how many sessions
// the project runs, how long each lasts and how many people come to each left those columns
// "not mapped", and SND-05 could not judge value for money per participant hour. The names
// platforms give such questions now suggest `activity.sessions`, `activity.hours_per_session`
// and `activity.people_per_session`, checked against their values like every other column,
// without taking the project's length or how many people benefit overall.
#[test]
fn map_init_hints_the_activity_columns_and_the_draft_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let (export, map, draft) = drafted(
        dir.path(),
        "Application ID,Project title,Amount requested (£),Project length,How many people will benefit?,How many sessions will you run?,How long will each session last (hours)?,How many people will attend each session?\n\
         WG-001,Weekly walking group,\"£2,400\",12 months,60,48,1.5,12\n\
         WG-002,Saturday repair café,\"£3,000\",18 months,200,36,3,20\n",
    );
    let doc: toml::Table = draft.parse().unwrap();
    let columns = doc["columns"].as_table().unwrap();
    let field = |c: &str| {
        columns[c]
            .as_str()
            .unwrap_or_else(|| panic!("{c}: {draft}"))
    };
    assert_eq!(
        field("How many sessions will you run?"),
        "activity.sessions"
    );
    assert_eq!(
        field("How long will each session last (hours)?"),
        "activity.hours_per_session"
    );
    assert_eq!(
        field("How many people will attend each session?"),
        "activity.people_per_session"
    );
    assert_eq!(field("Project length"), "funding.duration_months");
    assert_eq!(
        field("How many people will benefit?"),
        "beneficiaries.people"
    );
    assert!(
        draft.contains(
            "# the name suggests `activity.hours_per_session`, and the 2 values read fit it"
        ),
        "{draft}"
    );
    // The draft reads the export: value for money is judged per participant hour.
    let out = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&[
        "screen",
        export.to_str().unwrap(),
        "--map",
        map.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let reasons: Vec<String> = read(out.path(), "appraisals.jsonl")
        .lines()
        .map(|l| {
            let a: serde_json::Value = serde_json::from_str(l).unwrap();
            let items = a["checklist"].as_array().unwrap();
            let item = items.iter().find(|i| i["rule"] == "SND-05").unwrap();
            item["reason"].as_str().unwrap().to_string()
        })
        .collect();
    assert!(
        reasons[0].contains("buys 48 sessions of 1.5 hours for about 12 people each"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].contains("buys 36 sessions of 3")
            && reasons[1].contains("hours for about 20 people each"),
        "{reasons:?}"
    );
}
