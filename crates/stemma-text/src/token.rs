//! Tokens: words and numbers with their byte ranges in the original text.
//!
//! Punctuation and spaces are not tokens: re-punctuation is not a change of
//! content. Hyphens split words ("syro-irakienne" → "syro", "irakienne") so
//! that hyphenated and spaced spellings match. French elision splits off its
//! article ("l'EIIL" → "l'", "EIIL"; "qu'il" → "qu'", "il") while words such as
//! "aujourd'hui" or "King's" stay whole. Numbers are read with the language's
//! decimal convention and keyed by their canonical value, so "283 000" and
//! "283'000" are the same token.

use crate::fold::fold_char;
use crate::lang::{decimal_style, Lang};
use crate::number::scan_number;
use unicode_normalization::char::is_combining_mark;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A word (letters, possibly with digits, e.g. "G7", "1er").
    Word,
    /// A number, keyed by its canonical value.
    Number,
}

/// A word or number of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Token {
    /// Byte offset of the first byte in the original text.
    pub start: u32,
    /// Byte offset just past the last byte in the original text.
    pub end: u32,
    /// Word or number.
    pub kind: TokenKind,
    /// Stable 64-bit key of the folded form (or of the canonical number);
    /// equal keys mean equal tokens for matching. Stable across runs,
    /// platforms and versions (xxh3), so it may be persisted.
    pub key: u64,
}

impl Token {
    /// The token's bytes in the original text.
    pub fn as_str<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start as usize..self.end as usize]
    }

    /// The byte range in the original text.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Seed separating number keys from word keys.
const NUMBER_SEED: u64 = 0x6e75_6d62_6572;

/// The key of a canonical number string, as used for number tokens.
pub fn number_key(canonical: &str) -> u64 {
    xxh3_64_with_seed(canonical.as_bytes(), NUMBER_SEED)
}

/// The key of an already folded word, as used for word tokens.
pub fn word_key(folded: &str) -> u64 {
    xxh3_64(folded.as_bytes())
}

/// French elided articles and conjunctions (folded, without the apostrophe).
fn is_elision(folded: &str) -> bool {
    matches!(
        folded,
        "l" | "d" | "j" | "m" | "n" | "s" | "t" | "c" | "qu" | "jusqu" | "lorsqu" | "puisqu" | "quoiqu" | "presqu"
    )
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || (!c.is_ascii() && is_combining_mark(c))
}

/// Splits `text` into tokens. `lang` chooses the decimal convention and
/// whether French elision is split (it is for French and for unknown
/// languages).
pub fn tokenize(text: &str, lang: Option<Lang>) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 6);
    tokenize_into(text, lang, &mut out);
    out
}

/// Like [`tokenize`], appending to `out` (to reuse its allocation).
pub fn tokenize_into(text: &str, lang: Option<Lang>, out: &mut Vec<Token>) {
    let style = decimal_style(lang);
    let split_elision = matches!(lang, None | Some(Lang::Fr));
    let bytes = text.as_bytes();
    let mut folded = String::with_capacity(64);
    let mut i = 0usize;
    while i < bytes.len() {
        let b = bytes[i];
        // ASCII fast path for skipping separators.
        if b < 0x80 && !b.is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let Some(c) = text[i..].chars().next() else { break };
        if b.is_ascii_digit() {
            if let Some(n) = scan_number(text, i, style) {
                let next_is_letter = text[n.end..].chars().next().is_some_and(char::is_alphabetic);
                if !next_is_letter {
                    out.push(Token {
                        start: i as u32,
                        end: n.end as u32,
                        kind: TokenKind::Number,
                        key: number_key(&n.canonical),
                    });
                    i = n.end;
                    continue;
                }
            }
        } else if !is_word_char(c) {
            i += c.len_utf8();
            continue;
        }
        // A word, possibly starting with digits ("1er", "10h30").
        let mut start = i;
        folded.clear();
        let mut j = i;
        while j < bytes.len() {
            let Some(c) = text[j..].chars().next() else { break };
            if is_word_char(c) {
                fold_char(c, &mut |f| folded.push(f));
                j += c.len_utf8();
            } else if is_apostrophe(c) && !folded.is_empty() {
                let after = j + c.len_utf8();
                let next_is_letter = text[after..].chars().next().is_some_and(char::is_alphabetic);
                if !next_is_letter {
                    break;
                }
                if split_elision && is_elision(&folded) {
                    folded.push('\'');
                    out.push(Token {
                        start: start as u32,
                        end: after as u32,
                        kind: TokenKind::Word,
                        key: word_key(&folded),
                    });
                    folded.clear();
                    start = after;
                } else {
                    folded.push('\'');
                }
                j = after;
            } else {
                break;
            }
        }
        if !folded.is_empty() {
            out.push(Token { start: start as u32, end: j as u32, kind: TokenKind::Word, key: word_key(&folded) });
        }
        i = j.max(i + 1);
        while i < bytes.len() && !text.is_char_boundary(i) {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fold::fold_str;

    fn forms(text: &str, lang: Option<Lang>) -> Vec<String> {
        tokenize(text, lang).iter().map(|t| fold_str(t.as_str(text))).collect()
    }

    #[test]
    fn splits_french_elision_but_not_aujourdhui() {
        assert_eq!(forms("l’EIIL qu'il aujourd'hui", Some(Lang::Fr)), ["l'", "eiil", "qu'", "il", "aujourd'hui"]);
        assert_eq!(forms("King's College", Some(Lang::En)), ["king's", "college"]);
    }

    #[test]
    fn numbers_are_values() {
        let a = tokenize("Plus de 283 000 gilets", Some(Lang::Fr));
        let b = tokenize("Près de 283'000 gilets", Some(Lang::Fr));
        assert_eq!(a[2].kind, TokenKind::Number);
        assert_eq!(a[2].key, b[2].key);
        assert_eq!(a[2].as_str("Plus de 283 000 gilets"), "283 000");
        let fr = tokenize("1,5 million", Some(Lang::Fr));
        let en = tokenize("1.5 million", Some(Lang::En));
        assert_eq!(fr[0].key, en[0].key);
    }

    #[test]
    fn words_with_digits_and_hyphens() {
        assert_eq!(forms("le 1er mai, syro-irakienne, G7", None), ["le", "1er", "mai", "syro", "irakienne", "g7"]);
        assert_eq!(forms("a-t-il dit", None), ["a", "t", "il", "dit"]);
    }

    #[test]
    fn ranges_point_into_the_original() {
        let text = "« Daesh » — l’État, 244 retours.";
        for t in tokenize(text, Some(Lang::Fr)) {
            assert!(text.is_char_boundary(t.start as usize) && text.is_char_boundary(t.end as usize));
        }
        let toks = tokenize(text, Some(Lang::Fr));
        assert_eq!(toks[1].as_str(text), "l’");
        assert_eq!(toks[2].as_str(text), "État");
    }
}
