//! Which period a review is of: the latest one the data covers to its last
//! day unless another is asked for, the one before it and the same period a
//! year earlier (`docs/review.md`, "Shape").

use crate::engine::time::{Calendar, DAY, Grain};
use crate::error::{Error, Result};

/// The review period and its neighbours, as period ids of the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewPeriod {
    /// The period reviewed.
    pub id: i32,
    /// Whether the as-of time is before the period's last day.
    pub running: bool,
    /// The same period a year earlier, where the grain has one.
    pub year_ago: Option<i32>,
}

/// The default review period at an as-of time (local µs): the period of the
/// as-of when the as-of is on or after its last day, otherwise the one
/// before.
pub fn default_period(calendar: Calendar, as_of: i64) -> i32 {
    let p = calendar.period(as_of);
    if as_of >= calendar.end(p) - DAY {
        p
    } else {
        p - 1
    }
}

/// The period with a label, searched among `ids`; an error naming the
/// grain's label form otherwise.
pub fn parse_period(
    calendar: Calendar,
    label: &str,
    ids: std::ops::RangeInclusive<i32>,
) -> Result<i32> {
    let label = label.trim();
    let (first, last) = (*ids.start(), *ids.end());
    ids.clone()
        .find(|&p| calendar.label(p) == label)
        .ok_or_else(|| {
            let form = match calendar.grain {
                Grain::Day => "2026-05-31",
                Grain::Week => "2026-W22",
                Grain::Month => "2026-05",
                Grain::Quarter => "2026-Q2",
                Grain::Year => "2026",
            };
            Error::Invalid(format!(
                "period '{label}' is not a {} of this report (like {form}, from {} to {})",
                calendar.grain.as_str(),
                calendar.label(first),
                calendar.label(last)
            ))
        })
}

impl ReviewPeriod {
    /// The review of period `id` at an as-of time.
    pub fn new(calendar: Calendar, id: i32, as_of: i64) -> ReviewPeriod {
        ReviewPeriod {
            id,
            running: as_of < calendar.end(id) - DAY,
            year_ago: year_ago(calendar, id),
        }
    }
}

/// The same period a year earlier: the period whose label is this one's
/// with the year one less (`2026-05` → `2025-05`, `2026-W11` → `2025-W11`);
/// none at year grain (that is the previous period) or where no such
/// period exists (week 53, 29 February).
pub fn year_ago(calendar: Calendar, id: i32) -> Option<i32> {
    let back: &[i32] = match calendar.grain {
        Grain::Day => &[365, 366],
        Grain::Week => &[52, 53],
        Grain::Month => &[12],
        Grain::Quarter => &[4],
        Grain::Year => return None,
    };
    let label = calendar.label(id);
    let year: i64 = label.get(..4)?.parse().ok()?;
    let wanted = format!("{:04}{}", year - 1, label.get(4..)?);
    back.iter()
        .map(|b| id - b)
        .find(|&p| calendar.label(p) == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::days_from_civil;

    fn at(y: i64, m: u32, d: u32, hour: i64) -> i64 {
        days_from_civil(y, m, d).expect("a date") * DAY + hour * 3_600_000_000
    }

    #[test]
    fn the_default_is_the_latest_period_covered_to_its_last_day() {
        let month = Calendar::new(Grain::Month, 1);
        let may = 2026 * 12 + 4;
        // As-of on 31 May (any time of it) covers May; on 30 May it does not.
        assert_eq!(default_period(month, at(2026, 5, 31, 0)), may);
        assert_eq!(default_period(month, at(2026, 5, 31, 23)), may);
        assert_eq!(default_period(month, at(2026, 5, 30, 23)), may - 1);
        assert_eq!(default_period(month, at(2026, 6, 1, 0)), may);

        // ISO week 22 of 2026 runs Monday 25 to Sunday 31 May.
        let week = Calendar::new(Grain::Week, 1);
        let w22 = week.period(at(2026, 5, 25, 0));
        assert_eq!(week.label(w22), "2026-W22");
        assert_eq!(default_period(week, at(2026, 5, 31, 12)), w22);
        assert_eq!(default_period(week, at(2026, 5, 30, 12)), w22 - 1);

        // Q2 ends on 30 June.
        let quarter = Calendar::new(Grain::Quarter, 1);
        let q2 = quarter.period(at(2026, 4, 1, 0));
        assert_eq!(default_period(quarter, at(2026, 6, 30, 1)), q2);
        assert_eq!(default_period(quarter, at(2026, 6, 29, 1)), q2 - 1);
        assert_eq!(quarter.label(q2 - 1), "2026-Q1");
    }

    #[test]
    fn running_means_before_the_last_day() {
        let month = Calendar::new(Grain::Month, 1);
        let may = 2026 * 12 + 4;
        assert!(ReviewPeriod::new(month, may, at(2026, 5, 30, 23)).running);
        assert!(!ReviewPeriod::new(month, may, at(2026, 5, 31, 0)).running);
        assert!(!ReviewPeriod::new(month, may - 1, at(2026, 5, 30, 0)).running);
    }

    #[test]
    fn a_year_ago_has_the_same_label_a_year_earlier() {
        let check = |grain, start: i64, expected: Option<&str>| {
            let c = Calendar::new(grain, 1);
            let p = c.period(start);
            assert_eq!(
                year_ago(c, p).map(|y| c.label(y)).as_deref(),
                expected,
                "{}",
                c.label(p)
            );
        };
        check(Grain::Month, at(2026, 5, 3, 0), Some("2025-05"));
        check(Grain::Quarter, at(2026, 2, 3, 0), Some("2025-Q1"));
        check(Grain::Week, at(2026, 3, 11, 0), Some("2025-W11"));
        // 2026-W53 exists (2026 has 53 ISO weeks); 2025-W53 does not.
        check(Grain::Week, at(2026, 12, 31, 0), None);
        check(Grain::Day, at(2028, 2, 29, 0), None);
        check(Grain::Day, at(2028, 3, 1, 0), Some("2027-03-01"));
        check(Grain::Year, at(2026, 3, 1, 0), None);
    }

    #[test]
    fn a_period_is_chosen_by_its_label() {
        let month = Calendar::new(Grain::Month, 1);
        let ids = (2026 * 12)..=(2026 * 12 + 5);
        assert_eq!(
            parse_period(month, "2026-03", ids.clone()).ok(),
            Some(2026 * 12 + 2)
        );
        let e = parse_period(month, "2026-W11", ids).expect_err("a week is no month");
        assert_eq!(
            e.to_string(),
            "period '2026-W11' is not a month of this report (like 2026-05, from 2026-01 to 2026-06)"
        );
    }
}
