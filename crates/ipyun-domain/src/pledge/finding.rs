//! Examination findings (feature P2): each has a stable code, the legal ground it applies (by the
//! kind of right, since patents, trademarks and copyrights have their own registration measures),
//! and a message in Chinese and English.

use crate::right::RightKind;
use serde::{Deserialize, Serialize};

/// What a finding does to the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// A refusal ground: the application is refused.
    Refuse,
    /// Refused unless the parties, once told, declare they want to go on.
    NeedsConsent,
    /// The parties were told and declared they want to go on: recorded, does not refuse.
    Consented,
    /// The rules cannot decide: an examiner does, within one working day.
    Review,
}

macro_rules! finding_codes {
    ($($variant:ident => $code:literal, $severity:ident;)+) => {
        /// Every finding the examination can make.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        pub enum FindingCode { $($variant),+ }

        impl FindingCode {
            pub const ALL: &'static [FindingCode] = &[$(FindingCode::$variant),+];

            /// The stable code, e.g. `pledge.right_already_pledged`.
            pub fn as_str(self) -> &'static str {
                match self { $(FindingCode::$variant => $code),+ }
            }

            /// The severity before any informed consent.
            pub fn severity(self) -> Severity {
                match self { $(FindingCode::$variant => Severity::$severity),+ }
            }

            pub fn parse(raw: &str) -> Option<FindingCode> {
                Self::ALL.iter().copied().find(|code| code.as_str() == raw.trim())
            }
        }
    };
}

finding_codes! {
    PledgorNotHolder => "pledge.pledgor_not_holder", Refuse;
    RightTerminated => "pledge.right_terminated", Refuse;
    RightExpired => "pledge.right_expired", Refuse;
    RightInvalidated => "pledge.right_invalidated", Refuse;
    NotYetGranted => "pledge.not_yet_granted", Refuse;
    AnnualFeeUnpaid => "pledge.annual_fee_unpaid", Refuse;
    LateFeePeriod => "pledge.late_fee_period", Refuse;
    OwnershipDispute => "pledge.ownership_dispute", Refuse;
    RightPreserved => "pledge.right_preserved", Refuse;
    PerformancePastExpiry => "pledge.performance_past_expiry", Refuse;
    ContractTermMissing => "pledge.contract_term_missing", Refuse;
    TransferOnDefault => "pledge.transfer_on_default", Refuse;
    CoOwnerConsentMissing => "pledge.co_owner_consent_missing", Refuse;
    RightAlreadyPledged => "pledge.right_already_pledged", Refuse;
    CommitmentLetterMissing => "pledge.commitment_letter_missing", Refuse;
    SameDayFiling => "pledge.same_day_filing", NeedsConsent;
    InvalidationPending => "pledge.invalidation_pending", NeedsConsent;
    RightNotInRegistry => "pledge.right_not_in_registry", Review;
    ParticularsMismatch => "pledge.particulars_mismatch", Review;
    LicenceContractsToCheck => "pledge.licence_contracts_to_check", Review;
    ExaminerGround => "pledge.examiner_ground", Refuse;
    PledgeNotActive => "pledge.pledge_not_active", Refuse;
    ValuationReportMissing => "pledge.valuation_report_missing", Refuse;
}

/// The family of registration measures a right falls under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measures {
    Patent,
    Trademark,
    Copyright,
    IcLayout,
}

impl Measures {
    pub fn of(kind: RightKind) -> Measures {
        match kind {
            RightKind::Invention | RightKind::UtilityModel | RightKind::Design => Measures::Patent,
            RightKind::Trademark => Measures::Trademark,
            RightKind::SoftwareCopyright => Measures::Copyright,
            RightKind::IcLayout => Measures::IcLayout,
        }
    }
}

const PATENT_MEASURES: &str = "《专利权质押登记办法》（国家知识产权局公告第461号）第十二条";
const TRADEMARK_MEASURES: &str =
    "《注册商标专用权质押登记程序规定》（国家知识产权局公告第358号）第八条";
const COPYRIGHT_MEASURES: &str = "《著作权质权登记办法》（国家版权局令第8号）第十二条";
const IC_LAYOUT_MEASURES: &str =
    "《集成电路布图设计保护条例》，参照《专利权质押登记办法》（国家知识产权局公告第461号）第十二条";
const CIVIL_CODE_428: &str = "《中华人民共和国民法典》第四百二十八条";

impl FindingCode {
    /// The legal ground this finding applies, for a right under `measures`.
    pub fn ground(self, measures: Measures) -> String {
        use FindingCode::*;
        let item = match measures {
            Measures::Patent | Measures::IcLayout => match self {
                PledgorNotHolder => "第（一）项",
                RightTerminated | RightExpired | RightInvalidated => "第（二）项",
                NotYetGranted => "第（三）项",
                AnnualFeeUnpaid | LateFeePeriod => "第（四）项",
                OwnershipDispute | RightPreserved => "第（五）项",
                PerformancePastExpiry => "第（六）项",
                TransferOnDefault | ContractTermMissing => "第（七）项",
                CoOwnerConsentMissing => "第（八）项",
                RightAlreadyPledged => "第（九）项",
                SameDayFiling => "第（十）项",
                InvalidationPending => "第（十一）项",
                _ => "第（十二）项",
            },
            Measures::Trademark => match self {
                PledgorNotHolder => "第（一）项",
                TransferOnDefault | ContractTermMissing => "第（二）项",
                RightTerminated | RightExpired | RightInvalidated => "第（三）项",
                RightPreserved | OwnershipDispute => "第（四）项",
                _ => "第（五）项",
            },
            Measures::Copyright => match self {
                PledgorNotHolder => "第（一）项",
                TransferOnDefault | ContractTermMissing => "第（二）项",
                RightTerminated | RightExpired | RightInvalidated => "第（三）项",
                PerformancePastExpiry => "第（四）项",
                OwnershipDispute | RightPreserved => "第（五）项",
                _ => "第（六）项",
            },
        };
        let measure = match measures {
            Measures::Patent => PATENT_MEASURES,
            Measures::Trademark => TRADEMARK_MEASURES,
            Measures::Copyright => COPYRIGHT_MEASURES,
            Measures::IcLayout => IC_LAYOUT_MEASURES,
        };
        let mut ground = format!("{measure}{item}");
        match self {
            TransferOnDefault => ground = format!("{CIVIL_CODE_428}；{ground}"),
            CoOwnerConsentMissing if measures == Measures::Patent => {
                ground = format!("{ground}、第四条")
            }
            ContractTermMissing if measures == Measures::Patent => {
                ground = format!("{ground}、第九条")
            }
            CommitmentLetterMissing if measures == Measures::Patent => {
                ground = format!("{PATENT_MEASURES_ART7}；{ground}")
            }
            ValuationReportMissing if measures == Measures::Patent => {
                ground = format!(
                    "《专利权质押登记办法》（国家知识产权局公告第461号）第七条第二款；{ground}"
                )
            }
            _ => {}
        }
        ground
    }
}

const PATENT_MEASURES_ART7: &str =
    "《专利权质押登记办法》（国家知识产权局公告第461号）第七条第一款第（三）项";

/// One finding of an examination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Finding {
    /// Stable code, e.g. `pledge.right_already_pledged`.
    pub code: String,
    pub severity: Severity,
    /// The legal ground applied (in Chinese, as cited).
    pub ground: String,
    /// The right concerned, when the finding is about one right.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub right_number: Option<String>,
    pub message_zh: String,
    pub message_en: String,
}

impl Finding {
    pub fn new(
        code: FindingCode,
        measures: Measures,
        right_number: Option<&str>,
        message_zh: String,
        message_en: String,
    ) -> Finding {
        Finding {
            code: code.as_str().to_string(),
            severity: code.severity(),
            ground: code.ground(measures),
            right_number: right_number.map(str::to_string),
            message_zh,
            message_en,
        }
    }

    pub fn code(&self) -> Option<FindingCode> {
        FindingCode::parse(&self.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_parse_back() {
        let mut seen = std::collections::HashSet::new();
        for code in FindingCode::ALL {
            assert!(seen.insert(code.as_str()), "{code:?}");
            assert_eq!(FindingCode::parse(code.as_str()), Some(*code));
            assert!(code.as_str().starts_with("pledge."));
        }
        assert_eq!(FindingCode::parse("pledge.nothing"), None);
    }

    #[test]
    fn every_code_cites_a_ground_for_every_measure() {
        for code in FindingCode::ALL {
            for measures in [
                Measures::Patent,
                Measures::Trademark,
                Measures::Copyright,
                Measures::IcLayout,
            ] {
                let ground = code.ground(measures);
                assert!(
                    ground.contains('《') && ground.contains("第"),
                    "{code:?} {measures:?}: {ground}"
                );
            }
        }
        assert!(
            FindingCode::RightAlreadyPledged
                .ground(Measures::Patent)
                .ends_with("第十二条第（九）项")
        );
        assert!(
            FindingCode::TransferOnDefault
                .ground(Measures::Trademark)
                .starts_with(CIVIL_CODE_428)
        );
    }
}
