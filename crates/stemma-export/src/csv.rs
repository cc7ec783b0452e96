//! CSV as RFC 4180 defines it: a header row of column names, CRLF after
//! every record, fields separated by commas.
//!
//! A field is quoted when it holds a comma, a double quote, CR or LF (quotes
//! doubled inside). Nulls are empty fields; empty strings are written `""`
//! so that readers able to tell the two apart can (pyarrow's CSV reader does
//! by default, DuckDB with `allow_quoted_nulls=false`; Python's csv module
//! and DuckDB's default read both as empty or both as null). Bools
//! are `true`/`false`; floats are the shortest text that reads back to the
//! same number, with `NaN`, `inf` and `-inf` (which pandas, R and DuckDB
//! all read as floats).
//!
//! Text is written as it is, a field starting with `=`, `+`, `-` or `@`
//! included: a data file must read back to the values it was given, and
//! prefixing such fields (the spreadsheet-formula defence) would change
//! them for every reader. The README tells spreadsheet users to import the
//! file as text instead.

use crate::{check_row, check_schema, write_float, Column, TableWriter, Value};
use std::io::{self, BufWriter, Write};

/// A CSV table writer. Buffered: `out` needs no buffering of its own.
pub struct CsvWriter<W: Write> {
    out: BufWriter<W>,
    schema: Vec<Column>,
    line: Vec<u8>,
    rows: u64,
}

impl<W: Write> CsvWriter<W> {
    /// A writer for `schema` onto `out`; writes the header row.
    pub fn new(schema: Vec<Column>, out: W) -> io::Result<Self> {
        check_schema(&schema)?;
        let mut line = Vec::new();
        for (i, c) in schema.iter().enumerate() {
            if i > 0 {
                line.push(b',');
            }
            field(&mut line, &c.name);
        }
        line.extend_from_slice(b"\r\n");
        let mut out = BufWriter::new(out);
        out.write_all(&line)?;
        Ok(CsvWriter { out, schema, line, rows: 0 })
    }

    /// Writes one row (see [`TableWriter::write_row`]).
    pub fn write_row(&mut self, row: &[Value<'_>]) -> io::Result<()> {
        check_row(&self.schema, row)?;
        let line = &mut self.line;
        line.clear();
        for (i, v) in row.iter().enumerate() {
            if i > 0 {
                line.push(b',');
            }
            match *v {
                Value::Null => {}
                Value::Int(n) => write!(line, "{n}")?,
                Value::Float(f) => write_float(line, f),
                Value::Bool(b) => line.extend_from_slice(if b { b"true" } else { b"false" }),
                Value::Str("") => line.extend_from_slice(b"\"\""),
                Value::Str(s) => field(line, s),
            }
        }
        line.extend_from_slice(b"\r\n");
        self.out.write_all(line)?;
        self.rows += 1;
        Ok(())
    }

    /// Flushes and returns the output.
    pub fn into_inner(self) -> io::Result<W> {
        self.out.into_inner().map_err(io::IntoInnerError::into_error)
    }
}

/// Appends `s` as one CSV field, quoted when RFC 4180 requires it.
fn field(out: &mut Vec<u8>, s: &str) {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n')) {
        out.push(b'"');
        for b in s.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(s.as_bytes());
    }
}

impl<W: Write> TableWriter for CsvWriter<W> {
    fn schema(&self) -> &[Column] {
        &self.schema
    }

    fn write_row(&mut self, row: &[Value<'_>]) -> io::Result<()> {
        CsvWriter::write_row(self, row)
    }

    fn rows(&self) -> u64 {
        self.rows
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        self.into_inner()?.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ColumnType;

    #[test]
    fn quotes_what_rfc_4180_requires() {
        let schema = vec![
            Column::required("id", ColumnType::Int64, ""),
            Column::optional("a,b", ColumnType::Utf8, ""),
            Column::optional("f", ColumnType::Float64, ""),
            Column::optional("ok", ColumnType::Bool, ""),
        ];
        let mut w = CsvWriter::new(schema, Vec::new()).unwrap();
        w.write_row(&[Value::Int(1), Value::Str("plain é"), Value::Float(1.5), Value::Bool(true)]).unwrap();
        w.write_row(&[Value::Int(2), Value::Str("say \"hi\", then\r\nleave"), Value::Null, Value::Null]).unwrap();
        w.write_row(&[Value::Int(3), Value::Str(""), Value::Float(f64::NEG_INFINITY), Value::Bool(false)]).unwrap();
        assert!(w.write_row(&[Value::Int(4), Value::Int(4), Value::Null, Value::Null]).is_err());
        w.write_row(&[Value::Int(-4), Value::Null, Value::Float(f64::NAN), Value::Null]).unwrap();
        let out = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(
            out,
            concat!(
                "id,\"a,b\",f,ok\r\n",
                "1,plain é,1.5,true\r\n",
                "2,\"say \"\"hi\"\", then\r\nleave\",,\r\n",
                "3,\"\",-inf,false\r\n",
                "-4,,NaN,\r\n",
            )
        );
    }
}
