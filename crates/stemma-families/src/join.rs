//! The self-join: every pair of documents sharing fingerprints, counted.
//!
//! The index's fingerprint postings are walked in key order (a merge of the
//! segments' sorted tables), split into disjoint key ranges walked in
//! parallel. For every fingerprint whose document frequency lies in bounds
//! (at least 2: shared; at most `max_df`: not a formula every text uses),
//! each pair of its documents gets one more shared fingerprint. Counts live
//! in a hash map up to a memory budget; when it is full, its content is
//! sorted and spilled to a run file; at the end, runs are merged and summed.
//! Counts are sums, so the result does not depend on how the key space was
//! split or on the number of threads.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use stemma_index::segment::Table;
use stemma_index::{IndexError, IndexReader};

/// A run of (pair, count), sorted by pair: in memory or spilled to a file.
enum Run {
    Memory(Vec<(u64, u32)>),
    File(PathBuf),
}

/// Bytes a counted pair takes in the hash map, with its overhead.
const BYTES_PER_ENTRY: usize = 24;

/// What a self-join walks and how it scores.
pub struct JoinSpec<'a> {
    /// The posting table walked.
    pub table: Table,
    /// Keys in more documents than this are skipped.
    pub max_df: u64,
    /// Pairs must score at least this.
    pub min_score: u32,
    /// Score a shared key adds to a pair, from the key's document frequency.
    pub weight: &'a (dyn Fn(u64) -> u32 + Sync),
    /// Also sum, per document, the weights of all its keys (norms).
    pub norms: bool,
}

/// What the self-join found.
pub struct JoinResult {
    /// Pairs `(a, b, score)` with `a < b` (global document numbers), score
    /// at least the minimum, sorted.
    pub pairs: Vec<(u32, u32, u32)>,
    /// Per document, the sum of the weights of all its keys (when asked).
    pub norms: Option<Vec<u64>>,
    /// Fingerprints skipped as too frequent.
    pub frequent_keys: u64,
    /// Runs spilled to disk.
    pub spilled_runs: usize,
}

fn spill(dir: &Path, n: usize, run: &[(u64, u32)]) -> std::io::Result<PathBuf> {
    let path = dir.join(format!("join-run-{n:06}.bin"));
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(&path)?);
    for (p, c) in run {
        w.write_all(&p.to_le_bytes())?;
        w.write_all(&c.to_le_bytes())?;
    }
    w.flush()?;
    Ok(path)
}

struct RunReader {
    r: BufReader<std::fs::File>,
}

impl RunReader {
    fn next(&mut self) -> std::io::Result<Option<(u64, u32)>> {
        let mut b = [0u8; 12];
        match self.r.read_exact(&mut b) {
            Ok(()) => {
                let mut p = [0u8; 8];
                p.copy_from_slice(&b[..8]);
                let mut c = [0u8; 4];
                c.copy_from_slice(&b[8..]);
                Ok(Some((u64::from_le_bytes(p), u32::from_le_bytes(c))))
            }
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// Counts shared fingerprints for every pair of live documents. `global`
/// maps (segment, local) to a global document number (`u32::MAX` for
/// deleted documents); `budget_bytes` bounds the memory of the counts;
/// `spill_dir` receives run files when it is exceeded.
pub fn self_join(
    reader: &IndexReader,
    global: &[Vec<u32>],
    spec: &JoinSpec,
    budget_bytes: usize,
    spill_dir: &Path,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<JoinResult, IndexError> {
    let n_docs = global.iter().map(|g| g.iter().filter(|&&x| x != u32::MAX).count()).sum::<usize>();
    let max_df = spec.max_df;
    let threads = rayon::current_num_threads().max(1);
    let parts = threads * 8;
    // Stored keys have KEY_BITS bits: split that space evenly.
    let space = 1u64 << stemma_index::postings::KEY_BITS;
    let span = space.div_ceil(parts as u64);
    let ranges: Vec<std::ops::Range<u64>> = (0..parts as u64).map(|i| i * span..((i + 1) * span).min(space)).collect();
    let cap = (budget_bytes / BYTES_PER_ENTRY / threads).max(1 << 14);
    let in_memory = AtomicUsize::new(0);
    let spilled = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let frequent = std::sync::atomic::AtomicU64::new(0);
    std::fs::create_dir_all(spill_dir).map_err(|e| IndexError::Io { path: spill_dir.into(), source: e })?;
    let io = |e: std::io::Error| IndexError::Io { path: spill_dir.into(), source: e };
    type PartOut = (Vec<Run>, Option<Vec<u64>>);
    let runs: Vec<Result<PartOut, IndexError>> = ranges
        .par_iter()
        .map(|range| {
            let mut runs = Vec::new();
            let mut counts: FxHashMap<u64, u32> = FxHashMap::default();
            let mut norms: Option<Vec<u64>> = spec.norms.then(|| vec![0u64; n_docs]);
            let mut docs: Vec<u32> = Vec::new();
            let mut result: Result<(), IndexError> = Ok(());
            reader.merged_postings(spec.table, range.clone(), |_, addrs| {
                if result.is_err() {
                    return;
                }
                docs.clear();
                docs.extend(
                    addrs.iter().map(|a| global[a.segment as usize][a.doc as usize]).filter(|&g| g != u32::MAX),
                );
                let df = docs.len() as u64;
                let w = (spec.weight)(df);
                if let Some(norms) = &mut norms {
                    for &d in &docs {
                        norms[d as usize] += u64::from(w);
                    }
                }
                if df > max_df {
                    frequent.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                docs.sort_unstable();
                for (i, &x) in docs.iter().enumerate() {
                    for &y in &docs[i + 1..] {
                        *counts.entry((u64::from(x) << 32) | u64::from(y)).or_default() += w;
                    }
                }
                if counts.len() >= cap {
                    let mut run: Vec<(u64, u32)> = counts.drain().collect();
                    run.sort_unstable();
                    let n = spilled.fetch_add(1, Ordering::Relaxed);
                    match spill(spill_dir, n, &run) {
                        Ok(p) => runs.push(Run::File(p)),
                        Err(e) => result = Err(io(e)),
                    }
                }
            })?;
            result?;
            let mut run: Vec<(u64, u32)> = counts.into_iter().collect();
            run.sort_unstable();
            // Keep the last run in memory while the whole stays in budget.
            if (in_memory.fetch_add(run.len(), Ordering::Relaxed) + run.len()) * 12 <= budget_bytes {
                runs.push(Run::Memory(run));
            } else {
                let n = spilled.fetch_add(1, Ordering::Relaxed);
                runs.push(Run::File(spill(spill_dir, n, &run).map_err(io)?));
            }
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, parts);
            Ok((runs, norms))
        })
        .collect();
    let mut all: Vec<Run> = Vec::new();
    let mut norms: Option<Vec<u64>> = spec.norms.then(|| vec![0u64; n_docs]);
    for r in runs {
        let (rs, part_norms) = r?;
        all.extend(rs);
        if let (Some(total), Some(part)) = (&mut norms, part_norms) {
            for (t, p) in total.iter_mut().zip(part) {
                *t += p;
            }
        }
    }
    let spilled_runs = all.iter().filter(|r| matches!(r, Run::File(_))).count();
    let pairs = merge_runs(all, spec.min_score).map_err(io)?;
    Ok(JoinResult { pairs, norms, frequent_keys: frequent.into_inner(), spilled_runs })
}

/// K-way merge of sorted runs, summing the counts of equal pairs.
fn merge_runs(runs: Vec<Run>, min_shared: u32) -> std::io::Result<Vec<(u32, u32, u32)>> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    enum Source {
        Memory(std::vec::IntoIter<(u64, u32)>),
        File(RunReader, PathBuf),
    }
    let mut sources: Vec<Source> = Vec::with_capacity(runs.len());
    for r in runs {
        sources.push(match r {
            Run::Memory(v) => Source::Memory(v.into_iter()),
            Run::File(p) => {
                Source::File(RunReader { r: BufReader::with_capacity(1 << 16, std::fs::File::open(&p)?) }, p)
            }
        });
    }
    let next = |s: &mut Source| -> std::io::Result<Option<(u64, u32)>> {
        match s {
            Source::Memory(it) => Ok(it.next()),
            Source::File(r, _) => r.next(),
        }
    };
    let mut heap: BinaryHeap<Reverse<(u64, u32, usize)>> = BinaryHeap::new();
    for (i, s) in sources.iter_mut().enumerate() {
        if let Some((p, c)) = next(s)? {
            heap.push(Reverse((p, c, i)));
        }
    }
    let mut out = Vec::new();
    let mut current: Option<(u64, u32)> = None;
    while let Some(Reverse((p, c, i))) = heap.pop() {
        match &mut current {
            Some((cp, cc)) if *cp == p => *cc += c,
            _ => {
                if let Some((cp, cc)) = current.take() {
                    if cc >= min_shared {
                        out.push(((cp >> 32) as u32, cp as u32, cc));
                    }
                }
                current = Some((p, c));
            }
        }
        if let Some((p2, c2)) = next(&mut sources[i])? {
            heap.push(Reverse((p2, c2, i)));
        }
    }
    if let Some((cp, cc)) = current {
        if cc >= min_shared {
            out.push(((cp >> 32) as u32, cp as u32, cc));
        }
    }
    for s in sources {
        if let Source::File(_, p) = s {
            let _ = std::fs::remove_file(p);
        }
    }
    Ok(out)
}
