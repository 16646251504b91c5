//! `stronger appraise FILE... [--rules DIR] [--format text|json|markdown|html] [--out PATH]`

use super::{INCOMPLETE, INVALID, OK, OutputFormat, emit, load_checklist};
use crate::{Appraisal, Checklist, Diagnostic, Format, Limits, Loaded, Proposal, ProposalError};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Bid files (.toml or .json), or folders of them.
    #[arg(required = true, value_name = "FILE")]
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
}

/// Files named on the command line, with folders expanded to the one-bid files (`.toml`,
/// `.json`) inside them, sorted. What the walk skipped (not a regular file, a link back into a
/// folder) is warned about on stderr.
pub(crate) fn expand(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let found = crate::batch::expand(inputs);
    for w in &found.skipped {
        eprint!("{}", w.render());
    }
    found
        .files
        .into_iter()
        .filter(|p| inputs.contains(p) || Format::from_path(p).is_some())
        .collect()
}

pub(crate) fn run(args: Args) -> u8 {
    let checklist = match load_checklist(args.rules.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let files = expand(&args.files);
    if files.is_empty() {
        eprintln!("error: no bid files (.toml or .json) found in the given folders");
        return INVALID;
    }
    let limits = Limits::default();
    let schema = checklist.schema();
    // Read and appraise in parallel; results keep the order of the files.
    let results = crate::appraise::each(&files, |on, f| {
        let loaded: Loaded = Proposal::load(f, schema, &limits)?;
        Ok::<_, ProposalError>((loaded.warnings, on.appraise(&checklist, &loaded.proposal)))
    });
    let mut output = Output::new(&checklist, args.format);
    for r in results {
        output.push(r);
    }
    let (rendered, code) = output.finish();
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
    first: bool,
    code: u8,
}

impl<'c> Output<'c> {
    fn new(checklist: &'c Checklist, format: OutputFormat) -> Self {
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
            first: true,
            code: OK,
        }
    }

    /// One bid: its problems and warnings to stderr, its appraisal to the output.
    fn push(&mut self, result: Result<(Vec<Diagnostic>, Appraisal), ProposalError>) {
        match result {
            Err(e) => {
                for d in &e.diagnostics {
                    eprint!("{}", d.render());
                }
                self.code = INVALID;
            }
            Ok((warnings, a)) => {
                for w in &warnings {
                    eprint!("{}", w.render());
                }
                if !a.complete && self.code == OK {
                    self.code = INCOMPLETE;
                }
                self.appraisal(a);
                self.first = false;
            }
        }
    }

    fn appraisal(&mut self, a: Appraisal) {
        let c = self.checklist;
        match self.format {
            OutputFormat::Json => {
                self.rendered.push_str(&crate::render::json(&a));
                self.rendered.push('\n');
            }
            OutputFormat::Text => {
                if !self.first {
                    self.rendered.push_str(&format!("{}\n\n", "─".repeat(72)));
                }
                self.rendered.push_str(&crate::render::text(&a, c));
            }
            OutputFormat::Markdown => {
                self.rendered.push_str(&crate::render::markdown(&a, c));
                self.rendered.push('\n');
            }
            OutputFormat::Html => self.pages.push(a),
        }
    }

    /// The output and the exit status.
    fn finish(self) -> (String, u8) {
        if self.format == OutputFormat::Html && !self.pages.is_empty() {
            return (crate::render::html(&self.pages, self.checklist), self.code);
        }
        (self.rendered, self.code)
    }
}
