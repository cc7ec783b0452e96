//! What the aligner derives from each text before comparing: content-word
//! flags, stemmed keys, sentence units and their weighted term vectors.

use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;
use stemma_text::{fold_str, is_stopword, stem_keys, Analysis, TokenKind};

/// A comparison unit: one sentence, or a run of very short sentences merged
/// with the next one (a lone "Défections." carries too little to be compared
/// on its own).
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    /// Token range.
    pub tokens: Range<u32>,
    /// Byte range in the original text (first sentence start to last sentence end).
    pub bytes: Range<usize>,
}

/// A text prepared for alignment: its analysis plus what the aligner and
/// the version diff need per token (stems, content-word flags) and the
/// sentence units compared.
pub struct Prepared<'a> {
    /// The original text.
    pub text: &'a str,
    /// Its analysis (tokens, sentences, language).
    pub an: &'a Analysis,
    /// Stem key per token.
    pub stems: Vec<u64>,
    /// Whether each token is a content word (not a function word) or a number.
    pub content: Vec<bool>,
    pub(crate) units: Vec<Unit>,
    /// Unit index per token.
    pub(crate) unit_of: Vec<u32>,
}

impl<'a> Prepared<'a> {
    /// Prepares `text` (analyzed as `an`); sentences with fewer than
    /// `min_unit_words` content words are merged with the next one.
    pub fn new(text: &'a str, an: &'a Analysis, min_unit_words: usize) -> Self {
        Self::with_language(text, an, min_unit_words, an.lang, true)
    }

    /// The same text prepared without language-specific stems and with the
    /// function words of French and English: what two texts of different
    /// (or unknown) languages can be compared on, since the same words
    /// stemmed by two different stemmers would not match.
    pub fn language_neutral(&self, min_unit_words: usize) -> Prepared<'a> {
        Self::with_language(self.text, self.an, min_unit_words, None, false)
    }

    fn with_language(
        text: &'a str,
        an: &'a Analysis,
        min_unit_words: usize,
        lang: Option<stemma_text::Lang>,
        stem: bool,
    ) -> Self {
        let stems = if stem { stem_keys(text, &an.tokens, lang) } else { stem_keys(text, &an.tokens, None) };
        // Function-word look-ups once per distinct word.
        let mut memo: HashMap<u64, bool> =
            HashMap::with_capacity_and_hasher(an.tokens.len() / 4 + 16, Default::default());
        let content: Vec<bool> = an
            .tokens
            .iter()
            .map(|t| match t.kind {
                TokenKind::Number => true,
                TokenKind::Word => *memo.entry(t.key).or_insert_with(|| {
                    let folded = fold_str(t.as_str(text));
                    folded.chars().count() > 1 && !is_stopword(&folded, lang)
                }),
            })
            .collect();
        let units = build_units(an, &content, min_unit_words);
        let mut unit_of = vec![0u32; an.tokens.len()];
        for (u, unit) in units.iter().enumerate() {
            for t in unit.tokens.clone() {
                unit_of[t as usize] = u as u32;
            }
        }
        Prepared { text, an, stems, content, units, unit_of }
    }
}

/// Sentences longer than this many tokens are cut into pieces (a page of
/// markup or a list without punctuation is not one sentence, and a huge
/// unit would make every passage it touches huge).
const MAX_UNIT_TOKENS: usize = 80;

/// Sentences as (byte range, token range), long ones cut into balanced pieces.
fn bounded_sentences(an: &Analysis) -> Vec<(Range<usize>, Range<u32>)> {
    let mut out = Vec::with_capacity(an.sentences.len());
    for (s, toks) in an.sentences.iter().zip(&an.sentence_tokens) {
        let n = toks.len();
        if n <= MAX_UNIT_TOKENS {
            out.push((s.start as usize..s.end as usize, toks.clone()));
            continue;
        }
        let pieces = n.div_ceil(MAX_UNIT_TOKENS / 2 + MAX_UNIT_TOKENS / 4);
        let mut start_tok = toks.start as usize;
        let mut start_byte = s.start as usize;
        for p in 1..=pieces {
            let end_tok = toks.start as usize + n * p / pieces;
            let end_byte = if p == pieces { s.end as usize } else { an.tokens[end_tok - 1].end as usize };
            out.push((start_byte..end_byte, start_tok as u32..end_tok as u32));
            start_tok = end_tok;
            start_byte = if end_tok < an.tokens.len() { an.tokens[end_tok].start as usize } else { end_byte };
        }
    }
    out
}

fn build_units(an: &Analysis, content: &[bool], min_words: usize) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::with_capacity(an.sentences.len());
    let mut pending: Option<Unit> = None;
    for (bytes, toks) in bounded_sentences(an) {
        let unit = match pending.take() {
            Some(p) => Unit { tokens: p.tokens.start..toks.end, bytes: p.bytes.start..bytes.end },
            None => Unit { tokens: toks, bytes },
        };
        let words = content[unit.tokens.start as usize..unit.tokens.end as usize].iter().filter(|c| **c).count();
        if words < min_words {
            pending = Some(unit);
        } else {
            units.push(unit);
        }
    }
    if let Some(p) = pending {
        match units.last_mut() {
            Some(last) => {
                last.tokens.end = p.tokens.end;
                last.bytes.end = p.bytes.end;
            }
            None => units.push(p),
        }
    }
    units
}

/// Sparse weighted term vectors of the units of both sides, over one
/// vocabulary of stems, weighted by tf × isf (inverse unit frequency over
/// both texts, so that words frequent in this pair count less).
pub(crate) struct Vectors {
    /// Per unit of A: (term, weight), sorted by term.
    pub a: Vec<Vec<(u32, f32)>>,
    /// Per unit of B.
    pub b: Vec<Vec<(u32, f32)>>,
    pub norm_a: Vec<f32>,
    pub norm_b: Vec<f32>,
    /// Inverse unit frequency per term.
    pub isf: Vec<f32>,
}

fn unit_terms(side: &Prepared, unit: &Unit, vocab: &mut HashMap<u64, u32>) -> Vec<(u32, f32)> {
    let mut terms: Vec<(u32, f32)> = Vec::with_capacity(unit.tokens.len());
    for t in unit.tokens.clone() {
        let t = t as usize;
        if !side.content[t] {
            continue;
        }
        let next = vocab.len() as u32;
        let id = *vocab.entry(side.stems[t]).or_insert(next);
        terms.push((id, 1.0));
    }
    merge_terms(terms)
}

/// Sorts (term, weight) pairs by term and adds up the weights of equal terms.
fn merge_terms(mut terms: Vec<(u32, f32)>) -> Vec<(u32, f32)> {
    terms.sort_unstable_by_key(|x| x.0);
    let mut merged: Vec<(u32, f32)> = Vec::with_capacity(terms.len());
    for (id, w) in terms {
        match merged.last_mut() {
            Some(last) if last.0 == id => last.1 += w,
            _ => merged.push((id, w)),
        }
    }
    merged
}

impl Vectors {
    pub fn new(a: &Prepared, b: &Prepared) -> Self {
        let mut vocab: HashMap<u64, u32> = HashMap::default();
        let mut va: Vec<Vec<(u32, f32)>> = a.units.iter().map(|u| unit_terms(a, u, &mut vocab)).collect();
        let mut vb: Vec<Vec<(u32, f32)>> = b.units.iter().map(|u| unit_terms(b, u, &mut vocab)).collect();
        let mut sf = vec![0u32; vocab.len()];
        for v in va.iter().chain(&vb) {
            for (id, _) in v {
                sf[*id as usize] += 1;
            }
        }
        let n = (va.len() + vb.len()).max(1) as f32;
        let isf: Vec<f32> = sf.iter().map(|&f| (n / f.max(1) as f32).ln().max(0.0) + 0.1).collect();
        let weigh = |vs: &mut Vec<Vec<(u32, f32)>>| -> Vec<f32> {
            vs.iter_mut()
                .map(|v| {
                    let mut norm = 0.0f32;
                    for (id, w) in v.iter_mut() {
                        *w *= isf[*id as usize];
                        norm += *w * *w;
                    }
                    norm.sqrt()
                })
                .collect()
        };
        let norm_a = weigh(&mut va);
        let norm_b = weigh(&mut vb);
        Vectors { a: va, b: vb, norm_a, norm_b, isf }
    }
}

/// Cosine similarity of two sparse vectors sorted by term.
pub(crate) fn cosine(x: &[(u32, f32)], y: &[(u32, f32)]) -> f32 {
    let (mut i, mut j) = (0, 0);
    let (mut dot, mut nx, mut ny) = (0.0f32, 0.0f32, 0.0f32);
    for (_, w) in x {
        nx += w * w;
    }
    for (_, w) in y {
        ny += w * w;
    }
    while i < x.len() && j < y.len() {
        match x[i].0.cmp(&y[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += x[i].1 * y[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    if nx == 0.0 || ny == 0.0 {
        0.0
    } else {
        dot / (nx.sqrt() * ny.sqrt())
    }
}

/// Sum of the vectors of a range of units.
pub(crate) fn sum_vectors(vs: &[Vec<(u32, f32)>], range: Range<usize>) -> Vec<(u32, f32)> {
    merge_terms(vs[range].iter().flatten().copied().collect())
}
