/**
 * The report's controls: grain, breakdown, as-of date and time zone.
 * Renders a small form and tells the page when the choice changes. The
 * grains and built-in breakdowns are the engine's (its vocabulary); until
 * they arrive, the menus hold only the current choice.
 */
import { h } from "./dom";
import { timeZoneOffsets, type Choice } from "./report-options";
import type { Vocabulary } from "./types";

export class ReportControls {
  private readonly grain = h("select", { id: "grain", name: "grain" });
  private readonly by = h("select", { id: "by", name: "by" });
  private readonly asOf = h("input", { id: "as-of", name: "as-of", type: "date" });
  private readonly tz = h("select", { id: "tz", name: "tz" });
  /** The engine's built-in breakdowns. */
  private builtin: string[] = [];
  private extra: string[] = [];

  constructor(
    root: HTMLElement,
    private choice: Choice,
    private readonly onChange: (choice: Choice) => void,
  ) {
    this.fillGrains([choice.grain]);
    for (const tz of timeZoneOffsets()) this.tz.append(h("option", { value: tz }, tz === "+00:00" ? "UTC (+00:00)" : `UTC${tz}`));
    if (![...this.tz.options].some((o) => o.value === choice.tz)) this.tz.append(h("option", { value: choice.tz }, `UTC${choice.tz}`));
    this.fillBreakdowns();
    this.asOf.value = choice.asOf;
    this.tz.value = choice.tz;

    const clearAsOf = h("button", { type: "button", class: "quiet small", title: "Use the data's latest date" }, "Latest");
    clearAsOf.addEventListener("click", () => {
      this.asOf.value = "";
      this.changed();
    });
    for (const control of [this.grain, this.by, this.asOf, this.tz]) control.addEventListener("change", () => this.changed());

    root.replaceChildren(
      h(
        "form",
        { class: "controls", "aria-label": "Report options" },
        h("div", { class: "field" }, h("label", { for: "grain" }, "Period"), this.grain),
        h("div", { class: "field" }, h("label", { for: "by" }, "Break down by"), this.by),
        h("div", { class: "field" }, h("label", { for: "as-of" }, "As of"), h("span", { class: "inline" }, this.asOf, clearAsOf)),
        h("div", { class: "field" }, h("label", { for: "tz" }, "Time zone"), this.tz),
      ),
    );
    root.querySelector("form")?.addEventListener("submit", (e) => e.preventDefault());
  }

  /** The engine's grains and built-in breakdowns, with the choice in force
   * (its grain one of them). */
  setVocabulary(vocabulary: Vocabulary, choice: Choice): void {
    this.choice = choice;
    this.builtin = vocabulary.dimensions;
    this.extra = this.extra.filter((n) => !this.builtin.includes(n));
    this.fillGrains(vocabulary.grains);
    this.fillBreakdowns();
  }

  /** Dimension columns of the loaded files, offered as breakdowns too. */
  setDimensions(names: string[]): void {
    const builtin = new Set(this.builtin);
    const extra = [...new Set(names)].filter((n) => !builtin.has(n)).sort();
    if (extra.join("\n") === this.extra.join("\n")) return;
    this.extra = extra;
    this.fillBreakdowns();
  }

  private fillGrains(grains: string[]): void {
    this.grain.replaceChildren(...grains.map((g) => h("option", { value: g }, g)));
    this.grain.value = this.choice.grain;
  }

  private fillBreakdowns(): void {
    const options = [h("option", { value: "" }, "nothing (totals)")];
    for (const d of this.builtin) options.push(h("option", { value: d }, d));
    const more = [...this.extra];
    if (this.choice.by !== "" && !more.includes(this.choice.by) && !this.builtin.includes(this.choice.by)) {
      more.push(this.choice.by); // saved from an earlier visit; its file may come back
    }
    const group = more.length > 0 ? h("optgroup", { label: "Columns in your files" }, ...more.map((d) => h("option", { value: d }, d))) : null;
    this.by.replaceChildren(...options, ...(group ? [group] : []));
    this.by.value = this.choice.by;
  }

  private changed(): void {
    this.choice = { grain: this.grain.value, by: this.by.value, asOf: this.asOf.value, tz: this.tz.value };
    this.onChange(this.choice);
  }
}
