//! The pledge history of a right, for its page: every pledge over it (from the public record,
//! amounts left out), and whether one binds it now.

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
