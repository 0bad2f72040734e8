//! The automated valuation (V3) on a patent's page (`/rights/{number}`, section `#avm`): the range
//! in yuan exact from the fen, the confidence, the score and its three dimensions, and what each
//! indicator contributes in the page's language, for the purpose chosen with `?avm_purpose=`.
//! Non-patents have no section; a valuation that fails shows a muted line, never an error page.
//! Also the shapers the portfolio page shares, and the pages' stylesheet `/assets/avm.css`.

use super::pledge_views::yuan;
use super::views::{path_segment, share_percent};
use crate::state::AppState;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;
use ipyun_app::Principal;
use ipyun_app::avm::AutomatedValuation;
use ipyun_domain::account::Lang;
use ipyun_domain::avm::{Contribution, Dimension, Purpose};
use serde::{Deserialize, Serialize};

/// The automated-valuation and portfolio pages' styles.
pub const AVM_CSS: &str = include_str!("../../assets/avm.css");

/// `GET /assets/avm.css`.
pub async fn avm_css() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        AVM_CSS,
    )
}

/// The right page's query: the automated valuation's purpose.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AvmQuery {
    pub avm_purpose: Option<String>,
}

/// A purpose as a form sends it; anything unknown (or nothing) means pledge.
pub fn purpose_of(raw: Option<&str>) -> Purpose {
    raw.map(str::trim)
        .filter(|text| !text.is_empty())
        .and_then(|text| Purpose::parse(text).ok())
        .unwrap_or(Purpose::Pledge)
}

#[derive(Debug, Clone, Serialize)]
pub struct PurposeOption {
    pub code: &'static str,
    pub selected: bool,
}

/// The purposes of the selector, `chosen` selected.
pub fn purpose_options(chosen: Purpose) -> Vec<PurposeOption> {
    Purpose::ALL
        .into_iter()
        .map(|purpose| PurposeOption {
            code: purpose.as_str(),
            selected: purpose == chosen,
        })
        .collect()
}

/// A score in basis points of the full score as points out of 100: `6789` → `67.89`.
pub fn points(score_bp: u32) -> String {
    format!("{}.{:02}", score_bp / 100, score_bp % 100)
}

/// A change in basis points as a signed percentage: `812` → `+8.12%`, `-340` → `-3.40%`.
pub fn signed_percent(effect_bp: i64) -> String {
    let magnitude = u32::try_from(effect_bp.unsigned_abs()).unwrap_or(u32::MAX);
    let sign = match effect_bp.signum() {
        1 => "+",
        -1 => "-",
        _ => "",
    };
    format!("{sign}{}", share_percent(magnitude))
}

fn code_of(value: &impl Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|found| found.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[derive(Debug, Clone, Serialize)]
pub struct DimensionRow {
    pub code: String,
    pub score: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContributionRow {
    pub indicator: String,
    pub name: &'static str,
    pub dimension: String,
    pub weight: String,
    pub score: String,
    pub known: bool,
    pub effect: String,
    /// `up`, `down` or `flat`: how the indicator moves the value.
    pub direction: &'static str,
    pub text: String,
}

impl ContributionRow {
    fn new(contribution: &Contribution, lang: Lang) -> Self {
        let indicator = contribution.indicator;
        let (name, text) = match lang {
            Lang::ZhCn => (indicator.name_zh(), contribution.text_zh.clone()),
            Lang::En => (indicator.name_en(), contribution.text_en.clone()),
        };
        ContributionRow {
            indicator: code_of(&indicator),
            name,
            dimension: code_of(&contribution.dimension),
            weight: share_percent(contribution.weight_bp),
            score: points(contribution.score_bp),
            known: contribution.known,
            effect: signed_percent(contribution.effect_bp),
            direction: match contribution.effect_bp.signum() {
                1 => "up",
                -1 => "down",
                _ => "flat",
            },
            text,
        }
    }
}

/// One patent's automated valuation as the pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct AvmShown {
    pub number: String,
    pub title: String,
    pub purpose: &'static str,
    /// Yuan to the fen, with thousands separators.
    pub low: String,
    pub mid: String,
    pub high: String,
    pub confidence: String,
    pub score: String,
    pub dimensions: Vec<DimensionRow>,
    pub contributions: Vec<ContributionRow>,
    pub model_version: String,
    pub valued_on: String,
}

impl AvmShown {
    pub fn new(valuation: &AutomatedValuation, lang: Lang) -> Self {
        AvmShown {
            number: valuation.number.clone(),
            title: valuation.title.clone(),
            purpose: valuation.purpose.as_str(),
            low: yuan(valuation.low_fen),
            mid: yuan(valuation.mid_fen),
            high: yuan(valuation.high_fen),
            confidence: share_percent(valuation.confidence_bp),
            score: points(valuation.score_bp),
            dimensions: Dimension::ALL
                .into_iter()
                .zip(valuation.dimension_scores_bp)
                .map(|(dimension, score_bp)| DimensionRow {
                    code: code_of(&dimension),
                    score: points(score_bp),
                })
                .collect(),
            contributions: valuation
                .contributions
                .iter()
                .map(|contribution| ContributionRow::new(contribution, lang))
                .collect(),
            model_version: valuation.model_version.clone(),
            valued_on: valuation.valued_on.to_string(),
        }
    }
}

/// The section of a patent's page.
#[derive(Debug, Clone, Serialize)]
pub struct AvmSection {
    /// The page itself: the purpose selector submits to it.
    pub action: String,
    pub purposes: Vec<PurposeOption>,
    /// `None` when the valuation could not be made (the page says so quietly).
    pub valuation: Option<AvmShown>,
    /// The portfolio page, starting from this patent.
    pub portfolio_href: String,
}

impl AvmSection {
    pub fn new(number: &str, purpose: Purpose, valuation: Option<AvmShown>) -> Self {
        AvmSection {
            action: format!("/rights/{}", path_segment(number)),
            purposes: purpose_options(purpose),
            valuation,
            portfolio_href: format!(
                "/portfolio-valuation?{}",
                serde_urlencoded::to_string([("numbers", number), ("purpose", purpose.as_str())])
                    .unwrap_or_default()
            ),
        }
    }
}

/// The section for patent `number`; a failure is logged and shown as "not available".
pub async fn section(
    state: &AppState,
    principal: &Principal,
    number: &str,
    query: &AvmQuery,
    lang: Lang,
) -> AvmSection {
    let purpose = purpose_of(query.avm_purpose.as_deref());
    let shown = match state
        .app
        .value_right_automatically(principal, number, purpose)
        .await
    {
        Ok(valuation) => Some(AvmShown::new(&valuation, lang)),
        Err(error) => {
            if error.kind == ipyun_app::ErrorKind::Internal {
                tracing::warn!(%error, number, "automated valuation failed");
            } else {
                tracing::debug!(%error, number, "no automated valuation");
            }
            None
        }
    };
    AvmSection::new(number, purpose, shown)
}

#[cfg(test)]
pub(super) mod samples {
    use super::*;
    use chrono::NaiveDate;
    use ipyun_domain::avm::{
        AvmModel, FieldStats, HolderProfile, IndicatorCounts, MODEL_VERSION, PatentIndicators,
    };
    use ipyun_domain::party::SizeClass;
    use ipyun_domain::right::{LegalStatus, RightKind};

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    /// A real valuation of an invention with indicators, by the domain's model.
    pub fn valuation(purpose: Purpose) -> AutomatedValuation {
        let valued_on = date("2026-11-23");
        let model = AvmModel::new(valued_on, FieldStats::new(valued_on));
        let patent = PatentIndicators {
            kind: RightKind::Invention,
            legal_status: LegalStatus::InForce,
            filing_date: date("2021-03-15"),
            grant_date: Some(date("2023-01-10")),
            expiry_date: None,
            field: None,
            royalty_bp: Some(450),
            counts: Some(IndicatorCounts {
                claims: 12,
                independent_claims: 2,
                family_size: 3,
                family_countries: 2,
                forward_citations: 6,
                backward_citations: 9,
                inventors: 4,
                licences: 1,
                transfers: 0,
                litigations: 0,
                invalidation_requests: 0,
            }),
            implemented: Some(true),
            holder_revenue_fen: Some(8_000_000_000),
            holder: Some(HolderProfile {
                size_class: Some(SizeClass::Small),
                specialised_sme: true,
                little_giant: false,
            }),
            pledges: 1,
        };
        let score = model.score(&patent, purpose);
        AutomatedValuation {
            number: "202110123456.7".into(),
            title: "一种固态电池电解质及其制备方法 <script>".into(),
            kind: RightKind::Invention,
            purpose,
            model_version: MODEL_VERSION.into(),
            valued_on,
            score_bp: score.score_bp,
            dimension_scores_bp: score.dimension_scores_bp,
            low_fen: score.low_fen,
            mid_fen: score.mid_fen,
            high_fen: score.high_fen,
            confidence_bp: score.confidence_bp,
            contributions: model.explain(&patent, purpose),
        }
    }

    #[test]
    fn shapers_are_exact() {
        assert_eq!(points(6_789), "67.89");
        assert_eq!(points(10_000), "100.00");
        assert_eq!(signed_percent(812), "+8.12%");
        assert_eq!(signed_percent(-340), "-3.40%");
        assert_eq!(signed_percent(0), "0.00%");
        assert_eq!(signed_percent(-10_000), "-100.00%");
        assert_eq!(purpose_of(Some(" licence ")), Purpose::Licence);
        assert_eq!(purpose_of(Some("转让")), Purpose::Transfer);
        assert_eq!(purpose_of(Some("bogus")), Purpose::Pledge);
        assert_eq!(purpose_of(None), Purpose::Pledge);
    }

    #[test]
    fn a_valuation_shows_its_range_to_the_fen_in_the_page_language() {
        let found = valuation(Purpose::Licence);
        let chinese = AvmShown::new(&found, Lang::ZhCn);
        assert_eq!(chinese.mid, yuan(found.mid_fen));
        assert_eq!(chinese.contributions.len(), 14);
        assert!(chinese.contributions[0].text.starts_with("法律状态："));
        assert_eq!(chinese.dimensions[0].code, "legal");
        let english = AvmShown::new(&found, Lang::En);
        assert!(english.contributions[0].text.starts_with("Legal status: "));
        assert_eq!(english.contributions[1].indicator, "remaining_term");
        let section = AvmSection::new("202110123456.7", Purpose::Licence, Some(english));
        assert_eq!(section.action, "/rights/202110123456.7");
        assert_eq!(
            section.portfolio_href,
            "/portfolio-valuation?numbers=202110123456.7&purpose=licence"
        );
        assert!(
            section
                .purposes
                .iter()
                .any(|option| option.selected && option.code == "licence")
        );
    }
}
