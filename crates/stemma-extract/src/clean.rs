//! Page furniture: which elements are dropped before the article is looked
//! for.
//!
//! Three kinds of evidence, all cheap: the element itself (scripts, forms,
//! navigation, asides, footers, ad and consent components), attributes that
//! hide it, and the words of its class and id ("comment-respond",
//! "sharedaddy", "cookie-banner", "newsletter-box", "related"). Class words
//! come in two strengths: strong ones drop any element, weak ones ("meta",
//! "date", "author", "tags", "caption") only short ones, since WordPress puts
//! `tag-…` and `category-…` classes on the article itself.
//!
//! Nothing that holds a headline (`<h1>`) or the article body
//! (`itemprop=articleBody`) is ever dropped, nor `html`, `body`, `main` or
//! `article`: a page wrapped whole in a `<form>` or a `<body class="has-sidebar">`
//! keeps its article.

use crate::dom::{Dom, NodeId, ROOT};

/// Elements never part of the article text.
const DROP_TAGS: &[&str] = &[
    "head",
    "title",
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
    "map",
    "textarea",
    "select",
    "button",
    "input",
    "label",
    "option",
    "nav",
    "aside",
    "footer",
    "form",
    "dialog",
    "menu",
    "figcaption",
    "amp-ad",
    "amp-embed",
    "amp-sticky-ad",
    "amp-sidebar",
    "amp-consent",
    "amp-user-notification",
    "amp-social-share",
    "amp-analytics",
    "amp-pixel",
    "amp-iframe",
    "amp-geo",
];

/// ARIA landmark roles of page furniture.
const DROP_ROLES: &[&str] =
    &["navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "search", "menu", "menubar"];

/// Class or id words (split at anything not a letter or digit) that mark
/// furniture whatever its size.
const STRONG_WORDS: &[&str] = &[
    "ad",
    "ads",
    "adv",
    "pub",
    "publicite",
    "dfp",
    "gpt",
    "nav",
    "navbar",
    "menu",
    "footer",
    "breadcrumb",
    "breadcrumbs",
    "ariane",
    "pagination",
    "pager",
    "respond",
    "reply",
    "replies",
    "pingback",
    "sidebar",
    "widget",
    "share",
    "sharing",
    "social",
    "related",
    "newsletter",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "cmp",
    "onetrust",
    "didomi",
    "popup",
    "modal",
    "banner",
    "promo",
    "sponsor",
    "sponsored",
    "subscribe",
    "subscription",
    "signup",
    "paywall",
    "trending",
    "popular",
    "mostread",
    "recommended",
    "outbrain",
    "taboola",
    "disqus",
    "likes",
    "reactions",
    "reaction",
    "rss",
    "gallery",
    "slideshow",
    "diaporama",
    "carousel",
    "slider",
];

/// Prefixes of class or id words that mark furniture ("comments-area",
/// "sharedaddy", "relatedposts", "advertisement").
const STRONG_PREFIXES: &[&str] =
    &["comment", "share", "social", "related", "newsletter", "cookie", "advert", "sponsor", "subscri", "reaction"];

/// Words that mark furniture only on a short element: labels, bylines,
/// dates, tag lists, captions.
const WEAK_WORDS: &[&str] = &[
    "meta",
    "tags",
    "tag",
    "byline",
    "author",
    "date",
    "timestamp",
    "credit",
    "credits",
    "caption",
    "print",
    "tools",
    "toolbar",
    "outils",
    "partage",
    "lire",
    "signature",
    "copyright",
    "topics",
    "teaser",
    "skip",
    "legend",
    "legende",
];

/// Whole class names of visually hidden text.
const HIDDEN_CLASSES: &[&str] =
    &["hidden", "hide", "screen-reader-text", "sr-only", "visually-hidden", "visuallyhidden", "element-invisible"];

/// A weak word drops an element only below this many characters of text.
const WEAK_MAX_CHARS: usize = 250;

/// Which nodes are dropped with their subtree.
pub fn furniture(dom: &Dom) -> Vec<bool> {
    let n = dom.nodes.len();
    let mut protected = vec![false; n];
    for (id, node) in dom.nodes.iter().enumerate() {
        let keep = node.tag == "h1" || node.attr("itemprop").is_some_and(|v| v.eq_ignore_ascii_case("articleBody"));
        if keep {
            let mut a = id;
            while a != ROOT && !protected[a] {
                protected[a] = true;
                a = dom.nodes[a].parent;
            }
        }
    }
    let mut dropped = vec![false; n];
    // A comment thread announced by its heading ("Vos avis (3)", "12
    // comments", "Laisser un commentaire") whatever its class names: the
    // heading's parent goes, unless it also holds the article.
    for (id, node) in dom.nodes.iter().enumerate() {
        if is_comment_heading(dom, id, &node.tag) {
            let parent = node.parent;
            if parent != ROOT
                && !protected[parent]
                && !matches!(dom.nodes[parent].tag.as_str(), "html" | "body" | "main" | "article")
            {
                dropped[parent] = true;
            }
        }
    }
    // Parents come before children in the arena, so one forward pass sees a
    // dropped ancestor first and can skip the subtree's checks.
    let mut inside_dropped = vec![false; n];
    for id in 1..n {
        let node = &dom.nodes[id];
        if inside_dropped[node.parent] || dropped[id] {
            inside_dropped[id] = true;
            continue;
        }
        if node.is_text() || protected[id] || matches!(node.tag.as_str(), "html" | "body" | "main" | "article") {
            continue;
        }
        if is_furniture(dom, id) {
            dropped[id] = true;
            inside_dropped[id] = true;
        }
    }
    dropped
}

/// Labels that open a comment thread or form, lowercase, without counts.
const COMMENT_LABELS: &[&str] = &[
    "commentaire",
    "commentaires",
    "comment",
    "comments",
    "réaction",
    "réactions",
    "reactions",
    "vos avis",
    "vos commentaires",
    "vos réactions",
    "donnez votre avis",
    "réagir",
    "réagissez",
    "réagir à cet article",
    "laisser un commentaire",
    "laissez un commentaire",
    "ajouter un commentaire",
    "écrire un commentaire",
    "leave a reply",
    "leave a comment",
    "add a comment",
    "post a comment",
    "join the conversation",
    "join the discussion",
    "responses",
    "what do you think?",
];

/// Whether `id` is a heading (or a short bold or paragraph line) whose whole
/// text is a comment-thread label, counts allowed ("3 comments",
/// "Commentaires (12)", "3 réponses à « … »").
pub fn is_comment_heading(dom: &Dom, id: NodeId, tag: &str) -> bool {
    if !matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "strong" | "b" | "p") {
        return false;
    }
    if !text_len_at_most(dom, id, 60) {
        return false;
    }
    let text = dom.text_of(id).to_lowercase();
    let label: String = text
        .chars()
        .map(|c| if c.is_ascii_digit() || matches!(c, '(' | ')' | ':' | '\u{a0}') { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    COMMENT_LABELS.contains(&label.as_str())
        || ["réponses à", "réponse à", "thoughts on", "responses to", "replies to", "comments on"]
            .iter()
            .any(|p| label.starts_with(p) && text.trim_start().starts_with(|c: char| c.is_ascii_digit()))
}

fn is_furniture(dom: &Dom, id: NodeId) -> bool {
    let node = &dom.nodes[id];
    if DROP_TAGS.contains(&node.tag.as_str()) {
        return true;
    }
    if node.attr("hidden").is_some() || node.attr("aria-hidden").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        return true;
    }
    if let Some(style) = node.attr("style") {
        let s: String = style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    if node.attr("role").is_some_and(|r| DROP_ROLES.contains(&r.trim().to_ascii_lowercase().as_str())) {
        return true;
    }
    let class = node.attr("class").unwrap_or("").to_ascii_lowercase();
    let ident = node.attr("id").unwrap_or("").to_ascii_lowercase();
    if class.split_ascii_whitespace().any(|c| HIDDEN_CLASSES.contains(&c)) {
        return true;
    }
    let words = || {
        class
            .split(|c: char| !c.is_ascii_alphanumeric())
            .chain(ident.split(|c: char| !c.is_ascii_alphanumeric()))
            .filter(|w| !w.is_empty())
    };
    let strong = words().any(|w| {
        STRONG_WORDS.contains(&w) || (STRONG_PREFIXES.iter().any(|p| w.starts_with(p)) && !w.starts_with("commentary"))
    });
    if strong {
        return true;
    }
    if words().any(|w| WEAK_WORDS.contains(&w)) {
        return text_len_at_most(dom, id, WEAK_MAX_CHARS);
    }
    false
}

/// Whether the subtree's text has at most `max` non-space characters,
/// stopping as soon as it has more.
fn text_len_at_most(dom: &Dom, id: NodeId, max: usize) -> bool {
    let mut count = 0;
    let mut stack = vec![id];
    while let Some(n) = stack.pop() {
        let node = &dom.nodes[n];
        if node.is_text() {
            count += node.text.chars().filter(|c| !c.is_whitespace()).count();
            if count > max {
                return false;
            }
        } else if !matches!(node.tag.as_str(), "script" | "style") {
            stack.extend(node.children.iter());
        }
    }
    true
}
