//! The integrity manifest: `manifest.json` lists every published file with
//! its size and SHA-256, so that any copy (a mirror, a USB stick, an
//! archive) can be checked with `annals verify`. `SHA256SUMS` says the same
//! in the format of `sha256sum -c`, for those without annals.
//!
//! `manifest.json` lists every file but itself (`SHA256SUMS` included);
//! `SHA256SUMS` lists every file but itself and `manifest.json`.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::digest::sha256_hex;
use crate::error::Diagnostic;
use crate::output::OutputFile;

/// The manifest's file name, at the output root.
pub const FILE: &str = "manifest.json";

/// The `sha256sum` listing's file name, at the output root.
pub const SUMS_FILE: &str = "SHA256SUMS";

/// The version of the manifest format this annals writes and reads.
pub const VERSION: u32 = 1;

/// A parsed `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Format version: 1.
    pub version: u32,
    /// What wrote it (`annals 0.1.0`).
    pub generator: String,
    /// The files, sorted by path.
    pub files: Vec<Entry>,
}

/// One listed file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Path under the output root, with `/`.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
}

impl Entry {
    /// The entry of a file's content.
    pub fn of(path: &str, bytes: &[u8]) -> Entry {
        Entry {
            path: path.to_string(),
            size: bytes.len() as u64,
            sha256: sha256_hex(bytes),
        }
    }
}

impl Manifest {
    /// Reads and checks a manifest: known version, well-formed hashes,
    /// relative paths without `..`, no path listed twice.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, String> {
        let manifest: Manifest = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        if manifest.version != VERSION {
            return Err(format!(
                "version {} is not one this annals reads (it reads {VERSION})",
                manifest.version
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for e in &manifest.files {
            if !is_safe_path(&e.path) {
                return Err(format!("the path \"{}\" is not a relative path", e.path));
            }
            if e.sha256.len() != 64 || !e.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(format!("the sha256 of \"{}\" is not 64 hex digits", e.path));
            }
            if !seen.insert(e.path.as_str()) {
                return Err(format!("\"{}\" is listed twice", e.path));
            }
        }
        Ok(manifest)
    }

    /// The manifest as written: one file per line, so that two manifests
    /// can be compared with `diff`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let json = |s: &str| {
            crate::script_safe::escape_str(serde_json::to_string(s).expect("strings serialise"))
        };
        let mut out = format!(
            "{{\n  \"version\": {},\n  \"generator\": {},\n  \"files\": [\n",
            self.version,
            json(&self.generator)
        );
        for (i, e) in self.files.iter().enumerate() {
            let comma = if i + 1 < self.files.len() { "," } else { "" };
            out.push_str(&format!(
                "    {{\"path\": {}, \"size\": {}, \"sha256\": \"{}\"}}{comma}\n",
                json(&e.path),
                e.size,
                e.sha256
            ));
        }
        out.push_str("  ]\n}\n");
        out.into_bytes()
    }
}

/// The error for a file of the site's `static/` that would take the place
/// of the manifest.
pub fn collision(name: &str) -> Diagnostic {
    Diagnostic::error(
        crate::error::Span::file(format!("static/{name}")),
        format!("this file would overwrite the integrity manifest {name}; rename it"),
    )
}

/// `SHA256SUMS` for `entries` (sorted by path), and the manifest listing
/// them and `SHA256SUMS` itself.
pub fn files_for(mut entries: Vec<Entry>) -> (Vec<u8>, Manifest) {
    let sums = sha256sums(&entries);
    entries.push(Entry::of(SUMS_FILE, &sums));
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    let manifest = Manifest {
        version: VERSION,
        generator: format!("annals {}", env!("CARGO_PKG_VERSION")),
        files: entries,
    };
    (sums, manifest)
}

/// Adds `SHA256SUMS` and then `manifest.json` to `files` (the bundle's);
/// refuses when they already have either.
pub fn add(files: &mut Vec<OutputFile>) -> Result<(), Diagnostic> {
    for name in [FILE, SUMS_FILE] {
        if files.iter().any(|f| f.path == name) {
            return Err(collision(name));
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let entries: Vec<Entry> = files
        .par_iter()
        .map(|f| Entry::of(&f.path, &f.bytes))
        .collect();
    let (sums, manifest) = files_for(entries);
    files.push(OutputFile {
        path: SUMS_FILE.to_string(),
        bytes: sums,
    });
    files.push(OutputFile {
        path: FILE.to_string(),
        bytes: manifest.to_bytes(),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(())
}

/// The lines of `sha256sum`: `HASH  PATH`. A path holding a backslash or a
/// line break is escaped the way GNU coreutils does it (a leading `\`).
pub fn sha256sums(entries: &[Entry]) -> Vec<u8> {
    let mut out = String::new();
    for e in entries {
        if e.path.contains(['\\', '\n', '\r']) {
            let escaped = e
                .path
                .replace('\\', "\\\\")
                .replace('\n', "\\n")
                .replace('\r', "\\r");
            out.push_str(&format!("\\{}  {escaped}\n", e.sha256));
        } else {
            out.push_str(&format!("{}  {}\n", e.sha256, e.path));
        }
    }
    out.into_bytes()
}

/// True for a path that stays inside the folder it is relative to.
fn is_safe_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains('\0')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile::new(path, text)
    }

    #[test]
    fn hashes_like_sha256sum() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn lists_every_file_but_itself() {
        let mut files = vec![file("b.html", "b"), file("a/index.html", "a")];
        files.sort_by(|a, b| a.path.cmp(&b.path));
        add(&mut files).unwrap();
        let manifest = files.iter().find(|f| f.path == FILE).unwrap();
        let parsed = Manifest::parse(&manifest.bytes).unwrap();
        let listed: Vec<&str> = parsed.files.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(listed, ["SHA256SUMS", "a/index.html", "b.html"]);
        assert_eq!(parsed.files[2], Entry::of("b.html", b"b"));
        let sums = files.iter().find(|f| f.path == SUMS_FILE).unwrap();
        let sums = String::from_utf8(sums.bytes.clone()).unwrap();
        assert_eq!(sums.lines().count(), 2);
        assert!(sums.ends_with(&format!("{}  b.html\n", sha256_hex(b"b"))));
    }

    #[test]
    fn refuses_a_static_file_of_the_same_name() {
        let mut files = vec![file("manifest.json", "{\"name\": \"my app\"}")];
        let err = add(&mut files).unwrap_err();
        assert!(err.to_string().contains("static/manifest.json"));
    }

    #[test]
    fn rejects_bad_manifests() {
        let ok = Manifest {
            version: 1,
            generator: "annals".into(),
            files: vec![Entry::of("a.html", b"")],
        };
        assert_eq!(Manifest::parse(&ok.to_bytes()).unwrap(), ok);
        let bad = |text: &str| Manifest::parse(text.as_bytes()).unwrap_err();
        assert!(bad("{").contains("EOF"));
        assert!(bad(r#"{"version": 2, "generator": "", "files": []}"#).contains("version 2"));
        let entry = |path: &str, hash: &str| {
            format!(
                r#"{{"version": 1, "generator": "", "files": [{{"path": "{path}", "size": 1, "sha256": "{hash}"}}]}}"#
            )
        };
        let hash = "0".repeat(64);
        assert!(bad(&entry("../etc/passwd", &hash)).contains("not a relative path"));
        assert!(bad(&entry("/etc/passwd", &hash)).contains("not a relative path"));
        assert!(bad(&entry("a.html", "xyz")).contains("64 hex digits"));
    }

    #[test]
    fn escapes_odd_names_like_coreutils() {
        let sums = sha256sums(&[Entry::of("a\\b", b"")]);
        assert!(String::from_utf8(sums).unwrap().starts_with("\\e3b0"));
    }
}
