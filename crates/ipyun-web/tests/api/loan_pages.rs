//! The loan pages over HTTP (issue 7): `/loans` lists a loan for its lender and borrower and not
//! for another lender; `/loans/{id}` shows the schedule in yuan and the class in Chinese, marks
//! overdue instalments once the loan defaults, and is the 404 page to a stranger; a bidder bids
//! through the `/disposals/{id}` form — refused below the reserve and the increment, in yuan with
//! more than two decimals, or with a forged token; taken otherwise — while the lender sees the
//! bidders by name; `/loan-stats` shows the NPL ratio to the lender and refuses the enterprise.

use super::loans::{created, interest_only, loan_day, ok, pledge};
use super::pledges::Scene;
use chrono::{Duration, NaiveDate};
use ipyun_test_support::{StatusCode, TestApp, TestUser};
use serde_json::json;

/// A signed-in browser: the session cookie and its CSRF token.
struct Browser {
    cookie: String,
    csrf: String,
}

async fn sign_in(app: &TestApp, user: &TestUser) -> Browser {
    let signed_in = app
        .post(
            "/api/v1/session",
            None,
            &json!({"username": user.username, "password": user.password}),
        )
        .await;
    assert_eq!(signed_in.status, StatusCode::OK, "{:?}", signed_in.body);
    let cookie = signed_in
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("ipyun_session="))
        .and_then(|value| value.split(';').next())
        .unwrap()
        .to_string();
    let csrf = signed_in.body["csrf_token"].as_str().unwrap().to_string();
    Browser { cookie, csrf }
}

async fn page(app: &TestApp, path: &str, browser: Option<&Browser>) -> (StatusCode, String) {
    let mut request = app.client.get(app.url(path));
    if let Some(browser) = browser {
        request = request.header("cookie", &browser.cookie);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

/// Posts a bid through the form: status, `Location`, body.
async fn bid(
    app: &TestApp,
    case_id: i64,
    browser: &Browser,
    amount: &str,
    csrf: &str,
) -> (StatusCode, String, String) {
    let response = app
        .client
        .post(app.url(&format!("/disposals/{case_id}/bids")))
        .header("cookie", &browser.cookie)
        .form(&[("csrf_token", csrf), ("amount", amount)])
        .send()
        .await
        .unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, location, response.text().await.unwrap())
}

/// The rows of the schedule's table body.
fn schedule_rows(html: &str) -> Vec<&str> {
    let start = html
        .find("<table class=\"data compact schedule\">")
        .unwrap();
    let table = &html[start..];
    let body = &table[table.find("<tbody>").unwrap()..table.find("</tbody>").unwrap()];
    body.split("<tr").skip(1).collect()
}

#[tokio::test]
async fn loan_pages_show_the_book_the_schedule_and_take_bids_through_the_form() {
    let scene = Scene::new().await;
    let app = &scene.app;
    let registration_no = pledge(&scene, 61).await;
    let answer = app
        .post(
            "/api/v1/loans",
            Some(&scene.banker.token),
            &interest_only(&[&registration_no], "JK-P-001"),
        )
        .await;
    created(&answer);
    let loan_id = answer.body["loan"]["id"].as_i64().unwrap();
    let loan_path = format!("/loans/{loan_id}");

    let other_lender = app.organisation("lender", "另一家银行南京分行").await;
    let other_banker = app.user("other-banker", "lender", Some(other_lender)).await;
    let office = app.organisation("ip_office", "江苏省知识产权局").await;
    let examiner = app.user("examiner-1", "examiner", Some(office)).await;
    let banker = sign_in(app, &scene.banker).await;
    let owner = sign_in(app, &scene.owner).await;
    let other = sign_in(app, &other_banker).await;
    let stranger = sign_in(app, &examiner).await;

    // Signed out: to the sign-in page, like every private page.
    let signed_out = app.client.get(app.url("/loans")).send().await.unwrap();
    assert_eq!(signed_out.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        signed_out.headers().get("location").unwrap(),
        "/login?next=%2Floans"
    );

    // The book: the lender's and the borrower's, not another lender's.
    let (status, html) = page(app, "/loans", Some(&banker)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("<a href=\"{loan_path}\">JK-P-001</a>")),
        "{html}"
    );
    assert!(
        html.contains("<td class=\"num\">1,000,000.00</td>"),
        "amount in yuan"
    );
    assert!(html.contains("4.35%") && html.contains("按期付息、到期还本"));
    assert!(html.contains(">正常</span>"), "the class in Chinese");
    assert!(
        html.contains("<a href=\"/loans\" class=\"active\" aria-current=\"page\">贷款</a>"),
        "the navigation leads to the loans"
    );
    let (_, html) = page(app, "/loans", Some(&owner)).await;
    assert!(html.contains("JK-P-001"), "the borrower sees its loan");
    let (status, html) = page(app, "/loans", Some(&other)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("JK-P-001") && html.contains("没有符合条件的记录"));
    let (_, html) = page(app, "/loans?class=substandard", Some(&banker)).await;
    assert!(!html.contains("JK-P-001"), "the class filter narrows");
    let (_, html) = page(app, "/pledges", Some(&stranger)).await;
    assert!(
        !html.contains("href=\"/loans\""),
        "no loans link for an examiner"
    );
    let (status, _) = page(app, "/loans", Some(&stranger)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The detail: twelve interest-only instalments of 3,625 yuan, the principal at the last.
    let (status, html) = page(app, &loan_path, Some(&banker)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&registration_no) && html.contains("正常"));
    let rows = schedule_rows(&html);
    assert_eq!(rows.len(), 12);
    assert!(rows[0].contains("2026-12-23") && rows[0].contains("<td class=\"num\">3,625.00</td>"));
    assert!(rows[11].contains("1,003,625.00") && rows[11].contains("<td class=\"num\">0.00</td>"));
    assert!(rows.iter().all(|row| !row.contains("overdue-row")));
    assert!(html.contains("发放时初始分类") && html.contains("无逾期、未重组：无下限"));
    for browser in [&other, &stranger] {
        let (status, html) = page(app, &loan_path, Some(browser)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(html.contains("找不到该笔贷款，或您无权查看") && !html.contains("JK-P-001"));
    }

    // Nothing is paid: 91 days after the first due date the loan is substandard, four
    // instalments overdue, marked.
    app.clock.advance(Duration::days(121));
    loan_day(&scene, NaiveDate::from_ymd_opt(2027, 3, 24).unwrap()).await;
    // Sessions do not last four months: sign in again.
    let banker = sign_in(app, &scene.banker).await;
    let owner = sign_in(app, &scene.owner).await;
    let stranger = sign_in(app, &examiner).await;
    let (_, html) = page(app, &loan_path, Some(&banker)).await;
    assert!(
        html.contains("<span class=\"badge class-substandard\">次级</span>"),
        "{html}"
    );
    let rows = schedule_rows(&html);
    let overdue: Vec<bool> = rows.iter().map(|row| row.contains("overdue-row")).collect();
    assert_eq!(overdue.iter().filter(|marked| **marked).count(), 4);
    assert!(overdue[..4].iter().all(|marked| *marked));
    assert!(
        rows[0].contains("<td class=\"num bad\">91</td>"),
        "{}",
        rows[0]
    );
    assert!(html.contains("有 4 期逾期未还") && html.contains("逾期超过 90 天：至少为次级类"));

    // The lender opens an auction case and lists it at 600,000 yuan in steps of 10,000.
    let opened = app
        .post(
            &format!("/api/v1/loans/{loan_id}/disposals"),
            Some(&scene.banker.token),
            &json!({"method": "auction"}),
        )
        .await;
    created(&opened);
    let case_id = opened.body["id"].as_i64().unwrap();
    let case_path = format!("/disposals/{case_id}");
    ok(&app
        .post(
            &format!("/api/v1{case_path}/listing"),
            Some(&scene.banker.token),
            &json!({"reserve_fen": 60_000_000, "increment_fen": 1_000_000, "deadline": "2027-03-30T15:00:00"}),
        )
        .await);
    let (_, html) = page(app, &loan_path, Some(&banker)).await;
    assert!(html.contains(&format!("<a href=\"{case_path}\">处置案件 #{case_id}</a>")));

    // A bidder sees the auction and the form.
    let (bidder_id, _) = app.enterprise("无锡收购科技有限公司", 91, None).await;
    let bidder_user = app.user("bidder-91", "enterprise", Some(bidder_id)).await;
    let (runner_id, _) = app.enterprise("常州技术转移有限公司", 92, None).await;
    let runner_user = app.user("bidder-92", "enterprise", Some(runner_id)).await;
    let bidder = sign_in(app, &bidder_user).await;
    let runner = sign_in(app, &runner_user).await;
    let (status, html) = page(app, &case_path, Some(&bidder)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("action=\"{case_path}/bids\"")),
        "{html}"
    );
    assert!(html.contains("600,000.00") && html.contains("已挂牌"));
    assert!(
        !html.contains("JK-P-001"),
        "a bidder learns nothing of the loan"
    );

    // Below the reserve: the page again, with the reason and the amount as typed.
    let (status, _, html) = bid(app, case_id, &bidder, "599999.99", &bidder.csrf).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        html.contains("出价低于保留价：首次出价至少 600,000.00 元"),
        "{html}"
    );
    assert!(html.contains("value=\"599999.99\""));
    // More than two decimals: refused before the app sees it.
    let (status, _, html) = bid(app, case_id, &bidder, "600000.001", &bidder.csrf).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("金额最多精确到分（两位小数）"));
    // A forged token changes nothing.
    let (status, _, _) = bid(app, case_id, &bidder, "700000", "forged").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Taken: back to the case, the bid marked as the bidder's.
    let (status, location, _) = bid(app, case_id, &bidder, "600,000", &bidder.csrf).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, format!("{case_path}?bid=placed#bids"));
    let (_, html) = page(app, &format!("{case_path}?bid=placed"), Some(&bidder)).await;
    assert!(html.contains("您的出价已被接受") && html.contains("您的出价</span>"));
    assert!(html.contains("<dt>下一口最低出价（元）</dt><dd class=\"strong\">610,000.00</dd>"));

    // Another bidder below the increment is told the least it may bid; then outbids.
    let (status, _, html) = bid(app, case_id, &runner, "605000", &runner.csrf).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("至少 610,000.00 元"), "{html}");
    let (status, _, _) = bid(app, case_id, &runner, "610000.50", &runner.csrf).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let api = app
        .get(&format!("/api/v1{case_path}"), Some(&scene.banker.token))
        .await;
    assert_eq!(api.body["listing"]["best_bid_fen"], 61_000_050, "exact fen");

    // The lender sees the bidders by name and the events, and has no form.
    let (_, html) = page(app, &case_path, Some(&banker)).await;
    assert!(html.contains("无锡收购科技有限公司") && html.contains("常州技术转移有限公司"));
    assert!(html.contains("挂牌") && !html.contains(&format!("action=\"{case_path}/bids\"")));
    let (status, html) = page(app, "/disposals/999999", Some(&stranger)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("找不到该处置案件"));

    // Statistics: the lender's one loan is non-performing; the enterprise may not look.
    let (status, html) = page(app, "/loan-stats", Some(&banker)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("不良贷款率（截至 2027-03-24）"), "{html}");
    assert!(html.contains("<td class=\"num\">100.00%</td>") && html.contains("测试银行苏州分行"));
    let (status, _) = page(app, "/loan-stats?period=2027-13", Some(&banker)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, html) = page(app, "/loan-stats", Some(&owner)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("您无权执行此操作"));

    // Past the deadline the lender closes and settles: the waterfall in yuan, the rest written
    // off (no fund: all the principal recovered goes to the lender).
    app.clock.advance(Duration::days(7));
    ok(&app
        .post(
            &format!("/api/v1{case_path}/close-auction"),
            Some(&scene.banker.token),
            &json!({}),
        )
        .await);
    created(
        &app.post(
            &format!("/api/v1{case_path}/settlement"),
            Some(&scene.banker.token),
            &json!({"costs_fen": 1_000_000}),
        )
        .await,
    );
    let banker = sign_in(app, &scene.banker).await;
    let (_, html) = page(app, &case_path, Some(&banker)).await;
    for line in [
        "<td>处置所得</td><td class=\"num\">610,000.50</td>",
        "<td>1. 处置费用</td><td class=\"num\">10,000.00</td>",
        "<td>3. 利息</td><td class=\"num\">14,500.00</td>",
        "<td>4. 本金</td><td class=\"num\">585,500.50</td>",
        "<td>其中：归贷款机构</td><td class=\"num\">585,500.50</td>",
        "<td>核销本金</td><td class=\"num\">414,499.50</td>",
    ] {
        assert!(html.contains(line), "{line}: {html}");
    }
    assert!(html.contains("已结算") && html.contains("常州技术转移有限公司"));
    let (_, html) = page(app, &loan_path, Some(&banker)).await;
    assert!(html.contains("<span class=\"badge loan-status-disposed\">已处置</span>"));
    assert!(html.contains("处置回收") && html.contains("核销"));

    // English by choice.
    let (_, html) = page(app, &format!("{loan_path}?lang=en"), Some(&banker)).await;
    assert!(html.contains("Substandard") && html.contains("Repayment schedule"));
}
