//! A pledge application as the parties submit it (feature P1), and its validation. Malformed
//! values (a negative amount, an unreadable number) are input errors answered at once; a term the
//! contract lacks is not: it is a refusal ground the examination reports with its legal basis.

use crate::field::{FieldError, FieldErrors};
use crate::right::{RightKind, RightNumber};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Bounds on one application.
pub const MAX_RIGHTS: usize = 100;
pub const MAX_TEXT_CHARS: usize = 500;
pub const MAX_LIST: usize = 50;
/// One trillion yuan, in fen: far above any secured claim, far below overflow.
pub const MAX_AMOUNT_FEN: i64 = 100_000_000_000_000;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PledgeType {
    /// A pledge of the rights themselves (possibly several, of several kinds: a bundled pledge).
    #[default]
    Rights,
    /// A pledge of the right to receive licence fees under recorded licence contracts.
    LicenceRevenue,
}

/// The loan contract (主合同): the secured debt.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LoanContract {
    pub contract_no: Option<String>,
    /// The debtor's name (usually the pledgor itself).
    pub debtor: Option<String>,
    pub principal_fen: Option<i64>,
    pub performance_start: Option<NaiveDate>,
    /// The end of the debtor's performance period.
    pub performance_end: Option<NaiveDate>,
}

/// The pledge contract (质押合同).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PledgeContract {
    pub contract_no: Option<String>,
    /// The kind of secured claim, e.g. `loan` (借款), `guarantee_recourse`.
    pub secured_claim_kind: Option<String>,
    pub secured_amount_fen: Option<i64>,
    /// The scope of the security (principal, interest, penalties, costs of realisation…).
    pub scope: Option<String>,
    /// True when the contract passes the rights to the pledgee if the debt is not paid (流质条款).
    #[serde(default)]
    pub transfer_on_default: bool,
}

/// One right to pledge, with its particulars as the contract states them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PledgedRightInput {
    pub kind: RightKind,
    pub number: String,
    pub title: Option<String>,
    pub filing_date: Option<NaiveDate>,
    pub grant_date: Option<NaiveDate>,
}

/// The parties' statement that the rights were appraised (the report must then be attached).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ValuationStatement {
    /// The appraised value of the pledged rights together, in fen.
    pub appraised_value_fen: i64,
    /// The appraiser (a party of kind `appraiser`).
    pub appraiser_id: i64,
    /// The file name of the attached appraisal report (a PDF attachment of the application).
    pub report_file_name: String,
    pub valued_on: Option<NaiveDate>,
}

impl ValuationStatement {
    /// Loan-to-value (质押率): the secured amount ÷ the appraised value, in basis points, half up.
    pub fn ltv_bp(&self, secured_amount_fen: i64) -> Option<i64> {
        ltv_bp(secured_amount_fen, self.appraised_value_fen)
    }
}

/// Loan-to-value in basis points, rounded half up; none when the value is not positive.
pub fn ltv_bp(secured_amount_fen: i64, appraised_value_fen: i64) -> Option<i64> {
    if appraised_value_fen <= 0 || secured_amount_fen < 0 {
        return None;
    }
    let numerator = i128::from(secured_amount_fen) * 10_000 * 2 + i128::from(appraised_value_fen);
    i64::try_from(numerator / (2 * i128::from(appraised_value_fen))).ok()
}

/// The application body of `POST /api/v1/pledge-applications`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PledgeApplicationInput {
    /// The pledgor (an enterprise party); defaults to the caller's own organisation.
    pub pledgor_id: Option<i64>,
    /// The pledgee (a lender party); defaults to the caller's own organisation.
    pub pledgee_id: Option<i64>,
    #[serde(default)]
    pub pledge_type: PledgeType,
    #[serde(default)]
    pub loan_contract: LoanContract,
    #[serde(default)]
    pub pledge_contract: PledgeContract,
    #[serde(default)]
    pub rights: Vec<PledgedRightInput>,
    /// Record numbers of the licence contracts whose revenue is pledged (licence-revenue pledges).
    #[serde(default)]
    pub licence_contracts: Vec<String>,
    /// Co-owners (by name or USCC) whose written consent is attached.
    #[serde(default)]
    pub co_owner_consents: Vec<String>,
    /// Finding codes the parties, once told, declare they want to go on despite
    /// (`pledge.same_day_filing`, `pledge.invalidation_pending`).
    #[serde(default)]
    pub informed_consent: Vec<String>,
    /// The parties' commitment letter, in place of identity papers.
    #[serde(default)]
    pub commitment_letter: bool,
    /// The pledgor declares it produces supplies for epidemic prevention (a green-channel ground).
    #[serde(default)]
    pub epidemic_supply: bool,
    /// Given when the rights were appraised: the report must be attached (V4).
    #[serde(default)]
    pub valuation: Option<ValuationStatement>,
}

/// A right of a validated application: its number in normal form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PledgedRight {
    pub kind: RightKind,
    pub number: String,
    pub title: Option<String>,
    pub filing_date: Option<NaiveDate>,
    pub grant_date: Option<NaiveDate>,
}

/// An application whose values are well-formed (its terms may still be missing: see `examine`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PledgeApplication {
    pub pledge_type: PledgeType,
    pub loan_contract: LoanContract,
    pub pledge_contract: PledgeContract,
    pub rights: Vec<PledgedRight>,
    pub licence_contracts: Vec<String>,
    pub co_owner_consents: Vec<String>,
    pub informed_consent: Vec<String>,
    pub commitment_letter: bool,
    pub epidemic_supply: bool,
    #[serde(default)]
    pub valuation: Option<ValuationStatement>,
}

fn trimmed(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_string)
}

fn check_text(errors: &mut FieldErrors, field: &str, value: &Option<String>) -> Option<String> {
    let text = trimmed(value)?;
    if text.chars().count() > MAX_TEXT_CHARS {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("at most {MAX_TEXT_CHARS} characters"),
        ));
    }
    Some(text)
}

fn check_amount(errors: &mut FieldErrors, field: &str, value: Option<i64>) {
    if let Some(amount) = value
        && !(0..=MAX_AMOUNT_FEN).contains(&amount)
    {
        errors.push(FieldError::new(
            field,
            "out_of_range",
            format!("an amount in fen from 0 to {MAX_AMOUNT_FEN}"),
        ));
    }
}

fn check_list(errors: &mut FieldErrors, field: &str, values: &[String]) -> Vec<String> {
    if values.len() > MAX_LIST {
        errors.push(FieldError::new(
            field,
            "too_many",
            format!("at most {MAX_LIST} entries"),
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for (index, value) in values.iter().enumerate() {
        let text = value.trim();
        if text.is_empty() || text.chars().count() > MAX_TEXT_CHARS {
            errors.push(FieldError::new(
                format!("{field}[{index}]"),
                "invalid",
                "a non-empty text of at most 500 characters",
            ));
        } else if !out.iter().any(|seen| seen == text) {
            out.push(text.to_string());
        }
    }
    out
}

impl PledgeApplicationInput {
    /// Checks every value, reporting all problems at once.
    pub fn validate(&self) -> Result<PledgeApplication, FieldErrors> {
        let mut errors = FieldErrors::default();
        let loan = &self.loan_contract;
        let loan_contract = LoanContract {
            contract_no: check_text(&mut errors, "loan_contract.contract_no", &loan.contract_no),
            debtor: check_text(&mut errors, "loan_contract.debtor", &loan.debtor),
            principal_fen: loan.principal_fen,
            performance_start: loan.performance_start,
            performance_end: loan.performance_end,
        };
        check_amount(
            &mut errors,
            "loan_contract.principal_fen",
            loan.principal_fen,
        );
        if let (Some(start), Some(end)) = (loan.performance_start, loan.performance_end)
            && end < start
        {
            errors.push(FieldError::new(
                "loan_contract.performance_end",
                "before_start",
                "the performance period ends before it starts",
            ));
        }
        let pledge = &self.pledge_contract;
        let pledge_contract = PledgeContract {
            contract_no: check_text(
                &mut errors,
                "pledge_contract.contract_no",
                &pledge.contract_no,
            ),
            secured_claim_kind: check_text(
                &mut errors,
                "pledge_contract.secured_claim_kind",
                &pledge.secured_claim_kind,
            ),
            secured_amount_fen: pledge.secured_amount_fen,
            scope: check_text(&mut errors, "pledge_contract.scope", &pledge.scope),
            transfer_on_default: pledge.transfer_on_default,
        };
        check_amount(
            &mut errors,
            "pledge_contract.secured_amount_fen",
            pledge.secured_amount_fen,
        );
        if self.rights.len() > MAX_RIGHTS {
            errors.push(FieldError::new(
                "rights",
                "too_many",
                format!("at most {MAX_RIGHTS} rights"),
            ));
        }
        let mut rights: Vec<PledgedRight> = Vec::with_capacity(self.rights.len());
        for (index, right) in self.rights.iter().enumerate() {
            let field = format!("rights[{index}].number");
            let Some(number) = errors.parse(&field, RightNumber::parse(right.kind, &right.number))
            else {
                continue;
            };
            let number = number.as_str().to_string();
            if rights.iter().any(|seen| seen.number == number) {
                errors.push(FieldError::new(
                    field,
                    "duplicate",
                    "the same right is listed twice",
                ));
                continue;
            }
            rights.push(PledgedRight {
                kind: right.kind,
                number,
                title: check_text(&mut errors, &format!("rights[{index}].title"), &right.title),
                filing_date: right.filing_date,
                grant_date: right.grant_date,
            });
        }
        let licence_contracts =
            check_list(&mut errors, "licence_contracts", &self.licence_contracts);
        let co_owner_consents =
            check_list(&mut errors, "co_owner_consents", &self.co_owner_consents);
        let informed_consent = check_list(&mut errors, "informed_consent", &self.informed_consent);
        for (index, code) in informed_consent.iter().enumerate() {
            let consentable = super::FindingCode::parse(code)
                .is_some_and(|code| code.severity() == super::Severity::NeedsConsent);
            if !consentable {
                errors.push(FieldError::new(
                    format!("informed_consent[{index}]"),
                    "not_consentable",
                    "only pledge.same_day_filing and pledge.invalidation_pending can be consented to",
                ));
            }
        }
        if let Some(valuation) = &self.valuation {
            if !(1..=MAX_AMOUNT_FEN).contains(&valuation.appraised_value_fen) {
                errors.push(FieldError::new(
                    "valuation.appraised_value_fen",
                    "out_of_range",
                    "a positive amount in fen",
                ));
            }
            let name = valuation.report_file_name.trim();
            if name.is_empty() || name.chars().count() > 200 {
                errors.push(FieldError::new(
                    "valuation.report_file_name",
                    "required",
                    "the attached report's file name",
                ));
            }
        }
        errors.into_result()?;
        Ok(PledgeApplication {
            pledge_type: self.pledge_type,
            loan_contract,
            pledge_contract,
            rights,
            licence_contracts,
            co_owner_consents,
            informed_consent,
            commitment_letter: self.commitment_letter,
            epidemic_supply: self.epidemic_supply,
            valuation: self.valuation.clone(),
        })
    }
}

impl PledgeApplication {
    pub fn consents_to(&self, code: super::FindingCode) -> bool {
        self.informed_consent
            .iter()
            .any(|consented| consented == code.as_str())
    }
}
