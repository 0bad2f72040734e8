//! STUB
use super::{IdError, string_identifier_serde};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NiceKind {
    Goods,
    Services,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NiceClass(String);
impl NiceClass {
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        Ok(Self(raw.trim().to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn number(&self) -> u8 {
        1
    }
    pub fn kind(&self) -> NiceKind {
        NiceKind::Goods
    }
}
string_identifier_serde!(NiceClass);
