//! Compact codes of the classification values kept in fast columns, and the hierarchical terms
//! the `ipc:` and `region:` filters look up.

use ipyun_domain::id::{IpcSymbol, RegionCode};

/// A subclass as a number below 20,800: section (0–7) × 2600 + class (0–99) × 26 + letter (0–25).
pub(crate) fn subclass_code(symbol: &IpcSymbol) -> Option<u64> {
    let bytes = symbol.subclass().as_bytes();
    let [section, tens, units, letter] = *bytes else {
        return None;
    };
    if !(b'A'..=b'H').contains(&section)
        || !tens.is_ascii_digit()
        || !units.is_ascii_digit()
        || !letter.is_ascii_uppercase()
    {
        return None;
    }
    let class = u64::from(tens - b'0') * 10 + u64::from(units - b'0');
    Some(u64::from(section - b'A') * 2600 + class * 26 + u64::from(letter - b'A'))
}

/// `H01M` for a subclass code.
pub(crate) fn subclass_name(code: u64) -> String {
    let section = char::from(b'A' + (code / 2600 % 8) as u8);
    let class = code % 2600 / 26;
    let letter = char::from(b'A' + (code % 26) as u8);
    format!("{section}{class:02}{letter}")
}

/// The subclass codes of the same class share `code / 26`; of the same section `code / 2600`.
pub(crate) fn class_name(code: u64) -> String {
    let mut name = subclass_name(code);
    name.pop();
    name
}

pub(crate) fn section_name(code: u64) -> String {
    subclass_name(code).chars().take(1).collect()
}

/// The terms a document's IPC symbol is indexed under: `H`, `H01`, `H01M`, `H01M10`, `H01M10/0525`.
pub(crate) fn ipc_terms(symbol: &IpcSymbol, out: &mut Vec<String>) {
    out.push(symbol.section().to_string());
    out.push(symbol.class().to_owned());
    out.push(symbol.subclass().to_owned());
    if let (Some(main), Some(subgroup)) = (symbol.main_group(), symbol.subgroup()) {
        out.push(format!("{}{main}", symbol.subclass()));
        out.push(format!("{}{main}/{subgroup}", symbol.subclass()));
    }
}

/// The term an `ipc:` filter value looks up, or `None` when it is no IPC prefix: a section (`H`),
/// class (`H01`), subclass (`H01M`), main group (`H01M10`, `H01M 10`, `H01M10/00` is the group
/// symbol itself) or full symbol (`H01M10/0525`, `H01M 10/0525`).
pub(crate) fn ipc_filter_term(raw: &str) -> Option<String> {
    let value: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let bytes = value.as_bytes();
    let section_ok = bytes.first().is_some_and(|b| (b'A'..=b'H').contains(b));
    if !section_ok {
        return None;
    }
    match bytes.len() {
        1 => return Some(value),
        3 if bytes[1..3].iter().all(u8::is_ascii_digit) => return Some(value),
        4 if bytes[1..3].iter().all(u8::is_ascii_digit) && bytes[3].is_ascii_uppercase() => {
            return Some(value);
        }
        _ => {}
    }
    if value.contains('/') {
        let symbol = IpcSymbol::parse(&value).ok()?;
        let main = symbol.main_group()?;
        let subgroup = symbol.subgroup()?;
        return Some(format!("{}{main}/{subgroup}", symbol.subclass()));
    }
    // A main group without its subgroup: subclass + 1 to 4 digits.
    let (subclass, digits) = value.split_at(4.min(value.len()));
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let symbol = IpcSymbol::parse(&format!("{subclass} {digits}/00")).ok()?;
    let main = symbol.main_group()?;
    Some(format!("{}{main}", symbol.subclass()))
}

/// The small classification values of a patent, packed in one fast column so that facets and
/// landscapes read one value per document: year (12 bits), province (7), kind (2), status (5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct FacetKey {
    /// Filing year, 0 when unknown.
    pub year: u64,
    /// First two digits of the region code, 0 when none.
    pub province: u64,
    /// `PatentKind::code`.
    pub kind: u64,
    /// `status_code`.
    pub status: u64,
}

impl FacetKey {
    pub fn pack(self) -> u64 {
        (self.year & 0xfff)
            | (self.province & 0x7f) << 12
            | (self.kind & 0x3) << 19
            | (self.status & 0x1f) << 21
    }

    pub fn unpack(value: u64) -> FacetKey {
        FacetKey {
            year: value & 0xfff,
            province: value >> 12 & 0x7f,
            kind: value >> 19 & 0x3,
            status: value >> 21 & 0x1f,
        }
    }
}

/// The province (first two digits) of a region code, as a number (11–82).
pub(crate) fn province_number(region: &RegionCode) -> Option<u64> {
    region.as_str().get(..2)?.parse().ok()
}

/// The terms a document's region is indexed under: `32`, `3205`, `320506`.
pub(crate) fn region_terms(region: &RegionCode, out: &mut Vec<String>) {
    let code = region.as_str();
    out.push(code[..2].to_owned());
    if &code[2..] != "0000" {
        out.push(code[..4].to_owned());
        if &code[4..] != "00" {
            out.push(code.to_owned());
        }
    }
}

/// Province name for a two-digit number (`32` → `江苏省`).
pub(crate) fn province_name(number: u64) -> Option<&'static str> {
    RegionCode::parse(&format!("{number:02}0000"))
        .ok()
        .map(|code| code.name())
}

/// The term a `region:` filter value looks up: a province (`32`, `320000`, `江苏`), a prefecture
/// (`3205`, `320500`) or a county code (`320506`); `None` when the value names no known region.
pub(crate) fn region_filter_term(raw: &str) -> Option<String> {
    let value = raw.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        let code = match value.len() {
            2 => format!("{value}0000"),
            4 => format!("{value}00"),
            6 => value.to_owned(),
            _ => return None,
        };
        let region = RegionCode::parse(&code).ok()?;
        let mut terms = Vec::new();
        region_terms(&region, &mut terms);
        return terms.pop();
    }
    // A province by (the start of) its name: 江苏, 江苏省, 北京.
    RegionCode::all()
        .filter(|code| code.as_str().ends_with("0000"))
        .find(|code| !value.is_empty() && code.name().starts_with(value))
        .map(|code| code.as_str()[..2].to_owned())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn facet_keys_round_trip() {
        let key = FacetKey {
            year: 2024,
            province: 82,
            kind: 3,
            status: 9,
        };
        assert_eq!(FacetKey::unpack(key.pack()), key);
        assert_eq!(FacetKey::unpack(0), FacetKey::default());
    }

    #[test]
    fn subclass_codes_round_trip() {
        for raw in ["A01B", "H01M 10/0525", "G06N 3/08", "H04L"] {
            let symbol = IpcSymbol::parse(raw).unwrap();
            let code = subclass_code(&symbol).unwrap();
            assert!(code < 20_800);
            assert_eq!(subclass_name(code), symbol.subclass());
            assert_eq!(class_name(code), symbol.class());
            assert_eq!(section_name(code), symbol.section().to_string());
        }
    }

    #[test]
    fn ipc_filter_values() {
        assert_eq!(ipc_filter_term("h01m").as_deref(), Some("H01M"));
        assert_eq!(ipc_filter_term("H01M10").as_deref(), Some("H01M10"));
        assert_eq!(ipc_filter_term("H01M 10").as_deref(), Some("H01M10"));
        assert_eq!(
            ipc_filter_term("H01M10/0525").as_deref(),
            Some("H01M10/0525")
        );
        assert_eq!(ipc_filter_term("H").as_deref(), Some("H"));
        assert_eq!(ipc_filter_term("H01").as_deref(), Some("H01"));
        assert_eq!(ipc_filter_term("Z01M"), None);
        assert_eq!(ipc_filter_term("H01M1x"), None);
        let mut terms = Vec::new();
        ipc_terms(&IpcSymbol::parse("H01M 10/0525").unwrap(), &mut terms);
        assert_eq!(terms, ["H", "H01", "H01M", "H01M10", "H01M10/0525"]);
    }

    #[test]
    fn region_filter_values() {
        assert_eq!(region_filter_term("32").as_deref(), Some("32"));
        assert_eq!(region_filter_term("320000").as_deref(), Some("32"));
        assert_eq!(region_filter_term("320500").as_deref(), Some("3205"));
        assert_eq!(region_filter_term("320506").as_deref(), Some("320506"));
        assert_eq!(region_filter_term("江苏").as_deref(), Some("32"));
        assert_eq!(region_filter_term("99"), None);
        assert_eq!(region_filter_term("3"), None);
        assert_eq!(province_name(32), Some("江苏省"));
    }
}
