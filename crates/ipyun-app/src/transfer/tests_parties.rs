#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::tests_rights::{quiet, quiet_export, test_app, uscc};
use super::*;
use crate::Principal;
use crate::auth::system_principal;
use ipyun_domain::account::{Lang, Role};
use ipyun_domain::party::PartyKind;

fn parties_csv(contact: &str) -> String {
    let enterprise = uscc("91320594MA1W2X3Y4");
    let head = uscc("91110000100000001");
    let branch = uscc("91320500100000002");
    let rows = [
        "park,苏州工业园区,,320500,,,,,,,national_economic_zone,,,,,".to_string(),
        format!(
            "enterprise,苏州瑞芯微电子科技有限公司,{enterprise},320500,3973,small,苏州工业园区,,2022,2024,,,,{contact},0512-00000000,苏州工业园区星湖街1号"
        ),
        format!("lender,中国银行股份有限公司,{head},110000,,,,,,,,,AAA,,,"),
        format!("lender,中国银行苏州分行,{branch},320500,,,,{head},,,,,,,,"),
        format!(
            "enterprise,某无园区公司,{},320500,,,不存在的园区,,,,,,,,,",
            uscc("91320500100000003")
        ),
        format!("enterprise,同码公司,{enterprise},320500,,,,,,,,,,,,"),
        "lender,某银行分行,,320500,,,,不存在的银行,,,,,,,,".to_string(),
    ];
    let header = "kind,name,uscc,region,industry,size_class,park,parent,specialised_sme_year,little_giant_year,\
                  park_kind,office_level,credit_rating,contact_name,contact_phone,address";
    format!("{header}\n{}\n", rows.join("\n"))
}

#[tokio::test]
async fn parties_resolve_parks_and_head_lenders_and_re_import_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let app = test_app(dir.path()).await;
    let admin = system_principal();
    let csv = parties_csv("张三").into_bytes();
    let report = app
        .import_bytes(&admin, Subject::Parties, "parties.csv", csv.clone(), &quiet)
        .await
        .unwrap();
    let counts = (
        report.total_rows,
        report.inserted,
        report.updated,
        report.unchanged,
        report.rejected,
    );
    assert_eq!(counts, (7, 4, 0, 0, 3), "{:?}", report.rejections);
    let findings: Vec<(u64, &str, &str)> = report
        .rejections
        .iter()
        .map(|rejection| {
            (
                rejection.row,
                rejection.field.as_str(),
                rejection.code.as_str(),
            )
        })
        .collect();
    assert_eq!(
        findings,
        vec![
            (6, "park", "unknown"),
            (7, "uscc", "duplicate_in_file"),
            (8, "parent", "unknown")
        ]
    );

    let park = app
        .db
        .find_party(None, PartyKind::Park, "苏州工业园区")
        .await
        .unwrap()
        .unwrap();
    let enterprise = app
        .db
        .find_party(Some(&uscc("91320594MA1W2X3Y4")), PartyKind::Enterprise, "")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(enterprise.park_id, Some(park.id));
    let head = app
        .db
        .find_party(None, PartyKind::Lender, "中国银行股份有限公司")
        .await
        .unwrap()
        .unwrap();
    let branch = app
        .db
        .find_party(None, PartyKind::Lender, "中国银行苏州分行")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(branch.parent_id, Some(head.id));

    let again = app
        .import_bytes(&admin, Subject::Parties, "parties.csv", csv, &quiet)
        .await
        .unwrap();
    assert_eq!(
        (
            again.inserted,
            again.updated,
            again.unchanged,
            again.rejected
        ),
        (0, 0, 4, 3)
    );
    let changed = parties_csv("李四").into_bytes();
    let changed = app
        .import_bytes(&admin, Subject::Parties, "parties.csv", changed, &quiet)
        .await
        .unwrap();
    assert_eq!(
        (changed.inserted, changed.updated, changed.unchanged),
        (0, 1, 3)
    );

    for format in [FileFormat::Csv, FileFormat::Xlsx] {
        let out = dir.path().join(format!("parties.{}", format.extension()));
        assert_eq!(
            app.export_parties(&admin, format, &out, &quiet_export)
                .await
                .unwrap(),
            4
        );
        let report = app
            .import_file(&admin, Subject::Parties, &out, &quiet)
            .await
            .unwrap();
        assert_eq!(
            (report.total_rows, report.unchanged),
            (4, 4),
            "{format:?}: {:?}",
            report.rejections
        );
    }
    // The export lists the park before the enterprise in it, and the head lender before its branch.
    let text = std::fs::read_to_string(dir.path().join("parties.csv")).unwrap();
    let position = |needle: &str| text.find(needle).unwrap();
    assert!(position("park,苏州工业园区") < position("enterprise,苏州瑞芯微"));
    assert!(position("lender,中国银行股份") < position("lender,中国银行苏州分行"));
}

#[tokio::test]
async fn redacted_exports_do_not_wipe_what_the_importer_cannot_see() {
    let dir = tempfile::tempdir().unwrap();
    let app = test_app(dir.path()).await;
    let admin = system_principal();
    app.import_bytes(
        &admin,
        Subject::Parties,
        "parties.csv",
        parties_csv("张三").into_bytes(),
        &quiet,
    )
    .await
    .unwrap();
    // An office of another province sees the Jiangsu enterprise without its contacts.
    let zhejiang = Principal {
        user_id: 9,
        username: "zj-office".into(),
        display_name: "zj-office".into(),
        role: Role::ProvincialOffice,
        party_id: None,
        region: Some("330000".into()),
        lang: Lang::ZhCn,
    };
    let out = dir.path().join("redacted.csv");
    app.export_parties(&zhejiang, FileFormat::Csv, &out, &quiet_export)
        .await
        .unwrap();
    assert!(!std::fs::read_to_string(&out).unwrap().contains("张三"));
    let report = app
        .import_file(&zhejiang, Subject::Parties, &out, &quiet)
        .await
        .unwrap();
    assert_eq!(
        (report.updated, report.unchanged, report.rejected),
        (0, 4, 0),
        "{:?}",
        report.rejections
    );
    let enterprise = app
        .db
        .find_party(Some(&uscc("91320594MA1W2X3Y4")), PartyKind::Enterprise, "")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(enterprise.contact_name.as_deref(), Some("张三"));

    let report = app
        .import_bytes(
            &zhejiang,
            Subject::Parties,
            "p.csv",
            parties_csv("王五").into_bytes(),
            &quiet,
        )
        .await
        .unwrap();
    let forbidden: Vec<(u64, &str)> = report
        .rejections
        .iter()
        .filter(|rejection| rejection.code == "forbidden")
        .map(|rejection| (rejection.row, rejection.field.as_str()))
        .collect();
    assert_eq!(forbidden, vec![(3, "name")]);
}
