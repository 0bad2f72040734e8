//! Regions, applicants and inventors of the synthetic corpus.

use std::collections::HashSet;
use std::sync::LazyLock;

use ipyun_domain::id::{RegionCode, RegionLevel};

use super::rng::{Rng, mix};
use super::vocab::FIELDS;

/// Share of filings by province (two-digit code, weight), roughly as in CNIPA statistics.
const PROVINCE_WEIGHTS: [(&str, f64); 31] = [
    ("44", 18.0),
    ("32", 14.0),
    ("33", 11.0),
    ("11", 9.0),
    ("37", 7.0),
    ("31", 6.0),
    ("34", 4.0),
    ("42", 4.0),
    ("51", 4.0),
    ("35", 3.0),
    ("41", 3.0),
    ("43", 3.0),
    ("61", 2.5),
    ("50", 2.0),
    ("12", 2.0),
    ("21", 2.0),
    ("13", 1.5),
    ("36", 1.5),
    ("45", 1.0),
    ("14", 0.8),
    ("22", 0.8),
    ("23", 0.8),
    ("53", 0.8),
    ("52", 0.7),
    ("15", 0.5),
    ("62", 0.4),
    ("65", 0.4),
    ("46", 0.3),
    ("64", 0.2),
    ("63", 0.1),
    ("54", 0.05),
];

/// The counties of each weighted province.
struct Provinces {
    weights: Vec<f64>,
    counties: Vec<Vec<RegionCode>>,
}

static PROVINCES: LazyLock<Provinces> = LazyLock::new(|| {
    let all: Vec<RegionCode> = RegionCode::all()
        .filter(|code| code.level() == RegionLevel::County)
        .collect();
    let mut weights = Vec::new();
    let mut counties = Vec::new();
    for (prefix, weight) in PROVINCE_WEIGHTS {
        let list: Vec<RegionCode> = all
            .iter()
            .filter(|code| code.as_str().starts_with(prefix))
            .cloned()
            .collect();
        if !list.is_empty() {
            weights.push(weight);
            counties.push(list);
        }
    }
    Provinces { weights, counties }
});

/// A county code drawn by province weight.
pub(crate) fn region(rng: &mut Rng) -> Option<RegionCode> {
    let provinces = &*PROVINCES;
    let province = rng.weighted(&provinces.weights);
    provinces
        .counties
        .get(province)
        .and_then(|counties| rng.pick(counties))
        .cloned()
}

/// A short place name for company names: the prefecture's (苏州), a municipality's (北京), or
/// a directly administered county's own.
pub(crate) fn place(region: &RegionCode) -> String {
    let parent = region.parent();
    let name = match &parent {
        Some(prefecture)
            if !matches!(prefecture.name(), "市辖区" | "县")
                && !prefecture.name().contains("直辖") =>
        {
            prefecture.name()
        }
        Some(_)
            if region.as_str().starts_with("11")
                || region.as_str().starts_with("12")
                || region.as_str().starts_with("31")
                || region.as_str().starts_with("50") =>
        {
            region.province().name()
        }
        _ => region.name(),
    };
    short(name)
}

fn short(name: &str) -> String {
    let mut short = name;
    for suffix in ["自治州", "地区", "林区", "市", "盟", "县", "区"] {
        if let Some(stripped) = short.strip_suffix(suffix)
            && stripped.chars().count() >= 2
        {
            short = stripped;
            break;
        }
    }
    if short.contains('族') || short.chars().count() > 4 {
        return short.chars().take(2).collect();
    }
    short.to_owned()
}

const BRAND: [&str; 48] = [
    "华", "瑞", "恒", "源", "博", "创", "科", "达", "信", "通", "宇", "航", "天", "正", "德", "鑫",
    "泰", "安", "嘉", "汇", "中", "联", "新", "锐", "致", "远", "诚", "立", "昊", "凯", "晟", "智",
    "盛", "海", "明", "光", "辰", "星", "峰", "卓", "越", "宏", "睿", "腾", "捷", "优", "普", "菲",
];

const UNIVERSITY: [&str; 8] = [
    "大学",
    "理工大学",
    "科技大学",
    "工业大学",
    "工程学院",
    "交通大学",
    "师范大学",
    "职业技术学院",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ApplicantKind {
    Company,
    University,
    Institute,
}

#[derive(Debug, Clone)]
pub(crate) struct Applicant {
    pub name: String,
    pub region: Option<RegionCode>,
    /// Index into `FIELDS`: the applicant's main technical field.
    pub field: usize,
    pub kind: ApplicantKind,
}

/// Size of the applicant pool; applicants are drawn with a heavy head (a few file a lot).
pub(crate) const POOL_SIZE: usize = 8_000;

fn university_suffix(field_code: &str, rng: &mut Rng) -> &'static str {
    match field_code {
        "A61K" | "C07D" | "C12N" if rng.chance(0.5) => "医科大学",
        "A01B" if rng.chance(0.6) => "农业大学",
        _ => rng.pick(&UNIVERSITY).copied().unwrap_or("大学"),
    }
}

/// The applicant pool of a seed.
pub(crate) fn applicant_pool(seed: u64) -> Vec<Applicant> {
    let mut seen = HashSet::new();
    let mut pool = Vec::with_capacity(POOL_SIZE);
    for index in 0..POOL_SIZE {
        let mut rng = Rng::new(mix(seed, 0x5000_0000 + index as u64));
        let region = region(&mut rng);
        let city = region.as_ref().map_or_else(|| "中国".to_owned(), place);
        let field = rng.below(FIELDS.len());
        let field_code = FIELDS.get(field).map_or("", |field| field.code);
        let industry = FIELDS
            .get(field)
            .and_then(|field| rng.pick(&field.industry))
            .copied()
            .unwrap_or("科技");
        let draw = rng.unit();
        let kind = if draw < 0.84 {
            ApplicantKind::Company
        } else if draw < 0.94 {
            ApplicantKind::University
        } else {
            ApplicantKind::Institute
        };
        let mut name = String::new();
        for attempt in 0..12 {
            name = match kind {
                ApplicantKind::Company => {
                    let first = rng.pick(&BRAND).copied().unwrap_or("华");
                    let second = rng.pick(&BRAND).copied().unwrap_or("科");
                    let suffix = match rng.below(20) {
                        0 => "集团有限公司",
                        1..=5 => "股份有限公司",
                        _ => "有限公司",
                    };
                    format!("{city}{first}{second}{industry}{suffix}")
                }
                ApplicantKind::University => {
                    format!("{city}{}", university_suffix(field_code, &mut rng))
                }
                ApplicantKind::Institute => {
                    let label = if attempt == 0 {
                        ""
                    } else {
                        rng.pick(&BRAND).copied().unwrap_or("")
                    };
                    format!("{city}{label}{industry}研究院")
                }
            };
            if seen.insert(name.clone()) {
                break;
            }
        }
        pool.push(Applicant {
            name,
            region,
            field,
            kind,
        });
    }
    pool
}

const SURNAMES: [&str; 60] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "欧阳",
];

const GIVEN: [&str; 80] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "建", "文", "辉", "力", "斌",
    "宇", "浩", "凯", "鹏", "飞", "晨", "欣", "怡", "佳", "琪", "博", "思", "雨", "婷", "俊", "峰",
    "亮", "颖", "瑶", "鑫", "昊", "然", "泽", "宁", "志", "海", "波", "林", "东", "晓", "慧", "丹",
    "国", "春", "新", "永", "成", "龙", "荣", "光", "云", "民", "兵", "雪", "梅", "彬", "淼", "哲",
];

/// A Chinese personal name.
pub(crate) fn person(rng: &mut Rng) -> String {
    let mut name = rng.pick(&SURNAMES).copied().unwrap_or("王").to_owned();
    let given = if rng.chance(0.7) { 2 } else { 1 };
    for _ in 0..given {
        name.push_str(rng.pick(&GIVEN).copied().unwrap_or("明"));
    }
    name
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn pool_is_deterministic_with_valid_regions() {
        let a = applicant_pool(3);
        let b = applicant_pool(3);
        assert_eq!(a.len(), POOL_SIZE);
        assert!(a.iter().zip(&b).all(|(a, b)| a.name == b.name));
        let distinct: HashSet<&str> = a.iter().map(|applicant| applicant.name.as_str()).collect();
        assert!(
            distinct.len() > POOL_SIZE * 9 / 10,
            "{} distinct",
            distinct.len()
        );
        for applicant in &a {
            let region = applicant
                .region
                .as_ref()
                .map(RegionCode::as_str)
                .unwrap_or("");
            assert!(RegionCode::parse(region).is_ok(), "{}", applicant.name);
            assert!(applicant.name.chars().count() >= 4, "{}", applicant.name);
        }
    }

    #[test]
    fn places_are_short() {
        assert_eq!(place(&RegionCode::parse("320506").unwrap()), "苏州");
        assert_eq!(place(&RegionCode::parse("110108").unwrap()), "北京");
        for code in RegionCode::all().filter(|code| code.level() == RegionLevel::County) {
            assert!(place(&code).chars().count() >= 2, "{code}");
        }
    }
}
