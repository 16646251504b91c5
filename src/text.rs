//! Quoting the bid's own words in reasons and advice.
//!
//! (Reading prose — sentences, word forms, denials, who acts — is the reading layer's, in
//! `src/reading/`; this module only shortens a quotation.)

/// Separates the fields of a record's joined free text (for `quote` of a whole record).
pub(crate) const FIELD_BREAK: char = '\u{1F}';

/// The bid's words in quotation marks, cut at a word boundary near `max` characters.
///
/// The words are joined by single spaces only as far as the quotation can reach: one character
/// past `max` already says it must be cut, so a long sentence is not copied whole.
pub(crate) fn quote(text: &str, max: usize) -> String {
    let mut joined = String::with_capacity(text.len().min(4 * max + 8));
    let mut chars = 0;
    for word in text.split_whitespace() {
        if !joined.is_empty() {
            joined.push(' ');
            chars += 1;
        }
        joined.push_str(word);
        chars += word.chars().count();
        if chars > max {
            break;
        }
    }
    if chars <= max {
        return format!("\"{joined}\"");
    }
    let end = joined
        .char_indices()
        .nth(max)
        .map_or(joined.len(), |(i, _)| i);
    let cut = joined.get(..end).unwrap_or(&joined);
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => cut.get(..i).unwrap_or(cut),
        _ => cut,
    };
    format!("\"{}…\"", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quotation as first written: every word joined, then cut.
    fn quote_whole(text: &str, max: usize) -> String {
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

    #[test]
    fn joining_only_what_is_quoted_quotes_the_same() {
        let texts = [
            "",
            "   ",
            "Residents decide",
            "  We run   a lunch\nclub,  every\tweek. ",
            "Café élan — naïve façade; résumé ’quoted’ words, and more words after them all",
            "one two three four five six seven eight nine ten eleven twelve thirteen fourteen",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
            "word, word; word: word. word word, word; word: word. word",
        ];
        for t in texts {
            for max in [0, 1, 5, 9, 10, 11, 16, 17, 30, 52, 100] {
                assert_eq!(quote(t, max), quote_whole(t, max), "{t:?} at {max}");
            }
        }
    }

    #[test]
    fn a_long_quotation_is_cut_at_a_word_near_the_limit() {
        assert_eq!(quote("  Residents   decide  ", 100), "\"Residents decide\"");
        assert_eq!(
            quote(
                "Residents of Canal Ward will take over the hall and run it",
                30
            ),
            "\"Residents of Canal Ward will…\""
        );
    }
}
