//! One dataset row as an event to be: what every format reader fills in,
//! and the parsing helpers they share (dates, numbers, coordinates), each
//! failing with the row, column and value.

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use serde_yaml::{Mapping, Value};

use super::problem::Problem;

/// A place named by a row, with what the dataset says of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlaceRef {
    /// As the dataset writes it.
    pub name: String,
    /// `location`, `admin1`, `admin2`, `country`, ...
    pub kind: Option<String>,
    /// Coordinates, when given.
    pub coords: Option<(f64, f64)>,
    /// The country it lies in.
    pub country: Option<String>,
    /// The region it lies in (tells apart villages of one name).
    pub within: Option<String>,
}

/// A source with an address.
#[derive(Debug, Clone, PartialEq)]
pub struct UrlSource {
    /// `http(s)://...`
    pub url: String,
    /// Its title or caption.
    pub title: Option<String>,
    /// Its publisher or credit.
    pub publisher: Option<String>,
}

/// One row, read.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// Its line in the file (for messages).
    pub line: usize,
    /// The dataset's own id for the row (or a hash of the row).
    pub key: String,
    /// The event id made from it.
    pub id: String,
    /// `date`, in the content format's syntax.
    pub date: String,
    /// `end`, when the row is a span.
    pub end: Option<String>,
    /// Plain-text title.
    pub title: String,
    /// Markdown.
    pub summary: Option<String>,
    /// The lane.
    pub track: Option<String>,
    /// Free tags.
    pub tags: Vec<String>,
    /// Actor names.
    pub actors: Vec<String>,
    /// Places, most precise first.
    pub places: Vec<PlaceRef>,
    /// The event's point: name, lat, lon.
    pub location: Option<(String, f64, f64)>,
    /// Sources with addresses.
    pub sources: Vec<UrlSource>,
    /// `status` when the dataset says it.
    pub status: Option<String>,
    /// Claims of numbers (killed, ...), in the content format's `figures` shape.
    pub figures: Vec<Value>,
    /// Everything else worth keeping (source names, codes, media).
    pub data: Mapping,
}

impl Record {
    /// Keeps `value` under `key` in the record's data, unless empty.
    pub fn keep(&mut self, key: &str, value: impl Into<Value>) {
        let value = value.into();
        let empty = match &value {
            Value::Null => true,
            Value::String(s) => s.trim().is_empty(),
            Value::Sequence(s) => s.is_empty(),
            Value::Mapping(m) => m.is_empty(),
            _ => false,
        };
        if !empty {
            self.data.insert(Value::from(key), value);
        }
    }
}

/// A row's cells by column name, and where it is, for messages.
pub struct Row<'a> {
    /// The file.
    pub path: &'a Path,
    /// The row's line.
    pub line: usize,
    /// Column names.
    pub headers: &'a [String],
    /// The cells.
    pub cells: &'a [String],
}

impl Row<'_> {
    /// The trimmed cell of a column, `""` when absent.
    pub fn get(&self, column: &str) -> &str {
        self.headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(column))
            .and_then(|i| self.cells.get(i))
            .map_or("", |c| c.trim())
    }

    /// The cell, or `None` when empty.
    pub fn opt(&self, column: &str) -> Option<String> {
        let v = self.get(column);
        (!v.is_empty()).then(|| v.to_string())
    }

    /// An error about one cell: file:line:column and the value.
    pub fn problem(&self, column: &str, why: impl std::fmt::Display) -> Problem {
        Problem::cell(self.path, self.line, column, self.get(column), why)
    }

    /// A whole number, or `None` when empty.
    pub fn int(&self, column: &str) -> Result<Option<i64>, Problem> {
        let v = self.get(column);
        if v.is_empty() {
            return Ok(None);
        }
        // Some exports write counts as "3.0".
        let t = v.strip_suffix(".0").unwrap_or(v);
        t.parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(Some)
            .ok_or_else(|| self.problem(column, "expected a whole number, 0 or more"))
    }

    /// A coordinate within `limit` degrees, or `None` when empty.
    pub fn coordinate(&self, column: &str, limit: f64) -> Result<Option<f64>, Problem> {
        let v = self.get(column);
        if v.is_empty() {
            return Ok(None);
        }
        match v.replace(',', ".").parse::<f64>() {
            Ok(x) if x.is_finite() && x.abs() <= limit => Ok(Some(x)),
            _ => Err(self.problem(
                column,
                format!("expected a coordinate between -{limit} and {limit}"),
            )),
        }
    }

    /// A latitude and longitude pair; one without the other is an error.
    pub fn point(&self, lat: &str, lon: &str) -> Result<Option<(f64, f64)>, Problem> {
        let (a, b) = (self.coordinate(lat, 90.0), self.coordinate(lon, 180.0));
        match (a?, b?) {
            (Some(a), Some(b)) => Ok(Some((a, b))),
            (None, None) => Ok(None),
            (None, Some(_)) => Err(self.problem(lat, "a longitude without a latitude")),
            (Some(_), None) => Err(self.problem(lon, "a latitude without a longitude")),
        }
    }

    /// A day in one of the usual spreadsheet spellings.
    pub fn day(&self, column: &str) -> Result<NaiveDate, Problem> {
        parse_day(self.get(column)).ok_or_else(|| {
            self.problem(
                column,
                "expected a date such as 2022-02-24, 24 February 2022 or 24/02/2022",
            )
        })
    }
}

/// A day written `2022-02-24` (optionally followed by a time),
/// `24 February 2022`, `24-February-2022`, `February 24, 2022`,
/// `24/02/2022` or `2022/02/24`.
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let head = t.split([' ', 'T']).next().unwrap_or("");
    if let Ok(d) = NaiveDate::parse_from_str(head, "%Y-%m-%d") {
        return Some(d);
    }
    [
        "%d %B %Y",
        "%d-%B-%Y",
        "%d %b %Y",
        "%d-%b-%Y",
        "%B %d, %Y",
        "%d/%m/%Y",
        "%Y/%m/%d",
        "%d.%m.%Y",
    ]
    .iter()
    .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
}

/// `2022-02-24`.
pub fn day_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// `2022-02`.
pub fn month_text(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// The last day of `d`'s month.
pub fn month_end(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|n| n.pred_opt())
        .unwrap_or(d)
}

/// A `start`..`end` range of days in the content format: one day, a whole
/// month, a whole year, or a span of days.
pub fn day_range(start: NaiveDate, end: NaiveDate) -> (String, Option<String>) {
    if start == end {
        return (day_text(start), None);
    }
    if start.day() == 1 && end == month_end(start) {
        return (month_text(start), None);
    }
    if start.ordinal() == 1 && end.year() == start.year() && end.month() == 12 && end.day() == 31 {
        return (start.year().to_string(), None);
    }
    (day_text(start), Some(day_text(end)))
}

/// A short hex hash of some text (FNV-1a 64): stable across runs and machines.
pub fn short_hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// A registry-style id from a dataset's row id: `prefix-slug`, or a hash of
/// the key when it has no letters or digits.
pub fn event_id(prefix: &str, key: &str) -> String {
    let slug = crate::slug::slugify(key);
    if slug.is_empty() {
        format!("{prefix}-{}", &short_hash(key)[..12])
    } else {
        format!("{prefix}-{slug}")
    }
}

/// A figure in the shape of the content format's `figures` list. A range
/// the dataset publishes out of order (low above best, best above high)
/// keeps only its best, the published numbers going into the note, as the
/// content format refuses an inverted range.
pub fn figure(
    kind: &str,
    low: Option<i64>,
    best: Option<i64>,
    high: Option<i64>,
    by: Option<&str>,
    note: Option<String>,
) -> Value {
    let ordered = |a: Option<i64>, b: Option<i64>| a.zip(b).is_none_or(|(a, b)| a <= b);
    let (low, high, note) = if ordered(low, best) && ordered(best, high) && ordered(low, high) {
        (low, high, note)
    } else {
        let published = format!(
            "published as low {}, best {}, high {}",
            low.map_or("-".into(), |n| n.to_string()),
            best.map_or("-".into(), |n| n.to_string()),
            high.map_or("-".into(), |n| n.to_string())
        );
        let note = Some(note.map_or(published.clone(), |n| format!("{n}; {published}")));
        (None, None, note)
    };
    let mut m = Mapping::new();
    m.insert("kind".into(), kind.into());
    for (k, v) in [("low", low), ("best", best), ("high", high)] {
        if let Some(v) = v {
            m.insert(k.into(), v.into());
        }
    }
    if let Some(by) = by {
        m.insert("by".into(), by.into());
    }
    if let Some(n) = note {
        m.insert("note".into(), n.into());
    }
    Value::Mapping(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_ranges() {
        let d = |s| parse_day(s).unwrap();
        assert_eq!(d("2022-02-24 00:00:00.000"), d("24 February 2022"));
        assert_eq!(d("24-February-2022"), d("24/02/2022"));
        assert!(parse_day("2022-13-45").is_none());
        assert_eq!(
            day_range(d("2022-02-01"), d("2022-02-28")),
            ("2022-02".into(), None)
        );
        assert_eq!(
            day_range(d("2022-01-01"), d("2022-12-31")),
            ("2022".into(), None)
        );
        assert_eq!(
            day_range(d("2022-02-24"), d("2022-02-26")),
            ("2022-02-24".into(), Some("2022-02-26".into()))
        );
        assert_eq!(event_id("acled", "UKR1234"), "acled-ukr1234");
        let f = figure("killed", Some(9), Some(5), Some(12), Some("UCDP"), None);
        assert!(
            f.get("low").is_none() && f["best"].as_i64() == Some(5),
            "{f:?}"
        );
        assert_eq!(
            f["note"].as_str(),
            Some("published as low 9, best 5, high 12")
        );
        assert!(event_id("x", "—").starts_with("x-"));
    }
}
