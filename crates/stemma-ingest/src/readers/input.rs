//! Opening one file: counting the bytes read, undoing compression found by
//! magic bytes, telling the format, and handing the stream to the reader of
//! that format.

use super::glob::Glob;
use super::{html_document, jsonl, one_line, warc, Item, ReaderOptions, Record, SkipReason, Skipped};
use crate::decode_utf8;
use encoding_rs::Encoding;
use flate2::bufread::MultiGzDecoder;
use ruzstd::decoding::errors::{FrameDecoderError, ReadFrameHeaderError};
use ruzstd::decoding::{BlockDecodingStrategy, FrameDecoder};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use stemma_text::Document;

/// What every file reader needs: the options, the compiled globs and the
/// shared count of bytes read.
#[derive(Debug)]
pub(crate) struct Context {
    pub opts: ReaderOptions,
    pub include: Vec<Glob>,
    pub exclude: Vec<Glob>,
    pub read: Arc<AtomicU64>,
}

/// The records of one file.
pub(crate) type Records = Box<dyn Iterator<Item = Item> + Send>;

/// A decompressed input stream.
pub(crate) type Stream = Box<dyn BufRead + Send>;

/// Buffer size for file and decoder reads: large enough that system calls
/// and decoder calls are amortised, small enough to stay out of the way.
const BUF: usize = 64 * 1024;

/// The format of a file's (decompressed) content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Html,
    Json,
    Jsonl,
    Csv(u8),
    Warc,
}

/// Extensions of compressed files, stripped before reading the format from
/// the name (the compression itself is recognised by content).
const COMPRESSED: &[&str] = &["gz", "gzip", "zst", "zstd"];

/// The format named by a file name's extension (after the compression
/// suffixes), and whether the name carried a compression suffix.
pub(crate) fn kind_from_name(file_name: &str) -> (Option<Kind>, bool) {
    let mut name = file_name.to_ascii_lowercase();
    let mut compressed = false;
    while let Some((stem, ext)) = name.rsplit_once('.') {
        if !COMPRESSED.contains(&ext) || stem.is_empty() {
            break;
        }
        compressed = true;
        name = stem.to_string();
    }
    let ext = name.rsplit_once('.').map(|(stem, ext)| if stem.is_empty() { "" } else { ext }).unwrap_or("");
    let kind = match ext {
        "txt" | "text" | "md" | "markdown" => Some(Kind::Text),
        "html" | "htm" | "xhtml" => Some(Kind::Html),
        "json" => Some(Kind::Json),
        "jsonl" | "ndjson" => Some(Kind::Jsonl),
        "csv" => Some(Kind::Csv(b',')),
        "tsv" | "tab" => Some(Kind::Csv(b'\t')),
        "warc" => Some(Kind::Warc),
        _ => None,
    };
    (kind, compressed)
}

/// The format of content whose name says nothing: JSON records, HTML or
/// plain text, from the first non-blank byte.
fn sniff(head: &[u8]) -> Kind {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    match head.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Kind::Jsonl,
        Some(b'[') => Kind::Json,
        Some(b'<') => Kind::Html,
        _ => Kind::Text,
    }
}

/// Counts the bytes read from a file into the shared progress counter.
struct Counting<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Compression found in a stream's first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Compression {
    None,
    Gzip,
    Zstd,
}

/// Wraps `raw` in the decoder its first bytes call for. Gzip streams may
/// hold several members (a `.warc.gz` has one per record) and zstd streams
/// several frames: both are read to the end.
pub(crate) fn decompress<R: BufRead + Send + 'static>(mut raw: R) -> io::Result<(Stream, Compression)> {
    let head = raw.fill_buf()?;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok((Box::new(BufReader::with_capacity(BUF, MultiGzDecoder::new(raw))), Compression::Gzip))
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Ok((Box::new(BufReader::with_capacity(BUF, ZstdFrames::new(raw))), Compression::Zstd))
    } else {
        Ok((Box::new(raw), Compression::None))
    }
}

/// A zstd stream of one or more frames (skippable frames are skipped).
/// ruzstd's own streaming decoder reads a single frame.
pub(crate) struct ZstdFrames<R> {
    source: R,
    decoder: FrameDecoder,
    in_frame: bool,
}

impl<R: BufRead> ZstdFrames<R> {
    pub(crate) fn new(source: R) -> Self {
        ZstdFrames { source, decoder: FrameDecoder::new(), in_frame: false }
    }
}

impl<R: BufRead> Read for ZstdFrames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if self.in_frame {
                if self.decoder.can_collect() > 0 {
                    return self.decoder.read(buf);
                }
                if self.decoder.is_finished() {
                    self.in_frame = false;
                    continue;
                }
                self.decoder
                    .decode_blocks(&mut self.source, BlockDecodingStrategy::UptoBlocks(1))
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("zstd: {e}")))?;
                continue;
            }
            if self.source.fill_buf()?.is_empty() {
                return Ok(0);
            }
            match self.decoder.reset(&mut self.source) {
                Ok(()) => self.in_frame = true,
                Err(FrameDecoderError::ReadFrameHeaderError(ReadFrameHeaderError::SkipFrame { length, .. })) => {
                    io::copy(&mut (&mut self.source).take(u64::from(length)), &mut io::sink())?;
                }
                Err(e) => return Err(io::Error::new(io::ErrorKind::InvalidData, format!("zstd: {e}"))),
            }
        }
    }
}

/// The UTF-16 encoding announced by a byte-order mark.
fn utf16_bom(head: &[u8]) -> Option<&'static Encoding> {
    if head.starts_with(&[0xff, 0xfe]) {
        Some(encoding_rs::UTF_16LE)
    } else if head.starts_with(&[0xfe, 0xff]) {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// A stream decoded from another encoding into UTF-8 as it is read.
struct Transcode<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    out: Vec<u8>,
    pos: usize,
    done: bool,
}

impl<R: BufRead> Transcode<R> {
    fn new(inner: R, encoding: &'static Encoding) -> Self {
        Transcode { inner, decoder: encoding.new_decoder_with_bom_removal(), out: Vec::new(), pos: 0, done: false }
    }
}

impl<R: BufRead> Read for Transcode<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.pos < self.out.len() {
                let n = buf.len().min(self.out.len() - self.pos);
                buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
                self.pos += n;
                return Ok(n);
            }
            if self.done || buf.is_empty() {
                return Ok(0);
            }
            let src = self.inner.fill_buf()?;
            let last = src.is_empty();
            // Two UTF-16 bytes never make more than three UTF-8 bytes.
            self.out.resize(src.len() * 3 / 2 + 16, 0);
            let (result, read, written, _) = self.decoder.decode_to_utf8(src, &mut self.out, last);
            self.inner.consume(read);
            self.out.truncate(written);
            self.pos = 0;
            if last && result == encoding_rs::CoderResult::InputEmpty {
                self.done = true;
            }
        }
    }
}

/// A single skipped item as a file's records.
pub(crate) fn one(skipped: Skipped) -> Records {
    Box::new(std::iter::once(Err(skipped)))
}

/// The message for a read error, which is most often corrupt or truncated
/// compressed data.
pub(crate) fn read_error(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => "the file is truncated (unexpected end of data)".to_string(),
        io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput => format!("corrupt data ({e})"),
        _ => format!("read error ({e})"),
    }
}

/// Opens one file and returns its records. `name` is the file as shown in
/// origins and messages, `id` the id of a one-document file (and the base
/// of generated ids). In a folder, a file whose extension names no format
/// is skipped without being read; given directly, its format is guessed
/// from its content.
pub(crate) fn open_file(ctx: &Arc<Context>, path: &Path, name: &str, id: &str, in_folder: bool) -> Records {
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let (by_name, compressed_name) = kind_from_name(&file_name);
    if in_folder && by_name.is_none() && !compressed_name {
        let ext = file_name.rsplit_once('.').map_or("(no extension)".to_string(), |(_, e)| format!(".{e}"));
        return one(Skipped::new(
            SkipReason::UnsupportedType,
            name,
            format_args!(
                "{ext} files are not read (stemma reads .txt, .md, .html, .json, .jsonl, .csv, .tsv and .warc, \
                 plain, gzip or zstd); choose files with --include"
            ),
        ));
    }
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            return one(Skipped::new(
                SkipReason::Unreadable,
                name,
                format_args!("cannot open ({e}); check permissions"),
            ))
        }
    };
    let raw = BufReader::with_capacity(BUF, Counting { inner: file, read: Arc::clone(&ctx.read) });
    let (mut stream, compression): (Stream, Compression) = match decompress(raw) {
        Ok(s) => s,
        Err(e) => return one(Skipped::new(SkipReason::Unreadable, name, read_error(&e))),
    };
    // UTF-16 text (spreadsheets' "Unicode text" exports) is turned into
    // UTF-8 here, so that every format reader sees UTF-8.
    let utf16 = match stream.fill_buf() {
        Ok(h) => utf16_bom(h),
        Err(e) => return one(Skipped::new(SkipReason::Unreadable, name, read_error(&e))),
    };
    if let Some(encoding) = utf16 {
        stream = Box::new(BufReader::with_capacity(BUF, Transcode::new(stream, encoding)));
    }
    let head = match stream.fill_buf() {
        Ok(h) => h,
        Err(e) => return one(Skipped::new(SkipReason::Unreadable, name, read_error(&e))),
    };
    // A WARC is recognised by its first line whatever its name: crawls are
    // sometimes named `.gz` or `.dat` alone.
    let kind = if head.starts_with(b"WARC/") {
        Kind::Warc
    } else if let Some(at) = head.iter().position(|&b| b == 0) {
        let inside = if compression == Compression::None { "" } else { " once decompressed" };
        return one(Skipped::new(
            SkipReason::Binary,
            name,
            format_args!(
                "looks binary (NUL byte at offset {at}{inside}); stemma reads text, HTML, JSON(L), CSV and WARC files"
            ),
        ));
    } else {
        by_name.unwrap_or_else(|| sniff(head))
    };
    match kind {
        Kind::Jsonl => Box::new(jsonl::JsonLines::new(stream, name, id, ctx)),
        Kind::Csv(delimiter) => super::csv::records(stream, delimiter, name, id, ctx),
        Kind::Warc => Box::new(warc::WarcRecords::new(stream, name, ctx)),
        Kind::Text | Kind::Html | Kind::Json => {
            let max = ctx.opts.max_record_bytes;
            let mut bytes = Vec::new();
            if let Err(e) = (&mut stream).take(max.saturating_add(1)).read_to_end(&mut bytes) {
                return one(Skipped::new(SkipReason::Unreadable, name, read_error(&e)));
            }
            if bytes.len() as u64 > max {
                return one(too_large(name, None, max));
            }
            match kind {
                Kind::Json => jsonl::json_file(&bytes, name, id, ctx),
                Kind::Html => {
                    let (html, warning) = decode_html(name, &bytes, None);
                    Box::new(std::iter::once(accept(html_document(&html, id, None, None), name, warning)))
                }
                _ => {
                    let (text, warning) = decode_utf8(name, &bytes);
                    Box::new(std::iter::once(accept(Document::new(id, text), name, warning)))
                }
            }
        }
    }
}

/// The skip for a record over the size limit.
pub(crate) fn too_large(origin: &str, size: Option<u64>, limit: u64) -> Skipped {
    let size = size.map_or_else(String::new, |s| format!("{:.1} MB, ", s as f64 / 1e6));
    Skipped::new(
        SkipReason::TooLarge,
        origin,
        format_args!(
            "record too large ({size}over the {:.1} MB limit); raise the limit with --max-size",
            limit as f64 / 1e6
        ),
    )
}

/// Accepts a document unless its text is empty.
pub(crate) fn accept(doc: Document, origin: &str, warning: Option<String>) -> Item {
    if doc.text.trim().is_empty() {
        return Err(Skipped::new(SkipReason::EmptyText, origin, "the text is empty; there is nothing to index"));
    }
    Ok(Record { doc, origin: origin.to_string(), warnings: warning.into_iter().map(one_line).collect() })
}

/// How far into a page its charset declaration is looked for. The HTML
/// standard's pre-scan reads 1,024 bytes; real pages put long scripts and
/// comments first, so a little more is read.
const META_SCAN: usize = 4096;

/// Decodes an HTML page: a byte-order mark wins, then the charset from the
/// HTTP header, then a `<meta charset>` declaration, then UTF-8. Invalid
/// bytes become U+FFFD, with a warning.
pub(crate) fn decode_html(origin: &str, bytes: &[u8], header_charset: Option<&str>) -> (String, Option<String>) {
    let declared = header_charset
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .or_else(|| meta_charset(&bytes[..bytes.len().min(META_SCAN)]))
        // A page cannot declare UTF-16 in its own (ASCII-compatible) bytes;
        // the standard reads such a declaration as UTF-8.
        .map(|e| if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE { encoding_rs::UTF_8 } else { e })
        .unwrap_or(encoding_rs::UTF_8);
    let (text, used, had_errors) = declared.decode(bytes);
    let warning = had_errors
        .then(|| format!("{origin}: invalid bytes for the {} charset were replaced with U+FFFD", used.name()));
    (text.into_owned(), warning)
}

/// The encoding declared by a `<meta charset=…>` or `<meta http-equiv
/// content="…; charset=…">` tag in the start of a page.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"<meta") {
        let tag_start = from + at;
        let tag_end = lower[tag_start..].iter().position(|&b| b == b'>').map_or(lower.len(), |e| tag_start + e);
        let tag = &lower[tag_start..tag_end];
        if let Some(c) = find(tag, b"charset") {
            let rest = &tag[c + "charset".len()..];
            let rest = trim_start(rest);
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = trim_start(rest);
                let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
                let end = rest
                    .iter()
                    .position(|&b| matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace())
                    .unwrap_or(rest.len());
                if let Some(e) = Encoding::for_label(&rest[..end]) {
                    return Some(e);
                }
            }
        }
        from = tag_end;
    }
    None
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &s[n..]
}

/// The first position of `needle` in `hay`.
pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    memchr::memmem::find(hay, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_names() {
        assert_eq!(kind_from_name("a.jsonl.gz"), (Some(Kind::Jsonl), true));
        assert_eq!(kind_from_name("crawl.WARC.zst"), (Some(Kind::Warc), true));
        assert_eq!(kind_from_name("x.tsv"), (Some(Kind::Csv(b'\t')), false));
        assert_eq!(kind_from_name("dump.gz"), (None, true));
        assert_eq!(kind_from_name(".gz"), (None, false));
        assert_eq!(kind_from_name("logo.png"), (None, false));
        assert_eq!(kind_from_name(".hidden"), (None, false));
    }

    #[test]
    fn charsets_from_header_meta_or_default() {
        let latin1 = b"<html><head><meta charset=\"iso-8859-1\"></head><p>caf\xe9</p>";
        assert!(decode_html("p", latin1, None).0.contains("café"));
        let http_equiv =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"><p>\x93oui\x94";
        assert!(decode_html("p", http_equiv, None).0.contains("\u{201c}oui\u{201d}"));
        // The HTTP header wins over the page.
        assert!(decode_html("p", "<meta charset=utf-8><p>café".as_bytes(), Some("utf-8")).0.contains("café"));
        let (text, warning) = decode_html("p", b"<p>caf\xe9</p>", None);
        assert!(text.contains("caf\u{FFFD}"));
        assert!(warning.unwrap().contains("UTF-8"));
    }

    #[test]
    fn zstd_frames_are_all_read() {
        let mut data = ruzstd::encoding::compress_to_vec(&b"premier "[..], ruzstd::encoding::CompressionLevel::Fastest);
        // A skippable frame between the two.
        data.extend_from_slice(&[0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3]);
        data.extend(ruzstd::encoding::compress_to_vec(&b"second"[..], ruzstd::encoding::CompressionLevel::Fastest));
        let mut out = String::new();
        ZstdFrames::new(&data[..]).read_to_string(&mut out).unwrap();
        assert_eq!(out, "premier second");
    }
}
