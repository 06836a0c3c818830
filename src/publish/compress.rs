//! Precompressed siblings (`page.html.gz`, `page.html.br`) for hosts that
//! serve them as they are (nginx `gzip_static` and `brotli_static`), so
//! that the best compression is paid once at build time, not per request.

use std::io::Write;

use flate2::{Compression, GzBuilder};
use rayon::prelude::*;

use crate::render::OutputFile;

/// Files smaller than this gain little from compression.
pub const MIN_SIZE: usize = 1024;

/// Extensions of the text files worth compressing.
const TEXT: &[&str] = &[
    "html", "css", "js", "mjs", "json", "xml", "svg", "txt", "csv", "md", "map",
];

/// True when `file` should get precompressed siblings.
pub fn is_compressible(file: &OutputFile) -> bool {
    let ext = file.path.rsplit_once('.').map_or("", |(_, e)| e);
    file.bytes.len() >= MIN_SIZE && TEXT.contains(&ext.to_ascii_lowercase().as_str())
}

/// The `.gz` and `.br` siblings of every compressible file that does not
/// already have one, each kept only when it is smaller than the original.
/// The result is the same whatever the number of threads: each file is
/// compressed on its own, and the output is sorted by the caller.
pub fn siblings(files: &[OutputFile]) -> Vec<OutputFile> {
    let existing: std::collections::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let jobs: Vec<(&OutputFile, Encoding)> = files
        .iter()
        .filter(|f| is_compressible(f))
        .flat_map(|f| [(f, Encoding::Gzip), (f, Encoding::Brotli)])
        .filter(|(f, enc)| !existing.contains(format!("{}.{}", f.path, enc.ext()).as_str()))
        .collect();
    jobs.par_iter()
        .filter_map(|(f, enc)| {
            let bytes = enc.compress(&f.bytes);
            (bytes.len() < f.bytes.len()).then(|| OutputFile {
                path: format!("{}.{}", f.path, enc.ext()),
                bytes,
            })
        })
        .collect()
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

    fn file(path: &str, bytes: Vec<u8>) -> OutputFile {
        OutputFile {
            path: path.to_string(),
            bytes,
        }
    }

    #[test]
    fn compresses_large_text_files_only() {
        let text = "<li>an entry of the timeline</li>\n"
            .repeat(100)
            .into_bytes();
        let files = [
            file("index.html", text.clone()),
            file("small.css", b"a{}".to_vec()),
            file("photo.png", text.clone()),
        ];
        let out = siblings(&files);
        let paths: Vec<&str> = out.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths.len(), 2);
        assert!(paths.contains(&"index.html.gz") && paths.contains(&"index.html.br"));

        let gz = out.iter().find(|f| f.path.ends_with(".gz")).unwrap();
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&gz.bytes[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, text);
        let br = out.iter().find(|f| f.path.ends_with(".br")).unwrap();
        let mut back = Vec::new();
        brotli::Decompressor::new(&br.bytes[..], 4096)
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, text);
    }

    #[test]
    fn keeps_a_sibling_the_site_already_has() {
        let text = "x".repeat(4000).into_bytes();
        let files = [
            file("data.json", text.clone()),
            file("data.json.gz", b"mine".to_vec()),
        ];
        let out = siblings(&files);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].path, "data.json.br");
    }

    #[test]
    fn the_same_input_gives_the_same_bytes() {
        let text = "<p>same</p>".repeat(500).into_bytes();
        for enc in [Encoding::Gzip, Encoding::Brotli] {
            assert_eq!(enc.compress(&text), enc.compress(&text));
        }
    }
}
