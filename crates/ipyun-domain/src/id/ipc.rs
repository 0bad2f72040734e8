//! STUB: to be replaced by the full implementation.
use super::{IdError, string_identifier_serde};

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IpcSymbol(String);

impl IpcSymbol {
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(IdError::new("empty", "value is empty"));
        }
        Ok(Self(trimmed.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_identifier_serde!(IpcSymbol);
