//! The bid being appraised, as the functions offered to rules need it beyond its values: the
//! reading of its prose (claims, once per bid) and the document itself (to grade what backs a
//! finding). Kept per thread, set before the first rule and cleared after the last, like the
//! recorder: an evaluation thread appraises one bid at a time.

use crate::reading::{Lexicon, Reading};
use std::cell::RefCell;
use std::sync::Arc;

/// What every rule run on one bid shares.
pub(crate) struct BidContext {
    pub reading: Arc<Reading>,
    pub doc: Arc<serde_json::Value>,
    /// The checklist's concepts: to name a concept a rule misspelt at run time, and for the
    /// word lists of the deprecated `find` and `mentions`.
    pub lexicon: Arc<Lexicon>,
}

thread_local! {
    static CURRENT: RefCell<Option<BidContext>> = const { RefCell::new(None) };
}

/// Starts a bid: every rule from now until [`finish`] reads this reading and document.
pub(crate) fn start(ctx: BidContext) {
    CURRENT.with(|c| *c.borrow_mut() = Some(ctx));
}

/// Ends the bid.
pub(crate) fn finish() {
    CURRENT.with(|c| *c.borrow_mut() = None);
}

/// Runs `f` on the current bid; outside an appraisal (a rule compiled but not run) there is
/// none, and `f` sees an empty reading of an empty bid.
pub(crate) fn with<R>(f: impl FnOnce(&BidContext) -> R) -> R {
    CURRENT.with(|c| match c.borrow().as_ref() {
        Some(ctx) => f(ctx),
        None => f(&BidContext {
            reading: Arc::new(Reading::default()),
            doc: Arc::new(serde_json::Value::Null),
            lexicon: Arc::new(Lexicon::empty()),
        }),
    })
}
