//! A forgiving HTML parser into a small arena tree.
//!
//! It is not an HTML5 tree builder: it knows void and raw-text elements and
//! the implicit closes that matter for text (`<p>`, `<li>`, table cells,
//! `<option>`), ignores end tags that close nothing, and never fails. That is
//! what main-text extraction needs, at no dependency cost. Depth and node
//! count are bounded so that hostile input cannot blow up memory or the stack.

use crate::entities;

/// Index of a node in [`Dom::nodes`].
pub type NodeId = usize;

/// The document node, parent of `<html>` (or of whatever comes first).
pub const ROOT: NodeId = 0;

/// Deeper elements are attached to the deepest open one instead of nesting,
/// so that recursion elsewhere stays shallow.
const MAX_DEPTH: usize = 256;

/// Past this many nodes the rest of the page is not parsed: a page that big
/// is not an article, and memory stays bounded.
const MAX_NODES: usize = 2_000_000;

/// A tag longer than this is not a tag: its `<` is text. This bounds the
/// work per `<`, so junk full of `<a` without `>` stays linear.
const MAX_TAG_LEN: usize = 16 * 1024;

/// Attributes kept; the others are never looked at.
const KEPT_ATTRS: &[&str] = &[
    "class",
    "id",
    "style",
    "hidden",
    "aria-hidden",
    "itemprop",
    "property",
    "name",
    "content",
    "rel",
    "href",
    "datetime",
    "lang",
    "xml:lang",
    "type",
    "http-equiv",
    "role",
];

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    "keygen",
];

/// Elements whose content is not markup. Their text is kept raw (scripts,
/// for JSON-LD) or decoded (`title`, `textarea`).
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "noscript", "noembed", "noframes", "iframe"];

/// Start tags that close an open `<p>`.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "dialog",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "dd",
    "dt",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
];

/// Phrasing elements: an implicit close may look through them.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark", "q", "s", "samp",
    "small", "span", "strong", "sub", "sup", "time", "u", "var", "big", "tt", "strike", "nobr", "label",
];

/// One node: an element (with a lowercase tag name) or a text node.
#[derive(Debug, Clone)]
pub struct Node {
    /// Lowercase tag name; empty for a text node, `#document` for the root.
    pub tag: String,
    /// Parent node (the root is its own parent).
    pub parent: NodeId,
    /// Children in document order.
    pub children: Vec<NodeId>,
    /// Kept attributes, names lowercase, values decoded.
    pub attrs: Vec<(String, String)>,
    /// Text of a text node, decoded (raw for scripts and styles).
    pub text: String,
}

impl Node {
    /// Whether this is a text node.
    pub fn is_text(&self) -> bool {
        self.tag.is_empty()
    }

    /// The value of an attribute.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// A parsed page.
#[derive(Debug, Clone)]
pub struct Dom {
    /// All nodes; [`ROOT`] first, then in document order.
    pub nodes: Vec<Node>,
}

impl Dom {
    /// Parses `html`; never fails.
    pub fn parse(html: &str) -> Dom {
        Parser::new(html).run()
    }

    /// The concatenated text of a subtree.
    pub fn text_of(&self, id: NodeId) -> String {
        let mut out = String::new();
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            let node = &self.nodes[n];
            if node.is_text() {
                out.push_str(&node.text);
            } else if !matches!(node.tag.as_str(), "script" | "style" | "noscript" | "template") {
                stack.extend(node.children.iter().rev());
            }
        }
        out
    }

    /// Whether `a` is `b` or one of its ancestors.
    pub fn is_ancestor_or_self(&self, a: NodeId, mut b: NodeId) -> bool {
        loop {
            if a == b {
                return true;
            }
            if b == ROOT {
                return false;
            }
            b = self.nodes[b].parent;
        }
    }
}

struct Parser<'a> {
    html: &'a str,
    pos: usize,
    /// Bytes scanned by tag look-ups that found no tag; past a budget of
    /// twice the input, quotes stop being honoured in tags, so that junk such
    /// as `<a x="<a x="…` stays linear.
    failed_scan: usize,
    /// Position of the next `>` at or after `pos` (`usize::MAX`: none left),
    /// valid while `>= pos`: found once, not once per `<`.
    next_gt: usize,
    nodes: Vec<Node>,
    stack: Vec<NodeId>,
}

impl<'a> Parser<'a> {
    fn new(html: &'a str) -> Self {
        let root = Node {
            tag: "#document".into(),
            parent: ROOT,
            children: Vec::new(),
            attrs: Vec::new(),
            text: String::new(),
        };
        Parser { html, pos: 0, failed_scan: 0, next_gt: 0, nodes: vec![root], stack: vec![ROOT] }
    }

    fn current(&self) -> NodeId {
        self.stack.last().copied().unwrap_or(ROOT)
    }

    fn run(mut self) -> Dom {
        let bytes = self.html.as_bytes();
        while self.pos < bytes.len() && self.nodes.len() < MAX_NODES {
            if bytes[self.pos] != b'<' {
                let end = self.html[self.pos..].find('<').map_or(self.html.len(), |n| self.pos + n);
                let raw = &self.html[self.pos..end];
                self.push_text(raw, true);
                self.pos = end;
                continue;
            }
            let rest = &self.html[self.pos..];
            if let Some(comment) = rest.strip_prefix("<!--") {
                self.pos += comment.find("-->").map_or(rest.len(), |e| e + 7);
            } else if rest.starts_with("<![CDATA[") {
                let end = rest.find("]]>").unwrap_or(rest.len());
                self.push_text(&rest[9..end.max(9)], false);
                self.pos += (end + 3).min(rest.len());
            } else if rest.starts_with("<!") || rest.starts_with("<?") {
                self.pos += rest.find('>').map_or(rest.len(), |e| e + 1);
            } else if let Some(len) = self.tag_len(rest) {
                self.pos += len;
                self.tag(&rest[1..len - 1]);
            } else {
                // A '<' that starts no tag is text ("1 < 2").
                self.push_text("<", false);
                self.pos += 1;
            }
        }
        Dom { nodes: self.nodes }
    }

    /// The length of the tag starting at `s[0] == '<'`, or `None` when this
    /// `<` starts no tag.
    fn tag_len(&mut self, s: &str) -> Option<usize> {
        if self.next_gt < self.pos {
            self.next_gt = self.html[self.pos..].find('>').map_or(usize::MAX, |i| self.pos + i);
        }
        if self.next_gt == usize::MAX || self.next_gt - self.pos >= MAX_TAG_LEN {
            return None;
        }
        let honour_quotes = self.failed_scan <= 2 * self.html.len() + (1 << 20);
        let found = tag_len(s, honour_quotes);
        if found.is_none() {
            self.failed_scan += s.len().min(MAX_TAG_LEN);
        }
        found
    }

    fn push_text(&mut self, raw: &str, decode: bool) {
        if raw.is_empty() {
            return;
        }
        let parent = self.current();
        // Merge with a preceding text sibling: one text node per run.
        if let Some(&last) = self.nodes[parent].children.last() {
            if self.nodes[last].is_text() {
                let t = &mut self.nodes[last].text;
                if decode {
                    entities::decode_into(raw, t);
                } else {
                    t.push_str(raw);
                }
                return;
            }
        }
        let text = if decode { entities::decode(raw) } else { raw.to_string() };
        let id = self.nodes.len();
        self.nodes.push(Node { tag: String::new(), parent, children: Vec::new(), attrs: Vec::new(), text });
        self.nodes[parent].children.push(id);
    }

    fn tag(&mut self, inner: &str) {
        if let Some(name) = inner.strip_prefix('/') {
            let name = tag_name(name);
            if !name.is_empty() {
                self.end_tag(&name);
            }
            return;
        }
        let name = tag_name(inner);
        if name.is_empty() {
            return;
        }
        let self_closing = inner.trim_end().ends_with('/');
        self.implicit_closes(&name);
        let attrs = parse_attrs(&inner[name.len().min(inner.len())..]);
        let parent = self.current();
        let id = self.nodes.len();
        self.nodes.push(Node { tag: name.clone(), parent, children: Vec::new(), attrs, text: String::new() });
        self.nodes[parent].children.push(id);
        if VOID.contains(&name.as_str()) || self_closing {
            return;
        }
        if RAW_TEXT.contains(&name.as_str()) {
            let rest = &self.html[self.pos..];
            let end = find_end_tag(rest, &name).unwrap_or(rest.len());
            let decode = matches!(name.as_str(), "title" | "textarea");
            self.stack.push(id);
            self.push_text(&rest[..end], decode);
            self.stack.pop();
            self.pos += end;
            // Skip the end tag itself.
            let after = &self.html[self.pos..];
            self.pos += after.find('>').map_or(after.len(), |e| e + 1);
            return;
        }
        if self.stack.len() < MAX_DEPTH {
            self.stack.push(id);
        }
    }

    /// Closes what a start tag implicitly closes.
    fn implicit_closes(&mut self, name: &str) {
        if CLOSES_P.contains(&name) {
            self.close_through(&["p"], |t| INLINE.contains(&t));
        }
        match name {
            "li" => self.close_through(&["li"], |t| INLINE.contains(&t) || t == "p"),
            "dt" | "dd" => self.close_through(&["dt", "dd"], |t| INLINE.contains(&t) || t == "p"),
            "tr" => self.close_through(&["tr"], |t| t != "table"),
            "td" | "th" => self.close_through(&["td", "th"], |t| t != "tr" && t != "table"),
            "thead" | "tbody" | "tfoot" => self.close_through(&["thead", "tbody", "tfoot"], |t| t != "table"),
            "option" => self.close_through(&["option"], |t| INLINE.contains(&t)),
            _ => {}
        }
    }

    /// Pops up to and including the nearest open element named in `targets`,
    /// looking only through elements for which `through` holds.
    fn close_through(&mut self, targets: &[&str], through: impl Fn(&str) -> bool) {
        for depth in (1..self.stack.len()).rev() {
            let tag = self.nodes[self.stack[depth]].tag.as_str();
            if targets.contains(&tag) {
                self.stack.truncate(depth);
                return;
            }
            if !through(tag) {
                return;
            }
        }
    }

    fn end_tag(&mut self, name: &str) {
        // Pop to the nearest open element of that name; an end tag that
        // closes nothing is ignored, as browsers do.
        if let Some(depth) = (1..self.stack.len()).rev().find(|&d| self.nodes[self.stack[d]].tag == name) {
            self.stack.truncate(depth);
        }
    }
}

/// The length of a tag starting at `s[0] == '<'` (through its `>`), quoted
/// attribute values skipped when `quotes`; `None` when this `<` starts no
/// tag.
fn tag_len(s: &str, quotes: bool) -> Option<usize> {
    let second = *s.as_bytes().get(1)?;
    let first_name = if second == b'/' { *s.as_bytes().get(2)? } else { second };
    if !first_name.is_ascii_alphabetic() {
        return None;
    }
    if !quotes {
        return s.as_bytes().iter().take(MAX_TAG_LEN).position(|&b| b == b'>').map(|i| i + 1);
    }
    let mut quote: Option<u8> = None;
    for (i, &b) in s.as_bytes().iter().enumerate().take(MAX_TAG_LEN).skip(1) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            // Only a quote right after `=` opens a value.
            None if (b == b'"' || b == b'\'')
                && s.as_bytes()[..i].iter().rev().find(|c| !c.is_ascii_whitespace()) == Some(&b'=') =>
            {
                quote = Some(b);
            }
            None if b == b'>' => return Some(i + 1),
            None => {}
        }
    }
    None
}

fn tag_name(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | ':' | '_'))
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Finds `</name` (ASCII case-insensitive) in `s`.
fn find_end_tag(s: &str, name: &str) -> Option<usize> {
    let b = s.as_bytes();
    let n = name.as_bytes();
    let mut i = 0;
    while let Some(off) = s[i..].find("</") {
        let at = i + off;
        let start = at + 2;
        if b.len() >= start + n.len() && b[start..start + n.len()].eq_ignore_ascii_case(n) {
            let next = b.get(start + n.len()).copied().unwrap_or(b'>');
            if !next.is_ascii_alphanumeric() {
                return Some(at);
            }
        }
        i = at + 2;
    }
    None
}

fn parse_attrs(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'/' | b'>') {
            i += 1;
        }
        if start == i {
            i += 1;
            continue;
        }
        let name = s[start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let vstart = i + 1;
                let vend = b[vstart..].iter().position(|&c| c == q).map_or(b.len(), |p| vstart + p);
                value = entities::decode(&s[vstart..vend]);
                i = vend + 1;
            } else {
                let vstart = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = entities::decode(&s[vstart..i]);
            }
        }
        if KEPT_ATTRS.contains(&name.as_str()) && !out.iter().any(|(n, _): &(String, String)| *n == name) {
            out.push((name, value));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(dom: &Dom, id: NodeId) -> String {
        let n = &dom.nodes[id];
        if n.is_text() {
            return n.text.clone();
        }
        let inner: Vec<String> = n.children.iter().map(|&c| shape(dom, c)).collect();
        format!("{}({})", n.tag, inner.join(","))
    }

    #[test]
    fn implicit_closes_and_stray_end_tags() {
        let dom = Dom::parse("<div><p>a<p>b<ul><li>c<li>d</ul></span></div><table><tr><td>e<td>f<tr><td>g</table>");
        assert_eq!(shape(&dom, ROOT), "#document(div(p(a),p(b),ul(li(c),li(d))),table(tr(td(e),td(f)),tr(td(g))))");
    }

    #[test]
    fn raw_text_attributes_and_comments() {
        let dom = Dom::parse(
            "<script type=\"application/ld+json\">{\"a\":\"<p>\"}</SCRIPT><!-- <p>no</p> --><a href='/x?a=1&amp;b=2' class=k>t&eacute;</a>",
        );
        assert_eq!(shape(&dom, ROOT), "#document(script({\"a\":\"<p>\"}),a(té))");
        assert_eq!(dom.nodes[3].attr("href"), Some("/x?a=1&b=2"));
        assert_eq!(dom.nodes[3].attr("class"), Some("k"));
    }

    #[test]
    fn stray_brackets_and_unclosed_things() {
        let dom = Dom::parse("1 < 2 <3 <b>bold <!-- unclosed");
        assert_eq!(shape(&dom, ROOT), "#document(1 < 2 <3 ,b(bold ))");
        let dom = Dom::parse("<div class=\"unterminated");
        assert_eq!(dom.nodes.len(), 2);
        let deep = "<div>".repeat(10_000);
        assert!(Dom::parse(&deep).nodes.len() > 10_000);
    }
}
