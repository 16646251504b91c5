//! ConText in one unit (after Harkema et al. 2009, extending Chapman's NegEx): which triggers
//! are live, how far each reaches, the status they give each mention, and who acts.
//!
//! Pseudo-triggers are found first and hide the trigger words inside them ("not only"). A
//! trigger is not live inside a concept's own matched words ("without this grant"), inside a
//! proper name ("Never Too Late Club") or where a longer trigger covers it ("no longer" over
//! "no"). A live trigger reaches forward (or backward) over at most `scope_words` words, and
//! stops at a clause mark (`;` `:` a dash, a bracket), a termination word, or the unit's end;
//! commas do not stop it, so a list stays in scope ("no volunteers, staff or trustees").
//! Several triggers reaching one mention: hedged > past > negated > affirmed.

use super::claims::Status;
use super::layers::Lexicon;
use super::lexicon::{Direction, TriggerKind};
use super::names::Run;
use super::pattern::Hit;
use super::tokens::{Sep, Word};

/// A live trigger: its words and what it does.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Trigger {
    pub first: usize,
    pub last: usize,
    pub kind: TriggerKind,
    pub direction: Option<Direction>,
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

/// The live triggers of a unit, in order. `blocked` are the spans where no trigger is live:
/// concept matches and proper names.
pub(crate) fn live_triggers(
    lex: &Lexicon,
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
    let pseudo: Vec<(usize, usize)> = all
        .iter()
        .filter(|t| t.kind == TriggerKind::Pseudo)
        .map(|t| (t.first, t.last))
        .collect();
    let mut rest: Vec<Trigger> = all
        .into_iter()
        .filter(|t| t.kind != TriggerKind::Pseudo)
        .filter(|t| {
            !pseudo
                .iter()
                .chain(blocked)
                .any(|&s| overlaps(s, (t.first, t.last)))
        })
        .collect();
    // Longest first, then earliest: a longer trigger covers the shorter ones inside it.
    rest.sort_by_key(|t| (std::cmp::Reverse(t.last - t.first), t.first));
    let mut kept: Vec<Trigger> = Vec::new();
    for t in rest {
        let clash = kept
            .iter()
            .any(|k| overlaps((k.first, k.last), (t.first, t.last)) && !same_words(k, &t));
        if !clash {
            kept.push(t);
        }
    }
    kept.sort_by_key(|t| (t.first, t.last));
    kept
}

/// The same words may be in two lists (e.g. forward and backward): both stay.
fn same_words(a: &Trigger, b: &Trigger) -> bool {
    a.first == b.first && a.last == b.last
}

/// The clause holding words `first..=last`: from just after the nearest clause mark or
/// termination word before, to just before the nearest after.
pub(crate) fn clause(
    words: &[Word],
    triggers: &[Trigger],
    first: usize,
    last: usize,
) -> (usize, usize) {
    let mut start = 0;
    let mut end = words.len().saturating_sub(1);
    for (j, w) in words.iter().enumerate() {
        if w.sep == Sep::Clause {
            if j <= first {
                start = start.max(j);
            } else if j > last {
                end = end.min(j - 1);
            }
        }
    }
    for t in triggers.iter().filter(|t| t.kind == TriggerKind::Terminate) {
        if t.last < first {
            start = start.max(t.last + 1);
        } else if t.first > last {
            end = end.min(t.first.saturating_sub(1));
        }
    }
    (start, end)
}

/// The status of a mention, and the trigger that set it. A trigger in the mention's own `...`
/// gap reaches it ("volunteers will not be trained").
pub(crate) fn status(
    lex: &Lexicon,
    words: &[Word],
    triggers: &[Trigger],
    mention: &Hit,
) -> (Status, Option<Trigger>) {
    let (first, last) = (mention.first, mention.last);
    let mut best: (Status, Option<Trigger>, usize) = (Status::Affirmed, None, usize::MAX);
    for t in triggers {
        let status = match t.kind {
            TriggerKind::Negated => Status::Negated,
            TriggerKind::Hedged => Status::Hedged,
            TriggerKind::Past => Status::Past,
            TriggerKind::Pseudo | TriggerKind::Terminate => continue,
        };
        let inside = mention.skipped(t.first, t.last).then_some(0);
        let Some(distance) = inside.or_else(|| reach(lex, words, triggers, t, first, last)) else {
            continue;
        };
        let better =
            status.rank() > best.0.rank() || status.rank() == best.0.rank() && distance < best.2;
        if better {
            best = (status, Some(*t), distance);
        }
    }
    (best.0, best.1)
}

/// How many words lie between a trigger and a mention it reaches, or `None` when it does not.
fn reach(
    lex: &Lexicon,
    words: &[Word],
    triggers: &[Trigger],
    t: &Trigger,
    first: usize,
    last: usize,
) -> Option<usize> {
    match t.direction? {
        Direction::Forward if first > t.last => {
            let (_, mut end) = clause(words, triggers, t.first, t.last);
            if t.kind == TriggerKind::Negated {
                end = list_end(words, t.last + 1, end);
            }
            let cap = t.last + lex.scope_words;
            (first <= end.min(cap)).then(|| first - t.last - 1)
        }
        Direction::Backward if last < t.first => {
            let (start, _) = clause(words, triggers, t.first, t.last);
            let cap = t.first.saturating_sub(lex.scope_words);
            (last >= start.max(cap)).then(|| t.first - last - 1)
        }
        _ => None,
    }
}

/// Where a denial's reach ends at a comma: "no paid staff, volunteers run it" denies only the
/// staff; a list goes on ("no volunteers, staff or trustees").
fn list_end(words: &[Word], from: usize, end: usize) -> usize {
    for j in from..=end {
        let comma = words.get(j).is_some_and(|w| w.sep == Sep::List);
        let list = (j..j + 4).any(|k| {
            words
                .get(k)
                .is_some_and(|w| matches!(w.norm.as_str(), "and" | "or" | "nor"))
        });
        if comma && !list {
            return j.saturating_sub(1);
        }
    }
    end
}

/// How many words after a mention its "by <actor>" may start.
const BY_REACH: usize = 6;

/// An actor phrase found in the unit: which actor and where.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ActorHit {
    pub actor: usize,
    pub first: usize,
    pub last: usize,
}

/// Who acts in the mention at `first..=last`: "<mention> by <actor>" in its clause, else the
/// nearest actor before it in its clause, else nobody. Actor words inside the mention do not
/// count.
pub(crate) fn actor(
    words: &[Word],
    triggers: &[Trigger],
    actors: &[ActorHit],
    first: usize,
    last: usize,
) -> Option<usize> {
    let (start, end) = clause(words, triggers, first, last);
    let outside: Vec<&ActorHit> = actors
        .iter()
        .filter(|a| !overlaps((a.first, a.last), (first, last)))
        .filter(|a| a.first >= start && a.last <= end)
        .collect();
    // "decided by Cabinet", "designed each year by residents": a passive's agent follows closely.
    let near = end.min(last + BY_REACH);
    let by = (last + 1..=near).filter(|&j| words.get(j).is_some_and(|w| w.norm == "by"));
    for j in by {
        // "by residents", "by local residents", "by the council's cabinet".
        if let Some(a) = outside.iter().find(|a| a.first > j && a.first <= j + 3) {
            return Some(a.actor);
        }
    }
    outside
        .iter()
        .filter(|a| a.last < first)
        .max_by_key(|a| (a.last, a.first))
        .map(|a| a.actor)
}

/// Whether a span lies in a proper name without reaching its head.
pub(crate) fn cut_by(runs: &[Run], first: usize, last: usize) -> Option<Run> {
    runs.iter().copied().find(|r| r.cuts(first, last))
}
