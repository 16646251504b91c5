//! The `stronger` command: a thin shell over the library's CLI module.

/// mimalloc serves the many small, short-lived allocations of evaluating a rule in fewer
/// instructions than the system allocator (README, "Benchmarks").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    stronger::cli::main()
}
