//! Never lost: `ipyun serve` SIGKILLed in the middle of a load of registrations, then restarted on
//! the same directory, still has every registration it answered, no half-made pledge, and an
//! intact audit chain.

use crate::{
    Api, Server, application, enterprise_draft, import_patents, ipyun, lender_draft, ok, user_token,
};
use ipyun_test_support::{test_application_no, test_uscc};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PATENTS: usize = 600;
const CLIENTS: usize = 8;
/// Registrations answered before the kill.
const KILL_AFTER: usize = 120;
const ENTERPRISE: &str = "苏州断电测试科技有限公司";

/// What a client learnt of one patent's registration before the server died.
#[derive(Debug, Clone, Default)]
struct Attempt {
    number: String,
    key: String,
    /// The application's id, when the apply call was answered.
    id: Option<i64>,
    /// The confirmation's answer: status and registration number.
    confirmed: Option<(String, Option<String>)>,
}

struct Load {
    api: Api,
    lender: String,
    owner: String,
    pledgor_id: i64,
    numbers: Vec<String>,
    next: AtomicUsize,
    registered: AtomicUsize,
    attempts: Mutex<Vec<Attempt>>,
}

/// Registers patents one after another until the server stops answering.
async fn client(load: Arc<Load>) {
    loop {
        let index = load.next.fetch_add(1, Ordering::SeqCst);
        let Some(number) = load.numbers.get(index) else {
            return;
        };
        let key = format!("never-lost-{index}");
        let mut attempt = Attempt {
            number: number.clone(),
            key: key.clone(),
            ..Attempt::default()
        };
        let body = application(load.pledgor_id, ENTERPRISE, number, index);
        let drafted = load
            .api
            .post(
                "/api/v1/pledge-applications",
                &load.lender,
                &[("Idempotency-Key", &key)],
                &body,
            )
            .await;
        if let Ok((status, answer, _)) = &drafted {
            assert_eq!(*status, 201, "{answer}");
            attempt.id = answer["id"].as_i64();
        }
        if let Some(id) = attempt.id {
            let path = format!("/api/v1/pledge-applications/{id}/confirm");
            if let Ok((status, answer, _)) =
                load.api.post(&path, &load.owner, &[], &json!({})).await
            {
                assert_eq!(status, 200, "{answer}");
                let registration_no = answer["registration_no"].as_str().map(str::to_string);
                let state = answer["status"].as_str().unwrap_or_default().to_string();
                assert_eq!(state, "registered", "{answer}");
                attempt.confirmed = Some((state, registration_no));
                load.registered.fetch_add(1, Ordering::SeqCst);
            }
        }
        let stopped = attempt.confirmed.is_none();
        load.attempts.lock().unwrap().push(attempt);
        if stopped {
            return;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registrations_answered_survive_a_sigkill_mid_load() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let admin = user_token(data, &[], "root", "platform_admin", None);
    let mut server = Server::start(data, &[]);
    let api = Api::new(&server);
    let uscc = test_uscc(7);
    let pledgor_id = api.party(&admin, enterprise_draft(ENTERPRISE, &uscc)).await;
    let lender_id = api.party(&admin, lender_draft("断电测试银行")).await;
    let lender = user_token(data, &[], "banker", "lender", Some(lender_id));
    let owner = user_token(data, &[], "owner", "enterprise", Some(pledgor_id));
    let numbers: Vec<String> = (0..PATENTS)
        .map(|serial| test_application_no(u32::try_from(serial).unwrap() + 1))
        .collect();
    import_patents(data, &[], &numbers, ENTERPRISE, &uscc);

    let load = Arc::new(Load {
        api: api.clone(),
        lender: lender.clone(),
        owner: owner.clone(),
        pledgor_id,
        numbers,
        next: AtomicUsize::new(0),
        registered: AtomicUsize::new(0),
        attempts: Mutex::new(Vec::new()),
    });
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| tokio::spawn(client(load.clone())))
        .collect();
    let waiting = Instant::now();
    while load.registered.load(Ordering::SeqCst) < KILL_AFTER {
        assert!(
            waiting.elapsed() < Duration::from_secs(90),
            "too slow: {} registered",
            load.registered.load(Ordering::SeqCst)
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill();
    for client in clients {
        client.await.unwrap();
    }
    let attempts = load.attempts.lock().unwrap().clone();
    let answered = attempts.iter().filter(|a| a.confirmed.is_some()).count();
    let in_flight = attempts.len() - answered;
    assert!(answered >= KILL_AFTER, "{answered}");
    assert!(
        load.next.load(Ordering::SeqCst) < PATENTS,
        "the load ended before the kill"
    );

    let server = Server::start(data, &[]);
    let api = Api::new(&server);
    // Of the registrations in flight at the kill: committed unanswered, awaiting, never drafted.
    let mut unanswered = [0; 3];
    for attempt in &attempts {
        let number = &attempt.number;
        let (_, listed) = api
            .get(&format!("/api/v1/pledges?application_no={number}"), None)
            .await;
        let pledges = listed["items"].as_array().unwrap().clone();
        assert!(pledges.len() <= 1, "{number}: {listed}");
        for pledge in &pledges {
            assert_eq!(
                pledge["rights"],
                json!([{"number": number, "kind": "invention", "active": true}])
            );
        }
        match (&attempt.confirmed, attempt.id) {
            // Answered `registered`: found, with its right.
            (Some((_, registration_no)), _) => {
                let registration_no = registration_no.as_deref().unwrap();
                let (_, found) = api
                    .get(
                        &format!("/api/v1/pledges?registration_no={registration_no}"),
                        None,
                    )
                    .await;
                assert_eq!(found["total"], 1, "{registration_no} lost: {found}");
                assert_eq!(found["items"][0]["rights"][0]["number"], number.as_str());
                assert_eq!(found["items"][0]["status"], "active");
            }
            // Drafted, confirmation unanswered: registered in full, or still awaiting it.
            (None, Some(id)) => {
                let (status, state) = api
                    .get(&format!("/api/v1/pledge-applications/{id}"), Some(&lender))
                    .await;
                assert_eq!(status, 200, "{state}");
                match state["status"].as_str() {
                    Some("registered") => {
                        unanswered[0] += 1;
                        assert_eq!(pledges.len(), 1, "{number}: registered without its pledge");
                        assert_eq!(pledges[0]["registration_no"], state["registration_no"]);
                    }
                    Some("awaiting_confirmation") => {
                        unanswered[1] += 1;
                        assert!(pledges.is_empty(), "{number}");
                    }
                    other => panic!("application {id} is {other:?}"),
                }
            }
            // Not even drafted as far as the client knows: nothing is registered over it.
            (None, None) => {
                unanswered[2] += 1;
                assert!(pledges.is_empty(), "{number}: {listed}");
            }
        }
    }

    // Retried with their keys, the unanswered ones finish: one application each, registered once.
    for (index, attempt) in attempts
        .iter()
        .enumerate()
        .filter(|(_, a)| a.confirmed.is_none())
    {
        let serial = load
            .numbers
            .iter()
            .position(|n| *n == attempt.number)
            .unwrap();
        let body = application(pledgor_id, ENTERPRISE, &attempt.number, serial);
        let (status, drafted, _) = api
            .post(
                "/api/v1/pledge-applications",
                &lender,
                &[("Idempotency-Key", &attempt.key)],
                &body,
            )
            .await
            .unwrap();
        assert_eq!(status, 201, "{index}: {drafted}");
        if let Some(id) = attempt.id {
            assert_eq!(drafted["id"], id, "a second application for one key");
        }
        let id = drafted["id"].as_i64().unwrap();
        let (status, confirmed, _) = api
            .post(
                &format!("/api/v1/pledge-applications/{id}/confirm"),
                &owner,
                &[],
                &json!({}),
            )
            .await
            .unwrap();
        assert_eq!(status, 200, "{confirmed}");
        assert_eq!(confirmed["status"], "registered", "{confirmed}");
        let (_, listed) = api
            .get(
                &format!("/api/v1/pledges?application_no={}", attempt.number),
                None,
            )
            .await;
        assert_eq!(listed["total"], 1, "{listed}");
    }

    // Every pledge on record has its right.
    let mut page = 1;
    let mut pledges = 0;
    loop {
        let (_, listed) = api
            .get(&format!("/api/v1/pledges?per_page=100&page={page}"), None)
            .await;
        let items = listed["items"].as_array().unwrap();
        for pledge in items {
            assert_eq!(
                pledge["rights"].as_array().map(Vec::len),
                Some(1),
                "{pledge}"
            );
        }
        pledges += items.len();
        if items.len() < 100 {
            break;
        }
        page += 1;
    }
    assert_eq!(pledges, attempts.len());
    eprintln!(
        "never lost: {answered} registrations answered before SIGKILL; of {in_flight} in flight, {} were registered \
         unanswered, {} awaited confirmation, {} had no answered draft; {pledges} pledges after the retries",
        unanswered[0], unanswered[1], unanswered[2]
    );
    drop(server);
    let verified = ok(ipyun(data, &["audit", "verify"]));
    assert!(verified.starts_with("audit chain intact: "), "{verified}");
}
