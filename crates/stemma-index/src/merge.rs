//! Merging segments: live documents are copied in order, posting tables
//! are merged key by key (a k-way merge over the segments' blocks, so memory
//! holds one decoded block per segment plus the output table), deleted
//! documents are dropped.

use crate::postings::{EncodedTable, TableEncoder};
use crate::reader::{DocAddr, IndexReader};
use crate::segment::{self, CopiedBlock, DocItem, Segment, SegmentSummary, StoredDoc, Table, TableCursor};
use crate::IndexError;
use serde::Deserialize;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::path::Path;

#[derive(Deserialize)]
struct IdOnly {
    id: String,
}

/// Merges one table of the given segments; `remap[i][d]` is the new number
/// of document `d` of segment `i`, or `u32::MAX` when it is deleted.
fn merge_table(segs: &[&Segment], remap: &[Vec<u32>], universe: u32, table: Table) -> Result<EncodedTable, IndexError> {
    let mut cursors: Vec<TableCursor> = segs.iter().map(|s| TableCursor::new(s, table, 0..u64::MAX)).collect();
    let mut heap: BinaryHeap<Reverse<(u64, usize)>> = BinaryHeap::new();
    for (i, c) in cursors.iter_mut().enumerate() {
        if let Some(k) = c.peek()? {
            heap.push(Reverse((k, i)));
        }
    }
    let mut enc = TableEncoder::new(universe);
    let mut docs: Vec<u32> = Vec::new();
    while let Some(Reverse((key, _))) = heap.peek().copied() {
        docs.clear();
        // Segments are visited in order and renumbered in order, so the
        // concatenation of their documents stays sorted.
        let mut from: Vec<usize> = Vec::new();
        while let Some(Reverse((k, i))) = heap.peek().copied() {
            if k != key {
                break;
            }
            heap.pop();
            from.push(i);
        }
        from.sort_unstable();
        for i in from {
            let (_, ds) = cursors[i].take();
            docs.extend(ds.iter().filter_map(|&d| remap[i].get(d as usize).copied()).filter(|&d| d != u32::MAX));
            if let Some(k) = cursors[i].peek()? {
                heap.push(Reverse((k, i)));
            }
        }
        if !docs.is_empty() {
            enc.push(key, &docs);
        }
    }
    Ok(enc.finish())
}

/// Merges the segments at positions `which` of the reader's snapshot into
/// a new segment at `path`.
pub(crate) fn merge(
    reader: &IndexReader,
    which: &[usize],
    path: &Path,
    zstd_level: i32,
) -> Result<SegmentSummary, IndexError> {
    let segs: Vec<&Segment> = which.iter().map(|&i| reader.segments()[i].as_ref()).collect();
    let mut remap: Vec<Vec<u32>> = Vec::with_capacity(which.len());
    let mut next = 0u32;
    for &i in which {
        let seg = &reader.segments()[i];
        let mut r = vec![u32::MAX; seg.num_docs() as usize];
        for (d, slot) in r.iter_mut().enumerate() {
            if reader.is_live(DocAddr { segment: i as u32, doc: d as u32 }) {
                *slot = next;
                next += 1;
            }
        }
        remap.push(r);
    }
    let (fp, words) = rayon::join(
        || merge_table(&segs, &remap, next, Table::Fingerprints),
        || merge_table(&segs, &remap, next, Table::Words),
    );
    let (fp, words) = (fp?, words?);
    // Which blocks are copied whole: those whose documents all live on.
    let whole: Vec<Vec<bool>> = segs
        .iter()
        .zip(&remap)
        .map(|(seg, r)| {
            (0..seg.num_blocks())
                .map(|b| {
                    let in_block = seg.docs_in_block(b);
                    !in_block.is_empty() && in_block.clone().all(|d| r[d as usize] != u32::MAX)
                })
                .collect()
        })
        .collect();
    // The dictionaries the new segment keeps: those of the blocks with
    // live documents. A block copied whole keeps its dictionary; the live
    // documents of another block are packed again with its dictionary (one
    // language's, see `segment::placement`).
    let mut dicts: Vec<segment::StoredDict> = Vec::new();
    let mut dict_map: Vec<Vec<Option<u32>>> = Vec::with_capacity(segs.len());
    // Raw content of the dictionaries that pack documents again, and the
    // pack of each kept dictionary (a position in `packs`).
    let mut packs_raw: Vec<(u32, Vec<u8>)> = Vec::new();
    let mut pack_of: Vec<usize> = Vec::new();
    for (i, seg) in segs.iter().enumerate() {
        let mut map = vec![None; seg.num_dicts() as usize];
        for b in 0..seg.num_blocks() {
            let Some(d) = seg.compressed_block(b)?.2 else { continue };
            let live = seg.docs_in_block(b).any(|doc| remap[i][doc as usize] != u32::MAX);
            if !live {
                continue;
            }
            let slot = map.get_mut(d as usize).ok_or_else(|| IndexError::Corrupt {
                path: seg.path().to_path_buf(),
                what: "dictionary number".into(),
            })?;
            let n = match *slot {
                Some(n) => n,
                None => {
                    let n = dicts.len() as u32;
                    *slot = Some(n);
                    dicts.push(seg.stored_dict(d)?);
                    pack_of.push(usize::MAX);
                    n
                }
            };
            if !whole[i][b as usize] && pack_of[n as usize] == usize::MAX {
                pack_of[n as usize] = packs_raw.len();
                packs_raw.push((n, seg.dict_content(d)?));
            }
        }
        dict_map.push(map);
    }
    // Documents, streamed block by block: a block whose documents all live
    // on is copied compressed as it is; others are unpacked and the live
    // documents packed again.
    let pack_of = &pack_of;
    let stream = which.iter().zip(&remap).zip(whole).zip(dict_map).flat_map(move |(((&si, r), whole), dict_map)| {
        let seg = reader.segments()[si].clone();
        let r = r.clone();
        let hashes = seg.id_hashes();
        (0..seg.num_blocks()).flat_map(move |b| {
            let in_block = seg.docs_in_block(b);
            let items: Vec<Result<DocItem, IndexError>> = if whole[b as usize] {
                match seg.compressed_block(b) {
                    Err(e) => vec![Err(e)],
                    Ok((compressed, raw, dict)) => {
                        let docs = in_block
                            .filter_map(|d| seg.entry(d).map(|e| (hashes.get(d as usize).copied().unwrap_or(0), *e)))
                            .collect();
                        // Every dictionary of a copied block was kept above.
                        match dict.map(|d| dict_map.get(d as usize).copied().flatten()) {
                            Some(None) => vec![Err(IndexError::Corrupt {
                                path: seg.path().to_path_buf(),
                                what: "dictionary number".into(),
                            })],
                            dict => vec![Ok(DocItem::Block(CopiedBlock {
                                compressed: compressed.to_vec(),
                                raw,
                                dict: dict.flatten(),
                                docs,
                            }))],
                        }
                    }
                }
            } else {
                // The pack of the block's dictionary (none without one).
                let pack = match seg.compressed_block(b) {
                    Ok((_, _, Some(d))) => dict_map
                        .get(d as usize)
                        .copied()
                        .flatten()
                        .and_then(|n| pack_of.get(n as usize).copied())
                        .unwrap_or(usize::MAX),
                    _ => usize::MAX,
                };
                match seg.read_block(b) {
                    Err(e) => vec![Err(e)],
                    Ok(block) => in_block
                        .filter_map(|d| seg.entry(d).map(|e| (d, *e)))
                        .filter(|(d, _)| r[*d as usize] != u32::MAX)
                        .map(|(_, e)| {
                            let json = block
                                .get(e.offset as usize..(e.offset + e.len) as usize)
                                .ok_or_else(|| IndexError::Corrupt {
                                    path: seg.path().to_path_buf(),
                                    what: "document outside its block".into(),
                                })?
                                .to_vec();
                            let id = serde_json::from_slice::<IdOnly>(&json)
                                .map_err(|err| IndexError::Corrupt {
                                    path: seg.path().to_path_buf(),
                                    what: err.to_string(),
                                })?
                                .id;
                            Ok(DocItem::Doc(StoredDoc {
                                id,
                                json,
                                tokens: e.tokens,
                                fingerprints: e.fingerprints,
                                lang: e.lang,
                                pack,
                            }))
                        })
                        .collect(),
                }
            };
            items.into_iter()
        })
    });
    let packs: Vec<(u32, &[u8])> = packs_raw.iter().map(|(n, raw)| (*n, raw.as_slice())).collect();
    segment::write_parts(path, stream, &dicts, &packs, &fp, &words, zstd_level)
}
