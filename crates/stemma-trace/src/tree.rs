//! The copy tree (stemma) of a family of versions.
//!
//! Method, after stemmatology's shared variants (Lachmann's common errors)
//! read as maximum parsimony:
//! 1. Every version is compared with a **reference** version; each
//!    difference from it is a **variant**: a word-level replacement,
//!    insertion or deletion at a place of the reference, a reference
//!    sentence left out, or a sentence added (added sentences are grouped
//!    across versions, so that a copy re-wording one still holds it); text
//!    between two passages is read as well (a word left out with a dropped
//!    sentence is a cut of its own). Copies
//!    inherit the variants of their source. A version whose reading of a
//!    variant cannot be known (it left out the sentence, or edited that
//!    place again) is left free there; one cut seen as a whole sentence in
//!    one version and inside a passage in another is one variant.
//! 2. The tree is the one needing the fewest changes (parsimony, every
//!    version a leaf); a version with no change of its own then takes the
//!    place of the lost version beside it (it is the source of the others
//!    there), and the lost versions left are those the evidence needs: a
//!    **lost version** (a lost intermediary, or a lost common source) heads
//!    versions sharing readings no other version has.
//! 3. A version whose readings two versions of different lineages explain,
//!    place by place, better than its place in the tree does (by at least
//!    one change) is **contaminated**: it is taken out of the tree and given
//!    both as parents, the one it follows most first. The merge saving the
//!    most changes is taken; of merges saving as many, one whose two
//!    sources each give it an innovation (a reading the family's source is
//!    not known to have) comes before one where a source gives only the
//!    source's own text, which every version that did not change it has:
//!    of a merged copy and the version it took from, each reads as a merge
//!    of the other, at the same cost, and only innovations tell them apart.
//!    They are read from each root the text reads equally well from (the
//!    versions of an undated family holding the same sentences do): a root
//!    that is one of the sources would make all its readings the original
//!    text. A merge saving no change is still taken, its sources each
//!    passing on an innovation, when the tree needs a lost version the
//!    merge does not: as many changes and copy relations, one unseen
//!    version fewer.
//! 4. The root is where the tree reads best as a history: a sentence or
//!    clause once cut never comes back, nor a given name once dropped
//!    ("Claire Vasseur" → "Vasseur"); the versions lacking it are the
//!    copies of one version, so the root lies outside them. Dated
//!    versions come after the versions they copy and the earliest is the
//!    source unless a cut says otherwise (or several versions
//!    share the earliest day); then a version rather than a lost one, a
//!    lost one rather than a version holding a sentence no other holds,
//!    the one containing the others most.
//! 5. Two versions that each hold much that the other lacks, in different
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

/// The folded words of a text.
fn folded_words(text: &str) -> Vec<String> {
    stemma_text::fold_str(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn fold_hash(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(folded_words(text).join(" ").as_bytes())
}

/// The part of a word-level edit on one side, sentences that side holds
/// alone left out.
struct Piece {
    start: usize,
    end: usize,
    text: String,
}

/// The parts of `span` outside the byte ranges `alone` (sentences one side
/// holds alone) that hold a word, in order.
fn outside(span: &stemma_core::Span, alone: &[(usize, usize)]) -> Vec<Piece> {
    let mut kept: Vec<(usize, usize)> = vec![(span.start, span.end)];
    for &(s, e) in alone.iter().filter(|&&(s, e)| s < span.end && span.start < e) {
        kept = kept
            .into_iter()
            .flat_map(|(ks, ke)| [(ks, ke.min(s)), (ks.max(e), ke)])
            .filter(|(ks, ke)| ks < ke)
            .collect();
    }
    kept.into_iter()
        .filter_map(|(ks, ke)| {
            let text = span.text.get(ks - span.start..ke - span.start)?;
            // The span's own edges are words; edges cut at a sentence are
            // trimmed to the words, so that a part reads as the same place
            // as an edit of that word alone.
            let trimmed = text.trim();
            let start = ks + (text.len() - text.trim_start().len());
            trimmed.chars().any(char::is_alphanumeric).then(|| Piece {
                start,
                end: start + trimmed.len(),
                text: trimmed.to_string(),
            })
        })
        .collect()
}

/// A word-level edit of B against A: what A had (`a`), what B has (`b`),
/// and for an insertion the place in A (the end of the A text before it).
/// Text of sentences one side holds alone is left out: those sentences
/// are variants of their own (kinds 3 and 4), and an added sentence the
/// diff ran into the next word's replacement would otherwise make that
/// replacement a reading no other version shares.
struct WordEdit<'r> {
    a: Option<Piece>,
    b: Option<Piece>,
    at: usize,
    /// Text around `a` in A (its passage, or its sentence), and around `b`
    /// in B: what follows an edit tells a given name from a word.
    a_around: &'r stemma_core::Span,
    b_around: &'r stemma_core::Span,
}

/// Sentences of A and of B that the other version lacks (see
/// [`alone_sentences`]).
type Alone<'r> = (Vec<&'r stemma_core::SentenceReport>, Vec<&'r stemma_core::SentenceReport>);

/// The sentences of A and of B that the other version lacks: those the
/// comparison reports so (`only_a`, `only_b`) and that its passages do not
/// hold word for word for the most part. (A sentence split differently in
/// the two versions, as when one version's quotation runs on for want of
/// its closing mark, can find no counterpart though every word of it is
/// aligned.)
fn alone_sentences(r: &CompareReport) -> Alone<'_> {
    let equal = |side: fn(&stemma_core::EditOp) -> Option<&stemma_core::Span>| -> Vec<(usize, usize)> {
        let ops = r.passages.iter().flat_map(|p| &p.edits).filter(|e| e.op == "equal");
        ops.filter_map(side).map(|s| (s.start, s.end)).collect()
    };
    let (equal_a, equal_b) = (equal(|e| e.a.as_ref()), equal(|e| e.b.as_ref()));
    fn alone<'r>(
        sentences: &'r [stemma_core::SentenceReport],
        status: &str,
        equal: &[(usize, usize)],
    ) -> Vec<&'r stemma_core::SentenceReport> {
        let held = |s: &stemma_core::Span| -> usize {
            equal.iter().map(|&(es, ee)| ee.min(s.end).saturating_sub(es.max(s.start))).sum()
        };
        sentences
            .iter()
            .filter(|s| s.status == status && s.span.text.chars().any(char::is_alphanumeric))
            .filter(|s| 2 * held(&s.span) < s.span.end - s.span.start)
            .collect()
    }
    (alone(&r.a_sentences, "only_a", &equal_a), alone(&r.b_sentences, "only_b", &equal_b))
}

/// The parts of `sentences` between bytes `start` and `end` (a stretch no
/// passage aligns) outside the ranges `alone`, each with its sentence.
fn unaligned<'r>(
    sentences: &'r [stemma_core::SentenceReport],
    (start, end): (usize, usize),
    alone: &[(usize, usize)],
) -> Vec<(Piece, &'r stemma_core::Span)> {
    let mut out = Vec::new();
    for s in sentences.iter().filter(|s| s.span.start < end && start < s.span.end) {
        let (from, to) = (s.span.start.max(start), s.span.end.min(end));
        let Some(text) = s.span.text.get(from - s.span.start..to - s.span.start) else { continue };
        let part = stemma_core::Span { start: from, end: to, text: text.to_string() };
        out.extend(outside(&part, alone).into_iter().map(|piece| (piece, &s.span)));
    }
    out
}

/// Parts of A and of B between two passages, found by [`unaligned`].
type Unaligned<'r> = Vec<(Piece, &'r stemma_core::Span)>;

/// Reads the text between two passages as edits. A part of one side much
/// like a part of the other is one text the passages did not align (a
/// sentence between two edits too close for a passage): the same words are
/// no edit, other words are a re-wording of it. A part of one side like
/// none of the other's is a cut (A) or an insertion (B).
fn push_gap<'r>(
    push: &mut impl FnMut(Unaligned<'r>, Unaligned<'r>, usize, (&'r stemma_core::Span, &'r stemma_core::Span)),
    a: Unaligned<'r>,
    b: Unaligned<'r>,
    at: usize,
    around: (&'r stemma_core::Span, &'r stemma_core::Span),
) {
    // Each part's words, in order and as a set.
    let words = |p: &Piece| -> (Vec<String>, FxHashSet<String>) {
        let w = folded_words(&p.text);
        let set = w.iter().cloned().collect();
        (w, set)
    };
    let alike = |x: &FxHashSet<String>, y: &FxHashSet<String>| 2 * x.intersection(y).count() >= x.union(y).count();
    let wb: Vec<(Vec<String>, FxHashSet<String>)> = b.iter().map(|x| words(&x.0)).collect();
    let mut b: Vec<Option<(Piece, &'r stemma_core::Span)>> = b.into_iter().map(Some).collect();
    let mut cuts: Unaligned<'r> = Vec::new();
    for (piece, around_a) in a {
        let wa = words(&piece);
        match (0..b.len()).find(|&j| b[j].is_some() && alike(&wa.1, &wb[j].1)) {
            Some(j) => {
                let other = b[j].take();
                if wa.0 != wb[j].0 {
                    push(vec![(piece, around_a)], other.into_iter().collect(), at, around);
                }
            }
            None => cuts.push((piece, around_a)),
        }
    }
    let insertions: Unaligned<'r> = b.into_iter().flatten().collect();
    if !cuts.is_empty() {
        push(cuts, Vec::new(), at, around);
    }
    if !insertions.is_empty() {
        push(Vec::new(), insertions, at, around);
    }
}

/// A replacement of `a` (A) by `b` (B), placed after byte `at` of A, without
/// the words the two share at either end: the diff may run a replacement
/// over an unchanged word beside it against one version and not against
/// another ("said the UK" -> "said Britain", "the UK" -> "Britain"), and
/// one reading must be one variant. What is left may be a cut or an
/// insertion (then placed after the last word kept before it).
fn trim_shared(a: Piece, b: Piece, at: usize) -> (Option<Piece>, Option<Piece>, usize) {
    fn words(p: &Piece) -> Vec<(usize, usize, String)> {
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in p.text.char_indices().chain(std::iter::once((p.text.len(), ' '))) {
            match (c.is_alphanumeric(), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    out.push((p.start + s, p.start + i, stemma_text::fold_str(&p.text[s..i])));
                    start = None;
                }
                _ => {}
            }
        }
        out
    }
    let (wa, wb) = (words(&a), words(&b));
    let (mut lo, mut hi_a, mut hi_b) = (0, wa.len(), wb.len());
    while lo < hi_a && lo < hi_b && wa[lo].2 == wb[lo].2 {
        lo += 1;
    }
    while hi_a > lo && hi_b > lo && wa[hi_a - 1].2 == wb[hi_b - 1].2 {
        hi_a -= 1;
        hi_b -= 1;
    }
    if (lo == 0 && hi_a == wa.len() && hi_b == wb.len()) || (hi_a == lo && hi_b == lo) {
        return (Some(a), Some(b), at);
    }
    let part = |p: &Piece, w: &[(usize, usize, String)]| -> Option<Piece> {
        let (first, last) = (w.first()?, w.last()?);
        let text = p.text.get(first.0 - p.start..last.1 - p.start)?.to_string();
        Some(Piece { start: first.0, end: last.1, text })
    };
    let at = if hi_a == lo && lo > 0 { wa[lo - 1].1 } else { at };
    (part(&a, &wa[lo..hi_a]), part(&b, &wb[lo..hi_b]), at)
}

/// The word-level edits of `r`, `alone` being its [`alone_sentences`]: the
/// edits inside its passages, and the text between passages that is no
/// sentence one side holds alone (a word next to a dropped sentence, which
/// the passages leave out with it).
fn word_edits<'r>(r: &'r CompareReport, alone: &Alone<'_>) -> Vec<WordEdit<'r>> {
    let spans = |of: &[&stemma_core::SentenceReport]| -> Vec<(usize, usize)> {
        of.iter().map(|s| (s.span.start, s.span.end)).collect()
    };
    let (only_a, only_b) = (spans(&alone.0), spans(&alone.1));
    let mut out = Vec::new();
    // An edit the diff ran across a sentence one side holds alone is
    // several: each part before the last stands alone (a cut, an
    // insertion), the last parts replace one another.
    let mut push = |mut a: Unaligned<'r>,
                    mut b: Unaligned<'r>,
                    at: usize,
                    around: (&'r stemma_core::Span, &'r stemma_core::Span)| {
        let (last_a, last_b) = (a.pop(), b.pop());
        for (piece, a_around) in a {
            out.push(WordEdit { a: Some(piece), b: None, at, a_around, b_around: around.1 });
        }
        for (piece, b_around) in b {
            out.push(WordEdit { a: None, b: Some(piece), at, a_around: around.0, b_around });
        }
        if last_a.is_some() || last_b.is_some() {
            let a_around = last_a.as_ref().map_or(around.0, |l| l.1);
            let b_around = last_b.as_ref().map_or(around.1, |l| l.1);
            let (a, b, at) = match (last_a, last_b) {
                (Some(a), Some(b)) => trim_shared(a.0, b.0, at),
                (a, b) => (a.map(|l| l.0), b.map(|l| l.0), at),
            };
            out.push(WordEdit { a, b, at, a_around, b_around });
        }
    };
    // The ends of the last passage, in A and in B.
    let (mut a_end, mut b_end) = (0, 0);
    for p in &r.passages {
        // Passages that cross in B leave no stretch between them to read.
        if a_end <= p.a.start && b_end <= p.b.start {
            let a = unaligned(&r.a_sentences, (a_end, p.a.start), &only_a);
            let b = unaligned(&r.b_sentences, (b_end, p.b.start), &only_b);
            push_gap(&mut push, a, b, a_end, (&p.a, &p.b));
        }
        let mut last_a = p.a.start;
        for e in &p.edits {
            if e.op != "equal" {
                let around = |s: &Option<stemma_core::Span>, alone: &[(usize, usize)], of: &'r stemma_core::Span| {
                    s.as_ref().map(|s| outside(s, alone).into_iter().map(|x| (x, of)).collect()).unwrap_or_default()
                };
                push(around(&e.a, &only_a, &p.a), around(&e.b, &only_b, &p.b), last_a, (&p.a, &p.b));
            }
            if let Some(a) = &e.a {
                last_a = a.end;
            }
        }
        (a_end, b_end) = (p.a.end, p.b.end);
    }
    // The stretch after the last passage.
    if let Some(p) = r.passages.last() {
        let a = unaligned(&r.a_sentences, (p.a.end, r.a.bytes), &only_a);
        let b = unaligned(&r.b_sentences, (p.b.end, r.b.bytes), &only_b);
        push_gap(&mut push, a, b, p.a.end, (&p.a, &p.b));
    }
    out
}

/// The variants of version B against the reference A of `r`.
fn variants(r: &CompareReport) -> FxHashSet<Variant> {
    let mut out = FxHashSet::default();
    let alone = alone_sentences(r);
    for e in word_edits(r, &alone) {
        match (&e.a, &e.b) {
            (Some(a), Some(b)) => {
                out.insert((0, a.start, a.end, fold_hash(&b.text)));
            }
            (Some(a), None) => {
                out.insert((1, a.start, a.end, 0));
            }
            (None, Some(b)) => {
                out.insert((2, e.at, e.at, fold_hash(&b.text)));
            }
            (None, None) => {}
        }
    }
    // Reference sentences left out, sentences added.
    let (only_a, only_b) = alone;
    for s in only_a {
        out.insert((3, s.span.start, s.span.end, 0));
    }
    for s in only_b {
        out.insert((4, 0, 0, fold_hash(&s.span.text)));
    }
    out
}

/// Whether `word` is a capitalised name word ("Claire", "Jean-Pierre").
fn is_name_word(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().all(|c| c.is_alphabetic() || c == '-')
        && word.chars().filter(|c| c.is_alphabetic()).count() >= 2
}

/// Whether the edit text `words` is a given name before the name that
/// starts `after`, the text right after it ("Claire" before " Vasseur a
/// dit"): a version with only the surname shortened the name. Copies
/// shorten names; one adding a given name back would need a source the
/// family does not have, so a shortening is read like a cut, which never
/// comes back.
fn given_name_before(words: &str, after: &str) -> bool {
    let mut ws = words.split_whitespace();
    let next = after.strip_prefix(' ').and_then(|t| t.split(|c: char| !(c.is_alphabetic() || c == '-')).next());
    ws.next().is_some_and(is_name_word) && ws.all(is_name_word) && next.is_some_and(is_name_word)
}

/// The text of `of` from byte `at` of its document on.
fn after(of: &stemma_core::Span, at: usize) -> &str {
    of.text.get(at.saturating_sub(of.start)..).unwrap_or("")
}

/// Why a variant reads one way only: text once dropped never comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OneWay {
    /// A given name dropped or added before a surname.
    Name,
    /// A sentence or clause dropped or added.
    Text,
}

/// The variants of `r` (see [`variants`]) that read one way only and that
/// their kind and place alone do not tell: a given name dropped (kind 1)
/// or added (kind 2) before a name kept, and an insertion of a clause or
/// more (kind 2, [`MIN_CUT`] bytes or more: the reference's cut).
fn one_way_variants(r: &CompareReport) -> FxHashMap<Variant, OneWay> {
    let mut out = FxHashMap::default();
    for e in word_edits(r, &alone_sentences(r)) {
        match (&e.a, &e.b) {
            (Some(a), None) if given_name_before(&a.text, after(e.a_around, a.end)) => {
                out.insert((1, a.start, a.end, 0), OneWay::Name);
            }
            (None, Some(b)) if given_name_before(&b.text, after(e.b_around, b.end)) => {
                out.insert((2, e.at, e.at, fold_hash(&b.text)), OneWay::Name);
            }
            (None, Some(b)) if b.text.len() >= MIN_CUT => {
                out.insert((2, e.at, e.at, fold_hash(&b.text)), OneWay::Text);
            }
            _ => {}
        }
    }
    out
}

/// Sentences added against `reference`, grouped across versions: a sentence
/// one version added and a copy of it re-worded is one sentence, with two
/// readings. Each added sentence becomes a presence variant
/// `(4, group, 0, 0)` and a reading variant `(5, group, 0, text hash)`.
fn regroup_added(sets: &mut [FxHashSet<Variant>], cmp: &Comparisons, reference: usize) {
    let mut groups: Vec<FxHashSet<String>> = Vec::new();
    let mut group_of: FxHashMap<u64, usize> = FxHashMap::default();
    for v in (0..sets.len()).filter(|&v| v != reference) {
        let Some(r) = cmp.get(reference, v) else { continue };
        for s in alone_sentences(r).1 {
            let hash = fold_hash(&s.span.text);
            if group_of.contains_key(&hash) {
                continue;
            }
            // Its words, for telling a re-worded sentence from a new one.
            let words: FxHashSet<String> = folded_words(&s.span.text).into_iter().collect();
            let similar = |g: &FxHashSet<String>| {
                let common = g.intersection(&words).count();
                2 * common >= g.union(&words).count()
            };
            let g = match groups.iter().position(similar) {
                Some(g) => g,
                None => {
                    groups.push(words);
                    groups.len() - 1
                }
            };
            group_of.insert(hash, g);
        }
    }
    for set in sets.iter_mut() {
        let added: Vec<Variant> = set.iter().filter(|x| x.0 == 4).copied().collect();
        for x in added {
            set.remove(&x);
            if let Some(&g) = group_of.get(&x.3) {
                set.insert((4, g, 0, 0));
                set.insert((5, g, 0, x.3));
            }
        }
    }
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
    fn or_with(&mut self, o: &Bits) {
        self.0.iter_mut().zip(&o.0).for_each(|(a, b)| *a |= b);
    }
    fn subset_of(&self, o: &Bits) -> bool {
        self.0.iter().zip(&o.0).all(|(a, b)| a & !b == 0)
    }
    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.0.len() * 64).filter(|&i| self.has(i))
    }
}

/// A character: the versions carrying a variant, and those whose reading
/// there is unknown (they left out the sentence holding it, or edited that
/// place again).
struct Character {
    carriers: Bits,
    unknown: Bits,
    /// What kind of variant and where it lies in the reference.
    site: (u8, usize, usize),
    /// Whether, and why, the variant reads one way only (a cut, an added
    /// sentence, a shortened name), for rooting.
    one_way: Option<OneWay>,
}

/// Reference ranges a version leaves out (sentences, long cuts): its
/// reading of any variant inside them is unknown.
fn left_out(set: &FxHashSet<Variant>) -> Vec<(usize, usize)> {
    set.iter().filter(|v| v.0 == 3 || (v.0 == 1 && v.2 - v.1 >= 40)).map(|v| (v.1, v.2)).collect()
}

/// The characters of the versions' variants against the reference, with
/// the versions whose reading is unknown.
fn characters(sets: &[FxHashSet<Variant>], n: usize, one_way: &FxHashMap<Variant, OneWay>) -> Vec<Character> {
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
    // One cut, two shapes: a version may leave out a reference sentence
    // whole, or most of it inside a passage; spans that nearly coincide are
    // one character.
    let cut = |v: &Variant| v.0 == 3 || v.0 == 1;
    let same_cut = |a: (usize, usize), b: (usize, usize)| {
        let overlap = a.1.min(b.1).saturating_sub(a.0.max(b.0));
        10 * overlap >= 9 * (a.1 - a.0).max(b.1 - b.0)
    };
    // A place edited again down a lineage: the versions with another
    // reading there say nothing of this one (their copy overwrote it).
    // Places are compared with their ends included: an insertion next to a
    // replacement is the same place edited again. An added sentence is one
    // place whatever its readings.
    let same_place = |a: &Variant, b: &Variant| match (a.0, b.0) {
        (0..=2, 0..=2) => a.1 <= b.2 + 1 && b.1 <= a.2 + 1,
        (5, 5) => a.1 == b.1,
        _ => false,
    };
    // Each version's cuts (spans of the reference it lacks), merged.
    let cuts_of: Vec<Vec<(usize, usize)>> = sets
        .iter()
        .map(|set| {
            let mut spans: Vec<(usize, usize)> = set.iter().filter(|v| cut(v)).map(|v| (v.1, v.2)).collect();
            spans.sort_unstable();
            let mut merged: Vec<(usize, usize)> = Vec::new();
            for (s, e) in spans {
                match merged.last_mut() {
                    Some(last) if s <= last.1 + 1 => last.1 = last.1.max(e),
                    _ => merged.push((s, e)),
                }
            }
            merged
        })
        .collect();
    let presence: FxHashMap<usize, &Bits> = variants.iter().filter(|(v, _)| v.0 == 4).map(|(v, c)| (v.1, c)).collect();
    for (v, c) in &variants {
        // A reading of an added sentence that all its holders share says
        // no more than the sentence's presence.
        if v.0 == 5 && presence.get(&v.1).is_some_and(|p| *p == c) {
            continue;
        }
        let mut carriers = c.clone();
        if cut(v) {
            // Versions whose cuts cover nine tenths of this one, and not
            // much more (a version that dropped the whole sentence around a
            // cut word says nothing of the word), have it too.
            for (x, spans) in cuts_of.iter().enumerate() {
                let touching = spans.iter().filter(|&&(s, e)| s < v.2 && v.1 < e);
                let (covered, extent) =
                    touching.fold((0, 0), |(c, t), &(s, e)| (c + e.min(v.2).saturating_sub(s.max(v.1)), t + (e - s)));
                if 10 * covered >= 9 * (v.2 - v.1) && 4 * extent <= 5 * (v.2 - v.1) {
                    carriers.set(x);
                }
            }
        }
        let mut unknown =
            if v.0 == 4 || v.0 == 5 { Bits::new(n) } else { unknown_at(v.1, v.2.max(v.1 + 1), &carriers) };
        // A version that edited inside a cut kept that text: it does not
        // have the cut (it is not unknown there).
        let inside = |w: &Variant| cut(v) && v.1 <= w.1 && w.2 <= v.2 && w.2 - w.1 < v.2 - v.1;
        for (_, d) in variants.iter().filter(|(w, _)| w != v && same_place(v, w) && !inside(w)) {
            d.iter().filter(|&x| !carriers.has(x)).for_each(|x| unknown.set(x));
        }
        carriers.iter().for_each(|x| unknown.unset(x));
        // The same cut seen twice (whole sentence and inside a passage) is
        // one character.
        if cut(v)
            && out.iter().any(|o| {
                o.carriers == carriers && (o.site.0 == 1 || o.site.0 == 3) && same_cut((v.1, v.2), (o.site.1, o.site.2))
            })
        {
            continue;
        }
        let one_way = match v.0 {
            3 | 4 => Some(OneWay::Text),
            1 if v.2 - v.1 >= MIN_CUT => Some(OneWay::Text),
            _ => one_way.get(v).copied(),
        };
        out.push(Character { carriers, unknown, site: (v.0, v.1, v.2), one_way });
    }
    out
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
    let mut sets = sets;
    regroup_added(&mut sets, cmp, reference);
    let one_way: FxHashMap<Variant, OneWay> =
        (0..n).filter(|&v| v != reference).filter_map(|v| cmp.get(reference, v)).flat_map(one_way_variants).collect();
    let characters = characters(&sets, n, &one_way);

    // 2. The tree of fewest changes over the exact readings (parsimony),
    //    with a lost version wherever the evidence needs one.
    use crate::parsimony::{changes, contract, search, star, without, Adjacency};
    let chars: Vec<crate::parsimony::Char> = characters
        .iter()
        .map(|c| crate::parsimony::Char {
            carriers: (0..n).map(|v| c.carriers.has(v)).collect(),
            unknown: (0..n).map(|v| c.unknown.has(v)).collect(),
        })
        .collect();
    // How much more of each version each other one explains than the
    // reverse (read by the contraction and by every rooting below).
    let towards: Vec<Vec<f64>> =
        (0..n).map(|c| (0..n).map(|v| if v == c { 0.0 } else { direction(cmp, c, v) }).collect()).collect();
    // Of two versions that could be the source at one place: the earlier,
    // then the one containing the others more.
    let containment: Vec<f64> = towards.iter().map(|row| row.iter().sum()).collect();
    let mut preference: Vec<usize> = (0..n).collect();
    preference.sort_by(|&a, &b| {
        let day = |v: usize| meta[v].day.unwrap_or(i64::MAX);
        day(a).cmp(&day(b)).then(containment[b].total_cmp(&containment[a])).then(a.cmp(&b))
    });
    let grow = |start: Adjacency| contract(search(start, n, &chars), n, &chars, &preference);
    let everyone: Vec<usize> = (0..n).collect();
    let full = grow(star(&everyone, n));

    // 3. A contaminated version: a leaf of that tree whose readings two
    //    versions of different lineages explain, place by place, with at
    //    least one change fewer than the tree does once it is taken out;
    //    the most changes saved first, then a merge whose sources each pass
    //    on an innovation, then the tree without the leaf needing the
    //    fewest changes. (Innovations are read against the root of the
    //    tree without the leaf: the rooting above needs no merge; where
    //    several roots read equally well, each is tried, and the merge's
    //    root becomes the family's.) A merge saving no change is taken
    //    when the tree needs a lost version that the merge does not and
    //    its sources each pass on an innovation: it makes as many changes
    //    through as many copy relations, with one version fewer that
    //    nobody has seen.
    let full_cost = changes(&full, n, &chars);
    let lost_versions = |adj: &Adjacency| (n..adj.len()).filter(|&u| !adj[u].is_empty()).count();
    let full_lost = lost_versions(&full);
    // The merge, its ranking key (saves a change, changes saved net of the
    // copy's own, innovations, changes saved), the merged version, the tree
    // of the others and its root.
    type Candidate = (Merge, (bool, f64, bool, f64), usize, Adjacency, usize);
    let mut best: Option<Candidate> = None;
    for x in (0..n).filter(|&x| full.get(x).is_some_and(|a| a.len() == 1)) {
        let members: Vec<usize> = everyone.iter().copied().filter(|&v| v != x).collect();
        let rest = grow(without(&full, x, n));
        let saved = full_cost - changes(&rest, n, &chars);
        let fewer_lost = lost_versions(&rest) < full_lost;
        for root in best_roots(&rest, n, &members, &characters, meta, &towards) {
            let lineage = parents_from(&rest, root);
            let root_state = root_states(&lineage, root, n, &characters);
            for merge in two_sources(x, &members, &root_state, &characters, meta).into_iter().flatten() {
                let gain = saved - merge.unexplained;
                let taken = gain >= 1.0 || (gain >= 0.0 && fewer_lost && merge.innovations);
                let key = (gain >= 1.0, gain, merge.innovations, saved);
                if taken && best.as_ref().is_none_or(|b| key > b.1) {
                    best = Some((merge, key, x, rest.clone(), root));
                }
            }
        }
    }
    let (members, mut adjacent, mixed, merge_root) = match best {
        Some((merge, _, x, rest, root)) => (
            everyone.iter().copied().filter(|&v| v != x).collect(),
            rest,
            Some((x, merge.main, merge.second)),
            Some(root),
        ),
        None => (everyone.clone(), full, None, None),
    };
    let contaminated: Vec<usize> = mixed.iter().map(|m| m.0).collect();
    adjacent.resize(adjacent.len().max(nodes.len()).max(n), Vec::new());
    while nodes.len() < adjacent.len() {
        let id = nodes.len();
        nodes.push(Node { index: id, id: None, kind: "lost".into(), label: String::new() });
    }

    // 4. Root.
    let root = merge_root
        .or_else(|| best_roots(&adjacent, n, &members, &characters, meta, &towards).first().copied())
        .unwrap_or(reference);
    // Readings from here on are changes made since the root.
    // The version the readings are counted against.
    let base = if root < n { root } else { reference };
    let sets: Vec<FxHashSet<Variant>> = if root == reference || root >= n {
        sets
    } else {
        let mut again: Vec<FxHashSet<Variant>> = (0..n).map(|v| var(root, v)).collect();
        regroup_added(&mut again, cmp, root);
        again
    };
    let mut parents = parents_from(&adjacent, root);
    parents.resize(nodes.len(), Vec::new());
    // 5. The contaminated version copies both.
    if let Some((x, main, second)) = mixed {
        parents[x] = vec![main, second];
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
        (0..parents.len()).map(|u| node_readings(u, n, &parents, &sets, &contaminated, base)).collect();

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

/// Shortest cut (in bytes of the reference) read as a cut that is never
/// restored: shorter deletions may be a word a copy dropped or a hedge its
/// source added.
const MIN_CUT: usize = 20;

/// What rooting a dated family anywhere but at its earliest version
/// costs, in sentence cuts: dates give the direction of copying between
/// versions, so the earliest is the source unless a cut says otherwise.
/// Text the earliest lacks and every later version holds was cut by the
/// earliest, or added by a lost version all the later ones copied; both
/// readings cost the same changes, and the first (outlets copying one
/// source the corpus lacks, as the two renditions of the seed dispatch
/// do) is the commoner history of news, so one cut is enough.
const EARLIEST_FIRST: f64 = 0.75;

/// The candidate roots of the undirected tree `adj` (versions `0..n`, lost
/// versions after): the nodes from which the tree reads best as a
/// history, best first.
///
/// - A sentence is dropped once and never comes back (Dollo): the versions
///   lacking a sentence the others have are the copies of one version, so
///   the root lies outside them. So with a clause, and with a given name
///   dropped before a surname (a copy shortens a name; bringing the given
///   name back would take a source the copy does not have). A sentence
///   one version alone holds may be its own addition and says nothing; a
///   full name one version alone keeps does.
/// - Dated versions come after the versions they copy, and a dated family
///   is rooted at its earliest version unless a cut says otherwise
///   ([`EARLIEST_FIRST`]); when several versions share the
///   earliest day, a lost source before them costs nothing.
/// - Then a version rather than a lost one (a lost root is a hypothesis
///   only the evidence should force), but a lost one rather than a version
///   holding a sentence no other version holds (that version more likely
///   added it than all its copies dropped it); then the one containing the
///   other `members` most (`towards[c][v]`: how much more of `v` version
///   `c` explains than the reverse).
///
/// All nodes with the best score for cuts and dates and of the best rank
/// are returned: how much of the others' text a version contains only
/// orders them, for it differs between versions holding the same
/// sentences by their word edits alone, which say nothing of direction.
fn best_roots(
    adj: &[Vec<usize>],
    n: usize,
    members: &[usize],
    characters: &[Character],
    meta: &[VersionMeta],
    towards: &[Vec<f64>],
) -> Vec<usize> {
    let in_tree: Vec<usize> = (0..adj.len()).filter(|&x| !adj[x].is_empty()).collect();
    if in_tree.is_empty() {
        return members.first().copied().into_iter().collect();
    }
    let dated = members.iter().all(|&v| meta[v].day.is_some());
    let earliest = members.iter().filter_map(|&v| meta[v].day).min();
    let several_earliest = members.iter().filter(|&&v| meta[v].day == earliest).count() > 1;
    let mut core = Bits::new(n);
    members.iter().for_each(|&v| core.set(v));
    // Sets of versions that lack a sentence the others have (with those whose
    // reading there is unknown). Text only one version holds says nothing
    // of the root through Dollo (that version added it, or all the others
    // descend from one that dropped it); a sentence only one version holds
    // marks that version as having added it instead (see the rank below).
    // A full name only one version keeps still counts.
    let mut holds_alone = vec![false; n];
    let absences: Vec<(Bits, Bits)> = characters
        .iter()
        .filter(|c| c.one_way.is_some())
        .filter_map(|c| {
            let (carriers, unknown) = (c.carriers.and(&core), c.unknown.and(&core));
            let mut rest = core.clone();
            for v in carriers.iter().chain(unknown.iter()) {
                rest.unset(v);
            }
            let (absent, holders) = if c.site.0 != 4 && c.site.0 != 2 { (carriers, rest) } else { (rest, carriers) };
            if holders.count() == 1 && c.one_way != Some(OneWay::Name) {
                if matches!(c.site.0, 3 | 4) {
                    holders.iter().for_each(|v| holds_alone[v] = true);
                }
                return None;
            }
            (absent.count() > 0 && absent.count() < members.len()).then_some((absent, unknown))
        })
        .collect();
    let containment: Vec<f64> = (0..n).map(|c| members.iter().map(|&v| towards[c][v]).sum()).collect();
    let score = |r: usize| -> (f64, u8, f64) {
        // Parent of each node, rooted at r, and the versions below each.
        let (order, parent) = rooted(adj, r);
        let mut below: Vec<Bits> = vec![Bits::new(n); adj.len()];
        for &x in order.iter().rev() {
            if x < n {
                below[x].set(x);
            }
            if let Some(p) = parent[x] {
                let b = below[x].clone();
                below[p].or_with(&b);
            }
        }
        let mut penalty = 0.0;
        for (absent, unknown) in &absences {
            let mut widest = absent.clone();
            widest.or_with(unknown);
            if !order.iter().any(|&x| absent.subset_of(&below[x]) && below[x].subset_of(&widest)) {
                penalty += 1.0;
            }
        }
        for &x in order.iter().filter(|&&x| x < n) {
            // The nearest version above x.
            let mut p = parent[x];
            while let Some(l) = p.filter(|&l| l >= n) {
                p = parent[l];
            }
            if let Some((dp, dx)) = p.and_then(|p| meta[p].day).zip(meta[x].day) {
                if dp > dx {
                    penalty += 5.0;
                }
            }
        }
        // Several versions of the earliest day: the dates do not say which
        // of them, or a lost version before them, is the source.
        if dated && !(r < n && meta[r].day == earliest) && !(r >= n && several_earliest) {
            penalty += EARLIEST_FIRST;
        }
        // A version first, then a lost one, then a version holding a
        // sentence no other version holds (all its copies would have had to
        // drop it).
        let rank: u8 = if r >= n {
            1
        } else if holds_alone[r] {
            2
        } else {
            0
        };
        let co = if r < n { containment[r] } else { 0.0 };
        (penalty, rank, -co)
    };
    let mut scored: Vec<((f64, u8, f64), usize)> = in_tree.into_iter().map(|r| (score(r), r)).collect();
    scored.sort_by(|(a, x), (b, y)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.total_cmp(&b.2)).then(x.cmp(y)));
    let Some(&((penalty, rank, _), _)) = scored.first() else { return Vec::new() };
    scored.into_iter().filter(|s| s.0 .0 == penalty && s.0 .1 == rank).map(|s| s.1).collect()
}

/// The undirected tree `adj` rooted at `root`: its nodes, parents before
/// children, and the parent of each node (`None` for the root and for
/// nodes outside the tree).
fn rooted(adj: &[Vec<usize>], root: usize) -> (Vec<usize>, Vec<Option<usize>>) {
    let mut parent = vec![None; adj.len().max(root + 1)];
    let mut seen = vec![false; parent.len()];
    seen[root] = true;
    let mut order = vec![root];
    let mut i = 0;
    while let Some(&x) = order.get(i) {
        i += 1;
        for &y in adj.get(x).map_or(&[][..], Vec::as_slice) {
            if !seen[y] {
                seen[y] = true;
                parent[y] = Some(x);
                order.push(y);
            }
        }
    }
    (order, parent)
}

/// The parent of each node of the undirected tree `adj` rooted at `root`
/// (empty for the root and for nodes outside the tree).
fn parents_from(adj: &[Vec<usize>], root: usize) -> Vec<Vec<usize>> {
    rooted(adj, root).1.into_iter().map(|p| p.into_iter().collect()).collect()
}

/// A merge of two sources explaining a version (see [`two_sources`]).
struct Merge {
    /// The version's readings neither source explains (its own changes).
    unexplained: f64,
    /// The source giving more.
    main: usize,
    /// The other source.
    second: usize,
    /// Whether each source passes on an innovation: a reading the family's
    /// source (the root of the tree) is not known to have had.
    innovations: bool,
}

/// The state of each character at `root` of the tree `parents`: a version's
/// own reading; for a lost version, the reading most of its copies have
/// (`None` when they split evenly or none is known).
fn root_states(parents: &[Vec<usize>], root: usize, n: usize, characters: &[Character]) -> Vec<Option<bool>> {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); parents.len().max(root + 1)];
    for (v, ps) in parents.iter().enumerate() {
        ps.iter().for_each(|&p| children[p].push(v));
    }
    fn state(c: &Character, u: usize, n: usize, children: &[Vec<usize>]) -> Option<bool> {
        if u < n {
            return (!c.unknown.has(u)).then(|| c.carriers.has(u));
        }
        let votes: Vec<bool> = children[u].iter().filter_map(|&v| state(c, v, n, children)).collect();
        let carrying = votes.iter().filter(|&&s| s).count();
        (2 * carrying != votes.len()).then_some(2 * carrying > votes.len())
    }
    characters.iter().map(|c| state(c, root, n, &children)).collect()
}

/// The two versions of `members` that best explain version `x` as a
/// merge: at each place `x` reads as one or the other. Neither may be
/// dated after `x`, and each must give `x` a reading the other lacks.
///
/// Returns two answers: the best pair whose sources each give `x` an
/// innovation (a reading that `root_state`, the family's source, lacks:
/// only a reading made since the source is evidence of who copied whom, as
/// stemmatology's shared errors are), and the best pair over all readings.
/// Where the source's reading is unknown (a lost root whose copies split
/// evenly, or a root that left the place out), either reading may be the
/// one made since, and both count.
/// Pairs are ranked by readings unexplained; then by readings one of the
/// two has and `x` lacks (a copy of the true source explains `x` as well,
/// but has changes of its own that `x` would have had to undo); then by how
/// evenly the two share the rest: a merge takes from each in turn.
fn two_sources(
    x: usize,
    members: &[usize],
    root_state: &[Option<bool>],
    characters: &[Character],
    meta: &[VersionMeta],
) -> [Option<Merge>; 2] {
    let state = |c: &Character, v: usize| (!c.unknown.has(v)).then(|| c.carriers.has(v));
    let after = |v: usize| matches!((meta[v].day, meta[x].day), (Some(dv), Some(dx)) if dv > dx);
    // Per kind of answer: the ranking key (readings unexplained, readings
    // unused, imbalance) and the merge.
    type Ranked = ((f64, f64, f64), Merge);
    let mut best: [Option<Ranked>; 2] = [None, None];
    for (i, &a) in members.iter().enumerate() {
        for &b in &members[i + 1..] {
            if after(a) || after(b) {
                continue;
            }
            let (mut neither, mut only_a, mut only_b, mut unused) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
            let (mut new_a, mut new_b) = (false, false);
            for (c, root) in characters.iter().zip(root_state) {
                let Some(sx) = state(c, x) else { continue };
                let innovation = root.is_none_or(|r| r != sx);
                match (state(c, a) == Some(sx), state(c, b) == Some(sx)) {
                    (false, false) => neither += 1.0,
                    (true, false) => {
                        only_a += 1.0;
                        new_a |= innovation;
                    }
                    (false, true) => {
                        only_b += 1.0;
                        new_b |= innovation;
                    }
                    (true, true) => {}
                }
                if !sx && (state(c, a) == Some(true)) != (state(c, b) == Some(true)) {
                    unused += 1.0;
                }
            }
            if only_a < 1.0 || only_b < 1.0 {
                continue;
            }
            let (main, second) = if only_a >= only_b { (a, b) } else { (b, a) };
            let key = (neither, unused, (only_a - only_b).abs());
            let kinds: &[usize] = if new_a && new_b { &[0, 1] } else { &[1] };
            for &k in kinds {
                if best[k].as_ref().is_none_or(|(b, _)| key < *b) {
                    let innovations = k == 0;
                    best[k] = Some((key, Merge { unexplained: neither, main, second, innovations }));
                }
            }
        }
    }
    best.map(|b| b.map(|(_, m)| m))
}

/// The readings (variants against `base`, the version they are counted
/// from) a node carries: a version's own; for a lost version, those all its
/// observed descendants share (contaminated ones aside, and `base` itself,
/// which has none: under a lost root, the readings its lost source had and
/// it changed are those its fellow descendants share).
fn node_readings(
    u: usize,
    n: usize,
    parents: &[Vec<usize>],
    sets: &[FxHashSet<Variant>],
    contaminated: &[usize],
    base: usize,
) -> FxHashSet<Variant> {
    if u < n {
        return sets[u].clone();
    }
    let mut out: Option<FxHashSet<Variant>> = None;
    for v in (0..n).filter(|&v| v != base && !contaminated.contains(&v) && is_ancestor(parents, u, v)) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use stemma_core::{compare, CompareOptions, Document};

    #[test]
    fn a_given_name_dropped_next_to_a_dropped_sentence_is_read() {
        // B replaces a sentence with a paragraph of its own and shortens the
        // name that opens the next sentence ("Vincent Cable" -> "Cable"):
        // the passages leave out the given name with the sentence, and it is
        // a shortened name all the same.
        let head = "The chancellor presented his budget to parliament on Wednesday afternoon. He promised \
                    more money for schools and hospitals over the next three years. Economists said the figures \
                    were built on optimistic forecasts of growth.";
        let dropped = "Mr Letwin accused the chancellor of using fancy statistics to hide the failures of public \
                       services.";
        let tail = "Cable, for the Liberal Democrats, called on Mr Brown to open the books to independent \
                    auditors. The Treasury said the forecasts had been checked by its own economists. Markets \
                    barely moved after the speech, and the pound ended the day slightly higher.";
        let added = "Union leaders welcomed the extra money for hospitals. Teachers' groups asked for a pay rise \
                     on top of it. Business groups, for their part, regretted that no tax cut was offered to \
                     small firms this year. Farmers said nothing in the speech addressed the collapse of milk \
                     prices. Pensioners' associations noted that the winter fuel payment was frozen again. Local \
                     councils warned that social care would run out of money within two years.";
        let a = format!("{head} {dropped} Vincent {tail}");
        let b = format!("{head} {added} {tail}");
        let r = compare(&Document::new("a", a.clone()), &Document::new("b", b), &CompareOptions::default());
        let start = a.find("Vincent").unwrap();
        let cut = (1, start, start + "Vincent".len(), 0);
        assert!(variants(&r).contains(&cut), "{:?}", variants(&r));
        assert_eq!(one_way_variants(&r).get(&cut), Some(&OneWay::Name), "{:#?}", r.passages);
    }

    #[test]
    fn a_replacement_run_over_a_kept_word_is_the_same_reading() {
        // "said the UK" -> "said Britain" against one version, "the UK" ->
        // "Britain" against another: one reading, one place.
        let piece = |start: usize, text: &str| Piece { start, end: start + text.len(), text: text.into() };
        let place = |(a, b, at): (Option<Piece>, Option<Piece>, usize)| {
            (a.map(|a| (a.start, a.end)), b.map(|b| fold_hash(&b.text)), at)
        };
        let wide = place(trim_shared(piece(100, "said the UK"), piece(80, "said Britain"), 99));
        let narrow = place(trim_shared(piece(105, "the UK"), piece(90, "Britain"), 104));
        assert_eq!(wide.0, Some((105, 111)));
        assert_eq!((wide.0, wide.1), (narrow.0, narrow.1));
        // A word added inside a replacement is an insertion after the word
        // before it: "said the UK" -> "said that the UK".
        let (a, b, at) = trim_shared(piece(100, "said the UK"), piece(80, "said that the UK"), 99);
        assert!(a.is_none());
        assert_eq!((b.map(|b| b.text), at), (Some("that".to_string()), 104));
    }

    #[test]
    fn a_sentence_the_passages_hold_is_not_left_out() {
        // B dropped the sentence that closed a quotation, so B's quotation
        // runs on and B's next sentences merge into one: the comparison
        // finds no counterpart for them, though every word is aligned.
        let rest = "The mayor left the hall early. Officials said the plan was ready for a vote. Traders on the \
                    quay fear a loss of custom during the works. The port authority asked for night deliveries. \
                    Residents near the ring road dread the noise of the lorries. Engineers found corrosion in \
                    three girders last autumn. The repair could take four years and cost millions. A public \
                    meeting on the plan will be held at the town hall. The inspection report will be published \
                    on the council's website this week.";
        let a = format!(
            "The council met on Monday. \u{ab} We will go on with the plan. We will not give way to the lobby. \
             \u{bb} {rest}"
        );
        let b = format!("The council met on Monday. \u{ab} We will go on with the plan. {rest}");
        let r = compare(&Document::new("a", a), &Document::new("b", b), &CompareOptions::default());
        let (only_a, _) = alone_sentences(&r);
        let left_out: Vec<&str> = only_a.iter().map(|s| s.span.text.as_str()).collect();
        let quotation = "\u{ab} We will go on with the plan. We will not give way to the lobby. \u{bb}";
        assert_eq!(left_out, [quotation], "{:#?}", r.a_sentences);
    }
}
