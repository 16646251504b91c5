//! `stronger screen INPUT... --out DIR [--rules DIR] [--jobs N]`

use super::{INCOMPLETE, INVALID, OK, load_checklist};
use crate::Diagnostic;
use crate::screen::ScreenEvents;
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Bid files, folders (searched recursively), JSON Lines (.jsonl), CSV, or 360Giving data.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// The folder to write summary.csv, summary.md, summary.html, appraisals.jsonl and errors.csv
    /// into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The checklist folder (default: the built-in "stronger" checklist).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Evaluation threads (default: one per core, or RAYON_NUM_THREADS).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
}

struct Events {
    bar: Option<indicatif::ProgressBar>,
    warnings: std::sync::atomic::AtomicUsize,
}

/// Warnings past this many are counted, not printed: a round of 50,000 rows with one unknown
/// column should not flood the terminal.
const MAX_WARNINGS: usize = 50;

impl ScreenEvents for Events {
    fn progress(&self, done: u64) {
        if let Some(b) = &self.bar {
            b.set_position(done);
        }
    }

    fn warning(&self, d: &Diagnostic) {
        let n = self
            .warnings
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if n < MAX_WARNINGS {
            let text = d.render();
            match &self.bar {
                Some(b) => b.suspend(|| eprint!("{text}")),
                None => eprint!("{text}"),
            }
        }
    }
}

/// How many bids the inputs hold, for the progress bar's ETA: one per bid file, one per line of
/// JSON Lines, one per row of CSV. `None` when a 360Giving package is among them (its grants are
/// only counted by reading it).
fn estimate(inputs: &[PathBuf]) -> Option<u64> {
    use crate::batch::InputKind;
    let lines = |p: &PathBuf| -> Option<u64> {
        use std::io::Read;
        let mut f = crate::proposal::read::open_regular(p).ok()?;
        let mut buf = vec![0u8; 1 << 20];
        let (mut n, mut last) = (0u64, b'\n');
        loop {
            let k = f.read(&mut buf).ok()?;
            if k == 0 {
                break;
            }
            let chunk = buf.get(..k)?;
            n += chunk.iter().filter(|&&b| b == b'\n').count() as u64;
            last = *chunk.last()?;
        }
        Some(if last == b'\n' { n } else { n + 1 })
    };
    let mut total = 0u64;
    for p in inputs {
        total += match crate::batch::detect(p)? {
            InputKind::Toml | InputKind::Json => 1,
            InputKind::JsonLines => lines(p)?,
            InputKind::Csv | InputKind::GivingCsv => lines(p)?.saturating_sub(1),
            InputKind::Giving => return None,
        };
    }
    Some(total)
}

/// Bids per second, whole.
fn rate(state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write) {
    let _ = write!(w, "{:.0} bids/s", state.per_sec());
}

pub(crate) fn run(args: Args) -> u8 {
    if let Some(j) = args.jobs {
        if j == 0 {
            eprintln!("error: `--jobs` must be at least 1");
            return INVALID;
        }
        crate::set_jobs(j);
    }
    let checklist = match load_checklist(args.rules.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let inputs = match inputs(&args.inputs) {
        Ok(i) => i,
        Err(code) => return code,
    };
    let events = Events {
        bar: std::io::stderr()
            .is_terminal()
            .then(|| progress_bar(&inputs)),
        warnings: std::sync::atomic::AtomicUsize::new(0),
    };
    let result = crate::screen::screen(&checklist, &inputs, &args.out, &events);
    if let Some(b) = &events.bar {
        b.finish_and_clear();
    }
    let extra = events
        .warnings
        .load(std::sync::atomic::Ordering::Relaxed)
        .saturating_sub(MAX_WARNINGS);
    if extra > 0 {
        eprintln!("… and {extra} more warnings");
    }
    match result {
        Err(e) => {
            eprintln!("error: {e}");
            INVALID
        }
        Ok(r) => report(&r, &args.out),
    }
}

/// The files to screen, folders walked (what the walk skipped is warned about): an error when
/// an input does not exist or there is no bid file at all.
fn inputs(named: &[PathBuf]) -> Result<Vec<PathBuf>, u8> {
    for i in named {
        if !i.exists() {
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
            "error: no bids to screen: the folders hold no bid files (.toml, .json, .jsonl, .csv)"
        );
        return Err(INVALID);
    }
    Ok(found.files)
}

/// A bar with an ETA when the bids can be counted up front, a spinner otherwise.
fn progress_bar(inputs: &[PathBuf]) -> indicatif::ProgressBar {
    let (b, template) = match estimate(inputs) {
        Some(total) => (
            indicatif::ProgressBar::new(total),
            "{bar:30} {pos}/{len} · {rate} · ETA {eta}",
        ),
        None => (
            indicatif::ProgressBar::new_spinner(),
            "{spinner} {pos} bids screened · {rate} · {elapsed}",
        ),
    };
    b.set_style(
        indicatif::ProgressStyle::with_template(template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .with_key("rate", rate),
    );
    b.enable_steady_tick(std::time::Duration::from_millis(120));
    b
}

/// The one-line account of a run, and its exit status. A run that read no bid at all is an
/// error: there is nothing to rank.
fn report(r: &crate::screen::ScreenReport, out: &std::path::Path) -> u8 {
    if r.appraised + r.errors == 0 {
        eprintln!("error: no bids to screen: the inputs hold none");
        return INVALID;
    }
    eprintln!(
        "screened {} bids into {}: {} appraised{}{}",
        r.appraised + r.errors,
        out.display(),
        r.appraised,
        if r.incomplete > 0 {
            format!(", {} incomplete (a rule failed)", r.incomplete)
        } else {
            String::new()
        },
        if r.errors > 0 {
            format!(", {} could not be read (see errors.csv)", r.errors)
        } else {
            String::new()
        },
    );
    if r.errors > 0 || r.incomplete > 0 {
        INCOMPLETE
    } else {
        OK
    }
}
