//! The manifest: which segments make up the index at one generation, and
//! which of their documents are deleted.
//!
//! A commit writes `manifest-<generation>.json` under a temporary name,
//! syncs it, renames it into place and syncs the directory. Readers take
//! the highest generation whose checksum holds, so a crash at any moment
//! leaves either the old or the new generation visible, never a mix.

use crate::IndexError;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::xxh3_64;

/// Index format version written in the marker file and in every manifest
/// (2: segments with Rice-coded postings and dictionary-compressed
/// documents; 3: keys of 36 bits instead of 40. An index of an older format
/// must be rebuilt).
pub const FORMAT_VERSION: u32 = 3;

/// Name of the marker file that identifies an index directory.
pub const MARKER: &str = "STEMMA-INDEX";

/// How documents are fingerprinted in this index (queries must match).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Params {
    /// Content words per k-gram.
    pub k: u32,
    /// Winnowing window.
    pub window: u32,
}

/// One segment of a generation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentMeta {
    /// File name in the index directory.
    pub name: String,
    /// Documents in the segment (live or deleted).
    pub docs: u32,
    /// Local numbers of the deleted documents, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deleted: Vec<u32>,
    /// File size in bytes.
    pub bytes: u64,
}

/// One generation of the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Index format version.
    pub format: u32,
    /// Generation number (increases by one per commit).
    pub generation: u64,
    /// Number for the next segment file.
    pub next_segment: u64,
    /// Fingerprinting parameters.
    pub params: Params,
    /// Segments, oldest first.
    pub segments: Vec<SegmentMeta>,
}

impl Manifest {
    /// An empty index.
    pub fn empty(params: Params) -> Self {
        Manifest { format: FORMAT_VERSION, generation: 0, next_segment: 1, params, segments: Vec::new() }
    }

    /// Live documents.
    pub fn live_docs(&self) -> u64 {
        self.segments.iter().map(|s| u64::from(s.docs) - s.deleted.len() as u64).sum()
    }
}

fn manifest_name(generation: u64) -> String {
    format!("manifest-{generation:010}.json")
}

fn parse_generation(name: &str) -> Option<u64> {
    name.strip_prefix("manifest-")?.strip_suffix(".json")?.parse().ok()
}

/// Writes manifest `m` durably (temporary file, sync, rename, directory sync).
pub fn write(dir: &Path, m: &Manifest) -> Result<PathBuf, IndexError> {
    let body = serde_json::to_vec(m).map_err(|e| IndexError::Corrupt { path: dir.into(), what: e.to_string() })?;
    let path = dir.join(manifest_name(m.generation));
    let tmp = dir.join(format!("{}.tmp", manifest_name(m.generation)));
    let mut f = File::create(&tmp).map_err(|e| IndexError::io(&tmp, e))?;
    f.write_all(&body).map_err(|e| IndexError::io(&tmp, e))?;
    writeln!(f, "\n{:016x}", xxh3_64(&body)).map_err(|e| IndexError::io(&tmp, e))?;
    f.sync_all().map_err(|e| IndexError::io(&tmp, e))?;
    drop(f);
    std::fs::rename(&tmp, &path).map_err(|e| IndexError::io(&path, e))?;
    sync_dir(dir)?;
    Ok(path)
}

/// Makes renames in `dir` durable.
pub fn sync_dir(dir: &Path) -> Result<(), IndexError> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(|e| IndexError::io(dir, e))
}

/// Reads and checks one manifest file.
fn read_one(path: &Path) -> Option<Manifest> {
    let bytes = std::fs::read(path).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let (body, sum) = text.trim_end().rsplit_once('\n')?;
    if u64::from_str_radix(sum, 16).ok()? != xxh3_64(body.as_bytes()) {
        return None;
    }
    serde_json::from_str(body).ok()
}

/// Manifest generations present in `dir`, newest first.
pub fn generations(dir: &Path) -> Result<Vec<u64>, IndexError> {
    let mut gens: Vec<u64> = std::fs::read_dir(dir)
        .map_err(|e| IndexError::io(dir, e))?
        .flatten()
        .filter_map(|e| parse_generation(&e.file_name().to_string_lossy()))
        .collect();
    gens.sort_unstable_by(|a, b| b.cmp(a));
    Ok(gens)
}

/// The newest valid manifest, or `None` for an index with no commit yet.
/// A manifest with a newer format is refused.
pub fn latest(dir: &Path) -> Result<Option<Manifest>, IndexError> {
    for g in generations(dir)? {
        let path = dir.join(manifest_name(g));
        if let Some(m) = read_one(&path) {
            if m.format > FORMAT_VERSION {
                return Err(IndexError::NewerFormat {
                    path,
                    found: u64::from(m.format),
                    supported: u64::from(FORMAT_VERSION),
                });
            }
            if m.format < FORMAT_VERSION {
                return Err(IndexError::OlderFormat {
                    path,
                    found: u64::from(m.format),
                    supported: u64::from(FORMAT_VERSION),
                });
            }
            return Ok(Some(m));
        }
    }
    Ok(None)
}

/// File name of manifest `generation` (for clean-up).
pub fn file_name(generation: u64) -> String {
    manifest_name(generation)
}
