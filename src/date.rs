//! The date model: parsing, time-zone resolution, display and chronology order of dates.
//!
//! A date is written as a year (`2022`), a month (`2022-02`), a day (`2022-02-24`) or a
//! date-time (`2022-02-24T04:50:00+02:00`, `2022-02-24 04:50`, ...), optionally ending in one
//! marker: `~` approximate, `?` uncertain, `%` both. Partial dates and date-times without an
//! offset are resolved in the site time zone.

use std::cmp::Ordering;
use std::fmt;

use chrono::{
    DateTime, Datelike, FixedOffset, MappedLocalTime, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeDelta, TimeZone, Timelike,
};
use chrono_tz::{GapInfo, Tz};

use crate::date_names::DateNames;

const EXPECTED: &str = "expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][offset], \
                        optionally ending in ~, ? or %";

/// How precisely a date is written; coarser precisions order before finer ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// A whole year, `2022`.
    Year,
    /// A whole month, `2022-02`.
    Month,
    /// A whole day, `2022-02-24`.
    Day,
    /// An instant written to the minute, `2022-02-24 04:50`.
    Minute,
    /// An instant written to the second, `2022-02-24T04:50:00+02:00`.
    Second,
}

impl Precision {
    /// The lower-case name of the precision: `"year"`, `"month"`, `"day"`, `"minute"`, `"second"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Year => "year",
            Precision::Month => "month",
            Precision::Day => "day",
            Precision::Minute => "minute",
            Precision::Second => "second",
        }
    }
}

/// An error in a date value or a date range; its `Display` is the whole one-line message.
#[derive(Debug, Clone, PartialEq)]
pub struct DateError {
    message: String,
}

impl DateError {
    fn invalid(text: &str, why: impl fmt::Display) -> DateError {
        DateError {
            message: format!("invalid date \"{}\": {why}", crate::error::cut(text)),
        }
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DateError {}

/// One date value as written in content, resolved against the site time zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Date {
    written: String,
    precision: Precision,
    approximate: bool,
    uncertain: bool,
    /// The civil date and time as written (first day of the period for partial dates).
    civil: NaiveDateTime,
    /// The offset written in the value, if any.
    offset: Option<FixedOffset>,
    tz: Tz,
    start: DateTime<FixedOffset>,
    period_end: DateTime<FixedOffset>,
    /// The language dates are shown in.
    names: &'static DateNames,
    /// A warning about how the value was read, if it needed one.
    note: Option<String>,
}

/// Hashed by every field it is compared by (its names by their language),
/// so that a digest of dates (the build cache's keys) costs no formatting.
impl std::hash::Hash for Date {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.written.hash(h);
        self.precision.hash(h);
        (self.approximate, self.uncertain).hash(h);
        self.civil.hash(h);
        self.offset.hash(h);
        self.tz.hash(h);
        (self.start, self.period_end).hash(h);
        self.names.code.hash(h);
        self.note.hash(h);
    }
}

/// The fields of a written date, checked for shape but not yet for range.
struct Fields {
    year: u32,
    month: Option<u32>,
    day: Option<u32>,
    time: Option<(u32, u32, Option<u32>)>,
    offset: Option<(i32, u32, u32)>,
}

/// A tiny byte cursor for the fixed-shape date grammar.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn eat(&mut self, byte: u8) -> bool {
        let hit = self.bytes.get(self.pos) == Some(&byte);
        self.pos += usize::from(hit);
        hit
    }

    fn digits(&mut self, count: usize) -> Option<u32> {
        let chunk = self.bytes.get(self.pos..self.pos + count)?;
        if !chunk.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.pos += count;
        Some(chunk.iter().fold(0, |n, b| n * 10 + u32::from(b - b'0')))
    }

    fn done(&self) -> bool {
        self.pos == self.bytes.len()
    }
}

/// Reads the shape of a marker-free date; `None` when it matches none of the written forms.
fn fields(body: &str) -> Option<Fields> {
    let mut c = Cursor {
        bytes: body.as_bytes(),
        pos: 0,
    };
    let mut f = Fields {
        year: c.digits(4)?,
        month: None,
        day: None,
        time: None,
        offset: None,
    };
    if c.eat(b'-') {
        f.month = Some(c.digits(2)?);
        if c.eat(b'-') {
            f.day = Some(c.digits(2)?);
            if c.eat(b'T') || c.eat(b' ') {
                let hour = c.digits(2)?;
                c.eat(b':').then_some(())?;
                let minute = c.digits(2)?;
                let second = if c.eat(b':') {
                    Some(c.digits(2)?)
                } else {
                    None
                };
                f.time = Some((hour, minute, second));
                if c.eat(b'Z') {
                    f.offset = Some((1, 0, 0));
                } else if let Some(sign) = [(b'+', 1), (b'-', -1)]
                    .into_iter()
                    .find_map(|(byte, sign)| c.eat(byte).then_some(sign))
                {
                    let hours = c.digits(2)?;
                    c.eat(b':').then_some(())?;
                    f.offset = Some((sign, hours, c.digits(2)?));
                }
            }
        }
    }
    c.done().then_some(f)
}

/// Checks the ranges of the fields: the civil date, time and written offset, or why not.
fn check(f: &Fields) -> Result<(NaiveDate, NaiveTime, Option<FixedOffset>), String> {
    if f.year == 0 {
        return Err("year must be 0001-9999".into());
    }
    let (year, month, day) = (f.year as i32, f.month.unwrap_or(1), f.day.unwrap_or(1));
    if !(1..=12).contains(&month) {
        return Err("month must be 01-12".into());
    }
    let last = days_in_month(year, month);
    if day == 0 || day > 31 {
        return Err("day must be 01-31".into());
    } else if day > last {
        return Err(format!("{year:04}-{month:02} has only {last} days"));
    }
    let (hour, minute, second) = f.time.unwrap_or((0, 0, None));
    if hour > 23 {
        return Err("hour must be 00-23".into());
    } else if minute > 59 {
        return Err("minute must be 00-59".into());
    } else if second.is_some_and(|s| s > 59) {
        return Err("second must be 00-59".into());
    }
    let offset = match f.offset {
        Some((sign, h, m)) if m <= 59 && h * 60 + m <= 14 * 60 => {
            let offset = FixedOffset::east_opt(sign * (h * 3600 + m * 60) as i32);
            Some(offset.ok_or(EXPECTED)?)
        }
        Some(_) => return Err("offset must be between -14:00 and +14:00".into()),
        None => None,
    };
    let date = NaiveDate::from_ymd_opt(year, month, day).ok_or(EXPECTED)?;
    let time = NaiveTime::from_hms_opt(hour, minute, second.unwrap_or(0)).ok_or(EXPECTED)?;
    Ok((date, time, offset))
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).map_or(31, |d| d.day())
}

/// The earlier of the two instants of an ambiguous local time, or the only one.
fn earliest(local: MappedLocalTime<DateTime<Tz>>) -> Option<DateTime<FixedOffset>> {
    match local {
        MappedLocalTime::Single(t) => Some(t.fixed_offset()),
        MappedLocalTime::Ambiguous(a, b) => Some(a.min(b).fixed_offset()),
        MappedLocalTime::None => None,
    }
}

/// The first instant of a local day: midnight, or the first instant after a gap over midnight.
fn day_start(tz: Tz, date: NaiveDate) -> DateTime<FixedOffset> {
    let midnight = date.and_time(NaiveTime::MIN);
    if let Some(t) = earliest(tz.from_local_datetime(&midnight)) {
        return t;
    }
    if let Some(end) = GapInfo::new(&midnight, &tz).and_then(|gap| gap.end) {
        return end.fixed_offset();
    }
    // Not reached with chrono-tz data; scan forward for the first local minute that exists.
    (1..=48 * 60)
        .find_map(|m| earliest(tz.from_local_datetime(&(midnight + TimeDelta::minutes(m)))))
        .unwrap_or_else(|| midnight.and_utc().fixed_offset())
}

/// A year as `%Y` writes it: four digits, a sign outside 0 to 9999.
fn year4(year: i32) -> String {
    if (0..=9999).contains(&year) {
        format!("{year:04}")
    } else {
        format!("{year:+05}")
    }
}

/// An instant as RFC 3339 with seconds and a numeric offset
/// (`2022-02-24T05:00:00+02:00`), written without a format string: it is
/// made for every date on every page.
pub fn rfc3339(t: &DateTime<FixedOffset>) -> String {
    let secs = t.offset().local_minus_utc();
    if secs % 60 != 0 {
        // RFC 3339 offsets have no seconds, but local mean time (zones before
        // standard time, Kyiv's +02:02:04 until 1880) has: cutting them would
        // name another instant, so such an instant is written in UTC.
        return rfc3339(&t.to_utc().fixed_offset());
    }
    let sign = if secs < 0 { '-' } else { '+' };
    let abs = secs.unsigned_abs();
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        year4(t.year()),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        abs / 3600,
        abs % 3600 / 60
    )
}

/// `UTC`, `UTC+2`, `UTC-3:30` for a fixed offset.
fn offset_label(offset: FixedOffset) -> String {
    let secs = offset.local_minus_utc();
    if secs == 0 {
        return "UTC".to_string();
    }
    let sign = if secs < 0 { '-' } else { '+' };
    let abs = secs.unsigned_abs();
    let (h, m) = (abs / 3600, abs % 3600 / 60);
    if m == 0 {
        format!("UTC{sign}{h}")
    } else {
        format!("UTC{sign}{h}:{m:02}")
    }
}

/// Dates written in the language's digits.
fn in_digits(names: &DateNames, text: String) -> String {
    if names.arabic_digits {
        crate::i18n::to_arabic_digits(&text)
    } else {
        text
    }
}

impl Date {
    /// Parses a written date (trimmed first), resolving it in the site time zone `tz`.
    pub fn parse(text: &str, tz: Tz) -> Result<Date, DateError> {
        let written = text.trim();
        if written.is_empty() {
            return Err(DateError {
                message: "missing date value".to_string(),
            });
        }
        let is_marker = |c: char| matches!(c, '~' | '?' | '%');
        let (body, approximate, uncertain) = match written.chars().last() {
            Some('~') => (&written[..written.len() - 1], true, false),
            Some('?') => (&written[..written.len() - 1], false, true),
            Some('%') => (&written[..written.len() - 1], true, true),
            _ => (written, false, false),
        };
        if body.ends_with(is_marker) {
            let why = "use one marker: ~ approximate, ? uncertain, % both";
            return Err(DateError::invalid(written, why));
        }
        let bad = |why: String| DateError::invalid(written, why);
        let f = fields(body).ok_or_else(|| bad(EXPECTED.to_string()))?;
        let (date, time, offset) = check(&f).map_err(bad)?;
        let civil = date.and_time(time);
        let (year, month) = (civil.year(), civil.month());
        let precision = match (f.month, f.day, f.time) {
            (None, _, _) => Precision::Year,
            (Some(_), None, _) => Precision::Month,
            (Some(_), Some(_), None) => Precision::Day,
            (_, _, Some((_, _, None))) => Precision::Minute,
            (_, _, Some((_, _, Some(_)))) => Precision::Second,
        };
        let mut civil = civil;
        let mut note = None;
        let (start, period_end) = match precision {
            Precision::Minute | Precision::Second => {
                let start = match offset {
                    Some(o) => o.from_local_datetime(&civil).single(),
                    None => earliest(tz.from_local_datetime(&civil)).or_else(|| {
                        // A local time the clocks skipped: read it with the offset in force
                        // before the jump (03:30 becomes 04:30 summer time), as calendars do,
                        // and say so, rather than refuse a value sources do write.
                        let before = GapInfo::new(&civil, &tz)?.begin?.1.fix();
                        let start = before
                            .from_local_datetime(&civil)
                            .single()?
                            .with_timezone(&tz)
                            .fixed_offset();
                        civil = start.naive_local();
                        note = Some(format!(
                            "\"{written}\" does not exist in {} (the clocks moved forward); read as {}",
                            tz.name(),
                            start.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z")
                        ));
                        Some(start)
                    }),
                }
                .ok_or_else(|| bad(EXPECTED.to_string()))?;
                (start, start)
            }
            _ => {
                let next = match precision {
                    Precision::Year => NaiveDate::from_ymd_opt(year + 1, 1, 1),
                    Precision::Month if month == 12 => NaiveDate::from_ymd_opt(year + 1, 1, 1),
                    Precision::Month => NaiveDate::from_ymd_opt(year, month + 1, 1),
                    _ => date.succ_opt(),
                }
                .ok_or_else(|| bad(EXPECTED.into()))?;
                (day_start(tz, date), day_start(tz, next))
            }
        };
        Ok(Date {
            written: written.to_string(),
            precision,
            approximate,
            uncertain,
            civil,
            offset,
            tz,
            start,
            period_end,
            names: &crate::date_names::EN,
            note,
        })
    }

    /// Parses a written date in a site's time zone and language.
    pub fn parse_in(text: &str, style: DateStyle) -> Result<Date, DateError> {
        Date::parse(text, style.tz).map(|d| d.with_names(style.names))
    }

    /// The same date, shown in another language.
    pub fn with_names(mut self, names: &'static DateNames) -> Date {
        self.names = names;
        self
    }

    /// A warning about how the value was read (a local time the clocks
    /// skipped), to show the curator.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// The value as written (trimmed), markers included.
    pub fn written(&self) -> &str {
        &self.written
    }

    /// How precisely the date is written.
    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// Whether the date is approximate ("circa"): written with `~` or `%`.
    pub fn approximate(&self) -> bool {
        self.approximate
    }

    /// Whether the date is uncertain: written with `?` or `%`.
    pub fn uncertain(&self) -> bool {
        self.uncertain
    }

    /// The first instant of the period, in the site time zone (or the written offset).
    pub fn start(&self) -> DateTime<FixedOffset> {
        self.start
    }

    /// The exclusive end of the period; equals [`Date::start`] for minute and second precision.
    pub fn period_end(&self) -> DateTime<FixedOffset> {
        self.period_end
    }

    /// The civil year as written.
    pub fn year(&self) -> i32 {
        self.civil.year()
    }

    /// The civil month (1-12) as written; `None` for year precision.
    pub fn month(&self) -> Option<u32> {
        (self.precision > Precision::Year).then(|| self.civil.month())
    }

    /// The civil day of the month as written; `None` for year and month precision.
    pub fn day(&self) -> Option<u32> {
        (self.precision > Precision::Month).then(|| self.civil.day())
    }

    /// The value for an HTML `<time datetime>`: `2022`, `2022-02`, `2022-02-24`, or for a
    /// date-time its start as RFC 3339 with seconds and offset.
    pub fn machine(&self) -> String {
        match self.precision {
            Precision::Year => format!("{:04}", self.year()),
            Precision::Month => format!("{}-{:02}", year4(self.year()), self.civil.month()),
            Precision::Day => format!(
                "{}-{:02}-{:02}",
                year4(self.year()),
                self.civil.month(),
                self.civil.day()
            ),
            Precision::Minute | Precision::Second => self.rfc3339_start(),
        }
    }

    /// [`Date::start`] as RFC 3339 with seconds, offset always numeric (`+00:00`, never `Z`).
    pub fn rfc3339_start(&self) -> String {
        rfc3339(&self.start)
    }

    /// The date in English, e.g. `c. 24 February 2022`, `24 February 2022, 05:00 (UTC+2)`.
    pub fn display(&self) -> String {
        in_digits(self.names, self.marked(self.plain()))
    }

    fn has_marker(&self) -> bool {
        self.approximate || self.uncertain
    }

    fn marked(&self, plain: String) -> String {
        let circa = if self.approximate {
            self.names.circa
        } else {
            ""
        };
        let query = if self.uncertain { "?" } else { "" };
        format!("{circa}{plain}{query}")
    }

    fn month_name(&self) -> &'static str {
        self.names.months[self.civil.month0() as usize]
    }

    fn month_text(&self) -> String {
        self.names
            .month_year(self.civil.month0() as usize, self.year())
    }

    fn day_month_text(&self) -> String {
        self.names
            .day_month(self.civil.day(), self.civil.month0() as usize)
    }

    fn day_text(&self) -> String {
        self.names
            .day_month_year(self.civil.day(), self.civil.month0() as usize, self.year())
    }

    fn time_text(&self) -> String {
        let (h, m) = (self.civil.hour(), self.civil.minute());
        if self.precision == Precision::Second {
            format!("{h:02}:{m:02}:{:02}", self.civil.second())
        } else {
            format!("{h:02}:{m:02}")
        }
    }

    /// The zone shown after a time, as an offset every reader can place
    /// (`UTC+2`, `UTC-3:30`, `UTC`), whatever the zone's abbreviation.
    fn zone_text(&self) -> String {
        if let Some(offset) = self.offset {
            return offset_label(offset);
        }
        offset_label(self.start.with_timezone(&self.tz).offset().fix())
    }

    /// The display without markers.
    fn plain(&self) -> String {
        match self.precision {
            Precision::Year => self.year().to_string(),
            Precision::Month => self.month_text(),
            Precision::Day => self.day_text(),
            Precision::Minute | Precision::Second => format!(
                "{}{}{} ({})",
                self.day_text(),
                self.names.time_joiner,
                self.time_text(),
                self.zone_text()
            ),
        }
    }

    fn is_instant(&self) -> bool {
        self.precision >= Precision::Minute
    }
}

/// How a site reads and shows dates: its time zone and its language.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DateStyle {
    /// Time zone of date-times written without an offset and of partial dates.
    pub tz: Tz,
    /// Names for display.
    pub names: &'static DateNames,
}

impl From<Tz> for DateStyle {
    fn from(tz: Tz) -> DateStyle {
        DateStyle {
            tz,
            names: &crate::date_names::EN,
        }
    }
}

/// A date with an optional end: the span of an entry.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct DateRange {
    start: Date,
    /// Boxed: most entries have none, and each holds the field.
    end: Option<Box<Date>>,
    /// True for an uncertain window (`date: 2022-03-02..2022-03-05`): one
    /// date known only to lie between `start` and `end`, not a span.
    window: bool,
}

/// The separator of a window's bounds: `2022-03-02..2022-03-05`.
pub const WINDOW_SEP: &str = "..";

impl DateRange {
    /// The same span shown with other names (another language's).
    pub fn with_names(&self, names: &'static DateNames) -> DateRange {
        DateRange {
            start: self.start.clone().with_names(names),
            end: self.end.clone().map(|e| Box::new(e.with_names(names))),
            ..self.clone()
        }
    }

    /// Pairs `start` with an optional `end`; an error when `end` lies before `start`.
    ///
    /// An end written as a period is accepted when its period ends after `start` begins (so
    /// `end: 2023-06` with `date: 2023-06-10` is fine); an end written as an instant must not
    /// be earlier than the start of `start`.
    pub fn new(start: Date, end: Option<Date>) -> Result<DateRange, DateError> {
        if let Some(e) = &end {
            let before = if e.is_instant() {
                e.start < start.start
            } else {
                e.period_end <= start.start
            };
            if before {
                return Err(DateError {
                    message: format!("end \"{}\" is before date \"{}\"", e.written, start.written),
                });
            }
        }
        Ok(DateRange {
            start,
            end: end.map(Box::new),
            window: false,
        })
    }

    /// An uncertain window: the date lies somewhere from the start of
    /// `earliest` to the end of `latest`. An error when `latest` ends before
    /// `earliest` begins.
    pub fn window(earliest: Date, latest: Date) -> Result<DateRange, DateError> {
        if latest.period_end <= earliest.start
            && !(latest.is_instant() && latest.start == earliest.start)
        {
            return Err(DateError {
                message: format!(
                    "the window's end \"{}\" comes before its start \"{}\"",
                    latest.written, earliest.written
                ),
            });
        }
        Ok(DateRange {
            start: earliest,
            end: Some(Box::new(latest)),
            window: true,
        })
    }

    /// Whether this is an uncertain window rather than a span.
    pub fn is_window(&self) -> bool {
        self.window
    }

    /// The date the span starts with.
    pub fn start(&self) -> &Date {
        &self.start
    }

    /// The date the span ends with, if written.
    pub fn end(&self) -> Option<&Date> {
        self.end.as_deref()
    }

    /// The first instant of the span.
    pub fn start_instant(&self) -> DateTime<FixedOffset> {
        self.start.start
    }

    /// The exclusive end of the span: the end of `end`'s period, or of `start`'s without `end`.
    pub fn end_instant(&self) -> DateTime<FixedOffset> {
        self.end.as_deref().unwrap_or(&self.start).period_end
    }

    /// How long the span lasts: `end_instant - start_instant`.
    pub fn duration(&self) -> TimeDelta {
        self.end_instant() - self.start_instant()
    }

    /// Whether `other` starts within this span, `[start_instant, end_instant)`; a span that
    /// is a single instant contains what starts at that instant.
    pub fn contains(&self, other: &DateRange) -> bool {
        let (from, to, at) = (
            self.start_instant(),
            self.end_instant(),
            other.start_instant(),
        );
        from <= at && (at < to || (from == to && at == from))
    }

    /// The span in English, e.g. `23–24 June 2023`, `June–July 2023`, `2014–2015`.
    pub fn display(&self) -> String {
        in_digits(self.start.names, self.display_latin())
    }

    fn display_latin(&self) -> String {
        let s = &self.start;
        let Some(e) = &self.end else {
            return s.display();
        };
        if self.window {
            return window_display(s, e);
        }
        let same = s.precision == e.precision
            && s.approximate == e.approximate
            && s.uncertain == e.uncertain
            && s.start == e.start;
        if e.written == s.written || same {
            return s.display();
        }
        let generic = || format!("{} – {}", s.display(), e.display());
        if s.has_marker() || e.has_marker() || s.precision != e.precision {
            return generic();
        }
        let (same_year, same_month) = (
            s.year() == e.year(),
            s.year() == e.year() && s.month() == e.month(),
        );
        match s.precision {
            Precision::Year => format!("{}–{}", s.year(), e.year()),
            Precision::Month if same_year => format!(
                "{}–{}{}{}",
                s.month_name(),
                e.month_name(),
                s.names.year_joiner,
                s.year()
            ),
            Precision::Day if same_month => format!(
                "{}{}{}",
                s.names
                    .day_month
                    .replace("{d}", &format!("{}–{}", s.civil.day(), e.civil.day()))
                    .replace("{m}", s.names.months_of[s.civil.month0() as usize]),
                s.names.year_joiner,
                s.year()
            ),
            Precision::Day if same_year => format!(
                "{} – {}{}{}",
                s.day_month_text(),
                e.day_month_text(),
                s.names.year_joiner,
                s.year()
            ),
            Precision::Minute | Precision::Second
                if s.civil.date() == e.civil.date() && s.zone_text() == e.zone_text() =>
            {
                format!(
                    "{}{}{}–{} ({})",
                    s.day_text(),
                    s.names.time_joiner,
                    s.time_text(),
                    e.time_text(),
                    s.zone_text()
                )
            }
            _ => generic(),
        }
    }
}

/// A window for people: `between 2 and 5 March 2022`, `between March and
/// April 2022`, `between 2022 and 2023`; the shared month and year are
/// written once.
fn window_display(s: &Date, e: &Date) -> String {
    let generic = || format!("between {} and {}", s.display(), e.display());
    if s.has_marker() || e.has_marker() || s.precision != e.precision {
        return generic();
    }
    let same_year = s.year() == e.year();
    match s.precision {
        Precision::Year => format!("between {} and {}", s.year(), e.year()),
        Precision::Month if same_year => {
            format!("between {} and {}", s.month_name(), e.month_text())
        }
        Precision::Day
            if same_year && s.month() == e.month() && s.names.day_month.starts_with("{d}") =>
        {
            format!("between {} and {}", s.civil.day(), e.day_text())
        }
        Precision::Day if same_year => {
            format!("between {} and {}", s.day_month_text(), e.day_text())
        }
        _ => generic(),
    }
}

/// The chronology order of the spec; ids break the final tie.
///
/// By start instant; at equal start, coarser precision first; then shorter span first; then
/// by id.
pub fn chronological(a: &DateRange, a_id: &str, b: &DateRange, b_id: &str) -> Ordering {
    a.order_key()
        .cmp(&b.order_key())
        .then_with(|| a_id.cmp(b_id))
}

impl DateRange {
    /// What [`chronological`] orders by before the id: start instant,
    /// precision, duration. Sorting many entries by keys taken out once
    /// compares in cache instead of reaching into every entry each time.
    pub fn order_key(&self) -> (DateTime<FixedOffset>, Precision, TimeDelta) {
        (self.start_instant(), self.start.precision, self.duration())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Precision::*;
    use chrono_tz::{America, Asia, Europe, Tz};

    #[test]
    fn dates_hash_alike_when_equal_and_apart_when_read_differently() {
        let h = |text: &str, tz: Tz| crate::digest::hash_of(&Date::parse(text, tz).unwrap());
        let kyiv = Europe::Kyiv;
        assert_eq!(h("2022-02-24", kyiv), h("2022-02-24", kyiv));
        for other in [
            "2022-02",
            "2022-02-24~",
            "2022-02-24?",
            "2022-02-24T04:00",
            "2022-02-25",
        ] {
            assert_ne!(h("2022-02-24", kyiv), h(other, kyiv), "{other}");
        }
        assert_ne!(h("2022-02-24", kyiv), h("2022-02-24", Tz::UTC));
    }

    const KYIV: Tz = Europe::Kyiv;

    fn d(text: &str) -> Date {
        d_in(text, KYIV)
    }

    fn d_in(text: &str, tz: Tz) -> Date {
        Date::parse(text, tz).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn range(start: &str, end: Option<&str>) -> DateRange {
        DateRange::new(d(start), end.map(d)).unwrap()
    }

    fn rfc(t: DateTime<FixedOffset>) -> String {
        t.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }

    /// text, precision, markers ("~", "?", "%" or ""), written, machine, year, month
    type Form = (
        &'static str,
        Precision,
        &'static str,
        &'static str,
        &'static str,
        i32,
        u32,
    );

    #[test]
    fn written_forms_and_markers() {
        #[rustfmt::skip]
        let table: &[Form] = &[
            ("2022", Year, "", "2022", "2022", 2022, 0),
            ("2022-02", Month, "", "2022-02", "2022-02", 2022, 2),
            ("2022-02-24", Day, "", "2022-02-24", "2022-02-24", 2022, 2),
            ("2022-02-24T04:50:00+02:00", Second, "", "2022-02-24T04:50:00+02:00", "2022-02-24T04:50:00+02:00", 2022, 2),
            ("2022-02-24T04:50+02:00", Minute, "", "2022-02-24T04:50+02:00", "2022-02-24T04:50:00+02:00", 2022, 2),
            ("2022-02-24T04:50:00Z", Second, "", "2022-02-24T04:50:00Z", "2022-02-24T04:50:00+00:00", 2022, 2),
            ("2022-02-24T04:50-03:30", Minute, "", "2022-02-24T04:50-03:30", "2022-02-24T04:50:00-03:30", 2022, 2),
            ("2022-02-24 04:50", Minute, "", "2022-02-24 04:50", "2022-02-24T04:50:00+02:00", 2022, 2),
            ("2022-02-24T04:50", Minute, "", "2022-02-24T04:50", "2022-02-24T04:50:00+02:00", 2022, 2),
            ("2022-02-24T04:50:30", Second, "", "2022-02-24T04:50:30", "2022-02-24T04:50:30+02:00", 2022, 2),
            ("2014~", Year, "~", "2014~", "2014", 2014, 0),
            ("2014?", Year, "?", "2014?", "2014", 2014, 0),
            ("2014%", Year, "%", "2014%", "2014", 2014, 0),
            ("2022-12~", Month, "~", "2022-12~", "2022-12", 2022, 12),
            ("2024-02-29?", Day, "?", "2024-02-29?", "2024-02-29", 2024, 2),
            ("2022-02-24 04:50%", Minute, "%", "2022-02-24 04:50%", "2022-02-24T04:50:00+02:00", 2022, 2),
            ("2022-02-24T04:50:00Z~", Second, "~", "2022-02-24T04:50:00Z~", "2022-02-24T04:50:00+00:00", 2022, 2),
            ("2022-02-24T04:50+02:00?", Minute, "?", "2022-02-24T04:50+02:00?", "2022-02-24T04:50:00+02:00", 2022, 2),
            ("  0001-01 \n", Month, "", "0001-01", "0001-01", 1, 1),
            ("9999-12-31T23:59:59-14:00", Second, "", "9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59-14:00", 9999, 12),
        ];
        for &(text, precision, marker, written, machine, year, month) in table {
            let date = d(text);
            assert_eq!(date.precision(), precision, "{text}");
            assert_eq!(date.approximate(), matches!(marker, "~" | "%"), "{text}");
            assert_eq!(date.uncertain(), matches!(marker, "?" | "%"), "{text}");
            assert_eq!(date.written(), written, "{text}");
            assert_eq!(date.machine(), machine, "{text}");
            assert_eq!(date.year(), year, "{text}");
            assert_eq!(date.month(), (month > 0).then_some(month), "{text}");
            if precision >= Minute {
                assert_eq!(date.rfc3339_start(), machine, "{text}");
                assert_eq!(date.period_end(), date.start(), "{text}");
            } else {
                assert!(date.period_end() > date.start(), "{text}");
            }
        }
    }

    #[test]
    fn precision_names_and_order() {
        let all = [Year, Month, Day, Minute, Second];
        let names: Vec<_> = all.iter().map(|p| p.as_str()).collect();
        assert_eq!(names, ["year", "month", "day", "minute", "second"]);
        assert!(all.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn errors() {
        const MARKERS: &str = "use one marker: ~ approximate, ? uncertain, % both";
        const OFFSET: &str = "offset must be between -14:00 and +14:00";
        #[rustfmt::skip]
        let table: &[(&str, &str)] = &[
            ("2025-13-01", "month must be 01-12"),
            ("2025-00", "month must be 01-12"),
            ("2023-02-29", "2023-02 has only 28 days"),
            ("2023-04-31", "2023-04 has only 30 days"),
            ("2023-01-32", "day must be 01-31"),
            ("2023-01-00", "day must be 01-31"),
            ("0000", "year must be 0001-9999"),
            ("2022-02-24 24:00", "hour must be 00-23"),
            ("2022-02-24 23:60", "minute must be 00-59"),
            ("2022-02-24T23:59:60Z", "second must be 00-59"),
            ("2022-02-24T04:50+14:01", OFFSET),
            ("2022-02-24T04:50-15:00", OFFSET),
            ("2022-02-24T04:50+02:60", OFFSET),
            ("2022~?", MARKERS),
            ("2022-02%%", MARKERS),
            ("2022-02-24 04:50?~", MARKERS),
        ];
        #[rustfmt::skip]
        let shapes = [
            "24/02/2022", "22", "20222", "2022-2", "2022-02-4", "2022-02-24x", "2022 -02",
            "2022-02-24  04:50", "2022-02-24t04:50", "2022-02-24T4:50", "2022-02-24T04:50:00.5",
            "2022-02-24T04:50+0200", "2022-02-24T04:50 +02:00", "2022-02-24T04:50z",
            "2022-02T04:50", "2022-02-24T04:50:00+02", "~2022", "2022~-02", "+2022", "-0044",
            "~", "2022-02-24T", "2022-02-24T04", "２０２２", "2022 ~",
        ];
        let table = table
            .iter()
            .copied()
            .chain(shapes.iter().map(|&t| (t, EXPECTED)));
        for (text, why) in table {
            let err = Date::parse(text, KYIV).unwrap_err();
            assert_eq!(err.to_string(), format!("invalid date \"{text}\": {why}"));
            assert!(!err.to_string().contains('\n'));
        }
        for blank in ["", "  \t"] {
            let err = Date::parse(blank, KYIV).unwrap_err();
            assert_eq!(err.to_string(), "missing date value");
        }
        let err: Box<dyn std::error::Error> = Box::new(Date::parse("2022~?", KYIV).unwrap_err());
        assert_eq!(
            err.to_string(),
            format!("invalid date \"2022~?\": {MARKERS}")
        );
    }

    #[test]
    fn start_and_period_end_across_zones() {
        let (beirut, santiago) = (Asia::Beirut, America::Santiago);
        // zone, text, start (also rfc3339_start), period_end
        #[rustfmt::skip]
        let table: &[(Tz, &str, &str, &str)] = &[
            // Europe/Kyiv: winter +02:00, summer +03:00; clocks move at 03:00/04:00.
            (KYIV, "2025-08-15", "2025-08-15T00:00:00+03:00", "2025-08-16T00:00:00+03:00"),
            (KYIV, "2022-02-24", "2022-02-24T00:00:00+02:00", "2022-02-25T00:00:00+02:00"),
            (KYIV, "2022-02", "2022-02-01T00:00:00+02:00", "2022-03-01T00:00:00+02:00"),
            (KYIV, "2022-03", "2022-03-01T00:00:00+02:00", "2022-04-01T00:00:00+03:00"),
            (KYIV, "2022-10", "2022-10-01T00:00:00+03:00", "2022-11-01T00:00:00+02:00"),
            (KYIV, "2022-12", "2022-12-01T00:00:00+02:00", "2023-01-01T00:00:00+02:00"),
            (KYIV, "2022", "2022-01-01T00:00:00+02:00", "2023-01-01T00:00:00+02:00"),
            (KYIV, "2022-03-27", "2022-03-27T00:00:00+02:00", "2022-03-28T00:00:00+03:00"),
            (KYIV, "2022-06-24 05:00", "2022-06-24T05:00:00+03:00", "2022-06-24T05:00:00+03:00"),
            (KYIV, "2022-03-27 02:59", "2022-03-27T02:59:00+02:00", "2022-03-27T02:59:00+02:00"),
            (KYIV, "2022-03-27 04:00", "2022-03-27T04:00:00+03:00", "2022-03-27T04:00:00+03:00"),
            // Ambiguous local time (clocks going back): the earlier instant.
            (KYIV, "2022-10-30 03:30", "2022-10-30T03:30:00+03:00", "2022-10-30T03:30:00+03:00"),
            (KYIV, "2022-10-30 04:00", "2022-10-30T04:00:00+02:00", "2022-10-30T04:00:00+02:00"),
            // A written offset is kept, not converted to the site zone.
            (KYIV, "2022-06-01T12:00+02:00", "2022-06-01T12:00:00+02:00", "2022-06-01T12:00:00+02:00"),
            (Tz::UTC, "2022-02-24", "2022-02-24T00:00:00+00:00", "2022-02-25T00:00:00+00:00"),
            (Tz::UTC, "2022-06", "2022-06-01T00:00:00+00:00", "2022-07-01T00:00:00+00:00"),
            (Tz::UTC, "2022", "2022-01-01T00:00:00+00:00", "2023-01-01T00:00:00+00:00"),
            (Tz::UTC, "2022-02-24 04:50", "2022-02-24T04:50:00+00:00", "2022-02-24T04:50:00+00:00"),
            // Asia/Beirut moves clocks forward at midnight (last Sunday of March): no 00:00.
            (beirut, "2022-03-27", "2022-03-27T01:00:00+03:00", "2022-03-28T00:00:00+03:00"),
            (beirut, "2022-03-26", "2022-03-26T00:00:00+02:00", "2022-03-27T01:00:00+03:00"),
            (beirut, "2022-03", "2022-03-01T00:00:00+02:00", "2022-04-01T00:00:00+03:00"),
            // ... and back at midnight in October: 23:00-24:00 on the Saturday happens twice.
            (beirut, "2022-10-29 23:30", "2022-10-29T23:30:00+03:00", "2022-10-29T23:30:00+03:00"),
            (beirut, "2022-10-30", "2022-10-30T00:00:00+02:00", "2022-10-31T00:00:00+02:00"),
            // America/Santiago moves clocks forward at midnight in September.
            (santiago, "2022-09-11", "2022-09-11T01:00:00-03:00", "2022-09-12T00:00:00-03:00"),
            (santiago, "2022-09", "2022-09-01T00:00:00-04:00", "2022-10-01T00:00:00-03:00"),
            // America/Havana moves clocks back at 01:00, so 00:00 happens twice: the earlier.
            (America::Havana, "2022-11-06", "2022-11-06T00:00:00-04:00", "2022-11-07T00:00:00-05:00"),
        ];
        for &(tz, text, start, end) in table {
            let date = d_in(text, tz);
            assert_eq!(date.rfc3339_start(), start, "{text} in {tz}");
            assert_eq!(rfc(date.start()), start, "{text} in {tz}");
            assert_eq!(rfc(date.period_end()), end, "{text} in {tz}");
        }
        let skipped = Date::parse("2022-03-27 00:30", beirut).unwrap();
        assert_eq!(skipped.rfc3339_start(), "2022-03-27T01:30:00+03:00");
        let want = "\"2022-03-27 00:30\" does not exist in Asia/Beirut (the clocks moved \
                    forward); read as 2022-03-27 01:30 EEST";
        assert_eq!(skipped.note(), Some(want));
        let kyiv = Date::parse("2026-03-29T03:53:00", Europe::Kyiv).unwrap();
        assert_eq!(kyiv.rfc3339_start(), "2026-03-29T04:53:00+03:00");
        assert_eq!(kyiv.display(), "29 March 2026, 04:53:00 (UTC+3)");
        assert_eq!(
            Date::parse("2026-03-29T02:53:00", Europe::Kyiv)
                .unwrap()
                .note(),
            None
        );
    }

    #[test]
    fn display_of_dates() {
        #[rustfmt::skip]
        let table: &[(Tz, &str, &str)] = &[
            (KYIV, "2014", "2014"),
            (KYIV, "2014~", "c. 2014"),
            (KYIV, "2014?", "2014?"),
            (KYIV, "2014%", "c. 2014?"),
            (KYIV, "0800", "800"),
            (KYIV, "2022-02", "February 2022"),
            (KYIV, "2022-02~", "c. February 2022"),
            (KYIV, "2022-02?", "February 2022?"),
            (KYIV, "2022-02%", "c. February 2022?"),
            (KYIV, "2022-02-04", "4 February 2022"),
            (KYIV, "2022-02-24~", "c. 24 February 2022"),
            (KYIV, "2022-02-24?", "24 February 2022?"),
            (KYIV, "2022-02-24%", "c. 24 February 2022?"),
            (KYIV, "2022-02-24 05:00", "24 February 2022, 05:00 (UTC+2)"),
            (KYIV, "2022-06-24T05:00", "24 June 2022, 05:00 (UTC+3)"),
            (KYIV, "2022-02-24T05:00:30", "24 February 2022, 05:00:30 (UTC+2)"),
            (KYIV, "2022-02-24 05:00~", "c. 24 February 2022, 05:00 (UTC+2)"),
            (KYIV, "2022-02-24 05:00?", "24 February 2022, 05:00 (UTC+2)?"),
            (KYIV, "2022-02-24 05:00%", "c. 24 February 2022, 05:00 (UTC+2)?"),
            (KYIV, "2022-10-30 03:30", "30 October 2022, 03:30 (UTC+3)"),
            (KYIV, "2022-02-24T05:00+02:00", "24 February 2022, 05:00 (UTC+2)"),
            (KYIV, "2022-02-24T05:00:00Z", "24 February 2022, 05:00:00 (UTC)"),
            (KYIV, "2022-02-24T05:00-00:00", "24 February 2022, 05:00 (UTC)"),
            (KYIV, "2022-02-24T05:00-03:30?", "24 February 2022, 05:00 (UTC-3:30)?"),
            (Tz::UTC, "2022-02-24 05:00", "24 February 2022, 05:00 (UTC)"),
            (Europe::Istanbul, "2022-02-24 05:00", "24 February 2022, 05:00 (UTC+3)"),
            (America::Santiago, "2022-09-12 10:00", "12 September 2022, 10:00 (UTC-3)"),
            (Asia::Kolkata, "2022-02-24 05:00", "24 February 2022, 05:00 (UTC+5:30)"),
        ];
        for &(tz, text, want) in table {
            assert_eq!(d_in(text, tz).display(), want, "{text} in {tz}");
        }
    }

    #[test]
    fn display_of_ranges() {
        #[rustfmt::skip]
        let table: &[(&str, Option<&str>, &str)] = &[
            ("2023-06-23", None, "23 June 2023"),
            ("2023-06-23", Some("2023-06-24"), "23–24 June 2023"),
            ("2023-06-23", Some("2023-07-02"), "23 June – 2 July 2023"),
            ("2022-12-30", Some("2023-01-02"), "30 December 2022 – 2 January 2023"),
            ("2023-06", Some("2023-07"), "June–July 2023"),
            ("2022-12", Some("2023-01"), "December 2022 – January 2023"),
            ("2014", Some("2015"), "2014–2015"),
            ("2022-02-24 05:00", Some("2022-02-24 07:30"), "24 February 2022, 05:00–07:30 (UTC+2)"),
            ("2022-02-24T05:00:10", Some("2022-02-24T07:30:20"), "24 February 2022, 05:00:10–07:30:20 (UTC+2)"),
            ("2022-02-24T05:00+02:00", Some("2022-02-24T07:30+02:00"), "24 February 2022, 05:00–07:30 (UTC+2)"),
            ("2022-02-24 05:00", Some("2022-02-25 07:30"), "24 February 2022, 05:00 (UTC+2) – 25 February 2022, 07:30 (UTC+2)"),
            ("2022-03-27 01:00", Some("2022-03-27 05:00"), "27 March 2022, 01:00 (UTC+2) – 27 March 2022, 05:00 (UTC+3)"),
            ("2022-02-24 05:00", Some("2022-02-24T07:30:15"), "24 February 2022, 05:00 (UTC+2) – 24 February 2022, 07:30:15 (UTC+2)"),
            ("2014", Some("2015-03"), "2014 – March 2015"),
            ("2022-02", Some("2022-02-24"), "February 2022 – 24 February 2022"),
            ("2014~", Some("2015"), "c. 2014 – 2015"),
            ("2023-06-23", Some("2023-06-24?"), "23 June 2023 – 24 June 2023?"),
            ("2023-06~", Some("2023-07~"), "c. June 2023 – c. July 2023"),
            ("2023-06-23", Some("2023-06-23"), "23 June 2023"),
            ("2023-06-23?", Some("2023-06-23?"), "23 June 2023?"),
            ("2023-06-23", Some("2023-06-23?"), "23 June 2023 – 23 June 2023?"),
            ("2022-02-24 05:00", Some("2022-02-24T05:00"), "24 February 2022, 05:00 (UTC+2)"),
        ];
        for &(start, end, want) in table {
            assert_eq!(range(start, end).display(), want, "{start} .. {end:?}");
        }
    }

    #[test]
    fn range_new_errors_and_accepts() {
        #[rustfmt::skip]
        let bad = [
            ("2023-06-24", "2023-06-20"),
            ("2023-06-24", "2023-06-23"),
            ("2023", "2022"),
            ("2023-06", "2023-05"),
            ("2023-06-24", "2023-06-23T23:59"),
            ("2022-02-24T05:00+02:00", "2022-02-24T02:59Z"),
            ("2023-06-24T00:00", "2023-06-23"),
            ("2023-06-24~", "2023-06-20?"),
        ];
        for (start, end) in bad {
            let err = DateRange::new(d(start), Some(d(end))).unwrap_err();
            let want = format!("end \"{end}\" is before date \"{start}\"");
            assert_eq!(err.to_string(), want);
        }
        #[rustfmt::skip]
        let good = [
            ("2023-06-10", "2023-06"),
            ("2023-06-10", "2023"),
            ("2023-06-24", "2023-06-24"),
            ("2023-06-24", "2023-06-24T00:00"),
            ("2023-06-24 12:00", "2023-06-24"),
            ("2022-02-24T05:00+02:00", "2022-02-24T03:00Z"),
            ("2022-02-24T05:00", "2022-02-24T05:00"),
        ];
        for (start, end) in good {
            assert!(
                DateRange::new(d(start), Some(d(end))).is_ok(),
                "{start} .. {end}"
            );
        }
    }

    #[test]
    fn range_instants_duration_and_contains() {
        // start, end, start_instant, end_instant, duration in hours
        #[rustfmt::skip]
        let table: &[(&str, Option<&str>, &str, &str, i64)] = &[
            ("2023-06-23", Some("2023-06-24"), "2023-06-23T00:00:00+03:00", "2023-06-25T00:00:00+03:00", 48),
            ("2023-06-23", None, "2023-06-23T00:00:00+03:00", "2023-06-24T00:00:00+03:00", 24),
            ("2022-03-27", None, "2022-03-27T00:00:00+02:00", "2022-03-28T00:00:00+03:00", 23),
            ("2022-02-24 05:00", None, "2022-02-24T05:00:00+02:00", "2022-02-24T05:00:00+02:00", 0),
            ("2022-02-24 05:00", Some("2022-02-24 07:00"), "2022-02-24T05:00:00+02:00", "2022-02-24T07:00:00+02:00", 2),
            ("2014", Some("2015-03"), "2014-01-01T00:00:00+02:00", "2015-04-01T00:00:00+03:00", 455 * 24 - 1),
        ];
        for &(start, end, from, to, hours) in table {
            let r = range(start, end);
            assert_eq!(r.start().written(), start);
            assert_eq!(r.end().map(Date::written), end);
            assert_eq!(rfc(r.start_instant()), from, "{start}");
            assert_eq!(rfc(r.end_instant()), to, "{start}");
            assert_eq!(r.duration(), TimeDelta::hours(hours), "{start}");
        }
        let era = range("2022-02-24", Some("2022-03"));
        #[rustfmt::skip]
        let table: &[(&str, Option<&str>, bool)] = &[
            ("2022-02-24", None, true),
            ("2022-02-24 00:00", None, true),
            ("2022-02-23 23:59", None, false),
            ("2022-02-23T23:30:00Z", None, true),
            ("2022-03-31 23:59", None, true),
            ("2022-04-01", None, false),
            ("2022-03-31", Some("2022-06"), true),
            ("2022", None, false),
        ];
        for &(start, end, want) in table {
            assert_eq!(era.contains(&range(start, end)), want, "{start}");
        }
        let instant = range("2022-02-24 05:00", None);
        assert!(instant.contains(&range("2022-02-24T03:00Z", None)));
        assert!(!instant.contains(&range("2022-02-24 05:01", None)));
    }

    /// `chronological` on (date, end, id) triples in Europe/Kyiv.
    fn order(a: (&str, Option<&str>, &str), b: (&str, Option<&str>, &str)) -> Ordering {
        chronological(&range(a.0, a.1), a.2, &range(b.0, b.1), b.2)
    }

    #[test]
    fn order_1_offsets_compare_as_instants() {
        let (x, y) = (d("2022-02-24T05:00:00+02:00"), d("2022-02-24T03:00:00Z"));
        assert_eq!(x.start(), y.start());
        // Equal start, precision and span: the id decides.
        let x = ("2022-02-24T05:00:00+02:00", None, "b");
        let y = ("2022-02-24T03:00:00Z", None, "a");
        assert_eq!(order(x, y), Ordering::Greater);
        assert_eq!(order(y, x), Ordering::Less);
        let x = ("2022-02-24T04:00:00+03:00", None, "z");
        let y = ("2022-02-24T03:30:00+02:00", None, "a");
        assert_eq!(order(x, y), Ordering::Less);
        assert_eq!(order(y, x), Ordering::Greater);
    }

    #[test]
    fn order_2_partial_dates_start_at_period_start_in_site_zone() {
        let x = ("2022-02-24", None, "z");
        let y = ("2022-02-23T23:30:00Z", None, "a");
        assert_eq!(order(x, y), Ordering::Less);
        assert_eq!(order(y, x), Ordering::Greater);
        // In UTC the same day starts after 23:30Z of the day before.
        let utc = |t| DateRange::new(d_in(t, Tz::UTC), None).unwrap();
        let (p, q) = (utc("2022-02-24"), utc("2022-02-23T23:30:00Z"));
        assert_eq!(chronological(&p, "z", &q, "a"), Ordering::Greater);
    }

    #[test]
    fn order_3_coarser_precision_first() {
        let texts = ["2022", "2022-01", "2022-01-01", "2022-01-01T00:00"];
        let ids = ["d", "c", "b", "a"];
        for i in 0..texts.len() {
            for j in 0..texts.len() {
                let got = order((texts[i], None, ids[i]), (texts[j], None, ids[j]));
                assert_eq!(got, i.cmp(&j), "{} vs {}", texts[i], texts[j]);
            }
        }
        // Precision decides before span: a month spanning the year still follows the year.
        let long = ("2022-01", Some("2022-12"), "a");
        assert_eq!(order(("2022", None, "z"), long), Ordering::Less);
    }

    #[test]
    fn order_4_shorter_span_first() {
        let with_end = ("2023-06-23", Some("2023-06-24"), "a");
        let without = ("2023-06-23", None, "z");
        assert_eq!(order(without, with_end), Ordering::Less);
        assert_eq!(order(with_end, without), Ordering::Greater);
    }

    #[test]
    fn order_5_then_by_id() {
        let a = ("2023-06-23", Some("2023-06-24"), "alpha");
        let b = ("2023-06-23", Some("2023-06-24?"), "beta");
        assert_eq!(order(a, b), Ordering::Less);
        assert_eq!(order(b, a), Ordering::Greater);
        assert_eq!(order(a, a), Ordering::Equal);
    }

    #[test]
    fn hand_written_formats_match_chrono() {
        for (text, offset) in [
            ("2022-02-24T05:07:09", 2 * 3600),
            ("0044-03-15T00:00:00", -(5 * 3600 + 30 * 60)),
            ("9999-12-31T23:59:59", 14 * 3600),
            ("1970-01-01T00:00:00", 0),
            ("2021-06-01T12:00:00", -(9 * 3600 + 45 * 60)),
        ] {
            let off = FixedOffset::east_opt(offset).unwrap();
            let t = off
                .from_local_datetime(&text.parse::<NaiveDateTime>().unwrap())
                .unwrap();
            assert_eq!(rfc3339(&t), rfc(t), "{text} {offset}");
        }
        for (written, machine) in [
            ("2022-02", "2022-02"),
            ("0800-12-25", "0800-12-25"),
            ("2022", "2022"),
            ("2022-02-24T05:07", "2022-02-24T05:07:00+02:00"),
        ] {
            assert_eq!(d(written).machine(), machine);
        }
        assert_eq!(year4(12345), "+12345");
        assert_eq!(year4(-44), "-0044");
    }

    fn window(a: &str, b: &str) -> DateRange {
        DateRange::window(d(a), d(b)).unwrap_or_else(|e| panic!("{a}..{b}: {e}"))
    }

    #[test]
    fn windows_read_between_their_bounds() {
        let cases = [
            ("2022-03-02", "2022-03-05", "between 2 and 5 March 2022"),
            (
                "2022-02-27",
                "2022-03-02",
                "between 27 February and 2 March 2022",
            ),
            (
                "2021-12-30",
                "2022-01-02",
                "between 30 December 2021 and 2 January 2022",
            ),
            ("2022-03", "2022-04", "between March and April 2022"),
            (
                "2022-11",
                "2023-02",
                "between November 2022 and February 2023",
            ),
            ("2022", "2023", "between 2022 and 2023"),
            (
                "2022-03",
                "2022-03-20",
                "between March 2022 and 20 March 2022",
            ),
            (
                "2022-03-02~",
                "2022-03-05",
                "between c. 2 March 2022 and 5 March 2022",
            ),
        ];
        for (a, b, shown) in cases {
            let w = window(a, b);
            assert!(w.is_window());
            assert_eq!(w.display(), shown, "{a}..{b}");
        }
        assert!(!range("2022-03-02", Some("2022-03-05")).is_window());
    }

    #[test]
    fn a_window_sorts_by_its_start_and_ends_with_its_last_bound() {
        let w = window("2022-03-02", "2022-03-05");
        assert_eq!(rfc(w.start_instant()), "2022-03-02T00:00:00+02:00");
        assert_eq!(rfc(w.end_instant()), "2022-03-06T00:00:00+02:00");
        let day = range("2022-03-03", None);
        assert_eq!(chronological(&w, "w", &day, "d"), Ordering::Less);
        let earlier = range("2022-03-01", None);
        assert_eq!(chronological(&earlier, "e", &w, "w"), Ordering::Less);
    }

    #[test]
    fn a_window_that_ends_before_it_starts_is_an_error() {
        let e = DateRange::window(d("2022-03-05"), d("2022-03-02")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the window's end \"2022-03-02\" comes before its start \"2022-03-05\""
        );
        assert!(DateRange::window(d("2023"), d("2022")).is_err());
        // Overlapping bounds are accepted, as for spans.
        assert!(DateRange::window(d("2022-03-10"), d("2022-03")).is_ok());
    }
}
