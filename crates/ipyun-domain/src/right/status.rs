use crate::id::IdError;
use serde::{Deserialize, Serialize};

/// Legal status of a right (法律状态).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LegalStatus {
    /// Filed, not yet granted or registered.
    NotYetGranted,
    InForce,
    /// Annual fee overdue, within the six-month late-fee period.
    LateFeePeriod,
    /// Terminated for an unpaid annual fee.
    LapsedUnpaidFee,
    Expired,
    Invalidated,
    /// A request for invalidation is pending.
    InvalidationPending,
    /// Frozen (preserved) by a court.
    Preserved,
    /// Procedure suspended for an ownership dispute.
    OwnershipDispute,
}

impl LegalStatus {
    pub const ALL: [LegalStatus; 9] = [
        LegalStatus::NotYetGranted,
        LegalStatus::InForce,
        LegalStatus::LateFeePeriod,
        LegalStatus::LapsedUnpaidFee,
        LegalStatus::Expired,
        LegalStatus::Invalidated,
        LegalStatus::InvalidationPending,
        LegalStatus::Preserved,
        LegalStatus::OwnershipDispute,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LegalStatus::NotYetGranted => "not_yet_granted",
            LegalStatus::InForce => "in_force",
            LegalStatus::LateFeePeriod => "late_fee_period",
            LegalStatus::LapsedUnpaidFee => "lapsed_unpaid_fee",
            LegalStatus::Expired => "expired",
            LegalStatus::Invalidated => "invalidated",
            LegalStatus::InvalidationPending => "invalidation_pending",
            LegalStatus::Preserved => "preserved",
            LegalStatus::OwnershipDispute => "ownership_dispute",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let normal = raw.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == normal)
            .ok_or_else(|| {
                let expected: Vec<&str> = Self::ALL.iter().map(|status| status.as_str()).collect();
                IdError::new(
                    "unknown_status",
                    format!(
                        "legal status should be one of {}; found {raw:?}",
                        expected.join(", ")
                    ),
                )
            })
    }

    /// Whether the right has ended for good (no pledge, no licence).
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            LegalStatus::LapsedUnpaidFee | LegalStatus::Expired | LegalStatus::Invalidated
        )
    }
}
