//! `/loans/{id}` (signed in): one loan as the app shows it to those who may see it — its
//! contract, class and floor, the pledges securing it, the schedule in force with overdue
//! instalments marked, the repayments, the classification history with each floor's rule and
//! reason, and its disposal cases. A loan the viewer may not see is the 404 page.

use super::error::PageError;
use super::extract::{PagePath, SignedIn};
use super::loan_views::{LoanRow, wire_name};
use super::pledge_views::yuan;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use ipyun_app::loans::{ClassChangeView, DisposalView, InstalmentView, LoanDetail, RepaymentView};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
struct FloorView {
    class: &'static str,
    rule: String,
    days_overdue: i64,
}

#[derive(Debug, Clone, Serialize)]
struct PledgeCell {
    registration_no: String,
    status: &'static str,
}

#[derive(Debug, Clone, Serialize)]
struct DisbursementRow {
    number: i64,
    date: String,
    principal: String,
    months: i64,
}

#[derive(Debug, Clone, Serialize)]
struct InstalmentRow {
    disbursement: i64,
    period: i64,
    due_date: String,
    payment: String,
    principal: String,
    interest: String,
    fees: String,
    balance: String,
    paid: String,
    outstanding: String,
    settled: bool,
    days_overdue: i64,
    overdue: bool,
}

impl From<&InstalmentView> for InstalmentRow {
    fn from(row: &InstalmentView) -> Self {
        let overdue = !row.settled && row.days_overdue > 0;
        InstalmentRow {
            disbursement: row.disbursement + 1,
            period: row.period,
            due_date: row.due_date.to_string(),
            payment: yuan(row.payment_fen),
            principal: yuan(row.principal_fen),
            interest: yuan(row.interest_fen),
            fees: yuan(row.fees_fen),
            balance: yuan(row.balance_fen),
            paid: yuan(row.principal_paid_fen + row.interest_paid_fen + row.fees_paid_fen),
            outstanding: yuan(row.outstanding_fen),
            settled: row.settled,
            days_overdue: if overdue { row.days_overdue } else { 0 },
            overdue,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
struct RepaymentRow {
    received_on: String,
    kind: String,
    amount: String,
    fees: String,
    interest: String,
    principal: String,
    unapplied: String,
    recorded_by: String,
}

impl From<&RepaymentView> for RepaymentRow {
    fn from(row: &RepaymentView) -> Self {
        RepaymentRow {
            received_on: row.received_on.to_string(),
            kind: row.kind.clone(),
            amount: yuan(row.amount_fen),
            fees: yuan(row.fees_fen),
            interest: yuan(row.interest_fen),
            principal: yuan(row.principal_fen),
            unapplied: yuan(row.unapplied_fen),
            recorded_by: row.recorded_by.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
struct ClassChangeRow {
    on_date: String,
    from_class: Option<&'static str>,
    to_class: &'static str,
    floor_class: &'static str,
    floor_rule: String,
    days_overdue: i64,
    source: String,
    reason: Option<String>,
    actor: String,
}

impl From<&ClassChangeView> for ClassChangeRow {
    fn from(row: &ClassChangeView) -> Self {
        ClassChangeRow {
            on_date: row.on_date.to_string(),
            from_class: row.from_class.map(|class| class.as_str()),
            to_class: row.to_class.as_str(),
            floor_class: row.floor_class.as_str(),
            floor_rule: row.floor_rule.clone(),
            days_overdue: row.days_overdue.max(0),
            source: row.source.clone(),
            reason: row.reason.clone(),
            actor: row.actor.clone(),
        }
    }
}

/// A disposal case in the loan's list.
#[derive(Debug, Clone, Serialize)]
struct DisposalRow {
    id: i64,
    href: String,
    method: &'static str,
    status: &'static str,
    opened_on: String,
    price: Option<String>,
    settled_on: Option<String>,
}

impl From<&DisposalView> for DisposalRow {
    fn from(case: &DisposalView) -> Self {
        DisposalRow {
            id: case.id,
            href: format!("/disposals/{}", case.id),
            method: case.method.as_str(),
            status: case.status.as_str(),
            opened_on: case.opened_on.to_string(),
            price: case.price_fen.map(yuan),
            settled_on: case.settled_on.map(|date| date.to_string()),
        }
    }
}

#[derive(Serialize)]
struct LoanPage {
    loan: LoanRow,
    as_of: String,
    floor: FloorView,
    pledges: Vec<PledgeCell>,
    disbursements: Vec<DisbursementRow>,
    instalments: Vec<InstalmentRow>,
    overdue_instalments: usize,
    /// Penalty interest or charges were added to some instalment: show their column.
    show_fees: bool,
    /// More than one drawdown: show which one each instalment repays.
    show_disbursement: bool,
    repayments: Vec<RepaymentRow>,
    history: Vec<ClassChangeRow>,
    disposals: Vec<DisposalRow>,
}

impl LoanPage {
    fn new(detail: &LoanDetail, disposals: &[DisposalView]) -> Self {
        let instalments: Vec<InstalmentRow> =
            detail.instalments.iter().map(InstalmentRow::from).collect();
        LoanPage {
            loan: LoanRow::from(&detail.loan),
            as_of: detail.as_of.to_string(),
            floor: FloorView {
                class: detail.floor.class.as_str(),
                rule: wire_name(&detail.floor.rule),
                days_overdue: detail.floor.days_overdue,
            },
            pledges: detail
                .pledges
                .iter()
                .map(|pledge| PledgeCell {
                    registration_no: pledge.registration_no.clone(),
                    status: pledge.status.as_str(),
                })
                .collect(),
            disbursements: detail
                .disbursements
                .iter()
                .map(|row| DisbursementRow {
                    number: row.index + 1,
                    date: row.date.to_string(),
                    principal: yuan(row.principal_fen),
                    months: row.months,
                })
                .collect(),
            overdue_instalments: instalments.iter().filter(|row| row.overdue).count(),
            show_fees: detail.instalments.iter().any(|row| row.fees_fen != 0),
            show_disbursement: detail.disbursements.len() > 1,
            instalments,
            repayments: detail.repayments.iter().map(RepaymentRow::from).collect(),
            history: detail
                .classification_history
                .iter()
                .map(ClassChangeRow::from)
                .collect(),
            disposals: disposals.iter().map(DisposalRow::from).collect(),
        }
    }
}

/// `GET /loans/{id}`: to anyone who may not see the loan it does not exist (404).
pub async fn get_loan(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let principal = &actor.principal;
    let detail = state
        .app
        .loan_detail(principal, id)
        .await
        .map_err(|error| frame.fail(error))?;
    let disposals = state
        .app
        .list_disposals(principal, Some(id))
        .await
        .map_err(|error| frame.fail(error))?;
    frame.render("loan.html", &LoanPage::new(&detail, &disposals))
}

#[cfg(test)]
pub(super) mod samples {
    use super::super::disposal_page::samples::case;
    use super::super::loan_views::samples::{day, loan};
    use super::*;
    use ipyun_app::loans::{DisbursementView, LoanPledgeView};
    use ipyun_domain::loan::{Floor, FloorRule, RiskClass};
    use ipyun_domain::pledge::PledgeStatus;

    fn instalment(period: i64, settled: bool, days_overdue: i64) -> InstalmentView {
        InstalmentView {
            disbursement: 0,
            period,
            due_date: day("2026-12-23") + chrono::Duration::days(30 * (period - 1)),
            payment_fen: 362_500,
            principal_fen: 0,
            interest_fen: 362_500,
            fees_fen: if settled { 0 } else { 1_234 },
            balance_fen: 100_000_000,
            principal_paid_fen: 0,
            interest_paid_fen: if settled { 362_500 } else { 0 },
            fees_paid_fen: 0,
            outstanding_fen: if settled { 0 } else { 363_734 },
            settled,
            days_overdue,
        }
    }

    pub fn detail() -> LoanDetail {
        LoanDetail {
            loan: loan(3, RiskClass::Doubtful),
            pledges: vec![LoanPledgeView {
                registration_no: "Y2026000000007".into(),
                status: PledgeStatus::Active,
            }],
            disbursements: vec![
                DisbursementView {
                    index: 0,
                    date: day("2026-11-23"),
                    principal_fen: 60_000_000,
                    months: 12,
                },
                DisbursementView {
                    index: 1,
                    date: day("2027-01-23"),
                    principal_fen: 40_000_000,
                    months: 10,
                },
            ],
            as_of: day("2027-04-24"),
            floor: Floor {
                class: RiskClass::Substandard,
                rule: FloorRule::OverdueOver90Days,
                days_overdue: 91,
            },
            instalments: vec![
                instalment(1, true, 0),
                instalment(2, false, 91),
                instalment(3, false, 0),
            ],
            repayments: vec![RepaymentView {
                id: 1,
                kind: "repayment".into(),
                received_on: day("2026-12-23"),
                amount_fen: 362_500,
                fees_fen: 0,
                interest_fen: 362_500,
                principal_fen: 0,
                unapplied_fen: 0,
                detail: serde_json::Value::Null,
                recorded_by: "banker".into(),
            }],
            classification_history: vec![
                ClassChangeView {
                    on_date: day("2026-11-23"),
                    from_class: None,
                    to_class: RiskClass::Normal,
                    floor_class: RiskClass::Normal,
                    floor_rule: "none".into(),
                    days_overdue: 0,
                    source: "opened".into(),
                    reason: None,
                    actor: "banker".into(),
                },
                ClassChangeView {
                    on_date: day("2027-04-24"),
                    from_class: Some(RiskClass::Substandard),
                    to_class: RiskClass::Doubtful,
                    floor_class: RiskClass::Substandard,
                    floor_rule: "overdue_over90_days".into(),
                    days_overdue: 91,
                    source: "override".into(),
                    reason: Some("经营恶化 <b>".into()),
                    actor: "banker".into(),
                },
            ],
        }
    }

    pub fn views() -> Vec<(&'static str, minijinja::Value)> {
        let full = LoanPage::new(&detail(), &[case(true, true)]);
        let mut bare = detail();
        bare.repayments.clear();
        bare.disbursements.truncate(1);
        bare.instalments.truncate(1);
        let bare = LoanPage::new(&bare, &[]);
        vec![
            ("loan.html", minijinja::Value::from_serialize(full)),
            ("loan.html", minijinja::Value::from_serialize(bare)),
        ]
    }

    #[test]
    fn overdue_instalments_are_marked_and_paid_sums_its_parts() {
        let page = LoanPage::new(&detail(), &[]);
        let marks: Vec<(bool, i64)> = page
            .instalments
            .iter()
            .map(|row| (row.overdue, row.days_overdue))
            .collect();
        assert_eq!(marks, vec![(false, 0), (true, 91), (false, 0)]);
        assert_eq!(page.overdue_instalments, 1);
        assert_eq!(page.instalments[0].paid, "3,625.00");
        assert_eq!(page.instalments[1].outstanding, "3,637.34");
        assert!(page.show_fees && page.show_disbursement);
        assert_eq!(page.floor.rule, "overdue_over90_days");
    }
}
