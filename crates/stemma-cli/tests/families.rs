//! `stemma families` as a user runs it: copies found, boilerplate marked,
//! tables written in every format, the same bytes with 1 or 2 threads.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{assert_same_tables, fresh_dir, word, Rng, Scratch};

fn stemma(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_stemma")).args(args).output().expect("stemma runs")
}

fn temp_dir(name: &str) -> Scratch {
    fresh_dir("families-test", name)
}

fn sentence(r: &mut Rng) -> String {
    let n = 9 + r.below(10);
    let w: Vec<String> = (0..n).map(|_| word(r)).collect();
    format!("Le {} a indiqué {} {}.", w[0], w[1..].join(" "), r.below(100_000))
}

/// 60 articles from 4 outlets; 8 copied whole (with small edits) by
/// another outlet, 6 with a passage lifted into a new article; every
/// article of outlet-0 ends with the same masthead.
fn collection(dir: &Path) -> (PathBuf, Vec<(String, String)>) {
    let mut r = Rng(0xfeed_beef);
    let masthead = "Retrouvez toute l'actualité régionale sur notre site et dans notre édition du dimanche, chaque semaine en kiosque. \
        Abonnez-vous à notre lettre quotidienne pour recevoir chaque matin les informations essentielles de votre département. \
        Le Journal du Centre, tous droits de reproduction et de diffusion réservés, rédaction en chef et service photographique.";
    let mut docs: Vec<(String, String, String)> = Vec::new();
    let mut truth = Vec::new();
    for i in 0..60 {
        let outlet = format!("outlet-{}", i % 4);
        let mut text: Vec<String> = (0..10).map(|_| sentence(&mut r)).collect();
        if (44..52).contains(&i) {
            // A whole copy of an earlier article, two words changed.
            let src = i - 40;
            let mut t = docs[src].2.replacen("indiqué", "déclaré", 1);
            t = t.replacen(" a ", " aurait ", 1);
            truth.push((format!("a{i}"), format!("a{src}")));
            docs.push((format!("a{i}"), format!("outlet-{}", (src + 1) % 4), t));
            continue;
        }
        if i >= 52 {
            // A passage of five sentences lifted from an earlier article.
            let src = i - 45;
            let lifted: Vec<&str> = docs[src].2.split_inclusive(". ").skip(2).take(5).collect();
            text.insert(4, lifted.concat().trim().to_string());
            truth.push((format!("a{i}"), format!("a{src}")));
        }
        let mut t = text.join(" ");
        if outlet == "outlet-0" {
            t.push_str("\n\n");
            t.push_str(masthead);
        }
        docs.push((format!("a{i}"), outlet, t));
    }
    let path = dir.join("news.jsonl");
    let mut f = std::fs::File::create(&path).unwrap();
    for (id, outlet, text) in &docs {
        writeln!(f, "{}", serde_json::json!({"id": id, "series": outlet, "date": "2019-01-05", "text": text})).unwrap();
    }
    (path, truth)
}

fn read_jsonl(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn copies_are_found_boilerplate_marked_and_output_is_deterministic() {
    let dir = temp_dir("run");
    let (input, truth) = collection(&dir);
    let index = dir.join("index");
    let out = stemma(&["index", input.to_str().unwrap(), "--index", index.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let run = |threads: &str, name: &str| -> PathBuf {
        let o = dir.join(name);
        let res = stemma(&[
            "--threads",
            threads,
            "families",
            "--index",
            index.to_str().unwrap(),
            "--out",
            o.to_str().unwrap(),
            "--format",
            "jsonl,csv,parquet",
        ]);
        assert!(res.status.success(), "{}", String::from_utf8_lossy(&res.stderr));
        o
    };
    let one = run("1", "out1");
    let two = run("2", "out2");
    let again = run("2", "out3");
    assert_same_tables(&["passages", "pairs", "families", "sources"], &one, &two, &again);
    // Every injected copy is found as a pair sharing passages.
    let pairs = read_jsonl(&one.join("pairs.jsonl"));
    let found: std::collections::HashSet<(String, String)> = pairs
        .iter()
        .map(|p| {
            let (a, b) = (p["a"].as_str().unwrap().to_string(), p["b"].as_str().unwrap().to_string());
            if a < b {
                (a, b)
            } else {
                (b, a)
            }
        })
        .collect();
    for (x, y) in &truth {
        let key = if x < y { (x.clone(), y.clone()) } else { (y.clone(), x.clone()) };
        assert!(found.contains(&key), "copy {x} of {y} not found");
    }
    // The whole copies are families with their sources.
    let families = read_jsonl(&one.join("families.jsonl"));
    let family_of = |id: &str| families.iter().find(|r| r["id"] == id).map(|r| r["family"].as_i64().unwrap());
    assert!(family_of("a44").is_some() && family_of("a44") == family_of("a4"));
    // outlet-0's masthead recurs in its own articles only: boilerplate.
    let passages = read_jsonl(&one.join("passages.jsonl"));
    assert!(passages
        .iter()
        .any(|p| p["boilerplate"] == true && p["text"].as_str().unwrap().contains("Retrouvez toute")));
    assert!(passages
        .iter()
        .all(|p| p["boilerplate"] == false || p["text"].as_str().unwrap().contains("Retrouvez toute")));
    // passim's fields: begin/end in characters over the document's text.
    let p = &passages[0];
    for field in ["uid", "cluster", "size", "id", "begin", "end", "text", "src"] {
        assert!(!p[field].is_null(), "passages.jsonl lacks {field}");
    }
}

#[test]
fn bad_filters_and_formats_are_one_line_errors() {
    let dir = temp_dir("bad");
    let (input, _) = collection(&dir);
    let index = dir.join("index");
    assert!(stemma(&["index", input.to_str().unwrap(), "--index", index.to_str().unwrap()]).status.success());
    let out = stemma(&[
        "families",
        "--index",
        index.to_str().unwrap(),
        "--out",
        dir.join("o").to_str().unwrap(),
        "--filter",
        "sideways",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--filter sideways: unknown filter"));
    let out = stemma(&[
        "families",
        "--index",
        index.to_str().unwrap(),
        "--out",
        dir.join("o").to_str().unwrap(),
        "--format",
        "xlsx",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown table format `xlsx`"));
}
