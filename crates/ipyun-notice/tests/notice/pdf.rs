//! The printable PDF: attachment round trip, embedded font, text extraction, bad input.

use std::process::Command;

use super::common::{PLEDGEE, refusal, registration};
use ipyun_notice::{
    NoticeError, NoticeKind, NoticeRight, NoticeSigningKey, SignedNotice, extract_signed_notice,
    render_pdf, sign,
};

const URL: &str = "https://ipyun.example.cn/notices/verify?no=Y2026000000123&code=K7Q2-M9XD";

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn render(signed: &SignedNotice) -> Vec<u8> {
    render_pdf(signed, URL).unwrap()
}

#[test]
fn the_pdf_carries_the_signed_notice_byte_for_byte() {
    let key = NoticeSigningKey::generate();
    for doc in [registration(), refusal()] {
        let signed = sign(&key, doc);
        let pdf = render(&signed);
        assert!(pdf.starts_with(b"%PDF-1.7"));
        assert!(contains(&pdf, b"/FontFile3"));
        assert!(contains(&pdf, b"/CIDFontType0C"));
        assert!(contains(&pdf, b"+NotoSansCJKsc-Regular"));
        assert!(contains(&pdf, b"/ToUnicode"));
        assert!(contains(&pdf, b"/EmbeddedFiles"));
        assert!(contains(&pdf, signed.to_json().as_bytes()));

        let back = extract_signed_notice(&pdf).unwrap();
        assert_eq!(back, signed);
        assert_eq!(back.to_json(), signed.to_json());
        back.verify(Some(&key.public_key())).unwrap();
        // Only the glyphs used are embedded: far less than the 1.5 MB bundled font.
        assert!(pdf.len() < 400_000, "{} bytes", pdf.len());
    }
}

#[test]
fn rendering_is_deterministic() {
    let key = NoticeSigningKey::generate();
    let signed = sign(&key, registration());
    assert_eq!(render(&signed), render(&signed));
}

#[test]
fn a_tampered_notice_is_not_rendered() {
    let key = NoticeSigningKey::generate();
    let mut signed = sign(&key, registration());
    signed.document.secured_amount_fen = 1;
    assert_eq!(render_pdf(&signed, URL), Err(NoticeError::BadSignature));
}

#[test]
fn a_tampered_pdf_fails_verification() {
    let key = NoticeSigningKey::generate();
    let signed = sign(&key, registration());
    let pdf = render(&signed);
    // Change the amount inside the attachment without changing its length.
    let needle = b"\"secured_amount_fen\": 123456789";
    let at = pdf.windows(needle.len()).position(|w| w == needle).unwrap();
    let mut tampered = pdf.clone();
    tampered[at + needle.len() - 1] = b'8';
    let back = extract_signed_notice(&tampered).unwrap();
    assert_eq!(back.document.secured_amount_fen, 123_456_788);
    assert_eq!(
        back.verify(Some(&key.public_key())),
        Err(NoticeError::BadSignature)
    );
}

#[test]
fn truncated_or_damaged_pdfs_are_errors_not_panics() {
    let key = NoticeSigningKey::generate();
    let pdf = render(&sign(&key, refusal()));
    let json = sign(&key, refusal()).to_json();
    let start = pdf
        .windows(json.len())
        .position(|w| w == json.as_bytes())
        .unwrap();
    let end = start + json.len();
    let near = (start - 60..end + 20)
        .step_by(11)
        .chain([start, end - 1, end, end + 1]);
    for cut in (0..pdf.len()).step_by(997).chain(near) {
        let result = extract_signed_notice(&pdf[..cut]);
        if cut < end {
            assert!(
                matches!(result, Err(NoticeError::Malformed(_))),
                "cut at {cut}"
            );
        } else {
            // Cut after the attachment: what is left of it is whole, and still verifies.
            result.unwrap().verify(Some(&key.public_key())).unwrap();
        }
    }
    let mut no_attachment = pdf.clone();
    let marker = b"/Type /EmbeddedFile";
    let at = no_attachment
        .windows(marker.len())
        .position(|w| w == marker)
        .unwrap();
    no_attachment[at + 6] = b'X';
    assert!(matches!(
        extract_signed_notice(&no_attachment),
        Err(NoticeError::Malformed(_))
    ));
}

#[test]
fn every_kind_long_content_and_odd_characters_render() {
    let key = NoticeSigningKey::generate();
    let mut doc = registration();
    doc.rights = (0..60)
        .map(|i| NoticeRight {
            number: format!("ZL2023101234{i:02}.7"),
            kind: [
                "invention",
                "trademark",
                "software_copyright",
                "ic_layout",
                "plant_variety",
            ][i % 5]
                .into(),
            title: "一种用于知识产权质押融资的数据处理方法、装置、电子设备及计算机可读存储介质"
                .repeat(1 + i % 3),
        })
        .collect();
    doc.pledgors = (0..30)
        .map(|i| format!("出质人{i}号有限责任公司 Pledgor Co. {i} 😀"))
        .collect();
    doc.details = vec![
        ("变更前 / Before".into(), "𠀀\u{0}\t\u{202e}".repeat(40)),
        ("".into(), "".into()),
    ];
    doc.verification_code = "ABCDEFGHIJKL".into();
    doc.secured_amount_fen = -5;
    doc.performance_start = None;
    for kind in [
        NoticeKind::Registration,
        NoticeKind::Refusal,
        NoticeKind::Amendment,
        NoticeKind::Cancellation,
    ] {
        doc.kind = kind;
        let signed = sign(&key, doc.clone());
        let pdf = render(&signed);
        assert_eq!(extract_signed_notice(&pdf).unwrap(), signed);
        let count = pdf.windows(7).position(|w| w == b"/Count ").unwrap() + 7;
        let digits: String = pdf[count..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .map(|&b| char::from(b))
            .collect();
        assert!(
            digits.parse::<u32>().unwrap() > 3,
            "60 rights take several pages, not {digits}"
        );
    }
    let empty = sign(
        &key,
        ipyun_notice::NoticeDocument {
            rights: vec![],
            pledgors: vec![],
            ..refusal()
        },
    );
    assert_eq!(extract_signed_notice(&render(&empty)).unwrap(), empty);
    assert!(matches!(
        render_pdf(&empty, &"x".repeat(5000)),
        Err(NoticeError::Qr(_))
    ));
}

/// Text as a reader's tool sees it, with all whitespace removed (pdftotext spaces CJK freely).
fn pdftotext(pdf: &[u8], name: &str) -> Option<String> {
    let dir = std::env::temp_dir().join(format!("ipyun-notice-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("notice.pdf");
    std::fs::write(&file, pdf).unwrap();
    let output = Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(&file)
        .arg("-")
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    match output {
        Ok(out) => {
            assert!(
                out.status.success(),
                "pdftotext failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            Some(
                String::from_utf8(out.stdout)
                    .unwrap()
                    .split_whitespace()
                    .collect(),
            )
        }
        Err(_) => None,
    }
}

#[test]
fn extracted_text_has_the_chinese_title_and_parties() {
    let key = NoticeSigningKey::generate();
    let signed = sign(&key, registration());
    let Some(text) = pdftotext(&render(&signed), "registration") else {
        println!(
            "note: pdftotext (poppler-utils) is not installed; skipping the text-extraction check"
        );
        return;
    };
    for expected in [
        "专利权质押登记通知书",
        "NoticeofPledgeRegistration",
        PLEDGEE,
        "北京星河智能科技有限公司",
        "一种基于深度学习的图像识别方法及装置",
        "1,234,567.89",
        "Y2026000000123",
        "K7Q2-M9XD",
        "发明专利",
        &key.public_key().fingerprint(),
    ] {
        assert!(text.contains(expected), "{expected:?} missing from {text}");
    }

    let refused = sign(&key, refusal());
    let text = pdftotext(&render(&refused), "refusal").unwrap();
    for expected in [
        "专利权质押不予登记通知书",
        "不予登记理由",
        "出质专利权已终止，不能出质。",
        "补正期限已过。□",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from {text}");
    }
}
