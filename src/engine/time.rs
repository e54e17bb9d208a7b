//! Periods of a grain, their labels, and the report's time zone. All times
//! here are *local* microseconds: wall-clock time in the report time zone,
//! counted from 1970-01-01T00:00. The civil-date arithmetic underneath is
//! `crate::calendar`, shared with the loader.

use serde::{Deserialize, Serialize};

// The engine's files name these `time::DAY`, `time::HOUR`: one definition.
pub use crate::calendar::{DAY, HOUR};
use crate::calendar::{civil_from_days, days_from_civil};
use crate::error::{Error, Result};

/// Marks a missing time in the engine's time vectors.
pub const NONE: i64 = i64::MIN;

/// The size of the calendar buckets a report uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grain {
    /// Calendar days.
    Day,
    /// ISO 8601 weeks, Monday to Sunday.
    Week,
    /// Calendar months.
    Month,
    /// Quarters of the (fiscal) year.
    Quarter,
    /// (Fiscal) years.
    Year,
}

impl Grain {
    /// Every grain, in increasing size.
    pub const ALL: [Grain; 5] = [
        Grain::Day,
        Grain::Week,
        Grain::Month,
        Grain::Quarter,
        Grain::Year,
    ];

    /// The grain's name in results.
    pub fn as_str(self) -> &'static str {
        match self {
            Grain::Day => "day",
            Grain::Week => "week",
            Grain::Month => "month",
            Grain::Quarter => "quarter",
            Grain::Year => "year",
        }
    }
}

impl std::str::FromStr for Grain {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "day" | "daily" => Grain::Day,
            "week" | "weekly" => Grain::Week,
            "month" | "monthly" => Grain::Month,
            "quarter" | "quarterly" => Grain::Quarter,
            "year" | "yearly" | "annual" => Grain::Year,
            _ => {
                return Err(Error::Invalid(format!(
                    "unknown grain '{s}' (expected day, week, month, quarter or year)"
                )));
            }
        })
    }
}

/// A grain with its fiscal-year start: turns local times into period ids
/// (consecutive integers) and back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    /// The bucket size.
    pub grain: Grain,
    /// First month (1–12) of the fiscal year, for quarters and years.
    pub fiscal_start: u32,
}

impl Calendar {
    /// A calendar of this grain with a fiscal year starting in `fiscal_start`.
    pub fn new(grain: Grain, fiscal_start: u32) -> Self {
        Calendar {
            grain,
            fiscal_start: fiscal_start.clamp(1, 12),
        }
    }

    /// Months since year 0, shifted so that fiscal years start at multiples of 12.
    fn fiscal_month_index(&self, days: i64) -> i64 {
        let (y, m, _) = civil_from_days(days);
        y * 12 + (m as i64 - 1) - (self.fiscal_start as i64 - 1)
    }

    /// The period id of a local time.
    pub fn period(&self, local: i64) -> i32 {
        let days = local.div_euclid(DAY);
        let id = match self.grain {
            Grain::Day => days,
            // 1969-12-29 (day -3) was a Monday.
            Grain::Week => (days + 3).div_euclid(7),
            Grain::Month => {
                let (y, m, _) = civil_from_days(days);
                y * 12 + m as i64 - 1
            }
            Grain::Quarter => self.fiscal_month_index(days).div_euclid(3),
            Grain::Year => self.fiscal_month_index(days).div_euclid(12),
        };
        id as i32
    }

    /// The first calendar month (year, month) of a month-based period.
    fn first_month(&self, period: i32) -> (i64, u32) {
        let shift = self.fiscal_start as i64 - 1;
        let m = match self.grain {
            Grain::Month => period as i64,
            Grain::Quarter => period as i64 * 3 + shift,
            Grain::Year => period as i64 * 12 + shift,
            Grain::Day | Grain::Week => 0,
        };
        (m.div_euclid(12), (m.rem_euclid(12) + 1) as u32)
    }

    /// The local time at which a period starts.
    pub fn start(&self, period: i32) -> i64 {
        let days = match self.grain {
            Grain::Day => period as i64,
            Grain::Week => period as i64 * 7 - 3,
            _ => {
                let (y, m) = self.first_month(period);
                days_from_civil(y, m, 1).unwrap_or(0)
            }
        };
        days * DAY
    }

    /// The local time at which the period after this one starts.
    pub fn end(&self, period: i32) -> i64 {
        self.start(period + 1)
    }

    /// The label of a period: `2026-03-15`, `2026-W11`, `2026-03`, `2026-Q1`, `2026`.
    /// A fiscal year is named by the calendar year in which it ends.
    pub fn label(&self, period: i32) -> String {
        match self.grain {
            Grain::Day => {
                let (y, m, d) = civil_from_days(period as i64);
                format!("{y:04}-{m:02}-{d:02}")
            }
            Grain::Week => {
                let thursday = period as i64 * 7;
                let (y, _, _) = civil_from_days(thursday);
                let jan1 = days_from_civil(y, 1, 1).unwrap_or(0);
                let week = (thursday - jan1) / 7 + 1;
                format!("{y:04}-W{week:02}")
            }
            Grain::Month => {
                let (y, m) = self.first_month(period);
                format!("{y:04}-{m:02}")
            }
            Grain::Quarter => {
                let fy = (period as i64).div_euclid(4) + self.fy_shift();
                let q = (period as i64).rem_euclid(4) + 1;
                format!("{fy:04}-Q{q}")
            }
            Grain::Year => format!("{:04}", period as i64 + self.fy_shift()),
        }
    }

    fn fy_shift(&self) -> i64 {
        if self.fiscal_start == 1 { 0 } else { 1 }
    }

    /// The months (as `year * 12 + month - 1`) a month-based period spans,
    /// first and last; `None` for day and week grains.
    pub fn month_span(&self, period: i32) -> Option<(i64, i64)> {
        let len = match self.grain {
            Grain::Month => 1,
            Grain::Quarter => 3,
            Grain::Year => 12,
            Grain::Day | Grain::Week => return None,
        };
        let (y, m) = self.first_month(period);
        let first = y * 12 + m as i64 - 1;
        Some((first, first + len - 1))
    }
}

/// A fixed UTC offset, in seconds east of UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Offset(pub i64);

impl Offset {
    /// Parses `+02:00`, `-0530`, `+2`, `Z` or `UTC`.
    pub fn parse(s: &str) -> Result<Offset> {
        let t = s.trim();
        if t.is_empty() || t.eq_ignore_ascii_case("z") || t.eq_ignore_ascii_case("utc") {
            return Ok(Offset(0));
        }
        let bad = || Error::Invalid(format!("time zone '{s}' is not a fixed offset like +02:00"));
        let t = t.strip_prefix("UTC").unwrap_or(t);
        let (sign, rest) = match t.as_bytes().first() {
            Some(b'+') => (1, &t[1..]),
            Some(b'-') => (-1, &t[1..]),
            _ => return Err(bad()),
        };
        let (h, m) = match rest.split_once(':') {
            Some((h, m)) => (h, m),
            None if rest.len() == 4 => (&rest[..2], &rest[2..]),
            None => (rest, "0"),
        };
        let h: i64 = h.parse().map_err(|_| bad())?;
        let m: i64 = m.parse().map_err(|_| bad())?;
        if h > 14 || m > 59 {
            return Err(bad());
        }
        Ok(Offset(sign * (h * 3600 + m * 60)))
    }

    /// Offset in microseconds.
    pub fn micros(self) -> i64 {
        self.0 * 1_000_000
    }
}

/// Formats a UTC instant (microseconds) as RFC 3339.
pub fn rfc3339(utc: i64) -> String {
    let days = utc.div_euclid(DAY);
    let rem = utc.rem_euclid(DAY);
    let (y, m, d) = civil_from_days(days);
    let secs = rem / 1_000_000;
    let micros = rem % 1_000_000;
    let (hh, mm, ss) = (secs / 3600, secs / 60 % 60, secs % 60);
    if micros == 0 {
        format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.{micros:06}Z")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(y: i64, m: u32, d: u32) -> i64 {
        days_from_civil(y, m, d).expect("valid date") * DAY
    }

    fn label(grain: Grain, fiscal: u32, y: i64, m: u32, d: u32) -> String {
        let c = Calendar::new(grain, fiscal);
        c.label(c.period(local(y, m, d)))
    }

    #[test]
    fn labels() {
        assert_eq!(label(Grain::Day, 1, 2026, 3, 15), "2026-03-15");
        assert_eq!(label(Grain::Month, 1, 2026, 3, 15), "2026-03");
        assert_eq!(label(Grain::Quarter, 1, 2026, 3, 31), "2026-Q1");
        assert_eq!(label(Grain::Quarter, 1, 2026, 4, 1), "2026-Q2");
        assert_eq!(label(Grain::Year, 1, 2026, 12, 31), "2026");
        // ISO weeks: 2026-03-15 is a Sunday in week 11; 2021-01-03 belongs to 2020-W53;
        // 2024-12-30 (Monday) to 2025-W01.
        assert_eq!(label(Grain::Week, 1, 2026, 3, 15), "2026-W11");
        assert_eq!(label(Grain::Week, 1, 2026, 3, 16), "2026-W12");
        assert_eq!(label(Grain::Week, 1, 2021, 1, 3), "2020-W53");
        assert_eq!(label(Grain::Week, 1, 2024, 12, 30), "2025-W01");
        // Fiscal year starting in April, named by the year it ends in.
        assert_eq!(label(Grain::Quarter, 4, 2026, 4, 1), "2027-Q1");
        assert_eq!(label(Grain::Quarter, 4, 2026, 3, 31), "2026-Q4");
        assert_eq!(label(Grain::Year, 4, 2026, 3, 31), "2026");
        assert_eq!(label(Grain::Year, 4, 2026, 4, 1), "2027");
    }

    #[test]
    fn starts() {
        let c = Calendar::new(Grain::Week, 1);
        let p = c.period(local(2026, 3, 15));
        assert_eq!(c.start(p), local(2026, 3, 9));
        assert_eq!(c.end(p), local(2026, 3, 16));
        let q = Calendar::new(Grain::Quarter, 4);
        let p = q.period(local(2026, 5, 20));
        assert_eq!(q.start(p), local(2026, 4, 1));
        assert_eq!(q.end(p), local(2026, 7, 1));
        assert_eq!(q.month_span(p), Some((2026 * 12 + 3, 2026 * 12 + 5)));
    }

    #[test]
    fn offsets() {
        assert_eq!(Offset::parse("+02:00").ok(), Some(Offset(7200)));
        assert_eq!(Offset::parse("-0530").ok(), Some(Offset(-19_800)));
        assert_eq!(Offset::parse("UTC").ok(), Some(Offset(0)));
        assert!(Offset::parse("Europe/Paris").is_err());
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    }
}
