//! Shared code of stemma's benchmarks: corpora, measures and the floor.

pub mod corpus;
pub mod pan;
pub mod synth;
pub mod trace_gen;
pub mod trace_score;

use std::time::Instant;

/// The floor every stemma stage is compared with: fold (normalize) the
/// text, split it into words and hash each word — the least any tool must do
/// to compare texts word by word. Returns a checksum so that the work cannot
/// be optimized away.
pub fn floor(text: &str) -> u64 {
    let n = stemma_text::Normalized::new(text);
    let mut acc = 0u64;
    for w in n.text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        acc = acc.wrapping_add(xxhash_rust::xxh3::xxh3_64(w.as_bytes()));
    }
    acc
}

/// Seconds elapsed since `t`.
pub fn secs(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

/// Peak resident set size of this process in MB (Linux; 0 elsewhere).
pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse::<f64>().ok()))
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// A small deterministic generator (xorshift64*), so that benchmark inputs
/// are the same on every run and machine.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}
