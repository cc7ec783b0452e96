//! The copy tree (stemma) of a family of versions.
//!
//! Method, after stemmatology's shared variants (Lachmann's common errors,
//! read as a perfect phylogeny):
//! 1. Every version is compared with a **reference** version; each
//!    difference from it is a **variant**: a word-level replacement,
//!    insertion or deletion at a place of the reference (keyed by that place
//!    and the new words), a reference sentence left out, or a sentence added
//!    (keyed by its folded text). Copies inherit the variants of their
//!    source, so the versions carrying one variant are a **clade**: the
//!    descendants of the version that introduced it.
//! 2. Clades that cross (neither nested nor apart) cannot both be true of a
//!    tree; a version whose removal reconciles them carries readings of two
//!    lineages and is set aside as **contaminated**.
//! 3. The remaining clades, best supported first, are kept while they agree;
//!    they form the tree. A version that carries exactly its clade's
//!    variants and none of its own sits at the clade's head (it is the
//!    source of the others); a clade without such a version is headed by a
//!    **lost version** (a lost intermediary, or a lost common source).
//!    A lost version joining only two neighbours says nothing and is
//!    dropped.
//! 4. The tree is rooted at the earliest dated version, or, undated, at the
//!    version holding most of the sentences other versions share (news
//!    copies cut more often than they add, and what a copy adds is its
//!    alone), of those the one that contains the others most.
//! 5. Contaminated versions are attached to the node whose readings they
//!    carry most completely, and to a second node in another lineage whose
//!    own readings they also carry. A version holding a sentence its parent
//!    lacks and another lineage has also took it from that lineage: a copy
//!    cannot get back what its source had already dropped.
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
    let folded: String = stemma_text::fold_str(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
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

/// A set of version indices.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Self {
        Bits(vec![0; n.div_ceil(64).max(1)])
    }
    fn full(n: usize) -> Self {
        let mut b = Bits::new(n);
        (0..n).for_each(|i| b.set(i));
        b
    }
    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
    fn unset(&mut self, i: usize) {
        self.0[i / 64] &= !(1 << (i % 64));
    }
    fn has(&self, i: usize) -> bool {
        self.0[i / 64] >> (i % 64) & 1 == 1
    }
    fn count(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }
    fn and(&self, o: &Bits) -> Bits {
        Bits(self.0.iter().zip(&o.0).map(|(a, b)| a & b).collect())
    }
    fn subset_of(&self, o: &Bits) -> bool {
        self.0.iter().zip(&o.0).all(|(a, b)| a & !b == 0)
    }
    fn disjoint(&self, o: &Bits) -> bool {
        self.0.iter().zip(&o.0).all(|(a, b)| a & b == 0)
    }
    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.0.len() * 64).filter(|&i| self.has(i))
    }
}

/// Whether two clades can both hold in one tree: nested or apart.
fn compatible(a: &Bits, b: &Bits) -> bool {
    a.disjoint(b) || a.subset_of(b) || b.subset_of(a)
}

/// A character: the versions carrying a variant (or, for a site, any
/// variant at that place of the reference), and those whose reading there
/// is unknown (they left out the sentence holding it).
struct Character {
    carriers: Bits,
    unknown: Bits,
    /// One exact reading (else: a site with several readings).
    exact: bool,
    /// What kind of variant and where it lies in the reference.
    site: (u8, usize, usize),
}

/// Reference ranges a version leaves out (sentences, long cuts): its
/// reading of any variant inside them is unknown.
fn left_out(set: &FxHashSet<Variant>) -> Vec<(usize, usize)> {
    set.iter().filter(|v| v.0 == 3 || (v.0 == 1 && v.2 - v.1 >= 40)).map(|v| (v.1, v.2)).collect()
}

/// The characters of the versions' variants against the reference: each
/// exact variant, each site where versions differ from the reference in
/// more than one way (a place edited again down a lineage still differs
/// from the reference in all of it), with the versions whose reading is
/// unknown.
fn characters(sets: &[FxHashSet<Variant>], n: usize) -> Vec<Character> {
    let mut carriers: FxHashMap<Variant, Bits> = FxHashMap::default();
    for (v, set) in sets.iter().enumerate() {
        for &x in set {
            carriers.entry(x).or_insert_with(|| Bits::new(n)).set(v);
        }
    }
    let cuts: Vec<Vec<(usize, usize)>> = sets.iter().map(left_out).collect();
    let unknown_at = |start: usize, end: usize, carriers: &Bits| -> Bits {
        let mut u = Bits::new(n);
        for (v, c) in cuts.iter().enumerate() {
            if !carriers.has(v) && c.iter().any(|&(s, e)| s <= start && end <= e) {
                u.set(v);
            }
        }
        u
    };
    let mut variants: Vec<(Variant, Bits)> = carriers.into_iter().collect();
    variants.sort();
    let mut out: Vec<Character> = Vec::new();
    // Word-level variants grouped by overlapping places of the reference.
    let mut word: Vec<&(Variant, Bits)> =
        variants.iter().filter(|(v, _)| v.0 == 0 || v.0 == 2 || (v.0 == 1 && v.2 - v.1 < 40)).collect();
    word.sort_by_key(|(v, _)| (v.1, v.2));
    let mut i = 0;
    while i < word.len() {
        let (start, mut end) = (word[i].0 .1, word[i].0 .2.max(word[i].0 .1 + 1));
        let mut j = i + 1;
        while j < word.len() && word[j].0 .1 < end {
            end = end.max(word[j].0 .2.max(word[j].0 .1 + 1));
            j += 1;
        }
        if j - i > 1 {
            let mut all = Bits::new(n);
            for (_, c) in &word[i..j] {
                for v in c.iter() {
                    all.set(v);
                }
            }
            let unknown = unknown_at(start, end, &all);
            out.push(Character { carriers: all, unknown, exact: false, site: (9, start, end) });
        }
        i = j;
    }
    for (v, c) in variants {
        let unknown = if v.0 == 4 { Bits::new(n) } else { unknown_at(v.1, v.2.max(v.1 + 1), &c) };
        out.push(Character { carriers: c, unknown, exact: true, site: (v.0, v.1, v.2) });
    }
    out
}

/// The clades of the versions in `core`, with the number of characters
/// supporting each. A character whose reading is unknown in some versions
/// supports the smallest clade it fits (its carriers, plus some of the
/// unknown), if any.
fn clades(characters: &[Character], core: &Bits) -> Vec<(Bits, usize)> {
    let mut support: FxHashMap<Bits, usize> = FxHashMap::default();
    let mut partial: Vec<(Bits, Bits)> = Vec::new();
    for c in characters {
        let (carriers, unknown) = (c.carriers.and(core), c.unknown.and(core));
        if carriers.count() == 0 {
            continue;
        }
        if unknown.count() == 0 {
            if carriers.count() >= 2 {
                *support.entry(carriers).or_default() += 1;
            }
        } else {
            partial.push((carriers, unknown));
        }
    }
    for (carriers, unknown) in partial {
        let mut widest = carriers.clone();
        for v in unknown.iter() {
            widest.set(v);
        }
        let fit = support
            .keys()
            .filter(|k| carriers.subset_of(k) && k.subset_of(&widest))
            .min_by(|a, b| a.count().cmp(&b.count()).then(a.cmp(b)))
            .cloned();
        if let Some(k) = fit {
            *support.entry(k).or_default() += 1;
        }
    }
    let mut out: Vec<(Bits, usize)> = support.into_iter().collect();
    // Best supported first, then larger, then by members: deterministic.
    out.sort_by(|x, y| y.1.cmp(&x.1).then(y.0.count().cmp(&x.0.count())).then(x.0.cmp(&y.0)));
    out
}

/// How much the clades disagree: over each crossing pair (neither nested
/// nor apart), the lesser support of the two.
fn conflict(clades: &[(Bits, usize)]) -> usize {
    let mut total = 0;
    for (i, (a, sa)) in clades.iter().enumerate() {
        for (b, sb) in &clades[i + 1..] {
            if !compatible(a, b) {
                total += (*sa).min(*sb);
            }
        }
    }
    total
}

/// The version of `core` whose removal leaves the clades agreeing most (a
/// version copied from two lineages carries the readings of both, so its
/// clades cross), when that takes away a conflict of at least 2. Ties go to
/// the later version: a contaminated copy comes after its sources.
fn most_contaminated(characters: &[Character], core: &Bits, meta: &[VersionMeta]) -> Option<usize> {
    let before = conflict(&clades(characters, core));
    if before < 2 {
        return None;
    }
    core.iter()
        .map(|x| {
            let mut rest = core.clone();
            rest.unset(x);
            (conflict(&clades(characters, &rest)), x)
        })
        .filter(|&(after, _)| after + 2 <= before)
        .min_by(|a, b| a.0.cmp(&b.0).then(meta[b.1].day.cmp(&meta[a.1].day)).then(b.1.cmp(&a.1)))
        .map(|(_, x)| x)
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
    // 1. Variants against a reference: the earliest version when dated,
    //    else the one from which the others differ least.
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
    let characters = characters(&sets, n);

    // 2. Contaminated versions set aside.
    let mut core = Bits::full(n);
    let mut contaminated: Vec<usize> = Vec::new();
    let mut found = clades(&characters, &core);
    while contaminated.len() < n.div_ceil(4) {
        let Some(x) = most_contaminated(&characters, &core, meta) else { break };
        core.unset(x);
        contaminated.push(x);
        found = clades(&characters, &core);
    }
    // Changes of a version's own: exact variants no other version (of the
    // core) carries or may carry.
    // A variant at a place another version changed too is no change of
    // its own: that place was changed above it and edited again below it.
    let span = |c: &Character| (c.site.1, c.site.2.max(c.site.1 + 1));
    let placed: Vec<(usize, usize, Bits)> =
        characters.iter().filter(|c| c.site.0 != 4).map(|c| (span(c).0, span(c).1, c.carriers.and(&core))).collect();
    let mut own = vec![0usize; n];
    for c in characters.iter().filter(|c| c.exact) {
        let (carriers, unknown) = (c.carriers.and(&core), c.unknown.and(&core));
        if carriers.count() != 1 || unknown.count() != 0 {
            continue;
        }
        let (start, end) = span(c);
        let resited = c.site.0 != 4
            && placed.iter().any(|(s, e, who)| *s < end && start < *e && who.iter().any(|y| !carriers.has(y)));
        if !resited {
            if let Some(v) = carriers.iter().next() {
                own[v] += 1;
            }
        }
    }

    // 3. Compatible clades, best supported first, make the tree.
    let mut kept: Vec<(Bits, usize)> = Vec::new();
    for (c, support) in found {
        if kept.iter().all(|(k, _)| compatible(k, &c)) {
            kept.push((c, support));
        }
    }
    // Larger clades first, so that a clade's parent comes before it.
    kept.sort_by(|x, y| y.0.count().cmp(&x.0.count()).then(x.0.cmp(&y.0)));
    let top = kept.len();
    let parent_clade: Vec<usize> = (0..kept.len())
        .map(|i| (0..i).rev().find(|&j| kept[i].0.subset_of(&kept[j].0) && kept[i].0 != kept[j].0).unwrap_or(top))
        .collect();
    let home = |x: usize| -> usize { (0..kept.len()).rev().find(|&i| kept[i].0.has(x)).unwrap_or(top) };
    // The version heading each clade: one without changes of its own.
    let mut head: Vec<Option<usize>> = vec![None; kept.len() + 1];
    for x in core.iter() {
        let h = home(x);
        // One change of its own is allowed: a copy merging two sources can
        // drop one of its parent's changes.
        if own[x] > 1 {
            continue;
        }
        let better = match head[h] {
            None => true,
            Some(y) => (meta[x].day, own[x], sets[x].len(), x) < (meta[y].day, own[y], sets[y].len(), y),
        };
        if better {
            head[h] = Some(x);
        }
    }
    // Undirected adjacency over versions (0..n) and lost versions (n..).
    let mut clade_node: Vec<usize> = Vec::with_capacity(kept.len() + 1);
    for h in &head {
        match h {
            Some(v) => clade_node.push(*v),
            None => {
                let id = nodes.len();
                nodes.push(Node { index: id, id: None, kind: "lost".into(), label: String::new() });
                clade_node.push(id);
            }
        }
    }
    let mut adjacent: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    let link = |a: usize, b: usize, adjacent: &mut Vec<Vec<usize>>| {
        if a != b && !adjacent[a].contains(&b) {
            adjacent[a].push(b);
            adjacent[b].push(a);
        }
    };
    for (i, &p) in parent_clade.iter().enumerate() {
        link(clade_node[i], clade_node[p], &mut adjacent);
    }
    for x in core.iter() {
        link(x, clade_node[home(x)], &mut adjacent);
    }
    // A lost version with two neighbours or fewer is no evidence of anything.
    while let Some(l) = (n..nodes.len()).find(|&l| !adjacent[l].is_empty() && adjacent[l].len() <= 2) {
        let ns = std::mem::take(&mut adjacent[l]);
        for &m in &ns {
            adjacent[m].retain(|&y| y != l);
        }
        if let [a, b] = ns[..] {
            link(a, b, &mut adjacent);
        }
    }

    // 3b. The tree of fewest changes near this one (parsimony).
    let chars: Vec<crate::parsimony::Char> = characters
        .iter()
        .filter(|c| c.carriers.and(&core).count() >= 1)
        .map(|c| crate::parsimony::Char {
            carriers: (0..n).map(|v| c.carriers.has(v)).collect(),
            unknown: (0..n).map(|v| c.unknown.has(v)).collect(),
            weight: if c.exact { 1.0 } else { 0.5 },
        })
        .collect();
    adjacent = crate::parsimony::refine(adjacent, n, &chars);
    adjacent.resize(adjacent.len().max(nodes.len()), Vec::new());
    while nodes.len() < adjacent.len() {
        let id = nodes.len();
        nodes.push(Node { index: id, id: None, kind: "lost".into(), label: String::new() });
    }

    // 4. Root.
    let root = if dated {
        core.iter().min_by_key(|&x| (meta[x].day, own[x], x)).unwrap_or(reference)
    } else {
        // The version holding most of the sentences that others have too
        // (a copy cuts; what it adds is its own and says nothing of its
        // source); of those, the one that contains the others most.
        let shared: Vec<usize> = (0..n).map(|c| shared_sentences(cmp, c, n)).collect();
        let containment: Vec<f64> =
            (0..n).map(|c| (0..n).filter(|&v| v != c).map(|v| direction(cmp, c, v)).sum()).collect();
        core.iter()
            .max_by(|&a, &b| shared[a].cmp(&shared[b]).then(containment[a].total_cmp(&containment[b])).then(b.cmp(&a)))
            .unwrap_or(reference)
    };
    // Readings from here on are changes made since the root.
    let sets: Vec<FxHashSet<Variant>> = if root == reference { sets } else { (0..n).map(|v| var(root, v)).collect() };
    let mut parents: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    {
        let mut seen = vec![false; nodes.len()];
        let mut stack = vec![root];
        seen[root] = true;
        while let Some(x) = stack.pop() {
            let mut next = adjacent[x].clone();
            next.sort_unstable();
            for y in next {
                if !seen[y] {
                    seen[y] = true;
                    parents[y] = vec![x];
                    stack.push(y);
                }
            }
        }
    }

    // 5. Contaminated versions: a main parent and one in another lineage.
    let is_ancestor = |parents: &[Vec<usize>], a: usize, v: usize| is_ancestor(parents, a, v);
    // Leaves of the tree are tested too: a copy that took little from its
    // second source leaves no crossing clade, only readings of another
    // lineage.
    let leaves: Vec<usize> = core
        .iter()
        .filter(|&x| x != root && parents[x].len() == 1 && !parents.iter().any(|ps| ps.contains(&x)))
        .collect();
    for (x, settled) in contaminated.iter().map(|&x| (x, false)).chain(leaves.into_iter().map(|x| (x, true))) {
        let live: Vec<usize> = (0..nodes.len()).filter(|&u| u != x && (u == root || !parents[u].is_empty())).collect();
        let readings: Vec<FxHashSet<Variant>> =
            (0..nodes.len()).map(|u| node_readings(u, n, &parents, &sets, &contaminated)).collect();
        // The main parent passes on the most readings (a merge drops some of
        // each parent's, so readings missing count only to break ties).
        let inherit = |u: usize| -> (usize, std::cmp::Reverse<usize>) {
            let shared = readings[u].intersection(&sets[x]).count();
            (shared, std::cmp::Reverse(readings[u].len() - shared))
        };
        let p1 = if settled {
            parents[x][0]
        } else {
            let Some(&p1) = live.iter().max_by(|&&a, &&b| inherit(a).cmp(&inherit(b)).then(b.cmp(&a))) else {
                continue;
            };
            p1
        };
        let gain = |u: usize| -> (usize, usize) {
            let theirs: FxHashSet<&Variant> = readings[u].difference(&readings[p1]).collect();
            (theirs.iter().filter(|v| sets[x].contains(v)).count(), theirs.len())
        };
        let p2 = live
            .iter()
            .copied()
            .filter(|&u| u != p1 && !is_ancestor(&parents, u, p1) && !is_ancestor(&parents, p1, u))
            .map(|u| (gain(u), u))
            .filter(|&((g, total), _)| g >= 2 && 4 * g >= total)
            .max_by(|a, b| {
                let ra = a.0 .0 as f64 / a.0 .1.max(1) as f64;
                let rb = b.0 .0 as f64 / b.0 .1.max(1) as f64;
                a.0 .0.cmp(&b.0 .0).then(ra.total_cmp(&rb)).then(b.1.cmp(&a.1))
            })
            .map(|(_, u)| u);
        // A copy cannot get back a sentence its source had already dropped:
        // sentences of its own that its parent lacks and another lineage
        // has were taken from that lineage.
        // The second parent is the version of another lineage that holds
        // most of them (then most of the readings), not an ancestor of the
        // parent, which may still hold them from before they were dropped.
        // Real copies also cut sentences independently, so the rule asks
        // for more than the sentences:
        let p2 = p2.or_else(|| {
            if p1 >= n {
                return None;
            }
            let taken = reacquired(cmp, x, p1, n, &parents);
            live.iter()
                .copied()
                .filter(|&u| u < n && u != p1 && !is_ancestor(&parents, u, p1) && !is_ancestor(&parents, p1, u))
                .map(|u| (taken.iter().filter(|(_, holders)| holders.contains(&u)).count(), gain(u).0, u))
                // It also carries some of that lineage's readings, explains
                // half of the version at least, and is not dated after it.
                .filter(|&(k, g, u)| {
                    k >= 1
                        && g >= 1
                        && cmp.get(u, x).is_some_and(|r| explained(r) >= 0.5)
                        && !matches!((meta[u].day, meta[x].day), (Some(du), Some(dx)) if du > dx)
                })
                .max_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(b.2.cmp(&a.2)))
                .map(|(_, _, u)| u)
        });
        parents[x] = std::iter::once(p1).chain(p2).collect();
    }

    // 6. Independent renditions: a lost common source for two versions
    //    that each hold much the other lacks.
    let mut edges: Vec<Edge> = Vec::new();
    let renditions = |p: usize, v: usize| -> Option<(f64, f64, f64)> {
        let (pv, vp) = (cmp.get(p, v)?, cmp.get(v, p)?);
        let only_v = 1.0 - explained(pv);
        let only_p = 1.0 - explained(vp);
        let verbatim = verbatim_share(pv);
        (only_v >= 0.2 && only_p >= 0.2 && verbatim < 0.5).then_some((only_p, only_v, verbatim))
    };
    let mut independent: Vec<(usize, usize, f64, f64, f64)> = Vec::new();
    for (v, ps) in parents.iter().enumerate().take(n) {
        let [p] = ps[..] else { continue };
        if p >= n || renditions(p, v).is_none() {
            continue;
        }
        // Independent of p and of p's sources too: the common source sits
        // above the highest of them ("blog → relay" and an independent
        // rendition share the source of the blog, not of the relay).
        let mut top = p;
        while let [g] = parents[top][..] {
            if g < n && renditions(g, v).is_some() {
                top = g;
            } else {
                break;
            }
        }
        if let Some((only_p, only_v, verbatim)) = renditions(top, v) {
            independent.push((top, v, only_p, only_v, verbatim));
        }
    }
    // One lost source per version it replaces, however many renditions.
    let mut lost_of: FxHashMap<usize, usize> = FxHashMap::default();
    for (p, v, only_p, only_v, verbatim) in independent {
        let lost = match lost_of.get(&p) {
            Some(&l) => l,
            None => {
                let lost = nodes.len();
                nodes.push(Node { index: lost, id: None, kind: "lost".into(), label: String::new() });
                // The lost source takes p's place; p and v both descend from it.
                let grand = parents[p].clone();
                parents.push(grand);
                parents[p] = vec![lost];
                lost_of.insert(p, lost);
                lost
            }
        };
        parents[v] = vec![lost];
        let shared = format!(
            "independent renditions of one source: {:.0} % of the words they share are verbatim",
            verbatim * 100.0
        );
        for (child, own_share, sibling) in [(p, only_p, v), (v, only_v, p)] {
            edges_note(&mut edges, lost, child, &shared);
            edges_note(
                &mut edges,
                lost,
                child,
                &format!("{:.0} % of its text is not in {}", own_share * 100.0, meta[sibling].id),
            );
        }
    }

    // Drop lost versions left unused, renumber, label.
    let used: Vec<bool> =
        (0..nodes.len()).map(|u| u < n || parents.iter().any(|ps| ps.contains(&u)) || !parents[u].is_empty()).collect();
    let mut renumber: Vec<Option<usize>> = vec![None; nodes.len()];
    let mut kept_nodes: Vec<Node> = Vec::new();
    for (u, node) in nodes.into_iter().enumerate() {
        if used[u] {
            renumber[u] = Some(kept_nodes.len());
            let mut node = node;
            node.index = kept_nodes.len();
            if node.kind == "lost" {
                node.label = format!("lost source {}", kept_nodes.len() + 1 - n);
            }
            kept_nodes.push(node);
        }
    }
    let readings: Vec<FxHashSet<Variant>> =
        (0..parents.len()).map(|u| node_readings(u, n, &parents, &sets, &contaminated)).collect();

    // Edges with evidence.
    let mut final_edges: Vec<Edge> = Vec::new();
    for (child, ps) in parents.iter().enumerate() {
        for &p in ps {
            let (Some(from), Some(to)) = (renumber[p], renumber[child]) else { continue };
            let mut evidence: Vec<String> = Vec::new();
            for note in edges.iter().filter(|e| e.from == p && e.to == child).flat_map(|e| &e.evidence) {
                if !evidence.contains(note) {
                    evidence.push(note.clone());
                }
            }
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
            } else {
                confidence = 0.5;
            }
            if child < n {
                let carried = readings[p].intersection(&sets[child]).count();
                if carried > 0 {
                    evidence.push(format!("carries {carried} reading(s) of its source"));
                }
            }
            if p >= n && child >= n {
                let new = readings[child].difference(&readings[p]).count();
                evidence.push(format!("{new} reading(s) shared by the lost version's copies"));
            }
            if ps.len() > 1 {
                evidence.push("contaminated: also carries readings of another lineage".into());
                confidence = confidence.min(0.6);
            }
            final_edges.push(Edge { from, to, confidence: (confidence * 100.0_f64).round() / 100.0, basis, evidence });
        }
    }
    final_edges.sort_by_key(|e| (e.from, e.to));
    let roots: Vec<usize> = (0..parents.len()).filter(|&u| parents[u].is_empty()).filter_map(|u| renumber[u]).collect();
    Tree { nodes: kept_nodes, edges: final_edges, roots }
}

/// The readings (variants against the reference) a node carries: a
/// version's own; for a lost version, those all its observed descendants
/// share (contaminated ones aside).
fn node_readings(
    u: usize,
    n: usize,
    parents: &[Vec<usize>],
    sets: &[FxHashSet<Variant>],
    contaminated: &[usize],
) -> FxHashSet<Variant> {
    if u < n {
        return sets[u].clone();
    }
    let mut out: Option<FxHashSet<Variant>> = None;
    for v in (0..n).filter(|v| !contaminated.contains(v) && is_ancestor(parents, u, *v)) {
        out = Some(match out {
            None => sets[v].clone(),
            Some(acc) => acc.intersection(&sets[v]).copied().collect(),
        });
    }
    out.unwrap_or_default()
}

/// How much more of `v` the text of `u` explains than the reverse: > 0
/// when `u` looks like `v`'s source.
fn direction(cmp: &Comparisons, u: usize, v: usize) -> f64 {
    match (cmp.get(u, v), cmp.get(v, u)) {
        (Some(uv), Some(vu)) => explained(uv) - explained(vu),
        _ => 0.0,
    }
}

/// The sentences of version `x` that version `p` lacks and other versions
/// (not copies of `x`) have, each with the versions holding it.
fn reacquired(cmp: &Comparisons, x: usize, p: usize, n: usize, parents: &[Vec<usize>]) -> Vec<(usize, Vec<usize>)> {
    let Some(xp) = cmp.get(x, p) else { return Vec::new() };
    let mut out = Vec::new();
    for s in xp.a_sentences.iter().filter(|s| s.status == "only_a") {
        if s.span.text.chars().filter(|c| c.is_alphanumeric()).count() < 12 {
            continue;
        }
        let holders: Vec<usize> = (0..n)
            .filter(|&u| u != x && u != p && !is_ancestor(parents, x, u))
            .filter(|&u| cmp.get(x, u).and_then(|r| r.a_sentences.get(s.index)).is_some_and(|t| t.status != "only_a"))
            .collect();
        if !holders.is_empty() {
            out.push((s.index, holders));
        }
    }
    out
}

/// How many of version `c`'s sentences another version has too: the
/// source of a family holds every sentence its copies pass on, while what a
/// copy adds is its alone.
fn shared_sentences(cmp: &Comparisons, c: usize, n: usize) -> usize {
    let mut shared: FxHashSet<usize> = FxHashSet::default();
    for v in (0..n).filter(|&v| v != c) {
        if let Some(r) = cmp.get(c, v) {
            for s in &r.a_sentences {
                if s.status != "only_a" && s.span.text.chars().filter(|ch| ch.is_alphanumeric()).count() >= 12 {
                    shared.insert(s.index);
                }
            }
        }
    }
    shared.len()
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
