//! Properties of `compare` that must hold for any input: self-comparison is
//! complete, spans are exact slices of the originals, the result mirrors
//! when the arguments are swapped, and it is deterministic.

use proptest::prelude::*;
use stemma_core::{compare, CompareOptions, CompareReport, Document, Span};

const WORDS: &[&str] = &[
    "le",
    "la",
    "les",
    "de",
    "des",
    "et",
    "à",
    "un",
    "une",
    "ministre",
    "gouvernement",
    "réforme",
    "été",
    "Élysée",
    "manifestants",
    "« gilets jaunes »",
    "l’État",
    "qu'il",
    "aujourd'hui",
    "283 000",
    "283'000",
    "1,5",
    "244",
    "Paris",
    "Macron",
    "the",
    "of",
    "and",
    "council",
    "budget",
    "approved",
    "said",
    "“quoted”",
    "2019",
    "œuvre",
    "naïve",
    "São",
    "Zürich",
    "—",
    "(AFP)",
    "M.",
    "Mme",
    "p. ex.",
    "U.S.",
    "déclaré",
    "selon",
    "Daesh",
    "EIIL",
];

fn sentence() -> impl Strategy<Value = String> {
    (proptest::collection::vec(0..WORDS.len(), 3..14), 0..4usize).prop_map(|(ws, end)| {
        let mut s: String = ws.iter().map(|&i| WORDS[i]).collect::<Vec<_>>().join(" ");
        if let Some(first) = s.chars().next() {
            let upper: String = first.to_uppercase().collect();
            s = format!("{upper}{}", &s[first.len_utf8()..]);
        }
        s.push_str([".", " !", "?", "."][end]);
        s
    })
}

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec((sentence(), 0..3usize), 1..12).prop_map(|parts| {
        let mut t = String::new();
        for (s, sep) in parts {
            t.push_str(&s);
            t.push_str(["\n\n", " ", "\n"][sep]);
        }
        t
    })
}

/// B derived from A: sentences dropped, duplicated or replaced.
fn pair() -> impl Strategy<Value = (String, String)> {
    (proptest::collection::vec(sentence(), 2..12), proptest::collection::vec((0..4u8, sentence()), 12)).prop_map(
        |(sents, edits)| {
            let a = sents.join(" ");
            let mut b_parts: Vec<String> = Vec::new();
            for (s, (op, other)) in sents.iter().zip(edits) {
                match op {
                    0 => {}
                    1 => b_parts.push(other),
                    2 => {
                        b_parts.push(s.clone());
                        b_parts.push(other);
                    }
                    _ => b_parts.push(s.clone()),
                }
            }
            (a, b_parts.join("\n\n"))
        },
    )
}

fn all_spans(r: &CompareReport) -> Vec<(char, Span)> {
    let mut v: Vec<(char, Span)> = Vec::new();
    for p in &r.passages {
        v.push(('a', p.a.clone()));
        v.push(('b', p.b.clone()));
        for e in &p.edits {
            v.extend(e.a.clone().map(|s| ('a', s)));
            v.extend(e.b.clone().map(|s| ('b', s)));
        }
    }
    for (side, other, sentences) in [('a', 'b', &r.a_sentences), ('b', 'a', &r.b_sentences)] {
        for s in sentences {
            v.push((side, s.span.clone()));
            for e in &s.edits {
                v.extend(e.a.clone().map(|x| (side, x)));
                v.extend(e.b.clone().map(|x| (other, x)));
            }
            for c in s.numbers_changed.iter().chain(&s.names_changed) {
                v.push((side, c.this.clone()));
                v.push((other, c.other.clone()));
            }
        }
    }
    v.extend(r.only_a.iter().map(|s| ('a', s.clone())));
    v.extend(r.only_b.iter().map(|s| ('b', s.clone())));
    for n in &r.numbers {
        v.extend(n.a.iter().map(|s| ('a', s.clone())));
        v.extend(n.b.iter().map(|s| ('b', s.clone())));
    }
    v
}

fn run(a: &str, b: &str) -> CompareReport {
    compare(&Document::new("A", a), &Document::new("B", b), &CompareOptions::default())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn a_text_against_itself_aligns_completely(t in text()) {
        let r = run(&t, &t);
        prop_assert!(r.only_a.is_empty() && r.only_b.is_empty(), "{:?} {:?}", r.only_a, r.only_b);
        for s in r.a_sentences.iter().chain(&r.b_sentences) {
            // Every sentence with a word has its counterpart, word for word.
            if s.span.text.chars().any(char::is_alphanumeric) {
                prop_assert_eq!(&s.status, "same", "{:?}", s.span.text);
            }
        }
        prop_assert!(r.numbers.iter().all(|n| n.status == "agree"));
    }

    #[test]
    fn spans_are_exact_slices_on_char_boundaries((a, b) in pair()) {
        let r = run(&a, &b);
        for (side, s) in all_spans(&r) {
            let t = if side == 'a' { &a } else { &b };
            prop_assert!(t.is_char_boundary(s.start) && t.is_char_boundary(s.end), "{s:?}");
            prop_assert_eq!(&t[s.start..s.end], s.text.as_str());
        }
    }

    #[test]
    fn swapping_the_arguments_mirrors_the_report((a, b) in pair()) {
        let ab = compare(&Document::new("A", a.as_str()), &Document::new("B", b.as_str()), &CompareOptions::default());
        let ba = compare(&Document::new("B", b.as_str()), &Document::new("A", a.as_str()), &CompareOptions::default());
        prop_assert_eq!(ab, ba.mirrored());
    }

    #[test]
    fn the_report_is_deterministic((a, b) in pair()) {
        let one = serde_json::to_string(&run(&a, &b)).unwrap();
        let two = serde_json::to_string(&run(&a, &b)).unwrap();
        prop_assert_eq!(one, two);
    }
}
