//! `/portfolio-valuation`: several patents valued at once by the automated model — rights typed
//! one a line or separated by commas, an enterprise's patents (its party id: the party page
//! links here), or a registered pledge's bundle — with each item's range and confidence, the
//! rights skipped as not patents, and the combined range. A GET form: valuing changes nothing.
//! Faults (nothing or two sources given, too many rights, a right not found or not yours) are
//! shown above the form, which keeps what was typed.

use super::avm::{PurposeOption, purpose_of, purpose_options};
use super::error::{PageError, error_key};
use super::extract::{PageQuery, SignedIn};
use super::frame::PageFrame;
use super::pledge_views::yuan;
use super::views::{path_segment, share_percent};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use ipyun_app::AppError;
use ipyun_app::portfolio::{MAX_PORTFOLIO, PortfolioValuation};
use ipyun_domain::avm::Purpose;
use serde::{Deserialize, Serialize};

/// The form as sent: every field text.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct PortfolioForm {
    pub numbers: String,
    pub party: String,
    pub registration_no: String,
    pub purpose: String,
}

/// What to value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Numbers(Vec<String>),
    Party(i64),
    Pledge(String),
}

/// A fault of the form: its message's key and arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fault {
    pub key: String,
    pub number: Option<String>,
    pub count: Option<usize>,
    pub max: usize,
}

impl Fault {
    fn new(key: &str) -> Self {
        Fault {
            key: key.to_string(),
            number: None,
            count: None,
            max: MAX_PORTFOLIO,
        }
    }
}

/// The right numbers typed: split at line breaks, commas (also full-width), semicolons, 、 and
/// spaces; duplicates dropped, the first kept.
pub fn split_numbers(raw: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    raw.split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | ';' | '；' | '、'))
        .map(str::trim)
        .filter(|number| !number.is_empty())
        .filter(|number| seen.insert(number.to_uppercase()))
        .map(str::to_string)
        .collect()
}

impl PortfolioForm {
    /// Whether the form was sent at all (a bare `/portfolio-valuation` only shows it).
    fn sent(&self) -> bool {
        [
            &self.numbers,
            &self.party,
            &self.registration_no,
            &self.purpose,
        ]
        .iter()
        .any(|field| !field.trim().is_empty())
    }

    pub fn purpose(&self) -> Purpose {
        purpose_of(Some(&self.purpose))
    }

    /// What the form asks to value; `Ok(None)` when it was not sent.
    pub fn source(&self) -> Result<Option<Source>, Fault> {
        let numbers = split_numbers(&self.numbers);
        let party = self.party.trim();
        let registration_no = self.registration_no.trim();
        let given = [
            !numbers.is_empty(),
            !party.is_empty(),
            !registration_no.is_empty(),
        ]
        .into_iter()
        .filter(|given| *given)
        .count();
        if given > 1 {
            return Err(Fault::new("portfolio-error-one-source"));
        }
        if !numbers.is_empty() {
            if numbers.len() > MAX_PORTFOLIO {
                return Err(Fault {
                    count: Some(numbers.len()),
                    ..Fault::new("portfolio-error-too-many")
                });
            }
            return Ok(Some(Source::Numbers(numbers)));
        }
        if !party.is_empty() {
            let id = party
                .trim_start_matches('#')
                .parse::<i64>()
                .map_err(|_| Fault::new("portfolio-error-bad-party"))?;
            return Ok(Some(Source::Party(id)));
        }
        if !registration_no.is_empty() {
            return Ok(Some(Source::Pledge(registration_no.to_string())));
        }
        if self.sent() {
            return Err(Fault::new("portfolio-error-nothing"));
        }
        Ok(None)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemRow {
    pub number: String,
    pub href: String,
    pub title: String,
    pub low: String,
    pub mid: String,
    pub high: String,
    pub confidence: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SkippedRow {
    pub number: String,
    pub href: String,
}

/// The valued portfolio as the page shows it: amounts in yuan exact from the fen.
#[derive(Debug, Clone, Serialize)]
pub struct ResultView {
    /// `numbers`, `party` or `pledge`.
    pub source: &'static str,
    /// The party's name or the registration number.
    pub label: String,
    pub purpose: &'static str,
    pub items: Vec<ItemRow>,
    pub skipped: Vec<SkippedRow>,
    pub low: String,
    pub mid: String,
    pub high: String,
    pub confidence: String,
    pub truncated: u32,
    pub max: usize,
}

impl ResultView {
    pub fn new(source: &'static str, label: String, valued: &PortfolioValuation) -> Self {
        let purpose = valued.purpose.as_str();
        let right_href =
            |number: &str| format!("/rights/{}?avm_purpose={purpose}#avm", path_segment(number));
        ResultView {
            source,
            label,
            purpose,
            items: valued
                .items
                .iter()
                .map(|item| ItemRow {
                    href: right_href(&item.number),
                    number: item.number.clone(),
                    title: item.title.clone(),
                    low: yuan(item.low_fen),
                    mid: yuan(item.mid_fen),
                    high: yuan(item.high_fen),
                    confidence: share_percent(item.confidence_bp),
                })
                .collect(),
            skipped: valued
                .skipped
                .iter()
                .map(|number| SkippedRow {
                    href: format!("/rights/{}", path_segment(number)),
                    number: number.clone(),
                })
                .collect(),
            low: yuan(valued.low_fen),
            mid: yuan(valued.mid_fen),
            high: yuan(valued.high_fen),
            confidence: share_percent(valued.confidence_bp),
            truncated: valued.truncated,
            max: MAX_PORTFOLIO,
        }
    }
}

#[derive(Serialize)]
struct PortfolioView {
    form: PortfolioForm,
    purposes: Vec<PurposeOption>,
    fault: Option<Fault>,
    result: Option<ResultView>,
    max: usize,
    /// The navigation's active link.
    nav_active: &'static str,
}

fn render(
    frame: &PageFrame,
    status: StatusCode,
    form: PortfolioForm,
    fault: Option<Fault>,
    result: Option<ResultView>,
) -> Result<Response, PageError> {
    let view = PortfolioView {
        purposes: purpose_options(form.purpose()),
        form,
        fault,
        result,
        max: MAX_PORTFOLIO,
        nav_active: "portfolio-valuation",
    };
    frame.render_with_status(status, "portfolio.html", &view)
}

/// A use case's refusal as a fault of the form, with its status; `None` for a server fault
/// (shown as the error page).
fn refusal(frame: &PageFrame, error: AppError, numbers: &[String]) -> Option<(StatusCode, Fault)> {
    let named = error
        .details
        .iter()
        .find_map(|detail| {
            let index = detail
                .field
                .strip_prefix("numbers[")?
                .strip_suffix(']')?
                .parse::<usize>()
                .ok()?;
            numbers.get(index).cloned()
        })
        .filter(|_| error.code == "right.not_found");
    let api = ApiError::from(error);
    if api.status.is_server_error() {
        return None;
    }
    let fault = match named {
        Some(number) => Fault {
            number: Some(number),
            ..Fault::new("portfolio-error-not-found")
        },
        None => {
            let specific = error_key(&api.code);
            let key = if frame.has_text(&specific) {
                specific
            } else {
                format!("error-status-{}", api.status.as_u16())
            };
            Fault::new(&key)
        }
    };
    Some((api.status, fault))
}

/// `GET /portfolio-valuation`: the form, and the valued portfolio when it was sent.
pub async fn portfolio_page(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PageQuery(form): PageQuery<PortfolioForm>,
) -> Result<Response, PageError> {
    let source = match form.source() {
        Ok(Some(source)) => source,
        Ok(None) => return render(&frame, StatusCode::OK, form, None, None),
        Err(fault) => return render(&frame, StatusCode::BAD_REQUEST, form, Some(fault), None),
    };
    let principal = &actor.principal;
    let purpose = form.purpose();
    let app = &state.app;
    let (numbers, valued) = match &source {
        Source::Numbers(numbers) => (
            numbers.as_slice(),
            app.value_portfolio(principal, numbers, purpose)
                .await
                .map(|valued| ResultView::new("numbers", String::new(), &valued)),
        ),
        Source::Party(id) => {
            let valued = app.value_party_portfolio(principal, *id, purpose).await;
            let name = match &valued {
                Ok(_) => app
                    .get_party(principal, *id)
                    .await
                    .map(|party| party.name)
                    .unwrap_or_else(|_| format!("#{id}")),
                Err(_) => String::new(),
            };
            (
                &[][..],
                valued.map(|valued| ResultView::new("party", name, &valued)),
            )
        }
        Source::Pledge(number) => (
            &[][..],
            app.value_pledge_bundle(principal, number, purpose)
                .await
                .map(|valued| ResultView::new("pledge", number.to_uppercase(), &valued)),
        ),
    };
    match valued {
        Ok(result) => render(&frame, StatusCode::OK, form, None, Some(result)),
        Err(error) => match refusal(&frame, error.clone(), numbers) {
            Some((status, fault)) => render(&frame, status, form, Some(fault), None),
            None => Err(frame.fail(error)),
        },
    }
}

#[cfg(test)]
pub(super) mod samples {
    use super::*;
    use ipyun_app::avm::AutomatedValuation;

    fn form(numbers: &str, party: &str, registration_no: &str) -> PortfolioForm {
        PortfolioForm {
            numbers: numbers.into(),
            party: party.into(),
            registration_no: registration_no.into(),
            purpose: "licence".into(),
        }
    }

    pub fn valued() -> PortfolioValuation {
        let first = super::super::avm::samples::valuation(Purpose::Licence);
        let second = AutomatedValuation {
            number: "202120654321.0".into(),
            low_fen: 1,
            mid_fen: 150_000_000,
            high_fen: 999_999_999_999,
            confidence_bp: 2_500,
            ..first.clone()
        };
        PortfolioValuation {
            purpose: Purpose::Licence,
            low_fen: first.low_fen + second.low_fen,
            mid_fen: first.mid_fen + second.mid_fen,
            high_fen: first.high_fen + second.high_fen,
            confidence_bp: 4_321,
            items: vec![first, second],
            skipped: vec!["12345678".into()],
            truncated: 0,
        }
    }

    /// The form alone, with each fault, and with each kind of result.
    pub fn views() -> Vec<(&'static str, minijinja::Value)> {
        let mut views = Vec::new();
        let mut add = |form: PortfolioForm, fault: Option<Fault>, result: Option<ResultView>| {
            let view = PortfolioView {
                purposes: purpose_options(form.purpose()),
                form,
                fault,
                result,
                max: MAX_PORTFOLIO,
                nav_active: "portfolio-valuation",
            };
            views.push(("portfolio.html", minijinja::Value::from_serialize(view)));
        };
        add(PortfolioForm::default(), None, None);
        for key in [
            "portfolio-error-nothing",
            "portfolio-error-one-source",
            "portfolio-error-bad-party",
            "error-portfolio-forbidden",
            "error-pledge-not_found",
        ] {
            add(form("", "7", "Y2026"), Some(Fault::new(key)), None);
        }
        add(
            form("202110123456.7\n<script>", "", ""),
            Some(Fault {
                number: Some("<script>".into()),
                ..Fault::new("portfolio-error-not-found")
            }),
            None,
        );
        add(
            form("1,2,3", "", ""),
            Some(Fault {
                count: Some(201),
                ..Fault::new("portfolio-error-too-many")
            }),
            None,
        );
        let valued = valued();
        add(
            form("202110123456.7, 202120654321.0, 12345678", "", ""),
            None,
            Some(ResultView::new("numbers", String::new(), &valued)),
        );
        let mut party = valued.clone();
        party.skipped.clear();
        party.truncated = 17;
        add(
            form("", "7", ""),
            None,
            Some(ResultView::new(
                "party",
                "福州新能源 <script>".into(),
                &party,
            )),
        );
        let empty = PortfolioValuation {
            items: Vec::new(),
            skipped: Vec::new(),
            low_fen: 0,
            mid_fen: 0,
            high_fen: 0,
            confidence_bp: 0,
            ..valued
        };
        add(
            form("", "", "Y2026000000123"),
            None,
            Some(ResultView::new("pledge", "Y2026000000123".into(), &empty)),
        );
        views
    }

    #[test]
    fn numbers_split_at_any_separator_without_duplicates() {
        assert_eq!(
            split_numbers(
                " 202110123456.7\n202120654321.0，12345678; 12345678、2020SR0123456 \r\n"
            ),
            vec![
                "202110123456.7",
                "202120654321.0",
                "12345678",
                "2020SR0123456"
            ]
        );
        assert!(split_numbers(" \n ,, ").is_empty());
    }

    #[test]
    fn the_form_names_one_source() {
        assert_eq!(PortfolioForm::default().source(), Ok(None));
        assert_eq!(
            form("1, 2", "", "").source(),
            Ok(Some(Source::Numbers(vec!["1".into(), "2".into()])))
        );
        assert_eq!(form("", " #7 ", "").source(), Ok(Some(Source::Party(7))));
        assert_eq!(
            form("", "", " Y2026 ").source(),
            Ok(Some(Source::Pledge("Y2026".into())))
        );
        let fault = |form: PortfolioForm| form.source().err().map(|fault| fault.key);
        assert_eq!(
            fault(form("1", "7", "")).as_deref(),
            Some("portfolio-error-one-source")
        );
        assert_eq!(
            fault(form("", "", "")).as_deref(),
            Some("portfolio-error-nothing"),
            "a purpose alone was sent"
        );
        assert_eq!(
            fault(form("", "seven", "")).as_deref(),
            Some("portfolio-error-bad-party")
        );
        let many: Vec<String> = (0..=MAX_PORTFOLIO).map(|n| n.to_string()).collect();
        let refused = form(&many.join("\n"), "", "").source().err();
        assert_eq!(refused.and_then(|fault| fault.count), Some(201));
    }

    #[test]
    fn the_result_sums_to_the_fen() {
        let view = ResultView::new("numbers", String::new(), &valued());
        assert_eq!(view.items[1].high, "9,999,999,999.99");
        assert_eq!(view.items[1].low, "0.01");
        assert_eq!(view.confidence, "43.21%");
        assert_eq!(view.skipped[0].href, "/rights/12345678");
        assert_eq!(
            view.items[0].href,
            "/rights/202110123456.7?avm_purpose=licence#avm"
        );
    }
}
