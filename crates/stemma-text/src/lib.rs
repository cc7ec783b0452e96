//! stemma's text model.
//!
//! A [`Document`] keeps its original text untouched; everything derived from
//! it (folded text, tokens, sentences) carries byte ranges into that original,
//! so any result can be highlighted in the text the user gave.
//!
//! - [`fold`]: case, accent and typography folding with an offset map;
//! - [`number`]: numbers as comparable values ("283 000" = "283'000");
//! - [`token`]: words and numbers, French elision;
//! - [`sentence`]: sentence segmentation for French and English;
//! - [`lang`]: language identification and function words;
//! - [`stem`]: stemmed keys for matching re-worded text;
//! - [`date`]: metadata dates as day numbers.
//!
//! This crate does no I/O.

#![warn(missing_docs)]

pub mod date;
pub mod fold;
pub mod lang;
pub mod number;
pub mod sentence;
pub mod stem;
pub mod token;

pub use fold::{fold_char, fold_str, Normalized};
pub use lang::{
    detect_language, detect_language_of_masks, detect_language_of_tokens, is_stopword, is_stopword_key,
    is_stopword_mask, stopword_languages, Lang,
};
pub use number::{scan_number, DecimalStyle, ScannedNumber};
pub use sentence::{split_sentences, Sentence};
pub use stem::{entity_alias, stem_keys};
pub use token::{number_key, tokenize, word_key, Token, TokenKind};

use serde::{Deserialize, Serialize};
use std::ops::Range;

/// A version of a text, with its metadata.
///
/// Field names follow passim's (`id`, `text`, `series`) plus the usual news
/// metadata; any other field of the input is kept verbatim in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Identifier, unique within a collection.
    pub id: String,
    /// The original text, exactly as read (after decoding to UTF-8).
    pub text: String,
    /// Headline or title, when the source gives one separately from the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Where the document was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publication date as given by the source (ISO 8601 preferred).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The outlet or series the document belongs to (passim's `series`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    /// Language code (ISO 639-1), given or identified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Every other field of the input record, kept verbatim.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Document {
    /// A document with just an id and a text.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Document { id: id.into(), text: text.into(), ..Default::default() }
    }
}

/// Everything the engine derives from one text, with byte ranges into it.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// The language used for numbers, elision and function words.
    pub lang: Option<Lang>,
    /// Words and numbers, in order.
    pub tokens: Vec<Token>,
    /// Sentences, in order.
    pub sentences: Vec<Sentence>,
    /// For each sentence, the range of `tokens` it holds.
    pub sentence_tokens: Vec<Range<u32>>,
}

impl Analysis {
    /// Analyzes `text`; when `lang` is `None` it is identified from the text.
    pub fn new(text: &str, lang: Option<Lang>) -> Self {
        let lang = lang.or_else(|| detect_language(text));
        let tokens = tokenize(text, lang);
        let sentences = split_sentences(text, lang);
        let sentence_tokens = assign_tokens(&tokens, &sentences);
        Analysis { lang, tokens, sentences, sentence_tokens }
    }

    /// The index of the sentence holding token `t`.
    pub fn sentence_of(&self, t: usize) -> usize {
        self.sentence_tokens.partition_point(|r| r.end as usize <= t)
    }
}

/// Token ranges per sentence. Sentences cover every token (they only trim
/// spaces), so each token falls in exactly one sentence.
fn assign_tokens(tokens: &[Token], sentences: &[Sentence]) -> Vec<Range<u32>> {
    let mut out = Vec::with_capacity(sentences.len());
    let mut t = 0usize;
    for s in sentences {
        let first = t;
        while t < tokens.len() && tokens[t].start < s.end {
            t += 1;
        }
        out.push(first as u32..t as u32);
    }
    if let Some(last) = out.last_mut() {
        last.end = tokens.len() as u32;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analysis_assigns_every_token_to_its_sentence() {
        let text = "Irak : Daesh en chute\n\nLes défections se multiplient dans les rangs de l'organisation. 244 retours en France.";
        let a = Analysis::new(text, None);
        assert_eq!(a.lang, Some(Lang::Fr));
        assert_eq!(a.sentences.len(), 3);
        for (s, r) in a.sentences.iter().zip(&a.sentence_tokens) {
            for t in &a.tokens[r.start as usize..r.end as usize] {
                assert!(t.start >= s.start && t.end <= s.end);
            }
        }
        assert_eq!(a.sentence_of(0), 0);
        assert_eq!(a.sentence_of(a.tokens.len() - 1), 2);
    }
}
