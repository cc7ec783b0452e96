//! Claims compared across a family.
//!
//! Every version's claims (stemma-claims: quotes with speakers, numbers
//! with what they count and their hedges, names, headline lines) are looked
//! for in every other version:
//!
//! - a **quote** matches a quote of another version whose content words
//!   mostly agree (re-wording and translation keep most of them); it is
//!   `corroborated` when some version gives it to the same speaker (or to no
//!   one), `altered`/`speaker` when the others give it to someone else,
//!   `altered`/`truncated` when it is a cut-down version of theirs (at most
//!   75 % of their content words), `unsupported` when no other version says
//!   it, quoted or not (a headline statement its own body makes is
//!   supported by that body);
//! - a **number** is `corroborated` where the aligned sentence of another
//!   version has the same value (whatever its formatting), `minor`/`hedge`
//!   when only its hedge differs ("plus de" / "près de"), `altered`/`value`
//!   where the aligned sentence has another value, `unsupported` when its
//!   value is nowhere else;
//! - a **name** replaced by another at the aligned place of another version
//!   is `altered`/`swapped`; variants of one entity (Daesh / l'EIIL, Tories /
//!   Conservatives) corroborate each other; a quote's speaker already
//!   reported as re-attributed is not reported again;
//! - a **headline** line is `corroborated` when most of its content words
//!   are in one sentence of its own body or of another version, else
//!   `unsupported`;
//! - a **sentence** that no other version has a counterpart of is
//!   `unsupported` (page furniture and headline lines excepted).

use crate::{ClaimReport, Counterpart};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;
use stemma_claims::{Attribution, Claims, DateClaim, NumberClaim, NumberForm, QuoteKind};
use stemma_core::{CompareReport, Document, Span};
use stemma_text::{stem_keys, Analysis, Lang, TokenKind};

/// Every ordered pair's comparison.
type Reports = FxHashMap<(usize, usize), CompareReport>;

/// One version, analysed.
struct Version<'a> {
    doc: &'a Document,
    an: Analysis,
    claims: Claims,
    /// Content-word stem per token (`None` for function words).
    stems: Vec<Option<u64>>,
    /// Its paragraphs.
    paragraphs: Vec<Range<usize>>,
}

fn prepare(doc: &Document) -> Version<'_> {
    let an = Analysis::new(&doc.text, doc.lang.as_deref().and_then(Lang::from_code));
    let claims = stemma_claims::extract(&doc.text, &an);
    // Stems of the version's own language: "corrompu" and "corrompue"
    // agree; versions in two languages then share their names and numbers.
    let keys = stem_keys(&doc.text, &an.tokens, an.lang);
    let stems = an
        .tokens
        .iter()
        .zip(keys)
        .map(|(t, k)| {
            let s = t.as_str(&doc.text);
            let content = t.kind == TokenKind::Number
                || (s.chars().nth(1).is_some() && !stemma_text::is_stopword(&stemma_text::fold_str(s), an.lang));
            content.then_some(k)
        })
        .collect();
    let paragraphs = stemma_claims::layout::paragraphs(&doc.text);
    Version { doc, an, claims, stems, paragraphs }
}

impl Version<'_> {
    /// Content stems of a byte range.
    fn stems_in(&self, r: &Range<usize>) -> FxHashSet<u64> {
        self.stem_seq(r).into_iter().collect()
    }

    /// Content-word stems of `r`, in text order.
    fn stem_seq(&self, r: &Range<usize>) -> Vec<u64> {
        let first = self.an.tokens.partition_point(|t| (t.end as usize) <= r.start);
        self.an.tokens[first..]
            .iter()
            .zip(&self.stems[first..])
            .take_while(|(t, _)| (t.start as usize) < r.end)
            .filter_map(|(_, s)| *s)
            .collect()
    }

    /// Keys of every word of `r` (function words included), in text order.
    fn word_keys(&self, r: &Range<usize>) -> Vec<u64> {
        let first = self.an.tokens.partition_point(|t| (t.end as usize) <= r.start);
        self.an.tokens[first..].iter().take_while(|t| (t.start as usize) < r.end).map(|t| t.key).collect()
    }

    fn span(&self, r: &Range<usize>) -> Span {
        Span::of(&self.doc.text, r.clone())
    }

    fn in_furniture(&self, r: &Range<usize>) -> bool {
        self.claims.furniture.iter().any(|f| f.start <= r.start && r.end <= f.end)
    }
}

fn containment(x: &FxHashSet<u64>, y: &FxHashSet<u64>) -> f64 {
    if x.is_empty() {
        return 0.0;
    }
    x.intersection(y).count() as f64 / x.len() as f64
}

fn dice(x: &FxHashSet<u64>, y: &FxHashSet<u64>) -> f64 {
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    2.0 * x.intersection(y).count() as f64 / (x.len() + y.len()) as f64
}

/// Best counterpart of a set of stems among the sentences of a version,
/// with its containment.
fn best_sentence(stems: &FxHashSet<u64>, v: &Version, skip: Option<&Range<usize>>) -> Option<(f64, Range<usize>)> {
    v.an.sentences
        .iter()
        .map(|s| s.range())
        .filter(|r| skip.is_none_or(|k| !(k.start <= r.start && r.end <= k.end)))
        .map(|r| (containment(stems, &v.stems_in(&r)), r))
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.start.cmp(&a.1.start)))
}

/// Content stems of the sentences of `w` aligned with sentence `si` of
/// version `i` (empty when the comparison found none).
fn counterpart_stems(reports: &Reports, i: usize, j: usize, si: usize, w: &Version) -> FxHashSet<u64> {
    let mut out = FxHashSet::default();
    if let Some(s) = reports.get(&(i, j)).and_then(|r| r.a_sentences.get(si)) {
        for &c in &s.counterparts {
            if let Some(sent) = w.an.sentences.get(c) {
                out.extend(w.stems_in(&sent.range()));
            }
        }
    }
    out
}

/// Whether a quote stands alone in its paragraph (an intertitle or a pull
/// quote repeating words of the body).
fn stands_alone(v: &Version, q: &stemma_claims::Quote) -> bool {
    v.paragraphs.iter().find(|p| p.start <= q.span.start && q.span.start < p.end).is_some_and(|p| {
        let rest = v.doc.text[p.start..q.span.start].trim().is_empty()
            && v.doc.text[q.span.end.min(p.end)..p.end].trim().is_empty();
        rest && q.words <= 12
    })
}

/// How nearly two quotes say the same: their Dice overlap, or the share of
/// the shorter held by the longer when they share at least three words or
/// all of the shorter's (two at least, or one when `one_word_enough`: a
/// quote of several words with one content word, "They are not an
/// efficient," and not a one-word quote such as "démocratie").
/// A shorter quote of theirs sharing one or two words vouches for mine only
/// as far as it covers it: a term quoted elsewhere (« gilets jaunes ») says
/// nothing of a long quote that happens to hold its two words, while a
/// piece of three words or more is the same words quoted shorter.
fn quote_match(mine: &FxHashSet<u64>, theirs: &FxHashSet<u64>, one_word_enough: bool) -> f64 {
    let shared = mine.intersection(theirs).count();
    let covered = shared as f64 / mine.len().max(1) as f64;
    if theirs.len() < mine.len() && shared < 3 && covered < 0.4 {
        return covered;
    }
    let d = dice(mine, theirs);
    let shorter = mine.len().min(theirs.len());
    if shared >= 3 || (shared == shorter && (shorter >= 2 || one_word_enough)) {
        d.max(shared as f64 / shorter.max(1) as f64)
    } else {
        d
    }
}

/// Whether a speaker was named for the quote itself, not carried over
/// from an earlier quote or resolved from a pronoun ("a-t-elle dit"): those
/// go wrong where marks are broken or the antecedent is ambiguous, and a
/// re-attribution is claimed only on firm ground.
fn direct(s: &stemma_claims::Speaker) -> bool {
    !matches!(s.method, Attribution::Continuation | Attribution::Pronoun | Attribution::Inversion)
}

/// Whether version `v` quotes all of a longer quote in pieces ("« A »,
/// dit-il. « B »" against "« A B »"): its quotes near `q` (in its paragraph)
/// held in the longer one, with the quote's own context, cover most of what
/// the longer one says beyond `q` (`rest`).
/// The whole quote repeated elsewhere in the text does not make a cut one
/// whole.
fn quoted_in_pieces(
    v: &Version,
    q: &stemma_claims::Quote,
    theirs: &FxHashSet<u64>,
    rest: &FxHashSet<u64>,
    context: &FxHashSet<u64>,
) -> bool {
    let around = v
        .paragraphs
        .iter()
        .find(|p| p.start <= q.span.start && q.span.start < p.end)
        .map_or(q.span.start.saturating_sub(500)..q.span.end + 500, |p| p.start..p.end);
    let mut covered = context.clone();
    let near = |o: &&stemma_claims::Quote| o.span.start < around.end && around.start < o.span.end;
    for o in v.claims.quotes.iter().filter(|o| o.kind != QuoteKind::Term).filter(near) {
        let piece = v.stems_in(&o.inner);
        if containment(&piece, theirs) >= 0.8 {
            covered.extend(piece);
        }
    }
    containment(rest, &covered) >= 0.7
}

/// A longer quote of another version, at the sentence aligned with `q`'s,
/// whose words begin with all of `q`'s (three at least) and that has at
/// least 30 % more: `q` is a cut of it.
fn start_of_longer(vs: &[Version], i: usize, q: &stemma_claims::Quote, reports: &Reports) -> Option<Counterpart> {
    let v = &vs[i];
    if q.words < 3 || q.parent.is_some() {
        return None;
    }
    let mine = v.word_keys(&q.inner);
    vs.iter().enumerate().filter(|&(j, _)| j != i).find_map(|(j, w)| {
        let aligned = counterparts(reports, i, j, q.sentence);
        w.claims
            .quotes
            .iter()
            .filter(|o| o.kind != QuoteKind::Term && o.closed && o.parent.is_none() && aligned.contains(&o.sentence))
            .find(|o| {
                let theirs = w.word_keys(&o.inner);
                10 * mine.len() <= 7 * theirs.len() && theirs.starts_with(&mine)
            })
            .map(|o| Counterpart { version: w.doc.id.clone(), span: w.span(&o.span) })
    })
}

/// The claim report of quote `q` of version `v`.
fn quote_report(
    v: &Version,
    q: &stemma_claims::Quote,
    status: &str,
    change: Option<&str>,
    corroborated_by: Vec<String>,
    other: Option<Counterpart>,
) -> ClaimReport {
    ClaimReport {
        version: v.doc.id.clone(),
        kind: "quote".into(),
        span: v.span(&q.span),
        in_headline: v.claims.in_headline(&q.span),
        speaker: q.speaker.as_ref().map(|s| v.span(&s.span)),
        value: None,
        status: status.into(),
        change: change.map(str::to_string),
        corroborated_by,
        other,
    }
}

fn quote_claims(vs: &[Version], i: usize, reports: &Reports) -> Vec<ClaimReport> {
    let v = &vs[i];
    let mut out = Vec::new();
    for q in v.claims.quotes.iter().filter(|q| q.kind != QuoteKind::Term && !v.in_furniture(&q.span)) {
        // The quote's content stems in order (its ends tell a cut), and as a set.
        let mine_seq = v.stem_seq(&q.inner);
        let mine: FxHashSet<u64> = mine_seq.iter().copied().collect();
        // A quoted word or two without a speaker is a scare quote or a
        // term, not a claim; words said by someone named ("It is very
        // clear," Mr Cable said) are, however few.
        let said = q.speaker.as_ref().is_some_and(|s| s.named && direct(s));
        if mine.is_empty()
            || (mine.len() < 2 && !said)
            || (mine.len() < 3 && !q.speaker.as_ref().is_some_and(|s| s.named))
        {
            // Too few content words to stand as a claim, unless it is the
            // start, word for word, of a longer quote at the same place
            // ("They are not an," against "They are not an efficient way
            // of spreading"): a cut leaving mostly function words.
            if let Some(o) = start_of_longer(vs, i, q, reports) {
                out.push(quote_report(v, q, "altered", Some("truncated"), Vec::new(), Some(o)));
            }
            continue;
        }
        // What surrounds the quote in its own version: its sentence and the
        // quotation enclosing it. A counterpart that this context covers is
        // not longer than what this version says, only cut differently
        // ("« A », dit-il, « B »" against "« A B »").
        let mut context = v.an.sentences.get(q.sentence).map(|s| v.stems_in(&s.range())).unwrap_or_default();
        context.extend(v.stems_in(&q.span));
        if let Some(p) = q.parent.and_then(|p| v.claims.quotes.get(p)) {
            context.extend(v.stems_in(&p.inner));
        }
        let mut corroborated: Vec<String> = Vec::new();
        let mut speaker_differs: Option<Counterpart> = None;
        let mut longer: Option<Counterpart> = None;
        let mut agree_full = false;
        for (j, w) in vs.iter().enumerate() {
            if j == i {
                continue;
            }
            let aligned_sentences = counterparts(reports, i, j, q.sentence);
            // The quote of w that says most nearly the same; of equals (a
            // quote repeated in the text), the one at the aligned place.
            let best = w
                .claims
                .quotes
                .iter()
                .filter(|o| o.kind != QuoteKind::Term)
                .map(|o| {
                    let theirs = w.stems_in(&o.inner);
                    let shorter_words = if mine.len() <= theirs.len() { q.words } else { o.words };
                    (quote_match(&mine, &theirs, shorter_words >= 3), o, theirs)
                })
                .max_by(|a, b| {
                    a.0.total_cmp(&b.0)
                        .then(aligned_sentences.contains(&a.1.sentence).cmp(&aligned_sentences.contains(&b.1.sentence)))
                        .then(b.1.span.start.cmp(&a.1.span.start))
                });
            let aligned = counterpart_stems(reports, i, j, q.sentence, w);
            match best {
                Some((score, o, theirs)) if score >= 0.4 => {
                    // An alteration is claimed only of the same quote at the
                    // same place: in the aligned sentence, or nearly word for
                    // word.
                    let same_place = aligned_sentences.contains(&o.sentence) || score >= 0.7;
                    let speakers_clash = same_place
                        && matches!((&q.speaker, &o.speaker), (Some(a), Some(b))
                            if a.named && b.named && direct(a) && direct(b) && !a.same_speaker(b));
                    if speakers_clash {
                        speaker_differs.get_or_insert(Counterpart { version: w.doc.id.clone(), span: w.span(&o.span) });
                        continue;
                    }
                    // A nested quotation is cut where its enclosing one is:
                    // only an outermost one can be truncated, and only
                    // against a well-formed quotation.
                    // A cut keeps one end of the quote: its first words (cut
                    // short) or, for three words or more, its last ones (a
                    // quoted term such as « gilets jaunes » often ends a
                    // longer quote without being a cut of it).
                    let kept_an_end = {
                        let (a, b) = (&mine_seq, w.stem_seq(&o.inner));
                        a.first().is_some_and(|x| b.first() == Some(x))
                            || (mine.len() >= 3 && a.last().is_some_and(|x| b.last() == Some(x)))
                    };
                    // What the longer quote says beyond this one: a cut
                    // loses it; a quote cut differently says it outside
                    // the marks or in another piece.
                    let rest: FxHashSet<u64> = theirs.difference(&mine).copied().collect();
                    let truncated = same_place
                        && kept_an_end
                        && q.words >= 3
                        // With one content word kept, the longer quote must
                        // start with all of its words: « ne pas manifester »
                        // shares its one word with « manifesteront samedi »
                        // without being a cut of it.
                        && (mine.len() >= 2 || w.word_keys(&o.inner).starts_with(&v.word_keys(&q.inner)))
                        && (said || mine.len() >= 3)
                        && q.parent.is_none()
                        && o.closed
                        && o.words <= 80
                        && mine.len() * 4 <= theirs.len() * 3
                        && containment(&mine, &theirs) >= 0.8
                        && containment(&rest, &context) < 0.7
                        && !quoted_in_pieces(v, q, &theirs, &rest, &context);
                    if truncated {
                        longer.get_or_insert(Counterpart { version: w.doc.id.clone(), span: w.span(&o.span) });
                    } else {
                        agree_full = true;
                    }
                    corroborated.push(w.doc.id.clone());
                }
                _ => {
                    // Said without quotation marks: re-worded in the aligned
                    // sentence (a lower bar when that sentence names the
                    // same speaker), or nearly word for word anywhere.
                    let speaker_there = q.speaker.as_ref().is_some_and(|sp| {
                        let name = v.stems_in(&sp.span);
                        sp.named && !name.is_empty() && name.is_subset(&aligned)
                    });
                    let c = containment(&mine, &aligned);
                    if c >= 0.5
                        || (speaker_there && c >= 0.3)
                        || best_sentence(&mine, w, None).is_some_and(|(c, _)| c >= 0.7)
                    {
                        corroborated.push(w.doc.id.clone());
                        agree_full = true;
                    }
                }
            }
        }
        let in_headline = v.claims.in_headline(&q.span);
        // A headline, intertitle or pull quote may repeat its own body.
        let own_body = (in_headline || stands_alone(v, q))
            && v.claims.quotes.iter().any(|o| {
                o.span != q.span
                    && !(o.span.start <= q.span.start && q.span.end <= o.span.end)
                    && !v.claims.in_headline(&o.span)
                    && containment(&mine, &v.stems_in(&o.inner)) >= 0.8
            })
            || in_headline && best_sentence(&mine, v, Some(&v.claims.headline)).is_some_and(|(c, _)| c >= 0.7);
        // A version quoting it longer tells of a cut even when copies of
        // this version repeat the cut quote.
        let (status, change, other) = if let Some(o) = longer {
            ("altered", Some("truncated"), Some(o))
        } else if agree_full {
            ("corroborated", None, None)
        } else if let Some(o) = speaker_differs {
            ("altered", Some("speaker"), Some(o))
        } else if own_body {
            corroborated.push(v.doc.id.clone());
            ("corroborated", None, None)
        } else {
            ("unsupported", None, None)
        };
        let corroborated = if status == "corroborated" { corroborated } else { Vec::new() };
        out.push(quote_report(v, q, status, change, corroborated, other));
    }
    out
}

/// Sentences of `w` aligned with sentence `si` of version `i`.
fn counterparts(reports: &Reports, i: usize, j: usize, si: usize) -> &[usize] {
    reports.get(&(i, j)).and_then(|r| r.a_sentences.get(si)).map_or(&[], |s| &s.counterparts[..])
}

fn same_value(a: &NumberClaim, b: &NumberClaim) -> bool {
    match (a.value, b.value) {
        (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0),
        _ => a.canonical == b.canonical && a.multiplier == b.multiplier,
    }
}

/// Whether two numbers may count the same thing: nothing they say of what
/// they count or measure differs.
fn may_be_same_quantity(a: &NumberClaim, b: &NumberClaim) -> bool {
    let counts = match (&a.counts, &b.counts) {
        (Some(x), Some(y)) => x.stem == y.stem,
        (None, None) => true,
        _ => false,
    };
    let units = match (&a.unit, &b.unit) {
        (Some(x), Some(y)) => x.unit == y.unit,
        (None, None) => true,
        _ => false,
    };
    counts && units
}

/// Whether two numbers of aligned sentences count the same thing.
fn same_quantity(a: &NumberClaim, b: &NumberClaim) -> bool {
    match (&a.counts, &b.counts, &a.unit, &b.unit) {
        (Some(x), Some(y), _, _) if x.stem == y.stem => true,
        (_, _, Some(x), Some(y)) => x.unit == y.unit,
        _ => false,
    }
}

fn number_claims(vs: &[Version], i: usize, reports: &Reports) -> Vec<ClaimReport> {
    let v = &vs[i];
    let mut out = Vec::new();
    for n in v.claims.numbers.iter().filter(|n| !v.in_furniture(&n.span)) {
        let mut corroborated = Vec::new();
        let mut changed: Option<Counterpart> = None;
        let mut hedge: Option<Counterpart> = None;
        let alone = v.claims.numbers.iter().filter(|m| m.sentence == n.sentence).count() == 1;
        for (j, w) in vs.iter().enumerate() {
            if j == i {
                continue;
            }
            let aligned = counterparts(reports, i, j, n.sentence);
            let in_aligned: Vec<&NumberClaim> =
                w.claims.numbers.iter().filter(|m| aligned.contains(&m.sentence)).collect();
            if let Some(m) = in_aligned.iter().find(|m| same_value(n, m)) {
                // Same value at the same place: a changed hedge ("plus de"
                // / "près de") is a minor difference.
                if n.hedge.as_ref().map(|h| h.kind) != m.hedge.as_ref().map(|h| h.kind) {
                    hedge.get_or_insert(Counterpart { version: w.doc.id.clone(), span: w.span(&m.span) });
                } else {
                    corroborated.push(w.doc.id.clone());
                }
                continue;
            }
            // Another value where the aligned sentence counts the same thing
            // (or where each sentence holds one number): changed, even if
            // the value turns up elsewhere in w.
            let only_there = in_aligned.len() == 1;
            let bare = |x: &NumberClaim| x.counts.is_none() && x.unit.is_none();
            // Or the one number of the aligned sentences left unmatched
            // when all the others of both sides agree ("3.200 …, contre
            // 9.000" against "3.200 …, contre 6.000").
            let mine_here: Vec<&NumberClaim> = v.claims.numbers.iter().filter(|m| m.sentence == n.sentence).collect();
            let theirs_left: Vec<&&NumberClaim> =
                in_aligned.iter().filter(|m| !mine_here.iter().any(|x| same_value(x, m))).collect();
            let mine_left = mine_here.iter().filter(|x| !in_aligned.iter().any(|m| same_value(x, m))).count();
            let last_one = |m: &NumberClaim| {
                mine_left == 1
                    && theirs_left.len() == 1
                    && std::ptr::eq(*theirs_left[0], m)
                    && may_be_same_quantity(n, m)
            };
            if let Some(m) = in_aligned
                .iter()
                .find(|m| same_quantity(n, m) || (alone && only_there && bare(n) && bare(m)) || last_one(m))
            {
                changed.get_or_insert(Counterpart { version: w.doc.id.clone(), span: w.span(&m.span) });
                continue;
            }
            // The same value elsewhere: when it counts the same thing, or
            // is distinctive enough (digits, 10 or more) not to be chance.
            let distinctive = n.form == NumberForm::Digits && n.value.is_some_and(|x| x >= 10.0);
            if w.claims
                .numbers
                .iter()
                .any(|m| same_value(n, m) && !w.in_furniture(&m.span) && (distinctive || same_quantity(n, m)))
            {
                corroborated.push(w.doc.id.clone());
            }
        }
        // The same value at the same place in another version, hedged
        // otherwise, attests the value: a version that changed it is the
        // altered one, not this one ("plus de 100" against "près de 100"
        // and "150").
        let (status, change, other) = if !corroborated.is_empty() {
            ("corroborated", None, None)
        } else if let Some(o) = hedge {
            ("minor", Some("hedge"), Some(o))
        } else if let Some(o) = changed {
            ("altered", Some("value"), Some(o))
        } else if n.form == NumberForm::Vague {
            // "des dizaines de": no claim of its own (an unsupported
            // sentence holding it is reported).
            continue;
        } else {
            ("unsupported", None, None)
        };
        out.push(ClaimReport {
            version: v.doc.id.clone(),
            kind: "number".into(),
            span: v.span(&n.span),
            in_headline: n.in_headline,
            speaker: None,
            value: Some(n.value.map_or_else(|| n.canonical.clone(), |x| format!("{x}"))),
            status: status.into(),
            change: change.map(str::to_string),
            corroborated_by: corroborated,
            other,
        });
    }
    out
}

/// Whether two dates may be the same day, month or year (every part both
/// give agrees, and they share at least one).
fn same_date(a: &DateClaim, b: &DateClaim) -> bool {
    let parts = [
        (a.year.map(i64::from), b.year.map(i64::from)),
        (a.month.map(i64::from), b.month.map(i64::from)),
        (a.day.map(i64::from), b.day.map(i64::from)),
    ];
    let shared = parts.iter().filter(|(x, y)| x.is_some() && y.is_some()).count();
    shared > 0 && parts.iter().all(|(x, y)| x.is_none() || y.is_none() || x == y)
}

fn date_claims(vs: &[Version], i: usize, reports: &Reports) -> Vec<ClaimReport> {
    let v = &vs[i];
    let mut out = Vec::new();
    for d in v.claims.dates.iter().filter(|d| !d.relative && !v.in_furniture(&d.span)) {
        let mut corroborated = Vec::new();
        let mut changed: Option<Counterpart> = None;
        for (j, w) in vs.iter().enumerate() {
            if j == i {
                continue;
            }
            if w.claims.dates.iter().any(|e| !e.relative && same_date(d, e)) {
                corroborated.push(w.doc.id.clone());
                continue;
            }
            let aligned = counterparts(reports, i, j, d.sentence);
            if let Some(e) = w.claims.dates.iter().find(|e| !e.relative && aligned.contains(&e.sentence)) {
                changed.get_or_insert(Counterpart { version: w.doc.id.clone(), span: w.span(&e.span) });
            }
        }
        let (status, change, other) = if !corroborated.is_empty() {
            ("corroborated", None, None)
        } else if let Some(o) = changed {
            ("altered", Some("value"), Some(o))
        } else {
            ("unsupported", None, None)
        };
        out.push(ClaimReport {
            version: v.doc.id.clone(),
            kind: "date".into(),
            span: v.span(&d.span),
            in_headline: d.in_headline,
            speaker: None,
            value: d.normalized.clone(),
            status: status.into(),
            change: change.map(str::to_string),
            corroborated_by: corroborated,
            other,
        });
    }
    out
}

fn name_claims(vs: &[Version], i: usize, reports: &Reports) -> Vec<ClaimReport> {
    let v = &vs[i];
    let mut out = Vec::new();
    let keys_elsewhere: Vec<FxHashSet<String>> =
        vs.iter().map(|w| w.claims.names.iter().map(|n| n.key.clone()).collect()).collect();
    for n in v.claims.names.iter().filter(|n| !v.in_furniture(&n.span)) {
        let mut swapped: Option<Counterpart> = None;
        let mut corroborated = Vec::new();
        for (j, w) in vs.iter().enumerate() {
            if j == i {
                continue;
            }
            // Replaced at its own place by another name (even one said
            // elsewhere)? Variants of one entity (Daesh / l'EIIL) are not.
            let replaced = reports.get(&(i, j)).and_then(|r| {
                r.a_sentences.iter().flat_map(|s| s.names_changed.iter().map(move |c| (s, c))).find_map(|(s, c)| {
                    // The name's start replaced, or another part of it
                    // ("Alex Salmond" → "Alex Bogdanovic") in a sentence
                    // that is otherwise the same: loosely paired sentences
                    // ("le député Éric Coquerel…" / "l'interpellation d'Éric
                    // Drouet…") share a first name by chance.
                    let here = (c.this.start <= n.span.start && n.span.start < c.this.end)
                        || (c.this.start < n.span.end && n.span.start < c.this.end && s.similarity >= 0.6);
                    let theirs =
                        w.claims.names.iter().find(|m| m.span.start < c.other.end && c.other.start < m.span.end);
                    theirs.filter(|_| here)
                })
            });
            if let Some(m) = replaced {
                if n.same_entity(m) {
                    corroborated.push(w.doc.id.clone());
                } else {
                    swapped.get_or_insert(Counterpart { version: w.doc.id.clone(), span: w.span(&m.span) });
                }
                continue;
            }
            if keys_elsewhere[j].contains(&n.key) || w.claims.names.iter().any(|m| n.same_entity(m)) {
                corroborated.push(w.doc.id.clone());
            }
        }
        let (status, change, other) = if !corroborated.is_empty() {
            ("corroborated", None, None)
        } else if let Some(o) = swapped {
            ("altered", Some("swapped"), Some(o))
        } else {
            // A name only this version has is not a claim of its own (the
            // sentence holding it is reported).
            continue;
        };
        out.push(ClaimReport {
            version: v.doc.id.clone(),
            kind: "name".into(),
            span: v.span(&n.span),
            in_headline: n.in_headline,
            speaker: None,
            value: None,
            status: status.into(),
            change: change.map(str::to_string),
            corroborated_by: corroborated,
            other,
        });
    }
    out
}

fn headline_claims(vs: &[Version], i: usize) -> Vec<ClaimReport> {
    let v = &vs[i];
    let mut out = Vec::new();
    for si in v.claims.headline_sentences.clone() {
        let Some(sent) = v.an.sentences.get(si) else { continue };
        let r = sent.range();
        let mine = v.stems_in(&r);
        if mine.len() < 2 {
            continue;
        }
        let mut support = Vec::new();
        if best_sentence(&mine, v, Some(&v.claims.headline)).is_some_and(|(c, _)| c >= 0.6) {
            support.push(v.doc.id.clone());
        }
        for (j, w) in vs.iter().enumerate() {
            if j != i && best_sentence(&mine, w, None).is_some_and(|(c, _)| c >= 0.6) {
                support.push(w.doc.id.clone());
            }
        }
        let status = if support.is_empty() { "unsupported" } else { "corroborated" };
        out.push(ClaimReport {
            version: v.doc.id.clone(),
            kind: "headline".into(),
            span: v.span(&r),
            in_headline: true,
            speaker: None,
            value: None,
            status: status.into(),
            change: None,
            corroborated_by: support,
            other: None,
        });
    }
    out
}

fn sentence_claims(vs: &[Version], i: usize, reports: &Reports, quotes: &[ClaimReport]) -> Vec<ClaimReport> {
    let v = &vs[i];
    let n = v.an.sentences.len();
    let mut only_here = vec![true; n];
    for j in 0..vs.len() {
        if j == i {
            continue;
        }
        if let Some(r) = reports.get(&(i, j)) {
            for s in &r.a_sentences {
                if s.status != "only_a" {
                    if let Some(o) = only_here.get_mut(s.index) {
                        *o = false;
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    for (si, sent) in v.an.sentences.iter().enumerate() {
        let r = sent.range();
        if !only_here[si]
            || v.claims.headline_sentences.contains(&si)
            || v.in_furniture(&r)
            || v.claims.furniture.iter().any(|f| f.start < r.end && r.start < f.end)
            || v.an.sentence_tokens[si].len() < 5
        {
            continue;
        }
        // A sentence that is mostly a quote is reported as that quote.
        let quoted = quotes.iter().any(|q| {
            q.span.start < r.end
                && r.start < q.span.end
                && 2 * (q.span.end.min(r.end) - q.span.start.max(r.start)) >= r.len()
        });
        if quoted {
            continue;
        }
        out.push(ClaimReport {
            version: v.doc.id.clone(),
            kind: "sentence".into(),
            span: v.span(&r),
            in_headline: false,
            speaker: None,
            value: None,
            status: "unsupported".into(),
            change: None,
            corroborated_by: Vec::new(),
            other: None,
        });
    }
    out
}

/// Every claim of every version, compared across the family. `reports`
/// holds the comparison of every ordered pair of versions.
pub fn compare_claims(docs: &[Document], reports: &Reports) -> Vec<ClaimReport> {
    let vs: Vec<Version> = docs.par_iter().map(prepare).collect();
    let per_version: Vec<Vec<ClaimReport>> = (0..vs.len())
        .into_par_iter()
        .map(|i| {
            let quotes = quote_claims(&vs, i, reports);
            let mut all = quotes.clone();
            all.extend(number_claims(&vs, i, reports));
            all.extend(date_claims(&vs, i, reports));
            // A speaker whose quote is already reported as given to someone
            // else is not reported again as a swapped name.
            let reattributed: Vec<(usize, usize)> = quotes
                .iter()
                .filter(|q| q.change.as_deref() == Some("speaker"))
                .filter_map(|q| q.speaker.as_ref().map(|s| (s.start, s.end)))
                .collect();
            all.extend(name_claims(&vs, i, reports).into_iter().filter(|n| {
                n.status == "corroborated" || !reattributed.iter().any(|&(s, e)| s < n.span.end && n.span.start < e)
            }));
            all.extend(headline_claims(&vs, i));
            all.extend(sentence_claims(&vs, i, reports, &quotes));
            all.sort_by(|a, b| {
                a.span.start.cmp(&b.span.start).then(a.kind.cmp(&b.kind)).then(a.span.end.cmp(&b.span.end))
            });
            all
        })
        .collect();
    per_version.into_iter().flatten().collect()
}
