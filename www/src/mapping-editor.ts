/**
 * The mapping editor in a file's card: for a file the engine did not
 * understand, or only partly, a form with its kind, a dropdown per role
 * pre-filled with the engine's best guesses (and what each role adds, "adds
 * New Leads"), a live preview of the first rows as the mapping reads them,
 * and for a campaign report without dates the two days it covers. Every
 * change asks the engine for a new draft (`Session.draft`, nothing loaded);
 * "Use this mapping" saves `files[name]` in the configuration (kind,
 * columns, date_range: the same as `--config` on the command line), and the
 * page reads the file again with it.
 */
import "./mapping-editor.css";
import { h } from "./dom";
import type { Draft, RoleChoice } from "./types";

/** What a file's settings in the configuration hold (`files[name]`). */
export interface FileSetting {
  kind?: string;
  columns?: Record<string, string>;
  date_range?: string;
}

/** The engine and the configuration, as the editor uses them. */
export interface MappingSource {
  /** The draft of the file as `kind` (null: its best fit) with these roles. */
  draft(kind: string | null, columns: Record<string, string>, dateRange: string | null): Promise<Draft>;
  /** Saves the file's settings and reads the file again with them. */
  save(setting: FileSetting): Promise<void>;
}

/** The editor's state: what the next draft is asked for. */
interface Ask {
  kind: string | null;
  columns: Record<string, string>;
  dateRange: string | null;
}

/**
 * Fills `root` with the editor for one file. `open`: shown unfolded (a file
 * that did not load); else folded behind a button, and the first draft is
 * asked for only when it is unfolded. A file the engine cannot read at all
 * gets no editor (its card already says why).
 */
export function mountMappingEditor(root: HTMLElement, name: string, source: MappingSource, open: boolean): void {
  const body = h("div", { class: "mapping-body" }, h("p", { class: "muted" }, "Reading the columns…"));
  // Open: a heading over the form. Folded: a button that unfolds it (no
  // <details>, so the card's one <summary> stays its columns').
  const toggle = open ? null : h("button", { type: "button", class: "quiet small", "aria-expanded": "false", "data-action": "edit-mapping" }, "Edit mapping");
  const editor = h(
    "section",
    { class: "mapping-editor", "data-mapping": name, "data-open": open ? "true" : "false" },
    open ? h("h4", {}, "Map its columns") : toggle,
    body,
  );
  body.hidden = !open;
  let ask: Ask = { kind: null, columns: {}, dateRange: null };
  let asked = 0;
  let started = false;

  const refresh = async (): Promise<void> => {
    const mine = ++asked;
    body.setAttribute("aria-busy", "true");
    let draft: Draft;
    try {
      draft = await source.draft(ask.kind, ask.columns, ask.dateRange);
    } catch {
      // Unreadable: nothing to map (the card says why).
      if (mine === asked) root.replaceChildren();
      return;
    }
    if (mine !== asked) return;
    body.removeAttribute("aria-busy");
    // The draft's mapping is the one in force from now on (guesses included).
    ask = { ...ask, kind: draft.kind, columns: { ...draft.mapping, ...unmapped(ask.columns) } };
    body.replaceChildren(...render(draft));
  };

  const start = (): void => {
    if (started) return;
    started = true;
    void refresh();
  };

  function render(draft: Draft): Node[] {
    const out: Node[] = [];
    if (draft.needs_date_range) out.push(dateRangeForm(draft));
    out.push(kindField(draft));
    out.push(rolesTable(draft));
    out.push(preview(draft));
    const status = draft.error
      ? h("p", { class: "mapping-error", role: "status" }, `Does not load yet: ${draft.error}`)
      : h("p", { class: "mapping-ok", role: "status" }, `Loads as a ${draft.kind} table of ${draft.rows ?? 0} ${draft.rows === 1 ? "row" : "rows"}.`);
    const use = h("button", { type: "button", class: "primary small", "data-action": "use-mapping" }, "Use this mapping");
    use.disabled = draft.error !== null;
    use.addEventListener("click", () => {
      use.disabled = true;
      const setting: FileSetting = { kind: draft.kind, columns: { ...ask.columns } };
      if (ask.dateRange) setting.date_range = ask.dateRange;
      source.save(setting).catch((err: unknown) => {
        use.disabled = false;
        status.textContent = `Not saved: ${errorText(err)}`;
      });
    });
    out.push(h("div", { class: "mapping-actions" }, use, status));
    return out;
  }

  function dateRangeForm(draft: Draft): HTMLElement {
    const from = h("input", { type: "date", name: "range-first", "aria-label": `First day ${name} covers` });
    const to = h("input", { type: "date", name: "range-last", "aria-label": `Last day ${name} covers` });
    const [first, last] = (ask.dateRange ?? "").split("..");
    from.value = first ?? "";
    to.value = last ?? "";
    const apply = h("button", { type: "button", class: "primary small", "data-action": "use-range" }, "Load with these dates");
    const message = h("p", { class: "mapping-error", role: "status" });
    apply.addEventListener("click", () => {
      if (!from.value || !to.value || from.value > to.value) {
        message.textContent = "Give the first and the last day, the first not after the last.";
        return;
      }
      apply.disabled = true;
      const range = `${from.value}..${to.value}`;
      source.save({ kind: draft.kind, date_range: range }).catch((err: unknown) => {
        apply.disabled = false;
        message.textContent = `Not saved: ${errorText(err)}`;
      });
    });
    return h(
      "fieldset",
      { class: "date-range" },
      h("legend", {}, "This report has no dates. Which days does it cover?"),
      h("label", {}, "From ", from),
      h("label", {}, "to ", to),
      apply,
      message,
    );
  }

  function kindField(draft: Draft): HTMLElement {
    const select = h("select", { class: "mapping-kind", "aria-label": `Kind of ${name}` });
    for (const fit of draft.kinds) {
      const option = h("option", { value: fit.kind }, fit.complete ? `${fit.kind} (fits)` : fit.kind);
      option.selected = fit.kind === draft.kind;
      select.append(option);
    }
    select.addEventListener("change", () => {
      // Another kind has other roles: its guesses start afresh.
      ask = { ...ask, kind: select.value, columns: {} };
      void refresh();
    });
    return h("p", { class: "mapping-kind-field" }, h("label", {}, "Kind ", select));
  }

  function rolesTable(draft: Draft): HTMLElement {
    const roles = [...draft.roles].sort((a, b) => Number(b.required) - Number(a.required));
    const rows = roles.map((choice) => roleRow(draft, choice));
    return h(
      "table",
      { class: "mapping-roles" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Role"), h("th", { scope: "col" }, "Column"), h("th", { scope: "col" }, "Adds"))),
      h("tbody", {}, ...rows),
    );
  }

  function roleRow(draft: Draft, choice: RoleChoice): HTMLTableRowElement {
    const select = h("select", { "data-role": choice.role, "aria-label": `Column for ${choice.role}` });
    select.append(h("option", { value: "" }, "(none)"));
    const offered = choice.guesses.map((g) => g.header);
    if (choice.header !== null && !offered.includes(choice.header)) offered.unshift(choice.header);
    for (const header of offered) {
      const taken = Object.entries(draft.mapping).find(([h2, r]) => h2 === header && r !== choice.role);
      select.append(h("option", { value: header }, taken ? `${header} (now ${taken[1]})` : header));
    }
    select.value = choice.header ?? "";
    select.addEventListener("change", () => {
      const columns = { ...ask.columns };
      // The role leaves its old header (which then takes none, not even an
      // alias's), and the new header leaves its old role.
      for (const [header, role] of Object.entries(columns)) if (role === choice.role) columns[header] = "";
      if (select.value !== "") columns[select.value] = choice.role;
      ask = { ...ask, columns };
      void refresh();
    });
    const label = h("th", { scope: "row" }, h("code", {}, choice.role), choice.required ? h("span", { class: "required" }, " required") : null);
    const adds = choice.enables.length > 0 ? `adds ${choice.enables.join(", ")}` : "";
    return h("tr", { "data-role-row": choice.role }, label, h("td", {}, select), h("td", { class: "enables muted" }, adds));
  }

  toggle?.addEventListener("click", () => {
    body.hidden = !body.hidden;
    toggle.setAttribute("aria-expanded", String(!body.hidden));
    editor.dataset.open = String(!body.hidden);
    if (!body.hidden) start();
  });
  root.replaceChildren(editor);
  if (open) start();
}

/** The preview: the first rows as the mapping reads them. */
function preview(draft: Draft): HTMLElement {
  return h(
    "div",
    { class: "mapping-preview" },
    h(
      "table",
      { "aria-label": `First rows of ${draft.name}` },
      h("thead", {}, h("tr", {}, ...draft.preview.columns.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, ...draft.preview.rows.map((row) => h("tr", {}, ...row.map((cell) => h("td", {}, cell ?? ""))))),
    ),
  );
}

/** The headers the user took out of every role (mapped to ""). */
function unmapped(columns: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(columns).filter(([, role]) => role === ""));
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
