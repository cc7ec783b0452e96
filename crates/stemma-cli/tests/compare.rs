//! `stemma compare` and `stemma demo`, run as a user runs them.

mod common;

use common::{fresh_dir, Scratch};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn stemma(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stemma")).args(args).output().expect("the stemma binary runs")
}

fn seeds() -> (PathBuf, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/seeds");
    (root.join("000_50f99b9dd81999b9.txt"), root.join("001_ec1fae0d22ab38a7.txt"))
}

fn compare_json(a: &Path, b: &Path) -> Value {
    let out = stemma(&["compare", a.to_str().unwrap(), b.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn texts(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|s| s["text"].as_str().unwrap().to_string()).collect()
}

/// Folds typographic apostrophes so that the assertions read naturally.
fn plain(s: &str) -> String {
    s.replace('’', "'")
}

#[test]
fn seed_pair_shared_passages_hold_the_three_quotes() {
    let (a, b) = seeds();
    let r = compare_json(&a, &b);
    assert_eq!(r["schema"], "stemma.compare");
    assert_eq!(r["schema_version"], 1);
    let passages = r["passages"].as_array().unwrap();
    let holds = |pa: &str, pb: &[&str]| {
        passages.iter().any(|p| {
            let (ta, tb) = (plain(p["a"]["text"].as_str().unwrap()), plain(p["b"]["text"].as_str().unwrap()));
            ta.contains(pa) && pb.iter().all(|x| tb.contains(x))
        })
    };
    // Le Bret, although one text says "Daesh" and the other "l'EIIL".
    assert!(holds(
        "Il n'est plus question d'expansion du glorieux califat",
        &["Il n'est plus question d'expansion du glorieux califat"]
    ));
    // Calvar: the figure and the traitors to be executed, in one passage.
    assert!(passages.iter().any(|p| {
        let (ta, tb) = (plain(p["a"]["text"].as_str().unwrap()), plain(p["b"]["text"].as_str().unwrap()));
        ta.contains("244 personnes")
            && ta.contains("traîtres à exécuter immédiatement")
            && tb.contains("244")
            && tb.contains("traîtres")
    }));
    // Neumann's grievances.
    assert!(holds(
        "Daesh cherche à combattre d'autres musulmans",
        &["combattre d'autres musulmans", "dure et décevante"]
    ));
}

#[test]
fn seed_pair_numbers_and_one_sided_spans() {
    let (a, b) = seeds();
    let r = compare_json(&a, &b);
    let numbers = r["numbers"].as_array().unwrap();
    assert!(
        numbers.iter().any(|n| n["status"] == "agree" && n["a_value"] == "244" && n["b_value"] == "244"),
        "{numbers:?}"
    );
    let only_a: Vec<String> = texts(&r["only_a"]).iter().map(|s| plain(s)).collect();
    assert!(only_a.iter().any(|s| s.contains("ils font du bon boulot (Fabius)")), "{only_a:?}");
    assert!(only_a.iter().any(|s| s.contains("Laisser un commentaire")), "{only_a:?}");
    let only_b: Vec<String> = texts(&r["only_b"]).iter().map(|s| plain(s)).collect();
    assert!(only_b.iter().any(|s| s.contains("janvier 2014")), "{only_b:?}");
    assert!(only_b.iter().any(|s| s.contains("base de données")), "{only_b:?}");
    assert!(only_b.iter().any(|s| s.contains("discrimination") && s.contains("pays d'origine")), "{only_b:?}");
    // Nothing A and B both say ends up in A's only list: the Le Bret quote is shared.
    assert!(!only_a.iter().any(|s| s.contains("glorieux califat")));
}

#[test]
fn the_demo_shows_the_seed_case_and_guides_the_reader() {
    let out = stemma(&["demo", "--color", "never"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Only in A") && text.contains("Only in B"));
    assert!(text.contains("What to look at"));
    assert!(text.contains("Fabius"), "the doctored headline must be pointed at");
    assert!(!text.contains('\x1b'), "no colour codes with --color never");
    let json = stemma(&["demo", "--json"]);
    let v: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["summary"]["related"], true);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let (a, b) = seeds();
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    // Piped output (as here) is plain by default.
    let plain_out = stemma(&["compare", a, b]);
    assert!(!String::from_utf8_lossy(&plain_out.stdout).contains('\x1b'));
    let coloured = stemma(&["compare", a, b, "--color", "always"]);
    assert!(String::from_utf8_lossy(&coloured.stdout).contains("\x1b[31m"));
}

#[test]
fn output_is_identical_across_runs_and_thread_counts() {
    let (a, b) = seeds();
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let one = stemma(&["--threads", "1", "compare", a, b, "--json"]).stdout;
    let two = stemma(&["--threads", "2", "compare", a, b, "--json"]).stdout;
    let again = stemma(&["compare", a, b, "--json"]).stdout;
    assert!(!one.is_empty());
    assert_eq!(one, two);
    assert_eq!(one, again);
}

fn temp_dir(name: &str) -> Scratch {
    fresh_dir("cli-test", name)
}

#[test]
fn unrelated_texts_exit_1_only_when_asked() {
    let d = temp_dir("unrelated");
    let (x, y) = (d.join("x.txt"), d.join("y.txt"));
    std::fs::write(&x, "The council approved the budget for the new bridge over the river on Tuesday evening.")
        .unwrap();
    std::fs::write(&y, "Tomato soup needs ripe tomatoes, garlic, basil and a little olive oil from the garden.")
        .unwrap();
    let (x, y) = (x.to_str().unwrap(), y.to_str().unwrap());
    assert_eq!(stemma(&["compare", x, y]).status.code(), Some(0));
    assert_eq!(stemma(&["compare", x, y, "--fail-if-unrelated"]).status.code(), Some(1));
}

/// Runs compare with a bad A and returns (exit code, stderr).
fn bad(a: &Path) -> (Option<i32>, String) {
    let (_, b) = seeds();
    let out = stemma(&["compare", a.to_str().unwrap(), b.to_str().unwrap()]);
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn bad_input_gets_one_clear_line_and_exit_2() {
    let d = temp_dir("bad");
    let missing = d.join("missing.txt");
    let (code, err) = bad(&missing);
    assert_eq!(code, Some(2));
    assert!(err.contains("missing.txt: no such file"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");

    let (code, err) = bad(&d);
    assert_eq!(code, Some(2));
    assert!(err.contains("is a directory"), "{err}");

    let binary = d.join("image.png");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let (code, err) = bad(&binary);
    assert_eq!(code, Some(2));
    assert!(err.contains("image.png: looks binary"), "{err}");

    let empty = d.join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let (code, err) = bad(&empty);
    assert_eq!(code, Some(2));
    assert!(err.contains("empty.txt: is empty"), "{err}");

    let huge = d.join("huge.txt");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len(50 * 1024 * 1024).unwrap();
    let (code, err) = bad(&huge);
    assert_eq!(code, Some(2));
    assert!(err.contains("huge.txt: 52.4 MB is over the 16.8 MB limit"), "{err}");
    assert!(err.contains("--max-size"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn invalid_utf8_is_read_with_a_warning() {
    let d = temp_dir("latin1");
    let (_, b) = seeds();
    let latin1 = d.join("latin1.txt");
    let mut bytes = std::fs::read(&b).unwrap();
    bytes.extend_from_slice(b"\nUn caf\xe9 pour finir.\n");
    std::fs::write(&latin1, &bytes).unwrap();
    let out = stemma(&["compare", latin1.to_str().unwrap(), b.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("warning: ") && err.contains("invalid UTF-8 at byte"), "{err}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["summary"]["b_shared"].as_f64().unwrap() > 0.9);
}

#[test]
fn html_and_json_versions_are_read() {
    let d = temp_dir("formats");
    let (a, b) = seeds();
    let text_a = std::fs::read_to_string(&a).unwrap();
    let text_b = std::fs::read_to_string(&b).unwrap();
    let html = d.join("a.html");
    let body: String =
        text_a.split("\n\n").map(|p| format!("<p>{}</p>", p.replace('&', "&amp;").replace('<', "&lt;"))).collect();
    std::fs::write(
        &html,
        format!("<html><head><title>Irak</title><script>var x = 1;</script></head><body>{body}</body></html>"),
    )
    .unwrap();
    let json = d.join("b.json");
    std::fs::write(
        &json,
        serde_json::json!({"id": "dispatch-b", "text": text_b, "series": "blog", "date": "2016-06-10"}).to_string(),
    )
    .unwrap();
    let r = compare_json(&html, &json);
    assert_eq!(r["a"]["title"], "Irak");
    assert_eq!(r["b"]["id"], "dispatch-b");
    assert!(texts(&r["only_a"]).iter().any(|s| plain(s).contains("ils font du bon boulot (Fabius)")));
    assert!(!texts(&r["only_a"]).iter().any(|s| s.contains("var x")));
}
