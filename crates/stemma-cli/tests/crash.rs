//! Crash safety of `stemma index`: the indexer is killed with SIGKILL at
//! random points of an ingest, 20 times; each time the index must reopen,
//! pass a full integrity check, and hold every document the indexer had
//! reported as committed.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use stemma_index::{IndexOptions, IndexReader, IndexWriter};
use stemma_text::Document;

mod common;
use common::{fresh_dir, Rng, Scratch};

const DOCS: usize = 4000;

fn temp_dir(name: &str) -> Scratch {
    fresh_dir("crash", name)
}

/// A JSONL collection of DOCS articles with ids doc-0 … doc-(DOCS-1).
fn collection(dir: &Path) -> PathBuf {
    let words = [
        "gouvernement",
        "réforme",
        "manifestants",
        "syndicats",
        "ministre",
        "Assemblée",
        "vote",
        "grève",
        "Paris",
        "police",
        "cortège",
        "budget",
        "salaires",
        "énergie",
        "climat",
        "élections",
        "sondage",
        "opposition",
        "Lyon",
    ];
    let mut rng = Rng(0x1234_5678);
    let path = dir.join("collection.jsonl");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    for i in 0..DOCS {
        let sentences: Vec<String> = (0..12)
            .map(|_| {
                let n = 8 + rng.next() as usize % 10;
                let ws: Vec<&str> = (0..n).map(|_| words[rng.next() as usize % words.len()]).collect();
                format!("Le {} a annoncé {} {}.", ws[0], ws[1..].join(" "), rng.next() % 10_000)
            })
            .collect();
        let line = serde_json::json!({"id": format!("doc-{i}"), "text": sentences.join(" "), "series": "test"});
        writeln!(f, "{line}").unwrap();
    }
    path
}

/// Runs the indexer, kills it after `after` (if still running), and returns
/// the largest number of accepted records it reported as committed, and
/// whether it was killed before finishing.
fn run_and_kill(input: &Path, index: &Path, after: Duration) -> (usize, bool) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stemma"))
        .args(["index", input.to_str().unwrap(), "--index", index.to_str().unwrap(), "--batch", "150"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut committed = 0usize;
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            // "stemma: committed generation G: N documents in the index (R records accepted so far)"
            if let Some(r) = line.split('(').nth(1).and_then(|x| x.split(' ').next()).and_then(|x| x.parse().ok()) {
                if line.contains("committed generation") {
                    committed = committed.max(r);
                }
            }
        }
        committed
    });
    let start = Instant::now();
    let mut finished = false;
    while start.elapsed() < after {
        if child.try_wait().unwrap().is_some() {
            finished = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let _ = child.kill(); // SIGKILL on Unix
    let _ = child.wait();
    (reader.join().unwrap(), !finished)
}

#[test]
fn sigkill_at_random_points_loses_nothing_committed() {
    let dir = temp_dir("collection");
    let input = collection(&dir);
    // How long a whole ingest takes here, to spread the kills over it.
    let full_dir = dir.join("full");
    let t = Instant::now();
    let (all, _) = run_and_kill(&input, &full_dir, Duration::from_secs(600));
    let full = t.elapsed();
    assert_eq!(all, DOCS, "an uninterrupted run commits everything");
    let mut rng = Rng(0xdead_beef);
    let mut interrupted = 0;
    for round in 0..20 {
        let index = dir.join(format!("round-{round}"));
        let after = Duration::from_micros(rng.next() % (full.as_micros() as u64 * 9 / 10).max(1));
        let (committed, killed) = run_and_kill(&input, &index, after);
        interrupted += usize::from(killed);
        if !index.join("STEMMA-INDEX").exists() {
            assert_eq!(committed, 0, "round {round}: a commit was reported, so the index must exist");
            continue;
        }
        let r = IndexReader::open(&index).unwrap_or_else(|e| panic!("round {round}: reopen failed: {e}"));
        let verified = r.verify().unwrap_or_else(|e| panic!("round {round}: integrity check failed: {e}"));
        assert!(verified as usize >= committed, "round {round}: {verified} documents < {committed} reported committed");
        for i in 0..committed {
            assert!(r.find(&format!("doc-{i}")).unwrap().is_some(), "round {round}: doc-{i} was committed but is lost");
        }
        // The interrupted index takes more writes.
        let mut w = IndexWriter::open(&index, IndexOptions::default()).unwrap();
        w.add(Document::new("after-crash", "Un texte ajouté après l'interruption de l'indexation.")).unwrap();
        let info = w.commit().unwrap();
        assert_eq!(info.documents, verified + 1);
    }
    assert!(interrupted >= 10, "most rounds must really interrupt the ingest ({interrupted}/20 did)");
}
