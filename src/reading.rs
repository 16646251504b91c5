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
//! - `ascii.rs` — UAX #29 word and sentence boundaries of plain text (ASCII, Latin-1 letters,
//!   `£ €`, curly quotes, dashes), without the general tables (the same as
//!   `unicode-segmentation`'s, which other text goes to).
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
//! - `contradictions.rs` — what counts as a contradiction (`[contradictions.ID]` in a concepts
//!   file), parsed, checked and compiled; `conflicts.rs` finds them in one bid's claims and
//!   fields ([`Conflict`]).
//! - `judge.rs` — the judgment cases (`tests/judgments/reading.toml` in a checklist).

mod ascii;
mod claims;
mod conflicts;
mod context;
mod contradictions;
mod judge;
mod layers;
mod lexicon;
mod names;
mod pattern;
mod read;
mod segment;
mod stuffing;
mod tokens;

pub use claims::{Claim, Reading, Side, Status, TextField, TextKind};
pub use conflicts::{Conflict, Said};
pub use contradictions::FieldValue;

/// The maps and sets the reader looks words up in: foldhash, seeded at random per process like
/// std's hasher, but several times cheaper on short keys. Never iterated into output.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub(crate) type FastSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;
pub(crate) use judge::run_reading_cases;
pub use layers::Lexicon;
pub use lexicon::{Direction, LexiconLayer, TriggerKind};
pub(crate) use stuffing::Echo;

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
        assert!(
            lex.concepts()
                .all(|c| !c.description.is_empty() && !c.phrases.is_empty())
        );
        let libraries = lex.concepts().find(|c| c.id == "libraries").unwrap();
        assert!(libraries.exclusions.contains(&"tool library".to_string()));
        assert_eq!(libraries.layer, "rules/concepts.toml");
        let t = lex.triggers();
        assert_eq!((t.scope_words, t.gap_words), (12, 6));
        let kinds: Vec<(TriggerKind, Option<Direction>)> =
            t.lists.iter().map(|l| (l.kind, l.direction)).collect();
        assert_eq!(kinds.len(), 8);
        assert!(kinds.contains(&(TriggerKind::Negated, Some(Direction::Backward))));
        assert!(kinds.contains(&(TriggerKind::Pseudo, None)));
        assert!(
            t.lists
                .iter()
                .all(|l| !l.phrases.is_empty() && l.layer == "rules/concepts.toml")
        );
        let council = t.actors.iter().find(|a| a.id == "council").unwrap();
        assert_eq!(council.side, Side::Institution);
        assert!(council.description.is_some() && council.layer == "rules/concepts.toml");
    }

    #[test]
    fn a_lexicon_is_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Lexicon>();
        shared::<Reading>();
    }

    #[test]
    fn statuses_and_sides_have_one_name_each() {
        let names: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(names, ["affirmed", "negated", "hedged", "past"]);
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::parse("denied"), None);
        assert_eq!(
            serde_json::to_string(&Status::Hedged).unwrap(),
            "\"hedged\""
        );
        assert_eq!(Side::Community.as_str(), "community");
        assert_eq!(TriggerKind::Terminate.as_str(), "terminate");
        assert_eq!(Direction::Forward.as_str(), "forward");
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
}
