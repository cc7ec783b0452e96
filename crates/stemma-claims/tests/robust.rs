//! Any input is safe: no panic, and every span is a valid range of the
//! text on character boundaries.

use proptest::prelude::*;
use stemma_claims::{extract, extract_text, Claims};
use stemma_text::{Analysis, Lang};

fn check(text: &str, c: &Claims) {
    let ok = |r: &std::ops::Range<usize>| {
        r.start <= r.end && r.end <= text.len() && text.is_char_boundary(r.start) && text.is_char_boundary(r.end)
    };
    for s in c.all_spans() {
        assert!(ok(&s), "bad span {s:?} in {text:?}");
    }
    for (i, q) in c.quotes.iter().enumerate() {
        assert!(q.span.start <= q.inner.start && q.inner.end <= q.span.end, "{q:?}");
        assert!(!q.inner.is_empty());
        if let Some(p) = q.parent {
            assert!(p < i && c.quotes[p].span.start <= q.span.start && q.span.end <= c.quotes[p].span.end);
        }
        if let Some(s) = &q.speaker {
            assert!(!s.name.is_empty() && !s.key.is_empty());
        }
    }
    for n in &c.names {
        assert_eq!(n.text, text[n.span.clone()]);
        assert!(!n.key.is_empty());
    }
    for n in &c.numbers {
        assert!(n.span.start <= n.number.start && n.number.end <= n.span.end);
        assert!(n.value.is_none_or(f64::is_finite));
    }
    for d in &c.dates {
        assert!(d.month.is_none_or(|m| (1..=12).contains(&m)));
        assert!(d.day.is_none_or(|m| (1..=31).contains(&m)));
    }
    assert!(c.headline_sentences.start <= c.headline_sentences.end);
    serde_json::to_string(c).expect("claims serialize");
}

#[test]
fn empty_and_tiny_texts() {
    for t in ["", " ", "\n\n", "«", "»", "\"", "'", "« »", "(", ")", "()", "(X)", "1", "M.", "a-t-il", "« a", "”x“"]
    {
        let c = extract_text(t);
        check(t, &c);
    }
    assert_eq!(extract_text(""), Claims::default());
}

#[test]
fn random_bytes_decoded_lossily() {
    // A fixed pseudo-random sequence (xorshift), so the test is repeatable.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for len in [1usize, 7, 64, 500, 4000] {
        for _ in 0..20 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    (x >> 24) as u8
                })
                .collect();
            let text = String::from_utf8_lossy(&bytes);
            check(&text, &extract_text(&text));
        }
    }
}

#[test]
fn pathological_marks() {
    let many_open = "« ".repeat(500) + "fin";
    check(&many_open, &extract_text(&many_open));
    let many_close = "» ".repeat(500);
    check(&many_close, &extract_text(&many_close));
    let alternating = "\"a\" ".repeat(300) + "'b' ‘c’ „d“ ‹e›";
    check(&alternating, &extract_text(&alternating));
    let nested = "« ".repeat(40) + &"» ".repeat(40);
    check(&nested, &extract_text(&nested));
    let parens = "a b (X) c (Y (Z)). ".repeat(50);
    check(&parens, &extract_text(&parens));
}

#[test]
fn an_analysis_of_another_text_is_not_trusted() {
    let text = "« Court », dit Anne.";
    let other =
        Analysis::new("Un tout autre texte, beaucoup plus long que le premier, avec « des » mots.", Some(Lang::Fr));
    check(text, &extract(text, &other));
}

const PIECES: &[&str] = &[
    "«",
    "»",
    "“",
    "”",
    "„",
    "\"",
    "'",
    "‘",
    "’",
    "‹",
    "›",
    "(",
    ")",
    ". ",
    ", ",
    ": ",
    "; ",
    "! ",
    "? ",
    "… ",
    "\n",
    "\n\n",
    "-",
    "—",
    " ",
    " ",
    " ",
    "\u{a0}",
    "%",
    "€",
    "$",
    "£",
    "n°",
    "Selon",
    "selon",
    "d'après",
    "a dit",
    "a-t-il dit",
    "ajouta-t-elle",
    "confie",
    "said",
    "told",
    "according to",
    "he",
    "il",
    "M.",
    "Mme",
    "le ministre",
    "Didier Le Bret",
    "Patrick",
    "Calvar",
    "Jean-Luc",
    "de",
    "d'",
    "l'",
    "van",
    "Daesh",
    "EIIL",
    "DGSI",
    "Paris",
    "Syrie",
    "Etat islamique",
    "Laisser un commentaire",
    "244",
    "283 000",
    "283'000",
    "1,5",
    "10",
    "2014",
    "14:30",
    "7.5bn",
    "million",
    "milliards",
    "plus de",
    "près de",
    "environ",
    "more than",
    "about",
    "personnes",
    "combattants",
    "des dizaines de",
    "quatre-vingt",
    "juin",
    "mi-mai",
    "janvier",
    "June",
    "vendredi",
    "Friday",
    "hier",
    "é",
    "Ω",
    "😀",
    "ǅ",
    "İ",
    "\u{301}",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn spans_are_valid_for_any_mix(pieces in proptest::collection::vec(0..PIECES.len(), 0..80)) {
        let text: String = pieces.iter().map(|&i| PIECES[i]).collect::<Vec<_>>().join(" ");
        let c = extract_text(&text);
        check(&text, &c);
        let glued: String = pieces.iter().map(|&i| PIECES[i]).collect();
        check(&glued, &extract_text(&glued));
    }

    #[test]
    fn spans_are_valid_for_any_string(text in "\\PC{0,200}") {
        check(&text, &extract_text(&text));
    }
}
