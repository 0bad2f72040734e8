//! Number formats for the contributions' words: exact, from integers.

/// `+8.1%` / `-12.0%` / `0.0%` from basis points, rounded half away from zero to 0.1%.
pub(crate) fn signed_percent(bp: i64) -> String {
    let tenths = (bp.abs() + 5) / 10;
    let sign = if bp > 0 && tenths > 0 {
        "+"
    } else if bp < 0 && tenths > 0 {
        "-"
    } else {
        ""
    };
    format!("{sign}{}.{}%", tenths / 10, tenths % 10)
}

/// `62%` from basis points, rounded half up.
pub(crate) fn percent(bp: u64) -> String {
    format!("{}%", (bp + 50) / 100)
}

/// `4.75%` from basis points, trailing zeros kept to two decimals.
pub(crate) fn rate(bp: u32) -> String {
    format!("{}.{:02}%", bp / 100, bp % 100)
}

/// `12.3` years from days (365 a year), rounded half up to 0.1.
pub(crate) fn years(days: i64) -> String {
    let tenths = (days.max(0) * 10 + 182) / 365;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// `2.3` from basis points (10,000 = 1), rounded half up to 0.1.
pub(crate) fn times(bp: u64) -> String {
    let tenths = (bp + 500) / 1_000;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// `1.14` a year: `count / years`, rounded half up to 0.01.
pub(crate) fn per_year(count: u64, years: u64) -> String {
    let hundredths = (count * 200 + years.max(1)) / (years.max(1) * 2);
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// Digits grouped by thousands: `5,700,000`.
pub(crate) fn grouped(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Whole yuan of `fen`, rounded half up.
fn yuan(fen: i64) -> i64 {
    (fen.max(0) + 50) / 100
}

/// `8,000 元`, `570 万元`, `1.2 亿元`: yuan in the units Chinese readers expect.
pub(crate) fn yuan_zh(fen: i64) -> String {
    let whole = yuan(fen);
    if whole >= 100_000_000 {
        let tenths = (whole + 5_000_000) / 10_000_000;
        format!("{}.{} 亿元", tenths / 10, tenths % 10)
    } else if whole >= 10_000 {
        format!("{} 万元", grouped((whole + 5_000) / 10_000))
    } else {
        format!("{} 元", grouped(whole))
    }
}

/// `¥5,700,000`.
pub(crate) fn yuan_en(fen: i64) -> String {
    format!("¥{}", grouped(yuan(fen)))
}

/// `once`, `twice`, `3 times`.
pub(crate) fn times_en(count: u32) -> String {
    match count {
        1 => "once".into(),
        2 => "twice".into(),
        other => format!("{other} times"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(signed_percent(812), "+8.1%");
        assert_eq!(signed_percent(-1_195), "-12.0%");
        assert_eq!(signed_percent(4), "0.0%");
        assert_eq!(signed_percent(-5), "-0.1%");
        assert_eq!(percent(6_250), "63%");
        assert_eq!(rate(475), "4.75%");
        assert_eq!(years(4_490), "12.3");
        assert_eq!(times(23_000), "2.3");
        assert_eq!(per_year(8, 7), "1.14");
        assert_eq!(grouped(5_700_000), "5,700,000");
        assert_eq!(grouped(999), "999");
        assert_eq!(yuan_zh(570_000_000), "570 万元");
        assert_eq!(yuan_zh(12_000_000_000), "1.2 亿元");
        assert_eq!(yuan_zh(800_000), "8,000 元");
        assert_eq!(yuan_en(570_000_000), "¥5,700,000");
        assert_eq!(times_en(2), "twice");
    }
}
