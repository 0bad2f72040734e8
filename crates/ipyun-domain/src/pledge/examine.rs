//! The automatic examination (feature P2): the application against the registry as it stands.
//! Pure: the caller gathers the facts (inside the transaction that will record the decision).

use super::finding::{Finding, FindingCode, Measures};
use super::input::{PledgeApplication, PledgeType, PledgedRight};
use crate::right::{LegalStatus, Right, RightKind};
use chrono::NaiveDate;

/// The pledgor as the platform knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PledgorFacts {
    pub id: i64,
    pub name: String,
    pub uscc: Option<String>,
}

/// What the registry says about one right of the application (same order as its `rights`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RightFacts {
    pub registry: Option<Right>,
    /// The registration number of an active pledge over the right, if any.
    pub active_pledge_no: Option<String>,
    /// The number of the other half of a same-day invention / utility-model pair, if any.
    pub same_day_twin: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExaminationFacts {
    pub pledgor: PledgorFacts,
    pub rights: Vec<RightFacts>,
    /// File names of the application's attachments.
    pub attachments: Vec<String>,
}

/// The decision the findings lead to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Register,
    Refuse,
    Review,
}

pub fn outcome(findings: &[Finding]) -> Outcome {
    use super::finding::Severity;
    if findings
        .iter()
        .any(|finding| matches!(finding.severity, Severity::Refuse | Severity::NeedsConsent))
    {
        Outcome::Refuse
    } else if findings
        .iter()
        .any(|finding| finding.severity == Severity::Review)
    {
        Outcome::Review
    } else {
        Outcome::Register
    }
}

/// The measures of the application as a whole: those of its first right (patents when none).
fn application_measures(application: &PledgeApplication) -> Measures {
    application
        .rights
        .first()
        .map_or(Measures::Patent, |right| Measures::of(right.kind))
}

fn holder_is(holder: &crate::right::Holder, pledgor: &PledgorFacts) -> bool {
    holder.party_id == Some(pledgor.id)
        || (holder.uscc.as_ref().map(|uscc| uscc.as_str()) == pledgor.uscc.as_deref()
            && pledgor.uscc.is_some())
        || holder.name.trim() == pledgor.name.trim()
}

fn contract_findings(application: &PledgeApplication, findings: &mut Vec<Finding>) {
    let measures = application_measures(application);
    let loan = &application.loan_contract;
    let pledge = &application.pledge_contract;
    let mut missing: Vec<(&str, &str)> = Vec::new();
    if pledge.secured_claim_kind.is_none() {
        missing.push(("被担保的主债权种类", "the kind of secured claim"));
    }
    if pledge.secured_amount_fen.is_none() {
        missing.push(("被担保的债权数额", "the secured amount"));
    }
    if loan.performance_start.is_none() || loan.performance_end.is_none() {
        missing.push(("债务人履行债务的期限", "the debtor's performance period"));
    }
    if application.rights.is_empty() {
        missing.push((
            "出质的权利（名称、号码、申请日、授权日）",
            "the pledged rights",
        ));
    }
    if pledge.scope.is_none() {
        missing.push(("质押担保的范围", "the scope of the security"));
    }
    if application.pledge_type == PledgeType::LicenceRevenue
        && application.licence_contracts.is_empty()
    {
        missing.push((
            "出质的许可合同",
            "the licence contracts whose revenue is pledged",
        ));
    }
    for (term_zh, term_en) in missing {
        findings.push(Finding::new(
            FindingCode::ContractTermMissing,
            measures,
            None,
            format!("质押合同缺少必备条款：{term_zh}。"),
            format!("The pledge contract lacks a required term: {term_en}."),
        ));
    }
    if pledge.transfer_on_default {
        findings.push(Finding::new(
            FindingCode::TransferOnDefault,
            measures,
            None,
            "质押合同约定债务人不履行到期债务时出质权利归质权人所有（流质条款）。".into(),
            "The contract passes the pledged rights to the pledgee if the debt is not paid (a forfeiture clause).".into(),
        ));
    }
    if !application.commitment_letter {
        findings.push(Finding::new(
            FindingCode::CommitmentLetterMissing,
            measures,
            None,
            "未提交当事人身份证明或承诺书。".into(),
            "Neither identity papers nor the parties' commitment letter were submitted.".into(),
        ));
    }
    if application.pledge_type == PledgeType::LicenceRevenue
        && !application.licence_contracts.is_empty()
    {
        findings.push(Finding::new(
            FindingCode::LicenceContractsToCheck,
            measures,
            None,
            format!(
                "许可收益权质押：需审查员核对许可合同备案 {}。",
                application.licence_contracts.join("、")
            ),
            format!(
                "Licence-revenue pledge: an examiner checks the recorded licence contracts {}.",
                application.licence_contracts.join(", ")
            ),
        ));
    }
}

fn status_finding(status: LegalStatus) -> Option<(FindingCode, &'static str, &'static str)> {
    match status {
        LegalStatus::InForce | LegalStatus::InvalidationPending => None,
        LegalStatus::NotYetGranted => Some((
            FindingCode::NotYetGranted,
            "尚未授权或核准注册",
            "is not yet granted or registered",
        )),
        LegalStatus::LateFeePeriod => Some((
            FindingCode::LateFeePeriod,
            "处于年费滞纳期",
            "is in its annual-fee late-payment period",
        )),
        LegalStatus::LapsedUnpaidFee => Some((
            FindingCode::RightTerminated,
            "已因未缴年费终止",
            "has terminated for an unpaid annual fee",
        )),
        LegalStatus::Expired => Some((FindingCode::RightExpired, "已期限届满", "has expired")),
        LegalStatus::Invalidated => Some((
            FindingCode::RightInvalidated,
            "已被宣告无效或撤销",
            "has been invalidated or revoked",
        )),
        LegalStatus::Preserved => Some((
            FindingCode::RightPreserved,
            "已被人民法院采取保全措施",
            "is preserved (frozen) by a court",
        )),
        LegalStatus::OwnershipDispute => Some((
            FindingCode::OwnershipDispute,
            "因权属纠纷中止有关程序",
            "has its procedures suspended for an ownership dispute",
        )),
    }
}

fn right_findings(
    application: &PledgeApplication,
    pledgor: &PledgorFacts,
    declared: &PledgedRight,
    facts: &RightFacts,
    today: NaiveDate,
    findings: &mut Vec<Finding>,
) {
    let measures = Measures::of(declared.kind);
    let number = declared.number.as_str();
    let mut push = |code: FindingCode, zh: String, en: String| {
        let mut finding = Finding::new(code, measures, Some(number), zh, en);
        if code.severity() == super::finding::Severity::NeedsConsent
            && application.consents_to(code)
        {
            finding.severity = super::finding::Severity::Consented;
        }
        findings.push(finding);
    };
    let Some(right) = &facts.registry else {
        push(
            FindingCode::RightNotInRegistry,
            format!("{number} 不在平台登记簿中，由审查员核对官方登记簿。"),
            format!(
                "{number} is not in the platform's register; an examiner checks the official register."
            ),
        );
        return;
    };
    if !right
        .holders
        .iter()
        .any(|holder| holder_is(holder, pledgor))
    {
        push(
            FindingCode::PledgorNotHolder,
            format!("出质人“{}”不是 {number} 登记簿记载的权利人。", pledgor.name),
            format!(
                "The pledgor \"{}\" is not the registered holder of {number}.",
                pledgor.name
            ),
        );
    } else {
        for holder in right
            .holders
            .iter()
            .filter(|holder| !holder_is(holder, pledgor))
        {
            let consented = application.co_owner_consents.iter().any(|consent| {
                consent == holder.name.trim()
                    || holder
                        .uscc
                        .as_ref()
                        .is_some_and(|uscc| consent == uscc.as_str())
            });
            if !consented {
                push(
                    FindingCode::CoOwnerConsentMissing,
                    format!("{number} 为共有权利，未取得共有人“{}”的同意。", holder.name),
                    format!(
                        "{number} is co-owned and the co-owner \"{}\" has not consented.",
                        holder.name
                    ),
                );
            }
        }
    }
    if let Some((code, zh, en)) = status_finding(right.legal_status) {
        push(code, format!("{number} {zh}。"), format!("{number} {en}."));
    }
    let is_patent = matches!(
        right.kind,
        RightKind::Invention | RightKind::UtilityModel | RightKind::Design
    );
    if is_patent
        && right.legal_status == LegalStatus::InForce
        && right
            .annual_fee_paid_until
            .is_some_and(|paid_until| paid_until < today)
    {
        push(
            FindingCode::AnnualFeeUnpaid,
            format!("{number} 未按规定缴纳年费。"),
            format!("The annual fee of {number} has not been paid."),
        );
    }
    if right.legal_status == LegalStatus::InvalidationPending {
        push(
            FindingCode::InvalidationPending,
            format!("{number} 已被启动无效宣告程序；当事人被告知后仍声明继续办理的，可予登记。"),
            format!(
                "An invalidation request against {number} is pending; registration goes on only if the parties, told of it, declare they want to."
            ),
        );
    }
    if let Some(twin) = &facts.same_day_twin {
        push(
            FindingCode::SameDayFiling,
            format!(
                "{number} 与 {twin} 为同日申请的同样的发明创造；当事人被告知后仍声明继续办理的，可予登记。"
            ),
            format!(
                "{number} and {twin} were filed the same day for the same creation; registration goes on only if the parties, told of it, declare they want to."
            ),
        );
    }
    if let (Some(end), Some(expiry)) =
        (application.loan_contract.performance_end, right.expiry_date)
        && end > expiry
    {
        push(
            FindingCode::PerformancePastExpiry,
            format!("债务履行期限（至 {end}）超过 {number} 的有效期（至 {expiry}）。"),
            format!(
                "The performance period (to {end}) runs past the expiry of {number} ({expiry})."
            ),
        );
    }
    if let Some(pledge_no) = &facts.active_pledge_no {
        push(
            FindingCode::RightAlreadyPledged,
            format!("{number} 已办理质押登记（{pledge_no}）且处于质押期间。"),
            format!("{number} is already under a registered pledge ({pledge_no})."),
        );
    }
    let mut mismatched: Vec<&str> = Vec::new();
    if declared
        .title
        .as_deref()
        .is_some_and(|title| title != right.title.trim())
    {
        mismatched.push("title");
    }
    if declared
        .filing_date
        .is_some_and(|date| date != right.filing_date)
    {
        mismatched.push("filing_date");
    }
    if declared.grant_date.is_some() && declared.grant_date != right.grant_date {
        mismatched.push("grant_date");
    }
    if !mismatched.is_empty() {
        push(
            FindingCode::ParticularsMismatch,
            format!(
                "合同所载 {number} 的著录事项与登记簿不一致（{}），由审查员核对。",
                mismatched.join("、")
            ),
            format!(
                "The contract's particulars of {number} differ from the register ({}); an examiner checks them.",
                mismatched.join(", ")
            ),
        );
    }
}

/// Examines `application` against `facts` (one `RightFacts` per right, in order) as of `today`.
pub fn examine(
    application: &PledgeApplication,
    facts: &ExaminationFacts,
    today: NaiveDate,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    contract_findings(application, &mut findings);
    if let Some(valuation) = &application.valuation {
        let name = valuation.report_file_name.trim();
        if !facts
            .attachments
            .iter()
            .any(|attached| attached.trim() == name)
        {
            findings.push(Finding::new(
                FindingCode::ValuationReportMissing,
                application_measures(application),
                None,
                format!("出质权利经过资产评估，但未提交资产评估报告（{name}）。"),
                format!(
                    "The rights were appraised but the appraisal report ({name}) is not attached."
                ),
            ));
        }
    }
    for (declared, right_facts) in application.rights.iter().zip(&facts.rights) {
        right_findings(
            application,
            &facts.pledgor,
            declared,
            right_facts,
            today,
            &mut findings,
        );
    }
    findings
}
