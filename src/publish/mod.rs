//! Publishing: what turns the rendered pages into a copy that can be put on
//! any host, mirrored, carried offline and checked. The [`Publisher`] is the
//! build's sink: it writes each page as it is rendered, then adds
//! `robots.txt`, `_headers`, optional precompressed siblings, and last the
//! integrity manifest that lists all of them. The offline bundle is the same
//! files (without the precompressed siblings, useless offline) in a zip.

pub mod bundle;
pub mod compress;
pub mod headers;
pub mod manifest;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::Diagnostic;
use crate::output::Staging;
use crate::output::{OutputFile, Sink};

/// The files every build adds to the rendered site (unless `static/` has
/// its own robots.txt or _headers); the preview server has none of them.
pub const BUILD_ONLY: &[&str] = &[
    manifest::SUMS_FILE,
    "_headers",
    manifest::FILE,
    "robots.txt",
];

/// What a build publishes beyond the rendered site.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The site's absolute URL, ending in `/` (for `robots.txt`).
    pub base_url: String,
    /// Write `.gz` and `.br` beside every large text file.
    pub precompress: bool,
    /// Also write the site into this zip archive.
    pub bundle: Option<PathBuf>,
    /// Origins allowed to frame the site (for `_headers`).
    pub embed_allow: Vec<String>,
}

/// The sink of a build: writes each rendered file into the staging folder
/// as it comes and notes its manifest entry; [`Publisher::finish`] adds the
/// publishing files, swaps the folder in and writes the bundle.
pub struct Publisher {
    staging: Staging,
    settings: Settings,
    entries: Mutex<Vec<manifest::Entry>>,
}

impl Publisher {
    /// Starts a build's output (and checks the bundle's path first).
    pub fn begin(out: &Path, settings: Settings) -> Result<Publisher, Diagnostic> {
        if let Some(bundle) = &settings.bundle {
            bundle::check_target(bundle, out)?;
        }
        Ok(Publisher {
            staging: Staging::begin(out)?,
            settings,
            entries: Mutex::new(Vec::new()),
        })
    }

    fn add(&self, path: &str, bytes: &[u8]) -> Result<manifest::Entry, Diagnostic> {
        self.staging.write(path, bytes)?;
        Ok(manifest::Entry::of(path, bytes))
    }

    /// Adds robots.txt, _headers, the precompressed siblings and the
    /// manifest, puts the folder in place of the output, then writes the
    /// bundle. Returns how many files the output holds.
    pub fn finish(self) -> Result<usize, Diagnostic> {
        let mut entries = self
            .entries
            .lock()
            .map(|mut e| std::mem::take(&mut *e))
            .unwrap_or_default();
        for name in [manifest::FILE, manifest::SUMS_FILE] {
            if entries.iter().any(|e| e.path == name) {
                return Err(manifest::collision(name));
            }
        }
        let has = |entries: &[manifest::Entry], path: &str| entries.iter().any(|e| e.path == path);
        if !has(&entries, "robots.txt") {
            entries.push(self.add("robots.txt", &headers::robots_txt(&self.settings.base_url))?);
        }
        if !has(&entries, "_headers") {
            let headers = headers::headers_file(
                entries.iter().map(|e| e.path.as_str()),
                &self.settings.embed_allow,
            );
            entries.push(self.add("_headers", &headers)?);
        }
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        let site_entries = entries.clone();
        if self.settings.precompress {
            let siblings = compress::siblings_on_disk(&self.staging, &entries)?;
            entries.extend(siblings);
            entries.sort_by(|a, b| a.path.cmp(&b.path));
        }
        let (sums, listing) = manifest::files_for(entries);
        self.staging.write(manifest::SUMS_FILE, &sums)?;
        self.staging.write(manifest::FILE, &listing.to_bytes())?;
        let total = listing.files.len() + 1;

        let bundle = match &self.settings.bundle {
            Some(path) => {
                let mut files = site_entries
                    .iter()
                    .map(|e| {
                        Ok(OutputFile {
                            path: e.path.clone(),
                            bytes: self.staging.read(&e.path)?,
                        })
                    })
                    .collect::<Result<Vec<_>, Diagnostic>>()?;
                manifest::add(&mut files)?;
                Some(bundle::stage(path, &files)?)
            }
            None => None,
        };
        if let Err(e) = self.staging.commit() {
            if let Some(staged) = bundle {
                staged.discard();
            }
            return Err(e);
        }
        if let Some(staged) = bundle {
            staged.commit()?;
        }
        Ok(total)
    }
}

impl Sink for Publisher {
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        let entry = self.add(&file.path, &file.bytes)?;
        if let Ok(mut entries) = self.entries.lock() {
            entries.push(entry);
        }
        Ok(())
    }
}

/// What `check` adds to a build's checks: a file of the site's `static/`
/// may not take the place of the manifest.
pub fn check_static(paths: &[String]) -> Result<(), Diagnostic> {
    for name in [manifest::FILE, manifest::SUMS_FILE] {
        if paths.iter().any(|p| p == name) {
            return Err(manifest::collision(name));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile::new(path, text)
    }

    fn temp(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("annals-publish-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn settings(precompress: bool, bundle: Option<PathBuf>) -> Settings {
        Settings {
            base_url: "https://example.org/war/".to_string(),
            precompress,
            bundle,
            embed_allow: Vec::new(),
        }
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn adds_robots_headers_and_manifest() {
        let dir = temp("basic");
        let out = dir.join("public");
        let p = Publisher::begin(&out, settings(false, None)).unwrap();
        p.put(file("index.html", "<p>hi</p>")).unwrap();
        assert_eq!(p.finish().unwrap(), 5);
        assert_eq!(
            listing(&out),
            [
                "SHA256SUMS",
                "_headers",
                "index.html",
                "manifest.json",
                "robots.txt"
            ]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_static_robots_txt_wins() {
        let dir = temp("robots");
        let out = dir.join("public");
        let p = Publisher::begin(&out, settings(false, None)).unwrap();
        p.put(file("robots.txt", "User-agent: *\nDisallow: /\n"))
            .unwrap();
        p.finish().unwrap();
        assert_eq!(
            std::fs::read(out.join("robots.txt")).unwrap(),
            b"User-agent: *\nDisallow: /\n"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_failed_build_leaves_nothing_behind() {
        let dir = temp("failed");
        let out = dir.join("public");
        let p = Publisher::begin(&out, settings(false, None)).unwrap();
        p.put(file("index.html", "<p>hi</p>")).unwrap();
        drop(p);
        assert!(listing(&dir).is_empty(), "{:?}", listing(&dir));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_bundle_leaves_out_precompressed_files() {
        let dir = temp("bundle");
        let out = dir.join("public");
        let zip = dir.join("site.zip");
        let p = Publisher::begin(&out, settings(true, Some(zip.clone()))).unwrap();
        p.put(file("index.html", &"<p>timeline</p>\n".repeat(200)))
            .unwrap();
        p.finish().unwrap();
        let names = listing(&out);
        assert!(names.contains(&"index.html.gz".to_string()));
        assert!(names.contains(&"index.html.br".to_string()));
        let listed =
            manifest::Manifest::parse(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
        assert!(listed.files.iter().any(|e| e.path == "index.html.gz"));
        let archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
        let inside: Vec<&str> = archive.file_names().collect();
        assert!(inside.contains(&"site/index.html"), "{inside:?}");
        assert!(inside.contains(&"site/manifest.json"), "{inside:?}");
        assert!(!inside.iter().any(|n| n.ends_with(".gz")), "{inside:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
