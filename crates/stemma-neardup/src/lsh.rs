//! LSH banding, candidate verification, clusters and the keep/drop list.

use rayon::prelude::*;
use serde::Serialize;
use stemma_fingerprint::mix64;

use crate::sketch::{is_empty_signature, Signatures};
use crate::NearDupOptions;

const BAND_DOMAIN: u64 = 0x6261_6e64_7321_2121;

/// In a bucket larger than this, each member is paired with the next
/// `BUCKET_WINDOW` members only (in input order) instead of all of them, so
/// that a degenerate bucket (thousands of copies of one boilerplate page)
/// costs `m × BUCKET_WINDOW` comparisons, not `m² / 2`. Members of such a
/// bucket still end up in one cluster through the chain of neighbours as
/// long as neighbours verify, which identical copies always do.
pub const BUCKET_WINDOW: usize = 64;

/// Probability that two sets of Jaccard similarity `s` share at least one of
/// `b` bands of `r` rows.
fn candidate_probability(s: f64, b: usize, r: usize) -> f64 {
    1.0 - (1.0 - s.powi(r as i32)).powi(b as i32)
}

/// Composite Simpson integration of `f` over `[lo, hi]`: the integrands are
/// smooth polynomials of degree at most `num_perm`, for which 2,000
/// intervals agree with scipy's adaptive quadrature (which datasketch uses)
/// far below the gaps between competing `(b, r)`.
fn integrate(f: impl Fn(f64) -> f64, lo: f64, hi: f64) -> f64 {
    const N: usize = 2000;
    if hi <= lo {
        return 0.0;
    }
    let h = (hi - lo) / N as f64;
    let mut acc = f(lo) + f(hi);
    for i in 1..N {
        acc += f(lo + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
    }
    acc * h / 3.0
}

/// The LSH banding `(bands, rows)` for a Jaccard `threshold` and `num_perm`
/// values, chosen as datasketch's `MinHashLSH` chooses it: among all
/// `bands × rows ≤ num_perm`, the one minimising the false-positive area
/// (candidate probability integrated below the threshold) plus the
/// false-negative area (miss probability integrated above it), weighted
/// equally. E.g. 0.8 and 128 give 9 bands of 13 rows.
pub fn optimal_bands(threshold: f64, num_perm: usize) -> (usize, usize) {
    let t = threshold.clamp(0.0, 1.0);
    let num_perm = num_perm.max(1);
    let mut best = (1, num_perm);
    let mut best_err = f64::INFINITY;
    for b in 1..=num_perm {
        for r in 1..=num_perm / b {
            let fp = integrate(|s| candidate_probability(s, b, r), 0.0, t);
            let fneg = integrate(|s| 1.0 - candidate_probability(s, b, r), t, 1.0);
            let err = 0.5 * fp + 0.5 * fneg;
            if err < best_err {
                best_err = err;
                best = (b, r);
            }
        }
    }
    best
}

/// What happens to one document of a near-duplicate cluster.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Decision {
    /// The document (its index in input order).
    pub doc: usize,
    /// Whether it is the one kept in its cluster.
    pub keep: bool,
    /// Its cluster (an index into [`NearDupResult::clusters`]).
    pub cluster: usize,
    /// The document kept in its cluster (itself when `keep`).
    pub kept: usize,
    /// Estimated Jaccard similarity to the kept document (1 for the kept
    /// one). It can be below the threshold: a cluster is a connected set of
    /// verified pairs, and the kept document need not be verified against
    /// every member directly.
    pub similarity: f64,
}

/// Near-duplicate clusters and the keep/drop list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NearDupResult {
    /// Clusters of at least two documents, members in input order, clusters
    /// ordered by their first member. Documents in no cluster are unique.
    pub clusters: Vec<Vec<usize>>,
    /// One decision per document in a cluster, in input order. Documents
    /// without a decision are unique and kept.
    pub decisions: Vec<Decision>,
    /// LSH bands used.
    pub bands: usize,
    /// Rows (signature values) per band.
    pub rows: usize,
    /// Distinct candidate pairs from the band buckets.
    pub candidate_pairs: usize,
    /// Candidate pairs whose estimated similarity reached the threshold.
    pub verified_pairs: usize,
}

impl NearDupResult {
    /// The decision about `doc`, or `None` when it is unique (kept).
    pub fn decision(&self, doc: usize) -> Option<&Decision> {
        self.decisions.binary_search_by_key(&doc, |d| d.doc).ok().map(|i| &self.decisions[i])
    }

    /// Whether `doc` is dropped (a near-duplicate of a kept document).
    pub fn is_dropped(&self, doc: usize) -> bool {
        self.decision(doc).is_some_and(|d| !d.keep)
    }

    /// Number of documents dropped.
    pub fn dropped(&self) -> usize {
        self.decisions.iter().filter(|d| !d.keep).count()
    }
}

/// Hash of one band of a signature, with the band number mixed in so that
/// equal values in different bands never meet (each band is bucketed on its
/// own anyway; this keeps the hash meaningful if buckets are ever shared).
#[inline]
fn band_hash(values: &[u32], band: usize, seed: u64) -> u64 {
    let mut h = seed ^ BAND_DOMAIN ^ (band as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for pair in values.chunks(2) {
        let v = match pair {
            [a, b] => u64::from(*a) << 32 | u64::from(*b),
            [a] => u64::from(*a),
            _ => 0,
        };
        h = (h.rotate_left(29) ^ v).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    }
    mix64(h)
}

/// Candidate pairs `(i, j)`, `i < j`, of one band: documents whose band
/// hashes are equal.
fn band_pairs(sigs: &Signatures, live: &[usize], band: usize, rows: usize, seed: u64) -> Vec<(usize, usize)> {
    let range = band * rows..(band + 1) * rows;
    let mut keys: Vec<(u64, usize)> = live
        .iter()
        .filter_map(|&d| sigs.get(d).and_then(|s| s.get(range.clone())).map(|v| (band_hash(v, band, seed), d)))
        .collect();
    keys.sort_unstable();
    let mut pairs = Vec::new();
    let mut start = 0;
    while start < keys.len() {
        let mut end = start + 1;
        while end < keys.len() && keys[end].0 == keys[start].0 {
            end += 1;
        }
        // Members are in input order (sorted by (hash, doc)).
        let bucket = &keys[start..end];
        for (i, &(_, a)) in bucket.iter().enumerate() {
            for &(_, b) in bucket.iter().skip(i + 1).take(BUCKET_WINDOW) {
                pairs.push((a, b));
            }
        }
        start = end;
    }
    pairs
}

/// Union-find with the smaller index as root, so that a component's root is
/// its first document whatever the order of unions.
struct UnionFind(Vec<usize>);

impl UnionFind {
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.0[hi] = lo;
        }
    }
}

/// Near-duplicate clusters of the documents whose signatures are `sigs`.
///
/// Every band of every signature is bucketed (bands in parallel); documents
/// sharing a bucket are candidate pairs; each distinct candidate pair is
/// verified by its estimated Jaccard similarity (≥ `opts.threshold`);
/// verified pairs are joined by union-find into clusters. In each cluster
/// the document kept is the earliest by `dates` (ISO 8601 strings compare
/// chronologically as text; documents without a date come after dated ones),
/// ties and undated clusters going to the first in input order; the others
/// are dropped. `dates` is either empty or has one entry per document.
///
/// Deterministic: candidate pairs are sorted before verification and union,
/// so the output is the same for any number of threads and across runs.
/// Documents with no shingle (empty or punctuation-only texts) are never
/// clustered.
pub fn near_duplicates(sigs: &Signatures, dates: &[Option<&str>], opts: &NearDupOptions) -> NearDupResult {
    let k = sigs.num_perm();
    let (bands, rows) = match opts.bands {
        Some((b, r)) => {
            let b = b.clamp(1, k);
            (b, r.clamp(1, k / b))
        }
        None => optimal_bands(opts.threshold, k),
    };
    let n = sigs.len();
    let live: Vec<usize> = (0..n).filter(|&d| sigs.get(d).is_some_and(|s| !is_empty_signature(s))).collect();
    let mut pairs: Vec<(usize, usize)> =
        (0..bands).into_par_iter().flat_map_iter(|band| band_pairs(sigs, &live, band, rows, opts.seed)).collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    let candidate_pairs = pairs.len();
    let threshold = opts.threshold;
    let verified: Vec<(usize, usize)> =
        pairs.into_par_iter().filter(|&(a, b)| sigs.similarity(a, b) >= threshold).collect();
    let verified_pairs = verified.len();

    let mut uf = UnionFind((0..n).collect());
    for &(a, b) in &verified {
        uf.union(a, b);
    }
    let mut size = vec![0u32; n];
    for d in 0..n {
        let r = uf.find(d);
        size[r] += 1;
    }
    // Roots are first members, so iterating documents in order numbers the
    // clusters by their first member.
    let mut cluster_of_root = vec![usize::MAX; n];
    let mut clusters: Vec<Vec<usize>> = Vec::new();
    for d in 0..n {
        let r = uf.find(d);
        if size[r] < 2 {
            continue;
        }
        if cluster_of_root[r] == usize::MAX {
            cluster_of_root[r] = clusters.len();
            clusters.push(Vec::new());
        }
        clusters[cluster_of_root[r]].push(d);
    }

    let date = |d: usize| dates.get(d).copied().flatten();
    let mut decisions: Vec<Decision> = clusters
        .par_iter()
        .enumerate()
        .flat_map_iter(|(c, members)| {
            // Earliest date first, undated last, then input order.
            let kept = members.iter().copied().min_by(|&a, &b| match (date(a), date(b)) {
                (Some(x), Some(y)) => x.cmp(y).then(a.cmp(&b)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => a.cmp(&b),
            });
            let kept = kept.unwrap_or(members[0]);
            members.iter().map(move |&d| Decision {
                doc: d,
                keep: d == kept,
                cluster: c,
                kept,
                similarity: if d == kept { 1.0 } else { sigs.similarity(d, kept) },
            })
        })
        .collect();
    decisions.sort_unstable_by_key(|d| d.doc);
    NearDupResult { clusters, decisions, bands, rows, candidate_pairs, verified_pairs }
}
