//! The query language.
//!
//! ```text
//! query    := or
//! or       := and ( "OR" and )*
//! and      := unary ( ["AND"] unary )*          juxtaposition means AND
//! unary    := ("NOT" | "-") unary | primary
//! primary  := "(" or ")" | field ":" value | quoted | word | "*"
//! quoted   := '"' chars '"'                      also “…”
//! ```
//!
//! - A **word** is ranked by BM25 over title (×3), abstract (×2) and claims (×1), weighted in one
//!   field: jieba splits it into dictionary words, all of which must occur (in any of the three).
//! - A **quoted string** matches the exact character sequence (ASCII case aside) inside the title,
//!   the abstract or one claim — never across two of them — whatever the word boundaries: every
//!   occurrence is found.
//! - **Fields**: `applicant:` and `inventor:` (a substring of one applicant's or inventor's name),
//!   `ipc:` (section `H`, class `H01`, subclass `H01M`, main group `H01M10`, or a full symbol
//!   `H01M10/0525`), `region:` (province `32`/`320000`/`江苏`, prefecture `3205`, county `320506`),
//!   `kind:` (`invention`, `utility_model`, `design`, 发明, 实用新型, 外观设计), `status:` (a legal
//!   status such as `in_force`), `filed:`, `published:`, `granted:` (a date range
//!   `2019-01-01..2020-12-31`, `2019..2021`, `2020-03`, `2019..`, `..2020`: whole years, months or
//!   days, both ends included), `no:` (an application number). Chinese names work too: 申请人,
//!   发明人, 分类号, 地区, 类型, 法律状态, 申请日, 公开日, 授权日, 申请号; so does a full-width colon.
//! - `AND`, `OR`, `NOT` are upper-case; `-term` is `NOT term`; `*` matches every patent.
//!
//! Errors carry the 0-based character position of the fault and a stable code: `empty_query`,
//! `too_long`, `unbalanced_quote`, `unbalanced_paren`, `empty_group`, `dangling_operator`,
//! `unknown_field`, `empty_value`, `empty_phrase`, `bad_date`, `bad_date_range`, `bad_ipc`,
//! `bad_region`, `bad_kind`, `bad_status`, `bad_application_no`, `too_many_terms`, `too_deep`.

mod compile;
mod lexer;
mod parser;
mod values;

use chrono::NaiveDate;
use ipyun_domain::right::LegalStatus;

use crate::doc::PatentKind;

pub(crate) use compile::compile;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Most words, quoted strings and filters in one query.
pub const MAX_QUERY_TERMS: usize = 64;
/// Deepest nesting of parentheses and NOTs.
pub const MAX_QUERY_DEPTH: usize = 32;

/// Why a query does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("query error at character {position} ({code}): {message}")]
pub struct QueryError {
    /// 0-based character (not byte) offset of the fault in the query text.
    pub position: usize,
    /// Stable code, e.g. `unbalanced_quote`, `unknown_field`, `bad_date_range`.
    pub code: &'static str,
    /// English explanation.
    pub message: String,
}

impl QueryError {
    pub(crate) fn new(position: usize, code: &'static str, message: impl Into<String>) -> Self {
        QueryError {
            position,
            code,
            message: message.into(),
        }
    }
}

/// An inclusive range of dates; an open end is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl DateRange {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|from| from <= date) && self.to.is_none_or(|to| date <= to)
    }
}

/// A field filter, values in normal form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// Substring of one applicant's name (normalised: ASCII lower-case).
    Applicant(String),
    /// Substring of one inventor's name (normalised).
    Inventor(String),
    /// An IPC index term: `H`, `H01`, `H01M`, `H01M10` or `H01M10/0525`.
    Ipc(String),
    /// A region index term: `32`, `3205` or `320506`.
    Region(String),
    Kind(PatentKind),
    Status(LegalStatus),
    Filed(DateRange),
    Published(DateRange),
    Granted(DateRange),
    /// An application number in normal form.
    ApplicationNo(String),
}

/// A node of a parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// Every patent (`*`).
    All,
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// A ranked word: the text typed and the index terms it stands for (all required).
    Word {
        text: String,
        terms: Vec<String>,
    },
    /// A quoted string, normalised (ASCII lower-case).
    Phrase(String),
    Filter(Filter),
}

/// A query that parsed: its tree, and the strings to highlight in hits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedQuery {
    pub root: Node,
    /// Normalised strings to mark in titles and snippets (the words' terms and the quoted strings
    /// outside any NOT), longest first.
    pub highlights: Vec<String>,
}

/// Parses a query (see the module documentation for the language).
pub fn parse_query(text: &str) -> Result<ParsedQuery, QueryError> {
    let length = text.chars().count();
    if length > MAX_QUERY_CHARS {
        return Err(QueryError::new(
            MAX_QUERY_CHARS,
            "too_long",
            format!("a query may have at most {MAX_QUERY_CHARS} characters, found {length}"),
        ));
    }
    let tokens = lexer::lex(text)?;
    let root = parser::parse(&tokens)?.ok_or_else(|| {
        QueryError::new(
            0,
            "empty_query",
            "the query is empty: type words, a quoted string or a field filter",
        )
    })?;
    let mut highlights = Vec::new();
    collect_highlights(&root, &mut highlights);
    highlights.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    highlights.dedup();
    Ok(ParsedQuery { root, highlights })
}

fn collect_highlights(node: &Node, out: &mut Vec<String>) {
    match node {
        Node::And(children) | Node::Or(children) => {
            for child in children {
                collect_highlights(child, out);
            }
        }
        Node::Word { terms, .. } => out.extend(terms.iter().cloned()),
        Node::Phrase(phrase) => out.push(phrase.clone()),
        Node::All | Node::Not(_) | Node::Filter(_) => {}
    }
}

#[cfg(test)]
mod tests;
