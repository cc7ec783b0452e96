//! Scores `stemma trace` on generated families with a known copy tree and
//! known alterations (bench/TRACE_EVAL.md).
//!
//! ```sh
//! cargo build --release -p stemma-cli -p stemma-bench
//! target/release/trace_bench                      # the fixed seed (2026), 40 families
//! target/release/trace_bench --seed 7 --families 20
//! ```
//!
//! Options: `--seed N`, `--families N`, `--data DIR` (default
//! ../shared/data), `--out DIR` (default target/trace-eval), `--stemma PATH`
//! (default: the `stemma` beside this program, else on PATH),
//! `--trace-args "trace {id} --index {index} --json"` (how to call trace),
//! `--per-version` (one trace per version, each version's claims from its
//! own run), `--oracle` (score the truth itself: checks the pipeline,
//! every figure must be 1), `--explain N` (print up to N missed
//! alterations, false flags and flagged benign edits of each kind, with
//! the claims stemma reported there).
//!
//! For each family it builds an index of the family's documents with
//! `stemma index`, runs `stemma trace` on one version (and on any version
//! the report leaves out), keeps the JSON in OUT/seed-N/pred/, and scores
//! it. When `stemma trace` does not exist yet it says so and stops after
//! writing the families, so the command can be run again as is later.

use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;
use stemma_bench::trace_gen::{
    generate, load_articles, summary, write, AltKind, EditTruth, FamilyTruth, GenOptions, TruthRecord, BENIGN_KINDS,
};
use stemma_bench::trace_score::{
    edge_accuracy, is_flag_of, on, oracle, parse_trace, score_claims, sign_agreement, ClaimScores, KindScore,
    PredClaim, Prediction,
};

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn fmt(x: Option<f64>) -> String {
    x.map_or("-".into(), |v| format!("{v:.3}"))
}

/// The `stemma` program: `--stemma`, else beside this one, else on PATH.
fn stemma_path(args: &[String]) -> PathBuf {
    if let Some(p) = arg(args, "--stemma") {
        return PathBuf::from(p);
    }
    let beside = std::env::current_exe().ok().and_then(|e| e.parent().map(|d| d.join("stemma")));
    match beside {
        Some(p) if p.is_file() => p,
        _ => PathBuf::from("stemma"),
    }
}

/// Whether `stemma trace` exists; the reason when it does not.
fn trace_available(stemma: &Path) -> Result<(), String> {
    match Command::new(stemma).args(["trace", "--help"]).output() {
        Err(e) => Err(format!(
            "cannot run {} ({e}); build it with `cargo build --release -p stemma-cli` or pass --stemma PATH",
            stemma.display()
        )),
        Ok(o) if !o.status.success() => Err(format!(
            "`{} trace --help` failed: {}",
            stemma.display(),
            String::from_utf8_lossy(&o.stderr).lines().next().unwrap_or("").trim()
        )),
        Ok(_) => Ok(()),
    }
}

fn run(stemma: &Path, args: &[String]) -> Result<String, String> {
    let o = Command::new(stemma).args(args).output().map_err(|e| e.to_string())?;
    if !o.status.success() {
        let err = String::from_utf8_lossy(&o.stderr);
        return Err(format!("`stemma {}`: {}", args.join(" "), err.lines().last().unwrap_or("").trim()));
    }
    Ok(String::from_utf8_lossy(&o.stdout).into_owned())
}

struct Family<'a> {
    truth: &'a FamilyTruth,
    alterations: Vec<&'a EditTruth>,
    benign: Vec<&'a EditTruth>,
    ids: Vec<String>,
}

/// Runs `stemma index` and `stemma trace` on one family.
fn trace_family(
    stemma: &Path,
    template: &str,
    dir: &Path,
    fam: &Family,
    per_version: bool,
) -> Result<Prediction, String> {
    let name = &fam.truth.family;
    let index = dir.join("index").join(name);
    let _ = std::fs::remove_dir_all(&index);
    let input = dir.join("families").join(format!("{name}.jsonl"));
    run(
        stemma,
        &["index".into(), input.display().to_string(), "--index".into(), index.display().to_string(), "--json".into()],
    )?;
    let pred_dir = dir.join("pred");
    let _ = std::fs::create_dir_all(&pred_dir);
    let trace = |id: &str| -> Result<Prediction, String> {
        let args: Vec<String> = template
            .split_whitespace()
            .map(|a| a.replace("{id}", id).replace("{index}", &index.display().to_string()))
            .collect();
        let out = run(stemma, &args)?;
        let _ = std::fs::write(pred_dir.join(format!("{id}.json")), &out);
        let v: serde_json::Value = serde_json::from_str(&out).map_err(|e| format!("trace {id}: bad JSON: {e}"))?;
        parse_trace(&v).map_err(|e| format!("trace {id}: {e}"))
    };
    let mut pred = trace(&fam.ids[0])?;
    if per_version {
        // Each version's claims from the run that focuses on it.
        pred.claims.retain(|c| c.version == fam.ids[0]);
        for id in &fam.ids[1..] {
            let p = trace(id)?;
            pred.claims.extend(p.claims.into_iter().filter(|c| &c.version == id));
        }
        pred.versions = fam.ids.clone();
    } else {
        // Versions the family report left out get their own run.
        for id in &fam.ids[1..] {
            if !pred.versions.contains(id) {
                let p = trace(id)?;
                pred.absorb(p);
            }
        }
    }
    Ok(pred)
}

/// `text[start..end]` with some context, on one line.
fn context(text: &str, start: usize, end: usize) -> String {
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (s, e) = (floor(start.min(text.len())), floor(end.min(text.len())));
    let a = floor(s.saturating_sub(60));
    let b = floor((e + 40).min(text.len()));
    format!("…{}[[{}]]{}…", &text[a..s], &text[s..e], &text[e..b]).replace('\n', " / ")
}

/// Prints, for up to `max` cases per kind, the alterations missed, the
/// false flags and the benign edits flagged, with the claims lying on them.
fn explain_family(
    fam: &Family,
    pred: &Prediction,
    texts: &FxHashMap<&str, &str>,
    max: usize,
    seen: &mut FxHashMap<String, usize>,
) {
    let mut say = |key: String, line: String| {
        let n = seen.entry(key).or_default();
        if *n < max {
            *n += 1;
            println!("{line}");
        }
    };
    let on_it = |version: &str, start: usize, end: usize| -> String {
        let mut v: Vec<String> = pred
            .claims
            .iter()
            .filter(|c| c.version == version && c.span.start < end && start < c.span.end)
            .map(|c| format!("{}/{}/{}", c.kind, c.status, c.change.as_deref().unwrap_or("-")))
            .collect();
        v.sort();
        v.dedup();
        if v.is_empty() {
            "no claim".into()
        } else {
            v.join(", ")
        }
    };
    for kind in AltKind::ALL {
        for t in fam.alterations.iter().filter(|t| t.kind == kind.name()) {
            let found = pred.claims.iter().any(|c| is_flag_of(kind, c) && on(c, t));
            if !found {
                let text = texts.get(t.version.as_str()).copied().unwrap_or("");
                say(
                    format!("miss {}", kind.name()),
                    format!(
                        "MISSED {} in {} (claims there: {}):\n    {}",
                        kind.name(),
                        t.version,
                        on_it(&t.version, t.start, t.end),
                        context(text, t.start, t.end)
                    ),
                );
            }
        }
        for c in pred.claims.iter().filter(|c| is_flag_of(kind, c)) {
            if !fam.alterations.iter().any(|t| t.kind == kind.name() && on(c, t)) {
                let text = texts.get(c.version.as_str()).copied().unwrap_or("");
                say(
                    format!("false {}", kind.name()),
                    format!(
                        "FALSE {} flag in {}:\n    {}",
                        kind.name(),
                        c.version,
                        context(text, c.span.start, c.span.end)
                    ),
                );
            }
        }
    }
    for b in &fam.benign {
        let flags: Vec<&PredClaim> =
            pred.claims.iter().filter(|c| (c.status == "altered" || c.status == "unsupported") && on(c, b)).collect();
        if let Some(c) = flags.first() {
            let text = texts.get(b.version.as_str()).copied().unwrap_or("");
            say(
                format!("benign {}", b.kind),
                format!(
                    "BENIGN {} ({:?} → {:?}) in {} flagged {}/{}/{}:\n    {}",
                    b.kind,
                    b.from.as_deref().unwrap_or(""),
                    b.text,
                    b.version,
                    c.kind,
                    c.status,
                    c.change.as_deref().unwrap_or("-"),
                    context(text, b.start, b.end)
                ),
            );
        }
    }
}

fn kind_row(name: &str, k: &KindScore) -> String {
    format!(
        "{name:<22} {:>6} {:>6} {:>7} {:>6} {:>6} {:>9} {:>10}",
        k.truth,
        k.found,
        fmt(k.recall()),
        k.flags,
        k.false_flags,
        fmt(k.precision()),
        fmt(k.precision_excluding_other())
    )
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let seed: u64 = arg(&args, "--seed").and_then(|v| v.parse().ok()).unwrap_or(2026);
    let families: usize = arg(&args, "--families").and_then(|v| v.parse().ok()).unwrap_or(40);
    let out = PathBuf::from(arg(&args, "--out").unwrap_or_else(|| "target/trace-eval".into()));
    let data = PathBuf::from(arg(&args, "--data").unwrap_or_else(|| "../shared/data".into()));
    let template = arg(&args, "--trace-args").unwrap_or_else(|| "trace {id} --index {index} --json".into());
    let per_version = args.iter().any(|a| a == "--per-version");
    let use_oracle = args.iter().any(|a| a == "--oracle");

    let t0 = Instant::now();
    let pool = load_articles(&data, &out.join("cache"));
    println!("articles: {}", pool.source);
    let g = generate(&pool, &GenOptions { seed, families });
    let dir = out.join(format!("seed-{seed}"));
    write(&dir, &g)?;
    println!("seed {seed}: {}", summary(&g));
    println!("families written to {} in {:.1} s", dir.display(), t0.elapsed().as_secs_f64());
    if pool.synthetic {
        println!("NOTE: built-in synthetic articles only; the figures below do not measure stemma on real text");
    }

    let mut fams: Vec<Family> = Vec::new();
    for t in &g.truth {
        if let TruthRecord::Family(f) = t {
            let mut ids: Vec<String> = f.nodes.iter().filter_map(|n| n.id.clone()).collect();
            ids.sort();
            fams.push(Family { truth: f, alterations: Vec::new(), benign: Vec::new(), ids });
        }
    }
    let pos: FxHashMap<&str, usize> = fams.iter().enumerate().map(|(i, f)| (f.truth.family.as_str(), i)).collect();
    for t in &g.truth {
        match t {
            TruthRecord::Alteration(e) => fams[pos[e.family.as_str()]].alterations.push(e),
            TruthRecord::Benign(e) => fams[pos[e.family.as_str()]].benign.push(e),
            TruthRecord::Family(_) => {}
        }
    }

    let stemma = stemma_path(&args);
    if !use_oracle {
        if let Err(why) = trace_available(&stemma) {
            println!("\nstemma trace is not available yet: {why}");
            println!("the families and their truth are in {}; run this command again once it exists", dir.display());
            return Ok(());
        }
    }

    let explain: usize = arg(&args, "--explain").and_then(|v| v.parse().ok()).unwrap_or(0);
    let texts: FxHashMap<&str, &str> = g.docs.iter().map(|d| (d.id.as_str(), d.text.as_str())).collect();
    let mut explained: FxHashMap<String, usize> = FxHashMap::default();
    // Outputs of an earlier run must not be read as this one's.
    for sub in ["pred", "index"] {
        let _ = std::fs::remove_dir_all(dir.join(sub));
    }
    let t1 = Instant::now();
    let mut claims = ClaimScores::default();
    // (right, total) edges and (agree, total) triples, for dated and undated families.
    let mut edges = [(0usize, 0usize); 2];
    let mut signs = [(0usize, 0usize); 2];
    let mut failed: Vec<String> = Vec::new();
    for (i, fam) in fams.iter().enumerate() {
        let pred = if use_oracle {
            Ok(oracle(fam.truth, &fam.alterations))
        } else {
            trace_family(&stemma, &template, &dir, fam, per_version)
        };
        let pred = pred.unwrap_or_else(|e| {
            failed.push(format!("{}: {e}", fam.truth.family));
            Prediction::default()
        });
        claims.add(&score_claims(&fam.alterations, &fam.benign, &pred.claims));
        if explain > 0 {
            explain_family(fam, &pred, &texts, explain, &mut explained);
        }
        let d = usize::from(!fam.truth.dated);
        let (r, n) = edge_accuracy(fam.truth, &pred.tree);
        edges[d].0 += r;
        edges[d].1 += n;
        let (a, n) = sign_agreement(fam.truth, &pred.tree);
        signs[d].0 += a;
        signs[d].1 += n;
        if (i + 1) % 10 == 0 {
            eprintln!("  {}/{} families traced", i + 1, fams.len());
        }
    }
    let secs = t1.elapsed().as_secs_f64();

    println!(
        "\n{} families traced in {secs:.1} s ({:.2} s a family){}",
        fams.len() - failed.len(),
        secs / fams.len().max(1) as f64,
        if use_oracle { " — ORACLE: the truth scored against itself" } else { "" }
    );
    if !failed.is_empty() {
        println!("{} families failed (their alterations count as missed), e.g.:", failed.len());
        for f in failed.iter().take(3) {
            println!("  {f}");
        }
    }
    println!(
        "\n{:<22} {:>6} {:>6} {:>7} {:>6} {:>6} {:>9} {:>10}",
        "alteration", "truth", "found", "recall", "flags", "false", "precision", "prec.excl."
    );
    for (k, s) in AltKind::ALL.iter().zip(&claims.kinds) {
        println!("{}", kind_row(k.name(), s));
    }
    println!("{}", kind_row("all (micro)", &claims.overall()));
    println!("(prec.excl.: precision leaving out false flags that lie on an alteration of another kind)");
    let (bn, bf) = claims.benign_total();
    println!(
        "\nbenign edits flagged altered or unsupported: {bf}/{bn} ({:.1} %)",
        100.0 * bf as f64 / bn.max(1) as f64
    );
    for k in BENIGN_KINDS {
        let (n, f) = claims.benign.get(k).copied().unwrap_or_default();
        println!("  {k:<14} {f:>4}/{n:<5} ({:.1} %)", 100.0 * f as f64 / n.max(1) as f64);
    }
    let share = |x: (usize, usize)| fmt((x.1 > 0).then(|| x.0 as f64 / x.1 as f64));
    let both = |v: [(usize, usize); 2]| (v[0].0 + v[1].0, v[0].1 + v[1].1);
    println!(
        "\ntree: edge accuracy {} ({}/{}); dated {} , undated {}",
        share(both(edges)),
        both(edges).0,
        both(edges).1,
        share(edges[0]),
        share(edges[1])
    );
    println!(
        "      average sign distance {} (share of {} triples ordered as in the truth); dated {}, undated {}",
        share(both(signs)),
        both(signs).1,
        share(signs[0]),
        share(signs[1])
    );

    let kinds: serde_json::Map<String, serde_json::Value> = AltKind::ALL
        .iter()
        .zip(&claims.kinds)
        .map(|(k, s)| {
            (
                k.name().to_string(),
                serde_json::json!({"truth": s.truth, "found": s.found, "recall": s.recall(), "flags": s.flags,
                    "false_flags": s.false_flags, "precision": s.precision(),
                    "precision_excluding_other": s.precision_excluding_other()}),
            )
        })
        .collect();
    let score = serde_json::json!({
        "seed": seed, "families": fams.len(), "failed": failed.len(), "oracle": use_oracle,
        "articles": pool.source, "alterations": kinds,
        "benign": {"edits": bn, "flagged": bf},
        "edge_accuracy": {"right": both(edges).0, "total": both(edges).1, "dated": edges[0], "undated": edges[1]},
        "sign": {"agree": both(signs).0, "total": both(signs).1, "dated": signs[0], "undated": signs[1]},
        "seconds": secs,
    });
    std::fs::write(dir.join("score.json"), serde_json::to_string_pretty(&score).unwrap_or_default() + "\n")?;
    println!("\nscores written to {}", dir.join("score.json").display());
    Ok(())
}
