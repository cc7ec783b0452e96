//! The PAN text-alignment corpus and its official performance measures.
//!
//! Measures follow the PAN evaluation script (Potthast et al., COLING 2010;
//! `pan09-plagiarism-detection-performance-measures.py`): character-level,
//! macro-averaged precision and recall over cases and detections (a case
//! and a detection overlap when they share characters in both the
//! suspicious and the source document), granularity as the mean number of
//! detections per detected case, and plagdet = F1 / log2(1 + granularity).
//! Offsets are in characters (Unicode code points), as in the corpus.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A plagiarism case or a detection: a character range in a suspicious
/// document and one in a source document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Annotation {
    /// Suspicious document name.
    pub susp: String,
    /// Character offset in the suspicious document.
    pub this_offset: usize,
    /// Character length in the suspicious document.
    pub this_length: usize,
    /// Source document name.
    pub src: String,
    /// Character offset in the source document.
    pub source_offset: usize,
    /// Character length in the source document.
    pub source_length: usize,
}

fn overlap(a: &Annotation, b: &Annotation) -> bool {
    a.susp == b.susp
        && a.src == b.src
        && b.this_offset + b.this_length > a.this_offset
        && b.this_offset < a.this_offset + a.this_length
        && b.source_offset + b.source_length > a.source_offset
        && b.source_offset < a.source_offset + a.source_length
}

/// Characters of `x` (both sides) covered by the annotations in `others` that overlap it.
fn covered_chars(x: &Annotation, others: &[&Annotation]) -> usize {
    let mut this = vec![false; x.this_length];
    let mut source = vec![false; x.source_length];
    for o in others.iter().filter(|o| overlap(x, o)) {
        mark(&mut this, x.this_offset, o.this_offset, o.this_length);
        mark(&mut source, x.source_offset, o.source_offset, o.source_length);
    }
    this.iter().filter(|b| **b).count() + source.iter().filter(|b| **b).count()
}

fn mark(bits: &mut [bool], base: usize, off: usize, len: usize) {
    let start = off.saturating_sub(base).min(bits.len());
    let end = (off + len).saturating_sub(base).min(bits.len());
    if off + len > base {
        bits[start..end].iter_mut().for_each(|b| *b = true);
    }
}

fn by_susp(anns: &[Annotation]) -> HashMap<&str, Vec<&Annotation>> {
    let mut m: HashMap<&str, Vec<&Annotation>> = HashMap::new();
    for a in anns {
        m.entry(a.susp.as_str()).or_default().push(a);
    }
    m
}

/// Macro-averaged recall of `detections` over `cases`.
pub fn macro_recall(cases: &[Annotation], detections: &[Annotation]) -> f64 {
    if cases.is_empty() && detections.is_empty() {
        return 1.0;
    }
    if cases.is_empty() || detections.is_empty() {
        return 0.0;
    }
    let dets = by_susp(detections);
    let mut sum = 0.0;
    for c in cases {
        if let Some(ds) = dets.get(c.susp.as_str()) {
            sum += covered_chars(c, ds) as f64 / (c.this_length + c.source_length) as f64;
        }
    }
    sum / cases.len() as f64
}

/// Macro-averaged precision (recall with the roles swapped).
pub fn macro_precision(cases: &[Annotation], detections: &[Annotation]) -> f64 {
    macro_recall(detections, cases)
}

/// Mean number of detections per detected case (1 when nothing is detected).
pub fn granularity(cases: &[Annotation], detections: &[Annotation]) -> f64 {
    let dets = by_susp(detections);
    let (mut total, mut detected) = (0usize, 0usize);
    for c in cases {
        if let Some(ds) = dets.get(c.susp.as_str()) {
            let n = ds.iter().filter(|d| overlap(c, d)).count();
            if n > 0 {
                total += n;
                detected += 1;
            }
        }
    }
    if detected == 0 {
        1.0
    } else {
        total as f64 / detected as f64
    }
}

/// F1 of precision and recall, divided by log2(1 + granularity).
pub fn plagdet(recall: f64, precision: f64, granularity: f64) -> f64 {
    if recall + precision == 0.0 || granularity < 1.0 {
        return 0.0;
    }
    (2.0 * recall * precision / (recall + precision)) / (1.0 + granularity).log2()
}

/// The four measures together.
#[derive(Debug, Clone, Copy)]
pub struct Scores {
    /// plagdet.
    pub plagdet: f64,
    /// Macro precision.
    pub precision: f64,
    /// Macro recall.
    pub recall: f64,
    /// Granularity.
    pub granularity: f64,
}

/// Scores `detections` against `cases`.
pub fn score(cases: &[Annotation], detections: &[Annotation]) -> Scores {
    let recall = macro_recall(cases, detections);
    let precision = macro_precision(cases, detections);
    let granularity = granularity(cases, detections);
    Scores { plagdet: plagdet(recall, precision, granularity), precision, recall, granularity }
}

/// One pair of the corpus with its gold cases.
#[derive(Debug, Clone)]
pub struct Pair {
    /// Obfuscation folder, e.g. `03-random-obfuscation`.
    pub kind: String,
    /// Suspicious document file name.
    pub susp: String,
    /// Source document file name.
    pub src: String,
    /// Gold cases of this pair.
    pub cases: Vec<Annotation>,
}

/// The corpus: pairs and the directory holding `src/` and `susp/`.
pub struct Corpus {
    /// Root directory of the unpacked corpus.
    pub root: PathBuf,
    /// Every pair, in folder then file order.
    pub pairs: Vec<Pair>,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let pat = format!("{name}=\"");
    let at = tag.find(&pat)? + pat.len();
    let end = tag[at..].find('"')? + at;
    Some(tag[at..end].to_string())
}

/// Finds the unpacked corpus under `dir`, unpacking the tarball found there
/// into `cache` first if needed (with the system `tar`).
pub fn locate(dir: &Path, cache: &Path) -> Result<PathBuf, String> {
    let find_root = |base: &Path| -> Option<PathBuf> {
        if base.join("src").is_dir() && base.join("susp").is_dir() {
            return Some(base.to_path_buf());
        }
        std::fs::read_dir(base)
            .ok()?
            .flatten()
            .map(|e| e.path())
            .find(|p| p.join("src").is_dir() && p.join("susp").is_dir())
    };
    if let Some(r) = find_root(dir) {
        return Ok(r);
    }
    if let Some(r) = find_root(cache) {
        return Ok(r);
    }
    let tarball = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e} (pass the folder holding the PAN 2013 corpus or its .tar.gz)", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with(".tar.gz"))
        .ok_or_else(|| format!("{}: no PAN corpus folder or .tar.gz here", dir.display()))?;
    std::fs::create_dir_all(cache).map_err(|e| format!("{}: {e}", cache.display()))?;
    let status = std::process::Command::new("tar")
        .arg("xzf")
        .arg(&tarball)
        .arg("-C")
        .arg(cache)
        .status()
        .map_err(|e| format!("running tar: {e}"))?;
    if !status.success() {
        return Err(format!("tar failed on {}", tarball.display()));
    }
    find_root(cache).ok_or_else(|| format!("{}: unpacked, but no src/ and susp/ inside", cache.display()))
}

/// Reads the pairs and gold cases of every obfuscation folder.
pub fn load(root: &Path) -> Result<Corpus, String> {
    let mut kinds: Vec<String> = std::fs::read_dir(root)
        .map_err(|e| format!("{}: {e}", root.display()))?
        .flatten()
        .filter(|e| e.path().join("pairs").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    kinds.sort();
    let mut pairs = Vec::new();
    for kind in kinds {
        let listing =
            std::fs::read_to_string(root.join(&kind).join("pairs")).map_err(|e| format!("{kind}/pairs: {e}"))?;
        for line in listing.lines() {
            let mut it = line.split_whitespace();
            let (Some(susp), Some(src)) = (it.next(), it.next()) else { continue };
            let xml_name = format!("{}-{}.xml", susp.trim_end_matches(".txt"), src.trim_end_matches(".txt"));
            let xml = std::fs::read_to_string(root.join(&kind).join(&xml_name)).unwrap_or_default();
            let cases = xml
                .split("<feature")
                .skip(1)
                .filter(|t| attr(t, "name").as_deref() == Some("plagiarism"))
                .filter_map(|t| {
                    Some(Annotation {
                        susp: susp.to_string(),
                        this_offset: attr(t, "this_offset")?.parse().ok()?,
                        this_length: attr(t, "this_length")?.parse().ok()?,
                        src: src.to_string(),
                        source_offset: attr(t, "source_offset")?.parse().ok()?,
                        source_length: attr(t, "source_length")?.parse().ok()?,
                    })
                })
                .collect();
            pairs.push(Pair { kind: kind.clone(), susp: susp.to_string(), src: src.to_string(), cases });
        }
    }
    Ok(Corpus { root: root.to_path_buf(), pairs })
}

/// Converts a byte range of `text` to a (char offset, char length) pair.
pub fn char_span(text: &str, bytes: std::ops::Range<usize>) -> (usize, usize) {
    let off = text[..bytes.start].chars().count();
    let len = text[bytes].chars().count();
    (off, len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ann(t: &str, to: usize, tl: usize, s: &str, so: usize, sl: usize) -> Annotation {
        Annotation {
            susp: t.into(),
            this_offset: to,
            this_length: tl,
            src: s.into(),
            source_offset: so,
            source_length: sl,
        }
    }

    /// The unit tests of the official PAN measures script.
    #[test]
    fn matches_the_official_examples() {
        let a1 = ann("t1", 0, 100, "s1", 0, 100);
        let a3 = ann("t1", 100, 100, "s1", 100, 100);
        let a4 = ann("t1", 0, 200, "s1", 0, 200);
        let a7 = ann("t2", 0, 100, "s2", 0, 100);
        let a9 = ann("t2", 50, 100, "s2", 50, 100);
        let a10 = ann("t2", 25, 75, "s2", 25, 75);
        assert_eq!(macro_recall(std::slice::from_ref(&a1), std::slice::from_ref(&a1)), 1.0);
        assert_eq!(macro_recall(&[a1.clone(), a7.clone()], std::slice::from_ref(&a1)), 0.5);
        assert_eq!(macro_recall(std::slice::from_ref(&a1), std::slice::from_ref(&a7)), 0.0);
        assert_eq!(macro_recall(std::slice::from_ref(&a1), std::slice::from_ref(&a3)), 0.0);
        assert_eq!(macro_recall(std::slice::from_ref(&a1), std::slice::from_ref(&a4)), 1.0);
        assert_eq!(macro_recall(std::slice::from_ref(&a7), std::slice::from_ref(&a9)), 0.5);
        assert_eq!(macro_recall(std::slice::from_ref(&a7), std::slice::from_ref(&a10)), 0.75);
        assert_eq!(macro_precision(std::slice::from_ref(&a1), std::slice::from_ref(&a4)), 0.5);
        assert_eq!(granularity(std::slice::from_ref(&a4), &[a1.clone(), a3.clone()]), 2.0);
        assert!((plagdet(1.0, 1.0, 1.0) - 1.0).abs() < 1e-12);
        assert!((plagdet(1.0, 1.0, 2.0) - 1.0 / 3f64.log2()).abs() < 1e-12);
    }
}
