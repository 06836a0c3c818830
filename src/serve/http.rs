//! Answering HTTP requests from the site held in memory. Nothing is read from
//! disk, so no request can reach a file outside the output: a path either
//! names a rendered file or gets a 404.

use std::io::Write;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use super::conn::{Reply, Request};
use super::reload::{Hub, Message};
use super::session::Files;

/// The script that listens for rebuilds, served at `BASE__annals/live.js`.
const LIVE_JS: &str = include_str!("live.js");

/// What the server serves right now.
pub struct State {
    /// The last good site (none before the first successful build).
    pub files: Option<Arc<Files>>,
    /// The base URL's path ("/war/").
    pub base_path: String,
    /// The current build errors, shown over every page; empty when the build is good.
    pub errors: Vec<String>,
    /// Origins allowed to frame the site (`embed.allow`), sent as
    /// `frame-ancestors` as a host given `_headers` would.
    pub embed_allow: Vec<String>,
}

/// Shared by every request thread.
pub struct Shared {
    /// What is served.
    pub state: RwLock<State>,
    /// The listening tabs.
    pub hub: Hub,
}

impl Shared {
    /// Shared state serving `state`.
    pub fn new(state: State) -> Shared {
        Shared {
            state: RwLock::new(state),
            hub: Hub::default(),
        }
    }
}

/// Answers one request (each connection has its own thread, see [`super::conn`]).
pub fn dispatch(shared: &Shared, request: Request) {
    handle(shared, request);
}

fn handle(shared: &Shared, request: Request) {
    if !matches!(request.method(), "GET" | "HEAD") {
        let _ = request.respond(text(405, "only GET and HEAD"));
        return;
    }
    let url = request.url().to_string();
    let (raw_path, query) = url
        .split_once('?')
        .map_or((url.as_str(), ""), |(p, q)| (p, q));
    let Some(path) = decode_path(raw_path) else {
        let _ = request.respond(text(400, "bad path"));
        return;
    };
    let (files, base, framing) = {
        let Ok(state) = shared.state.read() else {
            return;
        };
        (
            state.files.clone(),
            state.base_path.clone(),
            crate::publish::headers::frame_ancestors(&state.embed_allow),
        )
    };
    let Some(rel) = path.strip_prefix(base.as_str()) else {
        // `/war` without its slash, or the host's root: go to the site.
        if path == base.trim_end_matches('/') || path == "/" {
            let _ = request.respond(redirect(&base, query));
        } else {
            let _ = request.respond(not_found(files.as_deref(), &base));
        }
        return;
    };
    match rel {
        "__annals/events" => return events(shared, request),
        "__annals/live.js" => {
            let _ = request.respond(bytes(
                200,
                LIVE_JS.as_bytes().to_vec(),
                "text/javascript; charset=utf-8",
            ));
            return;
        }
        _ => {}
    }
    let Some(files) = files else {
        let _ = request.respond(inject(
            text(
                503,
                "the site has not been built yet: see the errors in the terminal",
            ),
            &base,
        ));
        return;
    };
    let file = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if let Some(body) = files.get(file.as_str()) {
        let response = framed(page(200, body, &file, &base), &framing);
        let _ = request.respond(response);
    } else if files.contains_key(format!("{rel}/index.html").as_str()) {
        let _ = request.respond(redirect(&format!("{path}/"), query));
    } else {
        let _ = request.respond(not_found(Some(&files), &base));
    }
}

/// Percent-decodes a request path and refuses anything that could step
/// outside the site: `..` or `.` segments, backslashes, encoded slashes, NUL.
pub fn decode_path(raw: &str) -> Option<String> {
    if !raw.starts_with('/') {
        return None;
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            let byte = u8::from_str_radix(hex, 16).ok()?;
            if matches!(byte, b'/' | b'\\' | 0) {
                return None;
            }
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(out).ok()?;
    let bad = path.contains('\\')
        || path.contains('\0')
        || path.split('/').any(|seg| seg == ".." || seg == ".");
    (!bad).then_some(path)
}

/// The content type of an output file.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "geojson" => "application/geo+json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ics" => "text/calendar; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        _ => "application/octet-stream",
    }
}

/// A header; bytes outside printable ASCII (a Location naming a path in
/// Cyrillic) are percent-encoded, as HTTP header values must be ASCII.
fn header(name: &str, value: &str) -> (String, String) {
    let mut ascii = String::with_capacity(value.len());
    for b in value.bytes() {
        if (0x20..0x7f).contains(&b) {
            ascii.push(b as char);
        } else {
            ascii.push_str(&format!("%{b:02X}"));
        }
    }
    (name.to_string(), ascii)
}

fn bytes(status: u16, body: Vec<u8>, content_type: &str) -> Reply {
    Reply::new(status, body)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store, must-revalidate"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

fn text(status: u16, message: &str) -> Reply {
    bytes(
        status,
        format!("{message}\n").into_bytes(),
        "text/plain; charset=utf-8",
    )
}

fn redirect(location: &str, query: &str) -> Reply {
    let target = if query.is_empty() {
        location.to_string()
    } else {
        format!("{location}?{query}")
    };
    text(301, &format!("moved to {target}")).with_header(header("Location", &target))
}

/// Who may show a page in a frame: only the origins of `embed.allow` (the
/// rest of the built theme's policy is left to the host, as the live-reload
/// script and error overlay are serve's own).
fn framed(response: Reply, frame_ancestors: &str) -> Reply {
    let response = response.with_header(header(
        "Content-Security-Policy",
        &format!("frame-ancestors {frame_ancestors}"),
    ));
    if frame_ancestors == "'none'" {
        response.with_header(header("X-Frame-Options", "DENY"))
    } else {
        response
    }
}

fn page(status: u16, body: &[u8], file: &str, base: &str) -> Reply {
    let response = bytes(status, body.to_vec(), content_type(file));
    if file.ends_with(".html") {
        inject(response, base)
    } else {
        response
    }
}

fn not_found(files: Option<&Files>, base: &str) -> Reply {
    match files.and_then(|f| f.get("404.html")) {
        Some(body) => page(404, body, "404.html", base),
        None => text(404, "not found"),
    }
}

/// The tag that loads the live-reload script (serve only; never in a build).
pub fn live_tag(base: &str) -> String {
    format!("<script src=\"{base}__annals/live.js\" data-base=\"{base}\"></script>\n")
}

/// Puts the live-reload script before `</body>` of an HTML response.
fn inject(mut response: Reply, base: &str) -> Reply {
    let tag = live_tag(base);
    let body = &mut response.body;
    match find_last(body, b"</body>") {
        Some(at) => {
            body.splice(at..at, tag.bytes());
        }
        None => body.extend_from_slice(tag.as_bytes()),
    }
    response
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// A Server-Sent Events stream: the current state at once, then each
/// rebuild's message; a comment every 15 s notices tabs that went away.
fn events(shared: &Shared, request: Request) {
    let Some(rx) = shared.hub.listen() else {
        let _ = request.respond(text(503, "too many open tabs"));
        return;
    };
    let first = match shared.state.read() {
        Ok(s) if !s.errors.is_empty() => Message::Failed(s.errors.clone()),
        _ => Message::Ok,
    };
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n";
    if writer.write_all(head.as_bytes()).is_err() || send(&mut writer, &first).is_err() {
        return;
    }
    loop {
        let ok = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(message) => send(&mut writer, &message),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => writer
                .write_all(b": ping\n\n")
                .and_then(|()| writer.flush()),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if ok.is_err() {
            return;
        }
    }
}

fn send(writer: &mut dyn Write, message: &Message) -> std::io::Result<()> {
    writer.write_all(message.to_sse().as_bytes())?;
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_escapes() {
        for bad in [
            "/war/../etc/passwd",
            "/war/%2e%2e/etc/passwd",
            "/war/%2E%2E/x",
            "/war/..%2fetc",
            "/war/a%5c..%5cb",
            "/war/a\\b",
            "/war/%00",
            "relative",
            "/war/%zz",
            "/war/./x",
        ] {
            assert_eq!(decode_path(bad), None, "{bad}");
        }
        assert_eq!(
            decode_path("/war/events/a%20b/").as_deref(),
            Some("/war/events/a b/")
        );
        assert_eq!(decode_path("/war/%D0%BA/").as_deref(), Some("/war/к/"));
    }

    #[test]
    fn headers_are_ascii() {
        let (_, value) = header("Location", "/war/к/");
        assert_eq!(value, "/war/%D0%BA/");
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("x.WOFF2"), "font/woff2");
        assert_eq!(content_type("timeline.json"), "application/json");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
