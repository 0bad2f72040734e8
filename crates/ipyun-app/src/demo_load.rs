//! Loads the demo dataset into an empty database (for `ipyun serve --demo` and `ipyun demo`).

use crate::demo::{DemoDataset, DemoOrganisation, dataset, reference_date};
use crate::{App, AppError, ErrorKind};
use chrono::Datelike;
use ipyun_db::accounts::NewUser;
use ipyun_db::indicators::{NewRealisedPrice, PatentIndicatorsRecord};
use ipyun_domain::party::{PartyDraft, PartyKind};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "ipyun-demo";
const DEMO_SEED: u64 = 1;
const RIGHTS_BATCH: usize = 1_000;

/// What loading the demo did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoOutcome {
    Loaded {
        parties: usize,
        rights: usize,
        users: usize,
    },
    /// The database already holds data: nothing was changed.
    AlreadyPopulated,
}

fn invalid(what: &str, error: impl std::fmt::Display) -> AppError {
    AppError::new(
        ErrorKind::Internal,
        "demo.invalid",
        format!("demo {what} does not validate: {error}"),
    )
}

impl App {
    /// Fills an empty database with the deterministic demo dataset; leaves a non-empty one alone.
    pub async fn load_demo_if_empty(&self) -> Result<DemoOutcome, AppError> {
        if self.db.count_parties(None).await? > 0 || self.db.count_users().await? > 0 {
            return Ok(DemoOutcome::AlreadyPopulated);
        }
        let data = dataset(DEMO_SEED);
        let actor = "demo";
        let now = self.clock.now();
        let year = reference_date().year();
        let insert = |draft: PartyDraft| async move {
            let party = draft
                .validate(year)
                .map_err(|error| invalid("party", error))?;
            Ok::<i64, AppError>(self.db.insert_party(&party, actor, now).await?)
        };
        let mut office_ids = Vec::new();
        for draft in &data.offices {
            office_ids.push(insert(draft.clone()).await?);
        }
        let mut park_ids = Vec::new();
        for draft in &data.parks {
            park_ids.push(insert(draft.clone()).await?);
        }
        let mut lender_ids = Vec::new();
        for draft in &data.lenders {
            lender_ids.push(insert(draft.clone()).await?);
        }
        for (lender_index, draft) in &data.lender_branches {
            let mut branch = draft.clone();
            branch.parent_id = lender_ids.get(*lender_index).copied();
            insert(branch).await?;
        }
        let mut other_ids = Vec::new();
        for draft in &data.others {
            other_ids.push(insert(draft.clone()).await?);
        }
        let mut enterprise_ids = Vec::new();
        for enterprise in &data.enterprises {
            let mut draft = enterprise.draft.clone();
            draft.park_id = enterprise
                .park
                .and_then(|index| park_ids.get(index).copied());
            enterprise_ids.push(insert(draft).await?);
        }
        let validated_rights = self.load_demo_rights(&data, actor).await?;
        let rights = validated_rights.len();
        let password_hash = self.hash_password(DEMO_PASSWORD)?;
        for user in &data.users {
            let party_id = match user.organisation {
                DemoOrganisation::None => None,
                DemoOrganisation::Office(index) => office_ids.get(index).copied(),
                DemoOrganisation::Park(index) => park_ids.get(index).copied(),
                DemoOrganisation::Lender(index) => lender_ids.get(index).copied(),
                DemoOrganisation::Other(index) => other_ids.get(index).copied(),
                DemoOrganisation::Enterprise(index) => enterprise_ids.get(index).copied(),
            };
            let new_user = NewUser {
                username: &user.username,
                display_name: &user.display_name,
                password_hash: &password_hash,
                role: user.role,
                party_id,
            };
            self.db.insert_user(&new_user, actor, now).await?;
        }
        let enterprise_by_uscc: std::collections::HashMap<String, i64> = data
            .enterprises
            .iter()
            .zip(&enterprise_ids)
            .filter_map(|(enterprise, id)| enterprise.draft.uscc.clone().map(|uscc| (uscc, *id)))
            .collect();
        let pledges = self
            .load_demo_pledges(&validated_rights, &enterprise_by_uscc, &lender_ids)
            .await?;
        let appraiser_ids: Vec<i64> = data
            .others
            .iter()
            .zip(&other_ids)
            .filter(|(draft, _)| draft.kind.as_deref() == Some(PartyKind::Appraiser.as_str()))
            .map(|(_, id)| *id)
            .collect();
        self.load_demo_valuation(&validated_rights, &appraiser_ids, &lender_ids)
            .await?;
        let parties = office_ids.len()
            + park_ids.len()
            + lender_ids.len()
            + data.lender_branches.len()
            + other_ids.len()
            + enterprise_ids.len();
        tracing::info!(
            parties,
            rights,
            users = data.users.len(),
            pledges,
            "demo dataset loaded"
        );
        Ok(DemoOutcome::Loaded {
            parties,
            rights,
            users: data.users.len(),
        })
    }

    async fn load_demo_rights(
        &self,
        data: &DemoDataset,
        actor: &str,
    ) -> Result<Vec<ipyun_domain::right::NewRight>, AppError> {
        let today = reference_date().max(self.clock.today());
        let mut validated = Vec::with_capacity(data.rights.len());
        for draft in &data.rights {
            validated.push(
                draft
                    .validate(today)
                    .map_err(|error| invalid("right", error))?,
            );
        }
        for batch in validated.chunks(RIGHTS_BATCH) {
            self.db
                .upsert_rights(batch, actor, self.clock.now())
                .await?;
        }
        Ok(validated)
    }

    /// Indicators, realised prices, appraisers' qualifications and banks' LTV caps.
    async fn load_demo_valuation(
        &self,
        rights: &[ipyun_domain::right::NewRight],
        appraiser_ids: &[i64],
        lender_ids: &[i64],
    ) -> Result<(), AppError> {
        let actor = "demo";
        let now = self.clock.now();
        let data = crate::demo::valuation_dataset(
            DEMO_SEED,
            rights,
            appraiser_ids.len(),
            lender_ids.len(),
        );
        let indicators: Vec<PatentIndicatorsRecord> = data
            .indicators
            .into_iter()
            .map(|item| PatentIndicatorsRecord {
                right_number: item.number,
                counts: item.counts,
                implemented: item.implemented,
                holder_revenue_fen: item.holder_revenue_fen,
            })
            .collect();
        for batch in indicators.chunks(RIGHTS_BATCH) {
            self.db.upsert_patent_indicators(batch, now).await?;
        }
        let prices: Vec<NewRealisedPrice> = data
            .prices
            .into_iter()
            .map(|price| NewRealisedPrice {
                right_number: price.number,
                kind: price.kind,
                amount_fen: price.amount_fen,
                on_date: price.on_date,
                source: "demo".to_string(),
            })
            .collect();
        self.db.insert_realised_prices(&prices, now).await?;
        for (party_id, appraiser) in appraiser_ids.iter().zip(&data.appraisers) {
            let fields = serde_json::to_string(&appraiser.fields).unwrap_or_else(|_| "[]".into());
            self.db
                .upsert_appraiser_profile(
                    *party_id,
                    &appraiser.qualification_no,
                    Some(appraiser.qualified_since),
                    &fields,
                    actor,
                    now,
                )
                .await?;
        }
        for (party_id, cap) in lender_ids.iter().zip(&data.lender_caps) {
            let cap = i32::try_from(*cap).unwrap_or(i32::MAX);
            self.db.set_lender_cap(*party_id, cap, actor, now).await?;
        }
        Ok(())
    }
}
