//! The NPL ratio (不良贷款率) by lender, park or region at the end of a period: each loan counted
//! in the class it was in on that date, with its principal balance then.

use super::LoanScope;
use crate::{App, AppError};
use chrono::NaiveDate;
use ipyun_db::loans::NplRow as LoanNplRow;
use ipyun_domain::account::Principal;
use ipyun_domain::field::{FieldError, FieldErrors};
use ipyun_domain::id::RegionCode;
use ipyun_domain::loan::{ClassBalances, RiskClass};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How loans are grouped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NplGrouping {
    #[default]
    Lender,
    /// The borrower's park.
    Park,
    /// The borrower's province.
    Region,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NplQuery {
    /// `lender` (default), `park` or `region`.
    pub by: Option<NplGrouping>,
    /// The period whose end the ratio is taken at: a year (`2027`), a quarter (`2027-Q1`), a
    /// month (`2027-03`) or a day (`2027-03-15`); default today.
    pub period: Option<String>,
}

/// One group's balances by class, in fen, and its NPL ratio.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct NplRow {
    /// The lender's or park's id, the province's code; `none` for borrowers outside any park.
    pub key: String,
    pub name: String,
    /// Loans with a principal balance at the date.
    pub loans: u64,
    pub balance_fen: i64,
    pub normal_fen: i64,
    pub special_mention_fen: i64,
    pub substandard_fen: i64,
    pub doubtful_fen: i64,
    pub loss_fen: i64,
    /// Substandard + doubtful + loss.
    pub npl_fen: i64,
    /// NPL ÷ balance in basis points, half up (absent without a balance).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub npl_ratio_bp: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NplReport {
    pub by: NplGrouping,
    pub period: String,
    /// The date the classes and balances are taken at: the period's last day.
    pub as_of: NaiveDate,
    pub rows: Vec<NplRow>,
    /// Every loan the report covers.
    pub total: NplRow,
}

fn fen(amount: i128) -> i64 {
    i64::try_from(amount).unwrap_or(i64::MAX)
}

#[derive(Default)]
struct Group {
    name: String,
    loans: u64,
    balances: ClassBalances,
}

impl Group {
    fn add(&mut self, class: RiskClass, balance_fen: i64) {
        self.loans += 1;
        self.balances.add(class, balance_fen);
    }

    fn row(&self, key: String) -> NplRow {
        let balances = &self.balances;
        NplRow {
            key,
            name: self.name.clone(),
            loans: self.loans,
            balance_fen: fen(balances.total_fen()),
            normal_fen: fen(balances.normal_fen),
            special_mention_fen: fen(balances.special_mention_fen),
            substandard_fen: fen(balances.substandard_fen),
            doubtful_fen: fen(balances.doubtful_fen),
            loss_fen: fen(balances.loss_fen),
            npl_fen: fen(balances.npl_fen()),
            npl_ratio_bp: balances.npl_ratio_bp(),
        }
    }
}

/// The last day of a period written as `2027`, `2027-Q1`, `2027-03` or `2027-03-15`.
pub(crate) fn period_end(period: &str) -> Result<NaiveDate, FieldError> {
    let text = period.trim().to_ascii_uppercase();
    let bad = || {
        FieldError::new(
            "period",
            "format",
            format!(
                "a period is a year (2027), a quarter (2027-Q1), a month (2027-03) or a day (2027-03-15); found {period:?}"
            ),
        )
    };
    let last_of_month = |year: i32, month: u32| {
        let (next_year, next_month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
        NaiveDate::from_ymd_opt(next_year, next_month, 1).and_then(|first| first.pred_opt())
    };
    let parts: Vec<&str> = text.split('-').collect();
    let year = |part: &str| {
        part.parse::<i32>()
            .ok()
            .filter(|year| (1900..=9999).contains(year) && part.len() == 4)
    };
    let end = match parts.as_slice() {
        [y] => year(y).and_then(|year| NaiveDate::from_ymd_opt(year, 12, 31)),
        [y, q] if q.starts_with('Q') => {
            let quarter = q[1..].parse::<u32>().ok().filter(|q| (1..=4).contains(q));
            year(y)
                .zip(quarter)
                .and_then(|(year, quarter)| last_of_month(year, quarter * 3))
        }
        [y, m] => {
            let month = m.parse::<u32>().ok().filter(|m| (1..=12).contains(m));
            year(y)
                .zip(month)
                .and_then(|(year, month)| last_of_month(year, month))
        }
        [_, _, _] => NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok(),
        _ => None,
    };
    end.ok_or_else(bad)
}

impl App {
    /// The NPL ratio of the loans the principal may see, grouped by lender, park or province, at
    /// the end of a period.
    pub async fn npl_report(
        &self,
        principal: &Principal,
        query: &NplQuery,
    ) -> Result<NplReport, AppError> {
        let scope = LoanScope::of(principal)
            .filter(|scope| !matches!(scope, LoanScope::Borrower(_)))
            .ok_or_else(|| AppError::forbidden("your role sees no loan statistics"))?;
        let today = self.clock.today();
        let (period, as_of) = match query.period.as_deref().map(str::trim) {
            Some(text) if !text.is_empty() => (
                text.to_string(),
                period_end(text).map_err(|error| AppError::validation(FieldErrors(vec![error])))?,
            ),
            _ => (today.to_string(), today),
        };
        let by = query.by.unwrap_or_default();
        let rows = self.db.npl_rows(&scope.filter(), as_of).await?;
        let mut groups: BTreeMap<String, Group> = BTreeMap::new();
        let mut total = Group {
            name: "total".into(),
            ..Group::default()
        };
        // Loans repaid by then, or not yet disbursed, have no balance to count.
        for row in rows.into_iter().filter(|row| row.balance_fen > 0) {
            let (key, name) = group_of(by, &row);
            let group = groups.entry(key).or_default();
            group.name = name;
            group.add(row.risk_class, row.balance_fen);
            total.add(row.risk_class, row.balance_fen);
        }
        Ok(NplReport {
            by,
            period,
            as_of,
            rows: groups
                .iter()
                .map(|(key, group)| group.row(key.clone()))
                .collect(),
            total: total.row("total".into()),
        })
    }
}

fn group_of(by: NplGrouping, row: &LoanNplRow) -> (String, String) {
    group_key(
        by,
        (row.lender_id, &row.lender_name),
        (row.park_id, row.park_name.as_deref()),
        row.region.as_deref(),
    )
}

/// The key and name of a row's group: its lender, its borrower's park, or its province.
pub(crate) fn group_key(
    by: NplGrouping,
    (lender_id, lender_name): (i64, &str),
    (park_id, park_name): (Option<i64>, Option<&str>),
    region: Option<&str>,
) -> (String, String) {
    match by {
        NplGrouping::Lender => (lender_id.to_string(), lender_name.to_string()),
        NplGrouping::Park => match park_id {
            Some(park) => (park.to_string(), park_name.unwrap_or_default().to_string()),
            None => ("none".into(), "outside any park".into()),
        },
        NplGrouping::Region => {
            let province = region
                .and_then(|code| RegionCode::parse(code).ok())
                .map(|code| code.province());
            match province {
                Some(code) => (code.as_str().to_string(), code.name().to_string()),
                None => ("none".into(), "unknown region".into()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::period_end;
    use chrono::NaiveDate;

    #[test]
    fn periods_end_on_their_last_day() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(period_end("2027").ok(), day(2027, 12, 31));
        assert_eq!(period_end("2027-q1").ok(), day(2027, 3, 31));
        assert_eq!(period_end("2028-02").ok(), day(2028, 2, 29));
        assert_eq!(period_end("2027-12").ok(), day(2027, 12, 31));
        assert_eq!(period_end("2027-03-15").ok(), day(2027, 3, 15));
        for bad in ["27", "2027-13", "2027-Q5", "2027-02-30", "soon", ""] {
            assert!(period_end(bad).is_err(), "{bad}");
        }
    }
}
