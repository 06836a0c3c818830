//! Fuzzes the date parser (and, on what it refuses, the suggestion of a
//! form it reads): any text, in a few time zones and languages, read
//! as a date and as a date range; what parses must display, and its machine
//! form must read back as the same instant.
#![no_main]

use annals::date::{Date, DateRange, DateStyle};
use annals::date_names;
use chrono::Datelike;
use chrono_tz::Tz;
use libfuzzer_sys::fuzz_target;

/// Zones with gaps and overlaps at midnight and at odd offsets, and UTC.
const ZONES: [Tz; 6] = [
    chrono_tz::UTC,
    chrono_tz::Europe::Kyiv,
    chrono_tz::America::Santiago,
    chrono_tz::Asia::Kathmandu,
    chrono_tz::Pacific::Apia,
    chrono_tz::America::St_Johns,
];
const LANGUAGES: [&str; 8] = ["en", "uk", "ru", "de", "fr", "es", "pl", "ar"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let style = DateStyle {
        tz: ZONES[usize::from(pick) % ZONES.len()],
        names: date_names::for_language(LANGUAGES[usize::from(pick >> 3) % LANGUAGES.len()])
            .expect("a known language"),
    };
    // One line is a date; two lines are a date and its end.
    let (first, second) = match text.split_once('\n') {
        Some((a, b)) => (a, Some(b)),
        None => (text, None),
    };
    let start = match Date::parse_in(first, style) {
        Ok(date) => date,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            // The loaders then suggest the form a curator most likely meant.
            if let Some(s) = annals::date_suggest::suggest(first) {
                assert!(!s.is_empty());
            }
            return;
        }
    };
    check_date(&start, style);
    let end = second.and_then(|s| Date::parse_in(s, style).ok());
    if let Ok(range) = DateRange::new(start, end) {
        assert!(!range.display().is_empty());
        assert!(range.start_instant() <= range.end_instant() || range.end().is_some());
        let _ = range.contains(&range);
        let _ = range.order_key();
    }
});

fn check_date(date: &Date, style: DateStyle) {
    assert!(!date.display().is_empty());
    assert!(date.start() <= date.period_end());
    let machine = date.machine();
    match Date::parse_in(&machine, style) {
        Ok(again) => assert_eq!(again.start(), date.start(), "{machine}"),
        // Only an instant pushed past year 9999 has no written form.
        Err(e) => assert!(
            !(1..=9999).contains(&date.start().year_ce().1),
            "{machine}: {e}"
        ),
    }
}
