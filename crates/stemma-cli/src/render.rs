//! The terminal view of a comparison report.
//!
//! Colours follow one code everywhere: green for what both versions share,
//! yellow for what was edited, red for what only A has, cyan for what only B
//! has. Without colour (piped output, `--color never`, `NO_COLOR`), the same
//! marks are written as brackets: `[-only in A-]`, `{+only in B+}`.

use std::io::{self, Write};
use stemma_core::{CompareReport, SentenceReport, Span};

/// How to paint text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Whether ANSI colours are used.
    pub color: bool,
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const RED: &str = "\x1b[31m";
const CYAN: &str = "\x1b[36m";

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("{code}{s}{RESET}")
        } else {
            s.to_string()
        }
    }
    fn del(&self, s: &str) -> String {
        if self.color {
            format!("{RED}{s}{RESET}")
        } else {
            format!("[-{s}-]")
        }
    }
    fn ins(&self, s: &str) -> String {
        if self.color {
            format!("{CYAN}{s}{RESET}")
        } else {
            format!("{{+{s}+}}")
        }
    }
}

/// Text on one line, cut to `max` characters with an ellipsis.
pub fn one_line(s: &str, max: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// A sentence with its differing words marked, for the edited-sentence view.
fn marked(sentence: &SentenceReport, style: &Style, this_is_a: bool) -> String {
    let text = &sentence.span.text;
    let base = sentence.span.start;
    let mut out = String::new();
    let mut at = 0usize;
    let mut marks: Vec<(usize, usize)> = sentence
        .edits
        .iter()
        .filter_map(|e| e.a.as_ref())
        .map(|s| (s.start - base, s.end - base))
        .filter(|(s, e)| *e <= text.len() && s <= e)
        .collect();
    marks.sort_unstable();
    for (s, e) in marks {
        if s < at || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        out.push_str(&text[at..s]);
        let piece = &text[s..e];
        out.push_str(&if this_is_a { style.del(piece) } else { style.ins(piece) });
        at = e;
    }
    out.push_str(&text[at..]);
    one_line(&out, 100_000)
}

fn version_line(out: &mut impl Write, style: &Style, tag: &str, v: &stemma_core::VersionInfo) -> io::Result<()> {
    let lang = v.lang.as_deref().unwrap_or("language unknown");
    writeln!(
        out,
        "  {} {}  ({}, {} bytes, {} words, {} sentences){}",
        style.paint(BOLD, tag),
        v.id,
        lang,
        v.bytes,
        v.words,
        v.sentences,
        v.title.as_ref().map(|t| format!("\n     title: {}", one_line(t, 90))).unwrap_or_default()
    )
}

fn spans_list(out: &mut impl Write, style: &Style, spans: &[Span], paint: &str, max: usize) -> io::Result<()> {
    for s in spans.iter().take(max) {
        writeln!(
            out,
            "  · {}  {}",
            style.paint(paint, &one_line(&s.text, 110)),
            style.paint(DIM, &format!("[{}..{}]", s.start, s.end))
        )?;
    }
    if spans.len() > max {
        writeln!(out, "  … and {} more (see --json)", spans.len() - max)?;
    }
    Ok(())
}

/// Writes the readable report.
pub fn render(report: &CompareReport, style: &Style, out: &mut impl Write) -> io::Result<()> {
    let s = &report.summary;
    writeln!(out, "{}", style.paint(BOLD, "stemma compare"))?;
    version_line(out, style, "A", &report.a)?;
    version_line(out, style, "B", &report.b)?;
    writeln!(out)?;
    if !s.related {
        writeln!(out, "  The two texts share no passage.")?;
        return Ok(());
    }
    writeln!(
        out,
        "  {} shared passage{} · {} of A and {} of B have a counterpart",
        s.passages,
        if s.passages == 1 { "" } else { "s" },
        pct(s.a_shared),
        pct(s.b_shared)
    )?;
    writeln!(
        out,
        "  sentences  A: {} same, {} edited, {} only in A    B: {} same, {} edited, {} only in B",
        s.a_sentences.same,
        s.a_sentences.edited,
        s.a_sentences.only,
        s.b_sentences.same,
        s.b_sentences.edited,
        s.b_sentences.only
    )?;

    writeln!(out, "\n{}", style.paint(BOLD, "Numbers"))?;
    if report.numbers.is_empty() {
        writeln!(out, "  (none)")?;
    }
    for n in &report.numbers {
        let (label, paint) = match n.status.as_str() {
            "agree" => ("agree    ", GREEN),
            "changed" => ("CHANGED  ", YELLOW),
            "elsewhere" => ("elsewhere", DIM),
            "only_a" => ("only A   ", RED),
            _ => ("only B   ", CYAN),
        };
        let shown = |spans: &[Span]| spans.iter().map(|x| x.text.clone()).collect::<Vec<_>>().join(", ");
        let detail = match n.status.as_str() {
            "changed" => format!("A {} → B {}", shown(&n.a), shown(&n.b)),
            "only_a" => format!("A {}", shown(&n.a)),
            "only_b" => format!("B {}", shown(&n.b)),
            _ => format!("A {} · B {}", shown(&n.a), shown(&n.b)),
        };
        writeln!(out, "  {} {}", style.paint(paint, label), one_line(&detail, 100))?;
    }

    for p in &report.passages {
        writeln!(
            out,
            "\n{}  similarity {:.2}, {} equal words  {}",
            style.paint(BOLD, &format!("Passage {}", p.index + 1)),
            p.similarity,
            p.equal_words,
            style.paint(DIM, &format!("A[{}..{}] B[{}..{}]", p.a.start, p.a.end, p.b.start, p.b.end))
        )?;
        writeln!(out, "  A: {}", style.paint(GREEN, &one_line(&p.a.text, 110)))?;
        writeln!(out, "  B: {}", style.paint(GREEN, &one_line(&p.b.text, 110)))?;
        for sa in report.a_sentences.iter().filter(|x| x.passage == Some(p.index) && x.status == "edited") {
            writeln!(out, "   {} {}", style.paint(YELLOW, "~A"), marked(sa, style, true))?;
            for &c in &sa.counterparts {
                if let Some(sb) = report.b_sentences.get(c) {
                    let shown = if sb.counterparts.contains(&sa.index) {
                        marked(sb, style, false)
                    } else {
                        one_line(&sb.span.text, 100_000)
                    };
                    writeln!(out, "   {} {}", style.paint(YELLOW, "~B"), shown)?;
                }
            }
            for ch in &sa.numbers_changed {
                writeln!(out, "     {} {} → {}", style.paint(YELLOW, "number changed:"), ch.this.text, ch.other.text)?;
            }
            for ch in &sa.names_changed {
                writeln!(out, "     {} {} → {}", style.paint(DIM, "name changed:"), ch.this.text, ch.other.text)?;
            }
        }
    }

    writeln!(out, "\n{}", style.paint(BOLD, "Only in A"))?;
    if report.only_a.is_empty() {
        writeln!(out, "  (nothing)")?;
    }
    spans_list(out, style, &report.only_a, RED, 20)?;
    writeln!(out, "\n{}", style.paint(BOLD, "Only in B"))?;
    if report.only_b.is_empty() {
        writeln!(out, "  (nothing)")?;
    }
    spans_list(out, style, &report.only_b, CYAN, 20)?;
    Ok(())
}

/// Writes the readable view of a query.
pub fn render_query(q: &stemma_query::QueryReport, style: &Style, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "{}", style.paint(BOLD, "stemma query"))?;
    writeln!(
        out,
        "  query {}  ({}, {} words)",
        q.query.id,
        q.query.lang.as_deref().unwrap_or("language unknown"),
        q.query.words
    )?;
    writeln!(
        out,
        "  {} documents searched · {} fingerprints ({} skipped as boilerplate, in more than {} documents) · {} candidates, {} aligned",
        q.index_documents, q.fingerprints, q.boilerplate_fingerprints, q.max_df, q.candidates, q.aligned
    )?;
    if q.results.is_empty() {
        writeln!(out, "\n  No version of this text in the index.")?;
        return Ok(());
    }
    for r in &q.results {
        let b = &r.report.b;
        let meta: Vec<String> =
            [r.series.clone(), b.date.clone()].into_iter().flatten().filter(|s| !s.is_empty()).collect();
        writeln!(
            out,
            "\n{} {}  {} of the query, {} of it · {} passage{}{}",
            style.paint(BOLD, &format!("{:>2}.", r.rank)),
            style.paint(BOLD, &r.id),
            pct(r.coverage),
            pct(r.candidate_coverage),
            r.report.summary.passages,
            if r.report.summary.passages == 1 { "" } else { "s" },
            if meta.is_empty() { String::new() } else { format!(" · {}", meta.join(" · ")) }
        )?;
        if let Some(t) = &b.title {
            writeln!(out, "    {}", one_line(t, 100))?;
        }
        for p in r.report.passages.iter().take(2) {
            writeln!(out, "    {} {}", style.paint(GREEN, "="), one_line(&p.b.text, 100))?;
        }
        let s = &r.report.summary;
        if s.numbers.changed > 0 || !r.report.only_a.is_empty() || !r.report.only_b.is_empty() {
            writeln!(
                out,
                "    {} numbers changed · {} span(s) only in the query · {} only in this version",
                s.numbers.changed,
                r.report.only_a.len(),
                r.report.only_b.len()
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_flattens_and_cuts() {
        assert_eq!(one_line("a\n b   c", 10), "a b c");
        assert_eq!(one_line("abcdefghijkl", 5), "abcd…");
    }
}
