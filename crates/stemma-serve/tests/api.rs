//! The API and pages of `stemma serve`, called in process (tower's
//! `oneshot`) against a small index built here: status codes, response
//! schemas (deserialized into the report types), errors as one-line JSON,
//! body limits, deadlines, read-only refusal and security headers.

use axum::body::{to_bytes, Body};
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use stemma_core::{CompareReport, Document};
use stemma_index::{IndexOptions, IndexWriter};
use stemma_query::QueryReport;
use stemma_serve::api::{AddResponse, ErrorBody, SearchResponse};
use stemma_serve::{router, App, ServeOptions, CONTENT_SECURITY_POLICY};
use tower::ServiceExt;

const BLOG: &str = include_str!("../../../examples/seeds/000_50f99b9dd81999b9.txt");
const AFP: &str = include_str!("../../../examples/seeds/001_ec1fae0d22ab38a7.txt");

/// A temporary index directory, removed on drop.
struct TempIndex(PathBuf);

impl Drop for TempIndex {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn temp_index(name: &str) -> TempIndex {
    let dir = std::env::temp_dir().join(format!("stemma-serve-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut w = IndexWriter::open(&dir, IndexOptions::default()).unwrap();
    let mut blog = Document::new("blog", BLOG);
    blog.series = Some("blog".into());
    w.add(blog).unwrap();
    w.add(Document::new("afp", AFP)).unwrap();
    w.add(Document::new(
        "dir/with slash",
        "La météo de demain sera ensoleillée sur toute la Bretagne, selon Météo-France.",
    ))
    .unwrap();
    let mut x = Document::new("xss", "Un texte <script>window.__pwned=1</script> avec <img src=x onerror=alert(1)>.");
    x.url = Some("javascript:alert(1)".into());
    x.title = Some("<b>titre</b>".into());
    w.add(x).unwrap();
    w.commit().unwrap();
    TempIndex(dir)
}

fn app_with(opts: ServeOptions) -> Router {
    router(App::open(opts).unwrap())
}

fn app(dir: &TempIndex) -> Router {
    app_with(ServeOptions { index: Some(dir.0.clone()), ..ServeOptions::default() })
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body[..self.body.len().min(500)])))
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    /// An error answer: `{"error": one line}`.
    fn error(&self) -> String {
        let e: ErrorBody = self.json();
        assert!(!e.error.is_empty() && !e.error.contains('\n'), "{e:?}");
        e.error
    }
}

fn call(app: &Router, req: Request<Body>) -> Answer {
    rt().block_on(async {
        let res = app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = to_bytes(res.into_body(), usize::MAX).await.unwrap().to_vec();
        Answer { status, headers, body }
    })
}

fn get(app: &Router, uri: &str) -> Answer {
    call(app, Request::get(uri).body(Body::empty()).unwrap())
}

fn post_json(app: &Router, uri: &str, body: impl Into<Body>) -> Answer {
    call(
        app,
        Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(body.into())
            .unwrap(),
    )
}

fn post_form(app: &Router, uri: &str, fields: &[(&str, Option<&str>, &str)]) -> Answer {
    let b = "----stemmaTestBoundary";
    let mut body = String::new();
    for (name, filename, data) in fields {
        body.push_str(&format!("--{b}\r\nContent-Disposition: form-data; name=\"{name}\""));
        if let Some(f) = filename {
            body.push_str(&format!("; filename=\"{f}\"\r\nContent-Type: application/octet-stream"));
        }
        body.push_str(&format!("\r\n\r\n{data}\r\n"));
    }
    body.push_str(&format!("--{b}--\r\n"));
    call(
        app,
        Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={b}"))
            .body(Body::from(body))
            .unwrap(),
    )
}

#[test]
fn every_response_carries_the_security_headers() {
    let dir = temp_index("headers");
    let app = app(&dir);
    for uri in ["/", "/api/index", "/api/documents/nope", "/no/such/page", "/static/app.js", "/api/openapi.json"] {
        let a = get(&app, uri);
        let h = |n: &str| a.headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        assert_eq!(h("content-security-policy"), CONTENT_SECURITY_POLICY, "{uri}");
        assert!(CONTENT_SECURITY_POLICY.contains("default-src 'self'"));
        assert!(CONTENT_SECURITY_POLICY.contains("frame-ancestors 'none'"));
        assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-inline"));
        assert_eq!(h("x-content-type-options"), "nosniff", "{uri}");
        assert_eq!(h("x-frame-options"), "DENY", "{uri}");
    }
    assert!(get(&app, "/static/app.js").headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/javascript"));
    assert!(get(&app, "/static/app.css").headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/css"));
}

#[test]
fn index_figures_and_documents() {
    let dir = temp_index("docs");
    let app = app(&dir);
    let a = get(&app, "/api/index");
    assert_eq!(a.status, StatusCode::OK);
    let stats: Value = a.json();
    assert_eq!(stats["documents"], 4);

    let a = get(&app, "/api/documents/blog");
    assert_eq!(a.status, StatusCode::OK);
    let doc: Document = a.json();
    assert_eq!(doc.text, BLOG);
    assert_eq!(doc.series.as_deref(), Some("blog"));
    // Ids are looked up in the index, percent-decoded, never as paths.
    let doc: Document = get(&app, "/api/documents/dir%2Fwith%20slash").json();
    assert_eq!(doc.id, "dir/with slash");
    for uri in ["/api/documents/nope", "/api/documents/..%2F..%2Fetc%2Fpasswd", "/api/documents/%2Fetc%2Fpasswd"] {
        let a = get(&app, uri);
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(a.error().contains("no document with this id"), "{uri}");
    }
    assert_eq!(get(&app, "/api/no-such-route").status, StatusCode::NOT_FOUND);
    let a = get(&app, "/api/query");
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    a.error();
}

#[test]
fn compare_texts_and_ids() {
    let dir = temp_index("compare");
    let app = app(&dir);
    let body = json!({"a": {"text": BLOG, "name": "blog.txt"}, "b": {"id": "afp"}});
    let a = post_json(&app, "/api/compare", body.to_string());
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let r: CompareReport = a.json();
    assert_eq!(r.schema, "stemma.compare");
    assert_eq!(r.a.id, "blog.txt");
    assert_eq!(r.b.id, "afp");
    assert!(r.summary.related && r.summary.passages > 0);
    assert!(r.only_a.iter().any(|s| s.text.contains("Fabius")), "the Fabius clause is only in the blog copy");
    // The same as the library gives.
    let lib = stemma_core::compare(
        &Document::new("blog.txt", BLOG),
        &Document::new("afp", AFP),
        &stemma_core::CompareOptions::default(),
    );
    assert_eq!(r.only_a, lib.only_a);
    assert_eq!(r.passages, lib.passages);

    let r: CompareReport =
        post_json(&app, "/api/compare", json!({"a": {"id": "blog"}, "b": {"id": "afp"}}).to_string()).json();
    assert_eq!((r.a.id.as_str(), r.b.id.as_str()), ("blog", "afp"));
    // HTML input goes through extraction.
    let page = "<html><body><nav>Menu</nav><article><p>Le ministre a annoncé 244 retours de combattants.</p></article></body></html>";
    let r: CompareReport = post_json(
        &app,
        "/api/compare",
        json!({"a": {"text": page, "format": "html"}, "b": {"text": "Le ministre a annoncé 244 retours de combattants."}})
            .to_string(),
    )
    .json();
    assert!(r.summary.related);
}

#[test]
fn bad_input_is_a_4xx_with_a_one_line_message() {
    let dir = temp_index("bad");
    let app = app(&dir);
    let cases: Vec<(&str, String, StatusCode, &str)> = vec![
        ("/api/compare", "{not json".into(), StatusCode::BAD_REQUEST, "invalid JSON"),
        ("/api/compare", json!({"a": {"text": "x"}}).to_string(), StatusCode::BAD_REQUEST, "missing field"),
        (
            "/api/compare",
            json!({"a": {"text": "x", "id": "afp"}, "b": {"id": "afp"}}).to_string(),
            StatusCode::BAD_REQUEST,
            "either text or id",
        ),
        ("/api/compare", json!({"a": {}, "b": {"id": "afp"}}).to_string(), StatusCode::BAD_REQUEST, "give text or id"),
        (
            "/api/compare",
            json!({"a": {"txt": "x"}, "b": {"id": "afp"}}).to_string(),
            StatusCode::BAD_REQUEST,
            "unknown field",
        ),
        (
            "/api/compare",
            json!({"a": {"text": "x", "format": "pdf"}, "b": {"id": "afp"}}).to_string(),
            StatusCode::BAD_REQUEST,
            "unknown format",
        ),
        (
            "/api/compare",
            json!({"a": {"text": "   "}, "b": {"id": "afp"}}).to_string(),
            StatusCode::BAD_REQUEST,
            "empty",
        ),
        (
            "/api/compare",
            json!({"a": {"text": "a\u{0}b"}, "b": {"id": "afp"}}).to_string(),
            StatusCode::BAD_REQUEST,
            "binary",
        ),
        (
            "/api/compare",
            json!({"a": {"text": "{\"id\": 1}", "format": "json"}, "b": {"id": "afp"}}).to_string(),
            StatusCode::BAD_REQUEST,
            "",
        ),
        (
            "/api/compare",
            json!({"a": {"id": "nope"}, "b": {"id": "afp"}}).to_string(),
            StatusCode::NOT_FOUND,
            "no document",
        ),
        ("/api/query", json!({}).to_string(), StatusCode::BAD_REQUEST, "give text or id"),
        ("/api/query", json!({"id": "nope"}).to_string(), StatusCode::NOT_FOUND, "no document"),
        ("/api/query", "[1]".into(), StatusCode::BAD_REQUEST, "invalid JSON"),
        ("/api/query", json!({"text": BLOG, "top": "ten"}).to_string(), StatusCode::BAD_REQUEST, "invalid type"),
    ];
    for (uri, body, status, needle) in cases {
        let a = post_json(&app, uri, body.clone());
        assert_eq!(a.status, status, "{uri} {body}: {}", a.text());
        let msg = a.error();
        assert!(msg.contains(needle), "{uri} {body}: {msg}");
    }
    let a = get(&app, "/api/search?top=abc");
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    a.error();
    let a = get(&app, &format!("/api/search?q={}", "mot+".repeat(400)));
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    a.error();
}

#[test]
fn oversized_bodies_are_413() {
    let dir = temp_index("limit");
    // The default limit: 16 MB.
    let app = app(&dir);
    let big = format!("{{\"a\": {{\"text\": \"{}\"}}, \"b\": {{\"id\": \"afp\"}}}}", "x".repeat(16 * 1024 * 1024));
    let a = post_json(&app, "/api/compare", big);
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(a.error().contains("16 MB"));
    // A smaller limit, on every route that takes a body, pages included.
    let app = app_with(ServeOptions { index: Some(dir.0.clone()), max_body: 1000, ..ServeOptions::default() });
    let body = json!({"text": "mot ".repeat(300)}).to_string();
    for uri in ["/api/query", "/api/compare", "/api/documents"] {
        let a = post_json(&app, uri, body.clone());
        assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{uri}");
        a.error();
    }
    let a = post_form(&app, "/query", &[("text", None, &"mot ".repeat(300))]);
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(a.text().contains("larger than the limit"));
}

#[test]
fn slow_requests_time_out() {
    let dir = temp_index("slow");
    let app = app_with(ServeOptions {
        index: Some(dir.0.clone()),
        timeout: Duration::from_millis(1),
        ..ServeOptions::default()
    });
    let long = BLOG.repeat(40);
    let a = post_json(&app, "/api/compare", json!({"a": {"text": long}, "b": {"text": AFP.repeat(40)}}).to_string());
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(a.error().contains("longer than"));
}

#[test]
fn query_finds_the_other_version_and_search_ranks_by_rare_words() {
    let dir = temp_index("query");
    let app = app(&dir);
    let a = post_json(&app, "/api/query", json!({"text": BLOG, "top": 5}).to_string());
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let q: QueryReport = a.json();
    assert_eq!(q.schema, "stemma.query");
    let ids: Vec<&str> = q.results.iter().map(|r| r.id.as_str()).collect();
    assert!(ids.contains(&"afp") && ids.contains(&"blog"), "{ids:?}");
    // By id: the document itself is not among its versions.
    let q: QueryReport = post_json(&app, "/api/query", json!({"id": "blog"}).to_string()).json();
    assert_eq!(q.results.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), vec!["afp"]);
    let v: QueryReport = get(&app, "/api/documents/blog/versions?top=3").json();
    assert_eq!(v.results, q.results);
    assert_eq!(get(&app, "/api/documents/nope/versions").status, StatusCode::NOT_FOUND);

    let s: SearchResponse = get(&app, "/api/search?q=Fabius%20Calvar").json();
    assert_eq!(s.schema, "stemma.search");
    assert_eq!(s.hits.first().map(|h| h.id.as_str()), Some("blog"), "{s:?}");
    let s: SearchResponse = get(&app, "/api/search?q=").json();
    assert!(s.hits.is_empty());
}

#[test]
fn trace_gives_the_family_and_flags_the_doctored_quote() {
    let dir = temp_index("trace");
    let app = app(&dir);
    let a = get(&app, "/api/trace/blog");
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let r: serde_json::Value = a.json();
    assert_eq!(r["schema"], "stemma.trace");
    let ids: Vec<&str> = r["versions"].as_array().unwrap().iter().filter_map(|v| v["id"].as_str()).collect();
    assert_eq!(ids, vec!["blog", "afp"], "the family is the blog and the dispatch, nothing else");
    // The quote the blog gives Fabius is in no other version.
    let fabius = r["claims"].as_array().unwrap().iter().any(|c| {
        c["version"] == "blog"
            && c["kind"] == "quote"
            && c["status"] == "unsupported"
            && c["speaker"]["text"].as_str().is_some_and(|t| t.contains("Fabius"))
    });
    assert!(fabius, "{}", serde_json::to_string_pretty(&r["claims"]).unwrap());
    let missing = get(&app, "/api/trace/nope");
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.error().contains("nope"), "{}", missing.text());
}

#[test]
fn adding_needs_allow_add() {
    let dir = temp_index("add");
    let doc = json!({"id": "new-1", "text": "Un nouveau texte sur les combattants étrangers et leur retour en Europe.", "series": "test"});
    // Read-only: refused, and the index is unchanged.
    let ro = app(&dir);
    let a = post_json(&ro, "/api/documents", doc.to_string());
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(a.error().contains("--allow-add"));
    drop(ro);
    assert!(App::open(ServeOptions { allow_add: true, ..ServeOptions::default() }).is_err(), "needs an index");

    let rw = app_with(ServeOptions { index: Some(dir.0.clone()), allow_add: true, ..ServeOptions::default() });
    let a = post_json(&rw, "/api/documents", doc.to_string());
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let added: AddResponse = a.json();
    assert_eq!((added.id.as_str(), added.replaced, added.documents), ("new-1", false, 5));
    let d: Document = get(&rw, "/api/documents/new-1").json();
    assert_eq!(d.series.as_deref(), Some("test"));
    let a = post_json(&rw, "/api/documents", doc.to_string());
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.json::<AddResponse>().replaced);
    for bad in [json!({"text": "sans id"}).to_string(), json!({"id": "x", "text": ""}).to_string(), "nope".into()] {
        let a = post_json(&rw, "/api/documents", bad.clone());
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad}");
        a.error();
    }
}

#[test]
fn without_an_index_only_compare_works() {
    let app = app_with(ServeOptions::default());
    let r: CompareReport =
        post_json(&app, "/api/compare", json!({"a": {"text": BLOG}, "b": {"text": AFP}}).to_string()).json();
    assert!(r.summary.related);
    for a in [post_json(&app, "/api/query", json!({"text": BLOG}).to_string()), get(&app, "/api/index")] {
        assert_eq!(a.status, StatusCode::NOT_FOUND);
        assert!(a.error().contains("--index"));
    }
    assert_eq!(get(&app, "/").status, StatusCode::OK);
}

#[test]
fn openapi_describes_every_route() {
    let dir = temp_index("openapi");
    let app = app(&dir);
    let doc: Value = get(&app, "/api/openapi.json").json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/index", "get"),
        ("/api/search", "get"),
        ("/api/query", "post"),
        ("/api/compare", "post"),
        ("/api/documents", "post"),
        ("/api/documents/{id}", "get"),
        ("/api/documents/{id}/versions", "get"),
        ("/api/openapi.json", "get"),
    ] {
        assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path}");
    }
    // Every $ref points to a schema that exists.
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let text = doc.to_string();
    for r in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = &r[..r.find('"').unwrap()];
        assert!(schemas.contains_key(name), "{name}");
    }
}

#[test]
fn pages_render_and_escape_untrusted_text() {
    let dir = temp_index("pages");
    let app = app(&dir);
    let home = get(&app, "/");
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    assert!(home.text().contains("enctype=\"multipart/form-data\""));

    // The stored document with markup: shown escaped, its javascript: URL not linked.
    let a = get(&app, "/doc?id=xss");
    assert_eq!(a.status, StatusCode::OK);
    let t = a.text();
    assert!(t.contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;"), "{t}");
    assert!(!t.contains("<script>window") && !t.contains("<img src=x") && !t.contains("<b>titre"));
    assert!(!t.contains("href=\"javascript:"));
    assert!(t.contains("data-trace=\"/api/trace/xss\""));
    // No inline script or style anywhere.
    for page in [&t, &home.text()] {
        assert!(!page.contains("<script>") && !page.contains(" style=") && !page.contains("<style"));
    }

    // Paste: the results page with the versions and the flagged clause.
    let a = post_form(&app, "/query", &[("text", None, BLOG), ("file", Some(""), "")]);
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let t = a.text();
    assert!(t.contains("data-id=\"afp\"") && t.contains("Side by side"), "{t}");
    assert!(t.contains("class=\"flag\"") && t.contains("Fabius"));
    // Upload: an HTML file with a script; the text shown is escaped.
    let upload = "<html><body><article><p>Attention &lt;script&gt; window.__pwned=1 &lt;/script&gt; et <img src=x onerror=\"window.__pwned=1\"> fin du texte de test.</p></article><script>window.__pwned=1</script></body></html>";
    let a = post_form(&app, "/query", &[("text", None, ""), ("file", Some("evil.html"), upload)]);
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert!(!a.text().contains("<script>window") && !a.text().contains("<img src=x"));

    // Side by side, by ids and by a carried document.
    let a = get(&app, "/compare?a=blog&b=afp");
    assert_eq!(a.status, StatusCode::OK);
    let t = a.text();
    assert!(t.contains("id=\"col-a\"") && t.contains("class=\"s st-same\"") || t.contains("class=\"s st-edited\""));
    assert!(t.contains("data-cp=\"b-s"), "sentences name their counterparts");
    assert!(t.contains("id=\"a-o0\""), "one-sided spans are jump targets");
    let carried = serde_json::to_string(&Document::new("pasted", BLOG)).unwrap();
    let a = post_form(&app, "/compare", &[("a_doc", None, &carried), ("b_id", None, "afp")]);
    assert_eq!(a.status, StatusCode::OK);
    let a = post_form(
        &app,
        "/compare",
        &[("a_text", None, "<script>alert(1)</script> Un texte."), ("b_text", None, "Un autre texte.")],
    );
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.text().contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !a.text().contains("<script>alert"));

    // Errors are pages with the right status.
    assert_eq!(get(&app, "/doc?id=nope").status, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, "/doc").status, StatusCode::BAD_REQUEST);
    assert_eq!(get(&app, "/compare?a=blog").status, StatusCode::BAD_REQUEST);
    assert_eq!(post_form(&app, "/compare", &[("a_text", None, "x")]).status, StatusCode::BAD_REQUEST);
    let a = post_json(&app, "/query", "{}");
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.text().contains("multipart"));
    let a = get(&app, "/nope?%3Cscript%3E");
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    let s = get(&app, "/search?q=%3Cscript%3EFabius");
    assert_eq!(s.status, StatusCode::OK);
    assert!(s.text().contains("value=\"&lt;script&gt;Fabius\"") && s.text().contains("/doc?id=blog"));
}

#[test]
fn the_app_state_is_shared_across_threads() {
    fn is_send_sync<T: Send + Sync>() {}
    is_send_sync::<Arc<App>>();
}
