//! Five-category classification (五级分类) under the 2023 rules for commercial banks'
//! financial-asset risk classification (《商业银行金融资产风险分类办法》, CBIRC and PBOC Order
//! 2023 No. 1, in force 1 July 2023), and the NPL ratio (不良贷款率).
//!
//! The rules set floors a lender's judgement may not go below:
//!
//! - any principal or interest overdue: at least special-mention (关注);
//! - overdue more than 90 days: at least substandard (次级);
//! - overdue more than 270 days: at least doubtful (可疑);
//! - overdue more than 360 days: loss (损失);
//! - a restructured loan during its observation period (重组观察期): at least substandard.
//!
//! The lender classifies ([`classify`]): it may put a loan in a worse class than the floor
//! (from its view of the borrower's ability to repay), never a better one.
//!
//! Non-performing loans are the substandard, doubtful and loss ones; the NPL ratio is their
//! balance over the balance of all loans.

use crate::field::FieldError;
use crate::party::string_enum;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

string_enum!(
    /// A loan's risk class, from best to worst (the order is `Ord`).
    #[derive(PartialOrd, Ord)]
    RiskClass, "risk class" {
    Normal => "normal",
    SpecialMention => "special_mention",
    Substandard => "substandard",
    Doubtful => "doubtful",
    Loss => "loss",
});

impl RiskClass {
    /// Substandard, doubtful and loss: non-performing.
    pub fn is_non_performing(self) -> bool {
        self >= RiskClass::Substandard
    }

    /// 正常、关注、次级、可疑、损失.
    pub fn label_zh(self) -> &'static str {
        match self {
            RiskClass::Normal => "正常",
            RiskClass::SpecialMention => "关注",
            RiskClass::Substandard => "次级",
            RiskClass::Doubtful => "可疑",
            RiskClass::Loss => "损失",
        }
    }
}

/// The rule that sets a loan's floor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FloorRule {
    /// Nothing overdue, not restructured: no floor.
    None,
    /// Overdue 1–90 days: at least special-mention.
    Overdue,
    /// Overdue more than 90 days: at least substandard.
    OverdueOver90Days,
    /// Overdue more than 270 days: at least doubtful.
    OverdueOver270Days,
    /// Overdue more than 360 days: loss.
    OverdueOver360Days,
    /// Restructured and in its observation period: at least substandard.
    RestructuredInObservation,
}

impl FloorRule {
    /// The rule in words.
    pub fn describe(self) -> &'static str {
        match self {
            FloorRule::None => "no floor: nothing overdue and not restructured",
            FloorRule::Overdue => "any amount overdue: at least special-mention",
            FloorRule::OverdueOver90Days => "overdue more than 90 days: at least substandard",
            FloorRule::OverdueOver270Days => "overdue more than 270 days: at least doubtful",
            FloorRule::OverdueOver360Days => "overdue more than 360 days: loss",
            FloorRule::RestructuredInObservation => {
                "restructured, in the observation period: at least substandard"
            }
        }
    }
}

/// The lowest class the rules allow for a loan, and the rule that sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Floor {
    pub class: RiskClass,
    pub rule: FloorRule,
    pub days_overdue: i64,
}

/// The floor of a loan overdue `days_overdue` days (its oldest unsettled instalment's; 0 or less
/// when nothing is overdue) and possibly restructured and in its observation period. When both
/// rules give the same class, the overdue rule is named.
pub fn floor(days_overdue: i64, restructured_in_observation: bool) -> Floor {
    let (class, rule) = match days_overdue {
        days if days > 360 => (RiskClass::Loss, FloorRule::OverdueOver360Days),
        days if days > 270 => (RiskClass::Doubtful, FloorRule::OverdueOver270Days),
        days if days > 90 => (RiskClass::Substandard, FloorRule::OverdueOver90Days),
        _ if restructured_in_observation => {
            (RiskClass::Substandard, FloorRule::RestructuredInObservation)
        }
        days if days > 0 => (RiskClass::SpecialMention, FloorRule::Overdue),
        _ => (RiskClass::Normal, FloorRule::None),
    };
    Floor {
        class,
        rule,
        days_overdue: days_overdue.max(0),
    }
}

/// A lender's class below the floor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "a loan cannot be classified {requested} while the rules put it at least {floor_class} \
     ({rule}; {days} days overdue)",
    requested = .requested.as_str(),
    floor_class = .floor.class.as_str(),
    rule = .floor.rule.describe(),
    days = .floor.days_overdue
)]
pub struct BelowFloor {
    pub floor: Floor,
    pub requested: RiskClass,
}

impl BelowFloor {
    /// The refusal as a field error (code `below_floor`) on `field`.
    pub fn to_field_error(&self, field: &str) -> FieldError {
        FieldError::new(field, "below_floor", self.to_string())
    }
}

/// The class of a loan: the lender's `override_class` when it is at or worse than the floor, the
/// floor without one; an override better than the floor is refused, naming the floor and its rule.
pub fn classify(floor: Floor, override_class: Option<RiskClass>) -> Result<RiskClass, BelowFloor> {
    match override_class {
        None => Ok(floor.class),
        Some(requested) if requested >= floor.class => Ok(requested),
        Some(requested) => Err(BelowFloor { floor, requested }),
    }
}

/// Loan balances by class, in fen (sums of many loans: `i128`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClassBalances {
    pub normal_fen: i128,
    pub special_mention_fen: i128,
    pub substandard_fen: i128,
    pub doubtful_fen: i128,
    pub loss_fen: i128,
}

impl ClassBalances {
    /// Adds one loan's balance (negative balances count as zero).
    pub fn add(&mut self, class: RiskClass, balance_fen: i64) {
        let balance = i128::from(balance_fen.max(0));
        let slot = match class {
            RiskClass::Normal => &mut self.normal_fen,
            RiskClass::SpecialMention => &mut self.special_mention_fen,
            RiskClass::Substandard => &mut self.substandard_fen,
            RiskClass::Doubtful => &mut self.doubtful_fen,
            RiskClass::Loss => &mut self.loss_fen,
        };
        *slot = slot.saturating_add(balance);
    }

    /// Substandard + doubtful + loss.
    pub fn npl_fen(&self) -> i128 {
        self.substandard_fen + self.doubtful_fen + self.loss_fen
    }

    /// Every class.
    pub fn total_fen(&self) -> i128 {
        self.normal_fen + self.special_mention_fen + self.npl_fen()
    }

    /// NPL ÷ total in basis points, rounded half up (`None` when there is no balance).
    pub fn npl_ratio_bp(&self) -> Option<i64> {
        let total = self.total_fen();
        if total <= 0 {
            return None;
        }
        let bp = super::money::div_half_up(self.npl_fen() * 10_000, total);
        i64::try_from(bp).ok()
    }

    /// NPL ÷ total as a fraction (0.0123 for 1.23 %), exact to 28 significant digits (`None`
    /// when there is no balance).
    pub fn npl_ratio(&self) -> Option<Decimal> {
        let total = Decimal::try_from_i128_with_scale(self.total_fen(), 0).ok()?;
        let npl = Decimal::try_from_i128_with_scale(self.npl_fen(), 0).ok()?;
        npl.checked_div(total)
    }
}

impl FromIterator<(RiskClass, i64)> for ClassBalances {
    fn from_iter<I: IntoIterator<Item = (RiskClass, i64)>>(loans: I) -> Self {
        let mut balances = ClassBalances::default();
        for (class, balance_fen) in loans {
            balances.add(class, balance_fen);
        }
        balances
    }
}

/// The NPL ratio in basis points of loans given as (class, balance in fen).
pub fn npl_ratio_bp(loans: &[(RiskClass, i64)]) -> Option<i64> {
    loans
        .iter()
        .copied()
        .collect::<ClassBalances>()
        .npl_ratio_bp()
}

/// The NPL ratio as an exact fraction of loans given as (class, balance in fen).
pub fn npl_ratio(loans: &[(RiskClass, i64)]) -> Option<Decimal> {
    loans.iter().copied().collect::<ClassBalances>().npl_ratio()
}
