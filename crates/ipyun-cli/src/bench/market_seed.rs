//! The synthetic market of `ipyun bench market`, deterministic (splitmix64 of each row's
//! index): lenders, guarantors, insurers and parks made through the app (a few dozen); then in
//! bulk — not through the per-record API — enterprises (two demands each, one in four in a
//! park, some specialised SMEs and little giants, in seven counties of five provinces), two
//! patents each (one in twenty lapsed), a real relief-from-royalty valuation of the first patent
//! of three enterprises in five, products (loans mostly, some guarantees and pledge insurance,
//! a few infringement covers that finance nothing; nationwide, provincial, city or county;
//! some for a park or designated enterprises only; one in fifty expired) and open demands
//! (three in ten shared with one or two lenders only).

use super::valuation::mix;
use anyhow::Context;
use chrono::NaiveDate;
use ipyun_app::App;
use ipyun_app::auth::system_principal;
use ipyun_db::matching::{BenchDemand, BenchEnterprise, BenchProduct};
use ipyun_db::valuations::NewValuation;
use ipyun_domain::id::{ApplicationNo, Uscc};
use ipyun_domain::loan::RepaymentMethod;
use ipyun_domain::market::{DemandDraft, Designation, ProductDraft, ProductKind, Urgency};
use ipyun_domain::party::PartyDraft;
use ipyun_domain::right::{Holder, LegalStatus, NewRight, RightKind, RightNumber};
use ipyun_domain::valuation::{ValuationInputs, ValuationPurpose, ValuationRecord};
use rust_decimal::Decimal;

const LENDERS: usize = 20;
const PARKS: usize = 4;
const COUNTIES: &[&str] = &[
    "320505", "320583", "320211", "330106", "310115", "440305", "110108",
];
const AREAS: &[&[&str]] = &[
    &[],
    &[],
    &["320000"],
    &["330000"],
    &["320500"],
    &["330100"],
    &["440300"],
    &["320505"],
    &["320500", "320200"],
    &["310000", "330000"],
];

/// What was seeded.
pub struct Seeded {
    pub enterprises: usize,
    pub rights: usize,
    pub valuations: usize,
}

fn pick<T: Copy>(list: &[T], value: u64) -> T {
    list[usize::try_from(value % list.len() as u64).unwrap_or(0)]
}

fn small(hash: u64, shift: u32, modulo: u64) -> i64 {
    i64::try_from((hash >> shift) % modulo).unwrap_or(0)
}

fn fault(error: impl std::fmt::Debug) -> anyhow::Error {
    anyhow::anyhow!("{error:?}")
}

/// Parties made through the app: lenders, two guarantors, two insurers, parks.
async fn organisations(app: &App) -> anyhow::Result<(Vec<i64>, Vec<i64>, Vec<i64>, Vec<i64>)> {
    let operator = system_principal();
    let mut made = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let kinds = [
        ("lender", "基准银行", LENDERS),
        ("guarantor", "基准融资担保", 2),
        ("insurer", "基准财产保险", 2),
        ("park", "基准高新区", PARKS),
    ];
    for (kind, name, count) in kinds {
        for index in 0..count {
            let party = app
                .create_party(
                    &operator,
                    &PartyDraft {
                        kind: Some(kind.into()),
                        name: Some(format!("{name}{index}")),
                        region: Some(pick(COUNTIES, index as u64).into()),
                        park_kind: (kind == "park").then(|| "national_high_tech_zone".into()),
                        ..PartyDraft::default()
                    },
                )
                .await
                .map_err(crate::admin::describe)?;
            match kind {
                "lender" => made.0.push(party.id),
                "guarantor" => made.1.push(party.id),
                "insurer" => made.2.push(party.id),
                _ => made.3.push(party.id),
            }
        }
    }
    Ok(made)
}

fn enterprise(index: u64, parks: &[i64]) -> anyhow::Result<BenchEnterprise> {
    let hash = mix(index ^ 0xe17e);
    let uscc = Uscc::from_body(&format!("91320500MC{index:07}")).map_err(fault)?;
    Ok(BenchEnterprise {
        name: format!("基准对接企业{index}有限公司"),
        uscc: uscc.as_str().to_string(),
        region: pick(COUNTIES, hash).to_string(),
        park_id: (hash / 7).is_multiple_of(4).then(|| pick(parks, hash / 11)),
        specialised_sme_year: (hash / 13).is_multiple_of(5).then_some(2023),
        little_giant_year: (hash / 17).is_multiple_of(25).then_some(2024),
    })
}

fn patent(enterprise: &BenchEnterprise, index: u64, second: bool) -> anyhow::Result<NewRight> {
    let hash = mix(index ^ 0x9a7e);
    let kind = if second && hash.is_multiple_of(2) {
        RightKind::UtilityModel
    } else {
        RightKind::Invention
    };
    let digit = if kind == RightKind::Invention { 1 } else { 2 };
    let number = ApplicationNo::from_body(&format!("2022{digit}{index:07}")).map_err(fault)?;
    let filing_date = NaiveDate::from_ymd_opt(2022, 1 + u32::try_from(hash % 12).unwrap_or(0), 10)
        .context("a filing date")?;
    Ok(NewRight {
        kind,
        number: RightNumber::parse(kind, number.as_str()).map_err(fault)?,
        title: format!("一种基准对接装置{index}"),
        filing_date,
        grant_date: filing_date.checked_add_days(chrono::Days::new(400)),
        legal_status: if (hash / 3).is_multiple_of(20) {
            LegalStatus::LapsedUnpaidFee
        } else {
            LegalStatus::InForce
        },
        annual_fee_paid_until: None,
        nice_class: None,
        ipc_main: None,
        renewals: 0,
        holders: vec![Holder {
            name: enterprise.name.clone(),
            uscc: Some(Uscc::parse(&enterprise.uscc).map_err(fault)?),
            party_id: None,
            share_bp: 10_000,
        }],
    })
}

/// A valuation's value in fen, method, inputs and record (JSON), purpose.
type Valued = (i64, String, String, String, String);

/// A relief-from-royalty valuation of about 0.1 to 4.9 million yuan a revenue step.
fn valuation(index: u64) -> anyhow::Result<Valued> {
    let hash = mix(index ^ 0x7a1e);
    let base = 10_000_000 * (1 + small(hash, 3, 50));
    let revenues: Vec<String> = (0..3)
        .map(|year| (base + base / 10 * year).to_string())
        .collect();
    let inputs: ValuationInputs = serde_json::from_value(serde_json::json!({
        "method": "relief_from_royalty", "revenues": revenues, "royalty_rate_pct": "5",
        "discount_rate_pct": "12", "tax_rate_pct": "25"}))?;
    let at = chrono::DateTime::from_timestamp(1_795_000_000, 0).context("an instant")?;
    let record = ValuationRecord::new(inputs, ValuationPurpose::Pledge, "基准评估机构", at)
        .map_err(fault)?;
    let text = |value: serde_json::Value| value.as_str().unwrap_or_default().to_string();
    Ok((
        record.value_fen,
        text(serde_json::to_value(record.method)?),
        serde_json::to_string(&record.inputs)?,
        serde_json::to_string(&record)?,
        "pledge".to_string(),
    ))
}

fn product(index: u64, publishers: &[Vec<i64>; 3], parks: &[i64]) -> anyhow::Result<BenchProduct> {
    let hash = mix(index ^ 0x9d0c);
    let kind = match hash % 100 {
        0..85 => ProductKind::Loan,
        85..93 => ProductKind::Guarantee,
        93..98 => ProductKind::PledgeInsurance,
        _ => ProductKind::InfringementInsurance,
    };
    let loan = kind == ProductKind::Loan;
    let publisher = match kind {
        ProductKind::Loan => &publishers[0],
        ProductKind::Guarantee => &publishers[1],
        _ => &publishers[2],
    };
    let min_yuan = 100_000 * (1 + small(hash, 7, 10));
    let max_yuan = min_yuan + 1_000_000 * (1 + small(hash, 11, 30));
    let months_min = 3 + u32::try_from(small(hash, 17, 12)).unwrap_or(0);
    let rate = if loan { 300 } else { 80 } + small(hash, 21, 150);
    let mut designations = Vec::new();
    if small(hash, 29, 8) == 0 {
        designations.push(Designation::SpecialisedSme);
    }
    if small(hash, 32, 40) == 0 {
        designations.push(Designation::LittleGiant);
    }
    let draft = ProductDraft {
        kind: Some(kind),
        name: Some(format!("基准产品{index}")),
        amount_min_fen: Some(min_yuan * 100),
        amount_max_fen: Some(max_yuan * 100),
        rate_min_pct: Some(Decimal::new(rate, 2)),
        rate_max_pct: Some(Decimal::new(rate + 50 + small(hash, 25, 150), 2)),
        months_min: Some(months_min),
        months_max: Some(months_min + 12 * (1 + u32::try_from(small(hash, 35, 4)).unwrap_or(0))),
        right_kinds: if small(hash, 38, 2) == 0 {
            vec![RightKind::Invention]
        } else {
            vec![RightKind::Invention, RightKind::UtilityModel]
        },
        regions: pick(AREAS, hash >> 40)
            .iter()
            .map(|code| code.to_string())
            .collect(),
        park_ids: if small(hash, 44, 10) == 0 {
            vec![pick(parks, hash >> 46)]
        } else {
            Vec::new()
        },
        ltv_cap_bp: (loan && small(hash, 48, 5) != 0)
            .then(|| 3_000 + 1_000 * u32::try_from(small(hash, 51, 5)).unwrap_or(0)),
        required_designations: designations,
        repayment_methods: if loan {
            vec![RepaymentMethod::EqualInstalment]
        } else {
            vec![]
        },
        valid_from: NaiveDate::from_ymd_opt(2026, 1, 1),
        valid_until: if small(hash, 54, 50) == 0 {
            NaiveDate::from_ymd_opt(2026, 6, 30)
        } else {
            NaiveDate::from_ymd_opt(2027, 12, 31)
        },
        ..ProductDraft::default()
    };
    Ok(BenchProduct {
        publisher_id: pick(publisher, hash >> 57),
        terms: draft.validate().map_err(fault)?,
    })
}

fn demand(
    index: u64,
    enterprise_id: i64,
    rights: &[String],
    lenders: &[i64],
    on: NaiveDate,
) -> anyhow::Result<BenchDemand> {
    let hash = mix(index ^ 0xde3a);
    let offered = if hash.is_multiple_of(2) {
        &rights[..1]
    } else {
        rights
    };
    let shared_with = match small(hash, 5, 10) {
        0..7 => vec![],
        7 | 8 => vec![pick(lenders, hash >> 9)],
        _ => vec![pick(lenders, hash >> 9), pick(lenders, hash >> 15)],
    };
    let draft = DemandDraft {
        amount_fen: Some(50_000_000 * (1 + small(hash, 20, 40))),
        months: Some(6 + u32::try_from(small(hash, 27, 55)).unwrap_or(0)),
        purpose: Some("扩大生产与研发投入".into()),
        rights: offered.to_vec(),
        urgency: Some(pick(
            &[Urgency::Low, Urgency::Normal, Urgency::High],
            hash >> 33,
        )),
        shared_with,
    };
    Ok(BenchDemand {
        enterprise_id,
        terms: draft.validate().map_err(fault)?,
        published_on: on,
    })
}

/// Seeds `products` products and `demands` open demands (two an enterprise).
pub async fn seed(app: &App, products: u64, demands: u64, on: NaiveDate) -> anyhow::Result<Seeded> {
    let (lenders, guarantors, insurers, parks) = organisations(app).await?;
    let now = app.clock().now();
    let enterprises = (0..demands.div_ceil(2))
        .map(|index| enterprise(index, &parks))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let ids = app
        .db()
        .insert_bench_enterprises(&enterprises, "bench", now)
        .await?;
    let mut rights = Vec::with_capacity(enterprises.len() * 2);
    for (index, enterprise) in enterprises.iter().enumerate() {
        let index = index as u64;
        rights.push(patent(enterprise, 2 * index, false)?);
        rights.push(patent(enterprise, 2 * index + 1, true)?);
    }
    for chunk in rights.chunks(20_000) {
        app.db().upsert_rights(chunk, "bench", now).await?;
    }
    let valued: Vec<(String, Valued)> = (0..enterprises.len())
        .filter(|index| mix(*index as u64 ^ 0xa1) % 5 < 3)
        .map(|index| {
            Ok((
                rights[2 * index].number.as_str().to_string(),
                valuation(index as u64)?,
            ))
        })
        .collect::<anyhow::Result<_>>()?;
    let valuations: Vec<NewValuation<'_>> = valued
        .iter()
        .map(
            |(number, (value_fen, method, inputs, record, purpose))| NewValuation {
                right_number: Some(number),
                party_id: None,
                method,
                purpose,
                inputs_json: inputs,
                record_json: record,
                value_fen: *value_fen,
                appraiser_id: None,
                made_by: "bench",
            },
        )
        .collect();
    let publishers = [lenders.clone(), guarantors, insurers];
    let catalogue = (0..products)
        .map(|index| product(index, &publishers, &parks))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let numbers: Vec<String> = rights
        .iter()
        .map(|right| right.number.as_str().to_string())
        .collect();
    let book = (0..demands)
        .map(|index| {
            let owner = usize::try_from(index / 2).unwrap_or(0);
            demand(
                index,
                ids[owner],
                &numbers[2 * owner..2 * owner + 2],
                &lenders,
                on,
            )
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    app.db()
        .load_market(&valuations, &catalogue, &book, "bench", now)
        .await?;
    Ok(Seeded {
        enterprises: enterprises.len(),
        rights: rights.len(),
        valuations: valuations.len(),
    })
}
