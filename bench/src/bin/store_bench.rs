//! The store micro-benchmark of the dependency survey, run on stemma's own
//! segment format so that the figures compare with redb, SQLite, tantivy and
//! fjall measured the same way: 100k documents × 200 random 64-bit
//! fingerprints, 20 % drawn from a shared pool, ingested in batches of 10k;
//! 50 queries of 1,000 fingerprints.
//!
//! Usage: cargo run --release -p stemma-bench --bin store_bench -- [--out DIR]

use std::time::Instant;
use stemma_bench::Rng;
use stemma_index::postings::stored_key;
use stemma_index::segment::{self, IndexedDoc, Segment, Table};

fn main() {
    let out = std::env::args().skip_while(|a| a != "--out").nth(1).unwrap_or_else(|| "target/bench-store".into());
    let dir = std::path::PathBuf::from(out);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("output directory");
    let mut rng = Rng::new(5);
    let pool: Vec<u64> = (0..100_000).map(|_| rng.next_u64()).collect();
    let (docs, per_doc, batch) = (100_000usize, 200usize, 10_000usize);
    let t = Instant::now();
    let mut bytes = 0u64;
    let mut segments = Vec::new();
    for b in 0..docs / batch {
        let batch_docs: Vec<IndexedDoc> = (0..batch)
            .map(|i| {
                let mut fps: Vec<u64> = (0..per_doc)
                    .map(|_| stored_key(if rng.chance(0.2) { pool[rng.below(pool.len())] } else { rng.next_u64() }))
                    .collect();
                fps.sort_unstable();
                fps.dedup();
                IndexedDoc {
                    id: format!("d{}", b * batch + i),
                    json: format!("{{\"id\":\"d{}\",\"text\":\"\"}}", b * batch + i).into_bytes(),
                    fingerprints: fps,
                    words: Vec::new(),
                    tokens: 0,
                    lang: 0,
                }
            })
            .collect();
        let path = dir.join(format!("seg-{b:06}.stm"));
        let s = segment::write(&path, &batch_docs, 3).expect("segment written");
        bytes += s.bytes;
        segments.push(Segment::open(&path).expect("segment opens"));
    }
    let ingest = t.elapsed().as_secs_f64();
    let mut lat = Vec::new();
    for _ in 0..50 {
        let mut q: Vec<u64> = (0..1000)
            .map(|_| stored_key(if rng.chance(0.2) { pool[rng.below(pool.len())] } else { rng.next_u64() }))
            .collect();
        q.sort_unstable();
        q.dedup();
        let t = Instant::now();
        let mut hits = 0usize;
        for s in &segments {
            s.lookup(Table::Fingerprints, &q, |_, docs| hits += docs.len()).expect("lookup");
        }
        std::hint::black_box(hits);
        lat.push(t.elapsed().as_secs_f64() * 1e3);
    }
    lat.sort_by(f64::total_cmp);
    println!(
        "stemma segments: ingest {:.1} s, {:.0} MB on disk, query p50 {:.2} ms (p99 {:.2} ms) over {} segments",
        ingest,
        bytes as f64 / 1e6,
        lat[lat.len() / 2],
        lat[lat.len() * 99 / 100],
        segments.len()
    );
}
