//! Parties: enterprises, lenders, parks, offices and the rest.

use crate::rights::{corrupt, escape_like};
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, Utc};
use ipyun_domain::page::{Page, PageRequest};
use ipyun_domain::party::{NewParty, OfficeLevel, ParkKind, Party, PartyKind, SizeClass};

#[derive(Debug, Clone, Default)]
pub struct PartyFilter {
    pub kind: Option<PartyKind>,
    /// Words of the name, or a USCC prefix.
    pub text: Option<String>,
    /// A region code prefix: `32` for a province, `3205` for a prefecture.
    pub region_prefix: Option<String>,
    pub park_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct PartyRow {
    pub(crate) id: i64,
    pub(crate) kind: String,
    pub(crate) name: String,
    pub(crate) uscc: Option<String>,
    pub(crate) region: Option<String>,
    pub(crate) industry: Option<String>,
    pub(crate) size_class: Option<String>,
    pub(crate) park_id: Option<i64>,
    pub(crate) parent_id: Option<i64>,
    pub(crate) specialised_sme_year: Option<i32>,
    pub(crate) little_giant_year: Option<i32>,
    pub(crate) park_kind: Option<String>,
    pub(crate) office_level: Option<String>,
    pub(crate) credit_rating: Option<String>,
    pub(crate) contact_name: Option<String>,
    pub(crate) contact_phone: Option<String>,
    pub(crate) address: Option<String>,
    pub(crate) updated_at: DateTime<Utc>,
}

pub(crate) const PARTY_COLUMNS: &str = "id, kind, name, uscc, region, industry, size_class, park_id, parent_id, \
     specialised_sme_year, little_giant_year, park_kind, office_level, credit_rating, contact_name, \
     contact_phone, address, updated_at";

fn parse_optional<T>(
    value: Option<String>,
    column: &str,
    parse: impl Fn(&str) -> Result<T, ipyun_domain::id::IdError>,
) -> Result<Option<T>, DbError> {
    value
        .map(|text| parse(&text).map_err(|error| corrupt(column, error)))
        .transpose()
}

impl PartyRow {
    pub(crate) fn into_party(self) -> Result<Party, DbError> {
        Ok(Party {
            id: self.id,
            kind: PartyKind::parse(&self.kind).map_err(|error| corrupt("parties.kind", error))?,
            name: self.name,
            uscc: self.uscc,
            region: self.region,
            industry: self.industry,
            size_class: parse_optional(self.size_class, "parties.size_class", SizeClass::parse)?,
            park_id: self.park_id,
            parent_id: self.parent_id,
            specialised_sme_year: self.specialised_sme_year,
            little_giant_year: self.little_giant_year,
            park_kind: parse_optional(self.park_kind, "parties.park_kind", ParkKind::parse)?,
            office_level: parse_optional(
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

/// What `upsert_party` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartyUpsert {
    Inserted(i64),
    Updated(i64),
    Unchanged(i64),
}

/// Binds a party's fields in the order both writes list them: name … address (15 values).
macro_rules! bind_party_fields {
    ($query:expr, $party:expr) => {
        $query
            .bind(&$party.name)
            .bind($party.uscc.as_ref().map(|uscc| uscc.as_str()))
            .bind($party.region.as_ref().map(|region| region.as_str()))
            .bind($party.industry.as_ref().map(|industry| industry.as_str()))
            .bind($party.size_class.map(SizeClass::as_str))
            .bind($party.park_id)
            .bind($party.parent_id)
            .bind($party.specialised_sme_year)
            .bind($party.little_giant_year)
            .bind($party.park_kind.map(ParkKind::as_str))
            .bind($party.office_level.map(OfficeLevel::as_str))
            .bind(&$party.credit_rating)
            .bind(&$party.contact_name)
            .bind(&$party.contact_phone)
            .bind(&$party.address)
    };
}

impl Db {
    pub async fn get_party(&self, id: i64) -> Result<Option<Party>, DbError> {
        if let Some(fast_reads) = &self.fast_reads {
            return fast_reads
                .party_row(id)?
                .map(PartyRow::into_party)
                .transpose();
        }
        let sql = format!("SELECT {PARTY_COLUMNS} FROM parties WHERE id = $1");
        let row: Option<PartyRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await)?;
        row.map(PartyRow::into_party).transpose()
    }

    /// Finds a party by its natural key: the USCC when it has one, else its kind and name.
    pub async fn find_party(
        &self,
        uscc: Option<&str>,
        kind: PartyKind,
        name: &str,
    ) -> Result<Option<Party>, DbError> {
        let sql = format!(
            "SELECT {PARTY_COLUMNS} FROM parties WHERE ($1 IS NOT NULL AND uscc = $1) OR ($1 IS NULL AND kind = $2 AND name = $3)"
        );
        let row: Option<PartyRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(uscc).bind(kind.as_str()).bind(name)
            .fetch_optional(pool).await)?;
        row.map(PartyRow::into_party).transpose()
    }

    pub async fn list_parties(
        &self,
        filter: &PartyFilter,
        page: PageRequest,
    ) -> Result<Page<Party>, DbError> {
        let name_like = filter
            .text
            .as_ref()
            .map(|text| format!("%{}%", escape_like(text.trim())));
        let uscc_prefix = filter
            .text
            .as_ref()
            .map(|text| format!("{}%", escape_like(&text.trim().to_uppercase())));
        let region_prefix = filter
            .region_prefix
            .as_ref()
            .map(|prefix| format!("{}%", escape_like(prefix)));
        let kind = filter.kind.map(PartyKind::as_str);
        const WHERE: &str = " WHERE ($1 IS NULL OR kind = $1) \
            AND ($2 IS NULL OR name LIKE $2 ESCAPE '\\' OR uscc LIKE $3 ESCAPE '\\') \
            AND ($4 IS NULL OR region LIKE $4 ESCAPE '\\') AND ($5 IS NULL OR park_id = $5)";
        let count_sql = format!("SELECT COUNT(*) FROM parties{WHERE}");
        let list_sql = format!(
            "SELECT {PARTY_COLUMNS} FROM parties{WHERE} ORDER BY kind, name LIMIT $6 OFFSET $7"
        );
        let (total, rows): (i64, Vec<PartyRow>) = on_pool!(self, pool => {
            let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql))
                .bind(kind).bind(&name_like).bind(&uscc_prefix).bind(&region_prefix).bind(filter.park_id)
                .fetch_one(pool).await?;
            let rows: Vec<PartyRow> = sqlx::query_as(sqlx::AssertSqlSafe(list_sql))
                .bind(kind).bind(&name_like).bind(&uscc_prefix).bind(&region_prefix).bind(filter.park_id)
                .bind(page.limit()).bind(page.offset())
                .fetch_all(pool).await?;
            Ok::<_, DbError>((total, rows))
        })?;
        Ok(Page {
            items: rows
                .into_iter()
                .map(PartyRow::into_party)
                .collect::<Result<Vec<_>, _>>()?,
            page: page.page,
            per_page: page.per_page,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    /// Inserts a party; a USCC or (kind, name) already present fails with [`DbError::Constraint`].
    pub async fn insert_party(
        &self,
        party: &NewParty,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let after = party_audit_state(party);
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let id: i64 = bind_party_fields!(sqlx::query_scalar(
                "INSERT INTO parties (name, uscc, region, industry, size_class, park_id, parent_id, \
                 specialised_sme_year, little_giant_year, park_kind, office_level, credit_rating, contact_name, \
                 contact_phone, address, kind, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) RETURNING id",
            ), party)
            .bind(party.kind.as_str())
            .bind(now)
            .fetch_one(&mut *transaction)
            .await?;
            // Rights recorded before the party was: link their holders by USCC.
            if let Some(uscc) = &party.uscc {
                sqlx::query("UPDATE right_holders SET party_id = $1 WHERE uscc = $2 AND party_id IS NULL")
                    .bind(id)
                    .bind(uscc.as_str())
                    .execute(&mut *transaction)
                    .await?;
            }
            crate::audit::append_in!(&mut *transaction, actor, "party.create", "party", &id.to_string(), None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(id)
        })
    }

    /// Replaces a party's fields (its kind stays).
    pub async fn update_party(
        &self,
        id: i64,
        party: &NewParty,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let before = self.get_party(id).await?.ok_or(DbError::NotFound)?;
        let before_state = serde_json::to_string(&before).unwrap_or_default();
        let after = party_audit_state(party);
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            bind_party_fields!(sqlx::query(
                "UPDATE parties SET name = $1, uscc = $2, region = $3, industry = $4, size_class = $5, park_id = $6, \
                 parent_id = $7, specialised_sme_year = $8, little_giant_year = $9, park_kind = $10, office_level = $11, \
                 credit_rating = $12, contact_name = $13, contact_phone = $14, address = $15, updated_at = $16 WHERE id = $17",
            ), party)
            .bind(now)
            .bind(id)
            .execute(&mut *transaction)
            .await?;
            crate::audit::append_in!(&mut *transaction, actor, "party.update", "party", &id.to_string(), Some(&before_state), Some(&after), now)?;
            transaction.commit().await?;
            Ok(())
        })
    }

    /// Inserts, updates or leaves a party alone, keyed by USCC or (kind, name): for imports.
    pub async fn upsert_party(
        &self,
        party: &NewParty,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<PartyUpsert, DbError> {
        let existing = self
            .find_party(
                party.uscc.as_ref().map(|uscc| uscc.as_str()),
                party.kind,
                &party.name,
            )
            .await?;
        match existing {
            None => self
                .insert_party(party, actor, now)
                .await
                .map(PartyUpsert::Inserted),
            Some(current) if same_content(&current, party) => {
                Ok(PartyUpsert::Unchanged(current.id))
            }
            Some(current) => {
                self.update_party(current.id, party, actor, now).await?;
                Ok(PartyUpsert::Updated(current.id))
            }
        }
    }

    pub async fn count_parties(&self, kind: Option<PartyKind>) -> Result<i64, DbError> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM parties WHERE ($1 IS NULL OR kind = $1)")
            .bind(kind.map(PartyKind::as_str)).fetch_one(pool).await)?,
        )
    }
}

fn same_content(current: &Party, party: &NewParty) -> bool {
    current.kind == party.kind
        && current.name == party.name
        && current.uscc.as_deref() == party.uscc.as_ref().map(|uscc| uscc.as_str())
        && current.region.as_deref() == party.region.as_ref().map(|region| region.as_str())
        && current.industry.as_deref() == party.industry.as_ref().map(|industry| industry.as_str())
        && current.size_class == party.size_class
        && current.park_id == party.park_id
        && current.parent_id == party.parent_id
        && current.specialised_sme_year == party.specialised_sme_year
        && current.little_giant_year == party.little_giant_year
        && current.park_kind == party.park_kind
        && current.office_level == party.office_level
        && current.credit_rating == party.credit_rating
        && current.contact_name == party.contact_name
        && current.contact_phone == party.contact_phone
        && current.address == party.address
}

fn party_audit_state(party: &NewParty) -> String {
    serde_json::json!({
        "kind": party.kind.as_str(),
        "name": party.name,
        "uscc": party.uscc.as_ref().map(|uscc| uscc.as_str()),
        "region": party.region.as_ref().map(|region| region.as_str()),
        "industry": party.industry.as_ref().map(|industry| industry.as_str()),
        "size_class": party.size_class.map(SizeClass::as_str),
        "park_id": party.park_id,
        "parent_id": party.parent_id,
        "specialised_sme_year": party.specialised_sme_year,
        "little_giant_year": party.little_giant_year,
        "park_kind": party.park_kind.map(ParkKind::as_str),
        "office_level": party.office_level.map(OfficeLevel::as_str),
        "credit_rating": party.credit_rating,
    })
    .to_string()
}
