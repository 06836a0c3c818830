//! Resident memory at named points of a build, printed to stderr when
//! `ANNALS_MEMTRACE` is set: how the benchmark finds what holds memory.

use std::sync::OnceLock;

/// Whether tracing is on (read once).
fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("ANNALS_MEMTRACE").is_some())
}

/// The process's resident and peak resident memory in KiB (Linux; zero elsewhere).
pub fn rss_kib() -> (u64, u64) {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return (0, 0);
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// When the first mark was printed: each mark says the time since.
fn start() -> std::time::Instant {
    static START: OnceLock<std::time::Instant> = OnceLock::new();
    *START.get_or_init(std::time::Instant::now)
}

/// Prints the resident memory now and at its peak, and the time since
/// the first mark, after `point`.
pub fn mark(point: &str) {
    if enabled() {
        let since = start().elapsed();
        let (rss, peak) = rss_kib();
        eprintln!(
            "memtrace {point:<24} rss {:>7} MiB  peak {:>7} MiB  at {:>8.1} ms",
            rss / 1024,
            peak / 1024,
            since.as_secs_f64() * 1000.0
        );
    }
}
