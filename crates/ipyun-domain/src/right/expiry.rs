use super::RightKind;
use chrono::{Datelike, Months, NaiveDate};

/// The date after which a design filed on or after this day is protected for 15 years (amended Patent Law).
pub fn design_fifteen_year_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 6, 1).unwrap_or(NaiveDate::MIN)
}

/// When protection ends, computed by kind: invention 20 years from filing; utility model 10;
/// design 10, or 15 when filed on or after 2021-06-01; trademark 10 years from registration and
/// 10 more for each renewal; software copyright to the end of the 50th year after filing (legal
/// persons); IC layout 10 years from filing. The term ends the day before the anniversary.
/// `None` when the term runs from a date not yet known (an unregistered trademark).
pub fn expiry_date(
    kind: RightKind,
    filing_date: NaiveDate,
    grant_date: Option<NaiveDate>,
    renewals: u8,
) -> Option<NaiveDate> {
    let years_after = |start: NaiveDate, years: u32| {
        start
            .checked_add_months(Months::new(years * 12))
            .and_then(|anniversary| anniversary.pred_opt())
    };
    match kind {
        RightKind::Invention => years_after(filing_date, 20),
        RightKind::UtilityModel => years_after(filing_date, 10),
        RightKind::Design if filing_date >= design_fifteen_year_start() => {
            years_after(filing_date, 15)
        }
        RightKind::Design => years_after(filing_date, 10),
        RightKind::Trademark => grant_date
            .and_then(|registered| years_after(registered, 10 * (1 + u32::from(renewals)))),
        RightKind::SoftwareCopyright => NaiveDate::from_ymd_opt(filing_date.year() + 50, 12, 31),
        RightKind::IcLayout => years_after(filing_date, 10),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
    }

    fn check(
        kind: RightKind,
        filing: &str,
        grant: Option<&str>,
        renewals: u8,
        expect: Option<&str>,
    ) {
        let actual = expiry_date(kind, date(filing), grant.map(date), renewals);
        assert_eq!(actual, expect.map(date), "{kind:?} filed {filing}");
    }

    #[test]
    fn expiry_by_kind() {
        check(
            RightKind::Invention,
            "2021-03-15",
            None,
            0,
            Some("2041-03-14"),
        );
        check(
            RightKind::UtilityModel,
            "2020-01-01",
            None,
            0,
            Some("2029-12-31"),
        );
        check(RightKind::Design, "2021-05-31", None, 0, Some("2031-05-30"));
        check(RightKind::Design, "2021-06-01", None, 0, Some("2036-05-31"));
        check(
            RightKind::Trademark,
            "2015-01-10",
            Some("2016-04-07"),
            0,
            Some("2026-04-06"),
        );
        check(
            RightKind::Trademark,
            "2015-01-10",
            Some("2016-04-07"),
            1,
            Some("2036-04-06"),
        );
        check(RightKind::Trademark, "2015-01-10", None, 0, None);
        check(
            RightKind::SoftwareCopyright,
            "2019-07-01",
            None,
            0,
            Some("2069-12-31"),
        );
        check(
            RightKind::IcLayout,
            "2018-02-28",
            None,
            0,
            Some("2028-02-27"),
        );
        check(
            RightKind::Invention,
            "2020-02-29",
            None,
            0,
            Some("2040-02-28"),
        );
    }
}
