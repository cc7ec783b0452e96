//! `stemma serve`: the local web app and JSON API (crate stemma-serve).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// Options of `stemma serve`.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// The index to serve (without one, only comparing two pasted texts works).
    #[arg(long, value_name = "DIR")]
    index: Option<PathBuf>,
    /// Address to listen on (loopback by default; port 0 picks a free one).
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Allow adding documents through POST /api/documents (opens the index
    /// for writing and holds its lock; otherwise it is opened read-only).
    #[arg(long)]
    allow_add: bool,
    /// Largest request body or upload accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = stemma_serve::ServeOptions::default().max_body)]
    max_body: usize,
    /// Seconds a request may take before it is abandoned.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    timeout: u64,
}

/// `stemma serve`.
pub fn serve(a: ServeArgs) -> Result<ExitCode, String> {
    let opts = stemma_serve::ServeOptions {
        index: a.index,
        allow_add: a.allow_add,
        max_body: a.max_body,
        timeout: std::time::Duration::from_secs(a.timeout.max(1)),
        ..stemma_serve::ServeOptions::default()
    };
    stemma_serve::run(opts, a.addr)?;
    Ok(ExitCode::SUCCESS)
}
