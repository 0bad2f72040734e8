//! Administrative division codes (行政区划代码, GB/T 2260) down to county level.
//!
//! The table is `data/regions-gbt2260-2023.csv` (code,name,parent,level), embedded at compile time
//! and parsed once. Three prefecture-level cities without counties (东莞 441900, 中山 442000,
//! 儋州 460400) appear in it twice, as a prefecture and as a county whose parent is itself: they are
//! kept once, as prefectures.

use std::sync::LazyLock;

use super::{IdError, compact, shown, string_identifier_serde};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionLevel {
    /// 省级: province, autonomous region, municipality.
    Province,
    /// 地级: prefecture-level city, prefecture, league, or a province's 市辖区/直辖县 grouping.
    Prefecture,
    /// 县级: county, district, county-level city, banner.
    County,
}

struct Entry {
    code: &'static str,
    name: &'static str,
    parent: Option<&'static str>,
    level: RegionLevel,
}

static CSV: &str = include_str!("../../data/regions-gbt2260-2023.csv");

static TABLE: LazyLock<Vec<Entry>> = LazyLock::new(|| load(CSV));

/// Reads the table; malformed rows are skipped (a test checks that none are).
fn load(csv: &'static str) -> Vec<Entry> {
    let mut entries: Vec<Entry> = csv
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.trim_end_matches('\r').split(',');
            let code = fields.next()?.trim();
            let name = fields.next()?.trim();
            let parent = fields.next()?.trim();
            let level = match fields.next()?.trim() {
                "province" => RegionLevel::Province,
                "prefecture" => RegionLevel::Prefecture,
                "county" => RegionLevel::County,
                _ => return None,
            };
            let well_formed =
                code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) && !name.is_empty();
            (well_formed && parent != code && fields.next().is_none()).then_some(Entry {
                code,
                name,
                parent: (!parent.is_empty()).then_some(parent),
                level,
            })
        })
        .collect();
    entries.sort_by_key(|entry| entry.code);
    entries.dedup_by_key(|entry| entry.code);
    entries
}

fn lookup(code: &str) -> Option<&'static Entry> {
    let table: &'static [Entry] = &TABLE;
    table
        .binary_search_by(|entry| entry.code.cmp(code))
        .ok()
        .and_then(|index| table.get(index))
}

/// A six-digit GB/T 2260 code that is in the shipped 2023 table.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode(&'static str);

impl RegionCode {
    /// Accepts exactly six digits (surrounding spaces and full-width digits are tolerated) naming
    /// a province, prefecture or county in the table.
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let value = compact(raw);
        if value.is_empty() {
            return Err(IdError::new(
                "empty",
                "a region code is required, found nothing",
            ));
        }
        if value.len() != 6 || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::new(
                "format",
                format!(
                    "a region code should be exactly 6 digits, found {}",
                    shown(&value)
                ),
            ));
        }
        lookup(&value).map(|entry| Self(entry.code)).ok_or_else(|| {
            IdError::new(
                "unknown_code",
                format!(
                    "{value} is not a province, prefecture or county code in GB/T 2260 (2023 table)"
                ),
            )
        })
    }

    pub fn as_str(&self) -> &str {
        self.0
    }

    fn entry(&self) -> Option<&'static Entry> {
        lookup(self.0)
    }

    /// The official name, e.g. `北京市`, `东城区`, `市辖区`.
    pub fn name(&self) -> &'static str {
        self.entry().map_or("", |entry| entry.name)
    }

    pub fn level(&self) -> RegionLevel {
        self.entry()
            .map_or(RegionLevel::County, |entry| entry.level)
    }

    /// The province this code belongs to (itself for a province).
    pub fn province(&self) -> RegionCode {
        let code = format!("{}0000", &self.0[..2]);
        lookup(&code).map_or_else(|| self.clone(), |entry| Self(entry.code))
    }

    /// The enclosing region: the prefecture of a county, the province of a prefecture, `None` for a province.
    pub fn parent(&self) -> Option<RegionCode> {
        self.entry()
            .and_then(|entry| entry.parent)
            .and_then(lookup)
            .map(|entry| Self(entry.code))
    }

    /// The regions directly below this one, in code order.
    pub fn children(&self) -> impl Iterator<Item = RegionCode> + use<> {
        let code = self.0;
        TABLE
            .iter()
            .filter(move |entry| entry.parent == Some(code))
            .map(|entry| Self(entry.code))
    }

    /// Whether `self` is `ancestor` or lies within it.
    pub fn is_within(&self, ancestor: &RegionCode) -> bool {
        let mut current = Some(self.clone());
        while let Some(region) = current {
            if region == *ancestor {
                return true;
            }
            current = region.parent();
        }
        false
    }

    /// Every code in the shipped table, in code order.
    pub fn all() -> impl Iterator<Item = RegionCode> {
        TABLE.iter().map(|entry| Self(entry.code))
    }
}

string_identifier_serde!(RegionCode);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn check(input: &str, expect: Result<&str, &str>) {
        let got = RegionCode::parse(input);
        match (&got, expect) {
            (Ok(code), Ok(normal)) => assert_eq!(code.as_str(), normal, "input {input:?}"),
            (Err(error), Err(rule)) => {
                assert_eq!(error.code, rule, "input {input:?}: {}", error.message)
            }
            _ => panic!("input {input:?}: expected {expect:?}, got {got:?}"),
        }
    }

    #[test]
    fn table_loads_every_row() {
        let rows = CSV
            .lines()
            .skip(1)
            .filter(|line| !line.trim().is_empty())
            .count();
        // Three rows are the county-level duplicates of 441900, 442000 and 460400.
        assert_eq!(TABLE.len(), rows - 3);
        assert_eq!(TABLE.len(), 3348);
        let count = |level| TABLE.iter().filter(|entry| entry.level == level).count();
        assert_eq!(count(RegionLevel::Province), 31);
        assert_eq!(count(RegionLevel::Prefecture), 342);
        assert_eq!(count(RegionLevel::County), 2975);
        assert!(TABLE.windows(2).all(|pair| pair[0].code < pair[1].code));
    }

    #[test]
    fn every_parent_and_province_exists() {
        for code in RegionCode::all() {
            let province = code.province();
            assert_eq!(province.level(), RegionLevel::Province, "{code}");
            assert!(code.is_within(&province), "{code}");
            match code.level() {
                RegionLevel::Province => assert_eq!(code.parent(), None),
                RegionLevel::Prefecture => assert_eq!(code.parent(), Some(province)),
                RegionLevel::County => {
                    assert_eq!(
                        code.parent().unwrap().level(),
                        RegionLevel::Prefecture,
                        "{code}"
                    );
                }
            }
        }
    }

    #[test]
    fn parse_table() {
        for (input, expect) in [
            ("110000", Ok("110000")),
            (" 110101 ", Ok("110101")),
            ("１１０１０１", Ok("110101")),
            ("441900", Ok("441900")),
            ("", Err("empty")),
            ("11010", Err("format")),
            ("1101011", Err("format")),
            ("11010a", Err("format")),
            ("11-0101", Err("format")),
            ("110199", Err("unknown_code")),
            ("999999", Err("unknown_code")),
            ("000000", Err("unknown_code")),
        ] {
            check(input, expect);
        }
    }

    #[test]
    fn names_levels_and_hierarchy() {
        let dongcheng = RegionCode::parse("110101").unwrap();
        assert_eq!(dongcheng.name(), "东城区");
        assert_eq!(dongcheng.level(), RegionLevel::County);
        assert_eq!(dongcheng.parent().unwrap().as_str(), "110100");
        assert_eq!(dongcheng.province().name(), "北京市");
        let dongguan = RegionCode::parse("441900").unwrap();
        assert_eq!(dongguan.name(), "东莞市");
        assert_eq!(dongguan.level(), RegionLevel::Prefecture);
        assert_eq!(dongguan.parent().unwrap().name(), "广东省");
        let fuzhou = RegionCode::parse("350100").unwrap();
        assert!(
            fuzhou
                .children()
                .all(|child| child.parent() == Some(fuzhou.clone()))
        );
        assert!(fuzhou.children().count() > 5);
        assert!(!fuzhou.is_within(&dongguan));
        assert_eq!(RegionCode::all().next().unwrap().as_str(), "110000");
    }

    #[test]
    fn serde_uses_the_code() {
        let code: RegionCode = serde_json::from_str("\"350100\"").unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"350100\"");
        assert!(serde_json::from_str::<RegionCode>("\"350199\"").is_err());
    }
}
