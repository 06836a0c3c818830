//! Digests shared by every layer: SHA-256 in hex (asset names that change
//! with their content, the publish manifest) and a fast 64-bit hash with
//! fixed seeds (the keys incremental rebuilds compare).

use std::hash::{BuildHasher, Hash, Hasher as _};

use foldhash::quality::{FixedState, FoldHasher};
use sha2::{Digest as _, Sha256};

/// The SHA-256 of `bytes`, as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A fast hasher of good statistical quality with fixed seeds: equal
/// inputs hash alike in every run of one version of annals (a cache kept on
/// disk must store that version beside its keys).
pub fn hasher() -> FoldHasher<'static> {
    FixedState::default().build_hasher()
}

/// The 64-bit hash of one value.
pub fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = hasher();
    value.hash(&mut h);
    h.finish()
}

/// The 64-bit hash of a YAML value as written. Unlike the value's own
/// `Hash` (which hashes every float alike), a float counts by its value:
/// two readings of an event whose latitude moved must differ.
pub fn yaml_hash(value: &serde_yaml::Value) -> u64 {
    let mut h = hasher();
    hash_yaml(value, &mut h);
    h.finish()
}

fn hash_yaml(value: &serde_yaml::Value, h: &mut FoldHasher<'static>) {
    use serde_yaml::Value;
    match value {
        Value::Null => 0u8.hash(h),
        Value::Bool(b) => (1u8, b).hash(h),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => (2u8, u).hash(h),
            (None, Some(i)) => (3u8, i).hash(h),
            _ => (4u8, n.as_f64().unwrap_or(f64::NAN).to_bits()).hash(h),
        },
        Value::String(s) => (5u8, s).hash(h),
        Value::Sequence(items) => {
            (6u8, items.len()).hash(h);
            for item in items {
                hash_yaml(item, h);
            }
        }
        Value::Mapping(map) => {
            (7u8, map.len()).hash(h);
            for (k, v) in map {
                hash_yaml(k, h);
                hash_yaml(v, h);
            }
        }
        Value::Tagged(tagged) => {
            (8u8, tagged.tag.to_string()).hash(h);
            hash_yaml(&tagged.value, h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_yaml_float_counts_by_its_value() {
        let read = |text: &str| yaml_hash(&serde_yaml::from_str(text).unwrap());
        assert_ne!(read("{lat: 49.84}"), read("{lat: 49.9}"));
        assert_ne!(read("[1.5, 2]"), read("[2.5, 2]"));
        assert_ne!(read("{a: 1}"), read("{a: 1.0}"));
        assert_eq!(read("{lat: 49.84, b: [x]}"), read("{lat: 49.84, b: [x]}"));
        assert_ne!(read("{a: [b, c]}"), read("{a: [b], c: null}"));
    }

    #[test]
    fn sha256_of_abc() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn equal_values_hash_alike() {
        assert_eq!(hash_of(&("a", 1)), hash_of(&("a", 1)));
        assert_ne!(hash_of(&("a", 1)), hash_of(&("a", 2)));
    }
}
