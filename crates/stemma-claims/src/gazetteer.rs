//! The word lists under `data/`, loaded once.
//!
//! Entries are keys as [`crate::key_of`] makes them (folded, words joined by
//! single spaces), so a name found in the text is looked up by its key.

use crate::names::NameKind;
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::OnceLock;

/// A known entity: its kind and canonical key.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    pub kind: NameKind,
    pub canonical: &'static str,
}

pub(crate) struct Gazetteer {
    /// Variant key → entry.
    pub entities: FxHashMap<String, Entry>,
    /// Longest entity, in words, per first word (to bound look-ups).
    pub longest: FxHashMap<String, usize>,
    pub first_names: FxHashSet<&'static str>,
    pub titles: FxHashSet<&'static str>,
    pub org_cues: FxHashSet<&'static str>,
    /// (phrase, starts the comment area).
    pub furniture: Vec<(&'static str, bool)>,
    /// Canonical keys of places (to classify stemma-text's aliases).
    pub place_canonicals: FxHashSet<&'static str>,
}

fn lines(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn load_table(g: &mut Gazetteer, data: &'static str, kind: NameKind) {
    for line in lines(data) {
        let mut fields = line.split('\t').map(str::trim).filter(|f| !f.is_empty());
        let Some(canonical) = fields.next() else { continue };
        if kind == NameKind::Place {
            g.place_canonicals.insert(canonical);
        }
        for variant in std::iter::once(canonical).chain(fields) {
            let key = crate::key_of(variant);
            if key.is_empty() {
                continue;
            }
            let words = key.split(' ').count();
            let first = key.split(' ').next().unwrap_or_default().to_string();
            let longest = g.longest.entry(first).or_insert(0);
            *longest = (*longest).max(words);
            // The first table loaded wins a variant shared by two tables.
            g.entities.entry(key).or_insert(Entry { kind, canonical });
        }
    }
}

pub(crate) fn get() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(|| {
        let mut g = Gazetteer {
            entities: FxHashMap::default(),
            longest: FxHashMap::default(),
            first_names: lines(include_str!("../data/first_names.txt")).collect(),
            titles: lines(include_str!("../data/titles.txt")).collect(),
            org_cues: lines(include_str!("../data/org_cues.txt")).collect(),
            furniture: lines(include_str!("../data/furniture.txt"))
                .filter_map(|l| {
                    let (kind, phrase) = l.split_once('\t')?;
                    Some((phrase.trim(), kind.trim() == "tail"))
                })
                .collect(),
            place_canonicals: FxHashSet::default(),
        };
        load_table(&mut g, include_str!("../data/organisations.tsv"), NameKind::Organisation);
        load_table(&mut g, include_str!("../data/places.tsv"), NameKind::Place);
        g
    })
}

impl Gazetteer {
    /// The entry of a name key.
    pub fn entity(&self, key: &str) -> Option<Entry> {
        self.entities.get(key).copied()
    }

    /// Whether a folded word is a known first name.
    pub fn is_first_name(&self, folded: &str) -> bool {
        self.first_names.contains(folded)
    }

    /// Whether a folded word is a title or role before a person's name.
    pub fn is_title(&self, folded: &str) -> bool {
        self.titles.contains(folded)
    }

    /// Whether a folded word makes a name an organisation.
    pub fn is_org_cue(&self, folded: &str) -> bool {
        self.org_cues.contains(folded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_load_and_agree_with_stemma_text_keys() {
        let g = get();
        assert_eq!(g.entity("syrie").map(|e| e.canonical), Some("syria"));
        assert_eq!(g.entity("syria").map(|e| e.canonical), Some("syria"));
        assert_eq!(g.entity("etat islamique").map(|e| e.canonical), Some("isis"));
        assert_eq!(g.entity("etats unis").map(|e| e.kind), Some(NameKind::Place));
        assert!(g.is_first_name("didier"));
        assert!(g.is_title("mme"));
        assert!(g.is_org_cue("ministere"));
        assert!(g.furniture.iter().any(|(p, tail)| *p == "laisser un commentaire" && *tail));
        assert!(g.longest.get("etat").is_some_and(|&n| n >= 7));
    }
}
