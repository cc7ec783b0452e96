//! stemma's readers: turn files into [`Document`]s, with errors that name
//! the file and say what to do.
//!
//! - [`read_document`]: one version from a `.txt`/`.md` file, a `.json` or
//!   one-line `.jsonl` file (passim's fields), or an `.html` page (its
//!   visible text, see [`html`]).
//!
//! Bad input never panics: a missing file, a directory, a binary file, an
//! empty file or a file over the size limit is an [`InputError`] with a
//! one-line message; invalid UTF-8 is decoded lossily (U+FFFD) with a
//! warning that says where the first bad byte is.

#![warn(missing_docs)]

pub mod html;
pub mod json;
pub mod readers;

pub use readers::{
    html_document, open, IngestStats, Item, Progress, Reader, ReaderOptions, Record, SkipReason, Skipped,
};

use std::fmt;
use std::path::Path;
use stemma_text::Document;

/// Limits and choices for reading one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Largest file accepted, in bytes.
    pub max_bytes: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { max_bytes: 16 * 1024 * 1024 }
    }
}

/// Why a file could not be read as a document. `Display` gives one line
/// naming the file and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    /// The file does not exist.
    NotFound(String),
    /// The path is a directory.
    IsDirectory(String),
    /// The file is larger than the limit.
    TooLarge {
        /// The file.
        path: String,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The file holds binary data, not text.
    Binary {
        /// The file.
        path: String,
        /// Offset of the first NUL byte.
        at: usize,
    },
    /// The file has no text.
    Empty(String),
    /// The file's content could not be understood (JSON without text, …).
    Malformed {
        /// The file.
        path: String,
        /// What is wrong, with a line number where there is one.
        reason: String,
    },
    /// Any other I/O failure.
    Io {
        /// The file.
        path: String,
        /// The system's message.
        reason: String,
    },
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::NotFound(p) => write!(f, "{p}: no such file; check the path"),
            InputError::IsDirectory(p) => {
                write!(f, "{p}: is a directory; give a file (to read a whole folder, use `stemma index`)")
            }
            InputError::TooLarge { path, size, limit } => write!(
                f,
                "{path}: {:.1} MB is over the {:.1} MB limit for one document; raise it with --max-size or split the file",
                *size as f64 / 1e6,
                *limit as f64 / 1e6
            ),
            InputError::Binary { path, at } => write!(
                f,
                "{path}: looks binary (NUL byte at offset {at}); stemma reads UTF-8 text, HTML or JSON"
            ),
            InputError::Empty(p) => write!(f, "{p}: is empty; there is no text to compare"),
            InputError::Malformed { path, reason } => write!(f, "{path}: {reason}"),
            InputError::Io { path, reason } => write!(f, "{path}: {reason}"),
        }
    }
}

impl std::error::Error for InputError {}

/// A document read from a file, with any warnings about how it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The document.
    pub doc: Document,
    /// Non-fatal problems (lossy UTF-8 decoding, …), one line each.
    pub warnings: Vec<String>,
}

/// The format of a file, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text (also Markdown and anything unknown).
    Text,
    /// One JSON object (or a JSONL file with one line).
    Json,
    /// An HTML page.
    Html,
}

impl Format {
    /// The format for a path, by extension.
    pub fn of(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("json" | "jsonl" | "ndjson") => Format::Json,
            Some("html" | "htm" | "xhtml") => Format::Html,
            _ => Format::Text,
        }
    }
}

/// Decodes bytes as UTF-8 (dropping a byte-order mark); invalid sequences
/// become U+FFFD and a warning names the first one's offset and line.
pub fn decode_utf8(name: &str, bytes: &[u8]) -> (String, Option<String>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), None),
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            let warning =
                format!("{name}: invalid UTF-8 at byte {at} (line {line}); invalid bytes were replaced with U+FFFD");
            (String::from_utf8_lossy(bytes).into_owned(), Some(warning))
        }
    }
}

/// Reads one document from `path`.
pub fn read_document(path: &Path, opts: &ReadOptions) -> Result<Loaded, InputError> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => InputError::NotFound(name.clone()),
        _ => InputError::Io { path: name.clone(), reason: e.to_string() },
    })?;
    if meta.is_dir() {
        return Err(InputError::IsDirectory(name));
    }
    if meta.len() > opts.max_bytes {
        return Err(InputError::TooLarge { path: name, size: meta.len(), limit: opts.max_bytes });
    }
    let bytes = std::fs::read(path).map_err(|e| InputError::Io { path: name.clone(), reason: e.to_string() })?;
    let id = path.file_name().map_or_else(|| name.clone(), |n| n.to_string_lossy().into_owned());
    parse_document(&name, &id, &bytes, Format::of(path))
}

/// Parses the bytes of one document in the given format. `name` is used in
/// messages, `id` becomes the document id unless the content gives one.
pub fn parse_document(name: &str, id: &str, bytes: &[u8], format: Format) -> Result<Loaded, InputError> {
    if let Some(at) = bytes.iter().take(1 << 20).position(|&b| b == 0) {
        return Err(InputError::Binary { path: name.to_string(), at });
    }
    let (text, warning) = decode_utf8(name, bytes);
    let mut warnings: Vec<String> = warning.into_iter().collect();
    let doc = match format {
        Format::Text => Document::new(id, text),
        Format::Html => readers::html_document(&text, id, None, None),
        Format::Json => {
            json::one_document(&text, id).map_err(|reason| InputError::Malformed { path: name.to_string(), reason })?
        }
    };
    if doc.text.trim().is_empty() {
        return Err(InputError::Empty(name.to_string()));
    }
    if doc.text.contains('\u{FFFD}') && warnings.is_empty() && format == Format::Json {
        warnings.push(format!("{name}: the text holds U+FFFD replacement characters (lossy source)"));
    }
    Ok(Loaded { doc, warnings })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_file_and_say_what_to_do() {
        let e = parse_document("x.bin", "x", b"abc\0def", Format::Text).unwrap_err();
        assert_eq!(e.to_string(), "x.bin: looks binary (NUL byte at offset 3); stemma reads UTF-8 text, HTML or JSON");
        let e = parse_document("e.txt", "e", b"  \n ", Format::Text).unwrap_err();
        assert!(e.to_string().starts_with("e.txt: is empty"));
    }

    #[test]
    fn invalid_utf8_is_read_lossily_with_a_warning() {
        let l = parse_document("l.txt", "l", b"caf\xe9 au lait\nline two", Format::Text).unwrap();
        assert_eq!(l.doc.text, "caf\u{FFFD} au lait\nline two");
        assert_eq!(l.warnings.len(), 1);
        assert!(l.warnings[0].contains("byte 3 (line 1)"), "{}", l.warnings[0]);
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::of(Path::new("a.HTML")), Format::Html);
        assert_eq!(Format::of(Path::new("a.jsonl")), Format::Json);
        assert_eq!(Format::of(Path::new("a")), Format::Text);
    }
}
