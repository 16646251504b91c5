//! The functions offered to rules. `docs/rules.md` documents each one, and a test checks that
//! every function registered here is documented there.

use super::backing;
use super::meter::{self, cost, work};
use super::recorder::{self, RawAdvice, RawImpact, RawStatus, Read};
use super::value::{NotStated, Record, all_text};
use crate::appraisal::Status;
use crate::proposal::{FieldKind, Fields};
use rhai::{Array, Dynamic, Engine, EvalAltResult, FnPtr, ImmutableString, Map, NativeCallContext};
use std::sync::Arc;

type Res<T> = Result<T, Box<EvalAltResult>>;

fn err<T>(msg: impl Into<String>) -> Res<T> {
    Err(msg.into().into())
}

pub(super) fn line(ctx: &NativeCallContext) -> usize {
    ctx.call_position().line().unwrap_or(0)
}

/// Notes the call at which the meter stopped the rule: Rhai drops the position of the errors
/// that stop a run, so the meter keeps it.
fn at<'a>(
    ctx: &'a NativeCallContext<'_>,
) -> impl Fn(Box<EvalAltResult>) -> Box<EvalAltResult> + 'a {
    |e| {
        let pos = ctx.call_position();
        if let (Some(line), Some(column)) = (pos.line(), pos.position()) {
            meter::stopped_at(line, column);
        }
        e
    }
}

pub(super) fn register(engine: &mut Engine, fields: Arc<Fields>) {
    engine.register_type_with_name::<Record>("Record");
    engine.register_type_with_name::<NotStated>("NotStated");

    // Reading `bid.group.field`: property access falls back to this indexer.
    let f = fields.clone();
    engine.register_indexer_get(
        move |ctx: NativeCallContext, rec: &mut Record, key: ImmutableString| -> Res<Dynamic> {
            read_field(&ctx, &f, rec, &key)
        },
    );
    getters(engine, &fields);
    engine.register_fn("to_string", |_: &mut NotStated| "not stated".to_string());
    engine.register_fn("to_debug", |n: &mut NotStated| {
        format!("not stated ({})", n.path)
    });
    engine.register_fn("to_string", |r: &mut Record| format!("[{}]", r.path));
    engine.register_fn("to_debug", |r: &mut Record| format!("[{}]", r.path));

    // Not stated is never "no": every comparison or arithmetic with it is an error.
    macro_rules! refuse {
        ($($op:literal),*) => {$(
            engine.register_fn($op, |a: &mut NotStated, _b: Dynamic| -> Res<Dynamic> {
                not_stated_used(&a.path, $op)
            });
            engine.register_fn($op, |_a: Dynamic, b: NotStated| -> Res<Dynamic> {
                not_stated_used(&b.path, $op)
            });
        )*};
    }
    refuse!(
        "==", "!=", ">", ">=", "<", "<=", "+", "-", "*", "/", "%", "contains", "in"
    );
    engine.register_fn("!", |a: &mut NotStated| -> Res<Dynamic> {
        not_stated_used(&a.path, "!")
    });
    engine.register_fn("len", |a: &mut NotStated| -> Res<Dynamic> {
        not_stated_used(&a.path, "len")
    });

    engine.register_fn("stated", |x: Dynamic| -> bool { stated(&x) });
    // The same answers for the types rules pass most, so that Rhai finds them at once rather
    // than searching its wildcards for the version taking any value (see `claims.rs`).
    engine.register_fn("stated", |_: NotStated| false);
    // Asking whether a group is stated reads it: a trace (and `explain`) shows it, and a field
    // that only makes its group stated is not an unread field.
    engine.register_fn("stated", |ctx: NativeCallContext, r: &mut Record| {
        if !r.path.is_empty() {
            recorder::read(Read {
                parent: "".into(),
                key: r.path.clone(),
                line: line(&ctx),
            });
        }
        r.is_stated()
    });
    engine.register_fn("stated", |_: ImmutableString| true);
    engine.register_fn("stated", |_: i64| true);
    engine.register_fn("stated", |_: f64| true);
    engine.register_fn("stated", |_: bool| true);
    engine.register_fn("stated", |_: Array| true);

    // Deprecated word searches: they see only what the bid affirms (`rules check` warns).
    let f = fields.clone();
    engine.register_fn(
        "find",
        move |ctx: NativeCallContext, text: Dynamic, words: Array| -> Res<Array> {
            find(&f, &text, &words).map_err(at(&ctx))
        },
    );
    let f = fields.clone();
    engine.register_fn(
        "mentions",
        move |ctx: NativeCallContext, rec: &mut Record, words: Array| -> Res<Array> {
            mentions(&ctx, &f, rec, &words).map_err(at(&ctx))
        },
    );

    engine.register_fn(
        "quote",
        |ctx: NativeCallContext, x: Dynamic| -> Res<String> { quote(&x).map_err(at(&ctx)) },
    );
    engine.register_fn(
        "quote",
        |ctx: NativeCallContext, x: super::claims::ClaimRef| -> Res<String> {
            quote(&Dynamic::from(x)).map_err(at(&ctx))
        },
    );
    engine.register_fn(
        "quote",
        |ctx: NativeCallContext, x: ImmutableString| -> Res<String> {
            quote(&Dynamic::from(x)).map_err(at(&ctx))
        },
    );
    engine.register_fn("quote", |ctx: NativeCallContext, x: Array| -> Res<String> {
        quote(&Dynamic::from_array(x)).map_err(at(&ctx))
    });
    engine.register_fn("count", |a: Array| -> i64 { a.len() as i64 });
    engine.register_fn("count", |x: Dynamic| -> Res<i64> {
        if let Some(n) = x.read_lock::<NotStated>() {
            return not_stated_used(&n.path, "count").map(|_| 0);
        }
        match x.read_lock::<Array>() {
            Some(a) => Ok(a.len() as i64),
            None => err(format!("`count` needs a list, found {}", x.type_name())),
        }
    });

    for (name, status) in [
        ("met", Status::Met),
        ("not_met", Status::NotMet),
        ("not_stated", Status::NotStated),
        ("not_applicable", Status::NotApplicable),
    ] {
        engine.register_fn(name, move |ctx: NativeCallContext, text: &str| -> Res<()> {
            record_status(&ctx, status, text, None)
        });
    }
    // `met(reason, backing)` and `not_met(reason, backing)`: the engine grades what backs them.
    for (name, status) in [("met", Status::Met), ("not_met", Status::NotMet)] {
        let f = fields.clone();
        engine.register_fn(
            name,
            move |ctx: NativeCallContext, text: &str, backing: Dynamic| -> Res<()> {
                let b = backing::named(&f, &backing)?;
                record_status(&ctx, status, text, Some(b.grade))
            },
        );
        let f = fields.clone();
        engine.register_fn(
            name,
            move |ctx: NativeCallContext, text: &str, c: super::claims::ClaimRef| -> Res<()> {
                let b = backing::named(&f, &Dynamic::from(c))?;
                record_status(&ctx, status, text, Some(b.grade))
            },
        );
        let f = fields.clone();
        engine.register_fn(
            name,
            move |ctx: NativeCallContext, text: &str, path: ImmutableString| -> Res<()> {
                let b = backing::named(&f, &Dynamic::from(path))?;
                record_status(&ctx, status, text, Some(b.grade))
            },
        );
    }

    engine.register_fn(
        "impact",
        |ctx: NativeCallContext, ind: &str, amount: Dynamic, reason: &str| -> Res<()> {
            record_impact(&ctx, ind, &amount, reason, backing::Backing::unnamed())
        },
    );
    let f = fields.clone();
    engine.register_fn(
        "impact",
        move |ctx: NativeCallContext,
              ind: &str,
              amount: Dynamic,
              reason: &str,
              b: Dynamic|
              -> Res<()> {
            let b = backing::of(&f, &b)?;
            record_impact(&ctx, ind, &amount, reason, b)
        },
    );
    let f = fields.clone();
    engine.register_fn(
        "impact",
        move |ctx: NativeCallContext,
              ind: &str,
              amount: i64,
              reason: &str,
              c: super::claims::ClaimRef|
              -> Res<()> {
            let b = backing::of(&f, &Dynamic::from(c))?;
            record_impact(&ctx, ind, &Dynamic::from_int(amount), reason, b)
        },
    );
    let f = fields.clone();
    engine.register_fn(
        "impact",
        move |ctx: NativeCallContext,
              ind: &str,
              amount: i64,
              reason: &str,
              path: ImmutableString|
              -> Res<()> {
            let b = backing::of(&f, &Dynamic::from(path))?;
            record_impact(&ctx, ind, &Dynamic::from_int(amount), reason, b)
        },
    );

    let f = fields.clone();
    engine.register_fn(
        "advise",
        move |ctx: NativeCallContext, text: &str, gain: Dynamic| -> Res<()> {
            record_advice(&ctx, &f, text, &gain, None)
        },
    );
    let f = fields.clone();
    engine.register_fn(
        "advise",
        move |ctx: NativeCallContext, text: &str, gain: Dynamic, change: Map| -> Res<()> {
            record_advice(&ctx, &f, text, &gain, Some(change))
        },
    );
    let f = fields.clone();
    engine.register_fn(
        "advise",
        move |ctx: NativeCallContext, text: &str, gain: i64| -> Res<()> {
            record_advice(&ctx, &f, text, &Dynamic::from_int(gain), None)
        },
    );
    let f = fields.clone();
    engine.register_fn(
        "advise",
        move |ctx: NativeCallContext, text: &str, gain: i64, change: Map| -> Res<()> {
            record_advice(&ctx, &f, text, &Dynamic::from_int(gain), Some(change))
        },
    );

    // An example value in a suggested change, marked for the applicant to replace:
    // `example("a public partner")` is "[example: a public partner]".
    engine.register_fn("example", |text: &str| -> Res<String> {
        bounded("an example", text)?;
        if text.trim().is_empty() {
            return err("`example` needs the example's words, e.g. example(\"a local business\")");
        }
        Ok(crate::proposal::placeholder::mark(text))
    });

    // A change that adds entries to a list of tables: `add_to(bid, "partners", #{ ... })`.
    let f = fields.clone();
    engine.register_fn(
        "add_to",
        move |bid: &mut Record, list: &str, item: Map| -> Res<Map> {
            add_to(&f, bid, list, vec![Dynamic::from_map(item)])
        },
    );
    let f = fields;
    engine.register_fn(
        "add_to",
        move |bid: &mut Record, list: &str, items: Array| -> Res<Map> {
            add_to(&f, bid, list, items)
        },
    );

    // Rhai's own `sort(comparer)` and `dedup(comparer)` swallow the comparer's errors, so a
    // not-stated field, a runaway loop or a passed deadline inside one would go unreported.
    // These versions (registered functions take precedence) stop the rule instead.
    // Each comparison runs the comparer (whose operations Rhai counts); the moves are charged.
    for name in ["sort", "sort_by"] {
        engine.register_fn(
            name,
            |ctx: NativeCallContext, array: &mut Array, comparer: FnPtr| -> Res<()> {
                let n = array.len();
                let log = usize::BITS as usize - n.leading_zeros() as usize;
                work(cost::items(n * log)).map_err(at(&ctx))?;
                let items = std::mem::take(array);
                *array = merge_sort(items, &mut |a, b| compare(&ctx, &comparer, a, b))?;
                Ok(())
            },
        );
    }
    engine.register_fn(
        "dedup",
        |ctx: NativeCallContext, array: &mut Array, comparer: FnPtr| -> Res<()> {
            work(cost::items(array.len())).map_err(at(&ctx))?;
            let mut out: Array = Vec::with_capacity(array.len());
            for item in std::mem::take(array) {
                let same = match out.last() {
                    Some(prev) => comparer
                        .call_raw(&ctx, None, [prev.clone(), item.clone()])?
                        .as_bool()
                        .unwrap_or(false),
                    None => false,
                };
                if !same {
                    out.push(item);
                }
            }
            *array = out;
            Ok(())
        },
    );

    // Trap 1 in RHAI-NOTES: the built-in `sleep` blocks the thread beyond any limit.
    engine.register_fn("sleep", |_: i64| -> Res<()> { err("rules cannot `sleep`") });
    engine.register_fn("sleep", |_: f64| -> Res<()> { err("rules cannot `sleep`") });
}

/// `find(text, words)` (deprecated): the phrases of `words` that a text, a list of texts or a
/// record's free text affirms.
fn find(fields: &Fields, text: &Dynamic, words: &Array) -> Res<Array> {
    let words = strings(words, "find")?;
    let owned: Vec<super::prose::Prose> = if let Some(r) = text.read_lock::<Record>() {
        super::claims::record_texts(fields, &r)
    } else {
        let kind = if text.is::<Array>() {
            crate::reading::TextKind::Item
        } else {
            crate::reading::TextKind::Prose
        };
        texts(text)?
            .into_iter()
            .map(|t| super::prose::Prose {
                path: String::new(),
                text: t,
                kind,
                question: None,
            })
            .collect()
    };
    let read: Vec<_> = owned.iter().map(super::prose::Prose::field).collect();
    Ok(super::claims::affirmed_words(&read, &words)?
        .into_iter()
        .map(Dynamic::from)
        .collect())
}

/// `mentions(record, words)` (deprecated): the phrases of `words` that the record's free text
/// affirms.
fn mentions(ctx: &NativeCallContext, fields: &Fields, rec: &Record, words: &Array) -> Res<Array> {
    let words = strings(words, "mentions")?;
    let path = if rec.path.is_empty() {
        "(all free text)".to_string()
    } else {
        format!("{} (free text)", rec.path)
    };
    recorder::read(Read {
        parent: "".into(),
        key: path.into(),
        line: line(ctx),
    });
    let owned = super::claims::record_texts(fields, rec);
    let read: Vec<_> = owned.iter().map(super::prose::Prose::field).collect();
    Ok(super::claims::affirmed_words(&read, &words)?
        .into_iter()
        .map(Dynamic::from)
        .collect())
}

/// `quote(x)`: the bid's own words in quotation marks, shortened; the texts quoted, each once in
/// the order given (two claims from one sentence quote it once). A claim from an answer to a
/// funder's form is labelled with its question, outside the quotation marks: the question is
/// not the applicant's words.
fn quote(x: &Dynamic) -> Res<String> {
    let mut all = texts(x)?;
    // One text (a claim, a field) is itself: no set, no copy.
    let joined = if all.len() == 1 {
        all.pop().unwrap_or_default()
    } else {
        let once: indexmap::IndexSet<String> = all.into_iter().collect();
        once.into_iter().collect::<Vec<_>>().join(", ")
    };
    if joined.is_empty() {
        return Ok("(not stated)".to_string());
    }
    work(cost::bytes(joined.len()))?;
    let quoted = crate::text::quote(&joined, 100);
    let question = x
        .read_lock::<super::claims::ClaimRef>()
        .and_then(|c| c.claim().and_then(|c| c.question.clone()));
    Ok(match question {
        Some(q) => format!(
            "{}: {quoted}",
            crate::text::quote(&q, 100).trim_matches('"')
        ),
        None => quoted,
    })
}

/// One comparison for `sort`: a number (negative, zero, positive) or `true` for "in order", as
/// Rhai's own `sort` reads it; an error stops the sort.
fn compare(
    ctx: &NativeCallContext,
    comparer: &FnPtr,
    a: &Dynamic,
    b: &Dynamic,
) -> Res<std::cmp::Ordering> {
    use std::cmp::Ordering;
    let v = comparer.call_raw(ctx, None, [a.clone(), b.clone()])?;
    if let Ok(i) = v.as_int() {
        return Ok(i.cmp(&0));
    }
    match v.as_bool() {
        Ok(true) => Ok(Ordering::Less),
        Ok(false) => Ok(Ordering::Greater),
        Err(_) => err(format!(
            "a `sort` comparer must return a number or true/false, found {}",
            v.type_name()
        )),
    }
}

/// A stable merge sort whose comparisons may fail: the first failure ends it.
fn merge_sort(
    mut items: Array,
    cmp: &mut dyn FnMut(&Dynamic, &Dynamic) -> Res<std::cmp::Ordering>,
) -> Res<Array> {
    if items.len() <= 1 {
        return Ok(items);
    }
    let right = items.split_off(items.len() / 2);
    let left = merge_sort(items, cmp)?;
    let right = merge_sort(right, cmp)?;
    let mut out = Vec::with_capacity(left.len() + right.len());
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    while let (Some(a), Some(b)) = (left.peek(), right.peek()) {
        let next = if cmp(b, a)? == std::cmp::Ordering::Less {
            right.next()
        } else {
            left.next()
        };
        out.extend(next);
    }
    out.extend(left);
    out.extend(right);
    Ok(out)
}

fn not_stated_used(path: &str, op: &str) -> Res<Dynamic> {
    err(format!(
        "`{path}` is not stated, so it cannot be used in `{op}`; test it with `stated(...)` first"
    ))
}

/// A getter on records for every field name of the proposal schema. Rhai looks for a getter
/// before it falls back to the indexer, and a getter it does not find costs it an error built,
/// formatted and dropped at every `bid.group.field`; a getter it finds is one call. A name read
/// where the schema has no such field (`bid.volunteering.sector`) is handed back to the indexer
/// (Rhai's own fallback on `ErrorDotExpr`), which reports it exactly as before.
fn getters(engine: &mut Engine, fields: &Arc<Fields>) {
    let mut names: Vec<&str> = fields
        .paths()
        .map(|p| p.rsplit_once('.').map_or(p, |(_, leaf)| leaf))
        .collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        let f = fields.clone();
        let key = ImmutableString::from(name);
        engine.register_get(
            name,
            move |ctx: NativeCallContext, rec: &mut Record| -> Res<Dynamic> {
                // Rhai counted one operation for the getter where it counted two (the getter
                // it did not find, then the indexer): the budget is charged the same.
                meter::tally(1)?;
                read_known(&ctx, &f, rec, &key).unwrap_or_else(|| {
                    Err(EvalAltResult::ErrorDotExpr(String::new(), ctx.call_position()).into())
                })
            },
        );
    }
}

pub(super) fn read_field(
    ctx: &NativeCallContext,
    fields: &Fields,
    rec: &Record,
    key: &ImmutableString,
) -> Res<Dynamic> {
    read_known(ctx, fields, rec, key).unwrap_or_else(|| {
        let schema_path = crate::proposal::strip_indices(&rec.child_path(key));
        let help = fields
            .suggest(&schema_path)
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        err(format!("the proposal has no field `{schema_path}`{help}"))
    })
}

/// A field of the record, stated or not; `None` when the proposal schema has no such field.
fn read_known(
    ctx: &NativeCallContext,
    fields: &Fields,
    rec: &Record,
    key: &ImmutableString,
) -> Option<Res<Dynamic>> {
    let found = rec.fields.as_ref().and_then(|f| f.get(key)).cloned();
    let l = line(ctx);
    if let Some(v) = found {
        if !v.is::<Record>() {
            // The path is only spelt out when a trace asks for it: reads are frequent.
            recorder::read(Read {
                parent: rec.path.clone(),
                key: key.clone(),
                line: l,
            });
        }
        return Some(Ok(v));
    }
    let path = rec.child_path(key);
    match fields.kind_at(&path)? {
        FieldKind::Group => Some(Ok(Dynamic::from(Record {
            path: path.into(),
            fields: None,
        }))),
        _ => {
            recorder::read(Read {
                parent: rec.path.clone(),
                key: key.clone(),
                line: l,
            });
            Some(Ok(Dynamic::from(NotStated { path: path.into() })))
        }
    }
}

pub(super) fn stated(x: &Dynamic) -> bool {
    if x.is::<NotStated>() || x.is_unit() {
        return false;
    }
    if let Some(r) = x.read_lock::<Record>() {
        return r.is_stated();
    }
    true
}

/// The strings in a text value: a string, a list of strings, or nothing for not stated.
/// Copying them is charged.
fn texts(x: &Dynamic) -> Res<Vec<String>> {
    if let Some(c) = x.read_lock::<super::claims::ClaimRef>() {
        let sentence = c.claim().map(|c| c.sentence.clone()).unwrap_or_default();
        work(cost::bytes(sentence.len()))?;
        return Ok(vec![sentence]);
    }
    if let Some(s) = x.read_lock::<ImmutableString>() {
        work(cost::bytes(s.len()))?;
        return Ok(vec![s.to_string()]);
    }
    if let Some(a) = x.read_lock::<Array>() {
        work(cost::items(a.len()))?;
        let mut out = Vec::new();
        for item in a.iter() {
            out.extend(texts(item)?);
        }
        return Ok(out);
    }
    if let Some(r) = x.read_lock::<Record>() {
        let all = all_text(&r);
        work(cost::bytes(all.len()))?;
        return Ok(all
            .split(crate::text::FIELD_BREAK)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect());
    }
    if x.is::<NotStated>() || x.is_unit() {
        return Ok(Vec::new());
    }
    let s = x.to_string();
    work(cost::bytes(s.len()))?;
    Ok(vec![s])
}

fn strings(words: &Array, func: &str) -> Res<Vec<String>> {
    work(cost::items(words.len()))?;
    words
        .iter()
        .map(|w| {
            w.read_lock::<ImmutableString>()
                .map(|s| s.to_string())
                .ok_or_else(|| format!("`{func}` needs a list of words in quotes").into())
        })
        .collect()
}

fn number(x: &Dynamic) -> Option<f64> {
    x.as_float()
        .ok()
        .or_else(|| x.as_int().ok().map(|i| i as f64))
}

/// Refuses text longer than a rule may record.
fn bounded(what: &str, text: &str) -> Res<()> {
    if text.len() > recorder::MAX_TEXT {
        return err(format!(
            "{what} may be at most {} bytes, found {}",
            recorder::MAX_TEXT,
            text.len()
        ));
    }
    Ok(())
}

/// Refuses one more record past [`recorder::MAX_RECORDS`].
fn too_many(kind: &str, count: usize) -> Option<String> {
    (count >= recorder::MAX_RECORDS).then(|| {
        format!(
            "the rule recorded more than {} {kind}; a rule records a few",
            recorder::MAX_RECORDS
        )
    })
}

fn record_status(
    ctx: &NativeCallContext,
    status: Status,
    text: &str,
    grade: Option<crate::appraisal::Grade>,
) -> Res<()> {
    bounded("a reason or question", text)?;
    let l = line(ctx);
    let previous = recorder::with(|r| {
        if let Some(prev) = &r.status {
            return Some(prev.clone());
        }
        r.status = Some(RawStatus {
            status,
            text: text.to_string(),
            grade,
            line: l,
        });
        None
    })
    .flatten();
    match previous {
        Some(prev) => err(format!(
            "the rule recorded a second status (`{}` after `{}` at line {}); a rule records exactly one",
            status.as_str(),
            prev.status.as_str(),
            prev.line
        )),
        None => Ok(()),
    }
}

fn record_impact(
    ctx: &NativeCallContext,
    indicator: &str,
    amount: &Dynamic,
    reason: &str,
    backing: backing::Backing,
) -> Res<()> {
    let Some(amount) = number(amount) else {
        if let Some(n) = amount.read_lock::<NotStated>() {
            return not_stated_used(&n.path, "impact").map(|_| ());
        }
        return err(format!(
            "`impact` needs a number from -3 to 3, found {}",
            amount.type_name()
        ));
    };
    if !(-3.0..=3.0).contains(&amount) || amount.is_nan() {
        return err(format!("an impact must be from -3 to 3, found {amount}"));
    }
    bounded("an impact's reason", reason)?;
    let l = line(ctx);
    let problem = recorder::with(|r| {
        if let Some(p) = too_many("impacts", r.impacts.len()) {
            return Some(p);
        }
        if !r.allowed.iter().any(|a| a == indicator) {
            return Some(format!(
                "`{indicator}` is not among this rule's indicators ({}); add it to `META.indicators`",
                r.allowed.join(", ")
            ));
        }
        r.impacts.push(RawImpact {
            indicator: indicator.to_string(),
            amount,
            reason: reason.to_string(),
            grade: backing.grade,
            concept: backing.concept,
            line: l,
        });
        None
    })
    .flatten();
    match problem {
        Some(p) => err(p),
        None => Ok(()),
    }
}

/// The change that appends `items` to the list of tables `list` (`"partners"`): a map of
/// `partners[N].name`-style paths, N counting on from the entries the bid already has.
fn add_to(fields: &Fields, bid: &Record, list: &str, items: Array) -> Res<Map> {
    if !matches!(fields.kind(list), Some(FieldKind::Records)) {
        return err(format!(
            "`add_to` adds entries to a list of tables such as \"partners\"; `{list}` is not one"
        ));
    }
    let have = entries(bid, list);
    let mut out = Map::new();
    work(cost::items(items.len()))?;
    for (n, item) in items.into_iter().enumerate() {
        let Some(map) = item.try_cast::<Map>() else {
            return err(
                "`add_to` needs a map for each entry, e.g. #{ name: \"…\", sector: \"community\" }",
            );
        };
        work(cost::items(map.len()))?;
        for (k, v) in map {
            out.insert(format!("{list}[{}].{k}", have + n).into(), v);
        }
    }
    Ok(out)
}

/// How many entries the bid has in the list of tables at the dotted path `list`
/// (`"partners"`, `"decision.changes"`): 0 when it is not stated.
fn entries(bid: &Record, list: &str) -> usize {
    let mut rec = bid.clone();
    let mut parts = list.split('.').peekable();
    while let Some(key) = parts.next() {
        let Some(v) = rec.fields.as_ref().and_then(|f| f.get(key)).cloned() else {
            return 0;
        };
        if parts.peek().is_none() {
            return v.read_lock::<Array>().map_or(0, |a| a.len());
        }
        match v.try_cast::<Record>() {
            Some(r) => rec = r,
            None => return 0,
        }
    }
    0
}

fn record_advice(
    ctx: &NativeCallContext,
    fields: &Fields,
    text: &str,
    gain: &Dynamic,
    change: Option<Map>,
) -> Res<()> {
    let Some(gain) = number(gain) else {
        return err(format!(
            "`advise` needs a number for the gain, found {}",
            gain.type_name()
        ));
    };
    if !(0.0..=10.0).contains(&gain) {
        return err(format!("advice gain must be from 0 to 10, found {gain}"));
    }
    let change = match change {
        None => None,
        Some(map) => {
            work(cost::items(map.len()))?;
            let mut out = serde_json::Map::new();
            for (path, value) in map {
                let path = path.to_string();
                if fields
                    .kind(&crate::proposal::strip_indices(&path))
                    .is_none()
                {
                    let help = fields
                        .suggest(&path)
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_default();
                    return err(format!(
                        "the suggested change names no field `{path}`{help}"
                    ));
                }
                out.insert(path, to_json(&value)?);
            }
            Some(out)
        }
    };
    bounded("advice", text)?;
    let l = line(ctx);
    let problem = recorder::with(|r| {
        if let Some(p) = too_many("pieces of advice", r.advice.len()) {
            return Some(p);
        }
        r.advice.push(RawAdvice {
            text: text.to_string(),
            gain,
            change,
            line: l,
        });
        None
    })
    .flatten();
    match problem {
        Some(p) => err(p),
        None => Ok(()),
    }
}

fn to_json(v: &Dynamic) -> Res<serde_json::Value> {
    use serde_json::Value;
    if let Ok(b) = v.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Ok(i) = v.as_int() {
        return Ok(Value::from(i));
    }
    if let Ok(f) = v.as_float() {
        return Ok(serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null));
    }
    if let Some(s) = v.read_lock::<ImmutableString>() {
        return Ok(Value::String(s.to_string()));
    }
    if let Some(a) = v.read_lock::<Array>() {
        work(cost::items(a.len()))?;
        return a
            .iter()
            .map(to_json)
            .collect::<Res<Vec<_>>>()
            .map(Value::Array);
    }
    err(format!(
        "a suggested change must be text, a number, true/false or a list, found {}",
        v.type_name()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every function offered to rules is documented in the rule authors' guide.
    #[test]
    fn every_rule_function_is_documented() {
        let guide = include_str!("../../docs/rules.md");
        let mut engine = Engine::new_raw();
        register(&mut engine, Arc::new(Fields::default()));
        super::super::claims::register(&mut engine, Arc::new(Fields::default()));
        super::super::proposal_kind::register(&mut engine, Arc::new(Fields::default()));
        let mut names: Vec<String> = engine
            .gen_fn_signatures(false)
            .into_iter()
            .filter_map(|sig| sig.split('(').next().map(|n| n.trim().to_string()))
            .filter(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            .filter(|n| {
                !["to_string", "to_debug", "len", "contains", "in", "sleep"].contains(&n.as_str())
            })
            .collect();
        names.sort();
        names.dedup();
        assert!(names.len() >= 10, "{names:?}");
        for name in names {
            assert!(
                guide.contains(&format!("`{name}(")),
                "docs/rules.md does not document `{name}`"
            );
        }
    }
}
