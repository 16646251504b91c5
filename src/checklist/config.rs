//! `checklist.toml`: the checklist's name and version, indicators, themes, bands, screening
//! policy, limits and per-rule overrides. `parse.rs` reads one file (syntax, then the JSON
//! Schema, then the shape), `resolve` puts a layer on top of its base, and `validate.rs` checks
//! what a shape cannot — with line:column on every problem.

mod parse;
mod validate;

pub(crate) use parse::parse;
pub(crate) use validate::validate;

use crate::diagnostic::Diagnostic;
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
    pub scoring: ScoringConfig,
    pub rules: IndexMap<String, RuleOverride>,
    /// Which layer each part of the config comes from: (`bands`, `stronger 2026.1`), …
    pub origins: Vec<(String, String)>,
}

impl Config {
    /// Whether the theme is a profile (soundness): its rules add to it alone.
    pub(crate) fn is_profile(&self, theme: &str) -> bool {
        self.themes.iter().any(|t| t.profile && t.id == theme)
    }
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
    pub scoring: ScoringConfig,
    #[serde(default)]
    pub rules: IndexMap<String, RuleOverride>,
}

impl RawConfig {
    /// The effective config of this layer on top of `base` (or alone).
    pub(crate) fn resolve(self, file: &str, base: Option<&Config>) -> Result<Config, Diagnostic> {
        let me = format!("{} {}", self.checklist.name, self.checklist.version);
        match base {
            None => self.alone(file, &me),
            Some(base) => Ok(self.on_base(base, &me)),
        }
    }

    /// A checklist with no base: it must have a screening policy, and owns every part.
    fn alone(self, file: &str, me: &str) -> Result<Config, Diagnostic> {
        let screening = self.screening.ok_or_else(|| {
            Diagnostic::error(file, "the checklist has no `[screening]` policy")
                .help("add `[screening]` with `incomplete = \"…\"` and `[[screening.outcomes]]`, or build on another checklist with `base = \"default\"`")
        })?;
        let mut origins: Vec<(String, String)> = ["indicators", "themes", "bands", "screening"]
            .iter()
            .map(|part| (part.to_string(), me.to_string()))
            .collect();
        origins.extend(
            self.rules
                .keys()
                .map(|id| (format!("rules.{id}"), me.to_string())),
        );
        Ok(Config {
            checklist: self.checklist,
            indicators: self.indicators,
            themes: self.themes,
            bands: self.bands,
            screening,
            limits: self.limits,
            scoring: self.scoring,
            rules: self.rules,
            origins,
        })
    }

    /// This layer over its base's effective config: what it defines replaces or adds to the
    /// base's (indicators and themes by id, bands and screening whole, limits and rule overrides
    /// one value at a time), and the origins say so.
    fn on_base(self, base: &Config, me: &str) -> Config {
        let parts = self.parts();
        let mut out = base.clone();
        out.checklist = self.checklist;
        for part in parts {
            out.origins.retain(|(p, _)| *p != part);
            out.origins.push((part, me.to_string()));
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
        let limits = &mut out.limits;
        limits.rule_operations = self.limits.rule_operations.or(limits.rule_operations);
        limits.rule_millis = self.limits.rule_millis.or(limits.rule_millis);
        limits.appraisal_millis = self.limits.appraisal_millis.or(limits.appraisal_millis);
        let scoring = &mut out.scoring;
        scoring.unverified_per_indicator = self
            .scoring
            .unverified_per_indicator
            .or(scoring.unverified_per_indicator);
        scoring.unverified_total = self.scoring.unverified_total.or(scoring.unverified_total);
        for (id, o) in self.rules {
            let slot = out.rules.entry(id).or_default();
            if o.weight.is_some() {
                slot.weight = o.weight;
            }
            if o.enabled.is_some() {
                slot.enabled = o.enabled;
            }
        }
        out
    }

    /// The parts of the config this layer defines, as the origins name them.
    fn parts(&self) -> Vec<String> {
        let mut parts: Vec<String> = Vec::new();
        parts.extend(
            self.indicators
                .iter()
                .map(|i| format!("indicator {}", i.id)),
        );
        parts.extend(self.themes.iter().map(|t| format!("theme {}", t.id)));
        if !self.bands.is_empty() {
            parts.push("bands".to_string());
        }
        if self.screening.is_some() {
            parts.push("screening".to_string());
        }
        if self.scoring.unverified_per_indicator.is_some()
            || self.scoring.unverified_total.is_some()
        {
            parts.push("scoring".to_string());
        }
        parts.extend(self.rules.keys().map(|id| format!("rules.{id}")));
        parts
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
    /// A profile (soundness): its rules' impacts make a score of their own, shown beside the
    /// indicators and read by the screening policy, but added to no indicator and not to the
    /// total that ranks bids.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub profile: bool,
    /// The profile's own bands, best first; none: the checklist's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bands: Vec<Band>,
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
    /// The best outcome a bid that contradicts itself can get: a ceiling, so it never raises
    /// an outcome. `None`: contradictions matter only through the outcomes' conditions.
    #[serde(default)]
    pub contradicted: Option<String>,
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
    /// At most this many contradictions found in the bid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_contradictions: Option<usize>,
    /// At most this many core indicators are harmed: in the lowest band (issue 18).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_harmed: Option<usize>,
    /// At least this many core indicators are harmed (an outcome such as "mitigate first").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_harmed: Option<usize>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<String>,
    /// At least this share (0 to 1) of the positive score rests on more than prose: a stated
    /// field, an evidence entry, a committed partner or a measured target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_verified_share: Option<f64>,
    /// Profiles (themes with `profile = true`) whose score must reach at least this:
    /// `{ soundness = 3.0 }`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub min_profile: IndexMap<String, f64>,
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
            && self.max_contradictions.is_none()
            && self.max_harmed.is_none()
            && self.min_harmed.is_none()
            && self.required.is_empty()
            && self.min_verified_share.is_none()
            && self.min_profile.is_empty()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LimitsConfig {
    pub rule_operations: Option<u64>,
    pub rule_millis: Option<u64>,
    pub appraisal_millis: Option<u64>,
}

/// How findings count towards scores.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScoringConfig {
    /// The most unverified findings (prose alone) add to one indicator, weighted; each concept
    /// counts once. `None`: no ceiling.
    pub unverified_per_indicator: Option<f64>,
    /// The most unverified findings add to the whole appraisal.
    pub unverified_total: Option<f64>,
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
