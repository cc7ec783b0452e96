//! Names of people, organisations and places.
//!
//! Two passes over the tokens:
//!
//! 1. **Gazetteer**: the longest sequence of words (up to the longest entry
//!    starting with that word) that is a known place or organisation of
//!    `data/` ("Etats-Unis", "Assemblée nationale", "l'Etat islamique",
//!    "King's College"), or a single-word entity alias of stemma-text
//!    (Daesh, EIIL, ISIS). The first significant word must be capitalised
//!    (so "la presse" or "le monde entier" are not names), and a short
//!    single word must be in capitals ("UE", not "ue"). A known single word
//!    directly next to another capitalised word is left to the second pass
//!    ("Jordan Bardella" is a person, not Jordan).
//! 2. **Capitalised sequences**: capitalised words joined by spaces or
//!    hyphens, with particles between them ("de", "du", "d'", "van",
//!    "von", "al", "of", …: "Charles de Gaulle", "University of Oxford",
//!    but not "France de la Syrie", as a known place does not take a
//!    particle; after an organisation cue "for" joins too: "Department for
//!    Transport"). Acronyms (DGSI, ICSR) stand alone. A sequence is cut
//!    before a first name that follows other capitalised words ("ministre de
//!    l'Intérieur Bernard Cazeneuve" gives "Bernard Cazeneuve"). At the
//!    start of a sentence (or after an opening quotation mark) a capitalised
//!    word is only a name when it is known, an acronym, a first name, or
//!    followed by another capitalised word; a leading function word is
//!    dropped ("Les", "Selon"), except "Le"/"La" in front of one unknown
//!    word ("Le Pen"). Titles ("M.", "Mme", "président", "ministre", "Dr")
//!    are not part of the name and make it a person. Months, weekdays,
//!    roman numerals and words in an all-capitals line are not names.
//!
//! A lower-case organisation cue with particles just before a name heads
//! it: "ministère des Affaires" (the lower-case adjective after it,
//! "étrangères", is not taken).
//!
//! **Kinds**: the gazetteer's; an acronym is an organisation; a name after
//! a title or starting with a known first name is a person; a name holding
//! an organisation cue ("ministère", "Parti", "University", "police") is an
//! organisation; anything else is unknown, and becomes a person when it is
//! the surname of a person named elsewhere in the text or a speaker.
//!
//! **Keys**: folded words (case and accents dropped, hyphens as spaces);
//! known entities get their canonical key, shared by their variants and
//! translations (Daesh, EIIL, ISIS and "l'Etat islamique" are `isis`;
//! Syrie and Syria are `syria`). A person's `surname_key` drops the first
//! name ("Didier Le Bret" → "le bret"), so that [`Name::same_entity`]
//! matches a later "Le Bret" or "M. Le Bret".
//!
//! Limits: an unknown single capitalised word ("Fabius") stays `Unknown`
//! unless it speaks; English title-case headlines read as one long name;
//! nationality adjectives are only excluded for a few common ones.

use crate::dates::DateClaim;
use crate::quotes::{Quote, QuoteKind};
use crate::{gazetteer, is_hyphen_gap, is_space_gap, key_of, Ctx};
use serde::Serialize;
use std::ops::Range;
use stemma_text::entity_alias;

/// What a name names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    /// A person.
    Person,
    /// An organisation, party, institution, armed group or news outlet.
    Organisation,
    /// A country, region or city.
    Place,
    /// A capitalised name of unknown kind.
    Unknown,
}

/// A name found in the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Name {
    /// Bytes of the name (without title or article).
    pub span: Range<usize>,
    /// The name as written.
    pub text: String,
    /// Person, organisation, place or unknown.
    pub kind: NameKind,
    /// Canonical key: variants and translations of a known entity share it,
    /// other names are folded (lower case, no accents, hyphens as spaces).
    pub key: String,
    /// For a person named with a first name: the key without it
    /// ("Didier Le Bret" → "le bret").
    pub surname_key: Option<String>,
    /// Index of the sentence holding it.
    pub sentence: usize,
    /// Whether it is inside the headline.
    pub in_headline: bool,
    /// Whether it is inside quoted words (a quotation, not a quoted term).
    pub in_quote: bool,
}

impl Name {
    /// Whether two names may name the same entity: equal keys, or one is
    /// the other's surname ("Le Bret" and "Didier Le Bret").
    pub fn same_entity(&self, other: &Name) -> bool {
        same_entity(&self.key, self.surname_key.as_deref(), &other.key, other.surname_key.as_deref())
    }
}

/// [`Name::same_entity`] on keys: equal keys (apostrophes aside:
/// "McDonald's" / "McDonalds"), or a surname key equal to the other key or
/// surname key.
pub fn same_entity(a_key: &str, a_surname: Option<&str>, b_key: &str, b_surname: Option<&str>) -> bool {
    if a_key.is_empty() || b_key.is_empty() {
        return false;
    }
    let no_apostrophe = |k: &str| k.chars().filter(|&c| c != '\'').collect::<String>();
    a_key == b_key
        || ((a_key.contains('\'') || b_key.contains('\'')) && no_apostrophe(a_key) == no_apostrophe(b_key))
        || a_surname.is_some_and(|s| s == b_key || Some(s) == b_surname)
        || b_surname.is_some_and(|s| s == a_key)
}

/// Lower-case particles allowed between the words of a name.
fn is_particle(folded: &str) -> bool {
    matches!(
        folded,
        "de" | "du"
            | "des"
            | "d'"
            | "la"
            | "le"
            | "van"
            | "von"
            | "der"
            | "den"
            | "di"
            | "da"
            | "del"
            | "della"
            | "dos"
            | "das"
            | "do"
            | "bin"
            | "ben"
            | "al"
            | "el"
            | "ibn"
            | "of"
            | "the"
            | "y"
    )
}

/// Capitalised words that are not names by themselves.
fn is_excluded(folded: &str) -> bool {
    crate::dates::month_of(folded).is_some_and(|m| !m.abbreviation)
        || crate::dates::weekday_of(folded).is_some()
        || matches!(
            folded,
            "i" | "ii"
                | "iii"
                | "iv"
                | "vi"
                | "vii"
                | "viii"
                | "ix"
                | "xi"
                | "xii"
                | "xiii"
                | "xiv"
                | "xv"
                | "xvi"
                | "xvii"
                | "xviii"
                | "xix"
                | "xx"
                | "xxi"
                | "french"
                | "british"
                | "english"
                | "american"
                | "german"
                | "syrian"
                | "iraqi"
                | "muslim"
                | "muslims"
                | "christian"
                | "jewish"
                | "arab"
                | "european"
                | "western"
                | "sunni"
                | "shia"
                | "shiite"
                | "kurdish"
                | "russian"
                | "turkish"
                | "ok"
                // "(NDLR)": the editor's note, not a name.
                | "ndlr"
                // "le président de la République", "le chef de l'État": a
                // title's noun; which president is the title, not a name.
                | "republique"
                | "etat"
                // Labels of a page ("VIDÉO. …", "PHOTOS"), not names.
                | "video"
                | "videos"
                | "photo"
                | "photos"
        )
}

/// Letters all upper case (at least two), at most eight characters.
pub(crate) fn is_acronym(tok: &str) -> bool {
    let letters = tok.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2
        && tok.chars().count() <= 8
        && tok.chars().all(|c| c.is_ascii_digit() || (c.is_alphabetic() && c.is_uppercase()))
}

fn is_elision(folded: &str) -> bool {
    folded.ends_with('\'')
}

/// Whether token `i` starts a sentence, or follows an opening quotation
/// mark, a dash or a line break, where words are capitalised anyway.
fn is_initial(ctx: &Ctx, i: usize) -> bool {
    let s = ctx.an.sentence_of(i);
    if ctx.an.sentence_tokens.get(s).is_some_and(|r| r.start as usize == i) {
        return true;
    }
    let gap = ctx.gap_before(i);
    let t = gap.trim_end();
    let spaced = t.len() < gap.len();
    if gap.contains('\n')
        || t.ends_with(['«', '“', '"', '‘', '„', '\''])
        || (spaced && t.ends_with(['—', '–', '•', '*', '>', '-']))
    {
        return true;
    }
    // A stop the sentence splitter did not cut at (inside a quotation):
    // a new sentence, unless the stop ends a title or an initial ("M.",
    // "J.").
    let stop = t.trim_end_matches(['»', '”', '"', '’', ')', ' ']);
    if spaced && stop.ends_with(['.', '!', '?', '…']) {
        let prev = i.checked_sub(1).map_or("", |p| ctx.tok(p));
        let abbreviation = gazetteer::get().is_title(&stemma_text::fold_str(prev))
            || (prev.chars().count() == 1 && prev.chars().all(char::is_uppercase));
        return !(stop.ends_with('.') && abbreviation && t == ".");
    }
    false
}

/// Whether tokens `k - 1` and `k` are joined as parts of one name.
fn joined(ctx: &Ctx, k: usize) -> bool {
    let gap = ctx.gap_before(k);
    is_space_gap(gap) || is_hyphen_gap(gap) || (gap.is_empty() && k > 0 && is_elision(ctx.f(k - 1)))
}

fn key_of_tokens(ctx: &Ctx, r: Range<usize>) -> String {
    if r.is_empty() {
        return String::new();
    }
    let a = ctx.range(r.start).start;
    let b = ctx.range(r.end - 1).end;
    key_of(&ctx.text[a..b])
}

/// Sentences written in capitals (at least three words, 60 % of them in
/// capitals): their capitalised words are not acronyms.
fn shouting_sentences(ctx: &Ctx) -> Vec<bool> {
    ctx.an
        .sentence_tokens
        .iter()
        .map(|r| {
            let words: Vec<usize> = (r.start as usize..r.end as usize).filter(|&i| ctx.is_word(i)).collect();
            let caps = words.iter().filter(|&&i| is_acronym(ctx.tok(i))).count();
            words.len() >= 3 && caps * 10 >= words.len() * 6
        })
        .collect()
}

struct Found {
    toks: Range<usize>,
    kind: NameKind,
    key: String,
    surname: Option<String>,
}

/// Finds the names of the text (see the module documentation).
pub(crate) fn find_names(ctx: &Ctx, quotes: &[Quote], dates: &[DateClaim], headline: &Range<usize>) -> Vec<Name> {
    let g = gazetteer::get();
    let n = ctx.an.tokens.len();
    let mut used = vec![false; n];
    for d in dates {
        for i in ctx.tokens_in(&d.span) {
            used[i] = true;
        }
    }
    for (i, u) in used.iter_mut().enumerate() {
        if ctx.in_furniture(ctx.range(i).start) {
            *u = true;
        }
    }
    let shouting = shouting_sentences(ctx);
    let mut found: Vec<Found> = Vec::new();

    // Pass 1: known entities, longest first.
    let mut i = 0;
    'outer: while i < n {
        if used[i] || !ctx.is_word(i) {
            i += 1;
            continue;
        }
        let first = key_of(ctx.tok(i));
        if let Some(&longest) = g.longest.get(&first) {
            for len in (1..=longest.min(n - i)).rev() {
                let r = i..i + len;
                if r.clone().any(|k| used[k]) || (i + 1..i + len).any(|k| !joined(ctx, k)) {
                    continue;
                }
                let key = key_of_tokens(ctx, r.clone());
                let Some(entry) = g.entity(&key) else { continue };
                if !entity_capitalised(ctx, r.clone()) {
                    continue;
                }
                if len == 1 && !is_acronym(ctx.tok(i)) && next_to_capitalised(ctx, i, &used) {
                    continue;
                }
                for k in r.clone() {
                    used[k] = true;
                }
                found.push(Found { toks: r, kind: entry.kind, key: entry.canonical.to_string(), surname: None });
                i += len;
                continue 'outer;
            }
        }
        if let Some(canonical) = entity_alias(ctx.tok(i), ctx.f(i)) {
            if ctx.is_cap(i) {
                let kind =
                    if g.place_canonicals.contains(canonical) { NameKind::Place } else { NameKind::Organisation };
                used[i] = true;
                found.push(Found { toks: i..i + 1, kind, key: canonical.to_string(), surname: None });
            }
        }
        i += 1;
    }

    // Pass 2: capitalised sequences.
    let mut i = 0;
    while i < n {
        let start = i;
        i += 1;
        if used[start] || !ctx.is_word(start) || !ctx.is_cap(start) || is_elision(ctx.f(start)) {
            continue;
        }
        let sentence = ctx.an.sentence_of(start);
        let shout = shouting.get(sentence).copied().unwrap_or(false);
        let usable = |k: usize| {
            let shouted = shout && is_acronym(ctx.tok(k));
            !used[k] && ctx.is_word(k) && ctx.is_cap(k) && !is_elision(ctx.f(k)) && !is_excluded(ctx.f(k)) && !shouted
        };
        if !usable(start) {
            continue;
        }
        let acronym = is_acronym(ctx.tok(start));
        let mut end = start + 1;
        while end < n {
            let k = end;
            if !joined(ctx, k) {
                break;
            }
            if usable(k) {
                let first_name_boundary = g.is_first_name(ctx.f(k))
                    && !g.is_first_name(ctx.f(k - 1))
                    && !is_particle(ctx.f(k - 1))
                    && is_space_gap(ctx.gap_before(k));
                if is_acronym(ctx.tok(k)) != acronym || first_name_boundary {
                    break;
                }
                end = k + 1;
                continue;
            }
            // "Department for Transport", "Ministry of Defence": after an
            // organisation cue, "for" joins too.
            let org_for = ctx.f(k) == "for" && (start..end).any(|m| g.is_org_cue(ctx.f(m)));
            if acronym || ctx.is_cap(k) || !(is_particle(ctx.f(k)) || org_for) {
                break;
            }
            // Up to two particles, then a capitalised word.
            let mut m = k;
            while m < n
                && m < k + 2
                && !ctx.is_cap(m)
                && (is_particle(ctx.f(m)) || (org_for && m == k))
                && joined(ctx, m)
                && !used[m]
            {
                m += 1;
            }
            let continues = m < n && joined(ctx, m) && usable(m) && !is_acronym(ctx.tok(m));
            let so_far = key_of_tokens(ctx, start..end);
            let after_place = g.entity(&so_far).is_some_and(|e| e.kind == crate::NameKind::Place);
            if !continues || after_place {
                break;
            }
            end = m + 1;
        }
        i = end;
        let mut s = start;
        // A capitalised function word starts a name only as a sentence's
        // first word or as "Le"/"La" of a surname (run-in headings such as
        // "… à l'économie Les réservations …" are common in extracted text).
        if is_initial(ctx, start) || ctx.is_stop(start) {
            if ctx.is_stop(s) {
                let article = matches!(ctx.f(s), "le" | "la");
                let keep = article
                    && end - s == 2
                    && g.entity(ctx.f(s + 1)).is_none()
                    && !g.is_first_name(ctx.f(s + 1))
                    && !g.is_title(ctx.f(s + 1));
                if !keep {
                    s += 1;
                    while s < end && !ctx.is_cap(s) {
                        s += 1;
                    }
                }
            } else if end - s == 1 && !acronym && !g.is_first_name(ctx.f(s)) && is_initial(ctx, s) {
                continue;
            }
        }
        // Titles at the head are not part of the name.
        let mut person = false;
        while s < end && g.is_title(ctx.f(s)) {
            s += 1;
            person = true;
            while s < end && !ctx.is_cap(s) {
                s += 1;
            }
        }
        if s >= end {
            continue;
        }
        if end - s == 1 && ctx.tok(s).chars().count() == 1 {
            continue;
        }
        if s > 0 && g.is_title(ctx.f(s - 1)) {
            let gap = ctx.gap_before(s);
            person |= is_space_gap(gap) || gap.trim() == ".";
        }
        let mut f = classify(ctx, s..end, person);
        // "ministère des Affaires étrangères": an organisation cue written
        // in lower case before the name heads it.
        if !person && f.kind != NameKind::Place {
            let mut k = s;
            let mut particles = 0;
            while k > 0 && particles < 2 && (is_particle(ctx.f(k - 1)) || ctx.f(k - 1) == "l'") {
                k -= 1;
                particles += 1;
            }
            if particles > 0 && k > 0 && !used[k - 1] && !ctx.is_cap(k - 1) && g.is_org_cue(ctx.f(k - 1)) {
                let r = k - 1..end;
                if (r.start + 1..r.end).all(|m| joined(ctx, m)) {
                    f = Found {
                        key: key_of_tokens(ctx, r.clone()),
                        toks: r,
                        kind: NameKind::Organisation,
                        surname: None,
                    };
                }
            }
        }
        found.push(f);
    }

    found.sort_by_key(|f| f.toks.start);
    let mut names: Vec<Name> = found
        .into_iter()
        .map(|f| {
            let span = ctx.range(f.toks.start).start..ctx.range(f.toks.end - 1).end;
            let in_quote = quotes
                .iter()
                .any(|q| q.kind == QuoteKind::Quotation && q.inner.start <= span.start && span.end <= q.inner.end);
            Name {
                text: ctx.text[span.clone()].to_string(),
                sentence: ctx.sentence_at(span.start),
                in_headline: headline.start <= span.start && span.start < headline.end,
                in_quote,
                span,
                kind: f.kind,
                key: f.key,
                surname_key: f.surname,
            }
        })
        .collect();
    promote_surnames(&mut names);
    names
}

/// The kind, key and surname key of a capitalised sequence.
fn classify(ctx: &Ctx, r: Range<usize>, person: bool) -> Found {
    let g = gazetteer::get();
    let key = key_of_tokens(ctx, r.clone());
    let single = r.len() == 1;
    if let Some(e) = g.entity(&key) {
        return Found { toks: r, kind: e.kind, key: e.canonical.to_string(), surname: None };
    }
    if single {
        if let Some(canonical) = entity_alias(ctx.tok(r.start), ctx.f(r.start)) {
            let kind = if g.place_canonicals.contains(canonical) { NameKind::Place } else { NameKind::Organisation };
            return Found { toks: r, kind, key: canonical.to_string(), surname: None };
        }
        if is_acronym(ctx.tok(r.start)) {
            return Found { toks: r, kind: NameKind::Organisation, key, surname: None };
        }
    }
    let has_cue = r.clone().any(|k| g.is_org_cue(ctx.f(k)));
    let first_name = g.is_first_name(ctx.f(r.start));
    if has_cue && !person {
        return Found { toks: r, kind: NameKind::Organisation, key, surname: None };
    }
    if person || first_name {
        // The surname: what follows the first name (a compound first name,
        // "Jean-Luc", is joined by hyphens).
        let mut t = r.start + 1;
        while first_name && t + 1 < r.end && is_hyphen_gap(ctx.gap_before(t)) {
            t += 1;
        }
        let surname = (first_name && t < r.end).then(|| key_of_tokens(ctx, t..r.end));
        return Found { toks: r, kind: NameKind::Person, key, surname };
    }
    Found { toks: r, kind: NameKind::Unknown, key, surname: None }
}

/// Whether a gazetteer match is written as a name: its first word that is
/// not a function word or particle is capitalised, and a single short word
/// is in capitals.
fn entity_capitalised(ctx: &Ctx, r: Range<usize>) -> bool {
    if r.len() == 1 {
        let tok = ctx.tok(r.start);
        return ctx.is_cap(r.start) && (tok.chars().count() > 3 || tok.chars().all(|c| !c.is_lowercase()));
    }
    r.clone().find(|&k| !ctx.is_stop(k) && !is_particle(ctx.f(k))).is_some_and(|k| ctx.is_cap(k))
}

/// Whether token `i` touches another capitalised word (then the sequence
/// is read as a whole in the second pass).
fn next_to_capitalised(ctx: &Ctx, i: usize, used: &[bool]) -> bool {
    let touches =
        |k: usize| !used[k] && ctx.is_word(k) && ctx.is_cap(k) && !is_elision(ctx.f(k)) && !is_acronym(ctx.tok(k));
    let after = i + 1 < used.len() && is_space_gap(ctx.gap_before(i + 1)) && touches(i + 1);
    let before = i > 0 && is_space_gap(ctx.gap_before(i)) && touches(i - 1) && !is_initial(ctx, i - 1);
    after || before
}

/// Unknown names equal to a person's key or surname become persons.
pub(crate) fn promote_surnames(names: &mut [Name]) {
    let people: Vec<(String, Option<String>)> =
        names.iter().filter(|n| n.kind == NameKind::Person).map(|n| (n.key.clone(), n.surname_key.clone())).collect();
    for n in names.iter_mut().filter(|n| n.kind == NameKind::Unknown) {
        if people.iter().any(|(k, s)| same_entity(&n.key, None, k, s.as_deref())) {
            n.kind = NameKind::Person;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract_text;

    fn names(text: &str) -> Vec<(String, NameKind, String)> {
        extract_text(text).names.into_iter().map(|n| (n.text, n.kind, n.key)).collect()
    }

    #[test]
    fn people_with_particles_titles_and_hyphens() {
        let got = names("Hier, Jean-Luc Mélenchon a rencontré M. Dupont et Charles de Gaulle.");
        assert!(got.contains(&("Jean-Luc Mélenchon".into(), NameKind::Person, "jean luc melenchon".into())), "{got:?}");
        assert!(got.contains(&("Dupont".into(), NameKind::Person, "dupont".into())), "{got:?}");
        assert!(got.contains(&("Charles de Gaulle".into(), NameKind::Person, "charles de gaulle".into())), "{got:?}");
    }

    #[test]
    fn aliases_share_a_key() {
        let got = names("L'EIIL recule. Le groupe Etat islamique, ou Daesh, perd la Syrie face à l'armée.");
        let keys: Vec<&str> = got.iter().map(|(_, _, k)| k.as_str()).collect();
        assert_eq!(keys.iter().filter(|k| **k == "isis").count(), 3, "{got:?}");
        assert!(got.contains(&("Syrie".into(), NameKind::Place, "syria".into())));
    }

    #[test]
    fn surnames_match_full_names() {
        let c = extract_text("Didier Le Bret est arrivé. Selon lui, Le Bret partira.");
        let full = &c.names[0];
        assert_eq!(full.surname_key.as_deref(), Some("le bret"));
        let short = c.names.iter().find(|n| n.text == "Le Bret").expect("Le Bret");
        assert!(full.same_entity(short));
        assert_eq!(short.kind, NameKind::Person);
    }

    #[test]
    fn a_name_spelt_with_or_without_its_apostrophe_is_one_entity() {
        // Outlets write "McDonald's" and "McDonalds" for one restaurant.
        let a = extract_text("Le McDonald's des Champs-Élysées a été saccagé samedi.");
        let b = extract_text("Le McDonalds des Champs-Elysées a été saccagé samedi.");
        let (x, y) = (&a.names[0], &b.names[0]);
        assert!(x.text.starts_with("McDonald's") && y.text.starts_with("McDonalds"), "{x:?} {y:?}");
        assert!(x.same_entity(y) && y.same_entity(x));
        // Two different names are still two entities.
        let c = extract_text("Le Burger King des Champs-Élysées a été saccagé samedi.");
        assert!(!x.same_entity(&c.names[0]), "{:?}", c.names);
    }

    #[test]
    fn sentence_initial_words_are_not_names() {
        let got = names("Défections dans les rangs. Partis parfois sur un coup de tête, ils reviennent.");
        assert!(got.is_empty(), "{got:?}");
    }
}
