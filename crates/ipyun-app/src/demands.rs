//! Financing demands and the project pipeline (issue 6, F2). Who may see and do what:
//! - an enterprise's users publish demands offering their own rights, see theirs, and move them
//!   (to any stage; `registered` names a pledge of theirs, `disbursed` a loan they borrowed);
//! - a lender's users see demands shared with nobody in particular or with their lender, and
//!   move those forward as the lender in talks (`registered` and `disbursed` name the lender's
//!   own pledge and loan); once a lender is in talks, other lenders can no longer move it;
//! - a park sees its enterprises', a provincial office its province's, the national office and
//!   administrators all, read-only; the pipeline report counts what each may see.
//!
//! Anyone else learns nothing: a demand they may not see answers "not found".

use crate::rights::normalise_right_number;
use crate::{App, AppError, ErrorKind};
use chrono::NaiveDate;
use ipyun_db::demands::{DemandFilter, DemandRecord, StageWrite};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::field::{FieldError, FieldErrors};
use ipyun_domain::market::{DemandDraft, DemandTerms, Stage};
use ipyun_domain::pledge::PledgeStatus;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DemandQuery {
    pub stage: Option<Stage>,
}

/// A move along the pipeline.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageInput {
    pub stage: Stage,
    /// `registered`: the pledge's registration number.
    pub registration_no: Option<String>,
    /// `disbursed`: the loan.
    pub loan_id: Option<i64>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DemandStageView {
    pub stage: String,
    pub on_date: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub actor: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DemandView {
    pub id: i64,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub stage: Stage,
    pub terms: DemandTerms,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lender_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_no: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loan_id: Option<i64>,
    pub published_on: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub funded_on: Option<NaiveDate>,
    /// Days from publication to money.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_to_money: Option<i64>,
    pub stages: Vec<DemandStageView>,
}

/// The pipeline of the demands the principal may see.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PipelineReport {
    pub demands: u64,
    /// Demands at each stage now, in the pipeline's order.
    pub by_stage: Vec<StageCount>,
    /// Demands that reached money.
    pub funded: u64,
    /// Funded over all, in basis points (absent with no demand).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conversion_bp: Option<u64>,
    /// The median days from publication to money (absent with none funded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median_days_to_money: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StageCount {
    pub stage: Stage,
    pub demands: u64,
}

fn demand_not_found(id: i64) -> AppError {
    AppError::not_found("demand.not_found", format!("no demand {id}"))
}

fn invalid(field: &str, code: &str, message: impl Into<String>) -> AppError {
    AppError::validation(FieldErrors(vec![FieldError::new(field, code, message)]))
}

fn conflict(code: &'static str, message: impl Into<String>) -> AppError {
    AppError::new(ErrorKind::Conflict, code, message)
}

impl App {
    /// The demands filter for the principal, or a refusal.
    pub(crate) fn demand_scope(&self, principal: &Principal) -> Result<DemandFilter, AppError> {
        let mut filter = DemandFilter::default();
        match (principal.role, principal.party_id) {
            (Role::PlatformAdmin | Role::NationalOffice, _) => {}
            (Role::Enterprise, Some(party)) => filter.enterprise_id = Some(party),
            (Role::Lender, Some(party)) => filter.visible_to_lender = Some(party),
            (Role::Park, Some(party)) => filter.park_id = Some(party),
            (Role::ProvincialOffice, _) => {
                filter.region_prefix = Some(
                    crate::loans::province(principal)
                        .ok_or_else(|| AppError::forbidden("your office has no region"))?,
                );
            }
            _ => return Err(AppError::forbidden("your role sees no financing demands")),
        }
        Ok(filter)
    }

    /// A demand the principal may see, or "not found".
    pub(crate) async fn visible_demand(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<DemandRecord, AppError> {
        let scope = self
            .demand_scope(principal)
            .map_err(|_| demand_not_found(id))?;
        let demand = self
            .db
            .get_demand(id)
            .await?
            .ok_or_else(|| demand_not_found(id))?;
        let visible = match (&scope, principal.party_id) {
            (
                DemandFilter {
                    enterprise_id: Some(party),
                    ..
                },
                _,
            ) => demand.enterprise_id == *party,
            (
                DemandFilter {
                    visible_to_lender: Some(party),
                    ..
                },
                _,
            ) => self.db.demand_visible_to_lender(id, *party).await?,
            (
                DemandFilter {
                    park_id: Some(park),
                    ..
                },
                _,
            ) => demand.enterprise_park_id == Some(*park),
            (
                DemandFilter {
                    region_prefix: Some(prefix),
                    ..
                },
                _,
            ) => demand
                .enterprise_region
                .as_deref()
                .is_some_and(|region| region.starts_with(prefix.as_str())),
            _ => true,
        };
        if !visible {
            return Err(demand_not_found(id));
        }
        Ok(demand)
    }

    /// An enterprise's user publishes a demand offering its own rights.
    pub async fn publish_demand(
        &self,
        principal: &Principal,
        draft: &DemandDraft,
    ) -> Result<DemandView, AppError> {
        let (Role::Enterprise, Some(party)) = (principal.role, principal.party_id) else {
            return Err(AppError::forbidden("enterprises publish financing demands"));
        };
        let mut terms = draft.validate().map_err(AppError::validation)?;
        let mut errors = FieldErrors::default();
        let mut numbers = Vec::with_capacity(terms.rights.len());
        for (index, raw) in draft.rights.iter().enumerate() {
            let number = normalise_right_number(raw);
            let held = self
                .db
                .get_right(&number)
                .await?
                .is_some_and(|right| right.is_held_by(party));
            if held {
                numbers.push(number);
            } else {
                errors.push(FieldError::new(
                    format!("rights[{index}]"),
                    "not_yours",
                    format!("{number} is not a right of yours in the register"),
                ));
            }
        }
        errors.into_result().map_err(AppError::validation)?;
        numbers.sort();
        numbers.dedup();
        terms.rights = numbers;
        let id = self
            .db
            .insert_demand(
                party,
                &terms,
                self.clock.today(),
                &principal.username,
                self.clock.now(),
            )
            .await?;
        self.after_demand_published(id).await;
        self.demand_view(principal, id).await
    }

    /// Moves a demand along the pipeline (see the module's rules).
    pub async fn move_demand(
        &self,
        principal: &Principal,
        id: i64,
        input: &StageInput,
    ) -> Result<DemandView, AppError> {
        let demand = self.visible_demand(principal, id).await?;
        let party = principal.party_id.unwrap_or_default();
        let as_enterprise = principal.role == Role::Enterprise;
        let as_lender = principal.role == Role::Lender;
        if !(as_enterprise || as_lender) {
            return Err(AppError::forbidden(
                "the enterprise or the lender in talks moves a demand",
            ));
        }
        if as_lender && demand.lender_id.is_some_and(|lender| lender != party) {
            return Err(AppError::forbidden(
                "another lender is in talks on this demand",
            ));
        }
        if !demand.stage.may_become(input.stage) {
            return Err(conflict(
                "demand.stage",
                format!(
                    "a demand that is {} cannot become {}",
                    demand.stage.as_str(),
                    input.stage.as_str()
                ),
            ));
        }
        let note = input
            .note
            .as_deref()
            .map(str::trim)
            .filter(|note| !note.is_empty());
        if note.is_some_and(|note| note.chars().count() > 500) {
            return Err(invalid(
                "note",
                "too_long",
                "a note has at most 500 characters",
            ));
        }
        let registration_no = match input.stage {
            Stage::Registered => {
                let number = input
                    .registration_no
                    .as_deref()
                    .map(|number| number.trim().to_uppercase())
                    .filter(|number| !number.is_empty())
                    .ok_or_else(|| {
                        invalid("registration_no", "required", "name the pledge registered")
                    })?;
                let pledge = self
                    .db
                    .pledges_by_registration(std::slice::from_ref(&number))
                    .await?
                    .into_iter()
                    .next()
                    .filter(|pledge| {
                        pledge.pledgor_id == demand.enterprise_id
                            && pledge.status == PledgeStatus::Active
                            && (!as_lender || pledge.pledgee_id == party)
                    })
                    .ok_or_else(|| {
                        invalid(
                            "registration_no",
                            "not_found",
                            format!("no pledge {number} in force between the parties"),
                        )
                    })?;
                Some(pledge.registration_no)
            }
            _ => None,
        };
        let loan_id = match input.stage {
            Stage::Disbursed => {
                let loan_id = input
                    .loan_id
                    .ok_or_else(|| invalid("loan_id", "required", "name the loan disbursed"))?;
                let loan = self.db.get_loan(loan_id).await?.filter(|loan| {
                    loan.borrower_id == demand.enterprise_id
                        && (!as_lender || loan.lender_id == party)
                });
                Some(
                    loan.ok_or_else(|| {
                        invalid(
                            "loan_id",
                            "not_found",
                            format!("no loan {loan_id} to this enterprise"),
                        )
                    })?
                    .id,
                )
            }
            _ => None,
        };
        let write = StageWrite {
            demand_id: id,
            version: demand.version,
            from: demand.stage,
            to: input.stage,
            on_date: self.clock.today(),
            lender_id: as_lender.then_some(party),
            registration_no: registration_no.as_deref(),
            loan_id,
            note,
            actor: &principal.username,
        };
        self.db
            .move_demand(&write, self.clock.now())
            .await
            .map_err(|error| match error {
                ipyun_db::DbError::Stale(message) => conflict("demand.changed", message),
                other => other.into(),
            })?;
        self.demand_view(principal, id).await
    }

    /// One demand with its stages.
    pub async fn demand_view(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<DemandView, AppError> {
        let demand = self.visible_demand(principal, id).await?;
        let stages = self
            .db
            .demand_stages(id)
            .await?
            .into_iter()
            .map(|stage| DemandStageView {
                stage: stage.stage,
                on_date: stage.on_date,
                note: stage.note,
                actor: stage.actor,
            })
            .collect();
        Ok(view(demand, stages))
    }

    /// The demands the principal may see, newest first.
    pub async fn list_demands(
        &self,
        principal: &Principal,
        query: &DemandQuery,
    ) -> Result<Vec<DemandView>, AppError> {
        let mut filter = self.demand_scope(principal)?;
        filter.stage = query.stage;
        Ok(self
            .db
            .list_demands(&filter)
            .await?
            .into_iter()
            .map(|demand| view(demand, Vec::new()))
            .collect())
    }

    /// Conversion and time to money over the demands the principal may see.
    pub async fn pipeline_report(&self, principal: &Principal) -> Result<PipelineReport, AppError> {
        let demands = self.db.list_demands(&self.demand_scope(principal)?).await?;
        let by_stage = Stage::ALL
            .iter()
            .map(|stage| StageCount {
                stage: *stage,
                demands: demands
                    .iter()
                    .filter(|demand| demand.stage == *stage)
                    .count() as u64,
            })
            .collect();
        let mut days: Vec<i64> = demands
            .iter()
            .filter_map(|demand| {
                demand
                    .funded_on
                    .map(|funded| (funded - demand.published_on).num_days())
            })
            .collect();
        days.sort_unstable();
        let total = demands.len() as u64;
        let funded = days.len() as u64;
        Ok(PipelineReport {
            demands: total,
            by_stage,
            funded,
            conversion_bp: (total > 0).then(|| (funded * 10_000 + total / 2) / total),
            median_days_to_money: (!days.is_empty()).then(|| days[days.len() / 2]),
        })
    }
}

fn view(demand: DemandRecord, stages: Vec<DemandStageView>) -> DemandView {
    DemandView {
        days_to_money: demand
            .funded_on
            .map(|funded| (funded - demand.published_on).num_days()),
        id: demand.id,
        enterprise_id: demand.enterprise_id,
        enterprise_name: demand.enterprise_name,
        stage: demand.stage,
        terms: demand.terms,
        lender_id: demand.lender_id,
        registration_no: demand.registration_no,
        loan_id: demand.loan_id,
        published_on: demand.published_on,
        funded_on: demand.funded_on,
        stages,
    }
}
