/**
 * The report's controls: grain, breakdown, as-of date and time zone.
 * Renders a small form and tells the page when the choice changes.
 */
import { h } from "./dom";
import { BUILTIN_DIMENSIONS, GRAINS, timeZoneOffsets, type Choice } from "./report-options";

export class ReportControls {
  private readonly grain = h("select", { id: "grain", name: "grain" });
  private readonly by = h("select", { id: "by", name: "by" });
  private readonly asOf = h("input", { id: "as-of", name: "as-of", type: "date" });
  private readonly tz = h("select", { id: "tz", name: "tz" });
  private extra: string[] = [];

  constructor(
    root: HTMLElement,
    private choice: Choice,
    private readonly onChange: (choice: Choice) => void,
  ) {
    for (const g of GRAINS) this.grain.append(h("option", { value: g }, g));
    for (const tz of timeZoneOffsets()) this.tz.append(h("option", { value: tz }, tz === "+00:00" ? "UTC (+00:00)" : `UTC${tz}`));
    if (![...this.tz.options].some((o) => o.value === choice.tz)) this.tz.append(h("option", { value: choice.tz }, `UTC${choice.tz}`));
    this.fillBreakdowns();
    this.grain.value = choice.grain;
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

  /** Dimension columns of the loaded files, offered as breakdowns too. */
  setDimensions(names: string[]): void {
    const builtin = new Set<string>(BUILTIN_DIMENSIONS);
    const extra = [...new Set(names)].filter((n) => !builtin.has(n)).sort();
    if (extra.join("\n") === this.extra.join("\n")) return;
    this.extra = extra;
    this.fillBreakdowns();
  }

  private fillBreakdowns(): void {
    const options = [h("option", { value: "" }, "nothing (totals)")];
    for (const d of BUILTIN_DIMENSIONS) options.push(h("option", { value: d }, d));
    const more = [...this.extra];
    if (this.choice.by !== "" && !more.includes(this.choice.by) && !(BUILTIN_DIMENSIONS as readonly string[]).includes(this.choice.by)) {
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
