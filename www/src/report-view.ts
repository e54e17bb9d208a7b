/**
 * The report as a review, in the order the review meeting reads it:
 * executive summary, key metrics with trends, deep dives by funnel stage,
 * ICP / segment analysis, opportunities and risks, action items (one
 * module per section, given a ReviewContext), then the data-quality panel.
 * Also the report's states: empty, computing, failed. Rendering only.
 */
import { actionsSection } from "./actions-section";
import { cadenceOf } from "./cadence";
import { actionsOf, newActionId, putAction, type ConfigObject, type Configuration } from "./configuration";
import { h } from "./dom";
import { findingsSection } from "./findings-section";
import { formatInstant } from "./format";
import { Glossary } from "./glossary";
import { qualityPanel } from "./quality-panel";
import type { Choice } from "./report-options";
import type { ReviewContext } from "./review-context";
import { segmentsSection } from "./segments-section";
import { stagesSection } from "./stages-section";
import { headlinesWithoutReview, summarySection } from "./summary-section";
import { trendsSection } from "./trends-section";
import type { Finding, Kpi, KpiDefinition, ResultDoc } from "./types";

/** What the report view asks of the page. */
export interface ReportHost {
  onTrySample(): void;
  /** Changes report options (the breakdown chooser, "show by channel"). */
  choose(change: Partial<Choice>): void;
  /** The configuration: targets, owners and action items are edited in it. */
  configuration: Configuration;
  /** The KPI definitions in force (the glossary's formulas). */
  catalog(): Promise<KpiDefinition[]>;
  /** The breakdowns the page offers. */
  breakdowns(): string[];
  /** Where the glossary's dialog goes (default: the page's body). */
  dialogParent?: ParentNode;
}

const SECTIONS: [string, string][] = [
  ["summary", "Summary"],
  ["trends", "Trends"],
  ["stages", "Funnel stages"],
  ["segments", "Segments"],
  ["findings", "Opportunities & risks"],
  ["actions", "Action items"],
];

export class ReportView {
  private hasReport = false;
  private diagnosticsOpen = false;
  /** The review on show, for a refresh of its action items. */
  private shown: ReviewContext | null = null;
  private readonly glossary: Glossary;
  /** The KPI open in the glossary, refreshed with each report. */
  private glossaryKpi: string | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly busy: HTMLElement,
    private readonly host: ReportHost,
  ) {
    const configuration = host.configuration;
    this.glossary = new Glossary({
      config: () => configuration.object(),
      edit: (change) => configuration.edit(change),
      catalog: () => host.catalog(),
    }, host.dialogParent);
    this.empty();
  }

  /** No files: what to do next. */
  empty(): void {
    this.hasReport = false;
    this.shown = null;
    this.setBusy(false);
    const cta = h("button", { type: "button", class: "primary" }, "Try the sample data");
    cta.addEventListener("click", () => this.host.onTrySample());
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

  /** Renders a result document as the review; `choice` says the cadence. */
  render(doc: ResultDoc, choice: Choice): void {
    this.hasReport = true;
    this.setBusy(false);
    const ctx = this.contextOf(doc, choice);
    this.shown = ctx;
    const available = doc.kpis.filter((k) => k.available).length;
    const line = h(
      "p",
      { class: "report-summary" },
      h("span", {}, "As of ", h("strong", { "data-as-of": doc.as_of }, formatInstant(doc.as_of))),
      h("span", {}, "by ", h("strong", {}, doc.grain)),
      doc.by ? h("span", {}, "broken down by ", h("strong", {}, doc.by)) : null,
      h("span", {}, `${available} of ${doc.kpis.length} KPIs`),
      doc.tz && doc.tz !== "+00:00" ? h("span", {}, `UTC${doc.tz}`) : null,
      h("span", { class: "legend-maturing" }, h("span", { class: "maturing" }, "maturing"), " = cohort still maturing"),
    );
    const contents = h("nav", { class: "review-contents", "aria-label": "Review sections" }, ...SECTIONS.map(([id, label]) => h("a", { href: `#${id}` }, label)));
    this.root.replaceChildren(
      line,
      contents,
      summarySection(ctx, this.diagnosticsOpen, (open) => (this.diagnosticsOpen = open)),
      trendsSection(ctx),
      stagesSection(ctx),
      segmentsSection(ctx),
      findingsSection(ctx),
      actionsSection(ctx),
      qualityPanel(doc.quality),
    );
    const open = this.glossaryKpi !== null ? ctx.kpis.get(this.glossaryKpi) : undefined;
    if (open && this.glossary.isOpen()) this.glossary.open(open, doc.grain);
  }

  /** What the sections are given to render `doc` (an embedded widget
   * renders some of them alone, embed/kpi-dash.ts). */
  contextOf(doc: ResultDoc, choice: Choice): ReviewContext {
    const configuration = this.host.configuration;
    const review = doc.review ?? null;
    return {
      doc,
      review,
      headlines: review ? review.headlines : headlinesWithoutReview(doc),
      kpis: new Map(doc.kpis.map((k) => [k.id, k])),
      cadence: cadenceOf(choice.cadence),
      breakdowns: this.host.breakdowns(),
      openKpi: (kpi: Kpi) => this.openKpi(kpi, doc.grain),
      choose: (change) => this.host.choose(change),
      config: () => configuration.object(),
      edit: (change, recompute) => configuration.edit(change, recompute),
      addAction: (finding: Finding) => configuration.edit((c: ConfigObject) => putAction(c, actionFor(finding, newActionId(actionsOf(c)), review?.period ?? null)), false),
      actions: () => actionsOf(configuration.object()),
    };
  }

  /** The action items changed (not the report): their section and the
   * findings' buttons are drawn again. */
  refreshActions(): void {
    const ctx = this.shown;
    if (!ctx) return;
    for (const [id, make] of [
      ["findings", findingsSection],
      ["actions", actionsSection],
    ] as const) {
      const old = this.root.querySelector(`#${id}`);
      if (old) old.replaceWith(make(ctx));
    }
  }

  private openKpi(kpi: Kpi, grain: string): void {
    this.glossaryKpi = kpi.id;
    this.glossary.open(kpi, grain);
  }
}

/** The action item a finding becomes. */
function actionFor(finding: Finding, id: string, period: string | null) {
  return { id, text: finding.sentence, kpi: finding.kpi, finding: finding.id, status: "open" as const, created: period };
}
