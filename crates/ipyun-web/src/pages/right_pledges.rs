//! The pledge history of a right, for its page: every pledge over it (from the public record,
//! amounts left out; the loan-to-value for those who may see it), and whether one binds it now.

use super::views::path_segment;
use crate::state::AppState;
use chrono::NaiveDate;
use ipyun_app::pledge::{PledgeFilter, PledgeView};
use ipyun_app::{AppError, Principal};
use ipyun_domain::page::{MAX_PAGE_SIZE, PageRequest};
use ipyun_domain::pledge::PledgeStatus;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub(super) struct RightPledgeRow {
    pub registration_no: String,
    pub status: &'static str,
    pub pledgor: String,
    pub pledgee: String,
    pub registered_on: NaiveDate,
    pub cancelled_on: Option<NaiveDate>,
    /// Whether this pledge binds this right now.
    pub binds: bool,
    /// Loan-to-value (质押率) as a percentage, e.g. `50.00%`, when the viewer may see it.
    pub ltv: Option<String>,
    pub verify_href: Option<String>,
}

/// The pledges over the right numbered `number` (newest first, at most one page of 100).
pub(super) async fn pledges_over(
    state: &AppState,
    principal: &Principal,
    number: &str,
) -> Result<Vec<PledgeView>, AppError> {
    let filter = PledgeFilter {
        right_number: Some(number.to_string()),
        ..PledgeFilter::default()
    };
    let page = state
        .app
        .list_pledges(
            Some(principal),
            &filter,
            PageRequest::new(None, Some(MAX_PAGE_SIZE)),
        )
        .await?;
    Ok(page.items)
}

/// Basis points as a percentage with two decimals: 5000 → `50.00%`; none when negative.
fn ltv_percent(ltv_bp: i64) -> Option<String> {
    (ltv_bp >= 0).then(|| format!("{}.{:02}%", ltv_bp / 100, ltv_bp % 100))
}

/// The rows of the history, and whether the right is pledged now.
pub(super) fn history(number: &str, pledges: Vec<PledgeView>) -> (Vec<RightPledgeRow>, bool) {
    let rows: Vec<RightPledgeRow> = pledges
        .into_iter()
        .map(|pledge| RightPledgeRow {
            binds: pledge.status == PledgeStatus::Active
                && pledge
                    .rights
                    .iter()
                    .any(|right| right.number == number && right.active),
            verify_href: pledge.verification_code.as_ref().map(|code| {
                format!(
                    "/notices/verify?no={}&code={}",
                    path_segment(&pledge.registration_no),
                    path_segment(code)
                )
            }),
            ltv: pledge.ltv_bp.and_then(ltv_percent),
            registration_no: pledge.registration_no,
            status: pledge.status.as_str(),
            pledgor: pledge.pledgor,
            pledgee: pledge.pledgee,
            registered_on: pledge.registered_on,
            cancelled_on: pledge.cancelled_on,
        })
        .collect();
    let pledged = rows.iter().any(|row| row.binds);
    (rows, pledged)
}

#[cfg(test)]
mod tests {
    use super::ltv_percent;

    #[test]
    fn loan_to_value_is_an_exact_percentage() {
        assert_eq!(ltv_percent(5_000).as_deref(), Some("50.00%"));
        assert_eq!(ltv_percent(6_667).as_deref(), Some("66.67%"));
        assert_eq!(ltv_percent(5).as_deref(), Some("0.05%"));
        assert_eq!(ltv_percent(12_345).as_deref(), Some("123.45%"));
        assert_eq!(ltv_percent(-1), None);
    }
}
