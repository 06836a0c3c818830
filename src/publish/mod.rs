//! Publishing: what turns the rendered pages into a copy that can be put on
//! any host, mirrored, carried offline and checked. Runs after rendering and
//! before writing, on the in-memory `(path, bytes)` list:
//! `robots.txt`, `_headers`, optional precompressed siblings, and last the
//! integrity manifest that lists all of them. The offline bundle is the
//! same list (without the precompressed siblings, useless offline) in a zip.

pub mod bundle;
pub mod compress;
pub mod headers;
pub mod manifest;

use std::path::{Path, PathBuf};

use crate::error::Diagnostic;
use crate::render::OutputFile;

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
}

/// Adds the publishing files to `files` (kept sorted by path) and returns
/// the files of the offline bundle when one was asked for. Fails when a
/// file of the site's `static/` would take the place of the manifest.
pub fn finish(
    files: &mut Vec<OutputFile>,
    settings: &Settings,
) -> Result<Option<Vec<OutputFile>>, Diagnostic> {
    add_if_missing(files, "robots.txt", headers::robots_txt(&settings.base_url));
    let headers = headers::headers_file(files);
    add_if_missing(files, "_headers", headers);
    sort(files);

    let bundle = match settings.bundle {
        Some(_) => {
            let mut copy = files.clone();
            manifest::add(&mut copy)?;
            Some(copy)
        }
        None => None,
    };
    if settings.precompress {
        let siblings = compress::siblings(files);
        files.extend(siblings);
        sort(files);
    }
    manifest::add(files)?;
    Ok(bundle)
}

/// Writes the output folder and, when given, the bundle, so that a failure
/// leaves both as they were: the archive is staged first, the folder is
/// swapped in, and only then the archive takes its name.
pub fn write(
    out: &Path,
    files: &[OutputFile],
    bundle: Option<(&Path, &[OutputFile])>,
) -> Result<(), Diagnostic> {
    let staged = match bundle {
        Some((path, bundle_files)) => {
            bundle::check_target(path, out)?;
            Some(bundle::stage(path, bundle_files)?)
        }
        None => None,
    };
    if let Err(e) = crate::output::write_atomically(out, files) {
        if let Some(staged) = staged {
            staged.discard();
        }
        return Err(e);
    }
    match staged {
        Some(staged) => staged.commit(),
        None => Ok(()),
    }
}

/// Adds a generated file unless the site's `static/` already provided one:
/// a curator's own `robots.txt` or `_headers` wins.
fn add_if_missing(files: &mut Vec<OutputFile>, path: &str, bytes: Vec<u8>) {
    if !files.iter().any(|f| f.path == path) {
        files.push(OutputFile {
            path: path.to_string(),
            bytes,
        });
    }
}

fn sort(files: &mut [OutputFile]) {
    files.sort_by(|a, b| a.path.cmp(&b.path));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.to_string(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn paths(files: &[OutputFile]) -> Vec<&str> {
        files.iter().map(|f| f.path.as_str()).collect()
    }

    fn settings(precompress: bool, bundle: bool) -> Settings {
        Settings {
            base_url: "https://example.org/war/".to_string(),
            precompress,
            bundle: bundle.then(|| PathBuf::from("site.zip")),
        }
    }

    #[test]
    fn adds_robots_headers_and_manifest() {
        let mut files = vec![file("index.html", "<p>hi</p>")];
        assert!(
            finish(&mut files, &settings(false, false))
                .unwrap()
                .is_none()
        );
        assert_eq!(
            paths(&files),
            [
                "SHA256SUMS",
                "_headers",
                "index.html",
                "manifest.json",
                "robots.txt"
            ]
        );
    }

    #[test]
    fn a_static_robots_txt_wins() {
        let mut files = vec![file("robots.txt", "User-agent: *\nDisallow: /\n")];
        finish(&mut files, &settings(false, false)).unwrap();
        let robots = files.iter().find(|f| f.path == "robots.txt").unwrap();
        assert_eq!(robots.bytes, b"User-agent: *\nDisallow: /\n");
    }

    #[test]
    fn the_bundle_leaves_out_precompressed_files() {
        let big = "<p>timeline</p>\n".repeat(200);
        let mut files = vec![file("index.html", &big)];
        let bundle = finish(&mut files, &settings(true, true)).unwrap().unwrap();
        assert!(paths(&files).contains(&"index.html.gz"));
        assert!(paths(&files).contains(&"index.html.br"));
        assert!(!paths(&bundle).iter().any(|p| p.ends_with(".gz")));
        assert!(paths(&bundle).contains(&"manifest.json"));
        let listed = manifest::Manifest::parse(
            &bundle
                .iter()
                .find(|f| f.path == "manifest.json")
                .unwrap()
                .bytes,
        )
        .unwrap();
        assert_eq!(listed.files.len(), bundle.len() - 1);
        assert!(listed.files.iter().any(|e| e.path == "index.html"));
    }
}
