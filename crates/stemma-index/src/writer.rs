//! Writing an index: batches become segments, commits write manifests.

use crate::manifest::{self, Manifest, Params, SegmentMeta, MARKER};
use crate::reader::{check_dir, IndexReader};
use crate::{merge, prepare, segment, IndexError, IndexOptions};
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::fs::File;
use std::path::{Path, PathBuf};
use stemma_text::Document;

/// What a commit did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommitInfo {
    /// The generation now visible.
    pub generation: u64,
    /// Documents added by this commit (new ids).
    pub added: u64,
    /// Documents that replaced one with the same id.
    pub replaced: u64,
    /// Documents removed.
    pub removed: u64,
    /// Ids asked for removal that were not in the index.
    pub not_found: u64,
    /// Live documents after the commit.
    pub documents: u64,
    /// Size of the index's segment files after the commit.
    pub bytes: u64,
    /// Segments merged after the commit.
    pub merged: usize,
}

/// The one writer of an index (holds the directory's lock).
#[derive(Debug)]
pub struct IndexWriter {
    dir: PathBuf,
    _lock: File,
    opts: IndexOptions,
    reader: IndexReader,
    /// Documents added and already prepared (fingerprinted, serialized).
    pending: Vec<segment::IndexedDoc>,
    /// Documents added, not yet prepared: prepared in parallel by chunks, so
    /// that fingerprinting keeps pace with reading.
    unprepared: Vec<Document>,
    pending_bytes: usize,
    removals: Vec<String>,
}

/// Documents prepared together in parallel.
const PREPARE_CHUNK: usize = 256;

fn is_ours(name: &str) -> bool {
    name.starts_with("seg-") || name.starts_with("manifest-") || name.ends_with(".tmp")
}

impl IndexWriter {
    /// Opens the index in `dir` for writing, creating it when `dir` does
    /// not exist or is empty.
    pub fn open(dir: &Path, opts: IndexOptions) -> Result<IndexWriter, IndexError> {
        let fresh = !dir.exists()
            || (dir.is_dir() && std::fs::read_dir(dir).map_err(|e| IndexError::io(dir, e))?.next().is_none());
        if fresh {
            std::fs::create_dir_all(dir).map_err(|e| IndexError::io(dir, e))?;
            let marker = dir.join(MARKER);
            std::fs::write(&marker, format!("stemma index\nformat {}\n", manifest::FORMAT_VERSION))
                .map_err(|e| IndexError::io(&marker, e))?;
            manifest::sync_dir(dir)?;
        }
        check_dir(dir)?;
        let lock_path = dir.join("LOCK");
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| IndexError::io(&lock_path, e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => return Err(IndexError::Locked(dir.to_path_buf())),
            Err(std::fs::TryLockError::Error(e)) => return Err(IndexError::io(&lock_path, e)),
        }
        let m = manifest::latest(dir)?.unwrap_or_else(|| Manifest::empty(Params { k: opts.k, window: opts.window }));
        let reader = IndexReader::from_manifest(dir, m)?;
        let mut w = IndexWriter {
            dir: dir.to_path_buf(),
            _lock: lock,
            opts,
            reader,
            pending: Vec::new(),
            unprepared: Vec::new(),
            pending_bytes: 0,
            removals: Vec::new(),
        };
        w.collect_garbage()?;
        Ok(w)
    }

    /// The committed snapshot (what readers see now).
    pub fn reader(&self) -> &IndexReader {
        &self.reader
    }

    /// Documents waiting for the next commit.
    pub fn pending(&self) -> usize {
        self.pending.len() + self.unprepared.len()
    }

    fn prepare_unprepared(&mut self) {
        let params = self.reader.params();
        let chunk = std::mem::take(&mut self.unprepared);
        let prepared: Vec<segment::IndexedDoc> = chunk.into_par_iter().map(|d| prepare(d, params)).collect();
        self.pending.extend(prepared);
    }

    /// Adds a document (replacing any document with the same id at the
    /// next commit). Commits when the batch is full and says so.
    pub fn add(&mut self, doc: Document) -> Result<Option<CommitInfo>, IndexError> {
        self.pending_bytes += doc.text.len();
        self.unprepared.push(doc);
        if self.unprepared.len() >= PREPARE_CHUNK {
            self.prepare_unprepared();
        }
        if self.pending() >= self.opts.batch_docs || self.pending_bytes >= self.opts.batch_bytes {
            return self.commit().map(Some);
        }
        Ok(None)
    }

    /// Marks a document for removal at the next commit.
    pub fn remove(&mut self, id: &str) {
        self.removals.push(id.to_string());
    }

    /// Makes everything added or removed so far durable and visible.
    pub fn commit(&mut self) -> Result<CommitInfo, IndexError> {
        self.prepare_unprepared();
        let mut info = CommitInfo { generation: self.reader.manifest().generation, ..CommitInfo::default() };
        if self.pending.is_empty() && self.removals.is_empty() {
            info.documents = self.reader.num_docs();
            info.bytes = self.reader.stats().bytes;
            return Ok(info);
        }
        // Within a batch, the last document with an id wins.
        let mut seen: FxHashSet<String> = FxHashSet::default();
        let mut batch: Vec<segment::IndexedDoc> = Vec::with_capacity(self.pending.len());
        for d in std::mem::take(&mut self.pending).into_iter().rev() {
            if seen.insert(d.id.clone()) {
                batch.push(d);
            } else {
                info.replaced += 1;
            }
        }
        batch.reverse();
        self.pending_bytes = 0;
        let mut m = self.reader.manifest().clone();
        // Older versions of re-added ids, and removed ids, are deleted.
        for d in &batch {
            if let Some(a) = self.reader.find(&d.id)? {
                m.segments[a.segment as usize].deleted.push(a.doc);
                info.replaced += 1;
            } else {
                info.added += 1;
            }
        }
        for id in std::mem::take(&mut self.removals) {
            if seen.contains(&id) {
                continue;
            }
            match self.reader.find(&id)? {
                Some(a) => {
                    let del = &mut m.segments[a.segment as usize].deleted;
                    if !del.contains(&a.doc) {
                        del.push(a.doc);
                        info.removed += 1;
                    }
                }
                None => info.not_found += 1,
            }
        }
        for s in &mut m.segments {
            s.deleted.sort_unstable();
            s.deleted.dedup();
        }
        if !batch.is_empty() {
            let prepared = batch;
            let name = format!("seg-{:06}.stm", m.next_segment);
            m.next_segment += 1;
            let summary = segment::write(&self.dir.join(&name), &prepared, self.opts.zstd_level)?;
            m.segments.push(SegmentMeta { name, docs: summary.docs, deleted: Vec::new(), bytes: summary.bytes });
        }
        // Segments whose documents are all deleted are dropped.
        m.segments.retain(|s| s.deleted.len() < s.docs as usize);
        m.generation += 1;
        manifest::write(&self.dir, &m)?;
        self.reader = self.reader.with_manifest(m)?;
        info.merged = self.merge_tiers()?;
        self.collect_garbage()?;
        info.generation = self.reader.manifest().generation;
        info.documents = self.reader.num_docs();
        info.bytes = self.reader.manifest().segments.iter().map(|s| s.bytes).sum();
        Ok(info)
    }

    /// Merges segments of the same size tier (powers of the merge factor)
    /// when a tier holds `merge_factor` of them, until no tier does; each
    /// merge is a commit of its own. Returns how many segments were merged.
    fn merge_tiers(&mut self) -> Result<usize, IndexError> {
        let factor = self.opts.merge_factor.max(2);
        let tier = |docs: u64| -> u32 {
            let mut t = 0;
            let mut n = docs.max(1);
            while n >= factor as u64 {
                n /= factor as u64;
                t += 1;
            }
            t
        };
        let mut merged = 0usize;
        loop {
            let m = self.reader.manifest().clone();
            let mut by_tier: std::collections::BTreeMap<u32, Vec<usize>> = std::collections::BTreeMap::new();
            for (i, s) in m.segments.iter().enumerate() {
                by_tier.entry(tier(u64::from(s.docs) - s.deleted.len() as u64)).or_default().push(i);
            }
            let Some(group) = by_tier.into_values().find(|v| v.len() >= factor) else {
                return Ok(merged);
            };
            let mut m2 = m.clone();
            let name = format!("seg-{:06}.stm", m2.next_segment);
            m2.next_segment += 1;
            let summary = merge::merge(&self.reader, &group, &self.dir.join(&name), self.opts.zstd_level)?;
            let first = group[0];
            let mut segments = Vec::with_capacity(m2.segments.len());
            for (i, s) in m2.segments.into_iter().enumerate() {
                if i == first {
                    segments.push(SegmentMeta {
                        name: name.clone(),
                        docs: summary.docs,
                        deleted: Vec::new(),
                        bytes: summary.bytes,
                    });
                } else if !group.contains(&i) {
                    segments.push(s);
                }
            }
            m2.segments = segments;
            m2.generation += 1;
            manifest::write(&self.dir, &m2)?;
            self.reader = self.reader.with_manifest(m2)?;
            merged += group.len();
        }
    }

    /// Removes files no generation needs any more: segments not in the
    /// current manifest, manifests older than the previous one, and
    /// temporary files left by an interrupted write.
    fn collect_garbage(&mut self) -> Result<(), IndexError> {
        let m = self.reader.manifest();
        let live: FxHashSet<&str> = m.segments.iter().map(|s| s.name.as_str()).collect();
        let keep_manifests: FxHashSet<String> =
            [m.generation, m.generation.saturating_sub(1)].iter().map(|&g| manifest::file_name(g)).collect();
        for entry in std::fs::read_dir(&self.dir).map_err(|e| IndexError::io(&self.dir, e))?.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !is_ours(&name) || live.contains(name.as_str()) || keep_manifests.contains(&name) {
                continue;
            }
            // Failing to delete garbage is not an error of the commit.
            let _ = std::fs::remove_file(entry.path());
        }
        Ok(())
    }
}
