//! `annals check --external`: every external source a published entry cites
//! (events' `sources: - url:` and their `archive:` copies, articles' `source_url`) is asked once whether
//! it still answers, a few at a time, and each dead one is reported at
//! every place that cites it. Good answers are kept for a week in
//! `.annals/linkcheck.json`, so that a rerun only asks about the rest.

pub mod cache;
pub mod http;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::chronology::Chronology;
use crate::content::Source;
use crate::error::{Diagnostics, Span};
use crate::yaml_locate::{Seg, key};
use cache::{Cache, Record};

/// What a URL answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A 2xx status, possibly after redirects.
    Alive {
        /// The final status.
        status: u16,
        /// Where the cited URL moved permanently (301/308), if it did.
        moved_to: Option<String>,
    },
    /// A 4xx or 5xx status, a timeout or no connection.
    Dead {
        /// The status, when there was an answer.
        status: Option<u16>,
        /// What went wrong, for the message.
        reason: String,
    },
    /// No verdict (the server asked to slow down): said, not counted as
    /// dead, not kept in the cache.
    Unknown {
        /// The status, when there was an answer.
        status: Option<u16>,
        /// Why.
        reason: String,
    },
}

/// One place where an external URL is cited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// The URL as written.
    pub url: String,
    /// Where it is written.
    pub span: Span,
    /// Which entry cites it: `event "x"`, `article "y"`.
    pub entry: String,
}

/// How to check.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long one request may take.
    pub timeout: Duration,
    /// How many URLs are checked at once.
    pub parallel: usize,
    /// The cache file; `None` to use none.
    pub cache_file: Option<PathBuf>,
    /// How long a good answer is trusted.
    pub max_age: chrono::Duration,
    /// The time now (given, so that tests can choose it).
    pub now: DateTime<Utc>,
}

impl Settings {
    /// The defaults for a site at `root`: 10 s, 8 at once, the cache in
    /// `.annals/`, a week, the clock's time.
    pub fn new(root: &std::path::Path) -> Settings {
        Settings {
            timeout: Duration::from_secs(10),
            parallel: 8,
            cache_file: Some(root.join(cache::CACHE_FILE)),
            max_age: chrono::Duration::days(cache::MAX_AGE_DAYS),
            now: Utc::now(),
        }
    }
}

/// What a check found, for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Distinct URLs cited.
    pub urls: usize,
    /// Of which answered from the cache.
    pub cached: usize,
    /// Of which dead.
    pub dead: usize,
    /// Of which moved permanently.
    pub moved: usize,
    /// Links that could not be checked because no host cited answered at
    /// all (none resolved or took a connection): the network is unreachable
    /// from here, and none of them is called dead. Zero otherwise.
    pub unreachable: usize,
}

/// Whether a verdict came with an HTTP answer (from any host).
fn answered(verdict: &Verdict) -> bool {
    match verdict {
        Verdict::Alive { .. } => true,
        Verdict::Dead { status, .. } | Verdict::Unknown { status, .. } => status.is_some(),
    }
}

/// Every external URL cited by a published entry, in chronology order.
pub fn citations(chron: &Chronology) -> Vec<Citation> {
    let mut out = Vec::new();
    for pos in 0..chron.entries.len() {
        if let Some(event) = chron.event(pos) {
            for (i, source) in event.sources.iter().enumerate() {
                if let Source::External(ext) = source {
                    // Sources with errors stop the run before this: indexes match the file.
                    let origin = event
                        .origin
                        .child(key("sources"))
                        .child(Seg::Index(i))
                        .child(key("url"));
                    out.push(Citation {
                        url: ext.url.clone(),
                        span: origin.span(),
                        entry: format!("event \"{}\"", crate::error::cut(&event.id.value)),
                    });
                    // Archived copies are asked too: a dead one preserves nothing.
                    let archive = event
                        .origin
                        .child(key("sources"))
                        .child(Seg::Index(i))
                        .child(key("archive"));
                    for (j, url) in ext.evidence().archive.iter().enumerate() {
                        let at = if ext.evidence().archive.len() > 1 {
                            archive.child(Seg::Index(j))
                        } else {
                            archive.clone()
                        };
                        out.push(Citation {
                            url: url.clone(),
                            span: at.span(),
                            entry: format!("event \"{}\" (archived copy)", event.id.value),
                        });
                    }
                }
            }
        }
        if let Some(article) = chron.article(pos)
            && let Some(url) = &article.source_url
        {
            out.push(Citation {
                url: url.trim().to_string(),
                span: article.origin.child(key("source_url")).span(),
                entry: format!("article \"{}\"", crate::error::cut(&article.slug.value)),
            });
        }
    }
    out
}

/// Checks every cited URL once and reports dead and moved ones at each
/// place that cites them (errors and warnings in `diags`).
pub fn check(citations: &[Citation], settings: &Settings, diags: &mut Diagnostics) -> Summary {
    let mut by_url: BTreeMap<&str, Vec<&Citation>> = BTreeMap::new();
    for c in citations {
        by_url.entry(c.url.as_str()).or_default().push(c);
    }
    let (mut cache, cache_problem) = match &settings.cache_file {
        Some(path) => Cache::load(path),
        None => (Cache::new(), None),
    };
    if let Some(why) = cache_problem {
        diags.warning(Span::file(cache::CACHE_FILE), why);
    }

    let mut verdicts: BTreeMap<&str, Verdict> = BTreeMap::new();
    let mut to_ask = Vec::new();
    for url in by_url.keys() {
        match cache
            .links
            .get(*url)
            .and_then(|r| r.reusable(settings.now, settings.max_age))
        {
            Some(v) => {
                verdicts.insert(url, v);
            }
            None => to_ask.push(*url),
        }
    }
    let mut summary = Summary {
        urls: by_url.len(),
        cached: verdicts.len(),
        ..Summary::default()
    };
    let asked = ask_all(&to_ask, settings);
    // No host answered at all: the network, not the links, is at fault.
    if !asked.is_empty() && !asked.iter().any(|(_, v)| answered(v)) {
        summary.unreachable = asked.len();
        return summary;
    }
    for (url, verdict) in asked {
        if !matches!(verdict, Verdict::Unknown { .. }) {
            cache
                .links
                .insert(url.to_string(), Record::new(&verdict, settings.now));
        }
        verdicts.insert(url, verdict);
    }

    for (url, verdict) in &verdicts {
        report(url, verdict, &by_url[url], diags, &mut summary);
    }
    if let Some(path) = &settings.cache_file {
        cache
            .links
            .retain(|url, _| by_url.contains_key(url.as_str()));
        if let Err(e) = cache.save(path) {
            diags.warning(
                Span::file(cache::CACHE_FILE),
                format!("cannot write the link cache: {e}"),
            );
        }
    }
    summary
}

fn report(
    url: &str,
    verdict: &Verdict,
    cited_by: &[&Citation],
    diags: &mut Diagnostics,
    summary: &mut Summary,
) {
    match verdict {
        Verdict::Alive {
            moved_to: Some(new),
            ..
        } => {
            summary.moved += 1;
            for c in cited_by {
                diags.warning(
                    c.span.clone(),
                    format!(
                        "{url} (cited by {}) has moved permanently to {new}: cite the new address",
                        c.entry
                    ),
                );
            }
        }
        Verdict::Alive { .. } => {}
        Verdict::Dead { reason, .. } => {
            summary.dead += 1;
            for c in cited_by {
                diags.error(
                    c.span.clone(),
                    format!("dead link {url} (cited by {}): {reason}", c.entry),
                );
            }
        }
        Verdict::Unknown { reason, .. } => {
            for c in cited_by {
                diags.warning(
                    c.span.clone(),
                    format!("could not check {url} (cited by {}): {reason}", c.entry),
                );
            }
        }
    }
}

/// Asks every URL, `settings.parallel` at a time.
fn ask_all<'a>(urls: &[&'a str], settings: &Settings) -> Vec<(&'a str, Verdict)> {
    if urls.is_empty() {
        return Vec::new();
    }
    let prober = http::Prober::new(settings.timeout);
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(urls.len()));
    let workers = settings.parallel.clamp(1, urls.len());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(url) = urls.get(i) else { break };
                    let verdict = prober.check(url);
                    results
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((*url, verdict));
                }
            });
        }
    });
    results.into_inner().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn citation(url: &str, file: &str, line: usize) -> Citation {
        Citation {
            url: url.into(),
            span: Span::at(file, line, 12),
            entry: format!("event \"e{line}\""),
        }
    }

    #[test]
    fn reuses_the_cache_without_asking() {
        let dir =
            std::env::temp_dir().join(format!("annals-linkcheck-test-{}", std::process::id()));
        let now = DateTime::parse_from_rfc3339("2030-05-01T00:00:00Z")
            .unwrap()
            .to_utc();
        let settings = Settings {
            timeout: Duration::from_millis(200),
            parallel: 2,
            cache_file: Some(dir.join("cache.json")),
            max_age: chrono::Duration::days(7),
            now,
        };
        // No server answers at this address: only the cache can say it is alive.
        let url = "http://127.0.0.1:9/never-asked";
        let mut cache = Cache::new();
        let alive = Verdict::Alive {
            status: 200,
            moved_to: Some("http://127.0.0.1:9/new".into()),
        };
        cache.links.insert(
            url.into(),
            Record::new(&alive, now - chrono::Duration::days(6)),
        );
        cache.links.insert(
            "http://127.0.0.1:9/no-longer-cited".into(),
            Record::new(&alive, now),
        );
        cache.save(settings.cache_file.as_ref().unwrap()).unwrap();

        let mut diags = Diagnostics::new();
        let cited = [citation(url, "a.yaml", 3), citation(url, "b.yaml", 9)];
        let summary = check(&cited, &settings, &mut diags);
        assert_eq!(
            summary,
            Summary {
                urls: 1,
                cached: 1,
                dead: 0,
                moved: 1,
                unreachable: 0,
            }
        );
        let lines: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].starts_with("warning: a.yaml:3:12: http://127.0.0.1:9/never-asked (cited by event \"e3\") has moved permanently to http://127.0.0.1:9/new"));
        let (kept, _) = Cache::load(settings.cache_file.as_ref().unwrap());
        assert_eq!(kept.links.keys().collect::<Vec<_>>(), [url]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
