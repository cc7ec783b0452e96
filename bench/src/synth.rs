//! Synthetic corpora with known copies, built from real sentences.
//!
//! Sentences come from ../shared/data (BBC news and the French press
//! corpus) when present, from a small generated vocabulary otherwise (the
//! benchmark says which). Documents are drawn deterministically from a seed,
//! so any document can be regenerated from its number without storing the
//! corpus; a share of them are copies of an earlier document, of three kinds:
//!
//! - `exact`: the same text with one or two words changed;
//! - `edited`: sentences dropped (10 %), altered (10 %: a word replaced, a
//!   number changed), one or two new sentences inserted;
//! - `partial`: an unrelated document into which a passage of 3–8
//!   consecutive sentences of the source is lifted.

use crate::Rng;
use std::io::Write;
use std::path::Path;

/// Sentences to build documents from.
pub struct SentencePool {
    /// The sentences.
    pub sentences: Vec<String>,
    /// Where they came from.
    pub source: String,
}

fn split_into(text: &str, out: &mut Vec<String>) {
    let an = stemma_text::Analysis::new(text, None);
    for (s, toks) in an.sentences.iter().zip(&an.sentence_tokens) {
        let n = toks.len();
        if (8..=60).contains(&n) {
            out.push(s.as_str(text).split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
}

/// Loads real sentences from `data` (bbc, fr-press), unpacking the BBC
/// archive into `cache` with the system `tar` when needed.
pub fn load_pool(data: &Path, cache: &Path) -> SentencePool {
    let mut sentences = Vec::new();
    let mut sources = Vec::new();
    let fr = data.join("fr-press/fr_press_gilets_jaunes.jsonl");
    if let Ok(content) = std::fs::read_to_string(&fr) {
        for line in content.lines() {
            if let Some(t) = serde_json::from_str::<serde_json::Value>(line)
                .ok()
                .and_then(|v| v.get("text").and_then(|t| t.as_str()).map(str::to_string))
            {
                split_into(&t, &mut sentences);
            }
        }
        sources.push("fr-press");
    }
    let bbc_dir = cache.join("bbc");
    let tarball = data.join("bbc/bbc.tar.gz");
    if !bbc_dir.is_dir() && tarball.is_file() {
        let _ = std::fs::create_dir_all(cache);
        let _ = std::process::Command::new("tar").arg("xzf").arg(&tarball).arg("-C").arg(cache).status();
    }
    if bbc_dir.is_dir() {
        let mut files: Vec<std::path::PathBuf> = walk(&bbc_dir);
        files.sort();
        for f in files.iter().filter(|f| f.extension().is_some_and(|e| e == "txt")) {
            if let Ok(t) = std::fs::read_to_string(f) {
                split_into(&t, &mut sentences);
            }
        }
        sources.push("bbc");
    }
    if sentences.len() < 1000 {
        let mut rng = Rng::new(99);
        let words = [
            "the",
            "council",
            "said",
            "minister",
            "government",
            "plan",
            "budget",
            "vote",
            "protest",
            "police",
            "city",
            "market",
            "prices",
            "rose",
            "fell",
            "report",
            "company",
            "shares",
            "workers",
            "strike",
        ];
        for _ in 0..20_000 {
            let n = 10 + rng.below(15);
            let mut s: Vec<String> = (0..n).map(|_| words[rng.below(words.len())].to_string()).collect();
            s.push(format!("{}.", rng.below(100_000)));
            sentences.push(s.join(" "));
        }
        return SentencePool { sentences, source: format!("a generated vocabulary ({} absent)", data.display()) };
    }
    sentences.sort();
    sentences.dedup();
    SentencePool { source: format!("{} real sentences from {}", sentences.len(), sources.join(" and ")), sentences }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Kind of an injected copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CopyKind {
    /// Same text, one or two words changed.
    Exact,
    /// Sentences dropped, altered and inserted.
    Edited,
    /// A passage lifted into an unrelated document.
    Partial,
}

impl CopyKind {
    /// Name for tables.
    pub fn name(self) -> &'static str {
        match self {
            CopyKind::Exact => "exact",
            CopyKind::Edited => "edited",
            CopyKind::Partial => "partial",
        }
    }
}

/// What document `i` of a corpus is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// An original document.
    Original,
    /// A copy of document `source`.
    Copy {
        /// The document copied.
        source: usize,
        /// How.
        kind: CopyKind,
    },
}

/// A corpus description: documents are generated on demand.
pub struct Corpus<'p> {
    pool: &'p SentencePool,
    seed: u64,
    /// Number of documents.
    pub docs: usize,
    /// Share of documents that are copies.
    pub copy_rate: f64,
    /// Words per document, about.
    pub words: usize,
}

impl<'p> Corpus<'p> {
    /// A corpus of `docs` documents of about `words` words.
    pub fn new(pool: &'p SentencePool, docs: usize, words: usize, seed: u64) -> Self {
        Corpus { pool, seed, docs, copy_rate: 0.1, words }
    }

    fn rng(&self, i: usize, salt: u64) -> Rng {
        Rng::new(self.seed ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ salt)
    }

    /// What document `i` is.
    pub fn origin(&self, i: usize) -> Origin {
        let mut r = self.rng(i, 1);
        if i < 10 || !r.chance(self.copy_rate) {
            return Origin::Original;
        }
        // A copy of a recent earlier original (news is copied within days).
        let mut source = i - 1 - r.below(i.min(5000));
        while let Origin::Copy { .. } = self.origin(source) {
            if source == 0 {
                break;
            }
            source -= 1;
        }
        let kind = match r.below(3) {
            0 => CopyKind::Exact,
            1 => CopyKind::Edited,
            _ => CopyKind::Partial,
        };
        Origin::Copy { source, kind }
    }

    /// The sentences of original document `i` (ignoring whether it is a copy).
    fn original_sentences(&self, i: usize) -> Vec<&'p str> {
        let mut r = self.rng(i, 2);
        let target = self.words / 2 + r.below(self.words + 1);
        let mut out = Vec::new();
        let mut n = 0;
        while n < target {
            let s = self.pool.sentences[r.below(self.pool.sentences.len())].as_str();
            n += s.split_whitespace().count();
            out.push(s);
        }
        out
    }

    /// The text of document `i`.
    pub fn text(&self, i: usize) -> String {
        match self.origin(i) {
            Origin::Original => self.original_sentences(i).join(" "),
            Origin::Copy { source, kind } => {
                let src = self.original_sentences(source);
                let mut r = self.rng(i, 3);
                match kind {
                    CopyKind::Exact => {
                        let mut words: Vec<String> = src.join(" ").split(' ').map(str::to_string).collect();
                        for _ in 0..2 {
                            let at = r.below(words.len());
                            words[at] = "also".to_string();
                        }
                        words.join(" ")
                    }
                    CopyKind::Edited => {
                        let mut out: Vec<String> = Vec::new();
                        for s in &src {
                            if r.chance(0.1) {
                                continue;
                            }
                            if r.chance(0.1) {
                                let mut w: Vec<&str> = s.split(' ').collect();
                                let at = r.below(w.len());
                                w[at] = "indeed";
                                out.push(w.join(" "));
                            } else {
                                out.push(s.to_string());
                            }
                        }
                        for _ in 0..1 + r.below(2) {
                            let at = r.below(out.len() + 1);
                            out.insert(at, self.pool.sentences[r.below(self.pool.sentences.len())].clone());
                        }
                        out.join(" ")
                    }
                    CopyKind::Partial => {
                        let mut host: Vec<&str> = self.original_sentences(i);
                        let len = (3 + r.below(6)).min(src.len());
                        let from = r.below(src.len() - len + 1);
                        let at = r.below(host.len() + 1);
                        for (k, s) in src[from..from + len].iter().enumerate() {
                            host.insert(at + k, s);
                        }
                        host.join(" ")
                    }
                }
            }
        }
    }

    /// Writes the corpus as JSONL (`id` = `d<i>`, `series`, `date`, `text`).
    pub fn write_jsonl(&self, path: &Path) -> std::io::Result<u64> {
        let mut f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
        let mut bytes = 0u64;
        for i in 0..self.docs {
            let rec = serde_json::json!({
                "id": format!("d{i}"),
                "series": format!("outlet-{:02}", i % 40),
                "date": format!("2019-01-{:02}", 1 + (i * 30 / self.docs.max(1)) % 30),
                "text": self.text(i),
            });
            let line = rec.to_string();
            bytes += line.len() as u64 + 1;
            writeln!(f, "{line}")?;
        }
        f.flush()?;
        Ok(bytes)
    }
}
