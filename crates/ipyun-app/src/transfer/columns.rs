//! The columns of each file layout, and the matching of a header row against them.

use crate::{AppError, ErrorKind};
use ipyun_domain::FieldError;

/// One column of a layout: its English name (what exports write), its Chinese aliases, and
/// whether a file must have it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
}

const fn column(name: &'static str, aliases: &'static [&'static str], required: bool) -> Column {
    Column {
        name,
        aliases,
        required,
    }
}

/// Rights files, in export order.
pub const RIGHT_COLUMNS: &[Column] = &[
    column("kind", &["类型", "权利类型"], true),
    column("number", &["号码", "申请号", "注册号", "登记号"], true),
    column("title", &["名称"], true),
    column("filing_date", &["申请日"], true),
    column("grant_date", &["授权日", "注册日"], false),
    column("legal_status", &["法律状态"], false),
    column("annual_fee_paid_until", &["年费缴至"], false),
    column("nice_class", &["尼斯分类"], false),
    column("ipc_main", &["主分类号"], false),
    column("renewals", &["续展次数"], false),
    column("holders", &["权利人"], true),
];

/// Parties files, in export order.
pub const PARTY_COLUMNS: &[Column] = &[
    column("kind", &["类型", "主体类型"], true),
    column("name", &["名称"], true),
    column("uscc", &["统一社会信用代码"], false),
    column("region", &["地区", "行政区划"], false),
    column("industry", &["行业"], false),
    column("size_class", &["企业规模"], false),
    column("park", &["园区"], false),
    column("parent", &["上级机构", "总行"], false),
    column("specialised_sme_year", &["专精特新年份"], false),
    column("little_giant_year", &["小巨人年份"], false),
    column("park_kind", &["园区类型"], false),
    column("office_level", &["机构级别"], false),
    column("credit_rating", &["信用评级"], false),
    column("contact_name", &["联系人"], false),
    column("contact_phone", &["联系电话"], false),
    column("address", &["地址"], false),
];

/// Royalty-rate files (the office's published table, feature V2).
pub const ROYALTY_COLUMNS: &[Column] = &[
    column("industry", &["行业", "行业代码", "国民经济行业代码"], true),
    column("low_pct", &["下限", "提成率下限", "最低提成率"], true),
    column("mid_pct", &["中值", "提成率中值"], true),
    column("high_pct", &["上限", "提成率上限", "最高提成率"], true),
    column("samples", &["样本数"], false),
    column("source", &["来源", "数据来源"], true),
    column("published_on", &["发布日期"], true),
];

/// IPC-to-industry concordance files (feature V2): which GB/T 4754 industry a patent's IPC
/// prefix belongs to.
pub const IPC_INDUSTRY_COLUMNS: &[Column] = &[
    column(
        "ipc_prefix",
        &["ipc", "ipc分类号", "ipc前缀", "分类号"],
        true,
    ),
    column("industry", &["行业", "行业代码", "国民经济行业代码"], true),
];

/// Patent files as CSV or XLSX (issue 8); JSON Lines use the same names as fields. Lists are
/// separated by `;` (claims by a line break or `;`).
pub const PATENT_COLUMNS: &[Column] = &[
    column("application_no", &["申请号"], true),
    column("kind", &["类型", "专利类型"], true),
    column("title", &["名称", "发明名称", "标题"], true),
    column("abstract", &["摘要"], false),
    column("claims", &["权利要求", "权利要求书", "主权项"], false),
    column("applicants", &["申请人", "专利权人"], true),
    column("inventors", &["发明人", "设计人"], false),
    column("region_code", &["地区代码", "行政区划代码"], false),
    column("ipc", &["ipc分类号", "分类号"], false),
    column("filing_date", &["申请日"], true),
    column("publication_date", &["公开日", "公告日"], false),
    column("grant_date", &["授权日", "授权公告日"], false),
    column("legal_status", &["法律状态"], true),
    column("cited_by", &["被引用次数"], false),
    column("family_size", &["同族数"], false),
];

/// At most this many columns in any layout (rows are gathered into a fixed array).
pub(crate) const MAX_LAYOUT_COLUMNS: usize = 16;

fn normalise(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .trim()
        .to_lowercase()
        .replace([' ', '-'], "_")
}

/// For each column of the file, the index of the layout column it holds.
pub(crate) fn map_header(layout: &[Column], header: &[String]) -> Result<Vec<usize>, AppError> {
    let mut positions = Vec::with_capacity(header.len());
    let mut seen = vec![false; layout.len()];
    let mut unknown = Vec::new();
    let mut duplicate = Vec::new();
    for (index, raw) in header.iter().enumerate() {
        let name = normalise(raw);
        let found = layout.iter().position(|column| {
            column.name == name || column.aliases.iter().any(|alias| *alias == name)
        });
        match found {
            Some(target) if seen[target] => duplicate.push(FieldError::new(
                raw.trim(),
                "duplicate_column",
                format!(
                    "column {} repeats column {}",
                    index + 1,
                    layout[target].name
                ),
            )),
            Some(target) => {
                seen[target] = true;
                positions.push(target);
            }
            None if name.is_empty() => unknown.push(FieldError::new(
                "",
                "unknown_column",
                format!("column {} has no name; remove it or name it", index + 1),
            )),
            None => unknown.push(FieldError::new(
                raw.trim(),
                "unknown_column",
                format!("unknown column {:?}", raw.trim()),
            )),
        }
    }
    let expected = || {
        layout
            .iter()
            .map(|column| column.name)
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !unknown.is_empty() {
        let names: Vec<String> = unknown
            .iter()
            .map(|finding| format!("{:?}", finding.field))
            .collect();
        return Err(header_error(
            "import.unknown_column",
            format!(
                "unknown column(s) {}; the columns are {}",
                names.join(", "),
                expected()
            ),
            unknown,
        ));
    }
    if !duplicate.is_empty() {
        let names: Vec<&str> = duplicate
            .iter()
            .map(|finding| finding.field.as_str())
            .collect();
        return Err(header_error(
            "import.duplicate_column",
            format!("repeated column(s) {}", names.join(", ")),
            duplicate,
        ));
    }
    let missing: Vec<FieldError> = layout
        .iter()
        .zip(&seen)
        .filter(|(column, present)| column.required && !**present)
        .map(|(column, _)| {
            FieldError::new(
                column.name,
                "missing_column",
                format!("the file needs a column {}", column.name),
            )
        })
        .collect();
    if !missing.is_empty() {
        let names: Vec<&str> = missing
            .iter()
            .map(|finding| finding.field.as_str())
            .collect();
        return Err(header_error(
            "import.missing_column",
            format!("missing column(s) {}", names.join(", ")),
            missing,
        ));
    }
    Ok(positions)
}

fn header_error(code: &'static str, message: String, details: Vec<FieldError>) -> AppError {
    let mut error = AppError::new(ErrorKind::BadRequest, code, message);
    error.details = details;
    error
}

/// The column a validation finding belongs to: `holders[1].uscc` → `holders`, `park_id` → `park`.
pub(crate) fn column_of(layout: &[Column], field: &str) -> String {
    let head = field.split(['[', '.']).next().unwrap_or(field);
    let head = match head {
        "park_id" => "park",
        "parent_id" => "parent",
        other => other,
    };
    if layout.iter().any(|column| column.name == head) {
        head.to_string()
    } else {
        field.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| name.to_string()).collect()
    }

    #[test]
    fn headers_match_in_any_case_or_in_chinese() {
        let positions = map_header(
            RIGHT_COLUMNS,
            &header(&[
                "\u{feff}Kind",
                "号码",
                "TITLE",
                "申请日",
                "Filing Date2",
                "权利人",
            ]),
        );
        let error = positions
            .err()
            .map(|error| (error.code, error.details.len()));
        assert_eq!(error, Some(("import.unknown_column", 1)));
        let positions = map_header(
            RIGHT_COLUMNS,
            &header(&["\u{feff}Kind", "号码", "TITLE", "申请日", "权利人"]),
        );
        assert_eq!(positions.ok(), Some(vec![0, 1, 2, 3, 10]));
    }

    #[test]
    fn missing_and_repeated_columns_are_named() {
        let missing = map_header(
            RIGHT_COLUMNS,
            &header(&["kind", "number", "title", "holders"]),
        )
        .err();
        assert_eq!(
            missing.as_ref().map(|error| error.code),
            Some("import.missing_column")
        );
        assert!(missing.is_some_and(|error| error.message.contains("filing_date")));
        let repeated = map_header(PARTY_COLUMNS, &header(&["kind", "name", "名称"])).err();
        assert_eq!(
            repeated.map(|error| error.code),
            Some("import.duplicate_column")
        );
    }

    #[test]
    fn findings_map_to_columns() {
        assert_eq!(column_of(RIGHT_COLUMNS, "holders[1].uscc"), "holders");
        assert_eq!(column_of(PARTY_COLUMNS, "park_id"), "park");
        assert_eq!(column_of(RIGHT_COLUMNS, "title"), "title");
        assert!(
            RIGHT_COLUMNS.len() <= MAX_LAYOUT_COLUMNS && PARTY_COLUMNS.len() <= MAX_LAYOUT_COLUMNS
        );
    }
}
