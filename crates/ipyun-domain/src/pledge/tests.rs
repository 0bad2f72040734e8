use super::*;
use crate::right::{Holder, LegalStatus, Right, RightKind};
use chrono::NaiveDate;

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

const NUMBER: &str = "2019100012340";

fn clean_input() -> PledgeApplicationInput {
    serde_json::from_value(serde_json::json!({
        "pledgor_id": 7,
        "pledgee_id": 3,
        "loan_contract": {"contract_no": "L-1", "debtor": "甲公司", "principal_fen": 100_000_000,
                          "performance_start": "2026-01-01", "performance_end": "2027-01-01"},
        "pledge_contract": {"contract_no": "P-1", "secured_claim_kind": "loan", "secured_amount_fen": 100_000_000,
                            "scope": "本金、利息"},
        "rights": [{"kind": "invention", "number": NUMBER, "title": "一种装置",
                    "filing_date": "2019-01-02", "grant_date": "2021-05-06"}],
        "commitment_letter": true
    }))
    .unwrap_or_default()
}

fn registered_right() -> Right {
    Right {
        id: 1,
        kind: RightKind::Invention,
        number: NUMBER.into(),
        title: "一种装置".into(),
        filing_date: date("2019-01-02"),
        grant_date: Some(date("2021-05-06")),
        legal_status: LegalStatus::InForce,
        annual_fee_paid_until: Some(date("2027-01-01")),
        nice_class: None,
        ipc_main: None,
        renewals: 0,
        expiry_date: Some(date("2039-01-02")),
        holders: vec![Holder {
            name: "甲公司".into(),
            uscc: None,
            party_id: Some(7),
            share_bp: 10_000,
        }],
        updated_at: chrono::DateTime::UNIX_EPOCH,
    }
}

fn facts(right: Option<Right>) -> ExaminationFacts {
    ExaminationFacts {
        pledgor: PledgorFacts {
            id: 7,
            name: "甲公司".into(),
            uscc: None,
        },
        rights: vec![RightFacts {
            registry: right,
            active_pledge_no: None,
            same_day_twin: None,
        }],
        attachments: vec![],
    }
}

fn codes(input: &PledgeApplicationInput, facts: &ExaminationFacts) -> Vec<(String, Severity)> {
    let application = match input.validate() {
        Ok(application) => application,
        Err(errors) => panic!("{errors}"),
    };
    examine(&application, facts, date("2026-11-23"))
        .into_iter()
        .map(|finding| (finding.code, finding.severity))
        .collect()
}

fn only(
    input: &PledgeApplicationInput,
    facts: &ExaminationFacts,
    code: FindingCode,
    severity: Severity,
) {
    assert_eq!(
        codes(input, facts),
        vec![(code.as_str().to_string(), severity)]
    );
}

#[test]
fn a_clean_application_has_no_findings_and_is_registered() {
    let application = clean_input()
        .validate()
        .unwrap_or_else(|errors| panic!("{errors}"));
    let findings = examine(
        &application,
        &facts(Some(registered_right())),
        date("2026-11-23"),
    );
    assert!(findings.is_empty(), "{findings:?}");
    assert_eq!(outcome(&findings), Outcome::Register);
}

#[test]
fn each_status_refuses_with_its_own_code() {
    let cases = [
        (LegalStatus::NotYetGranted, FindingCode::NotYetGranted),
        (LegalStatus::LateFeePeriod, FindingCode::LateFeePeriod),
        (LegalStatus::LapsedUnpaidFee, FindingCode::RightTerminated),
        (LegalStatus::Expired, FindingCode::RightExpired),
        (LegalStatus::Invalidated, FindingCode::RightInvalidated),
        (LegalStatus::Preserved, FindingCode::RightPreserved),
        (LegalStatus::OwnershipDispute, FindingCode::OwnershipDispute),
    ];
    for (status, code) in cases {
        let mut right = registered_right();
        right.legal_status = status;
        only(&clean_input(), &facts(Some(right)), code, Severity::Refuse);
    }
}

#[test]
fn consent_turns_a_consentable_refusal_into_a_recorded_consent() {
    let mut right = registered_right();
    right.legal_status = LegalStatus::InvalidationPending;
    let told = facts(Some(right));
    only(
        &clean_input(),
        &told,
        FindingCode::InvalidationPending,
        Severity::NeedsConsent,
    );
    let mut consenting = clean_input();
    consenting.informed_consent = vec!["pledge.invalidation_pending".into()];
    only(
        &consenting,
        &told,
        FindingCode::InvalidationPending,
        Severity::Consented,
    );
    let application = consenting
        .validate()
        .unwrap_or_else(|errors| panic!("{errors}"));
    assert_eq!(
        outcome(&examine(&application, &told, date("2026-11-23"))),
        Outcome::Register
    );

    let mut twin = facts(Some(registered_right()));
    twin.rights[0].same_day_twin = Some("2019200012345".into());
    only(
        &clean_input(),
        &twin,
        FindingCode::SameDayFiling,
        Severity::NeedsConsent,
    );
}

#[test]
fn holders_fees_terms_and_prior_pledges() {
    let mut stranger = registered_right();
    stranger.holders[0] = Holder {
        name: "乙公司".into(),
        uscc: None,
        party_id: Some(8),
        share_bp: 10_000,
    };
    only(
        &clean_input(),
        &facts(Some(stranger)),
        FindingCode::PledgorNotHolder,
        Severity::Refuse,
    );

    let mut co_owned = registered_right();
    co_owned.holders.push(Holder {
        name: "丙大学".into(),
        uscc: None,
        party_id: None,
        share_bp: 5_000,
    });
    only(
        &clean_input(),
        &facts(Some(co_owned.clone())),
        FindingCode::CoOwnerConsentMissing,
        Severity::Refuse,
    );
    let mut consented = clean_input();
    consented.co_owner_consents = vec!["丙大学".into()];
    assert!(codes(&consented, &facts(Some(co_owned))).is_empty());

    let mut unpaid = registered_right();
    unpaid.annual_fee_paid_until = Some(date("2026-01-01"));
    only(
        &clean_input(),
        &facts(Some(unpaid)),
        FindingCode::AnnualFeeUnpaid,
        Severity::Refuse,
    );

    let mut expiring = registered_right();
    expiring.expiry_date = Some(date("2026-12-31"));
    only(
        &clean_input(),
        &facts(Some(expiring)),
        FindingCode::PerformancePastExpiry,
        Severity::Refuse,
    );

    let mut pledged = facts(Some(registered_right()));
    pledged.rights[0].active_pledge_no = Some("Y2026000000001".into());
    only(
        &clean_input(),
        &pledged,
        FindingCode::RightAlreadyPledged,
        Severity::Refuse,
    );

    let mut forfeiture = clean_input();
    forfeiture.pledge_contract.transfer_on_default = true;
    only(
        &forfeiture,
        &facts(Some(registered_right())),
        FindingCode::TransferOnDefault,
        Severity::Refuse,
    );

    let mut no_letter = clean_input();
    no_letter.commitment_letter = false;
    only(
        &no_letter,
        &facts(Some(registered_right())),
        FindingCode::CommitmentLetterMissing,
        Severity::Refuse,
    );
}

#[test]
fn every_missing_term_is_named() {
    let mut input = clean_input();
    input.pledge_contract.scope = None;
    input.pledge_contract.secured_claim_kind = None;
    input.pledge_contract.secured_amount_fen = None;
    input.loan_contract.performance_end = None;
    let found = codes(&input, &facts(Some(registered_right())));
    assert_eq!(found.len(), 4, "{found:?}");
    assert!(
        found
            .iter()
            .all(|(code, _)| code == "pledge.contract_term_missing")
    );
    let mut no_rights = clean_input();
    no_rights.rights.clear();
    let application = no_rights
        .validate()
        .unwrap_or_else(|errors| panic!("{errors}"));
    let findings = examine(
        &application,
        &ExaminationFacts {
            rights: vec![],
            ..facts(None)
        },
        date("2026-11-23"),
    );
    assert_eq!(findings.len(), 1);
    assert!(findings[0].message_en.contains("pledged rights"));
}

#[test]
fn what_rules_cannot_decide_goes_to_review() {
    only(
        &clean_input(),
        &facts(None),
        FindingCode::RightNotInRegistry,
        Severity::Review,
    );
    let mut retitled = registered_right();
    retitled.title = "另一种装置".into();
    let findings = codes(&clean_input(), &facts(Some(retitled)));
    assert_eq!(
        findings,
        vec![("pledge.particulars_mismatch".to_string(), Severity::Review)]
    );
    let mut licence = clean_input();
    licence.pledge_type = PledgeType::LicenceRevenue;
    licence.licence_contracts = vec!["2024-LIC-1".into()];
    only(
        &licence,
        &facts(Some(registered_right())),
        FindingCode::LicenceContractsToCheck,
        Severity::Review,
    );
}

#[test]
fn malformed_values_are_input_errors_not_findings() {
    let mut input = clean_input();
    input.pledge_contract.secured_amount_fen = Some(-1);
    input.rights[0].number = "2019100012341".into();
    input.informed_consent = vec!["pledge.right_already_pledged".into()];
    let errors = input.validate().err().unwrap_or_default();
    let fields: Vec<&str> = errors.0.iter().map(|error| error.field.as_str()).collect();
    assert_eq!(
        fields,
        vec![
            "pledge_contract.secured_amount_fen",
            "rights[0].number",
            "informed_consent[0]"
        ]
    );
}

#[test]
fn statuses_move_only_forward() {
    use ApplicationStatus::*;
    assert!(AwaitingConfirmation.may_become(Registered));
    assert!(InReview.may_become(AwaitingCure));
    assert!(AwaitingCure.may_become(InReview));
    for done in [Registered, Refused, Withdrawn] {
        assert!(done.is_final());
        for next in ApplicationStatus::ALL {
            assert!(!done.may_become(*next), "{done:?} -> {next:?}");
        }
    }
}

#[test]
fn decisions_are_due_the_next_working_day() {
    let calendar = crate::calendar::WorkCalendar::official();
    // Friday 2024-09-27 → Sunday 2024-09-29, a working weekend day (调休);
    // Monday 2024-09-30 → Tuesday 2024-10-08, after the National Day holiday.
    assert_eq!(
        decision_due(calendar, date("2024-09-27")).map(|day| day.date),
        Ok(date("2024-09-29"))
    );
    assert_eq!(
        decision_due(calendar, date("2024-09-30")).map(|day| day.date),
        Ok(date("2024-10-08"))
    );
    assert!(decision_due(calendar, date("2031-03-03")).is_ok_and(|day| day.provisional));
    assert_eq!(registration_no(2026, 42), "Y2026000000042");
}
