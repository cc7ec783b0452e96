//! Helpers shared by the command-line tests: scratch folders and the
//! pseudo-random articles they index. Not every test file uses all of them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// A scratch folder, removed with everything in it when dropped (at the
/// end of the test that made it, passed or failed): test runs must not
/// fill the temporary folder with indexes.
pub struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An empty folder `stemma-<prefix>-<pid>-<name>` under the system's
/// temporary folder (whatever a previous run left there removed), removed
/// again when the returned guard is dropped.
pub fn fresh_dir(prefix: &str, name: &str) -> Scratch {
    let d = std::env::temp_dir().join(format!("stemma-{prefix}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    Scratch(d)
}

/// xorshift64*: the same numbers on every machine, so the articles are too.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() >> 33) as usize % n
    }
}

const SYLLABLES: &[&str] =
    &["ba", "cor", "di", "fen", "ga", "lu", "mer", "no", "pa", "ri", "sal", "té", "vo", "zan", "qui", "bré"];

/// A pseudo-word from a vocabulary of about 4,000: random articles must not
/// look alike, as real unrelated articles do not.
pub fn word(r: &mut Rng) -> String {
    (0..3).map(|_| SYLLABLES[r.below(SYLLABLES.len())]).collect()
}

/// Asserts that each of `tables`, in JSONL, CSV and Parquet, is written
/// non-empty and byte for byte the same in `one` (1 thread), `two`
/// (2 threads) and `again` (2 threads, a second run).
pub fn assert_same_tables(tables: &[&str], one: &Path, two: &Path, again: &Path) {
    for table in tables {
        for ext in ["jsonl", "csv", "parquet"] {
            let f = format!("{table}.{ext}");
            let a = std::fs::read(one.join(&f)).unwrap();
            assert!(!a.is_empty(), "{f} is empty");
            assert_eq!(a, std::fs::read(two.join(&f)).unwrap(), "{f} differs between 1 and 2 threads");
            assert_eq!(a, std::fs::read(again.join(&f)).unwrap(), "{f} differs between two runs");
        }
    }
}
