//! The automated valuation's data on every backend: indicators by right number, the keyset read
//! of patents with their first holder, field counts, valuations and realised prices.

use super::{backends, now, uscc};
use chrono::NaiveDate;
use ipyun_db::Db;
use ipyun_db::indicators::{AutomatedValuationRecord, NewRealisedPrice, PatentIndicatorsRecord};
use ipyun_domain::avm::backtest::PriceKind;
use ipyun_domain::avm::{HolderProfile, IndicatorCounts, Purpose};
use ipyun_domain::id::ApplicationNo;
use ipyun_domain::party::{PartyDraft, SizeClass};
use ipyun_domain::right::{HolderDraft, LegalStatus, RightDraft, RightKind};

fn number(serial: u32, kind_digit: u32) -> String {
    ApplicationNo::from_body(&format!("2019{kind_digit}{serial:07}"))
        .unwrap()
        .as_str()
        .to_string()
}

fn counts(claims: u32) -> IndicatorCounts {
    IndicatorCounts {
        claims,
        independent_claims: 2,
        family_size: 3,
        family_countries: 2,
        forward_citations: 7,
        backward_citations: 9,
        inventors: 4,
        licences: 1,
        transfers: 0,
        litigations: 1,
        invalidation_requests: 0,
    }
}

/// An enterprise (C39, medium, a little giant) holding three patents (H01L, H01L, none) and a
/// trademark; a second patent held by an unregistered holder.
async fn seed(db: &Db) -> Vec<String> {
    let party = PartyDraft {
        kind: Some("enterprise".into()),
        name: Some("苏州芯测科技有限公司".into()),
        uscc: Some(uscc(41)),
        region: Some("320505".into()),
        industry: Some("C39".into()),
        size_class: Some("medium".into()),
        specialised_sme_year: Some(2022),
        little_giant_year: Some(2023),
        ..PartyDraft::default()
    }
    .validate(2026)
    .unwrap();
    db.insert_party(&party, "test", now()).await.unwrap();
    let mut rights = Vec::new();
    let mut numbers = Vec::new();
    for (serial, kind, kind_digit, ipc, holder_uscc) in [
        (1, "invention", 1, Some("H01L 21/56"), Some(uscc(41))),
        (2, "utility_model", 2, Some("H01L 23/00"), Some(uscc(41))),
        (3, "design", 3, None, Some(uscc(41))),
        (4, "invention", 1, Some("G06F 3/01"), None),
    ] {
        let number = number(serial, kind_digit);
        numbers.push(number.clone());
        rights.push(
            RightDraft {
                kind: Some(kind.into()),
                number: Some(number),
                title: Some(format!("一种检测装置{serial}")),
                filing_date: Some("2019-03-01".into()),
                grant_date: Some("2020-06-01".into()),
                legal_status: Some("in_force".into()),
                ipc_main: ipc.map(str::to_string),
                holders: vec![HolderDraft {
                    name: Some("苏州芯测科技有限公司".into()),
                    uscc: holder_uscc,
                    share_bp: None,
                }],
                ..RightDraft::default()
            }
            .validate(now().date_naive())
            .unwrap(),
        );
    }
    rights.push(
        RightDraft {
            kind: Some("trademark".into()),
            number: Some("12345678".into()),
            title: Some("芯测".into()),
            filing_date: Some("2019-03-01".into()),
            grant_date: Some("2020-06-01".into()),
            legal_status: Some("in_force".into()),
            nice_class: Some("9".into()),
            holders: vec![HolderDraft {
                name: Some("苏州芯测科技有限公司".into()),
                uscc: Some(uscc(41)),
                share_bp: None,
            }],
            ..RightDraft::default()
        }
        .validate(now().date_naive())
        .unwrap(),
    );
    db.upsert_rights(&rights, "test", now()).await.unwrap();
    numbers
}

#[tokio::test]
async fn indicators_upsert_by_number_and_read_back_in_batches() {
    for (db, _dir) in backends().await {
        let numbers = seed(&db).await;
        let record = |index: usize, claims: u32| PatentIndicatorsRecord {
            right_number: numbers[index].clone(),
            counts: counts(claims),
            implemented: Some(true),
            holder_revenue_fen: Some(1_200_000_000),
        };
        let mut absent = record(0, 1);
        absent.right_number = number(99, 1);
        // A number given twice keeps its last record; one not in the register is skipped.
        let written = db
            .upsert_patent_indicators(&[record(0, 5), record(1, 3), absent, record(0, 12)], now())
            .await
            .unwrap();
        assert_eq!(written, 2, "{:?}", db.backend());
        let mut updated = record(1, 8);
        updated.implemented = None;
        updated.holder_revenue_fen = None;
        assert_eq!(
            db.upsert_patent_indicators(&[updated], now())
                .await
                .unwrap(),
            1
        );

        let mut patents = Vec::new();
        let mut after = 0;
        loop {
            let batch = db.patents_for_valuation_after(after, 2).await.unwrap();
            let Some(last) = batch.last() else { break };
            after = last.right_id;
            patents.extend(batch);
        }
        assert_eq!(
            patents.len(),
            4,
            "{:?}: the trademark is not read",
            db.backend()
        );
        let first = &patents[0];
        assert_eq!(first.kind, RightKind::Invention);
        assert_eq!(first.legal_status, LegalStatus::InForce);
        assert_eq!(
            first.filing_date,
            NaiveDate::from_ymd_opt(2019, 3, 1).unwrap()
        );
        assert_eq!(first.expiry_date, NaiveDate::from_ymd_opt(2039, 2, 28));
        assert_eq!(first.ipc_main.as_deref(), Some("H01L 21/56"));
        assert_eq!(first.counts, Some(counts(12)));
        assert_eq!(first.implemented, Some(true));
        assert_eq!(first.holder_revenue_fen, Some(1_200_000_000));
        assert_eq!(
            first.holder,
            Some(HolderProfile {
                size_class: Some(SizeClass::Medium),
                specialised_sme: true,
                little_giant: true,
            })
        );
        assert_eq!(first.holder_industry.as_deref(), Some("C39"));
        assert_eq!(first.pledges, 0);
        let second = &patents[1];
        assert_eq!(second.counts.map(|counts| counts.claims), Some(8));
        assert_eq!(
            (second.implemented, second.holder_revenue_fen),
            (None, None)
        );
        assert_eq!(patents[2].kind, RightKind::Design);
        assert_eq!(patents[2].counts, None);
        assert_eq!(
            patents[3].holder, None,
            "an unregistered holder has no profile"
        );

        let by_number = db
            .patent_for_valuation_by_number(&numbers[0])
            .await
            .unwrap()
            .unwrap();
        assert_eq!(&by_number, first);
        let by_id = db
            .patent_for_valuation(first.right_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(&by_id, first);
        assert_eq!(
            db.patent_for_valuation_by_number("12345678").await.unwrap(),
            None
        );
    }
}

#[tokio::test]
async fn field_counts_group_by_subclass_and_year() {
    for (db, _dir) in backends().await {
        let numbers = seed(&db).await;
        let records: Vec<PatentIndicatorsRecord> = numbers
            .iter()
            .map(|number| PatentIndicatorsRecord {
                right_number: number.clone(),
                counts: counts(10),
                implemented: None,
                holder_revenue_fen: None,
            })
            .collect();
        db.upsert_patent_indicators(&records, now()).await.unwrap();
        let mut rows = db.ipc_field_counts().await.unwrap();
        rows.sort_by(|left, right| left.field.cmp(&right.field));
        let summary: Vec<(Option<&str>, Option<&str>, i64, i64)> = rows
            .iter()
            .map(|row| {
                (
                    row.field.as_deref(),
                    row.filing_year.as_deref(),
                    row.patents,
                    row.forward_citations,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (None, Some("2019"), 1, 7),
                (Some("G06F"), Some("2019"), 1, 7),
                (Some("H01L"), Some("2019"), 2, 14),
            ],
            "{:?}",
            db.backend()
        );
        let (rates, concordance) = db.royalty_reference().await.unwrap();
        assert!(rates.iter().all(|(_, rate)| *rate <= 10_000));
        assert!(concordance.iter().all(|(prefix, _)| !prefix.is_empty()));
    }
}

#[tokio::test]
async fn automated_valuations_are_replaced_per_right_and_purpose() {
    for (db, _dir) in backends().await {
        let numbers = seed(&db).await;
        let id = db
            .patent_for_valuation_by_number(&numbers[0])
            .await
            .unwrap()
            .unwrap()
            .right_id;
        let record = |purpose: Purpose, mid_fen: i64| AutomatedValuationRecord {
            right_id: id,
            purpose,
            low_fen: mid_fen / 2,
            mid_fen,
            high_fen: mid_fen * 2,
            confidence_bp: 6_500,
        };
        let written = db
            .upsert_automated_valuations(
                vec![
                    record(Purpose::Pledge, 100_000),
                    record(Purpose::Licence, 40_000),
                ],
                "test-1",
                now(),
            )
            .await
            .unwrap();
        assert_eq!(written, 2);
        db.upsert_automated_valuations(vec![record(Purpose::Pledge, 300_000)], "test-2", now())
            .await
            .unwrap();
        let stored = db
            .automated_valuation(id, Purpose::Pledge)
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
            (150_000, 300_000, 600_000, 6_500),
            "{:?}",
            db.backend()
        );
        assert_eq!(stored.model_version, "test-2");
        assert_eq!(stored.computed_at, now());
        assert_eq!(
            db.count_automated_valuations(Purpose::Pledge)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            db.count_automated_valuations(Purpose::Licence)
                .await
                .unwrap(),
            1
        );
        assert!(
            db.automated_valuation(id, Purpose::Transfer)
                .await
                .unwrap()
                .is_none()
        );
    }
}

#[tokio::test]
async fn realised_prices_are_recorded_once() {
    for (db, _dir) in backends().await {
        let price = |amount_fen: i64, kind: PriceKind| NewRealisedPrice {
            right_number: number(1, 1),
            kind,
            amount_fen,
            on_date: NaiveDate::from_ymd_opt(2025, 9, 30).unwrap(),
            source: "苏州知识产权交易中心".into(),
        };
        let batch = [
            price(5_000_000, PriceKind::Sale),
            price(5_000_000, PriceKind::Sale),
            price(800_000, PriceKind::LicenceFee),
        ];
        assert_eq!(
            db.insert_realised_prices(&batch, now()).await.unwrap(),
            2,
            "{:?}",
            db.backend()
        );
        assert_eq!(db.insert_realised_prices(&batch, now()).await.unwrap(), 0);
        assert_eq!(db.count_realised_prices().await.unwrap(), 2);
        let rows = db.realised_prices_after(0, 10).await.unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].kind.as_str(), rows[0].amount_fen),
            ("sale", 5_000_000)
        );
        assert_eq!(rows[1].kind, "licence_fee");
        assert_eq!(
            rows[1].on_date,
            NaiveDate::from_ymd_opt(2025, 9, 30).unwrap()
        );
        let later = db.realised_prices_after(rows[0].id, 10).await.unwrap();
        assert_eq!(later.len(), 1);
    }
}
