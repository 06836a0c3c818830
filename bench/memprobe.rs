//! What loading a site holds: the bytes the program has allocated and not
//! freed (counted around mimalloc, as the binary allocates) beside the
//! resident memory, after `site::load` as `annals check` runs it (sources
//! without an archived copy warned about). The gap between the two is what
//! the allocator keeps besides live values; the live bytes are what the
//! loaded content costs.
//!
//! `cargo run --release --example memprobe -- SITE`

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicUsize, Ordering};

/// mimalloc, with the bytes alive and their peak counted.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is handed to mimalloc unchanged; only counters move.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: the caller's layout, as `GlobalAlloc::alloc` requires.
        unsafe { mimalloc::MiMalloc.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by mimalloc with `layout`.
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        grew(size);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: as `dealloc`, with the caller's new size.
        unsafe { mimalloc::MiMalloc.realloc(ptr, layout, size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn report(point: &str) {
    let (rss, peak_rss) = annals::memtrace::rss_kib();
    eprintln!(
        "{point:<8} live {:>6} MiB (peak {:>6})  resident {:>6} MiB (peak {:>6})",
        LIVE.load(Ordering::Relaxed) >> 20,
        PEAK.load(Ordering::Relaxed) >> 20,
        rss / 1024,
        peak_rss / 1024
    );
}

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: memprobe SITE");
        std::process::exit(2);
    };
    let opts = annals::site::Options {
        root: root.into(),
        base_url: None,
        drafts: false,
        now: None,
        archives: annals::trust::Archives::Warn,
    };
    let mut diags = annals::error::Diagnostics::default();
    let mut timings = annals::site::Timings::default();
    report("start");
    let loaded = annals::site::load_with(
        &opts,
        annals::media::ImageWork::Measure,
        &mut diags,
        &mut timings,
    );
    report("loaded");
    if loaded.is_none() {
        eprintln!("the site has errors: run `annals check` on it");
    }
}
