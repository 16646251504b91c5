//! One bid, TOML or JSON, read, bounded, parsed and validated; every diagnostic rendered.
//! The first byte picks the format (even: TOML, odd: JSON); the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stronger::{Format, Limits, Proposal, ProposalSchema};

fuzz_target!(|data: &[u8]| {
    let Some((first, bytes)) = data.split_first() else {
        return;
    };
    let format = if first % 2 == 0 {
        Format::Toml
    } else {
        Format::Json
    };
    // A small depth limit as well as the default, so the depth check itself is exercised.
    let limits = if first % 4 < 2 {
        Limits::default()
    } else {
        Limits {
            max_depth: 4,
            ..Limits::default()
        }
    };
    match Proposal::parse("bid", bytes, format, ProposalSchema::builtin(), &limits) {
        Ok(loaded) => {
            for w in &loaded.warnings {
                let _ = w.render();
            }
            assert!(!loaded.proposal.id.is_empty(), "a valid bid has an id");
            assert!(loaded.proposal.hash.starts_with("sha256:"));
        }
        Err(e) => {
            assert!(!e.diagnostics.is_empty(), "an error says what is wrong");
            let _ = e.render();
            let _ = e.to_string();
        }
    }
});
