//! `stronger screen INPUT... --out DIR [--rules DIR] [--jobs N] [--map MAP.toml] [--sheet NAME]
//! [--budget AMOUNT] [--reports]`

use super::input::{InputArgs, gather_round};
use super::{INCOMPLETE, INVALID, OK, load_checklist};
use crate::Diagnostic;
use crate::screen::{BudgetReport, ScreenEvents, ScreenOptions};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Exit statuses, as PRODUCT.md gives them; the end of `screen --help`.
pub(crate) const EXIT_STATUS: &str = "Exit status:
  0  every bid appraised completely
  1  some bids could not be read (each listed in errors.csv, with its line) or some appraisals
     are incomplete (a rule failed); every other bid is written
  2  the checklist or the mapping is invalid, --out is unusable, there is no bid at all, or a
     usage error";

#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Bid files, folders (searched recursively), JSON Lines (.jsonl), CSV, Excel (.xlsx),
    /// 360Giving data, a funder's export (with --map), or `-` for standard input.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// The folder to write summary.csv, summary.md, summary.html, summary.xlsx, questions.csv,
    /// appraisals.jsonl and errors.csv into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The pot: a running total of what the bids that would be funded ask for, in rank order,
    /// and where it runs out (e.g. 250000, or £250,000).
    #[arg(long, value_name = "AMOUNT", value_parser = budget)]
    budget: Option<f64>,
    /// Also write each bid's own report (one self-contained HTML page each) in DIR/reports/,
    /// linked from summary.html.
    #[arg(long)]
    reports: bool,
    #[command(flatten)]
    input: InputArgs,
    /// The checklist folder (default: the built-in "stronger" checklist).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Evaluation threads (default: one per core, or RAYON_NUM_THREADS).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
}

/// `--budget`: an amount of money, as a spreadsheet or a person writes it.
fn budget(s: &str) -> Result<f64, String> {
    crate::batch::parse_money(s)
        .filter(|x| *x > 0.0)
        .ok_or_else(|| format!("`{s}` is not an amount of money (e.g. 250000, or £250,000)"))
}

struct Events {
    bar: Option<indicatif::ProgressBar>,
    warnings: AtomicUsize,
    /// The furthest the bar has been: bids finish out of order on several threads.
    done: AtomicU64,
}

/// Warnings past this many are counted, not printed: a round of 50,000 rows with one unknown
/// column should not flood the terminal.
const MAX_WARNINGS: usize = 50;

impl ScreenEvents for Events {
    fn progress(&self, done: u64) {
        if let Some(b) = &self.bar {
            let before = self.done.fetch_max(done, Ordering::Relaxed);
            if done > before {
                b.set_position(done);
            }
        }
    }

    fn warning(&self, d: &Diagnostic) {
        let n = self.warnings.fetch_add(1, Ordering::Relaxed);
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
            InputKind::Giving | InputKind::Xlsx => return None,
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
        Ok(c) => super::kept(c),
        Err(code) => return code,
    };
    let inputs = match gather_round(
        &args.inputs,
        &args.input,
        checklist.schema(),
        "bids to screen",
    ) {
        Ok(i) => i,
        Err(code) => return code,
    };
    let events = Events {
        bar: std::io::stderr()
            .is_terminal()
            .then(|| progress_bar(&inputs.files)),
        warnings: AtomicUsize::new(0),
        done: AtomicU64::new(0),
    };
    let options = ScreenOptions {
        read: inputs.options(),
        budget: args.budget,
        reports: args.reports,
    };
    let result = crate::screen::screen_with(checklist, &inputs.files, &args.out, &events, &options);
    if let Some(b) = &events.bar {
        b.finish_and_clear();
    }
    let extra = events
        .warnings
        .load(Ordering::Relaxed)
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
    let read = r.appraised + r.errors;
    eprintln!(
        "screened {} {} into {}: {} appraised{}{}",
        read,
        if read == 1 { "bid" } else { "bids" },
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
    if let Some(b) = &r.budget {
        eprintln!("{}", budget_line(b));
    }
    if r.errors > 0 || r.incomplete > 0 {
        INCOMPLETE
    } else {
        OK
    }
}

/// What the pot covers, in a sentence.
fn budget_line(b: &BudgetReport) -> String {
    use crate::render::summary::money;
    let bids = |n: usize| {
        if n == 1 {
            "1 bid".to_string()
        } else {
            format!("{n} bids")
        }
    };
    if b.within + b.beyond == 0 {
        return format!(
            "the pot of {} funds no bid: none has an outcome that is funded",
            money(b.pot, "GBP")
        );
    }
    let mut line = if b.within == 0 {
        format!(
            "the pot of {} does not cover the first bid that would be funded",
            money(b.pot, "GBP")
        )
    } else {
        format!(
            "the pot of {} funds the first {} that would be funded ({} asked)",
            money(b.pot, "GBP"),
            bids(b.within),
            money(b.spent, "GBP")
        )
    };
    if b.beyond > 0 {
        line.push_str(&format!(
            "; {} {}{} without ({} asked)",
            b.beyond,
            if b.within > 0 { "more " } else { "" },
            if b.beyond == 1 {
                "bid that would be funded goes"
            } else {
                "bids that would be funded go"
            },
            money(b.unfunded, "GBP")
        ));
    }
    line
}
