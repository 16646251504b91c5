//! Finding a checklist's contradictions in one bid: over the claims read once and the bid's
//! fields, natively, in the order the checklist defines them, bounded
//! (`limits::MAX_CONTRADICTIONS` kept, `limits::MAX_CONTRADICTION_PAIRS` pairs compared for
//! each definition), deterministic.
//!
//! What is never a contradiction: two claims of one sentence (a sentence that says both draws
//! a distinction: "tea is free; lunch costs £3"), a hedged or past claim (only affirmed and
//! negated claims are compared), a claim of the organisation's own context (`applicant.purpose`),
//! a field the bid leaves out (not stated is not "no"), and a pair where either sentence holds one
//! of the definition's `unless` phrases. A denial and an affirmation are the same actor's only
//! when they name the same actor (a sentence that names none speaks for the applicant), and about the same time only when both, or neither,
//! hold one of the definition's `future` phrases: "At present we have no volunteers. We will
//! recruit ten volunteers." is a plan, not a contradiction.

use super::FastMap;
use super::claims::{Claim, Reading, Status};
use super::contradictions::{ClaimPattern, Compiled, ContradictionKind, FieldValue, Shape};
use super::layers::Lexicon;
use super::pattern::PatternSet;
use super::tokens::{Word, words};
use crate::limits::{MAX_CONTRADICTION_PAIRS, MAX_CONTRADICTIONS};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

/// One contradiction found in a bid: what the checklist calls it, and both sides.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub id: Arc<str>,
    pub kind: ContradictionKind,
    pub description: String,
    /// The side said first (a field is always this side).
    pub one: Said,
    pub other: Said,
}

/// One side of a contradiction: a claim of the prose, or a field and its value.
#[derive(Debug, Clone, PartialEq)]
pub enum Said {
    Claim(Claim),
    Field {
        path: String,
        value: serde_json::Value,
    },
}

impl Lexicon {
    /// The checklist's contradictions found in a bid: its reading, its document, and which
    /// claims may be compared (`usable`: the project's own words, not its applicant's context).
    pub fn contradictions(
        &self,
        reading: &Reading,
        doc: &serde_json::Value,
        usable: impl Fn(&Claim) -> bool,
    ) -> Vec<Conflict> {
        let claims: Vec<&Claim> = reading
            .claims
            .iter()
            .filter(|c| matches!(c.status, Status::Affirmed | Status::Negated) && usable(c))
            .collect();
        let mut out = Vec::new();
        let memo = Memo::default();
        for c in &self.contradictions {
            let mut finder = Finder {
                lex: self,
                c,
                pairs: 0,
                memo: &memo,
            };
            let found = match &c.def.shape {
                Shape::Pair { one, other } => {
                    finder.pair(&claims, one, other).into_iter().collect()
                }
                Shape::Denied { concepts, .. } => concepts
                    .iter()
                    .filter_map(|n| finder.denied(&claims, &n.text))
                    .collect(),
                Shape::Field {
                    path,
                    value,
                    claims: patterns,
                    status,
                    ..
                } => finder
                    .field(&claims, doc, path, *value, patterns, *status)
                    .into_iter()
                    .collect::<Vec<_>>(),
            };
            for (one, other) in found {
                if out.len() >= MAX_CONTRADICTIONS {
                    return out;
                }
                out.push(Conflict {
                    id: c.def.id.clone(),
                    kind: c.def.kind,
                    description: c.def.description.clone(),
                    one,
                    other,
                });
            }
        }
        out
    }
}

/// Who speaks in a sentence that names no actor: the organisation applying.
const APPLICANT: &str = "applicant";

/// What one bid's search has already worked out, shared by every definition: each sentence's
/// words (many claims share a sentence, and every definition asks of the same claims), and
/// whether a sentence holds one of a set's phrases.
#[derive(Default)]
struct Memo<'r> {
    words: RefCell<FastMap<&'r str, Rc<[Word]>>>,
    says: RefCell<FastMap<(*const PatternSet, &'r str), bool>>,
}

impl<'r> Memo<'r> {
    fn says(&self, set: &PatternSet, sentence: &'r str, gap_words: usize) -> bool {
        if set.is_empty() {
            return false;
        }
        let key = (std::ptr::from_ref(set), sentence);
        if let Some(&known) = self.says.borrow().get(&key) {
            return known;
        }
        let ws = self
            .words
            .borrow_mut()
            .entry(sentence)
            .or_insert_with(|| words(sentence, 0).into())
            .clone();
        let found = Compiled::says(set, &ws, gap_words);
        self.says.borrow_mut().insert(key, found);
        found
    }
}

/// Looks for one definition in one bid, within the pair budget.
struct Finder<'a, 'r> {
    lex: &'a Lexicon,
    c: &'a Compiled,
    pairs: usize,
    memo: &'a Memo<'r>,
}

impl<'r> Finder<'_, 'r> {
    /// Whether the budget allows one more pair.
    fn spend(&mut self) -> bool {
        self.pairs += 1;
        self.pairs <= MAX_CONTRADICTION_PAIRS
    }

    /// Whether a sentence says the two are about different times or things.
    fn excepted(&self, c: &'r Claim) -> bool {
        self.memo
            .says(&self.c.unless, &c.sentence, self.lex.gap_words)
    }

    fn future(&self, c: &'r Claim) -> bool {
        self.memo
            .says(&self.c.future, &c.sentence, self.lex.gap_words)
    }

    /// The first affirmed claim matching `one` and the first in another sentence matching
    /// `other`, in the bid's order.
    fn pair(
        &mut self,
        claims: &[&'r Claim],
        one: &[ClaimPattern],
        other: &[ClaimPattern],
    ) -> Option<(Said, Said)> {
        let affirmed = |ps: &[ClaimPattern], c: &Claim| {
            c.status == Status::Affirmed && ps.iter().any(|p| p.matches(c))
        };
        let ones: Vec<&Claim> = claims
            .iter()
            .copied()
            .filter(|c| affirmed(one, c) && !self.excepted(c))
            .collect();
        if ones.is_empty() {
            return None;
        }
        let others: Vec<&Claim> = claims
            .iter()
            .copied()
            .filter(|c| affirmed(other, c) && !self.excepted(c))
            .collect();
        for a in &ones {
            for b in &others {
                if !self.spend() {
                    return None;
                }
                if !same_unit(a, b) {
                    return Some(in_order(claims, a, b));
                }
            }
        }
        None
    }

    /// A concept affirmed in one sentence and denied in another, by the same actor, about the
    /// same time.
    fn denied(&mut self, claims: &[&'r Claim], concept: &str) -> Option<(Said, Said)> {
        let of = |s: Status| -> Vec<&'r Claim> {
            claims
                .iter()
                .copied()
                .filter(|c| *c.concept == *concept && c.status == s)
                .filter(|c| !self.excepted(c))
                .collect()
        };
        let (yes, no) = (of(Status::Affirmed), of(Status::Negated));
        if yes.is_empty() || no.is_empty() {
            return None;
        }
        let no_future: Vec<bool> = no.iter().map(|c| self.future(c)).collect();
        for a in &yes {
            let a_future = self.future(a);
            for (n, n_future) in no.iter().zip(&no_future) {
                if !self.spend() {
                    return None;
                }
                // A sentence that names no one speaks for the applicant.
                let speaker = |c: &Claim| c.actor.clone().unwrap_or_else(|| Arc::from(APPLICANT));
                let same_actor = speaker(a) == speaker(n);
                if !same_unit(a, n) && same_actor && a_future == *n_future {
                    return Some(in_order(claims, a, n));
                }
            }
        }
        None
    }

    /// The field has the value that says "no" (or "yes"), and the prose says the opposite.
    fn field(
        &mut self,
        claims: &[&'r Claim],
        doc: &serde_json::Value,
        path: &str,
        value: FieldValue,
        patterns: &[ClaimPattern],
        status: Status,
    ) -> Option<(Said, Said)> {
        let stated = get(doc, path)?;
        if !value.matches(stated) {
            return None;
        }
        let claim = claims.iter().find(|c| {
            c.status == status && patterns.iter().any(|p| p.matches(c)) && !self.excepted(c)
        })?;
        Some((
            Said::Field {
                path: path.to_string(),
                value: stated.clone(),
            },
            Said::Claim((*claim).clone()),
        ))
    }
}

/// Two claims of the same sentence or list item.
fn same_unit(a: &Claim, b: &Claim) -> bool {
    a.field == b.field && a.sentence == b.sentence
}

/// The two claims as sides, the one the bid says first first.
fn in_order(claims: &[&Claim], a: &Claim, b: &Claim) -> (Said, Said) {
    let pos = |x: &Claim| claims.iter().position(|c| std::ptr::eq(*c, x));
    let (first, second) = if pos(b) < pos(a) { (b, a) } else { (a, b) };
    (Said::Claim(first.clone()), Said::Claim(second.clone()))
}

/// The value at a dotted path of plain keys (`volunteering.roles`); `None` when not stated.
fn get<'v>(doc: &'v serde_json::Value, path: &str) -> Option<&'v serde_json::Value> {
    let mut v = doc;
    for key in path.split('.') {
        v = v.as_object()?.get(key)?;
    }
    (!v.is_null()).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reading::tests::default_lexicon;
    use crate::reading::{TextField, TextKind};

    fn found(summary: &str, doc: serde_json::Value) -> Vec<Conflict> {
        let lex = default_lexicon();
        let reading = lex.read(&[TextField {
            path: "summary".into(),
            text: summary,
            kind: TextKind::Prose,
            question: None,
        }]);
        lex.contradictions(&reading, &doc, |_| true)
    }

    fn ids(summary: &str) -> Vec<String> {
        found(summary, serde_json::json!({}))
            .iter()
            .map(|c| c.id.to_string())
            .collect()
    }

    #[test]
    fn each_kind_is_found_with_both_sides_in_the_bid_order() {
        let c = found(
            "Sessions are free for everyone. There is a £2 fee per session.",
            serde_json::json!({}),
        );
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].kind, ContradictionKind::Concepts);
        let Said::Claim(one) = &c[0].one else {
            panic!("a claim")
        };
        assert_eq!(one.sentence, "Sessions are free for everyone.");
        assert_eq!(
            ids("We have no volunteers. Volunteers run every session."),
            ["said_and_denied"]
        );
        assert_eq!(
            ids("It was designed by council officers. It was co-designed with tenants."),
            ["who_designed"]
        );
        let c = found(
            "Twelve volunteers cook the lunch.",
            serde_json::json!({"volunteering": {"roles": 0}}),
        );
        assert_eq!(c.len(), 1);
        assert_eq!(
            c[0].one,
            Said::Field {
                path: "volunteering.roles".into(),
                value: serde_json::json!(0)
            }
        );
    }

    #[test]
    fn plans_hopes_one_sentence_and_fields_left_out_are_no_contradiction() {
        assert!(
            ids("At present we have no volunteers. We will recruit ten volunteers.").is_empty()
        );
        assert!(ids("Sessions are free to attend, but the trip has a £5 charge.").is_empty());
        assert!(ids("We hope sessions will be free. There is a £2 charge per session.").is_empty());
        assert!(ids("The council has no volunteers of its own. Our volunteers run it.").is_empty());
        let c = found("Twelve volunteers cook the lunch.", serde_json::json!({}));
        assert!(c.is_empty());
        let c = found(
            "Twelve volunteers cook the lunch.",
            serde_json::json!({"volunteering": {"roles": 3}}),
        );
        assert!(c.is_empty());
    }

    #[test]
    fn at_most_the_limit_is_kept() {
        // Every denied concept, affirmed and denied, many times over.
        let one = "We have no volunteers. Volunteers run it. It is not co-designed. It is co-designed. \
                   There is no feedback to residents. We report back to residents. ";
        let c = found(&one.repeat(50), serde_json::json!({}));
        assert!(c.len() <= MAX_CONTRADICTIONS);
        assert!(c.len() >= 2);
    }
}
