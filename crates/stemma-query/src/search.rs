//! Keyword search of an index: documents ranked by the inverse document
//! frequency of the query's content words that they contain.
//!
//! The index posts every document under its distinct content words (the
//! `words` of [`stemma_index::fingerprint`]); the query's words are taken
//! the same way, so a word the index never posts (a function word) is not
//! looked up. A document's score is the sum of `ln((N + 1) / df)` over the
//! query words it contains: rare words (names, places) weigh most, and a
//! document holding more of them ranks higher. There is no term frequency:
//! postings record presence only, which is what "which articles mention
//! Fabius and Calvar" needs.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use stemma_index::postings::stored_key;
use stemma_index::segment::Table;
use stemma_index::{fingerprint, DocAddr, IndexError, IndexReader};
use stemma_text::tokenize;

/// Characters of context on each side of the first match in a snippet.
const SNIPPET_CONTEXT: usize = 80;

/// One document found by [`search`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    /// Rank, from 1.
    pub rank: usize,
    /// Id of the indexed document.
    pub id: String,
    /// Its title, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Its outlet or series, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    /// Its date, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Sum of the idf of the query words it contains.
    pub score: f64,
    /// Number of distinct query words it contains.
    pub matched: usize,
    /// The text around the first query word found in it (a single line).
    pub snippet: String,
}

/// Searches the index for `query_text`'s content words; returns at most
/// `top` documents, best first (ties by index order, so results are
/// deterministic).
pub fn search(reader: &IndexReader, query_text: &str, top: usize) -> Result<Vec<SearchHit>, IndexError> {
    let keys = fingerprint(query_text, None, reader.params()).words;
    if keys.is_empty() || top == 0 {
        return Ok(Vec::new());
    }
    let mut per_key: Vec<Vec<DocAddr>> = vec![Vec::new(); keys.len()];
    reader.postings(Table::Words, &keys, |k, a| per_key[k].push(a))?;
    let n = reader.num_docs() as f64;
    let mut scores: FxHashMap<DocAddr, (f64, usize)> = FxHashMap::default();
    for docs in &per_key {
        if docs.is_empty() {
            continue;
        }
        let idf = ((n + 1.0) / docs.len() as f64).ln();
        for &a in docs {
            let e = scores.entry(a).or_default();
            e.0 += idf;
            e.1 += 1;
        }
    }
    let mut ranked: Vec<(DocAddr, f64, usize)> = scores.into_iter().map(|(a, (s, m))| (a, s, m)).collect();
    ranked.sort_by(|x, y| y.1.total_cmp(&x.1).then(y.2.cmp(&x.2)).then(x.0.cmp(&y.0)));
    ranked.truncate(top);
    let mut hits = Vec::with_capacity(ranked.len());
    for (i, (addr, score, matched)) in ranked.into_iter().enumerate() {
        let doc = reader.doc(addr)?;
        let snippet = snippet(&doc.text, &keys);
        hits.push(SearchHit {
            rank: i + 1,
            id: doc.id,
            title: doc.title,
            series: doc.series,
            date: doc.date,
            score: (score * 1000.0).round() / 1000.0,
            matched,
            snippet,
        });
    }
    Ok(hits)
}

/// The text around the first token of `text` whose stored key is in `keys`
/// (sorted), on one line; the start of the text when none is found.
fn snippet(text: &str, keys: &[u64]) -> String {
    let hit = tokenize(text, None).into_iter().find(|t| keys.binary_search(&stored_key(t.key)).is_ok());
    let (start, end) = hit.map_or((0, 0), |t| (t.start as usize, t.end as usize));
    // Widen by characters, not bytes, so the cut never splits one.
    let before: usize = text.get(..start).unwrap_or("").chars().rev().take(SNIPPET_CONTEXT).map(char::len_utf8).sum();
    let after: usize = text.get(end..).unwrap_or("").chars().take(SNIPPET_CONTEXT).map(char::len_utf8).sum();
    let (from, to) = (start - before, end + after);
    let mut s = String::new();
    if from > 0 {
        s.push('…');
    }
    s.push_str(&text.get(from..to).unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" "));
    if to < text.len() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use stemma_index::{IndexOptions, IndexWriter};
    use stemma_text::Document;

    fn temp_index(name: &str, docs: &[(&str, &str)]) -> (std::path::PathBuf, IndexReader) {
        let dir = std::env::temp_dir().join(format!("stemma-search-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut w = IndexWriter::open(&dir, IndexOptions::default()).unwrap();
        for (id, text) in docs {
            w.add(Document::new(*id, *text)).unwrap();
        }
        w.commit().unwrap();
        let r = w.reader().clone();
        (dir, r)
    }

    #[test]
    fn rare_words_rank_first_and_function_words_are_ignored() {
        let (dir, r) = temp_index(
            "rank",
            &[
                ("a", "Le ministre Laurent Fabius a parlé des combattants étrangers à Paris."),
                ("b", "Les combattants étrangers rentrent en Europe, selon le rapport."),
                ("c", "La météo de demain à Paris sera ensoleillée."),
                ("d", "Les combattants et les ministres se sont réunis à Bruxelles."),
            ],
        );
        let hits = search(&r, "Fabius combattants", 10).unwrap();
        let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids[0], "a", "{hits:?}");
        assert_eq!(hits[0].matched, 2);
        assert_eq!(hits[0].rank, 1);
        assert!(ids.contains(&"b") && ids.contains(&"d") && !ids.contains(&"c"), "{ids:?}");
        assert!(hits[0].snippet.contains("Fabius"), "{}", hits[0].snippet);
        // Function words alone find nothing; the bound on results holds.
        assert!(search(&r, "les de la", 10).unwrap().is_empty());
        assert_eq!(search(&r, "combattants", 1).unwrap().len(), 1);
        assert!(search(&r, "", 10).unwrap().is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn accents_and_case_are_folded_like_the_index() {
        let (dir, r) = temp_index("fold", &[("x", "Un rapport sur l'État islamique et ses RÉSEAUX.")]);
        let hits = search(&r, "etat reseaux", 5).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].matched, 2);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn snippets_cut_on_characters_and_stay_on_one_line() {
        let text = format!("{}\nFabius dit\n{}", "é".repeat(200), "à".repeat(200));
        let keys = fingerprint("Fabius", None, stemma_index::Params { k: 4, window: 8 }).words;
        let s = snippet(&text, &keys);
        assert!(s.starts_with('…') && s.ends_with('…') && s.contains("Fabius dit") && !s.contains('\n'), "{s}");
    }
}
