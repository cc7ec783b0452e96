//! The collection readers on small files that each test writes into its own
//! temporary folder: what a user would notice (records read, ids, texts,
//! skips counted by reason, line numbers in messages).

use flate2::write::GzEncoder;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use stemma_ingest::json::FieldMap;
use stemma_ingest::readers::{open, IngestStats, ReaderOptions, Record, SkipReason, Skipped};
use stemma_ingest::InputError;

/// A temporary folder removed at the end of the test.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("stemma-readers-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    /// Writes a file (creating its folders) and returns its path.
    fn write(&self, rel: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Read {
    records: Vec<Record>,
    skipped: Vec<Skipped>,
    stats: IngestStats,
}

impl Read {
    fn ids(&self) -> Vec<&str> {
        self.records.iter().map(|r| r.doc.id.as_str()).collect()
    }

    fn skips(&self, reason: SkipReason) -> Vec<&str> {
        self.skipped.iter().filter(|s| s.reason == reason).map(|s| s.message.as_str()).collect()
    }
}

fn read(paths: &[PathBuf], opts: &ReaderOptions) -> Read {
    let reader = open(paths, opts).unwrap();
    let progress = reader.progress();
    let mut stats = IngestStats::default();
    let (mut records, mut skipped) = (Vec::new(), Vec::new());
    for item in reader {
        stats.add(&item);
        match item {
            Ok(r) => records.push(r),
            Err(s) => skipped.push(s),
        }
    }
    stats.bytes_read = progress.bytes_read();
    Read { records, skipped, stats }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(bytes, ruzstd::encoding::CompressionLevel::Fastest)
}

// ---------------------------------------------------------------- JSONL

const NEWS_JSONL: &str = concat!(
    r#"{"id":"afp-1","text":"Le maire de Lyon a annoncé mardi un plan de 40 millions d'euros pour les pistes cyclables.","series":"afp","date":"2019-01-15","lang":"fr","tags":["vélo","ville"],"meta":{"words":16}}"#,
    "\n",
    r#"{"id":"ouest-2","text":"Storms closed 12 ports along the Atlantic coast on Sunday.","source":"ouest","url":"https://example.org/storms","title":"Storms"}"#,
    "\n",
    r#"{"id":"broken","text":"Cette ligne n'est pas du JSON valide""#,
    "\n",
    "\n",
    r#"{"id":"afp-1","text":"Le maire de Lyon a présenté mardi un plan vélo de 40 millions d'euros."}"#,
    "\n",
    r#"{"id":"no-text","body":"Le texte est dans un autre champ."}"#,
    "\n",
    r#"{"id":"empty","text":"   "}"#,
    "\n",
    r#"{"text":"Sans identifiant, le lecteur en donne un."}"#,
    "\n",
);

#[test]
fn jsonl_keeps_the_records_around_a_malformed_line() {
    let dir = TempDir::new("jsonl");
    let path = dir.write("news.jsonl", NEWS_JSONL.as_bytes());
    let r = read(&[path], &ReaderOptions::default());
    // The duplicate id comes out twice: de-duplication is the index's job.
    let fallback = format!("{}:8", dir.0.join("news.jsonl").display());
    assert_eq!(r.ids(), vec!["afp-1", "ouest-2", "afp-1", fallback.as_str()]);
    let malformed = r.skips(SkipReason::MalformedJson);
    assert_eq!(malformed.len(), 1);
    assert!(malformed[0].contains("news.jsonl:3: invalid JSON"), "{}", malformed[0]);
    assert!(malformed[0].ends_with("fix or remove this line"), "{}", malformed[0]);
    assert!(r.skips(SkipReason::MissingText)[0].contains("news.jsonl:6: no \"text\" field; map another field"));
    assert!(r.skips(SkipReason::EmptyText)[0].contains("news.jsonl:7:"));
    assert_eq!(r.stats.to_string(), "4 accepted, 3 skipped (1 malformed_json, 1 missing_text, 1 empty_text)");

    // passim's fields, the others kept verbatim.
    let first = &r.records[0].doc;
    assert_eq!(first.series.as_deref(), Some("afp"));
    assert_eq!(first.date.as_deref(), Some("2019-01-15"));
    assert_eq!(first.lang.as_deref(), Some("fr"));
    assert_eq!(first.extra["tags"], serde_json::json!(["vélo", "ville"]));
    assert_eq!(first.extra["meta"], serde_json::json!({"words": 16}));
    let second = &r.records[1].doc;
    assert_eq!(second.series.as_deref(), Some("ouest"), "source stands for series");
    assert_eq!(second.url.as_deref(), Some("https://example.org/storms"));
    assert_eq!(second.title.as_deref(), Some("Storms"));
    assert!(r.records[1].origin.ends_with("news.jsonl:2"));
}

#[test]
fn jsonl_with_invalid_utf8_is_read_lossily_with_a_warning() {
    let dir = TempDir::new("utf8");
    let mut data = br#"{"id":"a","text":"Caf"#.to_vec();
    data.push(0xe9); // Latin-1 é in a UTF-8 file
    data.extend_from_slice(b" au lait.\"}\n{\"id\":\"b\",\"text\":\"Tout va bien.\"}\n");
    let path = dir.write("mixed.jsonl", &data);
    let r = read(&[path], &ReaderOptions::default());
    assert_eq!(r.ids(), vec!["a", "b"]);
    assert_eq!(r.records[0].doc.text, "Caf\u{FFFD} au lait.");
    assert_eq!(r.records[0].warnings.len(), 1);
    assert!(
        r.records[0].warnings[0].contains("mixed.jsonl:1: invalid UTF-8 at byte 21"),
        "{:?}",
        r.records[0].warnings
    );
    assert!(r.records[1].warnings.is_empty());
    assert_eq!(r.stats.warned, 1);
    assert_eq!(r.stats.skipped_total(), 0);
}

#[test]
fn field_names_can_be_mapped() {
    let dir = TempDir::new("fields");
    let path = dir.write(
        "export.jsonl",
        r#"{"doc_id":"x7","body":"La Bourse de Paris a fini en hausse de 1,2 %.","outlet":"lesoir","text":"résumé"}"#
            .as_bytes(),
    );
    let fields =
        FieldMap { id: "doc_id".into(), text: "body".into(), series: vec!["outlet".into()], ..FieldMap::default() };
    let r = read(&[path], &ReaderOptions { fields, ..ReaderOptions::default() });
    let doc = &r.records[0].doc;
    assert_eq!(doc.id, "x7");
    assert_eq!(doc.text, "La Bourse de Paris a fini en hausse de 1,2 %.");
    assert_eq!(doc.series.as_deref(), Some("lesoir"));
    // A field that is not mapped is kept, even one named like a default.
    assert_eq!(doc.extra["text"], "résumé");
}

#[test]
fn over_long_records_are_skipped_and_the_next_ones_read() {
    let dir = TempDir::new("limit");
    let long = format!("{{\"id\":\"long\",\"text\":\"{}\"}}\n", "mot ".repeat(100));
    let data = format!("{long}{{\"id\":\"short\",\"text\":\"Un texte court.\"}}\n");
    let path = dir.write("big.jsonl", data.as_bytes());
    let r = read(&[path], &ReaderOptions { max_record_bytes: 200, ..ReaderOptions::default() });
    assert_eq!(r.ids(), vec!["short"]);
    let skip = r.skips(SkipReason::TooLarge);
    assert!(skip[0].contains("big.jsonl:1: record too large"), "{}", skip[0]);
    assert!(skip[0].contains("--max-size"));
}

// ---------------------------------------------------------------- compression

#[test]
fn gzip_and_zstd_are_recognised_by_content_not_by_name() {
    let dir = TempDir::new("compressed");
    let lines = "{\"id\":\"n1\",\"text\":\"Premier article sur la grève des transports.\"}\n\
                 {\"id\":\"n2\",\"text\":\"Second article: the strike ended on Friday.\"}\n";
    let gz = dir.write("news.jsonl.gz", &gzip(lines.as_bytes()));
    // zstd data behind a name that says nothing of it.
    let zst_plain_name = dir.write("news-2.jsonl", &zstd(lines.as_bytes()));
    // zstd data behind a name that says gzip.
    let zst_wrong_name = dir.write("news-3.jsonl.gz", &zstd(lines.as_bytes()));
    // No format in the name at all: JSON lines are recognised by content.
    let no_ext = dir.write("export.dat", &zstd(lines.as_bytes()));
    // A compressed plain text.
    let txt = dir.write("note.txt", &gzip("Une dépêche compressée.".as_bytes()));
    let r = read(&[gz, zst_plain_name, zst_wrong_name, no_ext, txt.clone()], &ReaderOptions::default());
    assert_eq!(r.stats.skipped_total(), 0, "{:?}", r.skipped);
    assert_eq!(r.ids()[..8], ["n1", "n2", "n1", "n2", "n1", "n2", "n1", "n2"]);
    assert_eq!(r.records[1].doc.text, "Second article: the strike ended on Friday.");
    assert_eq!(r.records[8].doc.text, "Une dépêche compressée.");
    assert_eq!(r.records[8].doc.id, txt.display().to_string());
}

#[test]
fn a_truncated_gzip_file_keeps_the_records_before_the_cut() {
    let dir = TempDir::new("truncated");
    let mut lines = String::new();
    for i in 0..200 {
        lines
            .push_str(&format!("{{\"id\":\"d{i}\",\"text\":\"Article numéro {i} sur les élections municipales.\"}}\n"));
    }
    let gz = gzip(lines.as_bytes());
    let path = dir.write("cut.jsonl.gz", &gz[..gz.len() * 2 / 3]);
    let r = read(&[path], &ReaderOptions::default());
    assert!(r.records.len() > 50, "{} records", r.records.len());
    assert_eq!(r.records[0].doc.id, "d0");
    let unreadable = r.skips(SkipReason::Unreadable);
    assert_eq!(unreadable.len(), 1);
    assert!(unreadable[0].contains("truncated") || unreadable[0].contains("corrupt"), "{}", unreadable[0]);
    assert!(unreadable[0].ends_with("the rest of the file was skipped"), "{}", unreadable[0]);
}

// ---------------------------------------------------------------- CSV

#[test]
fn csv_with_quoted_newlines_and_a_bad_row() {
    let dir = TempDir::new("csv");
    let csv = "id,title,text,series,pages\r\n\
               c1,Grève,\"La grève a duré trois jours.\r\nLes trains reprennent lundi, selon la SNCF.\",afp,2\r\n\
               c2,,\"He said: \"\"we will not give up\"\".\",reuters,1\r\n\
               c3,Trop,de,champs,dans,cette,ligne\r\n\
               c4,Marché,\"Le marché a ouvert en hausse.\",,3\r\n\
               ,Sans id,Un texte sans identifiant.,afp,1\r\n";
    let path = dir.write("export.csv", csv.as_bytes());
    let r = read(std::slice::from_ref(&path), &ReaderOptions::default());
    let fallback = format!("{}:7", path.display());
    assert_eq!(r.ids(), vec!["c1", "c2", "c4", fallback.as_str()]);
    let c1 = &r.records[0].doc;
    assert_eq!(c1.text, "La grève a duré trois jours.\r\nLes trains reprennent lundi, selon la SNCF.");
    assert_eq!(c1.title.as_deref(), Some("Grève"));
    assert_eq!(c1.series.as_deref(), Some("afp"));
    assert_eq!(c1.extra["pages"], "2");
    assert_eq!(r.records[1].doc.text, "He said: \"we will not give up\".");
    assert_eq!(r.records[1].doc.title, None, "an empty cell is no title");
    // The bad row starts on line 5: the quoted newline of row c1 counts.
    let bad = r.skips(SkipReason::BadCsvRow);
    assert_eq!(bad.len(), 1);
    assert!(bad[0].contains("export.csv:5: 7 fields where the header has 5"), "{}", bad[0]);
    assert!(r.records[2].origin.ends_with("export.csv:6"));
}

#[test]
fn csv_without_a_text_column_says_which_columns_there_are() {
    let dir = TempDir::new("csv-header");
    let path = dir.write("notes.tsv", b"id\tcontenu\n1\tBonjour.\n");
    let r = read(std::slice::from_ref(&path), &ReaderOptions::default());
    assert!(r.records.is_empty());
    let skip = r.skips(SkipReason::NoTextColumn);
    assert!(skip[0].contains("no \"text\" column in the header (columns: id, contenu)"), "{}", skip[0]);
    let fields = FieldMap { text: "contenu".into(), ..FieldMap::default() };
    let r = read(&[path], &ReaderOptions { fields, ..ReaderOptions::default() });
    assert_eq!(r.records[0].doc.text, "Bonjour.");
}

#[test]
fn utf16_exports_are_read_as_text() {
    // Spreadsheets save "Unicode text" as UTF-16 with a byte-order mark.
    let dir = TempDir::new("utf16");
    let tsv = "id\ttext\nu1\tLe décret a été publié au Journal officiel.\n";
    let mut bytes = vec![0xff, 0xfe];
    for unit in tsv.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let path = dir.write("export.tsv", &bytes);
    let r = read(&[path], &ReaderOptions::default());
    assert_eq!(r.stats.skipped_total(), 0, "{:?}", r.skipped);
    assert_eq!(r.records[0].doc.text, "Le décret a été publié au Journal officiel.");
}

// ---------------------------------------------------------------- WARC

fn http(status: &str, headers: &[&str], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n").into_bytes();
    for h in headers {
        out.extend_from_slice(format!("{h}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

fn warc_record(version: &str, kind: &str, uri: Option<&str>, n: u32, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut head = format!("{version}\r\nWARC-Type: {kind}\r\n");
    if let Some(uri) = uri {
        head.push_str(&format!("WARC-Target-URI: {uri}\r\n"));
    }
    head.push_str(&format!(
        "WARC-Date: 2019-02-0{n}T08:30:00Z\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-00000000000{n}>\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    ));
    let mut out = head.into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// A small crawl: two HTML pages among records a crawl also holds.
fn crawl() -> Vec<Vec<u8>> {
    let page_a = "<!doctype html><html><head><title>Inondations dans le Sud</title></head>\
                  <body><p>Les pluies ont inondé 300 maisons à Nîmes, selon la préfecture.</p></body></html>";
    // Latin-1, declared in the page only, sent chunked.
    let mut page_b = b"<html><head><meta charset=\"iso-8859-1\"><title>March\xe9s</title></head><body>\
                       <p>Les march\xe9s europ\xe9ens ont recul\xe9 vendredi.</p></body></html>"
        .to_vec();
    let chunked = {
        let mut c = format!("{:x}\r\n", page_b.len()).into_bytes();
        c.append(&mut page_b);
        c.extend_from_slice(b"\r\n0\r\n\r\n");
        c
    };
    vec![
        warc_record("WARC/1.1", "warcinfo", None, 1, "application/warc-fields", b"software: test-writer\r\n"),
        warc_record(
            "WARC/1.1",
            "request",
            Some("https://news.example.fr/inondations"),
            2,
            "application/http; msgtype=request",
            b"GET /inondations HTTP/1.1\r\nHost: news.example.fr\r\n\r\n",
        ),
        warc_record(
            "WARC/1.1",
            "response",
            Some("https://news.example.fr/inondations"),
            3,
            "application/http; msgtype=response",
            &http("200 OK", &["Content-Type: text/html; charset=utf-8"], page_a.as_bytes()),
        ),
        warc_record(
            "WARC/1.1",
            "response",
            Some("https://news.example.fr/logo.png"),
            4,
            "application/http; msgtype=response",
            &http("200 OK", &["Content-Type: image/png"], b"\x89PNG\r\n\x1a\n\0\0\0"),
        ),
        warc_record(
            "WARC/1.0",
            "response",
            Some("<https://bourse.example.com/marches>"),
            5,
            "application/http; msgtype=response",
            &http("200 OK", &["Content-Type: text/html", "Transfer-Encoding: chunked"], &chunked),
        ),
        warc_record(
            "WARC/1.0",
            "response",
            Some("https://news.example.fr/old"),
            6,
            "application/http; msgtype=response",
            &http("301 Moved Permanently", &["Location: https://news.example.fr/new"], b""),
        ),
    ]
}

fn check_crawl(r: &Read, name: &str) {
    assert_eq!(r.ids(), vec!["https://news.example.fr/inondations", "https://bourse.example.com/marches"]);
    let a = &r.records[0].doc;
    assert_eq!(a.title.as_deref(), Some("Inondations dans le Sud"));
    assert_eq!(a.text, "Les pluies ont inondé 300 maisons à Nîmes, selon la préfecture.");
    assert_eq!(a.url.as_deref(), Some("https://news.example.fr/inondations"));
    assert_eq!(a.date.as_deref(), Some("2019-02-03T08:30:00Z"));
    assert_eq!(a.extra["warc_record_id"], "urn:uuid:00000000-0000-0000-0000-000000000003");
    assert!(r.records[0].origin.ends_with(&format!("{name}#3")), "{}", r.records[0].origin);
    let b = &r.records[1].doc;
    assert_eq!(b.title.as_deref(), Some("Marchés"));
    assert_eq!(b.text, "Les marchés européens ont reculé vendredi.");
    assert_eq!(b.url.as_deref(), Some("https://bourse.example.com/marches"));
    assert!(r.records.iter().all(|r| r.warnings.is_empty()));
    assert_eq!(r.stats.count(SkipReason::NotResponse), 2);
    assert_eq!(r.stats.count(SkipReason::NotHtml), 1);
    assert_eq!(r.stats.count(SkipReason::HttpStatus), 1);
    // These skips are a normal part of a crawl.
    assert_eq!(r.stats.unexpected_skips(), 0);
    assert!(r.stats.examples.is_empty());
    assert!(r.skips(SkipReason::NotHtml)[0].contains("image/png response for https://news.example.fr/logo.png"));
}

#[test]
fn warc_reads_the_html_responses() {
    let dir = TempDir::new("warc");
    let path = dir.write("crawl.warc", &crawl().concat());
    let r = read(&[path], &ReaderOptions::default());
    check_crawl(&r, "crawl.warc");
}

#[test]
fn warc_gz_with_one_gzip_member_per_record() {
    let dir = TempDir::new("warcgz");
    let members: Vec<u8> = crawl().iter().flat_map(|rec| gzip(rec)).collect();
    let path = dir.write("crawl.warc.gz", &members);
    let r = read(std::slice::from_ref(&path), &ReaderOptions::default());
    check_crawl(&r, "crawl.warc.gz");
    // The whole file was read, so a progress bar reaches its end.
    let size = std::fs::metadata(&path).unwrap().len();
    assert_eq!(r.stats.bytes_read, size);
    // A crawl is recognised by its first line whatever its name.
    let odd = dir.write("capture-2019.gz", &members);
    check_crawl(&read(&[odd], &ReaderOptions::default()), "capture-2019.gz");
    // And zstd-compressed, one frame per record.
    let frames: Vec<u8> = crawl().iter().flat_map(|rec| zstd(rec)).collect();
    let zst = dir.write("crawl.warc.zst", &frames);
    check_crawl(&read(&[zst], &ReaderOptions::default()), "crawl.warc.zst");
}

#[test]
fn a_damaged_warc_record_does_not_lose_its_neighbours() {
    let dir = TempDir::new("warc-bad");
    let records = crawl();
    let mut data = records[2].clone();
    data.extend_from_slice(b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: many\r\n\r\njunk\r\n\r\n");
    data.extend_from_slice(&records[4]);
    let path = dir.write("damaged.warc", &data);
    let r = read(&[path], &ReaderOptions::default());
    assert_eq!(r.ids(), vec!["https://news.example.fr/inondations", "https://bourse.example.com/marches"]);
    let bad = r.skips(SkipReason::MalformedWarc);
    assert!(bad[0].contains("damaged.warc#2: no valid Content-Length"), "{}", bad[0]);
}

// ---------------------------------------------------------------- folders

fn tree(dir: &TempDir) -> PathBuf {
    let root = dir.0.join("site");
    dir.write("site/2019/janvier/greve.txt", "La grève des contrôleurs aériens a été levée.".as_bytes());
    dir.write("site/2019/janvier/notes.md", b"# Notes\n\nThe council met on Tuesday.");
    dir.write(
        "site/2019/fevrier/page.html",
        b"<html><head><meta charset=windows-1252><title>Budget</title></head><body><p>Le budget \x93vert\x94 est adopt\xe9.</p></body></html>",
    );
    dir.write(
        "site/2019/records.jsonl",
        b"{\"id\":\"r1\",\"text\":\"Premier.\"}\n{\"id\":\"r2\",\"text\":\"Second.\"}\n",
    );
    dir.write("site/2019/liste.json", br#"[{"text":"Un."},{"text":"Deux."}]"#);
    dir.write("site/brouillons/draft.txt", b"Ne pas publier.");
    dir.write("site/logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    dir.write("site/corrupt.txt", b"du texte\0\0\x01\x02 puis du binaire");
    dir.write("site/.cache/old.txt", b"Ancienne version.");
    root
}

#[test]
fn folders_are_walked_in_sorted_order_with_ids_relative_to_the_folder() {
    let dir = TempDir::new("tree");
    let root = tree(&dir);
    let opts = ReaderOptions { exclude: vec!["brouillons/".into()], ..ReaderOptions::default() };
    let r = read(std::slice::from_ref(&root), &opts);
    assert_eq!(
        r.ids(),
        vec![
            "2019/fevrier/page.html",
            "2019/janvier/greve.txt",
            "2019/janvier/notes.md",
            "2019/liste.json#1",
            "2019/liste.json#2",
            "r1",
            "r2",
        ]
    );
    let page = &r.records[0].doc;
    assert_eq!(page.title.as_deref(), Some("Budget"));
    assert_eq!(page.text, "Le budget \u{201c}vert\u{201d} est adopté.");
    assert_eq!(r.records[0].origin, format!("{}/2019/fevrier/page.html", root.display()));
    assert!(r.records[5].origin.ends_with("site/2019/records.jsonl:1"));
    let binary = r.skips(SkipReason::Binary);
    assert_eq!(binary.len(), 1);
    assert!(binary[0].contains("corrupt.txt: looks binary (NUL byte at offset 8)"), "{}", binary[0]);
    let png = r.skips(SkipReason::UnsupportedType);
    assert!(png[0].contains("logo.png: .png files are not read"), "{}", png[0]);
    // Hidden folders and excluded ones are left out without a word.
    assert_eq!(r.stats.skipped_total(), 2);
    // Every byte that was to be read was read.
    let progress_total = open(&[root], &opts).unwrap().progress().total_bytes();
    assert!(r.stats.bytes_read >= progress_total);
}

#[test]
fn include_and_exclude_globs_filter_the_walk() {
    let dir = TempDir::new("globs");
    let root = tree(&dir);
    let only_text = ReaderOptions { include: vec!["*.{txt,md}".into()], ..ReaderOptions::default() };
    let r = read(std::slice::from_ref(&root), &only_text);
    assert_eq!(r.ids(), vec!["2019/janvier/greve.txt", "2019/janvier/notes.md", "brouillons/draft.txt"]);
    assert_eq!(r.stats.count(SkipReason::Binary), 1, "corrupt.txt matches too");

    let january = ReaderOptions {
        include: vec!["2019/**".into()],
        exclude: vec!["*.json*".into(), "2019/fevrier".into()],
        ..ReaderOptions::default()
    };
    let r = read(std::slice::from_ref(&root), &january);
    assert_eq!(r.ids(), vec!["2019/janvier/greve.txt", "2019/janvier/notes.md"]);
    assert_eq!(r.stats.skipped_total(), 0);

    let hidden = ReaderOptions { hidden: true, include: vec![".cache/*".into()], ..ReaderOptions::default() };
    assert_eq!(read(&[root], &hidden).ids(), vec![".cache/old.txt"]);
}

// ---------------------------------------------------------------- errors before reading

#[test]
fn a_missing_input_or_a_bad_glob_fails_before_reading() {
    let dir = TempDir::new("errors");
    let ok = dir.write("a.txt", b"Bonjour.");
    let missing = dir.0.join("absent.jsonl");
    match open(&[ok.clone(), missing], &ReaderOptions::default()) {
        Err(InputError::NotFound(p)) => assert!(p.ends_with("absent.jsonl")),
        other => panic!("expected NotFound, got {other:?}"),
    }
    let bad = ReaderOptions { include: vec!["[abc".into()], ..ReaderOptions::default() };
    let e = open(&[ok], &bad).unwrap_err().to_string();
    assert!(e.starts_with("--include \"[abc\": unclosed '['"), "{e}");
}

#[test]
fn progress_is_measured_against_the_total_input_size() {
    let dir = TempDir::new("progress");
    let a = dir.write("a.jsonl", NEWS_JSONL.as_bytes());
    let b = dir.write("b.txt.gz", &gzip("Un court texte compressé.".repeat(50).as_bytes()));
    let total = std::fs::metadata(&a).unwrap().len() + std::fs::metadata(&b).unwrap().len();
    let mut reader = open(&[a, b], &ReaderOptions::default()).unwrap();
    let progress = reader.progress();
    assert_eq!(progress.total_bytes(), total);
    assert_eq!(progress.bytes_read(), 0);
    assert!(reader.next().is_some());
    assert!(progress.bytes_read() > 0);
    for _ in reader.by_ref() {}
    assert_eq!(progress.bytes_read(), total);
    assert_eq!(progress.fraction(), 1.0);
}

#[test]
fn nothing_panics_on_garbage() {
    let dir = TempDir::new("garbage");
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut bytes = Vec::new();
    for _ in 0..20_000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        bytes.push((seed >> 24) as u8);
    }
    let mut paths = Vec::new();
    for name in ["g.jsonl", "g.csv", "g.warc", "g.html", "g.json", "g.txt"] {
        paths.push(dir.write(name, &bytes));
        // The same behind valid headers and in compressed wrappers.
        let mut framed = b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 9000\r\n\r\nHTTP/1.1 200 OK\r\n".to_vec();
        framed.extend_from_slice(&bytes);
        paths.push(dir.write(&format!("framed-{name}"), &framed));
        let mut bad_gz = gzip(&bytes);
        let len = bad_gz.len();
        bad_gz[len / 2] ^= 0xff;
        paths.push(dir.write(&format!("{name}.gz"), &bad_gz));
        paths.push(dir.write(&format!("{name}.zst"), &zstd(&bytes)[..500]));
    }
    let r = read(&paths, &ReaderOptions::default());
    assert!(r.stats.skipped_total() >= paths.len() as u64, "{}", r.stats);
    for s in &r.skipped {
        assert!(!s.message.contains('\n'), "one line: {}", s.message);
    }
}

#[test]
fn damaged_copies_of_good_files_never_panic() {
    // Bytes flipped, runs cut out and ends truncated, plain and gzipped:
    // every item is a record or a one-line skip, and reading always ends.
    let dir = TempDir::new("mutations");
    let csv = "id,text\n1,\"Une ligne\nsur deux\"\n2,Le conseil a voté.\n".repeat(20);
    let bases: [(&str, Vec<u8>); 3] =
        [("m.warc", crawl().concat()), ("m.jsonl", NEWS_JSONL.repeat(5).into_bytes()), ("m.csv", csv.into_bytes())];
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed as usize
    };
    let mut accepted = 0;
    for (name, base) in &bases {
        for round in 0..150 {
            let mut b = base.clone();
            for _ in 0..rnd() % 12 {
                let i = rnd() % b.len();
                b[i] = rnd() as u8;
            }
            if round % 2 == 0 && b.len() > 2 {
                let i = rnd() % b.len();
                let j = (i + rnd() % 300).min(b.len());
                b.drain(i..j);
            }
            if round % 3 == 0 && !b.is_empty() {
                let keep = rnd() % b.len();
                b.truncate(keep);
            }
            let data = if round % 4 == 1 { gzip(&b) } else { b };
            let path = dir.write(&format!("{round}-{name}"), &data);
            let r = read(&[path], &ReaderOptions::default());
            accepted += r.records.len();
            for s in &r.skipped {
                assert!(!s.message.contains('\n'), "one line: {}", s.message);
            }
        }
    }
    assert!(accepted > 0);
}
