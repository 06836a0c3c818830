//! `--format csv --map MAPPING.yaml`: any spreadsheet, with a mapping that
//! says which column holds which field (and how its dates are written);
//! `--suggest-map` writes a first mapping from the header row.

use std::path::Path;

use chrono::NaiveDate;
use serde_yaml::Value;

use super::problem::Problem;
use super::record::{PlaceRef, Record, UrlSource, day_text, month_text, short_hash};
use super::table::Table;

/// The fields a mapping may name, with what they mean (for `--suggest-map`).
pub const FIELDS: &[(&str, &str)] = &[
    (
        "id",
        "the row's own id (stable across versions of the file)",
    ),
    (
        "date",
        "when it happened (required); {column, format} with a chrono format or a list of them",
    ),
    ("end", "end of a span"),
    ("title", "the headline (required)"),
    ("summary", "text, Markdown"),
    ("track", "the lane: type, category, group"),
    (
        "status",
        "confirmed, unverified, disputed, debunked or draft",
    ),
    ("tags", "tags, separated by ;"),
    ("actors", "actor names, separated by ;"),
    ("places", "place names, separated by ;"),
    ("location", "the name of the event's point"),
    ("lat", "latitude"),
    ("lon", "longitude"),
    ("source_url", "a source's address"),
    ("source", "a source's publisher or name"),
    ("fatalities", "number killed"),
];

/// Words in a header that suggest a field, most telling first.
const HINTS: &[(&str, &[&str])] = &[
    (
        "id",
        &[
            "id",
            "event id",
            "unique id",
            "uid",
            "event_id",
            "key",
            "ref",
            "reference",
            "no",
        ],
    ),
    (
        "date",
        &["date", "event date", "start date", "start", "day", "when"],
    ),
    ("end", &["end", "end date", "until", "to"]),
    ("title", &["title", "headline", "name", "event", "what"]),
    (
        "summary",
        &["summary", "description", "notes", "text", "details", "body"],
    ),
    (
        "track",
        &["track", "type", "category", "group", "event type", "kind"],
    ),
    ("status", &["status", "verification", "verified"]),
    ("tags", &["tags", "keywords", "labels"]),
    (
        "actors",
        &[
            "actors",
            "actor",
            "actor1",
            "actor2",
            "party",
            "perpetrator",
            "who",
        ],
    ),
    (
        "places",
        &[
            "places", "place", "city", "town", "region", "admin1", "where",
        ],
    ),
    ("location", &["location", "location name", "site"]),
    ("lat", &["lat", "latitude", "y"]),
    ("lon", &["lon", "lng", "long", "longitude", "x"]),
    (
        "source_url",
        &["source url", "url", "link", "source link", "href"],
    ),
    ("source", &["source", "publisher", "outlet", "credit"]),
    (
        "fatalities",
        &["fatalities", "deaths", "killed", "dead", "casualties"],
    ),
];

/// One field's columns and date format.
#[derive(Debug, Clone, Default)]
pub struct Column {
    /// Column names (several for lists such as actors).
    pub columns: Vec<String>,
    /// Chrono formats for dates, such as `%d/%m/%Y`, tried in order.
    pub format: Vec<String>,
}

/// A parsed mapping.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    /// Field name to columns.
    pub fields: Vec<(String, Column)>,
}

impl Mapping {
    fn get(&self, field: &str) -> Option<&Column> {
        self.fields.iter().find(|(f, _)| f == field).map(|(_, c)| c)
    }
}

/// Reads a mapping file, checking every field and column against the table.
pub fn load(path: &Path, table: &Table) -> Result<Mapping, Vec<Problem>> {
    let text = super::table::read_text(path).map_err(|p| vec![p])?;
    let value: Value = serde_yaml::from_str(&text).map_err(|e| {
        let line = e.location().map_or(0, |l| l.line());
        vec![Problem::at(path, line, format!("not valid YAML: {e}"))]
    })?;
    let Value::Mapping(m) = value else {
        return Err(vec![Problem::file(
            path,
            "expected a mapping of field: column",
        )]);
    };
    let mut problems = Vec::new();
    let mut mapping = Mapping::default();
    let line_of = |key: &str| {
        text.lines()
            .position(|l| l.trim_start().starts_with(&format!("{key}:")))
            .map_or(0, |i| i + 1)
    };
    for (k, v) in &m {
        let Some(field) = k.as_str() else {
            problems.push(Problem::file(
                path,
                format!("a key that is not text: {k:?}"),
            ));
            continue;
        };
        let line = line_of(field);
        if !FIELDS.iter().any(|(f, _)| *f == field) {
            let hint = crate::suggest::did_you_mean(field, FIELDS.iter().map(|(f, _)| *f))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            let known: Vec<&str> = FIELDS.iter().map(|(f, _)| *f).collect();
            problems.push(Problem::at(
                path,
                line,
                format!(
                    "unknown field `{field}`{hint}; the fields are {}",
                    known.join(", ")
                ),
            ));
            continue;
        }
        let col = match v {
            Value::String(s) => Column {
                columns: vec![s.clone()],
                format: Vec::new(),
            },
            Value::Sequence(items) => Column {
                columns: items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect(),
                format: Vec::new(),
            },
            Value::Mapping(inner) => {
                let columns = match inner.get("column").or_else(|| inner.get("columns")) {
                    Some(Value::String(s)) => vec![s.clone()],
                    Some(Value::Sequence(items)) => items
                        .iter()
                        .filter_map(|i| i.as_str().map(str::to_string))
                        .collect(),
                    _ => Vec::new(),
                };
                let format = match inner.get("format") {
                    Some(Value::String(f)) => vec![f.clone()],
                    Some(Value::Sequence(fs)) => fs
                        .iter()
                        .filter_map(|f| f.as_str().map(str::to_string))
                        .collect(),
                    _ => Vec::new(),
                };
                Column { columns, format }
            }
            _ => Column::default(),
        };
        if col.columns.is_empty() {
            problems.push(Problem::at(
                path,
                line,
                format!("`{field}`: expected a column name, a list of them, or {{column, format}}"),
            ));
            continue;
        }
        for c in &col.columns {
            if table.column(c).is_none() {
                let hint =
                    crate::suggest::did_you_mean(c, table.headers.iter().map(String::as_str))
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                problems.push(Problem::at(
                    path,
                    line,
                    format!(
                        "`{field}` names the column \"{c}\", which {} does not have{hint}",
                        crate::error::display_path(&table.path)
                    ),
                ));
            }
        }
        for f in &col.format {
            if !f.contains('%') {
                problems.push(Problem::at(
                    path,
                    line,
                    format!("`{field}`: date format \"{f}\" has no % fields (such as %d/%m/%Y)"),
                ));
            }
        }
        mapping.fields.push((field.to_string(), col));
    }
    for required in ["date", "title"] {
        if mapping.get(required).is_none() {
            problems.push(Problem::file(
                path,
                format!("the mapping needs `{required}`: the column that holds it"),
            ));
        }
    }
    if problems.is_empty() {
        Ok(mapping)
    } else {
        Err(problems)
    }
}

/// A date cell read with one chrono format: its precision is that of the
/// format (`%Y` a year, `%m/%Y` a month, with `%d` a day, with `%H` a minute).
fn parse_with(format: &str, text: &str) -> Option<String> {
    let has = |f: &[&str]| f.iter().any(|x| format.contains(x));
    if has(&["%H", "%I", "%R", "%T"]) {
        return chrono::NaiveDateTime::parse_from_str(text.trim(), format)
            .ok()
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string());
    }
    if has(&["%d", "%e", "%j", "%F", "%D"]) {
        return NaiveDate::parse_from_str(text.trim(), format)
            .ok()
            .map(day_text);
    }
    if has(&["%m", "%B", "%b", "%h"]) {
        return NaiveDate::parse_from_str(&format!("{}|01", text.trim()), &format!("{format}|%d"))
            .ok()
            .map(month_text);
    }
    NaiveDate::parse_from_str(
        &format!("{}|01|01", text.trim()),
        &format!("{format}|%m|%d"),
    )
    .ok()
    .map(|d| d.format("%Y").to_string())
}

/// A date cell without a format: the content format's own syntax, or a day
/// in a usual spelling.
fn parse_auto(text: &str) -> Option<String> {
    let t = text.trim();
    if crate::date::Date::parse(t, chrono_tz::UTC).is_ok() {
        return Some(t.to_string());
    }
    super::record::parse_day(t).map(day_text)
}

/// Every row of the table, read through the mapping.
pub fn read(table: &Table, map: &Mapping) -> Result<Vec<Record>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let first = |map: &Mapping, f: &str| map.get(f).and_then(|c| c.columns.first().cloned());
    for row in table.each_row() {
        let before = problems.len();
        let mut date_of = |field: &str| -> Option<String> {
            let col = map.get(field)?;
            let name = col.columns.first()?;
            let cell = row.get(name);
            if cell.is_empty() {
                if field == "date" {
                    problems.push(row.problem(name, "empty: every row needs a date"));
                }
                return None;
            }
            let parsed = if col.format.is_empty() {
                parse_auto(cell)
            } else {
                col.format.iter().find_map(|f| parse_with(f, cell))
            };
            if parsed.is_none() {
                let how = if col.format.is_empty() {
                    "a date such as 2022-02-24 (or give a `format`)".to_string()
                } else {
                    format!("a date in the format {}", col.format.join(" or "))
                };
                problems.push(row.problem(name, format!("expected {how}")));
            }
            parsed
        };
        let date = date_of("date");
        let end = date_of("end");
        let point = match (first(map, "lat"), first(map, "lon")) {
            (Some(a), Some(b)) => row
                .point(&a, &b)
                .map_err(|p| problems.push(p))
                .ok()
                .flatten(),
            _ => None,
        };
        let fatalities = first(map, "fatalities")
            .and_then(|c| row.int(&c).map_err(|p| problems.push(p)).ok().flatten());
        let title = first(map, "title")
            .map(|c| row.get(&c).to_string())
            .unwrap_or_default();
        if title.is_empty() {
            if let Some(c) = first(map, "title") {
                problems.push(row.problem(&c, "empty: every row needs a title"));
            }
        }
        if problems.len() > before {
            continue;
        }
        let Some(date) = date else { continue };
        let key = match first(map, "id").map(|c| row.get(&c).to_string()) {
            Some(k) if !k.is_empty() => k,
            _ => short_hash(&row.cells.join("\u{1f}"))[..12].to_string(),
        };
        let list = |f: &str| -> Vec<String> {
            map.get(f).map_or(Vec::new(), |c| {
                c.columns
                    .iter()
                    .flat_map(|col| {
                        row.get(col)
                            .split(';')
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .map(str::to_string)
                            .collect::<Vec<_>>()
                    })
                    .collect()
            })
        };
        let text = |f: &str| first(map, f).and_then(|c| row.opt(&c));
        let mut r = Record {
            line: row.line,
            id: super::record::event_id("row", &key),
            key,
            date,
            end,
            title,
            summary: text("summary"),
            track: text("track"),
            tags: list("tags"),
            actors: list("actors"),
            status: text("status").map(|s| s.to_lowercase()),
            ..Record::default()
        };
        let location = text("location");
        let places = list("places");
        if let Some(name) = location.clone().or_else(|| places.first().cloned()) {
            if let Some((lat, lon)) = point {
                r.location = Some((name, lat, lon));
            }
        }
        if let Some(l) = &location {
            r.places.push(PlaceRef {
                name: l.clone(),
                kind: Some("location".into()),
                coords: point,
                ..PlaceRef::default()
            });
        }
        for (i, p) in places.into_iter().enumerate() {
            let coords = (location.is_none() && i == 0).then_some(point).flatten();
            r.places.push(PlaceRef {
                name: p,
                coords,
                ..PlaceRef::default()
            });
        }
        if let Some(url) =
            text("source_url").filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        {
            r.sources.push(UrlSource {
                url,
                title: None,
                publisher: text("source"),
            });
        } else {
            r.keep("source", text("source").unwrap_or_default());
        }
        if let Some(f) = fatalities {
            // No `by`: a publisher's name could read as an actor id.
            r.figures.push(super::record::figure(
                "killed",
                None,
                Some(f),
                None,
                None,
                None,
            ));
        }
        out.push(r);
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// A first mapping for a table, from its header: each field given the
/// first column whose name suggests it; the columns left over listed.
pub fn suggest(table: &Table) -> String {
    let norm = |s: &str| s.trim().to_lowercase().replace(['_', '-'], " ");
    let mut used = vec![false; table.headers.len()];
    let mut out = format!(
        "# Mapping for {}: which column holds which field (written by annals import --suggest-map).\n# Check each line; a date column may take a format, e.g. date: {{column: Date, format: \"%d/%m/%Y\"}}.\n",
        crate::error::display_path(&table.path)
    );
    for (field, words) in HINTS {
        let found = words.iter().find_map(|w| {
            table
                .headers
                .iter()
                .enumerate()
                .find(|(i, h)| !used[*i] && norm(h) == *w)
                .map(|(i, _)| i)
        });
        let found = found.or_else(|| {
            words.iter().filter(|w| w.len() > 2).find_map(|w| {
                table
                    .headers
                    .iter()
                    .enumerate()
                    .find(|(i, h)| !used[*i] && norm(h).contains(w))
                    .map(|(i, _)| i)
            })
        });
        let what = FIELDS
            .iter()
            .find(|(f, _)| f == field)
            .map_or("", |(_, w)| *w);
        match found {
            Some(i) => {
                used[i] = true;
                let col = serde_yaml::to_string(&table.headers[i]).unwrap_or_default();
                out.push_str(&format!("{field}: {}  # {what}\n", col.trim_end()));
            }
            None => out.push_str(&format!("# {field}:   # {what}\n")),
        }
    }
    let unused: Vec<&str> = table
        .headers
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(h, _)| h.as_str())
        .collect();
    if !unused.is_empty() {
        out.push_str(&format!("# columns not mapped: {}\n", unused.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_give_precision() {
        assert_eq!(
            parse_with("%d/%m/%Y", "24/02/2022").as_deref(),
            Some("2022-02-24")
        );
        assert_eq!(parse_with("%m/%Y", "02/2022").as_deref(), Some("2022-02"));
        assert_eq!(parse_with("%Y", "2022").as_deref(), Some("2022"));
        assert_eq!(
            parse_with("%d.%m.%Y %H:%M", "24.02.2022 04:50").as_deref(),
            Some("2022-02-24 04:50")
        );
        assert_eq!(parse_with("%d/%m/%Y", "2022-02-24"), None);
        assert_eq!(parse_auto("2022-02").as_deref(), Some("2022-02"));
        assert_eq!(
            parse_auto("24 February 2022").as_deref(),
            Some("2022-02-24")
        );
    }

    #[test]
    fn suggests_from_headers() {
        let t = Table {
            path: "x.csv".into(),
            headers: ["Event Date", "Headline", "Latitude", "Longitude", "Misc"]
                .map(String::from)
                .to_vec(),
            rows: Vec::new(),
        };
        let s = suggest(&t);
        assert!(s.contains("date: Event Date"), "{s}");
        assert!(s.contains("title: Headline"), "{s}");
        assert!(s.contains("lat: Latitude"), "{s}");
        assert!(s.contains("columns not mapped: Misc"), "{s}");
        let back: serde_yaml::Value = serde_yaml::from_str(&s).unwrap();
        assert_eq!(back["lon"].as_str(), Some("Longitude"));
    }
}
