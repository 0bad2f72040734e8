//! National industry classification (国民经济行业分类, GB/T 4754-2017).
//!
//! Codes: section letter `A`–`T` (门类), division `A01` (大类), group `A011` (中类), class `A0111`
//! (小类). The digits alone are unique (divisions are numbered 01–97 across sections), so `0111` and
//! `13` are accepted and completed with their section letter. The table is
//! `data/industry-gbt4754-2017.csv` (code,name,parent,level), embedded and parsed once; English
//! names of the sections, divisions and groups are in `data/industry-gbt4754-2017-en.csv`
//! (code,name_en), likewise.

use std::borrow::Cow;
use std::sync::LazyLock;

use super::{IdError, compact, first_bad_char, shown, string_identifier_serde};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndustryLevel {
    /// 门类, e.g. `C`.
    Section,
    /// 大类, e.g. `C13`.
    Division,
    /// 中类, e.g. `C131`.
    Group,
    /// 小类, e.g. `C1311`.
    Class,
}

impl IndustryLevel {
    /// The Chinese term used by the standard: 门类, 大类, 中类 or 小类.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Section => "门类",
            Self::Division => "大类",
            Self::Group => "中类",
            Self::Class => "小类",
        }
    }
}

struct Entry {
    code: &'static str,
    name: &'static str,
    parent: Option<&'static str>,
    level: IndustryLevel,
}

struct Table {
    entries: Vec<Entry>,
    /// Section letter of each division number 0–99, `None` where no such division exists.
    section_of_division: [Option<u8>; 100],
}

static CSV: &str = include_str!("../../data/industry-gbt4754-2017.csv");

static TABLE: LazyLock<Table> = LazyLock::new(|| load(CSV));

/// Reads the table; malformed rows are skipped (a test checks that none are). Names are trimmed,
/// which also drops the ideographic spaces trailing one name in the source.
fn load(csv: &'static str) -> Table {
    let mut entries: Vec<Entry> = csv
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.trim_end_matches('\r').split(',');
            let code = fields.next()?.trim();
            let name = fields.next()?.trim();
            let parent = fields.next()?.trim();
            let level = match fields.next()?.trim() {
                "门类" => IndustryLevel::Section,
                "大类" => IndustryLevel::Division,
                "中类" => IndustryLevel::Group,
                "小类" => IndustryLevel::Class,
                _ => return None,
            };
            let digits = code.get(1..)?;
            let well_formed = code.starts_with(|c: char| c.is_ascii_uppercase())
                && digits.bytes().all(|b| b.is_ascii_digit())
                && digits.len() == expected_digits(level)
                && !name.is_empty();
            (well_formed && fields.next().is_none()).then_some(Entry {
                code,
                name,
                parent: (!parent.is_empty()).then_some(parent),
                level,
            })
        })
        .collect();
    entries.sort_by_key(|entry| entry.code);
    entries.dedup_by_key(|entry| entry.code);
    let mut section_of_division = [None; 100];
    for entry in entries
        .iter()
        .filter(|entry| entry.level == IndustryLevel::Division)
    {
        let bytes = entry.code.as_bytes();
        let number = usize::from(bytes[1] - b'0') * 10 + usize::from(bytes[2] - b'0');
        section_of_division[number] = Some(bytes[0]);
    }
    Table {
        entries,
        section_of_division,
    }
}

static CSV_EN: &str = include_str!("../../data/industry-gbt4754-2017-en.csv");

/// English names by code, in code order.
static TABLE_EN: LazyLock<Vec<(&'static str, Cow<'static, str>)>> =
    LazyLock::new(|| load_english(CSV_EN));

/// Reads the English names; malformed rows are skipped (a test checks that none are).
fn load_english(csv: &'static str) -> Vec<(&'static str, Cow<'static, str>)> {
    let mut names: Vec<_> = csv.lines().skip(1).filter_map(english_row).collect();
    names.sort_by_key(|(code, _)| *code);
    names.dedup_by_key(|(code, _)| *code);
    names
}

/// One `code,name_en` row. The name is quoted when it holds a comma (RFC 4180), a doubled quote
/// standing for a quote inside it.
fn english_row(line: &'static str) -> Option<(&'static str, Cow<'static, str>)> {
    let (code, field) = line.trim_end_matches('\r').split_once(',')?;
    let (code, field) = (code.trim(), field.trim());
    let name = match field.strip_prefix('"') {
        Some(quoted) => {
            let inner = quoted.strip_suffix('"')?;
            if inner.replace("\"\"", "").contains('"') {
                return None;
            }
            if inner.contains('"') {
                Cow::Owned(inner.replace("\"\"", "\""))
            } else {
                Cow::Borrowed(inner)
            }
        }
        None if field.contains(['"', ',']) => return None,
        None => Cow::Borrowed(field),
    };
    let well_formed = code.starts_with(|c: char| c.is_ascii_uppercase())
        && code.bytes().skip(1).all(|b| b.is_ascii_digit())
        && !name.trim().is_empty()
        && name.trim() == name;
    well_formed.then_some((code, name))
}

fn expected_digits(level: IndustryLevel) -> usize {
    match level {
        IndustryLevel::Section => 0,
        IndustryLevel::Division => 2,
        IndustryLevel::Group => 3,
        IndustryLevel::Class => 4,
    }
}

fn lookup(code: &str) -> Option<&'static Entry> {
    let table: &'static Table = &TABLE;
    table
        .entries
        .binary_search_by(|entry| entry.code.cmp(code))
        .ok()
        .and_then(|index| table.entries.get(index))
}

/// A GB/T 4754-2017 code in the shipped table, in its normal form with the section letter (`C1311`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IndustryCode(&'static str);

impl IndustryCode {
    /// Accepts `C`, `C13`, `c131`, `C1311`, and the digits alone (`13`, `0111`), which get their
    /// section letter.
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let value = compact(raw);
        if value.is_empty() {
            return Err(IdError::new(
                "empty",
                "an industry code is required, found nothing",
            ));
        }
        if let Some((position, found)) = first_bad_char(&value, |c| c.is_ascii_alphanumeric()) {
            return Err(IdError::new(
                "charset",
                format!(
                    "an industry code should be a section letter and digits, found {found:?} at position {position}"
                ),
            ));
        }
        let (letter, digits) = match value.as_bytes()[0] {
            first if first.is_ascii_uppercase() => (Some(first), &value[1..]),
            _ => (None, value.as_str()),
        };
        let shape_ok = digits.bytes().all(|b| b.is_ascii_digit())
            && match digits.len() {
                0 => letter.is_some(),
                2..=4 => true,
                _ => false,
            };
        if !shape_ok {
            return Err(IdError::new(
                "format",
                format!(
                    "an industry code should be a section letter, or 2 to 4 digits with an optional section letter (C, C13, C131, C1311, 1311), found {}",
                    shown(&value)
                ),
            ));
        }
        let section = match digits.get(..2) {
            None => letter,
            Some(division) => {
                let number = division
                    .bytes()
                    .fold(0, |acc, b| acc * 10 + usize::from(b - b'0'));
                let Some(section) = TABLE.section_of_division[number] else {
                    return Err(IdError::new(
                        "unknown_code",
                        format!(
                            "division {division} does not exist in GB/T 4754-2017 (divisions are 01 to 97)"
                        ),
                    ));
                };
                if let Some(letter) = letter.filter(|&letter| letter != section) {
                    return Err(IdError::new(
                        "kind_mismatch",
                        format!(
                            "division {division} belongs to section {}, found section letter {}",
                            char::from(section),
                            char::from(letter)
                        ),
                    ));
                }
                Some(section)
            }
        };
        let code = format!("{}{digits}", section.map(char::from).unwrap_or_default());
        lookup(&code).map(|entry| Self(entry.code)).ok_or_else(|| {
            IdError::new(
                "unknown_code",
                format!("{code} is not a code in GB/T 4754-2017"),
            )
        })
    }

    pub fn as_str(&self) -> &str {
        self.0
    }

    fn entry(&self) -> Option<&'static Entry> {
        lookup(self.0)
    }

    /// The official Chinese name, e.g. `谷物种植`.
    pub fn name(&self) -> &'static str {
        self.entry().map_or("", |entry| entry.name)
    }

    /// The English name of exactly this code, e.g. `Growing of cereals` for `A011`, if the
    /// English table has one (it covers sections, divisions and groups, not classes).
    pub fn name_en(&self) -> Option<&'static str> {
        let table: &'static [(&'static str, Cow<'static, str>)] = &TABLE_EN;
        table
            .binary_search_by(|(code, _)| (*code).cmp(self.0))
            .ok()
            .and_then(|index| table.get(index))
            .map(|(_, name)| name.as_ref())
    }

    /// The English name when `english` and known, otherwise the official Chinese name (never an
    /// ancestor's English name).
    pub fn name_in(&self, english: bool) -> &'static str {
        english
            .then(|| self.name_en())
            .flatten()
            .unwrap_or_else(|| self.name())
    }

    pub fn level(&self) -> IndustryLevel {
        self.entry()
            .map_or(IndustryLevel::Class, |entry| entry.level)
    }

    /// The code one level up, `None` for a section.
    pub fn parent(&self) -> Option<IndustryCode> {
        self.entry()
            .and_then(|entry| entry.parent)
            .and_then(lookup)
            .map(|entry| Self(entry.code))
    }

    /// The section (门类) this code belongs to (itself for a section).
    pub fn section(&self) -> IndustryCode {
        lookup(&self.0[..1]).map_or_else(|| self.clone(), |entry| Self(entry.code))
    }

    /// The code without its section letter (`1311` for `C1311`; empty for a section).
    pub fn digits(&self) -> &str {
        &self.0[1..]
    }

    /// The codes directly below this one, in code order.
    pub fn children(&self) -> impl Iterator<Item = IndustryCode> + use<> {
        let code = self.0;
        TABLE
            .entries
            .iter()
            .filter(move |entry| entry.parent == Some(code))
            .map(|entry| Self(entry.code))
    }

    /// Every code of the shipped table, in code order (a section before its divisions).
    pub fn all() -> impl Iterator<Item = IndustryCode> {
        TABLE.entries.iter().map(|entry| Self(entry.code))
    }
}

string_identifier_serde!(IndustryCode);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn check(input: &str, expect: Result<&str, &str>) {
        let got = IndustryCode::parse(input);
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
        assert_eq!(TABLE.entries.len(), rows);
        let count = |level| {
            TABLE
                .entries
                .iter()
                .filter(|entry| entry.level == level)
                .count()
        };
        assert_eq!(count(IndustryLevel::Section), 20);
        assert_eq!(count(IndustryLevel::Division), 97);
        assert_eq!(count(IndustryLevel::Group), 473);
        assert_eq!(count(IndustryLevel::Class), 1381);
        assert!(
            TABLE
                .entries
                .iter()
                .all(|entry| entry.name == entry.name.trim())
        );
    }

    #[test]
    fn hierarchy_is_consistent() {
        for code in IndustryCode::all() {
            match code.parent() {
                None => assert_eq!(code.level(), IndustryLevel::Section, "{code}"),
                Some(parent) => {
                    assert!(code.as_str().starts_with(parent.as_str()), "{code}");
                    assert_eq!(code.digits().len(), expected_digits(code.level()), "{code}");
                }
            }
            assert_eq!(code.section().level(), IndustryLevel::Section);
            // Digits alone find the same code.
            if !code.digits().is_empty() {
                assert_eq!(IndustryCode::parse(code.digits()).unwrap(), code);
            }
        }
    }

    #[test]
    fn parse_table() {
        for (input, expect) in [
            ("A", Ok("A")),
            ("a01", Ok("A01")),
            ("A0111", Ok("A0111")),
            ("0111", Ok("A0111")),
            ("13", Ok("C13")),
            (" c 131 ", Ok("C131")),
            ("６５１３", Ok("I6513")),
            ("T97", Ok("T97")),
            ("", Err("empty")),
            ("C-13", Err("charset")),
            ("C１3.", Err("charset")),
            ("1", Err("format")),
            ("C1", Err("format")),
            ("C13111", Err("format")),
            ("13C", Err("format")),
            ("CC13", Err("format")),
            ("U", Err("unknown_code")),
            ("98", Err("unknown_code")),
            ("00", Err("unknown_code")),
            ("C1315", Err("unknown_code")),
            ("A13", Err("kind_mismatch")),
            ("B0111", Err("kind_mismatch")),
        ] {
            check(input, expect);
        }
    }

    #[test]
    fn names_levels_and_parents() {
        let rice = IndustryCode::parse("0111").unwrap();
        assert_eq!(rice.name(), "稻谷种植");
        assert_eq!(rice.level(), IndustryLevel::Class);
        assert_eq!(rice.level().label_zh(), "小类");
        let group = rice.parent().unwrap();
        assert_eq!(group.as_str(), "A011");
        assert_eq!(group.level(), IndustryLevel::Group);
        assert_eq!(group.parent().unwrap().parent().unwrap().as_str(), "A");
        assert_eq!(rice.section().name(), "农、林、牧、渔业");
        assert_eq!(IndustryCode::parse("A").unwrap().parent(), None);
        assert_eq!(
            IndustryCode::parse("C353").unwrap().name(),
            "食品、饮料、烟草及饲料生产专用设备制造"
        );
        assert!(group.children().any(|child| child == rice));
        assert_eq!(IndustryCode::all().next().unwrap().as_str(), "A");
    }

    #[test]
    fn english_table_loads_every_row_and_parses_quotes() {
        let rows = CSV_EN
            .lines()
            .skip(1)
            .filter(|line| !line.trim().is_empty())
            .count();
        assert_eq!(TABLE_EN.len(), rows);
        assert!(CSV_EN.starts_with("code,name_en"));
        assert_eq!(
            english_row("A,\"Farming, forestry\"\r"),
            Some(("A", Cow::Borrowed("Farming, forestry")))
        );
        assert_eq!(
            english_row(r#"C01,"The ""best"", really""#),
            Some(("C01", Cow::Owned(r#"The "best", really"#.to_string())))
        );
        for bad in [
            "C01",
            "C01,",
            "C01,a,b",
            r#"C01,"open"#,
            r#"C01,"a"b""#,
            r#"C01,a"b"#,
            "c01,lower",
            "C0x,letters",
        ] {
            assert_eq!(english_row(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_section_division_and_group_has_an_english_name() {
        for code in IndustryCode::all() {
            let named = code.name_en().is_some();
            match code.level() {
                IndustryLevel::Class => {}
                _ => assert!(named, "{code} {} has no English name", code.name()),
            }
        }
    }

    #[test]
    fn every_english_code_is_in_the_chinese_table() {
        for (code, _) in TABLE_EN.iter() {
            let industry = IndustryCode::parse(code).unwrap();
            assert_eq!(industry.as_str(), *code);
            assert_ne!(industry.level(), IndustryLevel::Class, "{code}");
        }
    }

    #[test]
    fn english_names_and_the_chinese_fallback() {
        for (code, english) in [
            ("A", "Agriculture, forestry, animal husbandry and fishery"),
            ("C", "Manufacturing"),
            (
                "C39",
                "Manufacture of computers, communication and other electronic equipment",
            ),
            ("I65", "Software and information technology services"),
            ("A011", "Growing of cereals"),
        ] {
            let industry = IndustryCode::parse(code).unwrap();
            assert_eq!(industry.name_en(), Some(english), "{code}");
            assert_eq!(industry.name_in(true), english, "{code}");
            assert_eq!(industry.name_in(false), industry.name(), "{code}");
        }
        // A class has no English name of its own: the Chinese one, not its group's English one.
        let class = IndustryCode::parse("C3971").unwrap();
        assert_eq!(class.name_en(), None);
        assert_eq!(class.name_in(true), class.name());
        assert!(!class.name_in(true).is_empty());
    }

    #[test]
    fn serde_uses_the_normal_form() {
        let code: IndustryCode = serde_json::from_str("\"0111\"").unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"A0111\"");
        assert!(serde_json::from_str::<IndustryCode>("\"A13\"").is_err());
    }
}
