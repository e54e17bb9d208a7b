//! Calendar arithmetic shared by the loader and the engine: civil dates ↔
//! days since 1970-01-01 (proleptic Gregorian), months, and the lengths of a
//! day and an hour in microseconds, the unit of every time kpidash keeps.
//!
//! Nothing here knows about files or reports; the loader uses it to read
//! dates, the engine to cut periods (`engine::time`), the Stripe expansion
//! to count billing months.

/// Microseconds in a day.
pub const DAY: i64 = 86_400_000_000;
/// Microseconds in an hour.
pub const HOUR: i64 = 3_600_000_000;

/// Days from 1970-01-01 to the given civil date, or `None` for an
/// impossible date or a year outside 1–9999.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> Option<i64> {
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || !(1..=9999).contains(&y) {
        return None;
    }
    Some(days_of_civil(y, m, d))
}

/// [`days_from_civil`] without checking the date (`m` in 1..=12; the day and
/// year are taken as they are).
pub fn days_of_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month, day) of a count of days since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Number of days in a month (0 for a month outside 1–12).
pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Months since year 0 (`year × 12 + month − 1`) of a time in microseconds.
pub fn month_index(micros: i64) -> i64 {
    let (y, m, _) = civil_from_days(micros.div_euclid(DAY));
    y * 12 + i64::from(m) - 1
}

/// Midnight of the first day of a month as [`month_index`] counts it, in
/// microseconds (saturating far outside the calendar).
pub fn month_start(month: i64) -> i64 {
    let (y, m) = (month.div_euclid(12), month.rem_euclid(12) as u32 + 1);
    days_of_civil(y, m, 1).saturating_mul(DAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in [-700_000, -1, 0, 1, 59, 365, 20_527, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), Some(days));
        }
    }

    #[test]
    fn dates() {
        let check = |(y, m, d): (i64, u32, u32), days: Option<i64>| {
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        };
        check((1970, 1, 1), Some(0));
        check((2026, 3, 15), Some(20_527));
        check((2024, 2, 29), Some(19_782));
        check((2026, 2, 29), None);
        check((2026, 13, 1), None);
        check((2026, 4, 31), None);
        check((0, 1, 1), None);
        check((10_000, 1, 1), None);
    }

    #[test]
    fn months() {
        for (days, index) in [
            (0, 1970 * 12),
            (-1, 1969 * 12 + 11),
            (20_527, 2026 * 12 + 2),
        ] {
            assert_eq!(month_index(days * DAY), index, "day {days}");
            assert_eq!(month_index(month_start(index)), index);
            assert_eq!(month_index(month_start(index) - 1), index - 1);
        }
        assert_eq!(month_start(2026 * 12 + 2), days_of_civil(2026, 3, 1) * DAY);
    }
}
