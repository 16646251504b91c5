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
        let mut f = std::fs::File::open(p).ok()?;
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
    for i in &args.inputs {
        if !i.exists() {
            eprintln!("error: `{}` does not exist", i.display());
            return INVALID;
        }
    }
    let inputs = crate::batch::expand(&args.inputs);
    let bar = std::io::stderr().is_terminal().then(|| {
        let b = match estimate(&inputs) {
            Some(total) => {
                let b = indicatif::ProgressBar::new(total);
                b.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{bar:30} {pos}/{len} · {rate} · ETA {eta}",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                    .with_key("rate", rate),
                );
                b
            }
            None => {
                let b = indicatif::ProgressBar::new_spinner();
                b.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{spinner} {pos} bids screened · {rate} · {elapsed}",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner())
                    .with_key("rate", rate),
                );
                b
            }
        };
        b.enable_steady_tick(std::time::Duration::from_millis(120));
        b
    });
    let events = Events {
        bar,
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
        Ok(r) => {
            eprintln!(
                "screened {} bids into {}: {} appraised{}{}",
                r.appraised + r.errors,
                args.out.display(),
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
    }
}
