//! `stronger portfolio INPUT... [--by partnership] [--rules DIR] [--format
//! text|markdown|html|json] [--out PATH] [--width COLUMNS] [--map MAP.toml] [--sheet NAME]
//! [--input-format FORMAT]`: each partnership's contribution to the indicators (issue 18).

use super::input::{InputArgs, gather};
use super::{INCOMPLETE, INVALID, OK, emit, load_checklist};
use crate::batch::Item;
use crate::portfolio::{Builder, By};
use std::path::PathBuf;

/// Exit statuses, as for `screen`: the portfolio is written whenever the checklist loads.
pub(crate) const EXIT_STATUS: &str = "Exit status:
  0  every proposal read and appraised completely
  1  some proposals could not be read (each is listed, and in no total) or a rule failed on
     some (the portfolio says so)
  2  the checklist is invalid, the mapping does not fit, the inputs hold no proposal at all,
     --out is unusable, or a usage error";

/// What the proposals are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ByArg {
    /// The proposal's `partnership` (those that state none make a group of their own).
    Partnership,
}

/// The portfolio's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// Tables for a terminal.
    Text,
    /// Markdown for the advisory group's paper.
    Markdown,
    /// One self-contained HTML page with a chart per partnership.
    Html,
    /// One line of JSON following schemas/portfolio.schema.json.
    Json,
}

#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Proposal files (.toml or .json), folders of them, JSON Lines, CSV, Excel (.xlsx),
    /// 360Giving data, or `-` for standard input (with --input-format).
    #[arg(required = true, value_name = "INPUT")]
    files: Vec<PathBuf>,
    /// What to add the proposals up by.
    #[arg(long, value_enum, default_value_t = ByArg::Partnership)]
    by: ByArg,
    /// The checklist folder (default: the built-in "stronger" checklist).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write the output to this file instead of standard output.
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
    /// Text: wrap to this many columns (default: the terminal's width; 80 when not a terminal).
    #[arg(long, value_name = "COLUMNS", value_parser = clap::value_parser!(u16).range(40..=1000))]
    width: Option<u16>,
    #[command(flatten)]
    input: InputArgs,
}

/// Proposals appraised together: bounds the items held at once.
const CHUNK: usize = 1024;

pub(crate) fn run(args: Args) -> u8 {
    let checklist = match load_checklist(args.rules.as_deref()) {
        Ok(c) => super::kept(c),
        Err(code) => return code,
    };
    let inputs = match gather(&args.files, &args.input, checklist.schema(), "proposals") {
        Ok(i) => i,
        Err(code) => return code,
    };
    let by = match args.by {
        ByArg::Partnership => By::Partnership,
    };
    let mut builder = Builder::new(checklist, by);
    let add_chunk = |chunk: Vec<Item>, builder: &mut Builder<'_>| {
        // Appraised in parallel; added in the order of the inputs.
        let done = crate::appraise::each(chunk, |on, item| {
            let a = item.bid.as_ref().ok().map(|p| on.appraise(checklist, p));
            (item, a)
        });
        for (item, a) in done {
            for w in &item.warnings {
                eprint!("{}", w.render());
            }
            match (&item.bid, a) {
                (Ok(p), Some(a)) => builder.add(p, &a),
                (Err(e), _) => {
                    for d in &e.diagnostics {
                        eprint!("{}", d.render());
                    }
                    builder.left_out(&item, e);
                }
                (Ok(_), None) => {}
            }
        }
    };
    let mut chunk = Vec::new();
    inputs.read(checklist.schema(), &mut |item| {
        chunk.push(item);
        if chunk.len() >= CHUNK {
            add_chunk(std::mem::take(&mut chunk), &mut builder);
        }
    });
    add_chunk(chunk, &mut builder);
    if builder.is_empty() {
        eprintln!("error: no proposals for the portfolio: the inputs hold none");
        return INVALID;
    }
    let portfolio = builder.finish();
    let rendered = match args.format {
        Format::Text => {
            let width = super::text_width(args.width.map(usize::from), args.out.as_deref());
            crate::render::wrap(&crate::render::portfolio_text(&portfolio), width)
        }
        Format::Markdown => crate::render::portfolio_markdown(&portfolio),
        Format::Html => crate::render::portfolio_html(&portfolio),
        Format::Json => format!("{}\n", crate::render::json_line(&portfolio)),
    };
    if let Err(c) = emit(args.out.as_deref(), &rendered) {
        return c;
    }
    if portfolio.complete { OK } else { INCOMPLETE }
}
