//! Main-text extraction: the article of an HTML page without its furniture
//! (navigation, share buttons, related links, cookie banners, newsletter
//! boxes, footers, comment threads and comment forms), with the title,
//! publication date, canonical URL and language the page gives.
//!
//! [`extract`] parses the page with a forgiving parser of its own,
//! drops furniture recognised by element, attributes and class or id words,
//! cuts the rest into text blocks, and keeps the element whose blocks look
//! most like article text (long, few links), from its headline on. The
//! choice of this algorithm over the extraction crates, measured on the
//! labelled pages in `tests/pages`, is in `EVALUATION.md`.
//!
//! The text keeps the page's words exactly (character references decoded,
//! runs of spaces collapsed): later stages point into it. Paragraphs and
//! headings are separated by blank lines, so that a headline stays a
//! sentence of its own. Malformed HTML never panics; input past
//! [`MAX_INPUT_BYTES`] is ignored, so memory stays bounded.

#![warn(missing_docs)]

mod blocks;
mod clean;
mod dom;
mod entities;
mod meta;

pub use meta::normalize_date;

/// Only this much of a page is read: no article is longer, and the parse
/// tree of a page takes a few times its size in memory.
pub const MAX_INPUT_BYTES: usize = 8 * 1024 * 1024;

/// What was read from a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The article's text: headline first, then standfirst, paragraphs and
    /// subheadings, separated by blank lines. Empty when the page has no text.
    pub text: String,
    /// The title: `og:title`, else the JSON-LD headline, else the page's
    /// headline (`<h1>`), else `<title>`.
    pub title: Option<String>,
    /// The publication date: ISO 8601 as the page gives it
    /// (`2019-03-02T06:45:00+01:00`), or `YYYY-MM-DD` read from a written
    /// date; a value that is no date is returned as written.
    pub date: Option<String>,
    /// `<link rel=canonical>`, else `og:url`; made absolute against `url`
    /// when relative and `url` is given.
    pub canonical_url: Option<String>,
    /// The language tag of `<html lang>`, else `Content-Language`,
    /// `og:locale` or JSON-LD `inLanguage`.
    pub lang: Option<String>,
}

/// Extracts the article text and metadata of an HTML page. `url` is where
/// the page came from, used to make a relative canonical URL absolute.
///
/// ```
/// let page = r#"<html lang="fr"><head><title>Le titre - Le Site</title></head><body>
/// <nav><a href="/">Accueil</a></nav><article><h1>Le titre</h1>
/// <p>Un premier paragraphe, assez long pour compter comme du texte d&rsquo;article.</p>
/// <div class="comments"><p>Un commentaire qui ne doit pas figurer dans le texte.</p></div>
/// </article></body></html>"#;
/// let got = stemma_extract::extract(page, None);
/// assert_eq!(got.text, "Le titre\n\nUn premier paragraphe, assez long pour compter comme du texte d’article.");
/// assert_eq!(got.title.as_deref(), Some("Le titre"));
/// assert_eq!(got.lang.as_deref(), Some("fr"));
/// ```
pub fn extract(html: &str, url: Option<&str>) -> Extracted {
    let html = truncate(html, MAX_INPUT_BYTES);
    let dom = dom::Dom::parse(html);
    let meta = meta::read(&dom);
    let dropped = clean::furniture(&dom);
    let blocks = blocks::blocks(&dom, &dropped);
    let container = blocks::container(&dom, &blocks);
    let titles: Vec<String> = [&meta.og_title, &meta.ld_headline, &meta.title_tag]
        .iter()
        .filter_map(|t| t.as_deref())
        .map(blocks::norm)
        .collect();
    let head = blocks::headline(&dom, &blocks, container, &titles);
    let text = blocks::render(&dom, &blocks, container, head);
    let headline_text = head.and_then(|h| blocks[h.block].text.lines().nth(h.line)).map(|l| l.to_string());
    let title = meta.og_title.clone().or(meta.ld_headline.clone()).or(headline_text).or(meta.title_tag.clone());
    Extracted {
        text,
        title,
        date: meta.date,
        canonical_url: meta.canonical.map(|c| absolute(&c, url)),
        lang: meta.lang,
    }
}

/// The longest prefix of `s` of at most `max` bytes ending on a character
/// boundary.
fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// `href` made absolute against `base` (scheme-relative, root-relative or
/// relative to the base's directory); unchanged when already absolute or
/// when there is no usable base.
fn absolute(href: &str, base: Option<&str>) -> String {
    if href.contains("://") {
        return href.to_string();
    }
    let Some(base) = base.filter(|b| b.contains("://")) else {
        return href.to_string();
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let origin_end = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    if let Some(rest) = href.strip_prefix("//") {
        return format!("{}//{}", &base[..scheme_end - 2], rest);
    }
    if href.starts_with('/') {
        return format!("{}{}", &base[..origin_end], href);
    }
    let path = &base[..base[..].split(['?', '#']).next().map_or(base.len(), str::len)];
    let dir_end = path.rfind('/').filter(|&i| i >= origin_end).map_or(path.len(), |i| i + 1);
    let dir = &path[..dir_end];
    if dir_end == path.len() && !dir.ends_with('/') {
        return format!("{dir}/{href}");
    }
    format!("{dir}{href}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_canonical_urls() {
        let base = Some("https://example.org/a/b.html?x=1");
        assert_eq!(absolute("https://x.org/p", base), "https://x.org/p");
        assert_eq!(absolute("/p/q", base), "https://example.org/p/q");
        assert_eq!(absolute("//cdn.example/p", base), "https://cdn.example/p");
        assert_eq!(absolute("c.html", base), "https://example.org/a/c.html");
        assert_eq!(absolute("c.html", Some("https://example.org")), "https://example.org/c.html");
        assert_eq!(absolute("/p", None), "/p");
    }

    #[test]
    fn truncates_on_char_boundary() {
        assert_eq!(truncate("aé", 2), "a");
        assert_eq!(truncate("abc", 8), "abc");
    }
}
