//! The copy tree (stemma) of a family of versions.
//!
//! Method, after stemmatology's shared variants:
//! 1. Every version is compared with a **reference** version; each
//!    difference from it is a **variant**: a word-level replacement at a
//!    place of the reference (keyed by that place and the new words), a
//!    reference sentence left out, or a sentence added (keyed by its folded
//!    text). Versions that share a variant share a reading.
//! 2. The reference is the earliest dated version when dates exist;
//!    otherwise every version is tried and the one that explains the others
//!    with the fewest variants in all (the most parsimonious root) is kept.
//! 3. Versions are placed from the fewest variants to the most: a version's
//!    parent is the placed node whose variants it carries most completely
//!    (`S(parent) ⊆ S(child)`, nearly), respecting dates when both have one.
//! 4. Two children of one parent that share several readings the parent
//!    lacks descend from a **lost intermediary** carrying those readings,
//!    which is added as a node.
//! 5. A version that also carries readings found only in another lineage is
//!    **contaminated**: it gets a second parent.
//! 6. Two versions that each hold much that the other lacks, in different
//!    words, are independent renditions of a **lost common source**, not one
//!    a copy of the other.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use stemma_core::CompareReport;

/// A node of the tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Position in the node list.
    pub index: usize,
    /// The version's id, or `None` for a hypothesised lost version.
    pub id: Option<String>,
    /// `version` or `lost`.
    pub kind: String,
    /// A short label for drawings.
    pub label: String,
}

/// A copy relation: `to` copies `from`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    /// The node copied.
    pub from: usize,
    /// The copy.
    pub to: usize,
    /// Confidence in the relation and its direction, 0..1.
    pub confidence: f64,
    /// `dates` when the direction comes from dates, else `text`.
    pub basis: String,
    /// Why, in words.
    pub evidence: Vec<String>,
}

/// The copy tree (a graph: a contaminated version has two parents).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    /// Versions and lost nodes.
    pub nodes: Vec<Node>,
    /// Copy relations.
    pub edges: Vec<Edge>,
    /// Nodes without a parent.
    pub roots: Vec<usize>,
}

/// What the tree needs to know of a version.
#[derive(Debug, Clone)]
pub struct VersionMeta {
    /// Id.
    pub id: String,
    /// Publication day, when known.
    pub day: Option<i64>,
    /// Words of the version.
    pub words: usize,
}

/// Pairwise comparisons: `get(i, j)` is the report of version i (A) against j (B).
pub struct Comparisons<'a> {
    reports: &'a FxHashMap<(usize, usize), CompareReport>,
}

impl<'a> Comparisons<'a> {
    /// Wraps reports for every ordered pair `(i, j)`, `i != j`.
    pub fn new(reports: &'a FxHashMap<(usize, usize), CompareReport>) -> Self {
        Comparisons { reports }
    }
    fn get(&self, i: usize, j: usize) -> Option<&CompareReport> {
        self.reports.get(&(i, j))
    }
}

type Variant = (u8, usize, usize, u64);

fn fold_hash(text: &str) -> u64 {
    let folded: String = stemma_text::fold_str(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
    xxhash_rust::xxh3::xxh3_64(folded.as_bytes())
}

/// The variants of version B against the reference A of `r`.
fn variants(r: &CompareReport) -> FxHashSet<Variant> {
    let mut out = FxHashSet::default();
    for p in &r.passages {
        let mut last_a = p.a.start;
        for e in &p.edits {
            match (&e.a, &e.b) {
                (Some(a), Some(b)) if e.op != "equal" => {
                    out.insert((0, a.start, a.end, fold_hash(&b.text)));
                }
                (Some(a), None) => {
                    out.insert((1, a.start, a.end, 0));
                }
                (None, Some(b)) => {
                    out.insert((2, last_a, last_a, fold_hash(&b.text)));
                }
                _ => {}
            }
            if let Some(a) = &e.a {
                last_a = a.end;
            }
        }
    }
    // Reference sentences left out, sentences added.
    for s in &r.a_sentences {
        if s.status == "only_a" && s.span.text.chars().any(char::is_alphanumeric) {
            out.insert((3, s.span.start, s.span.end, 0));
        }
    }
    for s in &r.b_sentences {
        if s.status == "only_b" && s.span.text.chars().any(char::is_alphanumeric) {
            out.insert((4, 0, 0, fold_hash(&s.span.text)));
        }
    }
    out
}

/// Share of B's words in sentences with a counterpart in A: how much of B
/// A explains.
fn explained(r: &CompareReport) -> f64 {
    r.summary.b_shared
}

/// Builds the copy tree of versions `meta`, given all pairwise comparisons.
pub fn build(meta: &[VersionMeta], cmp: &Comparisons) -> Tree {
    let n = meta.len();
    let mut nodes: Vec<Node> = meta
        .iter()
        .enumerate()
        .map(|(i, m)| Node { index: i, id: Some(m.id.clone()), kind: "version".into(), label: m.id.clone() })
        .collect();
    if n == 0 {
        return Tree { nodes, edges: Vec::new(), roots: Vec::new() };
    }
    if n == 1 {
        return Tree { nodes, edges: Vec::new(), roots: vec![0] };
    }
    let dated = meta.iter().all(|m| m.day.is_some());
    // Variants of every version against every candidate reference.
    let var = |r: usize, v: usize| -> FxHashSet<Variant> {
        if r == v {
            FxHashSet::default()
        } else {
            cmp.get(r, v).map(variants).unwrap_or_default()
        }
    };
    let candidates: Vec<usize> = if dated {
        let earliest = meta.iter().filter_map(|m| m.day).min();
        (0..n).filter(|&i| meta[i].day == earliest).collect()
    } else {
        (0..n).collect()
    };
    let (reference, sets) = candidates
        .iter()
        .map(|&r| {
            let sets: Vec<FxHashSet<Variant>> = (0..n).map(|v| var(r, v)).collect();
            let cost: usize = sets.iter().map(FxHashSet::len).sum();
            (cost, r, sets)
        })
        .min_by(|x, y| x.0.cmp(&y.0).then(x.1.cmp(&y.1)))
        .map(|(_, r, s)| (r, s))
        .unwrap_or((0, vec![FxHashSet::default(); n]));

    // Placement from fewest variants to most.
    let mut order: Vec<usize> = (0..n).filter(|&v| v != reference).collect();
    order.sort_by_key(|&v| (sets[v].len(), meta[v].day.unwrap_or(i64::MAX), v));
    let mut node_sets: Vec<FxHashSet<Variant>> = sets.clone();
    let mut parents: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut placed: Vec<usize> = vec![reference];
    let mut edges: Vec<Edge> = Vec::new();
    for &v in &order {
        let best = placed
            .iter()
            .copied()
            .filter(|&u| u >= n || !dated || meta[u].day <= meta[v].day)
            // A parent's readings are carried by its copy: a copy may cut a
            // sentence its source added, but it does not restore the words
            // its source changed or the sentences it left out (a few such
            // misses are tolerated: alignments differ at the edges).
            .filter(|&u| {
                let strong = |x: &&Variant| x.0 != 4;
                let missing = node_sets[u].difference(&sets[v]).filter(strong).count();
                10 * missing <= node_sets[u].iter().filter(strong).count()
            })
            .map(|u| (inherited(&node_sets[u], &sets[v]), u))
            .max_by(|x, y| x.0.total_cmp(&y.0).then(y.1.cmp(&x.1)));
        let p = best.map_or(reference, |b| b.1);
        parents[v].push(p);
        placed.push(v);
    }
    // Parsimony places the versions but cannot tell which end of a chain
    // came first: undated, the tree is re-rooted where the copy relations
    // point most consistently from the containing text to the contained
    // one (news copies trim more often than they add).
    if !dated {
        reroot(&mut parents, cmp);
    }
    // Lost intermediaries: children of one parent sharing readings it lacks.
    let mut children: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for (v, ps) in parents.iter().enumerate().take(n) {
        for &p in ps {
            children.entry(p).or_default().push(v);
        }
    }
    let mut parent_list: Vec<usize> = children.keys().copied().collect();
    parent_list.sort_unstable();
    for p in parent_list {
        let kids = children[&p].clone();
        // Group children by shared readings not in the parent (greedy pairs).
        let mut grouped: FxHashSet<usize> = FxHashSet::default();
        for (x, &c1) in kids.iter().enumerate() {
            if grouped.contains(&c1) {
                continue;
            }
            let own1: FxHashSet<Variant> = sets[c1].difference(&node_sets[p]).copied().collect();
            let mut group = vec![c1];
            let mut shared: Option<FxHashSet<Variant>> = None;
            for &c2 in &kids[x + 1..] {
                if grouped.contains(&c2) {
                    continue;
                }
                let s: FxHashSet<Variant> = own1.intersection(&sets[c2]).copied().collect();
                if s.len() >= 2 {
                    shared = Some(match shared {
                        None => s,
                        Some(prev) => prev.intersection(&s).copied().collect::<FxHashSet<_>>(),
                    });
                    group.push(c2);
                }
            }
            if group.len() >= 2 {
                let lost = nodes.len();
                nodes.push(Node {
                    index: lost,
                    id: None,
                    kind: "lost".into(),
                    label: format!("lost source {}", lost - n + 1),
                });
                let shared = shared.unwrap_or_default();
                node_sets.push(shared.clone());
                parents.push(vec![p]);
                for &c in &group {
                    grouped.insert(c);
                    for q in parents[c].iter_mut() {
                        if *q == p {
                            *q = lost;
                        }
                    }
                }
                edges_note(&mut edges, p, lost, &format!("{} readings shared by its copies and absent here", shared.len()));
            }
        }
    }
    // Contamination: readings from another lineage.
    for v in 0..n {
        let Some(&p) = parents[v].first() else { continue };
        let own: FxHashSet<Variant> = sets[v].difference(&node_sets[p]).copied().collect();
        if own.len() < 3 {
            continue;
        }
        let mut best: Option<(usize, usize)> = None;
        for w in 0..n {
            // The contaminated version holds both lineages: more readings
            // than the one it borrows from, and (dated) not earlier.
            let later = match (meta[w].day, meta[v].day) {
                (Some(dw), Some(dv)) => dw <= dv,
                _ => true,
            };
            if w == v
                || w == p
                || !later
                || sets[w].len() >= sets[v].len()
                || is_ancestor(&parents, w, v)
                || is_ancestor(&parents, v, w)
            {
                continue;
            }
            let Some(&pw) = parents[w].first() else { continue };
            let w_own: FxHashSet<Variant> = sets[w].difference(&node_sets[pw]).copied().collect();
            let common = own.intersection(&w_own).count();
            if common >= 3 && 3 * common >= own.len() && best.is_none_or(|b| common > b.0) {
                best = Some((common, w));
            }
        }
        if let Some((_, w)) = best {
            parents[v].push(w);
        }
    }
    // Independent renditions: a lost common source for two versions that
    // each hold much the other lacks.
    let mut independent: Vec<(usize, usize, f64, f64, f64)> = Vec::new();
    for (v, ps) in parents.iter().enumerate().take(n) {
        let [p] = ps[..] else { continue };
        if p >= n {
            continue;
        }
        if let (Some(pv), Some(vp)) = (cmp.get(p, v), cmp.get(v, p)) {
            let only_v = 1.0 - explained(pv);
            let only_p = 1.0 - explained(vp);
            let verbatim = verbatim_share(pv);
            if only_v >= 0.2 && only_p >= 0.2 && verbatim < 0.5 {
                independent.push((p, v, only_p, only_v, verbatim));
            }
        }
    }
    for (p, v, only_p, only_v, verbatim) in independent {
        let lost = nodes.len();
        nodes.push(Node { index: lost, id: None, kind: "lost".into(), label: format!("lost source {}", lost - n + 1) });
        node_sets.push(FxHashSet::default());
        // The lost source takes p's place; p and v both descend from it.
        let grand = parents[p].clone();
        parents.push(grand);
        parents[p] = vec![lost];
        parents[v] = vec![lost];
        let shared = format!(
            "independent renditions of one source: {:.0} % of the words they share are verbatim",
            verbatim * 100.0
        );
        for (child, own, sibling) in [(p, only_p, v), (v, only_v, p)] {
            edges_note(&mut edges, lost, child, &shared);
            edges_note(
                &mut edges,
                lost,
                child,
                &format!("{:.0} % of its text is not in {}", own * 100.0, meta[sibling].id),
            );
        }
    }
    // Edges with evidence.
    let mut final_edges: Vec<Edge> = Vec::new();
    for (child, ps) in parents.iter().enumerate() {
        for &p in ps {
            let mut evidence: Vec<String> = edges.iter().filter(|e| e.from == p && e.to == child).flat_map(|e| e.evidence.clone()).collect();
            let mut basis = "text".to_string();
            let mut confidence: f64 = 0.6;
            if p < n && child < n {
                if let (Some(dp), Some(dc)) = (meta[p].day, meta[child].day) {
                    if dp < dc {
                        basis = "dates".into();
                        confidence = 0.9;
                        evidence.push(format!("dated {} day(s) earlier", dc - dp));
                    }
                }
                if let Some(r) = cmp.get(p, child) {
                    evidence.push(format!("explains {:.0} % of the copy's text", explained(r) * 100.0));
                    if r.only_b.len() > r.only_a.len() {
                        evidence.push(format!("the copy adds {} passage(s)", r.only_b.len()));
                    }
                    confidence = confidence.max(0.5 + 0.4 * explained(r)).min(0.95);
                }
                let shared = sets[child].intersection(&node_sets[p]).count();
                if shared > 0 {
                    evidence.push(format!("{shared} reading(s) of it carried over"));
                }
            } else {
                confidence = 0.5;
            }
            if ps.len() > 1 {
                evidence.push("contaminated: also carries readings of another lineage".into());
                confidence = confidence.min(0.6);
            }
            final_edges.push(Edge { from: p, to: child, confidence: (confidence * 100.0_f64).round() / 100.0, basis, evidence });
        }
    }
    final_edges.sort_by_key(|e| (e.from, e.to));
    let roots: Vec<usize> = (0..nodes.len()).filter(|&i| parents.get(i).is_none_or(Vec::is_empty)).collect();
    Tree { nodes, edges: final_edges, roots }
}

/// How much more of `v` the text of `u` explains than the reverse: > 0
/// when `u` looks like `v`'s source.
fn direction(cmp: &Comparisons, u: usize, v: usize) -> f64 {
    match (cmp.get(u, v), cmp.get(v, u)) {
        (Some(uv), Some(vu)) => explained(uv) - explained(vu),
        _ => 0.0,
    }
}

/// Re-roots a tree of versions (one parent each, except the root) at the
/// version from which the copy relations point most consistently from
/// containing to contained text. Ties keep the current root.
fn reroot(parents: &mut [Vec<usize>], cmp: &Comparisons) {
    let n = parents.len();
    let mut adjacent: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (v, ps) in parents.iter().enumerate() {
        for &p in ps {
            adjacent[v].push(p);
            adjacent[p].push(v);
        }
    }
    for a in &mut adjacent {
        a.sort_unstable();
    }
    // Orients the tree from `root`: parent of every other node.
    let orient = |root: usize| -> Vec<Option<usize>> {
        let mut parent: Vec<Option<usize>> = vec![None; n];
        let mut seen = vec![false; n];
        let mut stack = vec![root];
        seen[root] = true;
        while let Some(x) = stack.pop() {
            for &y in &adjacent[x] {
                if !seen[y] {
                    seen[y] = true;
                    parent[y] = Some(x);
                    stack.push(y);
                }
            }
        }
        parent
    };
    let score = |parent: &[Option<usize>]| -> f64 {
        parent.iter().enumerate().filter_map(|(v, p)| p.map(|p| direction(cmp, p, v))).sum()
    };
    let Some(current) = (0..n).find(|&v| parents[v].is_empty()) else { return };
    let mut best = (score(&orient(current)), current);
    for r in 0..n {
        let sc = score(&orient(r));
        if sc > best.0 + 1e-9 {
            best = (sc, r);
        }
    }
    if best.1 != current {
        for (v, p) in orient(best.1).into_iter().enumerate() {
            parents[v] = p.into_iter().collect();
        }
    }
}

fn edges_note(edges: &mut Vec<Edge>, from: usize, to: usize, note: &str) {
    edges.push(Edge { from, to, confidence: 0.0, basis: "text".into(), evidence: vec![note.to_string()] });
}

fn is_ancestor(parents: &[Vec<usize>], a: usize, v: usize) -> bool {
    let mut stack: Vec<usize> = parents.get(v).cloned().unwrap_or_default();
    let mut seen: FxHashSet<usize> = FxHashSet::default();
    while let Some(x) = stack.pop() {
        if x == a {
            return true;
        }
        if seen.insert(x) {
            stack.extend(parents.get(x).cloned().unwrap_or_default());
        }
    }
    false
}

/// How well `child` inherits `parent`'s readings: shared readings minus a
/// penalty for the parent's readings the child lacks.
fn inherited(parent: &FxHashSet<Variant>, child: &FxHashSet<Variant>) -> f64 {
    let shared = parent.intersection(child).count() as f64;
    let missing = parent.len() as f64 - shared;
    shared - 2.0 * missing
}

/// Share of aligned words that are equal (verbatim) in a comparison.
fn verbatim_share(r: &CompareReport) -> f64 {
    let equal: usize = r.passages.iter().map(|p| p.equal_words).sum();
    let total: usize = r.passages.iter().map(|p| p.a_words.max(p.b_words)).sum();
    if total == 0 {
        0.0
    } else {
        equal as f64 / total as f64
    }
}
