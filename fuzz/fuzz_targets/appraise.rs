//! Arbitrary bids appraised against the default checklist. First byte even: a bid generated
//! from the proposal schema (every field with edge values, free text from the rules' own
//! words); odd: the rest is a bid as written (1: JSON, 3: TOML). Every valid bid must be appraised
//! completely by the bundled rules (a rule error on a valid bid is a bug in the rule), the same
//! bid must give byte-identical output, and every renderer must cope.
#![no_main]

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use stronger::{Checklist, Format, Limits, Proposal, ProposalSchema};

fn checklist() -> &'static Checklist {
    static C: OnceLock<Checklist> = OnceLock::new();
    C.get_or_init(|| Checklist::builtin().expect("the default checklist loads"))
}

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let format = if first % 4 == 3 {
        Format::Toml
    } else {
        Format::Json
    };
    let text = if first % 2 == 0 {
        let mut u = Unstructured::new(rest);
        let Ok(doc) = stronger_fuzz::bid(&mut u) else {
            return;
        };
        doc.to_string()
    } else {
        String::from_utf8_lossy(rest).into_owned()
    };
    let Ok(loaded) = Proposal::parse(
        "bid",
        text.as_bytes(),
        format,
        ProposalSchema::builtin(),
        &Limits::default(),
    ) else {
        return;
    };
    let c = checklist();
    let a = stronger::appraise(&c, &loaded.proposal);
    assert!(
        a.complete,
        "a valid bid must be appraised completely: {:?}\n{text}",
        a.errors
    );
    let json = stronger::render::json(&a);
    let again = stronger::render::json(&stronger::appraise(&c, &loaded.proposal));
    assert_eq!(json, again, "the same bid must give the same output");
    let _ = stronger::render::text(&a, c);
    let _ = stronger::render::markdown(&a, c);
});
