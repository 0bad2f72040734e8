//! Sample notices shared by the integration tests.
#![allow(dead_code)]

use chrono::NaiveDate;
use ipyun_notice::{NoticeDocument, NoticeGround, NoticeKind, NoticeRight};

pub const PLEDGEE: &str = "中国工商银行股份有限公司北京海淀支行";

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn registration() -> NoticeDocument {
    NoticeDocument {
        kind: NoticeKind::Registration,
        notice_no: "Y2026000000123".into(),
        registration_no: Some("Y2026110000123".into()),
        application_id: 4_217,
        issued_on: date(2026, 3, 5),
        issued_at: "2026-03-05T09:30:00+08:00".into(),
        verification_code: "K7Q2-M9XD".into(),
        pledgors: vec!["北京星河智能科技有限公司".into(), "李明".into()],
        pledgee: PLEDGEE.into(),
        rights: vec![
            NoticeRight {
                number: "ZL202310123456.7".into(),
                kind: "invention".into(),
                title: "一种基于深度学习的图像识别方法及装置".into(),
            },
            NoticeRight {
                number: "ZL202220654321.X".into(),
                kind: "utility_model".into(),
                title: "一种可折叠的无人机机臂结构".into(),
            },
        ],
        secured_amount_fen: 123_456_789,
        performance_start: Some(date(2026, 3, 1)),
        performance_end: Some(date(2029, 2, 28)),
        grounds: vec![],
        details: vec![],
        office: "国家知识产权局专利局北京代办处".into(),
    }
}

pub fn refusal() -> NoticeDocument {
    NoticeDocument {
        kind: NoticeKind::Refusal,
        notice_no: "R2026000000045".into(),
        registration_no: None,
        grounds: vec![
            NoticeGround {
                code: "right_not_in_force".into(),
                ground: "《专利权质押登记办法》第十二条第（一）项".into(),
                message_zh: "出质专利权已终止，不能出质。".into(),
                message_en: "The pledged patent has lapsed and cannot be pledged.".into(),
            },
            NoticeGround {
                code: "pledgor_not_holder".into(),
                ground: "《专利权质押登记办法》第十二条第（二）项".into(),
                message_zh: "出质人不是专利登记簿记载的专利权人。".into(),
                message_en: "The pledgor is not the patentee recorded in the register.".into(),
            },
        ],
        details: vec![(
            "申请人说明 / Applicant's note".into(),
            "补正期限已过。😀 𠀀".into(),
        )],
        ..registration()
    }
}
