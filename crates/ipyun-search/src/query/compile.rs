//! A parsed query as a tantivy query over the schema.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use super::{DateRange, Filter, Node};
use crate::doc::status_code;
use crate::schema::{Fields, day_number};
use crate::text::is_separator;
use crate::tokenizer::{PhraseCover, phrase_cover};

pub(crate) fn compile(node: &Node, fields: &Fields) -> Box<dyn Query> {
    match node {
        Node::All => Box::new(AllQuery),
        Node::And(children) => {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(children.len() + 1);
            for child in children {
                match child {
                    Node::Not(inner) => clauses.push((Occur::MustNot, compile(inner, fields))),
                    other => clauses.push((Occur::Must, compile(other, fields))),
                }
            }
            if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
                clauses.push((Occur::Must, zero_score(Box::new(AllQuery))));
            }
            Box::new(BooleanQuery::new(clauses))
        }
        Node::Or(children) => Box::new(BooleanQuery::new(
            children
                .iter()
                .map(|child| (Occur::Should, compile(child, fields)))
                .collect(),
        )),
        Node::Not(inner) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, zero_score(Box::new(AllQuery))),
            (Occur::MustNot, compile(inner, fields)),
        ])),
        Node::Word { terms, .. } => word_query(terms, fields),
        Node::Phrase(phrase) => exact_query(fields.exact, phrase),
        Node::Filter(filter) => zero_score(filter_query(filter, fields)),
    }
}

fn zero_score(query: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(query, 0.0))
}

/// Every term required, ranked by BM25 over the weighted words of title, abstract and claims.
fn word_query(terms: &[String], fields: &Fields) -> Box<dyn Query> {
    let per_term = |term: &String| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(fields.words, term),
            IndexRecordOption::WithFreqs,
        ))
    };
    match terms {
        [term] => per_term(term),
        _ => Box::new(BooleanQuery::new(
            terms
                .iter()
                .map(|term| (Occur::Must, per_term(term)))
                .collect(),
        )),
    }
}

/// The next character after `c` in code-point order (skipping the surrogate gap).
fn next_char(c: char) -> Option<char> {
    let mut code = u32::from(c) + 1;
    while code <= u32::from(char::MAX) {
        if let Some(next) = char::from_u32(code) {
            return Some(next);
        }
        code += 1;
    }
    None
}

/// Every occurrence of `phrase` (normalised) in an n-gram field.
pub(crate) fn exact_query(field: Field, phrase: &str) -> Box<dyn Query> {
    if phrase.chars().any(is_separator) {
        // Separators are never indexed: no text can match across one.
        return Box::new(EmptyQuery);
    }
    match phrase_cover(phrase) {
        None => Box::new(EmptyQuery),
        Some(PhraseCover::Char(c)) => {
            let lower = Term::from_field_text(field, c.encode_utf8(&mut [0; 4]));
            let upper = next_char(c).map_or(Bound::Unbounded, |next| {
                Bound::Excluded(Term::from_field_text(field, next.encode_utf8(&mut [0; 4])))
            });
            Box::new(RangeQuery::new(Bound::Included(lower), upper))
        }
        Some(PhraseCover::Term(ngram)) => Box::new(TermQuery::new(
            Term::from_field_text(field, &ngram),
            IndexRecordOption::WithFreqs,
        )),
        Some(PhraseCover::Phrase(terms)) => Box::new(PhraseQuery::new_with_offset(
            terms
                .into_iter()
                .map(|(offset, ngram)| (offset, Term::from_field_text(field, &ngram)))
                .collect(),
        )),
    }
}

fn day_range(field: Field, range: &DateRange) -> Box<dyn Query> {
    let bound = |date: Option<chrono::NaiveDate>| {
        date.map_or(Bound::Unbounded, |date| {
            Bound::Included(Term::from_field_u64(field, day_number(date)))
        })
    };
    if range.from.is_none() && range.to.is_none() {
        return Box::new(AllQuery);
    }
    Box::new(RangeQuery::new(bound(range.from), bound(range.to)))
}

fn keyword(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

fn code(field: Field, value: u64) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_u64(field, value),
        IndexRecordOption::Basic,
    ))
}

fn filter_query(filter: &Filter, fields: &Fields) -> Box<dyn Query> {
    match filter {
        Filter::Applicant(name) => exact_query(fields.applicant_exact, name),
        Filter::Inventor(name) => exact_query(fields.inventor_exact, name),
        Filter::Ipc(term) => keyword(fields.ipc_path, term),
        Filter::Region(term) => keyword(fields.region_path, term),
        Filter::Kind(kind) => code(fields.kind, kind.code()),
        Filter::Status(status) => code(fields.status, status_code(*status)),
        Filter::Filed(range) => day_range(fields.filing_day, range),
        Filter::Published(range) => day_range(fields.publication_day, range),
        Filter::Granted(range) => day_range(fields.grant_day, range),
        Filter::ApplicationNo(number) => keyword(fields.application_no, number),
    }
}
