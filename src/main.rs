//! The `annals` binary: parse the command line, dispatch, exit.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    annals::cli::Cli::parse().run()
}
