//! The terminal view (issue 17, item 6): one bid fits one screen — at most 40 lines at 80
//! columns for every example — several bids print a table, and text wraps to the width asked
//! for (`--width`; 80 when not a terminal) without breaking a word.

use crate::support::*;
use textwrap::core::display_width;

fn examples() -> Vec<String> {
    example_bids()
}

fn appraise(args: &[&str]) -> String {
    let (code, out, err) = run(args);
    assert_eq!(code, 0, "{err}");
    out
}

#[test]
fn every_example_fits_one_screen_at_80_columns() {
    // The example decisions too: a champion reads them on one screen.
    let all: Vec<String> = examples().into_iter().chain(example_decisions()).collect();
    assert!(all.len() >= 18);
    for path in &all {
        // Not a terminal: the fixed width, 80, with no flag.
        let out = appraise(&["appraise", path]);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() <= 40, "{path}: {} lines\n{out}", lines.len());
        for l in &lines {
            assert!(
                display_width(l) <= 80,
                "{path}: {} columns: {l}",
                display_width(l)
            );
        }
        assert!(out.contains("checklist  "), "{path}: {out}");
    }
}

#[test]
fn wrapping_never_breaks_or_loses_a_word() {
    for path in examples() {
        for verb in [
            vec!["appraise", &path],
            vec!["appraise", &path, "--full"],
            vec!["advise", &path],
        ] {
            let mut wide = verb.clone();
            wide.extend(["--width", "1000"]);
            let mut narrow = verb.clone();
            narrow.extend(["--width", "60"]);
            let (wide, narrow) = (appraise(&wide), appraise(&narrow));
            let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
            assert_eq!(words(&wide), words(&narrow), "{verb:?}");
            for l in narrow.lines() {
                // A word longer than the line stands alone, and a command line (`--set …`,
                // `stronger what-if …`) stays whole to be copied; nothing else passes the width.
                assert!(
                    display_width(l) <= 60
                        || l.split_whitespace().count() == 1
                        || l.trim_start().starts_with("--")
                        || l.trim_start().starts_with("stronger "),
                    "{verb:?}: {l}"
                );
            }
        }
    }
}

#[test]
fn one_bid_at_80_and_120_columns() {
    let path = "examples/05-ashgrove-peoples-budget.toml";
    insta::assert_snapshot!("brief_80", appraise(&["appraise", path, "--width", "80"]));
    insta::assert_snapshot!("brief_120", appraise(&["appraise", path, "--width", "120"]));
}

#[test]
fn several_bids_print_a_table() {
    let bids = examples();
    let mut args = vec!["appraise"];
    args.extend(bids.iter().map(String::as_str));
    let out = appraise(&args);
    insta::assert_snapshot!("table_80", out);
    args.push("--full");
    let full = appraise(&args);
    assert!(full.matches("checklist  ").count() == examples().len());
}

#[test]
fn a_width_out_of_range_is_refused_with_the_range() {
    let (code, _, err) = run(&[
        "appraise",
        "examples/05-ashgrove-peoples-budget.toml",
        "--width",
        "10",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--width") && err.contains("40..=1000"),
        "{err}"
    );
}
