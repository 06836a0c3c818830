//! Provenance in the machine-readable outputs: the fields `timeline.json`
//! gives each entry (window, verification, figures, sources with their
//! evidence, corrections), and the site's corrections, newest first (for
//! its corrections page and `corrections.xml`).

use rayon::prelude::*;
use serde_json::{Map, Value, json};

use crate::chronology::Chronology;
use crate::content::Source;
use crate::content::provenance::{FigureSource, Revisions};
use crate::date::{Date, DateRange};

/// A date as `timeline.json` gives provenance dates: `2022-03-02`, `2022-03`, `2022`.
fn day(d: &Date) -> Value {
    json!(d.machine())
}

/// The provenance fields of the entry at `pos`, for `timeline.json`.
pub fn entry_fields(chron: &Chronology, pos: usize) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("window".into(), window(chron.dates(pos)));
    let (revisions, warning) = match (chron.event(pos), chron.article(pos)) {
        (Some(e), _) => (&e.revisions, &e.content_warning),
        (_, Some(a)) => (&a.revisions, &a.content_warning),
        _ => return m,
    };
    m.insert(
        "updated".into(),
        revisions.last_change().map_or(Value::Null, day),
    );
    m.insert("corrections".into(), corrections(revisions));
    m.insert("content_warning".into(), json!(warning));
    let Some(e) = chron.event(pos) else { return m };
    m.insert(
        "verification".into(),
        e.verification.as_ref().map_or(Value::Null, |v| {
            json!({
                "status": e.status.as_str(),
                "method": v.method,
                "by": v.by.as_ref().map(|b| &b.value),
                "on": v.on.as_ref().map(|d| d.machine()),
                "note": v.note,
            })
        }),
    );
    let figures: Vec<Value> = e
        .figures
        .iter()
        .map(|f| {
            json!({
                "kind": f.kind,
                "low": f.low,
                "best": f.best,
                "high": f.high,
                "by": f.by.as_ref().map(|b| &b.value),
                "source": match &f.source {
                    Some(FigureSource::Index(i)) => json!(i),
                    Some(FigureSource::Article(slug)) => json!(slug.value),
                    None => Value::Null,
                },
                "as_of": f.as_of.as_ref().map(|d| d.machine()),
                "note": f.note,
            })
        })
        .collect();
    m.insert("figures".into(), Value::Array(figures));
    let sources: Vec<Value> = e
        .sources
        .iter()
        .map(|s| match s {
            Source::Article(slug) => json!({"article": slug.value}),
            Source::External(x) => {
                let ev = x.evidence();
                json!({
                    "url": x.url,
                    "title": x.title,
                    "publisher": x.publisher,
                    "archive": ev.archive,
                    "published": ev.published.as_ref().map(|d| d.machine()),
                    "language": ev.language,
                    "kind": ev.kind,
                    "type": ev.kind_type,
                    "capture": ev.capture.as_ref().map(|c| json!({
                        "file": c.file.as_ref().map(|f| &f.value),
                        "url": c.url,
                        "sha256": c.sha256.value,
                    })),
                })
            }
        })
        .collect();
    m.insert("sources".into(), Value::Array(sources));
    m.insert(
        "corroboration".into(),
        json!(super::provenance::corroboration(chron, e)),
    );
    m
}

/// `{earliest, latest}` of an uncertain window, else null.
fn window(r: &DateRange) -> Value {
    match (r.is_window(), r.end()) {
        (true, Some(end)) => json!({
            "earliest": r.start().machine(),
            "latest": end.machine(),
            "earliest_start": r.start().rfc3339_start(),
            "latest_end": crate::date::rfc3339(&end.period_end()),
        }),
        _ => Value::Null,
    }
}

fn corrections(r: &Revisions) -> Value {
    r.corrections
        .iter()
        .map(|c| json!({"date": c.date.value.machine(), "note": c.note}))
        .collect()
}

/// One correction of the site, for its corrections page and feed.
#[derive(Debug, Clone, Hash, serde::Serialize)]
pub struct SiteCorrection {
    /// The entry's id or slug.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its page.
    pub path: String,
    /// When the correction was made.
    pub date: super::views::DateView,
    /// What was corrected.
    pub note: String,
    /// Its number among the entry's corrections, from 1, for ids.
    pub number: usize,
    /// Its start instant (RFC 3339), for the feed.
    #[serde(skip)]
    pub instant: String,
}

/// Every correction of the published entries, newest first (ties: by entry
/// order, then as written).
pub fn site_corrections(chron: &Chronology) -> Vec<SiteCorrection> {
    // Every entry looked at on every core (few have corrections), in the
    // chronology's order; then newest first, ties in that order.
    let mut out: Vec<(chrono::DateTime<chrono::FixedOffset>, SiteCorrection)> =
        (0..chron.entries.len())
            .into_par_iter()
            .flat_map_iter(|pos| {
                let revisions = match (chron.event(pos), chron.article(pos)) {
                    (Some(e), _) => Some(&e.revisions),
                    (_, Some(a)) => Some(&a.revisions),
                    _ => None,
                };
                let corrections = revisions.map_or(&[][..], |r| &r.corrections[..]);
                corrections.iter().enumerate().map(move |(i, c)| {
                    (
                        c.date.value.start(),
                        SiteCorrection {
                            id: chron.id(pos).to_string(),
                            title: chron.title(pos).to_string(),
                            path: chron.path(pos),
                            date: super::views::DateView::new(&c.date.value),
                            note: c.note.clone(),
                            number: i + 1,
                            instant: c.date.value.rfc3339_start(),
                        },
                    )
                })
            })
            .collect();
    out.sort_by_key(|c| std::cmp::Reverse(c.0));
    out.into_iter().map(|(_, c)| c).collect()
}
