//! The index schema and how a validated record becomes an index document.
//!
//! Text kept once: title, abstract and claims are stored (for hits and snippets); one ranked
//! field indexes their jieba words without positions, the title three times, the abstract twice
//! and each claim once (field weights in one field, as BM25F has them: a word costs one posting
//! list however many fields hold it); the exact-substring field indexes the same text as
//! character bigrams with positions but stores nothing. Everything the filters, facets, sorting and
//! landscape need per document sits in fast (columnar) fields.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{TantivyDocument, Term};

use crate::codes::{FacetKey, ipc_terms, province_number, region_terms, subclass_code};
use crate::doc::{ValidDoc, status_code};
use crate::text::{SEPARATOR, applicant_id};
use crate::tokenizer::{JIEBA_TOKENIZER, NGRAM_TOKENIZER};

/// Field handles of the schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub application_no: Field,
    pub title: Field,
    pub abstract_text: Field,
    pub claims: Field,
    /// The jieba words of title (×[`TITLE_WEIGHT`]), abstract (×[`ABSTRACT_WEIGHT`]) and claims.
    pub words: Field,
    /// Title, abstract and each claim joined by separators, as character bigrams and trigrams with positions.
    pub exact: Field,
    pub applicant_exact: Field,
    pub inventor_exact: Field,
    pub applicants: Field,
    pub applicant_id: Field,
    pub ipc: Field,
    pub ipc_path: Field,
    pub ipc_sub: Field,
    pub region_code: Field,
    pub region_path: Field,
    pub kind: Field,
    pub status: Field,
    /// Year, province, kind and status packed in one fast value (`FacetKey`).
    pub facet_key: Field,
    pub filing_day: Field,
    pub publication_day: Field,
    pub grant_day: Field,
    pub cited_by: Field,
    pub family_size: Field,
}

/// Fast-field names used by collectors.
pub(crate) mod names {
    pub const APPLICATION_NO: &str = "application_no";
    pub const APPLICANT_ID: &str = "applicant_id";
    pub const IPC_SUB: &str = "ipc_sub";
    pub const FACET_KEY: &str = "facet_key";
    pub const FILING_DAY: &str = "filing_day";
    pub const PUBLICATION_DAY: &str = "publication_day";
    pub const GRANT_DAY: &str = "grant_day";
}

/// How many times the ranked field holds the title's and the abstract's words (a claim's once).
pub(crate) const TITLE_WEIGHT: usize = 3;
pub(crate) const ABSTRACT_WEIGHT: usize = 2;

fn ranked_text() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(JIEBA_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqs),
    )
}

fn exact_text() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(NGRAM_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

fn keyword() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    )
}

pub(crate) fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let stored_only = TextOptions::default().set_stored();
    let fields = Fields {
        application_no: builder.add_text_field(
            names::APPLICATION_NO,
            keyword().set_stored().set_fast("raw"),
        ),
        title: builder.add_text_field("title", stored_only.clone()),
        abstract_text: builder.add_text_field("abstract", stored_only.clone()),
        claims: builder.add_text_field("claims", stored_only.clone()),
        words: builder.add_text_field("words", ranked_text()),
        exact: builder.add_text_field("exact", exact_text()),
        applicant_exact: builder.add_text_field("applicant_exact", exact_text()),
        inventor_exact: builder.add_text_field("inventor_exact", exact_text()),
        applicants: builder.add_text_field("applicants", stored_only.clone()),
        applicant_id: builder.add_u64_field(names::APPLICANT_ID, FAST),
        ipc: builder.add_text_field("ipc", stored_only.clone()),
        ipc_path: builder.add_text_field("ipc_path", keyword()),
        ipc_sub: builder.add_u64_field(names::IPC_SUB, FAST),
        region_code: builder.add_text_field("region_code", stored_only),
        region_path: builder.add_text_field("region_path", keyword()),
        kind: builder.add_u64_field("kind", INDEXED),
        status: builder.add_u64_field("status", INDEXED),
        facet_key: builder.add_u64_field(names::FACET_KEY, FAST),
        filing_day: builder.add_u64_field(names::FILING_DAY, FAST),
        publication_day: builder.add_u64_field(names::PUBLICATION_DAY, FAST),
        grant_day: builder.add_u64_field(names::GRANT_DAY, FAST),
        cited_by: builder.add_u64_field("cited_by", FAST),
        family_size: builder.add_u64_field("family_size", FAST),
    };
    (builder.build(), fields)
}

/// A date as the day number kept in the fast columns.
pub(crate) fn day_number(date: chrono::NaiveDate) -> u64 {
    u64::try_from(chrono::Datelike::num_days_from_ce(&date)).unwrap_or(0)
}

pub(crate) fn date_of_day(day: u64) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::from_num_days_from_ce_opt(i32::try_from(day).ok()?)
}

impl Fields {
    pub fn application_no_term(&self, application_no: &str) -> Term {
        Term::from_field_text(self.application_no, application_no)
    }

    /// The index document of a validated record.
    pub fn document(&self, valid: &ValidDoc<'_>) -> TantivyDocument {
        let doc = valid.doc;
        let mut out = TantivyDocument::new();
        out.add_text(self.application_no, valid.application_no.as_str());
        out.add_text(self.title, &doc.title);
        out.add_text(self.abstract_text, &doc.abstract_text);
        for claim in &doc.claims {
            out.add_text(self.claims, claim);
        }
        for _ in 0..TITLE_WEIGHT {
            out.add_text(self.words, &doc.title);
        }
        for _ in 0..ABSTRACT_WEIGHT {
            out.add_text(self.words, &doc.abstract_text);
        }
        for claim in &doc.claims {
            out.add_text(self.words, claim);
        }

        let mut exact = String::with_capacity(
            doc.title.len()
                + doc.abstract_text.len()
                + doc.claims.iter().map(String::len).sum::<usize>()
                + 8,
        );
        exact.push_str(&doc.title);
        exact.push(SEPARATOR);
        exact.push_str(&doc.abstract_text);
        for claim in &doc.claims {
            exact.push(SEPARATOR);
            exact.push_str(claim);
        }
        out.add_text(self.exact, &exact);
        out.add_text(self.applicant_exact, join(&valid.applicants));
        out.add_text(self.inventor_exact, join(&valid.inventors));

        let mut ids: Vec<u64> = Vec::with_capacity(valid.applicants.len());
        for name in &valid.applicants {
            out.add_text(self.applicants, name);
            let id = applicant_id(name);
            if !ids.contains(&id) {
                ids.push(id);
                out.add_u64(self.applicant_id, id);
            }
        }

        let mut terms = Vec::new();
        let mut subclasses: Vec<u64> = Vec::new();
        for symbol in &valid.ipc {
            out.add_text(self.ipc, symbol.as_str());
            ipc_terms(symbol, &mut terms);
            if let Some(code) = subclass_code(symbol)
                && !subclasses.contains(&code)
            {
                subclasses.push(code);
                out.add_u64(self.ipc_sub, code);
            }
        }
        terms.sort();
        terms.dedup();
        for term in &terms {
            out.add_text(self.ipc_path, term);
        }

        if let Some(region) = &valid.region {
            out.add_text(self.region_code, region.as_str());
            let mut region_path = Vec::new();
            region_terms(region, &mut region_path);
            for term in &region_path {
                out.add_text(self.region_path, term);
            }
        }

        out.add_u64(self.kind, doc.kind.code());
        out.add_u64(self.status, status_code(doc.legal_status));
        let key = FacetKey {
            year: u64::try_from(chrono::Datelike::year(&doc.filing_date)).unwrap_or(0),
            province: valid.region.as_ref().and_then(province_number).unwrap_or(0),
            kind: doc.kind.code(),
            status: status_code(doc.legal_status),
        };
        out.add_u64(self.facet_key, key.pack());
        out.add_u64(self.filing_day, day_number(doc.filing_date));
        if let Some(date) = doc.publication_date {
            out.add_u64(self.publication_day, day_number(date));
        }
        if let Some(date) = doc.grant_date {
            out.add_u64(self.grant_day, day_number(date));
        }
        out.add_u64(self.cited_by, u64::from(doc.cited_by));
        out.add_u64(self.family_size, u64::from(doc.family_size));
        out
    }
}

fn join(names: &[&str]) -> String {
    let mut joined = String::new();
    for (index, name) in names.iter().enumerate() {
        if index > 0 {
            joined.push(SEPARATOR);
        }
        joined.push_str(name);
    }
    joined
}
