//! Amendment and cancellation of a registered pledge (feature P5): registrations of their own,
//! applied for by the parties, examined, and noticed.

use super::finding::{Finding, FindingCode, Measures};
use crate::field::{FieldError, FieldErrors};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What an amendment changes: each field given replaces the registered one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AmendmentInput {
    /// The pledgor's new name (after a change of name).
    pub pledgor_name: Option<String>,
    pub pledgor_address: Option<String>,
    /// The pledgee's new name.
    pub pledgee_name: Option<String>,
    pub pledgee_address: Option<String>,
    /// The new secured amount, in fen.
    pub secured_amount_fen: Option<i64>,
    /// The new end of the debtor's performance period.
    pub performance_end: Option<NaiveDate>,
    /// The new scope of the security.
    pub scope: Option<String>,
    /// Why the registration is amended.
    pub reason: Option<String>,
}

/// Why a pledge is cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CancellationReason {
    /// The secured debt was repaid.
    DebtRepaid,
    /// The pledge was realised (the rights sold or taken over).
    PledgeRealised,
    /// The pledgee gives up the pledge.
    PledgeeWaives,
    /// The pledge contract was found void or was rescinded.
    ContractVoid,
}

impl CancellationReason {
    pub fn as_str(self) -> &'static str {
        match self {
            CancellationReason::DebtRepaid => "debt_repaid",
            CancellationReason::PledgeRealised => "pledge_realised",
            CancellationReason::PledgeeWaives => "pledgee_waives",
            CancellationReason::ContractVoid => "contract_void",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            CancellationReason::DebtRepaid => "债务已清偿",
            CancellationReason::PledgeRealised => "质权已实现",
            CancellationReason::PledgeeWaives => "质权人放弃质权",
            CancellationReason::ContractVoid => "质押合同无效或被撤销",
        }
    }

    /// Whether the pledgee's declaration alone suffices (it only gives up its own security).
    pub fn pledgee_alone(self) -> bool {
        matches!(
            self,
            CancellationReason::DebtRepaid | CancellationReason::PledgeeWaives
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CancellationInput {
    pub reason: CancellationReason,
    pub note: Option<String>,
}

/// The body of an amendment or cancellation application, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "act", rename_all = "snake_case")]
pub enum PledgeChange {
    Amendment {
        registration_no: String,
        amendment: AmendmentInput,
    },
    Cancellation {
        registration_no: String,
        cancellation: CancellationInput,
    },
}

fn text_ok(errors: &mut FieldErrors, field: &str, value: &Option<String>) {
    if let Some(text) = value
        && (text.trim().is_empty() || text.chars().count() > super::input::MAX_TEXT_CHARS)
    {
        errors.push(FieldError::new(
            field,
            "invalid",
            "a non-empty text of at most 500 characters",
        ));
    }
}

impl AmendmentInput {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        for (field, value) in [
            ("pledgor_name", &self.pledgor_name),
            ("pledgor_address", &self.pledgor_address),
            ("pledgee_name", &self.pledgee_name),
            ("pledgee_address", &self.pledgee_address),
            ("scope", &self.scope),
            ("reason", &self.reason),
        ] {
            text_ok(&mut errors, field, value);
        }
        if let Some(amount) = self.secured_amount_fen
            && !(0..=super::input::MAX_AMOUNT_FEN).contains(&amount)
        {
            errors.push(FieldError::new(
                "secured_amount_fen",
                "out_of_range",
                "an amount in fen, not negative",
            ));
        }
        let changes_nothing = self.pledgor_name.is_none()
            && self.pledgor_address.is_none()
            && self.pledgee_name.is_none()
            && self.pledgee_address.is_none()
            && self.secured_amount_fen.is_none()
            && self.performance_end.is_none()
            && self.scope.is_none();
        if changes_nothing {
            errors.push(FieldError::new(
                "amendment",
                "nothing_changed",
                "an amendment changes at least one term",
            ));
        }
        errors.into_result()
    }

    /// The changes as labelled lines for the notice: (label, new value).
    pub fn lines(&self) -> Vec<(String, String)> {
        let mut lines = Vec::new();
        let mut add = |label: &str, value: Option<String>| {
            if let Some(value) = value {
                lines.push((label.to_string(), value));
            }
        };
        add("出质人名称 / Pledgor's name", self.pledgor_name.clone());
        add(
            "出质人地址 / Pledgor's address",
            self.pledgor_address.clone(),
        );
        add("质权人名称 / Pledgee's name", self.pledgee_name.clone());
        add(
            "质权人地址 / Pledgee's address",
            self.pledgee_address.clone(),
        );
        add(
            "被担保债权数额（分）/ Secured amount (fen)",
            self.secured_amount_fen.map(|fen| fen.to_string()),
        );
        add(
            "债务履行期限届满日 / Performance period ends",
            self.performance_end.map(|date| date.to_string()),
        );
        add("担保范围 / Scope", self.scope.clone());
        add("变更原因 / Reason", self.reason.clone());
        lines
    }
}

impl CancellationInput {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        text_ok(&mut errors, "note", &self.note);
        errors.into_result()
    }
}

/// The registered pledge an amendment or cancellation applies to, as the register stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PledgeFacts {
    pub registration_no: String,
    pub active: bool,
    /// The earliest expiry among the pledged rights in the register.
    pub earliest_expiry: Option<(String, NaiveDate)>,
}

/// Examines an amendment or a cancellation against the pledge it changes.
pub fn examine_change(change: &PledgeChange, pledge: &PledgeFacts) -> Vec<Finding> {
    let mut findings = Vec::new();
    let number = &pledge.registration_no;
    if !pledge.active {
        findings.push(Finding::new(
            FindingCode::PledgeNotActive,
            Measures::Patent,
            None,
            format!("质押登记 {number} 已注销，不能变更或再次注销。"),
            format!("Pledge {number} is cancelled: it can be neither amended nor cancelled again."),
        ));
    }
    if let PledgeChange::Amendment { amendment, .. } = change
        && let (Some(end), Some((right, expiry))) =
            (amendment.performance_end, &pledge.earliest_expiry)
        && end > *expiry
    {
        findings.push(Finding::new(
            FindingCode::PerformancePastExpiry,
            Measures::Patent,
            Some(right),
            format!("变更后的债务履行期限（至 {end}）超过 {right} 的有效期（至 {expiry}）。"),
            format!("The amended performance period (to {end}) runs past the expiry of {right} ({expiry})."),
        ));
    }
    findings
}
