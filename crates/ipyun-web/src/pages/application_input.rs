//! The application form as typed: its fields read from the form's name–value pairs (checkboxes may
//! repeat), turned into a `PledgeApplicationInput` with every fault named by its form field, and
//! the app's validation findings mapped back onto the fields that caused them.

use super::pledge_views::{parse_date, parse_yuan};
use ipyun_domain::FieldError;
use ipyun_domain::account::Role;
use ipyun_domain::pledge::{
    LoanContract, PledgeApplicationInput, PledgeContract, PledgeType, PledgedRightInput,
};
use ipyun_domain::right::RightKind;
use serde::Serialize;
use std::collections::BTreeMap;

/// Fixed rows for rights; more go in the `rights_more` text area, one `kind number` per line.
pub const RIGHT_ROWS: usize = 3;

/// Every field a fault can be shown at; `form` is the form as a whole.
pub const FIELDS: &[&str] = &[
    "form",
    "other_party",
    "pledge_type",
    "loan_contract_no",
    "debtor",
    "principal_yuan",
    "performance_start",
    "performance_end",
    "pledge_contract_no",
    "secured_claim_kind",
    "secured_amount_yuan",
    "scope",
    "rights",
    "right_row_0",
    "right_row_1",
    "right_row_2",
    "rights_more",
    "licence_contracts",
    "co_owner_consents",
    "informed_consent",
];

#[derive(Debug, Clone, Default, Serialize)]
pub struct RightRowInput {
    pub kind: String,
    pub number: String,
}

/// What the form sent, as typed (to show again when something is wrong).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ApplicationForm {
    pub csrf_token: String,
    pub form_key: String,
    pub other_party: String,
    pub other_party_id: String,
    pub pledge_type: String,
    pub loan_contract_no: String,
    pub debtor: String,
    pub principal_yuan: String,
    pub performance_start: String,
    pub performance_end: String,
    pub pledge_contract_no: String,
    pub secured_claim_kind: String,
    pub secured_amount_yuan: String,
    pub scope: String,
    pub transfer_on_default: bool,
    pub right_rows: Vec<RightRowInput>,
    pub rights_more: String,
    pub licence_contracts: String,
    pub co_owner_consents: String,
    pub informed_consent: Vec<String>,
    pub commitment_letter: bool,
    pub epidemic_supply: bool,
}

/// One fault: the Fluent key of its message, and the line of a text area it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fault {
    pub key: String,
    pub line: Option<usize>,
}

/// Faults per form field (every field present, most empty).
#[derive(Debug, Clone, Serialize)]
pub struct Faults(pub BTreeMap<&'static str, Vec<Fault>>);

impl Default for Faults {
    fn default() -> Self {
        Faults(FIELDS.iter().map(|field| (*field, Vec::new())).collect())
    }
}

impl Faults {
    /// Records rule `code` at `field` (an unknown field counts for the whole form).
    pub fn add(&mut self, field: &str, code: &str, line: Option<usize>) {
        let field = FIELDS
            .iter()
            .find(|known| **known == field)
            .copied()
            .unwrap_or("form");
        self.0.entry(field).or_default().push(Fault {
            key: format!("form-error-{code}"),
            line,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.values().all(Vec::is_empty)
    }

    /// Replaces message keys that have no translation by the generic one.
    pub fn settle(&mut self, has_text: impl Fn(&str) -> bool) {
        for fault in self.0.values_mut().flatten() {
            if !has_text(&fault.key) {
                fault.key = "form-error-invalid".into();
            }
        }
    }
}

/// Where each right of the input came from: a fixed row, or a line of the text area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RightSource {
    pub field: String,
    pub line: Option<usize>,
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect()
}

/// A right kind by its code (`invention`) or its name in either language (`发明专利`).
pub fn right_kind(raw: &str) -> Option<RightKind> {
    RightKind::parse(raw).ok().or_else(|| {
        RightKind::ALL.iter().copied().find(|kind| {
            let (zh, en) = ipyun_notice::right_kind_label(kind.as_str());
            raw.trim() == zh || raw.trim().eq_ignore_ascii_case(en)
        })
    })
}

fn text(value: &str) -> Option<String> {
    Some(value.trim().to_string()).filter(|text| !text.is_empty())
}

impl ApplicationForm {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut form = ApplicationForm {
            right_rows: vec![RightRowInput::default(); RIGHT_ROWS],
            ..ApplicationForm::default()
        };
        for (name, value) in pairs {
            let row = |prefix: &str| {
                name.strip_prefix(prefix)
                    .and_then(|index| index.parse::<usize>().ok())
                    .filter(|index| *index < RIGHT_ROWS)
            };
            if let Some(index) = row("right_kind_") {
                form.right_rows[index].kind = value;
                continue;
            }
            if let Some(index) = row("right_number_") {
                form.right_rows[index].number = value;
                continue;
            }
            let slot = match name.as_str() {
                "csrf_token" => &mut form.csrf_token,
                "form_key" => &mut form.form_key,
                "other_party" => &mut form.other_party,
                "other_party_id" => &mut form.other_party_id,
                "pledge_type" => &mut form.pledge_type,
                "loan_contract_no" => &mut form.loan_contract_no,
                "debtor" => &mut form.debtor,
                "principal_yuan" => &mut form.principal_yuan,
                "performance_start" => &mut form.performance_start,
                "performance_end" => &mut form.performance_end,
                "pledge_contract_no" => &mut form.pledge_contract_no,
                "secured_claim_kind" => &mut form.secured_claim_kind,
                "secured_amount_yuan" => &mut form.secured_amount_yuan,
                "scope" => &mut form.scope,
                "rights_more" => &mut form.rights_more,
                "licence_contracts" => &mut form.licence_contracts,
                "co_owner_consents" => &mut form.co_owner_consents,
                "informed_consent" => {
                    form.informed_consent.push(value);
                    continue;
                }
                "transfer_on_default" => {
                    form.transfer_on_default = true;
                    continue;
                }
                "commitment_letter" => {
                    form.commitment_letter = true;
                    continue;
                }
                "epidemic_supply" => {
                    form.epidemic_supply = true;
                    continue;
                }
                _ => continue,
            };
            *slot = value;
        }
        form
    }

    fn amount(&self, field: &str, raw: &str, faults: &mut Faults) -> Option<i64> {
        parse_yuan(raw).unwrap_or_else(|code| {
            faults.add(field, code, None);
            None
        })
    }

    fn date(&self, field: &str, raw: &str, faults: &mut Faults) -> Option<chrono::NaiveDate> {
        parse_date(raw).unwrap_or_else(|code| {
            faults.add(field, code, None);
            None
        })
    }

    fn rights(&self, faults: &mut Faults) -> (Vec<PledgedRightInput>, Vec<RightSource>) {
        let (mut rights, mut sources) = (Vec::new(), Vec::new());
        let mut push = |kind: RightKind, number: &str, title: Option<String>, source| {
            rights.push(PledgedRightInput {
                kind,
                number: number.trim().to_string(),
                title,
                filing_date: None,
                grant_date: None,
            });
            sources.push(source);
        };
        for (index, row) in self.right_rows.iter().enumerate() {
            if row.number.trim().is_empty() {
                continue;
            }
            let field = format!("right_row_{index}");
            match right_kind(&row.kind) {
                Some(kind) => push(kind, &row.number, None, RightSource { field, line: None }),
                None => faults.add(&field, "unknown_kind", None),
            }
        }
        for (index, line) in self.rights_more.lines().enumerate() {
            let mut words = line.split_whitespace();
            let (Some(kind), Some(number)) = (words.next(), words.next()) else {
                if !line.trim().is_empty() {
                    faults.add("rights_more", "line_format", Some(index + 1));
                }
                continue;
            };
            let title = text(&words.collect::<Vec<_>>().join(" "));
            let source = RightSource {
                field: "rights_more".into(),
                line: Some(index + 1),
            };
            match right_kind(kind) {
                Some(kind) => push(kind, number, title, source),
                None => faults.add("rights_more", "unknown_kind", Some(index + 1)),
            }
        }
        (rights, sources)
    }

    /// The input for `role` (the other party is the pledgor for a lender, the pledgee for an
    /// enterprise), where each right came from, and the faults found before the app looks.
    pub fn input(&self, role: Role) -> (PledgeApplicationInput, Vec<RightSource>, Faults) {
        let mut faults = Faults::default();
        let other = match (text(&self.other_party_id), text(&self.other_party)) {
            (Some(raw), _) | (None, Some(raw)) => {
                match raw.trim_start_matches('#').parse::<i64>() {
                    Ok(id) if id > 0 => Some(id),
                    _ => {
                        faults.add("other_party", "invalid_id", None);
                        None
                    }
                }
            }
            (None, None) => {
                faults.add("other_party", "required", None);
                None
            }
        };
        let (rights, sources) = self.rights(&mut faults);
        let input = PledgeApplicationInput {
            pledgor_id: if role == Role::Lender { other } else { None },
            pledgee_id: if role == Role::Enterprise {
                other
            } else {
                None
            },
            pledge_type: if self.pledge_type == "licence_revenue" {
                PledgeType::LicenceRevenue
            } else {
                PledgeType::Rights
            },
            loan_contract: LoanContract {
                contract_no: text(&self.loan_contract_no),
                debtor: text(&self.debtor),
                principal_fen: self.amount("principal_yuan", &self.principal_yuan, &mut faults),
                performance_start: self.date(
                    "performance_start",
                    &self.performance_start,
                    &mut faults,
                ),
                performance_end: self.date("performance_end", &self.performance_end, &mut faults),
            },
            pledge_contract: PledgeContract {
                contract_no: text(&self.pledge_contract_no),
                secured_claim_kind: text(&self.secured_claim_kind),
                secured_amount_fen: self.amount(
                    "secured_amount_yuan",
                    &self.secured_amount_yuan,
                    &mut faults,
                ),
                scope: text(&self.scope),
                transfer_on_default: self.transfer_on_default,
            },
            rights,
            licence_contracts: lines(&self.licence_contracts),
            co_owner_consents: lines(&self.co_owner_consents),
            informed_consent: self.informed_consent.clone(),
            commitment_letter: self.commitment_letter,
            epidemic_supply: self.epidemic_supply,
            valuation: None,
        };
        (input, sources, faults)
    }
}

/// Puts the app's validation findings on the form fields that caused them.
pub fn map_app_faults(details: &[FieldError], sources: &[RightSource], faults: &mut Faults) {
    for detail in details {
        let field = detail.field.as_str();
        let head = field.split(['[', '.']).next().unwrap_or_default();
        let target = match field {
            "pledgor_id" | "pledgee_id" => "other_party",
            "loan_contract.contract_no" => "loan_contract_no",
            "loan_contract.debtor" => "debtor",
            "loan_contract.principal_fen" => "principal_yuan",
            "loan_contract.performance_start" => "performance_start",
            "loan_contract.performance_end" => "performance_end",
            "pledge_contract.contract_no" => "pledge_contract_no",
            "pledge_contract.secured_claim_kind" => "secured_claim_kind",
            "pledge_contract.secured_amount_fen" => "secured_amount_yuan",
            "pledge_contract.scope" => "scope",
            _ if head == "rights" => {
                let index = field
                    .strip_prefix("rights[")
                    .and_then(|rest| rest.split(']').next())
                    .and_then(|index| index.parse::<usize>().ok());
                match index.and_then(|index| sources.get(index)) {
                    Some(source) => {
                        faults.add(&source.field, &detail.code, source.line);
                        continue;
                    }
                    None => "rights",
                }
            }
            _ if ["licence_contracts", "co_owner_consents", "informed_consent"].contains(&head) => {
                head
            }
            _ => "form",
        };
        faults.add(target, &detail.code, None);
    }
}
