//! The reading layer: a bid's prose read once, natively, into **claims** — a concept, what the
//! sentence says of it (affirmed, negated, hedged, past), who acts, the field and the sentence —
//! so that rules ask for claims instead of counting words.
//!
//! The concepts, their phrases and exclusions, the trigger lists and the actors are checklist
//! data (`concepts.toml`, schema `schemas/concepts.schema.json`), parsed and checked by
//! [`Lexicon::parse`], merged over a base by [`Lexicon::build`], and applied by
//! [`Lexicon::read`]. The status comes from a ConText-style reading (Harkema et al. 2009,
//! extending Chapman's NegEx): see `context.rs`.
//!
//! - `tokens.rs` — words: UAX #29, lowercased, apostrophes normalised, Snowball stems.
//! - `segment.rs` — a field cut into units: sentences and list items.
//! - `pattern.rs` — phrases compiled and indexed by their first word; `...` gaps, optional
//!   hyphens, trigger wildcards.
//! - `names.rs` — the bid's own names, and runs of Capitalised words, whose words are not
//!   concepts unless they are the name's head.
//! - `context.rs` — live triggers, their reach, the status they give, and who acts.
//! - `lexicon.rs` — one concepts file parsed and checked, with located errors.
//! - `layers.rs` — layers merged and compiled into a [`Lexicon`], with the warnings.
//! - `read.rs` — a whole bid read once, bounded.
//! - `claims.rs` — [`Claim`], [`SetAside`], [`Reading`].
//! - `judge.rs` — the judgment cases (`tests/judgments/reading.toml` in a checklist).

// Nothing outside the tests calls the reading layer until the engine is moved onto it
// (issue 14); the whole API is kept and tested meanwhile.
#![cfg_attr(not(test), allow(dead_code, unused_imports))]

mod claims;
mod context;
mod judge;
mod layers;
mod lexicon;
mod names;
mod pattern;
mod read;
mod segment;
mod tokens;

pub use claims::{Claim, Reading, SetAside, Side, Status, TextField, TextKind};
pub(crate) use judge::{CaseResult, run_reading_cases};
pub use layers::{ActorInfo, ConceptInfo, Lexicon, TriggerListInfo, TriggersInfo};
pub use lexicon::{Direction, LexiconLayer, TriggerKind};
pub(crate) use read::{MAX_CLAIMS, MAX_WORDS};

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const DEFAULT: &str = include_str!("../rules/concepts.toml");

    pub(crate) fn default_lexicon() -> Lexicon {
        let layer = match Lexicon::parse("rules/concepts.toml", DEFAULT) {
            Ok(l) => l,
            Err(e) => panic!("{}", e.iter().map(|d| d.render()).collect::<String>()),
        };
        let (lex, warnings) = Lexicon::build(vec![layer]);
        assert!(
            warnings.is_empty(),
            "{}",
            warnings.iter().map(|d| d.render()).collect::<String>()
        );
        match lex {
            Ok(l) => l,
            Err(e) => panic!("{}", e.iter().map(|d| d.render()).collect::<String>()),
        }
    }

    #[test]
    fn the_default_concepts_file_loads_without_warnings() {
        let lex = default_lexicon();
        assert!(lex.concepts().count() > 60);
    }

    #[test]
    fn every_judgment_holds() {
        let lex = default_lexicon();
        let file = "rules/tests/judgments/reading.toml";
        let text = include_str!("../rules/tests/judgments/reading.toml");
        let results = match run_reading_cases(&lex, file, text) {
            Ok(r) => r,
            Err(e) => panic!("{}", e.iter().map(|d| d.render()).collect::<String>()),
        };
        assert!(results.len() >= 120, "only {} judgments", results.len());
        let failed: Vec<String> = results
            .iter()
            .filter(|r| !r.passed)
            .map(|r| format!("- {}: {}", r.name, r.message))
            .collect();
        assert!(
            failed.is_empty(),
            "{} of {} judgments fail:\n{}",
            failed.len(),
            results.len(),
            failed.join("\n")
        );
    }

    #[test]
    #[ignore]
    fn explore() {
        let lex = default_lexicon();
        let text = std::fs::read_to_string("/tmp/sentences.txt").unwrap_or_default();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let r = lex.read(&[TextField {
                path: "summary".into(),
                text: line,
                kind: TextKind::Prose,
            }]);
            println!("== {line}");
            for c in &r.claims {
                println!(
                    "   {} {:?} {:?} trig={:?} actor={:?}",
                    c.concept, c.status, c.phrase, c.trigger, c.actor
                );
            }
            for s in &r.set_aside {
                println!("   SET ASIDE {} {:?} {}", s.concept, s.phrase, s.why);
            }
        }
    }
}
