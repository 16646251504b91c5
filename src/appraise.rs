//! Appraising: a checklist's rules run over a bid (`evaluate`), their records turned into an
//! appraisal (`aggregate`), on a thread of an evaluation pool: one bid, one with the trace of
//! what each rule read and reached, or many bids at once, in input order.
//!
//! Every evaluation must run on a thread with `engine::STACK_SIZE` of stack, so that Rhai's
//! call-depth limit is reached before the stack is exhausted. The pools whose threads have it
//! are private to this module, and appraising on the calling thread takes an [`OnPool`], which
//! only this module makes, on a pool thread, and which cannot leave it: the structure, not a
//! convention, keeps evaluation on those threads.

use crate::appraisal::Appraisal;
use crate::checklist::Checklist;
use crate::evaluate::{Trace, conflicts, run_rules_reading, trace};
use crate::proposal::Proposal;
use rayon::prelude::*;
use std::marker::PhantomData;
use std::sync::OnceLock;

/// Appraises one bid on the evaluation pool.
pub fn appraise(checklist: &Checklist, proposal: &Proposal) -> Appraisal {
    on_pool(|on| on.appraise(checklist, proposal))
}

/// Appraises one bid on the evaluation pool, and also returns what each rule read and which
/// outcomes it reached.
pub fn appraise_traced(checklist: &Checklist, proposal: &Proposal) -> (Appraisal, Trace) {
    on_pool(|on| on.appraise_traced(checklist, proposal))
}

/// Appraises every bid on the evaluation pool, in parallel; the appraisals are in the order of
/// the bids.
pub(crate) fn appraise_all(checklist: &Checklist, bids: &[Proposal]) -> Vec<Appraisal> {
    each(bids, |on, bid| on.appraise(checklist, bid))
}

/// Runs `work` on every item on the evaluation pool, in parallel; the results are in the order
/// of the items. `work` appraises through the [`OnPool`] it is given.
pub(crate) fn each<I, R>(items: I, work: impl Fn(OnPool, I::Item) -> R + Sync + Send) -> Vec<R>
where
    I: IntoParallelIterator + Send,
    R: Send,
{
    each_on(Threads::Bids, items, work)
}

/// [`each`], on the given threads.
pub(crate) fn each_on<I, R>(
    threads: Threads,
    items: I,
    work: impl Fn(OnPool, I::Item) -> R + Sync + Send,
) -> Vec<R>
where
    I: IntoParallelIterator + Send,
    R: Send,
{
    threads.pool().install(|| {
        items
            .into_par_iter()
            .map(|item| work(OnPool::here(), item))
            .collect()
    })
}

/// Runs `work` on a thread of the evaluation pool, with the [`OnPool`] that lets it appraise
/// there (and run [`each`] from it, on the same pool).
pub(crate) fn on_pool<R: Send>(work: impl FnOnce(OnPool) -> R + Send) -> R {
    Threads::Bids.pool().install(|| work(OnPool::here()))
}

/// Proof that the current thread is an evaluation thread (one with `engine::STACK_SIZE` of
/// stack): only this module makes one, on such a thread, and it can be neither sent nor shared
/// with another thread.
#[derive(Clone, Copy)]
pub(crate) struct OnPool {
    here: PhantomData<*const ()>,
}

impl OnPool {
    fn here() -> OnPool {
        OnPool { here: PhantomData }
    }

    /// Appraises one bid on this thread.
    pub(crate) fn appraise(self, checklist: &Checklist, proposal: &Proposal) -> Appraisal {
        let (runs, reading) = run_rules_reading(checklist, proposal);
        let found = conflicts(checklist, proposal, &reading);
        crate::aggregate::build(
            &checklist.config,
            checklist.provenance(),
            proposal,
            &runs,
            &found,
        )
    }

    /// Appraises one bid on this thread, with its trace.
    pub(crate) fn appraise_traced(
        self,
        checklist: &Checklist,
        proposal: &Proposal,
    ) -> (Appraisal, Trace) {
        let (runs, reading) = run_rules_reading(checklist, proposal);
        let found = conflicts(checklist, proposal, &reading);
        let trace = trace(&runs);
        let appraisal = crate::aggregate::build(
            &checklist.config,
            checklist.provenance(),
            proposal,
            &runs,
            &found,
        );
        (appraisal, trace)
    }
}

/// The evaluation pools.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Threads {
    /// The pool that appraises bids (`--jobs`, or one thread a core).
    Bids,
    /// The rules playground's own small pool: rule code nobody has reviewed (the server's
    /// rules playground) runs here, apart, so it can never take the threads that appraise bids.
    #[cfg(feature = "serve")]
    Playground,
}

/// Threads of the playground's pool.
#[cfg(feature = "serve")]
const PLAYGROUND_THREADS: usize = 2;

static JOBS: OnceLock<usize> = OnceLock::new();

/// Sets the number of evaluation threads; only effective before the first appraisal.
pub fn set_jobs(n: usize) {
    let _ = JOBS.set(n);
}

impl Threads {
    fn pool(self) -> &'static rayon::ThreadPool {
        static BIDS: OnceLock<rayon::ThreadPool> = OnceLock::new();
        match self {
            Threads::Bids => BIDS.get_or_init(|| {
                let threads = std::env::var("RAYON_NUM_THREADS")
                    .ok()
                    .and_then(|s| s.parse::<usize>().ok())
                    .or_else(|| JOBS.get().copied())
                    .unwrap_or(0);
                build(threads, "stronger-eval")
            }),
            #[cfg(feature = "serve")]
            Threads::Playground => {
                static PLAYGROUND: OnceLock<rayon::ThreadPool> = OnceLock::new();
                PLAYGROUND.get_or_init(|| build(PLAYGROUND_THREADS, "stronger-playground"))
            }
        }
    }
}

/// A pool of `threads` threads (0: one a core) with the evaluation stack; one thread when the
/// system will not start them (resource limits).
fn build(threads: usize, name: &'static str) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(crate::engine::STACK_SIZE)
        .thread_name(move |i| format!("{name}-{i}"))
        .build()
        .unwrap_or_else(|_| single_thread_pool())
}

#[expect(
    clippy::expect_used,
    reason = "without even one thread there is no way to evaluate"
)]
fn single_thread_pool() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .stack_size(crate::engine::STACK_SIZE)
        .build()
        .expect("cannot start an evaluation thread")
}
