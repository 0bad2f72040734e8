//! Searching: one pass over the matching documents collects the page of hits, the exact total and
//! (on request) the facets.

use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use ipyun_domain::right::LegalStatus;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::columnar::Column;
use tantivy::schema::Value;
use tantivy::{DocAddress, Order, Searcher, SegmentReader, TantivyDocument};

use crate::codes::FacetKey;
use crate::columns::u64_column;
use crate::doc::{PatentKind, status_from_code};
use crate::error::SearchError;
use crate::facets::{FacetCollector, Facets};
use crate::highlight::{SNIPPET_CHARS, highlight, snippet};
use crate::index::SearchIndex;
use crate::query::{Filter, Node, ParsedQuery, compile, parse_query};
use crate::schema::{date_of_day, names};

/// Most hits one request may ask for.
pub const MAX_LIMIT: usize = 1_000;
/// Deepest hit one request may reach (`offset + limit`).
pub const MAX_DEPTH: usize = 10_000;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// BM25 score, best first.
    #[default]
    Relevance,
    /// Filing date, newest first.
    FilingDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchRequest {
    pub query: String,
    pub limit: usize,
    pub offset: usize,
    #[serde(default)]
    pub sort: Sort,
    /// Whether to count the facets (costs two column reads per matching patent).
    #[serde(default = "yes")]
    pub facets: bool,
}

fn yes() -> bool {
    true
}

impl SearchRequest {
    /// The first 20 hits by relevance, with facets.
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            limit: 20,
            offset: 0,
            sort: Sort::Relevance,
            facets: true,
        }
    }
}

/// One patent of a result page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub application_no: String,
    pub title: String,
    /// The title, HTML-escaped, matches in `<em>`.
    pub title_html: String,
    /// About 120 characters of the abstract or a claim around the matches, HTML-escaped,
    /// matches in `<em>`.
    pub highlight: String,
    /// BM25 score (0 when sorted by date or when the query has no ranked words).
    pub score: f32,
    pub kind: Option<PatentKind>,
    pub legal_status: Option<LegalStatus>,
    pub filing_date: Option<NaiveDate>,
    pub publication_date: Option<NaiveDate>,
    pub grant_date: Option<NaiveDate>,
    pub applicants: Vec<String>,
    pub ipc_main: Option<String>,
    pub ipc: Vec<String>,
    pub region_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// Exact number of matching patents.
    pub total: u64,
    pub hits: Vec<Hit>,
    pub facets: Option<Facets>,
}

/// The columns a hit reads, opened once per segment (opening one reads its block index).
pub(crate) struct HitColumns {
    key: Column<u64>,
    filing_day: Column<u64>,
    publication_day: Column<u64>,
    grant_day: Column<u64>,
}

impl HitColumns {
    fn open(segment: &SegmentReader) -> tantivy::Result<Self> {
        Ok(HitColumns {
            key: u64_column(segment, names::FACET_KEY)?,
            filing_day: u64_column(segment, names::FILING_DAY)?,
            publication_day: u64_column(segment, names::PUBLICATION_DAY)?,
            grant_day: u64_column(segment, names::GRANT_DAY)?,
        })
    }
}

/// Whether matching the query may read positions (a quoted string of four characters or more, an
/// applicant or inventor name): such a query is searched in one scored pass.
fn reads_positions(node: &Node) -> bool {
    match node {
        Node::All | Node::Word { .. } => false,
        Node::Phrase(_) => true,
        Node::Filter(filter) => matches!(filter, Filter::Applicant(_) | Filter::Inventor(_)),
        Node::Not(inner) => reads_positions(inner),
        Node::And(children) | Node::Or(children) => children.iter().any(reads_positions),
    }
}

fn check_page(limit: usize, offset: usize) -> Result<(), SearchError> {
    if limit > MAX_LIMIT {
        return Err(SearchError::bad_request(
            "limit",
            format!("a page may have {MAX_LIMIT} hits at most, asked for {limit}"),
        ));
    }
    if offset.saturating_add(limit) > MAX_DEPTH {
        return Err(SearchError::bad_request(
            "offset",
            format!("hits beyond the first {MAX_DEPTH} cannot be paged to: refine the query"),
        ));
    }
    Ok(())
}

impl SearchIndex {
    /// Parses and runs a query. The answer of a costly search is kept until the index changes
    /// (see [`SearchIndex::set_result_cache`]).
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
        let generation = searcher.generation().generation_id();
        if let Some(kept) = self.results.get(generation, request) {
            return Ok(kept);
        }
        let parsed = parse_query(&request.query)?;
        let started = Instant::now();
        let results = self.search_on(&searcher, &parsed, request)?;
        self.results
            .put(generation, request, &results, started.elapsed());
        Ok(results)
    }

    /// Runs a parsed query (`request.query` is not read again; nothing is kept).
    pub fn search_parsed(
        &self,
        parsed: &ParsedQuery,
        request: &SearchRequest,
    ) -> Result<SearchResults, SearchError> {
        self.search_on(&self.reader.searcher(), parsed, request)
    }

    fn search_on(
        &self,
        searcher: &Searcher,
        parsed: &ParsedQuery,
        request: &SearchRequest,
    ) -> Result<SearchResults, SearchError> {
        check_page(request.limit, request.offset)?;
        let query = compile(&parsed.root, &self.fields);
        self.hit_columns.retain(searcher.segment_readers());
        let facets = request.facets.then(|| {
            self.facet_cache.retain(searcher.segment_readers());
            FacetCollector {
                cache: &self.facet_cache,
            }
        });
        let range = request.offset..request.offset + request.limit;
        let (addresses, total, facets): (Vec<(f32, DocAddress)>, usize, Option<Facets>) =
            if request.limit == 0 {
                let (total, facets) = self.collect(searcher, &*query, &(Count, facets))?;
                (Vec::new(), total, facets)
            } else {
                match request.sort {
                    Sort::Relevance if facets.is_none() || reads_positions(&parsed.root) => {
                        let top = TopDocs::for_doc_range(range).order_by_score();
                        self.collect(searcher, &*query, &(top, Count, facets))?
                    }
                    Sort::Relevance => {
                        // Facets visit every match anyway: count them and the total without
                        // scoring (no term frequency or field length read), then take the best
                        // hits alone, where tantivy skips every block of postings whose best
                        // score cannot make the page (block-max WAND). Not when positions are
                        // read (quoted strings, names): those are read once, in one pass.
                        let (total, facets) = self.collect(searcher, &*query, &(Count, facets))?;
                        let top = TopDocs::for_doc_range(range).order_by_score();
                        (self.collect(searcher, &*query, &top)?, total, facets)
                    }
                    Sort::FilingDate => {
                        let top = TopDocs::for_doc_range(range)
                            .order_by_fast_field::<u64>(names::FILING_DAY, Order::Desc);
                        let (top, total, facets) =
                            self.collect(searcher, &*query, &(top, Count, facets))?;
                        let top = top.into_iter().map(|(_, address)| (0.0, address)).collect();
                        (top, total, facets)
                    }
                }
            };
        let mut columns: Vec<Option<Arc<HitColumns>>> = Vec::new();
        columns.resize_with(searcher.segment_readers().len(), || None);
        let hits = addresses
            .into_iter()
            .map(|(score, address)| {
                self.hit(searcher, &mut columns, address, score, &parsed.highlights)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SearchResults {
            total: total as u64,
            hits,
            facets,
        })
    }

    /// The number of patents a query matches (exact).
    pub fn count(&self, query: &str) -> Result<u64, SearchError> {
        let parsed = parse_query(query)?;
        let searcher = self.reader.searcher();
        let total = self.collect(&searcher, &*compile(&parsed.root, &self.fields), &Count)?;
        Ok(total as u64)
    }

    /// The application numbers of every patent a query matches (in no particular order), read from the
    /// columns (no stored document is loaded): for exports and checks.
    pub fn matching_application_nos(&self, query: &str) -> Result<Vec<String>, SearchError> {
        let parsed = parse_query(query)?;
        let searcher = self.reader.searcher();
        let docs = self.collect(
            &searcher,
            &*compile(&parsed.root, &self.fields),
            &tantivy::collector::DocSetCollector,
        )?;
        let mut by_segment: Vec<Vec<u32>> = vec![Vec::new(); searcher.segment_readers().len()];
        for address in docs {
            if let Some(list) = by_segment.get_mut(address.segment_ord as usize) {
                list.push(address.doc_id);
            }
        }
        let mut numbers = Vec::new();
        for (segment, docs) in searcher.segment_readers().iter().zip(by_segment) {
            let Some(column) = segment.fast_fields().str(names::APPLICATION_NO)? else {
                continue;
            };
            let mut ords: Vec<u64> = docs.iter().flat_map(|doc| column.term_ords(*doc)).collect();
            ords.sort_unstable();
            ords.dedup();
            column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                numbers.push(String::from_utf8_lossy(bytes).into_owned());
            })?;
        }
        Ok(numbers)
    }

    fn hit(
        &self,
        searcher: &Searcher,
        columns: &mut [Option<Arc<HitColumns>>],
        address: DocAddress,
        score: f32,
        highlights: &[String],
    ) -> Result<Hit, SearchError> {
        let fields = &self.fields;
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|value| value.as_str().map(str::to_owned))
                .unwrap_or_default()
        };
        let all = |field| -> Vec<String> {
            doc.get_all(field)
                .filter_map(|value| value.as_str().map(str::to_owned))
                .collect()
        };
        let title = text(fields.title);
        let abstract_text = text(fields.abstract_text);
        let claims = all(fields.claims);
        let mut snippet_sources: Vec<&str> = vec![abstract_text.as_str()];
        snippet_sources.extend(claims.iter().map(String::as_str));
        let ipc = all(fields.ipc);
        let region_code = Some(text(fields.region_code)).filter(|code| !code.is_empty());

        let Some(slot) = columns.get_mut(address.segment_ord as usize) else {
            return Err(SearchError::Directory(
                "a hit names an unknown segment".to_owned(),
            ));
        };
        let columns = match slot {
            Some(columns) => columns,
            None => slot.insert(self.hit_columns.segment(
                searcher.segment_reader(address.segment_ord),
                HitColumns::open,
            )?),
        };
        let doc_id = address.doc_id;
        let key = columns.key.first(doc_id).map(FacetKey::unpack);
        Ok(Hit {
            application_no: text(fields.application_no),
            title_html: highlight(&title, highlights),
            highlight: snippet(&snippet_sources, highlights, SNIPPET_CHARS),
            title,
            score,
            kind: key.and_then(|key| PatentKind::from_code(key.kind)),
            legal_status: key.and_then(|key| status_from_code(key.status)),
            filing_date: columns.filing_day.first(doc_id).and_then(date_of_day),
            publication_date: columns.publication_day.first(doc_id).and_then(date_of_day),
            grant_date: columns.grant_day.first(doc_id).and_then(date_of_day),
            applicants: all(fields.applicants),
            ipc_main: ipc.first().cloned(),
            ipc,
            region_code,
        })
    }
}
