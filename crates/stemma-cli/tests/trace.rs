//! `stemma trace` on the founding case, read from its JSON as a
//! fact-checker's tool would read it.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn stemma(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stemma")).args(args).output().expect("the stemma binary runs")
}

/// The doctored blog post and the faithful rendition of the same dispatch.
fn seeds() -> (PathBuf, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/seeds");
    (root.join("000_50f99b9dd81999b9.txt"), root.join("001_ec1fae0d22ab38a7.txt"))
}

fn trace_json(args: &[&str]) -> Value {
    let mut all = vec!["trace"];
    all.extend_from_slice(args);
    all.push("--json");
    let out = stemma(&all);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn seed_trace() -> Value {
    let (a, b) = seeds();
    trace_json(&[a.to_str().unwrap(), b.to_str().unwrap()])
}

const BLOG: &str = "000_50f99b9dd81999b9.txt";
const RENDITION: &str = "001_ec1fae0d22ab38a7.txt";

/// Claims of one version and kind.
fn claims<'a>(r: &'a Value, version: &str, kind: &str) -> Vec<&'a Value> {
    r["claims"].as_array().unwrap().iter().filter(|c| c["version"] == version && c["kind"] == kind).collect()
}

fn text(v: &Value) -> String {
    v["text"].as_str().unwrap_or_default().replace('’', "'")
}

/// The quote of `version` whose words contain `words`.
fn quote<'a>(r: &'a Value, version: &str, words: &str) -> &'a Value {
    let found: Vec<&Value> =
        claims(r, version, "quote").into_iter().filter(|c| text(&c["span"]).contains(words)).collect();
    assert!(!found.is_empty(), "no quote of {version} holds {words:?}");
    found[0]
}

#[test]
fn the_fabius_quote_is_unsupported_and_in_the_headline() {
    let r = seed_trace();
    assert_eq!(r["schema"], "stemma.trace");
    let q = quote(&r, BLOG, "bon boulot");
    assert_eq!(q["status"], "unsupported", "{q:#}");
    assert_eq!(q["in_headline"], true);
    assert_eq!(text(&q["speaker"]), "Fabius");
    assert!(q["corroborated_by"].as_array().unwrap().is_empty());
    // Its headline line is unsupported too: neither its own body nor the
    // rendition says it.
    let line: Vec<&Value> =
        claims(&r, BLOG, "headline").into_iter().filter(|c| text(&c["span"]).contains("Fabius")).collect();
    assert_eq!(line.len(), 1);
    assert_eq!(line[0]["status"], "unsupported");
    // The span points at the original bytes.
    let blog = std::fs::read_to_string(seeds().0).unwrap();
    let (s, e) = (q["span"]["start"].as_u64().unwrap() as usize, q["span"]["end"].as_u64().unwrap() as usize);
    assert_eq!(blog[s..e], *q["span"]["text"].as_str().unwrap());
}

#[test]
fn the_le_bret_calvar_and_neumann_quotes_are_corroborated() {
    let r = seed_trace();
    for (version, words, speaker) in [
        (BLOG, "beaucoup commencent à nous envoyer", "Le Bret"),
        (BLOG, "plus question d'expansion du glorieux califat", "Le Bret"),
        (BLOG, "244 personnes étaient revenues", "Calvar"),
        (BLOG, "par la politique de Daesh", "Calvar"),
        (RENDITION, "Plusieurs d'entre eux commencent", "Le Bret"),
        (RENDITION, "plus question d'expansion du glorieux califat", "Le Bret"),
        (RENDITION, "entravés par la politique", "Calvar"),
        (RENDITION, "s'intéresse plus à combattre d'autres musulmans", "Neumann"),
    ] {
        let q = quote(&r, version, words);
        assert_eq!(q["status"], "corroborated", "{version}: {words}: {q:#}");
        assert!(text(&q["speaker"]).contains(speaker), "{version}: {words}: speaker {:?}", q["speaker"]);
        let other = if version == BLOG { RENDITION } else { BLOG };
        assert_eq!(q["corroborated_by"], serde_json::json!([other]));
    }
    // Neumann's list of grievances, unattributed in the blog, is the same quote.
    assert_eq!(quote(&r, BLOG, "Daesh cherche à combattre")["status"], "corroborated");
    // What only one version quotes is not corroborated.
    assert_eq!(quote(&r, RENDITION, "davantage d'intentions")["status"], "unsupported");
    assert_eq!(quote(&r, BLOG, "Les raisons pour lesquelles")["status"], "unsupported");
}

#[test]
fn the_244_returns_are_corroborated_in_both_versions() {
    let r = seed_trace();
    for version in [BLOG, RENDITION] {
        let n: Vec<&Value> = claims(&r, version, "number").into_iter().filter(|c| c["value"] == "244").collect();
        assert!(!n.is_empty(), "{version} has no 244");
        for c in n {
            assert_eq!(c["status"], "corroborated", "{c:#}");
        }
    }
    // One in the blog's headline.
    assert!(claims(&r, BLOG, "number").iter().any(|c| c["value"] == "244" && c["in_headline"] == true));
}

#[test]
fn the_two_versions_descend_from_a_lost_common_source() {
    let r = seed_trace();
    let nodes = r["tree"]["nodes"].as_array().unwrap();
    let lost: Vec<u64> = nodes.iter().filter(|n| n["kind"] == "lost").map(|n| n["index"].as_u64().unwrap()).collect();
    assert_eq!(lost.len(), 1, "{:#}", r["tree"]);
    let edges = r["tree"]["edges"].as_array().unwrap();
    for version in [BLOG, RENDITION] {
        let node = nodes.iter().find(|n| n["id"] == version).unwrap()["index"].as_u64().unwrap();
        let e = edges.iter().find(|e| e["to"] == node).unwrap_or_else(|| panic!("{version} has no parent"));
        assert_eq!(e["from"], lost[0]);
        assert!(!e["evidence"].as_array().unwrap().is_empty());
    }
    assert_eq!(r["tree"]["roots"], serde_json::json!(lost));
}

#[test]
fn the_comment_form_is_not_a_claim() {
    let r = seed_trace();
    let blog = std::fs::read_to_string(seeds().0).unwrap();
    let form = blog.find("Laisser un commentaire").unwrap();
    for c in r["claims"].as_array().unwrap().iter().filter(|c| c["version"] == BLOG) {
        assert!(c["span"]["start"].as_u64().unwrap() < form as u64, "a claim in the comment form: {c:#}");
    }
}

#[test]
fn name_variants_of_one_entity_are_not_alterations() {
    let r = seed_trace();
    // Daesh (blog) and l'EIIL (rendition) name one organisation.
    for c in r["claims"].as_array().unwrap().iter().filter(|c| c["kind"] == "name") {
        assert_ne!(c["status"], "altered", "{c:#}");
    }
    let daesh: Vec<&Value> = claims(&r, BLOG, "name").into_iter().filter(|c| text(&c["span"]) == "Daesh").collect();
    assert!(!daesh.is_empty());
    assert!(daesh.iter().all(|c| c["status"] == "corroborated"));
}

#[test]
fn trace_writes_html_dot_and_graphml() {
    let (a, b) = seeds();
    let dir = std::env::temp_dir().join(format!("stemma-trace-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (html, dot, graphml) = (dir.join("t.html"), dir.join("t.dot"), dir.join("t.graphml"));
    let out = stemma(&[
        "trace",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--html",
        html.to_str().unwrap(),
        "--dot",
        dot.to_str().unwrap(),
        "--graphml",
        graphml.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let terminal = String::from_utf8_lossy(&out.stdout);
    assert!(terminal.contains("UNSUPPORTED") && terminal.contains("bon boulot"), "{terminal}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<svg") && page.contains("bon boulot"));
    // Self-contained: nothing fetched from elsewhere.
    assert!(!page.contains("src=\"http") && !page.contains("href=\"http"));
    let dot = std::fs::read_to_string(&dot).unwrap();
    assert!(dot.starts_with("digraph") && dot.contains("->"));
    let graphml = std::fs::read_to_string(&graphml).unwrap();
    assert!(graphml.contains("<graphml") && graphml.matches("<edge").count() == 2);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_version_named_twice_does_not_corroborate_itself() {
    let (a, b) = seeds();
    let r = trace_json(&[a.to_str().unwrap(), b.to_str().unwrap(), a.to_str().unwrap()]);
    assert_eq!(r["versions"].as_array().unwrap().len(), 2);
    assert_eq!(quote(&r, BLOG, "bon boulot")["status"], "unsupported");
}
