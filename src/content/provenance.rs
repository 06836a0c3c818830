//! How an entry is known, as data: its verification, its contested figures,
//! its corrections, and what its external sources preserve (archived copies,
//! captures). Read here field by field; checked against the rest of the
//! site (registries, articles, the build's date, files) in `trust`.

use serde_yaml::Value;

use crate::date::{Date, DateStyle};
use crate::error::Diagnostics;
use crate::fields::{Fields, Located, is_valid_id, type_name};
use crate::source::Origin;
use crate::yaml_locate::Seg;

/// How an event is established, beyond its status.
#[derive(Debug, Clone)]
pub struct Verification {
    /// The status it gives (also the event's `status`).
    pub status: Located<String>,
    /// How it was verified: geolocation, chronolocation, witness, ...
    pub method: Vec<String>,
    /// Who verified it: an actor id (when it has an id's form) or free text.
    pub by: Option<Located<String>>,
    /// When it was verified.
    pub on: Option<Date>,
    /// A note for readers.
    pub note: Option<String>,
}

/// One correction of an entry.
#[derive(Debug, Clone)]
pub struct Correction {
    /// When the correction was made.
    pub date: Located<Date>,
    /// What was corrected.
    pub note: String,
}

/// The revision record of an entry: when it was last changed, and the
/// corrections that changed what it says.
#[derive(Debug, Clone, Default)]
pub struct Revisions {
    /// `updated:`, when written.
    pub updated: Option<Box<Located<Date>>>,
    /// `corrections:`, in written order.
    pub corrections: Vec<Correction>,
}

impl Revisions {
    /// The date the entry was last changed: `updated`, or its latest
    /// correction.
    pub fn last_change(&self) -> Option<&Date> {
        let latest = self
            .corrections
            .iter()
            .map(|c| &c.date.value)
            .max_by_key(|d| d.start());
        match (&self.updated, latest) {
            (Some(u), Some(c)) if c.start() > u.value.start() => Some(c),
            (Some(u), _) => Some(&u.value),
            (None, c) => c,
        }
    }
}

/// The kinds of figures annals names; others are allowed as free text.
pub const FIGURE_KINDS: [&str; 5] = ["killed", "injured", "displaced", "detained", "missing"];

/// Where a figure is said: a source of the event, or an article.
#[derive(Debug, Clone)]
pub enum FigureSource {
    /// An index into the event's `sources` (from 0).
    Index(usize),
    /// An article of this site, by slug.
    Article(Located<String>),
}

/// One claim of a number (killed, injured, ...), as low, best and high
/// estimates, any of which may be absent.
#[derive(Debug, Clone)]
pub struct Figure {
    /// Where the claim is written.
    pub origin: Origin,
    /// killed, injured, displaced, detained, missing, or free text.
    pub kind: String,
    /// The lowest estimate.
    pub low: Option<u64>,
    /// The best estimate.
    pub best: Option<u64>,
    /// The highest estimate.
    pub high: Option<u64>,
    /// Who claims it: an actor id (when it has an id's form) or free text.
    pub by: Option<Located<String>>,
    /// Where it is said.
    pub source: Option<FigureSource>,
    /// The date the figure stands at.
    pub as_of: Option<Date>,
    /// A note.
    pub note: Option<String>,
}

impl Figure {
    /// The range the claim spans: its lowest and highest number (a claim
    /// of one number spans that number); `None` without numbers.
    pub fn span(&self) -> Option<(u64, u64)> {
        claim_span(self.low, self.best, self.high)
    }
}

/// The range of a claim of `low`, `best` and `high` (see [`Figure::span`]).
pub fn claim_span(low: Option<u64>, best: Option<u64>, high: Option<u64>) -> Option<(u64, u64)> {
    let from = low.or(best).or(high)?;
    let to = high.or(best).or(low)?;
    Some((from, to))
}

/// Whether a source is a first-hand record or a report of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// A first-hand record: footage, a document, a statement.
    Primary,
    /// A report about it.
    Secondary,
}

/// A preserved copy of a source, kept with the site or elsewhere.
#[derive(Debug, Clone)]
pub struct Capture {
    /// A file, relative to the site folder.
    pub file: Option<Located<String>>,
    /// Or an address.
    pub url: Option<String>,
    /// The SHA-256 of the copy, lower-case hex.
    pub sha256: Located<String>,
}

/// What an external source preserves and says of itself.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// Archived copies (Wayback Machine, archive.today, ...).
    pub archive: Vec<String>,
    /// When it was published.
    pub published: Option<Date>,
    /// Its BCP 47 language tag.
    pub language: Option<String>,
    /// Primary or secondary.
    pub kind: Option<SourceKind>,
    /// video, photo, document, statement, report, ...
    pub kind_type: Option<String>,
    /// A preserved copy.
    pub capture: Option<Capture>,
}

impl Evidence {
    /// Nothing preserved or said.
    pub const NONE: Evidence = Evidence {
        archive: Vec::new(),
        published: None,
        language: None,
        kind: None,
        kind_type: None,
        capture: None,
    };

    /// Whether nothing is preserved or said.
    pub fn is_empty(&self) -> bool {
        self.archive.is_empty()
            && self.published.is_none()
            && self.language.is_none()
            && self.kind.is_none()
            && self.kind_type.is_none()
            && self.capture.is_none()
    }
}

/// True for an `http(s)://` address.
pub fn is_web_url(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// Reads `verification:`.
pub fn read_verification(
    value: &Value,
    origin: Origin,
    style: DateStyle,
    diags: &mut Diagnostics,
) -> Option<Verification> {
    let mut f = Fields::new(value, origin, "verification", diags)?;
    let status = f.text("status").map(|s| s.trim().to_lowercase());
    let status_origin = f.origin_of("status");
    let method: Vec<String> = f
        .text_list("method")
        .into_iter()
        .map(|m| m.value.trim().to_string())
        .filter(|m| !m.is_empty())
        .collect();
    let by = located_text(&mut f, "by");
    let on = f.date("on", style).map(|d| d.value);
    let note = f.text("note").filter(|n| !n.trim().is_empty());
    let origin = f.origin().clone();
    f.finish();
    let Some(status) = status else {
        diags.error(
            origin.span(),
            "a verification is missing the required field `status`",
        );
        return None;
    };
    Some(Verification {
        status: Located {
            value: status,
            origin: status_origin,
        },
        method,
        by,
        on,
        note,
    })
}

/// A text field with where it is written.
fn located_text(f: &mut Fields<'_>, key: &'static str) -> Option<Located<String>> {
    let value = f.text(key)?.trim().to_string();
    (!value.is_empty()).then(|| Located {
        value,
        origin: f.origin_of(key),
    })
}

/// Reads `updated:` and `corrections:` of an entry's fields.
pub fn read_revisions(f: &mut Fields<'_>, style: DateStyle) -> Revisions {
    let updated = f.date("updated", style);
    let corrections = match f.nested("corrections") {
        Some((v, o)) => read_list(v, o, "corrections", f.diags, |item, o, d| {
            read_correction(item, o, style, d)
        }),
        None => Vec::new(),
    };
    Revisions {
        updated: updated.map(Box::new),
        corrections,
    }
}

/// Reads every item of a list field with `read`.
fn read_list<T>(
    value: &Value,
    origin: Origin,
    what: &str,
    diags: &mut Diagnostics,
    mut read: impl FnMut(&Value, Origin, &mut Diagnostics) -> Option<T>,
) -> Vec<T> {
    let Value::Sequence(items) = value else {
        diags.error(
            origin.span(),
            format!("`{what}` must be a list, found {}", type_name(value)),
        );
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| read(item, origin.child(Seg::Index(i)), diags))
        .collect()
}

fn read_correction(
    value: &Value,
    origin: Origin,
    style: DateStyle,
    diags: &mut Diagnostics,
) -> Option<Correction> {
    let mut f = Fields::new(value, origin, "correction", diags)?;
    let date = f.required_date("date", style);
    let note = f.required_text("note");
    f.finish();
    Some(Correction {
        date: date?,
        note: note?.trim().to_string(),
    })
}

/// Reads `figures:`; `sources` is how many sources the event lists.
pub fn read_figures(
    value: &Value,
    origin: Origin,
    sources: usize,
    style: DateStyle,
    diags: &mut Diagnostics,
) -> Vec<Figure> {
    read_list(value, origin, "figures", diags, |item, o, d| {
        read_figure(item, o, sources, style, d)
    })
}

fn read_figure(
    value: &Value,
    origin: Origin,
    sources: usize,
    style: DateStyle,
    diags: &mut Diagnostics,
) -> Option<Figure> {
    let mut f = Fields::new(value, origin, "figure", diags)?;
    let kind = f.required_text("kind").map(|k| k.trim().to_lowercase());
    let kind_origin = f.origin_of("kind");
    let low = count(&mut f, "low");
    let best = count(&mut f, "best");
    let high = count(&mut f, "high");
    let by = located_text(&mut f, "by");
    let source = f
        .nested("source")
        .and_then(|(v, o)| figure_source(v, o, sources, f.diags));
    let as_of = f.date("as_of", style).map(|d| d.value);
    let note = f.text("note").filter(|n| !n.trim().is_empty());
    let origin = f.origin().clone();
    f.finish();
    let kind = kind?;
    if let Some(near) = crate::suggest::did_you_mean(&kind, FIGURE_KINDS)
        && !FIGURE_KINDS.contains(&kind.as_str())
    {
        diags.error(
            kind_origin.span(),
            format!("unknown figure kind \"{kind}\": did you mean `{near}`? (other kinds are free text, but not near-misses of {})", FIGURE_KINDS.join(", ")),
        );
        return None;
    }
    let named = [("low", low), ("best", best), ("high", high)];
    let present: Vec<(&str, u64)> = named
        .iter()
        .filter_map(|(n, v)| v.flatten().map(|v| (*n, v)))
        .collect();
    if named.iter().any(|(_, v)| v.is_none()) {
        return None;
    }
    for pair in present.windows(2) {
        let ((a, x), (b, y)) = (pair[0], pair[1]);
        if x > y {
            diags.error(
                origin.child(Seg::Key(b.to_string())).span(),
                format!("figure range is inverted: {a} {x} is greater than {b} {y} (low <= best <= high)"),
            );
            return None;
        }
    }
    Some(Figure {
        origin,
        kind,
        low: low.flatten(),
        best: best.flatten(),
        high: high.flatten(),
        by,
        source,
        as_of,
        note,
    })
}

/// A figure's number: `Some(None)` when absent, `None` when invalid
/// (reported).
fn count(f: &mut Fields<'_>, key: &'static str) -> Option<Option<u64>> {
    let origin = f.origin_of(key);
    let Some((v, _)) = f.nested(key) else {
        return Some(None);
    };
    if let Some(n) = v.as_u64() {
        return Some(Some(n));
    }
    let shown = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("\"{s}\""),
        other => type_name(other).to_string(),
    };
    let why = match v.as_i64() {
        Some(_) => "must not be negative",
        None => "must be a whole number",
    };
    f.diags.error(
        origin.span(),
        format!("figure `{key}` is {shown}: it {why} (a count of people, 0 or more)"),
    );
    None
}

fn figure_source(
    value: &Value,
    origin: Origin,
    sources: usize,
    diags: &mut Diagnostics,
) -> Option<FigureSource> {
    match value {
        Value::Number(n) => match n.as_u64() {
            Some(i) if (i as usize) < sources => Some(FigureSource::Index(i as usize)),
            _ => {
                let listed = match sources {
                    0 => "the event lists no sources".to_string(),
                    1 => "the event lists 1 source: use 0".to_string(),
                    n => format!("the event lists {n} sources: use 0 to {}", n - 1),
                };
                diags.error(
                    origin.span(),
                    format!("figure source index {n} is out of range: {listed}"),
                );
                None
            }
        },
        Value::String(s) if is_valid_id(s.trim()) => Some(FigureSource::Article(Located {
            value: s.trim().to_string(),
            origin,
        })),
        other => {
            let shown = match other {
                Value::String(s) => format!("\"{s}\""),
                o => type_name(o).to_string(),
            };
            diags.error(
                origin.span(),
                format!("figure `source` is {shown}: use the index of one of the event's sources (from 0) or an article's slug"),
            );
            None
        }
    }
}

/// Reads what an external source's fields say of its preservation and
/// nature: `archive`, `published`, `language`, `kind`, `type`, `capture`.
pub fn read_evidence(f: &mut Fields<'_>, style: DateStyle) -> Evidence {
    let archive = read_archive(f);
    let published = f.date("published", style).map(|d| d.value);
    let language = f.text("language").map(|l| l.trim().to_string());
    if let Some(lang) = &language
        && !is_language_tag(lang)
    {
        let span = f.origin_of("language").span();
        f.diags.error(
            span,
            format!("source language \"{lang}\" is not a BCP 47 tag (such as uk, ru, en-GB)"),
        );
    }
    let kind = f.text("kind").and_then(|k| {
        let k = k.trim().to_lowercase();
        match k.as_str() {
            "primary" => Some(SourceKind::Primary),
            "secondary" => Some(SourceKind::Secondary),
            _ => {
                let span = f.origin_of("kind").span();
                let hint = crate::suggest::did_you_mean(&k, ["primary", "secondary"])
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| {
                        "use primary or secondary (and `type:` for video, photo, document, ...)"
                            .to_string()
                    });
                f.diags
                    .error(span, format!("unknown source kind \"{k}\": {hint}"));
                None
            }
        }
    });
    let kind_type = f
        .text("type")
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let capture = f
        .nested("capture")
        .and_then(|(v, o)| read_capture(v, o, f.diags));
    Evidence {
        archive,
        published,
        language,
        kind,
        kind_type,
        capture,
    }
}

fn read_archive(f: &mut Fields<'_>) -> Vec<String> {
    let list = f.text_list("archive");
    let mut out = Vec::new();
    for url in list {
        let u = url.value.trim().to_string();
        if is_web_url(&u) {
            out.push(u);
        } else {
            f.diags.error(
                url.origin.span(),
                format!("archive URL \"{u}\" must start with https:// or http://"),
            );
        }
    }
    out
}

fn read_capture(value: &Value, origin: Origin, diags: &mut Diagnostics) -> Option<Capture> {
    let mut f = Fields::new(value, origin, "capture", diags)?;
    let file = located_text(&mut f, "file");
    let url = f.text("url").map(|u| u.trim().to_string());
    let sha = located_text(&mut f, "sha256");
    let origin = f.origin().clone();
    f.finish();
    if file.is_none() && url.is_none() {
        diags.error(
            origin.span(),
            "a capture needs `file:` (a path in the site folder) or `url:`",
        );
        return None;
    }
    if let Some(u) = &url
        && !is_web_url(u)
    {
        diags.error(
            origin.child(Seg::Key("url".into())).span(),
            format!("capture url \"{u}\" must start with https:// or http://"),
        );
        return None;
    }
    let Some(mut sha) = sha else {
        diags.error(
            origin.span(),
            "a capture is missing the required field `sha256` (the hash readers match a copy against)",
        );
        return None;
    };
    sha.value = sha.value.to_ascii_lowercase();
    if sha.value.len() != 64 || !sha.value.bytes().all(|b| b.is_ascii_hexdigit()) {
        diags.error(
            sha.origin.span(),
            format!(
                "capture sha256 \"{}\" must be 64 hexadecimal digits",
                sha.value
            ),
        );
        return None;
    }
    Some(Capture {
        file,
        url,
        sha256: sha,
    })
}

/// A loose BCP 47 check: letters and digits in subtags of 1 to 8, joined by
/// hyphens, the first of 2 to 3 letters (or `i`/`x`).
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    let first_ok = (2..=3).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_alphabetic())
        || matches!(first, "i" | "x");
    first_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags() {
        for good in ["uk", "en-GB", "zh-Hant-TW", "ru"] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in ["", "english", "e", "en_GB", "en-"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }

    #[test]
    fn a_claim_spans_its_numbers() {
        assert_eq!(claim_span(Some(12), None, Some(40)), Some((12, 40)));
        assert_eq!(claim_span(None, Some(85), None), Some((85, 85)));
        assert_eq!(claim_span(Some(3), None, None), Some((3, 3)));
        assert_eq!(claim_span(None, Some(5), Some(9)), Some((5, 9)));
        assert_eq!(claim_span(None, None, None), None);
    }
}
