//! Helpers shared by the command-line tests: scratch folders and the
//! pseudo-random articles they index. Not every test file uses all of them.
#![allow(dead_code)]

use std::path::PathBuf;

/// An empty folder `stemma-<prefix>-<pid>-<name>` under the system's
/// temporary folder (whatever a previous run left there removed).
pub fn fresh_dir(prefix: &str, name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("stemma-{prefix}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
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
