//! Text from a bid, made safe to show on a terminal, on stderr or in a log: control characters
//! (which start terminal escape sequences: colours, cursor moves, window titles, hyperlinks)
//! and the invisible characters that reorder text are shown escaped, never sent raw. A bid's
//! title that clears the screen or rewrites the line above is shown as the characters it is.
//!
//! Every renderer of text for a terminal, and [`crate::Diagnostic::render`], passes what came
//! from a bid (or from a file name, or a rule quoting a bid) through [`escape`]; the spreadsheet
//! writers (CSV and workbook) pass every text cell through [`escape_in_cell`], so that a CSV
//! file shown with `cat` is as safe as the terminal, and a workbook shows the same text.

use std::borrow::Cow;

/// Whether `c` must be shown escaped: C0 and C1 control characters and DEL (newline and tab
/// included: they would break the layout of a one-line field), and the bidirectional
/// formatting characters that make text display in another order than it is read
/// ("Trojan Source").
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every control or bidirectional formatting character replaced by a visible escape:
/// `\n`, `\r`, `\t`, `\x1b`, `\u{202e}`.
pub(crate) fn escape(s: &str) -> Cow<'_, str> {
    escaped(s, false)
}

/// `s` as the text of a spreadsheet cell, which may hold lines: like [`escape`], but a line break
/// and a tab stay (the CSV writer's quoting and the workbook keep them), and a Windows line end
/// (`\r\n`) is a line break. A carriage return on its own is shown, `\r`: on a terminal it
/// would let the rest of a cell overwrite what came before it.
pub(crate) fn escape_in_cell(s: &str) -> Cow<'_, str> {
    escaped(s, true)
}

fn escaped(s: &str, keep_lines: bool) -> Cow<'_, str> {
    let kept = |c: char| keep_lines && matches!(c, '\n' | '\t');
    if !s.chars().any(|c| hidden(c) && !kept(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if kept(c) => out.push(c),
            '\r' if keep_lines && chars.peek() == Some(&'\n') => {}
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if hidden(c) && (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if hidden(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::{escape, escape_in_cell};

    #[test]
    fn control_characters_and_escape_sequences_are_shown_escaped() {
        assert_eq!(escape("Café £5 — plain"), "Café £5 — plain");
        assert_eq!(
            escape("Title\u{1b}[2J\u{1b}]0;owned\u{7}"),
            "Title\\x1b[2J\\x1b]0;owned\\x07"
        );
        assert_eq!(
            escape("a\nb\rc\td\u{7f}e\u{9b}"),
            "a\\nb\\rc\\td\\x7fe\\x9b"
        );
        assert_eq!(escape("abc\u{202e}fed"), "abc\\u{202e}fed");
    }

    #[test]
    fn a_cell_keeps_its_lines_and_tabs_and_shows_every_other_control_character() {
        assert_eq!(escape_in_cell("Café £5 — plain"), "Café £5 — plain");
        assert_eq!(
            escape_in_cell("1. Who?\r\n2. When?\tSoon\n3. Why?"),
            "1. Who?\n2. When?\tSoon\n3. Why?"
        );
        assert_eq!(
            escape_in_cell("Paid\rUnpaid\u{1b}[2J\u{7}\u{0}\u{202e}x\r"),
            "Paid\\rUnpaid\\x1b[2J\\x07\\x00\\u{202e}x\\r"
        );
    }
}
