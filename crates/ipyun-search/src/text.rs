//! Text helpers shared by the tokenizers, the query parser, the highlighter and the aggregations.

/// Joins the parts of a field (title, abstract, each claim; each applicant) in the exact-substring
/// field. Control characters never take part in a match: the n-gram tokenizer leaves a gap there.
pub(crate) const SEPARATOR: char = '\u{1f}';

/// Whether the character separates matchable text (control characters, including [`SEPARATOR`]).
pub(crate) fn is_separator(c: char) -> bool {
    c.is_control()
}

/// The normal form every matching works on: ASCII letters lower-cased, everything else as is.
/// It keeps byte offsets, so a match in the normal form is a match at the same place in the text.
pub fn normalize(text: &str) -> String {
    text.to_ascii_lowercase()
}

/// FNV-1a, 64 bits: a stable hash (across processes and versions) that identifies an applicant in
/// the aggregation columns.
pub(crate) fn fnv1a(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The identity of an applicant name in the `applicant_id` column.
pub(crate) fn applicant_id(name: &str) -> u64 {
    fnv1a(name.trim())
}

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attribute values.
pub(crate) fn escape_html_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
}

/// A `BuildHasher` for keys that are already well-spread integers (applicant ids, pairs, codes).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct MixState;

impl std::hash::BuildHasher for MixState {
    type Hasher = MixHasher;
    fn build_hasher(&self) -> MixHasher {
        MixHasher(0)
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct MixHasher(u64);

impl MixHasher {
    fn mix(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

impl std::hash::Hasher for MixHasher {
    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 29)
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(word));
        }
    }
    fn write_u8(&mut self, value: u8) {
        self.mix(u64::from(value));
    }
    fn write_u16(&mut self, value: u16) {
        self.mix(u64::from(value));
    }
    fn write_u32(&mut self, value: u32) {
        self.mix(u64::from(value));
    }
    fn write_u64(&mut self, value: u64) {
        self.mix(value);
    }
    fn write_usize(&mut self, value: usize) {
        self.mix(value as u64);
    }
}

pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, MixState>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_form_keeps_byte_offsets() {
        let text = "Li电池ABC";
        assert_eq!(normalize(text).len(), text.len());
        assert_eq!(normalize(text), "li电池abc");
    }

    #[test]
    fn escapes_html() {
        let mut out = String::new();
        escape_html_into("<a href=\"x\">&'", &mut out);
        assert_eq!(out, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }

    #[test]
    fn fnv_is_stable() {
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
