//! Quotations, quoted terms and attributed statements.
//!
//! **Pairing.** Quotation marks are read one paragraph at a time with a
//! stack: « opens and » closes (a « glued to the end of a word and followed
//! by a space, a stop or the end, as in "de fuir« .", is a closing mark);
//! “ opens and ” closes, „ opens and “ closes it; a straight " opens or
//! closes depending on the spaces around it (opening before a word, closing
//! after one, otherwise whichever the stack calls for); ‘ opens and ’ closes
//! only when it is not between two letters (else it is an apostrophe); a
//! straight ' is read as a quotation mark only inside another quotation
//! (" « 'l'EIIL est corrompu' » "), where an apostrophe between two letters
//! is still an apostrophe. A closing mark closes the nearest open mark of
//! its family; marks opened above it and never closed are dropped. A
//! guillemet or curly quotation still open at the end of the paragraph
//! becomes an unclosed quotation running to the end of its sentence
//! (`closed: false`); unbalanced straight quotes are dropped.
//!
//! The inner span leaves out the spaces inside the marks and a trailing
//! comma (English puts the comma that ends the quoted clause inside the
//! marks).
//!
//! **Nesting** is recorded (`depth`, `parent`); a nested quotation is the
//! speaker quoting someone else, so only outermost quotations get speakers.
//!
//! **Terms**: a short quotation (at most eight words) whose content words
//! are all capitalised and that has no number and no stop, such as
//! « l'Etat Islamique en Irak et au Levant », is a quoted name, not
//! something someone said (`QuoteKind::Term`).
//!
//! **Statements**: an unquoted clause followed by a parenthesised speaker
//! at the end of a sentence ("244 combattants de Daesh sont rentrés en
//! France, ils font du bon boulot (Fabius).") is a [`QuoteKind::Statement`].
//! It covers only the *last clause* before the parenthesis (from the last
//! comma, semicolon, colon or dash of the sentence): that is the words the
//! parenthesis credits, while the earlier clauses are usually the writer's
//! own report (here, the 244 returns, which the body attributes to the
//! head of the DGSI, not to Fabius). The parenthesis must hold exactly one
//! name that is not a place, an organisation (a news agency credit such as
//! "(AFP)") or an acronym ("(EIIL)"), so "à Lyon (Rhône)." is not a
//! statement.
//!
//! Limits: a quotation spanning paragraphs is cut at the paragraph end
//! (French continues a long quotation with « on each paragraph, which then
//! reads as several quotations); straight single quotes at top level
//! ('like this') are not read; a possessive ’ inside a ‘…’ quotation may
//! close it early.

use crate::attribution::{self, Attribution, Speaker};
use crate::names::{Name, NameKind};
use crate::Ctx;
use serde::Serialize;
use std::ops::Range;

/// What a quoted passage is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteKind {
    /// Words someone is reported to have said or written, in quotation marks.
    Quotation,
    /// A quoted name or title (all content words capitalised), not speech.
    Term,
    /// Unquoted words credited to a speaker in parentheses at the end of a
    /// sentence ("…, ils font du bon boulot (Fabius).").
    Statement,
}

/// The quotation marks used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Marks {
    /// « … »
    Guillemets,
    /// ‹ … ›
    SingleGuillemets,
    /// “ … ”
    CurlyDouble,
    /// „ … “
    LowDouble,
    /// " … "
    StraightDouble,
    /// ‘ … ’
    CurlySingle,
    /// ' … ' (inside another quotation only)
    StraightSingle,
    /// No marks: an attributed statement.
    None,
}

/// A quotation, quoted term or attributed statement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    /// Quotation, term or statement.
    pub kind: QuoteKind,
    /// The marks that delimit it.
    pub marks: Marks,
    /// Bytes of the quotation with its marks (for a statement: the clause
    /// and the parenthesised speaker).
    pub span: Range<usize>,
    /// Bytes of the quoted words, without marks and surrounding spaces.
    pub inner: Range<usize>,
    /// False when the closing mark is missing (the quotation then runs to
    /// the end of its sentence).
    pub closed: bool,
    /// Number of quotations enclosing this one (0: outermost).
    pub depth: u32,
    /// Index (in `Claims::quotes`) of the innermost enclosing quotation.
    pub parent: Option<usize>,
    /// Number of words and numbers inside.
    pub words: usize,
    /// Who said it, when that can be found.
    pub speaker: Option<Speaker>,
    /// Index of the sentence holding its start.
    pub sentence: usize,
    /// Whether it starts inside the headline.
    pub in_headline: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Guillemet,
    SingleGuillemet,
    CurlyDouble,
    LowDouble,
    Straight,
    CurlySingle,
    StraightSingle,
}

impl Family {
    fn marks(self) -> Marks {
        match self {
            Family::Guillemet => Marks::Guillemets,
            Family::SingleGuillemet => Marks::SingleGuillemets,
            Family::CurlyDouble => Marks::CurlyDouble,
            Family::LowDouble => Marks::LowDouble,
            Family::Straight => Marks::StraightDouble,
            Family::CurlySingle => Marks::CurlySingle,
            Family::StraightSingle => Marks::StraightSingle,
        }
    }

    /// Whether a quotation left open at the end of a paragraph is kept.
    fn keeps_unclosed(self) -> bool {
        matches!(self, Family::Guillemet | Family::CurlyDouble | Family::LowDouble)
    }
}

#[derive(Debug, Clone, Copy)]
struct Open {
    fam: Family,
    at: usize,
    len: usize,
}

enum Event {
    Open(Family),
    Close(Family),
    Toggle(Family),
}

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

/// Characters after which a straight quote opens rather than closes.
fn is_open_context(prev: Option<char>) -> bool {
    prev.is_none_or(|p| {
        p.is_whitespace() || matches!(p, '(' | '[' | '{' | '«' | '“' | '‘' | '„' | '—' | '–' | '-' | '/')
    })
}

/// Characters before which a quote closes rather than opens.
fn is_close_context(next: Option<char>) -> bool {
    next.is_none_or(|n| {
        n.is_whitespace()
            || matches!(
                n,
                '.' | ',' | ';' | ':' | '!' | '?' | '…' | ')' | ']' | '}' | '»' | '”' | '’' | '\'' | '"' | '-'
            )
    })
}

const MAX_DEPTH: usize = 32;

/// Finds the quotations of the text (kinds `Quotation` and `Term`), not yet
/// in final order (see [`finish`]).
pub(crate) fn find_quotes(ctx: &Ctx) -> Vec<Quote> {
    let mut out = Vec::new();
    for p in &ctx.paragraphs {
        if ctx.in_furniture(p.start) {
            continue;
        }
        scan_paragraph(ctx, p.clone(), &mut out);
    }
    out
}

fn scan_paragraph(ctx: &Ctx, para: Range<usize>, out: &mut Vec<Quote>) {
    let text = ctx.text;
    let mut stack: Vec<Open> = Vec::new();
    let mut prev: Option<char> = None;
    let mut iter = text[para.clone()].char_indices().peekable();
    while let Some((off, c)) = iter.next() {
        let i = para.start + off;
        let next = iter.peek().map(|&(_, n)| n);
        let has = |stack: &[Open], f: Family| stack.iter().any(|o| o.fam == f);
        let event = match c {
            '«' => {
                let glued_closer = prev.is_some_and(|p| !p.is_whitespace() && !matches!(p, '(' | '[' | '"' | '\''))
                    && next.is_none_or(|n| n.is_whitespace() || is_terminal(n) || matches!(n, ',' | ';' | ')'));
                Some(if glued_closer { Event::Close(Family::Guillemet) } else { Event::Open(Family::Guillemet) })
            }
            '»' => Some(Event::Close(Family::Guillemet)),
            '‹' => Some(Event::Open(Family::SingleGuillemet)),
            '›' => Some(Event::Close(Family::SingleGuillemet)),
            '„' => Some(Event::Open(Family::LowDouble)),
            '“' => {
                if stack.last().is_some_and(|o| o.fam == Family::LowDouble) {
                    Some(Event::Close(Family::LowDouble))
                } else if has(&stack, Family::CurlyDouble)
                    && prev.is_some_and(|p| !p.is_whitespace())
                    && is_close_context(next)
                {
                    // A “ used as a closing mark, as some sites do.
                    Some(Event::Close(Family::CurlyDouble))
                } else {
                    Some(Event::Open(Family::CurlyDouble))
                }
            }
            '”' => {
                if !has(&stack, Family::CurlyDouble)
                    && is_open_context(prev)
                    && next.is_some_and(|n| !n.is_whitespace())
                {
                    // A ” used as an opening mark.
                    Some(Event::Open(Family::CurlyDouble))
                } else {
                    Some(Event::Close(Family::CurlyDouble))
                }
            }
            '"' => {
                let left = next.is_some_and(|n| !n.is_whitespace()) && is_open_context(prev);
                let right = prev.is_some_and(|p| !p.is_whitespace()) && is_close_context(next);
                Some(match (left, right) {
                    (true, false) => Event::Open(Family::Straight),
                    (false, true) => Event::Close(Family::Straight),
                    _ => Event::Toggle(Family::Straight),
                })
            }
            '‘' => {
                let apostrophe = prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric);
                (!apostrophe).then_some(Event::Open(Family::CurlySingle))
            }
            '’' => {
                let apostrophe = prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric);
                (!apostrophe && has(&stack, Family::CurlySingle)).then_some(Event::Close(Family::CurlySingle))
            }
            '\'' if !stack.is_empty() => {
                let apostrophe = prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric);
                if apostrophe {
                    None
                } else if is_open_context(prev) && next.is_some_and(char::is_alphanumeric) {
                    Some(Event::Open(Family::StraightSingle))
                } else if prev.is_some_and(|p| !p.is_whitespace())
                    && is_close_context(next)
                    && has(&stack, Family::StraightSingle)
                {
                    Some(Event::Close(Family::StraightSingle))
                } else {
                    None
                }
            }
            _ => None,
        };
        let len = c.len_utf8();
        match event {
            Some(Event::Open(fam)) => push(&mut stack, Open { fam, at: i, len }),
            Some(Event::Close(fam)) => close(ctx, &mut stack, fam, i, len, out),
            Some(Event::Toggle(fam)) => {
                if has(&stack, fam) {
                    close(ctx, &mut stack, fam, i, len, out);
                } else {
                    push(&mut stack, Open { fam, at: i, len });
                }
            }
            None => {}
        }
        prev = Some(c);
    }
    // The outermost mark left open becomes an unclosed quotation running to
    // the end of its sentence (within the paragraph).
    if let Some(open) = stack.iter().find(|o| o.fam.keeps_unclosed()).copied() {
        let s = ctx.sentence_at(open.at);
        let sent_end = ctx.an.sentences.get(s).map_or(para.end, |s| s.end as usize);
        let end = sent_end.max(open.at + open.len).min(para.end);
        let span_text = &ctx.text[open.at..end];
        let end = open.at + span_text.trim_end().len();
        if let Some(q) = make_quote(ctx, open, end, end, false) {
            out.push(q);
        }
    }
}

fn push(stack: &mut Vec<Open>, o: Open) {
    if stack.len() < MAX_DEPTH {
        stack.push(o);
    }
}

fn close(ctx: &Ctx, stack: &mut Vec<Open>, fam: Family, at: usize, len: usize, out: &mut Vec<Quote>) {
    let Some(k) = stack.iter().rposition(|o| o.fam == fam) else { return };
    let open = stack[k];
    stack.truncate(k);
    if let Some(q) = make_quote(ctx, open, at, at + len, true) {
        out.push(q);
    }
}

/// A quotation from its opening mark to `inner_end` (where the closing
/// mark starts) and `end` (just past it).
fn make_quote(ctx: &Ctx, open: Open, inner_end: usize, end: usize, closed: bool) -> Option<Quote> {
    let inner_start = open.at + open.len;
    if inner_end <= inner_start {
        return None;
    }
    let raw = &ctx.text[inner_start..inner_end];
    let lead = raw.len() - raw.trim_start().len();
    // English puts the comma that ends the quoted clause inside the marks;
    // it is not part of what was said.
    let trimmed = raw.trim().trim_end_matches(',').trim_end();
    if trimmed.is_empty() {
        return None;
    }
    let inner = inner_start + lead..inner_start + lead + trimmed.len();
    let toks = ctx.tokens_in(&inner);
    if toks.is_empty() {
        return None;
    }
    let kind = if is_term(ctx, toks.clone(), &inner) { QuoteKind::Term } else { QuoteKind::Quotation };
    Some(Quote {
        kind,
        marks: open.fam.marks(),
        span: open.at..end,
        inner,
        closed,
        depth: 0,
        parent: None,
        words: toks.len(),
        speaker: None,
        sentence: 0,
        in_headline: false,
    })
}

/// A quoted name or title rather than speech (see the module documentation).
fn is_term(ctx: &Ctx, toks: Range<usize>, inner: &Range<usize>) -> bool {
    if toks.len() > 8 || ctx.text[inner.clone()].contains(['.', '!', '?', '…', ';', ':']) {
        return false;
    }
    let mut content = 0;
    for i in toks {
        if ctx.is_number(i) {
            return false;
        }
        if ctx.f(i).ends_with('\'') || ctx.is_stop(i) {
            continue;
        }
        if !ctx.is_cap(i) {
            return false;
        }
        content += 1;
    }
    content > 0
}

/// Unquoted statements with a parenthesised speaker at the end of a
/// sentence (see the module documentation). Their speaker is set.
pub(crate) fn find_statements(ctx: &Ctx, quotes: &[Quote], names: &[Name]) -> Vec<Quote> {
    let text = ctx.text;
    let mut out = Vec::new();
    for s in &ctx.an.sentences {
        let sr = s.range();
        if ctx.in_furniture(sr.start) {
            continue;
        }
        let sent = &text[sr.clone()];
        let body = sent.trim_end_matches(|c: char| is_terminal(c) || c.is_whitespace());
        let Some(body_inner) = body.strip_suffix(')') else { continue };
        // The matching opening parenthesis.
        let mut depth = 0i32;
        let mut open_at = None;
        for (off, c) in body_inner.char_indices().rev() {
            match c {
                ')' => depth += 1,
                '(' if depth == 0 => {
                    open_at = Some(off);
                    break;
                }
                '(' => depth -= 1,
                _ => {}
            }
        }
        let Some(open_off) = open_at else { continue };
        let open = sr.start + open_off;
        let close_end = sr.start + body.len();
        let inside = open + 1..close_end - 1;
        // Inside a quotation, or right after one: not an unquoted statement.
        if quotes.iter().any(|q| q.span.start <= open && open < q.span.end) {
            continue;
        }
        let before = text[sr.start..open].trim_end();
        if before.ends_with(['»', '”', '"', '’', '“', '›']) || before.is_empty() {
            continue;
        }
        let Some(name) = sole_name(ctx, names, &inside) else { continue };
        // The last clause before the parenthesis.
        let clause_from = before
            .char_indices()
            .rev()
            .find(|&(_, c)| matches!(c, ',' | ';' | ':' | '—' | '–'))
            .map_or(sr.start, |(off, c)| sr.start + off + c.len_utf8());
        let clause = &text[clause_from..sr.start + before.len()];
        let lead = clause.len() - clause.trim_start().len();
        let inner = clause_from + lead..sr.start + before.len();
        if inner.is_empty() {
            continue;
        }
        let words = ctx.tokens_in(&inner).len();
        if words < 2 {
            continue;
        }
        let speaker = attribution::speaker_from_name(name, Attribution::Parenthesis, Some(open..close_end));
        out.push(Quote {
            kind: QuoteKind::Statement,
            marks: Marks::None,
            span: inner.start..close_end,
            inner,
            closed: true,
            depth: 0,
            parent: None,
            words,
            speaker: Some(speaker),
            sentence: 0,
            in_headline: false,
        });
    }
    out
}

/// The one name filling a parenthesis, when it can be a speaker: a person
/// or an unknown name, not an acronym.
pub(crate) fn sole_name<'n>(ctx: &Ctx, names: &'n [Name], inside: &Range<usize>) -> Option<&'n Name> {
    let content = ctx.text.get(inside.clone())?;
    let lead = content.len() - content.trim_start().len();
    let trimmed = content.trim();
    let r = inside.start + lead..inside.start + lead + trimmed.len();
    let name = names.iter().find(|n| n.span == r)?;
    let acronym = trimmed.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
    (matches!(name.kind, NameKind::Person | NameKind::Unknown) && !acronym).then_some(name)
}

/// Puts quotations in text order and sets nesting, sentences and headline
/// flags.
pub(crate) fn finish(ctx: &Ctx, quotes: &mut [Quote], headline: &Range<usize>) {
    quotes.sort_by(|a, b| a.span.start.cmp(&b.span.start).then(b.span.end.cmp(&a.span.end)));
    let mut open: Vec<usize> = Vec::new();
    for i in 0..quotes.len() {
        let span = quotes[i].span.clone();
        while open.last().is_some_and(|&j| quotes[j].span.end < span.end || quotes[j].span.end <= span.start) {
            open.pop();
        }
        quotes[i].depth = open.len() as u32;
        quotes[i].parent = open.last().copied();
        quotes[i].sentence = ctx.sentence_at(span.start);
        quotes[i].in_headline = headline.start <= span.start && span.start < headline.end;
        open.push(i);
    }
}

#[cfg(test)]
mod tests {
    use crate::extract_text;

    fn inners(text: &str) -> Vec<&str> {
        extract_text(text).quotes.iter().map(|q| &text[q.inner.clone()]).collect()
    }

    #[test]
    fn guillemets_and_glued_closer() {
        assert_eq!(inners("« Nous partons », dit-il."), ["Nous partons"]);
        assert_eq!(
            inners("« Certains se font tuer quand ils tentent de fuir« ."),
            ["Certains se font tuer quand ils tentent de fuir"]
        );
    }

    #[test]
    fn straight_and_curly_quotes() {
        assert_eq!(inners("He said \"we leave\" and left."), ["we leave"]);
        assert_eq!(inners("She wrote “it is over” yesterday."), ["it is over"]);
        assert_eq!(inners("Il dit ‘non’ puis l’autre."), ["non"]);
    }

    #[test]
    fn nested_straight_singles_and_apostrophes() {
        let t = "Il a dit : « 'l'EIIL est corrompu' et 'la vie est dure' ».";
        let c = extract_text(t);
        let got: Vec<(&str, u32)> = c.quotes.iter().map(|q| (&t[q.inner.clone()], q.depth)).collect();
        assert_eq!(
            got,
            [("'l'EIIL est corrompu' et 'la vie est dure'", 0), ("l'EIIL est corrompu", 1), ("la vie est dure", 1)]
        );
        assert_eq!(c.quotes[1].parent, Some(0));
    }

    #[test]
    fn terms_are_not_speech() {
        let c = extract_text("Ils quittent « l'Etat Islamique en Irak et au Levant » (EIIL), dit l'AFP.");
        assert_eq!(c.quotes[0].kind, super::QuoteKind::Term);
    }
}
