//! A screening result in words, Chinese first: each filter passed or failed with what the rule
//! asked and what the enterprise showed, each factor's contribution to the score.

use super::screening::{FactorContribution, FilterOutcome, ScreenFilter, Screened, history};
use super::screening_rules::{CreditGrade, Factor, IntegrityFlagKind, RuleSet};
use crate::party::SizeClass;
use serde::{Deserialize, Serialize};

/// A filter in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WordedFilter {
    pub filter: ScreenFilter,
    pub passed: bool,
    pub zh: String,
    pub en: String,
}

/// A factor's contribution in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WordedFactor {
    pub factor: Factor,
    pub value_bp: u32,
    pub weight_bp: u32,
    pub contribution_bp: u32,
    pub zh: String,
    pub en: String,
}

/// Why an enterprise ranks where it does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ScreeningExplanation {
    pub summary_zh: String,
    pub summary_en: String,
    pub filters: Vec<WordedFilter>,
    pub factors: Vec<WordedFactor>,
}

/// Basis points as points out of 100 with two decimals: 7,350 → "73.50".
pub fn bp_points(bp: u32) -> String {
    format!("{}.{:02}", bp / 100, bp % 100)
}

/// Fen as yuan with two decimals, exactly: 123,456 → "1234.56".
pub fn yuan_text(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

fn grade_text(rank: i64) -> &'static str {
    CreditGrade::ALL
        .iter()
        .find(|grade| **grade as i64 == rank)
        .map_or("无", |grade| grade.as_str())
}

fn flags(bits: i64, zh: bool) -> String {
    let names: Vec<&str> = IntegrityFlagKind::ALL
        .iter()
        .filter(|flag| bits & i64::from(flag.bit()) != 0)
        .map(|flag| if zh { flag.label_zh() } else { flag.label_en() })
        .collect();
    names.join(if zh { "、" } else { ", " })
}

fn size_zh(size: SizeClass) -> &'static str {
    match size {
        SizeClass::Large => "大型",
        SizeClass::Medium => "中型",
        SizeClass::Small => "小型",
        SizeClass::Micro => "微型",
    }
}

fn size_of(code: i64) -> Option<SizeClass> {
    SizeClass::ALL
        .iter()
        .copied()
        .find(|size| *size as i64 == code)
}

fn mark(passed: bool) -> (&'static str, &'static str) {
    if passed {
        ("通过", "passed")
    } else {
        ("未通过", "failed")
    }
}

fn word_filter(rules: &RuleSet, outcome: &FilterOutcome) -> WordedFilter {
    let filters = &rules.filters;
    let found = outcome.found;
    let (zh, en) = match outcome.filter {
        ScreenFilter::MinLiveInventions => {
            let min = filters.min_live_inventions.unwrap_or_default();
            (
                format!("有效发明专利不少于{min}件：实有{found}件"),
                format!("at least {min} invention patents in force: {found}"),
            )
        }
        ScreenFilter::MinLiveRights => {
            let min = filters.min_live_rights.unwrap_or_default();
            (
                format!("有效知识产权不少于{min}件：实有{found}件"),
                format!("at least {min} live IP rights: {found}"),
            )
        }
        ScreenFilter::MinValuation => {
            let min = yuan_text(filters.min_valuation_fen.unwrap_or_default());
            (
                format!("知识产权评估价值不低于{min}元：实为{}元", yuan_text(found)),
                format!("valuation at least {min} yuan: {} yuan", yuan_text(found)),
            )
        }
        ScreenFilter::RequiredDesignations => {
            let wanted: Vec<&str> = filters
                .required_designations
                .iter()
                .map(|designation| designation.as_str())
                .collect();
            let (held_zh, held_en) = match found {
                3 => ("专精特新“小巨人”", "little giant"),
                1 => ("专精特新中小企业", "specialised SME"),
                _ => ("无", "none"),
            };
            (
                format!("须具备资质（{}）：企业资质为{held_zh}", wanted.join("、")),
                format!("designations required ({}): {held_en}", wanted.join(", ")),
            )
        }
        ScreenFilter::ExcludedSizeClasses => {
            let excluded_zh: Vec<&str> = filters
                .excluded_size_classes
                .iter()
                .map(|size| size_zh(*size))
                .collect();
            let excluded_en: Vec<&str> = filters
                .excluded_size_classes
                .iter()
                .map(|size| size.as_str())
                .collect();
            let size = size_of(found);
            (
                format!(
                    "不含{}企业：企业规模为{}",
                    excluded_zh.join("、"),
                    size.map_or("未知", size_zh)
                ),
                format!(
                    "size class not {}: {}",
                    excluded_en.join(", "),
                    size.map_or("unknown", SizeClass::as_str)
                ),
            )
        }
        ScreenFilter::NoCurrentOverdue => {
            if found == 0 {
                ("无当前逾期".into(), "nothing overdue now".into())
            } else {
                (
                    format!("存在当前逾期：已逾期{found}天"),
                    format!("a loan is overdue now: {found} days"),
                )
            }
        }
        ScreenFilter::NoLossWithin => {
            let years = filters.no_loss_within_years.unwrap_or_default();
            if found < 0 {
                (
                    format!("近{years}年无损失类贷款：从无"),
                    format!("no loss-class loan within {years} years: never"),
                )
            } else {
                (
                    format!("近{years}年无损失类贷款：{found}天前曾有贷款划为损失类"),
                    format!("no loss-class loan within {years} years: one {found} days ago"),
                )
            }
        }
        ScreenFilter::NoActiveFlags => {
            let excluded = filters
                .excluded_flags
                .iter()
                .fold(0_i64, |bits, flag| bits | i64::from(flag.bit()));
            if found == 0 {
                (
                    format!("无{}记录", flags(excluded, true)),
                    format!("no {} in force", flags(excluded, false)),
                )
            } else {
                (
                    format!("存在{}记录", flags(found, true)),
                    format!("flagged in force: {}", flags(found, false)),
                )
            }
        }
        ScreenFilter::MinTaxGrade => {
            let min = filters.min_tax_grade.map_or("", CreditGrade::as_str);
            (
                format!("纳税信用等级不低于{min}级：实为{}", grade_text(found)),
                format!(
                    "tax-credit grade at least {min}: {}",
                    if found < 0 { "none" } else { grade_text(found) }
                ),
            )
        }
        ScreenFilter::Regions => (
            format!(
                "注册地在{}范围内：{}",
                filters.regions.join("、"),
                if found == 1 { "是" } else { "否" }
            ),
            format!(
                "registered in {}: {}",
                filters.regions.join(", "),
                if found == 1 { "yes" } else { "no" }
            ),
        ),
    };
    let (mark_zh, mark_en) = mark(outcome.passed);
    WordedFilter {
        filter: outcome.filter,
        passed: outcome.passed,
        zh: format!("【{mark_zh}】{zh}"),
        en: format!("[{mark_en}] {en}"),
    }
}

fn factor_input(contribution: &FactorContribution) -> (String, String) {
    let input = contribution.input;
    match contribution.factor {
        Factor::InventionPatents | Factor::IpPortfolio => {
            (format!("{input}件"), format!("{input}"))
        }
        Factor::Valuation => (
            format!("{}元", yuan_text(input)),
            format!("{} yuan", yuan_text(input)),
        ),
        Factor::RightHealth => (
            format!("{}%状态正常", bp_points(u32::try_from(input).unwrap_or(0))),
            format!("{}% clean", bp_points(u32::try_from(input).unwrap_or(0))),
        ),
        Factor::Designation => match input {
            2 => ("专精特新“小巨人”".into(), "little giant".into()),
            1 => ("专精特新中小企业".into(), "specialised SME".into()),
            _ => ("无资质".into(), "none".into()),
        },
        Factor::SizeClass => size_of(input)
            .map_or(("规模未知".into(), "unknown".into()), |size| {
                (format!("{}企业", size_zh(size)), size.as_str().into())
            }),
        Factor::RepaymentHistory => match input {
            history::OVERDUE_NOW => ("当前逾期".into(), "overdue now".into()),
            history::RECENT_NPL => (
                "近五年曾有不良贷款".into(),
                "non-performing within 5 years".into(),
            ),
            history::EVER_OVERDUE => ("曾有逾期".into(), "overdue in the past".into()),
            history::NO_LOAN => ("无贷款记录".into(), "no loan".into()),
            _ => ("贷款从未逾期".into(), "never overdue".into()),
        },
        Factor::TaxGrade => {
            if input < 0 {
                ("无纳税信用等级".into(), "no grade".into())
            } else {
                (format!("{}级", grade_text(input)), grade_text(input).into())
            }
        }
        Factor::Integrity => {
            if input > 0 {
                (format!("存在{}", flags(input, true)), flags(input, false))
            } else if input < 0 {
                (
                    format!("曾有{}条已解除记录", -input),
                    format!("{} ended flags", -input),
                )
            } else {
                ("无失信记录".into(), "no flag".into())
            }
        }
    }
}

fn word_factor(contribution: &FactorContribution) -> WordedFactor {
    let (input_zh, input_en) = factor_input(contribution);
    let factor = contribution.factor;
    WordedFactor {
        factor,
        value_bp: contribution.value_bp,
        weight_bp: contribution.weight_bp,
        contribution_bp: contribution.contribution_bp,
        zh: format!(
            "{}（{input_zh}）：得分{}，权重{}%，贡献{}分",
            factor.label_zh(),
            bp_points(contribution.value_bp),
            bp_points(contribution.weight_bp),
            bp_points(contribution.contribution_bp)
        ),
        en: format!(
            "{} ({input_en}): {} of 100, weight {}%, contributes {}",
            factor.label_en(),
            bp_points(contribution.value_bp),
            bp_points(contribution.weight_bp),
            bp_points(contribution.contribution_bp)
        ),
    }
}

impl Screened {
    /// The result in words, under the rule set it was screened by.
    pub fn explain(&self, rules: &RuleSet) -> ScreeningExplanation {
        let filters: Vec<WordedFilter> = self
            .filters
            .iter()
            .map(|outcome| word_filter(rules, outcome))
            .collect();
        let factors = self.factors.iter().map(word_factor).collect();
        let failed = filters.iter().filter(|filter| !filter.passed).count();
        let (summary_zh, summary_en) = if self.passed {
            (
                format!(
                    "第{}名，综合得分{}，通过全部{}项准入条件，预授信额度{}元",
                    self.rank,
                    bp_points(self.score_bp),
                    filters.len(),
                    yuan_text(self.pre_approved_fen)
                ),
                format!(
                    "rank {}, score {}, passed all {} filters, pre-approved {} yuan",
                    self.rank,
                    bp_points(self.score_bp),
                    filters.len(),
                    yuan_text(self.pre_approved_fen)
                ),
            )
        } else {
            (
                format!(
                    "第{}名，综合得分{}，{}项准入条件未通过，不予预授信",
                    self.rank,
                    bp_points(self.score_bp),
                    failed
                ),
                format!(
                    "rank {}, score {}, failed {failed} filter(s): not pre-approved",
                    self.rank,
                    bp_points(self.score_bp)
                ),
            )
        };
        ScreeningExplanation {
            summary_zh,
            summary_en,
            filters,
            factors,
        }
    }
}
