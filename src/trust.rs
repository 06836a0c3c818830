//! Checks of provenance against the rest of the site: who is named as
//! verifier or claimant (the actor registry), which article a figure cites,
//! corrections against the entry's publication and the build's date,
//! captures against the files they name, and (for `check`) sources that
//! have no archived copy.

use std::path::Path;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::Config;
use crate::content::provenance::{Capture, Revisions};
use crate::content::{Content, Source};
use crate::date::{Date, DateRange};
use crate::error::Diagnostics;
use crate::fields::{Located, is_valid_id};
use crate::suggest::did_you_mean;

/// How `check` treats an external source without an archived copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Archives {
    /// Not looked at (a build).
    #[default]
    Ignore,
    /// A warning (`annals check`).
    Warn,
    /// An error (`annals check --require-archive`).
    Require,
}

/// What the checks need besides the content.
pub struct Settings<'a> {
    /// The site folder (captures are relative to it).
    pub root: &'a Path,
    /// The build's date: corrections after it are errors.
    pub now: NaiveDate,
    /// How sources without an archived copy are reported.
    pub archives: Archives,
}

/// Today in the site's time zone: the default of `--now`.
pub fn today(config: &Config) -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&config.timezone)
        .date_naive()
}

/// Runs every check; problems go to `diags`.
pub fn check(content: &Content, config: &Config, settings: &Settings<'_>, diags: &mut Diagnostics) {
    let day = settings.now.format("%Y-%m-%d").to_string();
    let end_of_now = Date::parse(&day, config.timezone)
        .map(|d| d.period_end())
        .ok();
    let actors = content.actors.as_ref().filter(|r| !r.failed);
    let article_slugs: Vec<&str> = content
        .articles
        .iter()
        .map(|a| a.slug.value.as_str())
        .collect();
    let known_article =
        |slug: &str| article_slugs.contains(&slug) || content.broken_ids.contains(slug);
    // Events of one file come one after another: each part of the events,
    // checked on a core of its own, has a locator of its own, and their
    // messages are put in their order.
    let check_event = |e: &crate::content::Event,
                       locator: &mut crate::source::Locator,
                       diags: &mut Diagnostics| {
        let what = || format!("event \"{}\"", e.id.value);
        revisions(&e.revisions, &e.dates, &what, end_of_now, &day, diags);
        let verifier = e.verification.as_ref().and_then(|v| v.by.as_ref());
        let claimants = e.figures.iter().filter_map(|f| f.by.as_ref());
        for by in verifier.into_iter().chain(claimants) {
            check_actor(by, actors, diags);
        }
        for fig in &e.figures {
            if let Some(crate::content::provenance::FigureSource::Article(slug)) = &fig.source
                && !known_article(&slug.value)
            {
                let hint = did_you_mean(&slug.value, article_slugs.iter().copied())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                diags.error(
                    slug.origin.span(),
                    format!(
                        "figure source \"{}\" is neither a source index nor an article of this site{hint}",
                        slug.value
                    ),
                );
            }
        }
        for (i, source) in e.sources.iter().enumerate() {
            let Source::External(ext) = source else {
                continue;
            };
            if let Some(capture) = &ext.evidence().capture {
                check_capture(capture, settings.root, diags);
            }
            if ext.evidence().archive.is_empty() && settings.archives != Archives::Ignore {
                // Where the source is, made only for a message.
                let at = e
                    .origin
                    .child(crate::yaml_locate::Seg::Key("sources".into()))
                    .child(crate::yaml_locate::Seg::Index(i));
                let message = format!(
                    "source {} of event \"{}\" has no archived copy (`archive:`): {}",
                    i, e.id.value, ext.url
                );
                let span = locator.span(&at);
                if settings.archives == Archives::Require {
                    diags.error(span, message);
                } else {
                    diags.warning(span, message);
                }
            }
        }
    };
    let parts: Vec<Diagnostics> = content
        .events
        .par_chunks(EVENTS_PER_PART)
        .map(|events| {
            let mut found = Diagnostics::new();
            let mut locator = crate::source::Locator::default();
            for e in events {
                check_event(e, &mut locator, &mut found);
            }
            found
        })
        .collect();
    for found in parts {
        diags.extend(found);
    }
    if let Some(slug) = &config.methodology
        && !content.pages.iter().any(|p| &p.slug.value == slug)
    {
        let pages = content.pages.iter().map(|p| p.slug.value.as_str());
        let hint = did_you_mean(slug, pages)
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_else(|| format!(" (write it as content/pages/{slug}.md)"));
        let line = std::fs::read_to_string(settings.root.join(crate::config::CONFIG_FILE))
            .ok()
            .and_then(|t| t.lines().position(|l| l.starts_with("methodology:")))
            .map_or(0, |i| i + 1);
        diags.error(
            crate::error::Span::at(crate::config::CONFIG_FILE, line, 1),
            format!("`methodology: {slug}` names no free page{hint}"),
        );
    }
    for a in &content.articles {
        let what = || format!("article \"{}\"", a.slug.value);
        revisions(&a.revisions, &a.dates, &what, end_of_now, &day, diags);
    }
}

/// Events checked together on one core.
const EVENTS_PER_PART: usize = 4096;

/// A correction or `updated:` must fall between the entry's publication
/// (its date) and the build's date. `what` names the entry (made only for
/// a message: every entry is checked on every rebuild).
fn revisions(
    r: &Revisions,
    dates: &DateRange,
    what: &dyn Fn() -> String,
    end_of_now: Option<chrono::DateTime<chrono::FixedOffset>>,
    day: &str,
    diags: &mut Diagnostics,
) {
    let published = dates.start_instant();
    let dated = r
        .corrections
        .iter()
        .map(|c| ("correction", &c.date))
        .chain(r.updated.iter().map(|u| ("`updated`", &**u)));
    for (label, date) in dated {
        let d = &date.value;
        if end_of_now.is_some_and(|now| d.start() >= now) {
            diags.error(
                date.origin.span(),
                format!(
                    "{label} dated {} is in the future (the build's date is {day}; `--now` sets another)",
                    d.written()
                ),
            );
        } else if d.period_end() <= published {
            diags.error(
                date.origin.span(),
                format!(
                    "{label} dated {} is before the publication of {} ({})",
                    d.written(),
                    what(),
                    dates.start().written()
                ),
            );
        }
    }
}

/// A `by:` that has an id's form names an actor: with a registry, it must
/// be one of its ids.
fn check_actor(
    by: &Located<String>,
    registry: Option<&crate::content::Registry>,
    diags: &mut Diagnostics,
) {
    let Some(registry) = registry else { return };
    if !is_valid_id(&by.value)
        || registry.get(&by.value).is_some()
        || registry.broken_ids.contains(&by.value)
    {
        return;
    }
    let hint = did_you_mean(&by.value, registry.ids())
        .map(|s| format!("did you mean `{s}`?"))
        .unwrap_or_else(|| {
            "add it to content/actors.yaml, or write a name (free text with capitals or spaces)"
                .to_string()
        });
    diags.error(
        by.origin.span(),
        format!("`by` names an unknown actor \"{}\": {hint}", by.value),
    );
}

/// A capture kept in the site folder must be there and have its hash.
fn check_capture(capture: &Capture, root: &Path, diags: &mut Diagnostics) {
    let Some(file) = &capture.file else { return };
    let rel = Path::new(file.value.trim_start_matches('/'));
    let inside = !rel
        .components()
        .any(|c| matches!(c, std::path::Component::ParentDir));
    let bytes = if inside {
        std::fs::read(root.join(rel))
    } else {
        Err(std::io::Error::other("outside the site folder"))
    };
    match bytes {
        Err(e) => diags.error(
            file.origin.span(),
            format!("capture file \"{}\" cannot be read: {e}", file.value),
        ),
        Ok(bytes) => {
            let actual = crate::digest::sha256_hex(&bytes);
            if actual != capture.sha256.value {
                diags.error(
                    capture.sha256.origin.span(),
                    format!(
                        "capture file \"{}\" does not match its sha256: written {}, the file has {actual}",
                        file.value, capture.sha256.value
                    ),
                );
            }
        }
    }
}
