//! Text output fitted to a width: every line longer than the width is wrapped at word
//! boundaries (never inside a word; a word longer than the width stands on a line of its own),
//! its continuation lines indented two spaces past the line's own indent. A command line
//! (`--set path=value …` or `stronger what-if …`, as advice prints them) is left whole, so it
//! can be copied from the terminal and pasted as it is. Widths are display
//! widths (a `£` or `✓` is one column, an ANSI style none), so a terminal shows exactly this.

use textwrap::{Options, WordSeparator, WordSplitter, WrapAlgorithm, core::display_width};

/// The narrowest width text is wrapped to: below it, indents would leave no room for words.
pub const MIN_WIDTH: usize = 40;

/// `text` with each line wrapped to `width` columns (at least [`MIN_WIDTH`]).
pub fn wrap(text: &str, width: usize) -> String {
    let width = width.max(MIN_WIDTH);
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        if display_width(body) <= width || is_command(body) {
            out.push_str(line);
            continue;
        }
        let indent_len = body.len() - body.trim_start_matches(' ').len();
        let indent = body.get(..indent_len).unwrap_or_default();
        let hanging = format!("{indent}  ");
        let options = Options::new(width)
            .initial_indent(indent)
            .subsequent_indent(&hanging)
            .break_words(false)
            // Only spaces part words: a path, a URL or a hyphenated word stays whole.
            .word_separator(WordSeparator::AsciiSpace)
            .word_splitter(WordSplitter::NoHyphenation)
            // Each line as full as it goes, as a reader expects.
            .wrap_algorithm(WrapAlgorithm::FirstFit);
        let words = body.get(indent_len..).unwrap_or_default();
        let lines = textwrap::wrap(words, &options);
        out.push_str(&lines.join("\n"));
        out.push_str(end);
    }
    out
}

/// Whether a line is a command to copy: its visible text (styles skipped) begins with
/// arguments (`--set …`) or with `stronger `.
fn is_command(line: &str) -> bool {
    let mut rest = line.trim_start();
    // Skip the styles (`ESC [ … letter`) a renderer paints before the text.
    while let Some(after) = rest.strip_prefix("\u{1b}[") {
        let end = after
            .find(|c: char| c.is_ascii_alphabetic())
            .map_or(after.len(), |i| i + 1);
        rest = after.get(end..).unwrap_or_default();
    }
    rest.starts_with("--") || rest.starts_with("stronger ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_wrap_at_words_with_a_hanging_indent_and_short_ones_stay() {
        let text = "short line\n  ? PAR-01  How many of the people taking part have never been involved in community activity before?\n";
        assert_eq!(
            wrap(text, 50),
            "short line\n  ? PAR-01  How many of the people taking part\n    have never been involved in community activity\n    before?\n"
        );
    }

    #[test]
    fn no_word_is_broken_and_styles_take_no_room() {
        let long = format!("see {} now", "x".repeat(60));
        assert_eq!(wrap(&long, 40), format!("see\n  {}\n  now", "x".repeat(60)));
        let styled = "\u{1b}[1mbold\u{1b}[0m ".repeat(8);
        assert_eq!(display_width(&styled), 40);
        assert_eq!(
            wrap(&styled, 40),
            styled,
            "fits: the escapes take no columns"
        );
        let pounds = "£5 ✓ ".repeat(8);
        assert_eq!(wrap(&pounds, 40), pounds);
    }

    #[test]
    fn paths_and_hyphenated_words_are_never_parted() {
        let text =
            "PAR-01 Reaches people  participation · rules/participation/PAR-01-new-people.rhai";
        assert_eq!(
            wrap(text, 45),
            "PAR-01 Reaches people  participation ·\n  rules/participation/PAR-01-new-people.rhai"
        );
    }

    #[test]
    fn command_arguments_stay_on_one_line_to_be_copied() {
        let line = "       --set 'partners[2].name=[example: a local business]' --set partners[2].committed=true";
        assert_eq!(wrap(line, 40), line);
        let styled = format!("  \u{1b}[2mstronger what-if BID {}\u{1b}[0m", &line[7..]);
        assert_eq!(wrap(&styled, 40), styled);
    }

    #[test]
    fn a_width_below_the_minimum_is_raised_to_it() {
        let text = "one two three four five six seven eight nine ten eleven";
        assert!(wrap(text, 5).lines().all(|l| display_width(l) <= MIN_WIDTH));
    }
}
