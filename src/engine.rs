//! The Rhai sandbox: one engine per checklist, configured once and shared by every thread.
//!
//! Everything a rule can do goes through here: the functions offered to rules (`api`), the bid
//! as rules see it (`value`), what a rule records (`recorder`), and what it may spend (`meter`:
//! one operation budget for the script and the native work it calls, the deadline, and what it
//! may hold). Rules cannot read files, use `eval` or `import`, sleep, or capture variables in
//! closures; each run is bounded by operations, call depth, expression depth, value sizes, the
//! memory it holds and a wall-clock deadline, and contained by `catch_unwind`.

mod api;
mod backing;
pub(crate) mod bid;
mod claim_lists;
pub(crate) mod claims;
mod grade;
pub(crate) mod meter;
mod proposal_kind;
pub(crate) mod prose;
pub(crate) mod recorder;
pub(crate) mod script;
pub(crate) mod value;
mod warm;

use crate::proposal::Fields;
pub(crate) use proposal_kind::TAKING_AWAY;
use recorder::Recorder;
use rhai::{AST, Engine, EvalAltResult, OptimizationLevel, Position};
use std::sync::Arc;
use std::time::Instant;

/// The name of the function every rule defines.
pub(crate) const ENTRY: &str = "appraise";

/// How deep rule calls may nest. Evaluation threads get a stack large enough for this many
/// levels in a debug build with room to spare (see [`STACK_SIZE`]).
const MAX_CALL_LEVELS: usize = 48;

/// The stack every evaluation thread gets: deep recursion in a rule must end in Rhai's own error,
/// never in a stack overflow, which would abort the process.
pub const STACK_SIZE: usize = 64 * 1024 * 1024;

/// A configured, immutable Rhai engine.
pub(crate) struct Sandbox {
    engine: Engine,
    max_operations: u64,
    /// `appraise(bid)`: how every rule is called (`warm.rs`).
    call: AST,
}

/// Why a rule run failed, before it is given a file and a rule id.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Failure {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub timed_out: bool,
}

impl Sandbox {
    pub(crate) fn new(fields: Arc<Fields>, max_operations: u64) -> Sandbox {
        let mut engine = Engine::new();
        // Trap 2 in RHAI-NOTES: assigning into a constant map panics at the default level.
        engine.set_optimization_level(OptimizationLevel::None);
        // Trap 3: the string interner's lock makes a shared engine slower than one thread.
        engine.set_max_strings_interned(0);
        engine.set_max_operations(max_operations);
        engine.set_max_call_levels(MAX_CALL_LEVELS);
        engine.set_max_expr_depths(64, 32);
        engine.set_max_string_size(1024 * 1024);
        engine.set_max_array_size(100_000);
        engine.set_max_map_size(10_000);
        engine.set_max_variables(1_000);
        engine.set_max_functions(200);
        engine.set_max_modules(0);
        engine.set_module_resolver(rhai::module_resolvers::DummyModuleResolver::new());
        engine.disable_symbol("eval");
        engine.disable_symbol("import");
        // A curried function pointer holds values Rhai never measures, and `f.curry(f)` doubles
        // them in one operation: rules have no use for it.
        engine.disable_symbol("curry");
        engine.set_strict_variables(true);
        engine.set_fail_on_invalid_map_property(true);
        engine.on_print(recorder::note);
        engine.on_debug(|s, _, _| recorder::note(s));
        engine.on_progress(meter::progress);
        measure_what_rules_hold(&mut engine);
        claims::register(&mut engine, fields.clone());
        proposal_kind::register(&mut engine, fields.clone());
        claim_lists::register(&mut engine, fields.clone());
        api::register(&mut engine, fields);
        let call = warm::call_statement(&engine, ENTRY);
        Sandbox {
            engine,
            max_operations,
            call,
        }
    }

    /// Compiles a rule; a syntax error comes back with its line and column, when known.
    pub(crate) fn compile(
        &self,
        source: &str,
    ) -> Result<script::Script, (String, Option<usize>, Option<usize>)> {
        self.engine
            .compile(source)
            .map(|ast| script::Script {
                ast,
                id: warm::next_id(),
            })
            .map_err(|e| {
                (
                    parse_message(&e),
                    e.position().line(),
                    e.position().position(),
                )
            })
    }

    /// Runs a rule's `appraise(bid)` and returns what it recorded.
    pub(crate) fn run(
        &self,
        script: &script::Script,
        bid: &value::BidValue,
        allowed: Vec<String>,
        deadline: Instant,
    ) -> Result<Recorder, Failure> {
        recorder::start(allowed);
        meter::start(self.max_operations, deadline);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            warm::call(
                &self.engine,
                script.id,
                &script.ast,
                &self.call,
                ENTRY,
                bid.0.clone(),
            )
        }));
        let mut recorded = recorder::finish();
        let spent = meter::finish();
        recorded.operations = spent.operations;
        match result {
            Ok(Ok(_)) => Ok(recorded),
            Ok(Err(e)) => {
                let mut f = failure(&e);
                if let (None, Some((line, column))) = (f.line, spent.stopped_at) {
                    (f.line, f.column) = (Some(line), Some(column));
                }
                Err(f)
            }
            Err(panic) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                Err(Failure {
                    message: format!("the rule crashed the script engine and was stopped ({what})"),
                    line: None,
                    column: None,
                    timed_out: false,
                })
            }
        }
    }
}

/// Every value a rule keeps is reached through a variable: what it holds is measured as it reads
/// and defines them.
#[expect(
    deprecated,
    reason = "Rhai marks `on_var` and `on_def_var` volatile (not deprecated); tests/it/limits.rs shows if an upgrade changes them"
)]
fn measure_what_rules_hold(engine: &mut Engine) {
    engine.on_var(|_, _, ctx| {
        meter::touch(ctx.call_level(), ctx.scope(), ctx.this_ptr()).map(|_| None)
    });
    engine.on_def_var(|runtime, _, ctx| {
        if runtime {
            meter::touch(ctx.call_level(), ctx.scope(), ctx.this_ptr())?;
        }
        Ok(true)
    });
}

fn parse_message(e: &rhai::ParseError) -> String {
    let s = e.err_type().to_string();
    for word in ["eval", "import"] {
        if s.contains(&format!("'{word}'")) {
            return format!("rules cannot use `{word}`: a rule is one self-contained file");
        }
    }
    if s.contains("'curry'") {
        return "rules cannot use `curry`: pass the values to the function as arguments"
            .to_string();
    }
    lower_first(&s)
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if !s.starts_with("META") => f.to_lowercase().collect::<String>() + c.as_str(),
        _ => s.to_string(),
    }
}

/// Turns Rhai's error into a message for a rule author, at the innermost position. The message
/// is bounded like any text a rule records: a rule that throws a megabyte is reported in
/// [`recorder::MAX_TEXT`] bytes.
fn failure(e: &EvalAltResult) -> Failure {
    let (message, timed_out) = message(e.unwrap_inner());
    let (line, column) = position(e);
    let message = if message.len() > recorder::MAX_TEXT {
        format!(
            "{}… (cut short: the message is {} bytes)",
            recorder::cut(&message, recorder::MAX_TEXT),
            message.len()
        )
    } else {
        message
    };
    Failure {
        message,
        line,
        column,
        timed_out,
    }
}

/// The deepest position in a chain of calls (limit errors carry none of their own).
fn position(e: &EvalAltResult) -> (Option<usize>, Option<usize>) {
    let mut pos = Position::NONE;
    let mut cur = e;
    loop {
        if !cur.position().is_none() {
            pos = cur.position();
        }
        match cur {
            EvalAltResult::ErrorInFunctionCall(_, _, next, _)
            | EvalAltResult::ErrorInModule(_, next, _) => cur = next,
            _ => break,
        }
    }
    (pos.line(), pos.position())
}

/// The message for an error, and whether a budget or deadline stopped the rule.
fn message(inner: &EvalAltResult) -> (String, bool) {
    const BUDGET: &str =
        "the rule used up its operation budget and was stopped (does it loop forever?)";
    let message = match inner {
        EvalAltResult::ErrorRuntime(v, _) => match v.read_lock::<rhai::ImmutableString>() {
            Some(s) => s.to_string(),
            None => v.to_string(),
        },
        EvalAltResult::ErrorTooManyOperations(_) => return (BUDGET.to_string(), true),
        EvalAltResult::ErrorTerminated(token, _) => {
            let budget = token
                .read_lock::<rhai::ImmutableString>()
                .is_some_and(|t| t.as_str() == meter::BUDGET);
            return if budget {
                (BUDGET.to_string(), true)
            } else {
                (
                    "the rule ran past its deadline and was stopped".to_string(),
                    true,
                )
            };
        }
        EvalAltResult::ErrorDataTooLarge(what, _) if what == meter::HELD => format!(
            "the rule held more than {} MiB of values at once and was stopped",
            meter::MAX_HELD / 1024 / 1024
        ),
        EvalAltResult::ErrorStackOverflow(_) => format!(
            "the rule nested calls more than {MAX_CALL_LEVELS} deep and was stopped (unbounded recursion?)"
        ),
        EvalAltResult::ErrorDataTooLarge(what, _) => {
            format!(
                "the rule built a value too large ({}) and was stopped",
                what.to_lowercase()
            )
        }
        EvalAltResult::ErrorMismatchDataType(expected, actual, _)
            if actual.contains("NotStated") =>
        {
            format!(
                "a not-stated field was used where {} was expected; test it with `stated(...)` first",
                a_type(expected)
            )
        }
        EvalAltResult::ErrorFunctionNotFound(sig, _) if sig.contains("NotStated") => {
            format!(
                "a not-stated field was used in `{}`; test it with `stated(...)` first",
                sig.replace("NotStated", "not stated")
            )
        }
        EvalAltResult::ErrorFor(_) => {
            "`for` needs a list here; a not-stated list must be tested with `stated(...)` first"
                .to_string()
        }
        EvalAltResult::ErrorFunctionNotFound(sig, _) if sig.starts_with("appraise") => {
            "the rule has no `fn appraise(bid)`".to_string()
        }
        EvalAltResult::ErrorFunctionNotFound(sig, _) => {
            format!("no function `{sig}` is available to rules")
        }
        other => {
            let s = other.to_string();
            let s = match s.rfind(" (line ") {
                Some(i) => s.get(..i).unwrap_or(&s).to_string(),
                None => s,
            };
            lower_first(&s)
        }
    };
    (message, false)
}

fn a_type(t: &str) -> &'static str {
    match t {
        "bool" => "`true` or `false`",
        "i64" | "f64" => "a number",
        "string" | "ImmutableString" => "text",
        _ => "a value",
    }
}
