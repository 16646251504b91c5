//! One concepts file (`concepts.toml`) parsed and checked: every key known, every phrase
//! usable, every limit kept. Each problem is located at file:line:column.
//!
//! The file is walked from `toml`'s spanned tables rather than deserialised, so an unknown key
//! gets a did-you-mean and every phrase keeps where it was written (for the warnings that only
//! the merged layers can tell, in `layers.rs`).

use super::claims::Side;
use super::pattern::split_gaps;
use super::tokens::phrase_words;
use crate::diagnostic::{Diagnostic, line_col};
use std::ops::Range;
use std::sync::Arc;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Most concepts one file may define.
pub(crate) const MAX_CONCEPTS: usize = 2_000;
/// Most phrases (or exclusions, or actor phrases) one concept or actor may list.
pub(crate) const MAX_PHRASES: usize = 1_000;
/// Most words in one phrase, trigger or exclusion.
pub(crate) const MAX_PHRASE_WORDS: usize = 12;
/// Longest phrase, in bytes.
pub(crate) const MAX_PHRASE_BYTES: usize = 200;
/// Most entries in one trigger list.
pub(crate) const MAX_TRIGGERS: usize = 2_000;
/// Most actors one file may define.
pub(crate) const MAX_ACTORS: usize = 200;
/// The largest `scope_words` and `gap_words`.
pub(crate) const MAX_SCOPE_WORDS: i64 = 50;
pub(crate) const MAX_GAP_WORDS: i64 = 8;

/// Words that cannot make a phrase on their own: a phrase of these alone would match almost
/// every sentence.
pub(crate) const STOP_WORDS: &[&str] = &[
    "a", "about", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by",
    "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he", "her", "his",
    "i", "if", "in", "into", "is", "it", "its", "may", "more", "most", "must", "no", "not", "of",
    "on", "or", "our", "out", "she", "should", "so", "some", "than", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "those", "to", "up", "us", "was", "we",
    "were", "what", "when", "which", "who", "will", "with", "would", "you", "your",
];

/// The kinds of trigger list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TriggerKind {
    Negated,
    Hedged,
    Past,
    /// Look like triggers, are not ("not only", "no doubt").
    Pseudo,
    /// End a trigger's reach ("but", "however").
    Terminate,
}

impl TriggerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TriggerKind::Negated => "negated",
            TriggerKind::Hedged => "hedged",
            TriggerKind::Past => "past",
            TriggerKind::Pseudo => "pseudo",
            TriggerKind::Terminate => "terminate",
        }
    }
}

/// Which way a trigger reaches: to the words after it, or before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Forward,
    Backward,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Forward => "forward",
            Direction::Backward => "backward",
        }
    }
}

/// Where something was written: the file, its text (for the caret display) and a byte offset.
#[derive(Debug, Clone)]
pub(crate) struct Place {
    pub file: Arc<str>,
    pub source: Arc<str>,
    pub offset: usize,
}

impl Place {
    pub(crate) fn error(&self, message: impl Into<String>) -> Diagnostic {
        self.locate(Diagnostic::error(self.file.as_ref(), message))
    }

    pub(crate) fn warning(&self, message: impl Into<String>) -> Diagnostic {
        self.locate(Diagnostic::warning(self.file.as_ref(), message))
    }

    fn locate(&self, d: Diagnostic) -> Diagnostic {
        let (l, c) = line_col(&self.source, self.offset);
        d.at_in(&self.source, l, c)
    }
}

/// A phrase and where it was written.
#[derive(Debug, Clone)]
pub(crate) struct Phrase {
    pub text: String,
    pub place: Place,
}

#[derive(Debug, Clone)]
pub(crate) struct TriggerDef {
    pub kind: TriggerKind,
    pub direction: Option<Direction>,
    pub phrases: Vec<Phrase>,
    pub place: Place,
}

impl TriggerDef {
    /// The list's key in the file: `triggers.negated.forward`, `triggers.pseudo`.
    pub(crate) fn key(&self) -> String {
        match self.direction {
            Some(d) => format!("triggers.{}.{}", self.kind.as_str(), d.as_str()),
            None => format!("triggers.{}", self.kind.as_str()),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct ActorDef {
    pub id: Arc<str>,
    pub side: Side,
    pub description: Option<String>,
    pub phrases: Vec<Phrase>,
    pub place: Place,
}

#[derive(Debug, Clone)]
pub(crate) struct ConceptDef {
    pub id: Arc<str>,
    pub description: String,
    pub phrases: Vec<Phrase>,
    pub exclude: Vec<Phrase>,
    pub place: Place,
}

/// One parsed and checked concepts file: the base checklist's, or a layer over it.
#[derive(Debug, Clone)]
pub struct LexiconLayer {
    pub(crate) scope_words: Option<(usize, Place)>,
    pub(crate) gap_words: Option<(usize, Place)>,
    pub(crate) triggers: Vec<TriggerDef>,
    pub(crate) actors: Vec<ActorDef>,
    pub(crate) concepts: Vec<ConceptDef>,
    pub(crate) contradictions: Vec<super::contradictions::ContradictionDef>,
}

/// Walks one file, collecting every problem rather than stopping at the first.
pub(super) struct Walker {
    file: Arc<str>,
    source: Arc<str>,
    pub(super) problems: Vec<Diagnostic>,
}

pub(super) type Entry<'a, 'i> = (
    &'a Spanned<std::borrow::Cow<'i, str>>,
    &'a Spanned<DeValue<'i>>,
);

impl Walker {
    pub(super) fn place(&self, span: Range<usize>) -> Place {
        Place {
            file: self.file.clone(),
            source: self.source.clone(),
            offset: span.start,
        }
    }

    pub(super) fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        let d = self.place(span).error(message);
        self.problems.push(d);
    }

    pub(super) fn error_help(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let d = self.place(span).error(message).help(help);
        self.problems.push(d);
    }

    /// The entries of a table in file order, each key checked against `allowed`.
    pub(super) fn entries<'a, 'i>(
        &mut self,
        table: &'a DeTable<'i>,
        path: &str,
        allowed: &[&str],
    ) -> Vec<Entry<'a, 'i>> {
        let mut out: Vec<Entry<'a, 'i>> = table.iter().collect();
        out.sort_by_key(|(k, _)| k.span().start);
        out.retain(|(k, _)| {
            let key = k.get_ref().as_ref();
            if allowed.is_empty() || allowed.contains(&key) {
                return true;
            }
            let full = if path.is_empty() {
                key.to_string()
            } else {
                format!("{path}.{key}")
            };
            let help = match crate::suggest::did_you_mean(key, allowed.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("the keys here are: {}", allowed.join(", ")),
            };
            self.error_help(k.span(), format!("unknown key `{full}`"), help);
            false
        });
        out
    }

    pub(super) fn table<'a, 'i>(
        &mut self,
        v: &'a Spanned<DeValue<'i>>,
        path: &str,
    ) -> Option<&'a DeTable<'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => {
                self.error(v.span(), format!("`{path}` must be a table"));
                None
            }
        }
    }

    pub(super) fn text(&mut self, v: &Spanned<DeValue<'_>>, path: &str) -> Option<String> {
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                self.error(v.span(), format!("`{path}` must be text"));
                None
            }
        }
    }

    pub(super) fn whole(
        &mut self,
        v: &Spanned<DeValue<'_>>,
        path: &str,
        max: i64,
    ) -> Option<(usize, Place)> {
        let n = match v.get_ref() {
            DeValue::Integer(i) => i.as_str().replace('_', "").parse::<i64>().ok(),
            _ => None,
        };
        match n {
            Some(n) if (1..=max).contains(&n) => Some((n as usize, self.place(v.span()))),
            _ => {
                self.error(
                    v.span(),
                    format!("`{path}` must be a whole number from 1 to {max}"),
                );
                None
            }
        }
    }
}

/// What a phrase list is for: it decides which checks apply.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ListUse {
    /// Concept phrases and exclusions: no phrase of stop words only.
    Concept,
    /// Triggers and actors: "no", "if", "we" are what they are made of.
    Function,
}

impl Walker {
    /// A list of phrases, each checked.
    pub(super) fn phrases(
        &mut self,
        v: &Spanned<DeValue<'_>>,
        path: &str,
        max: usize,
        using: ListUse,
    ) -> Vec<Phrase> {
        let DeValue::Array(items) = v.get_ref() else {
            self.error(v.span(), format!("`{path}` must be a list of phrases"));
            return Vec::new();
        };
        if items.len() > max {
            self.error_help(
                v.span(),
                format!(
                    "`{path}` lists {} phrases; at most {max} are allowed",
                    items.len()
                ),
                "split the list in two, or drop phrases that other phrases already find",
            );
        }
        let mut out = Vec::new();
        for item in items.iter().take(max) {
            let Some(text) = self.text(item, path) else {
                continue;
            };
            if let Some((message, help)) = phrase_problem(&text, using) {
                let d = self.place(item.span()).error(message);
                self.problems.push(match help {
                    Some(h) => d.help(h),
                    None => d,
                });
                continue;
            }
            out.push(Phrase {
                text,
                place: self.place(item.span()),
            });
        }
        out
    }
}

/// What is wrong with a phrase, if anything: the message and a help line.
fn phrase_problem(text: &str, using: ListUse) -> Option<(String, Option<String>)> {
    let t = text.trim();
    if t.len() > MAX_PHRASE_BYTES {
        return Some((
            format!(
                "the phrase `{}…` is longer than {MAX_PHRASE_BYTES} bytes",
                t.chars().take(40).collect::<String>()
            ),
            Some("a phrase is a few words that name the thing".into()),
        ));
    }
    let parts = split_gaps(t);
    let words: Vec<String> = parts
        .iter()
        .flat_map(|p| phrase_words(p))
        .map(|(w, _)| w)
        .collect();
    if words.is_empty() && !(using == ListUse::Function && t.contains('#')) {
        return Some((
            "empty phrase".into(),
            Some("write the words to look for, or remove the entry".into()),
        ));
    }
    if t.starts_with("...")
        || t.ends_with("...")
        || t.split("...").skip(1).any(|p| p.trim().is_empty())
    {
        return Some((
            format!("`...` in `{t}` must stand between two words"),
            Some(
                "`...` stands for a few words between two words, e.g. `bring ... together`".into(),
            ),
        ));
    }
    if words.len() > MAX_PHRASE_WORDS {
        return Some((
            format!("the phrase `{t}` has more than {MAX_PHRASE_WORDS} words"),
            None,
        ));
    }
    if using == ListUse::Concept && words.iter().all(|w| STOP_WORDS.contains(&w.as_str())) {
        return Some((
            format!("the phrase `{t}` is made of stop words only"),
            Some("words like `the`, `and`, `we` are in nearly every sentence: add the word that names the thing".into()),
        ));
    }
    None
}

/// Ids are lowercase words joined by `_`: they are written in rules.
pub(super) fn id_problem(id: &str) -> Option<String> {
    let ok = id.len() <= 64
        && id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    (!ok).then(|| {
        format!("`{id}` is not a usable id: use lowercase letters, digits and `_`, at most 64")
    })
}

/// Parses and checks one concepts file.
pub(crate) fn parse(file: &str, text: &str) -> Result<LexiconLayer, Vec<Diagnostic>> {
    let root = DeTable::parse(text).map_err(|e| {
        let msg = e.message().trim().trim_end_matches('.').to_string();
        let mut d = Diagnostic::error(file, crate::diagnostic::lower_first(&msg));
        if let Some(span) = e.span() {
            let (l, c) = line_col(text, span.start);
            d = d.at_in(text, l, c);
        }
        vec![d]
    })?;
    let mut w = Walker {
        file: file.into(),
        source: text.into(),
        problems: Vec::new(),
    };
    let mut layer = LexiconLayer {
        scope_words: None,
        gap_words: None,
        triggers: Vec::new(),
        actors: Vec::new(),
        concepts: Vec::new(),
        contradictions: Vec::new(),
    };
    for (k, v) in w.entries(
        root.get_ref(),
        "",
        &[
            "reading",
            "triggers",
            "actors",
            "concepts",
            "contradictions",
        ],
    ) {
        match k.get_ref().as_ref() {
            "reading" => reading(&mut w, v, &mut layer),
            "triggers" => triggers(&mut w, v, &mut layer),
            "actors" => actors(&mut w, v, &mut layer),
            "contradictions" => {
                layer.contradictions = super::contradictions::parse(&mut w, v);
            }
            _ => concepts(&mut w, v, &mut layer),
        }
    }
    if w.problems.is_empty() {
        Ok(layer)
    } else {
        Err(w.problems)
    }
}

fn reading(w: &mut Walker, v: &Spanned<DeValue<'_>>, layer: &mut LexiconLayer) {
    let Some(t) = w.table(v, "reading") else {
        return;
    };
    for (k, v) in w.entries(t, "reading", &["scope_words", "gap_words"]) {
        if k.get_ref() == "scope_words" {
            layer.scope_words = w.whole(v, "reading.scope_words", MAX_SCOPE_WORDS);
        } else {
            layer.gap_words = w.whole(v, "reading.gap_words", MAX_GAP_WORDS);
        }
    }
}

fn triggers(w: &mut Walker, v: &Spanned<DeValue<'_>>, layer: &mut LexiconLayer) {
    let Some(t) = w.table(v, "triggers") else {
        return;
    };
    let kinds = ["negated", "hedged", "past", "pseudo", "terminate"];
    for (k, v) in w.entries(t, "triggers", &kinds) {
        let (kind, directed) = match k.get_ref().as_ref() {
            "negated" => (TriggerKind::Negated, true),
            "hedged" => (TriggerKind::Hedged, true),
            "past" => (TriggerKind::Past, true),
            "pseudo" => (TriggerKind::Pseudo, false),
            _ => (TriggerKind::Terminate, false),
        };
        let path = format!("triggers.{}", kind.as_str());
        if !directed {
            let phrases = w.phrases(v, &path, MAX_TRIGGERS, ListUse::Function);
            let place = w.place(v.span());
            layer.triggers.push(TriggerDef {
                kind,
                direction: None,
                phrases,
                place,
            });
            continue;
        }
        let Some(t) = w.table(v, &path) else { continue };
        for (dk, dv) in w.entries(t, &path, &["forward", "backward"]) {
            let direction = if dk.get_ref() == "forward" {
                Direction::Forward
            } else {
                Direction::Backward
            };
            let path = format!("{path}.{}", direction.as_str());
            let phrases = w.phrases(dv, &path, MAX_TRIGGERS, ListUse::Function);
            let place = w.place(dv.span());
            layer.triggers.push(TriggerDef {
                kind,
                direction: Some(direction),
                phrases,
                place,
            });
        }
    }
}

fn actors(w: &mut Walker, v: &Spanned<DeValue<'_>>, layer: &mut LexiconLayer) {
    let Some(t) = w.table(v, "actors") else {
        return;
    };
    let entries = w.entries(t, "actors", &[]);
    if entries.len() > MAX_ACTORS {
        w.error(
            v.span(),
            format!(
                "the file defines {} actors; at most {MAX_ACTORS} are allowed",
                entries.len()
            ),
        );
    }
    for (k, v) in entries.into_iter().take(MAX_ACTORS) {
        let id = k.get_ref().as_ref();
        if let Some(p) = id_problem(id) {
            w.error(k.span(), p);
            continue;
        }
        let path = format!("actors.{id}");
        let Some(t) = w.table(v, &path) else { continue };
        let (mut side, mut description, mut phrases) = (None, None, None);
        for (fk, fv) in w.entries(t, &path, &["side", "description", "phrases"]) {
            match fk.get_ref().as_ref() {
                "side" => side = actor_side(w, fv, &path),
                "description" => description = w.text(fv, &format!("{path}.description")),
                _ => {
                    phrases = Some(w.phrases(
                        fv,
                        &format!("{path}.phrases"),
                        MAX_PHRASES,
                        ListUse::Function,
                    ))
                }
            }
        }
        let place = w.place(k.span());
        match (side, phrases) {
            (Some(side), Some(phrases)) => layer.actors.push(ActorDef {
                id: id.into(),
                side,
                description,
                phrases,
                place,
            }),
            (None, _) if !has_key(t, "side") => w
                .problems
                .push(place.error(format!("actor `{id}` needs a `side`"))),
            (_, None) => w
                .problems
                .push(place.error(format!("actor `{id}` needs `phrases`"))),
            _ => {}
        }
    }
}

pub(super) fn has_key(t: &DeTable<'_>, key: &str) -> bool {
    t.iter().any(|(k, _)| k.get_ref() == key)
}

fn actor_side(w: &mut Walker, v: &Spanned<DeValue<'_>>, path: &str) -> Option<Side> {
    let s = w.text(v, &format!("{path}.side"))?;
    match s.as_str() {
        "community" => Some(Side::Community),
        "institution" => Some(Side::Institution),
        other => {
            let help = match crate::suggest::did_you_mean(other, ["community", "institution"]) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "a side is `community` or `institution`".into(),
            };
            w.error_help(v.span(), format!("unknown actor side `{other}`"), help);
            None
        }
    }
}

fn concepts(w: &mut Walker, v: &Spanned<DeValue<'_>>, layer: &mut LexiconLayer) {
    let Some(t) = w.table(v, "concepts") else {
        return;
    };
    let entries = w.entries(t, "concepts", &[]);
    if entries.len() > MAX_CONCEPTS {
        w.error(
            v.span(),
            format!(
                "the file defines {} concepts; at most {MAX_CONCEPTS} are allowed",
                entries.len()
            ),
        );
    }
    for (k, v) in entries.into_iter().take(MAX_CONCEPTS) {
        let id = k.get_ref().as_ref();
        if let Some(p) = id_problem(id) {
            w.error(k.span(), p);
            continue;
        }
        if let Some(c) = concept(w, id, k.span(), v) {
            layer.concepts.push(c);
        }
    }
}

fn concept(
    w: &mut Walker,
    id: &str,
    span: Range<usize>,
    v: &Spanned<DeValue<'_>>,
) -> Option<ConceptDef> {
    let path = format!("concepts.{id}");
    let t = w.table(v, &path)?;
    let (mut description, mut phrases, mut exclude) = (None, None, Vec::new());
    let before = w.problems.len();
    let entries = w.entries(t, &path, &["description", "phrases", "exclude"]);
    // A misspelt key has been reported; "needs `phrases`" would only say it again.
    let misspelt = w.problems.len() > before;
    for (fk, fv) in entries {
        match fk.get_ref().as_ref() {
            "description" => description = w.text(fv, &format!("{path}.description")),
            "phrases" => {
                phrases = Some(w.phrases(
                    fv,
                    &format!("{path}.phrases"),
                    MAX_PHRASES,
                    ListUse::Concept,
                ))
            }
            _ => {
                exclude = w.phrases(
                    fv,
                    &format!("{path}.exclude"),
                    MAX_PHRASES,
                    ListUse::Concept,
                )
            }
        }
    }
    let place = w.place(span);
    let description = match description {
        Some(d) if !d.trim().is_empty() => d,
        _ if misspelt => return None,
        _ => {
            w.problems.push(
                place
                    .error(format!("concept `{id}` needs a `description`"))
                    .help("say in a sentence what the concept means, for the published checklist"),
            );
            return None;
        }
    };
    let Some(phrases) = phrases.filter(|p| !p.is_empty()) else {
        if !has_key(t, "phrases") && !misspelt {
            w.problems
                .push(place.error(format!("concept `{id}` needs `phrases`")));
        }
        return None;
    };
    exclusions_of_own_phrases(w, id, &phrases, &exclude);
    Some(ConceptDef {
        id: id.into(),
        description,
        phrases,
        exclude,
        place,
    })
}

/// An exclusion that is also one of its concept's phrases would set aside every mention it finds.
fn exclusions_of_own_phrases(w: &mut Walker, id: &str, phrases: &[Phrase], exclude: &[Phrase]) {
    let finders: Vec<&str> = exclude.iter().map(|x| x.text.as_str()).collect();
    let targets: Vec<&str> = phrases.iter().map(|p| p.text.as_str()).collect();
    let whole = super::layers::whole_matches(&finders, &targets);
    for (xi, x) in exclude.iter().enumerate() {
        let first = whole.iter().find(|(f, _)| *f == xi);
        if let Some(p) = first.and_then(|(_, pi)| phrases.get(*pi)) {
            w.problems.push(
                x.place
                    .error(format!(
                        "`{}` is both a phrase and an exclusion of `{id}`",
                        x.text
                    ))
                    .help(format!(
                        "`{}` would set aside every mention it finds; remove one of them",
                        p.text
                    )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::layers::Lexicon;
    use super::*;

    fn errors(text: &str) -> Vec<Diagnostic> {
        match parse("concepts.toml", text) {
            Ok(_) => panic!("expected errors for {text}"),
            Err(e) => e,
        }
    }

    fn one(text: &str) -> Diagnostic {
        let e = errors(text);
        assert_eq!(e.len(), 1, "{e:#?}");
        e.into_iter().next().unwrap()
    }

    const OK: &str =
        "[concepts.libraries]\ndescription = \"Public libraries.\"\nphrases = [\"library\"]\n";

    #[test]
    fn an_unknown_key_is_located_with_a_suggestion() {
        let d = one("[concepts.libraries]\ndescription = \"d\"\nphrase = [\"library\"]\n");
        assert_eq!(d.message, "unknown key `concepts.libraries.phrase`");
        assert_eq!(d.help.as_deref(), Some("did you mean `phrases`?"));
        assert_eq!(d.location(), "concepts.toml:3:1");
        let d = errors("[concept.x]\ndescription = \"d\"\n").remove(0);
        assert_eq!(d.message, "unknown key `concept`");
        assert_eq!(d.help.as_deref(), Some("did you mean `concepts`?"));
        let d = one("[triggers]\nterminates = [\"but\"]\n");
        assert_eq!(d.message, "unknown key `triggers.terminates`");
        assert_eq!(d.help.as_deref(), Some("did you mean `terminate`?"));
    }

    #[test]
    fn a_duplicate_concept_id_is_an_error() {
        let d = one(&format!("{OK}{OK}"));
        assert_eq!(d.message, "duplicate key");
        assert_eq!(d.location(), "concepts.toml:4:11");
    }

    #[test]
    fn empty_and_stop_word_phrases_are_errors() {
        let d = one("[concepts.x]\ndescription = \"d\"\nphrases = [\"library\", \"  \"]\n");
        assert_eq!(d.message, "empty phrase");
        assert_eq!(d.location(), "concepts.toml:3:23");
        let d = one("[concepts.x]\ndescription = \"d\"\nphrases = [\"the and\"]\n");
        assert_eq!(d.message, "the phrase `the and` is made of stop words only");
        let d = one("[concepts.x]\ndescription = \"d\"\nphrases = [\"... together\"]\n");
        assert_eq!(
            d.message,
            "`...` in `... together` must stand between two words"
        );
        // Triggers and actors are made of small words.
        assert!(parse("f", "[triggers.negated]\nforward = [\"no\", \"n't\"]\n").is_ok());
    }

    #[test]
    fn a_phrase_that_is_its_own_exclusion_is_an_error() {
        let d = one(
            "[concepts.libraries]\ndescription = \"d\"\nphrases = [\"libraries\"]\nexclude = [\"library\"]\n",
        );
        assert_eq!(
            d.message,
            "`library` is both a phrase and an exclusion of `libraries`"
        );
        assert_eq!(d.location(), "concepts.toml:4:12");
        // A longer word with the same stem may be excluded: "parking" is not a park.
        assert!(parse("f", "[concepts.parks]\ndescription = \"d\"\nphrases = [\"park\"]\nexclude = [\"parking\"]\n").is_ok());
    }

    #[test]
    fn an_unknown_actor_side_is_an_error() {
        let d = one("[actors.residents]\nside = \"comunity\"\nphrases = [\"residents\"]\n");
        assert_eq!(d.message, "unknown actor side `comunity`");
        assert_eq!(d.help.as_deref(), Some("did you mean `community`?"));
        assert_eq!(d.location(), "concepts.toml:2:8");
        let d = one("[actors.residents]\nphrases = [\"residents\"]\n");
        assert_eq!(d.message, "actor `residents` needs a `side`");
    }

    #[test]
    fn a_concept_needs_a_description_and_phrases_and_a_usable_id() {
        let d = one("[concepts.x]\nphrases = [\"library\"]\n");
        assert_eq!(d.message, "concept `x` needs a `description`");
        let d = one("[concepts.x]\ndescription = \"d\"\n");
        assert_eq!(d.message, "concept `x` needs `phrases`");
        let d = one("[concepts.Libraries]\ndescription = \"d\"\nphrases = [\"library\"]\n");
        assert_eq!(
            d.message,
            "`Libraries` is not a usable id: use lowercase letters, digits and `_`, at most 64"
        );
        let d = one("[concepts.x]\ndescription = \"d\"\nphrases = \"library\"\n");
        assert_eq!(d.message, "`concepts.x.phrases` must be a list of phrases");
    }

    fn list(n: usize, word: &str) -> String {
        (0..n)
            .map(|i| format!("\"{word}{i}\""))
            .collect::<Vec<_>>()
            .join(",")
    }

    #[test]
    fn every_size_limit_holds() {
        let many = format!(
            "[concepts.x]\ndescription = \"d\"\nphrases = [{}]\n",
            list(MAX_PHRASES + 1, "w")
        );
        assert_eq!(
            one(&many).message,
            format!(
                "`concepts.x.phrases` lists {} phrases; at most {MAX_PHRASES} are allowed",
                MAX_PHRASES + 1
            )
        );
        let long = format!(
            "[concepts.x]\ndescription = \"d\"\nphrases = [\"{}\"]\n",
            "w ".repeat(MAX_PHRASE_WORDS + 1)
        );
        assert_eq!(
            one(&long).message,
            format!(
                "the phrase `{}` has more than {MAX_PHRASE_WORDS} words",
                "w ".repeat(MAX_PHRASE_WORDS + 1).trim()
            )
        );
        let wide = format!(
            "[concepts.x]\ndescription = \"d\"\nphrases = [\"{}\"]\n",
            "w".repeat(MAX_PHRASE_BYTES + 1)
        );
        assert!(
            one(&wide)
                .message
                .ends_with(&format!("is longer than {MAX_PHRASE_BYTES} bytes"))
        );
        let triggers = format!("[triggers]\npseudo = [{}]\n", list(MAX_TRIGGERS + 1, "w"));
        assert_eq!(
            one(&triggers).message,
            format!(
                "`triggers.pseudo` lists {} phrases; at most {MAX_TRIGGERS} are allowed",
                MAX_TRIGGERS + 1
            )
        );
        let concepts: String = (0..=MAX_CONCEPTS)
            .map(|i| format!("[concepts.c{i}]\ndescription = \"d\"\nphrases = [\"w{i}\"]\n"))
            .collect();
        assert_eq!(
            one(&concepts).message,
            format!(
                "the file defines {} concepts; at most {MAX_CONCEPTS} are allowed",
                MAX_CONCEPTS + 1
            )
        );
        let actors: String = (0..=MAX_ACTORS)
            .map(|i| format!("[actors.a{i}]\nside = \"community\"\nphrases = [\"w{i}\"]\n"))
            .collect();
        assert_eq!(
            one(&actors).message,
            format!(
                "the file defines {} actors; at most {MAX_ACTORS} are allowed",
                MAX_ACTORS + 1
            )
        );
        assert_eq!(
            one("[reading]\nscope_words = 0\n").message,
            "`reading.scope_words` must be a whole number from 1 to 50"
        );
        assert_eq!(
            one("[reading]\ngap_words = 9\n").message,
            "`reading.gap_words` must be a whole number from 1 to 8"
        );
    }

    fn build(layers: &[(&str, &str)]) -> (Lexicon, Vec<Diagnostic>) {
        let parsed = layers
            .iter()
            .map(|(f, t)| parse(f, t).unwrap_or_else(|e| panic!("{e:#?}")))
            .collect();
        let (lex, warnings) = Lexicon::build(parsed);
        (lex.unwrap_or_else(|e| panic!("{e:#?}")), warnings)
    }

    #[test]
    fn one_phrase_in_two_concepts_is_a_warning() {
        let text = "[concepts.a]\ndescription = \"d\"\nphrases = [\"village hall\"]\n[concepts.b]\ndescription = \"d\"\nphrases = [\"village halls\"]\n";
        let (_, w) = build(&[("concepts.toml", text)]);
        assert_eq!(w.len(), 1);
        assert_eq!(
            w[0].message,
            "the phrase `village halls` is in concepts `a` and `b`"
        );
        assert_eq!(w[0].location(), "concepts.toml:6:12");
    }

    #[test]
    fn an_exclusion_that_never_applies_is_a_warning() {
        let text = "[concepts.a]\ndescription = \"d\"\nphrases = [\"library\"]\nexclude = [\"town hall\"]\n";
        let (_, w) = build(&[("concepts.toml", text)]);
        assert_eq!(
            w[0].message,
            "the exclusion `town hall` contains none of the phrases of `a`"
        );
    }

    #[test]
    fn layers_replace_whole_concepts_and_lists_and_keep_provenance() {
        let base = "[triggers.negated]\nforward = [\"no\"]\n[actors.residents]\nside = \"community\"\nphrases = [\"residents\"]\n[concepts.libraries]\ndescription = \"d\"\nphrases = [\"library\", \"librarian\"]\n[concepts.parks]\ndescription = \"p\"\nphrases = [\"park\"]\n";
        let layer = "[triggers.negated]\nforward = []\n[actors.residents]\nside = \"institution\"\nphrases = [\"tenants\"]\n[concepts.libraries]\ndescription = \"Public libraries only.\"\nphrases = [\"public library\"]\n[concepts.museums]\ndescription = \"m\"\nphrases = [\"museum\"]\n";
        let (lex, w) = build(&[
            ("rules/concepts.toml", base),
            ("local/concepts.toml", layer),
        ]);
        let ids: Vec<(&str, &str)> = lex.concepts().map(|c| (c.id, c.layer)).collect();
        assert_eq!(
            ids,
            [
                ("libraries", "local/concepts.toml"),
                ("parks", "rules/concepts.toml"),
                ("museums", "local/concepts.toml")
            ]
        );
        let libraries = lex.concepts().next().unwrap();
        assert_eq!(libraries.phrases, ["public library"]);
        assert_eq!(libraries.description, "Public libraries only.");
        let t = lex.triggers();
        assert_eq!(t.lists[0].phrases.len(), 0);
        assert_eq!(t.actors[0].side, Side::Institution);
        assert_eq!(t.actors[0].phrases, ["tenants"]);
        assert_eq!(w.len(), 1, "{w:#?}");
        assert_eq!(
            w[0].message,
            "this layer empties `triggers.negated.forward`"
        );
        assert_eq!(w[0].location(), "local/concepts.toml:2:11");
        assert!(lex.has_concept("museums") && !lex.has_concept("museum"));
        assert_eq!(lex.suggest("musuems").as_deref(), Some("museums"));
        assert_eq!(lex.suggest("volunteering"), None);
    }

    #[test]
    fn building_nothing_is_an_error() {
        let (lex, _) = Lexicon::build(Vec::new());
        assert_eq!(
            lex.unwrap_err()[0].message,
            "the checklist has no concepts file"
        );
    }

    #[test]
    fn the_default_file_follows_its_schema() {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../schemas/concepts.schema.json")).unwrap();
        let validator = jsonschema::draft202012::new(&schema).unwrap();
        let file: toml::Value = toml::from_str(include_str!("../../rules/concepts.toml")).unwrap();
        let json = serde_json::to_value(&file).unwrap();
        let problems: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| e.to_string())
            .collect();
        assert!(problems.is_empty(), "{problems:#?}");
        let bad = serde_json::json!({"concepts": {"x": {"description": "d"}}});
        assert!(!validator.is_valid(&bad));
    }
}
