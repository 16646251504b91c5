//! The bid being appraised, as the functions offered to rules need it beyond its values: the
//! reading of its prose (claims, once per bid) and the document itself (to grade what backs a
//! finding). Kept per thread, set before the first rule and cleared after the last, like the
//! recorder: an evaluation thread appraises one bid at a time.

use crate::appraisal::Grade;
use crate::reading::{Lexicon, Reading};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;

/// What every rule run on one bid shares.
pub(crate) struct BidContext {
    pub reading: Arc<Reading>,
    pub doc: Arc<serde_json::Value>,
    /// The checklist's concepts: to name a concept a rule misspelt at run time, and for the
    /// word lists of the deprecated `find` and `mentions`.
    pub lexicon: Arc<Lexicon>,
    /// For each concept of the lexicon (by its place in it), the claims about it, in order:
    /// a rule's question looks at the claims of the concepts it names, not at every claim.
    by_concept: Vec<Vec<usize>>,
    /// Each claim's grade, once some rule has asked for it (it depends on the bid alone).
    grades: Vec<Cell<Option<Grade>>>,
    /// What a path a rule named behind a finding says, once some rule has named it (it depends
    /// on the bid alone): its grade (`None`: the bid does not state it) and whether it names an
    /// example. Rules name the same few fields and entries again and again.
    paths: RefCell<HashMap<Box<str>, PathFacts>>,
}

/// What a path says: its grade (`None`: not stated) and whether it names an example.
pub(crate) type PathFacts = (Option<Grade>, bool);

impl BidContext {
    pub(crate) fn new(
        reading: Arc<Reading>,
        doc: Arc<serde_json::Value>,
        lexicon: Arc<Lexicon>,
    ) -> BidContext {
        let mut by_concept = vec![Vec::new(); lexicon.concepts().count()];
        for (i, c) in reading.claims.iter().enumerate() {
            if let Some(list) = lexicon
                .concept_index(&c.concept)
                .and_then(|k| by_concept.get_mut(k))
            {
                list.push(i);
            }
        }
        let grades = vec![Cell::new(None); reading.claims.len()];
        BidContext {
            reading,
            doc,
            lexicon,
            by_concept,
            grades,
            paths: RefCell::default(),
        }
    }

    /// The claims about the concept at `index` in the lexicon, in order.
    pub(crate) fn claims_of(&self, index: usize) -> &[usize] {
        self.by_concept.get(index).map_or(&[], Vec::as_slice)
    }

    /// The grade of claim `i`, worked out by `grade` the first time it is asked for.
    pub(crate) fn grade(&self, i: usize, grade: impl FnOnce() -> Grade) -> Grade {
        let Some(cell) = self.grades.get(i) else {
            return grade();
        };
        if let Some(g) = cell.get() {
            return g;
        }
        let g = grade();
        cell.set(Some(g));
        g
    }

    /// What `path` says, as [`BidContext::paths`] keeps it, worked out by `facts` the first
    /// time it is named.
    pub(crate) fn path(&self, path: &str, facts: impl FnOnce() -> PathFacts) -> PathFacts {
        if let Some(&known) = self.paths.borrow().get(path) {
            return known;
        }
        let known = facts();
        self.paths.borrow_mut().insert(path.into(), known);
        known
    }
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
        None => f(&BidContext::new(
            Arc::new(Reading::default()),
            Arc::new(serde_json::Value::Null),
            Arc::new(Lexicon::empty()),
        )),
    })
}
