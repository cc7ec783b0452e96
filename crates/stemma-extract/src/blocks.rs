//! Text blocks, the article container, and the rendered text.
//!
//! A block is the text of one block-level element (a paragraph, a heading, a
//! list item, a table cell, a run of text between `<br><br>`), with how much
//! of it is link text. Each block votes for the elements holding it: a
//! "good" block (at least [`GOOD_MIN_CHARS`] characters, little link text)
//! adds its length, any other block (menus, labels, link lists, dates)
//! subtracts its length, and headings are neutral. The article container is
//! the element with the highest total: it grows to take in the headline and
//! the standfirst when little else comes with them, and stops before the
//! sidebars, link lists and comment threads that cost more than they bring.

use crate::dom::{Dom, NodeId, ROOT};

/// A block counts as article text from this many characters (spaces
/// excluded) of text outside links.
const GOOD_MIN_CHARS: usize = 40;

/// Largest share of link text in a good block, in percent.
const GOOD_MAX_LINK_PCT: usize = 35;

/// Blocks with more link text than this, in percent, are link lists and
/// "read also" lines, dropped from the output.
const OUT_MAX_LINK_PCT: usize = 50;

/// A block holding a `<time>` and shorter than this is a dateline or byline.
const TIME_LINE_MAX_CHARS: usize = 100;

/// A block starting like a byline and shorter than this is one.
const BYLINE_MAX_CHARS: usize = 80;

/// How many levels above the container an `<h1>` is still its headline.
const NEAR_ANCESTORS: usize = 3;

/// Elements that start and end a block.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
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
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// One block of text.
#[derive(Debug, Clone)]
pub struct Block {
    /// The text: spaces collapsed, lines (from single `<br>`) trimmed.
    pub text: String,
    /// Characters, spaces excluded.
    pub chars: usize,
    /// Characters inside links, spaces excluded.
    pub link_chars: usize,
    /// The innermost block-level element holding the block.
    pub owner: NodeId,
    /// Heading level (1–6), or 0.
    pub heading: u8,
    /// Whether the block holds a `<time>` element.
    pub has_time: bool,
}

impl Block {
    fn link_pct(&self) -> usize {
        (self.link_chars * 100).checked_div(self.chars).unwrap_or(0)
    }

    /// Whether the block looks like article text.
    pub fn is_good(&self) -> bool {
        self.heading == 0
            && self.chars.saturating_sub(self.link_chars) >= GOOD_MIN_CHARS
            && self.link_pct() <= GOOD_MAX_LINK_PCT
    }
}

/// The blocks of the page outside the dropped subtrees, in document order.
pub fn blocks(dom: &Dom, dropped: &[bool]) -> Vec<Block> {
    let mut b = Builder {
        dom,
        dropped,
        out: Vec::new(),
        buf: String::new(),
        chars: 0,
        link_chars: 0,
        pending_space: false,
        has_time: false,
        links: 0,
        owners: vec![ROOT],
        heading: 0,
    };
    b.walk(ROOT);
    b.flush();
    b.out
}

struct Builder<'a> {
    dom: &'a Dom,
    dropped: &'a [bool],
    out: Vec<Block>,
    buf: String,
    chars: usize,
    link_chars: usize,
    pending_space: bool,
    has_time: bool,
    links: usize,
    owners: Vec<NodeId>,
    heading: u8,
}

impl Builder<'_> {
    fn walk(&mut self, id: NodeId) {
        if self.dropped[id] {
            return;
        }
        let node = &self.dom.nodes[id];
        if node.is_text() {
            self.push_text(id);
            return;
        }
        let tag = node.tag.as_str();
        if tag == "br" {
            if self.buf.ends_with('\n') {
                // `<br><br>`: a paragraph break.
                self.buf.pop();
                self.flush();
            } else if !self.buf.is_empty() {
                self.buf.push('\n');
                self.pending_space = false;
            }
            return;
        }
        let is_block = BLOCK_TAGS.contains(&tag) || id == ROOT;
        let saved_heading = self.heading;
        if is_block {
            self.flush();
            self.owners.push(id);
            if let Some(level) =
                tag.strip_prefix('h').and_then(|l| l.parse::<u8>().ok()).filter(|l| (1..=6).contains(l))
            {
                self.heading = level;
            }
        }
        match tag {
            "a" => self.links += 1,
            "time" => self.has_time = true,
            _ => {}
        }
        for i in 0..self.dom.nodes[id].children.len() {
            let child = self.dom.nodes[id].children[i];
            self.walk(child);
        }
        if tag == "a" {
            self.links -= 1;
        }
        if is_block {
            self.flush();
            self.owners.pop();
            self.heading = saved_heading;
        }
    }

    fn push_text(&mut self, id: NodeId) {
        let text = &self.dom.nodes[id].text;
        for c in text.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
                self.pending_space = true;
                continue;
            }
            if self.pending_space && !self.buf.is_empty() && !self.buf.ends_with('\n') {
                self.buf.push(' ');
            }
            self.pending_space = false;
            self.buf.push(c);
            if !c.is_whitespace() {
                self.chars += 1;
                if self.links > 0 {
                    self.link_chars += 1;
                }
            }
        }
    }

    fn flush(&mut self) {
        let text: Vec<&str> = self.buf.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        if !text.is_empty() && self.chars > 0 {
            self.out.push(Block {
                text: text.join("\n"),
                chars: self.chars,
                link_chars: self.link_chars,
                owner: self.owners.last().copied().unwrap_or(ROOT),
                heading: self.heading,
                has_time: self.has_time,
            });
        }
        self.buf.clear();
        self.chars = 0;
        self.link_chars = 0;
        self.pending_space = false;
        self.has_time = false;
    }
}

/// The element whose blocks make the article: the highest total of block
/// votes, the deeper element on a tie. `ROOT` when no block is good.
pub fn container(dom: &Dom, blocks: &[Block]) -> NodeId {
    let mut score = vec![0i64; dom.nodes.len()];
    for b in blocks {
        let w = if b.heading > 0 {
            0
        } else if b.is_good() {
            b.chars as i64
        } else {
            -(b.chars as i64)
        };
        if w == 0 {
            continue;
        }
        let mut n = b.owner;
        loop {
            score[n] += w;
            if n == ROOT {
                break;
            }
            n = dom.nodes[n].parent;
        }
    }
    let mut best = ROOT;
    let mut best_score = 0;
    for (id, &s) in score.iter().enumerate() {
        // Parents precede children in the arena: `>=` prefers the deeper one.
        if s > 0 && s >= best_score && !dom.nodes[id].is_text() {
            best = id;
            best_score = s;
        }
    }
    best
}

/// Where the headline is: a block, and the line in it where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Headline {
    /// Index in the block list.
    pub block: usize,
    /// Line within the block (a `<br>`-separated line).
    pub line: usize,
}

/// Normal form for comparing titles: lowercase, one kind of apostrophe,
/// single spaces.
pub fn norm(s: &str) -> String {
    s.split(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .map(|c| if matches!(c, '’' | '‘' | 'ʼ') { '\'' } else { c })
        .collect::<String>()
        .to_lowercase()
}

/// Whether a heading's text is the page title: equal, or the start of a
/// title that carries the site's name after it.
fn matches_title(text: &str, titles: &[String]) -> bool {
    let t = norm(text);
    t.chars().count() >= 8
        && titles.iter().any(|title| *title == t || (title.starts_with(&t) && t.len() * 2 >= title.len()))
}

/// Finds the headline: an `<h1>` inside the container or matching a title,
/// else a line anywhere whose text is a title. `titles` are normalized.
pub fn headline(dom: &Dom, blocks: &[Block], container: NodeId, titles: &[String]) -> Option<Headline> {
    let inside = |b: &Block| dom.is_ancestor_or_self(container, b.owner);
    let h1s: Vec<usize> = (0..blocks.len()).filter(|&i| blocks[i].heading == 1).collect();
    let rank = |i: usize| {
        let b = &blocks[i];
        (inside(b) as u8) * 2 + matches_title(&b.text, titles) as u8
    };
    let best_h1 = h1s.iter().copied().filter(|&i| rank(i) > 0).max_by_key(|&i| (rank(i), std::cmp::Reverse(i)));
    if let Some(i) = best_h1 {
        return Some(Headline { block: i, line: 0 });
    }
    // An `<h1>` just above a container that is a single paragraph or a
    // body `<div>`: the first one, before the container, in one of its
    // nearest ancestors.
    let first_inside = blocks.iter().position(inside).unwrap_or(blocks.len());
    let mut up = container;
    for _ in 0..NEAR_ANCESTORS {
        if up == ROOT || matches!(dom.nodes[up].tag.as_str(), "body" | "html") {
            break;
        }
        up = dom.nodes[up].parent;
        if let Some(&i) = h1s.iter().find(|&&i| i < first_inside && dom.is_ancestor_or_self(up, blocks[i].owner)) {
            return Some(Headline { block: i, line: 0 });
        }
    }
    for (i, b) in blocks.iter().enumerate() {
        if b.chars > 400 {
            continue;
        }
        for (l, line) in b.text.lines().enumerate() {
            if matches_title(line, titles) {
                return Some(Headline { block: i, line: l });
            }
        }
    }
    None
}

/// The article's text: the container's blocks from the headline on (the
/// headline put first when it lies outside), without link lists, datelines
/// and bylines, paragraphs separated by blank lines.
pub fn render(dom: &Dom, blocks: &[Block], container: NodeId, head: Option<Headline>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let head_inside = head.is_some_and(|h| dom.is_ancestor_or_self(container, blocks[h.block].owner));
    if let (Some(h), false) = (head, head_inside) {
        if let Some(line) = blocks[h.block].text.lines().nth(h.line) {
            parts.push(line.to_string());
        }
    }
    for (i, b) in blocks.iter().enumerate() {
        if !dom.is_ancestor_or_self(container, b.owner) {
            continue;
        }
        if let (Some(h), true) = (head, head_inside) {
            if i < h.block {
                continue;
            }
            if i == h.block {
                let rest: Vec<&str> = b.text.lines().skip(h.line).collect();
                parts.push(rest.join("\n"));
                continue;
            }
        }
        // A comment thread that shares the article's element: it ends the
        // article.
        if !parts.is_empty() && crate::clean::is_comment_heading(dom, b.owner, &dom.nodes[b.owner].tag) {
            break;
        }
        if b.link_pct() > OUT_MAX_LINK_PCT || is_dateline(b) {
            continue;
        }
        parts.push(b.text.clone());
    }
    parts.join("\n\n")
}

fn is_dateline(b: &Block) -> bool {
    if b.heading > 0 {
        return false;
    }
    if b.has_time && b.chars < TIME_LINE_MAX_CHARS {
        return true;
    }
    if b.chars >= BYLINE_MAX_CHARS {
        return false;
    }
    let lower = b.text.to_lowercase();
    ["par ", "by ", "publié le", "publié ", "published", "mis à jour", "updated", "posted on", "posted by"]
        .iter()
        .any(|p| lower.starts_with(p))
}
