//! Properties over generated input (proptest): dates read back what their
//! display and machine forms say, the chronology order is a total order, and
//! a site's chronology is the same whatever order its files are read in.

use std::cmp::Ordering;
use std::path::PathBuf;

use annals::chronology;
use annals::config::Config;
use annals::content::Content;
use annals::content::event::parse_events_file;
use annals::date::{Date, DateRange, DateStyle, Precision, chronological};
use annals::date_names::{self, DateNames};
use annals::error::Diagnostics;
use annals::source::{SourceFile, YamlSource};
use chrono_tz::Tz;
use proptest::prelude::*;

/// Zones with clock changes (some at midnight), odd offsets, and UTC.
const ZONES: [Tz; 6] = [
    chrono_tz::UTC,
    chrono_tz::Europe::Kyiv,
    chrono_tz::America::Santiago,
    chrono_tz::Asia::Kathmandu,
    chrono_tz::Pacific::Apia,
    chrono_tz::America::St_Johns,
];
const LANGUAGES: [&str; 8] = ["en", "uk", "ru", "de", "fr", "es", "pl", "ar"];

/// A date as a curator writes it, with what it should read as.
#[derive(Debug, Clone)]
struct Written {
    text: String,
    precision: Precision,
    marker: &'static str,
    year: i32,
    month: u32,
    day: u32,
    time: (u32, u32, u32),
    offset: Option<i32>,
}

fn days_in(year: i32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn written() -> impl Strategy<Value = Written> {
    let year = prop_oneof![4 => 1900..2100i32, 1 => 1..=9999i32];
    let time = (0..24u32, 0..60u32, 0..60u32);
    // Offsets in minutes, within ±14:00.
    let offset = prop_oneof![
        2 => Just(None),
        1 => (-14 * 60..=14 * 60i32).prop_map(Some),
    ];
    let marker = prop::sample::select(vec!["", "", "", "~", "?", "%"]);
    (
        year,
        1..=12u32,
        1..=31u32,
        0..5usize,
        time,
        offset,
        any::<bool>(),
        marker,
    )
        .prop_map(|(year, month, day, p, time, offset, t, marker)| {
            let day = day.min(days_in(year, month));
            let precision = [
                Precision::Year,
                Precision::Month,
                Precision::Day,
                Precision::Minute,
                Precision::Second,
            ][p];
            let mut text = format!("{year:04}");
            if precision >= Precision::Month {
                text += &format!("-{month:02}");
            }
            if precision >= Precision::Day {
                text += &format!("-{day:02}");
            }
            let offset = offset.filter(|_| precision >= Precision::Minute);
            if precision >= Precision::Minute {
                text += &format!("{}{:02}:{:02}", if t { 'T' } else { ' ' }, time.0, time.1);
            }
            if precision == Precision::Second {
                text += &format!(":{:02}", time.2);
            }
            match offset {
                Some(0) if t => text.push('Z'),
                Some(o) => {
                    let sign = if o < 0 { '-' } else { '+' };
                    text += &format!("{sign}{:02}:{:02}", o.abs() / 60, o.abs() % 60);
                }
                None => {}
            }
            text += marker;
            Written {
                text,
                precision,
                marker,
                year,
                month,
                day,
                time,
                offset,
            }
        })
}

fn style() -> impl Strategy<Value = DateStyle> {
    (
        prop::sample::select(&ZONES[..]),
        prop::sample::select(&LANGUAGES[..]),
    )
        .prop_map(|(tz, l)| DateStyle {
            tz,
            names: date_names::for_language(l).unwrap(),
        })
}

/// What `display` shows for a date written as `w`, markers aside, when the
/// time exists as written.
fn expected_plain(w: &Written, names: &DateNames) -> String {
    let m0 = (w.month - 1) as usize;
    match w.precision {
        Precision::Year => w.year.to_string(),
        Precision::Month => names.month_year(m0, w.year),
        Precision::Day => names.day_month_year(w.day, m0, w.year),
        Precision::Minute => format!(
            "{}{}{:02}:{:02}",
            names.day_month_year(w.day, m0, w.year),
            names.time_joiner,
            w.time.0,
            w.time.1
        ),
        Precision::Second => format!(
            "{}{}{:02}:{:02}:{:02}",
            names.day_month_year(w.day, m0, w.year),
            names.time_joiner,
            w.time.0,
            w.time.1,
            w.time.2
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Every well-formed date parses, keeps what was written, shows its parts
    /// in the site's language, and its machine form reads back as the same
    /// period start.
    #[test]
    fn dates_round_trip_through_display_and_machine_form(w in written(), style in style()) {
        let padded = format!("  {}\t", w.text);
        let date = Date::parse_in(&padded, style).unwrap();
        prop_assert_eq!(date.written(), w.text.as_str());
        prop_assert_eq!(date.precision(), w.precision);
        prop_assert_eq!(date.approximate(), w.marker == "~" || w.marker == "%");
        prop_assert_eq!(date.uncertain(), w.marker == "?" || w.marker == "%");
        prop_assert_eq!(date.year(), w.year);
        prop_assert!(date.start() <= date.period_end());

        let display = date.display();
        let circa = if date.approximate() { style.names.circa } else { "" };
        let plain = expected_plain(&w, style.names);
        if date.note().is_none() {
            prop_assert!(
                display.starts_with(&format!("{circa}{plain}")),
                "{:?} shows as {:?}, expected it to start with {:?}", w.text, display, plain
            );
        }
        prop_assert_eq!(display.ends_with('?'), date.uncertain());

        let machine = date.machine();
        let again = Date::parse_in(&machine, style).unwrap();
        prop_assert_eq!(again.start(), date.start());
        prop_assert_eq!(again.period_end() - again.start(), date.period_end() - date.start());
        if w.precision <= Precision::Day {
            // Partial dates are their own machine form, markers aside.
            prop_assert_eq!(machine.as_str(), w.text.trim_end_matches(['~', '?', '%']));
        }
        if let Some(minutes) = w.offset {
            prop_assert_eq!(date.start().offset().local_minus_utc(), minutes * 60);
        }
        // Reading the display's own machine form again changes nothing.
        prop_assert_eq!(again.machine(), Date::parse_in(&again.machine(), style).unwrap().machine());
    }

    /// `chronological` is a total order: antisymmetric, transitive, and
    /// equal only for one date range under one id.
    #[test]
    fn chronology_order_is_a_total_order(
        a in ranged(), b in ranged(), c in ranged(), tz in prop::sample::select(&ZONES[..])
    ) {
        let [a, b, c] = [a, b, c].map(|(s, e, id)| (range(&s, e.as_deref(), tz), id));
        let cmp = |x: &(DateRange, String), y: &(DateRange, String)| {
            chronological(&x.0, &x.1, &y.0, &y.1)
        };
        for x in [&a, &b, &c] {
            prop_assert_eq!(cmp(x, x), Ordering::Equal);
            for y in [&a, &b, &c] {
                prop_assert_eq!(cmp(x, y), cmp(y, x).reverse());
                if cmp(x, y) == Ordering::Equal {
                    prop_assert_eq!(&x.1, &y.1);
                    prop_assert_eq!(x.0.order_key(), y.0.order_key());
                }
                for z in [&a, &b, &c] {
                    if cmp(x, y) != Ordering::Greater && cmp(y, z) != Ordering::Greater {
                        prop_assert_ne!(cmp(x, z), Ordering::Greater);
                    }
                }
            }
        }
    }

    /// The chronology of a set of events split over files is the same
    /// whatever order the files, and the events within them, are read in.
    #[test]
    fn chronology_is_the_same_whatever_order_files_are_read_in(
        events in prop::collection::vec((ranged(), any::<bool>()), 1..40),
        files in 1..6usize,
        seed in any::<u64>(),
        drafts in any::<bool>(),
    ) {
        let events: Vec<_> = events
            .into_iter()
            .enumerate()
            // Ids are unique (a duplicate id is an error, reported elsewhere);
            // names are given so that id order differs from written order.
            .map(|(i, ((start, end, _), draft))| (format!("e{}", (i * 7919) % 1000), start, end, draft))
            .collect();
        let mut ids: Vec<_> = events.iter().map(|e| e.0.clone()).collect();
        ids.sort();
        ids.dedup();
        prop_assume!(ids.len() == events.len());

        let site = "title: T\nbase_url: https://example.org/\ntimezone: Europe/Kyiv\n";
        let config = Config::parse(&SourceFile::from_text("site.yaml", site)).unwrap();
        let style = config.date_style();
        // Each event goes to one file by its place in the list.
        let mut texts = vec![String::new(); files];
        for (i, (id, start, end, draft)) in events.iter().enumerate() {
            let end = end
                .as_deref()
                .filter(|e| range_ok(start, e, style.tz))
                .map(|e| format!("  end: \"{e}\"\n"))
                .unwrap_or_default();
            let status = if *draft { "  status: draft\n" } else { "" };
            texts[i % files] += &format!(
                "- id: {id}\n  date: \"{start}\"\n{end}  title: Event {id}\n{status}"
            );
        }
        let orders = [
            (0..files).collect::<Vec<_>>(),
            (0..files).rev().collect(),
            shuffled(files, seed),
        ];
        let mut seen: Vec<Vec<(String, String)>> = Vec::new();
        for (round, order) in orders.iter().enumerate() {
            let mut content = Content::default();
            let mut diags = Diagnostics::new();
            for &f in order {
                let doc = YamlSource::new(&PathBuf::from(format!("content/events/f{f}.yaml")), &texts[f], 0);
                let mut read = parse_events_file(&doc, style, &mut diags).events;
                // Within a file too: the last round reads each file's events backwards.
                if round == 2 {
                    read.reverse();
                }
                content.events.extend(read);
            }
            prop_assert!(!diags.has_errors(), "{}", diags);
            let chron = chronology::build(config.clone(), content, drafts, &mut diags);
            prop_assert!(!diags.has_errors(), "{}", diags);
            let listed: Vec<(String, String)> = (0..chron.entries.len())
                .map(|pos| (chron.id(pos).to_string(), chron.dates(pos).display()))
                .collect();
            let published = events.iter().filter(|e| drafts || !e.3).count();
            prop_assert_eq!(listed.len(), published);
            seen.push(listed);
        }
        prop_assert_eq!(&seen[0], &seen[1]);
        prop_assert_eq!(&seen[0], &seen[2]);
    }
}

/// A start, an optional end, and an id from a small set (so that ties happen).
fn ranged() -> impl Strategy<Value = (String, Option<String>, String)> {
    let id = prop::sample::select(vec!["a", "b", "c", "war", "talks"]);
    (written(), prop::option::of(written()), id)
        .prop_map(|(s, e, id)| (s.text, e.map(|e| e.text), id.to_string()))
}

/// Whether `end` may end a span starting at `start`.
fn range_ok(start: &str, end: &str, tz: Tz) -> bool {
    DateRange::new(
        Date::parse(start, tz).unwrap(),
        Some(Date::parse(end, tz).unwrap()),
    )
    .is_ok()
}

/// The span from `start` to `end`, or `start` alone when `end` comes before it.
fn range(start: &str, end: Option<&str>, tz: Tz) -> DateRange {
    let end = end.filter(|e| range_ok(start, e, tz));
    DateRange::new(
        Date::parse(start, tz).unwrap(),
        end.map(|e| Date::parse(e, tz).unwrap()),
    )
    .unwrap()
}

/// 0..n in an order drawn from `seed` (a small linear congruential shuffle:
/// proptest shrinks the seed, not the permutation).
fn shuffled(n: usize, mut seed: u64) -> Vec<usize> {
    let mut v: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        v.swap(i, (seed >> 33) as usize % (i + 1));
    }
    v
}
