//! STUB
use super::{IdError, string_identifier_serde};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatentKindDigit {
    Invention,
    UtilityModel,
    Design,
    PctInvention,
    PctUtilityModel,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ApplicationNo(String);
impl ApplicationNo {
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        Ok(Self(raw.trim().to_string()))
    }
    /// Builds the number from its digits without the check digit (8 or 12 of them), computing the check digit.
    pub fn from_body(body: &str) -> Result<Self, IdError> {
        Ok(Self(format!("{body}.0")))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn kind_digit(&self) -> PatentKindDigit {
        PatentKindDigit::Invention
    }
    pub fn filing_year(&self) -> i32 {
        2020
    }
}
string_identifier_serde!(ApplicationNo);
