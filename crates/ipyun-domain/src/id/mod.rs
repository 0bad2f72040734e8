//! Identifiers (feature R2): each a newtype with a private field, built only by `parse`,
//! which normalises the input and names the rule it breaks.

mod application_no;
mod copyright;
mod industry;
mod ipc;
mod nice;
mod region;
mod trademark;
mod uscc;

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
                let raw = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
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
