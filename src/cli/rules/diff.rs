//! `stronger rules diff --base OLD --rules NEW --corpus BIDS [--format text|json]`

use crate::cli::input::{InputArgs, gather};
use crate::cli::{INCOMPLETE, INVALID, OK};
use std::fmt::Write as _;
use std::path::PathBuf;

/// Exit statuses of `rules diff`; the end of its `--help`.
pub(crate) const EXIT_STATUS: &str = "Exit status:
  0  no bid changes
  1  some bids change
  2  either checklist is invalid, no bid of the corpus could be read, the mapping does not
     fit, or a usage error";

#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// The checklist before the change (a folder, or `default` for the built-in one).
    #[arg(long, value_name = "OLD_RULES_DIR")]
    base: PathBuf,
    /// The checklist after the change (a folder, or `default` for the built-in one).
    #[arg(long, value_name = "NEW_RULES_DIR")]
    rules: PathBuf,
    /// Bids to compare on: bid files, folders, JSON Lines, CSV, Excel, 360Giving data or a
    /// funder's export (with --map); repeat for several.
    #[arg(long, value_name = "BIDS_DIR_OR_FILE")]
    corpus: Vec<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
    /// Report format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum DiffFormat {
    Text,
    Json,
}

fn load(p: &std::path::Path) -> Result<crate::Checklist, u8> {
    if p.as_os_str() == "default" {
        crate::cli::load_checklist(None)
    } else {
        crate::cli::load_checklist(Some(p))
    }
}

pub(crate) fn run(args: Args) -> u8 {
    if args.corpus.is_empty() {
        eprintln!("error: give the bids to compare on with `--corpus BIDS_DIR_OR_FILE`");
        return INVALID;
    }
    let (base, new) = match (load(&args.base), load(&args.rules)) {
        (Ok(b), Ok(n)) => (b, n),
        (Err(c), _) | (_, Err(c)) => return c,
    };
    let inputs = match gather(
        &args.corpus,
        &args.input,
        new.schema(),
        "bids in the corpus",
    ) {
        Ok(i) => i,
        Err(code) => return code,
    };
    let mut bids = Vec::new();
    inputs.read(new.schema(), &mut |item| match item.bid {
        Ok(p) => bids.push(p),
        Err(e) => {
            for d in &e.diagnostics {
                eprint!("{}", d.render());
            }
        }
    });
    if bids.is_empty() {
        eprintln!("error: no readable bids in the corpus");
        return INVALID;
    }
    let d = crate::diff::diff(&base, &new, &bids);
    match args.format {
        DiffFormat::Json => crate::cli::say(&format!(
            "{}\n",
            serde_json::to_string(&d).unwrap_or_default()
        )),
        DiffFormat::Text => crate::cli::say(&text(&d)),
    }
    if d.changed.is_empty() { OK } else { INCOMPLETE }
}

fn text(d: &crate::diff::Diff) -> String {
    let mut o = format!("{} -> {}\n\n", d.base, d.new);
    for c in &d.changed {
        let _ = writeln!(
            o,
            "{}  {}",
            crate::shown::escape(&c.id),
            crate::shown::escape(&c.title)
        );
        if let Some([a, b]) = &c.outcome {
            let _ = writeln!(o, "  outcome   {a} -> {b}");
        }
        if (c.total[0] - c.total[1]).abs() > 1e-9 {
            let _ = writeln!(
                o,
                "  total     {} -> {}",
                crate::render::signed(c.total[0]),
                crate::render::signed(c.total[1])
            );
        }
        for (id, [a, b]) in &c.bands {
            let _ = writeln!(o, "  {id:<9} {a} -> {b}");
        }
        for (rule, [a, b]) in &c.items {
            let _ = writeln!(o, "  {rule:<9} {a} -> {b}");
        }
        o.push('\n');
    }
    let with_outcome = d.changed.iter().filter(|c| c.outcome.is_some()).count();
    let _ = writeln!(
        o,
        "{} bids: {} changed ({} changed outcome), {} unchanged",
        d.bids,
        d.changed.len(),
        with_outcome,
        d.bids - d.changed.len()
    );
    for (mv, n) in &d.outcome_moves {
        let _ = writeln!(o, "  {mv}: {n}");
    }
    o
}
