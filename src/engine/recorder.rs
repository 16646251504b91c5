//! What one rule records while it runs, kept per thread: the engine sets a fresh recorder before
//! each rule call and takes it afterwards. Evaluation threads run one rule at a time. What the
//! rule may spend (operations, time, memory) is the work meter's (`meter.rs`).

use crate::appraisal::{Grade, Status};
use std::cell::RefCell;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawImpact {
    pub indicator: String,
    pub amount: f64,
    pub reason: String,
    /// What backs the impact (the engine decides it from what the rule named).
    pub grade: Grade,
    /// The concept of the claim behind it, when prose backs it.
    pub concept: Option<String>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawAdvice {
    pub text: String,
    pub gain: f64,
    pub change: Option<serde_json::Map<String, serde_json::Value>>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawStatus {
    pub status: Status,
    /// The reason, or for `not-stated` the question to ask.
    pub text: String,
    /// What backs a `met` or `not_met`, when the rule named it.
    pub grade: Option<Grade>,
    pub line: usize,
}

/// A field a rule read, and where in the rule.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Read {
    /// The table read from (`""` for the bid, `partners[1]`).
    pub parent: rhai::ImmutableString,
    /// The field read, or for `mentions` a description such as `(all free text)`.
    pub key: rhai::ImmutableString,
    pub line: usize,
}

impl Read {
    /// The dotted path: `volunteering.roles`, `partners[1].sector`.
    pub(crate) fn path(&self) -> String {
        if self.parent.is_empty() {
            self.key.to_string()
        } else {
            format!("{}.{}", self.parent, self.key)
        }
    }
}

/// A question a rule asked of the reading: the claims of a concept within a record.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Asked {
    pub concept: rhai::ImmutableString,
    /// The record asked (`""` for the whole bid, `partners[1]`).
    pub within: rhai::ImmutableString,
    pub line: usize,
}

/// Most impacts, and most pieces of advice, one rule may record on one bid: without a bound a
/// looping rule could fill memory faster than its deadline stops it.
pub(crate) const MAX_RECORDS: usize = 100;
/// Longest reason, question or piece of advice a rule may record, in bytes.
pub(crate) const MAX_TEXT: usize = 10_000;
/// Most `print`/`debug` notes kept from one rule run; later ones are dropped.
const MAX_NOTES: usize = 100;
/// Longest note kept, in bytes; a longer one is cut short.
const MAX_NOTE: usize = 1_000;
/// Most field reads kept for the trace of one rule run (a rule reading in a loop reads the same
/// few fields again and again).
const MAX_READS: usize = 10_000;

#[derive(Debug, Default)]
pub(crate) struct Recorder {
    /// Indicators the rule declared in its metadata: the only ones it may record impacts on.
    pub allowed: Vec<String>,
    pub status: Option<RawStatus>,
    pub impacts: Vec<RawImpact>,
    pub advice: Vec<RawAdvice>,
    pub reads: Vec<Read>,
    /// The concepts the rule asked about, where (the record's path) and at which line.
    pub asked: Vec<Asked>,
    pub notes: Vec<String>,
    /// Operations the run used: the script's and the native work charged for it.
    pub operations: u64,
}

thread_local! {
    static CURRENT: RefCell<Option<Recorder>> = const { RefCell::new(None) };
}

pub(crate) fn start(allowed: Vec<String>) {
    CURRENT.with(|c| {
        *c.borrow_mut() = Some(Recorder {
            allowed,
            ..Recorder::default()
        })
    });
}

pub(crate) fn finish() -> Recorder {
    CURRENT.with(|c| c.borrow_mut().take()).unwrap_or_default()
}

/// Keeps a field read for the trace, within [`MAX_READS`].
pub(crate) fn read(read: Read) {
    with(|r| {
        if r.reads.len() < MAX_READS {
            r.reads.push(read);
        }
    });
}

/// Keeps a question asked of the reading for the trace, once per concept and record.
pub(crate) fn asked(a: Asked) {
    with(|r| {
        if r.asked.len() < MAX_READS
            && !r
                .asked
                .iter()
                .any(|x| x.concept == a.concept && x.within == a.within)
        {
            r.asked.push(a);
        }
    });
}

/// Runs `f` on the current recorder. Outside a rule call (there is none) it does nothing.
pub(crate) fn with<R>(f: impl FnOnce(&mut Recorder) -> R) -> Option<R> {
    CURRENT.with(|c| c.borrow_mut().as_mut().map(f))
}

/// Keeps what a rule printed, within [`MAX_NOTES`] notes of [`MAX_NOTE`] bytes. Formatting the
/// note was native work: it is charged to the rule's budget.
pub(crate) fn note(s: &str) {
    // A failed charge stops the rule at its next operation.
    let _ = super::meter::charge(super::meter::cost::bytes(s.len()));
    with(|r| {
        if r.notes.len() < MAX_NOTES {
            r.notes.push(cut(s, MAX_NOTE).to_string());
        }
    });
}

/// `s` cut to at most `max` bytes, at a character boundary.
pub(crate) fn cut(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or_default()
}
