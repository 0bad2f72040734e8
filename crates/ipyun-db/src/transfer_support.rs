//! Reads for exports (feature R4): rights and parties in id order, by keyset pagination, so an
//! export of a million rows costs one indexed range scan per batch instead of an OFFSET scan.

use crate::rights::{RIGHT_FILTER_WHERE, RightFilter, RightFilterBinds, corrupt};
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::id::{IdError, Uscc};
use ipyun_domain::party::{OfficeLevel, ParkKind, Party, PartyKind, SizeClass};
use ipyun_domain::right::{Holder, LegalStatus, Right, RightKind};
use std::collections::HashMap;

#[derive(sqlx::FromRow)]
struct ExportRightRow {
    id: i64,
    kind: String,
    number: String,
    title: String,
    filing_date: NaiveDate,
    grant_date: Option<NaiveDate>,
    legal_status: String,
    annual_fee_paid_until: Option<NaiveDate>,
    nice_class: Option<i32>,
    ipc_main: Option<String>,
    renewals: i32,
    expiry_date: Option<NaiveDate>,
    updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct ExportHolderRow {
    right_id: i64,
    name: String,
    uscc: Option<String>,
    party_id: Option<i64>,
    share_bp: i32,
}

#[derive(sqlx::FromRow)]
struct ExportPartyRow {
    id: i64,
    kind: String,
    name: String,
    uscc: Option<String>,
    region: Option<String>,
    industry: Option<String>,
    size_class: Option<String>,
    park_id: Option<i64>,
    parent_id: Option<i64>,
    specialised_sme_year: Option<i32>,
    little_giant_year: Option<i32>,
    park_kind: Option<String>,
    office_level: Option<String>,
    credit_rating: Option<String>,
    contact_name: Option<String>,
    contact_phone: Option<String>,
    address: Option<String>,
    updated_at: DateTime<Utc>,
}

fn parse_column<T>(
    value: Option<String>,
    column: &str,
    parse: impl Fn(&str) -> Result<T, IdError>,
) -> Result<Option<T>, DbError> {
    value
        .map(|text| parse(&text).map_err(|error| corrupt(column, error)))
        .transpose()
}

impl ExportPartyRow {
    fn into_party(self) -> Result<Party, DbError> {
        Ok(Party {
            id: self.id,
            kind: PartyKind::parse(&self.kind).map_err(|error| corrupt("parties.kind", error))?,
            name: self.name,
            uscc: self.uscc,
            region: self.region,
            industry: self.industry,
            size_class: parse_column(self.size_class, "parties.size_class", SizeClass::parse)?,
            park_id: self.park_id,
            parent_id: self.parent_id,
            specialised_sme_year: self.specialised_sme_year,
            little_giant_year: self.little_giant_year,
            park_kind: parse_column(self.park_kind, "parties.park_kind", ParkKind::parse)?,
            office_level: parse_column(
                self.office_level,
                "parties.office_level",
                OfficeLevel::parse,
            )?,
            credit_rating: self.credit_rating,
            contact_name: self.contact_name,
            contact_phone: self.contact_phone,
            address: self.address,
            updated_at: self.updated_at,
        })
    }
}

impl Db {
    /// Up to `limit` rights matching `filter` whose id is above `after_id`, in id order, with their
    /// holders: for exports (pass the last id of one batch to get the next).
    pub async fn rights_after(
        &self,
        filter: &RightFilter,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<Right>, DbError> {
        let RightFilterBinds {
            kind,
            status,
            text_like,
            number_prefix,
        } = filter.binds();
        let sql = format!(
            "SELECT id, kind, number, title, filing_date, grant_date, legal_status, annual_fee_paid_until, \
             nice_class, ipc_main, renewals, expiry_date, updated_at FROM rights r{RIGHT_FILTER_WHERE} \
             AND r.id > $7 ORDER BY r.id LIMIT $8"
        );
        let rows: Vec<ExportRightRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(kind).bind(status).bind(&text_like).bind(&number_prefix)
            .bind(filter.holder_party_id).bind(filter.park_id).bind(after_id).bind(limit)
            .fetch_all(pool).await)?;
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
            return Ok(Vec::new());
        };
        let holder_rows: Vec<ExportHolderRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT right_id, name, uscc, party_id, share_bp FROM right_holders \
             WHERE right_id >= $1 AND right_id <= $2 ORDER BY right_id, position",
        )
        .bind(first.id).bind(last.id)
        .fetch_all(pool).await)?;
        let mut holders: HashMap<i64, Vec<Holder>> = HashMap::with_capacity(rows.len());
        for row in holder_rows {
            let uscc = parse_column(row.uscc, "right_holders.uscc", Uscc::parse)?;
            holders.entry(row.right_id).or_default().push(Holder {
                name: row.name,
                uscc,
                party_id: row.party_id,
                share_bp: u32::try_from(row.share_bp).unwrap_or(0),
            });
        }
        rows.into_iter()
            .map(|row| {
                Ok(Right {
                    id: row.id,
                    kind: RightKind::parse(&row.kind)
                        .map_err(|error| corrupt("rights.kind", error))?,
                    number: row.number,
                    title: row.title,
                    filing_date: row.filing_date,
                    grant_date: row.grant_date,
                    legal_status: LegalStatus::parse(&row.legal_status)
                        .map_err(|error| corrupt("rights.legal_status", error))?,
                    annual_fee_paid_until: row.annual_fee_paid_until,
                    nice_class: row.nice_class.and_then(|class| u8::try_from(class).ok()),
                    ipc_main: row.ipc_main,
                    renewals: u8::try_from(row.renewals).unwrap_or(u8::MAX),
                    expiry_date: row.expiry_date,
                    holders: holders.remove(&row.id).unwrap_or_default(),
                    updated_at: row.updated_at,
                })
            })
            .collect()
    }

    /// Up to `limit` parties whose id is above `after_id`, in id order: for exports.
    pub async fn parties_after(&self, after_id: i64, limit: i64) -> Result<Vec<Party>, DbError> {
        let rows: Vec<ExportPartyRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, kind, name, uscc, region, industry, size_class, park_id, parent_id, specialised_sme_year, \
             little_giant_year, park_kind, office_level, credit_rating, contact_name, contact_phone, address, updated_at \
             FROM parties WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after_id).bind(limit)
        .fetch_all(pool).await)?;
        rows.into_iter().map(ExportPartyRow::into_party).collect()
    }
}
