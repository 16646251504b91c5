//! `Checklist::with_rule_replaced`, the rules playground's edit: compiled and checked like a
//! loaded rule, never written, and hashed as the folder would be with the edit saved.

use crate::support::*;

#[test]
fn an_unchanged_rule_keeps_the_hash_and_an_edit_hashes_as_if_saved() {
    let (_, src) = builtin().rule_source("VOL-01").unwrap();
    let same = builtin().with_rule_replaced("VOL-01", src).unwrap();
    assert_eq!(same.hash(), builtin().hash());

    let before = rule("R-01", "    met(\"yes\");");
    let after = rule("R-01", "    not_met(\"no\");");
    let dir = TempChecklist::new(CONFIG, &[("volunteering/R-01.rhai", &before)]);
    let saved = TempChecklist::new(CONFIG, &[("volunteering/R-01.rhai", &after)]);
    let edited = dir
        .load()
        .unwrap()
        .with_rule_replaced("R-01", &after)
        .unwrap();
    assert_eq!(edited.hash(), saved.load().unwrap().hash());
    assert_eq!(
        appraise_with(&edited, MINIMAL).checklist[0].status.as_str(),
        "not-met"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("volunteering/R-01.rhai")).unwrap(),
        before,
        "nothing is written"
    );
}

#[test]
fn a_bad_edit_is_refused_with_a_located_error() {
    let c = TempChecklist::new(
        CONFIG,
        &[("volunteering/R-01.rhai", &rule("R-01", "    met(\"yes\");"))],
    );
    let c = c.load().unwrap();
    let shown = |e: stronger::ChecklistError| {
        e.render().replace(
            &c.rule_source("R-01").unwrap().0.replace("R-01.rhai", ""),
            "RULES/",
        )
    };

    let broken = rule("R-01", "    let = 1;");
    let e = shown(c.with_rule_replaced("R-01", &broken).unwrap_err());
    assert!(e.starts_with("error: "), "{e}");
    assert!(e.contains("  --> RULES/R-01.rhai:12:9\n"), "{e}");

    let renamed = rule("R-02", "    met(\"yes\");");
    let e = shown(c.with_rule_replaced("R-01", &renamed).unwrap_err());
    assert_eq!(
        e,
        "error: the edited rule's id is `R-02`, but it replaces `R-01`\n  --> RULES/R-01.rhai:2:5\n  |\n2 |     id: \"R-02\",\n  |     ^\n  = help: keep `id: \"R-01\"`\n"
    );

    let wrong_field = rule(
        "R-01",
        "    if bid.volunteering.new_volunters > 0 { met(\"x\") } else { not_met(\"y\") }",
    );
    let e = shown(c.with_rule_replaced("R-01", &wrong_field).unwrap_err());
    assert!(
        e.contains(
            "error: the rule reads `bid.volunteering.new_volunters`, which is not a proposal field"
        ),
        "{e}"
    );
    assert!(
        e.contains("= help: did you mean `volunteering.new_volunteers`?"),
        "{e}"
    );

    let e = c.with_rule_replaced("R-10", "").unwrap_err();
    assert_eq!(
        e.diagnostics()[0].message,
        "the checklist has no rule `R-10`"
    );
    assert_eq!(
        e.diagnostics()[0].help.as_deref(),
        Some("did you mean `R-01`?")
    );
}
