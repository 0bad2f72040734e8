//! `/patents` (public, like the register): the patent search. Words are ranked, quoted strings
//! match exactly, field filters narrow; the facets beside the hits add a filter to the query
//! with one click. A query that does not parse is answered with a 400 page that shows where and
//! why. Signed-in users save the query as a topic.

use super::error::PageError;
use super::extract::{PageQuery, PageVisitor};
use super::views::{Pager, given, lenient_number, path_segment};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use chrono::NaiveDate;
use ipyun_app::patents::{FacetCount, Facets, Hit, SearchResults};
use ipyun_app::patents::{MAX_OFFSET, PatentQuery};
use ipyun_app::{AppError, ErrorKind};
use minijinja::Value;
use serde::{Deserialize, Serialize};

/// Hits per page.
pub const PER_PAGE: usize = 20;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SearchForm {
    q: Option<String>,
    sort: Option<String>,
    page: Option<String>,
}

/// `/patents?q=…` (with the sort when it is not relevance).
pub fn search_href(q: &str, sort: Option<&str>) -> String {
    let mut pairs = vec![("q", q)];
    if let Some(sort) = sort.filter(|sort| *sort != "relevance") {
        pairs.push(("sort", sort));
    }
    format!(
        "/patents?{}",
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    )
}

/// Why a query was refused, as the page shows it: the message's Fluent key, the 1-based
/// character it points at (if it points) and the query split around it.
#[derive(Debug, Clone, Serialize)]
pub struct QueryFault {
    pub key: String,
    pub position: Option<usize>,
    pub before: String,
    pub at: String,
    pub after: String,
    /// The English explanation from the parser (shown only when no translation names the fault).
    pub detail: String,
}

impl QueryFault {
    /// The fault of a refused query. The parser is asked again for the position: the refusal
    /// came from it, and the page marks the character.
    pub fn of(q: &str, error: &AppError) -> QueryFault {
        let parsed = (error.code == "search.bad_query")
            .then(|| ipyun_app::patents::parse_query(q).err())
            .flatten();
        match parsed {
            Some(fault) => {
                let before: String = q.chars().take(fault.position).collect();
                let at: String = q.chars().skip(fault.position).take(1).collect();
                let after: String = q.chars().skip(fault.position + 1).take(200).collect();
                QueryFault {
                    key: format!("search-fault-{}", fault.code),
                    position: Some(fault.position + 1),
                    before: before
                        .chars()
                        .rev()
                        .take(200)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect(),
                    at,
                    after,
                    detail: fault.message,
                }
            }
            None => QueryFault {
                key: format!("search-fault-{}", error.code.replace('.', "-")),
                position: None,
                before: String::new(),
                at: String::new(),
                after: String::new(),
                detail: error.message.clone(),
            },
        }
    }
}

#[derive(Debug, Clone, Serialize)]
struct HitView {
    application_no: String,
    href: String,
    /// Title and snippet with the matches marked (`<em>`), the rest escaped by the index.
    title_html: Value,
    highlight: Value,
    kind: Option<&'static str>,
    legal_status: Option<&'static str>,
    filing_date: Option<NaiveDate>,
    grant_date: Option<NaiveDate>,
    applicants: String,
    ipc_main: Option<String>,
}

impl HitView {
    fn new(hit: Hit) -> Self {
        HitView {
            href: format!("/rights/{}", path_segment(&hit.application_no)),
            application_no: hit.application_no,
            title_html: Value::from_safe_string(hit.title_html),
            highlight: Value::from_safe_string(hit.highlight),
            kind: hit.kind.map(|kind| kind.as_str()),
            legal_status: hit.legal_status.map(|status| status.as_str()),
            filing_date: hit.filing_date,
            grant_date: hit.grant_date,
            applicants: hit.applicants.join("；"),
            ipc_main: hit.ipc_main,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
struct FacetLink {
    /// Fluent key of the value's name (kinds and statuses), else `label`.
    label_key: Option<String>,
    label: String,
    count: u64,
    href: String,
}

#[derive(Debug, Clone, Serialize)]
struct FacetGroup {
    /// Fluent key of the facet's heading.
    heading: &'static str,
    values: Vec<FacetLink>,
}

/// The query with `filter` added (AND), unless it is there already.
pub fn narrowed(q: &str, filter: &str) -> Option<String> {
    if q.split_whitespace().any(|term| term == filter) {
        return None;
    }
    Some(format!("{} {filter}", q.trim()))
}

fn group(
    heading: &'static str,
    q: &str,
    counts: &[FacetCount],
    filter: impl Fn(&FacetCount) -> String,
    label_key: impl Fn(&FacetCount) -> Option<String>,
    take: usize,
) -> Option<FacetGroup> {
    let values: Vec<FacetLink> = counts
        .iter()
        .filter(|count| count.count > 0)
        .filter_map(|count| {
            narrowed(q, &filter(count)).map(|query| FacetLink {
                label_key: label_key(count),
                label: match &count.label {
                    Some(label) => format!("{} {label}", count.value),
                    None => count.value.clone(),
                },
                count: count.count,
                href: search_href(&query, None),
            })
        })
        .take(take)
        .collect();
    (!values.is_empty()).then_some(FacetGroup { heading, values })
}

fn facet_groups(q: &str, facets: &Facets) -> Vec<FacetGroup> {
    let none = |_: &FacetCount| None;
    let mut years = facets.filing_year.clone();
    years.reverse();
    [
        group(
            "search-facet-kind",
            q,
            &facets.kind,
            |count| format!("kind:{}", count.value),
            |count| Some(format!("right-kind-{}", count.value)),
            10,
        ),
        group(
            "search-facet-status",
            q,
            &facets.legal_status,
            |count| format!("status:{}", count.value),
            |count| Some(format!("legal-status-{}", count.value)),
            10,
        ),
        group(
            "search-facet-year",
            q,
            &years,
            |count| format!("filed:{}", count.value),
            none,
            12,
        ),
        group(
            "search-facet-province",
            q,
            &facets.province,
            |count| format!("region:{}", count.value),
            none,
            12,
        ),
        group(
            "search-facet-ipc-section",
            q,
            &facets.ipc_section,
            |count| format!("ipc:{}", count.value),
            none,
            8,
        ),
        group(
            "search-facet-ipc-subclass",
            q,
            &facets.ipc_subclass,
            |count| format!("ipc:{}", count.value),
            none,
            12,
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[derive(Debug, Clone, Serialize)]
struct SortLink {
    key: &'static str,
    href: String,
    active: bool,
}

#[derive(Debug, Serialize)]
struct SearchView {
    q: String,
    asked: bool,
    fault: Option<QueryFault>,
    total: u64,
    hits: Vec<HitView>,
    facets: Vec<FacetGroup>,
    sorts: Vec<SortLink>,
    pager: Option<Pager>,
    /// Paging stops at the index's depth: narrow the query to see further.
    deep_limit: bool,
    landscape_href: String,
    signed_in: bool,
    csrf_token: Option<String>,
    indexed: Option<u64>,
}

fn pager_of(q: &str, sort: &str, page: u64, total: u64) -> Option<Pager> {
    let per_page = PER_PAGE as u64;
    let reachable = total.min((MAX_OFFSET + PER_PAGE) as u64);
    let pages = reachable.div_ceil(per_page).max(1);
    if pages <= 1 {
        return None;
    }
    let url = |number: u64| {
        let mut pairs = vec![("q", q.to_string())];
        if sort != "relevance" {
            pairs.push(("sort", sort.to_string()));
        }
        pairs.push(("page", number.to_string()));
        format!(
            "/patents?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    };
    Some(Pager {
        page,
        pages,
        total,
        prev_url: (page > 1).then(|| url((page - 1).min(pages))),
        next_url: (page < pages).then(|| url(page + 1)),
    })
}

/// `GET /patents`: the form, and the hits when asked.
pub async fn search_page(
    State(state): State<AppState>,
    visitor: PageVisitor,
    uri: Uri,
    PageQuery(form): PageQuery<SearchForm>,
) -> Result<Response, PageError> {
    let frame = visitor.frame(&state, &uri);
    let q = form.q.clone().unwrap_or_default();
    let sort = match given(&form.sort).as_deref() {
        Some("date") => "date",
        _ => "relevance",
    };
    let max_page = (MAX_OFFSET / PER_PAGE + 1) as u64;
    let page = u64::from(lenient_number(form.page.as_deref()).unwrap_or(1)).min(max_page);
    let mut view = SearchView {
        asked: !q.trim().is_empty(),
        fault: None,
        total: 0,
        hits: Vec::new(),
        facets: Vec::new(),
        sorts: ["relevance", "date"]
            .into_iter()
            .map(|key| SortLink {
                key,
                href: search_href(&q, Some(key)),
                active: key == sort,
            })
            .collect(),
        pager: None,
        deep_limit: false,
        landscape_href: format!(
            "/patents/landscape?{}",
            serde_urlencoded::to_string([("q", q.as_str())]).unwrap_or_default()
        ),
        signed_in: visitor.actor.is_some(),
        csrf_token: visitor
            .actor
            .as_ref()
            .and_then(|actor| actor.csrf_token().map(str::to_string)),
        indexed: state.app.indexed_patents(),
        q,
    };
    if !view.asked {
        return frame.render("patent_search.html", &view);
    }
    let query = PatentQuery {
        q: view.q.clone(),
        limit: Some(PER_PAGE),
        offset: Some(usize::try_from(page - 1).unwrap_or(0) * PER_PAGE),
        sort: Some(sort.to_string()),
        facets: true,
    };
    let principal = visitor.actor.as_ref().map(|actor| &actor.principal);
    match state.app.search_patents(principal, &query).await {
        Ok(results) => fill(&mut view, results, sort, page),
        Err(error) if error.kind == ErrorKind::BadRequest => {
            view.fault = Some(QueryFault::of(&view.q, &error));
            return frame.render_with_status(StatusCode::BAD_REQUEST, "patent_search.html", &view);
        }
        Err(error) => return Err(frame.fail(error)),
    }
    frame.render("patent_search.html", &view)
}

fn fill(view: &mut SearchView, results: SearchResults, sort: &str, page: u64) {
    view.total = results.total;
    view.deep_limit = results.total > (MAX_OFFSET + PER_PAGE) as u64;
    view.pager = pager_of(&view.q, sort, page, results.total);
    view.facets = results
        .facets
        .as_ref()
        .map(|facets| facet_groups(&view.q, facets))
        .unwrap_or_default();
    view.hits = results.hits.into_iter().map(HitView::new).collect();
}

#[cfg(test)]
pub(super) mod samples {
    use super::*;
    use ipyun_domain::right::LegalStatus;
    use ipyun_search::PatentKind;

    fn hit(number: &str) -> Hit {
        Hit {
            application_no: number.into(),
            title: "一种锂电池隔膜".into(),
            title_html: "一种<em>锂电池隔膜</em>".into(),
            highlight: "…本发明公开了一种<em>锂电池隔膜</em>及其制备方法 &lt;script&gt;…".into(),
            score: 12.5,
            kind: Some(PatentKind::Invention),
            legal_status: Some(LegalStatus::InForce),
            filing_date: NaiveDate::from_ymd_opt(2021, 3, 8),
            publication_date: None,
            grant_date: NaiveDate::from_ymd_opt(2023, 5, 2),
            applicants: vec!["宁德时代新能源科技股份有限公司".into(), "<script>".into()],
            ipc_main: Some("H01M 50/403".into()),
            ipc: vec!["H01M 50/403".into()],
            region_code: Some("350902".into()),
        }
    }

    pub fn views() -> Vec<(&'static str, Value)> {
        let count = |value: &str, label: Option<&str>, count: u64| FacetCount {
            value: value.into(),
            label: label.map(str::to_string),
            count,
        };
        let facets = Facets {
            kind: vec![count("invention", None, 2)],
            legal_status: vec![count("in_force", None, 1), count("expired", None, 1)],
            filing_year: vec![count("2020", None, 1), count("2021", None, 1)],
            province: vec![count("35", Some("福建省"), 2)],
            ipc_section: vec![count("H", None, 2)],
            ipc_class: vec![count("H01", None, 2)],
            ipc_subclass: vec![count("H01M", None, 2)],
        };
        let mut found = SearchView {
            q: "锂电池 \"隔膜\"".into(),
            asked: true,
            fault: None,
            total: 0,
            hits: Vec::new(),
            facets: Vec::new(),
            sorts: vec![SortLink {
                key: "date",
                href: "/patents?q=x&sort=date".into(),
                active: true,
            }],
            pager: None,
            deep_limit: true,
            landscape_href: "/patents/landscape?q=x".into(),
            signed_in: true,
            csrf_token: Some("token".into()),
            indexed: Some(1_000_000),
        };
        fill(
            &mut found,
            SearchResults {
                total: 30_000,
                hits: vec![hit("202110123456.7"), hit("202120654321.0")],
                facets: Some(facets),
            },
            "date",
            3,
        );
        let mut refused = SearchView {
            q: "锂电池 \"隔膜".into(),
            hits: Vec::new(),
            facets: Vec::new(),
            pager: None,
            signed_in: false,
            csrf_token: None,
            indexed: None,
            ..found_clone(&found)
        };
        refused.fault = Some(QueryFault::of(
            &refused.q,
            &AppError::new(ErrorKind::BadRequest, "search.bad_query", "unbalanced"),
        ));
        let blank = SearchView {
            q: String::new(),
            asked: false,
            hits: Vec::new(),
            facets: Vec::new(),
            pager: None,
            fault: None,
            ..found_clone(&found)
        };
        vec![
            ("patent_search.html", Value::from_serialize(&found)),
            ("patent_search.html", Value::from_serialize(&refused)),
            ("patent_search.html", Value::from_serialize(&blank)),
        ]
    }

    /// The scalar fields of a view (its lists are set by the caller).
    fn found_clone(view: &SearchView) -> SearchView {
        SearchView {
            q: view.q.clone(),
            asked: view.asked,
            fault: view.fault.clone(),
            total: view.total,
            hits: Vec::new(),
            facets: Vec::new(),
            sorts: view.sorts.clone(),
            pager: view.pager.clone(),
            deep_limit: view.deep_limit,
            landscape_href: view.landscape_href.clone(),
            signed_in: view.signed_in,
            csrf_token: view.csrf_token.clone(),
            indexed: view.indexed,
        }
    }

    #[test]
    fn facets_narrow_the_query_and_skip_filters_already_in_it() {
        let facets = Facets {
            kind: vec![FacetCount {
                value: "invention".into(),
                label: None,
                count: 3,
            }],
            ..Facets::default()
        };
        let groups = facet_groups("电池", &facets);
        assert_eq!(groups.len(), 1);
        assert_eq!(
            groups[0].values[0].href,
            search_href("电池 kind:invention", None)
        );
        assert!(facet_groups("电池 kind:invention", &facets).is_empty());
    }

    #[test]
    fn a_fault_points_at_its_character() {
        let q = "电池 applicant:华为 foo:bar";
        let fault = QueryFault::of(
            q,
            &AppError::new(ErrorKind::BadRequest, "search.bad_query", "x"),
        );
        assert_eq!(fault.key, "search-fault-unknown_field");
        let position = fault.position.unwrap_or_default();
        assert_eq!(q.chars().nth(position - 1), Some('f'));
        assert_eq!(format!("{}{}{}", fault.before, fault.at, fault.after), q);
        let long = QueryFault::of(
            q,
            &AppError::new(ErrorKind::BadRequest, "search.query_too_long", "too long"),
        );
        assert_eq!(
            (long.key.as_str(), long.position),
            ("search-fault-search-query_too_long", None)
        );
    }

    #[test]
    fn paging_stops_at_the_index_depth() {
        let pager = pager_of("x", "date", 2, 1_000_000).unwrap_or_else(|| panic!("pages"));
        assert_eq!(pager.pages, ((MAX_OFFSET + PER_PAGE) / PER_PAGE) as u64);
        assert_eq!(
            pager.next_url.as_deref(),
            Some("/patents?q=x&sort=date&page=3")
        );
        assert!(pager_of("x", "relevance", 1, 20).is_none());
    }
}
