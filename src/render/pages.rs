//! Every HTML page of the site: what to render, at which path, with which data.

use serde::Serialize;

use super::detail::{self, Neighbours, TermView};
use super::views::{
    EntryCard, EraView, LinkView, MonthGroup, PageLink, Pagination, TimelineItem, YearGroup,
};
use crate::chronology::{Chronology, EntryKind, Taxonomy};
use crate::markdown;

/// One page to render: its path, template and data.
pub struct PageJob {
    /// Path relative to the site root (`events/x/`; empty for the home page).
    pub path: String,
    /// The template's name.
    pub template: &'static str,
    /// Title, for `<title>` and headings.
    pub title: String,
    /// Description, for meta tags.
    pub description: String,
    /// Section name, for the navigation.
    pub section: &'static str,
    /// The page's own data, inserted beside `site`, `root` and `page`.
    pub data: Vec<(&'static str, tera::Value)>,
    /// Internal links written in its Markdown, with where they were written.
    pub links: Vec<(String, crate::source::Origin)>,
}

impl PageJob {
    fn new(path: String, template: &'static str, title: String, section: &'static str) -> PageJob {
        PageJob {
            path,
            template,
            title,
            description: String::new(),
            section,
            data: Vec::new(),
            links: Vec::new(),
        }
    }

    fn with<T: Serialize + ?Sized>(mut self, key: &'static str, value: &T) -> PageJob {
        self.data.push((key, tera::Value::from_serializable(value)));
        self
    }

    fn described(mut self, description: impl Into<String>) -> PageJob {
        self.description = description.into();
        self
    }
}

/// Shared inputs of page building: the chronology and every entry's card.
pub struct Pages<'a> {
    chron: &'a Chronology,
    cards: &'a [EntryCard],
    era_first: Vec<Option<usize>>,
}

impl<'a> Pages<'a> {
    /// Prepares page building.
    pub fn new(chron: &'a Chronology, cards: &'a [EntryCard]) -> Pages<'a> {
        let mut era_first = vec![None; chron.eras.len()];
        for (pos, era) in chron.era_of.iter().enumerate() {
            if let Some(i) = era
                && era_first[*i].is_none()
            {
                era_first[*i] = Some(pos);
            }
        }
        Pages {
            chron,
            cards,
            era_first,
        }
    }

    /// Every page of the site.
    pub fn all(&self) -> Vec<PageJob> {
        let mut jobs = self.timeline();
        jobs.extend((0..self.chron.entries.len()).map(|pos| self.entry(pos)));
        jobs.extend(self.archives());
        for (name, taxonomy) in [
            ("tags", &self.chron.tags),
            ("actors", &self.chron.actors),
            ("places", &self.chron.places),
            ("tracks", &self.chron.tracks),
        ] {
            jobs.extend(self.taxonomy(name, taxonomy));
        }
        jobs.extend(self.free_pages());
        jobs.push(PageJob::new(
            "404.html".to_string(),
            "404.html",
            "Page not found".to_string(),
            "404",
        ));
        jobs
    }

    /// Entries grouped by year and month; eras marked where they begin when `eras` is set.
    fn groups(&self, positions: &[usize], eras: bool) -> Vec<YearGroup> {
        let mut years: Vec<YearGroup> = Vec::new();
        for &pos in positions {
            let start = self.chron.dates(pos).start();
            let (year, month) = (start.year(), start.month().unwrap_or(0));
            if years.last().is_none_or(|y| y.year != year) {
                years.push(YearGroup {
                    year,
                    anchor: format!("y{year}"),
                    months: Vec::new(),
                });
            }
            let Some(y) = years.last_mut() else { continue };
            if y.months.last().is_none_or(|m| m.month != month) {
                y.months.push(MonthGroup {
                    month,
                    label: month_label(year, month),
                    anchor: month_anchor(year, month),
                    entries: Vec::new(),
                });
            }
            let era_start = eras
                .then(|| self.chron.era_of[pos])
                .flatten()
                .filter(|&i| self.era_first[i] == Some(pos))
                .map(|i| EraView::new(&self.chron.eras[i], self.chron.config.allow_raw_html));
            if let Some(m) = y.months.last_mut() {
                m.entries.push(TimelineItem {
                    card: self.cards[pos].clone(),
                    era_start,
                });
            }
        }
        years
    }

    fn timeline(&self) -> Vec<PageJob> {
        let n = self.chron.entries.len();
        let per_page = match self.chron.config.per_page {
            0 => n.max(1),
            p => p,
        };
        let positions: Vec<usize> = (0..n).collect();
        let chunks: Vec<&[usize]> = if n == 0 {
            vec![&[]]
        } else {
            positions.chunks(per_page).collect()
        };
        let total = chunks.len();
        let path_of = |i: usize| {
            if i == 0 {
                String::new()
            } else {
                format!("page/{}/", i + 1)
            }
        };
        let page_links: Vec<PageLink> = chunks
            .iter()
            .enumerate()
            .map(|(i, chunk)| PageLink {
                number: i + 1,
                path: path_of(i),
                current: false,
                label: self.span_label(chunk),
            })
            .collect();
        let eras: Vec<EraView> = self
            .chron
            .eras
            .iter()
            .map(|e| EraView::new(e, self.chron.config.allow_raw_html))
            .collect();
        let years = self.year_links();
        let counts = Counts::new(self.chron);
        chunks
            .iter()
            .enumerate()
            .map(|(i, chunk)| {
                let pagination = Pagination {
                    current: i + 1,
                    total,
                    prev: i.checked_sub(1).map(path_of),
                    next: (i + 1 < total).then(|| path_of(i + 1)),
                    pages: page_links
                        .iter()
                        .map(|p| PageLink {
                            current: p.number == i + 1,
                            ..p.clone()
                        })
                        .collect(),
                };
                // The era already under way when this page starts, if it began on an earlier page.
                let continuing = chunk.first().and_then(|&p| {
                    let era = self.chron.era_of[p]?;
                    (self.era_first[era] != Some(p)).then(|| eras[era].clone())
                });
                let title = if i == 0 {
                    "Timeline".to_string()
                } else {
                    format!("Timeline, page {} of {total}", i + 1)
                };
                PageJob::new(path_of(i), "timeline.html", title, "timeline")
                    .described(self.chron.config.description.clone())
                    .with("groups", &self.groups(chunk, true))
                    .with("pagination", &pagination)
                    .with("eras", &eras)
                    .with("continuing_era", &continuing)
                    .with("years", &years)
                    .with("counts", &counts)
            })
            .collect()
    }

    fn span_label(&self, positions: &[usize]) -> String {
        match (positions.first(), positions.last()) {
            (Some(&a), Some(&b)) => {
                let (a, b) = (self.chron.dates(a).start(), self.chron.dates(b).start());
                let (la, lb) = (
                    month_label(a.year(), a.month().unwrap_or(0)),
                    month_label(b.year(), b.month().unwrap_or(0)),
                );
                if la == lb {
                    la
                } else {
                    format!("{la} – {lb}")
                }
            }
            _ => String::new(),
        }
    }

    fn entry(&self, pos: usize) -> PageJob {
        let chron = self.chron;
        let card = &self.cards[pos];
        let nav = Neighbours::new(chron, self.cards, pos);
        match chron.entries[pos].kind {
            EntryKind::Event => {
                let event = &chron.events[chron.entries[pos].index];
                let (view, links) = detail::event_view(chron, self.cards, pos, event);
                let origin = event.origin.clone();
                let description = if card.excerpt.is_empty() {
                    format!("{}: {}", card.when.display, card.title)
                } else {
                    card.excerpt.clone()
                };
                let mut job =
                    PageJob::new(card.path.clone(), "event.html", card.title.clone(), "event")
                        .described(description)
                        .with("event", &view)
                        .with("nav", &nav);
                job.links = links.into_iter().map(|l| (l, origin.clone())).collect();
                job
            }
            EntryKind::Article => {
                let article = &chron.articles[chron.entries[pos].index];
                let (view, links) = detail::article_view(chron, self.cards, pos);
                let origin = article.origin.clone();
                let description = article.summary.clone().unwrap_or_else(|| {
                    markdown::excerpt(&markdown::plain_text(&article.body), 200)
                });
                let mut job = PageJob::new(
                    card.path.clone(),
                    "article.html",
                    card.title.clone(),
                    "article",
                )
                .described(description)
                .with("article", &view)
                .with("nav", &nav);
                job.links = links.into_iter().map(|l| (l, origin.clone())).collect();
                job
            }
        }
    }

    fn year_links(&self) -> Vec<YearLink> {
        self.chron
            .years
            .iter()
            .map(|(&year, months)| YearLink {
                year,
                path: format!("years/{year}/"),
                count: months.values().map(Vec::len).sum(),
                months: months
                    .iter()
                    .filter(|(m, _)| **m != 0)
                    .map(|(&m, entries)| {
                        LinkView::new(
                            month_label(year, m),
                            format!("years/{year}/{m:02}/"),
                            Some(entries.len()),
                        )
                    })
                    .collect(),
            })
            .collect()
    }

    fn archives(&self) -> Vec<PageJob> {
        let years = self.year_links();
        let mut jobs = vec![
            PageJob::new(
                "years/".to_string(),
                "years.html",
                "Archive by year".to_string(),
                "archive",
            )
            .described(format!(
                "{} entries by year and month",
                self.chron.entries.len()
            ))
            .with("years", &years),
        ];
        for (i, (year, months)) in self.chron.years.iter().enumerate() {
            let all: Vec<usize> = months.values().flatten().copied().collect();
            let archive = Archive {
                kind: "year",
                year: *year,
                month: None,
                title: year.to_string(),
                count: all.len(),
                prev: i.checked_sub(1).map(|j| link_of(&years[j])),
                next: years.get(i + 1).map(link_of),
                months: years[i].months.clone(),
            };
            jobs.push(
                PageJob::new(
                    format!("years/{year}/"),
                    "archive.html",
                    year.to_string(),
                    "archive",
                )
                .described(format!("{} entries in {year}", all.len()))
                .with("archive", &archive)
                .with("groups", &self.groups(&all, false)),
            );
            let month_list: Vec<(u32, &Vec<usize>)> = months
                .iter()
                .filter(|(m, _)| **m != 0)
                .map(|(m, e)| (*m, e))
                .collect();
            for (j, (month, entries)) in month_list.iter().enumerate() {
                let title = month_label(*year, *month);
                let neighbour = |k: usize| {
                    month_list.get(k).map(|(m, e)| {
                        LinkView::new(
                            month_label(*year, *m),
                            format!("years/{year}/{m:02}/"),
                            Some(e.len()),
                        )
                    })
                };
                let archive = Archive {
                    kind: "month",
                    year: *year,
                    month: Some(*month),
                    title: title.clone(),
                    count: entries.len(),
                    prev: j.checked_sub(1).and_then(neighbour),
                    next: neighbour(j + 1),
                    months: years[i].months.clone(),
                };
                jobs.push(
                    PageJob::new(
                        format!("years/{year}/{month:02}/"),
                        "archive.html",
                        title.clone(),
                        "archive",
                    )
                    .described(format!("{} entries in {title}", entries.len()))
                    .with("archive", &archive)
                    .with("groups", &self.groups(entries, false)),
                );
            }
        }
        jobs
    }

    fn taxonomy(&self, name: &'static str, taxonomy: &Taxonomy) -> Vec<PageJob> {
        let title = taxonomy_title(name);
        let terms: Vec<TermView> = taxonomy
            .terms
            .iter()
            .map(|t| detail::term_view(self.chron, name, t))
            .collect();
        let list = TaxonomyList {
            name,
            title: title.to_string(),
            count: terms.len(),
        };
        let mut jobs = vec![
            PageJob::new(
                format!("{name}/"),
                "taxonomy_list.html",
                title.to_string(),
                name,
            )
            .described(format!("{} {name}", terms.len()))
            .with("taxonomy", &list)
            .with("terms", &terms),
        ];
        for (term, view) in taxonomy.terms.iter().zip(&terms) {
            jobs.push(
                PageJob::new(
                    view.path.clone(),
                    "taxonomy_term.html",
                    format!("{} · {title}", view.name),
                    name,
                )
                .described(format!("{} entries: {}", view.count, view.span))
                .with("taxonomy", &list)
                .with("term", view)
                .with("groups", &self.groups(&term.entries, false)),
            );
        }
        jobs
    }

    fn free_pages(&self) -> Vec<PageJob> {
        self.chron
            .pages
            .iter()
            .map(|p| {
                let path = format!("{}/", p.slug.value);
                let rendered =
                    markdown::to_html(&p.body, &path, "../", self.chron.config.allow_raw_html);
                let description = p
                    .description
                    .clone()
                    .unwrap_or_else(|| markdown::excerpt(&markdown::plain_text(&p.body), 200));
                let content = FreePage {
                    title: p.title.clone(),
                    body_html: rendered.html,
                };
                let mut job = PageJob::new(path, "page.html", p.title.clone(), "page")
                    .described(description)
                    .with("content", &content);
                job.links = rendered
                    .internal_links
                    .into_iter()
                    .map(|l| (l, p.slug.origin.clone()))
                    .collect();
                job
            })
            .collect()
    }
}

/// "Tags", "Actors", ...
pub fn taxonomy_title(name: &str) -> &'static str {
    match name {
        "tags" => "Tags",
        "actors" => "Actors",
        "places" => "Places",
        _ => "Tracks",
    }
}

/// "February 2022", or "2022" for month 0.
pub fn month_label(year: i32, month: u32) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    match month {
        1..=12 => format!("{} {year}", MONTHS[month as usize - 1]),
        _ => year.to_string(),
    }
}

fn month_anchor(year: i32, month: u32) -> String {
    if month == 0 {
        format!("y{year}-all")
    } else {
        format!("y{year}-{month:02}")
    }
}

fn link_of(y: &YearLink) -> LinkView {
    LinkView::new(y.year.to_string(), y.path.clone(), Some(y.count))
}

/// A year in the archive navigation.
#[derive(Debug, Clone, Serialize)]
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

/// An archive page's header.
#[derive(Debug, Clone, Serialize)]
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
}

/// A taxonomy's name and size.
#[derive(Debug, Clone, Serialize)]
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
}

impl Counts {
    /// The counts of a chronology.
    pub fn new(chron: &Chronology) -> Counts {
        let events = chron
            .entries
            .iter()
            .filter(|e| e.kind == EntryKind::Event)
            .count();
        Counts {
            entries: chron.entries.len(),
            events,
            articles: chron.entries.len() - events,
            actors: chron.actors.terms.len(),
            places: chron.places.terms.len(),
            tags: chron.tags.terms.len(),
            tracks: chron.tracks.terms.len(),
        }
    }
}
