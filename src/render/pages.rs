//! Which HTML pages the site has: one [`PageJob`] per page, with its path,
//! template and the way its data is built (the list pages' views are in
//! [`lists`](super::lists), the entry pages' in [`detail`](super::detail)).

use std::borrow::Cow;
use std::sync::Arc;

use foldhash::HashSet;

use rayon::prelude::*;

use super::card_html::{self, CardHeading, CardHtml};
use super::detail::{self, Neighbours, TermView};
use super::job::{PageData, PageJob};
use super::lists::{
    Archive, ArchivePart, Counts, FreePage, JumpMonth, JumpYear, LATEST, TaxonomyList, TimelineEra,
    YearLink, heat, link_of, month_anchor, month_letter, newest_first, taxonomy_title, words,
};
use super::views::{
    Cards, EraView, LinkView, MonthGroup, PageLink, Pagination, TrackView, YearGroup, month_label,
    track_link,
};
use crate::chronology::{Chronology, EntryKind, Taxonomy, Term};
use crate::error::{Diagnostic, Span};
use crate::markdown;

mod map;
mod terms;

/// The most entries one list page holds: `per_page: 0` puts the whole
/// timeline on one page up to this size, and a year with more entries has
/// a page that leads to its months instead of listing them all.
pub const ONE_PAGE_MAX: usize = 5_000;

/// The most entries a month's archive page holds; a busier month is cut
/// into parts (`years/2022/03/page/2/`, ...).
pub const PERIOD_PAGE_MAX: usize = 1_000;

/// A period's entries cut into parts of at most `size`: each part's path
/// (`base`, then `base` + `page/2/`, ...), its entries, and where it stands
/// among the others (none when there is one). No entries make one empty part.
fn cut_into_parts<'e>(
    base: &str,
    entries: &'e [usize],
    size: usize,
) -> Vec<(String, &'e [usize], Option<ArchivePart>)> {
    let parts: Vec<&[usize]> = if entries.is_empty() {
        vec![&[]]
    } else {
        entries.chunks(size.max(1)).collect()
    };
    let path = |k: usize| {
        if k == 0 {
            base.to_string()
        } else {
            format!("{base}page/{}/", k + 1)
        }
    };
    let link = |k: usize| LinkView::new(format!("{}", k + 1), path(k), Some(parts[k].len()));
    parts
        .iter()
        .enumerate()
        .map(|(k, part)| {
            let at = (parts.len() > 1).then(|| ArchivePart {
                current: k + 1,
                total: parts.len(),
                prev: k.checked_sub(1).map(link),
                next: (k + 1 < parts.len()).then(|| link(k + 1)),
            });
            (path(k), *part, at)
        })
        .collect()
}

/// Entries per timeline page of a site larger than [`ONE_PAGE_MAX`] whose
/// `per_page` is 0.
pub const LARGE_PER_PAGE: usize = 100;

/// Shared inputs of page building: the chronology and every entry's card.
pub struct Pages<'a> {
    chron: &'a Chronology,
    cards: &'a Cards,
    html: &'a CardHtml<'a>,
    era_first: Vec<Option<usize>>,
    /// The civil (year, month) each entry starts in (month 0: a year), and
    /// the (year, month) each is listed under on the timeline.
    months: Arc<Months>,
    /// Whether each entry's title is one another entry has too: their
    /// pages' titles add the date.
    pub shared: Vec<bool>,
    /// A hash of each entry's title (what `shared` was found from): a
    /// rebuild hashes again only the entries that changed.
    pub title_hashes: Vec<u64>,
    /// Every era's view, rendered once for all pages.
    eras: Vec<EraView>,
    /// The terms' views of the last render, for a rebuild of the same
    /// structure, theme and site ([`Pages::keeping_term_views`]).
    kept_views: Option<KeptViews<'a>>,
    /// Each taxonomy's terms' views as this render made them.
    pub term_views: std::sync::Mutex<Vec<TermViews>>,
}

/// Each entry's civil (year, month) (month 0: a year), and the one it is
/// listed under on the timeline.
pub type Months = (Vec<(i32, u32)>, Vec<(i32, u32)>);

/// What the last render of the same structure found of the entries'
/// titles and months, and this render's title hashes.
pub struct KeptTitles<'k> {
    /// Every entry's title hash now (the changed entries' hashed again).
    pub hashes: Vec<u64>,
    /// Every entry's title hash in the last render.
    pub last_hashes: &'k [u64],
    /// Whether each entry's title was shared in the last render.
    pub last_shared: &'k [bool],
    /// The positions of the entries that changed, sorted.
    pub changed: &'k [usize],
    /// The entries' months ([`Pages::months`]) of the last render.
    pub months: &'k Arc<Months>,
}

/// A taxonomy's name and its terms' views, in the taxonomy's order.
pub type TermViews = (&'static str, Arc<Vec<TermView>>);

/// The terms' views of an earlier render of the same structure, theme and
/// site, and which entries changed since.
pub struct KeptViews<'a> {
    /// Each taxonomy's terms' views, as that render made them.
    pub views: &'a [TermViews],
    /// The positions of the entries that changed since, sorted.
    pub changed: &'a [usize],
}

impl<'a> Pages<'a> {
    /// A rebuild's pages that take a term's view from `kept` when none of
    /// the term's entries changed: what a view holds is of its entries
    /// (their dates, kinds and figures), of the registries (the structure)
    /// and of the translation tables (the site).
    pub fn keeping_term_views(mut self, kept: KeptViews<'a>) -> Pages<'a> {
        self.kept_views = Some(kept);
        self
    }

    /// The view of `term` (at `index` of taxonomy `name`): the kept one
    /// when none of its entries changed (a term's entries are in
    /// chronology order), else made.
    pub(super) fn term_view(&self, name: &'static str, index: usize, term: &Term) -> TermView {
        let kept = self.kept_views.as_ref().and_then(|k| {
            let (_, views) = k.views.iter().find(|(n, _)| *n == name)?;
            let view = views.get(index).filter(|v| v.slug == term.slug)?;
            k.changed
                .iter()
                .all(|p| term.entries.binary_search(p).is_err())
                .then_some(view)
        });
        match kept {
            Some(view) => view.clone(),
            None => super::detail::term_view(self.chron, self.cards, name, term),
        }
    }

    /// Prepares page building.
    pub fn new(chron: &'a Chronology, cards: &'a Cards, html: &'a CardHtml<'a>) -> Pages<'a> {
        Pages::with_kept(chron, cards, html, None)
    }

    /// [`Pages::new`] for a rebuild, with what the last render of the same
    /// structure found (`kept`): the entries' months (their dates are of
    /// the structure), and whose titles are shared, looked at again only
    /// around the entries that changed.
    pub fn with_kept(
        chron: &'a Chronology,
        cards: &'a Cards,
        html: &'a CardHtml<'a>,
        kept: Option<KeptTitles<'_>>,
    ) -> Pages<'a> {
        let n = chron.entries.len();
        let kept = kept.filter(|k| {
            k.hashes.len() == n
                && k.last_hashes.len() == n
                && k.last_shared.len() == n
                && k.months.0.len() == n
        });
        let mut era_first = vec![None; chron.eras.len()];
        for (pos, era) in chron.era_of.iter().enumerate() {
            if let Some(i) = era
                && era_first[*i].is_none()
            {
                era_first[*i] = Some(pos);
            }
        }
        let Some(kept) = kept else {
            let (civil, (shared, title_hashes)) = rayon::join(
                || -> Vec<(i32, u32)> {
                    (0..n)
                        .into_par_iter()
                        .map(|pos| civil_month(chron, pos))
                        .collect()
                },
                || {
                    let hashes: Vec<u64> = (0..n)
                        .into_par_iter()
                        .map(|pos| title_hash(chron, pos))
                        .collect();
                    (shared_titles(chron, &hashes), hashes)
                },
            );
            let mut listed_in: Vec<(i32, u32)> = Vec::with_capacity(civil.len());
            for &key in &civil {
                listed_in.push(listed_in.last().map_or(key, |&last| key.max(last)));
            }
            let months = Arc::new((civil, listed_in));
            return Pages::made(chron, cards, html, era_first, months, shared, title_hashes);
        };
        let shared = shared_titles_again(chron, &kept);
        let months = Arc::clone(kept.months);
        Pages::made(chron, cards, html, era_first, months, shared, kept.hashes)
    }

    /// The entries' months: each's civil (year, month), and the one it is
    /// listed under on the timeline (shared with the next render).
    pub fn months(&self) -> &Arc<Months> {
        &self.months
    }

    fn made(
        chron: &'a Chronology,
        cards: &'a Cards,
        html: &'a CardHtml<'a>,
        era_first: Vec<Option<usize>>,
        months: Arc<Months>,
        shared: Vec<bool>,
        title_hashes: Vec<u64>,
    ) -> Pages<'a> {
        let eras = chron
            .eras
            .iter()
            .map(|e| {
                EraView::new(e, chron.config.allow_raw_html, |date| {
                    words(
                        chron,
                        html,
                        "era.since",
                        None,
                        &[("date", date.to_string())],
                    )
                })
            })
            .collect();
        Pages {
            chron,
            cards,
            html,
            era_first,
            months,
            shared,
            title_hashes,
            eras,
            kept_views: None,
            term_views: std::sync::Mutex::default(),
        }
    }

    /// The theme's words for `key` in the site's language.
    fn words(&self, key: &str, n: Option<usize>, args: &[(&str, String)]) -> String {
        words(self.chron, self.html, key, n, args)
    }

    /// The title of a page that may be a later part of its period: "Page 2
    /// of 4" added, so that no two pages share a title.
    fn part_title(&self, title: String, part: Option<&ArchivePart>) -> String {
        match part {
            Some(p) if p.current > 1 => {
                let which = self.words(
                    "pager.page",
                    None,
                    &[
                        ("current", p.current.to_string()),
                        ("total", p.total.to_string()),
                    ],
                );
                format!("{title} · {which}")
            }
            _ => title,
        }
    }

    /// Every page of the site, the largest lists first (so that no core is
    /// left alone with one at the end).
    pub fn all(&self) -> Vec<PageJob<'_>> {
        let (mut jobs, lists) = self.lists();
        jobs.par_extend(
            (0..self.chron.entries.len())
                .into_par_iter()
                .map(|pos| self.entry(pos)),
        );
        jobs.extend(lists);
        jobs
    }

    /// Every page but the entry pages, in two parts: the timeline's pages
    /// (which come before the entry pages in [`Pages::all`]) and the rest.
    /// A build makes each entry's job only when it renders the page
    /// ([`Pages::entry`]), so that jobs for every entry are never held at once.
    pub fn lists(&self) -> (Vec<PageJob<'_>>, Vec<PageJob<'_>>) {
        let timeline = self.timeline();
        let mut jobs = Vec::new();
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
        jobs.extend(self.map_pages());
        jobs.push(self.corrections_page());
        jobs.push(PageJob::new(
            "404.html".to_string(),
            "404.html",
            self.words("notfound.title", None, &[]),
            "404",
        ));
        (timeline, jobs)
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
                self.months.1[pos]
            } else {
                self.months.0[pos]
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
                    self.html.entry(pos),
                    self.html.get(pos, root, CardHeading::H4)?,
                    Some(era),
                ),
            };
            if let Some(m) = y.months.last_mut() {
                m.entries.push(item);
            }
        }
        if self.chron.config.newest_first {
            newest_first(&mut years);
        }
        Ok(years)
    }

    fn timeline(&self) -> Vec<PageJob<'_>> {
        let n = self.chron.entries.len();
        let large = n > ONE_PAGE_MAX;
        let per_page = match self.chron.config.per_page {
            0 if large => LARGE_PER_PAGE,
            0 => n.max(1),
            p => p,
        };
        // Newest first (`order: newest`, or a large site): the first page
        // holds the latest entries, so that the index shows the newest
        // period and the rest is a jump away.
        let newest = self.chron.config.newest_first || large;
        let positions: Vec<usize> = if newest {
            (0..n).rev().collect()
        } else {
            (0..n).collect()
        };
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
                gap: false,
            })
            .collect();
        let eras = &self.eras;
        let mut era_counts = vec![0usize; eras.len()];
        let mut era_entries: Vec<Vec<usize>> = vec![Vec::new(); eras.len()];
        for (pos, era) in self.chron.era_of.iter().enumerate() {
            if let Some(era) = era {
                era_counts[*era] += 1;
                era_entries[*era].push(pos);
            }
        }
        let page_of = |pos: usize| if newest { n - 1 - pos } else { pos } / per_page;
        let era_links: Vec<TimelineEra> = eras
            .iter()
            .enumerate()
            .map(|(i, era)| TimelineEra {
                era: era.clone(),
                page: self.era_first[i].map(|p| page_of(p) + 1),
                path: self.era_first[i].map(|p| path_of(page_of(p))),
                count: era_counts[i],
                totals: super::provenance::totals_of(
                    self.chron,
                    self.cards,
                    era_entries[i].iter().copied(),
                ),
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
            .flat_map(|(i, chunk)| {
                // Grouped in the chronology's order (groups() turns them round).
                let mut in_order: Vec<usize> = chunk.to_vec();
                in_order.sort_unstable();
                let pagination = Pagination {
                    current: i + 1,
                    total,
                    prev: i.checked_sub(1).map(path_of),
                    next: (i + 1 < total).then(|| path_of(i + 1)),
                    pages: Pagination::window(&page_links, i),
                };
                // The era already under way when this page starts, if it began on an earlier page.
                let continuing = chunk.first().and_then(|&p| {
                    let era = self.chron.era_of[p]?;
                    (self.era_first[era] != Some(p)).then(|| eras[era].clone())
                });
                let title = if i == 0 {
                    self.words("timeline.title", None, &[])
                } else {
                    self.words(
                        "timeline.page_title",
                        None,
                        &[
                            ("current", (i + 1).to_string()),
                            ("total", total.to_string()),
                        ],
                    )
                };
                // The first page is also the embeddable view (`embed/`): no
                // header, footer or finder, links open the full site.
                let paths: Vec<(String, &'static str)> = if i == 0 {
                    vec![(path_of(0), "timeline"), ("embed/".to_string(), "embed")]
                } else {
                    vec![(path_of(i), "timeline")]
                };
                paths
                    .into_iter()
                    .map(|(path, section)| {
                        let in_order = in_order.clone();
                        let root = super::root_of(&path);
                        PageJob::new(path, "timeline.html", title.clone(), section)
                            .described(self.chron.config.description.clone())
                            .listing(chunk.len())
                            .with("pagination", &pagination)
                            .with_value("eras", era_links.clone())
                            .with("continuing_era", &continuing)
                            .with_value("years", years.clone())
                            .with_value("jump", jump.clone())
                            .with_value("tracks", tracks.clone())
                            .with_value("counts", counts.clone())
                            .later(move || {
                                let groups = self.groups(&in_order, true, &root)?;
                                let mut data = PageData::default().with("groups", &groups);
                                if i == 0 && section == "timeline" {
                                    // The entries touched last.
                                    let latest = self
                                        .chron
                                        .latest(LATEST)
                                        .into_iter()
                                        .map(|p| self.html.item(p, &root, CardHeading::H3))
                                        .collect::<Result<Vec<_>, _>>()?;
                                    data = data.with("latest", &latest);
                                }
                                Ok(data)
                            })
                    })
                    .collect::<Vec<_>>()
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

    /// The page of the entry at `pos`.
    pub fn entry(&self, pos: usize) -> PageJob<'_> {
        let (template, section) = entry_template(self.chron.entries[pos].kind);
        self.entry_job(pos, template, section)
    }

    fn entry_job(&self, pos: usize, template: &'static str, section: &'static str) -> PageJob<'_> {
        let mut job = self.entry_job_in(pos, template, section);
        job.untranslated = self.chron.untranslated(pos);
        job
    }

    fn entry_job_in(
        &self,
        pos: usize,
        template: &'static str,
        section: &'static str,
    ) -> PageJob<'_> {
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
                let description: Cow<'_, str> = if let Some(warning) = &card.content_warning {
                    // What the warning covers stays out of previews too.
                    format!(
                        "{}: {} (content warning: {warning})",
                        card.when.display, card.title
                    )
                    .into()
                } else if card.excerpt.is_empty() {
                    format!("{}: {}", card.when.display, card.title).into()
                } else {
                    card.excerpt.as_str().into()
                };
                PageJob::new(card.path.as_str(), template, title, section)
                    .described(description)
                    .later(move || {
                        crate::reads::note(pos);
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
                // The body, when the description is made of it: read once
                // (again from its file, after a build let it go) and kept
                // for the page.
                let read = (article.summary.is_none() && card.content_warning.is_none())
                    .then(|| article.body());
                let description: Cow<'_, str> = match &article.summary {
                    _ if card.content_warning.is_some() => format!(
                        "{} (content warning: {})",
                        card.title,
                        card.content_warning.as_deref().unwrap_or_default()
                    )
                    .into(),
                    Some(s) => s.as_str().into(),
                    None => match &read {
                        Some(Ok(body)) => {
                            markdown::excerpt(&markdown::plain_text(body), 200).into()
                        }
                        // A body that can no longer be read fails the page itself.
                        _ => "".into(),
                    },
                };
                PageJob::new(card.path.as_str(), template, title, section)
                    .described(description)
                    .later(move || {
                        crate::reads::note(pos);
                        let body = match &read {
                            Some(Ok(body)) => Cow::Borrowed(&**body),
                            Some(Err(e)) => return Err(e.clone()),
                            None => article.body()?,
                        };
                        let (view, links) =
                            detail::article_view(chron, self.cards, &self.eras, pos, &body);
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
        // (first position, count) of every month as the timeline lists it:
        // runs, since the months the timeline lists entries under never go
        // back.
        let mut months: Vec<((i32, u32), (usize, usize))> = Vec::new();
        let mut first = 0;
        for run in self.months.1.chunk_by(|a, b| a == b) {
            months.push((run[0], (first, run.len())));
            first += run.len();
        }
        let busiest = months
            .iter()
            .filter(|((_, m), _)| *m != 0)
            .map(|(_, (_, n))| *n)
            .max()
            .unwrap_or(1);
        let mut years: Vec<JumpYear> = Vec::new();
        for &((year, month), (first, count)) in &months {
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
                            letter: month_letter(
                                self.chron.config.date_names.months[m as usize - 1],
                            ),
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
                self.words("archive.title", None, &[]),
                "archive",
            )
            .described(self.words("archive.description", Some(self.chron.entries.len()), &[]))
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
                totals: super::provenance::totals_of(self.chron, self.cards, all.iter().copied()),
                by_month: all.len() > ONE_PAGE_MAX && years[i].months.len() > 1,
                part: None,
            };
            jobs.push(
                PageJob::new(
                    format!("years/{year}/"),
                    "archive.html",
                    self.words("archive.year_title", None, &[("year", year.to_string())]),
                    "archive",
                )
                .described(self.words(
                    "archive.description_in",
                    Some(all.len()),
                    &[("when", year.to_string())],
                ))
                .listing(all.len())
                // By month, the year's page lists no entry but shows the
                // totals of all.
                .keyed(&archive.totals)
                .later(move || {
                    let listed: &[usize] = if archive.by_month { &[] } else { &all };
                    let groups = self.groups(listed, false, "../../")?;
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
                    totals: super::provenance::totals_of(
                        self.chron,
                        self.cards,
                        entries.iter().copied(),
                    ),
                    by_month: false,
                    part: None,
                };
                // A month of more than PERIOD_PAGE_MAX entries is cut
                // into parts: `years/2022/03/`, then `.../page/2/`, ...
                let base = format!("years/{year}/{month:02}/");
                for (path, part, at) in cut_into_parts(&base, entries, PERIOD_PAGE_MAX) {
                    let root = super::root_of(&path);
                    let mut archive = archive.clone();
                    archive.part = at;
                    let page_title = self.part_title(
                        self.words("archive.year_title", None, &[("year", title.clone())]),
                        archive.part.as_ref(),
                    );
                    jobs.push(
                        PageJob::new(path, "archive.html", page_title, "archive")
                            .described(self.words(
                                "archive.description_in",
                                Some(entries.len()),
                                &[("when", title.clone())],
                            ))
                            .listing(part.len())
                            // A part shows the totals of the whole month.
                            .keyed(&archive.totals)
                            .later(move || {
                                let groups = self.groups(part, false, &root)?;
                                Ok(PageData::default()
                                    .with("archive", &archive)
                                    .with("groups", &groups))
                            }),
                    );
                }
            }
        }
        jobs
    }

    /// `corrections/`: every correction of the site, newest first.
    fn corrections_page(&self) -> PageJob<'_> {
        let list = super::trust_data::site_corrections(self.chron);
        PageJob::new(
            "corrections/".to_string(),
            "corrections.html",
            self.words("nav.corrections", None, &[]),
            "corrections",
        )
        .described(self.words(
            "corrections.description",
            Some(list.len()),
            &[("site", self.chron.config.title.clone())],
        ))
        .with("corrections", &list)
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
                    methodology: self.chron.config.methodology.as_deref() == Some(&p.slug.value),
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
                PageJob::new(path, "page.html", p.title.clone(), "page")
                    .described(description)
                    .with("content", &content)
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

/// The civil (year, month) an entry starts in, month 0 for a year.
/// The template and section of an entry's page.
pub fn entry_template(kind: EntryKind) -> (&'static str, &'static str) {
    match kind {
        EntryKind::Event => ("event.html", "event"),
        EntryKind::Article => ("article.html", "article"),
    }
}

/// The hash of the title of the entry at `pos` ([`Pages::title_hashes`]).
pub fn title_hash(chron: &Chronology, pos: usize) -> u64 {
    crate::digest::hash_of(chron.title(pos))
}

/// Whether each entry's title is one another entry has too. Titles are
/// compared by a hash first, then, where two hashes meet, as written: a
/// large site's titles are hashed on every core and sorted as numbers, not
/// put in a set one by one.
fn shared_titles(chron: &Chronology, hashes: &[u64]) -> Vec<bool> {
    let mut sorted = hashes.to_vec();
    sorted.par_sort_unstable();
    let met: HashSet<u64> = sorted
        .windows(2)
        .filter(|pair| pair[0] == pair[1])
        .map(|pair| pair[0])
        .collect();
    let mut shared = vec![false; hashes.len()];
    if met.is_empty() {
        return shared;
    }
    let mut groups: foldhash::HashMap<u64, Vec<usize>> = foldhash::HashMap::default();
    for (pos, h) in hashes.iter().enumerate() {
        if met.contains(h) {
            groups.entry(*h).or_default().push(pos);
        }
    }
    mark_shared(chron, groups, &mut shared);
    shared
}

/// [`shared_titles`] after the entries at `kept.changed` changed: only the
/// entries whose title hash is one a changed entry had or has now can
/// have another answer (titles are compared as [`shared_titles`] does).
fn shared_titles_again(chron: &Chronology, kept: &KeptTitles<'_>) -> Vec<bool> {
    let mut touched: Vec<u64> = kept
        .changed
        .iter()
        .flat_map(|&p| [kept.last_hashes[p], kept.hashes[p]])
        .collect();
    touched.sort_unstable();
    touched.dedup();
    if touched.len() > 64 {
        return shared_titles(chron, &kept.hashes);
    }
    let mut shared = kept.last_shared.to_vec();
    let mut groups: foldhash::HashMap<u64, Vec<usize>> = foldhash::HashMap::default();
    for (pos, h) in kept.hashes.iter().enumerate() {
        if touched.binary_search(h).is_ok() {
            shared[pos] = false;
            groups.entry(*h).or_default().push(pos);
        }
    }
    mark_shared(chron, groups, &mut shared);
    shared
}

/// Marks the entries of each group (entries whose titles have one hash)
/// that share their title as written with another of the group.
fn mark_shared(
    chron: &Chronology,
    mut groups: foldhash::HashMap<u64, Vec<usize>>,
    shared: &mut [bool],
) {
    for group in groups.values_mut() {
        group.sort_by(|&a, &b| chron.title(a).cmp(chron.title(b)));
        for run in group.chunk_by(|&a, &b| chron.title(a) == chron.title(b)) {
            if run.len() > 1 {
                for &pos in run {
                    shared[pos] = true;
                }
            }
        }
    }
}

fn civil_month(chron: &Chronology, pos: usize) -> (i32, u32) {
    let start = chron.dates(pos).start();
    (start.year(), start.month().unwrap_or(0))
}
