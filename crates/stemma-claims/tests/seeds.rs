//! The seed pair (examples/seeds): the claims a fact-checker needs from
//! each version.

use stemma_claims::{extract_text, Attribution, Claims, NameKind, QuoteKind};

const A: &str = include_str!("../../../examples/seeds/000_50f99b9dd81999b9.txt");
const B: &str = include_str!("../../../examples/seeds/001_ec1fae0d22ab38a7.txt");

/// The quote whose inner text starts with `prefix`.
fn quote<'c>(c: &'c Claims, text: &str, prefix: &str) -> &'c stemma_claims::Quote {
    c.quotes
        .iter()
        .find(|q| text[q.inner.clone()].starts_with(prefix))
        .unwrap_or_else(|| panic!("no quote starting with {prefix:?}"))
}

fn speaker(c: &Claims, text: &str, prefix: &str) -> (String, Attribution) {
    let q = quote(c, text, prefix);
    let s = q.speaker.as_ref().unwrap_or_else(|| panic!("no speaker for {prefix:?}"));
    (s.name.clone(), s.method)
}

#[test]
fn fabius_statement_is_in_the_headline() {
    let c = extract_text(A);
    let q = quote(&c, A, "ils font du bon boulot");
    assert_eq!(q.kind, QuoteKind::Statement);
    assert_eq!(&A[q.inner.clone()], "ils font du bon boulot");
    assert_eq!(&A[q.span.clone()], "ils font du bon boulot (Fabius)");
    let s = q.speaker.as_ref().unwrap();
    assert_eq!(s.name, "Fabius");
    assert_eq!(&A[s.span.clone()], "Fabius");
    assert_eq!(s.method, Attribution::Parenthesis);
    assert!(q.in_headline);
    assert!(c.in_headline(&q.span));
    // The headline is the four leading short lines, the standfirst included.
    assert!(A[c.headline.clone()].starts_with("Irak : Daesh en chute"));
    assert!(A[c.headline.clone()].ends_with("de rentrer chez eux"));
    assert_eq!(c.headline_sentences, 0..4);
}

#[test]
fn le_bret_calvar_and_neumann_in_the_blog_copy() {
    let c = extract_text(A);
    assert_eq!(
        speaker(&c, A, "Ils sentent que la phase finale a commencé, beaucoup"),
        ("Didier Le Bret".into(), Attribution::VerbSpeaker)
    );
    assert_eq!(speaker(&c, A, "Il n’est plus question"), ("Didier Le Bret".into(), Attribution::Continuation));
    assert_eq!(speaker(&c, A, "244 personnes étaient revenues"), ("Patrick Calvar".into(), Attribution::Selon));
    assert_eq!(speaker(&c, A, "par la politique de Daesh"), ("Patrick Calvar".into(), Attribution::Continuation));
    assert_eq!(speaker(&c, A, "Les raisons pour lesquelles"), ("Peter Neumann".into(), Attribution::VerbSpeaker));
    assert_eq!(speaker(&c, A, "Ils ne sont pas tous devenus"), ("Peter Neumann".into(), Attribution::Continuation));
    // The typo "de fuir« ." closes the quotation.
    let q = quote(&c, A, "Il n’est plus question");
    assert!(q.closed);
    assert!(A[q.inner.clone()].ends_with("tentent de fuir"));
    // A subhead quotation and the fighters' complaints have no speaker:
    // nothing is guessed.
    let subhead =
        c.quotes.iter().find(|q| &A[q.inner.clone()] == "Ils sentent que la phase finale a commencé").unwrap();
    assert!(subhead.speaker.is_none());
    assert!(quote(&c, A, "Daesh cherche à combattre").speaker.is_none());
    // "Selon l'un d'eux": an unnamed speaker.
    let q = quote(&c, A, "les chefs de Daesh");
    let s = q.speaker.as_ref().unwrap();
    assert!(!s.named);
    assert_eq!(s.name, "l’un d’eux");
}

#[test]
fn numbers_dates_and_names_of_the_blog_copy() {
    let c = extract_text(A);
    let counts: Vec<(f64, String)> = c
        .numbers
        .iter()
        .filter(|n| n.value == Some(244.0))
        .map(|n| (244.0, n.counts.as_ref().map(|c| c.key.clone()).unwrap_or_default()))
        .collect();
    assert!(counts.contains(&(244.0, "combattants".into())), "{counts:?}");
    assert!(counts.contains(&(244.0, "personnes".into())), "{counts:?}");
    let headline_244 = c.numbers.iter().find(|n| n.value == Some(244.0)).unwrap();
    assert!(headline_244.in_headline);
    let dates: Vec<(&str, Option<&str>)> =
        c.dates.iter().map(|d| (&A[d.span.clone()], d.normalized.as_deref())).collect();
    assert_eq!(dates, [("2014", Some("2014")), ("mi-mai", Some("--05"))]);
    let person = |text: &str| c.names.iter().any(|n| n.text == text && n.kind == NameKind::Person);
    assert!(person("Didier Le Bret") && person("Patrick Calvar") && person("Peter Neumann") && person("Fabius"));
    let daesh = c.names.iter().find(|n| n.text == "Daesh").unwrap();
    assert_eq!((daesh.kind, daesh.key.as_str()), (NameKind::Organisation, "isis"));
    assert!(c.names.iter().any(|n| n.text == "DGSI" && n.kind == NameKind::Organisation));
}

#[test]
fn the_comment_form_holds_no_claim() {
    let c = extract_text(A);
    assert_eq!(c.furniture.len(), 1);
    let form = c.furniture[0].clone();
    assert!(A[form.clone()].starts_with("Laisser un commentaire"));
    assert_eq!(form.end, A.len());
    let inside = |s: &std::ops::Range<usize>| s.start >= form.start;
    assert!(!c.quotes.iter().any(|q| inside(&q.span)));
    assert!(!c.numbers.iter().any(|n| inside(&n.span)));
    assert!(!c.dates.iter().any(|d| inside(&d.span)));
    assert!(!c.names.iter().any(|n| inside(&n.span)));
}

#[test]
fn the_translated_version() {
    let c = extract_text(B);
    assert!(c.headline.is_empty(), "a dispatch without a title has no headline");
    assert_eq!(
        speaker(&c, B, "Ils sentent que nous sommes entrés"),
        ("Didier Le Bret".into(), Attribution::VerbSpeaker)
    );
    assert_eq!(speaker(&c, B, "Il n'est plus question"), ("Didier Le Bret".into(), Attribution::Inversion));
    assert_eq!(speaker(&c, B, "davantage d'intentions"), ("Patrick Calvar".into(), Attribution::SpeakerVerb));
    assert_eq!(speaker(&c, B, "entravés par la politique"), ("Patrick Calvar".into(), Attribution::Inversion));
    assert_eq!(speaker(&c, B, "'l'EIIL s'intéresse"), ("Peter Neumann".into(), Attribution::SpeakerVerb));
    // The four complaints are nested quotations, without a speaker of their own.
    let nested: Vec<&str> = c.quotes.iter().filter(|q| q.depth == 1).map(|q| &B[q.inner.clone()]).collect();
    assert_eq!(nested.len(), 4, "{nested:?}");
    assert_eq!(nested[2], "l'EIIL est corrompu et non-islamique");
    // The quoted name of the group is a term, not speech.
    assert_eq!(quote(&c, B, "l'Etat Islamique en Irak").kind, QuoteKind::Term);
    let n244 = c.numbers.iter().find(|n| n.value == Some(244.0)).unwrap();
    assert_eq!(n244.counts.as_ref().map(|c| c.key.as_str()), Some("personnes"));
    let dates: Vec<(&str, Option<&str>)> =
        c.dates.iter().map(|d| (&B[d.span.clone()], d.normalized.as_deref())).collect();
    assert_eq!(
        dates,
        [("vendredi 10 juin", Some("--06-10")), ("mi-mai", Some("--05")), ("janvier 2014", Some("2014-01"))]
    );
}

#[test]
fn the_two_versions_name_the_same_entities() {
    let a = extract_text(A);
    let b = extract_text(B);
    let keys = |c: &Claims| c.names.iter().map(|n| n.key.clone()).collect::<std::collections::BTreeSet<_>>();
    let (ka, kb) = (keys(&a), keys(&b));
    // Daesh (A) and EIIL (B) are one entity; ICSR, its two spellings in
    // French and English, too.
    for k in ["isis", "icsr", "didier le bret", "patrick calvar", "peter neumann", "syria", "london", "dgsi"] {
        assert!(ka.contains(k) && kb.contains(k), "{k}");
    }
    let sa = quote(&a, A, "Les raisons").speaker.clone().unwrap();
    let sb = quote(&b, B, "'l'EIIL").speaker.clone().unwrap();
    assert!(sa.same_speaker(&sb));
}

#[test]
fn claims_serialize_to_json() {
    let c = extract_text(A);
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(v["quotes"][0]["kind"], "statement");
    assert_eq!(v["quotes"][0]["speaker"]["method"], "parenthesis");
    assert!(v["headline"]["end"].as_u64().unwrap() > 0);
}
