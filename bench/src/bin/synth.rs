//! Writes a synthetic corpus with known copies, and its truth, as JSONL.
//!
//! ```sh
//! cargo run --release -p stemma-bench --bin synth -- --docs 100000 --out target/neardup \
//!     [--words 500] [--seed 2026] [--data ../shared/data]
//! ```
//!
//! Writes `OUT/synthetic-N.jsonl` (`id` = `d<i>`, `series`, `date`, `text`;
//! the same records as `index_bench scale` writes for the same N) and
//! `OUT/synthetic-N.truth.jsonl`, one line per injected copy:
//! `{"doc": i, "id": "d<i>", "source": s, "source_id": "d<s>", "kind": "exact"|"edited"|"partial"}`.
//! Documents not listed are originals. Sentences come from ../shared/data
//! (BBC and fr-press) when present; the program says when they are not and
//! falls back to a generated vocabulary. Records are generated in parallel
//! and written in order, so the files are the same for any thread count.

use rayon::prelude::*;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;
use stemma_bench::synth::{load_pool, Corpus, Origin};

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let docs: usize = arg(&args, "--docs").and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let words: usize = arg(&args, "--words").and_then(|v| v.parse().ok()).unwrap_or(500);
    let seed: u64 = arg(&args, "--seed").and_then(|v| v.parse().ok()).unwrap_or(2026);
    let out = PathBuf::from(arg(&args, "--out").unwrap_or_else(|| "target/neardup".into()));
    let data = PathBuf::from(arg(&args, "--data").unwrap_or_else(|| "../shared/data".into()));
    std::fs::create_dir_all(&out)?;
    if !data.is_dir() {
        println!("note: {} is absent; sentences will come from a generated vocabulary", data.display());
    }
    let t = Instant::now();
    let pool = load_pool(&data, &out.join("cache"));
    println!("sentences: {}", pool.source);
    let corpus = Corpus::new(&pool, docs, words, seed);

    let file = out.join(format!("synthetic-{docs}.jsonl"));
    let mut f = std::io::BufWriter::with_capacity(1 << 22, std::fs::File::create(&file)?);
    let mut bytes = 0u64;
    const CHUNK: usize = 8192;
    for start in (0..docs).step_by(CHUNK) {
        let lines: Vec<String> =
            (start..(start + CHUNK).min(docs)).into_par_iter().map(|i| corpus.jsonl_record(i)).collect();
        for line in lines {
            bytes += line.len() as u64 + 1;
            writeln!(f, "{line}")?;
        }
    }
    f.flush()?;

    let truth = out.join(format!("synthetic-{docs}.truth.jsonl"));
    let mut g = std::io::BufWriter::new(std::fs::File::create(&truth)?);
    let mut counts = [0usize; 3];
    for i in 0..docs {
        if let Origin::Copy { source, kind } = corpus.origin(i) {
            counts[kind as usize] += 1;
            let rec = serde_json::json!({
                "doc": i, "id": format!("d{i}"), "source": source, "source_id": format!("d{source}"), "kind": kind.name(),
            });
            writeln!(g, "{rec}")?;
        }
    }
    g.flush()?;
    println!(
        "wrote {} ({:.1} MB, {docs} documents of about {words} words) and {} ({} exact, {} edited, {} partial copies) in {:.1} s",
        file.display(),
        bytes as f64 / 1e6,
        truth.display(),
        counts[0],
        counts[1],
        counts[2],
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
