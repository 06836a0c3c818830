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
    let cli = annals::cli::Cli::parse();
    if matches!(cli.command, annals::cli::Command::Serve(_)) {
        keep_freed_memory();
    } else {
        return_freed_memory_soon();
    }
    cli.run()
}

/// mimalloc's `purge_delay` option (its number in mimalloc 3's `mi_option_e`).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// `serve` rebuilds in memory again and again: each rebuild frees the
/// previous site's tens of megabytes and allocates as much again. By
/// default mimalloc hands freed memory back to the system after a second,
/// and the next rebuild takes it back page by page (page faults and the
/// purging were an eighth of a rebuild's time). A server keeps it: rebuilds
/// got about a fifth faster, for memory the next rebuild uses anyway.
fn keep_freed_memory() {
    // SAFETY: sets one of mimalloc's runtime options (an integer, read each
    // time memory is freed); `-1` is its documented "never purge" value.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

/// How long a build lets mimalloc keep freed memory before handing it back.
const BUILD_PURGE_DELAY_MS: std::ffi::c_long = 100;

/// A build's largest values (the map page's lists, `timeline.json`, the
/// exports) are each made, written and freed in well under a second, one
/// after the other: kept for mimalloc's default second, the memory of one
/// added to the next's at the peak (at 12,000 entries 179–191 MB against
/// 166 MB with a tenth of a second, bench/README.md), for about the same time.
/// Unless the environment sets the option itself.
fn return_freed_memory_soon() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: as in `keep_freed_memory`: a runtime option, in milliseconds.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, BUILD_PURGE_DELAY_MS) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // mimalloc 3 sets `purge_delay` to 1000 ms: a mimalloc whose
        // options were renumbered (or whose default changed) fails here.
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(
                unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) },
                1000
            );
        }
        keep_freed_memory();
        assert_eq!(
            unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) },
            -1
        );
    }
}
