//! Writes families of versions with a known copy tree and known
//! alterations, to evaluate `stemma trace` (see bench/TRACE_EVAL.md).
//!
//! ```sh
//! cargo run --release -p stemma-bench --bin trace_gen -- [--seed 2026] [--families 40] \
//!     [--out target/trace-eval/gen] [--data ../shared/data]
//! ```
//!
//! Writes `OUT/docs.jsonl` (`id`, `family`, `text`, `title`, `date`?,
//! `series`, `lang`), `OUT/truth.jsonl` (a `family` record with the tree,
//! then one `alteration` or `benign` record per edit, with its byte span)
//! and `OUT/families/<family>.jsonl`. Articles are read from ../shared/data
//! at run time; when it is absent the program says so and uses a few
//! built-in synthetic articles (a smoke test, not a measurement).

use std::path::PathBuf;
use stemma_bench::trace_gen::{generate, load_articles, summary, write, GenOptions};

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let seed: u64 = arg(&args, "--seed").and_then(|v| v.parse().ok()).unwrap_or(2026);
    let families: usize = arg(&args, "--families").and_then(|v| v.parse().ok()).unwrap_or(40);
    let out = PathBuf::from(arg(&args, "--out").unwrap_or_else(|| "target/trace-eval/gen".into()));
    let data = PathBuf::from(arg(&args, "--data").unwrap_or_else(|| "../shared/data".into()));
    let t = std::time::Instant::now();
    let pool = load_articles(&data, &out.join("cache"));
    println!("articles: {}", pool.source);
    let g = generate(&pool, &GenOptions { seed, families });
    write(&out, &g)?;
    println!("seed {seed}: {}", summary(&g));
    println!(
        "wrote {} and {} in {:.1} s",
        out.join("docs.jsonl").display(),
        out.join("truth.jsonl").display(),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
