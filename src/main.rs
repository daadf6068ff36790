//! `threadctl`: the operator CLI. `main` only parses the arguments, runs the
//! command and turns the outcome into an exit code in one place.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    cli::ui::logging::init(args.globals.verbose, args.globals.quiet);
    let outcome = try_main(args);
    cli::exit::finish(outcome)
}

/// Runs the parsed command on a single-threaded runtime.
fn try_main(args: cli::Cli) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(cli::run(args))
}
