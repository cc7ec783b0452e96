//! Benchmark texts: real articles from ../shared/data when present, a
//! synthetic stand-in (said so in the output) when not.

use crate::Rng;
use std::path::Path;

/// Up to `max` French press articles from `data/fr-press`, or synthetic
/// articles when the corpus is absent. Returns the texts and a line saying
/// where they came from.
pub fn french_articles(data: &Path, max: usize) -> (Vec<String>, String) {
    let path = data.join("fr-press/fr_press_gilets_jaunes.jsonl");
    if let Ok(content) = std::fs::read_to_string(&path) {
        let texts: Vec<String> = content
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v.get("text").and_then(|t| t.as_str()).map(str::to_string))
            .filter(|t| t.len() > 1500)
            .take(max)
            .collect();
        if !texts.is_empty() {
            let n = texts.len();
            return (texts, format!("{n} real articles from {}", path.display()));
        }
    }
    let mut rng = Rng::new(7);
    let words = [
        "le",
        "gouvernement",
        "a",
        "annoncé",
        "mardi",
        "une",
        "réforme",
        "des",
        "retraites",
        "qui",
        "doit",
        "être",
        "votée",
        "avant",
        "été",
        "selon",
        "ministre",
        "manifestants",
        "ont",
        "défilé",
        "dans",
        "plusieurs",
        "villes",
        "syndicats",
        "appellent",
        "nouvelle",
        "journée",
        "mobilisation",
        "prochaine",
        "semaine",
        "Paris",
        "France",
    ];
    let texts = (0..max)
        .map(|_| {
            (0..30)
                .map(|_| {
                    let n = 8 + rng.below(20);
                    let mut s: Vec<&str> = (0..n).map(|_| words[rng.below(words.len())]).collect();
                    s[0] = "Le";
                    format!("{} {}.", s.join(" "), 1000 + rng.below(9000))
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    (texts, format!("synthetic text ({} absent)", path.display()))
}

/// Three texts of about `size` bytes: A (articles joined), B (A re-edited:
/// articles re-ordered, 5 % of sentences dropped, 10 % altered, one new
/// article) and C (other articles, unrelated to A).
pub fn version_pair(articles: &[String], size: usize, rng: &mut Rng) -> (String, String, String) {
    let mut a_parts: Vec<&String> = Vec::new();
    let mut used = 0;
    let mut i = 0;
    while used < size && i < articles.len() {
        a_parts.push(&articles[i]);
        used += articles[i].len();
        i += 1;
    }
    let a = a_parts.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n\n");
    let mut order: Vec<usize> = (0..a_parts.len()).collect();
    for k in (1..order.len()).rev() {
        if rng.chance(0.3) {
            let j = rng.below(k + 1);
            order.swap(k, j);
        }
    }
    let mut b_parts: Vec<String> = Vec::new();
    for &k in &order {
        let mut sentences: Vec<String> = Vec::new();
        for s in a_parts[k].split_inclusive(". ") {
            if rng.chance(0.05) {
                continue;
            }
            if rng.chance(0.10) {
                // Alter: a number changes, or a word is replaced.
                let altered = match s.find(|c: char| c.is_ascii_digit()) {
                    Some(at) => format!("{}9{}", &s[..at], &s[at + 1..]),
                    None => s.replacen(" le ", " un ", 1),
                };
                sentences.push(altered);
                continue;
            }
            sentences.push(s.to_string());
        }
        b_parts.push(sentences.concat());
    }
    if i < articles.len() {
        b_parts.insert(b_parts.len() / 2, articles[i].clone());
        i += 1;
    }
    let b = b_parts.join("\n\n");
    let mut c = String::new();
    while c.len() < size && i < articles.len() {
        c.push_str(&articles[i]);
        c.push_str("\n\n");
        i += 1;
    }
    (a, b, c)
}
