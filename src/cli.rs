//! The command line. Only this module knows about arguments, stdout/stderr and exit codes.

pub(crate) mod appraise;
mod champion;
mod input;
mod map;
mod portfolio;
mod rules;
mod screen;
#[cfg(feature = "serve")]
mod serve;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

/// stronger: appraise community project proposals against a rule checklist.
#[derive(Parser, Debug)]
#[command(name = "stronger", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Appraise bids: each indicator's likely impact, the checklist, advice and an outcome.
    #[command(after_help = appraise::EXIT_STATUS)]
    Appraise(appraise::Args),
    /// Ranked, verified advice for one bid: each suggested change re-appraised, the smallest
    /// set that moves the outcome up, and what no edit can fix.
    #[command(after_help = appraise::EXIT_STATUS)]
    Advise(champion::AdviseArgs),
    /// Re-appraise a bid with changes (`--set path=value`, `--unset path`) and show what moves.
    #[command(name = "what-if", after_help = appraise::EXIT_STATUS)]
    WhatIf(champion::WhatIfArgs),
    /// Two drafts, or two bids, side by side: indicators, checklist items and advice that changed.
    #[command(after_help = appraise::EXIT_STATUS)]
    Compare(champion::CompareArgs),
    /// The full trace: every rule, the fields it read and their values, what it decided and why.
    #[command(after_help = appraise::EXIT_STATUS)]
    Explain(champion::ExplainArgs),
    /// Screen a whole funding round: rank every bid, write summary.csv, summary.md,
    /// summary.html, summary.xlsx, questions.csv, appraisals.jsonl and errors.csv.
    #[command(after_help = screen::EXIT_STATUS)]
    Screen(screen::Args),
    /// Each partnership's contribution: the proposals' appraisals added up per partnership and
    /// across all (each core indicator's gains and harms, the largest of each, the blockages).
    #[command(after_help = portfolio::EXIT_STATUS)]
    Portfolio(portfolio::Args),
    /// Tooling for the checklist's owners: check, test, doc, diff, init.
    #[command(subcommand)]
    Rules(rules::RulesCommand),
    /// A funder's own export: `map init` drafts the mapping that `--map` reads it with.
    #[command(subcommand)]
    Map(map::MapCommand),
    /// Serve the JSON API, the web page (appraise, rules playground, audit log) and the audit
    /// log over HTTP, on loopback by default.
    #[cfg(feature = "serve")]
    Serve(serve::Args),
}

/// Output formats for one appraisal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// A one-screen summary (colour on a terminal, never with NO_COLOR).
    Text,
    /// JSON Lines: one appraisal per line, following schemas/appraisal.schema.json.
    Json,
    /// Markdown for a panel paper.
    Markdown,
    /// One self-contained HTML page (chart, checklist, findings, advice; prints cleanly), each
    /// bid a section of it.
    Html,
}

/// Exit statuses, as PRODUCT.md defines them.
pub(crate) const OK: u8 = 0;
pub(crate) const INCOMPLETE: u8 = 1;
pub(crate) const INVALID: u8 = 2;

/// Runs the command line and returns the process's exit status.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { INVALID } else { OK });
        }
    };
    let code = match cli.command {
        Command::Appraise(args) => appraise::run(args),
        Command::Advise(args) => champion::advise(args),
        Command::WhatIf(args) => champion::what_if(args),
        Command::Compare(args) => champion::compare(args),
        Command::Explain(args) => champion::explain(args),
        Command::Rules(cmd) => rules::run(cmd),
        Command::Screen(args) => screen::run(args),
        Command::Portfolio(args) => portfolio::run(args),
        Command::Map(cmd) => map::run(cmd),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(args),
    };
    ExitCode::from(code)
}

/// Loads `--rules DIR`, or the built-in checklist; on failure prints every problem.
pub(crate) fn load_checklist(rules: Option<&Path>) -> Result<crate::Checklist, u8> {
    let loaded = match rules {
        Some(dir) => crate::Checklist::load(dir),
        None => crate::Checklist::builtin(),
    };
    loaded.map_err(|e| {
        for d in e.diagnostics() {
            eprint!("{}", d.render());
        }
        eprintln!("error: the checklist is invalid; nothing was appraised");
        INVALID
    })
}

/// A checklist kept until the process ends. A command loads one checklist and the process ends
/// with the command, so it is never dropped: freeing its compiled rules and phrase indexes one
/// by one costs a twentieth of loading them, for memory the process gives back whole.
pub(crate) fn kept(checklist: crate::Checklist) -> &'static crate::Checklist {
    Box::leak(Box::new(checklist))
}

/// The width text output is wrapped to: `--width`, else the terminal's when standard output is
/// one, else a fixed 80 columns, so output to a file or a pipe is the same on every machine.
pub(crate) fn text_width(flag: Option<usize>, out: Option<&Path>) -> usize {
    use std::io::IsTerminal as _;
    if let Some(w) = flag {
        return w;
    }
    if out.is_none()
        && std::io::stdout().is_terminal()
        && let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size()
    {
        return usize::from(w);
    }
    FIXED_WIDTH
}

/// The width of text output that does not go to a terminal.
pub(crate) const FIXED_WIDTH: usize = 80;

/// Writes results to standard output. A closed pipe (`stronger rules check | head -1`) is not
/// an error worth a message, and never a panic, which `print!` would be.
pub(crate) fn say(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush());
}

/// Writes to `--out PATH` atomically (a temporary file renamed into place), or to stdout.
/// Styling (text output's colours) is stripped where it cannot show: in a file, or on standard
/// output that is not a terminal. Output with nothing to strip — JSON, CSV, plain text — is
/// written as it is, without running it through the escape parser byte by byte.
pub(crate) fn emit(out: Option<&Path>, content: &str) -> Result<(), u8> {
    match out {
        None if nothing_to_strip(content) => say(content),
        None => {
            let mut stdout = anstream::stdout().lock();
            // A closed pipe (`| head`) is not an error worth a message.
            let _ = stdout
                .write_all(content.as_bytes())
                .and_then(|_| stdout.flush());
        }
        Some(path) if nothing_to_strip(content) => return write_file(path, content.as_bytes()),
        Some(path) => {
            let plain = anstream::adapter::strip_str(content).to_string();
            return write_file(path, plain.as_bytes());
        }
    }
    Ok(())
}

/// Whether stripping escapes would leave `content` as it is: no escape, no control character
/// but whitespace, no DEL (what `anstream`'s stripping removes; a property test checks it).
/// Eight bytes at a time: a word with no byte below 0x20 and no DEL is plain whatever it holds
/// (every byte of a multi-byte character is 0x80 or above); only a word with one is looked at
/// byte by byte (whitespace is plain). It is asked of every result written, a byte at a time
/// was a fiftieth of appraising a bid.
fn nothing_to_strip(content: &str) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    fn plain(b: u8) -> bool {
        (b >= 0x20 && b != 0x7f) || matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r')
    }
    // Whether some byte of `w` is below 0x20 or is 0x7f (exact: a borrow only follows a match).
    fn flagged(w: u64) -> bool {
        let low = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
        let del = w ^ (ONES * 0x7f);
        low != 0 || (del.wrapping_sub(ONES) & !del & HIGH) != 0
    }
    let (words, rest) = content.as_bytes().as_chunks::<8>();
    words
        .iter()
        .all(|w| !flagged(u64::from_ne_bytes(*w)) || w.iter().all(|&b| plain(b)))
        && rest.iter().all(|&b| plain(b))
}

/// Writes `bytes` to `path` atomically (a temporary file renamed into place); on failure prints
/// why.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), u8> {
    let write = || {
        let mut file = crate::atomic_file::AtomicFile::create(path)?;
        file.write_all(bytes)?;
        file.commit()
    };
    write().map_err(|e: std::io::Error| {
        let reason = crate::proposal::io_reason(&e);
        eprintln!("error: cannot write `{}`: {reason}", path.display());
        INVALID
    })
}

#[cfg(test)]
mod tests {
    use super::nothing_to_strip;
    use proptest::prelude::*;

    fn stripped(s: &str) -> String {
        anstream::adapter::strip_str(s).to_string()
    }

    #[test]
    fn styling_and_controls_are_stripped_and_plain_output_is_not_parsed() {
        for s in [
            "\x1b[1mbold\x1b[0m",
            "bell\x07",
            "del\x7f",
            "nul\0",
            "\u{9b}31m",
        ] {
            let plain = nothing_to_strip(s);
            assert!(!plain || stripped(s) == s, "{s:?}");
        }
        assert!(!nothing_to_strip("\x1b[1mbold\x1b[0m"));
        // A control or DEL at every place of a word and of the tail is found; whitespace is not.
        for bad in ['\x1b', '\0', '\x07', '\x1f', '\x7f'] {
            for at in 0..19 {
                let mut s: Vec<char> = "plain text, né 19 ".chars().collect();
                s.insert(at, bad);
                assert!(
                    !nothing_to_strip(&s.iter().collect::<String>()),
                    "{bad:?} at {at}"
                );
            }
        }
        for ok in ['\t', '\n', '\x0c', '\r', ' ', '~', '\u{80}', '\u{9f}'] {
            for at in 0..19 {
                let mut s: Vec<char> = "plain text, né 19 ".chars().collect();
                s.insert(at, ok);
                assert!(
                    nothing_to_strip(&s.iter().collect::<String>()),
                    "{ok:?} at {at}"
                );
            }
        }
        assert!(nothing_to_strip(
            "{\"id\":\"EX-01\",\"reason\":\"£12 \\u001b\"}\n\ttab\r\n"
        ));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// Whatever the text, when nothing needs stripping, stripping changes nothing.
        #[test]
        fn what_is_written_unparsed_is_what_stripping_would_write(s in "\\PC*|.*[\\x00-\\x1f\\x7f-\\u{9f}].*") {
            if nothing_to_strip(&s) {
                prop_assert_eq!(stripped(&s), s);
            }
        }

        /// Any text, controls included.
        #[test]
        fn arbitrary_text_with_nothing_to_strip_is_unchanged(s in any::<String>()) {
            if nothing_to_strip(&s) {
                prop_assert_eq!(stripped(&s), s);
            }
        }

        /// Eight bytes at a time answers as one byte at a time does.
        #[test]
        fn words_answer_as_bytes_do(s in "[\\x00-\\x7f]{0,40}|\\PC{0,20}|.{0,30}") {
            let bytewise = s.bytes().all(|b| (b >= 0x20 && b != 0x7f) || matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r'));
            prop_assert_eq!(nothing_to_strip(&s), bytewise);
        }
    }
}
