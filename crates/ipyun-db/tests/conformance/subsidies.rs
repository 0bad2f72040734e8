//! Subsidies on every backend: a programme's budget line may go negative but the programme never
//! does, approvals commit only what the programme holds, one open application per fee and per
//! period of interest, a payout moves the money and releases the commitment, and the report's
//! reads (totals, statuses, dates, journal, interest paid) agree.

use super::backends;
use super::loans::{date, loan, world};
use super::now;
use ipyun_db::DbError;
use ipyun_db::loans::{
    EntryMeta, InstalmentPayment, NewProgramme, NewSubsidyApplication, NewSubsidyPayout,
    RepaymentWrite, SubsidyApproval, is_ledger_overdraft, is_subsidy_already_applied,
    is_subsidy_budget_exhausted,
};
use ipyun_domain::id::RegionCode;
use ipyun_domain::loan::{
    JournalEntry, SubsidyKind, SubsidyRules, SubsidyStatus, enterprise_account, subsidy_account,
    subsidy_appropriation, subsidy_budget_account, subsidy_payout,
};

fn application(
    programme_id: i64,
    enterprise_id: i64,
    loan_id: i64,
    period: Option<(&str, &str)>,
    amount_fen: i64,
) -> NewSubsidyApplication<'static> {
    NewSubsidyApplication {
        programme_id,
        enterprise_id,
        loan_id,
        kind: SubsidyKind::Interest,
        status: SubsidyStatus::Submitted,
        applied_on: date("2027-01-05"),
        period: period.map(|(start, end)| (date(start), date(end))),
        cost_fen: amount_fen * 2,
        evidence: None,
        share_fen: amount_fen,
        amount_fen,
        limited_by: None,
        refusal: None,
        actor: "owner",
    }
}

#[tokio::test]
async fn a_programme_commits_and_pays_only_what_it_holds() {
    for (db, _dir) in backends().await {
        let world = world(&db).await;
        let loan_id = loan(&db, &world, "JK-S").await;
        let backend = db.backend();
        let programme = NewProgramme {
            name: "苏州市贴息",
            office_id: world.office,
            kind: SubsidyKind::Interest,
            region: "320500",
            rate_bp: 5_000,
            cap_per_application_fen: 150_000,
            annual_budget_fen: 1_000_000,
            opens_on: date("2026-11-01"),
            closes_on: date("2027-06-30"),
            actor: "officer",
        };
        let id = db
            .insert_subsidy_programme(&programme, now())
            .await
            .unwrap();
        let stored = db.get_subsidy_programme(id).await.unwrap().unwrap();
        assert_eq!(
            (stored.kind, stored.committed_fen),
            (SubsidyKind::Interest, 0)
        );
        let rules = SubsidyRules {
            programme_id: id,
            kind: stored.kind,
            region: RegionCode::parse(&stored.region).unwrap(),
            rate_bp: stored.rate_bp,
            cap_per_application_fen: stored.cap_per_application_fen,
            annual_budget_fen: stored.annual_budget_fen,
            opens_on: stored.opens_on,
            closes_on: stored.closes_on,
        };

        // The budget line goes negative (money from outside); the programme cannot.
        let today = date("2027-01-05");
        let entry = subsidy_appropriation(&rules, 0, 100_000, today).unwrap();
        db.appropriate_subsidy(id, 100_000, &entry, "officer", now())
            .await
            .unwrap();
        let accounts = [subsidy_budget_account(id), subsidy_account(id)];
        assert_eq!(
            db.ledger_balances(&accounts).await.unwrap(),
            vec![(accounts[0], -100_000), (accounts[1], 100_000)],
            "{backend:?}"
        );
        let bypass = JournalEntry::transfer(
            "bypass",
            today,
            subsidy_account(id),
            enterprise_account(world.borrower),
            100_001,
        )
        .unwrap();
        let meta = EntryMeta {
            kind: "subsidy_payout",
            fund_id: None,
            claim_id: None,
            actor: "officer",
        };
        let refused = db.post_ledger_entries(&[bypass], &meta, now()).await;
        assert!(
            refused.as_ref().is_err_and(is_ledger_overdraft),
            "{backend:?}: {refused:?}"
        );

        // One open application per period of interest; a refused one does not count.
        let first = db
            .insert_subsidy_application(
                &application(
                    id,
                    world.borrower,
                    loan_id,
                    Some(("2026-12-01", "2026-12-31")),
                    80_000,
                ),
                now(),
            )
            .await
            .unwrap();
        let overlapping = db
            .insert_subsidy_application(
                &application(
                    id,
                    world.borrower,
                    loan_id,
                    Some(("2026-12-31", "2027-01-31")),
                    1,
                ),
                now(),
            )
            .await;
        assert!(
            overlapping.as_ref().is_err_and(is_subsidy_already_applied),
            "{backend:?}: {overlapping:?}"
        );
        let mut refused_one = application(
            id,
            world.borrower,
            loan_id,
            Some(("2026-12-15", "2026-12-20")),
            0,
        );
        refused_one.status = SubsidyStatus::Refused;
        refused_one.refusal = Some("nothing_covered: nothing of the cost covered was paid");
        db.insert_subsidy_application(&refused_one, now())
            .await
            .unwrap();
        let second = db
            .insert_subsidy_application(
                &application(
                    id,
                    world.borrower,
                    loan_id,
                    Some(("2027-01-01", "2027-01-31")),
                    30_000,
                ),
                now(),
            )
            .await
            .unwrap();
        // One open fee application per programme and loan (the unique index).
        let mut fee = application(id, world.borrower, loan_id, None, 10);
        fee.kind = SubsidyKind::ValuationFee;
        db.insert_subsidy_application(&fee, now()).await.unwrap();
        let again = db.insert_subsidy_application(&fee, now()).await;
        assert!(
            again.as_ref().is_err_and(is_subsidy_already_applied),
            "{backend:?}: {again:?}"
        );

        // Approvals commit within the balance: 80,000, then 30,000 is refused (20,000 left).
        let approval = |application_id: i64, amount_fen: i64| SubsidyApproval {
            application_id,
            programme_id: id,
            amount_fen,
            limited_by: None,
            decided_on: today,
            actor: "checker",
        };
        db.approve_subsidy_application(&approval(first, 80_000), now())
            .await
            .unwrap();
        let over = db
            .approve_subsidy_application(&approval(second, 30_000), now())
            .await;
        assert!(
            over.as_ref().is_err_and(is_subsidy_budget_exhausted),
            "{backend:?}: {over:?}"
        );
        let unchanged = db.get_subsidy_application(second).await.unwrap().unwrap();
        assert_eq!(unchanged.status, SubsidyStatus::Submitted, "{backend:?}");
        let twice = db
            .approve_subsidy_application(&approval(first, 80_000), now())
            .await;
        assert!(matches!(twice, Err(DbError::Stale(_))), "{backend:?}");
        db.refuse_subsidy_application(
            second,
            "refused_by_office: 预算不足",
            today,
            "checker",
            now(),
        )
        .await
        .unwrap();

        // The payout: drafted, approved by another user; the commitment is released.
        let payout_id = db
            .insert_subsidy_payout(
                &NewSubsidyPayout {
                    application_id: first,
                    programme_id: id,
                    enterprise_id: world.borrower,
                    amount_fen: 80_000,
                    maker_user_id: 1,
                    maker: "maker",
                },
                now(),
            )
            .await
            .unwrap();
        let payout = db.get_subsidy_payout(payout_id).await.unwrap().unwrap();
        let paid_on = date("2027-01-08");
        let approved = subsidy_payout(1, id, world.borrower, 80_000, paid_on, "subsidy/payout")
            .unwrap()
            .approve(2)
            .unwrap();
        db.approve_subsidy_payout(&payout, 2, "checker", approved.entry(), now())
            .await
            .unwrap();
        let paid = db.get_subsidy_application(first).await.unwrap().unwrap();
        assert_eq!(
            (paid.status, paid.paid_fen, paid.paid_on),
            (SubsidyStatus::Paid, 80_000, Some(paid_on)),
            "{backend:?}"
        );
        let (start, end) = (date("2027-01-01"), date("2028-01-01"));
        let totals = db.subsidy_totals(id, start, end).await.unwrap();
        assert_eq!(
            (
                totals.appropriated_fen,
                totals.appropriated_in_year_fen,
                totals.paid_fen,
                totals.committed_fen
            ),
            (100_000, 100_000, 80_000, 0),
            "{backend:?}"
        );
        let before = db
            .subsidy_totals(id, date("2026-01-01"), date("2027-01-01"))
            .await
            .unwrap();
        assert_eq!(before.appropriated_in_year_fen, 0);
        let counts = db.subsidy_status_counts(id).await.unwrap();
        assert_eq!(
            counts,
            vec![
                (SubsidyStatus::Paid, 1),
                (SubsidyStatus::Refused, 2),
                (SubsidyStatus::Submitted, 1)
            ],
            "{backend:?}"
        );
        assert_eq!(
            db.subsidy_payout_dates(id).await.unwrap(),
            vec![(date("2027-01-05"), paid_on)]
        );
        let journal = db.subsidy_journal(id).await.unwrap();
        assert_eq!(
            journal
                .iter()
                .map(|entry| entry.kind.as_str())
                .collect::<Vec<_>>(),
            ["subsidy_appropriation", "subsidy_payout"],
            "{backend:?}"
        );
        assert_eq!(
            db.ledger_balances(&[enterprise_account(world.borrower)])
                .await
                .unwrap()[0]
                .1,
            80_000
        );
        assert_eq!(db.ledger_total_fen().await.unwrap(), 0);

        // The interest paid on the loan in a period, from its repayments.
        let payment = InstalmentPayment {
            disbursement: 0,
            period: 1,
            fees_fen: 0,
            interest_fen: 4_000,
            principal_fen: 0,
            paid_before: (0, 0, 0),
            settles: true,
        };
        let write = RepaymentWrite {
            loan_id,
            received_on: date("2026-12-23"),
            amount_fen: 4_000,
            unapplied_fen: 0,
            payments: std::slice::from_ref(&payment),
            detail_json: "[]",
            actor: "banker",
        };
        db.record_repayment(&write, now()).await.unwrap();
        for (start, end, expected) in [
            ("2026-12-01", "2026-12-31", 4_000),
            ("2026-12-23", "2026-12-23", 4_000),
            ("2026-12-24", "2027-01-31", 0),
        ] {
            assert_eq!(
                db.interest_paid_between(loan_id, date(start), date(end))
                    .await
                    .unwrap(),
                expected,
                "{backend:?} {start}..{end}"
            );
        }
    }
}
