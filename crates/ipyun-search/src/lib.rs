//! ipyun's patent full-text search: a tantivy index in a directory, jieba for Chinese words,
//! exact substrings through a character bigram-and-trigram field, a query language with field filters and
//! boolean logic, facets, landscape (patent navigation) aggregations, and a generator of
//! realistic synthetic patents for demos and benchmarks. No database and no HTTP here.
//!
//! # API
//! - [`PatentDoc`]: one patent record (serde, snake_case names of the search issue).
//! - [`SearchIndex::create_or_open`] (a directory, memory-mapped, shared by several processes:
//!   each reader reloads on commit, one writer at a time) or [`SearchIndex::in_ram`];
//!   [`SearchIndex::set_search_threads`] (segments of one query searched in parallel),
//!   [`SearchIndex::num_docs`], [`SearchIndex::size_bytes`], [`SearchIndex::reload`].
//! - [`SearchIndex::writer`] → [`PatentWriter`]: [`upsert`](PatentWriter::upsert) (replaces a
//!   patent with the same application number), [`delete`](PatentWriter::delete),
//!   [`commit`](PatentWriter::commit), [`finish`](PatentWriter::finish).
//! - [`parse_query`] → [`ParsedQuery`] or [`QueryError`] (`position` in characters, `code`,
//!   `message`); the language is described in [`query`].
//! - [`SearchIndex::search`] with a [`SearchRequest`] (query, limit, offset, [`Sort`], facets) →
//!   [`SearchResults`]: the exact `total`, [`Hit`]s with highlighted title and snippet
//!   (`<em>…</em>`, the rest HTML-escaped), [`Facets`] by kind, legal status, filing year,
//!   province and IPC section/class/subclass. [`SearchIndex::count`] and
//!   [`SearchIndex::matching_application_nos`] answer without loading documents.
//! - [`SearchIndex::landscape`] with a [`LandscapeRequest`] → [`Landscape`]: filings per year,
//!   IPC subclasses, top applicants with their yearly filings and growth, new entrants, provinces,
//!   legal-status mix, co-applicant pairs, share of grants — all from fast columns.
//! - [`generator::generate`]`(count, seed)`: deterministic synthetic patents;
//!   [`generator::write_jsonl`] / [`generator::read_jsonl`].
//!
//! # The exact-substring index
//! Title, abstract and each claim are joined with a control-character separator into one
//! unstored field (`exact`) tokenized into overlapping character bigrams and trigrams with
//! positions: at position *i* the tokens are characters *i..i+2* and *i..i+3*, or character *i*
//! alone when it is the last before a separator or the end (no trigram reaches past one); a
//! separator takes a position and emits nothing. A quoted string of two or three characters is one
//! term, whose frequency is the string's; one of *n* ≥ 4 characters becomes a phrase query over
//! the trigrams at offsets 0, 3, 6, … and *n−3*, which together cover every character, so a
//! document matches exactly when the string occurs in it; across a separator the covering trigram
//! is missing, so a string never matches across title, abstract or two claims. One character is
//! the range of terms that start with it. Applicant and inventor names are indexed the same way (one name per
//! part) for `applicant:` and `inventor:`. Matching folds ASCII case and nothing else.
//!
//! # Columns
//! Facets, landscapes, sorting by date and the hits' dates read fast (columnar) fields, never
//! stored documents: `facet_key` packs filing year, province, kind and legal status in one value;
//! `ipc_sub` holds each patent's distinct IPC subclasses as numbers; `applicant_id` a stable
//! 64-bit hash (FNV-1a) of each applicant's name; `filing_day`, `publication_day`, `grant_day` day
//! numbers. Only the names of the applicants a landscape lists are read from stored documents.
//!
//! Time never comes from the wall clock: landscape figures take their `as_of` date.

mod codes;
mod columns;
mod doc;
mod error;
mod facet_cache;
mod facets;
pub mod generator;
mod highlight;
mod index;
mod landscape;
pub mod query;
mod result_cache;
mod schema;
mod search;
mod segment_cache;
mod text;
mod tokenizer;

pub use doc::{PatentDoc, PatentKind};
pub use error::SearchError;
pub use facets::{FACET_TOP_IPC, FacetCount, Facets};
pub use highlight::{SNIPPET_CHARS, highlight, snippet};
pub use index::{MIN_WRITER_HEAP_PER_THREAD, PatentWriter, SearchIndex};
pub use landscape::{
    ApplicantPair, ApplicantTrend, KeyCount, Landscape, LandscapeRequest, MAX_LANDSCAPE_TOP,
    NewEntrant, YearCount,
};
pub use query::{ParsedQuery, QueryError, parse_query};
pub use result_cache::{CacheStats, DEFAULT_CACHED_RESULTS, DEFAULT_MIN_COST};
pub use search::{Hit, MAX_DEPTH, MAX_LIMIT, SearchRequest, SearchResults, Sort};
pub use text::normalize;
