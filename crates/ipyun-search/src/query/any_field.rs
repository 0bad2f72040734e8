//! A word in any of several fields: it matches where any field holds it and scores the sum of the
//! fields' boosted BM25, as a boolean query of `SHOULD` term clauses would. Unlike tantivy's
//! buffered union, which reads every posting of every field in each 4,096-document window it
//! touches, this union moves its fields' postings only as far as asked: in an intersection led by
//! a rarer word, a frequent word's fields are sought through their skip lists, and the cost of a
//! two-word query follows the rarer word, not the sum of both.

use tantivy::query::{BoostQuery, EnableScoring, Explanation, Query, Scorer, TermQuery, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term};

/// One term, searched in each of its fields with the field's boost.
#[derive(Clone, Debug)]
pub(crate) struct AnyFieldTermQuery {
    terms: Vec<(Term, Score)>,
}

impl AnyFieldTermQuery {
    pub(crate) fn new(terms: Vec<(Term, Score)>) -> Self {
        AnyFieldTermQuery { terms }
    }
}

impl Query for AnyFieldTermQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .terms
            .iter()
            .map(|(term, boost)| {
                let query = TermQuery::new(term.clone(), IndexRecordOption::WithFreqs);
                BoostQuery::new(Box::new(query), *boost).weight(enable_scoring)
            })
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(AnyFieldWeight { weights }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (term, _) in &self.terms {
            visitor(term, false);
        }
    }
}

struct AnyFieldWeight {
    weights: Vec<Box<dyn Weight>>,
}

impl Weight for AnyFieldWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut fields = Vec::with_capacity(self.weights.len());
        for weight in &self.weights {
            let scorer = weight.scorer(reader, boost)?;
            if scorer.doc() != TERMINATED {
                fields.push(scorer);
            }
        }
        Ok(Box::new(AnyFieldScorer::new(fields)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document #{doc} does not match"
            )));
        }
        Ok(Explanation::new(
            "sum of the fields' BM25 (a word in any field)",
            scorer.score(),
        ))
    }
}

/// The union of a few fields' postings, positioned on the smallest document any of them is on.
pub(crate) struct AnyFieldScorer {
    fields: Vec<Box<dyn Scorer>>,
    doc: DocId,
}

impl AnyFieldScorer {
    fn new(fields: Vec<Box<dyn Scorer>>) -> Self {
        let doc = fields
            .iter()
            .map(|field| field.doc())
            .min()
            .unwrap_or(TERMINATED);
        AnyFieldScorer { fields, doc }
    }
}

impl DocSet for AnyFieldScorer {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        if current == TERMINATED {
            return TERMINATED;
        }
        let mut next = TERMINATED;
        for field in &mut self.fields {
            let mut doc = field.doc();
            if doc == current {
                doc = field.advance();
            }
            next = next.min(doc);
        }
        self.doc = next;
        next
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        let mut next = TERMINATED;
        for field in &mut self.fields {
            let mut doc = field.doc();
            if doc < target {
                doc = field.seek(target);
            }
            next = next.min(doc);
        }
        self.doc = next;
        next
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.fields
            .iter()
            .map(|field| field.size_hint())
            .fold(0u32, u32::saturating_add)
    }
}

impl Scorer for AnyFieldScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        self.fields
            .iter_mut()
            .filter(|field| field.doc() == doc)
            .map(|field| field.score())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, Occur};
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{DocAddress, Index, IndexWriter, TantivyDocument};

    /// Every match and every score of a word in any field equal those of the boolean union it
    /// replaces, alone and in a two-word intersection, over several segments.
    #[test]
    fn matches_and_scores_equal_the_boolean_union() -> tantivy::Result<()> {
        let mut builder = Schema::builder();
        let fields = [
            builder.add_text_field("a", TEXT),
            builder.add_text_field("b", TEXT),
            builder.add_text_field("c", TEXT),
        ];
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
        let mut state = 7u64;
        let mut next = |bound: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % bound
        };
        for doc_no in 0..900 {
            let mut doc = TantivyDocument::new();
            for field in fields {
                let words: Vec<String> = (0..next(6)).map(|_| format!("w{}", next(12))).collect();
                doc.add_text(field, words.join(" "));
            }
            writer.add_document(doc)?;
            if doc_no % 300 == 299 {
                writer.commit()?;
            }
        }
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        assert!(searcher.segment_readers().len() > 1);
        let boosts = [3.0, 1.5, 1.0];
        let any = |word: &str| -> Box<dyn Query> {
            Box::new(AnyFieldTermQuery::new(
                fields
                    .iter()
                    .zip(boosts)
                    .map(|(field, boost)| (Term::from_field_text(*field, word), boost))
                    .collect(),
            ))
        };
        let union = |word: &str| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(
                fields
                    .iter()
                    .zip(boosts)
                    .map(|(field, boost)| {
                        let term = TermQuery::new(
                            Term::from_field_text(*field, word),
                            IndexRecordOption::WithFreqs,
                        );
                        let query: Box<dyn Query> =
                            Box::new(BoostQuery::new(Box::new(term), boost));
                        (Occur::Should, query)
                    })
                    .collect(),
            ))
        };
        let all = |query: &dyn Query| -> tantivy::Result<Vec<(DocAddress, f32)>> {
            let mut found: Vec<(DocAddress, f32)> = searcher
                .search(query, &TopDocs::with_limit(1_000).order_by_score())?
                .into_iter()
                .map(|(score, address)| (address, score))
                .collect();
            found.sort_by_key(|(address, _)| *address);
            Ok(found)
        };
        let mut compared = 0;
        for (first, second) in [("w1", "w2"), ("w3", "w11"), ("w0", "w99"), ("w5", "w5")] {
            for (ours, theirs) in [
                (any(first), union(first)),
                (
                    Box::new(BooleanQuery::new(vec![
                        (Occur::Must, any(first)),
                        (Occur::Must, any(second)),
                    ])) as Box<dyn Query>,
                    Box::new(BooleanQuery::new(vec![
                        (Occur::Must, union(first)),
                        (Occur::Must, union(second)),
                    ])) as Box<dyn Query>,
                ),
            ] {
                let (ours, theirs) = (all(&*ours)?, all(&*theirs)?);
                assert_eq!(ours.len(), theirs.len(), "{first} {second}");
                for ((address, score), (expected_address, expected)) in ours.iter().zip(&theirs) {
                    assert_eq!(address, expected_address);
                    assert!((score - expected).abs() < 1e-4, "{score} ≠ {expected}");
                }
                compared += ours.len();
            }
        }
        assert!(compared > 500, "only {compared} matches compared");
        Ok(())
    }
}
