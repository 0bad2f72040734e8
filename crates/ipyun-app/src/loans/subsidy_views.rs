//! What an application and its payouts look like to those who may see them.

use super::subsidy_applications::application_not_found;
use crate::{App, AppError};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_db::loans::SubsidyPayoutRecord;
use ipyun_domain::loan::{SubsidyKind, SubsidyStatus};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubsidyPayoutView {
    pub id: i64,
    pub application_id: i64,
    pub programme_id: i64,
    pub enterprise_id: i64,
    pub amount_fen: i64,
    /// `pending` (waiting for a checker) or `approved` (paid).
    pub status: String,
    pub maker: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checker: Option<String>,
    pub drafted_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved_on: Option<NaiveDate>,
}

impl From<&SubsidyPayoutRecord> for SubsidyPayoutView {
    fn from(record: &SubsidyPayoutRecord) -> Self {
        SubsidyPayoutView {
            id: record.id,
            application_id: record.application_id,
            programme_id: record.programme_id,
            enterprise_id: record.enterprise_id,
            amount_fen: record.amount_fen,
            status: record.status.clone(),
            maker: record.maker.clone(),
            checker: record.checker.clone(),
            drafted_at: record.drafted_at,
            approved_on: record.approved_on,
        }
    }
}

/// An application and what was paid on it. Amounts in fen.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubsidyApplicationView {
    pub id: i64,
    pub programme_id: i64,
    pub enterprise_id: i64,
    pub loan_id: i64,
    pub kind: SubsidyKind,
    pub status: SubsidyStatus,
    pub applied_on: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period_start: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period_end: Option<NaiveDate>,
    /// The cost covered: the interest paid in the period, or the fee.
    pub cost_fen: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// Cost × the programme's share, half up.
    pub share_fen: i64,
    /// The subsidy: the share within the cap and the budget left (cut again on approval).
    pub amount_fen: i64,
    /// `cap` or `budget` when a limit cut it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limited_by: Option<String>,
    /// Why it is refused: each ground as `code: reason`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<NaiveDate>,
    pub paid_fen: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paid_on: Option<NaiveDate>,
    /// Calendar days from application to payout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_to_payout: Option<i64>,
    pub payouts: Vec<SubsidyPayoutView>,
}

impl App {
    pub(crate) async fn subsidy_application_view(
        &self,
        id: i64,
    ) -> Result<SubsidyApplicationView, AppError> {
        let record = self
            .db
            .get_subsidy_application(id)
            .await?
            .ok_or_else(|| application_not_found(id))?;
        let payouts = self.db.subsidy_application_payouts(id).await?;
        Ok(SubsidyApplicationView {
            days_to_payout: record
                .paid_on
                .map(|paid_on| (paid_on - record.applied_on).num_days()),
            id: record.id,
            programme_id: record.programme_id,
            enterprise_id: record.enterprise_id,
            loan_id: record.loan_id,
            kind: record.kind,
            status: record.status,
            applied_on: record.applied_on,
            period_start: record.period_start,
            period_end: record.period_end,
            cost_fen: record.cost_fen,
            evidence: record.evidence,
            share_fen: record.share_fen,
            amount_fen: record.amount_fen,
            limited_by: record.limited_by,
            refusal: record.refusal,
            decided_by: record.decided_by,
            decided_on: record.decided_on,
            paid_fen: record.paid_fen,
            paid_on: record.paid_on,
            payouts: payouts.iter().map(SubsidyPayoutView::from).collect(),
        })
    }
}
