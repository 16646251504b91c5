//! Appraising: a checklist's rules run over one bid (`evaluate`), their records turned into an
//! appraisal (`aggregate`), on a thread of the evaluation pool, optionally with the trace of
//! what each rule read and reached.
//!
//! Every evaluation must run on a thread with `engine::STACK_SIZE` of stack: the pool's threads
//! have it. Callers that appraise many bids at once run them with [`on_evaluation_threads`].

use crate::appraisal::Appraisal;
use crate::checklist::Checklist;
use crate::evaluate::{Trace, pool, run_rules, trace};
use crate::proposal::Proposal;

impl Checklist {
    /// Appraises one bid on the evaluation pool (threads with a large stack).
    pub fn appraise(&self, proposal: &Proposal) -> Appraisal {
        on_evaluation_threads(|| self.appraise_on_this_thread(proposal))
    }

    /// Appraises one bid on the calling thread, which must be an evaluation thread (one with
    /// `engine::STACK_SIZE` of stack): use it inside [`on_evaluation_threads`] for batches.
    pub(crate) fn appraise_on_this_thread(&self, proposal: &Proposal) -> Appraisal {
        let runs = run_rules(self, proposal);
        crate::aggregate::build(&self.config, self.provenance(), proposal, &runs)
    }

    /// Appraises one bid and also returns what each rule read and which outcomes it reached.
    pub fn appraise_traced(&self, proposal: &Proposal) -> (Appraisal, Trace) {
        on_evaluation_threads(|| {
            let runs = run_rules(self, proposal);
            let trace = trace(&runs);
            let appraisal =
                crate::aggregate::build(&self.config, self.provenance(), proposal, &runs);
            (appraisal, trace)
        })
    }
}

/// Runs `work` on the evaluation pool, where appraisals may run (in parallel, with rayon).
pub(crate) fn on_evaluation_threads<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    pool().install(work)
}
