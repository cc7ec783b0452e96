//! Scores main-text extractors on the labelled pages of
//! `crates/stemma-extract/tests/pages` (each `NAME.html` with its expected
//! text in `NAME.txt`): word-level precision, recall and F1 per page,
//! macro-averaged, and the time per page.
//!
//! Usage: `extract-eval [--reps N] [--pages DIR] [--only NAME] [--show CANDIDATE:PAGE]`

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::Instant;

/// The baseline, `stemma_ingest::html::visible_text`, compiled from its
/// source file rather than through the stemma-ingest crate, so that this
/// harness does not depend on the rest of that crate.
#[allow(dead_code)]
#[path = "../../../crates/stemma-ingest/src/html.rs"]
mod ingest_html;

type Extractor = fn(&str) -> String;

/// Pages numbered from this one on were written after stemma-extract's
/// algorithm was designed and frozen: its out-of-sample check. The pages
/// before it were in view while the algorithm was designed.
const HELD_OUT_FIRST: u32 = 17;

fn baseline(html: &str) -> String {
    ingest_html::visible_text(html).text
}

fn stemma(html: &str) -> String {
    stemma_extract::extract(html, None).text
}

fn trafilatura_default(html: &str) -> String {
    let opts = trafilatura::Options::default();
    trafilatura::extract(html, &opts).map(|r| r.content_text).unwrap_or_default()
}

fn trafilatura_fallback(html: &str) -> String {
    let opts = trafilatura::Options::default().with_fallback(true);
    trafilatura::extract(html, &opts).map(|r| r.content_text).unwrap_or_default()
}

fn rs_trafilatura(html: &str) -> String {
    rs_trafilatura::extract(html).map(|r| r.content_text).unwrap_or_default()
}

fn dom_smoothie_formatted(html: &str) -> String {
    let cfg = dom_smoothie::Config { text_mode: dom_smoothie::TextMode::Formatted, ..Default::default() };
    match dom_smoothie::Readability::new(html, None, Some(cfg)) {
        Ok(mut r) => r.parse().map(|a| a.text_content.to_string()).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

fn readability_03(html: &str) -> String {
    let url = url::Url::parse("https://example.org/article").expect("static url");
    let mut cursor = std::io::Cursor::new(html.as_bytes());
    readability::extractor::extract(&mut cursor, &url).map(|p| p.text).unwrap_or_default()
}

const CANDIDATES: &[(&str, Extractor)] = &[
    ("baseline visible_text", baseline),
    ("stemma-extract", stemma),
    ("trafilatura 0.6", trafilatura_default),
    ("trafilatura 0.6 +fallback", trafilatura_fallback),
    ("rs-trafilatura 0.2.2", rs_trafilatura),
    ("dom_smoothie 0.19", dom_smoothie_formatted),
    ("readability 0.3", readability_03),
];

/// Words: maximal runs of alphanumeric characters, lowercased. Punctuation,
/// quotes and spaces (including no-break spaces) only separate words.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Precision, recall, F1 of the predicted words against the expected ones,
/// as multisets (a word counted as often as it occurs in both).
fn score(pred: &str, gold: &str) -> (f64, f64, f64) {
    let p = words(pred);
    let g = words(gold);
    let mut counts: HashMap<&str, i64> = HashMap::new();
    for w in &g {
        *counts.entry(w).or_default() += 1;
    }
    let mut common = 0i64;
    for w in &p {
        if let Some(c) = counts.get_mut(w.as_str()) {
            if *c > 0 {
                *c -= 1;
                common += 1;
            }
        }
    }
    let prec = if p.is_empty() { 0.0 } else { common as f64 / p.len() as f64 };
    let rec = if g.is_empty() { 0.0 } else { common as f64 / g.len() as f64 };
    let f1 = if prec + rec == 0.0 { 0.0 } else { 2.0 * prec * rec / (prec + rec) };
    (prec, rec, f1)
}

fn main() {
    let mut reps = 20usize;
    let mut dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../crates/stemma-extract/tests/pages"));
    let mut only: Option<String> = None;
    let mut show: Option<(String, String)> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--reps" => reps = args.next().and_then(|v| v.parse().ok()).unwrap_or(reps),
            "--pages" => dir = args.next().map(PathBuf::from).unwrap_or(dir),
            "--only" => only = args.next(),
            "--show" => show = args.next().and_then(|v| v.split_once(':').map(|(a, b)| (a.to_string(), b.to_string()))),
            _ => {
                eprintln!("usage: extract-eval [--reps N] [--pages DIR] [--only CANDIDATE] [--show CANDIDATE:PAGE]");
                std::process::exit(2);
            }
        }
    }
    let mut pages: Vec<(String, String, String)> = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir).expect("pages dir").flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.extension().and_then(|e| e.to_str()) != Some("html") {
            continue;
        }
        let html = std::fs::read_to_string(&p).expect("page");
        let gold = std::fs::read_to_string(p.with_extension("txt")).expect("expected text");
        let name = p.file_stem().and_then(|s| s.to_str()).unwrap_or("?").to_string();
        pages.push((name, html, gold));
    }
    let bytes: usize = pages.iter().map(|p| p.1.len()).sum();
    println!("{} pages, {} KB of HTML, {} timing repetitions\n", pages.len(), bytes / 1024, reps);

    if let Some((cand, page)) = show {
        let f = CANDIDATES.iter().find(|(n, _)| n.starts_with(&cand)).expect("candidate");
        let pg = pages.iter().find(|p| p.0.starts_with(&page)).expect("page");
        println!("{}", (f.1)(&pg.1));
        return;
    }

    let held_out: Vec<bool> = pages
        .iter()
        .map(|(name, _, _)| name.get(..2).and_then(|n| n.parse::<u32>().ok()).is_some_and(|n| n >= HELD_OUT_FIRST))
        .collect();
    let mut per_page: Vec<(String, Vec<f64>)> = Vec::new();
    println!("| candidate | macro P | macro R | macro F1 | min F1 | F1 pages 01-{:02} | F1 held-out {:02}+ | ms/page | panics |", HELD_OUT_FIRST - 1, HELD_OUT_FIRST);
    println!("|---|---|---|---|---|---|---|---|---|");
    for (name, f) in CANDIDATES {
        if only.as_deref().is_some_and(|o| !name.starts_with(o)) {
            continue;
        }
        let (mut sp, mut sr, mut sf, mut minf) = (0.0, 0.0, 0.0, 1.0f64);
        let mut panics = 0;
        let mut f1s = Vec::new();
        for (_, html, gold) in &pages {
            let out = catch_unwind(AssertUnwindSafe(|| f(html))).unwrap_or_else(|_| {
                panics += 1;
                String::new()
            });
            let (p, r, f1) = score(&out, gold);
            sp += p;
            sr += r;
            sf += f1;
            minf = minf.min(f1);
            f1s.push(f1);
        }
        // Timing: all pages, `reps` times; the median pass.
        let mut passes = Vec::new();
        for _ in 0..reps {
            let t = Instant::now();
            for (_, html, _) in &pages {
                let _ = catch_unwind(AssertUnwindSafe(|| std::hint::black_box(f(std::hint::black_box(html)))));
            }
            passes.push(t.elapsed().as_secs_f64());
        }
        passes.sort_by(f64::total_cmp);
        let ms = passes.get(passes.len() / 2).copied().unwrap_or(0.0) * 1000.0 / pages.len() as f64;
        let n = pages.len() as f64;
        let mean = |want: bool| {
            let v: Vec<f64> = f1s.iter().zip(&held_out).filter(|(_, h)| **h == want).map(|(f, _)| *f).collect();
            if v.is_empty() {
                f64::NAN
            } else {
                v.iter().sum::<f64>() / v.len() as f64
            }
        };
        println!(
            "| {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.2} | {} |",
            name,
            sp / n,
            sr / n,
            sf / n,
            minf,
            mean(false),
            mean(true),
            ms,
            panics
        );
        per_page.push((name.to_string(), f1s));
    }
    println!("\nF1 per page:\n");
    print!("| page |");
    for (n, _) in &per_page {
        print!(" {} |", n);
    }
    println!();
    print!("|---|");
    for _ in &per_page {
        print!("---|");
    }
    println!();
    for (i, (name, _, _)) in pages.iter().enumerate() {
        print!("| {} |", name);
        for (_, f1s) in &per_page {
            print!(" {:.3} |", f1s[i]);
        }
        println!();
    }
}
