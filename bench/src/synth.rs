//! Synthetic corpora with known copies, built from real sentences.
//!
//! Sentences come from ../shared/data (BBC news and the French press
//! corpus) when present, from a small generated vocabulary otherwise (the
//! benchmark says which). Original documents are made of sentences drawn
//! from a word bigram model of those real sentences: sampling the real
//! sentences themselves would make every sentence recur in dozens of
//! unrelated documents of a large corpus (1M documents of 30 sentences drawn
//! from 130k sentences use each about 230 times), which no real collection
//! does and which would drown the injected copies. The bigram model keeps
//! the vocabulary, word frequencies and common phrases of real news, and
//! whole sentences rarely repeat. Documents are drawn deterministically from a seed,
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

/// Sentences to build documents from, and one word bigram model per source
/// language (French press, English BBC news), so that each document is
/// written in one language.
pub struct SentencePool {
    /// The sentences.
    pub sentences: Vec<String>,
    /// Where they came from.
    pub source: String,
    models: Vec<Bigrams>,
}

/// A word bigram model.
struct Bigrams {
    words: Vec<String>,
    starts: Vec<u32>,
    /// Successors of each word (with repetition, so sampling follows the
    /// bigram frequencies); `END` closes a sentence.
    next: Vec<Vec<u32>>,
}

const END: u32 = u32::MAX;

impl Bigrams {
    fn new(sentences: &[String]) -> Self {
        let mut ids: rustc_hash::FxHashMap<&str, u32> = rustc_hash::FxHashMap::default();
        let mut words: Vec<String> = Vec::new();
        let mut starts = Vec::new();
        let mut next: Vec<Vec<u32>> = Vec::new();
        for s in sentences {
            let mut prev: Option<u32> = None;
            for w in s.split(' ') {
                let id = *ids.entry(w).or_insert_with(|| {
                    words.push(w.to_string());
                    next.push(Vec::new());
                    (words.len() - 1) as u32
                });
                match prev {
                    Some(p) => next[p as usize].push(id),
                    None => starts.push(id),
                }
                prev = Some(id);
            }
            if let Some(p) = prev {
                next[p as usize].push(END);
            }
        }
        Bigrams { words, starts, next }
    }

    fn sentence(&self, r: &mut Rng) -> String {
        let mut out: Vec<&str> = Vec::with_capacity(24);
        let mut w = self.starts[r.below(self.starts.len())];
        loop {
            out.push(&self.words[w as usize]);
            let succ = &self.next[w as usize];
            let mut nx = if succ.is_empty() { END } else { succ[r.below(succ.len())] };
            if out.len() < 8 && nx == END {
                // Too short: continue from a fresh start word.
                nx = self.starts[r.below(self.starts.len())];
            }
            if nx == END || out.len() >= 40 {
                break;
            }
            w = nx;
        }
        let mut s = out.join(" ");
        if !s.ends_with(['.', '!', '?', '»', '"']) {
            s.push('.');
        }
        s
    }
}

impl SentencePool {
    fn new(groups: Vec<Vec<String>>, source: String) -> Self {
        let models = groups.iter().filter(|g| !g.is_empty()).map(|g| Bigrams::new(g)).collect();
        SentencePool { sentences: groups.into_iter().flatten().collect(), source, models }
    }

    /// The language model a document uses (0 = the first source).
    pub fn model_for(&self, r: &mut Rng) -> usize {
        r.below(self.models.len().max(1))
    }

    /// A sentence drawn from model `m` (8 to 40 words).
    pub fn sentence(&self, m: usize, r: &mut Rng) -> String {
        self.models[m.min(self.models.len() - 1)].sentence(r)
    }
}

/// Whether a sentence is prose: no web addresses, handles, hashtags or
/// script code, whose one-off tokens would make the bigram model replay
/// them verbatim in unrelated documents.
fn is_prose(s: &str) -> bool {
    !s.contains("http")
        && !s.contains("www.")
        && !s.contains(".com")
        && !s.chars().any(|c| matches!(c, '@' | '#' | '{' | '}' | '<' | '>' | '=' | '|' | '\\' | '_'))
}

fn split_into(text: &str, out: &mut Vec<String>) {
    let an = stemma_text::Analysis::new(text, None);
    for (s, toks) in an.sentences.iter().zip(&an.sentence_tokens) {
        let n = toks.len();
        let sentence = s.as_str(text);
        if (8..=60).contains(&n) && is_prose(sentence) {
            out.push(sentence.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
}

/// Loads real sentences from `data` (bbc, fr-press), unpacking the BBC
/// archive into `cache` with the system `tar` when needed.
pub fn load_pool(data: &Path, cache: &Path) -> SentencePool {
    let mut groups: Vec<Vec<String>> = Vec::new();
    let mut sources = Vec::new();
    let fr = data.join("fr-press/fr_press_gilets_jaunes.jsonl");
    if let Ok(content) = std::fs::read_to_string(&fr) {
        let mut sentences = Vec::new();
        for line in content.lines() {
            if let Some(t) = serde_json::from_str::<serde_json::Value>(line)
                .ok()
                .and_then(|v| v.get("text").and_then(|t| t.as_str()).map(str::to_string))
            {
                split_into(&t, &mut sentences);
            }
        }
        sentences.sort();
        sentences.dedup();
        sources.push(format!("{} from fr-press (French)", sentences.len()));
        groups.push(sentences);
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
        let mut sentences = Vec::new();
        for f in files.iter().filter(|f| f.extension().is_some_and(|e| e == "txt")) {
            if let Ok(t) = std::fs::read_to_string(f) {
                split_into(&t, &mut sentences);
            }
        }
        sentences.sort();
        sentences.dedup();
        sources.push(format!("{} from bbc (English)", sentences.len()));
        groups.push(sentences);
    }
    if groups.iter().map(Vec::len).sum::<usize>() < 1000 {
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
        let mut sentences = Vec::new();
        for _ in 0..20_000 {
            let n = 10 + rng.below(15);
            let mut s: Vec<String> = (0..n).map(|_| words[rng.below(words.len())].to_string()).collect();
            s.push(format!("{}.", rng.below(100_000)));
            sentences.push(s.join(" "));
        }
        return SentencePool::new(vec![sentences], format!("a generated vocabulary ({} absent)", data.display()));
    }
    let source = format!("word bigram models of real sentences: {}", sources.join(", "));
    SentencePool::new(groups, source)
}

/// Every file below `dir`, recursively (unreadable folders skipped).
pub(crate) fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
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
    /// The language model of document `i`.
    fn model_of(&self, i: usize) -> usize {
        self.pool.model_for(&mut self.rng(i, 7))
    }

    /// The sentences of original document `i` in model `m` (ignoring
    /// whether it is a copy).
    fn original_sentences_in(&self, i: usize, m: usize) -> Vec<String> {
        let mut r = self.rng(i, 2);
        let target = self.words / 2 + r.below(self.words + 1);
        let mut out = Vec::new();
        let mut n = 0;
        while n < target {
            let s = self.pool.sentence(m, &mut r);
            n += s.split_whitespace().count();
            out.push(s);
        }
        out
    }

    /// The text of document `i`.
    pub fn text(&self, i: usize) -> String {
        match self.origin(i) {
            Origin::Original => self.original_sentences_in(i, self.model_of(i)).join(" "),
            Origin::Copy { source, kind } => {
                let m = self.model_of(source);
                let src = self.original_sentences_in(source, m);
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
                            out.insert(at, self.pool.sentence(m, &mut r));
                        }
                        out.join(" ")
                    }
                    CopyKind::Partial => {
                        // The host is written in the source's language.
                        let mut host: Vec<String> = self.original_sentences_in(i, m);
                        let len = (3 + r.below(6)).min(src.len());
                        let from = r.below(src.len() - len + 1);
                        let at = r.below(host.len() + 1);
                        for (k, s) in src[from..from + len].iter().enumerate() {
                            host.insert(at + k, s.clone());
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
            let line = self.jsonl_record(i);
            bytes += line.len() as u64 + 1;
            writeln!(f, "{line}")?;
        }
        f.flush()?;
        Ok(bytes)
    }

    /// The JSONL line of document `i` (without its newline), as
    /// [`Corpus::write_jsonl`] writes it; lets a caller generate records in
    /// parallel and write them in order.
    pub fn jsonl_record(&self, i: usize) -> String {
        serde_json::json!({
            "id": format!("d{i}"),
            "series": format!("outlet-{:02}", i % 40),
            "date": format!("2019-01-{:02}", 1 + (i * 30 / self.docs.max(1)) % 30),
            "text": self.text(i),
        })
        .to_string()
    }
}
