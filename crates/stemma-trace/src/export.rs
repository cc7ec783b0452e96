//! The tree as DOT, GraphML and SVG, and the report as one self-contained
//! HTML page. Every piece of document text is escaped: documents are
//! untrusted.

use crate::tree::Tree;
use crate::TraceReport;
use std::fmt::Write;
use stemma_core::CompareReport;

/// Escapes text for HTML, XML and SVG (element content and quoted attributes).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn dot_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The tree in Graphviz DOT.
pub fn dot(tree: &Tree) -> String {
    let mut s = String::from("digraph stemma {\n  rankdir=TB;\n  node [fontname=\"Helvetica\"];\n");
    for n in &tree.nodes {
        let style = if n.kind == "lost" { "shape=ellipse, style=dashed" } else { "shape=box" };
        let _ = writeln!(s, "  n{} [label={}, {style}];", n.index, dot_quote(&n.label));
    }
    for e in &tree.edges {
        let _ = writeln!(
            s,
            "  n{} -> n{} [label={}, tooltip={}];",
            e.from,
            e.to,
            dot_quote(&format!("{:.2}", e.confidence)),
            dot_quote(&e.evidence.join("; "))
        );
    }
    s.push_str("}\n");
    s
}

/// The tree in GraphML.
pub fn graphml(tree: &Tree) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n  \
         <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n  \
         <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n  \
         <key id=\"doc\" for=\"node\" attr.name=\"id\" attr.type=\"string\"/>\n  \
         <key id=\"confidence\" for=\"edge\" attr.name=\"confidence\" attr.type=\"double\"/>\n  \
         <key id=\"basis\" for=\"edge\" attr.name=\"basis\" attr.type=\"string\"/>\n  \
         <key id=\"evidence\" for=\"edge\" attr.name=\"evidence\" attr.type=\"string\"/>\n  \
         <graph id=\"stemma\" edgedefault=\"directed\">\n",
    );
    for n in &tree.nodes {
        let _ = writeln!(
            s,
            "    <node id=\"n{}\"><data key=\"label\">{}</data><data key=\"kind\">{}</data>{}</node>",
            n.index,
            escape(&n.label),
            escape(&n.kind),
            n.id.as_ref().map(|i| format!("<data key=\"doc\">{}</data>", escape(i))).unwrap_or_default()
        );
    }
    for (k, e) in tree.edges.iter().enumerate() {
        let _ = writeln!(
            s,
            "    <edge id=\"e{k}\" source=\"n{}\" target=\"n{}\"><data key=\"confidence\">{}</data><data key=\"basis\">{}</data><data key=\"evidence\">{}</data></edge>",
            e.from,
            e.to,
            e.confidence,
            escape(&e.basis),
            escape(&e.evidence.join("; "))
        );
    }
    s.push_str("  </graph>\n</graphml>\n");
    s
}

/// Layer (depth) of every node: the longest path from a root.
fn layers(tree: &Tree) -> Vec<usize> {
    let n = tree.nodes.len();
    let mut depth = vec![0usize; n];
    // Relax edges n times (trees are small; this handles any DAG order).
    for _ in 0..n {
        let mut changed = false;
        for e in &tree.edges {
            if e.from < n && e.to < n && depth[e.to] < depth[e.from] + 1 {
                depth[e.to] = depth[e.from] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    depth
}

/// The tree drawn as SVG: layers from the roots down; versions as boxes,
/// lost versions dashed; `link(id)` gives each version's node a link
/// target (for the web app and the HTML report), or none.
pub fn svg(tree: &Tree, focus: Option<&str>, link: &dyn Fn(&str) -> Option<String>) -> String {
    let depth = layers(tree);
    let max_depth = depth.iter().copied().max().unwrap_or(0);
    let mut per_layer: Vec<Vec<usize>> = vec![Vec::new(); max_depth + 1];
    for (i, d) in depth.iter().enumerate() {
        per_layer[*d].push(i);
    }
    let (bw, bh, gx, gy) = (150.0, 36.0, 30.0, 70.0);
    let widest = per_layer.iter().map(Vec::len).max().unwrap_or(1) as f64;
    let width = widest * (bw + gx) + gx;
    let height = (max_depth as f64 + 1.0) * (bh + gy) + gy / 2.0;
    let mut pos = vec![(0.0f64, 0.0f64); tree.nodes.len()];
    for (d, layer) in per_layer.iter().enumerate() {
        let row = layer.len() as f64 * (bw + gx) - gx;
        let x0 = (width - row) / 2.0;
        for (k, &i) in layer.iter().enumerate() {
            pos[i] = (x0 + k as f64 * (bw + gx), gy / 2.0 + d as f64 * (bh + gy));
        }
    }
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"stemma-tree\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\" role=\"img\" aria-label=\"copy tree\">\n\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#555\"/></marker></defs>\n"
    );
    for e in &tree.edges {
        let (Some(&(x1, y1)), Some(&(x2, y2))) = (pos.get(e.from), pos.get(e.to)) else { continue };
        let _ = writeln!(
            s,
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#555\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"><title>{}</title></line>",
            x1 + bw / 2.0,
            y1 + bh,
            x2 + bw / 2.0,
            y2,
            escape(&format!("confidence {:.2} ({}): {}", e.confidence, e.basis, e.evidence.join("; ")))
        );
    }
    for n in &tree.nodes {
        let (x, y) = pos[n.index];
        let lost = n.kind == "lost";
        let is_focus = n.id.as_deref().is_some_and(|i| Some(i) == focus);
        let label: String = n.label.chars().take(22).collect();
        let shape = format!(
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bw}\" height=\"{bh}\" rx=\"6\" fill=\"{}\" stroke=\"{}\" stroke-width=\"{}\"{}/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"12\">{}</text>",
            if lost { "#fff" } else if is_focus { "#fde68a" } else { "#e0ecff" },
            if lost { "#888" } else { "#335" },
            if is_focus { 2.5 } else { 1.2 },
            if lost { " stroke-dasharray=\"5 3\"" } else { "" },
            x + bw / 2.0,
            y + bh / 2.0 + 4.0,
            escape(&label)
        );
        match n.id.as_deref().and_then(link) {
            Some(href) => {
                let _ = writeln!(
                    s,
                    "<a href=\"{}\" class=\"node\" data-id=\"{}\"><title>{}</title>{shape}</a>",
                    escape(&href),
                    escape(n.id.as_deref().unwrap_or("")),
                    escape(&n.label)
                );
            }
            None => {
                let _ = writeln!(s, "<g class=\"node\"><title>{}</title>{shape}</g>", escape(&n.label));
            }
        }
    }
    s.push_str("</svg>\n");
    s
}

fn status_class(status: &str) -> &'static str {
    match status {
        "same" => "same",
        "edited" => "edited",
        "only_a" | "only_b" => "only",
        _ => "other",
    }
}

/// One side of the side-by-side view: sentences with their status, each
/// linking to its counterparts on the other side.
fn side(report: &CompareReport, a_side: bool) -> String {
    let (sentences, me, other) = if a_side { (&report.a_sentences, "a", "b") } else { (&report.b_sentences, "b", "a") };
    let mut s = String::new();
    for sent in sentences {
        let target = sent.counterparts.first().map(|c| format!(" href=\"#{other}{c}\"")).unwrap_or_default();
        let marked = mark_edits(&sent.span.text, sent.span.start, &sent.edits, &sent.numbers_changed);
        let _ = write!(
            s,
            "<a id=\"{me}{}\"{target} class=\"s {}\">{}</a> ",
            sent.index,
            status_class(&sent.status),
            marked
        );
    }
    s
}

/// A sentence with its differing words and changed numbers marked.
fn mark_edits(text: &str, base: usize, edits: &[stemma_core::EditOp], numbers: &[stemma_core::ChangeReport]) -> String {
    let mut marks: Vec<(usize, usize, &str)> = edits
        .iter()
        .filter_map(|e| e.a.as_ref().map(|a| (a.start.saturating_sub(base), a.end.saturating_sub(base), "diff")))
        .chain(numbers.iter().map(|c| (c.this.start.saturating_sub(base), c.this.end.saturating_sub(base), "num")))
        .filter(|(s, e, _)| s < e && *e <= text.len() && text.is_char_boundary(*s) && text.is_char_boundary(*e))
        .collect();
    marks.sort_unstable();
    let mut out = String::new();
    let mut at = 0;
    for (s, e, class) in marks {
        if s < at {
            continue;
        }
        out.push_str(&escape(&text[at..s]));
        let _ = write!(out, "<mark class=\"{class}\">{}</mark>", escape(&text[s..e]));
        at = e;
    }
    out.push_str(&escape(&text[at..]));
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222;max-width:110rem}\
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}table{border-collapse:collapse;width:100%;font-size:.92rem}\
td,th{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}\
.cols{display:grid;grid-template-columns:1fr 1fr;gap:1.5rem}.col{line-height:1.55;white-space:pre-wrap}\
.s{color:inherit;text-decoration:none;border-radius:3px;padding:0 1px}.s:target{outline:2px solid #f59e0b}\
.same{background:#e7f7e7}.edited{background:#fff4cc}.only{background:#fde2e2}\
mark.diff{background:#fbbf24}mark.num{background:#f87171;color:#fff}\
.unsupported{color:#b91c1c;font-weight:600}.altered{color:#b45309;font-weight:600}.corroborated{color:#15803d}.minor{color:#555}\
.tree{overflow-x:auto}@media(max-width:50rem){.cols{grid-template-columns:1fr}}";

/// The report as one self-contained HTML page: the tree, the claims of the
/// focus version, and the focus side by side with its closest version.
pub fn html(report: &TraceReport) -> String {
    let mut s = String::from("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
    let _ = write!(s, "<title>stemma trace: {}</title><style>{STYLE}</style></head><body>", escape(&report.focus));
    let _ = write!(s, "<h1>stemma trace: {}</h1>", escape(&report.focus));
    let _ = write!(s, "<p>{} version(s) in the family.</p>", report.versions.len());
    let _ =
        write!(s, "<h2>Copy tree</h2><div class=\"tree\">{}</div>", svg(&report.tree, Some(&report.focus), &|_| None));
    s.push_str(
        "<h2>Claims of this version</h2><table><tr><th>kind</th><th>claim</th><th>status</th><th>detail</th></tr>",
    );
    for c in report.claims.iter().filter(|c| c.version == report.focus) {
        let detail = match (&c.change, &c.other) {
            (Some(ch), Some(o)) => format!("{ch}: {} has «{}»", o.version, o.span.text),
            (Some(ch), None) => ch.clone(),
            (None, _) if !c.corroborated_by.is_empty() => format!("also in {}", c.corroborated_by.join(", ")),
            _ => String::new(),
        };
        let speaker = c.speaker.as_ref().map(|sp| format!(" — {}", sp.text)).unwrap_or_default();
        let _ = write!(
            s,
            "<tr><td>{}{}</td><td>{}{}</td><td class=\"{}\">{}</td><td>{}</td></tr>",
            escape(&c.kind),
            if c.in_headline { " (headline)" } else { "" },
            escape(&c.span.text),
            escape(&speaker),
            escape(&c.status),
            escape(&c.status),
            escape(&detail)
        );
    }
    s.push_str("</table>");
    if let Some(r) = report.reports.iter().max_by(|x, y| x.summary.a_shared.total_cmp(&y.summary.a_shared)) {
        let _ = write!(
            s,
            "<h2>Side by side: {} and {}</h2><p>Green: the same in both; yellow: edited (changed words marked); red: only here. Click a sentence to jump to its counterpart.</p><div class=\"cols\"><div class=\"col\">{}</div><div class=\"col\">{}</div></div>",
            escape(&r.a.id),
            escape(&r.b.id),
            side(r, true),
            side(r, false)
        );
    }
    s.push_str("</body></html>\n");
    s
}
