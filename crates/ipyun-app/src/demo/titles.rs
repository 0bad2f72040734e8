//! Titles of rights, assembled from the holder's sector vocabulary.

use super::enterprises::Profile;
use super::rng::Rng;
use super::sectors::{DESIGN_VARIANTS, Sector, UM_ADJECTIVES, pick};

pub(crate) fn invention(rng: &mut Rng, sector: &Sector) -> String {
    let tech = pick(rng, sector.techs);
    let task = pick(rng, sector.tasks);
    let material_weight = if sector.materials.is_empty() { 0 } else { 22 };
    let device_weight = if sector.devices.is_empty() { 0 } else { 8 };
    match rng.weighted(&[30, 16, material_weight, 12, 12, device_weight]) {
        0 => format!("一种基于{tech}的{task}方法"),
        1 => format!("{task}方法、装置、电子设备及存储介质"),
        2 => {
            let material = pick(rng, sector.materials);
            match rng.below(3) {
                0 => format!("一种{material}及其制备方法"),
                1 => format!("一种{material}的制备方法和应用"),
                _ => format!("{material}、其制备方法及应用"),
            }
        }
        3 => format!("基于{tech}的{task}系统及方法"),
        4 => format!("一种{task}方法及系统"),
        _ => format!("一种{}及其控制方法", pick(rng, sector.devices)),
    }
}

pub(crate) fn utility_model(rng: &mut Rng, sector: &Sector) -> String {
    format!(
        "一种{}{}",
        rng.pick(UM_ADJECTIVES),
        pick(rng, sector.devices)
    )
}

pub(crate) fn design(rng: &mut Rng, sector: &Sector) -> String {
    let product = pick(rng, sector.products);
    if rng.chance(450) {
        product.to_string()
    } else {
        format!("{product}（{}）", rng.pick(DESIGN_VARIANTS))
    }
}

pub(crate) fn trademark(rng: &mut Rng, profile: &Profile) -> String {
    match rng.weighted(&[45, 22, 15, 18]) {
        0 => profile.brand.clone(),
        1 => profile.brand_pinyin.clone(),
        2 => format!("{} {}", profile.brand, profile.brand_pinyin),
        _ => format!("{}及图", profile.brand),
    }
}

pub(crate) fn software(rng: &mut Rng, sector: &Sector, profile: &Profile) -> String {
    let system = pick(rng, sector.software);
    let major = rng.range(1, 5);
    let minor = rng.pick(&[0, 0, 0, 1, 2, 5]);
    match rng.weighted(&[55, 25, 20]) {
        0 => format!("{}{system}V{major}.{minor}", profile.brand),
        1 => format!("{system}软件V{major}.0"),
        _ => format!("基于{}的{system}V1.0", pick(rng, sector.techs)),
    }
}

pub(crate) fn ic_layout(rng: &mut Rng, sector: &Sector, profile: &Profile) -> String {
    format!(
        "{}{}{}",
        profile.brand_initials,
        rng.range(1000, 9899),
        pick(rng, sector.chips)
    )
}
