//! Malformed, hostile and degenerate input: nothing panics, time and memory
//! stay bounded.

use std::time::Instant;
use stemma_extract::extract;

/// A small deterministic generator (no dependency needed for junk).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn degenerate_pages() {
    for html in [
        "",
        " ",
        "<",
        ">",
        "&",
        "&#",
        "&#x;",
        "&#99999999999;",
        "<!--",
        "<!-- never closed <p>text</p>",
        "<![CDATA[",
        "<script>never closed",
        "<title>only a title",
        "<p>",
        "</p></div></body></html>",
        "<p>unclosed <b>bold <i>italic <a href='x",
        "<div class=\"a\" id='b' data-x=unquoted hidden>text</div>",
        "<a href=\"x>y</a>",
        "1 < 2 > 0 <3 <= 4 << >>",
        "<html lang=><meta property=og:title content=><link rel=canonical>",
        "<script type=\"application/ld+json\">{\"@type\": \"NewsArticle\", \"datePublished\": </script>",
        "<script type=\"application/ld+json\">[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[</script>",
        "<time datetime=\"9999-99-99\">x</time><meta name=date content=\"not a date\">",
        "<p>\u{0}\u{1}\u{fffd}\u{feff}\u{200b}</p>",
        "<h1></h1><h1> </h1><p>x</p>",
        "<br><br><br><br>",
        "<table><td><td><tr><th><li><dd><dt><option>",
    ] {
        let got = extract(html, Some("not a url"));
        assert!(got.text.len() <= html.len() * 4 + 16, "{html:?}");
    }
    let got = extract("<title>T</title><p>Hello, world.</p>", None);
    assert_eq!(got.text, "Hello, world.");
    assert_eq!(got.title.as_deref(), Some("T"));
}

#[test]
fn binary_junk_and_random_markup() {
    let mut rng = Lcg(42);
    let pieces = [
        "<",
        ">",
        "</",
        "/>",
        "<p>",
        "</p>",
        "<div class=\"comment\">",
        "</div>",
        "<h1>",
        "</h1>",
        "<br>",
        "&amp;",
        "&",
        "#",
        ";",
        "\"",
        "'",
        "=",
        "<!--",
        "-->",
        "<script>",
        "</script>",
        "<a href=\"",
        "word ",
        "mot ",
        "é",
        "\u{a0}",
        "\n",
        "<table>",
        "<td>",
        "<li>",
        "<![CDATA[",
        "]]>",
        "<time datetime=\"",
        "2019-01-02\">",
        "<meta property=\"og:title\" content=\"",
    ];
    for _ in 0..300 {
        let mut html = String::new();
        let len = rng.next() % 400;
        for _ in 0..len {
            if rng.next() % 5 < 1 {
                // Raw bytes, decoded lossily as a reader would.
                let bytes: Vec<u8> = (0..(rng.next() % 8)).map(|_| rng.next() as u8).collect();
                html.push_str(&String::from_utf8_lossy(&bytes));
            } else {
                html.push_str(pieces[(rng.next() as usize) % pieces.len()]);
            }
        }
        let _ = extract(&html, None);
    }
}

#[test]
fn deep_nesting_and_huge_pages_stay_bounded() {
    let deep = format!("{}<p>deep text here, long enough to be an article paragraph.</p>", "<div>".repeat(200_000));
    let t = Instant::now();
    let got = extract(&deep, None);
    assert!(got.text.contains("deep text here"));
    assert!(t.elapsed().as_secs() < 20);

    let many_tags = "<a".repeat(2_000_000);
    let t = Instant::now();
    let _ = extract(&many_tags, None);
    assert!(t.elapsed().as_secs() < 20);

    let paragraph = "<p>Une phrase d'article assez longue pour compter comme du texte, répétée encore et encore.</p>\n";
    let huge = format!("<html><body><article><h1>Titre</h1>{}</article></body></html>", paragraph.repeat(200_000));
    assert!(huge.len() > stemma_extract::MAX_INPUT_BYTES);
    let t = Instant::now();
    let got = extract(&huge, None);
    assert!(got.text.starts_with("Titre\n\nUne phrase"));
    assert!(got.text.len() <= stemma_extract::MAX_INPUT_BYTES);
    assert!(t.elapsed().as_secs() < 30);
}
