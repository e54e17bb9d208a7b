/**
 * The report's controls: the cadence buttons (Weekly, Monthly, Quarterly:
 * each sets grain and breakdown, cadence.ts), grain, breakdown, the review
 * period, as-of date and time zone. Renders a small form and tells the page
 * when the choice changes. The grains and built-in breakdowns are the
 * engine's (its vocabulary), the periods the review's; until they arrive,
 * the menus hold only the current choice. The breakdown menu lists the
 * recognised dimensions first, then the files' other text columns under
 * "Other columns" (the engine leaves out ids and free text).
 */
import { CADENCES, cadenceOf } from "./cadence";
import { h } from "./dom";
import { timeZoneOffsets, type Choice } from "./report-options";
import type { DimensionChoices, Vocabulary } from "./types";

export class ReportControls {
  private readonly grain = h("select", { id: "grain", name: "grain" });
  private readonly by = h("select", { id: "by", name: "by" });
  private readonly asOf = h("input", { id: "as-of", name: "as-of", type: "date" });
  private readonly tz = h("select", { id: "tz", name: "tz" });
  private readonly period = h("select", { id: "review-period", name: "review-period" });
  private readonly cadenceButtons = CADENCES.map((c) => {
    const b = h("button", { type: "button", class: "cadence", "data-cadence": c.id, "aria-pressed": "false", title: `${c.grain} by ${c.by || "nothing"}: ${c.focus}` }, c.label);
    b.addEventListener("click", () => this.choose({ grain: c.grain, by: c.by, cadence: c.id, period: "" }));
    return b;
  });
  /** The engine's built-in breakdowns. */
  private builtin: string[] = [];
  /** Recognised dimensions of the loaded files that are not built in. */
  private recognised: string[] = [];
  /** The files' other text columns that make a breakdown. */
  private extra: string[] = [];
  private grains: string[] = [];
  /** The review's periods, oldest first. */
  private periods: string[] = [];

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
    this.fillPeriods([]);
    this.pressCadence();

    const clearAsOf = h("button", { type: "button", class: "quiet small", title: "Use the data's latest date" }, "Latest");
    clearAsOf.addEventListener("click", () => {
      this.asOf.value = "";
      this.changed();
    });
    for (const control of [this.grain, this.by, this.asOf, this.tz, this.period]) control.addEventListener("change", () => this.changed());

    root.replaceChildren(
      h(
        "form",
        { class: "controls", "aria-label": "Report options" },
        h("div", { class: "field cadences", role: "group", "aria-labelledby": "cadence-label" }, h("span", { id: "cadence-label", class: "label" }, "Cadence"), h("span", { class: "inline" }, ...this.cadenceButtons)),
        h("div", { class: "field" }, h("label", { for: "grain" }, "Period"), this.grain),
        h("div", { class: "field" }, h("label", { for: "by" }, "Break down by"), this.by),
        h("div", { class: "field" }, h("label", { for: "review-period" }, "Review"), this.period),
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
    this.recognised = this.recognised.filter((n) => !this.builtin.includes(n));
    this.extra = this.extra.filter((n) => !this.builtin.includes(n));
    this.fillGrains(vocabulary.grains);
    this.fillBreakdowns();
  }

  /** The review's periods (oldest first), for the review chooser; null
   * when the engine gives no review. */
  setPeriods(periods: string[] | null): void {
    this.period.disabled = periods === null;
    this.fillPeriods(periods ?? []);
  }

  /** Every breakdown offered: the built-in and recognised ones, then the files' other columns. */
  breakdowns(): string[] {
    return [...this.builtin, ...this.recognised, ...this.extra];
  }

  /** Changes part of the choice (a cadence, the segments' chooser) as if
   * chosen here. */
  choose(change: Partial<Choice>): void {
    const next = { ...this.choice, ...change };
    if (change.grain !== undefined && change.grain !== this.choice.grain && change.period === undefined) next.period = "";
    this.choice = next;
    this.fillGrains(this.grains.includes(next.grain) ? this.grains : [...this.grains, next.grain]);
    this.fillBreakdowns();
    this.fillPeriods(this.periods);
    this.pressCadence();
    this.onChange(this.choice);
  }

  /** The breakdowns the loaded files offer (the engine's
   * `dimensionChoices`): recognised ones beyond the built-in, and other columns. */
  setDimensions(choices: DimensionChoices): void {
    const builtin = new Set(this.builtin);
    const recognised = [...new Set(choices.recognised)].filter((n) => !builtin.has(n)).sort();
    const extra = [...new Set(choices.other)].filter((n) => !builtin.has(n) && !recognised.includes(n)).sort();
    if (recognised.join("\n") === this.recognised.join("\n") && extra.join("\n") === this.extra.join("\n")) return;
    this.recognised = recognised;
    this.extra = extra;
    this.fillBreakdowns();
  }

  private fillGrains(grains: string[]): void {
    this.grains = grains;
    this.grain.replaceChildren(...grains.map((g) => h("option", { value: g }, g)));
    this.grain.value = this.choice.grain;
  }

  private fillBreakdowns(): void {
    const options = [h("option", { value: "" }, "nothing (totals)")];
    for (const d of [...this.builtin, ...this.recognised]) options.push(h("option", { value: d }, d));
    const more = [...this.extra];
    if (this.choice.by !== "" && !more.includes(this.choice.by) && !this.builtin.includes(this.choice.by) && !this.recognised.includes(this.choice.by)) {
      more.push(this.choice.by); // saved from an earlier visit; its file may come back
    }
    const group = more.length > 0 ? h("optgroup", { label: "Other columns" }, ...more.map((d) => h("option", { value: d }, d))) : null;
    this.by.replaceChildren(...options, ...(group ? [group] : []));
    this.by.value = this.choice.by;
  }

  private fillPeriods(periods: string[]): void {
    this.periods = periods;
    const options = [h("option", { value: "" }, "latest complete period")];
    const list = [...periods].reverse();
    if (this.choice.period !== "" && !list.includes(this.choice.period)) list.unshift(this.choice.period);
    for (const p of list) options.push(h("option", { value: p }, p));
    this.period.replaceChildren(...options);
    this.period.value = this.choice.period;
  }

  private pressCadence(): void {
    for (const b of this.cadenceButtons) b.setAttribute("aria-pressed", String(b.dataset.cadence === this.choice.cadence));
  }

  private changed(): void {
    const grain = this.grain.value;
    const by = this.by.value;
    const cadence = cadenceOf(this.choice.cadence);
    this.choice = {
      grain,
      by,
      asOf: this.asOf.value,
      tz: this.tz.value,
      // A cadence holds while its grain and breakdown do.
      cadence: cadence && cadence.grain === grain && cadence.by === by ? cadence.id : "",
      // A period of another grain is not one of this grain.
      period: grain === this.choice.grain ? this.period.value : "",
    };
    if (this.period.value !== this.choice.period) this.period.value = this.choice.period;
    this.pressCadence();
    this.onChange(this.choice);
  }
}
