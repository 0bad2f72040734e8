//! What the printed notice says and where: Chinese first, English labels beside or below.

use chrono::NaiveDate;

use crate::document::{NoticeDocument, NoticeKind, format_date_zh, format_yuan, right_kind_label};
use crate::error::NoticeError;
use crate::font::Font;
use crate::layout::{
    BOLD, BOTTOM, LEFT, Layout, MUTED, NORMAL, Op, RIGHT, Style, TOP, baseline, leading,
};
use crate::pdf::{ATTACHMENT_NAME, PdfMeta, write_pdf};
use crate::qr::{QUIET_ZONE, QrMatrix};
use crate::signing::SignedNotice;

const BODY: f32 = 10.5;
const LABEL_EN: f32 = 7.5;
const SMALL: f32 = 8.5;
const LABEL_W: f32 = 132.0;
/// A notice is a few kilobytes; far larger input is refused rather than laid out.
const MAX_JSON: usize = 1 << 20;

/// Renders the notice as an A4 PDF: header, parties, rights, amount, grounds, details, a QR
/// code of `verify_url` with the verification code, and the signature in small print. The
/// signed JSON ([`SignedNotice::to_json`]) is attached as `notice.json`, byte for byte, so
/// [`crate::extract_signed_notice`] recovers it. Characters the bundled font lacks print as
/// `□` (the attachment keeps them intact).
///
/// Refuses a notice whose signature does not verify (an altered notice is never printed) and
/// one over 1 MiB as JSON.
pub fn render_pdf(notice: &SignedNotice, verify_url: &str) -> Result<Vec<u8>, NoticeError> {
    notice.verify(None)?;
    let attachment = notice.to_json();
    if attachment.len() > MAX_JSON {
        return Err(NoticeError::Render(format!(
            "the notice is {} bytes as JSON; at most {MAX_JSON} can be printed",
            attachment.len()
        )));
    }
    let fingerprint = notice.signer()?.fingerprint();
    let doc = &notice.document;
    let font = Font::bundled()?;
    let qr = QrMatrix::encode(verify_url)?;
    let title_zh = doc.kind.title_zh(&doc.rights);

    let mut l = Layout::new(&font);
    header(&mut l, doc, &title_zh);
    fields(&mut l, doc);
    rights(&mut l, doc);
    if !doc.grounds.is_empty() {
        heading(&mut l, "不予登记理由", "Grounds for refusal");
        for (i, g) in doc.grounds.iter().enumerate() {
            l.ensure(leading(BODY) * 2.0);
            let first = format!("{}. 〔{}〕 {}", i + 1, g.code, g.ground);
            l.paragraph(LEFT, RIGHT - LEFT, BODY, &first, BOLD);
            l.paragraph(
                LEFT + 16.0,
                RIGHT - LEFT - 16.0,
                BODY,
                &g.message_zh,
                NORMAL,
            );
            l.paragraph(
                LEFT + 16.0,
                RIGHT - LEFT - 16.0,
                SMALL,
                &g.message_en,
                MUTED,
            );
            l.gap(4.0);
        }
    }
    if !doc.details.is_empty() {
        heading(&mut l, "其他事项", "Details");
        for (label, value) in &doc.details {
            field(&mut l, label, "", value);
        }
    }
    verification(&mut l, doc, &qr, verify_url);
    small_print(&mut l, notice, &fingerprint);
    footers(&mut l, doc);

    let title = format!("{title_zh} {} {}", doc.kind.title_en(), doc.notice_no);
    write_pdf(
        &l.pages,
        &font,
        &PdfMeta {
            title: &title,
            author: &doc.office,
            subject: doc.kind.title_en(),
            date: doc.issued_on,
            attachment: attachment.as_bytes(),
        },
    )
}

fn header(l: &mut Layout, doc: &NoticeDocument, title_zh: &str) {
    l.centered(12.0, &doc.office, NORMAL);
    l.gap(6.0);
    l.centered(20.0, title_zh, BOLD);
    l.centered(11.0, doc.kind.title_en(), MUTED);
    l.gap(4.0);
    l.rule(1.2, 0.0);
    l.gap(10.0);
    let (zh, en) = doc.kind.opening();
    l.paragraph(LEFT, RIGHT - LEFT, BODY, zh, NORMAL);
    l.paragraph(LEFT, RIGHT - LEFT, SMALL, en, MUTED);
    l.gap(8.0);
}

fn date_both(d: NaiveDate) -> String {
    format!("{}（{d}）", format_date_zh(d))
}

fn fields(l: &mut Layout, doc: &NoticeDocument) {
    field(l, "通知书编号", "Notice No.", &doc.notice_no);
    let reg = doc.registration_no.as_deref().unwrap_or("—");
    field(l, "质押登记号", "Registration No.", reg);
    field(
        l,
        "申请号",
        "Application ID",
        &doc.application_id.to_string(),
    );
    field(l, "发文日期", "Date of issue", &date_both(doc.issued_on));
    field(l, "出质人", "Pledgor(s)", &doc.pledgors.join("\n"));
    field(l, "质权人", "Pledgee", &doc.pledgee);
    let amount = format_yuan(doc.secured_amount_fen);
    let amount = format!("人民币 {amount} 元（CNY {amount}）");
    field(l, "被担保债权数额", "Secured amount", &amount);
    let period = match (doc.performance_start, doc.performance_end) {
        (Some(s), Some(e)) => Some(format!(
            "{} 至 {}（{s} – {e}）",
            format_date_zh(s),
            format_date_zh(e)
        )),
        (Some(s), None) => Some(format!("自 {} 起（from {s}）", format_date_zh(s))),
        (None, Some(e)) => Some(format!("至 {} 止（until {e}）", format_date_zh(e))),
        (None, None) => None,
    };
    if let Some(period) = period {
        field(l, "债务履行期限", "Performance period", &period);
    }
    l.gap(6.0);
}

/// A labelled row: Chinese label with the English one below it, value wrapped beside them.
fn field(l: &mut Layout, zh: &str, en: &str, value: &str) {
    let x = LEFT + LABEL_W;
    let lines = l.wrap(value, BODY, RIGHT - x);
    let labels = l.wrap(zh, BODY, LABEL_W - 8.0);
    let labels_h = leading(BODY) * labels.len() as f32;
    let label_h = labels_h
        + if en.is_empty() {
            0.0
        } else {
            leading(LABEL_EN)
        };
    l.ensure(label_h.max(leading(BODY) * lines.len().min(3) as f32));
    let top = l.y;
    let page = l.pages.len();
    for (i, line) in labels.iter().enumerate() {
        let y = baseline(top - i as f32 * leading(BODY), BODY);
        l.text(LEFT, y, BODY, line, NORMAL);
    }
    l.text(
        LEFT,
        baseline(top - labels_h, LABEL_EN),
        LABEL_EN,
        en,
        MUTED,
    );
    for line in &lines {
        l.ensure(leading(BODY));
        let y = baseline(l.y, BODY);
        l.text(x, y, BODY, line, NORMAL);
        l.y -= leading(BODY);
    }
    if l.pages.len() == page {
        l.y = l.y.min(top - label_h);
    }
    l.gap(3.0);
}

fn heading(l: &mut Layout, zh: &str, en: &str) {
    l.gap(4.0);
    l.ensure(leading(12.0) * 3.0);
    let y = baseline(l.y, 12.0);
    l.text(LEFT, y, 12.0, zh, BOLD);
    let x = LEFT + l.font.width(zh, 12.0) + 8.0;
    l.text(x, y, 9.0, en, MUTED);
    l.y -= leading(12.0);
}

/// Column left edges and widths of the rights table.
const COLS: [(f32, f32); 4] = [
    (LEFT, 30.0),
    (LEFT + 30.0, 112.0),
    (LEFT + 142.0, 118.0),
    (LEFT + 260.0, RIGHT - LEFT - 260.0),
];

fn rights(l: &mut Layout, doc: &NoticeDocument) {
    heading(l, "质押标的", "Pledged rights");
    table_header(l);
    if doc.rights.is_empty() {
        let y = baseline(l.y, BODY);
        l.text(COLS[1].0, y, BODY, "（无）none", MUTED);
        l.y -= leading(BODY);
    }
    let max_lines = ((TOP - BOTTOM) / leading(BODY)) as usize - 6;
    for (i, right) in doc.rights.iter().enumerate() {
        let (kind_zh, kind_en) = right_kind_label(&right.kind);
        let cell = |text: &str, col: usize, size: f32| l.wrap(text, size, COLS[col].1 - 6.0);
        let mut title = cell(&right.title, 3, BODY);
        title.truncate(max_lines);
        let number = cell(&right.number, 2, BODY);
        let kind = cell(kind_zh, 1, BODY);
        let kind_en = if kind_en == kind_zh {
            Vec::new()
        } else {
            cell(kind_en, 1, LABEL_EN)
        };
        let h = (title.len().max(number.len()) as f32 * leading(BODY))
            .max(kind.len() as f32 * leading(BODY) + kind_en.len() as f32 * leading(LABEL_EN))
            + 4.0;
        if l.ensure(h) {
            table_header(l);
        }
        let top = l.y - 2.0;
        lines_at(l, 0, &[format!("{}", i + 1)], top, BODY, NORMAL);
        lines_at(l, 1, &kind, top, BODY, NORMAL);
        let below = top - kind.len() as f32 * leading(BODY);
        lines_at(l, 1, &kind_en, below, LABEL_EN, MUTED);
        lines_at(l, 2, &number, top, BODY, NORMAL);
        lines_at(l, 3, &title, top, BODY, NORMAL);
        l.y -= h;
        l.rule(0.3, 0.7);
    }
    l.rule(0.8, 0.0);
    l.gap(8.0);
}

/// Lines of a table cell in column `col`, the first line's box starting at `top`.
fn lines_at(l: &mut Layout, col: usize, lines: &[String], top: f32, size: f32, style: Style) {
    for (j, line) in lines.iter().enumerate() {
        let y = baseline(top - j as f32 * leading(size), size);
        l.text(COLS[col].0 + 2.0, y, size, line, style);
    }
}

fn table_header(l: &mut Layout) {
    l.ensure(leading(BODY) * 4.0);
    l.rule(0.8, 0.0);
    let top = l.y - 2.0;
    let heads = [
        ("序号", "No."),
        ("类型", "Kind"),
        ("编号", "Number"),
        ("名称", "Title"),
    ];
    for (&(x, _), (zh, en)) in COLS.iter().zip(heads) {
        l.text(x + 2.0, baseline(top, 9.5), 9.5, zh, BOLD);
        let en_y = baseline(top - leading(9.5), LABEL_EN);
        l.text(x + 2.0, en_y, LABEL_EN, en, MUTED);
    }
    l.y = top - leading(9.5) - leading(LABEL_EN) - 2.0;
    l.rule(0.5, 0.0);
}

/// The QR code and verification code, kept on one page with the small print that follows.
fn verification(l: &mut Layout, doc: &NoticeDocument, qr: &QrMatrix, url: &str) {
    let modules = (qr.width + 2 * QUIET_ZONE) as f32;
    let side = 104.0_f32.max(modules * 1.2);
    let module = side / modules;
    let text_x = LEFT + side + 12.0;
    let text_w = RIGHT - text_x;
    let url_lines = l.wrap(url, SMALL, text_w);
    let text_h = leading(12.0) + leading(16.0) + leading(SMALL) * (url_lines.len() + 4) as f32;
    l.gap(6.0);
    l.ensure(side.max(text_h) + 12.0 + SMALL_PRINT_H);
    l.rule(0.5, 0.6);
    l.gap(6.0);
    let top = l.y;
    let quiet = QUIET_ZONE as f32 * module;
    l.push(Op::Qr {
        x: LEFT + quiet,
        top: top - quiet,
        module,
        matrix: qr.clone(),
    });
    l.text(text_x, baseline(top, 11.0), 11.0, "核验 Verification", BOLD);
    l.y = top - leading(12.0);
    let y = baseline(l.y, 9.0);
    l.text(text_x, y, 9.0, "验证码 Verification code", MUTED);
    l.y -= leading(9.0);
    let y = baseline(l.y, 16.0);
    l.text(text_x, y, 16.0, &doc.verification_code, BOLD);
    l.y -= leading(16.0);
    let how = "扫描二维码或访问以下网址核验本通知书 / Scan the QR code or visit:";
    l.paragraph(text_x, text_w, SMALL, how, NORMAL);
    for line in &url_lines {
        l.text(text_x, baseline(l.y, SMALL), SMALL, line, NORMAL);
        l.y -= leading(SMALL);
    }
    let offline = format!(
        "本PDF附有经电子签名的通知书数据（{ATTACHMENT_NAME}），可离线核验。\n\
         The signed notice data is attached to this PDF ({ATTACHMENT_NAME}) and can be verified offline."
    );
    l.paragraph(text_x, text_w, 7.5, &offline, MUTED);
    l.y = l.y.min(top - side) - 8.0;
}

const SMALL_PRINT_H: f32 = 7.0 * 1.5 * 5.0;

fn small_print(l: &mut Layout, notice: &SignedNotice, fingerprint: &str) {
    let lines = [
        format!("签发时间 Issued at: {}", notice.document.issued_at),
        format!("公钥指纹 Public-key fingerprint (Ed25519, SHA-256): {fingerprint}"),
        format!("签名 Signature: {}", notice.signature),
    ];
    for line in lines {
        l.paragraph(LEFT, RIGHT - LEFT, 7.0, &line, MUTED);
    }
}

fn footers(l: &mut Layout, doc: &NoticeDocument) {
    let total = l.pages.len();
    let left = format!("{}  {}", doc.notice_no, footer_kind(doc.kind));
    for (i, page) in l.pages.iter_mut().enumerate() {
        let right = format!("第 {} 页 / 共 {total} 页  Page {} of {total}", i + 1, i + 1);
        let right_x = RIGHT - l.font.width(&right, 7.5);
        page.push(Op::Line {
            x1: LEFT,
            y1: 48.0,
            x2: RIGHT,
            y2: 48.0,
            width: 0.4,
            gray: 0.6,
        });
        for (x, text) in [(LEFT, left.clone()), (right_x, right)] {
            let style = MUTED;
            page.push(Op::Text {
                x,
                y: 36.0,
                size: 7.5,
                text,
                style,
            });
        }
    }
}

fn footer_kind(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::Registration => "登记通知 Registration",
        NoticeKind::Refusal => "不予登记通知 Refusal",
        NoticeKind::Amendment => "变更登记通知 Amendment",
        NoticeKind::Cancellation => "注销登记通知 Cancellation",
    }
}
