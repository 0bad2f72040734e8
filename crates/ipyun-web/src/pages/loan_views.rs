//! Shapers shared by the loan pages: amounts in fen shown as yuan, rates and ratios as exact
//! percentages, enum values as the stable names their Fluent keys end in. Integer arithmetic
//! only; no rules of the domain.

use super::pledge_views::yuan;
use ipyun_app::loans::LoanView;
use serde::Serialize;

/// The stable name a value serialises to (`overdue_over90_days`), for enums without `as_str`.
pub fn wire_name(value: &impl Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|value| value.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Basis points as a percentage with two decimals: 1234 → `12.34%`; negative kept exact.
pub fn bp_percent(bp: i64) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let magnitude = bp.unsigned_abs();
    format!("{sign}{}.{:02}%", magnitude / 100, magnitude % 100)
}

/// An annual rate as the app gives it (`4.35`, exact) with its percent sign.
pub fn rate_percent(annual_rate_pct: &str) -> String {
    format!("{annual_rate_pct}%")
}

/// `/parties/{id}`.
pub fn party_href(id: i64) -> String {
    format!("/parties/{id}")
}

/// `/loans/{id}`.
pub fn loan_href(id: i64) -> String {
    format!("/loans/{id}")
}

/// One loan as a row of the list and the head of its detail page.
#[derive(Debug, Clone, Serialize)]
pub struct LoanRow {
    pub id: i64,
    pub href: String,
    pub contract_no: String,
    pub borrower: String,
    pub borrower_href: String,
    pub lender: String,
    pub lender_href: String,
    pub amount: String,
    pub outstanding: String,
    pub rate: String,
    pub method: &'static str,
    pub day_count: &'static str,
    pub start_date: String,
    pub months: u32,
    pub maturity: String,
    pub status: &'static str,
    pub class: &'static str,
    /// The lender's own class, when it chose one (at or worse than the floor).
    pub override_class: Option<&'static str>,
    pub override_reason: Option<String>,
    pub restructured_until: Option<String>,
    pub classified_on: Option<String>,
    pub days_overdue: i64,
    pub non_performing: bool,
    pub created_by: String,
}

impl From<&LoanView> for LoanRow {
    fn from(loan: &LoanView) -> Self {
        LoanRow {
            id: loan.id,
            href: loan_href(loan.id),
            contract_no: loan.contract_no.clone(),
            borrower: loan.borrower.clone(),
            borrower_href: party_href(loan.borrower_id),
            lender: loan.lender.clone(),
            lender_href: party_href(loan.lender_id),
            amount: yuan(loan.amount_fen),
            outstanding: yuan(loan.principal_outstanding_fen),
            rate: rate_percent(&loan.annual_rate_pct),
            method: loan.method.as_str(),
            day_count: loan.day_count.as_str(),
            start_date: loan.start_date.to_string(),
            months: loan.months,
            maturity: loan.maturity.to_string(),
            status: loan.status.as_str(),
            class: loan.risk_class.as_str(),
            override_class: loan.override_class.map(|class| class.as_str()),
            override_reason: loan.override_reason.clone(),
            restructured_until: loan.restructured_until.map(|date| date.to_string()),
            classified_on: loan.classified_on.map(|date| date.to_string()),
            days_overdue: loan.days_overdue.max(0),
            non_performing: loan.risk_class.is_non_performing(),
            created_by: loan.created_by.clone(),
        }
    }
}

#[cfg(test)]
pub(super) mod samples {
    use super::*;
    use chrono::NaiveDate;
    use ipyun_app::loans::LoanStatus;
    use ipyun_domain::loan::{DayCount, RepaymentMethod, RiskClass};

    pub fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    pub fn loan(id: i64, class: RiskClass) -> LoanView {
        LoanView {
            id,
            contract_no: format!("JK-<script>-{id}"),
            lender_id: 2,
            lender: "测试银行苏州分行".into(),
            borrower_id: 1,
            borrower: "苏州质押科技有限公司".into(),
            product_id: Some(1),
            amount_fen: 100_000_000,
            annual_rate_pct: "4.35".into(),
            method: RepaymentMethod::InterestOnly,
            day_count: DayCount::default(),
            start_date: day("2026-11-23"),
            months: 12,
            maturity: day("2027-11-23"),
            status: LoanStatus::Active,
            principal_outstanding_fen: 99_999_999,
            days_overdue: 91,
            risk_class: class,
            override_class: (class == RiskClass::Doubtful).then_some(RiskClass::Doubtful),
            override_reason: (class == RiskClass::Doubtful).then(|| "经营恶化".into()),
            restructured_until: None,
            classified_on: Some(day("2027-04-24")),
            created_by: "banker".into(),
            created_at: chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default(),
        }
    }

    #[test]
    fn amounts_and_ratios_are_exact() {
        let row = LoanRow::from(&loan(7, RiskClass::Substandard));
        assert_eq!(row.amount, "1,000,000.00");
        assert_eq!(row.outstanding, "999,999.99");
        assert_eq!(row.rate, "4.35%");
        assert_eq!((row.class, row.non_performing), ("substandard", true));
        assert_eq!(row.href, "/loans/7");
        assert_eq!(bp_percent(1_234), "12.34%");
        assert_eq!(bp_percent(5), "0.05%");
        assert_eq!(bp_percent(-150), "-1.50%");
        assert_eq!(
            wire_name(&ipyun_domain::loan::FloorRule::OverdueOver90Days),
            "overdue_over90_days"
        );
    }

    #[test]
    fn every_loan_value_has_a_translation() {
        use ipyun_domain::account::Lang;
        use ipyun_domain::loan::{DisposalMethod, DisposalStatus, FloorRule};
        let mut keys: Vec<String> = Vec::new();
        keys.extend(
            RiskClass::ALL
                .iter()
                .map(|v| format!("loan-class-{}", v.as_str())),
        );
        keys.extend(
            LoanStatus::ALL
                .iter()
                .map(|v| format!("loan-status-{}", v.as_str())),
        );
        keys.extend(
            RepaymentMethod::ALL
                .iter()
                .map(|v| format!("loan-method-{}", v.as_str())),
        );
        keys.extend(
            DayCount::ALL
                .iter()
                .map(|v| format!("loan-day-count-{}", v.as_str())),
        );
        keys.extend(
            DisposalMethod::ALL
                .iter()
                .map(|v| format!("disposal-method-{}", v.as_str())),
        );
        keys.extend(
            DisposalStatus::ALL
                .iter()
                .map(|v| format!("disposal-status-{}", v.as_str())),
        );
        keys.extend(
            [
                FloorRule::None,
                FloorRule::Overdue,
                FloorRule::OverdueOver90Days,
                FloorRule::OverdueOver270Days,
                FloorRule::OverdueOver360Days,
                FloorRule::RestructuredInObservation,
            ]
            .iter()
            .map(|rule| format!("loan-floor-rule-{}", wire_name(rule))),
        );
        let i18n = crate::i18n::I18n::load();
        for key in keys {
            for lang in [Lang::ZhCn, Lang::En] {
                assert!(i18n.has(lang, &key), "{key} is missing in {lang:?}");
            }
        }
        assert_eq!(
            i18n.text(Lang::ZhCn, "loan-class-special_mention", None),
            "关注"
        );
    }
}
