//! The search index at a million entries, without building a site (a site
//! that size does not fit a test machine's memory): made-up rows go straight
//! into the index's writer (`shards::files_with`), and a model of the
//! finder's loading (`static/annals-search.js`) counts the bytes a first
//! search fetches: the manifest, the engine, the shards the query needs and
//! the rows of its first screen. Each must stay under 300 KB, and find the
//! right entries.
//!
//! `ANNALS_SEARCH_SCALE_ENTRIES` sets the size (default 1,000,000).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use annals::render::search::shards::{self, Meta, Tables};
use serde_json::{Value, json};

/// What the finder shows at once (`BATCH` in `static/annals.js`).
const FIRST_SCREEN: usize = 30;
/// The budget of a first search, in bytes.
const BUDGET: usize = 300 * 1024;
const TRACKS: usize = 12;

/// A small deterministic generator (xorshift), so that runs compare.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The made-up site: every entry's index blob (row, meta, words) as
/// `render::search::row_bytes` writes it, and which entries have the words
/// and tracks the test asks for.
struct Corpus {
    blobs: Vec<Arc<[u8]>>,
    tracks: Vec<u8>,
    has_front: Vec<bool>,
    has_tribunal: Vec<bool>,
    has_line: Vec<bool>,
    actors: Vec<[u32; 2]>,
}

/// A vocabulary of made-up words, none a prefix of another (each ends in
/// `q`, which no other word holds), drawn with a skew: a few words in many
/// entries, most in few.
fn vocabulary() -> Vec<String> {
    let syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "bo"];
    let mut words = Vec::new();
    for a in syllables {
        for b in syllables {
            for c in syllables {
                words.push(format!("{a}{b}{c}q"));
            }
        }
    }
    words
}

fn corpus(n: usize) -> Corpus {
    let vocabulary = vocabulary();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut out = Corpus {
        blobs: Vec::with_capacity(n),
        tracks: Vec::with_capacity(n),
        has_front: Vec::with_capacity(n),
        has_tribunal: Vec::with_capacity(n),
        has_line: Vec::with_capacity(n),
        actors: Vec::with_capacity(n),
    };
    for i in 0..n {
        // Eleven years, in order.
        let day = i * 11 * 360 / n;
        let start = (2014 + day / 360) * 10_000 + (day % 360 / 30 + 1) * 100 + day % 30 + 1;
        let track = rng.below(TRACKS as u64) as i64;
        let status = rng.below(6) as u8;
        let kind = u8::from(i % 6 == 5);
        let importance = rng.below(5) + 1;
        // "front" in four entries of five: the most common word.
        let front = rng.below(5) != 0;
        // "tribunal" in one entry of 2,000: a rare word.
        let tribunal = rng.below(2_000) == 0;
        // "line" in one entry of two: with "front", two common words.
        let line = rng.below(2) == 0;
        let mut words: Vec<String> = (0..14)
            .map(|_| {
                // Skewed: the square of a uniform draw favours low ranks.
                let r = rng.below(1_000) as f64 / 1_000.0;
                vocabulary[((r * r) * vocabulary.len() as f64) as usize].clone()
            })
            .collect();
        if front {
            words.push("front".into());
        }
        if tribunal {
            words.push("tribunal".into());
        }
        if line {
            words.push("line".into());
        }
        let title = words[..5].join(" ");
        let summary = words[5..].join(" ");
        let tags = vec![rng.below(40) as u32];
        // Two distinct actors (an entry lists a term once).
        let first = rng.below(300) as u32;
        let actors = vec![first, (first + 1 + rng.below(299) as u32) % 300];
        let places = vec![rng.below(800) as u32];
        let row = json!([
            format!("e{i:07}"),
            kind,
            title,
            format!("{start}"),
            start,
            start,
            track,
            importance,
            status,
            tags,
            actors,
            places,
            -1,
            summary,
            [],
            "",
            ""
        ]);
        let meta = Meta {
            track,
            status,
            kind,
            major: importance >= 4,
            start: start as u32,
            end: start as u32,
            facets: [tags, actors.clone(), places, vec![]],
        };
        words.sort();
        words.dedup();
        let blob = format!("{row}\n{}\n{}", meta.line(), words.join(" "));
        out.blobs.push(Arc::from(blob.into_bytes()));
        out.tracks.push(track as u8);
        out.has_front.push(front);
        out.has_tribunal.push(tribunal);
        out.has_line.push(line);
        out.actors.push([actors[0], actors[1]]);
    }
    out
}

fn tables() -> Tables {
    let names = |prefix: &str, n: usize| -> Vec<(String, String)> {
        (0..n)
            .map(|i| (format!("{prefix}-{i}"), format!("{prefix} {i}")))
            .collect()
    };
    Tables {
        tracks: (0..TRACKS)
            .map(|i| (format!("track-{i}"), format!("Track {i}"), (i % 6) as u8))
            .collect(),
        facets: [
            names("tag", 40),
            names("actor", 300),
            names("place", 800),
            vec![],
        ],
        eras: vec![],
        cols: annals::render::search::COLUMNS.to_vec(),
    }
}

/// The built index, and the bytes the model of the finder has fetched.
struct Browser<'a> {
    files: &'a HashMap<String, Vec<u8>>,
    manifest: Value,
    fetched: BTreeMap<String, usize>,
}

impl<'a> Browser<'a> {
    /// A reader's first use of the finder: the engine and the manifest.
    fn open(files: &'a HashMap<String, Vec<u8>>) -> Browser<'a> {
        let engine = include_str!("../static/annals-search.js").len();
        let js = String::from_utf8_lossy(&files["search-index.js"]).into_owned();
        let json = js
            .strip_prefix("window.annalsIndex=")
            .and_then(|s| s.trim_end().strip_suffix(';'))
            .expect("the manifest is an assignment");
        let manifest = serde_json::from_str(json).expect("the manifest is JSON");
        let mut fetched = BTreeMap::new();
        fetched.insert("annals-search.js".to_string(), engine);
        fetched.insert("search-index.js".to_string(), js.len());
        Browser {
            files,
            manifest,
            fetched,
        }
    }

    fn bytes(&self) -> usize {
        self.fetched.values().sum()
    }

    /// The data of shard `key` (`t/3`, `p/12`, `k/0`, ...), fetched once.
    fn shard(&mut self, key: &str) -> Value {
        let folder = self.manifest["folder"].as_u64().unwrap() as usize;
        let (kind, n) = key.split_once('/').unwrap();
        let n: usize = n.parse().unwrap();
        let path = format!("search/{kind}/{}/{n}.js", n / folder);
        let bytes = self
            .files
            .get(&path)
            .unwrap_or_else(|| panic!("no shard {path}"));
        self.fetched.insert(path, bytes.len());
        let text = std::str::from_utf8(bytes).unwrap();
        let json = text
            .split_once(',')
            .and_then(|(_, rest)| rest.trim_end().strip_suffix(");"))
            .unwrap();
        serde_json::from_str(json).unwrap()
    }

    /// The list of word `w` as its term shard holds it (the finder's binary
    /// search over the manifest's first words).
    fn word(&mut self, w: &str) -> Value {
        let terms: Vec<String> = self.manifest["terms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_string())
            .collect();
        let at = terms.partition_point(|t| t.as_str() <= w).saturating_sub(1);
        let shard = self.shard(&format!("t/{at}"));
        // The vocabulary has no word that another begins with, so the
        // prefix search reads this shard alone.
        assert!(terms.get(at + 1).is_none_or(|t| !t.starts_with(w)));
        shard[w].clone()
    }

    /// The first screen of a list, newest or oldest first, keeping the
    /// classes `keep` keeps: segment after segment, as the finder loads
    /// them. Gives the count from the list's header and the entries shown
    /// (a short list is read whole).
    fn first_screen(
        &mut self,
        list: &Value,
        keep: &dyn Fn(usize) -> bool,
        newest: bool,
    ) -> (usize, Vec<u32>) {
        let Some(segments) = list["s"].as_array().cloned() else {
            // A short list, whole in its shard.
            let mut ids: Vec<u32> = list
                .as_object()
                .expect("a list")
                .iter()
                .filter(|(c, _)| keep(c.parse().unwrap()))
                .flat_map(|(_, g)| {
                    annals::render::search::postings::decode(g.as_str().unwrap()).unwrap()
                })
                .collect();
            ids.sort_unstable();
            let n = ids.len();
            if newest {
                ids.reverse();
            }
            ids.truncate(FIRST_SCREEN);
            return (n, ids);
        };
        let n = list["n"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(c, _)| keep(c.parse().unwrap()))
            .map(|(_, count)| count.as_u64().unwrap() as usize)
            .sum();
        let mut found: Vec<u32> = Vec::new();
        let order: Vec<&Value> = if newest {
            segments.iter().rev().collect()
        } else {
            segments.iter().collect()
        };
        for segment in order {
            if found.len() >= FIRST_SCREEN {
                break;
            }
            let part = self.shard(&format!("p/{}", segment[1]));
            let mut ids: Vec<u32> = part
                .as_object()
                .unwrap()
                .iter()
                .filter(|(c, _)| keep(c.parse().unwrap()))
                .flat_map(|(_, g)| {
                    annals::render::search::postings::decode(g.as_str().unwrap()).unwrap()
                })
                .collect();
            ids.sort_unstable();
            if newest {
                ids.reverse();
            }
            found.extend(ids);
        }
        found.truncate(FIRST_SCREEN);
        (n, found)
    }

    /// A list's entries of segment `s` by class, and how many it has there:
    /// a short list's from its shard, a cut one's from its part file.
    fn segment(&mut self, list: &Value, s: u64, seg: u64) -> (BTreeMap<usize, Vec<u32>>, usize) {
        let decode =
            |g: &Value| annals::render::search::postings::decode(g.as_str().unwrap()).unwrap();
        let mut out = BTreeMap::new();
        match list["s"].as_array() {
            None => {
                for (c, g) in list.as_object().unwrap() {
                    let here: Vec<u32> = decode(g)
                        .into_iter()
                        .filter(|&id| id as u64 / seg == s)
                        .collect();
                    if !here.is_empty() {
                        out.insert(c.parse().unwrap(), here);
                    }
                }
            }
            Some(segments) => {
                if let Some(at) = segments.iter().find(|x| x[0].as_u64() == Some(s)) {
                    let part = self.shard(&format!("p/{}", at[1]));
                    for (c, g) in part.as_object().unwrap() {
                        out.insert(c.parse().unwrap(), decode(g));
                    }
                }
            }
        }
        let k = out.values().map(Vec::len).sum();
        (out, k)
    }

    /// How many entries a list has in each segment, without reading it (a
    /// cut list's header, a short list's own entries).
    fn per_segment(list: &Value, seg: u64) -> BTreeMap<u64, usize> {
        match list["s"].as_array() {
            Some(segments) => segments
                .iter()
                .map(|x| (x[0].as_u64().unwrap(), x[2].as_u64().unwrap() as usize))
                .collect(),
            None => {
                let mut per = BTreeMap::new();
                for g in list.as_object().unwrap().values() {
                    for id in annals::render::search::postings::decode(g.as_str().unwrap()).unwrap()
                    {
                        *per.entry(id as u64 / seg).or_default() += 1;
                    }
                }
                per
            }
        }
    }

    /// Several lists at once (two words, a word and a facet), as the finder
    /// walks them: the segments they all have entries in, in the reader's
    /// order, each read and intersected by class only until the screen is
    /// full. Gives the count it shows (exact for the segments read, each
    /// other one estimated as its entries times each list's share of them)
    /// and the entries shown.
    fn walk_screen(&mut self, lists: &[Value], newest: bool) -> (usize, Vec<u32>) {
        let seg = self.manifest["seg"].as_u64().unwrap();
        let n = self.manifest["n"].as_u64().unwrap();
        let counts: Vec<BTreeMap<u64, usize>> =
            lists.iter().map(|l| Self::per_segment(l, seg)).collect();
        let mut segments: Vec<u64> = counts[0]
            .keys()
            .copied()
            .filter(|s| counts.iter().all(|c| c.contains_key(s)))
            .collect();
        if newest {
            segments.reverse();
        }
        let mut found = Vec::new();
        let mut exact = 0usize;
        let mut read = 0;
        for &s in &segments {
            if found.len() >= FIRST_SCREEN {
                break;
            }
            let parts: Vec<BTreeMap<usize, Vec<u32>>> =
                lists.iter().map(|l| self.segment(l, s, seg).0).collect();
            let mut ids: Vec<u32> = Vec::new();
            for (c, first) in &parts[0] {
                let mut here: Vec<u32> = first.clone();
                for other in &parts[1..] {
                    let other = other.get(c).map(Vec::as_slice).unwrap_or(&[]);
                    here.retain(|id| other.binary_search(id).is_ok());
                }
                ids.extend(here);
            }
            ids.sort_unstable();
            exact += ids.len();
            if newest {
                ids.reverse();
            }
            found.extend(ids);
            read += 1;
        }
        let rest: f64 = segments[read..]
            .iter()
            .map(|s| {
                let len = seg.min(n - s * seg) as f64;
                counts
                    .iter()
                    .fold(len, |acc, c| acc * (c[s] as f64 / len).min(1.0))
            })
            .sum();
        found.truncate(FIRST_SCREEN);
        (exact + rest.round() as usize, found)
    }

    /// The rows of entries `ids`, from their row shards; gives their ids.
    fn rows(&mut self, ids: &[u32]) -> Vec<String> {
        let per = self.manifest["rows"].as_u64().unwrap() as u32;
        ids.iter()
            .map(|&id| {
                let shard = self.shard(&format!("r/{}", id / per));
                shard[(id % per) as usize][0].as_str().unwrap().to_string()
            })
            .collect()
    }

    /// The classes of the manifest, as (track, status, kind, major).
    fn class_tracks(&self) -> Vec<i64> {
        self.manifest["classes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c[0].as_i64().unwrap())
            .collect()
    }
}

/// One query's count and first screen against those expected, and its
/// bytes against the budget; prints what it cost.
fn check(
    b: &Browser,
    what: &str,
    order: &str,
    got: (usize, Vec<String>),
    want: (usize, Vec<String>),
) {
    let count = got.0;
    assert_eq!(got, want, "{what}, {order}");
    println!(
        "{what} ({order} first): {count} results, {} bytes in {} files",
        b.bytes(),
        b.fetched.len()
    );
    assert!(
        b.bytes() < BUDGET,
        "{what} fetched {} bytes: {:?}",
        b.bytes(),
        b.fetched
    );
}

/// [`check`] for a query whose count is an estimate: its first screen is
/// the one expected, its count within a factor of 1.5 of the true one.
fn estimated(
    b: &Browser,
    what: &str,
    order: &str,
    got: (usize, Vec<String>),
    want: (usize, Vec<String>),
) {
    assert_eq!(got.1, want.1, "{what}, {order}: the first screen");
    let (about, count) = (got.0 as f64, want.0 as f64);
    assert!(
        about >= count / 1.5 && about <= count * 1.5,
        "{what}, {order}: about {about} for {count}"
    );
    println!(
        "{what} ({order} first): about {} results ({} in truth), {} bytes in {} files",
        got.0,
        want.0,
        b.bytes(),
        b.fetched.len()
    );
    assert!(
        b.bytes() < BUDGET,
        "{what} fetched {} bytes: {:?}",
        b.bytes(),
        b.fetched
    );
}

fn expected(flags: impl Iterator<Item = bool>, newest: bool) -> (usize, Vec<String>) {
    let ids: Vec<usize> = flags
        .enumerate()
        .filter(|(_, f)| *f)
        .map(|(i, _)| i)
        .collect();
    let shown: Vec<String> = if newest {
        ids.iter()
            .rev()
            .take(FIRST_SCREEN)
            .map(|i| format!("e{i:07}"))
            .collect()
    } else {
        ids.iter()
            .take(FIRST_SCREEN)
            .map(|i| format!("e{i:07}"))
            .collect()
    };
    (ids.len(), shown)
}

#[test]
fn a_first_search_at_a_million_entries_fetches_under_300_kb() {
    let n: usize = std::env::var("ANNALS_SEARCH_SCALE_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let corpus = corpus(n);
    let files: HashMap<String, Vec<u8>> = shards::files_with(&tables(), &corpus.blobs)
        .into_iter()
        .collect();
    let total: usize = files.values().map(Vec::len).sum();
    println!(
        "{n} entries: index {total} bytes in {} files, manifest {} bytes",
        files.len(),
        files["search-index.js"].len()
    );
    let all = |_: usize| true;
    for newest in [true, false] {
        let order = if newest { "newest" } else { "oldest" };

        // The most common word, in four entries of five.
        let mut b = Browser::open(&files);
        let list = b.word("front");
        let (count, ids) = b.first_screen(&list, &all, newest);
        let shown = b.rows(&ids);
        check(
            &b,
            "\"front\"",
            order,
            (count, shown),
            expected(corpus.has_front.iter().copied(), newest),
        );

        // A rare word: its list is whole in its term shard.
        let mut b = Browser::open(&files);
        let list = b.word("tribunal");
        let mut ids: Vec<u32> = list
            .as_object()
            .expect("a short list is in place")
            .values()
            .flat_map(|g| annals::render::search::postings::decode(g.as_str().unwrap()).unwrap())
            .collect();
        ids.sort_unstable();
        let count = ids.len();
        if newest {
            ids.reverse();
        }
        ids.truncate(FIRST_SCREEN);
        let shown = b.rows(&ids);
        check(
            &b,
            "\"tribunal\"",
            order,
            (count, shown),
            expected(corpus.has_tribunal.iter().copied(), newest),
        );

        // A track filter: counted from the manifest's classes, its entries
        // found in the class columns, block after block.
        let mut b = Browser::open(&files);
        let tracks = b.class_tracks();
        let want = 3i64;
        let count: usize = b.manifest["classes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c[0] == want)
            .map(|c| c[4].as_u64().unwrap() as usize)
            .sum();
        let blocks = b.manifest["blocks"].as_array().unwrap().len();
        let (block, width) = (
            b.manifest["block"].as_u64().unwrap() as usize,
            b.manifest["cw"].as_u64().unwrap() as usize,
        );
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut ids = Vec::new();
        for k in 0..blocks {
            if ids.len() >= FIRST_SCREEN {
                break;
            }
            let k = if newest { blocks - 1 - k } else { k };
            let column = b.shard(&format!("k/{k}"));
            let chars: Vec<char> = column.as_str().unwrap().chars().collect();
            let mut here: Vec<u32> = chars
                .chunks(width)
                .enumerate()
                .filter(|(_, c)| {
                    let class = c
                        .iter()
                        .fold(0, |acc, ch| acc * 64 + alphabet.find(*ch).unwrap());
                    tracks[class] == want
                })
                .map(|(i, _)| (k * block + i) as u32)
                .collect();
            if newest {
                here.reverse();
            }
            ids.extend(here);
        }
        ids.truncate(FIRST_SCREEN);
        let shown = b.rows(&ids);
        check(
            &b,
            "track filter",
            order,
            (count, shown),
            expected(corpus.tracks.iter().map(|&t| t == 3), newest),
        );

        // An actor filter: the actor's list, cut like a word's.
        let mut b = Browser::open(&files);
        let list = b.shard("actors/7");
        let (count, ids) = b.first_screen(&list, &all, newest);
        let shown = b.rows(&ids);
        check(
            &b,
            "actor filter",
            order,
            (count, shown),
            expected(corpus.actors.iter().map(|a| a.contains(&7)), newest),
        );

        // "front" within a track: the same segments, the track's classes kept.
        let mut b = Browser::open(&files);
        let list = b.word("front");
        let keep = |c: usize| tracks[c] == want;
        let (count, ids) = b.first_screen(&list, &keep, newest);
        let shown = b.rows(&ids);
        let both = corpus
            .has_front
            .iter()
            .zip(&corpus.tracks)
            .map(|(&f, &t)| f && t == 3);
        check(
            &b,
            "\"front\" in a track",
            order,
            (count, shown),
            expected(both, newest),
        );
    }
    // Two common words, and a word with an actor: their lists share every
    // segment, so the finder walks them only as far as its first screen
    // needs and shows an estimated count ("About N") for the rest.
    for newest in [true, false] {
        let order = if newest { "newest" } else { "oldest" };
        let mut b = Browser::open(&files);
        let lists = [b.word("front"), b.word("line")];
        let (about, ids) = b.walk_screen(&lists, newest);
        let shown = b.rows(&ids);
        let both: Vec<bool> = corpus
            .has_front
            .iter()
            .zip(&corpus.has_line)
            .map(|(&f, &l)| f && l)
            .collect();
        estimated(
            &b,
            "\"front line\"",
            order,
            (about, shown),
            expected(both.into_iter(), newest),
        );

        let mut b = Browser::open(&files);
        let lists = [b.word("front"), b.shard("actors/7")];
        let (about, ids) = b.walk_screen(&lists, newest);
        let shown = b.rows(&ids);
        let both = corpus
            .has_front
            .iter()
            .zip(&corpus.actors)
            .map(|(&f, a)| f && a.contains(&7));
        estimated(
            &b,
            "\"front\" by an actor",
            order,
            (about, shown),
            expected(both, newest),
        );
    }
    // No folder of shards holds more than a thousand.
    let mut folders: HashMap<&str, usize> = HashMap::new();
    for path in files.keys() {
        if let Some((folder, _)) = path.rsplit_once('/') {
            *folders.entry(folder).or_default() += 1;
        }
    }
    assert!(
        folders.values().all(|&c| c <= 1000),
        "a folder of over 1,000 shards"
    );
}
