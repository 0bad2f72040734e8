//! The product catalogue (F1): IP-backed loans published by lenders, pledge-guarantee,
//! infringement, enforcement and overseas-liability insurance by insurers, guarantees by
//! guarantors. A draft is validated whole (every error names its field); a product has versions
//! (each edit is a new one), a validity period, and may be withdrawn.

use crate::field::{FieldError, FieldErrors};
use crate::id::RegionCode;
use crate::loan::{AnnualRate, MAX_AMOUNT_FEN, RepaymentMethod};
use crate::party::{PartyKind, string_enum};
use crate::right::RightKind;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The longest name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// The longest description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 2_000;
/// The most regions or parks a product may list.
pub const MAX_PLACES: usize = 100;

string_enum!(
    /// What a product is.
    ProductKind, "product kind" {
    Loan => "loan",
    PledgeInsurance => "pledge_insurance",
    InfringementInsurance => "infringement_insurance",
    EnforcementInsurance => "enforcement_insurance",
    OverseasLiabilityInsurance => "overseas_liability_insurance",
    Guarantee => "guarantee",
});

impl ProductKind {
    /// The kind of party that publishes it.
    pub fn publisher(self) -> PartyKind {
        match self {
            ProductKind::Loan => PartyKind::Lender,
            ProductKind::Guarantee => PartyKind::Guarantor,
            _ => PartyKind::Insurer,
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            ProductKind::Loan => "知识产权质押贷款",
            ProductKind::PledgeInsurance => "质押融资保证保险",
            ProductKind::InfringementInsurance => "知识产权侵权责任保险",
            ProductKind::EnforcementInsurance => "知识产权维权费用保险",
            ProductKind::OverseasLiabilityInsurance => "海外知识产权侵权责任保险",
            ProductKind::Guarantee => "知识产权融资担保",
        }
    }
}

string_enum!(
    /// A designation a product may require of the enterprise.
    Designation, "designation" {
    SpecialisedSme => "specialised_sme",
    LittleGiant => "little_giant",
});

string_enum!(
    /// Whether a product is offered.
    ProductStatus, "product status" {
    Active => "active",
    Withdrawn => "withdrawn",
});

/// A product as submitted: every field optional, checked by [`ProductDraft::validate`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductDraft {
    pub kind: Option<ProductKind>,
    pub name: Option<String>,
    pub description: Option<String>,
    /// A loan's or guarantee's amount, or an insurance's cover, in fen.
    pub amount_min_fen: Option<i64>,
    pub amount_max_fen: Option<i64>,
    /// A loan's annual interest rate, or the premium or fee rate a year, in percent.
    #[schema(value_type = Option<String>)]
    pub rate_min_pct: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub rate_max_pct: Option<Decimal>,
    pub months_min: Option<u32>,
    pub months_max: Option<u32>,
    /// The kinds of right it accepts (at least one).
    #[serde(default)]
    pub right_kinds: Vec<RightKind>,
    /// GB/T 2260 codes it serves (a province or city covers the places inside); none: nationwide.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Parks it serves besides the regions (party ids); none: no park restriction.
    #[serde(default)]
    pub park_ids: Vec<i64>,
    /// A loan's cap on amount over the pledged rights' value, in basis points.
    pub ltv_cap_bp: Option<u32>,
    #[serde(default)]
    pub required_designations: Vec<Designation>,
    /// A loan's repayment methods (at least one for a loan).
    #[serde(default)]
    pub repayment_methods: Vec<RepaymentMethod>,
    pub valid_from: Option<NaiveDate>,
    /// None: until withdrawn.
    pub valid_until: Option<NaiveDate>,
}

/// A validated product's terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProductTerms {
    pub kind: ProductKind,
    pub name: String,
    pub description: String,
    pub amount_min_fen: i64,
    pub amount_max_fen: i64,
    /// Parts per million a year.
    pub rate_min_ppm: i64,
    pub rate_max_ppm: i64,
    pub months_min: u32,
    pub months_max: u32,
    pub right_kinds: Vec<RightKind>,
    pub regions: Vec<String>,
    pub park_ids: Vec<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ltv_cap_bp: Option<u32>,
    pub required_designations: Vec<Designation>,
    pub repayment_methods: Vec<RepaymentMethod>,
    pub valid_from: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<NaiveDate>,
}

impl ProductTerms {
    /// Whether it is offered on `date` (its status aside).
    pub fn valid_on(&self, date: NaiveDate) -> bool {
        self.valid_from <= date && self.valid_until.is_none_or(|until| date <= until)
    }

    /// Whether it serves `region` (a GB/T 2260 code) or `park_id`.
    pub fn serves(&self, region: Option<&str>, park_id: Option<i64>) -> bool {
        if self.regions.is_empty() && self.park_ids.is_empty() {
            return true;
        }
        let in_region = region.is_some_and(|region| {
            self.regions
                .iter()
                .any(|served| region.starts_with(region_prefix(served)))
        });
        in_region || park_id.is_some_and(|park| self.park_ids.contains(&park))
    }
}

/// The meaningful prefix of a region code: `320000` → `32`, `320500` → `3205`.
pub fn region_prefix(code: &str) -> &str {
    code.trim_end_matches("00")
}

fn text(
    errors: &mut FieldErrors,
    field: &str,
    value: &Option<String>,
    max: usize,
    required: bool,
) -> String {
    let value = value.as_deref().map(str::trim).unwrap_or_default();
    if value.is_empty() && required {
        errors.push(FieldError::required(field));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("at most {max} characters"),
        ));
    }
    value.to_string()
}

fn range<T: PartialOrd + Copy>(
    errors: &mut FieldErrors,
    (min_field, max_field): (&str, &str),
    (min, max): (Option<T>, Option<T>),
) -> Option<(T, T)> {
    match (min, max) {
        (Some(min), Some(max)) if min > max => {
            errors.push(FieldError::new(
                max_field,
                "below_min",
                format!("the maximum must not be below {min_field}"),
            ));
            None
        }
        (Some(min), Some(max)) => Some((min, max)),
        (min, max) => {
            if min.is_none() {
                errors.push(FieldError::required(min_field));
            }
            if max.is_none() {
                errors.push(FieldError::required(max_field));
            }
            None
        }
    }
}

impl ProductDraft {
    /// Checks every field at once.
    pub fn validate(&self) -> Result<ProductTerms, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = self.kind;
        if kind.is_none() {
            errors.push(FieldError::required("kind"));
        }
        let name = text(&mut errors, "name", &self.name, MAX_NAME_CHARS, true);
        let description = text(
            &mut errors,
            "description",
            &self.description,
            MAX_DESCRIPTION_CHARS,
            false,
        );
        for (field, amount) in [
            ("amount_min_fen", self.amount_min_fen),
            ("amount_max_fen", self.amount_max_fen),
        ] {
            if amount.is_some_and(|amount| amount <= 0 || amount > MAX_AMOUNT_FEN) {
                errors.push(FieldError::new(
                    field,
                    "out_of_range",
                    "an amount is positive and at most 10^15 yuan",
                ));
            }
        }
        let amounts = range(
            &mut errors,
            ("amount_min_fen", "amount_max_fen"),
            (self.amount_min_fen, self.amount_max_fen),
        );
        let mut rate = |field: &str, pct: Option<Decimal>| {
            pct.and_then(|pct| match AnnualRate::from_pct(field, pct) {
                Ok(rate) => Some(rate.ppm()),
                Err(error) => {
                    errors.push(error);
                    None
                }
            })
        };
        let rate_min = rate("rate_min_pct", self.rate_min_pct);
        let rate_max = rate("rate_max_pct", self.rate_max_pct);
        let rates = if (self.rate_min_pct.is_some() && rate_min.is_none())
            || (self.rate_max_pct.is_some() && rate_max.is_none())
        {
            None
        } else {
            range(
                &mut errors,
                ("rate_min_pct", "rate_max_pct"),
                (rate_min, rate_max),
            )
        };
        for (field, months) in [
            ("months_min", self.months_min),
            ("months_max", self.months_max),
        ] {
            if months.is_some_and(|months| months == 0 || months > 360) {
                errors.push(FieldError::new(
                    field,
                    "out_of_range",
                    "a term is 1 to 360 months",
                ));
            }
        }
        let months = range(
            &mut errors,
            ("months_min", "months_max"),
            (self.months_min, self.months_max),
        );
        if self.right_kinds.is_empty() {
            errors.push(FieldError::new(
                "right_kinds",
                "required",
                "name at least one kind of right",
            ));
        }
        if self.regions.len() > MAX_PLACES || self.park_ids.len() > MAX_PLACES {
            errors.push(FieldError::new(
                "regions",
                "too_many",
                format!("at most {MAX_PLACES} regions and {MAX_PLACES} parks"),
            ));
        }
        let mut regions = Vec::with_capacity(self.regions.len());
        for (index, raw) in self.regions.iter().enumerate() {
            match RegionCode::parse(raw) {
                Ok(code) => regions.push(code.as_str().to_string()),
                Err(error) => errors.push(FieldError::new(
                    format!("regions[{index}]"),
                    error.code,
                    error.message,
                )),
            }
        }
        let is_loan = kind == Some(ProductKind::Loan);
        match self.ltv_cap_bp {
            Some(cap) if !is_loan => errors.push(FieldError::new(
                "ltv_cap_bp",
                "not_a_loan",
                format!("{cap} bp: a loan-to-value cap belongs to a loan"),
            )),
            Some(cap) if cap == 0 || cap > 10_000 => errors.push(FieldError::new(
                "ltv_cap_bp",
                "out_of_range",
                "a loan-to-value cap is 1 to 10,000 basis points",
            )),
            _ => {}
        }
        if is_loan && self.repayment_methods.is_empty() {
            errors.push(FieldError::new(
                "repayment_methods",
                "required",
                "a loan names at least one repayment method",
            ));
        }
        if !is_loan && !self.repayment_methods.is_empty() {
            errors.push(FieldError::new(
                "repayment_methods",
                "not_a_loan",
                "repayment methods belong to a loan",
            ));
        }
        match (self.valid_from, self.valid_until) {
            (None, _) => errors.push(FieldError::required("valid_from")),
            (Some(from), Some(until)) if until < from => errors.push(FieldError::new(
                "valid_until",
                "before_start",
                "the validity ends on or after it starts",
            )),
            _ => {}
        }
        errors.into_result()?;
        let (
            Some(kind),
            Some((amount_min_fen, amount_max_fen)),
            Some((rate_min_ppm, rate_max_ppm)),
            Some((months_min, months_max)),
            Some(valid_from),
        ) = (kind, amounts, rates, months, self.valid_from)
        else {
            return Err(FieldErrors(vec![FieldError::new(
                "kind",
                "invalid",
                "the product is incomplete",
            )]));
        };
        let mut right_kinds = self.right_kinds.clone();
        right_kinds.sort_by_key(|kind| kind.as_str());
        right_kinds.dedup();
        let mut park_ids = self.park_ids.clone();
        park_ids.sort_unstable();
        park_ids.dedup();
        regions.sort();
        regions.dedup();
        let mut required_designations = self.required_designations.clone();
        required_designations.sort_by_key(|designation| designation.as_str());
        required_designations.dedup();
        let mut repayment_methods = self.repayment_methods.clone();
        repayment_methods.sort_by_key(|method| method.as_str());
        repayment_methods.dedup();
        Ok(ProductTerms {
            kind,
            name,
            description,
            amount_min_fen,
            amount_max_fen,
            rate_min_ppm,
            rate_max_ppm,
            months_min,
            months_max,
            right_kinds,
            regions,
            park_ids,
            ltv_cap_bp: self.ltv_cap_bp,
            required_designations,
            repayment_methods,
            valid_from,
            valid_until: self.valid_until,
        })
    }
}
