// Formatting for display (www/src/format.ts): money in a currency and a
// locale, the document's currency, signed changes. Expected texts are
// written by hand (Intl's en-US and de-DE conventions).
//
//   node --test www/tests/
import { test } from "node:test";
import assert from "node:assert/strict";
import { importTs } from "./ts-module.mjs";

const f = await importTs("format");
const NBSP = "\u00a0";

test("money is formatted in its currency for the locale", () => {
  assert.equal(f.formatMoney(1234.5, "USD", "en-US"), "$1,234.50");
  assert.equal(f.formatMoney(1234.5, "EUR", "de-DE"), `1.234,50${NBSP}€`);
  // The yen has no minor unit: rounded to whole yen.
  assert.equal(f.formatMoney(1234.5, "JPY", "en-US"), "¥1,235");
  // No currency: two decimals, no symbol; a currency column's text that is not a code: after the amount.
  assert.equal(f.formatMoney(12, null, "en-US"), "12.00");
  assert.equal(f.formatMoney(12, "dollars", "en-US"), "12.00 dollars");
});

test("formatValue shows currency amounts in the given currency, else the document's, and keeps the other units", () => {
  assert.equal(f.userLocale(), "en-US"); // Node has no navigator: the fallback
  assert.equal(f.formatValue(76.39, "currency", "USD"), "$76.39");
  assert.equal(f.formatValue(76.39, "currency"), "76.39");
  f.useCurrency("EUR");
  try {
    assert.equal(f.formatValue(76.39, "currency"), "€76.39");
    assert.equal(f.formatValue(76.39, "currency", null), "76.39");
    assert.equal(f.formatTick(12345, "currency"), "€12.3K");
  } finally {
    f.useCurrency(null);
  }
  assert.equal(f.formatValue(0.0312, "rate", "USD"), "3.1%");
  assert.equal(f.formatValue(1234, "count", "USD"), "1,234");
  assert.equal(f.formatValue(2.5, "multiple", "USD"), "2.5×");
  assert.equal(f.formatValue(null, "currency", "USD"), "–");
  assert.equal(f.formatValue(Number.NaN, "currency", "USD"), "–");
  assert.equal(f.formatTick(12345, "currency", 1, "USD"), "$12.3K");
  assert.equal(f.formatTick(12345, "count"), "12.3K");
});

/** A result document with only what currencyOf reads. */
const doc = (tables, review) => ({ as_of: "", grain: "month", by: null, tz: "+00:00", kpis: [], quality: { tables: tables.map((currencies) => ({ currencies })) }, ...(review === undefined ? {} : { review }) });

test("the document's currency is the review's, else the one the tables hold", () => {
  assert.equal(f.currencyOf(doc([["USD"]], { currency: "EUR" })), "EUR");
  // The review says neither the data nor the configuration names one.
  assert.equal(f.currencyOf(doc([["USD"]], { currency: null })), null);
  assert.equal(f.currencyOf(doc([["USD"], [], ["usd "]])), "USD");
  assert.equal(f.currencyOf(doc([["USD"], ["EUR"]])), null);
  assert.equal(f.currencyOf(doc([[], []])), null);
});

test("signed changes for tables and files", () => {
  assert.equal(f.formatSignedChange(0.076), "+7.6%");
  assert.equal(f.formatSignedChange(-0.12), "-12%");
  assert.equal(f.formatSignedChange(0), "0%");
  assert.equal(f.formatSignedChange(null), "");
  assert.equal(f.formatSignedChange(Number.POSITIVE_INFINITY), "");
});
