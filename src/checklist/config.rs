//! `checklist.toml`: the checklist's name and version, indicators, themes, bands, screening
//! policy, limits and per-rule overrides — validated, with line:column on every problem.

use crate::diagnostic::{Diagnostic, line_col};
use indexmap::IndexMap;
use serde::Deserialize;

/// The effective config: a checklist's own `checklist.toml` on top of its base, if any.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub checklist: Meta,
    pub indicators: Vec<Indicator>,
    pub themes: Vec<Theme>,
    pub bands: Vec<Band>,
    pub screening: Screening,
    pub limits: LimitsConfig,
    pub rules: IndexMap<String, RuleOverride>,
    /// Which layer each part of the config comes from: (`bands`, `stronger 2026.1`), …
    pub origins: Vec<(String, String)>,
}

/// One `checklist.toml` as written: with a base, everything but `[checklist]` is optional.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConfig {
    pub checklist: Meta,
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    #[serde(default)]
    pub themes: Vec<Theme>,
    #[serde(default)]
    pub bands: Vec<Band>,
    #[serde(default)]
    pub screening: Option<Screening>,
    #[serde(default)]
    pub limits: LimitsConfig,
    #[serde(default)]
    pub rules: IndexMap<String, RuleOverride>,
}

impl RawConfig {
    /// The effective config of this layer on top of `base` (or alone).
    pub(crate) fn resolve(self, file: &str, base: Option<&Config>) -> Result<Config, Diagnostic> {
        let me = format!("{} {}", self.checklist.name, self.checklist.version);
        let Some(base) = base else {
            let screening = self.screening.ok_or_else(|| {
                Diagnostic::error(file, "the checklist has no `[screening]` policy")
                    .help("add `[screening]` with `incomplete = \"…\"` and `[[screening.outcomes]]`, or build on another checklist with `base = \"default\"`")
            })?;
            let mut origins = vec![
                ("indicators".to_string(), me.clone()),
                ("themes".to_string(), me.clone()),
                ("bands".to_string(), me.clone()),
                ("screening".to_string(), me.clone()),
            ];
            origins.extend(
                self.rules
                    .keys()
                    .map(|id| (format!("rules.{id}"), me.clone())),
            );
            return Ok(Config {
                checklist: self.checklist,
                indicators: self.indicators,
                themes: self.themes,
                bands: self.bands,
                screening,
                limits: self.limits,
                rules: self.rules,
                origins,
            });
        };
        let mut out = base.clone();
        out.checklist = self.checklist;
        let mut added = |what: &str| {
            out.origins.retain(|(p, _)| p != what);
            out.origins.push((what.to_string(), me.clone()));
        };
        for ind in &self.indicators {
            added(&format!("indicator {}", ind.id));
        }
        for t in &self.themes {
            added(&format!("theme {}", t.id));
        }
        if !self.bands.is_empty() {
            added("bands");
        }
        if self.screening.is_some() {
            added("screening");
        }
        for id in self.rules.keys() {
            added(&format!("rules.{id}"));
        }
        for ind in self.indicators {
            match out.indicators.iter_mut().find(|i| i.id == ind.id) {
                Some(slot) => *slot = ind,
                None => out.indicators.push(ind),
            }
        }
        for t in self.themes {
            match out.themes.iter_mut().find(|x| x.id == t.id) {
                Some(slot) => *slot = t,
                None => out.themes.push(t),
            }
        }
        if !self.bands.is_empty() {
            out.bands = self.bands;
        }
        if let Some(s) = self.screening {
            out.screening = s;
        }
        out.limits.rule_operations = self.limits.rule_operations.or(out.limits.rule_operations);
        out.limits.rule_millis = self.limits.rule_millis.or(out.limits.rule_millis);
        out.limits.appraisal_millis = self.limits.appraisal_millis.or(out.limits.appraisal_millis);
        for (id, o) in self.rules {
            let slot = out.rules.entry(id).or_default();
            if o.weight.is_some() {
                slot.weight = o.weight;
            }
            if o.enabled.is_some() {
                slot.enabled = o.enabled;
            }
        }
        Ok(out)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Meta {
    pub name: String,
    pub version: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// The checklist this one builds on: `"default"` (built in) or a folder, relative to this one.
    #[serde(default)]
    pub base: Option<String>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Indicator {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub short: Option<String>,
    #[serde(default)]
    pub core: bool,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Theme {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Band {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub min: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Screening {
    pub incomplete: String,
    pub outcomes: Vec<Outcome>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Outcome {
    pub id: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_total: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_not_met: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_not_stated: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_not_stated: Option<usize>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<String>,
    /// Why the thresholds are what they are, for the published checklist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Screening {
    /// How an outcome is shown: its label, or its id if the policy has no such outcome.
    pub(crate) fn label<'a>(&'a self, id: &'a str) -> &'a str {
        self.outcomes
            .iter()
            .find(|o| o.id == id)
            .map_or(id, |o| o.label.as_str())
    }
}

impl Outcome {
    pub(crate) fn is_unconditional(&self) -> bool {
        self.min_total.is_none()
            && self.max_not_met.is_none()
            && self.max_not_stated.is_none()
            && self.min_not_stated.is_none()
            && self.required.is_empty()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LimitsConfig {
    pub rule_operations: Option<u64>,
    pub rule_millis: Option<u64>,
    pub appraisal_millis: Option<u64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleOverride {
    pub weight: Option<f64>,
    pub enabled: Option<bool>,
}

impl RuleOverride {
    pub(crate) fn is_enabled(&self) -> bool {
        self.enabled.unwrap_or(true)
    }
}

/// The JSON Schema every `checklist.toml` is checked against.
pub(crate) const CHECKLIST_SCHEMA: &str = include_str!("../../schemas/checklist.schema.json");

fn schema() -> Option<&'static jsonschema::Validator> {
    static V: std::sync::OnceLock<Option<jsonschema::Validator>> = std::sync::OnceLock::new();
    V.get_or_init(|| {
        serde_json::from_str::<serde_json::Value>(CHECKLIST_SCHEMA)
            .ok()
            .and_then(|s| jsonschema::draft202012::new(&s).ok())
    })
    .as_ref()
}

/// Parses `checklist.toml`: TOML syntax, then `schemas/checklist.schema.json`, then the shape
/// the engine reads. Every problem carries line:column.
pub(crate) fn parse(file: &str, text: &str) -> Result<RawConfig, Vec<Diagnostic>> {
    let located = |e: &toml::de::Error| {
        let msg = e.message().trim().trim_end_matches('.').to_string();
        let mut d = Diagnostic::error(file, lower_first(&msg));
        if let Some(span) = e.span() {
            let (l, c) = line_col(text, span.start);
            d = d.at_in(text, l, c);
        }
        d
    };
    let value: toml::Value = toml::from_str(text).map_err(|e| vec![located(&e)])?;
    if let (Some(v), Ok(json)) = (schema(), serde_json::to_value(&value)) {
        let mut problems = Vec::new();
        for err in v.iter_errors(&json) {
            let pointer = err.instance_path().to_string();
            let path = crate::proposal::pointer_to_path(&pointer);
            let locate = |d: Diagnostic, p: &str, key: bool| match crate::proposal::toml_position(
                text, p, key,
            ) {
                Some((l, c)) => d.at_in(text, l, c),
                None => d,
            };
            match err.kind() {
                jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
                    // The keys allowed here, from the schema node that refused the extra ones.
                    let node = err.schema_path().to_string();
                    let node = node.trim_end_matches("/additionalProperties");
                    let allowed: Vec<String> =
                        serde_json::from_str::<serde_json::Value>(CHECKLIST_SCHEMA)
                            .ok()
                            .and_then(|s| {
                                s.pointer(node)
                                    .and_then(|n| n.get("properties"))
                                    .and_then(|p| p.as_object())
                                    .map(|p| p.keys().cloned().collect())
                            })
                            .unwrap_or_default();
                    for key in unexpected {
                        let full = if path.is_empty() {
                            key.clone()
                        } else {
                            format!("{path}.{key}")
                        };
                        let mut d = Diagnostic::error(file, format!("unknown key `{full}`"));
                        d = match crate::suggest::did_you_mean(
                            key,
                            allowed.iter().map(String::as_str),
                        ) {
                            Some(s) => d.help(format!("did you mean `{s}`?")),
                            None => d.help(format!("the keys here are: {}", allowed.join(", "))),
                        };
                        problems.push(locate(d, &format!("{pointer}/{key}"), true));
                    }
                }
                jsonschema::error::ValidationErrorKind::Required { property } => {
                    let key = property.as_str().unwrap_or_default();
                    let full = if path.is_empty() {
                        key.to_string()
                    } else {
                        format!("{path}.{key}")
                    };
                    problems.push(locate(
                        Diagnostic::error(file, format!("missing `{full}`")),
                        &pointer,
                        true,
                    ));
                }
                _ => {
                    let mut d = Diagnostic::error(
                        file,
                        crate::proposal::expected(err.kind(), err.instance()),
                    );
                    if !path.is_empty() {
                        d = d.field(path);
                    }
                    problems.push(locate(d, &pointer, false));
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
    }
    toml::from_str::<RawConfig>(text).map_err(|e| vec![located(&e)])
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Checks what the shape cannot: unique ids, ordered bands, an outcome for every bid.
/// `rule_ids` are the ids of every rule found, to check overrides and `required`.
pub(crate) fn validate(file: &str, text: &str, c: &Config, rule_ids: &[&str]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let at = |needle: &str, msg: String| -> Diagnostic {
        let d = Diagnostic::error(file, msg);
        match text.find(needle) {
            Some(off) => {
                let (l, col) = line_col(text, off);
                d.at_in(text, l, col)
            }
            None => d,
        }
    };
    if c.checklist.name.trim().is_empty() {
        out.push(at("name", "the checklist needs a `name`".into()));
    }
    if c.checklist.version.trim().is_empty() {
        out.push(at("version", "the checklist needs a `version`".into()));
    }
    if c.indicators.is_empty() {
        out.push(Diagnostic::error(
            file,
            "the checklist defines no `[[indicators]]`",
        ));
    }
    if c.themes.is_empty() {
        out.push(Diagnostic::error(
            file,
            "the checklist defines no `[[themes]]`",
        ));
    }
    dupes(
        &mut out,
        &at,
        "indicator",
        c.indicators.iter().map(|i| i.id.as_str()),
    );
    dupes(
        &mut out,
        &at,
        "theme",
        c.themes.iter().map(|t| t.id.as_str()),
    );
    dupes(&mut out, &at, "band", c.bands.iter().map(|b| b.id.as_str()));
    dupes(
        &mut out,
        &at,
        "outcome",
        c.screening.outcomes.iter().map(|o| o.id.as_str()),
    );

    match c.bands.split_last() {
        None => out.push(Diagnostic::error(
            file,
            "the checklist defines no `[[bands]]`",
        )),
        Some((last, rest)) => {
            if last.min.is_some() {
                out.push(
                    at(
                        &format!("\"{}\"", last.id),
                        format!("the last band `{}` must have no `min`", last.id),
                    )
                    .help("the last band catches every score below the others"),
                );
            }
            let mut prev = f64::INFINITY;
            for b in rest {
                match b.min {
                    None => out.push(at(
                        &format!("\"{}\"", b.id),
                        format!("band `{}` needs a `min`; only the last band has none", b.id),
                    )),
                    Some(m) if m >= prev || !m.is_finite() => out.push(
                        at(
                            &format!("\"{}\"", b.id),
                            format!(
                                "band `{}` has `min = {m}`, not below the band before it",
                                b.id
                            ),
                        )
                        .help("list bands best first, each `min` lower than the last"),
                    ),
                    Some(m) => prev = m,
                }
            }
        }
    }

    match c.screening.outcomes.split_last() {
        None => out.push(Diagnostic::error(
            file,
            "the screening policy has no `[[screening.outcomes]]`",
        )),
        Some((last, _)) => {
            if !last.is_unconditional() {
                out.push(
                    at(
                        &format!("\"{}\"", last.id),
                        format!("the last outcome `{}` must have no conditions", last.id),
                    )
                    .help("the last outcome is what a bid gets when no other applies"),
                );
            }
        }
    }
    let outcome_ids: Vec<&str> = c.screening.outcomes.iter().map(|o| o.id.as_str()).collect();
    if !outcome_ids.contains(&c.screening.incomplete.as_str()) {
        out.push(with_suggestion(
            at(
                "incomplete",
                format!(
                    "`incomplete = \"{}\"` names no outcome",
                    c.screening.incomplete
                ),
            ),
            &c.screening.incomplete,
            &outcome_ids,
        ));
    }
    for o in &c.screening.outcomes {
        for r in &o.required {
            if !rule_ids.contains(&r.as_str()) {
                out.push(with_suggestion(
                    at(
                        &format!("\"{r}\""),
                        format!(
                            "outcome `{}` requires rule `{r}`, which does not exist",
                            o.id
                        ),
                    ),
                    r,
                    rule_ids,
                ));
            }
        }
    }
    for (id, o) in &c.rules {
        if !rule_ids.contains(&id.as_str()) {
            out.push(with_suggestion(
                at(
                    &format!("[rules.{id}]"),
                    format!("`[rules.{id}]` overrides a rule that does not exist"),
                ),
                id,
                rule_ids,
            ));
        }
        if let Some(w) = o.weight
            && !(0.0..=5.0).contains(&w)
        {
            out.push(at(
                &format!("[rules.{id}]"),
                format!("weight {w} for `{id}` is outside 0 to 5"),
            ));
        }
    }
    if let Some(0) = c.limits.rule_operations {
        out.push(at(
            "rule_operations",
            "`rule_operations` must be above 0".into(),
        ));
    }
    out
}

fn with_suggestion(d: Diagnostic, word: &str, options: &[&str]) -> Diagnostic {
    match crate::suggest::did_you_mean(word, options.iter().copied()) {
        Some(s) => d.help(format!("did you mean `{s}`?")),
        None => d,
    }
}

fn dupes<'a>(
    out: &mut Vec<Diagnostic>,
    at: &dyn Fn(&str, String) -> Diagnostic,
    what: &str,
    ids: impl Iterator<Item = &'a str>,
) {
    let mut seen: Vec<&str> = Vec::new();
    for id in ids {
        if seen.contains(&id) {
            out.push(at(
                &format!("\"{id}\""),
                format!("{what} `{id}` is defined twice"),
            ));
        } else {
            seen.push(id);
        }
    }
}
