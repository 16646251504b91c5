//! A whole bid read once: every field cut into units, every unit into words, the concepts
//! found, set aside or claimed with a status and an actor.
//!
//! The work is linear in the text: each word looks up the phrases, triggers and actors that can
//! start there, and a unit's triggers are resolved once. The words read and the claims kept per
//! bid are capped ([`MAX_WORDS`], [`MAX_CLAIMS`]), and `truncated` says when a cap was hit.

use super::claims::{Claim, Reading, SetAside, TextField, TextKind};
use super::context::{self, ActorHit, Trigger};
use super::layers::Lexicon;
use super::names::{self, BidNames, Run};
use super::pattern::{Hit, Text};
use super::segment::{self, Unit};
use super::tokens::{self, Word};

/// Most words read in one bid. The proposal schema bounds every field; this bounds the reading
/// of a bid built to the limits (about a megabyte of prose) whatever the schema allows.
pub(crate) const MAX_WORDS: usize = 200_000;
/// Most claims (and, apart, mentions set aside) kept for one bid: no rule needs more, and the
/// reading is kept for the whole evaluation.
pub(crate) const MAX_CLAIMS: usize = 10_000;

impl Lexicon {
    /// Reads the whole bid, once: the fields in the order given.
    pub fn read(&self, fields: &[TextField<'_>]) -> Reading {
        let names = BidNames::new(
            fields
                .iter()
                .filter(|f| f.kind == TextKind::Name)
                .map(|f| (f.path.as_str(), f.text)),
        );
        let name_actors = names.paths.iter().map(|p| self.name_actor(p)).collect();
        let mut reader = Reader {
            lex: self,
            names,
            name_actors,
            reading: Reading::default(),
            words_read: 0,
        };
        for f in fields {
            let units = match f.kind {
                TextKind::Prose => segment::prose(f.text),
                TextKind::Item => segment::item(f.text),
                TextKind::Name => continue,
            };
            for u in units {
                if !reader.unit(f, u) {
                    reader.reading.truncated = true;
                    return reader.reading;
                }
            }
        }
        reader.reading
    }

    /// The actor a bid's own name stands for: the applicant's name is the applicant, a
    /// partner's name a partner (when the file defines those actors).
    fn name_actor(&self, path: &str) -> Option<usize> {
        let id = if path == "applicant.name" {
            "applicant"
        } else if path.starts_with("partners[") {
            "partners"
        } else {
            return None;
        };
        self.actors.iter().position(|a| &*a.id == id)
    }
}

struct Reader<'l> {
    lex: &'l Lexicon,
    names: BidNames,
    name_actors: Vec<Option<usize>>,
    reading: Reading,
    words_read: usize,
}

/// The words of `first..=last` as written, with runs of spaces and line breaks made one space.
fn written(field: &str, words: &[Word], first: usize, last: usize) -> String {
    let (Some(a), Some(b)) = (words.get(first), words.get(last)) else {
        return String::new();
    };
    field
        .get(a.start..b.end)
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn overlaps(a: &Hit, first: usize, last: usize) -> bool {
    a.first <= last && first <= a.last
}

/// Of the matches of one concept that overlap, the longest (a phrase inside a longer phrase of
/// the same concept is one mention).
fn one_per_mention(mut hits: Vec<Hit>) -> Vec<Hit> {
    hits.sort_by_key(|h| (h.first, std::cmp::Reverse(h.last), h.owner));
    let mut kept: Vec<Hit> = Vec::new();
    for h in hits {
        let inside = kept
            .iter()
            .any(|k| k.owner == h.owner && k.first <= h.first && h.last <= k.last);
        if !inside {
            kept.push(h);
        }
    }
    kept
}

/// One unit's words and what was found in them.
struct UnitText<'a> {
    field: &'a TextField<'a>,
    words: &'a [Word],
    sentence: String,
    runs: Vec<Run>,
    names: Vec<Hit>,
}

impl UnitText<'_> {
    fn written(&self, first: usize, last: usize) -> String {
        written(self.field.text, self.words, first, last)
    }
}

impl Reader<'_> {
    /// Reads one unit; false when a cap is reached.
    fn unit(&mut self, field: &TextField<'_>, u: Unit) -> bool {
        let Some(text) = field.text.get(u.start..u.end) else {
            return true;
        };
        let words = tokens::words(text, u.start);
        self.words_read += words.len();
        if self.words_read > MAX_WORDS {
            return false;
        }
        let t = Text::with_beginnings(&words, &self.lex.beginnings);
        let unit = UnitText {
            field,
            words: &words,
            sentence: text.trim().to_string(),
            runs: names::runs(&words, field.kind == TextKind::Prose),
            names: self.names.find(&t),
        };
        let hits = self.lex.phrases.find(&t, self.lex.gap_words);
        let (mentions, exclusions): (Vec<Hit>, Vec<Hit>) =
            hits.into_iter().partition(|h| h.owner % 2 == 0);
        let live = self.set_aside(&unit, one_per_mention(mentions), &exclusions);
        // A trigger inside a concept's own words is part of it; one in its `...` gap is not.
        let mut blocked: Vec<(usize, usize)> = live.iter().flat_map(Hit::spans).collect();
        blocked.extend(unit.runs.iter().map(|r| (r.first, r.last)));
        blocked.extend(unit.names.iter().map(|n| (n.first, n.last)));
        let trigger_hits = self.lex.trigger_phrases.find(&t, self.lex.gap_words);
        let triggers = context::live_triggers(self.lex, &trigger_hits, &blocked);
        let actors = self.actors(&t, &unit);
        for h in live {
            if self.reading.claims.len() >= MAX_CLAIMS {
                return false;
            }
            self.claim(&unit, &triggers, &actors, h);
        }
        self.reading.set_aside.len() < MAX_CLAIMS
    }

    /// Sets aside the mentions that an exclusion or a name covers; returns the others.
    fn set_aside(
        &mut self,
        unit: &UnitText<'_>,
        mentions: Vec<Hit>,
        exclusions: &[Hit],
    ) -> Vec<Hit> {
        let mut live = Vec::new();
        for h in mentions {
            let Some(concept) = self.lex.concept(h.owner as usize / 2) else {
                continue;
            };
            let excluded = exclusions
                .iter()
                .find(|x| x.owner == h.owner + 1 && overlaps(x, h.first, h.last));
            let named = unit.names.iter().find(|n| overlaps(n, h.first, h.last));
            let why = if let Some(x) = excluded {
                format!(
                    "excluded: \"{}\" is not {}",
                    unit.written(x.first, x.last),
                    concept.id
                )
            } else if let Some(n) = named {
                format!("part of a name: \"{}\"", unit.written(n.first, n.last))
            } else if let Some(r) = context::cut_by(&unit.runs, h.first, h.last) {
                format!("part of a name: \"{}\"", unit.written(r.first, r.last))
            } else {
                live.push(h);
                continue;
            };
            if self.reading.set_aside.len() < MAX_CLAIMS {
                self.reading.set_aside.push(SetAside {
                    concept: concept.id.clone(),
                    field: unit.field.path.clone(),
                    sentence: unit.sentence.clone(),
                    phrase: unit.written(h.first, h.last),
                    why,
                });
            }
        }
        live
    }

    /// The actors named in a unit: actor phrases that reach the head of any name they are in,
    /// and the bid's own names that stand for an actor.
    fn actors(&self, t: &Text<'_>, unit: &UnitText<'_>) -> Vec<ActorHit> {
        let mut out: Vec<ActorHit> = self
            .lex
            .actor_phrases
            .find(t, self.lex.gap_words)
            .into_iter()
            .filter(|a| context::cut_by(&unit.runs, a.first, a.last).is_none())
            .filter(|a| {
                !unit
                    .names
                    .iter()
                    .any(|n| overlaps(n, a.first, a.last) && a.last < n.last)
            })
            .map(|a| ActorHit {
                actor: a.owner as usize,
                first: a.first,
                last: a.last,
            })
            .collect();
        for n in &unit.names {
            let standing = self.name_actors.get(n.owner as usize).copied().flatten();
            let has_head = out.iter().any(|a| a.last == n.last);
            if let (Some(actor), false) = (standing, has_head) {
                out.push(ActorHit {
                    actor,
                    first: n.first,
                    last: n.last,
                });
            }
        }
        out
    }

    fn claim(&mut self, unit: &UnitText<'_>, triggers: &[Trigger], actors: &[ActorHit], h: Hit) {
        let Some(concept) = self.lex.concept(h.owner as usize / 2) else {
            return;
        };
        let (status, trigger) = context::status(self.lex, unit.words, triggers, &h);
        let actor = context::actor(unit.words, triggers, actors, h.first, h.last)
            .and_then(|a| self.lex.actors.get(a));
        self.reading.claims.push(Claim {
            concept: concept.id.clone(),
            status,
            actor: actor.map(|a| a.id.clone()),
            side: actor.map(|a| a.side),
            field: unit.field.path.clone(),
            sentence: unit.sentence.clone(),
            phrase: unit.written(h.first, h.last),
            trigger: trigger.map(|t| unit.written(t.first, t.last)),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::default_lexicon;
    use super::*;

    fn prose(text: &str) -> TextField<'_> {
        TextField {
            path: "summary".into(),
            text,
            kind: TextKind::Prose,
        }
    }

    #[test]
    fn a_bid_past_the_word_cap_is_truncated() {
        let lex = default_lexicon();
        let long = "Volunteers run the café. ".repeat(MAX_WORDS / 4 + 10);
        let r = lex.read(&[prose(&long)]);
        assert!(r.truncated);
        assert!(r.claims.len() <= MAX_CLAIMS);
        let short = lex.read(&[prose("Volunteers run the café.")]);
        assert!(!short.truncated);
    }

    #[test]
    fn claims_are_capped() {
        let lex = default_lexicon();
        let many = "volunteers ".repeat(MAX_CLAIMS + 5);
        let r = lex.read(&[prose(&many)]);
        assert_eq!(r.claims.len(), MAX_CLAIMS);
        assert!(r.truncated);
    }

    #[test]
    fn the_same_bid_reads_the_same_byte_for_byte() {
        let lex = default_lexicon();
        let text = "We have no volunteers yet; residents may decide later. The tool library opens at the Rose Garden Café.";
        let a = serde_json::to_string(&lex.read(&[prose(text)])).unwrap();
        let b = serde_json::to_string(&lex.read(&[prose(text)])).unwrap();
        assert_eq!(a, b);
        assert!(a.contains(r#""status":"negated""#), "{a}");
    }

    #[test]
    fn a_claim_keeps_its_field_sentence_phrase_and_trigger() {
        let lex = default_lexicon();
        let fields = [
            prose("Our café is busy. At present we have no volunteers, so staff run it."),
            TextField {
                path: "partners[1].role".into(),
                text: "Trains café volunteers",
                kind: TextKind::Item,
            },
        ];
        let r = lex.read(&fields);
        let v: Vec<&Claim> = r.of("volunteering").collect();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].field, "summary");
        assert_eq!(
            v[0].sentence,
            "At present we have no volunteers, so staff run it."
        );
        assert_eq!(v[0].phrase, "volunteers");
        assert_eq!(v[0].status, super::super::Status::Negated);
        assert_eq!(v[0].trigger.as_deref(), Some("no"));
        assert_eq!(v[1].field, "partners[1].role");
        assert_eq!(v[1].sentence, "Trains café volunteers");
        assert_eq!(v[1].trigger, None);
    }

    #[test]
    fn the_bids_own_names_mask_prose_and_stand_for_actors() {
        let lex = default_lexicon();
        let fields = [
            TextField {
                path: "partners[0].name".into(),
                text: "Kelbridge Sports Trust",
                kind: TextKind::Name,
            },
            prose("kelbridge sports trust decides the timetable."),
        ];
        let r = lex.read(&fields);
        assert_eq!(r.of("sport").count(), 0);
        assert_eq!(r.set_aside.len(), 1);
        assert_eq!(
            r.set_aside[0].why,
            "part of a name: \"kelbridge sports trust\""
        );
        let decides: Vec<&Claim> = r.of("deciding").collect();
        assert_eq!(decides[0].actor.as_deref(), Some("partners"));
        assert_eq!(decides[0].side, Some(super::super::Side::Institution));
    }
}
