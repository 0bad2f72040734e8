//! `/topics` (signed in): topic collections — saved queries kept up to date on each import —
//! with their matches and followers; create, follow, stop following, delete (owner or
//! administrator). `/me/notices`: the user's in-app notices (new filings in followed topics).

use super::error::PageError;
use super::extract::{PageForm, PagePath, PageQuery, SignedIn, see_other};
use super::patent_search::{QueryFault, search_href};
use super::views::local_time;
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use ipyun_app::patents::{NewTopic, Topic, UserNotice};
use ipyun_app::{AppError, ErrorKind};
use ipyun_domain::account::{Principal, Role};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/topics", get(list_topics).post(create_topic))
        .route("/topics/{id}/follow", post(follow))
        .route("/topics/{id}/unfollow", post(unfollow))
        .route("/topics/{id}/delete", post(delete))
        .route("/me/notices", get(my_notices))
        .route("/me/notices/{id}/read", post(mark_read))
}

#[derive(Debug, Clone, Serialize)]
struct TopicRow {
    id: i64,
    name: String,
    query: String,
    owner: String,
    matched: i64,
    followers: i64,
    following: bool,
    may_delete: bool,
    search_href: String,
    landscape_href: String,
}

impl TopicRow {
    fn new(topic: Topic, username: &str, admin: bool) -> Self {
        TopicRow {
            may_delete: admin || topic.owner == username,
            search_href: search_href(&topic.query, None),
            landscape_href: format!(
                "/patents/landscape?{}",
                serde_urlencoded::to_string([("q", topic.query.as_str())]).unwrap_or_default()
            ),
            id: topic.id,
            name: topic.name,
            query: topic.query,
            owner: topic.owner,
            matched: topic.matched,
            followers: topic.followers,
            following: topic.following,
        }
    }
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct TopicForm {
    name: String,
    query: String,
    csrf_token: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TopicsQuery {
    q: Option<String>,
    created: Option<i64>,
}

#[derive(Debug, Serialize)]
struct TopicsView {
    topics: Vec<TopicRow>,
    name: String,
    query: String,
    /// Why the new topic was refused: a query fault, or a message key.
    fault: Option<QueryFault>,
    error_key: Option<String>,
    created: Option<i64>,
    csrf_token: String,
}

async fn render_topics(
    state: &AppState,
    signed_in: &SignedIn,
    status: StatusCode,
    mut view: TopicsView,
) -> Result<Response, PageError> {
    let SignedIn { actor, frame } = signed_in;
    let principal = &actor.principal;
    let admin = principal.role == Role::PlatformAdmin;
    view.topics = state
        .app
        .list_topics(principal)
        .await
        .map_err(|error| frame.fail(error))?
        .into_iter()
        .map(|topic| TopicRow::new(topic, &principal.username, admin))
        .collect();
    frame.render_with_status(status, "topics.html", &view)
}

fn empty_view(signed_in: &SignedIn) -> TopicsView {
    TopicsView {
        topics: Vec::new(),
        name: String::new(),
        query: String::new(),
        fault: None,
        error_key: None,
        created: None,
        csrf_token: signed_in.actor.csrf_token().unwrap_or_default().to_string(),
    }
}

/// `GET /topics`: every topic; `?q=` prefills the form with a query.
pub async fn list_topics(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PageQuery(query): PageQuery<TopicsQuery>,
) -> Result<Response, PageError> {
    let mut view = empty_view(&signed_in);
    view.query = query.q.unwrap_or_default();
    view.created = query.created;
    render_topics(&state, &signed_in, StatusCode::OK, view).await
}

/// The Fluent key of a refusal that is not a query fault.
fn error_key(error: &AppError) -> String {
    format!("topic-error-{}", error.code.replace('.', "-"))
}

/// `POST /topics`: saves a topic (its owner follows it) and shows the list with it.
pub async fn create_topic(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PageForm(form): PageForm<TopicForm>,
) -> Result<Response, PageError> {
    let SignedIn { actor, frame } = &signed_in;
    actor
        .check_csrf(Some(&form.csrf_token))
        .map_err(|error| frame.fail(error))?;
    let topic = NewTopic {
        name: form.name.clone(),
        query: form.query.clone(),
    };
    match state.app.create_topic(&actor.principal, &topic).await {
        Ok(topic) => Ok(see_other(&format!("/topics?created={}", topic.id))),
        Err(error) if error.kind == ErrorKind::BadRequest => {
            let mut view = empty_view(&signed_in);
            view.name = form.name;
            view.query = form.query;
            if error.code.starts_with("search.") {
                view.fault = Some(QueryFault::of(&view.query, &error));
            } else {
                view.error_key = Some(error_key(&error)).filter(|key| frame.has_text(key));
                if view.error_key.is_none() {
                    view.error_key = Some("form-error-invalid".into());
                }
            }
            render_topics(&state, &signed_in, StatusCode::BAD_REQUEST, view).await
        }
        Err(error) => Err(frame.fail(error)),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CsrfForm {
    csrf_token: String,
}

/// A signed-in form post: the echoed CSRF token checked, the action done, then a redirect to `to`.
async fn post_then(
    signed_in: SignedIn,
    csrf: &CsrfForm,
    to: &str,
    action: impl AsyncFnOnce(&Principal) -> Result<(), AppError>,
) -> Result<Response, PageError> {
    let SignedIn { actor, frame } = signed_in;
    actor
        .check_csrf(Some(&csrf.csrf_token))
        .map_err(|error| frame.fail(error))?;
    action(&actor.principal)
        .await
        .map_err(|error| frame.fail(error))?;
    Ok(see_other(to))
}

async fn set_following(
    state: &AppState,
    signed_in: SignedIn,
    id: i64,
    follow: bool,
    csrf: &CsrfForm,
) -> Result<Response, PageError> {
    post_then(
        signed_in,
        csrf,
        &format!("/topics#topic-{id}"),
        async |principal| {
            state
                .app
                .follow_topic(principal, id, follow)
                .await
                .map(|_| ())
        },
    )
    .await
}

/// `POST /topics/{id}/follow`.
pub async fn follow(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PagePath(id): PagePath<i64>,
    PageForm(csrf): PageForm<CsrfForm>,
) -> Result<Response, PageError> {
    set_following(&state, signed_in, id, true, &csrf).await
}

/// `POST /topics/{id}/unfollow`.
pub async fn unfollow(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PagePath(id): PagePath<i64>,
    PageForm(csrf): PageForm<CsrfForm>,
) -> Result<Response, PageError> {
    set_following(&state, signed_in, id, false, &csrf).await
}

/// `POST /topics/{id}/delete`: the owner or an administrator.
pub async fn delete(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PagePath(id): PagePath<i64>,
    PageForm(csrf): PageForm<CsrfForm>,
) -> Result<Response, PageError> {
    post_then(signed_in, &csrf, "/topics", async |principal| {
        state.app.delete_topic(principal, id).await
    })
    .await
}

#[derive(Debug, Clone, Serialize)]
struct NoticeRow {
    id: i64,
    kind: String,
    read: bool,
    created_at: String,
    topic_name: String,
    new_filings: i64,
    total: i64,
    search_href: Option<String>,
    /// The words of a notice that carries them (loans' and collateral alerts).
    message: Option<String>,
}

impl NoticeRow {
    fn new(notice: UserNotice) -> Self {
        let body = &notice.body;
        let text = |key: &str| {
            body.get(key)
                .and_then(|value| value.as_str())
                .map(str::to_string)
        };
        let number = |key: &str| {
            body.get(key)
                .and_then(serde_json::Value::as_i64)
                .unwrap_or(0)
        };
        NoticeRow {
            id: notice.id,
            kind: notice.kind.replace('.', "-"),
            read: notice.read,
            created_at: local_time(notice.created_at),
            topic_name: text("name").unwrap_or_default(),
            new_filings: number("new_filings"),
            total: number("total"),
            search_href: text("query").map(|query| search_href(&query, Some("date"))),
            message: text("message"),
        }
    }
}

#[derive(Debug, Serialize)]
struct NoticesView {
    notices: Vec<NoticeRow>,
    unread: i64,
    csrf_token: String,
}

/// `GET /me/notices`: the newest hundred, unread first marked.
pub async fn my_notices(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
) -> Result<Response, PageError> {
    let notices = state
        .app
        .my_notices(&actor.principal, false)
        .await
        .map_err(|error| frame.fail(error))?;
    let view = NoticesView {
        unread: i64::try_from(notices.iter().filter(|notice| !notice.read).count())
            .unwrap_or(i64::MAX),
        notices: notices.into_iter().map(NoticeRow::new).collect(),
        csrf_token: actor.csrf_token().unwrap_or_default().to_string(),
    };
    frame.render("my_notices.html", &view)
}

/// `POST /me/notices/{id}/read`.
pub async fn mark_read(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PagePath(id): PagePath<i64>,
    PageForm(csrf): PageForm<CsrfForm>,
) -> Result<Response, PageError> {
    post_then(signed_in, &csrf, "/me/notices", async |principal| {
        state.app.mark_notice_read(principal, id).await
    })
    .await
}

#[cfg(test)]
pub(super) mod samples {
    use super::*;
    use minijinja::Value;

    pub fn views() -> Vec<(&'static str, Value)> {
        let topic = |id: i64, following: bool| Topic {
            id,
            name: format!("疫情防治药物 <{id}>"),
            query: "ipc:A61K 冠状病毒".into(),
            owner: "analyst".into(),
            matched: 1_234,
            followers: 3,
            following,
        };
        let topics = vec![
            TopicRow::new(topic(1, true), "analyst", false),
            TopicRow::new(topic(2, false), "someone", false),
        ];
        let listed = TopicsView {
            topics: topics.clone(),
            name: String::new(),
            query: "ipc:A61K".into(),
            fault: None,
            error_key: None,
            created: Some(1),
            csrf_token: "token".into(),
        };
        let refused = TopicsView {
            topics,
            name: "坏".into(),
            query: "\"冠状".into(),
            fault: Some(QueryFault::of(
                "\"冠状",
                &AppError::new(ErrorKind::BadRequest, "search.bad_query", "x"),
            )),
            error_key: Some("topic-error-topic-bad_name".into()),
            created: None,
            csrf_token: "token".into(),
        };
        let notice = |id: i64, read: bool| {
            NoticeRow::new(UserNotice {
                id,
                kind: "topic.new_filings".into(),
                subject_id: Some(1),
                body: serde_json::json!({"topic_id": 1, "name": "疫情<b>", "query": "冠状病毒", "new_filings": 12, "total": 40}),
                created_at: chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default(),
                read,
            })
        };
        let notices = NoticesView {
            notices: vec![notice(2, false), notice(1, true)],
            unread: 1,
            csrf_token: "token".into(),
        };
        let none = NoticesView {
            notices: Vec::new(),
            unread: 0,
            csrf_token: "token".into(),
        };
        vec![
            ("topics.html", Value::from_serialize(&listed)),
            ("topics.html", Value::from_serialize(&refused)),
            ("my_notices.html", Value::from_serialize(&notices)),
            ("my_notices.html", Value::from_serialize(&none)),
        ]
    }

    #[test]
    fn only_the_owner_or_an_administrator_sees_delete() {
        let topic = Topic {
            id: 1,
            name: "n".into(),
            query: "q".into(),
            owner: "owner".into(),
            matched: 0,
            followers: 1,
            following: false,
        };
        assert!(TopicRow::new(topic.clone(), "owner", false).may_delete);
        assert!(!TopicRow::new(topic.clone(), "other", false).may_delete);
        assert!(TopicRow::new(topic, "other", true).may_delete);
    }
}
