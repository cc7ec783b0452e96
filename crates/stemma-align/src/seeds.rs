//! Seeds: pairs of units (one of each text) that share enough to start a
//! passage from.
//!
//! Two kinds of evidence make a seed:
//! - exact runs: fingerprints (hashed k-grams of content words, selected by
//!   winnowing) shared by both texts, chained along diagonals into runs of
//!   consecutive matches; a run of enough words seeds every unit pair it
//!   crosses. This catches verbatim copying even inside sentences that
//!   otherwise differ (a quotation lifted into a new sentence);
//! - sentence similarity: the cosine of tf-isf weighted stem vectors and the
//!   Dice coefficient of the stem sets both above a threshold. This catches
//!   re-worded, translated and re-ordered sentences, where exact runs are
//!   short or absent.

use crate::features::{Prepared, Vectors};
use crate::AlignOptions;
use rustc_hash::FxHashMap as HashMap;
use stemma_fingerprint::{kgram_hashes, winnow};

/// A run of consecutive shared content words, in token indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Run {
    /// Content-word index in A where the run starts.
    pub a: u32,
    /// Content-word index in B where the run starts.
    pub b: u32,
    /// Number of content words in the run.
    pub len: u32,
}

/// Content-word positions (token indices) and their keys.
pub(crate) fn content_keys(side: &Prepared) -> (Vec<u32>, Vec<u64>) {
    let mut pos = Vec::new();
    let mut keys = Vec::new();
    for (i, t) in side.an.tokens.iter().enumerate() {
        if side.content[i] {
            pos.push(i as u32);
            keys.push(t.key);
        }
    }
    (pos, keys)
}

/// Exact runs of shared content words: fingerprints matched across the two
/// texts, chained along diagonals. Fingerprints that occur more than
/// `max_occurrences` times in either text (repeated boilerplate) are not
/// used as seeds.
pub(crate) fn exact_runs(keys_a: &[u64], keys_b: &[u64], opts: &AlignOptions) -> Vec<Run> {
    let k = opts.k.max(1);
    let fa = winnow(&kgram_hashes(keys_a, k), opts.window.max(1));
    let fb = winnow(&kgram_hashes(keys_b, k), opts.window.max(1));
    let mut in_b: HashMap<u64, Vec<u32>> = HashMap::with_capacity_and_hasher(fb.len(), Default::default());
    for f in &fb {
        in_b.entry(f.hash).or_default().push(f.pos);
    }
    let mut count_a: HashMap<u64, u32> = HashMap::with_capacity_and_hasher(fa.len(), Default::default());
    for f in &fa {
        *count_a.entry(f.hash).or_default() += 1;
    }
    let max_occ = opts.max_occurrences;
    // (diagonal, a) pairs of matching k-grams.
    let mut hits: Vec<(i64, u32)> = Vec::new();
    for f in &fa {
        if let Some(bs) = in_b.get(&f.hash) {
            if bs.len() > max_occ || count_a[&f.hash] as usize > max_occ {
                continue;
            }
            for &pb in bs {
                hits.push((f.pos as i64 - pb as i64, f.pos));
            }
        }
    }
    hits.sort_unstable();
    // Chain along diagonals: consecutive hits on one diagonal no more than a
    // window apart belong to one run (winnowing keeps one k-gram in w).
    let mut runs: Vec<Run> = Vec::new();
    let step = opts.window.max(1) as u32;
    let mut i = 0;
    while i < hits.len() {
        let (d, start) = hits[i];
        let mut end = start;
        let mut j = i + 1;
        while j < hits.len() && hits[j].0 == d && hits[j].1 <= end + step {
            end = hits[j].1;
            j += 1;
        }
        let len = end - start + k as u32;
        runs.push(Run { a: start, b: (start as i64 - d) as u32, len });
        i = j;
    }
    runs.sort_unstable_by_key(|r| (r.a, r.b));
    runs
}

/// A seed: a pair of units, and how it was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Seed {
    pub ua: u32,
    pub ub: u32,
}

/// Unit pairs whose similarity passes both thresholds.
pub(crate) fn similarity_seeds(vectors: &Vectors, opts: &AlignOptions) -> Vec<Seed> {
    let n_terms = vectors.isf.len();
    let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); n_terms];
    for (ub, v) in vectors.b.iter().enumerate() {
        for &(id, w) in v {
            postings[id as usize].push((ub as u32, w));
        }
    }
    let mut dot = vec![0f32; vectors.b.len()];
    let mut shared = vec![0u32; vectors.b.len()];
    let mut touched: Vec<u32> = Vec::new();
    let mut seeds = Vec::new();
    for (ua, v) in vectors.a.iter().enumerate() {
        if vectors.norm_a[ua] == 0.0 {
            continue;
        }
        for &(id, w) in v {
            for &(ub, wb) in &postings[id as usize] {
                let u = ub as usize;
                if shared[u] == 0 {
                    touched.push(ub);
                }
                dot[u] += w * wb;
                shared[u] += 1;
            }
        }
        touched.sort_unstable();
        for &ub in &touched {
            let u = ub as usize;
            let cos = dot[u] / (vectors.norm_a[ua] * vectors.norm_b[u]);
            let dice = 2.0 * shared[u] as f32 / (v.len() + vectors.b[u].len()) as f32;
            if cos > opts.seed_cosine && dice > opts.seed_dice {
                seeds.push(Seed { ua: ua as u32, ub });
            }
            dot[u] = 0.0;
            shared[u] = 0;
        }
        touched.clear();
    }
    seeds
}

/// Unit pairs crossed by exact runs of at least `min_run_words` content words.
pub(crate) fn run_seeds(
    runs: &[Run],
    pos_a: &[u32],
    pos_b: &[u32],
    a: &Prepared,
    b: &Prepared,
    min_words: u32,
) -> Vec<Seed> {
    let mut seeds = Vec::new();
    for r in runs.iter().filter(|r| r.len >= min_words) {
        for off in 0..r.len {
            let ta = pos_a[(r.a + off) as usize] as usize;
            let tb = pos_b[(r.b + off) as usize] as usize;
            seeds.push(Seed { ua: a.unit_of[ta], ub: b.unit_of[tb] });
        }
    }
    seeds.sort_unstable();
    seeds.dedup();
    seeds
}
