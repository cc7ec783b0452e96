//! Passage clusters and document families from aligned pairs.
//!
//! Every aligned passage is a pair of spans, one in each document. Spans
//! are linked across documents by the passage that pairs them, and within a
//! document when they overlap by at least half of the longer one (a
//! masthead inside a whole copied article is not the same text as the
//! article); the
//! connected spans form a **passage cluster**: the same text travelling
//! through the collection. Each member is one span of one document (a
//! document repeating the text twice has two members).
//!
//! A cluster of at least three documents of one source, which make at least
//! three quarters of its documents, is that source's **boilerplate** (a
//! masthead, a byline, a recurring footer; copies of its articles elsewhere
//! carry it too).
//!
//! Documents are joined into a **family** (the versions of one story) when
//! they share passages totalling a minimum length on both sides, boilerplate
//! excluded.

use rustc_hash::FxHashMap;
use std::ops::Range;

/// What the clustering needs to know about a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocInfo {
    /// Outlet or series, if known.
    pub series: Option<String>,
}

/// An aligned passage: spans (bytes) in the pair's two documents.
#[derive(Debug, Clone, PartialEq)]
pub struct PassageSpans {
    /// Span in the first document.
    pub a: Range<usize>,
    /// Span in the second document.
    pub b: Range<usize>,
    /// Similarity of the two spans.
    pub similarity: f32,
}

/// A pair of documents and the passages they share.
#[derive(Debug, Clone, PartialEq)]
pub struct AlignedPair {
    /// First document (global number).
    pub a: u32,
    /// Second document.
    pub b: u32,
    /// Fingerprints they share.
    pub shared: u32,
    /// Their passages.
    pub passages: Vec<PassageSpans>,
}

/// One span of one document in a cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Document (global number).
    pub doc: u32,
    /// Byte span.
    pub span: Range<usize>,
}

/// A passage cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// Cluster number (position in the list).
    pub id: usize,
    /// Its spans, by document then position.
    pub members: Vec<Member>,
    /// Number of distinct documents.
    pub docs: usize,
    /// Same-source boilerplate.
    pub boilerplate: bool,
}

struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind { parent: (0..n as u32).collect() }
    }
    fn find(&mut self, x: u32) -> u32 {
        let mut r = x;
        while self.parent[r as usize] != r {
            r = self.parent[r as usize];
        }
        let mut y = x;
        while self.parent[y as usize] != r {
            let next = self.parent[y as usize];
            self.parent[y as usize] = r;
            y = next;
        }
        r
    }
    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // The smaller root wins, so that the result is deterministic.
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi as usize] = lo;
        }
    }
}

fn overlap(x: &Range<usize>, y: &Range<usize>) -> usize {
    x.end.min(y.end).saturating_sub(x.start.max(y.start))
}

/// Builds the passage clusters of the aligned pairs.
pub fn clusters(
    pairs: &[AlignedPair],
    docs: &[DocInfo],
    min_boilerplate_docs: usize,
) -> (Vec<Cluster>, Vec<Vec<usize>>) {
    // Nodes: every span of every passage; `owner[node]` = (doc, span).
    let mut spans: Vec<(u32, Range<usize>)> = Vec::new();
    for p in pairs {
        for q in &p.passages {
            spans.push((p.a, q.a.clone()));
            spans.push((p.b, q.b.clone()));
        }
    }
    let mut uf = UnionFind::new(spans.len());
    for i in (0..spans.len()).step_by(2) {
        uf.union(i as u32, i as u32 + 1);
    }
    // Within each document, overlapping spans are the same text.
    let mut order: Vec<u32> = (0..spans.len() as u32).collect();
    order.sort_unstable_by_key(|&i| (spans[i as usize].0, spans[i as usize].1.start, spans[i as usize].1.end, i));
    let mut k = 0;
    while k < order.len() {
        let doc = spans[order[k] as usize].0;
        let mut group_end = k;
        while group_end < order.len() && spans[order[group_end] as usize].0 == doc {
            group_end += 1;
        }
        // Sweep: each span is compared with the spans still open.
        let mut open: Vec<u32> = Vec::new();
        for &n in &order[k..group_end] {
            let s = &spans[n as usize].1;
            open.retain(|&o| spans[o as usize].1.end > s.start);
            for &o in &open {
                let t = &spans[o as usize].1;
                if 2 * overlap(s, t) >= s.len().max(t.len()) {
                    uf.union(n, o);
                }
            }
            open.push(n);
        }
        k = group_end;
    }
    // Components → clusters, with per-document merged spans.
    let mut comps: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for n in 0..spans.len() as u32 {
        comps.entry(uf.find(n)).or_default().push(n);
    }
    let mut clusters: Vec<Cluster> = Vec::with_capacity(comps.len());
    // Which clusters each span node ended in (by node), to map passages back.
    let mut node_cluster: Vec<usize> = vec![0; spans.len()];
    let mut comp_list: Vec<Vec<u32>> = comps.into_values().collect();
    for c in &mut comp_list {
        c.sort_unstable_by_key(|&n| (spans[n as usize].0, spans[n as usize].1.start, n));
    }
    comp_list.sort_unstable_by_key(|c| (spans[c[0] as usize].0, spans[c[0] as usize].1.start, c[0]));
    for (id, nodes) in comp_list.iter().enumerate() {
        let mut members: Vec<Member> = Vec::new();
        for &n in nodes {
            node_cluster[n as usize] = id;
            let (doc, span) = &spans[n as usize];
            match members.last_mut() {
                Some(m) if m.doc == *doc && span.start <= m.span.end => m.span.end = m.span.end.max(span.end),
                _ => members.push(Member { doc: *doc, span: span.clone() }),
            }
        }
        let mut distinct: Vec<u32> = members.iter().map(|m| m.doc).collect();
        distinct.dedup();
        // The most frequent source among the cluster's documents.
        let mut by_source: FxHashMap<&String, usize> = FxHashMap::default();
        for &d in &distinct {
            if let Some(s) = docs.get(d as usize).and_then(|x| x.series.as_ref()) {
                *by_source.entry(s).or_default() += 1;
            }
        }
        let dominant = by_source.values().copied().max().unwrap_or(0);
        // Recurring text of one source: at least `min_boilerplate_docs` of
        // its documents, and three quarters of the cluster's (copies of its
        // articles elsewhere carry its footer too).
        let boilerplate = dominant >= min_boilerplate_docs && 4 * dominant >= 3 * distinct.len();
        clusters.push(Cluster { id, docs: distinct.len(), boilerplate, members });
    }
    // For every pair, the clusters of its passages (same order as passages).
    let mut passage_clusters: Vec<Vec<usize>> = Vec::with_capacity(pairs.len());
    let mut node = 0usize;
    for p in pairs {
        let mut v = Vec::with_capacity(p.passages.len());
        for _ in &p.passages {
            v.push(node_cluster[node]);
            node += 2;
        }
        passage_clusters.push(v);
    }
    (clusters, passage_clusters)
}

/// Document families: documents joined when their shared passages (those
/// not in boilerplate clusters) total at least `min_bytes` on each side and
/// cover at least `min_share` of the shorter document (`sizes` in bytes),
/// and when `extra_links` (story similarity) joins them.
/// Returns the families of two or more documents, each sorted, in order of
/// their first document, and each document's family.
pub fn families(
    pairs: &[AlignedPair],
    passage_clusters: &[Vec<usize>],
    clusters: &[Cluster],
    sizes: &[usize],
    min_bytes: usize,
    min_share: f64,
    extra_links: &[(u32, u32)],
) -> (Vec<Vec<u32>>, Vec<Option<usize>>) {
    let n_docs = sizes.len();
    let mut uf = UnionFind::new(n_docs);
    for &(a, b) in extra_links {
        uf.union(a, b);
    }
    for (p, pc) in pairs.iter().zip(passage_clusters) {
        let (mut la, mut lb) = (0usize, 0usize);
        for (q, &c) in p.passages.iter().zip(pc) {
            if !clusters[c].boilerplate {
                la += q.a.len();
                lb += q.b.len();
            }
        }
        let shorter = sizes[p.a as usize].min(sizes[p.b as usize]).max(1);
        let covered = if sizes[p.a as usize] <= sizes[p.b as usize] { la } else { lb };
        if la.min(lb) >= min_bytes && covered as f64 >= min_share * shorter as f64 {
            uf.union(p.a, p.b);
        }
    }
    let mut groups: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for d in 0..n_docs as u32 {
        groups.entry(uf.find(d)).or_default().push(d);
    }
    let mut fams: Vec<Vec<u32>> = groups.into_values().filter(|g| g.len() >= 2).collect();
    fams.sort_unstable_by_key(|g| g[0]);
    let mut of = vec![None; n_docs];
    for (i, g) in fams.iter().enumerate() {
        for &d in g {
            of[d as usize] = Some(i);
        }
    }
    (fams, of)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(a: u32, b: u32, spans: &[(Range<usize>, Range<usize>)]) -> AlignedPair {
        AlignedPair {
            a,
            b,
            shared: 5,
            passages: spans.iter().map(|(x, y)| PassageSpans { a: x.clone(), b: y.clone(), similarity: 0.9 }).collect(),
        }
    }

    #[test]
    fn the_same_text_travelling_is_one_cluster() {
        let docs = vec![
            DocInfo { series: Some("afp".into()) },
            DocInfo { series: Some("x".into()) },
            DocInfo { series: Some("y".into()) },
        ];
        // 0–1 and 1–2 share a passage that overlaps in document 1.
        let pairs = vec![pair(0, 1, &[(0..500, 100..600)]), pair(1, 2, &[(120..620, 0..500)])];
        let (cl, pc) = clusters(&pairs, &docs, 3);
        assert_eq!(cl.len(), 1);
        assert_eq!(cl[0].docs, 3);
        assert!(!cl[0].boilerplate);
        let (fams, of) = families(&pairs, &pc, &cl, &[800, 800, 800], 200, 0.3, &[]);
        assert_eq!(fams, vec![vec![0, 1, 2]]);
        assert_eq!(of, vec![Some(0); 3]);
    }

    #[test]
    fn same_source_recurring_text_is_boilerplate_and_joins_no_family() {
        let docs: Vec<DocInfo> = (0..4).map(|_| DocInfo { series: Some("lalibre".into()) }).collect();
        let pairs =
            vec![pair(0, 1, &[(0..300, 0..300)]), pair(1, 2, &[(0..300, 0..300)]), pair(2, 3, &[(0..300, 0..300)])];
        let (cl, pc) = clusters(&pairs, &docs, 3);
        assert_eq!(cl.len(), 1);
        assert!(cl[0].boilerplate);
        let (fams, _) = families(&pairs, &pc, &cl, &[400; 4], 200, 0.3, &[]);
        assert!(fams.is_empty());
    }
}
