//! Validation findings that name the field and the rule, e.g. `{"field":"holders[1].uscc","code":"check_character"}`.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// Path of the offending field, e.g. `holders[1].uscc` or a CSV column name.
    pub field: String,
    /// Stable rule code, e.g. `required`, `check_digit`, `unknown_code`.
    pub code: String,
    /// English explanation.
    pub message: String,
}

impl FieldError {
    pub fn new(
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }

    pub fn required(field: impl Into<String>) -> Self {
        Self::new(field, "required", "a value is required")
    }
}

/// Collects every finding of one validation pass, so a user sees all problems at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Runs a parser on a field, recording its error under `field` and returning the value when valid.
    pub fn parse<T>(&mut self, field: &str, result: Result<T, crate::id::IdError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.0
                    .push(FieldError::new(field, error.code, error.message));
                None
            }
        }
    }

    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|error| format!("{}: {} ({})", error.field, error.message, error.code))
            .collect();
        formatter.write_str(&parts.join("; "))
    }
}
