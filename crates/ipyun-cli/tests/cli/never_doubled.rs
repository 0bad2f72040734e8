//! Never doubled: two `ipyun serve` processes on one PostgreSQL schema, and in each round two
//! lenders' applications over the same patent confirmed at the same moment, one through each
//! process. Exactly one is registered; the other is refused as already pledged.

use crate::{Api, Server, application, enterprise_draft, import_patents, lender_draft, user_token};
use ipyun_test_support::{test_application_no, test_uscc};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const ROUNDS: usize = 1_000;
/// Rounds run side by side (each round's two confirmations race each other).
const WORKERS: usize = 6;
const ENTERPRISE: &str = "苏州并发测试科技有限公司";

struct Rounds {
    first: Api,
    second: Api,
    lenders: [String; 2],
    owner: String,
    pledgor_id: i64,
    numbers: Vec<String>,
    next: AtomicUsize,
}

async fn draft(api: &Api, lender: &str, body: &Value) -> i64 {
    let (status, answer, _) = api
        .post("/api/v1/pledge-applications", lender, &[], body)
        .await
        .unwrap();
    assert_eq!(status, 201, "{answer}");
    answer["id"].as_i64().unwrap()
}

async fn confirm(api: &Api, owner: &str, id: i64) -> Value {
    let (status, answer, _) = api
        .post(
            &format!("/api/v1/pledge-applications/{id}/confirm"),
            owner,
            &[],
            &json!({}),
        )
        .await
        .unwrap();
    assert_eq!(status, 200, "{answer}");
    answer
}

/// Runs rounds until none is left; how many times each process registered.
async fn worker(rounds: Arc<Rounds>) -> [usize; 2] {
    let mut wins = [0, 0];
    loop {
        let round = rounds.next.fetch_add(1, Ordering::SeqCst);
        let Some(number) = rounds.numbers.get(round) else {
            return wins;
        };
        let body = application(rounds.pledgor_id, ENTERPRISE, number, round);
        let (a, b) = tokio::join!(
            draft(&rounds.first, &rounds.lenders[0], &body),
            draft(&rounds.second, &rounds.lenders[1], &body)
        );
        let (answer_a, answer_b) = tokio::join!(
            confirm(&rounds.first, &rounds.owner, a),
            confirm(&rounds.second, &rounds.owner, b)
        );
        let answers = [&answer_a, &answer_b];
        let registered: Vec<usize> = (0..2)
            .filter(|side| answers[*side]["status"] == "registered")
            .collect();
        assert_eq!(
            registered.len(),
            1,
            "round {round}: {answer_a} / {answer_b}"
        );
        let winner = registered[0];
        let loser = answers[1 - winner];
        assert_eq!(loser["status"], "refused", "round {round}: {loser}");
        let codes: Vec<&str> = loser["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|finding| finding["code"].as_str())
            .collect();
        assert_eq!(codes, ["pledge.right_already_pledged"], "round {round}");
        wins[winner] += 1;
    }
}

/// `url` with the connection option that selects `schema`.
fn with_search_path(url: &str, schema: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}options=-c%20search_path%3D{schema}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_never_register_one_patent_twice() {
    let Some(url) = std::env::var("IPYUN_TEST_PG_URL")
        .ok()
        .filter(|url| !url.is_empty())
    else {
        eprintln!(
            "two_processes_never_register_one_patent_twice: skipped (IPYUN_TEST_PG_URL is not set)"
        );
        return;
    };
    let schema = format!("cli_{:016x}", rand_suffix());
    // Creates the schema and migrates it; the two servers then find it ready.
    let db = ipyun_db::Db::open_postgres_schema(&url, &schema)
        .await
        .unwrap();
    db.close().await;
    let database_url = with_search_path(&url, &schema);
    let envs = [("DATABASE_URL", database_url.as_str())];
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();

    let admin = user_token(data, &envs, "root", "platform_admin", None);
    let first = Server::start(data, &envs);
    let second = Server::start(data, &envs);
    let (first_api, second_api) = (Api::new(&first), Api::new(&second));
    let uscc = test_uscc(11);
    let pledgor_id = first_api
        .party(&admin, enterprise_draft(ENTERPRISE, &uscc))
        .await;
    let lender_a = first_api.party(&admin, lender_draft("甲银行")).await;
    let lender_b = second_api.party(&admin, lender_draft("乙银行")).await;
    let lenders = [
        user_token(data, &envs, "banker-a", "lender", Some(lender_a)),
        user_token(data, &envs, "banker-b", "lender", Some(lender_b)),
    ];
    let owner = user_token(data, &envs, "owner", "enterprise", Some(pledgor_id));
    let numbers: Vec<String> = (0..ROUNDS)
        .map(|serial| test_application_no(u32::try_from(serial).unwrap() + 1))
        .collect();
    import_patents(data, &envs, &numbers, ENTERPRISE, &uscc);

    // Both processes really serve this schema: each sees the party the other recorded.
    for api in [&first_api, &second_api] {
        let (status, party) = api
            .get(&format!("/api/v1/parties/{lender_b}"), Some(&admin))
            .await;
        assert_eq!(status, 200, "{party}");
    }

    let rounds = Arc::new(Rounds {
        first: first_api.clone(),
        second: second_api.clone(),
        lenders,
        owner,
        pledgor_id,
        numbers: numbers.clone(),
        next: AtomicUsize::new(0),
    });
    let started = std::time::Instant::now();
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| tokio::spawn(worker(rounds.clone())))
        .collect();
    let mut wins = [0, 0];
    for worker in workers {
        let [a, b] = worker.await.unwrap();
        wins[0] += a;
        wins[1] += b;
    }
    assert_eq!(wins[0] + wins[1], ROUNDS);

    for number in &numbers {
        let (_, listed) = second_api
            .get(&format!("/api/v1/pledges?application_no={number}"), None)
            .await;
        assert_eq!(listed["total"], 1, "{number}: {listed}");
        assert_eq!(listed["items"][0]["status"], "active", "{listed}");
    }
    eprintln!(
        "never doubled: {ROUNDS} rounds in {:.1} s; registered through the first process {} times, the second {}",
        started.elapsed().as_secs_f64(),
        wins[0],
        wins[1]
    );
    drop((first, second));
}

/// A random number for the schema's name, from the standard library's hasher seed.
fn rand_suffix() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.finish()
}
