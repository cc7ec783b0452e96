//! The word-level edit script of a passage.
//!
//! Exact runs of at least two tokens are found by hashing token bigrams and
//! extending every hit along its diagonal; the heaviest chain of runs that
//! is increasing in both texts (a weighted longest-increasing-subsequence,
//! O(R log R)) anchors the alignment. Between consecutive anchors, a global
//! alignment with affine gap costs (Gotoh) fills in substitutions,
//! insertions and deletions; equal stems ("exécuter"/"exécutés") score as
//! near-matches. Because the expensive dynamic programming only runs
//! between anchors, its cost follows the size of the differences rather
//! than the size of the passage: it is a band around the anchor chain.

use crate::features::Prepared;
use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;

/// What an edit does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EditKind {
    /// The same words in both texts (after folding).
    Equal,
    /// Words of A replaced by words of B.
    Replace,
    /// Words only in A.
    Delete,
    /// Words only in B.
    Insert,
}

/// One step of a word-level edit script, as token ranges of both texts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edit {
    /// What the step does.
    pub kind: EditKind,
    /// Token range in A (empty for `Insert`).
    pub a: Range<u32>,
    /// Token range in B (empty for `Delete`).
    pub b: Range<u32>,
}

impl Edit {
    /// The same edit seen from the other text (A and B swapped).
    pub fn mirrored(self) -> Edit {
        Edit {
            kind: match self.kind {
                EditKind::Delete => EditKind::Insert,
                EditKind::Insert => EditKind::Delete,
                k => k,
            },
            a: self.b,
            b: self.a,
        }
    }
}

/// Regions larger than this (cells) are not aligned word by word.
const MAX_DP_CELLS: usize = 4_000_000;
/// Bigrams more frequent than this in either region do not start anchors.
const MAX_BIGRAM_OCCURRENCES: usize = 64;

/// A maximal run of equal tokens: `len` tokens from `a` in A and `b` in B.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Anchor {
    pub a: u32,
    pub b: u32,
    pub len: u32,
}

/// Maximal runs of at least two equal tokens between two token ranges
/// (bigrams repeated more than a few dozen times do not start runs).
pub(crate) fn exact_runs(a: &Prepared, ra: Range<u32>, b: &Prepared, rb: Range<u32>) -> Vec<Anchor> {
    let ka = |i: u32| a.an.tokens[i as usize].key;
    let kb = |j: u32| b.an.tokens[j as usize].key;
    if ra.len() < 2 || rb.len() < 2 {
        return Vec::new();
    }
    let mut in_b: HashMap<(u64, u64), Vec<u32>> = HashMap::with_capacity_and_hasher(rb.len(), Default::default());
    for j in rb.start..rb.end - 1 {
        in_b.entry((kb(j), kb(j + 1))).or_default().push(j);
    }
    let mut count_a: HashMap<(u64, u64), u32> = HashMap::with_capacity_and_hasher(ra.len(), Default::default());
    for i in ra.start..ra.end - 1 {
        *count_a.entry((ka(i), ka(i + 1))).or_default() += 1;
    }
    let mut hits: Vec<(i64, u32, u32)> = Vec::new();
    for i in ra.start..ra.end - 1 {
        let key = (ka(i), ka(i + 1));
        if let Some(js) = in_b.get(&key) {
            if js.len() > MAX_BIGRAM_OCCURRENCES || count_a[&key] as usize > MAX_BIGRAM_OCCURRENCES {
                continue;
            }
            for &j in js {
                hits.push((i as i64 - j as i64, i, j));
            }
        }
    }
    hits.sort_unstable();
    let mut runs = Vec::new();
    let mut covered_until: Option<(i64, u32)> = None;
    for (d, i, j) in hits {
        if let Some((cd, end)) = covered_until {
            if cd == d && i < end {
                continue;
            }
        }
        // Extend backwards and forwards along the diagonal.
        let (mut s_a, mut s_b) = (i, j);
        while s_a > ra.start && s_b > rb.start && ka(s_a - 1) == kb(s_b - 1) {
            s_a -= 1;
            s_b -= 1;
        }
        let (mut e_a, mut e_b) = (i, j);
        while e_a < ra.end && e_b < rb.end && ka(e_a) == kb(e_b) {
            e_a += 1;
            e_b += 1;
        }
        covered_until = Some((d, e_a));
        runs.push(Anchor { a: s_a, b: s_b, len: e_a - s_a });
    }
    runs.sort_unstable_by_key(|r| (r.a, r.b));
    runs.dedup_by_key(|r| (r.a, r.b));
    runs
}

/// Heaviest chain of runs increasing and non-overlapping in both texts.
pub(crate) fn chain(runs: &[Anchor]) -> Vec<Anchor> {
    if runs.is_empty() {
        return Vec::new();
    }
    // Coordinates of run ends in B, for a Fenwick tree of prefix maxima.
    let mut ends: Vec<u32> = runs.iter().map(|r| r.b + r.len).collect();
    ends.sort_unstable();
    ends.dedup();
    let mut tree: Vec<(u64, usize)> = vec![(0, usize::MAX); ends.len() + 1];
    let update = |tree: &mut Vec<(u64, usize)>, pos: usize, val: (u64, usize)| {
        let mut p = pos + 1;
        while p < tree.len() {
            if val.0 > tree[p].0 {
                tree[p] = val;
            }
            p += p & p.wrapping_neg();
        }
    };
    let query = |tree: &Vec<(u64, usize)>, upto: usize| -> (u64, usize) {
        // max over positions < upto
        let mut best = (0u64, usize::MAX);
        let mut p = upto;
        while p > 0 {
            if tree[p].0 > best.0 {
                best = tree[p];
            }
            p -= p & p.wrapping_neg();
        }
        best
    };
    // Process runs by start in A; a run becomes available as a predecessor
    // once the current start in A is at or past its end in A.
    let mut by_end_a: Vec<usize> = (0..runs.len()).collect();
    by_end_a.sort_unstable_by_key(|&i| (runs[i].a + runs[i].len, runs[i].b));
    let mut score = vec![0u64; runs.len()];
    let mut prev = vec![usize::MAX; runs.len()];
    let mut next_avail = 0;
    for i in 0..runs.len() {
        let r = runs[i];
        while next_avail < by_end_a.len() && runs[by_end_a[next_avail]].a + runs[by_end_a[next_avail]].len <= r.a {
            let k = by_end_a[next_avail];
            if score[k] > 0 {
                let pos = ends.partition_point(|&e| e < runs[k].b + runs[k].len);
                update(&mut tree, pos, (score[k], k));
            }
            next_avail += 1;
        }
        let upto = ends.partition_point(|&e| e <= r.b);
        let (best, from) = query(&tree, upto);
        score[i] = best + r.len as u64;
        prev[i] = from;
    }
    let mut best_i = 0;
    for i in 1..runs.len() {
        if score[i] > score[best_i] {
            best_i = i;
        }
    }
    let mut out = Vec::new();
    let mut i = best_i;
    while i != usize::MAX {
        out.push(runs[i]);
        i = prev[i];
    }
    out.reverse();
    out
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Step {
    Pair,
    Del,
    Ins,
}

/// Match score of token i of A against token j of B.
fn pair_score(a: &Prepared, i: usize, b: &Prepared, j: usize) -> f32 {
    if a.an.tokens[i].key == b.an.tokens[j].key {
        if a.content[i] {
            3.0
        } else {
            1.5
        }
    } else if a.stems[i] == b.stems[j] {
        2.0
    } else {
        -1.0
    }
}

const GAP_OPEN: f32 = -2.0;
const GAP_EXTEND: f32 = -0.5;

/// Global alignment with affine gaps (Gotoh) of two token ranges.
fn gotoh(a: &Prepared, ra: Range<u32>, b: &Prepared, rb: Range<u32>, out: &mut Vec<Step>) {
    let (m, n) = (ra.len(), rb.len());
    if m == 0 {
        out.extend(std::iter::repeat_n(Step::Ins, n));
        return;
    }
    if n == 0 {
        out.extend(std::iter::repeat_n(Step::Del, m));
        return;
    }
    if m * n > MAX_DP_CELLS {
        // Too far apart to be worth aligning word by word.
        out.extend(std::iter::repeat_n(Step::Del, m));
        out.extend(std::iter::repeat_n(Step::Ins, n));
        return;
    }
    const NEG: f32 = -1e30;
    let w = n + 1;
    // Three states: M (pair), X (deletion from A), Y (insertion from B).
    let mut mm = vec![NEG; w];
    let mut xx = vec![NEG; w];
    let mut yy = vec![NEG; w];
    // Traceback: for each cell and state, which state it came from (2 bits each).
    let mut tb = vec![0u8; (m + 1) * w];
    mm[0] = 0.0;
    for j in 1..=n {
        yy[j] = GAP_OPEN + GAP_EXTEND * (j as f32 - 1.0);
        tb[j] = 2 << 4; // Y came from Y
    }
    let (mut pm, mut px, mut py) = (mm.clone(), xx.clone(), yy.clone());
    for i in 1..=m {
        std::mem::swap(&mut pm, &mut mm);
        std::mem::swap(&mut px, &mut xx);
        std::mem::swap(&mut py, &mut yy);
        mm[0] = NEG;
        yy[0] = NEG;
        xx[0] = GAP_OPEN + GAP_EXTEND * (i as f32 - 1.0);
        tb[i * w] = 1 << 2; // X came from X
        let ai = ra.start as usize + i - 1;
        for j in 1..=n {
            let bj = rb.start as usize + j - 1;
            // M: from diagonal.
            let s = pair_score(a, ai, b, bj);
            let (best_prev, from_m) = max3(pm[j - 1], px[j - 1], py[j - 1]);
            mm[j] = best_prev + s;
            // X: gap in B (token of A deleted), from above.
            let (xo, xe) = (pm[j] + GAP_OPEN, px[j] + GAP_EXTEND);
            let (xv, from_x) = if xo >= xe { (xo, 0u8) } else { (xe, 1u8) };
            xx[j] = xv.max(py[j] + GAP_OPEN);
            let from_x = if py[j] + GAP_OPEN > xv { 2 } else { from_x };
            // Y: gap in A (token of B inserted), from the left.
            let (yo, ye) = (mm[j - 1] + GAP_OPEN, yy[j - 1] + GAP_EXTEND);
            let (yv, from_y) = if yo >= ye { (yo, 0u8) } else { (ye, 2u8) };
            yy[j] = yv.max(xx[j - 1] + GAP_OPEN);
            let from_y = if xx[j - 1] + GAP_OPEN > yv { 1 } else { from_y };
            tb[i * w + j] = from_m | (from_x << 2) | (from_y << 4);
        }
    }
    // Traceback from the best final state.
    let (_, mut state) = max3(mm[n], xx[n], yy[n]);
    let (mut i, mut j) = (m, n);
    let mut steps = Vec::with_capacity(m + n);
    while i > 0 || j > 0 {
        let cell = tb[i * w + j];
        match state {
            0 => {
                steps.push(Step::Pair);
                state = cell & 3;
                i -= 1;
                j -= 1;
            }
            1 => {
                steps.push(Step::Del);
                state = (cell >> 2) & 3;
                i -= 1;
            }
            _ => {
                steps.push(Step::Ins);
                state = (cell >> 4) & 3;
                j -= 1;
            }
        }
        if i == 0 && j > 0 {
            state = 2;
        } else if j == 0 && i > 0 {
            state = 1;
        }
    }
    steps.reverse();
    out.extend(steps);
}

fn max3(m: f32, x: f32, y: f32) -> (f32, u8) {
    if m >= x && m >= y {
        (m, 0)
    } else if x >= y {
        (x, 1)
    } else {
        (y, 2)
    }
}

/// The edit script aligning token range `ra` of A with `rb` of B.
pub(crate) fn edit_script(a: &Prepared, ra: Range<u32>, b: &Prepared, rb: Range<u32>) -> Vec<Edit> {
    let anchors = chain(&exact_runs(a, ra.clone(), b, rb.clone()));
    let mut steps: Vec<Step> = Vec::with_capacity(ra.len() + rb.len());
    let (mut ia, mut ib) = (ra.start, rb.start);
    for an in &anchors {
        gotoh(a, ia..an.a, b, ib..an.b, &mut steps);
        steps.extend(std::iter::repeat_n(Step::Pair, an.len as usize));
        ia = an.a + an.len;
        ib = an.b + an.len;
    }
    gotoh(a, ia..ra.end, b, ib..rb.end, &mut steps);
    group(a, ra.start, b, rb.start, &steps)
}

/// Groups steps into edits: runs of equal tokens, and between them one
/// `Replace`, `Delete` or `Insert` for everything that differs.
fn group(a: &Prepared, a0: u32, b: &Prepared, b0: u32, steps: &[Step]) -> Vec<Edit> {
    let mut edits: Vec<Edit> = Vec::new();
    let (mut i, mut j) = (a0, b0);
    let push = |kind: EditKind, ar: Range<u32>, br: Range<u32>, edits: &mut Vec<Edit>| {
        if let Some(last) = edits.last_mut() {
            let last_is_diff = last.kind != EditKind::Equal;
            if (last.kind == kind && kind == EditKind::Equal) || (last_is_diff && kind != EditKind::Equal) {
                last.a.end = ar.end;
                last.b.end = br.end;
                if last_is_diff {
                    last.kind = match (last.a.is_empty(), last.b.is_empty()) {
                        (false, false) => EditKind::Replace,
                        (false, true) => EditKind::Delete,
                        _ => EditKind::Insert,
                    };
                }
                return;
            }
        }
        edits.push(Edit { kind, a: ar, b: br });
    };
    for s in steps {
        match s {
            Step::Pair => {
                let equal = a.an.tokens[i as usize].key == b.an.tokens[j as usize].key;
                let kind = if equal { EditKind::Equal } else { EditKind::Replace };
                push(kind, i..i + 1, j..j + 1, &mut edits);
                i += 1;
                j += 1;
            }
            Step::Del => {
                push(EditKind::Delete, i..i + 1, j..j, &mut edits);
                i += 1;
            }
            Step::Ins => {
                push(EditKind::Insert, i..i, j..j + 1, &mut edits);
                j += 1;
            }
        }
    }
    edits
}
