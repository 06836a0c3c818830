//! Data exports written by every build, each switchable off in site.yaml's
//! `exports:`: `events.csv` ([`csv`](mod@csv)), `timeline.ics` ([`ics`]),
//! `timelinejs.json` ([`timelinejs`]), `events.geojson` ([`geojson`]),
//! `events.gpx` ([`gpx`]); and
//! the "cite this" data of event pages ([`cite`]).
//!
//! Each is made of one part per entry (its row, VEVENT, slide, feature or
//! waypoint:
//! [`Export::part`]) put together with what the whole site gives
//! ([`Export::assemble`]), so that a rebuild can keep the parts of the
//! entries that did not change; the render stage only lists them among its
//! outputs.

pub mod cite;
pub mod csv;
pub mod geojson;
pub mod gpx;
pub mod ics;
pub mod timelinejs;

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::chronology::Chronology;
use crate::content::event::Source;

/// One export file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    /// `events.csv`.
    Csv,
    /// `timeline.ics`.
    Ics,
    /// `timelinejs.json`.
    TimelineJs,
    /// `events.geojson`.
    GeoJson,
    /// `events.gpx`.
    Gpx,
}

impl Export {
    /// The exports the configuration asks for, in the order they are listed.
    pub fn enabled(chron: &Chronology) -> Vec<Export> {
        let on = chron.config.exports;
        [
            (on.csv, Export::Csv),
            (on.ics, Export::Ics),
            (on.timelinejs, Export::TimelineJs),
            (on.geojson, Export::GeoJson),
            (on.gpx, Export::Gpx),
        ]
        .into_iter()
        .filter_map(|(on, e)| on.then_some(e))
        .collect()
    }

    /// Every export, in the order [`Export::enabled`] lists them.
    pub const ALL: [Export; 5] = [
        Export::Csv,
        Export::Ics,
        Export::TimelineJs,
        Export::GeoJson,
        Export::Gpx,
    ];

    /// The export written at `path`.
    pub fn at_path(path: &str) -> Option<Export> {
        Export::ALL.into_iter().find(|e| e.path() == path)
    }

    /// Its output path.
    pub fn path(self) -> &'static str {
        match self {
            Export::Csv => "events.csv",
            Export::Ics => "timeline.ics",
            Export::TimelineJs => "timelinejs.json",
            Export::GeoJson => "events.geojson",
            Export::Gpx => "events.gpx",
        }
    }

    /// The part of the entry at `pos` (empty when it has none, as an
    /// entry without a point in `events.geojson`).
    pub fn part(self, chron: &Chronology, pos: usize) -> Arc<[u8]> {
        match self {
            Export::Csv => csv::row_bytes(chron, pos),
            Export::Ics => ics::vevent_bytes(chron, pos),
            Export::TimelineJs => timelinejs::slide_bytes(chron, pos),
            Export::GeoJson => geojson::feature_bytes(chron, pos),
            Export::Gpx => gpx::waypoint_bytes(chron, pos),
        }
    }

    /// The file, from the part of every entry (by position).
    pub fn assemble<'p>(
        self,
        chron: &Chronology,
        parts: impl Iterator<Item = &'p [u8]> + Clone,
    ) -> Vec<u8> {
        let (head, tail) = self.frame(chron, parts.clone().any(|p| !p.is_empty()));
        self.assemble_framed(&head, parts, &tail)
    }

    /// What comes before the entries' parts and what comes after, when
    /// some part is not empty (`any`) or none is.
    pub fn frame(self, chron: &Chronology, any: bool) -> (Vec<u8>, Vec<u8>) {
        let head = Assembly::new(self, chron, 0).out;
        let tail = Assembly {
            export: self,
            out: Vec::new(),
            any,
        }
        .finish(chron);
        (head, tail)
    }

    /// The file, from its [`frame`](Export::frame) and the part of every
    /// entry (by position): what `serve` makes only when the file is
    /// asked for.
    pub fn assemble_framed<'p>(
        self,
        head: &[u8],
        parts: impl Iterator<Item = &'p [u8]> + Clone,
        tail: &[u8],
    ) -> Vec<u8> {
        let size = head.len() + tail.len() + parts.clone().map(|p| p.len() + 2).sum::<usize>();
        let mut file = Assembly {
            export: self,
            out: Vec::with_capacity(size),
            any: false,
        };
        file.out.extend_from_slice(head);
        for part in parts {
            file.push(part);
        }
        file.out.extend_from_slice(tail);
        file.out
    }
}

/// An export's file being put together: what comes before the entries'
/// parts, each part as it comes (in the entries' order), and what comes
/// after. A part is copied in as soon as it is made, so that a large
/// site's parts are never all held besides the file.
pub struct Assembly {
    export: Export,
    out: Vec<u8>,
    /// Whether a part was added (a JSON list is closed otherwise when empty).
    any: bool,
}

impl Assembly {
    /// The file's beginning, in a buffer sized for about `size` bytes of parts.
    pub fn new(export: Export, chron: &Chronology, size: usize) -> Assembly {
        let mut out = Vec::with_capacity(size + 1024);
        match export {
            Export::Csv => csv::head(chron, &mut out),
            Export::Ics => ics::head(chron, &mut out),
            Export::TimelineJs => timelinejs::head(chron, &mut out),
            Export::GeoJson => geojson::head(&mut out),
            Export::Gpx => gpx::head(chron, &mut out),
        }
        Assembly {
            export,
            out,
            any: false,
        }
    }

    /// Adds the next entry's part (an empty one adds nothing); returns
    /// how many bytes it added (the part and what separates it from the
    /// one before).
    pub fn push(&mut self, part: &[u8]) -> usize {
        if part.is_empty() {
            return 0;
        }
        let before = self.out.len();
        if self.separated() {
            // An item of a pretty-printed JSON list.
            self.out
                .extend_from_slice(if self.any { b",\n" } else { b"\n" });
        }
        self.out.extend_from_slice(part);
        self.any = true;
        self.out.len() - before
    }

    /// Whether parts are separated (the items of a JSON list).
    fn separated(&self) -> bool {
        matches!(self.export, Export::TimelineJs | Export::GeoJson)
    }

    /// Makes room for about `more` bytes of parts.
    pub fn reserve(&mut self, more: usize) {
        self.out.reserve(more);
    }

    /// The whole file.
    pub fn finish(mut self, chron: &Chronology) -> Vec<u8> {
        match self.export {
            Export::Csv => {}
            Export::Ics => self.out.extend_from_slice(ics::TAIL),
            Export::TimelineJs => timelinejs::tail(chron, self.any, &mut self.out),
            Export::GeoJson => geojson::tail(self.any, &mut self.out),
            Export::Gpx => self.out.extend_from_slice(gpx::TAIL),
        }
        self.out
    }
}

/// How many entries' parts an export makes (on every core) before adding
/// them to its file.
const PART_CHUNK: usize = 4096;

/// Where each entry's part lies in an export's file: the length of what
/// comes before the parts, then each entry's slot (its part and what
/// separates it from the one before; empty for an entry without a part),
/// by position. A build that updates its last output makes an export of
/// the file on disk, with only the changed entries' slots made again
/// ([`spliced`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// The bytes before the first slot.
    pub head: u64,
    /// Each entry's slot's length, by position.
    pub slots: Vec<u32>,
}

/// One export's file, and where each entry's part lies in it; the
/// entries' parts are made on every core, a chunk at a time, and copied
/// into the file (at 1,000,000 entries each export is about 600 MB: its
/// parts and the file were held together).
pub fn file_and_layout(chron: &Chronology, export: Export) -> (Vec<u8>, Layout) {
    let entries = chron.entries.len();
    let mut file = Assembly::new(export, chron, 0);
    let mut layout = Layout {
        head: file.out.len() as u64,
        slots: Vec::with_capacity(entries),
    };
    for start in (0..entries).step_by(PART_CHUNK) {
        let end = (start + PART_CHUNK).min(entries);
        let parts: Vec<Arc<[u8]>> = (start..end)
            .into_par_iter()
            .map(|pos| export.part(chron, pos))
            .collect();
        if start == 0 {
            // Sized once from the first chunk, with a quarter to spare.
            let first: usize = parts.iter().map(|p| p.len() + 2).sum();
            file.reserve(first * entries / (end - start) * 5 / 4);
        }
        for part in &parts {
            let slot = file.push(part);
            layout.slots.extend(u32::try_from(slot).ok());
        }
    }
    // A part of 4 GB has no layout (a later build makes the file whole).
    if layout.slots.len() != entries {
        layout.slots = Vec::new();
    }
    (file.finish(chron), layout)
}

/// The export made from `old`, the file the last build wrote with
/// `layout`, where only the entries `changed` says (by position, in the
/// same order of entries) get their part made again; the others' slots
/// are copied. The same bytes as [`file_and_layout`] makes, with the new layout.
/// `None` when `old` is not what `layout` says or a changed entry gains
/// or loses its part where that moves a separator: then the file is made
/// whole.
pub fn spliced(
    chron: &Chronology,
    export: Export,
    old: &[u8],
    layout: &Layout,
    changed: &[bool],
) -> Option<(Vec<u8>, Layout)> {
    let entries = chron.entries.len();
    if layout.slots.len() != entries || changed.len() != entries {
        return None;
    }
    let fresh: Vec<(usize, Arc<[u8]>)> = (0..entries)
        .into_par_iter()
        .filter(|&pos| changed[pos])
        .map(|pos| (pos, export.part(chron, pos)))
        .collect();
    let mut file = Assembly::new(export, chron, old.len() + 1024);
    let head = usize::try_from(layout.head).ok()?;
    if old.get(..head)? != file.out.as_slice() {
        return None;
    }
    let mut slots = Vec::with_capacity(entries);
    let mut fresh = fresh.into_iter().peekable();
    let (mut at, mut any_before) = (head, false);
    for (pos, &len) in layout.slots.iter().enumerate() {
        let len = len as usize;
        let slot = old.get(at..at.checked_add(len)?)?;
        at += len;
        let made = match fresh.peek() {
            Some((p, _)) if *p == pos => fresh.next().map(|(_, part)| part),
            _ => None,
        };
        let added = match made {
            Some(part) => {
                if part.is_empty() != slot.is_empty() && file.separated() {
                    return None;
                }
                file.push(&part)
            }
            None => {
                // A slot copied holds the separator the last build gave it.
                if !slot.is_empty() && file.separated() && file.any != any_before {
                    return None;
                }
                file.out.extend_from_slice(slot);
                file.any |= !slot.is_empty();
                slot.len()
            }
        };
        any_before |= !slot.is_empty();
        slots.push(u32::try_from(added).ok()?);
    }
    let made = file.finish(chron);
    let tail_at = made.len().checked_sub(old.len() - at)?;
    if made.get(tail_at..)? != old.get(at..)? {
        return None;
    }
    let layout = Layout {
        head: layout.head,
        slots,
    };
    Some((made, layout))
}

/// `value` as `serde_json::to_vec_pretty` writes it inside a list that is
/// a field of the top object: every line indented by four spaces.
pub fn json_item<T: Serialize>(value: &T) -> Arc<[u8]> {
    let text = serde_json::to_vec_pretty(value).unwrap_or_default();
    let mut out = Vec::with_capacity(text.len() + text.len() / 4);
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        out.extend_from_slice(b"    ");
        out.extend_from_slice(line);
    }
    Arc::from(out)
}

/// A pretty-printed field holding a list of pretty-printed `items` (empty
/// ones left out), as `serde_json::to_vec_pretty` writes it at the top
/// level of an object: `  "name": [` ... `  ]`, or `  "name": []`.
pub fn json_list_field(out: &mut Vec<u8>, name: &str, items: &[Arc<[u8]>]) {
    json_list_open(out, name);
    let mut any = false;
    for item in items.iter().filter(|i| !i.is_empty()) {
        out.extend_from_slice(if any { b",\n" } else { b"\n" });
        out.extend_from_slice(item);
        any = true;
    }
    json_list_close(out, any);
}

/// The beginning of [`json_list_field`]: `  "name": [`.
pub fn json_list_open(out: &mut Vec<u8>, name: &str) {
    out.extend_from_slice(b"  ");
    out.extend_from_slice(&serde_json::to_vec(name).unwrap_or_default());
    out.extend_from_slice(b": [");
}

/// The end of [`json_list_field`] (`any`: whether it held an item).
pub fn json_list_close(out: &mut Vec<u8>, any: bool) {
    if any {
        out.extend_from_slice(b"\n  ");
    }
    out.push(b']');
}

/// The absolute URL of the entry at `pos`.
pub fn url(chron: &Chronology, pos: usize) -> String {
    format!("{}{}", chron.config.base_url, chron.path(pos))
}

/// The point of the entry at `pos`: the event's `location`, else the first
/// of its places with coordinates in the registry. (name, lat, lon).
pub fn point(chron: &Chronology, pos: usize) -> Option<(String, f64, f64)> {
    let [_, _, places] = chron.terms(pos);
    if let Some(l) = chron.event(pos).and_then(|e| e.location.as_ref()) {
        let name = l
            .name
            .clone()
            .or_else(|| {
                places
                    .first()
                    .map(|p| chron.place_name(&p.value).to_string())
            })
            .unwrap_or_default();
        return Some((name, l.lat, l.lon));
    }
    places.iter().find_map(|p| {
        let e = chron.place_entity(&p.value)?;
        Some((e.name.clone(), e.lat?, e.lon?))
    })
}

/// The status of the entry at `pos` (articles: "confirmed").
pub fn status(chron: &Chronology, pos: usize) -> &'static str {
    chron.event(pos).map_or("confirmed", |e| e.status.as_str())
}

/// The addresses of the entry's sources: external URLs, and the pages of
/// the articles it cites (an article's own original for articles).
pub fn source_urls(chron: &Chronology, pos: usize) -> Vec<String> {
    if let Some(a) = chron.article(pos) {
        return a.source_url.iter().cloned().collect();
    }
    let Some(e) = chron.event(pos) else {
        return Vec::new();
    };
    e.sources
        .iter()
        .filter_map(|s| match s {
            Source::External(x) => Some(x.url.clone()),
            Source::Article(slug) => chron.position(&slug.value).map(|p| url(chron, p)),
        })
        .collect()
}

/// The killed figure of an event: its first claim of kind `killed`
/// without a note (the overall one, before any per-side claims), as (low,
/// best, high).
pub fn killed(chron: &Chronology, pos: usize) -> Option<(Option<u64>, Option<u64>, Option<u64>)> {
    let e = chron.event(pos)?;
    let f = e
        .figures
        .iter()
        .filter(|f| f.kind == "killed")
        .min_by_key(|f| f.note.is_some())?;
    Some((f.low, f.best, f.high))
}

/// A text value kept in an event's `data` (e.g. `media.url`).
pub fn data_text<'a>(chron: &'a Chronology, pos: usize, path: &[&str]) -> Option<&'a str> {
    let mut v: &serde_yaml::Value = chron.event(pos)?.data.as_deref()?;
    for k in path {
        v = v.get(*k)?;
    }
    v.as_str()
}
