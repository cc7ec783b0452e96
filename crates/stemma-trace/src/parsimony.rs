//! Refinement of a copy tree by parsimony: the tree (versions and lost
//! versions, undirected) that needs the fewest changes to explain the
//! versions' readings, found by moving one part of the tree at a time.
//!
//! Each character is a reading some versions share (or a place they
//! changed); a version whose reading there is unknown, and every lost
//! version, may take whichever state costs least (Sankoff's algorithm on
//! two states). The cost of a tree is the number of edges along which a
//! reading appears or disappears, weighted per character, plus a price per
//! lost version: one is worth positing only when it saves more than that
//! (two siblings sharing readings their neighbours lack).

/// One character of the refinement: state 1 in `carriers`, unknown in
/// `unknown`, 0 elsewhere; `weight` is what one change of it costs.
pub(crate) struct Char {
    pub carriers: Vec<bool>,
    pub unknown: Vec<bool>,
    pub weight: f64,
}

/// An undirected tree over versions `0..n` (those in `core`) and lost
/// versions `n..`: `adjacent[x]` are the neighbours of `x`; a node with no
/// neighbour is not in the tree.
pub(crate) type Adjacency = Vec<Vec<usize>>;

/// What a lost version costs (in weighted changes).
const LOST_PRICE: f64 = 1.5;

/// Improvement passes at most (each tries every move once).
const MAX_PASSES: usize = 30;

/// Cost of the tree `adj` for `chars`, with `n` observed versions.
fn cost(adj: &Adjacency, n: usize, chars: &[Char]) -> f64 {
    let Some(start) = (0..adj.len()).find(|&x| !adj[x].is_empty()) else { return 0.0 };
    // Post-order from `start`.
    let mut order: Vec<(usize, usize)> = Vec::with_capacity(adj.len());
    let mut stack = vec![(start, usize::MAX)];
    while let Some((x, from)) = stack.pop() {
        order.push((x, from));
        for &y in &adj[x] {
            if y != from {
                stack.push((y, x));
            }
        }
    }
    let lost = (n..adj.len()).filter(|&x| !adj[x].is_empty()).count() as f64;
    let mut total = lost * LOST_PRICE;
    let mut table = vec![[0.0f64; 2]; adj.len()];
    for ch in chars {
        for &(x, from) in order.iter().rev() {
            let mut c = [0.0f64, 0.0];
            if x < n && !ch.unknown[x] {
                c[usize::from(!ch.carriers[x])] = f64::INFINITY;
            }
            for &y in &adj[x] {
                if y == from {
                    continue;
                }
                let t = table[y];
                c[0] += t[0].min(t[1] + ch.weight);
                c[1] += t[1].min(t[0] + ch.weight);
            }
            table[x] = c;
        }
        total += table[start][0].min(table[start][1]);
    }
    total
}

fn unlink(adj: &mut Adjacency, a: usize, b: usize) {
    adj[a].retain(|&y| y != b);
    adj[b].retain(|&y| y != a);
}

fn link(adj: &mut Adjacency, a: usize, b: usize) {
    if a != b && !adj[a].contains(&b) {
        adj[a].push(b);
        adj[b].push(a);
    }
}

/// Lost versions with two neighbours or fewer removed (with two, their
/// neighbours joined): they explain nothing.
fn tidy(adj: &mut Adjacency, n: usize) {
    while let Some(l) = (n..adj.len()).find(|&l| !adj[l].is_empty() && adj[l].len() <= 2) {
        let ns = std::mem::take(&mut adj[l]);
        for &m in &ns {
            adj[m].retain(|&y| y != l);
        }
        if let [a, b] = ns[..] {
            link(adj, a, b);
        }
    }
    for a in adj.iter_mut() {
        a.sort_unstable();
    }
}

/// Nodes reachable from `x` without crossing to `block`.
fn side(adj: &Adjacency, x: usize, block: usize) -> Vec<bool> {
    let mut seen = vec![false; adj.len()];
    seen[x] = true;
    let mut stack = vec![x];
    while let Some(u) = stack.pop() {
        for &v in &adj[u] {
            let across = u == x && v == block;
            if !seen[v] && !across {
                seen[v] = true;
                stack.push(v);
            }
        }
    }
    seen
}

/// The tree of least cost reachable from `adj` by moving one part at a
/// time: cut an edge, and join the part holding one of its ends to a node
/// of the other part, or to a new lost version set on one of its edges.
/// Deterministic: moves are tried in a fixed order, the first best kept.
pub(crate) fn refine(mut adj: Adjacency, n: usize, chars: &[Char]) -> Adjacency {
    tidy(&mut adj, n);
    let mut best = cost(&adj, n, chars);
    for _ in 0..MAX_PASSES {
        let mut improved: Option<(f64, Adjacency)> = None;
        let edges: Vec<(usize, usize)> =
            (0..adj.len()).flat_map(|a| adj[a].iter().map(move |&b| (a, b))).filter(|&(a, b)| a != b).collect();
        for &(a, b) in &edges {
            // Move the part holding b (cut from a).
            let moved = side(&adj, b, a);
            let mut base = adj.clone();
            unlink(&mut base, a, b);
            let targets: Vec<usize> =
                (0..base.len()).filter(|&x| !moved[x] && (!base[x].is_empty() || x == a)).collect();
            let stay_edges: Vec<(usize, usize)> = (0..base.len())
                .filter(|&x| !moved[x])
                .flat_map(|x| base[x].iter().filter(move |&&y| x < y).map(move |&y| (x, y)))
                .collect();
            let mut candidates: Vec<Adjacency> = Vec::new();
            for &x in &targets {
                if x == a {
                    continue;
                }
                let mut t = base.clone();
                link(&mut t, x, b);
                candidates.push(t);
            }
            for &(x, y) in &stay_edges {
                let mut t = base.clone();
                let l = t.len();
                t.push(Vec::new());
                unlink(&mut t, x, y);
                link(&mut t, x, l);
                link(&mut t, l, y);
                link(&mut t, l, b);
                candidates.push(t);
            }
            // b joined to a new lost version beside a (a and b siblings).
            {
                let mut t = base.clone();
                let l = t.len();
                t.push(Vec::new());
                link(&mut t, a, l);
                link(&mut t, l, b);
                candidates.push(t);
            }
            for mut t in candidates {
                tidy(&mut t, n);
                let c = cost(&t, n, chars);
                let bar = improved.as_ref().map_or(best, |(ic, _)| *ic);
                if c + 1e-9 < bar {
                    improved = Some((c, t));
                }
            }
        }
        match improved {
            Some((c, t)) => {
                best = c;
                adj = t;
            }
            None => break,
        }
    }
    // Lost versions left without neighbours are dropped by the caller; keep
    // the numbering compact anyway.
    while adj.len() > n && adj.last().is_some_and(Vec::is_empty) {
        adj.pop();
    }
    adj
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(n: usize, carriers: &[usize], weight: f64) -> Char {
        let mut c = vec![false; n];
        for &x in carriers {
            c[x] = true;
        }
        Char { carriers: c, unknown: vec![false; n], weight }
    }

    #[test]
    fn shared_readings_join_siblings_under_a_lost_version() {
        // 0 the source; 1 and 2 share three readings 3 lacks, and each has
        // two of its own: a lost source of 1 and 2 below 0; 3 a copy of 0.
        let n = 4;
        let mut chars: Vec<Char> = (0..3).map(|_| ch(n, &[1, 2], 1.0)).collect();
        chars.extend((0..2).flat_map(|_| [ch(n, &[1], 1.0), ch(n, &[2], 1.0)]));
        let star: Adjacency = vec![vec![1, 2, 3], vec![0], vec![0], vec![0]];
        let t = refine(star, n, &chars);
        assert_eq!(t.len(), 5, "{t:?}");
        assert_eq!(t[4], vec![0, 1, 2]);
        assert_eq!(t[3], vec![0]);
    }

    #[test]
    fn a_version_holding_all_of_anothers_readings_is_its_copy() {
        // 2 has 1's readings and more: 1 — 2, not both beside 0.
        let n = 3;
        let chars = vec![ch(n, &[1, 2], 1.0), ch(n, &[1, 2], 1.0), ch(n, &[2], 1.0)];
        let star: Adjacency = vec![vec![1, 2], vec![0], vec![0]];
        let t = refine(star, n, &chars);
        assert_eq!(t, vec![vec![1], vec![0, 2], vec![1]]);
    }
}
