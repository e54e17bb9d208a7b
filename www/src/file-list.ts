/**
 * The list of files: one card per file of the page's list (files.ts) with
 * its kind, row count and columns (header → role, type), or the error that
 * file gave; a kind the file fits nearly as well, one click away; and the
 * mapping editor (mapping-editor.ts): open on a file that did not load,
 * folded on one that did. Rendering only.
 */
import { h } from "./dom";
import type { FileEntry, FileSet } from "./files";
import { formatBytes, formatCount, formatRows, formatType } from "./format";
import { mountMappingEditor, type MappingSource } from "./mapping-editor";
import type { FileInfo } from "./types";

export interface FileListEvents {
  onRemove(name: string): void;
  onKindChange(name: string, kind: string): void;
  /** The engine and the configuration for a file's mapping editor; null
   * when the page offers none. */
  mapping?(entry: FileEntry): MappingSource | null;
}

/** The engine's errors about a file's columns, which a mapping can fix: no
 * kind fits, a required role is missing, a role is not the kind's. */
const MAPPABLE = /cannot tell what kind of table|table needs a '|is mapped to '/;

export class FileListView {
  /** The table kinds a card offers (from the engine's vocabulary). */
  private kinds: string[] = [];
  /** Each card's mapping editor, kept across renders while its file and
   * state stay the same (so a choice in progress survives other cards' changes). */
  private editors = new Map<string, { blob: Blob; state: string; el: HTMLElement }>();

  constructor(
    private readonly root: HTMLElement,
    private readonly files: FileSet,
    private readonly events: FileListEvents,
  ) {
    files.onChange(() => this.render());
    this.render();
  }

  /** The engine's table kinds, offered on every loaded file's card. */
  setKinds(kinds: string[]): void {
    this.kinds = kinds;
    this.render();
  }

  /** Shows how much of a file has been read (0–1), without re-rendering the list. */
  setProgress(name: string, fraction: number): void {
    const bar = this.root.querySelector<HTMLProgressElement>(`li[data-file="${CSS.escape(name)}"] progress`);
    if (bar) bar.value = fraction;
  }

  /** The card's mapping editor: the one it had, while its file and state
   * are the same; else a new one. */
  private editor(entry: FileEntry): HTMLElement | null {
    // A file that failed for another reason than its columns (unreadable,
    // too large, out of memory) has nothing to map.
    if (entry.shown.state === "error" && !MAPPABLE.test(entry.shown.message)) return null;
    const source = this.events.mapping?.(entry) ?? null;
    if (source === null) return null;
    const state = entry.shown.state;
    const kept = this.editors.get(entry.name);
    if (kept && kept.blob === entry.blob && kept.state === state) return kept.el;
    const el = h("div", { class: "mapping" });
    mountMappingEditor(el, entry.name, source, state === "error");
    this.editors.set(entry.name, { blob: entry.blob, state, el });
    return el;
  }

  private render(): void {
    for (const name of [...this.editors.keys()]) if (!this.files.get(name)) this.editors.delete(name);
    const cards = this.files.all().map((entry) => this.card(entry));
    if (cards.length === 0) {
      this.root.replaceChildren(h("p", { class: "empty" }, "No files yet. Drop exports above, or try the sample data."));
      return;
    }
    this.root.replaceChildren(h("ul", { class: "files", role: "list" }, ...cards));
  }

  private card(entry: FileEntry): HTMLLIElement {
    const remove = h("button", { type: "button", class: "icon", "aria-label": `Remove ${entry.name}`, title: "Remove" }, "×");
    remove.addEventListener("click", () => this.events.onRemove(entry.name));
    const title = h("h3", { class: "file-name" }, entry.name);
    const head = h("div", { class: "card-head" }, title, h("span", { class: "size" }, formatBytes(entry.blob.size)), remove);

    const { shown } = entry;
    if (shown.state === "error") {
      return h(
        "li",
        { class: "card error", "data-file": entry.name, "data-state": "error" },
        head,
        h("p", { class: "error-text", role: "alert" }, h("strong", {}, "Could not read this file: "), shown.message),
        this.editor(entry),
      );
    }
    if (shown.state === "reading" || entry.held === null) {
      return h("li", { class: "card loading", "data-file": entry.name, "aria-busy": "true" }, head,
        h("p", { class: "muted" }, "Reading…"),
        h("progress", { max: "1", value: "0", "aria-label": `Reading ${entry.name}` }),
      );
    }
    return this.loadedCard(entry.held.info, head, this.editor(entry));
  }

  /** "Could also be people": the kind the file fits nearly as well, one click away. */
  private alternative(info: FileInfo): HTMLElement | null {
    const other = info.kind_alternative;
    if (!other) return null;
    const use = h("button", { type: "button", class: "small", "data-action": "use-kind", "data-kind": other }, `Use ${other}`);
    use.addEventListener("click", () => this.events.onKindChange(info.name, other));
    return h("p", { class: "kind-alternative" }, `This file could also be a ${other} table. `, use);
  }

  private loadedCard(info: FileInfo, head: HTMLElement, editor: HTMLElement | null): HTMLLIElement {
    const kindSelect = h("select", { class: "kind", "aria-label": `Table kind of ${info.name}` });
    // Before the engine's kinds arrive, the file's own kind is the only one.
    for (const kind of this.kinds.includes(info.kind) ? this.kinds : [info.kind, ...this.kinds]) {
      const option = h("option", { value: kind }, kind);
      option.selected = kind === info.kind;
      kindSelect.append(option);
    }
    kindSelect.addEventListener("change", () => this.events.onKindChange(info.name, kindSelect.value));

    const rows = info.columns.map((c) =>
      h(
        "tr",
        {},
        h("td", {}, h("code", {}, c.source)),
        h("td", {}, c.role ? c.role : h("span", { class: "muted" }, "—")),
        h("td", { title: c.data_type }, formatType(c.data_type)),
      ),
    );
    const columns = h(
      "details",
      { class: "columns" },
      h("summary", {}, `${info.columns.length} columns`),
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Column"), h("th", { scope: "col" }, "Role"), h("th", { scope: "col" }, "Type"))),
        h("tbody", {}, ...rows),
      ),
    );

    const dropped = info.quality.rows_dropped;
    const notes = [...info.quality.notes];
    if (dropped > 0) notes.unshift(`${formatRows(dropped)} dropped`);
    const unparsed = info.quality.unparsed_cells;
    if (unparsed > 0) notes.push(`${formatCount(unparsed)} ${unparsed === 1 ? "cell" : "cells"} could not be read`);
    const ambiguous = info.quality.ambiguous_date_columns;
    if (ambiguous.length > 0) notes.push(`ambiguous dates (day/month order) in: ${ambiguous.join(", ")}`);

    return h(
      "li",
      { class: "card", "data-file": info.name, "data-kind": info.kind, "data-state": "loaded" },
      head,
      h(
        "p",
        { class: "facts" },
        h("span", { class: `badge kind-${info.kind}` }, info.kind),
        h("span", { class: "muted" }, info.kind_detected ? "detected" : "chosen"),
        h("span", { class: "rows", "data-rows": info.rows }, formatRows(info.rows)),
        h("label", { class: "kind-change" }, "Kind ", kindSelect),
      ),
      this.alternative(info),
      columns,
      notes.length > 0 ? h("ul", { class: "notes" }, ...notes.map((n) => h("li", {}, n))) : null,
      editor,
    );
  }
}
