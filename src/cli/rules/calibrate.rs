//! `stronger rules calibrate MANIFEST [--rules DIR] [--out PATH] [--save-baseline PATH --note TEXT]`

use crate::cli::{INVALID, OK, emit};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// The calibration manifest: the example bids, real grant files and the labelled
    /// development set to run the checklist over (paths relative to the manifest).
    #[arg(value_name = "MANIFEST")]
    manifest: PathBuf,
    /// The checklist folder (default: the built-in checklist).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Write the Markdown report to this file instead of standard output.
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
    /// Also write this checklist's separation on the labelled set as a baseline file, for a
    /// later checklist's report to show as "before".
    #[arg(long, value_name = "PATH", requires = "note")]
    save_baseline: Option<PathBuf>,
    /// What the baseline is, shown beside it (e.g. "before the reading layer").
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
}

pub(crate) fn run(args: Args) -> u8 {
    let checklist = match crate::cli::load_checklist(args.rules.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let report = crate::calibrate::Manifest::load(&args.manifest)
        .and_then(|m| crate::calibrate::calibrate(&checklist, &m));
    let report = match report {
        Ok(r) => r,
        Err(e) => {
            eprint!("{e}");
            return INVALID;
        }
    };
    if let Some(path) = &args.save_baseline {
        let Some(base) = report.baseline(args.note.as_deref().unwrap_or_default()) else {
            eprintln!("error: the manifest names no `[labelled]` set to save a baseline of");
            return INVALID;
        };
        let json = serde_json::to_string_pretty(&base).unwrap_or_default() + "\n";
        if let Err(code) = crate::cli::write_file(path, json.as_bytes()) {
            return code;
        }
    }
    let text = crate::render::calibration_markdown(&report, &command(&args));
    match emit(args.out.as_deref(), &text) {
        Ok(()) => OK,
        Err(code) => code,
    }
}

/// The command that reproduces the report, as the page prints it (without `--out`, so the page
/// is the same wherever it is written).
fn command(args: &Args) -> String {
    let mut c = format!("stronger rules calibrate {}", args.manifest.display());
    if let Some(r) = &args.rules {
        c += &format!(" --rules {}", r.display());
    }
    c
}
