//! Unified social credit code (统一社会信用代码) of legal entities and other organisations, GB 32100-2015.
//!
//! Eighteen characters from `0123456789ABCDEFGHJKLMNPQRTUWXY` (no I, O, S, V, Z):
//! 1 registration-authority code, 2 organisation-type code, 3–8 region code of the registering
//! authority (GB/T 2260), 9–17 organisation code (GB 11714), 18 check character
//! (GB/T 17710 style, modulo 31): the first 17 values weighted by 3^i mod 31
//! (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28), C18 = 31 − (sum mod 31), 31 → 0.
//!
//! Some codes issued in early pilot regions break the check character; the standard treats them as
//! legal but this parser rejects them like any other miss.

use super::{IdError, RegionCode, compact, first_bad_char, shown, string_identifier_serde};

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Registration authorities (登记管理部门) and the organisation types each assigns, as published with
/// GB 32100-2015 and its later additions (2 外交 … N 农业).
const AUTHORITIES: &[(u8, &str, &[u8])] = &[
    (b'1', "机构编制", b"1239"),
    (b'2', "外交", b"19"),
    (b'3', "司法行政", b"123459"),
    (b'4', "文化", b"19"),
    (b'5', "民政", b"1239"),
    (b'6', "旅游", b"129"),
    (b'7', "宗教", b"129"),
    (b'8', "工会", b"19"),
    (b'9', "工商", b"123"),
    (b'A', "中央军委改革和编制办公室", b"19"),
    (b'N', "农业", b"1239"),
    (b'Y', "其他", b"1"),
];

fn value_of(character: u8) -> Option<u32> {
    ALPHABET
        .iter()
        .position(|&a| a == character)
        .map(|index| index as u32)
}

/// The check character for 17 characters already known to be in the alphabet.
fn compute_check(body: &[u8]) -> char {
    let sum: u32 = body
        .iter()
        .zip(WEIGHTS)
        .map(|(&character, weight)| value_of(character).unwrap_or(0) * weight)
        .sum();
    let check = (31 - sum % 31) % 31;
    char::from(ALPHABET[check as usize])
}

fn list(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| char::from(b).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks the first 17 characters of a compacted code: alphabet, authority, type, region digits.
fn check_body(body: &str) -> Result<(), IdError> {
    if let Some((position, found)) =
        first_bad_char(body, |c| c.is_ascii() && value_of(c as u8).is_some())
    {
        return Err(IdError::new(
            "charset",
            format!(
                "a USCC uses only digits and the letters A-H, J-N, P-R, T, U, W-Y, found {found:?} at position {position}"
            ),
        ));
    }
    let bytes = body.as_bytes();
    let (authority, kind) = (bytes[0], bytes[1]);
    let Some((_, authority_name, kinds)) =
        AUTHORITIES.iter().find(|(code, _, _)| *code == authority)
    else {
        let known: Vec<u8> = AUTHORITIES.iter().map(|(code, _, _)| *code).collect();
        return Err(IdError::new(
            "unknown_code",
            format!(
                "the registration-authority code (position 1) should be one of {}, found {}",
                list(&known),
                char::from(authority)
            ),
        ));
    };
    if !kinds.contains(&kind) {
        return Err(IdError::new(
            "unknown_code",
            format!(
                "the organisation-type code (position 2) for authority {} ({authority_name}) should be one of {}, found {}",
                char::from(authority),
                list(kinds),
                char::from(kind)
            ),
        ));
    }
    if let Some((position, found)) = first_bad_char(&body[2..8], |c| c.is_ascii_digit()) {
        return Err(IdError::new(
            "format",
            format!(
                "positions 3-8 of a USCC (the region code) should be digits, found {found:?} at position {}",
                position + 2
            ),
        ));
    }
    Ok(())
}

fn length_error(what: &str, expected: usize, found: &str) -> IdError {
    IdError::new(
        "length",
        format!(
            "{what} should have {expected} characters, found {} in {}",
            found.chars().count(),
            shown(found)
        ),
    )
}

/// A unified social credit code in its normal form: 18 upper-case characters without spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uscc(String);

impl Uscc {
    /// Parses a code, upper-casing it and dropping spaces (full-width characters are folded).
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let value = compact(raw);
        if value.is_empty() {
            return Err(IdError::new(
                "empty",
                "a unified social credit code is required, found nothing",
            ));
        }
        if value.chars().count() != 18 {
            return Err(length_error("a unified social credit code", 18, &value));
        }
        check_body(&value)?;
        let (body, found) = value.split_at(17);
        let expected = compute_check(body.as_bytes());
        if found != expected.to_string() {
            return Err(IdError::new(
                "check_character",
                format!("check character of {body} should be {expected}, found {found}"),
            ));
        }
        Ok(Self(value))
    }

    /// Builds a USCC from its first 17 characters, computing the check character.
    pub fn from_body(body: &str) -> Result<Self, IdError> {
        let value = compact(body);
        if value.is_empty() {
            return Err(IdError::new(
                "empty",
                "the first 17 characters of a USCC are required, found nothing",
            ));
        }
        if value.chars().count() != 17 {
            return Err(length_error(
                "a USCC without its check character",
                17,
                &value,
            ));
        }
        check_body(&value)?;
        let check = compute_check(value.as_bytes());
        Ok(Self(format!("{value}{check}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Position 1: the registration-authority code, e.g. `9` for market regulation (工商).
    pub fn registration_authority(&self) -> char {
        self.char_at(0)
    }

    /// The Chinese name of the registration authority, e.g. `工商`.
    pub fn registration_authority_name(&self) -> &'static str {
        let code = self.0.as_bytes().first().copied().unwrap_or(b'Y');
        AUTHORITIES
            .iter()
            .find(|(known, _, _)| *known == code)
            .map_or("其他", |(_, name, _)| name)
    }

    /// Position 2: the organisation-type code, e.g. `1` for an enterprise under authority `9`.
    pub fn organisation_type(&self) -> char {
        self.char_at(1)
    }

    /// Positions 3–8: the registering authority's region code, as written (old codes included).
    pub fn region_part(&self) -> &str {
        &self.0[2..8]
    }

    /// The region code, when positions 3–8 are in the shipped GB/T 2260 table.
    pub fn region(&self) -> Option<RegionCode> {
        RegionCode::parse(self.region_part()).ok()
    }

    /// Positions 9–17: the organisation code (主体标识码).
    pub fn organisation_code(&self) -> &str {
        &self.0[8..17]
    }

    /// Position 18: the check character.
    pub fn check_character(&self) -> char {
        self.char_at(17)
    }

    fn char_at(&self, index: usize) -> char {
        self.0.as_bytes().get(index).map_or('0', |&b| char::from(b))
    }
}

string_identifier_serde!(Uscc);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn check(input: &str, expect: Result<&str, &str>) {
        let got = Uscc::parse(input);
        match (&got, expect) {
            (Ok(code), Ok(normal)) => assert_eq!(code.as_str(), normal, "input {input:?}"),
            (Err(error), Err(rule)) => {
                assert_eq!(error.code, rule, "input {input:?}: {}", error.message)
            }
            _ => panic!("input {input:?}: expected {expect:?}, got {got:?}"),
        }
    }

    #[test]
    fn weights_are_powers_of_three() {
        let mut weight = 1;
        for expected in WEIGHTS {
            assert_eq!(weight, expected);
            weight = weight * 3 % 31;
        }
    }

    #[test]
    fn valid_codes_and_their_normal_forms() {
        // 91350100M000100Y43 and 12440300MB2C92173E are examples published with descriptions of the
        // standard; the check characters of all of these were recomputed independently.
        for (input, normal) in [
            ("91350100M000100Y43", "91350100M000100Y43"),
            ("91350100m000100y43", "91350100M000100Y43"),
            (" 9135 0100 M000 100Y 43 ", "91350100M000100Y43"),
            ("９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43"),
            ("12440300MB2C92173E", "12440300MB2C92173E"),
            ("91110000802100433B", "91110000802100433B"),
            ("91310000MA1FL4B24G", "91310000MA1FL4B24G"),
            ("91110108551385082Q", "91110108551385082Q"),
            ("52110000500010993M", "52110000500010993M"),
            ("Y1110000MA0000001Y", "Y1110000MA0000001Y"),
            ("N2110105MA0000001H", "N2110105MA0000001H"),
            ("3111000040000123XH", "3111000040000123XH"),
        ] {
            check(input, Ok(normal));
        }
    }

    #[test]
    fn invalid_codes_name_their_rule() {
        for (input, rule) in [
            ("", "empty"),
            ("91350100M000100Y4", "length"),
            ("91350100M000100Y433", "length"),
            ("91350100M000100Y44", "check_character"),
            // A real pilot-region code whose check character does not follow the standard.
            ("91350100M0001TGQXM", "check_character"),
            ("51100000500010993N", "check_character"),
            ("91350100M000100I43", "charset"),
            ("91350100O000100Y43", "charset"),
            ("Z1350100M000100Y43", "charset"),
            ("91350100M000100Y4S", "charset"),
            ("91350100M00-100Y43", "charset"),
            ("91350100M00０100Y4Ω", "charset"),
            ("97350100M000100Y4G", "unknown_code"),
            ("B1350100M000100Y41", "unknown_code"),
            ("Y2110000MA0000001U", "unknown_code"),
            ("9135010AM000100Y4K", "format"),
        ] {
            check(input, Err(rule));
        }
    }

    #[test]
    fn messages_name_expected_and_found() {
        let error = Uscc::parse("91350100M000100Y44").unwrap_err();
        assert_eq!(
            error.message,
            "check character of 91350100M000100Y4 should be 3, found 4"
        );
        let error = Uscc::parse("97350100M000100Y4G").unwrap_err();
        assert!(
            error.message.contains("should be one of 1, 2, 3, found 7"),
            "{}",
            error.message
        );
    }

    #[test]
    fn parts() {
        let code = Uscc::parse("91350100M000100Y43").unwrap();
        assert_eq!(code.registration_authority(), '9');
        assert_eq!(code.registration_authority_name(), "工商");
        assert_eq!(code.organisation_type(), '1');
        assert_eq!(code.region_part(), "350100");
        assert_eq!(code.region().unwrap().as_str(), "350100");
        assert_eq!(code.organisation_code(), "M000100Y4");
        assert_eq!(code.check_character(), '3');
        // Old region codes are kept even though they are no longer in the table.
        let old = Uscc::from_body("91999999M000100Y4").unwrap();
        assert_eq!(old.region_part(), "999999");
        assert_eq!(old.region(), None);
    }

    #[test]
    fn from_body_round_trips() {
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move |bound: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) % bound as u64) as usize
        };
        for _ in 0..5_000 {
            let (authority, _, kinds) = AUTHORITIES[next(AUTHORITIES.len())];
            let mut body = vec![authority, kinds[next(kinds.len())]];
            body.extend((0..6).map(|_| b'0' + next(10) as u8));
            body.extend((0..9).map(|_| ALPHABET[next(31)]));
            let body = String::from_utf8(body).unwrap();
            let built = Uscc::from_body(&body).unwrap();
            assert_eq!(&built.as_str()[..17], body);
            assert_eq!(Uscc::parse(built.as_str()).unwrap(), built);
            assert_eq!(Uscc::parse(&built.as_str().to_lowercase()).unwrap(), built);
        }
        assert_eq!(
            Uscc::from_body("91350100M000100Y4").unwrap().as_str(),
            "91350100M000100Y43"
        );
        assert_eq!(
            Uscc::from_body("91350100M000100Y43").unwrap_err().code,
            "length"
        );
        assert_eq!(Uscc::from_body("").unwrap_err().code, "empty");
    }

    #[test]
    fn serde_uses_the_normal_form() {
        let code: Uscc = serde_json::from_str("\"91350100m000100y43\"").unwrap();
        assert_eq!(
            serde_json::to_string(&code).unwrap(),
            "\"91350100M000100Y43\""
        );
        assert!(serde_json::from_str::<Uscc>("\"91350100M000100Y44\"").is_err());
    }
}
