//! A small `multipart/form-data` parser for the pages' forms (a pasted
//! text, an uploaded file, a document carried from one page to the next).
//!
//! The body is already in memory and bounded by the server's body limit, so
//! a buffer-splitting parser of a few dozen lines does the job of a
//! streaming crate (and its dependencies). It reads what browsers send:
//! `--boundary` delimiters, CRLF line ends, a `Content-Disposition:
//! form-data; name="…"; filename="…"` header per part.

/// One field of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The field name.
    pub name: String,
    /// The file name, for a file field (as the browser gives it; a label,
    /// never a path to open).
    pub filename: Option<String>,
    /// The content.
    pub data: Vec<u8>,
}

/// Fields accepted in one form; more is refused (a form of ours has a few).
pub const MAX_PARTS: usize = 32;

/// The boundary of a `multipart/form-data` content type.
pub fn boundary(content_type: &str) -> Option<String> {
    let mut it = content_type.split(';');
    if !it.next()?.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    it.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("boundary").then(|| v.trim().trim_matches('"').to_string())
    })
    .filter(|b| !b.is_empty() && b.len() <= 200)
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let first = *needle.first()?;
    let mut i = from;
    while i + needle.len() <= hay.len() {
        let j = i + hay.get(i..)?.iter().position(|&b| b == first)?;
        if hay.get(j..j + needle.len())? == needle {
            return Some(j);
        }
        i = j + 1;
    }
    None
}

/// A parameter (`name="value"`) of a Content-Disposition header.
fn param(header: &str, key: &str) -> Option<String> {
    header.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case(key).then(|| {
            let v = v.trim();
            v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(v).replace("\\\"", "\"")
        })
    })
}

/// Splits a body into its parts. Errors are one line.
pub fn parse(content_type: &str, body: &[u8]) -> Result<Vec<Part>, String> {
    let b = boundary(content_type).ok_or("expected a multipart/form-data body with a boundary")?;
    let delim = format!("--{b}").into_bytes();
    let next_delim = format!("\r\n--{b}").into_bytes();
    let mut pos = find(body, &delim, 0).ok_or("the form body has no part")? + delim.len();
    let mut parts = Vec::new();
    loop {
        if body.get(pos..pos + 2) == Some(b"--") {
            return Ok(parts);
        }
        if body.get(pos..pos + 2) != Some(b"\r\n") {
            return Err("malformed form body (a boundary is not followed by a line end)".into());
        }
        pos += 2;
        let head_end = find(body, b"\r\n\r\n", pos).ok_or("malformed form body (part headers not ended)")?;
        let head = String::from_utf8_lossy(body.get(pos..head_end).unwrap_or_default());
        let data_start = head_end + 4;
        let data_end = find(body, &next_delim, data_start).ok_or("malformed form body (no closing boundary)")?;
        let disposition = head
            .split("\r\n")
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))
            .ok_or("malformed form body (a part has no Content-Disposition)")?;
        let name = param(disposition, "name").ok_or("malformed form body (a part has no name)")?;
        if parts.len() == MAX_PARTS {
            return Err(format!("too many form fields (more than {MAX_PARTS})"));
        }
        parts.push(Part {
            name,
            filename: param(disposition, "filename"),
            data: body.get(data_start..data_end).unwrap_or_default().to_vec(),
        });
        pos = data_end + next_delim.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_a_browser_sends() {
        let body = b"preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nBonjour\r\n\r\n--\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".html\"\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n--XyZ--\r\n";
        let parts = parse("multipart/form-data; boundary=XyZ", body).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "text");
        assert_eq!(parts[0].data, b"Bonjour\r\n\r\n--");
        assert_eq!(parts[1].filename.as_deref(), Some("a \"b\".html"));
        assert_eq!(parts[1].data, b"<p>x</p>");
    }

    #[test]
    fn malformed_bodies_are_errors_not_panics() {
        let ct = "multipart/form-data; boundary=\"q\"";
        for body in [
            &b""[..],
            b"--q",
            b"--qX",
            b"--q\r\nno headers end",
            b"--q\r\nContent-Disposition: form-data\r\n\r\nx\r\n--q--",
            b"--q\r\nContent-Disposition: form-data; name=a\r\n\r\nunterminated",
        ] {
            assert!(parse(ct, body).is_err(), "{:?}", String::from_utf8_lossy(body));
        }
        assert!(parse("application/json", b"{}").is_err());
        assert_eq!(boundary("multipart/form-data; charset=utf-8; boundary=abc").as_deref(), Some("abc"));
        let many: String =
            (0..40).map(|i| format!("--q\r\nContent-Disposition: form-data; name=f{i}\r\n\r\nx\r\n")).collect();
        assert!(parse(ct, format!("{many}--q--").as_bytes()).unwrap_err().contains("too many"));
    }
}
