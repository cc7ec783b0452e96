//! The results as tables, for pandas, R or DuckDB: JSONL, CSV or Parquet
//! (stemma-export).
//!
//! - `passages`: one row per passage instance, compatible with passim's
//!   cluster records (`uid`, `cluster`, `size`, `id`, `series`, `date`,
//!   `begin`, `end` in characters, `text`) plus stemma's own fields
//!   (`byte_begin`, `byte_end`, `src`, `family`, `boilerplate`);
//! - `pairs`: one row per aligned passage of a pair of documents;
//! - `families`: one row per document of a family;
//! - `sources`: the per-source summary.

use crate::FamiliesResult;
use std::io;
use std::path::{Path, PathBuf};
use stemma_export::{create, Column, ColumnType, Format, Value};

fn passages_schema() -> Vec<Column> {
    use ColumnType::*;
    vec![
        Column::required("uid", Int64, "passage instance number, unique in the run"),
        Column::required("cluster", Int64, "passage cluster: the same text travelling"),
        Column::required("size", Int64, "number of documents in the cluster"),
        Column::required("id", Utf8, "document id"),
        Column::optional("series", Utf8, "document source (outlet, series)"),
        Column::optional("date", Utf8, "document date as given"),
        Column::required("begin", Int64, "start of the passage in the document, in characters"),
        Column::required("end", Int64, "end of the passage (exclusive), in characters"),
        Column::required("byte_begin", Int64, "start in UTF-8 bytes"),
        Column::required("byte_end", Int64, "end in UTF-8 bytes (exclusive)"),
        Column::required("src", Utf8, "id of the earliest document of the cluster (by date, then index order)"),
        Column::optional("family", Int64, "family of the document, if any"),
        Column::required("boilerplate", Bool, "the cluster is one source's recurring text"),
        Column::required("text", Utf8, "the passage"),
    ]
}

fn pairs_schema() -> Vec<Column> {
    use ColumnType::*;
    vec![
        Column::required("a", Utf8, "first document id"),
        Column::required("b", Utf8, "second document id"),
        Column::required("shared_fingerprints", Int64, "fingerprints the documents share"),
        Column::required("a_begin", Int64, "passage start in a (bytes)"),
        Column::required("a_end", Int64, "passage end in a (bytes, exclusive)"),
        Column::required("b_begin", Int64, "passage start in b (bytes)"),
        Column::required("b_end", Int64, "passage end in b (bytes, exclusive)"),
        Column::required("similarity", Float64, "cosine similarity of the two passages"),
        Column::required("cluster", Int64, "passage cluster"),
    ]
}

fn families_schema() -> Vec<Column> {
    use ColumnType::*;
    vec![
        Column::required("family", Int64, "family number"),
        Column::required("size", Int64, "documents in the family"),
        Column::required("id", Utf8, "document id"),
        Column::optional("series", Utf8, "document source"),
        Column::optional("date", Utf8, "document date as given"),
        Column::required("bytes", Int64, "document length in bytes"),
    ]
}

fn sources_schema() -> Vec<Column> {
    use ColumnType::*;
    vec![
        Column::required("source", Utf8, "source (series); (none) for documents without one"),
        Column::required("docs", Int64, "its documents"),
        Column::required("bytes", Int64, "their text in bytes"),
        Column::required("shared_elsewhere", Float64, "share of its text found in other sources' documents"),
        Column::optional("found_earlier_elsewhere", Float64, "share found in other sources' documents dated earlier"),
        Column::required("docs_copying", Int64, "documents with text found earlier elsewhere"),
        Column::optional("median_delay_days", Float64, "median delay behind the earliest other-source version"),
    ]
}

/// The schemas, by table name (for documentation).
pub fn schemas() -> Vec<(&'static str, Vec<Column>)> {
    vec![
        ("passages", passages_schema()),
        ("pairs", pairs_schema()),
        ("families", families_schema()),
        ("sources", sources_schema()),
    ]
}

fn chars_before(text: &str, byte: usize) -> i64 {
    text.get(..byte).map_or(0, |t| t.chars().count() as i64)
}

/// Writes the four tables into `dir` in each of `formats`; returns the files.
pub fn write_tables(r: &FamiliesResult, dir: &Path, formats: &[Format]) -> io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", dir.display())))?;
    let mut files = Vec::new();
    for &format in formats {
        let path = |name: &str| dir.join(format!("{name}.{}", format.extension()));

        let p = path("passages");
        let mut w = create(&p, passages_schema())?;
        let mut uid = 0i64;
        for c in &r.clusters {
            let src = c
                .members
                .iter()
                .map(|m| m.doc)
                .min_by_key(|&d| (r.docs[d as usize].day.unwrap_or(i64::MAX), d))
                .map_or("", |d| r.docs[d as usize].id.as_str());
            for m in &c.members {
                let d = &r.docs[m.doc as usize];
                let text = r.texts[m.doc as usize].as_deref().unwrap_or("");
                let (b, e) = (chars_before(text, m.span.start), chars_before(text, m.span.end));
                w.write_row(&[
                    Value::Int(uid),
                    Value::Int(c.id as i64),
                    Value::Int(c.docs as i64),
                    Value::Str(&d.id),
                    d.series.as_deref().into(),
                    d.date.as_deref().into(),
                    Value::Int(b),
                    Value::Int(e),
                    Value::Int(m.span.start as i64),
                    Value::Int(m.span.end as i64),
                    Value::Str(src),
                    r.family_of[m.doc as usize].map(|f| f as i64).into(),
                    Value::Bool(c.boilerplate),
                    Value::Str(text.get(m.span.clone()).unwrap_or("")),
                ])?;
                uid += 1;
            }
        }
        w.finish()?;
        files.push(p);

        let p = path("pairs");
        let mut w = create(&p, pairs_schema())?;
        for (pair, pc) in r.pairs.iter().zip(&r.passage_clusters) {
            for (q, &c) in pair.passages.iter().zip(pc) {
                w.write_row(&[
                    Value::Str(&r.docs[pair.a as usize].id),
                    Value::Str(&r.docs[pair.b as usize].id),
                    Value::Int(i64::from(pair.shared)),
                    Value::Int(q.a.start as i64),
                    Value::Int(q.a.end as i64),
                    Value::Int(q.b.start as i64),
                    Value::Int(q.b.end as i64),
                    Value::Float((f64::from(q.similarity) * 1000.0).round() / 1000.0),
                    Value::Int(c as i64),
                ])?;
            }
        }
        w.finish()?;
        files.push(p);

        let p = path("families");
        let mut w = create(&p, families_schema())?;
        for (i, f) in r.families.iter().enumerate() {
            for &doc in f {
                let d = &r.docs[doc as usize];
                w.write_row(&[
                    Value::Int(i as i64),
                    Value::Int(f.len() as i64),
                    Value::Str(&d.id),
                    d.series.as_deref().into(),
                    d.date.as_deref().into(),
                    Value::Int(d.bytes as i64),
                ])?;
            }
        }
        w.finish()?;
        files.push(p);

        let p = path("sources");
        let mut w = create(&p, sources_schema())?;
        for s in &r.sources {
            w.write_row(&[
                Value::Str(&s.source),
                Value::Int(s.docs as i64),
                Value::Int(s.bytes as i64),
                Value::Float(s.shared_elsewhere),
                s.found_earlier_elsewhere.into(),
                Value::Int(s.docs_copying as i64),
                s.median_delay_days.into(),
            ])?;
        }
        w.finish()?;
        files.push(p);
    }
    Ok(files)
}
