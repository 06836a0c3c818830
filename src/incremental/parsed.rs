//! The YAML of events files and of articles' front matter as an earlier
//! cached `annals build` parsed it (`.annals/build/parsed/`), so that a
//! rebuild parses only the documents whose text changed: parsing is most
//! of what loading a large site costs.
//!
//! Each document is one file, named by [`YamlSource::text_hash`] (a hash
//! of the text and of its path) in a folder named by the hash's first two
//! hex digits (256 folders: a site of a million entries keeps fewer than a
//! thousand files in each): a text that changed in any byte is looked
//! for under another name, whatever the file's modification time says (a
//! fresh clone in CI, with every time new, still finds what the last build
//! parsed). A file holds a magic line, the format number, the version of
//! annals that wrote it, the document's path and hash, and the value in the
//! build cache's binary form ([`bytes`](super::bytes)) after a digest of
//! it: a file of another format or version, of another document, cut short
//! or changed in any byte reads as nothing kept, and the text is parsed.
//! Only values that parsed without error are kept. What a build parses is
//! written beside the folder first (`parsed-new-PID`) and moved in only
//! when the whole build succeeded, which then removes the files no
//! document of the site used: a failed build leaves the site's folder as
//! it was.
//!
//! [`YamlSource::text_hash`]: crate::source::YamlSource::text_hash

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use foldhash::HashSet;
use serde_yaml::value::{Tag, TaggedValue};
use serde_yaml::{Mapping, Number, Value};

use super::bytes::{Reader, Writer};
use crate::digest::hash_of;
use crate::source::KeptYaml;

/// Where the parsed documents live, under the site root.
pub const DIR: &str = ".annals/build/parsed";

const MAGIC: &[u8] = b"annals parsed yaml\n";

/// The format of a file; a change of layout bumps it.
const FORMAT: u32 = 1;

/// Values nest no deeper than the parser lets them (`yaml_guard`), with
/// room to spare: a file that claims more is damaged.
const MAX_DEPTH: usize = 4 * crate::yaml_guard::MAX_DEPTH;

/// The parsed documents of a site's build cache.
pub struct ParsedDisk {
    dir: PathBuf,
    /// Where this build's newly parsed documents are written until it
    /// succeeds (beside `dir`).
    staging: PathBuf,
    /// The folders made for the staging folder (none of them was there):
    /// removed again unless the build succeeds.
    made: Mutex<Option<Vec<PathBuf>>>,
    /// The files this build asked for or wrote, by path under `dir`.
    used: Mutex<HashSet<String>>,
    taken: AtomicUsize,
    parsed: AtomicUsize,
    committed: bool,
    /// Reads what is kept and writes nothing (`annals check`).
    read_only: bool,
}

impl ParsedDisk {
    /// The parsed documents kept for the site at `root`.
    pub fn open(root: &Path) -> ParsedDisk {
        let dir = root.join(DIR);
        let staging = dir.with_file_name(format!("parsed-new-{}", std::process::id()));
        ParsedDisk {
            dir,
            staging,
            made: Mutex::new(None),
            used: Mutex::new(HashSet::default()),
            taken: AtomicUsize::new(0),
            parsed: AtomicUsize::new(0),
            committed: false,
            read_only: false,
        }
    }

    /// The parsed documents kept for the site at `root`, read and never
    /// written (what is parsed is not kept, nothing is removed).
    pub fn read_only(root: &Path) -> ParsedDisk {
        let mut disk = ParsedDisk::open(root);
        disk.read_only = true;
        disk
    }

    /// Moves what this build parsed into the folder and removes the files
    /// no document of this build used (the site no longer has their text).
    /// Called after a successful build.
    pub fn commit(mut self) {
        self.committed = true;
        if self.read_only {
            return;
        }
        if self.staging.is_dir() {
            for file in walkdir::WalkDir::new(&self.staging)
                .into_iter()
                .flatten()
                .filter(|e| e.file_type().is_file())
            {
                let Ok(rel) = file.path().strip_prefix(&self.staging) else {
                    continue;
                };
                let to = self.dir.join(rel);
                if let Some(folder) = to.parent()
                    && std::fs::create_dir_all(folder).is_ok()
                {
                    let _ = std::fs::rename(file.path(), &to);
                }
            }
            let _ = std::fs::remove_dir_all(&self.staging);
        }
        self.prune();
        self.remove_stale_staging();
    }

    /// Removes the staging folders of builds that were stopped before
    /// they could (killed or cut off): those untouched for an hour. A
    /// build running beside this one writes into its own, recently.
    fn remove_stale_staging(&self) {
        let Some(parent) = self.dir.parent() else {
            return;
        };
        let Ok(listing) = std::fs::read_dir(parent) else {
            return;
        };
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for entry in listing.flatten() {
            let stale = entry
                .file_name()
                .to_string_lossy()
                .starts_with("parsed-new-")
                && entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| t < hour_ago);
            if stale {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }

    /// How many documents were taken from the disk, and how many parsed
    /// (and given to it).
    pub fn counts(&self) -> (usize, usize) {
        (
            self.taken.load(Ordering::Relaxed),
            self.parsed.load(Ordering::Relaxed),
        )
    }

    /// Says [`ParsedDisk::counts`] on stderr (with `ANNALS_CACHE_REPORT`
    /// set, for tests and measurements).
    pub fn report(&self) {
        let (taken, parsed) = self.counts();
        eprintln!("build cache, YAML: {taken} documents taken as parsed before, {parsed} parsed");
    }

    /// Removes the files that no document of this build used.
    fn prune(&self) {
        let Ok(used) = self.used.lock() else { return };
        let Ok(folders) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for folder in folders.flatten() {
            let folder_name = folder.file_name().to_string_lossy().to_string();
            let Ok(files) = std::fs::read_dir(folder.path()) else {
                // Not a folder of ours: anything else here goes.
                let _ = std::fs::remove_file(folder.path());
                continue;
            };
            let mut left = false;
            for file in files.flatten() {
                let name = format!("{folder_name}/{}", file.file_name().to_string_lossy());
                if used.contains(&name) {
                    left = true;
                } else {
                    let _ = std::fs::remove_file(file.path());
                }
            }
            if !left {
                let _ = std::fs::remove_dir(folder.path());
            }
        }
    }

    fn note(&self, name: &str) {
        if let Ok(mut used) = self.used.lock() {
            used.insert(name.to_string());
        }
    }
}

/// Where the document whose text has `hash` is kept, under the folder.
fn file_name(hash: u64) -> String {
    let hex = format!("{hash:016x}");
    format!("{}/{}.bin", &hex[..2], &hex[2..])
}

impl KeptYaml for ParsedDisk {
    fn value(&self, rel: &Path, hash: u64) -> Option<Value> {
        let name = file_name(hash);
        self.note(&name);
        let bytes = std::fs::read(self.dir.join(&name)).ok()?;
        let value = decode_file(&bytes, rel, hash)?;
        self.taken.fetch_add(1, Ordering::Relaxed);
        Some(value)
    }

    fn keep(&self, rel: &Path, hash: u64, value: &Value) {
        self.parsed.fetch_add(1, Ordering::Relaxed);
        let name = file_name(hash);
        self.note(&name);
        // A document that cannot be kept is only parsed again next time.
        if !self.read_only && self.ready() {
            let _ = write_file(&self.staging, &name, &encode_file(rel, hash, value));
        }
    }
}

impl ParsedDisk {
    /// Makes the staging folder once, noting the folders above it that
    /// were not there; false when it cannot be made.
    fn ready(&self) -> bool {
        let Ok(mut made) = self.made.lock() else {
            return false;
        };
        if made.is_none() {
            let mut missing = Vec::new();
            let mut at = Some(self.staging.as_path());
            while let Some(folder) = at.filter(|f| !f.exists()) {
                missing.push(folder.to_path_buf());
                at = folder.parent();
            }
            if std::fs::create_dir_all(&self.staging).is_err() {
                return false;
            }
            *made = Some(missing);
        }
        true
    }
}

impl Drop for ParsedDisk {
    /// A build that did not succeed leaves nothing: the staging folder
    /// goes, and the folders made for it.
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        let _ = std::fs::remove_dir_all(&self.staging);
        if let Ok(Some(made)) = self.made.lock().map(|m| m.clone()) {
            // Innermost first; only folders left empty.
            for folder in made {
                let _ = std::fs::remove_dir(folder);
            }
        }
    }
}

/// Writes `bytes` as `dir/name`, through a file renamed over it (a write
/// cut short leaves no half file under the name).
fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let target = dir.join(name);
    if let Some(folder) = target.parent() {
        std::fs::create_dir_all(folder)?;
    }
    let tmp = dir.join(format!("{name}.new-{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, &target).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// The bytes of the file keeping `value`, parsed from the text with `hash`
/// of the file at `rel`.
fn encode_file(rel: &Path, hash: u64, value: &Value) -> Vec<u8> {
    let mut body = Writer::default();
    encode(value, &mut body);
    let mut file = Writer(MAGIC.to_vec());
    file.u32(FORMAT);
    file.str(env!("CARGO_PKG_VERSION"));
    file.str(&rel.to_string_lossy());
    file.u64(hash);
    file.u64(hash_of(&body.0[..]));
    file.bytes(&body.0);
    file.0
}

/// The value a file keeps, when it is whole, of this format and version,
/// and of the document at `rel` whose text has `hash`.
fn decode_file(bytes: &[u8], rel: &Path, hash: u64) -> Option<Value> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let mut r = Reader(rest);
    if r.u32()? != FORMAT || r.str()? != env!("CARGO_PKG_VERSION") {
        return None;
    }
    if r.str()? != rel.to_string_lossy() || r.u64()? != hash {
        return None;
    }
    let digest = r.u64()?;
    let body = r.bytes()?;
    if !r.0.is_empty() || hash_of(body) != digest {
        return None;
    }
    let mut body = Reader(body);
    let value = decode(&mut body, 0)?;
    body.0.is_empty().then_some(value)
}

const NULL: u8 = 0;
const BOOL: u8 = 1;
const UNSIGNED: u8 = 2;
const NEGATIVE: u8 = 3;
const FLOAT: u8 = 4;
const STRING: u8 = 5;
const SEQUENCE: u8 = 6;
const MAPPING: u8 = 7;
const TAGGED: u8 = 8;

/// Writes `value` as [`decode`] reads it back.
fn encode(value: &Value, w: &mut Writer) {
    match value {
        Value::Null => w.u8(NULL),
        Value::Bool(b) => {
            w.u8(BOOL);
            w.u8(u8::from(*b));
        }
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => {
                w.u8(UNSIGNED);
                w.u64(u);
            }
            (None, Some(i)) => {
                w.u8(NEGATIVE);
                w.u64(i as u64);
            }
            _ => {
                w.u8(FLOAT);
                w.u64(n.as_f64().unwrap_or(f64::NAN).to_bits());
            }
        },
        Value::String(s) => {
            w.u8(STRING);
            w.str(s);
        }
        Value::Sequence(items) => {
            w.u8(SEQUENCE);
            w.u64(items.len() as u64);
            for item in items {
                encode(item, w);
            }
        }
        Value::Mapping(map) => {
            w.u8(MAPPING);
            w.u64(map.len() as u64);
            for (k, v) in map {
                encode(k, w);
                encode(v, w);
            }
        }
        Value::Tagged(tagged) => {
            w.u8(TAGGED);
            w.str(&tagged.tag.to_string());
            encode(&tagged.value, w);
        }
    }
}

/// The value [`encode`] wrote, `None` when the bytes are not one.
fn decode(r: &mut Reader<'_>, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    Some(match r.u8()? {
        NULL => Value::Null,
        BOOL => Value::Bool(match r.u8()? {
            0 => false,
            1 => true,
            _ => return None,
        }),
        UNSIGNED => Value::Number(Number::from(r.u64()?)),
        NEGATIVE => Value::Number(Number::from(r.u64()? as i64)),
        FLOAT => Value::Number(Number::from(f64::from_bits(r.u64()?))),
        STRING => Value::String(r.str()?),
        SEQUENCE => {
            let n = r.count()?;
            let mut items = Vec::with_capacity(n);
            for _ in 0..n {
                items.push(decode(r, depth + 1)?);
            }
            Value::Sequence(items)
        }
        MAPPING => {
            let n = r.count()?;
            let mut map = Mapping::with_capacity(n);
            for _ in 0..n {
                let k = decode(r, depth + 1)?;
                let v = decode(r, depth + 1)?;
                map.insert(k, v);
            }
            Value::Mapping(map)
        }
        TAGGED => {
            let tag = r.str()?;
            if tag.is_empty() {
                return None;
            }
            let value = decode(r, depth + 1)?;
            Value::Tagged(Box::new(TaggedValue {
                tag: Tag::new(tag),
                value,
            }))
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TempDir;

    const TEXT: &str = r#"
- id: a
  date: 2024-02-24
  title: "Київ: ракетний удар"
  importance: 5
  lat: -33.5
  count: 18446744073709551615
  offset: -7
  nan: .nan
  inf: -.inf
  zero: -0.0
  yes: true
  none: ~
  tags: [a, "b c"]
  custom: !note tagged text
  7: a number for a key
  ? [complex, key]
  : value
- {id: b, nested: {deep: [[1, 2], {x: y}]}}
"#;

    /// Every folder and file at and under `folder`, in walking order.
    fn under(folder: &Path) -> Vec<PathBuf> {
        walkdir::WalkDir::new(folder)
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .collect()
    }

    fn parsed() -> Value {
        serde_yaml::from_str(TEXT).expect("valid YAML")
    }

    #[test]
    fn a_value_reads_back_as_parsed() {
        let value = parsed();
        let bytes = encode_file(Path::new("content/events/a.yaml"), 42, &value);
        let back = decode_file(&bytes, Path::new("content/events/a.yaml"), 42).expect("read back");
        // Equal as values, and alike in what `Value`'s equality glosses
        // over: each float's bits (NaN, -0.0) and each number's kind.
        assert_eq!(
            crate::digest::yaml_hash(&back),
            crate::digest::yaml_hash(&value)
        );
        assert_eq!(format!("{back:?}"), format!("{value:?}"));
        assert_eq!(
            serde_yaml::to_string(&back).unwrap(),
            serde_yaml::to_string(&value).unwrap()
        );
        let zero = &back[0]["zero"];
        assert!(zero.as_f64().unwrap().is_sign_negative());
        assert_eq!(back[0]["count"].as_u64(), Some(u64::MAX));
        assert_eq!(back[0]["offset"].as_i64(), Some(-7));
        assert_eq!(back[0]["title"].as_str(), Some("Київ: ракетний удар"));
    }

    #[test]
    fn a_file_of_another_document_or_damaged_reads_as_nothing() {
        let value = parsed();
        let rel = Path::new("content/events/a.yaml");
        let bytes = encode_file(rel, 42, &value);
        assert!(decode_file(&bytes, Path::new("content/events/b.yaml"), 42).is_none());
        assert!(decode_file(&bytes, rel, 43).is_none());
        for cut in [0, 5, MAGIC.len() + 3, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                decode_file(&bytes[..cut], rel, 42).is_none(),
                "cut at {cut}"
            );
        }
        // Every byte of the body is covered by its digest.
        for at in (bytes.len() - 40..bytes.len()).step_by(7) {
            let mut changed = bytes.clone();
            changed[at] ^= 0x20;
            assert!(
                decode_file(&changed, rel, 42).is_none(),
                "byte {at} changed"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode_file(&longer, rel, 42).is_none());
    }

    #[test]
    fn a_build_that_does_not_succeed_leaves_nothing() {
        let root = TempDir::new("parsed", "failed");
        let rel = Path::new("content/events/a.yaml");
        let failed = ParsedDisk::open(&root);
        failed.keep(rel, 1, &parsed());
        assert!(failed.staging.is_dir());
        drop(failed);
        assert!(!root.join(".annals").exists(), "a folder was left");

        let done = ParsedDisk::open(&root);
        done.keep(rel, 1, &parsed());
        done.commit();
        let failed = ParsedDisk::open(&root);
        assert_eq!(failed.value(rel, 1), Some(parsed()));
        failed.keep(rel, 2, &Value::Null);
        drop(failed);
        let left: Vec<PathBuf> = under(&root.join(".annals"))
            .into_iter()
            .map(|p| p.strip_prefix(&*root).unwrap().to_path_buf())
            .collect();
        let kept = Path::new(DIR).join(file_name(1));
        assert_eq!(
            left,
            [
                Path::new(".annals"),
                Path::new(".annals/build"),
                Path::new(DIR),
                kept.parent().unwrap(),
                &kept,
            ]
        );
    }

    #[test]
    fn staging_left_by_a_stopped_build_goes_once_stale() {
        let root = TempDir::new("parsed", "stale");
        let build = root.join(".annals/build");
        let (stale, fresh) = (build.join("parsed-new-1"), build.join("parsed-new-2"));
        for folder in [&stale, &fresh] {
            std::fs::create_dir_all(folder.join("ab")).unwrap();
            std::fs::write(folder.join("ab/cd.bin"), b"x").unwrap();
        }
        let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        std::fs::File::open(&stale)
            .and_then(|f| f.set_modified(two_hours_ago))
            .unwrap();
        ParsedDisk::open(&root).commit();
        assert!(!stale.exists(), "a stale staging folder was left");
        assert!(
            fresh.join("ab/cd.bin").is_file(),
            "a running build's folder went"
        );
    }

    #[test]
    fn read_only_it_reads_and_writes_nothing() {
        let root = TempDir::new("parsed", "read-only");
        let rel = Path::new("content/events/a.yaml");
        let done = ParsedDisk::open(&root);
        done.keep(rel, 1, &parsed());
        done.commit();
        let before = under(&root);
        let check = ParsedDisk::read_only(&root);
        assert_eq!(check.value(rel, 1), Some(parsed()));
        check.keep(rel, 2, &Value::Null);
        assert_eq!(check.counts(), (1, 1));
        check.commit();
        let after = under(&root);
        assert_eq!(before, after);
    }

    #[test]
    fn values_nested_deeper_than_any_document_are_refused() {
        let mut w = Writer::default();
        for _ in 0..=MAX_DEPTH + 1 {
            w.u8(SEQUENCE);
            w.u64(1);
        }
        w.u8(NULL);
        assert!(decode(&mut Reader(&w.0), 0).is_none());
    }

    #[test]
    fn the_disk_gives_back_what_it_kept_and_prunes_what_was_not_used() {
        let root = TempDir::new("parsed", "disk");
        let rel = Path::new("content/events/a.yaml");
        let first = ParsedDisk::open(&root);
        assert!(first.value(rel, 1).is_none());
        first.keep(rel, 1, &parsed());
        first.keep(rel, 2, &Value::Null);
        assert_eq!(first.counts(), (0, 2));

        first.commit();

        let second = ParsedDisk::open(&root);
        assert_eq!(second.value(rel, 1), Some(parsed()));
        assert_eq!(second.counts(), (1, 0));
        second.commit();
        let folders: Vec<String> = std::fs::read_dir(root.join(DIR))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(folders, ["00"]);
        let files: Vec<String> = std::fs::read_dir(root.join(DIR).join("00"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(files, ["00000000000001.bin"]);
        assert!(root.join(DIR).join(file_name(1)).is_file());
    }
}
