//! Numbers with their unit, multiplier, hedge and what they count.
//!
//! Three forms of number are read:
//! - **digits**, read by stemma-text (`scan_number` with the text's decimal
//!   convention), so "283 000", "283'000" and "283000" have one canonical
//!   value, and "1,5" (French) is 1.5; a multiplier glued to the digits
//!   ("£7.5bn", "3m", "10k") is read with them;
//! - **words**: "quatre", "soixante", "vingt-deux", "quatre-vingt-dix",
//!   "deux cent cinquante", "twenty-one", "two hundred" (not "un"/"one",
//!   which are mostly articles, except before a multiplier: "un million");
//!   a number word needs a counted noun, unit or multiplier after it, or a
//!   hedge before it ("un bâtiment neuf" holds no number);
//! - **vague quantities**: "des dizaines de", "une centaine de", "des
//!   milliers de", "dozens of", "thousands of": their value is the order of
//!   magnitude (10, 100, 1000) and the form says they are vague.
//!
//! Around the number:
//! - a **multiplier** after it: "million(s)", "milliard(s)", "millier(s)",
//!   "billion" (10⁹ in English, 10¹² in French), "thousand", "bn", "Md";
//!   `value` is then the full value (1,5 million → 1 500 000);
//! - a **unit** after it (%, "pour cent", "per cent", €, "euros", $,
//!   "dollars", £, "km", "kilomètres", "kg", "tonnes", "ans", "years",
//!   "mois", "jours", "heures", …, also after "de"/"d'": "millions
//!   d'euros") or a currency sign before it ("$5", "€10"), normalized
//!   ("EUR", "USD", "%", "km", "year", …);
//! - a **hedge** just before it: "plus de", "près de", "environ",
//!   "quelque", "au moins", "moins de", "jusqu'à", "more than", "nearly",
//!   "about", "around", "at least", "some", "up to", …, with its kind
//!   ([`HedgeKind`]). A hedge changed between versions ("plus de 283 000"
//!   / "près de 283 000") is a minor difference, not an altered figure;
//! - what it **counts**: the first content word after it (after "de"/"des"
//!   for vague quantities and multipliers; after a percentage or a currency
//!   only with "de"/"of": "15 % des voix", not "40 percent agreed"),
//!   with hyphenated compounds kept whole ("chasseurs-bombardiers"); in
//!   English an adjective-looking first word ("foreign fighters") is
//!   passed over for the next one. Not for time or distance units ("20
//!   ans").
//!
//! Not numbers: dates and years (see [`crate::dates`]), times ("14:30",
//! "10 h 30"; "10h30" is a word for stemma-text), ordinals ("1er", "21st",
//! words for stemma-text), numbers inside a known name ("France 24"),
//! numbers after "n°" or "#", and irregular digit groups (phone numbers,
//! versions) whose value is not a plain decimal.
//!
//! Limits: the counted noun is one word (its complement, "244 combattants
//! *de Daesh*", is not kept); fractions ("la moitié", "un tiers") and
//! ranges ("10 à 15") are not read as such.

use crate::dates::{month_of, DateClaim};
use crate::names::Name;
use crate::quotes::{Quote, QuoteKind};
use crate::{is_hyphen_gap, is_space_gap, Ctx};
use serde::Serialize;
use std::ops::Range;
use stemma_text::lang::decimal_style;
use stemma_text::{fold_str, scan_number, stem_keys, Lang};

/// How a number is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberForm {
    /// In digits ("244", "283 000", "1,5").
    Digits,
    /// In words ("quatre", "soixante", "twenty-one").
    Words,
    /// A vague quantity ("des dizaines de", "thousands of"); the value is
    /// its order of magnitude.
    Vague,
}

/// What a hedge says about the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HedgeKind {
    /// More than ("plus de", "more than", "over").
    Above,
    /// At least ("au moins", "at least", "pas moins de").
    AtLeast,
    /// About ("environ", "quelque", "about", "around", "some").
    About,
    /// Nearly ("près de", "presque", "nearly", "almost").
    Nearly,
    /// Fewer than ("moins de", "less than", "under").
    Below,
    /// At most ("au plus", "jusqu'à", "up to", "at most").
    AtMost,
}

/// A hedge before a number.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hedge {
    /// Bytes of the hedge ("plus de").
    pub span: Range<usize>,
    /// What it says.
    pub kind: HedgeKind,
}

/// The unit of a number.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unit {
    /// Bytes of the unit as written ("euros", "%", "$").
    pub span: Range<usize>,
    /// Normalized unit: "%", "EUR", "USD", "GBP", "CHF", "km", "m", "mi",
    /// "kg", "t", "year", "month", "week", "day", "hour", "minute",
    /// "second", "degree", "point".
    pub unit: String,
}

/// What a number counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Counted {
    /// Bytes of the counted noun (with an English adjective before it).
    pub span: Range<usize>,
    /// The noun, folded.
    pub key: String,
    /// Stemmed key of the noun (stemma-text's `stem_keys`), so that
    /// "personne" and "personnes" match.
    pub stem: u64,
}

/// A number claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumberClaim {
    /// Bytes from the hedge (or currency sign) to the counted noun.
    pub span: Range<usize>,
    /// Bytes of the number itself (digits, number words or vague word).
    pub number: Range<usize>,
    /// Digits, words or vague.
    pub form: NumberForm,
    /// Canonical value as written, before any multiplier (stemma-text's
    /// canonical form for digits, e.g. "283000", "1.5").
    pub canonical: String,
    /// The value, multiplier included (1,5 million → 1500000).
    pub value: Option<f64>,
    /// The multiplier, when one follows (10⁶ for "millions").
    pub multiplier: Option<f64>,
    /// The unit, when there is one.
    pub unit: Option<Unit>,
    /// What it counts, when a noun follows.
    pub counts: Option<Counted>,
    /// The hedge before it.
    pub hedge: Option<Hedge>,
    /// Index of the sentence holding it.
    pub sentence: usize,
    /// Whether it is inside the headline.
    pub in_headline: bool,
    /// Whether it is inside quoted words.
    pub in_quote: bool,
}

impl NumberClaim {
    /// The number at `r` alone: no multiplier, unit, counted noun or hedge
    /// yet, placed later (sentence, headline, quote).
    fn bare(r: Range<usize>, form: NumberForm, canonical: String, value: Option<f64>) -> Self {
        NumberClaim {
            span: r.clone(),
            number: r,
            form,
            canonical,
            value,
            multiplier: None,
            unit: None,
            counts: None,
            hedge: None,
            sentence: 0,
            in_headline: false,
            in_quote: false,
        }
    }
}

fn multiplier_of(folded: &str, lang: Option<Lang>) -> Option<f64> {
    Some(match folded {
        "million" | "millions" | "mn" | "mio" => 1e6,
        "milliard" | "milliards" | "md" | "mds" | "mrd" | "bn" => 1e9,
        "billion" | "billions" => {
            if lang == Some(Lang::Fr) {
                1e12
            } else {
                1e9
            }
        }
        "trillion" | "trillions" => 1e12,
        "millier" | "milliers" | "mille" | "thousand" | "thousands" => 1e3,
        "hundred" | "hundreds" => 1e2,
        _ => return None,
    })
}

fn unit_of(folded: &str) -> Option<&'static str> {
    Some(match folded {
        "euro" | "euros" | "eur" => "EUR",
        "dollar" | "dollars" | "usd" => "USD",
        "livre" | "livres" | "pound" | "pounds" | "gbp" => "GBP",
        "chf" => "CHF",
        "km" | "kilometre" | "kilometres" | "kilometer" | "kilometers" => "km",
        "metre" | "metres" | "meter" | "meters" => "m",
        "mile" | "miles" => "mi",
        "kg" | "kilo" | "kilos" | "kilogramme" | "kilogrammes" | "kilogram" | "kilograms" => "kg",
        "tonne" | "tonnes" | "ton" | "tons" => "t",
        "an" | "ans" | "annee" | "annees" | "year" | "years" => "year",
        "mois" | "month" | "months" => "month",
        "semaine" | "semaines" | "week" | "weeks" => "week",
        "jour" | "jours" | "day" | "days" => "day",
        "heure" | "heures" | "hour" | "hours" => "hour",
        "minute" | "minutes" => "minute",
        "seconde" | "secondes" | "second" | "seconds" => "second",
        "degre" | "degres" | "degree" | "degrees" => "degree",
        "point" | "points" => "point",
        "percent" | "pourcent" => "%",
        _ => return None,
    })
}

/// Two-word units.
fn unit_of_pair(a: &str, b: &str) -> Option<&'static str> {
    Some(match (a, b) {
        ("pour", "cent") | ("per", "cent") => "%",
        ("livres", "sterling") | ("livre", "sterling") => "GBP",
        ("francs", "suisses") | ("franc", "suisse") | ("swiss", "francs") => "CHF",
        _ => return None,
    })
}

fn currency_sign(c: char) -> Option<&'static str> {
    Some(match c {
        '€' => "EUR",
        '$' => "USD",
        '£' => "GBP",
        '%' => "%",
        _ => return None,
    })
}

/// Hedges, as folded word sequences, with their kind.
const HEDGES: &[(&[&str], HedgeKind)] = &[
    (&["un", "peu", "plus", "de"], HedgeKind::Above),
    (&["un", "peu", "plus", "d'"], HedgeKind::Above),
    (&["un", "peu", "moins", "de"], HedgeKind::Below),
    (&["un", "peu", "moins", "d'"], HedgeKind::Below),
    (&["pas", "moins", "de"], HedgeKind::AtLeast),
    (&["pas", "moins", "d'"], HedgeKind::AtLeast),
    (&["pas", "plus", "de"], HedgeKind::AtMost),
    (&["pas", "plus", "d'"], HedgeKind::AtMost),
    (&["tout", "au", "plus"], HedgeKind::AtMost),
    (&["aux", "alentours", "de"], HedgeKind::About),
    (&["de", "l'", "ordre", "de"], HedgeKind::About),
    (&["au", "dela", "de"], HedgeKind::Above),
    (&["plus", "de"], HedgeKind::Above),
    (&["plus", "d'"], HedgeKind::Above),
    (&["pres", "de"], HedgeKind::Nearly),
    (&["pres", "d'"], HedgeKind::Nearly),
    (&["moins", "de"], HedgeKind::Below),
    (&["moins", "d'"], HedgeKind::Below),
    (&["au", "moins"], HedgeKind::AtLeast),
    (&["au", "plus"], HedgeKind::AtMost),
    (&["jusqu'", "a"], HedgeKind::AtMost),
    (&["autour", "de"], HedgeKind::About),
    (&["autour", "d'"], HedgeKind::About),
    (&["a", "peine"], HedgeKind::Below),
    (&["environ"], HedgeKind::About),
    (&["quelque"], HedgeKind::About),
    (&["approximativement"], HedgeKind::About),
    (&["presque"], HedgeKind::Nearly),
    (&["quasiment"], HedgeKind::Nearly),
    (&["pratiquement"], HedgeKind::Nearly),
    (&["no", "fewer", "than"], HedgeKind::AtLeast),
    (&["no", "less", "than"], HedgeKind::AtLeast),
    (&["no", "more", "than"], HedgeKind::AtMost),
    (&["as", "many", "as"], HedgeKind::AtLeast),
    (&["more", "than"], HedgeKind::Above),
    (&["fewer", "than"], HedgeKind::Below),
    (&["less", "than"], HedgeKind::Below),
    (&["at", "least"], HedgeKind::AtLeast),
    (&["at", "most"], HedgeKind::AtMost),
    (&["up", "to"], HedgeKind::AtMost),
    (&["close", "to"], HedgeKind::Nearly),
    (&["upwards", "of"], HedgeKind::Above),
    (&["an", "estimated"], HedgeKind::About),
    (&["just", "over"], HedgeKind::Above),
    (&["just", "under"], HedgeKind::Below),
    (&["well", "over"], HedgeKind::Above),
    (&["over"], HedgeKind::Above),
    (&["under"], HedgeKind::Below),
    (&["nearly"], HedgeKind::Nearly),
    (&["almost"], HedgeKind::Nearly),
    (&["about"], HedgeKind::About),
    (&["around"], HedgeKind::About),
    (&["approximately"], HedgeKind::About),
    (&["roughly"], HedgeKind::About),
    (&["some"], HedgeKind::About),
];

/// The value of a number word, and whether it multiplies ("cent", "mille").
fn number_word(folded: &str) -> Option<u32> {
    Some(match folded {
        "deux" | "two" => 2,
        "trois" | "three" => 3,
        "quatre" | "four" => 4,
        "cinq" | "five" => 5,
        "six" => 6,
        "sept" | "seven" => 7,
        "huit" | "eight" => 8,
        "neuf" | "nine" => 9,
        "dix" | "ten" => 10,
        "onze" | "eleven" => 11,
        "douze" | "twelve" => 12,
        "treize" | "thirteen" => 13,
        "quatorze" | "fourteen" => 14,
        "quinze" | "fifteen" => 15,
        "seize" | "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "vingt" | "vingts" | "twenty" => 20,
        "trente" | "thirty" => 30,
        "quarante" | "forty" => 40,
        "cinquante" | "fifty" => 50,
        "soixante" | "sixty" => 60,
        "septante" | "seventy" => 70,
        "huitante" | "octante" | "eighty" => 80,
        "nonante" | "ninety" => 90,
        "cent" | "cents" | "hundred" => 100,
        "mille" | "thousand" => 1000,
        _ => return None,
    })
}

fn vague_word(folded: &str) -> Option<f64> {
    Some(match folded {
        "dizaine" | "dizaines" | "tens" => 10.0,
        "douzaine" | "douzaines" | "dozen" | "dozens" => 12.0,
        "quinzaine" => 15.0,
        "vingtaine" | "scores" => 20.0,
        "trentaine" => 30.0,
        "quarantaine" => 40.0,
        "cinquantaine" => 50.0,
        "soixantaine" => 60.0,
        "centaine" | "centaines" | "hundreds" => 100.0,
        "millier" | "milliers" | "thousands" => 1e3,
        "millions" => 1e6,
        "milliards" | "billions" => 1e9,
        _ => return None,
    })
}

fn is_of(folded: &str) -> bool {
    matches!(folded, "de" | "d'" | "des" | "of")
}

/// Finds the numbers of the text (see the module documentation).
pub(crate) fn find_numbers(
    ctx: &Ctx,
    quotes: &[Quote],
    dates: &[DateClaim],
    names: &[Name],
    headline: &Range<usize>,
) -> Vec<NumberClaim> {
    let n = ctx.an.tokens.len();
    let mut used = vec![false; n];
    for (i, u) in used.iter_mut().enumerate() {
        *u = ctx.in_furniture(ctx.range(i).start);
    }
    for span in dates.iter().map(|d| &d.span).chain(names.iter().map(|n| &n.span)) {
        for k in ctx.tokens_in(span) {
            used[k] = true;
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        if used[i] {
            i += 1;
            continue;
        }
        let glued = ctx.is_word(i) && ctx.tok(i).starts_with(|c: char| c.is_ascii_digit());
        let found = if ctx.is_number(i) || glued { digits(ctx, i, &used) } else { words(ctx, i, &used) };
        match found {
            Some((mut claim, last)) => {
                for u in used.iter_mut().take(last + 1).skip(i) {
                    *u = true;
                }
                claim.sentence = ctx.sentence_at(claim.number.start);
                claim.in_headline = headline.start <= claim.span.start && claim.span.start < headline.end;
                claim.in_quote = quotes.iter().any(|q| {
                    q.kind == QuoteKind::Quotation
                        && q.inner.start <= claim.number.start
                        && claim.number.end <= q.inner.end
                });
                out.push(claim);
                i = last + 1;
            }
            None => i += 1,
        }
    }
    out
}

fn free(used: &[bool], k: usize) -> bool {
    k < used.len() && !used[k]
}

/// A number in digits at token `i`, and the last token it takes.
fn digits(ctx: &Ctx, i: usize, used: &[bool]) -> Option<(NumberClaim, usize)> {
    let text = ctx.text;
    let r = ctx.range(i);
    let before = text[..r.start].trim_end_matches([' ', '\u{a0}', '\u{202f}']);
    if before.ends_with("n°") || before.ends_with("N°") || before.ends_with('#') || is_time(ctx, i, used) {
        return None;
    }
    // The minutes of a time ("14:30", "10 h 30").
    let b = before.trim_end();
    if let Some(head) = b.strip_suffix(':').or_else(|| b.strip_suffix('h')) {
        if head.trim_end().ends_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
    }
    let scanned = scan_number(text, r.start, decimal_style(ctx.lang))?;
    let base = scanned.value()?;
    let mut last = i;
    let mut multiplier = None;
    let mut r = r;
    if ctx.is_number(i) {
        if scanned.end != r.end {
            return None;
        }
    } else {
        // A multiplier glued to the digits ("£7.5bn", "3m", "10k"; the
        // tokenizer splits "7.5bn" into "7" and "5bn"); other words
        // starting with digits are ordinals, times or codes.
        let suffix_len: usize = text[scanned.end..].chars().take_while(|c| c.is_alphabetic()).map(char::len_utf8).sum();
        let suffix_end = scanned.end + suffix_len;
        let suffix = fold_str(&text[scanned.end..suffix_end]);
        let m = match suffix.as_str() {
            "k" => Some(1e3),
            "m" => Some(1e6),
            s => multiplier_of(s, ctx.lang).filter(|_| s.len() <= 3),
        };
        multiplier = Some(m?);
        r.end = suffix_end;
        last = ctx.token_from(suffix_end).saturating_sub(1).max(i);
        if (i + 1..=last).any(|k| !free(used, k)) {
            return None;
        }
    }
    if multiplier.is_none() && free(used, i + 1) && is_space_gap(ctx.gap_before(i + 1)) {
        if let Some(m) = multiplier_of(ctx.f(i + 1), ctx.lang) {
            multiplier = Some(m);
            last = i + 1;
        }
    }
    let mut claim = NumberClaim {
        multiplier,
        ..NumberClaim::bare(
            r.clone(),
            NumberForm::Digits,
            scanned.canonical.clone(),
            Some(base * multiplier.unwrap_or(1.0)).filter(|v| v.is_finite()),
        )
    };
    // A currency sign before the number.
    let sign_before = before.chars().next_back().and_then(currency_sign).filter(|u| *u != "%");
    let mut hedge_before = r.start;
    if let Some(unit) = sign_before {
        let sign_start = before.len() - before.chars().next_back().map_or(0, char::len_utf8);
        claim.unit = Some(Unit { span: sign_start..before.len(), unit: unit.to_string() });
        claim.span.start = sign_start;
        hedge_before = sign_start;
    }
    last = finish_after(ctx, &mut claim, last, used, multiplier.is_some());
    if let Some(h) = hedge(ctx, i, hedge_before) {
        claim.span.start = h.span.start;
        claim.hedge = Some(h);
    }
    Some((claim, last))
}

/// Whether the number at token `i` is a time ("14:30", "10 h 30").
fn is_time(ctx: &Ctx, i: usize, used: &[bool]) -> bool {
    let tok = ctx.tok(i);
    if tok.len() > 2 || !tok.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let after = &ctx.text[ctx.range(i).end..];
    let b = after.as_bytes();
    if b.len() >= 3 && (b[0] == b':' || b[0] == b'h') && b[1].is_ascii_digit() && b[2].is_ascii_digit() {
        return true;
    }
    // "10 h 30"
    free(used, i + 1)
        && ctx.f(i + 1) == "h"
        && free(used, i + 2)
        && ctx.is_number(i + 2)
        && ctx.tok(i + 2).len() == 2
        && ctx.gap_before(i + 2).trim().is_empty()
}

/// Reads the unit and the counted noun after token `last`; returns the
/// new last token.
fn finish_after(ctx: &Ctx, claim: &mut NumberClaim, mut last: usize, used: &[bool], multiplied: bool) -> usize {
    let text = ctx.text;
    let after_end = ctx.range(last).end;
    let rest = &text[after_end..];
    let trimmed = rest.trim_start_matches([' ', '\u{a0}', '\u{202f}']);
    let mut unit: Option<Unit> = None;
    let mut tail_end = claim.span.end.max(after_end);
    if claim.unit.is_none() {
        if let Some(u) = trimmed.chars().next().and_then(currency_sign) {
            let at = after_end + (rest.len() - trimmed.len());
            let len = trimmed.chars().next().map_or(1, char::len_utf8);
            unit = Some(Unit { span: at..at + len, unit: u.to_string() });
            tail_end = at + len;
        } else {
            // "millions d'euros": "de" is taken only with a unit after it.
            let mut k = last + 1;
            if multiplied && free(used, k) && is_of(ctx.f(k)) && ctx.f(k) != "des" && free(used, k + 1) {
                k += 1;
            }
            if free(used, k) && ctx.is_word(k) && (is_space_gap(ctx.gap_before(k)) || ctx.gap_before(k).is_empty()) {
                let pair = free(used, k + 1)
                    .then(|| unit_of_pair(ctx.f(k), ctx.f(k + 1)))
                    .flatten()
                    .filter(|_| is_space_gap(ctx.gap_before(k + 1)));
                if let Some(u) = pair {
                    unit = Some(Unit { span: ctx.range(k).start..ctx.range(k + 1).end, unit: u.to_string() });
                    last = k + 1;
                } else if let Some(u) = unit_of(ctx.f(k)).filter(|_| !ctx.is_cap(k)) {
                    unit = Some(Unit { span: ctx.range(k), unit: u.to_string() });
                    last = k;
                }
                if let Some(u) = &unit {
                    tail_end = u.span.end;
                }
            }
        }
    }
    if unit.is_some() {
        claim.unit = unit;
    }
    // The counted noun: not after a unit of measure or time.
    let countable = claim.unit.as_ref().is_none_or(|u| matches!(u.unit.as_str(), "EUR" | "USD" | "GBP" | "CHF" | "%"));
    if countable {
        let mut k = last + 1;
        // After a currency or a percentage, only "of"/"de" introduces what
        // is counted ("15 % des voix"; not "40 percent agreed").
        let need_of = claim.unit.is_some();
        let allow_of = need_of || multiplied || claim.form == NumberForm::Vague;
        // The first word after the number must follow it with only spaces
        // between (a sign unit such as "%" included).
        let first_ok = k < ctx.an.tokens.len() && {
            let from = tail_end.min(ctx.range(k).start);
            let gap = &text[from..ctx.range(k).start];
            (!gap.is_empty() && gap.chars().all(|c| matches!(c, ' ' | '\u{a0}' | '\u{202f}')))
                || (gap.is_empty() && ctx.f(k - 1).ends_with('\''))
        };
        let mut took_of = false;
        if first_ok && allow_of && free(used, k) && is_of(ctx.f(k)) {
            k += 1;
            took_of = true;
        }
        let counted = if first_ok && (took_of || !need_of) { counted_noun(ctx, k, used, k == last + 1) } else { None };
        if let Some((span, head)) = counted {
            let key = crate::key_of(&ctx.text[ctx.range(head).start..span.end]);
            let tok = ctx.an.tokens[head];
            let stem = stem_keys(ctx.text, &[tok], ctx.lang).first().copied().unwrap_or(tok.key);
            tail_end = tail_end.max(span.end);
            claim.counts = Some(Counted { span, key, stem });
        }
    }
    claim.span.end = claim.span.end.max(tail_end);
    last
}

fn joined(ctx: &Ctx, k: usize) -> bool {
    let gap = ctx.gap_before(k);
    is_space_gap(gap) || (gap.is_empty() && k > 0 && ctx.f(k - 1).ends_with('\''))
}

/// A counted noun starting at token `k`: its span and head token.
fn counted_noun(ctx: &Ctx, k: usize, used: &[bool], first_checked: bool) -> Option<(Range<usize>, usize)> {
    let content = |k: usize| {
        free(used, k)
            && ctx.is_word(k)
            && !ctx.is_cap(k)
            && !ctx.is_stop(k)
            && !ctx.f(k).ends_with('\'')
            && month_of(ctx.f(k)).is_none()
            && unit_of(ctx.f(k)).is_none()
            && ctx.tok(k).chars().all(char::is_alphabetic)
    };
    if !content(k) || !(first_checked || joined(ctx, k)) {
        return None;
    }
    let mut head = k;
    if ctx.lang == Some(Lang::En) && content(k + 1) && is_space_gap(ctx.gap_before(k + 1)) && looks_adjective(ctx.f(k))
    {
        head = k + 1;
    }
    let mut end = head;
    while free(used, end + 1) && ctx.is_word(end + 1) && is_hyphen_gap(ctx.gap_before(end + 1)) {
        end += 1;
    }
    Some((ctx.range(k).start..ctx.range(end).end, head))
}

fn looks_adjective(folded: &str) -> bool {
    ["al", "ian", "an", "ese", "ic", "ive", "ous", "ful", "ish", "ern", "ign", "ed", "ary"]
        .iter()
        .any(|s| folded.len() > s.len() + 2 && folded.ends_with(s))
}

/// The hedge ending just before byte `before`, whose number is token `i`.
fn hedge(ctx: &Ctx, i: usize, before: usize) -> Option<Hedge> {
    // Tokens before the number, nearest last.
    let mut best: Option<Hedge> = None;
    for (words, kind) in HEDGES {
        let len = words.len();
        if i < len {
            continue;
        }
        let first = i - len;
        if !words.iter().enumerate().all(|(j, w)| ctx.f(first + j) == *w) {
            continue;
        }
        // Joined by spaces (or an elision), and only spaces before the number.
        let inner_ok = (first + 1..i).all(|k| joined(ctx, k));
        let gap = &ctx.text[ctx.range(i - 1).end..before];
        let gap_ok = gap.chars().all(|c| matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            && (!gap.is_empty() || ctx.f(i - 1).ends_with('\''));
        if inner_ok && gap_ok && best.as_ref().is_none_or(|b| ctx.range(first).start < b.span.start) {
            best = Some(Hedge { span: ctx.range(first).start..ctx.range(i - 1).end, kind: *kind });
        }
    }
    best
}

/// A number in words or a vague quantity at token `i`.
fn words(ctx: &Ctx, i: usize, used: &[bool]) -> Option<(NumberClaim, usize)> {
    if !ctx.is_word(i) {
        return None;
    }
    let f = ctx.f(i);
    // A vague quantity: "des dizaines de".
    if let Some(v) = vague_word(f) {
        if free(used, i + 1) && is_of(ctx.f(i + 1)) && ctx.f(i + 1) != "des" && joined(ctx, i + 1) {
            let r = ctx.range(i);
            let mut claim = NumberClaim::bare(r.clone(), NumberForm::Vague, format!("{v}"), Some(v));
            let last = finish_after(ctx, &mut claim, i, used, false);
            if let Some(h) = hedge(ctx, i, r.start) {
                claim.span.start = h.span.start;
                claim.hedge = Some(h);
            }
            return Some((claim, last));
        }
        return None;
    }
    // A run of number words.
    let article = matches!(f, "un" | "une" | "one" | "a");
    let starts = number_word(f).is_some()
        || (article && free(used, i + 1) && multiplier_of(ctx.f(i + 1), ctx.lang).is_some() && joined(ctx, i + 1));
    if !starts || ctx.tok(i).chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut end = i;
    let mut seq: Vec<&str> = vec![f];
    loop {
        let k = end + 1;
        if !free(used, k) || !ctx.is_word(k) {
            break;
        }
        let gap = ctx.gap_before(k);
        if !(is_space_gap(gap) || is_hyphen_gap(gap)) {
            break;
        }
        let fk = ctx.f(k);
        if number_word(fk).is_some() || multiplier_of(fk, ctx.lang).is_some() {
            seq.push(fk);
            end = k;
        } else if matches!(fk, "et" | "and") && free(used, k + 1) && number_word(ctx.f(k + 1)).is_some() {
            end = k;
        } else if matches!(fk, "un" | "une" | "one") && is_hyphen_gap(gap) {
            seq.push(fk);
            end = k;
        } else {
            break;
        }
    }
    let value = words_value(&seq, ctx.lang);
    if value <= 0.0 {
        return None;
    }
    let r = ctx.range(i).start..ctx.range(end).end;
    let mut claim = NumberClaim::bare(r.clone(), NumberForm::Words, format!("{value}"), Some(value));
    let multiplied =
        seq.last().is_some_and(|w| multiplier_of(w, ctx.lang).is_some() && !matches!(*w, "mille" | "cent"));
    let last = finish_after(ctx, &mut claim, end, used, multiplied);
    let h = hedge(ctx, i, r.start);
    let of_them = free(used, end + 1)
        && matches!(ctx.f(end + 1), "d'" | "of")
        && matches!(ctx.f(end + 2), "entre" | "them" | "those" | "these");
    if claim.counts.is_none() && claim.unit.is_none() && !multiplied && h.is_none() && !of_them {
        return None;
    }
    if let Some(h) = h {
        claim.span.start = h.span.start;
        claim.hedge = Some(h);
    }
    Some((claim, last))
}

/// The value of a run of number words ("quatre-vingt-dix", "deux cent
/// cinquante", "twenty-one", "un million").
fn words_value(seq: &[&str], lang: Option<Lang>) -> f64 {
    let mut total = 0f64;
    let mut cur = 0f64;
    for w in seq {
        match *w {
            "cent" | "cents" | "hundred" => cur = cur.max(1.0) * 100.0,
            "mille" | "thousand" => {
                total += cur.max(1.0) * 1000.0;
                cur = 0.0;
            }
            "vingt" | "vingts" if cur % 100.0 == 4.0 => cur += 76.0,
            "un" | "une" | "one" | "a" => cur += 1.0,
            w => {
                if let Some(m) = multiplier_of(w, lang) {
                    total += cur.max(1.0) * m;
                    cur = 0.0;
                } else if let Some(v) = number_word(w) {
                    cur += f64::from(v);
                }
            }
        }
    }
    total + cur
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract_text;

    fn numbers(text: &str) -> Vec<NumberClaim> {
        extract_text(text).numbers
    }

    #[test]
    fn counts_units_and_hedges() {
        let t = "Plus de 283 000 manifestants, près de 1,5 million d'euros et 15 % des voix.";
        let n = numbers(t);
        assert_eq!(n.len(), 3, "{n:?}");
        assert_eq!(n[0].value, Some(283000.0));
        assert_eq!(n[0].hedge.as_ref().map(|h| h.kind), Some(HedgeKind::Above));
        assert_eq!(n[0].counts.as_ref().map(|c| c.key.as_str()), Some("manifestants"));
        assert_eq!(n[1].value, Some(1_500_000.0));
        assert_eq!(n[1].unit.as_ref().map(|u| u.unit.as_str()), Some("EUR"));
        assert_eq!(n[1].hedge.as_ref().map(|h| h.kind), Some(HedgeKind::Nearly));
        assert_eq!(n[2].unit.as_ref().map(|u| u.unit.as_str()), Some("%"));
        assert_eq!(n[2].counts.as_ref().map(|c| c.key.as_str()), Some("voix"));
    }

    #[test]
    fn number_words_and_vague_quantities() {
        let n = numbers("Des dizaines de combattants, quatre-vingt-dix morts, soixante d'entre eux, un bâtiment neuf.");
        let got: Vec<(NumberForm, Option<f64>)> = n.iter().map(|c| (c.form, c.value)).collect();
        assert_eq!(
            got,
            [(NumberForm::Vague, Some(10.0)), (NumberForm::Words, Some(90.0)), (NumberForm::Words, Some(60.0))]
        );
        assert_eq!(n[0].counts.as_ref().map(|c| c.key.as_str()), Some("combattants"));
    }

    #[test]
    fn english_numbers() {
        let t = "More than $5 billion, at least 244 foreign fighters and about 12 km.";
        let n = numbers(t);
        assert_eq!(n[0].value, Some(5e9));
        assert_eq!(n[0].unit.as_ref().map(|u| u.unit.as_str()), Some("USD"));
        assert_eq!(n[0].hedge.as_ref().map(|h| h.kind), Some(HedgeKind::Above));
        assert_eq!(&t[n[0].span.clone()], "More than $5 billion");
        assert_eq!(n[1].counts.as_ref().map(|c| c.key.as_str()), Some("fighters"));
        assert_eq!(n[2].unit.as_ref().map(|u| u.unit.as_str()), Some("km"));
    }

    #[test]
    fn times_and_dates_are_not_numbers() {
        assert!(numbers("Rendez-vous à 14:30 le 10 juin 2016, ou à 10 h 30.").is_empty());
    }
}
