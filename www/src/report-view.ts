/**
 * The report: header line (as-of, grain, breakdown), KPI cards grouped by
 * area, the unavailable KPIs with their reasons, and the data-quality panel.
 * Also the report's states: empty, computing, failed. Rendering only.
 */
import { h } from "./dom";
import { formatInstant } from "./format";
import { kpiCard } from "./kpi-card";
import { qualityPanel } from "./quality-panel";
import type { ResultDoc } from "./types";

const AREAS: [string, string][] = [
  ["funnel", "Funnel"],
  ["acquisition", "Acquisition"],
  ["engagement", "Engagement"],
  ["brand", "Brand"],
  ["retention_expansion", "Retention & expansion"],
  ["investment", "Investment & return"],
];

export class ReportView {
  private hasReport = false;

  constructor(
    private readonly root: HTMLElement,
    private readonly busy: HTMLElement,
    private readonly onTrySample: () => void,
  ) {
    this.empty();
  }

  /** No files: what to do next. */
  empty(): void {
    this.hasReport = false;
    this.setBusy(false);
    const cta = h("button", { type: "button", class: "primary" }, "Try the sample data");
    cta.addEventListener("click", () => this.onTrySample());
    this.root.replaceChildren(
      h(
        "div",
        { class: "report-empty", "data-state": "empty" },
        h("p", { class: "drop-title" }, "Your KPI report appears here"),
        h("p", { class: "muted" }, "Add your CRM, product, ad spend, revenue or survey exports above — or look around with a fictional company's data first."),
        cta,
      ),
    );
  }

  /** A report is being computed; the previous one stays, dimmed. */
  setBusy(busy: boolean): void {
    this.busy.hidden = !busy;
    this.root.toggleAttribute("aria-busy", busy);
    this.root.classList.toggle("stale", busy && this.hasReport);
  }

  /** The report could not be computed: say why, keep the last report;
   * `retry` offers to compute it again. */
  failed(message: string, retry?: () => void): void {
    this.setBusy(false);
    let again: HTMLButtonElement | null = null;
    if (retry) {
      again = h("button", { type: "button" }, "Compute the report again");
      again.addEventListener("click", retry);
    }
    const alert = h("p", { class: "report-error", role: "alert" }, h("strong", {}, "The report could not be computed: "), message, again ? " " : null, again);
    this.root.querySelector(".report-error")?.remove();
    this.root.prepend(alert);
  }

  render(doc: ResultDoc): void {
    this.hasReport = true;
    this.setBusy(false);
    const available = doc.kpis.filter((k) => k.available);
    const unavailable = doc.kpis.filter((k) => !k.available);
    const sections: HTMLElement[] = [];
    const known = new Set(AREAS.map(([id]) => id));
    const areas = [...AREAS, ...[...new Set(available.map((k) => k.area))].filter((a) => !known.has(a)).map((a): [string, string] => [a, a])];
    for (const [area, label] of areas) {
      const kpis = available.filter((k) => k.area === area);
      if (kpis.length === 0) continue;
      sections.push(
        h(
          "section",
          { class: "area", "data-area": area, "aria-labelledby": `area-${area}` },
          h("h3", { id: `area-${area}`, class: "area-title" }, label, h("span", { class: "count" }, String(kpis.length))),
          h("ul", { class: "kpis", role: "list" }, ...kpis.map((k) => kpiCard(k, doc.by))),
        ),
      );
    }
    if (available.length === 0) {
      sections.push(h("p", { class: "report-empty" }, "None of the KPIs can be computed from these files yet — see what each one needs below."));
    }

    const missing =
      unavailable.length > 0
        ? h(
            "section",
            { class: "unavailable", "aria-labelledby": "unavailable-heading" },
            h("h3", { id: "unavailable-heading" }, `Not available from these files (${unavailable.length})`),
            h(
              "ul",
              { role: "list" },
              ...unavailable.map((k) =>
                h("li", { "data-kpi": k.id, title: k.definition || undefined }, h("span", { class: "kpi-name" }, k.name), h("span", { class: "reason" }, k.reason ?? "inputs missing")),
              ),
            ),
          )
        : null;

    const summary = h(
      "p",
      { class: "report-summary" },
      h("span", {}, "As of ", h("strong", { "data-as-of": doc.as_of }, formatInstant(doc.as_of))),
      h("span", {}, "by ", h("strong", {}, doc.grain)),
      doc.by ? h("span", {}, "broken down by ", h("strong", {}, doc.by)) : null,
      h("span", {}, `${available.length} of ${doc.kpis.length} KPIs`),
      doc.tz && doc.tz !== "+00:00" ? h("span", {}, `UTC${doc.tz}`) : null,
      h("span", { class: "legend-maturing" }, h("span", { class: "maturing" }, "maturing"), " = cohort still maturing"),
    );

    this.root.replaceChildren(summary, ...sections, ...(missing ? [missing] : []), qualityPanel(doc.quality));
  }
}
