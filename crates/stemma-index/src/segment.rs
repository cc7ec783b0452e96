//! Segments: immutable files holding a batch of documents, their
//! fingerprint postings and their word postings.
//!
//! ```text
//! "STMSEG01"
//! dictionaries        zstd dictionaries (raw content: a sample of the
//!                     documents of one language), each zstd-compressed
//! document blocks     zstd-compressed JSON lines, ~128 KB raw each, with a
//!                     dictionary (a merge copies a block whose documents all
//!                     live on as it is, and the dictionaries it needs)
//! fingerprint table   posting blocks (see postings.rs)
//! word table          posting blocks
//! tables              block table, dictionary table, doc table, id table,
//!                     the two block indexes (varint-coded where it pays)
//! footer              format, section offsets and lengths, counts (documents,
//!                     keys, blocks, dictionaries), two xxh3 checksums, "STMSEGND"
//! ```
//!
//! A dictionary lets each 128 KB block refer back to text of the whole
//! batch (its words, names, phrasing and JSON keys) instead of to its own
//! 128 KB only: on the French press corpus the documents take 12 % less
//! space (14 % on the synthetic corpus) for 15–25 % more compression time,
//! and a read still decompresses one small block (larger blocks gain less:
//! 7 % at 256 KB, and every read decompresses twice as much). Documents are
//! stored in [`placement`] order, one language after the other, each
//! language's blocks with a dictionary of its own, and near-duplicates side
//! by side: on the synthetic corpus (half French, half English, 10 %
//! copies) the documents take 13 % less space than in the order given.
//!
//! A segment is written under a temporary name, synced, and renamed; only
//! then can a manifest name it. Opening a segment reads its footer and its
//! tables (checked against their checksum) into memory; document blocks and
//! posting blocks are read on demand with positioned reads, so a reader's
//! memory does not grow with the collection's text.

use crate::postings::{self, EncodedTable};
use crate::varint;
use crate::IndexError;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::fs::File;
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use xxhash_rust::xxh3::xxh3_64;

const MAGIC: &[u8; 8] = b"STMSEG01";
const MAGIC_END: &[u8; 8] = b"STMSEGND";
/// Segment format version; another one is refused with a clear message
/// (2: Rice-coded postings; 3: 36-bit keys).
pub const SEGMENT_FORMAT: u64 = 3;
const FOOTER_WORDS: usize = 18;
/// Bytes of dictionary per language of a segment (a sample of its
/// documents; 512 KB made the synthetic corpus's documents 1 % larger).
const DICT_BYTES: usize = 1024 * 1024;
/// Bytes taken from each sampled document.
const DICT_PIECE: usize = 16 * 1024;
/// A segment with less text than this many dictionaries' worth has none.
const DICT_MIN_RATIO: usize = 16;
/// Block table value of a block compressed without dictionary.
const NO_DICT: u32 = u32::MAX;
const FOOTER_LEN: usize = FOOTER_WORDS * 8 + 8;
/// Raw bytes of JSON per compressed document block.
const DOC_BLOCK_BYTES: usize = 128 * 1024;

/// A document ready to be written: its serialized form and what the index
/// derives from it.
#[derive(Debug, Clone)]
pub struct IndexedDoc {
    /// Document id.
    pub id: String,
    /// The document as one JSON object (original text and metadata).
    pub json: Vec<u8>,
    /// Stored fingerprint keys, sorted, distinct.
    pub fingerprints: Vec<u64>,
    /// Stored keys of the content words, sorted, distinct.
    pub words: Vec<u64>,
    /// Number of tokens.
    pub tokens: u32,
    /// Language (index in `Lang::ALL` + 1; 0 = unknown).
    pub lang: u8,
}

/// One entry of the doc table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocEntry {
    /// Document block number.
    pub block: u32,
    /// Offset of the JSON in the raw block.
    pub offset: u32,
    /// Length of the JSON.
    pub len: u32,
    /// Number of tokens.
    pub tokens: u32,
    /// Number of fingerprints.
    pub fingerprints: u32,
    /// Language code (see [`IndexedDoc::lang`]).
    pub lang: u8,
}

#[derive(Debug, Clone, Copy)]
struct BlockEntry {
    offset: u64,
    compressed: u32,
    raw: u32,
    /// Dictionary number, or [`NO_DICT`] (always `NO_DICT` for a dictionary).
    dict: u32,
}

fn put_u32(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_le_bytes());
}
fn put_u64(v: &mut Vec<u8>, x: u64) {
    v.extend_from_slice(&x.to_le_bytes());
}
fn get_u32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}
fn get_u64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentSummary {
    /// Documents.
    pub docs: u32,
    /// File size in bytes.
    pub bytes: u64,
    /// Distinct fingerprint keys.
    pub fingerprint_keys: u64,
}

/// The fingerprint table of a batch: mostly keys of one document, so the
/// (key, doc) pairs are sorted.
fn fingerprint_table(docs: &[&IndexedDoc]) -> EncodedTable {
    // Stored keys have 36 bits and a batch fewer than 2^24 documents: one
    // u64 per pair sorts much faster than tuples.
    debug_assert!(docs.len() < 1 << 24);
    let mut packed: Vec<u64> = docs
        .iter()
        .enumerate()
        .flat_map(|(d, doc)| doc.fingerprints.iter().map(move |&k| (k << 24) | d as u64))
        .collect();
    packed.par_sort_unstable();
    packed.dedup();
    let mut enc = postings::TableEncoder::new(docs.len() as u32);
    let mut list: Vec<u32> = Vec::new();
    let mut i = 0usize;
    while i < packed.len() {
        let key = packed[i] >> 24;
        list.clear();
        while i < packed.len() && packed[i] >> 24 == key {
            list.push((packed[i] & 0xff_ffff) as u32);
            i += 1;
        }
        enc.push(key, &list);
    }
    enc.finish()
}

/// The word table of a batch: few distinct keys with long lists, so the
/// lists are gathered per key (documents come in order) and only the keys
/// sorted, instead of sorting every (key, doc) pair.
fn word_table(docs: &[&IndexedDoc]) -> EncodedTable {
    let mut slot: FxHashMap<u64, u32> = FxHashMap::default();
    let mut lists: Vec<(u64, Vec<u32>)> = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        let d = d as u32;
        for &k in &doc.words {
            let s = *slot.entry(k).or_insert_with(|| {
                lists.push((k, Vec::new()));
                lists.len() as u32 - 1
            });
            let list = &mut lists[s as usize].1;
            if list.last() != Some(&d) {
                list.push(d);
            }
        }
    }
    lists.par_sort_unstable_by_key(|e| e.0);
    let mut enc = postings::TableEncoder::new(docs.len() as u32);
    for (k, list) in &lists {
        enc.push(*k, list);
    }
    enc.finish()
}

/// A document as stored: its JSON and the table entry fields.
#[derive(Debug, Clone)]
pub struct StoredDoc {
    /// Document id.
    pub id: String,
    /// The document as one JSON object.
    pub json: Vec<u8>,
    /// Number of tokens.
    pub tokens: u32,
    /// Number of fingerprints.
    pub fingerprints: u32,
    /// Language code.
    pub lang: u8,
    /// Which packing dictionary compresses it: a position in the `packs`
    /// given to [`write_parts`] (none when out of range). Documents of one
    /// pack share blocks; a change of pack starts a new block.
    pub pack: usize,
}

impl StoredDoc {
    /// A prepared document as stored, packed with dictionary `pack`.
    fn of(d: &IndexedDoc, pack: usize) -> StoredDoc {
        StoredDoc {
            id: d.id.clone(),
            json: d.json.clone(),
            tokens: d.tokens,
            fingerprints: d.fingerprints.len() as u32,
            lang: d.lang,
            pack,
        }
    }
}

/// A whole compressed document block of another segment, copied as it is
/// (a merge need not decompress and recompress documents it keeps whole).
#[derive(Debug, Clone)]
pub struct CopiedBlock {
    /// The compressed bytes.
    pub compressed: Vec<u8>,
    /// Its raw (decompressed) length.
    pub raw: u32,
    /// Its dictionary: a position in the dictionaries of the segment written.
    pub dict: Option<u32>,
    /// Its documents in order: the hash of each id, and its table entry
    /// (offsets within the raw block; the block number is set on writing).
    pub docs: Vec<(u64, DocEntry)>,
}

/// What a segment is written from: documents to pack into blocks, or
/// blocks copied whole.
#[derive(Debug, Clone)]
pub enum DocItem {
    /// A document to pack.
    Doc(StoredDoc),
    /// A block copied whole.
    Block(CopiedBlock),
}

/// A zstd dictionary as stored: its raw content compressed.
#[derive(Debug, Clone)]
pub struct StoredDict {
    /// The compressed bytes.
    pub compressed: Vec<u8>,
    /// Its raw length.
    pub raw: u32,
}

/// The dictionary of a group of documents: pieces of documents taken at
/// evenly spaced points of the group, so that it holds the group's
/// vocabulary rather than that of its first documents; `None` for a small
/// group.
fn sample_dict(docs: &[&IndexedDoc]) -> Option<Vec<u8>> {
    let total: usize = docs.iter().map(|d| d.json.len() + 1).sum();
    let size = DICT_BYTES.min(total / DICT_MIN_RATIO);
    if size < DICT_PIECE {
        return None;
    }
    let pieces = size / DICT_PIECE;
    let step = total / pieces;
    let mut dict = Vec::with_capacity(size + DICT_PIECE);
    // From each point, whole documents (a long one cut) up to a piece.
    let (mut at, mut next, mut piece) = (0usize, 0usize, 0usize);
    for d in docs {
        let end = at + d.json.len() + 1;
        if end > next && piece < DICT_PIECE {
            let take = d.json.len().min(DICT_PIECE - piece);
            dict.extend_from_slice(&d.json[..take]);
            dict.push(b'\n');
            piece += take + 1;
            if piece >= DICT_PIECE {
                next = (end / step + 1) * step;
                piece = 0;
            }
        }
        at = end;
    }
    Some(dict)
}

/// Group of the languages with too little text for a dictionary of their
/// own.
const POOLED: u16 = 256;

/// The order in which a batch's documents are stored, and the group (a
/// language code, or [`POOLED`]) of each position in that order.
///
/// Documents are grouped by language, so that a block and its dictionary
/// hold one language's words, and within a language each document goes
/// right after the first document of the batch it shares a near-duplicate
/// sketch with, so that a republished text is compressed against its
/// source in the same block. Numbering documents this way also narrows the
/// gaps of the postings (a word of one language is posted within that
/// language's range). Everything else keeps the batch's order, so the
/// order is deterministic.
fn placement(docs: &[IndexedDoc]) -> (Vec<usize>, Vec<u16>) {
    let mut text_by_lang = [0usize; 256];
    for d in docs {
        text_by_lang[d.lang as usize] += d.json.len() + 1;
    }
    let group = |lang: u8| -> u16 {
        if text_by_lang[lang as usize] / DICT_MIN_RATIO >= DICT_PIECE {
            u16::from(lang)
        } else {
            POOLED
        }
    };
    // Near-duplicate sketch: the smallest fingerprint key under two
    // permutations (documents with Jaccard similarity J share each with
    // probability J); documents sharing either are linked, the earliest
    // of a cluster standing for it.
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut first_with: FxHashMap<(u8, u64), usize> = FxHashMap::default();
    let mut parent: Vec<usize> = (0..docs.len()).collect();
    for (i, d) in docs.iter().enumerate() {
        let sketches = [
            d.fingerprints.first().copied(),
            d.fingerprints.iter().map(|&k| k.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29)).min(),
        ];
        for (which, s) in sketches.into_iter().enumerate() {
            let Some(s) = s else { continue };
            let first = *first_with.entry((which as u8, s)).or_insert(i);
            let (a, b) = (root(&mut parent, first), root(&mut parent, i));
            if a != b {
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let keys: Vec<(u16, usize)> = (0..docs.len()).map(|i| (group(docs[i].lang), root(&mut parent, i))).collect();
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by_key(|&i| (keys[i], i));
    let groups = order.iter().map(|&i| keys[i].0).collect();
    (order, groups)
}

/// Writes a segment holding `docs` to `path`, via a temporary file that is
/// synced and renamed into place. The documents are numbered in the order
/// of [`placement`], not in the order given.
pub fn write(path: &Path, docs: &[IndexedDoc], zstd_level: i32) -> Result<SegmentSummary, IndexError> {
    let (order, groups) = placement(docs);
    let docs: Vec<&IndexedDoc> = order.iter().map(|&i| &docs[i]).collect();
    // Runs of one group, each packed with a dictionary sampled from it.
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        match runs.last_mut() {
            Some(r) if groups[r.start] == *g => r.end = i + 1,
            _ => runs.push(i..i + 1),
        }
    }
    let ((fp_table, word_table), sampled) = rayon::join(
        || rayon::join(|| fingerprint_table(&docs), || word_table(&docs)),
        || {
            runs.par_iter()
                .map(|r| {
                    sample_dict(&docs[r.clone()])
                        .map(|raw| {
                            compressor(None, zstd_level)
                                .and_then(|mut c| c.compress(&raw))
                                .map(|compressed| (StoredDict { compressed, raw: raw.len() as u32 }, raw))
                        })
                        .transpose()
                })
                .collect::<std::io::Result<Vec<_>>>()
        },
    );
    // Each run's dictionary, moved out as it is stored, and the pack of
    // each run: a position in `packs` (usize::MAX: none).
    let mut stored_dicts = Vec::new();
    let mut raws: Vec<Vec<u8>> = Vec::new();
    let mut run_pack = Vec::with_capacity(runs.len());
    for s in sampled.map_err(|e| IndexError::io(path, e))? {
        match s {
            Some((stored, raw)) => {
                run_pack.push(raws.len());
                stored_dicts.push(stored);
                raws.push(raw);
            }
            None => run_pack.push(usize::MAX),
        }
    }
    let packs: Vec<(u32, &[u8])> = raws.iter().enumerate().map(|(n, raw)| (n as u32, raw.as_slice())).collect();
    let stored = runs
        .iter()
        .zip(run_pack)
        .flat_map(|(r, pack)| docs[r.clone()].iter().map(move |d| Ok(DocItem::Doc(StoredDoc::of(d, pack)))));
    write_parts(path, stored, &stored_dicts, &packs, &fp_table, &word_table, zstd_level)
}

/// A zstd compressor, with a dictionary or at `level`, whose frames carry
/// a checksum: a damaged block or dictionary is an error when read, never
/// a silently different text.
fn compressor<'d>(
    dict: Option<&'d zstd::dict::EncoderDictionary<'static>>,
    level: i32,
) -> std::io::Result<zstd::bulk::Compressor<'d>> {
    let mut c = match dict {
        Some(d) => zstd::bulk::Compressor::with_prepared_dictionary(d)?,
        None => zstd::bulk::Compressor::new(level)?,
    };
    c.set_parameter(zstd::zstd_safe::CParameter::ChecksumFlag(true))?;
    Ok(c)
}

/// A document block being filled: its raw bytes, its pack (see
/// [`StoredDoc::pack`]) and its documents' entries.
struct RawBlock {
    raw: Vec<u8>,
    pack: usize,
    entries: Vec<DocEntry>,
}

impl RawBlock {
    fn new(pack: usize) -> Self {
        RawBlock { raw: Vec::with_capacity(DOC_BLOCK_BYTES + 4096), pack, entries: Vec::new() }
    }
}

/// Document blocks compressed together in parallel.
const BLOCKS_PER_BATCH: usize = 16;

/// Writes a segment from a stream of stored documents (or whole blocks) and
/// already encoded tables (whose doc numbers are positions in the stream).
/// `dicts` are stored as they are; a document is compressed with the
/// dictionary of its pack (`packs[doc.pack]`: the dictionary's number in
/// `dicts` and its raw content), block by block as they come, so memory
/// does not grow with the segment.
pub fn write_parts(
    path: &Path,
    docs: impl Iterator<Item = Result<DocItem, IndexError>>,
    dicts: &[StoredDict],
    packs: &[(u32, &[u8])],
    fp_table: &EncodedTable,
    word_table: &EncodedTable,
    zstd_level: i32,
) -> Result<SegmentSummary, IndexError> {
    let tmp = path.with_extension("tmp");
    let file = File::create(&tmp).map_err(|e| IndexError::io(&tmp, e))?;
    let mut w = HashingWriter::new(std::io::BufWriter::with_capacity(1 << 20, file));
    let io = |e: std::io::Error| IndexError::io(&tmp, e);
    w.write_all(MAGIC).map_err(io)?;
    let docs_off = w.written;
    let mut tables = SegmentTables::default();
    for d in dicts {
        tables.dicts.push(BlockEntry {
            offset: w.written,
            compressed: d.compressed.len() as u32,
            raw: d.raw,
            dict: NO_DICT,
        });
        w.write_all(&d.compressed).map_err(io)?;
    }
    let cdicts: Vec<zstd::dict::EncoderDictionary> =
        packs.iter().map(|(_, raw)| zstd::dict::EncoderDictionary::copy(raw, zstd_level)).collect();
    let mut ids: Vec<(u64, u32)> = Vec::new();
    // Raw blocks waiting to be compressed, each with its pack and its
    // documents' entries.
    let mut pending: Vec<RawBlock> = Vec::new();
    let mut current = RawBlock::new(usize::MAX);
    let flush = |pending: &mut Vec<RawBlock>,
                 tables: &mut SegmentTables,
                 w: &mut HashingWriter<std::io::BufWriter<File>>|
     -> Result<(), IndexError> {
        let compressed: Vec<std::io::Result<Vec<u8>>> = pending
            .par_iter()
            .map_init(
                // One compressor per pack and thread, made on first use.
                || -> Vec<Option<zstd::bulk::Compressor>> { (0..=cdicts.len()).map(|_| None).collect() },
                |made, b| {
                    let slot = b.pack.min(cdicts.len());
                    let c = match &mut made[slot] {
                        Some(c) => c,
                        empty => empty.insert(compressor(cdicts.get(slot), zstd_level)?),
                    };
                    c.compress(&b.raw)
                },
            )
            .collect();
        for (b, c) in pending.drain(..).zip(compressed) {
            let c = c.map_err(io)?;
            let block = tables.blocks.len() as u32;
            tables.blocks.push(BlockEntry {
                offset: w.written,
                compressed: c.len() as u32,
                raw: b.raw.len() as u32,
                dict: packs.get(b.pack).map_or(NO_DICT, |p| p.0),
            });
            w.write_all(&c).map_err(io)?;
            tables.docs.extend(b.entries.into_iter().map(|e| DocEntry { block, ..e }));
        }
        Ok(())
    };
    let mut n = 0u32;
    for item in docs {
        let d = match item? {
            DocItem::Doc(d) => d,
            DocItem::Block(b) => {
                // What is pending goes first: documents keep their order.
                if !current.entries.is_empty() {
                    pending.push(std::mem::replace(&mut current, RawBlock::new(usize::MAX)));
                }
                flush(&mut pending, &mut tables, &mut w)?;
                let block = tables.blocks.len() as u32;
                tables.blocks.push(BlockEntry {
                    offset: w.written,
                    compressed: b.compressed.len() as u32,
                    raw: b.raw,
                    dict: b.dict.unwrap_or(NO_DICT),
                });
                w.write_all(&b.compressed).map_err(io)?;
                for (hash, e) in b.docs {
                    ids.push((hash, n));
                    n += 1;
                    tables.docs.push(DocEntry { block, ..e });
                }
                continue;
            }
        };
        // A block holds documents of one pack.
        if d.pack != current.pack {
            if !current.entries.is_empty() {
                pending.push(std::mem::replace(&mut current, RawBlock::new(d.pack)));
            }
            current.pack = d.pack;
        }
        ids.push((xxh3_64(d.id.as_bytes()), n));
        n += 1;
        current.entries.push(DocEntry {
            block: 0,
            offset: current.raw.len() as u32,
            len: d.json.len() as u32,
            tokens: d.tokens,
            fingerprints: d.fingerprints,
            lang: d.lang,
        });
        current.raw.extend_from_slice(&d.json);
        current.raw.push(b'\n');
        if current.raw.len() >= DOC_BLOCK_BYTES {
            pending.push(std::mem::replace(&mut current, RawBlock::new(d.pack)));
            if pending.len() >= BLOCKS_PER_BATCH {
                flush(&mut pending, &mut tables, &mut w)?;
            }
        }
    }
    if !current.entries.is_empty() {
        pending.push(current);
    }
    flush(&mut pending, &mut tables, &mut w)?;
    debug_assert!(fp_table.universe == n && word_table.universe == n, "tables encoded for another document count");
    let docs_len = w.written - docs_off;
    let fp_off = w.written;
    w.write_all(&fp_table.data).map_err(io)?;
    let word_off = w.written;
    w.write_all(&word_table.data).map_err(io)?;
    let tables_off = w.written;
    let data_hash = w.hasher.digest();
    ids.sort_unstable();
    tables.ids = ids;
    tables.fp_firsts = fp_table.firsts.clone();
    tables.fp_offsets = fp_table.offsets.clone();
    tables.word_firsts = word_table.firsts.clone();
    tables.word_offsets = word_table.offsets.clone();
    let table_bytes = tables.encode();
    w.write_all(&table_bytes).map_err(io)?;
    let footer = [
        SEGMENT_FORMAT,
        u64::from(n),
        fp_table.keys,
        word_table.keys,
        tables.blocks.len() as u64,
        docs_off,
        docs_len,
        fp_off,
        fp_table.data.len() as u64,
        word_off,
        word_table.data.len() as u64,
        tables_off,
        table_bytes.len() as u64,
        fp_table.firsts.len() as u64,
        word_table.firsts.len() as u64,
        data_hash,
        xxh3_64(&table_bytes),
        tables.dicts.len() as u64,
    ];
    let mut tail = Vec::with_capacity(FOOTER_LEN);
    for x in footer {
        put_u64(&mut tail, x);
    }
    tail.extend_from_slice(MAGIC_END);
    w.write_all(&tail).map_err(io)?;
    let bytes = w.written;
    let file = w.inner.into_inner().map_err(|e| IndexError::io(&tmp, e.into_error()))?;
    file.sync_all().map_err(io)?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(|e| IndexError::io(path, e))?;
    Ok(SegmentSummary { docs: n, bytes, fingerprint_keys: fp_table.keys })
}

/// A writer that counts and hashes what goes through it.
struct HashingWriter<W: Write> {
    inner: W,
    hasher: xxhash_rust::xxh3::Xxh3,
    written: u64,
}

impl<W: Write> HashingWriter<W> {
    fn new(inner: W) -> Self {
        HashingWriter { inner, hasher: xxhash_rust::xxh3::Xxh3::new(), written: 0 }
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.written += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[derive(Debug, Default)]
struct SegmentTables {
    docs: Vec<DocEntry>,
    ids: Vec<(u64, u32)>,
    blocks: Vec<BlockEntry>,
    dicts: Vec<BlockEntry>,
    fp_firsts: Vec<u64>,
    fp_offsets: Vec<u64>,
    word_firsts: Vec<u64>,
    word_offsets: Vec<u64>,
}

impl SegmentTables {
    fn encode(&self) -> Vec<u8> {
        let mut v = Vec::new();
        for b in &self.blocks {
            put_u64(&mut v, b.offset);
            put_u32(&mut v, b.compressed);
            put_u32(&mut v, b.raw);
            put_u32(&mut v, b.dict);
        }
        for d in &self.dicts {
            put_u64(&mut v, d.offset);
            put_u32(&mut v, d.compressed);
            put_u32(&mut v, d.raw);
        }
        // Documents lie back to back in their blocks, one per line: the
        // offset follows from the previous document's.
        let mut block = 0u32;
        for d in &self.docs {
            varint::put(&mut v, u64::from(d.block - block));
            block = d.block;
            varint::put(&mut v, u64::from(d.len));
            varint::put(&mut v, u64::from(d.tokens));
            varint::put(&mut v, u64::from(d.fingerprints));
            v.push(d.lang);
        }
        for (h, d) in &self.ids {
            put_u64(&mut v, *h);
            varint::put(&mut v, u64::from(*d));
        }
        for list in [&self.fp_firsts, &self.fp_offsets, &self.word_firsts, &self.word_offsets] {
            let mut prev = 0u64;
            for &x in list.iter() {
                varint::put(&mut v, x - prev);
                prev = x;
            }
        }
        v
    }

    fn decode(b: &[u8], counts: [usize; 5]) -> Option<SegmentTables> {
        let [docs, blocks, dicts, fp_blocks, word_blocks] = counts;
        let mut t = SegmentTables::default();
        let mut at = 0usize;
        for _ in 0..blocks {
            let dict = get_u32(b, at + 16)?;
            if dict != NO_DICT && dict as usize >= dicts {
                return None;
            }
            t.blocks.push(BlockEntry {
                offset: get_u64(b, at)?,
                compressed: get_u32(b, at + 8)?,
                raw: get_u32(b, at + 12)?,
                dict,
            });
            at += 20;
        }
        for _ in 0..dicts {
            t.dicts.push(BlockEntry {
                offset: get_u64(b, at)?,
                compressed: get_u32(b, at + 8)?,
                raw: get_u32(b, at + 12)?,
                dict: NO_DICT,
            });
            at += 16;
        }
        let get = |at: &mut usize| -> Option<u32> { u32::try_from(varint::get(b, at)?).ok() };
        let (mut block, mut offset) = (0u32, 0u32);
        for n in 0..docs {
            let step = get(&mut at)?;
            let len = get(&mut at)?;
            let (tokens, fingerprints) = (get(&mut at)?, get(&mut at)?);
            let lang = *b.get(at)?;
            at += 1;
            if step > 0 || n == 0 {
                block = block.checked_add(step)?;
                offset = 0;
            }
            let raw = t.blocks.get(block as usize)?.raw;
            if u64::from(offset) + u64::from(len) > u64::from(raw) {
                return None;
            }
            t.docs.push(DocEntry { block, offset, len, tokens, fingerprints, lang });
            offset = offset.checked_add(len)?.checked_add(1)?;
        }
        for _ in 0..docs {
            let h = get_u64(b, at)?;
            at += 8;
            t.ids.push((h, get(&mut at)?));
        }
        let mut read = |n: usize| -> Option<Vec<u64>> {
            let mut v = Vec::with_capacity(n);
            let mut x = 0u64;
            for _ in 0..n {
                x = x.checked_add(varint::get(b, &mut at)?)?;
                v.push(x);
            }
            Some(v)
        };
        t.fp_firsts = read(fp_blocks)?;
        t.fp_offsets = read(fp_blocks + 1)?;
        t.word_firsts = read(word_blocks)?;
        t.word_offsets = read(word_blocks + 1)?;
        (at == b.len()).then_some(t)
    }
}

/// Which posting table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// Fingerprints.
    Fingerprints,
    /// Content words.
    Words,
}

/// A dictionary prepared for decompression on first use (`None`: damaged).
#[derive(Default)]
struct LazyDict(OnceLock<Option<zstd::dict::DecoderDictionary<'static>>>);

impl std::fmt::Debug for LazyDict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() { "LazyDict(prepared)" } else { "LazyDict" })
    }
}

/// An open segment.
#[derive(Debug)]
pub struct Segment {
    path: PathBuf,
    map: memmap2::Mmap,
    footer: [u64; FOOTER_WORDS],
    tables: SegmentTables,
    dicts: Vec<LazyDict>,
}

impl Segment {
    /// Opens a segment, reading and checking its footer and tables.
    pub fn open(path: &Path) -> Result<Segment, IndexError> {
        let file = File::open(path).map_err(|e| IndexError::io(path, e))?;
        let len = file.metadata().map_err(|e| IndexError::io(path, e))?.len();
        let corrupt = |what: &str| IndexError::Corrupt { path: path.to_path_buf(), what: what.to_string() };
        if len < (FOOTER_LEN + MAGIC.len()) as u64 {
            return Err(corrupt("file too short for a segment"));
        }
        let mut tail = vec![0u8; FOOTER_LEN];
        file.read_exact_at(&mut tail, len - FOOTER_LEN as u64).map_err(|e| IndexError::io(path, e))?;
        if &tail[FOOTER_WORDS * 8..] != MAGIC_END {
            return Err(corrupt("segment footer missing (incomplete write?)"));
        }
        let mut footer = [0u64; FOOTER_WORDS];
        for (i, w) in footer.iter_mut().enumerate() {
            *w = get_u64(&tail, i * 8).ok_or_else(|| corrupt("footer"))?;
        }
        if footer[0] > SEGMENT_FORMAT {
            return Err(IndexError::NewerFormat {
                path: path.to_path_buf(),
                found: footer[0],
                supported: SEGMENT_FORMAT,
            });
        }
        if footer[0] < SEGMENT_FORMAT {
            return Err(IndexError::OlderFormat {
                path: path.to_path_buf(),
                found: footer[0],
                supported: SEGMENT_FORMAT,
            });
        }
        let (tables_off, tables_len) = (footer[11], footer[12]);
        if tables_off + tables_len + FOOTER_LEN as u64 != len {
            return Err(corrupt("section table does not match the file size"));
        }
        // SAFETY: segment files are immutable once renamed into place: no
        // stemma process writes or truncates them afterwards (they are only
        // ever deleted, which keeps the mapping valid), and every access
        // below is bounds-checked against the mapped length.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| IndexError::io(path, e))?;
        let tb = map.get(tables_off as usize..(tables_off + tables_len) as usize).ok_or_else(|| corrupt("tables"))?;
        if xxh3_64(tb) != footer[16] {
            return Err(corrupt("table checksum mismatch"));
        }
        let counts = [footer[1], footer[4], footer[17], footer[13], footer[14]];
        if counts.iter().any(|&c| c > tables_len) {
            return Err(corrupt("tables"));
        }
        let tables = SegmentTables::decode(tb, counts.map(|c| c as usize)).ok_or_else(|| corrupt("tables"))?;
        let dicts = tables.dicts.iter().map(|_| LazyDict::default()).collect();
        Ok(Segment { path: path.to_path_buf(), map, footer, tables, dicts })
    }

    /// The segment's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Number of documents (live or not).
    pub fn num_docs(&self) -> u32 {
        self.footer[1] as u32
    }

    /// Size of the file in bytes.
    pub fn bytes(&self) -> u64 {
        self.footer[11] + self.footer[12] + FOOTER_LEN as u64
    }

    /// Bytes of compressed documents.
    pub fn doc_bytes(&self) -> u64 {
        self.footer[6]
    }

    /// Bytes of fingerprint postings.
    pub fn fingerprint_bytes(&self) -> u64 {
        self.footer[8]
    }

    /// Bytes of word postings.
    pub fn word_bytes(&self) -> u64 {
        self.footer[10]
    }

    /// Distinct fingerprint keys.
    pub fn fingerprint_keys(&self) -> u64 {
        self.footer[2]
    }

    /// The doc table entry of local document `doc`.
    pub fn entry(&self, doc: u32) -> Option<&DocEntry> {
        self.tables.docs.get(doc as usize)
    }

    /// Local documents whose id hashes to `hash`.
    pub fn docs_with_id_hash(&self, hash: u64) -> impl Iterator<Item = u32> + '_ {
        let start = self.tables.ids.partition_point(|(h, _)| *h < hash);
        self.tables.ids[start..].iter().take_while(move |(h, _)| *h == hash).map(|(_, d)| *d)
    }

    fn corrupt(&self, what: &str) -> IndexError {
        IndexError::Corrupt { path: self.path.clone(), what: what.to_string() }
    }

    /// The stored bytes of a block or dictionary.
    fn stored(&self, e: &BlockEntry) -> Result<&[u8], IndexError> {
        self.map
            .get(e.offset as usize..(e.offset + u64::from(e.compressed)) as usize)
            .ok_or_else(|| self.corrupt("document block outside the file"))
    }

    /// Number of zstd dictionaries of the document blocks.
    pub fn num_dicts(&self) -> u32 {
        self.tables.dicts.len() as u32
    }

    /// Dictionary `d` as stored.
    pub(crate) fn stored_dict(&self, d: u32) -> Result<StoredDict, IndexError> {
        let e = self.tables.dicts.get(d as usize).ok_or_else(|| self.corrupt("dictionary number"))?;
        Ok(StoredDict { compressed: self.stored(e)?.to_vec(), raw: e.raw })
    }

    /// The raw content of dictionary `d`.
    pub(crate) fn dict_content(&self, d: u32) -> Result<Vec<u8>, IndexError> {
        let e = self.tables.dicts.get(d as usize).ok_or_else(|| self.corrupt("dictionary number"))?;
        zstd::bulk::decompress(self.stored(e)?, e.raw as usize)
            .map_err(|_| self.corrupt("dictionary does not decompress"))
    }

    /// Dictionary `d`, prepared for decompression once.
    fn dict(&self, d: u32) -> Result<&zstd::dict::DecoderDictionary<'static>, IndexError> {
        let slot = self.dicts.get(d as usize).ok_or_else(|| self.corrupt("dictionary number"))?;
        slot.0
            .get_or_init(|| self.dict_content(d).ok().map(|raw| zstd::dict::DecoderDictionary::copy(&raw)))
            .as_ref()
            .ok_or_else(|| self.corrupt("dictionary does not decompress"))
    }

    /// Reads and decompresses document block `b`.
    pub fn read_block(&self, b: u32) -> Result<Vec<u8>, IndexError> {
        let e = self.tables.blocks.get(b as usize).ok_or_else(|| self.corrupt("document block number"))?;
        let c = self.stored(e)?;
        let raw = if e.dict == NO_DICT {
            zstd::bulk::decompress(c, e.raw as usize)
        } else {
            zstd::bulk::Decompressor::with_prepared_dictionary(self.dict(e.dict)?)
                .and_then(|mut z| z.decompress(c, e.raw as usize))
        };
        raw.map_err(|_| self.corrupt("document block does not decompress"))
    }

    /// Document block `b` as stored (compressed), with its raw length and
    /// its dictionary.
    pub(crate) fn compressed_block(&self, b: u32) -> Result<(&[u8], u32, Option<u32>), IndexError> {
        let e = self.tables.blocks.get(b as usize).ok_or_else(|| self.corrupt("document block number"))?;
        Ok((self.stored(e)?, e.raw, (e.dict != NO_DICT).then_some(e.dict)))
    }

    /// The hash of each local document's id, by document number.
    pub(crate) fn id_hashes(&self) -> Vec<u64> {
        let mut out = vec![0u64; self.num_docs() as usize];
        for &(h, d) in &self.tables.ids {
            if let Some(slot) = out.get_mut(d as usize) {
                *slot = h;
            }
        }
        out
    }

    /// The JSON of local document `doc`, read from its block.
    pub fn doc_json(&self, doc: u32) -> Result<Vec<u8>, IndexError> {
        let e = *self.entry(doc).ok_or_else(|| IndexError::Corrupt {
            path: self.path.clone(),
            what: format!("document {doc} out of range"),
        })?;
        let block = self.read_block(e.block)?;
        let r = e.offset as usize..(e.offset + e.len) as usize;
        block.get(r).map(<[u8]>::to_vec).ok_or_else(|| IndexError::Corrupt {
            path: self.path.clone(),
            what: format!("document {doc} outside its block"),
        })
    }

    /// The local documents stored in block `b` (documents are stored in
    /// order, so they form a range).
    pub fn docs_in_block(&self, b: u32) -> std::ops::Range<u32> {
        let start = self.tables.docs.partition_point(|e| e.block < b);
        let end = self.tables.docs.partition_point(|e| e.block <= b);
        start as u32..end as u32
    }

    /// Number of document blocks.
    pub fn num_blocks(&self) -> u32 {
        self.tables.blocks.len() as u32
    }

    fn table(&self, t: Table) -> (&[u64], &[u64], u64) {
        match t {
            Table::Fingerprints => (&self.tables.fp_firsts, &self.tables.fp_offsets, self.footer[7]),
            Table::Words => (&self.tables.word_firsts, &self.tables.word_offsets, self.footer[9]),
        }
    }

    /// Number of posting blocks of a table.
    pub fn num_posting_blocks(&self, t: Table) -> usize {
        self.table(t).0.len()
    }

    /// Decodes posting block `b` of table `t`: `f(stored key, docs)` per entry.
    pub fn for_each_in_block(&self, t: Table, b: usize, f: impl FnMut(u64, &[u32])) -> Result<(), IndexError> {
        self.for_each_in_block_until(t, b, u64::MAX, f)
    }

    /// Like [`Segment::for_each_in_block`], stopping after key `last`.
    fn for_each_in_block_until(
        &self,
        t: Table,
        b: usize,
        last: u64,
        f: impl FnMut(u64, &[u32]),
    ) -> Result<(), IndexError> {
        let (firsts, offsets, base) = self.table(t);
        let (Some(&first), Some(&start), Some(&end)) = (firsts.get(b), offsets.get(b), offsets.get(b + 1)) else {
            return Err(IndexError::Corrupt { path: self.path.clone(), what: "posting block number".into() });
        };
        let corrupt = || IndexError::Corrupt { path: self.path.clone(), what: "posting block".into() };
        let buf = self.map.get((base + start) as usize..(base + end) as usize).ok_or_else(corrupt)?;
        postings::decode_block_until(buf, first, last, self.num_docs(), f).ok_or_else(corrupt)
    }

    /// Looks up stored keys (sorted, distinct) in table `t`: `f(index of
    /// the key in keys, docs)` for every key present.
    pub fn lookup(&self, t: Table, keys: &[u64], mut f: impl FnMut(usize, &[u32])) -> Result<(), IndexError> {
        let firsts = self.table(t).0;
        let mut i = 0usize;
        while i < keys.len() {
            let Some(b) = postings::block_for(firsts, keys[i]) else {
                i += 1;
                continue;
            };
            let block_end = firsts.get(b + 1).copied().unwrap_or(u64::MAX);
            // All query keys falling in this block are answered by one decode.
            let from = i;
            while i < keys.len() && keys[i] < block_end {
                i += 1;
            }
            let wanted = &keys[from..i];
            let mut w = 0usize;
            self.for_each_in_block_until(t, b, wanted[wanted.len() - 1], |key, docs| {
                while w < wanted.len() && wanted[w] < key {
                    w += 1;
                }
                if w < wanted.len() && wanted[w] == key {
                    f(from + w, docs);
                }
            })?;
        }
        Ok(())
    }

    /// Checks every byte against the checksums (slow: reads the whole file).
    pub fn verify(&self) -> Result<(), IndexError> {
        let data = self.map.get(..self.footer[11] as usize).unwrap_or_default();
        if data.get(..MAGIC.len()) != Some(&MAGIC[..]) || xxh3_64(data) != self.footer[15] {
            return Err(IndexError::Corrupt { path: self.path.clone(), what: "data checksum mismatch".into() });
        }
        for b in 0..self.num_blocks() {
            self.read_block(b)?;
        }
        Ok(())
    }
}

/// Re-encodes a table from merged `(stored key, docs)` streams; used when
/// segments are merged.
pub fn table_from_sorted(entries: impl Iterator<Item = (u64, Vec<u32>)>, universe: u32) -> EncodedTable {
    let mut enc = postings::TableEncoder::new(universe);
    for (k, docs) in entries {
        if !docs.is_empty() {
            enc.push(k, &docs);
        }
    }
    enc.finish()
}

/// Reads the entries of one table of one segment in key order, block by
/// block, restricted to a range of stored keys.
pub struct TableCursor<'a> {
    seg: &'a Segment,
    table: Table,
    keys: std::ops::Range<u64>,
    next_block: usize,
    /// The decoded block: keys, the end of each key's docs in `docs`, docs
    /// (flat, so that a block costs no allocation per key).
    block_keys: Vec<u64>,
    ends: Vec<usize>,
    docs: Vec<u32>,
    pos: usize,
}

impl<'a> TableCursor<'a> {
    /// A cursor over the entries of `table` whose stored key is in `keys`.
    pub fn new(seg: &'a Segment, table: Table, keys: std::ops::Range<u64>) -> Self {
        let first = postings::block_for(seg.table(table).0, keys.start).unwrap_or(0);
        TableCursor {
            seg,
            table,
            keys,
            next_block: first,
            block_keys: Vec::new(),
            ends: Vec::new(),
            docs: Vec::new(),
            pos: 0,
        }
    }

    /// The next key, without consuming it.
    pub fn peek(&mut self) -> Result<Option<u64>, IndexError> {
        loop {
            while self.pos < self.block_keys.len() && self.block_keys[self.pos] < self.keys.start {
                self.pos += 1;
            }
            if self.pos < self.block_keys.len() {
                let k = self.block_keys[self.pos];
                return Ok((k < self.keys.end).then_some(k));
            }
            let firsts = self.seg.table(self.table).0;
            if self.next_block >= firsts.len() || firsts[self.next_block] >= self.keys.end {
                return Ok(None);
            }
            self.block_keys.clear();
            self.ends.clear();
            self.docs.clear();
            self.pos = 0;
            let (keys, ends, all) = (&mut self.block_keys, &mut self.ends, &mut self.docs);
            self.seg.for_each_in_block(self.table, self.next_block, |k, docs| {
                keys.push(k);
                all.extend_from_slice(docs);
                ends.push(all.len());
            })?;
            self.next_block += 1;
        }
    }

    /// Takes the entry [`TableCursor::peek`] announced: its key and docs.
    pub fn take(&mut self) -> (u64, &[u32]) {
        let i = self.pos;
        self.pos += 1;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        (self.block_keys[i], &self.docs[start..self.ends[i]])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Params;

    /// A pseudo-text of `n` words of a language whose syllables are
    /// `syllables`, drawn from `seed`.
    fn text(syllables: &[&str], seed: u64, n: usize) -> String {
        let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let words: Vec<String> = (0..n)
            .map(|_| {
                let parts = 2 + next() % 3;
                (0..parts).map(|_| syllables[(next() % syllables.len() as u64) as usize]).collect()
            })
            .collect();
        words.join(" ")
    }

    const LANG_A: &[&str] = &["ka", "lo", "mi", "tre", "sul", "van", "or", "pe", "dis", "na", "gro", "te"];
    const LANG_B: &[&str] = &["th", "wy", "ck", "ing", "ow", "ble", "sh", "ea", "str", "ight", "un", "er"];

    /// A batch alternating two languages, where every tenth document is a
    /// copy (one word changed) of a document 3 to 40 places earlier.
    fn batch(n: usize) -> Vec<IndexedDoc> {
        let params = Params { k: 4, window: 8 };
        let mut texts: Vec<String> = Vec::with_capacity(n);
        for i in 0..n {
            let t = if i % 10 == 9 && i >= 40 {
                let source = i - 3 - (i * 7) % 37;
                texts[source].replacen(' ', " changed ", 1)
            } else {
                let lang = if i % 2 == 0 { LANG_A } else { LANG_B };
                text(lang, i as u64, 150 + i % 50)
            };
            texts.push(t);
        }
        texts
            .into_iter()
            .enumerate()
            .map(|(i, t)| {
                let mut d = crate::prepare(stemma_text::Document::new(format!("d{i}"), t), params);
                // Pseudo-words have no language to identify: the lang code
                // says which syllables the text (or its source) is made of.
                d.lang = if d.json.windows(3).any(|w| w == b"ing" || w == b"ght") { 2 } else { 1 };
                d
            })
            .collect()
    }

    #[test]
    fn placement_groups_languages_and_puts_copies_after_their_source() {
        let docs = batch(400);
        let (order, groups) = placement(&docs);
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..docs.len()).collect::<Vec<_>>(), "every document placed once");
        // Languages form one run each, in code order.
        let langs: Vec<u8> = order.iter().map(|&i| docs[i].lang).collect();
        assert!(langs.windows(2).all(|w| w[0] <= w[1]), "languages grouped");
        assert!(groups.iter().zip(&langs).all(|(&g, &l)| g == u16::from(l) || g == POOLED));
        // A copy comes after its source and within a few places of it.
        let pos: Vec<usize> = {
            let mut p = vec![0; docs.len()];
            for (at, &i) in order.iter().enumerate() {
                p[i] = at;
            }
            p
        };
        let mut close = 0;
        let mut copies = 0;
        for i in (49..400).step_by(10) {
            let source = i - 3 - (i * 7) % 37;
            copies += 1;
            if pos[i] > pos[source] && pos[i] - pos[source] <= 3 {
                close += 1;
            }
        }
        assert!(close * 10 >= copies * 9, "{close} of {copies} copies placed next to their source");
        // The rest keeps the batch's order.
        let originals: Vec<usize> =
            order.iter().copied().filter(|&i| docs[i].lang == 1 && !(i % 10 == 9 && i >= 40)).collect();
        assert!(originals.windows(2).all(|w| w[0] < w[1]));
        // Same input, same placement.
        assert_eq!(placement(&docs), (order, groups));
    }

    #[test]
    fn placement_and_a_dictionary_per_language_make_documents_smaller() {
        let docs = batch(1200);
        let dir = std::env::temp_dir().join(format!("stemma-segment-placement-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // As given, with one dictionary sampled across the batch.
        let plain = dir.join("plain.stm");
        let refs: Vec<&IndexedDoc> = docs.iter().collect();
        let raw = sample_dict(&refs).expect("a batch large enough for a dictionary");
        let stored = StoredDict { compressed: zstd::bulk::compress(&raw, 3).unwrap(), raw: raw.len() as u32 };
        let items = docs.iter().map(|d| Ok(DocItem::Doc(StoredDoc::of(d, 0))));
        write_parts(&plain, items, &[stored], &[(0, &raw)], &fingerprint_table(&refs), &word_table(&refs), 3).unwrap();
        // Placed, with a dictionary per language.
        let placed = dir.join("placed.stm");
        write(&placed, &docs, 3).unwrap();
        let (plain, placed) = (Segment::open(&plain).unwrap(), Segment::open(&placed).unwrap());
        assert_eq!(placed.num_dicts(), 2, "one dictionary per language");
        assert!(
            placed.doc_bytes() * 100 <= plain.doc_bytes() * 92,
            "documents take {} bytes placed, {} as given",
            placed.doc_bytes(),
            plain.doc_bytes()
        );
        // Every document reads back whole, under its id.
        for d in &docs {
            let local = placed.docs_with_id_hash(xxh3_64(d.id.as_bytes())).next().expect("id found");
            assert_eq!(placed.doc_json(local).unwrap(), d.json);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
