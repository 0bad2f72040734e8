//! The indicator tree: 3 first-level dimensions, 14 second-level indicators, and their weights
//! for each purpose. Weights are basis points of the composite score; each purpose's 14 weights
//! sum to exactly 10,000 (a test checks it).

use serde::Serialize;

/// First-level indicators (一级指标) of GB/T 42748-2023.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Legal,
    Technical,
    Economic,
}

impl Dimension {
    pub const ALL: [Dimension; 3] = [Dimension::Legal, Dimension::Technical, Dimension::Economic];

    pub fn name_zh(self) -> &'static str {
        match self {
            Dimension::Legal => "法律价值",
            Dimension::Technical => "技术价值",
            Dimension::Economic => "经济价值",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Dimension::Legal => "legal value",
            Dimension::Technical => "technical value",
            Dimension::Economic => "economic value",
        }
    }

    pub(crate) fn index(self) -> usize {
        match self {
            Dimension::Legal => 0,
            Dimension::Technical => 1,
            Dimension::Economic => 2,
        }
    }
}

/// Second-level indicators (二级指标), in the tree's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    /// 法律状态: in force, late-fee period, pending invalidation, frozen, in dispute, pending grant.
    LegalStatus,
    /// 剩余保护期: years left as a share of the statutory term.
    RemainingTerm,
    /// 权利稳定性: examination, invalidation requests survived, litigation.
    Stability,
    /// 保护范围: claims and independent claims.
    Scope,
    /// 同族保护: family members and countries.
    Family,
    /// 技术先进性: forward citations per year of age, against the IPC field's average.
    Advancement,
    /// 技术成熟度: implemented in production or not.
    Maturity,
    /// 技术领域活跃度: the IPC field's share of recent filings against the register's.
    FieldActivity,
    /// 引用基础: backward citations (prior art considered).
    PriorArt,
    /// 研发投入: inventors.
    ResearchInput,
    /// 市场应用: licences granted.
    MarketUse,
    /// 权利人经营: the holder's size class and official designations.
    HolderStrength,
    /// 许可收益: the holder's revenue × the field's royalty rate.
    LicenceIncome,
    /// 交易活跃: transfers and pledges.
    Transactions,
}

/// How many second-level indicators there are.
pub const INDICATORS: usize = 14;

impl Indicator {
    pub const ALL: [Indicator; INDICATORS] = [
        Indicator::LegalStatus,
        Indicator::RemainingTerm,
        Indicator::Stability,
        Indicator::Scope,
        Indicator::Family,
        Indicator::Advancement,
        Indicator::Maturity,
        Indicator::FieldActivity,
        Indicator::PriorArt,
        Indicator::ResearchInput,
        Indicator::MarketUse,
        Indicator::HolderStrength,
        Indicator::LicenceIncome,
        Indicator::Transactions,
    ];

    pub fn dimension(self) -> Dimension {
        match self {
            Indicator::LegalStatus
            | Indicator::RemainingTerm
            | Indicator::Stability
            | Indicator::Scope
            | Indicator::Family => Dimension::Legal,
            Indicator::Advancement
            | Indicator::Maturity
            | Indicator::FieldActivity
            | Indicator::PriorArt
            | Indicator::ResearchInput => Dimension::Technical,
            Indicator::MarketUse
            | Indicator::HolderStrength
            | Indicator::LicenceIncome
            | Indicator::Transactions => Dimension::Economic,
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Indicator::LegalStatus => "法律状态",
            Indicator::RemainingTerm => "剩余保护期",
            Indicator::Stability => "权利稳定性",
            Indicator::Scope => "保护范围",
            Indicator::Family => "同族保护",
            Indicator::Advancement => "技术先进性",
            Indicator::Maturity => "技术成熟度",
            Indicator::FieldActivity => "技术领域活跃度",
            Indicator::PriorArt => "引用基础",
            Indicator::ResearchInput => "研发投入",
            Indicator::MarketUse => "市场应用",
            Indicator::HolderStrength => "权利人经营",
            Indicator::LicenceIncome => "许可收益",
            Indicator::Transactions => "交易活跃",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Indicator::LegalStatus => "Legal status",
            Indicator::RemainingTerm => "Remaining term",
            Indicator::Stability => "Stability",
            Indicator::Scope => "Scope of protection",
            Indicator::Family => "Patent family",
            Indicator::Advancement => "Advancement",
            Indicator::Maturity => "Maturity",
            Indicator::FieldActivity => "Field activity",
            Indicator::PriorArt => "Prior art considered",
            Indicator::ResearchInput => "Research input",
            Indicator::MarketUse => "Market use",
            Indicator::HolderStrength => "Holder's business",
            Indicator::LicenceIncome => "Licence income",
            Indicator::Transactions => "Transactions",
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// What a valuation is for: the weights differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// 质押融资: the value a lender may rely on as collateral.
    Pledge,
    /// 许可: the fee of a licence.
    Licence,
    /// 转让: the price of an assignment (sale, auction, acquisition).
    Transfer,
}

impl Purpose {
    pub const ALL: [Purpose; 3] = [Purpose::Pledge, Purpose::Licence, Purpose::Transfer];

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Pledge => "pledge",
            Purpose::Licence => "licence",
            Purpose::Transfer => "transfer",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Purpose::Pledge => "质押融资",
            Purpose::Licence => "许可",
            Purpose::Transfer => "转让",
        }
    }

    /// Parses the stored name (the same as `valuation::ValuationPurpose`'s), the Chinese one, or
    /// the older spellings `finance` and `licensing`.
    pub fn parse(raw: &str) -> Result<Purpose, crate::id::IdError> {
        let trimmed = raw.trim();
        let alias = match trimmed.to_ascii_lowercase().as_str() {
            "finance" => Some(Purpose::Pledge),
            "licensing" | "license" => Some(Purpose::Licence),
            _ => None,
        };
        alias
            .into_iter()
            .chain(Self::ALL.into_iter().filter(|purpose| {
                purpose.as_str().eq_ignore_ascii_case(trimmed) || purpose.name_zh() == trimmed
            }))
            .next()
            .ok_or_else(|| {
                crate::id::IdError::new(
                    "unknown_purpose",
                    format!("purpose should be pledge, licence or transfer; found {raw:?}"),
                )
            })
    }

    pub(crate) fn index(self) -> usize {
        match self {
            Purpose::Pledge => 0,
            Purpose::Licence => 1,
            Purpose::Transfer => 2,
        }
    }

    /// The weight of each indicator (in [`Indicator::ALL`] order), in basis points.
    pub fn weights_bp(self) -> &'static [u32; INDICATORS] {
        &WEIGHTS_BP[self.index()]
    }
}

/// Weights per purpose, in basis points, in [`Indicator::ALL`] order.
///
/// | indicator | pledge | licence | transfer |
/// |---|---|---|---|
/// | 法律状态 | 1000 | 700 | 800 |
/// | 剩余保护期 | 1200 | 800 | 1000 |
/// | 权利稳定性 | 1000 | 700 | 800 |
/// | 保护范围 | 700 | 500 | 600 |
/// | 同族保护 | 600 | 300 | 300 |
/// | **法律价值** | **4500** | **3000** | **3500** |
/// | 技术先进性 | 800 | 1200 | 1000 |
/// | 技术成熟度 | 700 | 1000 | 800 |
/// | 技术领域活跃度 | 400 | 600 | 500 |
/// | 引用基础 | 200 | 300 | 300 |
/// | 研发投入 | 400 | 400 | 400 |
/// | **技术价值** | **2500** | **3500** | **3000** |
/// | 市场应用 | 800 | 1300 | 1000 |
/// | 权利人经营 | 1200 | 400 | 500 |
/// | 许可收益 | 500 | 1200 | 800 |
/// | 交易活跃 | 500 | 600 | 1200 |
/// | **经济价值** | **3000** | **3500** | **3500** |
///
/// Finance leans on the legal dimension and on the holder (a lender needs an enforceable right that
/// lasts the loan, and a borrower who runs a business); licence on technology and licence
/// income (what a licensee pays for); transfer on market evidence, transactions above all.
const WEIGHTS_BP: [[u32; INDICATORS]; 3] = [
    [
        1000, 1200, 1000, 700, 600, 800, 700, 400, 200, 400, 800, 1200, 500, 500,
    ],
    [
        700, 800, 700, 500, 300, 1200, 1000, 600, 300, 400, 1300, 400, 1200, 600,
    ],
    [
        800, 1000, 800, 600, 300, 1000, 800, 500, 300, 400, 1000, 500, 800, 1200,
    ],
];
