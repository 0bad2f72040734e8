//! Registration numbers of the copyright-like rights ipyun handles besides patents and marks:
//! software copyright registrations (计算机软件著作权登记号, `2021SR0123456`) and integrated-circuit
//! layout-design registrations (集成电路布图设计登记号, `BS.215500123`).

use super::{IdError, compact, first_bad_char, shown, string_identifier_serde};

fn digits_value(digits: &str) -> i32 {
    digits
        .bytes()
        .fold(0, |acc, b| acc * 10 + i32::from(b - b'0'))
}

fn all_digits(value: &str) -> bool {
    value.bytes().all(|b| b.is_ascii_digit())
}

fn charset_error(what: &str, value: &str, position: usize, found: char) -> IdError {
    IdError::new(
        "charset",
        format!(
            "{what} should be ASCII letters and digits, found {found:?} at position {position} of {}",
            shown(value)
        ),
    )
}

/// A software copyright registration number: 4-digit year 1990–2100, `SR`, 6 or 7 serial digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SoftwareCopyrightNo(String);

impl SoftwareCopyrightNo {
    /// Accepts `2021SR0123456`, `2021sr0123456`, `2021 SR 0123456`, `2010SR012345`.
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        const WHAT: &str = "a software copyright registration number";
        let value = compact(raw);
        if value.is_empty() {
            return Err(IdError::new(
                "empty",
                format!("{WHAT} is required, found nothing"),
            ));
        }
        if let Some((position, found)) = first_bad_char(&value, |c| c.is_ascii_alphanumeric()) {
            return Err(charset_error(WHAT, &value, position, found));
        }
        let (year, rest) = value.split_at(value.len().min(4));
        let serial = match rest.strip_prefix("SR") {
            Some(serial) if year.len() == 4 && all_digits(year) && all_digits(serial) => serial,
            _ => {
                return Err(IdError::new(
                    "format",
                    format!(
                        "{WHAT} should be a 4-digit year, SR and the serial digits (2021SR0123456), found {}",
                        shown(&value)
                    ),
                ));
            }
        };
        if !(6..=7).contains(&serial.len()) {
            return Err(IdError::new(
                "length",
                format!(
                    "the serial of {WHAT} should have 6 or 7 digits, found {}",
                    serial.len()
                ),
            ));
        }
        let year_value = digits_value(year);
        if !(1990..=2100).contains(&year_value) {
            return Err(IdError::new(
                "range",
                format!("the year of {WHAT} should be 1990 to 2100, found {year}"),
            ));
        }
        Ok(Self(value))
    }

    /// The normal form, e.g. `2021SR0123456`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The registration year, e.g. 2021.
    pub fn year(&self) -> i32 {
        digits_value(&self.0[..4])
    }

    /// The serial digits after `SR`, as written.
    pub fn serial(&self) -> &str {
        &self.0[6..]
    }
}

string_identifier_serde!(SoftwareCopyrightNo);

/// An IC layout-design registration number: `BS.`, two digits of the year, the type digit `5`, and
/// six more digits (`BS.215500123`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IcLayoutNo(String);

impl IcLayoutNo {
    /// Accepts `BS.215500123`, `bs.215500123`, `BS215500123`, `BS. 21550 0123`.
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        const WHAT: &str = "an IC layout-design registration number";
        let value = compact(raw);
        if value.is_empty() {
            return Err(IdError::new(
                "empty",
                format!("{WHAT} is required, found nothing"),
            ));
        }
        let Some(rest) = value.strip_prefix("BS") else {
            return Err(IdError::new(
                "format",
                format!(
                    "{WHAT} should start with BS. (BS.215500123), found {}",
                    shown(&value)
                ),
            ));
        };
        let digits = rest.strip_prefix('.').unwrap_or(rest);
        if let Some((position, found)) = first_bad_char(digits, |c| c.is_ascii_digit()) {
            return Err(IdError::new(
                "charset",
                format!(
                    "{WHAT} should be BS. followed by digits, found {found:?} at position {position} after BS."
                ),
            ));
        }
        if digits.len() != 9 {
            return Err(IdError::new(
                "length",
                format!(
                    "{WHAT} should have 9 digits after BS., found {}",
                    digits.len()
                ),
            ));
        }
        let kind = digits.as_bytes()[2];
        if kind != b'5' {
            return Err(IdError::new(
                "kind_digit",
                format!(
                    "the third digit after BS. (the layout-design type) should be 5, found {}",
                    char::from(kind)
                ),
            ));
        }
        Ok(Self(format!("BS.{digits}")))
    }

    /// The normal form, e.g. `BS.215500123`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The application year from the two digits after `BS.` (registration started in 2001).
    pub fn year(&self) -> i32 {
        2000 + digits_value(&self.0[3..5])
    }

    /// The nine digits after `BS.`.
    pub fn digits(&self) -> &str {
        &self.0[3..]
    }
}

string_identifier_serde!(IcLayoutNo);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn check<T: std::fmt::Debug>(
        parse: impl Fn(&str) -> Result<T, IdError>,
        as_str: impl Fn(&T) -> &str,
        input: &str,
        expect: Result<&str, &str>,
    ) {
        let got = parse(input);
        match (&got, expect) {
            (Ok(number), Ok(normal)) => assert_eq!(as_str(number), normal, "input {input:?}"),
            (Err(error), Err(rule)) => {
                assert_eq!(error.code, rule, "input {input:?}: {}", error.message)
            }
            _ => panic!("input {input:?}: expected {expect:?}, got {got:?}"),
        }
    }

    #[test]
    fn software_copyright_table() {
        for (input, expect) in [
            ("2021SR0123456", Ok("2021SR0123456")),
            ("2021sr0123456", Ok("2021SR0123456")),
            (" 2021 SR 0123456 ", Ok("2021SR0123456")),
            ("２０２１ＳＲ０１２３４５６", Ok("2021SR0123456")),
            ("2010SR012345", Ok("2010SR012345")),
            ("1990SR000001", Ok("1990SR000001")),
            ("", Err("empty")),
            ("2021-SR0123456", Err("charset")),
            ("软著登字第0123456号", Err("charset")),
            ("2021SX0123456", Err("format")),
            ("21SR0123456", Err("format")),
            ("SR0123456", Err("format")),
            ("2021", Err("format")),
            ("2021SR012345A", Err("format")),
            ("2021SR", Err("length")),
            ("2021SR01234", Err("length")),
            ("2021SR01234567", Err("length")),
            ("1989SR0123456", Err("range")),
            ("2101SR0123456", Err("range")),
        ] {
            check(
                SoftwareCopyrightNo::parse,
                SoftwareCopyrightNo::as_str,
                input,
                expect,
            );
        }
        let number = SoftwareCopyrightNo::parse("2021SR0123456").unwrap();
        assert_eq!(number.year(), 2021);
        assert_eq!(number.serial(), "0123456");
    }

    #[test]
    fn ic_layout_table() {
        for (input, expect) in [
            ("BS.215500123", Ok("BS.215500123")),
            ("bs.215500123", Ok("BS.215500123")),
            ("BS215500123", Ok("BS.215500123")),
            ("BS. 21550 0123", Ok("BS.215500123")),
            ("BS.185559220", Ok("BS.185559220")),
            ("ＢＳ．２１５５００１２３", Ok("BS.215500123")),
            ("", Err("empty")),
            ("215500123", Err("format")),
            ("B.215500123", Err("format")),
            ("BS.21550012X", Err("charset")),
            ("BS..215500123", Err("charset")),
            ("BS.2155001234", Err("length")),
            ("BS.21550012", Err("length")),
            ("BS.", Err("length")),
            ("BS.211500123", Err("kind_digit")),
        ] {
            check(IcLayoutNo::parse, IcLayoutNo::as_str, input, expect);
        }
        let number = IcLayoutNo::parse("BS.185559220").unwrap();
        assert_eq!(number.year(), 2018);
        assert_eq!(number.digits(), "185559220");
    }

    #[test]
    fn serde_uses_the_normal_form() {
        let software: SoftwareCopyrightNo = serde_json::from_str("\"2021sr0123456\"").unwrap();
        assert_eq!(
            serde_json::to_string(&software).unwrap(),
            "\"2021SR0123456\""
        );
        let layout: IcLayoutNo = serde_json::from_str("\"BS215500123\"").unwrap();
        assert_eq!(serde_json::to_string(&layout).unwrap(), "\"BS.215500123\"");
        assert!(serde_json::from_str::<IcLayoutNo>("\"BS.2155\"").is_err());
    }
}
