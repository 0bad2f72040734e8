//! Reference data the model compares a patent with: statistics of its IPC field (citations,
//! recent filings) drawn from the register, and the royalty rate of the industry the field
//! belongs to.

use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

/// An IPC subclass such as `H01L`: the field a patent is compared within.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldKey([u8; 4]);

impl FieldKey {
    /// The subclass of an IPC symbol (`H01L 21/56` → `H01L`); `None` unless it starts with a
    /// section letter, two digits and a class letter.
    pub fn from_ipc(ipc: &str) -> Option<FieldKey> {
        let bytes = ipc.trim_start().as_bytes();
        let [section, tens, units, class, ..] = *bytes else {
            return None;
        };
        let key = [
            section.to_ascii_uppercase(),
            tens,
            units,
            class.to_ascii_uppercase(),
        ];
        let valid = (b'A'..=b'H').contains(&key[0])
            && key[1].is_ascii_digit()
            && key[2].is_ascii_digit()
            && key[3].is_ascii_uppercase();
        valid.then_some(FieldKey(key))
    }

    pub fn as_str(&self) -> &str {
        // Built only from ASCII bytes checked above.
        std::str::from_utf8(&self.0).unwrap_or("????")
    }
}

/// Counts of one field (or of the whole register).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FieldEntry {
    pub patents: u64,
    /// Patents filed in the valuation year or the two before.
    pub recent_filings: u64,
    pub forward_citations: u64,
    /// Σ age in whole years (at least 1) of the field's patents: citations per patent-year is the
    /// field's citation rate.
    pub patent_years: u64,
}

/// Fields with fewer patents than this are compared with the whole register instead.
pub const MIN_FIELD_PATENTS: u64 = 30;

/// Citation rate assumed when the register holds no citation data at all: 0.3 per year.
pub const REFERENCE_CITATIONS_PER_YEAR_MILLI: u64 = 300;

/// The register's statistics per IPC subclass, as of a valuation date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldStats {
    valued_on_year: i32,
    fields: HashMap<FieldKey, FieldEntry>,
    overall: FieldEntry,
}

/// A patent's age in whole years at `valued_on`, at least 1 (so a new patent's rate is finite).
pub fn age_years(filing_date: NaiveDate, valued_on: NaiveDate) -> u64 {
    let days = (valued_on - filing_date).num_days().max(0);
    u64::try_from(days / 365).unwrap_or(0).max(1)
}

impl FieldStats {
    /// Empty statistics: every patent is compared with the reference rates.
    pub fn new(valued_on: NaiveDate) -> FieldStats {
        FieldStats {
            valued_on_year: valued_on.year(),
            fields: HashMap::new(),
            overall: FieldEntry::default(),
        }
    }

    /// Adds `patents` patents of `field` filed in `filing_year` with `forward_citations` between them.
    pub fn add(
        &mut self,
        field: Option<FieldKey>,
        filing_year: i32,
        patents: u64,
        forward_citations: u64,
    ) {
        let age = u64::try_from(self.valued_on_year - filing_year)
            .unwrap_or(0)
            .max(1);
        let recent = if filing_year >= self.valued_on_year - 2 {
            patents
        } else {
            0
        };
        let add_to = |entry: &mut FieldEntry| {
            entry.patents += patents;
            entry.recent_filings += recent;
            entry.forward_citations += forward_citations;
            entry.patent_years += patents * age;
        };
        add_to(&mut self.overall);
        if let Some(key) = field {
            add_to(self.fields.entry(key).or_default());
        }
    }

    pub fn overall(&self) -> &FieldEntry {
        &self.overall
    }

    /// The entry a patent of `field` is compared with: its field when large enough, else the
    /// register's; `true` when it is the field's own.
    pub fn entry(&self, field: Option<FieldKey>) -> (&FieldEntry, bool) {
        match field.and_then(|key| self.fields.get(&key)) {
            Some(entry) if entry.patents >= MIN_FIELD_PATENTS => (entry, true),
            _ => (&self.overall, false),
        }
    }

    /// A patent's forward-citation rate against its field's, in basis points (10,000 = the
    /// field's average).
    pub fn citation_ratio_bp(
        &self,
        field: Option<FieldKey>,
        forward_citations: u64,
        age_years: u64,
    ) -> u64 {
        let (entry, _) = self.entry(field);
        let (field_citations, field_years) = if entry.forward_citations == 0 {
            (REFERENCE_CITATIONS_PER_YEAR_MILLI, 1_000)
        } else {
            (entry.forward_citations, entry.patent_years.max(1))
        };
        let numerator = u128::from(forward_citations) * u128::from(field_years) * 10_000;
        let denominator = u128::from(age_years.max(1)) * u128::from(field_citations);
        u64::try_from(numerator / denominator).unwrap_or(u64::MAX)
    }

    /// The field's share of recent filings against the register's, in basis points; `None` when
    /// the field is unknown, too small, or the register has no recent filings.
    pub fn activity_ratio_bp(&self, field: Option<FieldKey>) -> Option<u64> {
        let (entry, own) = self.entry(field);
        if !own || self.overall.recent_filings == 0 || entry.patents == 0 {
            return None;
        }
        let numerator =
            u128::from(entry.recent_filings) * u128::from(self.overall.patents) * 10_000;
        let denominator = u128::from(entry.patents) * u128::from(self.overall.recent_filings);
        u64::try_from(numerator / denominator).ok()
    }
}

/// Royalty rates (mid, basis points of revenue) by GB/T 4754 industry code, and the IPC prefixes
/// that map to an industry. Lookups take the longest matching prefix and never allocate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoyaltyTable {
    rates_bp: HashMap<String, u32>,
    ipc_industries: HashMap<String, String>,
    longest_ipc_prefix: usize,
}

impl RoyaltyTable {
    pub fn new(
        rates_bp: impl IntoIterator<Item = (String, u32)>,
        ipc_industries: impl IntoIterator<Item = (String, String)>,
    ) -> RoyaltyTable {
        let rates_bp: HashMap<String, u32> = rates_bp
            .into_iter()
            .map(|(industry, rate)| (industry.trim().to_ascii_uppercase(), rate))
            .collect();
        let ipc_industries: HashMap<String, String> = ipc_industries
            .into_iter()
            .map(|(prefix, industry)| {
                (
                    prefix.replace(' ', "").to_ascii_uppercase(),
                    industry.trim().to_ascii_uppercase(),
                )
            })
            .collect();
        let longest_ipc_prefix = ipc_industries.keys().map(String::len).max().unwrap_or(0);
        RoyaltyTable {
            rates_bp,
            ipc_industries,
            longest_ipc_prefix,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rates_bp.is_empty()
    }

    /// The rate of `industry` or of its nearest ancestor (`C3911` → `C391` → `C39` → `C`).
    pub fn industry_rate_bp(&self, industry: &str) -> Option<u32> {
        let code = industry.trim();
        (1..=code.len())
            .rev()
            .filter_map(|length| code.get(..length))
            .find_map(|prefix| self.rates_bp.get(prefix).copied())
    }

    /// The industry of an IPC symbol, by its longest listed prefix (spaces ignored: `A61K`, `H01L21`).
    pub fn ipc_industry(&self, ipc: &str) -> Option<&str> {
        let mut compact = [0u8; 24];
        let mut length = 0;
        for byte in ipc.bytes().filter(|byte| *byte != b' ') {
            if length == compact.len() {
                break;
            }
            compact[length] = byte.to_ascii_uppercase();
            length += 1;
        }
        let compact = std::str::from_utf8(&compact[..length]).ok()?;
        (1..=length.min(self.longest_ipc_prefix))
            .rev()
            .filter_map(|size| compact.get(..size))
            .find_map(|prefix| self.ipc_industries.get(prefix).map(String::as_str))
    }

    /// The royalty rate for a patent: its IPC field's industry first, else its holder's industry.
    pub fn rate_bp(&self, ipc: Option<&str>, holder_industry: Option<&str>) -> Option<u32> {
        ipc.and_then(|symbol| self.ipc_industry(symbol))
            .and_then(|industry| self.industry_rate_bp(industry))
            .or_else(|| holder_industry.and_then(|industry| self.industry_rate_bp(industry)))
    }
}
