//! Stripe subscription lists → monthly MRR snapshots (a revenue table: one
//! row per account × month, `docs/data-model.md`).
//!
//! A Stripe subscription export (`id`, `Customer ID`, `Status`, `Plan`,
//! `Amount`, `Interval`, `Quantity`, `Created`, `Start`, `Trial Start`,
//! `Trial End`, `Canceled At`, `Ended At`, all `(UTC)`) has one row per
//! subscription. The revenue KPIs compare monthly snapshots, so each
//! subscription becomes one row per calendar month (UTC) in which it was
//! billing, and the rows are summed per customer and month:
//!
//! * **Billing months.** From the month paid billing starts (`Start`, else
//!   `Created`; `Trial End` when it is later, that is when a trial ran)
//!   through the month *before* the subscription ended (`Ended At`, else
//!   `Canceled At`). A subscription still billing runs through the export's
//!   last month: the month of the latest date in the file that has already
//!   happened (`Created`, `Start`, `Current Period Start`, `Trial Start`,
//!   `Canceled At`, `Ended At`, and `Trial End` of subscriptions past their
//!   trial). `Current Period End` and the trial end of a trialing
//!   subscription are scheduled dates, so they do not push the export into a
//!   month that has not happened.
//! * **MRR.** `Amount × Quantity` per billing interval as a monthly amount
//!   (year ÷ 12, week × 52 ÷ 12, day × 365 ÷ 12; ÷ `Interval Count` when
//!   present), the same every billing month; a missing quantity is 1.
//! * **Statuses.** `active` and `past_due` (Stripe still retries the payment)
//!   bill; a `Canceled At` without `Ended At` on them is a cancellation at
//!   period end, still billing in the export. `canceled` ends at `Ended At`
//!   else `Canceled At`. `unpaid` (retries exhausted) is churned: it ends at
//!   `Ended At`, `Canceled At`, or else in the export's last month.
//!   `trialing`, `paused` (a trial that ended without payment),
//!   `incomplete` and `incomplete_expired` never billed and give nothing. An
//!   empty or unknown status is read from the dates alone.
//! * **Several subscriptions per customer-month** are summed (an upgrade
//!   bought as a second subscription counts both in the month they overlap).
//!   The month's dimensions (`plan`, and `segment`, `region`, `channel` when
//!   mapped) are those of the subscription with the most MRR that month
//!   (ties: the one that started billing last); such months are counted in a
//!   note. Different currencies stay separate rows.
//! * **Nothing to bill.** A subscription that ends in the month its paid
//!   billing starts (a trial canceled before its end, a same-month
//!   cancellation) gives no month; a list in which nothing bills is refused
//!   with the reasons.
//!
//! The result is a revenue table (`account_id` = `Customer ID`, `month` = the
//! first day of the month as wall-clock time, `mrr`, dimensions) sorted by
//! customer and month; [`LoadQuality::subscriptions`] says how many
//! subscriptions became how many rows and why others were skipped.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, StringBuilder, TimestampMicrosecondBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, TimestampMicrosecondType};
use arrow_array::{Array, ArrayRef, StringArray};

use super::cast::{to_f64, to_utf8};
use super::detect::normalize_header;
use super::normalized::Normalized;
use crate::calendar::{month_index, month_start};
use crate::error::{Error, Result};
use crate::model::ColumnInfo;
use crate::quality::loading::{LoadQuality, SubscriptionExpansion};

/// The most customer-month rows (and month slots) one list may expand to:
/// far beyond a real export (100 000 subscriptions over 10 years), small
/// enough that a bogus year 1 or 9999 cannot exhaust a browser tab.
const MAX_MONTHS: u64 = 20_000_000;

/// The dimension roles a snapshot row carries from its main subscription.
const DIMENSIONS: [&str; 4] = ["plan", "segment", "region", "channel"];

/// Whether the (normalised) headers and their roles are a Stripe
/// subscription list: `mrr` read from an `Amount` column next to an
/// `Interval` column, and a customer for `account_id`.
pub(super) fn is_subscription_list(headers: &[String], roles: &[Option<String>]) -> bool {
    let has_role = |r: &str| roles.iter().any(|x| x.as_deref() == Some(r));
    let amount = headers
        .iter()
        .zip(roles)
        .any(|(h, r)| h == "amount" && r.as_deref() == Some("mrr"));
    amount && has_role("account_id") && headers.iter().any(|h| h == "interval")
}

/// The snapshot table a subscription list becomes.
struct Snapshots {
    /// One per output column, in order.
    infos: Vec<ColumnInfo>,
    /// The columns.
    arrays: Vec<ArrayRef>,
    /// Rows (customer-months).
    rows: usize,
}

/// Why a subscription gives no month; the order is the order of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Skip {
    NeverBilled,
    Trialing,
    Paused,
    NoCustomer,
    NoAmount,
    NoStart,
    NoEnd,
    EndedBeforeBilling,
    StartsLater,
}

impl Skip {
    const ALL: [Skip; 9] = [
        Skip::NeverBilled,
        Skip::Trialing,
        Skip::Paused,
        Skip::NoCustomer,
        Skip::NoAmount,
        Skip::NoStart,
        Skip::NoEnd,
        Skip::EndedBeforeBilling,
        Skip::StartsLater,
    ];

    fn reason(self) -> &'static str {
        match self {
            Skip::NeverBilled => "never billed (incomplete)",
            Skip::Trialing => "still in trial",
            Skip::Paused => "paused after a trial without payment",
            Skip::NoCustomer => "without a Customer ID",
            Skip::NoAmount => "without an Amount",
            Skip::NoStart => "without a start date",
            Skip::NoEnd => "canceled without a cancel or end date",
            Skip::EndedBeforeBilling => "ended before a month of paid billing",
            Skip::StartsLater => "starting after the export's last month",
        }
    }
}

/// How a status decides the end of billing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    /// `active`, `past_due`: billing; ends only at `Ended At`.
    Billing,
    /// Ends at `Ended At`, else `Canceled At`; skipped without either.
    Canceled,
    /// Churned for non-payment: `Ended At`, `Canceled At`, else the export's month.
    Unpaid,
    /// Never billed.
    Skipped(Skip),
    /// Empty: `Ended At`, else `Canceled At`, else billing.
    FromDates,
    /// Not a Stripe status: as [`Status::FromDates`], and noted.
    Unknown,
}

fn status(text: Option<&str>) -> Status {
    let t: String = text
        .unwrap_or("")
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    match t.as_str() {
        "" => Status::FromDates,
        "active" | "past_due" => Status::Billing,
        "canceled" | "cancelled" => Status::Canceled,
        "unpaid" => Status::Unpaid,
        "trialing" => Status::Skipped(Skip::Trialing),
        "paused" => Status::Skipped(Skip::Paused),
        "incomplete" | "incomplete_expired" => Status::Skipped(Skip::NeverBilled),
        _ => Status::Unknown,
    }
}

/// Monthly factor of a billing interval; `None` for an unknown one.
fn per_month(interval: &str) -> Option<f64> {
    match interval.trim().to_ascii_lowercase().as_str() {
        "month" | "monthly" => Some(1.0),
        "year" | "yearly" | "annual" | "annually" => Some(1.0 / 12.0),
        "week" | "weekly" => Some(52.0 / 12.0),
        "day" | "daily" => Some(365.0 / 12.0),
        _ => None,
    }
}

fn month_label(month: i64) -> String {
    format!(
        "{:04}-{:02}",
        month.div_euclid(12),
        month.rem_euclid(12) + 1
    )
}

/// The column whose header normalises to `h`.
fn header(infos: &[ColumnInfo], h: &str) -> Option<usize> {
    infos.iter().position(|c| normalize_header(&c.source) == h)
}

fn role(infos: &[ColumnInfo], r: &str) -> Option<usize> {
    infos.iter().position(|c| c.role.as_deref() == Some(r))
}

/// A text column as `Option<&str>` per row (trimmed; empty is `None`).
struct Texts(Option<StringArray>);

impl Texts {
    fn of(table: &Source, i: Option<usize>) -> Result<Self> {
        let (Some(a), Some(c)) = (
            i.and_then(|i| table.arrays.get(i)),
            i.and_then(|i| table.infos.get(i)),
        ) else {
            return Ok(Texts(None));
        };
        let text =
            to_utf8(a.as_ref()).map_err(|e| e.in_column(table.file, &c.source, table.first_row))?;
        Ok(Texts(Some(text)))
    }

    fn get(&self, r: usize) -> Option<&str> {
        let a = self.0.as_ref()?;
        (r < a.len() && a.is_valid(r))
            .then(|| a.value(r).trim())
            .filter(|s| !s.is_empty())
    }
}

/// A time column as microseconds per row (none for a column of another
/// type: the normaliser made every date column a time column).
struct Times(Option<ArrayRef>);

impl Times {
    fn get(&self, r: usize) -> Option<i64> {
        let a = self.0.as_ref()?;
        let p = a.as_primitive_opt::<TimestampMicrosecondType>()?;
        (r < p.len() && p.is_valid(r)).then(|| p.value(r))
    }
}

/// A number column per row.
struct Numbers(Option<ArrayRef>);

impl Numbers {
    fn get(&self, r: usize) -> Option<f64> {
        let a = self.0.as_ref()?;
        let p = a.as_primitive_opt::<Float64Type>()?;
        (r < p.len() && p.is_valid(r))
            .then(|| p.value(r))
            .filter(|v| v.is_finite())
    }
}

/// The headers read as dates (the normaliser makes them time columns).
pub(super) const DATES: [&str; 7] = [
    "created",
    "start",
    "current_period_start",
    "trial_start",
    "trial_end",
    "canceled_at",
    "ended_at",
];

/// The columns of a subscription list that the expansion reads.
struct Columns {
    customers: Texts,
    statuses: Texts,
    intervals: Texts,
    currencies: Texts,
    amounts: Numbers,
    quantities: Numbers,
    interval_counts: Numbers,
    created: Times,
    start: Times,
    period_start: Times,
    trial_start: Times,
    trial_end: Times,
    canceled_at: Times,
    ended_at: Times,
    /// A month column mapped from another header: the last resort for the start.
    month: Times,
}

/// When and how much one subscription bills.
struct Billing {
    /// First and last billing month (as [`month_index`] counts).
    first: i64,
    last: i64,
    /// When paid billing started, in microseconds.
    start: i64,
    mrr: f64,
    /// Whether the interval was one of Stripe's.
    known_interval: bool,
}

impl Columns {
    fn read(table: &Source) -> Result<Columns> {
        let infos = table.infos;
        let times = |i: Option<usize>| Times(i.and_then(|i| table.arrays.get(i)).cloned());
        let date = |h: &str| times(header(infos, h));
        let other_month = role(infos, "month")
            .filter(|i| !DATES.contains(&normalize_header(&infos[*i].source).as_str()));
        let number = |i: Option<usize>| -> Result<Numbers> {
            Ok(Numbers(
                match i.and_then(|i| table.arrays.get(i).zip(infos.get(i))) {
                    Some((a, c)) if a.data_type().is_numeric() => Some(
                        to_f64(a)
                            .map_err(|e| e.in_column(table.file, &c.source, table.first_row))?,
                    ),
                    _ => None,
                },
            ))
        };
        Ok(Columns {
            customers: Texts::of(table, role(infos, "account_id"))?,
            statuses: Texts::of(table, header(infos, "status"))?,
            intervals: Texts::of(table, header(infos, "interval"))?,
            currencies: Texts::of(table, role(infos, "currency"))?,
            amounts: number(role(infos, "mrr"))?,
            quantities: number(header(infos, "quantity"))?,
            interval_counts: number(header(infos, "interval_count"))?,
            created: date("created"),
            start: date("start"),
            period_start: date("current_period_start"),
            trial_start: date("trial_start"),
            trial_end: date("trial_end"),
            canceled_at: date("canceled_at"),
            ended_at: date("ended_at"),
            month: times(other_month),
        })
    }

    /// The export's last month: the month of the latest date that has
    /// already happened (a trial end only once the subscription is past it).
    fn last_month(&self, statuses: &[Status]) -> Option<i64> {
        let mut last: Option<i64> = None;
        for (r, st) in statuses.iter().enumerate() {
            let past_trial = matches!(st, Status::Billing | Status::Unpaid);
            let dates = [
                self.created.get(r),
                self.start.get(r),
                self.period_start.get(r),
                self.trial_start.get(r),
                self.canceled_at.get(r),
                self.ended_at.get(r),
                self.month.get(r),
                self.trial_end.get(r).filter(|_| past_trial),
            ];
            for m in dates.into_iter().flatten().map(month_index) {
                last = Some(last.map_or(m, |l| l.max(m)));
            }
        }
        last
    }

    /// The billing months and MRR of row `r`, or why it has none.
    fn billing(&self, r: usize, st: Status, last_month: Option<i64>) -> Result<Billing, Skip> {
        if let Status::Skipped(why) = st {
            return Err(why);
        }
        let amount = self.amounts.get(r).ok_or(Skip::NoAmount)?;
        let begin = self
            .start
            .get(r)
            .or_else(|| self.created.get(r))
            .or_else(|| self.month.get(r))
            .ok_or(Skip::NoStart)?;
        let start = self.trial_end.get(r).map_or(begin, |t| t.max(begin));
        let ended = self.ended_at.get(r);
        let canceled = || self.canceled_at.get(r);
        let end = match st {
            Status::Billing => ended,
            Status::Canceled => Some(ended.or_else(canceled).ok_or(Skip::NoEnd)?),
            Status::Unpaid => ended.or_else(canceled).or(last_month.map(month_start)),
            _ => ended.or_else(canceled),
        };
        let first = month_index(start);
        let last = match end {
            Some(e) => month_index(e) - 1,
            None => last_month.unwrap_or(first),
        };
        if last < first {
            return Err(if end.is_some() {
                Skip::EndedBeforeBilling
            } else {
                Skip::StartsLater
            });
        }
        let factor = self.intervals.get(r).and_then(per_month);
        let count = self
            .interval_counts
            .get(r)
            .filter(|c| *c > 0.0)
            .unwrap_or(1.0);
        let quantity = self.quantities.get(r).unwrap_or(1.0);
        Ok(Billing {
            first,
            last,
            start,
            mrr: amount * quantity * factor.unwrap_or(1.0) / count,
            known_interval: factor.is_some(),
        })
    }
}

/// One subscription that bills in at least one month.
struct Sub {
    /// Index into the customer names.
    customer: u32,
    /// Index into the currency names.
    currency: u32,
    billing: Billing,
    row: usize,
}

/// The snapshot rows under construction.
struct Out {
    account: StringBuilder,
    month: TimestampMicrosecondBuilder,
    mrr: Float64Builder,
    currency: StringBuilder,
    dims: Vec<StringBuilder>,
    rows: usize,
    several_plans: usize,
}

/// Dimension columns: (column index, values).
type Dims = Vec<(usize, Texts)>;

/// Appends the rows of one customer and currency: the months any of its
/// subscriptions bills, MRR summed, dimensions from the subscription with
/// the most MRR (ties: the later billing start, then the later row).
fn customer_months(
    group: &[Sub],
    customer: &str,
    currency: &str,
    dims: &Dims,
    plan: Option<usize>,
    out: &mut Out,
) {
    let lo = group.iter().map(|s| s.billing.first).min().unwrap_or(0);
    let hi = group.iter().map(|s| s.billing.last).max().unwrap_or(lo);
    let span = usize::try_from(hi - lo + 1).unwrap_or(0);
    // Per month: summed MRR, the leading subscription, several plans.
    let mut sum = vec![0.0; span];
    let mut lead: Vec<Option<usize>> = vec![None; span];
    let mut mixed = vec![false; span];
    for (k, s) in group.iter().enumerate() {
        let b = &s.billing;
        for m in b.first..=b.last {
            let slot = (m - lo) as usize;
            sum[slot] += b.mrr;
            let Some(j) = lead[slot] else {
                lead[slot] = Some(k);
                continue;
            };
            let o = &group[j];
            if let Some(p) = plan {
                let plans = &dims[p].1;
                mixed[slot] |= plans.get(o.row) != plans.get(s.row);
            }
            let wins = b
                .mrr
                .total_cmp(&o.billing.mrr)
                .then(b.start.cmp(&o.billing.start))
                .then(s.row.cmp(&o.row))
                .is_gt();
            if wins {
                lead[slot] = Some(k);
            }
        }
    }
    for (slot, k) in lead.iter().enumerate() {
        let Some(k) = k else { continue };
        let s = &group[*k];
        out.account.append_value(customer);
        out.month.append_value(month_start(lo + slot as i64));
        out.mrr.append_value(sum[slot]);
        if currency.is_empty() {
            out.currency.append_null();
        } else {
            out.currency.append_value(currency);
        }
        for ((_, texts), b) in dims.iter().zip(out.dims.iter_mut()) {
            b.append_option(texts.get(s.row));
        }
        out.several_plans += usize::from(mixed[slot]);
        out.rows += 1;
    }
}

/// Index of `name` in `names`, added when new.
fn intern<'a>(ids: &mut HashMap<&'a str, u32>, names: &mut Vec<&'a str>, name: &'a str) -> u32 {
    *ids.entry(name).or_insert_with(|| {
        names.push(name);
        (names.len() - 1) as u32
    })
}

/// Expands a subscription list into customer-month snapshots. `time` reads
/// column `i` as microsecond times (recording unparsed cells in quality).
pub(super) fn expand(file: &str, table: &mut Normalized) -> Result<()> {
    let columns = Source {
        file,
        infos: &table.infos,
        arrays: &table.arrays,
        first_row: table.first_row,
    };
    let snapshots = snapshots(&columns, table.rows, &mut table.quality)?;
    table.infos = snapshots.infos;
    table.arrays = snapshots.arrays;
    table.rows = snapshots.rows;
    Ok(())
}

/// The subscription list's columns, and where they come from for messages.
struct Source<'a> {
    file: &'a str,
    infos: &'a [ColumnInfo],
    arrays: &'a [ArrayRef],
    first_row: usize,
}

/// The snapshot rows of a subscription list of `rows_in` subscriptions.
fn snapshots(table: &Source, rows_in: usize, quality: &mut LoadQuality) -> Result<Snapshots> {
    let (file, infos) = (table.file, table.infos);
    let cols = Columns::read(table)?;
    let statuses: Vec<Status> = (0..rows_in).map(|r| status(cols.statuses.get(r))).collect();
    let last_month = cols.last_month(&statuses);

    let mut customer_ids = HashMap::new();
    let mut customers: Vec<&str> = Vec::new();
    let mut currency_ids = HashMap::new();
    let mut currencies: Vec<&str> = Vec::new();
    let mut skipped = [0usize; Skip::ALL.len()];
    let (mut unknown_status, mut unknown_interval) = (0usize, 0usize);
    let mut subs: Vec<Sub> = Vec::new();
    for (r, st) in statuses.iter().enumerate() {
        let billing = cols.billing(r, *st, last_month).and_then(|b| {
            let customer = cols.customers.get(r).ok_or(Skip::NoCustomer)?;
            Ok((customer, b))
        });
        match billing {
            Ok((customer, billing)) => {
                unknown_status += usize::from(*st == Status::Unknown);
                unknown_interval += usize::from(!billing.known_interval);
                subs.push(Sub {
                    customer: intern(&mut customer_ids, &mut customers, customer),
                    currency: intern(
                        &mut currency_ids,
                        &mut currencies,
                        cols.currencies.get(r).unwrap_or(""),
                    ),
                    billing,
                    row: r,
                });
            }
            Err(why) => {
                if let Some(i) = Skip::ALL.iter().position(|s| *s == why) {
                    skipped[i] += 1;
                }
            }
        }
    }

    // Refuse before allocating: subscription months, and month slots of
    // each customer's span (a customer with gaps spans more than it bills).
    let too_many = || {
        Error::unreadable(
            file,
            format!(
                "the subscriptions span more than {MAX_MONTHS} customer-months; check the Start and Ended At dates"
            ),
        )
    };
    let months = subs
        .iter()
        .map(|s| u64::try_from(s.billing.last - s.billing.first + 1).unwrap_or(u64::MAX))
        .fold(0u64, u64::saturating_add);
    if months > MAX_MONTHS {
        return Err(too_many());
    }

    // Customers in text order, then currency, then file order.
    let mut order: Vec<usize> = (0..customers.len()).collect();
    order.sort_by(|a, b| customers[*a].cmp(customers[*b]));
    let mut rank = vec![0usize; customers.len()];
    for (k, i) in order.into_iter().enumerate() {
        rank[i] = k;
    }
    subs.sort_by_key(|s| (rank[s.customer as usize], s.currency, s.row));
    let groups: Vec<&[Sub]> = subs
        .chunk_by(|a, b| (a.customer, a.currency) == (b.customer, b.currency))
        .collect();
    let slots = groups
        .iter()
        .map(|g| {
            let lo = g.iter().map(|s| s.billing.first).min().unwrap_or(0);
            let hi = g.iter().map(|s| s.billing.last).max().unwrap_or(lo);
            u64::try_from(hi - lo + 1).unwrap_or(u64::MAX)
        })
        .fold(0u64, u64::saturating_add);
    if slots > MAX_MONTHS {
        return Err(too_many());
    }

    let dims: Dims = DIMENSIONS
        .iter()
        .filter_map(|d| role(infos, d))
        .map(|i| Texts::of(table, Some(i)).map(|t| (i, t)))
        .collect::<Result<_>>()?;
    let plan = dims
        .iter()
        .position(|(i, _)| infos[*i].role.as_deref() == Some("plan"));
    let mut out = Out {
        account: StringBuilder::new(),
        month: TimestampMicrosecondBuilder::new(),
        mrr: Float64Builder::new(),
        currency: StringBuilder::new(),
        dims: dims.iter().map(|_| StringBuilder::new()).collect(),
        rows: 0,
        several_plans: 0,
    };
    for group in &groups {
        let Some(first) = group.first() else { continue };
        let customer = customers[first.customer as usize];
        let currency = currencies[first.currency as usize];
        customer_months(group, customer, currency, &dims, plan, &mut out);
    }

    let skipped_total: usize = skipped.iter().sum();
    let reasons: Vec<String> = Skip::ALL
        .iter()
        .zip(skipped)
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{n} {}", s.reason()))
        .collect();
    if out.rows == 0 {
        return Err(Error::unreadable(
            file,
            format!(
                "a Stripe subscription list in which no subscription was billing in any month ({})",
                reasons.join(", ")
            ),
        ));
    }
    let last = last_month.map(month_label).unwrap_or_default();
    let mut note = format!(
        "a Stripe subscription list: {} subscription(s) became {} customer-month MRR row(s) \
         (Amount × Quantity per month, from the month paid billing started to the month before \
         it ended; subscriptions still billing run through {last}, the month of the file's latest \
         start, cancel or end date)",
        subs.len(),
        out.rows
    );
    if skipped_total > 0 {
        note.push_str(&format!(
            "; {skipped_total} skipped: {}",
            reasons.join(", ")
        ));
    }
    quality.notes.push(note);
    for (n, what) in [
        (
            out.several_plans,
            "customer-month(s) have several plans: plan is the one with the most MRR that month",
        ),
        (
            unknown_interval,
            "subscription(s) with an unknown billing interval were read as monthly",
        ),
        (
            unknown_status,
            "subscription(s) with an unknown status were read from their dates alone",
        ),
    ] {
        if n > 0 {
            quality.notes.push(format!("{n} {what}"));
        }
    }
    quality.subscriptions = Some(SubscriptionExpansion {
        subscriptions: rows_in,
        expanded: subs.len(),
        rows: out.rows,
        skipped: skipped_total,
        skipped_reasons: reasons,
        last_month: last,
    });

    let source = |i: Option<usize>, fallback: &str| {
        i.and_then(|i| infos.get(i))
            .map_or_else(|| fallback.to_owned(), |c| c.source.clone())
    };
    let start_source = header(infos, "start")
        .or_else(|| header(infos, "created"))
        .or_else(|| role(infos, "month"));
    let mut columns: Vec<(String, String, ArrayRef)> = vec![
        (
            source(role(infos, "account_id"), "Customer ID"),
            "account_id".to_owned(),
            Arc::new(out.account.finish()),
        ),
        (
            source(start_source, "Start"),
            "month".to_owned(),
            Arc::new(out.month.finish()),
        ),
        (
            source(role(infos, "mrr"), "Amount"),
            "mrr".to_owned(),
            Arc::new(out.mrr.finish()),
        ),
    ];
    if let Some(i) = role(infos, "currency") {
        columns.push((
            infos[i].source.clone(),
            "currency".to_owned(),
            Arc::new(out.currency.finish()),
        ));
    }
    for ((i, _), mut b) in dims.iter().zip(out.dims) {
        columns.push((
            infos[*i].source.clone(),
            infos[*i].role.clone().unwrap_or_default(),
            Arc::new(b.finish()),
        ));
    }
    let (infos, arrays) = columns
        .into_iter()
        .map(|(source, role, array)| {
            let info = ColumnInfo::new(source, role.clone(), Some(role), array.data_type());
            (info, array)
        })
        .unzip();
    Ok(Snapshots {
        infos,
        arrays,
        rows: out.rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Table, TableKind};

    const HEAD: &str = "id,Customer ID,Status,Plan,Amount,Interval,Quantity,Created (UTC),Start (UTC),Trial End (UTC),Canceled At (UTC),Ended At (UTC)";

    fn load(rows: &str) -> Result<Table> {
        let csv = format!("{HEAD}\n{rows}");
        crate::load::load("s.csv", csv.as_bytes(), Some(TableKind::Revenue))
    }

    /// (customer, month, mrr) of every row.
    fn snapshots(t: &Table) -> Vec<(String, String, f64)> {
        let c = |n: &str| t.column(n).unwrap_or_else(|| panic!("{n}"));
        let (a, m, v) = (c("account_id"), c("month"), c("mrr"));
        let (a, m, v) = (
            a.as_string::<i32>(),
            m.as_primitive::<TimestampMicrosecondType>(),
            v.as_primitive::<Float64Type>(),
        );
        (0..t.rows())
            .map(|i| {
                (
                    a.value(i).to_owned(),
                    month_label(month_index(m.value(i))),
                    v.value(i),
                )
            })
            .collect()
    }

    /// Loads `rows` (after the header) and compares every snapshot.
    fn check(case: &str, rows: &str, want: &[(&str, &str, f64)]) {
        let t = load(rows).unwrap_or_else(|e| panic!("{case}: {e}"));
        same_snapshots(case, &t, want);
    }

    /// Compares every snapshot of a loaded table.
    fn same_snapshots(case: &str, t: &Table, want: &[(&str, &str, f64)]) {
        let got = snapshots(t);
        let want: Vec<(String, String, f64)> = want
            .iter()
            .map(|(a, m, v)| ((*a).to_owned(), (*m).to_owned(), *v))
            .collect();
        assert_eq!(got.len(), want.len(), "{case}: {got:?}");
        for (g, w) in got.iter().zip(&want) {
            assert!(
                g.0 == w.0 && g.1 == w.1 && (g.2 - w.2).abs() < 1e-9,
                "{case}: {got:?}, expected {want:?}"
            );
        }
    }

    /// The skip reasons of `rows`.
    fn skipped(rows: &str) -> Vec<String> {
        let t = load(rows).unwrap_or_else(|e| panic!("{e}"));
        t.quality
            .subscriptions
            .map(|s| s.skipped_reasons)
            .unwrap_or_default()
    }

    // A subscription active through June keeps the export's last month there.
    const JUNE: &str = "s9,cus_z,active,p,1,month,1,2026-06-01,2026-06-01,,,";

    #[test]
    fn billing_intervals_become_monthly_amounts() {
        check(
            "yearly, weekly, daily, unknown",
            "s1,cus_a,active,p,120,year,1,2026-06-01,2026-06-01,,,\n\
             s2,cus_b,active,p,12,week,1,2026-06-01,2026-06-01,,,\n\
             s3,cus_c,active,p,1,day,2,2026-06-01,2026-06-01,,,\n\
             s4,cus_d,active,p,7,fortnight,1,2026-06-01,2026-06-01,,,",
            &[
                ("cus_a", "2026-06", 10.0),
                ("cus_b", "2026-06", 52.0),
                ("cus_c", "2026-06", 2.0 * 365.0 / 12.0),
                ("cus_d", "2026-06", 7.0),
            ],
        );
    }

    #[test]
    fn cancellations_end_billing_the_month_before() {
        check(
            "ended Mar 1: Jan Feb; Canceled At alone on a canceled one",
            &format!(
                "s1,cus_a,canceled,p,10,month,1,2026-01-31,2026-01-31,,2026-02-10,2026-03-01 00:00\n\
                 s2,cus_b,canceled,p,10,month,1,2026-04-15,2026-04-15,,2026-05-20,\n{JUNE}"
            ),
            &[
                ("cus_a", "2026-01", 10.0),
                ("cus_a", "2026-02", 10.0),
                ("cus_b", "2026-04", 10.0),
                ("cus_z", "2026-06", 1.0),
            ],
        );
        check(
            "active with a cancellation at period end still bills",
            "s1,cus_a,active,p,10,month,1,2026-04-15,2026-04-15,,2026-05-20,",
            &[("cus_a", "2026-04", 10.0), ("cus_a", "2026-05", 10.0)],
        );
        assert_eq!(
            skipped(&format!(
                "s1,cus_a,canceled,p,10,month,1,2026-03-02,2026-03-02,,2026-03-20,2026-03-20\n\
                 s2,cus_b,canceled,p,10,month,1,2026-03-02,2026-03-02,2026-03-16,2026-03-10,2026-03-10\n\
                 s3,cus_c,canceled,p,10,month,1,2026-03-02,2026-03-02,,,\n{JUNE}"
            )),
            [
                "1 canceled without a cancel or end date",
                "2 ended before a month of paid billing"
            ]
        );
    }

    #[test]
    fn statuses_decide_who_bills() {
        check(
            "past_due bills; unpaid churns in the export's month; no status: dates",
            &format!(
                "s1,cus_a,past_due,p,10,month,1,2026-05-03,2026-05-03,,,\n\
                 s2,cus_b,unpaid,p,20,month,1,2026-04-03,2026-04-03,,,\n\
                 s3,cus_c,,p,30,month,1,2026-05-03,2026-05-03,,,\n\
                 s4,cus_d,Past Due,p,40,month,1,2026-05-03,2026-05-03,,,\n\
                 s5,cus_e,on_hold,p,50,month,1,2026-05-03,2026-05-03,,2026-05-09,\n{JUNE}"
            ),
            &[
                ("cus_a", "2026-05", 10.0),
                ("cus_a", "2026-06", 10.0),
                ("cus_b", "2026-04", 20.0),
                ("cus_b", "2026-05", 20.0),
                ("cus_c", "2026-05", 30.0),
                ("cus_c", "2026-06", 30.0),
                ("cus_d", "2026-05", 40.0),
                ("cus_d", "2026-06", 40.0),
                ("cus_z", "2026-06", 1.0),
            ],
        );
        assert_eq!(
            skipped(&format!(
                "s1,cus_a,incomplete,p,10,month,1,2026-05-03,2026-05-03,,,\n\
                 s2,cus_b,incomplete_expired,p,10,month,1,2026-05-03,2026-05-03,,,\n\
                 s3,cus_c,trialing,p,10,month,1,2026-05-03,2026-05-03,2026-05-17,,\n\
                 s4,cus_d,paused,p,10,month,1,2026-05-03,2026-05-03,2026-05-17,,\n\
                 s5,,active,p,10,month,1,2026-05-03,2026-05-03,,,\n\
                 s6,cus_f,active,p,,month,1,2026-05-03,2026-05-03,,,\n\
                 s7,cus_g,active,p,10,month,1,,,,,\n{JUNE}"
            )),
            [
                "2 never billed (incomplete)",
                "1 still in trial",
                "1 paused after a trial without payment",
                "1 without a Customer ID",
                "1 without an Amount",
                "1 without a start date"
            ]
        );
    }

    #[test]
    fn scheduled_dates_do_not_extend_the_export() {
        // The trialing subscription's trial end (July) is scheduled: the
        // export ends in June, the month of its start.
        check(
            "trial end of a trialing subscription",
            "s1,cus_a,active,p,10,month,1,2026-05-03,2026-05-03,,,\n\
             s2,cus_b,trialing,p,10,month,1,2026-06-25,2026-06-25,2026-07-09,,",
            &[("cus_a", "2026-05", 10.0), ("cus_a", "2026-06", 10.0)],
        );
    }

    #[test]
    fn currencies_stay_apart_and_plans_follow_the_most_mrr() {
        let csv = "id,Customer ID,Status,Plan,Amount,Currency,Interval,Start\n\
                   s1,cus_a,active,small,10,usd,month,2026-05-03\n\
                   s2,cus_a,active,big,25,usd,month,2026-05-20\n\
                   s3,cus_a,active,euro,5,eur,month,2026-05-20\n";
        let t = crate::load::load("s.csv", csv.as_bytes(), None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.kind, TableKind::Revenue);
        let text = |n: &str| {
            let c = t.column(n).unwrap_or_else(|| panic!("{n}"));
            let c = to_utf8(c.as_ref()).unwrap_or_else(|e| panic!("{e}"));
            (0..c.len())
                .map(|i| c.value(i).to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(text("currency"), ["usd", "eur"]);
        assert_eq!(text("plan"), ["big", "euro"]);
        let got = snapshots(&t);
        assert_eq!(got[0].2, 35.0);
        assert_eq!(got[1].2, 5.0);
    }

    #[test]
    fn a_list_that_never_billed_is_refused_with_the_reasons() {
        let e = load("s1,cus_a,trialing,p,10,month,1,2026-05-03,2026-05-03,2026-05-17,,")
            .expect_err("no rows");
        assert!(e.to_string().contains("s.csv"), "{e}");
        assert!(e.to_string().contains("1 still in trial"), "{e}");
    }

    #[test]
    fn absurd_spans_are_refused_not_allocated() {
        let rows: String = (0..3000)
            .map(|i| format!("s{i},cus_{i},active,p,1,month,1,0001-01-01,0001-01-01,,,\n"))
            .collect();
        let e = load(&format!("{rows}{JUNE}")).expect_err("too many months");
        assert!(e.to_string().contains("customer-months"), "{e}");
    }

    #[test]
    fn a_list_with_typed_dates_expands_like_one_with_text_dates() {
        // An Arrow subscription list: `Created` and `Start` as millisecond
        // instants, `Canceled At` as Unix seconds, `Ended At` as a date, all
        // normalised to time columns before the expansion reads them.
        // cus_b ends on Apr 1 (Ended At wins over Canceled At, Mar 31): Jan to
        // Mar. The export's last month is April (that Ended At), so the
        // active cus_a runs Jan to Apr, cus_c (yearly 5, 5/12 a month) Feb
        // to Apr.
        use arrow_array::{
            Date32Array, Float64Array, Int64Array, RecordBatch, TimestampMillisecondArray,
        };
        let day_ms = 86_400_000;
        let jan_5 = (20_454 + 4) * day_ms;
        let jan_6 = jan_5 + day_ms;
        let feb_1 = (20_454 + 31) * day_ms;
        let instants = |v: Vec<i64>| {
            Arc::new(TimestampMillisecondArray::from(v).with_timezone("UTC")) as ArrayRef
        };
        let text = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
        let batch = RecordBatch::try_from_iter([
            ("id", text(vec!["s1", "s2", "s3"])),
            ("Customer ID", text(vec!["cus_a", "cus_b", "cus_c"])),
            ("Status", text(vec!["active", "canceled", "active"])),
            ("Plan", text(vec!["p", "q", "p"])),
            (
                "Amount",
                Arc::new(Float64Array::from(vec![10.0, 20.0, 5.0])) as ArrayRef,
            ),
            ("Interval", text(vec!["month", "month", "year"])),
            ("Created (UTC)", instants(vec![jan_5, jan_6, feb_1])),
            ("Start (UTC)", instants(vec![jan_5, jan_6, feb_1])),
            (
                "Canceled At (UTC)",
                Arc::new(Int64Array::from(vec![None, Some(1_775_000_000), None])) as ArrayRef,
            ),
            (
                "Ended At (UTC)",
                Arc::new(Date32Array::from(vec![None, Some(20_454 + 90), None])) as ArrayRef,
            ),
        ])
        .expect("batch");
        let mut bytes = Vec::new();
        let mut w =
            arrow_ipc::writer::FileWriter::try_new(&mut bytes, &batch.schema()).expect("writer");
        w.write(&batch).expect("writes");
        w.finish().expect("finishes");
        drop(w);
        let t = crate::load::load("s.arrow", &bytes, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.kind, TableKind::Revenue);
        let yearly = 5.0 / 12.0;
        same_snapshots(
            "typed dates",
            &t,
            &[
                ("cus_a", "2026-01", 10.0),
                ("cus_a", "2026-02", 10.0),
                ("cus_a", "2026-03", 10.0),
                ("cus_a", "2026-04", 10.0),
                ("cus_b", "2026-01", 20.0),
                ("cus_b", "2026-02", 20.0),
                ("cus_b", "2026-03", 20.0),
                ("cus_c", "2026-02", yearly),
                ("cus_c", "2026-03", yearly),
                ("cus_c", "2026-04", yearly),
            ],
        );
    }

    #[test]
    fn months_round_trip() {
        for (text, y, m) in [
            ("1970-01-01", 1970, 1),
            ("2026-02-28", 2026, 2),
            ("2024-02-29", 2024, 2),
            ("2026-12-31", 2026, 12),
            ("1969-12-31", 1969, 12),
            ("0001-01-01", 1, 1),
        ] {
            let p =
                super::super::values::parse_time(text, super::super::values::DateOrder::MonthFirst)
                    .unwrap_or_else(|| panic!("{text} parses"));
            let month = month_index(p.micros);
            assert_eq!(month, y * 12 + m - 1, "{text}");
            assert_eq!(month_label(month), format!("{y:04}-{m:02}"));
            let first = month_start(month);
            assert_eq!(month_index(first), month, "{text}");
            assert_eq!(month_index(first - 1), month - 1, "{text}");
        }
    }
}
