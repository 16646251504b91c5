//! Rules against the config: each rule's id is its own, its theme exists and names its folder,
//! the bid fields it reads are proposal fields, and the indicators it declares exist. Used when
//! a checklist is loaded and when the playground replaces one rule.

use super::{Config, Rule, SourceFile};
use crate::diagnostic::{Diagnostic, line_col};
use crate::proposal::Fields;
use crate::reading::Lexicon;
use crate::suggest::did_you_mean;

/// Every problem of `rules` (from `files`, shown under `root`) against `config`, rule by rule.
/// A checklist with a base may have no rules of its own; one without must have some.
pub(super) fn rules_against_config(
    config: &Config,
    rules: &[Rule],
    files: &[SourceFile],
    root: &str,
    fields: &Fields,
    lexicon: &Lexicon,
    has_base: bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for r in rules {
        let src = files
            .iter()
            .find(|f| f.rel == r.file)
            .map(|f| f.text.as_str())
            .unwrap_or("");
        let at = Site { rule: r, src };
        match seen.iter().find(|(id, _)| *id == r.meta.id) {
            Some((_, other)) => out.push(duplicate_id(&at, root, other)),
            None => seen.push((&r.meta.id, &r.file)),
        }
        out.extend(theme(&at, config));
        out.extend(reads(&at, fields));
        out.extend(concepts(&at, lexicon));
        out.extend(indicators(&at, config));
    }
    if !has_base && rules.is_empty() && !files.iter().any(|f| f.is_rule()) {
        out.push(Diagnostic::error(
            format!("{root}/"),
            "the checklist has no rules (`*.rhai` files in theme folders)",
        ));
    }
    out
}

/// Each field a contradiction of the concepts files sets against the prose is a proposal field
/// outside any list, and its value fits it: `true` or `false` for a yes or no, a whole number for
/// a count or an amount.
pub(super) fn contradiction_fields(lexicon: &Lexicon, fields: &Fields) -> Vec<Diagnostic> {
    use crate::proposal::FieldKind;
    use crate::reading::FieldValue;
    lexicon.check_contradiction_fields(|path, value| {
        let Some(kind) = fields.kind(path) else {
            let help = fields.suggest(path).map(|s| format!("did you mean `{s}`?"));
            return Some((format!("the proposal has no field `{path}`"), help, false));
        };
        let mut prefix = String::new();
        for part in path.split('.') {
            if matches!(fields.kind(&prefix), Some(FieldKind::Records)) {
                return Some((
                    format!("`{path}` is a field of each entry of a list"),
                    Some("a contradiction sets one field of the bid against its prose: name one outside `partners`, `outcomes` or `evidence`".into()),
                    false,
                ));
            }
            prefix = crate::diagnostic::dotted(&prefix, part);
        }
        let fits = matches!(
            (kind, value),
            (FieldKind::Bool, FieldValue::Bool(_))
                | (FieldKind::Integer | FieldKind::Number, FieldValue::Number(_))
        );
        (!fits).then(|| {
            (
                format!("`{path}` cannot be {}", value.shown()),
                Some(format!("`{path}` is {}", kind_words(kind))),
                true,
            )
        })
    })
}

fn kind_words(kind: &crate::proposal::FieldKind) -> &'static str {
    use crate::proposal::FieldKind;
    match kind {
        FieldKind::Bool => "true or false",
        FieldKind::Integer => "a whole number",
        FieldKind::Number => "a number",
        FieldKind::Group => "a group of fields: name one of them",
        FieldKind::Records => "a list of entries",
        FieldKind::List => "a list of text",
        FieldKind::Text | FieldKind::Choice(_) => "text, which no value of a contradiction can be",
    }
}

/// A rule and its source, to point a problem at the place it names.
struct Site<'a> {
    rule: &'a Rule,
    src: &'a str,
}

impl Site<'_> {
    /// An error about the rule, at the first place its source holds `needle`.
    fn error(&self, needle: &str, msg: String) -> Diagnostic {
        let d = Diagnostic::error(&self.rule.shown, msg);
        match self.src.find(needle) {
            Some(off) => {
                let (l, c) = line_col(self.src, off);
                d.at_in(self.src, l, c)
            }
            None => d,
        }
    }
}

fn duplicate_id(at: &Site<'_>, root: &str, other: &str) -> Diagnostic {
    at.error(
        "id:",
        format!(
            "rule id `{}` is also used by {root}/{other}",
            at.rule.meta.id
        ),
    )
    .help("every rule needs its own id")
}

/// The rule's theme is one the config defines, and the folder the rule is in.
fn theme(at: &Site<'_>, config: &Config) -> Option<Diagnostic> {
    let theme = &at.rule.meta.theme;
    let themes: Vec<&str> = config.themes.iter().map(|t| t.id.as_str()).collect();
    if !themes.contains(&theme.as_str()) {
        let d = at.error(
            "theme:",
            format!("theme `{theme}` is not defined in checklist.toml"),
        );
        return Some(match did_you_mean(theme, themes.iter().copied()) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help(format!("the themes are: {}", themes.join(", "))),
        });
    }
    let folder = at.rule.file.split('/').next().unwrap_or("");
    (folder != theme).then(|| {
        at.error(
            "theme:",
            format!("the rule is in folder `{folder}` but its theme is `{theme}`"),
        )
        .help(format!("move it to `{theme}/`, or change its theme"))
    })
}

/// Every `bid.…` the rule reads that is not a proposal field, at the place it reads it.
fn reads(at: &Site<'_>, fields: &Fields) -> Vec<Diagnostic> {
    at.rule
        .analysis
        .reads
        .iter()
        .filter(|read| fields.kind(&read.path).is_none())
        .map(|read| {
            let d = Diagnostic::error(
                &at.rule.shown,
                format!(
                    "the rule reads `bid.{}`, which is not a proposal field",
                    read.path
                ),
            )
            .at_in(at.src, read.line, read.column);
            match fields.suggest(&read.path) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help("the fields are listed in schemas/proposal.schema.json"),
            }
        })
        .collect()
}

/// Every indicator the rule declares that the config does not define.
fn indicators(at: &Site<'_>, config: &Config) -> Vec<Diagnostic> {
    let defined: Vec<&str> = config.indicators.iter().map(|i| i.id.as_str()).collect();
    at.rule
        .meta
        .indicators
        .iter()
        .filter(|ind| !defined.contains(&ind.as_str()))
        .map(|ind| {
            let d = at.error(
                &format!("\"{ind}\""),
                format!("indicator `{ind}` is not defined in checklist.toml"),
            );
            match did_you_mean(ind, defined.iter().copied()) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d,
            }
        })
        .collect()
}

/// Every concept the rule asks about that the checklist does not define, or does not name in
/// quotes (a concept must be a literal, so it can be checked here rather than fail on a bid).
fn concepts(at: &Site<'_>, lexicon: &Lexicon) -> Vec<Diagnostic> {
    at.rule
        .analysis
        .concepts
        .iter()
        .filter(|c| c.name.as_deref().is_none_or(|n| !lexicon.has_concept(n)))
        .map(|c| {
            let d = |msg: String| {
                Diagnostic::error(&at.rule.shown, msg).at_in(at.src, c.line, c.column)
            };
            match &c.name {
                None => d(format!(
                    "`{}` needs the concept written in quotes, such as \"volunteering\", so it can be checked",
                    c.func
                ))
                .help("a list of names in quotes also works: [\"volunteering\", \"peer_support\"]"),
                Some(n) => {
                    let d = d(format!("the checklist has no concept `{n}`"));
                    match lexicon.suggest(n) {
                        Some(s) => d.help(format!("did you mean `{s}`?")),
                        None => d.help("the concepts are defined in the checklist's concepts.toml; `stronger rules doc` lists them"),
                    }
                }
            }
        })
        .collect()
}

/// A warning at every call of something deprecated in `rules` (this layer's own).
pub(super) fn deprecated_calls(rules: &[&Rule], files: &[SourceFile]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for r in rules {
        let src = files
            .iter()
            .find(|f| f.rel == r.file)
            .map(|f| f.text.as_str())
            .unwrap_or("");
        for d in &r.analysis.deprecated {
            out.push(
                Diagnostic::warning(&r.shown, d.message.clone())
                    .at_in(src, d.line, d.column)
                    .help(d.help.clone()),
            );
        }
    }
    out
}
