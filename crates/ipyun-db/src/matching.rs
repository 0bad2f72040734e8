//! What matchmaking (issue 6, F3) reads, in few queries and never one per record: the facts of
//! a demand's enterprise and of the rights it offers (kinds, latest valuation), every active
//! product, every open demand with those facts in bulk, and the prospects — enterprises without
//! an open demand that hold live rights of the kinds a product accepts, inside its area.
//! [`load`] writes a synthetic market in bulk for `ipyun bench market`.

mod load;

pub use load::{BenchDemand, BenchEnterprise, BenchProduct};

use crate::rights::corrupt;
use crate::{Db, DbError, on_pool};
use ipyun_domain::market::{Applicant, DemandTerms, ProductTerms, Stage, region_prefix};
use ipyun_domain::right::{LegalStatus, RightKind};
use std::collections::HashMap;

/// The stages of an open demand: before `registered`, not dropped.
pub const OPEN_STAGES_SQL: &str = "('published', 'matched', 'in_talks', 'approved')";

/// An active product as matching reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarketProduct {
    pub id: i64,
    pub publisher_id: i64,
    pub publisher_name: String,
    pub terms: ProductTerms,
}

/// An open demand with its enterprise's facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenDemand {
    pub id: i64,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub stage: Stage,
    pub terms: DemandTerms,
    pub applicant: Applicant,
}

/// An enterprise without an open demand holding live rights a product accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prospect {
    pub enterprise_id: i64,
    pub enterprise_name: String,
    /// Its live, unpledged rights of the accepted kinds.
    pub rights: u32,
    pub applicant: Applicant,
}

/// An enterprise's own facts: region, park, designation years.
type PartyFacts = (Option<String>, Option<i64>, Option<i32>, Option<i32>);

/// A right held by a party: holder, number, kind, legal status, latest valuation.
type HeldRight = (i64, String, String, String, Option<i64>);

/// A right's kind, legal status and latest valuation.
type RightFacts = (String, String, Option<i64>);

/// The latest valuation of right `r`, in fen.
const LATEST_VALUE: &str = "(SELECT v.value_fen FROM valuations v WHERE v.right_number = r.number ORDER BY v.id DESC LIMIT 1)";

fn numbered(from: usize, count: usize) -> String {
    (from..from + count)
        .map(|index| format!("${index}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The facts of the rights in `numbers` a holder holds: kinds of those in force and their
/// latest valuations summed (`None` when none of them was valued).
fn offered_facts<'a>(
    numbers: &[String],
    held: impl Fn(&str) -> Option<&'a RightFacts>,
) -> Result<(Vec<RightKind>, Option<i64>), DbError> {
    let (mut kinds, mut value) = (Vec::new(), None::<i64>);
    for number in numbers {
        let Some((kind, status, valued)) = held(number) else {
            continue;
        };
        let status =
            LegalStatus::parse(status).map_err(|error| corrupt("rights.legal_status", error))?;
        if status != LegalStatus::InForce {
            continue;
        }
        let kind = RightKind::parse(kind).map_err(|error| corrupt("rights.kind", error))?;
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
        if let Some(valued) = valued {
            value = Some(value.unwrap_or(0).saturating_add(*valued));
        }
    }
    Ok((kinds, value))
}

fn applicant(facts: PartyFacts, right_kinds: Vec<RightKind>, value: Option<i64>) -> Applicant {
    let (region, park_id, sme, giant) = facts;
    Applicant {
        region,
        park_id,
        designations: Applicant::designations_from_years(sme, giant),
        right_kinds,
        collateral_value_fen: value,
    }
}

#[derive(sqlx::FromRow)]
struct OpenDemandRow {
    id: i64,
    enterprise_id: i64,
    enterprise_name: String,
    region: Option<String>,
    park_id: Option<i64>,
    specialised_sme_year: Option<i32>,
    little_giant_year: Option<i32>,
    stage: String,
    terms: String,
}

#[derive(sqlx::FromRow)]
struct ProspectRow {
    id: i64,
    name: String,
    region: Option<String>,
    park_id: Option<i64>,
    specialised_sme_year: Option<i32>,
    little_giant_year: Option<i32>,
    kind: String,
}

impl Db {
    /// What matching knows of an enterprise offering `rights` (numbers): its region, park and
    /// designations; the kinds of the offered rights it holds that are in force, and their
    /// latest valuations summed. Two queries. `None` when the party is unknown.
    pub async fn applicant_facts(
        &self,
        enterprise_id: i64,
        rights: &[String],
    ) -> Result<Option<Applicant>, DbError> {
        let facts: Option<PartyFacts> = on_pool!(self, pool => sqlx::query_as(
            "SELECT region, park_id, specialised_sme_year, little_giant_year FROM parties WHERE id = $1",
        )
        .bind(enterprise_id)
        .fetch_optional(pool)
        .await)?;
        let Some(facts) = facts else {
            return Ok(None);
        };
        let mut held: HashMap<String, RightFacts> = HashMap::new();
        if !rights.is_empty() {
            let sql = format!(
                "SELECT r.number, r.kind, r.legal_status, {LATEST_VALUE} FROM rights r WHERE r.number IN ({}) \
                 AND EXISTS (SELECT 1 FROM right_holders h WHERE h.right_id = r.id AND h.party_id = $1)",
                numbered(2, rights.len())
            );
            let rows: Vec<(String, String, String, Option<i64>)> = on_pool!(self, pool => {
                let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(enterprise_id);
                for number in rights {
                    query = query.bind(number);
                }
                query.fetch_all(pool).await
            })?;
            held.extend(
                rows.into_iter()
                    .map(|(number, kind, status, value)| (number, (kind, status, value))),
            );
        }
        let (kinds, value) = offered_facts(rights, |number| held.get(number))?;
        Ok(Some(applicant(facts, kinds, value)))
    }

    /// Every active product (valid or not today: the rules say), oldest first.
    pub async fn market_products(&self) -> Result<Vec<MarketProduct>, DbError> {
        let rows: Vec<(i64, i64, String, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT p.id, p.publisher_id, pp.name, p.terms FROM products p JOIN parties pp ON pp.id = p.publisher_id \
             WHERE p.status = 'active' ORDER BY p.id",
        )
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|(id, publisher_id, publisher_name, terms)| {
                Ok(MarketProduct {
                    id,
                    publisher_id,
                    publisher_name,
                    terms: serde_json::from_str(&terms)
                        .map_err(|error| corrupt("products.terms", error))?,
                })
            })
            .collect()
    }

    /// Every open demand (before `registered`, not dropped), oldest first, with its
    /// enterprise's facts — those `visible_to_lender` may see only (shared with nobody in
    /// particular, or with it), when given. Two queries whatever the number of demands.
    pub async fn open_demands(
        &self,
        visible_to_lender: Option<i64>,
    ) -> Result<Vec<OpenDemand>, DbError> {
        let sql = format!(
            "SELECT d.id, d.enterprise_id, e.name AS enterprise_name, e.region, e.park_id, e.specialised_sme_year, \
             e.little_giant_year, d.stage, d.terms FROM demands d JOIN parties e ON e.id = d.enterprise_id \
             WHERE d.stage IN {OPEN_STAGES_SQL} AND ($1 IS NULL OR NOT EXISTS (SELECT 1 FROM demand_shares s WHERE s.demand_id = d.id) \
               OR EXISTS (SELECT 1 FROM demand_shares s WHERE s.demand_id = d.id AND s.lender_id = $1)) \
             ORDER BY d.id"
        );
        let rows: Vec<OpenDemandRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(visible_to_lender)
            .fetch_all(pool)
            .await)?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        // The rights of every enterprise with an open demand, at once.
        let sql = format!(
            "SELECT h.party_id, r.number, r.kind, r.legal_status, {LATEST_VALUE} FROM right_holders h \
             JOIN rights r ON r.id = h.right_id WHERE h.party_id IN \
             (SELECT d.enterprise_id FROM demands d WHERE d.stage IN {OPEN_STAGES_SQL})"
        );
        let held: Vec<HeldRight> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(pool)
            .await)?;
        let mut by_holder: HashMap<i64, HashMap<String, RightFacts>> =
            HashMap::with_capacity(rows.len());
        for (party, number, kind, status, value) in held {
            by_holder
                .entry(party)
                .or_default()
                .insert(number, (kind, status, value));
        }
        rows.into_iter()
            .map(|row| {
                let terms: DemandTerms = serde_json::from_str(&row.terms)
                    .map_err(|error| corrupt("demands.terms", error))?;
                let rights = by_holder.get(&row.enterprise_id);
                let (kinds, value) = offered_facts(&terms.rights, |number| {
                    rights.and_then(|rights| rights.get(number))
                })?;
                Ok(OpenDemand {
                    id: row.id,
                    enterprise_id: row.enterprise_id,
                    enterprise_name: row.enterprise_name,
                    stage: Stage::parse(&row.stage)
                        .map_err(|error| corrupt("demands.stage", error))?,
                    applicant: applicant(
                        (
                            row.region,
                            row.park_id,
                            row.specialised_sme_year,
                            row.little_giant_year,
                        ),
                        kinds,
                        value,
                    ),
                    terms,
                })
            })
            .collect()
    }

    /// Enterprises without an open demand holding rights in force, not under an active
    /// pledge, of the kinds `product` accepts, in its regions or parks (when it names any):
    /// each with those rights' count and kinds, by id. Their valuations are not read: an
    /// enterprise that has not asked for money has not shared them. One query.
    pub async fn prospects(&self, product: &ProductTerms) -> Result<Vec<Prospect>, DbError> {
        let kinds: Vec<&str> = product
            .right_kinds
            .iter()
            .map(|kind| kind.as_str())
            .collect();
        if kinds.is_empty() {
            return Ok(Vec::new());
        }
        let likes: Vec<String> = product
            .regions
            .iter()
            .map(|code| format!("{}%", region_prefix(code)))
            .collect();
        let mut area = Vec::new();
        let mut next = 1 + kinds.len();
        for _ in &likes {
            area.push(format!("e.region LIKE ${next}"));
            next += 1;
        }
        if !product.park_ids.is_empty() {
            area.push(format!(
                "e.park_id IN ({})",
                numbered(next, product.park_ids.len())
            ));
        }
        let area = if area.is_empty() {
            String::new()
        } else {
            format!(" AND ({})", area.join(" OR "))
        };
        let sql = format!(
            "SELECT e.id, e.name, e.region, e.park_id, e.specialised_sme_year, e.little_giant_year, r.kind \
             FROM parties e JOIN right_holders h ON h.party_id = e.id JOIN rights r ON r.id = h.right_id \
             WHERE e.kind = 'enterprise' AND r.legal_status = 'in_force' AND r.kind IN ({}){area} \
             AND NOT EXISTS (SELECT 1 FROM pledge_rights pr WHERE pr.right_number = r.number AND pr.active) \
             AND NOT EXISTS (SELECT 1 FROM demands d WHERE d.enterprise_id = e.id AND d.stage IN {OPEN_STAGES_SQL}) \
             ORDER BY e.id",
            numbered(1, kinds.len())
        );
        let rows: Vec<ProspectRow> = on_pool!(self, pool => {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for kind in &kinds {
                query = query.bind(*kind);
            }
            for like in &likes {
                query = query.bind(like);
            }
            for park in &product.park_ids {
                query = query.bind(*park);
            }
            query.fetch_all(pool).await
        })?;
        let mut prospects: Vec<Prospect> = Vec::new();
        for row in rows {
            let kind =
                RightKind::parse(&row.kind).map_err(|error| corrupt("rights.kind", error))?;
            match prospects.last_mut() {
                Some(last) if last.enterprise_id == row.id => {
                    last.rights += 1;
                    if !last.applicant.right_kinds.contains(&kind) {
                        last.applicant.right_kinds.push(kind);
                    }
                }
                _ => prospects.push(Prospect {
                    enterprise_id: row.id,
                    enterprise_name: row.name,
                    rights: 1,
                    applicant: applicant(
                        (
                            row.region,
                            row.park_id,
                            row.specialised_sme_year,
                            row.little_giant_year,
                        ),
                        vec![kind],
                        None,
                    ),
                }),
            }
        }
        Ok(prospects)
    }
}
