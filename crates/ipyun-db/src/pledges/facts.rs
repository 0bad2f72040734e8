//! What the examination needs to know: the pledgor, and for each right its register entry, any
//! active pledge over it, and a same-day invention / utility-model twin.

use crate::{Db, DbError, on_pool};
use ipyun_domain::pledge::{PledgedRight, PledgorFacts, RightFacts};
use ipyun_domain::right::RightKind;

impl Db {
    pub async fn pledgor_facts(&self, party_id: i64) -> Result<Option<PledgorFacts>, DbError> {
        if let Some(fast_reads) = &self.fast_reads {
            return Ok(fast_reads.party_row(party_id)?.map(|row| PledgorFacts {
                id: row.id,
                name: row.name,
                uscc: row.uscc,
            }));
        }
        let row: Option<(i64, String, Option<String>)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, name, uscc FROM parties WHERE id = $1",
        )
        .bind(party_id)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|(id, name, uscc)| PledgorFacts { id, name, uscc }))
    }

    /// The registration number of the active pledge over the right numbered `number`, if any.
    pub async fn active_pledge_over(&self, number: &str) -> Result<Option<String>, DbError> {
        if let Some(fast_reads) = &self.fast_reads {
            return fast_reads.active_pledge_over(number);
        }
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT p.registration_no FROM pledge_rights pr JOIN pledges p ON p.id = pr.pledge_id \
             WHERE pr.right_number = $1 AND pr.active",
        )
        .bind(number)
        .fetch_optional(pool)
        .await)?)
    }

    /// One `RightFacts` per right, in order.
    pub async fn pledge_right_facts(
        &self,
        rights: &[PledgedRight],
    ) -> Result<Vec<RightFacts>, DbError> {
        let mut facts = Vec::with_capacity(rights.len());
        for right in rights {
            let registry = self.get_right(&right.number).await?;
            let active_pledge_no = self.active_pledge_over(&right.number).await?;
            let twin_kind = match registry.as_ref().map(|found| found.kind) {
                Some(RightKind::Invention) => Some(RightKind::UtilityModel),
                Some(RightKind::UtilityModel) => Some(RightKind::Invention),
                _ => None,
            };
            let same_day_twin = match (&registry, twin_kind, &self.fast_reads) {
                (Some(found), Some(twin_kind), Some(fast_reads)) => fast_reads.same_day_twin(
                    found.id,
                    twin_kind.as_str(),
                    found.filing_date,
                    &found.title,
                )?,
                (Some(found), Some(twin_kind), None) => on_pool!(self, pool => sqlx::query_scalar(
                    "SELECT r2.number FROM right_holders h1 \
                     JOIN right_holders h2 ON h2.party_id = h1.party_id \
                     JOIN rights r2 ON r2.id = h2.right_id \
                     WHERE h1.right_id = $1 AND h1.party_id IS NOT NULL AND r2.id <> $1 \
                       AND r2.kind = $2 AND r2.filing_date = $3 AND r2.title = $4 \
                     ORDER BY r2.number LIMIT 1",
                )
                .bind(found.id)
                .bind(twin_kind.as_str())
                .bind(found.filing_date)
                .bind(&found.title)
                .fetch_optional(pool)
                .await)?,
                _ => None,
            };
            facts.push(RightFacts {
                registry,
                active_pledge_no,
                same_day_twin,
            });
        }
        Ok(facts)
    }
}
