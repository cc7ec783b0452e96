//! Publication dates as day numbers, for delays and copy direction.
//!
//! Collections write dates many ways: ISO 8601 (`2019-01-08`,
//! `2019-01-08T10:00:00Z`), day first as in Europe (`8-1-2019`,
//! `08/01/2019`), year first with slashes (`2019/01/08`). Anything else is
//! treated as no date rather than guessed.

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn valid(y: i64, m: u32, d: u32) -> bool {
    (1000..=9999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)
}

/// The day number of a date string, or `None` when it is not a date in a
/// known form.
pub fn parse_days(s: &str) -> Option<i64> {
    let s = s.trim();
    let head: &str = s.split(['T', ' ']).next().unwrap_or(s);
    let parts: Vec<&str> = head.split(['-', '/', '.']).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let nums: Vec<i64> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    if nums.len() != 3 {
        return None;
    }
    let (y, m, d) = if parts[0].len() == 4 { (nums[0], nums[1], nums[2]) } else { (nums[2], nums[1], nums[0]) };
    let (m, d) = (u32::try_from(m).ok()?, u32::try_from(d).ok()?);
    valid(y, m, d).then(|| days_from_civil(y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_forms() {
        let d = parse_days("2019-01-08").unwrap();
        assert_eq!(parse_days("8-1-2019"), Some(d));
        assert_eq!(parse_days("08/01/2019"), Some(d));
        assert_eq!(parse_days("2019/01/08"), Some(d));
        assert_eq!(parse_days("2019-01-08T23:59:00Z"), Some(d));
        assert_eq!(parse_days("2019-01-09").unwrap() - d, 1);
        assert_eq!(parse_days("1970-01-01"), Some(0));
        assert_eq!(parse_days("hier"), None);
        assert_eq!(parse_days("2019-13-01"), None);
    }
}
