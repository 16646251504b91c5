//! The concepts files of a checklist and its layers merged into one compiled [`Lexicon`], and
//! the warnings only the merged whole can tell (one phrase in two concepts, a layer that empties
//! a trigger list, an exclusion that can never apply).
//!
//! Merging: a layer's `[concepts.X]` replaces the base's X whole (keeping its place in the
//! order) and new ids are added at the end; a trigger list present in a layer replaces the
//! base's list; `[actors.X]` likewise; `[reading]` values present replace the base's. Every
//! concept, trigger list and actor remembers the file that defined it.

use super::claims::Side;
use super::contradictions::{
    Compiled as CompiledContradiction, ContradictionDef, ContradictionInfo, FieldValue, Shape,
};
use super::lexicon::{
    ActorDef, ConceptDef, Direction, LexiconLayer, Phrase, TriggerDef, TriggerKind,
};
use super::pattern::{Keying, PatternSet, Text, split_gaps};
use super::stuffing::Echo;
use super::tokens::{phrase_words, stem, words};
use super::{FastMap, FastSet};
use crate::diagnostic::Diagnostic;
use std::collections::HashMap;
use std::sync::Arc;

/// How far a trigger reaches when the file does not say.
pub(crate) const DEFAULT_SCOPE_WORDS: usize = 12;
/// How many words `...` stands for when the file does not say.
pub(crate) const DEFAULT_GAP_WORDS: usize = 4;

#[derive(Debug)]
pub(crate) struct Concept {
    pub id: Arc<str>,
    pub description: String,
    pub phrases: Vec<String>,
    pub exclude: Vec<String>,
    pub layer: Arc<str>,
}

#[derive(Debug, Clone)]
pub(crate) struct Actor {
    pub id: Arc<str>,
    pub side: Side,
    pub description: Option<String>,
    pub phrases: Vec<String>,
    pub layer: Arc<str>,
}

#[derive(Debug, Clone)]
pub(crate) struct TriggerList {
    pub kind: TriggerKind,
    pub direction: Option<Direction>,
    pub phrases: Vec<String>,
    pub layer: Arc<str>,
}

/// The compiled reading data of a checklist: immutable, `Send + Sync`, shared behind an `Arc`.
#[derive(Debug)]
pub struct Lexicon {
    pub(crate) scope_words: usize,
    pub(crate) gap_words: usize,
    pub(crate) concepts: Vec<Concept>,
    /// Owner `2 * i` is a phrase of concept `i`, `2 * i + 1` one of its exclusions.
    pub(crate) phrases: PatternSet,
    pub(crate) actors: Vec<Actor>,
    /// Owner `i` is actor `i`.
    pub(crate) actor_phrases: PatternSet,
    pub(crate) triggers: Vec<TriggerList>,
    /// Owner `i` is trigger list `i`.
    pub(crate) trigger_phrases: PatternSet,
    /// Concept id → index, for lookups only (never iterated into output).
    by_id: FastMap<Arc<str>, usize>,
    /// The beginnings of the words of concept and actor phrases, for lookups only.
    pub(crate) beginnings: FastSet<String>,
    /// What counts as a contradiction, in the files' order.
    pub(crate) contradictions: Vec<CompiledContradiction>,
    /// The checklist's own published words, to tell a sentence copied from them
    /// ([`Lexicon::learn_echo`]).
    pub(crate) echo: Arc<Echo>,
}

/// A concept as `rules doc` publishes it.
#[derive(Debug, Clone, Copy)]
pub struct ConceptInfo<'a> {
    pub id: &'a str,
    pub description: &'a str,
    pub phrases: &'a [String],
    pub exclusions: &'a [String],
    /// The file (layer) that defined it.
    pub layer: &'a str,
}

/// A trigger list as `rules doc` publishes it.
#[derive(Debug, Clone, Copy)]
pub struct TriggerListInfo<'a> {
    pub kind: TriggerKind,
    /// `None` for pseudo-triggers and termination words.
    pub direction: Option<Direction>,
    pub phrases: &'a [String],
    pub layer: &'a str,
}

/// An actor as `rules doc` publishes it.
#[derive(Debug, Clone, Copy)]
pub struct ActorInfo<'a> {
    pub id: &'a str,
    pub side: Side,
    pub description: Option<&'a str>,
    pub phrases: &'a [String],
    pub layer: &'a str,
}

/// Every trigger list and actor, and the reach of triggers and gaps.
#[derive(Debug, Clone)]
pub struct TriggersInfo<'a> {
    pub scope_words: usize,
    pub gap_words: usize,
    pub lists: Vec<TriggerListInfo<'a>>,
    pub actors: Vec<ActorInfo<'a>>,
}

impl Lexicon {
    /// Parses and checks one concepts file; every problem is located at file:line:column.
    pub fn parse(file: &str, text: &str) -> Result<LexiconLayer, Vec<Diagnostic>> {
        super::lexicon::parse(file, text)
    }

    /// Merges the layers (base first, then each layer over it) and compiles them. Returns the
    /// lexicon or the errors, and the warnings either way.
    pub fn build(layers: Vec<LexiconLayer>) -> (Result<Lexicon, Vec<Diagnostic>>, Vec<Diagnostic>) {
        if layers.is_empty() {
            let e = Diagnostic::error("concepts.toml", "the checklist has no concepts file");
            return (Err(vec![e]), Vec::new());
        }
        let mut warnings = Vec::new();
        let merged = merge(layers, &mut warnings);
        let problems = check_contradictions(&merged);
        if !problems.is_empty() {
            return (Err(problems), warnings);
        }
        let lexicon = compile(merged);
        warnings.extend(phrase_in_two_concepts(&lexicon.concepts_defs));
        warnings.extend(idle_exclusions(&lexicon.lexicon, &lexicon.concepts_defs));
        (Ok(lexicon.lexicon), warnings)
    }

    /// A lexicon with no concepts, actors or triggers: a checklist without a concepts file.
    pub fn empty() -> Lexicon {
        compile(Merged {
            scope_words: DEFAULT_SCOPE_WORDS,
            gap_words: DEFAULT_GAP_WORDS,
            triggers: Vec::new(),
            actors: Vec::new(),
            concepts: Vec::new(),
            contradictions: Vec::new(),
        })
        .lexicon
    }

    /// This lexicon's triggers and actors with one concept of the given phrases instead of its
    /// own: the word lists of the deprecated `find` and `mentions`, read like any concept.
    pub(crate) fn adhoc(&self, id: &str, phrases: &[String]) -> Lexicon {
        let mut set = PatternSet::new(Keying::Stem);
        for p in phrases {
            set.add(p.trim(), 0);
        }
        let id: Arc<str> = Arc::from(id);
        let beginnings = set
            .beginnings
            .union(&self.actor_phrases.beginnings)
            .cloned()
            .collect();
        Lexicon {
            beginnings,
            scope_words: self.scope_words,
            gap_words: self.gap_words,
            concepts: vec![Concept {
                id: id.clone(),
                description: String::new(),
                phrases: phrases.to_vec(),
                exclude: Vec::new(),
                layer: Arc::from(""),
            }],
            phrases: set,
            actors: self.actors.clone(),
            actor_phrases: self.actor_phrases.clone(),
            triggers: self.triggers.clone(),
            trigger_phrases: self.trigger_phrases.clone(),
            by_id: FastMap::from_iter([(id, 0)]),
            contradictions: Vec::new(),
            echo: self.echo.clone(),
        }
    }

    /// Learns the checklist's own published words — its rules' titles, questions, rationales
    /// and `meets`, given here, and the concepts' descriptions — so that a sentence copied from
    /// them is set aside rather than read as the bid's own (see `stuffing.rs`).
    /// Part of the words may come already shingled (`known`, made while the rules compile on
    /// another thread): the echo is that of all of them.
    pub(crate) fn learn_echo<'t>(&mut self, known: Echo, texts: impl IntoIterator<Item = &'t str>) {
        let mut all: Vec<&str> = texts.into_iter().collect();
        all.extend(self.concepts.iter().map(|c| c.description.as_str()));
        self.echo = Arc::new(known.union(Echo::new(all)));
    }

    pub fn has_concept(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }

    /// The place of a concept in [`Lexicon::concepts`].
    pub(crate) fn concept_index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The concept id closest to a misspelt one.
    pub fn suggest(&self, id: &str) -> Option<String> {
        crate::suggest::did_you_mean(id, self.concepts.iter().map(|c| c.id.as_ref()))
            .map(str::to_string)
    }

    /// Every concept, in the file's order.
    pub fn concepts(&self) -> impl Iterator<Item = ConceptInfo<'_>> {
        self.concepts.iter().map(|c| ConceptInfo {
            id: &c.id,
            description: &c.description,
            phrases: &c.phrases,
            exclusions: &c.exclude,
            layer: &c.layer,
        })
    }

    /// Every trigger list with its kind and direction, and every actor.
    pub fn triggers(&self) -> TriggersInfo<'_> {
        TriggersInfo {
            scope_words: self.scope_words,
            gap_words: self.gap_words,
            lists: self
                .triggers
                .iter()
                .map(|t| TriggerListInfo {
                    kind: t.kind,
                    direction: t.direction,
                    phrases: &t.phrases,
                    layer: &t.layer,
                })
                .collect(),
            actors: self
                .actors
                .iter()
                .map(|a| ActorInfo {
                    id: &a.id,
                    side: a.side,
                    description: a.description.as_deref(),
                    phrases: &a.phrases,
                    layer: &a.layer,
                })
                .collect(),
        }
    }

    pub(crate) fn concept(&self, i: usize) -> Option<&Concept> {
        self.concepts.get(i)
    }

    /// What counts as a contradiction, in the files' order.
    pub fn contradiction_rules(&self) -> impl Iterator<Item = ContradictionInfo<'_>> {
        self.contradictions.iter().map(|c| c.def.info())
    }

    /// The fields the contradictions set against the prose, with the value each names, and
    /// where: for the checklist loader to check against the proposal schema, which this layer
    /// does not know. `check` returns what is wrong with a path and a value, and a help line.
    pub(crate) fn check_contradiction_fields(
        &self,
        check: impl Fn(&str, FieldValue) -> Option<(String, Option<String>, bool)>,
    ) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for c in &self.contradictions {
            let Shape::Field {
                path,
                path_place,
                value,
                value_place,
                ..
            } = &c.def.shape
            else {
                continue;
            };
            if let Some((message, help, at_value)) = check(path, *value) {
                let place = if at_value { value_place } else { path_place };
                let d = place.error(format!("contradiction `{}`: {message}", c.def.id));
                out.push(match help {
                    Some(h) => d.help(h),
                    None => d,
                });
            }
        }
        out
    }
}

/// Every concept and actor the merged contradictions name must be defined.
fn check_contradictions(m: &Merged) -> Vec<Diagnostic> {
    let concept_ids: Vec<&str> = m.concepts.iter().map(|c| c.id.as_ref()).collect();
    let actor_ids: Vec<&str> = m.actors.iter().map(|a| a.id.as_ref()).collect();
    super::contradictions::check_references(
        &m.contradictions,
        |id| concept_ids.contains(&id),
        &concept_ids,
        &actor_ids,
    )
}

/// The layers merged, before compiling.
struct Merged {
    scope_words: usize,
    gap_words: usize,
    triggers: Vec<TriggerDef>,
    actors: Vec<ActorDef>,
    concepts: Vec<ConceptDef>,
    contradictions: Vec<ContradictionDef>,
}

fn merge(layers: Vec<LexiconLayer>, warnings: &mut Vec<Diagnostic>) -> Merged {
    let mut m = Merged {
        scope_words: DEFAULT_SCOPE_WORDS,
        gap_words: DEFAULT_GAP_WORDS,
        triggers: Vec::new(),
        actors: Vec::new(),
        concepts: Vec::new(),
        contradictions: Vec::new(),
    };
    for (n, layer) in layers.into_iter().enumerate() {
        if let Some((s, _)) = layer.scope_words {
            m.scope_words = s;
        }
        if let Some((g, _)) = layer.gap_words {
            m.gap_words = g;
        }
        for t in layer.triggers {
            let old = m
                .triggers
                .iter_mut()
                .find(|o| o.kind == t.kind && o.direction == t.direction);
            match old {
                Some(o) => {
                    if n > 0 && t.phrases.is_empty() && !o.phrases.is_empty() {
                        warnings.push(t.place.warning(format!("this layer empties `{}`", t.key())).help(
                            "no word of this kind is read any more; list the words to keep, or remove the key to keep the base's list",
                        ));
                    }
                    *o = t;
                }
                None => m.triggers.push(t),
            }
        }
        for a in layer.actors {
            match m.actors.iter_mut().find(|o| o.id == a.id) {
                Some(o) => *o = a,
                None => m.actors.push(a),
            }
        }
        for c in layer.concepts {
            match m.concepts.iter_mut().find(|o| o.id == c.id) {
                Some(o) => *o = c,
                None => m.concepts.push(c),
            }
        }
        for c in layer.contradictions {
            match m.contradictions.iter_mut().find(|o| o.id == c.id) {
                Some(o) => *o = c,
                None => m.contradictions.push(c),
            }
        }
    }
    m
}

struct Compiled {
    lexicon: Lexicon,
    concepts_defs: Vec<ConceptDef>,
}

fn texts(phrases: &[Phrase]) -> Vec<String> {
    phrases.iter().map(|p| p.text.trim().to_string()).collect()
}

/// The trigger lists, and their phrases compiled (owner `i` is list `i`).
fn compile_triggers(defs: &[TriggerDef]) -> (Vec<TriggerList>, PatternSet) {
    let mut trigger_phrases = PatternSet::new(Keying::Surface);
    let triggers = defs
        .iter()
        .enumerate()
        .map(|(i, t)| {
            for p in &t.phrases {
                trigger_phrases.add(p.text.trim(), i as u32);
            }
            TriggerList {
                kind: t.kind,
                direction: t.direction,
                phrases: texts(&t.phrases),
                layer: t.place.file.clone(),
            }
        })
        .collect();
    (triggers, trigger_phrases)
}

fn compile(m: Merged) -> Compiled {
    let mut phrases = PatternSet::new(Keying::Stem);
    let mut by_id = FastMap::default();
    let mut concepts = Vec::new();
    for (i, c) in m.concepts.iter().enumerate() {
        for p in &c.phrases {
            phrases.add(p.text.trim(), 2 * i as u32);
        }
        for x in &c.exclude {
            phrases.add(x.text.trim(), 2 * i as u32 + 1);
        }
        by_id.insert(c.id.clone(), i);
        concepts.push(Concept {
            id: c.id.clone(),
            description: c.description.trim().to_string(),
            phrases: texts(&c.phrases),
            exclude: texts(&c.exclude),
            layer: c.place.file.clone(),
        });
    }
    let mut actor_phrases = PatternSet::new(Keying::Stem);
    let actors = m
        .actors
        .iter()
        .enumerate()
        .map(|(i, a)| {
            for p in &a.phrases {
                actor_phrases.add(p.text.trim(), i as u32);
            }
            Actor {
                id: a.id.clone(),
                side: a.side,
                description: a.description.clone(),
                phrases: texts(&a.phrases),
                layer: a.place.file.clone(),
            }
        })
        .collect();
    let (triggers, trigger_phrases) = compile_triggers(&m.triggers);
    Compiled {
        lexicon: Lexicon {
            beginnings: phrases
                .beginnings
                .union(&actor_phrases.beginnings)
                .cloned()
                .collect(),
            scope_words: m.scope_words,
            gap_words: m.gap_words,
            concepts,
            phrases,
            actors,
            actor_phrases,
            triggers,
            trigger_phrases,
            by_id,
            contradictions: m
                .contradictions
                .into_iter()
                .map(CompiledContradiction::new)
                .collect(),
            echo: Arc::default(),
        },
        concepts_defs: m.concepts,
    }
}

/// A phrase's stems, gaps left out: phrases that can find each other share it.
fn signature(phrase: &str) -> Vec<String> {
    split_gaps(phrase)
        .into_iter()
        .flat_map(phrase_words)
        .map(|(w, _)| stem(&w))
        .collect()
}

/// Whether the phrase `finder` finds the whole of the words of `phrase`.
pub(crate) fn finds_whole(finder: &str, phrase: &str) -> bool {
    let mut set = PatternSet::new(Keying::Stem);
    set.add(finder.trim(), 0);
    let ws = sample_words(phrase);
    let n = ws.len();
    set.find(&Text::new(&ws), DEFAULT_GAP_WORDS)
        .iter()
        .any(|h| h.first == 0 && h.last + 1 == n)
}

/// Each `(finder, phrase)` pair, by index, where the finder finds the whole of the phrase: one
/// pattern set for all the finders, so checking a concept costs one compile, not one a pair.
pub(crate) fn whole_matches(finders: &[&str], phrases: &[&str]) -> Vec<(usize, usize)> {
    // Most concepts have no exclusions: nothing can find anything.
    if finders.is_empty() {
        return Vec::new();
    }
    let mut set = PatternSet::new(Keying::Stem);
    for (i, f) in finders.iter().enumerate() {
        set.add(f.trim(), i as u32);
    }
    let mut out = Vec::new();
    for (pi, p) in phrases.iter().enumerate() {
        let ws = sample_words(p);
        let n = ws.len();
        for h in set.find(&Text::new(&ws), DEFAULT_GAP_WORDS) {
            if h.first == 0 && h.last + 1 == n {
                out.push((h.owner as usize, pi));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// A phrase's words as a text would have them, a number standing for each `#`.
fn sample_words(phrase: &str) -> Vec<super::tokens::Word> {
    words(&phrase.trim().replace('#', "1"), 0)
}

fn phrase_in_two_concepts(concepts: &[ConceptDef]) -> Vec<Diagnostic> {
    let mut seen: HashMap<Vec<String>, Vec<(&Arc<str>, &str)>> = HashMap::new();
    let mut out = Vec::new();
    for c in concepts {
        for p in &c.phrases {
            let bucket = seen.entry(signature(&p.text)).or_default();
            let clash = bucket.iter().find(|(id, other)| {
                **id != c.id && (finds_whole(other, &p.text) || finds_whole(&p.text, other))
            });
            if let Some((other, _)) = clash {
                out.push(
                    p.place
                        .warning(format!(
                            "the phrase `{}` is in concepts `{other}` and `{}`",
                            p.text.trim(),
                            c.id
                        ))
                        .help("a mention of it counts for both; keep it in one unless it truly means both"),
                );
            }
            bucket.push((&c.id, p.text.as_str()));
        }
    }
    out
}

/// An exclusion that contains none of its concept's phrases never sets anything aside.
fn idle_exclusions(lexicon: &Lexicon, concepts: &[ConceptDef]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, c) in concepts.iter().enumerate() {
        for x in &c.exclude {
            let ws = sample_words(&x.text);
            let text = Text::new(&ws);
            let covers = lexicon
                .phrases
                .find(&text, lexicon.gap_words)
                .iter()
                .any(|h| h.owner == 2 * i as u32);
            if !covers {
                out.push(
                    x.place
                        .warning(format!("the exclusion `{}` contains none of the phrases of `{}`", x.text.trim(), c.id))
                        .help("an exclusion sets aside a mention of the concept's own words; this one never applies"),
                );
            }
        }
    }
    out
}
