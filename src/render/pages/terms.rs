//! The pages of the taxonomies (tags, actors, places, tracks): each one's
//! list, and a page per term. A term with more entries than `term_page_max`
//! has its own page show its newest month and a jump navigation to a page
//! per year (`tracks/military/2022/`), and a year with more than the limit
//! leads to a page per month (`.../2022/03/`, cut into parts of at most
//! [`PERIOD_PAGE_MAX`] like the archive's months). A term within the limit
//! keeps its one page. The split itself (`split_by_period`: the calendar,
//! the jump navigation, the parts) serves the map's pages too
//! (`pages/map.rs`).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;

use super::{
    JumpMonth, JumpYear, PERIOD_PAGE_MAX, Pages, Taxonomy, TaxonomyList, cut_into_parts, heat,
    month_anchor, month_letter, taxonomy_title,
};
use crate::render::detail::TermView;
use crate::render::job::{PageData, PageJob};
use crate::render::lists::ArchivePart;
use crate::render::views::{LinkView, month_label};

/// The period a page of a split term shows, as `taxonomy_term.html`
/// receives it (`period`; none on the page of a term within the limit).
#[derive(Debug, Clone, Serialize)]
pub struct TermPeriod {
    /// `term` (the term's own page, showing its newest month), `year` or `month`.
    pub kind: &'static str,
    /// The period shown: "2022", "March 2022".
    pub title: String,
    /// Its page (on the term's own page: the newest month's or year's page).
    pub path: String,
    /// Its entries (all of them, when its page is cut into parts).
    pub count: usize,
    /// Its year.
    pub year: i32,
    /// The term's years with their months, each linking its page.
    pub years: Vec<JumpYear>,
    /// The periods before and after (years on a year's page, months on a
    /// month's).
    pub prev: Option<LinkView>,
    pub next: Option<LinkView>,
    /// A year with more than the limit: its months' pages.
    pub months: Vec<LinkView>,
    /// Which part of its period this page is, when cut into parts.
    pub part: Option<ArchivePart>,
}

impl TermPeriod {
    /// The period as a page receives it: with the jump navigation's years,
    /// which every page of a split list shares until it is rendered.
    pub(super) fn with_years(&self, years: &[JumpYear]) -> TermPeriod {
        TermPeriod {
            years: years.to_vec(),
            ..self.clone()
        }
    }
}

/// A term's entries by civil year and month (0: a date of a year only).
type Calendar = BTreeMap<i32, BTreeMap<u32, Vec<usize>>>;

/// A list split by period (a term's entries, or the map's): its entries by
/// civil year and month, where its pages are, and the most one page lists.
pub(super) struct Split {
    /// The list's own page path (`tracks/military/`, `map/`).
    base: String,
    calendar: Calendar,
    limit: usize,
}

impl Split {
    fn year_path(&self, year: i32) -> String {
        format!("{}{year}/", self.base)
    }

    fn month_path(&self, year: i32, month: u32) -> String {
        format!("{}{year}/{month:02}/", self.base)
    }

    /// Whether `year` has a page per month.
    fn by_month(&self, year: i32) -> bool {
        self.calendar.get(&year).is_some_and(|months| {
            months.values().map(Vec::len).sum::<usize>() > self.limit
                && months.keys().any(|&m| m != 0)
        })
    }
}

/// Makes one page of a split list: its path, the period it shows (its
/// `years` left empty), the entries it lists, and the years of the jump
/// navigation (one copy shared by every page, put in `period` when the
/// page is rendered).
pub(super) type PeriodPage<'m, 's> =
    dyn Fn(String, TermPeriod, &[usize], &Arc<Vec<JumpYear>>) -> PageJob<'s> + Sync + 'm;

/// What every page of one split term shares besides its periods.
struct Term {
    title: String,
    description: String,
    taxonomy: tera::Value,
    views: Arc<Vec<TermView>>,
    index: usize,
    section: &'static str,
}

impl<'a> Pages<'a> {
    /// A taxonomy's list page and its terms' pages.
    pub(super) fn taxonomy<'s>(
        &'s self,
        name: &'static str,
        taxonomy: &'s Taxonomy,
    ) -> Vec<PageJob<'s>> {
        let title = self.words(taxonomy_title(name), None, &[]);
        let title = title.as_str();
        let mut terms: Vec<TermView> = taxonomy
            .terms
            .par_iter()
            .enumerate()
            .map(|(i, t)| self.term_view(name, i, t))
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
        let views = Arc::new(terms);
        if let Ok(mut made) = self.term_views.lock() {
            made.push((name, Arc::clone(&views)));
        }
        let list_views = Arc::clone(&views);
        let mut jobs = vec![
            PageJob::new(
                format!("{name}/"),
                "taxonomy_list.html",
                title.to_string(),
                name,
            )
            .described(self.words(&format!("count.{name}"), Some(views.len()), &[]))
            .with("taxonomy", &list)
            // Its terms' views hold the totals of entries it does not read.
            .keyed(&views.iter().map(|v| &v.totals).collect::<Vec<_>>())
            // Made into template values only if the page is rendered.
            .later(move || Ok(PageData::default().with("terms", &*list_views))),
        ];
        let mut names: HashMap<&str, usize> = HashMap::new();
        for term in views.iter() {
            *names.entry(term.name.as_str()).or_default() += 1;
        }
        let list_value = tera::Value::from_serializable(&list);
        let limit = self.chron.config.term_page_max;
        let term_jobs: Vec<PageJob<'s>> = taxonomy
            .terms
            .par_iter()
            .zip(views.par_iter())
            .enumerate()
            .flat_map_iter(|(i, (term, view))| {
                // Two places called alike get distinct page titles.
                let page_title = if names.get(view.name.as_str()).is_some_and(|&n| n > 1) {
                    format!("{} ({}) · {title}", view.name, view.slug)
                } else {
                    format!("{} · {title}", view.name)
                };
                let description = self.words(
                    "taxonomy.description",
                    Some(view.count),
                    &[("span", view.span.clone())],
                );
                let (views, list_value) = (Arc::clone(&views), list_value.clone());
                if term.entries.len() > limit {
                    // Too many for one page: a page per year (and month).
                    return self.split_term(
                        name,
                        &term.entries,
                        views,
                        i,
                        list_value,
                        page_title,
                        description,
                    );
                }
                let term_path = view.path.clone();
                vec![
                    PageJob::new(view.path.clone(), "taxonomy_term.html", page_title, name)
                        .described(description)
                        .listing(term.entries.len())
                        // Made into template values only if the page is rendered.
                        .later(move || {
                            let root = crate::render::root_of(&term_path);
                            let groups = self.groups(&term.entries, false, &root)?;
                            Ok(PageData::default()
                                .with_value("taxonomy", list_value.clone())
                                .with("term", &views[i])
                                .with("groups", &groups))
                        }),
                ]
            })
            .collect();
        jobs.extend(term_jobs);
        jobs
    }

    /// The pages of the term at `index` of `views`, which has more entries
    /// than `term_page_max`: its own page, a page per year, and per month
    /// of a year over the limit.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn split_term<'s>(
        &'s self,
        section: &'static str,
        entries: &'s [usize],
        views: Arc<Vec<TermView>>,
        index: usize,
        taxonomy: tera::Value,
        title: String,
        description: String,
    ) -> Vec<PageJob<'s>> {
        let base = views[index].path.clone();
        let term = Arc::new(Term {
            title,
            description,
            taxonomy,
            views,
            index,
            section,
        });
        let limit = self.chron.config.term_page_max;
        self.split_by_period(
            base,
            entries,
            limit,
            true,
            &|path, period, listed, years| self.term_job(&term, path, period, listed, years),
        )
    }

    /// The pages of a list of more than `limit` entries (positions, in
    /// chronology order) whose own page is at `base`: that page, showing
    /// the newest month (or the newest year's entries of a year-only date,
    /// the newest part of a busy month), a page per year, and per month of
    /// a year over the limit, each made by `page`. With `anchored`, the
    /// jump navigation's months link their place on a year's page (its
    /// month groups' anchors); else the page alone.
    pub(super) fn split_by_period<'s>(
        &'s self,
        base: String,
        entries: &[usize],
        limit: usize,
        anchored: bool,
        page: &PeriodPage<'_, 's>,
    ) -> Vec<PageJob<'s>> {
        // Entries come in the chronology's order, whose months mostly follow
        // one another: each run of one month is put in at once.
        let mut calendar: Calendar = BTreeMap::new();
        for run in entries.chunk_by(|&a, &b| self.months.0[a] == self.months.0[b]) {
            let (year, month) = self.months.0[run[0]];
            calendar
                .entry(year)
                .or_default()
                .entry(month)
                .or_default()
                .extend_from_slice(run);
        }
        let split = Split {
            base,
            calendar,
            limit: limit.max(1),
        };
        let years = Arc::new(self.period_jump(&split, anchored));
        let mut jobs = Vec::new();
        let newest_year = split.calendar.keys().next_back().copied().unwrap_or(0);
        let newest_months = split.calendar.get(&newest_year);
        let (month, listed) = newest_months
            .and_then(|m| m.iter().next_back())
            .map_or((0, &[][..]), |(m, e)| (*m, e.as_slice()));
        let chunk = split.limit.min(PERIOD_PAGE_MAX);
        let newest_part = listed.len().saturating_sub(1) / chunk * chunk;
        let (period_title, period_path) = if month == 0 || !split.by_month(newest_year) {
            (newest_year.to_string(), split.year_path(newest_year))
        } else {
            (
                month_label(self.chron.config.date_names, newest_year, month),
                split.month_path(newest_year, month),
            )
        };
        let shown = &listed[newest_part.min(listed.len())..];
        jobs.push(page(
            split.base.clone(),
            TermPeriod {
                kind: "term",
                title: period_title,
                path: period_path,
                count: listed.len(),
                year: newest_year,
                years: Vec::new(),
                prev: None,
                next: None,
                months: Vec::new(),
                part: None,
            },
            shown,
            &years,
        ));
        let year_list: Vec<i32> = split.calendar.keys().copied().collect();
        for (i, &year) in year_list.iter().enumerate() {
            let months = &split.calendar[&year];
            let count: usize = months.values().map(Vec::len).sum();
            let link = |y: i32| {
                let n = split.calendar[&y].values().map(Vec::len).sum();
                LinkView::new(y.to_string(), split.year_path(y), Some(n))
            };
            let by_month = split.by_month(year);
            let month_links: Vec<LinkView> = months
                .iter()
                .filter(|(m, _)| by_month && **m != 0)
                .map(|(m, e)| {
                    LinkView::new(
                        month_label(self.chron.config.date_names, year, *m),
                        split.month_path(year, *m),
                        Some(e.len()),
                    )
                })
                .collect();
            let period = TermPeriod {
                kind: "year",
                title: year.to_string(),
                path: split.year_path(year),
                count,
                year,
                years: Vec::new(),
                prev: i.checked_sub(1).map(|j| link(year_list[j])),
                next: year_list.get(i + 1).map(|&y| link(y)),
                months: month_links.clone(),
                part: None,
            };
            if by_month {
                // The year's page lists its months, and the entries dated
                // by the year alone.
                let undated: &[usize] = months.get(&0).map_or(&[], Vec::as_slice);
                let year_path = split.year_path(year);
                jobs.extend(period_parts(
                    &split, year_path, period, undated, page, &years,
                ));
                let month_list: Vec<(&u32, &Vec<usize>)> =
                    months.iter().filter(|(m, _)| **m != 0).collect();
                for (j, &(&m, listed)) in month_list.iter().enumerate() {
                    let period = TermPeriod {
                        kind: "month",
                        title: month_label(self.chron.config.date_names, year, m),
                        path: split.month_path(year, m),
                        count: listed.len(),
                        year,
                        years: Vec::new(),
                        prev: j.checked_sub(1).map(|k| month_links[k].clone()),
                        next: month_links.get(j + 1).cloned(),
                        months: month_links.clone(),
                        part: None,
                    };
                    let month_path = split.month_path(year, m);
                    jobs.extend(period_parts(
                        &split, month_path, period, listed, page, &years,
                    ));
                }
            } else {
                let mut all: Vec<usize> = months.values().flatten().copied().collect();
                all.sort_unstable();
                jobs.push(page(split.year_path(year), period, &all, &years));
            }
        }
        jobs
    }

    /// One page of a split term, listing `listed`.
    fn term_job<'s>(
        &'s self,
        term: &Arc<Term>,
        path: String,
        period: TermPeriod,
        listed: &[usize],
        years: &Arc<Vec<JumpYear>>,
    ) -> PageJob<'s> {
        let title = if period.kind == "term" {
            term.title.clone()
        } else {
            format!("{} · {}", period.title, term.title)
        };
        let title = self.part_title(title, period.part.as_ref());
        let listed = listed.to_vec();
        let (term, years) = (Arc::clone(term), Arc::clone(years));
        PageJob::new(path.clone(), "taxonomy_term.html", title, term.section)
            .described(term.description.clone())
            .listing(listed.len())
            // A period's page shows the totals of the whole term.
            .keyed(&term.views[term.index].totals)
            .later(move || {
                let root = crate::render::root_of(&path);
                let groups = self.groups(&listed, false, &root)?;
                let period = period.with_years(&years);
                Ok(PageData::default()
                    .with_value("taxonomy", term.taxonomy.clone())
                    .with("term", &term.views[term.index])
                    .with("period", &period)
                    .with("groups", &groups))
            })
    }

    /// A split list's years and months for its jump navigation: a year
    /// links its page, a month its page or its place on the year's page.
    fn period_jump(&self, split: &Split, anchored: bool) -> Vec<JumpYear> {
        let busiest = split
            .calendar
            .values()
            .flat_map(|m| m.iter().filter(|(m, _)| **m != 0).map(|(_, e)| e.len()))
            .max()
            .unwrap_or(1);
        split
            .calendar
            .iter()
            .map(|(&year, months)| {
                let by_month = split.by_month(year);
                JumpYear {
                    year,
                    count: months.values().map(Vec::len).sum(),
                    page: 0,
                    path: split.year_path(year),
                    anchor: format!("y{year}"),
                    months: (1..=12)
                        .map(|m| {
                            let count = months.get(&m).map_or(0, Vec::len);
                            JumpMonth {
                                month: m,
                                name: month_label(self.chron.config.date_names, year, m),
                                letter: month_letter(
                                    self.chron.config.date_names.months[m as usize - 1],
                                ),
                                count,
                                page: 0,
                                path: if count == 0 {
                                    String::new()
                                } else if by_month {
                                    split.month_path(year, m)
                                } else {
                                    split.year_path(year)
                                },
                                anchor: if anchored {
                                    month_anchor(year, m)
                                } else {
                                    String::new()
                                },
                                heat: heat(count, busiest),
                            }
                        })
                        .collect(),
                }
            })
            .collect()
    }
}

/// A period's pages: one, or parts of at most [`PERIOD_PAGE_MAX`] (and the
/// limit) entries (`.../page/2/`, ...), each made by `page`.
fn period_parts<'s>(
    split: &Split,
    base: String,
    period: TermPeriod,
    listed: &[usize],
    page: &PeriodPage<'_, 's>,
    years: &Arc<Vec<JumpYear>>,
) -> Vec<PageJob<'s>> {
    let size = split.limit.clamp(1, PERIOD_PAGE_MAX);
    cut_into_parts(&base, listed, size)
        .into_iter()
        .map(|(path, part, at)| {
            let period = TermPeriod {
                part: at,
                ..period.clone()
            };
            page(path, period, part, years)
        })
        .collect()
}
