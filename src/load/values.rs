//! Reading cell text as numbers, flags and times, the way exports write them.
//!
//! Each parser returns `None` for text it does not understand; callers decide
//! whether that is a null or an unparsed cell (see [`is_null_text`]).

use crate::calendar::{DAY, days_from_civil};

/// Text that means "no value" in a number, date or flag column of a real
/// export: empty, `--`, `N/A`, `null`, `NA`, `-`, `none`, `nan`, `#N/A`, …
/// Text columns use the shorter list of [`is_null_label`].
pub fn is_null_text(s: &str) -> bool {
    // The longest spellings, "undefined" and "(not set)", have 9 bytes.
    if s.len() > 9 && !s.starts_with(char::is_whitespace) && !s.ends_with(char::is_whitespace) {
        return false;
    }
    let t = s.trim();
    t.is_empty()
        || matches!(t, "-" | "--" | "—" | "#N/A" | "(not set)" | "(none)")
        || [
            "n/a",
            "na",
            "null",
            "none",
            "nan",
            "nil",
            "undefined",
            "#n/a",
        ]
        .iter()
        .any(|n| t.eq_ignore_ascii_case(n))
}

/// Text that means "no value" in a text column (ids, e-mails, dimensions,
/// names): empty or white space, `--`, `N/A` and `null` in any case. Words
/// such as `NA` (North America), `none` or `-` are values there; only
/// number, date and flag columns read them as null ([`is_null_text`]).
pub fn is_null_label(s: &str) -> bool {
    // The longest spelling, "null", has 4 bytes.
    if s.len() > 4 && !s.starts_with(char::is_whitespace) && !s.ends_with(char::is_whitespace) {
        return false;
    }
    let t = s.trim();
    t.is_empty() || t == "--" || t.eq_ignore_ascii_case("n/a") || t.eq_ignore_ascii_case("null")
}

/// A number as text, in its shortest form: whole numbers without a decimal
/// point (`3`, not `3.0`), as ids and labels read from numeric columns are
/// written in exports.
pub fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        format!("{}", x as i64)
    } else {
        x.to_string()
    }
}

/// Which character separates the decimals in a number column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalMark {
    /// `1,234.56`
    Point,
    /// `1.234,56`
    Comma,
}

/// What one value says about the decimal mark, if anything: `1,234.56`,
/// `2.5` and `1,234,567` say point; `1.234,56`, `0,99` and `1.234.567` say
/// comma; `1,234` and `12.000` (three digits after a lone separator) and
/// plain integers say nothing.
pub fn decimal_evidence(v: &str) -> Option<DecimalMark> {
    let v = v.trim();
    let (c, p) = (v.rfind(','), v.rfind('.'));
    let digits_after = |i: usize| {
        v.get(i + 1..)
            .map_or(0, |r| r.chars().take_while(char::is_ascii_digit).count())
    };
    match (c, p) {
        (Some(c), Some(p)) if p > c => Some(DecimalMark::Point),
        (Some(_), Some(_)) => Some(DecimalMark::Comma),
        (Some(_), None) if v.matches(',').count() > 1 => Some(DecimalMark::Point),
        (Some(c), None) => (digits_after(c) != 3).then_some(DecimalMark::Comma),
        (None, Some(_)) if v.matches('.').count() > 1 => Some(DecimalMark::Comma),
        (None, Some(p)) => (digits_after(p) != 3).then_some(DecimalMark::Point),
        (None, None) => None,
    }
}

/// Counts what the values of a column say about the decimal mark: (point,
/// comma) votes among all its values that read as numbers.
pub fn decimal_votes<'a>(values: impl Iterator<Item = &'a str>) -> (usize, usize) {
    let (mut point, mut comma) = (0, 0);
    for v in values {
        if is_null_text(v) {
            continue;
        }
        match decimal_evidence(v) {
            Some(DecimalMark::Point) if parse_number(v, DecimalMark::Point).is_some() => point += 1,
            Some(DecimalMark::Comma) if parse_number(v, DecimalMark::Comma).is_some() => comma += 1,
            _ => {}
        }
    }
    (point, comma)
}

/// The mark most votes name, or `None` without votes.
pub fn decide_mark((point, comma): (usize, usize)) -> Option<DecimalMark> {
    match point.cmp(&comma) {
        std::cmp::Ordering::Greater => Some(DecimalMark::Point),
        std::cmp::Ordering::Less => Some(DecimalMark::Comma),
        std::cmp::Ordering::Equal => None,
    }
}

/// Parses an amount or count: thousands separators, currency symbols or
/// codes, a trailing `%` (divided by 100), parentheses or a leading minus for
/// negatives.
pub fn parse_number(s: &str, mark: DecimalMark) -> Option<f64> {
    let mut t = s.trim();
    let mut negative = false;
    if let Some(inner) = t.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        negative = true;
        t = inner.trim();
    }
    let mut percent = false;
    if let Some(x) = t.strip_suffix('%') {
        percent = true;
        t = x.trim_end();
    }
    // Currency: written signs (`R$`, `kr`), symbols anywhere at the ends,
    // three-letter codes before or after.
    t = strip_currency_signs(t);
    t = t.trim_matches(|c: char| "$€£¥₹₩₽₺₪₫฿".contains(c) || c.is_whitespace());
    if t.len() > 3 {
        let code = |x: &str| x.bytes().all(|c| c.is_ascii_uppercase());
        let split = t.len() - 3;
        if let (Some(head), Some(rest)) = (t.get(..3), t.get(3..))
            && code(head)
        {
            t = rest.trim_start();
        } else if let (Some(rest), Some(tail)) = (t.get(..split), t.get(split..))
            && code(tail)
        {
            t = rest.trim_end();
        }
        t = t.trim_matches(|c: char| "$€£¥₹".contains(c) || c.is_whitespace());
    }
    if let Some(x) = t.strip_prefix('-') {
        negative = !negative;
        t = x.trim_start();
    } else if let Some(x) = t.strip_prefix('+') {
        t = x;
    }
    let (thousands, decimal) = match mark {
        DecimalMark::Point => (',', '.'),
        DecimalMark::Comma => ('.', ','),
    };
    if !well_grouped(t, thousands, decimal) {
        return None;
    }
    let mut buf = String::with_capacity(t.len());
    for c in t.chars() {
        if c == thousands || c == ' ' || c == '\u{a0}' || c == '\u{202f}' || c == '\'' {
            continue;
        }
        buf.push(if c == decimal { '.' } else { c });
    }
    if buf.is_empty() || !buf.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    if !buf
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
    {
        return None;
    }
    let mut v: f64 = buf.parse().ok()?;
    if !v.is_finite() {
        return None;
    }
    if negative {
        v = -v;
    }
    if percent {
        v /= 100.0;
    }
    Some(v)
}

/// Currency signs of more than one character, written before or after
/// amounts: `R$ 100.000`, `US$ 12`, `120 kr`, `99 zł`.
const CURRENCY_SIGNS: [&str; 19] = [
    "R$", "US$", "AU$", "A$", "CA$", "C$", "NZ$", "HK$", "S$", "MX$", "NT$", "kr.", "kr", "zł",
    "Kč", "Rs.", "Rs", "Fr.", "Ft",
];

/// `t` without a currency sign of [`CURRENCY_SIGNS`] before its digits or
/// after them (the sign and the number may be apart by spaces).
fn strip_currency_signs(t: &str) -> &str {
    let starts_number = |r: &str| {
        r.trim_start()
            .starts_with(|c: char| c.is_ascii_digit() || "-+(.,".contains(c))
    };
    let ends_number = |r: &str| {
        r.trim_end()
            .ends_with(|c: char| c.is_ascii_digit() || c == '%')
    };
    for sign in CURRENCY_SIGNS {
        if let Some(rest) = t.strip_prefix(sign)
            && starts_number(rest)
        {
            return rest.trim_start();
        }
        if let Some(rest) = t.strip_suffix(sign)
            && ends_number(rest)
        {
            return rest.trim_end();
        }
    }
    t
}

/// Whether text is a censored value — a bound instead of the number, as
/// analytics exports write small counts they withhold: `< 10%`, `<10`,
/// `> 1000`, `≤ 5`. Such cells are null, and counted.
pub fn is_censored(s: &str) -> bool {
    let t = s.trim();
    let Some(rest) = ['<', '>', '≤', '≥']
        .iter()
        .find_map(|c| t.strip_prefix(*c))
        .map(|r| r.trim_start_matches('=').trim_start())
    else {
        return false;
    };
    parse_number(rest, DecimalMark::Point).is_some()
        || parse_number(rest, DecimalMark::Comma).is_some()
}

/// Whether a value's separators can be read both ways: one `,` or `.` with
/// exactly three digits after it and at most three before (`1.234`,
/// `12,000`), a thousands separator or a decimal mark.
pub fn is_ambiguous_number(v: &str) -> bool {
    let v = v.trim();
    let digits: String = v
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, ',' | '.'))
        .collect();
    let seps = digits.matches([',', '.']).count();
    match digits.find([',', '.']) {
        Some(i) if seps == 1 => (1..=3).contains(&i) && digits.len() - i - 1 == 3,
        _ => false,
    }
}

/// Whether the thousands separators of a number's integer part group its
/// digits as people write them: three digits after the last one, two or
/// three between (Indian lakhs: `1,23,456`), one to three before the first.
/// `0.5` read with a decimal comma is not `05`.
fn well_grouped(t: &str, thousands: char, decimal: char) -> bool {
    let int = t.split(decimal).next().unwrap_or(t);
    let groups: Vec<usize> = int
        .split(thousands)
        .map(|g| g.chars().filter(char::is_ascii_digit).count())
        .collect();
    match groups[..] {
        [_] => true,
        [first, ref middle @ .., last] => {
            (1..=3).contains(&first) && last == 3 && middle.iter().all(|g| (2..=3).contains(g))
        }
        [] => true,
    }
}

/// Parses a flag: `true/false`, `yes/no`, `y/n`, `t/f`, `1/0`.
pub fn parse_bool(s: &str) -> Option<bool> {
    let t = s.trim();
    const TRUE: [&str; 6] = ["true", "yes", "y", "t", "1", "x"];
    const FALSE: [&str; 5] = ["false", "no", "n", "f", "0"];
    if TRUE.iter().any(|v| t.eq_ignore_ascii_case(v)) {
        Some(true)
    } else if FALSE.iter().any(|v| t.eq_ignore_ascii_case(v)) {
        Some(false)
    } else {
        None
    }
}

/// Order of day and month in slash or dot dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// `03/15/2026` (US)
    MonthFirst,
    /// `15/03/2026` (most of Europe)
    DayFirst,
}

/// A parsed time: microseconds since the epoch, and whether the text carried
/// a UTC offset (an instant) or not (wall-clock time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedTime {
    /// Microseconds since 1970-01-01T00:00:00 (UTC for instants, wall clock otherwise).
    pub micros: i64,
    /// Whether the text named its offset (`Z`, `+02:00`, `UTC`).
    pub has_offset: bool,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// The numeric parts of a date in the text, before deciding on the order.
#[derive(Debug, Clone, Copy)]
struct DateParts {
    a: u32,
    b: u32,
    year: i64,
    /// Whether `a`/`b` are ambiguous (slash or dot format) rather than ISO.
    ordered: bool,
}

/// Splits `s` into a date part and the rest (time of day and offset).
fn split_date(s: &str) -> Option<(DateParts, &str)> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<u32> {
        let part = s.get(from..from + len)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    // ISO: YYYY-MM-DD or YYYY/MM/DD
    if b.len() >= 10 && (b[4] == b'-' || b[4] == b'/') && b[7] == b[4] {
        let year = num(0, 4)? as i64;
        return Some((
            DateParts {
                a: num(5, 2)?,
                b: num(8, 2)?,
                year,
                ordered: true,
            },
            &s[10..],
        ));
    }
    // ISO basic: YYYYMMDD
    if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        return Some((
            DateParts {
                a: num(4, 2)?,
                b: num(6, 2)?,
                year: num(0, 4)? as i64,
                ordered: true,
            },
            "",
        ));
    }
    // D/M/Y, M/D/Y, D.M.Y, D-M-Y with one- or two-digit parts and a 4- or 2-digit year
    let sep = *b.iter().find(|c| matches!(c, b'/' | b'.' | b'-'))?;
    let mut parts = s.splitn(3, sep as char);
    let p1 = parts.next()?;
    let p2 = parts.next()?;
    let rest = parts.next()?;
    let ylen = rest.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&p1.len()) || !(1..=2).contains(&p2.len()) || !(ylen == 4 || ylen == 2) {
        return None;
    }
    let a: u32 = p1.parse().ok()?;
    let bb: u32 = p2.parse().ok()?;
    let mut year: i64 = rest[..ylen].parse().ok()?;
    if ylen == 2 {
        year += if year < 70 { 2000 } else { 1900 };
    }
    Some((
        DateParts {
            a,
            b: bb,
            year,
            ordered: false,
        },
        &rest[ylen..],
    ))
}

/// Parses "Mar 15, 2026", "15 Mar 2026", "March 15 2026".
fn split_named_month(s: &str) -> Option<(i64, u32, u32, &str)> {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() < 3 {
        return None;
    }
    let month_of = |w: &str| {
        let w = w.to_ascii_lowercase();
        MONTHS
            .iter()
            .position(|m| w.starts_with(m))
            .map(|i| i as u32 + 1)
    };
    let (m, d) = if let Some(m) = month_of(words[0]) {
        (m, words[1].parse().ok()?)
    } else {
        (month_of(words[1])?, words[0].parse().ok()?)
    };
    let y: i64 = words[2].parse().ok()?;
    // The rest after the third word.
    let idx = s.find(words[2])? + words[2].len();
    Some((y, m, d, &s[idx..]))
}

/// Parses a time of day with an optional offset: `T14:22`, ` 14:22:05.123`,
/// ` 2:05 PM`, `Z`, `+02:00`, ` UTC`. Returns micros since midnight and the
/// offset in seconds, if any.
fn parse_time_rest(rest: &str) -> Option<(i64, Option<i64>)> {
    let mut t = rest.trim_start_matches(['T', ' ']);
    if t.is_empty() {
        return Some((0, None));
    }
    let mut micros = 0i64;
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let hl = digits(t);
    if (1..=2).contains(&hl) && t.as_bytes().get(hl) == Some(&b':') {
        let h: i64 = t[..hl].parse().ok()?;
        t = &t[hl + 1..];
        let ml = digits(t);
        if ml != 2 {
            return None;
        }
        let m: i64 = t[..2].parse().ok()?;
        t = &t[2..];
        let mut sec = 0i64;
        let mut frac = 0i64;
        if let Some(x) = t.strip_prefix(':') {
            if digits(x) != 2 {
                return None;
            }
            sec = x[..2].parse().ok()?;
            t = &x[2..];
            if let Some(x) = t.strip_prefix(['.', ',']) {
                let fl = digits(x);
                let f = &x[..fl];
                let mut scaled = 0i64;
                for (i, c) in f.bytes().take(6).enumerate() {
                    scaled += (c - b'0') as i64 * 10i64.pow(5 - i as u32);
                }
                frac = scaled;
                t = &x[fl..];
            }
        }
        let mut h = h;
        let tt = t.trim_start();
        let lower = tt.get(..2).map(str::to_ascii_lowercase);
        match lower.as_deref() {
            Some("am") => {
                if h == 12 {
                    h = 0
                }
                t = &tt[2..];
            }
            Some("pm") => {
                if h < 12 {
                    h += 12
                }
                t = &tt[2..];
            }
            _ => {}
        }
        if h > 23 || m > 59 || sec > 60 {
            return None;
        }
        micros = ((h * 60 + m) * 60 + sec) * 1_000_000 + frac;
    }
    let t = t.trim();
    if t.is_empty() {
        return Some((micros, None));
    }
    if t.eq_ignore_ascii_case("z") || t.eq_ignore_ascii_case("utc") || t.eq_ignore_ascii_case("gmt")
    {
        return Some((micros, Some(0)));
    }
    let t = t
        .strip_prefix("UTC")
        .or_else(|| t.strip_prefix("GMT"))
        .unwrap_or(t);
    let sign = match t.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let o = t[1..].replace(':', "");
    if !(o.len() == 2 || o.len() == 4) || !o.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let oh: i64 = o[..2].parse().ok()?;
    let om: i64 = if o.len() == 4 {
        o[2..].parse().ok()?
    } else {
        0
    };
    Some((micros, Some(sign * (oh * 3600 + om * 60))))
}

/// Parses a date or date-time in the formats exports use. `order` decides
/// between day-first and month-first for slash and dot dates.
pub fn parse_time(s: &str, order: DateOrder) -> Option<ParsedTime> {
    let s = s.trim();
    let (y, m, d, rest) = if let Some((p, rest)) = split_date(s) {
        let (m, d) = if p.ordered {
            (p.a, p.b)
        } else {
            match order {
                DateOrder::MonthFirst => (p.a, p.b),
                DateOrder::DayFirst => (p.b, p.a),
            }
        };
        (p.year, m, d, rest)
    } else {
        split_named_month(s)?
    };
    let days = days_from_civil(y, m, d)?;
    let (tod, offset) = parse_time_rest(rest)?;
    let mut micros = days * DAY + tod;
    if let Some(o) = offset {
        micros -= o * 1_000_000;
    }
    Some(ParsedTime {
        micros,
        has_offset: offset.is_some(),
    })
}

/// Month names, full, for [`split_year_month`].
const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A month written without a day, as snapshot and report exports write
/// months: `2026-01`, `2026/1`, `01/2026`, `1-2026` (a four-digit year and a
/// month joined by `-` or `/`, either order), `Jan 2026`, `January 2026`,
/// `Sept. 2026`, `Jan-2026`. Dots never join a month and a year (`1.2026` and
/// `2026.01` are numbers), and a two-digit year is not a year (`Jan 26` may be
/// a day).
fn split_year_month(s: &str) -> Option<(i64, u32)> {
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit());
    if let Some((x, y)) = s.split_once(['-', '/'])
        && digits(x)
        && digits(y)
    {
        let (year, month) = match (x.len(), y.len()) {
            (4, 1..=2) => (x, y),
            (1..=2, 4) => (y, x),
            _ => return None,
        };
        return Some((year.parse().ok()?, month.parse().ok()?));
    }
    let mut words = s
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '-' | '/'))
        .filter(|w| !w.is_empty());
    let (name, year) = (words.next()?, words.next()?);
    if words.next().is_some() || year.len() != 4 || !digits(year) {
        return None;
    }
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    let month = MONTHS
        .iter()
        .position(|m| *m == name)
        .or_else(|| MONTH_NAMES.iter().position(|m| *m == name))
        .or_else(|| (name == "sept").then_some(8))?;
    Some((year.parse().ok()?, month as u32 + 1))
}

/// [`parse_time`], and a month without a day (`2026-01`, `Jan 2026`, see
/// `split_year_month`) as the midnight starting its first day: what a
/// revenue `month` column means by "any date in the month".
pub fn parse_time_or_month(s: &str, order: DateOrder) -> Option<ParsedTime> {
    parse_time(s, order).or_else(|| {
        let (y, m) = split_year_month(s.trim())?;
        Some(ParsedTime {
            micros: days_from_civil(y, m, 1)? * DAY,
            has_offset: false,
        })
    })
}

/// A calendar day written alone (`2026-03-15`, `20260315`, `March 15, 2026`,
/// `15 March 2026`, `3/15/2026`): days since 1970-01-01. Slash and dot dates
/// are month first unless the first part is above 12.
pub fn parse_day(s: &str) -> Option<i64> {
    let s = s.trim().trim_matches('"').trim();
    let order = match date_order_evidence(std::iter::once(s)) {
        OrderEvidence::DayFirst => DateOrder::DayFirst,
        _ => DateOrder::MonthFirst,
    };
    let p = parse_time(s, order)?;
    (p.micros.rem_euclid(DAY) == 0).then(|| p.micros.div_euclid(DAY))
}

/// A date range as report banners write it: two days ([`parse_day`]) joined
/// by `-`, `–`, `—` or `to`, after an optional label (`Report Time:`,
/// `Date range:`), such as `27 January 2026 - 23 February 2026` or `"March
/// 27, 2026 - April 23, 2026"`. Returns the first and last day (days since
/// the epoch), the first not after the last.
pub fn parse_date_range(s: &str) -> Option<(i64, i64)> {
    let s = s.trim().trim_matches('"').trim();
    let candidates = std::iter::once(s).chain(s.split_once(':').map(|(_, rest)| rest.trim()));
    for t in candidates {
        for sep in [" - ", " – ", " — ", " to ", "–", "—"] {
            if let Some((a, b)) = t.split_once(sep)
                && let (Some(a), Some(b)) = (parse_day(a), parse_day(b))
                && a <= b
            {
                return Some((a, b));
            }
        }
        // Slash or ISO dates joined by a bare hyphen: `3/1/2026-3/31/2026`.
        if let Some((a, b)) = split_bare_hyphen(t)
            && a <= b
        {
            return Some((a, b));
        }
    }
    None
}

/// Two days joined by a hyphen without spaces, tried at every hyphen.
fn split_bare_hyphen(t: &str) -> Option<(i64, i64)> {
    t.match_indices('-').find_map(|(i, _)| {
        let a = parse_day(t.get(..i)?)?;
        let b = parse_day(t.get(i + 1..)?)?;
        Some((a, b))
    })
}

/// What the values of a slash/dot date column say about day/month order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderEvidence {
    /// Some first part is above 12: day first.
    DayFirst,
    /// Some second part is above 12: month first.
    MonthFirst,
    /// No slash/dot dates, or all parts ≤ 12.
    Ambiguous,
    /// No slash or dot dates at all (ISO or named months).
    NotNeeded,
}

/// Looks at a column's values to tell day-first from month-first.
pub fn date_order_evidence<'a>(values: impl Iterator<Item = &'a str>) -> OrderEvidence {
    let mut any = false;
    for v in values {
        if let Some((p, _)) = split_date(v.trim()) {
            if p.ordered {
                continue;
            }
            any = true;
            if p.a > 12 && p.b <= 12 {
                return OrderEvidence::DayFirst;
            }
            if p.b > 12 && p.a <= 12 {
                return OrderEvidence::MonthFirst;
            }
        }
    }
    if any {
        OrderEvidence::Ambiguous
    } else {
        OrderEvidence::NotNeeded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Option<f64> {
        parse_number(s, DecimalMark::Point)
    }

    #[test]
    fn numbers() {
        assert_eq!(num("1,234.50"), Some(1234.5));
        assert_eq!(num("$1,234"), Some(1234.0));
        assert_eq!(num("2.5%"), Some(0.025));
        assert_eq!(num("(12)"), Some(-12.0));
        assert_eq!(num("-3"), Some(-3.0));
        assert_eq!(num("USD 10"), Some(10.0));
        assert_eq!(num("10 EUR"), Some(10.0));
        assert_eq!(num("abc"), None);
        assert_eq!(num(""), None);
        assert_eq!(
            parse_number("1.234,56 €", DecimalMark::Comma),
            Some(1234.56)
        );
        assert_eq!(parse_number("0,5", DecimalMark::Comma), Some(0.5));
    }

    #[test]
    fn numbers_as_people_write_them() {
        let comma = |s: &str| parse_number(s, DecimalMark::Comma);
        assert_eq!(comma("146536,25"), Some(146_536.25));
        assert_eq!(comma("R$ 100.000"), Some(100_000.0));
        assert_eq!(comma("R$100.000,50"), Some(100_000.5));
        assert_eq!(comma("€1.234,50"), Some(1234.5));
        assert_eq!(comma("1 234,50 €"), Some(1234.5));
        assert_eq!(comma("1\u{a0}234,50"), Some(1234.5));
        assert_eq!(comma("1\u{202f}234,50"), Some(1234.5));
        assert_eq!(comma("120 kr"), Some(120.0));
        assert_eq!(num("1,234.50 USD"), Some(1234.5));
        assert_eq!(num("US$ 12.5"), Some(12.5));
        assert_eq!(
            num("-R$ 3"),
            None,
            "a sign before the currency is not a number we read"
        );
        assert_eq!(num("R$"), None);
        assert_eq!(num("Rs"), None);
        assert_eq!(num("Krona"), None);
        // Thousands separators group digits by three (or two, in lakhs).
        assert_eq!(comma("0.5"), None);
        assert_eq!(comma("1.25"), None);
        assert_eq!(num("1,5"), None);
        assert_eq!(num("1,23,456.5"), Some(123_456.5));
        assert_eq!(num("12,345,678"), Some(12_345_678.0));
    }

    #[test]
    fn censored_and_ambiguous() {
        for s in ["< 10%", "<10", "> 1000", "≤ 5", "<= 5", ">1,5"] {
            assert!(is_censored(s), "{s}");
        }
        for s in ["10", "<", "< x", "<<", "10 <"] {
            assert!(!is_censored(s), "{s}");
        }
        for s in ["1.234", "12,000", "R$ 100.000", "€1,500"] {
            assert!(is_ambiguous_number(s), "{s}");
        }
        for s in [
            "1234",
            "1.5",
            "12,50",
            "1,234.5",
            "1.234.567",
            "1234,567",
            "0.1234",
        ] {
            assert!(!is_ambiguous_number(s), "{s}");
        }
    }

    #[test]
    fn numbers_with_multibyte_text_do_not_panic() {
        for s in ["a€bc", "€€€€1", "1€€€", "ÄÖÜ12", "12ÄÖÜ", "é1é", "USD€"]
        {
            let _ = parse_number(s, DecimalMark::Point);
            let _ = parse_number(s, DecimalMark::Comma);
            let _ = decimal_evidence(s);
        }
        assert_eq!(parse_number("12 EUR", DecimalMark::Comma), Some(12.0));
    }

    #[test]
    fn odd_text_does_not_panic() {
        for s in [
            "Tota€l",
            "€€€€€€",
            "2026-03-01€",
            "12:3€",
            "Mar 15, 20€6",
            "+0€:00",
            "€-2026",
            "2026/€",
            "Jü 2026",
            "n/€",
        ] {
            let _ = parse_time(s, DateOrder::DayFirst);
            let _ = parse_time_or_month(s, DateOrder::DayFirst);
            let _ = is_null_text(s);
            let _ = is_null_label(s);
        }
    }

    #[test]
    fn decimal_evidence_per_value() {
        let e = decimal_evidence;
        assert_eq!(e("2.51%"), Some(DecimalMark::Point));
        assert_eq!(e("1,234.56"), Some(DecimalMark::Point));
        assert_eq!(e("1,234,567"), Some(DecimalMark::Point));
        assert_eq!(e("€1.234,56"), Some(DecimalMark::Comma));
        assert_eq!(e("0,99"), Some(DecimalMark::Comma));
        assert_eq!(e("1.234.567"), Some(DecimalMark::Comma));
        assert_eq!(e("12.000"), None);
        assert_eq!(e("1,234"), None);
        assert_eq!(e("850"), None);
    }

    /// The decimal mark of a column from its values alone; point when they
    /// do not tell.
    fn guess_decimal_mark<'a>(values: impl Iterator<Item = &'a str>) -> DecimalMark {
        decide_mark(decimal_votes(values)).unwrap_or(DecimalMark::Point)
    }

    #[test]
    fn decimal_marks() {
        assert_eq!(
            guess_decimal_mark(["1,234", "12"].into_iter()),
            DecimalMark::Point
        );
        assert_eq!(guess_decimal_mark(["1,5"].into_iter()), DecimalMark::Comma);
        assert_eq!(
            guess_decimal_mark(["1.234,56"].into_iter()),
            DecimalMark::Comma
        );
        assert_eq!(
            guess_decimal_mark(["1,234.56"].into_iter()),
            DecimalMark::Point
        );
    }

    fn t(s: &str, order: DateOrder) -> Option<(i64, bool)> {
        parse_time(s, order).map(|p| (p.micros, p.has_offset))
    }

    #[test]
    fn times() {
        let day = 86_400_000_000i64;
        // 2026-03-15 is day 20527 since the epoch.
        let d = 20_527 * day;
        assert_eq!(t("2026-03-15", DateOrder::MonthFirst), Some((d, false)));
        assert_eq!(t("2026/03/15", DateOrder::MonthFirst), Some((d, false)));
        assert_eq!(t("03/15/2026", DateOrder::MonthFirst), Some((d, false)));
        assert_eq!(t("15/03/2026", DateOrder::DayFirst), Some((d, false)));
        assert_eq!(t("15.03.2026", DateOrder::DayFirst), Some((d, false)));
        assert_eq!(t("Mar 15, 2026", DateOrder::DayFirst), Some((d, false)));
        let h = 3_600_000_000i64;
        assert_eq!(
            t("2026-03-15 14:22:05", DateOrder::MonthFirst),
            Some((d + 14 * h + 22 * 60_000_000 + 5_000_000, false))
        );
        assert_eq!(
            t("2026-03-15T14:00:00Z", DateOrder::MonthFirst),
            Some((d + 14 * h, true))
        );
        assert_eq!(
            t("2026-03-15T14:00:00+02:00", DateOrder::MonthFirst),
            Some((d + 12 * h, true))
        );
        assert_eq!(
            t("2026-03-15T14:00:00.5", DateOrder::MonthFirst),
            Some((d + 14 * h + 500_000, false))
        );
        assert_eq!(
            t("3/15/2026 2:30 PM", DateOrder::MonthFirst),
            Some((d + 14 * h + 30 * 60_000_000, false))
        );
        assert_eq!(t("2026-02-30", DateOrder::MonthFirst), None);
        assert_eq!(t("hello", DateOrder::MonthFirst), None);
        assert_eq!(t("1970-01-01", DateOrder::MonthFirst), Some((0, false)));
    }

    #[test]
    fn order_evidence() {
        assert_eq!(
            date_order_evidence(["01/02/2026", "13/02/2026"].into_iter()),
            OrderEvidence::DayFirst
        );
        assert_eq!(
            date_order_evidence(["01/02/2026", "02/13/2026"].into_iter()),
            OrderEvidence::MonthFirst
        );
        assert_eq!(
            date_order_evidence(["01/02/2026"].into_iter()),
            OrderEvidence::Ambiguous
        );
        assert_eq!(
            date_order_evidence(["2026-01-02"].into_iter()),
            OrderEvidence::NotNeeded
        );
    }

    #[test]
    fn months_without_a_day() {
        let day = 86_400_000_000i64;
        // 2026-01-01 is day 20454 since the epoch (56 years, 14 leap days).
        let jan = 20_454 * day;
        let month = |s: &str| {
            parse_time_or_month(s, DateOrder::MonthFirst).map(|p| (p.micros, p.has_offset))
        };
        for s in [
            "2026-01",
            "2026/01",
            "2026-1",
            "01/2026",
            "1-2026",
            " 2026-01 ",
            "Jan 2026",
            "jan 2026",
            "JANUARY 2026",
            "Jan. 2026",
            "Jan-2026",
            "January, 2026",
        ] {
            assert_eq!(month(s), Some((jan, false)), "{s}");
        }
        // 2025-12-01 is 31 days before 2026-01-01; 2026-09-01 is day 20697.
        assert_eq!(month("12-2025"), Some((jan - 31 * day, false)));
        assert_eq!(month("Sept 2026"), Some((20_697 * day, false)));
        assert_eq!(month("September 2026"), Some((20_697 * day, false)));
        // Days and times are still what parse_time reads.
        assert_eq!(month("2026-01-01"), Some((jan, false)));
        assert_eq!(month("2026-01-01T01:00:00Z"), Some((jan + day / 24, true)));
        // Not months: numbers, months out of range, two-digit years, words.
        for s in [
            "2026",
            "202601",
            "1.2026",
            "2026.01",
            "2026-13",
            "13/2026",
            "2026-00",
            "26-01",
            "01-26",
            "Jan 26",
            "Janx 2026",
            "2026 Jan",
            "-2026",
            "2026-",
            "Jan 2026 x",
            "2026-01-",
            "Total",
        ] {
            assert_eq!(month(s), None, "{s}");
        }
        // parse_time itself (the as-of date) still wants a day.
        assert_eq!(t("2026-01", DateOrder::MonthFirst), None);
        assert_eq!(t("Jan 2026", DateOrder::MonthFirst), None);
        // A month column says nothing about day/month order.
        assert_eq!(
            date_order_evidence(["01/2026", "2026-01"].into_iter()),
            OrderEvidence::NotNeeded
        );
    }

    #[test]
    fn null_labels() {
        for s in [
            "", " ", "\t", "--", " -- ", "N/A", "n/a", "null", "NULL", "Null",
        ] {
            assert!(is_null_label(s), "{s:?}");
        }
        for s in [
            "NA",
            "na",
            "none",
            "None",
            "-",
            "—",
            "nan",
            "nil",
            "undefined",
            "(not set)",
            "(none)",
            "#N/A",
            "0",
            "---",
            "nulls",
        ] {
            assert!(!is_null_label(s), "{s:?}");
        }
    }

    #[test]
    fn nulls() {
        for s in ["", " ", "--", "N/A", "null", "NULL", "none"] {
            assert!(is_null_text(s), "{s}");
        }
        assert!(!is_null_text("0"));
    }
}
