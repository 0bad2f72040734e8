//! The life of a right: filing, grant or registration, legal status, annual fees and renewals,
//! consistent with its kind's term and with the reference date.

use super::rng::Rng;
use chrono::{Datelike, Days, Months, NaiveDate};
use ipyun_domain::right::{LegalStatus, RightKind, expiry_date};

#[derive(Debug, Clone)]
pub(crate) struct Life {
    pub filing: NaiveDate,
    pub grant: Option<NaiveDate>,
    pub status: LegalStatus,
    pub paid_until: Option<NaiveDate>,
    pub renewals: u8,
}

fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    u64::try_from(days)
        .ok()
        .and_then(|days| date.checked_add_days(Days::new(days)))
        .unwrap_or(date)
}

/// A random day of `year`.
pub(crate) fn day_in_year(rng: &mut Rng, year: i32) -> NaiveDate {
    let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
    let length = if NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
        366
    } else {
        365
    };
    add_days(start, rng.range(0, length - 1))
}

/// The `years`-th anniversary of `date` (29 February falls back to the 28th).
fn anniversary(date: NaiveDate, years: u32) -> NaiveDate {
    date.checked_add_months(Months::new(12 * years))
        .unwrap_or(date)
}

/// The number of anniversaries of `filing` on or before `day`.
fn anniversaries_by(filing: NaiveDate, day: NaiveDate) -> u32 {
    let mut years = u32::try_from((day.year() - filing.year()).max(0)).unwrap_or(0);
    while years > 0 && anniversary(filing, years) > day {
        years -= 1;
    }
    years
}

/// Statuses of a right in force, by weight; the rest stay in force.
fn disputed(rng: &mut Rng, weights: [u32; 5]) -> LegalStatus {
    match rng.weighted(&weights) {
        1 => LegalStatus::Invalidated,
        2 => LegalStatus::InvalidationPending,
        3 => LegalStatus::Preserved,
        4 => LegalStatus::OwnershipDispute,
        _ => LegalStatus::InForce,
    }
}

pub(crate) fn patent(rng: &mut Rng, kind: RightKind, year: i32, today: NaiveDate) -> Life {
    let filing = day_in_year(rng, year);
    let grant = match kind {
        RightKind::Invention => add_days(filing, rng.range(700, 1500)),
        _ => add_days(filing, rng.range(150, 380)),
    };
    let mut life = Life {
        filing,
        grant: None,
        status: LegalStatus::NotYetGranted,
        paid_until: None,
        renewals: 0,
    };
    if grant > today {
        return life;
    }
    life.grant = Some(grant);
    let granted_by = anniversaries_by(filing, grant);
    let passed = anniversaries_by(filing, today);
    let last = anniversary(filing, passed);
    let next = anniversary(filing, passed + 1);
    let lapsed_at = |rng: &mut Rng, until: u32| {
        let first = granted_by + 1;
        anniversary(
            filing,
            u32::try_from(rng.range(i64::from(first), i64::from(until.max(first))))
                .unwrap_or(first),
        )
    };
    if let Some(end) = expiry_date(kind, filing, Some(grant), 0)
        && end < today
    {
        // The term has run out: most reached it, some had lapsed earlier for an unpaid fee.
        let term_years = anniversaries_by(filing, end.succ_opt().unwrap_or(end));
        if rng.chance(620) {
            life.status = LegalStatus::Expired;
            life.paid_until = Some(end);
        } else {
            life.status = LegalStatus::LapsedUnpaidFee;
            life.paid_until = Some(lapsed_at(rng, term_years.saturating_sub(1)));
        }
        return life;
    }
    let age = i64::from(today.year() - year);
    let unpaid_weight = u32::try_from(30 + 9 * age).unwrap_or(30);
    let roll = rng.weighted(&[800, unpaid_weight, 18, 22, 22, 14]);
    life.status = match roll {
        1 if passed > granted_by => {
            if add_days(last, 183) >= today {
                life.paid_until = Some(last);
                LegalStatus::LateFeePeriod
            } else {
                life.paid_until = Some(lapsed_at(rng, passed));
                LegalStatus::LapsedUnpaidFee
            }
        }
        2 => {
            life.paid_until = Some(if passed > granted_by { last } else { next });
            LegalStatus::Invalidated
        }
        3 => LegalStatus::InvalidationPending,
        4 => LegalStatus::Preserved,
        5 => LegalStatus::OwnershipDispute,
        _ => LegalStatus::InForce,
    };
    if life.paid_until.is_none() {
        life.paid_until = Some(next);
    }
    life
}

pub(crate) fn trademark(rng: &mut Rng, year: i32, today: NaiveDate) -> Life {
    let filing = day_in_year(rng, year);
    let delay = match year {
        ..=2013 => rng.range(420, 900),
        2014..=2018 => rng.range(270, 540),
        _ => rng.range(180, 420),
    };
    let registered = add_days(filing, delay);
    let mut life = Life {
        filing,
        grant: None,
        status: LegalStatus::NotYetGranted,
        paid_until: None,
        renewals: 0,
    };
    if registered > today {
        return life;
    }
    life.grant = Some(registered);
    let first_term_end =
        expiry_date(RightKind::Trademark, filing, Some(registered), 0).unwrap_or(today);
    if first_term_end < today {
        if rng.chance(780) {
            life.renewals = 1;
        } else {
            life.status = LegalStatus::Expired;
            return life;
        }
    } else if add_days(today, 365) > first_term_end && rng.chance(300) {
        // Renewed within the year before the term ends.
        life.renewals = 1;
    }
    life.status = disputed(rng, [930, 15, 20, 20, 15]);
    life
}

pub(crate) fn software(rng: &mut Rng, year: i32, today: NaiveDate) -> Life {
    let filing = day_in_year(rng, year);
    let registered = add_days(filing, rng.range(25, 100)).min(today);
    Life {
        filing,
        grant: Some(registered),
        status: disputed(rng, [950, 10, 0, 20, 20]),
        paid_until: None,
        renewals: 0,
    }
}

pub(crate) fn ic_layout(rng: &mut Rng, year: i32, today: NaiveDate) -> Life {
    let filing = day_in_year(rng, year);
    let registered = add_days(filing, rng.range(60, 180)).min(today);
    let ended = expiry_date(RightKind::IcLayout, filing, Some(registered), 0)
        .is_some_and(|end| end < today);
    Life {
        filing,
        grant: Some(registered),
        status: if ended {
            LegalStatus::Expired
        } else {
            disputed(rng, [950, 0, 0, 25, 25])
        },
        paid_until: None,
        renewals: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn anniversaries_count_whole_years() {
        assert_eq!(anniversaries_by(date("2020-03-15"), date("2026-03-14")), 5);
        assert_eq!(anniversaries_by(date("2020-03-15"), date("2026-03-15")), 6);
        assert_eq!(anniversaries_by(date("2020-02-29"), date("2021-02-28")), 1);
        assert_eq!(anniversaries_by(date("2020-03-15"), date("2019-01-01")), 0);
    }

    #[test]
    fn fee_statuses_follow_the_calendar() {
        let today = date("2026-11-23");
        let mut rng = Rng::new(11);
        for _ in 0..3000 {
            let year = i32::try_from(rng.range(2008, 2025)).unwrap_or(2020);
            let life = patent(&mut rng, RightKind::UtilityModel, year, today);
            let paid = life.paid_until;
            match life.status {
                LegalStatus::NotYetGranted => assert!(life.grant.is_none() && paid.is_none()),
                LegalStatus::LateFeePeriod => {
                    assert!(
                        paid.is_some_and(|paid| paid <= today && paid + Days::new(183) >= today)
                    );
                }
                LegalStatus::LapsedUnpaidFee => assert!(paid.is_some_and(|paid| paid < today)),
                LegalStatus::Expired => assert!(life.filing + Months::new(120) <= today),
                LegalStatus::InForce => assert!(paid.is_some_and(|paid| paid > today)),
                _ => assert!(life.grant.is_some()),
            }
        }
    }
}
