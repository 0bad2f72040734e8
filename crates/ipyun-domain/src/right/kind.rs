use crate::id::{
    ApplicationNo, IcLayoutNo, IdError, PatentKindDigit, SoftwareCopyrightNo, TrademarkRegNo,
};
use serde::{Deserialize, Serialize};

/// Every pledgeable kind of IP right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RightKind {
    Invention,
    UtilityModel,
    Design,
    Trademark,
    SoftwareCopyright,
    IcLayout,
}

impl RightKind {
    pub const ALL: [RightKind; 6] = [
        RightKind::Invention,
        RightKind::UtilityModel,
        RightKind::Design,
        RightKind::Trademark,
        RightKind::SoftwareCopyright,
        RightKind::IcLayout,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RightKind::Invention => "invention",
            RightKind::UtilityModel => "utility_model",
            RightKind::Design => "design",
            RightKind::Trademark => "trademark",
            RightKind::SoftwareCopyright => "software_copyright",
            RightKind::IcLayout => "ic_layout",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let normal = raw.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == normal)
            .ok_or_else(|| {
                IdError::new(
                    "unknown_kind",
                    format!(
                        "right kind should be one of invention, utility_model, design, trademark, software_copyright, ic_layout; found {raw:?}"
                    ),
                )
            })
    }

    pub fn is_patent(self) -> bool {
        matches!(
            self,
            RightKind::Invention | RightKind::UtilityModel | RightKind::Design
        )
    }
}

/// The number that identifies a right within its kind, parsed by the kind's rules.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RightNumber {
    Patent(ApplicationNo),
    Trademark(TrademarkRegNo),
    SoftwareCopyright(SoftwareCopyrightNo),
    IcLayout(IcLayoutNo),
}

impl RightNumber {
    /// Parses `raw` as the number of a right of `kind`; a patent number must carry the kind's digit.
    pub fn parse(kind: RightKind, raw: &str) -> Result<Self, IdError> {
        match kind {
            RightKind::Invention | RightKind::UtilityModel | RightKind::Design => {
                let number = ApplicationNo::parse(raw)?;
                let digit_kind = match number.kind_digit() {
                    PatentKindDigit::Invention | PatentKindDigit::PctInvention => {
                        RightKind::Invention
                    }
                    PatentKindDigit::UtilityModel | PatentKindDigit::PctUtilityModel => {
                        RightKind::UtilityModel
                    }
                    PatentKindDigit::Design => RightKind::Design,
                };
                if digit_kind != kind {
                    return Err(IdError::new(
                        "kind_mismatch",
                        format!(
                            "application number {} is a {} number, not a {} one",
                            number.as_str(),
                            digit_kind.as_str(),
                            kind.as_str()
                        ),
                    ));
                }
                Ok(RightNumber::Patent(number))
            }
            RightKind::Trademark => TrademarkRegNo::parse(raw).map(RightNumber::Trademark),
            RightKind::SoftwareCopyright => {
                SoftwareCopyrightNo::parse(raw).map(RightNumber::SoftwareCopyright)
            }
            RightKind::IcLayout => IcLayoutNo::parse(raw).map(RightNumber::IcLayout),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            RightNumber::Patent(number) => number.as_str(),
            RightNumber::Trademark(number) => number.as_str(),
            RightNumber::SoftwareCopyright(number) => number.as_str(),
            RightNumber::IcLayout(number) => number.as_str(),
        }
    }
}
