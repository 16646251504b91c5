//! Judgment cases that compare two bids: two versions of a bid that differ in one respect, and
//! the relation an appraiser would state between their appraisals ("B's NI6 is not above A's",
//! "A's NI4 band is higher", "same outcome").
//!
//! ```toml
//! [[compare]]
//! name = "saying there are no volunteers earns no volunteering credit"
//! bid = "empty"                                     # both start from tests/bids/empty.toml
//! a.set = { summary = "A weekly lunch club in the church hall." }
//! b.set = { summary = "A weekly lunch club in the church hall. We have no volunteers." }
//! expect = ["b.NI6 <= a.NI6", "b.VOL-01 != met"]
//! ```
//!
//! A relation is `SIDE.METRIC OP VALUE`, where VALUE is another `SIDE.METRIC`, a number or a
//! name, and either side may add or subtract a number (`b.total <= a.total + 5`). Metrics:
//! `total`; an indicator or theme id (its score) and `ID.band` (its band); `outcome`; a rule id
//! (its status: `met`, `not-met`, …, compared with `==` or `!=`). Bands and outcomes compare by
//! the checklist's order: better is greater.

use crate::appraisal::Appraisal;
use crate::checklist::Checklist;
use indexmap::IndexMap;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Compare {
    pub name: String,
    /// The bid both sides start from, unless a side names its own.
    #[serde(default)]
    pub bid: Option<String>,
    #[serde(default)]
    pub a: Side,
    #[serde(default)]
    pub b: Side,
    pub expect: Vec<String>,
    /// Why the judgment cannot hold yet (the issue that builds it); see `CaseResult::pending`.
    #[serde(default)]
    pub pending: Option<String>,
}

/// One of the two bids: a starting bid and changes to it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Side {
    #[serde(default)]
    pub bid: Option<String>,
    #[serde(default)]
    pub set: IndexMap<String, toml::Value>,
    #[serde(default)]
    pub unset: Vec<String>,
}

/// A value a relation compares: a number, or a name (a status, band or outcome id).
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Number(f64),
    Status(String),
}

const OPS: [&str; 6] = ["<=", ">=", "==", "!=", "<", ">"];

/// Checks every relation; one line per relation that does not hold or cannot be read.
pub(super) fn check(c: &Checklist, expect: &[String], a: &Appraisal, b: &Appraisal) -> Vec<String> {
    expect
        .iter()
        .filter_map(|rel| match holds(c, rel, a, b) {
            Ok(true) => None,
            Ok(false) => Some(format!("expected {rel}, found {}", shown(c, rel, a, b))),
            Err(e) => Some(format!("cannot read `{rel}`: {e}")),
        })
        .collect()
}

fn split(rel: &str) -> Result<(&str, &str, &str), String> {
    for op in OPS {
        if let Some(i) = rel.find(op) {
            let left = rel.get(..i).unwrap_or_default().trim();
            let right = rel.get(i + op.len()..).unwrap_or_default().trim();
            return Ok((left, op, right));
        }
    }
    Err("expected `LEFT OP RIGHT` with OP one of <, <=, ==, !=, >=, >".to_string())
}

fn holds(c: &Checklist, rel: &str, a: &Appraisal, b: &Appraisal) -> Result<bool, String> {
    let (left, op, right) = split(rel)?;
    let l = value(c, left, a, b, None)?;
    let r = value(c, right, a, b, Some(left))?;
    match (l, r) {
        (Value::Number(x), Value::Number(y)) => Ok(match op {
            "<" => x < y - 1e-9,
            "<=" => x <= y + 1e-9,
            ">" => x > y + 1e-9,
            ">=" => x >= y - 1e-9,
            "==" => (x - y).abs() <= 1e-9,
            _ => (x - y).abs() > 1e-9,
        }),
        (Value::Status(x), Value::Status(y)) => match op {
            "==" => Ok(x == y),
            "!=" => Ok(x != y),
            _ => Err(format!(
                "a status can only be compared with == or !=, not {op}"
            )),
        },
        _ => Err("the two sides are not the same kind of value".to_string()),
    }
}

/// What both sides of a relation that did not hold came to, for the failure message.
fn shown(c: &Checklist, rel: &str, a: &Appraisal, b: &Appraisal) -> String {
    let Ok((left, _, right)) = split(rel) else {
        return String::new();
    };
    let show = |s: &str, ctx: Option<&str>| match value(c, s, a, b, ctx) {
        Ok(Value::Number(x)) => format!("{s} = {}", display(c, s, x)),
        Ok(Value::Status(x)) => format!("{s} = {x}"),
        Err(e) => e,
    };
    let mut parts = vec![show(left, None)];
    if right.starts_with("a.") || right.starts_with("b.") {
        parts.push(show(right, Some(left)));
    }
    parts.join(", ")
}

/// A band or outcome shows its id; any other number its value.
fn display(c: &Checklist, expr: &str, x: f64) -> String {
    let metric = offset(expr).map(|(m, _)| m).unwrap_or_default();
    if metric.ends_with(".band") {
        let n = c.config.bands.len() as f64;
        let i = (n - x) as usize;
        return c
            .config
            .bands
            .get(i)
            .map_or(x.to_string(), |b| b.id.clone());
    }
    if metric.ends_with(".outcome") {
        let n = c.config.screening.outcomes.len() as f64;
        let i = (n - x) as usize;
        return c
            .config
            .screening
            .outcomes
            .get(i)
            .map_or(x.to_string(), |o| o.id.clone());
    }
    format!("{x}")
}

/// Evaluates one side: `a.METRIC [± N]`, a number, or a name (read in the light of the other
/// side's metric, so `positive` is a band's rank beside `a.NI4.band`).
fn value(
    c: &Checklist,
    expr: &str,
    a: &Appraisal,
    b: &Appraisal,
    other: Option<&str>,
) -> Result<Value, String> {
    let (base, offset) = offset(expr)?;
    if let Ok(x) = base.parse::<f64>() {
        return Ok(Value::Number(x + offset));
    }
    let (side, metric) = match base.split_once('.') {
        Some(("a", m)) => (a, m),
        Some(("b", m)) => (b, m),
        _ => return name(c, base, other),
    };
    match metric_value(c, side, metric)? {
        Value::Number(x) => Ok(Value::Number(x + offset)),
        s if offset == 0.0 => Ok(s),
        _ => Err(format!("cannot add a number to the status `{metric}`")),
    }
}

/// Splits `a.total + 5` into `a.total` and 5.
fn offset(expr: &str) -> Result<(&str, f64), String> {
    for (sign, op) in [(1.0, " + "), (-1.0, " - ")] {
        if let Some((base, n)) = expr.split_once(op) {
            let n: f64 = n
                .trim()
                .parse()
                .map_err(|_| format!("`{}` is not a number", n.trim()))?;
            return Ok((base.trim(), sign * n));
        }
    }
    Ok((expr.trim(), 0.0))
}

fn metric_value(c: &Checklist, a: &Appraisal, metric: &str) -> Result<Value, String> {
    if metric == "total" {
        return Ok(Value::Number(a.total));
    }
    if metric == "outcome" {
        return outcome_rank(c, &a.outcome).map(Value::Number);
    }
    if metric == "verified_share" {
        return Ok(Value::Number(a.verified_share));
    }
    if metric == "placeholders" {
        return Ok(Value::Number(a.placeholders.len() as f64));
    }
    if metric == "contradictions" {
        return Ok(Value::Number(a.contradictions.len() as f64));
    }
    if let Some(id) = metric.strip_suffix(".band") {
        let band = a
            .indicators
            .get(id)
            .map(|r| r.band.as_str())
            .or_else(|| a.themes.get(id).map(|t| t.band.as_str()))
            .or_else(|| known_indicator(c, id).then_some("neutral"))
            .ok_or_else(|| format!("no indicator or theme `{id}`"))?;
        return band_rank(c, band).map(Value::Number);
    }
    if let Some(r) = a.indicators.get(metric) {
        return Ok(Value::Number(r.score));
    }
    if let Some(t) = a.themes.get(metric) {
        return Ok(Value::Number(t.score));
    }
    if known_indicator(c, metric) {
        // A non-core indicator no rule touched: nothing scored.
        return Ok(Value::Number(0.0));
    }
    if c.rules.iter().any(|r| r.meta.id == metric) {
        let status = a
            .checklist
            .iter()
            .find(|i| i.rule == metric)
            .map_or("error", |i| i.status.as_str());
        return Ok(Value::Status(status.to_string()));
    }
    Err(format!(
        "`{metric}` is not `total`, `outcome`, `verified_share`, `placeholders`, `contradictions`, an indicator, a theme or a rule"
    ))
}

fn known_indicator(c: &Checklist, id: &str) -> bool {
    c.config.indicators.iter().any(|i| i.id == id)
}

/// A bare name: a band or outcome id (as a rank, beside a band or outcome) or a status.
fn name(c: &Checklist, s: &str, other: Option<&str>) -> Result<Value, String> {
    let other = other.unwrap_or_default();
    let other_metric = offset(other).map(|(m, _)| m).unwrap_or_default();
    if other_metric.ends_with(".band") {
        return band_rank(c, s).map(Value::Number);
    }
    if other_metric.ends_with(".outcome") {
        return outcome_rank(c, s).map(Value::Number);
    }
    if crate::appraisal::Status::parse(s).is_some() {
        return Ok(Value::Status(s.to_string()));
    }
    Err(format!(
        "`{s}` is not a number, a status, or `a.`/`b.` followed by a metric"
    ))
}

fn band_rank(c: &Checklist, id: &str) -> Result<f64, String> {
    let n = c.config.bands.len();
    c.config
        .bands
        .iter()
        .position(|b| b.id == id)
        .map(|i| (n - i) as f64)
        .ok_or_else(|| format!("no band `{id}`"))
}

fn outcome_rank(c: &Checklist, id: &str) -> Result<f64, String> {
    let n = c.config.screening.outcomes.len();
    c.config
        .screening
        .outcomes
        .iter()
        .position(|o| o.id == id)
        .map(|i| (n - i) as f64)
        .ok_or_else(|| format!("no outcome `{id}`"))
}
