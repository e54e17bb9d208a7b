/**
 * The glossary: one dialog that opens any KPI — its definition, formula,
 * window, inputs, stage, leading or lagging, owner and target — and where
 * the owner and the target at the report's grain are edited and saved
 * with the configuration (configuration.ts). A KPI that cannot be computed
 * says which file or column would enable it. Rendering and editing only.
 */
import { h } from "./dom";
import { formatColumn, formatValue } from "./format";
import { formulaText } from "./formula";
import type { ConfigObject } from "./configuration";
import { ownerOf, setOwner, setTarget, targetOf } from "./configuration";
import type { Kpi, KpiDefinition } from "./types";

export interface GlossaryHost {
  /** The configuration in force. */
  config(): ConfigObject;
  /** Saves a change of the configuration (the report is computed again). */
  edit(change: (config: ConfigObject) => void): Promise<void>;
  /** The KPI definitions in force, for the formulas. */
  catalog(): Promise<KpiDefinition[]>;
}

const STATUS_WORDS: Record<string, string> = { on_track: "on track", off_track: "off track" };

export class Glossary {
  private readonly dialog: HTMLDialogElement;
  private readonly body: HTMLElement;

  /** `parent` holds the dialog: the page's body, or an embedded widget's
   * shadow root (embed/kpi-dash.ts). */
  constructor(
    private readonly host: GlossaryHost,
    parent: ParentNode = document.body,
  ) {
    this.body = h("div", { class: "glossary-body" });
    const close = h("button", { type: "button", class: "quiet", "aria-label": "Close" }, "Close");
    close.addEventListener("click", () => this.dialog.close());
    this.dialog = h("dialog", { id: "glossary", class: "glossary", "aria-labelledby": "glossary-title" }, this.body, h("div", { class: "actions left" }, close));
    parent.append(this.dialog);
  }

  /** Whether the dialog is open. */
  isOpen(): boolean {
    return this.dialog.open;
  }

  /** Opens the KPI; `grain` is the report's (the target edited is for it). */
  open(kpi: Kpi, grain: string): void {
    const config = this.host.config();
    const latestStatus = [...kpi.points].reverse().find((p) => p.segment === null && p.step === null && p.status !== null)?.status ?? null;
    const formula = h("dd", { "data-field": "formula" }, "…");
    void this.host.catalog().then(
      (defs) => (formula.textContent = formulaText(defs.find((d) => d.id === kpi.id)?.measure) || "—"),
      () => (formula.textContent = "—"),
    );
    const row = (label: string, value: Node | string, field: string) => [h("dt", {}, label), typeof value === "string" ? h("dd", { "data-field": field }, value) : value];

    const owner = h("input", { id: "glossary-owner", type: "text", autocomplete: "off", value: ownerOf(config, kpi.id) ?? kpi.owner ?? "" });
    const configured = targetOf(config, kpi.id, grain);
    const target = h("input", {
      id: "glossary-target",
      type: "number",
      step: "any",
      inputmode: "decimal",
      // Only a target configured for this grain is the field's value: saving
      // must not copy the catalog's own target into the configuration.
      value: configured !== null ? String(configured) : "",
      placeholder: kpi.target !== null ? `${kpi.target} (default)` : "none",
    });
    const message = h("p", { class: "config-message", "aria-live": "polite" });
    const save = h("button", { type: "button", class: "primary" }, "Save owner and target");
    save.addEventListener("click", () => {
      const text = target.value.trim();
      const value = text === "" ? null : Number(text);
      if (value !== null && !Number.isFinite(value)) {
        message.textContent = "The target must be a number.";
        message.className = "config-message error";
        return;
      }
      save.disabled = true;
      this.host
        .edit((c) => {
          setOwner(c, kpi.id, owner.value);
          setTarget(c, kpi.id, grain, value);
        })
        .then(
          () => {
            message.textContent = "Saved with the configuration.";
            message.className = "config-message ok";
          },
          (err: unknown) => {
            message.textContent = `Not saved: ${err instanceof Error ? err.message : String(err)}`;
            message.className = "config-message error";
          },
        )
        .finally(() => (save.disabled = false));
    });
    const unitHint = kpi.unit === "rate" ? " (a rate as a fraction: 0.25 is 25%)" : "";

    this.body.replaceChildren(
      h("h2", { id: "glossary-title", "data-kpi": kpi.id }, kpi.name),
      h("p", { class: "glossary-definition" }, kpi.definition),
      ...(kpi.available ? [] : [h("p", { class: "kpi-note", role: "note", "data-field": "reason" }, `Not available: ${kpi.reason ?? "inputs missing"}`)]),
      h(
        "dl",
        { class: "glossary-facts" },
        ...row("Formula", formula, "formula"),
        ...row("Window", kpi.window_days !== null ? `${kpi.window_days} days` : "—", "window"),
        ...row("Inputs", kpi.inputs.length > 0 ? kpi.inputs.join(", ") : "—", "inputs"),
        ...row("Stage", kpi.stage ? formatColumn(kpi.stage) : "—", "stage"),
        ...row("Indicator", kpi.indicator, "indicator"),
        ...row("Better", kpi.better === "up" ? "higher" : kpi.better === "down" ? "lower" : kpi.better === "target" ? "close to the target" : "neither", "better"),
        ...row("Owner", kpi.owner ?? "—", "owner"),
        ...row(
          `Target (${grain})`,
          kpi.target !== null ? `${formatValue(kpi.target, kpi.unit)}${latestStatus ? `, latest period ${STATUS_WORDS[latestStatus]}` : ""}` : "none",
          "target",
        ),
      ),
      h(
        "form",
        { class: "glossary-edit", "aria-label": `Owner and target of ${kpi.name}` },
        h("div", { class: "field" }, h("label", { for: "glossary-owner" }, "Owner"), owner),
        h("div", { class: "field" }, h("label", { for: "glossary-target" }, `Target per ${grain}${unitHint}`), target),
        save,
      ),
      message,
    );
    this.body.querySelector("form")?.addEventListener("submit", (e) => e.preventDefault());
    if (!this.dialog.open) this.dialog.showModal();
  }
}

/** A KPI's name as a button that opens it in the glossary. */
export function kpiLink(kpi: Kpi, open: (kpi: Kpi) => void, text: string = kpi.name): HTMLButtonElement {
  const b = h("button", { type: "button", class: "kpi-link", "data-kpi": kpi.id, title: kpi.definition || undefined }, text);
  b.addEventListener("click", () => open(kpi));
  return b;
}
