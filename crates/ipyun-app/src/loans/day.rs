//! The five-category classification: the daily job (accrue days overdue, reclassify by the
//! floor keeping valid overrides, count alerts) and lenders' overrides, never below the floor.

use super::views::due_of;
use super::{LoanDetail, conflict, stale};
use crate::{App, AppError, ErrorKind};
use chrono::NaiveDate;
use ipyun_db::loans::{
    AlertKey, ClassUpdate, DayAlerts, LenderNotice, LoanDayRun, LoanStatus, NewAlert, OverrideWrite,
};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::field::{FieldError, FieldErrors};
use ipyun_domain::loan::{
    FloorRule, RiskClass, classify, collateral_risks, days_between, floor, loan_days_overdue,
};
use std::collections::HashSet;

fn count(length: usize) -> i64 {
    i64::try_from(length).unwrap_or(i64::MAX)
}
use serde::{Deserialize, Serialize};

/// The longest reason for an override, in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// A floor rule's stable name, as the API shows it (`overdue_over90_days`).
pub(crate) fn rule_name(rule: FloorRule) -> String {
    serde_json::to_value(rule)
        .ok()
        .and_then(|value| value.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A lender's classification of its loan.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassificationInput {
    /// The lender's class, at or worse than the floor; `null` returns the loan to its floor.
    pub class: Option<RiskClass>,
    /// Why (required with a class).
    pub reason: Option<String>,
    /// A restructured loan's observation period ends on this date: until then it is at least
    /// substandard.
    pub restructured_until: Option<NaiveDate>,
}

/// What one run of the daily job did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LoanDayReport {
    pub date: NaiveDate,
    /// Active loans examined.
    pub loans: i64,
    /// Of which overdue on the date.
    pub overdue: i64,
    /// Whose class changed.
    pub reclassified: i64,
    pub downgraded: i64,
    pub upgraded: i64,
    /// Overrides that fell below the new floor and lapsed.
    pub overrides_lapsed: i64,
    /// Loans newly overdue or downgraded: one alert each for their lender.
    pub alerts: i64,
    /// Risks newly found on pledged rights (collateral surveillance), each alerted once.
    pub collateral_alerts_raised: i64,
    /// Risks the register no longer shows.
    pub collateral_alerts_cleared: i64,
    /// In-app notices written to the lenders' users.
    pub notices: i64,
}

impl App {
    /// The daily job for `date` (default today): each active loan's days overdue from its oldest
    /// unsettled instalment, its floor, its class (a lender's override kept while at or above
    /// the floor), each change of class in the history with its audit entry. Administrators only.
    pub async fn run_loan_day(
        &self,
        principal: &Principal,
        date: Option<NaiveDate>,
    ) -> Result<LoanDayReport, AppError> {
        if principal.role != Role::PlatformAdmin {
            return Err(AppError::forbidden(
                "only administrators run the loans' daily job",
            ));
        }
        let date = date.unwrap_or_else(|| self.clock.today());
        let rows = self.db.loans_for_day(date).await?;
        let mut report = LoanDayReport {
            date,
            loans: i64::try_from(rows.len()).unwrap_or(i64::MAX),
            overdue: 0,
            reclassified: 0,
            downgraded: 0,
            upgraded: 0,
            overrides_lapsed: 0,
            alerts: 0,
            collateral_alerts_raised: 0,
            collateral_alerts_cleared: 0,
            notices: 0,
        };
        let mut updates = Vec::new();
        let mut alerts = self.collateral_alerts(date).await?;
        for row in rows {
            let days = row
                .oldest_unsettled
                .map_or(0, |due| days_between(due, date).max(0));
            let restructured = row.restructured_until.is_some_and(|until| until >= date);
            let floor = floor(days, restructured);
            let (class, lapsed) = match classify(floor, row.override_class) {
                Ok(class) => (class, false),
                Err(_) => (floor.class, true),
            };
            report.overdue += i64::from(days > 0);
            report.reclassified += i64::from(class != row.risk_class);
            report.downgraded += i64::from(class > row.risk_class);
            report.upgraded += i64::from(class < row.risk_class);
            report.overrides_lapsed += i64::from(lapsed);
            let newly_overdue = days > 0 && row.days_overdue == 0;
            report.alerts += i64::from(class > row.risk_class || newly_overdue);
            if class > row.risk_class {
                alerts.notices.push(LenderNotice {
                    lender_id: row.lender_id,
                    loan_id: row.loan_id,
                    kind: "loan.downgraded",
                    body: serde_json::json!({
                        "message": format!(
                            "贷款 {} 五级分类由{}调为{}（逾期 {days} 天）",
                            row.contract_no,
                            row.risk_class.label_zh(),
                            class.label_zh()
                        ),
                        "loan_id": row.loan_id, "contract_no": row.contract_no,
                        "from_class": row.risk_class, "to_class": class, "days_overdue": days,
                    })
                    .to_string(),
                });
            } else if newly_overdue {
                alerts.notices.push(LenderNotice {
                    lender_id: row.lender_id,
                    loan_id: row.loan_id,
                    kind: "loan.overdue",
                    body: serde_json::json!({
                        "message": format!("贷款 {} 出现逾期（{days} 天）", row.contract_no),
                        "loan_id": row.loan_id, "contract_no": row.contract_no, "days_overdue": days,
                    })
                    .to_string(),
                });
            }
            if class != row.risk_class || days != row.days_overdue || lapsed {
                updates.push(ClassUpdate {
                    loan_id: row.loan_id,
                    days_overdue: days,
                    from_class: row.risk_class,
                    to_class: class,
                    floor_class: floor.class,
                    floor_rule: rule_name(floor.rule),
                    drop_override: lapsed,
                });
            }
        }
        let run = LoanDayRun {
            date,
            loans: report.loans,
            overdue: report.overdue,
            reclassified: report.reclassified,
            alerts: report.alerts,
        };
        report.collateral_alerts_raised = count(alerts.raised.len());
        report.collateral_alerts_cleared = count(alerts.cleared.len());
        let notices = self
            .db
            .apply_loan_day(
                &updates,
                &alerts,
                &run,
                &principal.username,
                self.clock.now(),
            )
            .await?;
        report.notices = i64::try_from(notices).unwrap_or(i64::MAX);
        Ok(report)
    }

    /// Collateral surveillance at `date`: the risks of every right under an active pledge of a
    /// running loan; those not already open are raised (with a notice), open ones no longer
    /// found are cleared.
    async fn collateral_alerts(&self, date: NaiveDate) -> Result<DayAlerts, AppError> {
        let rows = self.db.collateral_for_day().await?;
        let open: HashSet<AlertKey> = self
            .db
            .open_collateral_alerts()
            .await?
            .into_iter()
            .collect();
        let mut found = HashSet::new();
        let mut alerts = DayAlerts::default();
        for row in &rows {
            for risk in collateral_risks(&row.facts, row.maturity, date) {
                let key = (row.loan_id, row.right_id, risk);
                if !found.insert(key) || open.contains(&key) {
                    continue;
                }
                alerts.raised.push(NewAlert {
                    loan_id: row.loan_id,
                    lender_id: row.lender_id,
                    pledge_id: row.pledge_id,
                    right_id: row.right_id,
                    risk,
                    notice: serde_json::json!({
                        "message": format!(
                            "押品预警：贷款 {} 的质押权利 {}（质押登记 {}）{}",
                            row.contract_no,
                            row.right_number,
                            row.registration_no,
                            risk.label_zh()
                        ),
                        "loan_id": row.loan_id, "contract_no": row.contract_no,
                        "right_number": row.right_number, "registration_no": row.registration_no,
                        "risk": risk,
                    })
                    .to_string(),
                });
            }
        }
        alerts.cleared = open
            .into_iter()
            .filter(|key| !found.contains(key))
            .collect();
        alerts
            .cleared
            .sort_unstable_by_key(|(loan, right, risk)| (*loan, *right, risk.as_str()));
        Ok(alerts)
    }

    /// The lender classifies its loan with a reason: at or worse than the floor (refused below it,
    /// naming the floor and its rule), or back to the floor; it may record a restructuring's
    /// observation period.
    pub async fn set_loan_classification(
        &self,
        principal: &Principal,
        id: i64,
        input: &ClassificationInput,
    ) -> Result<LoanDetail, AppError> {
        let loan = self.lenders_loan(principal, id).await?;
        if loan.status != LoanStatus::Active {
            return Err(conflict(
                "loan.repaid",
                format!("loan {id} is repaid: its class no longer changes"),
            ));
        }
        let reason = input
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|reason| !reason.is_empty());
        let mut errors = FieldErrors::default();
        if input.class.is_some() && reason.is_none() {
            errors.push(FieldError::required("reason"));
        }
        if reason.is_some_and(|reason| reason.chars().count() > MAX_REASON_CHARS) {
            errors.push(FieldError::new(
                "reason",
                "too_long",
                format!("a reason has at most {MAX_REASON_CHARS} characters"),
            ));
        }
        if input
            .restructured_until
            .is_some_and(|until| until < loan.start_date)
        {
            errors.push(FieldError::new(
                "restructured_until",
                "before_start",
                "an observation period ends after the loan starts",
            ));
        }
        errors.into_result().map_err(AppError::validation)?;
        let today = self.clock.today();
        let as_of = loan.classified_on.map_or(today, |on| on.max(today));
        let instalments = self.db.loan_instalments(loan.id).await?;
        let dues: Vec<_> = instalments.iter().map(due_of).collect();
        let restructured_until = input.restructured_until.or(loan.restructured_until);
        let days = loan_days_overdue(&dues, as_of);
        let floor = floor(days, restructured_until.is_some_and(|until| until >= as_of));
        let class = classify(floor, input.class).map_err(|below| AppError {
            kind: ErrorKind::BadRequest,
            code: "loan.below_floor",
            message: below.to_string(),
            details: vec![below.to_field_error("class")],
        })?;
        let rule = rule_name(floor.rule);
        let write = OverrideWrite {
            loan_id: loan.id,
            on_date: as_of,
            from_class: loan.risk_class,
            to_class: class,
            override_class: input.class,
            reason,
            restructured_until,
            floor_class: floor.class,
            floor_rule: &rule,
            days_overdue: days,
            actor: &principal.username,
        };
        self.db
            .set_loan_override(&write, self.clock.now())
            .await
            .map_err(stale)?;
        self.loan_detail(principal, id).await
    }
}
