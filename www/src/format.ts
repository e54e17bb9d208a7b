/**
 * Formatting of numbers, amounts, sizes and Arrow types for display, in the
 * user's locale (the browser's language). Amounts of money carry the
 * document's currency (`currencyOf`). No computing.
 */
import type { ResultDoc } from "./types";

/** The browser's language (`navigator.language`), `en-US` where there is none (Node). */
export function userLocale(): string {
  const nav = (globalThis as { navigator?: { language?: string } }).navigator;
  return nav?.language || "en-US";
}

const LOCALE = userLocale();
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

/** Currency formats by locale and ISO 4217 code, made once each. */
const moneyFormats = new Map<string, Intl.NumberFormat>();

/**
 * An amount of money in `currency` (ISO 4217, `USD`) for `locale`:
 * `1234.5` → `$1,234.50` (en-US), `1.234,50 €` (de-DE, EUR). Without a
 * currency, or with one Intl does not know, the amount with two decimals
 * and no symbol.
 */
export function formatMoney(value: number, currency: string | null, locale = LOCALE): string {
  if (!currency) return locale === LOCALE ? money.format(value) : new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
  const key = `${locale} ${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(locale, { style: "currency", currency });
    } catch {
      // Not an ISO 4217 code (a currency column holding "dollars"): the amount and the text.
      return `${money.format(value)} ${currency}`;
    }
    moneyFormats.set(key, format);
  }
  return format.format(value);
}

/**
 * The document's currency: the review's `currency` (docs/review.md: the
 * data's currency column or the configuration's) when the document has a
 * review, else the one currency the tables' currency columns hold; null
 * when none or several.
 */
export function currencyOf(doc: ResultDoc): string | null {
  const review = (doc as { review?: { currency?: string | null } | null }).review;
  if (review && review.currency !== undefined) return review.currency ?? null;
  const found = new Set(doc.quality.tables.flatMap((t) => t.currencies ?? []).map((c) => c.trim().toUpperCase()).filter((c) => c !== ""));
  return found.size === 1 ? [...found][0] : null;
}

/** The currency of the document on screen (`useCurrency`); amounts show it unless told otherwise. */
let shownCurrency: string | null = null;

/**
 * Sets the currency of the document on screen, `currencyOf(doc)`: the page
 * calls it once per rendered report, so every amount formatted without an
 * explicit currency shows it.
 */
export function useCurrency(currency: string | null): void {
  shownCurrency = currency;
}

/**
 * A KPI value by its catalog unit; rates are fractions shown as percents,
 * currency amounts with `currency`'s symbol (by default the document's,
 * `useCurrency`; null for none).
 */
export function formatValue(value: number | null, unit: string, currency: string | null = shownCurrency): string {
  if (value === null || !Number.isFinite(value)) return "–";
  switch (unit) {
    case "rate":
      return percent1.format(value);
    case "currency":
      return formatMoney(value, currency);
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

/** A relative change with its sign, for tables and files: `+7.6%`, `-12%`, `0%`. */
export function formatSignedChange(change: number | null): string {
  if (change === null || !Number.isFinite(change)) return "";
  const text = percent.format(Math.abs(change));
  return change > 0 ? `+${text}` : change < 0 ? `-${text}` : text;
}

/** A relative change (`0.076` → `7.6%`), without sign: the arrow shows it. */
export function formatChange(change: number): string {
  return percent.format(Math.abs(change));
}

/**
 * Axis ticks of a KPI chart: short numbers (`12k`, `45%`), with as many
 * decimals as the axis' span (about three ticks) needs to tell ticks apart.
 */
export function formatTick(value: number, unit: string, span = 1, currency: string | null = shownCurrency): string {
  if (unit === "currency" && currency) {
    try {
      return new Intl.NumberFormat(LOCALE, { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 }).format(value);
    } catch {
      // Not an ISO 4217 code: the plain short number below.
    }
  }
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
