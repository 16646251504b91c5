//! A field's text cut into units: the sentences of prose and its list items, or a list entry
//! whole.
//!
//! Prose is cut into blocks at line breaks, then each block into sentences (UAX #29). A line
//! break starts a new block unless the next line carries on the sentence: it starts with a
//! lowercase letter and the line before did not end a sentence (text hard-wrapped by a form).
//! A list bullet at the start of a line ("-", "*", "•", "1.", "a)") always starts a block and is
//! not part of the unit.

/// A unit's byte range in its field's text, trimmed, without its bullet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unit {
    pub start: usize,
    pub end: usize,
}

/// The sentences and list items of a prose text.
pub(crate) fn prose(text: &str) -> Vec<Unit> {
    let mut out = Vec::new();
    for (start, end) in blocks(text) {
        let Some(block) = text.get(start..end) else {
            continue;
        };
        // Continuation line breaks are spaces to the sentence splitter; same byte length.
        let flat: String = block
            .chars()
            .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
            .collect();
        for (i, s) in super::ascii::sentence_bounds(&flat) {
            push_trimmed(&mut out, text, start + i, start + i + s.len());
        }
    }
    out
}

/// A list entry: one unit, without a bullet it may start with.
pub(crate) fn item(text: &str) -> Vec<Unit> {
    let mut out = Vec::new();
    let lead = text.len() - text.trim_start().len();
    let skip = bullet_len(text.get(lead..).unwrap_or_default());
    push_trimmed(&mut out, text, lead + skip, text.len());
    out
}

fn push_trimmed(out: &mut Vec<Unit>, text: &str, start: usize, end: usize) {
    let Some(s) = text.get(start..end) else {
        return;
    };
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if s.chars().any(char::is_alphanumeric) {
        out.push(Unit {
            start: start + lead,
            end: end - trail,
        });
    }
}

/// Byte ranges of the blocks of `text`: runs of lines that make one paragraph or list item.
fn blocks(text: &str) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut offset = 0;
    let mut open = false;
    for line in text.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let body = line.trim();
        if body.is_empty() {
            open = false;
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let bullet = bullet_len(line.get(lead..).unwrap_or_default());
        let carries_on = open
            && bullet == 0
            && body.chars().next().is_some_and(char::is_lowercase)
            && out
                .last()
                .and_then(|&(s, e)| text.get(s..e))
                .is_some_and(|prev| !prev.trim_end().ends_with(['.', '!', '?', ':', ';']));
        match out.last_mut() {
            Some(last) if carries_on => last.1 = offset,
            _ => out.push((line_start + lead + bullet, offset)),
        }
        open = true;
    }
    out
}

/// The length of a list bullet at the start of `line` with the spaces after it, or 0.
fn bullet_len(line: &str) -> usize {
    let mut chars = line.char_indices();
    let Some((_, first)) = chars.next() else {
        return 0;
    };
    let marker_end = if matches!(first, '-' | '*' | '•' | '–' | '·' | '‣' | '◦' | '▪') {
        first.len_utf8()
    } else {
        // "1." "12)" "a)" "b." — a number or one letter, then `.` or `)`.
        let head: String = line
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        let is_marker = !head.is_empty()
            && (head.chars().all(|c| c.is_ascii_digit()) && head.len() <= 3
                || head.len() == 1 && head.chars().all(|c| c.is_ascii_lowercase()));
        let next = line.get(head.len()..).and_then(|r| r.chars().next());
        match next {
            Some('.' | ')') if is_marker => head.len() + 1,
            _ => return 0,
        }
    };
    let rest = line.get(marker_end..).unwrap_or_default();
    // A bullet is followed by a space: "-5 degrees" and "1.5" are not bullets.
    if !rest.starts_with([' ', '\t']) {
        return 0;
    }
    marker_end + (rest.len() - rest.trim_start().len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str, units: Vec<Unit>) -> Vec<&str> {
        units.iter().map(|u| &t[u.start..u.end]).collect()
    }

    #[test]
    fn sentences_lines_and_bullets() {
        let t = "We run a lunch club. It meets weekly!\nWe offer:\n- walks\n* a choir\n• tea\n1. Yoga\na) bowls\n12) cards";
        assert_eq!(
            texts(t, prose(t)),
            [
                "We run a lunch club.",
                "It meets weekly!",
                "We offer:",
                "walks",
                "a choir",
                "tea",
                "Yoga",
                "bowls",
                "cards"
            ]
        );
    }

    #[test]
    fn a_hard_wrapped_sentence_stays_one_unit() {
        let t = "We will train\nvolunteers to lead walks.\nResidents decide.";
        assert_eq!(
            texts(t, prose(t)),
            [
                "We will train\nvolunteers to lead walks.",
                "Residents decide."
            ]
        );
    }

    #[test]
    fn numbers_and_hyphens_are_not_bullets() {
        assert_eq!(bullet_len("-5 degrees"), 0);
        assert_eq!(bullet_len("1.5 hours"), 0);
        assert_eq!(bullet_len("it. Then"), 0);
        let t = "  - a repair café ";
        assert_eq!(texts(t, item(t)), ["a repair café"]);
    }
}
