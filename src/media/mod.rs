//! Media of events and articles: local images checked, measured and
//! published with resized variants (cached between builds, made in
//! parallel), remote media turned into click-to-load placeholders. What a
//! template shows of each item is a [`MediaView`].

pub mod images;
pub mod item;

use serde::Serialize;

pub use images::{ImageInfo, ImageWork, Images, MediaStats, SrcsetItem, check, publish};
pub use item::{MediaItem, MediaSource, read_media};

/// One media item as templates see it.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct MediaView {
    /// "image", "file" (a local file that is not an image) or "remote".
    pub kind: &'static str,
    /// Path of the published file from the site root (local), or the URL.
    pub src: String,
    /// Intrinsic size of images, so that the page does not shift.
    pub width: Option<u32>,
    /// Height.
    pub height: Option<u32>,
    /// `srcset` of the variants in the original format (paths from the site root).
    pub srcset: Vec<SrcsetItem>,
    /// `srcset` of the WebP variants (kept only where smaller).
    pub webp: Vec<SrcsetItem>,
    /// Alternative text.
    pub alt: Option<String>,
    /// Caption.
    pub caption: Option<String>,
    /// Who made it.
    pub credit: Option<String>,
    /// Its licence.
    pub license: Option<String>,
    /// Where it was found.
    pub source: Option<String>,
    /// The source when it is a link.
    pub source_url: Option<String>,
    /// A warning to read before it is shown.
    pub content_warning: Option<String>,
    /// The provider of remote media ("YouTube").
    pub provider: Option<&'static str>,
    /// For remote media: the address a frame may load once the reader asks
    /// (YouTube's privacy-enhanced player; none where a link out is all).
    pub embed: Option<String>,
}

/// The views of an entry's media, local images with their sizes and
/// variants as published (`images`).
pub fn views(items: &[MediaItem], images: &Images) -> Vec<MediaView> {
    items.iter().map(|item| view(item, images)).collect()
}

fn view(item: &MediaItem, images: &Images) -> MediaView {
    let source_url = item
        .found_at
        .as_ref()
        .filter(|s| s.starts_with("https://") || s.starts_with("http://"))
        .cloned();
    let mut v = MediaView {
        kind: "file",
        src: String::new(),
        width: None,
        height: None,
        srcset: Vec::new(),
        webp: Vec::new(),
        alt: item.alt.clone(),
        caption: item.caption.clone(),
        credit: item.credit.clone(),
        license: item.license.clone(),
        source: item.found_at.clone(),
        source_url,
        content_warning: item.content_warning.clone(),
        provider: None,
        embed: None,
    };
    match &item.source {
        MediaSource::Remote { url, provider } => {
            v.kind = "remote";
            v.src = url.clone();
            v.provider = Some(provider);
            v.embed = embed_of(url);
        }
        MediaSource::File(file) => {
            v.src = file.clone();
            if let Some(info) = images.get(file) {
                v.kind = "image";
                v.src = info.path.clone();
                v.width = Some(info.width);
                v.height = Some(info.height);
                v.srcset = info.variants.clone();
                v.webp = info.webp.clone();
            }
        }
    }
    v
}

/// The player a click may load for a remote video, when the provider has
/// one that can be framed: YouTube's privacy-enhanced player, Vimeo's
/// player, a plain video file. Others (X, Telegram, TikTok) are linked to.
pub fn embed_of(url: &str) -> Option<String> {
    let after = url.split_once("://")?.1;
    let (host, rest) = after.split_once('/').unwrap_or((after, ""));
    let host = host.trim_start_matches("www.").trim_start_matches("m.");
    let clean_id = |id: &str| -> Option<String> {
        let id: String = id
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        (!id.is_empty()).then_some(id)
    };
    match host {
        "youtube.com" => {
            let id = rest
                .strip_prefix("watch?")
                .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("v=")))
                .or_else(|| rest.strip_prefix("shorts/"))
                .or_else(|| rest.strip_prefix("embed/"))?;
            Some(format!(
                "https://www.youtube-nocookie.com/embed/{}?autoplay=1",
                clean_id(id)?
            ))
        }
        "youtu.be" => Some(format!(
            "https://www.youtube-nocookie.com/embed/{}?autoplay=1",
            clean_id(rest)?
        )),
        "vimeo.com" => Some(format!(
            "https://player.vimeo.com/video/{}?dnt=1&autoplay=1",
            clean_id(rest)?
        )),
        _ => {
            let path = rest.split(['?', '#']).next().unwrap_or("").to_lowercase();
            [".mp4", ".webm", ".ogv"]
                .iter()
                .any(|e| path.ends_with(e))
                .then(|| url.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeds_by_provider() {
        assert_eq!(
            embed_of("https://www.youtube.com/watch?v=abc_D-1&t=3").as_deref(),
            Some("https://www.youtube-nocookie.com/embed/abc_D-1?autoplay=1")
        );
        assert_eq!(
            embed_of("https://youtu.be/xyz").as_deref(),
            Some("https://www.youtube-nocookie.com/embed/xyz?autoplay=1")
        );
        assert_eq!(
            embed_of("https://vimeo.com/12345").as_deref(),
            Some("https://player.vimeo.com/video/12345?dnt=1&autoplay=1")
        );
        assert_eq!(
            embed_of("https://example.org/a/clip.MP4").as_deref(),
            Some("https://example.org/a/clip.MP4")
        );
        assert_eq!(embed_of("https://x.com/a/status/1"), None);
    }
}
