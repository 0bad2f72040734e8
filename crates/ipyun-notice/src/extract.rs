//! Reading a signed notice back from its JSON file or from a PDF made by `render_pdf`.

use crate::error::NoticeError;
use crate::signing::SignedNotice;

/// Reads the signed notice from a file's bytes: the JSON of [`SignedNotice::to_json`] (a UTF-8
/// byte-order mark and surrounding whitespace are allowed) or a PDF made by
/// [`crate::render_pdf`], from its `notice.json` attachment. Does not verify: call
/// [`SignedNotice::verify`]. Any other input — empty, truncated, random, another PDF — gives
/// [`NoticeError::Malformed`].
pub fn extract_signed_notice(file_bytes: &[u8]) -> Result<SignedNotice, NoticeError> {
    let bytes = file_bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(file_bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
    let Some(start) = start else {
        return Err(NoticeError::Malformed("the file is empty".into()));
    };
    let bytes = &bytes[start..];
    let json = if bytes.starts_with(b"%PDF-") {
        pdf_attachment(bytes)?
    } else if bytes.starts_with(b"{") {
        bytes
    } else {
        return Err(NoticeError::Malformed(
            "neither a signed notice (JSON) nor a notice PDF".into(),
        ));
    };
    let text = std::str::from_utf8(json)
        .map_err(|_| NoticeError::Malformed("the notice is not valid UTF-8".into()))?;
    SignedNotice::from_json(text)
}

/// The bytes of the embedded-file stream the notice writer puts in its PDFs. Written
/// uncompressed, so the stream's data is the JSON itself; `/Length` says how long.
fn pdf_attachment(pdf: &[u8]) -> Result<&[u8], NoticeError> {
    let missing = || NoticeError::Malformed("the PDF carries no signed notice".into());
    let mut from = 0;
    while let Some(found) = find(&pdf[from..], b"/Type /EmbeddedFile") {
        let marker = from + found;
        from = marker + 1;
        // The stream dictionary runs from the `<<` before the marker to `>>` + `stream`.
        let Some(dict_start) = rfind(&pdf[..marker], b"<<") else {
            continue;
        };
        let Some(rel_end) = find(&pdf[marker..], b"stream") else {
            break;
        };
        let dict = &pdf[dict_start..marker + rel_end];
        if find(dict, b"/Filter").is_some() {
            return Err(NoticeError::Malformed(
                "the PDF's notice attachment is compressed; this is not a notice PDF as issued"
                    .into(),
            ));
        }
        let Some(length) = length_of(dict) else {
            continue;
        };
        let mut data_start = marker + rel_end + b"stream".len();
        if pdf.get(data_start) == Some(&b'\r') {
            data_start += 1;
        }
        if pdf.get(data_start) != Some(&b'\n') {
            continue;
        }
        data_start += 1;
        let data = data_start
            .checked_add(length)
            .and_then(|end| pdf.get(data_start..end))
            .ok_or_else(|| NoticeError::Malformed("the PDF is truncated".into()))?;
        return Ok(data);
    }
    Err(missing())
}

/// The integer after `/Length` in a dictionary.
fn length_of(dict: &[u8]) -> Option<usize> {
    let at = find(dict, b"/Length")? + b"/Length".len();
    let rest = &dict[at..];
    let digits_start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
    let digits: &[u8] = &rest[digits_start..];
    let len = digits.iter().take_while(|b| b.is_ascii_digit()).count();
    if len == 0 || len > 12 {
        return None;
    }
    std::str::from_utf8(&digits[..len]).ok()?.parse().ok()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_stream_by_its_length() {
        let pdf = b"%PDF-1.7\n1 0 obj\n<<\n  /Length 4\n  /Type /EmbeddedFile\n>>\nstream\n{ab}\nendstream";
        assert_eq!(pdf_attachment(pdf).unwrap(), b"{ab}");
        let short = &pdf[..pdf.len() - 13];
        assert!(pdf_attachment(short).is_err());
        let huge = b"%PDF-1.7 << /Length 99999999999999999999 /Type /EmbeddedFile >>\nstream\n{";
        assert!(pdf_attachment(huge).is_err());
        let no_newline = b"%PDF-1.7 << /Length 1 /Type /EmbeddedFile >>stream";
        assert!(pdf_attachment(no_newline).is_err());
        assert!(pdf_attachment(b"%PDF-1.7 /Type /EmbeddedFile").is_err());
    }

    #[test]
    fn length_parsing() {
        assert_eq!(length_of(b"<< /Length 12 /Type"), Some(12));
        assert_eq!(length_of(b"<< /Length\n  7\n"), Some(7));
        assert_eq!(length_of(b"<< /Length /x"), None);
    }
}
