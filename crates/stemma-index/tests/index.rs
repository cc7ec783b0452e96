//! The index as its users rely on it: what is committed is there, replaced
//! and removed documents are gone, readers keep their snapshot, damage and
//! newer formats are reported.

use std::path::PathBuf;
use stemma_index::segment::Table;
use stemma_index::{fingerprint, IndexError, IndexOptions, IndexReader, IndexWriter};
use stemma_text::Document;

/// A scratch folder that does not exist yet (an index is created there),
/// removed with what the test wrote when dropped.
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl AsRef<std::path::Path> for Scratch {
    fn as_ref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn temp_dir(name: &str) -> Scratch {
    let d = std::env::temp_dir().join(format!("stemma-index-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    Scratch(d)
}

const WORDS: &[&str] = &[
    "gouvernement",
    "réforme",
    "retraites",
    "manifestants",
    "syndicats",
    "ministre",
    "Assemblée",
    "vote",
    "grève",
    "transports",
    "Paris",
    "Lyon",
    "Marseille",
    "police",
    "préfecture",
    "cortège",
    "mobilisation",
    "budget",
    "économie",
    "entreprises",
    "salaires",
    "inflation",
    "énergie",
    "climat",
    "élections",
    "sondage",
    "opposition",
];

/// A deterministic pseudo-article of `n` sentences for document `i`.
fn article(i: usize, n: usize) -> String {
    let mut x = (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut next = || {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize
    };
    (0..n)
        .map(|_| {
            let len = 8 + next() % 10;
            let words: Vec<&str> = (0..len).map(|_| WORDS[next() % WORDS.len()]).collect();
            format!("Le {} a déclaré que {} {}.", words[0], words[1..].join(" "), next() % 1000)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn small_batches() -> IndexOptions {
    IndexOptions { batch_docs: 7, merge_factor: 3, ..IndexOptions::default() }
}

#[test]
fn committed_documents_are_found_by_id_and_by_fingerprint() {
    let dir = temp_dir("basic");
    let mut w = IndexWriter::open(&dir, small_batches()).unwrap();
    let mut merged = 0;
    for i in 0..50 {
        let mut d = Document::new(format!("doc-{i}"), article(i, 6));
        d.series = Some(if i % 2 == 0 { "afp" } else { "blog" }.into());
        merged += w.add(d).unwrap().map_or(0, |c| c.merged);
    }
    let info = w.commit().unwrap();
    assert_eq!(info.documents, 50);
    assert!(merged + info.merged > 0, "small batches with merge factor 3 must have merged");
    drop(w);
    let r = IndexReader::open(&dir).unwrap();
    assert_eq!(r.num_docs(), 50);
    assert!(r.segments().len() < 50 / 7, "tiered merging keeps few segments, got {}", r.segments().len());
    let d = r.get("doc-17").unwrap().unwrap();
    assert_eq!(d.text, article(17, 6));
    assert_eq!(d.series.as_deref(), Some("blog"));
    assert_eq!(d.lang.as_deref(), Some("fr"), "the language is identified and stored");
    assert!(r.get("doc-999").unwrap().is_none());
    // The text's own fingerprints lead back to it.
    let f = fingerprint(&article(23, 6), None, r.params());
    let mut hits = std::collections::BTreeMap::new();
    r.postings(Table::Fingerprints, &f.fingerprints, |_, a| *hits.entry(a).or_insert(0) += 1).unwrap();
    let best = hits.iter().max_by_key(|(_, n)| **n).map(|(a, _)| *a).unwrap();
    assert_eq!(r.doc(best).unwrap().id, "doc-23");
    assert_eq!(r.verify().unwrap(), 50);
    let stats = r.stats();
    assert_eq!(stats.documents, 50);
    assert_eq!(stats.languages.get("fr"), Some(&50));
}

#[test]
fn re_adding_an_id_replaces_it_and_remove_deletes() {
    let dir = temp_dir("replace");
    let mut w = IndexWriter::open(&dir, IndexOptions::default()).unwrap();
    for i in 0..10 {
        w.add(Document::new(format!("d{i}"), article(i, 4))).unwrap();
    }
    w.commit().unwrap();
    w.add(Document::new("d3", "Nouveau texte pour le document trois, entièrement réécrit.")).unwrap();
    // Twice in one batch: the last one wins.
    w.add(Document::new("d4", "Première version du quatre.")).unwrap();
    w.add(Document::new("d4", "Seconde version du quatre.")).unwrap();
    w.remove("d5");
    w.remove("absent");
    let info = w.commit().unwrap();
    assert_eq!((info.replaced, info.removed, info.not_found), (3, 1, 1));
    assert_eq!(info.documents, 9);
    let r = w.reader().clone();
    assert_eq!(r.get("d3").unwrap().unwrap().text, "Nouveau texte pour le document trois, entièrement réécrit.");
    assert_eq!(r.get("d4").unwrap().unwrap().text, "Seconde version du quatre.");
    assert!(r.get("d5").unwrap().is_none());
    // The old d3 is no longer found through its fingerprints.
    let f = fingerprint(&article(3, 4), None, r.params());
    let mut found_old = false;
    r.postings(Table::Fingerprints, &f.fingerprints, |_, a| {
        found_old |= r.doc(a).map(|d| d.id == "d3").unwrap_or(false);
    })
    .unwrap();
    assert!(!found_old);
    let mut ids = Vec::new();
    r.for_each_doc(|_, d| {
        ids.push(d.id);
        Ok(())
    })
    .unwrap();
    ids.sort();
    assert_eq!(ids, ["d0", "d1", "d2", "d3", "d4", "d6", "d7", "d8", "d9"]);
}

#[test]
fn readers_keep_their_snapshot_while_a_writer_adds() {
    let dir = temp_dir("snapshot");
    let mut w = IndexWriter::open(&dir, small_batches()).unwrap();
    for i in 0..14 {
        w.add(Document::new(format!("s{i}"), article(i, 3))).unwrap();
    }
    w.commit().unwrap();
    let before = IndexReader::open(&dir).unwrap();
    for i in 14..40 {
        w.add(Document::new(format!("s{i}"), article(i, 3))).unwrap();
    }
    w.commit().unwrap();
    // The old snapshot still reads every one of its documents, although
    // segments were merged and old files removed since.
    assert_eq!(before.num_docs(), 14);
    assert_eq!(before.get("s5").unwrap().unwrap().text, article(5, 3));
    assert!(before.get("s20").unwrap().is_none());
    assert_eq!(IndexReader::open(&dir).unwrap().num_docs(), 40);
}

#[test]
fn one_writer_at_a_time() {
    let dir = temp_dir("lock");
    let _w = IndexWriter::open(&dir, IndexOptions::default()).unwrap();
    match IndexWriter::open(&dir, IndexOptions::default()) {
        Err(e @ IndexError::Locked(_)) => assert!(e.to_string().contains("another stemma process is writing")),
        other => panic!("expected a lock error, got {other:?}"),
    }
}

/// The (first) segment file of index `dir`.
fn segment_file(dir: &std::path::Path) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "stm"))
        .unwrap()
}

/// Damages file `path` at byte `at` (its bits inverted).
fn flip_byte(path: &std::path::Path, at: usize) {
    let mut bytes = std::fs::read(path).unwrap();
    bytes[at] ^= 0xff;
    std::fs::write(path, &bytes).unwrap();
}

/// A fresh index in scratch folder `name` holding one committed document.
fn index_of_one_document(name: &str) -> Scratch {
    let dir = temp_dir(name);
    let mut w = IndexWriter::open(&dir, IndexOptions::default()).unwrap();
    w.add(Document::new("x", article(1, 3))).unwrap();
    w.commit().unwrap();
    dir
}

#[test]
fn newer_formats_and_foreign_directories_are_refused_clearly() {
    let dir = index_of_one_document("newer");
    std::fs::write(dir.join("STEMMA-INDEX"), "stemma index\nformat 99\n").unwrap();
    let e = IndexReader::open(&dir).unwrap_err();
    assert!(e.to_string().contains("written by a newer stemma (format 99"), "{e}");

    let foreign = temp_dir("foreign");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "hello").unwrap();
    let e = IndexWriter::open(&foreign, IndexOptions::default()).unwrap_err();
    assert!(e.to_string().contains("not a stemma index"), "{e}");
    let e = IndexReader::open(&temp_dir("missing")).unwrap_err();
    assert!(e.to_string().contains("create one with `stemma index"), "{e}");
}

#[test]
fn older_formats_are_refused_with_a_message_to_rebuild() {
    let dir = index_of_one_document("older");
    // An index directory of format 1 (varint postings, no dictionaries).
    let marker = dir.join("STEMMA-INDEX");
    let current = std::fs::read_to_string(&marker).unwrap();
    std::fs::write(&marker, "stemma index\nformat 1\n").unwrap();
    let e = IndexReader::open(&dir).unwrap_err();
    assert!(matches!(e, IndexError::OlderFormat { found: 1, .. }), "{e:?}");
    assert!(e.to_string().contains("written by an older stemma (format 1"), "{e}");
    assert!(e.to_string().contains("rebuild the index"), "{e}");
    let e = IndexWriter::open(&dir, IndexOptions::default()).unwrap_err();
    assert!(e.to_string().contains("rebuild the index"), "{e}");
    // A segment of format 1 under a current marker: refused just as clearly.
    std::fs::write(&marker, current).unwrap();
    let seg = segment_file(&dir);
    let mut bytes = std::fs::read(&seg).unwrap();
    let footer = bytes.len() - (18 * 8 + 8);
    bytes[footer..footer + 8].copy_from_slice(&1u64.to_le_bytes());
    std::fs::write(&seg, &bytes).unwrap();
    let e = IndexReader::open(&dir).unwrap_err();
    assert!(e.to_string().contains("written by an older stemma (format 1"), "{e}");
    assert!(e.to_string().contains(&seg.display().to_string()), "{e}");
}

#[test]
fn leftovers_of_an_interrupted_commit_are_ignored_and_cleaned() {
    let dir = temp_dir("leftovers");
    let mut w = IndexWriter::open(&dir, IndexOptions::default()).unwrap();
    w.add(Document::new("a", article(1, 3))).unwrap();
    w.commit().unwrap();
    drop(w);
    // What a kill -9 in the middle of the next commit could leave behind.
    std::fs::write(dir.join("seg-000099.tmp"), b"partial segment").unwrap();
    std::fs::write(dir.join("manifest-0000000099.json"), b"{\"torn\": tr").unwrap();
    std::fs::write(dir.join("manifest-0000000098.json.tmp"), b"{").unwrap();
    let r = IndexReader::open(&dir).unwrap();
    assert_eq!(r.num_docs(), 1);
    let mut w = IndexWriter::open(&dir, IndexOptions::default()).unwrap();
    w.add(Document::new("b", article(2, 3))).unwrap();
    w.commit().unwrap();
    assert_eq!(IndexReader::open(&dir).unwrap().num_docs(), 2);
    assert!(!dir.join("seg-000099.tmp").exists());
}

#[test]
fn damaged_segments_are_reported_not_panicked_on() {
    let dir = temp_dir("damaged");
    let mut w = IndexWriter::open(&dir, IndexOptions::default()).unwrap();
    for i in 0..5 {
        w.add(Document::new(format!("d{i}"), article(i, 5))).unwrap();
    }
    w.commit().unwrap();
    drop(w);
    let seg = segment_file(&dir);
    flip_byte(&seg, 20);
    let r = IndexReader::open(&dir).unwrap();
    let e = r.verify().unwrap_err();
    assert!(e.to_string().contains("damaged"), "{e}");
}

#[test]
fn merges_keep_every_live_document_whether_its_block_is_copied_or_repacked() {
    // Segments of 7 documents merged 2 at a time: blocks whose documents all
    // live on are copied compressed, blocks with a removed or replaced one
    // are unpacked and repacked. Every live document must read back whole
    // and be found by id, and no removed one.
    let dir = temp_dir("merge-blocks");
    let opts = IndexOptions { batch_docs: 7, merge_factor: 2, ..IndexOptions::default() };
    let mut w = IndexWriter::open(&dir, opts).unwrap();
    for i in 0..21 {
        w.add(Document::new(format!("m{i}"), article(i, 3))).unwrap();
    }
    w.commit().unwrap();
    for i in [2, 9, 16] {
        w.remove(&format!("m{i}"));
    }
    w.add(Document::new("m5", "Le cinquième document, réécrit après coup.")).unwrap();
    for i in 21..45 {
        w.add(Document::new(format!("m{i}"), article(i, 3))).unwrap();
    }
    let info = w.commit().unwrap();
    assert_eq!(info.documents, 42);
    drop(w);
    let r = IndexReader::open(&dir).unwrap();
    // The segment that held the removed documents was merged away: no
    // segment has deleted documents left.
    let deleted: usize = r.manifest().segments.iter().map(|s| s.deleted.len()).sum();
    assert_eq!(deleted, 0, "{:?}", r.manifest().segments);
    assert_eq!(r.verify().unwrap(), 42);
    for i in 0..45 {
        let got = r.get(&format!("m{i}")).unwrap().map(|d| d.text);
        match i {
            2 | 9 | 16 => assert_eq!(got, None, "m{i} was removed"),
            5 => assert_eq!(got.as_deref(), Some("Le cinquième document, réécrit après coup.")),
            _ => assert_eq!(got, Some(article(i, 3)), "m{i}"),
        }
    }
}

#[test]
fn dictionaries_follow_the_blocks_copied_by_merges() {
    // Segments large enough to get a zstd dictionary and several document
    // blocks each, merged two at a time after removals: copied blocks keep
    // their own segment's dictionary, repacked documents take another.
    let dir = temp_dir("merge-dicts");
    let opts = IndexOptions { batch_docs: 60, merge_factor: 2, ..IndexOptions::default() };
    let mut w = IndexWriter::open(&dir, opts).unwrap();
    let text = |i: usize| article(i, 40 + i % 7);
    for i in 0..120 {
        w.add(Document::new(format!("g{i}"), text(i))).unwrap();
    }
    w.commit().unwrap();
    {
        let r = w.reader();
        let shape: Vec<(u32, u32)> = r.segments().iter().map(|s| (s.num_dicts(), s.num_blocks())).collect();
        assert!(shape.iter().all(|&(d, b)| d >= 1 && b >= 3), "{shape:?}");
    }
    for i in [3, 70, 71] {
        w.remove(&format!("g{i}"));
    }
    for i in 120..240 {
        w.add(Document::new(format!("g{i}"), text(i))).unwrap();
    }
    w.commit().unwrap();
    drop(w);
    let r = IndexReader::open(&dir).unwrap();
    let shape: Vec<(u32, u32)> = r.segments().iter().map(|s| (s.num_dicts(), s.num_blocks())).collect();
    assert!(
        shape.len() < 4 && shape.iter().any(|&(d, _)| d >= 2),
        "merged segments keep several dictionaries: {shape:?}"
    );
    assert_eq!(r.verify().unwrap(), 237);
    for i in 0..240 {
        let got = r.get(&format!("g{i}")).unwrap().map(|d| d.text);
        match i {
            3 | 70 | 71 => assert_eq!(got, None, "g{i} was removed"),
            _ => assert_eq!(got, Some(text(i)), "g{i}"),
        }
    }
    // A damaged dictionary is reported, by reads and by verify.
    let seg = r.segments()[0].path().to_path_buf();
    drop(r);
    flip_byte(&seg, 20);
    let r = IndexReader::open(&dir).unwrap();
    let e = r.verify().unwrap_err();
    assert!(e.to_string().contains("damaged"), "{e}");
    let e = (0..240).find_map(|i| r.get(&format!("g{i}")).err()).expect("a document of a damaged dictionary");
    assert!(e.to_string().contains("damaged"), "{e}");
}
