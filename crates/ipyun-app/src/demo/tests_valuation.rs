//! The demo's valuation data: deterministic, consistent with the rights it describes, and loaded
//! so that the automated model, the back-test, the appraiser registry and LTV caps have data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::App;
use crate::auth::{AuthSettings, system_principal};
use ipyun_domain::avm::backtest::PriceKind;
use ipyun_domain::clock::FixedClock;
use ipyun_domain::right::NewRight;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

fn rights() -> Vec<NewRight> {
    dataset(1)
        .rights
        .iter()
        .map(|draft| draft.validate(reference_date()).unwrap())
        .collect()
}

#[test]
fn the_valuation_data_is_deterministic_and_fits_its_rights() {
    let rights = rights();
    let data = valuation_dataset(1, &rights, 4, 8);
    assert_eq!(data, valuation_dataset(1, &rights, 4, 8));
    assert_ne!(data.prices, valuation_dataset(2, &rights, 4, 8).prices);

    let by_number: HashMap<&str, &NewRight> = rights
        .iter()
        .map(|right| (right.number.as_str(), right))
        .collect();
    let patents = rights.iter().filter(|right| right.kind.is_patent()).count();
    let share = data.indicators.len() * 100 / patents;
    assert!(
        (80..=97).contains(&share),
        "indicators for {share}% of patents"
    );
    for item in &data.indicators {
        let right = by_number[item.number.as_str()];
        assert!(right.kind.is_patent(), "{}", item.number);
        assert!(item.counts.independent_claims <= item.counts.claims);
        assert!(item.counts.independent_claims >= 1);
        assert_eq!(item.implemented.is_some(), right.grant_date.is_some());
    }

    assert!(data.prices.len() >= 20, "{} prices", data.prices.len());
    let kinds: BTreeSet<&str> = data
        .prices
        .iter()
        .map(|price| price.kind.as_str())
        .collect();
    assert_eq!(kinds.len(), PriceKind::ALL.len(), "{kinds:?}");
    for price in &data.prices {
        let right = by_number[price.number.as_str()];
        let granted = right.grant_date.unwrap();
        assert!(price.on_date > granted && price.on_date <= reference_date());
        assert!(price.amount_fen > 0 && price.amount_fen % 10_000 == 0);
    }

    let numbers: BTreeSet<&str> = data
        .appraisers
        .iter()
        .map(|appraiser| appraiser.qualification_no.as_str())
        .collect();
    assert_eq!(numbers.len(), 4);
    assert!(numbers.iter().all(|number| number.len() == 8));
    assert_eq!(data.lender_caps.len(), 8);
    assert!(
        data.lender_caps
            .iter()
            .all(|cap| (4_000..=7_000).contains(cap))
    );
}

#[tokio::test]
async fn the_loaded_demo_backs_the_model_the_registry_and_the_caps() {
    let dir = tempfile::tempdir().unwrap();
    let db = ipyun_db::Db::open_sqlite_dir(dir.path()).await.unwrap();
    let instant = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 23, 2, 0, 0)
        .single()
        .unwrap();
    let app = App::new(
        db,
        Arc::new(FixedClock::new(instant)),
        AuthSettings::cheap_for_tests(),
    );
    app.load_demo_if_empty().await.unwrap();
    let admin = system_principal();

    let report = app.backtest_avm(&admin).await.unwrap();
    assert!(report.prices >= 20, "{report:?}");
    assert_eq!(report.unmatched, 0);
    assert_eq!(report.summary.count, report.prices);
    assert!(report.summary.mdape_bp.is_some() && report.summary.coverage_bp.is_some());

    let appraisers = app.list_appraisers().await.unwrap();
    assert_eq!(appraisers.len(), 4);
    let filter = ipyun_db::parties::PartyFilter {
        kind: Some(ipyun_domain::party::PartyKind::Lender),
        ..Default::default()
    };
    let lenders = app
        .db
        .list_parties(
            &filter,
            ipyun_domain::page::PageRequest::new(Some(1), Some(100)),
        )
        .await
        .unwrap();
    let mut capped = 0;
    for lender in &lenders.items {
        let cap = app.db.lender_cap(lender.id).await.unwrap();
        // Head offices carry the cap; their branches follow it.
        assert_eq!(cap.is_some(), lender.parent_id.is_none(), "{}", lender.name);
        capped += usize::from(cap.is_some());
    }
    assert_eq!(capped, 8);
    assert_eq!(app.db.verify_audit_chain().await.unwrap().broken, None);
}
