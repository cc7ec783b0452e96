//! WARC files (WARC/1.0 and 1.1): the HTML pages of `response` records
//! (and of `resource` records), with the target URI and the capture date.
//!
//! WARC and HTTP headers are simple enough to parse here, which keeps a
//! heavy WARC crate out of the build; decompression is the caller's (a
//! `.warc.gz` is one gzip member per record, read as one stream).

use super::input::{decode_html, find, read_error, too_large, Context, Stream, ZstdFrames};
use super::jsonl::read_line_bounded;
use super::{html_document, one_line, Item, Record, SkipReason, Skipped};
use flate2::read::{DeflateDecoder, GzDecoder, ZlibDecoder};
use serde_json::Value;
use std::io::{self, Read};
use std::sync::Arc;

/// Longest header line kept (longer ones are cut); real ones are short.
const MAX_LINE: usize = 64 * 1024;
/// Most header lines in one WARC record before it is called malformed.
const MAX_HEADER_LINES: usize = 1024;

/// The records of a WARC stream.
pub(crate) struct WarcRecords {
    stream: Stream,
    name: String,
    ctx: Arc<Context>,
    number: u64,
    /// A version line found while skipping to the next record.
    pending: Option<Vec<u8>>,
    line: Vec<u8>,
    done: bool,
}

/// The named fields of a WARC or HTTP header, names lowercased.
#[derive(Debug, Default)]
struct Headers(Vec<(String, String)>);

impl Headers {
    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Adds a `Name: value` line, or continues the last value when the line
    /// starts with a space (folded headers).
    fn add_line(&mut self, line: &str) {
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = self.0.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
            return;
        }
        if let Some((name, value)) = line.split_once(':') {
            self.0.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
}

fn trim_line(line: &[u8]) -> &[u8] {
    let end = line.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |p| p + 1);
    &line[..end]
}

/// `<value>` → `value` (WARC/1.0 examples put angle brackets around URIs,
/// and some writers followed them).
fn unbracket(s: &str) -> &str {
    s.strip_prefix('<').and_then(|s| s.strip_suffix('>')).unwrap_or(s)
}

impl WarcRecords {
    pub(crate) fn new(stream: Stream, name: &str, ctx: &Arc<Context>) -> Self {
        WarcRecords {
            stream,
            name: name.to_string(),
            ctx: Arc::clone(ctx),
            number: 0,
            pending: None,
            line: Vec::new(),
            done: false,
        }
    }

    /// Reads one line into `self.line`, trimmed; `false` at the end.
    fn read_line(&mut self) -> io::Result<bool> {
        self.line.clear();
        let got = read_line_bounded(&mut self.stream, &mut self.line, MAX_LINE)?.is_some();
        let len = trim_line(&self.line).len();
        self.line.truncate(len);
        Ok(got)
    }

    /// Skips lines up to the next one that starts a record and keeps it.
    fn resync(&mut self) -> io::Result<()> {
        while self.read_line()? {
            if self.line.starts_with(b"WARC/") {
                self.pending = Some(std::mem::take(&mut self.line));
                return Ok(());
            }
        }
        Ok(())
    }

    /// Reads and drops `len` bytes of block.
    fn discard(&mut self, len: u64) -> io::Result<()> {
        let copied = io::copy(&mut (&mut self.stream).take(len), &mut io::sink())?;
        if copied < len {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        Ok(())
    }

    /// The next record: `None` at the end of the stream.
    fn read_record(&mut self) -> io::Result<Option<Item>> {
        let version = match self.pending.take() {
            Some(v) => v,
            None => loop {
                if !self.read_line()? {
                    return Ok(None);
                }
                if !self.line.is_empty() {
                    break std::mem::take(&mut self.line);
                }
            },
        };
        self.number += 1;
        let origin = format!("{}#{}", self.name, self.number);
        if !version.starts_with(b"WARC/") {
            self.resync()?;
            return Ok(Some(Err(Skipped::new(
                SkipReason::MalformedWarc,
                &origin,
                "expected a WARC/1.x version line; skipped to the next record",
            ))));
        }
        let mut headers = Headers::default();
        let mut lines = 0;
        loop {
            if !self.read_line()? {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            if self.line.is_empty() {
                break;
            }
            lines += 1;
            if lines > MAX_HEADER_LINES {
                self.resync()?;
                return Ok(Some(Err(Skipped::new(
                    SkipReason::MalformedWarc,
                    &origin,
                    format_args!("more than {MAX_HEADER_LINES} header lines; skipped to the next record"),
                ))));
            }
            headers.add_line(&String::from_utf8_lossy(&self.line));
        }
        let Some(len) = headers.get("content-length").and_then(|v| v.parse::<u64>().ok()) else {
            self.resync()?;
            return Ok(Some(Err(Skipped::new(
                SkipReason::MalformedWarc,
                &origin,
                "no valid Content-Length in the WARC header; skipped to the next record",
            ))));
        };
        let warc_type = headers.get("warc-type").unwrap_or("").to_ascii_lowercase();
        if warc_type != "response" && warc_type != "resource" {
            self.discard(len)?;
            let shown = if warc_type.is_empty() { "untyped" } else { warc_type.as_str() };
            return Ok(Some(Err(Skipped::new(
                SkipReason::NotResponse,
                &origin,
                format_args!("{shown} record; only response records hold pages"),
            ))));
        }
        let max = self.ctx.opts.max_record_bytes;
        if len > max {
            self.discard(len)?;
            return Ok(Some(Err(too_large(&origin, Some(len), max))));
        }
        let mut block = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
        (&mut self.stream).take(len).read_to_end(&mut block)?;
        if (block.len() as u64) < len {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        Ok(Some(page(&origin, &headers, &warc_type, &block, max)))
    }
}

impl Iterator for WarcRecords {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        if self.done {
            return None;
        }
        match self.read_record() {
            Ok(Some(item)) => Some(item),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                let origin = format!("{}#{}", self.name, self.number.max(1));
                let what = format!("{}; the rest of the file was skipped", read_error(&e));
                Some(Err(Skipped::new(SkipReason::Unreadable, &origin, what)))
            }
        }
    }
}

/// The HTTP part of a response block.
struct Http<'a> {
    status: u16,
    headers: Headers,
    body: &'a [u8],
}

fn parse_http(block: &[u8]) -> Result<Http<'_>, String> {
    let (head_len, sep) = match (find(block, b"\r\n\r\n"), find(block, b"\n\n")) {
        (Some(a), Some(b)) if b < a => (b, 2),
        (Some(a), _) => (a, 4),
        (None, Some(b)) => (b, 2),
        (None, None) => return Err("no end to the HTTP headers".into()),
    };
    let head = String::from_utf8_lossy(&block[..head_len]);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or("");
    let mut parts = status_line.split_whitespace();
    let status = match (parts.next(), parts.next()) {
        (Some(v), Some(code)) if v.starts_with("HTTP/") => {
            code.parse::<u16>().map_err(|_| format!("bad HTTP status line \"{}\"", status_line.trim()))?
        }
        _ => return Err(format!("bad HTTP status line \"{}\"", status_line.chars().take(60).collect::<String>())),
    };
    let mut headers = Headers::default();
    for line in lines {
        headers.add_line(line.trim_end_matches('\r'));
    }
    Ok(Http { status, headers, body: &block[head_len + sep..] })
}

/// The media type of a Content-Type value, lowercased, and its charset.
fn media_type(content_type: &str) -> (String, Option<String>) {
    let mut parts = content_type.split(';');
    let mime = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset = parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("charset")).then(|| v.trim().trim_matches(['"', '\'']).to_string())
    });
    (mime, charset)
}

fn looks_like_html(body: &[u8]) -> bool {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let start = body.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(body.len());
    let head: Vec<u8> = body[start..].iter().take(15).map(u8::to_ascii_lowercase).collect();
    head.starts_with(b"<!doctype html") || head.starts_with(b"<html") || head.starts_with(b"<head")
}

/// The payload of a chunked HTTP body, or `None` when the body is not
/// chunked after all (some WARC writers store the decoded body but keep
/// the header).
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let nl = memchr::memchr(b'\n', rest)?;
        let size_line = std::str::from_utf8(&rest[..nl]).ok()?;
        let hex = size_line.split(';').next().unwrap_or("").trim();
        if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let size = usize::from_str_radix(hex, 16).ok()?;
        rest = &rest[nl + 1..];
        if size == 0 {
            return Some(out);
        }
        if rest.len() <= size {
            // Cut short by the crawler: keep what there is.
            out.extend_from_slice(rest);
            return Some(out);
        }
        out.extend_from_slice(&rest[..size]);
        rest = &rest[size..];
        rest = rest.strip_prefix(b"\r\n").or_else(|| rest.strip_prefix(b"\n")).unwrap_or(rest);
        if rest.is_empty() {
            return Some(out);
        }
    }
}

/// Undoes the payload's Content-Encoding, reading at most `max` bytes.
fn decode_content(encoding: &str, body: Vec<u8>, max: u64) -> Result<Vec<u8>, (SkipReason, String)> {
    let encoding = encoding.trim().to_ascii_lowercase();
    let read_all = |mut r: Box<dyn Read + '_>| -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        r.by_ref().take(max.saturating_add(1)).read_to_end(&mut out)?;
        Ok(out)
    };
    let decoded = match encoding.as_str() {
        "" | "identity" | "none" => return Ok(body),
        // Crawlers that store the decoded payload often keep the header:
        // trust the bytes, not the header.
        _ if looks_like_html(&body) => return Ok(body),
        "gzip" | "x-gzip" => read_all(Box::new(GzDecoder::new(&body[..]))),
        "deflate" => read_all(Box::new(ZlibDecoder::new(&body[..])))
            .or_else(|_| read_all(Box::new(DeflateDecoder::new(&body[..])))),
        "zstd" => read_all(Box::new(ZstdFrames::new(&body[..]))),
        other => {
            return Err((
                SkipReason::UnsupportedEncoding,
                format!("payload compressed with \"{other}\", which stemma does not decode; recrawl without it"),
            ))
        }
    };
    match decoded {
        Ok(out) if out.len() as u64 > max => Err((SkipReason::TooLarge, String::new())),
        Ok(out) => Ok(out),
        Err(e) => Err((SkipReason::Unreadable, format!("the {encoding} payload is corrupt ({e})"))),
    }
}

/// The document of a response (or resource) record, or why there is none.
fn page(origin: &str, warc: &Headers, warc_type: &str, block: &[u8], max: u64) -> Item {
    let uri = warc.get("warc-target-uri").map(unbracket).filter(|u| !u.is_empty());
    let record_id = warc.get("warc-record-id").map(unbracket).filter(|r| !r.is_empty());
    let shown_uri = uri.unwrap_or("(no target URI)");
    let warc_media = media_type(warc.get("content-type").unwrap_or("")).0;
    let is_http = warc_media == "application/http" || (warc_media.is_empty() && block.starts_with(b"HTTP/"));
    let (content_type, body, transfer, encoding) = if warc_type == "response" && is_http {
        let http = match parse_http(block) {
            Ok(h) => h,
            Err(e) => {
                return Err(Skipped::new(
                    SkipReason::MalformedWarc,
                    origin,
                    format_args!("unreadable HTTP response for {shown_uri} ({e})"),
                ))
            }
        };
        if !(200..300).contains(&http.status) {
            return Err(Skipped::new(
                SkipReason::HttpStatus,
                origin,
                format_args!("HTTP {} for {shown_uri}; only successful responses hold pages", http.status),
            ));
        }
        let get = |n: &str| http.headers.get(n).unwrap_or("").to_string();
        (get("content-type"), http.body, get("transfer-encoding"), get("content-encoding"))
    } else {
        // A resource record (or a response that is not HTTP) holds the
        // payload itself, typed by the WARC header.
        (warc.get("content-type").unwrap_or("").to_string(), block, String::new(), String::new())
    };
    let (mime, charset) = media_type(&content_type);
    let html = match mime.as_str() {
        "text/html" | "application/xhtml+xml" => true,
        "" => looks_like_html(body),
        _ => false,
    };
    if !html {
        let shown = if mime.is_empty() { "untyped" } else { mime.as_str() };
        return Err(Skipped::new(
            SkipReason::NotHtml,
            origin,
            format_args!("{shown} response for {shown_uri}; only HTML pages are read"),
        ));
    }
    let body = if transfer.to_ascii_lowercase().contains("chunked") {
        dechunk(body).unwrap_or_else(|| body.to_vec())
    } else {
        body.to_vec()
    };
    let body = match decode_content(&encoding, body, max) {
        Ok(b) => b,
        Err((SkipReason::TooLarge, _)) => return Err(too_large(origin, None, max)),
        Err((reason, what)) => return Err(Skipped::new(reason, origin, what)),
    };
    let (html, warning) = decode_html(origin, &body, charset.as_deref());
    let Some(id) = uri.or(record_id) else {
        return Err(Skipped::new(
            SkipReason::MalformedWarc,
            origin,
            "neither WARC-Target-URI nor WARC-Record-ID; the page cannot be named",
        ));
    };
    let mut doc = html_document(&html, id, uri, warc.get("warc-date"));
    if let (Some(_), Some(rid)) = (uri, record_id) {
        doc.extra.insert("warc_record_id".into(), Value::String(rid.to_string()));
    }
    if doc.text.trim().is_empty() {
        return Err(Skipped::new(
            SkipReason::EmptyText,
            origin,
            format_args!("the page {shown_uri} has no visible text; nothing to index"),
        ));
    }
    let mut warnings: Vec<String> = warning.into_iter().collect();
    if let Some(reason) = warc.get("warc-truncated") {
        warnings.push(format!("{origin}: the crawler cut this record short ({reason}); the page may be incomplete"));
    }
    Ok(Record { doc, origin: origin.to_string(), warnings: warnings.into_iter().map(one_line).collect() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_bodies() {
        assert_eq!(dechunk(b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n").unwrap(), b"hello world");
        assert_eq!(dechunk(b"<html>not chunked</html>"), None);
        assert_eq!(dechunk(b"4\r\nab").unwrap(), b"ab");
    }

    #[test]
    fn http_heads() {
        let h = parse_http(b"HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n").unwrap();
        assert_eq!(h.status, 301);
        assert_eq!(h.headers.get("location"), Some("/x"));
        let h = parse_http(b"HTTP/1.0 200 OK\nContent-Type: text/html;\n  charset=latin1\n\n<p>x").unwrap();
        assert_eq!(media_type(h.headers.get("content-type").unwrap()), ("text/html".into(), Some("latin1".into())));
        assert_eq!(h.body, b"<p>x");
        assert!(parse_http(b"garbage\r\n\r\n").is_err());
    }

    #[test]
    fn compressed_payloads() {
        use flate2::write::GzEncoder;
        use std::io::Write;
        let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(b"<p>Bonjour</p>").unwrap();
        let gz = enc.finish().unwrap();
        assert_eq!(decode_content("gzip", gz, 1000).unwrap(), b"<p>Bonjour</p>");
        assert_eq!(decode_content("gzip", b"<html>already decoded".to_vec(), 1000).unwrap(), b"<html>already decoded");
        assert_eq!(decode_content("br", b"\x8b\x02".to_vec(), 1000).unwrap_err().0, SkipReason::UnsupportedEncoding);
    }
}
