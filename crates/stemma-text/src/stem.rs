//! Stemmed keys, for matching re-worded text ("exécuter" / "exécutés").
//!
//! Stems are computed on demand (the aligner's similarity stage needs them,
//! fingerprints do not) with the Snowball stemmers for the known languages.

use crate::fold::fold_char;
use crate::lang::Lang;
use crate::token::{word_key, Token, TokenKind};
use rust_stemmers::{Algorithm, Stemmer};

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
/// token's own key when the language is unknown), the token's key for numbers.
pub fn stem_keys(text: &str, tokens: &[Token], lang: Option<Lang>) -> Vec<u64> {
    let stemmer = lang.map(|l| Stemmer::create(algorithm(l)));
    let mut folded = String::with_capacity(32);
    tokens
        .iter()
        .map(|t| match (&stemmer, t.kind) {
            (Some(s), TokenKind::Word) => {
                folded.clear();
                for c in t.as_str(text).chars() {
                    fold_char(c, &mut |f| folded.push(f));
                }
                word_key(&s.stem(&folded))
            }
            _ => t.key,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::tokenize;

    #[test]
    fn inflections_share_a_stem() {
        let text = "exécuter exécutés combattants combattant";
        let toks = tokenize(text, Some(Lang::Fr));
        let keys = stem_keys(text, &toks, Some(Lang::Fr));
        assert_eq!(keys[2], keys[3]);
        assert_ne!(toks[2].key, toks[3].key);
    }
}
