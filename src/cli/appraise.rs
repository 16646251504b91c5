//! `stronger appraise INPUT... [--rules DIR] [--format text|json|markdown|html] [--out PATH]
//! [--full] [--width COLUMNS] [--map MAP.toml] [--sheet NAME] [--input-format FORMAT]`

use super::input::{InputArgs, gather};
use super::{INCOMPLETE, INVALID, OK, OutputFormat, emit, load_checklist};
use crate::batch::Item;
use crate::{Appraisal, Checklist};
use std::path::PathBuf;

/// Exit statuses, as PRODUCT.md gives them; the end of `--help` for every one-bid verb.
pub(crate) const EXIT_STATUS: &str = "Exit status:
  0  every bid appraised completely
  1  a rule failed or was stopped (the appraisal is marked incomplete)
  2  a bid or the checklist could not be read or is invalid (for several bids: any), the
     mapping does not fit, a bad --set, or a usage error";

#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Bid files (.toml or .json), folders of them, JSON Lines, CSV, Excel (.xlsx), 360Giving
    /// data, or `-` for standard input (with --input-format).
    #[arg(required = true, value_name = "INPUT")]
    files: Vec<PathBuf>,
    /// The checklist folder (default: the built-in "stronger" checklist).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
    /// Write the output to this file instead of standard output.
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
    /// Text: every checklist item with its reason or question, the themes and all the advice
    /// (one bid: one screen by default; several bids: a table by default).
    #[arg(long)]
    full: bool,
    /// Text: wrap to this many columns (default: the terminal's width; 80 when not a terminal).
    #[arg(long, value_name = "COLUMNS", value_parser = clap::value_parser!(u16).range(40..=1000))]
    width: Option<u16>,
    #[command(flatten)]
    input: InputArgs,
}

/// Bids appraised together: bounds the items held at once.
const CHUNK: usize = 1024;

pub(crate) fn run(args: Args) -> u8 {
    let checklist = match load_checklist(args.rules.as_deref()) {
        Ok(c) => super::kept(c),
        Err(code) => return code,
    };
    let inputs = match gather(&args.files, &args.input, checklist.schema(), "bid files") {
        Ok(i) => i,
        Err(code) => return code,
    };
    let width = super::text_width(args.width.map(usize::from), args.out.as_deref());
    let mut output = Output::new(checklist, args.format, args.full);
    let appraise_chunk = |chunk: Vec<Item>, output: &mut Output| {
        // Appraised in parallel; results keep the order of the inputs.
        let done = crate::appraise::each(chunk, |on, item| {
            let a = item.bid.as_ref().ok().map(|p| {
                let mut a = on.appraise(checklist, p);
                a.provenance.mapping.clone_from(&item.mapping);
                a
            });
            (item, a)
        });
        for (item, a) in done {
            output.push(&item, a);
        }
    };
    let mut chunk = Vec::new();
    inputs.read(checklist.schema(), &mut |item| {
        chunk.push(item);
        if chunk.len() >= CHUNK {
            appraise_chunk(std::mem::take(&mut chunk), &mut output);
        }
    });
    appraise_chunk(chunk, &mut output);
    if output.first && output.code == OK {
        eprintln!("error: no bids to appraise: the inputs hold none");
        return INVALID;
    }
    let (rendered, code) = output.finish();
    let rendered = if args.format == OutputFormat::Text {
        crate::render::wrap(&rendered, width)
    } else {
        rendered
    };
    if let Err(c) = emit(args.out.as_deref(), &rendered) {
        return c;
    }
    code
}

/// What `appraise` writes, built bid by bid in the order of the files, and its exit status.
struct Output<'c> {
    checklist: &'c Checklist,
    format: OutputFormat,
    rendered: String,
    /// HTML is one page around every bid, rendered once they are all in.
    pages: Vec<Appraisal>,
    /// Text: everything (`--full`), or one screen for one bid and a table for several.
    full: bool,
    /// Text without `--full`: the first bid, held until a second makes it a table.
    held: Option<Appraisal>,
    first: bool,
    code: u8,
}

impl<'c> Output<'c> {
    fn new(checklist: &'c Checklist, format: OutputFormat, full: bool) -> Self {
        let mut rendered = String::new();
        if format == OutputFormat::Markdown {
            rendered.push_str(&format!(
                "# Appraisals\n\nChecklist {} {} (`{}`).\n\n",
                checklist.name(),
                checklist.version(),
                checklist.hash()
            ));
        }
        Output {
            checklist,
            format,
            rendered,
            pages: Vec::new(),
            full,
            held: None,
            first: true,
            code: OK,
        }
    }

    /// One bid: its problems and warnings to stderr, its appraisal to the output.
    fn push(&mut self, item: &Item, appraisal: Option<Appraisal>) {
        for w in &item.warnings {
            eprint!("{}", w.render());
        }
        match (appraisal, &item.bid) {
            (Some(a), _) => {
                if !a.complete && self.code == OK {
                    self.code = INCOMPLETE;
                }
                self.appraisal(a);
                self.first = false;
            }
            (None, Err(e)) => {
                for d in &e.diagnostics {
                    eprint!("{}", d.render());
                }
                self.code = INVALID;
            }
            (None, Ok(_)) => {}
        }
    }

    fn appraisal(&mut self, a: Appraisal) {
        let c = self.checklist;
        match self.format {
            OutputFormat::Json => {
                self.rendered.push_str(&crate::render::json(&a));
                self.rendered.push('\n');
            }
            OutputFormat::Text if self.full => {
                if !self.first {
                    self.rendered.push_str(&format!("{}\n\n", "─".repeat(72)));
                }
                self.rendered.push_str(&crate::render::text(&a, c));
            }
            OutputFormat::Text => {
                if self.first {
                    self.held = Some(a);
                    return;
                }
                if let Some(held) = self.held.take() {
                    self.rendered.push_str(&crate::render::table_heading());
                    self.rendered.push_str(&crate::render::table_row(&held, c));
                }
                self.rendered.push_str(&crate::render::table_row(&a, c));
            }
            OutputFormat::Markdown => {
                self.rendered.push_str(&crate::render::markdown(&a, c));
                self.rendered.push('\n');
            }
            OutputFormat::Html => self.pages.push(a),
        }
    }

    /// The output and the exit status.
    fn finish(mut self) -> (String, u8) {
        if self.format == OutputFormat::Html && !self.pages.is_empty() {
            return (crate::render::html(&self.pages, self.checklist), self.code);
        }
        if let Some(one) = self.held.take() {
            self.rendered
                .push_str(&crate::render::brief(&one, self.checklist));
        }
        (self.rendered, self.code)
    }
}
