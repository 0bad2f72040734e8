//! Nice classes (尼斯分类, 商品和服务分类) used in trademark registrations: 1–34 goods, 35–45 services.

use super::{IdError, compact, first_bad_char, shown, string_identifier_serde};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NiceKind {
    /// Classes 1–34.
    Goods,
    /// Classes 35–45.
    Services,
}

const NAMES: [&str; 45] = [
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17",
    "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "32", "33",
    "34", "35", "36", "37", "38", "39", "40", "41", "42", "43", "44", "45",
];

const LAST: u8 = 45;
const LAST_GOODS: u8 = 34;

fn range_error(found: &str) -> IdError {
    IdError::new(
        "range",
        format!("a Nice class should be a number from 1 to {LAST}, found {found}"),
    )
}

/// A Nice class, 1–45; its normal form is the number without leading zero (`9`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NiceClass(u8);

impl NiceClass {
    /// Accepts `9`, `09`, `9类`, `第9类`, `第09类` (spaces and full-width digits tolerated).
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let compacted = compact(raw);
        if compacted.is_empty() {
            return Err(IdError::new(
                "empty",
                "a Nice class is required, found nothing",
            ));
        }
        let without_prefix = compacted.strip_prefix('第').unwrap_or(&compacted);
        let digits = without_prefix
            .strip_suffix('类')
            .or_else(|| without_prefix.strip_suffix('類'))
            .unwrap_or(without_prefix);
        if let Some((position, found)) = first_bad_char(digits, |c| c.is_ascii_digit()) {
            return Err(IdError::new(
                "charset",
                format!(
                    "a Nice class should be a number, optionally written 第…类, found {found:?} at position {position} of {}",
                    shown(digits)
                ),
            ));
        }
        if digits.is_empty() {
            return Err(IdError::new(
                "format",
                format!(
                    "a Nice class should contain its number, found {}",
                    shown(&compacted)
                ),
            ));
        }
        if digits.len() > 2 {
            return Err(range_error(digits));
        }
        let number = digits.bytes().fold(0_u8, |acc, b| acc * 10 + (b - b'0'));
        Self::new(number).map_err(|_| range_error(digits))
    }

    /// The class with this number, 1–45.
    pub fn new(number: u8) -> Result<Self, IdError> {
        if (1..=LAST).contains(&number) {
            Ok(Self(number))
        } else {
            Err(range_error(&number.to_string()))
        }
    }

    /// The number without leading zero, e.g. `9`.
    pub fn as_str(&self) -> &str {
        NAMES.get(usize::from(self.0) - 1).copied().unwrap_or("")
    }

    pub fn number(&self) -> u8 {
        self.0
    }

    /// Goods for classes 1–34, services for 35–45.
    pub fn kind(&self) -> NiceKind {
        if self.0 <= LAST_GOODS {
            NiceKind::Goods
        } else {
            NiceKind::Services
        }
    }

    /// All 45 classes in order.
    pub fn all() -> impl Iterator<Item = NiceClass> {
        (1..=LAST).map(Self)
    }
}

string_identifier_serde!(NiceClass);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn check(input: &str, expect: Result<&str, &str>) {
        let got = NiceClass::parse(input);
        match (&got, expect) {
            (Ok(class), Ok(normal)) => assert_eq!(class.as_str(), normal, "input {input:?}"),
            (Err(error), Err(rule)) => {
                assert_eq!(error.code, rule, "input {input:?}: {}", error.message)
            }
            _ => panic!("input {input:?}: expected {expect:?}, got {got:?}"),
        }
    }

    #[test]
    fn parse_table() {
        for (input, expect) in [
            ("9", Ok("9")),
            ("09", Ok("9")),
            ("第9类", Ok("9")),
            ("9类", Ok("9")),
            ("第 09 类", Ok("9")),
            ("第35類", Ok("35")),
            ("４５", Ok("45")),
            (" 1 ", Ok("1")),
            ("", Err("empty")),
            ("第类", Err("format")),
            ("类", Err("format")),
            ("0", Err("range")),
            ("00", Err("range")),
            ("46", Err("range")),
            ("99", Err("range")),
            ("009", Err("range")),
            ("1000", Err("range")),
            ("-1", Err("charset")),
            ("9a", Err("charset")),
            ("Class 9", Err("charset")),
            ("第九类", Err("charset")),
            ("9类类", Err("charset")),
        ] {
            check(input, expect);
        }
    }

    #[test]
    fn numbers_kinds_and_round_trip() {
        assert_eq!(NiceClass::all().count(), 45);
        for class in NiceClass::all() {
            assert_eq!(class.as_str(), class.number().to_string());
            assert_eq!(NiceClass::parse(class.as_str()).unwrap(), class);
            assert_eq!(
                NiceClass::parse(&format!("第{:02}类", class.number())).unwrap(),
                class
            );
            let expected = if class.number() <= 34 {
                NiceKind::Goods
            } else {
                NiceKind::Services
            };
            assert_eq!(class.kind(), expected);
        }
        assert_eq!(NiceClass::new(34).unwrap().kind(), NiceKind::Goods);
        assert_eq!(NiceClass::new(35).unwrap().kind(), NiceKind::Services);
        assert_eq!(NiceClass::new(0).unwrap_err().code, "range");
        assert_eq!(
            NiceClass::new(46).unwrap_err().message,
            "a Nice class should be a number from 1 to 45, found 46"
        );
        assert!(NiceClass::new(9).unwrap() < NiceClass::new(10).unwrap());
    }

    #[test]
    fn serde_uses_the_number_as_a_string() {
        let class: NiceClass = serde_json::from_str("\"第09类\"").unwrap();
        assert_eq!(serde_json::to_string(&class).unwrap(), "\"9\"");
        assert!(serde_json::from_str::<NiceClass>("\"46\"").is_err());
    }
}
