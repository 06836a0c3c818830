//! `annals serve`: build the site in memory, serve it over HTTP, watch the
//! sources, rebuild what changed and tell open tabs to reload. A failed
//! build keeps the last good site served, with the errors shown over it.

pub mod conn;
pub mod http;
pub mod reload;
pub mod session;
pub mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::channel;

use crate::error::{Diagnostic, display_path};
use crate::site;
use http::{Shared, State};
use reload::Message;
use session::{Rebuild, Session};

/// How many ports after the asked one are tried when it is busy.
const PORT_TRIES: u16 = 20;

/// What `annals serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site and build options.
    pub site: site::Options,
    /// Address to listen on (loopback by default).
    pub bind: IpAddr,
    /// Port to try first.
    pub port: u16,
}

/// Something the server has to say; the command line decides how to show it.
#[derive(Debug)]
pub enum Event<'a> {
    /// Listening at this URL (after trying `busy` ports that were taken).
    Listening {
        /// The site's URL.
        url: String,
        /// Ports that were busy.
        busy: Vec<u16>,
    },
    /// A build finished, with its result.
    Built(&'a Rebuild, &'a [PathBuf]),
}

/// Binds the first free port from `opts.port` on.
pub fn bind(opts: &ServeOptions) -> Result<(TcpListener, Vec<u16>), Diagnostic> {
    let mut busy = Vec::new();
    for port in opts.port..=opts.port.saturating_add(PORT_TRIES) {
        match TcpListener::bind(SocketAddr::new(opts.bind, port)) {
            Ok(listener) => return Ok((listener, busy)),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => busy.push(port),
            Err(e) => {
                return Err(Diagnostic::global(format!(
                    "cannot listen on {}:{port}: {e}",
                    opts.bind
                )));
            }
        }
    }
    Err(Diagnostic::global(format!(
        "ports {} to {} on {} are all busy; choose another with --port",
        opts.port,
        opts.port.saturating_add(PORT_TRIES),
        opts.bind
    )))
}

/// Runs the server until the process is stopped. `report` is told of every
/// rebuild and of the address; the first build happens before serving.
pub fn run(opts: ServeOptions, report: &dyn Fn(Event<'_>)) -> Result<(), Diagnostic> {
    let mut session = Session::new(opts.site.clone());
    let first = session.rebuild(&[]);
    report(Event::Built(&first, &[]));
    let shared = Arc::new(Shared::new(State {
        files: first.files.clone(),
        base_path: first.base_path.clone(),
        embed_allow: first.embed_allow.clone(),
        errors: error_lines(&first),
    }));

    let (listener, busy) = bind(&opts)?;
    let addr = listener
        .local_addr()
        .map_err(|e| Diagnostic::global(format!("cannot read the listening address: {e}")))?;
    let host = match addr.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    report(Event::Listening {
        url: format!("http://{host}:{}{}", addr.port(), first.base_path),
        busy,
    });

    let (tx, rx) = channel::<Vec<PathBuf>>();
    let mut watcher = watch::watch(&opts.site.root, tx).map_err(Diagnostic::global)?;
    let mut watched: Vec<&str> = watch::WATCHED_DIRS
        .into_iter()
        .filter(|d| opts.site.root.join(d).is_dir())
        .collect();

    let http_shared = Arc::clone(&shared);
    std::thread::Builder::new()
        .name("annals-accept".to_string())
        .spawn(move || {
            conn::serve(listener, conn::Limits::default(), move |request| {
                http::dispatch(&http_shared, request);
            });
        })
        .map_err(|e| Diagnostic::global(format!("cannot start the HTTP server: {e}")))?;

    while let Ok(mut changed) = rx.recv() {
        // Coalesce the batches that arrived while the last build ran.
        while let Ok(more) = rx.try_recv() {
            changed.extend(more);
        }
        changed.sort();
        changed.dedup();
        for dir in watch::WATCHED_DIRS {
            let path = opts.site.root.join(dir);
            if !watched.contains(&dir) && path.is_dir() {
                use notify_debouncer_full::notify::RecursiveMode;
                if watcher.watch(&path, RecursiveMode::Recursive).is_ok() {
                    watched.push(dir);
                }
            }
        }
        let result = session.rebuild(&changed);
        report(Event::Built(&result, &changed));
        publish(&shared, &result);
    }
    Ok(())
}

/// Serves the result of a rebuild and tells the tabs.
fn publish(shared: &Shared, result: &Rebuild) {
    let errors = error_lines(result);
    // The previous site, freed at the end, once the tabs are told.
    let mut previous = None;
    let mut shown = Vec::new();
    if let Ok(mut state) = shared.state.write() {
        if let Some(files) = &result.files {
            previous = state.files.replace(Arc::clone(files));
        }
        state.base_path = result.base_path.clone();
        state.embed_allow = result.embed_allow.clone();
        shown = std::mem::replace(&mut state.errors, errors.clone());
    }
    let changed = !result.changed.is_empty();
    if let Some(message) = tell(errors, &shown, changed, result.css_only()) {
        shared.hub.broadcast(&message);
    }
    drop(previous);
}

/// What to tell the tabs after a rebuild: its errors (`shown` are those the
/// tabs show already), whether any output changed, and whether only
/// stylesheets did. Nothing when they show these very errors already: a
/// file saved in two steps fails twice the same way.
fn tell(errors: Vec<String>, shown: &[String], changed: bool, css_only: bool) -> Option<Message> {
    if !errors.is_empty() {
        return (errors != shown).then_some(Message::Failed(errors));
    }
    Some(if !changed {
        Message::Ok
    } else if css_only {
        Message::Css
    } else {
        Message::Reload
    })
}

/// The error lines of a build, as shown in the browser.
fn error_lines(result: &Rebuild) -> Vec<String> {
    if result.files.is_some() {
        return Vec::new();
    }
    result
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect()
}

/// A short description of what changed, for the terminal.
pub fn describe_changes(changed: &[PathBuf]) -> String {
    match changed {
        [] => "first build".to_string(),
        [one] => display_path(one),
        [one, rest @ ..] => format!("{} and {} more", display_path(one), rest.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(l: &[&str]) -> Vec<String> {
        l.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_failure_is_told_once() {
        let e = lines(&["content/events/c.yaml:2:7: error: bad date"]);
        assert_eq!(
            tell(e.clone(), &[], false, false),
            Some(Message::Failed(e.clone()))
        );
        // The same errors again (the file's second write): nothing new.
        assert_eq!(tell(e.clone(), &e, false, false), None);
        // Other errors replace them.
        let other = lines(&["content/events/c.yaml:3:1: error: no title"]);
        assert_eq!(
            tell(other.clone(), &e, false, false),
            Some(Message::Failed(other))
        );
    }

    #[test]
    fn a_good_build_says_what_changed() {
        let e = lines(&["site.yaml:1:1: error: x"]);
        // Fixed, the output as before the failure: the overlay goes.
        assert_eq!(tell(Vec::new(), &e, false, false), Some(Message::Ok));
        assert_eq!(tell(Vec::new(), &[], false, false), Some(Message::Ok));
        assert_eq!(tell(Vec::new(), &[], true, true), Some(Message::Css));
        assert_eq!(tell(Vec::new(), &e, true, false), Some(Message::Reload));
    }
}
