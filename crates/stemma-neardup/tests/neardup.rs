//! Behaviour of the near-duplicate mode on texts written by the test itself.

use stemma_neardup::{deduplicate, near_duplicates, optimal_bands, signature, similarity, NearDupOptions, Signatures};

/// Deterministic pseudo-random texts from a small made-up vocabulary, so
/// that unrelated documents share (almost) no 5-gram.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn sentence(&mut self) -> String {
        const WORDS: [&str; 40] = [
            "council", "budget", "minister", "river", "market", "prices", "school", "workers", "strike", "vote",
            "report", "police", "city", "harbour", "bridge", "winter", "farmers", "train", "museum", "court", "mayor",
            "festival", "hospital", "road", "village", "factory", "ship", "storm", "election", "garden", "library",
            "station", "doctor", "bakery", "teacher", "engine", "forest", "tower", "island", "senate",
        ];
        let n = 12 + self.below(10);
        let mut s: Vec<String> = (0..n).map(|_| WORDS[self.below(WORDS.len())].to_string()).collect();
        s.push(format!("{}.", self.below(10_000)));
        s.join(" ")
    }
    fn doc(&mut self, sentences: usize) -> Vec<String> {
        (0..sentences).map(|_| self.sentence()).collect()
    }
}

/// 20 originals of ~20 sentences, then copies: exact (re-punctuated, case
/// changed), one word changed, one sentence dropped.
fn corpus() -> (Vec<String>, Vec<(usize, usize)>) {
    let mut g = Gen(0x1234_5678_9abc_def1);
    let originals: Vec<Vec<String>> = (0..20).map(|_| g.doc(20)).collect();
    let mut texts: Vec<String> = originals.iter().map(|d| d.join(" ")).collect();
    let mut copies = Vec::new();
    // Same words, different case and punctuation.
    copies.push((texts.len(), 3));
    texts.push(originals[3].join("; ").to_uppercase());
    // One word changed.
    let mut w: Vec<String> = originals[7].join(" ").split(' ').map(str::to_string).collect();
    w[40] = "zeppelin".into();
    copies.push((texts.len(), 7));
    texts.push(w.join(" "));
    // One sentence dropped (similarity about 0.93: with the default 9
    // bands of 13 rows, LSH finds such a pair with probability 0.98; at
    // 0.85 it would be about 0.6, which is what the banding means).
    let mut s = originals[11].clone();
    s.remove(5);
    copies.push((texts.len(), 11));
    texts.push(s.join(" "));
    (texts, copies)
}

#[test]
fn copies_are_clustered_with_their_source_and_unrelated_texts_are_not() {
    let (texts, copies) = corpus();
    let opts = NearDupOptions::default();
    let r = deduplicate(&texts, &[], &opts);
    let mut expected: Vec<Vec<usize>> = copies.iter().map(|&(c, s)| vec![s, c]).collect();
    expected.sort();
    assert_eq!(r.clusters, expected);
    for &(c, s) in &copies {
        let d = r.decision(c).expect("copy in a cluster");
        assert!(!d.keep && d.kept == s, "{d:?}");
        assert!(d.similarity >= 0.8, "{d:?}");
        assert!(!r.is_dropped(s));
    }
    assert_eq!(r.dropped(), copies.len());
    // Unrelated originals: estimated similarity about zero.
    let sigs = Signatures::from_texts(&texts, &opts);
    assert!(sigs.similarity(0, 1) < 0.05);
}

#[test]
fn keep_is_the_earliest_by_date_then_the_first_in_input_order() {
    let mut g = Gen(42);
    let base = g.doc(15).join(" ");
    let texts = vec![base.clone(), g.doc(15).join(" "), base.clone(), base.clone(), base.clone()];
    let opts = NearDupOptions::default();
    // No dates: the first in input order.
    let r = deduplicate(&texts, &[], &opts);
    assert_eq!(r.clusters, vec![vec![0, 2, 3, 4]]);
    assert!(r.decision(0).is_some_and(|d| d.keep && d.cluster == 0 && d.similarity == 1.0));
    assert!(r.decision(1).is_none());
    // Dates: the earliest; undated documents come after dated ones; ties
    // go to input order.
    let dates = [None, Some("2019-01-01"), Some("2019-03-02"), Some("2019-02-10"), Some("2019-02-10")];
    let r = deduplicate(&texts, &dates, &opts);
    let kept: Vec<usize> = r.decisions.iter().filter(|d| d.keep).map(|d| d.doc).collect();
    assert_eq!(kept, vec![3]);
    assert!(r.decisions.iter().all(|d| d.kept == 3));
    assert_eq!(r.dropped(), 3);
    // Deterministic across runs.
    assert_eq!(r, deduplicate(&texts, &dates, &opts));
}

#[test]
fn output_does_not_depend_on_the_thread_count() {
    let (mut texts, _) = corpus();
    let mut g = Gen(7);
    // Many exact duplicates: one large bucket exercises the window.
    let dup = g.doc(10).join(" ");
    texts.extend(std::iter::repeat_n(dup, 150));
    let opts = NearDupOptions::default();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        pool.install(|| {
            let sigs = Signatures::from_texts(&texts, &opts);
            (sigs.clone(), near_duplicates(&sigs, &[], &opts))
        })
    };
    let (s1, r1) = run(1);
    let (s2, r2) = run(2);
    assert_eq!(s1, s2);
    assert_eq!(r1, r2);
    // The 150 copies form one cluster despite the bucket window.
    assert!(r1.clusters.iter().any(|c| c.len() == 150));
}

#[test]
fn empty_and_very_short_texts_do_not_panic_and_empty_ones_never_match() {
    let texts = ["", "   ", "!!! ?", "", "a", "Hello world", "hello, WORLD", "x"];
    let opts = NearDupOptions::default();
    let r = deduplicate(&texts, &[], &opts);
    // Identical short texts (fewer words than a shingle) still match.
    assert_eq!(r.clusters, vec![vec![5, 6]]);
    assert_eq!(similarity(&signature("", &opts), &signature("", &opts)), 0.0);
    let empty: [&str; 0] = [];
    assert!(deduplicate(&empty, &[], &opts).clusters.is_empty());
    // Odd options are clamped, not trusted.
    let odd = NearDupOptions { num_perm: 0, shingle: 0, bands: Some((500, 500)), ..opts };
    let r = deduplicate(&texts, &[], &odd);
    assert!(r.bands * r.rows <= 1);
}

#[test]
fn signatures_estimate_jaccard_similarity() {
    // Two sets of 400 distinct 5-grams sharing a known share; the estimate
    // must be within 4 standard deviations of the truth.
    let words: Vec<String> = (0..2000).map(|i| format!("w{i}")).collect();
    for (shared, jaccard) in [(400usize, 1.0f64), (320, 320.0 / 480.0), (200, 200.0 / 600.0), (0, 0.0)] {
        let a = words[..404].join(" ");
        let b = format!("{} {}", words[..shared + 4].join(" "), words[1000..1000 + 400 - shared].join(" "));
        let opts = NearDupOptions { num_perm: 256, ..NearDupOptions::default() };
        let est = similarity(&signature(&a, &opts), &signature(&b, &opts));
        let sd = (jaccard * (1.0 - jaccard) / 256.0).sqrt();
        assert!((est - jaccard).abs() <= 4.0 * sd + 0.02, "{shared}: {est} vs {jaccard}");
    }
}

#[test]
fn bands_are_chosen_like_datasketch() {
    // Values printed by datasketch 2.0.0's `_optimal_param(t, n, 0.5, 0.5)`.
    let expected = [
        (0.5, 64, (14, 4)),
        (0.5, 128, (25, 5)),
        (0.5, 256, (42, 6)),
        (0.6, 128, (18, 7)),
        (0.7, 128, (14, 9)),
        (0.8, 64, (5, 11)),
        (0.8, 128, (9, 13)),
        (0.8, 256, (17, 15)),
        (0.9, 128, (5, 25)),
    ];
    for (t, n, br) in expected {
        assert_eq!(optimal_bands(t, n), br, "threshold {t}, num_perm {n}");
    }
}

#[test]
fn signatures_span_storage_blocks() {
    let opts = NearDupOptions { num_perm: 16, ..NearDupOptions::default() };
    let texts: Vec<String> = (0..5000).map(|i| format!("document number {i} of the test")).collect();
    let mut sigs = Signatures::new(16);
    sigs.extend_from_texts(&texts[..10], &opts);
    sigs.extend_from_texts(&texts[10..], &opts);
    sigs.push(&signature("one more", &opts));
    assert_eq!(sigs.len(), 5001);
    for i in [0, 9, 10, 4095, 4096, 4999] {
        assert_eq!(sigs.get(i), Some(&signature(&texts[i], &opts)[..]), "{i}");
    }
    assert_eq!(sigs.get(5000), Some(&signature("one more", &opts)[..]));
    assert_eq!(sigs.get(5001), None);
}
