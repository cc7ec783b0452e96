//! LEB128 variable-length integers, the unit of every delta-coded list.

/// Appends `v` as LEB128 (7 bits per byte, high bit = more).
#[inline]
pub fn put(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a LEB128 value at `*pos`, advancing it. `None` on truncated or
/// over-long input (corruption is reported, never panicked on).
#[inline]
pub fn get(buf: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    let mut shift = 0u32;
    loop {
        let b = *buf.get(*pos)?;
        *pos += 1;
        if shift >= 64 {
            return None;
        }
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
        shift += 7;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_truncation() {
        let values = [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX];
        let mut buf = Vec::new();
        for v in values {
            put(&mut buf, v);
        }
        let mut pos = 0;
        for v in values {
            assert_eq!(get(&buf, &mut pos), Some(v));
        }
        assert_eq!(get(&buf, &mut pos), None);
        assert_eq!(get(&[0x80, 0x80], &mut 0), None);
    }
}
