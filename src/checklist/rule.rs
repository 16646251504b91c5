//! One rule file: its metadata (`const META`, read without running the rule) and its compiled
//! script.

use crate::diagnostic::{Diagnostic, line_col};
use crate::engine::Sandbox;
use crate::engine::script::{Meta, MetaValue, Script};
use indexmap::IndexMap;
use serde::Serialize;

/// A rule's metadata, as declared in its `const META`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleMeta {
    pub id: String,
    pub title: String,
    pub theme: String,
    pub indicators: Vec<String>,
    pub weight: f64,
    pub question: String,
    pub rationale: String,
    /// What a bid must show to meet the item, in plain words (optional).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meets: Option<String>,
    /// The most the rule can add to each of its indicators on one bid, before its weight (and
    /// the most it can take away, for impacts below zero, unless `most_loss` says otherwise);
    /// the engine stops a rule that records more. An indicator not named here gets
    /// [`MAX_IMPACT`].
    #[serde(skip_serializing_if = "indexmap::IndexMap::is_empty")]
    pub most: indexmap::IndexMap<String, f64>,
    /// The most the rule can take away from each of its indicators on one bid, before its
    /// weight, where it differs from `most`: a rule that records harm (issue 18) adds nothing
    /// (`most` 0, so it adds nothing to the checklist's maxima) and takes away up to this.
    #[serde(skip_serializing_if = "indexmap::IndexMap::is_empty")]
    pub most_loss: indexmap::IndexMap<String, f64>,
}

/// The largest impact one rule records on one indicator (before weight), and the default `most`.
pub(crate) const MAX_IMPACT: f64 = 3.0;

impl RuleMeta {
    /// The most the rule can add to `indicator` on one bid, before its weight.
    pub fn most(&self, indicator: &str) -> f64 {
        self.most.get(indicator).copied().unwrap_or(MAX_IMPACT)
    }

    /// The most the rule can take away from `indicator` on one bid, before its weight: its
    /// `most_loss`, else its `most`.
    pub fn most_loss(&self, indicator: &str) -> f64 {
        self.most_loss
            .get(indicator)
            .copied()
            .unwrap_or_else(|| self.most(indicator))
    }
}

/// A compiled rule.
#[derive(Clone)]
pub(crate) struct Rule {
    pub meta: RuleMeta,
    /// The weight in force: `checklist.toml`'s override, else the rule's own.
    pub weight: f64,
    /// Path relative to the checklist folder, `/`-separated.
    pub file: String,
    /// Path as shown to users (`rules/volunteering/VOL-01-new-volunteers.rhai`).
    pub shown: String,
    pub script: Script,
    /// The layer the rule comes from (`stronger 2026.1`).
    pub origin: String,
    /// The fields it reads and where it records outcomes, from its source.
    pub analysis: super::analysis::Analysis,
    /// Line and column of `fn appraise`, where errors without a position of their own point.
    pub entry: (usize, usize),
}

const KEYS: &[&str] = &[
    "id",
    "title",
    "theme",
    "indicators",
    "weight",
    "question",
    "rationale",
    "meets",
    "most",
    "most_loss",
];

/// Compiles a rule and reads its metadata. All problems are returned, located.
pub(crate) fn load(
    sandbox: &Sandbox,
    fields: &crate::proposal::Fields,
    shown: &str,
    file: &str,
    source: &str,
) -> Result<Rule, Vec<Diagnostic>> {
    let script = compile(sandbox, shown, source)?;
    let mut meta = MetaReader::new(&script, shown, source)?;
    let mut read = meta.read();
    read.most = meta.most("most", &read.indicators);
    read.most_loss = meta.most("most_loss", &read.indicators);
    let mut errs = meta.errs;
    if !script.has_entry() {
        errs.push(
            Diagnostic::error(shown, "the rule has no `fn appraise(bid)`")
                .help("every rule defines `fn appraise(bid) { ... }` and records one status"),
        );
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(Rule {
        weight: read.weight,
        meta: read,
        file: file.to_string(),
        shown: shown.to_string(),
        script,
        origin: String::new(),
        analysis: super::analysis::analyse(source, fields),
        entry: source
            .find("fn appraise")
            .map(|off| line_col(source, off))
            .unwrap_or((1, 1)),
    })
}

/// The rule compiled in the sandbox, or its syntax error, located.
fn compile(sandbox: &Sandbox, shown: &str, source: &str) -> Result<Script, Vec<Diagnostic>> {
    sandbox.compile(source).map_err(|(msg, line, column)| {
        let d = Diagnostic::error(shown, msg);
        vec![match (line, column) {
            (Some(l), Some(c)) => d.at_in(source, l, c),
            (Some(l), None) => d.at_in(source, l, 1),
            _ => d,
        }]
    })
}

/// Reads `const META` key by key, gathering every problem, each at the key it is about.
struct MetaReader<'a> {
    shown: &'a str,
    source: &'a str,
    map: IndexMap<String, MetaValue>,
    errs: Vec<Diagnostic>,
}

impl<'a> MetaReader<'a> {
    /// The rule's `META` map, with a problem for each key it should not have.
    fn new(script: &Script, shown: &'a str, source: &'a str) -> Result<Self, Vec<Diagnostic>> {
        let mut reader = MetaReader {
            shown,
            source,
            map: IndexMap::new(),
            errs: Vec::new(),
        };
        let map = match script.meta() {
            Meta::Missing => {
                return Err(vec![reader.at(
                    "META",
                    "the rule has no `const META = #{ ... }` metadata".to_string(),
                )
                .help("start the rule with `const META = #{ id: \"...\", title: \"...\", ... };` — see docs/rules.md")]);
            }
            Meta::NotAMap => {
                return Err(vec![
                    reader.at("META", "`META` must be a map literal `#{ ... }`".into()),
                ]);
            }
            Meta::Map(m) => m,
        };
        for key in map.keys() {
            if !KEYS.contains(&key.as_str()) {
                let help = crate::suggest::did_you_mean(key, KEYS.iter().copied())
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| format!("the keys are: {}", KEYS.join(", ")));
                let d = reader.at(key, format!("unknown metadata key `{key}`"));
                reader.errs.push(d.help(help));
            }
        }
        reader.map = map;
        Ok(reader)
    }

    /// An error at `key:` inside `META` (or at `META` when the key is not written there).
    fn at(&self, key: &str, msg: String) -> Diagnostic {
        let d = Diagnostic::error(self.shown, msg);
        let source = self.source;
        let meta_start = source.find("const META").unwrap_or(0);
        let found = source
            .get(meta_start..)
            .and_then(|rest| rest.find(&format!("{key}:")).map(|i| i + meta_start))
            .or_else(|| source.find("const META"));
        match found {
            Some(off) => {
                let (l, c) = line_col(source, off);
                d.at_in(source, l, c)
            }
            None => d,
        }
    }

    /// Every key, in the order problems are reported.
    fn read(&mut self) -> RuleMeta {
        RuleMeta {
            id: self.text("id"),
            title: self.text("title"),
            theme: self.text("theme"),
            question: self.text("question"),
            rationale: self.text("rationale"),
            indicators: self.indicators(),
            weight: self.weight(),
            meets: self.meets(),
            most: IndexMap::new(),
            most_loss: IndexMap::new(),
        }
    }

    /// A required key holding non-empty text.
    fn text(&mut self, key: &str) -> String {
        match self.map.get(key) {
            None => {
                let d = self.at("META", format!("`META` is missing `{key}`"));
                self.errs.push(d);
                String::new()
            }
            Some(v) => match v.text() {
                Some(s) if !s.trim().is_empty() => s.to_string(),
                _ => {
                    let d = self.at(
                        key,
                        format!("`META.{key}` must be non-empty text in quotes"),
                    );
                    self.errs.push(d);
                    String::new()
                }
            },
        }
    }

    /// `indicators`: a non-empty list of ids.
    fn indicators(&mut self) -> Vec<String> {
        let (needle, msg) = match self.map.get("indicators") {
            None => ("META", "`META` is missing `indicators`"),
            Some(v) => match v.texts() {
                Some(list) if !list.is_empty() => return list,
                _ => (
                    "indicators",
                    "`META.indicators` must be a list of indicator ids, e.g. `[\"NI6\"]`",
                ),
            },
        };
        let d = self.at(needle, msg.into());
        self.errs.push(d);
        Vec::new()
    }

    /// `weight`: a number from 0 to 5.
    fn weight(&mut self) -> f64 {
        let (needle, msg) = match self.map.get("weight") {
            None => ("META", "`META` is missing `weight`"),
            Some(v) => match v.number() {
                Some(w) if (0.0..=5.0).contains(&w) => return w,
                _ => ("weight", "`META.weight` must be a number from 0 to 5"),
            },
        };
        let d = self.at(needle, msg.into());
        self.errs.push(d);
        0.0
    }

    /// `most` or `most_loss` (`key`): optional, a map from each of the rule's indicators to a
    /// number from 0 to 3.
    fn most(&mut self, key: &str, indicators: &[String]) -> IndexMap<String, f64> {
        let Some(v) = self.map.get(key).cloned() else {
            return IndexMap::new();
        };
        let bad = |r: &mut Self, msg: String| {
            let d = r.at(key, msg);
            r.errs.push(d);
            IndexMap::new()
        };
        let MetaValue::Map(m) = v else {
            return bad(
                self,
                format!("`META.{key}` must be a map such as `#{{ NI6: 2, NI3: 1 }}`"),
            );
        };
        let mut out = IndexMap::new();
        for (k, v) in m {
            let n = v.number();
            if !indicators.iter().any(|i| i == k.as_str()) {
                return bad(
                    self,
                    format!("`META.{key}` names `{k}`, which is not among the rule's `indicators`"),
                );
            }
            match n {
                Some(n) if (0.0..=MAX_IMPACT).contains(&n) => {
                    out.insert(k.to_string(), n);
                }
                _ => {
                    return bad(
                        self,
                        format!("`META.{key}.{k}` must be a number from 0 to 3"),
                    );
                }
            }
        }
        out
    }

    /// `meets`: optional, and non-empty text when given.
    fn meets(&mut self) -> Option<String> {
        let v = self.map.get("meets")?;
        match v.text() {
            Some(s) if !s.trim().is_empty() => Some(s.to_string()),
            _ => {
                let d = self.at(
                    "meets",
                    "`META.meets` must be non-empty text in quotes".into(),
                );
                self.errs.push(d);
                None
            }
        }
    }
}
