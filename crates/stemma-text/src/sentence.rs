//! Sentence segmentation for French and English news and web text.
//!
//! Rules, in order of strength:
//! - a blank line (paragraph break) always ends a sentence, which also makes
//!   headline lines without final punctuation sentences of their own;
//! - a single line break ends a sentence too, unless the text is hard-wrapped
//!   (many line breaks fall inside sentences, as in e-texts wrapped at 70
//!   columns) or the next line starts in lower case;
//! - `.`, `!`, `?` and `…`, possibly followed by closing quotes or brackets,
//!   end a sentence when the next word starts with a capital, a digit, an
//!   opening quote or a dash; a `.` after an abbreviation ("M.", "Mme", "Dr",
//!   "p. ex.", "U.S.", "janv.") or an initial ("J.") does not;
//! - inside a quotation opened by « or “, sentence punctuation does not end
//!   the sentence, so a multi-sentence quotation stays one unit, up to a
//!   bound (a quotation left open by a typo must not swallow the text).

use crate::lang::Lang;

/// A sentence: a byte range of the original text, trimmed of surrounding spaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sentence {
    /// Byte offset of the first byte.
    pub start: u32,
    /// Byte offset just past the last byte.
    pub end: u32,
}

impl Sentence {
    /// The sentence's text.
    pub fn as_str<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start as usize..self.end as usize]
    }
    /// The byte range in the original text.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A quotation longer than this (in bytes) no longer suppresses sentence ends.
const MAX_QUOTE_SPAN: usize = 1200;

/// Abbreviations after which a period does not end a sentence (compared
/// case-sensitively for the capitalised titles, as written).
const ABBREVIATIONS: &[&str] = &[
    // French
    "M", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Dr", "Drs", "Pr", "Me", "Mgr", "St", "Ste", "cf", "ex", "env", "av",
    "apr", "janv", "févr", "fév", "avr", "juil", "sept", "oct", "nov", "déc", "vol", "chap", "art", "éd", "coll",
    "dir", "trad", "Inst", "Éd", "p", "pp", "n", "no", "N", "No", "Cie", "ann", "cit", // English
    "Mr", "Mrs", "Ms", "Prof", "Sr", "Jr", "Inc", "Ltd", "Co", "Corp", "vs", "e.g", "i.e", "Jan", "Feb", "Mar", "Apr",
    "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Gen", "Gov", "Sen", "Rep", "Lt", "Col", "Capt", "Sgt",
    "Mt", "Ave", "Fig", "fig", "approx", "Rev", "Hon", "Messrs", "Dept", "Univ",
];

fn is_abbreviation(word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    if ABBREVIATIONS.contains(&word) {
        return true;
    }
    // Initials: "J", and dotted acronyms: "U.S", "J.-C", "p.ex".
    let mut chars = word.chars();
    let first = chars.next();
    if chars.next().is_none() && first.is_some_and(char::is_uppercase) {
        return true;
    }
    word.contains('.')
        && word.split(['.', '-']).all(|part| part.chars().count() <= 2 && part.chars().all(char::is_alphabetic))
}

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '‼' | '⁇' | '⁈' | '⁉')
}

fn is_closing(c: char) -> bool {
    matches!(c, '»' | '”' | '"' | '’' | '\'' | ')' | ']' | '›')
}

fn is_opening_quote(c: char) -> bool {
    matches!(c, '«' | '“' | '"' | '‘' | '(' | '[' | '‹' | '„' | '-' | '–' | '—' | '¿' | '¡')
}

/// Whether single line breaks are soft (hard-wrapped text): among line
/// breaks that are not paragraph breaks, many are followed by a lower-case
/// letter.
fn single_newlines_are_soft(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut singles = 0u32;
    let mut continued = 0u32;
    let mut i = 0;
    while let Some(off) = bytes[i..].iter().position(|&b| b == b'\n') {
        let at = i + off;
        i = at + 1;
        let rest = &text[i..];
        let trimmed = rest.trim_start_matches([' ', '\t', '\r']);
        if trimmed.starts_with('\n') || trimmed.is_empty() {
            continue;
        }
        let prev = text[..at].trim_end_matches([' ', '\t', '\r']);
        if prev.is_empty() || prev.ends_with('\n') {
            continue;
        }
        singles += 1;
        if trimmed.chars().next().is_some_and(char::is_lowercase) {
            continued += 1;
        }
    }
    singles >= 4 && continued * 10 >= singles * 3
}

/// Splits `text` into sentences. Every returned range starts and ends on
/// character boundaries; together they cover every word of the text, in
/// order. Fragments without any letter or digit are attached to the
/// preceding sentence.
pub fn split_sentences(text: &str, _lang: Option<Lang>) -> Vec<Sentence> {
    let soft = single_newlines_are_soft(text);
    let mut cuts: Vec<usize> = Vec::new(); // byte offsets where a new sentence starts
    let mut quote_depth = 0u32;
    let mut quote_open_at = 0usize;
    let mut chars = text.char_indices().peekable();
    let mut prev_char: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        match c {
            '\n' => {
                let rest = &text[i + 1..];
                let trimmed = rest.trim_start_matches([' ', '\t', '\r']);
                let paragraph = trimmed.starts_with('\n');
                let next_lower = trimmed.chars().next().is_some_and(char::is_lowercase);
                if paragraph || (!soft && !next_lower) {
                    cuts.push(i + 1);
                    quote_depth = 0;
                }
            }
            '«' | '“' | '„' => {
                let next = text[i + c.len_utf8()..].chars().next();
                // A guillemet glued to the end of a word and followed by a
                // space or punctuation is being used as a closing mark.
                let used_as_closer = prev_char.is_some_and(|p| !p.is_whitespace())
                    && next.is_none_or(|n| n.is_whitespace() || is_terminal(n) || n == ',');
                if used_as_closer {
                    quote_depth = quote_depth.saturating_sub(1);
                } else {
                    if quote_depth == 0 {
                        quote_open_at = i;
                    }
                    quote_depth += 1;
                }
            }
            '»' | '”' => quote_depth = quote_depth.saturating_sub(1),
            c if is_terminal(c) => {
                // Extend over a run of terminal marks and closing marks.
                let mut end = i + c.len_utf8();
                let mut closes = 0u32;
                while let Some(&(j, d)) = chars.peek() {
                    if is_terminal(d) {
                        end = j + d.len_utf8();
                        chars.next();
                    } else if is_closing(d) || (d == ' ' && text[j + 1..].starts_with(['»', '”'])) {
                        if matches!(d, '»' | '”') {
                            closes += 1;
                        }
                        end = j + d.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                quote_depth = quote_depth.saturating_sub(closes);
                let rest = &text[end..];
                let after_space = rest.trim_start_matches([' ', '\t', '\u{a0}', '\u{202f}']);
                let had_space = after_space.len() < rest.len() || after_space.starts_with(['\n', '\r']);
                if !had_space && !rest.is_empty() {
                    prev_char = Some(c);
                    continue;
                }
                let next = after_space.trim_start_matches(['\n', '\r', ' ', '\t']).chars().next();
                let starts_sentence =
                    next.is_none_or(|n| n.is_uppercase() || n.is_ascii_digit() || is_opening_quote(n));
                if !starts_sentence {
                    prev_char = Some(c);
                    continue;
                }
                if c == '.' && end == i + 1 {
                    let word_start = text[..i]
                        .rfind(|ch: char| ch.is_whitespace() || matches!(ch, '(' | '«' | '"' | '“' | '\'' | '’'))
                        .map_or(0, |p| p + text[p..].chars().next().map_or(1, char::len_utf8));
                    if is_abbreviation(&text[word_start..i]) {
                        prev_char = Some(c);
                        continue;
                    }
                }
                if quote_depth > 0 && i - quote_open_at < MAX_QUOTE_SPAN {
                    prev_char = Some(c);
                    continue;
                }
                if quote_depth > 0 {
                    quote_depth = 0;
                }
                cuts.push(end);
            }
            _ => {}
        }
        prev_char = Some(c);
    }
    let mut sentences: Vec<Sentence> = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0usize;
    cuts.push(text.len());
    for cut in cuts {
        if cut <= start {
            continue;
        }
        let piece = &text[start..cut];
        let lead = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            let s = start + lead;
            let e = s + trimmed.len();
            let has_word = trimmed.chars().any(char::is_alphanumeric);
            match sentences.last_mut() {
                Some(prev) if !has_word => prev.end = e as u32,
                _ => sentences.push(Sentence { start: s as u32, end: e as u32 }),
            }
        }
        start = cut;
    }
    sentences
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        split_sentences(text, None).iter().map(|s| s.as_str(text)).collect()
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        assert_eq!(
            split("M. Dupont est arrivé. Mme Durand aussi, p. ex. hier. Le Dr Who part."),
            ["M. Dupont est arrivé.", "Mme Durand aussi, p. ex. hier.", "Le Dr Who part."]
        );
        assert_eq!(
            split("The U.S. Army left. John F. Kennedy spoke."),
            ["The U.S. Army left.", "John F. Kennedy spoke."]
        );
        assert_eq!(
            split("It moves from 2.2 to 3.1. In Q1 it follows."),
            ["It moves from 2.2 to 3.1.", "In Q1 it follows."]
        );
    }

    #[test]
    fn quotations_span_sentences() {
        let t = "« Ils ne sont pas tous devenus démocrates. Certains ont commis des crimes », écrit-il. Puis il part.";
        assert_eq!(
            split(t),
            ["« Ils ne sont pas tous devenus démocrates. Certains ont commis des crimes », écrit-il.", "Puis il part."]
        );
        let t2 = "Il a dit : « Je pars. » Ensuite il est parti.";
        assert_eq!(split(t2), ["Il a dit : « Je pars. »", "Ensuite il est parti."]);
    }

    #[test]
    fn headlines_without_punctuation() {
        let t =
            "Irak : Daesh en chute\n\nDéfections dans les rangs.\n\n244 retours en France\n\nSelon lui, tout va bien.";
        assert_eq!(
            split(t),
            [
                "Irak : Daesh en chute",
                "Défections dans les rangs.",
                "244 retours en France",
                "Selon lui, tout va bien."
            ]
        );
    }

    #[test]
    fn hard_wrapped_text_joins_lines() {
        let t = "It was the best of times, it was\nthe worst of times, it was the age\nof wisdom. It was the age of\nfoolishness, it was the epoch\nof belief.\n\nA new paragraph.";
        let s = split(t);
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(s[0].ends_with("age\nof wisdom."));
    }

    #[test]
    fn stray_punctuation_attaches_to_previous() {
        assert_eq!(split("Champs obligatoires *\n\n*"), ["Champs obligatoires *\n\n*"]);
    }
}
