//! Extension: seeds that lie close together in both texts are clustered
//! into fragments (pairs of unit ranges), each fragment is validated by the
//! similarity of its whole text, and overlapping or too-short fragments are
//! dropped.
//!
//! Clustering alternates between the two texts: seeds sorted by their unit
//! in A are cut wherever two consecutive seeds are more than `gap` units
//! apart, then each group is cut the same way along B, and so on until no
//! group splits. A fragment whose combined vectors are not similar enough is
//! re-clustered with a smaller gap (it probably joined two passages through
//! an unrelated stretch). This is the extension of Sanchez-Perez, Sidorov
//! and Gelbukh (PAN 2014), applied to seeds from both exact runs and
//! sentence similarity.

use crate::features::{cosine, sum_vectors, Vectors};
use crate::seeds::Seed;
use std::ops::Range;

/// A pair of unit ranges believed to be one passage in both texts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fragment {
    pub ua: Range<u32>,
    pub ub: Range<u32>,
    /// Cosine similarity of the fragment's combined vectors.
    pub sim: f32,
    /// The seeds the fragment was built from.
    pub seeds: Vec<Seed>,
    /// Found in summary mode: one side condenses the other.
    pub summary: bool,
}

fn split(mut seeds: Vec<Seed>, gap: u32, along_a: bool) -> Vec<Vec<Seed>> {
    let key = |s: &Seed| if along_a { (s.ua, s.ub) } else { (s.ub, s.ua) };
    seeds.sort_unstable_by_key(key);
    let mut out: Vec<Vec<Seed>> = Vec::new();
    let mut current: Vec<Seed> = Vec::new();
    let mut last: Option<u32> = None;
    for s in seeds {
        let at = key(&s).0;
        if let Some(l) = last {
            if at > l + gap {
                out.push(std::mem::take(&mut current));
            }
        }
        last = Some(last.map_or(at, |l| l.max(at)));
        current.push(s);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Alternating split along A and B until no group splits.
pub(crate) fn cluster(seeds: Vec<Seed>, gap_a: u32, gap_b: u32) -> Vec<Vec<Seed>> {
    fn rec(seeds: Vec<Seed>, gap_a: u32, gap_b: u32, along_a: bool, first: bool, out: &mut Vec<Vec<Seed>>) {
        let parts = split(seeds, if along_a { gap_a } else { gap_b }, along_a);
        if parts.len() <= 1 && !first {
            out.extend(parts);
            return;
        }
        for p in parts {
            rec(p, gap_a, gap_b, !along_a, false, out);
        }
    }
    let mut out = Vec::new();
    if !seeds.is_empty() {
        rec(seeds, gap_a, gap_b, true, true, &mut out);
    }
    out
}

fn bounds(seeds: &[Seed]) -> (Range<u32>, Range<u32>) {
    let a0 = seeds.iter().map(|s| s.ua).min().unwrap_or(0);
    let a1 = seeds.iter().map(|s| s.ua).max().unwrap_or(0);
    let b0 = seeds.iter().map(|s| s.ub).min().unwrap_or(0);
    let b1 = seeds.iter().map(|s| s.ub).max().unwrap_or(0);
    (a0..a1 + 1, b0..b1 + 1)
}

pub(crate) fn fragment_similarity(vectors: &Vectors, ua: &Range<u32>, ub: &Range<u32>) -> f32 {
    let va = sum_vectors(&vectors.a, ua.start as usize..ua.end as usize);
    let vb = sum_vectors(&vectors.b, ub.start as usize..ub.end as usize);
    cosine(&va, &vb)
}

/// What extension needs besides the seeds: the vectors to validate with, the
/// validation threshold, and the smallest gap tried when re-clustering.
pub(crate) struct Extender<'v> {
    pub vectors: &'v Vectors,
    pub validation: f32,
    pub min_gap: u32,
}

impl Extender<'_> {
    /// Clusters with gaps `gap_a`, `gap_b`, then validates each cluster,
    /// re-clustering failed ones with a smaller gap.
    pub(crate) fn extend(&self, seeds: Vec<Seed>, gap_a: u32, gap_b: u32) -> Vec<Fragment> {
        let mut out = Vec::new();
        for group in cluster(seeds, gap_a, gap_b) {
            let (ua, ub) = bounds(&group);
            let sim = fragment_similarity(self.vectors, &ua, &ub);
            if sim > self.validation {
                out.push(Fragment { ua, ub, sim, seeds: group, summary: false });
            } else if gap_a > self.min_gap && gap_b > self.min_gap && group.len() > 1 {
                out.extend(self.extend(group, gap_a - 1, gap_b - 1));
            }
        }
        out
    }
}

/// Merges fragments that follow each other closely in both texts (within
/// `max_chars` characters on each side) when the merged fragment still
/// validates: one passage split by a stretch of short lines is one passage.
pub(crate) fn merge_close(
    mut frags: Vec<Fragment>,
    gap_chars: impl Fn(&Range<u32>, &Range<u32>, bool) -> usize,
    max_chars: usize,
    ext: &Extender,
) -> Vec<Fragment> {
    frags.sort_by_key(|f| (f.ua.start, f.ub.start));
    let mut out: Vec<Fragment> = Vec::with_capacity(frags.len());
    for f in frags {
        if let Some(last) = out.last_mut() {
            let in_order = f.ua.start >= last.ua.end && f.ub.start >= last.ub.end;
            if in_order
                && gap_chars(&last.ua, &f.ua, true) <= max_chars
                && gap_chars(&last.ub, &f.ub, false) <= max_chars
            {
                let ua = last.ua.start..f.ua.end;
                let ub = last.ub.start..f.ub.end;
                let sim = fragment_similarity(ext.vectors, &ua, &ub);
                if sim > ext.validation {
                    let mut seeds = std::mem::take(&mut last.seeds);
                    seeds.extend(f.seeds.iter().copied());
                    *last = Fragment { ua, ub, sim, seeds, summary: last.summary || f.summary };
                    continue;
                }
            }
        }
        out.push(f);
    }
    out
}

fn overlaps(x: &Range<u32>, y: &Range<u32>) -> bool {
    x.start < y.end && y.start < x.end
}

/// Resolves overlaps: fragments are taken best first (by `quality`); a
/// fragment overlapping one already taken (in A or in B) loses the seeds that
/// fall inside the taken ranges, and what remains is clustered and validated
/// again, so that a stray seed joining two passages does not cost the
/// weaker passage its life.
pub(crate) fn resolve_overlaps(
    frags: Vec<Fragment>,
    quality: impl Fn(&Fragment) -> f32,
    (gap_a, gap_b): (u32, u32),
    ext: &Extender,
) -> Vec<Fragment> {
    let mut pending = frags;
    let mut kept: Vec<Fragment> = Vec::new();
    // Each round takes the best pending fragment; trimming only ever removes
    // seeds, so this terminates.
    while !pending.is_empty() {
        let best = (0..pending.len())
            .max_by(|&i, &j| {
                let (x, y) = (&pending[i], &pending[j]);
                quality(x).total_cmp(&quality(y)).then(y.ua.start.cmp(&x.ua.start)).then(y.ub.start.cmp(&x.ub.start))
            })
            .unwrap_or(0);
        let f = pending.swap_remove(best);
        if !kept.iter().any(|k| overlaps(&k.ua, &f.ua) || overlaps(&k.ub, &f.ub)) {
            kept.push(f);
            continue;
        }
        let free: Vec<Seed> = f
            .seeds
            .iter()
            .copied()
            .filter(|s| !kept.iter().any(|k| k.ua.contains(&s.ua) || k.ub.contains(&s.ub)))
            .collect();
        if free.is_empty() || free.len() == f.seeds.len() {
            continue;
        }
        for sub in ext.extend(free, gap_a, gap_b) {
            if !kept.iter().any(|k| overlaps(&k.ua, &sub.ua) || overlaps(&k.ub, &sub.ub)) {
                pending.push(sub);
            }
        }
    }
    kept.sort_by_key(|f| (f.ua.start, f.ub.start));
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(ua: u32, ub: u32) -> Seed {
        Seed { ua, ub }
    }

    #[test]
    fn clusters_split_on_gaps_in_either_text() {
        // Two passages: units 0-3 ↔ 10-13, and 4-6 ↔ 30-32 (adjacent in A, far apart in B).
        let seeds = vec![s(0, 10), s(1, 11), s(3, 13), s(4, 30), s(5, 31), s(6, 32)];
        let mut groups = cluster(seeds, 4, 4);
        groups.iter_mut().for_each(|g| g.sort());
        groups.sort();
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0], vec![s(0, 10), s(1, 11), s(3, 13)]);
        assert_eq!(groups[1], vec![s(4, 30), s(5, 31), s(6, 32)]);
    }
}
