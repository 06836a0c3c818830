//! Every HTML page of the site: what to render, at which path, with which data.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use rayon::prelude::*;
use serde::Serialize;

use super::card_html::{self, CardHeading, CardHtml};
use super::detail::{self, Neighbours, TermView};
use super::fingerprint::{Fp, Sigs};
use super::views::{
    Cards, DateView, EraView, LinkView, MonthGroup, PageLink, Pagination, TrackView, YearGroup,
    track_link,
};
use crate::chronology::{Chronology, EntryKind, Taxonomy};
use crate::date_names::DateNames;
use crate::error::{Diagnostic, Span};
use crate::markdown;

/// The data of one page, built when the page is rendered (and dropped right
/// after), so that memory holds the data of a few pages at a time.
#[derive(Default)]
pub struct PageData {
    /// Values inserted beside `site`, `root` and `page`.
    pub data: Vec<(&'static str, tera::Value)>,
    /// Internal links written in its Markdown, with where they were written.
    pub links: Vec<(String, Span)>,
}

type Build<'a> = Box<dyn Fn() -> Result<PageData, Diagnostic> + Send + Sync + 'a>;

/// One page to render: its path, template and data.
pub struct PageJob<'a> {
    /// Path relative to the site root (`events/x/`; empty for the home page).
    pub path: Cow<'a, str>,
    /// The template's name.
    pub template: &'static str,
    /// Title, for `<title>` and headings.
    pub title: Cow<'a, str>,
    /// Description, for meta tags.
    pub description: Cow<'a, str>,
    /// Section name, for the navigation.
    pub section: &'static str,
    /// Small data known up front (shared values are not copied).
    data: Vec<(&'static str, tera::Value)>,
    /// A hash of what its data is built from, when the caller keeps pages
    /// between builds (0 otherwise); the fields above are added by the renderer.
    pub fingerprint: u64,
    /// About how many bytes it will make (lists grow with their entries).
    pub size_hint: usize,
    /// For an entry's page kept from the last build without being looked
    /// at again (see [`EntryPages`]): its key and fingerprint there.
    pub carried: Option<(u64, u64)>,
    /// For an entry's own page: the entry's position.
    pub entry: Option<usize>,
    /// Builds the rest of the data when the page is rendered.
    build: Option<Build<'a>>,
}

impl<'a> PageJob<'a> {
    // Entry pages borrow their path, title and description from the
    // entry's card: tens of thousands of pages wait to be rendered at once.
    fn new(
        path: impl Into<Cow<'a, str>>,
        template: &'static str,
        title: impl Into<Cow<'a, str>>,
        section: &'static str,
    ) -> PageJob<'a> {
        PageJob {
            path: path.into(),
            template,
            title: title.into(),
            description: Cow::Borrowed(""),
            section,
            data: Vec::new(),
            fingerprint: 0,
            size_hint: 16 * 1024,
            carried: None,
            entry: None,
            build: None,
        }
    }

    /// A page listing `entries` entries: its size grows with them.
    fn listing(mut self, entries: usize) -> PageJob<'a> {
        self.size_hint = 16 * 1024 + entries * 700;
        self
    }

    fn fingerprinted(mut self, fingerprint: u64) -> PageJob<'a> {
        self.fingerprint = fingerprint;
        self
    }

    fn with<T: Serialize + ?Sized>(self, key: &'static str, value: &T) -> PageJob<'a> {
        self.with_value(key, tera::Value::from_serializable(value))
    }

    fn with_value(mut self, key: &'static str, value: tera::Value) -> PageJob<'a> {
        self.data.push((key, value));
        self
    }

    fn described(mut self, description: impl Into<Cow<'a, str>>) -> PageJob<'a> {
        self.description = description.into();
        self
    }

    fn later(
        mut self,
        build: impl Fn() -> Result<PageData, Diagnostic> + Send + Sync + 'a,
    ) -> PageJob<'a> {
        self.build = Some(Box::new(build));
        self
    }

    /// The page's data (an error when a card cannot be rendered).
    pub fn data(&self) -> Result<PageData, Diagnostic> {
        let mut out = match &self.build {
            Some(build) => build()?,
            None => PageData::default(),
        };
        out.data.extend(self.data.iter().cloned());
        Ok(out)
    }
}

impl PageData {
    fn with<T: Serialize + ?Sized>(self, key: &'static str, value: &T) -> PageData {
        self.with_value(key, tera::Value::from_serializable(value))
    }

    fn with_value(mut self, key: &'static str, value: tera::Value) -> PageData {
        self.data.push((key, value));
        self
    }
}

/// Shared inputs of page building: the chronology and every entry's card.
pub struct Pages<'a> {
    chron: &'a Chronology,
    cards: &'a Cards,
    html: &'a CardHtml<'a>,
    era_first: Vec<Option<usize>>,
    /// The civil (year, month) each entry starts in (month 0: a year).
    civil: Vec<(i32, u32)>,
    /// The (year, month) each entry is listed under on the timeline.
    listed_in: Vec<(i32, u32)>,
    /// Whether each entry's title is one another entry has too: their
    /// pages' titles add the date.
    pub shared: Vec<bool>,
    /// Entry pages kept from the last build as they were, by position.
    carried: Vec<Option<(u64, u64)>>,
    /// Every era's view, rendered once for all pages.
    eras: Vec<EraView>,
    /// Signatures for fingerprints, when pages are kept between builds.
    sigs: Option<&'a Sigs>,
    /// With them, a signature of every tag, actor and place (slug, name and
    /// number of entries: what a link to it shows).
    term_sigs: [Vec<u64>; 3],
}

impl<'a> Pages<'a> {
    /// Prepares page building.
    pub fn new(
        chron: &'a Chronology,
        cards: &'a Cards,
        html: &'a CardHtml<'a>,
        sigs: Option<&'a Sigs>,
    ) -> Pages<'a> {
        let mut era_first = vec![None; chron.eras.len()];
        for (pos, era) in chron.era_of.iter().enumerate() {
            if let Some(i) = era
                && era_first[*i].is_none()
            {
                era_first[*i] = Some(pos);
            }
        }
        let civil: Vec<(i32, u32)> = (0..chron.entries.len())
            .map(|pos| civil_month(chron, pos))
            .collect();
        let mut listed_in: Vec<(i32, u32)> = Vec::with_capacity(civil.len());
        for &key in &civil {
            listed_in.push(listed_in.last().map_or(key, |&last| key.max(last)));
        }
        let mut seen: HashSet<&str> = HashSet::with_capacity(chron.entries.len());
        let shared_titles: HashSet<&str> = (0..chron.entries.len())
            .map(|pos| chron.title(pos))
            .filter(|t| !seen.insert(t))
            .collect();
        let shared = (0..chron.entries.len())
            .map(|pos| shared_titles.contains(chron.title(pos)))
            .collect();
        let eras = chron
            .eras
            .iter()
            .map(|e| EraView::new(e, chron.config.allow_raw_html))
            .collect();
        let sign = |t: &crate::chronology::Taxonomy| -> Vec<u64> {
            if sigs.is_none() {
                return Vec::new();
            }
            t.terms
                .iter()
                .map(|t| super::fingerprint::hash_of(&(&t.slug, &t.name, t.entries.len())))
                .collect()
        };
        let term_sigs = [sign(&chron.tags), sign(&chron.actors), sign(&chron.places)];
        Pages {
            chron,
            cards,
            html,
            era_first,
            civil,
            listed_in,
            shared,
            carried: Vec::new(),
            eras,
            sigs,
            term_sigs,
        }
    }

    /// The fingerprint of a page of this kind whose data `add` describes;
    /// 0 (and nothing computed) when pages are not kept.
    fn fingerprint(&self, kind: &str, add: impl FnOnce(Fp) -> Fp) -> u64 {
        match self.sigs {
            Some(sigs) => add(Fp::new(kind).with(&sigs.global)).finish(),
            None => 0,
        }
    }

    /// Adds the cards of these entries.
    fn with_cards(&self, mut fp: Fp, positions: impl IntoIterator<Item = usize>) -> Fp {
        for pos in positions {
            fp = fp.with(&self.cards.sig(pos));
        }
        fp
    }

    /// What an entry's own page shows of other entries and of the
    /// taxonomies: neighbours, linked and related entries, articles cited as
    /// sources, the link to its month's archive and to its terms (with their
    /// sizes). Built with the same functions as the page's data.
    fn entry_inputs(&self, mut fp: Fp, pos: usize) -> Fp {
        let chron = self.chron;
        fp = fp.with(&self.sigs.map(|s| s.entry[pos]));
        fp = self.with_cards(fp, detail::around(chron, pos));
        fp = self.with_cards(fp.with("links"), chron.links[pos].iter().copied());
        fp = self.with_cards(fp.with("related"), chron.related[pos].iter().copied());
        let (prev, next) = detail::track_neighbours(chron, pos);
        fp = self.with_cards(fp.with("track"), prev.into_iter().chain(next));
        // The month archive link: its label follows from the date, given
        // the site's month names (site-wide); its count is the month's size.
        let start = chron.dates(pos).start();
        let archive = chron.years.get(&start.year()).map(|y| match start.month() {
            Some(m) => y.get(&m).map_or(0, Vec::len),
            None => y.values().map(Vec::len).sum(),
        });
        fp = fp
            .with(&(start.year(), start.month(), archive))
            .with(&chron.era_of[pos]);
        // Term links: each term's slug, name and size, as signed in `new`.
        let taxonomies = [&chron.tags, &chron.actors, &chron.places];
        for (taxonomy, sigs) in taxonomies.into_iter().zip(&self.term_sigs) {
            let terms = taxonomy.entry_terms(pos);
            fp = fp.with(&terms.len());
            for &i in terms {
                fp = fp.with(&sigs.get(i as usize));
            }
        }
        for source in chron.event(pos).into_iter().flat_map(|e| &e.sources) {
            if let crate::content::Source::Article(slug) = source {
                fp = self.with_cards(fp.with("source"), chron.position(&slug.value));
            }
        }
        fp
    }

    /// Every page of the site, the largest lists first (so that no core is
    /// left alone with one at the end).
    pub fn all(&self) -> Vec<PageJob<'_>> {
        let mut jobs = self.timeline();
        jobs.par_extend(
            (0..self.chron.entries.len())
                .into_par_iter()
                .map(|pos| self.entry(pos)),
        );
        let taxonomies = [
            ("tags", &self.chron.tags),
            ("actors", &self.chron.actors),
            ("places", &self.chron.places),
            ("tracks", &self.chron.tracks),
        ];
        let (archives, taxonomy_jobs) = rayon::join(
            || self.archives(),
            || {
                taxonomies
                    .into_par_iter()
                    .map(|(name, taxonomy)| self.taxonomy(name, taxonomy))
                    .collect::<Vec<Vec<PageJob<'_>>>>()
            },
        );
        jobs.extend(archives);
        jobs.extend(taxonomy_jobs.into_iter().flatten());
        jobs.extend(self.free_pages());
        jobs.extend(self.map_page());
        jobs.push(
            PageJob::new(
                "404.html".to_string(),
                "404.html",
                "Page not found".to_string(),
                "404",
            )
            .fingerprinted(self.fingerprint("404", |f| f)),
        );
        jobs
    }

    /// Entries grouped by year and month; on the timeline (`timeline` set)
    /// with eras marked where they begin.
    ///
    /// Groups never go back in time: the chronology orders date-times as
    /// instants, so `2021-01-31T23:00:00-05:00` comes after the first
    /// entries of February in Kyiv; it is listed under February rather than
    /// opening a second January (and a duplicate anchor) after it.
    fn groups(
        &self,
        positions: &[usize],
        timeline: bool,
        root: &str,
    ) -> Result<Vec<YearGroup>, Diagnostic> {
        let mut years: Vec<YearGroup> = Vec::new();
        for (offset, &pos) in positions.iter().enumerate() {
            let last = years
                .last()
                .and_then(|y| y.months.last().map(|m| (y.year, m.month)));
            let key = if timeline {
                self.listed_in[pos]
            } else {
                self.civil[pos]
            };
            let (year, month) = last.map_or(key, |last| key.max(last));
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
                    label: month_label(self.chron.config.date_names, year, month),
                    anchor: month_anchor(year, month),
                    offset,
                    entries: Vec::new(),
                });
            }
            let era_start = timeline
                .then(|| self.chron.era_of[pos])
                .flatten()
                .filter(|&i| self.era_first[i] == Some(pos))
                .map(|i| tera::Value::from_serializable(&self.eras[i]));
            let item = match era_start {
                None => self.html.item(pos, root, CardHeading::H4)?,
                Some(era) => card_html::item(
                    self.cards.value(pos),
                    self.html.get(pos, root, CardHeading::H4)?,
                    Some(era),
                ),
            };
            if let Some(m) = y.months.last_mut() {
                m.entries.push(item);
            }
        }
        Ok(years)
    }

    fn timeline(&self) -> Vec<PageJob<'_>> {
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
        let eras = &self.eras;
        let mut era_counts = vec![0usize; eras.len()];
        for era in self.chron.era_of.iter().flatten() {
            era_counts[*era] += 1;
        }
        let page_of = |pos: usize| pos / per_page;
        let era_links: Vec<TimelineEra> = eras
            .iter()
            .enumerate()
            .map(|(i, era)| TimelineEra {
                era: era.clone(),
                page: self.era_first[i].map(|p| page_of(p) + 1),
                path: self.era_first[i].map(|p| path_of(page_of(p))),
                count: era_counts[i],
            })
            .collect();
        let years = self.year_links();
        let jump = self.jump_years(&|pos| (page_of(pos) + 1, path_of(page_of(pos))));
        let counts = Counts::new(self.chron);
        let tracks: Vec<TrackView> = self
            .chron
            .tracks
            .terms
            .iter()
            .map(|t| track_link(self.chron, &t.name))
            .collect();
        let shared = self.fingerprint("timeline", |f| {
            f.debug(&era_links)
                .debug(&years)
                .debug(&jump)
                .debug(&tracks)
                .debug(&counts)
        });
        // Shared by every timeline page: made into template values once.
        let (era_links, years, jump, tracks, counts) = (
            tera::Value::from_serializable(&era_links),
            tera::Value::from_serializable(&years),
            tera::Value::from_serializable(&jump),
            tera::Value::from_serializable(&tracks),
            tera::Value::from_serializable(&counts),
        );
        chunks
            .iter()
            .enumerate()
            .map(|(i, chunk)| {
                let range = (i * per_page)..(i * per_page + chunk.len());
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
                let fingerprint = self.fingerprint("timeline", |mut f| {
                    f = f.with(&shared).debug(&pagination).debug(&continuing);
                    for pos in range.clone() {
                        let era = self.chron.era_of[pos];
                        let starts = era.is_some_and(|i| self.era_first[i] == Some(pos));
                        f = f
                            .with(&self.cards.sig(pos))
                            .with(&self.listed_in[pos])
                            .with(&(era, starts));
                    }
                    f
                });
                PageJob::new(path_of(i), "timeline.html", title, "timeline")
                    .described(self.chron.config.description.clone())
                    .fingerprinted(fingerprint)
                    .listing(chunk.len())
                    .with("pagination", &pagination)
                    .with_value("eras", era_links.clone())
                    .with("continuing_era", &continuing)
                    .with_value("years", years.clone())
                    .with_value("jump", jump.clone())
                    .with_value("tracks", tracks.clone())
                    .with_value("counts", counts.clone())
                    .later(move || {
                        let positions: Vec<usize> = range.clone().collect();
                        let groups = self.groups(&positions, true, &super::root_of(&path_of(i)))?;
                        Ok(PageData::default().with("groups", &groups))
                    })
            })
            .collect()
    }

    fn span_label(&self, positions: &[usize]) -> String {
        match (positions.first(), positions.last()) {
            (Some(&a), Some(&b)) => {
                let (a, b) = (self.chron.dates(a).start(), self.chron.dates(b).start());
                let (la, lb) = (
                    month_label(
                        self.chron.config.date_names,
                        a.year(),
                        a.month().unwrap_or(0),
                    ),
                    month_label(
                        self.chron.config.date_names,
                        b.year(),
                        b.month().unwrap_or(0),
                    ),
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

    /// Takes the entry pages `carried` from the last build as they were:
    /// no job is prepared for them (see [`EntryPages::carried`]).
    pub fn carrying(mut self, carried: Vec<Option<(u64, u64)>>) -> Pages<'a> {
        self.carried = carried;
        self
    }

    fn entry(&self, pos: usize) -> PageJob<'_> {
        let card = self.cards.card(pos);
        let (template, section) = match self.chron.entries[pos].kind {
            EntryKind::Event => ("event.html", "event"),
            EntryKind::Article => ("article.html", "article"),
        };
        let mut job = match self.carried.get(pos).copied().flatten() {
            Some(carried) => {
                let mut job = PageJob::new(card.path.as_str(), template, "", section);
                job.carried = Some(carried);
                job
            }
            None => self.entry_job(pos, template, section),
        };
        job.entry = Some(pos);
        job
    }

    fn entry_job(&self, pos: usize, template: &'static str, section: &'static str) -> PageJob<'_> {
        let chron = self.chron;
        let card = self.cards.card(pos);
        // Two entries with one title still get pages with distinct titles.
        let title: Cow<'_, str> = if self.shared[pos] {
            format!("{} ({})", card.title, card.when.display).into()
        } else {
            card.title.as_str().into()
        };
        match chron.entries[pos].kind {
            EntryKind::Event => {
                let event = &chron.events[chron.entries[pos].index];
                let description: Cow<'_, str> = if card.excerpt.is_empty() {
                    format!("{}: {}", card.when.display, card.title).into()
                } else {
                    card.excerpt.as_str().into()
                };
                PageJob::new(card.path.as_str(), template, title, section)
                    .described(description)
                    .fingerprinted(self.fingerprint(section, |f| self.entry_inputs(f, pos)))
                    .later(move || {
                        let (view, links) =
                            detail::event_view(chron, self.html, &self.eras, pos, event)?;
                        let summary = event.origin.child(crate::yaml_locate::key("summary"));
                        // A block scalar (`summary: |`) starts on the line after its key.
                        let block = event.summary.as_deref().is_some_and(|s| s.contains('\n'));
                        let links = links
                            .into_iter()
                            .map(|(target, line)| {
                                let mut span = summary.span();
                                span.line = span.line.map(|l| l + line + usize::from(block));
                                span.column = None;
                                (target, span)
                            })
                            .collect();
                        Ok(PageData {
                            data: Vec::new(),
                            links,
                        }
                        .with_value("event", view.value(&self.cards.value(pos)))
                        .with("nav", &Neighbours::new(chron, self.cards, pos)))
                    })
            }
            EntryKind::Article => {
                let article = &chron.articles[chron.entries[pos].index];
                let description: Cow<'_, str> = match &article.summary {
                    Some(s) => s.as_str().into(),
                    None => markdown::excerpt(&markdown::plain_text(&article.body), 200).into(),
                };
                PageJob::new(card.path.as_str(), template, title, section)
                    .described(description)
                    .fingerprinted(self.fingerprint(section, |f| self.entry_inputs(f, pos)))
                    .later(move || {
                        let (view, links) =
                            detail::article_view(chron, self.cards, &self.eras, pos);
                        let links = links
                            .into_iter()
                            .map(|(target, line)| {
                                let span = Span {
                                    file: article.origin.file().to_path_buf(),
                                    line: Some(article.body_line + line),
                                    column: None,
                                };
                                (target, span)
                            })
                            .collect();
                        Ok(PageData {
                            data: Vec::new(),
                            links,
                        }
                        .with_value("article", view.value(&self.cards.value(pos)))
                        .with("nav", &Neighbours::new(chron, self.cards, pos)))
                    })
            }
        }
    }

    /// The year and month grid of the timeline's jump navigation; `locate`
    /// gives the page number and path of the page showing an entry.
    fn jump_years(&self, locate: &dyn Fn(usize) -> (usize, String)) -> Vec<JumpYear> {
        // (first position, count) of every month as the timeline lists it.
        let mut months: BTreeMap<(i32, u32), (usize, usize)> = BTreeMap::new();
        for (pos, key) in self.listed_in.iter().enumerate() {
            months.entry(*key).or_insert((pos, 0)).1 += 1;
        }
        let busiest = months
            .iter()
            .filter(|((_, m), _)| *m != 0)
            .map(|(_, (_, n))| *n)
            .max()
            .unwrap_or(1);
        let mut years: Vec<JumpYear> = Vec::new();
        for (&(year, month), &(first, count)) in &months {
            if years.last().is_none_or(|y| y.year != year) {
                let (page, path) = locate(first);
                years.push(JumpYear {
                    year,
                    count: 0,
                    page,
                    path,
                    anchor: format!("y{year}"),
                    months: (1..=12)
                        .map(|m| JumpMonth {
                            month: m,
                            name: month_label(self.chron.config.date_names, year, m),
                            letter: MONTH_LETTERS[m as usize - 1],
                            count: 0,
                            page: 0,
                            path: String::new(),
                            anchor: month_anchor(year, m),
                            heat: 0,
                        })
                        .collect(),
                });
            }
            let Some(y) = years.last_mut() else { continue };
            y.count += count;
            if month == 0 {
                continue;
            }
            let (page, path) = locate(first);
            let m = &mut y.months[month as usize - 1];
            m.count = count;
            m.page = page;
            m.path = path;
            m.heat = heat(count, busiest);
        }
        years
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
                            month_label(self.chron.config.date_names, year, m),
                            format!("years/{year}/{m:02}/"),
                            Some(entries.len()),
                        )
                    })
                    .collect(),
            })
            .collect()
    }

    fn archives(&self) -> Vec<PageJob<'_>> {
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
            .with("years", &years)
            .fingerprinted(self.fingerprint("years", |f| f.with(&years))),
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
                    format!("{year} · Archive"),
                    "archive",
                )
                .described(format!("{} entries in {year}", all.len()))
                .listing(all.len())
                .fingerprinted(self.fingerprint("archive", |f| {
                    self.with_cards(f.with(&archive), all.iter().copied())
                }))
                .later(move || {
                    let groups = self.groups(&all, false, "../../")?;
                    Ok(PageData::default()
                        .with("archive", &archive)
                        .with("groups", &groups))
                }),
            );
            let month_list: Vec<(u32, &Vec<usize>)> = months
                .iter()
                .filter(|(m, _)| **m != 0)
                .map(|(m, e)| (*m, e))
                .collect();
            for (j, (month, entries)) in month_list.iter().enumerate() {
                let entries: &Vec<usize> = entries;
                let title = month_label(self.chron.config.date_names, *year, *month);
                let neighbour = |k: usize| {
                    month_list.get(k).map(|(m, e)| {
                        LinkView::new(
                            month_label(self.chron.config.date_names, *year, *m),
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
                        format!("{title} · Archive"),
                        "archive",
                    )
                    .described(format!("{} entries in {title}", entries.len()))
                    .listing(entries.len())
                    .fingerprinted(self.fingerprint("archive", |f| {
                        self.with_cards(f.with(&archive), entries.iter().copied())
                    }))
                    .later(move || {
                        let groups = self.groups(entries, false, "../../../")?;
                        Ok(PageData::default()
                            .with("archive", &archive)
                            .with("groups", &groups))
                    }),
                );
            }
        }
        jobs
    }

    fn taxonomy<'s>(&'s self, name: &'static str, taxonomy: &'s Taxonomy) -> Vec<PageJob<'s>> {
        let title = taxonomy_title(name);
        let mut terms: Vec<TermView> = taxonomy
            .terms
            .par_iter()
            .map(|t| detail::term_view(self.chron, self.cards, name, t))
            .collect();
        let most = terms.iter().map(|t| t.count).max().unwrap_or(1).max(1);
        for term in &mut terms {
            term.share = (term.count * 100).div_ceil(most).min(100) as u8;
        }
        let list = TaxonomyList {
            name,
            title: title.to_string(),
            count: terms.len(),
        };
        // Term views hash alike when equal: one hash each, for the list's
        // fingerprint and for their own pages'.
        let sigs: Vec<u64> = match self.sigs {
            Some(_) => terms.par_iter().map(super::fingerprint::hash_of).collect(),
            None => Vec::new(),
        };
        let views = Arc::new(terms);
        let list_views = Arc::clone(&views);
        let mut jobs = vec![
            PageJob::new(
                format!("{name}/"),
                "taxonomy_list.html",
                title.to_string(),
                name,
            )
            .described(format!("{} {name}", views.len()))
            .with("taxonomy", &list)
            .fingerprinted(self.fingerprint("taxonomy", |f| f.with(&list).with(&sigs)))
            // Made into template values only if the page is rendered.
            .later(move || Ok(PageData::default().with("terms", &*list_views))),
        ];
        let mut names: HashMap<&str, usize> = HashMap::new();
        for term in views.iter() {
            *names.entry(term.name.as_str()).or_default() += 1;
        }
        let list_value = tera::Value::from_serializable(&list);
        let term_jobs: Vec<PageJob<'s>> = taxonomy
            .terms
            .par_iter()
            .zip(views.par_iter())
            .enumerate()
            .map(|(i, (term, view))| {
                // Two places called alike get distinct page titles.
                let page_title = if names.get(view.name.as_str()).is_some_and(|&n| n > 1) {
                    format!("{} ({}) · {title}", view.name, view.slug)
                } else {
                    format!("{} · {title}", view.name)
                };
                let term_path = view.path.clone();
                let (views, list_value) = (Arc::clone(&views), list_value.clone());
                PageJob::new(view.path.clone(), "taxonomy_term.html", page_title, name)
                    .described(format!("{} entries: {}", view.count, view.span))
                    .listing(term.entries.len())
                    .fingerprinted(self.fingerprint("term", |f| {
                        let f = f.with(&list).with(&sigs.get(i));
                        self.with_cards(f, term.entries.iter().copied())
                    }))
                    // Made into template values only if the page is rendered.
                    .later(move || {
                        let root = super::root_of(&term_path);
                        let groups = self.groups(&term.entries, false, &root)?;
                        Ok(PageData::default()
                            .with_value("taxonomy", list_value.clone())
                            .with("term", &views[i])
                            .with("groups", &groups))
                    })
            })
            .collect();
        jobs.extend(term_jobs);
        jobs
    }

    /// `map/`: every located entry on the base map, beside their cards
    /// (none when no entry is located).
    fn map_page(&self) -> Option<PageJob<'_>> {
        let map = crate::map::page::map_page(self.chron, self.cards)?;
        let positions: Vec<usize> = map.marks.iter().map(|m| m.pos).collect();
        let fingerprint = self.fingerprint("map", |f| {
            self.with_cards(f.debug(&map), positions.iter().copied())
        });
        let job = PageJob::new("map/", "map.html", "Map", "map")
            .described(format!("{} located entries on a map", map.marks.len()))
            .listing(positions.len())
            .with("map", &map)
            .fingerprinted(fingerprint)
            .later(move || {
                let cards = positions
                    .iter()
                    .map(|&pos| self.html.get(pos, "../", CardHeading::H3))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(PageData::default().with_value("cards", tera::Value::from(cards)))
            });
        Some(job)
    }

    fn free_pages(&self) -> Vec<PageJob<'_>> {
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
                let links = rendered
                    .internal_links
                    .into_iter()
                    .map(|(target, line)| {
                        let span = Span {
                            file: p.source.clone(),
                            line: Some(p.body_line + line),
                            column: None,
                        };
                        (target, span)
                    })
                    .collect::<Vec<(String, Span)>>();
                let fingerprint = self.fingerprint("page", |f| f.debug(&content).debug(&links));
                PageJob::new(path, "page.html", p.title.clone(), "page")
                    .described(description)
                    .with("content", &content)
                    .fingerprinted(fingerprint)
                    .later(move || {
                        Ok(PageData {
                            data: Vec::new(),
                            links: links.clone(),
                        })
                    })
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

/// "February 2022" in the site's language, or "2022" for month 0.
pub fn month_label(names: &DateNames, year: i32, month: u32) -> String {
    match month {
        1..=12 => names.month_year(month as usize - 1, year),
        _ => year.to_string(),
    }
}

/// The initials of the months, for the jump navigation's grid.
const MONTH_LETTERS: [&str; 12] = ["J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"];

/// 0 for an empty month, else 1 to 4 by its share of the busiest month
/// (square root, so that quiet months still show).
fn heat(count: usize, busiest: usize) -> u8 {
    if count == 0 {
        return 0;
    }
    let share = (count as f64 / busiest as f64).sqrt();
    (share * 4.0).ceil().clamp(1.0, 4.0) as u8
}

/// The civil (year, month) an entry starts in, month 0 for a year.
fn civil_month(chron: &Chronology, pos: usize) -> (i32, u32) {
    let start = chron.dates(pos).start();
    (start.year(), start.month().unwrap_or(0))
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
    pub letter: &'static str,
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
