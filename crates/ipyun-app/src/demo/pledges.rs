//! Demo pledges: registered, cancelled, refused, in review and awaiting confirmation, made through
//! the real use cases so the demo shows what the platform really does.

use crate::{App, AppError};
use ipyun_domain::account::{Lang, Principal, Role};
use ipyun_domain::pledge::{
    CancellationInput, CancellationReason, LoanContract, PledgeApplicationInput, PledgeContract,
    PledgedRightInput,
};
use ipyun_domain::right::{LegalStatus, NewRight, RightKind};
use std::collections::HashMap;

/// How many demo applications are made (each over one right).
pub const DEMO_APPLICATIONS: usize = 48;

fn acting(role: Role, party_id: i64) -> Principal {
    Principal {
        user_id: 0,
        username: "demo".into(),
        display_name: "demo".into(),
        role,
        party_id: Some(party_id),
        region: None,
        lang: Lang::ZhCn,
    }
}

impl App {
    /// Makes the demo's pledge applications over rights held by one demo enterprise each.
    pub(crate) async fn load_demo_pledges(
        &self,
        rights: &[NewRight],
        enterprise_by_uscc: &HashMap<String, i64>,
        lender_ids: &[i64],
    ) -> Result<usize, AppError> {
        let today = self.clock.today();
        let horizon = today + chrono::Duration::days(3 * 365);
        let candidates = rights.iter().filter_map(|right| {
            let [holder] = right.holders.as_slice() else {
                return None;
            };
            let enterprise = holder
                .uscc
                .as_ref()
                .and_then(|uscc| enterprise_by_uscc.get(uscc.as_str()))?;
            let usable = matches!(right.kind, RightKind::Invention | RightKind::UtilityModel)
                && right.legal_status == LegalStatus::InForce
                && right
                    .annual_fee_paid_until
                    .is_some_and(|paid| paid >= today)
                && right.expiry_date().is_some_and(|expiry| expiry > horizon);
            usable.then_some((right, *enterprise))
        });
        let mut made = 0;
        for (index, (right, enterprise)) in
            candidates.step_by(7).take(DEMO_APPLICATIONS).enumerate()
        {
            let Some(lender) = lender_ids.get(index % lender_ids.len().max(1)).copied() else {
                break;
            };
            let principal_of_lender = acting(Role::Lender, lender);
            let principal_of_enterprise = acting(Role::Enterprise, enterprise);
            let amount_fen = 100_000_000 * i64::try_from(1 + index % 20).unwrap_or(1);
            let input = PledgeApplicationInput {
                pledgor_id: Some(enterprise),
                pledgee_id: Some(lender),
                loan_contract: LoanContract {
                    contract_no: Some(format!("JK-DEMO-{index:04}")),
                    debtor: None,
                    principal_fen: Some(amount_fen),
                    performance_start: Some(today),
                    performance_end: Some(
                        today
                            + chrono::Duration::days(
                                365 + 30 * i64::try_from(index % 12).unwrap_or(0),
                            ),
                    ),
                },
                pledge_contract: PledgeContract {
                    contract_no: Some(format!("ZY-DEMO-{index:04}")),
                    secured_claim_kind: Some("loan".into()),
                    secured_amount_fen: Some(amount_fen),
                    scope: Some("本金、利息、罚息及实现质权的费用".into()),
                    // A few contracts carry a forfeiture clause: they are refused.
                    transfer_on_default: index % 16 == 5,
                },
                rights: vec![PledgedRightInput {
                    kind: right.kind,
                    number: right.number.as_str().to_string(),
                    title: Some(right.title.clone()),
                    filing_date: Some(right.filing_date),
                    // A few state another grant date than the register: an examiner reviews them.
                    grant_date: if index % 16 == 9 {
                        right.filing_date.succ_opt()
                    } else {
                        right.grant_date
                    },
                }],
                commitment_letter: true,
                ..PledgeApplicationInput::default()
            };
            let (view, _) = self
                .create_pledge_application(&principal_of_lender, &input, None)
                .await?;
            made += 1;
            // Every twelfth stays waiting for the enterprise's confirmation.
            if index % 12 == 11 {
                continue;
            }
            let decided = self
                .confirm_pledge_application(&principal_of_enterprise, view.id)
                .await?;
            if index % 10 == 3
                && let Some(registration_no) = &decided.registration_no
            {
                let repaid = CancellationInput {
                    reason: CancellationReason::DebtRepaid,
                    note: Some("贷款已结清".into()),
                };
                self.apply_for_cancellation(&principal_of_lender, registration_no, &repaid, None)
                    .await?;
            }
        }
        Ok(made)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use crate::App;
    use crate::auth::{AuthSettings, system_principal};
    use ipyun_domain::clock::FixedClock;
    use ipyun_domain::page::PageRequest;
    use ipyun_domain::pledge::{ApplicationStatus, PledgeStatus};
    use std::collections::HashMap;
    use std::sync::Arc;

    #[tokio::test]
    async fn the_demo_holds_pledges_in_every_state() {
        let dir = tempfile::tempdir().unwrap();
        let db = ipyun_db::Db::open_sqlite_dir(dir.path()).await.unwrap();
        let instant = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 23, 2, 0, 0)
            .single()
            .unwrap();
        let clock = Arc::new(FixedClock::new(instant));
        let app = App::new(db, clock, AuthSettings::cheap_for_tests());
        app.load_demo_if_empty().await.unwrap();
        let admin = system_principal();
        let mut by_status: HashMap<ApplicationStatus, u64> = HashMap::new();
        for status in ApplicationStatus::ALL {
            let page = app
                .list_pledge_applications(&admin, Some(*status), PageRequest::new(Some(1), Some(1)))
                .await
                .unwrap();
            by_status.insert(*status, page.total);
        }
        assert!(
            by_status[&ApplicationStatus::Registered] >= 30,
            "{by_status:?}"
        );
        for status in [
            ApplicationStatus::Refused,
            ApplicationStatus::InReview,
            ApplicationStatus::AwaitingConfirmation,
        ] {
            assert!(by_status[&status] >= 1, "{status:?}: {by_status:?}");
        }
        let filter = crate::pledge::PledgeFilter {
            status: Some(PledgeStatus::Cancelled),
            ..Default::default()
        };
        let cancelled = app
            .list_pledges(None, &filter, PageRequest::default())
            .await
            .unwrap();
        assert!(cancelled.total >= 1);
        assert_eq!(app.db.verify_audit_chain().await.unwrap().broken, None);
    }
}
