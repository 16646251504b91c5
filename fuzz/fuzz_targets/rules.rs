//! Rule loading (what `rules check` does) and running the rule: a checklist folder with a fixed
//! `checklist.toml` and one rule from the fuzz input. First byte even: the input is the whole
//! rule file; odd: the input is the body of `fn appraise(bid)` inside valid metadata, so the
//! fuzzer reaches evaluation quickly. A loaded rule is run over a full example bid; whatever it
//! does, the engine must not crash or hang, and a failing rule must leave the appraisal
//! incomplete.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use stronger::{Checklist, Format, Limits, Proposal, ProposalSchema};
use stronger_fuzz::{CONFIG, rule};

fn dir() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = tempfile::tempdir().expect("a temporary folder");
        std::fs::write(d.path().join("checklist.toml"), CONFIG).expect("write the config");
        std::fs::create_dir_all(d.path().join("volunteering")).expect("a theme folder");
        d
    })
}

fn example() -> &'static Proposal {
    static P: OnceLock<Proposal> = OnceLock::new();
    P.get_or_init(|| {
        let text = include_str!("../../examples/01-riverside-community-hub.toml");
        Proposal::parse(
            "01.toml",
            text.as_bytes(),
            Format::Toml,
            ProposalSchema::builtin(),
            &Limits::default(),
        )
        .expect("the example bid is valid")
        .proposal
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((first, bytes)) = data.split_first() else {
        return;
    };
    let Ok(input) = std::str::from_utf8(bytes) else {
        return;
    };
    let source = if first % 2 == 0 {
        input.to_string()
    } else {
        rule(input)
    };
    let path = dir().path().join("volunteering/FUZZ.rhai");
    std::fs::write(&path, source).expect("write the rule");
    match Checklist::load(dir().path()) {
        Err(e) => {
            assert!(!e.diagnostics().is_empty());
            let _ = e.render();
        }
        Ok(c) => {
            let _ = stronger::render::provenance_summary(&c);
            let _ = stronger::cases::count(&c);
            let _ = stronger::render::checklist_markdown(&c);
            let _ = stronger::render::checklist_html(&c);
            let a = stronger::appraise(&c, example());
            assert_eq!(a.complete, a.errors.is_empty(), "{:?}", a.errors);
            if !a.complete {
                assert_eq!(
                    a.outcome, "refer",
                    "an incomplete appraisal is never a pass"
                );
            }
            let _ = stronger::render::json(&a);
            let _ = stronger::render::text(&a, &c);
            let _ = stronger::render::markdown(&a, &c);
        }
    }
});
