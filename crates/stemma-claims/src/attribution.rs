//! Who said each quotation.
//!
//! Only outermost quotations of kind `Quotation` are attributed (a nested
//! quotation is the speaker quoting someone else; a quoted term is not
//! speech). Statements get their speaker from their parenthesis when they
//! are found. For a quotation, in this order:
//!
//! 1. **After it**, in the rest of its sentence (up to the next quotation):
//!    - "(X)" right after the closing mark → [`Attribution::Parenthesis`];
//!    - "selon X", "d'après X", "according to X", "dixit X" →
//!      [`Attribution::Selon`], [`Attribution::DApres`],
//!      [`Attribution::AccordingTo`];
//!    - a reporting verb then its speaker: "», confie X", "», a dit X",
//!      "» écrit dans un rapport X", "," said X" →
//!      [`Attribution::VerbSpeaker`];
//!    - an inverted pronoun: "», ajouta-t-il", "», a-t-il dit", "dit-elle",
//!      "ont-ils scandé" → [`Attribution::Inversion`], resolved to the
//!      antecedent;
//!    - a subject then a reporting verb: "», X a déclaré", "," X said",
//!      "," X told the BBC", "," he added" → [`Attribution::SpeakerVerb`]
//!      (or [`Attribution::Pronoun`] when the subject is il/elle/he/she).
//!
//!    A verb counts only when a comma or dash sets it off from the
//!    quotation, or when the quotation opens its sentence ("« … » écrit
//!    X"); otherwise the quotation is inside the verb's subject ("nombre de
//!    « gilets jaunes » fustigent…").
//! 2. **Before it**, in its sentence (after any earlier quotation): the
//!    later of "selon X" / "d'après X" / "according to X" and a reporting
//!    verb (not the verb that attributed the previous quotation); for a
//!    verb, its subject, looked for back to the start of the sentence ("X a
//!    déclaré : «", "X a dit que … «", "X told the BBC: “"), else a pronoun
//!    subject or an inversion ("il a déclaré", "explique-t-il :") →
//!    antecedent, else what follows the verb; without a verb, "X : « … »"
//!    where X is a short phrase holding a name → [`Attribution::Colon`].
//! 3. **Continuation**: a quotation with none of these, in the same
//!    paragraph as the previous attributed quotation, with no other person
//!    named (outside quotations) in between, continues it ("« … », confie
//!    X. « … »." — the second quotation is X's too) →
//!    [`Attribution::Continuation`]. Within one sentence only when the
//!    previous quotation was introduced before it ("X a dit « craindre »
//!    que … « ne calme pas la colère »"): after "« … », a déclaré X dans …",
//!    a later quotation of the sentence is the writer's.
//!
//! Otherwise the quotation has no speaker: nothing is guessed (a subhead
//! quotation alone in its paragraph has none, nor does a quotation opening
//! a new paragraph).
//!
//! **Which words are the speaker.** In the phrase where the pattern says
//! the speaker is ("le coordonnateur national du renseignement en France,
//! Didier Le Bret"; "Patrick Calvar, directeur général de la sécurité
//! intérieure"), the name of a person, or of unknown kind, nearest to the
//! verb or cue wins; places never speak; a name that is a noun's complement
//! ("le ministre *de l'Intérieur*", "un porte-parole *de l'AFP*") does not
//! speak; an organisation speaks only when no person is named ("selon
//! l'AFP"). With no name at all, a describing noun phrase is kept as an
//! unnamed speaker (`named: false`): a determiner, its noun, adjectives and
//! "de"/"of" complements, at most six words, not after a preposition
//! ("selon l'un d'eux", "a déclaré le Premier ministre", "the minister
//! said", but not "avant ces annonces"). A later mention by surname ("Le
//! Bret") is given the fullest name the text has for that person.
//!
//! **Antecedents** (il, elle, he, she, inversions): the latest of the
//! speakers found so far (unnamed ones included: "a déclaré le Premier
//! ministre … a-t-il ajouté") and the persons named outside quotations,
//! within 1,500 bytes before the quotation.
//!
//! Limits: reporting verbs are a fixed list (French and English, common
//! tenses); a speaker named only in another sentence is found by antecedent
//! or continuation only; gender is not used to choose an antecedent; an
//! unnamed speaker ("le ministre") is not resolved to a name given earlier.

use crate::names::{same_entity, Name, NameKind};
use crate::quotes::{sole_name, Quote, QuoteKind};
use crate::{key_of, Ctx};
use rustc_hash::FxHashSet;
use serde::Serialize;
use std::ops::Range;
use std::sync::OnceLock;

/// How a speaker was found (the pattern's name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Attribution {
    /// A reporting verb followed by the speaker ("», confie X", "said X").
    VerbSpeaker,
    /// The speaker followed by a reporting verb ("X a déclaré", "X said",
    /// "X told").
    SpeakerVerb,
    /// "selon X" (or "dixit X").
    Selon,
    /// "d'après X".
    DApres,
    /// "according to X".
    AccordingTo,
    /// "X : « … »".
    Colon,
    /// "(X)" right after the quotation, or after an unquoted statement.
    Parenthesis,
    /// An inverted pronoun ("a-t-il dit", "ajouta-t-il"), resolved to its
    /// antecedent.
    Inversion,
    /// A pronoun subject ("il a déclaré", "he said"), resolved to its
    /// antecedent.
    Pronoun,
    /// The previous quotation's speaker, in the same paragraph.
    Continuation,
}

/// The speaker of a quotation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Speaker {
    /// The fullest form of the speaker's name in the text ("Didier Le Bret"
    /// even where this quotation only says "Le Bret"), or the describing
    /// phrase of an unnamed speaker ("l'un d'eux").
    pub name: String,
    /// Where the speaker is named for this quotation (for a pronoun or a
    /// continuation: where the antecedent is named).
    pub span: Range<usize>,
    /// Canonical key, as for names (see [`crate::Name::key`]).
    pub key: String,
    /// The surname key of a person named with a first name.
    pub surname_key: Option<String>,
    /// Whether the speaker is a name (false: a description such as "un
    /// responsable" or "the minister").
    pub named: bool,
    /// Person, organisation or unknown.
    pub kind: NameKind,
    /// How the speaker was found.
    pub method: Attribution,
    /// The words that point to the speaker (the verb, "selon", the
    /// pronoun, the parenthesis, the colon), when there are some.
    pub cue: Option<Range<usize>>,
}

impl Speaker {
    /// Whether two speakers may be the same (keys, or surname; see
    /// [`crate::Name::same_entity`]).
    pub fn same_speaker(&self, other: &Speaker) -> bool {
        same_entity(&self.key, self.surname_key.as_deref(), &other.key, other.surname_key.as_deref())
    }
}

/// The speaker named by `name`.
pub(crate) fn speaker_from_name(name: &Name, method: Attribution, cue: Option<Range<usize>>) -> Speaker {
    Speaker {
        name: name.text.clone(),
        span: name.span.clone(),
        key: name.key.clone(),
        surname_key: name.surname_key.clone(),
        named: true,
        kind: name.kind,
        method,
        cue,
    }
}

/// French and English reporting verbs, folded.
fn speech_verbs() -> &'static FxHashSet<String> {
    static SET: OnceLock<FxHashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        // First-group French verbs by stem: present, participle (accents
        // folded), plural, passé simple and imperfect.
        const STEMS: &[&str] = &[
            "declar", "affirm", "ajout", "precis", "expliqu", "soulign", "estim", "confi", "indiqu", "annonc", "assur",
            "racont", "rappel", "lanc", "martel", "insist", "temoign", "observ", "not", "comment", "relev", "confirm",
            "deplor", "denonc", "regrett", "repliqu", "resum", "detaill", "ironis", "tweet", "twitt", "avou",
            "constat", "assen", "clam", "gliss", "souffl", "rapport", "mention", "signal", "nuanc", "fustig",
            "remarqu", "exclam", "enchain", "analys", "tranch", "prech", "avanc", "previs", "jug", "scand", "hurl",
            "cri", "demand",
        ];
        const ENDINGS: &[&str] = &["e", "ent", "a", "ait", "aient", "erent"];
        const OTHERS: &[&str] = &[
            // French, other groups and irregular forms
            "dit",
            "disent",
            "disait",
            "disaient",
            "dira",
            "ecrit",
            "ecrivent",
            "ecrivait",
            "ecrivaient",
            "ecrivit",
            "reconnait",
            "reconnu",
            "reconnut",
            "admet",
            "admis",
            "admit",
            "poursuit",
            "poursuivi",
            "poursuivit",
            "conclut",
            "conclu",
            "previent",
            "prevenu",
            "prevint",
            "avertit",
            "averti",
            "repond",
            "repondu",
            "repondit",
            "soutient",
            "soutenu",
            "soutint",
            "rencherit",
            "reprend",
            "repris",
            "reprit",
            "rappelle",
            "rappellent",
            "lance",
            "interroge",
            "reagi",
            "reagit",
            "reagissait", // English
            "said",
            "says",
            "say",
            "told",
            "tells",
            "added",
            "adds",
            "wrote",
            "writes",
            "explained",
            "explains",
            "stated",
            "states",
            "declared",
            "noted",
            "notes",
            "insisted",
            "insists",
            "warned",
            "warns",
            "argued",
            "argues",
            "claimed",
            "claims",
            "admitted",
            "admits",
            "replied",
            "replies",
            "answered",
            "continued",
            "recalled",
            "tweeted",
            "announced",
            "announces",
            "acknowledged",
            "observed",
            "commented",
            "stressed",
            "stresses",
            "emphasised",
            "emphasized",
            "concluded",
            "remarked",
            "asserted",
            "confirmed",
            "confirms",
            "reported",
            "recounted",
            "conceded",
            "cautioned",
            "complained",
            "testified",
            "maintained",
            "quipped",
            "joked",
            "urged",
            "warn",
            "tell",
            "add",
            "explain",
            "insist",
            "admit",
            "confirm",
            "deny",
            "denied",
            "denies",
        ];
        let mut s: FxHashSet<String> = FxHashSet::default();
        for stem in STEMS {
            for e in ENDINGS {
                s.insert(format!("{stem}{e}"));
            }
        }
        // "jug-" gives the noun "juge" too; the verb is kept in its other forms.
        s.remove("juge");
        s.extend(OTHERS.iter().map(|w| w.to_string()));
        s
    })
}

fn is_aux(folded: &str) -> bool {
    matches!(folded, "a" | "avait" | "aurait" | "ont" | "avaient" | "auraient" | "has" | "had" | "have")
}

fn is_pronoun(folded: &str) -> bool {
    matches!(folded, "il" | "elle" | "ils" | "elles" | "he" | "she" | "they")
}

/// Whether token `i` is a reporting verb written in lower case.
fn is_verb(ctx: &Ctx, i: usize) -> bool {
    ctx.is_word(i) && !ctx.is_cap(i) && speech_verbs().contains(ctx.f(i))
}

fn hyphen_before(ctx: &Ctx, i: usize) -> bool {
    crate::is_hyphen_gap(ctx.gap_before(i))
}

/// An inversion starting at token `v` ("ajouta-t-il", "dit-il",
/// "a-t-il dit"): the last token of it.
fn inversion_at(ctx: &Ctx, v: usize, end: usize) -> Option<usize> {
    if v + 2 < end
        && ctx.f(v + 1) == "t"
        && is_pronoun(ctx.f(v + 2))
        && hyphen_before(ctx, v + 1)
        && hyphen_before(ctx, v + 2)
    {
        return Some(v + 2);
    }
    if v + 1 < end && is_pronoun(ctx.f(v + 1)) && hyphen_before(ctx, v + 1) {
        return Some(v + 1);
    }
    None
}

/// Where the speaker is to be looked for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Anchor {
    /// Near the start of the phrase (after a verb or "selon").
    Start,
    /// Near the end of the phrase (a subject before its verb).
    End,
}

/// What a pattern found, before the speaker is built.
enum Lead {
    /// Look for the speaker in these tokens.
    Phrase { toks: Range<usize>, anchor: Anchor, method: Attribution, cue: Range<usize>, describe: bool },
    /// The speaker is the antecedent of a pronoun.
    Antecedent { method: Attribution, cue: Range<usize> },
    /// The speaker is this name.
    Named { name: usize, method: Attribution, cue: Range<usize> },
}

/// The last attributed quotation, for continuations.
struct Last {
    para: usize,
    end: usize,
    speaker: Speaker,
    /// Whether its attribution came before it ("X a dit « … »"): the rest
    /// of its sentence may then still be X's reported speech.
    cue_before: bool,
}

struct State<'n> {
    names: &'n [Name],
    /// Byte ranges of the quoted words of quotations and statements.
    quoted: Vec<Range<usize>>,
    /// (mention position, speaker) of the speakers found so far.
    events: Vec<(usize, Speaker)>,
}

impl State<'_> {
    fn outside_quotes(&self, span: &Range<usize>) -> bool {
        !self.quoted.iter().any(|q| q.start <= span.start && span.end <= q.end)
    }
}

/// Sets the speaker of every outermost quotation (see the module
/// documentation), then makes the names that speak persons.
pub(crate) fn attribute(ctx: &Ctx, quotes: &mut [Quote], names: &mut [Name]) {
    let quoted: Vec<Range<usize>> = quotes
        .iter()
        .filter(|q| q.depth == 0 && matches!(q.kind, QuoteKind::Quotation | QuoteKind::Statement))
        .map(|q| q.inner.clone())
        .collect();
    // Names inside quoted words are what the speaker talks about.
    for n in names.iter_mut() {
        n.in_quote = quoted.iter().any(|q| q.start <= n.span.start && n.span.end <= q.end);
    }
    let mut st = State { names, quoted, events: Vec::new() };
    let outer: Vec<usize> = (0..quotes.len()).filter(|&i| quotes[i].depth == 0).collect();
    // The last attributed quotation.
    let mut last: Option<Last> = None;
    for (pos, &qi) in outer.iter().enumerate() {
        let q = &quotes[qi];
        let para = ctx.paragraph_at(q.span.start);
        match q.kind {
            QuoteKind::Term => continue,
            QuoteKind::Statement => {
                if let Some(s) = &q.speaker {
                    st.events.push((s.span.start, s.clone()));
                    last = Some(Last { para, end: q.span.end, speaker: s.clone(), cue_before: false });
                }
                continue;
            }
            QuoteKind::Quotation => {}
        }
        let prev_end = pos.checked_sub(1).map(|p| quotes[outer[p]].span.end);
        let next_start = outer.get(pos + 1).map(|&n| quotes[n].span.start);
        let prev_cue = last.as_ref().filter(|l| Some(l.end) == prev_end).and_then(|l| l.speaker.cue.as_ref());
        let lead = after_quote(ctx, q, next_start, &st).or_else(|| before_quote(ctx, q, prev_end, prev_cue, &st));
        let mut speaker = lead.and_then(|l| resolve(ctx, l, q.span.start, &st));
        if speaker.is_none() {
            speaker = continuation(ctx, q, para, last.as_ref(), &st);
        }
        if let Some(s) = &speaker {
            let mention =
                if matches!(s.method, Attribution::Inversion | Attribution::Pronoun | Attribution::Continuation) {
                    q.span.start
                } else {
                    s.span.start
                };
            st.events.push((mention, s.clone()));
            let cue_before = s.cue.as_ref().is_some_and(|c| c.end <= q.span.start)
                || (s.method == Attribution::Continuation && last.as_ref().is_some_and(|l| l.cue_before));
            last = Some(Last { para, end: q.span.end, speaker: s.clone(), cue_before });
        }
        quotes[qi].speaker = speaker;
    }
    // Names that speak are persons (unless known as something else).
    let speakers: Vec<(String, Option<String>)> = quotes
        .iter()
        .filter_map(|q| q.speaker.as_ref())
        .filter(|s| s.named && s.kind == NameKind::Unknown)
        .map(|s| (s.key.clone(), s.surname_key.clone()))
        .collect();
    for n in names.iter_mut().filter(|n| n.kind == NameKind::Unknown) {
        if speakers.iter().any(|(k, s)| same_entity(&n.key, None, k, s.as_deref())) {
            n.kind = NameKind::Person;
        }
    }
    for q in quotes.iter_mut() {
        if let Some(s) = q.speaker.as_mut() {
            if s.named && s.kind == NameKind::Unknown {
                s.kind = NameKind::Person;
            }
        }
    }
}

/// Patterns after the closing mark.
fn after_quote(ctx: &Ctx, q: &Quote, next_start: Option<usize>, st: &State) -> Option<Lead> {
    if !q.closed {
        return None;
    }
    let close_end = q.span.end;
    let s = ctx.sentence_at(close_end.saturating_sub(1));
    let sent_end = ctx.an.sentences.get(s).map_or(close_end, |s| s.end as usize);
    let end = next_start.filter(|&n| n >= close_end).map_or(sent_end, |n| n.min(sent_end));
    if end <= close_end {
        return None;
    }
    let rest = &ctx.text[close_end..end];
    // "(X)" right after the quotation.
    let trimmed = rest.trim_start();
    if let Some(inner) = trimmed.strip_prefix('(') {
        let open = close_end + (rest.len() - trimmed.len());
        let close = inner.find(')')?;
        let inside = open + 1..open + 1 + close;
        let name = sole_name(ctx, st.names, &inside)?;
        let idx = st.names.iter().position(|n| n.span == name.span)?;
        return Some(Lead::Named { name: idx, method: Attribution::Parenthesis, cue: open..inside.end + 1 });
    }
    let toks = ctx.tokens_in(&(close_end..end));
    let (t, e) = (toks.start, toks.end);
    if t >= e {
        return None;
    }
    // Only a comma or a dash may stand between the quotation and its
    // attribution.
    let lead = &ctx.text[close_end..ctx.range(t).start];
    if !lead.chars().all(|c| c.is_whitespace() || matches!(c, ',' | '—' | '–' | '-')) {
        return None;
    }
    if let Some(l) = selon_at(ctx, t, e) {
        return Some(l);
    }
    // A verb right after a quotation attributes it when a comma or dash
    // sets it off, or when the quotation opens its sentence ("« … » écrit
    // X"); otherwise the quotation is part of the verb's subject ("nombre
    // de « gilets jaunes » fustigent …").
    let sent_start = ctx.an.sentences.get(q.sentence).map_or(q.span.start, |s| s.start as usize);
    let opens_sentence = ctx.text.get(sent_start.min(q.span.start)..q.span.start).is_some_and(|b| {
        b.chars().all(|c| c.is_whitespace() || matches!(c, '«' | '“' | '"' | '„' | '‘' | '—' | '–' | '-'))
    });
    let set_off = lead.contains([',', '—', '–']);
    if !(set_off || opens_sentence) {
        return None;
    }
    // A verb first, possibly after an auxiliary.
    let mut v = t;
    if is_aux(ctx.f(v)) && !ctx.is_cap(v) {
        if ctx.f(v + 1) == "t" && v + 2 < e && is_pronoun(ctx.f(v + 2)) {
            // "a-t-il dit", "a-t-elle notamment déclaré" (one adverb).
            let verb = (v + 3..(v + 5).min(e)).find(|&k| is_verb(ctx, k));
            if let Some(k) = verb {
                return Some(Lead::Antecedent {
                    method: Attribution::Inversion,
                    cue: ctx.range(v).start..ctx.range(k).end,
                });
            }
        }
        // "ont-ils scandé", "avait-elle dit"
        if v + 2 < e && is_pronoun(ctx.f(v + 1)) && hyphen_before(ctx, v + 1) {
            let cue = ctx.range(v).start..ctx.range(v + 2).end;
            return is_verb(ctx, v + 2).then_some(Lead::Antecedent { method: Attribution::Inversion, cue });
        }
        if v + 1 < e && is_verb(ctx, v + 1) {
            v += 1;
        }
    }
    if is_verb(ctx, v) {
        if let Some(p) = inversion_at(ctx, v, e) {
            return Some(Lead::Antecedent {
                method: Attribution::Inversion,
                cue: ctx.range(t).start..ctx.range(p).end,
            });
        }
        if v + 1 < e && is_pronoun(ctx.f(v + 1)) {
            // "said he"
            return Some(Lead::Antecedent {
                method: Attribution::Pronoun,
                cue: ctx.range(t).start..ctx.range(v + 1).end,
            });
        }
        let phrase = v + 1..e.min(v + 17);
        return Some(Lead::Phrase {
            toks: phrase,
            anchor: Anchor::Start,
            method: Attribution::VerbSpeaker,
            cue: ctx.range(t).start..ctx.range(v).end,
            describe: true,
        });
    }
    // A subject, then a verb.
    for k in t + 1..e.min(t + 12) {
        if ctx.gap_before(k).contains([';', ':', '(', ')', '.', '«', '»', '“', '”', '"']) {
            break;
        }
        if !is_verb(ctx, k) {
            continue;
        }
        let subj_end = if is_aux(ctx.f(k - 1)) && k - 1 > t { k - 1 } else { k };
        let cue = ctx.range(subj_end).start..ctx.range(k).end;
        if subj_end - t == 1 && is_pronoun(ctx.f(t)) {
            return Some(Lead::Antecedent { method: Attribution::Pronoun, cue: ctx.range(t).start..cue.end });
        }
        return Some(Lead::Phrase {
            toks: t..subj_end,
            anchor: Anchor::End,
            method: Attribution::SpeakerVerb,
            cue,
            describe: true,
        });
    }
    None
}

/// "selon X", "d'après X", "according to X", "dixit X" at token `t`.
fn selon_at(ctx: &Ctx, t: usize, e: usize) -> Option<Lead> {
    let (method, skip) = match ctx.f(t) {
        "selon" | "dixit" => (Attribution::Selon, 1),
        "d'" if ctx.f(t + 1) == "apres" => (Attribution::DApres, 2),
        "according" if ctx.f(t + 1) == "to" => (Attribution::AccordingTo, 2),
        _ => return None,
    };
    if t + skip >= e {
        return None;
    }
    Some(Lead::Phrase {
        toks: t + skip..e.min(t + skip + 16),
        anchor: Anchor::Start,
        method,
        cue: ctx.range(t).start..ctx.range(t + skip - 1).end,
        describe: true,
    })
}

/// Patterns before the opening mark.
fn before_quote(
    ctx: &Ctx,
    q: &Quote,
    prev_end: Option<usize>,
    prev_cue: Option<&Range<usize>>,
    st: &State,
) -> Option<Lead> {
    let open = q.span.start;
    let s = ctx.sentence_at(open);
    let sent_start = ctx.an.sentences.get(s).map_or(open, |s| (s.start as usize).min(open));
    let start = prev_end.filter(|&p| p <= open).map_or(sent_start, |p| p.max(sent_start));
    let toks = ctx.tokens_in(&(start..open));
    let (t, e) = (toks.start, toks.end);
    if t >= e {
        return None;
    }
    let selon = (t..e).rev().find_map(|k| selon_at(ctx, k, e).map(|l| (k, l)));
    // A verb that attributed the previous quotation ("« … », a déclaré X
    // après des « gilets jaunes »") does not attribute this one.
    let verb = (t..e)
        .rev()
        .find(|&k| is_verb(ctx, k))
        .filter(|&k| prev_cue.is_none_or(|c| !(c.start <= ctx.range(k).start && ctx.range(k).end <= c.end)));
    match (selon, verb) {
        (Some((k, l)), v) if v.is_none_or(|v| v < k) => return Some(l),
        _ => {}
    }
    // "X : « … »"
    let between = &ctx.text[ctx.range(e - 1).end..open];
    if between.trim() == ":" && e - t <= 6 && verb.is_none() {
        let colon = ctx.range(e - 1).end + between.find(':').unwrap_or(0);
        let r = ctx.range(t).start..ctx.range(e - 1).end;
        if let Some(idx) = pick(ctx, st, &r, Anchor::End, true) {
            return Some(Lead::Named { name: idx, method: Attribution::Colon, cue: colon..colon + 1 });
        }
    }
    let k = verb?;
    // Inversions: "explique-t-il : «", "a-t-il déclaré : «".
    if let Some(p) = inversion_at(ctx, k, e) {
        return Some(Lead::Antecedent { method: Attribution::Inversion, cue: ctx.range(k).start..ctx.range(p).end });
    }
    if k >= t + 3 && ctx.f(k - 2) == "t" && is_pronoun(ctx.f(k - 1)) && is_aux(ctx.f(k - 3)) {
        return Some(Lead::Antecedent {
            method: Attribution::Inversion,
            cue: ctx.range(k - 3).start..ctx.range(k).end,
        });
    }
    let subj_end = if k > t && is_aux(ctx.f(k - 1)) { k - 1 } else { k };
    let cue = ctx.range(subj_end).start..ctx.range(k).end;
    if subj_end > t && is_pronoun(ctx.f(subj_end - 1)) {
        return Some(Lead::Antecedent { method: Attribution::Pronoun, cue: ctx.range(subj_end - 1).start..cue.end });
    }
    // The subject may stand before an earlier quotation of the sentence
    // ("X, soutien des « gilets jaunes », a dit « craindre »…"): names
    // inside quotations are skipped by `pick`.
    let t = ctx.token_from(sent_start).min(t);
    if subj_end > t {
        let r = ctx.range(t).start..ctx.range(subj_end - 1).end;
        if pick(ctx, st, &r, Anchor::End, false).is_some() {
            return Some(Lead::Phrase {
                toks: t..subj_end,
                anchor: Anchor::End,
                method: Attribution::SpeakerVerb,
                cue,
                describe: false,
            });
        }
    }
    // "Comme l'a dit le ministre : «"
    if k + 1 < e {
        let r = ctx.range(k + 1).start..ctx.range(e - 1).end;
        if pick(ctx, st, &r, Anchor::Start, false).is_some() {
            return Some(Lead::Phrase {
                toks: k + 1..e,
                anchor: Anchor::Start,
                method: Attribution::VerbSpeaker,
                cue,
                describe: false,
            });
        }
    }
    (subj_end > t).then_some(Lead::Phrase {
        toks: t..subj_end,
        anchor: Anchor::End,
        method: Attribution::SpeakerVerb,
        cue,
        describe: true,
    })
}

/// The name that speaks in byte range `r`: a person or unknown name
/// nearest the anchor, else an organisation (unless `people_only`).
fn pick(ctx: &Ctx, st: &State, r: &Range<usize>, anchor: Anchor, people_only: bool) -> Option<usize> {
    let inside = |n: &Name| {
        r.start <= n.span.start && n.span.end <= r.end && st.outside_quotes(&n.span) && !is_complement(ctx, n)
    };
    let best = |kinds: &[NameKind]| {
        let it = st.names.iter().enumerate().filter(|(_, n)| inside(n) && kinds.contains(&n.kind));
        match anchor {
            Anchor::Start => it.min_by_key(|(_, n)| n.span.start).map(|(i, _)| i),
            Anchor::End => it.max_by_key(|(_, n)| n.span.end).map(|(i, _)| i),
        }
    };
    best(&[NameKind::Person, NameKind::Unknown])
        .or_else(|| (!people_only).then(|| best(&[NameKind::Organisation])).flatten())
}

/// Whether a name is the complement of a noun ("le ministre de
/// l'Intérieur", "un porte-parole de l'AFP", "the head of the ICSR"): it
/// is then what the speaker is the head of, not the speaker.
fn is_complement(ctx: &Ctx, n: &Name) -> bool {
    let mut k = ctx.token_from(n.span.start);
    for _ in 0..2 {
        let Some(p) = k.checked_sub(1) else { return false };
        match ctx.f(p) {
            "de" | "du" | "des" | "d'" | "of" => return true,
            "l'" | "la" | "le" | "les" | "the" => k = p,
            _ => return false,
        }
    }
    false
}

/// The fullest name of a person: an earlier or later full name whose
/// surname is this name's key.
fn fullest<'n>(names: &'n [Name], n: &'n Name) -> &'n Name {
    if n.surname_key.is_some() {
        return n;
    }
    names
        .iter()
        .filter(|m| m.kind == NameKind::Person && m.surname_key.as_deref() == Some(n.key.as_str()))
        .min_by_key(|m| m.span.start.abs_diff(n.span.start))
        .unwrap_or(n)
}

fn resolve(ctx: &Ctx, lead: Lead, quote_start: usize, st: &State) -> Option<Speaker> {
    match lead {
        Lead::Named { name, method, cue } => {
            let n = st.names.get(name)?;
            Some(from_name(st, n, method, Some(cue)))
        }
        Lead::Antecedent { method, cue } => {
            let mut s = antecedent(st, quote_start.min(cue.start))?;
            s.method = method;
            s.cue = Some(cue);
            Some(s)
        }
        Lead::Phrase { toks, anchor, method, cue, describe } => {
            if toks.is_empty() {
                return None;
            }
            let r = ctx.range(toks.start).start..ctx.range(toks.end - 1).end;
            if let Some(idx) = pick(ctx, st, &r, anchor, false) {
                return Some(from_name(st, &st.names[idx], method, Some(cue)));
            }
            if !describe {
                return None;
            }
            let d = description(ctx, st, toks, anchor)?;
            let text = &ctx.text[d.clone()];
            Some(Speaker {
                name: text.to_string(),
                key: key_of(text),
                span: d,
                surname_key: None,
                named: false,
                kind: NameKind::Unknown,
                method,
                cue: Some(cue),
            })
        }
    }
}

fn from_name(st: &State, n: &Name, method: Attribution, cue: Option<Range<usize>>) -> Speaker {
    let full = fullest(st.names, n);
    let mut s = speaker_from_name(full, method, cue);
    s.span = n.span.clone();
    s
}

/// Prepositions before an adverbial phrase.
fn is_preposition(folded: &str) -> bool {
    matches!(
        folded,
        "a" | "au"
            | "aux"
            | "avant"
            | "apres"
            | "dans"
            | "lors"
            | "pendant"
            | "en"
            | "sur"
            | "sous"
            | "avec"
            | "pour"
            | "par"
            | "depuis"
            | "devant"
            | "vers"
            | "chez"
            | "contre"
            | "malgre"
            | "before"
            | "after"
            | "in"
            | "on"
            | "at"
            | "during"
            | "with"
            | "for"
            | "to"
            | "from"
            | "by"
            | "into"
    )
}

/// Determiners that start a describing noun phrase.
fn is_determiner(folded: &str) -> bool {
    matches!(
        folded,
        "le" | "la"
            | "les"
            | "l'"
            | "un"
            | "une"
            | "des"
            | "son"
            | "sa"
            | "ses"
            | "leur"
            | "leurs"
            | "ce"
            | "cet"
            | "cette"
            | "ces"
            | "plusieurs"
            | "certains"
            | "the"
            | "a"
            | "an"
            | "his"
            | "her"
            | "their"
            | "its"
            | "this"
            | "that"
            | "these"
            | "those"
    )
}

/// A describing phrase for an unnamed speaker: a determiner, its noun, and
/// complements with "de"/"of" ("le gouverneur", "la présidente du RN",
/// "l'un d'eux", "the minister"), at most six words, not crossing
/// punctuation. With the `Start` anchor the first such phrase near the
/// start is taken; with `End`, one that ends the range (the subject just
/// before a verb).
fn description(ctx: &Ctx, st: &State, toks: Range<usize>, anchor: Anchor) -> Option<Range<usize>> {
    const MAX: usize = 6;
    let stops = [',', ';', ':', '(', ')', '.', '«', '»', '“', '”', '"', '!', '?'];
    let breaks = |k: usize| ctx.gap_before(k).contains(stops);
    // The phrase starting at determiner `a`: its last token.
    let build = |a: usize| -> Option<usize> {
        // After a preposition the phrase is an adverbial ("avant ces
        // annonces", "dans les couloirs"), not the speaker.
        if a > 0 && !breaks(a) && is_preposition(ctx.f(a - 1)) {
            return None;
        }
        if !st.outside_quotes(&ctx.range(a)) {
            return None;
        }
        let head = a + 1;
        if head >= toks.end || breaks(head) || !ctx.is_word(head) {
            return None;
        }
        let pronoun_head =
            matches!(ctx.f(head), "un" | "une" | "one") || ctx.f(a) == "plusieurs" || ctx.f(a) == "certains";
        if ctx.is_stop(head) && !pronoun_head || is_verb(ctx, head) {
            return None;
        }
        let mut b = if ctx.f(a) == "plusieurs" || ctx.f(a) == "certains" { a } else { head };
        // Adjectives and compound nouns after the head ("le Premier
        // ministre", "le coordonnateur national").
        while b > a
            && b + 1 < toks.end
            && b + 2 - a <= MAX
            && !breaks(b + 1)
            && ctx.is_word(b + 1)
            && !ctx.is_stop(b + 1)
            && !is_preposition(ctx.f(b + 1))
            && !is_verb(ctx, b + 1)
        {
            b += 1;
        }
        // Complements: "de la présidentielle", "du RN", "d'eux", "of state".
        loop {
            let k = b + 1;
            if k >= toks.end || breaks(k) || k + 1 - a > MAX || !matches!(ctx.f(k), "de" | "du" | "des" | "d'" | "of") {
                break;
            }
            let mut m = k + 1;
            if m < toks.end && !breaks(m) && matches!(ctx.f(m), "l'" | "la" | "le" | "les" | "the") {
                m += 1;
            }
            let ok = m < toks.end
                && !breaks(m)
                && m + 1 - a <= MAX
                && ctx.is_word(m)
                && !is_verb(ctx, m)
                && (!ctx.is_stop(m) || matches!(ctx.f(m), "eux" | "elles" | "them"));
            if !ok {
                break;
            }
            b = m;
        }
        Some(b)
    };
    let found = match anchor {
        Anchor::Start => (toks.start..toks.end.min(toks.start + 8))
            .take_while(|&k| k == toks.start || !breaks(k) || ctx.gap_before(k).trim() == ",")
            .filter(|&k| is_determiner(ctx.f(k)))
            .find_map(|a| build(a).map(|b| (a, b))),
        Anchor::End => (toks.start.max(toks.end.saturating_sub(8))..toks.end)
            .rev()
            .filter(|&k| is_determiner(ctx.f(k)))
            .find_map(|a| build(a).filter(|&b| b + 1 == toks.end).map(|b| (a, b))),
    };
    let (a, b) = found?;
    Some(ctx.range(a).start..ctx.range(b).end)
}

/// The latest speaker or person named outside quotations within 1,500
/// bytes before `before`.
fn antecedent(st: &State, before: usize) -> Option<Speaker> {
    const WINDOW: usize = 1500;
    let from = before.saturating_sub(WINDOW);
    // Unnamed speakers count too: "« … », a déclaré le Premier ministre.
    // « … », a-t-il ajouté." is the same unnamed speaker.
    let event = st.events.iter().filter(|(p, _)| *p < before && *p >= from).max_by_key(|(p, _)| *p);
    let name = st
        .names
        .iter()
        .filter(|n| {
            n.kind == NameKind::Person && n.span.end <= before && n.span.start >= from && st.outside_quotes(&n.span)
        })
        .max_by_key(|n| n.span.start);
    match (event, name) {
        (Some((p, s)), Some(n)) if *p >= n.span.start => Some(s.clone()),
        (_, Some(n)) => Some(from_name(st, n, Attribution::Pronoun, None)),
        (Some((_, s)), None) => Some(s.clone()),
        (None, None) => None,
    }
}

/// The previous quotation's speaker, when in the same paragraph with no
/// other person named in between.
fn continuation(ctx: &Ctx, q: &Quote, para: usize, last: Option<&Last>, st: &State) -> Option<Speaker> {
    let l = last?;
    let (lend, speaker) = (&l.end, &l.speaker);
    // Same paragraph. In the same sentence only when the previous
    // quotation was introduced before it ("X a dit « craindre » que … « ne
    // calme pas la colère »"): after "« … », a déclaré X dans …" the rest
    // of the sentence is the writer's (a scare quote).
    let same_sentence = ctx.sentence_at(lend.saturating_sub(1)) == q.sentence;
    if l.para != para || *lend > q.span.start || (same_sentence && !l.cue_before) {
        return None;
    }
    let intervening = st.names.iter().any(|n| {
        n.span.start >= *lend
            && n.span.end <= q.span.start
            && matches!(n.kind, NameKind::Person | NameKind::Unknown)
            && st.outside_quotes(&n.span)
            && !same_entity(&n.key, n.surname_key.as_deref(), &speaker.key, speaker.surname_key.as_deref())
    });
    if intervening {
        return None;
    }
    let mut s = speaker.clone();
    s.method = Attribution::Continuation;
    s.cue = None;
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs_include_tenses_and_exclude_nouns() {
        let v = speech_verbs();
        for w in ["declare", "ajouta", "confie", "precise", "said", "told", "ecrit", "annonce", "explique"] {
            assert!(v.contains(w), "{w}");
        }
        assert!(!v.contains("juge"));
        assert!(!v.contains("comment"));
    }
}
