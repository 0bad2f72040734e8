//! Loans, classification, funds and the ledger on every backend: a loan stored with its schedule,
//! repayments that never pay the same fen twice, the daily job's writes and history, the NPL
//! rows at a date, one open claim per fund and loan, and a ledger whose balances the database
//! itself keeps from going negative.

use super::{backends, enterprise, now, right, uscc};
use chrono::NaiveDate;
use ipyun_db::loans::{
    ClassUpdate, EntryMeta, InstalmentPayment, LoanDayRun, LoanFilter, LoanStatus, NewClaim,
    NewDisbursement, NewFund, NewInstalment, NewLoan, NewPayout, OverrideWrite, RepaymentWrite,
    is_ledger_overdraft,
};
use ipyun_db::pledges::{
    Inserted, NewPledge, NewPledgeApplication, PledgeDecision, PledgedRightRow,
};
use ipyun_db::{Db, DbError};
use ipyun_domain::loan::{
    Account, AccountKind, ClaimStatus, DayCount, JournalEntry, RepaymentMethod, RiskClass,
    appropriation, budget_account, fund_account, lender_account,
};
use ipyun_domain::party::PartyDraft;
use ipyun_domain::pledge::{Act, ApplicationStatus, PledgeType};
use ipyun_domain::right::RightKind;

pub(crate) fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

pub(crate) struct World {
    pub(crate) lender: i64,
    pub(crate) borrower: i64,
    pub(crate) office: i64,
    registration_no: String,
    pledge_id: i64,
}

async fn organisation(db: &Db, kind: &str, name: &str) -> i64 {
    let draft = PartyDraft {
        kind: Some(kind.into()),
        name: Some(name.into()),
        region: Some("320000".into()),
        office_level: (kind == "ip_office").then(|| "provincial".to_string()),
        ..PartyDraft::default()
    }
    .validate(2026)
    .unwrap();
    db.insert_party(&draft, "test", now()).await.unwrap()
}

/// A borrower, a lender, an office and one registered pledge of the lender's.
pub(crate) async fn world(db: &Db) -> World {
    let borrower = db
        .insert_party(&enterprise(31, None), "test", now())
        .await
        .unwrap();
    let lender = organisation(db, "lender", "贷款银行").await;
    let office = organisation(db, "ip_office", "江苏省知识产权局").await;
    let new_right = right(31, &uscc(31), "in_force");
    db.insert_right(&new_right, "test", now()).await.unwrap();
    let application = NewPledgeApplication {
        act: Act::Registration,
        pledge_type: PledgeType::Rights,
        pledgor_id: borrower,
        pledgee_id: lender,
        drafted_by_party: lender,
        created_by: "test",
        target_pledge_id: None,
        green_channel: false,
        body_json: "{}",
        findings_json: "[]",
    };
    let Inserted::New(application_id) = db
        .insert_pledge_application(&application, None, now())
        .await
        .unwrap()
    else {
        panic!("a new application")
    };
    let registration_no = format!("Y2026{application_id:09}");
    let pledge = NewPledge {
        registration_no: registration_no.clone(),
        pledge_type: PledgeType::Rights,
        pledgor_id: borrower,
        pledgee_id: lender,
        secured_amount_fen: Some(100_000_000),
        performance_end: None,
        verification_code: "ABCDEFGHJK".into(),
        registered_on: now().date_naive(),
        appraised_value_fen: None,
        rights: vec![PledgedRightRow {
            kind: RightKind::Invention,
            number: new_right.number.as_str().into(),
            right_id: None,
        }],
    };
    db.record_pledge_decision(
        &PledgeDecision {
            application_id,
            from_status: ApplicationStatus::AwaitingConfirmation,
            to_status: ApplicationStatus::Registered,
            findings_json: "[]",
            actor: "test",
            confirmed_by: Some("test"),
            received_at: Some(now()),
            due: None,
            decided: true,
            registration_no: Some(&registration_no),
            verification_code: Some("ABCDEFGHJK"),
            note: "test",
            pledge: Some(&pledge),
            body_json: None,
            pledge_update: None,
        },
        now(),
    )
    .await
    .unwrap();
    let found = db
        .pledges_by_registration(std::slice::from_ref(&registration_no))
        .await
        .unwrap();
    World {
        lender,
        borrower,
        office,
        pledge_id: found[0].pledge_id,
        registration_no,
    }
}

/// A two-month interest-only loan of 1,000,000 fen: 4,000 of interest, then the principal.
pub(crate) async fn loan(db: &Db, world: &World, contract_no: &str) -> i64 {
    let instalments = [
        NewInstalment {
            disbursement: 0,
            period: 1,
            due_date: date("2026-12-23"),
            principal_fen: 0,
            interest_fen: 4_000,
            balance_fen: 1_000_000,
        },
        NewInstalment {
            disbursement: 0,
            period: 2,
            due_date: date("2027-01-23"),
            principal_fen: 1_000_000,
            interest_fen: 4_000,
            balance_fen: 0,
        },
    ];
    let disbursements = [NewDisbursement {
        date: date("2026-11-23"),
        principal_fen: 1_000_000,
        months: 2,
    }];
    let new_loan = NewLoan {
        lender_id: world.lender,
        borrower_id: world.borrower,
        contract_no,
        product_id: Some(1),
        amount_fen: 1_000_000,
        annual_rate_ppm: 48_000,
        method: RepaymentMethod::InterestOnly,
        day_count: DayCount::Monthly,
        start_date: date("2026-11-23"),
        months: 2,
        maturity: date("2027-01-23"),
        pledge_ids: &[world.pledge_id],
        disbursements: &disbursements,
        instalments: &instalments,
        floor_rule: "none",
        actor: "banker",
    };
    db.insert_loan(&new_loan, now()).await.unwrap()
}

#[tokio::test]
async fn a_loan_is_stored_with_its_schedule_and_repaid_once_per_fen() {
    for (db, _dir) in backends().await {
        let world = world(&db).await;
        let id = loan(&db, &world, "JK-1").await;
        let stored = db.get_loan(id).await.unwrap().unwrap();
        assert_eq!(stored.status, LoanStatus::Active, "{:?}", db.backend());
        assert_eq!(stored.principal_outstanding_fen, 1_000_000);
        assert_eq!(stored.risk_class, RiskClass::Normal);
        assert_eq!(stored.borrower_region.as_deref(), Some("320505"));
        assert_eq!(stored.method, RepaymentMethod::InterestOnly);
        let pledges = db.loan_pledges(id).await.unwrap();
        assert_eq!(pledges[0].registration_no, world.registration_no);
        let again = NewLoan {
            lender_id: world.lender,
            borrower_id: world.borrower,
            contract_no: "JK-1",
            product_id: None,
            amount_fen: 1,
            annual_rate_ppm: 0,
            method: RepaymentMethod::Bullet,
            day_count: DayCount::Monthly,
            start_date: date("2026-11-23"),
            months: 1,
            maturity: date("2026-12-23"),
            pledge_ids: &[],
            disbursements: &[],
            instalments: &[],
            floor_rule: "none",
            actor: "banker",
        };
        assert!(matches!(
            db.insert_loan(&again, now()).await,
            Err(DbError::Constraint(_))
        ));
        let mine = LoanFilter {
            lender_id: Some(world.lender),
            ..LoanFilter::default()
        };
        let listed = db
            .list_loans(&mine, ipyun_domain::page::PageRequest::default())
            .await
            .unwrap();
        assert_eq!(listed.total, 1);
        let elsewhere = LoanFilter {
            region_prefix: Some("33".into()),
            ..LoanFilter::default()
        };
        let none = db
            .list_loans(&elsewhere, ipyun_domain::page::PageRequest::default())
            .await
            .unwrap();
        assert_eq!(none.total, 0);

        let first = InstalmentPayment {
            disbursement: 0,
            period: 1,
            fees_fen: 0,
            interest_fen: 4_000,
            principal_fen: 0,
            paid_before: (0, 0, 0),
            settles: true,
        };
        let write = RepaymentWrite {
            loan_id: id,
            received_on: date("2026-12-23"),
            amount_fen: 4_000,
            unapplied_fen: 0,
            payments: std::slice::from_ref(&first),
            detail_json: "[]",
            actor: "banker",
        };
        assert_eq!(
            db.record_repayment(&write, now()).await.unwrap(),
            LoanStatus::Active
        );
        // The same repayment read before the first was recorded pays nothing twice.
        assert!(matches!(
            db.record_repayment(&write, now()).await,
            Err(DbError::Stale(_))
        ));
        let instalments = db.loan_instalments(id).await.unwrap();
        assert!(instalments[0].settled && !instalments[1].settled);
        assert_eq!(db.loan_repayments(id).await.unwrap().len(), 1);

        // The daily job: 91 days after the second instalment fell due, substandard.
        let rows = db.loans_for_day(date("2027-04-24")).await.unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].oldest_unsettled, Some(date("2027-01-23")));
        let update = ClassUpdate {
            loan_id: id,
            days_overdue: 91,
            from_class: RiskClass::Normal,
            to_class: RiskClass::Substandard,
            floor_class: RiskClass::Substandard,
            floor_rule: "overdue_over90_days".into(),
            drop_override: false,
        };
        let run = LoanDayRun {
            date: date("2027-04-24"),
            loans: 1,
            overdue: 1,
            reclassified: 1,
            alerts: 1,
        };
        let notices = db
            .apply_loan_day(
                &[update],
                &ipyun_db::loans::DayAlerts::default(),
                &run,
                "system",
                now(),
            )
            .await
            .unwrap();
        assert_eq!(notices, 0, "nobody to notify");
        let stored = db.get_loan(id).await.unwrap().unwrap();
        assert_eq!(
            (stored.risk_class, stored.days_overdue),
            (RiskClass::Substandard, 91)
        );
        let override_write = OverrideWrite {
            loan_id: id,
            on_date: date("2027-04-25"),
            from_class: RiskClass::Normal,
            to_class: RiskClass::Doubtful,
            override_class: Some(RiskClass::Doubtful),
            reason: Some("stale read"),
            restructured_until: None,
            floor_class: RiskClass::Substandard,
            floor_rule: "overdue_over90_days",
            days_overdue: 91,
            actor: "banker",
        };
        assert!(matches!(
            db.set_loan_override(&override_write, now()).await,
            Err(DbError::Stale(_))
        ));
        let history = db.loan_class_history(id).await.unwrap();
        assert_eq!(
            history
                .iter()
                .map(|change| (change.to_class, change.source.as_str()))
                .collect::<Vec<_>>(),
            vec![
                (RiskClass::Normal, "opened"),
                (RiskClass::Substandard, "daily_job")
            ]
        );

        // The NPL rows at two dates: normal before the job's date, substandard after it.
        let all = LoanFilter::default();
        let before = db.npl_rows(&all, date("2027-03-31")).await.unwrap();
        assert_eq!(
            (before[0].risk_class, before[0].balance_fen),
            (RiskClass::Normal, 1_000_000)
        );
        let after = db.npl_rows(&all, date("2027-04-30")).await.unwrap();
        assert_eq!(after[0].risk_class, RiskClass::Substandard);
        assert!(
            db.npl_rows(&all, date("2026-11-01"))
                .await
                .unwrap()
                .is_empty()
        );
        let _ = world.office;
    }
}

#[tokio::test]
async fn the_database_refuses_an_overdraft_and_a_second_open_claim() {
    for (db, _dir) in backends().await {
        let world = world(&db).await;
        let loan_id = loan(&db, &world, "JK-2").await;
        let lenders = format!("[{}]", world.lender);
        let fund = NewFund {
            name: "苏州风险补偿资金池",
            office_id: world.office,
            scope_kind: "region",
            region: Some("320500"),
            park_id: None,
            coverage_bp: 5_000,
            cap_per_loan_fen: 400_000,
            cap_per_year_fen: 10_000_000,
            eligible_lenders_json: &lenders,
            eligible_products_json: "[1]",
            actor: "officer",
        };
        let fund_id = db.insert_fund(&fund, now()).await.unwrap();
        let today = now().date_naive();
        let meta = EntryMeta {
            kind: "appropriation",
            fund_id: Some(fund_id),
            claim_id: None,
            actor: "officer",
        };
        db.post_ledger_entries(
            &[appropriation(fund_id, 300_000, today).unwrap()],
            &meta,
            now(),
        )
        .await
        .unwrap();

        // A transfer out of the fund beyond its balance: refused by the database, nothing written.
        let overdraw = JournalEntry::transfer(
            "bypass",
            today,
            fund_account(fund_id),
            lender_account(world.lender),
            300_001,
        )
        .unwrap();
        let refused = db.post_ledger_entries(&[overdraw], &meta, now()).await;
        assert!(
            refused.as_ref().is_err_and(is_ledger_overdraft),
            "{:?}: {refused:?}",
            db.backend()
        );
        let accounts = [
            budget_account(fund_id),
            fund_account(fund_id),
            lender_account(world.lender),
        ];
        assert_eq!(
            db.ledger_balances(&accounts).await.unwrap(),
            vec![
                (accounts[0], -300_000),
                (accounts[1], 300_000),
                (accounts[2], 0)
            ]
        );
        assert_eq!(db.fund_journal(fund_id).await.unwrap().len(), 1);
        assert_eq!(db.ledger_total_fen().await.unwrap(), 0);

        let claim = NewClaim {
            fund_id,
            loan_id,
            lender_id: world.lender,
            status: ClaimStatus::Submitted,
            claimed_on: today,
            principal_outstanding_fen: 1_000_000,
            days_overdue: 91,
            risk_class: RiskClass::Substandard,
            share_fen: 500_000,
            due_fen: 500_000,
            amount_fen: 400_000,
            limited_by: Some("per_loan"),
            refusal: None,
            actor: "banker",
        };
        let claim_id = db.insert_claim(&claim, now()).await.unwrap();
        assert!(matches!(
            db.insert_claim(&claim, now()).await,
            Err(DbError::Constraint(_))
        ));
        let payout_id = db
            .insert_payout(
                &NewPayout {
                    claim_id,
                    fund_id,
                    lender_id: world.lender,
                    amount_fen: 250_000,
                    maker_user_id: 7,
                    maker: "maker",
                },
                now(),
            )
            .await
            .unwrap();
        let payout = db.get_payout(payout_id).await.unwrap().unwrap();
        let entry = JournalEntry::transfer(
            "payout",
            today,
            fund_account(fund_id),
            lender_account(world.lender),
            250_000,
        )
        .unwrap();
        db.approve_payout(&payout, 8, "checker", &entry, now())
            .await
            .unwrap();
        // Approved once only.
        assert!(matches!(
            db.approve_payout(&payout, 8, "checker", &entry, now())
                .await,
            Err(DbError::Stale(_)) | Err(DbError::Constraint(_))
        ));
        let stored = db.get_claim(claim_id).await.unwrap().unwrap();
        assert_eq!(
            (stored.status, stored.paid_fen),
            (ClaimStatus::Paid, 250_000)
        );
        let totals = db
            .fund_paid_totals(fund_id, loan_id, date("2026-01-01"), date("2027-01-01"))
            .await
            .unwrap();
        assert_eq!(
            (totals.for_loan_fen, totals.in_year_fen),
            (250_000, 250_000)
        );
        assert_eq!(
            db.ledger_balances(&[fund_account(fund_id)]).await.unwrap()[0].1,
            50_000
        );

        let recoveries = Account::new(AccountKind::Recoveries, claim_id);
        let receipt = JournalEntry::transfer(
            "receipt",
            today,
            Account::new(AccountKind::Buyer, claim_id),
            recoveries,
            100_000,
        )
        .unwrap();
        let settlement = JournalEntry::new(
            "settlement",
            today,
            vec![
                ipyun_domain::loan::Posting::new(recoveries, -100_000),
                ipyun_domain::loan::Posting::new(lender_account(world.lender), 75_000),
                ipyun_domain::loan::Posting::new(fund_account(fund_id), 25_000),
            ],
        )
        .unwrap();
        db.settle_claim(
            &stored,
            100_000,
            25_000,
            &[receipt, settlement],
            "banker",
            now(),
        )
        .await
        .unwrap();
        let settled = db.get_claim(claim_id).await.unwrap().unwrap();
        assert_eq!(settled.status, ClaimStatus::Settled);
        assert_eq!(settled.recovered_to_fund_fen, Some(25_000));
        assert_eq!(
            db.ledger_balances(&[fund_account(fund_id), recoveries])
                .await
                .unwrap(),
            vec![(fund_account(fund_id), 75_000), (recoveries, 0)]
        );
        assert_eq!(db.fund_journal(fund_id).await.unwrap().len(), 4);
        assert_eq!(db.ledger_total_fen().await.unwrap(), 0);
    }
}
