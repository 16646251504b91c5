//! `stronger rules test [--rules DIR] [--format text|json|tap|junit] [--coverage]
//! [--min-coverage N] [--all-layers] [--watch]`

use crate::Checklist;
use crate::cases::{self, CaseResult, Coverage, CoverageScope};
use crate::cli::{INCOMPLETE, INVALID, OK};
use clap::ValueEnum;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// The checklist folder (default: the built-in checklist).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = TestFormat::Text)]
    format: TestFormat,
    /// Report which outcomes of each rule the cases reached, and which they never reached.
    #[arg(long)]
    coverage: bool,
    /// Fail when coverage is below N percent (implies --coverage).
    #[arg(long, value_name = "N")]
    min_coverage: Option<f64>,
    /// Count the rules of every layer in coverage, not only the rules this checklist itself
    /// defines (a checklist built on another answers for its own rules by default).
    #[arg(long)]
    all_layers: bool,
    /// Run again whenever a file in the checklist folder changes (needs --rules).
    #[arg(long, requires = "rules")]
    watch: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TestFormat {
    Text,
    Json,
    Tap,
    Junit,
}

pub(crate) fn run(args: Args) -> u8 {
    if !args.watch {
        return once(&args);
    }
    let Some(dir) = args.rules.as_deref() else {
        return INVALID;
    };
    let mut last = stamp(dir);
    once(&args);
    eprintln!("watching {} for changes (Ctrl-C to stop)", dir.display());
    loop {
        std::thread::sleep(Duration::from_millis(300));
        let now = stamp(dir);
        if now != last {
            last = now;
            eprintln!("\n--- {} changed: running again ---", dir.display());
            once(&args);
        }
    }
}

/// The newest modification time, the number of files and their total size under `dir`: changes
/// when a file is edited, added or removed (the size catches edits within a coarse timestamp).
fn stamp(dir: &Path) -> (Option<SystemTime>, usize, u64) {
    let mut newest = None;
    let mut count = 0;
    let mut size = 0u64;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let Ok(meta) = e.metadata() else { continue };
            if meta.is_dir() {
                stack.push(e.path());
            } else {
                count += 1;
                size += meta.len();
                if let Ok(m) = meta.modified() {
                    newest = newest.max(Some(m));
                }
            }
        }
    }
    (newest, count, size)
}

fn once(args: &Args) -> u8 {
    let checklist = match crate::cli::load_checklist(args.rules.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let results = match cases::run(&checklist) {
        Ok(r) => r,
        Err(problems) => {
            for d in &problems {
                eprint!("{}", d.render());
            }
            return INVALID;
        }
    };
    for w in cases::budget_warnings(&checklist, &results) {
        eprint!("{}", w.render());
    }
    let want_coverage = args.coverage || args.min_coverage.is_some();
    let scope = if args.all_layers {
        CoverageScope::All
    } else {
        CoverageScope::Own
    };
    let coverage = want_coverage.then(|| cases::coverage(&checklist, &results, scope));
    let whose = (checklist.has_base() && scope == CoverageScope::Own)
        .then(|| format!("{} {}'s own", checklist.name(), checklist.version()));
    let report = match args.format {
        TestFormat::Text => text(&results, coverage.as_ref(), whose.as_deref()),
        TestFormat::Json => json(&results, coverage.as_ref()),
        TestFormat::Tap => tap(&results),
        TestFormat::Junit => junit(&checklist, &results),
    };
    crate::cli::say(&report);
    let failed = results.iter().any(|r| !r.passed());
    let short = match (args.min_coverage, &coverage) {
        (Some(min), Some(c)) if c.percent() < min => {
            eprintln!(
                "coverage {:.1}% is below the minimum of {min}%",
                c.percent()
            );
            true
        }
        _ => false,
    };
    if failed || short { INCOMPLETE } else { OK }
}

/// The text report; `whose` names the layer when coverage counts only a derived checklist's own
/// rules.
fn text(results: &[CaseResult], coverage: Option<&Coverage>, whose: Option<&str>) -> String {
    let mut o = String::new();
    for r in results.iter().filter(|r| !r.passed()) {
        let _ = writeln!(o, "FAIL {} — {}", r.file, r.name);
        for f in &r.failures {
            let _ = writeln!(o, "     {}", crate::shown::escape(f));
        }
    }
    let failed = results.iter().filter(|r| !r.passed()).count();
    let pending = results
        .iter()
        .filter(|r| r.passed() && r.pending.is_some())
        .count();
    if pending > 0 {
        let _ = writeln!(
            o,
            "{} passed, {} failed, {pending} pending (judgments of behaviour not built yet)",
            results.len() - failed - pending,
            failed
        );
    } else {
        let _ = writeln!(o, "{} passed, {} failed", results.len() - failed, failed);
    }
    if let Some(c) = coverage {
        match whose {
            None => writeln!(
                o,
                "\ncoverage: {:.1}% of rule outcomes reached",
                c.percent()
            ),
            Some(w) => writeln!(
                o,
                "\ncoverage: {:.1}% of the outcomes of {w} rules reached \
                 (--all-layers counts its base's rules too)",
                c.percent()
            ),
        }
        .ok();
        for r in &c.rules {
            let all = r.reached.len() + r.missed.len();
            let _ = writeln!(o, "  {:<8} {}/{} outcomes", r.rule, r.reached.len(), all);
        }
        let missed: Vec<String> = c
            .rules
            .iter()
            .flat_map(|r| {
                r.missed
                    .iter()
                    .map(move |m| format!("  {}:{} {} ({})", r.file, m.line, m.kind, r.rule))
            })
            .collect();
        if !missed.is_empty() {
            let _ = writeln!(o, "never reached:");
            for m in missed {
                let _ = writeln!(o, "{m}");
            }
        }
    }
    o
}

fn json(results: &[CaseResult], coverage: Option<&Coverage>) -> String {
    let cases: Vec<serde_json::Value> = results
        .iter()
        .map(|r| {
            serde_json::json!({
                "file": r.file,
                "name": r.name,
                "passed": r.passed(),
                "failures": r.failures,
            })
        })
        .collect();
    let failed = results.iter().filter(|r| !r.passed()).count();
    let mut v = serde_json::json!({
        "passed": results.len() - failed,
        "failed": failed,
        "cases": cases,
    });
    if let (Some(c), Some(obj)) = (coverage, v.as_object_mut()) {
        obj.insert(
            "coverage".to_string(),
            serde_json::json!({"percent": c.percent(), "rules": c.rules}),
        );
    }
    format!("{v}\n")
}

fn tap(results: &[CaseResult]) -> String {
    let mut o = format!("TAP version 13\n1..{}\n", results.len());
    for (n, r) in results.iter().enumerate() {
        let name = r.name.replace('#', "\\#");
        if r.passed() {
            let _ = writeln!(o, "ok {} - {name}", n + 1);
        } else {
            let _ = writeln!(
                o,
                "not ok {} - {name}\n  ---\n  file: {}\n  failures:",
                n + 1,
                r.file
            );
            for f in &r.failures {
                let _ = writeln!(o, "    - {}", serde_json::Value::String(f.clone()));
            }
            let _ = writeln!(o, "  ...");
        }
    }
    o
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn junit(checklist: &Checklist, results: &[CaseResult]) -> String {
    let failed = results.iter().filter(|r| !r.passed()).count();
    let mut o = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        o,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{failed}\">",
        xml(&format!("{} {}", checklist.name(), checklist.version())),
        results.len()
    );
    let mut files: Vec<&str> = results.iter().map(|r| r.file.as_str()).collect();
    files.dedup();
    for file in files {
        let in_file: Vec<&CaseResult> = results.iter().filter(|r| r.file == file).collect();
        let f = in_file.iter().filter(|r| !r.passed()).count();
        let _ = writeln!(
            o,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{f}\">",
            xml(file),
            in_file.len()
        );
        for r in in_file {
            if r.passed() {
                let _ = writeln!(
                    o,
                    "    <testcase name=\"{}\" classname=\"{}\"/>",
                    xml(&r.name),
                    xml(file)
                );
            } else {
                let _ = writeln!(
                    o,
                    "    <testcase name=\"{}\" classname=\"{}\">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                    xml(&r.name),
                    xml(file),
                    xml(r.failures.first().map(String::as_str).unwrap_or("")),
                    xml(&r.failures.join("\n"))
                );
            }
        }
        let _ = writeln!(o, "  </testsuite>");
    }
    o.push_str("</testsuites>\n");
    o
}
