//! The offline bundle: the whole site in one zip archive, under a top folder
//! named after the archive, that opens with `index.html` once unzipped
//! anywhere. Written into a temporary file that takes the archive's name
//! only when the build succeeded, and byte for byte the same for the same
//! site (fixed times and permissions, files in path order).

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::error::Diagnostic;
use crate::output::OutputFile;

/// Extensions of files that are compressed already: stored as they are.
const COMPRESSED: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "avif", "woff", "woff2", "gz", "br", "zip", "mp3", "mp4",
    "ogg", "webm",
];

/// The folder at the top of the archive: the archive's name without `.zip`.
pub fn top_folder(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .filter(|s| !s.is_empty() && s != "." && s != "..")
        .unwrap_or_else(|| "site".to_string())
}

/// Refuses a bundle path that is a folder or lies inside the output folder
/// (which the build replaces).
pub fn check_target(path: &Path, out: &Path) -> Result<(), Diagnostic> {
    if path.is_dir() {
        return Err(Diagnostic::global(format!(
            "the bundle path {} is a folder; give a file name such as timeline.zip",
            path.display()
        )));
    }
    let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let parent = parent_of(path);
    if canon(&parent).starts_with(canon(out)) {
        return Err(Diagnostic::global(format!(
            "the bundle {} would be inside the output folder {}, which the build replaces; write it elsewhere",
            path.display(),
            out.display()
        )));
    }
    Ok(())
}

/// An archive written to a temporary name, waiting for the build to succeed.
#[derive(Debug)]
pub struct Staged {
    temp: PathBuf,
    path: PathBuf,
}

impl Staged {
    /// Gives the archive its name.
    pub fn commit(self) -> Result<(), Diagnostic> {
        fs::rename(&self.temp, &self.path).map_err(|e| {
            let _ = fs::remove_file(&self.temp);
            Diagnostic::global(format!("cannot write {}: {e}", self.path.display()))
        })
    }

    /// Throws the archive away; any previous one stays as it was.
    pub fn discard(self) {
        let _ = fs::remove_file(&self.temp);
    }
}

/// Writes `files` into a temporary archive beside `path`.
pub fn stage(path: &Path, files: &[OutputFile]) -> Result<Staged, Diagnostic> {
    let parent = parent_of(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "bundle.zip".to_string());
    fs::create_dir_all(&parent)
        .map_err(|e| Diagnostic::global(format!("cannot create {}: {e}", parent.display())))?;
    let temp = parent.join(format!(".{name}.annals-new-{}", std::process::id()));
    let staged = Staged {
        temp,
        path: path.to_path_buf(),
    };
    match write_zip(&staged.temp, &top_folder(path), files) {
        Ok(()) => Ok(staged),
        Err(e) => {
            let message = format!("cannot write the bundle {}: {e}", path.display());
            staged.discard();
            Err(Diagnostic::global(message))
        }
    }
}

fn write_zip(temp: &Path, top: &str, files: &[OutputFile]) -> std::io::Result<()> {
    let mut zip = ZipWriter::new(BufWriter::new(File::create(temp)?));
    let base = SimpleFileOptions::default()
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    for f in files {
        let ext = f.path.rsplit_once('.').map_or("", |(_, e)| e);
        let options = if COMPRESSED.contains(&ext.to_ascii_lowercase().as_str()) {
            base.compression_method(CompressionMethod::Stored)
        } else {
            base.compression_method(CompressionMethod::Deflated)
                .compression_level(Some(9))
        };
        zip.start_file(format!("{top}/{}", f.path), options)?;
        zip.write_all(&f.bytes)?;
    }
    let mut out = zip.finish()?;
    out.flush()?;
    out.into_inner().map_err(|e| e.into_error())?.sync_all()
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn names_the_top_folder_after_the_archive() {
        assert_eq!(top_folder(Path::new("out/timeline.zip")), "timeline");
        assert_eq!(top_folder(Path::new("war-2025.zip")), "war-2025");
        assert_eq!(top_folder(Path::new("/")), "site");
    }

    #[test]
    fn writes_a_readable_archive_and_nothing_else() {
        let dir = std::env::temp_dir().join(format!("annals-bundle-test-{}", std::process::id()));
        let path = dir.join("t.zip");
        let files = [
            OutputFile {
                path: "index.html".into(),
                bytes: b"<p>offline</p>".to_vec(),
            },
            OutputFile {
                path: "img/a.png".into(),
                bytes: vec![1, 2, 3],
            },
        ];
        stage(&path, &files).unwrap().commit().unwrap();
        let first = fs::read(&path).unwrap();
        stage(&path, &files).unwrap().commit().unwrap();
        assert_eq!(
            first,
            fs::read(&path).unwrap(),
            "the same files, the same bytes"
        );
        let mut archive = zip::ZipArchive::new(File::open(&path).unwrap()).unwrap();
        let mut text = String::new();
        archive
            .by_name("t/index.html")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "<p>offline</p>");
        assert_eq!(
            archive.by_name("t/img/a.png").unwrap().compression(),
            CompressionMethod::Stored
        );
        let names: Vec<_> = fs::read_dir(&dir).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn refuses_a_bundle_inside_the_output() {
        let out = Path::new("/tmp/annals-site/public");
        assert!(check_target(&out.join("site.zip"), out).is_err());
        assert!(check_target(Path::new("/tmp/annals-site/site.zip"), out).is_ok());
    }
}
