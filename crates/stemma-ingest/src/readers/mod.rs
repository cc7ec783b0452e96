//! Streaming readers for whole collections: JSONL, CSV, folders, WARC, each
//! possibly gzip- or zstd-compressed.
//!
//! [`open`] takes files and folders and returns a [`Reader`], an iterator of
//! [`Item`]s: each record is either accepted ([`Record`]) or skipped with a
//! reason ([`Skipped`]). Records come out one at a time and memory stays
//! bounded by [`ReaderOptions::max_record_bytes`] per record, whatever the
//! size of the collection; a bad record never costs the records around it,
//! and nothing on an input-dependent path panics.
//!
//! What is read, by file:
//!
//! - `.jsonl`/`.ndjson`: one JSON object per line, passim's fields mapped by
//!   [`FieldMap`], every other field kept in [`Document::extra`];
//! - `.json`: one object, or an array of objects;
//! - `.csv`/`.tsv`: a header row naming the columns (mapped by the same
//!   [`FieldMap`]), quoted fields may hold delimiters and newlines;
//! - `.warc`: `response` records whose HTTP payload is an HTML page
//!   (WARC/1.0 and 1.1), the target URI as id and url, the capture date as
//!   date;
//! - `.txt`/`.md`: one document per file; `.html`/`.htm`: one page per file;
//! - gzip and zstd compression are recognised by their magic bytes, not by
//!   the extension; the format inside comes from the name without its
//!   `.gz`/`.zst` suffix, and a WARC is recognised by its first line;
//! - folders: walked recursively in sorted order, filtered by
//!   [`ReaderOptions::include`] and [`ReaderOptions::exclude`] globs on the
//!   path relative to the folder, which is also the id of a one-document
//!   file.
//!
//! [`IngestStats`] counts what came out (accepted, skipped by reason,
//! warnings); [`Progress`] tells how many input bytes were read so far
//! against the total, for a progress bar.

mod csv;
mod glob;
mod input;
mod jsonl;
mod walk;
mod warc;

use crate::json::FieldMap;
use crate::InputError;
use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use stemma_text::Document;

pub use glob::Glob;

/// A document read from a collection.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The document.
    pub doc: Document,
    /// Where it came from: `news.jsonl:12` (line), `crawl.warc.gz#3` (record
    /// number), `export.csv:7` (first line of the row), `pages/a/b.html`.
    pub origin: String,
    /// Non-fatal problems met while reading it (lossy decoding, …), one line
    /// each, starting with the origin.
    pub warnings: Vec<String>,
}

/// A record (or a whole file) that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Why, as a category to count.
    pub reason: SkipReason,
    /// Where: the same form as [`Record::origin`].
    pub origin: String,
    /// One line that starts with the origin and says what to do.
    pub message: String,
}

impl Skipped {
    fn new(reason: SkipReason, origin: &str, what: impl fmt::Display) -> Self {
        Skipped { reason, origin: origin.to_string(), message: one_line(format!("{origin}: {what}")) }
    }
}

/// Makes a message one line: messages quote parts of the input (column
/// names, file names, header values), which may hold line breaks or other
/// control characters.
pub(crate) fn one_line(message: String) -> String {
    if message.chars().any(char::is_control) {
        message.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
    } else {
        message
    }
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Why a record was skipped. [`SkipReason::name`] is stable, for counts in
/// summaries and machine-readable reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    /// A JSON line or file that does not parse, or is not an object.
    MalformedJson,
    /// A record without the text field (or with a text that is not a string).
    MissingText,
    /// A record whose text is empty or only spaces.
    EmptyText,
    /// A CSV row whose number of fields differs from the header's, or with
    /// an unclosed quote.
    BadCsvRow,
    /// A CSV file whose header has no text column: the whole file.
    NoTextColumn,
    /// A file holding binary data (a NUL byte near its start).
    Binary,
    /// A WARC response whose payload is not HTML (images, scripts, PDFs, …).
    /// Normal in a crawl.
    NotHtml,
    /// A WARC record that is not a response (`warcinfo`, `request`,
    /// `metadata`, `revisit`, …). Normal in a crawl.
    NotResponse,
    /// A WARC response whose HTTP status is not a success (redirects, 404s).
    /// Normal in a crawl.
    HttpStatus,
    /// A WARC record whose headers cannot be parsed.
    MalformedWarc,
    /// A payload compressed with an encoding stemma does not decode (`br`).
    UnsupportedEncoding,
    /// A record over [`ReaderOptions::max_record_bytes`].
    TooLarge,
    /// A file in a folder whose extension is not a format stemma reads
    /// (images, style sheets, …). Normal in a saved site.
    UnsupportedType,
    /// A directory reached through a symbolic link, which is not followed.
    SymlinkDir,
    /// A file or folder that could not be read (permissions, corrupt
    /// compressed data, truncated file).
    Unreadable,
}

impl SkipReason {
    /// Every reason, in the order of the enum.
    pub const ALL: [SkipReason; 15] = [
        SkipReason::MalformedJson,
        SkipReason::MissingText,
        SkipReason::EmptyText,
        SkipReason::BadCsvRow,
        SkipReason::NoTextColumn,
        SkipReason::Binary,
        SkipReason::NotHtml,
        SkipReason::NotResponse,
        SkipReason::HttpStatus,
        SkipReason::MalformedWarc,
        SkipReason::UnsupportedEncoding,
        SkipReason::TooLarge,
        SkipReason::UnsupportedType,
        SkipReason::SymlinkDir,
        SkipReason::Unreadable,
    ];

    /// A short stable name (`malformed_json`, `not_html`, …).
    pub fn name(self) -> &'static str {
        match self {
            SkipReason::MalformedJson => "malformed_json",
            SkipReason::MissingText => "missing_text",
            SkipReason::EmptyText => "empty_text",
            SkipReason::BadCsvRow => "bad_csv_row",
            SkipReason::NoTextColumn => "no_text_column",
            SkipReason::Binary => "binary",
            SkipReason::NotHtml => "not_html",
            SkipReason::NotResponse => "not_response",
            SkipReason::HttpStatus => "http_status",
            SkipReason::MalformedWarc => "malformed_warc",
            SkipReason::UnsupportedEncoding => "unsupported_encoding",
            SkipReason::TooLarge => "too_large",
            SkipReason::UnsupportedType => "unsupported_type",
            SkipReason::SymlinkDir => "symlink_dir",
            SkipReason::Unreadable => "unreadable",
        }
    }

    /// The reason with this [`SkipReason::name`].
    pub fn from_name(name: &str) -> Option<SkipReason> {
        SkipReason::ALL.into_iter().find(|r| r.name() == name)
    }

    /// Whether this is a normal part of the input rather than a problem: a
    /// crawl holds requests, images and redirects beside its pages, a saved
    /// site holds images and style sheets beside its pages, so a summary
    /// can count these apart from the skips a user should look at.
    pub fn is_expected(self) -> bool {
        matches!(
            self,
            SkipReason::NotHtml | SkipReason::NotResponse | SkipReason::HttpStatus | SkipReason::UnsupportedType
        )
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a [`Reader`] yields: an accepted record or a skipped one.
pub type Item = Result<Record, Skipped>;

/// Choices for reading collections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderOptions {
    /// Which JSON fields and CSV columns hold the id, text and metadata.
    pub fields: FieldMap,
    /// Globs on the path relative to a folder: when any is given, only
    /// files matching one are read. A glob without `/` matches the file
    /// name at any depth (`*.html`); one with `/` matches the whole relative
    /// path, where `**` spans folders (`2016/**/*.html`). `*`, `?`, `[a-z]`,
    /// `[!x]`, `{html,htm}` and `\` escapes are understood. Files given
    /// directly to [`open`] are always read.
    pub include: Vec<String>,
    /// Globs (same syntax) for files and folders to leave out; a folder
    /// that matches is not walked at all.
    pub exclude: Vec<String>,
    /// Largest record read, in bytes (a whole file for one-document
    /// formats, a line of JSONL, a row of CSV, a WARC record's block); a
    /// larger one is skipped as [`SkipReason::TooLarge`]. This bounds memory.
    pub max_record_bytes: u64,
    /// Whether folder walks enter files and folders whose name starts with
    /// a dot (`.git`, `.cache`); off by default, as in most search tools.
    pub hidden: bool,
}

impl Default for ReaderOptions {
    fn default() -> Self {
        ReaderOptions {
            fields: FieldMap::default(),
            include: Vec::new(),
            exclude: Vec::new(),
            max_record_bytes: 16 * 1024 * 1024,
            hidden: false,
        }
    }
}

/// How far reading has got, in bytes of input files (compressed bytes for
/// compressed files, as on disk). Cheap to clone and to poll from another
/// thread, e.g. a progress bar's.
#[derive(Debug, Clone)]
pub struct Progress {
    read: Arc<AtomicU64>,
    total: u64,
}

impl Progress {
    /// Bytes read from the input files so far.
    pub fn bytes_read(&self) -> u64 {
        self.read.load(Ordering::Relaxed)
    }

    /// Total size of the input files, measured when the reader was opened.
    pub fn total_bytes(&self) -> u64 {
        self.total
    }

    /// The share read so far, from 0 to 1 (1 when there was nothing to read).
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            (self.bytes_read() as f64 / self.total as f64).min(1.0)
        }
    }
}

/// Counts of what a reader produced, for the summary at the end of a job.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestStats {
    /// Records accepted.
    pub accepted: u64,
    /// Records skipped, by reason.
    pub skipped: BTreeMap<SkipReason, u64>,
    /// Accepted records that came with warnings (lossy decoding, …).
    pub warned: u64,
    /// Input bytes read (set from [`Progress::bytes_read`] by the caller).
    pub bytes_read: u64,
    /// The first few messages of unexpected skips and warnings, to show the
    /// user examples of what went wrong without keeping them all.
    pub examples: Vec<String>,
}

impl IngestStats {
    /// How many messages [`IngestStats::examples`] keeps.
    pub const MAX_EXAMPLES: usize = 10;

    /// Counts one item.
    pub fn add(&mut self, item: &Item) {
        match item {
            Ok(record) => {
                self.accepted += 1;
                if !record.warnings.is_empty() {
                    self.warned += 1;
                    for w in &record.warnings {
                        self.example(w);
                    }
                }
            }
            Err(skipped) => {
                *self.skipped.entry(skipped.reason).or_insert(0) += 1;
                if !skipped.reason.is_expected() {
                    self.example(&skipped.message);
                }
            }
        }
    }

    fn example(&mut self, message: &str) {
        if self.examples.len() < Self::MAX_EXAMPLES {
            self.examples.push(message.to_string());
        }
    }

    /// Records skipped, all reasons together.
    pub fn skipped_total(&self) -> u64 {
        self.skipped.values().sum()
    }

    /// Records skipped for a reason that needs the user's attention (not
    /// [`SkipReason::is_expected`]).
    pub fn unexpected_skips(&self) -> u64 {
        self.skipped.iter().filter(|(r, _)| !r.is_expected()).map(|(_, n)| n).sum()
    }

    /// The count for one reason.
    pub fn count(&self, reason: SkipReason) -> u64 {
        self.skipped.get(&reason).copied().unwrap_or(0)
    }
}

impl fmt::Display for IngestStats {
    /// One line: `12 accepted, 3 skipped (2 not_html, 1 malformed_json), 1 with warnings`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} accepted, {} skipped", self.accepted, self.skipped_total())?;
        if !self.skipped.is_empty() {
            let parts: Vec<String> = self.skipped.iter().map(|(r, n)| format!("{n} {}", r.name())).collect();
            write!(f, " ({})", parts.join(", "))?;
        }
        if self.warned > 0 {
            write!(f, ", {} with warnings", self.warned)?;
        }
        Ok(())
    }
}

/// Builds the document for one HTML page. Every reader turns HTML into a
/// document here and only here, so that main-text extraction can replace
/// the visible-text reader in one place. `url` and `date` come from outside
/// the page (the WARC record's target URI and capture date).
pub fn html_document(html: &str, id: &str, url: Option<&str>, date: Option<&str>) -> Document {
    let page = stemma_extract::extract(html, url);
    // A page whose article could not be told from its furniture keeps its
    // whole visible text rather than nothing.
    let (text, title) = if page.text.trim().is_empty() {
        let visible = crate::html::visible_text(html);
        (visible.text, visible.title.or(page.title))
    } else {
        (page.text, page.title)
    };
    let mut doc = Document::new(id, text);
    doc.title = title;
    doc.url = url.map(str::to_string).or_else(|| page.canonical_url.clone());
    // The publication date is what provenance needs; the capture date of a
    // crawl is kept beside it.
    doc.date = page.date.clone().or_else(|| date.map(str::to_string));
    if let (Some(capture), Some(_)) = (date, &page.date) {
        doc.extra.insert("capture_date".into(), capture.into());
    }
    if let Some(c) = page.canonical_url.filter(|c| Some(c.as_str()) != url) {
        doc.extra.insert("canonical_url".into(), c.into());
    }
    doc.lang = page.lang.and_then(|l| stemma_text::Lang::from_code(&l)).map(|l| l.code().to_string());
    doc
}

/// One input given to [`open`].
#[derive(Debug)]
enum Input {
    File(PathBuf),
    Dir(PathBuf),
}

/// Reads records from files and folders, one at a time; see the module
/// documentation for the formats. Made by [`open`].
pub struct Reader {
    inputs: VecDeque<Input>,
    walk: Option<walk::Walk>,
    current: Option<input::Records>,
    ctx: Arc<input::Context>,
    total: u64,
}

impl fmt::Debug for Reader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reader").field("inputs", &self.inputs).field("total", &self.total).finish_non_exhaustive()
    }
}

impl Reader {
    /// A handle on the reader's progress, to poll from anywhere.
    pub fn progress(&self) -> Progress {
        Progress { read: Arc::clone(&self.ctx.read), total: self.total }
    }
}

impl Iterator for Reader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(records) = &mut self.current {
                if let Some(item) = records.next() {
                    return Some(item);
                }
                self.current = None;
            }
            if let Some(walk) = &mut self.walk {
                match walk.next() {
                    Some(Ok(file)) => {
                        self.current = Some(input::open_file(&self.ctx, &file.path, &file.name, &file.id, true));
                    }
                    Some(Err(skipped)) => return Some(Err(skipped)),
                    None => self.walk = None,
                }
                continue;
            }
            match self.inputs.pop_front()? {
                Input::File(path) => {
                    let name = display_name(&path);
                    self.current = Some(input::open_file(&self.ctx, &path, &name, &name, false));
                }
                Input::Dir(path) => self.walk = Some(walk::Walk::new(&path, &display_name(&path), &self.ctx)),
            }
        }
    }
}

/// The path as the user gave it, with `/` separators and without a leading
/// `./`, so that ids do not depend on how the path was typed.
fn display_name(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut s = s.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.trim_end_matches('/').to_string()
}

/// Opens files and folders for reading, in the order given. Fails before
/// reading anything when a path does not exist or a glob is malformed;
/// every later problem is a [`Skipped`] item. The total input size (for
/// [`Reader::progress`]) is measured here, walking folders once.
pub fn open(paths: &[PathBuf], opts: &ReaderOptions) -> Result<Reader, InputError> {
    let include = compile_globs(&opts.include, "--include")?;
    let exclude = compile_globs(&opts.exclude, "--exclude")?;
    let ctx = Arc::new(input::Context { opts: opts.clone(), include, exclude, read: Arc::new(AtomicU64::new(0)) });
    let mut inputs = VecDeque::new();
    let mut total = 0u64;
    for path in paths {
        let name = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => InputError::NotFound(name.clone()),
            _ => InputError::Io { path: name.clone(), reason: e.to_string() },
        })?;
        if meta.is_dir() {
            total += walk::total_size(path, &ctx);
            inputs.push_back(Input::Dir(path.clone()));
        } else {
            total += meta.len();
            inputs.push_back(Input::File(path.clone()));
        }
    }
    Ok(Reader { inputs, walk: None, current: None, ctx, total })
}

fn compile_globs(patterns: &[String], flag: &str) -> Result<Vec<Glob>, InputError> {
    patterns
        .iter()
        .map(|p| Glob::new(p).map_err(|reason| InputError::Malformed { path: format!("{flag} \"{p}\""), reason }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_names_round_trip() {
        for r in SkipReason::ALL {
            assert_eq!(SkipReason::from_name(r.name()), Some(r));
        }
    }

    #[test]
    fn display_names_do_not_depend_on_how_the_path_was_typed() {
        assert_eq!(display_name(Path::new("./a/b.jsonl")), "a/b.jsonl");
        assert_eq!(display_name(Path::new("dir/")), "dir");
    }

    #[test]
    fn stats_count_by_reason() {
        let mut s = IngestStats::default();
        s.add(&Ok(Record { doc: Document::new("a", "x"), origin: "f:1".into(), warnings: vec![] }));
        s.add(&Err(Skipped::new(SkipReason::NotHtml, "c.warc#2", "image/png")));
        s.add(&Err(Skipped::new(SkipReason::MalformedJson, "f:2", "bad")));
        assert_eq!(s.to_string(), "1 accepted, 2 skipped (1 malformed_json, 1 not_html)");
        assert_eq!(s.unexpected_skips(), 1);
        assert_eq!(s.examples, vec!["f:2: bad".to_string()]);
    }

    #[test]
    fn readers_can_move_to_another_thread() {
        fn send<T: Send>() {}
        send::<Reader>();
    }
}
