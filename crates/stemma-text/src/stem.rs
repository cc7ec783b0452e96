//! Stemmed keys, for matching re-worded text ("exécuter" / "exécutés").
//!
//! Stems are computed on demand (the aligner's similarity stage needs them,
//! fingerprints do not) with the Snowball stemmers for the known languages.

use crate::fold::fold_char;
use crate::lang::Lang;
use crate::token::{word_key, Token, TokenKind};
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Name variants of one entity (Daesh / EIIL / EI / ISIS …), from
/// `data/aliases.tsv`: folded variant → canonical name.
fn aliases() -> &'static HashMap<String, String> {
    static MAP: OnceLock<HashMap<String, String>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut m = HashMap::new();
        for line in include_str!("../data/aliases.tsv").lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut fields = line.split('\t');
            let Some(canonical) = fields.next() else { continue };
            for v in fields {
                m.insert(v.trim().to_string(), canonical.to_string());
            }
        }
        m
    })
}

/// The canonical entity name of a word, when it is a known name variant.
/// Variants of three letters or fewer count only when written in capitals.
pub fn entity_alias(original: &str, folded: &str) -> Option<&'static str> {
    let canonical = aliases().get(folded)?;
    if folded.chars().count() <= 3 && !original.chars().all(|c| !c.is_lowercase()) {
        return None;
    }
    Some(canonical.as_str())
}

fn algorithm(lang: Lang) -> Algorithm {
    match lang {
        Lang::Fr => Algorithm::French,
        Lang::En => Algorithm::English,
        Lang::De => Algorithm::German,
        Lang::Es => Algorithm::Spanish,
        Lang::It => Algorithm::Italian,
        Lang::Pt => Algorithm::Portuguese,
        Lang::Nl => Algorithm::Dutch,
    }
}

/// One key per token: the key of the stem of its folded form for words (the
/// token's own key when the language is unknown), the token's key for
/// numbers. Known name variants of one entity share one key.
pub fn stem_keys(text: &str, tokens: &[Token], lang: Option<Lang>) -> Vec<u64> {
    let stemmer = lang.map(|l| Stemmer::create(algorithm(l)));
    let mut folded = String::with_capacity(32);
    // Words repeat (Zipf): each distinct form is stemmed once. Short words
    // written in capitals are kept apart, as they may be acronyms.
    let mut memo: FxHashMap<u64, u64> = FxHashMap::with_capacity_and_hasher(tokens.len() / 4 + 16, Default::default());
    tokens
        .iter()
        .map(|t| {
            if t.kind == TokenKind::Number {
                return t.key;
            }
            let original = t.as_str(text);
            let short_caps = original.len() <= 12 && !original.chars().any(char::is_lowercase);
            let memo_key = if short_caps { t.key.rotate_left(1) ^ 0x5bd1_e995 } else { t.key };
            if let Some(&k) = memo.get(&memo_key) {
                return k;
            }
            folded.clear();
            for c in original.chars() {
                fold_char(c, &mut |f| folded.push(f));
            }
            let k = if let Some(entity) = entity_alias(original, &folded) {
                word_key(&format!("@{entity}"))
            } else {
                match &stemmer {
                    Some(s) => word_key(&s.stem(&folded)),
                    None => t.key,
                }
            };
            memo.insert(memo_key, k);
            k
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::tokenize;

    #[test]
    fn entity_variants_share_a_key() {
        let text = "Daesh l'EIIL EI ISIS un ei";
        let toks = tokenize(text, Some(Lang::Fr));
        let keys = stem_keys(text, &toks, Some(Lang::Fr));
        // Daesh, EIIL, EI, ISIS: one entity; "un" and lower-case "ei" are not names.
        assert_eq!(keys[0], keys[2]);
        assert_eq!(keys[0], keys[3]);
        assert_eq!(keys[0], keys[4]);
        assert_ne!(keys[0], keys[5]);
        assert_ne!(keys[0], keys[6]);
    }

    #[test]
    fn inflections_share_a_stem() {
        let text = "exécuter exécutés combattants combattant";
        let toks = tokenize(text, Some(Lang::Fr));
        let keys = stem_keys(text, &toks, Some(Lang::Fr));
        assert_eq!(keys[2], keys[3]);
        assert_ne!(toks[2].key, toks[3].key);
    }
}
