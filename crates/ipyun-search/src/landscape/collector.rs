//! One pass over every matching document, reading only fast columns.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::codes::FacetKey;
use crate::columns::SegmentColumns;
use crate::text::FastMap;

pub(super) const SUBCLASSES: usize = 20_800;

/// What the landscape knows of one applicant in the result set.
#[derive(Debug, Clone)]
pub(super) struct ApplicantStat {
    pub total: u64,
    /// Earliest filing day number.
    pub first_day: u64,
    /// A document that names the applicant (to read the name from).
    pub address: DocAddress,
    /// Filings per year, unsorted.
    pub years: Vec<(u16, u64)>,
}

impl ApplicantStat {
    fn add_year(&mut self, year: u16, count: u64) {
        match self.years.iter_mut().find(|(known, _)| *known == year) {
            Some((_, total)) => *total += count,
            None => self.years.push((year, count)),
        }
    }

    pub fn in_year(&self, year: u16) -> u64 {
        self.years
            .iter()
            .find(|(known, _)| *known == year)
            .map_or(0, |(_, count)| *count)
    }

    fn merge(&mut self, other: &ApplicantStat) {
        self.total += other.total;
        if other.first_day < self.first_day {
            self.first_day = other.first_day;
        }
        for &(year, count) in &other.years {
            self.add_year(year, count);
        }
    }
}

/// Counts of a segment, and after merging of the whole result set.
#[derive(Debug, Clone)]
pub(super) struct Tally {
    pub total: u64,
    pub granted: u64,
    /// Filings per year.
    pub years: FastMap<u16, u64>,
    pub subclasses: Vec<u64>,
    pub provinces: [u64; 128],
    pub statuses: [u64; 32],
    pub applicants: FastMap<u64, ApplicantStat>,
    /// Documents naming both applicants (ids in increasing order).
    pub pairs: FastMap<(u64, u64), u64>,
}

impl Tally {
    fn new() -> Self {
        Tally {
            total: 0,
            granted: 0,
            years: FastMap::default(),
            subclasses: vec![0; SUBCLASSES],
            provinces: [0; 128],
            statuses: [0; 32],
            applicants: FastMap::default(),
            pairs: FastMap::default(),
        }
    }

    fn merge(&mut self, other: Tally) {
        self.total += other.total;
        self.granted += other.granted;
        for (year, count) in other.years {
            *self.years.entry(year).or_insert(0) += count;
        }
        for (into, from) in self.subclasses.iter_mut().zip(&other.subclasses) {
            *into += from;
        }
        for (into, from) in self.provinces.iter_mut().zip(&other.provinces) {
            *into += from;
        }
        for (into, from) in self.statuses.iter_mut().zip(&other.statuses) {
            *into += from;
        }
        for (id, stat) in other.applicants {
            match self.applicants.get_mut(&id) {
                Some(known) => known.merge(&stat),
                None => {
                    self.applicants.insert(id, stat);
                }
            }
        }
        for (pair, count) in other.pairs {
            *self.pairs.entry(pair).or_insert(0) += count;
        }
    }
}

pub(super) struct LandscapeCollector;

pub(super) struct LandscapeSegmentCollector {
    segment: SegmentOrdinal,
    columns: SegmentColumns,
    tally: Tally,
    ids: Vec<u64>,
}

impl Collector for LandscapeCollector {
    type Fruit = Tally;
    type Child = LandscapeSegmentCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<LandscapeSegmentCollector> {
        Ok(LandscapeSegmentCollector {
            segment,
            columns: SegmentColumns::open(reader)?,
            tally: Tally::new(),
            ids: Vec::with_capacity(4),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Tally>) -> tantivy::Result<Tally> {
        let mut total = Tally::new();
        for fruit in fruits {
            total.merge(fruit);
        }
        Ok(total)
    }
}

fn bump(counts: &mut [u64], index: u64) {
    if let Some(count) = usize::try_from(index)
        .ok()
        .and_then(|index| counts.get_mut(index))
    {
        *count += 1;
    }
}

impl SegmentCollector for LandscapeSegmentCollector {
    type Fruit = Tally;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let columns = &self.columns;
        let tally = &mut self.tally;
        tally.total += 1;
        if columns.grant_day.first(doc).is_some() {
            tally.granted += 1;
        }
        let key = FacetKey::unpack(columns.key.first(doc).unwrap_or(0));
        let year = u16::try_from(key.year).unwrap_or(0);
        *tally.years.entry(year).or_insert(0) += 1;
        let day = columns.filing_day.first(doc).unwrap_or(0);
        for code in columns.ipc_sub.values_for_doc(doc) {
            bump(&mut tally.subclasses, code);
        }
        if key.province != 0 {
            bump(&mut tally.provinces, key.province);
        }
        bump(&mut tally.statuses, key.status);
        self.ids.clear();
        self.ids.extend(columns.applicant_id.values_for_doc(doc));
        for &id in &self.ids {
            let stat = tally.applicants.entry(id).or_insert_with(|| ApplicantStat {
                total: 0,
                first_day: day,
                address: DocAddress::new(self.segment, doc),
                years: Vec::new(),
            });
            stat.total += 1;
            stat.first_day = stat.first_day.min(day);
            stat.add_year(year, 1);
        }
        if self.ids.len() > 1 {
            self.ids.sort_unstable();
            self.ids.dedup();
            for (index, &first) in self.ids.iter().enumerate() {
                for &second in &self.ids[index + 1..] {
                    *tally.pairs.entry((first, second)).or_insert(0) += 1;
                }
            }
        }
    }

    fn harvest(self) -> Tally {
        self.tally
    }
}
