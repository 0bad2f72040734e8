//! Screening's inputs read in bulk (issue 6, F4): every enterprise in a scope with its live
//! rights and their valuations, its loans' overdue and class history, its tax-credit grade and
//! integrity flags on a date — six queries whatever the number of enterprises, merged in Rust.

use crate::{Db, DbError, on_pool};
use chrono::{Datelike, NaiveDate};
use ipyun_domain::market::{CreditGrade, EnterpriseFacts, IntegrityFlagKind};
use ipyun_domain::party::SizeClass;
use std::collections::HashMap;

/// Which enterprises to read (the caller's visibility, as explicit filters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FactsScope {
    pub park_id: Option<i64>,
    /// Enterprises whose region code starts with this.
    pub region_prefix: Option<String>,
}

/// `($1,$2,…),(…)`: `rows` groups of `columns` numbered placeholders.
pub(crate) fn placeholders(rows: usize, columns: usize) -> String {
    let mut text = String::with_capacity(rows * columns * 6);
    for row in 0..rows {
        if row > 0 {
            text.push(',');
        }
        text.push('(');
        for column in 0..columns {
            if column > 0 {
                text.push(',');
            }
            text.push('$');
            text.push_str(&(row * columns + column + 1).to_string());
        }
        text.push(')');
    }
    text
}

/// The scope's condition on the enterprise `p`; binds `$1` (park) and `$2` (region LIKE).
const SCOPE: &str =
    "p.kind = 'enterprise' AND ($1 IS NULL OR p.park_id = $1) AND ($2 IS NULL OR p.region LIKE $2)";

/// Legal statuses of a right granted and not ended.
const LIVE: &str =
    "('in_force', 'late_fee_period', 'invalidation_pending', 'preserved', 'ownership_dispute')";

fn date(text: Option<&str>) -> Option<NaiveDate> {
    text.and_then(|text| NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok())
}

type EnterpriseRow = (
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<i32>,
    Option<i32>,
);

/// Per loan: borrower, oldest unpaid instalment overdue, ever overdue, last loss, last NPL.
#[derive(Default)]
struct LoanFacts {
    borrower: i64,
    oldest_overdue: Option<NaiveDate>,
    ever_overdue: bool,
    last_loss: Option<NaiveDate>,
    last_npl: Option<NaiveDate>,
}

impl Db {
    /// How many enterprises `scope` holds (to choose between screening in the request and in
    /// the background).
    pub async fn count_screening_scope(&self, scope: &FactsScope) -> Result<i64, DbError> {
        let like = scope
            .region_prefix
            .as_ref()
            .map(|prefix| format!("{prefix}%"));
        let sql = format!("SELECT COUNT(*) FROM parties p WHERE {SCOPE}");
        Ok(
            on_pool!(self, pool => sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(scope.park_id)
            .bind(like.as_deref())
            .fetch_one(pool)
            .await)?,
        )
    }

    /// Every enterprise in `scope`, in id order, with what screening reads of it on `as_of`.
    pub async fn load_screening_facts(
        &self,
        scope: &FactsScope,
        as_of: NaiveDate,
    ) -> Result<Vec<EnterpriseFacts>, DbError> {
        let like = scope
            .region_prefix
            .as_ref()
            .map(|prefix| format!("{prefix}%"));
        let park = scope.park_id;
        let year = as_of.year();

        let sql = format!(
            "SELECT p.id, p.name, p.uscc, p.region, p.park_id, p.size_class, p.specialised_sme_year, \
             p.little_giant_year FROM parties p WHERE {SCOPE} ORDER BY p.id"
        );
        let rows: Vec<EnterpriseRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(park)
            .bind(like.as_deref())
            .fetch_all(pool)
            .await)?;
        let mut facts: Vec<EnterpriseFacts> = rows
            .into_iter()
            .map(
                |(id, name, uscc, region, park_id, size, sme_year, giant_year)| EnterpriseFacts {
                    enterprise_id: id,
                    name,
                    uscc,
                    region,
                    park_id,
                    size_class: size.as_deref().and_then(|size| SizeClass::parse(size).ok()),
                    specialised_sme: sme_year.is_some_and(|designated| designated <= year),
                    little_giant: giant_year.is_some_and(|designated| designated <= year),
                    live_inventions: 0,
                    live_rights: 0,
                    clean_rights: 0,
                    valuation_fen: 0,
                    loans: 0,
                    loans_ever_overdue: 0,
                    days_overdue: 0,
                    last_loss_on: None,
                    last_npl_on: None,
                    tax_grade: None,
                    active_flags: Vec::new(),
                    past_flags: 0,
                },
            )
            .collect();
        let position = |facts: &[EnterpriseFacts], id: i64| {
            facts
                .binary_search_by_key(&id, |facts| facts.enterprise_id)
                .ok()
        };

        // Live rights held, each with its latest valuation.
        let sql = format!(
            "SELECT h.party_id, r.kind, r.legal_status, CAST(h.share_bp AS BIGINT), \
             (SELECT v.value_fen FROM valuations v WHERE v.right_number = r.number ORDER BY v.id DESC LIMIT 1) \
             FROM right_holders h JOIN rights r ON r.id = h.right_id JOIN parties p ON p.id = h.party_id \
             WHERE {SCOPE} AND r.legal_status IN {LIVE}"
        );
        let rights: Vec<(i64, String, String, i64, Option<i64>)> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(park)
            .bind(like.as_deref())
            .fetch_all(pool)
            .await)?;
        let mut values: Vec<i128> = vec![0; facts.len()];
        for (party, kind, status, share_bp, value) in rights {
            let Some(index) = position(&facts, party) else {
                continue;
            };
            let one = &mut facts[index];
            one.live_rights += 1;
            if kind == "invention" {
                one.live_inventions += 1;
            }
            if status == "in_force" {
                one.clean_rights += 1;
            }
            if let Some(value) = value {
                values[index] += i128::from(value.max(0)) * i128::from(share_bp) / 10_000;
            }
        }
        for (one, value) in facts.iter_mut().zip(values) {
            one.valuation_fen = i64::try_from(value).unwrap_or(i64::MAX);
        }

        // Loans: borrowers, unpaid instalments overdue, class history up to the date.
        let mut loans: HashMap<i64, LoanFacts> = HashMap::new();
        let sql = format!(
            "SELECT l.id, l.borrower_id FROM loans l JOIN parties p ON p.id = l.borrower_id \
             WHERE {SCOPE} AND l.start_date <= $3"
        );
        let rows: Vec<(i64, i64)> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(park)
            .bind(like.as_deref())
            .bind(as_of)
            .fetch_all(pool)
            .await)?;
        for (loan, borrower) in rows {
            loans.insert(
                loan,
                LoanFacts {
                    borrower,
                    ..LoanFacts::default()
                },
            );
        }
        let sql = format!(
            "SELECT i.loan_id, CAST(MIN(i.due_date) AS TEXT) FROM loan_instalments i \
             JOIN loans l ON l.id = i.loan_id JOIN parties p ON p.id = l.borrower_id \
             WHERE {SCOPE} AND l.status = 'active' AND NOT i.settled AND i.due_date < $3 GROUP BY i.loan_id"
        );
        let rows: Vec<(i64, Option<String>)> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(park)
            .bind(like.as_deref())
            .bind(as_of)
            .fetch_all(pool)
            .await)?;
        for (loan, due) in rows {
            if let Some(one) = loans.get_mut(&loan) {
                one.oldest_overdue = date(due.as_deref());
                one.ever_overdue = one.oldest_overdue.is_some();
            }
        }
        let sql = format!(
            "SELECT c.loan_id, CAST(MAX(CASE WHEN c.days_overdue > 0 THEN 1 ELSE 0 END) AS BIGINT), \
             CAST(MAX(CASE WHEN c.to_class = 'loss' THEN c.on_date END) AS TEXT), \
             CAST(MAX(CASE WHEN c.to_class IN ('substandard', 'doubtful', 'loss') THEN c.on_date END) AS TEXT) \
             FROM loan_class_changes c JOIN loans l ON l.id = c.loan_id JOIN parties p ON p.id = l.borrower_id \
             WHERE {SCOPE} AND c.on_date <= $3 GROUP BY c.loan_id"
        );
        let rows: Vec<(i64, i64, Option<String>, Option<String>)> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(park)
            .bind(like.as_deref())
            .bind(as_of)
            .fetch_all(pool)
            .await)?;
        for (loan, overdue, loss, npl) in rows {
            if let Some(one) = loans.get_mut(&loan) {
                one.ever_overdue |= overdue > 0;
                one.last_loss = date(loss.as_deref());
                one.last_npl = date(npl.as_deref());
            }
        }
        for loan in loans.values() {
            let Some(index) = position(&facts, loan.borrower) else {
                continue;
            };
            let one = &mut facts[index];
            one.loans += 1;
            one.loans_ever_overdue += u32::from(loan.ever_overdue);
            if let Some(due) = loan.oldest_overdue {
                let days = u32::try_from((as_of - due).num_days().max(0)).unwrap_or(u32::MAX);
                one.days_overdue = one.days_overdue.max(days);
            }
            one.last_loss_on = one.last_loss_on.max(loan.last_loss);
            one.last_npl_on = one.last_npl_on.max(loan.last_npl);
        }

        // The latest tax-credit grade up to the date.
        let sql = format!(
            "SELECT g.enterprise_id, g.grade FROM credit_grades g JOIN parties p ON p.id = g.enterprise_id \
             WHERE {SCOPE} AND g.source = 'tax' AND g.as_of <= $3 ORDER BY g.enterprise_id, g.as_of"
        );
        let rows: Vec<(i64, String)> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(park)
            .bind(like.as_deref())
            .bind(as_of)
            .fetch_all(pool)
            .await)?;
        for (enterprise, grade) in rows {
            if let (Some(index), Ok(grade)) =
                (position(&facts, enterprise), CreditGrade::parse(&grade))
            {
                facts[index].tax_grade = Some(grade);
            }
        }

        // Integrity flags begun by the date: in force on it, or ended before it.
        let sql = format!(
            "SELECT f.enterprise_id, f.kind, CAST(f.until AS TEXT) FROM integrity_flags f \
             JOIN parties p ON p.id = f.enterprise_id WHERE {SCOPE} AND f.since <= $3"
        );
        let rows: Vec<(i64, String, Option<String>)> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(park)
            .bind(like.as_deref())
            .bind(as_of)
            .fetch_all(pool)
            .await)?;
        for (enterprise, kind, until) in rows {
            let (Some(index), Ok(kind)) = (
                position(&facts, enterprise),
                IntegrityFlagKind::parse(&kind),
            ) else {
                continue;
            };
            let one = &mut facts[index];
            if date(until.as_deref()).is_none_or(|until| until >= as_of) {
                if !one.active_flags.contains(&kind) {
                    one.active_flags.push(kind);
                    one.active_flags.sort_by_key(|flag| *flag as u8);
                }
            } else {
                one.past_flags += 1;
            }
        }
        Ok(facts)
    }
}
