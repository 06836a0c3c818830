//! UCDP Georeferenced Event Dataset (GED) rows, from its CSV download or
//! the API's JSON: one event per row, keyed by `id`, dated from
//! `date_start` to `date_end`.

use super::problem::Problem;
use super::record::{PlaceRef, Record, Row, day_range, figure};

/// Columns without which a row cannot be read.
pub const REQUIRED: &[&str] = &["id", "date_start", "date_end", "best"];

/// UCDP's types of violence, as tracks.
fn violence(code: &str) -> Option<&'static str> {
    match code {
        "1" => Some("State-based conflict"),
        "2" => Some("Non-state conflict"),
        "3" => Some("One-sided violence"),
        _ => None,
    }
}

/// One GED row as a record.
pub fn read(row: &Row<'_>) -> Result<Record, Vec<Problem>> {
    let mut problems = Vec::new();
    let key = row.get("id").to_string();
    if key.is_empty() {
        problems.push(row.problem("id", "empty: every UCDP row has an id"));
    }
    let start = row.day("date_start").map_err(|p| problems.push(p)).ok();
    let end = row.day("date_end").map_err(|p| problems.push(p)).ok();
    let point = row
        .point("latitude", "longitude")
        .map_err(|p| problems.push(p))
        .ok()
        .flatten();
    let mut num = |c: &str| row.int(c).map_err(|p| problems.push(p)).ok().flatten();
    let (low, best, high) = (num("low"), num("best"), num("high"));
    let sides = [
        num("deaths_a"),
        num("deaths_b"),
        num("deaths_civilians"),
        num("deaths_unknown"),
    ];
    let prec = num("date_prec");
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            problems.push(row.problem(
                "date_end",
                format!("ends before date_start {}", row.get("date_start")),
            ));
        }
    }
    let (Some(start), Some(end)) = (start, end) else {
        return Err(problems);
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let (mut date, end_text) = day_range(start, end);
    // date_prec 1 is an exact day; above it, a single day is a best guess.
    if end_text.is_none() && start == end && prec.is_some_and(|p| p > 1) {
        date.push('~');
    }
    let side_a = row.get("side_a");
    let side_b = row.get("side_b");
    let place = row
        .opt("where_coordinates")
        .or_else(|| row.opt("adm_2"))
        .or_else(|| row.opt("adm_1"));
    let title = match (row.opt("dyad_name"), &place) {
        (Some(d), Some(p)) => format!("{d}: fighting at {p}"),
        (Some(d), None) => d,
        (None, Some(p)) => format!("Violence at {p}"),
        (None, None) => format!("UCDP event {key}"),
    };
    let mut r = Record {
        line: row.line,
        id: super::record::event_id("ucdp", &key),
        key,
        date,
        end: end_text,
        title,
        summary: row
            .opt("source_headline")
            .or_else(|| row.opt("where_description")),
        track: violence(row.get("type_of_violence")).map(str::to_string),
        ..Record::default()
    };
    r.tags = row.opt("conflict_name").into_iter().collect();
    for name in [side_a, side_b] {
        if !name.is_empty() && !r.actors.iter().any(|a| a == name) {
            r.actors.push(name.to_string());
        }
    }
    let country = row.opt("country");
    if let Some(p) = &place {
        r.places.push(PlaceRef {
            name: p.clone(),
            kind: Some("location".into()),
            coords: point,
            country: country.clone(),
            within: row.opt("adm_1"),
        });
        if let Some((lat, lon)) = point {
            r.location = Some((p.clone(), lat, lon));
        }
    }
    for (col, kind) in [("adm_2", "admin2"), ("adm_1", "admin1")] {
        if let Some(name) = row.opt(col).filter(|n| Some(n) != place.as_ref()) {
            r.places.push(PlaceRef {
                name,
                kind: Some(kind.into()),
                country: country.clone(),
                ..PlaceRef::default()
            });
        }
    }
    let mut figures = vec![figure("killed", low, best, high, Some("UCDP"), None)];
    let labels = [
        format!("side A ({side_a})"),
        format!("side B ({side_b})"),
        "civilians".to_string(),
        "unknown".to_string(),
    ];
    for (n, label) in sides.iter().zip(labels) {
        if let Some(n) = n.filter(|n| *n > 0) {
            figures.push(figure(
                "killed",
                None,
                Some(n),
                None,
                Some("UCDP"),
                Some(format!("deaths: {label}")),
            ));
        }
    }
    r.figures = figures;
    r.keep("source_article", row.get("source_article"));
    r.keep("source_office", row.get("source_office"));
    r.keep("source_date", row.get("source_date"));
    r.keep(
        "date_prec",
        prec.map_or(serde_yaml::Value::Null, Into::into),
    );
    if let Ok(Some(w)) = row.int("where_prec") {
        r.keep("where_prec", w);
    }
    for col in [
        "relid",
        "conflict_new_id",
        "dyad_new_id",
        "event_clarity",
        "region",
    ] {
        r.keep(col, row.get(col));
    }
    Ok(r)
}
