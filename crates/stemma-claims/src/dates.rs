//! Dates.
//!
//! Read from the tokens, French and English:
//! - a month name with what surrounds it: a day before it ("10 juin",
//!   "1er mai", "10th June") or after it ("June 10", "June 10th"), a
//!   weekday before the day or the month ("vendredi 10 juin", "Friday,
//!   June 10"), a year after ("janvier 2014", "June 10, 2016"), or a
//!   qualifier before ("mi-mai", "début juin", "fin mai", "mid-June",
//!   "early June", "late May"); abbreviated months need their stop
//!   ("janv.", "Sept.") or a day or year next to them;
//! - numeric dates: ISO `2016-06-10`, `2016/06/10`, and day-first
//!   `10/06/2016`, `10.06.2016`, `10-06-2016` (month-first when the text is
//!   English, unless the first number cannot be a month);
//! - a year alone (four digits): after a cue ("en", "depuis", "in",
//!   "since", "fin", "mi-", …, any year from 1000 to 2100), or between 1900
//!   and 2100 when no noun or unit follows it ("2000 personnes" is a
//!   number, "en 2000" and "depuis 2014," are years);
//! - relative dates, kept as written: weekdays alone ("vendredi", "on
//!   Friday"), "hier", "aujourd'hui", "demain", "yesterday", "today",
//!   "tomorrow", "la semaine dernière", "l'an prochain", "last week",
//!   "next year", "ce matin", "this morning".
//!
//! `normalized` is `YYYY-MM-DD`, `YYYY-MM` or `YYYY` when the year is
//! known; without a year, the ISO 8601 forms `--MM-DD` and `--MM`; none for
//! relative dates. English month names must be capitalised, and "May" and
//! "March" (also a verb) need a day, a year or a cue next to them; a
//! capitalised French month needs a day or year (else "Mars" is the
//! planet).
//!
//! Limits: decades ("les années 1990", "the 1990s"), date ranges ("du 3 au
//! 5 juin" gives "5 juin" and a number 3), and relative dates are not
//! resolved against the publication date.

use crate::quotes::{Quote, QuoteKind};
use crate::{is_hyphen_gap, is_space_gap, Ctx};
use serde::Serialize;
use std::ops::Range;
use stemma_text::Lang;

/// A date found in the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateClaim {
    /// Bytes of the date as written.
    pub span: Range<usize>,
    /// The year, when written.
    pub year: Option<i32>,
    /// The month (1–12), when written.
    pub month: Option<u8>,
    /// The day of the month, when written.
    pub day: Option<u8>,
    /// The weekday (1 = Monday … 7 = Sunday), when written.
    pub weekday: Option<u8>,
    /// "mi", "debut", "fin", "courant", "early", "mid", "late" when written
    /// before the month or year.
    pub qualifier: Option<String>,
    /// `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, `--MM-DD` or `--MM`; `None` for
    /// relative dates.
    pub normalized: Option<String>,
    /// A date relative to the time of writing ("hier", "vendredi", "last
    /// week").
    pub relative: bool,
    /// Index of the sentence holding it.
    pub sentence: usize,
    /// Whether it is inside the headline.
    pub in_headline: bool,
    /// Whether it is inside quoted words.
    pub in_quote: bool,
}

/// A month name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Month {
    pub number: u8,
    pub abbreviation: bool,
    pub english: bool,
}

/// The month named by a folded word.
pub(crate) fn month_of(folded: &str) -> Option<Month> {
    let (number, abbreviation, english) = match folded {
        "janvier" => (1, false, false),
        "fevrier" => (2, false, false),
        "mars" => (3, false, false),
        "avril" => (4, false, false),
        "mai" => (5, false, false),
        "juin" => (6, false, false),
        "juillet" => (7, false, false),
        "aout" => (8, false, false),
        "septembre" => (9, false, false),
        "octobre" => (10, false, false),
        "novembre" => (11, false, false),
        "decembre" => (12, false, false),
        "janv" => (1, true, false),
        "fevr" | "fev" => (2, true, false),
        "avr" => (4, true, false),
        "juil" => (7, true, false),
        "january" => (1, false, true),
        "february" => (2, false, true),
        "march" => (3, false, true),
        "april" => (4, false, true),
        "may" => (5, false, true),
        "june" => (6, false, true),
        "july" => (7, false, true),
        "august" => (8, false, true),
        "september" => (9, false, true),
        "october" => (10, false, true),
        "november" => (11, false, true),
        "december" => (12, false, true),
        "jan" => (1, true, true),
        "feb" => (2, true, true),
        "mar" => (3, true, true),
        "apr" => (4, true, true),
        "jun" => (6, true, true),
        "jul" => (7, true, true),
        "aug" => (8, true, true),
        "sep" | "sept" => (9, true, true),
        "oct" => (10, true, true),
        "nov" => (11, true, true),
        "dec" => (12, true, true),
        _ => return None,
    };
    Some(Month { number, abbreviation, english })
}

/// The weekday (1 = Monday) named by a folded word, and whether it is
/// English.
pub(crate) fn weekday_of(folded: &str) -> Option<(u8, bool)> {
    Some(match folded {
        "lundi" => (1, false),
        "mardi" => (2, false),
        "mercredi" => (3, false),
        "jeudi" => (4, false),
        "vendredi" => (5, false),
        "samedi" => (6, false),
        "dimanche" => (7, false),
        "monday" => (1, true),
        "tuesday" => (2, true),
        "wednesday" => (3, true),
        "thursday" => (4, true),
        "friday" => (5, true),
        "saturday" => (6, true),
        "sunday" => (7, true),
        _ => return None,
    })
}

/// Words after which a month or year alone is a date.
fn is_date_cue(folded: &str) -> bool {
    matches!(
        folded,
        "en" | "de"
            | "d'"
            | "depuis"
            | "jusqu'"
            | "avant"
            | "apres"
            | "des"
            | "mois"
            | "annee"
            | "an"
            | "printemps"
            | "ete"
            | "automne"
            | "hiver"
            | "in"
            | "since"
            | "of"
            | "until"
            | "by"
            | "during"
            | "from"
            | "before"
            | "after"
            | "this"
            | "last"
            | "next"
            | "year"
            | "spring"
            | "summer"
            | "autumn"
            | "fall"
            | "winter"
    )
}

/// Qualifiers written before a month or year.
fn qualifier_of(folded: &str) -> Option<&'static str> {
    Some(match folded {
        "mi" => "mi",
        "debut" => "debut",
        "fin" => "fin",
        "courant" => "courant",
        "early" => "early",
        "mid" => "mid",
        "late" => "late",
        _ => return None,
    })
}

struct Parts {
    span: Range<usize>,
    year: Option<i32>,
    month: Option<u8>,
    day: Option<u8>,
    weekday: Option<u8>,
    qualifier: Option<&'static str>,
    relative: bool,
}

/// The value of a number token written with one or two digits, as a day.
fn day_number(ctx: &Ctx, i: usize) -> Option<u8> {
    let tok = ctx.tok(i);
    let digits: String = tok.chars().take_while(char::is_ascii_digit).collect();
    let rest = &tok[digits.len()..];
    let ordinal = matches!(rest, "er" | "e" | "st" | "nd" | "rd" | "th" | "ème" | "eme");
    let ok = (ctx.is_number(i) && rest.is_empty()) || (ctx.is_word(i) && ordinal);
    if !ok || digits.is_empty() || digits.len() > 2 {
        return if ctx.f(i) == "premier" { Some(1) } else { None };
    }
    let d: u8 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

/// The value of a number token written with exactly four digits.
fn year_number(ctx: &Ctx, i: usize) -> Option<i32> {
    let tok = ctx.tok(i);
    if !ctx.is_number(i) || tok.len() != 4 || !tok.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = tok.parse().ok()?;
    (1000..=2999).contains(&y).then_some(y)
}

fn days_in_month(month: u8) -> u8 {
    match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Finds the dates of the text (see the module documentation).
pub(crate) fn find_dates(ctx: &Ctx, quotes: &[Quote], headline: &Range<usize>) -> Vec<DateClaim> {
    let n = ctx.an.tokens.len();
    let mut used = vec![false; n];
    for (i, u) in used.iter_mut().enumerate() {
        *u = ctx.in_furniture(ctx.range(i).start);
    }
    let mut parts: Vec<Parts> = Vec::new();
    numeric_dates(ctx, &mut used, &mut parts);
    for i in 0..n {
        if !used[i] && ctx.is_word(i) {
            if let Some(p) = month_date(ctx, i, &used) {
                for k in ctx.tokens_in(&p.span) {
                    used[k] = true;
                }
                parts.push(p);
            }
        }
    }
    for i in 0..n {
        if used[i] {
            continue;
        }
        let p = year_date(ctx, i, &used).or_else(|| relative_date(ctx, i, &used));
        if let Some(p) = p {
            for k in ctx.tokens_in(&p.span) {
                used[k] = true;
            }
            parts.push(p);
        }
    }
    parts.sort_by_key(|p| p.span.start);
    parts
        .into_iter()
        .map(|p| {
            let normalized = if p.relative {
                None
            } else {
                match (p.year, p.month, p.day) {
                    (Some(y), Some(m), Some(d)) => Some(format!("{y:04}-{m:02}-{d:02}")),
                    (Some(y), Some(m), None) => Some(format!("{y:04}-{m:02}")),
                    (Some(y), None, _) => Some(format!("{y:04}")),
                    (None, Some(m), Some(d)) => Some(format!("--{m:02}-{d:02}")),
                    (None, Some(m), None) => Some(format!("--{m:02}")),
                    (None, None, _) => None,
                }
            };
            let in_quote = quotes
                .iter()
                .any(|q| q.kind == QuoteKind::Quotation && q.inner.start <= p.span.start && p.span.end <= q.inner.end);
            DateClaim {
                sentence: ctx.sentence_at(p.span.start),
                in_headline: headline.start <= p.span.start && p.span.start < headline.end,
                in_quote,
                span: p.span,
                year: p.year,
                month: p.month,
                day: p.day,
                weekday: p.weekday,
                qualifier: p.qualifier.map(str::to_string),
                normalized,
                relative: p.relative,
            }
        })
        .collect()
}

/// A date around the month name at token `i`.
fn month_date(ctx: &Ctx, i: usize, used: &[bool]) -> Option<Parts> {
    let m = month_of(ctx.f(i))?;
    let cap = ctx.is_cap(i);
    if m.english && !m.abbreviation && !cap {
        return None;
    }
    let free = |k: usize| k < used.len() && !used[k];
    let space_before = |k: usize| is_space_gap(ctx.gap_before(k));
    let after = ctx.text[ctx.range(i).end..].chars().next();
    let mut start = i;
    let mut end = i;
    let mut day = None;
    let mut weekday = None;
    let mut qualifier = None;
    let mut year = None;
    // Left: a day, possibly after a weekday; or a weekday; or a qualifier.
    if i > 0 && free(i - 1) && space_before(i) {
        if let Some(d) = day_number(ctx, i - 1) {
            day = Some(d);
            start = i - 1;
        }
    }
    if i > 0 && free(i - 1) && day.is_none() {
        let gap = ctx.gap_before(i);
        if let Some(q) = qualifier_of(ctx.f(i - 1)) {
            if is_space_gap(gap) || is_hyphen_gap(gap) {
                qualifier = Some(q);
                start = i - 1;
            }
        }
    }
    if start > 0 && free(start - 1) && qualifier.is_none() {
        let gap = ctx.gap_before(start);
        if is_space_gap(gap) || gap.trim() == "," {
            if let Some((w, en)) = weekday_of(ctx.f(start - 1)) {
                if !en || ctx.is_cap(start - 1) {
                    weekday = Some(w);
                    start -= 1;
                }
            }
        }
    }
    // Right: a day (English order), then a year.
    if day.is_none() && (m.english || m.abbreviation) && free(i + 1) && space_before(i + 1) {
        if let Some(d) = day_number(ctx, i + 1) {
            day = Some(d);
            end = i + 1;
        }
    }
    if free(end + 1) {
        let gap = ctx.gap_before(end + 1);
        if is_space_gap(gap) || gap.trim() == "," {
            if let Some(y) = year_number(ctx, end + 1) {
                year = Some(y);
                end += 1;
            }
        }
    }
    let strong = day.is_some() || year.is_some();
    if m.abbreviation && !strong && after != Some('.') {
        return None;
    }
    if !strong {
        let cue = i > 0 && is_date_cue(ctx.f(i - 1));
        let plain = if m.english { !matches!(m.number, 3 | 5) } else { !cap && m.number != 3 };
        if qualifier.is_none() && !cue && !plain {
            return None;
        }
        if !m.english && cap && !cue && qualifier.is_none() {
            return None;
        }
    }
    if day.is_some_and(|d| d > days_in_month(m.number)) {
        return None;
    }
    let mut span_end = ctx.range(end).end;
    if m.abbreviation && end == i && after == Some('.') {
        span_end += 1;
    }
    Some(Parts {
        span: ctx.range(start).start..span_end,
        year,
        month: Some(m.number),
        day,
        weekday,
        qualifier,
        relative: false,
    })
}

/// A year alone at token `i`.
fn year_date(ctx: &Ctx, i: usize, used: &[bool]) -> Option<Parts> {
    let y = year_number(ctx, i)?;
    let prev_cue = i > 0 && (is_date_cue(ctx.f(i - 1)) || qualifier_of(ctx.f(i - 1)).is_some());
    // After these, a year is a year even when a noun follows ("since 2014
    // fighters have…").
    let strong_cue = i > 0
        && matches!(
            ctx.f(i - 1),
            "en" | "depuis"
                | "jusqu'"
                | "avant"
                | "apres"
                | "annee"
                | "an"
                | "in"
                | "since"
                | "until"
                | "before"
                | "after"
                | "during"
                | "year"
        );
    let after = ctx.text[ctx.range(i).end..].trim_start_matches([' ', '\u{a0}', '\u{202f}']);
    let unit_follows = after.starts_with(['%', '€', '$', '£']);
    let next = i + 1;
    let noun_follows = next < used.len()
        && ctx.is_word(next)
        && is_space_gap(ctx.gap_before(next))
        && !ctx.is_cap(next)
        && !ctx.is_stop(next)
        && month_of(ctx.f(next)).is_none();
    let is_year = y <= 2100 && (strong_cue || (!noun_follows && (prev_cue || y >= 1900)));
    if !is_year || unit_follows {
        return None;
    }
    let mut start = i;
    let mut qualifier = None;
    if i > 0 && !used[i - 1] {
        if let Some(q) = qualifier_of(ctx.f(i - 1)) {
            let gap = ctx.gap_before(i);
            if is_space_gap(gap) || is_hyphen_gap(gap) {
                qualifier = Some(q);
                start = i - 1;
            }
        }
    }
    Some(Parts {
        span: ctx.range(start).start..ctx.range(i).end,
        year: Some(y),
        month: None,
        day: None,
        weekday: None,
        qualifier,
        relative: false,
    })
}

/// A relative date at token `i`.
fn relative_date(ctx: &Ctx, i: usize, used: &[bool]) -> Option<Parts> {
    if !ctx.is_word(i) {
        return None;
    }
    let f = ctx.f(i);
    let free = |k: usize| k < used.len() && !used[k];
    let next_is = |words: &[&str]| free(i + 1) && words.contains(&ctx.f(i + 1)) && joined(ctx, i + 1);
    let rel = |span: Range<usize>, weekday: Option<u8>| Parts {
        span,
        year: None,
        month: None,
        day: None,
        weekday,
        qualifier: None,
        relative: true,
    };
    let here = ctx.range(i);
    let through = |k: usize| here.start..ctx.range(k).end;
    if let Some((w, en)) = weekday_of(f) {
        if en && !ctx.is_cap(i) {
            return None;
        }
        // "vendredi 10": a weekday and a day without a month.
        if free(i + 1) && is_space_gap(ctx.gap_before(i + 1)) {
            if let Some(d) = day_number(ctx, i + 1) {
                let mut p = rel(through(i + 1), Some(w));
                p.day = Some(d);
                return Some(p);
            }
        }
        return Some(rel(here, Some(w)));
    }
    match f {
        "hier" | "aujourd'hui" | "demain" | "yesterday" | "today" | "tomorrow" | "tonight" => {
            if f == "hier" && i > 0 && ctx.f(i - 1) == "avant" && is_hyphen_gap(ctx.gap_before(i)) {
                return Some(rel(ctx.range(i - 1).start..here.end, None));
            }
            Some(rel(here, None))
        }
        "apres" if next_is(&["demain"]) => Some(rel(through(i + 1), None)),
        "semaine" | "mois" | "annee" | "an" | "week" | "weekend" => {
            if next_is(&["derniere", "dernier", "passee", "passe", "prochaine", "prochain"]) {
                Some(rel(through(i + 1), None))
            } else {
                None
            }
        }
        "last" | "next" | "this" => {
            if next_is(&["week", "month", "year", "weekend", "morning", "afternoon", "evening"]) {
                Some(rel(through(i + 1), None))
            } else {
                None
            }
        }
        "ce" | "cette" => {
            if next_is(&["matin", "soir", "semaine", "apres", "mois"]) {
                Some(rel(through(i + 1), None))
            } else {
                None
            }
        }
        _ => None,
    }
}

fn joined(ctx: &Ctx, k: usize) -> bool {
    let gap = ctx.gap_before(k);
    is_space_gap(gap) || is_hyphen_gap(gap)
}

/// Numeric dates (ISO and day-first or month-first with `/`, `.` or `-`).
fn numeric_dates(ctx: &Ctx, used: &mut [bool], out: &mut Vec<Parts>) {
    let text = ctx.text;
    let bytes = text.as_bytes();
    let english = ctx.lang == Some(Lang::En);
    let digits_at = |at: usize| bytes[at..].iter().take_while(|b| b.is_ascii_digit()).count();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] >= 0x80)) {
            i += 1;
            continue;
        }
        let a_len = digits_at(i);
        let parse = || -> Option<(Range<usize>, i32, u8, u8)> {
            let sep_at = i + a_len;
            let sep = *bytes.get(sep_at)?;
            if !matches!(sep, b'-' | b'/' | b'.') {
                return None;
            }
            let b_at = sep_at + 1;
            let b_len = digits_at(b_at);
            let sep2_at = b_at + b_len;
            if b_len == 0 || bytes.get(sep2_at) != Some(&sep) {
                return None;
            }
            let c_at = sep2_at + 1;
            let c_len = digits_at(c_at);
            let end = c_at + c_len;
            if c_len == 0 || bytes.get(end).is_some_and(|b| b.is_ascii_alphanumeric() || *b >= 0x80) {
                return None;
            }
            let num = |at: usize, len: usize| text.get(at..at + len)?.parse::<u32>().ok();
            let (a, b, c) = (num(i, a_len)?, num(b_at, b_len)?, num(c_at, c_len)?);
            let (y, m, d) = if a_len == 4 && b_len <= 2 && c_len <= 2 {
                (a, b, c)
            } else if c_len == 4 && a_len <= 2 && b_len <= 2 {
                if english && a <= 12 {
                    (c, a, b)
                } else {
                    (c, b, a)
                }
            } else {
                return None;
            };
            let (m, d) = (u8::try_from(m).ok()?, u8::try_from(d).ok()?);
            let ok = (1000..=2999).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(m);
            ok.then_some((i..end, y as i32, m, d))
        };
        if let Some((span, y, m, d)) = parse() {
            for k in ctx.tokens_in(&span) {
                used[k] = true;
            }
            i = span.end;
            out.push(Parts {
                span,
                year: Some(y),
                month: Some(m),
                day: Some(d),
                weekday: None,
                qualifier: None,
                relative: false,
            });
            continue;
        }
        i += a_len.max(1);
    }
}

#[cfg(test)]
mod tests {
    use crate::extract_text;

    fn dates(text: &str) -> Vec<(String, Option<String>)> {
        extract_text(text).dates.into_iter().map(|d| (text[d.span].to_string(), d.normalized)).collect()
    }

    #[test]
    fn french_dates() {
        assert_eq!(
            dates("L'AFP a rapporté vendredi 10 juin que, à la mi-mai, 244 personnes étaient rentrées depuis 2014."),
            [
                ("vendredi 10 juin".to_string(), Some("--06-10".to_string())),
                ("mi-mai".to_string(), Some("--05".to_string())),
                ("2014".to_string(), Some("2014".to_string())),
            ]
        );
        assert_eq!(dates("En janvier 2014, une étude."), [("janvier 2014".to_string(), Some("2014-01".to_string()))]);
        assert_eq!(dates("Le 1er mai 2016 à Paris."), [("1er mai 2016".to_string(), Some("2016-05-01".to_string()))]);
    }

    #[test]
    fn english_dates() {
        assert_eq!(
            dates("On Friday, June 10, 2016, it rained; in January 2014 it snowed."),
            [
                ("Friday, June 10, 2016".to_string(), Some("2016-06-10".to_string())),
                ("January 2014".to_string(), Some("2014-01".to_string())),
            ]
        );
        assert_eq!(dates("You may go. It was mid-May."), [("mid-May".to_string(), Some("--05".to_string()))]);
    }

    #[test]
    fn numeric_and_relative_dates() {
        assert_eq!(dates("Publié le 2016-06-10."), [("2016-06-10".to_string(), Some("2016-06-10".to_string()))]);
        assert_eq!(dates("Publié le 10/06/2016."), [("10/06/2016".to_string(), Some("2016-06-10".to_string()))]);
        assert_eq!(dates("Il est parti hier."), [("hier".to_string(), None)]);
        assert_eq!(dates("Il partira la semaine prochaine."), [("semaine prochaine".to_string(), None)]);
    }

    #[test]
    fn years_and_counts() {
        assert!(dates("Il y avait 2000 personnes.").is_empty());
        assert_eq!(dates("En 2000, rien."), [("2000".to_string(), Some("2000".to_string()))]);
    }
}
