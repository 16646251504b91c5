//! Small questions rules ask of lists of claims, answered by the engine: `about_project(list)`,
//! `beside(list, others)`, `in_sentence_of(claims, c)`, `only(list, status)`, `own(bid, list)`,
//! `rank(c)` and `best(list)`. Rules once carried their own copies of these in Rhai (eight of
//! `about_project` and of `own`, six of `beside`), and the copies compared claims' fields and
//! sentences in nested loops, a string copied out of the claim at every step: the most costly
//! part of several rules. Here each keeps its copy's meaning exactly, and charges the rule's meter
//! for the claims it looks at. A rule that defines its own function of the same name and arity
//! keeps it: Rhai calls a script function before a native one.

use super::claims::ClaimRef;
use super::meter::{cost, work};
use super::value::Record;
use crate::appraisal::Grade;
use crate::proposal::Fields;
use crate::reading::{Claim, Status};
use rhai::{Array, Dynamic, Engine, EvalAltResult, NativeCallContext};
use std::sync::Arc;

type Res<T> = Result<T, Box<EvalAltResult>>;

pub(super) fn register(engine: &mut Engine, fields: Arc<Fields>) {
    engine.register_fn("about_project", |list: &mut Array| -> Res<Array> {
        keep(list, "about_project", |c| {
            about_project(c.map_or("", |c| c.field.as_str()))
        })
    });
    engine.register_fn("beside", |list: &mut Array, others: Array| -> Res<Array> {
        beside(list, &others)
    });
    engine.register_fn(
        "in_sentence_of",
        |claims: &mut Array, c: ClaimRef| -> Res<bool> { in_sentence_of(claims, &c) },
    );
    engine.register_fn("only", |list: &mut Array, status: &str| -> Res<Array> {
        let status = known_status(status)?;
        keep(list, "only", |c| c.is_some_and(|c| c.status == status))
    });
    engine.register_fn(
        "own",
        move |ctx: NativeCallContext, bid: &mut Record, list: Array| -> Res<Array> {
            super::proposal_kind::whole_bid(bid, "own")?;
            if super::proposal_kind::is_decision(&ctx, &fields, bid)? {
                return Ok(list);
            }
            keep(&list, "own", |c| {
                c.and_then(|c| c.actor.as_deref()) == Some("applicant")
            })
        },
    );
    engine.register_fn("rank", |c: &mut ClaimRef| rank(c.grade()));
    engine.register_fn("best", |list: &mut Array| -> Res<Dynamic> { best(list) });
    refuse_others(engine);
}

/// Anything but claims is refused with a message, not Rhai's "function not found".
fn refuse_others(engine: &mut Engine) {
    engine.register_fn("rank", |x: Dynamic| -> Res<i64> {
        Err(format!("`rank` needs a claim, found {}", x.type_name()).into())
    });
    engine.register_fn("in_sentence_of", |_: Dynamic, c: Dynamic| -> Res<bool> {
        Err(format!(
            "`in_sentence_of` needs a list of claims and a claim, found {}",
            c.type_name()
        )
        .into())
    });
}

/// A status a rule names, which must be one a claim can have: a misspelt one would silently
/// match nothing.
fn known_status(s: &str) -> Res<Status> {
    Status::parse(s).ok_or_else(|| {
        format!(
            "`only` takes a status: \"affirmed\", \"negated\", \"hedged\" or \"past\", not \"{s}\""
        )
        .into()
    })
}

/// Whether a claim's field is about the project itself: not the evidence of need it cites, nor
/// what consultation found.
fn about_project(field: &str) -> bool {
    !field.starts_with("evidence") && field != "involvement.consultation"
}

/// How firmly a claim is backed: 3 measured, 2 evidenced, 1 stated, 0 prose alone.
fn rank(g: Grade) -> i64 {
    match g {
        Grade::Measured => 3,
        Grade::Evidenced => 2,
        Grade::Stated => 1,
        Grade::Unverified => 0,
    }
}

/// The claims of a list, each with the claim it refers to; anything else is refused, naming
/// the function the rule called.
fn claims<'a>(list: &'a Array, name: &str) -> Res<Vec<(&'a Dynamic, ClaimRef)>> {
    work(cost::items(list.len()))?;
    list.iter()
        .map(|x| match x.read_lock::<ClaimRef>() {
            Some(c) => Ok((x, c.clone())),
            None => Err(format!(
                "`{name}` needs a list of claims, found {} in it",
                x.type_name()
            )
            .into()),
        })
        .collect()
}

/// The claims of `list` for which `test` holds, in order. A claim that refers to nothing in the
/// reading (`None`) reads as empty words, as its properties do.
fn keep(list: &Array, name: &str, test: impl Fn(Option<&Claim>) -> bool) -> Res<Array> {
    Ok(claims(list, name)?
        .into_iter()
        .filter(|(_, c)| test(c.claim()))
        .map(|(x, _)| x.clone())
        .collect())
}

/// A claim's field and sentence, the place it was said: empty when it refers to nothing.
fn place(c: &ClaimRef) -> (&str, &str) {
    c.claim()
        .map_or(("", ""), |c| (c.field.as_str(), c.sentence.as_str()))
}

/// `beside(list, others)`: the claims of `list` made in the same sentence (and field) as one of
/// `others`, in order.
fn beside(list: &Array, others: &Array) -> Res<Array> {
    let others = claims(others, "beside")?;
    let list = claims(list, "beside")?;
    work(cost::pairs(list.len() * others.len()))?;
    Ok(list
        .into_iter()
        .filter(|(_, c)| others.iter().any(|(_, o)| place(o) == place(c)))
        .map(|(x, _)| x.clone())
        .collect())
}

/// `in_sentence_of(claims, c)`: whether one of `claims` was made in `c`'s sentence (and field).
fn in_sentence_of(list: &Array, c: &ClaimRef) -> Res<bool> {
    let here = place(c);
    Ok(claims(list, "in_sentence_of")?
        .iter()
        .any(|(_, n)| place(n) == here))
}

/// `best(list)`: the best-backed claim of a list that is not empty, the first among equals.
fn best(list: &Array) -> Res<Dynamic> {
    let all = claims(list, "best")?;
    let mut best: Option<(&Dynamic, i64)> = None;
    for (x, c) in &all {
        let r = rank(c.grade());
        if best.is_none_or(|(_, b)| r > b) {
            best = Some((x, r));
        }
    }
    best.map(|(x, _)| x.clone())
        .ok_or_else(|| "`best` needs a list that is not empty".into())
}
