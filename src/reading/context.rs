//! ConText in one unit (after Harkema et al. 2009, extending Chapman's NegEx): which triggers
//! are live, how far each reaches, the status they give each mention, and who acts.
//!
//! Pseudo-triggers are found first and hide the trigger words inside them ("not only"). A
//! trigger is not live inside a concept's own matched words ("without this grant"), inside a
//! proper name ("Never Too Late Club") or where a longer trigger covers it ("no longer" over
//! "no"). A live trigger reaches forward (or backward) over at most `scope_words` words, and
//! stops at a clause mark (`;` `:` a dash, a bracket), a termination word, or the unit's end;
//! commas do not stop it, so a list stays in scope ("no volunteers, staff or trustees"). A
//! trigger inside a relative clause stops at the main clause's verb ("residents who cannot get
//! to the hall | are visited by volunteers"); an aside between commas right after a trigger is
//! passed over ("we do not, at this stage, intend to use volunteers").
//! Several triggers reaching one mention: hedged > past > negated > affirmed.
//!
//! Everything here is computed once per unit (clause bounds, each trigger's reach, actors by
//! position), so the work for one mention is bounded by `scope_words`, not by the unit's length.

use super::claims::Status;
use super::layers::Lexicon;
use super::lexicon::{Direction, TriggerKind};
use super::names::Run;
use super::pattern::Hit;
use super::tokens::{Sep, Word};
use std::collections::HashSet;

/// A live trigger: its words and what it does.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Trigger {
    pub first: usize,
    pub last: usize,
    pub kind: TriggerKind,
    pub direction: Option<Direction>,
}

/// A word mask: which words of a unit are covered by some spans.
fn mask(len: usize, spans: impl Iterator<Item = (usize, usize)>) -> Vec<bool> {
    let mut m = vec![false; len];
    for (a, b) in spans {
        for slot in m.iter_mut().take(b + 1).skip(a) {
            *slot = true;
        }
    }
    m
}

fn any_in(mask: &[bool], first: usize, last: usize) -> bool {
    mask.iter().take(last + 1).skip(first).any(|&b| b)
}

/// The live triggers of a unit, in order. `blocked` are the spans where no trigger is live:
/// concept matches and proper names.
pub(crate) fn live_triggers(
    lex: &Lexicon,
    len: usize,
    hits: &[Hit],
    blocked: &[(usize, usize)],
) -> Vec<Trigger> {
    let all: Vec<Trigger> = hits
        .iter()
        .filter_map(|h| {
            let list = lex.triggers.get(h.owner as usize)?;
            Some(Trigger {
                first: h.first,
                last: h.last,
                kind: list.kind,
                direction: list.direction,
            })
        })
        .collect();
    let pseudo = all
        .iter()
        .filter(|t| t.kind == TriggerKind::Pseudo)
        .map(|t| (t.first, t.last));
    let hidden = mask(len, pseudo.chain(blocked.iter().copied()));
    let mut rest: Vec<Trigger> = all
        .into_iter()
        .filter(|t| t.kind != TriggerKind::Pseudo && !any_in(&hidden, t.first, t.last))
        .collect();
    // Longest first, then earliest: a longer trigger covers the shorter ones inside it. The same
    // words may be in two lists (forward and backward): both stay.
    rest.sort_by_key(|t| (std::cmp::Reverse(t.last - t.first), t.first));
    let mut taken = vec![false; len];
    let mut spans: HashSet<(usize, usize)> = HashSet::new();
    let mut kept: Vec<Trigger> = Vec::new();
    for t in rest {
        if spans.contains(&(t.first, t.last)) || !any_in(&taken, t.first, t.last) {
            for slot in taken.iter_mut().take(t.last + 1).skip(t.first) {
                *slot = true;
            }
            spans.insert((t.first, t.last));
            kept.push(t);
        }
    }
    kept.sort_by_key(|t| (t.first, t.last));
    kept
}

/// A status trigger and the words it reaches.
#[derive(Debug, Clone, Copy)]
struct Reach {
    trigger: Trigger,
    status: Status,
    /// The first and last word reached (empty when `lo > hi`).
    lo: usize,
    hi: usize,
}

/// An actor phrase found in the unit: which actor and where.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ActorHit {
    pub actor: usize,
    pub first: usize,
    pub last: usize,
}

/// The most words an aside between commas right after a trigger may have.
const ASIDE_WORDS: usize = 10;

/// How many words after a mention its "by <actor>" may start.
const BY_REACH: usize = 6;

/// One unit, ready to give each mention its status and actor.
pub(crate) struct Context<'a> {
    words: &'a [Word],
    /// For each word, whether a comma stands before it.
    commas: Vec<bool>,
    /// For each word, the first and last word of its clause.
    start: Vec<usize>,
    end: Vec<usize>,
    /// The status triggers and their reach, by first word.
    reaches: Vec<Reach>,
    /// The longest trigger, in words less one.
    widest: usize,
    scope: usize,
    /// Actors by first word, and by last word.
    by_first: Vec<ActorHit>,
    by_last: Vec<ActorHit>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(
        lex: &Lexicon,
        words: &'a [Word],
        text: &str,
        triggers: &[Trigger],
        actors: Vec<ActorHit>,
    ) -> Self {
        let (start, end) = clauses(words, triggers);
        let mut before = words.first().map_or(0, |w| w.start);
        let commas = words
            .iter()
            .map(|w| {
                let comma = text.get(before..w.start).is_some_and(|g| g.contains(','));
                before = w.end;
                comma
            })
            .collect();
        let mut c = Context {
            words,
            commas,
            start,
            end,
            reaches: Vec::new(),
            widest: triggers.iter().map(|t| t.last - t.first).max().unwrap_or(0),
            scope: lex.scope_words,
            by_first: actors.clone(),
            by_last: actors,
        };
        c.reaches = triggers.iter().filter_map(|t| c.reach(t)).collect();
        c.by_first.sort_by_key(|a| (a.first, a.last, a.actor));
        c.by_last.sort_by_key(|a| (a.last, a.first, a.actor));
        c
    }

    fn clause_of(&self, first: usize, last: usize) -> (usize, usize) {
        let s = self.start.get(first).copied().unwrap_or(0);
        let e = self.end.get(last).copied().unwrap_or(last);
        (s, e)
    }

    /// The words a status trigger reaches: within its clause and `scope_words`, and for a
    /// denial, not past a comma that no list follows.
    fn reach(&self, t: &Trigger) -> Option<Reach> {
        let status = match t.kind {
            TriggerKind::Negated => Status::Negated,
            TriggerKind::Hedged => Status::Hedged,
            TriggerKind::Past => Status::Past,
            TriggerKind::Pseudo | TriggerKind::Terminate => return None,
        };
        let (cs, ce) = self.clause_of(t.first, t.last);
        let (lo, hi) = match t.direction? {
            Direction::Forward => {
                // An aside passed over does not count against the reach.
                let lo = self.past_aside(t.last, ce);
                let hi = relative_end(self.words, cs, t, ce.min(lo - 1 + self.scope));
                let hi = if status == Status::Negated {
                    list_end(self.words, lo + usize::from(lo > t.last + 1), hi)
                } else {
                    hi
                };
                (lo, hi)
            }
            Direction::Backward => (
                cs.max(t.first.saturating_sub(self.scope)),
                t.first.checked_sub(1)?,
            ),
        };
        Some(Reach {
            trigger: *t,
            status,
            lo,
            hi,
        })
    }

    /// The first word a forward trigger ending at `last` reaches: the next word, or the first
    /// after an aside between commas that follows the trigger at once ("we do not, at this
    /// stage of the project, intend to use volunteers"), within the clause ending at `end`.
    fn past_aside(&self, last: usize, end: usize) -> usize {
        let next = last + 1;
        let comma = |j: usize| self.commas.get(j).copied().unwrap_or(false);
        if !comma(next) {
            return next;
        }
        (next + 1..=end.min(next + ASIDE_WORDS))
            .find(|&j| comma(j))
            .unwrap_or(next)
    }

    /// The status of a mention, and the trigger that set it. A trigger in the mention's own
    /// `...` gap reaches it ("volunteers will not be trained").
    pub(crate) fn status(&self, mention: &Hit) -> (Status, Option<Trigger>) {
        let (first, last) = (mention.first, mention.last);
        // Only triggers starting this close can reach the mention.
        let from = first.saturating_sub(self.scope + self.widest + 1);
        let i = self.reaches.partition_point(|r| r.trigger.first < from);
        let mut best: (Status, Option<Trigger>, usize) = (Status::Affirmed, None, usize::MAX);
        for r in self.reaches.iter().skip(i) {
            let t = r.trigger;
            if t.first > last + self.scope + 1 {
                break;
            }
            let distance = if mention.skipped(t.first, t.last) {
                Some(0)
            } else {
                match t.direction {
                    Some(Direction::Forward) if (r.lo..=r.hi).contains(&first) => {
                        Some(first - t.last - 1)
                    }
                    Some(Direction::Backward) if (r.lo..=r.hi).contains(&last) => {
                        Some(t.first - last - 1)
                    }
                    _ => None,
                }
            };
            let Some(d) = distance else { continue };
            let rank = (r.status.rank(), std::cmp::Reverse(d));
            if best.1.is_none() || rank > (best.0.rank(), std::cmp::Reverse(best.2)) {
                best = (r.status, Some(t), d);
            }
        }
        (best.0, best.1)
    }

    /// Who acts in the mention at `first..=last`: "<mention> by <actor>" in its clause, else
    /// the nearest actor before it in its clause, else nobody. Actor words inside the mention
    /// do not count, nor does an actor denied apart from it ("residents, not officers, will
    /// decide").
    pub(crate) fn actor(&self, first: usize, last: usize) -> Option<usize> {
        let (start, end) = self.clause_of(first, last);
        // "decided by Cabinet", "designed each year by residents": a passive's agent follows
        // closely; "by local residents", "by the council's cabinet".
        if let Some(a) = self.agent(
            (first, last),
            last + 1..=end.min(last + BY_REACH),
            end,
            false,
        ) {
            return Some(a);
        }
        let i = self.by_last.partition_point(|a| a.last < first);
        let before = self
            .by_last
            .iter()
            .take(i)
            .rev()
            .take_while(|a| a.last >= start)
            .filter(|a| a.first >= start)
            .find(|a| !self.denied_apart(a, first, last));
        if let Some(a) = before {
            return Some(self.head(*a, start).actor);
        }
        // A noun with nobody before it may have its agent further on, in a passive: "the
        // decision on which trips the club goes on is made by young people". Not past a comma:
        // "a decision on the café, which was set up by residents, is due".
        let far = end.min(last + self.scope);
        let to = (last + 1..=far)
            .find(|&j| self.commas.get(j).copied().unwrap_or(false))
            .map_or(far, |j| j - 1);
        self.agent((first, last), last + BY_REACH + 1..=to, end, true)
    }

    /// The actor heading the phrase that `a` ends, in the clause starting at `start`: an actor
    /// after a preposition that follows another actor at once qualifies that one, so "young
    /// people at the club choose" are the young people, and so are "young people on the youth
    /// council". "Of" is not among them: "members of staff" are staff. A preposition after a comma
    /// or before a relative pronoun does not attach.
    fn head(&self, mut a: ActorHit, start: usize) -> ActorHit {
        loop {
            let lo = start.max(a.first.saturating_sub(3));
            let Some(prep) = (lo..a.first)
                .rev()
                .find(|&p| is_one_of(self.words, p, &PREPOSITIONS))
            else {
                return a;
            };
            // "The board, on which residents hold most seats, decides": a relative clause.
            let relative = (prep..a.first).any(|w| is_one_of(self.words, w, &RELATIVE));
            let comma = self.commas.get(prep).copied().unwrap_or(true);
            let (Some(q), false, false) = (prep.checked_sub(1), relative, comma) else {
                return a;
            };
            let i = self.by_last.partition_point(|b| b.last < q);
            let owner = self
                .by_last
                .iter()
                .skip(i)
                .take_while(|b| b.last == q)
                .filter(|b| b.first >= start)
                .min_by_key(|b| b.first);
            match owner {
                Some(b) => a = *b,
                None => return a,
            }
        }
    }

    /// The actor after an agent's mark in `marks` (the actor within three words), in the
    /// clause ending at `end`, not denied apart from the mention at `first..=last`. The mark is
    /// "by", or "rests with", "lies with", "is up to"; with `passive`, "by" after a form of
    /// "be" ("is made by", "will be taken by", "are usually chosen by").
    fn agent(
        &self,
        (first, last): (usize, usize),
        marks: std::ops::RangeInclusive<usize>,
        end: usize,
        passive: bool,
    ) -> Option<usize> {
        let norm = |i: usize| self.words.get(i).map_or("", |w| &*w.norm);
        let be = |i: Option<usize>| i.is_some_and(|i| BE.contains(&norm(i)));
        for j in marks {
            let mark = match norm(j) {
                "by" => !passive || be(j.checked_sub(2)) || be(j.checked_sub(3)),
                "with" => matches!(norm(j.saturating_sub(1)), "rests" | "rest" | "lies" | "lie"),
                "to" => norm(j.saturating_sub(1)) == "up" && be(j.checked_sub(2)),
                _ => false,
            };
            if !mark {
                continue;
            }
            let i = self.by_first.partition_point(|a| a.first <= j);
            let agent = self
                .by_first
                .iter()
                .skip(i)
                .take_while(|a| a.first <= j + 3)
                .find(|a| a.last <= end && !self.denied_apart(a, first, last));
            if let Some(a) = agent {
                return Some(a.actor);
            }
        }
        None
    }

    /// Whether a denial reaches the actor `a` but not the mention at `first..=last`: in
    /// "residents, not officers, will decide" the officers are denied, the deciding is not, and
    /// the officers do not decide.
    fn denied_apart(&self, a: &ActorHit, first: usize, last: usize) -> bool {
        let from = a.first.saturating_sub(self.scope + self.widest + 1);
        let i = self.reaches.partition_point(|r| r.trigger.first < from);
        self.reaches
            .iter()
            .skip(i)
            .take_while(|r| r.trigger.first <= a.last + self.scope + 1)
            .filter(|r| r.status == Status::Negated)
            .any(|r| {
                let reached = |w: usize| (r.lo..=r.hi).contains(&w);
                match r.trigger.direction {
                    Some(Direction::Backward) => reached(a.last) && !reached(last),
                    _ => reached(a.first) && !reached(first),
                }
            })
    }
}

/// For each word, the first and last word of its clause: clauses end at clause marks and at
/// termination words (which belong to neither side).
fn clauses(words: &[Word], triggers: &[Trigger]) -> (Vec<usize>, Vec<usize>) {
    let n = words.len();
    let term = mask(
        n,
        triggers
            .iter()
            .filter(|t| t.kind == TriggerKind::Terminate)
            .map(|t| (t.first, t.last)),
    );
    let is_term = |w: usize| term.get(w).copied().unwrap_or(false);
    let mut start = vec![0; n];
    let mut cur = 0;
    for (w, slot) in start.iter_mut().enumerate() {
        let after_term = w > 0 && is_term(w - 1) && !is_term(w);
        if words.get(w).is_some_and(|x| x.sep == Sep::Clause) || after_term {
            cur = w;
        }
        *slot = cur;
    }
    let mut end = vec![0; n];
    let mut cur = n.saturating_sub(1);
    for w in (0..n).rev() {
        if is_term(w) {
            cur = w.saturating_sub(1);
        }
        if let Some(slot) = end.get_mut(w) {
            *slot = if is_term(w) { w } else { cur };
        }
        if words.get(w).is_some_and(|x| x.sep == Sep::Clause) {
            cur = w.saturating_sub(1);
        }
    }
    (start, end)
}

/// Prepositions that attach a phrase to the noun before it ("young people at the club").
const PREPOSITIONS: [&str; 9] = [
    "at", "on", "in", "from", "for", "near", "around", "across", "within",
];

/// The forms of "be" before a passive's participle or "up to".
const BE: [&str; 7] = ["is", "are", "was", "were", "be", "been", "being"];

/// Relative pronouns: a trigger just after one is inside a relative clause.
const RELATIVE: [&str; 5] = ["who", "whom", "whose", "which", "that"];

/// Finite auxiliaries and forms of "be": after a relative clause, the main clause's verb.
const FINITE: [&str; 19] = [
    "is", "are", "was", "were", "will", "would", "shall", "should", "can", "could", "must", "may",
    "might", "has", "have", "had", "do", "does", "did",
];

fn is_one_of(words: &[Word], i: usize, list: &[&str]) -> bool {
    words.get(i).is_some_and(|w| list.contains(&&*w.norm))
}

/// Where a forward trigger inside a relative clause stops: before the main clause's verb, so
/// "older residents who cannot get to the hall | are visited by volunteers" denies only the
/// getting there. The trigger is in a relative clause when a relative pronoun comes at most
/// three words before it in its clause; the main verb is the first finite verb at least two
/// words on that does not follow a pronoun, another verb, "to" or a denial ("who do not have
/// time" is one clause). `end` is the reach otherwise.
fn relative_end(words: &[Word], clause_start: usize, t: &Trigger, end: usize) -> usize {
    let from = clause_start.max(t.first.saturating_sub(3));
    if !(from..t.first).any(|i| is_one_of(words, i, &RELATIVE)) {
        return end;
    }
    for j in t.last + 2..=end {
        let before = j - 1;
        let bound = is_one_of(words, before, &RELATIVE)
            || is_one_of(words, before, &FINITE)
            || is_one_of(words, before, &["to", "not", "never", "cannot"])
            || words.get(before).is_some_and(|w| w.norm.ends_with("n't"));
        if is_one_of(words, j, &FINITE) && !bound {
            return before;
        }
    }
    end
}

/// Where a denial's reach ends at a comma: "no paid staff, volunteers run it" denies only the
/// staff; a list goes on ("no volunteers, staff or trustees").
fn list_end(words: &[Word], from: usize, end: usize) -> usize {
    for j in from..=end {
        let comma = words.get(j).is_some_and(|w| w.sep == Sep::List);
        let list = (j..j + 4).any(|k| {
            words
                .get(k)
                .is_some_and(|w| matches!(&*w.norm, "and" | "or" | "nor"))
        });
        if comma && !list {
            return j.saturating_sub(1);
        }
    }
    end
}

/// The run (proper name) a span lies in without reaching its head, if any. `runs` are sorted
/// and do not overlap.
pub(crate) fn cut_by(runs: &[Run], first: usize, last: usize) -> Option<Run> {
    let i = runs.partition_point(|r| r.last < last);
    runs.get(i).copied().filter(|r| r.cuts(first, last))
}

#[cfg(test)]
mod tests {
    use super::super::tokens::words;
    use super::*;

    #[test]
    fn clauses_end_at_marks_and_termination_words() {
        let ws = words("we have no staff; residents run it but volunteers help", 0);
        let term = Trigger {
            first: 7,
            last: 7,
            kind: TriggerKind::Terminate,
            direction: None,
        };
        let (start, end) = clauses(&ws, &[term]);
        assert_eq!((start[2], end[2]), (0, 3));
        assert_eq!((start[5], end[5]), (4, 6));
        assert_eq!((start[9], end[9]), (8, 9));
    }

    #[test]
    fn a_run_cuts_a_span_that_stops_short_of_its_head() {
        let runs = [Run { first: 2, last: 4 }, Run { first: 7, last: 8 }];
        assert_eq!(cut_by(&runs, 3, 3), Some(runs[0]));
        assert_eq!(cut_by(&runs, 4, 4), None);
        assert_eq!(cut_by(&runs, 7, 7), Some(runs[1]));
        assert_eq!(cut_by(&runs, 5, 6), None);
    }
}
