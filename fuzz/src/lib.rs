//! Shared by the fuzz targets: the fixed checklist and bids they use, and a generator of
//! schema-shaped bids from fuzz input, so that the appraisal target spends its time in the rules
//! rather than in the parser.

use arbitrary::{Result, Unstructured};
use serde_json::{Map, Value, json};
use std::sync::OnceLock;

/// The proposal schema, as the main crate ships it.
const SCHEMA: &str = include_str!("../../schemas/proposal.schema.json");

/// Words and phrases the bundled rules look for (every quoted string in `rules/`), so generated
/// free text reaches the branches that `mentions` and `find` guard.
fn vocabulary() -> &'static [String] {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words = vec!["".to_string(), " ".to_string(), "x".to_string()];
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../rules");
        let mut stack = vec![std::path::PathBuf::from(dir)];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "rhai") {
                    let text = std::fs::read_to_string(&p).unwrap_or_default();
                    for (i, part) in text.split('"').enumerate() {
                        if i % 2 == 1 && part.len() < 40 && !part.contains('\n') {
                            words.push(part.trim_end_matches('*').to_string());
                        }
                    }
                }
            }
        }
        words.sort();
        words.dedup();
        words
    })
}

fn schema() -> &'static Value {
    static S: OnceLock<Value> = OnceLock::new();
    S.get_or_init(|| serde_json::from_str(SCHEMA).unwrap_or(Value::Null))
}

/// Interesting numbers for a field with the given bounds: the edges, zero, one, and big values.
fn number(u: &mut Unstructured, prop: &Value, integer: bool) -> Result<Value> {
    let min = prop.get("minimum").and_then(Value::as_f64);
    let max = prop.get("maximum").and_then(Value::as_f64);
    let pick: u8 = u.int_in_range(0..=9)?;
    let x: f64 = match pick {
        0 => 0.0,
        1 => 1.0,
        2 => min.unwrap_or(-1.0),
        3 => max.unwrap_or(i64::MAX as f64),
        4 => f64::from(u.int_in_range(0u16..=1000)?),
        5 => f64::from(u.int_in_range(0u32..=100_000_000)?),
        6 => 0.5,
        7 => -f64::from(u.int_in_range(0u32..=1_000_000)?),
        8 => 1e300,
        _ => f64::from(u.arbitrary::<i32>()?),
    };
    let x = match (min, max) {
        (Some(lo), _) if x < lo => lo,
        (_, Some(hi)) if x > hi => hi,
        _ => x,
    };
    Ok(if integer || (x.fract() == 0.0 && u.arbitrary::<bool>()?) {
        if x >= i64::MAX as f64 {
            json!(i64::MAX)
        } else if x <= i64::MIN as f64 {
            json!(i64::MIN)
        } else {
            json!(x as i64)
        }
    } else {
        json!(x)
    })
}

fn text(u: &mut Unstructured, prop: &Value) -> Result<Value> {
    if let Some(choices) = prop.get("enum").and_then(Value::as_array) {
        return Ok(u.choose(choices)?.clone());
    }
    if prop.get("pattern").is_some() {
        // Months and currencies: a few valid and a few near misses.
        let s = *u.choose(&[
            "2026-05",
            "2027-12-31",
            "1999-01",
            "GBP",
            "EUR",
            "2026-13",
            "gbp",
        ])?;
        return Ok(json!(s));
    }
    let words = vocabulary();
    let n: usize = u.int_in_range(0..=6)?;
    let mut parts = Vec::with_capacity(n);
    for _ in 0..n {
        if u.ratio(1, 8)? {
            parts.push(u.arbitrary::<String>()?);
        } else {
            parts.push(u.choose(words)?.clone());
        }
    }
    let mut s = parts.join(" ");
    if let Some(max) = prop.get("maxLength").and_then(Value::as_u64) {
        let max = max as usize;
        if s.chars().count() > max {
            s = s.chars().take(max).collect();
        }
    }
    Ok(json!(s))
}

fn value(u: &mut Unstructured, prop: &Value, depth: usize) -> Result<Value> {
    let ty = prop.get("type").and_then(Value::as_str).unwrap_or("string");
    Ok(match ty {
        "boolean" => json!(u.arbitrary::<bool>()?),
        "integer" => number(u, prop, true)?,
        "number" => number(u, prop, false)?,
        "array" => {
            let items = prop.get("items").cloned().unwrap_or(Value::Null);
            let n: usize = u.int_in_range(0..=4)?;
            let mut out = Vec::with_capacity(n);
            for _ in 0..n {
                out.push(value(u, &items, depth + 1)?);
            }
            Value::Array(out)
        }
        "object" => object(u, prop, depth + 1)?,
        _ => text(u, prop)?,
    })
}

fn object(u: &mut Unstructured, node: &Value, depth: usize) -> Result<Value> {
    let mut out = Map::new();
    let Some(props) = node.get("properties").and_then(Value::as_object) else {
        return Ok(Value::Object(out));
    };
    for (name, prop) in props {
        if depth < 4 && u.ratio(2, 3)? {
            out.insert(name.clone(), value(u, prop, depth)?);
        }
    }
    Ok(Value::Object(out))
}

/// A bid shaped like the proposal schema (it may still break it at the edges: the engine must
/// then refuse it with a clear error). `id`, `title` and the amount are always present.
pub fn bid(u: &mut Unstructured) -> Result<Value> {
    let mut doc = object(u, schema(), 0)?;
    if let Some(map) = doc.as_object_mut() {
        map.entry("id").or_insert(json!("FUZZ-1"));
        map.entry("title").or_insert(json!("A fuzzed bid"));
        let funding = map.entry("funding").or_insert(json!({}));
        if let Some(f) = funding.as_object_mut() {
            f.entry("amount_requested").or_insert(json!(1000));
        }
    }
    Ok(doc)
}

/// The tests' checklist config (one indicator, one theme), for the rule target, with low limits
/// so runaway rules end quickly.
pub const CONFIG: &str = concat!(
    include_str!("../../tests/data/test-checklist/checklist.toml"),
    "\n[limits]\nrule_operations = 20000\nrule_millis = 50\nappraisal_millis = 200\n",
);

/// A well-formed rule around the given body of `fn appraise(bid)`.
pub fn rule(body: &str) -> String {
    format!(
        "const META = #{{\n    id: \"FUZZ-01\",\n    title: \"Fuzzed rule\",\n    theme: \"volunteering\",\n    indicators: [\"NI6\"],\n    weight: 1.0,\n    question: \"Does it work?\",\n    rationale: \"Fuzzing.\",\n}};\n\nfn appraise(bid) {{\n{body}\n}}\n"
    )
}
