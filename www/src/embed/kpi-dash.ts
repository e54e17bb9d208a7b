/**
 * `<kpi-dash>`: the report, or one part of it, as an element a portal puts
 * in its own page (docs/embedding.md). It reads its data (same-origin files
 * or a data manifest) and configuration from its attributes or from its
 * JavaScript API (api.ts), computes the report in the page's one shared
 * engine (shared-engine.ts) and renders it with the page's own section
 * renderers inside its shadow root. Importing this module defines the element.
 */
import pageCss from "../style.css?inline";
import pacingCss from "../pacing.css?inline";
import embedCss from "./embed.css?inline";
import { Configuration, configText, readConfig } from "../configuration";
import { readManifest } from "../data-manifest";
import { h } from "../dom";
import { currencyOf, useCurrency } from "../format";
import { findingsSection } from "../findings-section";
import { kpiCard } from "../kpi-card";
import { DEFAULT_CHOICE, type Choice } from "../report-options";
import { ReportView } from "../report-view";
import { summarySection } from "../summary-section";
import type { FileInfo, ReportOptions, ResultDoc } from "../types";
import type { KpiDashElement, KpiDashEventMap, KpiDashFile, KpiDashView } from "./api";
import { engineVocabulary, fetchOnce, withDataset, type Dataset } from "./shared-engine";

const VIEWS: KpiDashView[] = ["summary", "full", "kpi", "findings"];

/** The page's styles for a shadow root: its `:root` variables belong to the element. */
let sheet: CSSStyleSheet | null = null;
function styles(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync([pageCss, pacingCss].map((css) => css.replace(/:root\b/g, ":host")).join("\n") + "\n" + embedCss);
  }
  return sheet;
}

/** Distinguishes the datasets handed to `load()` (never shared). */
let loadedSets = 0;

function words(value: string | null): string[] {
  return (value ?? "").split(/[\s,]+/).filter((w) => w !== "");
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class KpiDash extends HTMLElement implements KpiDashElement {
  static observedAttributes = ["src", "manifest", "config", "grain", "by", "kpis", "view", "as-of", "tz", "period"];

  private readonly shadow: ShadowRoot;
  private readonly content: HTMLElement;
  private readonly view: ReportView;
  private readonly configuration: Configuration;
  /** Files from `load()`, in place of `src` / `manifest`. */
  private given: Dataset | null = null;
  /** The configuration from `setConfig()`, in place of `config`. */
  private givenConfig: string | null = null;
  /** The data and configuration from the attributes, and what they were read from. */
  private fromAttributes: { source: string; dataset: Promise<Dataset> } | null = null;
  private scheduled = false;
  private options: ReportOptions = {};
  private last: ResultDoc | null = null;
  private breakdownList: string[] = [];
  private generation = 0;

  constructor() {
    super();
    this.shadow = this.attachShadow({ mode: "open" });
    this.shadow.adoptedStyleSheets = [styles()];
    this.content = h("div", { class: "kpidash-widget", part: "content", "aria-live": "polite" });
    this.shadow.append(this.content);
    this.configuration = new Configuration("{}", async (json, recompute) => {
      await this.setConfig(json, recompute);
    });
    const busy = h("p", { hidden: true });
    this.view = new ReportView(this.content, busy, {
      onTrySample: () => undefined,
      choose: (change) => void this.report(this.optionsOf(change)).catch(() => undefined),
      configuration: this.configuration,
      catalog: () => this.data().then((d) => withDataset(d, (e) => e.catalog())).then((r) => r.value),
      breakdowns: () => this.breakdownList,
      dialogParent: this.shadow,
    });
    this.state("Loading…");
  }

  connectedCallback(): void {
    this.schedule();
  }

  attributeChangedCallback(): void {
    if (this.isConnected) this.schedule();
  }

  get result(): ResultDoc | null {
    return this.last;
  }

  async load(files: KpiDashFile[]): Promise<FileInfo[]> {
    const held = files.map((f) =>
      f instanceof File ? { name: f.name, blob: f as Blob, kind: null } : { name: f.name, blob: f.data instanceof Blob ? f.data : new Blob([f.data as BlobPart]), kind: f.kind ?? null },
    );
    this.given = { key: `load:${++loadedSets}`, files: held, config: "{}" };
    try {
      const { files: read } = await withDataset(await this.data(), async () => null);
      this.fire("kpidash:ready", { files: read });
      this.schedule();
      return read;
    } catch (err) {
      this.failed(err);
      throw err;
    }
  }

  async setConfig(config: object | string, recompute = true): Promise<void> {
    const text = configText(readConfig(typeof config === "string" ? config : JSON.stringify(config), "the configuration"));
    const before = this.givenConfig;
    this.givenConfig = text;
    try {
      // The engine checks it now, so a refused one changes nothing.
      await withDataset(await this.data(), async () => null);
    } catch (err) {
      this.givenConfig = before;
      throw err;
    }
    this.configuration.replaced(text);
    if (recompute) this.schedule();
  }

  async report(options: ReportOptions = {}): Promise<ResultDoc> {
    this.options = { ...this.options, ...options };
    const request = this.request();
    const mine = ++this.generation;
    try {
      const dataset = await this.data();
      const [{ value: doc, files }, vocabulary] = await Promise.all([withDataset(dataset, (e) => e.report(request)), engineVocabulary()]);
      const columns = files.flatMap((f) => f.columns.filter((c) => c.role === null).map((c) => c.name));
      this.breakdownList = [...vocabulary.dimensions, ...columns.filter((c) => !vocabulary.dimensions.includes(c))];
      if (mine === this.generation) {
        this.last = doc;
        this.render(doc);
        this.fire("kpidash:report", { doc, options: request });
      }
      return doc;
    } catch (err) {
      if (mine === this.generation) this.failed(err);
      throw err;
    }
  }

  override addEventListener<K extends keyof KpiDashEventMap>(type: K, listener: (this: KpiDashElement, ev: KpiDashEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void {
    super.addEventListener(type, listener, options);
  }

  /** Attribute changes in one task count once: read, then report. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      void this.refresh();
    });
  }

  private async refresh(): Promise<void> {
    if (!this.given && !this.hasAttribute("src") && !this.hasAttribute("manifest")) {
      this.state("No data: give the element a src or manifest attribute, or call load(files).");
      return;
    }
    const source = this.sourceKey();
    const fresh = this.fromAttributes?.source !== source && !this.given;
    try {
      const dataset = await this.data();
      if (fresh) {
        const { files } = await withDataset(dataset, async () => null);
        this.fire("kpidash:ready", { files });
      }
    } catch (err) {
      this.failed(err);
      return;
    }
    // A failed report has been shown and fired as kpidash:error.
    await this.report().catch(() => undefined);
  }

  /** What the attributes' data and configuration are read from. */
  private sourceKey(): string {
    const at = (name: string) => {
      const v = this.getAttribute(name);
      return v === null ? "" : words(v).map((u) => new URL(u, document.baseURI).href).join(" ");
    };
    return JSON.stringify([at("src"), at("manifest"), at("config")]);
  }

  /** The widget's dataset: given to `load()`, or read from its attributes
   * (fetched again only when they change); `setConfig()` wins over `config`. */
  private async data(): Promise<Dataset> {
    let base: Dataset;
    if (this.given) base = this.given;
    else {
      const source = this.sourceKey();
      if (this.fromAttributes?.source !== source) {
        const dataset = this.readAttributes(source);
        this.fromAttributes = { source, dataset };
        dataset.then(
          (d) => this.givenConfig === null && this.configuration.replaced(d.config),
          () => (this.fromAttributes = null),
        );
      }
      base = await (this.fromAttributes as { dataset: Promise<Dataset> }).dataset;
    }
    if (this.givenConfig === null) return base;
    return { key: `${base.key} config:${this.givenConfig}`, files: base.files, config: this.givenConfig };
  }

  private async readAttributes(source: string): Promise<Dataset> {
    const urls = words(this.getAttribute("src")).map((u) => new URL(u, document.baseURI));
    const kinds: (string | null)[] = urls.map(() => null);
    const manifestAt = this.getAttribute("manifest");
    if (manifestAt) {
      const { manifest, urls: listed } = await readManifest(new URL(manifestAt, document.baseURI));
      urls.push(...listed);
      kinds.push(...manifest.files.map((f) => f.kind ?? null));
    }
    let config = "{}";
    const configAt = this.getAttribute("config");
    if (configAt) {
      const url = new URL(configAt, document.baseURI);
      const text = await (await fetchOnce(url)).text();
      config = configText(readConfig(text, url.pathname));
    }
    const blobs = await Promise.all(urls.map((u) => fetchOnce(u)));
    const files = urls.map((u, i) => ({ name: decodeURIComponent(u.pathname.split("/").pop() ?? u.pathname), blob: blobs[i] as Blob, kind: kinds[i] ?? null }));
    return { key: `${source} config:${config}`, files, config };
  }

  /** The report request: the attributes, then what `report()` was given. */
  private request(): ReportOptions {
    const attr = (name: string) => this.getAttribute(name) || null;
    const options: ReportOptions = { grain: attr("grain") ?? DEFAULT_CHOICE.grain, by: attr("by"), asOf: attr("as-of"), tz: attr("tz") ?? DEFAULT_CHOICE.tz };
    const period = attr("period");
    if (period) options.period = period;
    return { ...options, ...this.options };
  }

  private optionsOf(change: Partial<Choice>): ReportOptions {
    const out: ReportOptions = {};
    if (change.grain !== undefined) out.grain = change.grain;
    if (change.by !== undefined) out.by = change.by === "" ? null : change.by;
    if (change.period !== undefined) out.period = change.period === "" ? null : change.period;
    return out;
  }

  private viewName(): KpiDashView {
    const v = this.getAttribute("view") as KpiDashView | null;
    return v && VIEWS.includes(v) ? v : "summary";
  }

  /** The document with only the `kpis` attribute's KPIs (all without it). */
  private shown(doc: ResultDoc): ResultDoc {
    const ids = words(this.getAttribute("kpis"));
    if (ids.length === 0) return doc;
    const keep = (id: string | null | undefined) => typeof id === "string" && ids.includes(id);
    const review = doc.review ? { ...doc.review, headlines: doc.review.headlines.filter((hl) => keep(hl.kpi)), findings: doc.review.findings.filter((f) => keep(f.kpi)) } : doc.review;
    return { ...doc, kpis: doc.kpis.filter((k) => keep(k.id)), review };
  }

  private render(full: ResultDoc): void {
    useCurrency(currencyOf(full));
    const doc = this.shown(full);
    const request = this.request();
    const choice: Choice = { ...DEFAULT_CHOICE, grain: doc.grain, by: doc.by ?? "", asOf: request.asOf ?? "", tz: request.tz ?? DEFAULT_CHOICE.tz, period: request.period ?? "" };
    const view = this.viewName();
    this.dataset.view = view;
    if (view === "full") {
      this.view.render(doc, choice);
      return;
    }
    const ctx = this.view.contextOf(doc, choice);
    if (view === "summary") this.content.replaceChildren(summarySection(ctx, false, () => undefined));
    else if (view === "findings") this.content.replaceChildren(findingsSection(ctx));
    else {
      const cards = doc.kpis.map((k) => kpiCard(k, doc.by, ctx.openKpi));
      this.content.replaceChildren(...(cards.length > 0 ? cards : [h("p", { class: "kpidash-state" }, "No KPI to show: name one in the kpis attribute.")]));
    }
  }

  private state(text: string, error = false): void {
    this.content.replaceChildren(h("p", error ? { class: "kpidash-state error", role: "alert" } : { class: "kpidash-state" }, text));
  }

  private failed(err: unknown): void {
    const text = message(err);
    this.state(`The KPI widget could not show its report: ${text}`, true);
    this.fire("kpidash:error", { message: text });
  }

  private fire<K extends keyof KpiDashEventMap>(type: K, detail: KpiDashEventMap[K]["detail"]): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

if (!customElements.get("kpi-dash")) customElements.define("kpi-dash", KpiDash);
