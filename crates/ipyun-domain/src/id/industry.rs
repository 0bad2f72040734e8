//! STUB
use super::{IdError, string_identifier_serde};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndustryLevel {
    Section,
    Division,
    Group,
    Class,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IndustryCode(String);
impl IndustryCode {
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        Ok(Self(raw.trim().to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn name(&self) -> &'static str {
        ""
    }
    pub fn level(&self) -> IndustryLevel {
        IndustryLevel::Class
    }
    pub fn all() -> impl Iterator<Item = IndustryCode> {
        std::iter::empty()
    }
}
string_identifier_serde!(IndustryCode);
