//! The champion's verbs: `advise`, `what-if`, `compare` and `explain`, each on one bid (two for
//! `compare`) and each with `--format text|json|markdown` and `--out`.

use super::input::{InputArgs, gather, one_bid_file};
use super::{INCOMPLETE, INVALID, OK, emit, load_checklist};
use crate::advise::AdviseOptions;
use crate::explain::ExplainOptions;
use crate::render::{self, Scores};
use crate::{Checklist, Limits, Patch, Proposal};
use std::path::{Path, PathBuf};

/// Output formats for the champion's reports (HTML is for appraisals and screening).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum OutputFormat {
    /// A readable report for a terminal (colour on a terminal, never with NO_COLOR).
    Text,
    /// One line of JSON.
    Json,
    /// Markdown for a paper or a ticket.
    Markdown,
}

/// Options every champion verb shares.
#[derive(clap::Args, Debug)]
pub(crate) struct Common {
    /// The checklist folder (default: the built-in "stronger" checklist).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
    /// Write the output to this file instead of standard output.
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
    /// Text: wrap to this many columns (default: the terminal's width; 80 when not a terminal).
    #[arg(long, value_name = "COLUMNS", value_parser = clap::value_parser!(u16).range(40..=1000))]
    width: Option<u16>,
    #[command(flatten)]
    input: InputArgs,
}

/// Which application of an export (CSV, Excel, JSON Lines, 360Giving) a one-bid verb reads.
#[derive(clap::Args, Debug)]
pub(crate) struct Pick {
    /// The application to read from an export of many, by its id (e.g. `--id RCF-0042`).
    #[arg(long, value_name = "ID")]
    id: Option<String>,
}

#[derive(clap::Args, Debug)]
pub(crate) struct AdviseArgs {
    /// The bid (.toml or .json), an export of many with --id, or `-` for standard input.
    #[arg(value_name = "BID")]
    bid: PathBuf,
    #[command(flatten)]
    pick: Pick,
    #[command(flatten)]
    common: Common,
}

#[derive(clap::Args, Debug)]
pub(crate) struct WhatIfArgs {
    /// The bid (.toml or .json), an export of many with --id, or `-` for standard input.
    #[arg(value_name = "BID")]
    bid: PathBuf,
    #[command(flatten)]
    pick: Pick,
    /// A change: `path=value`, typed by the proposal schema (lists separated by `;`).
    /// Repeat for several, e.g. `--set volunteering.training=true --set partners[0].committed=true`.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    set: Vec<String>,
    /// Remove a field, so it becomes not stated.
    #[arg(long = "unset", value_name = "PATH")]
    unset: Vec<String>,
    #[command(flatten)]
    common: Common,
}

#[derive(clap::Args, Debug)]
pub(crate) struct CompareArgs {
    /// The first bid or draft.
    #[arg(value_name = "OLD")]
    old: PathBuf,
    /// The second bid or draft.
    #[arg(value_name = "NEW")]
    new: PathBuf,
    #[command(flatten)]
    common: Common,
}

#[derive(clap::Args, Debug)]
pub(crate) struct ExplainArgs {
    /// The bid (.toml or .json), an export of many with --id, or `-` for standard input.
    #[arg(value_name = "BID")]
    bid: PathBuf,
    #[command(flatten)]
    pick: Pick,
    /// Explain only this rule (e.g. INF-03).
    #[arg(long, value_name = "ID")]
    rule: Option<String>,
    /// Explain only this indicator's score and the rules behind it (e.g. NI4).
    #[arg(long, value_name = "ID")]
    indicator: Option<String>,
    #[command(flatten)]
    common: Common,
}

/// Reads one bid: a bid file as written, or one application of an export (`--id`, or the only
/// one); on failure prints every problem and returns the exit status.
fn load_bid(
    path: &Path,
    checklist: &Checklist,
    input: &InputArgs,
    id: Option<&str>,
) -> Result<Proposal, u8> {
    let as_written = id.is_none() && input.map.is_none() && one_bid_file(path);
    if !as_written {
        return pick(path, checklist, input, id);
    }
    match Proposal::load(path, checklist.schema(), &Limits::default()) {
        Ok(loaded) => {
            for w in &loaded.warnings {
                eprint!("{}", w.render());
            }
            Ok(loaded.proposal)
        }
        Err(e) => {
            for d in &e.diagnostics {
                eprint!("{}", d.render());
            }
            Err(INVALID)
        }
    }
}

/// One application of an export: the one with `id`, or the export's only one.
fn pick(
    path: &Path,
    checklist: &Checklist,
    input: &InputArgs,
    id: Option<&str>,
) -> Result<Proposal, u8> {
    let inputs = gather(&[path.to_path_buf()], input, checklist.schema(), "bids")?;
    let mut found = None;
    let mut ids: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    inputs.read(checklist.schema(), &mut |item| {
        let item_id = match &item.bid {
            Ok(p) => Some(p.id.clone()),
            Err(e) => e.id.clone(),
        };
        let wanted = match id {
            Some(w) => item_id.as_deref() == Some(w),
            None => true,
        };
        if wanted && found.is_none() {
            found = Some(item);
        } else if let Some(i) = item_id {
            ids.push(i);
        } else if let Err(e) = &item.bid {
            problems.extend(e.diagnostics.clone());
        }
    });
    let shown = path.display();
    match (found, id) {
        (Some(item), w) if w.is_some() || ids.is_empty() => {
            for d in &item.warnings {
                eprint!("{}", d.render());
            }
            item.bid.map_err(|e| {
                for d in &e.diagnostics {
                    eprint!("{}", d.render());
                }
                INVALID
            })
        }
        (Some(_), _) => {
            eprintln!(
                "error: `{shown}` holds {} applications: pick one with `--id ID` (the first: {})",
                ids.len() + 1,
                ids.iter()
                    .take(3)
                    .map(|i| format!("`{i}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            Err(INVALID)
        }
        (None, Some(w)) => {
            let hint = crate::suggest::did_you_mean(w, ids.iter().map(String::as_str))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            eprintln!("error: `{shown}` has no application with the id `{w}`{hint}");
            Err(INVALID)
        }
        (None, None) => {
            for d in &problems {
                eprint!("{}", d.render());
            }
            eprintln!("error: `{shown}` holds no bid that could be read");
            Err(INVALID)
        }
    }
}

/// The checklist (`--rules`) and the one bid a verb works on.
fn checklist_and_bid(
    common: &Common,
    bid: &Path,
    pick: &Pick,
) -> Result<(&'static Checklist, Proposal), u8> {
    let checklist = super::kept(load_checklist(common.rules.as_deref())?);
    let bid = load_bid(bid, checklist, &common.input, pick.id.as_deref())?;
    Ok((checklist, bid))
}

fn finish(common: &Common, rendered: String, complete: bool) -> u8 {
    let mut rendered = rendered;
    if common.format == OutputFormat::Json {
        rendered.push('\n');
    }
    if common.format == OutputFormat::Text {
        let width = super::text_width(common.width.map(usize::from), common.out.as_deref());
        rendered = crate::render::wrap(&rendered, width);
    }
    if let Err(c) = emit(common.out.as_deref(), &rendered) {
        return c;
    }
    if complete { OK } else { INCOMPLETE }
}

pub(crate) fn advise(args: AdviseArgs) -> u8 {
    let (checklist, bid) = match checklist_and_bid(&args.common, &args.bid, &args.pick) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let report = crate::advise::advise(checklist, &bid, AdviseOptions::default());
    let rendered = match args.common.format {
        OutputFormat::Text => render::advice_text(&report, checklist),
        OutputFormat::Json => render::json_line(&report),
        OutputFormat::Markdown => render::advice_markdown(&report, checklist),
    };
    finish(&args.common, rendered, report.complete)
}

pub(crate) fn what_if(args: WhatIfArgs) -> u8 {
    if args.set.is_empty() && args.unset.is_empty() {
        eprintln!(
            "error: no changes: give at least one `--set PATH=VALUE` or `--unset PATH`\n  = example: stronger what-if {} --set volunteering.training=true",
            args.bid.display()
        );
        return INVALID;
    }
    let (checklist, bid) = match checklist_and_bid(&args.common, &args.bid, &args.pick) {
        Ok(x) => x,
        Err(code) => return code,
    };
    // Name the argument at fault as it was typed.
    let arg_of = |e: &crate::PatchError| -> String {
        args.set
            .iter()
            .find(|a| a.split_once('=').map_or(a.as_str(), |(p, _)| p).trim() == e.path)
            .map(|a| format!("--set {a}"))
            .or_else(|| {
                args.unset
                    .iter()
                    .find(|a| a.trim() == e.path)
                    .map(|a| format!("--unset {a}"))
            })
            .unwrap_or_else(|| e.path.clone())
    };
    let patch = match Patch::from_args(checklist.schema().fields(), &args.set, &args.unset) {
        Ok(p) => p,
        Err(e) => {
            eprintln!(
                "error: {}: {}",
                crate::shown::escape(&arg_of(&e)),
                crate::shown::escape(&e.message)
            );
            return INVALID;
        }
    };
    let result = match crate::whatif::what_if(checklist, &bid, &patch) {
        Ok(r) => r,
        Err(crate::whatif::ChangeError::Patch(e)) => {
            eprintln!(
                "error: {}: {}",
                crate::shown::escape(&arg_of(&e)),
                crate::shown::escape(&e.message)
            );
            return INVALID;
        }
        Err(crate::whatif::ChangeError::Invalid(e)) => {
            eprintln!(
                "error: {}: with these changes the bid breaks the proposal schema:",
                args.bid.display()
            );
            for d in &e.diagnostics {
                eprint!("{}", d.render());
            }
            return INVALID;
        }
    };
    let (set, unset) = patch.to_args();
    let changes: Vec<String> = set
        .iter()
        .map(|a| format!("--set {a}"))
        .chain(unset.iter().map(|a| format!("--unset {a}")))
        .collect();
    let d = &result.delta;
    let rendered = match args.common.format {
        OutputFormat::Text => render::delta_text(d, checklist, &changes, Scores::Changed),
        OutputFormat::Json => render::json_line(&crate::whatif::WhatIfJson {
            set: &set,
            unset: &unset,
            delta: d,
        }),
        OutputFormat::Markdown => render::delta_markdown(d, checklist, &changes, Scores::Changed),
    };
    finish(
        &args.common,
        rendered,
        result.before.complete && result.after.complete,
    )
}

pub(crate) fn compare(args: CompareArgs) -> u8 {
    let checklist = match load_checklist(args.common.rules.as_deref()) {
        Ok(c) => super::kept(c),
        Err(code) => return code,
    };
    let old = load_bid(&args.old, checklist, &args.common.input, None);
    let new = load_bid(&args.new, checklist, &args.common.input, None);
    let (Ok(old), Ok(new)) = (old, new) else {
        return INVALID;
    };
    let before = crate::appraise(checklist, &old);
    let after = crate::appraise(checklist, &new);
    let d = crate::delta::delta(checklist, &before, &after);
    let rendered = match args.common.format {
        OutputFormat::Text => render::delta_text(&d, checklist, &[], Scores::All),
        OutputFormat::Json => render::json_line(&d),
        OutputFormat::Markdown => render::delta_markdown(&d, checklist, &[], Scores::All),
    };
    finish(&args.common, rendered, before.complete && after.complete)
}

pub(crate) fn explain(args: ExplainArgs) -> u8 {
    let checklist = match load_checklist(args.common.rules.as_deref()) {
        Ok(c) => super::kept(c),
        Err(code) => return code,
    };
    let options = ExplainOptions {
        rule: args.rule,
        indicator: args.indicator,
    };
    if let Err(e) = options.check(checklist) {
        eprintln!("error: --{}: {e}", e.option());
        return INVALID;
    }
    let bid = match load_bid(
        &args.bid,
        checklist,
        &args.common.input,
        args.pick.id.as_deref(),
    ) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let e = crate::explain::explain(checklist, &bid, &options);
    let rendered = match args.common.format {
        OutputFormat::Text => render::explain_text(&e, checklist),
        OutputFormat::Json => render::json_line(&e),
        OutputFormat::Markdown => render::explain_markdown(&e, checklist),
    };
    finish(&args.common, rendered, e.complete)
}
