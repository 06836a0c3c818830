//! How entries are known, as pages show it: verification, each claim of a
//! figure with who makes it and where, corrections, the evidence of sources
//! (archived copies, captures), and totals over a list of entries.

use serde::Serialize;

use super::figures::{Totals, claim_numbers, claimant, host_of};
use super::views::DateView;
use crate::chronology::Chronology;
use crate::content::provenance::{FigureSource, Revisions, SourceKind};
use crate::content::{Event, Source};
use crate::fields::is_valid_id;

/// The totals of the entries at these positions (articles are left out).
pub fn totals_of(
    chron: &Chronology,
    cards: &super::views::Cards,
    positions: impl IntoIterator<Item = usize>,
) -> Totals {
    Totals::of(
        &super::figures::Words::of(chron),
        positions
            .into_iter()
            .map(|p| chron.event(p).map(|_| cards.spans(p))),
    )
}

/// One claim on an event's page.
#[derive(Debug, Clone, Serialize)]
pub struct FigureView {
    /// killed, injured, ...
    pub kind: String,
    /// The kind's name in the page's language.
    pub kind_label: String,
    /// Its numbers as written ("12–40", "85", "at least 3").
    pub numbers: String,
    /// The lowest estimate.
    pub low: Option<u64>,
    /// The best estimate.
    pub best: Option<u64>,
    /// The highest estimate.
    pub high: Option<u64>,
    /// Who claims it.
    pub by: Option<String>,
    /// The claimant's page, when it is an actor.
    pub by_path: Option<String>,
    /// Where it is said: its title.
    pub source: Option<String>,
    /// Its page (an article) or address (a source).
    pub source_href: Option<String>,
    /// Whether `source_href` is an address elsewhere (else a path here).
    pub source_external: bool,
    /// The date it stands at.
    pub as_of: Option<DateView>,
    /// A note.
    pub note: Option<String>,
}

/// The claims of an event, for its page.
pub fn figure_views(chron: &Chronology, event: &Event) -> Vec<FigureView> {
    let words = super::figures::Words::of(chron);
    event
        .figures
        .iter()
        .map(|f| {
            let (source, source_href) = match &f.source {
                Some(FigureSource::Index(i)) => match event.sources.get(*i) {
                    Some(Source::External(x)) => (
                        Some(x.title.clone().unwrap_or_else(|| x.url.clone())),
                        Some(x.url.clone()),
                    ),
                    Some(Source::Article(slug)) => article_link(chron, &slug.value),
                    None => (None, None),
                },
                Some(FigureSource::Article(slug)) => article_link(chron, &slug.value),
                None => (None, None),
            };
            FigureView {
                source_external: source_href
                    .as_deref()
                    .is_some_and(crate::content::provenance::is_web_url),
                kind: f.kind.clone(),
                numbers: claim_numbers(&words, f),
                kind_label: words.kind(&f.kind),
                low: f.low,
                best: f.best,
                high: f.high,
                by: f.by.as_ref().map(|b| claimant(chron, &b.value)),
                by_path: f.by.as_ref().and_then(|b| actor_path(chron, &b.value)),
                source,
                source_href,
                as_of: f.as_of.as_ref().map(DateView::new),
                note: f.note.clone(),
            }
        })
        .collect()
}

/// An article's title and the path of its page (relative to the root; the
/// template prefixes it), when it is published.
fn article_link(chron: &Chronology, slug: &str) -> (Option<String>, Option<String>) {
    match chron.position(slug) {
        Some(p) => (Some(chron.title(p).to_string()), Some(chron.path(p))),
        None => (None, None),
    }
}

/// The page of an actor named by id, when it has one.
fn actor_path(chron: &Chronology, by: &str) -> Option<String> {
    (is_valid_id(by) && chron.actors.get(by).is_some()).then(|| format!("actors/{by}/"))
}

/// An event's verification, for its page.
#[derive(Debug, Clone, Serialize)]
pub struct VerificationView {
    /// How it was verified.
    pub method: Vec<String>,
    /// Who verified it.
    pub by: Option<String>,
    /// Their page, when an actor.
    pub by_path: Option<String>,
    /// When.
    pub on: Option<DateView>,
    /// A note.
    pub note: Option<String>,
}

/// The verification of an event, when written.
pub fn verification_view(chron: &Chronology, event: &Event) -> Option<VerificationView> {
    let v = event.verification.as_ref()?;
    Some(VerificationView {
        method: v.method.clone(),
        by: v.by.as_ref().map(|b| claimant(chron, &b.value)),
        by_path: v.by.as_ref().and_then(|b| actor_path(chron, &b.value)),
        on: v.on.as_ref().map(DateView::new),
        note: v.note.clone(),
    })
}

/// One correction, as pages show it.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct CorrectionView {
    /// When.
    pub date: DateView,
    /// What was corrected.
    pub note: String,
}

/// An entry's corrections, newest first.
pub fn corrections(r: &Revisions) -> Vec<CorrectionView> {
    let mut list: Vec<&crate::content::provenance::Correction> = r.corrections.iter().collect();
    list.sort_by_key(|c| std::cmp::Reverse(c.date.value.start()));
    list.into_iter()
        .map(|c| CorrectionView {
            date: DateView::new(&c.date.value),
            note: c.note.clone(),
        })
        .collect()
}

/// An archived copy of a source.
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveLink {
    /// Its address.
    pub url: String,
    /// The archive's host ("web.archive.org").
    pub host: String,
}

/// What an external source preserves and says of itself, for its page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EvidenceView {
    /// Archived copies.
    pub archive: Vec<ArchiveLink>,
    /// When it was published.
    pub published: Option<DateView>,
    /// Its language.
    pub language: Option<String>,
    /// primary or secondary.
    pub source_kind: Option<&'static str>,
    /// video, photo, document, ...
    pub source_type: Option<String>,
    /// The preserved copy's SHA-256.
    pub sha256: Option<String>,
    /// Its address, or its path on this site (relative to the root).
    pub capture_url: Option<String>,
    /// Whether `capture_url` is an address elsewhere.
    pub capture_external: bool,
    /// Its path in the site folder, when kept there but not published.
    pub capture_file: Option<String>,
}

/// The evidence view of an external source.
pub fn evidence_view(e: &crate::content::provenance::Evidence) -> EvidenceView {
    let capture = e.capture.as_ref();
    let file = capture
        .and_then(|c| c.file.as_ref())
        .map(|f| f.value.clone());
    // A file under static/ is published at the same path without it.
    let published_file = file
        .as_deref()
        .and_then(|f| f.trim_start_matches('/').strip_prefix("static/"))
        .map(str::to_string);
    EvidenceView {
        archive: e
            .archive
            .iter()
            .map(|url| ArchiveLink {
                url: url.clone(),
                host: host_of(url).to_string(),
            })
            .collect(),
        published: e.published.as_ref().map(DateView::new),
        language: e.language.clone(),
        source_kind: e.kind.map(|k| match k {
            SourceKind::Primary => "primary",
            SourceKind::Secondary => "secondary",
        }),
        source_type: e.kind_type.clone(),
        sha256: capture.map(|c| c.sha256.value.clone()),
        capture_url: capture
            .and_then(|c| c.url.clone())
            .or(published_file.clone()),
        capture_external: capture.is_some_and(|c| c.url.is_some()),
        capture_file: file.filter(|_| published_file.is_none()),
    }
}

/// How many independent publishers report an event: distinct publishers of
/// its sources (an external source without one counts by its host; an
/// article of the site by its own publisher, or the site), compared without
/// regard to case and spacing.
pub fn corroboration(chron: &Chronology, event: &Event) -> usize {
    let mut seen: Vec<String> = Vec::new();
    for source in &event.sources {
        let publisher = match source {
            Source::External(x) => x
                .publisher
                .clone()
                .unwrap_or_else(|| host_of(&x.url).trim_start_matches("www.").to_string()),
            Source::Article(slug) => chron
                .position(&slug.value)
                .and_then(|p| chron.article(p))
                .and_then(|a| a.source.clone())
                .unwrap_or_else(|| chron.config.title.clone()),
        };
        let key = publisher
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        if !key.is_empty() && !seen.contains(&key) {
            seen.push(key);
        }
    }
    seen.len()
}
