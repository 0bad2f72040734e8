//! CN patent application numbers (专利申请号) with their check digit.
//!
//! Two generations exist: since 1 October 2003 twelve digits (4-digit filing year, 1 kind digit,
//! 7-digit serial), before that eight digits (2-digit year, 1 kind digit, 5-digit serial). Either is
//! followed by a dot and a check digit: the body's digits multiplied left to right by
//! 2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5, summed, modulo 11, with 10 written `X`.
//! The patent number (专利号) of a granted patent is `ZL` followed by the application number.

use super::{IdError, compact, first_bad_char, shown, string_identifier_serde};

/// The kind digit: the 5th digit of a 12-digit number, the 3rd of an 8-digit one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatentKindDigit {
    /// `1`: invention (发明).
    Invention,
    /// `2`: utility model (实用新型).
    UtilityModel,
    /// `3`: design (外观设计).
    Design,
    /// `8`: PCT invention application entering the national phase.
    PctInvention,
    /// `9`: PCT utility-model application entering the national phase.
    PctUtilityModel,
}

const KINDS: [(char, PatentKindDigit); 5] = [
    ('1', PatentKindDigit::Invention),
    ('2', PatentKindDigit::UtilityModel),
    ('3', PatentKindDigit::Design),
    ('8', PatentKindDigit::PctInvention),
    ('9', PatentKindDigit::PctUtilityModel),
];

impl PatentKindDigit {
    /// The kind for a digit, or `None` for a digit that names no kind.
    pub fn from_digit(digit: char) -> Option<Self> {
        KINDS
            .iter()
            .find(|(known, _)| *known == digit)
            .map(|(_, kind)| *kind)
    }

    /// The digit written in the number.
    pub fn digit(self) -> char {
        KINDS
            .iter()
            .find(|(_, kind)| *kind == self)
            .map_or('1', |(digit, _)| *digit)
    }
}

/// A CN patent application number in its normal form: body, dot, check digit (`202110123456.7`,
/// `97101765.4`), without `CN`/`ZL` prefix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ApplicationNo(String);

const WEIGHTS: [u32; 12] = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];

/// The check digit of a body of 8 or 12 ASCII digits (the 8-digit body uses the first 8 weights).
fn compute_check(body: &str) -> char {
    let sum: u32 = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    match sum % 11 {
        10 => 'X',
        // `sum % 11` is below 10 here, so the addition stays an ASCII digit.
        value => char::from(b'0' + value as u8),
    }
}

/// Decimal value of a run of ASCII digits (callers pass at most 4).
fn digits_value(digits: &str) -> i32 {
    digits
        .bytes()
        .fold(0, |acc, digit| acc * 10 + i32::from(digit - b'0'))
}

fn compact_non_empty(raw: &str) -> Result<String, IdError> {
    let compacted = compact(raw);
    if compacted.is_empty() {
        return Err(IdError::new(
            "empty",
            "an application number is required, found nothing",
        ));
    }
    Ok(compacted)
}

/// Removes an optional `CN` or `ZL` prefix from compacted (upper-cased) input.
fn strip_prefix(value: &str) -> &str {
    value
        .strip_prefix("CN")
        .or_else(|| value.strip_prefix("ZL"))
        .unwrap_or(value)
}

/// Checks a body of 8 or 12 digits: length, filing year and kind digit.
fn check_body(body: &str) -> Result<(), IdError> {
    if let Some((position, found)) = first_bad_char(body, |c| c.is_ascii_digit()) {
        return Err(IdError::new(
            "charset",
            format!(
                "the body of an application number should be digits only, found {found:?} at position {position}"
            ),
        ));
    }
    let (kind_index, year, years) = match body.len() {
        12 => (4, digits_value(&body[..4]), (2003, 2100, "2003 to 2100")),
        8 => (
            2,
            old_year(digits_value(&body[..2])),
            (1985, 2003, "85 to 99 or 00 to 03"),
        ),
        other => {
            return Err(IdError::new(
                "length",
                format!(
                    "an application number should have 8 or 12 digits before its check digit, found {other}"
                ),
            ));
        }
    };
    if !(years.0..=years.1).contains(&year) {
        return Err(IdError::new(
            "range",
            format!(
                "the filing year of an application number with {} digits should be {}, found {}",
                body.len(),
                years.2,
                &body[..kind_index]
            ),
        ));
    }
    let kind = body[kind_index..].chars().next().unwrap_or('0');
    if PatentKindDigit::from_digit(kind).is_none() {
        return Err(IdError::new(
            "kind_digit",
            format!(
                "the kind digit (digit {} of a number filed in {year}) should be 1, 2, 3, 8 or 9, found {kind}",
                kind_index + 1
            ),
        ));
    }
    Ok(())
}

/// 85–99 → 1985–1999, 00–84 → 2000–2084 (the caller rejects years after 2003).
fn old_year(two_digits: i32) -> i32 {
    if two_digits >= 85 {
        1900 + two_digits
    } else {
        2000 + two_digits
    }
}

impl ApplicationNo {
    /// Parses `202110123456.7`, `CN202110123456.7`, `ZL 2021 1 0123456.7`, `2021101234567`,
    /// `97101765.4`, `95115608.x` …: prefix `CN`/`ZL` in any case, spaces and full-width forms
    /// allowed, the dot optional (but only just before the check digit).
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let compacted = compact_non_empty(raw)?;
        let value = strip_prefix(&compacted);
        let without_dot = match value.split_once('.') {
            None => value.to_owned(),
            Some((body, check)) if check.chars().count() == 1 => format!("{body}{check}"),
            Some(_) => {
                return Err(IdError::new(
                    "format",
                    format!(
                        "the dot of an application number should stand just before its one check digit, found {}",
                        shown(raw.trim())
                    ),
                ));
            }
        };
        let count = without_dot.chars().count();
        if let Some((position, found)) =
            first_bad_char(&without_dot, |c| c.is_ascii_digit() || c == 'X').or_else(|| {
                // `X` may only be the check digit, the last character.
                first_bad_char(&without_dot, |c| c != 'X')
                    .filter(|&(position, _)| position != count)
            })
        {
            return Err(IdError::new(
                "charset",
                format!(
                    "an application number should be digits with an optional CN/ZL prefix and a final check digit 0-9 or X, found {found:?} at position {position}"
                ),
            ));
        }
        if count != 9 && count != 13 {
            return Err(IdError::new(
                "length",
                format!(
                    "an application number should have 8 or 12 digits plus a check digit (9 or 13 characters without prefix and dot), found {count}"
                ),
            ));
        }
        let (body, check) = without_dot.split_at(count - 1);
        check_body(body)?;
        let expected = compute_check(body);
        if check != expected.to_string() {
            return Err(IdError::new(
                "check_digit",
                format!("check digit of {body} should be {expected}, found {check}"),
            ));
        }
        Ok(Self(format!("{body}.{check}")))
    }

    /// Builds the number from its digits without the check digit (8 or 12 of them), computing the check digit.
    pub fn from_body(body: &str) -> Result<Self, IdError> {
        let compacted = compact_non_empty(body)?;
        let body = strip_prefix(&compacted);
        check_body(body)?;
        Ok(Self(format!("{body}.{}", compute_check(body))))
    }

    /// The normal form, e.g. `202110123456.7`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 8 or 12 digits before the dot.
    pub fn body(&self) -> &str {
        &self.0[..self.0.len() - 2]
    }

    /// The check digit, `0`–`9` or `X`.
    pub fn check_digit(&self) -> char {
        self.0.chars().last().unwrap_or('0')
    }

    /// Whether this is a pre-October-2003 eight-digit number.
    pub fn is_old_format(&self) -> bool {
        self.body().len() == 8
    }

    /// The patent number (专利号) this application gets if granted: `ZL` + the application number.
    pub fn patent_number(&self) -> String {
        format!("ZL{}", self.0)
    }

    pub fn kind_digit(&self) -> PatentKindDigit {
        let index = if self.is_old_format() { 2 } else { 4 };
        self.body()[index..]
            .chars()
            .next()
            .and_then(PatentKindDigit::from_digit)
            .unwrap_or(PatentKindDigit::Invention)
    }

    /// The filing year: the first four digits of a 12-digit number, 1985–2003 for an 8-digit one.
    pub fn filing_year(&self) -> i32 {
        let body = self.body();
        if self.is_old_format() {
            old_year(digits_value(&body[..2]))
        } else {
            digits_value(&body[..4])
        }
    }
}

string_identifier_serde!(ApplicationNo);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn check(input: &str, expect: Result<&str, &str>) {
        let got = ApplicationNo::parse(input);
        match (&got, expect) {
            (Ok(number), Ok(normal)) => assert_eq!(number.as_str(), normal, "input {input:?}"),
            (Err(error), Err(code)) => {
                assert_eq!(error.code, code, "input {input:?}: {}", error.message)
            }
            _ => panic!("input {input:?}: expected {expect:?}, got {got:?}"),
        }
    }

    #[test]
    fn valid_numbers_and_their_normal_forms() {
        // 201710601862.3, 97101765.4 and 95115608.X are worked examples in public explanations of
        // the check digit; the others were computed by hand with the same weights.
        for (input, normal) in [
            ("201710601862.3", "201710601862.3"),
            ("202110123456.7", "202110123456.7"),
            ("zl202110123456.7", "202110123456.7"),
            ("ZL 2021 1 0123456.7", "202110123456.7"),
            ("2021101234567", "202110123456.7"),
            ("  CN201510054389.2 ", "201510054389.2"),
            ("２０２１１０１２３４５６．７", "202110123456.7"),
            ("201921234567.x", "201921234567.X"),
            ("97101765.4", "97101765.4"),
            ("ZL95115608.X", "95115608.X"),
            ("95115608x", "95115608.X"),
            ("88100001.9", "88100001.9"),
            ("03123456.9", "03123456.9"),
            ("200410004185.X", "200410004185.X"),
        ] {
            check(input, Ok(normal));
        }
    }

    #[test]
    fn invalid_numbers_name_their_rule() {
        for (input, code) in [
            ("", "empty"),
            ("   ", "empty"),
            ("CN", "length"),
            ("202110123456.6", "check_digit"),
            ("201510054389.6", "check_digit"),
            ("88100001.X", "check_digit"),
            ("2021101234567.8", "length"),
            ("20211012345.7", "length"),
            ("202110123456", "length"),
            ("2021X0123456.7", "charset"),
            ("US202110123456.7", "charset"),
            ("202110123456-7", "charset"),
            ("2021101234.56.7", "format"),
            ("202110123456.77", "format"),
            ("200210123456.3", "range"),
            ("210110123456.0", "range"),
            ("84100001.7", "range"),
            ("04100001.0", "range"),
            ("202150123456.0", "kind_digit"),
            ("97401765.4", "kind_digit"),
        ] {
            check(input, Err(code));
        }
    }

    #[test]
    fn every_wrong_check_digit_is_caught() {
        for wrong in "012456789X".chars() {
            let error = ApplicationNo::parse(&format!("201710601862.{wrong}")).unwrap_err();
            let message = format!("check digit of 201710601862 should be 3, found {wrong}");
            assert_eq!((error.code, error.message), ("check_digit", message));
        }
    }

    #[test]
    fn accessors() {
        let new = ApplicationNo::parse("CN202110123456.7").unwrap();
        assert_eq!(new.check_digit(), '7');
        assert_eq!(new.kind_digit(), PatentKindDigit::Invention);
        assert_eq!(new.filing_year(), 2021);
        assert_eq!(new.body(), "202110123456");
        assert!(!new.is_old_format());
        assert_eq!(new.patent_number(), "ZL202110123456.7");
        let old = ApplicationNo::parse("95115608.X").unwrap();
        assert_eq!(old.kind_digit(), PatentKindDigit::Invention);
        assert_eq!(old.filing_year(), 1995);
        assert!(old.is_old_format());
        let parsed = |input: &str| ApplicationNo::parse(input).unwrap();
        assert_eq!(parsed("03123456.9").filing_year(), 2003);
        assert_eq!(
            parsed("201921234567.X").kind_digit(),
            PatentKindDigit::UtilityModel
        );
        assert_eq!(
            parsed("202130123456.8").kind_digit(),
            PatentKindDigit::Design
        );
        for digit in ['1', '2', '3', '8', '9'] {
            assert_eq!(PatentKindDigit::from_digit(digit).unwrap().digit(), digit);
        }
    }

    #[test]
    fn from_body_round_trips() {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |bound: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % bound
        };
        let kinds = ['1', '2', '3', '8', '9'];
        for _ in 0..5_000 {
            let kind = kinds[next(5) as usize];
            let new_body = format!("{}{kind}{:07}", 2003 + next(98), next(10_000_000));
            let old_year = [85, 86, 90, 95, 99, 0, 1, 2, 3][next(9) as usize];
            let old_body = format!("{old_year:02}{kind}{:05}", next(100_000));
            for body in [new_body, old_body] {
                let built = ApplicationNo::from_body(&body).unwrap();
                assert_eq!(built.body(), body);
                assert_eq!(ApplicationNo::parse(built.as_str()).unwrap(), built);
                let undotted = built.as_str().replace('.', "");
                assert_eq!(
                    ApplicationNo::parse(&format!("CN{undotted}")).unwrap(),
                    built
                );
            }
        }
        let built = ApplicationNo::from_body("CN201710601862").unwrap();
        assert_eq!(built.as_str(), "201710601862.3");
        for (body, code) in [
            ("2017106018", "length"),
            ("201750601862", "kind_digit"),
            ("20171060186A", "charset"),
        ] {
            assert_eq!(
                ApplicationNo::from_body(body).unwrap_err().code,
                code,
                "{body}"
            );
        }
    }

    #[test]
    fn serde_uses_the_normal_form() {
        let number: ApplicationNo = serde_json::from_str("\"CN 202110123456.7\"").unwrap();
        assert_eq!(
            serde_json::to_string(&number).unwrap(),
            "\"202110123456.7\""
        );
        assert!(serde_json::from_str::<ApplicationNo>("\"202110123456.6\"").is_err());
        assert_eq!(number.to_string(), "202110123456.7");
    }
}
