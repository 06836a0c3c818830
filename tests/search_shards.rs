//! The sharded search index and the year files of `timeline.json`, on
//! built output: the manifest stays small, every shard stays within its
//! size, and every entry is found exactly once where the finder looks for
//! it (its row, its words, its class, its facets, its dates).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Output, Site};
use serde_json::Value;

const TRACKS: [&str; 4] = ["military", "diplomacy", "economy", "energy"];
const STATUSES: [&str; 3] = ["confirmed", "disputed", "unverified"];

/// A site of `n` events over eleven years, each with a track, a status, a
/// tag and words of its own (`wNNNN`) besides shared ones.
fn generated(n: usize, extra_config: &str) -> Site {
    let site = Site::empty();
    site.write(
        "site.yaml",
        format!(
            "title: Generated\nbase_url: https://example.org/\ntimezone: UTC\nper_page: 0\n{extra_config}"
        ),
    );
    let mut yaml = String::new();
    for i in 0..n {
        let year = 2014 + i * 11 / n;
        // Dates rise with i, so that the chronology is the ids' order.
        let month = i * 11 * 12 / n % 12 + 1;
        let day = i * 11 * 12 * 28 / n % 28 + 1;
        yaml.push_str(&format!(
            "- id: e{i:05}\n  date: {year}-{month:02}-{day:02}\n  title: Event w{i:05} at the {} front\n  summary: Shelling near river crossing number {}.\n  track: {}\n  status: {}\n  tags: [t{}]\n  importance: {}\n",
            ["northern", "southern", "eastern"][i % 3],
            i % 97,
            TRACKS[i % 4],
            STATUSES[i % 3],
            i % 13,
            i % 5 + 1,
        ));
        if i % 3 == 1 {
            yaml.push_str("  sources:\n    - url: https://example.org/s\n");
        }
    }
    site.write("content/events/all.yaml", yaml);
    site
}

/// Everything the index says, shard by shard.
struct Index {
    manifest: Value,
    /// Each entry's id, in the rows.
    ids: Vec<String>,
    /// Each word's entries (all classes).
    words: BTreeMap<String, Vec<u64>>,
    /// Each class's entries, from the class columns.
    classes: Vec<Vec<u64>>,
}

fn gaps(text: &str) -> Vec<u64> {
    const LAST: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef";
    const MORE: &str = "ghijklmnopqrstuvwxyz0123456789-_";
    let (mut out, mut acc, mut prev) = (Vec::new(), 0u64, None::<u64>);
    for c in text.chars() {
        if let Some(g) = MORE.find(c) {
            acc = acc * 32 + g as u64;
        } else {
            let g = LAST
                .find(c)
                .unwrap_or_else(|| panic!("not a gap digit: {c}"));
            let v = acc * 32 + g as u64;
            let id = prev.map_or(v, |p| p + v + 1);
            out.push(id);
            prev = Some(id);
            acc = 0;
        }
    }
    assert_eq!(acc, 0, "a list ends mid-number: {text}");
    out
}

/// The entries of a list as a shard holds it: in place, or cut into
/// segments in part files (whose counts must agree with the header).
fn list_ids(out: &Output, folder: usize, list: &Value) -> Vec<u64> {
    let Some(segments) = list.get("s") else {
        return list
            .as_object()
            .unwrap()
            .values()
            .flat_map(|g| gaps(g.as_str().unwrap()))
            .collect();
    };
    let mut all = Vec::new();
    for segment in segments.as_array().unwrap() {
        let part = segment[1].as_u64().unwrap() as usize;
        let lists = out.shard(&format!("search/p/{}/{part}.js", part / folder));
        let ids: Vec<u64> = lists
            .as_object()
            .unwrap()
            .values()
            .flat_map(|g| gaps(g.as_str().unwrap()))
            .collect();
        assert_eq!(ids.len() as u64, segment[2].as_u64().unwrap());
        all.extend(ids);
    }
    let counted: u64 = list["n"]
        .as_object()
        .unwrap()
        .values()
        .map(|c| c.as_u64().unwrap())
        .sum();
    assert_eq!(
        counted,
        all.len() as u64,
        "a cut list's counts are its entries"
    );
    all
}

fn read_index(out: &Output) -> Index {
    let manifest = out.search_index();
    let folder = manifest["folder"].as_u64().unwrap() as usize;
    let ids = manifest["e"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[0].as_str().unwrap().to_string())
        .collect();
    let mut words: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    let terms = manifest["terms"].as_array().unwrap();
    let mut previous_last: Option<String> = None;
    for (i, first) in terms.iter().enumerate() {
        let shard = out.shard(&format!("search/t/{}/{i}.js", i / folder));
        let shard = shard.as_object().unwrap();
        let mut keys: Vec<&String> = shard.keys().collect();
        keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
        assert_eq!(
            keys[0].as_str(),
            first.as_str().unwrap(),
            "shard {i} starts at its word"
        );
        if let Some(last) = &previous_last {
            assert!(
                last.encode_utf16().cmp(keys[0].encode_utf16()).is_lt(),
                "shards are in order"
            );
        }
        previous_last = keys.last().map(|k| k.to_string());
        for (word, lists) in shard {
            let all = words.entry(word.clone()).or_default();
            all.extend(list_ids(out, folder, lists));
            all.sort_unstable();
        }
    }
    let width = manifest["cw"].as_u64().unwrap() as usize;
    let block = manifest["block"].as_u64().unwrap() as usize;
    let mut classes = vec![Vec::new(); manifest["classes"].as_array().unwrap().len()];
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for b in 0..manifest["blocks"].as_array().unwrap().len() {
        let column = out.shard(&format!("search/k/{}/{b}.js", b / folder));
        let chars: Vec<char> = column.as_str().unwrap().chars().collect();
        for (i, class) in chars.chunks(width).enumerate() {
            let c = class
                .iter()
                .fold(0, |acc, ch| acc * 64 + alphabet.find(*ch).unwrap());
            classes[c].push((b * block + i) as u64);
        }
    }
    Index {
        manifest,
        ids,
        words,
        classes,
    }
}

#[test]
fn every_entry_is_found_exactly_once_by_its_row_words_class_facets_and_dates() {
    let n = 4_500;
    let site = generated(n, "");
    site.build(&[]).success();
    let out = site.public();
    let index = read_index(&out);
    let m = &index.manifest;
    assert_eq!(m["v"], 2);
    assert_eq!(m["n"].as_u64(), Some(n as u64));
    // Rows: every entry once, in the chronology's order (timeline.json's).
    let timeline = out.timeline();
    let order: Vec<String> = timeline["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(index.ids, order);
    // Words: the word of its own finds each entry, and only it.
    for (pos, id) in index.ids.iter().enumerate() {
        let own = format!("w{}", &id[1..]);
        assert_eq!(
            index.words.get(&own).map(Vec::as_slice),
            Some(&[pos as u64][..]),
            "{own}"
        );
    }
    // Shared words: each entry once in the list of its words.
    let front = &index.words["front"];
    assert_eq!(front.len(), n);
    assert!(front.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
    assert_eq!(index.words["northern"].len(), n.div_ceil(3));
    // Track names are words of their entries too.
    assert_eq!(index.words["military"].len(), n.div_ceil(4));
    // Classes: every entry in exactly one, as many as the manifest counts.
    let mut all: Vec<u64> = index.classes.iter().flatten().copied().collect();
    all.sort_unstable();
    assert_eq!(all, (0..n as u64).collect::<Vec<_>>());
    for (c, class) in m["classes"].as_array().unwrap().iter().enumerate() {
        assert_eq!(class[4].as_u64(), Some(index.classes[c].len() as u64));
    }
    let tracks: Vec<&str> = m["tracks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t[0].as_str().unwrap())
        .collect();
    for (c, class) in m["classes"].as_array().unwrap().iter().enumerate() {
        for &pos in &index.classes[c] {
            let entry = &timeline["entries"][pos as usize];
            let track = tracks[class[0].as_u64().unwrap() as usize];
            assert_eq!(entry["track_id"].as_str(), Some(track));
            let status = m["statuses"][class[1].as_u64().unwrap() as usize].as_str();
            assert_eq!(entry["status"].as_str(), status);
            let major = entry["importance"].as_u64().unwrap() >= 4;
            assert_eq!(class[3].as_u64(), Some(u64::from(major)));
        }
    }
    // Facets: each tag's list holds exactly its entries.
    let folder = m["folder"].as_u64().unwrap() as usize;
    let mut tagged = BTreeSet::new();
    for (i, tag) in m["tags"].as_array().unwrap().iter().enumerate() {
        let shard = out.shard(&format!("search/tags/{}/{i}.js", i / folder));
        let mut ids = list_ids(&out, folder, &shard);
        ids.sort_unstable();
        assert_eq!(ids.len() as u64, tag[2].as_u64().unwrap());
        for pos in ids {
            assert!(tagged.insert(pos), "entry {pos} in two tags' lists");
            let tags = &timeline["entries"][pos as usize]["tags"];
            assert_eq!(tags[0], tag[0]);
        }
    }
    assert_eq!(tagged.len(), n);
    // Dates: every block's bounds hold its entries' days.
    let block = m["block"].as_u64().unwrap() as usize;
    for (b, bounds) in m["blocks"].as_array().unwrap().iter().enumerate() {
        let dates = out.shard(&format!("search/d/{}/{b}.js", b / folder));
        let dates: Vec<u64> = dates
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_u64().unwrap())
            .collect();
        assert_eq!(dates.len(), 2 * block.min(n - b * block));
        let starts: Vec<u64> = dates.iter().step_by(2).copied().collect();
        assert_eq!(starts.iter().min(), bounds[0].as_u64().as_ref());
        assert_eq!(starts.iter().max(), bounds[1].as_u64().as_ref());
        let row = &index.manifest["e"][b * block];
        assert_eq!(
            row[4].as_u64(),
            Some(starts[0]),
            "a row's start is its date's"
        );
    }
}

#[test]
fn the_manifest_and_every_shard_stay_small() {
    let site = generated(4_500, "");
    site.build(&[]).success();
    let out = site.public();
    let manifest = out.read("search-index.js");
    assert!(
        manifest.len() < 16 * 1024,
        "the manifest weighs {} bytes",
        manifest.len()
    );
    let tree = out.tree();
    let mut biggest: BTreeMap<&str, usize> = BTreeMap::new();
    let mut folders: BTreeMap<String, usize> = BTreeMap::new();
    for (path, bytes) in &tree.files {
        let Some(rest) = path.strip_prefix("search/") else {
            continue;
        };
        let kind = rest.split('/').next().unwrap();
        let size = biggest.entry(kind).or_default();
        *size = (*size).max(bytes.len());
        if let Some((folder, _)) = path.rsplit_once('/') {
            *folders.entry(folder.to_string()).or_default() += 1;
        }
    }
    // Rows: a few entries a shard; a block's class column: one character an entry.
    assert!(biggest["r"] < 4 * 1024, "{biggest:?}");
    assert!(biggest["k"] < 4096 + 64, "{biggest:?}");
    // Word shards: about 16 KB, unless one word fills a shard alone (here
    // "front", in every entry, costs a character each).
    assert!(biggest["t"] < 32 * 1024, "{biggest:?}");
    assert!(
        folders.values().all(|&n| n <= 1000),
        "a folder of over 1,000 shards"
    );
}

#[test]
fn timeline_json_becomes_a_manifest_of_year_files_above_its_limit() {
    let site = generated(600, "timeline_json_max: 500\n");
    site.build(&[]).success();
    let out = site.public();
    let manifest = out.timeline();
    assert!(manifest.get("entries").is_none());
    assert_eq!(manifest["count"], 600);
    let schema: Value = serde_json::from_str(&out.read("timeline-manifest.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(&manifest)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let year_schema: Value = serde_json::from_str(&out.read("timeline.schema.json")).unwrap();
    let year_validator = jsonschema::validator_for(&year_schema).expect("a valid schema");
    let mut ids = Vec::new();
    let years = manifest["years"].as_array().unwrap();
    assert_eq!(years.len(), 11);
    for year in years {
        let path = year["path"].as_str().unwrap();
        assert_eq!(
            year["url"].as_str().unwrap(),
            format!("https://example.org/{path}")
        );
        let file: Value = serde_json::from_str(&out.read(path)).unwrap();
        assert!(year_validator.iter_errors(&file).next().is_none(), "{path}");
        let entries = file["entries"].as_array().unwrap();
        assert_eq!(entries.len() as u64, year["count"].as_u64().unwrap());
        for e in entries {
            assert!(
                e["date"]["value"]
                    .as_str()
                    .unwrap()
                    .starts_with(&year["year"].to_string())
            );
            ids.push(e["id"].as_str().unwrap().to_string());
        }
    }
    let expected: Vec<String> = (0..600).map(|i| format!("e{i:05}")).collect();
    assert_eq!(ids, expected, "every entry once, in order");

    // At or under the limit, one file as before.
    let small = generated(500, "timeline_json_max: 500\n");
    small.build(&[]).success();
    let whole = small.public().timeline();
    assert_eq!(whole["entries"].as_array().map(Vec::len), Some(500));
    assert!(!small.public().exists("timeline/2014.json"));
}

#[test]
fn a_large_site_shows_its_newest_entries_first_with_a_light_pager() {
    // Over 5,000 entries with per_page: 0: pages of 100, the newest first.
    let site = generated(5_200, "");
    site.build(&[]).success();
    let out = site.public();
    let index = out.page("");
    assert!(index.contains("e05199"), "the index shows the newest entry");
    assert!(!index.contains("\"e00000"), "not the oldest");
    assert!(out.exists("page/52/index.html"));
    assert!(!out.exists("page/53/index.html"));
    let last = out.page("page/52/");
    assert!(last.contains("e00000"), "the last page holds the oldest");
    // The pager links the first and last pages and those near this one.
    let middle = out.page("page/26/");
    let pager = middle
        .split("class=\"pager\"")
        .nth(1)
        .expect("a pager")
        .split("</nav>")
        .next()
        .unwrap();
    let links = pager.matches("class=\"pg\"").count();
    assert_eq!(links, 1 + 6 + 1, "first, 3 on each side, last: {pager}");
    assert_eq!(pager.matches("pg-gap").count(), 2);
    assert!(
        index.len() < 400_000,
        "the index weighs {} bytes",
        index.len()
    );
}

#[test]
fn a_busy_month_is_cut_into_parts_that_list_each_entry_once() {
    let site = Site::empty();
    site.write(
        "site.yaml",
        "title: Busy\nbase_url: https://example.org/\ntimezone: UTC\n",
    );
    let mut yaml = String::new();
    for i in 0..2_100 {
        yaml.push_str(&format!(
            "- id: b{i:04}\n  date: 2022-03-{:02}\n  title: Busy {i}\n",
            i * 28 / 2_100 + 1
        ));
    }
    site.write("content/events/busy.yaml", yaml);
    site.build(&[]).success();
    let out = site.public();
    let mut seen = Vec::new();
    for (path, count) in [
        ("years/2022/03/", 1_000),
        ("years/2022/03/page/2/", 1_000),
        ("years/2022/03/page/3/", 100),
    ] {
        let html = out.page(path);
        let ids: Vec<String> = html
            .match_indices("href=\"../")
            .filter_map(|(i, _)| {
                let rest = &html[i..];
                let id = rest.split("events/").nth(1)?.split('/').next()?;
                (rest.find("events/")? < 40 && id.starts_with('b')).then(|| id.to_string())
            })
            .collect();
        let mut distinct = ids.clone();
        distinct.dedup();
        assert_eq!(distinct.len(), count, "{path}");
        seen.extend(distinct);
        assert!(
            html.contains("rel=\"next\"") || path.ends_with("3/"),
            "{path} links the next part"
        );
    }
    let expected: Vec<String> = (0..2_100).map(|i| format!("b{i:04}")).collect();
    assert_eq!(seen, expected, "every entry once, in order");
    assert!(!out.exists("years/2022/03/page/4/index.html"));
    // Each part has a title of its own.
    assert!(!out.title("years/2022/03/").contains("Page "));
    assert!(
        out.title("years/2022/03/page/3/")
            .contains(" · Page 3 of 3 · ")
    );
}
