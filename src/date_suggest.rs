//! "Did you mean ...?" for dates: the forms people write by hand (`c. 2014`,
//! `late March 2022`, `24/02/2022`, `24-25 February 2022`) turned into the
//! form annals reads, so that a curator is shown the fix, not only the rule.
//! Suggestions only: nothing here is accepted as a date.

/// English month names and their usual short forms, January first.
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A value longer than this is not a date anyone wrote: no suggestion.
const MAX_LEN: usize = 64;

/// A date read from a hand-written form, by precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Guess {
    year: u32,
    month: Option<u32>,
    day: Option<u32>,
    time: Option<(u32, u32, Option<u32>)>,
}

impl Guess {
    fn year(year: u32) -> Guess {
        Guess {
            year,
            month: None,
            day: None,
            time: None,
        }
    }

    /// The form annals reads.
    fn iso(&self) -> String {
        let mut out = format!("{:04}", self.year);
        if let Some(m) = self.month {
            out.push_str(&format!("-{m:02}"));
            if let Some(d) = self.day {
                out.push_str(&format!("-{d:02}"));
                if let Some((h, min, s)) = self.time {
                    out.push_str(&format!("T{h:02}:{min:02}"));
                    if let Some(s) = s {
                        out.push_str(&format!(":{s:02}"));
                    }
                }
            }
        }
        out
    }

    fn valid(&self) -> bool {
        (1..=9999).contains(&self.year)
            && self.month.is_none_or(|m| (1..=12).contains(&m))
            && self.day.is_none_or(|d| (1..=31).contains(&d))
            && self
                .time
                .is_none_or(|(h, m, s)| h < 24 && m < 60 && s.is_none_or(|s| s < 60))
    }
}

/// A sentence saying how to write `text` so annals reads it, when it looks
/// like a date written another way; `None` when nothing fits.
pub fn suggest(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() || text.len() > MAX_LEN {
        return None;
    }
    let lower = text.to_lowercase().replace(['–', '—'], "-");
    let lower = lower.trim();
    // A trailing `?`: uncertain.
    if let Some(rest) = lower.strip_suffix('?').map(str::trim_end)
        && !rest.ends_with(['?', '~', '%'])
        && let Some(iso) = plain(rest)
    {
        return Some(format!("write `{iso}?` (? marks an uncertain date)"));
    }
    if let Some(rest) = approximate(lower) {
        let (rest, uncertain) = match rest.strip_suffix('?') {
            Some(r) => (r.trim_end(), true),
            None => (rest, false),
        };
        if let Some(iso) = plain(rest) {
            return Some(if uncertain {
                format!("write `{iso}%` (% marks a date both approximate and uncertain)")
            } else {
                format!("write `{iso}~` (~ marks an approximate date)")
            });
        }
    }
    if let Some(hint) = part_of_period(lower) {
        return Some(hint);
    }
    if let Some(hint) = day_span(lower).or_else(|| two_dates(lower)) {
        return Some(hint);
    }
    if let Some(hint) = numeric(lower) {
        return Some(hint);
    }
    plain(lower).map(|iso| format!("write `{iso}`"))
}

/// The rest of a value that starts with a word for "about".
fn approximate(lower: &str) -> Option<&str> {
    [
        "circa ", "circa", "ca. ", "ca.", "c. ", "c.", "c ", "about ", "around ", "approx. ",
        "approx ", "~",
    ]
    .iter()
    .find_map(|p| lower.strip_prefix(p))
    .map(str::trim)
    .filter(|r| !r.is_empty())
}

/// `early 2022`, `late March 2022`, `spring 2022`: annals has no parts of
/// periods; the nearest is an approximate month or year.
fn part_of_period(lower: &str) -> Option<String> {
    let (word, rest) = lower.split_once(' ')?;
    let rest = rest.trim();
    let season = match word {
        "spring" => Some(4),
        "summer" => Some(7),
        "autumn" | "fall" => Some(10),
        "winter" => Some(1),
        _ => None,
    };
    if let Some(month) = season {
        let year = year_of(rest)?;
        return Some(format!(
            "annals has no seasons: write `{year:04}~` (sometime in {year}), or a month with ~ such as `{year:04}-{month:02}~`"
        ));
    }
    let part = match word {
        "early" | "beginning" => 0,
        "mid" | "mid-" | "middle" => 1,
        "late" | "end" => 2,
        _ => return None,
    };
    let rest = rest.trim_start_matches("of ").trim();
    let guess = month_year(rest)
        .or_else(|| year_of(rest).map(Guess::year))
        .filter(Guess::valid)?;
    Some(match guess.month {
        None => {
            let month = [2, 6, 11][part];
            format!(
                "annals has no \"{word}\": write `{y:04}~` (sometime in {y}), or a month with ~ such as `{y:04}-{month:02}~`",
                y = guess.year
            )
        }
        Some(_) => {
            let day = [5, 15, 25][part];
            let iso = guess.iso();
            format!(
                "annals has no \"{word}\": write `{iso}~` (that month, approximate), or a day with ~ such as `{iso}-{day:02}~`"
            )
        }
    })
}

/// `24-25 February 2022`, `February 24-25, 2022`: a span of days.
fn day_span(lower: &str) -> Option<String> {
    let words = tokens(lower);
    let [a, b, year] = words.as_slice() else {
        return None;
    };
    let year = year_of(year)?;
    let (days, month) = match month_number(b) {
        Some(m) => (a.as_str(), m),
        None => (b.as_str(), month_number(a)?),
    };
    let (a, b) = days.split_once('-')?;
    let (a, b) = (day_number(a)?, day_number(b)?);
    let start = Guess {
        year,
        month: Some(month),
        day: Some(a),
        time: None,
    };
    let end = Guess {
        day: Some(b),
        ..start
    };
    (start.valid() && end.valid() && a < b).then(|| {
        format!(
            "a span of days is written as two fields: `date: {}` and `end: {}`",
            start.iso(),
            end.iso()
        )
    })
}

/// `2022-02-24 - 2022-02-25`, `March 2022 to May 2022`: a span in one field.
fn two_dates(lower: &str) -> Option<String> {
    let (a, b) = [" - ", " to ", " until "]
        .iter()
        .find_map(|sep| lower.split_once(sep))?;
    let as_iso = |t: &str| {
        let t = t.trim();
        let ok = |iso: &str| crate::date::Date::parse(iso, chrono_tz::Tz::UTC).is_ok();
        if ok(t) {
            Some(t.to_uppercase())
        } else {
            plain(t).filter(|iso| ok(iso))
        }
    };
    let (start, end) = (as_iso(a)?, as_iso(b)?);
    Some(format!(
        "a span is written as two fields: `date: {start}` and `end: {end}`"
    ))
}

/// `24/02/2022`, `24.02.2022 05:00`, `02/24/2022`, `2022/02/24`: numbers in
/// another order or with other separators; ambiguous orders get both readings.
fn numeric(lower: &str) -> Option<String> {
    let (date, time) = match lower.split_once([' ', 't']) {
        Some((d, t)) => (d, Some(clock(t.trim())?)),
        None => (lower, None),
    };
    let parts: Vec<&str> = date.split(['/', '.', '-']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let n: Vec<u32> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let with = |year, month, day| Guess {
        year,
        month: Some(month),
        day: Some(day),
        time,
    };
    if parts[0].len() == 4 {
        let g = with(n[0], n[1], n[2]);
        return g.valid().then(|| format!("write `{}`", g.iso()));
    }
    if parts[2].len() != 4 {
        return None;
    }
    let day_first = with(n[2], n[1], n[0]);
    let month_first = with(n[2], n[0], n[1]);
    match (day_first.valid(), month_first.valid()) {
        (true, true) if n[0] != n[1] => Some(format!(
            "`{date}` is ambiguous: write `{}` if the day comes first ({} {} {}), or `{}` if the month does ({} {}, {})",
            day_first.iso(),
            n[0],
            month_name(n[1]),
            n[2],
            month_first.iso(),
            month_name(n[0]),
            n[1],
            n[2]
        )),
        (true, _) => Some(format!("write `{}` (year, month, day)", day_first.iso())),
        (false, true) => Some(format!("write `{}` (year, month, day)", month_first.iso())),
        (false, false) => None,
    }
}

/// `05:00`, `5:00`, `05:00:30` as hours, minutes and seconds.
fn clock(text: &str) -> Option<(u32, u32, Option<u32>)> {
    let parts: Vec<&str> = text.split(':').collect();
    let num = |s: &str| {
        (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match parts.as_slice() {
        [h, m] => Some((num(h)?, num(m)?, None)),
        [h, m, s] => Some((num(h)?, num(m)?, Some(num(s)?))),
        _ => None,
    }
}

/// A date in words or digits without markers: `2022`, `March 2022`,
/// `24 February 2022`, `February 24, 2022`, `2022-2-4`.
fn plain(lower: &str) -> Option<String> {
    // `24 February 2022 05:00`, `February 24, 2022 5:00`: a time after the words.
    if let Some((words, time)) = lower.rsplit_once(' ')
        && let Some(time) = clock(time)
        && let Some(g) = day_month_year(words)
    {
        let g = Guess {
            time: Some(time),
            ..g
        };
        return g.valid().then(|| g.iso());
    }
    let g = month_year(lower)
        .or_else(|| day_month_year(lower))
        .or_else(|| year_of(lower).map(Guess::year))
        .or_else(|| loose_iso(lower))?;
    g.valid().then(|| g.iso())
}

fn month_year(lower: &str) -> Option<Guess> {
    let words = tokens(lower);
    let (month, year) = match words.as_slice() {
        [m, y] => month_number(m)
            .zip(year_of(y))
            .or_else(|| month_number(y).zip(year_of(m)))?,
        _ => return None,
    };
    Some(Guess {
        month: Some(month),
        ..Guess::year(year)
    })
}

fn day_month_year(lower: &str) -> Option<Guess> {
    let words = tokens(lower);
    let (day, month, year) = match words.as_slice() {
        [d, m, y] if day_number(d).is_some() => (day_number(d)?, month_number(m)?, year_of(y)?),
        [m, d, y] => (day_number(d)?, month_number(m)?, year_of(y)?),
        _ => return None,
    };
    Some(Guess {
        year,
        month: Some(month),
        day: Some(day),
        time: None,
    })
}

/// `2022-2-4`, `2022/02/24`: the right order, the wrong digits or separators.
fn loose_iso(lower: &str) -> Option<Guess> {
    let parts: Vec<&str> = lower.split(['-', '/', '.']).collect();
    if !(2..=3).contains(&parts.len()) || parts[0].len() != 4 {
        return None;
    }
    let n: Vec<u32> = parts
        .iter()
        .map(|p| {
            (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect::<Option<_>>()?;
    Some(Guess {
        year: n[0],
        month: Some(n[1]),
        day: n.get(2).copied(),
        time: None,
    })
}

/// Words of a value, commas and "the"/"of" left out.
fn tokens(lower: &str) -> Vec<String> {
    lower
        .split([' ', ','])
        .filter(|w| !w.is_empty() && *w != "of" && *w != "the")
        .map(str::to_string)
        .collect()
}

fn year_of(word: &str) -> Option<u32> {
    let word = word.trim();
    (word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()))
        .then(|| word.parse().ok())
        .flatten()
}

fn day_number(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '.');
    let suffix = &word[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th" | ".")
        || digits.is_empty()
        || digits.len() > 2
    {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn month_number(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.');
    if word.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| {
            *m == word
                || (word.len() >= 3 && m.starts_with(word))
                || (word == "sept" && *m == "september")
        })
        .map(|i| i as u32 + 1)
}

fn month_name(month: u32) -> String {
    let name = MONTHS[(month as usize - 1).min(11)];
    let mut out = name[..1].to_uppercase();
    out.push_str(&name[1..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_form_annals_reads() {
        #[rustfmt::skip]
        let table: &[(&str, &str)] = &[
            ("c. 2014", "`2014~`"),
            ("circa 2014", "`2014~`"),
            ("~2014", "`2014~`"),
            ("ca. March 2014", "`2014-03~`"),
            ("c. 2014?", "`2014%`"),
            ("early 2022", "`2022~`"),
            ("mid 2022", "`2022-06~`"),
            ("late 2022", "`2022-11~`"),
            ("late March 2022", "`2022-03~`"),
            ("early March 2022", "`2022-03-05~`"),
            ("spring 2022", "`2022-04~`"),
            ("March 2022?", "`2022-03?`"),
            ("March 2022", "`2022-03`"),
            ("24 February 2022", "`2022-02-24`"),
            ("February 24, 2022", "`2022-02-24`"),
            ("24th Feb 2022", "`2022-02-24`"),
            ("24-25 February 2022", "`date: 2022-02-24` and `end: 2022-02-25`"),
            ("24–25 February 2022", "`end: 2022-02-25`"),
            ("February 24-25, 2022", "`date: 2022-02-24`"),
            ("24/02/2022", "`2022-02-24`"),
            ("24.02.2022", "`2022-02-24`"),
            ("24.02.2022 05:00", "`2022-02-24T05:00`"),
            ("02/24/2022 5:00", "`2022-02-24T05:00`"),
            ("2022/02/24", "`2022-02-24`"),
            ("2022-2-4", "`2022-02-04`"),
            ("24 February 2022 05:00", "`2022-02-24T05:00`"),
            ("2022-02-24 - 2022-02-25", "`date: 2022-02-24` and `end: 2022-02-25`"),
            ("March 2022 to May 2022", "`date: 2022-03` and `end: 2022-05`"),
        ];
        for (text, want) in table {
            let got = suggest(text).unwrap_or_else(|| panic!("no suggestion for {text:?}"));
            assert!(got.contains(want), "{text:?}: {got}");
        }
    }

    #[test]
    fn ambiguous_numbers_give_both_readings() {
        let got = suggest("03/04/2022").unwrap();
        assert!(got.contains("ambiguous"), "{got}");
        assert!(
            got.contains("`2022-04-03`") && got.contains("`2022-03-04`"),
            "{got}"
        );
        assert!(
            got.contains("3 April 2022") && got.contains("March 4, 2022"),
            "{got}"
        );
        let same = suggest("04/04/2022").unwrap();
        assert!(
            !same.contains("ambiguous") && same.contains("`2022-04-04`"),
            "{same}"
        );
    }

    #[test]
    fn no_suggestion_for_what_is_not_a_date() {
        for text in [
            "soon",
            "",
            "2022-13-45",
            "31/31/2022",
            "yesterday",
            &"9".repeat(100),
        ] {
            assert_eq!(suggest(text), None, "{text:?}");
        }
    }
}
