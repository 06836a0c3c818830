//! The views of the list pages: the timeline's eras, jump navigation and
//! counts, the archives, the taxonomies and the free pages.

use rayon::prelude::*;
use serde::Serialize;

use super::card_html::CardHtml;
use super::views::{DateView, EraView, LinkView, YearGroup};
use crate::chronology::{Chronology, EntryKind};

/// The key of a taxonomy's title: "nav.tags", "nav.actors", ...
pub fn taxonomy_title(name: &str) -> &'static str {
    match name {
        "tags" => "nav.tags",
        "actors" => "nav.actors",
        "places" => "nav.places",
        _ => "nav.tracks",
    }
}

/// A month's initial, for the jump navigation's grid ("F" for February).
pub fn month_letter(name: &str) -> String {
    name.chars()
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default()
}

/// 0 for an empty month, else 1 to 4 by its share of the busiest month
/// (square root, so that quiet months still show).
pub fn heat(count: usize, busiest: usize) -> u8 {
    if count == 0 {
        return 0;
    }
    let share = (count as f64 / busiest as f64).sqrt();
    (share * 4.0).ceil().clamp(1.0, 4.0) as u8
}

pub fn month_anchor(year: i32, month: u32) -> String {
    if month == 0 {
        format!("y{year}-all")
    } else {
        format!("y{year}-{month:02}")
    }
}

pub fn link_of(y: &YearLink) -> LinkView {
    LinkView::new(y.year.to_string(), y.path.clone(), Some(y.count))
}

/// A year in the archive navigation.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct YearLink {
    /// The year.
    pub year: i32,
    /// Its archive page.
    pub path: String,
    /// Its entries.
    pub count: usize,
    /// Its months that have entries.
    pub months: Vec<LinkView>,
}

/// An era on the timeline, with where it begins.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEra {
    /// The era.
    #[serde(flatten)]
    pub era: EraView,
    /// The timeline page its first entry is on (none when it has no entries).
    pub page: Option<usize>,
    /// That page's path; the era starts at the anchor `era-ID` there.
    pub path: Option<String>,
    /// How many entries fall in it.
    pub count: usize,
    /// The figures of its events, totalled as ranges.
    pub totals: super::figures::Totals,
}

/// A year in the timeline's jump navigation.
#[derive(Debug, Clone, Serialize)]
pub struct JumpYear {
    /// The year.
    pub year: i32,
    /// Its entries.
    pub count: usize,
    /// The timeline page its first entry is on.
    pub page: usize,
    /// That page's path.
    pub path: String,
    /// The anchor of the year there (`y2022`).
    pub anchor: String,
    /// All twelve months, empty ones included.
    pub months: Vec<JumpMonth>,
}

/// A month in the timeline's jump navigation.
#[derive(Debug, Clone, Serialize)]
pub struct JumpMonth {
    /// 1 to 12.
    pub month: u32,
    /// "February 2022".
    pub name: String,
    /// Its initial, "F".
    pub letter: String,
    /// Its entries (0: nothing to jump to).
    pub count: usize,
    /// The timeline page its first entry is on (0 when empty).
    pub page: usize,
    /// That page's path.
    pub path: String,
    /// The anchor of the month there (`y2022-02`).
    pub anchor: String,
    /// 0 (empty) to 4 (the busiest months), for shading.
    pub heat: u8,
}

/// An archive page's header.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct Archive {
    /// "year" or "month".
    pub kind: &'static str,
    /// The year.
    pub year: i32,
    /// The month, for month pages.
    pub month: Option<u32>,
    /// "2022" or "February 2022".
    pub title: String,
    /// How many entries.
    pub count: usize,
    /// The previous year (or month of the same year).
    pub prev: Option<LinkView>,
    /// The next year (or month of the same year).
    pub next: Option<LinkView>,
    /// The months of the year.
    pub months: Vec<LinkView>,
    /// The figures of its events, totalled as ranges.
    pub totals: super::figures::Totals,
    /// Whether the page leads to its months instead of listing its entries
    /// (a year with more than [`super::pages::ONE_PAGE_MAX`]).
    pub by_month: bool,
    /// Which part of its month this page is, when the month has more
    /// entries than [`super::pages::PERIOD_PAGE_MAX`].
    pub part: Option<ArchivePart>,
}

/// One part of a month's archive.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct ArchivePart {
    /// This part's number, from 1.
    pub current: usize,
    /// How many parts.
    pub total: usize,
    /// The part before, if any (its name is its number).
    pub prev: Option<LinkView>,
    /// The part after, if any.
    pub next: Option<LinkView>,
}

/// A taxonomy's name and size.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct TaxonomyList {
    /// tags, actors, places or tracks.
    pub name: &'static str,
    /// "Tags", ...
    pub title: String,
    /// How many terms.
    pub count: usize,
}

/// A free page's content.
#[derive(Debug, Clone, Serialize)]
pub struct FreePage {
    /// Its title.
    pub title: String,
    /// Safe HTML of its body.
    pub body_html: String,
    /// Whether it is the site's methodology page (`site.yaml`
    /// `methodology:`): the built-in template adds how statuses, figures
    /// and totals are read.
    pub methodology: bool,
}

/// Counts shown on the home page.
#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    /// Published entries.
    pub entries: usize,
    /// Published events.
    pub events: usize,
    /// Published articles.
    pub articles: usize,
    /// Actors, places, tags, tracks used.
    pub actors: usize,
    /// Places used.
    pub places: usize,
    /// Tags used.
    pub tags: usize,
    /// Tracks used.
    pub tracks: usize,
    /// Events of importance 4 or 5.
    pub major: usize,
    /// The first entry's date.
    pub first: Option<DateView>,
    /// The last entry's date (its end, if it has one).
    pub last: Option<DateView>,
}

impl Counts {
    /// The counts of a chronology.
    pub fn new(chron: &Chronology) -> Counts {
        let events = chron
            .entries
            .iter()
            .filter(|e| e.kind == EntryKind::Event)
            .count();
        let n = chron.entries.len();
        Counts {
            entries: n,
            events,
            articles: n - events,
            actors: chron.actors.terms.len(),
            places: chron.places.terms.len(),
            tags: chron.tags.terms.len(),
            tracks: chron.tracks.terms.len(),
            major: (0..n)
                .into_par_iter()
                .filter_map(|p| chron.event(p))
                .filter(|e| e.importance >= 4)
                .count(),
            first: (n > 0).then(|| DateView::new(chron.dates(0).start())),
            last: n.checked_sub(1).map(|p| {
                let d = chron.dates(p);
                DateView::new(d.end().unwrap_or(d.start()))
            }),
        }
    }
}

/// The theme's words for `key` in the site's language (see [`crate::i18n`]).
pub fn words(
    chron: &Chronology,
    html: &CardHtml<'_>,
    key: &str,
    n: Option<usize>,
    args: &[(&str, String)],
) -> String {
    html.theme().translations().text_in(
        &chron.config.language,
        key,
        n.map(|n| n as i64),
        args,
        chron.config.arabic_digits,
    )
}

/// How many entries the "latest" strip shows.
pub const LATEST: usize = 5;

/// Year groups turned round, newest first: years, their months and their
/// entries (an era's band then closes its entries, read from the top). The
/// months' offsets are counted again from the top, for lazy layout.
pub fn newest_first(years: &mut [YearGroup]) {
    years.reverse();
    let mut offset = 0;
    for y in years.iter_mut() {
        y.months.reverse();
        for m in y.months.iter_mut() {
            m.entries.reverse();
            m.offset = offset;
            offset += m.entries.len();
        }
    }
}
