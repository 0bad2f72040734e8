//! Topic collections (issue 8, S3) and their followers, and in-app notices to users.

use crate::{Db, DbError, on_pool};
use chrono::{DateTime, Utc};

/// A saved query with its owner and how far it has been checked.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TopicRow {
    pub id: i64,
    pub name: String,
    pub query: String,
    pub owner_user_id: i64,
    pub owner: String,
    /// Patents matching at the last check.
    pub matched: i64,
    /// The patent change number the topic was last checked at.
    pub checked_seq: i64,
    pub followers: i64,
}

/// A notice to a user.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UserNoticeRow {
    pub id: i64,
    pub kind: String,
    pub subject_id: Option<i64>,
    /// JSON.
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

const TOPIC_SELECT: &str = "SELECT t.id, t.name, t.query, t.owner_user_id, u.username AS owner, \
     t.matched, t.checked_seq, (SELECT COUNT(*) FROM topic_followers f WHERE f.topic_id = t.id) AS followers \
     FROM topics t JOIN users u ON u.id = t.owner_user_id";

impl Db {
    /// Creates a topic checked up to `checked_seq` with `matched` patents; its owner follows it.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_topic(
        &self,
        name: &str,
        query: &str,
        owner_user_id: i64,
        matched: i64,
        checked_seq: i64,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO topics (name, query, owner_user_id, matched, checked_seq, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
            )
            .bind(name)
            .bind(query)
            .bind(owner_user_id)
            .bind(matched)
            .bind(checked_seq)
            .bind(now)
            .fetch_one(&mut *transaction)
            .await?;
            sqlx::query("INSERT INTO topic_followers (topic_id, user_id, followed_at) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(owner_user_id)
                .bind(now)
                .execute(&mut *transaction)
                .await?;
            let after = serde_json::json!({"name": name, "query": query}).to_string();
            crate::audit::append_in!(&mut *transaction, actor, "topic.create", "topic", &id.to_string(),
                None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(id)
        })
    }

    pub async fn list_topics(&self) -> Result<Vec<TopicRow>, DbError> {
        let sql = format!("{TOPIC_SELECT} ORDER BY t.name, t.id");
        Ok(on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await)?)
    }

    pub async fn get_topic(&self, id: i64) -> Result<Option<TopicRow>, DbError> {
        let sql = format!("{TOPIC_SELECT} WHERE t.id = $1");
        Ok(
            on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await)?,
        )
    }

    pub async fn delete_topic(
        &self,
        id: i64,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let deleted = sqlx::query("DELETE FROM topics WHERE id = $1")
                .bind(id)
                .execute(&mut *transaction)
                .await?
                .rows_affected();
            if deleted > 0 {
                crate::audit::append_in!(&mut *transaction, actor, "topic.delete", "topic", &id.to_string(),
                    None::<&str>, None::<&str>, now)?;
            }
            transaction.commit().await?;
            Ok(deleted > 0)
        })
    }

    /// Follows (`true`) or stops following a topic; says whether anything changed.
    pub async fn set_following(
        &self,
        topic_id: i64,
        user_id: i64,
        follow: bool,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let changed = if follow {
            on_pool!(self, pool => sqlx::query(
                "INSERT INTO topic_followers (topic_id, user_id, followed_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (topic_id, user_id) DO NOTHING",
            )
            .bind(topic_id).bind(user_id).bind(now).execute(pool).await.map(|done| done.rows_affected()))?
        } else {
            on_pool!(self, pool => sqlx::query(
                "DELETE FROM topic_followers WHERE topic_id = $1 AND user_id = $2",
            )
            .bind(topic_id).bind(user_id).execute(pool).await.map(|done| done.rows_affected()))?
        };
        Ok(changed > 0)
    }

    /// The topics `user_id` follows.
    pub async fn followed_topics(&self, user_id: i64) -> Result<Vec<i64>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT topic_id FROM topic_followers WHERE user_id = $1 ORDER BY topic_id",
        )
        .bind(user_id).fetch_all(pool).await)?)
    }

    /// Records a topic's check and notifies its followers of `new_filings` in one transaction
    /// (no notice when there are none). `body` is the notice's JSON.
    pub async fn record_topic_check(
        &self,
        topic_id: i64,
        matched: i64,
        checked_seq: i64,
        new_filings: i64,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<u64, DbError> {
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            sqlx::query("UPDATE topics SET matched = $1, checked_seq = $2, updated_at = $3 WHERE id = $4")
                .bind(matched)
                .bind(checked_seq)
                .bind(now)
                .bind(topic_id)
                .execute(&mut *transaction)
                .await?;
            let mut notified = 0;
            if new_filings > 0 {
                notified = sqlx::query(
                    "INSERT INTO user_notices (user_id, kind, subject_id, body, created_at) \
                     SELECT user_id, 'topic.new_filings', topic_id, $1, $2 FROM topic_followers WHERE topic_id = $3",
                )
                .bind(body)
                .bind(now)
                .bind(topic_id)
                .execute(&mut *transaction)
                .await?
                .rows_affected();
            }
            transaction.commit().await?;
            Ok(notified)
        })
    }

    /// A user's notices, newest first; only the unread ones when asked.
    pub async fn user_notices(
        &self,
        user_id: i64,
        unread_only: bool,
        limit: i64,
    ) -> Result<Vec<UserNoticeRow>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, kind, subject_id, body, created_at, read_at FROM user_notices \
             WHERE user_id = $1 AND (read_at IS NULL OR NOT $2) ORDER BY id DESC LIMIT $3",
        )
        .bind(user_id).bind(unread_only).bind(limit.clamp(1, 500)).fetch_all(pool).await)?)
    }

    pub async fn count_unread_notices(&self, user_id: i64) -> Result<i64, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM user_notices WHERE user_id = $1 AND read_at IS NULL",
        )
        .bind(user_id).fetch_one(pool).await)?)
    }

    /// Marks a user's notice read; false when it is not theirs or already read.
    pub async fn mark_notice_read(
        &self,
        user_id: i64,
        notice_id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let marked = on_pool!(self, pool => sqlx::query(
            "UPDATE user_notices SET read_at = $1 WHERE id = $2 AND user_id = $3 AND read_at IS NULL",
        )
        .bind(now).bind(notice_id).bind(user_id).execute(pool).await.map(|done| done.rows_affected()))?;
        Ok(marked > 0)
    }
}
