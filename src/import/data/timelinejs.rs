//! TimelineJS timelines: its JSON format (`{title, events, eras}`) or the
//! Google Sheet template exported as CSV (`Year, Month, Day, Time, End
//! Year, ..., Headline, Text, Media, ...`). Title and era slides are not
//! events: they come back beside the records as a [`Frame`], for
//! [`super::frame`] to write as a page and as eras.

use std::path::Path;

use serde_json::Value as Json;

use super::html::to_markdown;
use super::problem::Problem;
use super::record::{Record, UrlSource, short_hash};
use super::table::Table;

/// One slide, from either form.
#[derive(Debug, Default)]
struct Slide {
    line: usize,
    unique_id: Option<String>,
    start: Parts,
    end: Option<Parts>,
    headline: String,
    text: String,
    media: Option<(String, String, String)>,
    group: Option<String>,
}

/// What a timeline holds besides its events: its title slide and its eras.
#[derive(Debug, Default)]
pub struct Frame {
    /// The title slides (a timeline has one; several files may each bring one).
    pub titles: Vec<TitleSlide>,
    /// The era slides, in file order.
    pub eras: Vec<EraSlide>,
}

/// A title slide: the timeline's introduction.
#[derive(Debug, Clone)]
pub struct TitleSlide {
    /// The file it came from.
    pub path: std::path::PathBuf,
    /// Its line (sheet) or 1 (JSON).
    pub line: usize,
    /// The headline, as plain text.
    pub title: String,
    /// The text, as Markdown.
    pub body: String,
}

/// An era slide, with its dates in the content format.
#[derive(Debug, Clone)]
pub struct EraSlide {
    /// The file it came from.
    pub path: std::path::PathBuf,
    /// Its line (sheet) or its place in the `eras` list, from 1 (JSON).
    pub line: usize,
    /// The headline, as plain text (empty when the slide has none).
    pub title: String,
    /// Its start.
    pub date: String,
    /// Its end, when given.
    pub end: Option<String>,
    /// The text, as Markdown.
    pub description: String,
}

/// A TimelineJS date: its parts as text (the sheet) or numbers (JSON).
#[derive(Debug, Default, Clone)]
struct Parts {
    year: String,
    month: String,
    day: String,
    time: String,
    display: String,
}

/// The rows of a TimelineJS JSON file, and its title and eras.
pub fn read_json(path: &Path, text: &str) -> Result<(Vec<Record>, Frame), Vec<Problem>> {
    let doc: Json = serde_json::from_str(text)
        .map_err(|e| vec![Problem::at(path, e.line(), format!("not valid JSON: {e}"))])?;
    let Some(events) = doc.get("events").and_then(Json::as_array) else {
        let found = match &doc {
            Json::Object(m) => format!(
                "an object with keys {}",
                m.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
            Json::Array(_) => "a list".to_string(),
            _ => "a single value".to_string(),
        };
        return Err(vec![Problem::file(
            path,
            format!(
                "not a TimelineJS timeline: expected an object with an `events` list (and optionally `title` and `eras`), found {found}"
            ),
        )]);
    };
    let mut problems = Vec::new();
    let mut slides = Vec::new();
    for (i, ev) in events.iter().enumerate() {
        let at = i + 1;
        let Some(start) = ev.get("start_date").and_then(parts) else {
            problems.push(Problem::at(
                path,
                at,
                "events[".to_string()
                    + &i.to_string()
                    + "]: every event needs a `start_date` object with a `year`",
            ));
            continue;
        };
        let text = |k: &str| {
            ev.get("text")
                .and_then(|t| t.get(k))
                .and_then(Json::as_str)
                .unwrap_or("")
                .to_string()
        };
        let media = ev.get("media").and_then(|m| {
            let s = |k: &str| {
                m.get(k)
                    .and_then(Json::as_str)
                    .unwrap_or("")
                    .trim()
                    .to_string()
            };
            let url = s("url");
            (!url.is_empty()).then(|| (url, s("caption"), s("credit")))
        });
        slides.push(Slide {
            line: at,
            unique_id: ev
                .get("unique_id")
                .and_then(Json::as_str)
                .map(str::to_string),
            start,
            end: ev.get("end_date").and_then(parts),
            headline: text("headline"),
            text: text("text"),
            media,
            group: ev.get("group").and_then(Json::as_str).map(str::to_string),
        });
    }
    let mut frame = Frame::default();
    if let Some(title) = doc.get("title") {
        let headline = slide_text(title, "headline");
        let body = slide_text(title, "text");
        if !headline.trim().is_empty() || !body.trim().is_empty() {
            frame.titles.push(TitleSlide {
                path: path.to_path_buf(),
                line: 1,
                title: to_plain(&headline),
                body: to_markdown(&body),
            });
        }
    }
    match doc.get("eras") {
        None | Some(Json::Null) => {}
        Some(Json::Array(eras)) => {
            for (i, era) in eras.iter().enumerate() {
                let start = era.get("start_date").and_then(parts);
                let end = era.get("end_date").and_then(parts);
                let headline = slide_text(era, "headline");
                let text = slide_text(era, "text");
                if let Some(e) = to_era(
                    path,
                    i + 1,
                    start.as_ref(),
                    end.as_ref(),
                    (&headline, &text),
                    &mut problems,
                ) {
                    frame.eras.push(e);
                }
            }
        }
        Some(_) => problems.push(Problem::file(
            path,
            "`eras` must be a list of eras, each with a `start_date`",
        )),
    }
    let records = to_records(path, slides, &mut problems);
    if problems.is_empty() {
        Ok((records, frame))
    } else {
        Err(problems)
    }
}

/// `slide.text.KEY` as a string, empty when absent.
fn slide_text(slide: &Json, key: &str) -> String {
    slide
        .get("text")
        .and_then(|t| t.get(key))
        .and_then(Json::as_str)
        .unwrap_or("")
        .to_string()
}

/// An era slide in the content format's terms, or a problem at its line.
fn to_era(
    path: &Path,
    line: usize,
    start: Option<&Parts>,
    end: Option<&Parts>,
    (headline, text): (&str, &str),
    problems: &mut Vec<Problem>,
) -> Option<EraSlide> {
    let Some(start) = start else {
        problems.push(Problem::at(
            path,
            line,
            "an era needs a start date with a year",
        ));
        return None;
    };
    let date = date_of(start)
        .map_err(|e| problems.push(Problem::cell(path, line, "era start", &start.year, e)))
        .ok()?;
    let end = match end.map(date_of) {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => {
            let year = end.map(|p| p.year.clone()).unwrap_or_default();
            problems.push(Problem::cell(path, line, "era end", &year, e));
            return None;
        }
    };
    Some(EraSlide {
        path: path.to_path_buf(),
        line,
        title: to_plain(headline),
        date,
        end,
        description: to_markdown(text),
    })
}

/// Columns of the sheet without which a row cannot be read.
pub const REQUIRED: &[&str] = &["year", "headline"];

/// The rows of a TimelineJS sheet, exported as CSV, and its title and eras.
pub fn read_sheet(table: &Table) -> Result<(Vec<Record>, Frame), Vec<Problem>> {
    let mut problems = Vec::new();
    let mut slides = Vec::new();
    let mut frame = Frame::default();
    for row in table.each_row() {
        let kind = row.get("type").trim().to_ascii_lowercase();
        let p = |prefix: &str| Parts {
            year: row.get(&format!("{prefix}year")).to_string(),
            month: row.get(&format!("{prefix}month")).to_string(),
            day: row.get(&format!("{prefix}day")).to_string(),
            time: row.get(&format!("{prefix}time")).to_string(),
            display: if prefix.is_empty() {
                row.get("display date").to_string()
            } else {
                String::new()
            },
        };
        let end = p("end ");
        if kind == "title" {
            frame.titles.push(TitleSlide {
                path: table.path.clone(),
                line: row.line,
                title: to_plain(row.get("headline")),
                body: to_markdown(row.get("text")),
            });
            continue;
        }
        if kind == "era" {
            let start = p("");
            let start = (!start.year.is_empty()).then_some(start);
            let end = (!end.year.is_empty()).then_some(end);
            if let Some(e) = to_era(
                &table.path,
                row.line,
                start.as_ref(),
                end.as_ref(),
                (row.get("headline"), row.get("text")),
                &mut problems,
            ) {
                frame.eras.push(e);
            }
            continue;
        }
        let media = row.opt("media").map(|url| {
            (
                url,
                row.get("media caption").to_string(),
                row.get("media credit").to_string(),
            )
        });
        slides.push(Slide {
            line: row.line,
            unique_id: row.opt("unique_id").or_else(|| row.opt("unique id")),
            start: p(""),
            end: (!end.year.is_empty()).then_some(end),
            headline: row.get("headline").to_string(),
            text: row.get("text").to_string(),
            media,
            group: row.opt("group"),
        });
    }
    let records = to_records(&table.path, slides, &mut problems);
    if problems.is_empty() {
        Ok((records, frame))
    } else {
        Err(problems)
    }
}

fn parts(d: &Json) -> Option<Parts> {
    let s = |k: &str| match d.get(k) {
        Some(Json::String(s)) => s.trim().to_string(),
        Some(Json::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let year = s("year");
    if year.is_empty() {
        return None;
    }
    let hour = s("hour");
    let time = if hour.is_empty() {
        String::new()
    } else {
        let minute = s("minute");
        format!(
            "{hour}:{}",
            if minute.is_empty() {
                "0".into()
            } else {
                minute
            }
        )
    };
    Some(Parts {
        year,
        month: s("month"),
        day: s("day"),
        time,
        display: s("display_date"),
    })
}

/// The content-format date of some parts, or why not.
fn date_of(p: &Parts) -> Result<String, String> {
    let num = |s: &str, what: &str, lo: u32, hi: u32| -> Result<Option<u32>, String> {
        if s.is_empty() {
            return Ok(None);
        }
        match s.parse::<u32>() {
            Ok(n) if (lo..=hi).contains(&n) => Ok(Some(n)),
            _ => Err(format!("{what} \"{s}\" is not a number from {lo} to {hi}")),
        }
    };
    let year = num(&p.year, "year", 1, 9999)?.ok_or("no year")?;
    let month = num(&p.month, "month", 1, 12)?;
    let day = num(&p.day, "day", 1, 31)?;
    let Some(month) = month else {
        return Ok(format!("{year:04}"));
    };
    let Some(day) = day else {
        return Ok(format!("{year:04}-{month:02}"));
    };
    if chrono::NaiveDate::from_ymd_opt(year as i32, month, day).is_none() {
        return Err(format!("{year:04}-{month:02}-{day:02} is not a day"));
    }
    let date = format!("{year:04}-{month:02}-{day:02}");
    if p.time.is_empty() {
        return Ok(date);
    }
    let t = p.time.to_ascii_lowercase();
    let (t, pm) = match (t.strip_suffix("pm"), t.strip_suffix("am")) {
        (Some(x), _) => (x.trim().to_string(), Some(true)),
        (_, Some(x)) => (x.trim().to_string(), Some(false)),
        _ => (t.trim().to_string(), None),
    };
    let mut it = t.split(':');
    let h: Option<u32> = it.next().and_then(|h| h.trim().parse().ok());
    let m: Option<u32> = it.next().map_or(Some(0), |m| m.trim().parse().ok());
    match (h, m) {
        (Some(mut h), Some(m)) if h < 24 && m < 60 => {
            if pm == Some(true) && h < 12 {
                h += 12;
            } else if pm == Some(false) && h == 12 {
                h = 0;
            }
            Ok(format!("{date} {h:02}:{m:02}"))
        }
        _ => Err(format!("time \"{}\" is not HH:MM", p.time)),
    }
}

fn to_records(path: &Path, slides: Vec<Slide>, problems: &mut Vec<Problem>) -> Vec<Record> {
    let mut out = Vec::new();
    for s in slides {
        let date = date_of(&s.start).map_err(|e| {
            problems.push(Problem::cell(path, s.line, "start date", &s.start.year, e))
        });
        let end = s.end.as_ref().map(date_of).transpose().map_err(|e| {
            problems.push(Problem::cell(
                path,
                s.line,
                "end date",
                &s.end.as_ref().map(|p| p.year.clone()).unwrap_or_default(),
                e,
            ))
        });
        let (Ok(date), Ok(end)) = (date, end) else {
            continue;
        };
        let headline = to_plain(&s.headline);
        let key = match &s.unique_id {
            Some(u) if !u.trim().is_empty() => u.trim().to_string(),
            _ => short_hash(&format!("{date}\u{1f}{headline}\u{1f}{}", s.text))[..12].to_string(),
        };
        let summary = to_markdown(&s.text);
        let mut r = Record {
            line: s.line,
            id: super::record::event_id("tl", &key),
            key,
            date,
            end,
            title: if headline.is_empty() {
                "Untitled".into()
            } else {
                headline
            },
            summary: (!summary.is_empty()).then_some(summary),
            track: s.group.filter(|g| !g.trim().is_empty()),
            ..Record::default()
        };
        r.keep("display_date", s.start.display.clone());
        if let Some((url, caption, credit)) = s.media {
            let mut m = serde_yaml::Mapping::new();
            m.insert("url".into(), url.clone().into());
            if !caption.is_empty() {
                m.insert("caption".into(), to_plain(&caption).into());
            }
            if !credit.is_empty() {
                m.insert("credit".into(), to_plain(&credit).into());
            }
            r.keep("media", serde_yaml::Value::Mapping(m));
            if url.starts_with("http://") || url.starts_with("https://") {
                r.sources.push(UrlSource {
                    url,
                    title: (!caption.is_empty()).then(|| to_plain(&caption)),
                    publisher: (!credit.is_empty()).then(|| to_plain(&credit)),
                });
            }
        }
        out.push(r);
    }
    out
}

/// HTML as one line of plain text (headlines and credits).
fn to_plain(html: &str) -> String {
    let md = to_markdown(html);
    let unescaped: String = {
        let mut s = String::with_capacity(md.len());
        let mut chars = md.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
                continue;
            }
            if c == '*' {
                continue;
            }
            s.push(c);
        }
        s
    };
    unescaped.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_at_their_precision() {
        let p = |y: &str, m: &str, d: &str, t: &str| Parts {
            year: y.into(),
            month: m.into(),
            day: d.into(),
            time: t.into(),
            display: String::new(),
        };
        assert_eq!(date_of(&p("2022", "", "", "")).unwrap(), "2022");
        assert_eq!(date_of(&p("2022", "2", "", "")).unwrap(), "2022-02");
        assert_eq!(
            date_of(&p("2022", "2", "24", "4:50 PM")).unwrap(),
            "2022-02-24 16:50"
        );
        assert!(date_of(&p("2022", "2", "30", "")).is_err());
        assert!(date_of(&p("", "2", "3", "")).is_err());
        assert_eq!(to_plain("<b>Kyiv</b> &amp; Kharkiv"), "Kyiv & Kharkiv");
    }
}
