//! STUB
use super::{IdError, string_identifier_serde};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionLevel {
    Province,
    Prefecture,
    County,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode(String);
impl RegionCode {
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        Ok(Self(raw.trim().to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn name(&self) -> &'static str {
        ""
    }
    pub fn level(&self) -> RegionLevel {
        RegionLevel::County
    }
    /// The province this code belongs to (itself for a province).
    pub fn province(&self) -> RegionCode {
        self.clone()
    }
    /// Every code in the shipped table, in code order.
    pub fn all() -> impl Iterator<Item = RegionCode> {
        std::iter::empty()
    }
}
string_identifier_serde!(RegionCode);
