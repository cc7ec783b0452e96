//! The labelled pages of `tests/pages`: each `NAME.html` with its expected
//! article text (`NAME.txt`) and, where the page has them, its expected
//! metadata (`NAME.json`). See `tests/pages/README.md` for how they were
//! written and labelled.

use std::collections::HashMap;
use std::path::PathBuf;
use stemma_extract::extract;

/// Every page must reach this word-level F1 against its expected text.
const MIN_PAGE_F1: f64 = 0.90;
/// The mean over all pages must reach this.
const MIN_MACRO_F1: f64 = 0.97;

struct Page {
    name: String,
    html: String,
    expected: String,
    meta: Option<serde_json::Value>,
}

fn pages() -> Vec<Page> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/pages");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        if p.extension().and_then(|e| e.to_str()) != Some("html") {
            continue;
        }
        let json = p.with_extension("json");
        out.push(Page {
            name: p.file_stem().unwrap().to_string_lossy().into_owned(),
            html: std::fs::read_to_string(&p).unwrap(),
            expected: std::fs::read_to_string(p.with_extension("txt")).unwrap(),
            meta: json.exists().then(|| serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap()),
        });
    }
    assert!(out.len() >= 12, "labelled pages missing from {}", dir.display());
    out
}

fn page(prefix: &str) -> Page {
    pages().into_iter().find(|p| p.name.starts_with(prefix)).unwrap()
}

/// Words: runs of letters and digits, lowercased (the same measure as
/// bench/extract-eval).
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

fn f1(pred: &str, gold: &str) -> f64 {
    let (p, g) = (words(pred), words(gold));
    let mut counts: HashMap<&str, i64> = HashMap::new();
    for w in &g {
        *counts.entry(w).or_default() += 1;
    }
    let common = p
        .iter()
        .filter(|w| {
            let c = counts.entry(w.as_str()).or_default();
            *c -= 1;
            *c >= 0
        })
        .count() as f64;
    if common == 0.0 {
        return 0.0;
    }
    let (prec, rec) = (common / p.len() as f64, common / g.len() as f64);
    2.0 * prec * rec / (prec + rec)
}

/// No-break and thin spaces as plain spaces: the expected texts are typed
/// with plain spaces, the extracted text keeps the page's characters.
fn spaces(s: &str) -> String {
    s.replace(['\u{a0}', '\u{202f}', '\u{2009}'], " ")
}

#[test]
fn every_page_reaches_the_minimum_f1() {
    let pages = pages();
    let mut sum = 0.0;
    let mut report = String::new();
    for p in &pages {
        let got = extract(&p.html, None);
        let score = f1(&got.text, &p.expected);
        sum += score;
        report.push_str(&format!("{}: {score:.3}\n", p.name));
        assert!(score >= MIN_PAGE_F1, "{}: F1 {score:.3} below {MIN_PAGE_F1}\n--- got:\n{}", p.name, got.text);
    }
    let macro_f1 = sum / pages.len() as f64;
    assert!(macro_f1 >= MIN_MACRO_F1, "macro F1 {macro_f1:.3} below {MIN_MACRO_F1}\n{report}");
}

#[test]
fn metadata_is_read_where_the_page_has_it() {
    for p in pages() {
        let Some(meta) = &p.meta else { continue };
        let got = extract(&p.html, None);
        let fields = [
            ("title", got.title.as_deref().map(spaces)),
            ("date", got.date.clone()),
            ("canonical_url", got.canonical_url.clone()),
            ("lang", got.lang.clone()),
        ];
        for (key, value) in fields {
            if let Some(want) = meta.get(key).and_then(|v| v.as_str()) {
                assert_eq!(value.as_deref(), Some(want), "{}: {key}", p.name);
            }
        }
    }
}

#[test]
fn wordpress_comment_form_and_comments_stay_out_and_the_article_stays_whole() {
    let p = page("01-fr-wordpress-comments");
    let got = extract(&p.html, None);
    let text = spaces(&got.text);
    for paragraph in p.expected.split("\n\n") {
        assert!(text.contains(paragraph.trim()), "missing paragraph: {paragraph}\n--- got:\n{text}");
    }
    for furniture in [
        "Laisser un commentaire",
        "Votre adresse e-mail ne sera pas publiée",
        "Les champs obligatoires sont indiqués avec",
        "Enregistrer mon nom",
        "Enfin une bonne nouvelle",
        "Quatre millions pour un bassin",
        "Avec plaisir Nadia",
        "Répondre",
        "3 réponses",
        "Akismet",
        "Partager",
        "J’aime",
        "Articles récents",
        "Marché de Noël",
        "Fièrement propulsé",
        "Publié le",
    ] {
        assert!(!text.contains(furniture), "furniture left in the text: {furniture}\n--- got:\n{text}");
    }
    assert!(text.starts_with("Piscine Saint-Charles : la fermeture repoussée à l’automne\n\nLa piscine"));
    assert!(text.ends_with("consultable sur le site de la ville."));
}

#[test]
fn english_wordpress_reply_form_and_comments_stay_out() {
    let p = page("10-en-wordpress-reply");
    let text = extract(&p.html, None).text;
    for paragraph in p.expected.split("\n\n") {
        assert!(text.contains(paragraph.trim()), "missing paragraph: {paragraph}");
    }
    for furniture in [
        "Leave a Reply",
        "Your email address will not be published",
        "Required fields",
        "dental floss",
        "Pingback",
        "Share this",
        "Like this",
        "Related",
        "Post navigation",
    ] {
        assert!(!text.contains(furniture), "furniture left in the text: {furniture}");
    }
}

#[test]
fn words_are_kept_as_the_page_has_them() {
    let text = extract(&page("01-fr-wordpress-comments").html, None).text;
    // Entities decoded, no-break spaces kept, nothing re-typed.
    assert!(text.contains("l’adjointe aux sports"));
    assert!(text.contains("25\u{a0}mètres"));
    assert!(text.contains("«\u{a0}au plus tôt en octobre\u{a0}»"));
    let text = extract(&page("11-fr-table-layout").html, None).text;
    assert!(text.contains("la 144e édition"));
}

#[test]
fn headings_and_paragraphs_are_separated_by_blank_lines() {
    let text = extract(&page("02-fr-news-portal").html, None).text;
    assert!(
        text.starts_with("Loire : la sécheresse fait chuter la production de lait de 12\u{a0}%\n\nPrivés de fourrage")
    );
    assert!(text.contains("résume-t-il.\n\nDes trésoreries à sec\n\nPour les exploitations"));
    // Paragraph text without a <p>: lines split by <br><br>.
    let text = extract(&page("09-fr-div-no-p").html, None).text;
    assert!(text.contains("Brissac.\n\nUn été chaud et sec\n\nLa chaleur"));
}

#[test]
fn relative_canonical_url_is_made_absolute_against_the_page_url() {
    let p = page("18-fr-forum-avis");
    assert_eq!(
        extract(&p.html, None).canonical_url.as_deref(),
        Some("/toulouse/metro-ligne-c-phase-de-forage-9987.html")
    );
    let got = extract(&p.html, Some("https://www.actu-occitanie.example/toulouse/index.html"));
    assert_eq!(
        got.canonical_url.as_deref(),
        Some("https://www.actu-occitanie.example/toulouse/metro-ligne-c-phase-de-forage-9987.html")
    );
}
