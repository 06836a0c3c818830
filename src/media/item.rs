//! `media:` of events and articles: local images and remote embeds with
//! their caption, credit, licence and content warning, read and checked
//! for what can be told from the text alone (files are looked at later).

use serde::Serialize;
use serde_yaml::Value;

use crate::error::Diagnostics;
use crate::fields::{Fields, type_name};
use crate::source::Origin;
use crate::yaml_locate::Seg;

/// Where a media item comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum MediaSource {
    /// A file under the site's `content/` folder, as written (`media/x.jpg`).
    File(String),
    /// A page or file elsewhere, shown only once the reader asks for it.
    Remote {
        /// Its `http(s)` address.
        url: String,
        /// Who serves it, for the placeholder ("YouTube").
        provider: &'static str,
    },
}

/// One picture or video of an entry.
#[derive(Debug, Clone)]
pub struct MediaItem {
    /// The file or the address.
    pub source: MediaSource,
    /// What it shows, in a sentence.
    pub caption: Option<String>,
    /// Who made it.
    pub credit: Option<String>,
    /// Under what terms it is published.
    pub license: Option<String>,
    /// Text for readers who cannot see it (required for images).
    pub alt: Option<String>,
    /// Where it was found (`source:`), a page or a name.
    pub found_at: Option<String>,
    /// A warning shown before it is revealed (graphic content).
    pub content_warning: Option<String>,
    /// Where the item is written, for messages.
    pub origin: Origin,
}

/// File name endings of images annals can read and resize.
pub const IMAGE_EXTENSIONS: [&str; 5] = ["jpg", "jpeg", "png", "webp", "gif"];

impl MediaItem {
    /// True for a local image file.
    pub fn is_local_image(&self) -> bool {
        matches!(&self.source, MediaSource::File(f) if is_image_name(f))
    }
}

/// True when the file name ends like an image.
pub fn is_image_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    IMAGE_EXTENSIONS
        .iter()
        .any(|e| lower.ends_with(&format!(".{e}")))
}

/// The provider named on a remote item's placeholder, by its host.
pub fn provider_of(url: &str) -> &'static str {
    let host = url
        .split_once("://")
        .map_or("", |(_, rest)| rest)
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .trim_start_matches("www.")
        .trim_start_matches("m.")
        .to_ascii_lowercase();
    let known: [(&str, &'static str); 9] = [
        ("youtube.com", "YouTube"),
        ("youtu.be", "YouTube"),
        ("youtube-nocookie.com", "YouTube"),
        ("x.com", "X"),
        ("twitter.com", "X"),
        ("t.me", "Telegram"),
        ("telegram.org", "Telegram"),
        ("tiktok.com", "TikTok"),
        ("vimeo.com", "Vimeo"),
    ];
    known
        .iter()
        .find(|(h, _)| host == *h || host.ends_with(&format!(".{h}")))
        .map_or("another site", |(_, name)| name)
}

/// Reads `media:`, a list of items; every problem is reported.
pub fn read_media(value: &Value, origin: Origin, diags: &mut Diagnostics) -> Vec<MediaItem> {
    let Value::Sequence(items) = value else {
        diags.error(
            origin.span(),
            format!("`media` must be a list, found {}", type_name(value)),
        );
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| read_item(item, origin.child(Seg::Index(i)), diags))
        .collect()
}

fn read_item(value: &Value, origin: Origin, diags: &mut Diagnostics) -> Option<MediaItem> {
    let mut f = Fields::new(value, origin, "media item", diags)?;
    let file = f.text("file");
    let file_origin = f.origin_of("file");
    let url = f.text("url");
    let url_origin = f.origin_of("url");
    let caption = f.text("caption");
    let credit = f.text("credit");
    let license = f.text("license");
    let alt = f.text("alt").filter(|a| !a.trim().is_empty());
    let found_at = f.text("source");
    let content_warning = f.text("content_warning").filter(|w| !w.trim().is_empty());
    let origin = f.origin().clone();
    f.finish();
    let source = match (file, url) {
        (Some(_), Some(_)) => {
            diags.error(
                origin.span(),
                "a media item has either `file` or `url`, not both",
            );
            return None;
        }
        (None, None) => {
            diags.error(
                origin.span(),
                "a media item needs `file` (a path under content/) or `url`",
            );
            return None;
        }
        (Some(file), None) => {
            let clean = file.trim().trim_start_matches("./").to_string();
            let escapes = clean.starts_with('/')
                || clean.contains('\\')
                || clean.split('/').any(|part| part == ".." || part.is_empty());
            if escapes {
                diags.error(
                    file_origin.span(),
                    format!(
                        "invalid media file \"{file}\": write a path relative to content/, such as media/photo.jpg"
                    ),
                );
                return None;
            }
            MediaSource::File(clean)
        }
        (None, Some(url)) => {
            let url = url.trim().to_string();
            let ok = (url.starts_with("https://") || url.starts_with("http://"))
                && url.len() > "https://".len()
                && !url.contains([' ', '"', '<', '>']);
            if !ok {
                diags.error(
                    url_origin.span(),
                    format!("media url \"{url}\" must be an http:// or https:// address"),
                );
                return None;
            }
            MediaSource::Remote {
                provider: provider_of(&url),
                url,
            }
        }
    };
    let item = MediaItem {
        source,
        caption,
        credit,
        license,
        alt,
        found_at,
        content_warning,
        origin,
    };
    if item.is_local_image() && item.alt.is_none() {
        diags.error(
            item.origin.span(),
            "an image needs `alt`: a short description for readers who cannot see it",
        );
        return None;
    }
    Some(item)
}

/// One variant in a `srcset`.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct SrcsetItem {
    /// Path from the site root.
    pub path: String,
    /// Its width in pixels.
    pub width: u32,
}

/// A published image.
#[derive(Debug)]
pub struct ImageInfo {
    /// The original's path from the site root.
    pub path: String,
    /// Its size in pixels.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// Variants in the original format, narrowest first, the original last.
    pub variants: Vec<SrcsetItem>,
    /// WebP variants, where smaller than the same width in the original format.
    pub webp: Vec<SrcsetItem>,
}

/// The images of a build by file as written (`media/x.jpg`): measured
/// when media are published, read by the pages.
pub type Images = std::collections::HashMap<String, std::sync::Arc<ImageInfo>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn providers_by_host() {
        assert_eq!(provider_of("https://www.youtube.com/watch?v=x"), "YouTube");
        assert_eq!(provider_of("https://youtu.be/x"), "YouTube");
        assert_eq!(provider_of("https://x.com/a/status/1"), "X");
        assert_eq!(provider_of("https://t.me/channel/12"), "Telegram");
        assert_eq!(provider_of("https://www.tiktok.com/@a/video/1"), "TikTok");
        assert_eq!(provider_of("https://player.vimeo.com/video/1"), "Vimeo");
        assert_eq!(provider_of("https://example.org/clip.mp4"), "another site");
    }

    #[test]
    fn image_names() {
        assert!(is_image_name("media/a.JPG"));
        assert!(!is_image_name("media/a.mp4"));
    }
}
