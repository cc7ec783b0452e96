//! stemma's engine facade.
//!
//! [`compare`] runs the pipeline on two versions of a text — analysis
//! (stemma-text), alignment (stemma-align), version diff (stemma-diff) — and
//! builds the [`CompareReport`], the one model that the command line, the
//! web app and the JSON API render. This crate does no I/O.

#![warn(missing_docs)]

pub mod report;

pub use report::*;
pub use stemma_align::AlignOptions;
pub use stemma_diff::DiffOptions;
pub use stemma_text::{Document, Lang};

use stemma_align::{align_prepared, EditKind, Prepared};
use stemma_diff::{NumberStatus, SentenceDiff, Status};
use stemma_text::Analysis;

/// Tuning of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareOptions {
    /// Aligner options.
    pub align: AlignOptions,
    /// Version-diff options.
    pub diff: DiffOptions,
}

impl Default for CompareOptions {
    /// Two versions of one article share short passages worth reporting
    /// (a single quoted sentence), so passages down to 60 characters are kept
    /// (the aligner's default of 150 is tuned for finding reuse across
    /// unrelated documents).
    fn default() -> Self {
        CompareOptions {
            align: AlignOptions { min_passage_chars: 60, ..AlignOptions::default() },
            diff: DiffOptions::default(),
        }
    }
}

fn lang_of(doc: &Document) -> Option<Lang> {
    doc.lang.as_deref().and_then(Lang::from_code)
}

fn info(doc: &Document, an: &Analysis) -> VersionInfo {
    VersionInfo {
        id: doc.id.clone(),
        title: doc.title.clone(),
        date: doc.date.clone(),
        url: doc.url.clone(),
        lang: an.lang.map(|l| l.code().to_string()),
        bytes: doc.text.len(),
        words: an.tokens.len(),
        sentences: an.sentences.len(),
    }
}

/// Describes a document (analyzing it) as reports do.
pub fn version_info(doc: &Document) -> VersionInfo {
    info(doc, &Analysis::new(&doc.text, lang_of(doc)))
}

fn span_of_tokens(p: &Prepared, r: &std::ops::Range<u32>) -> Option<Span> {
    if r.is_empty() {
        return None;
    }
    let start = p.an.tokens[r.start as usize].start as usize;
    let end = p.an.tokens[r.end as usize - 1].end as usize;
    Some(Span::of(p.text, start..end))
}

fn op_name(kind: EditKind) -> &'static str {
    match kind {
        EditKind::Equal => "equal",
        EditKind::Replace => "replace",
        EditKind::Delete => "delete",
        EditKind::Insert => "insert",
    }
}

fn sentence_reports(this: &Prepared, other: &Prepared, diffs: &[SentenceDiff], only: &str) -> Vec<SentenceReport> {
    diffs
        .iter()
        .enumerate()
        .map(|(i, d)| SentenceReport {
            index: i,
            span: Span::of(this.text, d.range.clone()),
            status: match d.status {
                Status::Same => "same".into(),
                Status::Edited => "edited".into(),
                Status::Only => only.into(),
            },
            counterparts: d.counterparts.clone(),
            similarity: round3(d.similarity as f64),
            passage: d.passage,
            edits: d
                .edits
                .iter()
                .filter(|e| e.kind != EditKind::Equal)
                .map(|e| EditOp {
                    op: op_name(e.kind).into(),
                    a: span_of_tokens(this, &e.a),
                    b: span_of_tokens(other, &e.b),
                })
                .collect(),
            numbers_changed: change_reports(this, other, &d.numbers_changed),
            names_changed: change_reports(this, other, &d.names_changed),
        })
        .collect()
}

fn change_reports(this: &Prepared, other: &Prepared, changes: &[stemma_diff::Change]) -> Vec<ChangeReport> {
    changes
        .iter()
        .map(|c| ChangeReport {
            this: Span::of(this.text, c.this.clone()),
            other: Span::of(other.text, c.other.clone()),
        })
        .collect()
}

/// Rounds to three decimals, so that reports print the same everywhere.
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn counts(diffs: &[SentenceDiff]) -> SentenceCounts {
    let mut c = SentenceCounts::default();
    for d in diffs {
        match d.status {
            Status::Same => c.same += 1,
            Status::Edited => c.edited += 1,
            Status::Only => c.only += 1,
        }
    }
    c
}

/// Share of the words of a version that sit in sentences with a counterpart.
fn shared_share(diffs: &[SentenceDiff]) -> f64 {
    let total: usize = diffs.iter().map(|d| d.tokens.len()).sum();
    if total == 0 {
        return 0.0;
    }
    let shared: usize = diffs.iter().filter(|d| d.status != Status::Only).map(|d| d.tokens.len()).sum();
    round3(shared as f64 / total as f64)
}

/// Compares two versions of a text.
pub fn compare(a: &Document, b: &Document, opts: &CompareOptions) -> CompareReport {
    let (an_a, an_b) = rayon_join(|| Analysis::new(&a.text, lang_of(a)), || Analysis::new(&b.text, lang_of(b)));
    let pa = Prepared::new(&a.text, &an_a, opts.align.min_unit_words);
    let pb = Prepared::new(&b.text, &an_b, opts.align.min_unit_words);
    let alignment = align_prepared(&pa, &pb, &opts.align);
    let diff = stemma_diff::diff(&pa, &pb, &alignment, &opts.diff);

    let passages: Vec<PassageReport> = alignment
        .passages
        .iter()
        .enumerate()
        .map(|(i, p)| PassageReport {
            index: i,
            a: Span::of(&a.text, p.a.clone()),
            b: Span::of(&b.text, p.b.clone()),
            similarity: round3(p.similarity as f64),
            equal_words: p.equal_tokens() as usize,
            a_words: p.a_tokens.len(),
            b_words: p.b_tokens.len(),
            edits: p
                .edits
                .iter()
                .map(|e| EditOp {
                    op: op_name(e.kind).into(),
                    a: span_of_tokens(&pa, &e.a),
                    b: span_of_tokens(&pb, &e.b),
                })
                .collect(),
        })
        .collect();
    let mut numbers: Vec<NumberReport> = diff
        .numbers
        .iter()
        .map(|n| NumberReport {
            status: match n.status {
                NumberStatus::Agree => "agree",
                NumberStatus::Changed => "changed",
                NumberStatus::Elsewhere => "elsewhere",
                NumberStatus::OnlyA => "only_a",
                NumberStatus::OnlyB => "only_b",
            }
            .into(),
            a_value: n.value_a.clone(),
            b_value: n.value_b.clone(),
            a: n.a.iter().map(|r| Span::of(&a.text, r.clone())).collect(),
            b: n.b.iter().map(|r| Span::of(&b.text, r.clone())).collect(),
        })
        .collect();
    report::sort_numbers(&mut numbers);
    let mut number_counts = NumberCounts::default();
    for n in &numbers {
        match n.status.as_str() {
            "agree" => number_counts.agree += 1,
            "changed" => number_counts.changed += 1,
            "elsewhere" => number_counts.elsewhere += 1,
            "only_a" => number_counts.only_a += 1,
            _ => number_counts.only_b += 1,
        }
    }
    CompareReport {
        schema: "stemma.compare".into(),
        schema_version: COMPARE_SCHEMA_VERSION,
        a: info(a, &an_a),
        b: info(b, &an_b),
        summary: Summary {
            related: !passages.is_empty() || diff.a.iter().any(|d| d.status != Status::Only),
            passages: passages.len(),
            a_shared: shared_share(&diff.a),
            b_shared: shared_share(&diff.b),
            a_sentences: counts(&diff.a),
            b_sentences: counts(&diff.b),
            numbers: number_counts,
        },
        passages,
        a_sentences: sentence_reports(&pa, &pb, &diff.a, "only_a"),
        b_sentences: sentence_reports(&pb, &pa, &diff.b, "only_b"),
        only_a: diff.only_a.iter().map(|r| Span::of(&a.text, r.clone())).collect(),
        only_b: diff.only_b.iter().map(|r| Span::of(&b.text, r.clone())).collect(),
        numbers,
    }
}

/// Runs two closures, in parallel when a thread pool has room.
fn rayon_join<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    rayon::join(a, b)
}
