//! Claims as rules see them: the reading layer's claims about a concept, asked of the whole bid
//! or of one of its records, as an opaque `Claim` value with read-only properties (a rule cannot
//! forge one), and the deprecated word searches `find` and `mentions`, which now see only what
//! the bid affirms.

use super::bid::{self, BidContext};
use super::meter::{cost, work};
use super::recorder::{self, Asked};
use super::value::Record;
use crate::appraisal::Grade;
use crate::proposal::Fields;
use crate::reading::{Claim, Lexicon, Reading, Side, Status, TextField};
use rhai::{Array, Dynamic, Engine, EvalAltResult, ImmutableString, NativeCallContext};
use std::sync::Arc;

type Res<T> = Result<T, Box<EvalAltResult>>;

/// One claim of the bid being appraised, as a rule holds it.
#[derive(Clone)]
pub(crate) struct ClaimRef {
    reading: Arc<Reading>,
    index: usize,
    grade: Grade,
}

impl ClaimRef {
    pub(crate) fn claim(&self) -> Option<&Claim> {
        self.reading.claims.get(self.index)
    }

    pub(crate) fn grade(&self) -> Grade {
        self.grade
    }
}

/// Which claims a question asks for.
#[derive(Clone, Copy)]
enum Want {
    All,
    One(Status),
}

pub(super) fn register(engine: &mut Engine, fields: Arc<Fields>) {
    engine.register_type_with_name::<ClaimRef>("Claim");
    properties(engine);
    // Each question is registered for a concept in quotes and for a list of them, as well as
    // for any value (which is refused with a message): Rhai finds a function whose argument
    // types match exactly at once, but searches its wildcards for one taking any value.
    for (name, want) in [
        ("claims", Want::All),
        ("affirmed", Want::One(Status::Affirmed)),
        ("negated", Want::One(Status::Negated)),
        ("hedged", Want::One(Status::Hedged)),
        ("past", Want::One(Status::Past)),
    ] {
        let f = fields.clone();
        engine.register_fn(
            name,
            move |ctx: NativeCallContext,
                  rec: &mut Record,
                  concept: ImmutableString|
                  -> Res<Array> { ask(&ctx, &f, rec, vec![concept], want, None) },
        );
        let f = fields.clone();
        engine.register_fn(
            name,
            move |ctx: NativeCallContext, rec: &mut Record, concept: Dynamic| -> Res<Array> {
                ask(&ctx, &f, rec, concepts(&concept)?, want, None)
            },
        );
        if matches!(want, Want::All) {
            continue;
        }
        let f = fields.clone();
        engine.register_fn(
            name,
            move |ctx: NativeCallContext,
                  rec: &mut Record,
                  concept: ImmutableString,
                  who: &str|
                  -> Res<Array> { ask(&ctx, &f, rec, vec![concept], want, Some(who)) },
        );
        let f = fields.clone();
        engine.register_fn(
            name,
            move |ctx: NativeCallContext,
                  rec: &mut Record,
                  concept: Dynamic,
                  who: &str|
                  -> Res<Array> {
                ask(&ctx, &f, rec, concepts(&concept)?, want, Some(who))
            },
        );
    }
}

/// `c.concept`, `c.status`, `c.actor`, `c.side`, `c.field`, `c.sentence`, `c.phrase`,
/// `c.trigger`, `c.grade`: text, `""` where the sentence does not say.
fn properties(engine: &mut Engine) {
    fn text(c: &ClaimRef, f: impl Fn(&Claim) -> Option<String>) -> String {
        c.claim().and_then(f).unwrap_or_default()
    }
    engine.register_get("concept", |c: &mut ClaimRef| {
        text(c, |x| Some(x.concept.to_string()))
    });
    // The words of a status, a side and a grade are few: each is made once per thread and
    // handed out as a shared string.
    engine.register_get("status", |c: &mut ClaimRef| {
        c.claim()
            .map_or_else(ImmutableString::new, |x| word(x.status.as_str()))
    });
    engine.register_get("actor", |c: &mut ClaimRef| {
        text(c, |x| x.actor.as_ref().map(|a| a.to_string()))
    });
    engine.register_get("side", |c: &mut ClaimRef| {
        c.claim()
            .and_then(|x| x.side)
            .map_or_else(ImmutableString::new, |s| word(s.as_str()))
    });
    engine.register_get("field", |c: &mut ClaimRef| {
        text(c, |x| Some(x.field.clone()))
    });
    engine.register_get("sentence", |c: &mut ClaimRef| {
        text(c, |x| Some(x.sentence.clone()))
    });
    engine.register_get("phrase", |c: &mut ClaimRef| {
        text(c, |x| Some(x.phrase.clone()))
    });
    engine.register_get("trigger", |c: &mut ClaimRef| text(c, |x| x.trigger.clone()));
    engine.register_get("grade", |c: &mut ClaimRef| word(c.grade.as_str()));
    engine.register_fn("to_string", |c: &mut ClaimRef| {
        text(c, |x| Some(x.sentence.clone()))
    });
    engine.register_fn("to_debug", |c: &mut ClaimRef| {
        text(c, |x| {
            Some(format!(
                "claim {} {} in {}: {}",
                x.concept,
                x.status.as_str(),
                x.field,
                x.sentence
            ))
        })
    });
}

/// One of the few fixed words a claim's properties give (a status, a side, a grade), as a
/// shared string made once per thread.
fn word(w: &'static str) -> ImmutableString {
    use std::cell::RefCell;
    thread_local! {
        static WORDS: RefCell<Vec<(&'static str, ImmutableString)>> = const { RefCell::new(Vec::new()) };
    }
    WORDS.with(|words| {
        let mut words = words.borrow_mut();
        if let Some((_, s)) = words.iter().find(|(k, _)| *k == w) {
            return s.clone();
        }
        let s = ImmutableString::from(w);
        words.push((w, s.clone()));
        s
    })
}

/// The concept names a rule passed: one in quotes, or a list of them.
fn concepts(concept: &Dynamic) -> Res<Vec<ImmutableString>> {
    if let Some(s) = concept.read_lock::<ImmutableString>() {
        return Ok(vec![s.clone()]);
    }
    if let Some(a) = concept.read_lock::<Array>() {
        work(cost::items(a.len()))?;
        return a
            .iter()
            .map(|c| {
                c.read_lock::<ImmutableString>()
                    .map(|s| s.clone())
                    .ok_or_else(|| "a concept is a name in quotes, such as \"volunteering\"".into())
            })
            .collect();
    }
    Err(format!(
        "a concept is a name in quotes, such as \"volunteering\", or a list of them; found {}",
        concept.type_name()
    )
    .into())
}

/// Whether a claim's field lies within the record at `within` (`""`: the whole bid). What
/// the organisation says it exists to do is its context, not the project's: only a question of
/// `bid.applicant` (or of the field itself) reaches it.
pub(crate) fn inside(field: &str, within: &str) -> bool {
    if within.is_empty() {
        return !super::prose::is_context(field);
    }
    field == within
        || field
            .strip_prefix(within)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

/// Checks a concept and an actor-or-side filter against the checklist's lexicon; returns each
/// concept's place in it.
fn check_names(lex: &Lexicon, names: &[ImmutableString], who: Option<&str>) -> Res<Vec<usize>> {
    let mut places = Vec::with_capacity(names.len());
    for c in names {
        let Some(place) = lex.concept_index(c) else {
            let help = lex
                .suggest(c)
                .map(|s| format!("; did you mean \"{s}\"?"))
                .unwrap_or_default();
            return Err(format!("the checklist has no concept \"{c}\"{help}").into());
        };
        places.push(place);
    }
    if let Some(w) = who {
        let known = ["community", "institution"].contains(&w)
            || lex.triggers().actors.iter().any(|a| a.id == w);
        if !known {
            return Err(format!(
                "\"{w}\" is neither a side (\"community\", \"institution\") nor an actor of the checklist"
            )
            .into());
        }
    }
    Ok(places)
}

/// Whether a claim's actor is `who`: an actor's id, or a side.
fn by(claim: &Claim, who: Option<&str>) -> bool {
    let Some(w) = who else { return true };
    match w {
        "community" => claim.side == Some(Side::Community),
        "institution" => claim.side == Some(Side::Institution),
        _ => claim.actor.as_deref() == Some(w),
    }
}

/// The claims of the concepts within `rec` that the question wants, in the order of the bid,
/// each sentence once per concept and status.
fn ask(
    ctx: &NativeCallContext,
    fields: &Fields,
    rec: &Record,
    names: Vec<ImmutableString>,
    want: Want,
    who: Option<&str>,
) -> Res<Array> {
    record_asks(ctx, rec, &names);
    bid::with(|b| {
        let places = places_charged(b, &names, who)?;
        Ok(select(b, fields, &rec.path, &places, want, who))
    })
}

/// Records that the rule asked about each of `names` within `rec`, at the call's line.
fn record_asks(ctx: &NativeCallContext, rec: &Record, names: &[ImmutableString]) {
    let line = ctx.call_position().line().unwrap_or(0);
    for c in names {
        recorder::asked(Asked {
            concept: c.clone(),
            within: rec.path.clone(),
            line,
        });
    }
}

/// The concepts' places in the lexicon, checked, with the question charged: as a look at every
/// claim of the bid, though only the named concepts' are looked at (the cost model is the
/// reading's size, whatever the index saves).
fn places_charged(b: &BidContext, names: &[ImmutableString], who: Option<&str>) -> Res<Vec<usize>> {
    let places = check_names(&b.lexicon, names, who)?;
    work(cost::items(b.reading.claims.len()))?;
    Ok(places)
}

/// Whether the record affirms any of the concepts `names`: `affirmed(rec, names).len() > 0`,
/// asked, checked and charged as that question is, without building the claims.
pub(super) fn any_affirmed(
    ctx: &NativeCallContext,
    rec: &Record,
    names: &[&'static str],
) -> Res<bool> {
    let names: Vec<ImmutableString> = names.iter().map(|&n| ImmutableString::from(n)).collect();
    record_asks(ctx, rec, &names);
    bid::with(|b| {
        let places = places_charged(b, &names, None)?;
        Ok(claims_about(b, &places).into_iter().any(|i| {
            b.reading
                .claims
                .get(i)
                .is_some_and(|c| c.status == Status::Affirmed && inside(&c.field, &rec.path))
        }))
    })
}

/// The indices of the claims about the concepts at `places` in the lexicon, in the bid's
/// order, each once.
fn claims_about(b: &BidContext, places: &[usize]) -> Vec<usize> {
    match places {
        [one] => b.claims_of(*one).to_vec(),
        _ => {
            let mut all: Vec<usize> = places
                .iter()
                .flat_map(|&p| b.claims_of(p).iter().copied())
                .collect();
            all.sort_unstable();
            all.dedup();
            all
        }
    }
}

fn select(
    b: &BidContext,
    fields: &Fields,
    within: &str,
    places: &[usize],
    want: Want,
    who: Option<&str>,
) -> Array {
    let mut seen: Vec<(&str, &str, &str, Status)> = Vec::new();
    let mut out = Array::new();
    for i in claims_about(b, places) {
        let Some(c) = b.reading.claims.get(i) else {
            continue;
        };
        let wanted = match want {
            Want::All => true,
            Want::One(s) => c.status == s,
        };
        if !wanted || !inside(&c.field, within) || !by(c, who) {
            continue;
        }
        let key = (&*c.concept, c.field.as_str(), c.sentence.as_str(), c.status);
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let grade = b.grade(i, || super::grade::of_claim(&b.doc, fields, &c.field));
        out.push(Dynamic::from(ClaimRef {
            reading: b.reading.clone(),
            index: i,
            grade,
        }));
    }
    out
}

/// The deprecated word search: the phrases of `words` that `texts` affirm, as written, each
/// once. Denied, hoped-for and past mentions are not returned, so old rules stop crediting
/// them. A trailing `*` still means "any word beginning so": it is expanded into the words of
/// the texts that begin so, and each is then read like any phrase (word forms included).
pub(crate) fn affirmed_words(texts: &[TextField<'_>], words: &[String]) -> Res<Vec<String>> {
    let bytes: usize = texts.iter().map(|t| t.text.len()).sum();
    work(cost::bytes(bytes) + cost::pairs(words.len() * bytes / 8))?;
    let phrases = expand(texts, words);
    if phrases.is_empty() {
        return Ok(Vec::new());
    }
    let lex = bid::with(|b| adhoc(&b.lexicon, &phrases));
    let reading = lex.read(texts);
    let mut out: Vec<String> = Vec::new();
    for c in reading
        .claims
        .iter()
        .filter(|c| c.status == Status::Affirmed)
    {
        if !out.iter().any(|x| x.eq_ignore_ascii_case(&c.phrase)) {
            out.push(c.phrase.clone());
        }
    }
    Ok(out)
}

/// The word list with each `prefix*` replaced by the words of the texts that begin with it.
fn expand(texts: &[TextField<'_>], words: &[String]) -> Vec<String> {
    let mut vocabulary: Vec<String> = texts
        .iter()
        .flat_map(|t| {
            t.text
                .split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
        })
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    vocabulary.sort_unstable();
    vocabulary.dedup();
    let mut out = Vec::new();
    for w in words {
        let w = w.trim();
        let Some(stem) = w.strip_suffix('*') else {
            if !w.is_empty() {
                out.push(w.to_string());
            }
            continue;
        };
        let (head, last) = match stem.rsplit_once(' ') {
            Some((h, l)) => (format!("{h} "), l.to_lowercase()),
            None => (String::new(), stem.to_lowercase()),
        };
        let from = vocabulary.partition_point(|v| v.as_str() < last.as_str());
        for v in vocabulary
            .iter()
            .skip(from)
            .take_while(|v| v.starts_with(&last))
        {
            out.push(format!("{head}{v}"));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The lexicon for a word list, built once per thread and list (bounded: a rule could build
/// lists from the bid's own words). The cache holds a weak reference to the checklist's lexicon
/// it was built from, so it is never used for another.
fn adhoc(base: &Arc<Lexicon>, phrases: &[String]) -> Arc<Lexicon> {
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::sync::Weak;
    const MAX: usize = 512;
    type Cache = (Weak<Lexicon>, HashMap<Vec<String>, Arc<Lexicon>>);
    thread_local! {
        static CACHE: RefCell<Cache> = RefCell::new((Weak::new(), HashMap::new()));
    }
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if !Weak::ptr_eq(&c.0, &Arc::downgrade(base)) {
            *c = (Arc::downgrade(base), HashMap::new());
        }
        if let Some(l) = c.1.get(phrases) {
            return l.clone();
        }
        if c.1.len() >= MAX {
            c.1.clear();
        }
        let lex = Arc::new(base.adhoc("words", phrases));
        c.1.insert(phrases.to_vec(), lex.clone());
        lex
    })
}

/// The texts of a record, as the reading layer reads them (for `mentions`).
pub(crate) fn record_texts(fields: &Fields, rec: &Record) -> Vec<super::prose::Prose> {
    bid::with(|b| {
        let all = super::prose::texts(&b.doc, fields);
        all.into_iter()
            .filter(|p| inside(&p.path, &rec.path))
            .collect()
    })
}
