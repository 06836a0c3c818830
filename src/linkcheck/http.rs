//! Asking one URL whether it is alive: HEAD first (GET when the server does
//! not do HEAD), redirects followed by hand so that a permanent move can be
//! reported, one retry when the server timed out or failed (5xx).

use std::time::Duration;

use super::Verdict;

/// Redirects followed before giving up.
const MAX_REDIRECTS: usize = 10;

/// Checks URLs with one shared HTTP agent.
pub struct Prober {
    agent: ureq::Agent,
    timeout: Duration,
    retry_delay: Duration,
}

/// What one pass over a URL (and its redirects) ended with.
enum Pass {
    /// A final status, and where the URL moved permanently if it did.
    Answer {
        status: u16,
        moved_to: Option<String>,
    },
    /// No answer.
    Failure { reason: String, timed_out: bool },
}

impl Pass {
    fn worth_a_retry(&self) -> bool {
        match self {
            Pass::Answer { status, .. } => *status >= 500 || *status == 429,
            Pass::Failure { timed_out, .. } => *timed_out,
        }
    }
}

impl Prober {
    /// A prober whose every request gives up after `timeout`.
    pub fn new(timeout: Duration) -> Prober {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(timeout))
            .user_agent(format!("annals/{} (link check)", env!("CARGO_PKG_VERSION")))
            .build();
        Prober {
            agent: ureq::Agent::new_with_config(config),
            timeout,
            retry_delay: timeout.min(Duration::from_secs(1)),
        }
    }

    /// Whether `url` is alive, retrying once after a timeout or a 5xx.
    pub fn check(&self, url: &str) -> Verdict {
        let first = self.pass(url);
        if !first.worth_a_retry() {
            return verdict(first, false);
        }
        std::thread::sleep(self.retry_delay);
        let second = self.pass(url);
        let again = second.worth_a_retry();
        verdict(second, again)
    }

    fn pass(&self, url: &str) -> Pass {
        let mut current = url.to_string();
        let mut moved_to = None;
        let mut still_permanent = true;
        for _ in 0..=MAX_REDIRECTS {
            let status = match self.status_of(&current) {
                Ok(s) => s,
                Err(failure) => return failure,
            };
            let Some(location) = status.1.filter(|_| (300..400).contains(&status.0)) else {
                return Pass::Answer {
                    status: status.0,
                    moved_to,
                };
            };
            let next = resolve(&current, &location);
            // The cited address moved for good only if every hop so far was permanent.
            still_permanent &= matches!(status.0, 301 | 308);
            if still_permanent {
                moved_to = Some(next.clone());
            }
            current = next;
        }
        Pass::Failure {
            reason: format!("more than {MAX_REDIRECTS} redirects"),
            timed_out: false,
        }
    }

    /// One request: HEAD, or GET when HEAD is refused. The status and the
    /// `Location` header.
    fn status_of(&self, url: &str) -> Result<(u16, Option<String>), Pass> {
        let head = self.agent.head(url).call();
        let response = match head {
            Ok(r) if matches!(r.status().as_u16(), 405 | 501) => self.agent.get(url).call(),
            other => other,
        }
        .map_err(|e| self.failure(e))?;
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        Ok((response.status().as_u16(), location))
    }

    fn failure(&self, e: ureq::Error) -> Pass {
        let timed_out = match &e {
            ureq::Error::Timeout(_) => true,
            ureq::Error::Io(io) => io.kind() == std::io::ErrorKind::TimedOut,
            _ => false,
        };
        let reason = match &e {
            _ if timed_out => format!("no answer within {}", seconds(self.timeout)),
            ureq::Error::HostNotFound => "host not found".to_string(),
            ureq::Error::Io(io) if io.to_string().contains("lookup address") => {
                format!("host not found ({io})")
            }
            ureq::Error::Io(io) => format!("connection failed: {io}"),
            ureq::Error::ConnectionFailed => "connection failed".to_string(),
            ureq::Error::BadUri(_) | ureq::Error::Http(_) => format!("invalid URL ({e})"),
            other => other.to_string(),
        };
        Pass::Failure { reason, timed_out }
    }
}

fn verdict(pass: Pass, twice: bool) -> Verdict {
    let again = if twice { " (twice)" } else { "" };
    match pass {
        Pass::Answer { status, moved_to } if (200..300).contains(&status) => {
            Verdict::Alive { status, moved_to }
        }
        Pass::Answer { status: 429, .. } => Verdict::Unknown {
            status: Some(429),
            reason: format!("{}{again}: the server asks to slow down", describe(429)),
        },
        Pass::Answer { status, .. } => Verdict::Dead {
            status: Some(status),
            reason: format!("{}{again}", describe(status)),
        },
        Pass::Failure { reason, .. } => Verdict::Dead {
            status: None,
            reason: format!("{reason}{again}"),
        },
    }
}

/// `HTTP 404 Not Found`.
pub fn describe(status: u16) -> String {
    let reason = ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason());
    match reason {
        Some(r) => format!("HTTP {status} {r}"),
        None => format!("HTTP {status}"),
    }
}

/// `10 s`, `0.5 s`.
pub fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{s} s")
    }
}

/// The absolute URL a `Location` header leads to from `base`.
pub fn resolve(base: &str, location: &str) -> String {
    if location.contains("://") {
        return location.to_string();
    }
    let (scheme, rest) = base.split_once("://").unwrap_or(("http", base));
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    if let Some(path) = location.strip_prefix("//") {
        return format!("{scheme}://{path}");
    }
    if location.starts_with('/') {
        return format!("{scheme}://{authority}{location}");
    }
    let path = &rest[authority_end..];
    let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
    let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
    let dir = if dir.is_empty() { "/" } else { dir };
    if location.starts_with('?') {
        return format!("{scheme}://{authority}{path}{location}");
    }
    format!("{scheme}://{authority}{dir}{location}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_locations() {
        let base = "https://example.org/a/b?x=1";
        assert_eq!(resolve(base, "https://other.org/"), "https://other.org/");
        assert_eq!(resolve(base, "//cdn.org/x"), "https://cdn.org/x");
        assert_eq!(resolve(base, "/root"), "https://example.org/root");
        assert_eq!(resolve(base, "c"), "https://example.org/a/c");
        assert_eq!(resolve(base, "?y=2"), "https://example.org/a/b?y=2");
        assert_eq!(resolve("http://h:8080", "p"), "http://h:8080/p");
    }

    #[test]
    fn describes_statuses_and_times() {
        assert_eq!(describe(404), "HTTP 404 Not Found");
        assert_eq!(describe(599), "HTTP 599");
        assert_eq!(seconds(Duration::from_secs(10)), "10 s");
        assert_eq!(seconds(Duration::from_millis(500)), "0.5 s");
    }
}
