//! The pages: home, search, query results, document, side by side.
//!
//! Pages call the same `App` methods as the API and render the same report
//! types. Forms post `multipart/form-data` (one parser for pasted texts and
//! uploaded files); a text found by a query travels to the side-by-side
//! page as a hidden field holding the document as JSON, so the server keeps
//! no state between requests.

use crate::api::{body_or_error, format_of, format_of_filename, get_doc, parse_input, SearchParams};
use crate::html::{self, esc, pct, truncate, url_enc, Side};
use crate::multipart::{self, Part};
use crate::{App, AppError};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use std::fmt::Write;
use std::sync::Arc;
use stemma_core::{version_info, CompareReport, Document};
use stemma_query::{QueryReport, QueryResult};

const APP_JS: &str = include_str!("../assets/app.js");
const APP_CSS: &str = include_str!("../assets/app.css");

/// One-sided spans listed per version found on a results page.
const FLAGS_PER_RESULT: usize = 3;

/// An [`AppError`] answered as an HTML page.
pub(crate) struct PageError(AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        error_page(&self.0)
    }
}

type PageResult = Result<Html<String>, PageError>;

/// An error as an HTML page with its status.
pub(crate) fn error_page(e: &AppError) -> Response {
    let body = format!(
        "<h1>{}</h1><p class=\"error\" role=\"alert\">{}</p><p><a href=\"/\">Back to the home page</a></p>",
        esc(e.status.canonical_reason().unwrap_or("Error")),
        esc(&e.message)
    );
    (e.status, Html(html::page("Error", &body))).into_response()
}

fn fail(e: AppError) -> PageError {
    PageError(e)
}

/// The page fallback: 404.
pub(crate) async fn not_found() -> Response {
    error_page(&AppError::not_found("no such page"))
}

async fn app_js() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], APP_JS)
        .into_response()
}

async fn app_css() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], APP_CSS).into_response()
}

fn params<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, PageError> {
    q.map(|Query(t)| t).map_err(|e| fail(AppError::bad(format!("bad query string: {}", e.body_text()))))
}

fn doc_link(id: &str) -> String {
    format!("<a href=\"/doc?id={}\">{}</a>", url_enc(id), esc(id))
}

async fn home(State(app): State<Arc<App>>) -> Html<String> {
    let index = match app.reader() {
        Ok(r) => format!("<p class=\"muted\">Index: {} documents.</p>", r.num_docs()),
        Err(_) => "<p class=\"muted\">No index is served (start with <code>stemma serve --index DIR</code>): \
                   only comparing two texts works.</p>"
            .to_string(),
    };
    let disabled = if app.has_index() { "" } else { " disabled" };
    let body = format!(
        r#"<h1>Where does this text come from, and what did it change?</h1>
{index}
<div class="cards">
<section class="card wide"><h2>Find the versions of a text</h2>
<form method="post" action="/query" enctype="multipart/form-data" class="stack busy-form">
<label for="text">Paste a text</label>
<textarea id="text" name="text" rows="9" placeholder="Paste an article, a dispatch, a post…"></textarea>
<label for="file">or upload a file (.txt, .html, .json)</label>
<input id="file" name="file" type="file" accept=".txt,.md,.html,.htm,.json,.jsonl,text/plain,text/html,application/json">
<button type="submit"{disabled}>Find versions</button>
</form></section>
<section class="card"><h2>Open an indexed document</h2>
<form method="get" action="/doc" class="stack"><label for="id">Document id</label>
<input id="id" name="id" required placeholder="afp-2019-0042"><button type="submit"{disabled}>Open</button></form></section>
<section class="card"><h2>Search the index</h2>
<form method="get" action="/search" class="stack"><label for="q">Words</label>
<input id="q" name="q" type="search" required placeholder="Fabius combattants"><button type="submit"{disabled}>Search</button></form></section>
<section class="card wide"><h2>Compare two texts</h2>
<form method="post" action="/compare" enctype="multipart/form-data" class="two busy-form">
<div class="stack"><label for="a_text">Version A</label><textarea id="a_text" name="a_text" rows="6"></textarea>
<input name="a_file" type="file" aria-label="Version A as a file"></div>
<div class="stack"><label for="b_text">Version B</label><textarea id="b_text" name="b_text" rows="6"></textarea>
<input name="b_file" type="file" aria-label="Version B as a file"></div>
<button type="submit">Compare side by side</button>
</form></section>
</div>"#
    );
    Html(html::page("Find the versions of a text", &body))
}

async fn search_page(State(app): State<Arc<App>>, q: Result<Query<SearchParams>, QueryRejection>) -> PageResult {
    let p = params(q)?;
    let query = p.q.clone();
    let res = app.job(move |app| app.search(&p.q, p.top)).await.map_err(fail)?;
    let mut body = format!(
        "<h1>Search</h1><form method=\"get\" action=\"/search\" class=\"inline\"><input type=\"search\" name=\"q\" \
         value=\"{}\" aria-label=\"Words\"><button type=\"submit\">Search</button></form>\
         <p class=\"muted\">{} document(s) hold these words, among {} (best {} shown).</p><ol class=\"hits\">",
        esc(&query),
        res.hits.len(),
        res.index_documents,
        res.hits.len()
    );
    for h in &res.hits {
        let meta: Vec<String> = [h.series.as_deref(), h.date.as_deref()].into_iter().flatten().map(esc).collect();
        let _ = write!(
            body,
            "<li class=\"hit\"><div class=\"hit-head\">{}{}<span class=\"muted\"> · {} · {} word(s) matched</span></div>\
             <p class=\"snippet\">{}</p></li>",
            doc_link(&h.id),
            h.title.as_deref().map(|t| format!(" — {}", esc(t))).unwrap_or_default(),
            meta.join(" · "),
            h.matched,
            esc(&h.snippet)
        );
    }
    body.push_str("</ol>");
    Ok(Html(html::page(&format!("Search: {query}"), &body)))
}

/// The parts of a form body; 400 when it is not a form.
fn form_parts(app: &App, headers: &HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Vec<Part>, AppError> {
    let bytes = body_or_error(body, app)?;
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    multipart::parse(ct, &bytes).map_err(AppError::bad)
}

fn field<'a>(parts: &'a [Part], name: &str) -> Option<&'a Part> {
    parts.iter().find(|p| p.name == name)
}

fn text_field(parts: &[Part], name: &str) -> Option<String> {
    field(parts, name).map(|p| String::from_utf8_lossy(&p.data).into_owned()).filter(|s| !s.trim().is_empty())
}

/// The version a form gives under `prefix` (`""`, `"a_"`, `"b_"`): an
/// uploaded file, a document carried as JSON, a pasted text, or an id.
fn form_doc(app: &App, parts: &[Part], prefix: &str, label: &str) -> Result<Document, AppError> {
    if let Some(f) = field(parts, &format!("{prefix}file")).filter(|f| !f.data.is_empty()) {
        let name = f.filename.as_deref().filter(|n| !n.is_empty()).unwrap_or(label);
        return parse_input(name, &f.data, format_of_filename(name));
    }
    if let Some(json) = text_field(parts, &format!("{prefix}doc")) {
        let doc: Document =
            serde_json::from_str(&json).map_err(|e| AppError::bad(format!("{label}: bad document field: {e}")))?;
        if doc.text.trim().is_empty() {
            return Err(AppError::bad(format!("{label}: the document has no text")));
        }
        return Ok(doc);
    }
    if let Some(text) = text_field(parts, &format!("{prefix}text")) {
        let format = format_of(text_field(parts, &format!("{prefix}format")).as_deref())?;
        return parse_input(label, text.as_bytes(), format);
    }
    if let Some(id) = text_field(parts, &format!("{prefix}id")) {
        return get_doc(app, id.trim());
    }
    Err(AppError::bad(format!("{label} is missing: paste a text, upload a file or give an indexed document's id")))
}

/// Summary figures of one comparison, as a line.
fn result_figures(r: &CompareReport, what: &str) -> String {
    let s = &r.summary;
    format!(
        "{} passage(s) · sentences of the {what}: {} same, {} edited, {} only there · figures: {} agree, {} changed",
        s.passages, s.a_sentences.same, s.a_sentences.edited, s.a_sentences.only, s.numbers.agree, s.numbers.changed
    )
}

/// A ranked list of versions found; `action` gives each one's link or button.
fn results_list(report: &QueryReport, what: &str, action: impl Fn(&QueryResult) -> String) -> String {
    let mut out = format!(
        "<p class=\"muted\">{} version(s) found among {} indexed documents ({} candidate(s) compared).</p>",
        report.results.len(),
        report.index_documents,
        report.aligned
    );
    if report.results.is_empty() {
        out.push_str("<p class=\"empty\">No version of this text is in the index.</p>");
        return out;
    }
    out.push_str("<ol class=\"results\">");
    for res in &report.results {
        let b = &res.report.b;
        let mut meta: Vec<String> = Vec::new();
        if let Some(s) = &res.series {
            meta.push(esc(s));
        }
        if let Some(d) = &b.date {
            meta.push(esc(d));
        }
        let _ = write!(
            out,
            "<li class=\"result\" data-id=\"{id}\"><div class=\"result-head\"><span class=\"rank\">{rank}</span>\
             <div class=\"who\">{link}{title}<div class=\"muted\">{meta}</div></div>{action}</div>\
             <div class=\"cov\"><label>{what} covered <meter min=\"0\" max=\"1\" value=\"{c:.3}\"></meter> \
             <b>{cp}</b></label><label>this version covered <meter min=\"0\" max=\"1\" value=\"{cc:.3}\"></meter> \
             <b>{ccp}</b></label></div><p class=\"muted\">{fig}</p>",
            id = esc(&res.id),
            rank = res.rank,
            link = doc_link(&res.id),
            title = b.title.as_deref().map(|t| format!(" — {}", esc(t))).unwrap_or_default(),
            meta = meta.join(" · "),
            action = action(res),
            c = res.coverage,
            cp = pct(res.coverage),
            cc = res.candidate_coverage,
            ccp = pct(res.candidate_coverage),
            fig = esc(&result_figures(&res.report, what)),
        );
        if !res.report.only_a.is_empty() {
            let _ = write!(out, "<div class=\"flags\"><span class=\"flag-label\">Only in the {what}:</span><ul>");
            for s in res.report.only_a.iter().take(FLAGS_PER_RESULT) {
                let _ = write!(out, "<li class=\"flag\">{}</li>", esc(&truncate(&s.text, 200)));
            }
            if res.report.only_a.len() > FLAGS_PER_RESULT {
                let _ = write!(out, "<li class=\"more\">… {} more</li>", res.report.only_a.len() - FLAGS_PER_RESULT);
            }
            out.push_str("</ul></div>");
        }
        out.push_str("</li>");
    }
    out.push_str("</ol>");
    out
}

async fn query_page(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> PageResult {
    let parts = form_parts(&app, &headers, body).map_err(fail)?;
    let (doc, report) = app
        .job(move |app| {
            app.reader()?;
            let doc = form_doc(app, &parts, "", "pasted text")?;
            let report = app.query_doc(&doc, None, None, None, None)?;
            Ok((doc, report))
        })
        .await
        .map_err(fail)?;
    let q = &report.query;
    // The query travels to the side-by-side page inside the form.
    let carried = serde_json::to_string(&doc).map_err(|e| fail(AppError::internal(e.to_string())))?;
    let mut body = format!(
        "<h1>Versions of {}</h1><p class=\"muted\">{} words, {} sentences{}{}.</p>\
         <form method=\"post\" action=\"/compare\" enctype=\"multipart/form-data\" class=\"busy-form\">\
         <input type=\"hidden\" name=\"a_doc\" value=\"{}\">",
        esc(q.title.as_deref().unwrap_or(&q.id)),
        q.words,
        q.sentences,
        q.lang.as_deref().map(|l| format!(", language {}", esc(l))).unwrap_or_default(),
        if report.boilerplate_fingerprints > 0 {
            format!(", {} boilerplate fingerprint(s) skipped", report.boilerplate_fingerprints)
        } else {
            String::new()
        },
        esc(&carried)
    );
    body.push_str(&results_list(&report, "query", |r| {
        format!("<button type=\"submit\" class=\"sbs\" name=\"b_id\" value=\"{}\">Side by side</button>", esc(&r.id))
    }));
    body.push_str("</form>");
    Ok(Html(html::page("Versions found", &body)))
}

/// `/doc?id=`.
#[derive(Debug, Deserialize)]
struct DocParam {
    #[serde(default)]
    id: String,
}

async fn doc_page(State(app): State<Arc<App>>, q: Result<Query<DocParam>, QueryRejection>) -> PageResult {
    let id = params(q)?.id.trim().to_string();
    if id.is_empty() {
        return Err(fail(AppError::bad("give a document id")));
    }
    let (doc, report) = app
        .job(move |app| {
            let doc = get_doc(app, &id)?;
            let report = app.query_doc(&doc, None, None, None, Some(id))?;
            Ok((doc, report))
        })
        .await
        .map_err(fail)?;
    let info = version_info(&doc);
    let mut rows: Vec<(String, String)> = vec![("id".into(), esc(&doc.id))];
    for (k, v) in [("title", &doc.title), ("series", &doc.series), ("date", &doc.date), ("language", &info.lang)] {
        if let Some(v) = v {
            rows.push((k.into(), esc(v)));
        }
    }
    if let Some(u) = &doc.url {
        let shown = match html::safe_href(u) {
            Some(href) => format!("<a href=\"{href}\" rel=\"noopener noreferrer nofollow\">{}</a>", esc(u)),
            None => esc(u),
        };
        rows.push(("url".into(), shown));
    }
    rows.push(("size".into(), format!("{} words, {} sentences, {} bytes", info.words, info.sentences, info.bytes)));
    for (k, v) in &doc.extra {
        let v = match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        rows.push((esc(k), esc(&truncate(&v, 300))));
    }
    let mut body = format!(
        "<h1>{}</h1><table class=\"meta\">",
        esc(doc.title.as_deref().filter(|t| !t.trim().is_empty()).unwrap_or(&doc.id))
    );
    for (k, v) in rows {
        let _ = write!(body, "<tr><th>{k}</th><td>{v}</td></tr>");
    }
    body.push_str("</table><section class=\"versions\"><h2>Its versions in the index</h2>");
    let this = doc.id.clone();
    body.push_str(&results_list(&report, "document", |r| {
        format!(
            "<a class=\"sbs button\" href=\"/compare?a={}&amp;b={}\">Side by side</a>",
            url_enc(&this),
            url_enc(&r.id)
        )
    }));
    // Filled by app.js from /api/trace/{id}: tracing aligns every pair of
    // the family, so the page does not wait for it.
    let _ = write!(
        body,
        "</section><section class=\"trace\" id=\"trace\" data-trace=\"/api/trace/{}\" data-id=\"{}\">\
         <h2>Family, copy tree and claims</h2><p class=\"muted trace-status\">Loading…</p></section>\
         <details class=\"doc-text\"><summary>Text</summary><div class=\"text plain\">{}</div></details>",
        url_enc(&doc.id),
        esc(&doc.id),
        esc(&doc.text)
    );
    Ok(Html(html::page(doc.title.as_deref().unwrap_or(&doc.id), &body)))
}

/// Header of one column of the side-by-side view.
fn version_head(doc: &Document, side: &str, indexed: bool) -> String {
    let name = if indexed { doc_link(&doc.id) } else { esc(&doc.id) };
    let mut meta: Vec<String> = Vec::new();
    for v in [&doc.series, &doc.date].into_iter().flatten() {
        meta.push(esc(v));
    }
    format!(
        "<h2><span class=\"side-tag\">{side}</span> {name}</h2>{}<div class=\"muted\">{}</div>",
        doc.title.as_deref().map(|t| format!("<div class=\"vtitle\">{}</div>", esc(t))).unwrap_or_default(),
        meta.join(" · ")
    )
}

/// The side-by-side page of two versions and their report.
fn compare_body(a: &Document, b: &Document, r: &CompareReport, indexed: (bool, bool)) -> String {
    let s = &r.summary;
    let mut body = String::from("<h1>Side by side</h1>");
    let _ = write!(
        body,
        "<section class=\"summary\"><div><b>{}</b> of A and <b>{}</b> of B are in sentences the other version has; \
         {} shared passage(s).</div><div>A: {} same, {} edited, {} only in A · B: {} same, {} edited, {} only in B</div>\
         <div>Figures: {} agree, {} changed, {} elsewhere, {} only in A, {} only in B.</div></section>",
        pct(s.a_shared),
        pct(s.b_shared),
        s.passages,
        s.a_sentences.same,
        s.a_sentences.edited,
        s.a_sentences.only,
        s.b_sentences.same,
        s.b_sentences.edited,
        s.b_sentences.only,
        s.numbers.agree,
        s.numbers.changed,
        s.numbers.elsewhere,
        s.numbers.only_a,
        s.numbers.only_b
    );
    if !s.related {
        body.push_str("<p class=\"empty\">These texts share no passage and no sentence.</p>");
    }
    body.push_str("<div class=\"onlies\">");
    for (side, spans, tag) in [(Side::A, &r.only_a, "A"), (Side::B, &r.only_b, "B")] {
        if !spans.is_empty() {
            let _ = write!(
                body,
                "<details class=\"only only-{}\" open><summary>Only in {tag} ({})</summary>{}</details>",
                tag.to_lowercase(),
                spans.len(),
                html::only_list(spans, side, 12)
            );
        }
    }
    body.push_str("</div>");
    if !r.passages.is_empty() {
        body.push_str(
            "<nav class=\"passages\" aria-label=\"Shared passages\"><span class=\"muted\">Shared passages:</span>",
        );
        for p in &r.passages {
            let _ = write!(
                body,
                "<button type=\"button\" class=\"pbtn\" data-p=\"{}\" title=\"{}\">{} ({} similar)</button>",
                p.index,
                esc(&truncate(&p.a.text, 120)),
                p.index + 1,
                pct(p.similarity)
            );
        }
        body.push_str("</nav>");
    }
    body.push_str(
        "<div class=\"legend\" aria-label=\"Legend\"><span class=\"s st-same\">same sentence</span>\
         <span class=\"s st-edited\">edited</span><span class=\"s st-only\">only here</span>\
         <span class=\"o\">only in this version</span><span class=\"w\">words changed</span>\
         <span class=\"n n-changed\">figure changed</span><span class=\"n n-agree\">figure agrees</span>\
         <span class=\"nm\">name changed</span><span class=\"q\">“quote”</span>\
         <span class=\"muted\">Click a sentence to see its counterpart.</span></div>",
    );
    let _ = write!(
        body,
        "<div class=\"cols\"><article class=\"col\" id=\"col-a\" data-side=\"a\">{}<div class=\"text\">{}</div></article>\
         <article class=\"col\" id=\"col-b\" data-side=\"b\">{}<div class=\"text\">{}</div></article></div>",
        version_head(a, "A", indexed.0),
        html::version_text(&a.text, r, Side::A),
        version_head(b, "B", indexed.1),
        html::version_text(&b.text, r, Side::B)
    );
    body
}

/// `/compare?a=ID&b=ID`.
#[derive(Debug, Deserialize)]
struct CompareParams {
    #[serde(default)]
    a: String,
    #[serde(default)]
    b: String,
}

async fn compare_get(State(app): State<Arc<App>>, q: Result<Query<CompareParams>, QueryRejection>) -> PageResult {
    let p = params(q)?;
    if p.a.trim().is_empty() || p.b.trim().is_empty() {
        return Err(fail(AppError::bad("give two document ids: /compare?a=ID&b=ID")));
    }
    let body = app
        .job(move |app| {
            let a = get_doc(app, p.a.trim())?;
            let b = get_doc(app, p.b.trim())?;
            let r = app.compare_docs(&a, &b, None);
            Ok(compare_body(&a, &b, &r, (true, true)))
        })
        .await
        .map_err(fail)?;
    Ok(Html(html::page("Side by side", &body)))
}

async fn compare_post(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> PageResult {
    let parts = form_parts(&app, &headers, body).map_err(fail)?;
    let body = app
        .job(move |app| {
            let a = form_doc(app, &parts, "a_", "A")?;
            let b = form_doc(app, &parts, "b_", "B")?;
            let indexed = |p: &str| text_field(&parts, &format!("{p}id")).is_some();
            let r = app.compare_docs(&a, &b, None);
            Ok(compare_body(&a, &b, &r, (indexed("a_"), indexed("b_"))))
        })
        .await
        .map_err(fail)?;
    Ok(Html(html::page("Side by side", &body)))
}

/// The page routes and static assets.
pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/", get(home))
        .route("/search", get(search_page))
        .route("/query", axum::routing::post(query_page).get(|| async { axum::response::Redirect::to("/") }))
        .route("/doc", get(doc_page))
        .route("/compare", get(compare_get).post(compare_post))
        .route("/static/app.js", get(app_js))
        .route("/static/app.css", get(app_css))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
}
