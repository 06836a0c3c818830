//! A rebuild equals a clean build: a generated site is built once the way
//! `serve` builds it, then edited at random (every kind of edit a curator
//! makes), and after each edit the incremental rebuild's files are compared,
//! file by file and byte by byte, with a clean build of the same tree; so
//! are the problems each reports. In process: no server, no sleeps.
//!
//! The environment sets a long run (`--nocapture` shows its lines):
//!
//! - `ANNALS_EQ_EVENTS` (default 48): the site's events (and a sixth as
//!   many articles), in four files;
//! - `ANNALS_EQ_EDITS` (default 200): how many edits;
//! - `ANNALS_EQ_SEED` (default 1): which edits;
//! - `ANNALS_EQ_MINUTES`: stop editing after that many minutes (every edit
//!   made until then rebuilt, and compared as below);
//! - `ANNALS_EQ_COMPARE_EVERY=N` (default 1): compare with a clean build
//!   after every N-th edit and after the last; the session rebuilds after
//!   every edit regardless, so its memory goes through every state. A clean
//!   build of a large site costs seconds, a rebuild milliseconds: N trades
//!   how often the state is checked for how many edits fit in the time;
//! - `ANNALS_EQ_PROGRESS=N`: a line every N edits with the edits made and
//!   compared, the mismatches, the mean rebuild and clean-build times and
//!   the edits by kind, and one after the first build.
//!
//! A mismatch is printed as it is found (`MISMATCH`, with the edit and the
//! first difference), the session starts again from a full build, and the
//! run goes on; the test fails at the end when there was any. For example
//! (bench/README.md): `ANNALS_EQ_EVENTS=12000 ANNALS_EQ_EDITS=100000
//! ANNALS_EQ_MINUTES=40 ANNALS_EQ_COMPARE_EVERY=10 ANNALS_EQ_PROGRESS=50
//! nice -n 5 cargo test --release --locked --test rebuild_equals_build --
//! --nocapture rebuild_equals_build`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use annals::error::Diagnostics;
use annals::output::Collect;
use annals::serve::session::Session;
use annals::site::{self, Options, Timings};

/// A small random number generator (xorshift), seeded: every run of a seed
/// makes the same edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const TRACKS: [&str; 5] = [
    "military",
    "diplomacy",
    "humanitarian",
    "Energy",
    "sea lanes",
];
const STATUSES: [&str; 5] = ["confirmed", "unverified", "disputed", "debunked", "draft"];
const WORDS: [&str; 12] = [
    "talks",
    "strike",
    "convoy",
    "grain",
    "ceasefire",
    "summit",
    "port",
    "drones",
    "aid",
    "sanctions",
    "front",
    "bridge",
];

#[derive(Clone)]
struct Event {
    id: String,
    date: String,
    title: String,
    summary: String,
    track: Option<String>,
    actors: Vec<String>,
    places: Vec<String>,
    tags: Vec<String>,
    status: &'static str,
    sources: Vec<String>,
    related: Vec<String>,
    /// Latitude and longitude in hundredths of a degree.
    location: Option<(u32, u32)>,
    /// How many were killed, as one claim (a figure).
    killed: Option<u32>,
}

#[derive(Clone)]
struct Article {
    slug: String,
    title: String,
    date: String,
    body: String,
    events: Vec<String>,
}

/// The site as a value: written out in full after every edit; the files
/// whose text changed (or that appeared or went) are what a watcher reports.
#[derive(Clone)]
struct Model {
    title: String,
    description: String,
    per_page: usize,
    /// Events by file name under content/events/.
    files: Vec<(String, Vec<Event>)>,
    articles: Vec<Article>,
    actors: Vec<(String, String, Vec<String>)>,
    places: Vec<(String, String)>,
    /// (id, title, start, end).
    eras: Vec<(String, String, String, String)>,
    /// A site override of the card template, when there is one.
    card_template: Option<String>,
    /// A site stylesheet over the built-in one, when there is one.
    stylesheet: Option<String>,
    /// A file of the site's own under static/.
    extra_static: Option<String>,
    counter: usize,
}

fn date_of(rng: &mut Rng) -> String {
    let year = 2014 + rng.below(11);
    let month = 1 + rng.below(12);
    match rng.below(10) {
        0 => format!("{year}"),
        1 => format!("{year}-{month:02}"),
        2 => format!("{year}-{month:02}-{:02}~", 1 + rng.below(28)),
        3 => format!(
            "{year}-{month:02}-{:02}T{:02}:30:00+03:00",
            1 + rng.below(28),
            rng.below(24)
        ),
        _ => format!("{year}-{month:02}-{:02}", 1 + rng.below(28)),
    }
}

fn words(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| *rng.pick(&WORDS))
        .collect::<Vec<_>>()
        .join(" ")
}

impl Model {
    fn new(rng: &mut Rng, events: usize) -> Model {
        let actors: Vec<(String, String, Vec<String>)> = (0..8)
            .map(|i| {
                (
                    format!("actor-{i}"),
                    format!("Actor {i}"),
                    vec![format!("A{i}")],
                )
            })
            .collect();
        let places: Vec<(String, String)> = (0..6)
            .map(|i| (format!("place-{i}"), format!("Place {i}")))
            .collect();
        let mut m = Model {
            title: "Equal".to_string(),
            description: "A generated timeline".to_string(),
            per_page: 10,
            files: Vec::new(),
            articles: Vec::new(),
            actors,
            places,
            eras: vec![
                (
                    "early".into(),
                    "Early".into(),
                    "2014-01".into(),
                    "2017-12-31".into(),
                ),
                (
                    "middle".into(),
                    "Middle".into(),
                    "2018-01-01".into(),
                    "2021-06".into(),
                ),
                (
                    "late".into(),
                    "Late".into(),
                    "2021-07".into(),
                    "2024-12-31".into(),
                ),
            ],
            card_template: None,
            stylesheet: None,
            extra_static: None,
            counter: 0,
        };
        let per_file = events.div_ceil(4).max(1);
        for f in 0..events.div_ceil(per_file) {
            let list = (0..per_file.min(events - f * per_file))
                .map(|_| m.new_event(rng))
                .collect();
            m.files.push((format!("part-{f}.yaml"), list));
        }
        for _ in 0..(events / 6).max(2) {
            let a = m.new_article(rng);
            m.articles.push(a);
        }
        m
    }

    fn fresh_id(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}-{}", self.counter)
    }

    fn new_event(&mut self, rng: &mut Rng) -> Event {
        let id = self.fresh_id("ev");
        let mut e = Event {
            title: format!("{} {}", words(rng, 3), id),
            id,
            date: date_of(rng),
            summary: format!(
                "The {} of [the day](https://example.org/x) and **more**.",
                words(rng, 6)
            ),
            track: rng.chance(80).then(|| rng.pick(&TRACKS).to_string()),
            actors: Vec::new(),
            places: Vec::new(),
            tags: (0..rng.below(3))
                .map(|_| rng.pick(&WORDS).to_string())
                .collect(),
            status: if rng.chance(85) {
                "confirmed"
            } else {
                STATUSES[rng.below(STATUSES.len())]
            },
            sources: Vec::new(),
            related: Vec::new(),
            location: rng
                .chance(40)
                .then(|| (4400 + rng.below(800) as u32, 2200 + rng.below(1800) as u32)),
            killed: None,
        };
        for _ in 0..rng.below(3) {
            let a = rng.pick(&self.actors).0.clone();
            if !e.actors.contains(&a) {
                e.actors.push(a);
            }
        }
        if rng.chance(50) {
            e.places.push(rng.pick(&self.places).0.clone());
        }
        if rng.chance(60) {
            e.sources
                .push(format!("https://example.org/src/{}", rng.below(50)));
        }
        e
    }

    fn new_article(&mut self, rng: &mut Rng) -> Article {
        let slug = self.fresh_id("art");
        let events = self.event_ids();
        let mut a = Article {
            title: format!("On the {} {slug}", words(rng, 2)),
            slug,
            date: date_of(rng),
            body: format!(
                "First {}.\n\nSecond paragraph about {}.\n",
                words(rng, 5),
                words(rng, 3)
            ),
            events: Vec::new(),
        };
        for _ in 0..rng.below(3) {
            if let Some(id) = (!events.is_empty()).then(|| rng.pick(&events).clone())
                && !a.events.contains(&id)
            {
                a.events.push(id);
            }
        }
        a
    }

    fn event_ids(&self) -> Vec<String> {
        self.files
            .iter()
            .flat_map(|(_, list)| list.iter().map(|e| e.id.clone()))
            .collect()
    }

    fn event_mut(&mut self, rng: &mut Rng) -> &mut Event {
        let non_empty: Vec<usize> = (0..self.files.len())
            .filter(|&i| !self.files[i].1.is_empty())
            .collect();
        let f = *rng.pick(&non_empty);
        let list = &mut self.files[f].1;
        let i = rng.below(list.len());
        &mut list[i]
    }

    /// Applies one random edit; returns its name.
    fn edit(&mut self, rng: &mut Rng) -> &'static str {
        let ids = self.event_ids();
        let articles: Vec<String> = self.articles.iter().map(|a| a.slug.clone()).collect();
        let actors: Vec<String> = self.actors.iter().map(|a| a.0.clone()).collect();
        match rng.below(25) {
            0 | 1 => {
                let d = date_of(rng);
                self.event_mut(rng).date = d;
                "event date"
            }
            2 | 3 => {
                let w = words(rng, 2);
                let e = self.event_mut(rng);
                e.title = format!("{} {w}", e.id);
                "event title"
            }
            4 => {
                let t = rng.chance(80).then(|| rng.pick(&TRACKS).to_string());
                self.event_mut(rng).track = t;
                "event track"
            }
            5 => {
                let a = rng.pick(&actors).clone();
                let e = self.event_mut(rng);
                if e.actors.contains(&a) {
                    e.actors.retain(|x| *x != a);
                } else {
                    e.actors.push(a);
                }
                "event actors"
            }
            6 => {
                let s = rng.pick(&STATUSES);
                self.event_mut(rng).status = s;
                "event status"
            }
            7 => {
                let article = rng.chance(50).then(|| rng.pick(&articles).clone());
                let url = format!("https://example.org/src/{}", rng.below(50));
                let e = self.event_mut(rng);
                match article {
                    Some(slug) if !e.sources.contains(&format!("article:{slug}")) => {
                        e.sources.push(format!("article:{slug}"))
                    }
                    _ if !e.sources.is_empty() && url.ends_with('7') => {
                        e.sources.pop();
                    }
                    _ => e.sources.push(url),
                }
                "event sources"
            }
            8 => {
                let w = words(rng, 5);
                self.event_mut(rng).summary = format!("Now {w}.");
                "event summary"
            }
            9 => {
                let other = rng.pick(&ids).clone();
                let e = self.event_mut(rng);
                if e.related.contains(&other) || e.id == other {
                    e.related.clear();
                } else {
                    e.related.push(other);
                }
                "event related"
            }
            10 => {
                let i = rng.below(self.actors.len());
                if rng.chance(50) {
                    self.actors[i].1 = format!("Actor {}", words(rng, 1));
                } else {
                    self.actors[i].2 = vec![format!("Alias {}", rng.below(99))];
                }
                "registry actor"
            }
            11 => {
                let i = rng.below(self.places.len());
                self.places[i].1 = format!("Place {}", words(rng, 1));
                "registry place"
            }
            12 => {
                let i = rng.below(self.eras.len());
                let year = 2016 + rng.below(6);
                let month = 1 + rng.below(12);
                if rng.chance(50) || i == 0 {
                    self.eras[i].3 = format!("{year}-{month:02}");
                } else {
                    self.eras[i].2 = format!("{year}-{month:02}-01");
                }
                "era boundary"
            }
            13 => {
                let f = rng.below(self.files.len());
                let e = self.new_event(rng);
                self.files[f].1.push(e);
                "new event"
            }
            14 => {
                let f = rng.below(self.files.len());
                if self.files[f].1.len() > 1 {
                    let i = rng.below(self.files[f].1.len());
                    self.files[f].1.remove(i);
                }
                "deleted event"
            }
            15 => {
                let f = rng.below(self.files.len());
                let name = self.fresh_id("renamed");
                self.files[f].0 = format!("{name}.yaml");
                "renamed file"
            }
            16 => {
                // Only a small file (one a "new file" edit made) is deleted:
                // the site keeps its size over a long run.
                let small: Vec<usize> = (0..self.files.len())
                    .filter(|&f| self.files[f].1.len() <= 3)
                    .collect();
                if rng.chance(50) && !small.is_empty() && self.files.len() > 2 {
                    let f = *rng.pick(&small);
                    self.files.remove(f);
                    "deleted file"
                } else {
                    let name = self.fresh_id("new");
                    let list = (0..1 + rng.below(3)).map(|_| self.new_event(rng)).collect();
                    self.files.push((format!("{name}.yaml"), list));
                    "new file"
                }
            }
            17 => {
                match rng.below(3) {
                    0 => self.title = format!("Equal {}", words(rng, 1)),
                    1 => self.description = format!("About {}", words(rng, 3)),
                    _ => self.per_page = [0, 5, 10, 25][rng.below(4)],
                }
                "site.yaml"
            }
            18 => {
                self.card_template = match &self.card_template {
                    Some(_) if rng.chance(30) => None,
                    _ => Some(format!("<!-- {} -->", words(rng, 2))),
                };
                "template"
            }
            19 => {
                if rng.chance(50) {
                    // Now and then from another origin: a privacy warning
                    // the rebuild must report as a build does.
                    let import = if rng.chance(30) {
                        "@import url(https://fonts.example.net/a.css);\n"
                    } else {
                        ""
                    };
                    self.stylesheet =
                        Some(format!("{import}body {{ margin: {}px; }}\n", rng.below(9)));
                } else {
                    self.extra_static = Some(format!("note {}\n", words(rng, 2)));
                }
                "static file"
            }
            20 | 21 => {
                let i = rng.below(self.articles.len());
                if rng.chance(50) {
                    self.articles[i].body = format!("Rewritten {}.\n", words(rng, 6));
                } else {
                    let id = rng.pick(&ids).clone();
                    let events = &mut self.articles[i].events;
                    if events.contains(&id) {
                        events.retain(|x| *x != id);
                    } else {
                        events.push(id);
                    }
                }
                "article body or links"
            }
            22 => {
                if rng.chance(50) && self.articles.len() > 1 {
                    let i = rng.below(self.articles.len());
                    self.articles.remove(i);
                    "deleted article"
                } else {
                    let a = self.new_article(rng);
                    self.articles.push(a);
                    "new article"
                }
            }
            23 => {
                // A float's edit only: the same fields, another value.
                let moved = (4400 + rng.below(800) as u32, 2200 + rng.below(1800) as u32);
                let e = self.event_mut(rng);
                e.location = match e.location {
                    Some((lat, lon)) if rng.chance(80) => Some((lat + 1, lon)),
                    Some(_) => None,
                    None => Some(moved),
                };
                "event location"
            }
            _ => {
                let i = rng.below(self.articles.len());
                let d = date_of(rng);
                self.articles[i].date = d;
                "article date"
            }
        }
    }

    /// Every file of the site: path relative to the root → text.
    fn files(&self) -> BTreeMap<PathBuf, String> {
        // Limits low enough that the busiest terms and the map are split
        // by period (`term_page_max`, the map's `page_max`), and the others not.
        const SPLIT: &str = "term_page_max: 6\nmap:\n  page_max: 10\n";
        let mut out = BTreeMap::new();
        out.insert(
            PathBuf::from("site.yaml"),
            format!(
                "title: \"{}\"\nbase_url: https://example.org/eq/\ndescription: \"{}\"\nlanguage: en\ntimezone: Europe/Kyiv\nper_page: {}\n{SPLIT}",
                self.title, self.description, self.per_page
            ),
        );
        let mut actors = String::new();
        for (id, name, aliases) in &self.actors {
            let _ = writeln!(
                actors,
                "- id: {id}\n  name: {name}\n  aliases: [{}]\n  kind: person",
                aliases.join(", ")
            );
        }
        out.insert(PathBuf::from("content/actors.yaml"), actors);
        let mut places = String::new();
        for (i, (id, name)) in self.places.iter().enumerate() {
            let _ = writeln!(
                places,
                "- id: {id}\n  name: {name}\n  kind: city\n  lat: {}.5\n  lon: 30.25",
                40 + i
            );
        }
        out.insert(PathBuf::from("content/places.yaml"), places);
        let mut eras = String::new();
        for (id, title, date, end) in &self.eras {
            let _ = writeln!(
                eras,
                "- id: {id}\n  title: {title}\n  date: {date}\n  end: {end}\n  description: The {title} years."
            );
        }
        out.insert(PathBuf::from("content/eras.yaml"), eras);
        for (name, list) in &self.files {
            let mut text = String::new();
            for e in list {
                let _ = writeln!(
                    text,
                    "- id: {}\n  date: {}\n  title: \"{}\"\n  summary: \"{}\"\n  status: {}",
                    e.id, e.date, e.title, e.summary, e.status
                );
                if let Some(t) = &e.track {
                    let _ = writeln!(text, "  track: {t}");
                }
                if let Some(killed) = e.killed {
                    let _ = writeln!(text, "  figures:\n    - {{kind: killed, best: {killed}}}");
                }
                if let Some((lat, lon)) = e.location {
                    let _ = writeln!(
                        text,
                        "  location: {{name: Somewhere, lat: {}.{:02}, lon: {}.{:02}}}",
                        lat / 100,
                        lat % 100,
                        lon / 100,
                        lon % 100
                    );
                }
                for (key, values) in [
                    ("actors", &e.actors),
                    ("places", &e.places),
                    ("tags", &e.tags),
                    ("related", &e.related),
                ] {
                    if !values.is_empty() {
                        let _ = writeln!(text, "  {key}: [{}]", values.join(", "));
                    }
                }
                if !e.sources.is_empty() {
                    let _ = writeln!(text, "  sources:");
                    for s in &e.sources {
                        match s.strip_prefix("article:") {
                            Some(slug) => {
                                let _ = writeln!(text, "    - article: {slug}");
                            }
                            None => {
                                let _ = writeln!(
                                    text,
                                    "    - url: {s}\n      title: A report\n      publisher: Example"
                                );
                            }
                        }
                    }
                }
            }
            out.insert(Path::new("content/events").join(name), text);
        }
        for a in &self.articles {
            let mut text = format!(
                "---\ntitle: \"{}\"\ndate: {}\nslug: {}\n",
                a.title, a.date, a.slug
            );
            if !a.events.is_empty() {
                let _ = writeln!(text, "events: [{}]", a.events.join(", "));
            }
            let _ = write!(text, "---\n{}", a.body);
            out.insert(
                Path::new("content/articles").join(format!("{}.md", a.slug)),
                text,
            );
        }
        out.insert(
            PathBuf::from("content/pages/about.md"),
            "---\ntitle: About\n---\nA [link to the timeline](/) here.\n".to_string(),
        );
        if let Some(comment) = &self.card_template {
            let builtin = annals::render::theme::BUILTIN_TEMPLATES
                .iter()
                .find(|(n, _)| *n == "partials/entry_card.html")
                .map(|(_, t)| *t)
                .unwrap_or_default();
            out.insert(
                PathBuf::from("templates/partials/entry_card.html"),
                format!("{comment}\n{builtin}"),
            );
        }
        if let Some(css) = &self.stylesheet {
            out.insert(PathBuf::from("static/annals.css"), css.clone());
        }
        if let Some(text) = &self.extra_static {
            out.insert(PathBuf::from("static/notes.txt"), text.clone());
        }
        out
    }
}

/// Writes `next` over `prev` under `root`; returns the paths that changed,
/// appeared or went, as a watcher reports them.
fn sync(
    root: &Path,
    prev: &BTreeMap<PathBuf, String>,
    next: &BTreeMap<PathBuf, String>,
) -> Vec<PathBuf> {
    let mut changed = Vec::new();
    for (path, text) in next {
        if prev.get(path) != Some(text) {
            let full = root.join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(&full, text).unwrap();
            changed.push(path.clone());
        }
    }
    for path in prev.keys() {
        if !next.contains_key(path) {
            std::fs::remove_file(root.join(path)).unwrap();
            changed.push(path.clone());
        }
    }
    changed
}

/// A clean build of the tree: its files, or none, and its problems.
fn clean_build(opts: &Options) -> (Option<BTreeMap<String, Vec<u8>>>, Vec<String>) {
    let mut diags = Diagnostics::new();
    let mut timings = Timings::default();
    let files = site::load(opts, &mut diags, &mut timings).and_then(|loaded| {
        let sink = Collect::default();
        annals::render::render(
            &loaded.chronology,
            &loaded.theme,
            &loaded.statics,
            &mut diags,
            &sink,
        )?;
        Some(
            sink.into_sorted()
                .into_iter()
                .map(|f| (f.path, f.bytes))
                .collect(),
        )
    });
    (
        files,
        diags.sorted().iter().map(|d| d.to_string()).collect(),
    )
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// How a run goes, from the environment (see the header).
struct Knobs {
    seed: u64,
    events: usize,
    edits: usize,
    /// Stop editing after this long (every edit made until then compared).
    budget: Option<Duration>,
    /// Print the figures so far every this many edits (0: never).
    progress: usize,
    /// Compare with a clean build after every this many edits (and after
    /// the last one); the rebuild follows every edit regardless.
    compare_every: usize,
}

impl Knobs {
    fn from_env() -> Knobs {
        Knobs {
            seed: env_number("ANNALS_EQ_SEED", 1),
            events: env_number("ANNALS_EQ_EVENTS", 48) as usize,
            edits: env_number("ANNALS_EQ_EDITS", 200) as usize,
            budget: std::env::var("ANNALS_EQ_MINUTES")
                .ok()
                .and_then(|v| v.parse::<f64>().ok())
                .map(|m| Duration::from_secs_f64(m * 60.0)),
            progress: env_number("ANNALS_EQ_PROGRESS", 0) as usize,
            compare_every: env_number("ANNALS_EQ_COMPARE_EVERY", 1).max(1) as usize,
        }
    }
}

/// The figures of a run so far.
#[derive(Default)]
struct Figures {
    edits: usize,
    compared: usize,
    rebuild_time: Duration,
    build_time: Duration,
    kinds: BTreeMap<&'static str, usize>,
    /// Each mismatch: the edit and how the outputs differ.
    mismatches: Vec<String>,
}

impl Figures {
    fn line(&self, started: Instant, model: &Model) -> String {
        format!(
            "{} events now; {} edits, {} compared, {} mismatches in {:.0} s: rebuilds {:.1} ms on average, clean builds {:.1} ms; {:?}",
            model.event_ids().len(),
            self.edits,
            self.compared,
            self.mismatches.len(),
            started.elapsed().as_secs_f64(),
            self.rebuild_time.as_secs_f64() * 1000.0 / self.edits.max(1) as f64,
            self.build_time.as_secs_f64() * 1000.0 / self.compared.max(1) as f64,
            self.kinds,
        )
    }
}

/// How a rebuild differs from a clean build of the same tree (none when
/// it does not): problems, a failure on one side only, a file missing,
/// extra or with other bytes.
fn difference(
    rebuilt: &annals::serve::session::Rebuild,
    clean: Option<BTreeMap<String, Vec<u8>>>,
    problems: &[String],
) -> Option<String> {
    let rebuilt_problems: Vec<String> = rebuilt.diagnostics.iter().map(|d| d.to_string()).collect();
    if rebuilt_problems != problems {
        return Some(format!(
            "problems differ:\nrebuild: {rebuilt_problems:?}\nclean:   {problems:?}"
        ));
    }
    match (clean, &rebuilt.files) {
        (None, None) => None,
        (Some(clean), Some(files)) => {
            let rebuilt: BTreeMap<&str, &[u8]> =
                files.iter().map(|(p, b)| (&**p, b.as_slice())).collect();
            for (path, bytes) in &clean {
                match rebuilt.get(path.as_str()) {
                    None => return Some(format!("{path} is missing from the rebuild")),
                    Some(b) if *b != bytes.as_slice() => {
                        return Some(format!("{path} differs: {}", where_differ(b, bytes)));
                    }
                    _ => {}
                }
            }
            let extra: Vec<&&str> = rebuilt
                .keys()
                .filter(|p| !clean.contains_key(**p))
                .collect();
            (!extra.is_empty()).then(|| format!("the rebuild has files a build has not: {extra:?}"))
        }
        (clean, files) => Some(format!(
            "one build failed and the other did not (clean: {}, rebuild: {}): {problems:?}",
            clean.is_some(),
            files.is_some()
        )),
    }
}

/// Where two files first differ, with some text either side (a whole page
/// of a large site would drown the message).
fn where_differ(rebuilt: &[u8], clean: &[u8]) -> String {
    let at = rebuilt
        .iter()
        .zip(clean)
        .position(|(a, b)| a != b)
        .unwrap_or(rebuilt.len().min(clean.len()));
    let window = |bytes: &[u8]| {
        let from = at.saturating_sub(300);
        let to = (at + 300).min(bytes.len());
        String::from_utf8_lossy(&bytes[from.min(to)..to]).into_owned()
    };
    format!(
        "at byte {at} of {} (rebuild) and {} (clean):\nrebuild: {}\nclean:   {}",
        rebuilt.len(),
        clean.len(),
        window(rebuilt),
        window(clean)
    )
}

/// Runs the random edits `knobs` asks for on a generated site and checks
/// rebuilds against clean builds. A mismatch is printed and counted, and
/// the session starts again from a full build (so that later edits are
/// tested from a state a build made); the run fails at its end if there
/// was any.
fn run(knobs: &Knobs) {
    let seed = knobs.seed;
    let run_started = Instant::now();
    let root = std::env::temp_dir().join(format!("annals-eq-{}-{seed}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut model = Model::new(&mut rng, knobs.events);
    let mut on_disk = model.files();
    sync(&root, &BTreeMap::new(), &on_disk);
    let opts = options(&root);
    let mut session = Session::new(opts.clone());
    let first = session.rebuild(&[]);
    assert!(
        first.files.is_some(),
        "the generated site does not build: {:?}",
        first.diagnostics
    );
    // The comparisons below cover the newer outputs too: the map (places have
    // coordinates) and the exports are among the files of the generated site.
    let built: Vec<&str> = first
        .files
        .iter()
        .flat_map(|files| files.keys())
        .map(|p| &**p)
        .collect();
    for expected in [
        "map/index.html",
        "map/card.svg",
        "events.geojson",
        "events.gpx",
        "events.csv",
        "timeline.ics",
        "search-index.js",
    ] {
        assert!(
            built.contains(&expected),
            "the generated site has no {expected}: {built:?}"
        );
    }
    // And the pages of lists split by period (the map, the busiest terms).
    let split = |prefix: &str| {
        built.iter().any(|p| {
            p.strip_prefix(prefix)
                .is_some_and(|rest| rest.contains("/20") || rest.starts_with("20"))
        })
    };
    assert!(split("map/"), "the generated site's map is not split");
    assert!(
        split("tracks/") || split("tags/") || split("actors/"),
        "no term of the generated site is split"
    );
    if knobs.progress > 0 {
        eprintln!(
            "seed {seed}: {} events, {} articles, {} files built in {:.1} s; up to {} edits, compared every {}",
            knobs.events,
            model.articles.len(),
            built.len(),
            run_started.elapsed().as_secs_f64(),
            knobs.edits,
            knobs.compare_every,
        );
    }
    drop(first);
    let mut figures = Figures::default();
    for step in 0..knobs.edits {
        if knobs.budget.is_some_and(|b| run_started.elapsed() > b) {
            break;
        }
        if knobs.progress > 0 && step > 0 && step % knobs.progress == 0 {
            eprintln!("{}", figures.line(run_started, &model));
        }
        let kind = model.edit(&mut rng);
        figures.edits += 1;
        *figures.kinds.entry(kind).or_default() += 1;
        let next = model.files();
        let changed = sync(&root, &on_disk, &next);
        on_disk = next;
        let started = Instant::now();
        let rebuilt = session.rebuild(&changed);
        figures.rebuild_time += started.elapsed();
        let last = step + 1 == knobs.edits;
        if (step + 1) % knobs.compare_every != 0 && !last {
            continue;
        }
        let started = Instant::now();
        let (clean, problems) = clean_build(&opts);
        figures.build_time += started.elapsed();
        figures.compared += 1;
        if let Some(how) = difference(&rebuilt, clean, &problems) {
            let what = format!("seed {seed}, edit {step} ({kind}, {changed:?}): {how}");
            eprintln!("MISMATCH {what}");
            figures.mismatches.push(what);
            drop(rebuilt);
            session = Session::new(opts.clone());
            session.rebuild(&[]);
        }
    }
    eprintln!(
        "{} events (seed {seed}): {}",
        knobs.events,
        figures.line(run_started, &model)
    );
    let _ = std::fs::remove_dir_all(&root);
    assert!(
        figures.mismatches.is_empty(),
        "{} rebuilds differ from a clean build:\n{}",
        figures.mismatches.len(),
        figures.mismatches.join("\n\n")
    );
}

#[test]
fn rebuild_equals_build() {
    run(&Knobs::from_env());
}

/// An edit of the model.
type Edit = fn(&mut Model);

/// Edits to one entry on a site large enough that a rebuild makes only the
/// search shards, `timeline.json` files and exports the entry is in and
/// keeps the rest: a title (its words move between term shards), a title
/// another entry has (that entry's page, kept otherwise, changes its
/// title), a point on the map gained and lost, a status (its class),
/// actors (its facets), and a new event
/// (every position moves: the whole index). Each rebuild equals a clean
/// build, and the first keeps data files and most pages.
#[test]
fn one_entry_edits_keep_the_other_data_files() {
    let mut rng = Rng(7);
    let mut model = Model::new(&mut rng, 800);
    let root = std::env::temp_dir().join(format!("annals-eq-keep-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let mut on_disk = model.files();
    sync(&root, &BTreeMap::new(), &on_disk);
    let opts = options(&root);
    let mut session = Session::new(opts.clone());
    assert!(session.rebuild(&[]).files.is_some());
    let terms = |files: &annals::serve::session::Files| {
        files.keys().filter(|p| p.starts_with("search/t/")).count()
    };
    let edits: [(&str, Edit); 10] = [
        ("title", |m| {
            m.files[1].1[3].title = "Zeppelin quixotic wharf".into()
        }),
        // Another entry's page, not edited, now shares its title (its page
        // title adds the date), then no longer does.
        ("title shared", |m| {
            m.files[1].1[4].title = m.files[0].1[2].title.clone()
        }),
        ("title no longer shared", |m| {
            m.files[0].1[2].title = "Quartz vellum orchard".into()
        }),
        // The map's located entries, kept from the last render but for the
        // entries edited: one gains a point, another loses its own.
        ("located", |m| m.files[2].1[1].location = Some((4810, 3120))),
        ("no longer located", |m| {
            let e = m.files[0].1.iter_mut().find(|e| e.location.is_some());
            if let Some(e) = e {
                e.location = None;
            }
        }),
        ("status", |m| m.files[2].1[5].status = "disputed"),
        // The totals of a figure: on the pages of its terms' periods and
        // the timeline's eras, which do not list the event itself.
        ("figure", |m| m.files[1].1[6].killed = Some(40)),
        ("figure changed", |m| m.files[1].1[6].killed = Some(57)),
        ("actors", |m| {
            m.files[0].1[7].actors = vec!["actor-3".into()]
        }),
        ("new event", |m| {
            let mut e = m.files[0].1[0].clone();
            e.id = "ev-inserted".into();
            e.date = "2019-05-05".into();
            m.files[3].1.push(e);
        }),
    ];
    for (i, (what, edit)) in edits.iter().enumerate() {
        edit(&mut model);
        let next = model.files();
        let changed = sync(&root, &on_disk, &next);
        on_disk = next;
        let rebuilt = session.rebuild(&changed);
        let (clean, problems) = clean_build(&opts);
        if let Some(how) = difference(&rebuilt, clean, &problems) {
            panic!("after the {what} edit: {how}");
        }
        if i == 0 {
            let files = rebuilt.files.as_ref().expect("the rebuild succeeds");
            assert!(terms(files) > 1, "the site has one term shard only");
            assert!(
                rebuilt.kept_data > 10,
                "the title edit kept {} data files",
                rebuilt.kept_data
            );
            let (rendered, kept) = rebuilt.pages;
            assert!(
                kept > 10 * rendered,
                "the title edit rendered {rendered} pages and kept {kept}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&root);
}

/// A PNG of `width` × `height` pixels.
fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 40])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// An image replaced by one of another size, its event untouched: the
/// event page's sizes and variants follow the new file, as a build's do.
#[test]
fn a_replaced_image_is_seen_by_the_rebuild() {
    let root = std::env::temp_dir().join(format!("annals-eq-media-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    write_media_site(&root, 1200);
    let opts = options(&root);
    let mut session = Session::new(opts.clone());
    assert!(session.rebuild(&[]).files.is_some());
    std::fs::write(root.join("content/media/front.png"), png(700, 300)).unwrap();
    let rebuilt = session.rebuild(&[PathBuf::from("content/media/front.png")]);
    let (clean, problems) = clean_build(&opts);
    let clean = clean.unwrap_or_else(|| panic!("the site does not build: {problems:?}"));
    let files = rebuilt.files.expect("the rebuild succeeds");
    let page = "events/with-media/index.html";
    let ours = String::from_utf8_lossy(&files[page]).into_owned();
    let theirs = String::from_utf8_lossy(&clean[page]).into_owned();
    assert!(
        theirs.contains("700"),
        "the clean build shows the new width"
    );
    assert_eq!(
        ours, theirs,
        "the rebuilt event page differs from a build's"
    );
    let _ = std::fs::remove_dir_all(&root);
}

/// A site with one event showing one image `width` pixels wide.
fn write_media_site(root: &Path, width: u32) {
    let files = [
        (
            "site.yaml",
            "title: Media\nbase_url: https://example.org/m/\nlanguage: en\n".as_bytes().to_vec(),
        ),
        (
            "content/events/m.yaml",
            "- id: with-media\n  date: 2022-06-01\n  title: With media\n  media:\n    - file: media/front.png\n      alt: A test card\n"
                .as_bytes()
                .to_vec(),
        ),
        ("content/media/front.png", png(width, width * 2 / 3)),
    ];
    for (path, bytes) in &files {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
    }
}

/// Two sites loaded one after the other in one process and then rendered
/// each show their own image: what a load measures of its images travels
/// with its chronology, not in a value the process shares (it once did, and
/// the first site's pages showed the second site's sizes; serve's tests and
/// these run builds side by side).
#[test]
fn sites_loaded_together_keep_their_own_images() {
    let widths = [640u32, 1100];
    let loaded: Vec<_> = widths
        .iter()
        .map(|w| {
            let root =
                std::env::temp_dir().join(format!("annals-eq-twin-{}-{w}", std::process::id()));
            let _ = std::fs::remove_dir_all(&root);
            write_media_site(&root, *w);
            let opts = options(&root);
            let mut diags = Diagnostics::new();
            let site = site::load(&opts, &mut diags, &mut Timings::default())
                .unwrap_or_else(|| panic!("{:?}", diags.sorted()));
            (root, site)
        })
        .collect();
    for ((root, site), width) in loaded.iter().zip(widths) {
        let sink = Collect::default();
        let mut diags = Diagnostics::new();
        annals::render::render(
            &site.chronology,
            &site.theme,
            &site.statics,
            &mut diags,
            &sink,
        )
        .expect("renders");
        let page = sink
            .into_sorted()
            .into_iter()
            .find(|f| f.path == "events/with-media/index.html")
            .expect("the event page");
        let html = String::from_utf8_lossy(&page.bytes);
        assert!(
            html.contains(&format!("width=\"{width}\"")),
            "the page of the {width} px site shows another image's size"
        );
        let _ = std::fs::remove_dir_all(root);
    }
}

/// The options every build of these tests uses, for the site at `root`.
fn options(root: &Path) -> Options {
    Options {
        root: root.to_path_buf(),
        base_url: None,
        drafts: false,
        now: None,
        archives: annals::trust::Archives::Ignore,
    }
}
