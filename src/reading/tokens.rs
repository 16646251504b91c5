//! Words of a unit of text: UAX #29 word boundaries, lowercased and normalised, with their
//! Snowball English stems and what separates each word from the one before it.
//!
//! Apostrophes are normalised (`’` → `'`), and a possessive is dropped ("residents'" and
//! "resident's" read as "residents" and "resident"), as are the short forms of "will", "are",
//! "have", "would" and "am" ("we'll" reads as "we"). `n't` stays on its word, so "don't" can be
//! found as a negation.

use super::FastMap;
use std::rc::Rc;
use std::sync::LazyLock;

/// What stands between a word and the word before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sep {
    /// The first word of the unit.
    Start,
    /// Spaces, an apostrophe, or nothing.
    Space,
    /// A hyphen with no space around it: "co-produced".
    Hyphen,
    /// A comma, a slash, `&` or `+`: lists stay in one clause.
    List,
    /// Quotation marks and other punctuation that does not end a clause.
    Other,
    /// `;`, `:`, a dash standing alone, a bracket: a clause ends here.
    Clause,
}

impl Sep {
    /// Whether the words either side belong to one phrase ("co-produced", "residents' panel").
    pub(crate) fn joins(self) -> bool {
        matches!(self, Sep::Space | Sep::Hyphen)
    }
}

/// One word of a unit.
#[derive(Debug, Clone)]
pub(crate) struct Word {
    /// Byte range in the field's text.
    pub start: usize,
    pub end: usize,
    /// Lowercase, apostrophes normalised, possessive dropped (shared with the per-thread
    /// cache of stems, like `stem`).
    pub norm: Rc<str>,
    /// Snowball English stem of `norm` (shared with the per-thread cache of stems).
    pub stem: Rc<str>,
    /// What stands before it.
    pub sep: Sep,
    /// Written with a capital first letter (and not the pronoun "I").
    pub cap: bool,
    /// Written with no lowercase letter at all ("ESOL", "2019").
    pub upper: bool,
    /// A number: "2019", "6,000", "50s".
    pub number: bool,
}

static STEMMER: LazyLock<rust_stemmers::Stemmer> =
    LazyLock::new(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English));

/// Most stems remembered per thread: the words of bids repeat, and stemming is most of the
/// cost of reading. Bounded, because a bid can be made of words never seen before.
const STEM_CACHE: usize = 50_000;

thread_local! {
    static STEMS: std::cell::RefCell<FastMap<Rc<str>, Rc<str>>> =
        std::cell::RefCell::new(FastMap::default());
}

/// The Snowball English stem of a normalised word.
pub(crate) fn stem(norm: &str) -> String {
    shared_stem(norm).to_string()
}

/// [`stem`], as the cache holds it: a word's stem is a reference count, not a copy.
pub(crate) fn shared_stem(norm: &str) -> Rc<str> {
    shared_word(norm).1
}

/// A normalised word and its stem, as the cache holds them: a word read again is neither
/// copied nor stemmed again.
fn shared_word(norm: &str) -> (Rc<str>, Rc<str>) {
    let hit = STEMS.with(|c| {
        c.borrow()
            .get_key_value(norm)
            .map(|(n, s)| (n.clone(), s.clone()))
    });
    if let Some(hit) = hit {
        return hit;
    }
    let n: Rc<str> = Rc::from(norm);
    let s: Rc<str> = Rc::from(STEMMER.stem(norm).as_ref());
    STEMS.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= STEM_CACHE {
            cache.clear();
        }
        cache.insert(n.clone(), s.clone());
    });
    (n, s)
}

/// A word lowercased with its apostrophes normalised and its possessive or short form dropped.
pub(crate) fn normalise(raw: &str) -> String {
    // Most words are plain ASCII letters and digits: lowercased in one copy.
    if raw.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return raw.to_ascii_lowercase();
    }
    let mut w: String = raw
        .chars()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' => '\'',
            c => c,
        })
        .collect::<String>()
        .to_lowercase();
    if w.ends_with("n't") {
        return w;
    }
    for suffix in ["'s", "'ll", "'re", "'ve", "'d", "'m", "'"] {
        if w.len() > suffix.len() && w.ends_with(suffix) {
            w.truncate(w.len() - suffix.len());
            break;
        }
    }
    w
}

/// The separator a punctuation segment makes, given the one met before it between the same two
/// words and whether whitespace came just before it.
fn separator(seg: &str, before: Sep, spaced_before: bool) -> Sep {
    let sep = match seg {
        "'" | "\u{2019}" | "\u{2018}" => Sep::Space,
        "-" | "\u{2010}" | "\u{2011}" if !spaced_before => Sep::Hyphen,
        "-" | "\u{2013}" | "\u{2014}" | "\u{2015}" | ";" | ":" | "(" | ")" | "[" | "]" | "{"
        | "}" => Sep::Clause,
        "," | "/" | "&" | "+" => Sep::List,
        _ => Sep::Other,
    };
    stronger(before, sep)
}

/// Of two separators met between the same two words, the one that tells more.
fn stronger(a: Sep, b: Sep) -> Sep {
    fn rank(s: Sep) -> u8 {
        match s {
            Sep::Start => 6,
            Sep::Clause => 5,
            Sep::Other => 4,
            Sep::List => 3,
            Sep::Hyphen => 2,
            Sep::Space => 1,
        }
    }
    if rank(a) >= rank(b) { a } else { b }
}

/// The words of `text` (a unit), whose first byte is at `offset` in the field.
pub(crate) fn words(text: &str, offset: usize) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::with_capacity(text.len() / 5 + 1);
    let mut sep = Sep::Start;
    let mut spaced = false;
    let mut buf = String::new();
    for (i, seg) in super::ascii::word_bounds(text) {
        if seg.chars().any(char::is_alphanumeric) {
            out.push(word(seg, offset + i, sep, &mut buf));
            sep = Sep::Space;
            spaced = false;
        } else if seg.chars().all(char::is_whitespace) {
            spaced = true;
        } else {
            sep = separator(seg, sep, spaced);
            spaced = false;
        }
    }
    fix_spaced_hyphens(text, offset, &mut out);
    out
}

/// "well- meant" or "co -produced" are not hyphenated words: only `a-b` joins.
fn fix_spaced_hyphens(text: &str, offset: usize, words: &mut [Word]) {
    let mut prev_end = None;
    for w in words.iter_mut() {
        if let (Sep::Hyphen, Some(pe)) = (w.sep, prev_end) {
            let between = text.get(pe - offset..w.start - offset).unwrap_or_default();
            if between.chars().any(char::is_whitespace) {
                w.sep = Sep::Clause;
            }
        }
        prev_end = Some(w.end);
    }
}

/// One word; `buf` is room to lowercase it in, kept from word to word.
fn word(raw: &str, start: usize, sep: Sep, buf: &mut String) -> Word {
    // Most words are plain ASCII letters and digits: lowercased in place, with no copy of
    // their own when the cache has them (see [`normalise`] for the others).
    let (norm, stem) = if raw.bytes().all(|b| b.is_ascii_alphanumeric()) {
        buf.clear();
        buf.push_str(raw);
        buf.make_ascii_lowercase();
        shared_word(buf)
    } else {
        shared_word(&normalise(raw))
    };
    let first_upper = raw.chars().next().is_some_and(char::is_uppercase);
    Word {
        start,
        end: start + raw.len(),
        cap: first_upper && raw != "I",
        upper: !raw.chars().any(char::is_lowercase),
        number: is_number(raw),
        norm,
        stem,
        sep,
    }
}

/// Digits, with `,` or `.` inside and an optional plural `s`: "2019", "6,000", "50s".
fn is_number(raw: &str) -> bool {
    let digits = raw.strip_suffix('s').unwrap_or(raw);
    digits.chars().next().is_some_and(|c| c.is_ascii_digit())
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
}

/// The words of a phrase or trigger written in the concepts file, as normalised words with
/// what separates each from the one before.
pub(crate) fn phrase_words(text: &str) -> Vec<(String, Sep)> {
    // Most phrases are ASCII letters between single spaces, whose words UAX #29 splits at
    // the spaces: split there, without segmenting or stemming (phrases are read for every
    // checklist loaded, each several times).
    let plain = text.bytes().all(|b| b.is_ascii_alphabetic() || b == b' ');
    if plain && !text.contains("  ") {
        return text
            .split(' ')
            .filter(|w| !w.is_empty())
            .enumerate()
            .map(|(i, w)| {
                let sep = if i == 0 { Sep::Start } else { Sep::Space };
                (w.to_ascii_lowercase(), sep)
            })
            .collect();
    }
    words(text, 0)
        .into_iter()
        .map(|w| (w.norm.to_string(), w.sep))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(t: &str) -> Vec<String> {
        words(t, 0)
            .into_iter()
            .map(|w| w.norm.to_string())
            .collect()
    }

    #[test]
    fn possessives_and_curly_apostrophes_are_dropped() {
        assert_eq!(
            norms("Residents’ panel and the resident's panel; we’ll decide"),
            [
                "residents",
                "panel",
                "and",
                "the",
                "resident",
                "panel",
                "we",
                "decide"
            ]
        );
        assert_eq!(norms("We don’t and won't"), ["we", "don't", "and", "won't"]);
    }

    #[test]
    fn stems_join_word_forms() {
        let s: Vec<String> = words("volunteers volunteered volunteering", 0)
            .into_iter()
            .map(|w| w.stem.to_string())
            .collect();
        assert_eq!(s, ["volunt", "volunt", "volunt"]);
    }

    #[test]
    fn separators_tell_hyphens_lists_and_clauses_apart() {
        let seps: Vec<Sep> = words("co-produced, by residents; staff - not", 0)
            .into_iter()
            .map(|w| w.sep)
            .collect();
        assert_eq!(
            seps,
            [
                Sep::Start,
                Sep::Hyphen,
                Sep::List,
                Sep::Space,
                Sep::Clause,
                Sep::Clause
            ]
        );
    }

    #[test]
    fn plain_phrases_split_at_spaces_as_words_does() {
        for p in [
            "village hall",
            " Village  Hall ",
            "Tool library",
            "a",
            "",
            " ",
            "residents decide",
            "ESOL classes for adults",
        ] {
            let slow: Vec<(String, Sep)> = words(p, 0)
                .into_iter()
                .map(|w| (w.norm.to_string(), w.sep))
                .collect();
            assert_eq!(phrase_words(p), slow, "{p:?}");
        }
    }

    #[test]
    fn capitals_numbers_and_offsets() {
        let ws = words("in Fernleigh Library since 2019, I", 10);
        let w = &ws[1];
        assert!(w.cap && !w.upper && !w.number);
        assert_eq!((w.start, w.end), (13, 22));
        assert!(ws[4].number && !ws[4].cap);
        assert!(!ws[5].cap, "the pronoun I is not a name");
    }
}
