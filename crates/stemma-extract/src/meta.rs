//! Page metadata: title, publication date, canonical URL and language, from
//! `<meta>` tags (Open Graph, article:, Dublin Core, schema.org microdata),
//! JSON-LD, `<link rel=canonical>`, `<html lang>`, `<time datetime>` and,
//! last, a visible "Publié le 5 octobre 2018" date.

use crate::dom::{Dom, NodeId};
use serde_json::Value;

/// What the page says about itself.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// `og:title` (or `twitter:title`).
    pub og_title: Option<String>,
    /// The JSON-LD article's `headline`.
    pub ld_headline: Option<String>,
    /// The `<title>` element.
    pub title_tag: Option<String>,
    /// Publication date, ISO 8601 when it could be read as a date.
    pub date: Option<String>,
    /// Canonical URL as written (maybe relative).
    pub canonical: Option<String>,
    /// Language tag.
    pub lang: Option<String>,
}

/// `<meta>` keys holding the publication date, best first.
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "datepublished",
    "og:published_time",
    "published_time",
    "article.published",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "date",
    "sailthru.date",
    "parsely-pub-date",
    "cxenseparse:recs:publishtime",
];

/// Reads the metadata of a parsed page.
pub fn read(dom: &Dom) -> Meta {
    let mut m = Meta::default();
    let mut metas: Vec<(String, String)> = Vec::new();
    let mut time_dates: Vec<(bool, String)> = Vec::new();
    let mut og_url = None;
    let mut og_locale = None;
    let mut ld = LdFields::default();
    for (id, node) in dom.nodes.iter().enumerate() {
        match node.tag.as_str() {
            "html" if m.lang.is_none() => {
                m.lang = node.attr("lang").or_else(|| node.attr("xml:lang")).map(clean).filter(|s| !s.is_empty());
            }
            "title" if m.title_tag.is_none() => {
                m.title_tag = Some(clean(&dom.text_of(id))).filter(|s| !s.is_empty());
            }
            "meta" => {
                let key = node.attr("property").or_else(|| node.attr("name")).or_else(|| node.attr("itemprop"));
                let http_equiv = node.attr("http-equiv");
                if let (Some(v), Some(k)) = (node.attr("content"), key.or(http_equiv)) {
                    metas.push((k.trim().to_ascii_lowercase(), clean(v)));
                }
            }
            "link" => {
                let rel = node.attr("rel").unwrap_or("").to_ascii_lowercase();
                if m.canonical.is_none() && rel.split_ascii_whitespace().any(|r| r == "canonical") {
                    m.canonical = node.attr("href").map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
                }
            }
            "script" if node.attr("type").is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) => {
                // Its raw text child (text_of skips script content).
                for &c in &node.children {
                    ld.read(&dom.nodes[c].text);
                }
            }
            "time" => {
                if let Some(dt) = node.attr("datetime") {
                    let published = node.attr("itemprop").is_some_and(|v| v.eq_ignore_ascii_case("datePublished"))
                        || node.attr("class").is_some_and(|c| c.to_ascii_lowercase().contains("published"));
                    time_dates.push((published, dt.trim().to_string()));
                }
            }
            _ => {}
        }
    }
    let get = |k: &str| metas.iter().find(|(key, v)| key == k && !v.is_empty()).map(|(_, v)| v.clone());
    m.og_title = get("og:title").or_else(|| get("twitter:title"));
    m.ld_headline = ld.headline.clone();
    if m.canonical.is_none() {
        og_url = get("og:url");
    }
    m.canonical = m.canonical.or(og_url);
    if m.lang.is_none() {
        og_locale = get("content-language")
            .or_else(|| get("language"))
            .or_else(|| get("og:locale"))
            .map(|l| l.replace('_', "-"));
    }
    m.lang = m.lang.or(og_locale).or(ld.lang.clone());

    // The date: the first source that reads as a date; else the first raw
    // value found, as written.
    let mut raw: Option<String> = None;
    let mut candidates: Vec<String> = Vec::new();
    for k in DATE_KEYS {
        if let Some(v) = get(k) {
            candidates.push(v);
        }
    }
    candidates.extend(ld.date_published.clone());
    candidates.extend(time_dates.iter().filter(|(p, _)| *p).map(|(_, d)| d.clone()));
    candidates.extend(time_dates.iter().filter(|(p, _)| !*p).map(|(_, d)| d.clone()));
    for c in candidates {
        if let Some(d) = normalize_date(&c) {
            m.date = Some(d);
            break;
        }
        raw.get_or_insert(c);
    }
    if m.date.is_none() {
        m.date = visible_date(dom).or(raw);
    }
    m
}

/// Fields read from JSON-LD: those of an article-typed object win over the
/// same fields elsewhere.
#[derive(Debug, Default)]
struct LdFields {
    headline: Option<String>,
    date_published: Option<String>,
    lang: Option<String>,
    from_article: bool,
}

impl LdFields {
    fn read(&mut self, src: &str) {
        // Some CMSs wrap JSON-LD in CDATA or HTML comments.
        let s = src.trim().trim_start_matches("<![CDATA[").trim_end_matches("]]>");
        let s = s.trim().trim_start_matches("<!--").trim_end_matches("-->").trim();
        if let Ok(v) = serde_json::from_str::<Value>(s) {
            self.visit(&v, 0);
        }
    }

    fn visit(&mut self, v: &Value, depth: usize) {
        if depth > 16 {
            return;
        }
        match v {
            Value::Array(items) => items.iter().for_each(|i| self.visit(i, depth + 1)),
            Value::Object(map) => {
                let article = map.get("@type").is_some_and(|t| {
                    let types: Vec<&str> = match t {
                        Value::String(s) => vec![s.as_str()],
                        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                        _ => Vec::new(),
                    };
                    types.iter().any(|t| t.ends_with("Article") || *t == "BlogPosting" || *t == "LiveBlogPosting")
                });
                let take = article && !self.from_article;
                let text = |k: &str| map.get(k).and_then(Value::as_str).map(clean).filter(|s| !s.is_empty());
                if take || self.headline.is_none() {
                    if let Some(h) = text("headline") {
                        self.headline = Some(h);
                    }
                }
                if take || self.date_published.is_none() {
                    if let Some(d) = text("datePublished") {
                        self.date_published = Some(d);
                    }
                }
                if take || self.lang.is_none() {
                    if let Some(l) = text("inLanguage") {
                        self.lang = Some(l);
                    }
                }
                if take && (self.headline.is_some() || self.date_published.is_some()) {
                    self.from_article = true;
                }
                for (k, child) in map {
                    if k == "@graph" || matches!(child, Value::Array(_)) {
                        self.visit(child, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Collapses whitespace (no-break spaces too: a title is compared, not
/// pointed into).
fn clean(s: &str) -> String {
    s.split(char::is_whitespace).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// A date in ISO 8601: kept as written when it already is (`2019-03-02`,
/// `2019-03-02T06:45:00+01:00`), else read from `20190302`, `2019/03/02`,
/// `02/03/2019` (day first), `5 octobre 2018`, `October 5, 2018`, `17 JAN 2019`
/// and given as `YYYY-MM-DD`.
pub fn normalize_date(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r.clone()).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if digits(0..4) && b.get(4) == Some(&b'-') && digits(5..7) && b.get(7) == Some(&b'-') && digits(8..10) {
        let (y, mo, d) = (num(&s[0..4]), num(&s[5..7]), num(&s[8..10]));
        if valid(y, mo, d) {
            let rest = &s[10..];
            return Some(if rest.starts_with(['T', 't', ' ']) && rest.len() > 1 {
                s.to_string()
            } else {
                s[..10].to_string()
            });
        }
        return None;
    }
    if b.len() == 8 && digits(0..8) {
        let (y, mo, d) = (num(&s[0..4]), num(&s[4..6]), num(&s[6..8]));
        return valid(y, mo, d).then(|| format!("{y:04}-{mo:02}-{d:02}"));
    }
    text_date(s)
}

fn num(s: &str) -> u32 {
    s.parse().unwrap_or(0)
}

fn valid(y: u32, mo: u32, d: u32) -> bool {
    (1990..=2100).contains(&y) && (1..=12).contains(&mo) && (1..=31).contains(&d)
}

/// Month number of a French or English month name or abbreviation.
fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    let m = match w.as_str() {
        "janvier" | "janv" | "jan" | "january" => 1,
        "février" | "fevrier" | "févr" | "fevr" | "fév" | "fev" | "february" | "feb" => 2,
        "mars" | "mar" | "march" => 3,
        "avril" | "avr" | "april" | "apr" => 4,
        "mai" | "may" => 5,
        "juin" | "june" | "jun" => 6,
        "juillet" | "juil" | "july" | "jul" => 7,
        "août" | "aout" | "august" | "aug" => 8,
        "septembre" | "sept" | "sep" | "september" => 9,
        "octobre" | "oct" | "october" => 10,
        "novembre" | "nov" | "november" => 11,
        "décembre" | "decembre" | "déc" | "dec" | "december" => 12,
        _ => return None,
    };
    Some(m)
}

/// The first date written in words or as `dd/mm/yyyy` in `s`.
fn text_date(s: &str) -> Option<String> {
    let words: Vec<&str> = s.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
    let day = |w: &str| -> Option<u32> {
        let w = w.trim_end_matches("er").trim_end_matches("st").trim_end_matches("nd").trim_end_matches("rd");
        let w = w.trim_end_matches("th");
        (w.len() <= 2 && !w.is_empty() && w.bytes().all(|c| c.is_ascii_digit())).then(|| num(w))
    };
    let year = |w: &str| -> Option<u32> {
        let w = w.trim_end_matches(['.', ',']);
        (w.len() == 4 && w.bytes().all(|c| c.is_ascii_digit())).then(|| num(w))
    };
    for i in 0..words.len() {
        // 02/03/2019 or 02.03.2019: day first.
        let parts: Vec<&str> = words[i].split(['/', '.', '-']).collect();
        if parts.len() == 3 {
            if let (Some(d), Some(mo), Some(y)) = (day(parts[0]), day(parts[1]), year(parts[2])) {
                if valid(y, mo, d) {
                    return Some(format!("{y:04}-{mo:02}-{d:02}"));
                }
            }
        }
        // 5 octobre 2018
        if let (Some(d), Some(mo), Some(y)) =
            (day(words[i]), words.get(i + 1).and_then(|w| month(w)), words.get(i + 2).and_then(|w| year(w)))
        {
            if valid(y, mo, d) {
                return Some(format!("{y:04}-{mo:02}-{d:02}"));
            }
        }
        // October 5, 2018
        if let (Some(mo), Some(d), Some(y)) =
            (month(words[i]), words.get(i + 1).and_then(|w| day(w)), words.get(i + 2).and_then(|w| year(w)))
        {
            if valid(y, mo, d) {
                return Some(format!("{y:04}-{mo:02}-{d:02}"));
            }
        }
    }
    None
}

/// A date shown on the page in an element whose class or id speaks of a
/// date or publication ("date", "published", "posted-on", "time").
fn visible_date(dom: &Dom) -> Option<String> {
    for (id, node) in dom.nodes.iter().enumerate() {
        if node.is_text() || matches!(node.tag.as_str(), "script" | "style" | "head") {
            continue;
        }
        let marks = |a: Option<&str>| {
            a.is_some_and(|v| {
                let v = v.to_ascii_lowercase();
                v.contains("date") || v.contains("publi") || v.contains("posted") || v.contains("time")
            })
        };
        if marks(node.attr("class")) || marks(node.attr("id")) {
            let text: String = dom.text_of(id as NodeId).chars().take(200).collect();
            if let Some(d) = text_date(&text) {
                return Some(d);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(normalize_date("2019-03-02T06:45:00+01:00").as_deref(), Some("2019-03-02T06:45:00+01:00"));
        assert_eq!(normalize_date(" 2019-01-23 ").as_deref(), Some("2019-01-23"));
        assert_eq!(normalize_date("20190314").as_deref(), Some("2019-03-14"));
        assert_eq!(normalize_date("Publié le 5 octobre 2018 à 17:30").as_deref(), Some("2018-10-05"));
        assert_eq!(normalize_date("le 1er janv. 2019").as_deref(), Some("2019-01-01"));
        assert_eq!(normalize_date("December 3, 2018").as_deref(), Some("2018-12-03"));
        assert_eq!(normalize_date("11:24, 17 JAN 2019").as_deref(), Some("2019-01-17"));
        assert_eq!(normalize_date("Publié le 02/03/2019 à 06h45").as_deref(), Some("2019-03-02"));
        assert_eq!(normalize_date("2019-13-45"), None);
        assert_eq!(normalize_date("yesterday"), None);
    }
}
