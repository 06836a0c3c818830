//! The `annals` binary: parse the command line, dispatch, exit.

use std::process::ExitCode;

use clap::Parser;

// A build allocates and frees many small values on both cores; mimalloc does
// that about a quarter faster than the system allocator (bench/README.md).
// Built without transparent huge pages (feature `no_thp`): with them, memory
// is faulted in and zeroed 2 MiB at a time, and a 12,000-entry build peaks
// about 13% higher for the same time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    annals::cli::Cli::parse().run()
}
