/**
 * A budget typed in the page, for when no budget file is loaded: rows of
 * month × channel (× campaign, optional) and amount, written to the
 * configuration's `budget` array (`{"month": "2026-05", "channel":
 * "paid_search", "campaign": null, "budget": 5000}`), which the engine uses
 * as a budget table. Saving goes through the same path as the configuration
 * editor (the page's `setConfig`: the engine checks it, the page stores it).
 * The rest of the configuration is kept as it is.
 */
import "./budget-editor.css";
import { h } from "./dom";

/** One month's budget for a channel (and campaign), as the configuration holds it. */
export interface BudgetRow {
  /** `YYYY-MM`. */
  month: string;
  channel: string;
  campaign: string | null;
  budget: number;
}

/** The configuration text as an object; empty text is `{}`. */
function parseConfig(text: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`the configuration is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error("the configuration must be a JSON object");
  return value as Record<string, unknown>;
}

/** The budget rows of a configuration's text (none when it has no `budget`). */
export function readBudget(configText: string): BudgetRow[] {
  const budget = parseConfig(configText).budget;
  if (!Array.isArray(budget)) return [];
  return budget
    .filter((b): b is Record<string, unknown> => b !== null && typeof b === "object")
    .map((b) => ({
      month: String(b.month ?? ""),
      channel: String(b.channel ?? ""),
      campaign: typeof b.campaign === "string" && b.campaign.trim() !== "" ? b.campaign : null,
      budget: typeof b.budget === "number" ? b.budget : Number(b.budget),
    }));
}

/** What is wrong with one row, in a sentence; null when nothing is. */
export function budgetRowProblem(row: BudgetRow): string | null {
  const m = /^(\d{4})-(\d{2})$/.exec(row.month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return `month must be like 2026-05, not '${row.month}'`;
  if (row.channel.trim() === "") return `the budget of ${row.month} needs a channel`;
  if (!Number.isFinite(row.budget) || row.budget < 0) return `the budget of ${row.month} ${row.channel} must be an amount ≥ 0`;
  return null;
}

/**
 * The configuration's text with `rows` as its budget (the key dropped when
 * there are none), everything else as it was; channel and campaign trimmed,
 * a campaign only where given.
 */
export function withBudget(configText: string, rows: BudgetRow[]): string {
  const config = parseConfig(configText);
  if (rows.length === 0) {
    delete config.budget;
  } else {
    config.budget = rows.map((r) => ({
      month: r.month,
      channel: r.channel.trim(),
      ...(r.campaign !== null && r.campaign.trim() !== "" ? { campaign: r.campaign.trim() } : {}),
      budget: r.budget,
    }));
  }
  return `${JSON.stringify(config, null, 2)}\n`;
}

export interface BudgetEditorOptions {
  /** Channels to offer (the data's own); any other can be typed. */
  channels?: string[];
  /** A budget file is loaded: the engine uses it, so the editor only says so. */
  budgetFileLoaded?: boolean;
}

let editors = 0;

/**
 * Renders the budget editor into `container`. `getConfig` gives the
 * configuration text in force (read again on saving, so other edits are
 * kept); `setConfig` applies and stores a new text, rejecting with the
 * engine's message when it refuses it.
 */
export function renderBudgetEditor(
  container: HTMLElement,
  getConfig: () => string | Promise<string>,
  setConfig: (json: string) => Promise<void>,
  options: BudgetEditorOptions = {},
): void {
  const id = `budget-editor-${++editors}`;
  if (options.budgetFileLoaded) {
    container.replaceChildren(h("p", { class: "budget-editor muted" }, "A budget file is loaded: its budget is used, and a budget typed in here is not."));
    return;
  }
  const body = h("tbody", {});
  const message = h("p", { class: "budget-message", "aria-live": "polite" });
  const summary = h("summary", {}, "Budget typed in");
  const channels = h("datalist", { id: `${id}-channels` }, ...(options.channels ?? []).map((c) => h("option", { value: c })));

  const say = (text: string, tone: "error" | "ok" | "info") => {
    message.textContent = text;
    message.className = `budget-message ${tone}`;
    message.setAttribute("role", tone === "error" ? "alert" : "status");
  };
  const count = () => {
    const n = body.rows.length;
    summary.textContent = n === 0 ? "Budget typed in (none)" : `Budget typed in (${n} ${n === 1 ? "row" : "rows"})`;
  };

  const addRow = (row: BudgetRow | null) => {
    const month = h("input", { type: "month", class: "budget-month", "aria-label": "month", value: row?.month ?? "", required: true });
    const channel = h("input", { type: "text", class: "budget-channel", "aria-label": "channel", list: `${id}-channels`, value: row?.channel ?? "", required: true });
    const campaign = h("input", { type: "text", class: "budget-campaign", "aria-label": "campaign (optional)", placeholder: "all campaigns", value: row?.campaign ?? "" });
    const amount = h("input", { type: "number", class: "budget-amount", "aria-label": "budget", min: 0, step: "any", value: row ? String(row.budget) : "" });
    const remove = h("button", { type: "button", class: "small quiet", title: "Remove this row" }, "Remove");
    const tr = h("tr", {}, h("td", {}, month), h("td", {}, channel), h("td", {}, campaign), h("td", {}, amount), h("td", {}, remove));
    remove.addEventListener("click", () => {
      tr.remove();
      count();
    });
    body.append(tr);
    count();
    return month;
  };

  const rowsTyped = (): BudgetRow[] =>
    [...body.rows].map((tr) => {
      const value = (cls: string) => tr.querySelector<HTMLInputElement>(`.${cls}`)?.value ?? "";
      const campaign = value("budget-campaign").trim();
      const amount = value("budget-amount");
      return { month: value("budget-month"), channel: value("budget-channel"), campaign: campaign === "" ? null : campaign, budget: amount === "" ? Number.NaN : Number(amount) };
    });

  const add = h("button", { type: "button" }, "Add a row");
  add.addEventListener("click", () => addRow(null).focus());
  const save = h("button", { type: "button", class: "primary" }, "Save budget");
  save.addEventListener("click", async () => {
    const rows = rowsTyped();
    const problem = rows.map(budgetRowProblem).find((p) => p !== null);
    if (problem) {
      say(`Not saved: ${problem}.`, "error");
      return;
    }
    save.disabled = true;
    try {
      await setConfig(withBudget(await getConfig(), rows));
      say(rows.length === 0 ? "Saved: no budget typed in." : "Saved with the configuration.", "ok");
    } catch (err) {
      say(`Not saved — the previous budget stays. ${err instanceof Error ? err.message : String(err)}`, "error");
    } finally {
      save.disabled = false;
    }
  });

  container.replaceChildren(
    h(
      "details",
      { class: "budget-editor", id },
      summary,
      h("p", { class: "muted" }, "No budget file is loaded: type a monthly budget per channel (and campaign, if you plan per campaign). It is saved with the configuration and used as the budget table."),
      channels,
      h(
        "table",
        { class: "budget-rows" },
        h("thead", {}, h("tr", {}, ...["month", "channel", "campaign", "budget", ""].map((c) => h("th", { scope: "col" }, c)))),
        body,
      ),
      h("div", { class: "actions left" }, add, save),
      message,
    ),
  );
  void Promise.resolve()
    .then(getConfig)
    .then((text) => {
      for (const row of readBudget(text)) addRow(row);
      count();
    })
    .catch((err: unknown) => say(err instanceof Error ? err.message : String(err), "error"));
}
