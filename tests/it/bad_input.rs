//! Every way a bid can be bad gets a clear, located message — never a panic or a silent zero.
//! Each way a bid file can be bad is a file of `tests/data/bad-bids/`, run by
//! `bad_files::bad_bids` (the whole message snapshotted); deep nesting at scale is in
//! `limits.rs`. Here are the cases a file cannot hold: what an ignored field does to an
//! appraisal, a 100 MB file, a missing file, what is not an error, and a batch that goes on.

use crate::support::*;
use stronger::{Limits, Proposal, ProposalSchema};

#[test]
fn an_unknown_field_is_not_seen_by_rules() {
    // A misspelt field once made its group look stated: POW-03 then said "volunteers serve
    // beneficiaries" of a bid that said nothing about volunteering (found by the property
    // tests). Ignored means ignored: the appraisal is that of the bid without it.
    let plain = stronger::appraise(builtin(), &bid(MINIMAL));
    let misspelt = stronger::appraise(
        builtin(),
        &bid(&format!(
            "{MINIMAL}[volunteering]\nnew_volunters = 3\nnotes = \"residents decide everything\"\n"
        )),
    );
    assert_eq!(misspelt.checklist, plain.checklist);
    assert_eq!(misspelt.total, plain.total);
    assert_eq!(misspelt.advice, plain.advice);
}

#[test]
fn brackets_inside_strings_do_not_count_as_nesting() {
    let text = format!("{MINIMAL}summary = \"{}\"\n", "[".repeat(1000));
    assert!(parse_toml(&text).is_ok());
}

#[test]
fn a_100_mb_bid_is_refused_without_reading_it_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.toml");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(100 * 1024 * 1024).unwrap();
    let e = Proposal::load(&path, ProposalSchema::builtin(), &Limits::default()).unwrap_err();
    let shown = path.display().to_string();
    assert_eq!(
        e.diagnostics[0].render(),
        format!(
            "error: the file is 100 MiB; one bid may be at most 16 MiB\n  --> {shown}\n  = help: split a batch into one bid per file, or use JSON Lines or CSV for many bids\n"
        )
    );
}

#[test]
fn a_missing_file_is_clear() {
    let e = Proposal::load(
        std::path::Path::new("nowhere/missing.toml"),
        ProposalSchema::builtin(),
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(
        e.diagnostics[0].render(),
        "error: cannot open the file: no such file\n  --> nowhere/missing.toml\n"
    );
}

#[test]
fn toml_dates_are_read_as_months() {
    let loaded = parse_toml(&format!("{MINIMAL}[[outcomes]]\nby = 2027-03-01\n")).unwrap();
    assert_eq!(loaded.proposal.doc["outcomes"][0]["by"], "2027-03-01");
}

#[test]
fn the_cli_reports_bad_bids_on_stderr_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.toml"),
        "id = \"A\"\n[funding]\namount_requested = 1\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("b.toml"), MINIMAL).unwrap();
    let (code, out, err) = run_in(
        dir.path(),
        &["appraise", "a.toml", "b.toml", "--format", "json"],
    );
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: missing required field `title`\n  --> a.toml (field `title`)\n  = help: every bid needs a `title`, e.g. `title = \"Riverside community garden\"`\n"
    );
    // The good bid is still appraised.
    assert_eq!(out.lines().count(), 1);
    assert!(out.starts_with("{\"proposal\":{\"id\":\"T-1\""), "{out}");
}
