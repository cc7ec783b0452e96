//! Reading an index: one generation, kept for the reader's lifetime.

use crate::manifest::{self, Manifest, Params, MARKER};
use crate::segment::{DocEntry, Segment, Table};
use crate::{decode_doc, IndexError};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use stemma_text::{Document, Lang};
use xxhash_rust::xxh3::xxh3_64;

/// Where a document is: segment position in the snapshot and local number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocAddr {
    /// Position of the segment in the snapshot.
    pub segment: u32,
    /// Local document number in the segment.
    pub doc: u32,
}

/// Figures about an index.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexStats {
    /// Index directory.
    pub path: String,
    /// Index format version.
    pub format: u32,
    /// Generation (number of commits).
    pub generation: u64,
    /// Live documents.
    pub documents: u64,
    /// Deleted (replaced or removed) documents still in segments.
    pub deleted: u64,
    /// Number of segments.
    pub segments: usize,
    /// Total size of the segment files.
    pub bytes: u64,
    /// Of which compressed documents.
    pub document_bytes: u64,
    /// Of which fingerprint postings.
    pub fingerprint_bytes: u64,
    /// Of which word postings.
    pub word_bytes: u64,
    /// Distinct fingerprints, summed over segments.
    pub fingerprint_keys: u64,
    /// Fingerprinting parameters.
    pub k: u32,
    /// Winnowing window.
    pub window: u32,
    /// Live documents per identified language ("unknown" when none).
    pub languages: BTreeMap<String, u64>,
}

/// A consistent snapshot of an index.
#[derive(Debug, Clone)]
pub struct IndexReader {
    dir: PathBuf,
    manifest: Manifest,
    segments: Vec<Arc<Segment>>,
    /// Deleted flags per segment.
    deleted: Vec<Vec<bool>>,
}

/// Checks that `dir` is an index this stemma can read.
pub(crate) fn check_dir(dir: &Path) -> Result<(), IndexError> {
    if !dir.is_dir() {
        return Err(IndexError::NotAnIndex(dir.to_path_buf()));
    }
    let marker = dir.join(MARKER);
    match std::fs::read_to_string(&marker) {
        Ok(s) => {
            let format: u64 =
                s.lines().find_map(|l| l.strip_prefix("format ")).and_then(|v| v.trim().parse().ok()).unwrap_or(0);
            if format > u64::from(manifest::FORMAT_VERSION) {
                return Err(IndexError::NewerFormat {
                    path: marker,
                    found: format,
                    supported: u64::from(manifest::FORMAT_VERSION),
                });
            }
            if format < u64::from(manifest::FORMAT_VERSION) {
                return Err(IndexError::OlderFormat {
                    path: marker,
                    found: format,
                    supported: u64::from(manifest::FORMAT_VERSION),
                });
            }
            Ok(())
        }
        Err(_) => {
            let empty = std::fs::read_dir(dir).map_err(|e| IndexError::io(dir, e))?.next().is_none();
            Err(if empty { IndexError::NotAnIndex(dir.to_path_buf()) } else { IndexError::Foreign(dir.to_path_buf()) })
        }
    }
}

impl IndexReader {
    /// Opens the newest generation of the index in `dir`.
    pub fn open(dir: &Path) -> Result<IndexReader, IndexError> {
        check_dir(dir)?;
        // A writer may remove old segments between our reading the manifest
        // and opening them; a newer manifest then exists: read again.
        let mut last_err = None;
        for _ in 0..8 {
            let m = manifest::latest(dir)?.unwrap_or_else(|| Manifest::empty(Params { k: 4, window: 6 }));
            match IndexReader::from_manifest(dir, m) {
                Ok(r) => return Ok(r),
                Err(IndexError::Io { path, source }) if source.kind() == std::io::ErrorKind::NotFound => {
                    last_err = Some(IndexError::Io { path, source });
                }
                Err(e) => return Err(e),
            }
        }
        Err(last_err.unwrap_or_else(|| IndexError::NotAnIndex(dir.to_path_buf())))
    }

    pub(crate) fn from_manifest(dir: &Path, manifest: Manifest) -> Result<IndexReader, IndexError> {
        let mut segments = Vec::with_capacity(manifest.segments.len());
        let mut deleted = Vec::with_capacity(manifest.segments.len());
        for s in &manifest.segments {
            let seg = Segment::open(&dir.join(&s.name))?;
            let mut flags = vec![false; seg.num_docs() as usize];
            for &d in &s.deleted {
                if let Some(f) = flags.get_mut(d as usize) {
                    *f = true;
                }
            }
            segments.push(Arc::new(seg));
            deleted.push(flags);
        }
        Ok(IndexReader { dir: dir.to_path_buf(), manifest, segments, deleted })
    }

    /// Reuses already open segments for a new manifest (the writer's path).
    pub(crate) fn with_manifest(&self, manifest: Manifest) -> Result<IndexReader, IndexError> {
        let mut segments = Vec::with_capacity(manifest.segments.len());
        let mut deleted = Vec::with_capacity(manifest.segments.len());
        for s in &manifest.segments {
            let existing =
                self.manifest.segments.iter().position(|x| x.name == s.name).map(|i| self.segments[i].clone());
            let seg = match existing {
                Some(seg) => seg,
                None => Arc::new(Segment::open(&self.dir.join(&s.name))?),
            };
            let mut flags = vec![false; seg.num_docs() as usize];
            for &d in &s.deleted {
                if let Some(f) = flags.get_mut(d as usize) {
                    *f = true;
                }
            }
            segments.push(seg);
            deleted.push(flags);
        }
        Ok(IndexReader { dir: self.dir.clone(), manifest, segments, deleted })
    }

    /// The index directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The generation this snapshot shows.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Fingerprinting parameters of the index.
    pub fn params(&self) -> Params {
        self.manifest.params
    }

    /// Number of live documents.
    pub fn num_docs(&self) -> u64 {
        self.manifest.live_docs()
    }

    /// The segments of the snapshot.
    pub fn segments(&self) -> &[Arc<Segment>] {
        &self.segments
    }

    /// Whether a document is live (not deleted or replaced).
    pub fn is_live(&self, a: DocAddr) -> bool {
        self.deleted.get(a.segment as usize).and_then(|d| d.get(a.doc as usize)).is_some_and(|&d| !d)
    }

    /// Table entry (tokens, fingerprints, language) of a document.
    pub fn entry(&self, a: DocAddr) -> Option<&DocEntry> {
        self.segments.get(a.segment as usize)?.entry(a.doc)
    }

    /// Reads a document.
    pub fn doc(&self, a: DocAddr) -> Result<Document, IndexError> {
        let seg = self.segments.get(a.segment as usize).ok_or_else(|| IndexError::Corrupt {
            path: self.dir.clone(),
            what: format!("segment {} out of range", a.segment),
        })?;
        decode_doc(seg.path(), &seg.doc_json(a.doc)?)
    }

    /// Finds the live document with this id.
    pub fn find(&self, id: &str) -> Result<Option<DocAddr>, IndexError> {
        let h = xxh3_64(id.as_bytes());
        for (si, seg) in self.segments.iter().enumerate().rev() {
            for d in seg.docs_with_id_hash(h) {
                let a = DocAddr { segment: si as u32, doc: d };
                if self.is_live(a) && self.doc(a)?.id == id {
                    return Ok(Some(a));
                }
            }
        }
        Ok(None)
    }

    /// Reads the live document with this id.
    pub fn get(&self, id: &str) -> Result<Option<Document>, IndexError> {
        match self.find(id)? {
            Some(a) => self.doc(a).map(Some),
            None => Ok(None),
        }
    }

    /// Calls `f(index of the key in keys, document)` for every live
    /// document posted under each of the stored `keys` (sorted, distinct).
    pub fn postings(&self, table: Table, keys: &[u64], mut f: impl FnMut(usize, DocAddr)) -> Result<(), IndexError> {
        for (si, seg) in self.segments.iter().enumerate() {
            let deleted = &self.deleted[si];
            seg.lookup(table, keys, |k, docs| {
                for &d in docs {
                    if !deleted.get(d as usize).copied().unwrap_or(true) {
                        f(k, DocAddr { segment: si as u32, doc: d });
                    }
                }
            })?;
        }
        Ok(())
    }

    /// Every key of `table` whose stored key lies in `keys`, in key order,
    /// with its live documents across all segments: `f(stored key, docs)`.
    /// This is the merge of the segments' posting lists that a corpus-wide
    /// self-join walks; disjoint key ranges can be walked in parallel.
    pub fn merged_postings(
        &self,
        table: Table,
        keys: std::ops::Range<u64>,
        mut f: impl FnMut(u64, &[DocAddr]),
    ) -> Result<(), IndexError> {
        use std::cmp::Reverse;
        let mut cursors: Vec<crate::segment::TableCursor> =
            self.segments.iter().map(|s| crate::segment::TableCursor::new(s, table, keys.clone())).collect();
        let mut heap: std::collections::BinaryHeap<Reverse<(u64, usize)>> = std::collections::BinaryHeap::new();
        for (i, c) in cursors.iter_mut().enumerate() {
            if let Some(k) = c.peek()? {
                heap.push(Reverse((k, i)));
            }
        }
        let mut docs: Vec<DocAddr> = Vec::new();
        while let Some(Reverse((key, _))) = heap.peek().copied() {
            docs.clear();
            while let Some(Reverse((k, i))) = heap.peek().copied() {
                if k != key {
                    break;
                }
                heap.pop();
                let (_, ds) = cursors[i].take();
                let deleted = &self.deleted[i];
                docs.extend(
                    ds.iter()
                        .filter(|&&d| !deleted.get(d as usize).copied().unwrap_or(true))
                        .map(|&d| DocAddr { segment: i as u32, doc: d }),
                );
                if let Some(k) = cursors[i].peek()? {
                    heap.push(Reverse((k, i)));
                }
            }
            docs.sort_unstable();
            if !docs.is_empty() {
                f(key, &docs);
            }
        }
        Ok(())
    }

    /// Every live document, in index order, decoded block by block.
    pub fn for_each_doc(
        &self,
        mut f: impl FnMut(DocAddr, Document) -> Result<(), IndexError>,
    ) -> Result<(), IndexError> {
        for (si, seg) in self.segments.iter().enumerate() {
            for b in 0..seg.num_blocks() {
                let docs = seg.docs_in_block(b);
                if !docs.clone().any(|d| self.is_live(DocAddr { segment: si as u32, doc: d })) {
                    continue;
                }
                let block = seg.read_block(b)?;
                for d in docs {
                    let Some(e) = seg.entry(d).copied() else { continue };
                    let a = DocAddr { segment: si as u32, doc: d };
                    if !self.is_live(a) {
                        continue;
                    }
                    let json = block.get(e.offset as usize..(e.offset + e.len) as usize).ok_or_else(|| {
                        IndexError::Corrupt {
                            path: seg.path().to_path_buf(),
                            what: "document outside its block".into(),
                        }
                    })?;
                    f(a, decode_doc(seg.path(), json)?)?;
                }
            }
        }
        Ok(())
    }

    /// Figures about the index.
    pub fn stats(&self) -> IndexStats {
        let mut languages: BTreeMap<String, u64> = BTreeMap::new();
        for (si, seg) in self.segments.iter().enumerate() {
            for d in 0..seg.num_docs() {
                let a = DocAddr { segment: si as u32, doc: d };
                if let (true, Some(e)) = (self.is_live(a), seg.entry(d)) {
                    let name = match e.lang {
                        0 => "unknown".to_string(),
                        n => Lang::ALL.get(n as usize - 1).map_or("unknown", |l| l.code()).to_string(),
                    };
                    *languages.entry(name).or_default() += 1;
                }
            }
        }
        let deleted: u64 = self.manifest.segments.iter().map(|s| s.deleted.len() as u64).sum();
        IndexStats {
            path: self.dir.display().to_string(),
            format: self.manifest.format.max(manifest::FORMAT_VERSION),
            generation: self.manifest.generation,
            documents: self.num_docs(),
            deleted,
            segments: self.segments.len(),
            bytes: self.segments.iter().map(|s| s.bytes()).sum(),
            document_bytes: self.segments.iter().map(|s| s.doc_bytes()).sum(),
            fingerprint_bytes: self.segments.iter().map(|s| s.fingerprint_bytes()).sum(),
            word_bytes: self.segments.iter().map(|s| s.word_bytes()).sum(),
            fingerprint_keys: self.segments.iter().map(|s| s.fingerprint_keys()).sum(),
            k: self.manifest.params.k,
            window: self.manifest.params.window,
            languages,
        }
    }

    /// Reads every byte of every segment against its checksums and decodes
    /// every document and posting block. Returns the number of live documents.
    pub fn verify(&self) -> Result<u64, IndexError> {
        for seg in &self.segments {
            seg.verify()?;
            for t in [Table::Fingerprints, Table::Words] {
                for b in 0..seg.num_posting_blocks(t) {
                    let mut bad = false;
                    seg.for_each_in_block(t, b, |_, docs| bad |= docs.iter().any(|&d| d >= seg.num_docs()))?;
                    if bad {
                        return Err(IndexError::Corrupt {
                            path: seg.path().to_path_buf(),
                            what: "posting to a document that does not exist".into(),
                        });
                    }
                }
            }
        }
        let mut n = 0u64;
        self.for_each_doc(|_, _| {
            n += 1;
            Ok(())
        })?;
        Ok(n)
    }
}
