//! The work meter of the running rule, kept per thread: one operation budget for the script and
//! for the native work it calls, the rule's deadline, and the bound on what the rule holds.
//!
//! Rhai counts the script's own operations; a registered function that does more than constant
//! work charges it here, in operations, before (or while) doing it: one line,
//! `charge(cost::bytes(text.len()))?`. Rhai's count and the charges share one budget, so a rule
//! that calls `find` on a large text with many patterns runs out of budget like a loop does,
//! deterministically, long before its deadline. Every charge and every few script operations
//! also compare the clock with the deadline, so no native call runs on far past it.

use rhai::{Dynamic, EvalAltResult, Position, Scope};
use std::cell::{Cell, RefCell};
use std::time::Instant;

/// How much native work costs, in operations. Calibrated (`benches/engine.rs`, `native-work`)
/// so that one charged operation takes no longer than a slow script operation: the budget then
/// bounds time for native work as it does for script.
pub(crate) mod cost {
    /// Scanning, copying or splitting `n` bytes of text.
    pub(crate) fn bytes(n: usize) -> u64 {
        (n / 16) as u64
    }

    /// `n` comparisons of a word with a pattern (or of two short values).
    pub(crate) fn pairs(n: usize) -> u64 {
        (n / 8) as u64
    }

    /// Building or moving `n` values (list items, map entries).
    pub(crate) fn items(n: usize) -> u64 {
        n as u64
    }

    /// Looking at `n` values to measure what a rule holds (a read of each, no copy).
    pub(crate) fn visits(n: usize) -> u64 {
        (n / 8) as u64
    }
}

/// Why a rule was stopped by the meter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// Its operations and charged work passed the budget.
    Budget,
    /// The clock passed its deadline.
    Deadline,
}

impl Stop {
    /// The error Rhai stops a run with: neither can be caught by the rule's `try`/`catch`.
    pub(crate) fn error(self) -> Box<EvalAltResult> {
        match self {
            Stop::Budget => EvalAltResult::ErrorTooManyOperations(Position::NONE).into(),
            Stop::Deadline => {
                EvalAltResult::ErrorTerminated(Dynamic::from(DEADLINE), Position::NONE).into()
            }
        }
    }

    /// The token `on_progress` ends a run with.
    pub(crate) fn token(self) -> Dynamic {
        Dynamic::from(match self {
            Stop::Budget => BUDGET,
            Stop::Deadline => DEADLINE,
        })
    }
}

/// Tokens of [`Stop`] in Rhai's `ErrorTerminated`.
pub(crate) const BUDGET: &str = "budget";
pub(crate) const DEADLINE: &str = "deadline";

/// Most bytes (estimated) of values a rule may hold at once: its variables, their contents and
/// what its closures captured. Rhai bounds each value it checks; this bounds them together.
pub(crate) const MAX_HELD: usize = 16 * 1024 * 1024;
/// The marker Rhai's `ErrorDataTooLarge` carries when [`MAX_HELD`] is passed.
pub(crate) const HELD: &str = "held";
/// What the rule holds is measured at every this many variable reads and definitions in one
/// function, and whenever a function is entered or left: a rule cannot keep a value without a
/// read or a definition, and each adds at most one value of the sizes Rhai checks.
const HELD_EVERY: u64 = 4;
/// Values nested deeper than this are not measured further: the rule is stopped as holding too
/// much (no real rule nests values this deep; closures chained in a loop do).
const MAX_NESTING: usize = 2_000;
/// The clock is read every this many script operations.
const CLOCK_EVERY: u64 = 16;

#[derive(Clone, Copy)]
struct Meter {
    /// Rhai's operation count, as last seen by `on_progress` (every [`CLOCK_EVERY`]).
    ops: u64,
    /// Native work charged, in operations.
    work: u64,
    max: u64,
    deadline: Option<Instant>,
    stopped: Option<Stop>,
    /// Where in the rule (line, column) a registered function found the run stopped: Rhai
    /// gives the errors that stop a run no position of their own.
    at: Option<(usize, usize)>,
}

const IDLE: Meter = Meter {
    ops: 0,
    work: 0,
    max: u64::MAX,
    deadline: None,
    stopped: None,
    at: None,
};

thread_local! {
    static METER: Cell<Meter> = const { Cell::new(IDLE) };
    /// Variable reads and definitions since what the rule holds was last measured, and the
    /// call level of the last one (apart: they change at every read).
    static TOUCHES: Cell<(u64, usize)> = const { Cell::new((0, 0)) };
    /// What each active call level held when last measured, innermost last: each function
    /// call has its own scope, and the callers' are frozen while it runs.
    static FRAMES: RefCell<Vec<(usize, usize)>> = const { RefCell::new(Vec::new()) };
}

/// Starts metering a rule run.
pub(crate) fn start(max_operations: u64, deadline: Instant) {
    METER.with(|m| {
        m.set(Meter {
            max: max_operations,
            deadline: Some(deadline),
            ..IDLE
        })
    });
}

/// What a rule run spent, and where it was stopped.
pub(crate) struct Spent {
    /// Operations: the script's and the native work charged for it.
    pub operations: u64,
    /// The line and column of the call at which the meter stopped the run, when a registered
    /// function was that call.
    pub stopped_at: Option<(usize, usize)>,
}

/// Ends the run.
pub(crate) fn finish() -> Spent {
    FRAMES.with(|f| f.borrow_mut().clear());
    TOUCHES.with(|t| t.set((0, 0)));
    let m = METER.with(|m| m.replace(IDLE));
    Spent {
        operations: m.ops.saturating_add(m.work),
        stopped_at: m.at,
    }
}

/// Notes the call at which a registered function found the run stopped (the first one).
pub(crate) fn stopped_at(line: usize, column: usize) {
    let mut m = METER.with(Cell::get);
    if m.stopped.is_some() && m.at.is_none() {
        m.at = Some((line, column));
        METER.with(|c| c.set(m));
    }
}

fn stop(mut m: Meter, why: Stop) -> Stop {
    m.stopped = Some(why);
    METER.with(|c| c.set(m));
    why
}

fn check(m: Meter, clock: bool) -> Result<(), Stop> {
    if let Some(why) = m.stopped {
        return Err(why);
    }
    if m.ops.saturating_add(m.work) > m.max {
        return Err(stop(m, Stop::Budget));
    }
    if clock && m.deadline.is_some_and(|d| Instant::now() >= d) {
        return Err(stop(m, Stop::Deadline));
    }
    Ok(())
}

/// Charges `units` operations of native work to the running rule. Fails, for good, once the
/// budget is spent or the deadline has passed. Outside a rule run it always succeeds.
pub(crate) fn charge(units: u64) -> Result<(), Stop> {
    add(units, true)
}

/// [`work`] without reading the clock (read at the next operation): for constant work done in
/// place of a script operation, such as a field read through a getter.
pub(crate) fn tally(units: u64) -> Result<(), Box<EvalAltResult>> {
    add(units, false).map_err(Stop::error)
}

fn add(units: u64, clock: bool) -> Result<(), Stop> {
    let mut m = METER.with(Cell::get);
    m.work = m.work.saturating_add(units);
    METER.with(|c| c.set(m));
    check(m, clock)
}

/// [`charge`] as a Rhai error: the one line a registered function needs.
pub(crate) fn work(units: u64) -> Result<(), Box<EvalAltResult>> {
    charge(units).map_err(Stop::error)
}

/// Rhai's `on_progress`, called at every operation: every [`CLOCK_EVERY`] operations, notes the
/// count and stops the run past the budget (operations and charged work together, so up to
/// that many operations late, the same every run) or past the deadline.
pub(crate) fn progress(ops: u64) -> Option<Dynamic> {
    if !ops.is_multiple_of(CLOCK_EVERY) {
        return None;
    }
    let mut m = METER.with(Cell::get);
    m.ops = ops;
    METER.with(|c| c.set(m));
    check(m, true).err().map(Stop::token)
}

/// Rhai's `on_var` and `on_def_var`: every [`HELD_EVERY`] reads and definitions, measures what
/// the rule holds — the variables of the running function (and `this`) now, its callers' as
/// last measured — charging the walk to the budget, and stops it past [`MAX_HELD`].
pub(crate) fn touch(
    level: usize,
    scope: &Scope,
    this: Option<&Dynamic>,
) -> Result<(), Box<EvalAltResult>> {
    let (touches, last) = TOUCHES.with(Cell::get);
    let due = touches + 1 >= HELD_EVERY || last != level;
    TOUCHES.with(|t| {
        t.set(if due {
            (0, level)
        } else {
            (touches + 1, level)
        })
    });
    if !due {
        return Ok(());
    }
    let callers = FRAMES.with(|f| {
        let mut frames = f.borrow_mut();
        frames.retain(|&(l, _)| l < level);
        frames.iter().map(|&(_, bytes)| bytes).sum::<usize>()
    });
    let mut size = Size {
        bytes: callers,
        ..Size::default()
    };
    for value in scope.iter_raw().map(|(_, _, v)| v).chain(this) {
        size.add(value, 0);
        if size.over() {
            break;
        }
    }
    // The clock is read at the next operation: not here, at every few reads.
    add(cost::visits(size.nodes), false).map_err(Stop::error)?;
    if size.over() {
        return Err(EvalAltResult::ErrorDataTooLarge(HELD.to_string(), Position::NONE).into());
    }
    FRAMES.with(|f| f.borrow_mut().push((level, size.bytes - callers)));
    Ok(())
}

/// An estimate of the memory values take, from their contents: string bytes, and a fixed
/// overhead per value, list item and map entry. With Rhai's `no_closure` no value is shared
/// between variables, so every value is counted once and nothing is locked or cyclic.
#[derive(Default)]
struct Size {
    bytes: usize,
    nodes: usize,
    too_deep: bool,
}

impl Size {
    fn over(&self) -> bool {
        self.too_deep || self.bytes > MAX_HELD
    }

    fn add(&mut self, v: &Dynamic, depth: usize) {
        const VALUE: usize = 16;
        const ENTRY: usize = 48;
        self.nodes += 1;
        self.bytes += VALUE;
        if depth > MAX_NESTING {
            self.too_deep = true;
        }
        if self.over() {
            return;
        }
        // Most values are numbers and flags: the type tag says so without a downcast.
        if v.is_string() {
            // A shared string: the clone costs a reference count, and stays cheap in a debug
            // build (a generic downcast here does not).
            self.bytes += v.clone().into_immutable_string().map_or(0, |s| s.len());
        } else if v.is_array() {
            if let Some(a) = v.read_lock::<rhai::Array>() {
                self.add_all(a.iter(), depth);
            }
        } else if v.is_map() {
            if let Some(map) = v.read_lock::<rhai::Map>() {
                self.bytes += map.keys().map(|k| ENTRY + k.len()).sum::<usize>();
                self.add_all(map.values(), depth);
            }
        } else if v.is_blob() {
            self.bytes += v.read_lock::<rhai::Blob>().map_or(0, |b| b.len());
        } else if v.is_fnptr()
            && let Some(f) = v.read_lock::<rhai::FnPtr>()
        {
            self.bytes += ENTRY + f.fn_name().len();
            self.add_all(f.curry().iter(), depth);
        }
    }

    fn add_all<'a>(&mut self, items: impl Iterator<Item = &'a Dynamic>, depth: usize) {
        for item in items {
            self.add(item, depth + 1);
            if self.over() {
                return;
            }
        }
    }
}
