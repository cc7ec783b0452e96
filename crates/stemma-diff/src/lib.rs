//! The version diff: what became of each sentence of two versions of a text.
//!
//! Given two prepared texts and their [`Alignment`], every sentence of each
//! version is classified:
//! - `same`: its counterpart says exactly the same words (after folding:
//!   case, accents, typography, number formatting);
//! - `edited`: it maps to one or more counterparts (a re-worded sentence maps
//!   to its counterpart when enough of its content words are shared), with
//!   the word edits between them and the numbers and capitalised names that
//!   changed;
//! - `only_a` / `only_b`: nothing in the other version corresponds.
//!
//! Besides whole sentences, a clause that only one version has inside an
//! edited sentence ("…, ils font du bon boulot (Fabius)") is reported as an
//! "only" span of its own. Numbers are compared across the pair: agreeing in
//! aligned sentences, changed (from what to what), present in both versions
//! elsewhere, or only in one.
//!
//! Everything is symmetric: the diff of (B, A) is the mirror of the diff of
//! (A, B). This crate does no I/O.

#![warn(missing_docs)]

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;
use std::ops::Range;
use stemma_align::{word_edits, Alignment, Edit, EditKind, Prepared};
use stemma_fingerprint::kgram_hash;
use stemma_text::{fold_str, TokenKind};

/// What became of a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Word for word the same as its counterpart.
    Same,
    /// Maps to a counterpart with differences.
    Edited,
    /// Only in this version.
    Only,
}

/// Tuning of the version diff.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffOptions {
    /// A sentence maps to a counterpart when the Dice coefficient of their
    /// content-word stems reaches this.
    pub counterpart_dice: f32,
    /// A clause inside an edited sentence is reported as only in one version
    /// when it holds at least this many content words found nowhere in the
    /// counterpart.
    pub min_only_words: usize,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions { counterpart_dice: 0.3, min_only_words: 3 }
    }
}

/// A changed word or group of words, as byte ranges in both versions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Change {
    /// Byte range in this version.
    pub this: Range<usize>,
    /// Byte range in the other version.
    pub other: Range<usize>,
}

/// The diff of one sentence against the other version.
#[derive(Debug, Clone, PartialEq)]
pub struct SentenceDiff {
    /// Byte range of the sentence.
    pub range: Range<usize>,
    /// Token range of the sentence.
    pub tokens: Range<u32>,
    /// What became of it.
    pub status: Status,
    /// Indices of the counterpart sentences in the other version.
    pub counterparts: Vec<usize>,
    /// Dice similarity with the best counterpart (0 when none).
    pub similarity: f32,
    /// Index of the aligned passage holding the sentence, if any.
    pub passage: Option<usize>,
    /// Word edits from this sentence to its counterparts (token ranges: `a`
    /// in this version, `b` in the other). Empty unless `Edited`.
    pub edits: Vec<Edit>,
    /// Numbers replaced by other numbers.
    pub numbers_changed: Vec<Change>,
    /// Capitalised names replaced by other words.
    pub names_changed: Vec<Change>,
}

/// How a number fares across the two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NumberStatus {
    /// The same value in a sentence and its counterpart.
    Agree,
    /// A different value at the aligned place of the counterpart.
    Changed,
    /// The value appears in both versions, but not in aligned sentences.
    Elsewhere,
    /// Only in version A.
    OnlyA,
    /// Only in version B.
    OnlyB,
}

/// A number finding: a value (or a pair of values when changed) with where it occurs.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberFinding {
    /// How the number fares.
    pub status: NumberStatus,
    /// Canonical value in A (absent for `OnlyB`).
    pub value_a: Option<String>,
    /// Canonical value in B (absent for `OnlyA`).
    pub value_b: Option<String>,
    /// Occurrences in A (byte ranges).
    pub a: Vec<Range<usize>>,
    /// Occurrences in B (byte ranges).
    pub b: Vec<Range<usize>>,
}

/// The whole version diff.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionDiff {
    /// One entry per sentence of A.
    pub a: Vec<SentenceDiff>,
    /// One entry per sentence of B.
    pub b: Vec<SentenceDiff>,
    /// Maximal spans of A that B does not have (whole sentences and clauses), byte ranges.
    pub only_a: Vec<Range<usize>>,
    /// Maximal spans of B that A does not have.
    pub only_b: Vec<Range<usize>>,
    /// Numbers compared across the versions.
    pub numbers: Vec<NumberFinding>,
}

/// Content-word stems of a token range.
fn stem_set(p: &Prepared, r: Range<u32>) -> HashSet<u64> {
    r.filter(|&t| p.content[t as usize]).map(|t| p.stems[t as usize]).collect()
}

fn overlaps(x: &Range<usize>, y: &Range<usize>) -> bool {
    x.start < y.end && y.start < x.end
}

/// Whether two sentences sharing `shared` content stems are one text cut
/// differently: the shorter one (`x_len` or `y_len` stems, four or more)
/// has nine tenths of its stems in the other. A version whose quotation
/// runs on for want of its closing mark reads several sentences as one,
/// whose Dice similarity with each of them is low.
fn held_whole(shared: usize, x_len: usize, y_len: usize) -> bool {
    let shorter = x_len.min(y_len);
    shorter >= 4 && 10 * shared >= 9 * shorter
}

/// Counterparts of every sentence of `x` among the sentences of `y`, looking
/// only inside the aligned passages holding each sentence. Returns, per
/// sentence of `x`: counterparts, best similarity, passage.
fn counterparts(
    x: &Prepared,
    y: &Prepared,
    passages: &[(Range<usize>, Range<usize>)],
    opts: &DiffOptions,
) -> Vec<(Vec<usize>, f32, Option<usize>)> {
    let sets_y: Vec<HashSet<u64>> = y.an.sentence_tokens.iter().map(|r| stem_set(y, r.clone())).collect();
    let mut out = Vec::with_capacity(x.an.sentences.len());
    // Sentences of y per passage, and an inverted index stem -> sentences.
    let per_passage: Vec<Vec<usize>> = passages
        .iter()
        .map(|(_, py)| (0..y.an.sentences.len()).filter(|&j| overlaps(&y.an.sentences[j].range(), py)).collect())
        .collect();
    let index: Vec<HashMap<u64, Vec<usize>>> = per_passage
        .iter()
        .map(|js| {
            let mut m: HashMap<u64, Vec<usize>> = HashMap::default();
            for &j in js {
                for s in &sets_y[j] {
                    m.entry(*s).or_default().push(j);
                }
            }
            m
        })
        .collect();
    // Sentences word for word identical are counterparts wherever they are.
    let seq_key = |p: &Prepared, r: &Range<u32>| -> Option<u64> {
        (!r.is_empty()).then(|| kgram_hash(&r.clone().map(|t| p.an.tokens[t as usize].key).collect::<Vec<u64>>()))
    };
    let mut identical: HashMap<u64, Vec<usize>> = HashMap::default();
    for (j, r) in y.an.sentence_tokens.iter().enumerate() {
        if let Some(k) = seq_key(y, r) {
            identical.entry(k).or_default().push(j);
        }
    }
    for (i, s) in x.an.sentences.iter().enumerate() {
        let set = stem_set(x, x.an.sentence_tokens[i].clone());
        let mut best: Vec<(f32, usize, usize)> = Vec::new(); // (dice, sentence, passage)
        let same: Vec<usize> =
            seq_key(x, &x.an.sentence_tokens[i]).and_then(|k| identical.get(&k)).cloned().unwrap_or_default();
        for (p, (px, _)) in passages.iter().enumerate() {
            if !overlaps(&s.range(), px) {
                continue;
            }
            let mut shared: BTreeMap<usize, u32> = BTreeMap::new();
            for st in &set {
                if let Some(js) = index[p].get(st) {
                    for &j in js {
                        *shared.entry(j).or_default() += 1;
                    }
                }
            }
            for (j, n) in shared {
                let d = 2.0 * n as f32 / (set.len() + sets_y[j].len()) as f32;
                if d >= opts.counterpart_dice || held_whole(n as usize, set.len(), sets_y[j].len()) {
                    best.push((d, j, p));
                }
            }
        }
        // Where the sentence would sit in y if the texts ran in parallel:
        // among equally good candidates, the nearest one wins.
        let expected = i as f64 * y.an.sentences.len() as f64 / x.an.sentences.len().max(1) as f64;
        let distance = |j: usize| ((j as f64 - expected).abs() * 1000.0) as u64;
        if !same.is_empty() {
            // Word for word identical sentences: the nearest one, preferring
            // one inside a passage holding this sentence.
            let in_passage = |j: usize| best.iter().find(|c| c.1 == j).map(|c| c.2);
            let j = *same.iter().min_by_key(|&&j| (in_passage(j).is_none(), distance(j), j)).unwrap_or(&same[0]);
            out.push((vec![j], 1.0, in_passage(j)));
            continue;
        }
        if best.is_empty() {
            out.push((Vec::new(), 0.0, None));
            continue;
        }
        best.sort_by(|a, b| b.0.total_cmp(&a.0).then(distance(a.1).cmp(&distance(b.1))).then(a.1.cmp(&b.1)));
        let (top, _, passage) = best[0];
        // A sentence split in two maps to both halves: keep counterparts
        // nearly as good as the best one.
        let mut cps: Vec<usize> = best.iter().filter(|c| c.0 >= 0.75 * top).map(|c| c.1).collect();
        cps.sort_unstable();
        cps.dedup();
        out.push((cps, top, Some(passage)));
    }
    out
}

fn is_capitalised(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_uppercase)
}

/// Diffs every sentence of `x` against `y`.
fn diff_side(
    x: &Prepared,
    y: &Prepared,
    cps: Vec<(Vec<usize>, f32, Option<usize>)>,
    opts: &DiffOptions,
) -> (Vec<SentenceDiff>, Vec<Range<usize>>) {
    let mut sentences = Vec::with_capacity(cps.len());
    let mut only: Vec<Range<usize>> = Vec::new();
    for (i, (counterparts, similarity, passage)) in cps.into_iter().enumerate() {
        let s = x.an.sentences[i];
        let tokens = x.an.sentence_tokens[i].clone();
        let mut diff = SentenceDiff {
            range: s.range(),
            tokens: tokens.clone(),
            status: Status::Only,
            counterparts,
            similarity,
            passage,
            edits: Vec::new(),
            numbers_changed: Vec::new(),
            names_changed: Vec::new(),
        };
        if diff.counterparts.is_empty() {
            only.push(s.range());
            sentences.push(diff);
            continue;
        }
        let first = diff.counterparts[0];
        let last = diff.counterparts[diff.counterparts.len() - 1];
        let other = y.an.sentence_tokens[first].start..y.an.sentence_tokens[last].end;
        let key = |p: &Prepared, r: Range<u32>| -> Vec<u64> { r.map(|t| p.an.tokens[t as usize].key).collect() };
        if diff.counterparts.len() == 1 && key(x, tokens.clone()) == key(y, other.clone()) {
            diff.status = Status::Same;
            sentences.push(diff);
            continue;
        }
        diff.status = Status::Edited;
        diff.edits = word_edits(x, tokens.clone(), y, other.clone());
        let other_stems = stem_set(y, other.clone());
        let other_numbers: HashSet<u64> = other
            .clone()
            .map(|t| &y.an.tokens[t as usize])
            .filter(|t| t.kind == TokenKind::Number)
            .map(|t| t.key)
            .collect();
        for e in &diff.edits {
            let x_bytes = token_bytes(x, e.a.clone());
            let y_bytes = token_bytes(y, e.b.clone());
            if e.kind == EditKind::Replace {
                let nums_x: Vec<u32> =
                    e.a.clone().filter(|&t| x.an.tokens[t as usize].kind == TokenKind::Number).collect();
                let nums_y: Vec<u32> =
                    e.b.clone().filter(|&t| y.an.tokens[t as usize].kind == TokenKind::Number).collect();
                if !nums_x.is_empty() && nums_x.len() == nums_y.len() {
                    for (tx, ty) in nums_x.iter().zip(&nums_y) {
                        let (ax, by) = (&x.an.tokens[*tx as usize], &y.an.tokens[*ty as usize]);
                        if ax.key != by.key {
                            diff.numbers_changed.push(Change { this: ax.range(), other: by.range() });
                        }
                    }
                }
                let names_x =
                    e.a.clone().any(|t| t != tokens.start && is_capitalised(x.an.tokens[t as usize].as_str(x.text)));
                let names_y = e.b.clone().any(|t| is_capitalised(y.an.tokens[t as usize].as_str(y.text)));
                if names_x && names_y && e.a.len() <= 4 && e.b.len() <= 4 {
                    if let (Some(xr), Some(yr)) = (x_bytes.clone(), y_bytes.clone()) {
                        diff.names_changed.push(Change { this: xr, other: yr });
                    }
                }
            }
            // A clause whose content words are mostly found nowhere in the
            // counterpart, or that brings a number the counterpart lacks, is
            // information only this version has.
            if matches!(e.kind, EditKind::Replace | EditKind::Delete) {
                let content: Vec<u32> = e.a.clone().filter(|&t| x.content[t as usize]).collect();
                let unshared = content.iter().filter(|&&t| !other_stems.contains(&x.stems[t as usize])).count();
                let other_has_number = e.b.clone().any(|t| y.an.tokens[t as usize].kind == TokenKind::Number);
                let new_number = !other_has_number
                    && e.a.clone().any(|t| {
                        let tok = &x.an.tokens[t as usize];
                        tok.kind == TokenKind::Number && !other_numbers.contains(&tok.key)
                    });
                let mostly_new = unshared >= opts.min_only_words && unshared * 10 >= content.len() * 6;
                if mostly_new || new_number {
                    if let Some(r) = x_bytes {
                        only.push(widen_to_punctuation(x.text, r, &s.range()));
                    }
                }
            }
        }
        sentences.push(diff);
    }
    (sentences, merge_spans(x.text, only))
}

/// Byte range covered by a token range (None when empty).
fn token_bytes(p: &Prepared, r: Range<u32>) -> Option<Range<usize>> {
    if r.is_empty() {
        return None;
    }
    Some(p.an.tokens[r.start as usize].start as usize..p.an.tokens[r.end as usize - 1].end as usize)
}

/// Extends a span over the punctuation glued to it ("(Fabius)" rather than
/// "Fabius"), without leaving its sentence.
fn widen_to_punctuation(text: &str, r: Range<usize>, within: &Range<usize>) -> Range<usize> {
    let mut start = r.start;
    for (i, c) in text[within.start..r.start].char_indices().rev() {
        if c.is_whitespace() || c.is_alphanumeric() {
            break;
        }
        start = within.start + i;
    }
    let mut end = r.end;
    for (i, c) in text[r.end..within.end].char_indices() {
        if c.is_whitespace() || c.is_alphanumeric() {
            break;
        }
        end = r.end + i + c.len_utf8();
    }
    start..end
}

/// Sorts spans and merges those separated only by spaces and punctuation.
fn merge_spans(text: &str, mut spans: Vec<Range<usize>>) -> Vec<Range<usize>> {
    spans.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for r in spans {
        if let Some(last) = out.last_mut() {
            let between = text.get(last.end.min(r.start)..r.start).unwrap_or("");
            if r.start <= last.end || !between.chars().any(char::is_alphanumeric) {
                last.end = last.end.max(r.end);
                continue;
            }
        }
        out.push(r);
    }
    out
}

/// Where a value occurs: byte ranges in A, in B.
type Occurrences = (Vec<Range<usize>>, Vec<Range<usize>>);

/// Compares the numbers of the two versions.
fn numbers(a: &Prepared, b: &Prepared, da: &[SentenceDiff], db: &[SentenceDiff]) -> Vec<NumberFinding> {
    let canon = |p: &Prepared, t: usize| -> String {
        let tok = &p.an.tokens[t];
        stemma_text::scan_number(p.text, tok.start as usize, stemma_text::lang::decimal_style(p.an.lang))
            .map_or_else(|| fold_str(tok.as_str(p.text)), |n| n.canonical)
    };
    let mut agree: BTreeMap<String, Occurrences> = BTreeMap::new();
    let mut changed: BTreeMap<(String, String), Occurrences> = BTreeMap::new();
    let mut placed_a: HashSet<usize> = HashSet::default();
    let mut placed_b: HashSet<usize> = HashSet::default();
    // Equal numbers inside aligned sentence pairs agree (seen from A; B's
    // side is symmetric: a sentence of B and its counterpart in A).
    for (x, y, dx, flip) in [(a, b, da, false), (b, a, db, true)] {
        for s in dx.iter().filter(|s| s.status != Status::Only) {
            let other: HashMap<u64, Vec<usize>> = {
                let mut m: HashMap<u64, Vec<usize>> = HashMap::default();
                for &c in &s.counterparts {
                    for t in y.an.sentence_tokens[c].clone() {
                        let tok = &y.an.tokens[t as usize];
                        if tok.kind == TokenKind::Number {
                            m.entry(tok.key).or_default().push(t as usize);
                        }
                    }
                }
                m
            };
            for t in s.tokens.clone() {
                let tok = &x.an.tokens[t as usize];
                if tok.kind != TokenKind::Number {
                    continue;
                }
                if let Some(ys) = other.get(&tok.key) {
                    let entry = agree.entry(canon(x, t as usize)).or_default();
                    let (xs, yss) = if flip { (&mut entry.1, &mut entry.0) } else { (&mut entry.0, &mut entry.1) };
                    xs.push(tok.range());
                    for &yt in ys {
                        yss.push(y.an.tokens[yt].range());
                    }
                    if flip {
                        placed_b.insert(t as usize);
                        placed_a.extend(ys.iter().copied());
                    } else {
                        placed_a.insert(t as usize);
                        placed_b.extend(ys.iter().copied());
                    }
                }
            }
            for ch in &s.numbers_changed {
                let tx = x.an.tokens.partition_point(|k| (k.start as usize) < ch.this.start);
                let ty = y.an.tokens.partition_point(|k| (k.start as usize) < ch.other.start);
                let (va, vb, ra, rb) = if flip {
                    (canon(y, ty), canon(x, tx), ch.other.clone(), ch.this.clone())
                } else {
                    (canon(x, tx), canon(y, ty), ch.this.clone(), ch.other.clone())
                };
                let entry = changed.entry((va, vb)).or_default();
                entry.0.push(ra);
                entry.1.push(rb);
                if flip {
                    placed_b.insert(tx);
                    placed_a.insert(ty);
                } else {
                    placed_a.insert(tx);
                    placed_b.insert(ty);
                }
            }
        }
    }
    let mut out: Vec<NumberFinding> = Vec::new();
    let dedup = |mut v: Vec<Range<usize>>| {
        v.sort_by_key(|r| (r.start, r.end));
        v.dedup();
        v
    };
    for (value, (ra, rb)) in agree {
        out.push(NumberFinding {
            status: NumberStatus::Agree,
            value_a: Some(value.clone()),
            value_b: Some(value),
            a: dedup(ra),
            b: dedup(rb),
        });
    }
    for ((va, vb), (ra, rb)) in changed {
        out.push(NumberFinding {
            status: NumberStatus::Changed,
            value_a: Some(va),
            value_b: Some(vb),
            a: dedup(ra),
            b: dedup(rb),
        });
    }
    // Numbers not placed above: elsewhere in both, or only in one version.
    let mut rest_a: BTreeMap<String, Vec<Range<usize>>> = BTreeMap::new();
    let mut rest_b: BTreeMap<String, Vec<Range<usize>>> = BTreeMap::new();
    for (p, placed, rest) in [(a, &placed_a, &mut rest_a), (b, &placed_b, &mut rest_b)] {
        for (t, tok) in p.an.tokens.iter().enumerate() {
            if tok.kind == TokenKind::Number && !placed.contains(&t) {
                rest.entry(canon(p, t)).or_default().push(tok.range());
            }
        }
    }
    let all_a: HashSet<String> =
        a.an.tokens.iter().enumerate().filter(|(_, t)| t.kind == TokenKind::Number).map(|(i, _)| canon(a, i)).collect();
    let all_b: HashSet<String> =
        b.an.tokens.iter().enumerate().filter(|(_, t)| t.kind == TokenKind::Number).map(|(i, _)| canon(b, i)).collect();
    let mut elsewhere: BTreeMap<String, Occurrences> = BTreeMap::new();
    for (v, ra) in rest_a {
        if all_b.contains(&v) {
            elsewhere.entry(v).or_default().0.extend(ra);
        } else {
            out.push(NumberFinding {
                status: NumberStatus::OnlyA,
                value_a: Some(v),
                value_b: None,
                a: ra,
                b: Vec::new(),
            });
        }
    }
    for (v, rb) in rest_b {
        if all_a.contains(&v) {
            elsewhere.entry(v).or_default().1.extend(rb);
        } else {
            out.push(NumberFinding {
                status: NumberStatus::OnlyB,
                value_a: None,
                value_b: Some(v),
                a: Vec::new(),
                b: rb,
            });
        }
    }
    for (v, (ra, rb)) in elsewhere {
        // Already reported as agreeing: the extra occurrences join that entry.
        if let Some(f) = out.iter_mut().find(|f| f.status == NumberStatus::Agree && f.value_a.as_deref() == Some(&v)) {
            f.a = dedup(f.a.iter().cloned().chain(ra).collect());
            f.b = dedup(f.b.iter().cloned().chain(rb).collect());
            continue;
        }
        out.push(NumberFinding {
            status: NumberStatus::Elsewhere,
            value_a: Some(v.clone()),
            value_b: Some(v),
            a: ra,
            b: rb,
        });
    }
    out.sort_by(|x, y| {
        x.status
            .cmp(&y.status)
            .then(x.a.first().map(|r| r.start).cmp(&y.a.first().map(|r| r.start)))
            .then(x.b.first().map(|r| r.start).cmp(&y.b.first().map(|r| r.start)))
    });
    out
}

/// Diffs two versions given their alignment.
pub fn diff(a: &Prepared, b: &Prepared, alignment: &Alignment, opts: &DiffOptions) -> VersionDiff {
    let spans_ab: Vec<(Range<usize>, Range<usize>)> =
        alignment.passages.iter().map(|p| (p.a.clone(), p.b.clone())).collect();
    let spans_ba: Vec<(Range<usize>, Range<usize>)> = spans_ab.iter().map(|(x, y)| (y.clone(), x.clone())).collect();
    let cps_a = counterparts(a, b, &spans_ab, opts);
    let cps_b = counterparts(b, a, &spans_ba, opts);
    let (da, only_a) = diff_side(a, b, cps_a, opts);
    let (db, only_b) = diff_side(b, a, cps_b, opts);
    let numbers = numbers(a, b, &da, &db);
    VersionDiff { a: da, b: db, only_a, only_b, numbers }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stemma_align::{align_prepared, AlignOptions};
    use stemma_text::Analysis;

    fn run(ta: &str, tb: &str) -> VersionDiff {
        let (aa, ab) = (Analysis::new(ta, None), Analysis::new(tb, None));
        let opts = AlignOptions { min_passage_chars: 40, ..AlignOptions::default() };
        let (pa, pb) = (Prepared::new(ta, &aa, opts.min_unit_words), Prepared::new(tb, &ab, opts.min_unit_words));
        let al = align_prepared(&pa, &pb, &opts);
        diff(&pa, &pb, &al, &DiffOptions::default())
    }

    const A: &str = "The council approved the new budget on Tuesday after a long debate. \
        The mayor said that 1,200 new homes would be built near the river. \
        Residents had protested against the plan for months. \
        The opposition called the vote a disgrace and promised to appeal.";
    const B: &str = "The council approved the new budget on Tuesday after a long debate. \
        The mayor said that 1,500 new homes would be built near the river. \
        Residents had protested against the plan for months. \
        A local bakery also won a prize for its bread this week, the paper reported.";

    #[test]
    fn classifies_sentences_and_numbers() {
        let d = run(A, B);
        let status: Vec<Status> = d.a.iter().map(|s| s.status).collect();
        assert_eq!(status, [Status::Same, Status::Edited, Status::Same, Status::Only]);
        assert_eq!(d.a[1].numbers_changed.len(), 1);
        assert_eq!(&A[d.a[1].numbers_changed[0].this.clone()], "1,200");
        assert_eq!(&B[d.a[1].numbers_changed[0].other.clone()], "1,500");
        let changed: Vec<&NumberFinding> = d.numbers.iter().filter(|n| n.status == NumberStatus::Changed).collect();
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].value_a.as_deref(), Some("1200"));
        assert_eq!(changed[0].value_b.as_deref(), Some("1500"));
        assert!(A[d.only_a[0].clone()].starts_with("The opposition called"));
        assert!(B[d.only_b[0].clone()].starts_with("A local bakery"));
    }

    #[test]
    fn sentences_run_together_in_one_version_are_not_only_in_the_other() {
        // B glues A's sentences together (no space after the full stops, a
        // common scraping fault), so its splitter reads them as one long
        // sentence, much like none of them by Dice: each of A's is still
        // held, word for word, in it.
        let sentences = [
            "The council approved the new budget on Tuesday after a long debate.",
            "The mayor said that 1,200 new homes would be built near the river.",
            "Residents had protested against the plan for months.",
            "The opposition called the vote a disgrace and promised to appeal.",
            "Builders expect the first foundations to be laid in early spring.",
            "A new school and a health centre are planned for the second phase.",
            "Traffic on the river road is expected to double within five years.",
        ];
        let a = sentences.join(" ");
        let b = format!("{} {}", sentences[0], sentences[1..].join(""));
        let d = run(&a, &b);
        assert_eq!(d.b.len(), 2, "{:#?}", d.b);
        assert!(d.a.iter().all(|s| s.status != Status::Only), "{:#?}", d.a);
        assert!(d.only_a.is_empty(), "{:?}", d.only_a);
        assert!(d.b.iter().all(|s| s.status != Status::Only), "{:#?}", d.b);
    }

    #[test]
    fn diff_is_symmetric() {
        let ab = run(A, B);
        let ba = run(B, A);
        assert_eq!(ab.a, ba.b);
        assert_eq!(ab.only_a, ba.only_b);
    }
}
