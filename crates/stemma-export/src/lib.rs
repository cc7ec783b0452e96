//! stemma's table exports: flat tables written as JSONL, CSV or Parquet, for
//! pandas, R, DuckDB or Spark.
//!
//! A table is a schema (a list of [`Column`]s, each with a [`ColumnType`],
//! a nullability and a line of documentation) and rows of [`Value`]s given
//! one at a time to a [`TableWriter`]. Writers stream: JSONL and CSV write
//! each row as it comes; Parquet keeps one row group in memory (at most
//! [`ParquetOptions::row_group_rows`] rows or about
//! [`ParquetOptions::row_group_bytes`] bytes, compressed pages) and writes it
//! out when it is full, so memory stays constant whatever the table's size.
//!
//! ```text
//! lib.rs            the model (columns, values, formats), row checks, writer()
//! jsonl.rs          one JSON object per line
//! csv.rs            RFC 4180 CSV with a header row
//! parquet/mod.rs    the Parquet writer: pages, column chunks, row groups, footer
//! parquet/meta.rs   the footer and page-header structs, Thrift-encoded
//! parquet/thrift.rs the Thrift compact-protocol encoder
//! parquet/rle.rs    the RLE / bit-packed hybrid encoding of definition levels
//! ```
//!
//! Parquet is written by this crate rather than by the `parquet` and `arrow`
//! crates, whose clean build costs 4–5 minutes on a 2-core machine; flat
//! tables of four types need a small part of the format. Output is
//! deterministic: the same rows give the same bytes, in every format (for
//! ZSTD-compressed Parquet, with the same zstd library version).
//!
//! A row with the wrong number of values, a value of the wrong type or a
//! null in a non-nullable column is refused with an
//! [`io::ErrorKind::InvalidInput`] error naming the column; nothing of that
//! row is written and the writer can go on with the next row.

#![warn(missing_docs)]

mod csv;
mod jsonl;
mod parquet;

pub use crate::csv::CsvWriter;
pub use crate::jsonl::JsonlWriter;
pub use crate::parquet::{Compression, ParquetOptions, ParquetWriter};

use std::fmt;
use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::str::FromStr;

/// The type of a column's values. Names follow Arrow: they are what pandas,
/// R (arrow) and DuckDB show for the Parquet columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ColumnType {
    /// 64-bit signed integer (Parquet INT64).
    Int64,
    /// 64-bit IEEE float (Parquet DOUBLE).
    Float64,
    /// Boolean (Parquet BOOLEAN).
    Bool,
    /// UTF-8 text (Parquet BYTE_ARRAY annotated STRING / UTF8).
    Utf8,
}

impl ColumnType {
    /// The type's name in messages and documentation: `int64`, `float64`,
    /// `bool`, `string`.
    pub fn name(self) -> &'static str {
        match self {
            ColumnType::Int64 => "int64",
            ColumnType::Float64 => "float64",
            ColumnType::Bool => "bool",
            ColumnType::Utf8 => "string",
        }
    }
}

impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One column of a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// The column's name: CSV header, JSON key, Parquet field name.
    pub name: String,
    /// The type of its values.
    pub ty: ColumnType,
    /// Whether it may hold [`Value::Null`].
    pub nullable: bool,
    /// One line saying what the column holds (for the tables' documentation,
    /// see [`schema_markdown`]; not stored in the files).
    pub doc: String,
}

impl Column {
    /// A column that never holds nulls.
    pub fn required(name: impl Into<String>, ty: ColumnType, doc: impl Into<String>) -> Self {
        Column { name: name.into(), ty, nullable: false, doc: doc.into() }
    }

    /// A column that may hold nulls.
    pub fn optional(name: impl Into<String>, ty: ColumnType, doc: impl Into<String>) -> Self {
        Column { name: name.into(), ty, nullable: true, doc: doc.into() }
    }
}

/// One value of a row. Strings are borrowed, so a row can be built from the
/// caller's data without copying.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value<'a> {
    /// Missing (only in nullable columns).
    Null,
    /// For [`ColumnType::Int64`] columns.
    Int(i64),
    /// For [`ColumnType::Float64`] columns. NaN and infinities are kept in
    /// CSV (`NaN`, `inf`, `-inf`) and Parquet; JSON has no such numbers, so
    /// JSONL writes them as `null`.
    Float(f64),
    /// For [`ColumnType::Bool`] columns.
    Bool(bool),
    /// For [`ColumnType::Utf8`] columns.
    Str(&'a str),
}

impl Value<'_> {
    /// The name of the value's kind, for error messages.
    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Bool(_) => "a bool",
            Value::Str(_) => "a string",
        }
    }
}

impl From<i64> for Value<'_> {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

impl From<i32> for Value<'_> {
    fn from(v: i32) -> Self {
        Value::Int(i64::from(v))
    }
}

impl From<u32> for Value<'_> {
    fn from(v: u32) -> Self {
        Value::Int(i64::from(v))
    }
}

impl From<f64> for Value<'_> {
    fn from(v: f64) -> Self {
        Value::Float(v)
    }
}

impl From<bool> for Value<'_> {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(v: &'a str) -> Self {
        Value::Str(v)
    }
}

impl<'a> From<&'a String> for Value<'a> {
    fn from(v: &'a String) -> Self {
        Value::Str(v)
    }
}

impl<'a, T: Into<Value<'a>>> From<Option<T>> for Value<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// One JSON object per line, keys in schema order, nulls as `null`.
    Jsonl,
    /// RFC 4180 CSV: a header row, CRLF line ends, nulls as empty fields.
    Csv,
    /// Apache Parquet.
    Parquet,
}

impl Format {
    /// The format a file name asks for, by its extension (any case):
    /// `.jsonl`, `.ndjson` and `.json` → JSONL, `.csv` → CSV, `.parquet` and
    /// `.pq` → Parquet; `None` for anything else.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?;
        ext.parse().ok()
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

impl FromStr for Format {
    type Err = String;

    /// Parses a format name or extension (`jsonl`, `json`, `ndjson`, `csv`,
    /// `parquet`, `pq`; any case), e.g. from a `--format` flag.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "jsonl" | "ndjson" | "json" => Ok(Format::Jsonl),
            "csv" => Ok(Format::Csv),
            "parquet" | "pq" => Ok(Format::Parquet),
            _ => Err(format!("unknown table format `{s}`: use jsonl, csv or parquet")),
        }
    }
}

/// Writes the rows of one table. Call [`TableWriter::finish`] at the end: a
/// Parquet file is only readable once its footer is written, and buffered
/// rows are only flushed then.
pub trait TableWriter {
    /// The table's columns.
    fn schema(&self) -> &[Column];

    /// Writes one row, one value per column in schema order. A row that does
    /// not fit the schema is refused with [`io::ErrorKind::InvalidInput`]
    /// and a message naming the column; nothing of it is written. After any
    /// other error the output is unusable.
    fn write_row(&mut self, row: &[Value<'_>]) -> io::Result<()>;

    /// The number of rows written so far.
    fn rows(&self) -> u64;

    /// Writes what is buffered (and the Parquet footer) and flushes the output.
    fn finish(self: Box<Self>) -> io::Result<()>;
}

/// A writer of `format` for a table of `schema` onto `out`, with default
/// Parquet options. `out` needs no buffering of its own. Fails with
/// [`io::ErrorKind::InvalidInput`] if the schema is empty or has an empty or
/// repeated column name.
pub fn writer<W: Write + Send + 'static>(
    format: Format,
    schema: Vec<Column>,
    out: W,
) -> io::Result<Box<dyn TableWriter + Send>> {
    writer_with_options(format, schema, out, &ParquetOptions::default())
}

/// [`writer`] with Parquet options (ignored by JSONL and CSV).
pub fn writer_with_options<W: Write + Send + 'static>(
    format: Format,
    schema: Vec<Column>,
    out: W,
    options: &ParquetOptions,
) -> io::Result<Box<dyn TableWriter + Send>> {
    Ok(match format {
        Format::Jsonl => Box::new(JsonlWriter::new(schema, out)?),
        Format::Csv => Box::new(CsvWriter::new(schema, out)?),
        Format::Parquet => Box::new(ParquetWriter::new(schema, out, options.clone())?),
    })
}

/// Creates the file `path` (replacing it) and a writer of the format its
/// extension names (see [`Format::from_path`]). Errors name the path.
pub fn create(path: &Path, schema: Vec<Column>) -> io::Result<Box<dyn TableWriter + Send>> {
    let format = Format::from_path(path).ok_or_else(|| {
        invalid(format!(
            "{}: cannot tell the table format from the extension: use .jsonl, .csv or .parquet",
            path.display()
        ))
    })?;
    check_schema(&schema)?;
    let file = File::create(path).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    writer(format, schema, file)
}

/// A Markdown table documenting `schema`: name, type, whether it may be
/// null, and the column's documentation.
pub fn schema_markdown(schema: &[Column]) -> String {
    let mut s = String::from("| column | type | nullable | description |\n|---|---|---|---|\n");
    for c in schema {
        let doc = c.doc.replace('|', "\\|").replace('\n', " ");
        s.push_str(&format!("| `{}` | {} | {} | {} |\n", c.name, c.ty, if c.nullable { "yes" } else { "no" }, doc));
    }
    s
}

/// An [`io::ErrorKind::InvalidInput`] error with `msg`.
pub(crate) fn invalid(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg.into())
}

/// Refuses schemas no format can hold: no columns, or names that are empty
/// or repeated (JSON objects and Parquet schemas need distinct names).
pub(crate) fn check_schema(schema: &[Column]) -> io::Result<()> {
    if schema.is_empty() {
        return Err(invalid("a table needs at least one column"));
    }
    for (i, c) in schema.iter().enumerate() {
        if c.name.is_empty() {
            return Err(invalid(format!("column {} has an empty name", i + 1)));
        }
        if schema[..i].iter().any(|d| d.name == c.name) {
            return Err(invalid(format!("column `{}` appears twice in the schema", c.name)));
        }
    }
    Ok(())
}

/// Checks that `row` fits `schema`: one value per column, of the column's
/// type, null only where the column is nullable. Writers call it before
/// writing anything of the row.
pub(crate) fn check_row(schema: &[Column], row: &[Value<'_>]) -> io::Result<()> {
    if row.len() != schema.len() {
        return Err(invalid(format!("a row has {} values but the table has {} columns", row.len(), schema.len())));
    }
    for (c, v) in schema.iter().zip(row) {
        let ok = matches!(
            (c.ty, v),
            (ColumnType::Int64, Value::Int(_))
                | (ColumnType::Float64, Value::Float(_))
                | (ColumnType::Bool, Value::Bool(_))
                | (ColumnType::Utf8, Value::Str(_))
        );
        if !ok {
            if matches!(v, Value::Null) {
                if c.nullable {
                    continue;
                }
                return Err(invalid(format!("column `{}` is not nullable but got null", c.name)));
            }
            return Err(invalid(format!("column `{}` ({}) got {}", c.name, c.ty, v.kind())));
        }
    }
    Ok(())
}

/// Formats a float the same way in CSV and JSONL: the shortest text that
/// reads back to the same bits (Rust's `Debug`: `0.1`, `1.0`, `-0.0`,
/// `1e300`, `1.5e-7`), which is also a valid JSON number when finite;
/// `NaN`, `inf` and `-inf` otherwise.
pub(crate) fn write_float(out: &mut Vec<u8>, v: f64) {
    // Writing into a Vec cannot fail.
    let _ = write!(out, "{v:?}");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Vec<Column> {
        vec![
            Column::required("id", ColumnType::Int64, "row id"),
            Column::optional("score", ColumnType::Float64, "a | score"),
            Column::required("text", ColumnType::Utf8, "text"),
        ]
    }

    #[test]
    fn formats_from_paths_and_names() {
        assert_eq!(Format::from_path(Path::new("out/pairs.JSONL")), Some(Format::Jsonl));
        assert_eq!(Format::from_path(Path::new("a.json")), Some(Format::Jsonl));
        assert_eq!(Format::from_path(Path::new("a.csv")), Some(Format::Csv));
        assert_eq!(Format::from_path(Path::new("a.parquet")), Some(Format::Parquet));
        assert_eq!(Format::from_path(Path::new("a.pq")), Some(Format::Parquet));
        assert_eq!(Format::from_path(Path::new("a.txt")), None);
        assert_eq!(Format::from_path(Path::new("parquet")), None);
        assert_eq!("CSV".parse::<Format>(), Ok(Format::Csv));
        assert!("xlsx".parse::<Format>().unwrap_err().contains("jsonl, csv or parquet"));
    }

    #[test]
    fn rows_are_checked_against_the_schema() {
        let s = schema();
        assert!(check_row(&s, &[Value::Int(1), Value::Null, Value::Str("")]).is_ok());
        let e = check_row(&s, &[Value::Int(1)]).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(e.to_string(), "a row has 1 values but the table has 3 columns");
        let e = check_row(&s, &[Value::Int(1), Value::Int(2), Value::Str("")]).unwrap_err();
        assert_eq!(e.to_string(), "column `score` (float64) got an integer");
        let e = check_row(&s, &[Value::Int(1), Value::Null, Value::Null]).unwrap_err();
        assert_eq!(e.to_string(), "column `text` is not nullable but got null");
    }

    #[test]
    fn schemas_are_checked() {
        assert!(check_schema(&[]).is_err());
        let mut s = schema();
        s.push(Column::required("id", ColumnType::Bool, ""));
        assert_eq!(check_schema(&s).unwrap_err().to_string(), "column `id` appears twice in the schema");
        let e = writer(Format::Parquet, vec![Column::required("", ColumnType::Bool, "")], Vec::new()).err().unwrap();
        assert_eq!(e.to_string(), "column 1 has an empty name");
    }

    #[test]
    fn values_from_rust_types() {
        assert_eq!(Value::from(Some(3i32)), Value::Int(3));
        assert_eq!(Value::from(None::<&str>), Value::Null);
        assert_eq!(Value::from("a"), Value::Str("a"));
        assert_eq!(Value::from(&String::from("b")), Value::Str("b"));
    }

    #[test]
    fn floats_read_back_exactly() {
        for v in [0.1, 1.0, -0.0, 1e300, 1.5e-7, 1e16, f64::MIN_POSITIVE, f64::MAX, 123456.789] {
            let mut s = Vec::new();
            write_float(&mut s, v);
            let text = String::from_utf8(s).unwrap();
            assert_eq!(text.parse::<f64>().unwrap().to_bits(), v.to_bits(), "{text}");
            // Finite floats are valid JSON numbers.
            assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok(), "{text}");
        }
        let mut s = Vec::new();
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            write_float(&mut s, v);
            s.push(b' ');
        }
        assert_eq!(s, b"NaN inf -inf ");
    }

    #[test]
    fn markdown_documents_the_schema() {
        let md = schema_markdown(&schema());
        assert!(md.contains("| `score` | float64 | yes | a \\| score |\n"), "{md}");
    }
}
