//! `/parties` and `/parties/{id}`: enterprises, lenders, parks, offices. Private fields arrive
//! blank for viewers who may not see them, and are then not shown.

use super::error::PageError;
use super::extract::{PagePath, PageQuery, SignedIn};
use super::views::{Pager, given, lenient_number, local_time, region_name};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use ipyun_app::parties::PartyQuery;
use ipyun_domain::account::Lang;
use ipyun_domain::id::IndustryCode;
use ipyun_domain::page::Page;
use ipyun_domain::party::{Party, PartyKind};
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PartiesFilter {
    kind: Option<String>,
    q: Option<String>,
    region: Option<String>,
    page: Option<String>,
    per_page: Option<String>,
}

impl PartiesFilter {
    fn query(&self) -> PartyQuery {
        PartyQuery {
            kind: given(&self.kind),
            q: given(&self.q),
            region: given(&self.region),
            page: lenient_number(self.page.as_deref()),
            per_page: lenient_number(self.per_page.as_deref()),
            ..PartyQuery::default()
        }
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("kind", given(&self.kind).unwrap_or_default()),
            ("q", given(&self.q).unwrap_or_default()),
            ("region", given(&self.region).unwrap_or_default()),
            (
                "per_page",
                lenient_number(self.per_page.as_deref())
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
            ),
        ]
    }
}

/// A party as the pages show it: codes with their names, enums as keys.
#[derive(Serialize)]
struct PartyRow {
    id: i64,
    href: String,
    kind: &'static str,
    name: String,
    uscc: Option<String>,
    region: Option<String>,
    region_name: String,
    industry: Option<String>,
    industry_name: String,
    size_class: Option<&'static str>,
    park_href: Option<String>,
    parent_href: Option<String>,
    specialised_sme_year: Option<i32>,
    little_giant_year: Option<i32>,
    park_kind: Option<&'static str>,
    office_level: Option<&'static str>,
    credit_rating: Option<String>,
    contact_name: Option<String>,
    contact_phone: Option<String>,
    address: Option<String>,
    updated_at: String,
}

impl PartyRow {
    /// The row, its industry named in English when `english` and known, else in Chinese.
    fn new(party: Party, english: bool) -> Self {
        PartyRow {
            id: party.id,
            href: format!("/parties/{}", party.id),
            kind: party.kind.as_str(),
            name: party.name,
            region_name: party.region.as_deref().map(region_name).unwrap_or_default(),
            region: party.region,
            industry_name: party
                .industry
                .as_deref()
                .and_then(|code| IndustryCode::parse(code).ok())
                .map(|industry| industry.name_in(english).to_string())
                .unwrap_or_default(),
            industry: party.industry,
            uscc: party.uscc,
            size_class: party.size_class.map(|size| size.as_str()),
            park_href: party.park_id.map(|id| format!("/parties/{id}")),
            parent_href: party.parent_id.map(|id| format!("/parties/{id}")),
            specialised_sme_year: party.specialised_sme_year,
            little_giant_year: party.little_giant_year,
            park_kind: party.park_kind.map(|kind| kind.as_str()),
            office_level: party.office_level.map(|level| level.as_str()),
            credit_rating: party.credit_rating,
            contact_name: party.contact_name,
            contact_phone: party.contact_phone,
            address: party.address,
            updated_at: local_time(party.updated_at),
        }
    }
}

#[derive(Serialize)]
struct PartiesView {
    rows: Vec<PartyRow>,
    pager: Pager,
    kind: String,
    q: String,
    region: String,
    kinds: Vec<&'static str>,
}

impl PartiesView {
    fn new(filter: &PartiesFilter, page: Page<Party>, english: bool) -> Self {
        let pager = Pager::new("/parties", &filter.pairs(), &page);
        PartiesView {
            rows: page
                .items
                .into_iter()
                .map(|party| PartyRow::new(party, english))
                .collect(),
            pager,
            kind: given(&filter.kind).unwrap_or_default(),
            q: given(&filter.q).unwrap_or_default(),
            region: given(&filter.region).unwrap_or_default(),
            kinds: PartyKind::ALL.iter().map(|kind| kind.as_str()).collect(),
        }
    }
}

/// `GET /parties`: the parties, filtered by kind, words or region, paginated.
pub async fn list_parties(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PageQuery(filter): PageQuery<PartiesFilter>,
) -> Result<Response, PageError> {
    let page = state
        .app
        .list_parties(&actor.principal, &filter.query())
        .await
        .map_err(|error| frame.fail(error))?;
    let english = frame.lang == Lang::En;
    frame.render("parties.html", &PartiesView::new(&filter, page, english))
}

#[derive(Serialize)]
struct PartyView {
    party: PartyRow,
    has_private: bool,
}

/// `GET /parties/{id}`: one party; an id that is not a number names no party.
pub async fn get_party(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PagePath(id): PagePath<String>,
) -> Result<Response, PageError> {
    let Ok(id) = id.trim().parse::<i64>() else {
        return Err(PageError::with_status(
            frame,
            StatusCode::NOT_FOUND,
            "party.not_found",
        ));
    };
    let party = state
        .app
        .get_party(&actor.principal, id)
        .await
        .map_err(|error| frame.fail(error))?;
    let has_private =
        party.contact_name.is_some() || party.contact_phone.is_some() || party.address.is_some();
    let view = PartyView {
        party: PartyRow::new(party, frame.lang == Lang::En),
        has_private,
    };
    frame.render("party.html", &view)
}

#[cfg(test)]
pub(super) mod samples {
    use super::*;
    use chrono::DateTime;
    use ipyun_domain::party::{OfficeLevel, SizeClass};

    pub fn enterprise() -> Party {
        Party {
            id: 7,
            kind: PartyKind::Enterprise,
            name: "福州新能源科技有限公司".into(),
            uscc: Some("91350100M000100Y43".into()),
            region: Some("350102".into()),
            industry: Some("C3841".into()),
            size_class: Some(SizeClass::Small),
            park_id: Some(3),
            parent_id: None,
            specialised_sme_year: Some(2022),
            little_giant_year: Some(2023),
            park_kind: None,
            office_level: None,
            credit_rating: Some("AA".into()),
            contact_name: Some("李四".into()),
            contact_phone: Some("0591-12345678".into()),
            address: Some("福州市鼓楼区某路 1 号".into()),
            updated_at: DateTime::UNIX_EPOCH,
        }
    }

    pub fn views() -> Vec<(&'static str, minijinja::Value)> {
        let office = Party {
            id: 9,
            kind: PartyKind::IpOffice,
            name: "福建省知识产权局".into(),
            uscc: None,
            region: None,
            industry: None,
            size_class: None,
            park_id: None,
            specialised_sme_year: None,
            little_giant_year: None,
            office_level: Some(OfficeLevel::Provincial),
            credit_rating: None,
            ..enterprise().without_private_fields()
        };
        let filter = PartiesFilter {
            kind: Some("enterprise".into()),
            region: Some("35".into()),
            ..PartiesFilter::default()
        };
        let page = Page {
            items: vec![enterprise(), office.clone()],
            page: 1,
            per_page: 20,
            total: 2,
        };
        let detail = |party: Party| PartyView {
            has_private: party.contact_name.is_some(),
            party: PartyRow::new(party, true),
        };
        vec![
            (
                "parties.html",
                minijinja::Value::from_serialize(PartiesView::new(&filter, page, false)),
            ),
            (
                "party.html",
                minijinja::Value::from_serialize(detail(enterprise())),
            ),
            (
                "party.html",
                minijinja::Value::from_serialize(detail(office)),
            ),
        ]
    }
}
