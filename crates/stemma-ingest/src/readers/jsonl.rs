//! JSON records: JSONL streams (one object per line) and `.json` files (one
//! object or an array of objects).

use super::input::{accept, one, read_error, too_large, Context, Records, Stream};
use super::{Item, SkipReason, Skipped};
use crate::decode_utf8;
use crate::json::{document_from_record, FieldMap};
use serde_json::{Map, Value};
use std::io::{self, BufRead, Cursor};
use std::sync::Arc;

/// Reads one line into `buf` (without its `\n`), keeping at most `max`
/// bytes of it; the rest of a longer line is read and dropped, so memory
/// stays bounded. Returns the full length of the line, or `None` at the end
/// of the stream.
pub(crate) fn read_line_bounded(r: &mut dyn BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<Option<u64>> {
    let mut len = 0u64;
    let mut any = false;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(any.then_some(len));
        }
        any = true;
        let (take, used, done) = match memchr::memchr(b'\n', chunk) {
            Some(at) => (at, at + 1, true),
            None => (chunk.len(), chunk.len(), false),
        };
        let room = max.saturating_sub(buf.len());
        buf.extend_from_slice(&chunk[..take.min(room)]);
        len += take as u64;
        r.consume(used);
        if done {
            return Ok(Some(len));
        }
    }
}

/// The records of a JSONL stream, one per non-blank line.
pub(crate) struct JsonLines {
    stream: Stream,
    name: String,
    id: String,
    ctx: Arc<Context>,
    line: u64,
    buf: Vec<u8>,
    done: bool,
}

impl JsonLines {
    pub(crate) fn new(stream: Stream, name: &str, id: &str, ctx: &Arc<Context>) -> Self {
        JsonLines {
            stream,
            name: name.to_string(),
            id: id.to_string(),
            ctx: Arc::clone(ctx),
            line: 0,
            buf: Vec::new(),
            done: false,
        }
    }
}

impl Iterator for JsonLines {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        let max = self.ctx.opts.max_record_bytes;
        while !self.done {
            self.buf.clear();
            let len =
                match read_line_bounded(&mut self.stream, &mut self.buf, usize::try_from(max).unwrap_or(usize::MAX)) {
                    Ok(Some(len)) => len,
                    Ok(None) => break,
                    Err(e) => {
                        self.done = true;
                        let origin = format!("{}:{}", self.name, self.line + 1);
                        let what = format!("{}; the rest of the file was skipped", read_error(&e));
                        return Some(Err(Skipped::new(SkipReason::Unreadable, &origin, what)));
                    }
                };
            self.line += 1;
            let origin = format!("{}:{}", self.name, self.line);
            if len > max {
                return Some(Err(too_large(&origin, Some(len), max)));
            }
            let mut bytes = self.buf.as_slice();
            if self.line == 1 {
                bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            }
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let fallback_id = format!("{}:{}", self.id, self.line);
            return Some(record_from_line(bytes, &origin, &fallback_id, &self.ctx.opts.fields));
        }
        None
    }
}

/// The document of one JSON line.
fn record_from_line(bytes: &[u8], origin: &str, fallback_id: &str, fields: &FieldMap) -> Item {
    let (text, warning) = match std::str::from_utf8(bytes) {
        Ok(s) => (std::borrow::Cow::Borrowed(s), None),
        Err(e) => (
            String::from_utf8_lossy(bytes),
            Some(format!(
                "{origin}: invalid UTF-8 at byte {} of the line; invalid bytes were replaced with U+FFFD",
                e.valid_up_to()
            )),
        ),
    };
    let value: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            let message = e.to_string();
            let message = message.rsplit_once(" at line ").map_or(message.as_str(), |(m, _)| m);
            return Err(Skipped::new(
                SkipReason::MalformedJson,
                origin,
                format_args!("invalid JSON at column {} ({message}); fix or remove this line", e.column()),
            ));
        }
    };
    match value {
        Value::Object(map) => record_from_map(map, origin, fallback_id, fields, warning),
        other => Err(not_an_object(origin, &other)),
    }
}

/// What a JSON value is, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn not_an_object(origin: &str, value: &Value) -> Skipped {
    let found = kind(value);
    Skipped::new(
        SkipReason::MalformedJson,
        origin,
        format_args!("expected a JSON object with a \"text\" field, found {found}"),
    )
}

/// The document of one JSON object, or why it has none.
pub(crate) fn record_from_map(
    map: Map<String, Value>,
    origin: &str,
    fallback_id: &str,
    fields: &FieldMap,
    warning: Option<String>,
) -> Item {
    match map.get(&fields.text) {
        Some(Value::String(_)) => {}
        Some(Value::Null) | None => {
            return Err(Skipped::new(
                SkipReason::MissingText,
                origin,
                format_args!("no \"{}\" field; map another field with --text-field", fields.text),
            ))
        }
        Some(other) => {
            return Err(Skipped::new(
                SkipReason::MissingText,
                origin,
                format_args!(
                    "field \"{}\" holds {}, not a string; map another field with --text-field",
                    fields.text,
                    kind(other)
                ),
            ))
        }
    }
    match document_from_record(map, fallback_id, fields) {
        Ok(doc) => accept(doc, origin, warning),
        Err(reason) => Err(Skipped::new(SkipReason::MissingText, origin, reason)),
    }
}

/// The records of a whole `.json` file: one object, an array of objects,
/// or (misnamed) JSON lines.
pub(crate) fn json_file(bytes: &[u8], name: &str, id: &str, ctx: &Arc<Context>) -> Records {
    let fields = &ctx.opts.fields;
    let (text, warning) = decode_utf8(name, bytes);
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(map)) => one_item(record_from_map(map, name, id, fields, warning)),
        Ok(Value::Array(items)) => {
            let mut warning = warning;
            let records: Vec<Item> = items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    let origin = format!("{name}#{}", i + 1);
                    match item {
                        Value::Object(map) => {
                            record_from_map(map, &origin, &format!("{id}#{}", i + 1), fields, warning.take())
                        }
                        other => Err(not_an_object(&origin, &other)),
                    }
                })
                .collect();
            Box::new(records.into_iter())
        }
        Ok(other) => one(not_an_object(name, &other)),
        Err(e) => {
            let mut lines = text.lines().filter(|l| !l.trim().is_empty());
            let first_is_record = lines.next().is_some_and(|l| serde_json::from_str::<Map<String, Value>>(l).is_ok());
            if first_is_record && lines.next().is_some() {
                // JSON lines in a file named .json: read them as such.
                return Box::new(JsonLines::new(Box::new(Cursor::new(bytes.to_vec())), name, id, ctx));
            }
            one(Skipped::new(
                SkipReason::MalformedJson,
                name,
                format_args!("invalid JSON at line {}, column {} ({e}); fix the file", e.line(), e.column()),
            ))
        }
    }
}

fn one_item(item: Item) -> Records {
    Box::new(std::iter::once(item))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_and_counted() {
        let data = b"short\nthis line is long\nlast";
        let mut r: &[u8] = data;
        let mut buf = Vec::new();
        assert_eq!(read_line_bounded(&mut r, &mut buf, 8).unwrap(), Some(5));
        buf.clear();
        assert_eq!(read_line_bounded(&mut r, &mut buf, 8).unwrap(), Some(17));
        assert_eq!(buf, b"this lin");
        buf.clear();
        assert_eq!(read_line_bounded(&mut r, &mut buf, 8).unwrap(), Some(4));
        buf.clear();
        assert_eq!(read_line_bounded(&mut r, &mut buf, 8).unwrap(), None);
    }

    #[test]
    fn line_errors_say_what_is_wrong() {
        let f = FieldMap::default();
        let e = record_from_line(br#"{"id": 1, "text": }"#, "a.jsonl:3", "a:3", &f).unwrap_err();
        assert_eq!(e.reason, SkipReason::MalformedJson);
        assert!(e.message.starts_with("a.jsonl:3: invalid JSON at column 19"), "{}", e.message);
        let e = record_from_line(b"[1, 2]", "a.jsonl:4", "a:4", &f).unwrap_err();
        assert!(e.message.ends_with("found an array"), "{}", e.message);
        let e = record_from_line(br#"{"text": null}"#, "a.jsonl:5", "a:5", &f).unwrap_err();
        assert_eq!(e.reason, SkipReason::MissingText);
        let e = record_from_line(br#"{"text": 3}"#, "a.jsonl:6", "a:6", &f).unwrap_err();
        assert_eq!(
            e.message,
            "a.jsonl:6: field \"text\" holds a number, not a string; map another field with --text-field"
        );
    }
}
