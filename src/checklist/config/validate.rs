//! What the shape of `checklist.toml` cannot check: a name and a version, unique ids, bands
//! best first with only the last open, an outcome for every bid, and overrides, requirements
//! and limits that make sense. Each problem points at the place in the file it is about.

use super::{Band, Config, LimitsConfig, RuleOverride, Screening};
use crate::diagnostic::{Diagnostic, line_col};
use crate::suggest::did_you_mean;
use indexmap::IndexMap;

/// Every problem of the effective config `c`, located in this layer's `checklist.toml` (`file`,
/// holding `text`). `rule_ids` are the ids of every rule found, to check overrides and
/// `required`.
pub(crate) fn validate(file: &str, text: &str, c: &Config, rule_ids: &[&str]) -> Vec<Diagnostic> {
    let at = At { file, text };
    let mut out = at.needed(c);
    out.extend(at.unique_ids(c));
    out.extend(at.bands(&c.bands));
    out.extend(at.outcomes(&c.screening, rule_ids));
    out.extend(at.profiles(c));
    out.extend(at.overrides(&c.rules, rule_ids));
    out.extend(at.limits(&c.limits));
    out
}

/// The config file, to point each problem at the first place it holds a word.
struct At<'a> {
    file: &'a str,
    text: &'a str,
}

impl At<'_> {
    /// An error at the first place the file holds `needle` (or at the file).
    fn error(&self, needle: &str, msg: String) -> Diagnostic {
        let d = Diagnostic::error(self.file, msg);
        match self.text.find(needle) {
            Some(off) => {
                let (l, col) = line_col(self.text, off);
                d.at_in(self.text, l, col)
            }
            None => d,
        }
    }

    /// A name, a version, and at least one indicator and one theme.
    fn needed(&self, c: &Config) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        if c.checklist.name.trim().is_empty() {
            out.push(self.error("name", "the checklist needs a `name`".into()));
        }
        if c.checklist.version.trim().is_empty() {
            out.push(self.error("version", "the checklist needs a `version`".into()));
        }
        if c.indicators.is_empty() {
            out.push(Diagnostic::error(
                self.file,
                "the checklist defines no `[[indicators]]`",
            ));
        }
        if c.themes.is_empty() {
            out.push(Diagnostic::error(
                self.file,
                "the checklist defines no `[[themes]]`",
            ));
        }
        out
    }

    /// No indicator, theme, band or outcome defined twice.
    fn unique_ids(&self, c: &Config) -> Vec<Diagnostic> {
        let lists: [(&str, Vec<&str>); 4] = [
            (
                "indicator",
                c.indicators.iter().map(|i| i.id.as_str()).collect(),
            ),
            ("theme", c.themes.iter().map(|t| t.id.as_str()).collect()),
            ("band", c.bands.iter().map(|b| b.id.as_str()).collect()),
            (
                "outcome",
                c.screening.outcomes.iter().map(|o| o.id.as_str()).collect(),
            ),
        ];
        let mut out = Vec::new();
        for (what, ids) in lists {
            let mut seen: Vec<&str> = Vec::new();
            for id in ids {
                if seen.contains(&id) {
                    out.push(self.error(
                        &format!("\"{id}\""),
                        format!("{what} `{id}` is defined twice"),
                    ));
                } else {
                    seen.push(id);
                }
            }
        }
        out
    }

    /// Bands best first: each but the last with a `min` below the one before, the last with none.
    fn bands(&self, bands: &[Band]) -> Vec<Diagnostic> {
        let Some((last, rest)) = bands.split_last() else {
            return vec![Diagnostic::error(
                self.file,
                "the checklist defines no `[[bands]]`",
            )];
        };
        let mut out = Vec::new();
        if last.min.is_some() {
            out.push(
                self.error(
                    &format!("\"{}\"", last.id),
                    format!("the last band `{}` must have no `min`", last.id),
                )
                .help("the last band catches every score below the others"),
            );
        }
        let mut prev = f64::INFINITY;
        for b in rest {
            match b.min {
                None => out.push(self.error(
                    &format!("\"{}\"", b.id),
                    format!("band `{}` needs a `min`; only the last band has none", b.id),
                )),
                Some(m) if m >= prev || !m.is_finite() => out.push(
                    self.error(
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
        out
    }

    /// An outcome for every bid (the last has no conditions), an `incomplete` outcome that
    /// exists, and `required` rules that exist.
    fn outcomes(&self, screening: &Screening, rule_ids: &[&str]) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        match screening.outcomes.last() {
            None => out.push(Diagnostic::error(
                self.file,
                "the screening policy has no `[[screening.outcomes]]`",
            )),
            Some(last) if !last.is_unconditional() => out.push(
                self.error(
                    &format!("\"{}\"", last.id),
                    format!("the last outcome `{}` must have no conditions", last.id),
                )
                .help("the last outcome is what a bid gets when no other applies"),
            ),
            Some(_) => {}
        }
        let outcome_ids: Vec<&str> = screening.outcomes.iter().map(|o| o.id.as_str()).collect();
        let incomplete = &screening.incomplete;
        if !outcome_ids.contains(&incomplete.as_str()) {
            out.push(with_suggestion(
                self.error(
                    "incomplete",
                    format!("`incomplete = \"{incomplete}\"` names no outcome"),
                ),
                incomplete,
                &outcome_ids,
            ));
        }
        if let Some(c) = &screening.contradicted
            && !outcome_ids.contains(&c.as_str())
        {
            out.push(with_suggestion(
                self.error(
                    "contradicted",
                    format!("`contradicted = \"{c}\"` names no outcome"),
                ),
                c,
                &outcome_ids,
            ));
        }
        for o in &screening.outcomes {
            for r in o
                .required
                .iter()
                .filter(|r| !rule_ids.contains(&r.as_str()))
            {
                out.push(with_suggestion(
                    self.error(
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
        out
    }

    /// A profile's own bands are well formed, and every `min_profile` names a profile.
    fn profiles(&self, c: &Config) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = c
            .themes
            .iter()
            .filter(|t| !t.bands.is_empty())
            .flat_map(|t| self.bands(&t.bands))
            .collect();
        let profiles: Vec<&str> = c
            .themes
            .iter()
            .filter(|t| t.profile)
            .map(|t| t.id.as_str())
            .collect();
        for o in &c.screening.outcomes {
            for p in o
                .min_profile
                .keys()
                .filter(|p| !profiles.contains(&p.as_str()))
            {
                out.push(with_suggestion(
                    self.error(
                        p,
                        format!(
                            "outcome `{}` asks for the profile `{p}`, which is no theme with `profile = true`",
                            o.id
                        ),
                    ),
                    p,
                    &profiles,
                ));
            }
        }
        out
    }

    /// `[rules.ID]` overrides of rules that exist, with weights from 0 to 5.
    fn overrides(
        &self,
        rules: &IndexMap<String, RuleOverride>,
        rule_ids: &[&str],
    ) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (id, o) in rules {
            if !rule_ids.contains(&id.as_str()) {
                out.push(with_suggestion(
                    self.error(
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
                out.push(self.error(
                    &format!("[rules.{id}]"),
                    format!("weight {w} for `{id}` is outside 0 to 5"),
                ));
            }
        }
        out
    }

    fn limits(&self, limits: &LimitsConfig) -> Option<Diagnostic> {
        (limits.rule_operations == Some(0)).then(|| {
            self.error(
                "rule_operations",
                "`rule_operations` must be above 0".into(),
            )
        })
    }
}

fn with_suggestion(d: Diagnostic, word: &str, options: &[&str]) -> Diagnostic {
    match did_you_mean(word, options.iter().copied()) {
        Some(s) => d.help(format!("did you mean `{s}`?")),
        None => d,
    }
}
