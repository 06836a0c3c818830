//! `.annals/linkcheck.json`: what each external link answered and when, so
//! that a second `check --external` asks the network only about links that
//! were dead or not checked lately.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use super::Verdict;

/// The cache file, relative to the site root.
pub const CACHE_FILE: &str = ".annals/linkcheck.json";

/// How long a good answer is trusted.
pub const MAX_AGE_DAYS: i64 = 7;

/// One URL's last answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The final HTTP status, when there was one.
    pub status: Option<u16>,
    /// Why the link is dead, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Where it moved permanently, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_to: Option<String>,
    /// When it was checked (RFC 3339, UTC).
    pub checked: String,
}

impl Record {
    /// The record of a fresh verdict.
    pub fn new(verdict: &Verdict, now: DateTime<Utc>) -> Record {
        let checked = now.to_rfc3339_opts(SecondsFormat::Secs, true);
        match verdict {
            Verdict::Alive { status, moved_to } => Record {
                status: Some(*status),
                error: None,
                moved_to: moved_to.clone(),
                checked,
            },
            Verdict::Dead { status, reason } | Verdict::Unknown { status, reason } => Record {
                status: *status,
                error: Some(reason.clone()),
                moved_to: None,
                checked,
            },
        }
    }

    /// The verdict to reuse: only a good answer younger than `max_age`.
    pub fn reusable(&self, now: DateTime<Utc>, max_age: chrono::Duration) -> Option<Verdict> {
        let checked = DateTime::parse_from_rfc3339(&self.checked).ok()?;
        let age = now.signed_duration_since(checked);
        let fresh = age >= chrono::Duration::zero() && age < max_age;
        match (self.status, &self.error) {
            (Some(status), None) if fresh && (200..300).contains(&status) => Some(Verdict::Alive {
                status,
                moved_to: self.moved_to.clone(),
            }),
            _ => None,
        }
    }
}

/// The whole cache file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cache {
    /// Format version: 1.
    pub version: u32,
    /// By URL.
    pub links: BTreeMap<String, Record>,
}

impl Cache {
    /// Reads the cache; a missing file is an empty cache, an unreadable one
    /// is an empty cache and a reason to say so.
    pub fn load(path: &Path) -> (Cache, Option<String>) {
        let text = match std::fs::read(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Cache::new(), None),
            Err(e) => return (Cache::new(), Some(format!("cannot read: {e}"))),
        };
        match serde_json::from_slice::<Cache>(&text) {
            Ok(c) if c.version == 1 => (c, None),
            Ok(c) => (
                Cache::new(),
                Some(format!("unknown version {}: starting afresh", c.version)),
            ),
            Err(e) => (
                Cache::new(),
                Some(format!("not a link cache ({e}): starting afresh")),
            ),
        }
    }

    /// An empty cache.
    pub fn new() -> Cache {
        Cache {
            version: 1,
            links: BTreeMap::new(),
        }
    }

    /// Writes the cache through a temporary file, so that an interrupted
    /// run never leaves half a file.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut text = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        text.push(b'\n');
        let temp = PathBuf::from(format!("{}.tmp-{}", path.display(), std::process::id()));
        std::fs::write(&temp, text)?;
        std::fs::rename(&temp, path).inspect_err(|_| {
            let _ = std::fs::remove_file(&temp);
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn reuses_only_recent_good_answers() {
        let week = chrono::Duration::days(MAX_AGE_DAYS);
        let checked = at("2025-01-10T12:00:00Z");
        let ok = Record::new(
            &Verdict::Alive {
                status: 200,
                moved_to: None,
            },
            checked,
        );
        assert_eq!(ok.checked, "2025-01-10T12:00:00Z");
        assert!(ok.reusable(at("2025-01-11T00:00:00Z"), week).is_some());
        assert!(ok.reusable(at("2025-01-17T11:59:59Z"), week).is_some());
        assert!(ok.reusable(at("2025-01-17T12:00:00Z"), week).is_none());
        // A clock that went backwards: do not trust the record.
        assert!(ok.reusable(at("2025-01-09T00:00:00Z"), week).is_none());

        let dead = Record::new(
            &Verdict::Dead {
                status: Some(404),
                reason: "HTTP 404 Not Found".into(),
            },
            checked,
        );
        assert!(dead.reusable(at("2025-01-10T12:00:01Z"), week).is_none());
    }

    #[test]
    fn survives_a_broken_file() {
        let dir = std::env::temp_dir().join(format!("annals-cache-test-{}", std::process::id()));
        let path = dir.join(".annals/linkcheck.json");
        assert_eq!(Cache::load(&path), (Cache::new(), None));
        let mut cache = Cache::new();
        cache.links.insert(
            "https://example.org/".into(),
            Record::new(
                &Verdict::Alive {
                    status: 200,
                    moved_to: None,
                },
                at("2025-01-10T12:00:00Z"),
            ),
        );
        cache.save(&path).unwrap();
        assert_eq!(Cache::load(&path).0, cache);
        std::fs::write(&path, "{oops").unwrap();
        let (empty, why) = Cache::load(&path);
        assert_eq!(empty, Cache::new());
        assert!(why.unwrap().contains("not a link cache"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
