//! Users, sessions and API tokens. Secrets are stored only as hashes (tokens) or argon2 digests
//! (passwords); this crate never sees a plain secret.

use crate::rights::corrupt;
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, Utc};
use ipyun_domain::account::{Lang, Principal, Role};

#[derive(sqlx::FromRow)]
struct PrincipalRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    party_id: Option<i64>,
    region: Option<String>,
    lang: String,
}

impl PrincipalRow {
    fn into_principal(self) -> Result<Principal, DbError> {
        Ok(Principal {
            user_id: self.id,
            username: self.username,
            display_name: self.display_name,
            role: Role::parse(&self.role).map_err(|error| corrupt("users.role", error))?,
            party_id: self.party_id,
            region: self.region,
            lang: Lang::parse(&self.lang).unwrap_or(Lang::ZhCn),
        })
    }
}

const PRINCIPAL_SELECT: &str = "SELECT u.id, u.username, u.display_name, u.role, u.party_id, p.region, u.lang \
     FROM users u LEFT JOIN parties p ON p.id = u.party_id";

#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub party_id: Option<i64>,
}

/// What sign-in needs to check a password.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoginRecord {
    pub id: i64,
    pub password_hash: String,
    pub disabled: bool,
}

impl Db {
    pub async fn insert_user(
        &self,
        user: &NewUser<'_>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let after = serde_json::json!({
            "username": user.username, "display_name": user.display_name,
            "role": user.role.as_str(), "party_id": user.party_id,
        })
        .to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (username, display_name, password_hash, role, party_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(user.username)
            .bind(user.display_name)
            .bind(user.password_hash)
            .bind(user.role.as_str())
            .bind(user.party_id)
            .bind(now)
            .fetch_one(&mut *transaction)
            .await?;
            crate::audit::append_in!(&mut *transaction, actor, "user.create", "user", user.username, None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(id)
        })
    }

    pub async fn login_record(&self, username: &str) -> Result<Option<LoginRecord>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, password_hash, disabled FROM users WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(pool)
        .await)?)
    }

    pub async fn principal_of_user(&self, user_id: i64) -> Result<Option<Principal>, DbError> {
        let sql = format!("{PRINCIPAL_SELECT} WHERE u.id = $1 AND NOT u.disabled");
        let row: Option<PrincipalRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_optional(pool).await)?;
        row.map(PrincipalRow::into_principal).transpose()
    }

    pub async fn principal_by_username(
        &self,
        username: &str,
    ) -> Result<Option<Principal>, DbError> {
        let sql = format!("{PRINCIPAL_SELECT} WHERE u.username = $1");
        let row: Option<PrincipalRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(username).fetch_optional(pool).await)?;
        row.map(PrincipalRow::into_principal).transpose()
    }

    pub async fn set_user_lang(&self, user_id: i64, lang: Lang) -> Result<(), DbError> {
        on_pool!(self, pool => sqlx::query("UPDATE users SET lang = $1 WHERE id = $2")
            .bind(lang.as_str()).bind(user_id).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    pub async fn insert_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), DbError> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash).bind(user_id).bind(csrf_token).bind(now).bind(expires_at)
        .execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// The principal of a live session and the session's CSRF token.
    pub async fn session_principal(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(Principal, String)>, DbError> {
        let sql = "SELECT u.id, u.username, u.display_name, u.role, u.party_id, p.region, u.lang, s.csrf_token \
             FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN parties p ON p.id = u.party_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT u.disabled";
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            principal: PrincipalRow,
            csrf_token: String,
        }
        let row: Option<Row> = on_pool!(self, pool => sqlx::query_as(sql).bind(token_hash).bind(now).fetch_optional(pool).await)?;
        row.map(|row| Ok((row.principal.into_principal()?, row.csrf_token)))
            .transpose()
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), DbError> {
        on_pool!(self, pool => sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    pub async fn insert_api_token(
        &self,
        token_hash: &str,
        user_id: i64,
        name: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(token_hash).bind(user_id).bind(name).bind(now)
            .fetch_one(&mut *transaction).await?;
            let after = serde_json::json!({ "user_id": user_id, "name": name }).to_string();
            crate::audit::append_in!(&mut *transaction, actor, "token.create", "api_token", &id.to_string(), None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(id)
        })
    }

    pub async fn token_principal(&self, token_hash: &str) -> Result<Option<Principal>, DbError> {
        let sql = "SELECT u.id, u.username, u.display_name, u.role, u.party_id, p.region, u.lang \
             FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN parties p ON p.id = u.party_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND NOT u.disabled";
        let row: Option<PrincipalRow> = on_pool!(self, pool => sqlx::query_as(sql).bind(token_hash).fetch_optional(pool).await)?;
        row.map(PrincipalRow::into_principal).transpose()
    }

    pub async fn revoke_api_token(
        &self,
        token_id: i64,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let result = on_pool!(self, pool => sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
        )
        .bind(now).bind(token_id).bind(user_id).execute(pool).await.map(|done| done.rows_affected()))?;
        Ok(result > 0)
    }

    pub async fn count_users(&self) -> Result<i64, DbError> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await)?,
        )
    }
}
