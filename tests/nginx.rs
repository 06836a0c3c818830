//! deploy/nginx.conf, run as it is by a real nginx on a loopback port over a
//! fresh `build --precompress`: content types, precompressed encodings,
//! headers, redirects and the 404 page. Without nginx the test says so and
//! passes, except under CI (`CI=true`), where nginx must be installed.

mod common;

use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Site, TempDir};

const BROTLI_MODULE: &str = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";
const MIME_TYPES: &str = "/etc/nginx/mime.types";

/// The nginx binary, if there is one.
fn nginx() -> Option<PathBuf> {
    let candidates = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"];
    candidates
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .or_else(|| {
            let out = Command::new("sh")
                .args(["-c", "command -v nginx"])
                .output()
                .ok()?;
            let path = String::from_utf8(out.stdout).ok()?.trim().to_string();
            (!path.is_empty()).then(|| PathBuf::from(path))
        })
}

/// nginx running in the foreground; stopped when dropped.
struct Nginx {
    child: Child,
    port: u16,
    prefix: PathBuf,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Nginx {
    /// Starts `bin` with deploy/nginx.conf serving `public` on a free port.
    fn start(bin: &Path, public: &Path, prefix: &Path, brotli: bool) -> Nginx {
        let port = {
            let l = TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let shipped =
            fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/nginx.conf"))
                .unwrap();
        let mut server = shipped
            .replacen("listen 80;", &format!("listen 127.0.0.1:{port};"), 1)
            .replacen(
                "alias /srv/timeline/public/;",
                &format!("alias {}/;", public.display()),
                1,
            );
        assert_ne!(
            server, shipped,
            "the marked lines of deploy/nginx.conf moved"
        );
        if brotli {
            server = server.replacen("# brotli_static on;", "brotli_static on;", 1);
        }
        fs::create_dir_all(prefix.join("tmp")).unwrap();
        fs::write(prefix.join("annals.conf"), server).unwrap();
        let p = prefix.display();
        let load = if brotli {
            format!("load_module {BROTLI_MODULE};\n")
        } else {
            String::new()
        };
        let main = format!(
            "{load}daemon off;\nmaster_process off;\nworker_processes 1;\npid {p}/nginx.pid;\n\
             error_log {p}/error.log warn;\nevents {{ worker_connections 64; }}\n\
             http {{\n  include {MIME_TYPES};\n  default_type application/octet-stream;\n  access_log off;\n\
               client_body_temp_path {p}/tmp/body;\n  proxy_temp_path {p}/tmp/proxy;\n\
               fastcgi_temp_path {p}/tmp/fastcgi;\n  uwsgi_temp_path {p}/tmp/uwsgi;\n  scgi_temp_path {p}/tmp/scgi;\n\
               include {p}/annals.conf;\n}}\n"
        );
        fs::write(prefix.join("nginx.conf"), main).unwrap();
        let child = Command::new(bin)
            .arg("-p")
            .arg(prefix)
            .arg("-c")
            .arg(prefix.join("nginx.conf"))
            .arg("-e")
            .arg(prefix.join("error.log"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start nginx");
        let mut nginx = Nginx {
            child,
            port,
            prefix: prefix.to_path_buf(),
        };
        nginx.wait_until_listening();
        nginx
    }

    fn wait_until_listening(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if let Ok(Some(status)) = self.child.try_wait() {
                let mut err = String::new();
                if let Some(mut e) = self.child.stderr.take() {
                    let _ = e.read_to_string(&mut err);
                }
                let log = fs::read_to_string(self.prefix.join("error.log")).unwrap_or_default();
                panic!("nginx exited ({status}):\n{err}\n{log}");
            }
            assert!(
                Instant::now() < deadline,
                "nginx did not listen on port {}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// GET `path` with the given `Accept-Encoding` (none when empty).
    fn get(&self, path: &str, accept_encoding: &str) -> Response {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let encoding = if accept_encoding.is_empty() {
            String::new()
        } else {
            format!("Accept-Encoding: {accept_encoding}\r\n")
        };
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n{encoding}Connection: close\r\n\r\n",
            self.port
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        Response::parse(&raw)
    }
}

/// An HTTP response, headers lower-cased.
#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn parse(raw: &[u8]) -> Response {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a header end");
        let head = String::from_utf8_lossy(&raw[..split]).to_string();
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap()
            .split_whitespace()
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        if headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v == "chunked")
        {
            body = unchunk(&body);
        }
        Response {
            status,
            headers,
            body,
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body, decoded from its `Content-Encoding`.
    fn decoded(&self) -> Vec<u8> {
        let mut out = Vec::new();
        match self.header("content-encoding") {
            None => return self.body.clone(),
            Some("gzip") => {
                flate2::read::GzDecoder::new(&self.body[..])
                    .read_to_end(&mut out)
                    .unwrap();
            }
            Some("br") => {
                brotli::Decompressor::new(&self.body[..], 4096)
                    .read_to_end(&mut out)
                    .unwrap();
            }
            Some(other) => panic!("unexpected encoding {other}"),
        }
        out
    }
}

fn unchunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&body[..line_end]).unwrap().trim(), 16)
                .unwrap();
        body = &body[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[..size]);
        body = &body[size + 2..];
    }
}

#[test]
fn nginx_serves_the_output_with_its_precompressed_files() {
    let Some(bin) = nginx() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "nginx is not installed, and CI must run this test: .ci/run installs it"
        );
        eprintln!("note: nginx is not installed; skipping the nginx test (apt-get install nginx)");
        return;
    };
    assert!(
        Path::new(MIME_TYPES).is_file(),
        "no {MIME_TYPES} beside nginx"
    );
    let brotli = Path::new(BROTLI_MODULE).is_file();
    let site = Site::fixture("basic");
    site.build(&[
        "--precompress",
        "--base-url",
        "https://example.org/timeline/",
    ])
    .success();
    let public = site.path("public");
    // The theme's stylesheet and script, by their fingerprinted names.
    let named = |ext: &str| {
        fs::read_dir(&public)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .find(|n| {
                n.starts_with("annals.")
                    && n.ends_with(ext)
                    && n.len() > "annals.".len() + ext.len()
            })
            .unwrap_or_else(|| panic!("no fingerprinted annals{ext}"))
    };
    let (css, js) = (named(".css"), named(".js"));
    let prefix = TempDir::new();
    let nginx = Nginx::start(&bin, &public, prefix.path(), brotli);
    let file = |rel: &str| fs::read(public.join(rel)).unwrap();

    // Pages: the precompressed file, as it is, to whoever accepts gzip.
    let page = nginx.get("/timeline/", "gzip");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.header("content-encoding"), Some("gzip"));
    assert_eq!(page.header("vary"), Some("Accept-Encoding"));
    assert!(
        page.body == file("index.html.gz"),
        "the .gz file itself, not a fresh compression"
    );
    assert!(page.decoded() == file("index.html"));
    assert_eq!(
        page.header("content-security-policy"),
        Some(annals::publish::headers::CONTENT_SECURITY_POLICY),
        "deploy/nginx.conf and _headers send the same policy"
    );
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("cache-control"), Some("no-cache"));

    // ... and the plain file to whoever does not.
    let plain = nginx.get("/timeline/", "");
    assert_eq!(plain.status, 200);
    assert_eq!(plain.header("content-encoding"), None);
    assert!(plain.body == file("index.html"));

    if brotli {
        let br = nginx.get("/timeline/events/tie-a/", "gzip, deflate, br");
        assert_eq!(br.header("content-encoding"), Some("br"));
        assert!(br.body == file("events/tie-a/index.html.br"));
        assert!(br.decoded() == file("events/tie-a/index.html"));
    } else {
        eprintln!("note: no brotli static module ({BROTLI_MODULE}); .br files not served");
    }

    // Every kind of file annals writes, with its type.
    let types = [
        (css.as_str(), "text/css; charset=utf-8"),
        (js.as_str(), "application/javascript; charset=utf-8"),
        ("timeline.json", "application/json; charset=utf-8"),
        ("feed.xml", "text/xml; charset=utf-8"),
        ("sitemap.xml", "text/xml; charset=utf-8"),
        ("search-index.js", "application/javascript; charset=utf-8"),
        ("favicon.svg", "image/svg+xml; charset=utf-8"),
        ("robots.txt", "text/plain; charset=utf-8"),
        ("manifest.json", "application/json; charset=utf-8"),
    ];
    for (rel, content_type) in types {
        let r = nginx.get(&format!("/timeline/{rel}"), "gzip");
        assert_eq!(r.status, 200, "{rel}");
        assert_eq!(r.header("content-type"), Some(content_type), "{rel}");
        assert!(r.decoded() == file(rel), "{rel}: the content");
        let precompressed = public.join(format!("{rel}.gz")).is_file();
        if precompressed {
            assert!(r.body == file(&format!("{rel}.gz")), "{rel}: its .gz");
        }
        if r.body.len() > 1024 || precompressed {
            assert_eq!(r.header("content-encoding"), Some("gzip"), "{rel}");
        }
    }

    // Fingerprinted assets are cached for a year; the rest is revalidated.
    let asset = nginx.get(&format!("/timeline/{css}"), "");
    assert_eq!(
        asset.header("cache-control"),
        Some(annals::publish::headers::IMMUTABLE)
    );

    // A folder without its slash: a relative redirect, whatever the host.
    let redirect = nginx.get("/timeline/events/tie-a", "");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("location"), Some("/timeline/events/tie-a/"));

    // Unknown paths get the site's 404 page, with its status.
    let missing = nginx.get("/timeline/no/such/page/", "gzip");
    assert_eq!(missing.status, 404);
    assert!(missing.decoded() == file("404.html"));
    assert!(missing.header("content-security-policy").is_some());
    drop(nginx);
}
