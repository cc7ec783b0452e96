//! The visible text of an HTML page.
//!
//! Scripts, styles and other invisible elements are dropped, block elements
//! become line breaks (paragraphs and headings blank lines, so that headings
//! stay sentences of their own), character references are decoded and runs
//! of spaces collapsed. This reads every visible word of the page; telling
//! the article from its page furniture is the job of main-text extraction.

/// Visible text and title of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The page's visible text.
    pub text: String,
    /// The content of `<title>`, if any.
    pub title: Option<String>,
}

const INVISIBLE: &[&str] = &["script", "style", "noscript", "template", "svg", "iframe", "object", "canvas"];
const PARAGRAPH: &[&str] =
    &["p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figcaption", "table", "ul", "ol", "dl"];
const BLOCK: &[&str] = &[
    "br", "div", "li", "tr", "td", "th", "section", "article", "header", "footer", "nav", "aside", "main", "hr", "dt",
    "dd", "figure", "form", "fieldset", "address", "details", "summary", "caption", "label", "option",
];

/// Decodes one character reference (`amp`, `#233`, `#xE9`), without the `&` and `;`.
pub fn decode_entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse::<u32>().ok()?
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "laquo" => '«',
        "raquo" => '»',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "sbquo" => '‚',
        "bdquo" => '„',
        "hellip" => '…',
        "ndash" => '–',
        "mdash" => '—',
        "shy" => '\u{ad}',
        "thinsp" => '\u{2009}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "middot" => '·',
        "bull" => '•',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "deg" => '°',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "sect" => '§',
        "para" => '¶',
        "times" => '×',
        "divide" => '÷',
        "iexcl" => '¡',
        "iquest" => '¿',
        "ordf" => 'ª',
        "ordm" => 'º',
        "frac12" => '½',
        "frac14" => '¼',
        "frac34" => '¾',
        "oelig" => 'œ',
        "OElig" => 'Œ',
        "aelig" => 'æ',
        "AElig" => 'Æ',
        "szlig" => 'ß',
        "ccedil" => 'ç',
        "Ccedil" => 'Ç',
        "ntilde" => 'ñ',
        "Ntilde" => 'Ñ',
        _ => return accented(name),
    };
    Some(c)
}

/// `eacute`, `Agrave`, `ouml`, … : a base letter and an accent name.
fn accented(name: &str) -> Option<char> {
    let mut chars = name.chars();
    let base = chars.next()?;
    let accent = chars.as_str();
    let table: &[(char, &str, char)] = &[
        ('a', "acute", 'á'),
        ('a', "grave", 'à'),
        ('a', "circ", 'â'),
        ('a', "uml", 'ä'),
        ('a', "tilde", 'ã'),
        ('a', "ring", 'å'),
        ('e', "acute", 'é'),
        ('e', "grave", 'è'),
        ('e', "circ", 'ê'),
        ('e', "uml", 'ë'),
        ('i', "acute", 'í'),
        ('i', "grave", 'ì'),
        ('i', "circ", 'î'),
        ('i', "uml", 'ï'),
        ('o', "acute", 'ó'),
        ('o', "grave", 'ò'),
        ('o', "circ", 'ô'),
        ('o', "uml", 'ö'),
        ('o', "tilde", 'õ'),
        ('o', "slash", 'ø'),
        ('u', "acute", 'ú'),
        ('u', "grave", 'ù'),
        ('u', "circ", 'û'),
        ('u', "uml", 'ü'),
        ('y', "acute", 'ý'),
        ('y', "uml", 'ÿ'),
    ];
    let lower = base.to_ascii_lowercase();
    let found = table.iter().find(|(b, a, _)| *b == lower && *a == accent)?.2;
    Some(if base.is_ascii_uppercase() { found.to_uppercase().next().unwrap_or(found) } else { found })
}

/// Decodes the character references of a text fragment.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let end = after.find(';').filter(|&e| e <= 32);
        match end.and_then(|e| decode_entity(&after[..e]).map(|c| (c, e))) {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Extracts the visible text and the title of an HTML page.
pub fn visible_text(html: &str) -> Page {
    let mut raw = String::with_capacity(html.len() / 2);
    let mut title: Option<String> = None;
    let mut skip_until: Option<String> = None;
    let mut i = 0;
    let bytes = html.as_bytes();
    while i < bytes.len() {
        if bytes[i] != b'<' {
            let next = html[i..].find('<').map_or(html.len(), |n| i + n);
            if skip_until.is_none() {
                raw.push_str(&html[i..next]);
            }
            i = next;
            continue;
        }
        let rest = &html[i..];
        if rest.starts_with("<!--") {
            i += rest.find("-->").map_or(rest.len(), |e| e + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            i += rest.find('>').map_or(rest.len(), |e| e + 1);
            continue;
        }
        let Some(close) = tag_end(rest) else {
            // A stray '<' in text.
            if skip_until.is_none() {
                raw.push('<');
            }
            i += 1;
            continue;
        };
        let tag = &rest[1..close];
        i += close + 1;
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            if skip_until.is_none() {
                raw.push_str(&html[i - close - 1..i]);
            }
            continue;
        }
        if let Some(until) = &skip_until {
            if closing && &name == until {
                skip_until = None;
            }
            continue;
        }
        if name == "title" && !closing {
            let end = html[i..].to_ascii_lowercase().find("</title").map_or(html.len(), |e| i + e);
            let t = collapse(&decode_entities(&html[i..end]));
            if !t.is_empty() {
                title = Some(t);
            }
            i = end;
            continue;
        }
        if !closing && INVISIBLE.contains(&name.as_str()) && !tag.trim_end().ends_with('/') {
            skip_until = Some(name);
            continue;
        }
        if PARAGRAPH.contains(&name.as_str()) {
            raw.push_str("\n\n");
        } else if BLOCK.contains(&name.as_str()) {
            raw.push('\n');
        } else if !closing && matches!(name.as_str(), "img" | "input") {
            raw.push(' ');
        }
    }
    Page { text: tidy(&decode_entities(&raw)), title }
}

/// End of a tag starting at `s[0] == '<'`, skipping quoted attribute values.
fn tag_end(s: &str) -> Option<usize> {
    let second = s[1..].chars().next()?;
    if !(second.is_ascii_alphabetic() || second == '/') {
        return None;
    }
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Collapses spaces inside lines, trims lines, and keeps at most one blank
/// line between paragraphs.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank_run = 0;
    for line in s.lines() {
        let line = line.split([' ', '\t', '\r']).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(&line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_visible_text_only() {
        let page = visible_text(
            "<html><head><title>Irak : Daesh</title><style>p{color:red}</style></head>\
             <body><h1>Daesh en chute</h1><script>alert('x')</script>\
             <p>Les d&eacute;fections &laquo;&nbsp;se multiplient&nbsp;&raquo;.</p><p>244 retours<br>en France</p></body></html>",
        );
        assert_eq!(page.title.as_deref(), Some("Irak : Daesh"));
        assert_eq!(
            page.text,
            "Daesh en chute\n\nLes défections «\u{a0}se multiplient\u{a0}».\n\n244 retours\nen France"
        );
    }

    #[test]
    fn entities_and_stray_brackets() {
        assert_eq!(decode_entities("a &amp; b &#233; &#xE9; &Eacute; &bogus; &"), "a & b é é É &bogus; &");
        assert_eq!(visible_text("1 < 2 and 3 > 2").text, "1 < 2 and 3 > 2");
    }
}
