//! `timeline.ics`: the chronology as an iCalendar file (RFC 5545), one
//! VEVENT per published entry. Entries dated to the day, month or year are
//! all-day events spanning their whole period (a month-precision entry
//! covers the month, a year-precision one the year); entries with a time
//! are timed events in UTC. Lines are folded at 75 octets and text is
//! escaped; line ends are CRLF.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, Utc};

use crate::chronology::Chronology;
use crate::date::Precision;

/// The VEVENT of the entry at `pos`, folded, with CRLF line ends.
pub fn vevent_bytes(chron: &Chronology, pos: usize) -> Arc<[u8]> {
    let mut out = String::new();
    vevent(chron, pos, &host(&chron.config.base_url), &mut out);
    Arc::from(out.into_bytes())
}

/// What comes before the entries' VEVENTs: the calendar's header.
pub fn head(chron: &Chronology, out: &mut Vec<u8>) {
    let c = &chron.config;
    let mut lines = String::new();
    for line in [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//annals//timeline//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", text(&c.title)),
        format!("X-WR-CALDESC:{}", text(&c.description)),
    ] {
        push(&mut lines, &line);
    }
    out.extend_from_slice(lines.as_bytes());
}

/// What comes after the VEVENTs.
pub const TAIL: &[u8] = b"END:VCALENDAR\r\n";

fn vevent(chron: &Chronology, pos: usize, host: &str, out: &mut String) {
    let dates = chron.dates(pos);
    let start = dates.start();
    let mut lines = vec![
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}@{host}", chron.id(pos)),
        // A fixed stamp, so that an unchanged site builds the same file.
        format!("DTSTAMP:{}", utc(&start.start())),
    ];
    if start.precision() <= Precision::Day {
        let from = start.start().date_naive();
        let mut to: NaiveDate = dates.end_instant().date_naive();
        // The exclusive end falls on the next period's first day; a period
        // ending at a zone's skipped midnight still lasts at least a day.
        if to <= from {
            to = from + TimeDelta::days(1);
        }
        lines.push(format!("DTSTART;VALUE=DATE:{}", from.format("%Y%m%d")));
        lines.push(format!("DTEND;VALUE=DATE:{}", to.format("%Y%m%d")));
    } else {
        lines.push(format!("DTSTART:{}", utc(&start.start())));
        if dates.end().is_some() && dates.end_instant() > start.start() {
            lines.push(format!("DTEND:{}", utc(&dates.end_instant())));
        }
    }
    lines.push(format!("SUMMARY:{}", text(chron.title(pos))));
    let mut description = String::new();
    if start.approximate() || start.uncertain() {
        description.push_str(&format!("Date: {}\n", dates.display()));
    }
    let summary = chron
        .event(pos)
        .and_then(|e| e.summary.clone())
        .or_else(|| chron.article(pos).and_then(|a| a.summary.clone()));
    if let Some(s) = summary {
        description.push_str(&crate::markdown::plain_text(&s));
    }
    if !description.trim().is_empty() {
        lines.push(format!("DESCRIPTION:{}", text(description.trim())));
    }
    lines.push(format!("URL:{}", super::url(chron, pos)));
    if let Some(t) = chron.track(pos) {
        lines.push(format!("CATEGORIES:{}", text(t)));
    }
    if let Some((name, lat, lon)) = super::point(chron, pos) {
        if !name.is_empty() {
            lines.push(format!("LOCATION:{}", text(&name)));
        }
        lines.push(format!("GEO:{lat};{lon}"));
    }
    let status = match super::status(chron, pos) {
        "unverified" | "disputed" | "draft" => "TENTATIVE",
        "debunked" => "CANCELLED",
        _ => "CONFIRMED",
    };
    lines.push(format!("STATUS:{status}"));
    lines.push("TRANSP:TRANSPARENT".to_string());
    lines.push("END:VEVENT".to_string());
    for l in lines {
        push(out, &l);
    }
}

fn host(base_url: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    rest.split('/').next().unwrap_or("annals").to_string()
}

fn utc(t: &DateTime<FixedOffset>) -> String {
    t.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value: backslash, semicolon, comma and newlines escaped.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line, folded so that no line exceeds 75 octets
/// (continuations start with a space), never inside a character.
pub fn push(out: &mut String, line: &str) {
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_and_escapes() {
        let mut s = String::new();
        push(
            &mut s,
            &format!("SUMMARY:{}", text(&"Київ, Харків; ".repeat(8))),
        );
        for l in s.split("\r\n") {
            assert!(l.len() <= 75, "{l:?} is {} octets", l.len());
        }
        let unfolded = s.replace("\r\n ", "");
        assert!(unfolded.starts_with("SUMMARY:Київ\\, Харків\\; Київ"));
        assert_eq!(text("a\\b\nc"), "a\\\\b\\nc");
        assert_eq!(host("https://example.org/war/"), "example.org");
    }
}
