//! Importing parties: rows are read on a blocking thread; each is then resolved (its park by name,
//! its head lender by USCC or name, either recorded before or earlier in the same file),
//! validated, checked against what the importer may change, and upserted.

use super::columns::PARTY_COLUMNS;
use super::parties_rows::{PartiesReader, PartyRow, same_content, text, year};
use super::rights_import::rejections;
use super::source::read_rows;
use super::{FileFormat, ImportProgress, Input, Rejection, Tally, internal};
use crate::{App, AppError, Principal};
use chrono::Datelike;
use ipyun_db::DbError;
use ipyun_db::parties::PartyUpsert;
use ipyun_domain::FieldError;
use ipyun_domain::id::Uscc;
use ipyun_domain::party::{NewParty, PartyDraft, PartyKind};
use std::collections::HashMap;
use tokio::sync::mpsc;

const KIND: usize = 0;
const NAME: usize = 1;
const USCC: usize = 2;
const REGION: usize = 3;
const INDUSTRY: usize = 4;
const SIZE_CLASS: usize = 5;
const PARK: usize = 6;
const PARENT: usize = 7;
const SPECIALISED_SME_YEAR: usize = 8;
const LITTLE_GIANT_YEAR: usize = 9;
const PARK_KIND: usize = 10;
const OFFICE_LEVEL: usize = 11;
const CREDIT_RATING: usize = 12;
const CONTACT_NAME: usize = 13;
const CONTACT_PHONE: usize = 14;
const ADDRESS: usize = 15;

/// What the async side keeps across rows: resolved references, numbers seen, and counts.
#[derive(Default)]
struct PartiesState {
    parks: HashMap<String, Option<i64>>,
    lenders: HashMap<String, Option<i64>>,
    seen: HashMap<String, u64>,
    tally: Tally,
}

impl PartiesState {
    fn remember(&mut self, party: &NewParty, id: i64) {
        match party.kind {
            PartyKind::Park => {
                self.parks.insert(party.name.clone(), Some(id));
            }
            PartyKind::Lender => {
                if let Some(uscc) = &party.uscc {
                    self.lenders.insert(uscc.as_str().to_string(), Some(id));
                }
                self.lenders.insert(party.name.clone(), Some(id));
            }
            _ => {}
        }
    }
}

impl App {
    async fn park_named(
        &self,
        state: &mut PartiesState,
        name: &str,
    ) -> Result<Option<i64>, AppError> {
        if let Some(known) = state.parks.get(name) {
            return Ok(*known);
        }
        let found = self
            .db
            .find_party(None, PartyKind::Park, name)
            .await?
            .map(|park| park.id);
        state.parks.insert(name.to_string(), found);
        Ok(found)
    }

    /// A head lender, by USCC or by name.
    async fn lender_called(
        &self,
        state: &mut PartiesState,
        reference: &str,
    ) -> Result<Option<i64>, AppError> {
        let key = Uscc::parse(reference)
            .map(|uscc| uscc.as_str().to_string())
            .ok();
        let key = key.as_deref().unwrap_or(reference);
        if let Some(known) = state.lenders.get(key) {
            return Ok(*known);
        }
        let found = match Uscc::parse(reference) {
            Ok(uscc) => {
                self.db
                    .find_party(Some(uscc.as_str()), PartyKind::Lender, "")
                    .await?
            }
            Err(_) => {
                self.db
                    .find_party(None, PartyKind::Lender, reference)
                    .await?
            }
        };
        let found = found
            .filter(|party| party.kind == PartyKind::Lender)
            .map(|party| party.id);
        state.lenders.insert(key.to_string(), found);
        Ok(found)
    }

    async fn import_party_row(
        &self,
        principal: &Principal,
        state: &mut PartiesState,
        row: PartyRow,
    ) -> Result<(), AppError> {
        let (number, cells) = (row.row, &row.cells);
        let mut findings = Vec::new();
        let park_id = match cells[PARK].as_str() {
            "" => None,
            name => {
                let found = self.park_named(state, name).await?;
                if found.is_none() {
                    findings.push(FieldError::new(
                        "park",
                        "unknown",
                        format!(
                            "no park is named {name:?}: record the park first, or on an earlier row"
                        ),
                    ));
                }
                found
            }
        };
        let parent_id = match cells[PARENT].as_str() {
            "" => None,
            reference => {
                let found = self.lender_called(state, reference).await?;
                if found.is_none() {
                    findings.push(FieldError::new(
                        "parent",
                        "unknown",
                        format!("no lender has the USCC or name {reference:?}: record it first, or on an earlier row"),
                    ));
                }
                found
            }
        };
        let draft = PartyDraft {
            kind: text(&cells[KIND]),
            name: text(&cells[NAME]),
            uscc: text(&cells[USCC]),
            region: text(&cells[REGION]),
            industry: text(&cells[INDUSTRY]),
            size_class: text(&cells[SIZE_CLASS]),
            park_id,
            parent_id,
            specialised_sme_year: year(
                &cells[SPECIALISED_SME_YEAR],
                "specialised_sme_year",
                &mut findings,
            ),
            little_giant_year: year(
                &cells[LITTLE_GIANT_YEAR],
                "little_giant_year",
                &mut findings,
            ),
            park_kind: text(&cells[PARK_KIND]),
            office_level: text(&cells[OFFICE_LEVEL]),
            credit_rating: text(&cells[CREDIT_RATING]),
            contact_name: text(&cells[CONTACT_NAME]),
            contact_phone: text(&cells[CONTACT_PHONE]),
            address: text(&cells[ADDRESS]),
        };
        let mut party = match draft.validate(self.clock.today().year()) {
            Ok(party) if findings.is_empty() => party,
            Ok(_) => {
                state
                    .tally
                    .reject(rejections(PARTY_COLUMNS, number, findings, Vec::new()));
                return Ok(());
            }
            Err(errors) => {
                state
                    .tally
                    .reject(rejections(PARTY_COLUMNS, number, findings, errors.0));
                return Ok(());
            }
        };
        let (key, field) = match &party.uscc {
            Some(uscc) => (format!("uscc {}", uscc.as_str()), "uscc"),
            None => (format!("{} {}", party.kind.as_str(), party.name), "name"),
        };
        if let Some(earlier) = state.seen.get(&key) {
            let message = format!("{key} is already on row {earlier}");
            state
                .tally
                .reject([Rejection::new(number, field, "duplicate_in_file", message)]);
            return Ok(());
        }
        state.seen.insert(key, number);
        let existing = self
            .db
            .find_party(
                party.uscc.as_ref().map(Uscc::as_str),
                party.kind,
                &party.name,
            )
            .await?;
        if let Some(current) = &existing {
            if current.kind != party.kind {
                let message = format!(
                    "this USCC belongs to a party of kind {}; a party's kind cannot change",
                    current.kind.as_str()
                );
                state
                    .tally
                    .reject([Rejection::new(number, "kind", "immutable", message)]);
                return Ok(());
            }
            // Private fields the importer could not see (blank in its export) keep their values.
            if !principal.may_see_private(current) {
                party.contact_name = party.contact_name.or_else(|| current.contact_name.clone());
                party.contact_phone = party
                    .contact_phone
                    .or_else(|| current.contact_phone.clone());
                party.address = party.address.or_else(|| current.address.clone());
            }
            if same_content(current, &party) {
                state.tally.unchanged += 1;
                state.remember(&party, current.id);
                return Ok(());
            }
            if !principal.may_edit_party(current) {
                let message = "you may not change this party (it is outside your region)";
                state
                    .tally
                    .reject([Rejection::new(number, "name", "forbidden", message)]);
                return Ok(());
            }
        }
        match self
            .db
            .upsert_party(&party, &principal.username, self.clock.now())
            .await
        {
            Ok(PartyUpsert::Inserted(id)) => {
                state.tally.inserted += 1;
                state.remember(&party, id);
            }
            Ok(PartyUpsert::Updated(id)) => {
                state.tally.updated += 1;
                // A rename may have made cached names stale.
                state.parks.clear();
                state.lenders.clear();
                state.remember(&party, id);
            }
            Ok(PartyUpsert::Unchanged(id)) => {
                state.tally.unchanged += 1;
                state.remember(&party, id);
            }
            Err(DbError::Constraint(_)) => {
                let message = format!(
                    "another {} is already recorded with this name or USCC",
                    party.kind.as_str()
                );
                state
                    .tally
                    .reject([Rejection::new(number, field, "duplicate", message)]);
            }
            Err(other) => return Err(other.into()),
        }
        Ok(())
    }

    pub(crate) async fn import_parties(
        &self,
        principal: &Principal,
        input: Input,
        format: FileFormat,
        bytes_total: u64,
        progress: &(dyn Fn(ImportProgress) + Send + Sync),
    ) -> (Tally, Result<(), AppError>) {
        let (sender, mut receiver) = mpsc::channel(2);
        let reader = tokio::task::spawn_blocking(move || {
            let mut reader = PartiesReader {
                batch: Vec::new(),
                rows_in_batch: 0,
                sender,
                tally: Tally::default(),
            };
            let result = read_rows(input, format, PARTY_COLUMNS, bytes_total, &mut reader)
                .and_then(|()| reader.flush(bytes_total));
            (reader.tally, result)
        });
        let mut state = PartiesState::default();
        let mut failure = None;
        'batches: while let Some(batch) = receiver.recv().await {
            for row in batch.rows {
                if let Err(error) = self.import_party_row(principal, &mut state, row).await {
                    failure = Some(error);
                    break 'batches;
                }
            }
            progress(ImportProgress {
                rows_done: batch.rows_done,
                bytes_done: batch.bytes_done,
                bytes_total,
            });
        }
        drop(receiver);
        let (mut tally, read) = match reader.await {
            Ok(outcome) => outcome,
            Err(error) => (
                Tally::default(),
                Err(internal("the import reader failed", error)),
            ),
        };
        tally.absorb(state.tally);
        (tally, failure.map_or(read, Err))
    }
}
