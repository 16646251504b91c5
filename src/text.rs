//! Whole-word, case-insensitive phrase matching over free text.
//!
//! Rules use it to read bids that carry only a title and a description (as imported grant data
//! does): `find(bid.summary, ["steering group", "volunteer*"])` returns the words the bid itself
//! used, so a finding can quote them.

/// Separates the fields of a bid in its joined free text: a phrase never runs from one field
/// into the next.
pub(crate) const FIELD_BREAK: char = '\u{1F}';

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
        Indexed { text, words, lower }
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

    /// Every phrase from `patterns` found, as written, in order of appearance, without repeats
    /// (compared case-insensitively).
    pub(crate) fn find(&self, patterns: &[&str]) -> Vec<String> {
        let pats: Vec<Pattern> = patterns.iter().filter_map(|p| pattern(p)).collect();
        let mut hits: Vec<String> = Vec::new();
        for i in 0..self.words.len() {
            for p in &pats {
                let n = p.words.len();
                if i + n > self.words.len() {
                    continue;
                }
                let same_field = self.words.get(i).map(|w| w.field)
                    == self.words.get(i + n - 1).map(|w| w.field);
                let matched = same_field
                    && p.words.iter().enumerate().all(|(j, pw)| {
                        let w = self.lower(i + j);
                        if p.prefix_last && j == n - 1 {
                            w.starts_with(pw.as_str())
                        } else {
                            w == pw
                        }
                    });
                if !matched {
                    continue;
                }
                let (Some(first), Some(last)) = (self.words.get(i), self.words.get(i + n - 1))
                else {
                    continue;
                };
                let phrase = self.text.get(first.start..last.end).unwrap_or_default();
                // Collapse line breaks and runs of spaces inside a phrase.
                let phrase = if n > 1 {
                    phrase.split_whitespace().collect::<Vec<_>>().join(" ")
                } else {
                    phrase.to_string()
                };
                if !hits
                    .iter()
                    .any(|h| h.to_lowercase() == phrase.to_lowercase())
                {
                    hits.push(phrase);
                }
            }
        }
        hits
    }
}

/// Every phrase from `patterns` found in `text`, as written in `text`, in order of appearance,
/// without repeats (compared case-insensitively).
pub(crate) fn find(text: &str, patterns: &[&str]) -> Vec<String> {
    Indexed::new(text.to_string()).find(patterns)
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
    fn quotes_and_shortens_at_a_word() {
        assert_eq!(quote("short  text", 100), "\"short text\"");
        assert_eq!(quote("one two three four five six", 12), "\"one two…\"");
    }
}
