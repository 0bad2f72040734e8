//! The slow path: each indicator's contribution in words, Chinese and English.

use super::measure::{Fact, NEUTRAL_BP, measure};
use super::text::{
    grouped, per_year, percent, rate, signed_percent, times, times_en, years, yuan_en, yuan_zh,
};
use super::value::multiplier_bp;
use super::{AvmModel, Dimension, Indicator, PatentIndicators, Purpose};
use crate::party::SizeClass;
use crate::right::LegalStatus;
use serde::Serialize;

/// One indicator's part in a valuation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Contribution {
    pub indicator: Indicator,
    pub dimension: Dimension,
    pub weight_bp: u32,
    /// The indicator's score, basis points of its full score.
    pub score_bp: u32,
    /// Whether the indicator had data (otherwise it scored the neutral 5,000).
    pub known: bool,
    /// The change in value this indicator makes against the neutral level, basis points
    /// (+812 = the value is 8.12% higher than with this indicator at 50 points).
    pub effect_bp: i64,
    /// E.g. `剩余保护期：剩余 12.3 年，为法定保护期 20 年的 62%（+8.1%）`.
    pub text_zh: String,
    pub text_en: String,
}

pub(crate) fn explain(
    model: &AvmModel,
    patent: &PatentIndicators,
    purpose: Purpose,
) -> Vec<Contribution> {
    if !patent.kind.is_patent() {
        return Vec::new();
    }
    if patent.legal_status.is_terminal() {
        let indicator = Indicator::LegalStatus;
        let status = patent.legal_status;
        return vec![Contribution {
            indicator,
            dimension: indicator.dimension(),
            weight_bp: purpose.weights_bp()[indicator.index()],
            score_bp: 0,
            known: true,
            effect_bp: -10_000,
            text_zh: format!(
                "法律状态：专利权已终止（{}），不再具有权利价值（-100.0%）",
                status_zh(status)
            ),
            text_en: format!(
                "Legal status: the patent has ended ({}) and has no value as a right (-100.0%)",
                status_en(status)
            ),
        }];
    }
    let totals = model.totals(patent, purpose);
    let weights = purpose.weights_bp();
    let with_all = i128::from(multiplier_bp(
        u32::try_from(totals.weighted_score / 10_000).unwrap_or(10_000),
    ));
    Indicator::ALL
        .into_iter()
        .map(|indicator| {
            let measured = measure(model, patent, indicator);
            let weight = weights[indicator.index()];
            let neutral_total = totals.weighted_score
                - u64::from(weight) * u64::from(measured.score_bp)
                + u64::from(weight) * u64::from(NEUTRAL_BP);
            let without = i128::from(multiplier_bp(
                u32::try_from(neutral_total / 10_000).unwrap_or(10_000),
            ));
            let difference = (with_all - without) * 10_000;
            let half = without.max(1) / 2;
            let effect = if difference >= 0 {
                (difference + half) / without.max(1)
            } else {
                (difference - half) / without.max(1)
            };
            let effect_bp = i64::try_from(effect).unwrap_or(0);
            let (fact_zh, fact_en) = words(indicator, measured.fact, measured.known_bp);
            Contribution {
                indicator,
                dimension: indicator.dimension(),
                weight_bp: weight,
                score_bp: measured.score_bp,
                known: measured.known_bp > 0,
                effect_bp,
                text_zh: format!(
                    "{}：{fact_zh}（{}）",
                    indicator.name_zh(),
                    signed_percent(effect_bp)
                ),
                text_en: format!(
                    "{}: {fact_en} ({})",
                    indicator.name_en(),
                    signed_percent(effect_bp)
                ),
            }
        })
        .collect()
}

fn status_zh(status: LegalStatus) -> &'static str {
    match status {
        LegalStatus::NotYetGranted => "尚未授权，申请审查中",
        LegalStatus::InForce => "专利权有效",
        LegalStatus::LateFeePeriod => "年费滞纳期内，存在失效风险",
        LegalStatus::LapsedUnpaidFee => "未缴年费终止",
        LegalStatus::Expired => "期限届满",
        LegalStatus::Invalidated => "被宣告无效",
        LegalStatus::InvalidationPending => "无效宣告请求审查中",
        LegalStatus::Preserved => "已被法院保全（冻结）",
        LegalStatus::OwnershipDispute => "权属纠纷，程序中止",
    }
}

fn status_en(status: LegalStatus) -> &'static str {
    match status {
        LegalStatus::NotYetGranted => "not yet granted, under examination",
        LegalStatus::InForce => "in force",
        LegalStatus::LateFeePeriod => "annual fee overdue: it may lapse",
        LegalStatus::LapsedUnpaidFee => "lapsed for an unpaid annual fee",
        LegalStatus::Expired => "expired",
        LegalStatus::Invalidated => "invalidated",
        LegalStatus::InvalidationPending => "an invalidation request is pending",
        LegalStatus::Preserved => "frozen by a court",
        LegalStatus::OwnershipDispute => "suspended for an ownership dispute",
    }
}

fn size_zh(size: Option<SizeClass>) -> &'static str {
    match size {
        Some(SizeClass::Large) => "大型企业",
        Some(SizeClass::Medium) => "中型企业",
        Some(SizeClass::Small) => "小型企业",
        Some(SizeClass::Micro) => "微型企业",
        None => "规模未登记的企业",
    }
}

fn size_en(size: Option<SizeClass>) -> &'static str {
    match size {
        Some(SizeClass::Large) => "a large enterprise",
        Some(SizeClass::Medium) => "a medium enterprise",
        Some(SizeClass::Small) => "a small enterprise",
        Some(SizeClass::Micro) => "a micro enterprise",
        None => "an enterprise of unrecorded size",
    }
}

/// The measured fact in words (without the indicator's name and effect).
fn words(indicator: Indicator, fact: Fact, known_bp: u32) -> (String, String) {
    match fact {
        Fact::Unknown => (
            "暂无数据，按中性水平计".into(),
            "no data: scored at the neutral level".into(),
        ),
        Fact::Status(status) => (status_zh(status).into(), status_en(status).into()),
        Fact::Term {
            remaining_days,
            term_days,
        } => {
            let share = u64::try_from(remaining_days * 10_000 / term_days.max(1)).unwrap_or(0);
            let term_years = (term_days + 182) / 365;
            (
                format!(
                    "剩余 {} 年，为法定保护期 {term_years} 年的 {}",
                    years(remaining_days),
                    percent(share)
                ),
                format!(
                    "{} years left, {} of the {term_years}-year term",
                    years(remaining_days),
                    percent(share)
                ),
            )
        }
        Fact::Stability {
            examined,
            granted,
            invalidations,
            litigations,
        } => stability_words(examined, granted, invalidations, litigations, known_bp),
        Fact::Claims {
            claims,
            independent,
        } => (
            format!("权利要求 {claims} 项，其中独立权利要求 {independent} 项"),
            format!("{claims} claims, {independent} independent"),
        ),
        Fact::DesignScope => (
            "外观设计以图片或照片限定保护范围，按中性水平计".into(),
            "a design is defined by its drawings: scored at the neutral level".into(),
        ),
        Fact::Family { size, countries } => (
            format!("同族 {size} 件，覆盖 {countries} 个国家或地区"),
            format!("a family of {size} in {countries} countries or regions"),
        ),
        Fact::Citations {
            forward,
            age_years,
            ratio_bp,
            field,
        } => {
            let (field_zh, field_en) = match field {
                Some(key) => (
                    format!("同领域（{}）平均", key.as_str()),
                    format!("the {} field's average", key.as_str()),
                ),
                None => ("全库平均".to_string(), "the register's average".to_string()),
            };
            let rate_per_year = per_year(u64::from(forward), age_years);
            (
                format!(
                    "被引 {forward} 次，年均 {rate_per_year} 次，为{field_zh}的 {} 倍",
                    times(ratio_bp)
                ),
                format!(
                    "cited {forward} times, {rate_per_year} a year, {}× {field_en}",
                    times(ratio_bp)
                ),
            )
        }
        Fact::Implemented(true) => (
            "已实施（产业化）".into(),
            "implemented in production".into(),
        ),
        Fact::Implemented(false) => ("尚未实施".into(), "not implemented".into()),
        Fact::Activity { field, ratio_bp } => (
            format!(
                "{} 领域近三年申请占比为全库的 {} 倍",
                field.as_str(),
                times(ratio_bp)
            ),
            format!(
                "the {} field's share of the last three years' filings is {}× the register's",
                field.as_str(),
                times(ratio_bp)
            ),
        ),
        Fact::Count(count) => count_words(indicator, count),
        Fact::Holder(profile) => {
            let designation_zh = if profile.little_giant {
                "，专精特新“小巨人”"
            } else if profile.specialised_sme {
                "，专精特新中小企业"
            } else {
                ""
            };
            let designation_en = if profile.little_giant {
                ", a specialised “little giant”"
            } else if profile.specialised_sme {
                ", a specialised SME"
            } else {
                ""
            };
            (
                format!("权利人为{}{designation_zh}", size_zh(profile.size_class)),
                format!("held by {}{designation_en}", size_en(profile.size_class)),
            )
        }
        Fact::Income {
            revenue_fen,
            royalty_bp,
            income_fen,
        } => (
            format!(
                "权利人年营业收入 {} × 行业许可费率 {} ≈ {}/年",
                yuan_zh(revenue_fen),
                rate(royalty_bp),
                yuan_zh(income_fen)
            ),
            format!(
                "holder's revenue {} × industry royalty {} ≈ {} a year",
                yuan_en(revenue_fen),
                rate(royalty_bp),
                yuan_en(income_fen)
            ),
        ),
        Fact::Transactions { transfers, pledges } => {
            let transfers_zh = transfers.map_or("转让次数未知".to_string(), |count| {
                format!("转让 {count} 次")
            });
            let transfers_en = transfers.map_or("transfers unknown".to_string(), |count| {
                format!("transferred {}", times_en(count))
            });
            (
                format!("{transfers_zh}，质押 {pledges} 次"),
                format!("{transfers_en}, pledged {}", times_en(pledges)),
            )
        }
    }
}

fn stability_words(
    examined: bool,
    granted: bool,
    invalidations: Option<u32>,
    litigations: Option<u32>,
    known_bp: u32,
) -> (String, String) {
    if !granted {
        return (
            "尚未授权，权利尚不稳定".into(),
            "not granted yet: the right is not settled".into(),
        );
    }
    let mut zh = String::from(if examined {
        "发明专利经实质审查"
    } else {
        "实用新型或外观设计未经实质审查"
    });
    let mut en = String::from(if examined {
        "an invention granted after substantive examination"
    } else {
        "a utility model or design registered without substantive examination"
    });
    if known_bp == 0 || invalidations.is_none() {
        zh.push_str("；无效与诉讼记录未知");
        en.push_str("; invalidation and litigation records unknown");
        return (zh, en);
    }
    let invalidations = invalidations.unwrap_or(0);
    let litigations = litigations.unwrap_or(0);
    if invalidations > 0 {
        zh.push_str(&format!("；经 {invalidations} 次无效宣告请求"));
        en.push_str(&format!("; faced {invalidations} invalidation request(s)"));
    } else {
        zh.push_str("；无无效宣告记录");
        en.push_str("; never challenged");
    }
    if litigations > 0 {
        zh.push_str(&format!("；涉诉 {litigations} 次"));
        en.push_str(&format!("; litigated {}", times_en(litigations)));
    }
    (zh, en)
}

fn count_words(indicator: Indicator, count: u32) -> (String, String) {
    match indicator {
        Indicator::PriorArt => (
            format!("引用在先文献 {count} 篇"),
            format!("cites {count} prior documents"),
        ),
        Indicator::ResearchInput => (format!("发明人 {count} 名"), format!("{count} inventor(s)")),
        Indicator::MarketUse if count == 0 => ("尚无许可记录".into(), "no licence recorded".into()),
        Indicator::MarketUse => (
            format!("已许可 {count} 次"),
            format!("licensed {}", times_en(count)),
        ),
        _ => (grouped(i64::from(count)), grouped(i64::from(count))),
    }
}
