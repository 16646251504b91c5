//! What counts as a contradiction, as checklist data: the `[contradictions.ID]` tables of a
//! concepts file, parsed and checked (every key known, every concept and actor one the merged
//! layers define, with a did-you-mean), and compiled for `conflicts.rs` to find in a bid.
//!
//! ```toml
//! [contradictions.free_and_charged]
//! kind = "concepts"                 # two concepts that cannot both hold
//! description = "Taking part is free, and people pay to take part."
//! one = { concepts = ["free_to_attend"] }
//! other = { concepts = ["charging"] }
//!
//! [contradictions.who_designed]
//! kind = "actors"                   # one act, opposed actors
//! one = { concepts = ["designing"], actors = ["institution"] }
//! other = [{ concepts = ["co_design"] }, { concepts = ["designing"], actors = ["community"] }]
//!
//! [contradictions.said_and_denied]
//! kind = "denied"                   # a concept affirmed and denied, for the same actor
//! concepts = ["volunteering"]
//! unless = ["at present", "not yet"]  # either sentence: not the same time
//! future = ["will", "going to"]       # both sentences, or neither
//!
//! [contradictions.no_volunteer_roles]
//! kind = "field"                    # a structured field against the prose
//! field = "volunteering.roles"
//! value = 0
//! claims = { concepts = ["volunteering"] }
//! status = "affirmed"               # or "negated"
//! ```
//!
//! A layer's `[contradictions.X]` replaces the base's `X` whole; a new id adds one. Field paths
//! are checked against the proposal schema by the checklist loader, which knows it.

use super::claims::{Claim, Status};
use super::lexicon::{ListUse, Phrase, Place, Walker, has_key, id_problem};
use super::pattern::{Keying, PatternSet, Text};
use super::tokens::Word;
use crate::diagnostic::Diagnostic;
use std::sync::Arc;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Most contradictions one file may define.
pub(crate) const MAX_DEFINITIONS: usize = 200;
/// Most concepts, actors or patterns one side of a contradiction may list.
const MAX_NAMES: usize = 100;

/// The kinds of contradiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ContradictionKind {
    /// Two concepts that cannot both hold: "sessions are free" and "a £2 charge per session".
    Concepts,
    /// One act, opposed actors: "designed by officers" and "designed with residents".
    Actors,
    /// A concept affirmed and denied, for the same actor, at the same time.
    Denied,
    /// A structured field against the prose: `volunteering.roles = 0` and "twelve volunteers".
    Field,
}

impl ContradictionKind {
    pub const ALL: [ContradictionKind; 4] = [
        ContradictionKind::Concepts,
        ContradictionKind::Actors,
        ContradictionKind::Denied,
        ContradictionKind::Field,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContradictionKind::Concepts => "concepts",
            ContradictionKind::Actors => "actors",
            ContradictionKind::Denied => "denied",
            ContradictionKind::Field => "field",
        }
    }

    fn parse(s: &str) -> Option<ContradictionKind> {
        ContradictionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The value of a field that a `field` contradiction sets against the prose.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldValue {
    Bool(bool),
    Number(i64),
}

impl FieldValue {
    /// Whether a bid's value is this one (a number compares as a number: 0 and 0.0 alike).
    pub(crate) fn matches(self, v: &serde_json::Value) -> bool {
        match (self, v) {
            (FieldValue::Bool(b), serde_json::Value::Bool(x)) => b == *x,
            (FieldValue::Number(n), serde_json::Value::Number(x)) => {
                x.as_f64().is_some_and(|x| x == n as f64)
            }
            _ => false,
        }
    }

    pub fn shown(self) -> String {
        match self {
            FieldValue::Bool(b) => b.to_string(),
            FieldValue::Number(n) => n.to_string(),
        }
    }
}

/// A name of a concept or an actor, where it was written.
#[derive(Debug, Clone)]
pub(crate) struct Name {
    pub text: Arc<str>,
    pub place: Place,
}

/// Claims of any of `concepts`, by any of `actors` (actor ids or sides; empty: anyone).
#[derive(Debug, Clone)]
pub(crate) struct ClaimPattern {
    pub concepts: Vec<Name>,
    pub actors: Vec<Name>,
}

impl ClaimPattern {
    pub(crate) fn matches(&self, c: &Claim) -> bool {
        self.concepts.iter().any(|n| *n.text == *c.concept)
            && (self.actors.is_empty()
                || self.actors.iter().any(|n| {
                    c.actor.as_deref() == Some(&*n.text)
                        || c.side.is_some_and(|s| s.as_str() == &*n.text)
                }))
    }

    /// "free_to_attend", "designing by institution".
    fn shown(&self) -> String {
        let concepts = names(&self.concepts, " or ");
        if self.actors.is_empty() {
            concepts
        } else {
            format!("{concepts} by {}", names(&self.actors, " or "))
        }
    }
}

fn names(list: &[Name], sep: &str) -> String {
    list.iter()
        .map(|n| n.text.as_ref())
        .collect::<Vec<_>>()
        .join(sep)
}

/// What a contradiction looks for, by kind.
#[derive(Debug, Clone)]
pub(crate) enum Shape {
    /// `concepts` and `actors`: an affirmed claim matching `one` and another matching `other`.
    Pair {
        one: Vec<ClaimPattern>,
        other: Vec<ClaimPattern>,
    },
    /// `denied`: each concept affirmed in one sentence and denied in another.
    Denied {
        concepts: Vec<Name>,
        future: Vec<Phrase>,
    },
    /// `field`: the field has `value`, and the prose states a claim of `status` matching `claims`.
    Field {
        path: String,
        path_place: Place,
        value: FieldValue,
        value_place: Place,
        claims: Vec<ClaimPattern>,
        status: Status,
    },
}

/// One `[contradictions.ID]` table, parsed.
#[derive(Debug, Clone)]
pub(crate) struct ContradictionDef {
    pub id: Arc<str>,
    pub kind: ContradictionKind,
    pub description: String,
    pub shape: Shape,
    pub unless: Vec<Phrase>,
    pub place: Place,
}

/// A contradiction compiled: its definition, and its `unless` and `future` phrases indexed.
#[derive(Debug)]
pub(crate) struct Compiled {
    pub def: ContradictionDef,
    pub unless: PatternSet,
    pub future: PatternSet,
}

impl Compiled {
    pub(crate) fn new(def: ContradictionDef) -> Compiled {
        let mut unless = PatternSet::new(Keying::Surface);
        for p in &def.unless {
            unless.add(p.text.trim(), 0);
        }
        let mut future = PatternSet::new(Keying::Surface);
        if let Shape::Denied { future: f, .. } = &def.shape {
            for p in f {
                future.add(p.text.trim(), 0);
            }
        }
        Compiled {
            def,
            unless,
            future,
        }
    }

    /// Whether a sentence, cut into its words, holds one of `set`'s phrases (`unless` and
    /// `future` are compared as written).
    pub(crate) fn says(set: &PatternSet, sentence: &[Word], gap_words: usize) -> bool {
        !set.is_empty() && !set.find(&Text::surface(sentence), gap_words).is_empty()
    }
}

/// A contradiction as `rules doc` publishes it.
#[derive(Debug, Clone)]
pub struct ContradictionInfo<'a> {
    pub id: &'a str,
    pub kind: ContradictionKind,
    pub description: &'a str,
    /// What it looks for, in the file's terms: "affirmed free_to_attend, and affirmed charging".
    pub test: String,
    /// Phrases that, in either sentence, say the two are not about the same time or thing.
    pub unless: Vec<&'a str>,
    /// The file (layer) that defined it.
    pub layer: &'a str,
}

impl ContradictionDef {
    pub(crate) fn info(&self) -> ContradictionInfo<'_> {
        ContradictionInfo {
            id: &self.id,
            kind: self.kind,
            description: &self.description,
            test: self.test(),
            unless: self.unless.iter().map(|p| p.text.trim()).collect(),
            layer: &self.place.file,
        }
    }

    fn test(&self) -> String {
        let any = |ps: &[ClaimPattern]| {
            ps.iter()
                .map(ClaimPattern::shown)
                .collect::<Vec<_>>()
                .join("; or ")
        };
        match &self.shape {
            Shape::Pair { one, other } => {
                format!(
                    "affirmed {}, and elsewhere affirmed {}",
                    any(one),
                    any(other)
                )
            }
            Shape::Denied { concepts, future } => {
                let f: Vec<&str> = future.iter().map(|p| p.text.trim()).collect();
                format!(
                    "{} affirmed in one sentence and denied in another, for the same actor (both about the future, as \"{}\" marks it, or neither)",
                    names(concepts, ", "),
                    f.join("\", \"")
                )
            }
            Shape::Field {
                path,
                value,
                claims,
                status,
                ..
            } => format!(
                "`{path} = {}`, and the prose {} {}",
                value.shown(),
                status.as_str(),
                any(claims)
            ),
        }
    }

    /// Every concept and actor the definition names, for checking against the merged lexicon.
    pub(crate) fn references(&self) -> (Vec<&Name>, Vec<&Name>) {
        let patterns: &[ClaimPattern] = match &self.shape {
            Shape::Pair { .. } | Shape::Denied { .. } => &[],
            Shape::Field { claims, .. } => claims,
        };
        let pairs: Vec<&ClaimPattern> = match &self.shape {
            Shape::Pair { one, other } => one.iter().chain(other).collect(),
            _ => patterns.iter().collect(),
        };
        let mut concepts: Vec<&Name> = pairs.iter().flat_map(|p| &p.concepts).collect();
        let actors: Vec<&Name> = pairs.iter().flat_map(|p| &p.actors).collect();
        if let Shape::Denied { concepts: c, .. } = &self.shape {
            concepts.extend(c.iter());
        }
        (concepts, actors)
    }
}

/// The keys each kind takes, beside `kind`, `description` and `unless`.
fn keys_of(kind: ContradictionKind) -> &'static [&'static str] {
    match kind {
        ContradictionKind::Concepts | ContradictionKind::Actors => {
            &["kind", "description", "unless", "one", "other"]
        }
        ContradictionKind::Denied => &["kind", "description", "unless", "concepts", "future"],
        ContradictionKind::Field => &[
            "kind",
            "description",
            "unless",
            "field",
            "value",
            "claims",
            "status",
        ],
    }
}

/// The `[contradictions]` table of one concepts file.
pub(super) fn parse(w: &mut Walker, v: &Spanned<DeValue<'_>>) -> Vec<ContradictionDef> {
    let Some(t) = w.table(v, "contradictions") else {
        return Vec::new();
    };
    let entries = w.entries(t, "contradictions", &[]);
    if entries.len() > MAX_DEFINITIONS {
        w.error(
            v.span(),
            format!(
                "the file defines {} contradictions; at most {MAX_DEFINITIONS} are allowed",
                entries.len()
            ),
        );
    }
    let mut out = Vec::new();
    for (k, v) in entries.into_iter().take(MAX_DEFINITIONS) {
        let id = k.get_ref().as_ref();
        if let Some(p) = id_problem(id) {
            w.error(k.span(), p);
            continue;
        }
        if let Some(d) = definition(w, id, k.span(), v) {
            out.push(d);
        }
    }
    out
}

fn definition(
    w: &mut Walker,
    id: &str,
    span: std::ops::Range<usize>,
    v: &Spanned<DeValue<'_>>,
) -> Option<ContradictionDef> {
    let path = format!("contradictions.{id}");
    let t = w.table(v, &path)?;
    let place = w.place(span);
    let kind = kind_of(w, t, &path, &place)?;
    let before = w.problems.len();
    let entries = w.entries(t, &path, keys_of(kind));
    let mut description = None;
    let mut unless = Vec::new();
    let mut fields = Fields::default();
    for (fk, fv) in entries {
        let key = fk.get_ref().as_ref();
        let at = format!("{path}.{key}");
        match key {
            "kind" => {}
            "description" => description = w.text(fv, &at),
            "unless" => unless = w.phrases(fv, &at, MAX_NAMES, ListUse::Function),
            "one" => fields.one = Some(patterns(w, fv, &at)),
            "other" => fields.other = Some(patterns(w, fv, &at)),
            "claims" => fields.claims = Some(patterns(w, fv, &at)),
            "concepts" => fields.concepts = Some(name_list(w, fv, &at)),
            "future" => fields.future = w.phrases(fv, &at, MAX_NAMES, ListUse::Function),
            "field" => fields.field = w.text(fv, &at).map(|f| (f, w.place(fv.span()))),
            "value" => fields.value = field_value(w, fv, &at),
            _ => fields.status = claim_status(w, fv, &at),
        }
    }
    let description = match description {
        Some(d) if !d.trim().is_empty() => d.trim().to_string(),
        _ => {
            w.problems.push(
                place
                    .error(format!("contradiction `{id}` needs a `description`"))
                    .help("say in a sentence what the bid cannot say both of, for the published checklist"),
            );
            return None;
        }
    };
    let shape = fields.shape(w, kind, id, &place)?;
    (w.problems.len() == before).then(|| ContradictionDef {
        id: id.into(),
        kind,
        description,
        shape,
        unless,
        place,
    })
}

/// The keys of one definition as read, before they are checked to make a shape.
#[derive(Default)]
struct Fields {
    one: Option<Vec<ClaimPattern>>,
    other: Option<Vec<ClaimPattern>>,
    claims: Option<Vec<ClaimPattern>>,
    concepts: Option<Vec<Name>>,
    future: Vec<Phrase>,
    field: Option<(String, Place)>,
    value: Option<(FieldValue, Place)>,
    status: Option<Status>,
}

impl Fields {
    fn shape(
        self,
        w: &mut Walker,
        kind: ContradictionKind,
        id: &str,
        place: &Place,
    ) -> Option<Shape> {
        let mut missing = |key: &str| {
            w.problems.push(
                place
                    .error(format!("contradiction `{id}` needs `{key}`"))
                    .help(format!(
                        "a `{}` contradiction takes: {}",
                        kind.as_str(),
                        keys_of(kind).join(", ")
                    )),
            );
            None
        };
        match kind {
            ContradictionKind::Concepts | ContradictionKind::Actors => {
                let Some(one) = self.one.filter(|o| !o.is_empty()) else {
                    return missing("one");
                };
                let Some(other) = self.other.filter(|o| !o.is_empty()) else {
                    return missing("other");
                };
                if kind == ContradictionKind::Actors
                    && one.iter().chain(&other).all(|p| p.actors.is_empty())
                {
                    w.problems.push(place.error(format!("contradiction `{id}` is of kind `actors` but names no actors")).help("name who acts on each side: `one = { concepts = [\"deciding\"], actors = [\"institution\"] }`"));
                    return None;
                }
                Some(Shape::Pair { one, other })
            }
            ContradictionKind::Denied => {
                let Some(concepts) = self.concepts.filter(|c| !c.is_empty()) else {
                    return missing("concepts");
                };
                Some(Shape::Denied {
                    concepts,
                    future: self.future,
                })
            }
            ContradictionKind::Field => {
                let Some((path, path_place)) = self.field else {
                    return missing("field");
                };
                let Some((value, value_place)) = self.value else {
                    return missing("value");
                };
                let Some(claims) = self.claims.filter(|c| !c.is_empty()) else {
                    return missing("claims");
                };
                Some(Shape::Field {
                    path,
                    path_place,
                    value,
                    value_place,
                    claims,
                    status: self.status.unwrap_or(Status::Affirmed),
                })
            }
        }
    }
}

fn kind_of(
    w: &mut Walker,
    t: &DeTable<'_>,
    path: &str,
    place: &Place,
) -> Option<ContradictionKind> {
    let Some((_, v)) = t.iter().find(|(k, _)| k.get_ref() == "kind") else {
        let kinds: Vec<&str> = ContradictionKind::ALL.iter().map(|k| k.as_str()).collect();
        w.problems.push(
            place
                .error(format!("`{path}` needs a `kind`"))
                .help(format!("the kinds are: {}", kinds.join(", "))),
        );
        return None;
    };
    let text = w.text(v, &format!("{path}.kind"))?;
    if let Some(k) = ContradictionKind::parse(&text) {
        return Some(k);
    }
    let kinds = ContradictionKind::ALL.map(|k| k.as_str());
    let help = match crate::suggest::did_you_mean(&text, kinds) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("the kinds are: {}", kinds.join(", ")),
    };
    w.error_help(
        v.span(),
        format!("unknown contradiction kind `{text}`"),
        help,
    );
    None
}

/// One pattern (`{ concepts = […], actors = […] }`) or a list of them.
fn patterns(w: &mut Walker, v: &Spanned<DeValue<'_>>, path: &str) -> Vec<ClaimPattern> {
    match v.get_ref() {
        DeValue::Array(items) => {
            if items.len() > MAX_NAMES {
                w.error(
                    v.span(),
                    format!("`{path}` lists more than {MAX_NAMES} patterns"),
                );
            }
            items
                .iter()
                .take(MAX_NAMES)
                .filter_map(|i| pattern(w, i, path))
                .collect()
        }
        _ => pattern(w, v, path).into_iter().collect(),
    }
}

fn pattern(w: &mut Walker, v: &Spanned<DeValue<'_>>, path: &str) -> Option<ClaimPattern> {
    let DeValue::Table(t) = v.get_ref() else {
        w.error_help(
            v.span(),
            format!("`{path}` must be a table of claims, or a list of them"),
            "e.g. `{ concepts = [\"deciding\"], actors = [\"council\"] }`",
        );
        return None;
    };
    let mut concepts = None;
    let mut actors = Vec::new();
    for (k, fv) in w.entries(t, path, &["concepts", "actors"]) {
        let at = format!("{path}.{}", k.get_ref());
        if k.get_ref() == "concepts" {
            concepts = Some(name_list(w, fv, &at));
        } else {
            actors = name_list(w, fv, &at);
        }
    }
    match concepts.filter(|c| !c.is_empty()) {
        Some(concepts) => Some(ClaimPattern { concepts, actors }),
        None => {
            if !has_key(t, "concepts") {
                w.error(v.span(), format!("`{path}` needs `concepts`"));
            } else {
                w.error(v.span(), format!("`{path}.concepts` is empty"));
            }
            None
        }
    }
}

/// A list of concept or actor ids.
fn name_list(w: &mut Walker, v: &Spanned<DeValue<'_>>, path: &str) -> Vec<Name> {
    let DeValue::Array(items) = v.get_ref() else {
        w.error(v.span(), format!("`{path}` must be a list of ids"));
        return Vec::new();
    };
    if items.len() > MAX_NAMES {
        w.error(
            v.span(),
            format!("`{path}` lists more than {MAX_NAMES} ids"),
        );
    }
    items
        .iter()
        .take(MAX_NAMES)
        .filter_map(|i| {
            let text = w.text(i, path)?;
            Some(Name {
                text: text.trim().into(),
                place: w.place(i.span()),
            })
        })
        .collect()
}

fn field_value(
    w: &mut Walker,
    v: &Spanned<DeValue<'_>>,
    path: &str,
) -> Option<(FieldValue, Place)> {
    let value = match v.get_ref() {
        DeValue::Boolean(b) => Some(FieldValue::Bool(*b)),
        DeValue::Integer(i) => i
            .as_str()
            .replace('_', "")
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(FieldValue::Number),
        _ => None,
    };
    if value.is_none() {
        w.error_help(
            v.span(),
            format!("`{path}` must be true, false or a whole number"),
            "the value that says \"no\": `value = 0` for a count, `value = false` for a yes or no",
        );
    }
    value.map(|x| (x, w.place(v.span())))
}

fn claim_status(w: &mut Walker, v: &Spanned<DeValue<'_>>, path: &str) -> Option<Status> {
    let s = w.text(v, path)?;
    match s.as_str() {
        "affirmed" => Some(Status::Affirmed),
        "negated" => Some(Status::Negated),
        other => {
            let help = match crate::suggest::did_you_mean(other, ["affirmed", "negated"]) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "a field is set against what the prose `affirmed` or `negated`".into(),
            };
            w.error_help(v.span(), format!("unknown status `{other}`"), help);
            None
        }
    }
}

/// Every concept and actor a definition names must be one the merged layers define.
pub(crate) fn check_references(
    defs: &[ContradictionDef],
    has_concept: impl Fn(&str) -> bool,
    concept_ids: &[&str],
    actor_ids: &[&str],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let sides = ["community", "institution"];
    for d in defs {
        let (concepts, actors) = d.references();
        for n in concepts.into_iter().filter(|n| !has_concept(&n.text)) {
            let mut e = n.place.error(format!(
                "contradiction `{}` names an unknown concept `{}`",
                d.id, n.text
            ));
            e = match crate::suggest::did_you_mean(&n.text, concept_ids.iter().copied()) {
                Some(s) => e.help(format!("did you mean `{s}`?")),
                None => e.help("the concepts are the `[concepts.…]` tables of the concepts files"),
            };
            out.push(e);
        }
        let known = |a: &str| actor_ids.contains(&a) || sides.contains(&a);
        for n in actors.into_iter().filter(|n| !known(&n.text)) {
            let mut e = n.place.error(format!(
                "contradiction `{}` names an unknown actor `{}`",
                d.id, n.text
            ));
            let all = actor_ids.iter().copied().chain(sides);
            e = match crate::suggest::did_you_mean(&n.text, all) {
                Some(s) => e.help(format!("did you mean `{s}`?")),
                None => e.help(
                    "an actor is an `[actors.…]` id, or a side: `community` or `institution`",
                ),
            };
            out.push(e);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::layers::Lexicon;
    use crate::diagnostic::Diagnostic;

    const BASE: &str = "[actors.residents]\nside = \"community\"\nphrases = [\"residents\"]\n[concepts.free_to_attend]\ndescription = \"d\"\nphrases = [\"free to attend\"]\n[concepts.charging]\ndescription = \"d\"\nphrases = [\"# per session\"]\n";

    fn errors(extra: &str) -> Vec<Diagnostic> {
        let text = format!("{BASE}{extra}");
        match Lexicon::parse("concepts.toml", &text) {
            Err(e) => e,
            Ok(layer) => match Lexicon::build(vec![layer]).0 {
                Err(e) => e,
                Ok(_) => panic!("expected errors for {extra}"),
            },
        }
    }

    #[test]
    fn an_unknown_kind_key_concept_or_actor_is_located_with_a_suggestion() {
        let e = errors("[contradictions.x]\nkind = \"concept\"\ndescription = \"d\"\n");
        assert_eq!(e[0].message, "unknown contradiction kind `concept`");
        assert_eq!(e[0].help.as_deref(), Some("did you mean `concepts`?"));
        assert_eq!(e[0].location(), "concepts.toml:11:8");
        let e = errors(
            "[contradictions.x]\nkind = \"concepts\"\ndescription = \"d\"\none = { concepts = [\"free_to_attend\"] }\nothers = { concepts = [\"charging\"] }\n",
        );
        assert_eq!(e[0].message, "unknown key `contradictions.x.others`");
        assert_eq!(e[0].help.as_deref(), Some("did you mean `other`?"));
        let e = errors(
            "[contradictions.x]\nkind = \"concepts\"\ndescription = \"d\"\none = { concepts = [\"free_to_atend\"] }\nother = { concepts = [\"charging\"], actors = [\"resident\"] }\n",
        );
        assert_eq!(
            e[0].message,
            "contradiction `x` names an unknown concept `free_to_atend`"
        );
        assert_eq!(e[0].help.as_deref(), Some("did you mean `free_to_attend`?"));
        assert_eq!(e[0].location(), "concepts.toml:13:21");
        assert_eq!(
            e[1].message,
            "contradiction `x` names an unknown actor `resident`"
        );
        assert_eq!(e[1].help.as_deref(), Some("did you mean `residents`?"));
    }

    #[test]
    fn each_kind_needs_its_keys_and_values_of_the_right_type() {
        let e = errors("[contradictions.x]\nkind = \"denied\"\ndescription = \"d\"\n");
        assert_eq!(e[0].message, "contradiction `x` needs `concepts`");
        let e = errors(
            "[contradictions.x]\nkind = \"field\"\nfield = \"volunteering.roles\"\nvalue = \"none\"\nclaims = { concepts = [\"charging\"] }\ndescription = \"d\"\n",
        );
        assert_eq!(
            e[0].message,
            "`contradictions.x.value` must be true, false or a whole number"
        );
        let e = errors(
            "[contradictions.x]\nkind = \"actors\"\ndescription = \"d\"\none = { concepts = [\"charging\"] }\nother = { concepts = [\"free_to_attend\"] }\n",
        );
        assert_eq!(
            e[0].message,
            "contradiction `x` is of kind `actors` but names no actors"
        );
        let e = errors(
            "[contradictions.x]\nkind = \"concepts\"\none = { concepts = [\"charging\"] }\nother = { concepts = [\"free_to_attend\"] }\n",
        );
        assert_eq!(e[0].message, "contradiction `x` needs a `description`");
        let e = errors("[contradictions.x]\ndescription = \"d\"\n");
        assert_eq!(e[0].message, "`contradictions.x` needs a `kind`");
    }

    #[test]
    fn a_layer_replaces_a_contradiction_whole_and_keeps_its_file() {
        let base = format!(
            "{BASE}[contradictions.x]\nkind = \"concepts\"\ndescription = \"base\"\none = {{ concepts = [\"free_to_attend\"] }}\nother = {{ concepts = [\"charging\"] }}\n"
        );
        let layer = "[contradictions.x]\nkind = \"denied\"\ndescription = \"local\"\nconcepts = [\"charging\"]\n";
        let layers = vec![
            Lexicon::parse("rules/concepts.toml", &base).unwrap(),
            Lexicon::parse("local/concepts.toml", layer).unwrap(),
        ];
        let lex = Lexicon::build(layers).0.unwrap();
        let all: Vec<_> = lex.contradiction_rules().collect();
        assert_eq!(all.len(), 1);
        assert_eq!(
            (all[0].description, all[0].layer),
            ("local", "local/concepts.toml")
        );
        assert_eq!(all[0].kind.as_str(), "denied");
    }
}
