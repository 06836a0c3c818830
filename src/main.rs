//! The `annals` binary: parse the command line, dispatch, exit.

use std::process::ExitCode;

use clap::Parser;

// A build allocates and frees many small values on both cores; mimalloc does
// that about a quarter faster than the system allocator (bench/README.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    annals::cli::Cli::parse().run()
}
