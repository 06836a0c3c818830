//! `timelinejs.json`: the chronology in TimelineJS3's JSON format, ready to
//! embed: a title slide from the site, one slide per published entry
//! (start and end at their precision, `display_date` for approximate or
//! uncertain dates, `group` from the track, `media` when an imported entry
//! has it) and the eras (an open era ends with the last entry).

use std::sync::Arc;

use chrono::{Datelike, Timelike};
use serde_json::{Map, Value, json};

use crate::chronology::Chronology;
use crate::date::{Date, Precision};
use crate::render::data::xml_escape;

/// The slide of the entry at `pos`, pretty-printed for its place in the list.
pub fn slide_bytes(chron: &Chronology, pos: usize) -> Arc<[u8]> {
    super::json_item(&slide(chron, pos))
}

/// The file is `serde_json::to_vec_pretty` of `{"title", "events",
/// "eras"}` (its keys in order), and a newline: what comes before the
/// slides (the eras, and the opening of the list of slides).
pub fn head(chron: &Chronology, out: &mut Vec<u8>) {
    let last = (0..chron.entries.len()).next_back().map(|p| {
        chron
            .dates(p)
            .end()
            .unwrap_or(chron.dates(p).start())
            .clone()
    });
    let eras: Vec<Arc<[u8]>> = chron
        .eras
        .iter()
        .map(|era| {
            let end = match (era.open, era.dates.end()) {
                (false, Some(e)) => e.clone(),
                _ => last
                    .clone()
                    .filter(|l| l.start() >= era.dates.start().start())
                    .unwrap_or_else(|| era.dates.start().clone()),
            };
            super::json_item(&json!({
                "start_date": parts(era.dates.start()),
                "end_date": parts(&end),
                "text": {"headline": xml_escape(&era.title)},
                "unique_id": format!("era-{}", era.id.value),
            }))
        })
        .collect();
    out.extend_from_slice(b"{\n");
    super::json_list_field(out, "eras", &eras);
    out.extend_from_slice(b",\n");
    super::json_list_open(out, "events");
}

/// What comes after the slides (`any`: whether there was one): the title slide.
pub fn tail(chron: &Chronology, any: bool, out: &mut Vec<u8>) {
    let c = &chron.config;
    super::json_list_close(out, any);
    let title = json!({
        "text": {
            "headline": xml_escape(&c.title),
            "text": format!("<p>{}</p>", xml_escape(&c.description)),
        }
    });
    out.extend_from_slice(b",\n  \"title\": ");
    let title = serde_json::to_vec_pretty(&title).unwrap_or_default();
    for (i, line) in title.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.extend_from_slice(b"\n  ");
        }
        out.extend_from_slice(line);
    }
    out.extend_from_slice(b"\n}\n");
}

fn slide(chron: &Chronology, pos: usize) -> Value {
    let dates = chron.dates(pos);
    let start = dates.start();
    let mut s = Map::new();
    s.insert("unique_id".into(), chron.id(pos).into());
    s.insert("start_date".into(), parts(start));
    if let Some(end) = dates.end() {
        s.insert("end_date".into(), parts(end));
    }
    if start.approximate()
        || start.uncertain()
        || dates
            .end()
            .is_some_and(|e| e.approximate() || e.uncertain())
    {
        s.insert("display_date".into(), dates.display().into());
    }
    let summary = chron
        .event(pos)
        .and_then(|e| e.summary.clone())
        .or_else(|| chron.article(pos).and_then(|a| a.summary.clone()))
        .map(|m| crate::markdown::plain_text(&m))
        .unwrap_or_default();
    let url = super::url(chron, pos);
    let mut text = String::new();
    if !summary.is_empty() {
        text.push_str(&format!("<p>{}</p>", xml_escape(&summary)));
    }
    text.push_str(&format!(
        "<p><a href=\"{}\">Read more</a></p>",
        xml_escape(&url)
    ));
    s.insert(
        "text".into(),
        json!({"headline": xml_escape(chron.title(pos)), "text": text}),
    );
    if let Some(track) = chron.track(pos) {
        s.insert("group".into(), track.into());
    }
    if let Some(media) = super::data_text(chron, pos, &["media", "url"]) {
        let mut m = Map::new();
        m.insert("url".into(), media.into());
        for k in ["caption", "credit"] {
            if let Some(v) = super::data_text(chron, pos, &["media", k]) {
                m.insert(k.into(), xml_escape(v).into());
            }
        }
        s.insert("media".into(), Value::Object(m));
    }
    Value::Object(s)
}

/// A TimelineJS date object: the parts down to the date's precision.
fn parts(d: &Date) -> Value {
    let t = d.start().naive_local();
    let mut m = Map::new();
    m.insert("year".into(), d.year().into());
    if d.precision() >= Precision::Month {
        m.insert("month".into(), t.month().into());
    }
    if d.precision() >= Precision::Day {
        m.insert("day".into(), t.day().into());
    }
    if d.precision() >= Precision::Minute {
        m.insert("hour".into(), t.hour().into());
        m.insert("minute".into(), t.minute().into());
    }
    if d.precision() >= Precision::Second {
        m.insert("second".into(), t.second().into());
    }
    Value::Object(m)
}
