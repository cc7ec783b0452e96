//! HTML building blocks: the one escaping function, URL encoding, the page
//! layout, and the rendering of a version's text with its highlights.
//!
//! Every piece of text that comes from a document or a request goes through
//! [`esc`] before it is written into HTML, in element content and in
//! (always double-quoted) attribute values alike. Nothing from data is ever
//! written inside a `<script>` or `style` attribute: the page's behaviour
//! reads `data-` attributes, and the CSP forbids inline code anyway.

use std::fmt::Write;
use stemma_core::{CompareReport, SentenceReport, Span};

/// Escapes text for HTML element content and double- or single-quoted
/// attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Percent-encodes a URL query value or path segment (everything but the
/// unreserved characters of RFC 3986).
pub fn url_enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A link target that is safe to put in `href`: only `http(s)` URLs;
/// anything else (`javascript:`, `data:`…) is not linked.
pub fn safe_href(url: &str) -> Option<String> {
    let u = url.trim();
    let lower = u.get(..8).unwrap_or(u).to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then(|| esc(u))
}

/// The text cut to at most `max` characters, with an ellipsis when cut.
pub fn truncate(s: &str, max: usize) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

/// A whole page: the layout around `body` (already HTML).
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title} · stemma</title><link rel=\"stylesheet\" href=\"/static/app.css\">\
<script src=\"/static/app.js\" defer></script></head>\n<body>\
<header class=\"top\"><a class=\"brand\" href=\"/\">stemma</a>\
<form class=\"top-search\" action=\"/search\" method=\"get\" role=\"search\">\
<input type=\"search\" name=\"q\" placeholder=\"Search the index\" aria-label=\"Search the index\"></form></header>\n\
<main>{body}</main>\n<footer><a href=\"/\">Home</a> · <a href=\"/api/openapi.json\">JSON API (OpenAPI)</a> · \
stemma finds the versions of a text and says what each changed.</footer></body></html>\n",
        title = esc(title)
    )
}

/// A percentage for display.
pub fn pct(x: f64) -> String {
    format!("{:.0} %", (x * 100.0).clamp(0.0, 100.0))
}

/// A highlight inside a version's text.
#[derive(Debug, Clone)]
struct Mark {
    start: usize,
    end: usize,
    class: &'static str,
    title: Option<String>,
    /// Element id given to the mark's first piece (jump target).
    id: Option<String>,
}

/// Quoted passages of a text: « … », “ … ” and "…" pairs within one
/// paragraph, quote marks included.
pub fn quotes(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (i, c) in text.char_indices() {
        match (open, c) {
            (None, '«') => open = Some((i, '»')),
            (None, '“') => open = Some((i, '”')),
            (None, '"') => open = Some((i, '"')),
            (Some((s, close)), c) if c == close => {
                out.push((s, i + c.len_utf8()));
                open = None;
            }
            // A quote never spans paragraphs: an unclosed mark is dropped.
            (Some(_), '\n') if text[i + 1..].starts_with('\n') => open = None,
            _ => {}
        }
    }
    out
}

/// Which side of a comparison a text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Version A.
    A,
    /// Version B.
    B,
}

impl Side {
    fn key(self) -> &'static str {
        match self {
            Side::A => "a",
            Side::B => "b",
        }
    }
    fn other(self) -> Side {
        match self {
            Side::A => Side::B,
            Side::B => Side::A,
        }
    }
}

fn valid(text: &str, s: usize, e: usize) -> bool {
    s < e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
}

/// The highlights of one side: one-sided spans, word edits, changed names,
/// numbers by status, quotes.
fn marks(text: &str, report: &CompareReport, side: Side) -> Vec<Mark> {
    let mut m = Vec::new();
    let (sentences, only) = match side {
        Side::A => (&report.a_sentences, &report.only_a),
        Side::B => (&report.b_sentences, &report.only_b),
    };
    let k = side.key();
    for (i, s) in only.iter().enumerate() {
        m.push(Mark {
            start: s.start,
            end: s.end,
            class: "o",
            title: Some(format!("only in {}", k.to_uppercase())),
            id: Some(format!("{k}-o{i}")),
        });
    }
    let other = side.other().key().to_uppercase();
    for s in sentences {
        for e in &s.edits {
            if e.op == "equal" {
                continue;
            }
            // In a sentence's edits, `a` is this sentence's version.
            if let Some(sp) = &e.a {
                m.push(Mark { start: sp.start, end: sp.end, class: "w", title: None, id: None });
            }
        }
        for c in &s.names_changed {
            m.push(Mark {
                start: c.this.start,
                end: c.this.end,
                class: "nm",
                title: Some(format!("name: {other} has “{}”", truncate(&c.other.text, 80))),
                id: None,
            });
        }
    }
    for n in &report.numbers {
        let (mine, value, theirs) = match side {
            Side::A => (&n.a, &n.a_value, &n.b_value),
            Side::B => (&n.b, &n.b_value, &n.a_value),
        };
        let (class, what) = match n.status.as_str() {
            "agree" => ("n n-agree", "the same figure at the same place".to_string()),
            "changed" => {
                ("n n-changed", format!("changed: {other} has {}", theirs.as_deref().unwrap_or("another figure")))
            }
            "elsewhere" => ("n n-elsewhere", "in both versions, not at the same place".to_string()),
            _ => ("n n-only", format!("only in {}", k.to_uppercase())),
        };
        for sp in mine {
            let title = format!("{}: {what}", value.as_deref().unwrap_or("number"));
            m.push(Mark { start: sp.start, end: sp.end, class, title: Some(title), id: None });
        }
    }
    for (s, e) in quotes(text) {
        m.push(Mark { start: s, end: e, class: "q", title: None, id: None });
    }
    m.retain(|x| valid(text, x.start, x.end));
    m
}

/// The attributes of a sentence element: status class, id, counterparts.
fn sentence_open(out: &mut String, s: &SentenceReport, side: Side) {
    let k = side.key();
    let o = side.other().key();
    let status = match s.status.as_str() {
        "same" => "st-same",
        "edited" => "st-edited",
        _ => "st-only",
    };
    // data-start/data-end (byte offsets) let a link such as
    // /compare?a=X&b=Y#a:1234 point at the sentence holding byte 1234.
    let _ = write!(
        out,
        "<span class=\"s {status}\" id=\"{k}-s{}\" tabindex=\"0\" data-start=\"{}\" data-end=\"{}\"",
        s.index, s.span.start, s.span.end
    );
    if !s.counterparts.is_empty() {
        let cps: Vec<String> = s.counterparts.iter().map(|c| format!("{o}-s{c}")).collect();
        let _ = write!(out, " data-cp=\"{}\"", esc(&cps.join(" ")));
    }
    if let Some(p) = s.passage {
        let _ = write!(out, " data-p=\"{p}\"");
    }
    out.push('>');
}

/// Renders one version's text (whitespace kept by CSS) with its sentences as
/// clickable elements and its highlights as nested spans. Highlights may
/// overlap each other and cross sentences: the text is cut at every
/// boundary, and each piece carries the classes of every highlight over it.
pub fn version_text(text: &str, report: &CompareReport, side: Side) -> String {
    let sentences: Vec<&SentenceReport> = match side {
        Side::A => report.a_sentences.iter(),
        Side::B => report.b_sentences.iter(),
    }
    .filter(|s| valid(text, s.span.start, s.span.end))
    .collect();
    let marks = marks(text, report, side);
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for s in &sentences {
        cuts.extend([s.span.start, s.span.end]);
    }
    for m in &marks {
        cuts.extend([m.start, m.end]);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = String::with_capacity(text.len() * 2);
    let mut si = 0usize; // next sentence
    let mut in_sentence = false;
    for w in cuts.windows(2) {
        let (p, q) = (w[0], w[1]);
        // Sentences are disjoint and sorted: open the one starting here.
        while si < sentences.len() && sentences[si].span.end <= p && !in_sentence {
            si += 1;
        }
        if !in_sentence && si < sentences.len() && sentences[si].span.start == p {
            sentence_open(&mut out, sentences[si], side);
            in_sentence = true;
        }
        let piece = text.get(p..q).unwrap_or("");
        let over: Vec<&Mark> = marks.iter().filter(|m| m.start <= p && q <= m.end).collect();
        if over.is_empty() {
            out.push_str(&esc(piece));
        } else {
            let mut classes: Vec<&str> = over.iter().map(|m| m.class).collect();
            classes.sort_unstable();
            classes.dedup();
            let _ = write!(out, "<span class=\"{}\"", classes.join(" "));
            let titles: Vec<&str> = over.iter().filter_map(|m| m.title.as_deref()).collect();
            if !titles.is_empty() {
                let _ = write!(out, " title=\"{}\"", esc(&titles.join("; ")));
            }
            if let Some(id) = over.iter().find(|m| m.start == p).and_then(|m| m.id.as_deref()) {
                let _ = write!(out, " id=\"{}\"", esc(id));
            }
            let _ = write!(out, ">{}</span>", esc(piece));
        }
        if in_sentence && sentences[si].span.end == q {
            out.push_str("</span>");
            in_sentence = false;
            si += 1;
        }
    }
    out
}

/// A list of one-sided spans as links to their place in the text.
pub fn only_list(spans: &[Span], side: Side, max: usize) -> String {
    let k = side.key();
    let mut out = String::from("<ol class=\"only-list\">");
    for (i, s) in spans.iter().enumerate().take(max) {
        let _ = write!(out, "<li><a class=\"jump\" href=\"#{k}-o{i}\">{}</a></li>", esc(&truncate(&s.text, 240)));
    }
    if spans.len() > max {
        let _ = write!(out, "<li class=\"more\">… and {} more, marked in the text</li>", spans.len() - max);
    }
    out.push_str("</ol>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use stemma_core::{compare, CompareOptions, Document};

    #[test]
    fn escaping_covers_markup_and_both_quotes() {
        assert_eq!(
            esc(r#"<script>alert('x')</script> & "y""#),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
        assert_eq!(url_enc("a/b c?é&"), "a%2Fb%20c%3F%C3%A9%26");
        assert_eq!(safe_href("javascript:alert(1)"), None);
        assert_eq!(safe_href(" HTTPS://x.org/a?b=\"c\"").as_deref(), Some("HTTPS://x.org/a?b=&quot;c&quot;"));
        assert_eq!(truncate("été  à\nParis", 5), "été à…");
    }

    #[test]
    fn quotes_pair_within_paragraphs() {
        let t = "Il a dit « oui ». Puis “non”.\n\nUn \"seul\" et un « ouvert\n\nsans fin";
        let q: Vec<&str> = quotes(t).into_iter().map(|(s, e)| &t[s..e]).collect();
        assert_eq!(q, vec!["« oui »", "“non”", "\"seul\""]);
    }

    #[test]
    fn rendered_text_is_the_escaped_original_with_balanced_spans() {
        let a = Document::new("a", "Le ministre a dit <b>« tout va bien »</b> hier à Paris. Il y avait 244 retours selon la police. Une phrase seulement ici & là.");
        let b = Document::new(
            "b",
            "Le ministre a dit « tout va bien » hier à Paris. Il y avait 244 retours selon la police.",
        );
        let r = compare(&a, &b, &CompareOptions::default());
        let html = version_text(&a.text, &r, Side::A);
        assert!(!html.contains("<b>") && html.contains("&lt;"), "{html}");
        assert_eq!(html.matches("<span").count(), html.matches("</span>").count(), "{html}");
        // Stripping the tags and unescaping gives back the text.
        let mut plain = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                _ if !in_tag => plain.push(c),
                _ => {}
            }
        }
        let plain = plain
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        assert_eq!(plain, a.text);
        assert!(html.contains("class=\"s st-"), "{html}");
        assert!(html.contains("id=\"a-o0\""), "the only-A sentence is a jump target: {html}");
        assert!(html.contains("n-agree"), "{html}");
    }
}
