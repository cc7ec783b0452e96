//! Posting tables: 64-bit keys (fingerprints, words) to sorted lists of
//! local document numbers, delta-coded in blocks.
//!
//! Keys are stored on their top 40 bits: sorted and delta-coded, a key then
//! costs about log2(2^40 / distinct keys) / 7 bytes (2 bytes at 10^8 keys)
//! instead of 8, and distinct fingerprints sharing their top 40 bits are
//! rare (n² / 2^41: a few thousand pairs among 10^8 keys); such a merge of
//! two posting lists only adds a candidate that alignment rejects.
//!
//! Layout of a table: blocks of up to [`BLOCK_KEYS`] keys; each entry is
//! `varint((key − previous key) << 1 | several)`, then `varint(number of
//! docs)` only when `several`, then the docs as `varint(first)`,
//! `varint(delta)`…; the block index (first key and byte offset of every
//! block) is kept in memory for binary search.

use crate::varint;

/// Keys per block: small enough that a look-up decodes little, large
/// enough that the in-memory block index stays small.
pub const BLOCK_KEYS: usize = 64;

/// Bits dropped from every key (64 − 40).
pub const KEY_SHIFT: u32 = 24;

/// The stored form of a key.
#[inline]
pub fn stored_key(key: u64) -> u64 {
    key >> KEY_SHIFT
}

/// An encoded posting table.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct EncodedTable {
    /// The blocks, back to back.
    pub data: Vec<u8>,
    /// First stored key of each block.
    pub firsts: Vec<u64>,
    /// Byte offset of each block in `data`, plus the end.
    pub offsets: Vec<u64>,
    /// Number of distinct keys.
    pub keys: u64,
}

/// Streaming encoder: keys must come in increasing order, each with its
/// docs in increasing order.
#[derive(Debug, Default)]
pub struct TableEncoder {
    table: EncodedTable,
    in_block: usize,
    prev_key: u64,
}

impl TableEncoder {
    /// Appends one key and its docs.
    pub fn push(&mut self, key: u64, docs: &[u32]) {
        let t = &mut self.table;
        if self.in_block == 0 {
            t.firsts.push(key);
            t.offsets.push(t.data.len() as u64);
            self.prev_key = key;
        }
        // Most keys have one document: the low bit of the key delta says
        // whether a document count follows.
        let single = docs.len() == 1;
        varint::put(&mut t.data, ((key - self.prev_key) << 1) | u64::from(!single));
        if !single {
            varint::put(&mut t.data, docs.len() as u64);
        }
        let mut prev_doc = 0u32;
        for (n, &doc) in docs.iter().enumerate() {
            varint::put(&mut t.data, u64::from(if n == 0 { doc } else { doc - prev_doc }));
            prev_doc = doc;
        }
        self.prev_key = key;
        t.keys += 1;
        self.in_block = (self.in_block + 1) % BLOCK_KEYS;
    }

    /// The finished table.
    pub fn finish(mut self) -> EncodedTable {
        self.table.offsets.push(self.table.data.len() as u64);
        self.table
    }
}

/// Encodes `(stored key, doc)` pairs sorted by key then doc, without
/// duplicates.
pub fn encode(pairs: &[(u64, u32)]) -> EncodedTable {
    let mut enc = TableEncoder::default();
    let mut docs: Vec<u32> = Vec::new();
    let mut i = 0usize;
    while i < pairs.len() {
        let key = pairs[i].0;
        docs.clear();
        while i < pairs.len() && pairs[i].0 == key {
            docs.push(pairs[i].1);
            i += 1;
        }
        enc.push(key, &docs);
    }
    enc.finish()
}

/// Decodes one block: calls `f(key, docs)` for every entry, in key order.
/// Returns `None` when the block is corrupt.
pub fn decode_block(buf: &[u8], first_key: u64, mut f: impl FnMut(u64, &[u32])) -> Option<()> {
    decode_block_until(buf, first_key, u64::MAX, |k, d| f(k, d))
}

/// Like [`decode_block`], stopping after the last key ≤ `last` (a look-up
/// need not decode the rest of the block).
pub fn decode_block_until(buf: &[u8], first_key: u64, last: u64, mut f: impl FnMut(u64, &[u32])) -> Option<()> {
    let mut pos = 0usize;
    let mut key = first_key;
    let mut docs: Vec<u32> = Vec::with_capacity(8);
    while pos < buf.len() {
        let head = varint::get(buf, &mut pos)?;
        key = key.checked_add(head >> 1)?;
        let n = if head & 1 == 1 { varint::get(buf, &mut pos)? as usize } else { 1 };
        if n > buf.len() {
            return None;
        }
        if key > last {
            return Some(());
        }
        docs.clear();
        let mut doc = 0u64;
        for k in 0..n {
            let v = varint::get(buf, &mut pos)?;
            doc = if k == 0 { v } else { doc.checked_add(v)? };
            docs.push(u32::try_from(doc).ok()?);
        }
        f(key, &docs);
    }
    Some(())
}

/// The block that may hold `key` (the last block whose first key is ≤ key).
pub fn block_for(firsts: &[u64], key: u64) -> Option<usize> {
    let after = firsts.partition_point(|&k| k <= key);
    after.checked_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_and_decodes_across_blocks() {
        let mut pairs: Vec<(u64, u32)> = Vec::new();
        for k in 0..1000u64 {
            for d in 0..(k % 4) as u32 + 1 {
                pairs.push((k * 1_000_003, d * 7 + (k as u32 % 3)));
            }
        }
        let t = encode(&pairs);
        assert_eq!(t.keys, 1000);
        assert_eq!(t.firsts.len(), 1000usize.div_ceil(BLOCK_KEYS));
        let mut back: Vec<(u64, u32)> = Vec::new();
        for b in 0..t.firsts.len() {
            let block = &t.data[t.offsets[b] as usize..t.offsets[b + 1] as usize];
            decode_block(block, t.firsts[b], |k, docs| back.extend(docs.iter().map(|&d| (k, d)))).unwrap();
        }
        assert_eq!(back, pairs);
        assert_eq!(block_for(&t.firsts, 0), Some(0));
        assert_eq!(block_for(&t.firsts, 999 * 1_000_003), Some(t.firsts.len() - 1));
    }

    #[test]
    fn corrupt_blocks_are_reported() {
        assert!(decode_block(&[0x80], 0, |_, _| {}).is_none());
        assert!(decode_block(&[1, 200, 1], 0, |_, _| {}).is_none());
    }
}
