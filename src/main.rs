//! The `stronger` command: a thin shell over the library's CLI module.
fn main() -> std::process::ExitCode {
    stronger::cli::main()
}
