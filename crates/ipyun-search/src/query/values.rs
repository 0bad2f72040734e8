//! Field names and the parsing of their values.

use chrono::NaiveDate;
use ipyun_domain::id::ApplicationNo;
use ipyun_domain::right::LegalStatus;

use super::{DateRange, Filter, QueryError};
use crate::codes::{ipc_filter_term, region_filter_term};
use crate::doc::PatentKind;
use crate::text::normalize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FieldName {
    Applicant,
    Inventor,
    Ipc,
    Region,
    Kind,
    Status,
    Filed,
    Published,
    Granted,
    ApplicationNo,
}

const NAMES: [(&str, FieldName); 28] = [
    ("applicant", FieldName::Applicant),
    ("applicants", FieldName::Applicant),
    ("申请人", FieldName::Applicant),
    ("inventor", FieldName::Inventor),
    ("inventors", FieldName::Inventor),
    ("发明人", FieldName::Inventor),
    ("ipc", FieldName::Ipc),
    ("分类号", FieldName::Ipc),
    ("region", FieldName::Region),
    ("region_code", FieldName::Region),
    ("地区", FieldName::Region),
    ("kind", FieldName::Kind),
    ("类型", FieldName::Kind),
    ("status", FieldName::Status),
    ("legal_status", FieldName::Status),
    ("法律状态", FieldName::Status),
    ("filed", FieldName::Filed),
    ("filing_date", FieldName::Filed),
    ("申请日", FieldName::Filed),
    ("published", FieldName::Published),
    ("publication_date", FieldName::Published),
    ("公开日", FieldName::Published),
    ("granted", FieldName::Granted),
    ("grant_date", FieldName::Granted),
    ("授权日", FieldName::Granted),
    ("no", FieldName::ApplicationNo),
    ("application_no", FieldName::ApplicationNo),
    ("申请号", FieldName::ApplicationNo),
];

/// The field a name (case-insensitive for ASCII) stands for.
pub(super) fn field_name(name: &str) -> Option<FieldName> {
    let lower = name.to_ascii_lowercase();
    NAMES
        .iter()
        .find(|(known, _)| *known == lower)
        .map(|(_, field)| *field)
}

/// Chinese words commonly used for statuses.
const STATUS_ALIASES: [(&str, LegalStatus); 8] = [
    ("有效", LegalStatus::InForce),
    ("授权", LegalStatus::InForce),
    ("审中", LegalStatus::NotYetGranted),
    ("在审", LegalStatus::NotYetGranted),
    ("届满", LegalStatus::Expired),
    ("未缴年费", LegalStatus::LapsedUnpaidFee),
    ("无效", LegalStatus::Invalidated),
    ("质押保全", LegalStatus::Preserved),
];

pub(super) fn parse_filter(
    field: FieldName,
    value: &str,
    position: usize,
) -> Result<Filter, QueryError> {
    if value.trim().is_empty() {
        return Err(QueryError::new(
            position,
            "empty_value",
            "a field needs a value after its colon",
        ));
    }
    match field {
        FieldName::Applicant => Ok(Filter::Applicant(normalize(value))),
        FieldName::Inventor => Ok(Filter::Inventor(normalize(value))),
        FieldName::Ipc => ipc_filter_term(value).map(Filter::Ipc).ok_or_else(|| {
            QueryError::new(
                position,
                "bad_ipc",
                format!("{value:?} is no IPC section, class, subclass, main group or symbol (e.g. H01M, H01M10, H01M10/0525)"),
            )
        }),
        FieldName::Region => region_filter_term(value).map(Filter::Region).ok_or_else(|| {
            QueryError::new(
                position,
                "bad_region",
                format!("{value:?} is no GB/T 2260 region: use a province (32 or 320000), prefecture (3205) or county code (320506), or a province name"),
            )
        }),
        FieldName::Kind => PatentKind::parse(value).map(Filter::Kind).ok_or_else(|| {
            QueryError::new(
                position,
                "bad_kind",
                format!("{value:?} is no patent kind: use invention, utility_model or design"),
            )
        }),
        FieldName::Status => parse_status(value).map(Filter::Status).ok_or_else(|| {
            let known: Vec<&str> = LegalStatus::ALL.iter().map(|status| status.as_str()).collect();
            QueryError::new(
                position,
                "bad_status",
                format!("{value:?} is no legal status: use one of {}", known.join(", ")),
            )
        }),
        FieldName::Filed => parse_range(value, position).map(Filter::Filed),
        FieldName::Published => parse_range(value, position).map(Filter::Published),
        FieldName::Granted => parse_range(value, position).map(Filter::Granted),
        FieldName::ApplicationNo => ApplicationNo::parse(value)
            .map(|number| Filter::ApplicationNo(number.as_str().to_owned()))
            .map_err(|error| {
                QueryError::new(position, "bad_application_no", error.message)
            }),
    }
}

fn parse_status(value: &str) -> Option<LegalStatus> {
    LegalStatus::parse(value).ok().or_else(|| {
        STATUS_ALIASES
            .iter()
            .find(|(alias, _)| *alias == value.trim())
            .map(|(_, status)| *status)
    })
}

/// Which end of a period a date stands for.
#[derive(Clone, Copy)]
enum End {
    First,
    Last,
}

/// `2019`, `2019-03`, `2019-03-08` (also with `/`): the first or last day of that period.
fn parse_date(part: &str, end: End) -> Option<NaiveDate> {
    let pieces: Vec<&str> = part.split(['-', '/']).collect();
    let number = |piece: &str, digits: std::ops::RangeInclusive<usize>| -> Option<u32> {
        (digits.contains(&piece.len()) && piece.bytes().all(|b| b.is_ascii_digit()))
            .then(|| piece.parse().ok())
            .flatten()
    };
    let year = i32::try_from(number(pieces.first()?, 4..=4)?).ok()?;
    if !(1900..=2200).contains(&year) {
        return None;
    }
    match (pieces.len(), end) {
        (1, End::First) => NaiveDate::from_ymd_opt(year, 1, 1),
        (1, End::Last) => NaiveDate::from_ymd_opt(year, 12, 31),
        (2, _) => {
            let month = number(pieces[1], 1..=2)?;
            let first = NaiveDate::from_ymd_opt(year, month, 1)?;
            match end {
                End::First => Some(first),
                End::Last => {
                    let next = first.checked_add_months(chrono::Months::new(1))?;
                    next.pred_opt()
                }
            }
        }
        (3, _) => {
            NaiveDate::from_ymd_opt(year, number(pieces[1], 1..=2)?, number(pieces[2], 1..=2)?)
        }
        _ => None,
    }
}

fn bad_date(position: usize, part: &str) -> QueryError {
    QueryError::new(
        position,
        "bad_date",
        format!("{part:?} is no date: write 2019, 2019-03 or 2019-03-08 (ranges as 2019..2021)"),
    )
}

/// `A..B`, `A..`, `..B` or a single period `A`, both ends included.
pub(super) fn parse_range(value: &str, position: usize) -> Result<DateRange, QueryError> {
    let (from_part, to_part, to_offset) = match value.split_once("..") {
        Some((from, to)) => (from, to, from.chars().count() + 2),
        None => (value, value, 0),
    };
    if from_part.is_empty() && to_part.is_empty() {
        return Err(QueryError::new(
            position,
            "bad_date_range",
            "a date range needs at least one end, as in 2019..2021",
        ));
    }
    let from = if from_part.is_empty() {
        None
    } else {
        Some(parse_date(from_part, End::First).ok_or_else(|| bad_date(position, from_part))?)
    };
    let to = if to_part.is_empty() {
        None
    } else {
        Some(
            parse_date(to_part, End::Last)
                .ok_or_else(|| bad_date(position + to_offset, to_part))?,
        )
    };
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return Err(QueryError::new(
            position,
            "bad_date_range",
            format!(
                "the range starts on {from} after it ends on {to}: write the earlier date first"
            ),
        ));
    }
    Ok(DateRange { from, to })
}
