//! Matchmaking (issue 6, F3): for a demand, the products that can serve it ranked by score;
//! for a product, the open demands and the prospects (enterprises that have not asked yet)
//! ranked the same way — each with the parts of its score worded, or the rules it fails.
//!
//! Who sees what:
//! - a demand's matches: whoever may see the demand (its enterprise, the lenders it is shared
//!   with, its park, its province's office, the national office, administrators);
//! - a product's demands and prospects: its publisher's users, and the national office and
//!   administrators (read-only); a lender sees only the demands shared with every lender or
//!   with it. Anyone else is told the product does not exist.
//!
//! A prospect's collateral is not valued here: an enterprise that has not asked for money has
//! not shared its valuations, so the collateral part scores neutral and no cap is checked; its
//! amount and term are the product's mid-range.

use crate::{App, AppError, ErrorKind};
use ipyun_db::products::ProductRecord;
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::field::{FieldError, FieldErrors};
use ipyun_domain::market::{
    Explanation, Need, ProductKind, ProductStatus, Ranked, Stage, best_first, explain,
    mismatches_for, score,
};
use serde::{Deserialize, Serialize};

/// Matches listed when no limit is given, and the most a request may ask for.
const DEFAULT_LIMIT: u32 = 20;
const MAX_LIMIT: u32 = 100;

/// A demand's matches.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DemandMatchQuery {
    /// Also the products that cannot serve it, with the rules each fails.
    #[serde(default)]
    pub include_ineligible: bool,
    /// At most this many of each list (1–100, default 20).
    pub limit: Option<u32>,
}

/// A product's ranked demands or prospects.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RankQuery {
    /// At most this many (1–100, default 20).
    pub limit: Option<u32>,
}

/// A product as matched to a demand.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProductMatch {
    pub product_id: i64,
    pub product_name: String,
    pub kind: ProductKind,
    pub publisher_id: i64,
    pub publisher_name: String,
    pub explanation: Explanation,
}

/// The products ranked for a demand: eligible ones best first; the others when asked.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DemandMatches {
    pub demand_id: i64,
    /// Active products considered.
    pub evaluated: u32,
    /// Of which eligible.
    pub eligible: u32,
    pub matches: Vec<ProductMatch>,
    /// With `include_ineligible`: those that cannot serve it, fewest failed rules first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ineligible: Option<Vec<ProductMatch>>,
}

/// An open demand as matched to a product.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DemandMatch {
    pub demand_id: i64,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub stage: Stage,
    pub amount_fen: i64,
    pub months: u32,
    pub explanation: Explanation,
}

/// The open demands ranked for a product.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProductDemandMatches {
    pub product_id: i64,
    /// Open demands the viewer may see, considered.
    pub evaluated: u32,
    pub eligible: u32,
    pub matches: Vec<DemandMatch>,
}

/// An enterprise that has not asked for money, as matched to a product.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProspectMatch {
    pub enterprise_id: i64,
    pub enterprise_name: String,
    /// Its live, unpledged rights of the kinds the product accepts.
    pub rights: u32,
    pub explanation: Explanation,
}

/// The prospects ranked for a product.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProductProspects {
    pub product_id: i64,
    /// The need assumed for every prospect: the product's mid-range.
    pub amount_fen: i64,
    pub months: u32,
    pub evaluated: u32,
    pub eligible: u32,
    pub prospects: Vec<ProspectMatch>,
}

fn limit(requested: Option<u32>) -> Result<usize, AppError> {
    match requested {
        None => Ok(DEFAULT_LIMIT as usize),
        Some(limit @ 1..=MAX_LIMIT) => Ok(limit as usize),
        Some(_) => Err(AppError::validation(FieldErrors(vec![FieldError::new(
            "limit",
            "out_of_range",
            format!("a limit is 1 to {MAX_LIMIT}"),
        )]))),
    }
}

fn product_not_found(id: i64) -> AppError {
    AppError::not_found("product.not_found", format!("no product {id}"))
}

fn count(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// The best `limit` of the scored entries (by score, then id).
fn best(mut ranked: Vec<Ranked>, limit: usize) -> Vec<Ranked> {
    ranked.sort_by(best_first);
    ranked.truncate(limit);
    ranked
}

impl App {
    /// The products ranked for a demand the principal may see (see the module's rules).
    pub async fn demand_matches(
        &self,
        principal: &Principal,
        id: i64,
        query: &DemandMatchQuery,
    ) -> Result<DemandMatches, AppError> {
        let limit = limit(query.limit)?;
        let demand = self.visible_demand(principal, id).await?;
        if demand.stage >= Stage::Registered {
            return Err(AppError::new(
                ErrorKind::Conflict,
                "demand.not_open",
                format!(
                    "demand {id} is {}: only open demands are matched",
                    demand.stage.as_str()
                ),
            ));
        }
        let applicant = self
            .db
            .applicant_facts(demand.enterprise_id, &demand.terms.rights)
            .await?
            .ok_or_else(|| AppError::not_found("demand.not_found", format!("no demand {id}")))?;
        let products = self.db.market_products().await?;
        let today = self.clock.today();
        let need = Need::of(&demand.terms);
        let mut eligible = Vec::new();
        let mut failing = Vec::new();
        for (index, product) in products.iter().enumerate() {
            match score(&product.terms, need, &applicant, today) {
                Some(score_bp) => eligible.push(Ranked {
                    id: i64::try_from(index).unwrap_or(0),
                    score_bp,
                }),
                None if query.include_ineligible => {
                    let failed = mismatches_for(&product.terms, need, &applicant, today);
                    failing.push((failed.len(), product.id, index));
                }
                None => {}
            }
        }
        let eligible_count = count(eligible.len());
        // Ranked by score, ties by the product's id (index order is id order).
        let as_match = |index: usize| {
            let product = &products[index];
            ProductMatch {
                product_id: product.id,
                product_name: product.terms.name.clone(),
                kind: product.terms.kind,
                publisher_id: product.publisher_id,
                publisher_name: product.publisher_name.clone(),
                explanation: explain(&product.terms, need, &applicant, today),
            }
        };
        let matches = best(eligible, limit)
            .into_iter()
            .map(|ranked| as_match(usize::try_from(ranked.id).unwrap_or(0)))
            .collect();
        let ineligible = query.include_ineligible.then(|| {
            failing.sort_unstable();
            failing
                .iter()
                .take(limit)
                .map(|(_, _, index)| as_match(*index))
                .collect()
        });
        Ok(DemandMatches {
            demand_id: id,
            evaluated: count(products.len()),
            eligible: eligible_count,
            matches,
            ineligible,
        })
    }

    /// A product whose matches the principal may see: its publisher's users, the national
    /// office and administrators; "not found" for anyone else. Withdrawn: a conflict.
    async fn matchable_product(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<ProductRecord, AppError> {
        let product = self
            .db
            .get_product(id)
            .await?
            .ok_or_else(|| product_not_found(id))?;
        let publisher = matches!(principal.role, Role::Lender | Role::Insurer)
            && principal.party_id == Some(product.publisher_id);
        let office = matches!(principal.role, Role::NationalOffice | Role::PlatformAdmin);
        if !(publisher || office) {
            return Err(product_not_found(id));
        }
        if product.status == ProductStatus::Withdrawn {
            return Err(AppError::new(
                ErrorKind::Conflict,
                "product.withdrawn",
                format!("product {id} is withdrawn: it is matched no more"),
            ));
        }
        Ok(product)
    }

    /// The open demands the principal may see ranked for a product (see the module's rules).
    pub async fn product_demand_matches(
        &self,
        principal: &Principal,
        id: i64,
        query: &RankQuery,
    ) -> Result<ProductDemandMatches, AppError> {
        let limit = limit(query.limit)?;
        let product = self.matchable_product(principal, id).await?;
        // A lender sees the demands shared with it; an insurer's users no demand at all.
        let scope = self.demand_scope(principal)?;
        let demands = self.db.open_demands(scope.visible_to_lender).await?;
        let today = self.clock.today();
        let scored: Vec<Ranked> = demands
            .iter()
            .enumerate()
            .filter_map(|(index, demand)| {
                score(
                    &product.terms,
                    Need::of(&demand.terms),
                    &demand.applicant,
                    today,
                )
                .map(|score_bp| Ranked {
                    id: i64::try_from(index).unwrap_or(0),
                    score_bp,
                })
            })
            .collect();
        let eligible = count(scored.len());
        let matches = best(scored, limit)
            .into_iter()
            .filter_map(|ranked| demands.get(usize::try_from(ranked.id).unwrap_or(usize::MAX)))
            .map(|demand| DemandMatch {
                demand_id: demand.id,
                enterprise_id: demand.enterprise_id,
                enterprise_name: demand.enterprise_name.clone(),
                stage: demand.stage,
                amount_fen: demand.terms.amount_fen,
                months: demand.terms.months,
                explanation: explain(
                    &product.terms,
                    Need::of(&demand.terms),
                    &demand.applicant,
                    today,
                ),
            })
            .collect();
        Ok(ProductDemandMatches {
            product_id: id,
            evaluated: count(demands.len()),
            eligible,
            matches,
        })
    }

    /// Enterprises without an open demand that hold live rights the product accepts inside its
    /// area, ranked for it at its mid-range (see the module's rules).
    pub async fn product_prospects(
        &self,
        principal: &Principal,
        id: i64,
        query: &RankQuery,
    ) -> Result<ProductProspects, AppError> {
        let limit = limit(query.limit)?;
        let product = self.matchable_product(principal, id).await?;
        let prospects = self.db.prospects(&product.terms).await?;
        let today = self.clock.today();
        let need = Need::mid_range(&product.terms);
        let scored: Vec<Ranked> = prospects
            .iter()
            .enumerate()
            .filter_map(|(index, prospect)| {
                score(&product.terms, need, &prospect.applicant, today).map(|score_bp| Ranked {
                    id: i64::try_from(index).unwrap_or(0),
                    score_bp,
                })
            })
            .collect();
        let eligible = count(scored.len());
        let ranked = best(scored, limit)
            .into_iter()
            .filter_map(|ranked| prospects.get(usize::try_from(ranked.id).unwrap_or(usize::MAX)))
            .map(|prospect| ProspectMatch {
                enterprise_id: prospect.enterprise_id,
                enterprise_name: prospect.enterprise_name.clone(),
                rights: prospect.rights,
                explanation: explain(&product.terms, need, &prospect.applicant, today),
            })
            .collect();
        Ok(ProductProspects {
            product_id: id,
            amount_fen: need.amount_fen,
            months: need.months,
            evaluated: count(prospects.len()),
            eligible,
            prospects: ranked,
        })
    }
}
