//! What one rule records while it runs, kept per thread: the engine sets a fresh recorder before
//! each rule call and takes it afterwards. Evaluation threads run one rule at a time.

use crate::appraisal::{Confidence, Status};
use std::cell::RefCell;
use std::time::Instant;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawImpact {
    pub indicator: String,
    pub amount: f64,
    pub reason: String,
    pub confidence: Confidence,
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

/// Most impacts, and most pieces of advice, one rule may record on one bid: without a bound a
/// looping rule could fill memory faster than its deadline stops it.
pub(crate) const MAX_RECORDS: usize = 100;
/// Longest reason, question or piece of advice a rule may record, in bytes.
pub(crate) const MAX_TEXT: usize = 10_000;
/// Most `print`/`debug` notes kept from one rule run; later ones are dropped.
const MAX_NOTES: usize = 100;
/// Longest note kept, in bytes; a longer one is cut short.
const MAX_NOTE: usize = 1_000;

#[derive(Debug, Default)]
pub(crate) struct Recorder {
    /// Indicators the rule declared in its metadata: the only ones it may record impacts on.
    pub allowed: Vec<String>,
    pub status: Option<RawStatus>,
    pub impacts: Vec<RawImpact>,
    pub advice: Vec<RawAdvice>,
    pub reads: Vec<Read>,
    pub notes: Vec<String>,
}

thread_local! {
    static CURRENT: RefCell<Option<Recorder>> = const { RefCell::new(None) };
    static DEADLINE: RefCell<Option<Instant>> = const { RefCell::new(None) };
}

pub(crate) fn start(allowed: Vec<String>, deadline: Instant) {
    CURRENT.with(|c| {
        *c.borrow_mut() = Some(Recorder {
            allowed,
            ..Recorder::default()
        })
    });
    DEADLINE.with(|d| *d.borrow_mut() = Some(deadline));
}

pub(crate) fn finish() -> Recorder {
    DEADLINE.with(|d| *d.borrow_mut() = None);
    CURRENT.with(|c| c.borrow_mut().take()).unwrap_or_default()
}

/// Runs `f` on the current recorder. Outside a rule call (there is none) it does nothing.
pub(crate) fn with<R>(f: impl FnOnce(&mut Recorder) -> R) -> Option<R> {
    CURRENT.with(|c| c.borrow_mut().as_mut().map(f))
}

/// Keeps what a rule printed, within [`MAX_NOTES`] notes of [`MAX_NOTE`] bytes.
pub(crate) fn note(s: &str) {
    with(|r| {
        if r.notes.len() < MAX_NOTES {
            let mut end = s.len().min(MAX_NOTE);
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            r.notes.push(s.get(..end).unwrap_or_default().to_string());
        }
    });
}

/// Whether the current rule has passed its deadline.
pub(crate) fn past_deadline() -> bool {
    DEADLINE.with(|d| d.borrow().is_some_and(|t| Instant::now() >= t))
}
