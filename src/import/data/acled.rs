//! ACLED exports (CSV from the data export tool or the API): one event per
//! row, keyed by `event_id_cnty`.

use super::problem::Problem;
use super::record::{PlaceRef, Record, Row, day_text, figure, month_text};

/// Columns without which a row cannot be read.
pub const REQUIRED: &[&str] = &["event_id_cnty", "event_date", "event_type", "country"];

/// One ACLED row as a record.
pub fn read(row: &Row<'_>) -> Result<Record, Vec<Problem>> {
    let mut problems = Vec::new();
    let key = row.get("event_id_cnty").to_string();
    if key.is_empty() {
        problems.push(row.problem("event_id_cnty", "empty: every ACLED row has an id"));
    }
    let day = row.day("event_date").map_err(|p| problems.push(p)).ok();
    let precision = row
        .int("time_precision")
        .map_err(|p| problems.push(p))
        .ok()
        .flatten();
    let point = row
        .point("latitude", "longitude")
        .map_err(|p| problems.push(p))
        .ok()
        .flatten();
    let fatalities = row
        .int("fatalities")
        .map_err(|p| problems.push(p))
        .ok()
        .flatten();
    if let Some(p) = precision.filter(|p| !(1..=3).contains(p)) {
        problems.push(row.problem(
            "time_precision",
            format!("{p} is not an ACLED time precision (1, 2 or 3)"),
        ));
    }
    let Some(day) = day else { return Err(problems) };
    if !problems.is_empty() {
        return Err(problems);
    }
    // 1: the day is known; 2: a day within a week or so; 3: only the month.
    let date = match precision {
        Some(2) => format!("{}~", day_text(day)),
        Some(3) => month_text(day),
        _ => day_text(day),
    };
    let location = row.get("location");
    let sub = row
        .opt("sub_event_type")
        .or_else(|| row.opt("event_type"))
        .unwrap_or_default();
    let title = match (sub.is_empty(), location.is_empty()) {
        (false, false) => format!("{sub} in {location}"),
        (false, true) => format!("{sub}, {}", row.get("country")),
        (true, _) => format!(
            "Event in {}",
            if location.is_empty() {
                row.get("country")
            } else {
                location
            }
        ),
    };
    let mut r = Record {
        line: row.line,
        id: super::record::event_id("acled", &key),
        key,
        date,
        title,
        summary: row.opt("notes"),
        track: row.opt("event_type"),
        ..Record::default()
    };
    r.tags = row
        .get("tags")
        .split(';')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    if let Some(sub) = row.opt("sub_event_type") {
        r.tags.insert(0, sub);
    }
    for col in ["actor1", "assoc_actor_1", "actor2", "assoc_actor_2"] {
        for name in row
            .get(col)
            .split(';')
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            if !r.actors.iter().any(|a| a == name) {
                r.actors.push(name.to_string());
            }
        }
    }
    let country = row.opt("country");
    let admin1 = row.opt("admin1");
    if !location.is_empty() {
        r.places.push(PlaceRef {
            name: location.to_string(),
            kind: Some("location".into()),
            coords: point,
            country: country.clone(),
            within: admin1.clone(),
        });
    }
    for (col, within) in [("admin2", "admin1"), ("admin1", "country")] {
        if let Some(name) = row.opt(col).filter(|n| n != location) {
            r.places.push(PlaceRef {
                name,
                kind: Some(col.into()),
                coords: None,
                country: country.clone(),
                within: row.opt(within),
            });
        }
    }
    if let (Some((lat, lon)), false) = (point, location.is_empty()) {
        r.location = Some((location.to_string(), lat, lon));
    }
    if let Some(f) = fatalities {
        let mut claim = figure("killed", None, Some(f), None, Some("ACLED"), None);
        // ACLED's `timestamp` is when the row was last changed: the figure stands as of then.
        if let Some(day) = row
            .get("timestamp")
            .parse::<i64>()
            .ok()
            .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
        {
            claim["as_of"] = day.format("%Y-%m-%d").to_string().into();
        }
        r.figures.push(claim);
    }
    r.keep("source", row.get("source"));
    r.keep("source_scale", row.get("source_scale"));
    r.keep(
        "time_precision",
        precision.map_or(serde_yaml::Value::Null, Into::into),
    );
    if let Ok(Some(g)) = row.int("geo_precision") {
        r.keep("geo_precision", g);
    }
    // What else a curator may filter by (the rest of ACLED's coding is in ACLED).
    for col in ["admin3", "disorder_type", "civilian_targeting"] {
        r.keep(col, row.get(col));
    }
    Ok(r)
}
