//! Quoting the bid's own words in reasons and advice.
//!
//! (Reading prose — sentences, word forms, denials, who acts — is the reading layer's, in
//! `src/reading/`; this module only shortens a quotation.)

/// Separates the fields of a record's joined free text (for `quote` of a whole record).
pub(crate) const FIELD_BREAK: char = '\u{1F}';

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
