//! stemma's embedded, persistent index.
//!
//! An index is a directory:
//!
//! ```text
//! STEMMA-INDEX                  marker with the format version
//! LOCK                          held by the one writer
//! manifest-0000000042.json      the current generation: segments and deletions
//! seg-000001.stm ...            immutable segments (documents + postings)
//! ```
//!
//! - [`IndexWriter`] adds documents in batches; each batch becomes a
//!   segment, and a commit writes a new manifest atomically (temporary file,
//!   sync, rename, directory sync). A crash or `kill -9` at any point leaves
//!   the previous or the new generation, both complete. Re-adding an id
//!   replaces the document; segments are merged in tiers so that there are
//!   never many small ones.
//! - [`IndexReader`] opens the newest generation and keeps it: segments are
//!   immutable, so a reader sees a consistent snapshot while a writer adds.
//! - Fingerprints are winnowed k-grams of content words ([`fingerprint`]);
//!   postings are grouped per fingerprint and Rice-coded; documents are
//!   stored whole (original text and metadata) in zstd-compressed blocks,
//!   with a dictionary sampled from the segment's documents.
//!
//! The design and its measured alternatives are in ARCHITECTURE.md.

#![warn(missing_docs)]

mod bits;
pub mod manifest;
mod merge;
pub mod postings;
mod reader;
pub mod segment;
mod varint;
mod writer;

pub use manifest::{Params, FORMAT_VERSION};
pub use reader::{DocAddr, IndexReader, IndexStats};
pub use writer::{CommitInfo, IndexWriter};

use std::fmt;
use std::path::{Path, PathBuf};
use stemma_fingerprint::{kgram_hashes, winnow};
use stemma_text::{
    detect_language_of_masks, is_stopword_mask, stopword_languages, tokenize, Document, Lang, TokenKind,
};

/// Everything that can go wrong with an index. `Display` is one line that
/// names the file and says what to do.
#[derive(Debug)]
pub enum IndexError {
    /// An I/O failure on a file of the index.
    Io {
        /// The file.
        path: PathBuf,
        /// The system's error.
        source: std::io::Error,
    },
    /// The directory holds no index.
    NotAnIndex(PathBuf),
    /// The directory exists, is not empty and is not an index.
    Foreign(PathBuf),
    /// Written by a newer stemma.
    NewerFormat {
        /// The file.
        path: PathBuf,
        /// Its format version.
        found: u64,
        /// The newest this build reads.
        supported: u64,
    },
    /// Written by an older stemma, in a format this one no longer reads.
    OlderFormat {
        /// The file.
        path: PathBuf,
        /// Its format version.
        found: u64,
        /// The format this build reads.
        supported: u64,
    },
    /// Another process holds the writer lock.
    Locked(PathBuf),
    /// A file of the index is damaged.
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        what: String,
    },
}

impl IndexError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        IndexError::Io { path: path.to_path_buf(), source }
    }
}

impl fmt::Display for IndexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndexError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            IndexError::NotAnIndex(p) => {
                write!(
                    f,
                    "{}: no stemma index here; create one with `stemma index INPUT --index {}`",
                    p.display(),
                    p.display()
                )
            }
            IndexError::Foreign(p) => write!(
                f,
                "{}: not a stemma index (no {} file) and not empty; choose a new or empty directory",
                p.display(),
                manifest::MARKER
            ),
            IndexError::NewerFormat { path, found, supported } => write!(
                f,
                "{}: written by a newer stemma (format {found}; this stemma reads up to {supported}); upgrade stemma",
                path.display()
            ),
            IndexError::OlderFormat { path, found, supported } => write!(
                f,
                "{}: written by an older stemma (format {found}; this stemma reads format {supported}); rebuild the index: remove the directory and run `stemma index` again",
                path.display()
            ),
            IndexError::Locked(p) => {
                write!(f, "{}: another stemma process is writing to this index; wait for it to finish", p.display())
            }
            IndexError::Corrupt { path, what } => {
                write!(f, "{}: damaged ({what}); `stemma verify` checks the whole index", path.display())
            }
        }
    }
}

impl std::error::Error for IndexError {}

/// Tuning of an index writer.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexOptions {
    /// Content words per fingerprinted k-gram (fixed when the index is created).
    pub k: u32,
    /// Winnowing window (fixed when the index is created). A shared run of
    /// `k + window − 1` content words is always found.
    pub window: u32,
    /// Documents per segment (a commit happens when a batch is full).
    pub batch_docs: usize,
    /// Bytes of text per segment, whichever comes first.
    pub batch_bytes: usize,
    /// zstd level for stored documents.
    pub zstd_level: i32,
    /// Segments of one size tier merged together.
    pub merge_factor: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions { k: 4, window: 8, batch_docs: 20_000, batch_bytes: 64 << 20, zstd_level: 4, merge_factor: 8 }
    }
}

/// What the index derives from a text: its language, fingerprints and words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprinted {
    /// The language used (given or identified).
    pub lang: Option<Lang>,
    /// Stored fingerprint keys, sorted and distinct.
    pub fingerprints: Vec<u64>,
    /// Stored keys of the distinct content words, sorted.
    pub words: Vec<u64>,
    /// Number of tokens.
    pub tokens: u32,
}

/// Fingerprints a text the way the index does. Queries must use the same
/// parameters as the index (see [`Params`]).
pub fn fingerprint(text: &str, lang: Option<Lang>, params: Params) -> Fingerprinted {
    // Tokenized once, with the hint only: the language identified from the
    // tokens then chooses the function words. Index and queries follow the
    // same steps, so their fingerprints agree.
    let tokens = tokenize(text, lang);
    let masks: Vec<u8> = tokens.iter().map(|t| stopword_languages(t.key)).collect();
    let lang = lang.or_else(|| detect_language_of_masks(&masks));
    let content: Vec<u64> = tokens
        .iter()
        .zip(&masks)
        .filter(|(t, &m)| match t.kind {
            TokenKind::Number => true,
            TokenKind::Word => !is_stopword_mask(m, lang) && t.as_str(text).chars().nth(1).is_some(),
        })
        .map(|(t, _)| t.key)
        .collect();
    let mut fingerprints: Vec<u64> =
        winnow(&kgram_hashes(&content, params.k.max(1) as usize), params.window.max(1) as usize)
            .into_iter()
            .map(|f| postings::stored_key(f.hash))
            .collect();
    fingerprints.sort_unstable();
    fingerprints.dedup();
    let mut words: Vec<u64> = content.iter().map(|&k| postings::stored_key(k)).collect();
    words.sort_unstable();
    words.dedup();
    Fingerprinted { lang, fingerprints, words, tokens: tokens.len() as u32 }
}

/// Language code stored per document (0 = unknown).
pub(crate) fn lang_code(lang: Option<Lang>) -> u8 {
    lang.and_then(|l| Lang::ALL.iter().position(|x| *x == l)).map_or(0, |i| i as u8 + 1)
}

/// Prepares a document for a segment: identifies its language (recorded in
/// the document when it had none), fingerprints it and serializes it.
pub(crate) fn prepare(mut doc: Document, params: Params) -> segment::IndexedDoc {
    let hint = doc.lang.as_deref().and_then(Lang::from_code);
    let f = fingerprint(&doc.text, hint, params);
    if doc.lang.is_none() {
        doc.lang = f.lang.map(|l| l.code().to_string());
    }
    // Serializing a Document (strings and a JSON map) cannot fail.
    let json = serde_json::to_vec(&doc).unwrap_or_default();
    segment::IndexedDoc {
        id: doc.id,
        json,
        fingerprints: f.fingerprints,
        words: f.words,
        tokens: f.tokens,
        lang: lang_code(f.lang),
    }
}

/// Decodes a stored document.
pub(crate) fn decode_doc(path: &Path, json: &[u8]) -> Result<Document, IndexError> {
    serde_json::from_slice(json)
        .map_err(|e| IndexError::Corrupt { path: path.to_path_buf(), what: format!("stored document: {e}") })
}
