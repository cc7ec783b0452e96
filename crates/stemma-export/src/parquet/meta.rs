//! The Parquet metadata stemma writes: data page headers and the footer
//! (`FileMetaData`), as Thrift compact structs.
//!
//! Field ids and enum values are those of `parquet.thrift` in
//! apache/parquet-format; only the fields a flat table needs are written.
//! Each function writes fields in increasing id order, as the compact
//! protocol's field-id deltas require.

use super::thrift::{ty, Encoder};
use crate::{Column, ColumnType};

/// `Type`: physical types.
const TYPE_BOOLEAN: i32 = 0;
const TYPE_INT64: i32 = 2;
const TYPE_DOUBLE: i32 = 5;
const TYPE_BYTE_ARRAY: i32 = 6;
/// `FieldRepetitionType`.
const REQUIRED: i32 = 0;
const OPTIONAL: i32 = 1;
/// `ConvertedType.UTF8`, kept next to the `STRING` logical type for readers
/// that predate logical types.
const CONVERTED_UTF8: i32 = 0;
/// `Encoding`.
const PLAIN: i32 = 0;
const RLE: i32 = 3;
/// `PageType.DATA_PAGE` (version 1).
const DATA_PAGE: i32 = 0;
/// `CompressionCodec`.
pub(crate) const CODEC_UNCOMPRESSED: i32 = 0;
pub(crate) const CODEC_ZSTD: i32 = 6;

fn physical(t: ColumnType) -> i32 {
    match t {
        ColumnType::Int64 => TYPE_INT64,
        ColumnType::Float64 => TYPE_DOUBLE,
        ColumnType::Bool => TYPE_BOOLEAN,
        ColumnType::Utf8 => TYPE_BYTE_ARRAY,
    }
}

/// Column chunk statistics: the null count and, when known, the minimum and
/// maximum PLAIN-encoded (without a length prefix for strings).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Stats {
    pub null_count: i64,
    pub min_max: Option<(Vec<u8>, Vec<u8>)>,
}

/// What the footer says about one column chunk.
#[derive(Clone, Debug)]
pub(crate) struct ChunkMeta {
    pub codec: i32,
    /// Values including nulls.
    pub num_values: i64,
    /// Page headers and uncompressed page bodies.
    pub total_uncompressed_size: i64,
    /// Page headers and page bodies as written.
    pub total_compressed_size: i64,
    /// File offset of the chunk's first page header.
    pub data_page_offset: i64,
    pub stats: Stats,
}

/// What the footer says about one row group.
#[derive(Clone, Debug)]
pub(crate) struct RowGroupMeta {
    /// One per schema column, in schema order.
    pub columns: Vec<ChunkMeta>,
    pub num_rows: i64,
    /// File offset of the row group's first page.
    pub file_offset: i64,
}

/// A `PageHeader` for a v1 data page of `num_values` values (nulls
/// included): PLAIN values, RLE definition and repetition levels.
pub(crate) fn data_page_header(uncompressed_size: i32, compressed_size: i32, num_values: i32) -> Vec<u8> {
    let mut e = Encoder::new();
    e.i32(1, DATA_PAGE);
    e.i32(2, uncompressed_size);
    e.i32(3, compressed_size);
    e.begin_struct(5); // DataPageHeader
    e.i32(1, num_values);
    e.i32(2, PLAIN);
    e.i32(3, RLE);
    e.i32(4, RLE);
    e.end_struct();
    e.finish()
}

/// The footer's `FileMetaData`.
pub(crate) fn file_metadata(schema: &[Column], num_rows: i64, groups: &[RowGroupMeta], created_by: &str) -> Vec<u8> {
    let mut e = Encoder::new();
    e.i32(1, 1); // version
                 // Schema: the root group, then one primitive leaf per column.
    e.begin_list(2, ty::STRUCT, schema.len() + 1);
    e.list_begin_struct();
    e.binary(4, b"schema");
    e.i32(5, i32::try_from(schema.len()).unwrap_or(i32::MAX));
    e.end_struct();
    for c in schema {
        e.list_begin_struct();
        e.i32(1, physical(c.ty));
        e.i32(3, if c.nullable { OPTIONAL } else { REQUIRED });
        e.binary(4, c.name.as_bytes());
        if c.ty == ColumnType::Utf8 {
            e.i32(6, CONVERTED_UTF8);
            e.begin_struct(10); // LogicalType union
            e.empty_struct(1); // STRING
            e.end_struct();
        }
        e.end_struct();
    }
    e.i64(3, num_rows);
    e.begin_list(4, ty::STRUCT, groups.len());
    for (ordinal, g) in groups.iter().enumerate() {
        e.list_begin_struct();
        e.begin_list(1, ty::STRUCT, g.columns.len());
        for (c, m) in schema.iter().zip(&g.columns) {
            e.list_begin_struct(); // ColumnChunk
                                   // file_offset is deprecated; the spec asks for 0 when no
                                   // ColumnMetaData is written outside the footer.
            e.i64(2, 0);
            column_metadata(&mut e, c, m);
            e.end_struct();
        }
        let uncompressed: i64 = g.columns.iter().map(|m| m.total_uncompressed_size).sum();
        let compressed: i64 = g.columns.iter().map(|m| m.total_compressed_size).sum();
        e.i64(2, uncompressed); // total_byte_size
        e.i64(3, g.num_rows);
        e.i64(5, g.file_offset);
        e.i64(6, compressed);
        if let Ok(ordinal) = i16::try_from(ordinal) {
            e.i16(7, ordinal);
        }
        e.end_struct();
    }
    e.binary(6, created_by.as_bytes());
    // Column orders: min_value/max_value follow each type's defined order
    // (signed for INT64, IEEE for DOUBLE, unsigned bytes for strings).
    e.begin_list(7, ty::STRUCT, schema.len());
    for _ in schema {
        e.list_begin_struct();
        e.empty_struct(1); // TYPE_ORDER
        e.end_struct();
    }
    e.finish()
}

/// ColumnChunk.meta_data (field 3).
fn column_metadata(e: &mut Encoder, c: &Column, m: &ChunkMeta) {
    e.begin_struct(3);
    e.i32(1, physical(c.ty));
    let encodings: &[i32] = if c.nullable { &[PLAIN, RLE] } else { &[PLAIN] };
    e.begin_list(2, ty::I32, encodings.len());
    for &enc in encodings {
        e.list_i32(enc);
    }
    e.begin_list(3, ty::BINARY, 1); // path_in_schema
    e.list_binary(c.name.as_bytes());
    e.i32(4, m.codec);
    e.i64(5, m.num_values);
    e.i64(6, m.total_uncompressed_size);
    e.i64(7, m.total_compressed_size);
    e.i64(9, m.data_page_offset);
    e.begin_struct(12); // Statistics
    e.i64(3, m.stats.null_count);
    if let Some((min, max)) = &m.stats.min_max {
        e.binary(5, max); // max_value
        e.binary(6, min); // min_value
        e.bool(7, true); // is_max_value_exact
        e.bool(8, true); // is_min_value_exact
    }
    e.end_struct();
    e.end_struct();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_page_header_bytes() {
        // Worked by hand: field 1 (i32) 0 -> 15 00; fields 2 and 3 (i32) 100
        // -> 15 C8 01 (zigzag 200); field 5 (struct, delta 2) -> 2C; inside,
        // num_values 10 -> 15 14, PLAIN -> 15 00, RLE twice -> 15 06; two
        // STOPs (DataPageHeader, PageHeader).
        assert_eq!(
            data_page_header(100, 100, 10),
            [
                0x15, 0x00, 0x15, 0xC8, 0x01, 0x15, 0xC8, 0x01, 0x2C, 0x15, 0x14, 0x15, 0x00, 0x15, 0x06, 0x15, 0x06,
                0x00, 0x00
            ]
        );
    }

    #[test]
    fn footer_of_an_empty_one_column_table() {
        let schema = [Column::optional("t", ColumnType::Utf8, "")];
        let got = file_metadata(&schema, 0, &[], "x");
        #[rustfmt::skip]
        let want = [
            0x15, 0x02,             // 1: version = 1
            0x19, 0x2C,             // 2: schema, list of 2 structs
              0x48, 0x06, b's', b'c', b'h', b'e', b'm', b'a', // 4: name "schema" (delta 4, binary)
              0x15, 0x02,           // 5: num_children = 1
              0x00,
              0x15, 0x0C,           // 1: type = BYTE_ARRAY (6)
              0x25, 0x02,           // 3: repetition = OPTIONAL (1)
              0x18, 0x01, b't',     // 4: name "t"
              0x25, 0x00,           // 6: converted_type = UTF8 (0)
              0x4C, 0x1C, 0x00, 0x00, // 10: logicalType { 1: STRING {} }
              0x00,
            0x16, 0x00,             // 3: num_rows = 0 (i64)
            0x19, 0x0C,             // 4: row_groups, empty list of structs
            0x28, 0x01, b'x',       // 6: created_by "x" (delta 2)
            0x19, 0x1C,             // 7: column_orders, 1 struct
              0x1C, 0x00, 0x00,     // { 1: TYPE_ORDER {} }
            0x00,
        ];
        assert_eq!(got, want);
    }
}
