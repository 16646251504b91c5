//! Whole-word, case-insensitive phrase matching over free text.
//!
//! Rules use it to read bids that carry only a title and a description (as imported grant data
//! does): `find(bid.summary, ["steering group", "volunteer*"])` returns the words the bid itself
//! used, so a finding can quote them.

/// A word in a text: its lowercase form and its byte range in the original.
struct Word {
    lower: String,
    start: usize,
    end: usize,
}

fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let is_word = c.is_alphanumeric() || c == '\'' || c == '’' || c == '-';
        match (is_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                push_word(&mut out, text, s, i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        push_word(&mut out, text, s, text.len());
    }
    out
}

fn push_word(out: &mut Vec<Word>, text: &str, start: usize, end: usize) {
    // Trim apostrophes and hyphens at the edges: "'residents'" is the word "residents".
    let raw = text.get(start..end).unwrap_or_default();
    let trimmed_start = raw.len() - raw.trim_start_matches(['\'', '’', '-']).len();
    let inner = raw.trim_matches(['\'', '’', '-']);
    if inner.is_empty() {
        return;
    }
    let s = start + trimmed_start;
    out.push(Word {
        lower: inner.to_lowercase(),
        start: s,
        end: s + inner.len(),
    });
}

/// A phrase to look for: lowercase words, the last may end in `*` (any word starting so).
struct Pattern {
    words: Vec<String>,
    prefix_last: bool,
}

fn pattern(p: &str) -> Option<Pattern> {
    let prefix_last = p.trim_end().ends_with('*');
    let words: Vec<String> = words(p.trim_end().trim_end_matches('*'))
        .into_iter()
        .map(|w| w.lower)
        .collect();
    (!words.is_empty()).then_some(Pattern { words, prefix_last })
}

/// Every phrase from `patterns` found in `text`, as written in `text`, in order of appearance,
/// without repeats (compared case-insensitively).
pub(crate) fn find(text: &str, patterns: &[&str]) -> Vec<String> {
    let ws = words(text);
    let pats: Vec<Pattern> = patterns.iter().filter_map(|p| pattern(p)).collect();
    let mut hits: Vec<(usize, String)> = Vec::new();
    for i in 0..ws.len() {
        for p in &pats {
            let n = p.words.len();
            let Some(window) = ws.get(i..i + n) else {
                continue;
            };
            let matched = window.iter().zip(&p.words).enumerate().all(|(j, (w, pw))| {
                if p.prefix_last && j == n - 1 {
                    w.lower.starts_with(pw.as_str())
                } else {
                    w.lower == *pw
                }
            });
            if matched {
                let (Some(first), Some(last)) = (window.first(), window.last()) else {
                    continue;
                };
                let phrase = text.get(first.start..last.end).unwrap_or_default();
                // Collapse line breaks and runs of spaces inside a phrase.
                let phrase = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
                if !hits.iter().any(|(_, h)| h.eq_ignore_ascii_case(&phrase)) {
                    hits.push((first.start, phrase));
                }
            }
        }
    }
    hits.into_iter().map(|(_, h)| h).collect()
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
    fn quotes_and_shortens_at_a_word() {
        assert_eq!(quote("short  text", 100), "\"short text\"");
        assert_eq!(quote("one two three four five six", 12), "\"one two…\"");
    }
}
