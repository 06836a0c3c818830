//! `annals serve` under abuse, with the real binary on loopback: a request
//! header that never ends, one that is huge, a flood of idle connections;
//! and the guard against showing drafts to the network by mistake.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

use common::Site;

const BIN: &str = env!("CARGO_BIN_EXE_annals");
/// The server's header-read timeout (see src/serve/conn.rs), plus room for a busy machine.
const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
const MARGIN: Duration = Duration::from_secs(10);

struct Server {
    child: Child,
    port: u16,
    _site: Site,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Server {
    let site = Site::fixture("basic");
    let child = Command::new(BIN)
        .args(["serve", "--port", "0", "-r"])
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = Server {
        child,
        port: 0,
        _site: site,
    };
    let stdout = server.child.stdout.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
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

fn connect(port: u16) -> TcpStream {
    let s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(HEADER_TIMEOUT + MARGIN)).unwrap();
    s
}

/// Everything the server sends until it closes the connection.
fn answer(mut s: TcpStream) -> String {
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn get(port: u16, path: &str) -> String {
    let mut s = connect(port);
    // A refused connection is closed before the request is sent: the write may fail.
    let _ = write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    );
    answer(s)
}

#[test]
fn a_header_that_never_ends_is_cut_off_after_the_timeout() {
    let server = start();
    let started = Instant::now();
    let mut s = connect(server.port);
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: a")
        .unwrap();
    let out = answer(s);
    let took = started.elapsed();
    assert!(out.starts_with("HTTP/1.1 408"), "{out}");
    assert!(out.contains("took too long"), "{out}");
    assert!(
        took >= HEADER_TIMEOUT - Duration::from_millis(500),
        "{took:?}"
    );
    assert!(took < HEADER_TIMEOUT + MARGIN, "{took:?}");
    assert!(get(server.port, "/").starts_with("HTTP/1.1 301"));
}

#[test]
fn a_huge_header_is_refused_at_once() {
    let server = start();
    let started = Instant::now();
    let mut s = connect(server.port);
    let mut request = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: ".to_vec();
    request.extend(std::iter::repeat_n(b'a', 1024 * 1024));
    request.extend_from_slice(b"\r\n\r\n");
    // The server stops reading long before the megabyte is sent; the write may fail.
    let _ = s.write_all(&request);
    let out = answer(s);
    assert!(out.starts_with("HTTP/1.1 431"), "{out}");
    assert!(out.contains("request header too large"), "{out}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(get(server.port, "/").starts_with("HTTP/1.1 301"));
}

#[test]
fn a_connection_flood_is_refused_and_the_server_recovers() {
    let server = start();
    // 500 connections that never send a byte: the first 128 are held (up to
    // the header timeout), the rest answered 503 and closed at once.
    let idle: Vec<TcpStream> = (0..500).map(|_| connect(server.port)).collect();
    // One more is answered at once, before it sends anything.
    let refused = answer(connect(server.port));
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    assert!(refused.contains("too many connections"), "{refused}");
    // The held ones are dropped by the server after the header timeout,
    // without anyone closing them here; then it serves again.
    let started = Instant::now();
    loop {
        let out = get(server.port, "/");
        if out.starts_with("HTTP/1.1 301") {
            break;
        }
        assert!(
            started.elapsed() < HEADER_TIMEOUT + MARGIN,
            "not serving again: {out}"
        );
        // A poll interval, not a wait for something to happen.
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(idle);
}

#[test]
fn drafts_are_not_served_to_the_network_without_saying_so() {
    let site = Site::fixture("basic");
    let run = site.run(&["serve", "--bind", "0.0.0.0", "--drafts", "--port", "0"]);
    run.exit(2);
    run.prints("--expose-drafts");
    run.prints("drafts to anyone on the network");
    // An address of no interface here (TEST-NET-1): the warning comes, then
    // the bind fails, so nothing is ever reachable.
    let run = site.run(&["serve", "--bind", "192.0.2.1", "--port", "0"]);
    run.exit(1);
    run.prints("warning: serving on 192.0.2.1, which other machines can reach");
    run.prints("cannot listen on 192.0.2.1");
}
