/**
 * What the report gives away as files, all made in the page (nothing is
 * sent anywhere): the KPI table as CSV, each chart as SVG and PNG, the whole
 * report as Markdown (written by the engine, `Session.markdown`), and the
 * print layout (print.css) for a PDF. The CSV holds the values the KPI table
 * shows, formatted as shown; the table is rendered from the same rows.
 */
import "./export.css";
import "./print.css";
import { h } from "./dom";
import { currencyOf, formatSignedChange, formatValue } from "./format";
import type { Kpi, KpiPoint, ReportOptions, ResultDoc } from "./types";

// ---- the KPI table ------------------------------------------------------------

/** The KPI table's columns, in order (the CSV's header). */
export const KPI_TABLE_COLUMNS = ["KPI", "period", "segment", "value", "previous", "change", "target", "status"] as const;

const STATUS_WORDS: Record<string, string> = { on_track: "on track", off_track: "off track" };

interface ReviewLike {
  period?: string;
  headlines?: { kpi: string; period: string | null }[];
}

function reviewOf(doc: ResultDoc): ReviewLike | null {
  return (doc as { review?: ReviewLike | null }).review ?? null;
}

/**
 * The period a KPI's row stands for: the review's headline period for a
 * headline KPI; else the latest period of its total at or before the review
 * period (all periods without a review), a complete cohort before a
 * maturing one.
 */
export function tablePeriod(kpi: Kpi, reviewPeriod: string | null, headlinePeriod: string | null = null): string | null {
  if (headlinePeriod) return headlinePeriod;
  const totals = kpi.points.filter((p) => p.segment === null && (reviewPeriod === null || p.period <= reviewPeriod));
  if (totals.length === 0) return null;
  const latest = (points: KpiPoint[]) => points.reduce<string | null>((best, p) => (best === null || p.period > best ? p.period : best), null);
  return latest(totals.filter((p) => !p.incomplete)) ?? latest(totals);
}

/** A point's segment column: `""` for the total, the step after `→`. */
function segmentLabel(p: KpiPoint): string {
  const step = p.step === null ? "" : `→ ${p.step.replace(/_at$/, "").replace(/_/g, " ")}`;
  return [p.segment ?? "", step].filter((s) => s !== "").join(" ");
}

/**
 * The KPI table as text, header first: per available KPI the total (and
 * its funnel steps) and every segment in the KPI's period (`tablePeriod`),
 * formatted as the page shows them. A maturing value shows no change (it is
 * never presented as one); the target and its status stand on total rows.
 */
export function kpiTableRows(doc: ResultDoc): string[][] {
  const currency = currencyOf(doc);
  const review = reviewOf(doc);
  const reviewPeriod = review?.period ?? null;
  const rows: string[][] = [[...KPI_TABLE_COLUMNS]];
  for (const kpi of doc.kpis) {
    if (!kpi.available) continue;
    const headline = review?.headlines?.find((x) => x.kpi === kpi.id)?.period ?? null;
    const period = tablePeriod(kpi, reviewPeriod, headline);
    if (period === null) continue;
    const at = kpi.points.filter((p) => p.period === period);
    const totals = at.filter((p) => p.segment === null);
    const segments = at.filter((p) => p.segment !== null).sort((a, b) => (a.segment ?? "").localeCompare(b.segment ?? "") || (a.step ?? "").localeCompare(b.step ?? ""));
    for (const p of [...totals, ...segments]) {
      const total = p.segment === null && p.step === null;
      rows.push([
        kpi.name,
        p.period,
        segmentLabel(p),
        formatValue(p.value, kpi.unit, currency),
        p.previous === null ? "" : formatValue(p.previous, kpi.unit, currency),
        p.incomplete ? "" : formatSignedChange(p.change),
        total && kpi.target !== null ? formatValue(kpi.target, kpi.unit, currency) : "",
        total && p.status !== null ? (STATUS_WORDS[p.status] ?? p.status) : p.incomplete ? "maturing" : "",
      ]);
    }
  }
  return rows;
}

/** The KPI table as the page shows it (the same rows as the CSV). */
export function kpiTable(doc: ResultDoc): HTMLTableElement {
  const [header, ...body] = kpiTableRows(doc);
  return h(
    "table",
    { class: "kpi-table" },
    h("thead", {}, h("tr", {}, ...header.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, ...body.map((r) => h("tr", {}, ...r.map((c, i) => (i === 0 ? h("th", { scope: "row" }, c) : h("td", { class: i >= 3 && i <= 6 ? "num" : undefined }, c)))))),
  );
}

// ---- CSV ------------------------------------------------------------------------

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote, CR or LF,
 * quotes doubled. `text` fields (names from the data, such as segments) that
 * a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab
 * or CR) get a leading `'`.
 */
export function csvField(value: string, text = false): string {
  const safe = text && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Rows as a CSV file's text: UTF-8 byte order mark (Excel reads UTF-8
 * then), CRLF line ends; `textColumns` (indices) hold names from the data.
 */
export function toCsv(rows: string[][], textColumns: number[] = []): string {
  return `\uFEFF${rows.map((r, i) => r.map((c, j) => csvField(c, i > 0 && textColumns.includes(j))).join(",")).join("\r\n")}\r\n`;
}

/** The KPI table's columns of names from the data (KPI names, segments). */
const KPI_TABLE_TEXT = [0, 2];

// ---- file names -----------------------------------------------------------------

/** A file name's part from any text: lower case, `[a-z0-9-]` only. */
export function slug(text: string): string {
  return (
    text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "chart"
  );
}

/** What a report's files are named after: the review period, else the as-of date; the grain; the breakdown. */
function reportStem(doc: Pick<ResultDoc, "as_of" | "grain" | "by">, period: string | null): string {
  const when = period ?? doc.as_of.slice(0, 10);
  return ["kpidash", slug(when), doc.grain, doc.by ? `by-${slug(doc.by)}` : null].filter((s) => s !== null).join("-");
}

/** `kpidash-2026-05-month-by-channel-kpis.csv`. */
export function csvFileName(doc: Pick<ResultDoc, "as_of" | "grain" | "by">, period: string | null = null): string {
  return `${reportStem(doc, period)}-kpis.csv`;
}

/** `kpidash-2026-05-month-review.md`. */
export function markdownFileName(doc: Pick<ResultDoc, "as_of" | "grain" | "by">, period: string | null = null): string {
  return `${reportStem(doc, period)}-review.md`;
}

/** `new-leads-by-channel.svg` from the chart's name. */
export function chartFileName(name: string, extension: "svg" | "png"): string {
  return `${slug(name)}.${extension}`;
}

// ---- downloads ------------------------------------------------------------------

/** Saves a Blob made in the page as a download (a blob: URL, nothing leaves the page). */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the URL by then.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Downloads the KPI table as CSV. */
export function downloadCsv(doc: ResultDoc): void {
  saveFile(new Blob([toCsv(kpiTableRows(doc), KPI_TABLE_TEXT)], { type: "text/csv;charset=utf-8" }), csvFileName(doc, reviewOf(doc)?.period ?? null));
}

/** The engine's Markdown report, as the worker client gives it (null: the engine has none). */
export interface MarkdownSource {
  markdown(options: ReportOptions): Promise<string | null>;
}

/** Downloads the report as Markdown, written by the engine for `options`. */
export async function downloadMarkdown(client: MarkdownSource, options: ReportOptions, name = "kpidash-review.md"): Promise<void> {
  const text = await client.markdown(options);
  if (text === null) throw new Error("this version of the engine cannot write the Markdown report yet");
  saveFile(new Blob([text], { type: "text/markdown;charset=utf-8" }), name);
}

// ---- charts as files ------------------------------------------------------------

const SVG_NS = "http://www.w3.org/2000/svg";

/** The chart's own SVG: the element itself, or the plot inside Plot's figure (not its legend swatches). */
function plotSvg(chart: Element): SVGSVGElement | null {
  if (chart instanceof SVGSVGElement) return chart;
  return chart.querySelector<SVGSVGElement>(":scope > svg") ?? chart.querySelector<SVGSVGElement>("svg[aria-label]");
}

/** Plot's colour legend of a figure with several series: labels and their colours. */
function legendOf(chart: Element): { label: string; color: string }[] {
  const scale = (chart as unknown as { scale?: (name: string) => { domain?: unknown[]; range?: unknown[] } | undefined }).scale;
  if (chart instanceof SVGSVGElement || typeof scale !== "function") return [];
  const color = scale.call(chart, "color");
  const domain = color?.domain ?? [];
  const range = color?.range ?? [];
  return domain.map((d, i) => ({ label: String(d), color: String(range[i % Math.max(1, range.length)] ?? "#888") }));
}

/**
 * A chart as a standalone SVG document: the page's colours (CSS variables,
 * `currentColor`) written in, the page's background behind it, and the
 * legend of a chart with several series drawn inside. System fonts only.
 */
export function standaloneSvg(chart: Element): { text: string; width: number; height: number } | null {
  const svg = plotSvg(chart);
  if (!svg) return null;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const from = [svg, ...svg.querySelectorAll("*")];
  const to = [clone, ...clone.querySelectorAll("*")];
  from.forEach((el, i) => {
    const style = getComputedStyle(el);
    for (const attr of ["fill", "stroke"] as const) {
      const value = el.getAttribute(attr);
      if (value && (value.includes("var(") || value === "currentColor")) to[i].setAttribute(attr, style[attr]);
    }
  });
  const rootStyle = getComputedStyle(svg);
  const background = getComputedStyle(document.documentElement).getPropertyValue("--surface").trim() || "#ffffff";
  clone.style.color = rootStyle.color;
  clone.style.background = background;
  clone.style.fontFamily = rootStyle.fontFamily;
  const width = Number(svg.getAttribute("width")) || svg.getBoundingClientRect().width || 300;
  let height = Number(svg.getAttribute("height")) || svg.getBoundingClientRect().height || 150;

  const legend = legendOf(chart);
  if (legend.length > 0) {
    const g = document.createElementNS(SVG_NS, "g");
    g.setAttribute("font-size", "10");
    g.setAttribute("fill", rootStyle.color);
    let x = 8;
    let y = height + 6;
    for (const { label, color } of legend) {
      const itemWidth = 16 + label.length * 6 + 12;
      if (x + itemWidth > width && x > 8) {
        x = 8;
        y += 14;
      }
      const swatch = document.createElementNS(SVG_NS, "rect");
      for (const [k, v] of Object.entries({ x, y, width: 10, height: 10, fill: color })) swatch.setAttribute(k, String(v));
      const text = document.createElementNS(SVG_NS, "text");
      for (const [k, v] of Object.entries({ x: x + 14, y: y + 9 })) text.setAttribute(k, String(v));
      text.textContent = label;
      g.append(swatch, text);
      x += itemWidth;
    }
    height = y + 16;
    clone.append(g);
  }
  clone.setAttribute("width", String(width));
  clone.setAttribute("height", String(height));
  clone.setAttribute("viewBox", `0 0 ${width} ${height}`);
  let text = new XMLSerializer().serializeToString(clone);
  if (!/^<svg[^>]*\sxmlns=/.test(text)) text = text.replace(/^<svg/, `<svg xmlns="${SVG_NS}"`);
  return { text: `<?xml version="1.0" encoding="UTF-8"?>\n${text}`, width, height };
}

/** Rasterises an SVG document through an <img> and a canvas (twice the size, for sharp text). */
export async function svgToPng(svg: { text: string; width: number; height: number }, scale = 2): Promise<Blob> {
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg.text)}`;
  await img.decode();
  const canvas = h("canvas", { width: Math.ceil(svg.width * scale), height: Math.ceil(svg.height * scale) });
  const context = canvas.getContext("2d");
  if (!context) throw new Error("this browser cannot draw the chart as PNG");
  context.scale(scale, scale);
  context.drawImage(img, 0, 0, svg.width, svg.height);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("the chart could not be drawn as PNG"))), "image/png"));
}

/** Two buttons saving `chart` (an SVG, or Plot's figure around one) as `name`.svg and `name`.png. */
export function chartDownloads(chart: Element, name: string): HTMLElement {
  const asSvg = h("button", { type: "button", class: "small quiet", title: `Save ${name} as SVG` }, "SVG");
  const asPng = h("button", { type: "button", class: "small quiet", title: `Save ${name} as PNG` }, "PNG");
  asSvg.addEventListener("click", () => {
    const svg = standaloneSvg(chart);
    if (svg) saveFile(new Blob([svg.text], { type: "image/svg+xml" }), chartFileName(name, "svg"));
  });
  asPng.addEventListener("click", async () => {
    const svg = standaloneSvg(chart);
    if (!svg) return;
    asPng.disabled = true;
    try {
      saveFile(await svgToPng(svg), chartFileName(name, "png"));
    } finally {
      asPng.disabled = false;
    }
  });
  return h("span", { class: "chart-downloads", role: "group", "aria-label": `Save the chart ${name}` }, asSvg, asPng);
}

// ---- the report's export bar ----------------------------------------------------

/**
 * The report's downloads: the KPI table (CSV, and the table itself one click
 * away), the report as Markdown, and printing (a PDF through the browser's
 * print dialog and print.css).
 */
export function exportBar(doc: ResultDoc, client: MarkdownSource, options: ReportOptions): HTMLElement {
  const period = reviewOf(doc)?.period ?? null;
  const message = h("span", { class: "export-message", role: "status" });
  const csv = h("button", { type: "button", class: "small" }, "KPI table (CSV)");
  csv.addEventListener("click", () => downloadCsv(doc));
  const markdown = h("button", { type: "button", class: "small" }, "Report (Markdown)");
  markdown.addEventListener("click", async () => {
    markdown.disabled = true;
    message.textContent = "";
    try {
      await downloadMarkdown(client, options, markdownFileName(doc, period));
    } catch (err) {
      message.textContent = err instanceof Error ? err.message : String(err);
    } finally {
      markdown.disabled = false;
    }
  });
  const print = h("button", { type: "button", class: "small" }, "Print or save as PDF");
  print.addEventListener("click", () => window.print());
  const rows = kpiTableRows(doc).length - 1;
  return h(
    "div",
    { class: "export-bar", "data-exports": "" },
    h("div", { class: "export-actions", role: "group", "aria-label": "Download the report" }, h("span", { class: "muted" }, "Download:"), csv, markdown, print, message),
    h("details", { class: "kpi-table-details" }, h("summary", {}, `The KPI table (${rows} ${rows === 1 ? "row" : "rows"})`), h("div", { class: "table-scroll" }, kpiTable(doc))),
  );
}

/** Puts the export bar at the top of the rendered report (`root`), replacing an earlier one. */
export function mountExports(root: HTMLElement, doc: ResultDoc, client: MarkdownSource, options: ReportOptions): void {
  root.querySelector(":scope > .export-bar")?.remove();
  root.prepend(exportBar(doc, client, options));
}
