//! Notices (P4): the registration or refusal notice of a decided application, signed with the
//! platform's Ed25519 key, as JSON or PDF; and public verification by number and code.

use super::apply::internal;
use super::{may_see, not_found};
use crate::{App, AppError, ErrorKind};
use chrono::{Datelike, SecondsFormat};
use ipyun_db::pledges::PledgeApplicationRecord;
use ipyun_domain::account::Principal;
use ipyun_domain::clock::china_date;
use ipyun_domain::pledge::{
    Act, ApplicationStatus, Finding, PledgeApplication, PledgeChange, Severity,
};
use ipyun_notice::{
    NoticeDocument, NoticeGround, NoticeKind, NoticeRight, NoticeSigningKey, SignedNotice, sign,
};

/// The office name printed on notices.
pub const ISSUING_OFFICE: &str = "知识产权质押登记（ipyun 绿色通道）";

/// The refusal notice number of application `id` decided in `year`.
pub fn refusal_notice_no(year: i32, id: i64) -> String {
    format!("R{year}{id:09}")
}

fn no_notice() -> AppError {
    AppError::new(
        ErrorKind::Conflict,
        "pledge.no_notice_yet",
        "a notice is issued once the application is registered or refused",
    )
}

impl App {
    /// The platform's notice-signing key, made on first use.
    pub async fn notice_signing_key(&self) -> Result<NoticeSigningKey, AppError> {
        if let Some((_, secret)) = self.db.notice_key().await? {
            return NoticeSigningKey::from_text(&secret).map_err(internal);
        }
        let key = NoticeSigningKey::try_generate().map_err(internal)?;
        self.db
            .insert_notice_key(
                &key.public_key().to_text(),
                &key.to_text(),
                "system",
                self.clock.now(),
            )
            .await?;
        let (_, secret) = self
            .db
            .notice_key()
            .await?
            .ok_or_else(|| internal("notice key vanished"))?;
        NoticeSigningKey::from_text(&secret).map_err(internal)
    }

    /// The public key that verifies notices, as published text.
    pub async fn notice_public_key(&self) -> Result<String, AppError> {
        Ok(self.notice_signing_key().await?.public_key().to_text())
    }

    /// The notice of application `id`, for its parties, examiners and offices.
    pub async fn pledge_notice(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<SignedNotice, AppError> {
        let record = self
            .db
            .get_pledge_application(id)
            .await?
            .ok_or_else(|| not_found(id))?;
        if !may_see(principal, &record) {
            return Err(not_found(id));
        }
        self.signed_notice(&record).await
    }

    /// Anyone verifies a notice by its number and verification code (no sign-in).
    pub async fn verify_notice(
        &self,
        notice_no: &str,
        code: &str,
    ) -> Result<SignedNotice, AppError> {
        let unknown =
            || AppError::not_found("notice.not_found", "no notice with this number and code");
        let notice_no = notice_no.trim().to_ascii_uppercase();
        let id = match notice_no.chars().next() {
            Some('Y') => self.db.application_of_registration(&notice_no).await?,
            Some('R' | 'A' | 'C') if notice_no.len() == 14 => {
                notice_no.get(5..).and_then(|digits| digits.parse().ok())
            }
            _ => None,
        }
        .ok_or_else(unknown)?;
        let record = self
            .db
            .get_pledge_application(id)
            .await?
            .ok_or_else(unknown)?;
        let code_matches = record
            .verification_code
            .as_deref()
            .is_some_and(|stored| stored.eq_ignore_ascii_case(code.trim()));
        if !code_matches {
            return Err(unknown());
        }
        let signed = self.signed_notice(&record).await?;
        if signed.document.notice_no != notice_no {
            return Err(unknown());
        }
        Ok(signed)
    }

    async fn signed_notice(
        &self,
        record: &PledgeApplicationRecord,
    ) -> Result<SignedNotice, AppError> {
        let kind = match (record.act, record.status) {
            (Act::Registration, ApplicationStatus::Registered) => NoticeKind::Registration,
            (Act::Amendment, ApplicationStatus::Registered) => NoticeKind::Amendment,
            (Act::Cancellation, ApplicationStatus::Registered) => NoticeKind::Cancellation,
            (_, ApplicationStatus::Refused) => NoticeKind::Refusal,
            _ => return Err(no_notice()),
        };
        let decided_at = record.decided_at.ok_or_else(no_notice)?;
        let issued_on = china_date(decided_at);
        let findings: Vec<Finding> = serde_json::from_str(&record.findings).map_err(internal)?;
        let pledgor = self
            .db
            .get_party(record.pledgor_id)
            .await?
            .ok_or_else(|| internal("pledgor vanished"))?;
        let pledgee = self
            .db
            .get_party(record.pledgee_id)
            .await?
            .ok_or_else(|| internal("pledgee vanished"))?;
        let grounds = findings
            .iter()
            .filter(|finding| matches!(finding.severity, Severity::Refuse | Severity::NeedsConsent))
            .map(|finding| NoticeGround {
                code: finding.code.clone(),
                ground: finding.ground.clone(),
                message_zh: finding.message_zh.clone(),
                message_en: finding.message_en.clone(),
            })
            .collect();
        let mut details: Vec<(String, String)> = findings
            .iter()
            .filter(|finding| finding.severity == Severity::Consented)
            .map(|finding| {
                (
                    "当事人声明继续办理 / Parties' declaration to go on".to_string(),
                    finding.message_zh.clone(),
                )
            })
            .collect();
        let (registration_no, rights, amount, start, end) = if record.act == Act::Registration {
            let application: PledgeApplication =
                serde_json::from_str(&record.body).map_err(internal)?;
            let mut rights = Vec::with_capacity(application.rights.len());
            for right in &application.rights {
                let title = match &right.title {
                    Some(title) => title.clone(),
                    None => self
                        .db
                        .get_right(&right.number)
                        .await?
                        .map(|found| found.title)
                        .unwrap_or_default(),
                };
                rights.push(NoticeRight {
                    number: right.number.clone(),
                    kind: right.kind.as_str().into(),
                    title,
                });
            }
            let contract = &application.pledge_contract;
            let loan = &application.loan_contract;
            (
                record.registration_no.clone(),
                rights,
                contract.secured_amount_fen,
                loan.performance_start,
                loan.performance_end,
            )
        } else {
            let change: PledgeChange = serde_json::from_str(&record.body).map_err(internal)?;
            let registration_no = match &change {
                PledgeChange::Amendment {
                    registration_no,
                    amendment,
                } => {
                    details.extend(amendment.lines());
                    registration_no.clone()
                }
                PledgeChange::Cancellation {
                    registration_no,
                    cancellation,
                } => {
                    details.push((
                        "注销原因 / Reason".into(),
                        cancellation.reason.label_zh().into(),
                    ));
                    if let Some(note) = &cancellation.note {
                        details.push(("说明 / Note".into(), note.clone()));
                    }
                    registration_no.clone()
                }
            };
            let pledge = self
                .db
                .get_pledge(&registration_no)
                .await?
                .ok_or_else(|| internal("pledge vanished"))?;
            let mut rights = Vec::with_capacity(pledge.rights.len());
            for right in &pledge.rights {
                let title = self
                    .db
                    .get_right(&right.number)
                    .await?
                    .map(|found| found.title)
                    .unwrap_or_default();
                rights.push(NoticeRight {
                    number: right.number.clone(),
                    kind: right.kind.as_str().into(),
                    title,
                });
            }
            (
                Some(registration_no),
                rights,
                pledge.secured_amount_fen,
                None,
                pledge.performance_end,
            )
        };
        let notice_no = match (kind, &record.registration_no) {
            (NoticeKind::Refusal, _) | (_, None) => refusal_notice_no(issued_on.year(), record.id),
            (_, Some(number)) => number.clone(),
        };
        let document = NoticeDocument {
            kind,
            notice_no,
            registration_no,
            application_id: record.id,
            issued_on,
            issued_at: decided_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            verification_code: record.verification_code.clone().unwrap_or_default(),
            pledgors: vec![pledgor.name],
            pledgee: pledgee.name,
            rights,
            secured_amount_fen: amount.unwrap_or(0),
            performance_start: start,
            performance_end: end,
            grounds,
            details,
            office: ISSUING_OFFICE.into(),
        };
        Ok(sign(&self.notice_signing_key().await?, document))
    }
}
