//! Sign-in, sessions, API tokens and user accounts (features A1, A2).

use crate::{App, AppError, ErrorKind};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use ipyun_db::accounts::NewUser;
use ipyun_domain::account::{Lang, Principal, Role};
use ipyun_domain::{FieldError, FieldErrors};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Prefix of API tokens, so a leaked one is recognisable.
pub const API_TOKEN_PREFIX: &str = "ipy_";
const TOKEN_CACHE_LIMIT: usize = 10_000;

#[derive(Debug)]
pub struct AuthSettings {
    argon2_memory_kib: u32,
    argon2_iterations: u32,
    pub session_ttl: chrono::Duration,
    /// How long a verified API token is trusted without asking the database again.
    token_cache_ttl: Duration,
    token_cache: Mutex<HashMap<String, (Principal, Instant)>>,
}

impl AuthSettings {
    /// OWASP's argon2id baseline (19 MiB, 2 iterations).
    pub fn production() -> Self {
        Self::with_cost(19 * 1024, 2)
    }

    /// Cheap hashing for tests and demo users (never for real accounts).
    pub fn cheap_for_tests() -> Self {
        Self::with_cost(64, 1)
    }

    fn with_cost(argon2_memory_kib: u32, argon2_iterations: u32) -> Self {
        Self {
            argon2_memory_kib,
            argon2_iterations,
            session_ttl: chrono::Duration::hours(12),
            token_cache_ttl: Duration::from_secs(10),
            token_cache: Mutex::new(HashMap::new()),
        }
    }

    fn hasher(&self) -> Result<Argon2<'static>, AppError> {
        let params = Params::new(self.argon2_memory_kib, self.argon2_iterations, 1, None).map_err(
            |error| {
                AppError::new(
                    ErrorKind::Internal,
                    "internal",
                    format!("argon2 parameters: {error}"),
                )
            },
        )?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

/// A new random secret (URL-safe, 256 bits).
fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Secrets are stored only as their SHA-256.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A started session: the cookie value and the CSRF token forms must echo.
#[derive(Debug, Clone)]
pub struct SessionStart {
    pub session_token: String,
    pub csrf_token: String,
    pub principal: Principal,
}

/// The operator acting through the command line (it has the database already).
pub fn system_principal() -> Principal {
    Principal {
        user_id: 0,
        username: "system".into(),
        display_name: "system".into(),
        role: Role::PlatformAdmin,
        party_id: None,
        region: None,
        lang: Lang::ZhCn,
    }
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserDraft {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: String,
    pub party_id: Option<i64>,
}

impl App {
    pub fn hash_password(&self, password: &str) -> Result<String, AppError> {
        let mut salt_bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut salt_bytes);
        let salt = SaltString::encode_b64(&salt_bytes).map_err(|error| {
            AppError::new(
                ErrorKind::Internal,
                "internal",
                format!("password salt: {error}"),
            )
        })?;
        self.auth
            .hasher()?
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|error| {
                AppError::new(
                    ErrorKind::Internal,
                    "internal",
                    format!("password hashing: {error}"),
                )
            })
    }

    pub async fn sign_in(&self, username: &str, password: &str) -> Result<SessionStart, AppError> {
        let failed = || {
            AppError::new(
                ErrorKind::Unauthenticated,
                "auth.bad_credentials",
                "wrong user name or password",
            )
        };
        let record = self.db.login_record(username.trim()).await?;
        let Some(record) = record.filter(|record| !record.disabled) else {
            return Err(failed());
        };
        let hasher = self.auth.hasher()?;
        let password = password.to_string();
        let verified = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&record.password_hash)
                .map(|parsed| hasher.verify_password(password.as_bytes(), &parsed).is_ok())
                .unwrap_or(false)
        })
        .await
        .unwrap_or(false);
        if !verified {
            return Err(failed());
        }
        let principal = self
            .db
            .principal_of_user(record.id)
            .await?
            .ok_or_else(failed)?;
        let session_token = random_secret();
        let csrf_token = random_secret();
        let now = self.clock.now();
        self.db
            .insert_session(
                &secret_hash(&session_token),
                record.id,
                &csrf_token,
                now,
                now + self.auth.session_ttl,
            )
            .await?;
        Ok(SessionStart {
            session_token,
            csrf_token,
            principal,
        })
    }

    /// The principal behind a session cookie, with the session's CSRF token.
    pub async fn session_principal(
        &self,
        session_token: &str,
    ) -> Result<Option<(Principal, String)>, AppError> {
        Ok(self
            .db
            .session_principal(&secret_hash(session_token), self.clock.now())
            .await?)
    }

    pub async fn sign_out(&self, session_token: &str) -> Result<(), AppError> {
        Ok(self.db.delete_session(&secret_hash(session_token)).await?)
    }

    /// The principal behind an API token; verified tokens are remembered for a few seconds.
    pub async fn bearer_principal(&self, token: &str) -> Result<Option<Principal>, AppError> {
        let hash = secret_hash(token);
        if let Ok(cache) = self.auth.token_cache.lock()
            && let Some((principal, verified_at)) = cache.get(&hash)
            && verified_at.elapsed() < self.auth.token_cache_ttl
        {
            return Ok(Some(principal.clone()));
        }
        let principal = self.db.token_principal(&hash).await?;
        if let (Some(principal), Ok(mut cache)) = (&principal, self.auth.token_cache.lock()) {
            if cache.len() >= TOKEN_CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(hash, (principal.clone(), Instant::now()));
        }
        Ok(principal)
    }

    pub async fn create_user(&self, actor: &Principal, draft: &UserDraft) -> Result<i64, AppError> {
        if !actor.may_manage_accounts() {
            return Err(AppError::forbidden(
                "only a platform administrator manages accounts",
            ));
        }
        let mut errors = FieldErrors::default();
        let username = draft.username.trim();
        let username_ok = (3..=64).contains(&username.len())
            && username
                .chars()
                .all(|character| character.is_ascii_alphanumeric() || "._-".contains(character));
        if !username_ok {
            errors.push(FieldError::new(
                "username",
                "format",
                "3–64 characters: letters, digits, '.', '_' or '-'",
            ));
        }
        if draft.display_name.trim().is_empty() || draft.display_name.chars().count() > 100 {
            errors.push(FieldError::new(
                "display_name",
                "length",
                "1–100 characters",
            ));
        }
        if draft.password.chars().count() < 10 || draft.password.len() > 256 {
            errors.push(FieldError::new(
                "password",
                "length",
                "at least 10 characters (at most 256 bytes)",
            ));
        }
        let role = errors.parse("role", Role::parse(&draft.role));
        if let Some(role) = role {
            match (role.needs_organisation(), draft.party_id) {
                (true, None) => errors.push(FieldError::new(
                    "party_id",
                    "required",
                    "this role acts for an organisation",
                )),
                (false, Some(_)) => errors.push(FieldError::new(
                    "party_id",
                    "not_applicable",
                    "a platform administrator has no organisation",
                )),
                (true, Some(party_id)) => match self.db.get_party(party_id).await? {
                    None => errors.push(FieldError::new("party_id", "unknown", "no such party")),
                    Some(party) if !role.organisation_kinds().contains(&party.kind) => {
                        errors.push(FieldError::new(
                            "party_id",
                            "kind_mismatch",
                            format!(
                                "a {} user cannot act for a {}",
                                role.as_str(),
                                party.kind.as_str()
                            ),
                        ))
                    }
                    Some(_) => {}
                },
                (false, None) => {}
            }
        }
        let (Some(role), true) = (role, errors.is_empty()) else {
            return Err(AppError::validation(errors));
        };
        let password_hash = self.hash_password(&draft.password)?;
        let user = NewUser {
            username,
            display_name: draft.display_name.trim(),
            password_hash: &password_hash,
            role,
            party_id: draft.party_id,
        };
        self.db
            .insert_user(&user, &actor.username, self.clock.now())
            .await
            .map_err(|error| match error {
                ipyun_db::DbError::Constraint(_) => AppError::new(
                    ErrorKind::Conflict,
                    "user.username_taken",
                    format!("user name {username} is taken"),
                ),
                other => other.into(),
            })
    }

    /// Issues an API token for `username`: administrators for anyone, others for themselves.
    /// The secret is returned once and never stored.
    pub async fn create_api_token(
        &self,
        actor: &Principal,
        username: &str,
        name: &str,
    ) -> Result<String, AppError> {
        if !actor.may_manage_accounts() && actor.username != username {
            return Err(AppError::forbidden(
                "you may create tokens only for yourself",
            ));
        }
        if name.trim().is_empty() || name.chars().count() > 100 {
            return Err(AppError::validation(FieldErrors(vec![FieldError::new(
                "name",
                "length",
                "1–100 characters",
            )])));
        }
        let owner = self
            .db
            .principal_by_username(username)
            .await?
            .ok_or_else(|| AppError::not_found("user.not_found", format!("no user {username}")))?;
        let token = format!("{API_TOKEN_PREFIX}{}", random_secret());
        self.db
            .insert_api_token(
                &secret_hash(&token),
                owner.user_id,
                name.trim(),
                &actor.username,
                self.clock.now(),
            )
            .await?;
        Ok(token)
    }

    pub fn session_ttl_seconds(&self) -> i64 {
        self.auth.session_ttl.num_seconds()
    }

    pub async fn set_lang(&self, principal: &Principal, lang: Lang) -> Result<(), AppError> {
        self.db.set_user_lang(principal.user_id, lang).await?;
        self.forget_cached_principal(principal.user_id);
        Ok(())
    }

    /// Drops a user's cached token verifications, so a change to the account shows at once here.
    fn forget_cached_principal(&self, user_id: i64) {
        if let Ok(mut cache) = self.auth.token_cache.lock() {
            cache.retain(|_, (principal, _)| principal.user_id != user_id);
        }
    }
}
