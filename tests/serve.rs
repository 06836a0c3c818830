//! `annals serve` end to end: the real binary serves a fixture site over
//! HTTP; the test edits, adds, renames and deletes files, waits for the
//! live-reload events, and at the end compares every served file with a
//! fresh `annals build` of the same files, byte for byte.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_annals");
const WAIT: Duration = Duration::from_secs(20);

fn temp_site(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("annals-serve-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("content/events")).unwrap();
    std::fs::create_dir_all(dir.join("content/articles")).unwrap();
    write(
        &dir,
        "site.yaml",
        "title: Serve test\nbase_url: https://example.org/war/\ntimezone: Europe/Kyiv\nper_page: 2\n",
    );
    write(
        &dir,
        "content/events/a.yaml",
        "- id: first\n  date: 2022-02-24\n  title: First event\n  track: military\n- id: second\n  date: 2022-03\n  title: Second event\n  related: [first]\n",
    );
    // A static folder from the start: a stylesheet added to it later is a
    // stylesheet-only change (a new folder would be reported as well).
    write(&dir, "static/notes.txt", "kept as is\n");
    write(
        &dir,
        "content/articles/report.md",
        "---\ntitle: A report\ndate: 2022-03-01\nevents: [first]\n---\nBody of the report.\n",
    );
    dir
}

/// Writes a file whole, the way editors save: into a temporary file the
/// watcher leaves out, then renamed over the old one. (Written in place, a
/// rebuild may read it between its truncation and its content.)
fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    let dir = path.parent().unwrap();
    std::fs::create_dir_all(dir).unwrap();
    let name = path.file_name().unwrap().to_string_lossy();
    let temp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, &path).unwrap();
}

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path) -> Server {
    let child = Command::new(BIN)
        .args(["serve", "--port", "0", "-r"])
        .arg(root)
        .env("TZ", "Pacific/Kiritimati")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Owned by a `Server` at once, so that the process is ended even if this panics.
    let mut server = Server { child, port: 0 };
    let stdout = server.child.stdout.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        // Keep reading after the address is known, so the server's pipe stays open.
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + WAIT;
    loop {
        let line = rx
            .recv_timeout(deadline - Instant::now())
            .expect("serve printed no address");
        if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
            server.port = rest.split('/').next().unwrap().parse().unwrap();
            return server;
        }
    }
}

/// A raw HTTP/1.1 request; returns (status, headers, body).
fn request(port: u16, method: &str, path: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("no header end");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let body = decode_chunked_if_needed(&head, &raw[split + 4..]);
    (status, head, body)
}

fn decode_chunked_if_needed(head: &str, body: &[u8]) -> Vec<u8> {
    if !head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        return body.to_vec();
    }
    let mut out = Vec::new();
    let mut rest = body;
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&rest[..line_end]).unwrap().trim(), 16)
                .unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&rest[line_end + 2..line_end + 2 + size]);
        rest = &rest[line_end + 2 + size + 2..];
    }
}

fn get(port: u16, path: &str) -> (u16, String) {
    let (status, _, body) = request(port, "GET", path);
    (status, String::from_utf8_lossy(&body).to_string())
}

/// Listens to the live-reload stream; yields event names with their data.
fn listen(port: u16) -> Receiver<(String, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET /war/__annals/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut event = String::new();
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("event: ") {
                event = name.to_string();
            } else if let Some(data) = line.strip_prefix("data: ") {
                if tx.send((event.clone(), data.to_string())).is_err() {
                    return;
                }
            }
        }
    });
    rx
}

fn next_event(rx: &Receiver<(String, String)>) -> (String, String) {
    rx.recv_timeout(WAIT).expect("no live-reload event")
}

/// Takes the events of the edits made so far, until none has come for a
/// while: a watcher may report one edit in several batches, each rebuilt and
/// told, and the next step must not read them as its own.
fn settle(rx: &Receiver<(String, String)>) {
    let deadline = Instant::now() + WAIT;
    while rx.recv_timeout(Duration::from_millis(400)).is_ok() && Instant::now() < deadline {}
}

/// Asks `ready` every 50 ms until it says yes or the wait is over.
fn wait_until(mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !ready() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits for the next event, skipping `ok` (a rebuild that changed nothing,
/// as editors' extra writes cause).
fn next_change(rx: &Receiver<(String, String)>) -> (String, String) {
    loop {
        let e = next_event(rx);
        if e.0 != "ok" {
            return e;
        }
    }
}

/// The stylesheet a page links (its name carries a hash of its content).
fn stylesheet(html: &str) -> String {
    let at = html
        .find("rel=\"stylesheet\" href=\"./")
        .expect("a stylesheet link");
    let rest = &html[at + "rel=\"stylesheet\" href=\"./".len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

fn strip_live(html: &str) -> String {
    html.replace(
        "<script src=\"/war/__annals/live.js\" data-base=\"/war/\"></script>\n",
        "",
    )
}

fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn serves_rebuilds_and_matches_a_clean_build() {
    let root = temp_site("edits");
    let server = start(&root);
    let port = server.port;

    // Routing: the site lives under the base URL's path.
    let (status, head, _) = request(port, "GET", "/");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /war/"), "{head}");
    let (status, head, _) = request(port, "GET", "/war/events/first");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /war/events/first/"), "{head}");
    let (status, index) = get(port, "/war/");
    assert_eq!(status, 200);
    assert!(index.contains("First event"));
    assert!(
        index.contains("__annals/live.js"),
        "live reload script injected"
    );
    let (status, head, body) = request(port, "HEAD", "/war/events/first/");
    assert_eq!(status, 200);
    assert!(
        head.contains("Content-Type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(
        head.to_ascii_lowercase()
            .contains("cache-control: no-store"),
        "{head}"
    );
    assert!(body.is_empty());
    let css = stylesheet(&index);
    assert!(
        css.starts_with("annals.") && css.ends_with(".css") && css.len() > "annals.css".len(),
        "{css}"
    );
    let (_, head, _) = request(port, "GET", &format!("/war/{css}"));
    assert!(head.contains("Content-Type: text/css"), "{head}");
    let (status, not_found) = get(port, "/war/events/missing/");
    assert_eq!(status, 404);
    assert!(not_found.contains("Page not found"), "the site's 404 page");

    let events = listen(port);
    assert_eq!(
        next_event(&events).0,
        "ok",
        "a new tab hears the current state"
    );

    // Edit an event: its page changes.
    write(
        &root,
        "content/events/a.yaml",
        "- id: first\n  date: 2022-02-24\n  title: First event, edited\n  track: military\n- id: second\n  date: 2022-03\n  title: Second event\n  related: [first]\n",
    );
    assert_eq!(next_change(&events).0, "reload");
    assert!(
        get(port, "/war/events/first/")
            .1
            .contains("First event, edited")
    );

    // Add a file with a new event, written in place (as some editors and
    // shell redirections do): a rebuild may catch it empty first, so wait
    // for its page rather than for one message.
    settle(&events);
    std::fs::write(
        root.join("content/events/b.yaml"),
        "id: third\ndate: 2023\ntitle: Third event\n",
    )
    .unwrap();
    assert_eq!(next_change(&events).0, "reload");
    wait_until(|| get(port, "/war/events/third/").0 == 200);
    assert_eq!(get(port, "/war/events/third/").0, 200);

    // Rename it: the event stays, under the same id.
    settle(&events);
    std::fs::rename(
        root.join("content/events/b.yaml"),
        root.join("content/events/c.yaml"),
    )
    .unwrap();
    wait_until(|| get(port, "/war/events/third/").0 == 200);
    assert_eq!(get(port, "/war/events/third/").0, 200);

    // A broken file: the last good site stays, the tabs get the errors.
    settle(&events);
    write(
        &root,
        "content/events/c.yaml",
        "id: third\ndate: 2023-13\ntitle: Third event\n",
    );
    let (name, data) = next_change(&events);
    assert_eq!(name, "failed");
    assert!(data.contains("content/events/c.yaml:2:7"), "{data}");
    assert!(data.contains("2023-13"), "{data}");
    assert_eq!(
        get(port, "/war/events/third/").0,
        200,
        "last good site still served"
    );

    // Fixed by deleting it: its page goes away.
    settle(&events);
    std::fs::remove_file(root.join("content/events/c.yaml")).unwrap();
    assert_eq!(next_change(&events).0, "reload");
    assert_eq!(get(port, "/war/events/third/").0, 404);

    // A stylesheet-only change swaps styles without a reload.
    settle(&events);
    write(&root, "static/annals.css", "body { color: red }\n");
    assert_eq!(next_change(&events).0, "css");
    let css = stylesheet(&get(port, "/war/").1);
    assert_eq!(get(port, &format!("/war/{css}")).1, "body { color: red }\n");

    // A template change re-renders the pages that use it.
    settle(&events);
    write(
        &root,
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ content.title }}</h1>CUSTOM{% endblock main %}",
    );
    write(
        &root,
        "content/pages/about.md",
        "---\ntitle: About\n---\nHello\n",
    );
    wait_until(|| get(port, "/war/about/").1.contains("CUSTOM"));
    assert!(get(port, "/war/about/").1.contains("CUSTOM"));

    // Let the watcher settle, then compare with a clean build of the same files.
    std::thread::sleep(Duration::from_millis(500));
    assert_serves_a_clean_build(port, &root);
    drop(server);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn refuses_paths_outside_the_site() {
    let root = temp_site("paths");
    write(&root, "secret.txt", "do not serve");
    let server = start(&root);
    for path in [
        "/war/../secret.txt",
        "/war/%2e%2e/secret.txt",
        "/war/%2E%2E/site.yaml",
        "/war/..%2fsecret.txt",
        "/war/..%5csecret.txt",
        "/war/..\\secret.txt",
        "//etc/passwd",
        "/war//etc/passwd",
        "/war/%00",
        "/war/content/events/a.yaml",
        "/war/site.yaml",
    ] {
        let (status, _, body) = request(server.port, "GET", path);
        assert!(matches!(status, 400 | 404), "{path}: {status}");
        let body = String::from_utf8_lossy(&body);
        assert!(
            !body.contains("do not serve") && !body.contains("base_url"),
            "{path}"
        );
    }
    let (status, _, _) = request(server.port, "POST", "/war/");
    assert_eq!(status, 405);
    drop(server);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_busy_port_moves_to_the_next() {
    let root = temp_site("port");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut child = Command::new(BIN)
        .args(["serve", "--port", &port.to_string(), "-r"])
        .arg(&root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.contains(&format!("port {port} is busy")), "{line}");
    let _ = std::fs::remove_dir_all(&root);
}

/// Every file a clean `annals build` of `root` makes is served with the same
/// bytes (pages without the live-reload script).
fn assert_serves_a_clean_build(port: u16, root: &Path) {
    let out = root.with_extension("out");
    let status = Command::new(BIN)
        .args(["build", "-o"])
        .arg(&out)
        .arg("-r")
        .arg(root)
        .env("TZ", "Pacific/Kiritimati")
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let built = files_under(&out);
    assert!(built.len() > 10);
    for (path, bytes) in &built {
        // The manifest, robots.txt and host headers are written by `build` only:
        // a preview has no use for them, and the manifest would change on every edit.
        if annals::publish::BUILD_ONLY.contains(&path.as_str()) {
            continue;
        }
        let (status, _, body) = request(port, "GET", &format!("/war/{path}"));
        assert_eq!(status, 200, "{path}");
        if path.ends_with(".html") {
            assert_eq!(
                strip_live(&String::from_utf8_lossy(&body)),
                String::from_utf8_lossy(bytes),
                "{path} differs from a clean build"
            );
        } else {
            assert_eq!(&body, bytes, "{path} differs from a clean build");
        }
    }
    let _ = std::fs::remove_dir_all(&out);
}

/// A site with what pages share: articles cited as sources, registries,
/// eras, tags, tracks, related events, neighbours on other pages.
fn rich_site(name: &str) -> PathBuf {
    let dir = temp_site(name);
    write(
        &dir,
        "content/events/a.yaml",
        "- id: first\n  date: 2022-02-24\n  title: First event\n  track: military\n  tags: [shelling]\n  actors: [kyiv-city]\n  sources:\n    - article: report\n- id: second\n  date: 2022-03\n  title: Second event\n  related: [first]\n  tags: [shelling, talks]\n- id: third\n  date: 2022-04-02\n  title: Third event\n  track: diplomacy\n  places: [kyiv]\n- id: fourth\n  date: 2023~\n  title: Fourth event\n  track: military\n  actors: [kyiv-city]\n",
    );
    write(
        &dir,
        "content/actors.yaml",
        "- id: kyiv-city\n  name: Kyiv City Administration\n",
    );
    write(
        &dir,
        "content/places.yaml",
        "- id: kyiv\n  name: Kyiv\n  lat: 50.45\n  lon: 30.52\n",
    );
    write(
        &dir,
        "content/eras.yaml",
        "- id: invasion\n  title: Full-scale invasion\n  date: 2022-02-24\n",
    );
    // More entries than the \"where this sits\" window shows, and a
    // track whose entries lie far apart, so that pages depend on entries
    // beyond their neighbours.
    let many: String = (0..40)
        .map(|i| {
            let track = if i % 5 == 0 { "military" } else { "diplomacy" };
            // Three a month to October, then ten in December.
            let (month, day) = if i < 30 {
                (1 + i / 3, 1 + (i % 3) * 9)
            } else {
                (12, i - 28)
            };
            format!(
                "- id: e{i:02}\n  date: 2024-{month:02}-{day:02}\n  title: Event number {i}\n  track: {track}\n"
            )
        })
        .collect();
    write(&dir, "content/events/many.yaml", &many);
    write(
        &dir,
        "content/articles/other.md",
        "---\ntitle: An unrelated note\ndate: 2022-05-01\n---\nNothing else links here.\n",
    );
    dir
}

/// One change made to a site's files.
enum Edit {
    /// A file written with this text.
    Write(&'static str, &'static str),
    /// A file's first occurrence of a text replaced.
    Replace(&'static str, &'static str, &'static str),
    /// A file removed.
    Remove(&'static str),
}

impl Edit {
    fn apply(&self, root: &Path) {
        match *self {
            Edit::Write(rel, text) => write(root, rel, text),
            Edit::Replace(rel, from, to) => {
                let text = std::fs::read_to_string(root.join(rel)).unwrap();
                assert!(text.contains(from), "{rel} holds no {from:?}");
                write(root, rel, &text.replacen(from, to, 1));
            }
            Edit::Remove(rel) => std::fs::remove_file(root.join(rel)).unwrap(),
        }
    }
}

#[test]
fn incremental_rebuilds_equal_clean_builds_after_each_edit() {
    let root = rich_site("incremental");
    let server = start(&root);
    let port = server.port;
    let events = listen(port);
    assert_serves_a_clean_build(port, &root);
    let a = "content/events/a.yaml";
    let many = "content/events/many.yaml";
    let steps = [
        (
            "the title of an article cited as a source",
            Edit::Write(
                "content/articles/report.md",
                "---\ntitle: A renamed report\ndate: 2022-03-01\nevents: [first]\n---\nBody of the report.\n",
            ),
        ),
        (
            "an actor's name in the registry",
            Edit::Write(
                "content/actors.yaml",
                "- id: kyiv-city\n  name: Kyiv Military Administration\n",
            ),
        ),
        (
            "an event moved to another month",
            Edit::Replace(a, "date: 2022-04-02", "date: 2022-02-25"),
        ),
        (
            "a tag added to an event",
            Edit::Replace(a, "tags: [shelling]", "tags: [shelling, talks]"),
        ),
        (
            "an era's title",
            Edit::Write(
                "content/eras.yaml",
                "- id: invasion\n  title: The full-scale war\n  date: 2022-02-24\n",
            ),
        ),
        (
            "an event's summary",
            Edit::Replace(
                a,
                "  title: Second event\n",
                "  title: Second event\n  summary: Now with a *summary*.\n",
            ),
        ),
        (
            "an article removed",
            Edit::Remove("content/articles/other.md"),
        ),
        (
            "the title of an event whose track neighbours are far away",
            Edit::Replace(
                many,
                "title: Event number 10\n",
                "title: Event number ten\n",
            ),
        ),
        (
            "an article given the title of an event far from it (both pages' titles gain the date)",
            Edit::Write(
                "content/articles/report.md",
                "---\ntitle: Event number 30\ndate: 2022-03-01\nevents: [first]\n---\nBody of the report.\n",
            ),
        ),
        (
            "that title changed again (both lose the date)",
            Edit::Write(
                "content/articles/report.md",
                "---\ntitle: A renamed report\ndate: 2022-03-01\nevents: [first]\n---\nBody of the report.\n",
            ),
        ),
        (
            "an event moved into a month whose last entries are far from it (from another file)",
            Edit::Replace(a, "date: 2023~\n", "date: 2024-12-01\n"),
        ),
        (
            "an event's track changed",
            Edit::Replace(a, "track: diplomacy", "track: military"),
        ),
        (
            "an event added to a track, in another file",
            Edit::Replace(
                many,
                "- id: e00\n",
                "- id: added\n  date: 2024-01-02\n  title: An added event\n  track: military\n  tags: [added]\n- id: e00\n",
            ),
        ),
        (
            "an actor added to the registry, whose id sorts first, and another renamed",
            Edit::Write(
                "content/actors.yaml",
                "- id: a-brigade\n  name: A Brigade\n- id: kyiv-city\n  name: Kyiv City Administration\n",
            ),
        ),
        (
            "the new actor given to an event (every actor's place in the search index moves)",
            Edit::Replace(
                a,
                "  title: Third event\n",
                "  title: Third event\n  actors: [a-brigade]\n",
            ),
        ),
        (
            "an article about an event, in a new file (the event's file is untouched)",
            Edit::Write(
                "content/articles/about-third.md",
                "---\ntitle: About the third event\ndate: 2022-04-05\nevents: [third]\n---\nText.\n",
            ),
        ),
        (
            "an article about an event years before it",
            Edit::Write(
                "content/articles/late.md",
                "---\ntitle: Looking back\ndate: 2025-06-01\nevents: [first]\n---\nText.\n",
            ),
        ),
        (
            "that article's title (the event's page lists it)",
            Edit::Write(
                "content/articles/late.md",
                "---\ntitle: Looking back, years on\ndate: 2025-06-01\nevents: [first]\n---\nText.\n",
            ),
        ),
    ];
    for (what, edit) in steps {
        settle(&events);
        edit.apply(&root);
        let (name, data) = next_change(&events);
        assert_eq!(name, "reload", "{what}: {data}");
        std::thread::sleep(Duration::from_millis(300));
        assert_serves_a_clean_build(port, &root);
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&root);
}

/// Files the watcher did not report are taken as they were, except links:
/// a linked file's target may sit outside the watched folders, so it is
/// checked again on every rebuild.
#[cfg(unix)]
#[test]
fn a_linked_content_file_is_checked_again_on_the_next_rebuild() {
    let root = temp_site("linked");
    write(
        &root,
        "data/linked.yaml",
        "- id: linked-one\n  date: 2022-05-01\n  title: Linked event\n",
    );
    std::os::unix::fs::symlink(
        root.join("data/linked.yaml"),
        root.join("content/events/linked.yaml"),
    )
    .unwrap();
    let server = start(&root);
    let port = server.port;
    let events = listen(port);
    let (status, page) = get(port, "/war/events/linked-one/");
    assert_eq!(status, 200);
    assert!(page.contains("Linked event"));
    // Not watched: nothing is rebuilt yet.
    write(
        &root,
        "data/linked.yaml",
        "- id: linked-one\n  date: 2022-05-01\n  title: Linked event, renamed\n",
    );
    // The next rebuild, caused by another file, reads the link's target again.
    write(
        &root,
        "content/events/a.yaml",
        "- id: first\n  date: 2022-02-24\n  title: First event, edited\n  track: military\n- id: second\n  date: 2022-03\n  title: Second event\n  related: [first]\n",
    );
    assert_eq!(next_change(&events).0, "reload");
    let (_, page) = get(port, "/war/events/linked-one/");
    assert!(page.contains("Linked event, renamed"), "{page}");
    assert_serves_a_clean_build(port, &root);
    drop(server);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_multilingual_site_is_served_in_every_language_with_live_reload() {
    let root = temp_site("languages");
    write(
        &root,
        "site.yaml",
        "title: Serve test\nbase_url: https://example.org/war/\ntimezone: Europe/Kyiv\nlanguages: [uk, en]\n",
    );
    write(
        &root,
        "content/events/a.yaml",
        "- id: first\n  date: 2022-02-24\n  title: {uk: Перша подія, en: First event}\n- id: second\n  date: 2022-03\n  title: Друга подія\n",
    );
    write(
        &root,
        "content/articles/report.en.md",
        "---\ntitle: A report in English\n---\nThe English body.\n",
    );
    write(
        &root,
        "content/articles/report.md",
        "---\ntitle: Звіт\ndate: 2022-03-01\nevents: [first]\n---\nТекст звіту.\n",
    );
    let server = start(&root);
    let port = server.port;
    for (path, text) in [
        ("/war/", "Перша подія"),
        ("/war/uk/events/first/", "Перша подія"),
        ("/war/en/events/first/", "First event"),
        ("/war/en/articles/report/", "The English body."),
        ("/war/uk/articles/report/", "Текст звіту."),
    ] {
        let (status, html) = get(port, path);
        assert_eq!(status, 200, "{path}");
        assert!(html.contains(text), "{path} lacks {text}");
        assert!(html.contains("__annals/live.js"), "{path}: no live reload");
    }
    let events = listen(port);
    assert_eq!(next_event(&events).0, "ok");
    // An edit of the English text reloads, and the English tree shows it.
    write(
        &root,
        "content/articles/report.en.md",
        "---\ntitle: A report, edited\n---\nThe English body, edited.\n",
    );
    assert_eq!(next_change(&events).0, "reload");
    wait_until(|| {
        get(port, "/war/en/articles/report/")
            .1
            .contains("body, edited")
    });
    assert!(
        get(port, "/war/en/articles/report/")
            .1
            .contains("A report, edited")
    );
    settle(&events);
    assert_serves_a_clean_build(port, &root);
    // Each tree is remembered apart: after each edit, every tree equals a
    // clean build (the kept pages included).
    let edits: [(&str, Option<&str>); 4] = [
        (
            "content/events/a.yaml",
            Some(
                "- id: first\n  date: 2022-02-24\n  title: {uk: Перша подія, en: The first event}\n- id: second\n  date: 2022-03\n  title: {uk: Друга подія, en: Second}\n",
            ),
        ),
        ("content/articles/report.en.md", None),
        ("i18n/en.yaml", Some("label.article: Essay\n")),
        (
            "content/articles/report.en.md",
            Some("---\ntitle: Back in English\n---\nAgain.\n"),
        ),
    ];
    for (file, text) in edits {
        match text {
            Some(text) => write(&root, file, text),
            None => std::fs::remove_file(root.join(file)).unwrap(),
        }
        assert_eq!(next_change(&events).0, "reload", "after {file}");
        settle(&events);
        assert_serves_a_clean_build(port, &root);
    }
    assert!(get(port, "/war/en/").1.contains("Essay"));
    assert!(get(port, "/war/en/events/second/").1.contains("Second"));
    drop(server);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn serve_lets_only_the_allowed_origins_frame_the_embed_page() {
    let root = temp_site("embed");
    let server = start(&root);
    let (status, head, _) = request(server.port, "GET", "/war/embed/");
    assert_eq!(status, 200);
    let lower = head.to_ascii_lowercase();
    assert!(
        lower.contains("content-security-policy: frame-ancestors 'none'")
            && lower.contains("x-frame-options: deny"),
        "{head}"
    );
    drop(server);
    write(
        &root,
        "site.yaml",
        "title: Serve test\nbase_url: https://example.org/war/\ntimezone: Europe/Kyiv\nembed:\n  allow: [\"https://news.example\"]\n",
    );
    let server = start(&root);
    let (status, head, body) = request(server.port, "GET", "/war/embed/");
    assert_eq!(status, 200);
    let lower = head.to_ascii_lowercase();
    assert!(
        lower.contains("frame-ancestors 'self' https://news.example")
            && !lower.contains("x-frame-options"),
        "{head}"
    );
    assert!(String::from_utf8_lossy(&body).contains("<base target=\"_blank\">"));
    drop(server);
    let _ = std::fs::remove_dir_all(&root);
}
