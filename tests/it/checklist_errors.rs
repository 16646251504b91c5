//! A broken checklist is refused whole, with every problem located — never run without a rule.
//! Each way a checklist can be broken is a folder of `tests/data/bad-checklists/`, run by
//! `bad_files::bad_checklists`; here are the cases a folder cannot hold.

use crate::support::*;

#[test]
fn a_missing_folder_is_clear() {
    let e = stronger::Checklist::load(std::path::Path::new("no/such/dir")).unwrap_err();
    assert!(
        matches!(e, stronger::ChecklistError::Unreadable(_)),
        "{e:?}"
    );
    assert_eq!(
        e.diagnostics()[0].render(),
        "error: cannot read the checklist folder: no such file\n  --> no/such/dir\n"
    );
}

#[test]
fn the_cli_refuses_a_broken_checklist_with_exit_2() {
    let bad = rule("R-01", "    met(\"x\"");
    let c = TempChecklist::new(CONFIG, &[("volunteering/R.rhai", &bad)]);
    let (code, out, err) = run(&[
        "appraise",
        "examples/01-riverside-community-hub.toml",
        "--rules",
        c.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.ends_with("error: the checklist is invalid; nothing was appraised\n"),
        "{err}"
    );
}
