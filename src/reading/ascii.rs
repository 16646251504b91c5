//! UAX #29 word and sentence boundaries for plain text, exactly as `unicode-segmentation` finds
//! them (a property test compares the two), without its general tables: most bids are ASCII
//! with now and then an accented letter, a pound sign, curly quotes or a dash, and the general
//! segmenter was about a third of reading one. "Plain" is ASCII and the characters of
//! [`wide_word`] and [`wide_sentence`] (Latin-1 letters, `£ €`, curly quotes, en and em dashes,
//! `…`, `•`, the no-break space); text with any other character goes to `unicode-segmentation`,
//! through [`word_bounds`] and [`sentence_bounds`].

use unicode_segmentation::UnicodeSegmentation;

/// Whether every character of `text` has its classes here.
fn plain(text: &str) -> bool {
    text.chars().all(|c| c.is_ascii() || wide_word(c).is_some())
}

/// The segments of `text` at its word boundaries, each with its first byte.
pub(crate) fn word_bounds(text: &str) -> Vec<(usize, &str)> {
    if text.is_ascii() {
        words_of::<false>(text)
    } else if plain(text) {
        words_of::<true>(text)
    } else {
        text.split_word_bound_indices().collect()
    }
}

/// [`word_bounds`] of plain text; `WIDE`: it has characters past ASCII.
fn words_of<const WIDE: bool>(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::with_capacity(text.len() / 3 + 1);
    let mut start = 0;
    while start < text.len() {
        let end = word_end::<WIDE>(text, start);
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
    if text.is_ascii() {
        sentences_of::<false>(text)
    } else if plain(text) {
        sentences_of::<true>(text)
    } else {
        text.split_sentence_bound_indices().collect()
    }
}

/// [`sentence_bounds`] of plain text; `WIDE`: it has characters past ASCII.
fn sentences_of<const WIDE: bool>(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < text.len() {
        i = match at::<WIDE>(text, i) {
            Next::Char if WIDE => i + char_len(text, i),
            Next::Char => i + 1,
            Next::From(k) => k.max(i + 1),
            Next::Break(k) => {
                if k < text.len() {
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

/// The length in bytes of the character starting at byte `i` (1 past the end).
fn char_len(text: &str, i: usize) -> usize {
    match text.as_bytes().get(i) {
        Some(&b) if b >= 0xF0 => 4,
        Some(&b) if b >= 0xE0 => 3,
        Some(&b) if b >= 0xC0 => 2,
        _ => 1,
    }
}

/// Word break classes (UAX #29, table 3) of the characters handled here.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wc {
    Letter,
    Numeric,
    /// `:`
    MidLetter,
    /// `.` `‘` `’`
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

/// The word break class of a character past ASCII that is handled here; `None` for the rest.
fn wide_word(c: char) -> Option<Wc> {
    match c {
        '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{f6}' | '\u{f8}'..='\u{ff}' => Some(Wc::Letter),
        '\u{2018}' | '\u{2019}' => Some(Wc::MidNumLet),
        '£' | '€' | '\u{a0}' | '\u{201c}' | '\u{201d}' | '\u{2013}' | '\u{2014}' | '…' | '•' => {
            Some(Wc::Other)
        }
        _ => None,
    }
}

/// The word break class of the character at byte `i`, and its length.
#[inline]
fn word_class<const WIDE: bool>(text: &str, i: usize) -> Option<(Wc, usize)> {
    let b = *text.as_bytes().get(i)?;
    if !WIDE || b.is_ascii() {
        return Some((w(b), 1));
    }
    let c = text.get(i..)?.chars().next()?;
    Some((wide_word(c).unwrap_or(Wc::Other), c.len_utf8()))
}

/// The end of the word segment that starts at `start` (WB3–WB13b; no character handled here
/// is Extend, Format, ZWJ, Katakana, a Hebrew letter or a regional indicator).
fn word_end<const WIDE: bool>(text: &str, start: usize) -> usize {
    let class = |i: usize| word_class::<WIDE>(text, i);
    let Some((first, len)) = class(start) else {
        return start;
    };
    let mut j = start + len;
    match first {
        Wc::Cr if class(j).map(|c| c.0) == Some(Wc::Lf) => j + 1,
        Wc::Space => {
            while class(j).map(|c| c.0) == Some(Wc::Space) {
                j += 1;
            }
            j
        }
        Wc::Letter | Wc::Numeric | Wc::ExtendNumLet => {
            let joins = |c: Wc| matches!(c, Wc::Letter | Wc::Numeric | Wc::ExtendNumLet);
            let mut cur = first;
            while let Some((c, len)) = class(j) {
                let after = class(j + len);
                let after_class = after.map(|a| a.0);
                if joins(c) {
                    cur = c;
                    j += len;
                } else if cur == Wc::Letter
                    && matches!(c, Wc::MidLetter | Wc::MidNumLet | Wc::SingleQuote)
                    && after_class == Some(Wc::Letter)
                    || cur == Wc::Numeric
                        && matches!(c, Wc::MidNum | Wc::MidNumLet | Wc::SingleQuote)
                        && after_class == Some(Wc::Numeric)
                {
                    // WB6/WB7 and WB11/WB12: the middle character and the one after it.
                    let (next, next_len) = after.unwrap_or((cur, 0));
                    j += len + next_len;
                    cur = next;
                } else {
                    break;
                }
            }
            j
        }
        _ => j,
    }
}

/// Sentence break classes (UAX #29, table 4) of the characters handled here.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sc {
    Cr,
    Lf,
    /// Tab, vertical tab, form feed, space, no-break space.
    Sp,
    Lower,
    Upper,
    Numeric,
    /// `.`
    ATerm,
    /// `!` `?`
    STerm,
    /// `"` `'` `(` `)` `[` `]` `{` `}` `‘` `’` `“` `”`
    Close,
    /// `,` `-` `:` `;` `–` `—`
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

/// The sentence break class of a character past ASCII that [`wide_word`] handles.
fn wide_sentence(c: char) -> Sc {
    match c {
        '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{de}' => Sc::Upper,
        '\u{df}'..='\u{f6}' | '\u{f8}'..='\u{ff}' => Sc::Lower,
        '\u{a0}' => Sc::Sp,
        '\u{2018}' | '\u{2019}' | '\u{201c}' | '\u{201d}' => Sc::Close,
        '\u{2013}' | '\u{2014}' => Sc::SContinue,
        _ => Sc::Other,
    }
}

/// The sentence break class of the character at byte `i`, and its length.
#[inline]
fn sentence_class<const WIDE: bool>(text: &str, i: usize) -> Option<(Sc, usize)> {
    let b = *text.as_bytes().get(i)?;
    if !WIDE || b.is_ascii() {
        return Some((s(b), 1));
    }
    let c = text.get(i..)?.chars().next()?;
    Some((wide_sentence(c), c.len_utf8()))
}

fn sentence_of(c: char) -> Sc {
    match u8::try_from(c) {
        Ok(b) if b.is_ascii() => s(b),
        _ => wide_sentence(c),
    }
}

/// What follows a character, for the sentence scan.
enum Next {
    /// Nothing ends here: go on with the next character.
    Char,
    /// No break up to this byte: go on from it.
    From(usize),
    /// A sentence ends just before this byte.
    Break(usize),
}

/// At byte `i`: whether a sentence ends after what starts there (SB3–SB11).
fn at<const WIDE: bool>(text: &str, i: usize) -> Next {
    let class = |k: usize| sentence_class::<WIDE>(text, k).map(|c| c.0);
    let aterm = match class(i) {
        // SB3, SB4: a paragraph separator ends a sentence after it.
        Some(Sc::Cr) if class(i + 1) == Some(Sc::Lf) => return Next::Break(i + 2),
        Some(Sc::Cr | Sc::Lf) => return Next::Break(i + 1),
        Some(Sc::ATerm) => true,
        Some(Sc::STerm) => false,
        _ => return Next::Char,
    };
    // `.`, `!` and `?` are one byte.
    let next = class(i + 1);
    // SB6: ATerm × Numeric; SB7: (Upper | Lower) ATerm × Upper.
    let before = if WIDE {
        text.get(..i)
            .and_then(|t| t.chars().next_back())
            .map(sentence_of)
    } else {
        i.checked_sub(1).and_then(class)
    };
    let upper_before = matches!(before, Some(Sc::Upper | Sc::Lower));
    if aterm && (next == Some(Sc::Numeric) || next == Some(Sc::Upper) && upper_before) {
        return Next::Char;
    }
    let skip = |mut k: usize, kind: Sc| {
        while let Some((_, len)) = sentence_class::<WIDE>(text, k).filter(|c| c.0 == kind) {
            k += len;
        }
        k
    };
    let k = skip(skip(i + 1, Sc::Close), Sc::Sp);
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
        while let Some((c, len)) = sentence_class::<WIDE>(text, m) {
            match c {
                Sc::Lower => return Next::From(k),
                Sc::Upper | Sc::Cr | Sc::Lf | Sc::ATerm | Sc::STerm => break,
                _ => m += len,
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

    /// Text with the characters past ASCII handled here, anywhere a letter or punctuation
    /// may stand: accented letters inside words, curly quotes as apostrophes, dashes, `£`.
    fn plain_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => "[a-zß-öø-ÿ]{1,8}",
            2 => "[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{0,6}",
            3 => ascii_text(),
            4 => proptest::sample::select(vec![
                "’", "‘", "“", "”", "—", "–", "•", "…", "£", "€", "\u{a0}", "’s", "’.", ".’ ",
                ".” ", "?” ", "£1.50", "1’000", "É", "é.", "Ö.", " – ", ". \u{a0}",
            ])
            .prop_map(str::to_string),
        ];
        proptest::collection::vec(piece, 0..20).prop_map(|v| v.concat())
    }

    /// The same, with characters not handled here now and then (which send the whole text to
    /// `unicode-segmentation`).
    fn mixed_text() -> impl Strategy<Value = String> {
        let extra = proptest::sample::select(vec![
            "é", "’", "×", "Ā", "ª", "\u{ad}", "e\u{301}", "\u{2024}", "😀", "\u{2029}", "ı",
            "\u{85}", "\u{2009}", "«", "»",
        ]);
        proptest::collection::vec(
            prop_oneof![3 => plain_text(), 1 => extra.prop_map(str::to_string)],
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
        fn plain_text_bounds_are_unicode_segmentations(text in plain_text()) {
            same(&text)?;
        }

        #[test]
        fn mixed_text_bounds_are_unicode_segmentations(text in mixed_text()) {
            same(&text)?;
        }
    }

    #[test]
    fn every_character_handled_here_is_classed_as_unicode_segmentation_classes_it() {
        let handled = (0x80..=0x2100_u32)
            .filter_map(char::from_u32)
            .filter(|c| wide_word(*c).is_some());
        let mut count = 0;
        for c in handled {
            count += 1;
            for context in [
                "a{}b",
                "{}{}",
                "1{}2",
                "A.{} B",
                "a.{} b",
                "a.{}b",
                "end{}. Then",
                "Mr{}.A",
                "{} x",
                "x {}",
                "a {} b",
                "it.{}\n{}",
                "so?{} Yes",
                ". {}a",
                "{}.5",
                "a’{}",
            ] {
                let text = context.replace("{}", &c.to_string());
                same(&text).unwrap_or_else(|e| panic!("{c:?} in {text:?}: {e}"));
            }
        }
        assert_eq!(count, 62 + 2 + 9);
    }

    #[test]
    fn bounds_of_sentences_as_bids_write_them() {
        for text in [
            "We run a lunch club. It meets weekly!",
            "Mr. Smith runs it, e.g. on Mondays. At 3.30pm we close.",
            "Is it open? Yes! (Most days.) \"Come along.\" we said.",
            "Ages 11-18; 6,000 visits a year... and more.",
            "The U.K. grant. Then what?! Nothing.",
            "Lunch at the café costs £3 – or nothing. “Free,” we’d say… Éva’s group.",
            "Tickets: £2.50\u{a0}each. ÉTÉ. Résumé. 1’000 people.’ Then",
            "",
            " ",
            "a",
            "end.",
        ] {
            same(text).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}
