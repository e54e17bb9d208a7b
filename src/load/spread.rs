//! A campaign report without a date column — Google Ads, Microsoft Ads and
//! Meta reports aggregated over the date range their banner names (`27
//! January 2026 - 23 February 2026`) — becomes daily spend: each row is
//! repeated for every day of the range, with its amounts and counts (the
//! kind's number roles: cost, impressions, clicks, conversions) divided
//! evenly among the days (`docs/data-model.md`, spend).

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{ArrayRef, TimestampMicrosecondArray};

use super::csv::DateRange;
use super::normalized::Normalized;
use super::pick;
use crate::calendar::DAY;
use crate::error::{Error, Result};
use crate::model::{ColumnInfo, RoleType};

/// The most rows spreading may make: a browser tab must hold them.
const MAX_ROWS: usize = 20_000_000;

/// Spreads every row of `t` over the days of `range` and adds the `date`
/// column, with a note.
pub(super) fn over_range(file: &str, t: &mut Normalized, range: DateRange) -> Result<()> {
    let days = usize::try_from(range.last - range.first + 1).unwrap_or(0);
    if days == 0 || t.rows.saturating_mul(days) > MAX_ROWS {
        return Err(Error::unreadable(
            file,
            format!("the report's date range of {days} day(s) is too long to spread its rows over"),
        ));
    }
    let spec = t.kind.spec();
    let mut spread = Vec::new();
    for (info, array) in t.infos.iter().zip(t.arrays.iter_mut()) {
        let mut taken = pick::rows(
            array.as_ref(),
            (0..t.rows).flat_map(|r| std::iter::repeat_n(r, days)),
        )
        .map_err(|e| Error::unreadable(file, e))?;
        let number = info
            .role
            .as_deref()
            .is_some_and(|r| spec.role_type(r) == Some(RoleType::Number));
        if number && let Some(v) = taken.as_primitive_opt::<Float64Type>() {
            taken = Arc::new(v.unary::<_, Float64Type>(|x| x / days as f64));
            spread.push(info.name.clone());
        }
        *array = taken;
    }
    let dates: ArrayRef = Arc::new(TimestampMicrosecondArray::from_iter_values(
        (0..t.rows).flat_map(|_| (0..days as i64).map(|d| (range.first + d) * DAY)),
    ));
    t.infos.push(ColumnInfo::new(
        String::new(),
        "date".to_owned(),
        Some("date".to_owned()),
        dates.data_type(),
    ));
    t.arrays.push(dates);
    let label = |d: i64| {
        let (y, m, dd) = crate::calendar::civil_from_days(d);
        format!("{y:04}-{m:02}-{dd:02}")
    };
    t.quality.notes.push(format!(
        "no date column: the report covers {} to {} ({}); each row's {} spread evenly over its {days} day(s)",
        label(range.first),
        label(range.last),
        match range.line {
            Some(line) => format!("its banner, line {}", line + 1),
            None => "the date range configured for the file".to_owned(),
        },
        if spread.is_empty() { "values are".to_owned() } else { format!("{} are", spread.join(", ")) },
    ));
    t.rows *= days;
    Ok(())
}
