//! Bit streams (least significant bit first) with Rice and Elias-gamma
//! codes, the unit of the posting tables.

/// Appends bits to a byte vector.
#[derive(Debug)]
pub struct BitWriter<'a> {
    out: &'a mut Vec<u8>,
    /// Pending bits (fewer than 32 between calls).
    acc: u64,
    n: u32,
}

impl<'a> BitWriter<'a> {
    /// A writer appending to `out` (from a byte boundary).
    pub fn new(out: &'a mut Vec<u8>) -> Self {
        BitWriter { out, acc: 0, n: 0 }
    }

    /// Appends the low `bits` bits of `v` (`bits` ≤ 32).
    #[inline]
    fn put_small(&mut self, v: u64, bits: u32) {
        debug_assert!(bits <= 32 && self.n < 32);
        self.acc |= (v & (u64::MAX >> (64 - bits.max(1)))) << self.n;
        self.n += bits;
        if self.n >= 32 {
            self.out.extend_from_slice(&(self.acc as u32).to_le_bytes());
            self.acc >>= 32;
            self.n -= 32;
        }
    }

    /// Appends the low `bits` bits of `v` (`bits` ≤ 64).
    #[inline]
    pub fn put(&mut self, v: u64, bits: u32) {
        if bits > 32 {
            self.put_small(v, 32);
            self.put_small(v >> 32, bits - 32);
        } else if bits > 0 {
            self.put_small(v, bits);
        }
    }

    /// `q` zero bits, then a one bit.
    #[inline]
    pub fn unary(&mut self, mut q: u64) {
        while q >= 32 {
            self.put_small(0, 32);
            q -= 32;
        }
        self.put_small(1 << q, q as u32 + 1);
    }

    /// Rice code of `v` with parameter `k`: `v >> k` in unary, then the low `k` bits.
    #[inline]
    pub fn rice(&mut self, v: u64, k: u32) {
        let q = v >> k;
        if q + 1 + u64::from(k) <= 32 {
            // One write: the unary part, then the remainder above it.
            let rem = v & ((1u64 << k) - 1);
            self.put_small((1 << q) | rem << (q + 1), q as u32 + 1 + k);
        } else {
            self.unary(q);
            self.put(v, k);
        }
    }

    /// Elias-gamma code of `v` ≥ 1: the number of bits after the leading
    /// one in unary, then those bits.
    #[inline]
    pub fn gamma(&mut self, v: u64) {
        debug_assert!(v >= 1);
        let l = 63 - v.leading_zeros();
        if 2 * l < 32 {
            let rest = v & ((1u64 << l) - 1);
            self.put_small((1 << l) | rest << (l + 1), 2 * l + 1);
        } else {
            self.unary(u64::from(l));
            self.put(v, l);
        }
    }

    /// Pads to a byte boundary.
    pub fn finish(self) {
        let bytes = self.n.div_ceil(8) as usize;
        self.out.extend_from_slice(&self.acc.to_le_bytes()[..bytes]);
    }
}

/// Reads bits from a byte slice. Every read is checked against the end of
/// the slice: corrupt input yields `None`, never a panic or a long loop.
#[derive(Debug)]
pub struct BitReader<'a> {
    buf: &'a [u8],
    pos: usize,
    end: usize,
}

/// Bits a peek is sure to hold.
const PEEK_BITS: u32 = 56;

impl<'a> BitReader<'a> {
    /// A reader at the start of `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        BitReader { buf, pos: 0, end: buf.len() * 8 }
    }

    /// The next 56 bits or more (zeros past the end).
    #[inline]
    fn peek(&self) -> u64 {
        let byte = self.pos >> 3;
        let word = match self.buf.get(byte..byte + 8) {
            Some(b) => u64::from_le_bytes(b.try_into().unwrap_or([0; 8])),
            None => {
                let mut w = [0u8; 8];
                let rest = self.buf.get(byte..).unwrap_or_default();
                w[..rest.len()].copy_from_slice(rest);
                u64::from_le_bytes(w)
            }
        };
        word >> (self.pos & 7)
    }

    /// Advances by `bits`, checking the end.
    #[inline]
    fn skip(&mut self, bits: u32) -> Option<()> {
        self.pos += bits as usize;
        (self.pos <= self.end).then_some(())
    }

    /// Reads `bits` bits (≤ 56).
    #[inline]
    fn get_small(&mut self, bits: u32) -> Option<u64> {
        debug_assert!(bits <= PEEK_BITS);
        let v = if bits == 0 { 0 } else { self.peek() & (u64::MAX >> (64 - bits)) };
        self.skip(bits)?;
        Some(v)
    }

    /// Reads `bits` bits (≤ 64).
    #[inline]
    pub fn get(&mut self, bits: u32) -> Option<u64> {
        if bits > 32 {
            let lo = self.get_small(32)?;
            Some(lo | self.get_small(bits - 32)? << 32)
        } else {
            self.get_small(bits)
        }
    }

    /// Reads a unary number (zeros up to a one).
    #[inline]
    pub fn unary(&mut self) -> Option<u64> {
        let mut q = 0u64;
        loop {
            let w = self.peek() & ((1u64 << PEEK_BITS) - 1);
            if w != 0 {
                let z = w.trailing_zeros();
                self.skip(z + 1)?;
                return Some(q + u64::from(z));
            }
            q += u64::from(PEEK_BITS);
            self.pos += PEEK_BITS as usize;
            if self.pos >= self.end {
                return None;
            }
        }
    }

    /// Reads a Rice code with parameter `k`.
    #[inline]
    pub fn rice(&mut self, k: u32) -> Option<u64> {
        let w = self.peek();
        let q = w.trailing_zeros();
        if q + 1 + k <= PEEK_BITS {
            // The whole code is in the peeked bits.
            let rem = (w >> (q + 1)) & ((1u64 << k) - 1);
            self.skip(q + 1 + k)?;
            return Some(u64::from(q) << k | rem);
        }
        let q = self.unary()?;
        if q >= 1 << (63 - k.min(63)) {
            return None;
        }
        Some(q << k | self.get(k)?)
    }

    /// Reads an Elias-gamma code.
    #[inline]
    pub fn gamma(&mut self) -> Option<u64> {
        let w = self.peek();
        let l = w.trailing_zeros();
        if 2 * l < PEEK_BITS {
            let rest = (w >> (l + 1)) & ((1u64 << l) - 1);
            self.skip(2 * l + 1)?;
            return Some(1u64 << l | rest);
        }
        let l = self.unary()?;
        if l > 63 {
            return None;
        }
        Some(1u64 << l | self.get(l as u32)?)
    }
}

/// The Rice parameter for gaps of mean about `mean`: ⌊log2(mean · ln 2)⌋
/// (Gallager and van Voorhis 1975), or 0.
#[inline]
pub fn rice_k_for_mean(mean: u64) -> u32 {
    let m = mean.saturating_mul(69) / 100;
    if m <= 1 {
        0
    } else {
        63 - m.leading_zeros()
    }
}

/// Bits of the Rice code of `v` with parameter `k`.
#[inline]
pub fn rice_len(v: u64, k: u32) -> u64 {
    (v >> k) + 1 + u64::from(k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        let values = [0u64, 1, 2, 3, 7, 100, 1 << 20, (1 << 40) - 1, 12_345_678_901];
        let mut buf = Vec::new();
        let mut w = BitWriter::new(&mut buf);
        for &v in &values {
            for k in [0u32, 3, 13, 20, 40] {
                if v >> k < 5000 {
                    w.rice(v, k);
                }
            }
            w.gamma(v + 1);
            w.put(v, 41);
        }
        w.unary(200);
        w.finish();
        let mut r = BitReader::new(&buf);
        for &v in &values {
            for k in [0u32, 3, 13, 20, 40] {
                if v >> k < 5000 {
                    assert_eq!(r.rice(k), Some(v), "rice {v} k {k}");
                }
            }
            assert_eq!(r.gamma(), Some(v + 1));
            assert_eq!(r.get(41), Some(v & ((1 << 41) - 1)));
        }
        assert_eq!(r.unary(), Some(200));
        // Nothing but padding is left.
        assert_eq!(r.unary(), None);
    }

    proptest::proptest! {
        #[test]
        fn random_codes_round_trip(codes in proptest::collection::vec((0u8..3, 0u64..1 << 45, 0u32..45), 0..200)) {
            // (kind, value, Rice parameter): values whose unary part would be
            // absurdly long are shifted into range by the parameter.
            let codes: Vec<(u8, u64, u32)> =
                codes.into_iter().map(|(kind, v, k)| (kind, if v >> k > 300 { v & ((1 << k) * 300 - 1) } else { v }, k)).collect();
            let mut buf = Vec::new();
            let mut w = BitWriter::new(&mut buf);
            for &(kind, v, k) in &codes {
                match kind {
                    0 => w.rice(v, k),
                    1 => w.gamma(v + 1),
                    _ => w.put(v, k),
                }
            }
            w.finish();
            let mut r = BitReader::new(&buf);
            for &(kind, v, k) in &codes {
                let got = match kind {
                    0 => r.rice(k),
                    1 => r.gamma().map(|x| x - 1),
                    _ => r.get(k),
                };
                let want = if kind == 2 { v & ((1u64 << k) - 1) } else { v };
                proptest::prop_assert_eq!(got, Some(want));
            }
        }
    }

    #[test]
    fn truncated_input_is_none() {
        assert_eq!(BitReader::new(&[]).unary(), None);
        assert_eq!(BitReader::new(&[0, 0, 0]).unary(), None);
        assert_eq!(BitReader::new(&[0xff]).get(9), None);
        assert_eq!(BitReader::new(&[0; 64]).gamma(), None);
    }

    #[test]
    fn rice_parameter() {
        assert_eq!(rice_k_for_mean(0), 0);
        assert_eq!(rice_k_for_mean(2), 0);
        assert_eq!(rice_k_for_mean(20), 3);
        assert_eq!(rice_k_for_mean(20_000), 13);
    }
}
