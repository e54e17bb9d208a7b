/**
 * Section 6 of the review, action items and next steps: the configuration's
 * `actions` as an editable list (text, owner, due date, linked KPI or
 * finding, open or done). Every edit is saved with the configuration
 * (configuration.ts), so the items stay across reloads and reviews; open
 * items from earlier reviews stay until they are done.
 */
import { h } from "./dom";
import { actionsOf, newActionId, putAction, removeAction } from "./configuration";
import { reviewSection, type ReviewContext } from "./review-context";
import type { Action } from "./types";

function actionItem(a: Action, ctx: ReviewContext): HTMLElement {
  // Onto the item as saved: an earlier field's edit may have changed it since this was drawn.
  const save = (change: Partial<Action>) =>
    void ctx.edit((c) => putAction(c, { ...(actionsOf(c).find((x) => x.id === a.id) ?? a), ...change }), false);
  const done = h("input", { type: "checkbox", class: "action-done", "aria-label": `Done: ${a.text}`, checked: a.status === "done" });
  done.addEventListener("change", () => save({ status: done.checked ? "done" : "open" }));
  const text = h("input", { type: "text", class: "action-text", "aria-label": "Action", value: a.text });
  text.addEventListener("change", () => text.value.trim() !== "" && save({ text: text.value.trim() }));
  const owner = h("input", { type: "text", class: "action-owner", "aria-label": "Owner", placeholder: "owner", value: a.owner ?? "" });
  owner.addEventListener("change", () => save({ owner: owner.value }));
  const due = h("input", { type: "date", class: "action-due", "aria-label": "Due", value: a.due ?? "" });
  due.addEventListener("change", () => save({ due: due.value }));
  const kpi = h("select", { class: "action-kpi", "aria-label": "KPI" }, h("option", { value: "" }, "no KPI"), ...ctx.doc.kpis.map((k) => h("option", { value: k.id }, k.name)));
  if (a.kpi && !ctx.kpis.has(a.kpi)) kpi.append(h("option", { value: a.kpi }, a.kpi));
  kpi.value = a.kpi ?? "";
  kpi.addEventListener("change", () => save({ kpi: kpi.value }));
  const remove = h("button", { type: "button", class: "quiet small", "aria-label": `Delete: ${a.text}` }, "Delete");
  remove.addEventListener("click", () => void ctx.edit((c) => removeAction(c, a.id), false));
  const finding = a.finding ? ctx.review?.findings.find((f) => f.id === a.finding) : undefined;
  return h(
    "li",
    { class: "action", "data-action": a.id, "data-status": a.status, "data-finding": a.finding ?? undefined },
    h("label", { class: "action-done-label" }, done, h("span", { class: "small muted" }, "done")),
    h("div", { class: "action-fields" }, text, owner, due, kpi, remove),
    a.finding || a.created
      ? h(
          "p",
          { class: "action-origin muted" },
          a.created ? `From the ${a.created} review` : null,
          a.finding ? `${a.created ? "; " : ""}finding: ${finding ? finding.sentence : a.finding}` : null,
        )
      : null,
  );
}

export function actionsSection(ctx: ReviewContext): HTMLElement {
  const actions = ctx.actions();
  const open = actions.filter((a) => a.status !== "done");
  const done = actions.filter((a) => a.status === "done");
  const input = h("input", { id: "new-action", type: "text", autocomplete: "off", placeholder: "What to do next" });
  const add = h("button", { type: "submit" }, "Add action item");
  const form = h("form", { class: "new-action" }, h("label", { for: "new-action" }, "New action item"), input, add);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (text === "") return;
    const item: Action = { id: newActionId(ctx.actions()), text, status: "open", created: ctx.review?.period ?? null };
    void ctx.edit((c) => putAction(c, item), false);
  });
  return reviewSection(
    "actions",
    "Action items & next steps",
    open.length > 0 ? h("ul", { class: "action-list", role: "list", "aria-label": "Open action items" }, ...open.map((a) => actionItem(a, ctx))) : h("p", { class: "muted" }, "No open action items."),
    form,
    done.length > 0 ? h("details", { class: "done-actions" }, h("summary", {}, `Done (${done.length})`), h("ul", { class: "action-list", role: "list" }, ...done.map((a) => actionItem(a, ctx)))) : null,
    h("p", { class: "muted small" }, "Saved with the configuration in this browser."),
  );
}
