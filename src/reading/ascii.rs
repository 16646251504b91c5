//! UAX #29 word and sentence boundaries for plain ASCII text, exactly as `unicode-segmentation`
//! finds them (a property test compares the two), without its general tables: most bids are
//! ASCII, and the general segmenter was about a third of reading one. Text with any other
//! character goes to `unicode-segmentation`, through [`word_bounds`] and [`sentence_bounds`].

use unicode_segmentation::UnicodeSegmentation;

/// The segments of `text` at its word boundaries, each with its first byte.
pub(crate) fn word_bounds(text: &str) -> Vec<(usize, &str)> {
    if !text.is_ascii() {
        return text.split_word_bound_indices().collect();
    }
    let mut out = Vec::with_capacity(text.len() / 3 + 1);
    let mut start = 0;
    while start < text.len() {
        let end = word_end(text.as_bytes(), start);
        if let Some(seg) = text.get(start..end) {
            out.push((start, seg));
        }
        start = end;
    }
    out
}

/// The sentences of `text` (whole: spaces after a sentence stay with it), each with its first
/// byte.
pub(crate) fn sentence_bounds(text: &str) -> Vec<(usize, &str)> {
    if !text.is_ascii() {
        return text.split_sentence_bound_indices().collect();
    }
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        i = match at(b, i) {
            Next::Byte => i + 1,
            Next::From(k) => k.max(i + 1),
            Next::Break(k) => {
                if k < b.len() {
                    out.extend(text.get(start..k).map(|seg| (start, seg)));
                    start = k;
                }
                k.max(i + 1)
            }
        };
    }
    out.extend(
        text.get(start..)
            .filter(|s| !s.is_empty())
            .map(|seg| (start, seg)),
    );
    out
}

/// Word break classes of ASCII bytes (UAX #29, table 3).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wc {
    Letter,
    Numeric,
    /// `:`
    MidLetter,
    /// `.`
    MidNumLet,
    /// `'`
    SingleQuote,
    /// `,` `;`
    MidNum,
    /// `_`
    ExtendNumLet,
    /// ` `
    Space,
    Cr,
    Lf,
    /// Vertical tab and form feed.
    Newline,
    Other,
}

fn w(b: u8) -> Wc {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' => Wc::Letter,
        b'0'..=b'9' => Wc::Numeric,
        b':' => Wc::MidLetter,
        b'.' => Wc::MidNumLet,
        b'\'' => Wc::SingleQuote,
        b',' | b';' => Wc::MidNum,
        b'_' => Wc::ExtendNumLet,
        b' ' => Wc::Space,
        b'\r' => Wc::Cr,
        b'\n' => Wc::Lf,
        0x0b | 0x0c => Wc::Newline,
        _ => Wc::Other,
    }
}

/// The end of the word segment that starts at `start` (WB3–WB13b; no ASCII byte is Extend,
/// Format, ZWJ, Katakana, a Hebrew letter or a regional indicator).
fn word_end(b: &[u8], start: usize) -> usize {
    let class = |i: usize| b.get(i).copied().map(w);
    let Some(first) = class(start) else {
        return start;
    };
    let mut j = start + 1;
    match first {
        Wc::Cr if class(j) == Some(Wc::Lf) => j + 1,
        Wc::Space => {
            while class(j) == Some(Wc::Space) {
                j += 1;
            }
            j
        }
        Wc::Letter | Wc::Numeric | Wc::ExtendNumLet => {
            let joins = |c: Wc| matches!(c, Wc::Letter | Wc::Numeric | Wc::ExtendNumLet);
            let mut cur = first;
            while let Some(c) = class(j) {
                let after = class(j + 1);
                if joins(c) {
                    cur = c;
                    j += 1;
                } else if cur == Wc::Letter
                    && matches!(c, Wc::MidLetter | Wc::MidNumLet | Wc::SingleQuote)
                    && after == Some(Wc::Letter)
                    || cur == Wc::Numeric
                        && matches!(c, Wc::MidNum | Wc::MidNumLet | Wc::SingleQuote)
                        && after == Some(Wc::Numeric)
                {
                    // WB6/WB7 and WB11/WB12: the middle byte and the one after it.
                    j += 2;
                    cur = after.unwrap_or(cur);
                } else {
                    break;
                }
            }
            j
        }
        _ => j,
    }
}

/// Sentence break classes of ASCII bytes (UAX #29, table 4).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sc {
    Cr,
    Lf,
    /// Tab, vertical tab, form feed, space.
    Sp,
    Lower,
    Upper,
    Numeric,
    /// `.`
    ATerm,
    /// `!` `?`
    STerm,
    /// `"` `'` `(` `)` `[` `]` `{` `}`
    Close,
    /// `,` `-` `:` `;`
    SContinue,
    Other,
}

fn s(b: u8) -> Sc {
    match b {
        b'\r' => Sc::Cr,
        b'\n' => Sc::Lf,
        b'\t' | 0x0b | 0x0c | b' ' => Sc::Sp,
        b'a'..=b'z' => Sc::Lower,
        b'A'..=b'Z' => Sc::Upper,
        b'0'..=b'9' => Sc::Numeric,
        b'.' => Sc::ATerm,
        b'!' | b'?' => Sc::STerm,
        b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => Sc::Close,
        b',' | b'-' | b':' | b';' => Sc::SContinue,
        _ => Sc::Other,
    }
}

/// What follows a byte, for the sentence scan.
enum Next {
    /// Nothing ends here: go on with the next byte.
    Byte,
    /// No break up to this byte: go on from it.
    From(usize),
    /// A sentence ends just before this byte.
    Break(usize),
}

/// At byte `i`: whether a sentence ends after what starts there (SB3–SB11).
fn at(b: &[u8], i: usize) -> Next {
    let class = |k: usize| b.get(k).copied().map(s);
    let aterm = match class(i) {
        // SB3, SB4: a paragraph separator ends a sentence after it.
        Some(Sc::Cr) if class(i + 1) == Some(Sc::Lf) => return Next::Break(i + 2),
        Some(Sc::Cr | Sc::Lf) => return Next::Break(i + 1),
        Some(Sc::ATerm) => true,
        Some(Sc::STerm) => false,
        _ => return Next::Byte,
    };
    let next = class(i + 1);
    // SB6: ATerm × Numeric; SB7: (Upper | Lower) ATerm × Upper.
    let upper_before = i > 0 && matches!(class(i - 1), Some(Sc::Upper | Sc::Lower));
    if aterm && (next == Some(Sc::Numeric) || next == Some(Sc::Upper) && upper_before) {
        return Next::Byte;
    }
    let mut k = i + 1;
    while class(k) == Some(Sc::Close) {
        k += 1;
    }
    while class(k) == Some(Sc::Sp) {
        k += 1;
    }
    // SB9–SB11: a paragraph separator goes with the sentence it ends.
    match class(k) {
        None => return Next::Break(k),
        Some(Sc::Cr) if class(k + 1) == Some(Sc::Lf) => return Next::Break(k + 2),
        Some(Sc::Cr | Sc::Lf) => return Next::Break(k + 1),
        // SB8a: SATerm Close* Sp* × (SContinue | SATerm).
        Some(Sc::SContinue | Sc::ATerm | Sc::STerm) => return Next::From(k),
        _ => {}
    }
    // SB8: ATerm Close* Sp* × (¬(OLetter | Upper | Lower | ParaSep | SATerm))* Lower.
    if aterm {
        let mut m = k;
        while let Some(c) = class(m) {
            match c {
                Sc::Lower => return Next::From(k),
                Sc::Upper | Sc::Cr | Sc::Lf | Sc::ATerm | Sc::STerm => break,
                _ => m += 1,
            }
        }
    }
    Next::Break(k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Text as bids are written, and the bytes UAX #29 treats specially, weighted towards
    /// letters and spaces so that words and sentences form.
    fn ascii_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            6 => "[a-z]{1,8}",
            3 => "[A-Z][a-z]{0,6}",
            2 => "[0-9]{1,4}",
            6 => Just(" ".to_string()),
            6 => proptest::sample::select(vec![
                ".", ",", ";", ":", "'", "\"", "_", "-", "!", "?", "(", ")", "[", "]", "{", "}",
                "  ", "\t", "\r", "\n", "\r\n", "\u{b}", "\u{c}", "&", "/", "+", "*", "#", "...",
                ". ", "? ", "! ", ".) ", ".\" ", "e.g. ", "U.K. ", "1.5", "6,000", "50s",
            ])
            .prop_map(str::to_string),
        ];
        proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    /// The same, with characters outside ASCII now and then (accents, curly quotes, dashes).
    fn mixed_text() -> impl Strategy<Value = String> {
        let extra = proptest::sample::select(vec![
            "é", "’", "‘", "“", "”", "—", "–", "•", "café", "naïve", "\u{a0}", "…", "£",
        ]);
        proptest::collection::vec(
            prop_oneof![3 => ascii_text(), 1 => extra.prop_map(str::to_string)],
            0..6,
        )
        .prop_map(|v| v.concat())
    }

    fn same(text: &str) -> Result<(), TestCaseError> {
        let words: Vec<(usize, &str)> = text.split_word_bound_indices().collect();
        prop_assert_eq!(word_bounds(text), words, "words of {:?}", text);
        let sentences: Vec<(usize, &str)> = text.split_sentence_bound_indices().collect();
        prop_assert_eq!(sentence_bounds(text), sentences, "sentences of {:?}", text);
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn ascii_bounds_are_unicode_segmentations(text in ascii_text()) {
            same(&text)?;
        }

        #[test]
        fn mixed_text_bounds_are_unicode_segmentations(text in mixed_text()) {
            same(&text)?;
        }
    }

    #[test]
    fn bounds_of_sentences_as_bids_write_them() {
        for text in [
            "We run a lunch club. It meets weekly!",
            "Mr. Smith runs it, e.g. on Mondays. At 3.30pm we close.",
            "Is it open? Yes! (Most days.) \"Come along.\" we said.",
            "Ages 11-18; 6,000 visits a year... and more.",
            "The U.K. grant. Then what?! Nothing.",
            "",
            " ",
            "a",
            "end.",
        ] {
            same(text).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}
