//! `stemma index`, `query`, `remove`, `stats` and `verify`.

use crate::progress::Progress;
use crate::{render, use_color, OutputArgs};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use stemma_index::{IndexOptions, IndexReader, IndexWriter};
use stemma_ingest::json::FieldMap;
use stemma_ingest::readers::{self, IngestStats, ReaderOptions};
use stemma_ingest::{read_document, ReadOptions};
use stemma_query::QueryOptions;

/// Options of `stemma index`.
#[derive(clap::Args)]
pub struct IndexArgs {
    /// Files or folders to read: .jsonl, .csv, .warc, folders of
    /// .txt/.md/.html/.json files; gzip or zstd compressed or not.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// The index directory (created when it does not exist).
    #[arg(long, value_name = "DIR")]
    index: PathBuf,
    /// Record field (or CSV column) holding the id.
    #[arg(long, value_name = "NAME", default_value = "id")]
    id_field: String,
    /// Record field holding the text.
    #[arg(long, value_name = "NAME", default_value = "text")]
    text_field: String,
    /// Record field holding the title.
    #[arg(long, value_name = "NAME", default_value = "title")]
    title_field: String,
    /// Record field holding the URL.
    #[arg(long, value_name = "NAME", default_value = "url")]
    url_field: String,
    /// Record field holding the date.
    #[arg(long, value_name = "NAME", default_value = "date")]
    date_field: String,
    /// Record fields holding the outlet or series (first present wins).
    #[arg(long, value_name = "NAME", value_delimiter = ',', default_value = "series,source")]
    series_field: Vec<String>,
    /// Record field holding the language code.
    #[arg(long, value_name = "NAME", default_value = "lang")]
    lang_field: String,
    /// In folders, only read files whose relative path matches (repeatable).
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// In folders, skip files whose relative path matches (repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Documents per commit (each commit is durable on its own).
    #[arg(long, value_name = "N", default_value_t = IndexOptions::default().batch_docs)]
    batch: usize,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

/// Options of `stemma query`.
#[derive(clap::Args)]
pub struct QueryArgs {
    /// The text to look for: a file (.txt, .html, .json), or - for standard input.
    /// With --id, the id of an indexed document instead.
    input: String,
    /// The index directory.
    #[arg(long, value_name = "DIR")]
    index: PathBuf,
    /// INPUT is the id of an indexed document (which is not returned).
    #[arg(long)]
    id: bool,
    /// Results to return.
    #[arg(long, value_name = "K", default_value_t = 10)]
    top: usize,
    /// Skip fingerprints found in more than N documents as boilerplate
    /// (default: the larger of 50 and 1 % of the index).
    #[arg(long, value_name = "N")]
    max_df: Option<u64>,
    #[command(flatten)]
    output: OutputArgs,
}

fn fields(a: &IndexArgs) -> FieldMap {
    FieldMap {
        id: a.id_field.clone(),
        text: a.text_field.clone(),
        title: a.title_field.clone(),
        url: a.url_field.clone(),
        date: a.date_field.clone(),
        series: a.series_field.clone(),
        lang: a.lang_field.clone(),
    }
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// Indexes `inputs` into `dir` with the default field names (but the
/// series fields given), printing the summary; for `stemma families INPUT...`.
pub fn index_paths(inputs: &[PathBuf], dir: &std::path::Path, series_fields: &[String]) -> Result<(), String> {
    let fields = FieldMap { series: series_fields.to_vec(), ..FieldMap::default() };
    let ropts = ReaderOptions { fields, ..ReaderOptions::default() };
    run_index(inputs, dir, &ropts, IndexOptions::default().batch_docs, false)
}

/// `stemma index`.
pub fn index(a: IndexArgs) -> Result<ExitCode, String> {
    let ropts = ReaderOptions {
        fields: fields(&a),
        include: a.include.clone(),
        exclude: a.exclude.clone(),
        ..ReaderOptions::default()
    };
    run_index(&a.inputs, &a.index, &ropts, a.batch, a.json)?;
    Ok(ExitCode::SUCCESS)
}

fn run_index(
    inputs: &[PathBuf],
    dir: &std::path::Path,
    ropts: &ReaderOptions,
    batch: usize,
    json: bool,
) -> Result<(), String> {
    let reader = readers::open(inputs, ropts).map_err(|e| e.to_string())?;
    let progress_src = reader.progress();
    let iopts = IndexOptions { batch_docs: batch.max(1), ..IndexOptions::default() };
    let mut writer = IndexWriter::open(dir, iopts).map_err(|e| e.to_string())?;
    let mut stats = IngestStats::default();
    let mut bar = Progress::new("indexing");
    let mut text_bytes = 0u64;
    let announce = |bar: &mut Progress, info: &stemma_index::CommitInfo, accepted: u64| {
        // One line per commit, so that an interrupted run says what is safe.
        bar.println(&format!(
            "stemma: committed generation {}: {} documents in the index ({} records accepted so far)",
            info.generation, info.documents, accepted
        ));
    };
    // Records are read and parsed on a thread of their own while the
    // writer fingerprints the previous ones in parallel.
    let (tx, rx) = std::sync::mpsc::sync_channel::<readers::Item>(1024);
    let reading = std::thread::spawn(move || {
        for item in reader {
            if tx.send(item).is_err() {
                break;
            }
        }
    });
    for item in rx {
        stats.add(&item);
        if let Ok(rec) = item {
            text_bytes += rec.doc.text.len() as u64;
            if let Some(info) = writer.add(rec.doc).map_err(|e| e.to_string())? {
                announce(&mut bar, &info, stats.accepted);
            }
        }
        bar.update(stats.accepted + stats.skipped_total(), progress_src.bytes_read(), progress_src.total_bytes());
    }
    let _ = reading.join();
    let info = writer.commit().map_err(|e| e.to_string())?;
    announce(&mut bar, &info, stats.accepted);
    bar.finish();
    let secs = bar.elapsed();
    stats.bytes_read = progress_src.bytes_read();
    if json {
        let skipped: serde_json::Map<String, serde_json::Value> =
            stats.skipped.iter().map(|(r, n)| (r.name().to_string(), (*n).into())).collect();
        let v = serde_json::json!({
            "schema": "stemma.index",
            "schema_version": 1,
            "accepted": stats.accepted,
            "skipped": skipped,
            "warnings": stats.warned,
            "examples": stats.examples,
            "bytes_read": stats.bytes_read,
            "text_bytes": text_bytes,
            "seconds": (secs * 1000.0).round() / 1000.0,
            "index": { "path": dir.display().to_string(), "documents": info.documents, "bytes": info.bytes, "generation": info.generation },
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        println!("{stats}");
        for e in &stats.examples {
            println!("  e.g. {e}");
        }
        println!(
            "read {} ({} of text) in {:.1} s: {:.0} records/s, {:.1} MB/s",
            mb(stats.bytes_read),
            mb(text_bytes),
            secs,
            (stats.accepted + stats.skipped_total()) as f64 / secs.max(1e-3),
            stats.bytes_read as f64 / 1e6 / secs.max(1e-3)
        );
        println!(
            "index {}: {} documents, {} on disk ({:.0} % of the text), generation {}",
            dir.display(),
            info.documents,
            mb(info.bytes),
            100.0 * info.bytes as f64 / text_bytes.max(1) as f64,
            info.generation
        );
    }
    Ok(())
}

/// `stemma query`.
pub fn query(a: QueryArgs) -> Result<ExitCode, String> {
    let reader = IndexReader::open(&a.index).map_err(|e| e.to_string())?;
    let mut opts = QueryOptions { top: a.top.max(1), max_df: a.max_df, ..QueryOptions::default() };
    let doc = if a.id {
        opts.exclude = Some(a.input.clone());
        reader
            .get(&a.input)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("{}: no document with this id in {}", a.input, a.index.display()))?
    } else if a.input == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).map_err(|e| format!("standard input: {e}"))?;
        let loaded = stemma_ingest::parse_document("standard input", "stdin", &bytes, stemma_ingest::Format::Text)
            .map_err(|e| e.to_string())?;
        for w in &loaded.warnings {
            eprintln!("stemma: warning: {w}");
        }
        loaded.doc
    } else {
        let loaded =
            read_document(std::path::Path::new(&a.input), &ReadOptions::default()).map_err(|e| e.to_string())?;
        for w in &loaded.warnings {
            eprintln!("stemma: warning: {w}");
        }
        loaded.doc
    };
    let report = stemma_query::query(&reader, &doc, &opts).map_err(|e| e.to_string())?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = if a.output.json {
        serde_json::to_writer_pretty(&mut out, &report).map_err(std::io::Error::other).and_then(|_| writeln!(out))
    } else {
        render::render_query(&report, &render::Style { color: use_color(a.output.color) }, &mut out)
    };
    written.and_then(|_| out.flush()).map_err(|e| format!("writing the results: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

/// `stemma remove`.
pub fn remove(ids: &[String], dir: &std::path::Path) -> Result<ExitCode, String> {
    if !dir.exists() {
        return Err(stemma_index::IndexError::NotAnIndex(dir.to_path_buf()).to_string());
    }
    let mut w = IndexWriter::open(dir, IndexOptions::default()).map_err(|e| e.to_string())?;
    for id in ids {
        w.remove(id);
    }
    let info = w.commit().map_err(|e| e.to_string())?;
    println!(
        "removed {} document(s); {} not in the index; {} documents left",
        info.removed, info.not_found, info.documents
    );
    Ok(ExitCode::SUCCESS)
}

/// `stemma stats`.
pub fn stats(dir: &std::path::Path, json: bool) -> Result<ExitCode, String> {
    let r = IndexReader::open(dir).map_err(|e| e.to_string())?;
    let s = r.stats();
    if json {
        println!("{}", serde_json::to_string_pretty(&s).map_err(|e| e.to_string())?);
    } else {
        println!("index {} (format {}, generation {})", s.path, s.format, s.generation);
        println!("  documents   {} live, {} deleted awaiting a merge", s.documents, s.deleted);
        println!(
            "  size        {} in {} segment(s): documents {}, fingerprints {}, words {}",
            mb(s.bytes),
            s.segments,
            mb(s.document_bytes),
            mb(s.fingerprint_bytes),
            mb(s.word_bytes)
        );
        println!("  fingerprints {} (k = {} content words, window {})", s.fingerprint_keys, s.k, s.window);
        let langs: Vec<String> = s.languages.iter().map(|(l, n)| format!("{l} {n}")).collect();
        println!("  languages   {}", langs.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

/// `stemma verify`.
pub fn verify(dir: &std::path::Path) -> Result<ExitCode, String> {
    let r = IndexReader::open(dir).map_err(|e| e.to_string())?;
    let n = r.verify().map_err(|e| e.to_string())?;
    println!("index {}: {} segments and {} documents verified", dir.display(), r.segments().len(), n);
    Ok(ExitCode::SUCCESS)
}
