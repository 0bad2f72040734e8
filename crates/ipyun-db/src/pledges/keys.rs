//! The keys notices are signed with, and finding an application by its notice number.

use crate::{Db, DbError, on_pool};
use chrono::{DateTime, Utc};

impl Db {
    /// The oldest notice key `(public, secret)` as text, if any.
    pub async fn notice_key(&self) -> Result<Option<(String, String)>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT public_key, secret_key FROM notice_keys ORDER BY id LIMIT 1",
        )
        .fetch_optional(pool)
        .await)?)
    }

    /// Stores a new notice key. Several processes may race to make the first one: the oldest wins.
    pub async fn insert_notice_key(
        &self,
        public_key: &str,
        secret_key: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            sqlx::query("INSERT INTO notice_keys (public_key, secret_key, created_at) VALUES ($1, $2, $3)")
                .bind(public_key)
                .bind(secret_key)
                .bind(now)
                .execute(&mut *transaction)
                .await?;
            crate::audit::append_in!(&mut *transaction, actor, "notice_key.create", "notice_key", public_key,
                None::<&str>, None::<&str>, now)?;
            transaction.commit().await?;
            Ok(())
        })
    }

    /// The application a registration number was given to.
    pub async fn application_of_registration(
        &self,
        registration_no: &str,
    ) -> Result<Option<i64>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT application_id FROM pledges WHERE registration_no = $1",
        )
        .bind(registration_no)
        .fetch_optional(pool)
        .await)?)
    }
}
