//! Copy trees of small families whose history is known, and the HTML page
//! of a family holding hostile text.

use stemma_core::Document;
use stemma_trace::{trace, TraceOptions, TraceReport};

/// Twelve sentences of one story; copies are built from them.
const STORY: [&str; 12] = [
    "The regional council voted on Tuesday to close the old harbour bridge to heavy traffic from next spring.",
    "Engineers found corrosion in three of the five steel girders during an inspection last autumn.",
    "The bridge, built in 1931, carries about 14,000 vehicles a day between the port and the northern districts.",
    "Lorries above twelve tonnes will be diverted along the ring road, adding roughly twenty minutes to each trip.",
    "Local hauliers said the decision would raise their costs and called for a temporary crossing.",
    "The council's transport chief, Miriam Okafor, said safety had to come before convenience.",
    "A full repair is expected to cost 48 million euros and could take four years to complete.",
    "Opposition members argued that the money should be found in this year's budget rather than the next.",
    "Residents near the ring road fear more noise and pollution once the lorries are diverted.",
    "The port authority has asked for talks about night-time deliveries to limit the disruption.",
    "A public meeting on the diversion plan will be held at the town hall next month.",
    "The council will publish the inspection report on its website later this week.",
];

fn doc(id: &str, date: &str, sentences: &[String]) -> Document {
    let mut d = Document::new(id, sentences.join(" "));
    d.date = Some(date.to_string());
    d
}

fn story() -> Vec<String> {
    STORY.iter().map(|s| s.to_string()).collect()
}

/// `sentence` with its first `from` read `to`.
fn edit(sentence: &str, from: &str, to: &str) -> String {
    sentence.replacen(from, to, 1)
}

/// Undated documents of the versions' sentences, joined by `between`.
fn undated(versions: &[(&str, &Vec<String>)], between: &str) -> Vec<Document> {
    versions.iter().map(|(id, text)| Document::new(*id, text.join(between))).collect()
}

fn node(r: &TraceReport, id: &str) -> usize {
    r.tree.nodes.iter().find(|n| n.id.as_deref() == Some(id)).map(|n| n.index).unwrap()
}

/// Asserts that the tree has one lost version, its root, and that each of
/// `ids` copies it.
fn assert_copies_of_one_lost_source(r: &TraceReport, ids: &[&str]) {
    let lost: Vec<usize> = r.tree.nodes.iter().filter(|n| n.kind == "lost").map(|n| n.index).collect();
    assert_eq!(lost.len(), 1, "{:#?}", r.tree);
    assert_eq!(r.tree.roots, lost, "{:#?}", r.tree);
    for v in ids {
        assert_eq!(parents(r, v), lost, "{v}: {:#?}", r.tree);
    }
}

fn parents(r: &TraceReport, id: &str) -> Vec<usize> {
    let v = node(r, id);
    let mut p: Vec<usize> = r.tree.edges.iter().filter(|e| e.to == v).map(|e| e.from).collect();
    p.sort();
    p
}

#[test]
fn a_chain_of_dated_copies_is_a_chain() {
    let a = story();
    // B copies A, rewords one sentence and adds one.
    let mut b = a.clone();
    b[4] = "Local hauliers warned the decision would raise their costs and asked for a temporary crossing.".into();
    b.push("Traffic police will patrol the diversion during the first weeks.".into());
    // C copies B, drops a sentence and changes a figure.
    let mut c = b.clone();
    c.remove(9);
    c[6] = c[6].replace("48 million", "84 million");
    let docs = vec![doc("c", "2024-03-07", &c), doc("a", "2024-03-05", &a), doc("b", "2024-03-06", &b)];
    let r = trace(&docs, 0, &TraceOptions::default());
    assert_eq!(parents(&r, "a"), Vec::<usize>::new(), "{:#?}", r.tree);
    assert_eq!(parents(&r, "b"), vec![node(&r, "a")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "c"), vec![node(&r, "b")], "{:#?}", r.tree);
    assert!(r.tree.nodes.iter().all(|n| n.kind == "version"));
    // The changed figure is reported as an altered number of c.
    let changed: Vec<_> =
        r.claims.iter().filter(|k| k.version == "c" && k.kind == "number" && k.status == "altered").collect();
    assert_eq!(changed.len(), 1, "{changed:#?}");
    assert_eq!(changed[0].span.text, "84 million euros");
}

#[test]
fn undated_copies_are_ordered_by_their_text() {
    // Undated, the source is the text that contains its copies: each copy
    // here cuts a sentence and rewords another; c copies b, d copies a.
    // (With a, b and c alone, the sentence only a would hold reads as well
    // as a's own addition to b's text: a version holding a sentence no
    // other version holds is not taken for the source, see
    // `an_undated_version_holding_a_sentence_no_other_holds_is_not_the_source`.)
    let a = story();
    let mut b = a.clone();
    b.remove(9);
    b[2] = b[2].replace("about 14,000", "some 14,000");
    let mut c = b.clone();
    c.remove(3);
    c[7] = c[7].replace("fear more noise", "dread more noise");
    let mut d = a.clone();
    d.remove(5);
    d[10] = d[10].replace("public meeting", "public hearing");
    let docs = vec![
        Document::new("b", b.join(" ")),
        Document::new("c", c.join(" ")),
        Document::new("d", d.join(" ")),
        Document::new("a", a.join(" ")),
    ];
    let r = trace(&docs, 0, &TraceOptions::default());
    assert_eq!(r.tree.roots, vec![node(&r, "a")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "b"), vec![node(&r, "a")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "c"), vec![node(&r, "b")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "d"), vec![node(&r, "a")], "{:#?}", r.tree);
}

#[test]
fn an_undated_copy_that_adds_sentences_is_not_the_source() {
    // Undated: a is the source; b and c each cut a different sentence, and
    // c adds three of its own. By words c "contains" the others best; by
    // the sentences the versions share, a holds them all.
    let a = story();
    let mut b = a.clone();
    b.remove(10);
    b[2] = b[2].replace("about 14,000", "some 14,000");
    let mut c = a.clone();
    c.remove(7);
    c[5] = c[5].replace("safety had to come", "safety must come");
    c.insert(3, "Ferry operators reported record bookings for the summer crossings to the islands.".into());
    c.insert(6, "The mayor is expected to attend a ceremony for the new library in the old market hall.".into());
    c.push("A football match between the two local clubs was postponed because of the heavy rain.".into());
    let docs = vec![Document::new("c", c.join(" ")), Document::new("b", b.join(" ")), Document::new("a", a.join(" "))];
    let r = trace(&docs, 0, &TraceOptions::default());
    assert_eq!(r.tree.roots, vec![node(&r, "a")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "b"), vec![node(&r, "a")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "c"), vec![node(&r, "a")], "{:#?}", r.tree);
}

#[test]
fn an_undated_copy_that_shortens_a_name_is_not_the_source() {
    // Undated, and only re-wordings, except that b (and its copies) call
    // Miriam Okafor by her surname alone: a copy drops a given name, none
    // brings one back, so a is the source. Listed first, c would otherwise
    // be taken for it: re-wordings say nothing of direction.
    let a = story();
    let mut b = a.clone();
    b[5] = b[5].replace("Miriam Okafor", "Okafor");
    b[2] = b[2].replace("about 14,000", "some 14,000");
    let mut c = b.clone();
    c[8] = c[8].replace("fear more noise", "dread more noise");
    let mut d = b.clone();
    d[10] = d[10].replace("public meeting", "public hearing");
    let docs = vec![
        Document::new("c", c.join(" ")),
        Document::new("d", d.join(" ")),
        Document::new("b", b.join(" ")),
        Document::new("a", a.join(" ")),
    ];
    let r = trace(&docs, 0, &TraceOptions::default());
    assert_eq!(r.tree.roots, vec![node(&r, "a")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "b"), vec![node(&r, "a")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "c"), vec![node(&r, "b")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "d"), vec![node(&r, "b")], "{:#?}", r.tree);
}

/// Three dated copies of one lost source: x, the earliest, dropped a
/// sentence and changed a word (`more` may change it further); y and z,
/// published later, each changed a word.
fn earliest_dropping_a_sentence(more: impl Fn(&mut Vec<String>)) -> Vec<Document> {
    let source = story();
    let mut x = source.clone();
    x.remove(8);
    x[2] = x[2].replace("about 14,000", "some 14,000");
    more(&mut x);
    let mut y = source.clone();
    y[4] = y[4].replace("called for", "asked for");
    let mut z = source.clone();
    z[10] = z[10].replace("public meeting", "public hearing");
    vec![doc("x", "2024-03-05", &x), doc("y", "2024-03-06", &y), doc("z", "2024-03-07", &z)]
}

#[test]
fn an_earliest_version_lacking_a_sentence_the_later_ones_hold_is_not_their_source() {
    // The source is lost. x, the earliest, dropped a sentence that y and z
    // both hold, and calls Miriam Okafor by her surname, where they give
    // her full name: they cannot have these from x, so all three copy a
    // lost source, as the two AFP renditions of the seed case do.
    let docs = earliest_dropping_a_sentence(|x| x[5] = x[5].replace("Miriam Okafor", "Okafor"));
    let r = trace(&docs, 0, &TraceOptions::default());
    assert_copies_of_one_lost_source(&r, &["x", "y", "z"]);
    // The edges from the lost source say what the later versions carry of
    // it: the sentence and the full name x lacks, and the word x changed.
    for v in ["y", "z"] {
        let edge = r.tree.edges.iter().find(|e| e.to == node(&r, v)).unwrap();
        assert!(edge.evidence.iter().any(|e| e == "carries 3 reading(s) of its source"), "{v}: {edge:#?}");
    }
}

#[test]
fn one_sentence_the_earliest_version_lacks_makes_it_a_copy_of_a_lost_source() {
    // x, the earliest, lacks one sentence that y and z, published later,
    // both hold. x cut it, or a lost version that y and z copied added it:
    // the same changes either way. Outlets copying one source the corpus
    // lacks is the commoner history, and the one read.
    let r = trace(&earliest_dropping_a_sentence(|_| {}), 0, &TraceOptions::default());
    assert_copies_of_one_lost_source(&r, &["x", "y", "z"]);
}

#[test]
fn an_undated_version_holding_a_sentence_no_other_holds_is_not_the_source() {
    // Undated: a is the source; b rewords a sentence and adds one of its
    // own; c cuts a sentence (so c is no one's source). For b to be the
    // source, a and c would both have had to drop the sentence only b
    // holds; b added it. (By words b "contains" the others best.)
    let a = story();
    let mut b = a.clone();
    b[2] = b[2].replace("about 14,000", "some 14,000");
    b.insert(6, "The mayor is expected to attend a ceremony for the new library in the old market hall.".into());
    let mut c = a.clone();
    c.remove(8);
    let docs = vec![Document::new("b", b.join(" ")), Document::new("c", c.join(" ")), Document::new("a", a.join(" "))];
    let r = trace(&docs, 0, &TraceOptions::default());
    assert_eq!(r.tree.roots, vec![node(&r, "a")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "b"), vec![node(&r, "a")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "c"), vec![node(&r, "a")], "{:#?}", r.tree);
}

#[test]
fn two_earliest_versions_each_lacking_a_sentence_copy_a_lost_source() {
    // The source is lost. x and y, published the same day, each dropped a
    // sentence the other holds; z, a day later, holds both. Neither x nor
    // y can be the other's source, and the dates do not say which of them
    // (or a lost version) came first: the one source that explains both
    // cuts is a lost version above the three.
    let source = story();
    let mut x = source.clone();
    x.remove(8);
    x[2] = x[2].replace("about 14,000", "some 14,000");
    let mut y = source.clone();
    y.remove(3);
    y[4] = y[4].replace("called for", "asked for");
    let mut z = source.clone();
    z[10] = z[10].replace("public meeting", "public hearing");
    let docs = vec![doc("x", "2024-03-05", &x), doc("y", "2024-03-05", &y), doc("z", "2024-03-06", &z)];
    let r = trace(&docs, 0, &TraceOptions::default());
    assert_copies_of_one_lost_source(&r, &["x", "y", "z"]);
}

#[test]
fn a_sentence_added_before_a_reworded_one_keeps_the_shared_reading() {
    // b rewords the first words of a sentence; c copies b and adds a
    // sentence just before that one, which a word diff runs into the
    // rewording. c still shares b's reading, so it is b's copy.
    let a = story();
    let mut b = a.clone();
    b[8] = b[8].replace("Residents near", "People living near");
    let mut c = b.clone();
    c.insert(8, "Shopkeepers on the quay have started a petition against the closure.".into());
    let mut d = a.clone();
    d[10] = d[10].replace("public meeting", "public hearing");
    let docs = vec![
        doc("c", "2024-03-07", &c),
        doc("d", "2024-03-06", &d),
        doc("b", "2024-03-06", &b),
        doc("a", "2024-03-05", &a),
    ];
    let r = trace(&docs, 0, &TraceOptions::default());
    assert_eq!(parents(&r, "c"), vec![node(&r, "b")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "b"), vec![node(&r, "a")], "{:#?}", r.tree);
}

#[test]
fn a_reading_next_to_a_dropped_sentence_still_ties_a_copy_to_its_source() {
    // d rewords the first word of a sentence; e copies d, cuts the end of
    // the sentence two before it and drops the one between, which a word
    // diff runs into one edit with d's rewording.
    let a = story();
    let mut d = a.clone();
    d[8] = d[8].replace("Residents near", "Households near");
    let mut e = d.clone();
    e[6] = e[6].replace(" and could take four years to complete", "");
    e.remove(7);
    let mut c = d.clone();
    c[10] = c[10].replace("public meeting", "public hearing");
    let mut f = a.clone();
    f[4] = f[4].replace("called for", "asked for");
    let docs = vec![
        doc("e", "2024-03-07", &e),
        doc("c", "2024-03-07", &c),
        doc("f", "2024-03-06", &f),
        doc("d", "2024-03-06", &d),
        doc("a", "2024-03-05", &a),
    ];
    let r = trace(&docs, 0, &TraceOptions::default());
    assert_eq!(parents(&r, "e"), vec![node(&r, "d")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "d"), vec![node(&r, "a")], "{:#?}", r.tree);
}

#[test]
fn copies_sharing_readings_their_source_lacks_get_a_lost_intermediary() {
    let a = story();
    // The lost intermediary X rewrote three sentences; B and C copy X (each
    // with a change of its own); X itself is not given. (Had X added a
    // sentence a lacks, a would read as a copy of X, the earliest version
    // cutting it: see
    // `one_sentence_the_earliest_version_lacks_makes_it_a_copy_of_a_lost_source`.)
    let mut x = a.clone();
    x[1] = "Inspectors discovered rust in three of the five steel girders during a survey last autumn.".into();
    x[7] = "Opposition councillors insisted the money be found in this year's budget instead of the next.".into();
    x[3] = "Heavy lorries will be sent along the ring road, adding roughly twenty minutes to each trip.".into();
    // Neither copy holds the other's own changes: they are siblings.
    let mut b = x.clone();
    b[5] = "The council's transport chief, Miriam Okafor, argued safety had to come before convenience.".into();
    b.push("Traffic police will patrol the diversion during the first weeks.".into());
    let mut c = x.clone();
    c[10] = "A public meeting on the plan is due at the town hall in the coming month.".into();
    let docs = vec![doc("a", "2024-03-05", &a), doc("b", "2024-03-06", &b), doc("c", "2024-03-06", &c)];
    let r = trace(&docs, 1, &TraceOptions::default());
    let lost: Vec<usize> = r.tree.nodes.iter().filter(|n| n.kind == "lost").map(|n| n.index).collect();
    assert_eq!(lost.len(), 1, "{:#?}", r.tree);
    assert_eq!(parents(&r, "b"), lost, "{:#?}", r.tree);
    assert_eq!(parents(&r, "c"), lost, "{:#?}", r.tree);
    let lost_parents: Vec<usize> = r.tree.edges.iter().filter(|e| e.to == lost[0]).map(|e| e.from).collect();
    assert_eq!(lost_parents, vec![node(&r, "a")], "{:#?}", r.tree);
}

#[test]
fn a_version_copying_two_lineages_is_contaminated() {
    let a = story();
    let mut b = a.clone();
    b[1] = "Inspectors discovered rust in three of the five steel girders during a survey last autumn.".into();
    b[7] = "Opposition councillors insisted the money be found in this year's budget instead of the next.".into();
    b.push("Traffic police will patrol the diversion during the first weeks.".into());
    let mut c = a.clone();
    c[5] = "Miriam Okafor, who leads transport at the council, said safety must come first.".into();
    c[9] = "The port authority wants talks about deliveries at night to reduce the disruption.".into();
    c.push("Cyclists and pedestrians will still be allowed to use the bridge.".into());
    // D follows B but takes C's two rewritten sentences and its addition.
    let mut d = b.clone();
    d[5] = c[5].clone();
    d[9] = c[9].clone();
    d.push(c[12].clone());
    let docs = vec![
        doc("a", "2024-03-05", &a),
        doc("b", "2024-03-06", &b),
        doc("c", "2024-03-06", &c),
        doc("d", "2024-03-08", &d),
    ];
    let r = trace(&docs, 3, &TraceOptions::default());
    assert_eq!(parents(&r, "d"), vec![node(&r, "b"), node(&r, "c")], "{:#?}", r.tree);
    assert!(r
        .tree
        .edges
        .iter()
        .filter(|e| e.to == node(&r, "d"))
        .all(|e| e.evidence.iter().any(|x| x.contains("contaminated"))));
}

#[test]
fn a_merged_copy_names_the_source_it_copied_not_a_copy_of_that_source() {
    // d follows b (five words changed) and takes one of c's two. e, a later
    // copy of b, explains d's readings as well as b does, and splits them
    // more evenly with c, but has three changes of its own that d lacks:
    // d copied b, not e.
    let a = story();
    let mut b = a.clone();
    b[1] = edit(&b[1], "found", "discovered");
    b[4] = edit(&b[4], "said", "warned");
    b[6] = edit(&b[6], "A full repair", "A complete repair");
    b[7] = edit(&b[7], "argued", "insisted");
    b[11] = edit(&b[11], "publish", "post");
    let mut c = a.clone();
    c[5] = edit(&c[5], "transport chief", "transport head");
    c[9] = edit(&c[9], "asked for", "requested");
    let mut e = b.clone();
    e[3] = edit(&e[3], "diverted", "rerouted");
    e[8] = edit(&e[8], "fear", "dread");
    e[10] = edit(&e[10], "held", "staged");
    let mut d = b.clone();
    d[5] = c[5].clone();
    let docs = vec![
        doc("a", "2024-03-05", &a),
        doc("b", "2024-03-06", &b),
        doc("c", "2024-03-06", &c),
        doc("e", "2024-03-07", &e),
        doc("d", "2024-03-08", &d),
    ];
    let r = trace(&docs, 4, &TraceOptions::default());
    assert_eq!(parents(&r, "d"), vec![node(&r, "b"), node(&r, "c")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "e"), vec![node(&r, "b")], "{:#?}", r.tree);
}

#[test]
fn a_copy_holding_a_sentence_its_source_dropped_took_it_from_another_lineage() {
    // b and c copy a, each rewording sentences and dropping one (b its
    // last); k copies b (its wording) but ends with the sentence b dropped,
    // which c kept, and has c's wording of one sentence (of c's four): k
    // took from c as well. One reading of c's many would not show it; the
    // sentence b could not have passed on does. (a has the sentence too, but
    // a is b's own source.)
    let a = story();
    let mut b = a.clone();
    b.pop();
    b[1] = "Inspectors discovered rust in three of the five steel girders during a survey last autumn.".into();
    b[4] = "Local hauliers warned the decision would raise their costs and asked for a temporary crossing.".into();
    let mut c = a.clone();
    c[5] = "Miriam Okafor, who leads transport at the council, said safety must come first.".into();
    c[6] = "Repairing the bridge fully should cost 48 million euros and may take four years.".into();
    c[8] = "People living near the ring road worry about extra noise and pollution from the lorries.".into();
    c[9] = "The port authority wants talks about deliveries at night to reduce the disruption.".into();
    c.remove(3);
    let mut k = b.clone();
    k.push(a[11].clone());
    k[5] = c[4].clone();
    k[7] = "Opposition members said the money should come from this year's budget, not the next.".into();
    let docs = vec![
        doc("a", "2024-03-05", &a),
        doc("b", "2024-03-06", &b),
        doc("c", "2024-03-06", &c),
        doc("k", "2024-03-08", &k),
    ];
    let r = trace(&docs, 3, &TraceOptions::default());
    assert_eq!(parents(&r, "k"), vec![node(&r, "b"), node(&r, "c")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "b"), vec![node(&r, "a")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "c"), vec![node(&r, "a")], "{:#?}", r.tree);
}

#[test]
fn an_undated_merge_is_told_from_the_source_it_took_from() {
    // h, c and e copy a lost version of a; b copies h and f copies a. k
    // copies h and takes one of c's three rewordings, with a change of its
    // own. Read the other way, c would be a merge of k (for that reading)
    // and of a version without h's rewordings (e, for what c lacks), at the
    // same cost: but what e would give c is the source's own text, which
    // every version outside h's lineage has. Only a reading made since the
    // source shows who copied whom. (The lost version and f each drop a
    // sentence, which roots the tree at a.)
    let a = story();
    let mut lost = a.clone();
    lost[0] = edit(&lost[0], "voted", "decided");
    lost[3] = edit(&lost[3], "roughly", "about");
    lost.remove(11);
    let mut h = lost.clone();
    h[1] = edit(&h[1], "found", "discovered");
    h[4] = edit(&h[4], "said", "warned");
    h[7] = edit(&h[7], "argued", "insisted");
    let mut b = h.clone();
    b[3] = edit(&b[3], "diverted", "rerouted");
    b[10] = edit(&b[10], "held", "staged");
    let mut c = lost.clone();
    c[5] = edit(&c[5], "transport chief", "transport head");
    c[9] = edit(&c[9], "asked for", "requested");
    c[6] = edit(&c[6], "A full repair", "A complete repair");
    let mut e = lost.clone();
    e[8] = edit(&e[8], "fear", "dread");
    e[2] = edit(&e[2], "carries", "takes");
    let mut f = a.clone();
    f[10] = edit(&f[10], "public meeting", "public hearing");
    f[6] = edit(&f[6], "could take", "may take");
    f.remove(9);
    let mut k = h.clone();
    k[5] = c[5].clone();
    k[2] = edit(&k[2], "between the port", "linking the port");
    let docs = undated(&[("k", &k), ("c", &c), ("a", &a), ("e", &e), ("b", &b), ("h", &h), ("f", &f)], " ");
    let r = trace(&docs, 0, &TraceOptions::default());
    assert_eq!(parents(&r, "k"), vec![node(&r, "c"), node(&r, "h")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "c").len(), 1, "{:#?}", r.tree);
}

#[test]
fn a_copy_that_edits_again_a_place_its_source_edited_is_still_its_copy() {
    // b rewords "about 14,000" as "some 14,000" (and two more places); c
    // copies b and makes it "nearly 14,000": at that place c's reading says
    // nothing of b's, so b keeps no change of its own and is c's source,
    // not its sibling under a lost version.
    let a = story();
    let mut b = a.clone();
    b[2] = b[2].replace("about 14,000", "some 14,000");
    b[1] = "Inspectors discovered rust in three of the five steel girders during a survey last autumn.".into();
    b.remove(9);
    let mut c = b.clone();
    c[2] = c[2].replace("some 14,000", "nearly 14,000");
    c[7] = "Opposition councillors insisted the money be found in this year's budget instead of the next.".into();
    let mut d = a.clone();
    d[5] = "Miriam Okafor, who leads transport at the council, said safety must come first.".into();
    d.remove(10);
    let docs = vec![
        doc("c", "2024-03-07", &c),
        doc("a", "2024-03-05", &a),
        doc("d", "2024-03-06", &d),
        doc("b", "2024-03-06", &b),
    ];
    let r = trace(&docs, 0, &TraceOptions::default());
    assert!(r.tree.nodes.iter().all(|n| n.kind == "version"), "{:#?}", r.tree);
    assert_eq!(parents(&r, "b"), vec![node(&r, "a")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "c"), vec![node(&r, "b")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "d"), vec![node(&r, "a")], "{:#?}", r.tree);
}

#[test]
fn a_sentence_added_then_reworded_by_a_copy_keeps_the_lineage() {
    // b adds a sentence; c copies b and rewords it. Read as two unrelated
    // additions, the one b added would be b's alone and b no source of c.
    let a = story();
    let mut b = a.clone();
    b.insert(4, "The crossing was last renovated in 1987 at a cost of two million euros.".into());
    b[8] = "Opposition councillors insisted the money be found in this year's budget instead of the next.".into();
    let mut c = b.clone();
    c[4] = "The crossing was last repaired in 1987 at a cost of two million euros.".into();
    c.remove(12);
    let mut d = a.clone();
    d[5] = "Miriam Okafor, who leads transport at the council, said safety must come first.".into();
    d.remove(9);
    // Dated, so that the first version (which lacks the sentence) is the
    // one the others are compared with.
    let docs = vec![
        doc("d", "2024-03-06", &d),
        doc("c", "2024-03-07", &c),
        doc("a", "2024-03-05", &a),
        doc("b", "2024-03-06", &b),
    ];
    let r = trace(&docs, 1, &TraceOptions::default());
    assert!(r.tree.nodes.iter().all(|n| n.kind == "version"), "{:#?}", r.tree);
    assert_eq!(r.tree.roots, vec![node(&r, "a")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "b"), vec![node(&r, "a")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "c"), vec![node(&r, "b")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "d"), vec![node(&r, "a")], "{:#?}", r.tree);
}

#[test]
fn the_html_page_escapes_document_text() {
    let hostile = "<script>alert('x')</script> The regional council voted on Tuesday to close the old harbour bridge \
                   to heavy traffic from next spring. <img src=x onerror=alert(1)>";
    let mut other = story();
    other[0] =
        "The regional council voted on Tuesday to close the old harbour bridge to heavy traffic from next spring."
            .into();
    let docs = vec![Document::new("<b>evil</b>", hostile), Document::new("plain", other.join(" "))];
    let r = trace(&docs, 0, &TraceOptions::default());
    let page = stemma_trace::export::html(&r);
    assert!(!page.contains("<script>alert"), "unescaped script");
    assert!(!page.contains("<img src=x"), "unescaped img");
    assert!(!page.contains("<b>evil</b>"), "unescaped id");
    assert!(page.contains("script&gt;alert"), "the hostile text is shown, escaped");
    let svg = stemma_trace::export::svg(&r.tree, Some("<b>evil</b>"), &|_| None);
    assert!(!svg.contains("<b>evil"));
    let graphml = stemma_trace::export::graphml(&r.tree);
    assert!(!graphml.contains("<b>evil"));
}

#[test]
fn the_report_is_the_same_whatever_the_thread_count() {
    let a = story();
    let mut b = a.clone();
    b[6] = b[6].replace("48 million", "50 million");
    let mut c = b.clone();
    c.push("Cyclists and pedestrians will still be allowed to use the bridge.".into());
    let docs = vec![doc("a", "2024-03-05", &a), doc("b", "2024-03-06", &b), doc("c", "2024-03-07", &c)];
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| serde_json::to_string(&trace(&docs, 2, &TraceOptions::default())).unwrap())
    };
    assert_eq!(run(1), run(3));
}

#[test]
fn a_merge_explaining_a_copy_as_well_as_a_lost_version_does_is_a_merge() {
    // f and g copy a lost version of a; g drops the sentence on the
    // transport chief. k copies g (its two rewordings) but holds that
    // sentence in f's words, with a change of its own. As g's sibling under
    // a lost version sharing g's readings, k costs no change more than as a
    // merge of g and f (g's reading of the dropped sentence is unknown, so
    // the tree may give it f's): the same changes and as many copy
    // relations, but the merge needs no lost version that nothing else
    // calls for.
    let a = story();
    let mut lost = a.clone();
    lost[0] = edit(&lost[0], "voted", "decided");
    lost[3] = edit(&lost[3], "roughly", "about");
    let mut f = lost.clone();
    f[5] = edit(&f[5], "transport chief", "transport head");
    f[9] = edit(&f[9], "asked for", "requested");
    let mut g = lost.clone();
    g[1] = edit(&g[1], "found", "discovered");
    g[7] = edit(&g[7], "argued", "insisted");
    let mut k = g.clone();
    k[5] = f[5].clone();
    k[11] = edit(&k[11], "later this week", "in the coming days");
    g.remove(5);
    let mut b = a.clone();
    b[10] = edit(&b[10], "public meeting", "public hearing");
    b[6] = edit(&b[6], "could take", "may take");
    let docs = vec![
        doc("a", "2024-03-01", &a),
        doc("b", "2024-03-03", &b),
        doc("g", "2024-03-06", &g),
        doc("f", "2024-03-07", &f),
        doc("k", "2024-03-09", &k),
    ];
    let r = trace(&docs, 0, &TraceOptions::default());
    assert_eq!(parents(&r, "k"), vec![node(&r, "g"), node(&r, "f")], "{:#?}", r.tree);
    let lost: Vec<usize> = r.tree.nodes.iter().filter(|n| n.kind == "lost").map(|n| n.index).collect();
    assert_eq!(lost.len(), 1, "{:#?}", r.tree);
    assert_eq!(parents(&r, "g"), lost, "{:#?}", r.tree);
    assert_eq!(parents(&r, "f"), lost, "{:#?}", r.tree);
}

#[test]
fn a_reading_the_original_may_not_have_passed_on_by_a_source_names_it() {
    // a, h and m copy a lost source, each rewording and dropping a
    // sentence of their own. d copies a and holds the sentence a dropped in
    // h's words (with a change of its own): the same changes as d a sibling
    // of a under one more lost version, so the merge needs its sources each
    // to pass on an innovation. h's is its wording of that sentence: a
    // lacks the sentence and m has the other wording, so nothing says which
    // wording the lost source had. A reading the source is not known to
    // have is evidence as well.
    let s = story();
    let mut a = s.clone();
    a[7] = edit(&a[7], "argued", "insisted");
    a[1] = edit(&a[1], "found", "discovered");
    let mut h = s.clone();
    h[5] = edit(&h[5], "transport chief", "transport head");
    h[9] = edit(&h[9], "asked for", "requested");
    let mut m = s.clone();
    m[10] = edit(&m[10], "public meeting", "public hearing");
    m[3] = edit(&m[3], "roughly", "about");
    let mut d = a.clone();
    d[5] = h[5].clone();
    d[11] = edit(&d[11], "later this week", "in the coming days");
    a.remove(5);
    h.remove(2);
    m.remove(7);
    let docs = undated(&[("a", &a), ("h", &h), ("m", &m), ("d", &d)], " ");
    let r = trace(&docs, 0, &TraceOptions::default());
    assert_eq!(parents(&r, "d"), vec![node(&r, "a"), node(&r, "h")], "{:#?}", r.tree);
}

/// h, then g (two rewordings), whose copies e and b each change three
/// places (`e_edits` for e, which must change sentence 1); d copies e, takes
/// two of b's rewordings and restores g's sentence 1. Returns h, g, e, b, d.
fn merge_of_two_copies_of_one(e_edits: [(usize, &str, &str); 3]) -> [Vec<String>; 5] {
    let h = story();
    let mut g = h.clone();
    g[0] = edit(&g[0], "voted", "decided");
    g[3] = edit(&g[3], "roughly", "about");
    let mut e = g.clone();
    for (i, from, to) in e_edits {
        e[i] = edit(&e[i], from, to);
    }
    let mut b = g.clone();
    b[5] = edit(&b[5], "transport chief", "transport head");
    b[9] = edit(&b[9], "asked for", "requested");
    b[6] = edit(&b[6], "A full repair", "A complete repair");
    let mut d = e.clone();
    d[5] = b[5].clone();
    d[9] = b[9].clone();
    d[1] = g[1].clone();
    d[11] = edit(&d[11], "later this week", "in the coming days");
    [h, g, e, b, d]
}

#[test]
fn a_merge_picks_among_roots_the_text_reads_as_well_from() {
    // Undated, with the same sentences in every version, g, h, e and b read
    // equally well as the source. Rooted at e (the first of them), e would
    // give d only the source's own text, and b would read as a merge of g
    // and d instead. Among roots the text does not tell apart, the one
    // under which each source gives the merge a reading of its own is
    // taken.
    let [h, g, e, b, d] =
        merge_of_two_copies_of_one([(1, "found", "discovered"), (4, "said", "warned"), (7, "argued", "insisted")]);
    let docs = undated(&[("e", &e), ("d", &d), ("b", &b), ("g", &g), ("h", &h)], " ");
    let r = trace(&docs, 0, &TraceOptions::default());
    assert_eq!(parents(&r, "d"), vec![node(&r, "e"), node(&r, "b")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "b").len(), 1, "{:#?}", r.tree);
    assert_ne!(r.tree.roots, vec![node(&r, "e")], "{:#?}", r.tree);
}

#[test]
fn a_merge_picks_among_roots_that_differ_only_in_how_much_text_they_hold() {
    // As above, but e cuts words where the others reword, and m, a copy of
    // h, drops three sentences: every version holding all the sentences
    // then contains m, but e, being shorter, a little more. e would be the
    // source by that margin alone, its readings would be the original text,
    // and e would read as a merge of g and d. How much text a version holds
    // orders roots; it does not rule out the others.
    let [h, g, e, b, d] = merge_of_two_copies_of_one([
        (1, " last autumn", ""),
        (4, "said", "warned"),
        (7, "this year's budget", "the budget"),
    ]);
    let mut m = h.clone();
    m[10] = edit(&m[10], "public meeting", "public hearing");
    m.drain(2..5);
    // One paragraph a sentence: m's three dropped sentences are then left
    // out, not an edit inside one passage.
    let docs = undated(&[("e", &e), ("d", &d), ("b", &b), ("g", &g), ("h", &h), ("m", &m)], "\n\n");
    let r = trace(&docs, 0, &TraceOptions::default());
    assert_eq!(parents(&r, "d"), vec![node(&r, "e"), node(&r, "b")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "e").len(), 1, "{:#?}", r.tree);
}

#[test]
fn a_merge_saving_more_changes_comes_before_one_passing_on_innovations() {
    // f is the first version; a lost copy of it rewords three places, and
    // e and h copy that. a follows e but has f's wording of two of the
    // three places: it took from the original as well, which saves two
    // changes, though the original's readings are never innovations. p
    // follows h and takes one reading of b, a copy of f: a merge whose
    // sources each pass on an innovation, saving one change. One merge is
    // shown per family, and the one that explains more comes first.
    let f = story();
    let mut l1 = f.clone();
    l1[0] = edit(&l1[0], "voted", "decided");
    l1[3] = edit(&l1[3], "roughly", "about");
    l1[7] = edit(&l1[7], "argued", "insisted");
    let mut e = l1.clone();
    e[1] = edit(&e[1], "found", "discovered");
    e[4] = edit(&e[4], "said", "warned");
    let mut d = e.clone();
    d[10] = edit(&d[10], "public meeting", "public hearing");
    let mut h = l1.clone();
    h[5] = edit(&h[5], "transport chief", "transport head");
    h[9] = edit(&h[9], "asked for", "requested");
    let mut b = f.clone();
    b[8] = edit(&b[8], "fear", "dread");
    b[2] = edit(&b[2], "carries", "takes");
    let mut a = e.clone();
    a[0] = f[0].clone();
    a[3] = f[3].clone();
    a[11] = edit(&a[11], "later this week", "in the coming days");
    let mut p = h.clone();
    p[8] = b[8].clone();
    p[6] = edit(&p[6], "could take", "may take");
    let docs = vec![
        doc("p", "2024-03-06", &p),
        doc("a", "2024-03-05", &a),
        doc("b", "2024-03-02", &b),
        doc("d", "2024-03-04", &d),
        doc("e", "2024-03-03", &e),
        doc("f", "2024-03-01", &f),
        doc("h", "2024-03-03", &h),
    ];
    let r = trace(&docs, 0, &TraceOptions::default());
    assert_eq!(parents(&r, "a"), vec![node(&r, "e"), node(&r, "f")], "{:#?}", r.tree);
    assert_eq!(parents(&r, "p"), vec![node(&r, "h")], "{:#?}", r.tree);
}
