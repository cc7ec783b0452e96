//! Glob patterns on relative paths, as in `.gitignore` files: a pattern
//! without `/` matches a name at any depth, one with `/` the whole path.
//!
//! Written here rather than taken from a crate because the needs are small
//! (a few patterns against short paths) and the semantics are ours to fix:
//! `*` and `?` stay inside one path segment, `**` spans segments, `**/`
//! also matches no segment at all, `[a-z]`/`[!a-z]` are classes, `{a,b}`
//! alternatives, `\` escapes, and a trailing `/` matches folders only.

/// One compiled glob pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    source: String,
    /// Brace alternatives, each a token sequence.
    alternatives: Vec<Vec<Tok>>,
    /// The pattern has no `/`: it matches the last path segment.
    name_only: bool,
    /// The pattern ends with `/`: it matches folders only.
    dir_only: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Lit(char),
    /// `?`: one character other than `/`.
    One,
    /// `*`: any run of characters other than `/`.
    Star,
    /// `**` not followed by `/`: any run of characters.
    AnySeq,
    /// `**/` at a segment start: nothing, or whole segments.
    Dirs,
    /// `[…]`: one character (not `/`) in (or, negated, not in) the ranges.
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

impl Glob {
    /// Compiles a pattern; the error says what is wrong with it.
    pub fn new(pattern: &str) -> Result<Glob, String> {
        let mut p = pattern.trim();
        while let Some(rest) = p.strip_prefix("./") {
            p = rest;
        }
        let p = p.trim_start_matches('/');
        let dir_only = p.ends_with('/') && !p.ends_with("\\/");
        let p = if dir_only { p.trim_end_matches('/') } else { p };
        if p.is_empty() {
            return Err("empty pattern; give a glob such as *.html or 2016/**".into());
        }
        let name_only = !p.contains('/');
        let alternatives = expand_braces(p)?.iter().map(|alt| tokenize(alt)).collect::<Result<Vec<_>, _>>()?;
        Ok(Glob { source: pattern.to_string(), alternatives, name_only, dir_only })
    }

    /// The pattern as given.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the pattern matches a path relative to the walked folder
    /// (`/`-separated), which is a folder when `is_dir`.
    pub fn matches(&self, rel_path: &str, is_dir: bool) -> bool {
        if self.dir_only && !is_dir {
            return false;
        }
        let target = if self.name_only { rel_path.rsplit('/').next().unwrap_or(rel_path) } else { rel_path };
        let chars: Vec<char> = target.chars().collect();
        self.alternatives.iter().any(|toks| match_tokens(toks, &chars))
    }
}

/// Expands `{a,b}` alternatives (nested ones too) into plain patterns.
fn expand_braces(p: &str) -> Result<Vec<String>, String> {
    let chars: Vec<char> = p.chars().collect();
    // Find the first top-level `{` and its matching `}`, skipping escapes.
    let mut open = None;
    let mut depth = 0;
    let mut commas = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '{' => {
                if depth == 0 {
                    open = Some(i);
                }
                depth += 1;
            }
            ',' if depth == 1 => commas.push(i),
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    let start = open.unwrap_or(0);
                    let prefix: String = chars[..start].iter().collect();
                    let suffix: String = chars[i + 1..].iter().collect();
                    let mut bounds = vec![start];
                    bounds.extend(&commas);
                    bounds.push(i);
                    let mut out = Vec::new();
                    for w in bounds.windows(2) {
                        let middle: String = chars[w[0] + 1..w[1]].iter().collect();
                        for tail in expand_braces(&format!("{middle}{suffix}"))? {
                            out.push(format!("{prefix}{tail}"));
                        }
                    }
                    return Ok(out);
                }
            }
            _ => {}
        }
        i += 1;
    }
    if depth > 0 {
        return Err("unclosed '{'; close it, or write \\{ for a literal brace".into());
    }
    Ok(vec![p.to_string()])
}

fn tokenize(p: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = p.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '\\' => {
                let Some(&next) = chars.get(i) else {
                    return Err("ends with a lone '\\'; write \\\\ for a literal backslash".into());
                };
                toks.push(Tok::Lit(next));
                i += 1;
            }
            '?' => toks.push(Tok::One),
            '*' => {
                if chars.get(i) == Some(&'*') {
                    let first_star = i - 1;
                    while chars.get(i) == Some(&'*') {
                        i += 1;
                    }
                    let at_segment_start = first_star == 0 || chars[first_star - 1] == '/';
                    if at_segment_start && chars.get(i) == Some(&'/') {
                        i += 1;
                        toks.push(Tok::Dirs);
                    } else {
                        toks.push(Tok::AnySeq);
                    }
                } else {
                    toks.push(Tok::Star);
                }
            }
            '[' => {
                let mut negated = false;
                if matches!(chars.get(i), Some('!' | '^')) {
                    negated = true;
                    i += 1;
                }
                let mut ranges = Vec::new();
                let mut first = true;
                loop {
                    let Some(&c) = chars.get(i) else {
                        return Err("unclosed '['; close it, or write \\[ for a literal bracket".into());
                    };
                    i += 1;
                    if c == ']' && !first {
                        break;
                    }
                    first = false;
                    let c = if c == '\\' {
                        let Some(&e) = chars.get(i) else {
                            return Err("unclosed '['; close it, or write \\[ for a literal bracket".into());
                        };
                        i += 1;
                        e
                    } else {
                        c
                    };
                    if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|&n| n != ']') {
                        let hi = chars[i + 1];
                        i += 2;
                        ranges.push((c, hi));
                    } else {
                        ranges.push((c, c));
                    }
                }
                toks.push(Tok::Class { negated, ranges });
            }
            c => toks.push(Tok::Lit(c)),
        }
    }
    Ok(toks)
}

/// Whether the tokens match all of `s`: dynamic programming over (token,
/// position), so the time is bounded by their product whatever the stars.
fn match_tokens(toks: &[Tok], s: &[char]) -> bool {
    let n = s.len();
    // `next[j]`: whether toks[i + 1..] match s[j..]; `cur[j]`: toks[i..].
    let mut next = vec![false; n + 1];
    next[n] = true;
    let mut cur = vec![false; n + 1];
    for tok in toks.iter().rev() {
        // For `Dirs`: whether some k > j with s[k - 1] == '/' has next[k].
        let mut after_slash = false;
        for j in (0..=n).rev() {
            let here = s.get(j).copied();
            cur[j] = match tok {
                Tok::Lit(c) => here == Some(*c) && next[j + 1],
                Tok::One => here.is_some_and(|h| h != '/') && next[j + 1],
                Tok::Class { negated, ranges } => {
                    here.is_some_and(|h| h != '/' && ranges.iter().any(|&(lo, hi)| lo <= h && h <= hi) != *negated)
                        && next[j + 1]
                }
                Tok::Star => next[j] || (here.is_some_and(|h| h != '/') && cur[j + 1]),
                Tok::AnySeq => next[j] || (here.is_some() && cur[j + 1]),
                Tok::Dirs => {
                    if here == Some('/') && next[j + 1] {
                        after_slash = true;
                    }
                    next[j] || after_slash
                }
            };
        }
        std::mem::swap(&mut cur, &mut next);
    }
    next[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, path: &str) -> bool {
        Glob::new(p).unwrap().matches(path, false)
    }

    #[test]
    fn names_paths_and_double_stars() {
        assert!(m("*.html", "a/b/page.html"));
        assert!(!m("*.html", "a/page.htm"));
        assert!(m("*.{html,htm}", "a/page.htm"));
        assert!(m("2016/*.txt", "2016/a.txt"));
        assert!(!m("2016/*.txt", "2016/x/a.txt"));
        assert!(m("2016/**/*.txt", "2016/a.txt"));
        assert!(m("2016/**/*.txt", "2016/x/y/a.txt"));
        assert!(m("**/draft?.md", "draft1.md"));
        assert!(m("2016/**", "2016/x/y"));
        assert!(m("a/**b", "a/x/b"));
        // Without a `/`, the pattern is about the name alone.
        assert!(!m("a**b", "a/x/b"));
        assert!(m("[!._]*", "page.html"));
        assert!(!m("[!._]*", "_index.html"));
        assert!(m("report[0-9].txt", "x/report7.txt"));
        assert!(m("\\*literal", "*literal"));
        assert!(!m("\\*literal", "xliteral"));
    }

    #[test]
    fn folder_only_patterns() {
        let g = Glob::new("drafts/").unwrap();
        assert!(g.matches("a/drafts", true));
        assert!(!g.matches("a/drafts", false));
    }

    #[test]
    fn malformed_patterns_say_why() {
        assert!(Glob::new("[abc").unwrap_err().contains("unclosed '['"));
        assert!(Glob::new("{a,b").unwrap_err().contains("unclosed '{'"));
        assert!(Glob::new("/").unwrap_err().contains("empty pattern"));
    }

    #[test]
    fn many_stars_stay_fast() {
        let p = "*a*a*a*a*a*a*a*a*a*a*a*a*b";
        let path = "a".repeat(200);
        assert!(!m(p, &path));
    }
}
