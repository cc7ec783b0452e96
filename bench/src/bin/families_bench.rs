//! Families benchmarks.
//!
//! ```sh
//! cargo run --release -p stemma-bench --bin families_bench -- fr-press   # real reuse between French outlets
//! cargo run --release -p stemma-bench --bin families_bench -- ecb        # ECB+ story clusters: purity, ARI
//! cargo run --release -p stemma-bench --bin families_bench -- scale --docs 100000   # injected copies
//! ```
//! Options: `--data DIR` (default ../shared/data), `--out DIR` (default
//! target/bench-families), `--threads N`.

use rustc_hash::{FxHashMap, FxHashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;
use stemma_bench::peak_rss_mb;
use stemma_bench::synth::{load_pool, CopyKind, Corpus, Origin};
use stemma_families::{find_families, FamiliesResult, FamilyOptions, PairFilter};
use stemma_index::{IndexOptions, IndexReader, IndexWriter};
use stemma_ingest::json::FieldMap;
use stemma_ingest::readers::{self, ReaderOptions};

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn build_index(file: &Path, dir: &Path, fields: FieldMap) -> f64 {
    let _ = std::fs::remove_dir_all(dir);
    let t = Instant::now();
    let reader =
        readers::open(&[file.to_path_buf()], &ReaderOptions { fields, ..ReaderOptions::default() }).expect("input");
    let mut w = IndexWriter::open(dir, IndexOptions::default()).expect("index");
    for rec in reader.flatten() {
        w.add(rec.doc).expect("add");
    }
    w.commit().expect("commit");
    t.elapsed().as_secs_f64()
}

fn run(dir: &Path, opts: &FamilyOptions) -> (FamiliesResult, f64) {
    let r = IndexReader::open(dir).expect("index");
    let t = Instant::now();
    let res = find_families(&r, opts, &|_, _, _| {}).expect("families");
    (res, t.elapsed().as_secs_f64())
}

fn fr_press(data: &Path, out: &Path) {
    let file = data.join("fr-press/fr_press_gilets_jaunes.jsonl");
    if !file.is_file() {
        println!("fr-press: {} absent (skipped)", file.display());
        return;
    }
    let dir = out.join("fr-press-index");
    let fields = FieldMap { series: vec!["outlet".into()], ..FieldMap::default() };
    let it = build_index(&file, &dir, fields);
    let opts = FamilyOptions {
        filter: PairFilter { across_sources: true, ..PairFilter::default() },
        ..FamilyOptions::default()
    };
    let (res, secs) = run(&dir, &opts);
    let s = &res.stats;
    println!(
        "fr-press: {} documents indexed in {:.1} s; families (across sources) in {:.1} s, peak RSS {:.0} MB",
        s.documents,
        it,
        secs,
        peak_rss_mb()
    );
    println!(
        "  {} candidate pairs, {} cross-outlet pairs sharing passages, {} passage clusters ({} boilerplate), {} families",
        s.candidate_pairs,
        s.pairs_with_passages,
        res.clusters.len(),
        res.clusters.iter().filter(|c| c.boilerplate).count(),
        res.families.len()
    );
    let mut sizes: Vec<usize> = res.families.iter().map(Vec::len).collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    let hist = |lo: usize, hi: usize| sizes.iter().filter(|&&x| x >= lo && x <= hi).count();
    println!(
        "  family sizes: 2: {}, 3-5: {}, 6-10: {}, 11-50: {}, >50: {}; largest {:?}",
        hist(2, 2),
        hist(3, 5),
        hist(6, 10),
        hist(11, 50),
        hist(51, usize::MAX),
        &sizes[..sizes.len().min(5)]
    );
    // Clusters spanning the most outlets: the same text republished.
    let mut by_outlets: Vec<(usize, usize)> = res
        .clusters
        .iter()
        .filter(|c| !c.boilerplate)
        .map(|c| {
            let outlets: FxHashSet<&Option<String>> =
                c.members.iter().map(|m| &res.docs[m.doc as usize].series).collect();
            (outlets.len(), c.id)
        })
        .collect();
    by_outlets.sort_unstable_by(|a, b| b.cmp(a));
    println!(
        "  clusters by number of outlets: {} in 3+ outlets, {} in 5+",
        by_outlets.iter().filter(|x| x.0 >= 3).count(),
        by_outlets.iter().filter(|x| x.0 >= 5).count()
    );
    for &(n, c) in by_outlets.iter().take(3) {
        let cl = &res.clusters[c];
        let mut outlets: Vec<String> =
            cl.members.iter().filter_map(|m| res.docs[m.doc as usize].series.clone()).collect();
        outlets.sort();
        outlets.dedup();
        let m = &cl.members[0];
        let text = res.texts[m.doc as usize].as_deref().and_then(|t| t.get(m.span.clone())).unwrap_or("");
        let words: Vec<&str> = text.split_whitespace().take(25).collect();
        println!(
            "    cluster {c}: {} documents, {n} outlets ({}); «{} …»",
            cl.docs,
            outlets.join(", "),
            words.join(" ")
        );
    }
    println!("  per outlet: source, docs, share shared with other outlets, share found earlier elsewhere, median delay (days)");
    for src in &res.sources {
        println!(
            "    {:<44} {:>5}  {:>5.1}%  {:>7}  {:>6}",
            src.source,
            src.docs,
            src.shared_elsewhere * 100.0,
            src.found_earlier_elsewhere.map_or("-".into(), |x| format!("{:.1}%", x * 100.0)),
            src.median_delay_days.map_or("-".into(), |x| format!("{x:.1}"))
        );
    }
}

/// Adjusted Rand index of two labellings of the same items.
fn ari(pred: &[usize], truth: &[usize]) -> f64 {
    let c2 = |n: u64| n * n.saturating_sub(1) / 2;
    let mut table: FxHashMap<(usize, usize), u64> = FxHashMap::default();
    let mut a: FxHashMap<usize, u64> = FxHashMap::default();
    let mut b: FxHashMap<usize, u64> = FxHashMap::default();
    for (&p, &t) in pred.iter().zip(truth) {
        *table.entry((p, t)).or_default() += 1;
        *a.entry(p).or_default() += 1;
        *b.entry(t).or_default() += 1;
    }
    let index: f64 = table.values().map(|&n| c2(n) as f64).sum();
    let sa: f64 = a.values().map(|&n| c2(n) as f64).sum();
    let sb: f64 = b.values().map(|&n| c2(n) as f64).sum();
    let total = c2(pred.len() as u64) as f64;
    let expected = sa * sb / total;
    let max = (sa + sb) / 2.0;
    if (max - expected).abs() < f64::EPSILON {
        return 1.0;
    }
    (index - expected) / (max - expected)
}

fn purity(pred: &[usize], truth: &[usize]) -> f64 {
    let mut table: FxHashMap<(usize, usize), usize> = FxHashMap::default();
    for (&p, &t) in pred.iter().zip(truth) {
        *table.entry((p, t)).or_default() += 1;
    }
    let mut best: FxHashMap<usize, usize> = FxHashMap::default();
    for ((p, _), n) in table {
        let e = best.entry(p).or_default();
        *e = (*e).max(n);
    }
    best.values().sum::<usize>() as f64 / pred.len().max(1) as f64
}

fn ecb(data: &Path, out: &Path) {
    let file = data.join("ecb-plus/ecbplus_documents.jsonl");
    let Ok(content) = std::fs::read_to_string(&file) else {
        println!("ecb: {} absent (skipped)", file.display());
        return;
    };
    // Records: doc_id, subtopic, sentences → id, text, series = subtopic kept aside.
    let tmp = out.join("ecb.jsonl");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp).expect("tmp"));
    let mut truth_of: FxHashMap<String, String> = FxHashMap::default();
    for line in content.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        let id = v["doc_id"].as_str().unwrap_or_default().to_string();
        let text: Vec<&str> =
            v["sentences"].as_array().map(|a| a.iter().filter_map(|s| s.as_str()).collect()).unwrap_or_default();
        truth_of.insert(id.clone(), v["subtopic"].as_str().unwrap_or_default().to_string());
        let _ = writeln!(f, "{}", serde_json::json!({"id": id, "text": text.join("\n")}));
    }
    drop(f);
    let dir = out.join("ecb-index");
    build_index(&tmp, &dir, FieldMap::default());
    let threshold: Option<f64> = std::env::args().skip_while(|a| a != "--stories").nth(1).and_then(|v| v.parse().ok());
    let (res, secs) = run(&dir, &FamilyOptions { stories: threshold, ..FamilyOptions::default() });
    let mut labels: FxHashMap<String, usize> = FxHashMap::default();
    let truth: Vec<usize> = res
        .docs
        .iter()
        .map(|d| {
            let t = truth_of.get(&d.id).cloned().unwrap_or_default();
            let n = labels.len();
            *labels.entry(t).or_insert(n)
        })
        .collect();
    // Each family is a cluster; documents in no family are clusters of one.
    let pred: Vec<usize> = (0..res.docs.len()).map(|i| res.family_of[i].unwrap_or(res.families.len() + i)).collect();
    let in_fam = res.family_of.iter().filter(|f| f.is_some()).count();
    println!(
        "ecb+: {} documents, {} gold stories; {} families covering {} documents ({:.1} s)",
        res.docs.len(),
        labels.len(),
        res.families.len(),
        in_fam,
        secs
    );
    println!(
        "  purity {:.3}, adjusted Rand index {:.3} (singletons count as clusters)",
        purity(&pred, &truth),
        ari(&pred, &truth)
    );
}

fn scale(data: &Path, out: &Path, n: usize) {
    let pool = load_pool(data, &out.join("cache"));
    println!("sentences: {}", pool.source);
    let corpus = Corpus::new(&pool, n, 500, 2026);
    let file = out.join(format!("families-{n}.jsonl"));
    if !file.is_file() {
        corpus.write_jsonl(&file).expect("corpus");
    }
    let dir = out.join(format!("families-{n}-index"));
    let it = build_index(&file, &dir, FieldMap::default());
    let min_shared: u32 = std::env::var("MIN_SHARED").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    let (res, secs) = run(&dir, &FamilyOptions { min_shared, ..FamilyOptions::default() });
    let index_of: FxHashMap<&str, u32> = res.docs.iter().enumerate().map(|(i, d)| (d.id.as_str(), i as u32)).collect();
    let found: FxHashSet<(u32, u32)> = res.pairs.iter().map(|p| (p.a.min(p.b), p.a.max(p.b))).collect();
    let mut per_kind: FxHashMap<CopyKind, (usize, usize)> = FxHashMap::default();
    let mut truth_pairs: FxHashSet<(u32, u32)> = FxHashSet::default();
    let mut copies_of: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for i in 0..n {
        if let Origin::Copy { source, kind } = corpus.origin(i) {
            copies_of.entry(source).or_default().push(i);
            let (Some(&a), Some(&b)) =
                (index_of.get(format!("d{i}").as_str()), index_of.get(format!("d{source}").as_str()))
            else {
                continue;
            };
            let key = (a.min(b), a.max(b));
            truth_pairs.insert(key);
            let e = per_kind.entry(kind).or_default();
            e.1 += 1;
            e.0 += usize::from(found.contains(&key));
            if !found.contains(&key) && std::env::var_os("SHOW_MISSED").is_some() {
                let src = corpus.text(source);
                let cp = corpus.text(i);
                let r = stemma_index::IndexReader::open(&dir).expect("index");
                let fa = stemma_index::fingerprint(&src, None, r.params());
                let fb = stemma_index::fingerprint(&cp, None, r.params());
                let sa: FxHashSet<u64> = fa.fingerprints.iter().copied().collect();
                let shared = fb.fingerprints.iter().filter(|f| sa.contains(f)).count();
                let al = stemma_align::align(
                    &src,
                    &stemma_text::Analysis::new(&src, None),
                    &cp,
                    &stemma_text::Analysis::new(&cp, None),
                    &FamilyOptions::default().align,
                );
                println!(
                    "missed {} d{i} of d{source}: shared fingerprints {shared}, passages {:?}",
                    kind.name(),
                    al.passages.iter().map(|p| (p.a.len(), p.b.len(), p.similarity)).collect::<Vec<_>>()
                );
            }
        }
    }
    // Copies of one source share its text too: those pairs are right.
    for cs in copies_of.values() {
        for (x, &i) in cs.iter().enumerate() {
            for &j in &cs[x + 1..] {
                if let (Some(&a), Some(&b)) =
                    (index_of.get(format!("d{i}").as_str()), index_of.get(format!("d{j}").as_str()))
                {
                    truth_pairs.insert((a.min(b), a.max(b)));
                }
            }
        }
    }
    let correct = found.iter().filter(|p| truth_pairs.contains(p)).count();
    if std::env::var_os("SHOW_FALSE").is_some() {
        for p in res.pairs.iter().filter(|p| !truth_pairs.contains(&(p.a.min(p.b), p.a.max(p.b)))).take(8) {
            for q in &p.passages {
                let t = res.texts[p.a as usize].as_deref().and_then(|t| t.get(q.a.clone())).unwrap_or("");
                println!(
                    "false pair {} {} shared {} len {} sim {:.2}: {}",
                    res.docs[p.a as usize].id,
                    res.docs[p.b as usize].id,
                    p.shared,
                    q.a.len(),
                    q.similarity,
                    &t.chars().take(160).collect::<String>()
                );
            }
        }
    }
    let mut kinds: Vec<_> = per_kind.into_iter().collect();
    kinds.sort_by_key(|(k, _)| *k);
    let recall: Vec<String> =
        kinds.iter().map(|(k, (f, t))| format!("{} {:.3} ({f}/{t})", k.name(), *f as f64 / *t as f64)).collect();
    println!(
        "synthetic {n}: indexed in {:.1} s; families in {:.1} s (join {:.1}, read {:.1}, align {:.1}); peak RSS {:.0} MB",
        it,
        secs,
        res.stats.seconds[0],
        res.stats.seconds[1],
        res.stats.seconds[2],
        peak_rss_mb()
    );
    println!(
        "  {} candidate pairs, {} pairs with passages; recall {}; precision {:.3}",
        res.stats.candidate_pairs,
        res.pairs.len(),
        recall.join(", "),
        correct as f64 / found.len().max(1) as f64
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let data = PathBuf::from(arg(&args, "--data").unwrap_or_else(|| "../shared/data".into()));
    let out = PathBuf::from(arg(&args, "--out").unwrap_or_else(|| "target/bench-families".into()));
    if let Some(t) = arg(&args, "--threads").and_then(|v| v.parse().ok()) {
        let _ = rayon::ThreadPoolBuilder::new().num_threads(t).build_global();
    }
    let _ = std::fs::create_dir_all(&out);
    match args.first().map(String::as_str) {
        Some("fr-press") => fr_press(&data, &out),
        Some("ecb") => ecb(&data, &out),
        Some("scale") => scale(&data, &out, arg(&args, "--docs").and_then(|v| v.parse().ok()).unwrap_or(10_000)),
        _ => {
            eprintln!("usage: families_bench fr-press|ecb|scale [--docs N] [--data DIR] [--out DIR] [--threads N]");
            std::process::exit(2);
        }
    }
}
