//! A patent record as a file gives it (a JSON line, or a CSV/XLSX row), and its validation into
//! the right of the register, the stored record and the document the index takes.

use super::Rejection;
use super::rights_import::{date, text};
use chrono::NaiveDate;
use ipyun_db::patents::PatentRecordRow;
use ipyun_domain::id::{IpcSymbol, RegionCode};
use ipyun_domain::right::{HolderDraft, NewRight, RightDraft};
use ipyun_domain::{FieldError, FieldErrors};
use ipyun_search::PatentKind;
use serde::Deserialize;

/// Claims of one patent at most.
const MAX_CLAIMS: usize = 300;
/// Applicants and inventors of one patent at most.
const MAX_NAMES: usize = 50;
/// Characters of an abstract or a claim at most.
const MAX_TEXT_CHARS: usize = 20_000;

/// A text or a list of texts (a CSV cell is one text, split on `;`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum Texts {
    One(String),
    Many(Vec<String>),
}

/// A number or its text.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum Scalar {
    Number(i64),
    Text(String),
}

/// One record, every field optional so that each fault is named by its field.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct RawPatent {
    pub application_no: Option<String>,
    pub kind: Option<String>,
    pub title: Option<String>,
    #[serde(rename = "abstract")]
    pub abstract_text: Option<String>,
    pub claims: Option<Texts>,
    pub applicants: Option<Texts>,
    pub inventors: Option<Texts>,
    pub region_code: Option<Scalar>,
    pub ipc: Option<Texts>,
    pub filing_date: Option<String>,
    pub publication_date: Option<String>,
    pub grant_date: Option<String>,
    pub legal_status: Option<String>,
    pub cited_by: Option<Scalar>,
    pub family_size: Option<Scalar>,
}

impl RawPatent {
    /// The record a CSV/XLSX row gives, cells in [`super::columns::PATENT_COLUMNS`] order.
    pub(crate) fn from_cells(cells: &[&str]) -> RawPatent {
        let cell = |index: usize| cells.get(index).copied().unwrap_or("");
        let texts = |index: usize| text(cell(index)).map(Texts::One);
        let scalar = |index: usize| text(cell(index)).map(Scalar::Text);
        RawPatent {
            application_no: text(cell(0)),
            kind: text(cell(1)),
            title: text(cell(2)),
            abstract_text: text(cell(3)),
            claims: texts(4),
            applicants: texts(5),
            inventors: texts(6),
            region_code: scalar(7),
            ipc: texts(8),
            filing_date: text(cell(9)),
            publication_date: text(cell(10)),
            grant_date: text(cell(11)),
            legal_status: text(cell(12)),
            cited_by: scalar(13),
            family_size: scalar(14),
        }
    }
}

/// A valid record: the right of the register and the rest of the record.
pub(crate) struct ValidPatent {
    pub right: NewRight,
    pub record: PatentRecordRow,
}

fn list(value: Option<&Texts>, separators: &[char]) -> Vec<String> {
    match value {
        None => Vec::new(),
        Some(Texts::Many(items)) => items.iter().filter_map(|item| text(item)).collect(),
        Some(Texts::One(joined)) => joined.split(separators).filter_map(text).collect(),
    }
}

fn scalar_text(value: Option<&Scalar>) -> Option<String> {
    match value? {
        Scalar::Number(number) => Some(number.to_string()),
        Scalar::Text(raw) => text(raw),
    }
}

fn count(errors: &mut FieldErrors, field: &str, value: Option<&Scalar>) -> u32 {
    let Some(raw) = scalar_text(value) else {
        return 0;
    };
    match raw.parse::<u32>() {
        Ok(number) => number,
        Err(_) => {
            errors.push(FieldError::new(
                field,
                "number_format",
                format!("{field} is a whole number of at least 0; found {raw:?}"),
            ));
            0
        }
    }
}

fn date_text(raw: Option<&String>) -> Option<String> {
    raw.and_then(|cell| date(cell))
}

/// Chinese names of legal statuses as registers print them, besides the English codes.
fn status_text(raw: Option<&String>) -> Option<String> {
    let trimmed = raw?.trim();
    let code = match trimmed {
        "有效" | "授权" | "专利权维持" => "in_force",
        "审中" | "实质审查" | "公开" => "not_yet_granted",
        "届满" | "期限届满" => "expired",
        "未缴年费" | "未缴年费终止" => "lapsed_unpaid_fee",
        "无效" | "全部无效" => "invalidated",
        other => return text(other),
    };
    Some(code.to_string())
}

/// Validates `raw` as of `today`: the right (through the register's own rules), then what the
/// register does not hold. Every fault is a finding on its field.
pub(crate) fn validate(raw: &RawPatent, today: NaiveDate) -> Result<ValidPatent, FieldErrors> {
    let mut errors = FieldErrors::default();
    let kind = raw
        .kind
        .as_deref()
        .map(|kind| (kind, PatentKind::parse(kind)));
    if let Some((given, None)) = kind {
        errors.push(FieldError::new(
            "kind",
            "unknown_kind",
            format!("a patent is invention, utility_model or design (发明, 实用新型, 外观设计); found {given:?}"),
        ));
    }
    let applicants = list(raw.applicants.as_ref(), &[';', '；']);
    let inventors = list(raw.inventors.as_ref(), &[';', '；']);
    for (field, names) in [("applicants", &applicants), ("inventors", &inventors)] {
        if names.len() > MAX_NAMES {
            errors.push(FieldError::new(
                field,
                "too_many",
                format!("at most {MAX_NAMES} names"),
            ));
        }
    }
    let draft = RightDraft {
        kind: kind
            .and_then(|(_, parsed)| parsed)
            .map(|kind| kind.as_str().to_string()),
        number: raw.application_no.clone(),
        title: raw.title.clone(),
        filing_date: date_text(raw.filing_date.as_ref()),
        grant_date: date_text(raw.grant_date.as_ref()),
        legal_status: status_text(raw.legal_status.as_ref()),
        ipc_main: list(raw.ipc.as_ref(), &[';', '；', ',']).into_iter().next(),
        holders: applicants
            .iter()
            .take(MAX_NAMES)
            .map(|name| HolderDraft {
                name: Some(name.clone()),
                uscc: None,
                share_bp: None,
            })
            .collect(),
        ..RightDraft::default()
    };
    let right = draft.validate(today).map_err(|found| {
        for mut finding in found.0 {
            finding.field = match finding.field.as_str() {
                "number" => "application_no".to_string(),
                "ipc_main" => "ipc".to_string(),
                field if field.starts_with("holders") => "applicants".to_string(),
                field => field.to_string(),
            };
            errors.push(finding);
        }
    });
    let mut ipc = Vec::new();
    for symbol in list(raw.ipc.as_ref(), &[';', '；', ',']) {
        match IpcSymbol::parse(&symbol) {
            Ok(parsed) => ipc.push(parsed.as_str().to_string()),
            Err(error) => errors.push(FieldError::new("ipc", error.code, error.message)),
        }
    }
    let region_code =
        scalar_text(raw.region_code.as_ref()).and_then(|code| match RegionCode::parse(&code) {
            Ok(region) => Some(region.as_str().to_string()),
            Err(error) => {
                errors.push(FieldError::new("region_code", error.code, error.message));
                None
            }
        });
    let publication_date = date_text(raw.publication_date.as_ref()).and_then(|text| {
        let parsed = NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok();
        if parsed.is_none() {
            errors.push(FieldError::new(
                "publication_date",
                "date_format",
                "a date YYYY-MM-DD",
            ));
        }
        parsed
    });
    let claims = list(raw.claims.as_ref(), &['\n', ';', '；']);
    if claims.len() > MAX_CLAIMS {
        errors.push(FieldError::new(
            "claims",
            "too_many",
            format!("at most {MAX_CLAIMS} claims"),
        ));
    }
    let abstract_text = raw
        .abstract_text
        .as_deref()
        .map(str::trim)
        .unwrap_or("")
        .to_string();
    for (field, long) in [
        ("abstract", abstract_text.chars().count() > MAX_TEXT_CHARS),
        (
            "claims",
            claims
                .iter()
                .any(|claim| claim.chars().count() > MAX_TEXT_CHARS),
        ),
    ] {
        if long {
            errors.push(FieldError::new(
                field,
                "too_long",
                format!("at most {MAX_TEXT_CHARS} characters"),
            ));
        }
    }
    let cited_by = count(&mut errors, "cited_by", raw.cited_by.as_ref());
    let family_size = count(&mut errors, "family_size", raw.family_size.as_ref());
    let (Ok(right), Some((_, Some(_)))) = (right, kind) else {
        if errors.is_empty() {
            errors.push(FieldError::new(
                "kind",
                "required",
                "a patent's kind is required",
            ));
        }
        return Err(errors);
    };
    errors.into_result()?;
    let record = PatentRecordRow {
        number: right.number.as_str().to_string(),
        abstract_text,
        claims,
        applicants,
        inventors,
        region_code,
        ipc,
        publication_date,
        cited_by: i64::from(cited_by),
        family_size: i64::from(family_size),
    };
    Ok(ValidPatent { right, record })
}

/// Findings as rejections of `row`.
pub(crate) fn rejections(row: u64, errors: FieldErrors) -> Vec<Rejection> {
    errors
        .0
        .into_iter()
        .map(|error| Rejection::new(row, error.field, error.code, error.message))
        .collect()
}
