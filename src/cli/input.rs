//! The inputs of every command that reads bids, read one way: files and folders (walked once,
//! what is skipped warned about), `-` for standard input with `--input-format`, a funder's
//! export through `--map` (the mapping checked against each export's header before anything is
//! appraised) and `--sheet` for Excel. `appraise`, `screen`, `rules diff` and the champion's
//! verbs all gather their inputs here and read them through `batch`.

use super::INVALID;
use crate::batch::{InputKind, Item, Mapping, ReadOptions};
use crate::{Limits, ProposalSchema};
use std::path::{Path, PathBuf};

/// The options every command that reads bids shares.
#[derive(clap::Args, Debug, Clone, Default)]
pub(crate) struct InputArgs {
    /// Read CSV and Excel inputs as a funder's own export, through this mapping (draft one with
    /// `stronger map init EXPORT`).
    #[arg(long, value_name = "MAP.toml")]
    pub map: Option<PathBuf>,
    /// The Excel sheet to read (default: the mapping's, else the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// What standard input (`-`) holds.
    #[arg(long, value_name = "FORMAT", value_parser = ["toml", "json", "jsonl", "csv", "xlsx", "360giving"])]
    pub input_format: Option<String>,
}

/// Standard input, saved to a temporary file (the readers read a file: a CSV row that cannot
/// be read is found again by its offset); removed when dropped.
struct Spool(PathBuf);

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The inputs gathered: the files to read, and how.
pub(crate) struct Inputs {
    pub files: Vec<PathBuf>,
    pub mapping: Option<Mapping>,
    sheet: Option<String>,
    /// Standard input: its kind, and the file it was saved to.
    stdin: Option<(InputKind, Spool)>,
}

impl Inputs {
    /// How `batch` reads them.
    pub(crate) fn options(&self) -> ReadOptions<'_> {
        ReadOptions {
            mapping: self.mapping.as_ref(),
            sheet: self.sheet.as_deref(),
            kind: self.stdin.as_ref().map(|(k, _)| *k),
            name: self.stdin.as_ref().map(|_| "<stdin>"),
        }
    }

    /// Every item of every input, resolved, in input order, to `each`.
    pub(crate) fn read(&self, schema: &ProposalSchema, each: &mut dyn FnMut(Item)) {
        let limits = Limits::default();
        let options = self.options();
        for f in &self.files {
            crate::batch::read_input_with(f, schema, &limits, &options, &mut |item| {
                each(item.resolve(schema, &limits));
                true
            });
        }
    }
}

/// Gathers the inputs named on the command line (`what` names them in messages: "bids to
/// screen"), loads `--map` and checks it against every export; on failure prints why and gives
/// the exit status. A file that does not exist is an error here for a round (`screen`), and
/// left to the reader to report (as a bid that cannot be read) otherwise.
pub(crate) fn gather(
    named: &[PathBuf],
    args: &InputArgs,
    schema: &ProposalSchema,
    what: &str,
) -> Result<Inputs, u8> {
    gather_inputs(named, args, schema, what, false)
}

/// [`gather`] for a round, where every input named must exist.
pub(crate) fn gather_round(
    named: &[PathBuf],
    args: &InputArgs,
    schema: &ProposalSchema,
    what: &str,
) -> Result<Inputs, u8> {
    gather_inputs(named, args, schema, what, true)
}

fn gather_inputs(
    named: &[PathBuf],
    args: &InputArgs,
    schema: &ProposalSchema,
    what: &str,
    must_exist: bool,
) -> Result<Inputs, u8> {
    let stdin = named.iter().any(|p| p.as_os_str() == "-");
    let (files, stdin) = if stdin {
        let (kind, spool) = spool(named, args)?;
        (vec![spool.0.clone()], Some((kind, spool)))
    } else {
        (files(named, what, must_exist)?, None)
    };
    let mapping = match &args.map {
        None => None,
        Some(p) => Some(Mapping::load(p, schema.fields()).map_err(|problems| {
            for d in &problems {
                eprint!("{}", d.render());
            }
            eprintln!(
                "error: the mapping `{}` is invalid; nothing was read",
                p.display()
            );
            INVALID
        })?),
    };
    let inputs = Inputs {
        files,
        mapping,
        sheet: args.sheet.clone(),
        stdin,
    };
    if let Some(m) = &inputs.mapping {
        let problems = crate::batch::check_mapping(
            &inputs.files,
            m,
            schema,
            &Limits::default(),
            &inputs.options(),
        );
        if !problems.is_empty() {
            for d in &problems {
                eprint!("{}", d.render());
            }
            eprintln!(
                "error: the mapping `{}` does not fit the export; nothing was read",
                m.file()
            );
            return Err(INVALID);
        }
    }
    Ok(inputs)
}

/// The files named, folders walked: an error when one does not exist or there is none at all.
fn files(named: &[PathBuf], what: &str, must_exist: bool) -> Result<Vec<PathBuf>, u8> {
    for i in named {
        if must_exist && !i.exists() {
            eprintln!("error: `{}` does not exist", i.display());
            return Err(INVALID);
        }
    }
    let found = crate::batch::expand(named);
    for w in &found.skipped {
        eprint!("{}", w.render());
    }
    if found.files.is_empty() {
        eprintln!(
            "error: no {what}: the folders hold no bid files (.toml, .json, .jsonl, .csv, .xlsx)"
        );
        return Err(INVALID);
    }
    Ok(found.files)
}

/// Standard input saved to a temporary file named for its kind.
fn spool(named: &[PathBuf], args: &InputArgs) -> Result<(InputKind, Spool), u8> {
    if named.len() > 1 {
        eprintln!("error: `-` (standard input) is read on its own: name no other input with it");
        return Err(INVALID);
    }
    let Some(kind) = args.input_format.as_deref().and_then(InputKind::from_name) else {
        eprintln!(
            "error: `-` reads standard input: say what it holds with `--input-format` (toml, json, jsonl, csv, xlsx, 360giving)"
        );
        return Err(INVALID);
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let path = std::env::temp_dir().join(format!(
        "stronger-stdin-{}-{nanos}.{}",
        std::process::id(),
        kind.extension()
    ));
    let spool = Spool(path);
    let copied = std::fs::File::create_new(&spool.0)
        .and_then(|mut f| std::io::copy(&mut std::io::stdin().lock(), &mut f));
    if let Err(e) = copied {
        eprintln!(
            "error: cannot read standard input: {}",
            crate::proposal::io_reason(&e)
        );
        return Err(INVALID);
    }
    Ok((kind, spool))
}

/// Whether a path is a one-bid file read as written (TOML or JSON that is not 360Giving).
pub(crate) fn one_bid_file(path: &Path) -> bool {
    matches!(
        crate::batch::detect(path),
        Some(InputKind::Toml | InputKind::Json)
    )
}
