//! Finding the versions of a text in an index.
//!
//! 1. candidates: the query is fingerprinted like the indexed documents;
//!    every indexed document sharing fingerprints is a candidate, scored by
//!    the inverse document frequency of what it shares. Fingerprints found
//!    in more documents than a bound are boilerplate (mastheads, legal
//!    notices, agency credits) and skipped.
//! 2. alignment: the best candidates are compared with the query by the
//!    same engine as `stemma compare` (in parallel), and
//! 3. ranking: by aligned coverage, the share of the query's words in
//!    sentences that have a counterpart in the candidate.
//!
//! The result is a [`QueryReport`] whose results each carry the full
//! comparison report, so the terminal, JSON and the web app show the same
//! evidence.

#![warn(missing_docs)]

pub mod search;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use stemma_core::{compare, version_info, CompareOptions, CompareReport, Document, Lang, VersionInfo};
use stemma_index::segment::Table;
use stemma_index::{fingerprint, DocAddr, IndexError, IndexReader};

/// Version of the `stemma.query` JSON schema.
pub const QUERY_SCHEMA_VERSION: u32 = 1;

/// Tuning of a query.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryOptions {
    /// Results returned.
    pub top: usize,
    /// Candidates aligned at most (the best by shared fingerprints).
    pub max_aligned: usize,
    /// A fingerprint found in more documents than this is boilerplate and
    /// skipped; `None` chooses `max(50, 1 % of the index)`.
    pub max_df: Option<u64>,
    /// A candidate must share at least this many fingerprints...
    pub min_shared: u32,
    /// ...except up to this many candidates that share fewer but hold a
    /// rare one (found in at most [`RARE_DF`] documents): independent
    /// renditions of one dispatch may share a single verbatim phrase.
    pub rare_singles: usize,
    /// An indexed document not to return (the query itself, when it was
    /// taken from the index).
    pub exclude: Option<String>,
    /// Options of the comparisons.
    pub compare: CompareOptions,
}

impl Default for QueryOptions {
    fn default() -> Self {
        QueryOptions {
            top: 10,
            max_aligned: 25,
            max_df: None,
            min_shared: 2,
            rare_singles: 5,
            exclude: None,
            compare: CompareOptions::default(),
        }
    }
}

/// One version found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryResult {
    /// Rank, from 1.
    pub rank: usize,
    /// Id of the indexed document.
    pub id: String,
    /// Its outlet or series, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    /// Share of the query's words in sentences with a counterpart in this document.
    pub coverage: f64,
    /// Share of this document's words in sentences with a counterpart in the query.
    pub candidate_coverage: f64,
    /// Fingerprints shared with the query (boilerplate excluded).
    pub shared_fingerprints: u32,
    /// The comparison of the query (A) with this document (B).
    pub report: CompareReport,
}

/// What a query found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryReport {
    /// Always `stemma.query`.
    pub schema: String,
    /// [`QUERY_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The query.
    pub query: VersionInfo,
    /// Live documents in the index searched.
    pub index_documents: u64,
    /// Fingerprints of the query.
    pub fingerprints: usize,
    /// Of which skipped as boilerplate.
    pub boilerplate_fingerprints: usize,
    /// The bound used for boilerplate.
    pub max_df: u64,
    /// Documents sharing at least `min_shared` fingerprints.
    pub candidates: usize,
    /// Candidates compared with the query.
    pub aligned: usize,
    /// Versions found, best first.
    pub results: Vec<QueryResult>,
}

/// A fingerprint found in at most this many documents is rare enough for
/// one shared occurrence to make a candidate (see
/// [`QueryOptions::rare_singles`]).
pub const RARE_DF: u64 = 3;

/// Candidate documents with their shared-fingerprint count and idf score.
struct Candidate {
    addr: DocAddr,
    shared: u32,
    score: f64,
}

/// Looks for the versions of `query` in the index.
pub fn query(reader: &IndexReader, query: &Document, opts: &QueryOptions) -> Result<QueryReport, IndexError> {
    let hint = query.lang.as_deref().and_then(Lang::from_code);
    let f = fingerprint(&query.text, hint, reader.params());
    let n = reader.num_docs();
    let max_df = opts.max_df.unwrap_or_else(|| (n / 100).max(50));
    // Postings per query fingerprint.
    let mut per_key: Vec<Vec<DocAddr>> = vec![Vec::new(); f.fingerprints.len()];
    reader.postings(Table::Fingerprints, &f.fingerprints, |k, a| per_key[k].push(a))?;
    let mut boilerplate = 0usize;
    // Per candidate: shared fingerprints, idf score, rarest df.
    let mut scores: FxHashMap<DocAddr, (u32, f64, u64)> = FxHashMap::default();
    for docs in &per_key {
        let df = docs.len() as u64;
        if df == 0 {
            continue;
        }
        if df > max_df {
            boilerplate += 1;
            continue;
        }
        let idf = ((n as f64 + 1.0) / df as f64).ln();
        for &a in docs {
            let e = scores.entry(a).or_insert((0, 0.0, u64::MAX));
            e.0 += 1;
            e.1 += idf;
            e.2 = e.2.min(df);
        }
    }
    let by_score = |x: &Candidate, y: &Candidate| y.score.total_cmp(&x.score).then(x.addr.cmp(&y.addr));
    let (mut cands, mut rare): (Vec<Candidate>, Vec<Candidate>) = (Vec::new(), Vec::new());
    for (addr, (shared, score, rarest)) in scores {
        let c = Candidate { addr, shared, score };
        if shared >= opts.min_shared {
            cands.push(c);
        } else if rarest <= RARE_DF {
            rare.push(c);
        }
    }
    cands.sort_by(by_score);
    rare.sort_by(by_score);
    rare.truncate(opts.rare_singles);
    let candidates = cands.len() + rare.len();
    // The excluded document may sit among the best: look one further.
    cands.truncate(opts.max_aligned + usize::from(opts.exclude.is_some()));
    cands.extend(rare);
    let compared: Vec<Result<Option<QueryResult>, IndexError>> = cands
        .par_iter()
        .map(|c| {
            let doc = reader.doc(c.addr)?;
            if opts.exclude.as_deref() == Some(doc.id.as_str()) {
                return Ok(None);
            }
            let report = compare(query, &doc, &opts.compare);
            if !report.summary.related {
                return Ok(None);
            }
            Ok(Some(QueryResult {
                rank: 0,
                id: doc.id.clone(),
                series: doc.series.clone(),
                coverage: report.summary.a_shared,
                candidate_coverage: report.summary.b_shared,
                shared_fingerprints: c.shared,
                report,
            }))
        })
        .collect();
    let aligned = compared.len();
    let mut results: Vec<QueryResult> = Vec::new();
    for r in compared {
        if let Some(r) = r? {
            results.push(r);
        }
    }
    results.sort_by(|x, y| {
        y.coverage
            .total_cmp(&x.coverage)
            .then(y.candidate_coverage.total_cmp(&x.candidate_coverage))
            .then(y.shared_fingerprints.cmp(&x.shared_fingerprints))
            .then(x.id.cmp(&y.id))
    });
    results.truncate(opts.top);
    for (i, r) in results.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    let query_info = results.first().map_or_else(|| version_info(query), |r| r.report.a.clone());
    Ok(QueryReport {
        schema: "stemma.query".into(),
        schema_version: QUERY_SCHEMA_VERSION,
        query: query_info,
        index_documents: n,
        fingerprints: f.fingerprints.len(),
        boilerplate_fingerprints: boilerplate,
        max_df,
        candidates,
        aligned,
        results,
    })
}

/// The family of `focus` in the index: the versions [`query`] finds (at
/// most `max_versions`, the focus itself excluded by id) that cover at
/// least `min_coverage` of the focus or of themselves, read back in full.
/// What `stemma trace` and the web app trace.
pub fn family(
    reader: &IndexReader,
    focus: &Document,
    min_coverage: f64,
    max_versions: usize,
) -> Result<Vec<Document>, IndexError> {
    let opts = QueryOptions { top: max_versions, exclude: Some(focus.id.clone()), ..QueryOptions::default() };
    let found = query(reader, focus, &opts)?;
    let mut docs = Vec::new();
    for r in found.results {
        if r.coverage.max(r.candidate_coverage) >= min_coverage {
            if let Some(d) = reader.get(&r.id)? {
                docs.push(d);
            }
        }
    }
    Ok(docs)
}
