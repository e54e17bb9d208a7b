//! Numbers and periods as people read them, for the review's sentences and
//! the Markdown report: `$9.1k`, `3.1%`, `1,234 leads`, `May 2026`,
//! `week 11 of 2026`. The JSON document keeps raw numbers; only these
//! renderings round.

use crate::catalog::Unit;
use crate::engine::time::{Calendar, Grain};

/// A value in its unit: `3.1%`, `$412`, `1,234`, `12.5 h`, `3.20×`.
pub fn value(unit: Unit, v: f64, currency: Option<&str>) -> String {
    match unit {
        Unit::Rate => percent(v),
        Unit::Currency => money(v, currency),
        Unit::Count => count(v),
        Unit::Hours => format!("{} h", decimal(v, 1)),
        Unit::Score => decimal(v, 1),
        Unit::PerDay => format!("{} a day", decimal(v, 1)),
        Unit::Multiple => format!("{}×", decimal(v, 2)),
        Unit::Months => format!("{} months", decimal(v, 1)),
        Unit::Days => format!("{} days", decimal(v, 1)),
    }
}

/// A signed difference in its unit: `+$9.1k`, `−3`, `+2.4 pts` for rates.
pub fn difference(unit: Unit, d: f64, currency: Option<&str>) -> String {
    let sign = if d < 0.0 { "−" } else { "+" };
    let body = match unit {
        Unit::Rate => format!("{} pts", decimal(d.abs() * 100.0, 1)),
        _ => value(unit, d.abs(), currency),
    };
    format!("{sign}{body}")
}

/// A fraction as a percent: one decimal (`0.031` → `3.1%`), none from 10%
/// (`0.18` → `18%`), two below 1% (`0.00145` → `0.15%`).
pub fn percent(v: f64) -> String {
    let p = v * 100.0;
    if p.abs() >= 10.0 {
        format!("{}%", grouped(p.round()))
    } else if p.abs() >= 1.0 || p == 0.0 {
        format!("{}%", decimal(p, 1))
    } else {
        format!("{}%", decimal(p, 2))
    }
}

/// An amount of money, compact above ten thousand: `$412`, `$9,120`,
/// `$12.3k`, `€1.2M`, `412 CHF`.
pub fn money(v: f64, currency: Option<&str>) -> String {
    let a = v.abs();
    let body = if a >= 1e6 {
        format!("{}M", decimal(a / 1e6, 1))
    } else if a >= 1e4 {
        format!("{}k", decimal(a / 1e3, 1))
    } else if a >= 100.0 {
        grouped(a.round())
    } else {
        format!("{a:.2}")
    };
    let sign = if v < 0.0 { "−" } else { "" };
    match currency.and_then(symbol) {
        Some(s) => format!("{sign}{s}{body}"),
        None => match currency {
            Some(code) => format!("{sign}{body} {code}"),
            None => format!("{sign}{body}"),
        },
    }
}

/// The symbol of a common currency.
fn symbol(code: &str) -> Option<&'static str> {
    Some(match code {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        "INR" => "₹",
        "BRL" => "R$",
        "AUD" => "A$",
        "CAD" => "C$",
        _ => return None,
    })
}

/// A count: whole numbers grouped by thousands, others with one decimal.
pub fn count(v: f64) -> String {
    if v.fract() == 0.0 {
        grouped(v)
    } else {
        decimal(v, 1)
    }
}

/// A number with `places` decimals, thousands grouped.
fn decimal(v: f64, places: usize) -> String {
    let text = format!("{:.*}", places, v.abs());
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let whole: f64 = whole.parse().unwrap_or(0.0);
    let sign = if v < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        "−"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{}", grouped(whole))
    } else {
        format!("{sign}{}.{frac}", grouped(whole))
    }
}

/// A whole number with thousands separators (`1234567` → `1,234,567`).
fn grouped(v: f64) -> String {
    let digits = format!("{:.0}", v.abs());
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 && digits != "0" {
        format!("−{out}")
    } else {
        out
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A period for people: `15 May 2026`, `week 11 of 2026`, `May 2026`,
/// `Q1 2026` (`FY2026 Q1` for a fiscal year not starting in January),
/// `2026` (`FY2026`).
pub fn period(calendar: Calendar, p: i32) -> String {
    let label = calendar.label(p);
    let fiscal = calendar.fiscal_start != 1;
    match calendar.grain {
        Grain::Day => {
            let days = calendar.start(p).div_euclid(crate::calendar::DAY);
            let (y, m, d) = crate::calendar::civil_from_days(days);
            format!("{d} {} {y}", MONTHS[(m as usize).saturating_sub(1) % 12])
        }
        Grain::Week => match label.split_once("-W") {
            Some((y, w)) => format!("week {} of {y}", w.trim_start_matches('0')),
            None => label,
        },
        Grain::Month => {
            let days = calendar.start(p).div_euclid(crate::calendar::DAY);
            let (y, m, _) = crate::calendar::civil_from_days(days);
            format!("{} {y}", MONTHS[(m as usize).saturating_sub(1) % 12])
        }
        Grain::Quarter => match label.split_once("-Q") {
            Some((y, q)) if fiscal => format!("FY{y} Q{q}"),
            Some((y, q)) => format!("Q{q} {y}"),
            None => label,
        },
        Grain::Year if fiscal => format!("FY{label}"),
        Grain::Year => label,
    }
}

/// A day as people write it: `31 May 2026`.
pub fn day(days: i64) -> String {
    let (y, m, d) = crate::calendar::civil_from_days(days);
    format!("{d} {} {y}", MONTHS[(m as usize).saturating_sub(1) % 12])
}

/// A KPI's name inside a sentence: words in lower case except acronyms
/// (`Customer Acquisition Cost` → `customer acquisition cost`, `MQLs` and
/// `CTR (ICP Audiences)` keep their capitals where the word is one).
pub fn in_sentence(name: &str) -> String {
    name.split(' ')
        .map(|w| {
            let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
            let caps = letters.iter().filter(|c| c.is_uppercase()).count();
            if caps >= 2 {
                w.to_owned()
            } else {
                w.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first letter in upper case.
pub fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A segment label for people: `paid_social` → `paid social`; `(none)` and
/// booleans as they are.
pub fn segment(label: &str) -> String {
    label.replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_in_their_units() {
        let check = |unit, v, currency, expected: &str| {
            assert_eq!(value(unit, v, currency), expected, "{unit:?} {v}");
        };
        check(Unit::Rate, 0.031, None, "3.1%");
        check(Unit::Rate, 0.184, None, "18%");
        check(Unit::Rate, 0.00146, None, "0.15%");
        check(Unit::Rate, 0.0, None, "0.0%");
        check(Unit::Currency, 412.4, Some("USD"), "$412");
        check(Unit::Currency, 9120.0, Some("USD"), "$9,120");
        check(Unit::Currency, 12_345.0, Some("EUR"), "€12.3k");
        check(Unit::Currency, 2_500_000.0, Some("CHF"), "2.5M CHF");
        check(Unit::Currency, 42.5, None, "42.50");
        check(Unit::Currency, -950.0, Some("USD"), "−$950");
        check(Unit::Count, 1234.0, None, "1,234");
        check(Unit::Count, 1_234_567.0, None, "1,234,567");
        check(Unit::Count, 12.25, None, "12.2");
        check(Unit::Hours, 1234.56, None, "1,234.6 h");
        check(Unit::Multiple, 3.2, None, "3.20×");
        check(Unit::Months, 8.24, None, "8.2 months");
        check(Unit::Months, -0.04, None, "0.0 months");
    }

    #[test]
    fn differences_are_signed() {
        assert_eq!(difference(Unit::Currency, 9100.0, Some("USD")), "+$9,100");
        assert_eq!(difference(Unit::Count, -3.0, None), "−3");
        assert_eq!(difference(Unit::Rate, -0.024, None), "−2.4 pts");
    }

    #[test]
    fn periods_for_people() {
        let check = |grain, fiscal, p, expected: &str| {
            assert_eq!(period(Calendar::new(grain, fiscal), p), expected);
        };
        // Month ids are year · 12 + month − 1.
        check(Grain::Month, 1, 2026 * 12 + 4, "May 2026");
        // 2026-03-09 is a Monday of ISO week 11: day 20521, week id (20521+3)/7.
        check(Grain::Week, 1, (20521 + 3) / 7, "week 11 of 2026");
        check(Grain::Quarter, 1, 2026 * 4, "Q1 2026");
        check(Grain::Quarter, 4, 2026 * 4, "FY2027 Q1");
        check(Grain::Day, 1, 20521, "9 March 2026");
        check(Grain::Year, 1, 2026, "2026");
    }

    #[test]
    fn names_inside_sentences() {
        assert_eq!(
            in_sentence("Customer Acquisition Cost"),
            "customer acquisition cost"
        );
        assert_eq!(
            in_sentence("MQLs Accepted by Sales"),
            "MQLs accepted by sales"
        );
        assert_eq!(in_sentence("CTR (ICP Audiences)"), "CTR (ICP audiences)");
        assert_eq!(capitalised("paid social"), "Paid social");
    }
}
