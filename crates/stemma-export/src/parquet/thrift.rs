//! A Thrift compact-protocol encoder, just enough for Parquet metadata.
//!
//! Parquet's page headers and footer are Thrift structs serialized with the
//! compact protocol
//! (<https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md>).
//! Only what the footer needs is here: structs, lists, `bool`, `i16`,
//! `i32`, `i64` and `binary`/`string`. The caller writes fields in
//! increasing id order, as the short field header (a delta from the previous
//! id) assumes; the long form is used when the delta does not fit in 4 bits.

/// Compact-protocol type codes (the low nibble of a field header).
pub(crate) mod ty {
    /// `bool` field whose value is true (the value lives in the type).
    pub const BOOL_TRUE: u8 = 1;
    /// `bool` field whose value is false.
    pub const BOOL_FALSE: u8 = 2;
    /// 16-bit integer (zigzag varint).
    pub const I16: u8 = 4;
    /// 32-bit integer (zigzag varint).
    pub const I32: u8 = 5;
    /// 64-bit integer (zigzag varint).
    pub const I64: u8 = 6;
    /// Length-prefixed bytes (`binary` and `string`).
    pub const BINARY: u8 = 8;
    /// List.
    pub const LIST: u8 = 9;
    /// Struct (and union).
    pub const STRUCT: u8 = 12;
}

/// Appends the unsigned LEB128 varint of `v`.
pub(crate) fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Zigzag mapping of signed integers, so that small negative numbers stay
/// short as varints: 0 → 0, −1 → 1, 1 → 2, −2 → 3, …
fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// Builds one top-level struct. Field ids are relative to the previous field
/// of the same struct, so a stack keeps the last id of each enclosing struct.
pub(crate) struct Encoder {
    out: Vec<u8>,
    last_id: i16,
    stack: Vec<i16>,
}

impl Encoder {
    /// Starts a top-level struct.
    pub(crate) fn new() -> Self {
        Encoder { out: Vec::new(), last_id: 0, stack: Vec::new() }
    }

    fn field_header(&mut self, id: i16, ty: u8) {
        let delta = i32::from(id) - i32::from(self.last_id);
        if (1..=15).contains(&delta) {
            self.out.push(((delta as u8) << 4) | ty);
        } else {
            self.out.push(ty);
            varint(&mut self.out, zigzag(i64::from(id)));
        }
        self.last_id = id;
    }

    /// An `i16` field.
    pub(crate) fn i16(&mut self, id: i16, v: i16) {
        self.field_header(id, ty::I16);
        varint(&mut self.out, zigzag(i64::from(v)));
    }

    /// An `i32` field.
    pub(crate) fn i32(&mut self, id: i16, v: i32) {
        self.field_header(id, ty::I32);
        varint(&mut self.out, zigzag(i64::from(v)));
    }

    /// An `i64` field.
    pub(crate) fn i64(&mut self, id: i16, v: i64) {
        self.field_header(id, ty::I64);
        varint(&mut self.out, zigzag(v));
    }

    /// A `bool` field: the value is carried by the header's type nibble.
    pub(crate) fn bool(&mut self, id: i16, v: bool) {
        self.field_header(id, if v { ty::BOOL_TRUE } else { ty::BOOL_FALSE });
    }

    /// A `binary` or `string` field.
    pub(crate) fn binary(&mut self, id: i16, v: &[u8]) {
        self.field_header(id, ty::BINARY);
        self.raw_binary(v);
    }

    fn raw_binary(&mut self, v: &[u8]) {
        varint(&mut self.out, v.len() as u64);
        self.out.extend_from_slice(v);
    }

    /// Opens a struct-valued field; close it with [`Encoder::end_struct`].
    pub(crate) fn begin_struct(&mut self, id: i16) {
        self.field_header(id, ty::STRUCT);
        self.push_struct();
    }

    /// Closes the innermost struct (writes its STOP byte).
    pub(crate) fn end_struct(&mut self) {
        self.out.push(0);
        self.last_id = self.stack.pop().unwrap_or(0);
    }

    /// An empty struct-valued field (e.g. `StringType` in a `LogicalType`
    /// union, or `TypeDefinedOrder`).
    pub(crate) fn empty_struct(&mut self, id: i16) {
        self.begin_struct(id);
        self.end_struct();
    }

    fn push_struct(&mut self) {
        self.stack.push(self.last_id);
        self.last_id = 0;
    }

    /// Opens a list-valued field of `len` elements of compact type `elem`.
    /// The elements follow with the `list_*` methods; a list needs no end.
    pub(crate) fn begin_list(&mut self, id: i16, elem: u8, len: usize) {
        self.field_header(id, ty::LIST);
        if len < 15 {
            self.out.push(((len as u8) << 4) | elem);
        } else {
            self.out.push(0xF0 | elem);
            varint(&mut self.out, len as u64);
        }
    }

    /// An `i32` list element (also enum values).
    pub(crate) fn list_i32(&mut self, v: i32) {
        varint(&mut self.out, zigzag(i64::from(v)));
    }

    /// A `binary`/`string` list element.
    pub(crate) fn list_binary(&mut self, v: &[u8]) {
        self.raw_binary(v);
    }

    /// Opens a struct list element; close it with [`Encoder::end_struct`].
    pub(crate) fn list_begin_struct(&mut self) {
        self.push_struct();
    }

    /// Closes the top-level struct and returns its bytes.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        self.out.push(0);
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Byte sequences worked out by hand from the compact-protocol spec.

    #[test]
    fn varints_and_zigzag() {
        let mut v = Vec::new();
        varint(&mut v, 0);
        varint(&mut v, 127);
        varint(&mut v, 128);
        varint(&mut v, 300); // 300 = 0b10_0101100 -> 0xAC 0x02
        assert_eq!(v, [0x00, 0x7F, 0x80, 0x01, 0xAC, 0x02]);
        assert_eq!([zigzag(0), zigzag(-1), zigzag(1), zigzag(-2), zigzag(2)], [0, 1, 2, 3, 4]);
        assert_eq!(zigzag(i64::MIN), u64::MAX);
        assert_eq!(zigzag(i64::MAX), u64::MAX - 1);
    }

    #[test]
    fn short_field_headers_and_scalars() {
        let mut e = Encoder::new();
        e.i32(1, 1); // delta 1, type 5 -> 0x15; zigzag(1) = 2
        e.i32(2, -1); // 0x15; zigzag(-1) = 1
        e.i64(4, 150); // delta 2, type 6 -> 0x26; zigzag(150) = 300 -> AC 02
        e.binary(5, b"ab"); // 0x18, len 2, bytes
        e.bool(6, true); // 0x11
        e.bool(7, false); // 0x12
        e.i16(8, -3); // 0x14; zigzag(-3) = 5
        assert_eq!(
            e.finish(),
            [0x15, 0x02, 0x15, 0x01, 0x26, 0xAC, 0x02, 0x18, 0x02, b'a', b'b', 0x11, 0x12, 0x14, 0x05, 0x00]
        );
    }

    #[test]
    fn long_field_header_when_delta_exceeds_15() {
        let mut e = Encoder::new();
        e.i32(1, 0); // 0x15 0x00
        e.i32(17, 0); // delta 16: type byte 0x05, then zigzag varint of 17 = 34 = 0x22
        e.i32(18, 0); // delta 1 again: 0x15
        assert_eq!(e.finish(), [0x15, 0x00, 0x05, 0x22, 0x00, 0x15, 0x00, 0x00]);
    }

    #[test]
    fn nested_structs_restore_the_outer_field_id() {
        let mut e = Encoder::new();
        e.i32(1, 0); // 0x15 0x00
        e.begin_struct(3); // delta 2, type 12 -> 0x2C
        e.i32(1, 3); // inner ids restart at 0: 0x15, zigzag(3)=6
        e.end_struct(); // 0x00
        e.i32(4, 0); // delta from 3 (not from the inner 1): 0x15
        e.empty_struct(5); // 0x1C 0x00
        assert_eq!(e.finish(), [0x15, 0x00, 0x2C, 0x15, 0x06, 0x00, 0x15, 0x00, 0x1C, 0x00, 0x00]);
    }

    #[test]
    fn list_headers() {
        let mut e = Encoder::new();
        e.begin_list(1, ty::I32, 3); // 0x19, then size 3 << 4 | 5 = 0x35
        for v in [0, 3, -1] {
            e.list_i32(v); // 0x00 0x06 0x01
        }
        e.begin_list(2, ty::BINARY, 15); // 0x19, then 0xF8 and varint 15
        for _ in 0..15 {
            e.list_binary(b"");
        }
        e.begin_list(3, ty::STRUCT, 2); // 0x19, 0x2C
        e.list_begin_struct();
        e.i64(2, -2); // 0x26 0x03
        e.end_struct();
        e.list_begin_struct();
        e.end_struct();
        e.i32(4, 1); // back in the outer struct: delta 1 from field 3
        let mut want = vec![0x19, 0x35, 0x00, 0x06, 0x01, 0x19, 0xF8, 0x0F];
        want.extend([0u8; 15]);
        want.extend([0x19, 0x2C, 0x26, 0x03, 0x00, 0x00, 0x15, 0x02, 0x00]);
        assert_eq!(e.finish(), want);
    }
}
