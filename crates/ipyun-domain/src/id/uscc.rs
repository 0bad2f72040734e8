//! STUB
use super::{IdError, string_identifier_serde};

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uscc(String);
impl Uscc {
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        Ok(Self(raw.trim().to_string()))
    }
    /// Builds a USCC from its first 17 characters, computing the check character.
    pub fn from_body(body: &str) -> Result<Self, IdError> {
        Ok(Self(format!("{body}0")))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
string_identifier_serde!(Uscc);
