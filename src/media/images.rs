//! Local media files: found (with a "did you mean" when not), images
//! measured and published with resized variants in their own format and in
//! WebP. Variants are cached under `.annals/media/`, keyed by the image's
//! content hash and width, so an unchanged image is never resized again.

use std::collections::{HashMap, HashSet};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use image::{DynamicImage, ImageFormat, ImageReader};
use rayon::prelude::*;

pub use super::item::{ImageInfo, Images, SrcsetItem};
use super::item::{MediaItem, MediaSource, is_image_name};
use crate::chronology::Chronology;
use crate::error::{Diagnostic, Diagnostics, Span};

/// Where variants are kept between builds, under the site root.
pub const CACHE_DIR: &str = ".annals/media";

/// Widths variants are made at (those narrower than the original).
pub const WIDTHS: [u32; 3] = [480, 960, 1600];

/// What the image work of a build cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MediaStats {
    /// Images published.
    pub images: usize,
    /// Images decoded and resized in this build.
    pub resized: usize,
    /// Images whose variants all came from the cache.
    pub cached: usize,
    /// Time spent (wall clock).
    pub time: Duration,
}

/// Every local media file of the published entries, once each, with where
/// it is first named.
fn local_files(chron: &Chronology) -> Vec<(String, Span)> {
    // Every entry is looked at on every core; the few with media files
    // are then taken in order, each file once, where it is first named.
    let named: Vec<(&String, &MediaItem)> = (0..chron.entries.len())
        .into_par_iter()
        .flat_map_iter(|pos| {
            let items: &[MediaItem] = match (chron.event(pos), chron.article(pos)) {
                (Some(e), _) => &e.media,
                (_, Some(a)) => &a.media,
                _ => &[],
            };
            items.iter().filter_map(|item| match &item.source {
                MediaSource::File(file) => Some((file, item)),
                _ => None,
            })
        })
        .collect();
    let mut seen = HashSet::new();
    named
        .into_iter()
        .filter(|(file, _)| seen.insert(file.as_str()))
        .map(|(file, item)| (file.clone(), item.origin.span()))
        .collect()
}

/// Checks, with the content, that every local media file exists and that
/// every image can be read (its header), so that these mistakes are
/// reported with all the others of the run.
pub fn check(chron: &Chronology, root: &Path, diags: &mut Diagnostics) {
    let content = root.join("content");
    for (file, span) in local_files(chron) {
        let path = content.join(&file);
        if !path.is_file() {
            diags.push(missing(&content, &file, &span));
            continue;
        }
        if !is_image_name(&file) {
            continue;
        }
        let header = ImageReader::open(&path)
            .and_then(|r| r.with_guessed_format())
            .map_err(|e| e.to_string())
            .and_then(|r| r.into_dimensions().map_err(|e| e.to_string()));
        if let Err(why) = header {
            diags.error(
                span,
                format!("media file \"{file}\" is not a readable image: {why}"),
            );
        }
    }
}

fn missing(content: &Path, file: &str, span: &Span) -> Diagnostic {
    let known = content_files(content);
    let hint = crate::suggest::did_you_mean(file, known.iter().map(String::as_str))
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    Diagnostic::error(
        span.clone(),
        format!("media file \"{file}\" not found under content/{hint}"),
    )
}

/// Publishes every local media file of the published entries: returns the
/// files to write (path, bytes), what it cost, and each image's sizes and
/// variants for the pages (which the caller hands to the chronology). Problems (a missing file,
/// one that is not an image it claims to be) go to `diags`, all of them.
pub fn publish(
    chron: &Chronology,
    root: &Path,
    work: ImageWork,
    diags: &mut Diagnostics,
) -> (Vec<(String, Vec<u8>)>, MediaStats, Images) {
    let started = Instant::now();
    let wanted = local_files(chron);
    if wanted.is_empty() {
        return (Vec::new(), MediaStats::default(), Images::new());
    }
    let content = root.join("content");
    let resized = AtomicUsize::new(0);
    let results: Vec<Result<Made, Diagnostic>> = wanted
        .par_iter()
        .map(|(file, span)| one_file(root, &content, file, span, work, &resized))
        .collect();
    let mut files = Vec::new();
    let mut infos = HashMap::new();
    for ((file, _), r) in wanted.iter().zip(results) {
        match r {
            Ok((made, info)) => {
                files.extend(made);
                if let Some(info) = info {
                    infos.insert(file.clone(), Arc::new(info));
                }
            }
            Err(d) => diags.push(d),
        }
    }
    let images = infos.len();
    let resized = resized.into_inner();
    let stats = MediaStats {
        images,
        resized,
        cached: images - resized.min(images),
        time: started.elapsed(),
    };
    (files, stats, infos)
}

/// Whether images are resized, or only measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageWork {
    /// Variants made (or taken from the cache) and published: `build`, `serve`.
    Resize,
    /// Images read for their size and their variants named, as a build
    /// would name them, but none made, read or cached: `check`, which
    /// writes nothing. A WebP variant is named only where the cache already
    /// says it is smaller (the pages `check` renders are not published).
    Measure,
}

type Made = (Vec<(String, Vec<u8>)>, Option<ImageInfo>);

fn one_file(
    root: &Path,
    content: &Path,
    file: &str,
    span: &Span,
    work: ImageWork,
    resized: &AtomicUsize,
) -> Result<Made, Diagnostic> {
    let path = content.join(file);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound || path.is_dir() => {
            return Err(missing(content, file, span));
        }
        Err(e) => {
            return Err(Diagnostic::error(
                span.clone(),
                format!("cannot read media file \"{file}\": {e}"),
            ));
        }
    };
    let out = format!("media/{}", file.trim_start_matches("media/"));
    if !is_image_name(file) {
        return Ok((vec![(out, bytes)], None));
    }
    let not_image = |why: String| {
        Diagnostic::error(
            span.clone(),
            format!("media file \"{file}\" is not a readable image: {why}"),
        )
    };
    let reader = ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| not_image(e.to_string()))?;
    let format = reader
        .format()
        .ok_or_else(|| not_image("unknown format".to_string()))?;
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| not_image(e.to_string()))?;
    let hash = &crate::digest::sha256_hex(&bytes)[..16];
    let ext = out.rsplit_once('.').map_or("img", |(_, e)| e).to_string();
    let stem = out
        .rsplit_once('.')
        .map_or(out.as_str(), |(s, _)| s)
        .to_string();
    let widths: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w < width).collect();
    let cache = root.join(CACHE_DIR);
    let cached = |w: u32, e: &str| cache.join(format!("{hash}-{w}.{e}"));
    let all_cached = widths
        .iter()
        .all(|&w| cached(w, &ext).is_file() && cached(w, "webp").is_file());
    let mut decoded: Option<DynamicImage> = None;
    if work == ImageWork::Measure {
        return Ok(measured(
            out,
            bytes,
            (width, height),
            &widths,
            &stem,
            &ext,
            |w| std::fs::metadata(cached(w, "webp")).is_ok_and(|m| m.len() > 0),
        ));
    }
    if !all_cached {
        let img = ImageReader::with_format(Cursor::new(&bytes), format)
            .decode()
            .map_err(|e| not_image(e.to_string()))?;
        decoded = Some(img);
        resized.fetch_add(1, Ordering::Relaxed);
    }
    let mut files = Vec::new();
    let mut variants = Vec::new();
    let mut webp = Vec::new();
    for &w in &widths {
        let h = ((u64::from(height) * u64::from(w)) / u64::from(width)).max(1) as u32;
        let (own, small_webp) = match &decoded {
            None => (read(&cached(w, &ext))?, read(&cached(w, "webp"))?),
            Some(img) => {
                let small = img.resize_exact(w, h, image::imageops::FilterType::Lanczos3);
                let own = encode(&small, format).map_err(|e| not_image(e.to_string()))?;
                let lossless = encode(&small, ImageFormat::WebP).unwrap_or_default();
                // An empty file in the cache: WebP was not smaller.
                let small_webp = if !lossless.is_empty() && lossless.len() < own.len() {
                    lossless
                } else {
                    Vec::new()
                };
                store(&cached(w, &ext), &own);
                store(&cached(w, "webp"), &small_webp);
                (own, small_webp)
            }
        };
        let path = format!("{stem}-{w}.{ext}");
        files.push((path.clone(), own));
        variants.push(SrcsetItem { path, width: w });
        if !small_webp.is_empty() {
            let path = format!("{stem}-{w}.webp");
            files.push((path.clone(), small_webp));
            webp.push(SrcsetItem { path, width: w });
        }
    }
    variants.push(SrcsetItem {
        path: out.clone(),
        width,
    });
    files.push((out.clone(), bytes));
    Ok((
        files,
        Some(ImageInfo {
            path: out,
            width,
            height,
            variants,
            webp,
        }),
    ))
}

/// What `check` knows of an image without resizing it: its size and the
/// names of the variants a build makes (with no bytes; `check` writes
/// nothing). `webp_smaller` says, per width, whether a WebP variant is made.
fn measured(
    out: String,
    bytes: Vec<u8>,
    (width, height): (u32, u32),
    widths: &[u32],
    stem: &str,
    ext: &str,
    webp_smaller: impl Fn(u32) -> bool,
) -> Made {
    let mut files = Vec::new();
    let mut variants = Vec::new();
    let mut webp = Vec::new();
    for &w in widths {
        let path = format!("{stem}-{w}.{ext}");
        files.push((path.clone(), Vec::new()));
        variants.push(SrcsetItem { path, width: w });
        if webp_smaller(w) {
            let path = format!("{stem}-{w}.webp");
            files.push((path.clone(), Vec::new()));
            webp.push(SrcsetItem { path, width: w });
        }
    }
    variants.push(SrcsetItem {
        path: out.clone(),
        width,
    });
    files.push((out.clone(), bytes));
    let info = ImageInfo {
        path: out,
        width,
        height,
        variants,
        webp,
    };
    (files, Some(info))
}

fn encode(img: &DynamicImage, format: ImageFormat) -> image::ImageResult<Vec<u8>> {
    let mut out = Cursor::new(Vec::new());
    match format {
        ImageFormat::Jpeg => {
            let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82);
            img.to_rgb8().write_with_encoder(enc)?;
        }
        ImageFormat::WebP => {
            // The encoder takes 8-bit RGB(A) only.
            img.to_rgba8().write_to(&mut out, ImageFormat::WebP)?;
        }
        other => img.write_to(&mut out, other)?,
    }
    Ok(out.into_inner())
}

fn read(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(path).map_err(|e| {
        Diagnostic::error(
            Span::file(path),
            format!("cannot read the cached image variant: {e}"),
        )
    })
}

/// Keeps a variant for the next build; a cache that cannot be written only
/// costs the next build the resizing.
fn store(path: &Path, bytes: &[u8]) {
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&tmp, bytes).is_ok() {
        let _ = std::fs::rename(&tmp, path);
    }
}

/// Every file under `content/`, as paths relative to it (for suggestions).
fn content_files(content: &Path) -> Vec<String> {
    walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel: PathBuf = e.path().strip_prefix(content).ok()?.to_path_buf();
            Some(rel.to_string_lossy().replace('\\', "/"))
        })
        .collect()
}
