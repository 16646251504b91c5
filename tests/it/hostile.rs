//! Regression tests for issue 12 ("Hostile input"), one or more per numbered item, each headed
//! by what it reproduces. Items about the server (7) are in `serve.rs`, about reading batches
//! (3, 4) in `batch_rows.rs`. Time bounds are generous: the speed of stopping is measured in
//! `benches/engine.rs`, not here.

use crate::support::*;
use std::time::{Duration, Instant};

/// Appraises MINIMAL (or `text`) with a checklist of the rule `R-01` with `body` and a rule
/// `OK-01` that always meets; `limits` is appended to the config.
fn appraise_rule(body: &str, limits: &str, text: &str) -> (stronger::Appraisal, Duration) {
    let ok = rule("OK-01", "    met(\"fine\");");
    let c = TempChecklist::new(
        &format!("{CONFIG}{limits}"),
        &[
            ("volunteering/R-01.rhai", &rule("R-01", body)),
            ("volunteering/OK-01.rhai", &ok),
        ],
    );
    let checklist = c.load().unwrap();
    let start = Instant::now();
    let a = appraise_with(&checklist, text);
    (a, start.elapsed())
}

/// R-01 failed with `message` at `line` (of the rule file), and OK-01 still ran.
fn assert_only_r01_failed(a: &stronger::Appraisal, line: usize, message: &str) {
    assert!(!a.complete);
    assert_eq!(a.errors.len(), 1, "{:?}", a.errors);
    assert_eq!(a.errors[0].rule, "R-01");
    assert_eq!(a.errors[0].line, Some(line), "{:?}", a.errors[0]);
    assert_eq!(a.errors[0].message, message);
    assert_eq!(a.checklist.len(), 1, "{:?}", a.checklist);
    assert_eq!(a.checklist[0].rule, "OK-01");
}

const BUDGET: &str =
    "the rule used up its operation budget of 200000 and was stopped (does it loop forever?)";

/// A text of `n` bytes of words, built by the rule (the line it ends on is line 12).
fn big_text(n: usize) -> String {
    format!("    let s = \"word \";\n    while s.len() < {n} {{ s += s; }}\n")
}

// Item 1. `find` with a large text and many patterns ran for about a minute against a 250 ms
// deadline, and the appraisal blamed the rules after it ("not run: the appraisal passed its
// deadline"). Native work called from a rule is now charged to its operation budget: the rule
// that does it is stopped, at the call, and the next rule runs.
#[test]
fn native_work_is_charged_to_the_rule_s_operation_budget() {
    let patterns = "    let p = [];\n    for i in 0..1000 { p.push(`w${i}`); }\n";
    let cases = [
        // A text longer than the index cache: scanned word by word, patterns × words.
        format!("{}{patterns}    let n = find(s, p);\n    met(\"x\");", big_text(500_000)),
        // A text that is indexed: index after index.
        format!(
            "{}{patterns}    let n = 0;\n    loop {{ n += find(s + n, p).len(); }}",
            big_text(30_000)
        ),
        // The bid's own text, searched again and again with many patterns.
        format!("{patterns}    let n = 0;\n    loop {{ n += mentions(bid, p).len(); }}"),
        // Sorting and de-duplicating a large list with a comparer.
        "    let a = [];\n    a.pad(90000, 1);\n    loop { a.sort(|x, y| 0); a.dedup(|x, y| false); }"
            .to_string(),
    ];
    for body in cases {
        let (a, took) = appraise_rule(&body, "", MINIMAL);
        assert!(!a.complete, "{body}");
        assert_eq!(a.errors.len(), 1, "{body}: {:?}", a.errors);
        assert_eq!(a.errors[0].message, BUDGET, "{body}");
        assert_eq!(a.checklist.len(), 1, "{body}: the next rule ran");
        assert!(took < Duration::from_secs(30), "{body}: took {took:?}");
    }
    // The error points at the call that ran out.
    let body = format!(
        "{}{patterns}    let n = find(s, p);\n    met(\"x\");",
        big_text(500_000)
    );
    let (a, _) = appraise_rule(&body, "", MINIMAL);
    assert_only_r01_failed(&a, 16, BUDGET);
}

// Item 1. After every rule the clock is compared with its deadline, so a rule that finished
// late is the one reported, not the rule after it. A-01 does a few operations that each take
// milliseconds (too few for the clock to be read while it runs) against an appraisal deadline
// of 1 ms.
#[test]
fn a_rule_that_finishes_past_the_deadline_is_the_one_reported() {
    let slow = rule(
        "A-01",
        "    let s = \"x\";\n    s.pad(1000000, \"y\");\n    let t = s.to_upper();\n    met(\"done\");",
    );
    let c = TempChecklist::new(
        &format!("{CONFIG}\n[limits]\nappraisal_millis = 1\n"),
        &[
            ("volunteering/A-01.rhai", &slow),
            (
                "volunteering/OK-01.rhai",
                &rule("OK-01", "    met(\"fine\");"),
            ),
        ],
    );
    let a = appraise_with(&c.load().unwrap(), MINIMAL);
    let failed: Vec<(&str, &str)> = a
        .errors
        .iter()
        .map(|e| (e.rule.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(
        failed,
        [
            (
                "A-01",
                "the appraisal passed its deadline of 1 ms during this rule, which was stopped"
            ),
            (
                "OK-01",
                "not run: the appraisal passed its deadline of 1 ms"
            ),
        ]
    );
    assert!(a.checklist.is_empty(), "{:?}", a.checklist);
}

// Item 2. A rule that threw a 1 MiB string put 1 MiB into every appraisal. Error messages are
// now bounded like any text a rule records.
#[test]
fn an_error_a_rule_throws_is_cut_to_the_bound_on_text() {
    let body = "    let s = \"x\";\n    while s.len() < 1048576 { s += s; }\n    throw s;";
    let (a, _) = appraise_rule(body, "", MINIMAL);
    let expected = format!(
        "{}… (cut short: the message is 1048576 bytes)",
        "x".repeat(10_000)
    );
    assert_only_r01_failed(&a, 14, &expected);
}

// Item 2. A rule that filled a map by index, an array by index, many variables, a chain of
// calls, or blobs reached 150–550 MB before its deadline stopped it: Rhai bounds each value it
// checks, not what a rule holds in all. What a rule holds is now measured as it runs.
#[test]
fn what_a_rule_holds_at_once_is_bounded() {
    // Half a MiB of text.
    let mb = "    let s = \"x\";\n    while s.len() < 500000 { s += s; }\n";
    let many_variables: String = (0..40)
        .map(|i| format!("    let v{i} = s + \"{i}\";\n"))
        .collect();
    let cases = [
        format!("{mb}    let m = #{{}};\n    for i in 0..100000 {{ m[`k${{i}}`] = s + i; }}"),
        format!(
            "{mb}    let a = [];\n    a.pad(1000, \"\");\n    for i in 0..1000 {{ a[i] = s + i; }}"
        ),
        format!("{mb}{many_variables}    met(\"x\");"),
        format!("{mb}    down(s, 0);\n}}\n\nfn down(s, n) {{\n    down(s + n, n + 1);"),
        "    let a = [];\n    a.pad(1000, \"\");\n    for i in 0..1000 { a[i] = blob(99999); }"
            .to_string(),
        // A map of lists of maps, filled by index.
        format!(
            "{mb}    let m = #{{}};\n    for i in 0..1000 {{ m[`k${{i}}`] = [#{{ t: s + i }}]; }}"
        ),
    ];
    for body in cases {
        let (a, took) = appraise_rule(&body, "", MINIMAL);
        assert!(!a.complete, "{body}");
        assert_eq!(a.errors.len(), 1, "{body}: {:?}", a.errors);
        assert_eq!(
            a.errors[0].message, "the rule held more than 16 MiB of values at once and was stopped",
            "{body}"
        );
        assert!(took < Duration::from_secs(30), "{body}: took {took:?}");
    }
}

// Item 2. Closures that capture variables and curried function pointers hold values Rhai never
// measures (`f.curry(f)` doubles them in one operation): rules cannot use either.
#[test]
fn closures_cannot_capture_and_curry_is_refused() {
    let cases = [
        (
            "    let t = \"x\";\n    let f = || t;\n    met(f.call());",
            "error: undefined variable: t\n  --> {dir}/volunteering/R-01.rhai:13:16\n   |\n13 |     let f = || t;\n   |                ^\n",
        ),
        (
            "    let f = Fn(\"x\");\n    f = curry(f, f);\n    met(\"x\");",
            "error: rules cannot use `curry`: pass the values to the function as arguments\n  --> {dir}/volunteering/R-01.rhai:13:9\n   |\n13 |     f = curry(f, f);\n   |         ^\n",
        ),
    ];
    for (body, expected) in cases {
        let c = TempChecklist::new(CONFIG, &[("volunteering/R-01.rhai", &rule("R-01", body))]);
        let e = c.load().unwrap_err();
        let dir = c.path().display().to_string();
        assert_eq!(e.render(), expected.replace("{dir}", &dir), "{body}");
    }
}

// Item 9. A rule near its deadline made `screen` output differ from run to run. The operation
// budget is now the limit that binds: with the default deadline, heavy work of every kind runs
// out of operations long before the clock (here with a tenth of the budget, so the margin is
// wide even on a loaded machine).
#[test]
fn the_operation_budget_binds_before_the_clock() {
    let limits = "\n[limits]\nrule_operations = 20000\n";
    let budget =
        "the rule used up its operation budget of 20000 and was stopped (does it loop forever?)";
    let bodies = [
        "    loop { }",
        "    let n = 0;\n    loop { let m = #{a: n, b: [n, n + 1]}; m.c = `${m.a}`; n += 1; }",
        "    loop { let v = bid.funding.amount_requested; let t = bid.title; }",
        "    loop { let w = find(bid.title, [\"test\", \"bid*\", \"older people\"]); }",
        "    loop { let w = mentions(bid, [\"test\", \"bid*\", \"older people\"]); }",
        "    let a = [];\n    for i in 0..50 { a.push((i * 37) % 50); }\n    loop { let b = a; b.sort(|x, y| x - y); }",
        "    loop { let t = bid.title.to_lower(); let p = t.split(\" \"); let r = t.replace(\"t\", \"a\"); }",
    ];
    for body in bodies {
        for _ in 0..2 {
            let (a, _) = appraise_rule(body, limits, MINIMAL);
            assert_eq!(a.errors.len(), 1, "{body}: {:?}", a.errors);
            assert_eq!(a.errors[0].message, budget, "{body}");
        }
    }
}

// Item 9. `rules test` warns, at the rule, when a rule uses more than half of its operation
// budget on a case.
#[test]
fn rules_test_warns_about_a_rule_near_its_budget() {
    let heavy = rule(
        "R-01",
        "    let n = 0;\n    while n < 25000 { n += 1; }\n    met(\"counted\");",
    );
    let light = rule("OK-01", "    met(\"fine\");");
    let c = TempChecklist::new(
        CONFIG,
        &[
            ("volunteering/R-01.rhai", &heavy),
            ("volunteering/OK-01.rhai", &light),
            ("tests/bids/minimal.toml", MINIMAL),
            (
                "tests/cases.toml",
                "[[case]]\nname = \"the minimal bid\"\nbid = \"minimal\"\nexpect.status = { R-01 = \"met\" }\n",
            ),
        ],
    );
    let dir = c.path().display().to_string();
    let (code, out, err) = run(&["rules", "test", "--rules", &dir]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out, "1 passed, 0 failed\n");
    let used: String = err
        .split("used ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .unwrap()
        .to_string();
    assert!(used.parse::<u64>().unwrap() > 100_000, "{err}");
    assert_eq!(
        err,
        format!(
            "warning: `R-01` used {used} of its 200000 operations on case `the minimal bid`, more than half its budget\n  --> {dir}/volunteering/R-01.rhai:11:1\n   |\n11 | fn appraise(bid) {{\n   | ^\n   = help: a longer bid could stop it: make the rule do less work, or raise `rule_operations` in `[limits]` of checklist.toml\n"
        )
    );
}

/// Parses a CSV file the tool wrote (after its byte-order mark) into rows of cells.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

// Item 6. Bid text starting with `=`, `+`, `-`, `@`, a tab or a carriage return reached
// `summary.csv` and `errors.csv` as a live formula (OWASP "CSV injection"). It is now written as
// text (a leading `'`), while the numbers the engine wrote, negative scores included, stay
// numbers a panel can sort.
#[test]
fn bid_text_never_reaches_a_spreadsheet_as_a_formula() {
    let dir = tempfile::tempdir().unwrap();
    // A bid whose match funding already covers its cost (SND-07 marks its soundness down).
    let weak = "id = \"@SUM(1+1)\"\ntitle = \"=HYPERLINK(\\\"http://example.com/\\\",\\\"click\\\")\"\n\n[funding]\namount_requested = 5000\ntotal_cost = 5000\nmatch_funding = 5000\n";
    std::fs::write(dir.path().join("weak.toml"), weak).unwrap();
    std::fs::write(
        dir.path().join("rows.csv"),
        "id,title,funding.amount_requested,applicant.kind\n=1+2,\"-cmd|' /C calc'!A0\",5,charity\n+bad,\"\tTab\",5,charty\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&[
        "screen",
        dir.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let summary = csv_rows(&std::fs::read_to_string(out.path().join("summary.csv")).unwrap());
    let header = &summary[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let weak = summary
        .iter()
        .find(|r| r[col("id")] == "'@SUM(1+1)")
        .unwrap();
    assert_eq!(
        weak[col("title")],
        "'=HYPERLINK(\"http://example.com/\",\"click\")"
    );
    // Scores are numbers (negative ones too: `csv.rs`'s own test writes -3.50 as a number; no
    // rule outside the soundness profile, which is not a column, scores below zero).
    let scores: Vec<f64> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| h.ends_with("_score") || *h == "total")
        .map(|(i, _)| weak[i].parse().unwrap())
        .collect();
    assert_eq!(scores.len(), 8, "{weak:?}");
    let row = summary.iter().find(|r| r[col("id")] == "'=1+2").unwrap();
    assert_eq!(row[col("title")], "'-cmd|' /C calc'!A0");
    let errors = csv_rows(&std::fs::read_to_string(out.path().join("errors.csv")).unwrap());
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[1][2], "'+bad");
    assert_eq!(errors[1][1], "3");
    // Nothing in either file starts a formula.
    for cell in summary.iter().chain(&errors).flatten() {
        assert!(
            !cell.starts_with(['=', '+', '@', '\t', '\r'])
                && (!cell.starts_with('-') || cell.parse::<f64>().is_ok()),
            "{cell:?}"
        );
    }
}

// Item 6. Control characters and terminal escape sequences in bid text (a title, a value quoted
// in an error, a field's name) went raw to the terminal: a title could clear the screen or set
// the window title. They are now shown escaped.
#[test]
fn bid_text_reaches_a_terminal_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.toml");
    std::fs::write(
        &good,
        "id = \"ESC-1\"\ntitle = \"Garden\\u001b]0;owned\\u0007\\u001b[2J\"\n\"\\u001b[31mred\" = 1\n[funding]\namount_requested = 5\n",
    )
    .unwrap();
    let (code, out, err) = run(&["appraise", good.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("ESC-1  Garden\\x1b]0;owned\\x07\\x1b[2J\n"),
        "{out}"
    );
    assert!(
        !out.contains('\u{1b}') && !err.contains('\u{1b}'),
        "{out}{err}"
    );
    let g = good.display();
    assert_eq!(
        err,
        format!(
            "warning: unknown field `\\x1b[31mred` is ignored\n  --> {g}:3:1 (field `\\x1b[31mred`)\n  |\n3 | \"\\u001b[31mred\" = 1\n  | ^\n  = help: the fields here are: `id`, `title`, `summary`, `partnership`, `kind`, `applicant`, `place`, `funding`, `beneficiaries`, `activity`, `involvement`, `cohesion`, `volunteering`, `partners`, `assets`, `outcomes`, `sustainability`, `evidence`, `decision`, `answers`\n"
        )
    );
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        "{\"id\": \"ESC-2\", \"title\": \"t\", \"funding\": {\"amount_requested\": 5}, \"applicant\": {\"kind\": \"\\u001b[8mcharity\"}}",
    )
    .unwrap();
    let (code, _, err) = run(&["appraise", bad.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err,
        format!(
            "error: expected one of `charity`, `cio`, `cic`, `community-group`, `parish-council`, `town-council`, `school`, `faith-group`, `social-enterprise`, `business`, `public-body`, `other`, found the text \"\\x1b[8mcharity\" (did you mean `charity`?)\n  --> {} (field `applicant.kind`)\n",
            bad.display()
        )
    );
}

// Control characters in bid text (an ESC sequence in a title, a bell, a NUL in an id, a carriage
// return inside an applicant's name) reached `summary.csv`, `questions.csv`, `errors.csv` and
// `summary.xlsx` raw: `cat errors.csv` on a terminal obeyed them, and a carriage return let one
// cell overwrite the text before it. They are now shown escaped as on a terminal (`\x1b`,
// `\x07`, `\x00`, `\r`); a line break or a tab inside a cell stays (the CSV quoting keeps it, and
// `questions.csv` numbers its questions a line each), a Windows line end kept as a line break.
#[test]
fn control_characters_in_bid_text_are_shown_escaped_in_every_spreadsheet() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("round.jsonl"),
        concat!(
            r#"{"id": "CTL-1", "title": "Garden\u001b]0;owned\u0007\u001b[2J", "applicant": {"name": "Friends of the Park\rFunded in full"}, "funding": {"amount_requested": 500}}"#,
            "\n",
            r#"{"id": "CTL-2", "title": "Two lines:\r\nthe second\twith a tab", "funding": {"amount_requested": 500}}"#,
            "\n",
            r#"{"id": "CTL-\u0000 3\u202e", "title": "t", "funding": {"amount_requested": 5}, "applicant": {"kind": "\u001b[8mcharity"}}"#,
            "\n",
        ),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&[
        "screen",
        dir.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let files = ["summary.csv", "questions.csv", "errors.csv"];
    for name in files {
        let text = std::fs::read_to_string(out.path().join(name)).unwrap();
        let raw: Vec<char> = text
            .chars()
            .filter(|&c| (c.is_control() && c != '\n' && c != '\t') || c == '\u{202e}')
            .collect();
        assert!(raw.is_empty(), "{name} holds {raw:?}:\n{text}");
    }
    let summary = csv_rows(&std::fs::read_to_string(out.path().join("summary.csv")).unwrap());
    let col = |name: &str| summary[0].iter().position(|h| h == name).unwrap();
    let row = |id: &str| summary.iter().find(|r| r[col("id")] == id).unwrap();
    assert_eq!(
        row("CTL-1")[col("title")],
        "Garden\\x1b]0;owned\\x07\\x1b[2J"
    );
    assert_eq!(
        row("CTL-1")[col("applicant")],
        "Friends of the Park\\rFunded in full"
    );
    assert_eq!(
        row("CTL-2")[col("title")],
        "Two lines:\nthe second\twith a tab"
    );
    let questions = csv_rows(&std::fs::read_to_string(out.path().join("questions.csv")).unwrap());
    let asked = questions.iter().find(|r| r[1] == "CTL-1").unwrap();
    assert_eq!(asked[2], "Garden\\x1b]0;owned\\x07\\x1b[2J");
    assert!(
        asked[6].starts_with("1. ") && asked[6].contains("\n2. "),
        "{asked:?}"
    );
    let errors = csv_rows(&std::fs::read_to_string(out.path().join("errors.csv")).unwrap());
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[1][2], "CTL-\\x00 3\\u{202e}");
    assert!(
        errors[1][3].contains("found the text \"\\x1b[8mcharity\""),
        "{errors:?}"
    );
    // The workbook shows what the CSV files show.
    let mut book: Xlsx<_> = open_workbook(out.path().join("summary.xlsx")).unwrap();
    let ranking = book.worksheet_range("Ranking").unwrap();
    let cell = |id: &str, c: usize| {
        ranking
            .rows()
            .find(|r| r[1] == Data::String(id.into()))
            .map(|r| r[c].clone())
    };
    assert_eq!(
        cell("CTL-1", 2),
        Some(Data::String("Garden\\x1b]0;owned\\x07\\x1b[2J".into()))
    );
    assert_eq!(
        cell("CTL-1", 3),
        Some(Data::String("Friends of the Park\\rFunded in full".into()))
    );
    let unreadable = book.worksheet_range("Unreadable").unwrap();
    assert!(
        unreadable
            .rows()
            .any(|r| r[2] == Data::String("CTL-\\x00 3\\u{202e}".into())),
        "{unreadable:?}"
    );
}

// Item 5. A JSON bid with a key twice ("title" twice) was appraised silently with the last
// value, while TOML refused it. JSON now refuses it too, at the second key, in one bid, a line
// of JSON Lines and a 360Giving grant (whose neighbours are still read).
#[test]
fn a_json_key_given_twice_is_refused_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let bid = dir.path().join("twice.json");
    std::fs::write(
        &bid,
        "{\"id\": \"D-1\",\n \"title\": \"What the reviewer reads\",\n \"funding\": {\"amount_requested\": 5},\n \"title\": \"What was appraised\"}\n",
    )
    .unwrap();
    let (code, out, err) = run(&["appraise", bid.to_str().unwrap()]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        format!(
            "error: the key `title` appears twice\n  --> {}:4:2\n  |\n4 |  \"title\": \"What was appraised\"}}\n  |  ^\n  = help: a bid gives each field once: keep the one you mean and delete the other\n",
            bid.display()
        )
    );
    let lines = dir.path().join("round.jsonl");
    std::fs::write(
        &lines,
        "{\"id\": \"L-1\", \"title\": \"a\", \"funding\": {\"amount_requested\": 5}}\n{\"id\": \"L-2\", \"title\": \"b\", \"funding\": {\"amount_requested\": 5, \"amount_requested\": 500000}}\n",
    )
    .unwrap();
    let grants = dir.path().join("grants.json");
    std::fs::write(
        &grants,
        "{\"grants\": [{\"id\": \"G-1\", \"title\": \"a\", \"title\": \"b\", \"amountAwarded\": 5}, {\"id\": \"G-2\", \"title\": \"c\", \"amountAwarded\": 5}]}",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&[
        "screen",
        lines.to_str().unwrap(),
        grants.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let errors = csv_rows(&std::fs::read_to_string(out.path().join("errors.csv")).unwrap());
    let shown: Vec<Vec<&str>> = errors
        .iter()
        .skip(1)
        .map(|r| vec![r[1].as_str(), r[3].as_str()])
        .collect();
    assert_eq!(
        shown,
        [
            vec![
                "2",
                "the key `amount_requested` appears twice (a bid gives each field once: keep the one you mean and delete the other)"
            ],
            vec![
                "1",
                "grant 1 gives the key `title` twice (a grant gives each field once: keep the one you mean and delete the other)"
            ],
        ]
    );
    assert!(
        err.contains(": 2 appraised, 2 could not be read (see errors.csv)"),
        "{err}"
    );
}

// Item 8. TOML `nan`/`inf`, a 100,000-part dotted key, and a negative or non-numeric 360Giving
// `amountAwarded` were refused without a field or line (the last as "missing required field
// `funding`"). Each now names the field and its line:column.
#[test]
fn diagnostics_name_the_field_and_where_it_is() {
    for (value, written) in [("nan", "nan"), ("+inf", "inf"), ("-inf", "-inf")] {
        let text = format!("id = \"N-1\"\ntitle = \"t\"\n[funding]\namount_requested = {value}\n");
        let e = parse_toml(&text).unwrap_err();
        let caret = " ".repeat(19);
        assert_eq!(
            e.render(),
            format!(
                "error: expected a number, found `{written}`\n  --> bid.toml:4:20 (field `funding.amount_requested`)\n  |\n4 | amount_requested = {value}\n  | {caret}^\n  = help: numbers must be finite: `nan` and `inf` are not amounts\n"
            )
        );
    }
    let key = vec!["a"; 100_000].join(".");
    let e = parse_toml(&format!("{MINIMAL}[x]\n{key} = 1\n")).unwrap_err();
    let shown: String = key.chars().take(80).collect();
    assert_eq!(
        e.render(),
        format!(
            "error: the key has 100000 parts, more than a bid can nest\n  --> bid.toml:6:1\n  |\n6 | {shown}…\n  | ^\n  = help: a field's name has a few parts, e.g. `volunteering.new_volunteers`\n"
        )
    );
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("grants.json");
    std::fs::write(
        &json,
        "{\"grants\": [\n  {\"id\": \"360G-1\", \"title\": \"a\", \"amountAwarded\": -500},\n  {\"id\": \"360G-2\", \"title\": \"b\", \"amountAwarded\": \"five\"}\n]}\n",
    )
    .unwrap();
    let csv = dir.path().join("grants.csv");
    std::fs::write(&csv, "Identifier,Title,Amount Awarded\n360G-3,c,-500\n").unwrap();
    let mut rendered = Vec::new();
    for path in [&json, &csv] {
        let schema = stronger::ProposalSchema::builtin();
        let limits = stronger::Limits::default();
        stronger::batch::read_input(path, schema, &limits, &mut |item| {
            let item = item.resolve(schema, &limits);
            rendered.push(item.bid.unwrap_err().diagnostics[0].render());
            true
        });
    }
    let (j, c) = (json.display(), csv.display());
    assert_eq!(
        rendered,
        [
            format!(
                "error: grant 1: `amountAwarded` must be an amount of money (a number of at least 0), found `-500`\n  --> {j}:2:3 (field `amountAwarded`)\n"
            ),
            format!(
                "error: grant 2: `amountAwarded` must be an amount of money (a number of at least 0), found the text \"five\"\n  --> {j}:3:3 (field `amountAwarded`)\n"
            ),
            format!(
                "error: `Amount Awarded` must be an amount of money (a number of at least 0), found the text \"-500\"\n  --> {c}:2:3 (field `Amount Awarded`)\n"
            ),
        ]
    );
}
