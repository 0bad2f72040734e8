//! Webhooks to lenders' systems over the API (issue 6, F5): sent to a real local receiver,
//! signed, retried after the backoff, never twice for one demand, only to lenders whose products
//! match; a lender sees only its own endpoints.

use super::exchange::{loan_product, publish_demand, publish_product};
use super::loans::{created, get, ok};
use super::pledges::Scene;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use ipyun_domain::clock::Clock;
use ipyun_test_support::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::sync::{Arc, Mutex};

/// A receiver standing in for a lender's system: records every request; fails the first
/// `failures` with 500.
#[derive(Clone, Default)]
struct Receiver {
    seen: Arc<Mutex<Vec<(HeaderMap, String)>>>,
    failures: Arc<Mutex<usize>>,
}

impl Receiver {
    async fn start(failures: usize) -> (Receiver, String) {
        let receiver = Receiver {
            failures: Arc::new(Mutex::new(failures)),
            ..Receiver::default()
        };
        let state = receiver.clone();
        let router = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: String| {
                let state = state.clone();
                async move {
                    state.seen.lock().unwrap().push((headers, body));
                    let mut failures = state.failures.lock().unwrap();
                    if *failures > 0 {
                        *failures -= 1;
                        AxumStatus::INTERNAL_SERVER_ERROR
                    } else {
                        AxumStatus::NO_CONTENT
                    }
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        (receiver, url)
    }

    fn seen(&self) -> Vec<(HeaderMap, String)> {
        self.seen.lock().unwrap().clone()
    }
}

/// HMAC-SHA256 written out from RFC 2104 on `sha2`, independent of the server's code.
fn hmac_hex(key: &[u8], message: &[u8]) -> String {
    let hashed;
    let key = if key.len() > 64 {
        hashed = Sha256::digest(key);
        hashed.as_slice()
    } else {
        key
    };
    let mut block = [0u8; 64];
    block[..key.len()].copy_from_slice(key);
    let pad = |byte: u8| block.iter().map(|k| k ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    hex::encode(
        Sha256::new()
            .chain_update(pad(0x5c))
            .chain_update(inner)
            .finalize(),
    )
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers[name].to_str().unwrap()
}

#[tokio::test]
async fn matching_demands_reach_lenders_systems_signed_retried_and_once() {
    let scene = Scene::new().await;
    let (app, clock) = (&scene.app.app, &scene.app.clock);
    let number = scene.right(63, |_| {}).await;
    let rival_party = scene.app.organisation("lender", "只做商标的银行").await;
    let rival = scene.app.user("rival", "lender", Some(rival_party)).await;
    let (receiver, url) = Receiver::start(1).await;
    let (rival_receiver, rival_url) = Receiver::start(0).await;

    // Endpoints: a generated secret shown once; a supplied one; nobody else registers.
    let hooks = "/api/v1/webhooks";
    let mine = scene
        .app
        .post(
            hooks,
            Some(&scene.banker.token),
            &json!({"url": url, "description": "信贷系统"}),
        )
        .await;
    created(&mine);
    let secret = mine.body["secret"].as_str().unwrap().to_string();
    let hook_id = mine.body["webhook"]["id"].as_i64().unwrap();
    assert!(secret.len() >= 32);
    let theirs = scene
        .app
        .post(
            hooks,
            Some(&rival.token),
            &json!({"url": rival_url, "secret": "rival-secret-0123456789"}),
        )
        .await;
    created(&theirs);
    let rival_hook = theirs.body["webhook"]["id"].as_i64().unwrap();
    assert_eq!(
        scene
            .app
            .post(hooks, Some(&scene.owner.token), &json!({"url": url}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let bad = scene
        .app
        .post(
            hooks,
            Some(&scene.banker.token),
            &json!({"url": "ftp://bank"}),
        )
        .await;
    assert_eq!(
        bad.error_fields(),
        vec![("url".to_string(), "not_http".to_string())]
    );
    let listed = get(&scene, hooks, &scene.banker).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 1);
    assert!(
        listed.body[0].get("secret").is_none(),
        "the secret is never shown again"
    );

    // A lender can't see another lender's endpoints.
    let rival_list = get(&scene, hooks, &rival).await;
    assert_eq!(rival_list.body.as_array().unwrap().len(), 1);
    assert_eq!(rival_list.body[0]["id"], rival_hook);
    let deliveries = format!("/api/v1/webhooks/{hook_id}/deliveries");
    assert_eq!(
        get(&scene, &deliveries, &rival).await.status,
        StatusCode::NOT_FOUND
    );
    let by_rival = scene
        .app
        .send_json(
            reqwest::Method::DELETE,
            &format!("{hooks}/{hook_id}"),
            Some(&rival.token),
            &json!({}),
        )
        .await;
    assert_eq!(by_rival.status, StatusCode::NOT_FOUND);

    // The banker's product takes inventions; the rival's only trademarks.
    let product_id = publish_product(
        &scene,
        &scene.banker,
        &loan_product("苏知贷", &["invention"]),
    )
    .await;
    publish_product(&scene, &rival, &loan_product("商标贷", &["trademark"])).await;
    let demand =
        json!({"amount_fen": 500_000_000, "months": 12, "purpose": "扩产", "rights": [number]});
    let demand_id = publish_demand(&scene, &demand).await;

    // First attempt: the receiver answers 500; tried again after 30 s, not before.
    let run = app.deliver_due(clock.now()).await.unwrap();
    assert_eq!((run.claimed, run.retrying), (1, 1));
    assert_eq!(app.deliver_due(clock.now()).await.unwrap().claimed, 0);
    let listed = get(&scene, &deliveries, &scene.banker).await;
    ok(&listed);
    assert_eq!(listed.body[0]["status"], "pending");
    assert_eq!(listed.body[0]["attempt_log"][0]["status_code"], 500);
    clock.advance(chrono::Duration::seconds(29));
    assert_eq!(app.deliver_due(clock.now()).await.unwrap().claimed, 0);
    clock.advance(chrono::Duration::seconds(1));
    let run = app.deliver_due(clock.now()).await.unwrap();
    assert_eq!((run.claimed, run.delivered), (1, 1));

    let seen = receiver.seen();
    assert_eq!(seen.len(), 2);
    let (first, second) = (&seen[0].0, &seen[1].0);
    assert_eq!(
        header(first, "x-ipyun-delivery"),
        header(second, "x-ipyun-delivery"),
        "one delivery id for the receiver's dedup"
    );
    assert_eq!(header(second, "x-ipyun-event"), "demand.new_match");
    for (headers, body) in &seen {
        let timestamp = header(headers, "x-ipyun-timestamp");
        let expected = hmac_hex(secret.as_bytes(), format!("{timestamp}.{body}").as_bytes());
        assert_eq!(
            header(headers, "x-ipyun-signature"),
            format!("sha256={expected}")
        );
    }
    assert_ne!(
        header(first, "x-ipyun-timestamp"),
        header(second, "x-ipyun-timestamp")
    );
    let payload: Value = serde_json::from_str(&seen[1].1).unwrap();
    assert_eq!(payload["demand"]["id"], demand_id);
    assert_eq!(payload["demand"]["enterprise_uscc"], scene.uscc.as_str());
    assert_eq!(payload["products"][0]["id"], product_id);
    assert_eq!(payload["lender_id"], scene.lender_id);
    let listed = get(&scene, &deliveries, &scene.banker).await;
    assert_eq!(listed.body[0]["status"], "delivered");
    assert_eq!(listed.body[0]["attempts"], 2);
    assert_eq!(listed.body[0]["attempt_log"][1]["status_code"], 204);

    // Enqueued again (as a re-publication would): nothing more is sent.
    assert_eq!(app.enqueue_demand_webhooks(demand_id).await.unwrap(), 0);
    clock.advance(chrono::Duration::hours(7));
    assert_eq!(app.deliver_due(clock.now()).await.unwrap().claimed, 0);

    // An imported demand is offered too, once, however often it is imported.
    let row = json!([{"platform": "信易贷·苏州", "external_id": "XYD-900", "uscc": scene.uscc,
                      "amount_fen": 200_000_000, "months": 24, "purpose": "研发", "rights": [number]}]);
    for _ in 0..2 {
        created(
            &scene
                .app
                .post(
                    "/api/v1/imports/platform-demands",
                    Some(&scene.admin.token),
                    &row,
                )
                .await,
        );
        app.deliver_due(clock.now()).await.unwrap();
    }
    let seen = receiver.seen();
    assert_eq!(seen.len(), 3);
    let imported: Value = serde_json::from_str(&seen[2].1).unwrap();
    assert_eq!(imported["demand"]["external_id"], "XYD-900");
    assert_eq!(
        get(&scene, &deliveries, &scene.banker)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // The rival's products match nothing: no delivery.
    assert!(rival_receiver.seen().is_empty());
    let rival_deliveries = get(
        &scene,
        &format!("/api/v1/webhooks/{rival_hook}/deliveries"),
        &rival,
    )
    .await;
    assert_eq!(rival_deliveries.body, json!([]));

    // Disabled: nothing more is sent.
    let disabled = scene
        .app
        .send_json(
            reqwest::Method::DELETE,
            &format!("{hooks}/{hook_id}"),
            Some(&scene.banker.token),
            &json!({}),
        )
        .await;
    ok(&disabled);
    assert_eq!(disabled.body["status"], "disabled");
    publish_demand(&scene, &demand).await;
    assert_eq!(app.deliver_due(clock.now()).await.unwrap().claimed, 0);
    assert_eq!(receiver.seen().len(), 3);
}
