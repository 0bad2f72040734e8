//! Portfolio valuation (issue 5, item 5): a list of rights, a pledge bundle's or an enterprise's
//! patents valued at once by the automated model, with the portfolio's combined range.
//!
//! Who: a list or a bundle, whoever may see each right (or the pledge); a party's patents, whoever
//! may see that party's rights — the enterprise itself, its park, lenders, offices and
//! administrators.

use crate::avm::AutomatedValuation;
use crate::rights::RightQuery;
use crate::{App, AppError, ErrorKind};
use ipyun_domain::FieldError;
use ipyun_domain::account::{Principal, RightScope};
use ipyun_domain::avm::Purpose;
use ipyun_domain::page::{MAX_PAGE_SIZE, PageRequest};
use ipyun_domain::right::RightKind;
use serde::Serialize;

/// Most rights valued in one portfolio.
pub const MAX_PORTFOLIO: usize = 200;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PortfolioValuation {
    pub purpose: Purpose,
    /// The rights valued (patents only; others are listed in `skipped`).
    pub items: Vec<AutomatedValuation>,
    pub skipped: Vec<String>,
    /// Sums of the items' ranges.
    pub low_fen: i64,
    pub mid_fen: i64,
    pub high_fen: i64,
    /// The mid-value-weighted mean confidence, basis points.
    pub confidence_bp: u32,
    /// Rights left out because the portfolio holds at most 200 (a party's patents beyond the
    /// first 200, newest first).
    pub truncated: u32,
}

/// Sums the items' ranges and weighs their confidences by mid value.
fn combine(
    purpose: Purpose,
    items: Vec<AutomatedValuation>,
    skipped: Vec<String>,
    truncated: u32,
) -> PortfolioValuation {
    let sum = |pick: fn(&AutomatedValuation) -> i64| {
        items.iter().map(pick).fold(0_i64, i64::saturating_add)
    };
    let (low_fen, mid_fen, high_fen) = (
        sum(|item| item.low_fen),
        sum(|item| item.mid_fen),
        sum(|item| item.high_fen),
    );
    let weighted: i128 = items
        .iter()
        .map(|item| i128::from(item.mid_fen) * i128::from(item.confidence_bp))
        .sum();
    let confidence_bp = if mid_fen > 0 {
        u32::try_from(weighted / i128::from(mid_fen)).unwrap_or(0)
    } else {
        items
            .iter()
            .map(|item| item.confidence_bp)
            .min()
            .unwrap_or(0)
    };
    PortfolioValuation {
        purpose,
        items,
        skipped,
        low_fen,
        mid_fen,
        high_fen,
        confidence_bp,
        truncated,
    }
}

/// Whether the principal may see the rights `party` holds (an enterprise its own, a park its
/// enterprises', everyone else all).
fn may_see_holdings(principal: &Principal, party: &ipyun_domain::party::Party) -> bool {
    match principal.right_scope() {
        RightScope::All => true,
        RightScope::HeldBy(own) => own == party.id,
        RightScope::InPark(park_id) => party.park_id == Some(park_id),
        RightScope::Nothing => false,
    }
}

impl App {
    /// Values each patent of `numbers` and combines the ranges.
    pub async fn value_portfolio(
        &self,
        principal: &Principal,
        numbers: &[String],
        purpose: Purpose,
    ) -> Result<PortfolioValuation, AppError> {
        if numbers.is_empty() || numbers.len() > MAX_PORTFOLIO {
            return Err(AppError::new(
                ErrorKind::BadRequest,
                "portfolio.size",
                format!("a portfolio holds 1 to {MAX_PORTFOLIO} rights"),
            ));
        }
        let mut items = Vec::with_capacity(numbers.len());
        let mut skipped = Vec::new();
        for (index, number) in numbers.iter().enumerate() {
            match self
                .value_right_automatically(principal, number, purpose)
                .await
            {
                Ok(valuation) => items.push(valuation),
                Err(error) if error.code == "avm.not_a_patent" => skipped.push(number.clone()),
                Err(mut error) => {
                    if error.kind == ErrorKind::NotFound && error.details.is_empty() {
                        error.details.push(FieldError::new(
                            format!("numbers[{index}]"),
                            "not_found",
                            format!("no right numbered {}, or you may not see it", number.trim()),
                        ));
                    }
                    return Err(error);
                }
            }
        }
        Ok(combine(purpose, items, skipped, 0))
    }

    /// The patents in force (or pending, or otherwise not ended) that party `party_id` holds,
    /// valued: at most [`MAX_PORTFOLIO`], newest first; `truncated` counts the rest. Only for a
    /// principal who may see that party's rights; the listing applies the same scopes again.
    pub async fn value_party_portfolio(
        &self,
        principal: &Principal,
        party_id: i64,
        purpose: Purpose,
    ) -> Result<PortfolioValuation, AppError> {
        let party = self.get_party(principal, party_id).await?;
        if !may_see_holdings(principal, &party) {
            return Err(AppError::new(
                ErrorKind::Forbidden,
                "portfolio.forbidden",
                format!("you may not see the rights party {party_id} holds"),
            ));
        }
        let mut numbers = Vec::new();
        let mut truncated = 0u32;
        for kind in [
            RightKind::Invention,
            RightKind::UtilityModel,
            RightKind::Design,
        ] {
            let mut page = 1;
            loop {
                let query = RightQuery {
                    kind: Some(kind.as_str().to_string()),
                    holder_party_id: Some(party_id),
                    page: Some(page),
                    per_page: Some(MAX_PAGE_SIZE),
                    ..RightQuery::default()
                };
                let found = self.list_rights(principal, &query).await?;
                let read = found.items.len();
                for right in found.items {
                    if right.legal_status.is_terminal() || !right.is_held_by(party_id) {
                        continue;
                    }
                    if numbers.len() < MAX_PORTFOLIO {
                        numbers.push(right.number);
                    } else {
                        truncated = truncated.saturating_add(1);
                    }
                }
                let seen = u64::from(page) * u64::from(MAX_PAGE_SIZE);
                if read == 0 || seen >= found.total {
                    break;
                }
                page += 1;
            }
        }
        if numbers.is_empty() {
            return Ok(combine(purpose, Vec::new(), Vec::new(), truncated));
        }
        let mut valued = self.value_portfolio(principal, &numbers, purpose).await?;
        valued.truncated = truncated;
        Ok(valued)
    }

    /// A registered pledge's bundle, valued (its parties and offices).
    pub async fn value_pledge_bundle(
        &self,
        principal: &Principal,
        registration_no: &str,
        purpose: Purpose,
    ) -> Result<PortfolioValuation, AppError> {
        let filter = crate::pledge::PledgeFilter {
            registration_no: Some(registration_no.trim().to_uppercase()),
            ..Default::default()
        };
        let page = self
            .list_pledges(Some(principal), &filter, PageRequest::new(Some(1), Some(1)))
            .await?;
        let pledge = page
            .items
            .into_iter()
            .next()
            .filter(|pledge| pledge.secured_amount_fen.is_some())
            .ok_or_else(|| {
                AppError::not_found(
                    "pledge.not_found",
                    format!("no pledge {registration_no} of yours"),
                )
            })?;
        let numbers: Vec<String> = pledge
            .rights
            .into_iter()
            .map(|right| right.number)
            .collect();
        self.value_portfolio(principal, &numbers, purpose).await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::auth::AuthSettings;
    use chrono::TimeZone;
    use ipyun_domain::account::{Lang, Role};
    use ipyun_domain::clock::FixedClock;
    use ipyun_domain::id::{ApplicationNo, Uscc};
    use ipyun_domain::party::PartyDraft;
    use ipyun_domain::right::{HolderDraft, NewRight, RightDraft};
    use std::sync::Arc;

    fn uscc(serial: u32) -> String {
        Uscc::from_body(&format!("91320594MB{serial:07}"))
            .unwrap()
            .as_str()
            .to_string()
    }

    fn number(serial: u32) -> String {
        ApplicationNo::from_body(&format!("20191{serial:07}"))
            .unwrap()
            .as_str()
            .to_string()
    }

    fn principal(role: Role, party_id: Option<i64>) -> Principal {
        Principal {
            user_id: 9,
            username: "tester".into(),
            display_name: "tester".into(),
            role,
            party_id,
            region: None,
            lang: Lang::ZhCn,
        }
    }

    fn right(app: &App, kind: &str, number: String, status: &str, holder: u32) -> NewRight {
        RightDraft {
            kind: Some(kind.into()),
            number: Some(number),
            title: Some("一种组合估值测试方法".into()),
            filing_date: Some("2019-03-01".into()),
            grant_date: Some("2021-01-01".into()),
            legal_status: Some(status.into()),
            ipc_main: (kind == "invention").then(|| "H01M 10/05".into()),
            nice_class: (kind == "trademark").then(|| "9".into()),
            holders: vec![HolderDraft {
                name: Some(format!("组合企业{holder}")),
                uscc: Some(uscc(holder)),
                share_bp: None,
            }],
            ..RightDraft::default()
        }
        .validate(app.clock().today())
        .unwrap()
    }

    /// Enterprise 1 holds `patents` inventions in force, one expired and a trademark; enterprise
    /// 2 one invention. Their party ids.
    async fn world(patents: u32) -> (tempfile::TempDir, App, i64, i64) {
        let dir = tempfile::tempdir().unwrap();
        let db = ipyun_db::Db::open_sqlite_dir(dir.path()).await.unwrap();
        let clock = FixedClock::new(chrono::Utc.with_ymd_and_hms(2025, 6, 1, 9, 0, 0).unwrap());
        let app = App::new(db, Arc::new(clock), AuthSettings::cheap_for_tests());
        let now = app.clock().now();
        let mut ids = Vec::new();
        for serial in [1, 2] {
            let party = PartyDraft {
                kind: Some("enterprise".into()),
                name: Some(format!("组合企业{serial}")),
                uscc: Some(uscc(serial)),
                ..PartyDraft::default()
            }
            .validate(2025)
            .unwrap();
            ids.push(app.db().insert_party(&party, "test", now).await.unwrap());
        }
        let mut rights: Vec<NewRight> = (0..patents)
            .map(|serial| right(&app, "invention", number(serial), "in_force", 1))
            .collect();
        rights.push(right(&app, "invention", number(900), "expired", 1));
        rights.push(right(&app, "trademark", "23456789".into(), "in_force", 1));
        rights.push(right(&app, "invention", number(901), "in_force", 2));
        app.db().upsert_rights(&rights, "test", now).await.unwrap();
        (dir, app, ids[0], ids[1])
    }

    #[tokio::test]
    async fn a_party_portfolio_values_its_patents_in_force_for_those_who_may_see_them() {
        let (_dir, app, first, second) = world(3).await;
        let own = principal(Role::Enterprise, Some(first));
        let valued = app
            .value_party_portfolio(&own, first, Purpose::Licence)
            .await
            .unwrap();
        assert_eq!(
            valued.items.len(),
            3,
            "the expired one and the trademark left out"
        );
        assert!(valued.items.iter().all(|item| item.kind.is_patent()));
        assert_eq!((valued.truncated, valued.skipped.len()), (0, 0));
        let mid: i64 = valued.items.iter().map(|item| item.mid_fen).sum();
        assert_eq!(valued.mid_fen, mid);
        assert_eq!(valued.purpose, Purpose::Licence);
        let lender = principal(Role::Lender, Some(77));
        let seen = app
            .value_party_portfolio(&lender, first, Purpose::Licence)
            .await
            .unwrap();
        assert_eq!(seen.mid_fen, valued.mid_fen, "a lender sees the same");

        let other = principal(Role::Enterprise, Some(second));
        let refused = app
            .value_party_portfolio(&other, first, Purpose::Pledge)
            .await
            .unwrap_err();
        assert_eq!(
            (refused.kind, refused.code),
            (ErrorKind::Forbidden, "portfolio.forbidden")
        );
        let park = principal(Role::Park, Some(second));
        let refused = app
            .value_party_portfolio(&park, first, Purpose::Pledge)
            .await
            .unwrap_err();
        assert_eq!(
            refused.kind,
            ErrorKind::Forbidden,
            "not the park's enterprise"
        );
        let missing = app
            .value_party_portfolio(&own, 9_999, Purpose::Pledge)
            .await
            .unwrap_err();
        assert_eq!(missing.code, "party.not_found");
        let theirs = app
            .value_party_portfolio(&other, second, Purpose::Pledge)
            .await
            .unwrap();
        assert_eq!(theirs.items.len(), 1);
    }

    #[tokio::test]
    async fn a_large_holding_is_cut_at_the_limit_and_says_how_many_are_left_out() {
        let (_dir, app, first, _) = world(203).await;
        let admin = principal(Role::PlatformAdmin, None);
        let valued = app
            .value_party_portfolio(&admin, first, Purpose::Pledge)
            .await
            .unwrap();
        assert_eq!(valued.items.len(), MAX_PORTFOLIO);
        assert_eq!(valued.truncated, 3);
    }

    #[tokio::test]
    async fn a_list_names_the_right_it_cannot_find() {
        let (_dir, app, first, _) = world(1).await;
        let own = principal(Role::Enterprise, Some(first));
        let numbers = vec![number(0), number(901), "23456789".into()];
        let refused = app
            .value_portfolio(&own, &numbers, Purpose::Pledge)
            .await
            .unwrap_err();
        assert_eq!(refused.code, "right.not_found");
        assert_eq!(refused.details[0].field, "numbers[1]", "another's right");
        let numbers = vec![number(0), "23456789".into()];
        let valued = app
            .value_portfolio(&own, &numbers, Purpose::Pledge)
            .await
            .unwrap();
        assert_eq!(valued.skipped, vec!["23456789".to_string()]);
        assert_eq!(valued.truncated, 0);
    }
}
