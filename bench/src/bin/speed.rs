//! Speed of `compare` on two 100 KB versions of a text, beside the floor
//! (normalize + tokenize + hash the same bytes), measured in the same run.
//!
//! Usage: cargo run --release -p stemma-bench --bin speed -- [--data ../shared/data] [--runs N]
//!
//! The texts are built from the French press corpus (fr-press) when it is
//! present: A is ~100 KB of articles; B is A re-edited (articles re-ordered,
//! 5 % of sentences dropped, 10 % altered, new material added). Without the
//! corpus, a synthetic text is used and the output says so.

use std::path::PathBuf;
use std::time::Instant;
use stemma_bench::{floor, peak_rss_mb, Rng};
use stemma_core::{compare, CompareOptions, Document};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut data = PathBuf::from("../shared/data");
    let mut runs = 9usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--data" => data = args.next().map(PathBuf::from).unwrap_or(data),
            "--runs" => runs = args.next().and_then(|v| v.parse().ok()).unwrap_or(runs),
            other => {
                eprintln!("speed: unknown argument {other}");
                std::process::exit(2);
            }
        }
    }
    let (articles, source) = stemma_bench::corpus::french_articles(&data, 400);
    println!("texts: {source}");
    let mut rng = Rng::new(42);
    let (a, b, c) = stemma_bench::corpus::version_pair(&articles, 100_000, &mut rng);
    println!("A {} bytes, B {} bytes (edited version of A), C {} bytes (unrelated)", a.len(), b.len(), c.len());
    let opts = CompareOptions::default();
    let da = Document::new("A", a.clone());
    let db = Document::new("B", b.clone());
    let dc = Document::new("C", c.clone());
    let mut results = Vec::new();
    for (name, x, y, dx, dy) in [("A vs B (versions)", &a, &b, &da, &db), ("A vs C (unrelated)", &a, &c, &da, &dc)] {
        let mut floor_t = Vec::new();
        let mut cmp_t = Vec::new();
        let mut passages = 0;
        for _ in 0..runs {
            let t = Instant::now();
            std::hint::black_box(floor(x) ^ floor(y));
            floor_t.push(t.elapsed().as_secs_f64());
            let t = Instant::now();
            let r = compare(dx, dy, &opts);
            cmp_t.push(t.elapsed().as_secs_f64());
            passages = r.passages.len();
        }
        let mb = (x.len() + y.len()) as f64 / 1e6;
        let (f, c) = (median(floor_t), median(cmp_t));
        results.push((name, f, c, mb, passages));
    }
    println!(
        "{:<22} {:>12} {:>12} {:>10} {:>9} {:>9}",
        "pair", "floor ms", "compare ms", "MB/s", "x floor", "passages"
    );
    for (name, f, c, mb, passages) in results {
        println!("{:<22} {:>12.2} {:>12.2} {:>10.1} {:>9.1} {:>9}", name, f * 1e3, c * 1e3, mb / c, c / f, passages);
    }
    println!("median of {runs} runs, {} threads; peak RSS {:.0} MB", rayon::current_num_threads(), peak_rss_mb());
}
