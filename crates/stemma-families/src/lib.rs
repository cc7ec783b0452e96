//! Corpus-wide reuse detection: which passages travelled between documents,
//! and which documents are versions of one story.
//!
//! Stages, over an index (stemma-index):
//! 1. [`join`]: candidate pairs from a self-join on fingerprints whose
//!    document frequency lies within bounds, counted per pair, kept above a
//!    minimum; parallel over key ranges, memory bounded by spilling sorted
//!    runs to disk;
//! 2. metadata and texts of the documents involved, read once;
//! 3. pair filters on metadata (across sources, within N days, earlier to
//!    later), like passim's;
//! 4. alignment of every remaining pair with the core aligner
//!    (stemma-align), in parallel;
//! 5. [`clusters`]: passage clusters, same-source boilerplate, document
//!    families;
//! 6. a summary per source: the share of its text found earlier elsewhere,
//!    and the median delay.
//!
//! Every stage's output is sorted before the next one, so results are the
//! same whatever the number of threads.

#![warn(missing_docs)]

pub mod clusters;
/// Dates as day numbers (from stemma-text).
pub use stemma_text::date as dates;
mod join;
pub mod tables;

pub use clusters::{AlignedPair, Cluster, Member, PassageSpans};

use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::Serialize;
use std::path::PathBuf;
use std::time::Instant;
use stemma_align::{align_prepared, AlignOptions, Prepared};
use stemma_index::{DocAddr, IndexError, IndexReader};
use stemma_text::{Analysis, Lang};

/// Which candidate pairs to align (passim's pair filters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PairFilter {
    /// Only pairs of documents from different sources (series).
    pub across_sources: bool,
    /// Only pairs whose dates are at most this many days apart (pairs
    /// without both dates are kept).
    pub within_days: Option<i64>,
    /// Only pairs with both dates and different dates (the earlier one is
    /// then the source of the later one).
    pub earlier_to_later: bool,
}

/// Tuning of family detection.
#[derive(Debug, Clone, PartialEq)]
pub struct FamilyOptions {
    /// Fingerprints in more documents than this are formulas, not reuse.
    pub max_df: u64,
    /// A candidate pair must share at least this many fingerprints.
    pub min_shared: u32,
    /// Memory for counting candidate pairs before spilling to disk (bytes).
    pub join_memory: usize,
    /// Where spilled runs go (removed afterwards).
    pub spill_dir: PathBuf,
    /// Metadata filters on pairs.
    pub filter: PairFilter,
    /// Aligner options.
    pub align: AlignOptions,
    /// Shared passages (outside boilerplate) must total this many bytes on
    /// each side to join two documents into a family.
    pub family_min_bytes: usize,
    /// …and cover at least this share of the shorter document: versions of
    /// one story share most of their text, not one background paragraph.
    pub family_min_share: f64,
    /// A cluster of at least this many documents of one source is boilerplate.
    pub boilerplate_docs: usize,
    /// Also join into families the documents about one story without
    /// shared passages: those whose rare content words (binary tf-idf
    /// cosine) reach this similarity. `None`: families by passages only.
    pub stories: Option<f64>,
}

impl Default for FamilyOptions {
    fn default() -> Self {
        FamilyOptions {
            max_df: 200,
            min_shared: 3,
            join_memory: 512 << 20,
            spill_dir: std::env::temp_dir().join(format!("stemma-families-{}", std::process::id())),
            filter: PairFilter::default(),
            align: AlignOptions { min_passage_chars: 100, ..AlignOptions::default() },
            family_min_bytes: 200,
            family_min_share: 0.3,
            boilerplate_docs: 3,
            stories: None,
        }
    }
}

/// A document as families know it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocMeta {
    /// Document id.
    pub id: String,
    /// Outlet or series.
    pub series: Option<String>,
    /// Date as given.
    pub date: Option<String>,
    /// Date as a day number, when it parses.
    pub day: Option<i64>,
    /// Length of the text in bytes.
    pub bytes: usize,
    /// Language code.
    pub lang: Option<String>,
}

/// Per-source figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceSummary {
    /// The source (series); `(none)` for documents without one.
    pub source: String,
    /// Its documents.
    pub docs: usize,
    /// Their text, in bytes.
    pub bytes: u64,
    /// Share of its text found in documents of other sources.
    pub shared_elsewhere: f64,
    /// Share of its text found in documents of other sources dated earlier
    /// (absent when its documents have no dates).
    pub found_earlier_elsewhere: Option<f64>,
    /// Documents with text found earlier elsewhere.
    pub docs_copying: usize,
    /// Median delay in days between such a document and the earliest
    /// other-source version of the text it shares.
    pub median_delay_days: Option<f64>,
}

/// Stages, for progress reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Self-join over the fingerprints (key ranges done / total).
    Join,
    /// Reading documents (done / total).
    Read,
    /// Aligning candidate pairs (done / total).
    Align,
}

/// Counts and times of a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FamilyStats {
    /// Live documents.
    pub documents: usize,
    /// Pairs sharing at least `min_shared` fingerprints.
    pub candidate_pairs: usize,
    /// Of which kept by the filters.
    pub filtered_pairs: usize,
    /// Of which sharing at least one aligned passage.
    pub pairs_with_passages: usize,
    /// Fingerprints skipped as too frequent.
    pub frequent_fingerprints: u64,
    /// Sorted runs spilled to disk by the self-join.
    pub spilled_runs: usize,
    /// Pairs joined by story similarity (with `stories`).
    pub story_links: usize,
    /// Seconds spent joining, reading, aligning, clustering.
    pub seconds: [f64; 4],
}

/// Everything found.
#[derive(Debug, Clone)]
pub struct FamiliesResult {
    /// Every live document, by global number.
    pub docs: Vec<DocMeta>,
    /// Texts of the documents in any candidate pair (others are `None`).
    pub texts: Vec<Option<String>>,
    /// Aligned pairs with at least one passage, sorted.
    pub pairs: Vec<AlignedPair>,
    /// For every pair, the cluster of each of its passages.
    pub passage_clusters: Vec<Vec<usize>>,
    /// Passage clusters.
    pub clusters: Vec<Cluster>,
    /// Document families (two or more documents each).
    pub families: Vec<Vec<u32>>,
    /// Family of each document.
    pub family_of: Vec<Option<usize>>,
    /// Per-source summary, by source name.
    pub sources: Vec<SourceSummary>,
    /// Counts and times.
    pub stats: FamilyStats,
}

fn keep(filter: &PairFilter, a: &DocMeta, b: &DocMeta) -> bool {
    if filter.across_sources && a.series == b.series {
        return false;
    }
    if let Some(n) = filter.within_days {
        if let (Some(x), Some(y)) = (a.day, b.day) {
            if (x - y).abs() > n {
                return false;
            }
        }
    }
    if filter.earlier_to_later {
        match (a.day, b.day) {
            (Some(x), Some(y)) if x != y => {}
            _ => return false,
        }
    }
    true
}

/// Finds passage clusters and families in an index.
pub fn find_families(
    reader: &IndexReader,
    opts: &FamilyOptions,
    progress: &(dyn Fn(Stage, usize, usize) + Sync),
) -> Result<FamiliesResult, IndexError> {
    let mut stats = FamilyStats::default();
    // Global numbers of the live documents, in index order.
    let mut global: Vec<Vec<u32>> = Vec::with_capacity(reader.segments().len());
    let mut addrs: Vec<DocAddr> = Vec::new();
    for (si, seg) in reader.segments().iter().enumerate() {
        let mut g = vec![u32::MAX; seg.num_docs() as usize];
        for (d, slot) in g.iter_mut().enumerate() {
            let a = DocAddr { segment: si as u32, doc: d as u32 };
            if reader.is_live(a) {
                *slot = addrs.len() as u32;
                addrs.push(a);
            }
        }
        global.push(g);
    }
    let n = addrs.len();
    stats.documents = n;

    let t = Instant::now();
    let spec = join::JoinSpec {
        table: stemma_index::segment::Table::Fingerprints,
        max_df: opts.max_df,
        min_score: opts.min_shared,
        weight: &|_| 1,
        norms: false,
    };
    let joined = join::self_join(reader, &global, &spec, opts.join_memory, &opts.spill_dir, &|d, total| {
        progress(Stage::Join, d, total)
    })?;
    let story_links = match opts.stories {
        Some(threshold) => story_links(reader, &global, n, threshold, opts, progress)?,
        None => Vec::new(),
    };
    let _ = std::fs::remove_dir(&opts.spill_dir);
    stats.seconds[0] = t.elapsed().as_secs_f64();
    stats.candidate_pairs = joined.pairs.len();
    stats.frequent_fingerprints = joined.frequent_keys;
    stats.spilled_runs = joined.spilled_runs;

    // Metadata of every document; texts of those in a candidate pair.
    let t = Instant::now();
    let mut involved = vec![false; n];
    for &(a, b, _) in &joined.pairs {
        involved[a as usize] = true;
        involved[b as usize] = true;
    }
    let mut docs: Vec<DocMeta> = Vec::with_capacity(n);
    let mut texts: Vec<Option<String>> = Vec::with_capacity(n);
    let mut read = 0usize;
    reader.for_each_doc(|_, d| {
        let g = docs.len();
        let day = d.date.as_deref().and_then(dates::parse_days);
        docs.push(DocMeta { id: d.id, series: d.series, date: d.date, day, bytes: d.text.len(), lang: d.lang });
        texts.push(if involved.get(g).copied().unwrap_or(false) { Some(d.text) } else { None });
        read += 1;
        if read.is_multiple_of(4096) {
            progress(Stage::Read, read, n);
        }
        Ok(())
    })?;
    stats.seconds[1] = t.elapsed().as_secs_f64();

    // Filters, then alignment grouped by first document.
    let t = Instant::now();
    let candidates: Vec<(u32, u32, u32)> = joined
        .pairs
        .into_iter()
        .filter(|&(a, b, _)| keep(&opts.filter, &docs[a as usize], &docs[b as usize]))
        .collect();
    stats.filtered_pairs = candidates.len();
    let mut groups: Vec<std::ops::Range<usize>> = Vec::new();
    let mut i = 0;
    while i < candidates.len() {
        let mut j = i;
        while j < candidates.len() && candidates[j].0 == candidates[i].0 {
            j += 1;
        }
        groups.push(i..j);
        i = j;
    }
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = candidates.len();
    let lang_of = |g: u32| docs[g as usize].lang.as_deref().and_then(Lang::from_code);
    let aligned: Vec<Vec<AlignedPair>> = groups
        .par_iter()
        .map(|r| {
            let (a, _, _) = candidates[r.start];
            let text_a = texts[a as usize].as_deref().unwrap_or("");
            let an_a = Analysis::new(text_a, lang_of(a));
            let pa = Prepared::new(text_a, &an_a, opts.align.min_unit_words);
            let mut out = Vec::new();
            for &(_, b, shared) in &candidates[r.clone()] {
                let text_b = texts[b as usize].as_deref().unwrap_or("");
                let an_b = Analysis::new(text_b, lang_of(b));
                let pb = Prepared::new(text_b, &an_b, opts.align.min_unit_words);
                let al = align_prepared(&pa, &pb, &opts.align);
                if !al.passages.is_empty() {
                    out.push(AlignedPair {
                        a,
                        b,
                        shared,
                        passages: al
                            .passages
                            .iter()
                            .map(|p| PassageSpans { a: p.a.clone(), b: p.b.clone(), similarity: p.similarity })
                            .collect(),
                    });
                }
            }
            let d = done.fetch_add(r.len(), std::sync::atomic::Ordering::Relaxed) + r.len();
            progress(Stage::Align, d, total);
            out
        })
        .collect();
    let pairs: Vec<AlignedPair> = aligned.into_iter().flatten().collect();
    stats.pairs_with_passages = pairs.len();
    stats.seconds[2] = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let infos: Vec<clusters::DocInfo> = docs.iter().map(|d| clusters::DocInfo { series: d.series.clone() }).collect();
    let (clusters, passage_clusters) = clusters::clusters(&pairs, &infos, opts.boilerplate_docs);
    let sizes: Vec<usize> = docs.iter().map(|d| d.bytes).collect();
    let (families, family_of) = clusters::families(
        &pairs,
        &passage_clusters,
        &clusters,
        &sizes,
        opts.family_min_bytes,
        opts.family_min_share,
        &story_links,
    );
    stats.story_links = story_links.len();
    let sources = summarize(&docs, &clusters);
    stats.seconds[3] = t.elapsed().as_secs_f64();
    Ok(FamiliesResult { docs, texts, pairs, passage_clusters, clusters, families, family_of, sources, stats })
}

/// Pairs of documents about one story by their rare words: a self-join on
/// the word postings (words in 2 to `max(50, 1 % of documents)` documents),
/// each shared word adding its idf²; cosine = shared / √(norm_a · norm_b).
fn story_links(
    reader: &IndexReader,
    global: &[Vec<u32>],
    n: usize,
    threshold: f64,
    opts: &FamilyOptions,
    progress: &(dyn Fn(Stage, usize, usize) + Sync),
) -> Result<Vec<(u32, u32)>, IndexError> {
    // Fixed point: idf² × 100, as integer weights sum exactly whatever the order.
    let weight = move |df: u64| -> u32 {
        let idf = ((n as f64 + 1.0) / df.max(1) as f64).ln();
        (idf * idf * 100.0).round() as u32
    };
    let spec = join::JoinSpec {
        table: stemma_index::segment::Table::Words,
        max_df: (n as u64 / 100).max(50),
        min_score: 1,
        weight: &weight,
        norms: true,
    };
    let joined =
        join::self_join(reader, global, &spec, opts.join_memory, &opts.spill_dir, &|d, t| progress(Stage::Join, d, t))?;
    let norms = joined.norms.unwrap_or_default();
    Ok(joined
        .pairs
        .into_iter()
        .filter(|&(a, b, score)| {
            let na = norms.get(a as usize).copied().unwrap_or(0) as f64;
            let nb = norms.get(b as usize).copied().unwrap_or(0) as f64;
            na > 0.0 && nb > 0.0 && f64::from(score) / (na * nb).sqrt() >= threshold
        })
        .map(|(a, b, _)| (a, b))
        .collect())
}

/// Total length of the union of byte ranges.
fn union_len(mut spans: Vec<std::ops::Range<usize>>) -> usize {
    spans.sort_unstable_by_key(|r| (r.start, r.end));
    let mut total = 0;
    let mut cur: Option<std::ops::Range<usize>> = None;
    for s in spans {
        match &mut cur {
            Some(c) if s.start <= c.end => c.end = c.end.max(s.end),
            _ => {
                if let Some(c) = cur.take() {
                    total += c.len();
                }
                cur = Some(s);
            }
        }
    }
    total + cur.map_or(0, |c| c.len())
}

/// The per-source summary.
fn summarize(docs: &[DocMeta], clusters: &[Cluster]) -> Vec<SourceSummary> {
    // Per document: spans shared with another source, and those of them
    // whose other-source version is dated earlier (with the earliest date).
    let mut elsewhere: Vec<Vec<std::ops::Range<usize>>> = vec![Vec::new(); docs.len()];
    let mut earlier: Vec<Vec<std::ops::Range<usize>>> = vec![Vec::new(); docs.len()];
    let mut earliest_other: Vec<Option<i64>> = vec![None; docs.len()];
    for c in clusters.iter().filter(|c| !c.boilerplate) {
        let members: FxHashSet<u32> = c.members.iter().map(|m| m.doc).collect();
        for m in &c.members {
            let d = &docs[m.doc as usize];
            let others: Vec<&DocMeta> =
                members.iter().filter(|&&o| docs[o as usize].series != d.series).map(|&o| &docs[o as usize]).collect();
            if others.is_empty() {
                continue;
            }
            elsewhere[m.doc as usize].push(m.span.clone());
            if let Some(day) = d.day {
                let first = others.iter().filter_map(|o| o.day).filter(|&od| od < day).min();
                if let Some(f) = first {
                    earlier[m.doc as usize].push(m.span.clone());
                    let e = &mut earliest_other[m.doc as usize];
                    *e = Some(e.map_or(f, |x: i64| x.min(f)));
                }
            }
        }
    }
    let mut by_source: std::collections::BTreeMap<String, Vec<usize>> = std::collections::BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        by_source.entry(d.series.clone().unwrap_or_else(|| "(none)".into())).or_default().push(i);
    }
    by_source
        .into_iter()
        .map(|(source, ids)| {
            let bytes: u64 = ids.iter().map(|&i| docs[i].bytes as u64).sum();
            let shared: u64 = ids.iter().map(|&i| union_len(elsewhere[i].clone()) as u64).sum();
            let dated = ids.iter().any(|&i| docs[i].day.is_some());
            let earlier_bytes: u64 = ids.iter().map(|&i| union_len(earlier[i].clone()) as u64).sum();
            let mut delays: Vec<f64> =
                ids.iter().filter_map(|&i| Some((docs[i].day? - earliest_other[i]?) as f64)).collect();
            delays.sort_by(f64::total_cmp);
            let median = (!delays.is_empty()).then(|| {
                let m = delays.len() / 2;
                if delays.len().is_multiple_of(2) {
                    (delays[m - 1] + delays[m]) / 2.0
                } else {
                    delays[m]
                }
            });
            let share = |x: u64| if bytes == 0 { 0.0 } else { (x as f64 / bytes as f64 * 1e4).round() / 1e4 };
            SourceSummary {
                source,
                docs: ids.len(),
                bytes,
                shared_elsewhere: share(shared),
                found_earlier_elsewhere: dated.then(|| share(earlier_bytes)),
                docs_copying: delays.len(),
                median_delay_days: median,
            }
        })
        .collect()
}
