//! International Patent Classification symbols (国际专利分类号).
//!
//! A symbol is a subclass (`A61K`: section A–H, 2-digit class, subclass letter) optionally
//! followed by a group: main group 1–9999 and subgroup of at least two digits (`00` for the main
//! group itself), written `A61K 31/7048`. The 14-character fixed form of WIPO ST.8 stores the main
//! group right-aligned in 4 digits and the subgroup left-aligned in 6 (`A61K0031704800`). A trailing
//! version indicator such as `(2006.01)` is accepted and dropped.

use super::{IdError, compact, first_bad_char, shown, string_identifier_serde};

/// An IPC subclass or group symbol in its normal form: `A61K`, `A61K 31/00`, `H04L 29/06`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IpcSymbol(String);

fn format_error(value: &str) -> IdError {
    IdError::new(
        "format",
        format!(
            "an IPC symbol should look like A61K, A61K 31/00, A61K 31/7048 or A61K0031704800, found {}",
            shown(value)
        ),
    )
}

fn all_digits(value: &str) -> bool {
    value.bytes().all(|b| b.is_ascii_digit())
}

/// Drops a trailing version indicator `(YYYY.MM)`.
fn strip_version(value: &str) -> &str {
    if let Some(rest) = value.strip_suffix(')')
        && let Some((symbol, version)) = rest.rsplit_once('(')
        && version.len() == 7
        && version.is_ascii()
        && version.as_bytes()[4] == b'.'
        && all_digits(&version[..4])
        && all_digits(&version[5..])
    {
        return symbol;
    }
    value
}

/// Trailing zeros of a subgroup are insignificant, but at least two digits are written.
fn normal_subgroup(subgroup: &str) -> String {
    let trimmed = subgroup.trim_end_matches('0');
    format!("{trimmed:0<2}")
}

impl IpcSymbol {
    /// Parses a subclass (`A61K`), a group symbol with or without the space (`A61K 31/00`,
    /// `a61k31/7048`) or the 14-character fixed form (`A61K0031000000`).
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let compacted = compact(raw);
        let value = strip_version(&compacted);
        if value.is_empty() {
            return Err(IdError::new(
                "empty",
                "an IPC symbol is required, found nothing",
            ));
        }
        if let Some((position, found)) =
            first_bad_char(value, |c| c.is_ascii_alphanumeric() || c == '/')
        {
            return Err(IdError::new(
                "charset",
                format!(
                    "an IPC symbol should be letters, digits and one slash, found {found:?} at position {position}"
                ),
            ));
        }
        if value.len() < 4 {
            return Err(format_error(value));
        }
        let (subclass, group) = value.split_at(4);
        let bytes = subclass.as_bytes();
        if !bytes[0].is_ascii_uppercase()
            || !all_digits(&subclass[1..3])
            || !bytes[3].is_ascii_uppercase()
        {
            return Err(format_error(value));
        }
        if !(b'A'..=b'H').contains(&bytes[0]) {
            return Err(IdError::new(
                "unknown_code",
                format!(
                    "an IPC section should be a letter A to H, found {}",
                    char::from(bytes[0])
                ),
            ));
        }
        if &subclass[1..3] == "00" {
            return Err(IdError::new(
                "range",
                "an IPC class should be 01 to 99, found 00",
            ));
        }
        if group.is_empty() {
            return Ok(Self(subclass.to_owned()));
        }
        let (main, subgroup) = match group.split_once('/') {
            Some((main, subgroup))
                if (1..=4).contains(&main.len())
                    && (2..=6).contains(&subgroup.len())
                    && all_digits(main)
                    && all_digits(subgroup) =>
            {
                (main, subgroup)
            }
            None if group.len() == 10 && all_digits(group) => group.split_at(4),
            _ => return Err(format_error(value)),
        };
        let main_number = main
            .bytes()
            .fold(0_u16, |acc, b| acc * 10 + u16::from(b - b'0'));
        if main_number == 0 {
            return Err(IdError::new(
                "range",
                format!("an IPC main group should be 1 to 9999, found {main}"),
            ));
        }
        Ok(Self(format!(
            "{subclass} {main_number}/{}",
            normal_subgroup(subgroup)
        )))
    }

    /// The normal form, e.g. `A61K 31/7048`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The section letter, `A`–`H`.
    pub fn section(&self) -> char {
        self.0.chars().next().unwrap_or('A')
    }

    /// The class, e.g. `A61`.
    pub fn class(&self) -> &str {
        &self.0[..3]
    }

    /// The subclass, e.g. `A61K` (the first four characters).
    pub fn subclass(&self) -> &str {
        &self.0[..4]
    }

    /// Whether this symbol is a bare subclass without a group.
    pub fn is_subclass(&self) -> bool {
        self.0.len() == 4
    }

    fn group(&self) -> Option<(&str, &str)> {
        self.0.get(5..).and_then(|group| group.split_once('/'))
    }

    /// The main-group number (`31` for `A61K 31/7048`), `None` for a bare subclass.
    pub fn main_group(&self) -> Option<u16> {
        self.group().and_then(|(main, _)| main.parse().ok())
    }

    /// The subgroup digits as written (`7048`, `00`), `None` for a bare subclass.
    pub fn subgroup(&self) -> Option<&str> {
        self.group().map(|(_, subgroup)| subgroup)
    }

    /// Whether this symbol is a main group (`…/00`).
    pub fn is_main_group(&self) -> bool {
        self.subgroup() == Some("00")
    }

    /// The main group this symbol belongs to (itself for a main group), `None` for a bare subclass.
    pub fn to_main_group(&self) -> Option<IpcSymbol> {
        self.main_group()
            .map(|main| Self(format!("{} {main}/00", self.subclass())))
    }

    /// The 14-character fixed form (`A61K0031704800`), `None` for a bare subclass.
    pub fn to_fixed_14(&self) -> Option<String> {
        let main = self.main_group()?;
        let subgroup = self.subgroup()?;
        Some(format!("{}{main:04}{subgroup:0<6}", self.subclass()))
    }
}

string_identifier_serde!(IpcSymbol);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn check(input: &str, expect: Result<&str, &str>) {
        let got = IpcSymbol::parse(input);
        match (&got, expect) {
            (Ok(symbol), Ok(normal)) => assert_eq!(symbol.as_str(), normal, "input {input:?}"),
            (Err(error), Err(rule)) => {
                assert_eq!(error.code, rule, "input {input:?}: {}", error.message)
            }
            _ => panic!("input {input:?}: expected {expect:?}, got {got:?}"),
        }
    }

    #[test]
    fn valid_symbols_and_their_normal_forms() {
        for (input, normal) in [
            ("A61K 31/00", "A61K 31/00"),
            ("A61K31/00", "A61K 31/00"),
            ("a61k 31/7048", "A61K 31/7048"),
            ("A61K  31 / 7048", "A61K 31/7048"),
            ("A61K0031000000", "A61K 31/00"),
            ("A61K0031704800", "A61K 31/7048"),
            ("H04L0029060000", "H04L 29/06"),
            ("A61F0005580000", "A61F 5/58"),
            ("H04L 29/06", "H04L 29/06"),
            ("H04L 29/060", "H04L 29/06"),
            ("G06F 3/0488", "G06F 3/0488"),
            ("B01D 53/50", "B01D 53/50"),
            ("B01D 053/500", "B01D 53/50"),
            ("G06Q 10/10", "G06Q 10/10"),
            ("H01L 9999/999999", "H01L 9999/999999"),
            ("A61K 31/00(2006.01)", "A61K 31/00"),
            ("A61K 31/7048 (2006.01)", "A61K 31/7048"),
            ("Ａ６１Ｋ　３１／００", "A61K 31/00"),
            ("A61K", "A61K"),
            (" h04l ", "H04L"),
        ] {
            check(input, Ok(normal));
        }
    }

    #[test]
    fn invalid_symbols_name_their_rule() {
        for (input, rule) in [
            ("", "empty"),
            ("(2006.01)", "empty"),
            ("A61K 31-00", "charset"),
            ("A61K 31/00;", "charset"),
            ("A61K 31/00(2006)", "charset"),
            ("A61K 31/00(2€.01)", "charset"),
            ("A", "format"),
            ("A61", "format"),
            ("A6K 31/00", "format"),
            ("61AK 31/00", "format"),
            ("A611 31/00", "format"),
            ("A61K 31", "format"),
            ("A61K 31/0", "format"),
            ("A61K 31/0000000", "format"),
            ("A61K 31000/00", "format"),
            ("A61K /00", "format"),
            ("A61K 31/00/01", "format"),
            ("A61K003100000", "format"),
            ("A61K00310000000", "format"),
            ("A61K31/00X", "format"),
            ("Y02E 10/50", "unknown_code"),
            ("Z61K 31/00", "unknown_code"),
            ("A00K 31/00", "range"),
            ("A61K 0/00", "range"),
            ("A61K0000000000", "range"),
        ] {
            check(input, Err(rule));
        }
    }

    #[test]
    fn parts_and_fixed_form() {
        let symbol = IpcSymbol::parse("A61K 31/7048").unwrap();
        assert_eq!(symbol.section(), 'A');
        assert_eq!(symbol.class(), "A61");
        assert_eq!(symbol.subclass(), "A61K");
        assert_eq!(symbol.main_group(), Some(31));
        assert_eq!(symbol.subgroup(), Some("7048"));
        assert!(!symbol.is_main_group());
        assert!(!symbol.is_subclass());
        assert_eq!(symbol.to_main_group().unwrap().as_str(), "A61K 31/00");
        assert_eq!(symbol.to_fixed_14().as_deref(), Some("A61K0031704800"));
        assert_eq!(
            IpcSymbol::parse("H04L 29/06")
                .unwrap()
                .to_fixed_14()
                .as_deref(),
            Some("H04L0029060000")
        );
        assert!(IpcSymbol::parse("A61K 31/00").unwrap().is_main_group());
        let subclass = IpcSymbol::parse("A61K").unwrap();
        assert!(subclass.is_subclass());
        assert_eq!(subclass.main_group(), None);
        assert_eq!(subclass.subgroup(), None);
        assert_eq!(subclass.to_fixed_14(), None);
        assert_eq!(subclass.to_main_group(), None);
    }

    #[test]
    fn fixed_form_round_trips() {
        for input in [
            "A61K 31/00",
            "A61K 31/7048",
            "H04L 29/06",
            "G06F 3/0488",
            "H01L 9999/999999",
            "A01B 1/02",
        ] {
            let symbol = IpcSymbol::parse(input).unwrap();
            let fixed = symbol.to_fixed_14().unwrap();
            assert_eq!(fixed.len(), 14);
            assert_eq!(IpcSymbol::parse(&fixed).unwrap(), symbol, "{input}");
        }
    }

    #[test]
    fn serde_uses_the_normal_form() {
        let symbol: IpcSymbol = serde_json::from_str("\"A61K0031000000\"").unwrap();
        assert_eq!(serde_json::to_string(&symbol).unwrap(), "\"A61K 31/00\"");
        assert!(serde_json::from_str::<IpcSymbol>("\"A61K 31\"").is_err());
    }
}
