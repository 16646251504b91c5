//! What kind of proposal the bid is, as rules ask it: `is_decision(bid)` (a decision rather than
//! a funding bid) and `only_takes_away(bid)` (a decision that opens nothing and takes something
//! away). Fourteen rules once carried their own copies of these in Rhai; here they are native,
//! with the copies' meaning exactly: each field is read through the same getters a rule's
//! `bid.kind` goes through (so the trace and `explain` show the same reads, at the line of the
//! call), the words are asked of the reading as `affirmed(bid, [...])` asks them, and the work
//! is charged to the rule's meter. A rule that defines its own `fn is_decision(bid)` keeps it:
//! Rhai calls a script function before a native one of the same name and arity.

use super::api;
use super::meter::{self, cost, work};
use super::recorder::{self, Read};
use super::value::Record;
use crate::proposal::Fields;
use rhai::{Array, Dynamic, Engine, EvalAltResult, ImmutableString, NativeCallContext};
use std::sync::Arc;

type Res<T> = Result<T, Box<EvalAltResult>>;

/// The concepts whose affirmed claims make a decision without a table one that takes away.
pub(crate) const TAKING_AWAY: [&str; 5] =
    ["closing", "ending", "cutting", "relocating", "taking_back"];

pub(super) fn register(engine: &mut Engine, fields: Arc<Fields>) {
    let f = fields.clone();
    engine.register_fn(
        "is_decision",
        move |ctx: NativeCallContext, bid: &mut Record| -> Res<bool> {
            whole_bid(bid, "is_decision")?;
            is_decision(&ctx, &f, bid)
        },
    );
    let f = fields;
    engine.register_fn(
        "only_takes_away",
        move |ctx: NativeCallContext, bid: &mut Record| -> Res<bool> {
            whole_bid(bid, "only_takes_away")?;
            only_takes_away(&ctx, &f, bid)
        },
    );
    // Anything but the bid is refused with a message, not Rhai's "function not found".
    for name in ["is_decision", "only_takes_away"] {
        engine.register_fn(name, move |x: Dynamic| -> Res<bool> {
            Err(format!(
                "`{name}` needs the bid (`{name}(bid)`), found {}",
                x.type_name()
            )
            .into())
        });
    }
}

/// Refuses a table of the bid in place of the bid.
pub(super) fn whole_bid(rec: &Record, name: &str) -> Res<()> {
    if rec.path.is_empty() {
        return Ok(());
    }
    Err(format!(
        "`{name}` needs the whole bid (`{name}(bid)`), not `bid.{}`",
        rec.path
    )
    .into())
}

/// `is_decision(bid)`: the bid's `kind` when stated (anything but `funding-bid`), else
/// whether it has a `decision` table.
pub(super) fn is_decision(ctx: &NativeCallContext, fields: &Fields, bid: &Record) -> Res<bool> {
    let kind = get(ctx, fields, bid, "kind")?;
    if stated(ctx, &kind) {
        return Ok(kind
            .read_lock::<ImmutableString>()
            .is_none_or(|k| k.as_str() != "funding-bid"));
    }
    let decision = get(ctx, fields, bid, "decision")?;
    Ok(stated(ctx, &decision))
}

/// `only_takes_away(bid)`: a decision whose table, when it has one, changes something and
/// opens nothing; without a table, one whose words affirm closing, ending, cutting, relocating
/// or taking something back.
fn only_takes_away(ctx: &NativeCallContext, fields: &Fields, bid: &Record) -> Res<bool> {
    if !is_decision(ctx, fields, bid)? {
        return Ok(false);
    }
    let decision = get(ctx, fields, bid, "decision")?;
    let Some(decision) = decision.read_lock::<Record>().map(|r| r.clone()) else {
        return Err(format!("`decision` is a table, found {}", decision.type_name()).into());
    };
    let list = get(ctx, fields, &decision, "changes")?;
    if !stated(ctx, &list) {
        return super::claims::any_affirmed(ctx, bid, &TAKING_AWAY);
    }
    let Some(list) = list.read_lock::<Array>() else {
        return Err("`for` needs a list here: `decision.changes` is not one".into());
    };
    work(cost::items(list.len()))?;
    let (mut opens, mut takes) = (false, false);
    for change in list.iter() {
        let Some(change) = change.read_lock::<Record>() else {
            return Err(format!(
                "each of `decision.changes` is a table, found {}",
                change.type_name()
            )
            .into());
        };
        let action = get(ctx, fields, &change, "action")?;
        if stated(ctx, &action) {
            if action
                .read_lock::<ImmutableString>()
                .is_some_and(|a| a.as_str() == "opens")
            {
                opens = true;
            } else {
                takes = true;
            }
        }
    }
    Ok(takes && !opens)
}

/// `rec.key`, as a rule's `rec.key` reads it: recorded for the trace, refused (with a
/// suggestion) when the proposal schema has no such field, and charged like a getter.
fn get(ctx: &NativeCallContext, fields: &Fields, rec: &Record, key: &str) -> Res<Dynamic> {
    meter::tally(1)?;
    api::read_field(ctx, fields, rec, &ImmutableString::from(key))
}

/// `stated(x)`, as a rule's `stated(...)` answers it: asking it of a table reads the table.
fn stated(ctx: &NativeCallContext, x: &Dynamic) -> bool {
    if let Some(r) = x.read_lock::<Record>() {
        if !r.path.is_empty() {
            recorder::read(Read {
                parent: "".into(),
                key: r.path.clone(),
                line: api::line(ctx),
            });
        }
        return r.is_stated();
    }
    api::stated(x)
}
