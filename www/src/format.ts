/** Formatting of numbers, sizes and Arrow types for display. No computing. */

const LOCALE = "en-US";
const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat(LOCALE, { style: "percent", maximumFractionDigits: 1 });
const decimal = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 2 });
const oneDecimal = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });
const money = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percent1 = new Intl.NumberFormat(LOCALE, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** `1234` → `1,234`. */
export function formatCount(n: number): string {
  return integer.format(n);
}

/** `1` → `1 row`, `1234` → `1,234 rows`. */
export function formatRows(n: number): string {
  return `${formatCount(n)} ${n === 1 ? "row" : "rows"}`;
}

/** Byte counts in B / kB / MB (powers of 1000, as file managers show them). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${decimal.format(n / 1000)} kB`;
  return `${decimal.format(n / 1_000_000)} MB`;
}

/** A KPI value by its catalog unit; rates are fractions shown as percents. */
export function formatValue(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return "–";
  switch (unit) {
    case "rate":
      return percent1.format(value);
    case "currency":
      return money.format(value);
    case "count":
      return integer.format(value);
    case "hours":
      return `${oneDecimal.format(value)} h`;
    case "per_day":
      return `${decimal.format(value)}/day`;
    case "score":
      return oneDecimal.format(value);
    case "multiple":
      return `${decimal.format(value)}×`;
    case "months":
      return `${oneDecimal.format(value)} months`;
    case "days":
      return `${oneDecimal.format(value)} days`;
    default:
      return decimal.format(value);
  }
}

/** A numerator or denominator: counts as integers, sums (amounts) with 2 decimals. */
export function formatPart(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return "–";
  if (Number.isInteger(value)) return integer.format(value);
  return unit === "currency" || unit === "rate" ? money.format(value) : decimal.format(value);
}

/** A relative change (`0.076` → `7.6%`), without sign: the arrow shows it. */
export function formatChange(change: number): string {
  return percent.format(Math.abs(change));
}

/**
 * Axis ticks of a KPI chart: short numbers (`12k`, `45%`), with as many
 * decimals as the axis' span (about three ticks) needs to tell ticks apart.
 */
export function formatTick(value: number, unit: string, span = 1): string {
  if (unit === "rate") {
    const step = (span * 100) / 3;
    const digits = step > 0 ? Math.min(3, Math.max(0, Math.ceil(-Math.log10(step)))) : 0;
    return new Intl.NumberFormat(LOCALE, { style: "percent", maximumFractionDigits: digits }).format(value);
  }
  const compact = new Intl.NumberFormat(LOCALE, { notation: "compact", maximumFractionDigits: 1 });
  return compact.format(value);
}

/** An RFC 3339 instant as the page shows it: `2026-10-31 22:25 UTC`. */
export function formatInstant(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

/** Milestone and other column names in words: `first_contact_at` → `first contact`. */
export function formatColumn(name: string): string {
  return name.replace(/_at$/, "").replace(/_/g, " ");
}

/**
 * Column types in words a marketer reads. The engine already describes
 * types that way ("text", "date/time", "timestamp (UTC)"); raw Arrow type
 * names (`Utf8`, `Int64`, `Timestamp(Millisecond, None)`) are translated.
 */
export function formatType(dataType: string): string {
  const t = dataType.trim();
  if (/^(Large)?Utf8(View)?$/.test(t)) return "text";
  if (t === "Boolean") return "true/false";
  if (/^U?Int(8|16|32|64)$/.test(t)) return "whole number";
  if (/^(Float(16|32|64)|Decimal(32|64|128|256)\()/.test(t)) return "number";
  if (/^Date(32|64)$/.test(t)) return "date";
  if (/^Timestamp\(/.test(t)) return /,\s*None\s*\)$/.test(t) ? "date-time" : "date-time (with time zone)";
  if (/^Dictionary\(.*Utf8/.test(t)) return "text";
  return t;
}
