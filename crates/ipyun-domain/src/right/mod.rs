//! The registry of IP rights (feature R1): kinds, numbers, holders, legal status and expiry.

mod draft;
mod expiry;
mod kind;
mod status;

pub use draft::{HolderDraft, RightDraft};
pub use expiry::expiry_date;
pub use kind::{RightKind, RightNumber};
pub use status::LegalStatus;

use crate::id::{IpcSymbol, NiceClass, Uscc};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// Shares are held in basis points: 10,000 = the whole right.
pub const WHOLE_SHARE_BP: u32 = 10_000;

/// A holder (or co-holder) of a right: a registered party when known, always a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Holder {
    pub name: String,
    pub uscc: Option<Uscc>,
    pub party_id: Option<i64>,
    /// Share of the right in basis points (10,000 = 100%).
    pub share_bp: u32,
}

/// A validated right, ready to store. Built only by [`RightDraft::validate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRight {
    pub kind: RightKind,
    pub number: RightNumber,
    pub title: String,
    pub filing_date: NaiveDate,
    /// Grant date for patents; registration date for trademarks, copyrights and IC layouts.
    pub grant_date: Option<NaiveDate>,
    pub legal_status: LegalStatus,
    pub annual_fee_paid_until: Option<NaiveDate>,
    pub nice_class: Option<NiceClass>,
    pub ipc_main: Option<IpcSymbol>,
    /// Trademark renewals recorded so far (each adds 10 years).
    pub renewals: u8,
    pub holders: Vec<Holder>,
}

impl NewRight {
    pub fn expiry_date(&self) -> Option<NaiveDate> {
        expiry_date(self.kind, self.filing_date, self.grant_date, self.renewals)
    }
}

/// A right as stored, with its identity and history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Right {
    pub id: i64,
    pub kind: RightKind,
    /// Normal form of the right's number (application number for patents).
    pub number: String,
    pub title: String,
    pub filing_date: NaiveDate,
    pub grant_date: Option<NaiveDate>,
    pub legal_status: LegalStatus,
    pub annual_fee_paid_until: Option<NaiveDate>,
    pub nice_class: Option<u8>,
    pub ipc_main: Option<String>,
    pub renewals: u8,
    pub expiry_date: Option<NaiveDate>,
    pub holders: Vec<Holder>,
    pub updated_at: DateTime<Utc>,
}

impl Right {
    /// Whether `party_id` is among the holders.
    pub fn is_held_by(&self, party_id: i64) -> bool {
        self.holders
            .iter()
            .any(|holder| holder.party_id == Some(party_id))
    }
}

/// One entry of a right's legal-status history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StatusEvent {
    pub status: LegalStatus,
    pub effective_date: NaiveDate,
    pub note: String,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: Option<String>,
}
