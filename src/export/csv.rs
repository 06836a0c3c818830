//! `events.csv`: one row per published entry, with columns named after
//! ACLED's where they mean the same; RFC 4180 (CRLF, quoted as needed),
//! UTF-8, a byte-order mark only with `exports: {csv_bom: true}`.

use std::sync::Arc;

use crate::chronology::Chronology;

/// The header row.
pub const COLUMNS: &[&str] = &[
    "id",
    "kind",
    "event_date",
    "end_date",
    "time_precision",
    "approximate",
    "uncertain",
    "title",
    "track",
    "status",
    "importance",
    "actors",
    "places",
    "admin1",
    "admin2",
    "country",
    "location",
    "latitude",
    "longitude",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "source_urls",
    "notes",
    "url",
];

/// What comes before the rows: the byte-order mark if asked for, and the
/// header.
pub fn head(chron: &Chronology, out: &mut Vec<u8>) {
    if chron.config.exports.csv_bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    out.extend_from_slice(&record(COLUMNS));
}

/// The row of the entry at `pos`, as written (quoted as needed, CRLF).
pub fn row_bytes(chron: &Chronology, pos: usize) -> Arc<[u8]> {
    Arc::from(record(&row(chron, pos)))
}

/// One record: each record is written on its own, so rows made apart
/// put together are the file a single writer makes.
fn record<T: AsRef<[u8]>>(fields: &[T]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let _ = w.write_record(fields);
    w.into_inner().unwrap_or_default()
}

fn row(chron: &Chronology, pos: usize) -> Vec<String> {
    let dates = chron.dates(pos);
    let start = dates.start();
    let [_, actors, places] = chron.terms(pos);
    let names = |ids: &[crate::fields::Located<String>], f: &dyn Fn(&str) -> String| {
        ids.iter()
            .map(|i| f(&i.value))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let of_kind = |kind: &str| {
        places
            .iter()
            .filter_map(|p| chron.place_entity(&p.value))
            .find(|e| e.kind.as_deref() == Some(kind))
            .map(|e| e.name.clone())
            .unwrap_or_default()
    };
    let country = places
        .iter()
        .filter_map(|p| chron.place_entity(&p.value))
        .find_map(|e| e.country.clone())
        .unwrap_or_default();
    let point = super::point(chron, pos);
    let killed = super::killed(chron, pos).unwrap_or_default();
    let n = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
    let (kind, importance, summary) = match chron.event(pos) {
        Some(e) => ("event", e.importance.to_string(), e.summary.clone()),
        None => (
            "article",
            String::new(),
            chron.article(pos).and_then(|a| a.summary.clone()),
        ),
    };
    vec![
        chron.id(pos).to_string(),
        kind.to_string(),
        start.machine(),
        dates.end().map(|e| e.machine()).unwrap_or_default(),
        start.precision().as_str().to_string(),
        start.approximate().to_string(),
        start.uncertain().to_string(),
        chron.title(pos).to_string(),
        chron.track(pos).unwrap_or_default().to_string(),
        super::status(chron, pos).to_string(),
        importance,
        names(actors, &|id| chron.actor_name(id).to_string()),
        names(places, &|id| chron.place_name(id).to_string()),
        of_kind("admin1"),
        of_kind("admin2"),
        country,
        point.as_ref().map(|p| p.0.clone()).unwrap_or_default(),
        point.as_ref().map(|p| p.1.to_string()).unwrap_or_default(),
        point.as_ref().map(|p| p.2.to_string()).unwrap_or_default(),
        n(killed.0),
        n(killed.1),
        n(killed.2),
        super::source_urls(chron, pos).join(" "),
        // As plain text: no Markdown, and no raw HTML a summary may hold.
        summary
            .map(|s| crate::markdown::plain_text(&s))
            .unwrap_or_default(),
        super::url(chron, pos),
    ]
}
