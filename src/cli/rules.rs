//! `stronger rules check|test|doc|diff|init|calibrate`: tooling for the policy staff who own a checklist.

mod calibrate;
mod diff;
mod test;

use super::{INCOMPLETE, INVALID, OK, emit};
use crate::{Checklist, ChecklistError};
use clap::{Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Subcommand, Debug)]
pub(crate) enum RulesCommand {
    /// Compile every rule and validate the checklist: metadata, config, and every bid field a
    /// rule reads against the proposal schema.
    #[command(after_help = CHECK_EXIT)]
    Check(CheckArgs),
    /// Run the checklist's test cases (tests/*.toml in the checklist folder).
    #[command(after_help = TEST_EXIT)]
    Test(test::Args),
    /// Publish the checklist as a document a panel or the public can read.
    Doc(DocArgs),
    /// Show what a change to the checklist does to a set of bids.
    #[command(after_help = diff::EXIT_STATUS)]
    Diff(diff::Args),
    /// Start a new checklist in DIR that builds on the default one.
    Init(InitArgs),
    /// Print a rule's source (e.g. to start a rule of your own from a built-in one).
    Show(ShowArgs),
    /// Measure how the checklist behaves on example bids, real grant files and a hand-labelled
    /// development set (per-indicator AUC), as a Markdown report.
    Calibrate(calibrate::Args),
}

/// Exit statuses of `rules check`, as PRODUCT.md gives them; the end of its `--help`.
const CHECK_EXIT: &str = "Exit status:
  0  clean
  1  problems found
  2  a usage error, or the folder cannot be read";

/// Exit statuses of `rules test`; the end of its `--help`.
const TEST_EXIT: &str = "Exit status:
  0  every case passes (and coverage reaches --min-coverage)
  1  a case failed, or coverage is short
  2  a usage error, or the checklist is invalid";

#[derive(clap::Args, Debug)]
pub(crate) struct CheckArgs {
    /// The checklist folder (default: the built-in checklist).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// How to print problems: `human` (like the Rust compiler) or `json` (one object per line).
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human)]
    error_format: ErrorFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ErrorFormat {
    Human,
    Json,
}

#[derive(clap::Args, Debug)]
pub(crate) struct DocArgs {
    /// The checklist folder (default: the built-in checklist).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Document format.
    #[arg(long, value_enum, default_value_t = DocFormat::Markdown)]
    format: DocFormat,
    /// Write the document to this file instead of standard output.
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DocFormat {
    Markdown,
    Html,
}

#[derive(clap::Args, Debug)]
pub(crate) struct ShowArgs {
    /// The rule's id, e.g. `VOL-01`.
    #[arg(value_name = "ID")]
    id: String,
    /// The checklist folder (default: the built-in checklist).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub(crate) struct InitArgs {
    /// The folder to create (it must not exist, or be empty).
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// The new checklist's name (default: the folder's name).
    #[arg(long)]
    name: Option<String>,
}

pub(crate) fn run(cmd: RulesCommand) -> u8 {
    match cmd {
        RulesCommand::Check(a) => check(a),
        RulesCommand::Test(a) => test::run(a),
        RulesCommand::Doc(a) => doc(a),
        RulesCommand::Diff(a) => diff::run(a),
        RulesCommand::Init(a) => init(a),
        RulesCommand::Show(a) => show(a),
        RulesCommand::Calibrate(a) => calibrate::run(a),
    }
}

fn load(rules: Option<&Path>) -> Result<Checklist, ChecklistError> {
    match rules {
        Some(dir) => Checklist::load(dir),
        None => Checklist::builtin(),
    }
}

fn check(args: CheckArgs) -> u8 {
    match load(args.rules.as_deref()) {
        Ok(c) => {
            for w in c.warnings() {
                match args.error_format {
                    ErrorFormat::Human => eprint!("{}", w.render()),
                    ErrorFormat::Json => crate::cli::say(&format!(
                        "{}\n",
                        serde_json::to_string(w).unwrap_or_default()
                    )),
                }
            }
            if args.error_format == ErrorFormat::Human {
                let cases = crate::cases::count(&c);
                crate::cli::say(&format!(
                    "ok: checklist {} {}: {} rules, {} test cases\n{}\n",
                    c.name(),
                    c.version(),
                    c.rules().count(),
                    cases,
                    crate::render::provenance_summary(&c)
                ));
            }
            OK
        }
        Err(e) => {
            match args.error_format {
                ErrorFormat::Human => {
                    eprint!("{}", e.render());
                    eprintln!(
                        "{} problem{} found",
                        e.diagnostics().len(),
                        if e.diagnostics().len() == 1 { "" } else { "s" }
                    );
                }
                ErrorFormat::Json => {
                    for d in e.diagnostics() {
                        crate::cli::say(&format!(
                            "{}\n",
                            serde_json::to_string(d).unwrap_or_default()
                        ));
                    }
                }
            }
            match e {
                ChecklistError::Unreadable(_) => INVALID,
                ChecklistError::Invalid(_) => INCOMPLETE,
            }
        }
    }
}

fn doc(args: DocArgs) -> u8 {
    let c = match super::load_checklist(args.rules.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let text = match args.format {
        DocFormat::Markdown => crate::render::checklist_markdown(&c),
        DocFormat::Html => crate::render::checklist_html(&c),
    };
    match emit(args.out.as_deref(), &text) {
        Ok(()) => OK,
        Err(code) => code,
    }
}

fn show(args: ShowArgs) -> u8 {
    let c = match super::load_checklist(args.rules.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    match c.rule_source(&args.id) {
        Some((_, source)) => {
            crate::cli::say(source);
            OK
        }
        None => {
            let ids: Vec<&str> = c.all_rule_ids().collect();
            let help = crate::suggest::did_you_mean(&args.id, ids.iter().copied())
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| "`stronger rules doc` lists every rule".to_string());
            eprintln!(
                "error: the checklist {} {} has no rule `{}`\n  = help: {help}",
                c.name(),
                c.version(),
                crate::shown::escape(&args.id)
            );
            INVALID
        }
    }
}

fn init(args: InitArgs) -> u8 {
    let dir = &args.dir;
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        eprintln!("error: `{}` already exists and is not empty", dir.display());
        return INVALID;
    }
    let name = args.name.unwrap_or_else(|| {
        dir.file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "my-checklist".to_string())
    });
    let base = match Checklist::builtin() {
        Ok(b) => b,
        Err(e) => {
            eprint!("{}", e.render());
            return INVALID;
        }
    };
    let config = format!(
        r#"# A checklist that builds on the default "stronger" checklist.
# Everything the base defines applies unless this file overrides it; see docs/rules.md.

[checklist]
name = "{name}"
version = "0.1.0"
base = "default"

# Change a rule's weight, or switch it off, by id:
# [rules.VOL-02]
# weight = 2.0
#
# [rules.SND-02]
# enabled = false

# Add rules of your own as .rhai files in a folder named after their theme, e.g.
# volunteering/LOC-01-local-volunteers.rhai (copy one from `stronger rules doc` to start).
# Test cases go in tests/*.toml; bids for them in tests/bids/.
"#
    );
    let written = std::fs::create_dir_all(dir.join("tests/bids"))
        .and_then(|_| std::fs::write(dir.join("checklist.toml"), config))
        .and_then(|_| {
            std::fs::write(
                dir.join("tests/bids/base.toml"),
                "id = \"CASE-1\"\ntitle = \"A test bid\"\n\n[funding]\namount_requested = 10000\n",
            )
        })
        .and_then(|_| {
            std::fs::write(
                dir.join("tests/cases.toml"),
                "# Test cases: a bid, changes to it, and what must come out. See docs/rules.md.\n\n[[case]]\nname = \"a bid that says nothing is referred\"\nbid = \"base\"\n[case.expect]\noutcome = \"refer\"\n",
            )
        });
    if let Err(e) = written {
        eprintln!(
            "error: cannot write `{}`: {}",
            dir.display(),
            crate::proposal::io_reason(&e)
        );
        return INVALID;
    }
    crate::cli::say(&format!(
        "created {} on top of {} {}\nnext: edit {}/checklist.toml, then `stronger rules check --rules {}`\n",
        dir.display(),
        base.name(),
        base.version(),
        dir.display(),
        dir.display()
    ));
    OK
}
