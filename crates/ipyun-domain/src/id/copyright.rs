//! STUB
use super::{IdError, string_identifier_serde};

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SoftwareCopyrightNo(String);
impl SoftwareCopyrightNo {
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        Ok(Self(raw.trim().to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
string_identifier_serde!(SoftwareCopyrightNo);

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IcLayoutNo(String);
impl IcLayoutNo {
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        Ok(Self(raw.trim().to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
string_identifier_serde!(IcLayoutNo);
