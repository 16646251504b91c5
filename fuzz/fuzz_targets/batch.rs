//! Batch inputs: JSON Lines, proposal CSV, 360Giving JSON and 360Giving CSV. The first byte
//! picks the file name (and so the reader, after content detection); the rest is the file. Every
//! item is resolved (parsed and validated) and its diagnostics rendered.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use stronger::{Limits, ProposalSchema};

fn dir() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("a temporary folder"))
}

fuzz_target!(|data: &[u8]| {
    let Some((first, bytes)) = data.split_first() else {
        return;
    };
    let name = match first % 3 {
        0 => "input.jsonl",
        1 => "input.csv",
        _ => "input.json",
    };
    let path = dir().path().join(name);
    std::fs::write(&path, bytes).expect("write the input");
    let schema = ProposalSchema::builtin();
    let limits = Limits::default();
    let mut n = 0usize;
    stronger::batch::read_input(&path, schema, &limits, &mut |item| {
        let item = item.resolve(schema, &limits);
        match &item.bid {
            Ok(p) => assert!(p.hash.starts_with("sha256:")),
            Err(e) => {
                assert!(!e.message.is_empty(), "an error says what is wrong");
                for d in &e.diagnostics {
                    let _ = d.render();
                }
            }
        }
        for w in &item.warnings {
            let _ = w.render();
        }
        n += 1;
        true
    });
    let _ = std::fs::remove_file(&path);
});
