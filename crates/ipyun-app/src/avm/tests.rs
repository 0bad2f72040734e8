#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::auth::{AuthSettings, system_principal};
use chrono::TimeZone;
use ipyun_db::indicators::PatentIndicatorsRecord;
use ipyun_domain::account::Lang;
use ipyun_domain::avm::IndicatorCounts;
use ipyun_domain::avm::backtest::{BacktestCase, PriceKind, summarise};
use ipyun_domain::clock::FixedClock;
use ipyun_domain::id::{ApplicationNo, Uscc};
use ipyun_domain::party::PartyDraft;
use ipyun_domain::right::{HolderDraft, RightDraft};
use std::sync::Arc;

async fn test_app(dir: &std::path::Path) -> App {
    let db = ipyun_db::Db::open_sqlite_dir(dir).await.unwrap();
    let clock = FixedClock::new(
        chrono::Utc
            .with_ymd_and_hms(2025, 6, 1, 9, 0, 0)
            .single()
            .unwrap(),
    );
    App::new(db, Arc::new(clock), AuthSettings::cheap_for_tests())
}

fn uscc(serial: u32) -> String {
    Uscc::from_body(&format!("91320594MA{serial:07}"))
        .unwrap()
        .as_str()
        .to_string()
}

fn number(serial: u32) -> String {
    ApplicationNo::from_body(&format!("20181{serial:07}"))
        .unwrap()
        .as_str()
        .to_string()
}

fn principal(role: Role, party_id: Option<i64>) -> Principal {
    Principal {
        user_id: 7,
        username: "tester".into(),
        display_name: "tester".into(),
        role,
        party_id,
        region: None,
        lang: Lang::ZhCn,
    }
}

/// Two enterprises; the first holds `patents` inventions (H01L, with indicators) and a trademark.
/// Returns the first enterprise's party id.
async fn world(app: &App, patents: u32) -> i64 {
    let now = app.clock().now();
    let mut holder_id = 0;
    for serial in [1, 2] {
        let party = PartyDraft {
            kind: Some("enterprise".into()),
            name: Some(format!("企业{serial}")),
            uscc: Some(uscc(serial)),
            industry: Some("C39".into()),
            size_class: Some("medium".into()),
            ..PartyDraft::default()
        }
        .validate(2025)
        .unwrap();
        let id = app.db().insert_party(&party, "test", now).await.unwrap();
        if serial == 1 {
            holder_id = id;
        }
    }
    let holder = || {
        vec![HolderDraft {
            name: Some("企业1".into()),
            uscc: Some(uscc(1)),
            share_bp: None,
        }]
    };
    let mut rights: Vec<_> = (0..patents)
        .map(|serial| {
            RightDraft {
                kind: Some("invention".into()),
                number: Some(number(serial)),
                title: Some(format!("一种封装方法{serial}")),
                filing_date: Some(format!("20{:02}-03-01", 10 + serial % 9)),
                grant_date: Some("2020-01-01".into()),
                legal_status: Some("in_force".into()),
                ipc_main: Some(
                    if serial % 2 == 0 {
                        "H01L 21/56"
                    } else {
                        "G06F 3/01"
                    }
                    .into(),
                ),
                holders: holder(),
                ..RightDraft::default()
            }
            .validate(app.clock().today())
            .unwrap()
        })
        .collect();
    rights.push(
        RightDraft {
            kind: Some("trademark".into()),
            number: Some("12345678".into()),
            title: Some("芯测".into()),
            filing_date: Some("2019-01-01".into()),
            grant_date: Some("2020-01-01".into()),
            legal_status: Some("in_force".into()),
            nice_class: Some("9".into()),
            holders: holder(),
            ..RightDraft::default()
        }
        .validate(app.clock().today())
        .unwrap(),
    );
    app.db().upsert_rights(&rights, "test", now).await.unwrap();
    let records: Vec<PatentIndicatorsRecord> = (0..patents)
        .map(|serial| PatentIndicatorsRecord {
            right_number: number(serial),
            counts: IndicatorCounts {
                claims: 1 + serial % 15,
                independent_claims: 1 + serial % 3,
                family_size: 1 + serial % 5,
                family_countries: 1 + serial % 4,
                forward_citations: serial % 11,
                backward_citations: serial % 23,
                inventors: 1 + serial % 6,
                licences: serial % 3,
                transfers: serial % 2,
                litigations: 0,
                invalidation_requests: serial % 7 / 6,
            },
            implemented: (serial % 3 != 0).then_some(serial % 2 == 0),
            holder_revenue_fen: Some(500_000_000 * i64::from(1 + serial % 4)),
        })
        .collect();
    app.db()
        .upsert_patent_indicators(&records, now)
        .await
        .unwrap();
    holder_id
}

#[tokio::test]
async fn a_holder_values_its_own_patent_and_nobody_else_sees_it() {
    let dir = tempfile::tempdir().unwrap();
    let app = test_app(dir.path()).await;
    let holder_id = world(&app, 4).await;
    let own = principal(Role::Enterprise, Some(holder_id));
    let valuation = app
        .value_right_automatically(&own, &number(2), Purpose::Pledge)
        .await
        .unwrap();
    assert_eq!(valuation.contributions.len(), 14);
    assert_eq!(valuation.model_version, MODEL_VERSION);
    assert!(valuation.low_fen < valuation.mid_fen && valuation.mid_fen < valuation.high_fen);
    assert!(valuation.confidence_bp >= 8_000, "{valuation:?}");
    let income = &valuation.contributions[12];
    assert!(
        income
            .text_zh
            .starts_with("许可收益：权利人年营业收入 1,500 万元 × 行业许可费率 4.75%"),
        "{}",
        income.text_zh
    );

    let stranger = principal(Role::Enterprise, Some(holder_id + 1));
    let refused = app
        .value_right_automatically(&stranger, &number(2), Purpose::Pledge)
        .await;
    assert_eq!(refused.unwrap_err().code, "right.not_found");
    let trademark = app
        .value_right_automatically(&own, "12345678", Purpose::Pledge)
        .await;
    assert_eq!(trademark.unwrap_err().code, "avm.not_a_patent");
    assert_eq!(parse_purpose("rent").unwrap_err().code, "validation_failed");
}

#[tokio::test]
async fn revaluing_the_register_stores_what_a_single_valuation_says() {
    let dir = tempfile::tempdir().unwrap();
    let app = test_app(dir.path()).await;
    world(&app, 40).await;
    let lender = principal(Role::Lender, Some(1));
    let refused = app.revalue_all(&lender, Purpose::Transfer, &|_| {}).await;
    assert_eq!(refused.unwrap_err().code, "forbidden");
    let seen = std::sync::atomic::AtomicU64::new(0);
    let outcome = app
        .revalue_all(&system_principal(), Purpose::Transfer, &|progress| {
            seen.store(progress.valued, std::sync::atomic::Ordering::Relaxed)
        })
        .await
        .unwrap();
    assert_eq!((outcome.patents, outcome.written), (40, 40));
    assert_eq!(seen.into_inner(), 40);
    assert_eq!(
        app.db()
            .count_automated_valuations(Purpose::Transfer)
            .await
            .unwrap(),
        40
    );
    for serial in [0, 13, 39] {
        let single = app
            .value_right_automatically(&system_principal(), &number(serial), Purpose::Transfer)
            .await
            .unwrap();
        let right = app.db().get_right(&number(serial)).await.unwrap().unwrap();
        let stored = app
            .db()
            .automated_valuation(right.id, Purpose::Transfer)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (
                stored.low_fen,
                stored.mid_fen,
                stored.high_fen,
                stored.confidence_bp
            ),
            (
                single.low_fen,
                single.mid_fen,
                single.high_fen,
                i32::try_from(single.confidence_bp).unwrap()
            )
        );
        assert_eq!(stored.model_version, MODEL_VERSION);
    }
}

#[tokio::test]
async fn the_back_test_imports_idempotently_and_measures_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let app = test_app(dir.path()).await;
    world(&app, 6).await;
    let admin = system_principal();
    let value = |serial: u32, purpose: Purpose| {
        let app = app.clone();
        async move {
            app.value_right_automatically(&system_principal(), &number(serial), purpose)
                .await
                .unwrap()
        }
    };
    let sale = value(1, Purpose::Transfer).await;
    let licence = value(1, Purpose::Licence).await;
    let auction = value(2, Purpose::Transfer).await;
    let yuan = |fen: i64| format!("{}.{:02}", fen / 100, fen % 100);
    let csv = format!(
        "专利号,类型,金额（元）,日期,来源\n\
         {n1},转让,{sale},2025-06-01,苏州知识产权交易中心\n\
         {n1},许可使用费,\"{licence}\",2025-06-01,\n\
         {n2},auction,{auction},2025-06-01,法院拍卖\n\
         {n1},转让,{sale},2025-06-01,重复行\n\
         {unknown},sale,100000,2025-06-01,\n\
         {n1},gift,100,2025-06-01,\n\
         {n1},sale,12.345,2025/06/01,\n",
        n1 = number(1),
        n2 = number(2),
        unknown = number(99),
        sale = yuan(sale.mid_fen),
        licence = yuan(licence.mid_fen * 2),
        auction = yuan(auction.mid_fen / 2),
    );
    let report = app
        .import_realised_prices_csv(&admin, csv.as_bytes(), "test.csv")
        .await
        .unwrap();
    assert_eq!((report.rows, report.inserted, report.duplicates), (7, 4, 1));
    let lines: Vec<u64> = report.rejected.iter().map(|row| row.line).collect();
    assert_eq!(lines, [7, 8]);
    let fields: Vec<&str> = report.rejected[1]
        .errors
        .iter()
        .map(|error| error.field.as_str())
        .collect();
    assert_eq!(fields, ["amount_yuan", "date"]);
    let again = app
        .import_realised_prices_csv(&admin, csv.as_bytes(), "test.csv")
        .await
        .unwrap();
    assert_eq!((again.inserted, again.duplicates), (0, 5));

    let backtest = app.backtest_avm(&admin).await.unwrap();
    assert_eq!((backtest.prices, backtest.unmatched), (4, 1));
    let case = |valuation: &AutomatedValuation, kind: PriceKind, price_fen: i64| BacktestCase {
        number: valuation.number.clone(),
        kind,
        on_date: valuation.valued_on,
        price_fen,
        low_fen: valuation.low_fen,
        mid_fen: valuation.mid_fen,
        high_fen: valuation.high_fen,
    };
    let expected = summarise(
        &[
            case(&sale, PriceKind::Sale, sale.mid_fen),
            case(&licence, PriceKind::LicenceFee, licence.mid_fen * 2),
            case(&auction, PriceKind::Auction, auction.mid_fen / 2),
        ],
        5,
    );
    assert_eq!(backtest.summary, expected);
    // Errors 0, 1/2 and 1: the median is exactly 50%.
    assert_eq!(backtest.summary.mdape_bp, Some(5_000));
    assert_eq!(backtest.summary.worst[0].kind, PriceKind::Auction);
    let licensing = &backtest.by_purpose[0];
    assert_eq!(
        (licensing.purpose, licensing.count, licensing.mdape_bp),
        (Purpose::Licence, 1, Some(5_000))
    );

    let lender = principal(Role::Lender, Some(1));
    assert_eq!(
        app.backtest_avm(&lender).await.unwrap_err().code,
        "forbidden"
    );
    let draft = RealisedPriceDraft {
        number: number(3),
        kind: "sale".into(),
        amount_yuan: "88000".into(),
        date: "2025-05-20".into(),
        source: None,
    };
    assert!(app.record_realised_price(&admin, &draft).await.unwrap());
    assert!(!app.record_realised_price(&admin, &draft).await.unwrap());
    assert_eq!(
        app.record_realised_price(&lender, &draft)
            .await
            .unwrap_err()
            .code,
        "forbidden"
    );
}
