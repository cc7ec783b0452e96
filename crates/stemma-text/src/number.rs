//! Numbers as comparable values.
//!
//! Numbers are evidence: "283 000", "283'000", "283,000" and "283.000" must be
//! the same number, and "1,5" and "1.5" likewise, depending on the language's
//! decimal separator. A number is scanned from the original text and reduced
//! to a canonical decimal string (no thousands separators, `.` as decimal
//! point, no leading or trailing zeros) that can be compared and hashed.

/// Which separator a language uses for decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalStyle {
    /// `1,5` is one and a half, `1.500` is fifteen hundred (French, German, …).
    Comma,
    /// `1.5` is one and a half, `1,500` is fifteen hundred (English).
    Point,
    /// Unknown language: a separator followed by exactly three digits is read
    /// as a thousands separator, anything else as a decimal separator.
    Either,
}

/// A number scanned from text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedNumber {
    /// Byte offset just past the number in the scanned text.
    pub end: usize,
    /// Canonical value: digits, optionally `.` and a fraction, e.g. `283000` or `1.5`.
    /// Irregular digit groups (dates such as `10.06.2016`, versions) keep
    /// their groups joined by `.` so that they still compare equal to
    /// themselves.
    pub canonical: String,
}

impl ScannedNumber {
    /// The value as a float, when the canonical form is a plain decimal.
    pub fn value(&self) -> Option<f64> {
        if self.canonical.bytes().filter(|&b| b == b'.').count() > 1 {
            return None;
        }
        self.canonical.parse().ok()
    }
}

fn is_space_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{00A0}' | '\u{202F}' | '\u{2009}' | '\u{2007}')
}

fn is_apostrophe_separator(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sep {
    Comma,
    Point,
    /// Space or apostrophe: only ever a thousands separator.
    Group,
}

/// Scans a number starting at byte `start` of `text`, which must be an ASCII
/// digit. Returns `None` when `start` is not at a digit.
pub fn scan_number(text: &str, start: usize, style: DecimalStyle) -> Option<ScannedNumber> {
    let bytes = text.as_bytes();
    if !bytes.get(start).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let digits_from = |at: usize| -> usize {
        let mut e = at;
        while e < bytes.len() && bytes[e].is_ascii_digit() {
            e += 1;
        }
        e
    };
    let mut groups: Vec<(usize, usize)> = Vec::with_capacity(4);
    let mut seps: Vec<Sep> = Vec::with_capacity(3);
    let mut end = digits_from(start);
    groups.push((start, end));
    while let Some(c) = text[end..].chars().next() {
        let after = end + c.len_utf8();
        let sep = if c == ',' {
            Sep::Comma
        } else if c == '.' {
            Sep::Point
        } else if is_space_separator(c) || is_apostrophe_separator(c) {
            Sep::Group
        } else {
            break;
        };
        let group_end = digits_from(after);
        let len = group_end - after;
        if len == 0 {
            break;
        }
        if sep == Sep::Group {
            // "2014 244" is two numbers; "283 000" is one.
            let first_len = groups[0].1 - groups[0].0;
            let all_three = groups[1..].iter().all(|g| g.1 - g.0 == 3);
            if len != 3 || first_len > 3 || !all_three || seps.iter().any(|s| *s != Sep::Group) {
                break;
            }
        }
        seps.push(sep);
        groups.push((after, group_end));
        end = group_end;
    }
    let group_len = |i: usize| groups[i].1 - groups[i].0;
    // Which separator (if any) is the decimal one.
    let decimal_at: Option<usize> = if seps.is_empty() {
        None
    } else {
        let last = seps.len() - 1;
        let last_sep = seps[last];
        let distinct_before = seps[..last].iter().any(|s| *s != last_sep);
        let same_count = seps.iter().filter(|s| **s == last_sep).count();
        if last_sep == Sep::Group {
            None
        } else if distinct_before || group_len(last + 1) != 3 {
            Some(last)
        } else if same_count > 1 {
            None
        } else {
            match (style, last_sep) {
                (DecimalStyle::Comma, Sep::Comma) | (DecimalStyle::Point, Sep::Point) => Some(last),
                _ => None,
            }
        }
    };
    let thousands_ok = (0..seps.len()).filter(|&i| Some(i) != decimal_at).all(|i| group_len(i + 1) == 3)
        && (seps.len() == usize::from(decimal_at.is_some()) || group_len(0) <= 3)
        && decimal_at.is_none_or(|d| d == seps.len() - 1);
    let mut canonical = String::with_capacity(end - start);
    if !thousands_ok {
        for (i, g) in groups.iter().enumerate() {
            if i > 0 {
                canonical.push('.');
            }
            canonical.push_str(&text[g.0..g.1]);
        }
        return Some(ScannedNumber { end, canonical });
    }
    let int_groups = decimal_at.map_or(groups.len(), |d| d + 1);
    for g in &groups[..int_groups] {
        canonical.push_str(&text[g.0..g.1]);
    }
    let trimmed = canonical.trim_start_matches('0');
    let mut canonical = if trimmed.is_empty() { "0".to_string() } else { trimmed.to_string() };
    if let Some(d) = decimal_at {
        let frac = &text[groups[d + 1].0..groups[d + 1].1];
        let frac = frac.trim_end_matches('0');
        if !frac.is_empty() {
            canonical.push('.');
            canonical.push_str(frac);
        }
    }
    Some(ScannedNumber { end, canonical })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str, style: DecimalStyle) -> (String, &str) {
        let n = scan_number(s, 0, style).unwrap();
        (n.canonical, &s[n.end..])
    }

    #[test]
    fn thousands_separators_agree() {
        for s in ["283 000", "283'000", "283’000", "283\u{202F}000", "283\u{A0}000", "283000"] {
            assert_eq!(canon(s, DecimalStyle::Comma).0, "283000", "{s}");
        }
        assert_eq!(canon("283,000", DecimalStyle::Point).0, "283000");
        assert_eq!(canon("283.000", DecimalStyle::Comma).0, "283000");
        assert_eq!(canon("1,234,567.5", DecimalStyle::Comma).0, "1234567.5");
        assert_eq!(canon("1.234.567,50", DecimalStyle::Point).0, "1234567.5");
    }

    #[test]
    fn decimals_follow_the_language() {
        assert_eq!(canon("1,5", DecimalStyle::Comma).0, "1.5");
        assert_eq!(canon("1.5", DecimalStyle::Point).0, "1.5");
        assert_eq!(canon("1,5", DecimalStyle::Either).0, "1.5");
        assert_eq!(canon("1,500", DecimalStyle::Comma).0, "1.5");
        assert_eq!(canon("1,500", DecimalStyle::Point).0, "1500");
        assert_eq!(canon("1,500", DecimalStyle::Either).0, "1500");
    }

    #[test]
    fn stops_where_the_number_stops() {
        assert_eq!(canon("2014 244 personnes", DecimalStyle::Comma), ("2014".into(), " 244 personnes"));
        assert_eq!(canon("244 personnes", DecimalStyle::Comma), ("244".into(), " personnes"));
        assert_eq!(canon("12. Next", DecimalStyle::Point), ("12".into(), ". Next"));
        assert_eq!(canon("10 000 et 5", DecimalStyle::Comma), ("10000".into(), " et 5"));
        assert_eq!(canon("007", DecimalStyle::Comma).0, "7");
    }

    #[test]
    fn irregular_groups_stay_comparable() {
        assert_eq!(canon("10.06.2016", DecimalStyle::Comma).0, "10.06.2016");
        assert!(scan_number("10.06.2016", 0, DecimalStyle::Comma).unwrap().value().is_none());
        assert_eq!(scan_number("2,5", 0, DecimalStyle::Comma).unwrap().value(), Some(2.5));
    }
}
