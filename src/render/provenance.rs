//! How entries are known, as templates and exports see it: status labels,
//! contested figures written as honest ranges, totals over a list of
//! entries, corrections, and the evidence of sources (archived copies,
//! captures, the count of independent publishers).

use serde::Serialize;

use super::views::DateView;
use crate::chronology::Chronology;
use crate::content::provenance::{Figure, FigureSource, Revisions, SourceKind};
use crate::content::{Event, Source, Status};
use crate::fields::is_valid_id;

/// The label of a status, as badges show it.
pub fn status_label(status: &str) -> &'static str {
    match status {
        "corroborated" => "Corroborated",
        "unverified" => "Unverified",
        "disputed" => "Disputed",
        "debunked" => "Debunked",
        "draft" => "Draft",
        _ => "Confirmed",
    }
}

/// A count for people: `1,200`.
pub fn count_text(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `12–40`, or one number when both ends agree.
pub fn range_text(low: u64, high: u64) -> String {
    if low == high {
        count_text(low)
    } else {
        format!("{}–{}", count_text(low), count_text(high))
    }
}

/// The numbers of one claim, as written: a range, a best estimate, or a
/// bound; never a number the claim does not give.
fn claim_numbers(f: &Figure) -> String {
    let c = count_text;
    match (f.low, f.best, f.high) {
        (Some(l), Some(b), Some(h)) if l != h => format!("{} (best {})", range_text(l, h), c(b)),
        (Some(l), None, Some(h)) => range_text(l, h),
        (Some(l), _, Some(_)) => c(l),
        (None, Some(b), None) => c(b),
        (Some(l), Some(b), None) => format!("{} (at least {})", c(b), c(l)),
        (None, Some(b), Some(h)) => format!("{} (up to {})", c(b), c(h)),
        (Some(l), None, None) => format!("at least {}", c(l)),
        (None, None, Some(h)) => format!("up to {}", c(h)),
        (None, None, None) => "no number".to_string(),
    }
}

/// Who makes a claim, for people: an actor's name when `by` has an id's
/// form, else the text as written.
pub fn claimant(chron: &Chronology, by: &str) -> String {
    if is_valid_id(by) {
        chron.actor_name(by).to_string()
    } else {
        by.to_string()
    }
}

/// Every claim of an event in one line, kinds in the order first met and
/// each kind named once: `12–40 killed (UN OHCHR); 85 (Ministry of Health)`.
pub fn figures_text(chron: &Chronology, figures: &[Figure]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for kind in kinds_of(figures) {
        for (i, f) in figures.iter().filter(|f| f.kind == kind).enumerate() {
            let mut part = claim_numbers(f);
            if i == 0 {
                part.push(' ');
                part.push_str(&kind);
            }
            if let Some(by) = &f.by {
                part.push_str(&format!(" ({})", claimant(chron, &by.value)));
            }
            parts.push(part);
        }
    }
    parts.join("; ")
}

/// The kinds of figures, in the order first met.
pub fn kinds_of(figures: &[Figure]) -> Vec<String> {
    let mut kinds: Vec<String> = Vec::new();
    for f in figures {
        if !kinds.contains(&f.kind) {
            kinds.push(f.kind.clone());
        }
    }
    kinds
}

/// What an event's claims of one kind span: from the lowest number any
/// claim gives to the highest.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct KindSpan {
    /// killed, injured, ...
    pub kind: String,
    /// The lowest number claimed.
    pub low: u64,
    /// The highest number claimed.
    pub high: u64,
}

/// Per kind, the range all of an event's claims span.
pub fn kind_spans(figures: &[Figure]) -> Vec<KindSpan> {
    kinds_of(figures)
        .into_iter()
        .filter_map(|kind| {
            let spans: Vec<(u64, u64)> = figures
                .iter()
                .filter(|f| f.kind == kind)
                .filter_map(Figure::span)
                .collect();
            let low = spans.iter().map(|s| s.0).min()?;
            let high = spans.iter().map(|s| s.1).max()?;
            Some(KindSpan { kind, low, high })
        })
        .collect()
}

/// The total of one kind over a list of events.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct KindTotal {
    /// killed, injured, ...
    pub kind: String,
    /// The sum of every event's lowest claim.
    pub low: u64,
    /// The sum of every event's highest claim.
    pub high: u64,
    /// "12–125 killed".
    pub display: String,
    /// How many events have a figure of this kind.
    pub events: usize,
    /// How many events have none of this kind.
    pub without: usize,
}

/// Totals of the figures of a list of entries: ranges, never one number.
#[derive(Debug, Clone, Hash, Serialize, Default)]
pub struct Totals {
    /// Per kind, in the order first met.
    pub kinds: Vec<KindTotal>,
    /// How many events the list holds.
    pub events: usize,
    /// How many of them have no figure at all.
    pub without: usize,
    /// "1 event has no figure", or empty when every event has one.
    pub without_text: String,
}

impl Totals {
    /// The totals of these events' spans (`None` for an article).
    pub fn of<'a>(spans: impl IntoIterator<Item = Option<&'a [KindSpan]>>) -> Totals {
        let mut totals = Totals::default();
        for spans in spans.into_iter().flatten() {
            totals.events += 1;
            if spans.is_empty() {
                totals.without += 1;
            }
            for s in spans {
                match totals.kinds.iter_mut().find(|k| k.kind == s.kind) {
                    Some(k) => {
                        k.low += s.low;
                        k.high += s.high;
                        k.events += 1;
                    }
                    None => totals.kinds.push(KindTotal {
                        kind: s.kind.clone(),
                        low: s.low,
                        high: s.high,
                        display: String::new(),
                        events: 1,
                        without: 0,
                    }),
                }
            }
        }
        // The named kinds in their order (killed first), then the others by name.
        let rank = |k: &str| {
            crate::content::provenance::FIGURE_KINDS
                .iter()
                .position(|n| *n == k)
                .unwrap_or(usize::MAX)
        };
        totals
            .kinds
            .sort_by(|a, b| (rank(&a.kind), &a.kind).cmp(&(rank(&b.kind), &b.kind)));
        for k in &mut totals.kinds {
            k.without = totals.events - k.events;
            k.display = format!("{} {}", range_text(k.low, k.high), k.kind);
        }
        totals.without_text = match totals.without {
            0 => String::new(),
            1 => "1 event has no figure".to_string(),
            n => format!("{n} events have no figure"),
        };
        totals
    }
}

/// The totals of the entries at these positions (articles are left out).
pub fn totals_of(
    chron: &Chronology,
    cards: &super::views::Cards,
    positions: impl IntoIterator<Item = usize>,
) -> Totals {
    Totals::of(
        positions
            .into_iter()
            .map(|p| chron.event(p).map(|_| cards.card(p).spans.as_slice())),
    )
}

/// One claim on an event's page.
#[derive(Debug, Clone, Serialize)]
pub struct FigureView {
    /// killed, injured, ...
    pub kind: String,
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
                numbers: claim_numbers(f),
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

/// The host of an address.
pub fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    host.rsplit('@').next().unwrap_or(host)
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

/// Whether a status needs its explanation shown with the badge.
pub fn is_doubtful(status: Status) -> bool {
    !matches!(status, Status::Confirmed | Status::Corroborated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_ranges() {
        assert_eq!(count_text(85), "85");
        assert_eq!(count_text(1200), "1,200");
        assert_eq!(count_text(1_234_567), "1,234,567");
        assert_eq!(range_text(12, 40), "12–40");
        assert_eq!(range_text(7, 7), "7");
    }

    #[test]
    fn totals_sum_lows_and_highs_and_count_events_without_figures() {
        let a = [KindSpan {
            kind: "killed".into(),
            low: 12,
            high: 85,
        }];
        let b = [
            KindSpan {
                kind: "killed".into(),
                low: 3,
                high: 3,
            },
            KindSpan {
                kind: "injured".into(),
                low: 10,
                high: 20,
            },
        ];
        let none: [KindSpan; 0] = [];
        let t = Totals::of([Some(&a[..]), Some(&b[..]), Some(&none[..]), None]);
        assert_eq!(t.events, 3);
        assert_eq!(t.without, 1);
        assert_eq!(t.without_text, "1 event has no figure");
        assert_eq!(t.kinds[0].display, "15–88 killed");
        assert_eq!((t.kinds[0].events, t.kinds[0].without), (2, 1));
        assert_eq!(t.kinds[1].display, "10–20 injured");
        assert_eq!(t.kinds[1].without, 2);
    }

    #[test]
    fn hosts() {
        assert_eq!(
            host_of("https://web.archive.org/web/2022/x"),
            "web.archive.org"
        );
        assert_eq!(host_of("http://archive.ph"), "archive.ph");
    }
}
