//! `stemma`: find every version of a text, align the versions passage by
//! passage, and explain what each version changed.
//!
//! A thin layer over the library crates: it parses arguments, reads files
//! (stemma-ingest), runs the engine (stemma-core) and renders the report.
//! Exit codes: 0 success, 1 "nothing shared" with `--fail-if-unrelated`,
//! 2 bad input or usage.

mod families_cmd;
mod index_cmd;
mod progress;
mod render;
mod serve_cmd;
mod trace_cmd;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use stemma_core::{compare, CompareOptions, CompareReport, Document};
use stemma_ingest::{read_document, ReadOptions};

// glibc malloc's arena locks cost a fifth of an ingest's time on 2 cores.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "stemma", version, about = "Find, align and explain the versions of a text", long_about = None)]
struct Cli {
    /// Worker threads (default: all cores). Output does not depend on it.
    #[arg(long, global = true, value_name = "N")]
    threads: Option<usize>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[derive(clap::Args)]
pub(crate) struct OutputArgs {
    /// Print the report as JSON (schemas in docs/json-schema.md).
    #[arg(long)]
    pub(crate) json: bool,
    /// When to use colours in the terminal view.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
}

#[derive(Subcommand)]
enum Command {
    /// Align two versions of a text and say what changed.
    Compare {
        /// Version A: a .txt, .md, .html, .json or one-record .jsonl file
        /// (with --index: the id of an indexed document, or a file).
        a: PathBuf,
        /// Version B.
        b: PathBuf,
        /// Read A and B from this index by id.
        #[arg(long, value_name = "DIR")]
        index: Option<PathBuf>,
        #[command(flatten)]
        output: OutputArgs,
        /// Exit with status 1 when the texts share no passage.
        #[arg(long)]
        fail_if_unrelated: bool,
        /// Largest input file accepted, in bytes.
        #[arg(long, value_name = "BYTES", default_value_t = ReadOptions::default().max_bytes)]
        max_size: u64,
        /// Shortest passage reported, in characters.
        #[arg(long, value_name = "CHARS")]
        min_passage: Option<usize>,
    },
    /// Run compare on the bundled example (two French renditions of one AFP
    /// dispatch, one of them doctored) and say what to look at.
    Demo {
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Add documents to an index (created when the directory does not exist):
    /// JSONL, CSV, folders of .txt/.md/.html/.json files, WARC; gzip and zstd
    /// detected by content. Re-adding an id replaces that document.
    Index(index_cmd::IndexArgs),
    /// Find the versions of a text in an index, with the aligned evidence.
    Query(index_cmd::QueryArgs),
    /// Corpus-wide reuse: candidate pairs by a self-join on fingerprints,
    /// aligned; passage clusters, story families and a per-source summary,
    /// written as JSONL, CSV or Parquet tables.
    Families(families_cmd::FamiliesArgs),
    /// The family of a version, its copy tree, and what each version
    /// changed: quotes and speakers, numbers, names, headline claims.
    Trace(trace_cmd::TraceArgs),
    /// The local web app and JSON API: paste or upload a text, see its
    /// versions, read two versions side by side (loopback only by default).
    Serve(serve_cmd::ServeArgs),
    /// Remove documents from an index by id.
    Remove {
        /// Ids to remove.
        #[arg(required = true)]
        ids: Vec<String>,
        /// The index directory.
        #[arg(long, value_name = "DIR")]
        index: PathBuf,
    },
    /// Figures about an index.
    Stats {
        /// The index directory.
        #[arg(long, value_name = "DIR")]
        index: PathBuf,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check every byte of an index against its checksums.
    Verify {
        /// The index directory.
        #[arg(long, value_name = "DIR")]
        index: PathBuf,
    },
}

/// The bundled example: the seed pair of the project.
const DEMO_A: (&str, &str) =
    ("examples/seeds/000_50f99b9dd81999b9.txt", include_str!("../../../examples/seeds/000_50f99b9dd81999b9.txt"));
const DEMO_B: (&str, &str) =
    ("examples/seeds/001_ec1fae0d22ab38a7.txt", include_str!("../../../examples/seeds/001_ec1fae0d22ab38a7.txt"));

pub(crate) fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

fn print_report(report: &CompareReport, output: &OutputArgs) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if output.json {
        serde_json::to_writer_pretty(&mut out, report).map_err(std::io::Error::other)?;
        writeln!(out)?;
    } else {
        render::render(report, &render::Style { color: use_color(output.color) }, &mut out)?;
    }
    out.flush()
}

/// Guidance printed after the demo: where the report's findings are,
/// computed from the report itself.
fn demo_guide(report: &CompareReport, color: bool) -> String {
    let bold = |s: &str| if color { format!("\x1b[1m{s}\x1b[0m") } else { s.to_string() };
    let mut g = String::new();
    g.push_str(&format!("\n{}\n", bold("What to look at")));
    g.push_str(&format!(
        "  A is a blog copy of a press article, B an independent rendition of the same agency dispatch.\n  They share {} passage(s); {:.0}% of A's words sit in sentences B also has.\n",
        report.summary.passages,
        report.summary.a_shared * 100.0
    ));
    // Headline lines of A: its first short sentences (a headline, a
    // subtitle, a standfirst), and which of them B has nothing for.
    let headline: Vec<&stemma_core::SentenceReport> =
        report.a_sentences.iter().take(4).take_while(|s| s.span.text.chars().count() <= 160).collect();
    let unsupported: Vec<&&stemma_core::SentenceReport> = headline
        .iter()
        .filter(|s| s.status == "only_a" || report.only_a.iter().any(|o| o.start < s.span.end && s.span.start < o.end))
        .collect();
    if !unsupported.is_empty() {
        g.push_str("  1. A's headline lines carry text that B does not have anywhere:\n");
        for s in unsupported {
            g.push_str(&format!("       «{}»\n", render::one_line(&s.span.text, 140)));
        }
    }
    let agree: Vec<String> =
        report.numbers.iter().filter(|n| n.status == "agree").filter_map(|n| n.a_value.clone()).collect();
    if !agree.is_empty() {
        g.push_str(&format!("  2. Figures both versions give at the same place agree: {}.\n", agree.join(", ")));
    }
    g.push_str(&format!(
        "  3. 'Only in A' ({} span(s)) and 'Only in B' ({} span(s)) list what one version says and the other does not;\n     the passages show the shared quotes, re-worded sentence by sentence.\n",
        report.only_a.len(),
        report.only_b.len()
    ));
    g.push_str("  Run `stemma demo --json` for the full machine-readable report, and\n");
    g.push_str(
        "  `stemma trace examples/seeds/*.txt` for their copy tree and each claim checked against the other version\n",
    );
    g.push_str("  (the Fabius quote: unsupported, in the headline).\n");
    g
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    if let Some(n) = cli.threads {
        rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global().map_err(|e| format!("--threads: {e}"))?;
    }
    match cli.command {
        Command::Compare { a, b, index, output, fail_if_unrelated, max_size, min_passage } => {
            let read_opts = ReadOptions { max_bytes: max_size };
            let reader = match &index {
                Some(dir) => Some(stemma_index::IndexReader::open(dir).map_err(|e| e.to_string())?),
                None => None,
            };
            let mut docs = Vec::with_capacity(2);
            for path in [&a, &b] {
                if let Some(r) = &reader {
                    let id = path.to_string_lossy();
                    if let Some(doc) = r.get(&id).map_err(|e| e.to_string())? {
                        docs.push(doc);
                        continue;
                    }
                    if !path.exists() {
                        return Err(format!(
                            "{id}: no document with this id in {}, and no such file",
                            r.dir().display()
                        ));
                    }
                }
                let loaded = read_document(path, &read_opts).map_err(|e| e.to_string())?;
                for w in &loaded.warnings {
                    eprintln!("stemma: warning: {w}");
                }
                docs.push(loaded.doc);
            }
            let mut opts = CompareOptions::default();
            if let Some(m) = min_passage {
                opts.align.min_passage_chars = m;
            }
            let report = compare(&docs[0], &docs[1], &opts);
            print_report(&report, &output).map_err(|e| format!("writing the report: {e}"))?;
            if fail_if_unrelated && !report.summary.related {
                return Ok(ExitCode::from(1));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Index(args) => index_cmd::index(args),
        Command::Query(args) => index_cmd::query(args),
        Command::Families(args) => families_cmd::families(args),
        Command::Serve(args) => serve_cmd::serve(args),
        Command::Trace(args) => trace_cmd::trace_cmd(args),
        Command::Remove { ids, index } => index_cmd::remove(&ids, &index),
        Command::Stats { index, json } => index_cmd::stats(&index, json),
        Command::Verify { index } => index_cmd::verify(&index),
        Command::Demo { output } => {
            let a = Document::new(DEMO_A.0, DEMO_A.1);
            let b = Document::new(DEMO_B.0, DEMO_B.1);
            let report = compare(&a, &b, &CompareOptions::default());
            print_report(&report, &output).map_err(|e| format!("writing the report: {e}"))?;
            if !output.json {
                print!("{}", demo_guide(&report, use_color(output.color)));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("stemma: {msg}");
            ExitCode::from(2)
        }
    }
}
