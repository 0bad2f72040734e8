//! Signing, verification, the JSON file, bad input, money and the QR SVG.

use super::common::{date, refusal, registration};
use ipyun_notice::{
    NoticeDocument, NoticeError, NoticeGround, NoticeKind, NoticePublicKey, NoticeRight,
    NoticeSigningKey, SignedNotice, canonical_bytes, extract_signed_notice, format_yuan, qr_svg,
    sign,
};

#[test]
fn sign_then_verify_round_trips_through_json() {
    let key = NoticeSigningKey::generate();
    for doc in [registration(), refusal()] {
        let signed = sign(&key, doc.clone());
        assert_eq!(signed.document, doc);
        signed.verify(None).unwrap();
        signed.verify(Some(&key.public_key())).unwrap();

        let json = signed.to_json();
        let back = SignedNotice::from_json(&json).unwrap();
        assert_eq!(back, signed);
        back.verify(Some(&key.public_key())).unwrap();
        assert_eq!(extract_signed_notice(json.as_bytes()).unwrap(), signed);
        let with_bom = [b"\xEF\xBB\xBF\n".as_slice(), json.as_bytes()].concat();
        assert_eq!(extract_signed_notice(&with_bom).unwrap(), signed);
    }
}

#[test]
fn canonical_bytes_are_deterministic_json_in_field_order() {
    let doc = registration();
    assert_eq!(canonical_bytes(&doc), canonical_bytes(&doc.clone()));
    let text = String::from_utf8(canonical_bytes(&doc)).unwrap();
    assert!(text.starts_with(r#"{"kind":"registration","notice_no":"Y2026000000123","#));
    assert!(text.ends_with(r#""office":"国家知识产权局专利局北京代办处"}"#));
    assert!(text.contains(r#""issued_on":"2026-03-05""#));
    let refusal = String::from_utf8(canonical_bytes(&refusal())).unwrap();
    assert!(refusal.contains(r#""kind":"refusal""#));
    assert!(refusal.contains(r#""registration_no":null"#));
}

type Tamper = (&'static str, fn(&mut NoticeDocument));

#[test]
fn changing_any_field_breaks_the_signature() {
    let key = NoticeSigningKey::generate();
    let signed = sign(&key, refusal());
    let tampers: [Tamper; 17] = [
        ("kind", |d| d.kind = NoticeKind::Registration),
        ("notice_no", |d| d.notice_no.push('0')),
        ("registration_no", |d| d.registration_no = Some("Y1".into())),
        ("application_id", |d| d.application_id += 1),
        ("issued_on", |d| d.issued_on = date(2026, 3, 6)),
        ("issued_at", |d| {
            d.issued_at = "2026-03-05T09:30:01+08:00".into()
        }),
        ("verification_code", |d| {
            d.verification_code = "K7Q2-M9XE".into()
        }),
        ("pledgors", |d| d.pledgors.reverse()),
        ("pledgee", |d| d.pledgee.push('行')),
        ("rights", |d| d.rights[1].title.push('。')),
        ("rights.kind", |d| d.rights[0].kind = "design".into()),
        ("secured_amount_fen", |d| d.secured_amount_fen += 1),
        ("performance_start", |d| d.performance_start = None),
        ("performance_end", |d| {
            d.performance_end = Some(date(2030, 1, 1))
        }),
        ("grounds", |d| d.grounds[0].message_en.push(' ')),
        ("details", |d| d.details.push(("a".into(), "b".into()))),
        ("office", |d| d.office = "别的代办处".into()),
    ];
    for (field, tamper) in tampers {
        let mut altered = signed.clone();
        tamper(&mut altered.document);
        assert_ne!(altered.document, signed.document, "{field} did not change");
        assert_eq!(
            altered.verify(None),
            Err(NoticeError::BadSignature),
            "{field}"
        );
        let key = key.public_key();
        assert_eq!(
            altered.verify(Some(&key)),
            Err(NoticeError::BadSignature),
            "{field}"
        );
    }
    let mut more_grounds = signed.clone();
    more_grounds.document.grounds.push(NoticeGround {
        code: "x".into(),
        ground: "y".into(),
        message_zh: "z".into(),
        message_en: "z".into(),
    });
    assert_eq!(more_grounds.verify(None), Err(NoticeError::BadSignature));
    let mut more_rights = signed;
    more_rights.document.rights.push(NoticeRight {
        number: "1".into(),
        kind: "trademark".into(),
        title: "t".into(),
    });
    assert_eq!(more_rights.verify(None), Err(NoticeError::BadSignature));
}

#[test]
fn another_key_is_a_key_mismatch() {
    let office = NoticeSigningKey::generate();
    let forger = NoticeSigningKey::generate();
    let forged = sign(&forger, registration());
    forged.verify(None).unwrap();
    match forged.verify(Some(&office.public_key())) {
        Err(NoticeError::KeyMismatch { expected, found }) => {
            assert_eq!(expected, office.public_key().fingerprint());
            assert_eq!(found, forger.public_key().fingerprint());
        }
        other => panic!("expected a key mismatch, got {other:?}"),
    }
    // The office's key named in the file, with the forger's signature: a bad signature.
    let mut relabelled = forged;
    relabelled.public_key = office.public_key().to_text();
    let expected = office.public_key();
    assert_eq!(
        relabelled.verify(Some(&expected)),
        Err(NoticeError::BadSignature)
    );
}

#[test]
fn malformed_signature_or_key_fields_are_malformed() {
    let key = NoticeSigningKey::generate();
    let signed = sign(&key, registration());
    let with = |f: &dyn Fn(&mut SignedNotice)| {
        let mut s = signed.clone();
        f(&mut s);
        s.verify(None)
    };
    let malformed = |r: Result<(), NoticeError>| matches!(r, Err(NoticeError::Malformed(_)));
    assert!(malformed(with(&|s| s.signature = "not base64!".into())));
    assert!(malformed(with(&|s| s.signature = "AAAA".into())));
    assert!(malformed(with(&|s| s.signature.clear())));
    assert!(malformed(with(
        &|s| s.public_key = "ipyun-notice-pub-v1:AAAA".into()
    )));
    assert!(malformed(with(&|s| s.public_key = key.to_text())));
    assert!(malformed(with(&|s| s.public_key.clear())));
    // A flipped bit in a well-formed signature is a bad signature.
    let flipped = with(&|s| {
        let first = if s.signature.starts_with('A') {
            "B"
        } else {
            "A"
        };
        s.signature.replace_range(0..1, first);
    });
    assert_eq!(flipped, Err(NoticeError::BadSignature));
}

#[test]
fn keys_round_trip_as_text_and_reject_bad_text() {
    let key = NoticeSigningKey::generate();
    let text = key.to_text();
    assert!(text.starts_with("ipyun-notice-key-v1:"));
    assert!(!text.contains('\n'));
    let again = NoticeSigningKey::from_text(&format!("  {text}\n")).unwrap();
    assert_eq!(again.public_key(), key.public_key());
    assert_eq!(sign(&again, registration()), sign(&key, registration()));

    let public = key.public_key();
    let public_text = public.to_text();
    assert!(public_text.starts_with("ipyun-notice-pub-v1:"));
    assert_eq!(NoticePublicKey::from_text(&public_text).unwrap(), public);
    let fingerprint = public.fingerprint();
    assert_eq!(fingerprint.len(), 16);
    assert!(fingerprint.chars().all(|c| c.is_ascii_hexdigit()));
    assert!(
        !format!("{key:?}").contains(&text[20..]),
        "Debug must not show the seed"
    );

    for bad in [
        "",
        "ipyun-notice-key-v1:",
        "ipyun-notice-key-v1:%%%",
        "ipyun-notice-key-v1:AAAA",
    ] {
        assert!(
            matches!(
                NoticeSigningKey::from_text(bad),
                Err(NoticeError::InvalidKey(_))
            ),
            "{bad}"
        );
    }
    assert!(NoticeSigningKey::from_text(&public_text).is_err());
    assert!(NoticePublicKey::from_text(&text).is_err());
    // About half of all 32-byte strings are no point on the curve.
    let rejected = (0u8..=255)
        .map(|b| {
            let mut bytes = [0u8; 32];
            bytes[0] = b;
            bytes[1] = 7;
            use base64::Engine as _;
            format!(
                "ipyun-notice-pub-v1:{}",
                base64::engine::general_purpose::STANDARD.encode(bytes)
            )
        })
        .filter(|text| {
            matches!(
                NoticePublicKey::from_text(text),
                Err(NoticeError::InvalidKey(_))
            )
        })
        .count();
    assert!(rejected > 50, "{rejected}");
}

/// A deterministic stream of bytes for garbage input.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn garbage_empty_and_truncated_input_is_an_error_not_a_panic() {
    let malformed =
        |bytes: &[u8]| matches!(extract_signed_notice(bytes), Err(NoticeError::Malformed(_)));
    for bytes in [
        &b""[..],
        b"   \n",
        b"\xEF\xBB\xBF",
        b"{}",
        b"[]",
        b"null",
        b"%PDF-",
        b"%PDF-1.7\n%%EOF",
    ] {
        assert!(malformed(bytes), "{bytes:?}");
    }
    for seed in 0..200 {
        let mut bytes = noise(seed, (seed as usize * 37) % 3000);
        assert!(malformed(&bytes));
        bytes.splice(
            0..0,
            b"%PDF-1.7\n/Type /EmbeddedFile /Length 3 stream\n"
                .iter()
                .copied(),
        );
        assert!(malformed(&bytes));
    }
    let key = NoticeSigningKey::generate();
    let json = sign(&key, refusal()).to_json();
    let bytes = json.as_bytes();
    for cut in (0..bytes.len()).step_by(7) {
        assert!(malformed(&bytes[..cut]), "cut at {cut}");
    }
    // Valid JSON of the wrong shape, or with fields the format does not have.
    let extra = json.replacen("\"signature\"", "\"note\": \"x\",\n  \"signature\"", 1);
    assert!(malformed(extra.as_bytes()));
    let wrong_kind = json.replacen("\"refusal\"", "\"approval\"", 1);
    assert!(malformed(wrong_kind.as_bytes()));
    let invalid_utf8 = [bytes, b"\xff"].concat();
    assert!(malformed(&invalid_utf8));
}

#[test]
fn money_is_formatted_exactly() {
    assert_eq!(format_yuan(123_456_789), "1,234,567.89");
    assert_eq!(format_yuan(5), "0.05");
    assert_eq!(format_yuan(-5), "-0.05");
    assert_eq!(format_yuan(10_000_000_000), "100,000,000.00");
}

/// Rebuilds the module grid from `qr_svg`'s path and decodes it with an independent reader.
fn decode_svg(svg: &str) -> (usize, rqrr::MetaData, String) {
    let view = svg.split("viewBox=\"0 0 ").nth(1).unwrap();
    let size: usize = view.split(' ').next().unwrap().parse().unwrap();
    let path = svg
        .split(" d=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let mut dark = vec![false; size * size];
    for run in path.split('M').filter(|r| !r.is_empty()) {
        let (xy, rest) = run.split_once('h').unwrap();
        let (x, y) = xy.split_once(',').unwrap();
        let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
        let len: usize = rest.split_once('v').unwrap().0.parse().unwrap();
        assert_eq!(rest, format!("{len}v1h-{len}z"));
        for dx in 0..len {
            dark[y * size + x + dx] = true;
        }
    }
    let scale = 4;
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(size * scale, size * scale, |x, y| {
            if dark[(y / scale) * size + x / scale] {
                0
            } else {
                255
            }
        });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1);
    let (meta, text) = grids[0].decode().unwrap();
    (size, meta, text)
}

#[test]
fn qr_svg_is_deterministic_and_decodes_to_the_text() {
    let url = "https://ipyun.example.cn/notices/verify?no=Y2026000000123&code=K7Q2-M9XD";
    let svg = qr_svg(url).unwrap();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.ends_with("</svg>"));
    assert_eq!(svg, qr_svg(url).unwrap());
    let (size, meta, text) = decode_svg(&svg);
    assert_eq!(text, url);
    assert_eq!(
        size,
        17 + 4 * meta.version.0 + 8,
        "modules for version {}",
        meta.version.0
    );
    assert_eq!(meta.ecc_level, 0, "error correction level M");

    let short = qr_svg("Y2026").unwrap();
    let (size, meta, text) = decode_svg(&short);
    assert_eq!((text.as_str(), meta.version.0, size), ("Y2026", 1, 21 + 8));
    let chinese = qr_svg("专利权质押登记 K7Q2").unwrap();
    assert_eq!(decode_svg(&chinese).2, "专利权质押登记 K7Q2");
    assert!(matches!(qr_svg(&"x".repeat(5000)), Err(NoticeError::Qr(_))));
}
