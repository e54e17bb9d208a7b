//! What a report is asked for: grain, breakdown, as-of date and time zone,
//! read from the text options the command line and the page give.

use crate::engine::time::{DAY, Grain, Offset};
use crate::error::{Error, Result};
use crate::load::values::{DateOrder, parse_time};

/// What a report is asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// Period size.
    pub grain: Grain,
    /// Breakdown dimension.
    pub by: Option<String>,
    /// Explicit as-of date (days since 1970-01-01), end of that day.
    pub as_of: Option<i64>,
    /// Report time zone.
    pub tz: Offset,
    /// The review period's label (`2026-05`); the default review period
    /// when absent (`docs/review.md`).
    pub period: Option<String>,
}

impl Default for Request {
    fn default() -> Self {
        Request {
            grain: Grain::Month,
            by: None,
            as_of: None,
            tz: Offset(0),
            period: None,
        }
    }
}

impl Request {
    /// The same request reviewing another period (a label such as
    /// `2026-05`; empty text is the default).
    pub fn with_period(mut self, period: Option<&str>) -> Request {
        self.period = period
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned);
        self
    }

    /// Builds a request from text options as the command line and the page
    /// give them; absent options take their defaults.
    pub fn parse(
        grain: Option<&str>,
        by: Option<&str>,
        as_of: Option<&str>,
        tz: Option<&str>,
    ) -> Result<Request> {
        let mut r = Request::default();
        if let Some(g) = grain.filter(|g| !g.trim().is_empty()) {
            r.grain = g.parse()?;
        }
        r.by = by
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .map(str::to_owned);
        if let Some(d) = as_of.map(str::trim).filter(|d| !d.is_empty()) {
            let p = parse_time(d, DateOrder::MonthFirst)
                .filter(|p| p.micros % DAY == 0 && !p.has_offset)
                .ok_or_else(|| {
                    Error::Invalid(format!("as-of '{d}' is not a date like 2026-06-30"))
                })?;
            r.as_of = Some(p.micros / DAY);
        }
        if let Some(t) = tz {
            r.tz = Offset::parse(t)?;
        }
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Options as `(grain, by, as_of, tz)`.
    type Options<'a> = (
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
    );

    fn check(options: Options, expected: std::result::Result<Request, &str>) {
        let (grain, by, as_of, tz) = options;
        let actual = Request::parse(grain, by, as_of, tz).map_err(|e| e.to_string());
        match (actual, expected) {
            (Ok(a), Ok(e)) => assert_eq!(a, e, "{options:?}"),
            (Err(a), Err(e)) => assert!(a.contains(e), "{options:?}: error '{a}', expected '{e}'"),
            (a, e) => panic!("{options:?}: got {a:?}, expected {e:?}"),
        }
    }

    #[test]
    fn absent_and_blank_options_take_their_defaults() {
        check((None, None, None, None), Ok(Request::default()));
        check(
            (Some(" "), Some("  "), Some(""), None),
            Ok(Request::default()),
        );
        check((None, None, None, Some("")), Ok(Request::default()));
    }

    #[test]
    fn options_are_read() {
        check(
            (
                Some("week"),
                Some(" channel "),
                Some("2026-06-30"),
                Some("+02:00"),
            ),
            Ok(Request {
                grain: Grain::Week,
                by: Some("channel".to_owned()),
                // 2026-06-30 is day 20634 after 1970-01-01.
                as_of: Some(20634),
                tz: Offset(7200),
                period: None,
            }),
        );
        check(
            (Some("Quarter"), None, Some("06/30/2026"), Some("-0530")),
            Ok(Request {
                grain: Grain::Quarter,
                as_of: Some(20634),
                tz: Offset(-(5 * 3600 + 30 * 60)),
                ..Request::default()
            }),
        );
    }

    #[test]
    fn bad_options_are_refused() {
        check((Some("fortnight"), None, None, None), Err("fortnight"));
        check(
            (None, None, Some("2026-06-30 12:00"), None),
            Err("as-of '2026-06-30 12:00' is not a date like 2026-06-30"),
        );
        check(
            (None, None, Some("2026-06-30T00:00:00Z"), None),
            Err("is not a date like 2026-06-30"),
        );
        check((None, None, Some("soon"), None), Err("as-of 'soon'"));
        check(
            (None, None, None, Some("Europe/Paris")),
            Err("time zone 'Europe/Paris'"),
        );
    }
}
