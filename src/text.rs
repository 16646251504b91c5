//! Whole-word, case-insensitive phrase matching over free text.
//!
//! Rules use it to read bids that carry only a title and a description (as imported grant data
//! does): `find(bid.summary, ["steering group", "volunteer*"])` returns the words the bid itself
//! used, so a finding can quote them.

/// Separates the fields of a bid in its joined free text: a phrase never runs from one field
/// into the next.
pub(crate) const FIELD_BREAK: char = '\u{1F}';

/// Told of the work a search does as it does it — bytes scanned, and comparisons of a word with
/// a pattern — so the caller can charge it (a rule's operation budget); answering `false` stops
/// the search, which then returns `None`.
pub(crate) type Meter<'a> = &'a mut dyn FnMut(Work) -> bool;

/// Work a search reports to its [`Meter`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Work {
    pub bytes: usize,
    pub pairs: usize,
}

/// A word in a text: its byte range in the original, and which field it is in.
#[derive(Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
    field: u32,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'
}

fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::with_capacity(text.len() / 5);
    let mut start = None;
    let mut field = 0u32;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                push_word(&mut out, text, s, i, field);
                start = None;
            }
            _ => {}
        }
        if c == FIELD_BREAK {
            field += 1;
        }
    }
    if let Some(s) = start {
        push_word(&mut out, text, s, text.len(), field);
    }
    out
}

fn push_word(out: &mut Vec<Word>, text: &str, start: usize, end: usize, field: u32) {
    // Trim apostrophes and hyphens at the edges: "'residents'" is the word "residents".
    let raw = text.get(start..end).unwrap_or_default();
    let inner = raw.trim_matches(['\'', '’', '-']);
    if inner.is_empty() {
        return;
    }
    let s = start + (raw.len() - raw.trim_start_matches(['\'', '’', '-']).len());
    out.push(Word {
        start: s,
        end: s + inner.len(),
        field,
    });
}

/// A phrase to look for: lowercase words, the last may end in `*` (any word starting so).
struct Pattern {
    words: Vec<String>,
    prefix_last: bool,
}

/// Parsed patterns, per thread: rules pass the same few hundred phrases for every bid. Bounded,
/// because a rule could build patterns from a bid's own words.
fn cached_pattern(p: &str) -> Option<std::rc::Rc<Pattern>> {
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::rc::Rc;
    const MAX: usize = 4096;
    thread_local! {
        static CACHE: RefCell<HashMap<Box<str>, Option<Rc<Pattern>>>> = RefCell::new(HashMap::new());
    }
    CACHE.with(|c| {
        if let Some(hit) = c.borrow().get(p) {
            return hit.clone();
        }
        let parsed = pattern(p).map(Rc::new);
        let mut cache = c.borrow_mut();
        if cache.len() >= MAX {
            cache.clear();
        }
        cache.insert(p.into(), parsed.clone());
        parsed
    })
}

fn pattern(p: &str) -> Option<Pattern> {
    let trimmed = p.trim_end();
    let prefix_last = trimmed.ends_with('*');
    let body = trimmed.trim_end_matches('*');
    let words: Vec<String> = words(body)
        .into_iter()
        .filter_map(|w| body.get(w.start..w.end).map(str::to_lowercase))
        .collect();
    (!words.is_empty()).then_some(Pattern { words, prefix_last })
}

/// A text split into words once, to be searched many times (a bid's free text, searched by
/// every rule that calls `mentions`).
pub(crate) struct Indexed {
    text: String,
    words: Vec<Word>,
    /// The text in lowercase, when lowercasing keeps every byte offset (ASCII text); otherwise
    /// each word's lowercase form.
    lower: Lower,
    /// Word positions sorted by their lowercase form (ties by position), so a search looks up a
    /// phrase's first word instead of scanning every word.
    sorted: Vec<usize>,
}

enum Lower {
    Same(String),
    Each(Vec<String>),
}

impl Indexed {
    pub(crate) fn new(text: String) -> Indexed {
        let words = words(&text);
        let lower = if text.is_ascii() {
            Lower::Same(text.to_ascii_lowercase())
        } else {
            Lower::Each(
                words
                    .iter()
                    .map(|w| text.get(w.start..w.end).unwrap_or_default().to_lowercase())
                    .collect(),
            )
        };
        let mut indexed = Indexed {
            text,
            words,
            lower,
            sorted: Vec::new(),
        };
        let mut sorted: Vec<usize> = (0..indexed.words.len()).collect();
        sorted.sort_by(|&a, &b| indexed.lower(a).cmp(indexed.lower(b)).then(a.cmp(&b)));
        indexed.sorted = sorted;
        indexed
    }

    fn lower(&self, i: usize) -> &str {
        match &self.lower {
            Lower::Same(l) => self
                .words
                .get(i)
                .and_then(|w| l.get(w.start..w.end))
                .unwrap_or_default(),
            Lower::Each(v) => v.get(i).map(String::as_str).unwrap_or_default(),
        }
    }

    /// Positions of the words equal to `key` (or, with `prefix`, starting with it).
    fn positions(&self, key: &str, prefix: bool) -> Vec<usize> {
        let from = self.sorted.partition_point(|&i| self.lower(i) < key);
        let rest = self.sorted.get(from..).unwrap_or_default();
        // Different words sharing a prefix come in word order, not text order: `find` sorts.
        rest.iter()
            .copied()
            .take_while(|&i| {
                let w = self.lower(i);
                if prefix { w.starts_with(key) } else { w == key }
            })
            .collect()
    }

    /// Every phrase from `patterns` found, as written, in order of appearance, without repeats
    /// (compared case-insensitively); `None` when the meter stopped the search.
    pub(crate) fn find(&self, patterns: &[&str], meter: Meter<'_>) -> Option<Vec<String>> {
        let pats = parsed(patterns, meter)?;
        // One lookup in the sorted words: about log2(words) comparisons.
        let lookup = usize::BITS as usize - self.words.len().leading_zeros() as usize + 1;
        // (position, pattern) of every match; sorted below into the order of the text.
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        for (k, p) in pats.iter().enumerate() {
            let n = p.words.len();
            let Some(first) = p.words.first() else {
                continue;
            };
            let at = self.positions(first, p.prefix_last && n == 1);
            if !meter(Work {
                bytes: 0,
                pairs: lookup + at.len() * n,
            }) {
                return None;
            }
            for i in at {
                if i + n > self.words.len() {
                    continue;
                }
                let same_field = self.words.get(i).map(|w| w.field)
                    == self.words.get(i + n - 1).map(|w| w.field);
                let matched = same_field
                    && p.words.iter().enumerate().skip(1).all(|(j, pw)| {
                        let w = self.lower(i + j);
                        if p.prefix_last && j == n - 1 {
                            w.starts_with(pw.as_str())
                        } else {
                            w == pw
                        }
                    });
                if matched {
                    found.push((i, k, n));
                }
            }
        }
        found.sort_unstable();
        phrases(
            &self.text,
            &self.words,
            found.into_iter().map(|(i, _, n)| (i, n)),
            meter,
        )
    }
}

/// The patterns, parsed (each once per thread), after charging for reading them: looking a
/// pattern up, or splitting and lowercasing it, is worth a few dozen comparisons.
fn parsed(patterns: &[&str], meter: Meter<'_>) -> Option<Vec<std::rc::Rc<Pattern>>> {
    const PER_PATTERN: usize = 64;
    let bytes = patterns.iter().map(|p| p.len()).sum();
    meter(Work {
        bytes,
        pairs: patterns.len() * PER_PATTERN,
    })
    .then(|| patterns.iter().filter_map(|p| cached_pattern(p)).collect())
}

/// The phrases at (first word, number of words), in the given order, as written in `text`
/// with line breaks and runs of spaces collapsed, without repeats (compared case-insensitively).
fn phrases(
    text: &str,
    words: &[Word],
    at: impl IntoIterator<Item = (usize, usize)>,
    meter: Meter<'_>,
) -> Option<Vec<String>> {
    let mut hits: Vec<String> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (i, n) in at {
        // Each phrase is compared with those kept so far.
        if !meter(Work {
            bytes: 0,
            pairs: seen.len() + 1,
        }) {
            return None;
        }
        let (Some(first), Some(last)) = (words.get(i), words.get(i + n - 1)) else {
            continue;
        };
        let phrase = text.get(first.start..last.end).unwrap_or_default();
        let phrase = if n > 1 {
            phrase.split_whitespace().collect::<Vec<_>>().join(" ")
        } else {
            phrase.to_string()
        };
        let key = phrase.to_lowercase();
        if !seen.contains(&key) {
            seen.push(key);
            hits.push(phrase);
        }
    }
    Some(hits)
}

/// Every phrase from `patterns` found in `text`, as written in `text`, in order of appearance,
/// without repeats (compared case-insensitively).
///
/// For one search of one text a scan of every word beats building [`Indexed`]'s index.
/// `None` when the meter stopped the search.
pub(crate) fn find(text: &str, patterns: &[&str], meter: Meter<'_>) -> Option<Vec<String>> {
    if !meter(Work {
        bytes: text.len(),
        pairs: 0,
    }) {
        return None;
    }
    let ws = words(text);
    let ascii = text.is_ascii();
    let lowered = if ascii {
        text.to_ascii_lowercase()
    } else {
        String::new()
    };
    let lower: Vec<std::borrow::Cow<'_, str>> = ws
        .iter()
        .map(|w| {
            if ascii {
                std::borrow::Cow::Borrowed(lowered.get(w.start..w.end).unwrap_or_default())
            } else {
                std::borrow::Cow::Owned(text.get(w.start..w.end).unwrap_or_default().to_lowercase())
            }
        })
        .collect();
    let pats = parsed(patterns, meter)?;
    let mut found: Vec<(usize, usize)> = Vec::new();
    for i in 0..ws.len() {
        // Every pattern is tried at every word: charged a stretch of words at a time.
        if i % 64 == 0
            && !meter(Work {
                bytes: 0,
                pairs: 64 * pats.len(),
            })
        {
            return None;
        }
        for p in &pats {
            let n = p.words.len();
            let (Some(first), Some(last)) = (ws.get(i), ws.get(i + n - 1)) else {
                continue;
            };
            let matched = first.field == last.field
                && p.words.iter().enumerate().all(|(j, pw)| {
                    let w = lower.get(i + j).map(|w| w.as_ref()).unwrap_or_default();
                    if p.prefix_last && j == n - 1 {
                        w.starts_with(pw.as_str())
                    } else {
                        w == pw
                    }
                });
            if matched {
                found.push((i, n));
            }
        }
    }
    phrases(text, &ws, found, meter)
}

thread_local! {
    /// Texts already indexed during the current bid: rules search the same fields (a summary,
    /// a partner's role) again and again. Emptied at the start of every bid.
    static INDEXED: std::cell::RefCell<std::collections::HashMap<Box<str>, std::rc::Rc<Indexed>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// Forgets the texts indexed for the previous bid.
pub(crate) fn start_bid() {
    INDEXED.with(|c| c.borrow_mut().clear());
}

/// [`find`], reusing the index of a text already searched during this bid. Bounded: long texts
/// and texts past the first few hundred are searched without being kept. Building an index is
/// charged to the meter (about `words × log2(words)` comparisons to sort them), searching one
/// as [`Indexed::find`] says.
pub(crate) fn find_cached(text: &str, patterns: &[&str], meter: Meter<'_>) -> Option<Vec<String>> {
    const MAX_TEXT: usize = 64 * 1024;
    const MAX_TEXTS: usize = 512;
    if text.len() > MAX_TEXT {
        return find(text, patterns, meter);
    }
    let hit = INDEXED.with(|c| c.borrow().get(text).cloned());
    let indexed = match hit {
        Some(i) => i,
        None => {
            // At most one word in two bytes; sorting them is about words × log2(words).
            let words = text.len() / 2 + 1;
            let log = usize::BITS as usize - words.leading_zeros() as usize;
            if !meter(Work {
                bytes: text.len(),
                pairs: words * log,
            }) {
                return None;
            }
            let i = std::rc::Rc::new(Indexed::new(text.to_string()));
            INDEXED.with(|c| {
                let mut cache = c.borrow_mut();
                if cache.len() < MAX_TEXTS {
                    cache.insert(text.into(), i.clone());
                }
            });
            i
        }
    };
    indexed.find(patterns, meter)
}

/// The bid's words in quotation marks, cut at a word boundary near `max` characters.
pub(crate) fn quote(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return format!("\"{text}\"");
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => cut.get(..i).unwrap_or(&cut).to_string(),
        _ => cut,
    };
    format!("\"{}…\"", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unmetered(_: Work) -> bool {
        true
    }

    fn find(text: &str, patterns: &[&str]) -> Vec<String> {
        super::find(text, patterns, &mut unmetered).unwrap_or_default()
    }

    #[test]
    fn finds_whole_words_case_insensitively() {
        let t = "Residents decide; our Steering Group meets monthly. Volunteering is open.";
        assert_eq!(
            find(t, &["steering group", "volunteer*", "resident"]),
            vec!["Steering Group", "Volunteering"]
        );
        assert_eq!(find(t, &["decide"]), vec!["decide"]);
        assert!(find(t, &["group meet"]).is_empty());
    }

    #[test]
    fn phrases_span_line_breaks_and_do_not_repeat() {
        let t = "a steering\ngroup and a steering group";
        assert_eq!(find(t, &["steering group"]), vec!["steering group"]);
    }

    #[test]
    fn a_phrase_never_runs_from_one_field_into_the_next() {
        let t = format!("run by a steering{FIELD_BREAK}group of residents");
        assert!(find(&t, &["steering group"]).is_empty());
        assert_eq!(find(&t, &["steering", "group"]), vec!["steering", "group"]);
    }

    #[test]
    fn the_index_finds_exactly_what_a_scan_of_every_word_finds() {
        let vocab = [
            "Steering",
            "group",
            "groups",
            "volunteer",
            "Volunteers",
            "volunteering",
            "residents",
            "resident's",
            "Café",
            "café",
            "ÉCOLE",
            "école",
            "a",
            "the",
            "-",
            "'",
            "peer",
            "mentors",
            "older",
            "people",
            "Older",
        ];
        let pats = [
            "steering group",
            "volunteer*",
            "resident*",
            "café",
            "école",
            "older people",
            "peer mentor*",
            "group",
            "a the",
            "the*",
            "-",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |m: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % m as u64) as usize
        };
        for _ in 0..3000 {
            let len = next(40);
            let mut t = String::new();
            for _ in 0..len {
                match next(12) {
                    0 => t.push(FIELD_BREAK),
                    1 => t.push_str(",\n"),
                    _ => t.push(' '),
                }
                t.push_str(vocab[next(vocab.len())]);
            }
            let chosen: Vec<&str> = (0..1 + next(4)).map(|_| pats[next(pats.len())]).collect();
            assert_eq!(
                Indexed::new(t.clone())
                    .find(&chosen, &mut unmetered)
                    .unwrap_or_default(),
                find(&t, &chosen),
                "{t:?} {chosen:?}"
            );
        }
    }

    #[test]
    fn a_meter_that_says_stop_stops_every_search() {
        let text = "steering group ".repeat(100);
        let mut spent = 0;
        let mut budget = |w: Work| {
            spent += w.bytes / 16 + w.pairs / 8;
            spent < 50
        };
        assert_eq!(super::find(&text, &["steering group"], &mut budget), None);
        let mut never = |_: Work| false;
        assert_eq!(
            Indexed::new(text.clone()).find(&["group"], &mut never),
            None
        );
        assert_eq!(find_cached(&text, &["group"], &mut never), None);
        assert_eq!(find(&text, &["steering group"]), vec!["steering group"]);
    }

    #[test]
    fn quotes_and_shortens_at_a_word() {
        assert_eq!(quote("short  text", 100), "\"short text\"");
        assert_eq!(quote("one two three four five six", 12), "\"one two…\"");
    }
}
