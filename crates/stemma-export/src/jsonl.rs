//! JSONL: one JSON object per line, `\n`-terminated.
//!
//! Every row has every key, in schema order, and a null is written as
//! `null` rather than left out, so that readers inferring a schema from the
//! first lines (DuckDB's `read_json`, pandas) see all columns. Strings are
//! escaped by serde_json (non-ASCII text stays as UTF-8); floats use the
//! shortest text that reads back to the same number, and NaN or infinities,
//! which JSON cannot express, become `null`.

use crate::{check_row, check_schema, write_float, Column, TableWriter, Value};
use std::io::{self, BufWriter, Write};

/// A JSONL table writer. Buffered: `out` needs no buffering of its own.
pub struct JsonlWriter<W: Write> {
    out: BufWriter<W>,
    schema: Vec<Column>,
    /// Per column, `{"name":` or `,"name":` with the name escaped once.
    keys: Vec<Vec<u8>>,
    line: Vec<u8>,
    rows: u64,
}

impl<W: Write> JsonlWriter<W> {
    /// A writer for `schema` onto `out`.
    pub fn new(schema: Vec<Column>, out: W) -> io::Result<Self> {
        check_schema(&schema)?;
        let mut keys = Vec::with_capacity(schema.len());
        for (i, c) in schema.iter().enumerate() {
            let mut k = vec![if i == 0 { b'{' } else { b',' }];
            json_string(&mut k, &c.name)?;
            k.push(b':');
            keys.push(k);
        }
        Ok(JsonlWriter { out: BufWriter::new(out), schema, keys, line: Vec::new(), rows: 0 })
    }

    /// Writes one row (see [`TableWriter::write_row`]).
    pub fn write_row(&mut self, row: &[Value<'_>]) -> io::Result<()> {
        check_row(&self.schema, row)?;
        // The line is built whole, then written, so a failure half-way
        // through a row never leaves half a line.
        let line = &mut self.line;
        line.clear();
        for (key, v) in self.keys.iter().zip(row) {
            line.extend_from_slice(key);
            match *v {
                Value::Null => line.extend_from_slice(b"null"),
                Value::Int(i) => write!(line, "{i}")?,
                Value::Float(f) if f.is_finite() => write_float(line, f),
                Value::Float(_) => line.extend_from_slice(b"null"),
                Value::Bool(b) => line.extend_from_slice(if b { b"true" } else { b"false" }),
                Value::Str(s) => json_string(line, s)?,
            }
        }
        line.extend_from_slice(b"}\n");
        self.out.write_all(line)?;
        self.rows += 1;
        Ok(())
    }

    /// Flushes and returns the output.
    pub fn into_inner(self) -> io::Result<W> {
        self.out.into_inner().map_err(io::IntoInnerError::into_error)
    }
}

/// Appends `s` as a JSON string literal.
fn json_string(out: &mut Vec<u8>, s: &str) -> io::Result<()> {
    serde_json::to_writer(out, s).map_err(io::Error::other)
}

impl<W: Write> TableWriter for JsonlWriter<W> {
    fn schema(&self) -> &[Column] {
        &self.schema
    }

    fn write_row(&mut self, row: &[Value<'_>]) -> io::Result<()> {
        JsonlWriter::write_row(self, row)
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
    fn writes_one_object_per_line() {
        let schema = vec![
            Column::required("id", ColumnType::Int64, ""),
            Column::optional("x\"y", ColumnType::Float64, ""),
            Column::optional("ok", ColumnType::Bool, ""),
            Column::optional("text", ColumnType::Utf8, ""),
        ];
        let mut w = JsonlWriter::new(schema, Vec::new()).unwrap();
        w.write_row(&[Value::Int(-7), Value::Float(0.5), Value::Bool(true), Value::Str("é \"q\"\n\u{1F600}\\")])
            .unwrap();
        w.write_row(&[Value::Int(i64::MIN), Value::Null, Value::Null, Value::Null]).unwrap();
        w.write_row(&[Value::Int(0), Value::Float(f64::NAN), Value::Bool(false), Value::Str("")]).unwrap();
        // A refused row writes nothing.
        assert!(w.write_row(&[Value::Null, Value::Null, Value::Null, Value::Null]).is_err());
        w.write_row(&[Value::Int(1), Value::Float(-0.0), Value::Null, Value::Str("\u{0}\t")]).unwrap();
        let out = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(
            out,
            concat!(
                "{\"id\":-7,\"x\\\"y\":0.5,\"ok\":true,\"text\":\"é \\\"q\\\"\\n\u{1F600}\\\\\"}\n",
                "{\"id\":-9223372036854775808,\"x\\\"y\":null,\"ok\":null,\"text\":null}\n",
                "{\"id\":0,\"x\\\"y\":null,\"ok\":false,\"text\":\"\"}\n",
                "{\"id\":1,\"x\\\"y\":-0.0,\"ok\":null,\"text\":\"\\u0000\\t\"}\n",
            )
        );
        for line in out.lines() {
            assert!(serde_json::from_str::<serde_json::Value>(line).is_ok(), "{line}");
        }
    }
}
