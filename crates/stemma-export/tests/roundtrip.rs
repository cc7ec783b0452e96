//! Compliance of the written files, checked by independent readers: one
//! table with every type, nulls, empty strings, French accents, emoji, CR,
//! LF, quotes and commas, extreme numbers, NaN and infinities, thousands of
//! rows across several row groups, is written as JSONL, CSV and Parquet
//! (ZSTD and uncompressed, row groups closed by rows and by bytes, an empty
//! table), then read back by pyarrow, Python's csv module and its json
//! module (`tests/check_tables.py`), which compare every value bit for bit
//! and the Parquet metadata (schema, annotations, codecs, row groups,
//! statistics, and filters pushed down to the statistics).
//!
//! The Python comes from `STEMMA_PYTHON`, else `python3`; without pyarrow
//! the test fails and says how to get it (`.ci/run` creates
//! `~/.cache/stemma/venv` with pyarrow and exports `STEMMA_PYTHON`).

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use stemma_export::{
    create, writer_with_options, Column, ColumnType, Compression, Format, ParquetOptions, TableWriter, Value,
};

const ROWS: usize = 5_000;

fn python() -> String {
    std::env::var("STEMMA_PYTHON").ok().filter(|p| !p.is_empty()).unwrap_or_else(|| "python3".to_string())
}

/// pyarrow's version, or a failure that says what to do.
fn require_pyarrow(py: &str) -> String {
    let out = Command::new(py).args(["-c", "import pyarrow, pyarrow.parquet; print(pyarrow.__version__)"]).output();
    match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_string(),
        _ => panic!(
            "pyarrow is not importable by `{py}`: run .ci/run, or `pip install pyarrow` and set \
             STEMMA_PYTHON to that python (.ci/run uses ~/.cache/stemma/venv/bin/python)"
        ),
    }
}

fn schema() -> Vec<Column> {
    vec![
        Column::required("id", ColumnType::Int64, "row number, with extremes"),
        Column::optional("count", ColumnType::Int64, "an integer, sometimes null"),
        Column::optional("score", ColumnType::Float64, "a float, sometimes null, NaN or infinite"),
        Column::required("ratio", ColumnType::Float64, "a float, never null"),
        Column::required("flag", ColumnType::Bool, "a bool"),
        Column::optional("maybe", ColumnType::Bool, "a bool, sometimes null"),
        Column::required("text", ColumnType::Utf8, "text with everything CSV and JSON must escape"),
        Column::optional("légende, \"citée\"", ColumnType::Utf8, "a name that needs quoting; long strings"),
        Column::optional("rare", ColumnType::Utf8, "null except in a few rows: all-null row groups"),
    ]
}

const TEXTS: &[&str] = &[
    "",
    "plain",
    "accents : é è ê à ç ô œ Ÿ « guillemets »",
    "emoji 😀 🇫🇷 👩‍👩‍👧 🎉",
    "line one\nline two",
    "windows\r\nline end",
    "lone\rcarriage return",
    "a \"quoted\" word",
    "comma, separated, values",
    "\"",
    ",",
    "\t tab and spaces ",
    "null",
    "NaN",
    "back\\slash and /slash",
    "\u{0}nul and \u{1f} unit separator",
    "\u{2028} line separator \u{2029}",
    "日本語のテキスト",
    "=1+1",
];

struct Row {
    id: i64,
    count: Option<i64>,
    score: Option<f64>,
    ratio: f64,
    flag: bool,
    maybe: Option<bool>,
    text: String,
    note: Option<String>,
    rare: Option<String>,
}

fn rows() -> Vec<Row> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let floats = [
        0.0,
        -0.0,
        0.1,
        -1.5,
        1e300,
        -1e-300,
        5e-324,
        f64::MAX,
        f64::MIN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        123_456.789,
        1e16,
        2.5e-7,
    ];
    let long = "Le président a déclaré : « nous ferons tout », puis 😀. ".repeat(4);
    (0..ROWS)
        .map(|i| {
            let r = next();
            let id = match i {
                0 => i64::MIN,
                1 => i64::MAX,
                _ => i as i64 - 100,
            };
            let text = if i % 3 == 0 {
                TEXTS[i % TEXTS.len()].to_string()
            } else {
                format!("{} #{i}", TEXTS[i % TEXTS.len()])
            };
            Row {
                id,
                count: (r % 7 != 0).then_some((r >> 8) as i64 - (1 << 40)),
                score: match r % 5 {
                    0 => None,
                    1 => Some(floats[(r >> 16) as usize % floats.len()]),
                    _ => Some((r >> 11) as f64 / (1u64 << 30) as f64 - 1000.0),
                },
                // Specials in the first 3,600 rows; then, in row groups of
                // 1,200, one whose minimum is +0.0 and one whose maximum is
                // -0.0 (statistics must write them as -0.0 and +0.0).
                ratio: match i {
                    3600 => 0.0,
                    4800 => -0.0,
                    4801.. => -(i as f64) / 3.0,
                    _ if i < 3600 && i % 50 == 0 => floats[i / 50 % floats.len()],
                    _ => i as f64 / 3.0,
                },
                flag: (r >> 3) & 1 == 1,
                maybe: match (r >> 5) % 3 {
                    0 => None,
                    1 => Some(true),
                    _ => Some(false),
                },
                text,
                note: match (r >> 20) % 6 {
                    0 => None,
                    1 => Some(String::new()),
                    2 => Some(format!("{long}{i}")),
                    _ => Some(format!("note {:x}", r >> 40)),
                },
                rare: (10..20).contains(&i).then(|| format!("rare {i}")),
            }
        })
        .collect()
}

fn values(r: &Row) -> [Value<'_>; 9] {
    [
        Value::Int(r.id),
        r.count.into(),
        r.score.into(),
        Value::Float(r.ratio),
        Value::Bool(r.flag),
        r.maybe.into(),
        Value::Str(&r.text),
        r.note.as_deref().into(),
        r.rare.as_deref().into(),
    ]
}

/// The expected rows as JSON, floats as the hex of their bits.
fn expected_json(rows: &[Row]) -> serde_json::Value {
    use serde_json::{json, Value as J};
    let cols: Vec<J> =
        schema().iter().map(|c| json!({"name": c.name, "type": c.ty.name(), "nullable": c.nullable})).collect();
    let rows: Vec<J> = rows
        .iter()
        .map(|r| {
            J::Array(
                values(r)
                    .iter()
                    .map(|v| match *v {
                        Value::Null => J::Null,
                        Value::Int(i) => json!(i),
                        Value::Float(f) => json!(format!("{:016x}", f.to_bits())),
                        Value::Bool(b) => json!(b),
                        Value::Str(s) => json!(s),
                    })
                    .collect(),
            )
        })
        .collect();
    json!({"columns": cols, "rows": rows})
}

/// Writes `rows` with `w`, trying a refused row half-way: it must fail with
/// InvalidInput naming the column, and the writer must go on.
fn write_all(mut w: Box<dyn TableWriter + Send>, rows: &[Row]) {
    for (i, r) in rows.iter().enumerate() {
        if i == rows.len() / 2 {
            let mut bad = values(r);
            bad[4] = Value::Str("yes");
            let e = w.write_row(&bad).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
            assert_eq!(e.to_string(), "column `flag` (bool) got a string");
            let e = w.write_row(&bad[..3]).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        }
        w.write_row(&values(r)).unwrap();
    }
    assert_eq!(w.rows(), rows.len() as u64);
    w.finish().unwrap();
}

fn parquet(path: &Path, rows: &[Row], options: &ParquetOptions) {
    let w = writer_with_options(Format::Parquet, schema(), File::create(path).unwrap(), options).unwrap();
    write_all(w, rows);
}

#[test]
fn independent_readers_read_back_every_value() {
    let py = python();
    let version = require_pyarrow(&py);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("stemma-export-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let rows = rows();
    let p = |name: &str| dir.join(name);

    write_all(create(&p("t.jsonl"), schema()).unwrap(), &rows);
    write_all(create(&p("t.csv"), schema()).unwrap(), &rows);
    write_all(create(&p("default.parquet"), schema()).unwrap(), &rows);
    let zstd = ParquetOptions { row_group_rows: 1_200, page_rows: 500, ..ParquetOptions::default() };
    parquet(&p("zstd.parquet"), &rows, &zstd);
    let plain = ParquetOptions {
        compression: Compression::None,
        row_group_bytes: 64 << 10,
        page_bytes: 4 << 10,
        ..ParquetOptions::default()
    };
    parquet(&p("plain.parquet"), &rows, &plain);
    for name in ["empty.parquet", "empty.csv", "empty.jsonl"] {
        create(&p(name), schema()).unwrap().finish().unwrap();
    }

    // Deterministic bytes: the same rows give the same file.
    parquet(&p("zstd2.parquet"), &rows, &zstd);
    assert!(fs::read(p("zstd.parquet")).unwrap() == fs::read(p("zstd2.parquet")).unwrap(), "not deterministic");

    let file = |format: &str, name: &str, extra: serde_json::Value| {
        let mut f = serde_json::json!({"format": format, "path": p(name)});
        if let (Some(f), Some(extra)) = (f.as_object_mut(), extra.as_object()) {
            f.extend(extra.clone());
        }
        f
    };
    let mut plan = expected_json(&rows);
    plan["files"] = serde_json::json!([
        file("jsonl", "t.jsonl", serde_json::json!({})),
        file("csv", "t.csv", serde_json::json!({})),
        file("parquet", "zstd.parquet", serde_json::json!({"codec": "ZSTD", "row_groups": 5})),
        file("parquet", "plain.parquet", serde_json::json!({"codec": "UNCOMPRESSED", "min_row_groups": 3})),
        file("parquet", "default.parquet", serde_json::json!({"codec": "ZSTD", "row_groups": 1})),
        file("parquet", "empty.parquet", serde_json::json!({"codec": "ZSTD", "row_groups": 0, "rows": "none"})),
        file("csv", "empty.csv", serde_json::json!({"rows": "none"})),
        file("jsonl", "empty.jsonl", serde_json::json!({"rows": "none"})),
    ]);
    fs::write(p("plan.json"), serde_json::to_vec(&plan).unwrap()).unwrap();

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/check_tables.py");
    let out = Command::new(&py).arg(&script).arg(p("plan.json")).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{} failed (pyarrow {version}):\n{stdout}{}",
        script.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{stdout}");
    fs::remove_dir_all(&dir).unwrap();
}
