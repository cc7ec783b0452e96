//! The copy tree by parsimony: the undirected tree over versions and lost
//! versions that needs the fewest changes to explain the versions' readings.
//!
//! Each character is a reading some versions share; a version whose
//! reading there is unknown, and every lost version, may take whichever
//! state costs least (Sankoff's algorithm on two states). The cost of a
//! tree is the number of edges along which a reading appears or disappears.
//! [`search`] finds a tree of least cost with every version a leaf, moving
//! one part of the tree at a time; [`contract`] then keeps only the lost
//! versions the evidence needs: a version with no change of its own takes
//! the place of the lost version beside it (it is the source there), and
//! lost versions with no change between them become one.

/// One character: state 1 in `carriers`, unknown in `unknown`, 0
/// elsewhere; each change of it costs one.
pub(crate) struct Char {
    pub carriers: Vec<bool>,
    pub unknown: Vec<bool>,
}

/// An undirected tree over versions `0..n` and lost
/// versions `n..`: `adjacent[x]` are the neighbours of `x`; a node with no
/// neighbour is not in the tree.
pub(crate) type Adjacency = Vec<Vec<usize>>;

/// Improvement passes at most (each tries every move once).
const MAX_PASSES: usize = 30;

/// Number of changes the tree `adj` needs for `chars`, with `n` observed
/// versions.
pub(crate) fn changes(adj: &Adjacency, n: usize, chars: &[Char]) -> f64 {
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
    let mut total = 0.0;
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
                c[0] += t[0].min(t[1] + 1.0);
                c[1] += t[1].min(t[0] + 1.0);
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

/// Node `x` taken out of the tree, its other neighbours joined to its
/// neighbour `into`.
fn dissolve(adj: &mut Adjacency, x: usize, into: usize) {
    let ns = std::mem::take(&mut adj[x]);
    for &m in &ns {
        adj[m].retain(|&y| y != x);
    }
    for m in ns {
        if m != into {
            link(adj, into, m);
        }
    }
}

/// Lost versions with two neighbours or fewer removed (with two, their
/// neighbours joined): they explain nothing.
fn tidy(adj: &mut Adjacency, n: usize) {
    while let Some(l) = (n..adj.len()).find(|&l| !adj[l].is_empty() && adj[l].len() <= 2) {
        let into = adj[l][0];
        dissolve(adj, l, into);
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

/// A lost version at the centre of `core`, joined to each of them: the
/// start of [`search`].
pub(crate) fn star(core: &[usize], n: usize) -> Adjacency {
    let mut adj: Adjacency = vec![Vec::new(); n + 1];
    for &v in core {
        link(&mut adj, n, v);
    }
    tidy(&mut adj, n);
    adj
}

/// The tree of fewest changes reachable from `adj` by moving one part at a
/// time (subtree pruning and regrafting): cut an edge, and join the part
/// holding one of its ends to a new lost version set on an edge of the
/// other part, or to a lost version already there. Versions stay leaves;
/// lost versions are free here: [`contract`] then decides which of them
/// the evidence needs. Deterministic: moves are tried in a fixed order, the
/// first best kept.
pub(crate) fn search(mut adj: Adjacency, n: usize, chars: &[Char]) -> Adjacency {
    tidy(&mut adj, n);
    let mut best = changes(&adj, n, chars);
    for _ in 0..MAX_PASSES {
        let mut improved: Option<(f64, Adjacency)> = None;
        let edges: Vec<(usize, usize)> =
            (0..adj.len()).flat_map(|a| adj[a].iter().map(move |&b| (a, b))).filter(|&(a, b)| a != b).collect();
        for &(a, b) in &edges {
            // Move the part holding b (cut from a).
            let moved = side(&adj, b, a);
            let mut base = adj.clone();
            unlink(&mut base, a, b);
            let stay_edges: Vec<(usize, usize)> = (0..base.len())
                .filter(|&x| !moved[x])
                .flat_map(|x| base[x].iter().filter(move |&&y| x < y).map(move |&y| (x, y)))
                .collect();
            let mut candidates: Vec<Adjacency> = Vec::new();
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
            for x in (n..base.len()).filter(|&x| x != a && !moved[x] && !base[x].is_empty()) {
                let mut t = base.clone();
                link(&mut t, x, b);
                candidates.push(t);
            }
            for mut t in candidates {
                tidy(&mut t, n);
                let c = changes(&t, n, chars);
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
    compact(adj, n)
}

/// The tree `adj` without version `x` (a leaf): a lost version it leaves
/// with two neighbours or fewer goes too.
pub(crate) fn without(adj: &Adjacency, x: usize, n: usize) -> Adjacency {
    let mut t = adj.clone();
    if let Some(&y) = t[x].first() {
        dissolve(&mut t, x, y);
    }
    tidy(&mut t, n);
    compact(t, n)
}

/// Lost versions the evidence does not need, removed: a version takes the
/// place of a lost neighbour when that costs no change (it is the source of
/// the others there, not their sibling), and two lost neighbours become one
/// when no change lies between them. Versions first, so a version that
/// could be either is the source rather than a sibling; of two that could
/// take one place, the first in `preference` (every version, most likely
/// source first).
pub(crate) fn contract(mut adj: Adjacency, n: usize, chars: &[Char], preference: &[usize]) -> Adjacency {
    let mut base = changes(&adj, n, chars);
    loop {
        let mut best: Option<(f64, Adjacency)> = None;
        let order: Vec<usize> = preference.iter().copied().chain(n..adj.len()).collect();
        for (k, &v) in order.iter().enumerate() {
            for &x in adj[v].iter().filter(|&&x| x >= n && (v < n || x > v)) {
                let mut t = adj.clone();
                dissolve(&mut t, x, v);
                let c = changes(&t, n, chars);
                if c <= base + 1e-9 && best.as_ref().is_none_or(|(bc, _)| c + 1e-9 < *bc) {
                    best = Some((c, t));
                }
            }
            // Versions before lost versions: stop at the first version that
            // can take a lost version's place.
            if k + 1 == n && best.is_some() {
                break;
            }
        }
        match best {
            Some((c, t)) => {
                base = c;
                adj = t;
            }
            None => break,
        }
    }
    tidy(&mut adj, n);
    compact(adj, n)
}

/// Lost versions renumbered from `n` with no gaps (empty slots dropped).
fn compact(adj: Adjacency, n: usize) -> Adjacency {
    let mut renumber: Vec<usize> = (0..adj.len()).collect();
    let mut next = n;
    for (x, slot) in renumber.iter_mut().enumerate().skip(n) {
        if !adj[x].is_empty() {
            *slot = next;
            next += 1;
        }
    }
    let mut out: Adjacency = vec![Vec::new(); next];
    for (x, ns) in adj.into_iter().enumerate() {
        if x >= n && ns.is_empty() {
            continue;
        }
        let mut ns: Vec<usize> = ns.into_iter().map(|y| renumber[y]).collect();
        ns.sort_unstable();
        out[renumber[x]] = ns;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(n: usize, carriers: &[usize]) -> Char {
        let mut c = vec![false; n];
        for &x in carriers {
            c[x] = true;
        }
        Char { carriers: c, unknown: vec![false; n] }
    }

    #[test]
    fn shared_readings_join_siblings_under_a_lost_version() {
        // 0 the source; 1 and 2 share three readings no other version has,
        // and each has two of its own; 3 has one of its own: a lost source
        // of 1 and 2, copied from 0 as 3 is.
        let n = 4;
        let mut chars: Vec<Char> = (0..3).map(|_| ch(n, &[1, 2])).collect();
        chars.extend((0..2).flat_map(|_| [ch(n, &[1]), ch(n, &[2])]));
        chars.push(ch(n, &[3]));
        let t = contract(search(star(&[0, 1, 2, 3], n), n, &chars), n, &chars, &[0, 1, 2, 3]);
        assert_eq!(t, vec![vec![3, 4], vec![4], vec![4], vec![0], vec![0, 1, 2]]);
        assert_eq!(changes(&t, n, &chars), 8.0);
    }

    #[test]
    fn a_version_holding_all_of_anothers_readings_is_its_copy() {
        // 2 has 1's readings and more: 0 — 1 — 2, not 1 and 2 beside 0 or
        // under a lost version.
        let n = 3;
        let chars = vec![ch(n, &[1, 2]), ch(n, &[1, 2]), ch(n, &[2])];
        let t = contract(search(star(&[0, 1, 2], n), n, &chars), n, &chars, &[0, 1, 2]);
        assert_eq!(t, vec![vec![1], vec![0, 2], vec![1]]);
    }

    #[test]
    fn a_version_with_readings_of_its_own_is_no_source_of_its_siblings() {
        // 1 and 2 share two readings and each has one of its own: both are
        // copies of a lost version, neither the source of the other.
        let n = 3;
        let chars = vec![ch(n, &[1, 2]), ch(n, &[1, 2]), ch(n, &[1]), ch(n, &[2])];
        let t = contract(search(star(&[0, 1, 2], n), n, &chars), n, &chars, &[0, 1, 2]);
        assert_eq!(t, vec![vec![3], vec![3], vec![3], vec![0, 1, 2]]);
    }

    #[test]
    fn of_two_versions_that_could_be_the_source_the_preferred_one_is() {
        // 0 and 3 read the same and have no change of their own: either
        // could be the source of the others; the preference decides.
        let n = 4;
        let chars = vec![ch(n, &[1, 2]), ch(n, &[1]), ch(n, &[2])];
        for (preference, source) in [([0, 3, 1, 2], 0), ([3, 0, 1, 2], 3)] {
            let t = contract(search(star(&[0, 1, 2, 3], n), n, &chars), n, &chars, &preference);
            let other = 3 - source;
            assert_eq!(t[other], vec![source], "{t:?}");
            assert!(t[source].contains(&other) && t[source].len() == 2, "{t:?}");
        }
    }

    #[test]
    fn taking_a_leaf_out_removes_the_lost_version_it_needed() {
        let t: Adjacency = vec![vec![3], vec![3], vec![3], vec![0, 1, 2]];
        assert_eq!(without(&t, 2, 3), vec![vec![1], vec![0], vec![]]);
    }
}
