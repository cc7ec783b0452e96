//! The JSON API (`/api/…`): the report types of the command line, as JSON.
//!
//! | route | answer |
//! |---|---|
//! | `GET /api/index` | index figures (as `stemma stats --json`) |
//! | `GET /api/search?q=&top=` | [`SearchResponse`] |
//! | `POST /api/query` | `stemma.query` report ([`QueryRequest`]) |
//! | `POST /api/compare` | `stemma.compare` report ([`CompareRequest`]) |
//! | `GET /api/documents/{id}` | the stored document |
//! | `GET /api/documents/{id}/versions?top=` | `stemma.query` report of an indexed document |
//! | `GET /api/trace/{id}` | `stemma.trace` report of an indexed document's family |
//! | `POST /api/documents` | adds a document ([`AddResponse`]; `--allow-add` only) |
//! | `GET /api/openapi.json` | the OpenAPI 3 description of all of this |
//!
//! Errors are `{"error": "one line"}` with a 4xx status for bad input.

use crate::{App, AppError};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use stemma_core::{compare, CompareOptions, CompareReport, Document};
use stemma_index::IndexStats;
use stemma_ingest::{parse_document, Format};
use stemma_query::search::SearchHit;
use stemma_query::{QueryOptions, QueryReport};
use stemma_trace::{TraceOptions, TraceReport};

/// The OpenAPI 3 document served at `/api/openapi.json`.
pub const OPENAPI: &str = include_str!("openapi.json");

/// Fingerprints a candidate must share with the query by default: the
/// library's default, so that the app and `stemma query` find the same
/// versions. Re-worded renditions of one dispatch that share a single
/// fingerprint (the two seed texts) are still found: a candidate holding a
/// rare fingerprint is compared anyway (`QueryOptions::rare_singles`).
pub const DEFAULT_MIN_SHARED: u32 = 2;

/// Most results a query or a search returns.
pub const MAX_TOP: usize = 100;

/// An [`AppError`] answered as JSON.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

/// The body of every error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// What is wrong, in one line.
    pub error: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0.status, Json(ErrorBody { error: self.0.message })).into_response()
    }
}

type ApiResult<T> = Result<Json<T>, ApiError>;

/// One version given to the API: a text (with its format) or the id of an
/// indexed document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocInput {
    /// The id of an indexed document (instead of `text`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The content: plain text, an HTML page or a JSON record, per `format`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// `text` (default), `html` or `json` (a passim record: `id`, `text`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// A label for the text (its file name, say); becomes the version's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// `POST /api/compare`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareRequest {
    /// Version A.
    pub a: DocInput,
    /// Version B.
    pub b: DocInput,
    /// Shortest passage reported, in characters (default 60).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_passage: Option<usize>,
}

/// `POST /api/query`: a text (or an indexed document's id) to find the
/// versions of.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryRequest {
    /// The id of an indexed document (not returned among its versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The text, per `format`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// `text` (default), `html` or `json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// A label for the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Results returned (default 10, at most 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top: Option<usize>,
    /// Boilerplate bound (see `stemma query --max-df`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_df: Option<u64>,
    /// Fingerprints a candidate must share (default [`DEFAULT_MIN_SHARED`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_shared: Option<u32>,
}

/// `GET /api/search`: documents holding the query's words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResponse {
    /// Always `stemma.search`.
    pub schema: String,
    /// 1.
    pub schema_version: u32,
    /// The query as given.
    pub query: String,
    /// Live documents in the index.
    pub index_documents: u64,
    /// Documents found, best first.
    pub hits: Vec<SearchHit>,
}

/// `POST /api/documents`: what the commit did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddResponse {
    /// Id of the document added.
    pub id: String,
    /// Whether it replaced a document with the same id.
    pub replaced: bool,
    /// The index generation now served.
    pub generation: u64,
    /// Live documents after the commit.
    pub documents: u64,
}

/// Query parameters of `/api/search` and `/search`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SearchParams {
    /// The words to look for.
    #[serde(default)]
    pub q: String,
    /// Results returned.
    pub top: Option<usize>,
}

/// Query parameters of `/api/documents/{id}/versions`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TopParam {
    /// Results returned.
    pub top: Option<usize>,
}

/// The format named by a request (`text` when none).
pub(crate) fn format_of(name: Option<&str>) -> Result<Format, AppError> {
    match name.map(|s| s.trim().to_ascii_lowercase()).as_deref() {
        None | Some("" | "text" | "txt" | "md" | "plain") => Ok(Format::Text),
        Some("html" | "htm") => Ok(Format::Html),
        Some("json" | "jsonl") => Ok(Format::Json),
        Some(other) => Err(AppError::bad(format!("unknown format {other:?}: use text, html or json"))),
    }
}

/// The format of an uploaded file, from its name's extension only (the
/// name is a label; nothing is opened).
pub(crate) fn format_of_filename(name: &str) -> Format {
    match name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).as_deref() {
        Some("json" | "jsonl" | "ndjson") => Format::Json,
        Some("html" | "htm" | "xhtml") => Format::Html,
        _ => Format::Text,
    }
}

/// A document from request bytes, with ingest's checks (binary, empty…).
pub(crate) fn parse_input(label: &str, bytes: &[u8], format: Format) -> Result<Document, AppError> {
    parse_document(label, label, bytes, format).map(|l| l.doc).map_err(|e| AppError::bad(e.to_string()))
}

/// An indexed document by id; 404 when absent.
pub(crate) fn get_doc(app: &App, id: &str) -> Result<Document, AppError> {
    let r = app.reader()?;
    r.get(id)?.ok_or_else(|| AppError::not_found(format!("{id}: no document with this id in the index")))
}

impl App {
    /// The document a [`DocInput`] names.
    pub(crate) fn resolve(&self, input: &DocInput, default_name: &str) -> Result<Document, AppError> {
        match (&input.id, &input.text) {
            (Some(_), Some(_)) => Err(AppError::bad(format!("{default_name}: give either text or id, not both"))),
            (Some(id), None) => get_doc(self, id),
            (None, Some(text)) => {
                let name = input.name.as_deref().filter(|n| !n.trim().is_empty()).unwrap_or(default_name);
                parse_input(name, text.as_bytes(), format_of(input.format.as_deref())?)
            }
            (None, None) => Err(AppError::bad(format!("{default_name}: missing: give text or id"))),
        }
    }

    /// Compares two documents (the engine's `compare`).
    pub(crate) fn compare_docs(&self, a: &Document, b: &Document, min_passage: Option<usize>) -> CompareReport {
        let mut opts = CompareOptions::default();
        if let Some(m) = min_passage {
            opts.align.min_passage_chars = m;
        }
        compare(a, b, &opts)
    }

    /// Finds the versions of `doc` in the index (the engine's `query`).
    pub(crate) fn query_doc(
        &self,
        doc: &Document,
        top: Option<usize>,
        max_df: Option<u64>,
        min_shared: Option<u32>,
        exclude: Option<String>,
    ) -> Result<QueryReport, AppError> {
        let r = self.reader()?;
        let opts = QueryOptions {
            top: top.unwrap_or(10).clamp(1, MAX_TOP),
            max_df,
            exclude,
            min_shared: min_shared.unwrap_or(DEFAULT_MIN_SHARED).max(1),
            ..QueryOptions::default()
        };
        Ok(stemma_query::query(&r, doc, &opts)?)
    }

    /// Keyword search of the index.
    pub(crate) fn search(&self, q: &str, top: Option<usize>) -> Result<SearchResponse, AppError> {
        let r = self.reader()?;
        if q.chars().count() > 1000 {
            return Err(AppError::bad("the search is longer than 1,000 characters; use POST /api/query for texts"));
        }
        let hits = stemma_query::search::search(&r, q, top.unwrap_or(20).clamp(1, MAX_TOP))?;
        Ok(SearchResponse {
            schema: "stemma.search".into(),
            schema_version: 1,
            query: q.to_string(),
            index_documents: r.num_docs(),
            hits,
        })
    }
}

/// The request body, or the right 4xx (413 beyond the body limit).
pub(crate) fn body_or_error(body: Result<Bytes, BytesRejection>, app: &App) -> Result<Bytes, AppError> {
    body.map_err(|e| {
        let status = e.status();
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            format!(
                "the request body is larger than the limit of {} MB",
                app.options().max_body as f64 / (1024.0 * 1024.0)
            )
        } else {
            format!("could not read the request body: {}", e.body_text())
        };
        AppError { status, message }
    })
}

fn json_body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    serde_json::from_slice(bytes).map_err(|e| AppError::bad(format!("invalid JSON request: {e}")))
}

fn query_params<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, AppError> {
    q.map(|Query(t)| t).map_err(|e| AppError::bad(format!("bad query string: {}", e.body_text())))
}

async fn index_stats(State(app): State<Arc<App>>) -> ApiResult<IndexStats> {
    let r = app.reader()?;
    Ok(Json(r.stats()))
}

async fn api_search(
    State(app): State<Arc<App>>,
    q: Result<Query<SearchParams>, QueryRejection>,
) -> ApiResult<SearchResponse> {
    let p = query_params(q)?;
    Ok(Json(app.job(move |app| app.search(&p.q, p.top)).await?))
}

async fn api_query(State(app): State<Arc<App>>, body: Result<Bytes, BytesRejection>) -> ApiResult<QueryReport> {
    let bytes = body_or_error(body, &app)?;
    let req: QueryRequest = json_body(&bytes)?;
    let report = app
        .job(move |app| {
            app.reader()?;
            let input = DocInput {
                id: req.id.clone(),
                text: req.text,
                format: req.format,
                name: req.name.or(Some("query".into())),
            };
            let doc = app.resolve(&input, "query")?;
            app.query_doc(&doc, req.top, req.max_df, req.min_shared, req.id)
        })
        .await?;
    Ok(Json(report))
}

async fn api_compare(State(app): State<Arc<App>>, body: Result<Bytes, BytesRejection>) -> ApiResult<CompareReport> {
    let bytes = body_or_error(body, &app)?;
    let req: CompareRequest = json_body(&bytes)?;
    let report = app
        .job(move |app| {
            let a = app.resolve(&req.a, "A")?;
            let b = app.resolve(&req.b, "B")?;
            Ok(app.compare_docs(&a, &b, req.min_passage))
        })
        .await?;
    Ok(Json(report))
}

async fn api_document(State(app): State<Arc<App>>, Path(id): Path<String>) -> ApiResult<Document> {
    Ok(Json(app.job(move |app| get_doc(app, &id)).await?))
}

/// Least share of the traced document (or of the version) that a version
/// found in the index must cover to join its family (as `stemma trace`).
const TRACE_MIN_COVERAGE: f64 = 0.2;

/// Most versions a trace compares (every pair is aligned).
const TRACE_MAX_VERSIONS: usize = 12;

/// `GET /api/trace/{id}`: the family of an indexed document, its copy tree
/// and the claims of every version (`stemma.trace`).
async fn api_trace(State(app): State<Arc<App>>, Path(id): Path<String>) -> ApiResult<TraceReport> {
    let report = app
        .job(move |app| {
            let doc = get_doc(app, &id)?;
            let r = app.reader()?;
            let mut docs = vec![doc];
            docs.extend(stemma_query::family(&r, &docs[0], TRACE_MIN_COVERAGE, TRACE_MAX_VERSIONS)?);
            Ok(stemma_trace::trace(&docs, 0, &TraceOptions::default()))
        })
        .await?;
    Ok(Json(report))
}

async fn api_versions(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    q: Result<Query<TopParam>, QueryRejection>,
) -> ApiResult<QueryReport> {
    let p = query_params(q)?;
    let report = app
        .job(move |app| {
            let doc = get_doc(app, &id)?;
            app.query_doc(&doc, p.top, None, None, Some(id))
        })
        .await?;
    Ok(Json(report))
}

async fn api_add(
    State(app): State<Arc<App>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<AddResponse>), ApiError> {
    let bytes = body_or_error(body, &app)?;
    // Refuse before parsing, so a read-only server says why at once.
    app.add_allowed()?;
    // No fallback id: a document added without one could not be found again.
    let doc = parse_document("request body", "", &bytes, Format::Json)
        .map(|l| l.doc)
        .map_err(|e| AppError::bad(e.to_string()))?;
    if doc.id.trim().is_empty() {
        return Err(AppError::bad("the document needs a non-empty \"id\"").into());
    }
    let id = doc.id.clone();
    let info = app.job(move |app| app.add(doc)).await?;
    let status = if info.replaced > 0 { StatusCode::OK } else { StatusCode::CREATED };
    Ok((
        status,
        Json(AddResponse { id, replaced: info.replaced > 0, generation: info.generation, documents: info.documents }),
    ))
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn api_not_found() -> ApiError {
    ApiError(AppError::not_found("no such API route; see /api/openapi.json"))
}

async fn api_method_not_allowed() -> ApiError {
    ApiError(AppError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        message: "this route does not take this method; see /api/openapi.json".into(),
    })
}

/// The API routes (mounted under `/api`).
pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/index", get(index_stats))
        .route("/search", get(api_search))
        .route("/query", post(api_query))
        .route("/compare", post(api_compare))
        .route("/documents", post(api_add))
        .route("/documents/{id}", get(api_document))
        .route("/documents/{id}/versions", get(api_versions))
        .route("/trace/{id}", get(api_trace))
        .route("/openapi.json", get(openapi))
        .fallback(api_not_found)
        .method_not_allowed_fallback(api_method_not_allowed)
}
