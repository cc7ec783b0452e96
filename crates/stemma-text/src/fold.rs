//! Character folding for matching, and a normalized view of a text that keeps
//! its way back to the original bytes.
//!
//! Matching must not care about case, accents, typographic quotes or the
//! width of a space, but every result must still point into the original
//! text. Folding is therefore done one original character at a time: each
//! character folds to zero or more characters, and every folded character
//! remembers the byte offset of the original character it came from.
//! Folding one character at a time is equivalent to folding the whole string
//! for our purposes because accents are dropped, so canonical composition
//! across characters never changes the outcome.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Folds one character for matching and passes the folded characters to `out`.
///
/// Lower-cases, removes accents (compatibility decomposition, then combining
/// marks dropped), expands ligatures (œ → oe, æ → ae, ß → ss, ﬁ → fi), and
/// unifies typographic variants: every apostrophe becomes `'`, every double
/// quote or guillemet becomes `"`, every dash becomes `-`, every space
/// (no-break, narrow, thin, ideographic) becomes ` `.
#[inline]
pub fn fold_char(c: char, out: &mut impl FnMut(char)) {
    if c.is_ascii() {
        out(c.to_ascii_lowercase());
        return;
    }
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{02BC}' | '\u{2032}' | '\u{00B4}' | '\u{FF07}' => out('\''),
        '\u{00AB}' | '\u{00BB}' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2039}' | '\u{203A}'
        | '\u{2033}' | '\u{FF02}' => out('"'),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2212}' | '\u{FE58}'
        | '\u{FE63}' | '\u{FF0D}' => out('-'),
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => out(' '),
        // Zero-width characters and soft hyphens carry nothing for matching.
        '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => {}
        'œ' | 'Œ' => {
            out('o');
            out('e')
        }
        'æ' | 'Æ' => {
            out('a');
            out('e')
        }
        'ß' | 'ẞ' => {
            out('s');
            out('s')
        }
        'ø' | 'Ø' => out('o'),
        'đ' | 'Đ' => out('d'),
        'ł' | 'Ł' => out('l'),
        'ı' => out('i'),
        _ => decompose_compatible(c, |d| {
            if !is_combining_mark(d) {
                for l in d.to_lowercase() {
                    out(l);
                }
            }
        }),
    }
}

/// A folded copy of a text with a map back to the original bytes.
///
/// `text` is the folded text (see [`fold_char`]); for every byte of `text`,
/// the map holds the byte offset in the original of the character that byte
/// came from, so any range of the folded text can be turned back into a range
/// of the original with [`Normalized::to_original`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// The folded text.
    pub text: String,
    /// `origin[i]` is the original byte offset for folded byte `i`; one extra
    /// entry at the end holds the original length.
    origin: Vec<u32>,
}

impl Normalized {
    /// Folds `original` character by character.
    pub fn new(original: &str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len() + 1);
        for (at, c) in original.char_indices() {
            fold_char(c, &mut |f| {
                text.push(f);
                for _ in 0..f.len_utf8() {
                    origin.push(at as u32);
                }
            });
        }
        origin.push(original.len() as u32);
        Normalized { text, origin }
    }

    /// Maps a byte range of the folded text to the smallest range of the
    /// original text that produced it. The result always lies on character
    /// boundaries of the original.
    pub fn to_original(&self, original: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let start = self.origin[range.start.min(self.text.len())] as usize;
        if range.end <= range.start {
            return start..start;
        }
        // The last folded byte belongs to some original character; the range
        // ends after that character.
        let last = self.origin[(range.end - 1).min(self.text.len().saturating_sub(1))] as usize;
        let end = original[last..].chars().next().map_or(original.len(), |c| last + c.len_utf8());
        start..end
    }
}

/// Folds a whole string (convenience for keys and look-ups).
pub fn fold_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, &mut |f| out.push(f));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_typography() {
        assert_eq!(fold_str("Élysée « Œuvre » – l’État"), "elysee \" oeuvre \" - l'etat");
        assert_eq!(fold_str("283\u{202F}000"), "283 000");
        assert_eq!(fold_str("ﬁnance STRASSE Straße"), "finance strasse strasse");
    }

    #[test]
    fn maps_back_to_original_bytes() {
        let original = "L’Œuvre « été »";
        let n = Normalized::new(original);
        let at = n.text.find("oeuvre").unwrap();
        let back = n.to_original(original, at..at + "oeuvre".len());
        assert_eq!(&original[back], "Œuvre");
        let at = n.text.find("ete").unwrap();
        let back = n.to_original(original, at..at + 3);
        assert_eq!(&original[back], "été");
    }
}
