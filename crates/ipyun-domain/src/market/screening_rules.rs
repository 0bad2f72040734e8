//! The credit white-list's rule set (F4, 授信白名单): the hard filters an enterprise must pass, the
//! weighted score factors (integer weights summing to 10,000 basis points) and the
//! pre-approved amount rule. A draft is validated whole; every fault names its field.

use super::product::{Designation, region_prefix};
use crate::field::{FieldError, FieldErrors};
use crate::id::{IdError, RegionCode};
use crate::loan::MAX_AMOUNT_FEN;
use crate::party::{SizeClass, string_enum};
use serde::{Deserialize, Serialize};

/// The version of the factor curves and filter semantics coded here; a run records it beside
/// the rule set's own version, so a result can be reproduced exactly.
pub const SCREENING_MODEL: &str = "screening-1";
/// The whole of the weights, in basis points.
pub const TOTAL_WEIGHT_BP: u32 = 10_000;
/// Pre-approved amounts are rounded down to 10,000 yuan.
pub const AMOUNT_STEP_FEN: i64 = 1_000_000;
/// The longest rule-set name, in characters.
pub const MAX_RULE_SET_NAME_CHARS: usize = 100;
/// The most regions a rule set may list.
pub const MAX_RULE_REGIONS: usize = 100;

/// A credit grade: the tax authority's A/B/M/C/D (纳税信用等级), or a credit-loan platform's
/// grade on the same scale. A is best.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
pub enum CreditGrade {
    D,
    C,
    M,
    B,
    A,
}

impl CreditGrade {
    pub const ALL: &'static [CreditGrade] = &[
        CreditGrade::A,
        CreditGrade::B,
        CreditGrade::M,
        CreditGrade::C,
        CreditGrade::D,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CreditGrade::A => "A",
            CreditGrade::B => "B",
            CreditGrade::M => "M",
            CreditGrade::C => "C",
            CreditGrade::D => "D",
        }
    }

    /// Case-insensitive: `a` is `A`.
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let normal = raw.trim().to_ascii_uppercase();
        Self::ALL
            .iter()
            .copied()
            .find(|grade| grade.as_str() == normal)
            .ok_or_else(|| {
                IdError::new(
                    "unknown_value",
                    format!("a credit grade is one of A, B, M, C, D; found {raw:?}"),
                )
            })
    }
}

string_enum!(
    /// Where a credit grade comes from.
    GradeSource, "grade source" {
    Tax => "tax",
    Xinyidai => "xinyidai",
});

impl GradeSource {
    pub fn label_zh(self) -> &'static str {
        match self {
            GradeSource::Tax => "纳税信用等级",
            GradeSource::Xinyidai => "信易贷平台信用等级",
        }
    }
}

string_enum!(
    /// An integrity finding against an enterprise (失信、违法、经营异常…).
    IntegrityFlagKind, "integrity flag kind" {
    DishonestJudgementDebtor => "dishonest_judgement_debtor",
    SeriousViolation => "serious_violation",
    AbnormalOperation => "abnormal_operation",
    FictitiousContract => "fictitious_contract",
    DataAnomaly => "data_anomaly",
});

impl IntegrityFlagKind {
    pub fn label_zh(self) -> &'static str {
        match self {
            IntegrityFlagKind::DishonestJudgementDebtor => "失信被执行人",
            IntegrityFlagKind::SeriousViolation => "严重违法失信",
            IntegrityFlagKind::AbnormalOperation => "经营异常",
            IntegrityFlagKind::FictitiousContract => "虚构合同",
            IntegrityFlagKind::DataAnomaly => "数据异常",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            IntegrityFlagKind::DishonestJudgementDebtor => "dishonest judgement debtor",
            IntegrityFlagKind::SeriousViolation => "serious violation",
            IntegrityFlagKind::AbnormalOperation => "abnormal operation",
            IntegrityFlagKind::FictitiousContract => "fictitious contract",
            IntegrityFlagKind::DataAnomaly => "data anomaly",
        }
    }

    /// A bit of its own, for fast sets of kinds.
    pub fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

string_enum!(
    /// A score factor; each maps one input to 0..=10,000 bp (see `screening::factor_value`).
    Factor, "score factor" {
    InventionPatents => "invention_patents",
    IpPortfolio => "ip_portfolio",
    Valuation => "valuation",
    RightHealth => "right_health",
    Designation => "designation",
    SizeClass => "size_class",
    RepaymentHistory => "repayment_history",
    TaxGrade => "tax_grade",
    Integrity => "integrity",
});

impl Factor {
    pub fn label_zh(self) -> &'static str {
        match self {
            Factor::InventionPatents => "有效发明专利",
            Factor::IpPortfolio => "有效知识产权总量",
            Factor::Valuation => "知识产权评估价值",
            Factor::RightHealth => "权利法律状态",
            Factor::Designation => "专精特新资质",
            Factor::SizeClass => "企业规模",
            Factor::RepaymentHistory => "还款记录",
            Factor::TaxGrade => "纳税信用",
            Factor::Integrity => "诚信记录",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Factor::InventionPatents => "invention patents in force",
            Factor::IpPortfolio => "live IP rights",
            Factor::Valuation => "valuation of the rights",
            Factor::RightHealth => "legal status of the rights",
            Factor::Designation => "designations",
            Factor::SizeClass => "size class",
            Factor::RepaymentHistory => "repayment history",
            Factor::TaxGrade => "tax-credit grade",
            Factor::Integrity => "integrity record",
        }
    }
}

/// The hard filters; each is off unless set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreeningFilters {
    /// At least this many invention patents in force (or in a late-fee, invalidation, court or
    /// dispute state: granted and not ended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_live_inventions: Option<u32>,
    /// At least this many live rights of any kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_live_rights: Option<u32>,
    /// The live rights' valuation (each right's latest, times the enterprise's share) at least this, in fen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_valuation_fen: Option<i64>,
    /// Every one of these designations (a little giant is also a specialised SME).
    #[serde(default)]
    pub required_designations: Vec<Designation>,
    /// None of these size classes (an enterprise without one passes).
    #[serde(default)]
    pub excluded_size_classes: Vec<SizeClass>,
    /// No loan of the enterprise overdue on the screening date.
    #[serde(default)]
    pub no_current_overdue: bool,
    /// No loan of the enterprise classed loss within this many years before the screening date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_loss_within_years: Option<u32>,
    /// No integrity flag of these kinds in force on the screening date.
    #[serde(default)]
    pub excluded_flags: Vec<IntegrityFlagKind>,
    /// The tax-credit grade at least this, when the enterprise has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_tax_grade: Option<CreditGrade>,
    /// With `min_tax_grade`: an enterprise without a tax grade fails.
    #[serde(default)]
    pub require_tax_grade: bool,
    /// GB/T 2260 codes; the enterprise's region lies in one of them (a province covers its
    /// cities). None: anywhere.
    #[serde(default)]
    pub regions: Vec<String>,
}

/// A factor's weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FactorWeight {
    pub factor: Factor,
    pub weight_bp: u32,
}

/// A cap on the amount for one size class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SizeCap {
    pub size_class: SizeClass,
    pub cap_fen: i64,
}

/// The pre-approved amount: the least of the cap, the valuation times the ratio (when set) and
/// the size class's cap (when set), rounded down to 10,000 yuan; nothing for an enterprise that
/// fails a filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmountRule {
    pub cap_fen: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valuation_ratio_bp: Option<u32>,
    #[serde(default)]
    pub size_caps: Vec<SizeCap>,
}

/// A rule set as submitted, checked by [`RuleSetDraft::validate`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleSetDraft {
    pub name: Option<String>,
    #[serde(default)]
    pub filters: ScreeningFilters,
    #[serde(default)]
    pub weights: Vec<FactorWeight>,
    pub amount: Option<AmountRule>,
}

/// A validated rule set: filters normalised (sorted, once each), weights in the factors' order
/// summing to 10,000 bp.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RuleSet {
    pub name: String,
    pub filters: ScreeningFilters,
    pub weights: Vec<FactorWeight>,
    pub amount: AmountRule,
}

fn amount_error(errors: &mut FieldErrors, field: &str, fen: i64) {
    if fen <= 0 || fen > MAX_AMOUNT_FEN {
        errors.push(FieldError::new(
            field,
            "out_of_range",
            "an amount is positive and at most 10^15 yuan",
        ));
    }
}

fn sorted<T: Copy, K: Ord>(values: &[T], key: impl Fn(&T) -> K) -> Vec<T> {
    let mut values = values.to_vec();
    values.sort_by_key(|value| key(value));
    values.dedup_by(|left, right| key(left) == key(right));
    values
}

impl RuleSetDraft {
    /// Checks every field at once.
    pub fn validate(&self) -> Result<RuleSet, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = self.name.as_deref().map(str::trim).unwrap_or_default();
        if name.is_empty() {
            errors.push(FieldError::required("name"));
        } else if name.chars().count() > MAX_RULE_SET_NAME_CHARS {
            errors.push(FieldError::new(
                "name",
                "too_long",
                format!("at most {MAX_RULE_SET_NAME_CHARS} characters"),
            ));
        }
        let filters = self.filters(&mut errors);
        let weights = self.weights(&mut errors);
        let amount = self.amount(&mut errors);
        errors.into_result()?;
        Ok(RuleSet {
            name: name.to_string(),
            filters,
            weights,
            amount: amount.unwrap_or_default(),
        })
    }

    fn filters(&self, errors: &mut FieldErrors) -> ScreeningFilters {
        let draft = &self.filters;
        if let Some(fen) = draft.min_valuation_fen
            && !(0..=MAX_AMOUNT_FEN).contains(&fen)
        {
            errors.push(FieldError::new(
                "filters.min_valuation_fen",
                "out_of_range",
                "a valuation is 0 to 10^15 yuan",
            ));
        }
        if let Some(years) = draft.no_loss_within_years
            && !(1..=30).contains(&years)
        {
            errors.push(FieldError::new(
                "filters.no_loss_within_years",
                "out_of_range",
                "1 to 30 years",
            ));
        }
        if draft.require_tax_grade && draft.min_tax_grade.is_none() {
            errors.push(FieldError::new(
                "filters.require_tax_grade",
                "without_min_grade",
                "requiring a tax grade needs min_tax_grade",
            ));
        }
        if draft.excluded_size_classes.len() >= SizeClass::ALL.len() {
            errors.push(FieldError::new(
                "filters.excluded_size_classes",
                "excludes_all",
                "excluding every size class leaves only enterprises of unknown size",
            ));
        }
        if draft.regions.len() > MAX_RULE_REGIONS {
            errors.push(FieldError::new(
                "filters.regions",
                "too_many",
                format!("at most {MAX_RULE_REGIONS} regions"),
            ));
        }
        let mut regions = Vec::with_capacity(draft.regions.len());
        for (index, raw) in draft.regions.iter().enumerate() {
            match RegionCode::parse(raw) {
                Ok(code) => regions.push(code.as_str().to_string()),
                Err(error) => errors.push(FieldError::new(
                    format!("filters.regions[{index}]"),
                    error.code,
                    error.message,
                )),
            }
        }
        regions.sort();
        regions.dedup();
        ScreeningFilters {
            min_live_inventions: draft.min_live_inventions.filter(|count| *count > 0),
            min_live_rights: draft.min_live_rights.filter(|count| *count > 0),
            min_valuation_fen: draft.min_valuation_fen.filter(|fen| *fen > 0),
            required_designations: sorted(&draft.required_designations, |value| value.as_str()),
            excluded_size_classes: sorted(&draft.excluded_size_classes, |value| *value as u8),
            no_current_overdue: draft.no_current_overdue,
            no_loss_within_years: draft.no_loss_within_years,
            excluded_flags: sorted(&draft.excluded_flags, |value| *value as u8),
            min_tax_grade: draft.min_tax_grade,
            require_tax_grade: draft.require_tax_grade,
            regions,
        }
    }

    fn weights(&self, errors: &mut FieldErrors) -> Vec<FactorWeight> {
        if self.weights.is_empty() {
            errors.push(FieldError::new(
                "weights",
                "required",
                "weigh at least one factor",
            ));
            return Vec::new();
        }
        let mut total: u64 = 0;
        for (index, weight) in self.weights.iter().enumerate() {
            if weight.weight_bp == 0 || weight.weight_bp > TOTAL_WEIGHT_BP {
                errors.push(FieldError::new(
                    format!("weights[{index}].weight_bp"),
                    "out_of_range",
                    "a weight is 1 to 10,000 basis points",
                ));
            }
            if self.weights[..index]
                .iter()
                .any(|earlier| earlier.factor == weight.factor)
            {
                errors.push(FieldError::new(
                    format!("weights[{index}].factor"),
                    "duplicate",
                    format!("{} is weighed once", weight.factor.as_str()),
                ));
            }
            total += u64::from(weight.weight_bp);
        }
        if total != u64::from(TOTAL_WEIGHT_BP) {
            errors.push(FieldError::new(
                "weights",
                "sum",
                format!("the weights sum to {total} bp; they must sum to 10,000"),
            ));
        }
        sorted(&self.weights, |weight| weight.factor as u8)
    }

    fn amount(&self, errors: &mut FieldErrors) -> Option<AmountRule> {
        let Some(amount) = &self.amount else {
            errors.push(FieldError::required("amount"));
            return None;
        };
        amount_error(errors, "amount.cap_fen", amount.cap_fen);
        if let Some(ratio) = amount.valuation_ratio_bp
            && (ratio == 0 || ratio > TOTAL_WEIGHT_BP)
        {
            errors.push(FieldError::new(
                "amount.valuation_ratio_bp",
                "out_of_range",
                "a ratio to the valuation is 1 to 10,000 basis points",
            ));
        }
        for (index, cap) in amount.size_caps.iter().enumerate() {
            amount_error(
                errors,
                &format!("amount.size_caps[{index}].cap_fen"),
                cap.cap_fen,
            );
            if amount.size_caps[..index]
                .iter()
                .any(|earlier| earlier.size_class == cap.size_class)
            {
                errors.push(FieldError::new(
                    format!("amount.size_caps[{index}].size_class"),
                    "duplicate",
                    format!("{} is capped once", cap.size_class.as_str()),
                ));
            }
        }
        Some(AmountRule {
            cap_fen: amount.cap_fen,
            valuation_ratio_bp: amount.valuation_ratio_bp,
            size_caps: sorted(&amount.size_caps, |cap| cap.size_class as u8),
        })
    }
}

impl RuleSet {
    /// Whether `region` lies in the rule's regions (or the rule names none).
    pub fn in_regions(&self, region: Option<&str>) -> bool {
        self.filters.regions.is_empty()
            || region.is_some_and(|region| {
                self.filters
                    .regions
                    .iter()
                    .any(|code| region.starts_with(region_prefix(code)))
            })
    }
}
