//! The preview server's connections: accepting them up to a cap, reading each
//! request head within a time and size limit, and writing responses. Written
//! here rather than taken from an HTTP crate because the one annals used
//! (tiny_http 0.12) has no way to set any of these limits: 500 half-open
//! connections held it for as long as they liked, and a 1 MB header was read whole.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How much a client may ask of the server.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Time a client has to send a whole request head, from its first byte
    /// (or from the connection, for the first request).
    pub header_timeout: Duration,
    /// Largest request head (request line and headers), in bytes.
    pub max_header_bytes: usize,
    /// Most connections served at once; more are answered 503 and closed.
    pub max_connections: usize,
    /// How long an open connection may wait for its next request.
    pub idle_timeout: Duration,
    /// Longest a write may block on a client that does not read.
    pub write_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(5),
            max_header_bytes: 16 * 1024,
            max_connections: 128,
            idle_timeout: Duration::from_secs(15),
            write_timeout: Duration::from_secs(30),
        }
    }
}

/// A response: status, headers and body; `Content-Length` and `Connection`
/// are added when it is written.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// Header names and values (values already ASCII).
    pub headers: Vec<(String, String)>,
    /// The body (left out of answers to HEAD).
    pub body: Vec<u8>,
}

impl Reply {
    /// A reply with no headers yet.
    pub fn new(status: u16, body: Vec<u8>) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body,
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, (name, value): (String, String)) -> Reply {
        self.headers.push((name, value));
        self
    }
}

/// One request read from a connection, to be answered once.
pub struct Request {
    method: String,
    url: String,
    keep_alive: bool,
    stream: TcpStream,
    answered: bool,
}

impl Request {
    /// The method (`GET`, `HEAD`, ...).
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The path and query asked for.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Writes `reply` (without its body for HEAD).
    pub fn respond(mut self, reply: Reply) -> io::Result<()> {
        self.answered = true;
        let head_only = self.method == "HEAD";
        let keep_alive = self.keep_alive;
        write_reply(&mut self.stream, &reply, keep_alive, head_only)
    }

    /// The connection itself, for a response that streams (it is closed after).
    pub fn into_writer(mut self) -> TcpStream {
        self.answered = true;
        self.keep_alive = false;
        let _ = self.stream.set_write_timeout(None);
        self.stream
            .try_clone()
            .unwrap_or_else(|_| unreachable!("cloning a connected socket"))
    }
}

impl Drop for Request {
    // A request its handler let go of unanswered still gets an answer, so
    // that the client is not left waiting on a connection kept open.
    fn drop(&mut self) {
        if !self.answered {
            self.keep_alive = false;
            refuse(&mut self.stream, 500, "the preview could not answer");
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

fn write_reply(
    stream: &mut TcpStream,
    reply: &Reply,
    keep_alive: bool,
    head_only: bool,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: {}\r\n\r\n",
        reply.body.len(),
        if keep_alive { "keep-alive" } else { "close" }
    ));
    let mut out = head.into_bytes();
    if !head_only {
        out.extend_from_slice(&reply.body);
    }
    stream.write_all(&out)?;
    stream.flush()
}

/// A short plain-text reply, then the connection is closed.
fn refuse(stream: &mut TcpStream, status: u16, message: &str) {
    let reply = Reply::new(status, format!("{message}\n").into_bytes())
        .with_header(("Content-Type".into(), "text/plain; charset=utf-8".into()));
    let _ = write_reply(stream, &reply, false, false);
    let _ = stream.shutdown(Shutdown::Write);
}

/// Accepts connections on `listener` for ever, each on its own thread, and
/// hands each request to `handle`.
pub fn serve<F>(listener: TcpListener, limits: Limits, handle: F)
where
    F: Fn(Request) + Send + Sync + 'static,
{
    let handle = Arc::new(handle);
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else {
            // Out of file descriptors, most likely: give the open
            // connections a moment to finish rather than spin.
            std::thread::sleep(Duration::from_millis(20));
            continue;
        };
        let _ = stream.set_write_timeout(Some(limits.write_timeout));
        if open.fetch_add(1, Ordering::SeqCst) >= limits.max_connections {
            open.fetch_sub(1, Ordering::SeqCst);
            refuse(
                &mut stream,
                503,
                &format!(
                    "too many connections at once (the preview serves {}); try again",
                    limits.max_connections
                ),
            );
            continue;
        }
        let handle = Arc::clone(&handle);
        let guard = Open(Arc::clone(&open));
        let spawned = std::thread::Builder::new()
            .name("annals-http".to_string())
            .spawn(move || {
                let _guard = guard;
                connection(stream, limits, &*handle);
            });
        // Without a thread the connection was dropped with the closure (and its count with it).
        drop(spawned);
    }
}

/// Counts a connection as open until dropped.
struct Open(Arc<AtomicUsize>);

impl Drop for Open {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Serves the requests of one connection until it closes, times out or asks to close.
fn connection(stream: TcpStream, limits: Limits, handle: &(dyn Fn(Request) + Send + Sync)) {
    let mut stream = stream;
    let mut buffer: Vec<u8> = Vec::new();
    let mut first = true;
    loop {
        let wait = if first {
            limits.header_timeout
        } else {
            limits.idle_timeout
        };
        first = false;
        let head = match read_head(&mut stream, &mut buffer, wait, limits) {
            Ok(Some(head)) => head,
            Ok(None) => return,
            Err(Refusal(status, message)) => {
                refuse(&mut stream, status, message);
                return;
            }
        };
        let Some(parsed) = parse_head(&head) else {
            refuse(&mut stream, 400, "bad request");
            return;
        };
        let Ok(clone) = stream.try_clone() else {
            return;
        };
        let request = Request {
            keep_alive: parsed.keep_alive && !parsed.has_body,
            method: parsed.method,
            url: parsed.url,
            stream: clone,
            answered: false,
        };
        let keep_alive = request.keep_alive;
        handle(request);
        if !keep_alive {
            let _ = stream.shutdown(Shutdown::Both);
            return;
        }
    }
}

/// Why a request head was refused: its status and message.
struct Refusal(u16, &'static str);

/// Reads one request head (through its blank line) into a string; bytes
/// after it stay in `buffer` for the next request. `Ok(None)` when the
/// client closed or went quiet before sending anything.
fn read_head(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
    wait: Duration,
    limits: Limits,
) -> Result<Option<String>, Refusal> {
    // Until the first byte, the connection may idle for `wait`; from it,
    // the whole head must come within the header timeout.
    let mut deadline = Instant::now() + wait;
    let mut started = !buffer.is_empty();
    if started {
        deadline = Instant::now() + limits.header_timeout;
    }
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = head_end(buffer) {
            let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
            buffer.drain(..end);
            return Ok(Some(head));
        }
        if buffer.len() > limits.max_header_bytes {
            return Err(Refusal(431, "request header too large"));
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return if started {
                Err(Refusal(408, "the request header took too long to arrive"))
            } else {
                Ok(None)
            };
        }
        let _ = stream.set_read_timeout(Some(left));
        match stream.read(&mut chunk) {
            Ok(0) => return Ok(None),
            Ok(n) => {
                if !started {
                    started = true;
                    deadline = Instant::now() + limits.header_timeout;
                }
                buffer.extend_from_slice(&chunk[..n]);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return Ok(None),
        }
    }
}

/// The length of a complete head at the start of `buffer` (through its blank line).
fn head_end(buffer: &[u8]) -> Option<usize> {
    let crlf = buffer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| p + 4);
    let lf = buffer.windows(2).position(|w| w == b"\n\n").map(|p| p + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

struct Head {
    method: String,
    url: String,
    keep_alive: bool,
    has_body: bool,
}

fn parse_head(head: &str) -> Option<Head> {
    let mut lines = head.lines();
    let request_line = lines.next()?.trim_end();
    let mut parts = request_line.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !version.starts_with("HTTP/1.") || method.is_empty() {
        return None;
    }
    // An absolute-form target (`http://host/path`) names the same path.
    let url = match target.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => target,
    };
    let mut keep_alive = version == "HTTP/1.1";
    let mut has_body = false;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let (name, value) = (
            name.trim().to_ascii_lowercase(),
            value.trim().to_ascii_lowercase(),
        );
        match name.as_str() {
            "connection" if value.contains("close") => keep_alive = false,
            "connection" if value.contains("keep-alive") => keep_alive = true,
            "content-length" => has_body |= value != "0",
            "transfer-encoding" => has_body = true,
            _ => {}
        }
    }
    Some(Head {
        method: method.to_string(),
        url: url.to_string(),
        keep_alive,
        has_body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{SocketAddr, TcpListener};

    fn start(limits: Limits) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            serve(listener, limits, |request: Request| {
                let body = format!("you asked for {}", request.url()).into_bytes();
                let _ = request.respond(Reply::new(200, body));
            });
        });
        addr
    }

    fn limits() -> Limits {
        Limits {
            header_timeout: Duration::from_millis(300),
            max_header_bytes: 1024,
            max_connections: 4,
            idle_timeout: Duration::from_millis(300),
            write_timeout: Duration::from_secs(5),
        }
    }

    fn connect(addr: SocketAddr) -> TcpStream {
        let s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s
    }

    fn answer(mut s: TcpStream) -> String {
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out
    }

    #[test]
    fn answers_and_keeps_the_connection_for_the_next_request() {
        let addr = start(limits());
        let mut s = connect(addr);
        s.write_all(
            b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nConnection: close\r\n\r\n",
        )
        .unwrap();
        let out = answer(s);
        assert!(
            out.contains("you asked for /a") && out.contains("you asked for /b"),
            "{out}"
        );
    }

    #[test]
    fn a_slow_header_is_cut_off() {
        let addr = start(limits());
        let started = Instant::now();
        let mut s = connect(addr);
        s.write_all(b"GET / HTTP/1.1\r\nX-Slow: ").unwrap();
        let out = answer(s);
        assert!(out.starts_with("HTTP/1.1 408"), "{out}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn a_huge_header_is_refused() {
        let addr = start(limits());
        let mut s = connect(addr);
        let mut big = b"GET / HTTP/1.1\r\nX-Big: ".to_vec();
        big.extend(std::iter::repeat_n(b'a', 4096));
        let _ = s.write_all(&big);
        let out = answer(s);
        assert!(out.starts_with("HTTP/1.1 431"), "{out}");
    }

    #[test]
    fn connections_over_the_cap_are_refused_and_served_again_once_closed() {
        let addr = start(limits());
        let held: Vec<TcpStream> = (0..4).map(|_| connect(addr)).collect();
        // The four held connections are counted once the server has accepted
        // them; a fifth is refused as soon as that happened.
        let refused = loop {
            let out = answer({
                let mut s = connect(addr);
                let _ = s.write_all(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
                s
            });
            if out.starts_with("HTTP/1.1 503") {
                break out;
            }
            std::thread::yield_now();
        };
        assert!(refused.contains("too many connections"), "{refused}");
        drop(held);
        let started = Instant::now();
        loop {
            let mut s = connect(addr);
            let _ = s.write_all(b"GET /again HTTP/1.1\r\nConnection: close\r\n\r\n");
            if answer(s).contains("you asked for /again") {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "never served again"
            );
            std::thread::yield_now();
        }
    }

    #[test]
    fn parses_heads() {
        let h = parse_head("GET http://h/x?y HTTP/1.1\r\nConnection: close\r\n\r\n").unwrap();
        assert_eq!(
            (h.method.as_str(), h.url.as_str(), h.keep_alive),
            ("GET", "/x?y", false)
        );
        assert!(parse_head("GET /\r\n\r\n").is_none());
        assert!(parse_head("HTTP/1.1\r\n\r\n").is_none());
        assert!(!parse_head("GET / HTTP/1.0\r\n\r\n").unwrap().keep_alive);
        assert!(
            parse_head("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\n")
                .unwrap()
                .has_body
        );
    }
}
