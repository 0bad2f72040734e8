//! Imports from credit-loan platforms: their demands and credit grades, row by row.

use super::bad_input;
use crate::rights::normalise_right_number;
use crate::{App, AppError, ErrorKind};
use ipyun_db::exchange::{DemandImport, ImportedDemand};
use ipyun_db::screening_credit::{NewCreditGrade, Recorded};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::field::{FieldError, FieldErrors};
use ipyun_domain::market::exchange::{CreditGradeRow, PlatformDemandRow};
use ipyun_domain::party::PartyKind;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The most rows one import takes.
pub const MAX_IMPORT_ROWS: usize = 10_000;

/// How an import's body is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    /// A JSON array of objects.
    Json,
    /// CSV with a header row (UTF-8, a byte-order mark allowed).
    Csv,
}

/// What became of one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowOutcome {
    Created,
    /// A credit grade already recorded with another grade: replaced.
    Updated,
    /// Recorded before, as it is: nothing changed.
    Duplicate,
    Rejected,
}

/// One row of an import report (rows count from 1, the CSV header aside).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportRowReport {
    pub row: usize,
    pub outcome: RowOutcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uscc: Option<String>,
    /// The demand or credit grade stored, or the one imported before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// An import's report, row by row.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub duplicates: usize,
    pub rejected: usize,
    pub items: Vec<ImportRowReport>,
}

impl ImportReport {
    fn new(items: Vec<ImportRowReport>) -> ImportReport {
        let count = |outcome| items.iter().filter(|row| row.outcome == outcome).count();
        ImportReport {
            rows: items.len(),
            created: count(RowOutcome::Created),
            updated: count(RowOutcome::Updated),
            duplicates: count(RowOutcome::Duplicate),
            rejected: count(RowOutcome::Rejected),
            items,
        }
    }
}

/// Which JSON type a CSV column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    Text,
    Integer,
    /// Values separated by `;` (or `,`, `；`).
    List,
}

/// The rows of a body as JSON objects (CSV cells typed by `columns`), or the body's fault.
fn body_rows(
    format: BodyFormat,
    body: &[u8],
    columns: &[(&str, Cell)],
) -> Result<Vec<Value>, AppError> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let rows = match format {
        BodyFormat::Json => match serde_json::from_slice::<Value>(body) {
            Ok(Value::Array(rows)) => rows,
            Ok(_) => {
                return Err(bad_input(
                    "import.not_an_array",
                    "send a JSON array of rows",
                ));
            }
            Err(error) => return Err(bad_input("import.bad_json", error.to_string())),
        },
        BodyFormat::Csv => csv_rows(body, columns)?,
    };
    if rows.len() > MAX_IMPORT_ROWS {
        return Err(bad_input(
            "import.too_many_rows",
            format!("an import takes at most {MAX_IMPORT_ROWS} rows"),
        ));
    }
    Ok(rows)
}

fn csv_rows(body: &[u8], columns: &[(&str, Cell)]) -> Result<Vec<Value>, AppError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(body);
    let header: Vec<String> = reader
        .headers()
        .map_err(|error| bad_input("import.bad_csv", error.to_string()))?
        .iter()
        .map(|name| name.trim().to_ascii_lowercase())
        .collect();
    let mut cells = Vec::with_capacity(header.len());
    let mut unknown = FieldErrors::default();
    for name in &header {
        match columns.iter().find(|(column, _)| column == name) {
            Some((_, cell)) => cells.push(*cell),
            None => unknown.push(FieldError::new(
                name.clone(),
                "unknown_column",
                format!(
                    "the columns are {}",
                    columns
                        .iter()
                        .map(|(c, _)| *c)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }
    unknown.into_result().map_err(AppError::validation)?;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| bad_input("import.bad_csv", error.to_string()))?;
        let mut object = Map::new();
        for ((name, cell), text) in header.iter().zip(&cells).zip(record.iter()) {
            if text.is_empty() {
                continue;
            }
            let value = match cell {
                Cell::Text => Value::String(text.to_string()),
                // Left as text when not a number: the row's own check names the field.
                Cell::Integer => text
                    .parse::<i64>()
                    .map_or_else(|_| Value::String(text.to_string()), Value::from),
                Cell::List => Value::Array(
                    text.split([';', ',', '；'])
                        .map(str::trim)
                        .filter(|item| !item.is_empty())
                        .map(|item| Value::String(item.to_string()))
                        .collect(),
                ),
            };
            object.insert(name.clone(), value);
        }
        rows.push(Value::Object(object));
    }
    Ok(rows)
}

/// A row as `T`, or its fault named by the field's path.
fn typed_row<T: DeserializeOwned>(row: Value) -> Result<T, FieldErrors> {
    serde_path_to_error::deserialize(row).map_err(|error| {
        let path = error.path().to_string();
        let field = if path == "." { "row".to_string() } else { path };
        FieldErrors(vec![FieldError::new(
            field,
            "invalid",
            error.into_inner().to_string(),
        )])
    })
}

fn text_of(row: &Value, field: &str) -> Option<String> {
    row.get(field).and_then(Value::as_str).map(str::to_string)
}

const GRADE_IMPORT_COLUMNS: [(&str, Cell); 4] = [
    ("uscc", Cell::Text),
    ("source", Cell::Text),
    ("grade", Cell::Text),
    ("as_of", Cell::Text),
];

/// A row's faults from a refusal (a bad request); any other failure stops the import.
fn row_faults(error: AppError) -> Result<Vec<FieldError>, AppError> {
    if error.kind != ErrorKind::BadRequest {
        return Err(error);
    }
    Ok(if error.details.is_empty() {
        vec![FieldError::new("row", error.code, error.message)]
    } else {
        error.details
    })
}

const DEMAND_IMPORT_COLUMNS: [(&str, Cell); 9] = [
    ("platform", Cell::Text),
    ("external_id", Cell::Text),
    ("uscc", Cell::Text),
    ("amount_fen", Cell::Integer),
    ("amount_yuan", Cell::Text),
    ("months", Cell::Integer),
    ("purpose", Cell::Text),
    ("rights", Cell::List),
    ("urgency", Cell::Text),
];

impl App {
    /// The province an importer acts for (`None`: everywhere), or a refusal.
    pub(crate) fn import_scope(&self, principal: &Principal) -> Result<Option<String>, AppError> {
        match principal.role {
            Role::PlatformAdmin => Ok(None),
            Role::ProvincialOffice => crate::loans::province(principal)
                .map(Some)
                .ok_or_else(|| AppError::forbidden("your office has no region")),
            _ => Err(AppError::forbidden(
                "platform administrators and provincial offices import a platform's data",
            )),
        }
    }

    /// The enterprise with this USCC, within the importer's province, or the row's fault.
    pub(crate) async fn import_enterprise(
        &self,
        uscc: &str,
        province: Option<&str>,
    ) -> Result<ipyun_domain::party::Party, AppError> {
        let fault = |code: &str, message: String| {
            AppError::validation(FieldErrors(vec![FieldError::new("uscc", code, message)]))
        };
        let party = self
            .db
            .find_party(Some(uscc), PartyKind::Enterprise, "")
            .await?
            .filter(|party| party.kind == PartyKind::Enterprise)
            .ok_or_else(|| {
                fault(
                    "not_registered",
                    format!("no enterprise {uscc} is registered"),
                )
            })?;
        if let Some(province) = province
            && !party
                .region
                .as_deref()
                .is_some_and(|region| region.starts_with(province))
        {
            return Err(fault(
                "outside_province",
                format!("{uscc} is not an enterprise of your province"),
            ));
        }
        Ok(party)
    }

    /// Imports a platform's demands row by row (see the module's rules); each demand created
    /// is offered to the lenders' endpoints it matches.
    pub async fn import_platform_demands(
        &self,
        principal: &Principal,
        format: BodyFormat,
        body: &[u8],
    ) -> Result<ImportReport, AppError> {
        let province = self.import_scope(principal)?;
        let rows = body_rows(format, body, &DEMAND_IMPORT_COLUMNS)?;
        let mut items = Vec::with_capacity(rows.len());
        for (index, row) in rows.into_iter().enumerate() {
            let mut report = ImportRowReport {
                row: index + 1,
                outcome: RowOutcome::Rejected,
                external_id: text_of(&row, "external_id"),
                uscc: text_of(&row, "uscc"),
                id: None,
                errors: Vec::new(),
            };
            match self
                .import_demand_row(principal, province.as_deref(), row)
                .await
            {
                Ok(ImportedDemand::Created(id)) => {
                    report.outcome = RowOutcome::Created;
                    report.id = Some(id);
                    self.after_demand_published(id).await;
                }
                Ok(ImportedDemand::Duplicate(id)) => {
                    report.outcome = RowOutcome::Duplicate;
                    report.id = Some(id);
                }
                Err(error) => report.errors = row_faults(error)?,
            }
            items.push(report);
        }
        self.audited_report(principal, "platform_demands", items)
            .await
    }

    /// The report, audited as one entry with its counts.
    async fn audited_report(
        &self,
        principal: &Principal,
        subject: &str,
        items: Vec<ImportRowReport>,
    ) -> Result<ImportReport, AppError> {
        let report = ImportReport::new(items);
        let counts = serde_json::json!({"rows": report.rows, "created": report.created,
            "updated": report.updated, "duplicates": report.duplicates, "rejected": report.rejected})
        .to_string();
        self.db
            .append_audit(
                &principal.username,
                &format!("import.{subject}"),
                "import",
                subject,
                Some(&counts),
                self.clock.now(),
            )
            .await?;
        Ok(report)
    }

    /// Imports credit grades (a platform's, or the tax authority's) row by row: each is
    /// stored with [`ipyun_db::Db::record_credit_grade`] — created, updated when the grade for
    /// that enterprise, source and date changed, or a duplicate when it is already there.
    pub async fn import_credit_grades(
        &self,
        principal: &Principal,
        format: BodyFormat,
        body: &[u8],
    ) -> Result<ImportReport, AppError> {
        let province = self.import_scope(principal)?;
        let rows = body_rows(format, body, &GRADE_IMPORT_COLUMNS)?;
        let mut items = Vec::with_capacity(rows.len());
        for (index, row) in rows.into_iter().enumerate() {
            let mut report = ImportRowReport {
                row: index + 1,
                outcome: RowOutcome::Rejected,
                external_id: None,
                uscc: text_of(&row, "uscc"),
                id: None,
                errors: Vec::new(),
            };
            match self
                .import_grade_row(principal, province.as_deref(), row)
                .await
            {
                Ok(recorded) => {
                    report.id = Some(recorded.id());
                    report.outcome = match recorded {
                        Recorded::Created(_) => RowOutcome::Created,
                        Recorded::Updated(_) => RowOutcome::Updated,
                        Recorded::Unchanged(_) => RowOutcome::Duplicate,
                    };
                }
                Err(error) => report.errors = row_faults(error)?,
            }
            items.push(report);
        }
        self.audited_report(principal, "credit_grades", items).await
    }

    async fn import_grade_row(
        &self,
        principal: &Principal,
        province: Option<&str>,
        row: Value,
    ) -> Result<Recorded, AppError> {
        let row: CreditGradeRow = typed_row(row).map_err(AppError::validation)?;
        let grade = row
            .validate(self.clock.today())
            .map_err(AppError::validation)?;
        let enterprise = self
            .import_enterprise(grade.uscc.as_str(), province)
            .await?;
        Ok(self
            .db
            .record_credit_grade(
                &NewCreditGrade {
                    enterprise_id: enterprise.id,
                    source: grade.source.as_str(),
                    grade: grade.grade,
                    as_of: grade.as_of,
                },
                &principal.username,
                self.clock.now(),
            )
            .await?)
    }

    async fn import_demand_row(
        &self,
        principal: &Principal,
        province: Option<&str>,
        row: Value,
    ) -> Result<ImportedDemand, AppError> {
        let row: PlatformDemandRow = typed_row(row).map_err(AppError::validation)?;
        let demand = row.validate().map_err(AppError::validation)?;
        if let Some(id) = self
            .db
            .imported_demand_id(&demand.source, &demand.external_id)
            .await?
        {
            return Ok(ImportedDemand::Duplicate(id));
        }
        let enterprise = self
            .import_enterprise(demand.uscc.as_str(), province)
            .await?;
        let mut terms = demand.draft.validate().map_err(AppError::validation)?;
        let mut errors = FieldErrors::default();
        let mut numbers = Vec::with_capacity(terms.rights.len());
        for (index, raw) in demand.draft.rights.iter().enumerate() {
            let number = normalise_right_number(raw);
            let held = self
                .db
                .get_right(&number)
                .await?
                .is_some_and(|right| right.is_held_by(enterprise.id));
            if held {
                numbers.push(number);
            } else {
                errors.push(FieldError::new(
                    format!("rights[{index}]"),
                    "not_yours",
                    format!("{number} is not a right of this enterprise in the register"),
                ));
            }
        }
        errors.into_result().map_err(AppError::validation)?;
        numbers.sort();
        numbers.dedup();
        terms.rights = numbers;
        let import = DemandImport {
            enterprise_id: enterprise.id,
            source: &demand.source,
            external_id: &demand.external_id,
            on_date: self.clock.today(),
            actor: &principal.username,
        };
        Ok(self
            .db
            .import_demand(&import, &terms, self.clock.now())
            .await?)
    }
}
