//! `annals check --external` against a local HTTP server that answers 200,
//! 301, 302, 404, 500, 405 to HEAD, fails once, or never answers.

mod common;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::Site;

/// A tiny HTTP/1.1 server on a free loopback port, counting requests.
struct Server {
    port: u16,
    state: Arc<State>,
}

#[derive(Default)]
struct State {
    /// (method, path) → how many times asked.
    asked: Mutex<HashMap<(String, String), usize>>,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
    stop: AtomicBool,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(State::default());
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let state = Arc::clone(&shared);
                std::thread::spawn(move || answer(stream, &state));
            }
        });
        Server { port, state }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn asked(&self, method: &str, path: &str) -> usize {
        let asked = self.state.asked.lock().unwrap();
        asked
            .get(&(method.to_string(), path.to_string()))
            .copied()
            .unwrap_or(0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
    }
}

fn answer(mut stream: TcpStream, state: &State) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).to_string();
    let mut words = head.split_whitespace();
    let (method, path) = (
        words.next().unwrap_or("").to_string(),
        words.next().unwrap_or("").to_string(),
    );
    let times = {
        let mut asked = state.asked.lock().unwrap();
        let n = asked.entry((method.clone(), path.clone())).or_insert(0);
        *n += 1;
        *n
    };
    let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    state.most_in_flight.fetch_max(now, Ordering::SeqCst);
    let reply = match path.as_str() {
        "/ok" => "200 OK",
        "/moved" => "301 Moved Permanently\r\nLocation: /ok",
        "/moved-twice" => "308 Permanent Redirect\r\nLocation: /moved",
        "/temporary" => "302 Found\r\nLocation: /ok",
        "/gone" => "404 Not Found",
        "/broken" => "500 Internal Server Error",
        "/flaky" if times == 1 => "503 Service Unavailable",
        "/flaky" => "200 OK",
        "/no-head" if method == "HEAD" => "405 Method Not Allowed",
        "/no-head" => "200 OK",
        "/slow" => {
            // Never answer (until the test is over).
            let until = Instant::now() + Duration::from_secs(30);
            while !state.stop.load(Ordering::SeqCst) && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(20));
            }
            state.in_flight.fetch_sub(1, Ordering::SeqCst);
            return;
        }
        p if p.starts_with("/delay/") => {
            std::thread::sleep(Duration::from_millis(300));
            "200 OK"
        }
        _ => "404 Not Found",
    };
    state.in_flight.fetch_sub(1, Ordering::SeqCst);
    let _ = write!(
        stream,
        "HTTP/1.1 {reply}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
}

/// A site whose entries cite `urls`: events `e1`.. in one file, each citing
/// the URLs of its group, and an article citing `article_url`.
fn site_citing(groups: &[&[String]], article_url: &str) -> Site {
    let site = Site::empty();
    site.write(
        "site.yaml",
        "title: Links\nbase_url: https://example.org/\ntimezone: UTC\n",
    );
    let mut events = String::new();
    for (i, urls) in groups.iter().enumerate() {
        events.push_str(&format!(
            "- id: e{}\n  date: 2024-01-0{}\n  title: Event {}\n  sources:\n",
            i + 1,
            i + 1,
            i + 1
        ));
        for url in *urls {
            events.push_str(&format!("    - url: {url}\n      title: A source\n"));
        }
    }
    site.write("content/events/events.yaml", events);
    site.write(
        "content/articles/story.md",
        format!("---\ntitle: A story\ndate: 2024-02-01\nsource_url: {article_url}\n---\nText.\n"),
    );
    site
}

/// The line of the `url:` (or `source_url:`) that holds `url` in `rel`.
fn line_of(site: &Site, rel: &str, url: &str) -> usize {
    let text = site.read(rel);
    text.lines()
        .position(|l| l.trim_end().ends_with(&format!(": {url}")))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("{url} not in {rel}"))
}

const EVENTS: &str = "content/events/events.yaml";
const ARTICLE: &str = "content/articles/story.md";

#[test]
fn dead_links_are_reported_where_each_entry_cites_them() {
    let server = Server::start();
    let refused = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://127.0.0.1:{}/", l.local_addr().unwrap().port())
    };
    let u = |p: &str| server.url(p);
    let site = site_citing(
        &[
            &[u("/ok"), u("/moved"), u("/gone"), u("/temporary")],
            &[u("/broken"), u("/slow"), u("/flaky"), u("/moved-twice")],
            &[u("/gone"), refused.clone()],
        ],
        &u("/no-head"),
    );
    let started = Instant::now();
    let run = site.run(&["check", "--external", "--timeout", "0.5"]);
    run.exit(1);

    // Each dead URL at every place that cites it, with the entry and what went wrong.
    let gone = u("/gone");
    let gone_lines: Vec<usize> = site
        .read(EVENTS)
        .lines()
        .enumerate()
        .filter(|(_, l)| l.ends_with(&format!(": {gone}")))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(gone_lines.len(), 2);
    run.error_at(
        EVENTS,
        gone_lines[0],
        &[&gone, "event \"e1\"", "HTTP 404 Not Found"],
    );
    run.error_at(
        EVENTS,
        gone_lines[1],
        &[&gone, "event \"e3\"", "HTTP 404 Not Found"],
    );
    run.error_at(
        EVENTS,
        line_of(&site, EVENTS, &u("/broken")),
        &[
            &u("/broken"),
            "event \"e2\"",
            "HTTP 500 Internal Server Error (twice)",
        ],
    );
    run.error_at(
        EVENTS,
        line_of(&site, EVENTS, &u("/slow")),
        &[&u("/slow"), "no answer within 0.5 s (twice)"],
    );
    run.error_at(
        EVENTS,
        line_of(&site, EVENTS, &refused),
        &[&refused, "connection failed"],
    );
    assert_eq!(run.errors().len(), 5, "{}", run.stderr);

    // A permanent move is a warning that names the new address; a temporary one is fine.
    let moved = format!(
        "warning: {EVENTS}:{}:",
        line_of(&site, EVENTS, &u("/moved"))
    );
    assert!(
        run.stderr
            .lines()
            .any(|l| l.starts_with(&moved)
                && l.contains(&format!("moved permanently to {}", u("/ok")))),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(&format!(
        "{} (cited by event \"e2\") has moved permanently to {}",
        u("/moved-twice"),
        u("/ok")
    )));
    assert!(!run.stderr.contains(&format!("{} (cited", u("/temporary"))));
    for fine in ["/ok", "/no-head", "/flaky"] {
        assert!(
            !run.stderr.contains(&format!("{} (cited", u(fine))),
            "{fine}\n{}",
            run.stderr
        );
    }
    run.prints("external links: 10 checked (0 from the cache), 4 dead, 2 moved permanently");
    run.prints("failed: 4 dead links, cited 5 times");

    // Each URL asked once (HEAD), GET only where HEAD is refused, one retry after 5xx or timeout.
    assert_eq!(server.asked("HEAD", "/gone"), 1, "cited twice, asked once");
    assert_eq!(server.asked("GET", "/gone"), 0);
    assert_eq!(server.asked("HEAD", "/no-head"), 1);
    assert_eq!(server.asked("GET", "/no-head"), 1);
    assert_eq!(server.asked("HEAD", "/broken"), 2);
    assert_eq!(server.asked("HEAD", "/flaky"), 2);
    assert_eq!(server.asked("HEAD", "/slow"), 2);
    // The timeouts ran side by side with the rest, and were short.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_rerun_asks_only_about_links_not_known_to_be_good() {
    let server = Server::start();
    let u = |p: &str| server.url(p);
    let site = site_citing(&[&[u("/ok"), u("/gone")], &[u("/moved")]], &u("/no-head"));
    site.run(&["check", "--external", "--timeout", "2"]).exit(1);
    let cache: serde_json::Value =
        serde_json::from_str(&site.read(".annals/linkcheck.json")).unwrap();
    assert_eq!(cache["links"][u("/ok")]["status"], 200);
    assert_eq!(cache["links"][u("/gone")]["status"], 404);
    assert_eq!(cache["links"][u("/moved")]["moved_to"], u("/ok"));
    assert!(
        cache["links"][u("/ok")]["checked"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );

    let run = site.run(&["check", "--external", "--timeout", "2"]);
    run.exit(1)
        .prints("external links: 4 checked (3 from the cache), 1 dead, 1 moved permanently");
    assert_eq!(
        server.asked("HEAD", "/ok"),
        2,
        "once by /ok, once by /moved's redirect"
    );
    assert_eq!(server.asked("HEAD", "/moved"), 1, "the move is remembered");
    assert_eq!(server.asked("HEAD", "/no-head"), 1);
    assert_eq!(
        server.asked("HEAD", "/gone"),
        2,
        "dead links are asked again"
    );
    assert!(
        run.stderr.contains("has moved permanently to"),
        "still reported from the cache"
    );

    // A good answer older than a week is asked again.
    let mut cache: serde_json::Value =
        serde_json::from_str(&site.read(".annals/linkcheck.json")).unwrap();
    cache["links"][u("/ok")]["checked"] = "2000-01-01T00:00:00Z".into();
    site.write(".annals/linkcheck.json", cache.to_string());
    site.run(&["check", "--external", "--timeout", "2"])
        .exit(1)
        .prints("(2 from the cache)");
    assert_eq!(server.asked("HEAD", "/ok"), 3);

    // Fixed, the site checks clean; a broken cache file is only a warning.
    site.write(EVENTS, site.read(EVENTS).replace(&u("/gone"), &u("/ok")));
    site.write(".annals/linkcheck.json", "{not json");
    let run = site.run(&["check", "--external", "--timeout", "2"]);
    run.success().prints("0 dead");
    assert!(
        run.stderr
            .contains("warning: .annals/linkcheck.json: not a link cache")
    );
    assert!(
        site.read(".annals/linkcheck.json")
            .contains("\"version\": 1")
    );
}

#[test]
fn at_most_eight_links_are_asked_at_once() {
    let server = Server::start();
    let urls: Vec<String> = (0..20)
        .map(|i| server.url(&format!("/delay/{i}")))
        .collect();
    let site = site_citing(&[&urls[..10], &urls[10..]], &server.url("/ok"));
    let run = site.run(&["check", "--external"]);
    run.success().prints("external links: 21 checked");
    let most = server.state.most_in_flight.load(Ordering::SeqCst);
    assert!((2..=8).contains(&most), "{most} requests at once");
}

#[test]
fn check_without_external_asks_nothing() {
    let server = Server::start();
    let site = site_citing(&[&[server.url("/gone")]], &server.url("/gone"));
    site.run(&["check"]).success();
    assert_eq!(server.asked("HEAD", "/gone"), 0);
    assert!(!site.path(".annals").exists());
    site.run(&["check", "--timeout", "3"]).exit(2);
    site.run(&["check", "--external", "--timeout", "-1"])
        .exit(2);
}

#[test]
fn an_article_source_url_is_checked_too() {
    let server = Server::start();
    let gone = server.url("/gone");
    let site = site_citing(&[&[server.url("/ok")]], &gone);
    let run = site.run(&["check", "--external"]);
    run.exit(1).error_at(
        ARTICLE,
        line_of(&site, ARTICLE, &gone),
        &[&gone, "article \"story\"", "HTTP 404 Not Found"],
    );
    assert_eq!(run.errors().len(), 1, "{}", run.stderr);
}

#[test]
fn archived_copies_are_checked_too_and_a_dead_one_is_reported_at_its_line() {
    let server = Server::start();
    let u = |p: &str| server.url(p);
    let site = Site::empty();
    site.write(
        "site.yaml",
        "title: Links\nbase_url: https://example.org/\ntimezone: UTC\n",
    );
    site.write(
        EVENTS,
        format!(
            "- id: e1\n  date: 2024-01-01\n  title: Event 1\n  sources:\n    - url: {}\n      title: A source\n      archive:\n        - {}\n        - {}\n",
            u("/ok"),
            u("/delay/archived"),
            u("/gone")
        ),
    );
    let run = site.run(&["check", "--external", "--timeout", "2"]);
    run.exit(1);
    assert_eq!(
        server.asked("HEAD", "/delay/archived"),
        1,
        "the live archived copy is asked"
    );
    let line = site.line_of(EVENTS, &u("/gone"));
    run.error_at(EVENTS, line, &[&u("/gone"), "archived copy", "HTTP 404"]);
    assert_eq!(run.errors().len(), 1, "{}", run.stderr);
}
