//! CN trademark registration numbers (商标注册号): 1–9 digits, or `G` and the digits of a Madrid
//! international registration designating China. The digits are kept as written (leading zeros too).

use super::{IdError, compact, first_bad_char, shown, string_identifier_serde};

const MAX_DIGITS: usize = 9;

/// A trademark registration number in its normal form: `12345678` or `G1234567`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TrademarkRegNo(String);

impl TrademarkRegNo {
    /// Accepts `12345678`, `第12345678号`, `第 1234 5678 号`, `G1234567`, `g1234567`, `第G1234567号`.
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let compacted = compact(raw);
        if compacted.is_empty() {
            return Err(IdError::new(
                "empty",
                "a trademark registration number is required, found nothing",
            ));
        }
        let without_prefix = compacted.strip_prefix('第').unwrap_or(&compacted);
        let number = without_prefix
            .strip_suffix('号')
            .or_else(|| without_prefix.strip_suffix('號'))
            .unwrap_or(without_prefix);
        let (madrid, digits) = match number.strip_prefix('G') {
            Some(digits) => (true, digits),
            None => (false, number),
        };
        if let Some((position, found)) = first_bad_char(digits, |c| c.is_ascii_digit()) {
            return Err(IdError::new(
                "charset",
                format!(
                    "a trademark registration number should be digits, with a G prefix only for a Madrid registration, found {found:?} at position {} of {}",
                    position + usize::from(madrid),
                    shown(number)
                ),
            ));
        }
        if digits.is_empty() || digits.len() > MAX_DIGITS {
            return Err(IdError::new(
                "length",
                format!(
                    "a trademark registration number should have 1 to {MAX_DIGITS} digits, found {}",
                    digits.len()
                ),
            ));
        }
        if digits.bytes().all(|b| b == b'0') {
            return Err(IdError::new(
                "range",
                format!("a trademark registration number should be at least 1, found {digits}"),
            ));
        }
        Ok(Self(if madrid {
            format!("G{digits}")
        } else {
            digits.to_owned()
        }))
    }

    /// The normal form, e.g. `12345678` or `G1234567`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is a Madrid international registration (`G` prefix).
    pub fn is_madrid(&self) -> bool {
        self.0.starts_with('G')
    }

    /// The digits without the `G` prefix, as written.
    pub fn digits(&self) -> &str {
        self.0.strip_prefix('G').unwrap_or(&self.0)
    }

    /// The numeric value of the digits.
    pub fn number(&self) -> u32 {
        self.digits()
            .bytes()
            .fold(0, |acc, b| acc * 10 + u32::from(b - b'0'))
    }
}

string_identifier_serde!(TrademarkRegNo);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn check(input: &str, expect: Result<&str, &str>) {
        let got = TrademarkRegNo::parse(input);
        match (&got, expect) {
            (Ok(number), Ok(normal)) => assert_eq!(number.as_str(), normal, "input {input:?}"),
            (Err(error), Err(rule)) => {
                assert_eq!(error.code, rule, "input {input:?}: {}", error.message)
            }
            _ => panic!("input {input:?}: expected {expect:?}, got {got:?}"),
        }
    }

    #[test]
    fn parse_table() {
        for (input, expect) in [
            ("12345678", Ok("12345678")),
            ("第12345678号", Ok("12345678")),
            ("第 1234 5678 号", Ok("12345678")),
            ("第12345678號", Ok("12345678")),
            ("１２３４５６７８", Ok("12345678")),
            ("1", Ok("1")),
            ("000123", Ok("000123")),
            ("999999999", Ok("999999999")),
            ("G1234567", Ok("G1234567")),
            ("g1234567", Ok("G1234567")),
            ("第G1234567号", Ok("G1234567")),
            ("G 123 4567", Ok("G1234567")),
            ("", Err("empty")),
            ("第号", Err("length")),
            ("G", Err("length")),
            ("1234567890", Err("length")),
            ("G1234567890", Err("length")),
            ("0", Err("range")),
            ("G000", Err("range")),
            ("A1234567", Err("charset")),
            ("GG1234567", Err("charset")),
            ("1234567G", Err("charset")),
            ("TM12345678", Err("charset")),
            ("1234-5678", Err("charset")),
            ("第12345678", Ok("12345678")),
            ("12345678号号", Err("charset")),
        ] {
            check(input, expect);
        }
    }

    #[test]
    fn accessors() {
        let domestic = TrademarkRegNo::parse("第00012345号").unwrap();
        assert!(!domestic.is_madrid());
        assert_eq!(domestic.digits(), "00012345");
        assert_eq!(domestic.number(), 12345);
        let madrid = TrademarkRegNo::parse("G1234567").unwrap();
        assert!(madrid.is_madrid());
        assert_eq!(madrid.digits(), "1234567");
        assert_eq!(madrid.number(), 1_234_567);
        assert_eq!(
            TrademarkRegNo::parse("999999999").unwrap().number(),
            999_999_999
        );
    }

    #[test]
    fn messages_point_at_the_bad_character() {
        let error = TrademarkRegNo::parse("G12a4").unwrap_err();
        assert_eq!(error.code, "charset");
        assert!(
            error.message.contains("found 'A' at position 4"),
            "{}",
            error.message
        );
    }

    #[test]
    fn serde_uses_the_normal_form() {
        let number: TrademarkRegNo = serde_json::from_str("\"第12345678号\"").unwrap();
        assert_eq!(serde_json::to_string(&number).unwrap(), "\"12345678\"");
        assert!(serde_json::from_str::<TrademarkRegNo>("\"12A\"").is_err());
    }
}
