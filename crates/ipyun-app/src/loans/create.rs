//! Recording a loan over the lender's registered pledges, and reading loans.

use super::views::{due_of, instalment_view};
use super::{LoanDetail, LoanScope, LoanStatus, LoanView, conflict, internal};
use crate::{App, AppError};
use chrono::NaiveDate;
use ipyun_db::DbError;
use ipyun_db::loans::{LoanRecord, NewDisbursement, NewInstalment, NewLoan};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::field::{FieldError, FieldErrors};
use ipyun_domain::loan::{
    DayCount, DisbursementInput, LoanInput, RepaymentMethod, RiskClass, floor, loan_days_overdue,
};
use ipyun_domain::page::{Page, PageRequest};
use ipyun_domain::pledge::PledgeStatus;
use ipyun_domain::valuation::Decimal;
use serde::Deserialize;
use std::collections::BTreeSet;

/// A loan contract as a lender records it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoanRequest {
    pub contract_no: String,
    /// Registration numbers of the lender's own registered, active pledges securing the loan
    /// (all given by one pledgor, the borrower).
    pub pledges: Vec<String>,
    /// The financial product, for the risk-compensation funds' eligibility.
    pub product_id: Option<i64>,
    /// The contract amount in fen.
    pub amount_fen: i64,
    /// The nominal annual rate in percent, at most four decimals (`4.9`).
    #[schema(value_type = String, example = "4.9")]
    pub annual_rate_pct: Decimal,
    pub method: RepaymentMethod,
    #[serde(default)]
    pub day_count: DayCount,
    pub start_date: NaiveDate,
    /// The contract's term in months, 1–360.
    pub months: u32,
    /// The drawdowns, each repaid on its own schedule; none given: the whole amount on the start
    /// date for the whole term.
    #[serde(default)]
    pub disbursements: Vec<DisbursementInput>,
}

/// Which loans to list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LoanQuery {
    pub status: Option<LoanStatus>,
    pub risk_class: Option<RiskClass>,
    /// Loans of this lender (within what you may see).
    pub lender_id: Option<i64>,
    /// Loans to this borrower (within what you may see).
    pub borrower_id: Option<i64>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl App {
    /// A lender's user records a loan tied to one or more of its registered, active pledges, with
    /// its disbursements and their schedules; the loan opens in the normal class.
    pub async fn create_loan(
        &self,
        principal: &Principal,
        request: &LoanRequest,
    ) -> Result<LoanDetail, AppError> {
        let lender_id = match (principal.role, principal.party_id) {
            (Role::Lender, Some(party)) => party,
            _ => return Err(AppError::forbidden("only a lender's users record loans")),
        };
        let mut errors = FieldErrors::default();
        let numbers: Vec<String> = request
            .pledges
            .iter()
            .map(|number| number.trim().to_ascii_uppercase())
            .collect();
        let found = self.db.pledges_by_registration(&numbers).await?;
        let mut pledge_ids = Vec::with_capacity(numbers.len());
        let mut flagged = BTreeSet::new();
        let mut pledgors = BTreeSet::new();
        for (index, number) in numbers.iter().enumerate() {
            let field = format!("pledges[{index}]");
            match found
                .iter()
                .find(|pledge| &pledge.registration_no == number && pledge.pledgee_id == lender_id)
            {
                None => {
                    flagged.insert(index);
                    pledge_ids.push(0);
                    errors.push(FieldError::new(
                        field,
                        "not_found",
                        format!("no registered pledge {number:?} of yours"),
                    ));
                }
                Some(pledge) => {
                    pledge_ids.push(pledge.pledge_id);
                    pledgors.insert(pledge.pledgor_id);
                    if pledge.status != PledgeStatus::Active {
                        flagged.insert(index);
                        errors.push(FieldError::new(
                            field,
                            "not_active",
                            format!(
                                "pledge {number} is {}: a loan is secured by active pledges",
                                pledge.status.as_str()
                            ),
                        ));
                    }
                }
            }
        }
        if pledgors.len() > 1 {
            errors.push(FieldError::new(
                "pledges",
                "different_pledgors",
                "the pledges securing one loan are given by one pledgor, the borrower",
            ));
        }
        let disbursements = if request.disbursements.is_empty() {
            vec![DisbursementInput {
                date: request.start_date,
                principal_fen: request.amount_fen,
                months: request.months,
            }]
        } else {
            request.disbursements.clone()
        };
        let input = LoanInput {
            contract_no: request.contract_no.clone(),
            pledge_ids,
            amount_fen: request.amount_fen,
            annual_rate_pct: request.annual_rate_pct,
            method: request.method,
            day_count: request.day_count,
            start_date: request.start_date,
            months: request.months,
            disbursements,
        };
        let validated = input.validate().map_err(|found| {
            for mut error in found.0 {
                if let Some(rest) = error.field.strip_prefix("pledge_ids") {
                    let index = rest
                        .trim_start_matches('[')
                        .trim_end_matches(']')
                        .parse::<usize>()
                        .ok();
                    if index.is_some_and(|index| flagged.contains(&index)) {
                        continue;
                    }
                    error.field = format!("pledges{rest}");
                }
                errors.push(error);
            }
        });
        let (Ok(loan), true) = (validated, errors.is_empty()) else {
            return Err(AppError::validation(errors));
        };
        let borrower_id = pledgors.into_iter().next().ok_or_else(|| {
            AppError::validation(FieldErrors(vec![FieldError::new(
                "pledges",
                "empty",
                "a loan is tied to at least one registered pledge",
            )]))
        })?;
        let new_disbursements: Vec<NewDisbursement> = loan
            .disbursements
            .iter()
            .map(|terms| NewDisbursement {
                date: terms.start_date(),
                principal_fen: terms.principal_fen,
                months: terms.months,
            })
            .collect();
        let instalments: Vec<NewInstalment> = loan
            .schedules()
            .iter()
            .enumerate()
            .flat_map(|(index, rows)| {
                rows.iter().map(move |row| NewInstalment {
                    disbursement: u32::try_from(index).unwrap_or(u32::MAX),
                    period: row.period,
                    due_date: row.due_date,
                    principal_fen: row.principal_fen,
                    interest_fen: row.interest_fen,
                    balance_fen: row.balance_fen,
                })
            })
            .collect();
        let opening = floor(0, false);
        let rule = super::day::rule_name(opening.rule);
        let new_loan = NewLoan {
            lender_id,
            borrower_id,
            contract_no: &loan.contract_no,
            product_id: request.product_id,
            amount_fen: loan.amount_fen,
            annual_rate_ppm: loan.rate.ppm(),
            method: loan.method,
            day_count: loan.day_count,
            start_date: loan.start_date,
            months: request.months,
            maturity: loan.maturity,
            pledge_ids: &loan.pledge_ids,
            disbursements: &new_disbursements,
            instalments: &instalments,
            floor_rule: &rule,
            actor: &principal.username,
        };
        let id = match self.db.insert_loan(&new_loan, self.clock.now()).await {
            Ok(id) => id,
            Err(DbError::Constraint(_)) => {
                return Err(conflict(
                    "loan.contract_taken",
                    format!(
                        "you recorded a loan with contract number {} before",
                        loan.contract_no
                    ),
                ));
            }
            Err(error) => return Err(error.into()),
        };
        self.loan_detail(principal, id).await
    }

    /// One loan with its schedule in force, repayments and class history.
    pub async fn loan_detail(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<LoanDetail, AppError> {
        let loan = self.visible_loan(principal, id).await?;
        self.detail_of(loan).await
    }

    pub(crate) async fn detail_of(&self, loan: LoanRecord) -> Result<LoanDetail, AppError> {
        let today = self.clock.today();
        let as_of = loan.classified_on.map_or(today, |on| on.max(today));
        let instalments = self.db.loan_instalments(loan.id).await?;
        let dues: Vec<_> = instalments.iter().map(due_of).collect();
        let restructured = loan.restructured_until.is_some_and(|until| until >= as_of);
        let pledges = self.db.loan_pledges(loan.id).await?;
        let disbursements = self.db.loan_disbursements(loan.id).await?;
        let repayments = self.db.loan_repayments(loan.id).await?;
        let history = self.db.loan_class_history(loan.id).await?;
        if history.is_empty() {
            return Err(internal(format!("loan {} has no class history", loan.id)));
        }
        Ok(LoanDetail {
            loan: LoanView::from(&loan),
            pledges: pledges.iter().map(Into::into).collect(),
            disbursements: disbursements.iter().map(Into::into).collect(),
            as_of,
            floor: floor(loan_days_overdue(&dues, as_of), restructured),
            instalments: instalments
                .iter()
                .map(|record| instalment_view(record, as_of))
                .collect(),
            repayments: repayments.iter().map(Into::into).collect(),
            classification_history: history.iter().map(Into::into).collect(),
        })
    }

    /// The loans the principal may see, newest first.
    pub async fn list_loans(
        &self,
        principal: &Principal,
        query: &LoanQuery,
    ) -> Result<Page<LoanView>, AppError> {
        let scope = LoanScope::of(principal)
            .ok_or_else(|| AppError::forbidden("your role sees no loans"))?;
        let mut filter = scope.filter();
        filter.status = query.status;
        filter.risk_class = query.risk_class;
        if let Some(lender_id) = query.lender_id {
            if filter.lender_id.is_some_and(|own| own != lender_id) {
                return Ok(Page {
                    items: Vec::new(),
                    page: 1,
                    per_page: PageRequest::default().per_page,
                    total: 0,
                });
            }
            filter.lender_id = Some(lender_id);
        }
        if let Some(borrower_id) = query.borrower_id {
            if filter.borrower_id.is_some_and(|own| own != borrower_id) {
                return Ok(Page {
                    items: Vec::new(),
                    page: 1,
                    per_page: PageRequest::default().per_page,
                    total: 0,
                });
            }
            filter.borrower_id = Some(borrower_id);
        }
        let page = PageRequest::new(query.page, query.per_page);
        let found = self.db.list_loans(&filter, page).await?;
        Ok(found.map(|loan| LoanView::from(&loan)))
    }
}
