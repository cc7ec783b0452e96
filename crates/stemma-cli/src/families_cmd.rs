//! `stemma families`: corpus-wide reuse, passage clusters and story
//! families, written as tables; with `--near-duplicates`, whole-document
//! near-duplicate clusters and a keep/drop list instead (stemma-neardup).

use crate::progress::Progress;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;
use stemma_export::{create, Column, ColumnType, Format, Value};
use stemma_families::{find_families, tables, FamilyOptions, PairFilter, Stage};
use stemma_index::IndexReader;
use stemma_neardup::{NearDupOptions, Signatures};

/// Options of `stemma families`.
#[derive(clap::Args)]
pub struct FamiliesArgs {
    /// Files or folders to index first (as `stemma index` does); without
    /// them, --index must name an existing index.
    inputs: Vec<PathBuf>,
    /// The index to read (and to create or add to when INPUTs are given).
    #[arg(long, value_name = "DIR")]
    index: PathBuf,
    /// Directory for the tables (passages, pairs, families, sources).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Table formats, comma-separated: jsonl, csv, parquet.
    #[arg(long, value_name = "LIST", value_delimiter = ',', default_value = "jsonl")]
    format: Vec<String>,
    /// Pair filters (repeatable): across-sources, within-days=N, earlier-to-later.
    #[arg(long, value_name = "FILTER")]
    filter: Vec<String>,
    /// Fingerprints found in more documents than this are formulas, not reuse.
    #[arg(long, value_name = "N", default_value_t = FamilyOptions::default().max_df)]
    max_df: u64,
    /// Candidate pairs must share at least this many fingerprints.
    #[arg(long, value_name = "N", default_value_t = FamilyOptions::default().min_shared)]
    min_shared: u32,
    /// Memory for counting candidate pairs, in MB; beyond it, sorted runs
    /// are spilled to disk and merged.
    #[arg(long, value_name = "MB", default_value_t = 512)]
    memory: usize,
    /// Also join documents about one story without shared passages, by the
    /// similarity of their rare words (binary tf-idf cosine; 0.2 scored best
    /// on ECB+ story clusters).
    #[arg(long, value_name = "SIMILARITY", num_args = 0..=1, default_missing_value = "0.2")]
    stories: Option<f64>,
    /// Record field holding the outlet or series (when indexing INPUTs).
    #[arg(long, value_name = "NAME", value_delimiter = ',', default_value = "series,source")]
    series_field: Vec<String>,
    /// Whole-document near-duplicates instead of passage reuse: MinHash
    /// signatures of word 5-grams, LSH, clusters and a keep/drop list (the
    /// earliest document of a cluster is kept). Writes the tables
    /// neardup_dropped and neardup_clusters. Cannot see a passage lifted
    /// into a longer text: that is what plain `stemma families` finds.
    #[arg(long, conflicts_with_all = ["filter", "stories", "max_df", "min_shared", "memory"])]
    near_duplicates: bool,
    /// With --near-duplicates: estimated Jaccard similarity of the word
    /// 5-gram sets from which two documents are near-duplicates.
    #[arg(long, value_name = "SIMILARITY", default_value_t = 0.8, requires = "near_duplicates")]
    threshold: f64,
    /// With --near-duplicates: MinHash signature length (4 bytes per value
    /// and document); more values estimate the similarity more closely.
    #[arg(long, value_name = "N", default_value_t = 128, requires = "near_duplicates")]
    num_perm: usize,
}

fn parse_filters(specs: &[String]) -> Result<PairFilter, String> {
    let mut f = PairFilter::default();
    for s in specs {
        match s.split_once('=') {
            None if s == "across-sources" => f.across_sources = true,
            None if s == "earlier-to-later" => f.earlier_to_later = true,
            Some(("within-days", n)) => {
                f.within_days =
                    Some(n.parse().map_err(|_| format!("--filter {s}: within-days takes a number of days"))?)
            }
            _ => {
                return Err(format!(
                    "--filter {s}: unknown filter; use across-sources, within-days=N or earlier-to-later"
                ))
            }
        }
    }
    Ok(f)
}

/// `stemma families`.
pub fn families(a: FamiliesArgs) -> Result<ExitCode, String> {
    let formats: Vec<Format> = a.format.iter().map(|f| f.parse::<Format>()).collect::<Result<_, _>>()?;
    if a.near_duplicates {
        return near_duplicates(&a, &formats);
    }
    let filter = parse_filters(&a.filter)?;
    if !a.inputs.is_empty() {
        crate::index_cmd::index_paths(&a.inputs, &a.index, &a.series_field)?;
    }
    let reader = IndexReader::open(&a.index).map_err(|e| e.to_string())?;
    let opts = FamilyOptions {
        max_df: a.max_df,
        min_shared: a.min_shared.max(1),
        join_memory: a.memory.max(16) << 20,
        spill_dir: a.out.join(".spill"),
        filter,
        stories: a.stories,
        ..FamilyOptions::default()
    };
    let bar = Mutex::new(Progress::new("families"));
    let report = |stage: Stage, done: usize, total: usize| {
        let name = match stage {
            Stage::Join => "joining fingerprints (key ranges)",
            Stage::Read => "reading documents",
            Stage::Align => "aligning candidate pairs",
        };
        if let Ok(mut b) = bar.lock() {
            b.stage(name, done as u64, total as u64);
        }
    };
    let result = find_families(&reader, &opts, &report).map_err(|e| e.to_string())?;
    if let Ok(mut b) = bar.lock() {
        b.finish();
    }
    let files = tables::write_tables(&result, &a.out, &formats).map_err(|e| e.to_string())?;
    let s = &result.stats;
    println!(
        "{} documents · {} candidate pairs ({} after filters) · {} pairs sharing passages",
        s.documents, s.candidate_pairs, s.filtered_pairs, s.pairs_with_passages
    );
    let boiler = result.clusters.iter().filter(|c| c.boilerplate).count();
    println!(
        "{} passage clusters ({} same-source boilerplate) · {} families of 2+ documents (largest {})",
        result.clusters.len(),
        boiler,
        result.families.len(),
        result.families.iter().map(Vec::len).max().unwrap_or(0)
    );
    println!(
        "time: join {:.1} s, read {:.1} s, align {:.1} s, cluster {:.1} s; {} fingerprints skipped as too frequent; {} runs spilled",
        s.seconds[0], s.seconds[1], s.seconds[2], s.seconds[3], s.frequent_fingerprints, s.spilled_runs
    );
    println!("\n{:<34} {:>6} {:>9} {:>10} {:>8}", "source", "docs", "shared", "earlier", "delay");
    for src in &result.sources {
        println!(
            "{:<34} {:>6} {:>8.1}% {:>10} {:>8}",
            crate::render::one_line(&src.source, 34),
            src.docs,
            src.shared_elsewhere * 100.0,
            src.found_earlier_elsewhere.map_or("-".into(), |x| format!("{:.1}%", x * 100.0)),
            src.median_delay_days.map_or("-".into(), |x| format!("{x:.1} d"))
        );
    }
    println!();
    for f in files {
        println!("wrote {}", f.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Most MinHash values per signature `--num-perm` accepts.
const MAX_NUM_PERM: usize = 4096;

/// Documents signed per batch: only signatures and metadata are kept, not
/// the texts.
const NEARDUP_BATCH: usize = 4096;

fn neardup_dropped_schema() -> Vec<Column> {
    use ColumnType::*;
    vec![
        Column::required("id", Utf8, "id of the dropped document"),
        Column::required("kept", Utf8, "id of the document kept in its cluster"),
        Column::required("cluster", Int64, "near-duplicate cluster"),
        Column::required(
            "similarity",
            Float64,
            "estimated Jaccard similarity (word 5-grams) to the kept document, 3 decimals",
        ),
        Column::optional("series", Utf8, "source of the dropped document"),
        Column::optional("date", Utf8, "date of the dropped document as given"),
    ]
}

fn neardup_clusters_schema() -> Vec<Column> {
    use ColumnType::*;
    vec![
        Column::required("cluster", Int64, "near-duplicate cluster, numbered by its first document in index order"),
        Column::required("size", Int64, "documents in the cluster"),
        Column::required("id", Utf8, "document id"),
        Column::required("keep", Bool, "the document kept (earliest by date, then first in index order)"),
        Column::required("kept", Utf8, "id of the document kept in the cluster"),
        Column::required("similarity", Float64, "estimated Jaccard similarity to the kept document, 3 decimals"),
        Column::optional("series", Utf8, "document source"),
        Column::optional("date", Utf8, "document date as given"),
    ]
}

/// Metadata kept per document in near-duplicate mode.
struct NearDupDoc {
    id: String,
    series: Option<String>,
    date: Option<String>,
    /// Days since the epoch as a fixed-width string, so that text order is
    /// date order (what stemma-neardup compares); `None` without a readable
    /// date.
    day_key: Option<String>,
}

/// `stemma families --near-duplicates`.
fn near_duplicates(a: &FamiliesArgs, formats: &[Format]) -> Result<ExitCode, String> {
    if !(a.threshold > 0.0 && a.threshold <= 1.0) {
        return Err(format!("--threshold {}: must be a similarity above 0 and at most 1", a.threshold));
    }
    if a.num_perm < 2 || a.num_perm > MAX_NUM_PERM {
        return Err(format!("--num-perm {}: must be between 2 and {MAX_NUM_PERM}", a.num_perm));
    }
    if !a.inputs.is_empty() {
        crate::index_cmd::index_paths(&a.inputs, &a.index, &a.series_field)?;
    }
    let reader = IndexReader::open(&a.index).map_err(|e| e.to_string())?;
    let opts = NearDupOptions { threshold: a.threshold, num_perm: a.num_perm, ..NearDupOptions::default() };
    let total = reader.num_docs() as usize;
    let t = Instant::now();
    let mut bar = Progress::new("near-duplicates");
    let mut sigs = Signatures::new(opts.num_perm);
    let mut docs: Vec<NearDupDoc> = Vec::with_capacity(total);
    let mut batch: Vec<String> = Vec::with_capacity(NEARDUP_BATCH);
    reader
        .for_each_doc(|_, d| {
            let day_key = d
                .date
                .as_deref()
                .and_then(stemma_families::dates::parse_days)
                .map(|day| format!("{:020}", i128::from(day) - i128::from(i64::MIN)));
            docs.push(NearDupDoc { id: d.id, series: d.series, date: d.date, day_key });
            batch.push(d.text);
            if batch.len() == NEARDUP_BATCH {
                sigs.extend_from_texts(&batch, &opts);
                batch.clear();
                bar.stage("reading and signing documents", docs.len() as u64, total as u64);
            }
            Ok(())
        })
        .map_err(|e| e.to_string())?;
    sigs.extend_from_texts(&batch, &opts);
    drop(batch);
    let t_sign = t.elapsed().as_secs_f64();
    bar.finish();
    let t = Instant::now();
    let day_keys: Vec<Option<&str>> = docs.iter().map(|d| d.day_key.as_deref()).collect();
    let result = stemma_neardup::near_duplicates(&sigs, &day_keys, &opts);
    let t_lsh = t.elapsed().as_secs_f64();

    std::fs::create_dir_all(&a.out).map_err(|e| format!("{}: {e}", a.out.display()))?;
    let round = |s: f64| (s * 1000.0).round() / 1000.0;
    let mut files = Vec::new();
    for &format in formats {
        let path = |name: &str| a.out.join(format!("{name}.{}", format.extension()));
        let io_err = |p: &std::path::Path, e: std::io::Error| format!("{}: {e}", p.display());

        let p = path("neardup_dropped");
        let mut w = create(&p, neardup_dropped_schema()).map_err(|e| io_err(&p, e))?;
        for dec in result.decisions.iter().filter(|d| !d.keep) {
            let (Some(d), Some(k)) = (docs.get(dec.doc), docs.get(dec.kept)) else { continue };
            w.write_row(&[
                Value::Str(&d.id),
                Value::Str(&k.id),
                Value::Int(dec.cluster as i64),
                Value::Float(round(dec.similarity)),
                d.series.as_deref().into(),
                d.date.as_deref().into(),
            ])
            .map_err(|e| io_err(&p, e))?;
        }
        w.finish().map_err(|e| io_err(&p, e))?;
        files.push(p);

        let p = path("neardup_clusters");
        let mut w = create(&p, neardup_clusters_schema()).map_err(|e| io_err(&p, e))?;
        for (c, members) in result.clusters.iter().enumerate() {
            for &m in members {
                let (Some(dec), Some(d)) = (result.decision(m), docs.get(m)) else { continue };
                let kept = docs.get(dec.kept).map_or("", |k| k.id.as_str());
                w.write_row(&[
                    Value::Int(c as i64),
                    Value::Int(members.len() as i64),
                    Value::Str(&d.id),
                    Value::Bool(dec.keep),
                    Value::Str(kept),
                    Value::Float(round(dec.similarity)),
                    d.series.as_deref().into(),
                    d.date.as_deref().into(),
                ])
                .map_err(|e| io_err(&p, e))?;
            }
        }
        w.finish().map_err(|e| io_err(&p, e))?;
        files.push(p);
    }

    println!(
        "{} documents · threshold {} · {} values, {} bands × {} rows · {} candidate pairs, {} verified",
        docs.len(),
        opts.threshold,
        opts.num_perm,
        result.bands,
        result.rows,
        result.candidate_pairs,
        result.verified_pairs
    );
    println!(
        "{} near-duplicate clusters (largest {}) · {} documents dropped, {} kept",
        result.clusters.len(),
        result.clusters.iter().map(Vec::len).max().unwrap_or(0),
        result.dropped(),
        docs.len() - result.dropped()
    );
    println!("time: read and sign {t_sign:.1} s, LSH and clusters {t_lsh:.1} s");
    println!();
    for f in files {
        println!("wrote {}", f.display());
    }
    Ok(ExitCode::SUCCESS)
}
