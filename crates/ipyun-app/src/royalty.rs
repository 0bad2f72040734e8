//! Royalty-rate reference data (feature V2): the table the office publishes (or, until it does,
//! the reference ranges shipped with ipyun), and licence-fee guidance from it. Public: anyone may
//! read the table; guidance for a right of the register needs a principal that may see the right.

use crate::{App, AppError, ErrorKind};
use ipyun_domain::account::Principal;
use ipyun_domain::id::IndustryCode;
use ipyun_domain::royalty::{
    RoyaltyRange, fee_guidance, industry_of_ipc, lookup, seed_concordance, seed_table,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The table in force.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoyaltyTable {
    /// True while the office has published nothing and the shipped reference ranges are used.
    pub reference_only: bool,
    pub ranges: Vec<RoyaltyRange>,
}

/// One pair of the IPC-to-industry concordance.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConcordanceEntry {
    pub ipc_prefix: String,
    pub industry: String,
    pub industry_name: String,
}

/// The concordance in force.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConcordanceTable {
    /// True while the office has loaded none and the shipped coarse concordance is used.
    pub reference_only: bool,
    pub entries: Vec<ConcordanceEntry>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GuidanceQuery {
    /// A GB/T 4754 industry code (any level, e.g. `C39` or `C3971`).
    pub industry: Option<String>,
    /// An IPC symbol (e.g. `H01L 21/56`), mapped to an industry by the concordance.
    pub ipc: Option<String>,
    /// A right of the register: its IPC, else its holder's industry.
    pub number: Option<String>,
    /// The licensee's annual sales in fen, for fee guidance.
    pub revenue_fen: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FeeGuidance {
    pub revenue_fen: i64,
    pub low_fen: i64,
    pub mid_fen: i64,
    pub high_fen: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoyaltyGuidance {
    /// The industry the question came to.
    pub industry: String,
    pub industry_name: String,
    /// How the industry was found: `industry`, `ipc` or `holder`.
    pub basis: String,
    /// The range used (its `industry` may be a coarser level than asked).
    pub range: RoyaltyRange,
    pub reference_only: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fee: Option<FeeGuidance>,
}

fn bad(code: &'static str, message: impl Into<String>) -> AppError {
    AppError::new(ErrorKind::BadRequest, code, message)
}

impl App {
    pub async fn royalty_table(&self) -> Result<RoyaltyTable, AppError> {
        let published = self.db.list_royalty_rates().await?;
        if published.is_empty() {
            return Ok(RoyaltyTable {
                reference_only: true,
                ranges: seed_table().to_vec(),
            });
        }
        Ok(RoyaltyTable {
            reference_only: false,
            ranges: published,
        })
    }

    /// The IPC-to-industry concordance in force (public), by IPC prefix.
    pub async fn ipc_industry_table(&self) -> Result<ConcordanceTable, AppError> {
        let loaded = self.db.list_ipc_industry().await?;
        let reference_only = loaded.is_empty();
        let pairs = if reference_only {
            seed_concordance().to_vec()
        } else {
            loaded
        };
        let entries = pairs
            .into_iter()
            .map(|(ipc_prefix, industry)| ConcordanceEntry {
                industry_name: IndustryCode::parse(&industry)
                    .map(|code| code.name().to_string())
                    .unwrap_or_default(),
                ipc_prefix,
                industry,
            })
            .collect();
        Ok(ConcordanceTable {
            reference_only,
            entries,
        })
    }

    async fn concordance(&self) -> Result<HashMap<String, String>, AppError> {
        let loaded = self.db.list_ipc_industry().await?;
        let pairs = if loaded.is_empty() {
            seed_concordance().to_vec()
        } else {
            loaded
        };
        Ok(pairs.into_iter().collect())
    }

    /// The royalty range for an industry, an IPC symbol or a right, and the fee it implies.
    pub async fn royalty_guidance(
        &self,
        principal: Option<&Principal>,
        query: &GuidanceQuery,
    ) -> Result<RoyaltyGuidance, AppError> {
        if query.revenue_fen.is_some_and(|revenue| revenue < 0) {
            return Err(bad(
                "royalty.negative_revenue",
                "revenue_fen must not be negative",
            ));
        }
        let (code, basis) = if let Some(industry) = query
            .industry
            .as_deref()
            .filter(|text| !text.trim().is_empty())
        {
            (industry.trim().to_string(), "industry")
        } else if let Some(ipc) = query.ipc.as_deref().filter(|text| !text.trim().is_empty()) {
            let concordance = self.concordance().await?;
            let industry = industry_of_ipc(&concordance, ipc).ok_or_else(|| {
                AppError::not_found(
                    "royalty.no_industry",
                    format!("no industry is known for IPC {ipc}"),
                )
            })?;
            (industry.to_string(), "ipc")
        } else if let Some(number) = query.number.as_deref() {
            let principal = principal.ok_or_else(AppError::unauthenticated)?;
            let right = self.get_right(principal, number).await?;
            let concordance = self.concordance().await?;
            match right
                .ipc_main
                .as_deref()
                .and_then(|ipc| industry_of_ipc(&concordance, ipc))
            {
                Some(industry) => (industry.to_string(), "ipc"),
                None => {
                    let holder = right.holders.iter().find_map(|holder| holder.party_id);
                    let party = match holder {
                        Some(id) => self.db.get_party(id).await?,
                        None => None,
                    };
                    let industry = party.and_then(|party| party.industry).ok_or_else(|| {
                        AppError::not_found(
                            "royalty.no_industry",
                            "neither the right's IPC nor its holder's industry is known",
                        )
                    })?;
                    (industry, "holder")
                }
            }
        } else {
            return Err(bad(
                "royalty.no_question",
                "give an industry, an IPC symbol or a right's number",
            ));
        };
        let industry = IndustryCode::parse(&code)
            .map_err(|error| bad("royalty.bad_industry", error.message))?;
        let table = self.royalty_table().await?;
        let by_code: HashMap<String, RoyaltyRange> = table
            .ranges
            .iter()
            .map(|range| (range.industry.clone(), range.clone()))
            .collect();
        let range = lookup(&by_code, &industry).cloned().ok_or_else(|| {
            AppError::not_found(
                "royalty.no_range",
                format!(
                    "no royalty range is published for {} or its parents",
                    industry.as_str()
                ),
            )
        })?;
        let fee = query.revenue_fen.map(|revenue_fen| {
            let (low_fen, mid_fen, high_fen) = fee_guidance(&range, revenue_fen);
            FeeGuidance {
                revenue_fen,
                low_fen,
                mid_fen,
                high_fen,
            }
        });
        Ok(RoyaltyGuidance {
            industry: industry.as_str().to_string(),
            industry_name: industry.name().to_string(),
            basis: basis.to_string(),
            range,
            reference_only: table.reference_only,
            fee,
        })
    }
}
