//! Language identification by function words, and the function-word lists.
//!
//! The engine needs the language for three things: the decimal separator of
//! numbers, French elision, and which words are function words (they carry
//! little evidence of reuse). Counting function words identifies the
//! languages stemma is built for reliably on anything longer than a line, is
//! instant, and needs no model; on a text too short to tell, the answer is
//! `None` rather than a guess.

use crate::number::DecimalStyle;
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// A language stemma knows the function words of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// French.
    Fr,
    /// English.
    En,
    /// German.
    De,
    /// Spanish.
    Es,
    /// Italian.
    It,
    /// Portuguese.
    Pt,
    /// Dutch.
    Nl,
}

impl Lang {
    /// All known languages, in a fixed order.
    pub const ALL: [Lang; 7] = [Lang::Fr, Lang::En, Lang::De, Lang::Es, Lang::It, Lang::Pt, Lang::Nl];

    /// ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
            Lang::De => "de",
            Lang::Es => "es",
            Lang::It => "it",
            Lang::Pt => "pt",
            Lang::Nl => "nl",
        }
    }

    /// Parses an ISO 639-1 code (or a locale such as `fr-CA`), case-insensitively.
    pub fn from_code(code: &str) -> Option<Lang> {
        let base = code.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == base)
    }

    /// The decimal separator convention of the language.
    pub fn decimal_style(self) -> DecimalStyle {
        match self {
            Lang::En => DecimalStyle::Point,
            _ => DecimalStyle::Comma,
        }
    }

    fn words(self) -> &'static [&'static str] {
        match self {
            Lang::Fr => FR,
            Lang::En => EN,
            Lang::De => DE,
            Lang::Es => ES,
            Lang::It => IT,
            Lang::Pt => PT,
            Lang::Nl => NL,
        }
    }
}

/// Decimal style for an optional language.
pub fn decimal_style(lang: Option<Lang>) -> DecimalStyle {
    lang.map_or(DecimalStyle::Either, Lang::decimal_style)
}

// Folded forms (lower case, no accents), as produced by `fold_char`.
const FR: &[&str] = &[
    "a",
    "afin",
    "ai",
    "aie",
    "aient",
    "ait",
    "alors",
    "au",
    "aucun",
    "aucune",
    "aupres",
    "auquel",
    "aussi",
    "autre",
    "autres",
    "aux",
    "avaient",
    "avait",
    "avant",
    "avec",
    "avoir",
    "c'",
    "ca",
    "car",
    "ce",
    "ceci",
    "cela",
    "celle",
    "celles",
    "celui",
    "cependant",
    "ces",
    "cet",
    "cette",
    "ceux",
    "chaque",
    "chez",
    "comme",
    "d'",
    "dans",
    "de",
    "des",
    "deja",
    "depuis",
    "devant",
    "doit",
    "donc",
    "dont",
    "du",
    "elle",
    "elles",
    "en",
    "encore",
    "entre",
    "est",
    "et",
    "etaient",
    "etait",
    "ete",
    "etre",
    "eu",
    "eux",
    "fait",
    "font",
    "il",
    "ils",
    "j'",
    "je",
    "jusqu'",
    "l'",
    "la",
    "le",
    "les",
    "leur",
    "leurs",
    "lors",
    "lorsqu'",
    "lui",
    "m'",
    "ma",
    "mais",
    "me",
    "meme",
    "memes",
    "mes",
    "moi",
    "mon",
    "n'",
    "ne",
    "ni",
    "nos",
    "notre",
    "nous",
    "on",
    "ont",
    "ou",
    "par",
    "parce",
    "pas",
    "peu",
    "peut",
    "plus",
    "pour",
    "pourquoi",
    "puis",
    "qu'",
    "quand",
    "que",
    "quel",
    "quelle",
    "quelles",
    "quels",
    "qui",
    "s'",
    "sa",
    "sans",
    "se",
    "selon",
    "ses",
    "si",
    "sien",
    "soit",
    "son",
    "sont",
    "sous",
    "sur",
    "t'",
    "ta",
    "te",
    "tes",
    "toi",
    "ton",
    "tous",
    "tout",
    "toute",
    "toutes",
    "tres",
    "tu",
    "un",
    "une",
    "unes",
    "uns",
    "vers",
    "voici",
    "voila",
    "vos",
    "votre",
    "vous",
    "y",
];

const EN: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "may",
    "me",
    "might",
    "more",
    "most",
    "must",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "out",
    "over",
    "own",
    "same",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
];

const DE: &[&str] = &[
    "aber", "als", "am", "an", "auch", "auf", "aus", "bei", "bin", "bis", "da", "das", "dass", "dem", "den", "der",
    "des", "die", "dies", "diese", "doch", "du", "durch", "ein", "eine", "einem", "einen", "einer", "er", "es", "fur",
    "hat", "hatte", "ich", "ihr", "im", "in", "ist", "ja", "kann", "mit", "nach", "nicht", "noch", "nur", "oder",
    "sich", "sie", "sind", "so", "uber", "um", "und", "uns", "von", "vor", "war", "wie", "wir", "wird", "wurde", "zu",
    "zum", "zur",
];

const ES: &[&str] = &[
    "al", "como", "con", "de", "del", "el", "ella", "en", "entre", "era", "es", "esta", "este", "fue", "ha", "han",
    "la", "las", "le", "les", "lo", "los", "mas", "muy", "no", "nos", "para", "pero", "por", "que", "se", "ser", "si",
    "sin", "sobre", "su", "sus", "tambien", "un", "una", "y", "ya",
];

const IT: &[&str] = &[
    "al", "alla", "anche", "che", "ci", "come", "con", "da", "del", "della", "delle", "dei", "di", "e", "gli", "ha",
    "hanno", "il", "in", "la", "le", "lo", "ma", "nel", "nella", "non", "per", "piu", "quando", "questo", "si", "sono",
    "su", "sua", "suo", "tra", "un", "una", "uno",
];

const PT: &[&str] = &[
    "ao", "aos", "as", "com", "como", "da", "das", "de", "do", "dos", "e", "ela", "ele", "em", "entre", "era", "foi",
    "ha", "isso", "mais", "mas", "na", "nao", "nas", "no", "nos", "o", "os", "ou", "para", "pela", "pelo", "por",
    "que", "se", "sem", "ser", "sua", "seu", "um", "uma",
];

const NL: &[&str] = &[
    "aan", "al", "als", "bij", "dat", "de", "die", "dit", "door", "een", "en", "er", "het", "hij", "in", "is", "je",
    "kan", "maar", "met", "naar", "niet", "nog", "of", "om", "ook", "op", "over", "te", "tot", "uit", "van", "voor",
    "was", "wat", "werd", "wij", "zal", "ze", "zich", "zijn", "zo",
];

/// Function word → the languages it belongs to (bit `i` for `Lang::ALL[i]`).
fn table() -> &'static FxHashMap<&'static str, u8> {
    static TABLE: OnceLock<FxHashMap<&'static str, u8>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut m: FxHashMap<&'static str, u8> = FxHashMap::default();
        for (i, l) in Lang::ALL.iter().enumerate() {
            for w in l.words() {
                *m.entry(w).or_default() |= 1 << i;
            }
        }
        m
    })
}

fn languages_of(folded: &str) -> u8 {
    table().get(folded).copied().unwrap_or(0)
}

/// Whether `folded` (a token folded by [`crate::fold_str`]) is a function word
/// of `lang`. With no language, the French and English lists are consulted,
/// which is what stemma's collections mostly hold.
pub fn is_stopword(folded: &str, lang: Option<Lang>) -> bool {
    let mask = languages_of(folded);
    match lang {
        Some(l) => mask & (1 << l as u8) != 0,
        None => mask & ((1 << Lang::Fr as u8) | (1 << Lang::En as u8)) != 0,
    }
}

/// Function-word languages by token key (`word_key` of the folded form).
fn key_table() -> &'static FxHashMap<u64, u8> {
    static TABLE: OnceLock<FxHashMap<u64, u8>> = OnceLock::new();
    TABLE.get_or_init(|| table().iter().map(|(w, m)| (crate::token::word_key(w), *m)).collect())
}

/// The languages (bit `i` for `Lang::ALL[i]`) of which a word token, given
/// by its key, is a function word.
pub fn stopword_languages(key: u64) -> u8 {
    key_table().get(&key).copied().unwrap_or(0)
}

/// Whether a word token (by key) is a function word of `lang` (French or
/// English when unknown), like [`is_stopword`] on its folded form.
pub fn is_stopword_key(key: u64, lang: Option<Lang>) -> bool {
    is_stopword_mask(stopword_languages(key), lang)
}

/// [`is_stopword_key`] from an already looked-up [`stopword_languages`] mask.
pub fn is_stopword_mask(mask: u8, lang: Option<Lang>) -> bool {
    match lang {
        Some(l) => mask & (1 << l as u8) != 0,
        None => mask & ((1 << Lang::Fr as u8) | (1 << Lang::En as u8)) != 0,
    }
}

/// Identifies the language from already computed tokens (same rule as
/// [`detect_language`], over the first 4,000 tokens), without folding the
/// text again.
pub fn detect_language_of_tokens(tokens: &[crate::Token]) -> Option<Lang> {
    let masks: Vec<u8> = tokens.iter().take(4000).map(|t| stopword_languages(t.key)).collect();
    detect_language_of_masks(&masks)
}

/// Identifies the language from the [`stopword_languages`] masks of a
/// text's tokens.
pub fn detect_language_of_masks(masks: &[u8]) -> Option<Lang> {
    let mut counts = [0f64; Lang::ALL.len()];
    let mut seen = 0u32;
    for &mask in masks.iter().take(4000) {
        let n = mask.count_ones();
        if n == 0 {
            continue;
        }
        seen += 1;
        for (i, c) in counts.iter_mut().enumerate() {
            if mask & (1 << i) != 0 {
                *c += 1.0 / f64::from(n);
            }
        }
    }
    decide(&counts, seen)
}

fn decide(counts: &[f64; 7], seen: u32) -> Option<Lang> {
    let mut ranked: Vec<(f64, usize)> = counts.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let (best, best_i) = ranked[0];
    let second = ranked[1].0;
    if seen < 3 || best < 1.25 * second {
        return None;
    }
    Some(Lang::ALL[best_i])
}

/// Identifies the language of `text` from its function words.
///
/// Looks at the first 20,000 bytes. Returns `None` when fewer than three
/// function words were seen or when no language clearly leads.
pub fn detect_language(text: &str) -> Option<Lang> {
    let mut end = text.len().min(20_000);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    // A function word shared by k languages counts 1/k for each of them, so
    // that "en", "les" or "de" do not make French, Spanish and Dutch tie.
    let mut counts = [0f64; Lang::ALL.len()];
    let mut seen = 0u32;
    let mut word = String::new();
    let flush = |word: &mut String, counts: &mut [f64; 7], seen: &mut u32| {
        if !word.is_empty() {
            let mask = languages_of(word);
            let n = mask.count_ones();
            for (i, c) in counts.iter_mut().enumerate() {
                if mask & (1 << i) != 0 {
                    *c += 1.0 / f64::from(n);
                }
            }
            *seen += u32::from(n > 0);
            word.clear();
        }
    };
    for c in text[..end].chars() {
        if c.is_alphabetic() {
            crate::fold::fold_char(c, &mut |f| word.push(f));
        } else if c == '\'' || c == '\u{2019}' {
            // French elision: "l'" is a function word of its own.
            word.push('\'');
            flush(&mut word, &mut counts, &mut seen);
        } else {
            flush(&mut word, &mut counts, &mut seen);
        }
    }
    flush(&mut word, &mut counts, &mut seen);
    decide(&counts, seen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifies_french_and_english() {
        assert_eq!(
            detect_language(
                "Les défections se multiplient dans les rangs de l'organisation, et leur retour est un casse-tête."
            ),
            Some(Lang::Fr)
        );
        assert_eq!(
            detect_language("The number of foreign fighters leaving the group is growing, experts said on Friday."),
            Some(Lang::En)
        );
        assert_eq!(detect_language("Irak"), None);
    }

    #[test]
    fn stopwords_are_folded_forms() {
        assert!(is_stopword("ete", Some(Lang::Fr)));
        assert!(is_stopword("l'", Some(Lang::Fr)));
        assert!(is_stopword("the", None));
        assert!(!is_stopword("califat", Some(Lang::Fr)));
    }

    #[test]
    fn codes_round_trip() {
        for l in Lang::ALL {
            assert_eq!(Lang::from_code(l.code()), Some(l));
        }
        assert_eq!(Lang::from_code("fr-CA"), Some(Lang::Fr));
        assert_eq!(Lang::from_code("xx"), None);
    }
}
