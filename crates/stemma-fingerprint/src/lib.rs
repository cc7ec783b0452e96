//! Fingerprints of token sequences.
//!
//! - [`kgram_hashes`]: one 64-bit hash per run of `k` consecutive token keys;
//! - [`winnow`]: the winnowing selection of Schleimer, Wilkerson and Aiken
//!   (SIGMOD 2003), which keeps about `2/(w+1)` of the k-gram hashes and
//!   **guarantees that any run of at least `w + k - 1` tokens shared by two
//!   texts yields at least one fingerprint common to both**: such a run holds
//!   a whole window of `w` k-grams, and both texts select that window's
//!   minimum (ties go to the rightmost position, which is the same k-gram in
//!   both since the window's content is identical);
//! - [`minhash`]: MinHash signatures for whole-document near-duplicate
//!   detection.
//!
//! All hashes are stable (defined here, not by a library's unspecified
//! hasher), so fingerprints can be stored in an index and compared across
//! runs, versions and machines. This crate does no I/O.

#![warn(missing_docs)]

/// Finalizer of SplitMix64: a bijective, well-avalanched 64-bit mix.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Hash of the k-gram `keys` (order-sensitive).
#[inline]
pub fn kgram_hash(keys: &[u64]) -> u64 {
    let mut h = 0x9e37_79b9_7f4a_7c15u64 ^ keys.len() as u64;
    for &k in keys {
        h = mix64(h.rotate_left(23) ^ k);
    }
    h
}

/// One hash per window of `k` consecutive keys: `out[i]` covers
/// `keys[i..i + k]`. Empty when there are fewer than `k` keys.
pub fn kgram_hashes(keys: &[u64], k: usize) -> Vec<u64> {
    assert!(k >= 1, "k-grams need k >= 1");
    if keys.len() < k {
        return Vec::new();
    }
    keys.windows(k).map(kgram_hash).collect()
}

/// A selected fingerprint: a k-gram hash and the index of its first token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint {
    /// The k-gram hash.
    pub hash: u64,
    /// Index of the k-gram (= of its first token) in the token sequence.
    pub pos: u32,
}

/// Robust winnowing: in every window of `w` consecutive k-gram hashes, the
/// minimum is selected (the rightmost one on ties); each selected position
/// is reported once, in increasing order. With `w = 1` every k-gram is kept.
///
/// Guarantee: two sequences sharing a run of at least `w + k - 1` tokens
/// share at least one selected fingerprint inside that run.
pub fn winnow(hashes: &[u64], w: usize) -> Vec<Fingerprint> {
    assert!(w >= 1, "winnowing needs a window of at least 1");
    let n = hashes.len();
    let mut out = Vec::with_capacity(if w == 1 { n } else { 2 * n / (w + 1) + 1 });
    if n == 0 {
        return out;
    }
    if n <= w {
        let (pos, hash) = rightmost_min(hashes, 0);
        out.push(Fingerprint { hash, pos: pos as u32 });
        return out;
    }
    // Monotone deque of candidate positions: hashes strictly increasing from
    // front to back, so the front is the window's (rightmost) minimum.
    let mut deque = std::collections::VecDeque::with_capacity(w);
    let mut last_selected = usize::MAX;
    for (i, &h) in hashes.iter().enumerate() {
        while let Some(&back) = deque.back() {
            if hashes[back] >= h {
                deque.pop_back();
            } else {
                break;
            }
        }
        deque.push_back(i);
        if i + 1 >= w {
            let window_start = i + 1 - w;
            while let Some(&front) = deque.front() {
                if front < window_start {
                    deque.pop_front();
                } else {
                    break;
                }
            }
            if let Some(&min_pos) = deque.front() {
                if min_pos != last_selected {
                    out.push(Fingerprint { hash: hashes[min_pos], pos: min_pos as u32 });
                    last_selected = min_pos;
                }
            }
        }
    }
    out
}

fn rightmost_min(hashes: &[u64], offset: usize) -> (usize, u64) {
    let mut best = (offset, hashes[0]);
    for (i, &h) in hashes.iter().enumerate() {
        if h <= best.1 {
            best = (offset + i, h);
        }
    }
    best
}

/// MinHash signature of a set given by its element hashes: for each of
/// `num_perm` stable hash functions, the minimum over the set. Two sets'
/// signatures agree in each position with probability equal to their
/// Jaccard similarity. An empty set gives all `u64::MAX`.
pub fn minhash(element_hashes: impl IntoIterator<Item = u64>, num_perm: usize, seed: u64) -> Vec<u64> {
    let mut sig = vec![u64::MAX; num_perm];
    let salts: Vec<u64> = (0..num_perm as u64).map(|i| mix64(seed ^ mix64(i + 1))).collect();
    for h in element_hashes {
        for (slot, salt) in sig.iter_mut().zip(&salts) {
            let v = mix64(h ^ salt);
            if v < *slot {
                *slot = v;
            }
        }
    }
    sig
}

/// Estimated Jaccard similarity of two MinHash signatures of equal length.
pub fn minhash_similarity(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn window_of_one_keeps_everything() {
        let h = kgram_hashes(&[1, 2, 3, 4, 5], 2);
        assert_eq!(h.len(), 4);
        assert_eq!(winnow(&h, 1).len(), 4);
    }

    #[test]
    fn kgram_hash_is_order_sensitive_and_stable() {
        assert_ne!(kgram_hash(&[1, 2]), kgram_hash(&[2, 1]));
        // Persisted in indexes: must never change.
        assert_eq!(kgram_hash(&[1, 2, 3]), 0x753b_a3de_de59_5c21);
    }

    #[test]
    fn minhash_estimates_jaccard() {
        let a: Vec<u64> = (0..1000).collect();
        let b: Vec<u64> = (500..1500).collect();
        let s = minhash_similarity(&minhash(a, 256, 7), &minhash(b, 256, 7));
        assert!((s - 1.0 / 3.0).abs() < 0.08, "{s}");
    }

    proptest! {
        /// The winnowing guarantee: a shared run of w + k - 1 tokens always
        /// yields a shared fingerprint.
        #[test]
        fn shared_runs_are_always_caught(
            prefix_a in proptest::collection::vec(0u64..50, 0..40),
            prefix_b in proptest::collection::vec(0u64..50, 0..40),
            suffix_a in proptest::collection::vec(0u64..50, 0..40),
            suffix_b in proptest::collection::vec(0u64..50, 0..40),
            shared in proptest::collection::vec(0u64..50, 12..30),
            k in 1usize..5,
            w in 1usize..8,
        ) {
            let run = &shared[..(w + k - 1).max(1).min(shared.len())];
            prop_assume!(run.len() >= w + k - 1);
            let a: Vec<u64> = prefix_a.iter().chain(run).chain(&suffix_a).copied().collect();
            let b: Vec<u64> = prefix_b.iter().chain(run).chain(&suffix_b).copied().collect();
            let fa = winnow(&kgram_hashes(&a, k), w);
            let fb = winnow(&kgram_hashes(&b, k), w);
            let run_a = prefix_a.len()..prefix_a.len() + run.len() + 1 - k;
            let run_b = prefix_b.len()..prefix_b.len() + run.len() + 1 - k;
            let in_a: std::collections::HashSet<u64> =
                fa.iter().filter(|f| run_a.contains(&(f.pos as usize))).map(|f| f.hash).collect();
            let found = fb.iter().any(|f| run_b.contains(&(f.pos as usize)) && in_a.contains(&f.hash));
            prop_assert!(found);
        }
    }
}
