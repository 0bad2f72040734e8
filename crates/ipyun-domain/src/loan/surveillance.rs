//! Collateral surveillance (押品监控): what about a pledged right should alarm its pledgee. The
//! daily job asks [`collateral_risks`] of every right under an active pledge of a running loan
//! and alerts the lender to each risk that was not already raised.

use crate::right::{LegalStatus, RightKind};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::party::string_enum;

string_enum!(
    /// A reason to alert the pledgee.
    CollateralRisk, "collateral risk" {
    // The annual fee's paid-until date has passed (the six-month late period runs).
    AnnualFeeUnpaid => "annual_fee_unpaid",
    // The register shows the late-fee period.
    LateFeePeriod => "late_fee_period",
    // The right has ended: lapsed for the fee, expired or invalidated.
    Terminated => "terminated",
    InvalidationRequested => "invalidation_requested",
    // Frozen by a court.
    Preserved => "preserved",
    OwnershipDispute => "ownership_dispute",
    // The register names a holder other than the pledgor: a transfer was attempted.
    TransferAttempt => "transfer_attempt",
    // The right ends before the loan matures.
    ExpiresBeforeMaturity => "expires_before_maturity",
    // A trademark's renewal window (twelve months before expiry) is open.
    RenewalDue => "renewal_due",
});

impl CollateralRisk {
    /// The alert's words, in Chinese.
    pub fn label_zh(self) -> &'static str {
        match self {
            CollateralRisk::AnnualFeeUnpaid => "年费逾期未缴",
            CollateralRisk::LateFeePeriod => "处于年费滞纳期",
            CollateralRisk::Terminated => "权利已终止（未缴年费、期满或被宣告无效）",
            CollateralRisk::InvalidationRequested => "被提出无效宣告请求",
            CollateralRisk::Preserved => "被法院保全（冻结）",
            CollateralRisk::OwnershipDispute => "存在权属纠纷，程序中止",
            CollateralRisk::TransferAttempt => "登记权利人已非出质人，疑似转让",
            CollateralRisk::ExpiresBeforeMaturity => "权利期限早于贷款到期日届满",
            CollateralRisk::RenewalDue => "商标进入续展期",
        }
    }
}

/// What the register says of a pledged right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollateralFacts {
    pub kind: RightKind,
    pub legal_status: LegalStatus,
    pub annual_fee_paid_until: Option<NaiveDate>,
    pub expiry_date: Option<NaiveDate>,
    /// The pledgor is among the right's holders.
    pub held_by_pledgor: bool,
}

/// The risks of one pledged right at `date` for a loan maturing on `maturity`, in the order of
/// [`CollateralRisk`].
pub fn collateral_risks(
    facts: &CollateralFacts,
    maturity: NaiveDate,
    date: NaiveDate,
) -> Vec<CollateralRisk> {
    let mut risks = Vec::new();
    let status = facts.legal_status;
    if facts
        .annual_fee_paid_until
        .is_some_and(|paid_until| paid_until < date)
        && !status.is_terminal()
        && status != LegalStatus::LateFeePeriod
    {
        risks.push(CollateralRisk::AnnualFeeUnpaid);
    }
    let by_status = match status {
        LegalStatus::LateFeePeriod => Some(CollateralRisk::LateFeePeriod),
        LegalStatus::LapsedUnpaidFee | LegalStatus::Expired | LegalStatus::Invalidated => {
            Some(CollateralRisk::Terminated)
        }
        LegalStatus::InvalidationPending => Some(CollateralRisk::InvalidationRequested),
        LegalStatus::Preserved => Some(CollateralRisk::Preserved),
        LegalStatus::OwnershipDispute => Some(CollateralRisk::OwnershipDispute),
        LegalStatus::NotYetGranted | LegalStatus::InForce => None,
    };
    risks.extend(by_status);
    if !facts.held_by_pledgor {
        risks.push(CollateralRisk::TransferAttempt);
    }
    if let Some(expiry) = facts.expiry_date
        && !status.is_terminal()
    {
        if expiry < maturity {
            risks.push(CollateralRisk::ExpiresBeforeMaturity);
        }
        let window_opens = expiry.checked_sub_months(Months::new(12)).unwrap_or(expiry);
        if facts.kind == RightKind::Trademark && date >= window_opens && date <= expiry {
            risks.push(CollateralRisk::RenewalDue);
        }
    }
    risks
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn facts(kind: RightKind, status: LegalStatus) -> CollateralFacts {
        CollateralFacts {
            kind,
            legal_status: status,
            annual_fee_paid_until: Some(day("2027-06-30")),
            expiry_date: Some(day("2040-01-01")),
            held_by_pledgor: true,
        }
    }

    #[test]
    fn a_right_in_force_held_by_the_pledgor_with_fees_paid_raises_nothing() {
        let risks = collateral_risks(
            &facts(RightKind::Invention, LegalStatus::InForce),
            day("2028-01-01"),
            day("2027-01-01"),
        );
        assert_eq!(risks, vec![]);
    }

    #[test]
    fn each_change_of_the_register_raises_its_own_risk() {
        let maturity = day("2028-01-01");
        let date = day("2027-01-01");
        let cases = [
            (LegalStatus::LateFeePeriod, CollateralRisk::LateFeePeriod),
            (LegalStatus::LapsedUnpaidFee, CollateralRisk::Terminated),
            (LegalStatus::Invalidated, CollateralRisk::Terminated),
            (
                LegalStatus::InvalidationPending,
                CollateralRisk::InvalidationRequested,
            ),
            (LegalStatus::Preserved, CollateralRisk::Preserved),
            (
                LegalStatus::OwnershipDispute,
                CollateralRisk::OwnershipDispute,
            ),
        ];
        for (status, risk) in cases {
            let found = collateral_risks(&facts(RightKind::Invention, status), maturity, date);
            assert_eq!(found, vec![risk], "{status:?}");
        }
    }

    #[test]
    fn an_unpaid_fee_a_transfer_and_an_early_expiry_are_caught_from_the_facts() {
        let mut right = facts(RightKind::Invention, LegalStatus::InForce);
        right.annual_fee_paid_until = Some(day("2026-12-31"));
        right.held_by_pledgor = false;
        right.expiry_date = Some(day("2027-06-30"));
        let risks = collateral_risks(&right, day("2028-01-01"), day("2027-01-01"));
        assert_eq!(
            risks,
            vec![
                CollateralRisk::AnnualFeeUnpaid,
                CollateralRisk::TransferAttempt,
                CollateralRisk::ExpiresBeforeMaturity
            ]
        );
        // The day the fee is paid until is still paid.
        let risks = collateral_risks(&right, day("2028-01-01"), day("2026-12-31"));
        assert!(!risks.contains(&CollateralRisk::AnnualFeeUnpaid));
    }

    #[test]
    fn a_trademark_is_due_for_renewal_in_the_twelve_months_before_expiry() {
        let mut mark = facts(RightKind::Trademark, LegalStatus::InForce);
        mark.annual_fee_paid_until = None;
        mark.expiry_date = Some(day("2028-03-01"));
        let maturity = day("2027-12-31");
        assert_eq!(collateral_risks(&mark, maturity, day("2027-02-28")), vec![]);
        assert_eq!(
            collateral_risks(&mark, maturity, day("2027-03-01")),
            vec![CollateralRisk::RenewalDue]
        );
        // A patent's expiry opens no renewal window.
        let mut patent = mark;
        patent.kind = RightKind::UtilityModel;
        assert_eq!(
            collateral_risks(&patent, maturity, day("2027-03-01")),
            vec![]
        );
    }
}
