//! `stemma trace`: the copy tree of a family of versions and a typed
//! account of what each version changed.
//!
//! - [`tree`]: the copy tree (stemma) from shared variants, with lost
//!   intermediaries and contamination;
//! - [`claims`]: quotes and their speakers, numbers, names and dates of
//!   every version (stemma-claims) compared across the family:
//!   corroborated, altered (from what, where), unsupported, or a minor,
//!   benign difference; headline lines checked against their own body and
//!   the other versions;
//! - [`export`]: the tree as DOT, GraphML and SVG; the report as a
//!   self-contained HTML page.
//!
//! [`trace`] runs it all on the versions given and returns the
//! [`TraceReport`] (schema `stemma.trace`, docs/json-schema.md). No I/O.

#![warn(missing_docs)]

pub mod claims;
pub mod export;
mod parsimony;
pub mod tree;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use stemma_core::{compare, CompareOptions, CompareReport, Document, Span, VersionInfo};

/// Version of the `stemma.trace` JSON schema.
pub const TRACE_SCHEMA_VERSION: u32 = 1;

/// A version as the trace report describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceVersion {
    /// What `stemma.compare` says of a version.
    #[serde(flatten)]
    pub info: VersionInfo,
    /// Outlet or series.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    /// Its node in the tree.
    pub node: usize,
}

/// A claim of one version, compared across the family.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimReport {
    /// Id of the version holding the claim.
    pub version: String,
    /// `quote`, `number`, `name`, `date`, `headline` or `sentence`.
    pub kind: String,
    /// Where it is.
    pub span: Span,
    /// Inside the version's headline lines.
    pub in_headline: bool,
    /// The quote's speaker, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<Span>,
    /// Canonical value of a number or date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// `corroborated`, `altered`, `unsupported` or `minor`.
    pub status: String,
    /// For `altered`: `value` (numbers, dates), `speaker`, `truncated` (quotes) or
    /// `swapped` (names); for `minor`: `hedge`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<String>,
    /// Versions that say the same.
    pub corroborated_by: Vec<String>,
    /// For `altered`/`minor`: the differing counterpart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<Counterpart>,
}

/// Where a claim says something different.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Counterpart {
    /// The other version.
    pub version: String,
    /// Its span there.
    pub span: Span,
}

/// The full report of `stemma trace`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceReport {
    /// Always `stemma.trace`.
    pub schema: String,
    /// [`TRACE_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Id of the version traced.
    pub focus: String,
    /// The versions of the family.
    pub versions: Vec<TraceVersion>,
    /// The copy tree.
    pub tree: tree::Tree,
    /// Every claim of every version.
    pub claims: Vec<ClaimReport>,
    /// The focus compared with each other version.
    pub reports: Vec<CompareReport>,
}

/// Tuning of a trace.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TraceOptions {
    /// Options of the pairwise comparisons.
    pub compare: CompareOptions,
}

fn parse_day(d: Option<&str>) -> Option<i64> {
    d.and_then(stemma_text::date::parse_days)
}

/// Traces a family of versions; `focus` is the index of the version the
/// report is about (its comparisons are included).
pub fn trace(docs: &[Document], focus: usize, opts: &TraceOptions) -> TraceReport {
    let n = docs.len();
    // Every unordered pair is compared once; the mirror gives the other order.
    let pairs: Vec<(usize, usize)> = (0..n).flat_map(|i| (i + 1..n).map(move |j| (i, j))).collect();
    let computed: Vec<((usize, usize), CompareReport)> =
        pairs.par_iter().map(|&(i, j)| ((i, j), compare(&docs[i], &docs[j], &opts.compare))).collect();
    let mut reports: FxHashMap<(usize, usize), CompareReport> = FxHashMap::default();
    for ((i, j), r) in computed {
        reports.insert((j, i), r.mirrored());
        reports.insert((i, j), r);
    }
    let infos: Vec<VersionInfo> = docs.iter().map(stemma_core::version_info).collect();
    let meta: Vec<tree::VersionMeta> = docs
        .iter()
        .zip(&infos)
        .map(|(d, i)| tree::VersionMeta { id: d.id.clone(), day: parse_day(d.date.as_deref()), words: i.words })
        .collect();
    let tree = tree::build(&meta, &tree::Comparisons::new(&reports));
    let claims = claims::compare_claims(docs, &reports);
    let versions: Vec<TraceVersion> = docs
        .iter()
        .zip(infos)
        .enumerate()
        .map(|(i, (d, info))| TraceVersion { info, series: d.series.clone(), node: i })
        .collect();
    let focus_reports: Vec<CompareReport> =
        (0..n).filter(|&j| j != focus).filter_map(|j| reports.get(&(focus, j)).cloned()).collect();
    TraceReport {
        schema: "stemma.trace".into(),
        schema_version: TRACE_SCHEMA_VERSION,
        focus: docs.get(focus).map(|d| d.id.clone()).unwrap_or_default(),
        versions,
        tree,
        claims,
        reports: focus_reports,
    }
}
