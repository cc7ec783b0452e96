//! CSV and TSV with a header row (RFC 4180: fields in double quotes may hold
//! delimiters, `""` quotes and newlines).
//!
//! A small parser of our own rather than the csv crate: it keeps at most
//! `max_record_bytes` of a row while still finding the row's end (so a
//! runaway quote cannot take all memory), and it knows the line each row
//! starts on, for messages.

use super::input::{one, read_error, too_large, Context, Records, Stream};
use super::jsonl::record_from_map;
use super::{Item, SkipReason, Skipped};
use serde_json::{Map, Value};
use std::io::{self, BufRead};
use std::sync::Arc;

/// One row: the bytes of its fields (cut at the size limit) and where each
/// field ends.
#[derive(Debug, Default)]
struct Row {
    buf: Vec<u8>,
    ends: Vec<usize>,
    /// The line the row starts on (1-based).
    line: u64,
    /// The row's full size in bytes, even past the limit.
    size: u64,
    /// The file ended inside a quoted field.
    unclosed: bool,
}

impl Row {
    fn fields(&self) -> impl Iterator<Item = &[u8]> {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let f = &self.buf[start.min(end)..end];
            start = end;
            f
        })
    }

    fn is_blank(&self) -> bool {
        self.ends.len() == 1 && self.buf.is_empty() && !self.unclosed
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    /// Just after a `"` inside a quoted field: either `""` or the end of
    /// the quotes.
    QuoteInQuoted,
}

/// Reads rows from a stream.
struct Rows {
    stream: Stream,
    delimiter: u8,
    /// The line the next byte is on.
    line: u64,
    max: usize,
}

/// Appends to a row's bytes, up to `max` of them.
fn push(row: &mut Row, max: usize, bytes: &[u8]) {
    let room = max.saturating_sub(row.buf.len());
    row.buf.extend_from_slice(&bytes[..bytes.len().min(room)]);
}

impl Rows {
    /// Reads the next row into `row`; `false` at the end of the stream.
    fn read(&mut self, row: &mut Row) -> io::Result<bool> {
        let Rows { stream, delimiter, line, max } = self;
        let (delimiter, max) = (*delimiter, *max);
        row.buf.clear();
        row.ends.clear();
        row.line = *line;
        row.size = 0;
        row.unclosed = false;
        let mut state = State::FieldStart;
        let mut any = false;
        // A `\r` outside quotes, kept back until we know whether `\n` follows.
        let mut cr = false;
        loop {
            let chunk = match stream.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                if !any {
                    return Ok(false);
                }
                row.unclosed = state == State::Quoted;
                row.ends.push(row.buf.len());
                return Ok(true);
            }
            any = true;
            let mut i = 0;
            let mut finished = false;
            while i < chunk.len() {
                if state == State::Quoted {
                    // Copy the whole run up to the next quote at once.
                    let rest = &chunk[i..];
                    let run = memchr::memchr(b'"', rest).unwrap_or(rest.len());
                    *line += memchr::memchr_iter(b'\n', &rest[..run]).count() as u64;
                    push(row, max, &rest[..run]);
                    row.size += run as u64;
                    i += run;
                    if i < chunk.len() {
                        state = State::QuoteInQuoted;
                        row.size += 1;
                        i += 1;
                    }
                    continue;
                }
                let b = chunk[i];
                i += 1;
                row.size += 1;
                if cr {
                    cr = false;
                    if b == b'\n' {
                        *line += 1;
                        finished = true;
                        break;
                    }
                    push(row, max, b"\r");
                    if state == State::FieldStart {
                        state = State::Unquoted;
                    }
                }
                if b == delimiter {
                    row.ends.push(row.buf.len());
                    state = State::FieldStart;
                } else if b == b'\n' {
                    *line += 1;
                    finished = true;
                    break;
                } else if b == b'\r' {
                    cr = true;
                } else if b == b'"' {
                    match state {
                        State::FieldStart => state = State::Quoted,
                        State::QuoteInQuoted => {
                            push(row, max, b"\"");
                            state = State::Quoted;
                        }
                        // A quote inside an unquoted field is kept as it is.
                        _ => push(row, max, b"\""),
                    }
                } else {
                    // After a closing quote, stray characters are kept
                    // (`"a"b` reads `ab`), as most spreadsheets do.
                    push(row, max, &[b]);
                    state = State::Unquoted;
                }
            }
            stream.consume(i);
            if finished {
                row.ends.push(row.buf.len());
                return Ok(true);
            }
        }
    }
}

/// The records of a CSV stream: the first non-blank row names the columns.
pub(crate) fn records(stream: Stream, delimiter: u8, name: &str, id: &str, ctx: &Arc<Context>) -> Records {
    let max = usize::try_from(ctx.opts.max_record_bytes).unwrap_or(usize::MAX);
    let mut rows = Rows { stream, delimiter, line: 1, max };
    let mut row = Row::default();
    loop {
        match rows.read(&mut row) {
            Ok(true) if row.is_blank() => continue,
            Ok(true) => break,
            Ok(false) => {
                return one(Skipped::new(SkipReason::EmptyText, name, "is empty (no header row); nothing to index"))
            }
            Err(e) => return one(Skipped::new(SkipReason::Unreadable, name, read_error(&e))),
        }
    }
    let mut header: Vec<String> = Vec::new();
    for (i, f) in row.fields().enumerate() {
        let f = if i == 0 { f.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(f) } else { f };
        header.push(String::from_utf8_lossy(f).trim().to_string());
    }
    let fields = &ctx.opts.fields;
    if !header.iter().any(|h| h == &fields.text) {
        let mut shown: Vec<&str> = header.iter().map(String::as_str).take(12).collect();
        if header.len() > shown.len() {
            shown.push("…");
        }
        return one(Skipped::new(
            SkipReason::NoTextColumn,
            name,
            format_args!(
                "no \"{}\" column in the header (columns: {}); map one with --text-field",
                fields.text,
                shown.join(", ")
            ),
        ));
    }
    Box::new(CsvRecords {
        rows,
        row,
        header,
        name: name.to_string(),
        id: id.to_string(),
        ctx: Arc::clone(ctx),
        done: false,
    })
}

struct CsvRecords {
    rows: Rows,
    row: Row,
    header: Vec<String>,
    name: String,
    id: String,
    ctx: Arc<Context>,
    done: bool,
}

impl Iterator for CsvRecords {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            match self.rows.read(&mut self.row) {
                Ok(true) if self.row.is_blank() => continue,
                Ok(true) => return Some(self.record()),
                Ok(false) => break,
                Err(e) => {
                    self.done = true;
                    let origin = format!("{}:{}", self.name, self.rows.line);
                    let what = format!("{}; the rest of the file was skipped", read_error(&e));
                    return Some(Err(Skipped::new(SkipReason::Unreadable, &origin, what)));
                }
            }
        }
        None
    }
}

impl CsvRecords {
    fn record(&self) -> Item {
        let row = &self.row;
        let origin = format!("{}:{}", self.name, row.line);
        let max = self.ctx.opts.max_record_bytes;
        if row.size > max {
            return Err(too_large(&origin, Some(row.size), max));
        }
        if row.unclosed {
            return Err(Skipped::new(
                SkipReason::BadCsvRow,
                &origin,
                "a quoted field is never closed (the file ends inside it); check the quotes of this row",
            ));
        }
        if row.ends.len() != self.header.len() {
            return Err(Skipped::new(
                SkipReason::BadCsvRow,
                &origin,
                format_args!(
                    "{} fields where the header has {}; check the quoting of this row (a field holding the \
                     delimiter, a quote or a line break must be in double quotes)",
                    row.ends.len(),
                    self.header.len()
                ),
            ));
        }
        let fields = &self.ctx.opts.fields;
        let mut map = Map::new();
        let mut warning = None;
        for (column, value) in self.header.iter().zip(row.fields()) {
            if map.contains_key(column) {
                // A repeated column name: the first one wins.
                continue;
            }
            let value = match std::str::from_utf8(value) {
                Ok(s) => s.to_string(),
                Err(_) => {
                    warning.get_or_insert_with(|| {
                        format!(
                            "{origin}: invalid UTF-8 in column \"{column}\"; invalid bytes were replaced with U+FFFD"
                        )
                    });
                    String::from_utf8_lossy(value).into_owned()
                }
            };
            // An empty cell of a metadata column means "not given", so that
            // the id falls back to the row's place and no empty title shows.
            let metadata = [&fields.id, &fields.title, &fields.url, &fields.date, &fields.lang].contains(&column)
                || fields.series.contains(column);
            if metadata && value.trim().is_empty() {
                continue;
            }
            map.insert(column.clone(), Value::String(value));
        }
        let fallback_id = format!("{}:{}", self.id, row.line);
        record_from_map(map, &origin, &fallback_id, fields, warning)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn all_rows(data: &[u8], max: usize) -> Vec<(u64, Vec<String>, bool)> {
        let mut rows = Rows { stream: Box::new(Cursor::new(data.to_vec())), delimiter: b',', line: 1, max };
        let mut row = Row::default();
        let mut out = Vec::new();
        while rows.read(&mut row).unwrap() {
            let fields = row.fields().map(|f| String::from_utf8_lossy(f).into_owned()).collect();
            out.push((row.line, fields, row.unclosed));
        }
        out
    }

    #[test]
    fn quotes_newlines_and_line_ends() {
        let rows = all_rows(b"a,b\r\n\"x, \"\"y\"\"\",\"two\nlines\"\n\n1,2\nend,\"open", 1000);
        let f = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(rows[0], (1, f(&["a", "b"]), false));
        assert_eq!(rows[1], (2, f(&["x, \"y\"", "two\nlines"]), false));
        assert_eq!(rows[2], (4, f(&[""]), false));
        assert_eq!(rows[3], (5, f(&["1", "2"]), false));
        assert_eq!(rows[4], (6, f(&["end", "open"]), true));
    }

    #[test]
    fn rows_are_cut_at_the_limit_but_read_to_their_end() {
        let rows = all_rows(b"\"0123456789\",x\nnext,row\n", 8);
        assert_eq!(rows[0].1, vec!["01234567".to_string(), String::new()]);
        assert_eq!(rows[1].1, vec!["next".to_string(), "row".to_string()]);
    }
}
