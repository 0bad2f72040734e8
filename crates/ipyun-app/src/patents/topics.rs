//! Topic collections (S3): a saved query with a name and an owner — for example epidemic-drug
//! patents, `ipc:A61K 冠状病毒` — kept up to date on each import; its followers get an in-app
//! notice of new filings. Any signed-in user creates, follows and reads topics; the owner and
//! administrators delete them.

use crate::{App, AppError, ErrorKind, Principal};
use ipyun_domain::account::Role;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Longest topic name, in characters.
pub const MAX_TOPIC_NAME: usize = 100;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewTopic {
    pub name: String,
    /// A query in the search language.
    pub query: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Topic {
    pub id: i64,
    pub name: String,
    pub query: String,
    pub owner: String,
    /// Patents matching at the last check.
    pub matched: i64,
    pub followers: i64,
    /// Whether the viewer follows it.
    pub following: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct UserNotice {
    pub id: i64,
    pub kind: String,
    pub subject_id: Option<i64>,
    /// The notice's particulars (for `topic.new_filings`: `topic_id`, `name`, `query`,
    /// `new_filings`, `total`).
    pub body: serde_json::Value,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub read: bool,
}

impl Topic {
    fn new(row: ipyun_db::topics::TopicRow, followed: &[i64]) -> Topic {
        Topic {
            following: followed.contains(&row.id),
            id: row.id,
            name: row.name,
            query: row.query,
            owner: row.owner,
            matched: row.matched,
            followers: row.followers,
        }
    }
}

fn bad(code: &'static str, message: impl Into<String>) -> AppError {
    AppError::new(ErrorKind::BadRequest, code, message)
}

impl App {
    /// Saves a topic; its owner follows it. The query must parse.
    pub async fn create_topic(
        &self,
        principal: &Principal,
        topic: &NewTopic,
    ) -> Result<Topic, AppError> {
        if principal.user_id <= 0 {
            return Err(AppError::forbidden(
                "a topic belongs to a user: sign in to save one",
            ));
        }
        let name = topic.name.trim();
        if name.is_empty() || name.chars().count() > MAX_TOPIC_NAME {
            return Err(bad(
                "topic.bad_name",
                format!("a topic's name has 1 to {MAX_TOPIC_NAME} characters"),
            ));
        }
        // Counting the matches parses the query: a bad one is refused with where and why.
        let query = super::checked_query(&topic.query)?;
        let service = Arc::clone(self.search_service()?);
        let counted = query.clone();
        let matched = tokio::task::spawn_blocking(move || service.index.count(&counted))
            .await
            .map_err(|error| crate::transfer::internal("search task", error))?
            .map_err(super::search_error)?;
        let checked = self.db.last_patent_change().await?;
        let id = self
            .db
            .create_topic(
                name,
                &query,
                principal.user_id,
                i64::try_from(matched).unwrap_or(i64::MAX),
                checked,
                &principal.username,
                self.clock.now(),
            )
            .await?;
        self.get_topic(principal, id).await
    }

    pub async fn get_topic(&self, principal: &Principal, id: i64) -> Result<Topic, AppError> {
        let row = self
            .db
            .get_topic(id)
            .await?
            .ok_or_else(|| AppError::not_found("topic.not_found", format!("no topic {id}")))?;
        let followed = self.db.followed_topics(principal.user_id).await?;
        Ok(Topic::new(row, &followed))
    }

    pub async fn list_topics(&self, principal: &Principal) -> Result<Vec<Topic>, AppError> {
        let followed = self.db.followed_topics(principal.user_id).await?;
        Ok(self
            .db
            .list_topics()
            .await?
            .into_iter()
            .map(|row| Topic::new(row, &followed))
            .collect())
    }

    /// The owner or an administrator deletes a topic.
    pub async fn delete_topic(&self, principal: &Principal, id: i64) -> Result<(), AppError> {
        let row = self
            .db
            .get_topic(id)
            .await?
            .ok_or_else(|| AppError::not_found("topic.not_found", format!("no topic {id}")))?;
        if row.owner_user_id != principal.user_id && principal.role != Role::PlatformAdmin {
            return Err(AppError::forbidden(
                "only the topic's owner or an administrator deletes it",
            ));
        }
        self.db
            .delete_topic(id, &principal.username, self.clock.now())
            .await?;
        Ok(())
    }

    /// Follows or stops following a topic.
    pub async fn follow_topic(
        &self,
        principal: &Principal,
        id: i64,
        follow: bool,
    ) -> Result<Topic, AppError> {
        self.get_topic(principal, id).await?;
        self.db
            .set_following(id, principal.user_id, follow, self.clock.now())
            .await?;
        self.get_topic(principal, id).await
    }

    /// Counts each topic's matches again and notifies the followers of topics that grew.
    /// Returns the notices written. Called after the index catches up.
    pub async fn check_topics(&self) -> Result<u64, AppError> {
        let Some(service) = self.search.as_ref().map(Arc::clone) else {
            return Ok(0);
        };
        let checked = self.db.last_patent_change().await?;
        let mut notified = 0;
        for topic in self.db.list_topics().await? {
            if topic.checked_seq >= checked {
                continue;
            }
            let counting = Arc::clone(&service);
            let query = topic.query.clone();
            let total = match tokio::task::spawn_blocking(move || counting.index.count(&query))
                .await
                .map_err(|error| crate::transfer::internal("search task", error))?
            {
                Ok(total) => i64::try_from(total).unwrap_or(i64::MAX),
                Err(error) => {
                    tracing::warn!(topic = topic.id, %error, "topic query no longer runs");
                    continue;
                }
            };
            let new_filings = (total - topic.matched).max(0);
            let body = serde_json::json!({
                "topic_id": topic.id,
                "name": topic.name,
                "query": topic.query,
                "new_filings": new_filings,
                "total": total,
            })
            .to_string();
            notified += self
                .db
                .record_topic_check(
                    topic.id,
                    total,
                    checked,
                    new_filings,
                    &body,
                    self.clock.now(),
                )
                .await?;
        }
        Ok(notified)
    }

    /// The principal's notices, newest first.
    pub async fn my_notices(
        &self,
        principal: &Principal,
        unread_only: bool,
    ) -> Result<Vec<UserNotice>, AppError> {
        Ok(self
            .db
            .user_notices(principal.user_id, unread_only, 100)
            .await?
            .into_iter()
            .map(|row| UserNotice {
                id: row.id,
                kind: row.kind,
                subject_id: row.subject_id,
                body: serde_json::from_str(&row.body).unwrap_or(serde_json::Value::Null),
                created_at: row.created_at,
                read: row.read_at.is_some(),
            })
            .collect())
    }

    pub async fn unread_notices(&self, principal: &Principal) -> Result<i64, AppError> {
        Ok(self.db.count_unread_notices(principal.user_id).await?)
    }

    pub async fn mark_notice_read(&self, principal: &Principal, id: i64) -> Result<(), AppError> {
        if self
            .db
            .mark_notice_read(principal.user_id, id, self.clock.now())
            .await?
        {
            Ok(())
        } else {
            Err(AppError::not_found(
                "notice.not_found",
                format!("no unread notice {id} of yours"),
            ))
        }
    }
}
