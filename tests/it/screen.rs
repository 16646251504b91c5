//! `stronger screen`: every input format, the 360Giving mapping, bad lines and rows, ranking,
//! atomic output and thread-count independence.

use crate::support::*;
use std::path::Path;

fn screen(args: &[&str]) -> (i32, tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    let mut all = vec!["screen"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out", out.path().to_str().unwrap()]);
    let (code, _, err) = run(&all);
    (code, out, err)
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

fn ids_in_jsonl(dir: &Path) -> Vec<String> {
    read(dir, "appraisals.jsonl")
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["proposal"]["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn a_round_of_mixed_inputs_keeps_going_past_bad_lines_and_rows() {
    let (code, out, err) = screen(&["tests/data/screen"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        read(out.path(), "errors.csv"),
        // A byte-order mark first, so a spreadsheet reads the file as UTF-8.
        "\u{feff}source,line,id,message\n\
         tests/data/screen/round.csv,3,CSV-2,\"`volunteering.new_volunteers` expects a whole number, found `lots`\"\n\
         tests/data/screen/round.csv,5,CSV-4,\"`applicant.kind` expects one of charity, cio, cic, community-group, parish-council, town-council, school, faith-group, social-enterprise, business, public-body, other, found `charty`; did you mean `charity`?\"\n\
         tests/data/screen/round.jsonl,2,,invalid JSON: EOF while parsing a value\n\
         tests/data/screen/round.jsonl,4,JL-3,`funding.amount_requested`: missing required field `funding.amount_requested` (add the grant asked for: `[funding]` then `amount_requested = 25000`)\n"
    );
    // Every good bid is appraised, in input order.
    assert_eq!(
        ids_in_jsonl(out.path()),
        [
            "360G-t-1", "360G-t-2", "CSV-1", "CSV-3", "JL-1", "JL-4", "UC-1"
        ]
    );
    assert!(err.contains("warning: unknown column `volunteering.new_volunters` is ignored\n  --> tests/data/screen/unknown-column.csv:1:4\n  = help: did you mean `volunteering.new_volunteers`?\n"), "{err}");
    assert!(err.contains("screened 11 bids into "), "{err}");
    assert!(
        err.ends_with(": 7 appraised, 4 could not be read (see errors.csv)\n"),
        "{err}"
    );
    // Nothing is left under a temporary name.
    let mut names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "appraisals.jsonl",
            "errors.csv",
            "questions.csv",
            "summary.csv",
            "summary.html",
            "summary.md",
            "summary.xlsx"
        ]
    );
}

#[test]
fn summary_csv_has_the_documented_columns_and_ranks_errors_last() {
    let (_, out, _) = screen(&["tests/data/screen"]);
    let csv = read(out.path(), "summary.csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "\u{feff}rank,id,title,outcome,total,NI1_score,NI1_band,NI2_score,NI2_band,NI3_score,NI3_band,NI4_score,NI4_band,NI5_score,NI5_band,NI6_score,NI6_band,NI7_score,NI7_band,participation_band,cohesion_band,influence_band,satisfaction_band,infrastructure_band,volunteering_band,partnership_band,power_band,soundness_band,complete,error,applicant,amount_requested,met,not_met,not_stated,verified_share,contradictions"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let order: Vec<(&str, &str, &str)> = rows.iter().map(|r| (r[0], r[1], r[3])).collect();
    assert_eq!(
        order,
        [
            ("1", "CSV-1", "refer"),
            ("2", "JL-4", "refer"),
            ("3", "JL-1", "refer"),
            ("4", "360G-t-1", "refer"),
            // Equal totals: ties by id.
            ("5", "360G-t-2", "refer"),
            ("6", "CSV-3", "refer"),
            ("7", "UC-1", "refer"),
            ("", "CSV-2", "error"),
            ("", "CSV-4", "error"),
            ("", "", "error"),
            ("", "JL-3", "error"),
        ]
    );
    let md = read(out.path(), "summary.md");
    assert!(md.starts_with("# Screening summary\n"), "{md}");
    assert!(
        md.contains(
            "| 1 | CSV-1 | Intergenerational choir |  | £3,500 | Refer: ask the applicant for more | +19.50 |"
        ),
        "{md}"
    );
    assert!(md.contains("## Bids that could not be read (4)\n"), "{md}");
}

#[test]
fn the_output_is_the_same_whatever_the_number_of_threads() {
    let inputs = [
        "tests/data/screen",
        "examples",
        "tests/data/360giving/awards-for-all-2004.json",
    ];
    let (_, one, _) = screen(&[inputs[0], inputs[1], inputs[2], "--jobs", "1"]);
    let (_, two, _) = screen(&[inputs[0], inputs[1], inputs[2], "--jobs", "2"]);
    for f in [
        "summary.csv",
        "summary.md",
        "summary.html",
        "appraisals.jsonl",
        "errors.csv",
    ] {
        assert!(
            read(one.path(), f) == read(two.path(), f),
            "{f} differs between 1 and 2 threads"
        );
    }
}

#[test]
fn grants_from_360giving_json_are_mapped_and_thin_fields_are_not_stated() {
    let (code, out, err) = screen(&["tests/data/360giving/awards-for-all-2004.json"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<serde_json::Value> = read(out.path(), "appraisals.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 50);
    let first = &lines[0];
    assert_eq!(first["proposal"]["id"], "360G-blf-A4E_2_010107036");
    assert_eq!(first["proposal"]["title"], "75th anniversary outing");
    // Volunteering is not in 360Giving data: asked about, never failed.
    let vol = first["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["rule"] == "VOL-01")
        .unwrap();
    assert_eq!(vol["status"], "not-stated");
    assert!(!read(out.path(), "summary.csv").contains(",not-met,"));
    assert!(!out.path().join("errors.csv").exists());
}

#[test]
fn grants_from_360giving_csv_are_mapped() {
    let (code, out, _) = screen(&["tests/data/screen/giving.csv"]);
    assert_eq!(code, 0);
    let a: serde_json::Value =
        serde_json::from_str(read(out.path(), "appraisals.jsonl").lines().next().unwrap()).unwrap();
    assert_eq!(a["proposal"]["id"], "360G-t-1");
    // The description is read as the bid's prose (the charity number's mapping to
    // `applicant.kind` is grant_to_bid's unit test: the kind is context and earns nothing).
    let vol = a["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["rule"] == "VOL-01")
        .unwrap();
    assert_eq!(
        vol["reason"],
        "the bid says \"Weekly lunches run by volunteers for isolated older residents\", without numbers"
    );
}

#[test]
fn an_unusable_out_folder_exits_2() {
    let f = tempfile::NamedTempFile::new().unwrap();
    let (code, _, err) = run(&["screen", "examples", "--out", f.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.starts_with("error: cannot create `"), "{err}");
}

#[test]
fn a_missing_input_exits_2() {
    let out = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&[
        "screen",
        "no-such-round.jsonl",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert_eq!(err, "error: `no-such-round.jsonl` does not exist\n");
}

#[test]
fn a_round_of_one_bid_says_one_bid() {
    let (code, _out, err) = screen(&["examples/03-mill-lane-benches.toml"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("screened 1 bid into "), "{err}");
    assert!(err.ends_with(": 1 appraised\n"), "{err}");
}

// A bid's report was named by its id alone: an export whose ids include `CON`, `nul`, `COM1`,
// `LPT9.txt` or `aux.2026` gave pages named `CON.html` and the like, which Windows reserves for its
// devices (whatever follows the first dot) and will not open. Such a name now has `_` after the
// device name; a name so made that another bid already has takes a number, as any two alike do.
// An id ending in a dot or a space never ends the name: `.html` does.
#[test]
fn report_names_windows_reserves_are_given_a_suffix_and_never_shared() {
    let dir = tempfile::tempdir().unwrap();
    let ids = [
        "CON",
        "nul",
        "COM1",
        "LPT9.txt",
        "aux.2026",
        "Con_",
        "COM10",
        "RCF-0107.",
        "RCF-0108 ",
        "console",
    ];
    let mut rows = String::new();
    for id in ids {
        rows.push_str(&format!(
            "{{\"id\": \"{id}\", \"title\": \"Community garden\", \"funding\": {{\"amount_requested\": 500}}}}\n"
        ));
    }
    let round = dir.path().join("round.jsonl");
    std::fs::write(&round, rows).unwrap();
    let (code, out, err) = screen(&[round.to_str().unwrap(), "--reports"]);
    assert_eq!(code, 0, "{err}");
    let mut names: Vec<String> = std::fs::read_dir(out.path().join("reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "COM10.html",
            "COM1_.html",
            "CON_.html",
            "Con_-2.html",
            "LPT9_.txt.html",
            "RCF-0107..html",
            "RCF-0108_.html",
            "aux_.2026.html",
            "console.html",
            "nul_.html",
        ]
    );
    // Each bid links to its own page.
    let summary = read(out.path(), "summary.html");
    for name in &names {
        assert_eq!(
            summary
                .matches(&format!("href=\"reports&#x2f;{name}\""))
                .count(),
            1,
            "{name}"
        );
    }
}

// `summary.html` wrapped a long id at its hyphens (`RCF-` above `0101`), so a panel reading the
// table down the Id column saw half an id per line. Each id cell now keeps its id on one line;
// the id itself (the text a panel copies, the filter searches and the link names) is unchanged.
#[test]
fn an_id_stays_on_one_line_in_the_summary_page() {
    let dir = tempfile::tempdir().unwrap();
    let round = dir.path().join("round.jsonl");
    std::fs::write(
        &round,
        "{\"id\": \"RCF-2026-EAST-0101\", \"title\": \"Community garden\", \"funding\": {\"amount_requested\": 500}}\n",
    )
    .unwrap();
    let (code, out, err) = screen(&[round.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let html = read(out.path(), "summary.html");
    assert!(
        html.contains(".report table.summary td.id { white-space: nowrap; }"),
        "{html}"
    );
    assert!(
        html.contains("<td class=\"id\">RCF-2026-EAST-0101</td>"),
        "{html}"
    );
}
