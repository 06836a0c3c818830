//! Parsed content files kept between rebuilds: a file is parsed again only
//! when it was reported changed, or, after the folder was walked again, when
//! its size or modification time moved.

use foldhash::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, Content, FileKind, Listed, Parsed};
use crate::error::Diagnostics;

/// Parsed files kept between builds (by `serve`): a file is parsed again
/// only when it was reported changed, or, after the folder was walked again,
/// when its size or modification time moved.
#[derive(Default)]
pub struct ContentCache {
    /// By path as written (hashed as bytes: a path's own hash goes
    /// component by component, and a large site has tens of thousands).
    files: HashMap<OsString, Arc<CachedFile>>,
    timezone: Option<chrono_tz::Tz>,
    /// The content files the last walk found, and what it reported, while
    /// no file has been told to have been added or removed since. While it
    /// holds, the caller reports every change (a watcher does): a cached
    /// file it did not name is taken as it is, without asking the file
    /// system, unless it is a link (its target may be outside what is
    /// watched).
    listing: Option<(Vec<Listed>, Diagnostics)>,
}

struct CachedFile {
    stamp: Option<(SystemTime, u64)>,
    parsed: Parsed,
    diags: Diagnostics,
}

impl ContentCache {
    /// Forgets one file, which changed; `is_file` tells whether it is a
    /// file now. A file that is not one of those found last time, or no
    /// longer is one, makes the next load look for files again.
    pub fn invalidate(&mut self, rel: &Path, is_file: bool) {
        self.files.remove(rel.as_os_str());
        let known = self.listing.as_ref().is_some_and(|(files, _)| {
            files
                .iter()
                .any(|(f, _, _)| f.as_os_str() == rel.as_os_str())
        });
        if !(known && is_file) {
            self.listing = None;
        }
    }

    /// Makes the next load look for files again (files may have been added
    /// or removed without being told).
    pub fn rescan(&mut self) {
        self.listing = None;
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.files.clear();
        self.listing = None;
    }
}

fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// The site's content as [`content::load`] reads it, reusing what `cache`
/// holds for files that did not change; with whether only events and
/// articles can differ from what the previous load gave (the files were
/// those found then, and every other file came from the cache unchanged).
pub fn load(
    root: &Path,
    config: &Config,
    cache: &mut ContentCache,
    diags: &mut Diagnostics,
) -> (Content, bool) {
    if cache.timezone != Some(config.timezone) {
        cache.clear();
        cache.timezone = Some(config.timezone);
    }
    let (files, told) = match &cache.listing {
        Some((files, found)) => {
            diags.extend(found.clone());
            (files.clone(), true)
        }
        None => {
            let mut found = Diagnostics::new();
            let files = content::discover(root, &mut found);
            cache.listing = Some((files.clone(), found.clone()));
            diags.extend(found);
            (files, false)
        }
    };
    // Each file, whether it leaves the content other than events and
    // articles as the previous load gave it (taken from the cache, or an
    // events or article file), and whether it was parsed now.
    let fresh: Vec<(PathBuf, Arc<CachedFile>, bool, bool)> = files
        .par_iter()
        .map(|(rel, kind, linked)| {
            let hit = cache
                .files
                .get(rel.as_os_str())
                .filter(|hit| hit.stamp.is_some());
            let entries = matches!(kind, FileKind::Events | FileKind::Article);
            if let Some(hit) = hit
                && told
                && !linked
            {
                return (rel.clone(), Arc::clone(hit), true, false);
            }
            let now = stamp(&root.join(rel));
            if let Some(hit) = hit
                && hit.stamp == now
            {
                return (rel.clone(), Arc::clone(hit), true, false);
            }
            let mut d = Diagnostics::new();
            let parsed =
                content::parse_file(root, rel, *kind, config, content::Texts::Held, &mut d);
            let file = CachedFile {
                stamp: now,
                parsed,
                diags: d,
            };
            (rel.clone(), Arc::new(file), entries, true)
        })
        .collect();
    let only_entries_may_differ = told && fresh.iter().all(|(_, _, settled, _)| *settled);
    if told {
        // The same files as the cache's: only those parsed now change it.
        for (rel, f, _, _) in fresh.iter().filter(|(_, _, _, parsed)| *parsed) {
            cache
                .files
                .insert(rel.as_os_str().to_os_string(), Arc::clone(f));
        }
    } else {
        cache.files = fresh
            .iter()
            .map(|(rel, f, _, _)| (rel.as_os_str().to_os_string(), Arc::clone(f)))
            .collect();
    }
    // Files still cached are taken out of the cache by copy; their events
    // and articles are shared, not copied.
    let parsed: Vec<(PathBuf, Parsed, Diagnostics)> = fresh
        .into_par_iter()
        .map(|(rel, f, _, _)| match Arc::try_unwrap(f) {
            Ok(f) => (rel, f.parsed, f.diags),
            Err(shared) => (rel, shared.parsed.clone(), shared.diags.clone()),
        })
        .collect();

    (content::assemble(parsed, diags), only_entries_may_differ)
}
