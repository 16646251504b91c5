//! `stronger map init EXPORT [--out MAP.toml] [--sheet NAME] [--rows N] [--force]`: a starter
//! mapping for a funder's export, drafted from its header row and first rows.

use super::{INVALID, OK};
use clap::Subcommand;
use std::path::PathBuf;

/// Exit statuses of `map init`; the end of its `--help`.
pub(crate) const EXIT_STATUS: &str = "Exit status:
  0  the mapping was written
  2  the export could not be read, --out exists (without --force) or cannot be written, or a
     usage error";

#[derive(Subcommand, Debug)]
pub(crate) enum MapCommand {
    /// Draft a mapping from an export's header row and first rows: each column's field guessed
    /// by its name and values, with a comment saying why; columns nothing suggests listed as
    /// "ignore". Edit it, then read the export with `--map`.
    #[command(after_help = EXIT_STATUS)]
    Init(InitArgs),
}

#[derive(clap::Args, Debug)]
pub(crate) struct InitArgs {
    /// The export: a CSV file or an Excel workbook (.xlsx).
    #[arg(value_name = "EXPORT")]
    export: PathBuf,
    /// Write the mapping to this file instead of standard output.
    #[arg(long, value_name = "MAP.toml")]
    out: Option<PathBuf>,
    /// The Excel sheet to read (default: the first).
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// How many rows after the header to read for the guesses.
    #[arg(long, value_name = "N", default_value_t = 50)]
    rows: usize,
    /// Replace `--out` if it exists (a mapping someone has edited is not replaced otherwise).
    #[arg(long)]
    force: bool,
}

pub(crate) fn run(cmd: MapCommand) -> u8 {
    match cmd {
        MapCommand::Init(args) => init(args),
    }
}

fn init(args: InitArgs) -> u8 {
    if let Some(out) = &args.out
        && out.exists()
        && !args.force
    {
        eprintln!(
            "error: `{}` exists: it may hold someone's edits, so it is not replaced (use --force to replace it)",
            out.display()
        );
        return INVALID;
    }
    let limits = crate::Limits::default();
    let sample =
        crate::batch::table_sample(&args.export, args.sheet.as_deref(), &limits, args.rows);
    let (header, rows) = match sample {
        Ok(s) => s,
        Err(d) => {
            eprint!("{}", d.render());
            return INVALID;
        }
    };
    let name = args.export.file_name().map_or_else(
        || args.export.display().to_string(),
        |n| n.to_string_lossy().to_string(),
    );
    let sheet = args.sheet.as_deref();
    let fields = crate::ProposalSchema::builtin().fields();
    let text = crate::batch::draft(&name, sheet, &header, &rows, fields);
    if let Err(c) = super::emit(args.out.as_deref(), &text) {
        return c;
    }
    if let Some(out) = &args.out {
        eprintln!(
            "wrote {}: {} columns from {} rows of `{name}`; check each line, then: stronger screen {} --map {} --out results/",
            out.display(),
            header.len(),
            rows.len(),
            args.export.display(),
            out.display()
        );
    }
    OK
}
