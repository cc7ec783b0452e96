//! Paragraphs, page furniture and the headline.
//!
//! **Paragraphs** are separated by blank lines, and by single line breaks
//! unless the text is hard-wrapped (many line breaks followed by a
//! lower-case letter, as in e-texts wrapped at 70 columns; the same test as
//! stemma-text's sentence splitter). Quotations never span paragraphs, and a
//! quotation continues its speaker only inside one paragraph.
//!
//! **Furniture** is a short line starting with a phrase of
//! `data/furniture.txt` ("Partager", "Lire aussi", "Les champs obligatoires
//! sont indiqués avec"); a comment-area marker ("Laisser un commentaire",
//! "Leave a reply", "Commentaires") in the second half of the text makes
//! everything from it to the end furniture (the comment form, and readers'
//! comments, are not the article's claims). Lines with no letter or digit
//! are left alone: they hold no claim anyway.
//!
//! **Headline**: the leading paragraphs that are short (at most 100
//! characters, or at most 250 characters without a final stop, which is
//! how standfirsts are written; the first, a title, may end with a
//! question, an ellipsis or a quotation), before the first long paragraph;
//! at most six of them. When no long paragraph follows, there is no body to check a
//! headline against and the headline is empty; so is it when the text
//! starts with a long paragraph (a dispatch without a title).

use crate::{gazetteer, Ctx};
use std::ops::Range;
use stemma_text::fold_str;

/// Paragraph byte ranges, trimmed of surrounding white space, in order.
pub fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let soft = newlines_are_soft(text);
    let mut out = Vec::new();
    let mut start = 0usize;
    let bytes = text.as_bytes();
    let mut i = 0usize;
    while let Some(off) = bytes[i..].iter().position(|&b| b == b'\n') {
        let at = i + off;
        i = at + 1;
        let rest = &text[i..];
        let trimmed = rest.trim_start_matches([' ', '\t', '\r']);
        let blank = trimmed.starts_with('\n') || trimmed.is_empty();
        if blank || !soft {
            push_trimmed(text, start..at, &mut out);
            start = i;
        }
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

fn push_trimmed(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let piece = &text[r.clone()];
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if !trimmed.is_empty() {
        let s = r.start + lead;
        out.push(s..s + trimmed.len());
    }
}

/// Whether single line breaks fall inside sentences (hard-wrapped text):
/// among line breaks that are not paragraph breaks, at least 30 % are
/// followed by a lower-case letter (and there are at least four).
fn newlines_are_soft(text: &str) -> bool {
    let mut singles = 0u32;
    let mut continued = 0u32;
    let bytes = text.as_bytes();
    let mut i = 0usize;
    while let Some(off) = bytes[i..].iter().position(|&b| b == b'\n') {
        let at = i + off;
        i = at + 1;
        let trimmed = text[i..].trim_start_matches([' ', '\t', '\r']);
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

/// A line folded and reduced to letters, digits and single spaces.
fn simplified(line: &str) -> String {
    let folded = fold_str(line);
    let mut out = String::with_capacity(folded.len());
    for w in folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Whether a simplified line starts with a furniture phrase. A one-word
/// comment-area marker ("commentaires") must be the whole line, give or
/// take a count, as the word also starts ordinary sentences.
fn starts_with_phrase(line: &str, phrase: &str, tail: bool) -> bool {
    let Some(rest) = line.strip_prefix(phrase) else { return false };
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return false;
    }
    let one_word_marker = tail && !phrase.contains(' ');
    !one_word_marker || rest.chars().all(|c| c == ' ' || c.is_ascii_digit())
}

/// Furniture byte ranges (see the module documentation), in order.
pub fn furniture(text: &str, paragraphs: &[Range<usize>]) -> Vec<Range<usize>> {
    let g = gazetteer::get();
    let mut out: Vec<Range<usize>> = Vec::new();
    for p in paragraphs {
        // A paragraph of several lines (hard-wrapped text) is judged by
        // its first line.
        let line = text[p.clone()].lines().next().unwrap_or_default();
        if line.chars().count() > 160 {
            continue;
        }
        let s = simplified(line);
        if s.is_empty() {
            continue;
        }
        let second_half = p.start * 2 >= text.len();
        for &(phrase, tail) in &g.furniture {
            if !starts_with_phrase(&s, phrase, tail) {
                continue;
            }
            if tail && second_half && line.chars().count() <= 100 {
                out.push(p.start..text.len());
                return out;
            }
            if !tail {
                out.push(p.clone());
                break;
            }
        }
    }
    out
}

/// Whether a line ends with sentence punctuation (possibly followed by
/// closing quotes or brackets).
/// The line without the closing marks and spaces that may follow its last
/// word.
fn before_closing_marks(line: &str) -> &str {
    line.trim_end().trim_end_matches(['»', '”', '"', '’', '\'', ')', ']', ' ', '\u{a0}', '\u{202f}'])
}

fn ends_with_stop(line: &str) -> bool {
    before_closing_marks(line).ends_with(['.', '!', '?', '…'])
}

/// A final full stop (not an ellipsis): how a lead sentence ends, and a
/// title seldom does.
fn ends_with_full_stop(line: &str) -> bool {
    let t = before_closing_marks(line);
    t.ends_with('.') && !t.ends_with("..")
}

fn is_short_line(line: &str) -> bool {
    let n = line.chars().count();
    n <= 100 || (n <= 250 && !ends_with_stop(line))
}

/// The headline byte range and its sentence indices (see the module
/// documentation).
pub(crate) fn headline(ctx: &Ctx) -> (Range<usize>, Range<usize>) {
    const MAX_LINES: usize = 6;
    let mut end = None;
    let mut body_follows = false;
    for (i, p) in ctx.paragraphs.iter().enumerate() {
        if ctx.in_furniture(p.start) {
            break;
        }
        let para = &ctx.text[p.clone()];
        // A paragraph of several lines (hard-wrapped) is not a headline. The
        // first line is the title when it is short, or of standfirst length
        // and not ended by a full stop: titles end with a question, an
        // ellipsis or a quotation as often as with nothing.
        let title = i == 0 && para.chars().count() <= 250 && !ends_with_full_stop(para);
        if para.contains('\n') || !(is_short_line(para) || title) {
            body_follows = i > 0;
            break;
        }
        if i >= MAX_LINES {
            break;
        }
        end = Some(i);
    }
    match (end, body_follows) {
        (Some(last), true) => {
            let r = ctx.paragraphs[0].start..ctx.paragraphs[last].end;
            let sents = &ctx.an.sentences;
            let a = sents.partition_point(|s| (s.end as usize) <= r.start);
            let b = sents.partition_point(|s| (s.start as usize) < r.end);
            (r, a..b.max(a))
        }
        _ => (0..0, 0..0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_by_line_and_blank_line() {
        let t = "Titre\n\nUn paragraphe.\nUn autre.\n";
        let p: Vec<&str> = paragraphs(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(p, ["Titre", "Un paragraphe.", "Un autre."]);
    }

    #[test]
    fn comment_form_is_furniture() {
        let t = "Un article assez long pour que le formulaire soit dans la seconde moitié du texte.\n\nLaisser un commentaire\n\nVotre adresse e-mail ne sera pas publiée.";
        let p = paragraphs(t);
        let f = furniture(t, &p);
        assert_eq!(f.len(), 1);
        assert!(t[f[0].clone()].starts_with("Laisser un commentaire"));
        assert_eq!(f[0].end, t.len());
    }

    #[test]
    fn a_long_title_ending_with_a_quotation_is_the_headline_and_a_lead_sentence_is_not() {
        let body = "Le gouvernement a présenté mardi un plan de mesures pour le pouvoir d'achat, \
                    qui doit être voté avant la fin de l'année par le Parlement, selon plusieurs sources.";
        let title = "36 € net en plus sur votre salaire dès janvier ? \"Oui, mais cela ne reflète pas le pouvoir d'achat réel…\"";
        assert!(title.chars().count() > 100);
        let t = format!("{title}\n\nPour durer, s'organiser\n\n{body}\n\n{body}");
        let c = crate::extract_text(&t);
        assert_eq!(&t[c.headline.clone()], format!("{title}\n\nPour durer, s'organiser"));
        // A one-sentence lead of more than 100 characters, ended by a full
        // stop, opens the body: there is no headline.
        let lead = "Les gilets jaunes ont de nouveau manifesté samedi dans plusieurs villes de France, \
                    à l'appel de plusieurs de leurs figures.";
        let t = format!("{lead}\n\nPour durer, s'organiser\n\n{body}\n\n{body}");
        assert!(crate::extract_text(&t).headline.is_empty());
    }

    #[test]
    fn commentaires_must_be_the_whole_line() {
        assert!(starts_with_phrase("commentaires 3", "commentaires", true));
        assert!(!starts_with_phrase("commentaires de l expert", "commentaires", true));
        assert!(starts_with_phrase("lire aussi notre enquete", "lire aussi", false));
        assert!(starts_with_phrase("partager sur facebook", "partager", false));
    }
}
