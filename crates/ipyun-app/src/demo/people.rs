//! People, phone numbers and identifiers shared by every kind of party.

use super::rng::Rng;
use super::words::{GIVEN_CHARS, MOBILE_PREFIXES, SURNAMES, USCC_ALPHABET};
use ipyun_domain::id::{IndustryCode, IndustryLevel, Uscc};
use std::collections::{BTreeMap, HashSet};

/// A Chinese personal name: a surname and one or two given characters.
pub(crate) fn person_name(rng: &mut Rng) -> String {
    let surname = rng.pick(SURNAMES);
    let first = rng.pick(GIVEN_CHARS);
    if rng.chance(650) {
        let mut second = rng.pick(GIVEN_CHARS);
        if second == first {
            second = rng.pick(GIVEN_CHARS);
        }
        format!("{surname}{first}{second}")
    } else {
        format!("{surname}{first}")
    }
}

/// An 11-digit mobile number (13x, 15x or 18x).
pub(crate) fn mobile(rng: &mut Rng) -> String {
    format!(
        "{}{:08}",
        rng.pick(MOBILE_PREFIXES),
        rng.range(0, 99_999_999)
    )
}

/// The value of a character in GB 11714 (digits 0–9, letters A=10 … Z=35).
fn code_value(c: char) -> u32 {
    match c {
        '0'..='9' => u32::from(c) - u32::from('0'),
        'A'..='Z' => u32::from(c) - u32::from('A') + 10,
        _ => 0,
    }
}

/// A 9-character organisation code (GB 11714: eight characters and a check character). Codes
/// assigned since the USCC reform start with `MA`; older ones are digits.
pub(crate) fn organisation_code(rng: &mut Rng, modern: bool) -> String {
    let mut body = String::with_capacity(9);
    if modern {
        body.push_str("MA");
        for position in 0..6 {
            // Mostly digits, some letters, as in real codes (e.g. MA1FL4R19).
            let index = if position > 0 && rng.chance(300) {
                10 + rng.below(USCC_ALPHABET.len() - 10)
            } else {
                rng.below(10)
            };
            body.push(char::from(
                USCC_ALPHABET.get(index).copied().unwrap_or(b'0'),
            ));
        }
    } else {
        body.push(char::from(b'1' + u8::try_from(rng.below(8)).unwrap_or(0)));
        for _ in 0..7 {
            body.push(char::from(b'0' + u8::try_from(rng.below(10)).unwrap_or(0)));
        }
    }
    const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(WEIGHTS)
        .map(|(c, weight)| code_value(c) * weight)
        .sum();
    let check = match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        digit => char::from_digit(digit, 10).unwrap_or('0'),
    };
    body.push(check);
    body
}

/// A fresh USCC `<registry><category><region><organisation code><check>`, distinct from every
/// one in `taken`; `None` only if the validator keeps refusing (it should not).
pub(crate) fn new_uscc(
    rng: &mut Rng,
    taken: &mut HashSet<String>,
    registry_category: &str,
    region: &str,
    modern: bool,
) -> Option<String> {
    for _ in 0..64 {
        let body = format!(
            "{registry_category}{region}{}",
            organisation_code(rng, modern)
        );
        if let Ok(uscc) = Uscc::from_body(&body)
            && taken.insert(uscc.as_str().to_string())
        {
            return Some(uscc.as_str().to_string());
        }
    }
    None
}

/// The classes (小类) of the shipped GB/T 4754 table, by their four digits.
pub(crate) struct IndustryTable {
    classes: BTreeMap<String, String>,
}

impl IndustryTable {
    pub(crate) fn load() -> IndustryTable {
        let classes = IndustryCode::all()
            .filter(|code| code.level() == IndustryLevel::Class)
            .map(|code| {
                let digits: String = code.as_str().chars().filter(char::is_ascii_digit).collect();
                (digits, code.as_str().to_string())
            })
            .collect();
        IndustryTable { classes }
    }

    /// The table's form of `code` (written with its section letter, e.g. `C3841`); the code as
    /// written when the table is not available.
    pub(crate) fn resolve(&self, code: &str) -> String {
        let digits: String = code.chars().filter(char::is_ascii_digit).collect();
        self.classes
            .get(&digits)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }

    /// Whether `code` is a class of the shipped table.
    #[cfg(test)]
    pub(crate) fn is_class(&self, code: &str) -> bool {
        self.classes.values().any(|known| known == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisation_codes_carry_gb11714_check() {
        // 组织机构代码 examples with known check characters.
        let check = |body: &str| {
            const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
            let sum: u32 = body
                .chars()
                .zip(WEIGHTS)
                .map(|(c, w)| code_value(c) * w)
                .sum();
            11 - sum % 11
        };
        assert_eq!(check("D2143569"), 10); // D2143569-X, the standard's example
        let mut rng = Rng::new(3);
        for modern in [false, true] {
            for _ in 0..200 {
                let code = organisation_code(&mut rng, modern);
                assert_eq!(code.len(), 9);
                assert!(code.bytes().all(|b| USCC_ALPHABET.contains(&b)), "{code}");
            }
        }
    }

    #[test]
    fn names_and_phones_look_right() {
        let mut rng = Rng::new(5);
        for _ in 0..100 {
            let name = person_name(&mut rng);
            assert!((2..=4).contains(&name.chars().count()), "{name}");
            let phone = mobile(&mut rng);
            assert_eq!(phone.len(), 11);
            assert!(phone.starts_with("13") || phone.starts_with("15") || phone.starts_with("18"));
        }
    }
}
