//! Provinces, cities and parks of the demo data set, tied to the shipped GB/T 2260 table.

pub(crate) use super::places::{CITIES, City, PARKS, PROVINCES, Province};
use super::rng::Rng;
use ipyun_domain::id::{RegionCode, RegionLevel};
use std::collections::BTreeMap;

pub(crate) fn city(prefix: &str) -> Option<&'static City> {
    CITIES.iter().find(|city| city.prefix == prefix)
}

pub(crate) fn province(prefix: &str) -> Option<&'static Province> {
    PROVINCES
        .iter()
        .find(|province| province.prefix == prefix.get(..2).unwrap_or(""))
}

/// County-level codes of the shipped region table, grouped by prefecture.
pub(crate) struct Geo {
    counties: BTreeMap<String, Vec<(String, &'static str)>>,
}

impl Geo {
    pub(crate) fn load() -> Geo {
        let mut counties: BTreeMap<String, Vec<(String, &'static str)>> = BTreeMap::new();
        for code in RegionCode::all() {
            if code.level() == RegionLevel::County
                && let Some(prefix) = code.as_str().get(..4)
            {
                counties
                    .entry(prefix.to_string())
                    .or_default()
                    .push((code.as_str().to_string(), code.name()));
            }
        }
        Geo { counties }
    }

    fn of_city(&self, prefix: &str) -> &[(String, &'static str)] {
        self.counties.get(prefix).map(Vec::as_slice).unwrap_or(&[])
    }

    /// `preferred` when the table knows it as a county of `city`, else the city's first county.
    pub(crate) fn county_or_first(&self, city: &City, preferred: &str) -> String {
        let counties = self.of_city(city.prefix);
        if counties.is_empty() {
            return preferred.to_string();
        }
        counties
            .iter()
            .find(|(code, _)| code == preferred)
            .or_else(|| counties.first())
            .map(|(code, _)| code.clone())
            .unwrap_or_else(|| preferred.to_string())
    }

    /// Whether the table lists counties for `city` (always true when the table is not available).
    pub(crate) fn has_counties(&self, city: &City) -> bool {
        self.counties.is_empty() || !self.of_city(city.prefix).is_empty()
    }

    /// One of the first (central) districts of `city`: where banks and offices keep their seats.
    pub(crate) fn central_county(&self, rng: &mut Rng, city: &City) -> String {
        let counties = self.of_city(city.prefix);
        counties
            .get(rng.below(counties.len().min(4)))
            .map(|(code, _)| code.clone())
            .unwrap_or_else(|| city.fallback_county.to_string())
    }

    /// A random county of `city`.
    pub(crate) fn random_county(&self, rng: &mut Rng, city: &City) -> String {
        let counties = self.of_city(city.prefix);
        counties
            .get(rng.below(counties.len()))
            .map(|(code, _)| code.clone())
            .unwrap_or_else(|| city.fallback_county.to_string())
    }

    /// The Chinese name of a county-level code ("" when unknown).
    pub(crate) fn county_name(&self, code: &str) -> &'static str {
        code.get(..4)
            .map(|prefix| self.of_city(prefix))
            .and_then(|counties| counties.iter().find(|(known, _)| known == code))
            .map(|(_, name)| *name)
            .unwrap_or("")
    }

    /// Whether `code` is a county-level code of the shipped table.
    #[cfg(test)]
    pub(crate) fn is_county(&self, code: &str) -> bool {
        code.get(..4)
            .is_some_and(|prefix| self.of_city(prefix).iter().any(|(known, _)| known == code))
    }
}

/// A postal address: province, city, county, road and number.
pub(crate) fn address(rng: &mut Rng, geo: &Geo, county: &str, city: &City, road: &str) -> String {
    let province = province(county).map(|province| province.name).unwrap_or("");
    let head = if province == city.name {
        city.name.to_string()
    } else {
        format!("{province}{}", city.name)
    };
    let county_name = geo.county_name(county);
    let number = rng.range(1, 2999);
    let unit = match rng.below(4) {
        0 => String::new(),
        1 => format!("{}号楼", rng.range(1, 30)),
        2 => format!(
            "{}栋{}室",
            rng.range(1, 20),
            rng.range(1, 25) * 100 + rng.range(1, 12)
        ),
        _ => format!("{}幢{}层", rng.range(1, 12), rng.range(1, 18)),
    };
    format!("{head}{county_name}{road}{number}号{unit}")
}
