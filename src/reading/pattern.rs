//! Phrases compiled for matching, indexed by their first word, and found in a unit's words in
//! one pass (each word looks up the phrases that can start there; no phrase scans the text).
//!
//! Concept phrases, exclusions and actors compare words by their Snowball stem and their
//! beginning: a phrase word finds a word of the text with the same stem that begins with it, its
//! last letter free ("volunteer" finds "volunteered", "library" finds "libraries", "consult"
//! finds "consultation"; "fitness" does not find "fit", nor "parking" find "park", though each
//! pair shares a stem). A hyphen is optional both ways: a phrase word may match two
//! or three words of the text written apart or hyphenated ("coproduce" finds "co-produced" and
//! "co produced"), and a phrase written with a hyphen also matches the words run together
//! ("co-produce" finds "coproduced"). Triggers compare the words as written (lowercased), with
//! the wildcard `n't`, which matches any word ending so ("don't", "won't"). In any phrase, `#`
//! standing alone matches a number ("since #", "until #").
//! `...` in any phrase stands for a few words (the file's `gap_words`) within one clause.

use super::tokens::{Sep, Word, phrase_words, shared_stem};
use super::{FastMap, FastSet};
use std::cell::RefCell;
use std::rc::Rc;

/// How a pattern's words are compared with the text's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keying {
    /// Snowball stems, with hyphens optional (concepts, exclusions, actors).
    Stem,
    /// Lowercased words as written (triggers).
    Surface,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Elem {
    /// The key the index and the comparison use (a stem, shared with the stem cache, or the
    /// word as written), and the word as written, which a text word must begin with (its last
    /// letter free).
    Word {
        key: Rc<str>,
        norm: String,
    },
    Gap,
}

impl Elem {
    fn word(keying: Keying, norm: &str) -> Elem {
        let key = match keying {
            Keying::Stem if norm != NUMBER => shared_stem(norm),
            _ => Rc::from(norm),
        };
        Elem::Word {
            key,
            norm: norm.to_string(),
        }
    }
}

/// Whether `word` begins with `phrase_word` less its last letter ("libraries", "library").
pub(crate) fn same_beginning(word: &str, phrase_word: &str) -> bool {
    let mut chars = phrase_word.chars();
    chars.next_back();
    word.starts_with(chars.as_str())
}

/// The wildcard words: `n't` (triggers only) and `#` (a number).
const NT: &str = "n't";
const NUMBER: &str = "#";

/// A pattern word's key as a set compares it: its number in the set's vocabulary, or a
/// wildcard. Comparing numbers, not text, is what makes trying a candidate cheap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Id(u32),
    /// `#`: a number.
    Number,
    /// `n't` (triggers only): a word ending so.
    Nt,
}

/// One element of a compiled pattern.
#[derive(Debug, Clone)]
enum Part {
    Word { key: Key, norm: String },
    Gap,
}

#[derive(Debug, Clone)]
struct Pattern {
    owner: u32,
    parts: Vec<Part>,
    /// The key of the second part, when it is a word (not a gap or a wildcard): it must be the
    /// key of one of the three words after the first (which may run over two more words), so a
    /// candidate whose next words cannot have it is not tried.
    second: Option<u32>,
}

/// A match of a pattern: its owner, the first and last word it covers, and the words its `...`
/// gaps skipped (first and last of each run).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Hit {
    pub first: usize,
    pub last: usize,
    pub owner: u32,
    pub gaps: Vec<(usize, usize)>,
}

impl Hit {
    /// The runs of words the pattern itself matched (the span less its gaps).
    pub(crate) fn spans(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut from = self.first;
        for &(a, b) in &self.gaps {
            if a > from {
                out.push((from, a - 1));
            }
            from = b + 1;
        }
        if from <= self.last {
            out.push((from, self.last));
        }
        out
    }

    /// Whether word `i` was skipped by a gap.
    pub(crate) fn skipped(&self, first: usize, last: usize) -> bool {
        self.gaps.iter().any(|&(a, b)| a <= first && last <= b)
    }
}

/// A unit's words as a pattern set sees them, with the stems of words run together
/// ("co" + "produced" → "coproduc") for the optional hyphen.
pub(crate) struct Text<'a> {
    pub words: &'a [Word],
    /// For each word, the next one or two run onto it: (as written, stem).
    joined: Vec<[Option<Joined>; 2]>,
}

/// Words run together: as written, and their stem.
type Joined = (String, Rc<str>);

impl<'a> Text<'a> {
    pub(crate) fn new(words: &'a [Word]) -> Self {
        Self::build(words, None)
    }

    /// For sets that compare words as written ([`Keying::Surface`]) only: no words run
    /// together, which only stems are compared by (and stemming them is most of the cost).
    pub(crate) fn surface(words: &'a [Word]) -> Self {
        Text {
            words,
            joined: Vec::new(),
        }
    }

    /// Words run together are stemmed only when they begin as some phrase word does (most
    /// never can match, and stemming is most of the cost of reading).
    pub(crate) fn with_beginnings(words: &'a [Word], beginnings: &FastSet<String>) -> Self {
        Self::build(words, Some(beginnings))
    }

    fn build(words: &'a [Word], beginnings: Option<&FastSet<String>>) -> Self {
        // The words run together are written in one buffer; only those kept are copied.
        let mut acc = String::new();
        let joined = (0..words.len())
            .map(|i| {
                let mut two = [None, None];
                // A word followed by punctuation runs onto nothing.
                if !words.get(i + 1).is_some_and(|next| next.sep.joins()) {
                    return two;
                }
                acc.clear();
                if let Some(w) = words.get(i) {
                    acc.push_str(&w.norm);
                }
                for (k, slot) in two.iter_mut().enumerate() {
                    match words.get(i + k + 1) {
                        Some(next) if next.sep.joins() => {
                            acc.push_str(&next.norm);
                            if beginnings.is_none_or(|b| b.contains(beginning(&acc))) {
                                *slot = Some((acc.clone(), shared_stem(&acc)));
                            }
                        }
                        _ => break,
                    }
                }
                two
            })
            .collect();
        Text { words, joined }
    }

    /// The words `i..=i+m` run together: as written, and their key.
    fn key(&self, keying: Keying, i: usize, m: usize) -> Option<(&str, &str)> {
        match (keying, m) {
            (Keying::Surface, 0) => self.words.get(i).map(|w| (&*w.norm, &*w.norm)),
            (Keying::Surface, _) => None,
            (Keying::Stem, 0) => self.words.get(i).map(|w| (&*w.norm, &*w.stem)),
            (Keying::Stem, m) => self
                .joined
                .get(i)
                .and_then(|j| j.get(m - 1))
                .and_then(|k| k.as_ref())
                .map(|(n, s)| (n.as_str(), &**s)),
        }
    }
}

/// The first three letters of a word (all of a shorter one).
pub(crate) fn beginning(word: &str) -> &str {
    let end = word.char_indices().nth(3).map_or(word.len(), |(i, _)| i);
    word.get(..end).unwrap_or(word)
}

/// Compiled phrases of one kind, indexed by their first word.
#[derive(Debug, Clone)]
pub(crate) struct PatternSet {
    keying: Keying,
    patterns: Vec<Pattern>,
    /// The keys of every pattern word (stems, or words as written), numbered.
    vocabulary: FastMap<String, u32>,
    /// The patterns whose first word has key `n`, at `index[n]`.
    index: Vec<Vec<u32>>,
    /// Patterns whose first word is a wildcard (`n't`, `#`).
    wild: Vec<u32>,
    /// The beginnings of every word of every pattern (see [`Text::with_beginnings`]).
    pub beginnings: FastSet<String>,
}

impl PatternSet {
    pub(crate) fn new(keying: Keying) -> Self {
        PatternSet {
            keying,
            patterns: Vec::new(),
            vocabulary: FastMap::default(),
            index: Vec::new(),
            wild: Vec::new(),
            beginnings: FastSet::default(),
        }
    }

    /// Whether the set holds no phrase.
    pub(crate) fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Adds a phrase as written in the concepts file, for `owner`.
    pub(crate) fn add(&mut self, phrase: &str, owner: u32) {
        for elems in variants(phrase, self.keying) {
            let id = self.patterns.len() as u32;
            let parts: Vec<Part> = elems.iter().map(|e| self.compile(e)).collect();
            match parts.first() {
                Some(Part::Word {
                    key: Key::Number | Key::Nt,
                    ..
                }) => self.wild.push(id),
                Some(Part::Word {
                    key: Key::Id(k), ..
                }) => {
                    if let Some(list) = self.index.get_mut(*k as usize) {
                        list.push(id);
                    }
                }
                _ => continue,
            }
            for e in &elems {
                if let Elem::Word { norm, .. } = e {
                    let b = beginning(norm);
                    if !self.beginnings.contains(b) {
                        self.beginnings.insert(b.to_string());
                    }
                }
            }
            let second = match parts.get(1) {
                Some(Part::Word {
                    key: Key::Id(k), ..
                }) => Some(*k),
                _ => None,
            };
            self.patterns.push(Pattern {
                owner,
                parts,
                second,
            });
        }
    }

    /// A pattern element with its key numbered (a new key gets the next number).
    fn compile(&mut self, e: &Elem) -> Part {
        let Elem::Word { key, norm } = e else {
            return Part::Gap;
        };
        let key: &str = key;
        let key = if key == NUMBER {
            Key::Number
        } else if self.keying == Keying::Surface && key == NT {
            Key::Nt
        } else if let Some(&n) = self.vocabulary.get(key) {
            Key::Id(n)
        } else {
            let n = self.index.len() as u32;
            self.vocabulary.insert(key.to_string(), n);
            self.index.push(Vec::new());
            Key::Id(n)
        };
        Part::Word {
            key,
            norm: norm.clone(),
        }
    }

    /// The number of each word's key, and of the words run onto it (`m` = 1, 2), in this
    /// set's vocabulary: `None` where no pattern word has that key.
    fn numbered(&self, text: &Text<'_>) -> Vec<[Option<u32>; 3]> {
        (0..text.words.len())
            .map(|i| {
                let mut ids = [None; 3];
                for (m, slot) in ids.iter_mut().enumerate() {
                    *slot = text
                        .key(self.keying, i, m)
                        .and_then(|(_, k)| self.vocabulary.get(k).copied());
                }
                ids
            })
            .collect()
    }

    /// Every match in `text`, in order of first word, then last word, then owner, without
    /// repeats.
    pub(crate) fn find(&self, text: &Text<'_>, gap_words: usize) -> Vec<Hit> {
        let mut out = Vec::new();
        if self.patterns.is_empty() {
            return out;
        }
        let ids = self.numbered(text);
        let mut candidates: Vec<u32> = Vec::new();
        for (i, word_ids) in ids.iter().enumerate() {
            candidates.clear();
            for id in word_ids.iter().flatten() {
                if let Some(list) = self.index.get(*id as usize) {
                    candidates.extend_from_slice(list);
                }
            }
            if text
                .words
                .get(i)
                .is_some_and(|w| w.number || w.norm.ends_with(NT))
            {
                candidates.extend_from_slice(&self.wild);
            }
            candidates.sort_unstable();
            candidates.dedup();
            for &id in &candidates {
                let Some(p) = self.patterns.get(id as usize) else {
                    continue;
                };
                if let Some(k) = p.second {
                    let near = ids.iter().skip(i + 1).take(3);
                    if !near.flatten().any(|x| *x == Some(k)) {
                        continue;
                    }
                }
                let m = Matcher {
                    text,
                    ids: &ids,
                    keying: self.keying,
                    gap_words,
                    gaps: RefCell::new(Vec::new()),
                };
                if let Some(last) = m.go(i, &p.parts, true, false) {
                    out.push(Hit {
                        first: i,
                        last,
                        owner: p.owner,
                        gaps: m.gaps.into_inner(),
                    });
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

struct Matcher<'t, 'a> {
    text: &'t Text<'a>,
    /// The numbered keys of the text's words (see [`PatternSet::numbered`]).
    ids: &'t [[Option<u32>; 3]],
    keying: Keying,
    gap_words: usize,
    /// The gaps of the match being tried.
    gaps: RefCell<Vec<(usize, usize)>>,
}

impl Matcher<'_, '_> {
    /// The last word of a match of `parts` starting at word `wi`, trying the shortest gaps and
    /// single words first.
    fn go(&self, wi: usize, parts: &[Part], first: bool, after_gap: bool) -> Option<usize> {
        let Some((part, rest)) = parts.split_first() else {
            return wi.checked_sub(1);
        };
        match part {
            Part::Word { key, norm } => {
                let w = self.text.words.get(wi)?;
                let sep_ok = first || w.sep.joins() || (after_gap && w.sep != Sep::Clause);
                if !sep_ok {
                    return None;
                }
                (0..3).find_map(|m| {
                    self.word_matches(wi, m, *key, norm)
                        .then(|| self.go(wi + m + 1, rest, false, false))
                        .flatten()
                })
            }
            Part::Gap => (0..=self.gap_words).find_map(|g| {
                let crosses = (wi..=wi + g).any(|j| {
                    self.text
                        .words
                        .get(j)
                        .is_none_or(|w| w.sep == Sep::Clause || w.sep == Sep::Start)
                });
                if crosses {
                    return None;
                }
                if g > 0 {
                    self.gaps.borrow_mut().push((wi, wi + g - 1));
                }
                let found = self.go(wi + g, rest, false, true);
                if found.is_none() && g > 0 {
                    self.gaps.borrow_mut().pop();
                }
                found
            }),
        }
    }

    fn word_matches(&self, wi: usize, m: usize, key: Key, norm: &str) -> bool {
        let id = match key {
            Key::Number => return m == 0 && self.text.words.get(wi).is_some_and(|w| w.number),
            Key::Nt => {
                return m == 0
                    && self
                        .text
                        .words
                        .get(wi)
                        .is_some_and(|w| w.norm.ends_with(NT));
            }
            Key::Id(id) => id,
        };
        let same_key = self
            .ids
            .get(wi)
            .and_then(|ids| ids.get(m))
            .is_some_and(|k| *k == Some(id));
        if !same_key {
            return false;
        }
        // Keys as written are the words themselves; a stem also needs the word's beginning.
        match self.text.key(self.keying, wi, m) {
            Some((n, _)) if self.keying == Keying::Stem => same_beginning(n, norm),
            Some(_) => true,
            None => false,
        }
    }
}

/// The word sequences a phrase is matched as: as written, and (for stems) with its hyphenated
/// words run together, and a phrase of two or three words run together ("time bank" also finds
/// "timebank"). Each distinct sequence once, in that order; each part is cut into words once.
fn variants(phrase: &str, keying: Keying) -> Vec<Vec<Elem>> {
    let parts: Vec<Vec<(String, Sep)>> = split_gaps(phrase).into_iter().map(part_words).collect();
    let mut base: Vec<Elem> = Vec::new();
    for (n, words) in parts.iter().enumerate() {
        if n > 0 {
            base.push(Elem::Gap);
        }
        base.extend(words.iter().map(|(w, _)| Elem::word(keying, w)));
    }
    let mut out = Vec::with_capacity(3);
    if !base.is_empty() {
        out.push(base);
    }
    if keying != Keying::Stem {
        return out;
    }
    if let [words] = parts.as_slice() {
        let numbered = words.iter().any(|(w, _)| w == NUMBER);
        if !numbered && (2..=3).contains(&words.len()) {
            let all: String = words.iter().map(|(w, _)| w.as_str()).collect();
            push_new(&mut out, vec![Elem::word(keying, &all)]);
        }
    }
    // Without a hyphen inside a part, the words run together at hyphens are the words as
    // written: the same sequence as the first.
    let hyphenated = parts
        .iter()
        .any(|words| words.iter().skip(1).any(|(_, sep)| *sep == Sep::Hyphen));
    if hyphenated {
        push_new(&mut out, hyphen_joined(&parts, keying));
    }
    out
}

/// A phrase's parts with the words of each hyphenated run written together.
fn hyphen_joined(parts: &[Vec<(String, Sep)>], keying: Keying) -> Vec<Elem> {
    let mut out = Vec::new();
    for (n, words) in parts.iter().enumerate() {
        if n > 0 {
            out.push(Elem::Gap);
        }
        let mut run = String::new();
        for (i, (w, sep)) in words.iter().enumerate() {
            if i > 0 && *sep != Sep::Hyphen {
                out.push(Elem::word(keying, &run));
                run.clear();
            }
            run.push_str(w);
        }
        if !run.is_empty() {
            out.push(Elem::word(keying, &run));
        }
    }
    out
}

/// Adds a sequence unless it is empty or already there.
fn push_new(out: &mut Vec<Vec<Elem>>, v: Vec<Elem>) {
    if !v.is_empty() && !out.contains(&v) {
        out.push(v);
    }
}

/// The words of one part of a phrase; a `#` standing alone is kept (a number, in triggers).
fn part_words(part: &str) -> Vec<(String, Sep)> {
    let mut out = Vec::new();
    for chunk in part.split_whitespace() {
        if !chunk.contains(NUMBER) {
            out.extend(phrase_words(chunk));
            continue;
        }
        // "#-#" and "#s" keep their numbers: "11-18s".
        for (i, piece) in chunk.split('-').enumerate() {
            let sep = if i == 0 { Sep::Space } else { Sep::Hyphen };
            match piece.strip_prefix(NUMBER) {
                Some("" | "s") => out.push((NUMBER.to_string(), sep)),
                _ => out.extend(phrase_words(piece)),
            }
        }
    }
    out
}

/// The parts of a phrase between its `...` gaps.
pub(crate) fn split_gaps(phrase: &str) -> Vec<&str> {
    phrase
        .split("...")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::tokens::words;
    use super::*;

    fn found(phrases: &[&str], keying: Keying, text: &str) -> Vec<String> {
        let mut set = PatternSet::new(keying);
        for (i, p) in phrases.iter().enumerate() {
            set.add(p, i as u32);
        }
        let ws = words(text, 0);
        let t = Text::new(&ws);
        set.find(&t, 4)
            .into_iter()
            .map(|h| text[ws[h.first].start..ws[h.last].end].to_string())
            .collect()
    }

    #[test]
    fn word_forms_hyphens_and_apostrophes() {
        let t = "volunteered; co-produced, co produced and coproduced; a resident's panel";
        assert_eq!(
            found(
                &["volunteer", "coproduce", "residents' panel"],
                Keying::Stem,
                t
            ),
            [
                "volunteered",
                "co-produced",
                "co produced",
                "coproduced",
                "resident's panel"
            ]
        );
        assert_eq!(
            found(&["co-produce"], Keying::Stem, t),
            ["co-produced", "co produced", "coproduced"]
        );
        assert_eq!(
            found(&["time bank"], Keying::Stem, "our timebanks"),
            ["timebanks"]
        );
    }

    #[test]
    fn a_gap_takes_a_few_words_within_a_clause() {
        let p = ["bring ... together"];
        let t = "bringing older and younger residents together";
        assert_eq!(found(&p, Keying::Stem, t), [t]);
        assert_eq!(
            found(&p, Keying::Stem, "bring people together"),
            ["bring people together"]
        );
        assert!(found(&p, Keying::Stem, "bring food; together").is_empty());
        assert!(found(&p, Keying::Stem, "bring a b c d e together").is_empty());
    }

    #[test]
    fn phrases_do_not_cross_commas_or_clauses() {
        assert!(found(&["tool library"], Keying::Stem, "a tool, library").is_empty());
    }

    #[test]
    fn trigger_wildcards() {
        assert_eq!(
            found(
                &["n't", "until #", "hope to"],
                Keying::Surface,
                "we don't hope to; until 2019"
            ),
            ["don't", "hope to", "until 2019"]
        );
        assert!(found(&["hope to"], Keying::Surface, "hoping to").is_empty());
    }
}
