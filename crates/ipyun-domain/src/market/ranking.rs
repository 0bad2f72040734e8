//! Matchmaking in bulk (F3): every need against every product, each side's best `k` kept, on
//! several threads. The pair loop allocates nothing: [`eligible`] stops at the first failed
//! rule and [`score_unchecked`] works in integers; each need's (or product's) top list is
//! allocated once, at its capacity.

use super::matching::{Applicant, Need, eligible};
use super::product::ProductTerms;
use super::scoring::score_unchecked;
use chrono::NaiveDate;
use std::cmp::Ordering;

/// One side of a pair ranked: its id and score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ranked {
    pub id: i64,
    pub score_bp: u32,
}

/// Best first: the higher score, then the lower id.
pub fn best_first(a: &Ranked, b: &Ranked) -> Ordering {
    b.score_bp.cmp(&a.score_bp).then(a.id.cmp(&b.id))
}

/// A need to match: a demand (or a prospect) with its enterprise's facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seeker {
    pub id: i64,
    pub need: Need,
    pub applicant: Applicant,
}

/// What a bulk run found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// For each input of the ranked side, in input order, its best `k`, best first.
    pub top: Vec<Vec<Ranked>>,
    pub pairs: u64,
    pub eligible_pairs: u64,
}

/// Keeps `list` (best first, at most `k`) with `entry` if it belongs.
fn keep(list: &mut Vec<Ranked>, k: usize, entry: Ranked) {
    if k == 0 {
        return;
    }
    if list.len() == k {
        match list.last() {
            Some(last) if best_first(&entry, last) == Ordering::Less => {
                list.pop();
            }
            _ => return,
        }
    }
    let at = list.partition_point(|held| best_first(held, &entry) == Ordering::Less);
    list.insert(at, entry);
}

/// Runs `work` over `items` in up to `threads` contiguous chunks, answers the chunks' results
/// in order.
fn in_chunks<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    work: impl Fn(&[T]) -> R + Sync,
) -> Vec<R> {
    let size = items.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(size)
            .map(|chunk| scope.spawn(|| work(chunk)))
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

fn gather(parts: Vec<(Vec<Vec<Ranked>>, u64, u64)>) -> Batch {
    let mut batch = Batch {
        top: Vec::new(),
        pairs: 0,
        eligible_pairs: 0,
    };
    for (top, pairs, eligible_pairs) in parts {
        batch.top.extend(top);
        batch.pairs += pairs;
        batch.eligible_pairs += eligible_pairs;
    }
    batch
}

/// Each seeker's best `k` products (ids from `products`).
pub fn top_products(
    products: &[(i64, ProductTerms)],
    seekers: &[Seeker],
    k: usize,
    today: NaiveDate,
    threads: usize,
) -> Batch {
    gather(in_chunks(seekers, threads, |chunk| {
        let (mut pairs, mut hits) = (0_u64, 0_u64);
        let tops = chunk
            .iter()
            .map(|seeker| {
                let mut top = Vec::with_capacity(k.min(products.len()));
                for (id, terms) in products {
                    pairs += 1;
                    if eligible(terms, seeker.need, &seeker.applicant, today) {
                        hits += 1;
                        let score_bp = score_unchecked(terms, seeker.need, &seeker.applicant);
                        keep(&mut top, k, Ranked { id: *id, score_bp });
                    }
                }
                top
            })
            .collect();
        (tops, pairs, hits)
    }))
}

/// Each product's best `k` seekers (ids from `seekers`).
pub fn top_seekers(
    products: &[(i64, ProductTerms)],
    seekers: &[Seeker],
    k: usize,
    today: NaiveDate,
    threads: usize,
) -> Batch {
    gather(in_chunks(products, threads, |chunk| {
        let (mut pairs, mut hits) = (0_u64, 0_u64);
        let tops = chunk
            .iter()
            .map(|(_, terms)| {
                let mut top = Vec::with_capacity(k.min(seekers.len()));
                for seeker in seekers {
                    pairs += 1;
                    if eligible(terms, seeker.need, &seeker.applicant, today) {
                        hits += 1;
                        let score_bp = score_unchecked(terms, seeker.need, &seeker.applicant);
                        keep(
                            &mut top,
                            k,
                            Ranked {
                                id: seeker.id,
                                score_bp,
                            },
                        );
                    }
                }
                top
            })
            .collect();
        (tops, pairs, hits)
    }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::loan::RepaymentMethod;
    use crate::market::{ProductDraft, ProductKind, score};
    use crate::right::RightKind;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn product(serial: i64) -> ProductTerms {
        ProductDraft {
            kind: Some(ProductKind::Loan),
            name: Some(format!("产品{serial}")),
            amount_min_fen: Some(1_000_000 * (1 + serial % 7)),
            amount_max_fen: Some(100_000_000 * (1 + serial % 5)),
            rate_min_pct: Some(rust_decimal::Decimal::new(300 + serial % 200, 2)),
            rate_max_pct: Some(rust_decimal::Decimal::new(600, 2)),
            months_min: Some(1 + u32::try_from(serial % 12).unwrap()),
            months_max: Some(36),
            right_kinds: vec![RightKind::Invention],
            regions: if serial % 3 == 0 {
                vec![]
            } else {
                vec!["320500".into()]
            },
            ltv_cap_bp: (serial % 2 == 0).then_some(5_000),
            repayment_methods: vec![RepaymentMethod::EqualInstalment],
            valid_from: Some(day("2026-01-01")),
            ..ProductDraft::default()
        }
        .validate()
        .unwrap()
    }

    fn seeker(serial: i64) -> Seeker {
        Seeker {
            id: serial,
            need: Need {
                amount_fen: 2_000_000 * (1 + serial % 90),
                months: 3 + u32::try_from(serial % 30).unwrap(),
            },
            applicant: Applicant {
                region: Some(if serial % 4 == 0 { "330100" } else { "320505" }.into()),
                park_id: None,
                designations: vec![],
                right_kinds: vec![RightKind::Invention],
                collateral_value_fen: (serial % 3 != 0).then_some(400_000_000),
            },
        }
    }

    #[test]
    fn the_bulk_ranking_equals_scoring_each_pair_on_any_number_of_threads() {
        let today = day("2026-11-23");
        let products: Vec<_> = (1..=40).map(|id| (id, product(id))).collect();
        let seekers: Vec<_> = (1..=60).map(seeker).collect();
        let one = top_products(&products, &seekers, 5, today, 1);
        assert_eq!(one, top_products(&products, &seekers, 5, today, 3));
        assert_eq!(one.pairs, 40 * 60);
        assert!(one.eligible_pairs > 0 && one.eligible_pairs < one.pairs);
        for (seeker, top) in seekers.iter().zip(&one.top) {
            let mut all: Vec<Ranked> = products
                .iter()
                .filter_map(|(id, terms)| {
                    score(terms, seeker.need, &seeker.applicant, today)
                        .map(|score_bp| Ranked { id: *id, score_bp })
                })
                .collect();
            all.sort_by(best_first);
            all.truncate(5);
            assert_eq!(top, &all);
        }
        let by_product = top_seekers(&products, &seekers, 3, today, 2);
        assert_eq!(by_product.top.len(), 40);
        assert_eq!(by_product.eligible_pairs, one.eligible_pairs);
        let (id, terms) = &products[1];
        let mut all: Vec<Ranked> = seekers
            .iter()
            .filter_map(|seeker| {
                score(terms, seeker.need, &seeker.applicant, today).map(|score_bp| Ranked {
                    id: seeker.id,
                    score_bp,
                })
            })
            .collect();
        all.sort_by(best_first);
        all.truncate(3);
        assert_eq!(by_product.top[1], all, "product {id}");
        assert!(top_products(&products, &[], 5, today, 2).top.is_empty());
    }

    #[test]
    fn ties_go_to_the_lower_id() {
        let mut list = Vec::new();
        for id in [9, 3, 7, 1] {
            keep(&mut list, 3, Ranked { id, score_bp: 100 });
        }
        keep(
            &mut list,
            3,
            Ranked {
                id: 20,
                score_bp: 200,
            },
        );
        let ids: Vec<i64> = list.iter().map(|entry| entry.id).collect();
        assert_eq!(ids, [20, 1, 3]);
    }
}
