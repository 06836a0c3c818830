//! Precompressed siblings (`page.html.gz`, `page.html.br`) for hosts that
//! serve them as they are (nginx `gzip_static` and `brotli_static`), so
//! that the best compression is paid once at build time, not per request.

use std::io::Write;

use flate2::{Compression, GzBuilder};
use rayon::prelude::*;

use std::collections::HashSet;

use super::manifest::Entry;
use crate::error::Diagnostic;
use crate::output::Staging;

/// Files smaller than this gain little from compression.
pub const MIN_SIZE: usize = 1024;

/// Extensions of the text files worth compressing.
const TEXT: &[&str] = &[
    "html", "css", "js", "mjs", "json", "xml", "svg", "txt", "csv", "md", "map",
];

/// True when a file of this path and size should get precompressed siblings.
pub fn is_compressible(path: &str, size: u64) -> bool {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    size >= MIN_SIZE as u64 && TEXT.contains(&ext.to_ascii_lowercase().as_str())
}

/// Writes the `.gz` and `.br` siblings of every compressible staged file
/// that does not already have one, each kept only when it is smaller than
/// the original, and returns their manifest entries. Each file is
/// compressed on its own, so the result does not depend on the threads.
pub fn siblings_on_disk(staging: &Staging, entries: &[Entry]) -> Result<Vec<Entry>, Diagnostic> {
    let existing: HashSet<&str> = entries.iter().map(|e| e.path.as_str()).collect();
    let jobs: Vec<(&Entry, Encoding)> = entries
        .iter()
        .filter(|e| is_compressible(&e.path, e.size))
        .flat_map(|e| [(e, Encoding::Gzip), (e, Encoding::Brotli)])
        .filter(|(e, enc)| !existing.contains(format!("{}.{}", e.path, enc.ext()).as_str()))
        .collect();
    let made: Vec<Option<Entry>> = jobs
        .par_iter()
        .map(|(e, enc)| {
            let original = staging.read(&e.path)?;
            let bytes = enc.compress(&original);
            if bytes.len() >= original.len() {
                return Ok(None);
            }
            let path = format!("{}.{}", e.path, enc.ext());
            staging.write(&path, &bytes)?;
            Ok(Some(Entry::of(&path, &bytes)))
        })
        .collect::<Result<_, Diagnostic>>()?;
    Ok(made.into_iter().flatten().collect())
}

/// A content encoding that browsers accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// `Content-Encoding: gzip`, `.gz`.
    Gzip,
    /// `Content-Encoding: br`, `.br`.
    Brotli,
}

impl Encoding {
    /// The file extension of the compressed sibling.
    pub fn ext(self) -> &'static str {
        match self {
            Encoding::Gzip => "gz",
            Encoding::Brotli => "br",
        }
    }

    /// Compresses `data` at a high level (gzip 9, brotli 10). The gzip
    /// header carries no name and no time, so the bytes depend on the
    /// content alone.
    pub fn compress(self, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(data.len() / 3);
        match self {
            Encoding::Gzip => {
                let mut enc = GzBuilder::new()
                    .mtime(0)
                    .operating_system(255)
                    .write(&mut out, Compression::best());
                enc.write_all(data).expect("writing to memory");
                enc.finish().expect("writing to memory");
            }
            Encoding::Brotli => {
                // Quality 10 comes within 2% of 11's size in well under half
                // its time on the example site; the window only as large as the file.
                let window = data.len().next_power_of_two().trailing_zeros() as i32;
                let params = brotli::enc::BrotliEncoderParams {
                    quality: 10,
                    lgwin: window.clamp(16, 22),
                    size_hint: data.len(),
                    ..Default::default()
                };
                brotli::BrotliCompress(&mut &data[..], &mut out, &params)
                    .expect("writing to memory");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// Stages `files`, compresses them, and returns the staged output folder.
    fn staged(name: &str, files: &[(&str, Vec<u8>)]) -> (Vec<Entry>, Staging, std::path::PathBuf) {
        let dir =
            std::env::temp_dir().join(format!("annals-compress-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let staging = Staging::begin(&dir.join("public")).unwrap();
        let mut entries = Vec::new();
        for (path, bytes) in files {
            staging.write(path, bytes).unwrap();
            entries.push(Entry::of(path, bytes));
        }
        (siblings_on_disk(&staging, &entries).unwrap(), staging, dir)
    }

    #[test]
    fn compresses_large_text_files_only() {
        let text = "<li>an entry of the timeline</li>\n"
            .repeat(100)
            .into_bytes();
        let (out, staging, dir) = staged(
            "only",
            &[
                ("index.html", text.clone()),
                ("small.css", b"a{}".to_vec()),
                ("photo.png", text.clone()),
            ],
        );
        let paths: Vec<&str> = out.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths.len(), 2);
        assert!(paths.contains(&"index.html.gz") && paths.contains(&"index.html.br"));

        let gz = staging.read("index.html.gz").unwrap();
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, text);
        let br = staging.read("index.html.br").unwrap();
        let mut back = Vec::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, text);
        drop(staging);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn keeps_a_sibling_the_site_already_has() {
        let text = "x".repeat(4000).into_bytes();
        let (out, staging, dir) = staged(
            "keeps",
            &[("data.json", text), ("data.json.gz", b"mine".to_vec())],
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].path, "data.json.br");
        assert_eq!(staging.read("data.json.gz").unwrap(), b"mine");
        drop(staging);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_same_input_gives_the_same_bytes() {
        let text = "<p>same</p>".repeat(500).into_bytes();
        for enc in [Encoding::Gzip, Encoding::Brotli] {
            assert_eq!(enc.compress(&text), enc.compress(&text));
        }
    }
}
