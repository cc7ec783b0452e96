//! `stemma families --near-duplicates` as a user runs it: whole copies
//! dropped in favour of the earliest version, lifted passages and unrelated
//! articles left alone, the same bytes for any thread count, clear errors.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{assert_same_tables, fresh_dir, word, Rng, Scratch};

fn stemma(args: &[&str], threads: Option<&str>) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_stemma"));
    c.args(args);
    if let Some(n) = threads {
        c.env("RAYON_NUM_THREADS", n);
    }
    c.output().expect("stemma runs")
}

fn temp_dir(name: &str) -> Scratch {
    fresh_dir("neardup-test", name)
}

fn article(r: &mut Rng) -> String {
    let sentences: Vec<String> = (0..12)
        .map(|_| {
            let w: Vec<String> = (0..9 + r.below(10)).map(|_| word(r)).collect();
            format!("Le {} a indiqué {} {}.", w[0], w[1..].join(" "), r.below(100_000))
        })
        .collect();
    sentences.join(" ")
}

/// Six originals, then: a re-typeset copy of a0 published later (dropped,
/// a0 kept); a copy of a1 dated *earlier* than a1 (a1 dropped, the copy
/// kept); a copy of a2 with one word changed (dropped); an article that
/// lifts three sentences of a3 into new text (kept: not a near-duplicate).
fn collection(dir: &Path) -> PathBuf {
    let mut r = Rng(0x0dd_ba11);
    let originals: Vec<String> = (0..6).map(|_| article(&mut r)).collect();
    let mut docs: Vec<(String, &str, String, String)> = originals
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("a{i}"), "outlet-a", "2019-01-05".to_string(), t.clone()))
        .collect();
    docs.push(("copy-late".into(), "outlet-b", "2019-01-07".into(), originals[0].to_uppercase().replace('.', " ;")));
    docs.push(("copy-early".into(), "outlet-c", "2019-01-04T08:00:00Z".into(), originals[1].clone()));
    docs.push(("copy-edit".into(), "outlet-b", "2019-01-06".into(), originals[2].replacen("indiqué", "déclaré", 1)));
    let lifted: String = originals[3].split_inclusive(". ").skip(2).take(3).collect();
    docs.push((
        "lifter".into(),
        "outlet-c",
        "2019-01-06".into(),
        format!("{} {lifted} {}", article(&mut r), article(&mut r)),
    ));
    let path = dir.join("news.jsonl");
    let mut f = std::fs::File::create(&path).unwrap();
    for (id, series, date, text) in &docs {
        writeln!(f, "{}", serde_json::json!({"id": id, "series": series, "date": date, "text": text})).unwrap();
    }
    path
}

fn read_jsonl(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn copies_are_dropped_for_the_earliest_version_and_output_is_deterministic() {
    let dir = temp_dir("run");
    let input = collection(&dir);
    let index = dir.join("index");
    let out = stemma(&["index", input.to_str().unwrap(), "--index", index.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let run = |threads: &str, name: &str| -> PathBuf {
        let o = dir.join(name);
        let res = stemma(
            &[
                "families",
                "--near-duplicates",
                "--threshold",
                "0.8",
                "--index",
                index.to_str().unwrap(),
                "--out",
                o.to_str().unwrap(),
                "--format",
                "jsonl,csv,parquet",
            ],
            Some(threads),
        );
        assert!(res.status.success(), "{}", String::from_utf8_lossy(&res.stderr));
        assert!(String::from_utf8_lossy(&res.stdout).contains("3 documents dropped"));
        o
    };
    let one = run("1", "out1");
    let two = run("2", "out2");
    let again = run("2", "out3");
    assert_same_tables(&["neardup_dropped", "neardup_clusters"], &one, &two, &again);

    let dropped = read_jsonl(&one.join("neardup_dropped.jsonl"));
    let mut pairs: Vec<(&str, &str)> =
        dropped.iter().map(|r| (r["id"].as_str().unwrap(), r["kept"].as_str().unwrap())).collect();
    // Rows come in index order of the dropped document (the storage order,
    // which groups near-duplicates; the same on every run, see above).
    pairs.sort_unstable();
    assert_eq!(pairs, vec![("a1", "copy-early"), ("copy-edit", "a2"), ("copy-late", "a0")]);
    for r in &dropped {
        let s = r["similarity"].as_f64().unwrap();
        assert!((0.8..=1.0).contains(&s), "{r}");
        assert!(r["cluster"].is_i64() && r["series"].is_string() && r["date"].is_string(), "{r}");
    }
    // Clusters: one row per member, the kept one marked.
    let clusters = read_jsonl(&one.join("neardup_clusters.jsonl"));
    assert_eq!(clusters.len(), 6);
    assert!(clusters.iter().all(|r| r["size"] == 2));
    let kept: Vec<&str> = clusters.iter().filter(|r| r["keep"] == true).map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(kept, vec!["a0", "copy-early", "a2"]);
    // A lifted passage is not a near-duplicate.
    assert!(clusters.iter().all(|r| r["id"] != "lifter" && r["id"] != "a3"));
    // CSV has the same rows.
    let csv = std::fs::read_to_string(one.join("neardup_dropped.csv")).unwrap();
    assert_eq!(csv.lines().next(), Some("id,kept,cluster,similarity,series,date"), "{csv}");
    assert_eq!(csv.lines().count(), 4);
}

#[test]
fn inputs_are_indexed_first_and_an_empty_collection_gives_empty_tables() {
    let dir = temp_dir("inputs");
    let input = collection(&dir);
    let index = dir.join("index");
    let o = dir.join("o");
    let res = stemma(
        &[
            "families",
            input.to_str().unwrap(),
            "--near-duplicates",
            "--index",
            index.to_str().unwrap(),
            "--out",
            o.to_str().unwrap(),
        ],
        None,
    );
    assert!(res.status.success(), "{}", String::from_utf8_lossy(&res.stderr));
    assert_eq!(read_jsonl(&o.join("neardup_dropped.jsonl")).len(), 3);

    // One document: nothing to drop, tables written and empty.
    let single = dir.join("single.jsonl");
    std::fs::write(&single, "{\"id\": \"x\", \"text\": \"Un seul texte, sans aucune copie.\"}\n").unwrap();
    let o = dir.join("o-single");
    let res = stemma(
        &[
            "families",
            single.to_str().unwrap(),
            "--near-duplicates",
            "--index",
            dir.join("index-single").to_str().unwrap(),
            "--out",
            o.to_str().unwrap(),
        ],
        None,
    );
    assert!(res.status.success(), "{}", String::from_utf8_lossy(&res.stderr));
    assert_eq!(std::fs::read_to_string(o.join("neardup_dropped.jsonl")).unwrap(), "");
}

#[test]
fn bad_options_are_one_line_errors() {
    let dir = temp_dir("bad");
    let input = collection(&dir);
    let index = dir.join("index");
    assert!(stemma(&["index", input.to_str().unwrap(), "--index", index.to_str().unwrap()], None).status.success());
    let (idx, out) = (index.to_str().unwrap(), dir.join("o"));
    let out = out.to_str().unwrap();
    let base = ["families", "--index", idx, "--out", out];
    let check = |extra: &[&str], expected: &str| {
        let args: Vec<&str> = base.iter().chain(extra).copied().collect();
        let res = stemma(&args, None);
        let err = String::from_utf8_lossy(&res.stderr);
        assert_eq!(res.status.code(), Some(2), "{extra:?}: {err}");
        assert!(err.contains(expected), "{extra:?}: {err}");
        assert!(!err.contains("panicked"), "{extra:?}: {err}");
    };
    check(&["--near-duplicates", "--threshold", "1.5"], "--threshold 1.5: must be a similarity above 0");
    check(&["--near-duplicates", "--threshold", "0"], "--threshold 0: must be a similarity above 0");
    check(&["--near-duplicates", "--threshold", "NaN"], "--threshold NaN");
    check(&["--near-duplicates", "--threshold", "high"], "invalid value 'high'");
    check(&["--near-duplicates", "--num-perm", "0"], "--num-perm 0: must be between 2 and 4096");
    check(&["--near-duplicates", "--num-perm", "100000"], "--num-perm 100000: must be between 2 and 4096");
    check(&["--threshold", "0.9"], "--near-duplicates");
    check(&["--near-duplicates", "--stories"], "cannot be used with");
    check(&["--near-duplicates", "--format", "xlsx"], "unknown table format `xlsx`");
    // A missing index.
    let res =
        stemma(&["families", "--near-duplicates", "--index", dir.join("nope").to_str().unwrap(), "--out", out], None);
    assert_eq!(res.status.code(), Some(2));
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(err.starts_with("stemma: ") && err.contains("nope") && !err.contains("panicked"), "{err}");
}
