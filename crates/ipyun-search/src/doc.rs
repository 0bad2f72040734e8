//! The patent record the index takes (`PatentDoc`) and its validation into normal forms.

use chrono::NaiveDate;
use ipyun_domain::id::{ApplicationNo, IpcSymbol, RegionCode};
use ipyun_domain::right::{LegalStatus, RightKind};
use serde::{Deserialize, Serialize};

use crate::error::SearchError;

/// The three kinds of patent, named as `ipyun_domain::right::RightKind` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PatentKind {
    Invention,
    UtilityModel,
    Design,
}

impl PatentKind {
    pub const ALL: [PatentKind; 3] = [
        PatentKind::Invention,
        PatentKind::UtilityModel,
        PatentKind::Design,
    ];

    pub fn as_str(self) -> &'static str {
        RightKind::from(self).as_str()
    }

    /// The code kept in the index's `kind` column (1, 2, 3: the application number's kind digit).
    pub(crate) fn code(self) -> u64 {
        match self {
            PatentKind::Invention => 1,
            PatentKind::UtilityModel => 2,
            PatentKind::Design => 3,
        }
    }

    pub(crate) fn from_code(code: u64) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// `invention`, `utility_model`, `design` (also `utility-model`) or 发明, 实用新型, 外观设计.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "发明" => return Some(PatentKind::Invention),
            "实用新型" => return Some(PatentKind::UtilityModel),
            "外观设计" | "外观" => return Some(PatentKind::Design),
            _ => {}
        }
        let kind = RightKind::parse(raw).ok()?;
        PatentKind::try_from(kind).ok()
    }
}

impl From<PatentKind> for RightKind {
    fn from(kind: PatentKind) -> Self {
        match kind {
            PatentKind::Invention => RightKind::Invention,
            PatentKind::UtilityModel => RightKind::UtilityModel,
            PatentKind::Design => RightKind::Design,
        }
    }
}

impl TryFrom<RightKind> for PatentKind {
    type Error = RightKind;
    fn try_from(kind: RightKind) -> Result<Self, RightKind> {
        match kind {
            RightKind::Invention => Ok(PatentKind::Invention),
            RightKind::UtilityModel => Ok(PatentKind::UtilityModel),
            RightKind::Design => Ok(PatentKind::Design),
            other => Err(other),
        }
    }
}

/// The index code of a legal status: its place in `LegalStatus::ALL`, plus one.
pub(crate) fn status_code(status: LegalStatus) -> u64 {
    LegalStatus::ALL
        .iter()
        .position(|known| *known == status)
        .map_or(0, |index| index as u64 + 1)
}

pub(crate) fn status_from_code(code: u64) -> Option<LegalStatus> {
    let index = usize::try_from(code).ok()?.checked_sub(1)?;
    LegalStatus::ALL.get(index).copied()
}

/// One patent as the index takes it. Field names are the snake_case names of the search issue;
/// `claims` holds the first claim first (and the other claims when known).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatentDoc {
    pub application_no: String,
    pub kind: PatentKind,
    pub title: String,
    #[serde(rename = "abstract", default)]
    pub abstract_text: String,
    #[serde(default)]
    pub claims: Vec<String>,
    #[serde(default)]
    pub applicants: Vec<String>,
    #[serde(default)]
    pub inventors: Vec<String>,
    /// The first applicant's GB/T 2260 code; `None` for foreign applicants.
    #[serde(default)]
    pub region_code: Option<String>,
    /// IPC symbols, the main one first.
    #[serde(default)]
    pub ipc: Vec<String>,
    pub filing_date: NaiveDate,
    #[serde(default)]
    pub publication_date: Option<NaiveDate>,
    #[serde(default)]
    pub grant_date: Option<NaiveDate>,
    pub legal_status: LegalStatus,
    #[serde(default)]
    pub cited_by: u32,
    #[serde(default)]
    pub family_size: u32,
}

/// A record checked and put in normal form: what the schema module turns into an index document.
#[derive(Debug, Clone)]
pub(crate) struct ValidDoc<'a> {
    pub application_no: ApplicationNo,
    pub ipc: Vec<IpcSymbol>,
    pub region: Option<RegionCode>,
    pub applicants: Vec<&'a str>,
    pub inventors: Vec<&'a str>,
    pub doc: &'a PatentDoc,
}

fn invalid(
    doc: &PatentDoc,
    field: &'static str,
    code: &'static str,
    message: String,
) -> SearchError {
    SearchError::InvalidDoc {
        application_no: doc.application_no.clone(),
        field,
        code,
        message,
    }
}

/// Checks a record: a valid application number of the record's kind, valid IPC symbols and region.
pub(crate) fn validate<'a>(doc: &'a PatentDoc) -> Result<ValidDoc<'a>, SearchError> {
    let application_no = ApplicationNo::parse(&doc.application_no)
        .map_err(|error| invalid(doc, "application_no", error.code, error.message))?;
    let ipc = doc
        .ipc
        .iter()
        .map(|symbol| IpcSymbol::parse(symbol))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| invalid(doc, "ipc", error.code, error.message))?;
    let region = match doc.region_code.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => Some(
            RegionCode::parse(code)
                .map_err(|error| invalid(doc, "region_code", error.code, error.message))?,
        ),
    };
    Ok(ValidDoc {
        application_no,
        ipc,
        region,
        applicants: clean_names(&doc.applicants),
        inventors: clean_names(&doc.inventors),
        doc,
    })
}

/// Names trimmed, empty ones dropped.
fn clean_names(list: &[String]) -> Vec<&str> {
    list.iter()
        .map(|name| name.trim())
        .filter(|name| !name.is_empty())
        .collect()
}
