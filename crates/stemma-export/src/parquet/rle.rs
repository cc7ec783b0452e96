//! The RLE / bit-packed hybrid encoding of Parquet levels.
//!
//! Spec: <https://parquet.apache.org/docs/file-format/data-pages/encodings/>
//! (section "Run Length Encoding / Bit-Packing Hybrid"):
//!
//! ```text
//! encoded-data   := run*
//! run            := bit-packed-run | rle-run
//! bit-packed-run := varint(groups << 1 | 1) then groups × 8 values, bit_width bits each, LSB first
//! rle-run        := varint(count << 1) then the value in ceil(bit_width / 8) bytes, little-endian
//! ```
//!
//! stemma only writes definition levels of flat nullable columns (bit width
//! 1), but the encoder takes any width up to 32 so that it can be tested
//! against the spec's own worked example (width 3).
//!
//! Runs of at least 8 equal values become RLE runs; everything else is bit
//! packed. A bit-packed run holds whole groups of 8 values and only the last
//! run of the data may be padded (a reader stops at the page's value count),
//! so literals before an RLE run are first topped up to a multiple of 8 with
//! values taken from the start of that run.

use super::thrift::varint;

/// Shortest run of equal values written as an RLE run: one group of 8 costs
/// `bit_width` bytes bit-packed and 2 bytes as a run.
const MIN_RLE_RUN: usize = 8;

/// Appends `values` encoded with the hybrid encoding at `bit_width` bits
/// (1..=32; every value must fit in it). No length prefix: data page v1
/// levels add their own.
pub(crate) fn encode_hybrid(values: &[u32], bit_width: u8, out: &mut Vec<u8>) {
    debug_assert!((1..=32).contains(&bit_width));
    let mut lit_start = 0;
    let mut i = 0;
    while i < values.len() {
        let v = values[i];
        let mut j = i + 1;
        while j < values.len() && values[j] == v {
            j += 1;
        }
        if j - i >= MIN_RLE_RUN {
            // Top the pending literals up to whole groups of 8 with the first
            // values of this run; the rest of the run is RLE if still long.
            let pad = (8 - (i - lit_start) % 8) % 8;
            let run_start = i + pad;
            if j - run_start >= MIN_RLE_RUN {
                bit_packed(&values[lit_start..run_start], bit_width, out);
                varint(out, ((j - run_start) as u64) << 1);
                let nbytes = usize::from(bit_width).div_ceil(8);
                out.extend_from_slice(&v.to_le_bytes()[..nbytes]);
                lit_start = j;
            }
        }
        i = j;
    }
    bit_packed(&values[lit_start..], bit_width, out);
}

/// One bit-packed run of `values`, padded with zeros to a multiple of 8.
fn bit_packed(values: &[u32], bit_width: u8, out: &mut Vec<u8>) {
    if values.is_empty() {
        return;
    }
    let groups = values.len().div_ceil(8);
    varint(out, ((groups as u64) << 1) | 1);
    let width = usize::from(bit_width);
    let start = out.len();
    out.resize(start + groups * width, 0);
    let bytes = &mut out[start..];
    for (k, &v) in values.iter().enumerate() {
        // Value k occupies bits [k * width, (k + 1) * width) of the run,
        // least significant bit first within each byte.
        for b in 0..width {
            if (v >> b) & 1 == 1 {
                let bit = k * width + b;
                bytes[bit / 8] |= 1 << (bit % 8);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(values: &[u32], width: u8) -> Vec<u8> {
        let mut out = Vec::new();
        encode_hybrid(values, width, &mut out);
        out
    }

    /// Decodes the hybrid encoding (test oracle for the property test).
    fn decode(mut data: &[u8], width: u8, n: usize) -> Vec<u32> {
        fn read_varint(data: &mut &[u8]) -> u64 {
            let (mut v, mut shift) = (0u64, 0);
            loop {
                let b = data[0];
                *data = &data[1..];
                v |= u64::from(b & 0x7F) << shift;
                if b < 0x80 {
                    return v;
                }
                shift += 7;
            }
        }
        let mut vals = Vec::new();
        while vals.len() < n {
            let h = read_varint(&mut data);
            if h & 1 == 1 {
                let count = (h >> 1) as usize * 8;
                let w = usize::from(width);
                for k in 0..count {
                    let mut v = 0u32;
                    for b in 0..w {
                        let bit = k * w + b;
                        v |= u32::from((data[bit / 8] >> (bit % 8)) & 1) << b;
                    }
                    vals.push(v);
                }
                data = &data[count * w / 8..];
            } else {
                let nbytes = usize::from(width).div_ceil(8);
                let mut le = [0u8; 4];
                le[..nbytes].copy_from_slice(&data[..nbytes]);
                data = &data[nbytes..];
                vals.extend(std::iter::repeat_n(u32::from_le_bytes(le), (h >> 1) as usize));
            }
        }
        assert!(data.is_empty(), "trailing bytes");
        vals.truncate(n);
        vals
    }

    #[test]
    fn spec_example_bit_width_3() {
        // The spec's example: 0..=7 at width 3 packs to
        // 10001000 11000110 11111010 (HIDEFABC RMNOJKLG VWXSTUPQ); one group,
        // so the header is varint(1 << 1 | 1) = 0x03.
        assert_eq!(enc(&[0, 1, 2, 3, 4, 5, 6, 7], 3), [0x03, 0b1000_1000, 0b1100_0110, 0b1111_1010]);
    }

    #[test]
    fn rle_runs() {
        // 10 ones: header varint(10 << 1) = 0x14, value in 1 byte.
        assert_eq!(enc(&[1; 10], 1), [0x14, 0x01]);
        // 300 zeros: varint(600) = 0xD8 0x04.
        assert_eq!(enc(&[0; 300], 1), [0xD8, 0x04, 0x00]);
        // Width 9 values take 2 bytes: 8 × 257 -> 0x10, 0x01 0x01.
        assert_eq!(enc(&[257; 8], 9), [0x10, 0x01, 0x01]);
        // 7 equal values are too few for a run: one padded bit-packed group.
        assert_eq!(enc(&[1; 7], 1), [0x03, 0b0111_1111]);
    }

    #[test]
    fn literals_are_topped_up_to_whole_groups_before_a_run() {
        // 1 0, then a run of 21 ones: the literals take six of the ones to
        // make one group of 8 (bits LSB first: 1,0,1,1,1,1,1,1 = 0xFD), then an
        // RLE run of the remaining 15 ones (0x1E, 0x01).
        let mut v = vec![1, 0, 1];
        v.extend([1; 20]);
        assert_eq!(enc(&v, 1), [0x03, 0xFD, 0x1E, 0x01]);
        // With only 12 ones after the literals, 7 would remain after topping
        // up: not worth a run, so everything is bit-packed (2 groups, the
        // second padded: 15 values -> 0xFD, 0x7F).
        let mut v = vec![1, 0, 1];
        v.extend([1; 12]);
        assert_eq!(enc(&v, 1), [0x05, 0xFD, 0x7F]);
    }

    #[test]
    fn alternating_values_bit_pack() {
        // 0 1 0 1 ... (16 values): two groups, each 0b10101010.
        let v: Vec<u32> = (0..16).map(|i| i % 2).collect();
        assert_eq!(enc(&v, 1), [0x05, 0xAA, 0xAA]);
        assert!(enc(&[], 1).is_empty());
    }

    #[test]
    fn round_trips_through_an_independent_decoder() {
        // Deterministic pseudo-random level sequences with runs of all lengths.
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for case in 0..300 {
            let width = [1u8, 1, 2, 3, 7, 8, 9, 17, 32][case % 9];
            let mask = if width == 32 { u32::MAX } else { (1u32 << width) - 1 };
            let mut v = Vec::new();
            while v.len() < (case * 7) % 500 {
                let run = (next() % 20) as usize + 1;
                let val = next() as u32 & mask;
                v.extend(std::iter::repeat_n(val, run));
            }
            assert_eq!(decode(&enc(&v, width), width, v.len()), v, "width {width}");
        }
    }
}
