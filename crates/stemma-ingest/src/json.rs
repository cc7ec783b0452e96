//! Documents from JSON records, with passim's field names (`id`, `text`,
//! `series`) plus `title`, `url`, `date`, `source` and `lang`; every other
//! field is kept verbatim in [`Document::extra`].

use serde_json::{Map, Value};
use stemma_text::Document;

/// Which record fields hold the document's parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMap {
    /// Field holding the id.
    pub id: String,
    /// Field holding the text.
    pub text: String,
    /// Field holding the title.
    pub title: String,
    /// Field holding the URL.
    pub url: String,
    /// Field holding the date.
    pub date: String,
    /// Fields holding the outlet or series, first present wins.
    pub series: Vec<String>,
    /// Field holding the language code.
    pub lang: String,
}

impl Default for FieldMap {
    fn default() -> Self {
        FieldMap {
            id: "id".into(),
            text: "text".into(),
            title: "title".into(),
            url: "url".into(),
            date: "date".into(),
            series: vec!["series".into(), "source".into()],
            lang: "lang".into(),
        }
    }
}

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Builds a document from one JSON record. `fallback_id` is used when the
/// record has no id.
pub fn document_from_record(
    record: Map<String, Value>,
    fallback_id: &str,
    fields: &FieldMap,
) -> Result<Document, String> {
    let mut record = record;
    let text = match record.remove(&fields.text) {
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(format!("field \"{}\" must be a string, found {}", fields.text, kind(&other)));
        }
        None => return Err(format!("no \"{}\" field; map another field with --text-field", fields.text)),
    };
    let mut take = |name: &str| record.remove(name).as_ref().and_then(as_text);
    let id = take(&fields.id).unwrap_or_else(|| fallback_id.to_string());
    let title = take(&fields.title);
    let url = take(&fields.url);
    let date = take(&fields.date);
    let lang = take(&fields.lang);
    let mut series = None;
    for f in &fields.series {
        if let Some(v) = record.remove(f).as_ref().and_then(as_text) {
            if series.is_none() {
                series = Some(v);
            } else {
                record.insert(f.clone(), Value::String(v));
            }
        }
    }
    Ok(Document { id, text, title, url, date, series, lang, extra: record })
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads the single document of a `.json` file (one object) or of a
/// one-record `.jsonl` file.
pub fn one_document(content: &str, fallback_id: &str) -> Result<Document, String> {
    let fields = FieldMap::default();
    let value: Value = match serde_json::from_str(content) {
        Ok(v) => v,
        Err(whole_err) => {
            let lines: Vec<(usize, &str)> = content.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).collect();
            if lines.len() > 1 && serde_json::from_str::<Value>(lines[0].1).is_ok() {
                return Err(format!(
                    "holds {} JSON records; compare takes one document per file (index collections with `stemma index`)",
                    lines.len()
                ));
            }
            return Err(format!(
                "invalid JSON at line {}, column {}: {whole_err}",
                whole_err.line(),
                whole_err.column()
            ));
        }
    };
    match value {
        Value::Object(map) => document_from_record(map, fallback_id, &fields),
        Value::Array(items) if items.len() == 1 => match items.into_iter().next() {
            Some(Value::Object(map)) => document_from_record(map, fallback_id, &fields),
            _ => Err("expected a JSON object with a \"text\" field".into()),
        },
        Value::Array(items) => Err(format!(
            "holds an array of {} records; compare takes one document per file (index collections with `stemma index`)",
            items.len()
        )),
        other => Err(format!("expected a JSON object with a \"text\" field, found {}", kind(&other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passim_fields_and_extras() {
        let d =
            one_document(r#"{"id":"x1","text":"Bonjour.","series":"afp","date":"2016-06-10","pages":3}"#, "f").unwrap();
        assert_eq!(d.id, "x1");
        assert_eq!(d.series.as_deref(), Some("afp"));
        assert_eq!(d.extra.get("pages"), Some(&Value::from(3)));
    }

    #[test]
    fn clear_errors() {
        assert!(one_document(r#"{"id":"x"}"#, "f").unwrap_err().contains("no \"text\" field"));
        assert!(one_document("{\"text\": \"a\",\n  oops}", "f").unwrap_err().starts_with("invalid JSON at line 2"));
        assert!(one_document("{\"text\":\"a\"}\n{\"text\":\"b\"}\n", "f")
            .unwrap_err()
            .contains("holds 2 JSON records"));
        let single_line = one_document("{\"text\":\"a\"}\n", "f").unwrap();
        assert_eq!(single_line.id, "f");
    }
}
