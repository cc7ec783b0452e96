//! Claims altered between versions: quotes cut short (and quotes that
//! only share a word), names swapped.

use stemma_core::Document;
use stemma_trace::{trace, ClaimReport, TraceOptions, TraceReport};

/// Sentences around the quote, the same in every version.
const AROUND: [&str; 4] = [
    "The finance committee met on Monday to review the spending plans for the coming year.",
    "Members questioned the cost of the new ferry terminal and the delays to the tram line.",
    "The report will be sent to the full council before the vote in March.",
    "Officials expect the debate to last most of the afternoon session.",
];

fn version(id: &str, quote_sentence: &str) -> Document {
    let text = format!("{} {} {} {} {}", AROUND[0], AROUND[1], quote_sentence, AROUND[2], AROUND[3]);
    Document::new(id, text)
}

fn quote_claims<'a>(r: &'a TraceReport, version: &str) -> Vec<&'a ClaimReport> {
    r.claims.iter().filter(|c| c.version == version && c.kind == "quote").collect()
}

/// Traces "a" and "b" quoting `full` and "c" quoting `cut`; checks that c's
/// one quote is `truncated`, a's corroborated, and returns c's quote claim.
fn cut_against_full(full: &str, cut: &str) -> ClaimReport {
    let docs = vec![version("a", full), version("b", full), version("c", cut)];
    let r = trace(&docs, 2, &TraceOptions::default());
    let claims = quote_claims(&r, "c");
    assert_eq!(claims.len(), 1, "{claims:#?}");
    assert_eq!(claims[0].status, "altered", "{claims:#?}");
    assert_eq!(claims[0].change.as_deref(), Some("truncated"), "{claims:#?}");
    // The full quote is corroborated by the other full one, not cut.
    for c in quote_claims(&r, "a") {
        assert_eq!(c.status, "corroborated", "{c:#?}");
    }
    claims[0].clone()
}

#[test]
fn a_quote_cut_to_its_first_words_is_truncated() {
    // Four content words kept of seven, and the cut one keeps the start:
    // the reader of "c" never learns the second half of what was said.
    let full = "\"The chancellor will no doubt tell us today how wonderfully the economy is doing,\" said Ms Laws.";
    let cut = "\"The chancellor will no doubt tell us today,\" said Ms Laws.";
    let claim = cut_against_full(full, cut);
    let other = claim.other.as_ref().expect("the fuller quote");
    assert!(other.span.text.contains("wonderfully the economy"), "{other:?}");
}

#[test]
fn a_short_quote_sharing_one_word_with_another_is_not_a_cut_of_it() {
    // « ne pas manifester » and « manifesteront samedi » share one stem and
    // start with it; they are different quotes, not one cut from the other.
    let a = "Le porte-parole a appelé les manifestants à « ne pas manifester », a indiqué jeudi Benjamin Griveaux.";
    let b =
        "Le porte-parole a appelé les manifestants qui « manifesteront samedi », a indiqué jeudi Benjamin Griveaux.";
    let mut docs = vec![version("a", a), version("b", b)];
    for d in &mut docs {
        d.lang = Some("fr".into());
    }
    let r = trace(&docs, 0, &TraceOptions::default());
    for v in ["a", "b"] {
        for c in quote_claims(&r, v) {
            assert_ne!(c.change.as_deref(), Some("truncated"), "{c:#?}");
        }
    }
}

#[test]
fn a_surname_swapped_after_the_same_first_name_is_a_swapped_name() {
    // Only the surname differs: the word diff replaces "Salmond" alone,
    // which starts inside the name.
    let sentence = |name: &str| format!("SNP leader {name} said his party would introduce a new tax on second homes.");
    let docs = vec![
        version("a", &sentence("Alex Salmond")),
        version("b", &sentence("Alex Salmond")),
        version("c", &sentence("Alex Bogdanovic")),
    ];
    let r = trace(&docs, 2, &TraceOptions::default());
    let swapped: Vec<&ClaimReport> = r
        .claims
        .iter()
        .filter(|c| c.version == "c" && c.kind == "name" && c.change.as_deref() == Some("swapped"))
        .collect();
    assert_eq!(swapped.len(), 1, "{:#?}", r.claims);
    assert_eq!(swapped[0].span.text, "Alex Bogdanovic");
    assert_eq!(swapped[0].other.as_ref().map(|o| o.span.text.as_str()), Some("Alex Salmond"));
    // The versions that kept the name are not flagged.
    assert!(r.claims.iter().all(|c| c.version == "c" || c.status != "altered"), "{:#?}", r.claims);
}

#[test]
fn a_quoted_term_elsewhere_does_not_corroborate_a_long_quote_that_holds_it() {
    // Version "c" alone carries a long quote; "a" and "b" only quote the
    // term « gilets jaunes » in another sentence. The term holds two of the
    // quote's words, which says nothing of what the quote says: the quote
    // stays unsupported.
    let plain = "Les « gilets jaunes » ont annoncé une nouvelle journée de mobilisation samedi.";
    let quote = "« Un automobiliste a tenté de franchir le barrage des gilets jaunes à l'entrée du village », a expliqué Virginie Wuilmart.";
    let mut docs = vec![version("a", plain), version("b", plain), version("c", &format!("{plain} {quote}"))];
    for d in &mut docs {
        d.lang = Some("fr".into());
    }
    let r = trace(&docs, 2, &TraceOptions::default());
    let long: Vec<_> = quote_claims(&r, "c").into_iter().filter(|c| c.span.text.contains("automobiliste")).collect();
    assert_eq!(long.len(), 1, "{:#?}", quote_claims(&r, "c"));
    assert_eq!(long[0].status, "unsupported", "{:#?}", long[0]);
    assert!(long[0].corroborated_by.is_empty(), "{:#?}", long[0]);
}

#[test]
fn a_number_hedged_otherwise_elsewhere_is_a_minor_change_not_the_altered_one() {
    // "a" and "b" give the same count with different hedges; "c" changed
    // it. Only "c" altered the number; "a" differs from "b" by its hedge.
    let said = |n: &str| format!("Selon la préfecture, {n} personnes ont été interpellées samedi à Paris.");
    let mut docs =
        vec![version("a", &said("plus de 100")), version("b", &said("près de 100")), version("c", &said("150"))];
    for d in &mut docs {
        d.lang = Some("fr".into());
    }
    let r = trace(&docs, 0, &TraceOptions::default());
    let number = |v: &str| {
        r.claims
            .iter()
            .find(|c| c.version == v && c.kind == "number" && c.span.text.contains("personnes"))
            .unwrap_or_else(|| panic!("no count in {v}: {:#?}", r.claims))
    };
    assert_eq!(number("a").status, "minor", "{:#?}", number("a"));
    assert_eq!(number("a").change.as_deref(), Some("hedge"), "{:#?}", number("a"));
    assert_eq!(number("c").status, "altered", "{:#?}", number("c"));
    assert_eq!(number("c").change.as_deref(), Some("value"), "{:#?}", number("c"));
}

#[test]
fn a_quote_cut_to_its_function_words_is_truncated() {
    // "They are not an," has no content word left, yet it is the start,
    // word for word, of the quote the other versions give whole.
    let full = "\"They are not an efficient way of spreading the virus,\" said Mr Hogan.";
    let cut = "\"They are not an,\" said Mr Hogan.";
    cut_against_full(full, cut);
}
