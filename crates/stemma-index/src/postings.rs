//! Posting tables: 64-bit keys (fingerprints, words) to sorted lists of
//! local document numbers, Rice-coded in blocks.
//!
//! Keys are stored on their top 36 bits: sorted and delta-coded, a key then
//! costs about log2(2^36 / distinct keys) + 1.5 bits (18 bits at a million
//! keys) instead of 64. Distinct fingerprints sharing their top 36 bits are
//! rare (n² / 2^37: 7 × 10^4 pairs among 10^8 keys, so a query key meets an
//! unrelated one with probability 0.15 %); such a merge of two posting
//! lists only adds a candidate that alignment rejects, and a candidate
//! needs two shared fingerprints. Each bit dropped saves one bit per key:
//! 40 bits cost 11 % more fingerprint postings for nothing measurable.
//!
//! Layout of a table: blocks of up to [`BLOCK_KEYS`] keys, each a bit
//! stream (least significant bit first) starting on a byte boundary:
//!
//! ```text
//! entries − 1             6 bits
//! k                       6 bits, the Rice parameter of the block's key gaps
//! per entry               key − previous key − 1, Rice(k) (not for the first,
//!                         which is in the block index)
//!                         number of docs, Elias gamma (1 bit for one doc)
//!                         docs as gaps (first doc, then doc − previous − 1),
//!                         Rice with a parameter derived from the number of
//!                         documents in the segment and in the list
//! ```
//!
//! A document number then costs about log2(documents / list length) + 1.5
//! bits, where bytes of varints cost 8 or 16; the block index (first key
//! and byte offset of every block) is kept in memory for binary search.

use crate::bits::{rice_k_for_mean, rice_len, BitReader, BitWriter};

/// Keys per block: small enough that a look-up decodes little, large
/// enough that the in-memory block index stays small.
pub const BLOCK_KEYS: usize = 64;

/// Bits dropped from every key (64 − [`KEY_BITS`]).
pub const KEY_SHIFT: u32 = 28;

/// Bits of a stored key.
pub const KEY_BITS: u32 = 64 - KEY_SHIFT;

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
    /// Documents the doc numbers range over (the Rice parameters of the
    /// doc gaps derive from it; the segment must hold that many).
    pub universe: u32,
}

/// The Rice parameter of the doc gaps of a list of `len` documents among
/// `universe`: both encoder and decoder derive it, so it costs nothing.
#[inline]
fn doc_k(universe: u32, len: u64) -> u32 {
    rice_k_for_mean(u64::from(universe) / len.max(1))
}

/// Streaming encoder: keys must come in increasing order, each with its
/// docs in increasing order and below the universe.
#[derive(Debug)]
pub struct TableEncoder {
    table: EncodedTable,
    keys: Vec<u64>,
    lens: Vec<u32>,
    docs: Vec<u32>,
}

impl TableEncoder {
    /// An encoder for doc numbers below `universe`.
    pub fn new(universe: u32) -> Self {
        TableEncoder {
            table: EncodedTable { universe, ..EncodedTable::default() },
            keys: Vec::with_capacity(BLOCK_KEYS),
            lens: Vec::with_capacity(BLOCK_KEYS),
            docs: Vec::new(),
        }
    }

    /// Appends one key and its docs (at least one).
    pub fn push(&mut self, key: u64, docs: &[u32]) {
        debug_assert!(!docs.is_empty());
        debug_assert!(self.keys.last().is_none_or(|&k| k < key));
        self.keys.push(key);
        self.lens.push(docs.len() as u32);
        self.docs.extend_from_slice(docs);
        self.table.keys += 1;
        if self.keys.len() == BLOCK_KEYS {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let Some(&first) = self.keys.first() else { return };
        let t = &mut self.table;
        t.firsts.push(first);
        t.offsets.push(t.data.len() as u64);
        let gaps: Vec<u64> = self.keys.windows(2).map(|w| w[1] - w[0] - 1).collect();
        // The key gaps' Rice parameter: the estimate from their mean, or
        // one of its neighbours when that is shorter.
        let mean = gaps.iter().sum::<u64>() / (gaps.len() as u64).max(1);
        let guess = rice_k_for_mean(mean);
        let k = (guess.saturating_sub(1)..=(guess + 1).min(63))
            .min_by_key(|&k| gaps.iter().map(|&g| rice_len(g, k)).sum::<u64>())
            .unwrap_or(guess);
        let mut w = BitWriter::new(&mut t.data);
        w.put(self.keys.len() as u64 - 1, 6);
        w.put(u64::from(k), 6);
        let mut at = 0usize;
        for (i, &len) in self.lens.iter().enumerate() {
            if i > 0 {
                w.rice(gaps[i - 1], k);
            }
            w.gamma(u64::from(len));
            let dk = doc_k(t.universe, u64::from(len));
            let mut next = 0u32;
            for &d in &self.docs[at..at + len as usize] {
                w.rice(u64::from(d - next), dk);
                next = d + 1;
            }
            at += len as usize;
        }
        w.finish();
        self.keys.clear();
        self.lens.clear();
        self.docs.clear();
    }

    /// The finished table.
    pub fn finish(mut self) -> EncodedTable {
        self.flush();
        self.table.offsets.push(self.table.data.len() as u64);
        self.table
    }
}

/// Encodes `(stored key, doc)` pairs sorted by key then doc, without
/// duplicates, doc numbers below `universe`.
pub fn encode(pairs: &[(u64, u32)], universe: u32) -> EncodedTable {
    let mut enc = TableEncoder::new(universe);
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
pub fn decode_block(buf: &[u8], first_key: u64, universe: u32, mut f: impl FnMut(u64, &[u32])) -> Option<()> {
    decode_block_until(buf, first_key, u64::MAX, universe, |k, d| f(k, d))
}

/// Like [`decode_block`], stopping after the last key ≤ `last` (a look-up
/// need not decode the rest of the block).
pub fn decode_block_until(
    buf: &[u8],
    first_key: u64,
    last: u64,
    universe: u32,
    mut f: impl FnMut(u64, &[u32]),
) -> Option<()> {
    let mut r = BitReader::new(buf);
    let entries = r.get(6)? + 1;
    let k = r.get(6)? as u32;
    let mut key = first_key;
    let mut docs: Vec<u32> = Vec::with_capacity(8);
    // Most lists hold one document: their parameter is worked out once.
    let single_k = doc_k(universe, 1);
    for i in 0..entries {
        if i > 0 {
            key = key.checked_add(r.rice(k)?)?.checked_add(1)?;
        }
        if key > last {
            return Some(());
        }
        let len = r.gamma()?;
        if len > u64::from(universe) {
            return None;
        }
        let dk = if len == 1 { single_k } else { doc_k(universe, len) };
        docs.clear();
        let mut next = 0u64;
        for _ in 0..len {
            let d = next.checked_add(r.rice(dk)?)?;
            if d >= u64::from(universe) {
                return None;
            }
            docs.push(d as u32);
            next = d + 1;
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

    fn decode_all(t: &EncodedTable) -> Vec<(u64, u32)> {
        let mut back: Vec<(u64, u32)> = Vec::new();
        for b in 0..t.firsts.len() {
            let block = &t.data[t.offsets[b] as usize..t.offsets[b + 1] as usize];
            decode_block(block, t.firsts[b], t.universe, |k, docs| back.extend(docs.iter().map(|&d| (k, d)))).unwrap();
        }
        back
    }

    #[test]
    fn encodes_and_decodes_across_blocks() {
        let mut pairs: Vec<(u64, u32)> = Vec::new();
        for k in 0..1000u64 {
            for d in 0..(k % 4) as u32 + 1 {
                pairs.push((k * 1_000_003, d * 7 + (k as u32 % 3)));
            }
        }
        let t = encode(&pairs, 30);
        assert_eq!(t.keys, 1000);
        assert_eq!(t.firsts.len(), 1000usize.div_ceil(BLOCK_KEYS));
        assert_eq!(decode_all(&t), pairs);
        assert_eq!(block_for(&t.firsts, 0), Some(0));
        assert_eq!(block_for(&t.firsts, 999 * 1_000_003), Some(t.firsts.len() - 1));
    }

    #[test]
    fn extremes_round_trip() {
        // Adjacent and far-apart keys, a list of every document, single
        // documents at both ends of the universe.
        let universe = 5000u32;
        let mut pairs: Vec<(u64, u32)> = vec![(0, 0), (1, universe - 1), ((1 << KEY_BITS) - 2, 17)];
        pairs.extend((0..universe).map(|d| ((1 << KEY_BITS) - 1, d)));
        let t = encode(&pairs, universe);
        assert_eq!(decode_all(&t), pairs);
        let mut seen = Vec::new();
        decode_block_until(&t.data, 0, 1, universe, |k, _| seen.push(k)).unwrap();
        assert_eq!(seen, vec![0, 1]);
    }

    #[test]
    fn corrupt_blocks_are_reported() {
        assert!(decode_block(&[], 0, 10, |_, _| {}).is_none());
        assert!(decode_block(&[0xff, 0xff], 0, 10, |_, _| {}).is_none());
        // A document beyond the universe.
        let t = encode(&[(5, 9)], 10);
        assert!(decode_block(&t.data, 5, 10, |_, _| {}).is_some());
        assert!(decode_block(&t.data, 5, 9, |_, _| {}).is_none());
    }
}
