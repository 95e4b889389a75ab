//! Numbers in words for people: money, units, percentages and thousands separators.
//! Every document, message and finding formats numbers through here.

/// `$1,234,567` (whole dollars) or `$12.35` below $1,000.
pub fn money(x: f64) -> String {
    if x.abs() < 1000.0 {
        return format!("${x:.2}");
    }
    let sign = if x < 0.0 { "-" } else { "" };
    format!("{sign}${}", group(x.abs().round() as u64))
}

/// Thousands separators: 1234567 → `1,234,567`.
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

pub fn units(x: f64) -> String {
    group(x.max(0.0).round() as u64)
}

pub fn percent(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// A quantity with thousands separators and at most one decimal: `1,150`, `1,437.5`.
pub fn qty(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let sign = if x < -0.05 { "-" } else { "" };
    let a = x.abs();
    if a > 0.0005 && a < 0.05 {
        return format!("{sign}{a:.3}");
    }
    let tenths = (a * 10.0).round() as u64;
    let (whole, tenth) = (tenths / 10, tenths % 10);
    if tenth == 0 {
        format!("{sign}{}", group(whole))
    } else {
        format!("{sign}{}.{tenth}", group(whole))
    }
}

/// A share as a percentage with at most one decimal: `80%`, `71.9%`.
pub fn pct(x: f64) -> String {
    let tenths = (x * 1000.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let tenths = tenths.unsigned_abs();
    if tenths.is_multiple_of(10) {
        format!("{sign}{}%", tenths / 10)
    } else {
        format!("{sign}{}.{}%", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(12_345_678), "12,345,678");
    }
}
