//! Shingles and MinHash signatures by one-permutation hashing with optimal
//! densification.

use rayon::prelude::*;
use stemma_fingerprint::mix64;
use stemma_text::token::{tokenize_into, Token};

use crate::NearDupOptions;

/// Signature value of a bin that no shingle reached. Real values are capped
/// one below it, so a signature made only of `EMPTY` means "no shingle at
/// all" without storing anything else per document.
pub const EMPTY: u32 = u32::MAX;

/// Domain separators, so that shingle hashes, densification probes and band
/// hashes never reuse each other's random streams.
const SHINGLE_DOMAIN: u64 = 0x7368_696e_676c_6573;
const PROBE_DOMAIN: u64 = 0x6465_6e73_6966_7921;

/// Per-thread scratch space: the token buffer and the occupancy bitmap, kept
/// between documents so that sketching a document allocates nothing.
#[derive(Default)]
pub struct Scratch {
    tokens: Vec<Token>,
    keys: Vec<u64>,
    occupied: Vec<u64>,
}

/// Maps a 64-bit hash onto `0..k` without a division (Lemire's
/// multiply-shift range reduction on the high 32 bits).
#[inline]
fn bin_of(h: u64, k: usize) -> usize {
    (((h >> 32) * k as u64) >> 32) as usize
}

/// Hash of one shingle (a window of token keys). The keys are already
/// xxh3 hashes of the folded words, so one multiply per key to make the
/// window order-sensitive and one final avalanche are enough.
#[inline]
fn shingle_hash(window: &[u64], seed: u64) -> u64 {
    let mut h = seed ^ SHINGLE_DOMAIN ^ window.len() as u64;
    for &k in window {
        h = (h.rotate_left(23) ^ k).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    mix64(h)
}

/// Calls `f` with the hash of every word `n`-gram of `keys`; a text with at
/// least one but fewer than `n` tokens gives one shingle of all its tokens,
/// so that short texts still have a signature (two identical titles match).
pub(crate) fn for_each_shingle(keys: &[u64], n: usize, seed: u64, mut f: impl FnMut(u64)) {
    let n = n.max(1);
    if keys.is_empty() {
        return;
    }
    if keys.len() < n {
        f(shingle_hash(keys, seed));
        return;
    }
    for w in keys.windows(n) {
        f(shingle_hash(w, seed));
    }
}

/// One-permutation hashing of the shingles of `keys` into `out`: each
/// shingle hash picks a bin by its high bits and competes for that bin's
/// minimum with its low 32 bits, so a document costs one hash per shingle
/// instead of one per shingle and permutation. Bins no shingle reached are
/// then filled by optimal densification.
pub(crate) fn sketch_keys(keys: &[u64], opts: &NearDupOptions, occupied: &mut Vec<u64>, out: &mut [u32]) {
    out.fill(EMPTY);
    let mut any = false;
    for_each_shingle(keys, opts.shingle, opts.seed, |h| {
        put(out, h);
        any = true;
    });
    if any {
        densify(out, opts.seed, occupied);
    }
}

/// Offers element hash `h` to its bin.
#[inline]
fn put(out: &mut [u32], h: u64) {
    if let Some(slot) = out.get_mut(bin_of(h, out.len())) {
        // Capped below EMPTY so that EMPTY always means "no shingle".
        let v = (h as u32).min(EMPTY - 1);
        if v < *slot {
            *slot = v;
        }
    }
}

/// The signature (`num_perm` values) of a set given by well-mixed 64-bit
/// element hashes, e.g. from [`shingle_hashes`] or from a caller's own
/// shingling; repeats do not matter. No element gives [`EMPTY`] values.
pub fn signature_from_hashes(hashes: &[u64], num_perm: usize, seed: u64) -> Vec<u32> {
    let mut out = vec![EMPTY; num_perm.max(1)];
    for &h in hashes {
        put(&mut out, h);
    }
    if !hashes.is_empty() {
        densify(&mut out, seed, &mut Vec::new());
    }
    out
}

/// Optimal densification (Shrivastava, ICML 2017): an empty bin `i` copies
/// the value of the first bin that was *originally* occupied along its own
/// probe sequence `p(i, 1), p(i, 2), …`. The sequence depends on the bin
/// only, so two documents fill an empty bin from the same donor whenever
/// that donor is occupied in both, which keeps the collision probability
/// equal to the Jaccard similarity with near-classic MinHash variance even
/// for short texts with many empty bins.
fn densify(sig: &mut [u32], seed: u64, occupied: &mut Vec<u64>) {
    let k = sig.len();
    occupied.clear();
    occupied.resize(k.div_ceil(64), 0);
    let mut empty = 0usize;
    for (i, &v) in sig.iter().enumerate() {
        if v == EMPTY {
            empty += 1;
        } else {
            occupied[i / 64] |= 1 << (i % 64);
        }
    }
    if empty == 0 || empty == k {
        return;
    }
    let is_occupied = |occupied: &[u64], j: usize| occupied[j / 64] >> (j % 64) & 1 == 1;
    for i in 0..k {
        if is_occupied(occupied, i) {
            continue;
        }
        let mut donor = None;
        // Expected probes: k / occupied bins. The cap only guards against
        // pathological sequences; the fallback (next occupied bin) is
        // deterministic too.
        for attempt in 1..=(64 * k as u64) {
            let j = bin_of(mix64(seed ^ PROBE_DOMAIN ^ ((i as u64) << 32 | attempt)), k);
            if is_occupied(occupied, j) {
                donor = Some(j);
                break;
            }
        }
        let j = donor.unwrap_or_else(|| (1..k).map(|d| (i + d) % k).find(|&j| is_occupied(occupied, j)).unwrap_or(i));
        sig[i] = sig[j];
    }
}

/// Sketches one text into `out` (`out.len()` bins), reusing `scratch`.
pub(crate) fn sketch_text(text: &str, opts: &NearDupOptions, scratch: &mut Scratch, out: &mut [u32]) {
    scratch.tokens.clear();
    // No language: French elision is split and either decimal convention
    // is read, which is what an unlabelled dataset needs.
    tokenize_into(text, None, &mut scratch.tokens);
    scratch.keys.clear();
    scratch.keys.extend(scratch.tokens.iter().map(|t| t.key));
    sketch_keys(&scratch.keys, opts, &mut scratch.occupied, out);
}

/// The hashes of the word `opts.shingle`-grams of `text` (as sketched by
/// [`signature`]), in text order, repeats included.
pub fn shingle_hashes(text: &str, opts: &NearDupOptions) -> Vec<u64> {
    let keys: Vec<u64> = stemma_text::tokenize(text, None).iter().map(|t| t.key).collect();
    let mut out = Vec::with_capacity(keys.len());
    for_each_shingle(&keys, opts.shingle, opts.seed, |h| out.push(h));
    out
}

/// The MinHash signature of one text: `opts.num_perm` values of 32 bits.
/// Signatures of two texts agree in each position with probability equal
/// to the Jaccard similarity of their sets of word `opts.shingle`-grams.
/// A text without any word or number gets a signature of [`EMPTY`] values,
/// which never matches anything.
pub fn signature(text: &str, opts: &NearDupOptions) -> Vec<u32> {
    let mut out = vec![EMPTY; opts.num_perm.max(1)];
    sketch_text(text, opts, &mut Scratch::default(), &mut out);
    out
}

/// Estimated Jaccard similarity of two signatures: the share of positions
/// where they agree. Empty signatures (no shingle) and signatures of
/// different lengths have similarity 0.
pub fn similarity(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || a.len() != b.len() || is_empty_signature(a) || is_empty_signature(b) {
        return 0.0;
    }
    // Written as a plain count so that it vectorizes.
    let equal: usize = a.iter().zip(b).map(|(x, y)| usize::from(x == y)).sum();
    equal as f64 / a.len() as f64
}

/// Whether a signature is that of a text without shingles.
pub fn is_empty_signature(sig: &[u32]) -> bool {
    sig.first().is_none_or(|&v| v == EMPTY) && sig.iter().all(|&v| v == EMPTY)
}

/// Documents per storage block of [`Signatures`].
const BLOCK: usize = 4096;

/// The signatures of a collection: memory per document is `num_perm × 4`
/// bytes and nothing else — texts are not kept. They are stored in blocks
/// of 4,096 documents allocated at their final size, so that a growing
/// collection never holds a doubled buffer or copies itself (a single
/// growing vector would peak at 1.5–2 × the signatures' size).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signatures {
    num_perm: usize,
    len: usize,
    blocks: Vec<Vec<u32>>,
}

impl Signatures {
    /// An empty collection of signatures of `num_perm` values (at least 1).
    pub fn new(num_perm: usize) -> Self {
        Signatures { num_perm: num_perm.max(1), len: 0, blocks: Vec::new() }
    }

    /// The signatures of `texts`, computed in parallel (see
    /// [`Signatures::extend_from_texts`]).
    pub fn from_texts<T: AsRef<str> + Sync>(texts: &[T], opts: &NearDupOptions) -> Self {
        let mut s = Signatures::new(opts.num_perm);
        s.extend_from_texts(texts, opts);
        s
    }

    /// Room for `docs` more signatures in the last block, opening a new
    /// block when it is full; returns the block and how many fit.
    fn room(&mut self, docs: usize) -> (&mut Vec<u32>, usize) {
        let k = self.num_perm;
        if self.blocks.last().is_none_or(|b| b.len() >= BLOCK * k) {
            self.blocks.push(Vec::with_capacity(BLOCK * k));
        }
        let n = self.blocks.len();
        let block = &mut self.blocks[n - 1];
        let fit = (BLOCK - block.len() / k).min(docs);
        (block, fit)
    }

    /// Appends the signatures of `texts`, computed in parallel on rayon's
    /// pool; each document's signature depends on its text only, so the
    /// result is the same for any number of threads. Call it batch by batch
    /// to stream a corpus larger than memory: only signatures are kept.
    /// The signature length is this collection's, whatever `opts.num_perm`.
    pub fn extend_from_texts<T: AsRef<str> + Sync>(&mut self, texts: &[T], opts: &NearDupOptions) {
        let k = self.num_perm;
        let mut done = 0;
        while done < texts.len() {
            let (block, fit) = self.room(texts.len() - done);
            let start = block.len();
            block.resize(start + fit * k, EMPTY);
            block[start..]
                .par_chunks_mut(k)
                .zip(texts[done..done + fit].par_iter())
                .for_each_init(Scratch::default, |s, (out, t)| sketch_text(t.as_ref(), opts, s, out));
            done += fit;
            self.len += fit;
        }
    }

    /// Appends a signature computed elsewhere (e.g. by [`signature`]); it is
    /// cut or padded with [`EMPTY`] to this collection's length.
    pub fn push(&mut self, sig: &[u32]) {
        let k = self.num_perm;
        let (block, _) = self.room(1);
        block.extend(sig.iter().copied().chain(std::iter::repeat(EMPTY)).take(k));
        self.len += 1;
    }

    /// Number of values per signature.
    pub fn num_perm(&self) -> usize {
        self.num_perm
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there is no document.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The signature of document `doc`, if there is one.
    pub fn get(&self, doc: usize) -> Option<&[u32]> {
        let k = self.num_perm;
        let at = (doc % BLOCK) * k;
        self.blocks.get(doc / BLOCK)?.get(at..at + k)
    }

    /// Estimated Jaccard similarity of documents `a` and `b` (0 when either
    /// is missing or has no shingle).
    pub fn similarity(&self, a: usize, b: usize) -> f64 {
        match (self.get(a), self.get(b)) {
            (Some(x), Some(y)) => similarity(x, y),
            _ => 0.0,
        }
    }

    /// Bytes held by the signatures.
    pub fn heap_bytes(&self) -> usize {
        self.blocks.iter().map(|b| b.capacity() * std::mem::size_of::<u32>()).sum()
    }
}
