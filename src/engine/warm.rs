//! Calling a rule with the function lookups it made on this thread before.
//!
//! Rhai resolves each function a script calls (its own, ours, its standard library's) by hashing
//! the name and argument types and searching every namespace, and keeps what it found in a cache
//! that `call_fn` starts empty at every call — and it caches a function only at its second call
//! in a run. So every rule, on every bid, searched again for everything it calls: about a twelfth
//! of evaluating a bid. Here each compiled rule keeps its cache per thread across bids: a rule's
//! functions and ours never change while the checklist lives, and a script's functions are found
//! only through the lookups of the rule that defines them.
//!
//! Rhai offers no `call_fn` that takes a cache, so a rule is called as the statement
//! `appraise(bid)` evaluated with the rule's functions in scope (Rhai's `internals`): the same
//! call `call_fn` makes, with the same limits, hooks and errors once the wrapper naming
//! `appraise` is taken off.

use rhai::{AST, Caches, Dynamic, Engine, EvalAltResult, Position, Scope};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// Caches kept per thread at most; past this, all are dropped (compiled rules of checklists
/// loaded and dropped, as `serve` reloads and the tests do, are not kept for ever).
const MAX_KEPT: usize = 4096;

thread_local! {
    static CACHES: RefCell<HashMap<u64, Caches>> = RefCell::new(HashMap::new());
}

/// A number no other compiled rule in this process has: the key of its caches.
pub(crate) fn next_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The name the bid is given in the statement that calls a rule.
const BID: &str = "bid";

/// The statement that calls a rule: `appraise(bid)`, `bid` a variable of the scope. The text is
/// fixed and compiles (every test of a rule calls it); were it ever not to, the empty statement
/// would leave every rule reported as recording no status, never passed silently.
pub(crate) fn call_statement(engine: &Engine, entry: &str) -> AST {
    let mut scope = Scope::new();
    scope.push(BID, ());
    engine
        .compile_with_scope(&scope, format!("{entry}({BID})"))
        .unwrap_or_default()
}

/// Calls the rule `ast` (its `entry(bid)`) through `call`, with this thread's caches for rule `id`.
#[expect(
    deprecated,
    reason = "eval_statements_raw is Rhai's only call that takes a function-resolution cache (`internals`)"
)]
pub(crate) fn call(
    engine: &Engine,
    id: u64,
    ast: &AST,
    call: &AST,
    entry: &str,
    bid: Dynamic,
) -> Result<Dynamic, Box<EvalAltResult>> {
    let mut global = engine.new_global_runtime_state();
    global.lib.push(ast.shared_lib().clone());
    let mut scope = Scope::new();
    scope.push(BID, bid);
    let mut caches = CACHES
        .with(|c| c.borrow_mut().remove(&id))
        .unwrap_or_default();
    let result =
        engine.eval_statements_raw(&mut global, &mut caches, &mut scope, call.statements());
    CACHES.with(|c| {
        let mut kept = c.borrow_mut();
        if kept.len() >= MAX_KEPT {
            kept.clear();
        }
        kept.insert(id, caches);
    });
    result.map_err(|e| match *e {
        EvalAltResult::ErrorInFunctionCall(name, _, inner, _) if name == entry => inner,
        // Rhai gives an error that stops the run (budget, deadline, size, depth) the position
        // of the outermost call: ours, which is no place in the rule (`call_fn` gives none).
        mut stop if stop.is_system_exception() => {
            stop.set_position(Position::NONE);
            stop.into()
        }
        other => other.into(),
    })
}
