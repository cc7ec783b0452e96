//! The comparison report: the one model the CLI, the web app and the JSON
//! API all render, so that they never disagree.
//!
//! Schema `stemma.compare`, version [`COMPARE_SCHEMA_VERSION`]. Every span
//! is a byte range (`start`, `end`) into the original UTF-8 text of its
//! version, with the text it covers. Fields are only ever added within a
//! schema version; a change of meaning or a removal bumps the version.
//! docs/json-schema.md documents every field.

use serde::{Deserialize, Serialize};

/// Version of the `stemma.compare` JSON schema.
pub const COMPARE_SCHEMA_VERSION: u32 = 1;

/// A byte range of one version's original text, with the text it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset just past the last byte.
    pub end: usize,
    /// The text of the span.
    pub text: String,
}

impl Span {
    /// The span of `range` in `text`.
    pub fn of(text: &str, range: std::ops::Range<usize>) -> Span {
        Span { start: range.start, end: range.end, text: text[range].to_string() }
    }
}

/// One version as described in a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionInfo {
    /// Document id (the file name for files).
    pub id: String,
    /// Title, when the input gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Publication date, when the input gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// URL, when the input gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Language code, given or identified (absent when unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Length of the text in bytes.
    pub bytes: usize,
    /// Number of words and numbers.
    pub words: usize,
    /// Number of sentences.
    pub sentences: usize,
}

/// Sentence counts by status for one version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentenceCounts {
    /// Word for word in the other version.
    pub same: usize,
    /// Re-worded or altered counterpart in the other version.
    pub edited: usize,
    /// Only in this version.
    pub only: usize,
}

/// Number findings by status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberCounts {
    /// Same value at aligned places.
    pub agree: usize,
    /// Different value at aligned places.
    pub changed: usize,
    /// In both versions, not at aligned places.
    pub elsewhere: usize,
    /// Only in A.
    pub only_a: usize,
    /// Only in B.
    pub only_b: usize,
}

/// The headline figures of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Whether the versions share anything (at least one passage).
    pub related: bool,
    /// Number of shared passages.
    pub passages: usize,
    /// Share of A's words in sentences that have a counterpart in B (0..1).
    pub a_shared: f64,
    /// Share of B's words in sentences that have a counterpart in A (0..1).
    pub b_shared: f64,
    /// Sentence counts of A.
    pub a_sentences: SentenceCounts,
    /// Sentence counts of B.
    pub b_sentences: SentenceCounts,
    /// Number findings.
    pub numbers: NumberCounts,
}

/// One step of a word-level edit script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditOp {
    /// `equal`, `replace`, `delete` (only in A) or `insert` (only in B).
    pub op: String,
    /// The words in A (absent for `insert`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub a: Option<Span>,
    /// The words in B (absent for `delete`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b: Option<Span>,
}

/// A pair of passages the two versions share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassageReport {
    /// Position in the report's list.
    pub index: usize,
    /// The passage in A.
    pub a: Span,
    /// The passage in B.
    pub b: Span,
    /// Cosine similarity of the passages (tf-isf over stems), 0..1.
    pub similarity: f64,
    /// Words equal in both passages.
    pub equal_words: usize,
    /// Words of A's passage.
    pub a_words: usize,
    /// Words of B's passage.
    pub b_words: usize,
    /// Word-level edit script from A's passage to B's.
    pub edits: Vec<EditOp>,
}

/// A changed number or name inside an edited sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeReport {
    /// In this sentence's version.
    pub this: Span,
    /// In the other version.
    pub other: Span,
}

/// What became of one sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentenceReport {
    /// Index of the sentence in its version.
    pub index: usize,
    /// The sentence.
    pub span: Span,
    /// `same`, `edited`, `only_a` or `only_b`.
    pub status: String,
    /// Indices of its counterparts in the other version.
    pub counterparts: Vec<usize>,
    /// Dice similarity (content-word stems) with the best counterpart.
    pub similarity: f64,
    /// Index of the passage holding it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passage: Option<usize>,
    /// The differing steps of the edit script to its counterparts (`a` is
    /// this sentence's version, `b` the other); empty unless `edited`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<EditOp>,
    /// Numbers replaced by other numbers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub numbers_changed: Vec<ChangeReport>,
    /// Capitalised names replaced by other words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names_changed: Vec<ChangeReport>,
}

/// A number compared across the versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumberReport {
    /// `agree`, `changed`, `elsewhere`, `only_a` or `only_b`.
    pub status: String,
    /// Canonical value in A (e.g. `283000`, `1.5`), absent for `only_b`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub a_value: Option<String>,
    /// Canonical value in B, absent for `only_a`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b_value: Option<String>,
    /// Occurrences in A.
    pub a: Vec<Span>,
    /// Occurrences in B.
    pub b: Vec<Span>,
}

/// The full report of `stemma compare`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareReport {
    /// Always `stemma.compare`.
    pub schema: String,
    /// [`COMPARE_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Version A.
    pub a: VersionInfo,
    /// Version B.
    pub b: VersionInfo,
    /// Headline figures.
    pub summary: Summary,
    /// Shared passages, in A's order.
    pub passages: Vec<PassageReport>,
    /// Every sentence of A.
    pub a_sentences: Vec<SentenceReport>,
    /// Every sentence of B.
    pub b_sentences: Vec<SentenceReport>,
    /// Maximal spans of A that B does not have (sentences and clauses).
    pub only_a: Vec<Span>,
    /// Maximal spans of B that A does not have.
    pub only_b: Vec<Span>,
    /// Numbers compared across the versions.
    pub numbers: Vec<NumberReport>,
}

fn swap_status(s: &str) -> String {
    match s {
        "only_a" => "only_b".into(),
        "only_b" => "only_a".into(),
        "delete" => "insert".into(),
        "insert" => "delete".into(),
        other => other.into(),
    }
}

fn mirror_op(e: &EditOp) -> EditOp {
    EditOp { op: swap_status(&e.op), a: e.b.clone(), b: e.a.clone() }
}

impl CompareReport {
    /// The same comparison seen from the other side: A and B swapped.
    pub fn mirrored(&self) -> CompareReport {
        let sentences = |v: &[SentenceReport]| -> Vec<SentenceReport> {
            v.iter().map(|s| SentenceReport { status: swap_status(&s.status), ..s.clone() }).collect()
        };
        let mut passages: Vec<PassageReport> = self
            .passages
            .iter()
            .map(|p| PassageReport {
                index: p.index,
                a: p.b.clone(),
                b: p.a.clone(),
                similarity: p.similarity,
                equal_words: p.equal_words,
                a_words: p.b_words,
                b_words: p.a_words,
                edits: p.edits.iter().map(mirror_op).collect(),
            })
            .collect();
        passages.sort_by_key(|p| (p.a.start, p.b.start, p.a.end, p.b.end));
        let renumber: Vec<(usize, usize)> = passages.iter().enumerate().map(|(i, p)| (p.index, i)).collect();
        let new_index = |old: usize| renumber.iter().find(|(o, _)| *o == old).map_or(old, |(_, n)| *n);
        for (i, p) in passages.iter_mut().enumerate() {
            p.index = i;
        }
        let fix = |mut v: Vec<SentenceReport>| {
            for s in &mut v {
                s.passage = s.passage.map(new_index);
            }
            v
        };
        let mut numbers: Vec<NumberReport> = self
            .numbers
            .iter()
            .map(|n| NumberReport {
                status: match n.status.as_str() {
                    "only_a" => "only_b".into(),
                    "only_b" => "only_a".into(),
                    s => s.into(),
                },
                a_value: n.b_value.clone(),
                b_value: n.a_value.clone(),
                a: n.b.clone(),
                b: n.a.clone(),
            })
            .collect();
        sort_numbers(&mut numbers);
        CompareReport {
            schema: self.schema.clone(),
            schema_version: self.schema_version,
            a: self.b.clone(),
            b: self.a.clone(),
            summary: Summary {
                related: self.summary.related,
                passages: self.summary.passages,
                a_shared: self.summary.b_shared,
                b_shared: self.summary.a_shared,
                a_sentences: self.summary.b_sentences.clone(),
                b_sentences: self.summary.a_sentences.clone(),
                numbers: NumberCounts {
                    only_a: self.summary.numbers.only_b,
                    only_b: self.summary.numbers.only_a,
                    ..self.summary.numbers.clone()
                },
            },
            passages,
            a_sentences: fix(sentences(&self.b_sentences)),
            b_sentences: fix(sentences(&self.a_sentences)),
            only_a: self.only_b.clone(),
            only_b: self.only_a.clone(),
            numbers,
        }
    }
}

fn status_rank(s: &str) -> u8 {
    match s {
        "agree" => 0,
        "changed" => 1,
        "elsewhere" => 2,
        "only_a" => 3,
        _ => 4,
    }
}

/// The order of the numbers list: by status, then by first occurrence in
/// A, then in B.
pub(crate) fn sort_numbers(v: &mut [NumberReport]) {
    v.sort_by(|x, y| {
        status_rank(&x.status)
            .cmp(&status_rank(&y.status))
            .then(x.a.first().map(|s| s.start).cmp(&y.a.first().map(|s| s.start)))
            .then(x.b.first().map(|s| s.start).cmp(&y.b.first().map(|s| s.start)))
    });
}
