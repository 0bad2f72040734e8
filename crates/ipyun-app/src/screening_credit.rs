//! Credit data for screening (issue 6, F4): enterprises' credit grades and integrity flags,
//! recorded by platform administrators and the national office for any enterprise, by a
//! provincial office for its province's. Recording the same grade or flag again changes nothing.

use crate::{App, AppError};
use chrono::NaiveDate;
use ipyun_db::screening_credit::{NewCreditGrade, NewIntegrityFlag, Recorded};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::field::{FieldError, FieldErrors};
use ipyun_domain::market::{CreditGrade, GradeSource, IntegrityFlagKind};
use ipyun_domain::party::PartyKind;
use serde::{Deserialize, Serialize};

/// The longest flag source or note, in characters.
const MAX_SOURCE_CHARS: usize = 40;
const MAX_NOTE_CHARS: usize = 500;

/// A credit grade to record.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditGradeInput {
    pub enterprise_id: i64,
    /// `tax` (纳税信用) or `xinyidai` (a credit-loan platform).
    pub source: String,
    /// A, B, M, C or D.
    pub grade: String,
    /// The date the grade was given (or assessed for).
    pub as_of: NaiveDate,
}

/// An integrity flag to record.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntegrityFlagInput {
    pub enterprise_id: i64,
    /// dishonest_judgement_debtor, serious_violation, abnormal_operation, fictitious_contract,
    /// data_anomaly.
    pub kind: String,
    /// Who reported it, e.g. `court`, `market_regulator`, `credit_china`.
    pub source: String,
    pub since: NaiveDate,
    /// None: in force until lifted.
    pub until: Option<NaiveDate>,
    pub note: Option<String>,
}

/// What recording did: `created`, `updated` or `unchanged`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RecordedView {
    pub id: i64,
    pub outcome: &'static str,
}

fn recorded_view(recorded: Recorded) -> RecordedView {
    RecordedView {
        id: recorded.id(),
        outcome: match recorded {
            Recorded::Created(_) => "created",
            Recorded::Updated(_) => "updated",
            Recorded::Unchanged(_) => "unchanged",
        },
    }
}

impl App {
    /// Refuses unless the principal may record credit data on `enterprise_id`.
    async fn credit_recorder(
        &self,
        principal: &Principal,
        enterprise_id: i64,
        errors: &mut FieldErrors,
    ) -> Result<(), AppError> {
        let province = match principal.role {
            Role::PlatformAdmin | Role::NationalOffice => None,
            Role::ProvincialOffice => Some(
                crate::loans::province(principal)
                    .ok_or_else(|| AppError::forbidden("your office has no region"))?,
            ),
            _ => {
                return Err(AppError::forbidden(
                    "administrators and IP offices record credit grades and integrity flags",
                ));
            }
        };
        let party = self.db.get_party(enterprise_id).await?;
        match party {
            Some(party) if party.kind == PartyKind::Enterprise => {
                if let Some(province) = province
                    && !party
                        .region
                        .as_deref()
                        .is_some_and(|region| region.starts_with(&province))
                {
                    return Err(AppError::forbidden(
                        "a provincial office records credit data of its province's enterprises",
                    ));
                }
            }
            _ => errors.push(FieldError::new(
                "enterprise_id",
                "not_an_enterprise",
                format!("party {enterprise_id} is not a registered enterprise"),
            )),
        }
        Ok(())
    }

    /// Records an enterprise's credit grade (idempotent on enterprise, source and date).
    pub async fn record_credit_grade(
        &self,
        principal: &Principal,
        input: &CreditGradeInput,
    ) -> Result<RecordedView, AppError> {
        let mut errors = FieldErrors::default();
        self.credit_recorder(principal, input.enterprise_id, &mut errors)
            .await?;
        let source = errors.parse("source", GradeSource::parse(&input.source));
        let grade = errors.parse("grade", CreditGrade::parse(&input.grade));
        if input.as_of > self.clock.today() {
            errors.push(FieldError::new(
                "as_of",
                "in_future",
                "a grade is dated today or earlier",
            ));
        }
        errors.clone().into_result().map_err(AppError::validation)?;
        let (Some(source), Some(grade)) = (source, grade) else {
            return Err(AppError::validation(errors));
        };
        let recorded = self
            .db
            .record_credit_grade(
                &NewCreditGrade {
                    enterprise_id: input.enterprise_id,
                    source: source.as_str(),
                    grade,
                    as_of: input.as_of,
                },
                &principal.username,
                self.clock.now(),
            )
            .await?;
        Ok(recorded_view(recorded))
    }

    /// Records an integrity flag (idempotent on enterprise, kind, source and start; a changed
    /// end or note updates it).
    pub async fn record_integrity_flag(
        &self,
        principal: &Principal,
        input: &IntegrityFlagInput,
    ) -> Result<RecordedView, AppError> {
        let mut errors = FieldErrors::default();
        self.credit_recorder(principal, input.enterprise_id, &mut errors)
            .await?;
        let kind = errors.parse("kind", IntegrityFlagKind::parse(&input.kind));
        let source = input.source.trim();
        if source.is_empty()
            || source.chars().count() > MAX_SOURCE_CHARS
            || !source
                .chars()
                .all(|character| character.is_ascii_lowercase() || character == '_')
        {
            errors.push(FieldError::new(
                "source",
                "invalid",
                format!("a source is 1 to {MAX_SOURCE_CHARS} lowercase letters or underscores"),
            ));
        }
        if input.until.is_some_and(|until| until < input.since) {
            errors.push(FieldError::new(
                "until",
                "before_since",
                "a flag ends on or after it starts",
            ));
        }
        let note = input
            .note
            .as_deref()
            .map(str::trim)
            .filter(|note| !note.is_empty());
        if note.is_some_and(|note| note.chars().count() > MAX_NOTE_CHARS) {
            errors.push(FieldError::new(
                "note",
                "too_long",
                format!("at most {MAX_NOTE_CHARS} characters"),
            ));
        }
        errors.clone().into_result().map_err(AppError::validation)?;
        let Some(kind) = kind else {
            return Err(AppError::validation(errors));
        };
        let recorded = self
            .db
            .record_integrity_flag(
                &NewIntegrityFlag {
                    enterprise_id: input.enterprise_id,
                    kind,
                    source,
                    since: input.since,
                    until: input.until,
                    note,
                },
                &principal.username,
                self.clock.now(),
            )
            .await?;
        Ok(recorded_view(recorded))
    }
}
