//! `stemma families`: corpus-wide reuse, passage clusters and story
//! families, written as tables.

use crate::progress::Progress;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use stemma_export::Format;
use stemma_families::{find_families, tables, FamilyOptions, PairFilter, Stage};
use stemma_index::IndexReader;

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
