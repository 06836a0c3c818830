//! Which folder each entry page goes in. A site with at most `folder_limit`
//! events keeps every event page in `events/ID/` (and likewise articles in
//! `articles/SLUG/`), the URLs every small site has. Above the limit, a
//! kind's pages go in folders by the civil year of their start,
//! `events/2022/ID/`; a year with more than the limit is split by month
//! (`events/2022/03/ID/`), and a month with more by day
//! (`events/2022/03/14/ID/`). An entry dated less precisely than its
//! folder's split stays in the folder above (a month-only event of a year
//! split by day stays in `events/2022/03/`), so every folder but a single
//! day's holds at most about the limit.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::{Chronology, EntryKind};
use crate::date::Date;

/// The folder layout of both kinds of entry pages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Folders {
    events: Layout,
    articles: Layout,
}

/// The folder layout of one kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum Layout {
    /// Every page in the kind's folder.
    #[default]
    Flat,
    /// Folders by year; the years listed split by month, the months listed by day.
    Dated {
        months: HashSet<i32>,
        days: HashSet<(i32, u32)>,
    },
}

impl Folders {
    /// The layout of `chron`'s published entries under its `folder_limit`.
    pub fn of(chron: &Chronology) -> Folders {
        let limit = chron.config.folder_limit;
        let dates_of = |kind: EntryKind| {
            (0..chron.entries.len())
                .filter(move |&pos| chron.entries[pos].kind == kind)
                .map(move |pos| chron.dates(pos).start())
        };
        Folders {
            events: Layout::of(dates_of(EntryKind::Event), limit),
            articles: Layout::of(dates_of(EntryKind::Article), limit),
        }
    }

    /// Whether any entry page is in a dated folder.
    pub fn dated(&self) -> bool {
        self.events != Layout::Flat || self.articles != Layout::Flat
    }

    /// The output path of an entry page: `events/ID/` or a dated folder's.
    pub fn path(&self, kind: EntryKind, id: &str, date: &Date) -> String {
        let (folder, layout) = match kind {
            EntryKind::Event => ("events", &self.events),
            EntryKind::Article => ("articles", &self.articles),
        };
        let Layout::Dated { months, days } = layout else {
            return format!("{folder}/{id}/");
        };
        let year = date.year();
        let month = date.month().filter(|_| months.contains(&year));
        let day = month.and_then(|m| date.day().filter(|_| days.contains(&(year, m))));
        match (month, day) {
            (Some(m), Some(d)) => format!("{folder}/{year}/{m:02}/{d:02}/{id}/"),
            (Some(m), None) => format!("{folder}/{year}/{m:02}/{id}/"),
            _ => format!("{folder}/{year}/{id}/"),
        }
    }
}

impl Layout {
    /// Flat while at most `limit` dates, else by year, splitting the years
    /// and months that hold more than `limit`.
    fn of<'a>(dates: impl Iterator<Item = &'a Date> + Clone, limit: usize) -> Layout {
        if dates.clone().count() <= limit {
            return Layout::Flat;
        }
        let mut per_year: HashMap<i32, usize> = HashMap::new();
        for d in dates.clone() {
            *per_year.entry(d.year()).or_default() += 1;
        }
        let months: HashSet<i32> = per_year
            .into_iter()
            .filter(|&(_, n)| n > limit)
            .map(|(y, _)| y)
            .collect();
        let mut per_month: HashMap<(i32, u32), usize> = HashMap::new();
        for d in dates {
            if let Some(m) = d.month().filter(|_| months.contains(&d.year())) {
                *per_month.entry((d.year(), m)).or_default() += 1;
            }
        }
        let mut days = HashSet::with_capacity(per_month.len());
        days.extend(
            per_month
                .into_iter()
                .filter(|&(_, n)| n > limit)
                .map(|(k, _)| k),
        );
        Layout::Dated { months, days }
    }
}

/// The folders of an output (given by its sorted file paths) that hold more
/// than `limit` entries (files and folders), with how many, in path order.
/// Entry pages keep within the limit by themselves; this finds the others
/// (a timeline of very many pages in `page/`, tens of thousands of places).
pub fn crowded<S: AsRef<str>>(paths: &[S], limit: usize) -> Vec<(String, usize)> {
    let mut children: HashMap<&str, HashSet<&str>> = HashMap::new();
    for path in paths {
        let path = path.as_ref();
        let mut start = 0;
        while let Some(i) = path[start..].find('/') {
            let end = start + i;
            let parent = &path[..start];
            children
                .entry(parent)
                .or_default()
                .insert(&path[start..end]);
            start = end + 1;
        }
        children
            .entry(&path[..start])
            .or_default()
            .insert(&path[start..]);
    }
    let mut over: Vec<(String, usize)> = children
        .into_iter()
        .filter(|(_, c)| c.len() > limit)
        .map(|(folder, c)| (folder.to_string(), c.len()))
        .collect();
    over.sort();
    over
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        Date::parse(s, chrono_tz::UTC).expect("a date")
    }

    fn layout(dates: &[&str], limit: usize) -> (Layout, Vec<Date>) {
        let dates: Vec<Date> = dates.iter().map(|d| date(d)).collect();
        (Layout::of(dates.iter(), limit), dates)
    }

    fn folders(events: Layout) -> Folders {
        Folders {
            events,
            articles: Layout::Flat,
        }
    }

    #[test]
    fn small_sites_stay_flat() {
        let (l, d) = layout(&["2022-02-24", "2023-01-01"], 2);
        assert_eq!(l, Layout::Flat);
        assert_eq!(folders(l).path(EntryKind::Event, "a", &d[0]), "events/a/");
    }

    #[test]
    fn above_the_limit_by_year_then_month_then_day() {
        let (l, d) = layout(
            &[
                "2021",
                "2022-02-24",
                "2022-02-24",
                "2022-02-25",
                "2022-03",
                "2022",
                "2022-02",
            ],
            2,
        );
        let f = folders(l);
        let path = |i: usize| f.path(EntryKind::Event, "x", &d[i]);
        assert_eq!(path(0), "events/2021/x/");
        // 2022 holds six, February four: by day, and less precise dates above.
        assert_eq!(path(1), "events/2022/02/24/x/");
        assert_eq!(path(3), "events/2022/02/25/x/");
        assert_eq!(path(4), "events/2022/03/x/");
        assert_eq!(path(5), "events/2022/x/");
        assert_eq!(path(6), "events/2022/02/x/");
        assert_eq!(f.path(EntryKind::Article, "x", &d[1]), "articles/x/");
        assert!(f.dated());
    }

    #[test]
    fn crowded_folders_are_found_at_any_depth() {
        let paths = [
            "index.html",
            "page/2/index.html",
            "page/3/index.html",
            "page/4/index.html",
            "events/a/index.html",
            "events/b/index.html",
            "x.js",
        ];
        assert_eq!(
            crowded(&paths, 2),
            [("".to_string(), 4), ("page/".to_string(), 3)]
        );
        // The root holds index.html, page, events and x.js.
        assert_eq!(
            crowded(&paths, 3),
            [("".to_string(), 4)],
            "the root's four entries"
        );
        assert!(crowded(&paths, 4).is_empty());
    }
}
