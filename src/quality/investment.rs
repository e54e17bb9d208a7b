//! Data-quality findings of budgets and deals (`docs/data-model.md`): deals
//! closed without a close date, open deals whose expected close date has
//! passed, and budget months without spend and spend months without budget.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::engine::columns::{Flag, flags, numbers, text_values, times};
use crate::engine::time::{Calendar, DAY, Grain, NONE};
use crate::model::{Table, TableKind};

/// How many month × channel pairs of each side are listed.
const MAX_PAIRS: usize = 20;

/// The label of a missing or empty channel, as segments write it.
const NO_CHANNEL: &str = "(none)";

/// What the deals of one table say about their dates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct DealDates {
    /// Closed deals (`won` not null) without a `closed_at`.
    pub closed_without_close_date: usize,
    /// Open deals whose expected close date is on a day before the as-of's.
    pub open_past_close_date: usize,
}

/// The deal findings of a deals table, as of `as_of` (local µs, inclusive).
pub(super) fn deal_dates(t: &Table, offset: i64, as_of: i64) -> DealDates {
    let rows = t.rows();
    let won = flags(&[t], "won").unwrap_or_else(|| vec![Flag::Null; rows]);
    let closed_at = times(&[t], "closed_at", offset).unwrap_or_else(|| vec![NONE; rows]);
    count_deal_dates(&won, &closed_at, as_of)
}

/// [`deal_dates`] over a table's `won` flags and `closed_at` local times.
fn count_deal_dates(won: &[Flag], closed_at: &[i64], as_of: i64) -> DealDates {
    let today = as_of.div_euclid(DAY);
    let mut out = DealDates::default();
    for (w, c) in won.iter().zip(closed_at) {
        match (w, *c) {
            (Flag::True | Flag::False, NONE) => out.closed_without_close_date += 1,
            (Flag::Null, c) if c != NONE && c.div_euclid(DAY) < today => {
                out.open_past_close_date += 1;
            }
            _ => {}
        }
    }
    out
}

/// Budget and spend compared month by month (per channel where both tables
/// have one), up to the as-of.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetVsSpend {
    /// Whether months are compared per channel: budget and spend both have a
    /// channel column.
    pub by_channel: bool,
    /// Months (× channel) with a budget but no spend.
    pub budget_without_spend: MonthGaps,
    /// Months (× channel) with spend but no budget.
    pub spend_without_budget: MonthGaps,
}

/// Months (× channel) that one side has and the other lacks.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MonthGaps {
    /// How many.
    pub count: usize,
    /// The first of them, in month then channel order (at most 20).
    pub months: Vec<MonthChannel>,
}

/// A month, and a channel when months are compared per channel.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct MonthChannel {
    /// The month (`2026-03`).
    pub month: String,
    /// The channel (`(none)` for rows without one); absent when months are
    /// not compared per channel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
}

/// Budget against spend over the loaded tables; `None` unless both kinds are
/// loaded and one side has months the other lacks. A month counts on a side
/// when it has a row with a non-zero amount (`budget`, `cost`); budget months
/// starting after the as-of and spend after it are left out.
pub(super) fn budget_vs_spend(tables: &[Table], offset: i64, as_of: i64) -> Option<BudgetVsSpend> {
    let of = |kind| -> Vec<&Table> { tables.iter().filter(|t| t.kind == kind).collect() };
    let (budget, spend) = (of(TableKind::Budget), of(TableKind::Spend));
    if budget.is_empty() || spend.is_empty() {
        return None;
    }
    let by_channel =
        budget.iter().all(|t| t.has("channel")) && spend.iter().all(|t| t.has("channel"));
    let planned = months(&budget, "month", "budget", by_channel, offset, as_of);
    let spent = months(&spend, "date", "cost", by_channel, offset, as_of);
    let budget_without_spend = gaps(planned.difference(&spent));
    let spend_without_budget = gaps(spent.difference(&planned));
    (budget_without_spend.count + spend_without_budget.count > 0).then_some(BudgetVsSpend {
        by_channel,
        budget_without_spend,
        spend_without_budget,
    })
}

/// The (month, channel) keys of tables' rows with a non-zero `amount`, their
/// month from `time`; a spend row counts up to `as_of`, a budget month when
/// it starts by then. The channel is empty unless `by_channel`.
fn months(
    tables: &[&Table],
    time: &str,
    amount: &str,
    by_channel: bool,
    offset: i64,
    as_of: i64,
) -> BTreeSet<(i32, String)> {
    let month = Calendar::new(Grain::Month, 1);
    let mut out = BTreeSet::new();
    for t in tables {
        let (Some(at), Some(value)) = (times(&[t], time, offset), numbers(&[t], amount)) else {
            continue;
        };
        let channels = match (by_channel, t.column("channel")) {
            (true, Some(c)) => text_values(c),
            _ => vec![None; t.rows()],
        };
        for ((at, v), c) in at.iter().zip(&value).zip(channels) {
            if *at == NONE || v.is_nan() || *v == 0.0 {
                continue;
            }
            let m = month.period(*at);
            // A budget month counts from its first day; spend at its time.
            let from = if t.kind == TableKind::Budget {
                month.start(m)
            } else {
                *at
            };
            if from > as_of {
                continue;
            }
            let channel = match c.as_deref().map(str::trim) {
                Some(c) if !c.is_empty() => c.to_owned(),
                _ if by_channel => NO_CHANNEL.to_owned(),
                _ => String::new(),
            };
            out.insert((m, channel));
        }
    }
    out
}

/// The count and the first [`MAX_PAIRS`] of month keys, labelled.
fn gaps<'a>(keys: impl Iterator<Item = &'a (i32, String)>) -> MonthGaps {
    let month = Calendar::new(Grain::Month, 1);
    let mut out = MonthGaps::default();
    for (m, c) in keys {
        out.count += 1;
        if out.months.len() < MAX_PAIRS {
            out.months.push(MonthChannel {
                month: month.label(*m),
                channel: (!c.is_empty()).then(|| c.clone()),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deal_dates_count_closed_without_and_open_past_close_dates() {
        // 2026-06-10 is day 20614; the as-of is 15:00 that day.
        let day = |d: i64| d * DAY;
        let as_of = day(20614) + 15 * 3_600_000_000;
        let check = |won: &[Flag], closed_at: &[i64], want: (usize, usize)| {
            let got = count_deal_dates(won, closed_at, as_of);
            assert_eq!(
                (got.closed_without_close_date, got.open_past_close_date),
                want,
                "{won:?} {closed_at:?}"
            );
        };
        check(&[], &[], (0, 0));
        // Won and lost without a close date; won with one.
        check(
            &[Flag::True, Flag::False, Flag::True],
            &[NONE, NONE, day(20600)],
            (2, 0),
        );
        // Open: expected the day before (past), the as-of day itself and
        // later (not past), none (nothing to say).
        check(
            &[Flag::Null, Flag::Null, Flag::Null, Flag::Null],
            &[day(20613), day(20614) + 1, day(20620), NONE],
            (0, 1),
        );
    }
}
