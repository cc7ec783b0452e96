//! Attribution patterns, numbers, dates and names on sentences written for
//! these tests, French and English.

use stemma_claims::{extract_text, Attribution, HedgeKind, NameKind, NumberForm, QuoteKind};

/// (inner text, speaker name, method) of every outermost quotation.
fn attributed(text: &str) -> Vec<(String, Option<(String, Attribution)>)> {
    extract_text(text)
        .quotes
        .iter()
        .filter(|q| q.depth == 0)
        .map(|q| (text[q.inner.clone()].to_string(), q.speaker.as_ref().map(|s| (s.name.clone(), s.method))))
        .collect()
}

/// The speaker of the only (or first) quotation.
fn who(text: &str) -> Option<(String, Attribution)> {
    attributed(text).into_iter().next().and_then(|(_, s)| s)
}

fn is(name: &str, method: Attribution) -> Option<(String, Attribution)> {
    Some((name.to_string(), method))
}

#[test]
fn french_verb_then_speaker() {
    use Attribution::VerbSpeaker as V;
    assert_eq!(who("« Nous ne céderons pas », a déclaré Jean Dupont, ministre de l'Intérieur."), is("Jean Dupont", V));
    assert_eq!(who("« C'est fini », a dit Luc Girard."), is("Luc Girard", V));
    assert_eq!(who("« C'est une victoire », confie Sophie Bernard."), is("Sophie Bernard", V));
    assert_eq!(who("« C'est fini », précise Luc Girard."), is("Luc Girard", V));
    assert_eq!(who("« Il faut agir », explique l'économiste Thomas Piketty."), is("Thomas Piketty", V));
    assert_eq!(who("« Il faut agir », ajoute Paul Martin."), is("Paul Martin", V));
    assert_eq!(who("« Il faut agir », souligne Mme Lagarde."), is("Lagarde", V));
    assert_eq!(who("« Rien ne va plus », estime le député Jean Lassalle."), is("Jean Lassalle", V));
    assert_eq!(
        who("« Les chiffres sont faux », écrit dans un rapport Peter Neumann, directeur de l'ICSR."),
        is("Peter Neumann", V)
    );
    // A title and an apposition before the name; a complement ("de
    // l'Intérieur") is not the speaker.
    assert_eq!(
        who("« Nous ne céderons pas », a dit le ministre de l'Intérieur Bernard Cazeneuve devant l'Assemblée."),
        is("Bernard Cazeneuve", V)
    );
    assert_eq!(
        who("« Ils veulent rentrer », a dit le coordonnateur national du renseignement en France, Didier Le Bret."),
        is("Didier Le Bret", V)
    );
}

#[test]
fn french_speaker_then_verb_selon_and_colon() {
    assert_eq!(who("Jean Dupont a déclaré : « Nous ne céderons pas. »"), is("Jean Dupont", Attribution::SpeakerVerb));
    assert_eq!(
        who("Patrick Calvar, directeur général de la sécurité intérieure DGSI, a annoncé que « 244 personnes sont rentrées »."),
        is("Patrick Calvar", Attribution::SpeakerVerb)
    );
    assert_eq!(
        who("« Nous ne céderons pas », Jean Dupont a déclaré hier."),
        is("Jean Dupont", Attribution::SpeakerVerb)
    );
    assert_eq!(who("Selon Marie Martin, « la situation est grave »."), is("Marie Martin", Attribution::Selon));
    assert_eq!(
        who("Selon le directeur de la DGSI, Patrick Calvar, « 244 personnes sont revenues »."),
        is("Patrick Calvar", Attribution::Selon)
    );
    assert_eq!(
        who("D'après le porte-parole de la police, Paul Durand, « rien n'est exclu »."),
        is("Paul Durand", Attribution::DApres)
    );
    assert_eq!(who("« Rien n'est exclu », selon Paul Durand."), is("Paul Durand", Attribution::Selon));
    assert_eq!(who("Marine Le Pen : « Nous gagnerons. »"), is("Marine Le Pen", Attribution::Colon));
    assert_eq!(who("« Je reste » (Macron)."), is("Macron", Attribution::Parenthesis));
}

#[test]
fn french_pronouns_take_their_antecedent() {
    let got = attributed("« C'est une victoire », confie Sophie Bernard. « Nous sommes heureux », ajoute-t-elle.");
    assert_eq!(got[1].1, is("Sophie Bernard", Attribution::Inversion));
    let got = attributed("Le président Emmanuel Macron est arrivé. « Je suis content », a-t-il dit.");
    assert_eq!(got[0].1, is("Emmanuel Macron", Attribution::Inversion));
    let got = attributed("« Nous partons », a dit Anne Morel. « Nous reviendrons », a-t-elle précisé.");
    assert_eq!(got[1].1, is("Anne Morel", Attribution::Inversion));
    let got = attributed("« Nous partons », a dit Anne Morel. « Nous reviendrons », ajouta-t-elle.");
    assert_eq!(got[1].1, is("Anne Morel", Attribution::Inversion));
    let got = attributed("Didier Le Bret est arrivé.\nIl a déclaré : « Je pars. »");
    assert_eq!(got[0].1, is("Didier Le Bret", Attribution::Pronoun));
    // No antecedent: no speaker.
    assert_eq!(who("« C'est fini », a-t-il dit."), None);
    assert_eq!(who("Il a déclaré : « Je pars. »"), None);
}

#[test]
fn continuation_stays_in_its_paragraph() {
    let got = attributed("« Nous partons », confie Anne Morel. « Nous reviendrons. »\n\n« Rien n'est fini. »");
    assert_eq!(got[1].1, is("Anne Morel", Attribution::Continuation));
    assert_eq!(got[2].1, None, "a new paragraph does not continue");
    // Another person named in between stops the continuation.
    let got = attributed("« Nous partons », confie Anne Morel. Paul Durand est resté. « Nous reviendrons. »");
    assert_eq!(got[1].1, None);
}

#[test]
fn english_patterns() {
    use Attribution::*;
    assert_eq!(who("\"We will not give up,\" said John Smith, the minister."), is("John Smith", VerbSpeaker));
    assert_eq!(who("\"We will not give up,\" John Smith said."), is("John Smith", SpeakerVerb));
    assert_eq!(who("“We are leaving,” John Smith told the BBC."), is("John Smith", SpeakerVerb));
    assert_eq!(who("John Smith told the BBC: “We are leaving.”"), is("John Smith", SpeakerVerb));
    assert_eq!(who("According to Jane Doe, \"the talks have failed.\""), is("Jane Doe", AccordingTo));
    assert_eq!(who("\"The talks have failed,\" according to Jane Doe."), is("Jane Doe", AccordingTo));
    assert_eq!(who("\"It is over,\" wrote Mary Jones in a report."), is("Mary Jones", VerbSpeaker));
    assert_eq!(who("\"We will fight on,\" Mary Jones added."), is("Mary Jones", SpeakerVerb));
    assert_eq!(who("\"It is over\" (Obama)."), is("Obama", Parenthesis));
    let got = attributed("Mr Smith arrived late. \"We will not give up,\" he added.");
    assert_eq!(got[0].1, is("Smith", Pronoun));
    let got = attributed("\"We leave,\" said Ann Lee. \"We will be back,\" she said.");
    assert_eq!(got[1].1, is("Ann Lee", Pronoun));
    assert_eq!(who("\"We will not give up,\" he said."), None);
    // An unnamed speaker keeps its description.
    let c = extract_text("\"We will not give up,\" the minister said.");
    let s = c.quotes[0].speaker.as_ref().unwrap();
    assert_eq!((s.name.as_str(), s.named), ("the minister", false));
}

#[test]
fn nested_and_multi_sentence_quotations() {
    let t = "Le ministre a dit : « Le chef a crié “ Partez ! ” et nous sommes partis. Puis tout a brûlé. »";
    let c = extract_text(t);
    assert_eq!(c.quotes.len(), 2);
    assert_eq!(&t[c.quotes[0].inner.clone()], "Le chef a crié “ Partez ! ” et nous sommes partis. Puis tout a brûlé.");
    assert_eq!((c.quotes[1].depth, c.quotes[1].parent), (1, Some(0)));
    assert_eq!(&t[c.quotes[1].inner.clone()], "Partez !");
    assert!(c.quotes[1].speaker.is_none(), "a nested quotation is the speaker quoting someone else");
    let s = c.quotes[0].speaker.as_ref().unwrap();
    assert_eq!((s.name.as_str(), s.named), ("Le ministre", false));
    let t = "\"We are leaving. It is over. Goodbye,\" said Ann Lee.";
    assert_eq!(
        attributed(t),
        [("We are leaving. It is over. Goodbye".to_string(), is("Ann Lee", Attribution::VerbSpeaker))]
    );
    let t = "She said: ‘It is over’ and left.";
    assert_eq!(extract_text(t).quotes.len(), 1);
}

#[test]
fn unbalanced_quotes_do_not_run_away() {
    // An unclosed guillemet ends with its sentence.
    let t = "Il a dit « bonjour et il est parti.\n\nUn autre paragraphe, « cité » ici.";
    let c = extract_text(t);
    let inners: Vec<&str> = c.quotes.iter().map(|q| &t[q.inner.clone()]).collect();
    assert_eq!(inners, ["bonjour et il est parti.", "cité"]);
    assert!(!c.quotes[0].closed && c.quotes[1].closed);
    // A closing mark alone, and a straight quote alone, make no quotation.
    assert!(extract_text("Il est parti » hier, 5\" de pluie.").quotes.is_empty());
    // Apostrophes are not quotation marks.
    assert!(extract_text("L’État et l'armée d’Irak, King’s College.").quotes.is_empty());
}

#[test]
fn unquoted_statements() {
    let t = "244 combattants sont rentrés en France, ils font du bon boulot (Fabius).";
    let c = extract_text(t);
    assert_eq!(c.quotes.len(), 1);
    assert_eq!(c.quotes[0].kind, QuoteKind::Statement);
    assert_eq!(&t[c.quotes[0].inner.clone()], "ils font du bon boulot");
    // A place, an agency or an acronym in parentheses is not a speaker.
    for t in [
        "Il est arrivé à Lyon (Rhône).",
        "Le calme est revenu dans la ville (AFP).",
        "Ils ont quitté l'Etat islamique (EIIL).",
    ] {
        assert!(extract_text(t).quotes.is_empty(), "{t}");
    }
}

#[test]
fn page_furniture_is_not_a_claim() {
    let body = "Le ministre Jean Dupont a déclaré : « Nous partons le 10 juin avec 200 soldats. » ".repeat(3);
    let t = format!("{body}\n\nLaisser un commentaire\n\nVotre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *\n\n« Super article » (Jean Martin), 12 likes.");
    let c = extract_text(&t);
    let form = t.find("Laisser").unwrap();
    assert_eq!(c.quotes.len(), 3);
    assert!(c.quotes.iter().all(|q| q.span.end <= form));
    assert!(c.numbers.iter().all(|n| n.span.end <= form));
    assert!(c.names.iter().all(|n| n.span.end <= form));
    let t = "Un texte court.\n\nPartager sur Facebook\n\nLa suite du texte, avec 3 chiffres.";
    let c = extract_text(t);
    assert_eq!(c.furniture.len(), 1);
    assert!(c.names.is_empty(), "{:?}", c.names);
}

#[test]
fn numbers_formats_hedges_units() {
    let t = "Plus de 283 000 gilets, près de 283'000 gilets, 1,5 million d'euros, 12,5 % des voix.";
    let c = extract_text(t);
    let n = &c.numbers;
    assert_eq!(n.len(), 4);
    assert_eq!((n[0].value, n[1].value), (Some(283000.0), Some(283000.0)));
    assert_eq!(n[0].canonical, n[1].canonical);
    assert_eq!(n[0].hedge.as_ref().map(|h| h.kind), Some(HedgeKind::Above));
    assert_eq!(n[1].hedge.as_ref().map(|h| h.kind), Some(HedgeKind::Nearly));
    assert_eq!(&t[n[0].hedge.as_ref().unwrap().span.clone()], "Plus de");
    assert_eq!(n[0].counts.as_ref().unwrap().stem, n[1].counts.as_ref().unwrap().stem);
    assert_eq!((n[2].value, n[2].multiplier), (Some(1_500_000.0), Some(1e6)));
    assert_eq!(n[2].unit.as_ref().map(|u| u.unit.as_str()), Some("EUR"));
    assert_eq!((n[3].value, n[3].unit.as_ref().map(|u| u.unit.as_str())), (Some(12.5), Some("%")));
    assert_eq!(n[3].counts.as_ref().map(|c| c.key.as_str()), Some("voix"));
    let hedges = |t: &str| extract_text(t).numbers.iter().map(|n| n.hedge.as_ref().map(|h| h.kind)).collect::<Vec<_>>();
    assert_eq!(
        hedges("environ 10 morts, quelque 20 blessés, au moins 30 personnes, moins de 40 jours, jusqu'à 50 ans"),
        [
            Some(HedgeKind::About),
            Some(HedgeKind::About),
            Some(HedgeKind::AtLeast),
            Some(HedgeKind::Below),
            Some(HedgeKind::AtMost)
        ]
    );
    assert_eq!(
        hedges("more than 10 people, nearly 20 people, about 30 people, at least 40 people, some 50 people"),
        [
            Some(HedgeKind::Above),
            Some(HedgeKind::Nearly),
            Some(HedgeKind::About),
            Some(HedgeKind::AtLeast),
            Some(HedgeKind::About)
        ]
    );
    let units = |t: &str| {
        extract_text(t)
            .numbers
            .iter()
            .map(|n| n.unit.as_ref().map(|u| u.unit.clone()).unwrap_or_default())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        units("Il a payé 5 € pour 10 km en 3 ans, soit 2 dollars et 4 euros."),
        ["EUR", "km", "year", "USD", "EUR"]
    );
    assert_eq!(units("It cost $5 billion, £3m and 40 per cent more over 12 years."), ["USD", "GBP", "%", "year"]);
    let c = extract_text("It cost $5 billion.");
    assert_eq!(c.numbers[0].value, Some(5e9));
}

#[test]
fn number_words_and_vague_quantities() {
    let c = extract_text(
        "Des dizaines de combattants et quatre-vingt-dix soldats ; soixante d'entre eux, deux cent cinquante morts.",
    );
    let got: Vec<(NumberForm, Option<f64>, Option<String>)> =
        c.numbers.iter().map(|n| (n.form, n.value, n.counts.as_ref().map(|c| c.key.clone()))).collect();
    assert_eq!(
        got,
        [
            (NumberForm::Vague, Some(10.0), Some("combattants".into())),
            (NumberForm::Words, Some(90.0), Some("soldats".into())),
            (NumberForm::Words, Some(60.0), None),
            (NumberForm::Words, Some(250.0), Some("morts".into())),
        ]
    );
    let c = extract_text("Twenty-one soldiers and thousands of people; one of them left.");
    let got: Vec<(NumberForm, Option<f64>)> = c.numbers.iter().map(|n| (n.form, n.value)).collect();
    assert_eq!(got, [(NumberForm::Words, Some(21.0)), (NumberForm::Vague, Some(1000.0))]);
    assert!(extract_text("Un bâtiment neuf.").numbers.is_empty());
}

#[test]
fn dates_are_not_numbers() {
    let c = extract_text("Le 1er mai 2016, vendredi 10 juin, à 14:30, depuis 2014 et en janvier 2014, 2000 personnes.");
    let dates: Vec<Option<&str>> = c.dates.iter().map(|d| d.normalized.as_deref()).collect();
    assert_eq!(dates, [Some("2016-05-01"), Some("--06-10"), Some("2014"), Some("2014-01")]);
    let numbers: Vec<Option<f64>> = c.numbers.iter().map(|n| n.value).collect();
    assert_eq!(numbers, [Some(2000.0)]);
    let c = extract_text("On June 10, 2016 and in January 2014 and on 2016-06-10 it rained; it may rain yesterday.");
    let dates: Vec<(Option<&str>, bool)> = c.dates.iter().map(|d| (d.normalized.as_deref(), d.relative)).collect();
    assert_eq!(
        dates,
        [(Some("2016-06-10"), false), (Some("2014-01"), false), (Some("2016-06-10"), false), (None, true)]
    );
}

#[test]
fn names_particles_acronyms_aliases() {
    let names = |t: &str| extract_text(t).names.into_iter().map(|n| (n.text, n.kind, n.key)).collect::<Vec<_>>();
    let got = names("Jean-Luc Mélenchon, Ursula von der Leyen et Vincent van Gogh ont rencontré les Etats-Unis.");
    assert_eq!(
        got,
        [
            ("Jean-Luc Mélenchon".into(), NameKind::Person, "jean luc melenchon".into()),
            ("Ursula von der Leyen".into(), NameKind::Person, "ursula von der leyen".into()),
            ("Vincent van Gogh".into(), NameKind::Person, "vincent van gogh".into()),
            ("Etats-Unis".into(), NameKind::Place, "usa".into()),
        ]
    );
    let got = names("Le groupe Etat islamique, l'EI, Daesh et ISIS selon l'ONU et la DGSI.");
    let keys: Vec<&str> = got.iter().map(|(_, _, k)| k.as_str()).collect();
    assert_eq!(keys, ["isis", "isis", "isis", "isis", "un", "dgsi"]);
    assert_eq!(got[5].1, NameKind::Organisation);
    let got = names("La University of Oxford, le ministère des Affaires étrangères et la Syrie, Syria en anglais.");
    let kinds: Vec<(&str, NameKind)> = got.iter().map(|(t, k, _)| (t.as_str(), *k)).collect();
    assert_eq!(
        kinds,
        [
            ("University of Oxford", NameKind::Organisation),
            ("ministère des Affaires", NameKind::Organisation),
            ("Syrie", NameKind::Place),
            ("Syria", NameKind::Place),
        ]
    );
    assert_eq!(got[2].2, got[3].2);
    // "M." and "Mme" are titles, "Le" a particle of a surname.
    let got = names("M. Dupont a vu Mme Le Pen et le Dr Martin.");
    let texts: Vec<(&str, NameKind)> = got.iter().map(|(t, k, _)| (t.as_str(), *k)).collect();
    assert_eq!(texts, [("Dupont", NameKind::Person), ("Le Pen", NameKind::Person), ("Martin", NameKind::Person)]);
    // Surnames match the full name.
    let c = extract_text("Didier Le Bret est venu. Plus tard, Le Bret est reparti.");
    assert!(c.names[0].same_entity(&c.names[1]));
    assert_eq!(c.names[1].kind, NameKind::Person);
}
