//! `stemma serve`: the local web app and JSON API.
//!
//! One axum router serves two faces of the same engine calls:
//!
//! - pages (`/`, `/search`, `/query`, `/doc`, `/compare`): HTML built on the
//!   server with one escaping function ([`html::esc`]), plus one small
//!   JavaScript file and one CSS file embedded in the binary
//!   (`/static/app.js`, `/static/app.css`);
//! - a JSON API under `/api/` returning the report types of the command
//!   line (`stemma.compare`, `stemma.query`), described by an OpenAPI 3
//!   document at `/api/openapi.json`.
//!
//! Every text shown is untrusted: it is escaped, and a strict
//! Content-Security-Policy forbids inline scripts and styles, so that even a
//! missed escape could not run a script. Request bodies are bounded
//! ([`ServeOptions::max_body`], 413 beyond), every request has a deadline
//! ([`ServeOptions::timeout`]), documents are looked up by id in the index
//! only (no request names a file), and the index is opened read-only unless
//! adding is allowed.

#![warn(missing_docs)]

pub mod api;
pub mod html;
pub mod multipart;
mod pages;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use stemma_index::{IndexOptions, IndexReader, IndexWriter};
use tokio::sync::Semaphore;

/// The Content-Security-Policy sent with every response: nothing inline,
/// nothing from elsewhere, no framing, forms only to this server.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// How the server runs.
#[derive(Debug, Clone, PartialEq)]
pub struct ServeOptions {
    /// The index to serve (none: only comparing pasted texts works).
    pub index: Option<PathBuf>,
    /// Whether `POST /api/documents` may add documents (opens the index
    /// for writing, holding its lock).
    pub allow_add: bool,
    /// Largest request body accepted, in bytes.
    pub max_body: usize,
    /// Deadline of one request, body reading included.
    pub timeout: Duration,
    /// Engine jobs (compare, query, search, add) run at once; more wait.
    pub max_jobs: usize,
    /// Deadline for a client to send a request's headers (slow or idle
    /// connections are closed after it).
    pub header_timeout: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            index: None,
            allow_add: false,
            max_body: 16 * 1024 * 1024,
            timeout: Duration::from_secs(30),
            max_jobs: std::thread::available_parallelism().map_or(2, |n| n.get()).max(2),
            header_timeout: Duration::from_secs(10),
        }
    }
}

/// An error answered to a request: a status and a one-line message.
/// The API sends it as `{"error": message}`, pages as an HTML page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppError {
    /// HTTP status (4xx for bad input, 5xx for the server's failures).
    pub status: StatusCode,
    /// One line saying what is wrong and, where possible, what to do.
    pub message: String,
}

impl AppError {
    /// A 400 Bad Request.
    pub fn bad(message: impl Into<String>) -> Self {
        AppError { status: StatusCode::BAD_REQUEST, message: message.into() }
    }
    /// A 404 Not Found.
    pub fn not_found(message: impl Into<String>) -> Self {
        AppError { status: StatusCode::NOT_FOUND, message: message.into() }
    }
    /// A 500 Internal Server Error.
    pub fn internal(message: impl Into<String>) -> Self {
        AppError { status: StatusCode::INTERNAL_SERVER_ERROR, message: message.into() }
    }
}

impl From<stemma_index::IndexError> for AppError {
    fn from(e: stemma_index::IndexError) -> Self {
        AppError::internal(e.to_string())
    }
}

/// The index as served: a snapshot readers share, and the writer when
/// adding is allowed.
struct IndexHandle {
    reader: RwLock<Arc<IndexReader>>,
    writer: Option<Mutex<IndexWriter>>,
}

/// State shared by every request.
pub struct App {
    opts: ServeOptions,
    index: Option<IndexHandle>,
    jobs: Semaphore,
}

impl App {
    /// Opens the index (read-only unless `allow_add`) and prepares the
    /// state. Errors are one line.
    pub fn open(opts: ServeOptions) -> Result<Arc<App>, String> {
        let index = match &opts.index {
            None if opts.allow_add => return Err("--allow-add needs --index DIR (the index to add to)".into()),
            None => None,
            Some(dir) if opts.allow_add => {
                let w = IndexWriter::open(dir, IndexOptions::default()).map_err(|e| e.to_string())?;
                let r = Arc::new(w.reader().clone());
                Some(IndexHandle { reader: RwLock::new(r), writer: Some(Mutex::new(w)) })
            }
            Some(dir) => {
                let r = IndexReader::open(dir).map_err(|e| e.to_string())?;
                Some(IndexHandle { reader: RwLock::new(Arc::new(r)), writer: None })
            }
        };
        let jobs = Semaphore::new(opts.max_jobs.max(1));
        Ok(Arc::new(App { opts, index, jobs }))
    }

    /// The options the app runs with.
    pub fn options(&self) -> &ServeOptions {
        &self.opts
    }

    /// The current index snapshot, or 404 when the server has no index.
    pub(crate) fn reader(&self) -> Result<Arc<IndexReader>, AppError> {
        let h = self
            .index
            .as_ref()
            .ok_or_else(|| AppError::not_found("this server has no index; start it with `stemma serve --index DIR`"))?;
        // A poisoned lock only means a writer panicked after swapping in a
        // complete snapshot; the snapshot itself is still consistent.
        Ok(h.reader.read().unwrap_or_else(|e| e.into_inner()).clone())
    }

    /// Whether an index is served.
    pub(crate) fn has_index(&self) -> bool {
        self.index.is_some()
    }

    /// 403 unless the server was started with `--allow-add`.
    pub(crate) fn add_allowed(&self) -> Result<&Mutex<IndexWriter>, AppError> {
        self.index.as_ref().and_then(|h| h.writer.as_ref()).ok_or_else(|| AppError {
            status: StatusCode::FORBIDDEN,
            message: "adding documents is disabled; start the server with `stemma serve --index DIR --allow-add`"
                .into(),
        })
    }

    /// Adds a document and commits, then serves the new snapshot.
    pub(crate) fn add(&self, doc: stemma_core::Document) -> Result<stemma_index::CommitInfo, AppError> {
        let w = self.add_allowed()?;
        // A poisoned lock means an earlier add panicked; the writer's
        // committed state on disk is still consistent (commits are atomic).
        let mut w = w.lock().unwrap_or_else(|e| e.into_inner());
        w.add(doc)?;
        let info = w.commit()?;
        let snapshot = Arc::new(w.reader().clone());
        if let Some(h) = &self.index {
            *h.reader.write().unwrap_or_else(|e| e.into_inner()) = snapshot;
        }
        Ok(info)
    }

    /// Runs an engine job off the async threads, at most `max_jobs` at once.
    pub(crate) async fn job<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&App) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let _permit = self.jobs.acquire().await.map_err(|_| AppError::internal("the server is shutting down"))?;
        let app = self.clone();
        tokio::task::spawn_blocking(move || f(&app))
            .await
            .map_err(|e| AppError::internal(format!("the job failed: {e}")))?
    }
}

/// Headers every response carries, whatever produced it.
async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-resource-policy", HeaderValue::from_static("same-origin"));
    res
}

/// Gives every request a deadline, reading its body included, so a slow
/// client or a huge comparison cannot hold a connection forever. (A job
/// already running on a blocking thread finishes in the background; the
/// job semaphore bounds how many can.)
async fn deadline(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let limit = app.opts.timeout;
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            let e = AppError {
                status: StatusCode::SERVICE_UNAVAILABLE,
                message: format!("the request took longer than {} s and was abandoned", limit.as_secs_f64()),
            };
            if api {
                api::ApiError(e).into_response()
            } else {
                pages::error_page(&e)
            }
        }
    }
}

/// The whole application: pages, static assets, the API, and the layers
/// (security headers, deadline, body limit) around them.
pub fn router(app: Arc<App>) -> Router {
    let max_body = app.opts.max_body;
    Router::new()
        .merge(pages::routes())
        .nest("/api", api::routes())
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn_with_state(app.clone(), deadline))
        .layer(middleware::from_fn(security_headers))
        .with_state(app)
}

/// Whether an address is on this machine only.
fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

/// Runs the server until Ctrl-C (or SIGTERM): binds `addr`, prints the URL,
/// then serves; in-flight requests finish before it returns.
pub fn run(opts: ServeOptions, addr: SocketAddr) -> Result<(), String> {
    let app = App::open(opts)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("starting the server runtime: {e}"))?;
    runtime.block_on(async move {
        let listener =
            tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let local = listener.local_addr().map_err(|e| format!("{addr}: {e}"))?;
        let index = match &app.opts.index {
            Some(dir) => format!(
                "index {} ({} documents{})",
                dir.display(),
                app.reader().map(|r| r.num_docs()).unwrap_or(0),
                if app.opts.allow_add { ", adding allowed" } else { ", read-only" }
            ),
            None => "no index: comparing pasted texts only".to_string(),
        };
        if !is_loopback(&local) {
            eprintln!(
                "stemma serve: warning: listening on {local}, reachable from other machines; \
                 the API has no authentication"
            );
        }
        println!("stemma serve: http://{local}/  ({index}; Ctrl-C to stop)");
        serve(listener, app, shutdown_signal()).await;
        println!("stemma serve: stopped");
        Ok(())
    })
}

/// Waits for whichever of two futures finishes first (tokio's select!
/// macro would pull in its proc-macro crate for this).
async fn first<A: Future, B: Future>(a: A, b: B) -> Result<A::Output, B::Output> {
    let mut a = std::pin::pin!(a);
    let mut b = std::pin::pin!(b);
    std::future::poll_fn(|cx| {
        if let std::task::Poll::Ready(x) = a.as_mut().poll(cx) {
            return std::task::Poll::Ready(Ok(x));
        }
        if let std::task::Poll::Ready(y) = b.as_mut().poll(cx) {
            return std::task::Poll::Ready(Err(y));
        }
        std::task::Poll::Pending
    })
    .await
}

/// Resolves once the stop flag is set (or its sender is gone).
async fn stopped(mut stop: tokio::sync::watch::Receiver<bool>) {
    // The guard `wait_for` returns is not Send: drop it at once.
    let _ = stop.wait_for(|&s| s).await.map(|_| ());
}

/// Serves the app on `listener` until `shutdown` resolves, then stops
/// accepting, lets the requests in flight finish (at most the request
/// deadline and a few seconds more) and returns.
///
/// Each connection is HTTP/1.1 with a deadline on reading the request
/// headers ([`ServeOptions::header_timeout`]), so idle or trickling clients
/// cannot hold connections; the body and the handler are bounded by the
/// request deadline ([`ServeOptions::timeout`]).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Arc<App>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    });
    let grace = app.opts.timeout + Duration::from_secs(5);
    let header_timeout = app.opts.header_timeout;
    let service = router(app);
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let stream = match first(listener.accept(), stopped(stop_rx.clone())).await {
            Ok(Ok((stream, _))) => stream,
            // Out of file descriptors and the like: wait a little, go on.
            Ok(Err(_)) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
            Err(_) => break,
        };
        // Reap finished connections so the set stays small.
        while connections.try_join_next().is_some() {}
        let svc = hyper_util::service::TowerToHyperService::new(service.clone());
        let stop = stop_rx.clone();
        connections.spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(header_timeout);
            let conn = builder.serve_connection(hyper_util::rt::TokioIo::new(stream), svc);
            let mut conn = std::pin::pin!(conn);
            // On shutdown, finish the request in flight, then close.
            if first(conn.as_mut(), stopped(stop)).await.is_err() {
                conn.as_mut().graceful_shutdown();
                let _ = conn.await;
            }
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(grace, async { while connections.join_next().await.is_some() {} }).await;
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        // If the handler cannot be installed, never resolve: the process
        // can still be killed.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    let _ = first(ctrl_c, term).await;
}
