//! What a rule names as the backing of an impact or a status, turned into a grade by the
//! engine: a claim, a field path in quotes, a record of the bid (a partner, an evidence entry,
//! an outcome), or a list of them (the strongest counts). The engine checks that the bid really
//! states what is named — a rule cannot back a finding with a field the bid leaves out — and the
//! grade decides the finding's confidence. The older `"low"`, `"medium"` and `"high"` are read as
//! unverified, stated and evidenced.

use super::bid;
use super::claims::ClaimRef;
use super::value::{NotStated, Record};
use crate::appraisal::{Confidence, Grade};
use crate::proposal::{Fields, strip_indices};
use rhai::{Array, Dynamic, EvalAltResult, ImmutableString};

type Res<T> = Result<T, Box<EvalAltResult>>;

/// A grade, and the concept of the claim behind it when prose is what backs it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Backing {
    pub grade: Grade,
    pub concept: Option<String>,
}

impl Backing {
    /// An impact whose rule names nothing behind it.
    pub(crate) fn unnamed() -> Backing {
        Backing {
            grade: Grade::default(),
            concept: None,
        }
    }
}

/// The backing an `impact` names as its fourth argument.
pub(crate) fn of(fields: &Fields, x: &Dynamic) -> Res<Backing> {
    if let Some(s) = x.read_lock::<ImmutableString>()
        && let Some(c) = Confidence::parse(&s)
    {
        let grade = match c {
            Confidence::Low => Grade::Unverified,
            Confidence::Medium => Grade::Stated,
            Confidence::High => Grade::Evidenced,
        };
        return Ok(Backing {
            grade,
            concept: None,
        });
    }
    named(fields, x)
}

/// The backing a status or an impact names: a claim, a field path, a record, or a list.
pub(crate) fn named(fields: &Fields, x: &Dynamic) -> Res<Backing> {
    if let Some(c) = x.read_lock::<ClaimRef>() {
        return Ok(Backing {
            grade: c.grade(),
            concept: c.claim().map(|c| c.concept.to_string()),
        });
    }
    if let Some(s) = x.read_lock::<ImmutableString>() {
        return path(fields, &s);
    }
    if let Some(r) = x.read_lock::<Record>() {
        return path(fields, &r.path);
    }
    if let Some(a) = x.read_lock::<Array>() {
        return strongest(fields, &a);
    }
    if let Some(n) = x.read_lock::<NotStated>() {
        return Err(format!(
            "`{}` is not stated, so it cannot back a finding; name what the bid does say",
            n.path
        )
        .into());
    }
    Err(format!(
        "a finding is backed by a claim, a field path in quotes, a record of the bid or a list of them; found {}",
        x.type_name()
    )
    .into())
}

/// The strongest of a list. An example advice wrote and the applicant has not replaced backs
/// nothing: it is passed over, and a list of nothing but examples is no more than words.
fn strongest(fields: &Fields, items: &Array) -> Res<Backing> {
    let mut best: Option<Backing> = None;
    let mut only_examples = true;
    for item in items {
        let b = named(fields, item)?;
        let example = names_example(fields, item);
        if example && !only_examples {
            continue;
        }
        if !example && only_examples {
            only_examples = false;
            best = None;
        }
        if best.as_ref().is_none_or(|x| b.grade > x.grade) {
            best = Some(b);
        }
    }
    let best = best.ok_or("a list naming what backs a finding is empty")?;
    Ok(if only_examples {
        Backing {
            grade: Grade::Unverified,
            ..best
        }
    } else {
        best
    })
}

/// Whether one item of a backing list is, or was read from, an example.
fn names_example(fields: &Fields, x: &Dynamic) -> bool {
    let path = if let Some(c) = x.read_lock::<ClaimRef>() {
        c.claim().map(|c| c.field.to_string())
    } else if let Some(s) = x.read_lock::<ImmutableString>() {
        Some(s.to_string())
    } else {
        x.read_lock::<Record>().map(|r| r.path.to_string())
    };
    path.is_some_and(|p| bid::with(|b| facts(b, fields, &p).1))
}

/// What a path says in the bid being appraised, worked out once per bid: its grade (`None`:
/// not stated) and whether it names an example.
fn facts(b: &bid::BidContext, fields: &Fields, p: &str) -> bid::PathFacts {
    b.path(p, || {
        (
            super::grade::of_path(&b.doc, fields, p),
            super::grade::names_example(&b.doc, p),
        )
    })
}

/// A field, table or entry named by its path: it must be one the bid states.
fn path(fields: &Fields, p: &str) -> Res<Backing> {
    if p.is_empty() {
        return Err("the whole bid cannot back a finding; name the field that does".into());
    }
    if fields.kind_at(p).is_none() {
        let schema_path = strip_indices(p);
        let help = fields
            .suggest(&schema_path)
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        return Err(format!("the proposal has no field `{schema_path}`{help}").into());
    }
    match bid::with(|b| facts(b, fields, p).0) {
        Some(grade) => Ok(Backing {
            grade,
            concept: None,
        }),
        None => Err(format!(
            "`{p}` is not stated, so it cannot back a finding; name what the bid does say"
        )
        .into()),
    }
}
