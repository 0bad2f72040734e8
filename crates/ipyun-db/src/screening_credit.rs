//! Credit data screening reads beside the register and the loans (issue 6, F4): enterprises'
//! credit grades (the tax authority's, credit-loan platforms') and integrity flags. Recording is
//! idempotent on each one's key — the same grade or flag again changes nothing and writes no
//! audit entry; a changed one is updated and audited with before and after.

use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::market::{CreditGrade, IntegrityFlagKind};

/// A credit grade to record; unique per enterprise, source and date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCreditGrade<'a> {
    pub enterprise_id: i64,
    /// `tax`, `xinyidai`, …
    pub source: &'a str,
    pub grade: CreditGrade,
    pub as_of: NaiveDate,
}

/// An integrity flag to record; unique per enterprise, kind, source and start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIntegrityFlag<'a> {
    pub enterprise_id: i64,
    pub kind: IntegrityFlagKind,
    pub source: &'a str,
    pub since: NaiveDate,
    /// None: in force until lifted.
    pub until: Option<NaiveDate>,
    pub note: Option<&'a str>,
}

/// What recording did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    Created(i64),
    Updated(i64),
    Unchanged(i64),
}

impl Recorded {
    pub fn id(self) -> i64 {
        match self {
            Recorded::Created(id) | Recorded::Updated(id) | Recorded::Unchanged(id) => id,
        }
    }
}

impl Db {
    /// Records a grade: inserted, updated when the grade differs, or left as it is.
    pub async fn record_credit_grade(
        &self,
        grade: &NewCreditGrade<'_>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Recorded, DbError> {
        let after =
            serde_json::json!({"enterprise_id": grade.enterprise_id, "source": grade.source,
            "grade": grade.grade.as_str(), "as_of": grade.as_of})
            .to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let existing: Option<(i64, String)> = sqlx::query_as(
                "SELECT id, grade FROM credit_grades WHERE enterprise_id = $1 AND source = $2 AND as_of = $3",
            )
            .bind(grade.enterprise_id)
            .bind(grade.source)
            .bind(grade.as_of)
            .fetch_optional(&mut *transaction)
            .await?;
            let (recorded, before) = match existing {
                Some((id, stored)) if stored == grade.grade.as_str() => {
                    transaction.rollback().await?;
                    return Ok(Recorded::Unchanged(id));
                }
                Some((id, stored)) => {
                    sqlx::query("UPDATE credit_grades SET grade = $2, recorded_by = $3, recorded_at = $4 WHERE id = $1")
                        .bind(id)
                        .bind(grade.grade.as_str())
                        .bind(actor)
                        .bind(now)
                        .execute(&mut *transaction)
                        .await?;
                    (Recorded::Updated(id), Some(serde_json::json!({"grade": stored}).to_string()))
                }
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO credit_grades (enterprise_id, source, grade, as_of, recorded_by, recorded_at) \
                         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    )
                    .bind(grade.enterprise_id)
                    .bind(grade.source)
                    .bind(grade.grade.as_str())
                    .bind(grade.as_of)
                    .bind(actor)
                    .bind(now)
                    .fetch_one(&mut *transaction)
                    .await?;
                    (Recorded::Created(id), None)
                }
            };
            crate::audit::append_in!(&mut *transaction, actor, "credit_grade.record", "credit_grade",
                &recorded.id().to_string(), before.as_deref(), Some(&after), now)?;
            transaction.commit().await?;
            Ok(recorded)
        })
    }

    /// Records a flag: inserted, updated when its end or note differs, or left as it is.
    pub async fn record_integrity_flag(
        &self,
        flag: &NewIntegrityFlag<'_>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Recorded, DbError> {
        let after =
            serde_json::json!({"enterprise_id": flag.enterprise_id, "kind": flag.kind.as_str(),
            "source": flag.source, "since": flag.since, "until": flag.until, "note": flag.note})
            .to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let existing: Option<(i64, Option<NaiveDate>, Option<String>)> = sqlx::query_as(
                "SELECT id, until, note FROM integrity_flags WHERE enterprise_id = $1 AND kind = $2 AND source = $3 \
                 AND since = $4",
            )
            .bind(flag.enterprise_id)
            .bind(flag.kind.as_str())
            .bind(flag.source)
            .bind(flag.since)
            .fetch_optional(&mut *transaction)
            .await?;
            let (recorded, before) = match existing {
                Some((id, until, note)) if until == flag.until && note.as_deref() == flag.note => {
                    transaction.rollback().await?;
                    return Ok(Recorded::Unchanged(id));
                }
                Some((id, until, note)) => {
                    sqlx::query("UPDATE integrity_flags SET until = $2, note = $3, recorded_by = $4, recorded_at = $5 WHERE id = $1")
                        .bind(id)
                        .bind(flag.until)
                        .bind(flag.note)
                        .bind(actor)
                        .bind(now)
                        .execute(&mut *transaction)
                        .await?;
                    (Recorded::Updated(id), Some(serde_json::json!({"until": until, "note": note}).to_string()))
                }
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO integrity_flags (enterprise_id, kind, source, since, until, note, recorded_by, recorded_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    )
                    .bind(flag.enterprise_id)
                    .bind(flag.kind.as_str())
                    .bind(flag.source)
                    .bind(flag.since)
                    .bind(flag.until)
                    .bind(flag.note)
                    .bind(actor)
                    .bind(now)
                    .fetch_one(&mut *transaction)
                    .await?;
                    (Recorded::Created(id), None)
                }
            };
            crate::audit::append_in!(&mut *transaction, actor, "integrity_flag.record", "integrity_flag",
                &recorded.id().to_string(), before.as_deref(), Some(&after), now)?;
            transaction.commit().await?;
            Ok(recorded)
        })
    }
}
