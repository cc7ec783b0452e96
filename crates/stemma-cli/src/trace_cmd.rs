//! `stemma trace`: the family of a version, its copy tree, and what each
//! version changed.

use crate::{use_color, OutputArgs};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use stemma_core::Document;
use stemma_index::IndexReader;
use stemma_ingest::{read_document, ReadOptions};
use stemma_trace::{trace, TraceOptions, TraceReport};

/// Options of `stemma trace`.
#[derive(clap::Args)]
pub struct TraceArgs {
    /// The version to trace: a file, or with --index an indexed id. Further
    /// files (or ids) are the other versions; with --index and one
    /// version, the family is found in the index.
    #[arg(required = true)]
    versions: Vec<String>,
    /// The index to find the family in (and to read ids from).
    #[arg(long, value_name = "DIR")]
    index: Option<PathBuf>,
    /// With --index: versions covering at least this share of the traced
    /// version (or of themselves) join the family.
    #[arg(long, value_name = "SHARE", default_value_t = 0.2)]
    min_coverage: f64,
    /// With --index: at most this many other versions.
    #[arg(long, value_name = "N", default_value_t = 20)]
    max_versions: usize,
    /// Also write the report as a self-contained HTML page.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Also write the tree in Graphviz DOT.
    #[arg(long, value_name = "FILE")]
    dot: Option<PathBuf>,
    /// Also write the tree in GraphML.
    #[arg(long, value_name = "FILE")]
    graphml: Option<PathBuf>,
    /// In the terminal view, also list the claims other versions
    /// corroborate (by default only the altered, unsupported and minor
    /// ones are listed, and the corroborated ones counted).
    #[arg(long)]
    all: bool,
    #[command(flatten)]
    output: OutputArgs,
}

fn load(spec: &str, reader: Option<&IndexReader>) -> Result<Document, String> {
    if let Some(r) = reader {
        if let Some(d) = r.get(spec).map_err(|e| e.to_string())? {
            return Ok(d);
        }
    }
    let path = std::path::Path::new(spec);
    if reader.is_some() && !path.exists() {
        return Err(format!("{spec}: no document with this id in the index, and no such file"));
    }
    let loaded = read_document(path, &ReadOptions::default()).map_err(|e| e.to_string())?;
    for w in &loaded.warnings {
        eprintln!("stemma: warning: {w}");
    }
    Ok(loaded.doc)
}

/// `stemma trace`.
pub fn trace_cmd(a: TraceArgs) -> Result<ExitCode, String> {
    let reader = match &a.index {
        Some(dir) => Some(IndexReader::open(dir).map_err(|e| e.to_string())?),
        None => None,
    };
    let mut docs: Vec<Document> = Vec::new();
    let mut given: Vec<&str> = Vec::new();
    for v in &a.versions {
        // A version named twice would corroborate itself.
        if given.contains(&v.as_str()) {
            eprintln!("stemma: warning: {v} is given more than once; it is read once");
            continue;
        }
        given.push(v);
        docs.push(load(v, reader.as_ref())?);
    }
    if docs.len() == 1 {
        match &reader {
            Some(r) => {
                let others =
                    stemma_query::family(r, &docs[0], a.min_coverage, a.max_versions).map_err(|e| e.to_string())?;
                docs.extend(others);
            }
            None => return Err("trace needs the other versions: give their files, or --index DIR to find them".into()),
        }
    }
    let report = trace(&docs, 0, &TraceOptions::default());
    let write = |path: &PathBuf, content: String| -> Result<(), String> {
        std::fs::write(path, content).map_err(|e| format!("{}: {e}", path.display()))
    };
    if let Some(p) = &a.html {
        write(p, stemma_trace::export::html(&report))?;
    }
    if let Some(p) = &a.dot {
        write(p, stemma_trace::export::dot(&report.tree))?;
    }
    if let Some(p) = &a.graphml {
        write(p, stemma_trace::export::graphml(&report.tree))?;
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let res = if a.output.json {
        serde_json::to_writer_pretty(&mut out, &report).map_err(std::io::Error::other).and_then(|_| writeln!(out))
    } else {
        render(&report, use_color(a.output.color), a.all, &mut out)
    };
    res.and_then(|_| out.flush()).map_err(|e| format!("writing the report: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

/// The terminal view: the family, the tree, the claims of the focus.
fn render(r: &TraceReport, color: bool, all: bool, out: &mut impl Write) -> std::io::Result<()> {
    let paint = |code: &str, s: &str| if color { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() };
    writeln!(out, "{}", paint("1", &format!("stemma trace {}", r.focus)))?;
    writeln!(out, "  {} version(s):", r.versions.len())?;
    for v in &r.versions {
        let meta: Vec<String> =
            [v.series.clone(), v.info.date.clone(), v.info.lang.clone()].into_iter().flatten().collect();
        writeln!(out, "   · {}  ({}; {} words)", v.info.id, meta.join(", "), v.info.words)?;
    }
    writeln!(out, "\n{}", paint("1", "Copy tree"))?;
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); r.tree.nodes.len()];
    for e in &r.tree.edges {
        if let Some(c) = children.get_mut(e.from) {
            c.push(e.to);
        }
    }
    fn walk(
        r: &TraceReport,
        children: &[Vec<usize>],
        node: usize,
        depth: usize,
        out: &mut impl Write,
        seen: &mut Vec<bool>,
    ) -> std::io::Result<()> {
        let n = &r.tree.nodes[node];
        let edge = r.tree.edges.iter().find(|e| e.to == node);
        let how = edge
            .map(|e| format!("  [{:.2}, {}: {}]", e.confidence, e.basis, e.evidence.join("; ")))
            .unwrap_or_default();
        let name = if n.kind == "lost" { format!("({})", n.label) } else { n.label.clone() };
        writeln!(out, "  {}{}{}", "    ".repeat(depth), name, how)?;
        if seen[node] {
            return Ok(());
        }
        seen[node] = true;
        for &c in &children[node] {
            walk(r, children, c, depth + 1, out, seen)?;
        }
        Ok(())
    }
    let mut seen = vec![false; r.tree.nodes.len()];
    for &root in &r.tree.roots {
        walk(r, &children, root, 0, out, &mut seen)?;
    }
    writeln!(out, "\n{}", paint("1", &format!("What {} says, against the other versions", r.focus)))?;
    let mine: Vec<&stemma_trace::ClaimReport> = r.claims.iter().filter(|c| c.version == r.focus).collect();
    if mine.is_empty() {
        writeln!(out, "  (no claims found)")?;
    }
    let corroborated: Vec<&&stemma_trace::ClaimReport> = mine.iter().filter(|c| c.status == "corroborated").collect();
    if !all && !corroborated.is_empty() {
        let mut kinds: Vec<(String, usize)> = Vec::new();
        for c in &corroborated {
            match kinds.iter_mut().find(|(k, _)| *k == c.kind) {
                Some((_, n)) => *n += 1,
                None => kinds.push((c.kind.clone(), 1)),
            }
        }
        let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}(s)")).collect();
        writeln!(
            out,
            "  {} claims corroborated by other versions: {} (--all lists them)",
            corroborated.len(),
            kinds.join(", ")
        )?;
    }
    for c in mine.into_iter().filter(|c| all || c.status != "corroborated") {
        let status = match c.status.as_str() {
            "unsupported" => paint("31;1", "UNSUPPORTED"),
            "altered" => paint("33;1", "ALTERED    "),
            "corroborated" => paint("32", "corroborated"),
            other => paint("2", other),
        };
        let speaker = c.speaker.as_ref().map(|s| format!(" — {}", s.text)).unwrap_or_default();
        let detail = match (&c.change, &c.other) {
            (Some(ch), Some(o)) => format!(" ({ch}; {}: «{}»)", o.version, crate::render::one_line(&o.span.text, 60)),
            (Some(ch), None) => format!(" ({ch})"),
            _ if !c.corroborated_by.is_empty() => format!(" (also in {})", c.corroborated_by.join(", ")),
            _ => String::new(),
        };
        writeln!(
            out,
            "  {status} {:<8} {}«{}»{speaker}{detail}",
            c.kind,
            if c.in_headline { "[headline] " } else { "" },
            crate::render::one_line(&c.span.text, 90)
        )?;
    }
    Ok(())
}
