//! Parties (feature R3): enterprises, lenders and their branches, insurers, guarantors,
//! appraisers, service agencies, parks and IP offices.

use crate::field::{FieldError, FieldErrors};
use crate::id::{IndustryCode, RegionCode, Uscc};
use chrono::DateTime;
use chrono::Utc;
use serde::{Deserialize, Serialize};

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Result<Self, $crate::id::IdError> {
                let normal = raw.trim().to_ascii_lowercase().replace(['-', ' '], "_");
                Self::ALL.iter().copied().find(|value| value.as_str() == normal).ok_or_else(|| {
                    let expected: Vec<&str> = Self::ALL.iter().map(|value| value.as_str()).collect();
                    $crate::id::IdError::new("unknown_value", format!("{} should be one of {}; found {raw:?}", $what, expected.join(", ")))
                })
            }
        }
    };
}
pub(crate) use string_enum;

string_enum!(PartyKind, "party kind" {
    Enterprise => "enterprise",
    Lender => "lender",
    Insurer => "insurer",
    Guarantor => "guarantor",
    Appraiser => "appraiser",
    ServiceAgency => "service_agency",
    Park => "park",
    IpOffice => "ip_office",
});

string_enum!(
    /// Enterprise size class per the official SME classification.
    SizeClass, "size class" {
    Large => "large",
    Medium => "medium",
    Small => "small",
    Micro => "micro",
});

string_enum!(ParkKind, "park kind" {
    NationalHighTechZone => "national_high_tech_zone",
    NationalEconomicZone => "national_economic_zone",
    ProvincialZone => "provincial_zone",
    Other => "other",
});

string_enum!(OfficeLevel, "office level" {
    National => "national",
    Provincial => "provincial",
    Local => "local",
});

impl SizeClass {
    pub fn is_sme(self) -> bool {
        !matches!(self, SizeClass::Large)
    }
}

/// A party as stored. Fields marked private are shown only to those allowed (see `account`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Party {
    pub id: i64,
    pub kind: PartyKind,
    pub name: String,
    pub uscc: Option<String>,
    pub region: Option<String>,
    pub industry: Option<String>,
    pub size_class: Option<SizeClass>,
    pub park_id: Option<i64>,
    /// Lender branch: the head institution.
    pub parent_id: Option<i64>,
    pub specialised_sme_year: Option<i32>,
    pub little_giant_year: Option<i32>,
    pub park_kind: Option<ParkKind>,
    pub office_level: Option<OfficeLevel>,
    pub credit_rating: Option<String>,
    /// Private.
    pub contact_name: Option<String>,
    /// Private.
    pub contact_phone: Option<String>,
    /// Private.
    pub address: Option<String>,
    pub updated_at: DateTime<Utc>,
}

impl Party {
    /// Blanks the private fields, for viewers who may see only the public record.
    pub fn without_private_fields(mut self) -> Party {
        self.contact_name = None;
        self.contact_phone = None;
        self.address = None;
        self
    }

    pub fn province(&self) -> Option<String> {
        self.region
            .as_ref()
            .map(|code| format!("{}0000", &code[..2.min(code.len())]))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyDraft {
    pub kind: Option<String>,
    pub name: Option<String>,
    pub uscc: Option<String>,
    pub region: Option<String>,
    pub industry: Option<String>,
    pub size_class: Option<String>,
    pub park_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub specialised_sme_year: Option<i32>,
    pub little_giant_year: Option<i32>,
    pub park_kind: Option<String>,
    pub office_level: Option<String>,
    pub credit_rating: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub address: Option<String>,
}

/// A validated party, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewParty {
    pub kind: PartyKind,
    pub name: String,
    pub uscc: Option<Uscc>,
    pub region: Option<RegionCode>,
    pub industry: Option<IndustryCode>,
    pub size_class: Option<SizeClass>,
    pub park_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub specialised_sme_year: Option<i32>,
    pub little_giant_year: Option<i32>,
    pub park_kind: Option<ParkKind>,
    pub office_level: Option<OfficeLevel>,
    pub credit_rating: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub address: Option<String>,
}

fn trimmed(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
}

fn bounded_text(
    errors: &mut FieldErrors,
    field: &str,
    value: &Option<String>,
    max_chars: usize,
) -> Option<String> {
    let text = trimmed(value)?;
    if text.chars().count() > max_chars {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("at most {max_chars} characters are allowed"),
        ));
        return None;
    }
    Some(text.to_string())
}

fn designation_year(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<i32>,
    current_year: i32,
) -> Option<i32> {
    let year = value?;
    if !(2011..=current_year).contains(&year) {
        errors.push(FieldError::new(
            field,
            "range",
            format!("a designation year lies between 2011 and {current_year}"),
        ));
        return None;
    }
    Some(year)
}

impl PartyDraft {
    pub fn validate(&self, current_year: i32) -> Result<NewParty, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = match trimmed(&self.kind) {
            Some(text) => errors.parse("kind", PartyKind::parse(text)),
            None => {
                errors.push(FieldError::required("kind"));
                None
            }
        };
        let name = bounded_text(&mut errors, "name", &self.name, 200);
        if trimmed(&self.name).is_none() {
            errors.push(FieldError::required("name"));
        }
        let uscc = trimmed(&self.uscc).and_then(|text| errors.parse("uscc", Uscc::parse(text)));
        if kind == Some(PartyKind::Enterprise) && trimmed(&self.uscc).is_none() {
            errors.push(FieldError::new(
                "uscc",
                "required",
                "an enterprise is identified by its USCC",
            ));
        }
        let region =
            trimmed(&self.region).and_then(|text| errors.parse("region", RegionCode::parse(text)));
        let industry = trimmed(&self.industry)
            .and_then(|text| errors.parse("industry", IndustryCode::parse(text)));
        let size_class = trimmed(&self.size_class)
            .and_then(|text| errors.parse("size_class", SizeClass::parse(text)));
        let park_kind = trimmed(&self.park_kind)
            .and_then(|text| errors.parse("park_kind", ParkKind::parse(text)));
        let office_level = trimmed(&self.office_level)
            .and_then(|text| errors.parse("office_level", OfficeLevel::parse(text)));
        let specialised_sme_year = designation_year(
            &mut errors,
            "specialised_sme_year",
            self.specialised_sme_year,
            current_year,
        );
        let little_giant_year = designation_year(
            &mut errors,
            "little_giant_year",
            self.little_giant_year,
            current_year,
        );
        if let Some(kind) = kind {
            let only_for =
                |errors: &mut FieldErrors, field: &str, present: bool, allowed: PartyKind| {
                    if present && kind != allowed {
                        errors.push(FieldError::new(
                            field,
                            "not_applicable",
                            format!("only a party of kind {} has this field", allowed.as_str()),
                        ));
                    }
                };
            only_for(
                &mut errors,
                "size_class",
                size_class.is_some(),
                PartyKind::Enterprise,
            );
            only_for(
                &mut errors,
                "park_id",
                self.park_id.is_some(),
                PartyKind::Enterprise,
            );
            only_for(
                &mut errors,
                "specialised_sme_year",
                specialised_sme_year.is_some(),
                PartyKind::Enterprise,
            );
            only_for(
                &mut errors,
                "little_giant_year",
                little_giant_year.is_some(),
                PartyKind::Enterprise,
            );
            only_for(
                &mut errors,
                "park_kind",
                park_kind.is_some(),
                PartyKind::Park,
            );
            only_for(
                &mut errors,
                "office_level",
                office_level.is_some(),
                PartyKind::IpOffice,
            );
            only_for(
                &mut errors,
                "parent_id",
                self.parent_id.is_some(),
                PartyKind::Lender,
            );
            if kind == PartyKind::IpOffice
                && office_level.is_none()
                && trimmed(&self.office_level).is_none()
            {
                errors.push(FieldError::required("office_level"));
            }
        }
        if let (Some(sme), Some(giant)) = (specialised_sme_year, little_giant_year)
            && giant < sme
        {
            errors.push(FieldError::new(
                "little_giant_year",
                "before_specialised_sme",
                "a little giant is first designated a specialised SME",
            ));
        }
        let credit_rating = bounded_text(&mut errors, "credit_rating", &self.credit_rating, 16);
        let contact_name = bounded_text(&mut errors, "contact_name", &self.contact_name, 100);
        let contact_phone = bounded_text(&mut errors, "contact_phone", &self.contact_phone, 40);
        let address = bounded_text(&mut errors, "address", &self.address, 300);
        match (kind, name, errors.is_empty()) {
            (Some(kind), Some(name), true) => Ok(NewParty {
                kind,
                name,
                uscc,
                region,
                industry,
                size_class,
                park_id: self.park_id,
                parent_id: self.parent_id,
                specialised_sme_year,
                little_giant_year,
                park_kind,
                office_level,
                credit_rating,
                contact_name,
                contact_phone,
                address,
            }),
            _ => Err(errors),
        }
    }
}
