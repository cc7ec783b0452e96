//! Families of versions with a known copy tree and known alterations, to
//! evaluate `stemma trace` (issue #6, item 5; `bench/TRACE_EVAL.md`).
//!
//! A family starts from one real article (French press or BBC news, read
//! at run time from ../shared/data; never stored in the repository) that
//! holds quotations with named speakers and numbers. Its copy tree is drawn
//! from a seed: depth at least 3, always one lost intermediary (a node whose
//! text is generated but not emitted, with at least two children, so that
//! the evidence can call for it), sometimes a lost root, and one
//! contaminated version that copies from two parents in different branches.
//! Every copy applies benign edits (synonyms, word order, number formatting,
//! hedges, name variants, a dropped sentence); the leaves (observed
//! versions nobody copies) also make alterations of known kind at known
//! places. The truth records the tree, each alteration and each benign
//! edit with its byte span in the version that made it.
//!
//! `TRACE_GEN_DEBUG=1` prints each planned alteration that found no place
//! (a root without a second speaker, …), to see why a kind is short.
//!
//! Why edits never overlap: every alteration target is a sentence (a
//! "unit") reserved for it family-wide, and benign edits never touch a
//! reserved unit; so each truth span is exact, and a flag on a benign edit
//! can only be a false flag.

use crate::Rng;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::path::Path;

/// Language of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// French (fr-press).
    Fr,
    /// English (BBC).
    En,
}

impl Lang {
    /// ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }
}

/// A source article.
#[derive(Debug, Clone)]
pub struct Article {
    /// Where it came from (`fr-press:<id>`, `bbc:<path>`, `builtin:<n>`).
    pub id: String,
    /// Its language.
    pub lang: Lang,
    /// Its headline.
    pub title: String,
    /// Its body.
    pub body: String,
}

/// The articles families are built from.
pub struct Pool {
    /// The articles, in a fixed order.
    pub articles: Vec<Article>,
    /// A line saying where they came from.
    pub source: String,
    /// True when the corpora were absent and the built-in synthetic
    /// articles are used (results are then not representative).
    pub synthetic: bool,
}

/// Loads the articles of `data` (fr-press JSONL, the BBC archive unpacked
/// into `cache` with the system `tar`), or the built-in synthetic articles
/// when neither is there.
pub fn load_articles(data: &Path, cache: &Path) -> Pool {
    let mut articles = Vec::new();
    let mut sources = Vec::new();
    let fr = data.join("fr-press/fr_press_gilets_jaunes.jsonl");
    if let Ok(content) = std::fs::read_to_string(&fr) {
        let before = articles.len();
        for line in content.lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else { continue };
            let get = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").trim().to_string();
            let (title, body, id) = (get("title"), get("text"), get("id"));
            // A headline is needed: outlets without titles (Swiss, Québec) are skipped.
            if title.is_empty() || body.is_empty() {
                continue;
            }
            articles.push(Article { id: format!("fr-press:{id}"), lang: Lang::Fr, title, body });
        }
        sources.push(format!("{} titled French articles from {}", articles.len() - before, fr.display()));
    }
    let tarball = data.join("bbc/bbc.tar.gz");
    let bbc_dir = cache.join("bbc");
    if !bbc_dir.is_dir() && tarball.is_file() {
        let _ = std::fs::create_dir_all(cache);
        let _ = std::process::Command::new("tar").arg("xzf").arg(&tarball).arg("-C").arg(cache).status();
    }
    if bbc_dir.is_dir() {
        let before = articles.len();
        let mut files = walk(&bbc_dir);
        files.sort();
        for f in files.iter().filter(|f| f.extension().is_some_and(|e| e == "txt")) {
            if f.file_name().is_some_and(|n| n == "README.TXT") {
                continue;
            }
            let Ok(bytes) = std::fs::read(f) else { continue };
            // One file of the archive is Latin-1 (a pound sign).
            let text = match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
            };
            let mut lines = text.splitn(2, '\n');
            let title = lines.next().unwrap_or("").trim().to_string();
            let body = lines.next().unwrap_or("").trim().to_string();
            if title.is_empty() || body.is_empty() {
                continue;
            }
            let rel = f.strip_prefix(cache).unwrap_or(f).display().to_string();
            articles.push(Article { id: format!("bbc:{rel}"), lang: Lang::En, title, body });
        }
        sources.push(format!("{} English articles from {}", articles.len() - before, tarball.display()));
    }
    if articles.is_empty() {
        return Pool {
            articles: builtin_articles(),
            source: format!(
                "BUILT-IN SYNTHETIC ARTICLES ({} absent): a smoke test only, figures are not representative",
                data.display()
            ),
            synthetic: true,
        };
    }
    Pool { articles, source: sources.join("; "), synthetic: false }
}

use crate::synth::walk;

// ---------------------------------------------------------------------------
// Reading quotes, speakers, numbers and names (the generator's own light
// heuristics: they only choose where to edit; the truth is what was edited).

const FR_INVERTED: &[&str] = &[
    "dit",
    "déclare",
    "explique",
    "affirme",
    "indique",
    "précise",
    "souligne",
    "ajoute",
    "estime",
    "assure",
    "confie",
    "lance",
    "raconte",
    "résume",
    "poursuit",
    "insiste",
    "martèle",
    "rappelle",
    "note",
    "observe",
    "témoigne",
    "glisse",
    "commente",
    "avertit",
    "prévient",
    "reconnaît",
    "regrette",
    "dénonce",
    "juge",
    "souffle",
    "détaille",
    "répond",
    "conclut",
    "relève",
    "tranche",
];
const FR_PARTICIPLES: &[&str] = &[
    "dit",
    "déclaré",
    "expliqué",
    "affirmé",
    "indiqué",
    "précisé",
    "souligné",
    "ajouté",
    "estimé",
    "assuré",
    "confié",
    "lancé",
    "raconté",
    "résumé",
    "poursuivi",
    "insisté",
    "martelé",
    "rappelé",
    "noté",
    "observé",
    "témoigné",
    "glissé",
    "commenté",
    "averti",
    "prévenu",
    "reconnu",
    "regretté",
    "dénoncé",
    "jugé",
    "soufflé",
    "détaillé",
    "répondu",
    "conclu",
    "relevé",
    "écrit",
    "tweeté",
    "annoncé",
];
const EN_VERBS: &[&str] = &[
    "said",
    "says",
    "added",
    "explained",
    "warned",
    "insisted",
    "argued",
    "claimed",
    "stated",
    "admitted",
    "noted",
    "continued",
    "told",
];
const TITLES: &[&str] = &["M.", "Mme", "Mlle", "Mr", "Mrs", "Ms", "Dr", "Sir", "Lord", "Me"];
const PARTICLES: &[&str] = &["de", "du", "des", "van", "von", "der", "di", "da", "bin", "al", "el"];
/// Capitalised words that start sentences or name things, never a person's first word.
const NOT_FIRST: &[&str] = &[
    "Le",
    "La",
    "Les",
    "L",
    "The",
    "A",
    "An",
    "Un",
    "Une",
    "Ce",
    "Cette",
    "Il",
    "Elle",
    "Ils",
    "Elles",
    "He",
    "She",
    "They",
    "We",
    "It",
    "Nous",
    "On",
    "Mais",
    "But",
    "And",
    "Et",
    "Selon",
    "According",
    "In",
    "En",
    "Au",
    "Aux",
    "Pour",
    "For",
    "This",
    "That",
    "Lundi",
    "Mardi",
    "Mercredi",
    "Jeudi",
    "Vendredi",
    "Samedi",
    "Dimanche",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const FIRST_NAMES: &[&str] = &[
    "Emmanuel",
    "Édouard",
    "Edouard",
    "Christophe",
    "Marine",
    "Jean-Luc",
    "Benjamin",
    "Nicolas",
    "François",
    "Laurent",
    "Marie",
    "Jean",
    "Pierre",
    "Philippe",
    "Michel",
    "Bruno",
    "Gérald",
    "Marlène",
    "Muriel",
    "Agnès",
    "Éric",
    "Eric",
    "Olivier",
    "Patrick",
    "Didier",
    "Sophie",
    "Isabelle",
    "Nathalie",
    "Catherine",
    "Anne",
    "Julien",
    "Thomas",
    "Alexandre",
    "Jacques",
    "Dominique",
    "Sylvie",
    "Valérie",
    "Martine",
    "Ségolène",
    "Manuel",
    "Richard",
    "Maxime",
    "Priscillia",
    "Jacline",
    "Jérôme",
    "Ingrid",
    "Étienne",
    "Alain",
    "Daniel",
    "David",
    "Paul",
    "Louis",
    "Marc",
    "Claude",
    "Yves",
    "Luc",
    "Henri",
    "Hervé",
    "Gilles",
    "Thierry",
    "Vincent",
    "Stéphane",
    "Sébastien",
    "Frédéric",
    "Guillaume",
    "Antoine",
    "Mathieu",
    "Romain",
    "Aurélien",
    "Justin",
    "Denis",
    "Charles",
    "Raphaël",
    "Fabien",
    "Arnaud",
    "Jordan",
    "Yannick",
    "Elisabeth",
    "Christine",
    "Florence",
    "Caroline",
    "Hélène",
    "Claire",
    "Laura",
    "Camille",
    "Julie",
    "Céline",
    "Tony",
    "Gordon",
    "George",
    "John",
    "Michael",
    "Peter",
    "James",
    "Robert",
    "William",
    "Mark",
    "Steve",
    "Stephen",
    "Alan",
    "Andrew",
    "Chris",
    "Jack",
    "Bill",
    "Bob",
    "Kevin",
    "Brian",
    "Gary",
    "Simon",
    "Ian",
    "Martin",
    "Jonathan",
    "Tim",
    "Tom",
    "Mary",
    "Margaret",
    "Sarah",
    "Jane",
    "Elizabeth",
    "Patricia",
    "Susan",
    "Helen",
    "Kate",
    "Tessa",
    "Ruth",
    "Hilary",
    "Clare",
    "Alistair",
    "Jose",
    "Michael",
    "Jamie",
    "Steven",
    "Matt",
    "Matthew",
    "Alex",
    "Sam",
    "Ben",
    "Joe",
    "Dan",
    "Rob",
    "Nick",
    "Paula",
    "Lucy",
    "Emma",
];
const MONTHS: &[&str] = &[
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const FR_HEDGES: &[&str] = &["plus de", "près de", "environ", "presque", "quelque", "au moins"];
const EN_HEDGES: &[&str] = &["more than", "nearly", "about", "around", "almost", "at least", "over"];
/// Words after which no hedge is inserted ("les près de 12" is not French).
const DETERMINERS: &[&str] = &[
    "les",
    "des",
    "ses",
    "ces",
    "leurs",
    "nos",
    "vos",
    "mes",
    "le",
    "la",
    "l",
    "un",
    "une",
    "the",
    "these",
    "those",
    "his",
    "her",
    "their",
    "its",
    "our",
    "your",
    "my",
    "a",
    "an",
    "of",
    "de",
    "du",
    "et",
    "and",
    "to",
    "à",
    "only",
    "just",
    "seulement",
    "que",
    "qu",
    "than",
    "last",
    "first",
    "next",
    "past",
    "derniers",
    "dernières",
    "premiers",
    "premières",
    "prochains",
    "prochaines",
];
/// Synonyms (from, to), applied as whole words; both directions listed
/// where both read naturally.
const FR_SYNONYMS: &[(&str, &str)] = &[
    ("a déclaré", "a affirmé"),
    ("a affirmé", "a déclaré"),
    ("a indiqué", "a précisé"),
    ("également", "aussi"),
    ("cependant", "toutefois"),
    ("toutefois", "cependant"),
    ("manifestants", "protestataires"),
    ("protestataires", "manifestants"),
    ("important", "majeur"),
    ("importante", "majeure"),
    ("gouvernement", "exécutif"),
    ("policiers", "forces de l'ordre"),
    ("lors de", "pendant"),
    ("afin de", "pour"),
    ("notamment", "en particulier"),
    ("rapidement", "vite"),
    ("souhaite", "veut"),
    ("souhaitent", "veulent"),
    ("hausse", "augmentation"),
    ("baisse", "diminution"),
    ("ville", "commune"),
    ("personnes", "individus"),
    ("voitures", "véhicules"),
    ("immédiatement", "aussitôt"),
    ("a annoncé", "a fait savoir"),
    ("mobilisation", "mouvement"),
    ("mouvement", "mobilisation"),
    ("a dit", "a déclaré"),
    ("a estimé", "a jugé"),
    ("a expliqué", "a détaillé"),
    ("a ajouté", "a poursuivi"),
    ("a assuré", "a affirmé"),
    ("a souligné", "a insisté"),
    ("le président de la République", "le chef de l'État"),
    ("le chef de l'État", "le président de la République"),
    ("le Premier ministre", "le chef du gouvernement"),
    ("manifestation", "rassemblement"),
    ("manifestations", "rassemblements"),
    ("revendications", "demandes"),
    ("colère", "mécontentement"),
    ("entreprises", "sociétés"),
    ("salariés", "employés"),
    ("difficile", "compliqué"),
    ("parce que", "car"),
    ("alors que", "tandis que"),
    ("tandis que", "alors que"),
    ("très", "particulièrement"),
    ("seulement", "uniquement"),
    ("uniquement", "seulement"),
    ("réclament", "exigent"),
    ("demandent", "réclament"),
    ("aussi", "également"),
];
const EN_SYNONYMS: &[(&str, &str)] = &[
    ("big", "large"),
    ("began", "started"),
    ("started", "began"),
    ("buy", "purchase"),
    ("bought", "purchased"),
    ("firm", "company"),
    ("firms", "companies"),
    ("rise", "increase"),
    ("rose", "climbed"),
    ("fell", "dropped"),
    ("expected", "anticipated"),
    ("important", "significant"),
    ("announced", "unveiled"),
    ("quickly", "rapidly"),
    ("difficult", "hard"),
    ("huge", "massive"),
    ("latest", "most recent"),
    ("very", "extremely"),
    ("shows", "reveals"),
    ("government", "administration"),
    ("match", "game"),
    ("film", "movie"),
    ("profits", "earnings"),
    ("believe", "think"),
    ("people", "individuals"),
    ("a lot of", "a great deal of"),
    ("chief executive", "boss"),
    ("boss", "chief executive"),
    ("cuts", "reductions"),
    ("major", "big"),
    ("recent", "latest"),
    ("currently", "at present"),
    ("however", "nevertheless"),
    ("perhaps", "maybe"),
    ("despite", "in spite of"),
    ("although", "though"),
    ("many", "numerous"),
    ("while", "whereas"),
    ("companies", "firms"),
    ("increase", "rise"),
];
/// Variants of one entity: abbreviations and other names.
const FR_ENTITIES: &[(&str, &str)] = &[
    ("Daesh", "l'EIIL"),
    ("l'EIIL", "Daesh"),
    ("l'EI", "Daesh"),
    ("l'Etat islamique", "Daesh"),
    ("l'État islamique", "Daesh"),
    ("l'ONU", "les Nations unies"),
    ("l'UE", "l'Union européenne"),
    ("l'Union européenne", "l'UE"),
    ("la SNCF", "la compagnie ferroviaire"),
];
const EN_ENTITIES: &[(&str, &str)] = &[
    ("the US", "the United States"),
    ("the United States", "the US"),
    ("the UK", "Britain"),
    ("Britain", "the UK"),
    ("the EU", "the European Union"),
    ("the European Union", "the EU"),
    ("the UN", "the United Nations"),
    ("the Tories", "the Conservatives"),
    ("the Conservatives", "the Tories"),
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '\'' || c == '’'
}

/// The word starting at byte `at` (letters, digits, inner hyphens and
/// apostrophes), as its end offset.
fn word_end(s: &str, at: usize) -> Option<usize> {
    let rest = s.get(at..)?;
    let mut end = at;
    for (i, c) in rest.char_indices() {
        if is_word_char(c) {
            end = at + i + c.len_utf8();
        } else {
            break;
        }
    }
    // Trailing hyphens or apostrophes belong to punctuation.
    while end > at && matches!(s[..end].chars().next_back(), Some('-' | '\'' | '’')) {
        end -= s[..end].chars().next_back().map_or(1, char::len_utf8);
    }
    (end > at).then_some(end)
}

/// Word spans of `s`.
fn word_spans(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i..].chars().next().unwrap_or(' ');
        if c.is_alphanumeric() {
            if let Some(e) = word_end(s, i) {
                out.push(i..e);
                i = e;
                continue;
            }
        }
        i += c.len_utf8();
    }
    out
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// Skips one space (regular, no-break or narrow) at `at`.
fn skip_one_space(s: &str, at: usize) -> Option<usize> {
    let c = s.get(at..)?.chars().next()?;
    is_space(c).then(|| at + c.len_utf8())
}

fn is_name_word(w: &str) -> bool {
    let mut cs = w.chars();
    let Some(first) = cs.next() else { return false };
    if !first.is_uppercase() || w.chars().count() < 2 {
        return false;
    }
    // Acronyms (CGT, BBC) are organisations, not people.
    let lower = w.chars().filter(|c| c.is_lowercase()).count();
    // An apostrophe inside a name is followed by a capital (O'Brien,
    // D'Alema); "J'admire" is a verb.
    let elided = w
        .char_indices()
        .any(|(i, c)| (c == '\'' || c == '’') && !w[i + c.len_utf8()..].starts_with(char::is_uppercase));
    lower > 0 && !elided
}

/// A person's name starting at `at` (after at most one space): a title and
/// a capitalised word ("M. Macron", "Mr Brown"), or two or three
/// capitalised words, particles allowed inside ("Charles de Gaulle").
pub fn name_at(s: &str, at: usize) -> Option<Range<usize>> {
    let mut pos = at;
    if let Some(p) = skip_one_space(s, pos) {
        pos = p;
    }
    let start = pos;
    let mut titled = false;
    let mut end = pos;
    let mut caps = 0;
    if let Some(e) = word_end(s, pos) {
        let w = &s[pos..e];
        let dotted = s[e..].starts_with('.');
        let with_dot = if dotted { format!("{w}.") } else { w.to_string() };
        if TITLES.contains(&with_dot.as_str()) || (!dotted && TITLES.contains(&w)) {
            titled = true;
            end = if dotted { e + 1 } else { e };
            pos = skip_one_space(s, end)?;
        }
    }
    let mut words = 0;
    while words < 4 {
        let Some(e) = word_end(s, pos) else { break };
        let w = &s[pos..e];
        if is_name_word(w) && !(caps == 0 && !titled && NOT_FIRST.contains(&w)) {
            caps += 1;
            end = e;
        } else if caps > 0 && PARTICLES.contains(&w) {
            // A particle only when a capitalised word follows.
            let next = skip_one_space(s, e)?;
            let ne = word_end(s, next)?;
            if !is_name_word(&s[next..ne]) {
                break;
            }
        } else {
            break;
        }
        words += 1;
        match skip_one_space(s, e) {
            Some(p) => pos = p,
            None => break,
        }
    }
    ((titled && caps >= 1) || caps >= 2).then_some(start..end)
}

/// A person's name ending exactly at `end` (the longest one).
fn name_ending_at(s: &str, end: usize) -> Option<Range<usize>> {
    let words: Vec<Range<usize>> = word_spans(&s[..end]);
    let n = words.len();
    let mut best = None;
    for k in 1..=n.min(5) {
        let st = words[n - k].start;
        if name_at(s, st).is_some_and(|r| r.start == st && r.end == end) {
            best = Some(st..end);
        }
    }
    best
}

/// A quotation in a text: marks included in `range`, words in `inner`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// From the opening to the end of the closing mark.
    pub range: Range<usize>,
    /// The quoted words (marks and surrounding spaces excluded).
    pub inner: Range<usize>,
    /// The speaker's name, when an attribution pattern names one.
    pub speaker: Option<Range<usize>>,
}

fn trim_range(s: &str, r: Range<usize>) -> Range<usize> {
    let t = &s[r.clone()];
    let lead = t.len() - t.trim_start_matches(|c: char| c.is_whitespace()).len();
    let trail = t.len() - t.trim_end_matches(|c: char| c.is_whitespace()).len();
    if lead + trail >= t.len() {
        return r.start..r.start;
    }
    r.start + lead..r.end - trail
}

/// Quotations of `s` (« », “ ”, " "), with their speakers.
pub fn find_quotes(s: &str) -> Vec<Quote> {
    let mut out = Vec::new();
    let mut straight: Option<usize> = None;
    let mut i = 0;
    while i < s.len() {
        let c = s[i..].chars().next().unwrap_or(' ');
        let close = match c {
            '«' => Some('»'),
            '“' => Some('”'),
            _ => None,
        };
        if let Some(cl) = close {
            if let Some(j) = s[i + c.len_utf8()..].find(cl) {
                let end = i + c.len_utf8() + j + cl.len_utf8();
                let inner = trim_range(s, i + c.len_utf8()..end - cl.len_utf8());
                out.push(Quote { range: i..end, inner, speaker: None });
                i = end;
                continue;
            }
        } else if c == '"' {
            // Straight marks open before a word and close after one; an
            // opening mark while one is open is the English convention of
            // a quotation running over paragraphs, which only its last
            // paragraph closes: the open one is dropped.
            let after_word = s[..i].chars().next_back().is_some_and(|p| !p.is_whitespace() && p != '(');
            let before_word = s[i + 1..].chars().next().is_some_and(|n| !n.is_whitespace());
            let closes = after_word || !before_word;
            match (straight, closes) {
                (Some(o), true) => {
                    out.push(Quote { range: o..i + 1, inner: trim_range(s, o + 1..i), speaker: None });
                    straight = None;
                }
                (_, false) => straight = Some(i),
                (None, true) => {}
            }
        }
        i += c.len_utf8();
    }
    for q in &mut out {
        q.speaker = speaker_after(s, q.range.end).or_else(|| speaker_before(s, q.range.start));
    }
    out
}

fn lower_word(s: &str, r: &Range<usize>) -> String {
    s[r.clone()].to_lowercase().replace('’', "'")
}

/// Attribution after a quote: "», a déclaré X", "», explique X",
/// "», selon X", "» (X)", "," said X", "," X said", "according to X".
fn speaker_after(s: &str, from: usize) -> Option<Range<usize>> {
    // A quote that ended its sentence ("… interactive." Mr Florin said that
    // …) is not attributed by the next sentence's speaker, save through a
    // comma ("« … . », a dit X").
    let ended = s[..from].trim_end_matches(|c: char| matches!(c, '"' | '»' | '”') || is_space(c)).ends_with('.');
    if ended && !s[from..].trim_start().starts_with(',') {
        return None;
    }
    let mut i = from;
    while let Some(c) = s[i..].chars().next() {
        if c == ',' || is_space(c) {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    if s[i..].starts_with('(') {
        let r = name_at(s, i + 1)?;
        return s[r.end..].starts_with(')').then_some(r);
    }
    let e1 = word_end(s, i)?;
    let w1 = lower_word(s, &(i..e1));
    let second = |at: usize| -> Option<(usize, String)> {
        let p = skip_one_space(s, at)?;
        let e = word_end(s, p)?;
        Some((e, lower_word(s, &(p..e))))
    };
    if FR_INVERTED.contains(&w1.as_str()) || w1 == "selon" || w1 == "d'après" {
        return name_at(s, e1);
    }
    if w1 == "a" || w1 == "avait" {
        let (e2, w2) = second(e1)?;
        return FR_PARTICIPLES.contains(&w2.as_str()).then(|| name_at(s, e2)).flatten();
    }
    if EN_VERBS.contains(&w1.as_str()) && w1 != "told" {
        return name_at(s, e1);
    }
    if w1 == "according" {
        let (e2, w2) = second(e1)?;
        return (w2 == "to").then(|| name_at(s, e2)).flatten();
    }
    let r = name_at(s, i)?;
    let (_, w) = second(r.end)?;
    EN_VERBS.contains(&w.as_str()).then_some(r)
}

/// Attribution before a quote: "X a déclaré : «", "X explique : «",
/// "X said: "", "Selon X, «".
fn speaker_before(s: &str, to: usize) -> Option<Range<usize>> {
    let prefix = s[..to].trim_end_matches(|c: char| c.is_whitespace() || c == ':' || c == ',');
    let words = word_spans(prefix);
    let n = words.len();
    if n < 2 {
        return None;
    }
    let last = lower_word(prefix, &words[n - 1]);
    if let Some(r) = name_ending_at(prefix, words[n - 1].end) {
        // "Selon X, «".
        let before = word_spans(&prefix[..r.start]);
        if before.last().is_some_and(|w| {
            let lw = lower_word(prefix, w);
            lw == "selon" || lw == "d'après"
        }) {
            return Some(r);
        }
    }
    let verb_start = words[n - 1].start;
    let name_end = if FR_PARTICIPLES.contains(&last.as_str()) && n >= 3 && lower_word(prefix, &words[n - 2]) == "a" {
        words[n - 2].start
    } else if FR_INVERTED.contains(&last.as_str()) || EN_VERBS.contains(&last.as_str()) {
        verb_start
    } else {
        return None;
    };
    let end = prefix[..name_end].trim_end().len();
    name_ending_at(prefix, end)
}

/// A number in a text that can be edited safely: an integer of at least 2,
/// not a year, a date, a time or part of a word or of a decimal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberAt {
    /// Where it is.
    pub range: Range<usize>,
    /// Its value.
    pub value: u64,
    /// The thousands separator it is written with, if any.
    pub sep: Option<char>,
}

fn group_seps(lang: Lang) -> &'static [char] {
    match lang {
        Lang::Fr => &[' ', '\u{a0}', '\u{202f}', '\'', '’', '.'],
        Lang::En => &[','],
    }
}

/// Editable numbers of `s`.
pub fn find_numbers(s: &str, lang: Lang) -> Vec<NumberAt> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let mut sep: Option<char> = None;
        let mut ok = true;
        while let Some(c) = s[i..].chars().next() {
            let after = i + c.len_utf8();
            let three = after + 3 <= b.len()
                && b[after..after + 3].iter().all(u8::is_ascii_digit)
                && b.get(after + 3).is_none_or(|d| !d.is_ascii_digit());
            if group_seps(lang).contains(&c) && three && (sep.is_some() || i - start <= 3) && sep.is_none_or(|p| p == c)
            {
                sep = Some(c);
                i = after + 3;
            } else {
                break;
            }
        }
        // A decimal or an irregular group ("1,5", "10.06.2016", "14:30").
        if let Some(c) = s[i..].chars().next() {
            let next_digit = b.get(i + c.len_utf8()).is_some_and(u8::is_ascii_digit);
            if (matches!(c, ',' | '.' | ':' | '/' | 'h') && next_digit) || c.is_alphabetic() {
                ok = false;
            }
        }
        if let Some(p) = s[..start].chars().next_back() {
            if !(p.is_whitespace() || matches!(p, '(' | '£' | '$' | '€' | '«' | '"' | '“')) {
                ok = false;
            }
        }
        while i < b.len() && (b[i].is_ascii_digit() || matches!(b[i], b',' | b'.' | b':' | b'/')) && !ok {
            i += 1;
        }
        if !ok {
            continue;
        }
        let digits: String = s[start..i].chars().filter(char::is_ascii_digit).collect();
        let Ok(value) = digits.parse::<u64>() else { continue };
        if !(2..=1_000_000_000).contains(&value) || (sep.is_none() && (1800..=2100).contains(&value)) {
            continue;
        }
        let next_word = word_spans(&s[i..]).first().map(|r| s[i + r.start..i + r.end].to_lowercase());
        let prev_word = word_spans(&s[..start]).last().map(|r| s[r.clone()].to_lowercase());
        let near = |w: &Option<String>| w.as_deref().is_some_and(|w| MONTHS.contains(&w));
        if near(&next_word) || near(&prev_word) {
            continue;
        }
        // Part of a name ("Radio 4's", "Channel 4", "Article 49").
        let named = word_spans(&s[..start]).last().is_some_and(|r| {
            r.end + 1 == start && s[r.clone()].starts_with(char::is_uppercase) && !at_sentence_start(s, r.start)
        });
        if named || s[i..].starts_with(['\'', '’']) {
            continue;
        }
        if next_word.as_deref().is_some_and(|w| matches!(w, "h" | "heures" | "heure" | "am" | "pm" | "gmt")) {
            continue;
        }
        out.push(NumberAt { range: start..i, value, sep });
    }
    out
}

/// `value` written with thousands separator `sep` (none: plain digits).
fn format_number(value: u64, sep: Option<char>) -> String {
    let digits = value.to_string();
    let Some(sep) = sep else { return digits };
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// Persons named in `s`: a first name from a list followed by a name.
fn person_names(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for w in word_spans(s) {
        if FIRST_NAMES.contains(&&s[w.clone()]) {
            if let Some(r) = name_at(s, w.start) {
                if r.start == w.start && r.end > w.end && !out.iter().any(|o: &Range<usize>| o.contains(&w.start)) {
                    out.push(r);
                }
            }
        }
    }
    out
}

fn inside_any(r: &Range<usize>, spans: &[Range<usize>]) -> bool {
    spans.iter().any(|q| r.start < q.end && q.start < r.end)
}

fn quote_spans(s: &str) -> Vec<Range<usize>> {
    find_quotes(s).into_iter().map(|q| q.range).collect()
}

fn has_quote_marks(s: &str) -> bool {
    s.contains(['«', '»', '“', '”', '"'])
}

fn content_words(s: &str) -> FxHashSet<String> {
    word_spans(s).into_iter().map(|r| s[r].to_lowercase()).filter(|w| w.chars().count() >= 4).collect()
}

// ---------------------------------------------------------------------------
// Units: the sentences a version is made of.

/// A sentence (or a few, when a quotation spans them) of a version.
#[derive(Debug, Clone, PartialEq)]
struct Unit {
    text: String,
    /// Origin: the root's unit number, or a number above `INTRODUCED` for
    /// material an alteration brought in. Copies keep it, which is how a
    /// contaminated version merges its parents sentence by sentence.
    key: u32,
    /// Starts a paragraph.
    para: bool,
    /// A headline line.
    headline: bool,
    /// Where this lineage's benign edits and cuts left their readings in
    /// `text`. No later edit of the lineage touches them: a copy that
    /// re-edited its source's edit would erase the only evidence of it, and
    /// a lost version whose readings its copies all overwrote could not be
    /// told from its own source, whatever the method.
    edited: Vec<Range<usize>>,
}

/// Whether `r` overlaps or abuts (one byte apart, a space) an edited span.
fn touches_edit(u: &Unit, r: &Range<usize>) -> bool {
    u.edited.iter().any(|e| r.start <= e.end + 1 && e.start <= r.end + 1)
}

const INTRODUCED: u32 = 100_000;
const MAX_UNITS: usize = 22;
const MAX_WORDS: usize = 550;

/// Whether a quotation opened in `s` runs past its end. A straight quote
/// followed by a letter opens one, even when the count is even: news sites
/// open each paragraph of a long quotation again without closing the one
/// before ("… making. "Mr Blair and I …").
fn unclosed(s: &str) -> bool {
    let n = |c: char| s.matches(c).count();
    n('«') > n('»')
        || n('“') > n('”')
        || n('"') % 2 == 1
        || s.rfind('"').is_some_and(|i| s[i + 1..].starts_with(char::is_alphanumeric))
}

/// For each unit, whether a quotation is still open after it: guillemets
/// and curly quotes counted across units (a long quotation spans several
/// units), straight quotes unit by unit (see [`unclosed`]).
fn quotation_open_after(units: &[Unit]) -> Vec<bool> {
    let mut depth = 0usize;
    units
        .iter()
        .map(|u| {
            for c in u.text.chars() {
                match c {
                    '«' | '“' => depth += 1,
                    '»' | '”' => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
            depth > 0 || unclosed(&u.text)
        })
        .collect()
}

/// Whether `s` ends a sentence (a full stop, question or exclamation mark,
/// perhaps inside closing quotes): a sentence put after one that does not
/// (a "Lire aussi" line, a heading) would run into it.
fn ends_sentence(s: &str) -> bool {
    s.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '»' | '”' | '"' | '\'' | '’' | ')'))
        .ends_with(['.', '!', '?', '…'])
}

/// Splits a body into units: sentences, merged so that no quotation and no
/// attribution ("», a dit X") is cut off its sentence.
fn split_units(body: &str) -> Vec<Unit> {
    let sentences = stemma_text::split_sentences(body, None);
    let mut out: Vec<Unit> = Vec::new();
    let mut prev_end = 0;
    let mut merged = 0;
    for s in &sentences {
        let r = s.range();
        let gap = &body[prev_end.min(r.start)..r.start];
        prev_end = r.end;
        let text: String =
            body[r].split(['\n', '\r']).map(str::trim).filter(|x| !x.is_empty()).collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            continue;
        }
        let continues = text.starts_with(|c: char| c.is_lowercase() || matches!(c, ',' | '»' | '”' | ')' | ';'));
        if let Some(last) = out.last_mut() {
            if (unclosed(&last.text) || continues) && merged < 4 {
                last.text.push(' ');
                last.text.push_str(&text);
                merged += 1;
                continue;
            }
        }
        merged = 0;
        out.push(Unit {
            text,
            key: out.len() as u32,
            para: out.is_empty() || gap.contains('\n'),
            headline: false,
            edited: Vec::new(),
        });
    }
    for (k, u) in out.iter_mut().enumerate() {
        u.key = k as u32;
    }
    out
}

// ---------------------------------------------------------------------------
// Alterations and benign edits.

/// Kind of an alteration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AltKind {
    /// A new quotation with a speaker no other version has.
    QuoteFabricated,
    /// An existing quotation given to another person named in the family.
    QuoteReattributed,
    /// An existing quotation cut by at least 30 %.
    QuoteTruncated,
    /// A number's value changed (not its formatting).
    NumberChanged,
    /// A person's name replaced by another.
    NameSwapped,
    /// A sentence from an unrelated article.
    SentenceInserted,
    /// A headline line that neither the body nor another version supports.
    HeadlineUnsupported,
}

impl AltKind {
    /// Every kind, in table order.
    pub const ALL: [AltKind; 7] = [
        AltKind::QuoteFabricated,
        AltKind::QuoteReattributed,
        AltKind::QuoteTruncated,
        AltKind::NumberChanged,
        AltKind::NameSwapped,
        AltKind::SentenceInserted,
        AltKind::HeadlineUnsupported,
    ];

    /// The name used in the truth file.
    pub fn name(self) -> &'static str {
        match self {
            AltKind::QuoteFabricated => "quote_fabricated",
            AltKind::QuoteReattributed => "quote_reattributed",
            AltKind::QuoteTruncated => "quote_truncated",
            AltKind::NumberChanged => "number_changed",
            AltKind::NameSwapped => "name_swapped",
            AltKind::SentenceInserted => "sentence_inserted",
            AltKind::HeadlineUnsupported => "headline_unsupported",
        }
    }

    /// The kind of a truth-file name.
    pub fn from_name(s: &str) -> Option<AltKind> {
        AltKind::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// Kinds of benign edits, as named in the truth file.
pub const BENIGN_KINDS: [&str; 5] = ["reword", "word_order", "number_format", "hedge", "name_variant"];

/// A byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByteSpan {
    /// First byte.
    pub start: usize,
    /// Byte after the last.
    pub end: usize,
}

/// One node of a true copy tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthNode {
    /// The document id, or null for a lost version.
    pub id: Option<String>,
    /// Indices of the nodes it was copied from: none for the root, two for
    /// a contaminated version (main parent first).
    pub parents: Vec<usize>,
    /// Its date, in dated families (lost versions too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Changes it made to what it copied: benign edits, a dropped sentence,
    /// alterations (lost versions too: their changes are the readings their
    /// copies share). A version with none cannot be told from its parent.
    #[serde(default)]
    pub changes: usize,
}

/// The truth about one family.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FamilyTruth {
    /// Family id (`f000`).
    pub family: String,
    /// Language of its versions.
    pub lang: Lang,
    /// Whether its versions carry dates.
    pub dated: bool,
    /// Where its root came from.
    pub source: String,
    /// The tree, parents before children.
    pub nodes: Vec<TruthNode>,
}

/// One alteration or benign edit: where it is in the version that made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditTruth {
    /// Family id.
    pub family: String,
    /// Document id of the version that made it.
    pub version: String,
    /// `quote_fabricated`, … (alterations) or `reword`, … (benign edits).
    pub kind: String,
    /// Byte span of the altered material in that version's text: the new
    /// number, the quote (marks included), the headline line, the inserted
    /// sentence, the swapped name, the edited words.
    pub start: usize,
    /// End of the span (exclusive).
    pub end: usize,
    /// The text of the span.
    pub text: String,
    /// What was there before (the old number, quote, speaker, name, words).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// For quotes: the speaker's name in that version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<ByteSpan>,
}

/// A line of `truth.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum TruthRecord {
    /// A family and its tree.
    Family(FamilyTruth),
    /// An alteration.
    Alteration(EditTruth),
    /// A benign edit.
    Benign(EditTruth),
}

/// A line of `docs.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocRecord {
    /// Document id (`f000-c`).
    pub id: String,
    /// Family id.
    pub family: String,
    /// The text: headline lines, a blank line, the body.
    pub text: String,
    /// The first headline line.
    pub title: String,
    /// Publication day (dated families only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The outlet.
    pub series: String,
    /// Language code.
    pub lang: String,
}

/// An edit made in a version, in its unit's coordinates.
#[derive(Debug, Clone)]
struct Mark {
    key: u32,
    range: Range<usize>,
    kind: &'static str,
    alteration: bool,
    from: Option<String>,
    speaker: Option<Range<usize>>,
}

/// Material from unrelated articles, per language.
#[derive(Default)]
struct Material {
    /// (quoted words, speaker, article).
    quotes: Vec<(String, String, usize)>,
    /// (sentence, article).
    sentences: Vec<(String, usize)>,
    /// (headline, article).
    titles: Vec<(String, usize)>,
    /// (person, article).
    persons: Vec<(String, usize)>,
}

/// An article ready to be a root: its units and where alterations can go.
struct Root {
    article: usize,
    lang: Lang,
    units: Vec<Unit>,
    words: FxHashSet<String>,
    /// Person names of the article (speakers first).
    persons: Vec<String>,
    /// (unit key, quote number) of quotes with a speaker.
    attributed: Vec<(u32, usize)>,
    /// (unit key, quote number) of attributed quotes of 6 words or more.
    long: Vec<(u32, usize)>,
    /// (unit key, number number) of editable numbers outside quotes.
    numbers: Vec<(u32, usize)>,
    /// Numbers that a benign edit could reformat (see `benign_candidates`).
    formattable: usize,
    /// (unit key, name number) of person names outside quotes and speakers.
    names: Vec<(u32, usize)>,
}

fn numbers_outside_quotes(s: &str, lang: Lang) -> Vec<NumberAt> {
    let q = quote_spans(s);
    find_numbers(s, lang).into_iter().filter(|n| !inside_any(&n.range, &q)).collect()
}

/// Person names a name swap may replace: in a sentence without quotation
/// (a name near a quote may be its speaker, and swapping it would be a
/// re-attribution), of two or three words, not the start of a longer name
/// ("the James Marshall Hendrix Foundation").
fn swappable_names(s: &str) -> Vec<Range<usize>> {
    if has_quote_marks(s) {
        return Vec::new();
    }
    person_names(s).into_iter().filter(|r| plain_person(s, r)).collect()
}

/// A name of two or three words that is not the start of a longer name or
/// a possessive.
fn plain_person(s: &str, r: &Range<usize>) -> bool {
    let words = s[r.clone()].split_whitespace().count();
    let next = s[r.end..].trim_start_matches(is_space);
    (2..=3).contains(&words) && !next.starts_with(char::is_uppercase) && !s[r.end..].starts_with(['\'', '’'])
}

fn attributed_quotes(s: &str) -> Vec<(usize, Quote)> {
    find_quotes(s)
        .into_iter()
        .enumerate()
        .filter(|(_, q)| q.speaker.is_some() && s[q.inner.clone()].split_whitespace().count() >= 3)
        .collect()
}

/// Starts of the lines a page adds around an article ("Lire aussi : …",
/// "Read more"): links to other articles, not this one's claims. No
/// alteration goes into one, and no sentence is inserted into its
/// paragraph.
const FURNITURE: &[&str] =
    &["lire aussi", "a lire aussi", "à lire aussi", "lire la suite", "voir aussi", "see also", "read more", "related"];

fn furniture_line(text: &str) -> bool {
    let start: String = text.trim_start().chars().take(16).collect::<String>().to_lowercase();
    FURNITURE.iter().any(|f| start.starts_with(f))
}

fn prepare(a: &Article, index: usize) -> Option<Root> {
    let mut units = Vec::new();
    let mut words = 0;
    for u in split_units(&a.body) {
        let n = u.text.split_whitespace().count();
        if units.len() >= MAX_UNITS || words + n > MAX_WORDS {
            break;
        }
        words += n;
        units.push(u);
    }
    if units.len() < 6 || words < 120 {
        return None;
    }
    let title = a.title.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() || has_quote_marks(&title) && unclosed(&title) {
        return None;
    }
    let mut root = Root {
        article: index,
        lang: a.lang,
        units: Vec::new(),
        words: FxHashSet::default(),
        persons: Vec::new(),
        attributed: Vec::new(),
        long: Vec::new(),
        numbers: Vec::new(),
        names: Vec::new(),
        formattable: 0,
    };
    let mut all = title.clone();
    for u in &units {
        all.push(' ');
        all.push_str(&u.text);
        if furniture_line(&u.text) {
            continue;
        }
        for (qi, q) in attributed_quotes(&u.text) {
            let speaker = u.text[q.speaker.clone().unwrap_or(0..0)].to_string();
            if !root.persons.contains(&speaker) {
                root.persons.push(speaker);
            }
            root.attributed.push((u.key, qi));
            if u.text[q.inner.clone()].split_whitespace().count() >= 6 {
                root.long.push((u.key, qi));
            }
        }
        for (ni, _) in numbers_outside_quotes(&u.text, a.lang).iter().enumerate() {
            root.numbers.push((u.key, ni));
        }
        for (pi, r) in swappable_names(&u.text).into_iter().enumerate() {
            root.names.push((u.key, pi));
            let p = u.text[r].to_string();
            if !root.persons.contains(&p) {
                root.persons.push(p);
            }
        }
    }
    root.words = content_words(&all);
    root.formattable = units.iter().map(|u| benign_candidates(u, "number_format", a.lang).len().min(1)).sum();
    root.units.push(Unit { text: title, key: INTRODUCED - 1, para: true, headline: true, edited: Vec::new() });
    root.units.extend(units);
    Some(root)
}

impl Root {
    /// Whether `text` is foreign to this article (unrelated material must
    /// not be corroborated by the family; fr-press holds many copies of one
    /// dispatch, so "another article" is not enough).
    fn foreign(&self, text: &str) -> bool {
        let w = content_words(text);
        !w.is_empty() && w.iter().filter(|x| self.words.contains(*x)).count() * 10 < w.len() * 3
    }

    fn surname_known(&self, name: &str) -> bool {
        name.split_whitespace().last().is_some_and(|s| self.words.contains(&s.to_lowercase()))
            || self.persons.iter().any(|p| p == name)
    }

    /// Usable as a root: quotes to re-attribute and truncate, another
    /// person to give a quote to, a number to change.
    fn usable(&self) -> bool {
        let quote_units: FxHashSet<u32> = self.attributed.iter().map(|x| x.0).collect();
        let surnames: FxHashSet<&str> = self.persons.iter().map(|p| surname(p)).collect();
        quote_units.len() >= 2
            && !self.long.is_empty()
            && !self.numbers.is_empty()
            && !self.names.is_empty()
            && surnames.len() >= 2
    }
}

fn collect_material(pool: &[Article]) -> (Vec<Root>, FxHashMap<Lang, Material>) {
    let mut roots = Vec::new();
    let mut mat: FxHashMap<Lang, Material> = FxHashMap::default();
    for (i, a) in pool.iter().enumerate() {
        let m = mat.entry(a.lang).or_default();
        let title = a.title.split_whitespace().collect::<Vec<_>>().join(" ");
        let tw = title.split_whitespace().count();
        if !has_quote_marks(&title) && (5..=16).contains(&tw) && !title.contains("Premium") {
            m.titles.push((title, i));
        }
        for u in split_units(&a.body).into_iter().take(40) {
            for (_, q) in attributed_quotes(&u.text) {
                let inner = u.text[q.inner.clone()].trim_end_matches([',', '.', ';', ':']).to_string();
                let n = inner.split_whitespace().count();
                if (5..=30).contains(&n) && !has_quote_marks(&inner) && inner.starts_with(char::is_uppercase) {
                    m.quotes.push((inner, u.text[q.speaker.unwrap_or(0..0)].to_string(), i));
                }
            }
            let n = u.text.split_whitespace().count();
            if (12..=35).contains(&n)
                && !has_quote_marks(&u.text)
                && u.text.ends_with('.')
                && u.text.starts_with(char::is_uppercase)
                && !u.text.contains("http")
                && !u.text.contains('@')
            {
                m.sentences.push((u.text.clone(), i));
            }
            for r in person_names(&u.text).into_iter().filter(|r| plain_person(&u.text, r)) {
                m.persons.push((u.text[r].to_string(), i));
            }
        }
        if let Some(r) = prepare(a, i) {
            if r.usable() {
                roots.push(r);
            }
        }
    }
    (roots, mat)
}

// ---------------------------------------------------------------------------
// Trees.

#[derive(Debug, Clone)]
struct Node {
    parents: Vec<usize>,
    lost: bool,
}

/// The latest node that is `a` or an ancestor of `a`, and `b` or an
/// ancestor of `b` (through main parents; the root at worst).
fn latest_common_ancestor(nodes: &[Node], a: usize, b: usize) -> usize {
    let mut x = b;
    while x != a && !is_ancestor(nodes, x, a) {
        match nodes[x].parents.first() {
            Some(&p) => x = p,
            None => break,
        }
    }
    x
}

fn is_ancestor(nodes: &[Node], a: usize, b: usize) -> bool {
    // Whether `a` is an ancestor of `b` (through any parent).
    let mut stack = vec![b];
    let mut seen = FxHashSet::default();
    while let Some(x) = stack.pop() {
        for &p in &nodes[x].parents {
            if p == a {
                return true;
            }
            if seen.insert(p) {
                stack.push(p);
            }
        }
    }
    false
}

/// A copy tree: root R (lost in a quarter of the families) → lost L →
/// {A, B, (a third child)}; a version below A or B (depth 3), sometimes one
/// more below it (depth 4); R's other children (two when R is lost, so
/// that a lost root has observed children); a few extra leaves; and last a
/// contaminated version copying from two nodes of different branches.
fn draw_tree(r: &mut Rng) -> Vec<Node> {
    let node = |parents: Vec<usize>, lost: bool| Node { parents, lost };
    let root_lost = r.chance(0.25);
    let mut nodes = vec![node(vec![], root_lost), node(vec![0], true), node(vec![1], false), node(vec![1], false)];
    if r.chance(0.3) {
        nodes.push(node(vec![1], false));
    }
    let deep = 2 + r.below(2);
    nodes.push(node(vec![deep], false));
    let c = nodes.len() - 1;
    if r.chance(0.3) {
        nodes.push(node(vec![c], false));
    }
    for _ in 0..if root_lost { 2 } else { r.below(2) } {
        nodes.push(node(vec![0], false));
    }
    for _ in 0..r.below(2) {
        let observed: Vec<usize> = (0..nodes.len()).filter(|&i| !nodes[i].lost).collect();
        let p = observed[r.below(observed.len())];
        nodes.push(node(vec![p], false));
    }
    // The contaminated version: two observed non-root parents, neither an
    // ancestor of the other (copying a version and its own source is not
    // contamination anyone could see).
    let cands: Vec<usize> = (1..nodes.len()).filter(|&i| !nodes[i].lost).collect();
    let mut pairs = Vec::new();
    for &a in &cands {
        for &b in &cands {
            if a != b && !is_ancestor(&nodes, a, b) && !is_ancestor(&nodes, b, a) {
                pairs.push((a, b));
            }
        }
    }
    let (a, b) = pairs[r.below(pairs.len())];
    nodes.push(node(vec![a, b], false));
    nodes
}

fn depth(nodes: &[Node], i: usize) -> usize {
    nodes[i].parents.first().map_or(0, |&p| 1 + depth(nodes, p))
}

// ---------------------------------------------------------------------------
// Editing.

fn shuffle<T>(v: &mut [T], r: &mut Rng) {
    for i in (1..v.len()).rev() {
        v.swap(i, r.below(i + 1));
    }
}

fn pick<'a, T>(v: &'a [T], r: &mut Rng) -> Option<&'a T> {
    (!v.is_empty()).then(|| &v[r.below(v.len())])
}

/// The first item of `v` satisfying `pred`, looking from a random place on
/// and wrapping around (every item is tried; one draw of `r` either way).
fn find_from_random<'a, T>(v: &'a [T], r: &mut Rng, pred: impl Fn(&T) -> bool) -> Option<&'a T> {
    let start = r.below(v.len().max(1));
    (0..v.len()).map(|k| &v[(start + k) % v.len()]).find(|x| pred(x))
}

/// Whole-word occurrences of `needle` in `s`, the first letter matched in
/// either case.
fn find_phrase(s: &str, needle: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut variants = vec![needle.to_string()];
    let mut cs = needle.chars();
    if let Some(f) = cs.next() {
        let flipped: String = if f.is_lowercase() { f.to_uppercase().collect() } else { f.to_lowercase().collect() };
        variants.push(format!("{flipped}{}", cs.as_str()));
    }
    for (k, v) in variants.iter().enumerate() {
        for (i, _) in s.match_indices(v.as_str()) {
            let e = i + v.len();
            let before = s[..i].chars().next_back().is_none_or(|c| !is_word_char(c));
            let after = s[e..].chars().next().is_none_or(|c| !is_word_char(c));
            // The other case only at a sentence start ("Big Brother" is a name).
            if before && after && (k == 0 || at_sentence_start(s, i)) {
                out.push(i..e);
            }
        }
    }
    out.sort_by_key(|r| r.start);
    out
}

/// Whether byte `at` of `s` starts a sentence.
fn at_sentence_start(s: &str, at: usize) -> bool {
    // A closing quote mark after a full stop still ends the sentence.
    let before = s[..at].trim_end().trim_end_matches(['"', '»', '”']).trim_end();
    before.is_empty() || before.ends_with(['.', '!', '?'])
}

/// `to` as it should be written at byte `at` of `s`: capitalised at a
/// sentence start, as listed elsewhere ("Britain" → "the UK" mid-sentence).
fn cased(to: &str, s: &str, at: usize) -> String {
    let mut cs = to.chars();
    match cs.next() {
        Some(f) if at_sentence_start(s, at) => f.to_uppercase().chain(cs).collect(),
        _ => to.to_string(),
    }
}

/// A replacement inside a unit's text: (range, new text, what was there).
type Replacement = (Range<usize>, String, String);

fn benign_candidates(u: &Unit, kind: &str, lang: Lang) -> Vec<Replacement> {
    let s = &u.text;
    let quotes = quote_spans(s);
    let ok = |r: &Range<usize>| !inside_any(r, &quotes);
    let mut out: Vec<Replacement> = Vec::new();
    match kind {
        "reword" => {
            let table = if lang == Lang::Fr { FR_SYNONYMS } else { EN_SYNONYMS };
            for (from, to) in table {
                for r in find_phrase(s, from).into_iter().filter(ok) {
                    out.push((r.clone(), cased(to, s, r.start), s[r].to_string()));
                }
            }
        }
        "word_order" => {
            let conj = if lang == Lang::Fr { " et " } else { " and " };
            let ws = word_spans(s);
            for k in 1..ws.len().saturating_sub(1) {
                let (a, m, b) = (&ws[k - 1], &ws[k], &ws[k + 1]);
                let joined = &s[a.start..b.end];
                let wa = &s[a.clone()];
                let wb = &s[b.clone()];
                let plain = |w: &str| {
                    w.chars().count() >= 4
                        && w.chars().all(|c| c.is_lowercase())
                        && !DETERMINERS.contains(&w)
                        && !MONTHS.contains(&w)
                };
                if &s[a.end..b.start] == conj && &s[m.clone()] == conj.trim() && plain(wa) && plain(wb) {
                    // "A et B" must not be preceded by a word that binds to A alone.
                    let r = a.start..b.end;
                    if ok(&r) {
                        out.push((r, format!("{wb}{conj}{wa}"), joined.to_string()));
                    }
                }
            }
        }
        "number_format" => {
            // Percentages: "12 %", "12%", "12 pour cent"; "18%", "18 per cent".
            for n in numbers_outside_quotes(s, lang) {
                let rest = &s[n.range.end..];
                let unit_len = ["\u{a0}%", "\u{202f}%", " %", "%", " pour cent", " per cent", " percent"]
                    .iter()
                    .find(|u| rest.starts_with(**u))
                    .map(|u| u.len());
                let Some(ul) = unit_len else { continue };
                let r = n.range.start..n.range.end + ul;
                let digits = &s[n.range.clone()];
                let forms: &[&str] = match lang {
                    Lang::Fr => &["\u{a0}%", "%", " pour cent"],
                    Lang::En => &["%", " per cent", " percent"],
                };
                for f in forms {
                    out.push((r.clone(), format!("{digits}{f}"), s[r.clone()].to_string()));
                }
            }
            for n in numbers_outside_quotes(s, lang).into_iter().filter(|n| n.value >= 1000) {
                let options: Vec<Option<char>> = match lang {
                    Lang::Fr => {
                        let mut o = vec![Some(' '), Some('\u{a0}'), Some('\''), Some('.')];
                        if n.value < 10_000 {
                            o.push(None);
                        }
                        o
                    }
                    Lang::En => vec![Some(','), None],
                };
                for o in options.into_iter().filter(|o| *o != n.sep) {
                    out.push((n.range.clone(), format_number(n.value, o), s[n.range.clone()].to_string()));
                }
            }
        }
        "hedge" => {
            let hedges = if lang == Lang::Fr { FR_HEDGES } else { EN_HEDGES };
            for n in numbers_outside_quotes(s, lang) {
                let before = &s[..n.range.start];
                let Some(space) = before.chars().next_back().filter(|c| is_space(*c)) else { continue };
                let head = &before[..before.len() - space.len_utf8()];
                let ends_with_hedge = |h: &&&str| {
                    let Some(at) = head.len().checked_sub(h.len()) else { return false };
                    head.is_char_boundary(at)
                        && head[at..].to_lowercase() == **h
                        && head[..at].chars().next_back().is_none_or(|c| !is_word_char(c))
                };
                if let Some(h) = hedges.iter().find(ends_with_hedge) {
                    let r = head.len() - h.len()..head.len();
                    for other in hedges.iter().filter(|o| *o != h) {
                        out.push((r.clone(), cased(other, s, r.start), s[r.clone()].to_string()));
                    }
                } else if let Some(w) = word_spans(head).last() {
                    let lw = s[w.clone()].to_lowercase();
                    if w.end == head.len()
                        && lw.chars().count() >= 3
                        && lw.chars().all(char::is_lowercase)
                        && !DETERMINERS.contains(&lw.as_str())
                    {
                        let at = n.range.start;
                        let h = hedges[(n.value as usize) % hedges.len()];
                        out.push((at..at, format!("{h} "), String::new()));
                    }
                }
            }
        }
        "name_variant" => {
            let table = if lang == Lang::Fr { FR_ENTITIES } else { EN_ENTITIES };
            // Not where the entity names part of another name ("the UK
            // Treasury" is no "Britain Treasury").
            let before_name =
                |r: &Range<usize>| s[r.end..].strip_prefix(' ').is_some_and(|t| t.starts_with(char::is_uppercase));
            for (from, to) in table {
                for r in find_phrase(s, from).into_iter().filter(ok).filter(|r| !before_name(r)) {
                    out.push((r.clone(), cased(to, s, r.start), s[r].to_string()));
                }
            }
            // A person by surname alone ("Christophe Castaner" → "Castaner").
            for r in person_names(s).into_iter().filter(ok) {
                let full = &s[r.clone()];
                if let Some(sp) = full.find(' ') {
                    out.push((r.clone(), full[sp + 1..].to_string(), full.to_string()));
                }
            }
        }
        _ => {}
    }
    out.retain(|(r, new, old)| new != old && s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
    out
}

/// Applies `rep` to `u`, returning the new text's span.
fn apply(u: &mut Unit, rep: &Replacement) -> Range<usize> {
    let (r, new, _) = rep;
    u.text.replace_range(r.clone(), new);
    for e in u.edited.iter_mut().filter(|e| e.start >= r.end) {
        *e = e.start + new.len() - r.len()..e.end + new.len() - r.len();
    }
    let span = if r.start == r.end {
        // An inserted hedge: the span is the hedge, not its trailing space.
        r.start..r.start + new.trim_end().len()
    } else {
        r.start..r.start + new.len()
    };
    u.edited.push(span.clone());
    span
}

/// A planned alteration.
#[derive(Debug, Clone)]
struct Planned {
    kind: AltKind,
    node: usize,
    /// The unit it edits, for in-place alterations.
    key: u32,
    /// Which quote, number or name of that unit.
    item: usize,
    /// New material: a speaker or name, a sentence, a headline line.
    material: String,
    /// Where the quote is inside `material` (fabricated quotes).
    quote: Range<usize>,
    speaker: Range<usize>,
}

fn changed_value(v: u64, r: &mut Rng) -> u64 {
    if v < 20 {
        let d = 1 + r.below(4) as u64;
        return if v > d + 1 && r.chance(0.5) { v - d } else { v + d };
    }
    let mut p = 1u64;
    while v.is_multiple_of(p * 10) && p * 10 < v {
        p *= 10;
    }
    let f = if r.chance(0.5) { 1.25 + r.below(60) as f64 / 100.0 } else { 0.45 + r.below(30) as f64 / 100.0 };
    let n = ((v as f64 * f / p as f64).round() as u64).max(1) * p;
    if n == v {
        v + p
    } else {
        n
    }
}

/// Applies an in-place alteration to its unit; returns the mark.
fn alter_in_place(u: &mut Unit, a: &Planned, lang: Lang, r: &mut Rng) -> Option<Mark> {
    let s = u.text.clone();
    let key = u.key;
    let mark = |range: Range<usize>, from: String, speaker: Option<Range<usize>>| Mark {
        key,
        range,
        kind: a.kind.name(),
        alteration: true,
        from: Some(from),
        speaker,
    };
    match a.kind {
        AltKind::QuoteReattributed => {
            let q = find_quotes(&s).into_iter().nth(a.item)?;
            let sp = q.speaker.clone()?;
            let old = s[sp.clone()].to_string();
            u.text.replace_range(sp.clone(), &a.material);
            let delta = a.material.len() as isize - old.len() as isize;
            let shift = |x: usize| if x >= sp.end { (x as isize + delta) as usize } else { x };
            let new_sp = sp.start..sp.start + a.material.len();
            Some(mark(shift(q.range.start)..shift(q.range.end), old, Some(new_sp)))
        }
        AltKind::QuoteTruncated => {
            let q = find_quotes(&s).into_iter().nth(a.item)?;
            let inner = &s[q.inner.clone()];
            let ws = word_spans(inner);
            let n = ws.len();
            if n < 6 {
                return None;
            }
            // Keep the punctuation English puts inside the marks ("…," said X).
            let tail = inner.chars().next_back().filter(|c| matches!(c, ',' | '.' | '!' | '?'));
            let least = 4.min(n - 2);
            let mut keep = ((n as f64 * (0.35 + r.below(30) as f64 / 100.0)).round() as usize).clamp(least, n - 2);
            // Cut after a content word, as an editor would ("… to," is no cut).
            while keep > least && inner[ws[keep - 1].clone()].chars().count() < 4 {
                keep -= 1;
            }
            let cut = loop {
                let mut cut = inner[..ws[keep - 1].end].to_string();
                cut.extend(tail);
                // At least 30 % of the quote goes.
                if cut.len() * 10 <= inner.len() * 7 || keep <= 2 {
                    break cut;
                }
                keep -= 1;
            };
            if cut.len() * 10 > inner.len() * 7 {
                return None;
            }
            u.text.replace_range(q.inner.clone(), &cut);
            let delta = inner.len() - cut.len();
            let sp =
                q.speaker.clone().map(|sp| if sp.start >= q.range.end { sp.start - delta..sp.end - delta } else { sp });
            Some(mark(q.range.start..q.range.end - delta, s[q.range.clone()].to_string(), sp))
        }
        AltKind::NumberChanged => {
            let n = numbers_outside_quotes(&s, lang).into_iter().nth(a.item)?;
            let new = format_number(changed_value(n.value, r), n.sep);
            u.text.replace_range(n.range.clone(), &new);
            Some(mark(n.range.start..n.range.start + new.len(), s[n.range].to_string(), None))
        }
        AltKind::NameSwapped => {
            let nr = swappable_names(&s).into_iter().nth(a.item)?;
            u.text.replace_range(nr.clone(), &a.material);
            Some(mark(nr.start..nr.start + a.material.len(), s[nr].to_string(), None))
        }
        _ => None,
    }
}

/// A unit where the two parents of a contaminated version differ (see
/// [`contaminate`]).
struct Differing {
    at: usize,
    main_lineage: bool,
    second_lineage: bool,
    main_itself: bool,
    second_itself: bool,
}

/// Merges the two parents of a contaminated version unit by unit: the main
/// parent's units in its order; where the parents differ, readings taken
/// alternately from each. A sentence the main parent dropped stays
/// dropped: restoring it from the second parent would undo an edit of the
/// main parent, which no version does, and the copy would read as a copy
/// from above that edit.
///
/// Both parents must leave readings of their own in the copy: readings
/// their lineage made since `common`, the text of their latest common
/// ancestor. Alternation alone does not ensure it (where the parents
/// differ, one of them often still has the common reading), and a parent
/// that left nothing of its own is no contamination anyone could see (the
/// copy reads as the other parent's with some of its edits undone): then a
/// unit that parent's lineage changed is taken from it, one the other
/// lineage left alone if there is one. A unit the parent itself changed
/// (against its own source, `main_source` or `second_source`) comes
/// first: with only its ancestors' readings, the copy reads as a copy of
/// the parent's source, and the parent named in the truth could not be
/// told from it.
fn contaminate(
    (main, main_source): (&[Unit], &[Unit]),
    (second, second_source): (&[Unit], &[Unit]),
    common: &[Unit],
    r: &mut Rng,
) -> Vec<Unit> {
    let by_key: FxHashMap<u32, &Unit> = second.iter().map(|u| (u.key, u)).collect();
    let differs_from = |of: &[Unit], u: &Unit| !of.iter().any(|o| o.key == u.key && o.text == u.text);
    let mut take_second = r.chance(0.5);
    let mut out: Vec<Unit> = Vec::new();
    // Per unit of `main` where the parents differ: its index in `out`;
    // whether main's and second's lineages changed it since `common`; and
    // whether main or second itself changed it (against its own source).
    let mut differing: Vec<Differing> = Vec::new();
    for u in main {
        match by_key.get(&u.key) {
            Some(s) if s.text != u.text => {
                differing.push(Differing {
                    at: out.len(),
                    main_lineage: differs_from(common, u),
                    second_lineage: differs_from(common, s),
                    main_itself: differs_from(main_source, u),
                    second_itself: differs_from(second_source, s),
                });
                out.push(if take_second { (*s).clone() } else { u.clone() });
                take_second = !take_second;
            }
            _ => out.push(u.clone()),
        }
    }
    let from = |out: &[Unit], i: usize, of: &[Unit]| of.iter().any(|u| u.key == out[i].key && u.text == out[i].text);
    // Makes sure `out` holds a unit of `parent`'s own, taking one from it if
    // none is: one the parent itself changed if there is one (else its copy
    // would read as a copy of the parent's source), else one its lineage
    // changed; one the other lineage left alone first, never the unit
    // `taken` for the other parent. Returns the unit it took.
    let ensure = |out: &mut Vec<Unit>,
                  parent: &[Unit],
                  itself: fn(&Differing) -> bool,
                  lineage: fn(&Differing) -> bool,
                  other_lineage: fn(&Differing) -> bool,
                  taken: Option<usize>|
     -> Option<usize> {
        let free = |d: &&Differing| Some(d.at) != taken;
        let wanted = if differing.iter().filter(free).any(&itself) { itself } else { lineage };
        if differing.iter().any(|d| wanted(d) && from(out, d.at, parent)) {
            return None;
        }
        let d = differing
            .iter()
            .filter(free)
            .find(|d| wanted(d) && !other_lineage(d))
            .or_else(|| differing.iter().filter(free).find(|d| wanted(d)))?;
        let u = parent.iter().find(|u| u.key == out[d.at].key)?;
        out[d.at] = u.clone();
        Some(d.at)
    };
    let switched = ensure(&mut out, second, |d| d.second_itself, |d| d.second_lineage, |d| d.main_lineage, None);
    ensure(&mut out, main, |d| d.main_itself, |d| d.main_lineage, |d| d.second_lineage, switched);
    out
}

/// Whether the merged copy `out` of `main` and `second` (each with its own
/// source) holds a reading of each parent's own: a unit the parent itself
/// changed, or for the main parent a unit it dropped (the copy follows the
/// main parent's units). Without one, the copy reads as a merge from that
/// parent's source, and the parent named in the truth could not be told
/// from it: when a parent's own edits lie in sentences the copy does not
/// take from it (the main parent dropped them), no merge of that pair
/// shows it.
fn shows_both(
    out: &[Unit],
    (main, main_source): (&[Unit], &[Unit]),
    (second, second_source): (&[Unit], &[Unit]),
) -> bool {
    let has = |of: &[Unit], u: &Unit| of.iter().any(|o| o.key == u.key && o.text == u.text);
    // A reading differing from the source's only in how a number is
    // written is no evidence: grouping digits is house style, which
    // outlets share without copying one another.
    let same_but_format =
        |of: &[Unit], u: &Unit| of.iter().any(|o| o.key == u.key && digits_grouped(&o.text) == digits_grouped(&u.text));
    let own = |parent: &[Unit], source: &[Unit]| {
        out.iter().any(|u| has(parent, u) && !has(source, u) && !same_but_format(source, u))
    };
    let main_dropped = main_source.iter().any(|s| !main.iter().any(|u| u.key == s.key));
    (own(main, main_source) || main_dropped) && own(second, second_source)
}

/// `s` with the separators between digits left out ("3 200", "3'200" and
/// "3.200" all read "3200").
fn digits_grouped(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let between_digits = i > 0
            && chars.get(i + 1).is_some_and(char::is_ascii_digit)
            && chars[i - 1].is_ascii_digit()
            && matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '.' | ',' | '\'');
        if !between_digits {
            out.push(c);
        }
    }
    out
}

/// The pairs of nodes that may be the parents of contaminated version `k`:
/// observed, not the root, neither an ancestor of the other (see
/// `draw_tree`), each `allowed` (no alteration of its own, which the copy
/// would repeat), and each with two observed versions outside its subtree
/// besides `k` (a sentence it dropped stays in two versions; see
/// `drop_unit`).
fn parent_pairs(nodes: &[Node], k: usize, allowed: impl Fn(usize) -> bool) -> Vec<(usize, usize)> {
    let n = nodes.len();
    let outside =
        |p: usize| (0..n).filter(|&j| j != p && j != k && !nodes[j].lost && !is_ancestor(nodes, p, j)).count();
    let cands: Vec<usize> = (1..n).filter(|&x| x != k && !nodes[x].lost && allowed(x) && outside(x) >= 2).collect();
    let mut pairs = Vec::new();
    for &a in &cands {
        for &b in &cands {
            if a != b && !is_ancestor(nodes, a, b) && !is_ancestor(nodes, b, a) {
                pairs.push((a, b));
            }
        }
    }
    pairs
}

/// Text of a version: headline lines, each followed by a blank line, then
/// the body's paragraphs separated by blank lines. Returns the offset of
/// each unit.
fn assemble(units: &[Unit]) -> (String, FxHashMap<u32, usize>) {
    let mut text = String::new();
    let mut at = FxHashMap::default();
    let mut first_body = true;
    for u in units {
        if u.headline {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
        } else if first_body {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            first_body = false;
        } else if u.para {
            text.push_str("\n\n");
        } else {
            text.push(' ');
        }
        at.insert(u.key, text.len());
        text.push_str(&u.text);
    }
    (text, at)
}

/// Civil date of a day number (days since 1970-01-01).
fn civil(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Options of [`generate`].
#[derive(Debug, Clone)]
pub struct GenOptions {
    /// Seed: the same seed gives the same files.
    pub seed: u64,
    /// Number of families.
    pub families: usize,
}

/// A generated evaluation set.
pub struct Generated {
    /// The documents, family by family.
    pub docs: Vec<DocRecord>,
    /// The truth: a family record, then its alterations and benign edits.
    pub truth: Vec<TruthRecord>,
    /// Where the articles came from.
    pub source: String,
    /// Built from the built-in synthetic articles.
    pub synthetic: bool,
}

const OUTLETS: &[&str] = &[
    "courrier-du-matin",
    "la-depeche-libre",
    "le-veilleur",
    "info-continu",
    "journal-des-regions",
    "le-quotidien-du-sud",
    "presse-du-nord",
    "morning-ledger",
    "city-gazette",
    "the-daily-echo",
    "evening-post",
    "wire-digest",
    "valley-times",
    "metro-chronicle",
];

/// Builds `opts.families` families from `pool`.
pub fn generate(pool: &Pool, opts: &GenOptions) -> Generated {
    let (roots, material) = collect_material(&pool.articles);
    let mut by_lang: FxHashMap<Lang, Vec<usize>> = FxHashMap::default();
    for (i, r) in roots.iter().enumerate() {
        by_lang.entry(r.lang).or_default().push(i);
    }
    let mut rng = Rng::new(opts.seed);
    for v in by_lang.values_mut() {
        shuffle(v, &mut rng);
        // Roots with numbers to reformat first: "283 000" / "283'000" is the
        // benign difference most often met between outlets, and few
        // articles with attributed quotes have one.
        v.sort_by_key(|&i| std::cmp::Reverse(roots[i].formattable));
    }
    let langs: Vec<Lang> = [Lang::Fr, Lang::En].into_iter().filter(|l| by_lang.contains_key(l)).collect();
    let mut out =
        Generated { docs: Vec::new(), truth: Vec::new(), source: pool.source.clone(), synthetic: pool.synthetic };
    if langs.is_empty() {
        return out;
    }
    let mut used: FxHashMap<Lang, usize> = FxHashMap::default();
    for f in 0..opts.families {
        let lang = langs[f % langs.len()];
        let list = &by_lang[&lang];
        let k = used.entry(lang).or_default();
        let root = &roots[list[*k % list.len()]];
        *k += 1;
        let mut r = Rng::new(opts.seed ^ (f as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        // Half of the families dated, alternating within each language.
        let dated = (f / langs.len()).is_multiple_of(2);
        family(&mut out, pool, root, &material[&lang], f, dated, &mut r);
    }
    out
}

/// Drops a sentence: never a headline, the lead, a unit reserved for an
/// alteration or brought in by one, nor one another version dropped (each
/// sentence goes at most once in a family, and only from a version with two
/// observed versions outside its subtree, so that every sentence stays in
/// two versions: a sentence left in one would rightly be `unsupported`),
/// nor a part of a quotation running over several units.
fn drop_unit(units: &mut Vec<Unit>, reserved: &FxHashSet<u32>, dropped: &mut FxHashSet<u32>, r: &mut Rng) -> bool {
    let lead = units.iter().position(|u| !u.headline);
    let open = quotation_open_after(units);
    let body: Vec<usize> = (0..units.len())
        .filter(|&k| {
            let u = &units[k];
            // Not part of a quotation running over several units: the copy
            // would lose its opening or closing mark, and its quotation
            // would run on into the next paragraph.
            let in_quotation = open[k] || k.checked_sub(1).is_some_and(|p| open[p]);
            !u.headline
                && !reserved.contains(&u.key)
                && u.key < INTRODUCED
                && !dropped.contains(&u.key)
                && u.edited.is_empty()
                && !in_quotation
                && Some(k) != lead
        })
        .collect();
    let Some(&k) = pick(&body, r) else { return false };
    dropped.insert(units[k].key);
    let para = units[k].para;
    units.remove(k);
    if let Some(next) = units.get_mut(k) {
        next.para |= para;
    }
    true
}

/// Cuts the last clause of a sentence ("X, Y." → "X."), a trim no table
/// limits; never in a reserved, introduced or already edited unit, nor in
/// a quotation, nor in a sentence some version of the family already cut
/// (`cut`): a sentence's last clause is one place, and two versions
/// cutting it would make the same edit independently, as `spots` forbids
/// for the other edits.
fn cut_clause(
    units: &mut [Unit],
    reserved: &FxHashSet<u32>,
    touched: &mut FxHashSet<u32>,
    cut: &mut FxHashSet<u32>,
    r: &mut Rng,
) -> bool {
    let cands: Vec<(usize, usize)> = units
        .iter()
        .enumerate()
        .filter(|(_, u)| {
            !u.headline
                && !reserved.contains(&u.key)
                && u.key < INTRODUCED
                && !touched.contains(&u.key)
                && !cut.contains(&u.key)
        })
        .filter(|(_, u)| !has_quote_marks(&u.text) && u.text.ends_with(['.', '!', '?']))
        .filter_map(|(k, u)| {
            let comma = u.text.rfind(", ")?;
            let tail = u.text[comma + 2..].split_whitespace().count();
            let head = u.text[..comma].split_whitespace().count();
            (tail >= 2 && head >= 4 && !touches_edit(u, &(comma..u.text.len()))).then_some((k, comma))
        })
        .collect();
    let Some(&(k, comma)) = pick(&cands, r) else { return false };
    units[k].text.truncate(comma);
    units[k].text.push('.');
    units[k].edited.push(comma..comma + 1);
    touched.insert(units[k].key);
    cut.insert(units[k].key);
    true
}

fn surname(name: &str) -> &str {
    name.split_whitespace().last().unwrap_or("")
}

/// Targets (unit key, item) of the in-place alterations, each on its own
/// unit: the draw that places the most of them in 30 tries.
fn choose_targets(root: &Root, r: &mut Rng) -> FxHashMap<AltKind, (u32, usize)> {
    let mut best: FxHashMap<AltKind, (u32, usize)> = FxHashMap::default();
    for _ in 0..30 {
        let mut order =
            [AltKind::QuoteReattributed, AltKind::QuoteTruncated, AltKind::NumberChanged, AltKind::NameSwapped];
        shuffle(&mut order, r);
        let mut got: FxHashMap<AltKind, (u32, usize)> = FxHashMap::default();
        for kind in order {
            let list = match kind {
                AltKind::QuoteReattributed => &root.attributed,
                AltKind::QuoteTruncated => &root.long,
                AltKind::NumberChanged => &root.numbers,
                _ => &root.names,
            };
            let free: Vec<&(u32, usize)> = list.iter().filter(|(k, _)| !got.values().any(|g| g.0 == *k)).collect();
            if let Some(&&t) = pick(&free, r) {
                got.insert(kind, t);
            }
        }
        if got.len() > best.len() {
            best = got;
        }
        if best.len() == 4 {
            break;
        }
    }
    best
}

/// Builds one family.
fn family(out: &mut Generated, pool: &Pool, root: &Root, mat: &Material, f: usize, dated: bool, r: &mut Rng) {
    let fam = format!("f{f:03}");
    let lang = root.lang;
    let mut nodes = draw_tree(r);
    let n = nodes.len();
    // Ids hide the tree: letters drawn at random.
    let mut letters: Vec<char> = ('a'..='z').take(n).collect();
    shuffle(&mut letters, r);
    let ids: Vec<Option<String>> = (0..n).map(|i| (!nodes[i].lost).then(|| format!("{fam}-{}", letters[i]))).collect();
    let mut outlets: Vec<&str> = OUTLETS.to_vec();
    shuffle(&mut outlets, r);
    let mut days = vec![0i64; n];
    let base = 17_897 + r.below(60) as i64; // 2019-01-01 onwards
    for i in 0..n {
        days[i] = nodes[i].parents.iter().map(|&p| days[p] + 1 + r.below(3) as i64).max().unwrap_or(base);
    }

    // Plan the alterations: each kind once, in an observed copy; each in-place
    // alteration on its own unit, reserved so that no benign edit touches it.
    // Alterations go to leaves, versions nobody copies: an alteration
    // copied on would be said again by the copies, and the schema's
    // `unsupported` ("no other version says it") would no longer hold.
    let leaves: Vec<usize> =
        (1..n).filter(|&i| !nodes[i].lost && !nodes.iter().any(|x| x.parents.contains(&i))).collect();
    let mut load = vec![0usize; n];
    let mut plans: Vec<Planned> = Vec::new();
    let mut reserved: FxHashSet<u32> = FxHashSet::default();
    let targets = choose_targets(root, r);
    let mut kinds = AltKind::ALL.to_vec();
    shuffle(&mut kinds, r);
    for kind in kinds {
        // Spread evenly: the least loaded leaves.
        let least = leaves.iter().map(|&c| load[c]).min().unwrap_or(0);
        let cands: Vec<usize> = leaves.iter().copied().filter(|&c| load[c] == least).collect();
        let node = cands[r.below(cands.len())];
        let mut p = Planned { kind, node, key: 0, item: 0, material: String::new(), quote: 0..0, speaker: 0..0 };
        let ok = match kind {
            AltKind::QuoteReattributed | AltKind::QuoteTruncated | AltKind::NumberChanged | AltKind::NameSwapped => {
                match targets.get(&kind) {
                    Some(&(key, item)) => {
                        p.key = key;
                        p.item = item;
                        p.material = match kind {
                            // Another person named in the family (another surname).
                            AltKind::QuoteReattributed => {
                                let unit = root.units.iter().find(|u| u.key == key).map_or("", |u| u.text.as_str());
                                let q = find_quotes(unit).into_iter().nth(item);
                                let current =
                                    q.and_then(|q| q.speaker).map(|s| unit[s].to_string()).unwrap_or_default();
                                let others: Vec<&String> =
                                    root.persons.iter().filter(|x| surname(x) != surname(&current)).collect();
                                pick(&others, r).map(|o| (*o).clone()).unwrap_or_default()
                            }
                            // A person from another article, unknown to this one.
                            AltKind::NameSwapped => {
                                let fresh: Vec<&(String, usize)> = mat
                                    .persons
                                    .iter()
                                    .filter(|(x, a)| *a != root.article && !root.surname_known(x))
                                    .collect();
                                pick(&fresh, r).map(|x| x.0.clone()).unwrap_or_default()
                            }
                            _ => String::new(),
                        };
                        !p.material.is_empty() || matches!(kind, AltKind::QuoteTruncated | AltKind::NumberChanged)
                    }
                    None => false,
                }
            }
            AltKind::QuoteFabricated => {
                let found = find_from_random(&mat.quotes, r, |(q, s, a)| {
                    *a != root.article && root.foreign(q) && !root.surname_known(s)
                });
                match found {
                    Some((q, s, _)) => {
                        let (text, qr, sr) = fabricated_sentence(q, s, lang, r);
                        p.material = text;
                        p.quote = qr;
                        p.speaker = sr;
                        true
                    }
                    None => false,
                }
            }
            AltKind::SentenceInserted => {
                let found = find_from_random(&mat.sentences, r, |(s, a)| *a != root.article && root.foreign(s));
                match found {
                    Some((s, _)) => {
                        p.material = s.clone();
                        true
                    }
                    None => false,
                }
            }
            AltKind::HeadlineUnsupported => {
                let found = find_from_random(&mat.titles, r, |(s, a)| *a != root.article && root.foreign(s));
                match found {
                    Some((s, _)) => {
                        p.material = s.clone();
                        true
                    }
                    None => false,
                }
            }
        };
        if !ok && std::env::var_os("TRACE_GEN_DEBUG").is_some() {
            eprintln!(
                "{fam}: no {} (attributed {}, long {}, persons {}, names {})",
                kind.name(),
                root.attributed.len(),
                root.long.len(),
                root.persons.len(),
                root.names.len()
            );
        }
        if ok {
            if matches!(
                kind,
                AltKind::QuoteReattributed | AltKind::QuoteTruncated | AltKind::NumberChanged | AltKind::NameSwapped
            ) {
                reserved.insert(p.key);
            }
            load[node] += 1;
            plans.push(p);
        }
    }

    // Build every version in tree order.
    let mut texts: Vec<Vec<Unit>> = Vec::with_capacity(n);
    let mut marks: Vec<Vec<Mark>> = vec![Vec::new(); n];
    let mut next_key = INTRODUCED;
    // Readings a benign edit produced or replaced, per unit, family-wide: no
    // edit may produce one of them again, so no two versions make the same
    // edit and none undoes one (convergent or reverted variants would be
    // evidence for a wrong tree).
    let mut spots: FxHashSet<(u32, String)> = FxHashSet::default();
    let mut dropped: FxHashSet<u32> = FxHashSet::default();
    let mut cut: FxHashSet<u32> = FxHashSet::default();
    let mut changes = vec![0usize; n];
    for i in 0..n {
        let mut units: Vec<Unit> = match nodes[i].parents.as_slice() {
            [] => root.units.clone(),
            [p] => texts[*p].clone(),
            [a, b, ..] => {
                let (a, b) = (*a, *b);
                // The drawn parents, else the first other pair whose merge
                // shows a reading of each parent's own (see `shows_both`).
                let mut pairs = vec![(a, b)];
                let mut others = parent_pairs(&nodes, i, |x| plans.iter().all(|p| p.node != x));
                shuffle(&mut others, r);
                pairs.extend(others.into_iter().filter(|&pair| pair != (a, b)));
                // Each parent's own source (a contaminated version's
                // parents are never the root), then the merge and whether it
                // shows both.
                let merge = |a: usize, b: usize, r: &mut Rng| {
                    let source = |x: usize| &texts[nodes[x].parents.first().copied().unwrap_or(x)][..];
                    let (main, second) = ((&texts[a][..], source(a)), (&texts[b][..], source(b)));
                    let units = contaminate(main, second, &texts[latest_common_ancestor(&nodes, a, b)], r);
                    let shown = shows_both(&units, main, second);
                    (units, shown)
                };
                let merged = pairs.iter().find_map(|&(a, b)| {
                    let (units, shown) = merge(a, b, r);
                    shown.then_some((units, a, b))
                });
                // No pair shows both: the drawn one, as it merges.
                let merged = merged.unwrap_or_else(|| (merge(a, b, r).0, a, b));
                let (units, ma, mb) = merged;
                if (ma, mb) != (a, b) {
                    nodes[i].parents = vec![ma, mb];
                    days[i] = days[ma].max(days[mb]) + 1 + r.below(3) as i64;
                }
                units
            }
        };
        let introduced = |u: &Unit| u.key >= INTRODUCED;
        if i > 0 {
            // A dropped sentence, where others keep it (see `drop_unit`).
            let keepers = (0..n).filter(|&j| j != i && !nodes[j].lost && !is_ancestor(&nodes, i, j)).count();
            let mut dropped_here = false;
            if keepers >= 2 && r.chance(0.5) && drop_unit(&mut units, &reserved, &mut dropped, r) {
                changes[i] += 1;
                dropped_here = true;
            }
            // Benign edits: a kind, then a unit that admits it, each unit once.
            let wanted = if nodes[i].lost { 2 + r.below(3) } else { 3 + r.below(3) };
            let mut touched: FxHashSet<u32> = FxHashSet::default();
            let mut kinds = BENIGN_KINDS.to_vec();
            let mut done = 0;
            let mut tries = 0;
            while done < wanted && tries < 40 {
                tries += 1;
                shuffle(&mut kinds, r);
                // Numbers first: formatting and hedges are the benign
                // differences most easily taken for altered facts.
                let kind = match tries {
                    1 => "number_format",
                    2 => "hedge",
                    _ => kinds[0],
                };
                let cands: Vec<(usize, Replacement)> = (0..units.len())
                    .filter(|&k| {
                        let u = &units[k];
                        !reserved.contains(&u.key) && !introduced(u) && !touched.contains(&u.key)
                    })
                    .flat_map(|k| benign_candidates(&units[k], kind, lang).into_iter().map(move |c| (k, c)))
                    .filter(|(k, c)| {
                        let key = units[*k].key;
                        !spots.contains(&(key, c.1.trim().to_lowercase())) && !touches_edit(&units[*k], &c.0)
                    })
                    .collect();
                let Some((k, rep)) = pick(&cands, r).cloned() else { continue };
                let range = apply(&mut units[k], &rep);
                touched.insert(units[k].key);
                for x in [&rep.1, &rep.2] {
                    spots.insert((units[k].key, x.trim().to_lowercase()));
                }
                marks[i].push(Mark {
                    key: units[k].key,
                    range,
                    kind,
                    alteration: false,
                    from: Some(rep.2.clone()),
                    speaker: None,
                });
                done += 1;
            }
            // Every copy changes something, or it could not be told from its
            // parent: a dropped sentence, else cut clauses, up to two changes.
            if done < 2 && !dropped_here && keepers >= 2 && drop_unit(&mut units, &reserved, &mut dropped, r) {
                changes[i] += 1;
            }
            while done + changes[i] < 2 && cut_clause(&mut units, &reserved, &mut touched, &mut cut, r) {
                changes[i] += 1;
            }
        }
        for p in plans.iter().filter(|p| p.node == i) {
            match p.kind {
                AltKind::QuoteFabricated | AltKind::SentenceInserted | AltKind::HeadlineUnsupported => {
                    let key = next_key;
                    next_key += 1;
                    let headline = p.kind == AltKind::HeadlineUnsupported;
                    let at = if headline {
                        1
                    } else {
                        // Between two sentences, never inside a quotation
                        // running over several of them.
                        let heads = units.iter().filter(|u| u.headline).count();
                        let places: Vec<usize> = (heads + 1..=units.len())
                            .filter(|&k| {
                                !unclosed(&units[k - 1].text)
                                    && !furniture_line(&units[k - 1].text)
                                    && ends_sentence(&units[k - 1].text)
                                    && units.get(k).is_none_or(|u| !u.text.starts_with(char::is_lowercase))
                            })
                            .collect();
                        pick(&places, r).copied().unwrap_or(units.len())
                    };
                    units.insert(
                        at,
                        Unit {
                            text: p.material.clone(),
                            key,
                            para: headline || r.chance(0.5),
                            headline,
                            edited: Vec::new(),
                        },
                    );
                    let (range, speaker) = match p.kind {
                        AltKind::QuoteFabricated => (p.quote.clone(), Some(p.speaker.clone())),
                        _ => (0..p.material.len(), None),
                    };
                    marks[i].push(Mark { key, range, kind: p.kind.name(), alteration: true, from: None, speaker });
                }
                _ => {
                    if let Some(k) = units.iter().position(|u| u.key == p.key) {
                        if let Some(m) = alter_in_place(&mut units[k], p, lang, r) {
                            marks[i].push(m);
                        } else if std::env::var_os("TRACE_GEN_DEBUG").is_some() {
                            eprintln!("{fam}: {} failed on {:?}", p.kind.name(), units[k].text);
                        }
                    }
                }
            }
        }
        texts.push(units);
    }

    let truth_nodes: Vec<TruthNode> = (0..n)
        .map(|i| TruthNode {
            id: ids[i].clone(),
            parents: nodes[i].parents.clone(),
            date: dated.then(|| civil(days[i])),
            changes: changes[i] + marks[i].len(),
        })
        .collect();
    debug_assert!((0..n).any(|i| depth(&nodes, i) >= 3));
    out.truth.push(TruthRecord::Family(FamilyTruth {
        family: fam.clone(),
        lang,
        dated,
        source: pool.articles[root.article].id.clone(),
        nodes: truth_nodes,
    }));
    let mut docs = Vec::new();
    for i in 0..n {
        let Some(id) = &ids[i] else { continue };
        let (text, offsets) = assemble(&texts[i]);
        let mut ms = marks[i].clone();
        ms.sort_by_key(|m| offsets.get(&m.key).copied().unwrap_or(0) + m.range.start);
        for m in ms {
            let Some(&off) = offsets.get(&m.key) else { continue };
            let (start, end) = (off + m.range.start, off + m.range.end);
            let rec = EditTruth {
                family: fam.clone(),
                version: id.clone(),
                kind: m.kind.to_string(),
                start,
                end,
                text: text[start..end].to_string(),
                from: m.from.clone(),
                speaker: m.speaker.map(|s| ByteSpan { start: off + s.start, end: off + s.end }),
            };
            out.truth.push(if m.alteration { TruthRecord::Alteration(rec) } else { TruthRecord::Benign(rec) });
        }
        let title = texts[i].iter().find(|u| u.headline).map(|u| u.text.clone()).unwrap_or_default();
        docs.push(DocRecord {
            id: id.clone(),
            family: fam.clone(),
            text,
            title,
            date: dated.then(|| civil(days[i])),
            series: outlets[i % outlets.len()].to_string(),
            lang: lang.code().to_string(),
        });
    }
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    out.docs.extend(docs);
}

/// A sentence carrying a fabricated quote; returns it with the quote's and
/// the speaker's ranges.
fn fabricated_sentence(q: &str, speaker: &str, lang: Lang, r: &mut Rng) -> (String, Range<usize>, Range<usize>) {
    let mut s = String::new();
    let (quote, sp);
    match (lang, r.chance(0.5)) {
        (Lang::Fr, true) => {
            let verb = ["déclaré", "affirmé", "expliqué", "assuré"][r.below(4)];
            s.push_str("« ");
            s.push_str(q);
            s.push_str(" »");
            quote = 0..s.len();
            s.push_str(", a ");
            s.push_str(verb);
            s.push(' ');
            sp = s.len()..s.len() + speaker.len();
            s.push_str(speaker);
            s.push('.');
        }
        (Lang::Fr, false) => {
            let verb = ["a déclaré", "a affirmé", "a expliqué", "a prévenu"][r.below(4)];
            sp = 0..speaker.len();
            s.push_str(speaker);
            s.push(' ');
            s.push_str(verb);
            s.push_str(" : ");
            let st = s.len();
            s.push_str("« ");
            s.push_str(q);
            s.push_str(" »");
            quote = st..s.len();
            s.push('.');
        }
        (Lang::En, true) => {
            s.push('"');
            s.push_str(q);
            s.push_str(",\"");
            quote = 0..s.len();
            s.push_str(" said ");
            sp = s.len()..s.len() + speaker.len();
            s.push_str(speaker);
            s.push('.');
        }
        (Lang::En, false) => {
            sp = 0..speaker.len();
            s.push_str(speaker);
            s.push_str(" said: ");
            let st = s.len();
            s.push('"');
            s.push_str(q);
            s.push_str(".\"");
            quote = st..s.len();
        }
    }
    (s, quote, sp)
}

/// Writes `docs.jsonl`, `truth.jsonl` and one `families/<family>.jsonl`
/// per family into `dir`.
pub fn write(dir: &Path, g: &Generated) -> std::io::Result<()> {
    use std::io::Write;
    // Files of an earlier, larger run would be taken for families of this one.
    let _ = std::fs::remove_dir_all(dir.join("families"));
    std::fs::create_dir_all(dir.join("families"))?;
    let mut docs = std::io::BufWriter::new(std::fs::File::create(dir.join("docs.jsonl"))?);
    let mut per: FxHashMap<&str, Vec<String>> = FxHashMap::default();
    for d in &g.docs {
        let line = serde_json::to_string(d).map_err(std::io::Error::other)?;
        writeln!(docs, "{line}")?;
        per.entry(d.family.as_str()).or_default().push(line);
    }
    docs.flush()?;
    for (fam, lines) in per {
        std::fs::write(dir.join("families").join(format!("{fam}.jsonl")), lines.join("\n") + "\n")?;
    }
    let mut truth = std::io::BufWriter::new(std::fs::File::create(dir.join("truth.jsonl"))?);
    for t in &g.truth {
        writeln!(truth, "{}", serde_json::to_string(t).map_err(std::io::Error::other)?)?;
    }
    truth.flush()
}

/// Reads a `truth.jsonl`.
pub fn read_truth(path: &Path) -> std::io::Result<Vec<TruthRecord>> {
    let content = std::fs::read_to_string(path)?;
    content
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).map_err(std::io::Error::other))
        .collect()
}

/// Counts of a generated set: families, documents, lost nodes, alterations
/// per kind and benign edits per kind.
pub fn summary(g: &Generated) -> String {
    let fams = g.truth.iter().filter(|t| matches!(t, TruthRecord::Family(_))).count();
    let lost: usize = g
        .truth
        .iter()
        .map(|t| match t {
            TruthRecord::Family(f) => f.nodes.iter().filter(|n| n.id.is_none()).count(),
            _ => 0,
        })
        .sum();
    let dated = g.truth.iter().filter(|t| matches!(t, TruthRecord::Family(f) if f.dated)).count();
    let unchanged: usize = g
        .truth
        .iter()
        .map(|t| match t {
            TruthRecord::Family(f) => f.nodes.iter().skip(1).filter(|n| n.changes == 0).count(),
            _ => 0,
        })
        .sum();
    let mut alt: Vec<String> = Vec::new();
    for k in AltKind::ALL {
        let c = g.truth.iter().filter(|t| matches!(t, TruthRecord::Alteration(e) if e.kind == k.name())).count();
        alt.push(format!("{} {c}", k.name()));
    }
    let mut ben: Vec<String> = Vec::new();
    for k in BENIGN_KINDS {
        let c = g.truth.iter().filter(|t| matches!(t, TruthRecord::Benign(e) if e.kind == k)).count();
        ben.push(format!("{k} {c}"));
    }
    format!(
        "{fams} families ({dated} dated), {} documents, {lost} lost versions, {unchanged} copies identical to their parent\n  alterations: {}\n  benign edits: {}",
        g.docs.len(),
        alt.join(", "),
        ben.join(", ")
    )
}

/// Made-up articles (written for this benchmark; no corpus text), used when
/// ../shared/data is absent and by the tests.
pub fn builtin_articles() -> Vec<Article> {
    let a = |id: &str, lang: Lang, title: &str, body: &str| Article {
        id: format!("builtin:{id}"),
        lang,
        title: title.to_string(),
        body: body.to_string(),
    };
    vec![
        a(
            "fr-lait",
            Lang::Fr,
            "Les producteurs de lait bloquent la préfecture de Rennes",
            "Plus de 2 400 producteurs de lait se sont rassemblés mardi devant la préfecture de Rennes pour dénoncer la baisse des prix. Les manifestants ont déversé 3 000 litres de lait sur la chaussée et bloqué la circulation pendant plusieurs heures.\n\
             « Nous vendons à perte depuis dix-huit mois et personne ne nous écoute », a déclaré Hélène Moreau, présidente de la coopérative de Vitré. Selon la préfecture, 640 tracteurs ont convergé vers le centre dès l'aube.\n\
             Le gouvernement a également annoncé une réunion avec les industriels la semaine prochaine. « Cette réunion arrive trop tard pour les exploitations qui ferment chaque semaine », a estimé Julien Lefort, éleveur à Fougères.\n\
             Le prix moyen du litre a reculé de 12 % en un an, selon la chambre d'agriculture. Près de 1 800 exploitations ont fermé dans la région depuis 2015, un chiffre qui inquiète les élus. Le député Marc Tanguy a demandé une commission d'enquête sur les marges de la grande distribution.\n\
             Les éleveurs réclament un prix plancher et un étiquetage plus clair. « Il faut agir vite, avant que les jeunes ne quittent définitivement le métier », a ajouté Hélène Moreau. La mobilisation doit reprendre samedi à Saint-Brieuc, où 500 agriculteurs sont attendus.",
        ),
        a(
            "fr-tram",
            Lang::Fr,
            "Le tramway de Montpellier prolongé jusqu'à la mer",
            "La métropole de Montpellier a voté jeudi le prolongement de la ligne 3 du tramway jusqu'aux plages, un chantier estimé à 180 millions d'euros. Les travaux doivent commencer à l'automne et durer environ 30 mois.\n\
             « Ce tramway changera la vie de milliers de familles qui vivent loin du centre », a affirmé Camille Roussel, vice-présidente chargée des transports. Environ 14 000 voyageurs par jour sont attendus sur le nouveau tronçon.\n\
             L'opposition dénonce un projet trop coûteux et mal préparé. « On nous présente une facture sans aucune étude sérieuse sur la fréquentation réelle », a regretté Antoine Mercier, conseiller municipal.\n\
             Les commerçants du quartier des Arceaux craignent une baisse de leur activité pendant les travaux. La métropole promet une indemnisation pour 85 commerces et une navette gratuite pendant toute la durée du chantier.\n\
             Un premier tronçon de 4 kilomètres ouvrira en 2027 si le calendrier est tenu. Camille Roussel a également évoqué une future ligne vers l'aéroport.",
        ),
        a(
            "fr-ecole",
            Lang::Fr,
            "Grève dans les écoles de Lyon contre les fermetures de classes",
            "Environ 3 500 enseignants ont fait grève lundi dans l'académie de Lyon pour protester contre la fermeture de 160 classes à la rentrée. Plusieurs écoles sont restées fermées toute la journée.\n\
             « On ferme des classes alors que les effectifs par élève n'ont jamais été aussi lourds », a expliqué Sophie Garnier, institutrice à Villeurbanne. Le rectorat assure que la baisse démographique justifie ces fermetures.\n\
             Selon les syndicats, 42 communes rurales perdraient leur dernière classe. « Quand l'école ferme, c'est tout le village qui se vide lentement », a souligné Bruno Chabert, maire d'une petite commune de l'Ain.\n\
             Le recteur Olivier Pasquier a reçu une délégation en fin d'après-midi. Il a promis de réexaminer 25 situations avant le mois de juin.\n\
             Les parents d'élèves appellent à une nouvelle journée de mobilisation jeudi. Près de 900 parents ont déjà signé une pétition adressée au ministère.",
        ),
        a(
            "fr-foret",
            Lang::Fr,
            "Incendie dans les Landes : 1 200 hectares brûlés",
            "Un incendie a parcouru 1 200 hectares de pinède dans le sud des Landes depuis dimanche, selon un bilan provisoire. Près de 600 pompiers et 14 avions sont mobilisés pour contenir les flammes.\n\
             « Le vent a tourné dans la nuit et le feu a repris sur trois fronts à la fois », a déclaré Laurent Dufresne, commandant des secours. Environ 2 300 habitants de quatre communes ont été évacués par précaution.\n\
             Aucune victime n'est à déplorer, mais 7 maisons ont été détruites. « Nous avons tout perdu en une heure, il ne reste que les murs », a confié Martine Lacoste, habitante de Lesperon.\n\
             La préfète a annoncé l'ouverture d'une enquête pour déterminer l'origine du sinistre. La piste criminelle n'est pas écartée par les enquêteurs.\n\
             Les autorités demandent aux promeneurs d'éviter les massifs forestiers jusqu'à nouvel ordre. Laurent Dufresne espère fixer le feu d'ici mercredi si la météo le permet.",
        ),
        a(
            "en-bakery",
            Lang::En,
            "Bakery chain to close 45 stores",
            "The bakery chain Crumb & Co is to close 45 of its stores and cut 1,300 jobs, the company announced on Tuesday. The firm blamed rising energy costs and a sharp fall in high street footfall.\n\
             \"This is the hardest decision we have had to take in our forty years of trading,\" said Margaret Hollis, the chief executive. About 2,100 staff will remain at the remaining 210 shops.\n\
             Unions reacted angrily to the announcement, and Gary Ashworth called for urgent talks with ministers. \"Workers are paying the price for years of poor management and reckless expansion,\" said Gary Ashworth of the shop workers' union.\n\
             The company's shares fell 18% in early trading. Analysts expected the chain to report a loss of more than 30 million pounds for the year.\n\
             Ms Hollis said the closures would be completed by the summer. The firm will also sell its delivery business to a rival.",
        ),
        a(
            "en-flood",
            Lang::En,
            "Flood defences fail in river town",
            "Flood defences in the market town of Ellesmere Bridge failed overnight, forcing about 400 people from their homes. Emergency crews pumped water from 120 properties after the river burst its banks.\n\
             \"The barrier was simply not designed for this volume of water,\" said Peter Langley of the Environment Agency. Rainfall this month has reached 160 millimetres, more than twice the average.\n\
             Residents criticised the slow response from the council. \"We were told the wall would protect us and now my kitchen is under a metre of water,\" said Susan Farrow, who has lived in the town for 30 years.\n\
             The government announced 6,500 pounds in emergency grants for each flooded household. The council leader, Tom Bradshaw, said a review of the defences would begin next week.\n\
             Forecasters expect more heavy rain at the weekend. The Environment Agency has issued 14 flood warnings across the region.",
        ),
        a(
            "en-match",
            Lang::En,
            "City stun leaders with late winner",
            "City came from behind to beat the league leaders 3-2 in front of 41,000 fans on Saturday. The winning goal came in the 89th minute from a free kick by the young midfielder Jamie Rowe.\n\
             \"I just closed my eyes and hit it as hard as I could,\" said Jamie Rowe after the match. It was his 6 goal of the season and his first from a set piece.\n\
             The leaders had been unbeaten in 17 games before the defeat. \"We switched off for ten minutes and we were punished for it,\" said their manager, Alan Whitcombe.\n\
             The result leaves City 9 points behind the top of the table with 12 games to play. Their manager Steve Harker praised the character of his young squad.\n\
             City face a difficult trip to the north next weekend. More than 5,000 travelling fans are expected to follow them.",
        ),
        a(
            "en-chip",
            Lang::En,
            "Chip maker unveils cheaper phone processor",
            "The chip designer Arvel has unveiled a processor for budget phones that it says uses 40% less power than its predecessor. The company expects the first handsets to go on sale in about 8 months.\n\
             \"We want a fast phone to cost the same as a good pair of shoes,\" said Helen Marsh, the firm's head of products. Arvel sold 250,000 development kits to manufacturers last year.\n\
             Rivals have questioned the power figures. \"Nobody has been able to test these claims on real handsets yet,\" said Kevin Doyle, an analyst at a technology consultancy.\n\
             The firm employs 1,900 people and plans to hire 300 engineers this year. Its latest results showed profits rising for the third quarter in a row.\n\
             Helen Marsh said the company would also license the design to other chip makers. The processor will be built in a factory in Taiwan.",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin_pool() -> Pool {
        Pool { articles: builtin_articles(), source: "builtin".into(), synthetic: true }
    }

    #[test]
    fn quotes_and_speakers() {
        let s = "« Nous ne céderons pas sur ce point », a déclaré Claire Vasseur hier.";
        let q = find_quotes(s);
        assert_eq!(q.len(), 1);
        assert_eq!(&s[q[0].speaker.clone().unwrap()], "Claire Vasseur");
        let s = "Selon Marc Dubreuil, « la décision est prise depuis longtemps ».";
        assert_eq!(&s[find_quotes(s)[0].speaker.clone().unwrap()], "Marc Dubreuil");
        let s = "Paul Girard explique : « Rien ne bougera avant l'été ».";
        assert_eq!(&s[find_quotes(s)[0].speaker.clone().unwrap()], "Paul Girard");
        let s = "\"We will not give up now,\" said Mr Fenwick.";
        assert_eq!(&s[find_quotes(s)[0].speaker.clone().unwrap()], "Mr Fenwick");
        let s = "\"We will not give up now,\" Anna Bright said.";
        assert_eq!(&s[find_quotes(s)[0].speaker.clone().unwrap()], "Anna Bright");
        let s = "Les « gilets jaunes » défilent.";
        assert!(find_quotes(s)[0].speaker.is_none());
    }

    #[test]
    fn numbers() {
        let s = "Plus de 283 000 personnes, 12 % en 2018, le 3 janvier à 14h30, 1,5 million et 45 cars.";
        let ns = find_numbers(s, Lang::Fr);
        let vals: Vec<u64> = ns.iter().map(|n| n.value).collect();
        assert_eq!(vals, vec![283_000, 12, 45]);
        let vals: Vec<u64> =
            find_numbers("soit 1 283 000 euros et 2'500 francs", Lang::Fr).iter().map(|n| n.value).collect();
        assert_eq!(vals, vec![1_283_000, 2_500]);
        assert_eq!(format_number(283_000, Some('\'')), "283'000");
        assert_eq!(format_number(1_283_000, Some(',')), "1,283,000");
        let s = "About 1,300 jobs and 5m pounds on 4 May.";
        let vals: Vec<u64> = find_numbers(s, Lang::En).iter().map(|n| n.value).collect();
        assert_eq!(vals, vec![1300]);
    }

    #[test]
    fn dates_are_civil() {
        assert_eq!(civil(0), "1970-01-01");
        assert_eq!(civil(17_897), "2019-01-01");
    }

    #[test]
    fn copies_keep_the_readings_their_sources_edited() {
        // A benign edit is the evidence that its version's copies descend
        // from it: every copy below keeps the new reading, untouched by any
        // later edit, cut or dropped sentence of the lineage.
        let mut checked = 0;
        for seed in [5, 9] {
            let g = generate(&builtin_pool(), &GenOptions { seed, families: 12 });
            let texts: FxHashMap<&str, &str> = g.docs.iter().map(|d| (d.id.as_str(), d.text.as_str())).collect();
            let families: Vec<&FamilyTruth> =
                g.truth.iter().filter_map(|t| if let TruthRecord::Family(f) = t { Some(f) } else { None }).collect();
            for t in &g.truth {
                let TruthRecord::Benign(e) = t else { continue };
                let f = families.iter().find(|f| f.family == e.family).expect("its family");
                let at = |id: &str| f.nodes.iter().position(|n| n.id.as_deref() == Some(id));
                let v = at(&e.version).expect("the version");
                let text = texts[e.version.as_str()];
                let floor = |mut i: usize| {
                    while !text.is_char_boundary(i) {
                        i -= 1;
                    }
                    i
                };
                let ceil = |mut i: usize| {
                    while !text.is_char_boundary(i) {
                        i += 1;
                    }
                    i
                };
                let window = &text[floor(e.start.saturating_sub(1))..ceil((e.end + 1).min(text.len()))];
                // Copies of it down single-parent lines (a contaminated
                // copy takes each sentence from one parent or the other).
                for (d, node) in f.nodes.iter().enumerate() {
                    let mut p = d;
                    let below = loop {
                        match f.nodes[p].parents.as_slice() {
                            [q] if *q == v => break true,
                            [q] => p = *q,
                            _ => break false,
                        }
                    };
                    let Some(id) = node.id.as_deref().filter(|_| below && node.parents.len() == 1) else { continue };
                    // No copy drops, cuts or edits it again.
                    assert!(
                        texts[id].contains(window),
                        "{id} lost {}'s {} {:?} (seed {seed})",
                        e.version,
                        e.kind,
                        window
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked >= 20, "only {checked} edits checked in copies");
    }

    #[test]
    fn the_next_sentences_speaker_does_not_attribute_a_quote() {
        let s = "\"It will be interactive.\" Mr Florin said that half of the games sold.";
        assert!(find_quotes(s).iter().all(|q| q.speaker.is_none()));
        let s = "\"It will be interactive,\" Mr Florin said.";
        assert_eq!(&s[find_quotes(s)[0].speaker.clone().unwrap()], "Mr Florin");
        let s = "« Nous ne céderons pas. », a dit Claire Vasseur.";
        assert_eq!(&s[find_quotes(s)[0].speaker.clone().unwrap()], "Claire Vasseur");
    }

    #[test]
    fn no_alteration_goes_into_page_furniture() {
        assert!(furniture_line("Lire aussi Gilets jaunes : Maxime Nicolle suggère une manifestation"));
        assert!(furniture_line("À lire aussi : le témoignage de Jérôme Rodrigues"));
        assert!(!furniture_line("Maxime Nicolle suggère une manifestation sur les Champs-Élysées."));
    }

    #[test]
    fn a_quotation_opened_again_runs_on() {
        // BBC style: each paragraph of a long quotation opens it again.
        assert!(unclosed("Mr Brown said: \"To be honest it is late. \"Mr Blair and I agree."));
        assert!(!unclosed("Mr Brown said: \"To be honest it is late.\" He left."));
        assert!(unclosed("« Nous ne céderons pas."));
    }

    #[test]
    fn an_entity_naming_part_of_another_name_keeps_its_form() {
        let u = |text: &str| Unit { text: text.into(), key: 0, para: false, headline: false, edited: Vec::new() };
        let news = |text: &str| benign_candidates(&u(text), "name_variant", Lang::En);
        assert!(news("The £7.4m comes from the UK Treasury.").iter().all(|c| c.1 != "Britain"));
        assert!(news("Exports from the UK rose.").iter().any(|c| c.1 == "Britain"));
    }

    #[test]
    fn no_two_versions_cut_the_same_clause() {
        let units = vec![Unit {
            text: "Le cortège est parti de la gare, sous une pluie fine.".into(),
            key: 0,
            para: true,
            headline: false,
            edited: Vec::new(),
        }];
        let reserved = FxHashSet::default();
        let mut cut = FxHashSet::default();
        let (mut a, mut b) = (units.clone(), units.clone());
        assert!(cut_clause(&mut a, &reserved, &mut FxHashSet::default(), &mut cut, &mut Rng::new(1)));
        assert_eq!(a[0].text, "Le cortège est parti de la gare.");
        // Another branch, cutting the same clause, would make the same edit.
        assert!(!cut_clause(&mut b, &reserved, &mut FxHashSet::default(), &mut cut, &mut Rng::new(1)));
        assert_eq!(b, units);
    }

    #[test]
    fn trees_have_depth_a_lost_intermediary_and_contamination() {
        for seed in 0..200 {
            let t = draw_tree(&mut Rng::new(seed));
            assert!((0..t.len()).any(|i| depth(&t, i) >= 3));
            let contaminated: Vec<usize> = (0..t.len()).filter(|&i| t[i].parents.len() == 2).collect();
            assert_eq!(contaminated.len(), 1);
            for i in (0..t.len()).filter(|&i| t[i].lost) {
                let children = (0..t.len()).filter(|&j| t[j].parents.contains(&i)).count();
                assert!(children >= 2, "lost node {i} with {children} children (seed {seed})");
            }
            assert!((1..t.len()).any(|i| t[i].lost));
        }
    }

    #[test]
    fn generated_truth_points_at_its_text() {
        let g = generate(&builtin_pool(), &GenOptions { seed: 7, families: 8 });
        assert_eq!(g.truth.iter().filter(|t| matches!(t, TruthRecord::Family(_))).count(), 8);
        let texts: FxHashMap<&str, &str> = g.docs.iter().map(|d| (d.id.as_str(), d.text.as_str())).collect();
        let mut kinds = FxHashSet::default();
        let mut spans: FxHashMap<&str, Vec<(usize, usize, bool)>> = FxHashMap::default();
        for t in &g.truth {
            match t {
                TruthRecord::Alteration(e) | TruthRecord::Benign(e) => {
                    let text = texts[e.version.as_str()];
                    assert_eq!(&text[e.start..e.end], e.text, "{e:?}");
                    assert!(e.end > e.start, "{e:?}");
                    if let Some(sp) = e.speaker {
                        assert!(sp.end > sp.start && text.is_char_boundary(sp.start));
                    }
                    kinds.insert(e.kind.clone());
                    spans.entry(e.version.as_str()).or_default().push((
                        e.start,
                        e.end,
                        matches!(t, TruthRecord::Alteration(_)),
                    ));
                }
                TruthRecord::Family(f) => {
                    for (i, n) in f.nodes.iter().enumerate() {
                        assert!(n.parents.iter().all(|&p| p < i));
                        if f.dated {
                            for &p in &n.parents {
                                assert!(f.nodes[p].date < n.date);
                            }
                        } else {
                            assert!(n.date.is_none());
                        }
                    }
                }
            }
        }
        for k in AltKind::ALL {
            assert!(kinds.contains(k.name()), "no {}", k.name());
        }
        // Alterations are made in leaves only.
        for t in &g.truth {
            let TruthRecord::Alteration(e) = t else { continue };
            let fam = g
                .truth
                .iter()
                .find_map(|x| match x {
                    TruthRecord::Family(f) if f.family == e.family => Some(f),
                    _ => None,
                })
                .unwrap();
            let i = fam.nodes.iter().position(|n| n.id.as_deref() == Some(e.version.as_str())).unwrap();
            assert!(!fam.nodes.iter().any(|n| n.parents.contains(&i)), "{e:?}");
        }
        // No benign edit overlaps an alteration in the same version.
        for v in spans.values() {
            for a in v.iter().filter(|x| x.2) {
                assert!(!v.iter().any(|b| !b.2 && b.0 < a.1 && a.0 < b.1));
            }
        }
        // Dated and undated families both present, and dates only on dated ones.
        assert!(g.docs.iter().any(|d| d.date.is_some()) && g.docs.iter().any(|d| d.date.is_none()));
    }

    #[test]
    fn a_contaminated_copy_holds_readings_of_each_parents_own() {
        let unit =
            |key: u32, text: &str| Unit { text: text.into(), key, para: false, headline: false, edited: Vec::new() };
        let common: Vec<Unit> = (0..6).map(|k| unit(k, &format!("sentence {k}"))).collect();
        // Main's lineage changed unit 1 only; second's changed units 3 and
        // 4; both parents still differ at 3 and 4 with main holding the
        // common reading, so plain alternation can leave one of them with
        // nothing of its own in the copy.
        let mut main = common.clone();
        main[1].text = "sentence 1, edited by main".into();
        let mut second = common.clone();
        second[3].text = "sentence 3, edited by second".into();
        second[4].text = "sentence 4, edited by second".into();
        // Unit 3 was changed by second's source, unit 4 by second itself:
        // only unit 4 tells second from its source.
        let mut second_source = common.clone();
        second_source[3].text = second[3].text.clone();
        for seed in 0..20 {
            let k = contaminate((&main, &common), (&second, &common), &common, &mut Rng::new(seed));
            assert_eq!(k.len(), 6);
            assert!(k.iter().any(|u| u.text == main[1].text), "seed {seed}: nothing of main's own");
            assert!(
                k.iter().any(|u| u.text == second[3].text || u.text == second[4].text),
                "seed {seed}: nothing of second's own"
            );
            for u in &k {
                assert!(main.iter().chain(&second).any(|p| p.key == u.key && p.text == u.text));
            }
            let k = contaminate((&main, &common), (&second, &second_source), &common, &mut Rng::new(seed));
            assert!(k.iter().any(|u| u.text == second[4].text), "seed {seed}: nothing second itself changed");
            assert!(k.iter().any(|u| u.text == main[1].text), "seed {seed}: nothing of main's own");
            // A sentence main dropped stays dropped.
            let dropped: Vec<Unit> = main.iter().filter(|u| u.key != 5).cloned().collect();
            let k = contaminate((&dropped, &common), (&second, &common), &common, &mut Rng::new(seed));
            assert!(k.iter().all(|u| u.key != 5), "seed {seed}: main's dropped sentence restored");
        }
    }

    #[test]
    fn a_merge_that_cannot_show_a_parents_own_edit_is_refused() {
        let unit =
            |key: u32, text: &str| Unit { text: text.into(), key, para: false, headline: false, edited: Vec::new() };
        let source: Vec<Unit> = (0..5).map(|k| unit(k, &format!("sentence {k}"))).collect();
        // Second's only own edit lies in unit 2, which main dropped: a copy
        // following main's units cannot hold it.
        let main: Vec<Unit> = source.iter().filter(|u| u.key != 2).cloned().collect();
        let mut second = source.clone();
        second[2].text = "sentence 2, edited by second".into();
        for seed in 0..10 {
            let k = contaminate((&main, &source), (&second, &source), &source, &mut Rng::new(seed));
            assert!(!shows_both(&k, (&main, &source), (&second, &source)), "seed {seed}");
        }
        // Nor when its own edit in a unit main kept only regroups digits:
        // house style, no evidence of copying.
        let mut source = source;
        source[3].text = "About 3.200 people came.".into();
        let main: Vec<Unit> = source.iter().filter(|u| u.key != 2).cloned().collect();
        second[3].text = "About 3 200 people came.".into();
        for seed in 0..10 {
            let k = contaminate((&main, &source), (&second, &source), &source, &mut Rng::new(seed));
            assert!(!shows_both(&k, (&main, &source), (&second, &source)), "seed {seed}");
        }
        // With an own edit of second in a unit main kept, the merge shows it.
        second[3].text = "About 3 200 persons came.".into();
        for seed in 0..10 {
            let k = contaminate((&main, &source), (&second, &source), &source, &mut Rng::new(seed));
            assert!(shows_both(&k, (&main, &source), (&second, &source)), "seed {seed}");
        }
    }

    #[test]
    fn no_copy_drops_part_of_a_quotation_running_over_units() {
        let unit =
            |key: u32, text: &str| Unit { text: text.into(), key, para: false, headline: false, edited: Vec::new() };
        // A quotation over four units (the middle ones hold no mark at all).
        let units = vec![
            unit(0, "The lead sentence."),
            unit(1, "\u{ab} We will not give in. We will go on. We will win. We are many. We are right."),
            unit(2, "We will stay. We will be heard. We will be back."),
            unit(3, "We will be back next week, \u{bb} she said."),
            unit(4, "A plain sentence."),
            unit(5, "Another plain sentence."),
        ];
        for seed in 0..40 {
            let mut copy = units.clone();
            let mut dropped = FxHashSet::default();
            assert!(drop_unit(&mut copy, &FxHashSet::default(), &mut dropped, &mut Rng::new(seed)));
            let gone: Vec<u32> = dropped.into_iter().collect();
            assert!(gone == [4] || gone == [5], "seed {seed}: dropped {gone:?}");
        }
    }

    #[test]
    fn a_sentence_is_inserted_only_after_one_that_ended() {
        assert!(ends_sentence("He left. "));
        assert!(ends_sentence("\u{ab} We will win. \u{bb}"));
        assert!(ends_sentence("\"Are you sure?\" she asked?"));
        assert!(!ends_sentence("LIRE AUSSI - Macron veut moduler la taxation des carburants"));
        assert!(!ends_sentence("Read more: the budget in numbers"));
    }

    #[test]
    fn same_seed_same_output() {
        let a = generate(&builtin_pool(), &GenOptions { seed: 3, families: 4 });
        let b = generate(&builtin_pool(), &GenOptions { seed: 3, families: 4 });
        assert_eq!(a.docs, b.docs);
        assert_eq!(a.truth, b.truth);
        let c = generate(&builtin_pool(), &GenOptions { seed: 4, families: 4 });
        assert_ne!(a.docs, c.docs);
    }

    #[test]
    fn alterations_do_what_they_say() {
        let g = generate(&builtin_pool(), &GenOptions { seed: 11, families: 8 });
        for t in &g.truth {
            let TruthRecord::Alteration(e) = t else { continue };
            match e.kind.as_str() {
                "quote_truncated" => {
                    let from = e.from.as_deref().unwrap();
                    assert!(e.text.len() * 10 <= from.len() * 7 + 30, "{e:?}");
                }
                "number_changed" => {
                    let d = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
                    assert_ne!(d(&e.text), d(e.from.as_deref().unwrap()));
                }
                "quote_reattributed" | "name_swapped" => assert_ne!(Some(e.text.as_str()), e.from.as_deref()),
                _ => {}
            }
        }
    }
}
