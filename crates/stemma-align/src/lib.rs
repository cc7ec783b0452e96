//! stemma's passage aligner.
//!
//! Given two analyzed texts, finds every pair of passages that one text
//! shares with the other — several per pair of texts, in any order (moved
//! paragraphs), verbatim or re-worded — with their byte spans in both
//! originals, a similarity score and a word-level edit script.
//!
//! The stages, each in its own module:
//! 1. [`features`]: content words, stems, sentence units, tf-isf vectors;
//! 2. [`seeds`]: unit pairs seeded by exact runs (winnowed fingerprints
//!    chained along diagonals) and by sentence similarity;
//! 3. [`extend`]: seeds clustered into fragments, validated, overlaps and
//!    short fragments dropped;
//! 4. [`edit`]: a word-level alignment of each fragment (anchor chain plus
//!    affine-gap dynamic programming between anchors), whose outermost equal
//!    words give the passage's exact spans.
//!
//! The result does not depend on the order of the arguments: the pair is
//! put in a canonical order before aligning and mirrored back, so
//! `align(A, B)` is exactly `align(B, A)` with the sides swapped. Passages
//! are aligned in parallel (rayon) and collected in order, so the result is
//! the same whatever the number of threads.

#![warn(missing_docs)]

mod edit;
mod extend;
mod features;
mod seeds;

pub use edit::{Edit, EditKind};
pub use features::Prepared;

use features::Vectors;
use rayon::prelude::*;
use std::ops::Range;
use stemma_text::Analysis;

/// Tuning of the aligner. The defaults are the ones measured in
/// BENCHMARKS.md.
#[derive(Debug, Clone, PartialEq)]
pub struct AlignOptions {
    /// Content words per fingerprinted k-gram.
    pub k: usize,
    /// Winnowing window (1 keeps every k-gram, right for comparing two texts).
    pub window: usize,
    /// Fingerprints occurring more often than this in either text are boilerplate, not seeds.
    pub max_occurrences: usize,
    /// An exact run of at least this many content words seeds the units it crosses.
    pub min_run_words: u32,
    /// Sentences with fewer content words are merged with the next one.
    pub min_unit_words: usize,
    /// Cosine threshold for a sentence-similarity seed.
    pub seed_cosine: f32,
    /// Dice threshold for a sentence-similarity seed.
    pub seed_dice: f32,
    /// Largest gap (in units) bridged when clustering seeds.
    pub max_gap: u32,
    /// Smallest gap tried when re-clustering a fragment that failed validation.
    pub min_gap: u32,
    /// A fragment's combined cosine must exceed this.
    pub validation: f32,
    /// Passages shorter than this many characters on either side are dropped.
    pub min_passage_chars: usize,
    /// Fragments this close (in characters) in both texts are merged when the result validates.
    pub merge_chars: usize,
    /// Also look for summaries: a short passage of one text condensing a long one of the other.
    pub summaries: bool,
    /// Largest gap (in units, both sides) when looking for summaries.
    pub summary_gap: u32,
    /// A pair sharing an exact run of this many content words is a copy, not a summary.
    pub verbatim_words: u32,
    /// In summary mode, the long side must be at least this many times the short side.
    pub summary_ratio: usize,
    /// In summary mode, the long side must cover at least this share of its text.
    pub summary_coverage: f64,
    /// Edge sentences of a passage with less than this share of their content
    /// words found on the other side are trimmed off.
    pub trim_fraction: f32,
    /// Inside an edge sentence, a run of more than this many content words not
    /// found on the other side is trimmed off.
    pub max_unshared_words: usize,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions {
            k: 3,
            window: 1,
            max_occurrences: 16,
            min_run_words: 5,
            min_unit_words: 3,
            seed_cosine: 0.33,
            seed_dice: 0.33,
            max_gap: 4,
            min_gap: 0,
            validation: 0.34,
            min_passage_chars: 150,
            merge_chars: 250,
            summaries: true,
            summary_gap: 24,
            verbatim_words: 30,
            summary_ratio: 3,
            summary_coverage: 0.3,
            trim_fraction: 0.2,
            max_unshared_words: 6,
        }
    }
}

/// A pair of passages, one in each text, that say the same thing.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    /// Byte span in A, from the first to the last word aligned with B.
    pub a: Range<usize>,
    /// Byte span in B.
    pub b: Range<usize>,
    /// Token range in A matching `a`.
    pub a_tokens: Range<u32>,
    /// Token range in B matching `b`.
    pub b_tokens: Range<u32>,
    /// Cosine similarity (tf-isf over stems) of the two passages, 0..1.
    pub similarity: f32,
    /// Word-level edit script from A's passage to B's.
    pub edits: Vec<Edit>,
}

impl Passage {
    /// Number of tokens equal in both passages.
    pub fn equal_tokens(&self) -> u32 {
        self.edits.iter().filter(|e| e.kind == EditKind::Equal).map(|e| e.a.len() as u32).sum()
    }

    fn mirrored(&self) -> Passage {
        Passage {
            a: self.b.clone(),
            b: self.a.clone(),
            a_tokens: self.b_tokens.clone(),
            b_tokens: self.a_tokens.clone(),
            similarity: self.similarity,
            edits: self.edits.iter().cloned().map(Edit::mirrored).collect(),
        }
    }
}

/// Everything two texts share.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Alignment {
    /// Shared passages, ordered by their start in A (then in B).
    pub passages: Vec<Passage>,
}

/// Aligns text A with text B (each with its analysis).
pub fn align(text_a: &str, a: &Analysis, text_b: &str, b: &Analysis, opts: &AlignOptions) -> Alignment {
    let pa = Prepared::new(text_a, a, opts.min_unit_words);
    let pb = Prepared::new(text_b, b, opts.min_unit_words);
    align_prepared(&pa, &pb, opts)
}

/// Aligns two prepared texts (prepare them with `opts.min_unit_words`).
/// Texts of different languages (or of an unknown one) are compared without
/// stemming, on French and English function words.
pub fn align_prepared(a: &Prepared, b: &Prepared, opts: &AlignOptions) -> Alignment {
    if a.an.lang != b.an.lang || a.an.lang.is_none() {
        let (na, nb) = (a.language_neutral(opts.min_unit_words), b.language_neutral(opts.min_unit_words));
        return align_same_language(&na, &nb, opts);
    }
    align_same_language(a, b, opts)
}

fn align_same_language(a: &Prepared, b: &Prepared, opts: &AlignOptions) -> Alignment {
    if canonical_swap(a.text, b.text) {
        let swapped = align_oriented(b, a, opts);
        let mut passages: Vec<Passage> = swapped.passages.iter().map(Passage::mirrored).collect();
        passages.sort_by_key(|p| (p.a.start, p.b.start, p.a.end, p.b.end));
        return Alignment { passages };
    }
    align_oriented(a, b, opts)
}

/// The word-level edit script between token range `ra` of A and `rb` of B
/// (anchored exact runs, affine-gap alignment between them). Computed in the
/// canonical order of the pair, so swapping A and B mirrors the result.
pub fn word_edits(a: &Prepared, ra: Range<u32>, b: &Prepared, rb: Range<u32>) -> Vec<Edit> {
    if canonical_swap(a.text, b.text) {
        return edit::edit_script(b, rb, a, ra).into_iter().map(Edit::mirrored).collect();
    }
    edit::edit_script(a, ra, b, rb)
}

/// Whether the pair must be swapped into canonical order (shorter text
/// first, then by content hash), so that the result does not depend on the
/// order of the arguments.
pub fn canonical_swap(a: &str, b: &str) -> bool {
    use xxhash_rust::xxh3::xxh3_64;
    (b.len(), xxh3_64(b.as_bytes())) < (a.len(), xxh3_64(a.as_bytes()))
}

fn align_oriented(sa: &Prepared, sb: &Prepared, opts: &AlignOptions) -> Alignment {
    if sa.units.is_empty() || sb.units.is_empty() {
        return Alignment::default();
    }
    let vectors = Vectors::new(sa, sb);
    let (pos_a, keys_a) = seeds::content_keys(sa);
    let (pos_b, keys_b) = seeds::content_keys(sb);
    let runs = seeds::exact_runs(&keys_a, &keys_b, opts);
    let mut all_seeds = seeds::similarity_seeds(&vectors, opts);
    all_seeds.extend(seeds::run_seeds(&runs, &pos_a, &pos_b, sa, sb, opts.min_run_words));
    all_seeds.sort_unstable();
    all_seeds.dedup();

    let ext = extend::Extender { vectors: &vectors, validation: opts.validation, min_gap: opts.min_gap };
    let mut frags = ext.extend(all_seeds.clone(), opts.max_gap, opts.max_gap);
    if opts.summaries {
        frags = with_summaries(frags, &all_seeds, &runs, sa, sb, &ext, opts);
    }
    let gap_chars = |x: &Range<u32>, y: &Range<u32>, in_a: bool| -> usize {
        let side = if in_a { &sa } else { &sb };
        let from = side.units[x.end as usize - 1].bytes.end;
        let to = side.units[y.start as usize].bytes.start;
        side.text.get(from..to).map_or(usize::MAX, |t| t.chars().count())
    };
    let frags = extend::merge_close(frags, gap_chars, opts.merge_chars, &ext);
    let size = |f: &extend::Fragment| -> f32 {
        let ta = sa.units[f.ua.start as usize].tokens.start..sa.units[f.ua.end as usize - 1].tokens.end;
        let tb = sb.units[f.ub.start as usize].tokens.start..sb.units[f.ub.end as usize - 1].tokens.end;
        (ta.len() + tb.len()) as f32
    };
    let frags = extend::resolve_overlaps(frags, |f| f.sim * size(f).ln_1p(), (opts.max_gap, opts.max_gap), &ext);

    let passages: Vec<Vec<Passage>> = frags
        .par_iter()
        .map(|f| {
            let ra = sa.units[f.ua.start as usize].tokens.start..sa.units[f.ua.end as usize - 1].tokens.end;
            let rb = sb.units[f.ub.start as usize].tokens.start..sb.units[f.ub.end as usize - 1].tokens.end;
            passages_from(sa, ra, sb, rb, f.sim, f.summary, opts)
        })
        .collect();
    Alignment { passages: passages.into_iter().flatten().collect() }
}

/// Decides, for the whole pair, whether one text summarizes the other (as
/// Sanchez-Perez et al. 2015 do): unless the pair shares a long verbatim run,
/// seeds are clustered again with a wide gap on both sides, and if the
/// fragments found that way are together at least three times longer on one
/// side than on the other, they replace the ordinary fragments.
fn with_summaries(
    frags: Vec<extend::Fragment>,
    seeds: &[seeds::Seed],
    runs: &[seeds::Run],
    sa: &Prepared,
    sb: &Prepared,
    ext: &extend::Extender,
    opts: &AlignOptions,
) -> Vec<extend::Fragment> {
    if runs.iter().any(|r| r.len >= opts.verbatim_words) {
        return frags;
    }
    let chars = |side: &Prepared, r: &Range<u32>| -> usize {
        side.units[r.end as usize - 1].bytes.end - side.units[r.start as usize].bytes.start
    };
    let ratio = opts.summary_ratio;
    let wide = opts.summary_gap;
    let mut best: Option<(f64, Vec<extend::Fragment>)> = None;
    for (gap_a, gap_b) in [(opts.max_gap, wide), (wide, opts.max_gap)] {
        let summary = ext.extend(seeds.to_vec(), gap_a, gap_b);
        let summary = extend::resolve_overlaps(summary, |f| f.sim, (gap_a, gap_b), ext);
        let (sum_a, sum_b) =
            summary.iter().fold((0usize, 0usize), |(x, y), f| (x + chars(sa, &f.ua), y + chars(sb, &f.ub)));
        let (short, long) = if gap_b > gap_a { (sum_a, sum_b) } else { (sum_b, sum_a) };
        let long_doc = if gap_b > gap_a { sb.text.len() } else { sa.text.len() };
        if short > 0 && long >= ratio * short && long as f64 >= opts.summary_coverage * long_doc as f64 {
            let r = long as f64 / short as f64;
            if best.as_ref().is_none_or(|(br, _)| r > *br) {
                best = Some((r, summary));
            }
        }
    }
    best.map_or(frags, |(_, mut s)| {
        s.iter_mut().for_each(|f| f.summary = true);
        s
    })
}

/// The part of the run `r` outside the group `g` (token ranges in A and in
/// B), if five tokens or more of it are left on one side of the group.
fn clip_run(r: edit::Anchor, (ga, gb): &(Range<u32>, Range<u32>)) -> Option<edit::Anchor> {
    let (a_end, b_end) = (r.a + r.len, r.b + r.len);
    let (in_a, in_b) = (r.a < ga.end && ga.start < a_end, r.b < gb.end && gb.start < b_end);
    if !in_a && !in_b {
        return Some(r);
    }
    // Before the group: up to where it starts in either text.
    let before = (ga.start.saturating_sub(r.a)).min(gb.start.saturating_sub(r.b)).min(r.len);
    // After it: from where it ends in both texts.
    let skip = (ga.end.saturating_sub(r.a)).max(gb.end.saturating_sub(r.b));
    let after = r.len.saturating_sub(skip);
    if before >= after && before >= 5 {
        Some(edit::Anchor { a: r.a, b: r.b, len: before })
    } else if after >= 5 {
        Some(edit::Anchor { a: r.a + skip, b: r.b + skip, len: after })
    } else {
        None
    }
}

/// Turns a fragment into passages: trimmed to the outermost content words
/// that occur on the other side (trimming by occurrence rather than by the
/// monotone edit script keeps sentences re-ordered inside the passage), and,
/// when the fragment is mostly verbatim, cut along its long exact runs: each
/// group of runs in the same order becomes a passage, so that two copied
/// blocks swapped around, or a block copied twice, are reported as such
/// rather than as one passage spanning both.
fn passages_from(
    sa: &Prepared,
    ra: Range<u32>,
    sb: &Prepared,
    rb: Range<u32>,
    sim: f32,
    summary: bool,
    opts: &AlignOptions,
) -> Vec<Passage> {
    if ra.is_empty() || rb.is_empty() {
        return Vec::new();
    }
    // The length bound applies to the fragment's whole sentences, before trimming.
    let span_chars = |side: &Prepared, r: &Range<u32>| -> usize {
        let bytes = side.an.tokens[r.start as usize].start as usize..side.an.tokens[r.end as usize - 1].end as usize;
        side.text[bytes].chars().count()
    };
    if span_chars(sa, &ra).min(span_chars(sb, &rb)) < opts.min_passage_chars {
        return Vec::new();
    }
    let (Some(a_tokens), Some(b_tokens)) =
        (trim_to_shared(sa, ra.clone(), sb, rb.clone()), trim_to_shared(sb, rb.clone(), sa, ra.clone()))
    else {
        return Vec::new();
    };
    let mut runs: Vec<edit::Anchor> =
        edit::exact_runs(sa, ra.clone(), sb, rb.clone()).into_iter().filter(|r| r.len >= 5).collect();
    let covered: u32 = runs.iter().map(|r| r.len).sum();
    let shorter = a_tokens.len().min(b_tokens.len()) as u32;
    let mut spans: Vec<(Range<u32>, Range<u32>)> = Vec::new();
    if !summary && !runs.is_empty() && 10 * covered >= 8 * shorter {
        // Heaviest in-order chain of runs first, cut where it jumps; then
        // the same with the runs left over (a block copied twice).
        let max_jump = 50;
        for _ in 0..4 {
            let chain = edit::chain(&runs);
            let Some(first) = chain.first() else { break };
            let mut ga = first.a..first.a + first.len;
            let mut gb = first.b..first.b + first.len;
            let mut groups = Vec::new();
            for r in &chain[1..] {
                if r.a - ga.end > max_jump || r.b - gb.end > max_jump {
                    groups.push((ga.clone(), gb.clone()));
                    ga = r.a..r.a;
                    gb = r.b..r.b;
                }
                ga.end = r.a + r.len;
                gb.end = r.b + r.len;
            }
            groups.push((ga, gb));
            // A run overlapping a group keeps its part outside it: a run
            // extended over words repeated at the start of the next one
            // ("… reforms, Mr Brown told …" / "… reforms. Mr Brown said …")
            // overlaps the chain by those words only, and dropping it
            // whole lost the text before them.
            runs = runs.iter().filter_map(|r| groups.iter().try_fold(*r, clip_run)).collect();
            spans.extend(groups);
            if runs.iter().map(|r| r.len).sum::<u32>() < 20 {
                break;
            }
        }
        spans.sort_by_key(|(a, b)| (a.start, b.start));
    } else {
        let ta = trim_sentences(sa, ra.clone(), sb, rb.clone(), opts);
        let tb = trim_sentences(sb, rb.clone(), sa, ra.clone(), opts);
        if let (Some(ta), Some(tb)) = (ta, tb) {
            spans.push((ta, tb));
        }
    }
    spans
        .into_iter()
        .filter(|(ta, tb)| spans_chars_ok(sa, ta, sb, tb, opts))
        .map(|(a_tokens, b_tokens)| {
            let a = sa.an.tokens[a_tokens.start as usize].start as usize
                ..sa.an.tokens[a_tokens.end as usize - 1].end as usize;
            let b = sb.an.tokens[b_tokens.start as usize].start as usize
                ..sb.an.tokens[b_tokens.end as usize - 1].end as usize;
            let edits = edit::edit_script(sa, a_tokens.clone(), sb, b_tokens.clone());
            Passage { a, b, a_tokens, b_tokens, similarity: sim, edits }
        })
        .collect()
}

/// Whether a verbatim group is long enough to stand as a passage of its own.
fn spans_chars_ok(sa: &Prepared, ta: &Range<u32>, sb: &Prepared, tb: &Range<u32>, opts: &AlignOptions) -> bool {
    let len = |side: &Prepared, r: &Range<u32>| {
        side.text[side.an.tokens[r.start as usize].start as usize..side.an.tokens[r.end as usize - 1].end as usize]
            .chars()
            .count()
    };
    len(sa, ta).min(len(sb, tb)) >= opts.min_passage_chars / 2
}

/// The part of `r` (tokens of `x`) from the first to the last sentence in
/// which at least `opts.trim_fraction` of the content words have their stem among the
/// content words of `other` (tokens of `y`). Whole sentences are kept:
/// a re-worded sentence rarely starts or ends with a shared word.
fn trim_sentences(
    x: &Prepared,
    r: Range<u32>,
    y: &Prepared,
    other: Range<u32>,
    opts: &AlignOptions,
) -> Option<Range<u32>> {
    let frac = opts.trim_fraction;
    let stems: rustc_hash::FxHashSet<u64> =
        other.clone().filter(|&t| y.content[t as usize]).map(|t| y.stems[t as usize]).collect();
    let first_s = x.an.sentence_of(r.start as usize);
    let last_s = x.an.sentence_of(r.end as usize - 1);
    let good = |si: usize| -> bool {
        let tr = &x.an.sentence_tokens[si];
        let (lo, hi) = (tr.start.max(r.start), tr.end.min(r.end));
        let content: Vec<u32> = (lo..hi).filter(|&t| x.content[t as usize]).collect();
        let shared = content.iter().filter(|&&t| stems.contains(&x.stems[t as usize])).count();
        !content.is_empty() && shared as f32 >= frac * content.len() as f32
    };
    let first = (first_s..=last_s).find(|&si| good(si))?;
    let last = (first_s..=last_s).rev().find(|&si| good(si))?;
    let mut start = x.an.sentence_tokens[first].start.max(r.start);
    let mut end = x.an.sentence_tokens[last].end.min(r.end);
    // Inside the edge sentences, a long run of words that are not shared
    // (a clause glued on by a missing full stop) is cut off; a short one is
    // kept, as re-worded sentences rarely start on a shared word.
    let max_unshared = opts.max_unshared_words;
    let shared = |t: u32| x.content[t as usize] && stems.contains(&x.stems[t as usize]);
    if let Some(f) = (start..end).find(|&t| shared(t)) {
        if (start..f).filter(|&t| x.content[t as usize]).count() > max_unshared {
            start = f;
        }
    }
    if let Some(l) = (start..end).rev().find(|&t| shared(t)) {
        if (l + 1..end).filter(|&t| x.content[t as usize]).count() > max_unshared {
            end = l + 1;
        }
    }
    (start < end).then_some(start..end)
}

/// The part of `r` (tokens of `x`) from the first to the last content word
/// whose stem occurs among the content words of `other` (tokens of `y`).
fn trim_to_shared(x: &Prepared, r: Range<u32>, y: &Prepared, other: Range<u32>) -> Option<Range<u32>> {
    let stems: rustc_hash::FxHashSet<u64> =
        other.clone().filter(|&t| y.content[t as usize]).map(|t| y.stems[t as usize]).collect();
    let shared = |t: &u32| x.content[*t as usize] && stems.contains(&x.stems[*t as usize]);
    let first = r.clone().find(shared)?;
    let last = r.rev().find(shared)?;
    Some(first..last + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(a: &str, b: &str) -> Alignment {
        align(a, &Analysis::new(a, None), b, &Analysis::new(b, None), &AlignOptions::default())
    }

    const STORY: &str = "The committee met on Tuesday to discuss the new budget for the coming year. \
        Members argued for hours about the cost of the bridge over the river. \
        The chairman said that the final vote would take place next month. \
        Local residents have protested against the plan since last spring.";

    #[test]
    fn finds_a_passage_moved_into_another_text() {
        let a = format!("Completely unrelated opening words about gardening and tomatoes in summer. {STORY} And a closing remark on the weather, which was sunny.");
        let b = format!("A different preface on sports results and the football league standings. {STORY}");
        let al = run(&a, &b);
        assert_eq!(al.passages.len(), 1, "{al:?}");
        let p = &al.passages[0];
        assert!(a[p.a.clone()].starts_with("The committee met"), "{:?}", &a[p.a.clone()]);
        assert!(a[p.a.clone()].ends_with("since last spring"));
        assert!(b[p.b.clone()].starts_with("The committee met"));
    }

    #[test]
    fn a_copy_cutting_a_clause_before_repeated_words_keeps_its_opening_passage() {
        // B cut ", the chancellor told the morning programme" before "The
        // chancellor said": the exact run from the start extends over "the
        // chancellor" into the next sentence's run. That overlap must not
        // cost the whole opening its passage.
        let head = "The council approved the new budget on Tuesday after a long and bitter debate in the chamber. \
                    The union argued that two agendas were battling against each other because it was trying \
                    to resist the planned reforms";
        let rest = "The chancellor said he could not rely on the union's judgement on this matter at all. \
                    He added that the cabinet was united behind the plan and that the reforms would go ahead. \
                    Officials said the first changes would be made in the spring, after talks with staff.";
        let a = format!("{head}, the chancellor told the morning programme. {rest}");
        let b = format!("{head}. {rest}");
        let al = run(&a, &b);
        let first = al.passages.iter().min_by_key(|p| p.a.start).expect("a passage");
        assert_eq!(first.a.start, 0, "{al:?}");
        assert!(al.passages.iter().any(|p| a[p.a.clone()].contains("cabinet was united")), "{al:?}");
    }

    #[test]
    fn mirrors_when_swapped() {
        let a = format!("Opening words on gardening. {STORY}");
        let b = format!("{STORY} Members of the public may attend the vote.");
        let ab = run(&a, &b);
        let ba = run(&b, &a);
        let mirrored: Vec<Passage> = ba.passages.iter().map(Passage::mirrored).collect();
        assert_eq!(ab.passages, mirrored);
    }

    #[test]
    fn unrelated_texts_share_nothing() {
        let b = "Recipes for tomato soup need ripe tomatoes, garlic, olive oil and basil from the garden. \
                 Simmer everything for twenty minutes, then blend until smooth and season to taste.";
        assert!(run(STORY, b).passages.is_empty());
    }
}
