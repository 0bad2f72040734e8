//! The notice as data, its canonical bytes, and the wording shared by the PDF.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// What the notice tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// The pledge is registered.
    Registration,
    /// The application is refused; `grounds` says why.
    Refusal,
    /// A registered pledge is amended; `details` says what changed.
    Amendment,
    /// A registered pledge is cancelled; `details` says why.
    Cancellation,
}

/// One pledged right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeRight {
    /// The right's number (patent number, trademark registration number, ...).
    pub number: String,
    /// The kind in snake case: `invention`, `utility_model`, `design`, `trademark`,
    /// `software_copyright`, `ic_layout` (others are printed as given).
    pub kind: String,
    /// The right's title or name.
    pub title: String,
}

/// One ground for a refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeGround {
    /// Machine-readable code of the ground.
    pub code: String,
    /// The legal citation, in Chinese.
    pub ground: String,
    /// The explanation in Chinese.
    pub message_zh: String,
    /// The explanation in English.
    pub message_en: String,
}

/// The content of a notice. Everything printed on the PDF comes from here, and all of it is
/// covered by the signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeDocument {
    /// What the notice tells.
    pub kind: NoticeKind,
    /// The notice's own number, e.g. `Y2026000000123` or `R2026000000045`.
    pub notice_no: String,
    /// The pledge registration number, once there is one.
    pub registration_no: Option<String>,
    /// The application the notice answers.
    pub application_id: i64,
    /// The date of issue printed on the notice.
    pub issued_on: NaiveDate,
    /// The instant of issue, RFC 3339, as given by the caller.
    pub issued_at: String,
    /// Short code (8–12 characters) a reader types to look the notice up.
    pub verification_code: String,
    /// The pledgors' names.
    pub pledgors: Vec<String>,
    /// The pledgee's name.
    pub pledgee: String,
    /// The pledged rights.
    pub rights: Vec<NoticeRight>,
    /// The secured amount in integer fen (1 yuan = 100 fen).
    pub secured_amount_fen: i64,
    /// First day of the debtor's performance period.
    pub performance_start: Option<NaiveDate>,
    /// Last day of the debtor's performance period.
    pub performance_end: Option<NaiveDate>,
    /// Grounds of a refusal; empty otherwise.
    pub grounds: Vec<NoticeGround>,
    /// Extra labelled lines: amendment before/after, cancellation reason, ...
    pub details: Vec<(String, String)>,
    /// The issuing office's name.
    pub office: String,
}

/// The bytes the signature covers: the document as compact JSON (`serde_json`), fields in the
/// order they are declared in [`NoticeDocument`], strings as UTF-8 with serde_json's escaping,
/// dates as `YYYY-MM-DD`, `None` as `null`, `details` as an array of two-element arrays.
///
/// The same document always gives the same bytes; a verifier recomputes them from the parsed
/// document, so what is verified is exactly what a reader of the file is shown.
pub fn canonical_bytes(doc: &NoticeDocument) -> Vec<u8> {
    // Structs of strings, integers, dates and vectors always serialize; the fallback is
    // unreachable and would only make every signature check fail.
    serde_json::to_vec(doc).unwrap_or_default()
}

/// Formats an amount of fen as yuan with two decimals and thousands separators, exactly:
/// `123456789` → `1,234,567.89`, `5` → `0.05`, `-5` → `-0.05`.
pub fn format_yuan(fen: i64) -> String {
    let abs = fen.unsigned_abs();
    let (yuan, cents) = (abs / 100, abs % 100);
    let digits = yuan.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 4);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}{grouped}.{cents:02}")
}

/// `2026-03-05` → `2026年3月5日`.
pub fn format_date_zh(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// Chinese and English names of a right kind given in snake case; unknown kinds are returned
/// as given (in both languages).
pub fn right_kind_label(kind: &str) -> (&str, &str) {
    match kind {
        "invention" => ("发明专利", "Invention patent"),
        "utility_model" => ("实用新型专利", "Utility model patent"),
        "design" => ("外观设计专利", "Design patent"),
        "trademark" => ("注册商标", "Trademark"),
        "software_copyright" => ("计算机软件著作权", "Software copyright"),
        "ic_layout" => ("集成电路布图设计", "IC layout design"),
        other => (other, other),
    }
}

impl NoticeKind {
    /// The Chinese title, naming the kind of right when all pledged rights are of one family:
    /// `专利权质押登记通知书`, `商标专用权质押不予登记通知书`, `知识产权质押变更登记通知书`, ...
    pub fn title_zh(self, rights: &[NoticeRight]) -> String {
        let family = |kind: &str| match kind {
            "invention" | "utility_model" | "design" => "专利权",
            "trademark" => "商标专用权",
            "software_copyright" => "计算机软件著作权",
            "ic_layout" => "集成电路布图设计专有权",
            _ => "知识产权",
        };
        let mut families = rights.iter().map(|r| family(&r.kind));
        let subject = match families.next() {
            Some(first) if families.all(|f| f == first) => first,
            _ => "知识产权",
        };
        let suffix = match self {
            NoticeKind::Registration => "质押登记通知书",
            NoticeKind::Refusal => "质押不予登记通知书",
            NoticeKind::Amendment => "质押变更登记通知书",
            NoticeKind::Cancellation => "质押注销登记通知书",
        };
        format!("{subject}{suffix}")
    }

    /// The English title.
    pub fn title_en(self) -> &'static str {
        match self {
            NoticeKind::Registration => "Notice of Pledge Registration",
            NoticeKind::Refusal => "Notice of Refusal of Pledge Registration",
            NoticeKind::Amendment => "Notice of Registration of a Pledge Amendment",
            NoticeKind::Cancellation => "Notice of Cancellation of Pledge Registration",
        }
    }

    /// The opening sentence, Chinese then English.
    pub(crate) fn opening(self) -> (&'static str, &'static str) {
        match self {
            NoticeKind::Registration => (
                "经审查，下列质押符合规定，准予登记。特此通知。",
                "Upon examination, the pledge below meets the requirements and is registered.",
            ),
            NoticeKind::Refusal => (
                "经审查，下列质押登记申请不符合规定，不予登记，理由如下。特此通知。",
                "Upon examination, the application below does not meet the requirements and \
                 is refused for the grounds stated.",
            ),
            NoticeKind::Amendment => (
                "经审查，下列质押登记的变更符合规定，准予变更登记。特此通知。",
                "Upon examination, the amendment of the pledge registration below is registered.",
            ),
            NoticeKind::Cancellation => (
                "经审查，下列质押登记予以注销。特此通知。",
                "Upon examination, the pledge registration below is cancelled.",
            ),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn yuan_is_exact_with_separators() {
        assert_eq!(format_yuan(123_456_789), "1,234,567.89");
        assert_eq!(format_yuan(5), "0.05");
        assert_eq!(format_yuan(0), "0.00");
        assert_eq!(format_yuan(100), "1.00");
        assert_eq!(format_yuan(100_000), "1,000.00");
        assert_eq!(format_yuan(99_999_999), "999,999.99");
        assert_eq!(format_yuan(-5), "-0.05");
        assert_eq!(format_yuan(-123_456_789), "-1,234,567.89");
        assert_eq!(format_yuan(i64::MAX), "92,233,720,368,547,758.07");
        assert_eq!(format_yuan(i64::MIN), "-92,233,720,368,547,758.08");
    }

    #[test]
    fn titles_follow_the_rights() {
        let right = |kind: &str| NoticeRight {
            number: "1".into(),
            kind: kind.into(),
            title: "t".into(),
        };
        let patents = [right("invention"), right("design")];
        assert_eq!(
            NoticeKind::Registration.title_zh(&patents),
            "专利权质押登记通知书"
        );
        assert_eq!(
            NoticeKind::Refusal.title_zh(&[right("trademark")]),
            "商标专用权质押不予登记通知书"
        );
        let mixed = [right("invention"), right("trademark")];
        assert_eq!(
            NoticeKind::Amendment.title_zh(&mixed),
            "知识产权质押变更登记通知书"
        );
        assert_eq!(
            NoticeKind::Cancellation.title_zh(&[]),
            "知识产权质押注销登记通知书"
        );
    }

    #[test]
    fn dates_in_chinese() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        assert_eq!(format_date_zh(d), "2026年3月5日");
    }
}
