//! Ingest and query benchmarks of the index.
//!
//! ```sh
//! # real republications in the French press corpus
//! cargo run --release -p stemma-bench --bin index_bench -- fr-press [--data ../shared/data]
//! # synthetic corpus of N documents with injected copies (not in CI)
//! cargo run --release -p stemma-bench --bin index_bench -- scale --docs 100000 [--data ../shared/data]
//! ```
//!
//! Both print ingest documents/s and MB/s beside the floor (read + parse +
//! normalize + hash the same bytes, measured in the same run), index size
//! against the raw text, query latency p50/p99, and recall of the other
//! versions in the top 10.

use rustc_hash::{FxHashMap, FxHashSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::time::Instant;
use stemma_bench::synth::{load_pool, Corpus, Origin};
use stemma_bench::{floor, peak_rss_mb};
use stemma_core::Document;
use stemma_index::{IndexOptions, IndexReader, IndexWriter};
use stemma_ingest::readers::{self, ReaderOptions};

// The allocator of `stemma` itself, for the floor and the ingest alike.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use stemma_query::{query, QueryOptions};

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

/// Floor: read the JSONL, parse each record, normalize and hash its text.
/// Returns seconds, records, a checksum and the bytes of text.
fn floor_pass(path: &Path) -> (f64, u64, u64, u64) {
    let t = Instant::now();
    let f = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(path).expect("corpus file"));
    let (mut n, mut acc, mut text_bytes) = (0u64, 0u64, 0u64);
    for line in f.lines().map_while(Result::ok) {
        if let Some(text) = serde_json::from_str::<serde_json::Value>(&line)
            .ok()
            .and_then(|v| v.get("text").and_then(|t| t.as_str()).map(str::to_string))
        {
            acc ^= floor(&text);
            n += 1;
            text_bytes += text.len() as u64;
        }
    }
    (t.elapsed().as_secs_f64(), n, acc, text_bytes)
}

/// Ingests a file into a fresh index; returns seconds and documents.
fn ingest(path: &Path, index: &Path) -> (f64, u64) {
    let _ = std::fs::remove_dir_all(index);
    let t = Instant::now();
    let reader = readers::open(&[path.to_path_buf()], &ReaderOptions::default()).expect("readable corpus");
    let mut w = IndexWriter::open(index, IndexOptions::default()).expect("index");
    // As `stemma index` does: reading on its own thread.
    let (tx, rx) = std::sync::mpsc::sync_channel(1024);
    let reading = std::thread::spawn(move || {
        for item in reader {
            if tx.send(item).is_err() {
                break;
            }
        }
    });
    for rec in rx.into_iter().flatten() {
        w.add(rec.doc).expect("add");
    }
    let _ = reading.join();
    let info = w.commit().expect("commit");
    (t.elapsed().as_secs_f64(), info.documents)
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn report_ingest(label: &str, file: &Path, index: &Path) -> IndexReader {
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    let (fs, fnum, check, text_bytes) = floor_pass(file);
    let (is, docs) = ingest(file, index);
    let r = IndexReader::open(index).expect("index opens");
    let s = r.stats();
    let mb = bytes as f64 / 1e6;
    println!("{label}: {docs} documents, {mb:.1} MB of JSONL");
    println!(
        "  floor (read + parse + normalize + hash): {fs:>7.2} s  {:>9.0} docs/s  {:>6.1} MB/s  [{:x}]",
        fnum as f64 / fs,
        mb / fs,
        check & 0xfff
    );
    println!(
        "  stemma index:                          {is:>7.2} s  {:>9.0} docs/s  {:>6.1} MB/s  ({:.2}x the floor)",
        docs as f64 / is,
        mb / is,
        is / fs
    );
    println!(
        "  index size {:.1} MB = {:.1} % of the text ({:.1} MB), {:.1} % of the JSONL (documents {:.1} MB, fingerprints {:.1} MB, words {:.1} MB), {} segments",
        s.bytes as f64 / 1e6,
        100.0 * s.bytes as f64 / text_bytes.max(1) as f64,
        text_bytes as f64 / 1e6,
        100.0 * s.bytes as f64 / bytes.max(1) as f64,
        s.document_bytes as f64 / 1e6,
        s.fingerprint_bytes as f64 / 1e6,
        s.word_bytes as f64 / 1e6,
        s.segments
    );
    println!("  peak RSS so far {:.0} MB", peak_rss_mb());
    r
}

fn words(text: &str) -> Vec<String> {
    stemma_text::fold_str(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn fr_press(data: &Path, out: &Path) {
    let file = data.join("fr-press/fr_press_gilets_jaunes.jsonl");
    if !file.is_file() {
        println!("fr-press: {} is absent (skipped)", file.display());
        return;
    }
    let r = report_ingest("fr-press", &file, &out.join("fr-press-index"));
    // Ground truth independent of stemma: cross-outlet pairs sharing at
    // least 30 12-word shingles (the corpus notes' own check).
    let content = std::fs::read_to_string(&file).unwrap_or_default();
    let mut docs: Vec<(String, String, Vec<u64>)> = Vec::new();
    for line in content.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        let id = v.get("id").and_then(|x| x.as_str()).unwrap_or_default().to_string();
        let outlet = v.get("outlet").and_then(|x| x.as_str()).unwrap_or_default().to_string();
        let text = v.get("text").and_then(|x| x.as_str()).unwrap_or_default();
        let w = words(text);
        let mut sh: Vec<u64> = w.windows(12).map(|x| xxhash_rust::xxh3::xxh3_64(x.join(" ").as_bytes())).collect();
        sh.sort_unstable();
        sh.dedup();
        docs.push((id, outlet, sh));
    }
    let mut by_shingle: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for (i, (_, _, sh)) in docs.iter().enumerate() {
        for &s in sh {
            by_shingle.entry(s).or_default().push(i as u32);
        }
    }
    let mut shared: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    for list in by_shingle.values().filter(|l| l.len() > 1 && l.len() < 50) {
        for (x, &a) in list.iter().enumerate() {
            for &b in &list[x + 1..] {
                *shared.entry((a, b)).or_default() += 1;
            }
        }
    }
    let mut partners: FxHashMap<u32, FxHashSet<u32>> = FxHashMap::default();
    let mut pairs = 0;
    for (&(a, b), &n) in &shared {
        if n >= 30 && docs[a as usize].1 != docs[b as usize].1 {
            partners.entry(a).or_default().insert(b);
            partners.entry(b).or_default().insert(a);
            pairs += 1;
        }
    }
    let mut queried: Vec<u32> = partners.keys().copied().collect();
    queried.sort_unstable();
    let step = (queried.len() / 300).max(1);
    let sample: Vec<u32> = queried.into_iter().step_by(step).take(300).collect();
    let (mut found, mut total) = (0usize, 0usize);
    let mut lat = Vec::new();
    for &q in &sample {
        let id = &docs[q as usize].0;
        let Ok(Some(doc)) = r.get(id) else { continue };
        let opts = QueryOptions { exclude: Some(id.clone()), ..QueryOptions::default() };
        let t = Instant::now();
        let Ok(res) = query(&r, &doc, &opts) else { continue };
        lat.push(t.elapsed().as_secs_f64() * 1e3);
        let got: FxHashSet<&str> = res.results.iter().map(|x| x.id.as_str()).collect();
        for p in &partners[&q] {
            total += 1;
            found += usize::from(got.contains(docs[*p as usize].0.as_str()));
        }
    }
    println!(
        "  ground truth: {pairs} cross-outlet pairs sharing >= 30 12-word shingles; {} articles queried ({} other versions)",
        sample.len(),
        total
    );
    println!(
        "  recall of the other versions in the top 10: {:.3}; query latency p50 {:.1} ms, p99 {:.1} ms (2 threads)",
        found as f64 / total.max(1) as f64,
        percentile(&mut lat.clone(), 0.5),
        percentile(&mut lat, 0.99)
    );
}

fn scale(data: &Path, out: &Path, n: usize) {
    let pool = load_pool(data, &out.join("cache"));
    println!("sentences: {}", pool.source);
    let corpus = Corpus::new(&pool, n, 500, 2026);
    let file = out.join(format!("synthetic-{n}.jsonl"));
    if !file.is_file() {
        let t = Instant::now();
        let bytes = corpus.write_jsonl(&file).expect("write corpus");
        println!("generated {} ({:.1} MB) in {:.1} s", file.display(), bytes as f64 / 1e6, t.elapsed().as_secs_f64());
    }
    let r = report_ingest(&format!("synthetic {n}"), &file, &out.join(format!("synthetic-{n}-index")));
    // Queries: ~1000-word articles made of an injected copy and another
    // original; the copy's source must be in the top 10.
    let copies: Vec<(usize, usize)> = (0..n)
        .filter_map(|i| match corpus.origin(i) {
            Origin::Copy { source, .. } => Some((i, source)),
            Origin::Original => None,
        })
        .collect();
    let step = (copies.len() / 300).max(1);
    let (mut found, mut total) = (0usize, 0usize);
    let mut lat = Vec::new();
    let mut qwords = 0usize;
    for (k, &(copy, source)) in copies.iter().step_by(step).take(300).enumerate() {
        let other = (copy * 7919 + k) % n;
        let text = format!("{}\n\n{}", corpus.text(copy), corpus.text(other));
        qwords += text.split_whitespace().count();
        let doc = Document::new(format!("query-{k}"), text);
        let opts = QueryOptions { exclude: Some(format!("d{copy}")), ..QueryOptions::default() };
        let t = Instant::now();
        let Ok(res) = query(&r, &doc, &opts) else { continue };
        lat.push(t.elapsed().as_secs_f64() * 1e3);
        total += 1;
        found += usize::from(res.results.iter().any(|x| x.id == format!("d{source}")));
    }
    println!(
        "  queries: {} articles of {} words on average; recall of the injected copy's source in the top 10: {:.3}",
        total,
        qwords / total.max(1),
        found as f64 / total.max(1) as f64
    );
    println!(
        "  query latency p50 {:.1} ms, p99 {:.1} ms (2 threads); peak RSS {:.0} MB",
        percentile(&mut lat.clone(), 0.5),
        percentile(&mut lat, 0.99),
        peak_rss_mb()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let data = PathBuf::from(arg(&args, "--data").unwrap_or_else(|| "../shared/data".into()));
    let out = PathBuf::from(arg(&args, "--out").unwrap_or_else(|| "target/bench-index".into()));
    let _ = std::fs::create_dir_all(&out);
    match args.first().map(String::as_str) {
        Some("fr-press") => fr_press(&data, &out),
        Some("scale") => {
            let n = arg(&args, "--docs").and_then(|v| v.parse().ok()).unwrap_or(10_000);
            scale(&data, &out, n);
        }
        _ => {
            eprintln!("usage: index_bench fr-press|scale [--docs N] [--data DIR] [--out DIR]");
            std::process::exit(2);
        }
    }
}
