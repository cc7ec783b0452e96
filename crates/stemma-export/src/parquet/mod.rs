//! A Parquet writer for flat tables.
//!
//! Spec: apache/parquet-format (`README.md`, `Encodings.md`,
//! `parquet.thrift`). The file is laid out as
//!
//! ```text
//! "PAR1"
//! row group 0: column chunk 0: [page header, page]…   one chunk per column,
//!              column chunk 1: …                      in schema order
//! row group 1: …
//! FileMetaData (Thrift compact)   schema, row groups, chunk offsets, statistics
//! footer length (u32, little-endian)
//! "PAR1"
//! ```
//!
//! Supported: columns INT64, DOUBLE, BOOLEAN and BYTE_ARRAY annotated
//! STRING (logical type) and UTF8 (converted type), each REQUIRED or
//! OPTIONAL (no nesting, no repetition); data pages v1 with PLAIN values and
//! definition levels in the RLE / bit-packed hybrid (bit width 1); pages
//! UNCOMPRESSED or ZSTD; chunk statistics (null count, exact min and max,
//! strings only when both are at most 64 bytes) with type-defined column
//! orders. Not written: dictionary encoding, data pages v2, page indexes,
//! bloom filters, CRCs, key-value metadata.
//!
//! A row group is buffered in memory, as each column's finished pages
//! (compressed) plus its open page, then written column after column: a
//! column chunk has to be contiguous in the file. Pages close at
//! [`ParquetOptions::page_bytes`] of values or
//! [`ParquetOptions::page_rows`] rows, row groups at
//! [`ParquetOptions::row_group_rows`] rows or about
//! [`ParquetOptions::row_group_bytes`] bytes buffered. Nothing depends on
//! time or hashing order, so the same rows give the same bytes (with ZSTD,
//! for a given version of the zstd library).

mod meta;
mod rle;
mod thrift;

use crate::{check_row, check_schema, invalid, Column, TableWriter, Value};
use meta::{ChunkMeta, RowGroupMeta, Stats};
use std::io::{self, BufWriter, Write};

/// Written in the footer's `created_by`, in the form the spec asks for
/// (`<application> version <version>`).
const CREATED_BY: &str = concat!("stemma version ", env!("CARGO_PKG_VERSION"));

/// The longest string value accepted (1 GiB): with pages of at most
/// [`MAX_PAGE_BYTES`], every page size then fits the i32 of its header.
const MAX_STRING: usize = 1 << 30;
/// The largest `page_bytes` honoured.
const MAX_PAGE_BYTES: usize = 512 << 20;
/// A string column chunk whose minimum or maximum is longer than this gets
/// no min/max statistics: readers only use them to skip row groups, and
/// long ones would bloat the footer.
const MAX_STAT_BYTES: usize = 64;

/// Page compression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// Pages stored as they are.
    None,
    /// Pages compressed with Zstandard at the given level (1–22; 3 is
    /// zstd's default). Read by pyarrow, DuckDB, Spark, polars and R arrow.
    Zstd(i32),
}

/// Parquet writer settings. The defaults suit exports of millions of rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParquetOptions {
    /// Page compression; default ZSTD level 3.
    pub compression: Compression,
    /// Rows per row group at most; default 65,536.
    pub row_group_rows: usize,
    /// A row group is closed once about this many bytes (compressed pages
    /// and open pages) are buffered; default 64 MiB. It bounds memory.
    pub row_group_bytes: usize,
    /// A page is closed once its values reach this many bytes (before
    /// compression); default 1 MiB, at most 512 MiB.
    pub page_bytes: usize,
    /// A page is closed at this many rows; default 20,000.
    pub page_rows: usize,
}

impl Default for ParquetOptions {
    fn default() -> Self {
        ParquetOptions {
            compression: Compression::Zstd(3),
            row_group_rows: 65_536,
            row_group_bytes: 64 << 20,
            page_bytes: 1 << 20,
            page_rows: 20_000,
        }
    }
}

/// A Parquet table writer. Buffered: `out` needs no buffering of its own,
/// and needs no `Seek` (offsets are counted as bytes are written).
pub struct ParquetWriter<W: Write> {
    out: BufWriter<W>,
    /// Bytes written so far: the offset of the next byte.
    pos: u64,
    schema: Vec<Column>,
    options: ParquetOptions,
    columns: Vec<ColumnBuf>,
    /// Rows in the row group being buffered.
    group_rows: usize,
    row_groups: Vec<RowGroupMeta>,
    rows: u64,
    compressor: Option<zstd::bulk::Compressor<'static>>,
    scratch: Vec<u8>,
}

impl<W: Write> ParquetWriter<W> {
    /// A writer for `schema` onto `out`; writes the leading magic.
    pub fn new(schema: Vec<Column>, out: W, options: ParquetOptions) -> io::Result<Self> {
        check_schema(&schema)?;
        let options = ParquetOptions {
            row_group_rows: options.row_group_rows.max(1),
            row_group_bytes: options.row_group_bytes.max(1),
            page_bytes: options.page_bytes.clamp(1, MAX_PAGE_BYTES),
            page_rows: options.page_rows.clamp(1, i32::MAX as usize),
            ..options
        };
        let compressor = match options.compression {
            Compression::None => None,
            Compression::Zstd(level) => Some(zstd::bulk::Compressor::new(level)?),
        };
        let columns = schema.iter().map(ColumnBuf::new).collect();
        let mut out = BufWriter::new(out);
        out.write_all(b"PAR1")?;
        Ok(ParquetWriter {
            out,
            pos: 4,
            schema,
            options,
            columns,
            group_rows: 0,
            row_groups: Vec::new(),
            rows: 0,
            compressor,
            scratch: Vec::new(),
        })
    }

    /// Writes one row (see [`TableWriter::write_row`]).
    pub fn write_row(&mut self, row: &[Value<'_>]) -> io::Result<()> {
        check_row(&self.schema, row)?;
        for (c, v) in self.schema.iter().zip(row) {
            if let Value::Str(s) = v {
                if s.len() > MAX_STRING {
                    return Err(invalid(format!(
                        "column `{}`: a string of {} bytes is over the Parquet writer's limit of 1 GiB",
                        c.name,
                        s.len()
                    )));
                }
            }
        }
        // Nothing can fail from here until the row is in every column, so a
        // refused row never leaves the columns misaligned.
        for (col, v) in self.columns.iter_mut().zip(row) {
            col.push(v);
        }
        for col in &mut self.columns {
            if col.values.len() >= self.options.page_bytes || col.page_values >= self.options.page_rows {
                col.finish_page(&mut self.compressor, &mut self.scratch)?;
            }
        }
        self.group_rows += 1;
        self.rows += 1;
        if self.group_rows >= self.options.row_group_rows || self.buffered_bytes() >= self.options.row_group_bytes {
            self.flush_row_group()?;
        }
        Ok(())
    }

    fn buffered_bytes(&self) -> usize {
        self.columns.iter().map(|c| c.chunk.len() + c.values.len() + c.levels.len() / 8).sum()
    }

    /// Closes the open pages and writes the buffered row group, one column
    /// chunk after the other.
    fn flush_row_group(&mut self) -> io::Result<()> {
        if self.group_rows == 0 {
            return Ok(());
        }
        for col in &mut self.columns {
            col.finish_page(&mut self.compressor, &mut self.scratch)?;
        }
        let codec = if self.compressor.is_some() { meta::CODEC_ZSTD } else { meta::CODEC_UNCOMPRESSED };
        let file_offset = offset(self.pos)?;
        let mut chunks = Vec::with_capacity(self.columns.len());
        for col in &mut self.columns {
            let data_page_offset = offset(self.pos)?;
            self.out.write_all(&col.chunk)?;
            self.pos += col.chunk.len() as u64;
            chunks.push(ChunkMeta {
                codec,
                num_values: offset(col.chunk_values)?,
                total_uncompressed_size: offset(col.chunk_uncompressed)?,
                total_compressed_size: offset(col.chunk.len() as u64)?,
                data_page_offset,
                stats: col.take_stats(),
            });
            col.chunk.clear();
            col.chunk_uncompressed = 0;
            col.chunk_values = 0;
        }
        self.row_groups.push(RowGroupMeta { columns: chunks, num_rows: offset(self.group_rows as u64)?, file_offset });
        self.group_rows = 0;
        Ok(())
    }

    /// Writes the last row group and the footer, flushes, and returns the
    /// output.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.flush_row_group()?;
        let footer = meta::file_metadata(&self.schema, offset(self.rows)?, &self.row_groups, CREATED_BY);
        let len = u32::try_from(footer.len()).map_err(|_| invalid("the Parquet footer is over 4 GiB"))?;
        self.out.write_all(&footer)?;
        self.out.write_all(&len.to_le_bytes())?;
        self.out.write_all(b"PAR1")?;
        self.out.into_inner().map_err(io::IntoInnerError::into_error)
    }
}

impl<W: Write> TableWriter for ParquetWriter<W> {
    fn schema(&self) -> &[Column] {
        &self.schema
    }

    fn write_row(&mut self, row: &[Value<'_>]) -> io::Result<()> {
        ParquetWriter::write_row(self, row)
    }

    fn rows(&self) -> u64 {
        self.rows
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        self.into_inner()?.flush()
    }
}

/// A count or offset as the footer's i64 (never fails below 8 EiB).
fn offset(v: u64) -> io::Result<i64> {
    i64::try_from(v).map_err(|_| invalid("Parquet offset over i64"))
}

/// A page size as the page header's i32.
fn page_size(v: usize) -> io::Result<i32> {
    i32::try_from(v).map_err(|_| invalid("a Parquet page is over 2 GiB"))
}

/// Running minimum and maximum of a column chunk.
#[derive(Clone, Debug)]
enum MinMax {
    /// No non-null value yet (or only NaNs).
    Empty,
    Int(i64, i64),
    Float(f64, f64),
    Bool(bool, bool),
    Str(Vec<u8>, Vec<u8>),
}

/// One column of the row group being buffered.
struct ColumnBuf {
    nullable: bool,
    /// The open page's non-null values, PLAIN-encoded (booleans bit-packed,
    /// least significant bit first).
    values: Vec<u8>,
    /// Booleans in `values`.
    bools: usize,
    /// The open page's definition levels (nullable columns): 1 = value, 0 = null.
    levels: Vec<u32>,
    /// Rows in the open page, nulls included.
    page_values: usize,
    /// The chunk's finished pages: header and body, ready to write.
    chunk: Vec<u8>,
    /// Page headers plus uncompressed page bodies in `chunk`.
    chunk_uncompressed: u64,
    /// Rows in `chunk`.
    chunk_values: u64,
    nulls: u64,
    min_max: MinMax,
}

impl ColumnBuf {
    fn new(c: &Column) -> Self {
        ColumnBuf {
            nullable: c.nullable,
            values: Vec::new(),
            bools: 0,
            levels: Vec::new(),
            page_values: 0,
            chunk: Vec::new(),
            chunk_uncompressed: 0,
            chunk_values: 0,
            nulls: 0,
            min_max: MinMax::Empty,
        }
    }

    /// Appends a value already checked against the column.
    fn push(&mut self, v: &Value<'_>) {
        self.page_values += 1;
        if let Value::Null = v {
            self.levels.push(0);
            self.nulls += 1;
            return;
        }
        if self.nullable {
            self.levels.push(1);
        }
        match *v {
            Value::Null => {}
            Value::Int(i) => {
                self.values.extend_from_slice(&i.to_le_bytes());
                self.min_max = match self.min_max {
                    MinMax::Int(lo, hi) => MinMax::Int(lo.min(i), hi.max(i)),
                    _ => MinMax::Int(i, i),
                };
            }
            Value::Float(f) => {
                self.values.extend_from_slice(&f.to_le_bytes());
                // NaN has no place in an order: left out of min and max.
                if !f.is_nan() {
                    self.min_max = match self.min_max {
                        MinMax::Float(lo, hi) => {
                            MinMax::Float(if f < lo { f } else { lo }, if f > hi { f } else { hi })
                        }
                        _ => MinMax::Float(f, f),
                    };
                }
            }
            Value::Bool(b) => {
                if self.bools.is_multiple_of(8) {
                    self.values.push(0);
                }
                if b {
                    if let Some(last) = self.values.last_mut() {
                        *last |= 1 << (self.bools % 8);
                    }
                }
                self.bools += 1;
                self.min_max = match self.min_max {
                    MinMax::Bool(lo, hi) => MinMax::Bool(lo & b, hi | b),
                    _ => MinMax::Bool(b, b),
                };
            }
            Value::Str(s) => {
                // The length fits u32: check_row and MAX_STRING bound it.
                self.values.extend_from_slice(&(s.len() as u32).to_le_bytes());
                self.values.extend_from_slice(s.as_bytes());
                self.update_str_stats(s.as_bytes());
            }
        }
    }

    fn update_str_stats(&mut self, s: &[u8]) {
        // UTF-8 strings order as unsigned bytes (the STRING logical type's
        // order), which is how slices compare. The exact extremes are kept
        // whatever their length (a long one may be overtaken later); only
        // the footer leaves them out when long.
        match &mut self.min_max {
            MinMax::Str(lo, hi) => {
                if s < lo.as_slice() {
                    *lo = s.to_vec();
                } else if s > hi.as_slice() {
                    *hi = s.to_vec();
                }
            }
            _ => self.min_max = MinMax::Str(s.to_vec(), s.to_vec()),
        }
    }

    /// Closes the open page (if it has rows) into `chunk`: levels with their
    /// 4-byte length, then the values, compressed together (data page v1).
    fn finish_page(
        &mut self,
        compressor: &mut Option<zstd::bulk::Compressor<'static>>,
        scratch: &mut Vec<u8>,
    ) -> io::Result<()> {
        if self.page_values == 0 {
            return Ok(());
        }
        scratch.clear();
        if self.nullable {
            scratch.extend_from_slice(&[0; 4]);
            rle::encode_hybrid(&self.levels, 1, scratch);
            let len = page_size(scratch.len() - 4)?;
            scratch[..4].copy_from_slice(&len.to_le_bytes());
        }
        scratch.extend_from_slice(&self.values);
        let uncompressed = scratch.len();
        let compressed;
        let body: &[u8] = match compressor {
            Some(c) => {
                compressed = c.compress(scratch)?;
                &compressed
            }
            None => scratch,
        };
        let header =
            meta::data_page_header(page_size(uncompressed)?, page_size(body.len())?, page_size(self.page_values)?);
        self.chunk.extend_from_slice(&header);
        self.chunk.extend_from_slice(body);
        self.chunk_uncompressed += (header.len() + uncompressed) as u64;
        self.chunk_values += self.page_values as u64;
        self.values.clear();
        self.levels.clear();
        self.bools = 0;
        self.page_values = 0;
        Ok(())
    }

    /// The chunk's statistics, PLAIN-encoded; resets them for the next chunk.
    fn take_stats(&mut self) -> Stats {
        let min_max = match std::mem::replace(&mut self.min_max, MinMax::Empty) {
            MinMax::Int(lo, hi) => Some((lo.to_le_bytes().to_vec(), hi.to_le_bytes().to_vec())),
            MinMax::Float(lo, hi) => {
                // The spec: a zero minimum is written -0.0 and a zero maximum
                // +0.0, since the chunk may hold zeros of either sign.
                let lo = if lo == 0.0 { -0.0 } else { lo };
                let hi = if hi == 0.0 { 0.0 } else { hi };
                Some((lo.to_le_bytes().to_vec(), hi.to_le_bytes().to_vec()))
            }
            MinMax::Bool(lo, hi) => Some((vec![u8::from(lo)], vec![u8::from(hi)])),
            MinMax::Str(lo, hi) if lo.len() <= MAX_STAT_BYTES && hi.len() <= MAX_STAT_BYTES => Some((lo, hi)),
            MinMax::Str(..) | MinMax::Empty => None,
        };
        let null_count = std::mem::take(&mut self.nulls) as i64;
        Stats { null_count, min_max }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ColumnType;

    fn write(schema: Vec<Column>, rows: &[Vec<Value<'_>>], options: ParquetOptions) -> Vec<u8> {
        let mut w = ParquetWriter::new(schema, Vec::new(), options).unwrap();
        for r in rows {
            w.write_row(r).unwrap();
        }
        w.into_inner().unwrap()
    }

    fn uncompressed() -> ParquetOptions {
        ParquetOptions { compression: Compression::None, ..ParquetOptions::default() }
    }

    #[test]
    fn one_nullable_int_column_byte_for_byte() {
        // Rows 7, null, -1 in one OPTIONAL INT64 column, uncompressed.
        let schema = vec![Column::optional("n", ColumnType::Int64, "")];
        let rows = [vec![Value::Int(7)], vec![Value::Null], vec![Value::Int(-1)]];
        let file = write(schema, &rows, uncompressed());
        assert_eq!(&file[..4], b"PAR1");
        // The page body: levels 1 0 1 as one bit-packed group (03 05) with
        // their u32 length (2), then the two values.
        let mut body = vec![2, 0, 0, 0, 0x03, 0b101];
        body.extend(7i64.to_le_bytes());
        body.extend((-1i64).to_le_bytes());
        let header = meta::data_page_header(body.len() as i32, body.len() as i32, 3);
        assert_eq!(&file[4..4 + header.len()], header);
        assert_eq!(&file[4 + header.len()..4 + header.len() + body.len()], body);
        // The footer: its length, then the magic.
        let n = file.len();
        assert_eq!(&file[n - 4..], b"PAR1");
        let footer_len = u32::from_le_bytes(file[n - 8..n - 4].try_into().unwrap()) as usize;
        let chunk_len = header.len() + body.len();
        assert_eq!(4 + chunk_len + footer_len + 8, n);
        let schema = vec![Column::optional("n", ColumnType::Int64, "")];
        let group = RowGroupMeta {
            columns: vec![ChunkMeta {
                codec: meta::CODEC_UNCOMPRESSED,
                num_values: 3,
                total_uncompressed_size: chunk_len as i64,
                total_compressed_size: chunk_len as i64,
                data_page_offset: 4,
                stats: Stats {
                    null_count: 1,
                    min_max: Some(((-1i64).to_le_bytes().to_vec(), 7i64.to_le_bytes().to_vec())),
                },
            }],
            num_rows: 3,
            file_offset: 4,
        };
        assert_eq!(&file[n - 8 - footer_len..n - 8], meta::file_metadata(&schema, 3, &[group], CREATED_BY));
    }

    #[test]
    fn booleans_are_bit_packed_lsb_first() {
        let schema = vec![Column::required("b", ColumnType::Bool, "")];
        let bits = [true, false, true, true, false, false, false, false, true, true];
        let rows: Vec<_> = bits.iter().map(|&b| vec![Value::Bool(b)]).collect();
        let file = write(schema, &rows, uncompressed());
        let header = meta::data_page_header(2, 2, 10);
        assert_eq!(&file[4..4 + header.len()], header);
        assert_eq!(&file[4 + header.len()..6 + header.len()], [0b0000_1101, 0b0000_0011]);
    }

    #[test]
    fn same_rows_same_bytes_and_row_groups_split() {
        let schema =
            || vec![Column::optional("s", ColumnType::Utf8, ""), Column::required("f", ColumnType::Float64, "")];
        let texts: Vec<String> = (0..1000).map(|i| format!("ligne {i} é")).collect();
        let rows: Vec<_> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| vec![if i % 3 == 0 { Value::Null } else { Value::Str(t) }, Value::Float(i as f64 / 7.0)])
            .collect();
        let options = ParquetOptions { row_group_rows: 300, page_rows: 70, ..ParquetOptions::default() };
        let a = write(schema(), &rows, options.clone());
        let b = write(schema(), &rows, options);
        assert_eq!(a, b);
        let mut w =
            ParquetWriter::new(schema(), Vec::new(), ParquetOptions { row_group_rows: 300, ..Default::default() })
                .unwrap();
        for r in &rows {
            w.write_row(r).unwrap();
        }
        assert_eq!(w.row_groups.len(), 3);
        assert_eq!(w.group_rows, 100);
    }

    #[test]
    fn refused_rows_leave_the_columns_aligned() {
        let schema = vec![Column::optional("a", ColumnType::Int64, ""), Column::required("b", ColumnType::Utf8, "")];
        let mut w = ParquetWriter::new(schema, Vec::new(), uncompressed()).unwrap();
        w.write_row(&[Value::Int(1), Value::Str("x")]).unwrap();
        let e = w.write_row(&[Value::Int(2), Value::Null]).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        assert!(w.write_row(&[Value::Str("2"), Value::Str("y")]).is_err());
        assert!(w.write_row(&[Value::Int(2)]).is_err());
        assert_eq!(w.columns[0].page_values, 1);
        assert_eq!(w.columns[1].page_values, 1);
        assert_eq!(w.rows, 1);
    }

    #[test]
    fn statistics() {
        let mut c = ColumnBuf::new(&Column::optional("f", ColumnType::Float64, ""));
        for v in [Value::Float(0.0), Value::Null, Value::Float(f64::NAN), Value::Float(-0.0)] {
            c.push(&v);
        }
        let s = c.take_stats();
        assert_eq!(s.null_count, 1);
        assert_eq!(s.min_max, Some(((-0.0f64).to_le_bytes().to_vec(), 0.0f64.to_le_bytes().to_vec())));
        // Only NaN: no min or max.
        c.push(&Value::Float(f64::NAN));
        assert_eq!(c.take_stats(), Stats { null_count: 0, min_max: None });

        let mut c = ColumnBuf::new(&Column::required("s", ColumnType::Utf8, ""));
        for s in ["b", "é", "a", "ab"] {
            c.push(&Value::Str(s));
        }
        assert_eq!(c.take_stats().min_max, Some((b"a".to_vec(), "é".as_bytes().to_vec())));
        let long = "z".repeat(MAX_STAT_BYTES + 1);
        for s in ["b", long.as_str(), "c"] {
            c.push(&Value::Str(s));
        }
        assert_eq!(c.take_stats().min_max, None);
        // A long string that is neither the minimum nor the maximum, or that
        // is overtaken later, is fine.
        let mid = "m".repeat(MAX_STAT_BYTES + 1);
        for s in [mid.as_str(), "a", "z"] {
            c.push(&Value::Str(s));
        }
        assert_eq!(c.take_stats().min_max, Some((b"a".to_vec(), b"z".to_vec())));

        let mut c = ColumnBuf::new(&Column::required("b", ColumnType::Bool, ""));
        c.push(&Value::Bool(true));
        c.push(&Value::Bool(false));
        assert_eq!(c.take_stats().min_max, Some((vec![0], vec![1])));
    }

    #[test]
    fn empty_table_is_a_valid_file() {
        let file = write(vec![Column::required("a", ColumnType::Int64, "")], &[], ParquetOptions::default());
        assert_eq!(&file[..4], b"PAR1");
        assert_eq!(&file[file.len() - 4..], b"PAR1");
    }
}
