//! Identifiers (feature R2): each a newtype with a private field, built only by `parse`,
//! which normalises the input and names the rule it breaks.

mod any;
mod application_no;
mod copyright;
mod industry;
mod ipc;
mod nice;
mod region;
mod trademark;
mod uscc;

pub use any::{IDENTIFIER_KINDS, Validated, validate_identifier};
pub use application_no::{ApplicationNo, PatentKindDigit};
pub use copyright::{IcLayoutNo, SoftwareCopyrightNo};
pub use industry::{IndustryCode, IndustryLevel};
pub use ipc::IpcSymbol;
pub use nice::{NiceClass, NiceKind};
pub use region::{RegionCode, RegionLevel};
pub use trademark::TrademarkRegNo;
pub use uscc::Uscc;

/// Why a value is not a valid identifier: a stable rule code and an English explanation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct IdError {
    /// Stable, machine-readable rule name, e.g. `check_digit`, `length`, `charset`, `unknown_code`.
    pub code: &'static str,
    /// Human-readable English explanation naming what was expected.
    pub message: String,
}

impl IdError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// Serde support shared by every identifier: serialised as its normal form, deserialised through `parse`.
macro_rules! string_identifier_serde {
    ($type:ty) => {
        impl serde::Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> serde::Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw =
                    <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                <$type>::parse(&raw).map_err(serde::de::Error::custom)
            }
        }
        impl std::fmt::Display for $type {
            fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str(self.as_str())
            }
        }
        impl std::str::FromStr for $type {
            type Err = IdError;
            fn from_str(raw: &str) -> Result<Self, IdError> {
                <$type>::parse(raw)
            }
        }
        impl utoipa::PartialSchema for $type {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description(Some(stringify!($type)))
                    .into()
            }
        }
        impl utoipa::ToSchema for $type {}
    };
}
pub(crate) use string_identifier_serde;

/// Input clean-up shared by the parsers: folds full-width forms (U+FF01–U+FF5E and the ideographic
/// space U+3000, common in text typed with a Chinese input method) to ASCII, drops every whitespace
/// character and upper-cases ASCII letters. Other characters pass through unchanged.
pub(crate) fn compact(raw: &str) -> String {
    raw.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Shows a value in an error message: quoted, and cut after 40 characters so a pasted essay stays readable.
pub(crate) fn shown(value: &str) -> String {
    const MAX: usize = 40;
    if value.chars().count() <= MAX {
        format!("\"{value}\"")
    } else {
        let head: String = value.chars().take(MAX).collect();
        format!("\"{head}…\"")
    }
}

/// The first character that is not allowed, with its 1-based position, for `charset` messages.
pub(crate) fn first_bad_char(value: &str, allowed: impl Fn(char) -> bool) -> Option<(usize, char)> {
    value
        .chars()
        .enumerate()
        .find(|&(_, c)| !allowed(c))
        .map(|(index, c)| (index + 1, c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_folds_width_and_spaces() {
        assert_eq!(compact(" ２０２１\u{3000}sr０１２ "), "2021SR012");
        assert_eq!(compact("ｃｎ２０２１．７"), "CN2021.7");
        assert_eq!(compact("第 9 类"), "第9类");
    }

    #[test]
    fn shown_cuts_long_values() {
        assert_eq!(shown("abc"), "\"abc\"");
        assert_eq!(shown(&"x".repeat(50)), format!("\"{}…\"", "x".repeat(40)));
    }

    #[test]
    fn first_bad_char_is_one_based() {
        assert_eq!(
            first_bad_char("12a4", |c| c.is_ascii_digit()),
            Some((3, 'a'))
        );
        assert_eq!(first_bad_char("1234", |c| c.is_ascii_digit()), None);
    }
}
