//! A whole bid read once: every field cut into units, every unit into words, the concepts
//! found, set aside or claimed with a status and an actor.
//!
//! The work is linear in the text: each word looks up the phrases, triggers and actors that can
//! start there, and a unit's triggers are resolved once. The words read and the claims kept per
//! bid are capped ([`MAX_WORDS`], [`MAX_CLAIMS`]), and `truncated` says when a cap was hit.

use super::FastMap;
use super::claims::{Claim, Reading, SetAside, TextField, TextKind};
use super::context::{self, ActorHit, Context};
use super::layers::Lexicon;
use super::names::{self, BidNames, Run};
use super::pattern::{Hit, Text};
use super::segment::{self, Unit};
use super::stuffing;
use super::tokens::{self, Word};
use std::collections::HashSet;

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
            units: Vec::new(),
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
                    reader.end_field();
                    return reader.reading;
                }
            }
            reader.end_field();
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
    /// The units of the field being read, for the run test ([`stuffing::runs`]).
    units: Vec<stuffing::UnitMark>,
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

/// Hits sorted by first word (as `PatternSet::find` returns them), to find those overlapping a
/// span by looking only at those that start close enough to it.
struct Sorted<'h> {
    hits: &'h [Hit],
    widest: usize,
}

impl<'h> Sorted<'h> {
    fn new(hits: &'h [Hit]) -> Self {
        let widest = hits.iter().map(|h| h.last - h.first).max().unwrap_or(0);
        Sorted { hits, widest }
    }

    fn overlapping(&self, first: usize, last: usize) -> impl Iterator<Item = &'h Hit> + use<'h> {
        let from = first.saturating_sub(self.widest);
        let i = self.hits.partition_point(|h| h.first < from);
        self.hits
            .iter()
            .skip(i)
            .take_while(move |h| h.first <= last)
            .filter(move |h| h.last >= first)
    }
}

/// Of the matches of one concept that overlap, the longest (a phrase inside a longer phrase of
/// the same concept is one mention).
fn one_per_mention(mut hits: Vec<Hit>) -> Vec<Hit> {
    hits.sort_by_key(|h| (h.first, std::cmp::Reverse(h.last), h.owner));
    // Kept in order of first word, so a hit lies inside a kept one of its concept exactly when
    // that concept's furthest kept last word reaches its own.
    let mut furthest: FastMap<u32, usize> = FastMap::default();
    let mut kept: Vec<Hit> = Vec::new();
    for h in hits {
        let inside = furthest.get(&h.owner).is_some_and(|&l| l >= h.last);
        if !inside {
            furthest.insert(h.owner, h.last);
            kept.push(h);
        }
    }
    kept
}

/// The longest quote a claim keeps, in bytes: a "sentence" longer than this (prose with no
/// full stops) is quoted as the words around the mention, so that the claims of one bid stay
/// within a few megabytes whatever it holds.
pub(crate) const MAX_QUOTE: usize = 600;

/// One unit's words and what was found in them.
struct UnitText<'a> {
    field: &'a TextField<'a>,
    words: &'a [Word],
    /// The unit as written, trimmed.
    sentence: &'a str,
    runs: Vec<Run>,
    names: Vec<Hit>,
}

impl UnitText<'_> {
    fn written(&self, first: usize, last: usize) -> String {
        written(self.field.text, self.words, first, last)
    }

    /// The sentence to quote for a mention: the whole of it, or, past [`MAX_QUOTE`], the words
    /// around the mention with `…` where it was cut.
    fn quote(&self, first: usize, last: usize) -> String {
        if self.sentence.len() <= MAX_QUOTE {
            return self.sentence.to_string();
        }
        let (Some(a), Some(b)) = (self.words.get(first), self.words.get(last)) else {
            return String::new();
        };
        let half = MAX_QUOTE / 2;
        // Words are in order: find the window's ends by halving, not by scanning a long unit.
        let i = self.words.partition_point(|w| w.start + half < a.start);
        let j = self.words.partition_point(|w| w.end <= b.end + half);
        let from = self.words.get(i).map_or(a.start, |w| w.start.min(a.start));
        let to = j
            .checked_sub(1)
            .and_then(|j| self.words.get(j))
            .map_or(b.end, |w| w.end.max(b.end));
        let mut out = self
            .field
            .text
            .get(from..to)
            .unwrap_or_default()
            .to_string();
        if self.words.first().is_some_and(|w| w.start < from) {
            out.insert(0, '…');
        }
        if self.words.last().is_some_and(|w| w.end > to) {
            out.push('…');
        }
        out
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
            sentence: text.trim(),
            runs: names::runs(&words, field.kind == TextKind::Prose),
            names: self.names.find(&t),
        };
        let hits = self.lex.phrases.find(&t, self.lex.gap_words);
        let (mentions, exclusions): (Vec<Hit>, Vec<Hit>) =
            hits.into_iter().partition(|h| h.owner % 2 == 0);
        let mut live = self.set_aside(&unit, one_per_mention(mentions), &exclusions);
        let named = stuffing::distinct(&live, self.lex);
        let why = if stuffing::word_list(&words, &named) {
            Some(stuffing::WHY)
        } else if field.kind == TextKind::Prose && self.lex.echo.echoes(&words) {
            Some(stuffing::WHY_ECHO)
        } else {
            None
        };
        let shape = match why {
            Some(_) => stuffing::Shape::Vocabulary,
            None => stuffing::shape(&words, &live),
        };
        if let Some(why) = why {
            self.set_aside_all(&unit, std::mem::take(&mut live), why);
        }
        let first_claim = self.reading.claims.len();
        // A trigger inside a concept's own words is part of it; one in its `...` gap is not.
        let mut blocked: Vec<(usize, usize)> = live.iter().flat_map(Hit::spans).collect();
        blocked.extend(unit.runs.iter().map(|r| (r.first, r.last)));
        blocked.extend(unit.names.iter().map(|n| (n.first, n.last)));
        let trigger_hits = self.lex.trigger_phrases.find(&t, self.lex.gap_words);
        let triggers = context::live_triggers(self.lex, words.len(), &trigger_hits, &blocked);
        let context = Context::new(
            self.lex,
            &words,
            field.text,
            &triggers,
            self.actors(&t, &unit),
        );
        for h in &live {
            if self.reading.claims.len() >= MAX_CLAIMS {
                return false;
            }
            self.claim(&unit, &context, h);
        }
        let claims = first_claim..self.reading.claims.len();
        self.units.push(stuffing::UnitMark {
            claims,
            shape,
            concepts: named,
        });
        self.reading.set_aside.len() < MAX_CLAIMS
    }

    /// At the end of a field: sets aside the claims of its runs of vocabulary.
    fn end_field(&mut self) {
        let runs = stuffing::runs(&std::mem::take(&mut self.units));
        if runs.is_empty() {
            return;
        }
        let mut aside = vec![false; self.reading.claims.len()];
        for r in runs {
            for a in aside.get_mut(r).unwrap_or_default() {
                *a = true;
            }
        }
        let claims = std::mem::take(&mut self.reading.claims);
        for (c, a) in claims.into_iter().zip(aside) {
            // A denial in a run is still evidence against the project: only what the run
            // affirms (or hopes, or recalls) is set aside.
            if !a || c.status == super::Status::Negated {
                self.reading.claims.push(c);
            } else if self.reading.set_aside.len() < MAX_CLAIMS {
                self.reading.set_aside.push(SetAside {
                    concept: c.concept,
                    field: c.field,
                    sentence: c.sentence,
                    phrase: c.phrase,
                    why: stuffing::WHY_RUN.to_string(),
                });
            }
        }
    }

    /// Sets aside every one of `mentions`, for one reason.
    fn set_aside_all(&mut self, unit: &UnitText<'_>, mentions: Vec<Hit>, why: &str) {
        for h in &mentions {
            self.record_aside(unit, h, why.to_string());
        }
    }

    /// Records one mention set aside, with why (within the cap on what a reading holds).
    fn record_aside(&mut self, unit: &UnitText<'_>, h: &Hit, why: String) {
        let Some(concept) = self.lex.concept(h.owner as usize / 2) else {
            return;
        };
        if self.reading.set_aside.len() < MAX_CLAIMS {
            self.reading.set_aside.push(SetAside {
                concept: concept.id.clone(),
                field: unit.field.path.clone(),
                sentence: unit.quote(h.first, h.last),
                phrase: unit.written(h.first, h.last),
                why,
            });
        }
    }

    /// Sets aside the mentions that an exclusion or a name covers; returns the others.
    fn set_aside(
        &mut self,
        unit: &UnitText<'_>,
        mentions: Vec<Hit>,
        exclusions: &[Hit],
    ) -> Vec<Hit> {
        let mut live = Vec::new();
        let (exclusions, names) = (Sorted::new(exclusions), Sorted::new(&unit.names));
        for h in mentions {
            let Some(concept) = self.lex.concept(h.owner as usize / 2) else {
                continue;
            };
            let excluded = exclusions
                .overlapping(h.first, h.last)
                .find(|x| x.owner == h.owner + 1);
            let named = names.overlapping(h.first, h.last).next();
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
            self.record_aside(unit, &h, why);
        }
        live
    }

    /// The actors named in a unit: actor phrases that reach the head of any name they are in,
    /// and the bid's own names that stand for an actor.
    fn actors(&self, t: &Text<'_>, unit: &UnitText<'_>) -> Vec<ActorHit> {
        let names = Sorted::new(&unit.names);
        let mut out: Vec<ActorHit> = self
            .lex
            .actor_phrases
            .find(t, self.lex.gap_words)
            .into_iter()
            .filter(|a| context::cut_by(&unit.runs, a.first, a.last).is_none())
            .filter(|a| !names.overlapping(a.first, a.last).any(|n| a.last < n.last))
            .map(|a| ActorHit {
                actor: a.owner as usize,
                first: a.first,
                last: a.last,
            })
            .collect();
        let heads: HashSet<usize> = out.iter().map(|a| a.last).collect();
        for n in &unit.names {
            let standing = self.name_actors.get(n.owner as usize).copied().flatten();
            let has_head = heads.contains(&n.last);
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

    fn claim(&mut self, unit: &UnitText<'_>, context: &Context<'_>, h: &Hit) {
        let Some(concept) = self.lex.concept(h.owner as usize / 2) else {
            return;
        };
        let (status, trigger) = context.status(h);
        let actor = context
            .actor(h.first, h.last)
            .and_then(|a| self.lex.actors.get(a));
        self.reading.claims.push(Claim {
            concept: concept.id.clone(),
            status,
            actor: actor.map(|a| a.id.clone()),
            side: actor.map(|a| a.side),
            field: unit.field.path.clone(),
            sentence: unit.quote(h.first, h.last),
            phrase: unit.written(h.first, h.last),
            trigger: trigger.map(|t| unit.written(t.first, t.last)),
            question: unit.field.question.map(str::to_string),
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
            question: None,
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
                question: None,
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
    fn a_long_sentence_is_quoted_around_the_mention() {
        let lex = default_lexicon();
        let text = format!(
            "{} we train volunteers {}",
            "word ".repeat(400),
            "word ".repeat(400)
        );
        let r = lex.read(&[prose(&text)]);
        let q = &r.claims[0].sentence;
        assert!(q.len() <= MAX_QUOTE + 40, "{}", q.len());
        assert!(q.starts_with('…') && q.ends_with('…') && q.contains("we train volunteers"));
        let short = lex.read(&[prose("We train volunteers.")]);
        assert_eq!(short.claims[0].sentence, "We train volunteers.");
    }

    #[test]
    fn the_bids_own_names_mask_prose_and_stand_for_actors() {
        let lex = default_lexicon();
        let fields = [
            TextField {
                path: "partners[0].name".into(),
                text: "Kelbridge Sports Trust",
                kind: TextKind::Name,
                question: None,
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
