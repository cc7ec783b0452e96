//! Near-duplicate mode (stemma-neardup) on a synthetic corpus from `synth`:
//! wall time, peak RSS, recall per copy type and pairwise precision.
//!
//! ```sh
//! cargo run --release -p stemma-bench --bin synth -- --docs 100000 --out target/neardup
//! cargo run --release -p stemma-bench --bin neardup_bench -- --corpus target/neardup/synthetic-100000.jsonl \
//!     [--truth target/neardup/synthetic-100000.truth.jsonl] [--threshold 0.8] [--num-perm 128] [--shingle 5] \
//!     [--bands B,R] [--clusters FILE] [--micro] [--accuracy]
//! ```
//!
//! The timed run is the whole job on the JSONL: read, parse, tokenize,
//! sign (streamed in batches, only signatures kept), LSH, verification,
//! clusters and the keep/drop list. A copy counts as found when it lands in
//! its source's cluster; precision is the share of document pairs inside
//! clusters that are related (a copy and its source, or two copies of one
//! source). `--clusters` writes the clusters (one JSON array of document
//! numbers per line) for `bench/peers/peers.py --evaluate`, which scores
//! the peers the same way. `--micro` also times the signature schemes on
//! the first 20,000 documents, one thread; `--accuracy` compares their
//! estimates with the exact Jaccard similarity on the copy/source pairs.

use rayon::prelude::*;
use serde::Deserialize;
use std::borrow::Cow;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;
use stemma_bench::{peak_rss_mb, secs};
use stemma_neardup::{near_duplicates, shingle_hashes, signature, NearDupOptions, Signatures};

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

#[derive(Deserialize)]
struct Record<'a> {
    #[serde(borrow)]
    text: Cow<'a, str>,
    #[serde(borrow, default)]
    date: Option<Cow<'a, str>>,
}

/// Reads the corpus in batches, parses and signs each batch in parallel.
/// A line that does not parse keeps its place with an empty text, so that
/// document numbers stay line numbers.
fn sign_corpus(path: &Path, opts: &NearDupOptions) -> (Signatures, Vec<Option<String>>, usize) {
    const BATCH: usize = 8192;
    let f = std::io::BufReader::with_capacity(1 << 22, std::fs::File::open(path).expect("corpus file"));
    let mut sigs = Signatures::new(opts.num_perm);
    let mut dates = Vec::new();
    let mut bad = 0usize;
    let mut lines: Vec<String> = Vec::with_capacity(BATCH);
    let mut flush = |lines: &mut Vec<String>, sigs: &mut Signatures, dates: &mut Vec<Option<String>>| {
        let recs: Vec<Option<Record>> = lines.par_iter().map(|l| serde_json::from_str::<Record>(l).ok()).collect();
        bad += recs.iter().filter(|r| r.is_none()).count();
        let texts: Vec<&str> = recs.iter().map(|r| r.as_ref().map_or("", |r| &*r.text)).collect();
        sigs.extend_from_texts(&texts, opts);
        dates.extend(recs.iter().map(|r| r.as_ref().and_then(|r| r.date.as_deref().map(str::to_string))));
        lines.clear();
    };
    for line in f.lines() {
        lines.push(line.expect("read corpus"));
        if lines.len() == BATCH {
            flush(&mut lines, &mut sigs, &mut dates);
        }
    }
    flush(&mut lines, &mut sigs, &mut dates);
    (sigs, dates, bad)
}

struct Truth {
    /// `(source, kind)` of each copy, by document.
    copy: Vec<Option<(usize, String)>>,
}

fn read_truth(path: &Path, n: usize) -> Truth {
    let mut copy = vec![None; n];
    let f = std::io::BufReader::new(std::fs::File::open(path).expect("truth file"));
    for line in f.lines().map_while(Result::ok) {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else { continue };
        let (Some(doc), Some(source), Some(kind)) = (
            v.get("doc").and_then(|x| x.as_u64()),
            v.get("source").and_then(|x| x.as_u64()),
            v.get("kind").and_then(|x| x.as_str()),
        ) else {
            continue;
        };
        if let Some(slot) = copy.get_mut(doc as usize) {
            *slot = Some((source as usize, kind.to_string()));
        }
    }
    Truth { copy }
}

/// Recall per kind (found, total) and pairwise precision (related, pairs).
fn evaluate(clusters: &[Vec<usize>], truth: &Truth) -> (Vec<(String, usize, usize)>, usize, usize) {
    let n = truth.copy.len();
    let mut cluster_of = vec![usize::MAX; n];
    for (c, members) in clusters.iter().enumerate() {
        for &d in members {
            cluster_of[d] = c;
        }
    }
    let mut recall: Vec<(String, usize, usize)> =
        ["exact", "edited", "partial"].iter().map(|k| (k.to_string(), 0, 0)).collect();
    for (d, c) in truth.copy.iter().enumerate() {
        if let Some((source, kind)) = c {
            if let Some(r) = recall.iter_mut().find(|r| &r.0 == kind) {
                r.2 += 1;
                r.1 += usize::from(cluster_of[d] != usize::MAX && cluster_of[d] == cluster_of[*source]);
            }
        }
    }
    let root = |d: usize| truth.copy[d].as_ref().map_or(d, |c| c.0);
    let (mut related, mut pairs) = (0usize, 0usize);
    for members in clusters {
        let m = members.len();
        pairs += m * (m - 1) / 2;
        let mut roots: Vec<usize> = members.iter().map(|&d| root(d)).collect();
        roots.sort_unstable();
        let mut i = 0;
        while i < roots.len() {
            let j = roots[i..].iter().take_while(|&&r| r == roots[i]).count();
            related += j * (j - 1) / 2;
            i += j;
        }
    }
    (recall, related, pairs)
}

/// Classic MinHash with one multiply-shift hash per permutation, 32-bit
/// values: the SIMD-friendly form of the per-permutation loop.
fn classic_u32(hashes: &[u64], a: &[u64], b: &[u64], out: &mut [u32]) {
    out.fill(u32::MAX);
    for &h in hashes {
        for ((o, &ai), &bi) in out.iter_mut().zip(a).zip(b) {
            let v = (ai.wrapping_mul(h).wrapping_add(bi) >> 32) as u32;
            *o = (*o).min(v);
        }
    }
}

fn micro(path: &Path, opts: &NearDupOptions) {
    let f = std::io::BufReader::new(std::fs::File::open(path).expect("corpus file"));
    let texts: Vec<String> = f
        .lines()
        .map_while(Result::ok)
        .take(20_000)
        .filter_map(|l| serde_json::from_str::<Record>(&l).ok().map(|r| r.text.into_owned()))
        .collect();
    let n = texts.len().max(1) as f64;
    let k = opts.num_perm;
    let t = Instant::now();
    let mut ntok = 0usize;
    for s in &texts {
        ntok += stemma_text::tokenize(s, None).len();
    }
    let tok = secs(t);
    let t = Instant::now();
    let shingles: Vec<Vec<u64>> = texts.iter().map(|s| shingle_hashes(s, opts)).collect();
    let shing = secs(t);
    let t = Instant::now();
    let mut acc = 0u64;
    for s in &shingles {
        acc ^= stemma_fingerprint::minhash(s.iter().copied(), k, opts.seed)[0];
    }
    let classic = secs(t);
    let a: Vec<u64> = (0..k as u64).map(|i| stemma_fingerprint::mix64(i * 2 + 1) | 1).collect();
    let b: Vec<u64> = (0..k as u64).map(|i| stemma_fingerprint::mix64(i * 2 + 2)).collect();
    let mut out = vec![0u32; k];
    let t = Instant::now();
    for s in &shingles {
        classic_u32(s, &a, &b, &mut out);
        acc ^= u64::from(out[0]);
    }
    let simd = secs(t);
    let t = Instant::now();
    for s in &shingles {
        acc ^= u64::from(stemma_neardup::signature_from_hashes(s, k, opts.seed)[0]);
    }
    let oph = secs(t);
    let t = Instant::now();
    for s in &texts {
        acc ^= u64::from(signature(s, opts)[0]);
    }
    let full = secs(t);
    let per = |s: f64| s / n * 1e6;
    println!(
        "micro ({} documents, {:.0} tokens each, one thread, µs per document; checksum {acc:x}):",
        texts.len(),
        ntok as f64 / n
    );
    println!("  tokenize                                  {:8.1}", per(tok));
    println!("  tokenize + 5-gram shingle hashes          {:8.1}", per(shing));
    println!("  signature only: classic, u64 mix64 / perm {:8.1}  (stemma_fingerprint::minhash)", per(classic));
    println!("  signature only: classic, u32 a*x+b / perm {:8.1}  (vectorizable loop)", per(simd));
    println!("  signature only: one-permutation + dens.   {:8.1}  (stemma-neardup)", per(oph));
    println!("  text -> signature (stemma-neardup)        {:8.1}", per(full));
}

/// Estimation error of the signatures on the copy/source pairs of the first
/// 20,000 documents: one-permutation hashing (stemma-neardup) and classic
/// MinHash (`stemma_fingerprint::minhash`, 64-bit values) against the exact
/// Jaccard similarity of the shingle sets.
fn accuracy(path: &Path, truth_path: &Path, opts: &NearDupOptions) {
    let f = std::io::BufReader::new(std::fs::File::open(path).expect("corpus file"));
    let texts: Vec<String> = f
        .lines()
        .map_while(Result::ok)
        .take(20_000)
        .map(|l| serde_json::from_str::<Record>(&l).map(|r| r.text.into_owned()).unwrap_or_default())
        .collect();
    let truth = read_truth(truth_path, texts.len());
    let sets: Vec<Vec<u64>> = texts
        .par_iter()
        .map(|t| {
            let mut h = shingle_hashes(t, opts);
            h.sort_unstable();
            h.dedup();
            h
        })
        .collect();
    let oph: Vec<Vec<u32>> = texts.par_iter().map(|t| signature(t, opts)).collect();
    let classic: Vec<Vec<u64>> =
        sets.par_iter().map(|s| stemma_fingerprint::minhash(s.iter().copied(), opts.num_perm, opts.seed)).collect();
    println!(
        "accuracy on the copy/source pairs of the first {} documents ({} values; error = estimate - exact Jaccard):",
        texts.len(),
        opts.num_perm
    );
    println!("  kind     pairs  exact J  one-perm mean err / rmse  classic mean err / rmse  share >= {} exact / one-perm / classic", opts.threshold);
    for kind in ["exact", "edited", "partial"] {
        let (mut n, mut sj, mut e1, mut q1, mut e2, mut q2) = (0usize, 0.0, 0.0, 0.0, 0.0, 0.0);
        let (mut c0, mut c1, mut c2) = (0usize, 0usize, 0usize);
        for (d, c) in truth.copy.iter().enumerate() {
            let Some((src, k)) = c else { continue };
            if k != kind {
                continue;
            }
            let (a, b) = (&sets[d], &sets[*src]);
            let mut inter = 0usize;
            let (mut i, mut j) = (0, 0);
            while i < a.len() && j < b.len() {
                match a[i].cmp(&b[j]) {
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                    std::cmp::Ordering::Equal => {
                        inter += 1;
                        i += 1;
                        j += 1;
                    }
                }
            }
            let union = a.len() + b.len() - inter;
            let exact = if union == 0 { 0.0 } else { inter as f64 / union as f64 };
            let x = stemma_neardup::similarity(&oph[d], &oph[*src]);
            let y = stemma_fingerprint::minhash_similarity(&classic[d], &classic[*src]);
            n += 1;
            sj += exact;
            e1 += x - exact;
            q1 += (x - exact).powi(2);
            e2 += y - exact;
            q2 += (y - exact).powi(2);
            c0 += usize::from(exact >= opts.threshold);
            c1 += usize::from(x >= opts.threshold);
            c2 += usize::from(y >= opts.threshold);
        }
        let m = n.max(1) as f64;
        println!(
            "  {kind:8} {n:5}  {:7.3}  {:+8.4} / {:.4}            {:+8.4} / {:.4}           {:.3} / {:.3} / {:.3}",
            sj / m,
            e1 / m,
            (q1 / m).sqrt(),
            e2 / m,
            (q2 / m).sqrt(),
            c0 as f64 / m,
            c1 as f64 / m,
            c2 as f64 / m
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let corpus = PathBuf::from(arg(&args, "--corpus").unwrap_or_else(|| "target/neardup/synthetic-10000.jsonl".into()));
    let truth_path = arg(&args, "--truth").map(PathBuf::from).unwrap_or_else(|| {
        let s = corpus.to_string_lossy();
        PathBuf::from(s.strip_suffix(".jsonl").map_or(format!("{s}.truth"), str::to_string) + ".truth.jsonl")
    });
    for (what, p) in [("corpus", &corpus), ("truth", &truth_path)] {
        if !p.is_file() {
            eprintln!("neardup_bench: {what} file {} not found (write it with `synth`)", p.display());
            std::process::exit(2);
        }
    }
    let mut opts = NearDupOptions::default();
    if let Some(t) = arg(&args, "--threshold").and_then(|v| v.parse().ok()) {
        opts.threshold = t;
    }
    if let Some(k) = arg(&args, "--num-perm").and_then(|v| v.parse().ok()) {
        opts.num_perm = k;
    }
    if let Some(n) = arg(&args, "--shingle").and_then(|v| v.parse().ok()) {
        opts.shingle = n;
    }
    if let Some(br) = arg(&args, "--bands") {
        let v: Vec<usize> = br.split(',').filter_map(|x| x.parse().ok()).collect();
        if let [b, r] = v[..] {
            opts.bands = Some((b, r));
        }
    }
    if args.iter().any(|a| a == "--micro") {
        micro(&corpus, &opts);
    }
    if args.iter().any(|a| a == "--accuracy") {
        accuracy(&corpus, &truth_path, &opts);
    }

    let t0 = Instant::now();
    let (sigs, dates, bad) = sign_corpus(&corpus, &opts);
    let t_sign = secs(t0);
    let t1 = Instant::now();
    let date_refs: Vec<Option<&str>> = dates.iter().map(|d| d.as_deref()).collect();
    let result = near_duplicates(&sigs, &date_refs, &opts);
    let t_lsh = secs(t1);
    let total = secs(t0);
    let rss = peak_rss_mb();
    let n = sigs.len();

    let truth = read_truth(&truth_path, n);
    let (recall, related, pairs) = evaluate(&result.clusters, &truth);
    let precision = if pairs == 0 { 1.0 } else { related as f64 / pairs as f64 };
    let copies: usize = recall.iter().map(|r| r.2).sum();
    println!(
        "stemma-neardup on {} ({n} documents, {bad} unreadable), threshold {}, {} permutations, {}-word shingles, \
         {} bands x {} rows, {} threads",
        corpus.display(),
        opts.threshold,
        opts.num_perm,
        opts.shingle,
        result.bands,
        result.rows,
        rayon::current_num_threads()
    );
    println!(
        "  {total:.2} s (read+parse+sign {t_sign:.2} s, LSH+verify+clusters {t_lsh:.2} s), peak RSS {rss:.0} MB, \
         signatures {:.0} MB",
        sigs.heap_bytes() as f64 / 1e6
    );
    println!(
        "  {} candidate pairs, {} verified; {} clusters, {} documents dropped ({copies} injected copies)",
        result.candidate_pairs,
        result.verified_pairs,
        result.clusters.len(),
        result.dropped()
    );
    let rec = |k: &str| recall.iter().find(|r| r.0 == k).map_or(0.0, |r| r.1 as f64 / r.2.max(1) as f64);
    for (kind, found, all) in &recall {
        println!("  recall {kind:8} {:.3} ({found}/{all})", *found as f64 / (*all).max(1) as f64);
    }
    println!("  precision {precision:.4} ({related}/{pairs} pairs in clusters are copy-related)");
    let summary = serde_json::json!({
        "tool": "stemma-neardup", "docs": n, "seconds": total, "peak_mb": rss,
        "threads": rayon::current_num_threads(),
        "threshold": opts.threshold, "num_perm": opts.num_perm, "shingle": opts.shingle,
        "bands": result.bands, "rows": result.rows,
        "recall": {"exact": rec("exact"), "edited": rec("edited"), "partial": rec("partial")},
        "precision": precision, "dropped": result.dropped(), "clusters": result.clusters.len(),
    });
    println!("RESULT {summary}");
    if let Some(p) = arg(&args, "--clusters") {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&p).expect("clusters file"));
        for c in &result.clusters {
            writeln!(f, "{}", serde_json::json!(c)).expect("write clusters");
        }
        f.flush().expect("write clusters");
    }
}
