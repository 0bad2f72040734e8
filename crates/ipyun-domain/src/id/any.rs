//! Validation by kind name, for `ipyun validate KIND` and `/api/v1/validate/{kind}`.

use super::{
    ApplicationNo, IdError, IndustryCode, IpcSymbol, NiceClass, RegionCode, TrademarkRegNo, Uscc,
};

/// The identifier kinds known by name.
pub const IDENTIFIER_KINDS: [&str; 7] = [
    "uscc",
    "application-no",
    "trademark-no",
    "region",
    "industry",
    "ipc",
    "nice",
];

/// A valid identifier: its normal form, and its official name for code tables (regions, industries).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validated {
    pub normal_form: String,
    pub name: Option<&'static str>,
}

/// Validates `value` as an identifier of `kind`; `None` when the kind is unknown.
pub fn validate_identifier(kind: &str, value: &str) -> Option<Result<Validated, IdError>> {
    let plain = |normal_form: &str| Validated {
        normal_form: normal_form.to_string(),
        name: None,
    };
    Some(match kind {
        "uscc" => Uscc::parse(value).map(|id| plain(id.as_str())),
        "application-no" => ApplicationNo::parse(value).map(|id| plain(id.as_str())),
        "trademark-no" => TrademarkRegNo::parse(value).map(|id| plain(id.as_str())),
        "region" => RegionCode::parse(value).map(|id| Validated {
            normal_form: id.as_str().to_string(),
            name: Some(id.name()),
        }),
        "industry" => IndustryCode::parse(value).map(|id| Validated {
            normal_form: id.as_str().to_string(),
            name: Some(id.name()),
        }),
        "ipc" => IpcSymbol::parse(value).map(|id| plain(id.as_str())),
        "nice" => NiceClass::parse(value).map(|id| plain(id.as_str())),
        _ => return None,
    })
}
