//! PAN 2013 text-alignment accuracy of stemma's aligner, with speed beside
//! the floor.
//!
//! Usage: cargo run --release -p stemma-bench --bin pan13 -- [--data DIR] [--limit N] [--only KIND]
//!
//! DIR holds the PAN 2013 training corpus (unpacked, or its .tar.gz, which
//! is unpacked into target/pan13-cache); default ../shared/data/pan13.

use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::Instant;
use stemma_align::{align, AlignOptions};
use stemma_bench::pan::{self, char_span, Annotation};
use stemma_bench::{floor, peak_rss_mb, secs};
use stemma_text::Analysis;

fn main() {
    let mut data = PathBuf::from("../shared/data/pan13");
    let mut limit = usize::MAX;
    let mut only: Option<String> = None;
    let mut worst = 0usize;
    let mut opts = AlignOptions::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--data" => data = args.next().map(PathBuf::from).unwrap_or(data),
            "--limit" => limit = args.next().and_then(|v| v.parse().ok()).unwrap_or(limit),
            "--only" => only = args.next(),
            "--set" => {
                let kv = args.next().unwrap_or_default();
                if let Err(e) = set_option(&mut opts, &kv) {
                    eprintln!("pan13: --set {kv}: {e}");
                    std::process::exit(2);
                }
            }
            "--worst" => worst = args.next().and_then(|v| v.parse().ok()).unwrap_or(10),
            "-h" | "--help" => {
                println!("pan13 [--data DIR] [--limit N per obfuscation type] [--only KIND]");
                return;
            }
            other => {
                eprintln!("pan13: unknown argument {other}");
                std::process::exit(2);
            }
        }
    }
    if !data.exists() {
        println!("pan13: {} is absent; the PAN 2013 corpus is needed for this benchmark (skipped).", data.display());
        return;
    }
    let root = match pan::locate(&data, &PathBuf::from("target/pan13-cache")) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("pan13: {e}");
            std::process::exit(2);
        }
    };
    let corpus = match pan::load(&root) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("pan13: {e}");
            std::process::exit(2);
        }
    };
    let mut per_kind: BTreeMap<String, usize> = BTreeMap::new();
    let pairs: Vec<&pan::Pair> = corpus
        .pairs
        .iter()
        .filter(|p| only.as_ref().is_none_or(|o| p.kind.contains(o.as_str())))
        .filter(|p| {
            let n = per_kind.entry(p.kind.clone()).or_default();
            *n += 1;
            *n <= limit
        })
        .collect();

    // Read every document once, outside the timed part.
    let t_read = Instant::now();
    let mut texts: HashMap<String, String> = HashMap::new();
    for p in &pairs {
        for (dir, name) in [("susp", &p.susp), ("src", &p.src)] {
            if !texts.contains_key(name.as_str()) {
                let bytes = std::fs::read(corpus.root.join(dir).join(name)).unwrap_or_default();
                texts.insert(name.clone(), String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    let read_s = secs(t_read);
    let total_bytes: usize = pairs.iter().map(|p| texts[&p.susp].len() + texts[&p.src].len()).sum();

    // Floor: normalize + tokenize + hash both texts of every pair.
    let t_floor = Instant::now();
    let check: u64 =
        pairs.par_iter().map(|p| floor(&texts[&p.susp]) ^ floor(&texts[&p.src])).reduce(|| 0, |a, b| a ^ b);
    let floor_s = secs(t_floor);

    // stemma: analyze both texts and align them, for every pair.
    let t_align = Instant::now();
    let detections: Vec<(usize, Vec<Annotation>)> = pairs
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let (ts, tr) = (&texts[&p.susp], &texts[&p.src]);
            let (a_s, a_r) = (Analysis::new(ts, None), Analysis::new(tr, None));
            let al = align(ts, &a_s, tr, &a_r, &opts);
            let dets = al
                .passages
                .iter()
                .map(|ps| {
                    let (to, tl) = char_span(ts, ps.a.clone());
                    let (so, sl) = char_span(tr, ps.b.clone());
                    Annotation {
                        susp: p.susp.clone(),
                        this_offset: to,
                        this_length: tl,
                        src: p.src.clone(),
                        source_offset: so,
                        source_length: sl,
                    }
                })
                .collect();
            (i, dets)
        })
        .collect();
    let align_s = secs(t_align);

    let mut kinds: Vec<String> = pairs.iter().map(|p| p.kind.clone()).collect();
    kinds.dedup();
    println!(
        "PAN 2013 text alignment, training corpus ({} pairs, {} threads)",
        pairs.len(),
        rayon::current_num_threads()
    );
    println!(
        "{:<28} {:>6} {:>6} {:>8} {:>9} {:>7} {:>11}",
        "obfuscation", "pairs", "cases", "plagdet", "precision", "recall", "granularity"
    );
    let mut all_cases = Vec::new();
    let mut all_dets = Vec::new();
    for kind in &kinds {
        let idx: Vec<usize> = (0..pairs.len()).filter(|&i| &pairs[i].kind == kind).collect();
        let cases: Vec<Annotation> = idx.iter().flat_map(|&i| pairs[i].cases.clone()).collect();
        let dets: Vec<Annotation> = idx.iter().flat_map(|&i| detections[i].1.clone()).collect();
        if cases.is_empty() {
            println!(
                "{:<28} {:>6} {:>6} {:>8} {:>9} {:>7} {:>11}   ({} false detections)",
                kind,
                idx.len(),
                0,
                "-",
                "-",
                "-",
                "-",
                dets.len()
            );
        } else {
            let s = pan::score(&cases, &dets);
            println!(
                "{:<28} {:>6} {:>6} {:>8.4} {:>9.4} {:>7.4} {:>11.4}",
                kind,
                idx.len(),
                cases.len(),
                s.plagdet,
                s.precision,
                s.recall,
                s.granularity
            );
        }
        all_cases.extend(cases);
        all_dets.extend(dets);
    }
    let s = pan::score(&all_cases, &all_dets);
    println!(
        "{:<28} {:>6} {:>6} {:>8.4} {:>9.4} {:>7.4} {:>11.4}",
        "overall",
        pairs.len(),
        all_cases.len(),
        s.plagdet,
        s.precision,
        s.recall,
        s.granularity
    );
    if worst > 0 {
        // Cases with the lowest recall, to see what the aligner misses.
        let mut rows: Vec<(f64, &Annotation, Vec<Annotation>, &str)> = Vec::new();
        for (i, p) in pairs.iter().enumerate() {
            for c in &p.cases {
                let r = pan::macro_recall(std::slice::from_ref(c), &detections[i].1);
                rows.push((r, c, detections[i].1.clone(), &p.kind));
            }
        }
        if std::env::var_os("PAN_PRECISION").is_some() {
            rows = Vec::new();
            for (i, p) in pairs.iter().enumerate() {
                for d in &detections[i].1 {
                    let r = pan::macro_recall(std::slice::from_ref(d), &p.cases);
                    rows.push((r, d, p.cases.clone(), &p.kind));
                }
            }
        }
        rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (r, c, d, kind) in rows.iter().take(worst) {
            println!(
                "recall {:.2} {} {} [{}+{}] {} [{}+{}]  detections: {:?}",
                r,
                kind,
                c.susp,
                c.this_offset,
                c.this_length,
                c.src,
                c.source_offset,
                c.source_length,
                d.iter().map(|x| (x.this_offset, x.this_length, x.source_offset, x.source_length)).collect::<Vec<_>>()
            );
        }
    }
    let mb = total_bytes as f64 / 1e6;
    println!();
    println!("speed ({} pairs, {:.1} MB of text per pass, read once beforehand in {:.2} s):", pairs.len(), mb, read_s);
    println!(
        "  floor (normalize + tokenize + hash): {:>8.2} s  {:>9.0} pairs/s  {:>7.1} MB/s   [checksum {:x}]",
        floor_s,
        pairs.len() as f64 / floor_s,
        mb / floor_s,
        check & 0xffff
    );
    println!(
        "  stemma compare (analyze + align):    {:>8.2} s  {:>9.0} pairs/s  {:>7.1} MB/s   ({:.1}x the floor)",
        align_s,
        pairs.len() as f64 / align_s,
        mb / align_s,
        align_s / floor_s
    );
    println!("  peak RSS {:.0} MB", peak_rss_mb());
}

/// Sets one aligner option from `name=value` (for parameter studies).
fn set_option(o: &mut AlignOptions, kv: &str) -> Result<(), String> {
    let (k, v) = kv.split_once('=').ok_or("expected name=value")?;
    let f = || v.parse::<f32>().map_err(|e| e.to_string());
    let u = || v.parse::<usize>().map_err(|e| e.to_string());
    match k {
        "k" => o.k = u()?,
        "window" => o.window = u()?,
        "max_occurrences" => o.max_occurrences = u()?,
        "min_run_words" => o.min_run_words = u()? as u32,
        "min_unit_words" => o.min_unit_words = u()?,
        "seed_cosine" => o.seed_cosine = f()?,
        "seed_dice" => o.seed_dice = f()?,
        "max_gap" => o.max_gap = u()? as u32,
        "min_gap" => o.min_gap = u()? as u32,
        "validation" => o.validation = f()?,
        "min_passage_chars" => o.min_passage_chars = u()?,
        "merge_chars" => o.merge_chars = u()?,
        "summaries" => o.summaries = v == "true",
        "summary_gap" => o.summary_gap = u()? as u32,
        "verbatim_words" => o.verbatim_words = u()? as u32,
        "summary_ratio" => o.summary_ratio = u()?,
        "summary_coverage" => o.summary_coverage = f()? as f64,
        "trim_fraction" => o.trim_fraction = f()?,
        "max_unshared_words" => o.max_unshared_words = u()?,
        _ => return Err(format!("unknown option {k}")),
    }
    Ok(())
}
