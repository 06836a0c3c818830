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

#[cfg(test)]
mod tests {
    use super::*;

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
