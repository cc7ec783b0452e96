//! Claims extracted from one text: quotations and who said them, numbers
//! with their unit, hedge and what they count, dates, and names of people,
//! organisations and places; plus where the headline is and which lines are
//! page furniture.
//!
//! This crate only *extracts*; comparing the claims of the versions of a
//! story (corroborated, altered, unsupported) is done downstream. Every
//! claim carries byte ranges into the original text, always on character
//! boundaries, so that `&text[span]` is exactly what the claim names.
//!
//! # Approach
//!
//! Everything is rules and small word lists written for this crate
//! (`data/`: places, organisations, first names, titles, organisation cues,
//! page-furniture phrases); no model is downloaded or run. The steps, in
//! order, each using what the previous ones found:
//!
//! 1. [`layout`]: paragraphs, page furniture (comment forms, share buttons:
//!    nothing inside is a claim) and the headline (the leading short lines
//!    before the first long paragraph).
//! 2. [`quotes`]: quotation marks paired with a stack (« », “ ”, „ “, " ",
//!    ‘ ’, and ' ' inside another quotation), nested and multi-sentence
//!    quotations, a « glued to the end of a word used as a closing mark;
//!    quoted proper names (« l'Etat islamique ») are told apart as terms;
//!    unquoted statements with a parenthesised speaker at the end of a
//!    sentence ("…, ils font du bon boulot (Fabius).") are found once the
//!    names are known (the parenthesis must hold a person's name).
//! 3. [`dates`]: day, month, year, weekday and qualifiers ("mi-mai",
//!    "early June"), numeric and ISO dates, years, relative dates.
//! 4. [`names`]: gazetteer matches (longest first) and capitalised
//!    sequences with particles, titles stripped, sentence-initial words
//!    filtered; each name gets a kind and a canonical key.
//! 5. [`attribution`]: the speaker of each quotation, from French and
//!    English reporting patterns around it, the antecedent of a pronoun,
//!    or the previous quotation of the same paragraph; each speaker records
//!    the pattern that found it ([`Attribution`]).
//! 6. [`numbers`]: numbers (digits or words, and vague quantities such as
//!    "des dizaines de"), with multiplier, unit, hedge and counted noun.
//!
//! ```
//! let text = "« Nous partons », a déclaré Jean Dupont, devant 200 personnes.";
//! let claims = stemma_claims::extract_text(text);
//! let q = &claims.quotes[0];
//! assert_eq!(&text[q.inner.clone()], "Nous partons");
//! let s = q.speaker.as_ref().unwrap();
//! assert_eq!((s.name.as_str(), s.method), ("Jean Dupont", stemma_claims::Attribution::VerbSpeaker));
//! let n = &claims.numbers[0];
//! assert_eq!((n.value, n.counts.as_ref().unwrap().key.as_str()), (Some(200.0), "personnes"));
//! ```
//!
//! # Limits
//!
//! These are heuristics tuned on French and English news. Known misses are
//! listed in each module's documentation; the main ones: a speaker is only
//! found within the sentence of its quotation (or by a pronoun's antecedent
//! or a continuation inside one paragraph); quotations do not span
//! paragraphs; straight single quotes are only read inside another
//! quotation (elsewhere they are too often apostrophes); name kinds rely on
//! the word lists, so an unknown single capitalised word stays
//! [`NameKind::Unknown`]; the counted noun is the first content word after
//! the number, which suits French better than English adjective-noun order.

#![warn(missing_docs)]

pub mod attribution;
pub mod dates;
mod gazetteer;
pub mod layout;
pub mod names;
pub mod numbers;
pub mod quotes;

use serde::Serialize;
use std::ops::Range;
use stemma_text::{fold_str, Analysis, Lang, TokenKind};

pub use attribution::{Attribution, Speaker};
pub use dates::DateClaim;
pub use names::{Name, NameKind};
pub use numbers::{Counted, Hedge, HedgeKind, NumberClaim, NumberForm, Unit};
pub use quotes::{Marks, Quote, QuoteKind};

/// Everything claimed by one text.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Claims {
    /// Quotations, quoted terms and attributed statements, in text order.
    pub quotes: Vec<Quote>,
    /// Numbers (not dates, times or ordinals), in text order.
    pub numbers: Vec<NumberClaim>,
    /// Dates, in text order.
    pub dates: Vec<DateClaim>,
    /// Names of people, organisations and places, in text order.
    pub names: Vec<Name>,
    /// Bytes of the headline and standfirst lines (the leading short lines
    /// before the first long paragraph); empty when the text starts with a
    /// long paragraph or has no body after its short lines.
    pub headline: Range<usize>,
    /// Indices (into `Analysis::sentences`) of the sentences in `headline`.
    pub headline_sentences: Range<usize>,
    /// Byte ranges of page furniture (comment forms, share and subscribe
    /// lines); no claim is taken from them.
    pub furniture: Vec<Range<usize>>,
}

impl Claims {
    /// Whether a byte range starts inside the headline.
    pub fn in_headline(&self, span: &Range<usize>) -> bool {
        self.headline.start <= span.start && span.start < self.headline.end
    }

    /// Every byte range held by any claim (spans, inner spans, speakers,
    /// cues, units, hedges, counted nouns, headline, furniture), for
    /// highlighting or checking.
    pub fn all_spans(&self) -> Vec<Range<usize>> {
        let mut out = vec![self.headline.clone()];
        out.extend(self.furniture.iter().cloned());
        for q in &self.quotes {
            out.push(q.span.clone());
            out.push(q.inner.clone());
            if let Some(s) = &q.speaker {
                out.push(s.span.clone());
                out.extend(s.cue.clone());
            }
        }
        for n in &self.numbers {
            out.push(n.span.clone());
            out.push(n.number.clone());
            out.extend(n.unit.as_ref().map(|u| u.span.clone()));
            out.extend(n.hedge.as_ref().map(|h| h.span.clone()));
            out.extend(n.counts.as_ref().map(|c| c.span.clone()));
        }
        out.extend(self.dates.iter().map(|d| d.span.clone()));
        out.extend(self.names.iter().map(|n| n.span.clone()));
        out
    }
}

/// Extracts the claims of `text`, analysed as `analysis`
/// (`Analysis::new(text, None)` or with a known language).
///
/// An analysis whose ranges do not fit `text` (made for another text) is
/// recomputed rather than trusted, so any input is safe.
pub fn extract(text: &str, analysis: &Analysis) -> Claims {
    let fitted;
    let an = if analysis_fits(text, analysis) {
        analysis
    } else {
        fitted = Analysis::new(text, analysis.lang);
        &fitted
    };
    let ctx = Ctx::new(text, an);
    let (headline, headline_sentences) = layout::headline(&ctx);
    let mut quotes = quotes::find_quotes(&ctx);
    let dates = dates::find_dates(&ctx, &quotes, &headline);
    let mut names = names::find_names(&ctx, &quotes, &dates, &headline);
    let statements = quotes::find_statements(&ctx, &quotes, &names);
    quotes.extend(statements);
    quotes::finish(&ctx, &mut quotes, &headline);
    attribution::attribute(&ctx, &mut quotes, &mut names);
    let numbers = numbers::find_numbers(&ctx, &quotes, &dates, &names, &headline);
    Claims { quotes, numbers, dates, names, headline, headline_sentences, furniture: ctx.furniture.clone() }
}

/// [`extract`] with the analysis computed here (language identified from
/// the text).
pub fn extract_text(text: &str) -> Claims {
    extract(text, &Analysis::new(text, None))
}

fn analysis_fits(text: &str, an: &Analysis) -> bool {
    let ok = |s: usize, e: usize| s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e);
    an.tokens.iter().all(|t| ok(t.start as usize, t.end as usize))
        && an.sentences.iter().all(|s| ok(s.start as usize, s.end as usize))
        && an.sentence_tokens.len() == an.sentences.len()
        && an.sentence_tokens.iter().all(|r| r.start <= r.end && r.end as usize <= an.tokens.len())
}

/// What every step shares: the text, its analysis, folded tokens,
/// paragraphs and furniture.
pub(crate) struct Ctx<'a> {
    pub text: &'a str,
    pub an: &'a Analysis,
    pub lang: Option<Lang>,
    /// Folded form of each token (`fold_str`).
    pub folded: Vec<String>,
    /// Paragraph byte ranges (trimmed), in order.
    pub paragraphs: Vec<Range<usize>>,
    /// Furniture byte ranges, in order, not overlapping.
    pub furniture: Vec<Range<usize>>,
}

impl<'a> Ctx<'a> {
    fn new(text: &'a str, an: &'a Analysis) -> Self {
        let folded = an.tokens.iter().map(|t| fold_str(t.as_str(text))).collect();
        let paragraphs = layout::paragraphs(text);
        let furniture = layout::furniture(text, &paragraphs);
        Ctx { text, an, lang: an.lang, folded, paragraphs, furniture }
    }

    /// Whether byte `pos` is inside page furniture.
    pub fn in_furniture(&self, pos: usize) -> bool {
        let i = self.furniture.partition_point(|r| r.end <= pos);
        self.furniture.get(i).is_some_and(|r| r.start <= pos)
    }

    /// The sentence holding byte `pos` (or the next one when `pos` is
    /// between sentences; the last one past the end).
    pub fn sentence_at(&self, pos: usize) -> usize {
        let i = self.an.sentences.partition_point(|s| (s.end as usize) <= pos);
        i.min(self.an.sentences.len().saturating_sub(1))
    }

    /// The paragraph holding byte `pos` (or the next one).
    pub fn paragraph_at(&self, pos: usize) -> usize {
        let i = self.paragraphs.partition_point(|p| p.end <= pos);
        i.min(self.paragraphs.len().saturating_sub(1))
    }

    /// Index of the first token starting at or after `pos`.
    pub fn token_from(&self, pos: usize) -> usize {
        self.an.tokens.partition_point(|t| (t.start as usize) < pos)
    }

    /// Token indices whose tokens lie entirely inside `range`.
    pub fn tokens_in(&self, range: &Range<usize>) -> Range<usize> {
        let a = self.token_from(range.start);
        let b = self.an.tokens.partition_point(|t| (t.end as usize) <= range.end);
        a..b.max(a)
    }

    /// The text of token `i`.
    pub fn tok(&self, i: usize) -> &'a str {
        self.an.tokens.get(i).map_or("", |t| &self.text[t.range()])
    }

    /// The folded form of token `i`.
    pub fn f(&self, i: usize) -> &str {
        self.folded.get(i).map_or("", String::as_str)
    }

    /// Whether token `i` is a word.
    pub fn is_word(&self, i: usize) -> bool {
        self.an.tokens.get(i).is_some_and(|t| t.kind == TokenKind::Word)
    }

    /// Whether token `i` is a number.
    pub fn is_number(&self, i: usize) -> bool {
        self.an.tokens.get(i).is_some_and(|t| t.kind == TokenKind::Number)
    }

    /// The text between token `i - 1` and token `i` (from the start of the
    /// text for the first token).
    pub fn gap_before(&self, i: usize) -> &'a str {
        let Some(t) = self.an.tokens.get(i) else { return "" };
        let from = if i == 0 { 0 } else { self.an.tokens[i - 1].end as usize };
        &self.text[from.min(t.start as usize)..t.start as usize]
    }

    /// Whether token `i` starts with an upper-case letter.
    pub fn is_cap(&self, i: usize) -> bool {
        self.tok(i).chars().next().is_some_and(char::is_uppercase)
    }

    /// Whether token `i` is a function word of the text's language.
    pub fn is_stop(&self, i: usize) -> bool {
        stemma_text::is_stopword(self.f(i), self.lang)
    }

    /// The byte range of token `i`.
    pub fn range(&self, i: usize) -> Range<usize> {
        self.an.tokens.get(i).map_or(0..0, |t| t.range())
    }
}

/// Whether the gap between two tokens is only horizontal space (no
/// punctuation, no line break).
pub(crate) fn is_space_gap(gap: &str) -> bool {
    !gap.is_empty() && gap.chars().all(|c| c == ' ' || c == '\u{a0}' || c == '\u{202f}' || c == '\t')
}

/// Whether the gap is a single hyphen (a compound: "Jean-Luc", "mi-mai").
pub(crate) fn is_hyphen_gap(gap: &str) -> bool {
    matches!(gap, "-" | "\u{2010}" | "\u{2011}")
}

/// Keys are folded words joined by single spaces (hyphens and other
/// punctuation between words become spaces).
pub(crate) fn key_of(s: &str) -> String {
    let folded = fold_str(s);
    let mut out = String::with_capacity(folded.len());
    for w in folded.split(|c: char| !(c.is_alphanumeric() || c == '\'')).filter(|w| !w.is_empty()) {
        let w = w.trim_matches('\'');
        if w.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_case_accents_and_hyphens() {
        assert_eq!(key_of("Jean-Luc  Mélenchon"), "jean luc melenchon");
        assert_eq!(key_of("King’s College"), "king's college");
        assert_eq!(key_of("l'Etat"), "l'etat");
    }

    #[test]
    fn a_foreign_analysis_is_recomputed() {
        let other = Analysis::new("un texte bien plus long que l'autre, avec des mots", None);
        let c = extract("Court.", &other);
        for s in c.all_spans() {
            assert!(s.end <= "Court.".len());
        }
    }
}
